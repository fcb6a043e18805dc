"""Webhook delivery: signed POSTs to a real receiver, retries with backoff, no duplicates."""

import datetime
import hashlib
import hmac
import json
import threading
import time
from email.message import Message

import pytest
from django.db import connection
from django.utils import timezone

from articles import webhooks
from articles.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from reviews import workflow
from tests.articles.webhook_doubles import Reply

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status
MINUTE = datetime.timedelta(minutes=1)


def verify(secret: str, headers: Message, body: bytes) -> bool:
    """The partner's check, as documented in docs/webhooks.md."""
    timestamp = headers.get("X-MBC-Timestamp", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(headers.get("X-MBC-Signature", ""), f"sha256={expected.hexdigest()}")


def test_delivery_posts_signed_json(endpoint, approved_article, editor, receiver):
    """The POST carries the payload as JSON, the documented headers and a valid signature."""
    workflow.publish(article=approved_article(), user=editor)
    delivery = WebhookDelivery.objects.get()

    report = webhooks.deliver_due()

    assert (report.sent, report.succeeded, report.retrying, report.failed) == (1, 1, 0, 0)
    (request,) = receiver.requests
    assert request.path == "/hooks/mbc"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"] == "mbc-cms-webhooks/1"
    assert request.headers["X-MBC-Event"] == "article.published"
    assert request.headers["X-MBC-Delivery"] == str(delivery.pk)
    assert request.headers["X-MBC-Signature"] == "sha256=" + webhooks.sign(
        endpoint.secret, request.headers["X-MBC-Timestamp"], request.body
    )
    assert verify(endpoint.secret, request.headers, request.body)
    assert not verify("another secret", request.headers, request.body)
    assert request.json == delivery.event.payload


def test_success_is_recorded_with_its_attempt(live_article, endpoint, editor, receiver):
    """A 2xx marks the delivery succeeded and records the attempt with its status code."""
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    receiver.script(Reply(status=202, body=b'{"queued": true}'))

    webhooks.deliver_due()

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.SUCCEEDED
    assert (delivery.attempts, delivery.last_status_code, delivery.last_error) == (1, 202, "")
    assert delivery.delivered_at is not None
    attempt = delivery.attempts_made.get()
    assert (attempt.status_code, attempt.error) == (202, "")
    assert attempt.duration_ms >= 0


def test_server_error_is_retried_with_backoff_then_succeeds(
    live_article, endpoint, editor, receiver
):
    """A 500 is retried after the first backoff step, not before, and then succeeds."""
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    receiver.script(Reply(status=500, body=b"boom"), 200)
    start = timezone.now()

    first = webhooks.deliver_due(now=start)

    assert (first.sent, first.retrying) == (1, 1)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        Status.PENDING,
        1,
        500,
    )
    assert start + MINUTE <= delivery.next_attempt_at <= start + MINUTE * 1.1
    assert webhooks.deliver_due(now=start + MINUTE / 2).sent == 0

    second = webhooks.deliver_due(now=start + MINUTE * 1.2)

    assert (second.sent, second.succeeded) == (1, 1)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.SUCCEEDED, 2)
    assert list(delivery.attempts_made.values_list("status_code", flat=True)) == [500, 200]
    assert len({r.headers["X-MBC-Delivery"] for r in receiver.requests}) == 1


def test_nothing_is_sent_again_after_success(live_article, endpoint, editor, receiver):
    """Once a delivery succeeded, later passes never send it again."""
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    start = timezone.now()
    webhooks.deliver_due(now=start)

    for days in (1, 30, 365):
        assert webhooks.deliver_due(now=start + datetime.timedelta(days=days)).sent == 0
    assert len(receiver.requests) == 1
    assert WebhookAttempt.objects.count() == 1


def test_backoff_doubles_up_to_the_cap():
    """Each retry waits twice as long as the one before, up to the cap, plus at most 10%."""
    for attempts in range(1, 15):
        expected = min(webhooks.BACKOFF_BASE * 2 ** (attempts - 1), webhooks.BACKOFF_CAP)
        delay = webhooks.retry_delay(attempts)
        assert expected <= delay <= expected * 1.1


def test_refused_connection_is_recorded_and_retried(live_article, editor, closed_port_url):
    """A refused connection is an attempt with no status and the error, to be retried."""
    WebhookEndpoint.objects.create(name="Down", url=closed_port_url)
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    start = timezone.now()

    report = webhooks.deliver_due(now=start)

    assert report.retrying == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.PENDING
    assert delivery.last_status_code is None
    assert "Connection refused" in delivery.last_error
    attempt = delivery.attempts_made.get()
    assert attempt.status_code is None
    assert "ConnectionRefusedError" in attempt.error
    assert delivery.next_attempt_at >= start + webhooks.BACKOFF_BASE


def test_delivery_fails_after_max_attempts(live_article, editor, closed_port_url):
    """After MAX_ATTEMPTS failed tries the delivery is failed and no longer sent."""
    WebhookEndpoint.objects.create(name="Down", url=closed_port_url)
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    at = timezone.now()
    reports = []
    for _ in range(webhooks.MAX_ATTEMPTS + 2):
        reports.append(webhooks.deliver_due(now=at))
        at += webhooks.BACKOFF_CAP * 1.2

    assert [r.sent for r in reports] == [1] * webhooks.MAX_ATTEMPTS + [0, 0]
    assert reports[webhooks.MAX_ATTEMPTS - 1].failed == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Status.FAILED, webhooks.MAX_ATTEMPTS)
    assert delivery.attempts_made.count() == webhooks.MAX_ATTEMPTS


def test_redirect_is_not_followed(live_article, endpoint, editor, receiver):
    """A 3xx is recorded as the answer and retried; the Location is never requested."""
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    receiver.script(Reply(status=302, headers=(("Location", "/elsewhere"),)))

    report = webhooks.deliver_due()

    assert report.retrying == 1
    assert [r.path for r in receiver.requests] == ["/hooks/mbc"]
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code == 302
    assert "Redirects are not followed" in attempt.error


def test_response_body_is_not_stored(live_article, endpoint, editor, receiver):
    """Whatever the endpoint answers is never stored: only its status code, timing and error."""
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    receiver.script(Reply(status=400, body=b"internal-only: db password hunter2 " * 100))

    webhooks.deliver_due()

    stored = json.dumps(
        [
            list(WebhookAttempt.objects.values()),
            list(WebhookDelivery.objects.values()),
        ],
        default=str,
    )
    assert "hunter2" not in stored
    attempt = WebhookAttempt.objects.get()
    assert (attempt.status_code, attempt.delivery.last_status_code) == (400, 400)


def test_timeout_is_recorded_as_an_error(live_article, endpoint, editor, receiver, monkeypatch):
    """An endpoint slower than the timeout is an error attempt, retried later."""
    monkeypatch.setattr(webhooks, "TIMEOUT", 0.05)
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    receiver.script(Reply(delay=0.2))

    report = webhooks.deliver_due()

    assert report.retrying == 1
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert "timed out" in attempt.error


# Concurrent runners ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_runners_send_each_delivery_once(live_article, editor, receiver):
    """Four runners at once: every delivery is sent exactly once between them."""
    for number in range(6):
        WebhookEndpoint.objects.create(name=f"Partner {number}", url=receiver.url)
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    receiver.script(*[Reply(delay=0.02)] * 6)
    barrier = threading.Barrier(4)
    reports: list = [None] * 4

    def runner(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            reports[index] = webhooks.deliver_due()
        except Exception as error:
            reports[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert all(isinstance(report, webhooks.DeliveryReport) for report in reports), reports
    assert sum(report.sent for report in reports) == 6
    delivery_ids = [request.headers["X-MBC-Delivery"] for request in receiver.requests]
    assert len(delivery_ids) == len(set(delivery_ids)) == 6
    assert WebhookDelivery.objects.filter(status=Status.SUCCEEDED).count() == 6
