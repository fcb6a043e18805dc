"""The editorial admin: declarative lists and forms, with thin views that call services.

Article saves go through ``reviews.workflow.save_working_copy`` (a stale save is refused with
the writer's text kept in the form); history, comparison and restore read
``articles.selectors`` and write through the workflow too.
"""

import datetime
import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from mbc_cms.version_admin import SafeVersionAdmin
from reviews import workflow
from reviews.forms import form_for
from reviews.readability import analyse, readability_warning

from . import webhooks
from .models import (
    ARTICLE_CONTENT_FIELDS,
    Article,
    ArticleRevision,
    ClinicalTrial,
    Feedback,
    PublishedArticle,
    Reference,
    Topic,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookEventType,
)
from .outbound import validate_public_url
from .previews import preview_url
from .rendering import render_markdown
from .selectors import article_version_content, article_versions, compare_versions
from .services import webhook_endpoint_save
from .snapshots import article_digest
from .validators import doi_warning


class ReferenceInline(admin.StackedInline):
    model = Reference
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    ordering = ["position", "pk"]
    fieldsets = [
        (None, {"fields": [("position", "evidence_level"), "authors", "title"]}),
        (None, {"fields": [("journal", "year"), ("volume", "issue", "pages")]}),
        ("Identifiers", {"fields": [("pmid", "doi", "nct_id"), "url"]}),
    ]


class ArticleAdminForm(forms.ModelForm):
    """The article form, with the version it was opened at so a stale save can be refused."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = ARTICLE_CONTENT_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 24, "class": "markdown-body vLargeTextField"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["expected_version"] = self.instance.version

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk:
            current = Article.objects.get(pk=self.instance.pk)
            try:
                workflow.ensure_editable(current, cleaned.get("expected_version"))
            except workflow.WorkflowError as error:
                raise ValidationError(error.message, code="stale") from error
        return cleaned


class ReviewDueFilter(admin.SimpleListFilter):
    title = "clinical review"
    parameter_name = "review_due"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("30", "Due within 30 days"), ("90", "Due within 90 days")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(next_review_due__lt=today)
        if self.value() in {"30", "90"}:
            return queryset.filter(
                next_review_due__lte=today + datetime.timedelta(days=int(self.value()))
            )
        return queryset


class ArchiveFilter(admin.SimpleListFilter):
    """Articles in use by default; archived ones on request, to restore them."""

    title = "archive"
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("yes", "Archived"), ("all", "All")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=False)
        if self.value() == "all":
            return queryset
        return queryset.active()


class ReviewQueueFilter(admin.SimpleListFilter):
    """The clinical reviewer's queue: articles in review that they did not write."""

    title = "review queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        if workflow.is_clinical_reviewer(request.user):
            return [("mine", "Needs my review")]
        return []

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return workflow.needs_review_by(request.user, queryset)
        return queryset


@admin.register(Article)
class ArticleAdmin(SafeVersionAdmin):
    form = ArticleAdminForm
    # Articles are archived, never deleted, and an old version comes back only through the
    # restore page (a new version that needs review): reversion's recover has nothing to do.
    recover_deleted = False
    inlines = [ReferenceInline]
    list_display = [
        "title",
        "audience",
        "state",
        "version",
        "live_version",
        "next_review_due",
        "updated_at",
    ]
    list_filter = [
        ReviewQueueFilter,
        "state",
        "audience",
        "topics",
        ReviewDueFilter,
        ArchiveFilter,
    ]
    search_fields = ["title", "summary", "body", "slug"]
    list_per_page = 50
    filter_horizontal = ["topics", "authors", "related_trials"]
    autocomplete_fields = ["counterpart"]
    readonly_fields = ["readability", "rendered_preview"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "audience", "language"]}),
        ("Body", {"fields": ["body", "readability", "rendered_preview", "expected_version"]}),
        ("Classification", {"fields": ["topics", "related_trials", "counterpart"]}),
        ("Credits and review cycle", {"fields": ["authors", "review_interval_months"]}),
    ]
    object_history_template = "admin/articles/article/object_history.html"

    class Media:
        js = ["admin/article_preview.js"]
        css = {"all": ["admin/article_admin.css"]}

    @admin.display(description="live version")
    def live_version(self, obj: Article) -> str:
        snapshot = workflow.live_snapshot(obj)
        return f"v{snapshot.version}" if snapshot else "—"

    @admin.display(description="readability")
    def readability(self, obj: Article) -> str:
        if not obj.pk:
            return "Shown after the first save."
        score = analyse(obj.body)
        summary = (
            f"Flesch-Kincaid grade {score.flesch_kincaid_grade} · reading ease "
            f"{score.flesch_reading_ease} · {score.words} words, {score.sentences} sentences"
        )
        warning = readability_warning(score, obj.audience)
        if warning:
            return format_html(
                '{}<br><span class="readability-warning" role="alert">{}</span>', summary, warning
            )
        return summary

    @admin.display(description="rendered preview")
    def rendered_preview(self, obj: Article) -> str:
        rendered = render_markdown(obj.body or "") if obj.pk else None
        # Sanitised by render_markdown (nh3 allow-list), so it is safe to show as HTML.
        saved = mark_safe(rendered.html) if rendered else ""
        return format_html(
            '<div class="article-preview" data-preview-url="{}" aria-live="polite">{}</div>',
            reverse("admin:articles_article_preview"),
            saved or "Save, or press “Preview”, to see the body as readers will.",
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # An archived article is read-only until an editor restores it.
        if obj is not None and obj.archived_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        # The article is saved with its related objects in save_related, as one version.
        pass

    def save_related(self, request, form, formsets, change) -> None:
        article = form.instance

        def save_m2m_and_references(saved: Article) -> None:
            super(ArticleAdmin, self).save_related(request, form, formsets, change)

        workflow.save_working_copy(
            article=article,
            user=request.user,
            comment="Edited in the admin.",
            expected_version=form.cleaned_data.get("expected_version") if change else None,
            save_related=save_m2m_and_references,
        )
        for reference in article.references.all():
            warning = doi_warning(reference.doi)
            if warning:
                messages.warning(request, f"Reference {reference.position}: {warning}")
        if change and workflow.live_snapshot(article) is not None:
            messages.info(
                request,
                f"Saved as version {article.version}. The live page is unchanged until this "
                "version is reviewed, approved and published.",
            )

    # Workflow: the panel on the change page, the action buttons and the review page -------

    def _workflow_context(self, request: HttpRequest, article: Article) -> dict:
        review = article.reviews.order_by("-submitted_at", "-pk").first()
        actions = workflow.allowed_actions(request.user, article, workflow.REVIEW_ACTIONS)
        signs_off = {workflow.Action.APPROVE, workflow.Action.REQUEST_CHANGES}
        return {
            "workflow_actions": [(action, workflow.Action(action).label) for action in actions],
            # What the user is shown now: the forms send it back, so that a click on this page
            # never approves or publishes text that changed since.
            "shown_digest": article_digest(article) if signs_off & set(actions) else "",
            "may_archive": bool(
                workflow.allowed_actions(
                    request.user,
                    article,
                    [workflow.Action.ARCHIVE, workflow.Action.UNARCHIVE],
                )
            ),
            "live_snapshot": workflow.live_snapshot(article),
            "scheduled_snapshot": article.snapshots.filter(go_live_at__gt=timezone.now())
            .filter(live_until__isnull=True)
            .first(),
            "current_review": review,
            "review_comments": review.comments.select_related("author") if review else [],
            "has_ever_published": article.snapshots.exists(),
            "preview_link": request.build_absolute_uri(preview_url(article.pk, article.version)),
            "preview_days": settings.PREVIEW_MAX_AGE // 86400,
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = Article.objects.filter(pk=object_id).first()
        context = dict(extra_context or {})
        if article is not None:
            context.update(self._workflow_context(request, article))
        return super().change_view(request, object_id, form_url, extra_context=context)

    def workflow_view(self, request: HttpRequest, object_id: int, action: str) -> HttpResponse:
        """POST only: run one workflow action with its form and report the outcome."""
        article = self._article_or_403(request, object_id)
        change_page = reverse("admin:articles_article_change", args=[article.pk])
        if request.method != "POST" or action not in workflow.TRANSITION_SERVICES:
            return HttpResponseRedirect(change_page)
        form = form_for(action)(request.POST)
        if not form.is_valid():
            messages.error(request, form.error_text())
            return HttpResponseRedirect(change_page)
        try:
            workflow.TRANSITION_SERVICES[action](
                article=article, user=request.user, seen=form.seen(), **form.inputs()
            )
        except workflow.StaleVersion as error:
            messages.error(request, stale_summary(article, error))
            review_page = reverse("admin:articles_article_review", args=[article.pk])
            return HttpResponseRedirect(f"{review_page}?since={error.seen_version}")
        except workflow.WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{workflow.Action(action).label}: done.")
        return HttpResponseRedirect(change_page)

    def archive_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """POST only: archive the article (delete means archive), or restore it."""
        action = workflow.Action.UNARCHIVE if request.POST.get("restore") else "archive"
        return self.workflow_view(request, object_id, action)

    def review_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Template ``admin/articles/article/review.html``: what changed, and the discussion."""
        article = self._article_or_403(request, object_id)
        baseline = workflow.review_baseline_version(article)
        changes = compare_versions(article, baseline, article.version)
        score = analyse(article.body)
        since = _version_number(request.GET.get("since"), article)
        since_changes = (
            compare_versions(article, since, article.version) if since is not None else []
        )
        context = {
            "since": since,
            "since_changes": since_changes,
            "since_count": sum(change.changed for change in since_changes),
            **self.admin_site.each_context(request),
            **self._workflow_context(request, article),
            "opts": self.opts,
            "original": article,
            "title": f"Review version {article.version} of “{article.title}”",
            "baseline": baseline,
            "changes": changes,
            "changed_count": sum(change.changed for change in changes),
            "readability": score,
            "readability_warning": readability_warning(score, article.audience),
            "audit_entries": article.audit_entries.select_related("user")[:30],
        }
        return TemplateResponse(request, "admin/articles/article/review.html", context)

    def review_comment_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """POST only: add a message to the review discussion."""
        article = self._article_or_403(request, object_id)
        if request.method == "POST":
            try:
                workflow.add_review_comment(
                    article=article, user=request.user, body=request.POST.get("body", "")
                )
            except workflow.WorkflowError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "Comment added.")
        return redirect("admin:articles_article_review", article.pk)

    # Version history, comparison and restore ----------------------------------------------

    def get_urls(self):
        views = [
            ("preview/", self.preview_view, "preview"),
            ("<int:object_id>/workflow/<str:action>/", self.workflow_view, "workflow"),
            ("<int:object_id>/archive/", self.archive_view, "archive"),
            ("<int:object_id>/review/", self.review_view, "review"),
            ("<int:object_id>/review/comment/", self.review_comment_view, "review_comment"),
            ("<int:object_id>/history/compare/", self.compare_view, "compare"),
            ("<int:object_id>/history/restore/<int:number>/", self.restore_view, "restore"),
        ]
        urls = [
            path(route, self.admin_site.admin_view(view), name=f"articles_article_{name}")
            for route, view, name in views
        ]
        return urls + super().get_urls()

    def history_view(self, request, object_id, extra_context=None):
        article = get_object_or_404(Article, pk=object_id)
        versions = article_versions(article)
        context = {
            "versions": list(reversed(versions)),
            "compare_url": reverse("admin:articles_article_compare", args=[article.pk]),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context=context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Send reversion's revert link (GET or POST) to our restore page, which keeps the
        workflow sound; only this article's own versions are found."""
        article, version = self.own_version(request, object_id, int(version_id))
        row = get_object_or_404(ArticleRevision, revision_id=version.revision_id)
        return redirect("admin:articles_article_restore", article.pk, row.version)

    def _article_or_403(self, request: HttpRequest, object_id: int) -> Article:
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def compare_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Template ``admin/articles/article/compare.html``: two versions side by side."""
        article = self._article_or_403(request, object_id)
        versions = article_versions(article)
        numbers = [v.number for v in versions]
        try:
            old = int(request.GET.get("from", numbers[-2] if len(numbers) > 1 else numbers[-1]))
            new = int(request.GET.get("to", numbers[-1]))
        except (ValueError, IndexError):
            messages.error(request, "Choose two versions to compare.")
            return redirect("admin:articles_article_history", article.pk)
        changes = compare_versions(article, old, new)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"Compare version {old} with version {new}",
            "old": old,
            "new": new,
            "versions": versions,
            "changes": changes,
            "changed_count": sum(change.changed for change in changes),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request: HttpRequest, object_id: int, number: int) -> HttpResponse:
        """Template ``admin/articles/article/restore.html``: confirm, then restore as new."""
        article = self._article_or_403(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        article_version_content(article, number)  # 404 for an unknown version
        if request.method == "POST":
            try:
                workflow.restore_version(
                    article=article,
                    number=number,
                    user=request.user,
                    expected_version=int(request.POST.get("expected_version", article.version)),
                )
            except workflow.WorkflowError as error:
                messages.error(request, error.message)
                return redirect("admin:articles_article_history", article.pk)
            messages.success(
                request,
                f"Restored the content of version {number} as version {article.version}. It "
                "needs clinical review before it can be published.",
            )
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        changes = compare_versions(article, article.version, number)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"Restore version {number}",
            "number": number,
            "changes": changes,
            "changed_count": sum(change.changed for change in changes),
        }
        return TemplateResponse(request, "admin/articles/article/restore.html", context)

    def preview_view(self, request: HttpRequest) -> JsonResponse:
        """Render posted Markdown exactly as the public page will (sanitised)."""
        if request.method != "POST":
            return JsonResponse({"error": "Use POST."}, status=405)
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return JsonResponse({"html": render_markdown(request.POST.get("body", "")).html})


def _version_number(raw: str | None, article: Article) -> int | None:
    """A saved version of ``article`` older than the current one, from a query parameter."""
    if not raw or not raw.isdigit() or not 1 <= int(raw) < article.version:
        return None
    return int(raw)


def stale_summary(article: Article, error: workflow.StaleVersion) -> str:
    """The stale-action message, with what changed between the version the user saw and now."""
    seen = _version_number(str(error.seen_version), Article.objects.get(pk=article.pk))
    if seen is None:
        return error.message
    changed = [
        change.label
        + (
            " ("
            + ", ".join(f"{old or '—'} → {new or '—'}" for old, new in change.numbers_changed)
            + ")"
            if change.numbers_changed
            else ""
        )
        for change in compare_versions(article, seen, error.current_version)
        if change.changed
    ]
    what = "; ".join(changed) if changed else "nothing in the content"
    return f"{error.message} Changed since version {seen}: {what}."


@admin.register(Topic)
class TopicAdmin(SafeVersionAdmin):
    list_display = ["name", "slug", "parent", "position"]
    list_filter = ["parent"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]


@admin.register(ClinicalTrial)
class ClinicalTrialAdmin(SafeVersionAdmin):
    list_display = ["nct_id", "brief_title", "overall_status", "phase_list", "last_verified"]
    list_filter = ["overall_status"]
    search_fields = ["nct_id", "brief_title", "summary"]

    @admin.display(description="phases")
    def phase_list(self, obj: ClinicalTrial) -> str:
        return ", ".join(obj.phases)


@admin.register(PublishedArticle)
class PublishedArticleAdmin(admin.ModelAdmin):
    """Snapshots are written by the workflow only; the admin shows them read-only."""

    list_display = ["title", "version", "audience", "go_live_at", "live_until", "published_by"]
    list_filter = ["audience"]
    search_fields = ["title", "slug"]
    list_select_related = ["published_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Readers' "Was this helpful?" answers, for editors to act on."""

    list_display = ["created_at", "article", "version", "helpful", "short_comment"]
    list_filter = ["helpful", "created_at"]
    search_fields = ["article__title", "comment"]
    list_select_related = ["article"]
    date_hierarchy = "created_at"

    @admin.display(description="comment")
    def short_comment(self, obj: Feedback) -> str:
        return (obj.comment[:120] + "…") if len(obj.comment) > 120 else obj.comment

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# Partner webhooks --------------------------------------------------------------------------------


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
        webhook_endpoint_save(endpoint=obj, user=request.user)


class OutboxInline(admin.TabularInline):
    """Rows written by ``articles.webhooks`` only: shown, never edited."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return list(self.fields)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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


class OutboxAdmin(admin.ModelAdmin):
    """The webhook outbox is written by ``articles.webhooks`` only; the admin shows it."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
