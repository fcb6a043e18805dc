"""The webhook outbox: events written with each publication, for the endpoints that want them."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles import webhooks
from articles.models import WebhookDelivery, WebhookEndpoint, WebhookEvent, WebhookEventType
from reviews import workflow
from reviews.workflow import publishing
from tests.workflow_steps import approve_new_version

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status
MINUTE = datetime.timedelta(minutes=1)


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
    approve_new_version(live_article, writer, reviewer, summary="Updated guidance.")
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
    approve_new_version(live_article, writer, reviewer, summary="Updated guidance.")
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
    approve_new_version(live_article, writer, reviewer, summary="Updated guidance.")
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


# Endpoint records ---------------------------------------------------------------------------------


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
