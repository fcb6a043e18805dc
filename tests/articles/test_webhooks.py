"""Partner webhooks: outbox written with the publication, signed delivery to a real HTTP receiver
on loopback, retries with backoff, no duplicate after success, the command and the admin."""

import datetime
import hashlib
import hmac
import io
import json
import re
import signal
import threading
import time
from email.message import Message

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles import webhooks
from articles.management.commands import deliver_webhooks
from articles.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookEventType,
)
from reviews import workflow
from reviews.workflow import publishing
from tests.articles.webhook_doubles import Reply
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def endpoint(db, receiver, editor):
    return WebhookEndpoint.objects.create(name="Partner", url=receiver.url, created_by=editor)


@pytest.fixture
def approved_article(make_article, writer, reviewer):
    """Make an article approved by ``reviewer`` and ready for an editor to publish."""

    def make(**fields):
        article = make_article(writer, **fields)
        workflow.submit(article=article, user=writer)
        workflow.approve(article=article, user=reviewer)
        return article

    return make


def approve_new_version(article, writer, reviewer):
    """Edit a published article and have the new version approved."""
    article.refresh_from_db()
    article.body += "\n\nUpdated guidance."
    workflow.save_working_copy(article=article, user=writer, comment="Update.")
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    return article


def verify(secret: str, headers: Message, body: bytes) -> bool:
    """The partner's check, as documented in docs/webhooks.md."""
    timestamp = headers.get("X-MBC-Timestamp", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(headers.get("X-MBC-Signature", ""), f"sha256={expected.hexdigest()}")


# Enqueueing with the publication -----------------------------------------------------------------


def test_publish_enqueues_an_event_and_a_pending_delivery(endpoint, approved_article, editor):
    """Publishing writes an article.published event with the documented payload, one delivery."""
    article = approved_article()
    workflow.publish(article=article, user=editor)

    event = WebhookEvent.objects.get()
    snapshot = article.snapshots.get()
    site = settings.SITE_URL.rstrip("/")
    assert event.event_type == WebhookEventType.PUBLISHED
    assert event.article == article
    assert event.deliver_after == snapshot.go_live_at
    assert event.payload == {
        "id": str(event.id),
        "type": "article.published",
        "created_at": event.created_at.isoformat(),
        "data": {
            "id": article.pk,
            "slug": article.slug,
            "version": 1,
            "title": article.title,
            "url": f"{site}/articles/{article.slug}/",
            "api_url": f"{site}/api/v1/articles/{article.slug}/",
            "live_from": snapshot.go_live_at.isoformat(),
        },
    }
    delivery = event.deliveries.get()
    assert (delivery.endpoint, delivery.status, delivery.attempts) == (endpoint, Status.PENDING, 0)
    assert delivery.next_attempt_at == snapshot.go_live_at


def test_refused_publish_enqueues_nothing(endpoint, approved_article, writer):
    """A publication refused by the workflow leaves no event."""
    article = approved_article()
    with pytest.raises(workflow.ActionForbidden):
        workflow.publish(article=article, user=writer)
    assert not WebhookEvent.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_rolled_back_publish_leaves_no_event(endpoint, approved_article, editor, monkeypatch):
    """The outbox shares the publication's transaction: a failure after enqueueing undoes both."""
    article = approved_article()

    def failing_audit(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(publishing, "audit", failing_audit)
    with pytest.raises(RuntimeError):
        workflow.publish(article=article, user=editor)
    assert not article.snapshots.exists()
    assert not WebhookEvent.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_new_live_version_is_article_updated(
    live_article, endpoint, writer, reviewer, editor, receiver
):
    """Replacing the live version sends article.updated with the new version number."""
    approve_new_version(live_article, writer, reviewer)
    workflow.publish(article=live_article, user=editor, change_note="Clearer advice.")

    webhooks.deliver_due()

    (request,) = receiver.requests
    assert request.headers["X-MBC-Event"] == "article.updated"
    assert request.json["type"] == "article.updated"
    assert request.json["data"]["version"] == 2


def test_republishing_after_unpublish_is_article_published(
    live_article, endpoint, writer, reviewer, editor
):
    """An article taken down and published again is announced as published, not updated."""
    workflow.unpublish(article=live_article, user=editor, reason="Dosage error.")
    approve_new_version(live_article, writer, reviewer)
    workflow.publish(article=live_article, user=editor, change_note="Dosage corrected.")

    types = list(WebhookEvent.objects.order_by("created_at").values_list("event_type", flat=True))
    assert types == ["article.published", "article.unpublished", "article.published"]


def test_unpublish_sends_article_unpublished(live_article, endpoint, editor, receiver):
    """Unpublishing sends article.unpublished, due at once, with no live_from."""
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn guidance.")

    report = webhooks.deliver_due()

    assert report.succeeded == 1
    (request,) = receiver.requests
    assert request.headers["X-MBC-Event"] == "article.unpublished"
    assert request.json["data"]["id"] == live_article.pk
    assert request.json["data"]["live_from"] is None


def test_scheduled_publication_is_delivered_at_go_live(
    endpoint, approved_article, editor, receiver
):
    """A scheduled publication's event waits until the go-live time."""
    article = approved_article()
    go_live = timezone.now() + datetime.timedelta(days=1)
    workflow.publish(article=article, user=editor, publish_at=go_live)

    assert webhooks.deliver_due().sent == 0
    assert webhooks.deliver_due(now=go_live - MINUTE).sent == 0
    assert receiver.requests == []

    assert webhooks.deliver_due(now=go_live).succeeded == 1
    (request,) = receiver.requests
    assert request.json["data"]["live_from"] == go_live.isoformat()


def test_unpublishing_a_schedule_cancels_its_pending_event(
    live_article, endpoint, writer, reviewer, editor, receiver
):
    """A scheduled version unpublished before go-live is never announced."""
    approve_new_version(live_article, writer, reviewer)
    go_live = timezone.now() + datetime.timedelta(days=1)
    workflow.publish(article=live_article, user=editor, publish_at=go_live, change_note="v2.")
    workflow.unpublish(article=live_article, user=editor, reason="Not ready after all.")

    scheduled = WebhookDelivery.objects.get(event__event_type=WebhookEventType.UPDATED)
    assert scheduled.status == Status.CANCELLED
    webhooks.deliver_due(now=go_live + MINUTE)
    assert [r.headers["X-MBC-Event"] for r in receiver.requests] == ["article.unpublished"]


# Endpoint selection ------------------------------------------------------------------------------


def test_endpoints_receive_only_their_event_types(receiver, approved_article, editor):
    """An endpoint with event types gets only those; one with none gets every type."""
    only_unpublished = WebhookEndpoint.objects.create(
        name="Takedowns", url=receiver.url, event_types=["article.unpublished"]
    )
    everything = WebhookEndpoint.objects.create(name="All", url=receiver.url)
    article = approved_article()
    workflow.publish(article=article, user=editor)
    workflow.unpublish(article=article, user=editor, reason="Withdrawn.")

    def received(endpoint):
        return sorted(endpoint.deliveries.values_list("event__event_type", flat=True))

    assert received(only_unpublished) == ["article.unpublished"]
    assert received(everything) == ["article.published", "article.unpublished"]


def test_inactive_endpoint_gets_nothing(receiver, approved_article, editor):
    """An inactive endpoint gets no delivery, so nothing is ever sent to it."""
    WebhookEndpoint.objects.create(name="Paused", url=receiver.url, is_active=False)
    workflow.publish(article=approved_article(), user=editor)

    assert WebhookEvent.objects.count() == 1
    assert not WebhookDelivery.objects.exists()
    assert webhooks.deliver_due().sent == 0
    assert receiver.requests == []


# Delivery ----------------------------------------------------------------------------------------


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


def test_only_http_and_https_urls(db):
    """An endpoint URL must be http or https."""
    for url in ("ftp://example.org/hook", "file:///etc/passwd"):
        with pytest.raises(ValidationError) as raised:
            WebhookEndpoint(name="Bad", url=url).full_clean()
        assert "url" in raised.value.message_dict


def test_unknown_event_types_are_refused(db):
    """Event types must come from the documented list."""
    with pytest.raises(ValidationError) as raised:
        WebhookEndpoint(
            name="Typo", url="https://example.org/hook", event_types=["article.deleted"]
        ).full_clean()
    assert raised.value.error_dict["event_types"][0].code == "invalid_event_types"


def test_endpoint_secret_is_generated(db):
    """Each endpoint gets its own random signing secret."""
    first = WebhookEndpoint.objects.create(name="A", url="https://a.example/hook")
    second = WebhookEndpoint.objects.create(name="B", url="https://b.example/hook")
    assert len(first.secret) >= 40
    assert first.secret != second.secret


# Command -----------------------------------------------------------------------------------------


def test_command_runs_one_pass(live_article, endpoint, editor, receiver):
    """deliver_webhooks sends what is due once and prints a one-line summary."""
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    out = io.StringIO()

    call_command("deliver_webhooks", stdout=out)

    assert out.getvalue().strip() == "1 sent: 1 succeeded, 0 to retry, 0 failed."
    assert len(receiver.requests) == 1


def test_command_loop_stops_after_max_passes(live_article, endpoint, editor, receiver, monkeypatch):
    """--loop with --max-passes stops on its own and sends each delivery once."""
    # Between passes the worker drops stale connections; here that would end the test's transaction.
    monkeypatch.setattr(deliver_webhooks, "close_old_connections", lambda: None)
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    out = io.StringIO()

    call_command(
        "deliver_webhooks", "--loop", "--interval", "0.01", "--max-passes", "3", stdout=out
    )

    assert "1 sent: 1 succeeded" in out.getvalue()
    assert out.getvalue().strip().endswith("Stopped.")
    assert len(receiver.requests) == 1


def test_command_loop_ends_cleanly_on_sigterm(live_article, endpoint, editor, monkeypatch):
    """SIGTERM during a pass ends the loop after that pass and restores the signal handler."""
    monkeypatch.setattr(deliver_webhooks, "close_old_connections", lambda: None)
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    passes = []
    deliver_due = webhooks.deliver_due

    def deliver_then_terminate(**kwargs):
        passes.append(kwargs)
        signal.raise_signal(signal.SIGTERM)
        return deliver_due(**kwargs)

    monkeypatch.setattr(webhooks, "deliver_due", deliver_then_terminate)
    before = signal.getsignal(signal.SIGTERM)
    out = io.StringIO()

    call_command("deliver_webhooks", "--loop", "--interval", "0.01", stdout=out)

    assert len(passes) == 1
    assert "1 sent: 1 succeeded" in out.getvalue()
    assert out.getvalue().strip().endswith("Stopped.")
    assert signal.getsignal(signal.SIGTERM) is before


# Admin -------------------------------------------------------------------------------------------


@pytest.fixture
def editor_client(client, editor):
    assert client.login(username=editor.username, password=PASSWORD)
    return client


def test_editor_registers_an_endpoint_in_the_admin(editor_client, editor, dns):
    """An editor adds an endpoint; the secret is generated and shown with how to verify it."""
    dns.answer("partner.example", ["93.184.215.14"])
    response = editor_client.post(
        reverse("admin:articles_webhookendpoint_add"),
        {
            "name": "Charity app",
            "url": "https://partner.example/hooks/mbc",
            "is_active": "on",
            "event_types": ["article.published", "article.updated"],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.event_types == ["article.published", "article.updated"]
    assert endpoint.created_by == editor

    page = editor_client.get(reverse("admin:articles_webhookendpoint_change", args=[endpoint.pk]))

    assert page.status_code == 200
    assert endpoint.secret in page.content.decode()
    assert "hmac.compare_digest" in page.content.decode()
    listing = editor_client.get(reverse("admin:articles_webhookendpoint_changelist"))
    assert listing.status_code == 200


def test_admin_shows_events_deliveries_and_attempts(
    editor_client, live_article, endpoint, editor, receiver
):
    """Editors see the event with its deliveries, and each delivery with its attempts."""
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    receiver.script(Reply(status=503, body=b"partner maintenance"))
    webhooks.deliver_due()
    event = WebhookEvent.objects.get(event_type=WebhookEventType.UNPUBLISHED)
    delivery = WebhookDelivery.objects.get()

    pages = [
        reverse("admin:articles_webhookevent_changelist"),
        reverse("admin:articles_webhookevent_change", args=[event.pk]),
        reverse("admin:articles_webhookdelivery_changelist"),
        reverse("admin:articles_webhookdelivery_change", args=[delivery.pk]),
    ]
    for url in pages:
        assert editor_client.get(url).status_code == 200, url
    assert editor_client.get(reverse("admin:articles_webhookevent_add")).status_code == 403


def cell(html: str, field: str) -> list[str]:
    """The text of every admin inline cell showing ``field``."""
    cells = re.findall(rf'<td class="field-{field}">(.*?)</td>', html, flags=re.DOTALL)
    return [re.sub(r"<[^>]+>", "", text).strip() for text in cells]


def test_admin_shows_status_and_timing_not_the_response_body(
    editor_client, live_article, endpoint, editor, receiver
):
    """A delivery's page lists each attempt's status code, time taken and error, never its body."""
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    receiver.script(Reply(status=503, body=b"partner maintenance: internal host db-7.corp"))
    webhooks.deliver_due()
    delivery = WebhookDelivery.objects.get()
    attempt = delivery.attempts_made.get()

    page = editor_client.get(reverse("admin:articles_webhookdelivery_change", args=[delivery.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert cell(html, "status_code") == ["503"]
    assert cell(html, "duration_ms") == [str(attempt.duration_ms)]
    assert len(cell(html, "error")) == 1
    assert "partner maintenance" not in html
    assert "db-7.corp" not in html
    assert "field-response_excerpt" not in html


def test_retry_now_gives_a_failed_delivery_another_try(
    editor_client, live_article, editor, receiver, closed_port_url, monkeypatch
):
    """The admin's Retry now queues a failed delivery, which then succeeds at the next pass."""
    monkeypatch.setattr(webhooks, "MAX_ATTEMPTS", 1)
    endpoint = WebhookEndpoint.objects.create(name="Flaky", url=closed_port_url)
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    assert webhooks.deliver_due().failed == 1
    endpoint.url = receiver.url
    endpoint.save()
    delivery = WebhookDelivery.objects.get()

    response = editor_client.post(
        reverse("admin:articles_webhookdelivery_changelist"),
        {"action": "retry_now", "_selected_action": [str(delivery.pk)]},
        follow=True,
    )

    assert "1 failed deliveries will be retried" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == Status.PENDING
    assert webhooks.deliver_due().succeeded == 1
    assert len(receiver.requests) == 1


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
