"""Writes for topics, trials, webhook endpoints and reader feedback, and helpers the article
workflow shares.

Article working-copy saves go through ``reviews.workflow.save_working_copy`` because an edit
can withdraw a review; topics and trials have no workflow and are saved here, each write inside a
django-reversion revision carrying its user and comment. Webhook endpoints are not versioned.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import reversion
from anyascii import anyascii
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from reviews import notifications
from reviews.roles import is_editor

from . import ratelimit
from .models import Article, ClinicalTrial, Feedback, PublishedArticle, Topic, WebhookEndpoint
from .records import ProtectedRecord, ensure_unchanged
from .selectors import articles_naming_trials, feedback_assignees

SLUG_MAX_LENGTH = 200


def slug_base(title: str) -> str:
    """An ASCII slug for any title: accents and non-Latin scripts are transliterated."""
    base = slugify(anyascii(title or ""))[:SLUG_MAX_LENGTH].strip("-")
    return base or "article"


def unique_article_slug(title: str, *, exclude_pk: int | None = None) -> str:
    """The title's slug, with ``-2``, ``-3``… appended until no other article has it, as its
    working copy's slug or as the address of its live or scheduled page."""
    base = slug_base(title)
    taken = set(
        Article.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    ) | set(
        PublishedArticle.objects.open_at()
        .filter(slug__startswith=base)
        .exclude(article_id=exclude_pk)
        .values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    counter = 2
    while True:
        suffix = f"-{counter}"
        candidate = f"{base[: SLUG_MAX_LENGTH - len(suffix)]}{suffix}"
        if candidate not in taken:
            return candidate
        counter += 1


def save_versioned(
    *,
    record: Topic | ClinicalTrial,
    user: AbstractBaseUser | None,
    comment: str,
    expected_updated_at: datetime.datetime | None = None,
) -> Topic | ClinicalTrial:
    """Validate and save a topic or a trial as a new version with its user and comment.

    With ``expected_updated_at`` (when the client read the record), a record changed since
    is not saved: ``records.StaleRecord``."""
    record.full_clean()
    with transaction.atomic(), reversion.create_revision():
        ensure_unchanged(record, expected_updated_at)
        record.save()
        reversion.set_user(user)
        reversion.set_comment(comment)
    return record


def save_topic(
    *,
    topic: Topic,
    user: AbstractBaseUser | None,
    comment: str = "Saved topic.",
    expected_updated_at: datetime.datetime | None = None,
) -> Topic:
    """Validate and save a topic as a new version."""
    return save_versioned(
        record=topic, user=user, comment=comment, expected_updated_at=expected_updated_at
    )


def save_trial(
    *,
    trial: ClinicalTrial,
    user: AbstractBaseUser | None,
    comment: str = "Saved trial.",
    expected_updated_at: datetime.datetime | None = None,
) -> ClinicalTrial:
    """Validate and save a clinical trial as a new version."""
    return save_versioned(
        record=trial, user=user, comment=comment, expected_updated_at=expected_updated_at
    )


def _titles(titles: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(f"“{title}”" for title in titles[:limit])
    more = len(titles) - limit
    return f"{shown} and {more} more" if more > 0 else shown


def delete_topic(
    *,
    topic: Topic,
    user: AbstractBaseUser | None,
    expected_updated_at: datetime.datetime | None = None,
) -> None:
    """Delete a topic that nothing uses: not one with sub-topics, nor one that an article
    (working copy, archived ones included) or a published page is listed under (every article
    needs a topic, and published pages keep theirs). Raises ``records.ProtectedRecord``."""
    with transaction.atomic():
        ensure_unchanged(topic, expected_updated_at)
        children = list(topic.children.values_list("name", flat=True))
        if children:
            raise ProtectedRecord(
                f"This topic has sub-topics ({_titles(children)}): move or delete them first."
            )
        titles = list(
            Article.objects.filter(Q(topics=topic) | Q(snapshots__topics=topic))
            .order_by("title")
            .values_list("title", flat=True)
            .distinct()
        )
        if titles:
            raise ProtectedRecord(
                f"Articles are listed under this topic ({_titles(titles)}): move them to "
                "another topic first."
            )
        topic.delete()


def delete_trial(
    *,
    trial: ClinicalTrial,
    user: AbstractBaseUser | None,
    expected_updated_at: datetime.datetime | None = None,
) -> None:
    """Delete a trial, unless it is protected as in the admin: one that any version of an
    article names (``selectors.articles_naming_trials``: deleting it would change approved,
    published content behind its sign-off) or one with changes recorded by a sync (the
    evidence behind "evidence changed" flags). Raises ``records.ProtectedRecord``."""
    with transaction.atomic():
        ensure_unchanged(trial, expected_updated_at)
        citing = articles_naming_trials([trial.pk])
        if citing:
            raise ProtectedRecord(f"Articles cite this trial ({_titles(citing)}).")
        if trial.changes.exists():
            raise ProtectedRecord(
                "The sync recorded changes to this trial: they are the evidence behind the "
                "articles' evidence-changed flags, so the trial is kept."
            )
        trial.delete()


def save_webhook_endpoint(
    *, endpoint: WebhookEndpoint, user: AbstractBaseUser | None
) -> WebhookEndpoint:
    """Validate and save a partner's webhook endpoint; ``user`` is recorded as who registered it.

    Validation refuses URLs that are, or resolve to, loopback, private, link-local or other
    non-public addresses (``WebhookEndpoint.clean``).
    """
    if endpoint.pk is None and endpoint.created_by_id is None:
        endpoint.created_by = user
    endpoint.full_clean()
    endpoint.save()
    return endpoint


def topics_by_slug(slugs: Iterable[str]) -> tuple[list[Topic], list[str]]:
    """The topics with these slugs, and the slugs that matched none."""
    wanted = list(dict.fromkeys(slugs))
    found = {topic.slug: topic for topic in Topic.objects.filter(slug__in=wanted)}
    return [found[slug] for slug in wanted if slug in found], [s for s in wanted if s not in found]


FEEDBACK_LIMIT = 5
FEEDBACK_WINDOW_SECONDS = 600
FEEDBACK_NOTES_MAX_LENGTH = 10_000
# What an editor may change on a reader's feedback; what the reader typed stays as it was.
TRIAGE_FIELDS = ("status", "assignee", "notes", "clinical_concern")


class RateLimited(Exception):
    """Too many submissions from one client; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many submissions; try again in {retry_after} seconds.")
        self.retry_after = retry_after


def record_feedback(
    *,
    snapshot: PublishedArticle,
    helpful: bool,
    comment: str,
    client_key: str,
    clinical_concern: bool = False,
) -> Feedback:
    """Store a reader's feedback, at most FEEDBACK_LIMIT per client per window, and e-mail
    the editors after commit (and the article's reviewer of record for a clinical concern).

    ``client_key`` (the client's address) is only counted, as a keyed hash
    (``ratelimit.private_key``); the row holds what the reader typed and nothing else.
    """
    wait = ratelimit.hit(f"feedback:{client_key}", FEEDBACK_LIMIT, FEEDBACK_WINDOW_SECONDS)
    if wait is not None:
        raise RateLimited(wait)
    with transaction.atomic():
        feedback = Feedback.objects.create(
            article_id=snapshot.article_id,
            version=snapshot.version,
            helpful=helpful,
            comment=comment.strip()[:2000],
            clinical_concern=clinical_concern,
        )
        transaction.on_commit(lambda: notifications.feedback_received(feedback))
    return feedback


class FeedbackTriageError(Exception):
    """A triage change refused: ``field`` names the input, ``index`` the item of a batch."""

    def __init__(self, message: str, *, field: str | None = None, index: int | None = None):
        super().__init__(message)
        self.message, self.field, self.index = message, field, index


class FeedbackTriageForbidden(FeedbackTriageError):
    """The user may read feedback but not change it (only editors triage)."""


class FeedbackNotFound(FeedbackTriageError):
    """A batch names a feedback id that does not exist."""


def can_read_feedback(user: AbstractBaseUser | None) -> bool:
    """Editors and clinical reviewers (their groups hold ``view_feedback``) read feedback."""
    return bool(
        user is not None
        and user.is_active
        and (user.has_perm("articles.view_feedback") or user.has_perm("articles.change_feedback"))
    )


def can_triage_feedback(user: AbstractBaseUser | None) -> bool:
    """Only editors (and superusers) change feedback's status, assignee, notes and flag."""
    return is_editor(user) and user.has_perm("articles.change_feedback")


def check_feedback_changes(
    *, feedback: Feedback, user: AbstractBaseUser | None, changes: Mapping[str, Any]
) -> dict[str, Any]:
    """The ``changes`` that differ from ``feedback``, validated; raise FeedbackTriageError
    naming the field otherwise. ``assignee`` is a user or None; a new one must be an active
    staff member who is an editor or a clinical reviewer."""
    if not can_triage_feedback(user):
        raise FeedbackTriageForbidden("Only editors may change reader feedback.")
    unknown = sorted(set(changes) - set(TRIAGE_FIELDS))
    if unknown:
        raise FeedbackTriageError(
            "This field cannot be changed: it is what the reader sent.", field=unknown[0]
        )
    changed: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "assignee":
            if (value.pk if value is not None else None) == feedback.assignee_id:
                continue
        elif getattr(feedback, name) == value:
            continue
        changed[name] = value
    if "status" in changed and changed["status"] not in Feedback.Status.values:
        raise FeedbackTriageError(
            f"Choose one of: {', '.join(Feedback.Status.values)}.", field="status"
        )
    if "clinical_concern" in changed and not isinstance(changed["clinical_concern"], bool):
        raise FeedbackTriageError("Must be true or false.", field="clinical_concern")
    if "notes" in changed:
        if not isinstance(changed["notes"], str):
            raise FeedbackTriageError("Must be text.", field="notes")
        if len(changed["notes"]) > FEEDBACK_NOTES_MAX_LENGTH:
            raise FeedbackTriageError(
                f"At most {FEEDBACK_NOTES_MAX_LENGTH} characters.", field="notes"
            )
    assignee = changed.get("assignee")
    if assignee is not None and not feedback_assignees().filter(pk=assignee.pk).exists():
        raise FeedbackTriageError(
            "Assign feedback to an active staff member who is an editor or a clinical reviewer.",
            field="assignee",
        )
    return changed


def _apply_triage(feedback: Feedback, changed: Mapping[str, Any]) -> None:
    if not changed:
        return
    newly_concerning = changed.get("clinical_concern") is True and not feedback.clinical_concern
    for name, value in changed.items():
        setattr(feedback, name, value)
    feedback.save(update_fields=[*changed, "updated_at"])
    if newly_concerning:
        transaction.on_commit(lambda: notifications.clinical_concern_raised(feedback))


def triage_feedback(
    *, feedback: Feedback, user: AbstractBaseUser | None, **changes: Any
) -> Feedback:
    """Change an item of reader feedback as an editor: any of ``status``, ``assignee`` (a
    user or None), ``notes``, ``clinical_concern``. Validated by ``check_feedback_changes``
    against the row as it stands under a lock; when the clinical-concern flag is newly set,
    the article's reviewer of record is e-mailed after commit (once per flag)."""
    return triage_feedback_batch(user=user, items=[(feedback.pk, changes)])[0]


def triage_feedback_batch(
    *, user: AbstractBaseUser | None, items: Sequence[tuple[int, Mapping[str, Any]]]
) -> list[Feedback]:
    """Apply ``(feedback id, changes)`` items all or nothing, in one transaction. A refusal
    raises FeedbackTriageError (FeedbackNotFound for an unknown id) with the item's index."""
    if not can_triage_feedback(user):
        raise FeedbackTriageForbidden("Only editors may change reader feedback.")
    with transaction.atomic():
        rows = Feedback.objects.select_for_update().in_bulk([pk for pk, _ in items])
        checked, seen = [], set()
        for index, (pk, changes) in enumerate(items):
            feedback = rows.get(pk)
            if feedback is None:
                raise FeedbackNotFound(f"No feedback with id {pk}.", field="id", index=index)
            if pk in seen:
                raise FeedbackTriageError(
                    f"Feedback {pk} is named twice; send its changes once.", field="id", index=index
                )
            seen.add(pk)
            try:
                checked.append(
                    (
                        feedback,
                        check_feedback_changes(feedback=feedback, user=user, changes=changes),
                    )
                )
            except FeedbackTriageError as error:
                error.index = index
                raise
        for feedback, changed in checked:
            _apply_triage(feedback, changed)
    return [feedback for feedback, _ in checked]
