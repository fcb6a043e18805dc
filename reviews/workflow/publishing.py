"""Publishing an approved version as a live (or scheduled) snapshot, and taking it down."""

from __future__ import annotations

import datetime
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles import caching, edge, snapshots, webhooks
from articles.models import Article, PublishedArticle

from ..models import Review
from ..roles import has_verified_credentials, language_name, reviews_in_language
from ..selectors import live_snapshot
from ..states import Action
from .common import Seen, audit, ensure_quality_gates, ensure_seen, lock
from .errors import InvalidInput, TransitionNotAllowed
from .permissions import check

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# A publication time this far in the past is a mistake, not a clock difference.
PAST_TOLERANCE = datetime.timedelta(minutes=1)


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


def _close_open_snapshots(
    article: Article, at: datetime.datetime, *, keep_scheduled: bool = False
) -> None:
    """End every interval still open at ``at``; one scheduled later never starts (unless
    ``keep_scheduled``: then only the one live at ``at`` ends)."""
    for snapshot in article.snapshots.open_at(at):
        if keep_scheduled and snapshot.go_live_at > at:
            continue
        snapshot.live_until = max(at, snapshot.go_live_at)
        snapshot.save(update_fields=["live_until"])


def _refuse_taken_slug(article: Article) -> None:
    """A live or scheduled page of another article already has this address."""
    other = (
        PublishedArticle.objects.open_at()
        .filter(slug=article.slug)
        .exclude(article=article)
        .only("article_id", "title")
        .first()
    )
    if other is not None:
        raise TransitionNotAllowed(
            f"Another article, “{other.title}” (id {other.article_id}), is published or "
            f"scheduled at /articles/{article.slug}/. Give this article another slug (a new "
            "version, reviewed again) or unpublish the other one first.",
            field="slug",
        )


def _approved_review(article: Article, content: dict) -> Review:
    """The approval of exactly this version and this content (an approval given before
    images joined the digest holds for content without any: ``snapshots.digest_format``)."""
    review = article.reviews.filter(status=Review.Status.APPROVED).first()
    if review is None or review.version != article.version:
        raise TransitionNotAllowed("The approved version is not the current version.")
    if snapshots.digest_format(content, review.digest) is None:
        raise TransitionNotAllowed(
            "What would be published differs from what the clinical reviewer approved (for "
            "example the counterpart article changed since). Send it for review again."
        )
    if not has_verified_credentials(review.reviewer):
        raise TransitionNotAllowed(
            "The clinician who approved this version no longer has verified credentials, so "
            "the approval cannot be published: another clinician must review it."
        )
    if not reviews_in_language(review.reviewer, article.language):
        raise TransitionNotAllowed(
            f"The clinician who approved this version no longer reviews content in "
            f"{language_name(article.language)}, so the approval cannot be published: a "
            "clinician who reviews in that language must review it."
        )
    due = add_months(timezone.localdate(review.decided_at), article.review_interval_months)
    if due < timezone.localdate():
        raise TransitionNotAllowed(
            f"This approval is from {review.decided_at:%d %b %Y}, so the page would go live "
            f"already past its review date ({due:%d %b %Y}). Send it for review again."
        )
    return review


def _go_live_time(publish_at: datetime.datetime | None) -> datetime.datetime:
    now = timezone.now()
    if publish_at is not None and publish_at < now - PAST_TOLERANCE:
        raise InvalidInput("The publication time is in the past.", field="publish_at")
    return publish_at or now


def _freeze(
    article: Article,
    *,
    content: dict,
    review: Review,
    user: AbstractBaseUser,
    go_live_at: datetime.datetime,
    change_note: str,
) -> None:
    """Write the snapshot of ``content`` live from ``go_live_at``, closing the intervals it
    replaces, and record what follows: review dates, the partners' event, the caches."""
    first = article.snapshots.order_by("go_live_at").first()
    article.last_reviewed = timezone.localdate(review.decided_at)
    article.next_review_due = add_months(article.last_reviewed, article.review_interval_months)
    _close_open_snapshots(article, go_live_at)
    snapshots.build_snapshot(
        article=article,
        content=content,
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
    caching.invalidate(edge.article_changed_keys(article.pk))
    review.status = Review.Status.PUBLISHED
    review.save(update_fields=["status"])
    article.save(update_fields=["last_reviewed", "next_review_due", "updated_at"])


def publish(
    *,
    article: Article,
    user: AbstractBaseUser,
    publish_at: datetime.datetime | None = None,
    change_note: str = "",
    seen: Seen | None = None,
) -> Article:
    """Make the approved version live now, or schedule it for ``publish_at``.

    The snapshot serves exactly the content whose digest the reviewer approved. A scheduled
    snapshot closes the previous one's interval at its go-live time, so readers switch over
    then with no background job.
    """
    change_note = (change_note or "").strip()
    with transaction.atomic():
        article = lock(article)
        content = snapshots.reader_content(article)
        digest = snapshots.content_digest(content)
        ensure_seen(article, seen, current_digest=digest)
        check(Action.PUBLISH, user, article, {"change_note": change_note})
        go_live_at = _go_live_time(publish_at)
        _refuse_taken_slug(article)
        review = _approved_review(article, content)
        digest = review.digest
        ensure_quality_gates(article)
        _freeze(
            article,
            content=content,
            review=review,
            user=user,
            go_live_at=go_live_at,
            change_note=change_note,
        )
        if go_live_at <= timezone.now():
            # Live now: tell the translators whose translation this leaves behind (a scheduled
            # version is swept when it goes live: reviews.translations).
            transaction.on_commit(partial(_notify_translators, article.pk))
        scheduled = f"Scheduled for {go_live_at:%Y-%m-%d %H:%M %Z}. " if publish_at else ""
        audit(
            article,
            action=Action.PUBLISH,
            user=user,
            from_state=article.state,
            comment=f"{scheduled}{change_note}".strip(),
            digest=digest,
        )
    return article


def _notify_translators(source_id: int) -> None:
    from .. import translations

    translations.notify_translators(source_id)


def _announce_scheduled(article: Article, now: datetime.datetime) -> None:
    """Queue again the partners' event of each version still due to go live after ``now``
    (earliest first: queuing an event cancels those due after it)."""
    upcoming = (
        article.snapshots.open_at(now)
        .filter(go_live_at__gt=now)
        .exclude(live_until=F("go_live_at"))
        .order_by("go_live_at")
    )
    for snapshot in upcoming:
        event_type = webhooks.publication_event_type(article, go_live_at=snapshot.go_live_at)
        webhooks.enqueue(event_type, snapshot, deliver_after=snapshot.go_live_at)


def take_down(
    article: Article,
    *,
    user: AbstractBaseUser | None,
    comment: str,
    keep_scheduled: bool = False,
) -> PublishedArticle | None:
    """Take ``article`` (locked, checked by the caller) off the site and the API now, tell the
    partners, start a new cache generation and record it; returns the page readers last saw.

    ``keep_scheduled`` leaves a version scheduled to go live later in place (its partners'
    event is queued again, since the unpublication cancels events due after it)."""
    now = timezone.now()
    # Partners hear about the page readers last saw, never a version that was not live yet.
    last_seen = live_snapshot(article, now)
    _close_open_snapshots(article, now, keep_scheduled=keep_scheduled)
    if last_seen is not None:
        webhooks.enqueue("article.unpublished", last_seen, deliver_after=now)
    else:
        webhooks.cancel_superseded(article.pk, after=now, reason="Unpublished before it was due.")
    if keep_scheduled:
        _announce_scheduled(article, now)
    caching.invalidate(edge.article_changed_keys(article.pk))
    # Its live translations stay up until an editor decides: tell their people once it commits.
    transaction.on_commit(partial(_notify_translators, article.pk))
    audit(article, action=Action.UNPUBLISH, user=user, from_state=article.state, comment=comment)
    return last_seen


def unpublish(
    *, article: Article, user: AbstractBaseUser, reason: str, seen: Seen | None = None
) -> Article:
    """Take the article off the site and the API now; its history stays."""
    reason = (reason or "").strip()
    with transaction.atomic():
        article = lock(article)
        ensure_seen(article, seen)
        check(Action.UNPUBLISH, user, article, {"reason": reason})
        take_down(article, user=user, comment=reason)
    return article
