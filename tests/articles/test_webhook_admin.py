"""Webhooks in the admin: endpoints registered, events, deliveries and attempts shown, retry."""

import re

import pytest
from django.urls import reverse

from articles import webhooks
from articles.models import WebhookDelivery, WebhookEndpoint, WebhookEvent, WebhookEventType
from reviews import workflow
from tests.articles.webhook_doubles import Reply
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status


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
