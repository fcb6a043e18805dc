"""Clinical review: sending a version for review, deciding on it, and the discussion."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from articles import caching, edge, snapshots, webhooks
from articles.choices import WebhookEventType
from articles.models import Article
from articles.snapshots import article_digest

from .. import evidence, notifications, quality
from ..models import Review, ReviewComment
from ..selectors import contributors_since_last_live, latest_review, live_snapshot, open_review
from ..states import TRANSITIONS, Action, State
from .common import Seen, audit, ensure_quality_gates, ensure_seen, lock
from .errors import InvalidInput, TransitionNotAllowed
from .permissions import check
from .publishing import add_months

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def submit(
    *, article: Article, user: AbstractBaseUser, comment: str = "", seen: Seen | None = None
) -> Article:
    """Send the exact current version for clinical review."""
    comment = (comment or "").strip()
    with transaction.atomic():
        article = lock(article)
        ensure_seen(article, seen)
        check(Action.SUBMIT, user, article, {"comment": comment})
        ensure_quality_gates(article)
        from_state = article.state
        Review.objects.create(
            article=article, version=article.version, submitted_by=user, submitted_at=timezone.now()
        )
        article.state = TRANSITIONS[Action.SUBMIT].target
        article.save(update_fields=["state", "updated_at"])
        audit(article, action=Action.SUBMIT, user=user, from_state=from_state, comment=comment)
        ineligible = contributors_since_last_live(article)
        transaction.on_commit(lambda: notifications.review_requested(article, ineligible))
    return article


def _audit_comment(comment: str, override_reason: str, considered: str = "") -> str:
    """The decision's comment, then the override reason and the trial changes considered."""
    override = f"Override of plain-language warnings: {override_reason}" if override_reason else ""
    return "\n".join(line for line in (comment, override, considered) if line)


def _decide(
    *,
    article: Article,
    user: AbstractBaseUser,
    action: str,
    status: str,
    comment: str,
    seen: Seen | None,
    override_reason: str = "",
) -> Article:
    """Record a clinical reviewer's decision on the exact version and content they read."""
    comment = (comment or "").strip()
    override_reason = (override_reason or "").strip()
    with transaction.atomic():
        article = lock(article)
        digest = article_digest(article)
        ensure_seen(article, seen, current_digest=digest)
        check(action, user, article, {"comment": comment, "override_reason": override_reason})
        if action == Action.APPROVE:
            ensure_quality_gates(article)
        warnings = quality.warnings(article)
        review = open_review(article)
        from_state = article.state
        now = timezone.now()
        review.status = status
        review.reviewer = user
        review.reviewer_byline = user.reviewer_profile.as_byline()
        review.reviewer_languages = list(user.reviewer_profile.languages or [])
        review.decided_at = now
        review.comment = comment
        review.quality_warnings = warnings
        review.override_reason = override_reason if warnings else ""
        review.digest = digest
        review.save()
        article.state = TRANSITIONS[action].target
        article.save(update_fields=["state", "updated_at"])
        # An approval clears the "evidence changed" flags; a request for changes keeps them.
        considered = evidence.clear_flags(article, review) if action == Action.APPROVE else ""
        audit(
            article,
            action=action,
            user=user,
            from_state=from_state,
            comment=_audit_comment(comment, review.override_reason, considered),
            at=now,
            digest=digest,
        )
        transaction.on_commit(lambda: notifications.review_decided(article, review))
    return article


def approve(
    *,
    article: Article,
    user: AbstractBaseUser,
    comment: str = "",
    override_reason: str = "",
    seen: Seen | None = None,
) -> Article:
    """A clinical reviewer approves the exact version under review, bound to its digest. A
    version with plain-language warnings needs ``override_reason``."""
    return _decide(
        article=article,
        user=user,
        action=Action.APPROVE,
        status=Review.Status.APPROVED,
        comment=comment,
        override_reason=override_reason,
        seen=seen,
    )


def request_changes(
    *, article: Article, user: AbstractBaseUser, comment: str, seen: Seen | None = None
) -> Article:
    """A clinical reviewer sends the version back to the writers with a required comment."""
    return _decide(
        article=article,
        user=user,
        action=Action.REQUEST_CHANGES,
        status=Review.Status.CHANGES_REQUESTED,
        comment=comment,
        seen=seen,
    )


def confirm_current(
    *,
    article: Article,
    user: AbstractBaseUser,
    comment: str = "",
    override_reason: str = "",
    seen: Seen | None = None,
) -> Article:
    """A clinical reviewer confirms that the live content is still accurate, with no edit.

    Records a review of the live version bound to its digest, signs the live page with the
    reviewer and today's date, and moves the next review date on by the review interval. No
    new version is saved. The working copy must be the live version, rendering exactly as the
    live page does (a changed counterpart, say, needs a real review).
    """
    comment = (comment or "").strip()
    override_reason = (override_reason or "").strip()
    with transaction.atomic():
        article = lock(article)
        content = snapshots.reader_content(article)
        ensure_seen(article, seen, current_digest=snapshots.content_digest(content))
        inputs = {"comment": comment, "override_reason": override_reason}
        check(Action.CONFIRM_CURRENT, user, article, inputs)
        live = live_snapshot(article)
        if snapshots.digest_format(content, live.digest) is None:
            raise TransitionNotAllowed(
                "What readers see differs from the working copy as it now renders (for example "
                "its counterpart article changed): send it for review instead."
            )
        # The confirmation signs the live page's digest (of the format it was published in).
        digest = live.digest
        ensure_quality_gates(article)
        warnings = quality.warnings(article)
        now = timezone.now()
        byline = user.reviewer_profile.as_byline()
        review = Review.objects.create(
            article=article,
            version=article.version,
            status=Review.Status.CONFIRMED,
            submitted_by=user,
            submitted_at=now,
            reviewer=user,
            reviewer_byline=byline,
            reviewer_languages=list(user.reviewer_profile.languages or []),
            decided_at=now,
            comment=comment,
            quality_warnings=warnings,
            override_reason=override_reason if warnings else "",
            digest=digest,
        )
        article.last_reviewed = timezone.localdate(now)
        article.next_review_due = add_months(article.last_reviewed, article.review_interval_months)
        article.save(update_fields=["last_reviewed", "next_review_due", "updated_at"])
        snapshots.sign_live_snapshot(live, byline=byline, reviewed_at=now, article=article)
        webhooks.enqueue(WebhookEventType.UPDATED, article, deliver_after=now)
        caching.invalidate(edge.article_changed_keys(article.pk))
        considered = evidence.clear_flags(article, review)
        audit(
            article,
            action=Action.CONFIRM_CURRENT,
            user=user,
            from_state=article.state,
            comment=_audit_comment(comment, review.override_reason, considered),
            at=now,
            digest=digest,
        )
        transaction.on_commit(lambda: notifications.review_decided(article, review))
    return article


def reopen_approvals_by(
    *,
    reviewer: AbstractBaseUser,
    user: AbstractBaseUser | None,
    reason: str,
    languages: Iterable[str] | None = None,
) -> list[Article]:
    """Send back to review every version ``reviewer`` approved that is not published yet
    (of articles in ``languages``, when given), because they may no longer sign it off
    (``reason``: credentials no longer verified, a review language removed): the approval is
    withdrawn, the same version awaits another clinician, and eligible reviewers are told.
    Runs in the caller's transaction; published pages are the editors' to judge."""
    reopened = []
    approved = Review.objects.filter(reviewer=reviewer, status=Review.Status.APPROVED)
    if languages is not None:
        approved = approved.filter(article__language__in=list(languages))
    for article_id in approved.values_list("article_id", flat=True):
        article = lock(Article(pk=article_id))
        review = open_review(article)
        if review is None or review.status != Review.Status.APPROVED:
            continue
        if review.reviewer_id != reviewer.pk:
            continue
        review.status = Review.Status.WITHDRAWN
        review.save(update_fields=["status"])
        Review.objects.create(
            article=article, version=article.version, submitted_by=user, submitted_at=timezone.now()
        )
        from_state = article.state
        article.state = State.IN_REVIEW
        article.save(update_fields=["state", "updated_at"])
        name = review.reviewer_byline.get("name") or str(reviewer)
        why = (
            "their credentials are no longer verified"
            if languages is None
            else f"they no longer review content in {article.language}"
        )
        audit(
            article,
            action="withdrawn",
            user=user,
            from_state=from_state,
            comment=f"The approval by {name} was withdrawn because {why} ({reason}). The same "
            "version is back in review.",
        )
        ineligible = contributors_since_last_live(article)
        transaction.on_commit(
            lambda article=article, ineligible=ineligible: notifications.review_requested(
                article, ineligible
            )
        )
        reopened.append(article)
    return reopened


def add_review_comment(*, article: Article, user: AbstractBaseUser, body: str) -> ReviewComment:
    """Add a message to the discussion of the article's latest review."""
    body = (body or "").strip()
    if not body:
        raise InvalidInput("Write a comment first.", field="body")
    review = latest_review(article)
    if review is None:
        raise TransitionNotAllowed("The article has not been sent for review yet.")
    with transaction.atomic():
        comment = ReviewComment.objects.create(review=review, author=user, body=body)
        audit(article, action="comment", user=user, from_state=article.state, comment=body)
    return comment
