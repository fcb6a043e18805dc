"""The review-and-publish state machine: the only code that changes an article's workflow state,
its reviews or its live snapshot.

The admin, the editorial API and management commands all call these services. Each one is a
single transaction that locks the article row, checks the state, the user's role and separation
of duties, writes the change with an audit entry, and sends notifications after commit.

States of the working copy, and the moves between them:

=================  ==========================  ===================  ========================
action             from                        to                   who
=================  ==========================  ===================  ========================
edit (any save)    any                         draft if in_review   anyone who may edit;
                                               or approved, else    withdraws the open review
                                               unchanged
submit             draft, changes_requested    in_review            an author, writer, editor
approve            in_review                   approved             clinical reviewer with a
                                                                    profile, not an author or
                                                                    editor since last live
request_changes    in_review                   changes_requested    clinical reviewer (same)
publish            approved (not yet live)     approved, live       editor
unpublish          live or scheduled           (state unchanged)    editor
=================  ==========================  ===================  ========================
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import notifications
from .models import AuditEntry, Review, ReviewComment

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from articles.models import Article, PublishedArticle


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"


class Action(models.TextChoices):
    SUBMIT = "submit", "Submit for review"
    APPROVE = "approve", "Approve"
    REQUEST_CHANGES = "request_changes", "Request changes"
    PUBLISH = "publish", "Publish"
    UNPUBLISH = "unpublish", "Unpublish"


class Role(models.TextChoices):
    AUTHOR_WRITER_OR_EDITOR = "author_writer_editor", "an author, writer or editor"
    CLINICAL_REVIEWER = "clinical_reviewer", "a clinical reviewer with a reviewer profile"
    EDITOR = "editor", "an editor"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: the working-copy state does not change
    role: Role
    needs_live: bool = False


TRANSITIONS: dict[str, Transition] = {
    Action.SUBMIT: Transition(
        frozenset({State.DRAFT, State.CHANGES_REQUESTED}),
        State.IN_REVIEW,
        Role.AUTHOR_WRITER_OR_EDITOR,
    ),
    Action.APPROVE: Transition(
        frozenset({State.IN_REVIEW}), State.APPROVED, Role.CLINICAL_REVIEWER
    ),
    Action.REQUEST_CHANGES: Transition(
        frozenset({State.IN_REVIEW}), State.CHANGES_REQUESTED, Role.CLINICAL_REVIEWER
    ),
    Action.PUBLISH: Transition(frozenset({State.APPROVED}), None, Role.EDITOR),
    Action.UNPUBLISH: Transition(frozenset(State.values), None, Role.EDITOR, needs_live=True),
}

EDIT_WITHDRAWS = frozenset({State.IN_REVIEW, State.APPROVED})


class WorkflowError(Exception):
    """Base of the workflow's refusals; ``field`` names the input at fault, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class TransitionNotAllowed(WorkflowError):
    """The article's state does not allow this move (HTTP 409)."""


class ActionForbidden(WorkflowError):
    """This user may not make this move (HTTP 403)."""


class InvalidInput(WorkflowError):
    """A required input is missing or wrong (HTTP 400)."""


class StaleVersion(WorkflowError):
    """Someone saved the article since this edit began (HTTP 412)."""


# Roles -----------------------------------------------------------------------------------------


def _in_group(user: AbstractBaseUser | None, group_name: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    cache = getattr(user, "_group_names_cache", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._group_names_cache = cache
    return group_name in cache


def is_writer(user: AbstractBaseUser | None) -> bool:
    return _in_group(user, settings.WRITERS_GROUP)


def is_editor(user: AbstractBaseUser | None) -> bool:
    return bool(user and user.is_active and user.is_superuser) or _in_group(
        user, settings.EDITORS_GROUP
    )


def is_clinical_reviewer(user: AbstractBaseUser | None) -> bool:
    if not _in_group(user, settings.REVIEWERS_GROUP):
        return False
    return hasattr(user, "reviewer_profile")


def _has_role(user: AbstractBaseUser | None, role: Role, article: Article) -> bool:
    if role == Role.EDITOR:
        return is_editor(user)
    if role == Role.CLINICAL_REVIEWER:
        return is_clinical_reviewer(user)
    return (
        is_writer(user)
        or is_editor(user)
        or (user is not None and article.authors.filter(pk=user.pk).exists())
    )


def live_snapshot(article: Article, at: datetime.datetime | None = None) -> PublishedArticle | None:
    """The snapshot readers see now, if the article is live."""
    return article.snapshots.live(at).first()


def open_snapshot(article: Article) -> PublishedArticle | None:
    """The newest snapshot that is live or scheduled to go live."""
    now = timezone.now()
    return (
        article.snapshots.filter(models.Q(live_until__isnull=True) | models.Q(live_until__gt=now))
        .order_by("-go_live_at")
        .first()
    )


def last_live_version(article: Article) -> int:
    """The newest version that has ever been live or scheduled (0 if none)."""
    latest = article.snapshots.order_by("-version").values_list("version", flat=True).first()
    return latest or 0


def contributors_since_last_live(article: Article) -> set[int]:
    """Users who saved any version after the last published one, plus the byline authors."""
    since = last_live_version(article)
    editors = article.revisions.filter(version__gt=since).values_list(
        "revision__user_id", flat=True
    )
    authors = article.authors.values_list("pk", flat=True)
    return {pk for pk in [*editors, *authors] if pk is not None}


def check(action: str, user: AbstractBaseUser | None, article: Article) -> None:
    """Raise the workflow error that would stop ``user`` doing ``action`` now, if any."""
    transition = TRANSITIONS[action]
    label = Action(action).label.lower()
    if not _has_role(user, transition.role, article):
        raise ActionForbidden(f"Only {transition.role.label} may {label} an article.")
    if article.state not in transition.sources:
        raise TransitionNotAllowed(
            f"Cannot {label} an article that is {State(article.state).label.lower()}."
        )
    if transition.needs_live and open_snapshot(article) is None:
        raise TransitionNotAllowed("Cannot unpublish an article that is not published.")
    # Any snapshot counts, unpublished ones too: its review is used up, so publishing the same
    # version again would have no approval to publish.
    if action == Action.PUBLISH and article.snapshots.filter(version=article.version).exists():
        raise TransitionNotAllowed(
            f"Version {article.version} has already been published; edit the article and have "
            "the new version approved to publish again."
        )
    if transition.role == Role.CLINICAL_REVIEWER and user.pk in contributors_since_last_live(
        article
    ):
        raise ActionForbidden(
            "You wrote or edited this article since it was last published, so another "
            "clinician must review it: nobody approves their own writing."
        )


def allowed_actions(user: AbstractBaseUser | None, article: Article) -> list[str]:
    """The actions ``user`` may take on ``article`` now, for buttons and API hints."""
    allowed = []
    for action in TRANSITIONS:
        try:
            check(action, user, article)
        except WorkflowError:
            continue
        allowed.append(action)
    return allowed


def needs_review_by(user: AbstractBaseUser | None, queryset: models.QuerySet) -> models.QuerySet:
    """Articles in ``queryset`` awaiting review that ``user`` may review (not their writing)."""
    from articles.models import ArticleRevision, PublishedArticle

    if not is_clinical_reviewer(user):
        return queryset.none()
    last_live = (
        PublishedArticle.objects.filter(article=models.OuterRef("pk"))
        .order_by("-version")
        .values("version")[:1]
    )
    edited_since_live = ArticleRevision.objects.filter(
        article=models.OuterRef("pk"),
        revision__user=user,
        version__gt=models.OuterRef("last_live_version"),
    )
    return (
        queryset.filter(state=State.IN_REVIEW)
        .annotate(last_live_version=Coalesce(models.Subquery(last_live), 0))
        .exclude(models.Exists(edited_since_live))
        .exclude(authors=user)
    )


def review_baseline_version(article: Article) -> int | None:
    """What a reviewer compares against: the live version, else the last approved one."""
    snapshot = live_snapshot(article)
    if snapshot is not None:
        return snapshot.version
    return (
        article.reviews.filter(status__in=[Review.Status.APPROVED, Review.Status.PUBLISHED])
        .exclude(version=article.version)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )


# Writes ----------------------------------------------------------------------------------------


def _audit(
    article: Article,
    *,
    action: str,
    user: AbstractBaseUser | None,
    from_state: str,
    comment: str = "",
    at: datetime.datetime | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        article=article,
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        at=at or timezone.now(),
        version=article.version,
        from_state=from_state,
        to_state=article.state,
        comment=comment,
    )


def _lock(article: Article) -> Article:
    """Re-read the article row under a lock; the caller's copy may be stale."""
    return type(article).objects.select_for_update().get(pk=article.pk)


def _open_review(article: Article) -> Review | None:
    return article.reviews.filter(status__in=Review.OPEN_STATUSES).first()


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
    someone saved since, nothing is written and :class:`StaleVersion` is raised.
    """
    from articles.models import ArticleRevision
    from articles.services import unique_article_slug

    with transaction.atomic():
        from_state = State.DRAFT
        if article.pk is not None:
            current = _lock(article)
            if expected_version is not None and current.version != expected_version:
                raise StaleVersion(
                    f"Someone saved this article (now version {current.version}) after you "
                    f"opened version {expected_version}. Your text was not saved: compare it "
                    "with the latest version and save again.",
                    field="version",
                )
            article.version = current.version + 1
            from_state = current.state
            article.state = current.state
            article.last_reviewed, article.next_review_due = (
                current.last_reviewed,
                current.next_review_due,
            )
        else:
            article.version = 1
            article.state = State.DRAFT
            article.created_by = user if user is not None and user.is_authenticated else None
        if not article.slug:
            article.slug = unique_article_slug(article.title, exclude_pk=article.pk)
        withdrawing = from_state in EDIT_WITHDRAWS
        if withdrawing:
            article.state = State.DRAFT

        with reversion.create_revision(manage_manually=True):
            article.save()
            if save_related is not None:
                save_related(article)
            if article.created_by_id and article.version == 1 and not article.authors.exists():
                article.authors.add(article.created_by_id)
            # Added last so that the version follows the references as they now stand.
            reversion.add_to_revision(article)
            reversion.add_meta(ArticleRevision, article=article, version=article.version)
            reversion.set_user(user if user is not None and user.is_authenticated else None)
            reversion.set_comment(comment or f"Saved version {article.version}.")

        withdrawn = withdrawing and article.reviews.filter(status__in=Review.OPEN_STATUSES).update(
            status=Review.Status.WITHDRAWN, decided_at=timezone.now()
        )
        if withdrawn:
            _audit(
                article,
                action="withdrawn",
                user=user,
                from_state=from_state,
                comment="The text changed after it was sent for review; a new review is needed.",
            )
    return article


def submit(*, article: Article, user: AbstractBaseUser, comment: str = "") -> Article:
    """Send the exact current version for clinical review."""
    with transaction.atomic():
        article = _lock(article)
        check(Action.SUBMIT, user, article)
        from_state = article.state
        now = timezone.now()
        Review.objects.create(
            article=article, version=article.version, submitted_by=user, submitted_at=now
        )
        article.state = State.IN_REVIEW
        article.save(update_fields=["state", "updated_at"])
        _audit(article, action=Action.SUBMIT, user=user, from_state=from_state, comment=comment)
        ineligible = contributors_since_last_live(article)
        transaction.on_commit(lambda: notifications.review_requested(article, ineligible))
    return article


def _decide(
    *, article: Article, user: AbstractBaseUser, action: str, status: str, comment: str
) -> Article:
    with transaction.atomic():
        article = _lock(article)
        check(action, user, article)
        review = _open_review(article)
        from_state = article.state
        now = timezone.now()
        review.status = status
        review.reviewer = user
        review.reviewer_byline = user.reviewer_profile.as_byline()
        review.decided_at = now
        review.comment = comment
        review.save()
        article.state = TRANSITIONS[action].target
        article.save(update_fields=["state", "updated_at"])
        _audit(article, action=action, user=user, from_state=from_state, comment=comment, at=now)
        transaction.on_commit(lambda: notifications.review_decided(article, review))
    return article


def approve(*, article: Article, user: AbstractBaseUser, comment: str = "") -> Article:
    """A clinical reviewer approves the exact version under review."""
    return _decide(
        article=article,
        user=user,
        action=Action.APPROVE,
        status=Review.Status.APPROVED,
        comment=(comment or "").strip(),
    )


def request_changes(*, article: Article, user: AbstractBaseUser, comment: str) -> Article:
    """A clinical reviewer sends the version back to the writers with a required comment."""
    comment = (comment or "").strip()
    if not comment:
        # Checked after the role so a writer still learns they may not review at all.
        with transaction.atomic():
            check(Action.REQUEST_CHANGES, user, _lock(article))
        raise InvalidInput("Say what needs to change: a comment is required.", field="comment")
    return _decide(
        article=article,
        user=user,
        action=Action.REQUEST_CHANGES,
        status=Review.Status.CHANGES_REQUESTED,
        comment=comment,
    )


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in range(day.day, 0, -1):
        try:
            return day.replace(year=year, month=month, day=candidate_day)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 1 always exists


def publish(
    *,
    article: Article,
    user: AbstractBaseUser,
    publish_at: datetime.datetime | None = None,
    change_note: str = "",
) -> Article:
    """Make the approved version live now, or schedule it for ``publish_at``.

    The snapshot is rendered from the approved version (the working copy cannot have changed
    since approval: any edit withdraws it). A scheduled snapshot closes the previous one's
    interval at its go-live time, so readers switch over then with no background job.
    """
    from articles import caching, webhooks
    from articles.snapshots import build_snapshot

    change_note = (change_note or "").strip()
    with transaction.atomic():
        article = _lock(article)
        check(Action.PUBLISH, user, article)
        now = timezone.now()
        go_live_at = publish_at or now
        if publish_at is not None and publish_at < now - datetime.timedelta(minutes=1):
            raise InvalidInput("The publication time is in the past.", field="publish_at")
        previous = article.snapshots.order_by("-go_live_at").first()
        if previous is not None and not change_note:
            raise InvalidInput(
                "Describe what changed: every publication after the first needs a public "
                "change note for the article's change log.",
                field="change_note",
            )
        review = article.reviews.get(status=Review.Status.APPROVED)
        if review.version != article.version:
            raise TransitionNotAllowed("The approved version is not the current version.")
        last_reviewed = timezone.localdate(review.decided_at)
        article.last_reviewed = last_reviewed
        article.next_review_due = add_months(last_reviewed, article.review_interval_months)
        # Close every interval still open at the new go-live time; drop later schedules.
        for snapshot in article.snapshots.filter(
            models.Q(live_until__isnull=True) | models.Q(live_until__gt=go_live_at)
        ):
            snapshot.live_until = max(go_live_at, snapshot.go_live_at)
            snapshot.save(update_fields=["live_until"])
        first = article.snapshots.order_by("go_live_at").first()
        build_snapshot(
            article=article,
            review=review,
            user=user,
            go_live_at=go_live_at,
            # A first publication that was scheduled and then superseded never went live.
            first_published_at=min(first.first_published_at, go_live_at) if first else go_live_at,
            change_note=change_note or "First published.",
        )
        webhooks.enqueue(
            webhooks.publication_event_type(article, go_live_at=go_live_at),
            article,
            deliver_after=go_live_at,
        )
        caching.invalidate()
        review.status = Review.Status.PUBLISHED
        review.save(update_fields=["status"])
        article.save(update_fields=["last_reviewed", "next_review_due", "updated_at"])
        note = (
            change_note
            if publish_at is None
            else f"Scheduled for {go_live_at:%Y-%m-%d %H:%M %Z}. {change_note}"
        )
        _audit(
            article,
            action=Action.PUBLISH,
            user=user,
            from_state=article.state,
            comment=note.strip(),
        )
    return article


def unpublish(*, article: Article, user: AbstractBaseUser, reason: str) -> Article:
    """Take the article off the site and the API now; its history stays."""
    from articles import caching, webhooks

    reason = (reason or "").strip()
    with transaction.atomic():
        article = _lock(article)
        check(Action.UNPUBLISH, user, article)
        if not reason:
            raise InvalidInput("Give a reason for unpublishing.", field="reason")
        now = timezone.now()
        for snapshot in article.snapshots.filter(
            models.Q(live_until__isnull=True) | models.Q(live_until__gt=now)
        ):
            snapshot.live_until = max(now, snapshot.go_live_at)
            snapshot.save(update_fields=["live_until"])
        webhooks.enqueue("article.unpublished", article, deliver_after=now)
        caching.invalidate()
        _audit(
            article, action=Action.UNPUBLISH, user=user, from_state=article.state, comment=reason
        )
    return article


def add_review_comment(*, article: Article, user: AbstractBaseUser, body: str) -> ReviewComment:
    """Add a message to the discussion of the article's latest review."""
    body = (body or "").strip()
    if not body:
        raise InvalidInput("Write a comment first.", field="body")
    review = article.reviews.order_by("-submitted_at", "-pk").first()
    if review is None:
        raise TransitionNotAllowed("The article has not been sent for review yet.")
    with transaction.atomic():
        comment = ReviewComment.objects.create(review=review, author=user, body=body)
        _audit(article, action="comment", user=user, from_state=article.state, comment=body)
    return comment


TRANSITION_SERVICES: dict[str, Callable[..., Article]] = {
    Action.SUBMIT: submit,
    Action.APPROVE: approve,
    Action.REQUEST_CHANGES: request_changes,
    Action.PUBLISH: publish,
    Action.UNPUBLISH: unpublish,
}


RESTORED_FIELDS = ("title", "summary", "body", "audience", "language", "review_interval_months")
REFERENCE_FIELDS = (
    "position", "authors", "title", "journal", "year", "volume", "issue", "pages", "pmid",
    "doi", "nct_id", "url", "evidence_level",
)  # fmt: skip


def _reference_values(stored: dict) -> dict:
    """A stored reference version's values, with blanks where a field was empty."""
    values = {name: stored.get(name) or "" for name in REFERENCE_FIELDS}
    values["year"] = stored.get("year")
    values["position"] = stored.get("position") or 1
    return values


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
    from articles.models import Article as ArticleModel
    from articles.models import ClinicalTrial, Reference, Topic
    from articles.selectors import article_version_content

    content = article_version_content(article, number)
    fields = content.fields
    for name in RESTORED_FIELDS:
        setattr(article, name, fields[name])
    slug_taken = ArticleModel.objects.filter(slug=fields["slug"]).exclude(pk=article.pk).exists()
    article.slug = "" if slug_taken else fields["slug"]
    counterpart_id = fields.get("counterpart_id")
    article.counterpart_id = (
        counterpart_id if ArticleModel.objects.filter(pk=counterpart_id).exists() else None
    )

    def restore_related(saved: Article) -> None:
        saved.topics.set(Topic.objects.filter(pk__in=fields.get("topics", [])))
        saved.authors.set(get_user_model().objects.filter(pk__in=fields.get("authors", [])))
        saved.related_trials.set(
            ClinicalTrial.objects.filter(pk__in=fields.get("related_trials", []))
        )
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


def _may_archive(user: AbstractBaseUser | None, article: Article) -> bool:
    """Editors archive anything; a writer may archive their own never-published draft."""
    if is_editor(user):
        return True
    never_published = not article.snapshots.exists()
    return never_published and user is not None and article.authors.filter(pk=user.pk).exists()


def archive(*, article: Article, user: AbstractBaseUser, reason: str) -> Article:
    """Take an article out of use instead of deleting it: it leaves the site and the working
    lists, keeps its whole history, and can be restored."""
    reason = (reason or "").strip()
    with transaction.atomic():
        article = _lock(article)
        if not _may_archive(user, article):
            raise ActionForbidden(
                "Only an editor may archive a published article; writers may archive their own "
                "unpublished drafts."
            )
        if article.archived_at is not None:
            raise TransitionNotAllowed("The article is already archived.")
        if not reason:
            raise InvalidInput("Give a reason for archiving.", field="reason")
        if open_snapshot(article) is not None:
            unpublish(article=article, user=user, reason=f"Archived: {reason}")
            article = _lock(article)
        now = timezone.now()
        article.reviews.filter(status__in=Review.OPEN_STATUSES).update(
            status=Review.Status.WITHDRAWN, decided_at=now
        )
        from_state = article.state
        article.archived_at = now
        article.state = State.DRAFT
        article.save(update_fields=["archived_at", "state", "updated_at"])
        _audit(article, action="archive", user=user, from_state=from_state, comment=reason)
    return article


def unarchive(*, article: Article, user: AbstractBaseUser) -> Article:
    """Bring an archived article back as a draft; publishing it again needs a new review."""
    with transaction.atomic():
        article = _lock(article)
        if not is_editor(user):
            raise ActionForbidden("Only an editor may restore an archived article.")
        if article.archived_at is None:
            raise TransitionNotAllowed("The article is not archived.")
        article.archived_at = None
        article.save(update_fields=["archived_at", "updated_at"])
        _audit(article, action="unarchive", user=user, from_state=article.state)
    return article
