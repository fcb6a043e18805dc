"""Partner webhooks: a transactional outbox of signed article events, and its delivery.

``enqueue`` runs inside the workflow's publish and unpublish transactions (``reviews.workflow``),
so an event exists exactly when the change it reports was committed. ``deliver_due``, run by
``manage.py deliver_webhooks``, sends what is due: it claims each delivery under a short lease so
that concurrent runners never send it twice, POSTs it outside any transaction, to public
addresses only (checked again at every send by ``articles.outbound``), then records the attempt:
its status code, duration and error, never the response body. Failures are retried with
exponential backoff until ``MAX_ATTEMPTS``.

Delivery is at least once: a runner that dies between sending and recording leaves the lease to
expire and the delivery is sent again, with the same ``X-MBC-Delivery`` id so the partner can
ignore the repeat.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import http.client
import json
import logging
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from . import outbound
from .models import (
    Article,
    PublishedArticle,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookEventType,
)

logger = logging.getLogger(__name__)

USER_AGENT = "mbc-cms-webhooks/1"
TIMEOUT = 10  # seconds, for connecting and for each read
MAX_ATTEMPTS = 12
BACKOFF_BASE = datetime.timedelta(minutes=1)
BACKOFF_CAP = datetime.timedelta(hours=6)
# Up to 10% later, so deliveries that failed together during an outage do not retry together.
BACKOFF_JITTER = 0.1
# Far longer than one send can take: a lease that runs out means its runner died.
LEASE = datetime.timedelta(minutes=5)

Status = WebhookDelivery.Status


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>." + body`` under ``secret``.

    Sent as ``X-MBC-Signature: sha256=<hex>``; signing the timestamp too stops a captured request
    being replayed later with a fresh timestamp.
    """
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


# Enqueueing, inside the workflow's transactions -------------------------------------------------


def publication_event_type(article: Article, *, go_live_at: datetime.datetime) -> str:
    """``article.updated`` if another version is live just before ``go_live_at``, else published.

    Partners hear ``article.published`` whenever the article appears for them, including when it
    is published again after being unpublished. The answer is the same before and after the
    publication closes the previous intervals at ``go_live_at``.
    """
    live_just_before = article.snapshots.filter(go_live_at__lt=go_live_at).filter(
        models.Q(live_until__isnull=True) | models.Q(live_until__gte=go_live_at)
    )
    return WebhookEventType.UPDATED if live_just_before.exists() else WebhookEventType.PUBLISHED


def event_payload(
    *,
    event_id: uuid.UUID,
    event_type: str,
    created_at: datetime.datetime,
    snapshot: PublishedArticle,
) -> dict:
    """The JSON body partners receive for an event about ``snapshot``'s article."""
    site = settings.SITE_URL.rstrip("/")
    live = event_type != WebhookEventType.UNPUBLISHED
    return {
        "id": str(event_id),
        "type": event_type,
        "created_at": created_at.isoformat(),
        "data": {
            "id": snapshot.article_id,
            "slug": snapshot.slug,
            "version": snapshot.version,
            "title": snapshot.title,
            "url": site + snapshot.get_absolute_url(),
            "api_url": f"{site}/api/v1/articles/{snapshot.slug}/",
            "live_from": snapshot.go_live_at.isoformat() if live else None,
        },
    }


def enqueue(
    event_type: str,
    snapshot_or_article: PublishedArticle | Article,
    *,
    deliver_after: datetime.datetime,
) -> WebhookEvent:
    """Queue ``event_type`` for every active endpoint subscribed to it, sent from ``deliver_after``.

    Call it inside the transaction that makes the change, so that the event is committed or
    rolled back with it. Given an article, the event describes its newest snapshot. Pending
    events about the same article that are due later are cancelled: they announce a scheduled
    version that this change replaces before it ever goes live.
    """
    event_type = WebhookEventType(event_type)
    if isinstance(snapshot_or_article, PublishedArticle):
        snapshot = snapshot_or_article
    else:
        snapshot = snapshot_or_article.snapshots.order_by("-created_at", "-pk").first()
        if snapshot is None:
            raise ValueError(f"{snapshot_or_article} has never been published.")
    event_id, created_at = uuid.uuid4(), timezone.now()
    with transaction.atomic():
        cancel_superseded(
            snapshot.article_id,
            after=deliver_after,
            reason=f"Superseded by event {event_id} before it was due.",
        )
        event = WebhookEvent.objects.create(
            id=event_id,
            event_type=event_type,
            article_id=snapshot.article_id,
            payload=event_payload(
                event_id=event_id,
                event_type=event_type,
                created_at=created_at,
                snapshot=snapshot,
            ),
            created_at=created_at,
            deliver_after=deliver_after,
        )
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(event=event, endpoint=endpoint, next_attempt_at=deliver_after)
            for endpoint in WebhookEndpoint.objects.filter(is_active=True)
            if endpoint.subscribes_to(event_type)
        )
    return event


def cancel_superseded(article_id: int, *, after: datetime.datetime, reason: str) -> int:
    """Cancel pending deliveries about ``article_id`` that are due after ``after``: they announce
    a scheduled version that a later change replaced before it went live."""
    return WebhookDelivery.objects.filter(
        event__article_id=article_id, event__deliver_after__gt=after, status=Status.PENDING
    ).update(status=Status.CANCELLED, last_error=reason)


# Delivering, from the outbox ---------------------------------------------------------------------


@dataclass
class DeliveryReport:
    """What one pass of :func:`deliver_due` did."""

    sent: int = 0
    succeeded: int = 0
    retrying: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return (
            f"{self.sent} sent: {self.succeeded} succeeded, {self.retrying} to retry, "
            f"{self.failed} failed."
        )


@dataclass(frozen=True)
class AttemptResult:
    """The outcome of one POST: the endpoint's status code, or why there was none.

    The response body is never read: what a server answers, perhaps an internal one reached by
    mistake, must not end up in our database or admin.
    """

    status_code: int | None
    error: str
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def due_deliveries(at: datetime.datetime) -> models.QuerySet[WebhookDelivery]:
    """Pending deliveries whose next try and whose event are both due at ``at``."""
    return WebhookDelivery.objects.filter(
        status=Status.PENDING, next_attempt_at__lte=at, event__deliver_after__lte=at
    )


def retry_delay(
    attempts: int,
    *,
    base: datetime.timedelta = BACKOFF_BASE,
    cap: datetime.timedelta = BACKOFF_CAP,
) -> datetime.timedelta:
    """How long to wait after ``attempts`` failed tries: doubling from ``base`` up to ``cap``,
    plus jitter (also the backoff of the edge purges, ``articles.edge``)."""
    delay = min(base * 2 ** min(attempts - 1, 30), cap)
    return delay * (1 + random.uniform(0, BACKOFF_JITTER))


def _claim_due(at: datetime.datetime, limit: int) -> list[WebhookDelivery]:
    """Lease up to ``limit`` due deliveries to this runner; other runners pass them over.

    The claim is a compare-and-set on ``next_attempt_at``, which is safe on any database. Where
    the database can skip locked rows, concurrent runners also pass over each other's candidates
    instead of waiting for them.
    """
    lease_until = at + LEASE
    claimed = []
    with transaction.atomic():
        candidates = (
            due_deliveries(at).select_related("event", "endpoint").order_by("next_attempt_at", "pk")
        )
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True, of=("self",))
        for delivery in candidates[:limit]:
            won = WebhookDelivery.objects.filter(
                pk=delivery.pk, status=Status.PENDING, next_attempt_at=delivery.next_attempt_at
            ).update(next_attempt_at=lease_until)
            if won:
                delivery.next_attempt_at = lease_until
                claimed.append(delivery)
    return claimed


@dataclass(frozen=True)
class SignedRequest:
    """The body and headers of one signed POST."""

    body: bytes
    headers: dict[str, str]


def build_request(delivery: WebhookDelivery, *, timestamp: int) -> SignedRequest:
    """The signed POST for ``delivery``."""
    body = json.dumps(delivery.event.payload).encode()
    signature = sign(delivery.endpoint.secret, timestamp, body)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-MBC-Event": delivery.event.event_type,
        "X-MBC-Delivery": str(delivery.pk),
        "X-MBC-Timestamp": str(timestamp),
        "X-MBC-Signature": f"sha256={signature}",
        "Connection": "close",
    }
    return SignedRequest(body=body, headers=headers)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _send(destination: outbound.Destination, request: SignedRequest) -> int:
    """POST to the checked addresses; returns the status code. A 3xx is an answer, not followed."""
    connection = destination.connection(timeout=TIMEOUT)
    try:
        connection.request("POST", destination.target, body=request.body, headers=request.headers)
        return connection.getresponse().status
    finally:
        connection.close()


def post(delivery: WebhookDelivery) -> AttemptResult:
    """POST ``delivery`` once and report the answer; never raises for network trouble.

    The endpoint's host is resolved once, every address checked (``articles.outbound``), and the
    request sent to those addresses only: a URL that is or has become private is refused
    without any connection.
    """
    request = build_request(delivery, timestamp=int(time.time()))
    status_code, error = None, ""
    started = time.monotonic()
    try:
        status_code = _send(outbound.resolve(delivery.endpoint.url), request)
    except outbound.RefusedDestination as refusal:
        error = f"Not sent: {refusal}"
    except (OSError, http.client.HTTPException, ValueError) as failure:
        error = _describe(failure)
    duration_ms = round((time.monotonic() - started) * 1000)
    if status_code is not None and 300 <= status_code < 400:
        error = "Redirects are not followed: register the final URL."
    return AttemptResult(status_code, error, duration_ms)


def _record(delivery: WebhookDelivery, result: AttemptResult, *, at: datetime.datetime) -> str:
    """Store the attempt and move the delivery on; returns its new status."""
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            attempted_at=at,
            status_code=result.status_code,
            error=result.error,
            duration_ms=result.duration_ms,
        )
        delivery.attempts += 1
        delivery.last_status_code = result.status_code
        delivery.last_error = result.error
        if result.succeeded:
            delivery.status = Status.SUCCEEDED
            delivery.delivered_at = at
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = Status.FAILED
        else:
            delivery.next_attempt_at = at + retry_delay(delivery.attempts)
        delivery.save(
            update_fields=[
                "attempts",
                "last_status_code",
                "last_error",
                "status",
                "delivered_at",
                "next_attempt_at",
            ]
        )
    return delivery.status


def deliver_due(now: datetime.datetime | None = None, *, limit: int = 100) -> DeliveryReport:
    """Send up to ``limit`` deliveries that are due, and record each outcome.

    ``now`` fixes the clock for scheduling (tests pass advancing times); by default each step
    uses the current time. Call it outside a transaction, so claims commit before sending.
    """
    clock: Callable[[], datetime.datetime] = (lambda: now) if now is not None else timezone.now
    report = DeliveryReport()
    for delivery in _claim_due(clock(), limit):
        attempted_at = clock()
        result = post(delivery)
        status = _record(delivery, result, at=attempted_at)
        report.sent += 1
        if status == Status.SUCCEEDED:
            report.succeeded += 1
        elif status == Status.FAILED:
            report.failed += 1
            logger.warning(
                "Webhook delivery %s to %s failed after %s attempts: %s",
                delivery.pk,
                delivery.endpoint.url,
                delivery.attempts,
                result.error or f"HTTP {result.status_code}",
            )
        else:
            report.retrying += 1
    return report


def retry_now(deliveries: models.QuerySet[WebhookDelivery]) -> int:
    """Give failed ``deliveries`` one more try at the next pass; returns how many."""
    return deliveries.filter(status=Status.FAILED).update(
        status=Status.PENDING, next_attempt_at=timezone.now()
    )
