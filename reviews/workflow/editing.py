"""Saving the working copy as a new version, and restoring an old version's content."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import reversion
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.images.manifest import build_manifest
from articles.models import (
    ARTICLE_EDITED_FIELDS,
    REFERENCE_CONTENT_FIELDS,
    Article,
    ArticleRevision,
    Reference,
)
from articles.selectors import article_version_content
from articles.services import unique_article_slug

from ..models import Review
from ..states import EDIT_WITHDRAWS, State
from .common import audit, lock, stale_message
from .errors import StaleVersion, TransitionNotAllowed

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def _acting_user(user: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return user if user is not None and user.is_authenticated else None


def _refuse_archived() -> TransitionNotAllowed:
    return TransitionNotAllowed(
        "This article is archived, so it cannot be edited: an editor must restore it from the "
        "archive first."
    )


def ensure_editable(current: Article, expected_version: int | None) -> None:
    """Refuse a save of ``current`` (as stored) that is archived, or based on an older version
    than ``expected_version``. Forms call it to refuse early; the save calls it under lock."""
    if current.archived_at is not None:
        raise _refuse_archived()
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(
            stale_message(current, expected_version, saving=True),
            seen_version=expected_version,
            current_version=current.version,
        )


def _carry_over_workflow_fields(article: Article, expected_version: int | None) -> str:
    """Lock the stored row, refuse a stale or archived save, and copy the workflow fields
    (which forms never carry) onto ``article``; returns the state before the save."""
    current = lock(article)
    ensure_editable(current, expected_version)
    article.version = current.version + 1
    article.state = current.state
    article.archived_at = current.archived_at
    article.last_reviewed, article.next_review_due = current.last_reviewed, current.next_review_due
    return current.state


def _withdraw_open_review(article: Article, user: AbstractBaseUser | None, from_state: str) -> None:
    # An approval keeps the time it was given (the dashboard's turnaround counts it); a
    # request still pending is closed now.
    withdrawn = article.reviews.filter(status__in=Review.OPEN_STATUSES).update(
        status=Review.Status.WITHDRAWN, decided_at=Coalesce("decided_at", Value(timezone.now()))
    )
    if withdrawn:
        audit(
            article,
            action="withdrawn",
            user=user,
            from_state=from_state,
            comment="The text changed after it was sent for review; a new review is needed.",
        )


def save_working_copy(
    *,
    article: Article,
    user: AbstractBaseUser | None,
    comment: str = "",
    expected_version: int | None = None,
    save_related: Callable[[Article], None] | None = None,
) -> Article:
    """Save the working copy as a new numbered version, withdrawing any open review.

    ``save_related`` saves many-to-many fields and references once the article row exists;
    it runs inside the same transaction and revision. When ``expected_version`` is given and
    someone saved since, nothing is written and :class:`StaleVersion` is raised. Archived
    articles are not edited. The version records the images it shows (``Article.images``),
    read from the media library now: its body's ``image:<id>`` and its lead image.
    """
    with transaction.atomic():
        if article.pk is not None:
            from_state = _carry_over_workflow_fields(article, expected_version)
        else:
            from_state = State.DRAFT
            article.version = 1
            article.state = State.DRAFT
            article.created_by = _acting_user(user)
        if not article.slug:
            article.slug = unique_article_slug(article.title, exclude_pk=article.pk)
        withdrawing = from_state in EDIT_WITHDRAWS
        if withdrawing:
            article.state = State.DRAFT
        article.images = build_manifest(article.body, article.lead_image_id)

        with reversion.create_revision(manage_manually=True):
            article.save()
            if save_related is not None:
                save_related(article)
            if article.created_by_id and article.version == 1 and not article.authors.exists():
                article.authors.add(article.created_by_id)
            # Added last so that the version follows the references as they now stand.
            reversion.add_to_revision(article)
            reversion.add_meta(ArticleRevision, article=article, version=article.version)
            reversion.set_user(_acting_user(user))
            reversion.set_comment(comment or f"Saved version {article.version}.")

        if withdrawing:
            _withdraw_open_review(article, user, from_state)
    return article


def _reference_values(stored: dict) -> dict:
    """A stored reference version's values, with blanks where a field was empty."""
    values = {name: stored.get(name) or "" for name in REFERENCE_CONTENT_FIELDS}
    values["year"] = stored.get("year")
    values["position"] = stored.get("position") or 1
    return values


def _copy_content(article: Article, fields: dict) -> dict[str, list]:
    """Set ``article``'s content fields to a stored version's ``fields``; returns the
    many-to-many ids to set once the row is saved. A slug another article took since, or a
    counterpart or lead image that no longer exists, is left empty. The images shown are not
    copied: the save works them out again from the library as it now stands. A translation
    gets back the source version that text matched."""
    related: dict[str, list] = {}
    for name in ARTICLE_EDITED_FIELDS:
        field = Article._meta.get_field(name)
        if field.many_to_many:
            related[name] = fields.get(name, [])
        elif field.is_relation:
            pk = fields.get(field.attname)
            exists = field.related_model.objects.filter(pk=pk).exists()
            setattr(article, field.attname, pk if exists else None)
        elif name == "slug":
            taken = Article.objects.filter(slug=fields["slug"]).exclude(pk=article.pk).exists()
            article.slug = "" if taken else fields["slug"]
        else:
            setattr(article, name, fields[name])
    # A translation's text goes with the source version it was translated from (never typed,
    # so not among the edited fields): restored text never claims a newer source version.
    if article.translation_of_id is not None and fields.get("source_version") is not None:
        article.source_version = fields["source_version"]
    return related


def restore_version(
    *,
    article: Article,
    number: int,
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> Article:
    """Copy version ``number``'s content into the working copy as a new version.

    Like any edit it withdraws an open review; the live page changes only when the restored
    text is approved and published again.
    """
    content = article_version_content(article, number)
    related = _copy_content(article, content.fields)

    def restore_related(saved: Article) -> None:
        for name, ids in related.items():
            manager = getattr(saved, name)
            manager.set(manager.model.objects.filter(pk__in=ids))
        saved.references.all().delete()
        Reference.objects.bulk_create(
            Reference(article=saved, **_reference_values(ref)) for ref in content.references
        )

    return save_working_copy(
        article=article,
        user=user,
        comment=f"Restored the content of version {number}.",
        expected_version=expected_version,
        save_related=restore_related,
    )
