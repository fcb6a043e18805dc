"""Archiving instead of deleting, and bringing an archived article back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from articles.images.manifest import build_manifest
from articles.models import Article

from ..models import Review
from ..selectors import open_snapshot
from ..states import TRANSITIONS, Action
from .common import Seen, audit, ensure_seen, lock
from .editing import save_working_copy
from .permissions import check
from .publishing import unpublish
from .translation import ensure_sole_translation

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def archive(
    *, article: Article, user: AbstractBaseUser, reason: str, seen: Seen | None = None
) -> Article:
    """Take an article out of use instead of deleting it: it leaves the site and the working
    lists, keeps its whole history, and can be restored."""
    reason = (reason or "").strip()
    with transaction.atomic():
        article = lock(article)
        ensure_seen(article, seen)
        check(Action.ARCHIVE, user, article, {"reason": reason})
        if open_snapshot(article) is not None:
            unpublish(article=article, user=user, reason=f"Archived: {reason}")
            article = lock(article)
        now = timezone.now()
        article.reviews.filter(status__in=Review.OPEN_STATUSES).update(
            status=Review.Status.WITHDRAWN, decided_at=now
        )
        from_state = article.state
        article.archived_at = now
        article.state = TRANSITIONS[Action.ARCHIVE].target
        article.save(update_fields=["archived_at", "state", "updated_at"])
        audit(article, action=Action.ARCHIVE, user=user, from_state=from_state, comment=reason)
    return article


def unarchive(*, article: Article, user: AbstractBaseUser, seen: Seen | None = None) -> Article:
    """Bring an archived article back as a draft; publishing it again needs a new review.
    A translation comes back only while its source has no other translation in use into its
    language (409).

    A change in the media library passes archived articles by (``image_usage.image_changed``),
    so the images the working copy shows are read again from the library as it now stands:
    when they changed (an image edited, replaced or gone), a new version records them."""
    with transaction.atomic():
        article = lock(article)
        ensure_seen(article, seen)
        check(Action.UNARCHIVE, user, article)
        ensure_sole_translation(article)
        article.archived_at = None
        article.save(update_fields=["archived_at", "updated_at"])
        audit(article, action=Action.UNARCHIVE, user=user, from_state=article.state)
        if build_manifest(article.body, article.lead_image_id) != article.images:
            article = save_working_copy(
                article=article,
                user=user,
                comment="Restored from the archive: the images it shows, read again from the "
                "media library as it now stands.",
                expected_version=article.version,
            )
    return article
