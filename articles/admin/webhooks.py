"""Partner webhooks in the admin: endpoints (editable, their addresses checked), and the
outbox of events, deliveries and attempts (shown, never edited)."""

import json

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest
from django.utils.html import format_html

from mbc_cms.admin_mixins import ReadOnlyAdminMixin

from .. import webhooks
from ..models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookEventType,
)
from ..outbound import validate_public_url
from ..services import save_webhook_endpoint


class PublicURLField(forms.URLField):
    """A URL that must not be, or resolve to, a loopback, private or other non-public address.

    Checked before the URL's syntax, so that ``http://0x7f000001/`` is refused for what it
    means, not as a badly written URL.
    """

    def validate(self, value: str) -> None:
        super().validate(value)
        validate_public_url(value)


class WebhookEndpointForm(forms.ModelForm):
    """An endpoint, with its event types as ticked boxes rather than raw JSON."""

    url = WebhookEndpoint._meta.get_field("url").formfield(
        form_class=PublicURLField, assume_scheme="https"
    )
    event_types = forms.MultipleChoiceField(
        label="event types",
        choices=WebhookEventType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The events this endpoint receives; none ticked means all of them.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "is_active", "event_types"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Partners' endpoints; the signing secret is generated on creation and shown read-only."""

    form = WebhookEndpointForm
    list_display = ["name", "url", "is_active", "subscribed_to", "created_at", "created_by"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    list_select_related = ["created_by"]
    readonly_fields = ["signing_secret", "created_at", "created_by"]
    fieldsets = [
        (None, {"fields": ["name", "url", "is_active", "event_types"]}),
        ("Signing", {"fields": ["signing_secret"]}),
        ("Registered", {"fields": ["created_at", "created_by"]}),
    ]

    @admin.display(description="events")
    def subscribed_to(self, obj: WebhookEndpoint) -> str:
        return ", ".join(obj.event_types) or "All"

    @admin.display(description="signing secret")
    def signing_secret(self, obj: WebhookEndpoint) -> str:
        if not obj.pk:
            return "Generated when you save the endpoint."
        return format_html(
            '<code class="webhook-secret">{}</code><p class="help">Give it to the partner over '
            "a private channel. Every request carries <code>X-MBC-Timestamp</code> and "
            "<code>X-MBC-Signature: sha256=…</code>, the hex HMAC-SHA256 under this secret of "
            "the timestamp, a full stop and the raw request body. The partner recomputes it, "
            "compares with <code>hmac.compare_digest</code> and rejects timestamps more than "
            "5 minutes old. See docs/webhooks.md.</p>",
            obj.secret,
        )

    def save_model(self, request, obj, form, change) -> None:
        save_webhook_endpoint(endpoint=obj, user=request.user)


class OutboxInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Rows written by ``articles.webhooks`` only: shown, never edited."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return list(self.fields)


class WebhookDeliveryInline(OutboxInline):
    model = WebhookDelivery
    fields = [
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "delivered_at",
    ]
    show_change_link = True


class WebhookAttemptInline(OutboxInline):
    model = WebhookAttempt
    # The response body is never stored: only whether and how fast the endpoint answered.
    fields = ["attempted_at", "status_code", "duration_ms", "error"]


class OutboxAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The webhook outbox is written by ``articles.webhooks`` only; the admin shows it."""


@admin.register(WebhookEvent)
class WebhookEventAdmin(OutboxAdmin):
    list_display = ["created_at", "event_type", "article", "deliver_after"]
    list_filter = ["event_type"]
    search_fields = ["article__title", "article__slug"]
    list_select_related = ["article"]
    date_hierarchy = "created_at"
    fields = ["id", "event_type", "article", "created_at", "deliver_after", "payload_json"]
    readonly_fields = fields
    inlines = [WebhookDeliveryInline]

    @admin.display(description="payload")
    def payload_json(self, obj: WebhookEvent) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, indent=2))


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(OutboxAdmin):
    list_display = [
        "event",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "endpoint", "event__event_type"]
    search_fields = ["endpoint__name", "endpoint__url", "event__article__title"]
    list_select_related = ["event", "endpoint"]
    fields = [
        "id",
        "event",
        "endpoint",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "last_status_code",
        "last_error",
    ]
    readonly_fields = fields
    inlines = [WebhookAttemptInline]
    actions = ["retry_now"]

    @admin.action(description="Retry now", permissions=["retry"])
    def retry_now(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        selected = queryset.count()
        queued = webhooks.retry_now(queryset)
        messages.success(
            request,
            f"{queued} failed deliveries will be retried at the next pass."
            + (f" {selected - queued} not failed, left alone." if selected > queued else ""),
        )

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.change_webhookdelivery")
