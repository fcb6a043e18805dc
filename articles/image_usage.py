"""Where images are used, and what happens to the articles showing an image that changed.

The interface between the media library (``articles.images``) and the articles: the library
calls these; the article side implements them.

What an article shows of an image is part of its approved content (``Article.images``, the
version's manifest, and the snapshot's ``images`` / ``lead_image``). So a change in the
library never reaches a live page by itself: each article whose working copy shows the image
gets a new version, to be reviewed, and the live page keeps the approved image (its files are
never overwritten: their names hold the digest of their bytes) until that version is
approved and published.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models, transaction
from django.db.models import Q

from .images.manifest import build_manifest, by_id, json_pattern

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from .models import Article, Image

# What an image's change is called in the comment of the new version.
CHANGED_FIELDS = {
    "file": "file",
    "digest": "file",
    "alt_text": "alt text",
    "decorative": "decorative",
    "caption": "caption",
    "credit": "credit",
    "license": "licence",
    "license_text": "licence terms",
    "rights_holder": "rights holder",
    "source_url": "source",
    "renditions": "file",
}


def _showing(image: Image) -> Q:
    """Working copies whose manifest or lead image is ``image``."""
    return Q(lead_image=image) | Q(images__icontains=json_pattern(image.pk))


def articles_using(image: Image) -> models.QuerySet[Article]:
    """Articles in use (not archived) whose working copy, live or scheduled snapshot shows
    ``image`` (in the body or as the lead image); one query."""
    from .models import Article, PublishedArticle

    pattern = json_pattern(image.pk)
    on_pages = (
        PublishedArticle.objects.open_at()
        .filter(Q(images__icontains=pattern) | Q(lead_image__icontains=pattern))
        .values("article_id")
    )
    return Article.objects.active().filter(_showing(image) | Q(pk__in=on_pages))


def articles_referencing(image: Image) -> models.QuerySet[Article]:
    """Every article, archived ones included, whose working copy shows ``image`` or any of
    whose snapshots (live, scheduled, or one that went before) shows it: what stops the image
    being deleted, since an archived article can be restored and an old version published
    again. One query."""
    from .models import Article, PublishedArticle

    pattern = json_pattern(image.pk)
    on_pages = PublishedArticle.objects.filter(
        Q(images__icontains=pattern) | Q(lead_image__icontains=pattern)
    ).values("article_id")
    return Article.objects.filter(_showing(image) | Q(pk__in=on_pages))


def _comment(image: Image, fields: list[str]) -> str:
    changed = sorted({CHANGED_FIELDS.get(name, name.replace("_", " ")) for name in fields})
    what = ", ".join(changed) if changed else "its details"
    return (
        f"Image {image.pk} “{image.title}” changed in the media library ({what}): this "
        "version shows it as it now is, and needs review. The live page keeps the approved "
        "image until this version is published."
    )


def image_changed(image: Image, user: AbstractBaseUser | None, fields: list[str]) -> list[Article]:
    """Called in the transaction that saved ``image`` when what articles show of it changed
    (``fields`` among file/digest, alt_text, decorative, caption, credit, license…): each
    article using it gets a new working version, to be reviewed; the live pages keep the
    approved image. Returns those articles.

    Each article in use whose working copy shows the image is saved again through
    ``reviews.workflow.save_working_copy`` under its row lock: the manifest is read again
    from the library, and the new version withdraws an open review or approval of the
    previous one, as any edit does. An article whose manifest would not change (the change
    is not one readers see) is left alone; snapshots are never touched.
    """
    from reviews import workflow
    from reviews.workflow.common import lock

    from .models import Article

    changed: list[Article] = []
    with transaction.atomic():
        for candidate in Article.objects.active().filter(_showing(image)).order_by("pk"):
            article = lock(candidate)
            if article.archived_at is not None:
                continue
            before = by_id(article.images).get(image.pk)
            after = by_id(build_manifest(article.body, article.lead_image_id)).get(image.pk)
            if before == after:
                continue
            workflow.save_working_copy(
                article=article,
                user=user,
                comment=_comment(image, fields),
                expected_version=article.version,
            )
            changed.append(article)
    return changed
