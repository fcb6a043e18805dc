"""Partner webhooks: endpoints, and the outbox of events, deliveries and attempts."""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..choices import WebhookEventType
from ..outbound import validate_public_url
from ..validators import validate_event_types
from .articles import Article


def new_webhook_secret() -> str:
    """A fresh signing secret for a webhook endpoint: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """A partner's address that receives signed article events by HTTP POST."""

    name = models.CharField(
        "name", max_length=120, help_text="Who receives the events, e.g. the partner's name."
    )
    url = models.URLField(
        "URL",
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Where events are POSTed: an http or https address on the public internet "
        "(never a loopback, private or link-local one). Redirects are not followed.",
    )
    secret = models.CharField(
        "signing secret",
        max_length=100,
        default=new_webhook_secret,
        editable=False,
        help_text="Shared with the partner to verify the X-MBC-Signature header. Generated when "
        "the endpoint is created.",
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Inactive endpoints receive nothing. Deactivate rather than delete, to keep "
        "the delivery history.",
    )
    event_types = models.JSONField(
        "event types",
        default=list,
        blank=True,
        validators=[validate_event_types],
        help_text="The events this endpoint receives; none ticked means all of them.",
    )
    created_at = models.DateTimeField("created", auto_now_add=True, help_text="When it was added.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="created by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="The editor who registered it.",
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "webhook endpoint"
        verbose_name_plural = "webhook endpoints"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Not a field validator: it resolves the host name, which can change after saving, so
        # every delivery checks again (articles.webhooks.post).
        try:
            validate_public_url(self.url)
        except ValidationError as error:
            raise ValidationError({"url": error}) from error

    def subscribes_to(self, event_type: str) -> bool:
        """Whether this endpoint wants ``event_type`` (an empty list means every type)."""
        return not self.event_types or event_type in self.event_types


class WebhookEvent(models.Model):
    """One change to an article, queued for every subscribed endpoint: the webhook outbox.

    Written by ``articles.webhooks.enqueue`` in the same transaction as the publication or
    unpublication it reports, so a rolled-back change leaves no event behind.
    """

    id = models.UUIDField(
        "event id",
        primary_key=True,
        default=uuid.uuid4,
        editable=False,
        help_text="Sent as the payload's id; the same for every endpoint.",
    )
    event_type = models.CharField(
        "event type",
        max_length=40,
        choices=WebhookEventType.choices,
        db_index=True,
        help_text="What happened to the article.",
    )
    article = models.ForeignKey(
        Article,
        verbose_name="article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webhook_events",
        help_text="The article the event is about.",
    )
    payload = models.JSONField("payload", help_text="The JSON body POSTed to every endpoint.")
    created_at = models.DateTimeField(
        "created", default=timezone.now, db_index=True, help_text="When the change was made."
    )
    deliver_after = models.DateTimeField(
        "deliver after",
        db_index=True,
        help_text="Not sent before this time: for a scheduled publication, its go-live time.",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "webhook event"
        verbose_name_plural = "webhook events"

    def __str__(self) -> str:
        title = (self.payload or {}).get("data", {}).get("title", "")
        return f"{self.get_event_type_display()}: {title}"


class WebhookDelivery(models.Model):
    """One event on its way to one endpoint: its status, retry schedule and last outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled (superseded before it was due)"

    id = models.UUIDField(
        "delivery id",
        primary_key=True,
        default=uuid.uuid4,
        editable=False,
        help_text="Sent as X-MBC-Delivery, the same on every retry, so the partner can ignore "
        "a repeat.",
    )
    event = models.ForeignKey(
        WebhookEvent,
        verbose_name="event",
        on_delete=models.CASCADE,
        related_name="deliveries",
        help_text="What is being sent.",
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name="endpoint",
        on_delete=models.CASCADE,
        related_name="deliveries",
        help_text="Where it is being sent.",
    )
    status = models.CharField(
        "status",
        max_length=20,
        choices=Status.choices,
        default=Status.PENDING,
        help_text="Pending until the endpoint answers 2xx (succeeded) or every try failed.",
    )
    attempts = models.PositiveSmallIntegerField(
        "attempts", default=0, help_text="How many times it has been sent."
    )
    next_attempt_at = models.DateTimeField(
        "next attempt",
        help_text="When it is next due. While a sender is posting it, the end of that sender's "
        "lease.",
    )
    delivered_at = models.DateTimeField(
        "delivered", null=True, blank=True, help_text="When the endpoint accepted it."
    )
    last_status_code = models.PositiveSmallIntegerField(
        "last HTTP status", null=True, blank=True, help_text="The endpoint's last answer, if any."
    )
    last_error = models.TextField(
        "last error", blank=True, help_text="Why the last try failed, when there was no answer."
    )

    class Meta:
        ordering = ["-event__created_at", "endpoint__name"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "endpoint"], name="one_webhook_delivery_per_endpoint"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "succeeded", "failed", "cancelled"]),
                name="webhook_delivery_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"


class WebhookAttempt(models.Model):
    """One try at sending a delivery: what the endpoint answered, or why there was no answer."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        verbose_name="delivery",
        on_delete=models.CASCADE,
        related_name="attempts_made",
        help_text="The delivery tried.",
    )
    attempted_at = models.DateTimeField(
        "attempted", default=timezone.now, help_text="When the request was sent."
    )
    status_code = models.PositiveSmallIntegerField(
        "HTTP status", null=True, blank=True, help_text="Empty when the endpoint did not answer."
    )
    error = models.TextField(
        "error", blank=True, help_text="Connection error, timeout or refused redirect."
    )
    duration_ms = models.PositiveIntegerField("duration (ms)", help_text="How long the try took.")

    class Meta:
        ordering = ["attempted_at", "pk"]
        verbose_name = "webhook attempt"
        verbose_name_plural = "webhook attempts"

    def __str__(self) -> str:
        outcome = f"HTTP {self.status_code}" if self.status_code is not None else self.error
        return f"{self.attempted_at:%Y-%m-%d %H:%M:%S}: {outcome}"
