"""Clinical review: sending a version for review, deciding on it, and the discussion."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from articles.models import Article
from articles.snapshots import article_digest

from .. import notifications
from ..models import Review, ReviewComment
from ..selectors import contributors_since_last_live, latest_review, open_review
from ..states import TRANSITIONS, Action
from .common import Seen, audit, ensure_seen, lock
from .errors import InvalidInput, TransitionNotAllowed
from .permissions import check

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


def _decide(
    *,
    article: Article,
    user: AbstractBaseUser,
    action: str,
    status: str,
    comment: str,
    seen: Seen | None,
) -> Article:
    """Record a clinical reviewer's decision on the exact version and content they read."""
    comment = (comment or "").strip()
    with transaction.atomic():
        article = lock(article)
        digest = article_digest(article)
        ensure_seen(article, seen, current_digest=digest)
        check(action, user, article, {"comment": comment})
        review = open_review(article)
        from_state = article.state
        now = timezone.now()
        review.status = status
        review.reviewer = user
        review.reviewer_byline = user.reviewer_profile.as_byline()
        review.decided_at = now
        review.comment = comment
        review.digest = digest
        review.save()
        article.state = TRANSITIONS[action].target
        article.save(update_fields=["state", "updated_at"])
        audit(
            article,
            action=action,
            user=user,
            from_state=from_state,
            comment=comment,
            at=now,
            digest=digest,
        )
        transaction.on_commit(lambda: notifications.review_decided(article, review))
    return article


def approve(
    *, article: Article, user: AbstractBaseUser, comment: str = "", seen: Seen | None = None
) -> Article:
    """A clinical reviewer approves the exact version under review, bound to its digest."""
    return _decide(
        article=article,
        user=user,
        action=Action.APPROVE,
        status=Review.Status.APPROVED,
        comment=comment,
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
