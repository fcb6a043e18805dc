"""Where images are used, and what happens to the articles showing an image that changed.

The interface between the media library (``articles.images``) and the articles: the library
calls these; the article side implements them. (Stubs until the article side lands.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from .models import Article, Image


def articles_using(image: Image) -> models.QuerySet[Article]:
    """Articles in use (not archived) whose working copy, live or scheduled snapshot shows
    ``image`` (in the body or as the lead image)."""
    from .models import Article

    return Article.objects.none()


def image_changed(image: Image, user: AbstractBaseUser | None, fields: list[str]) -> list[Article]:
    """Called in the transaction that saved ``image`` when what articles show of it changed
    (``fields`` among file/digest, alt_text, decorative, caption, credit, license…): each
    article using it gets a new working version, to be reviewed; the live pages keep the
    approved image. Returns those articles."""
    return []
