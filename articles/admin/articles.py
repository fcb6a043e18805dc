"""The article admin: the working copy's list and form. Every save is a new version through
``reviews.workflow.save_working_copy``; the extra pages are in ``article_views``."""

from django.contrib import admin, messages
from django.db.models import OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from mbc_cms.version_admin import SafeVersionAdmin
from reviews import evidence, quality, workflow
from reviews.readability import FERNANDEZ_HUERTA, analyse

from ..images.delivery import describe
from ..images.manifest import by_id
from ..models import Article, ArticleRevision
from ..rendering import render_markdown
from ..selectors import article_versions
from ..translations import live_snapshot_value
from ..validators import doi_warning
from .article_form import (
    ArchiveFilter,
    ArticleAdminForm,
    EvidenceChangedFilter,
    ReferenceInline,
    ReviewDueFilter,
    ReviewQueueFilter,
    TranslationFilter,
)
from .article_views import ArticleViews
from .images import ImageRightsExpiredFilter
from .translation_views import TranslationViews


@admin.register(Article)
class ArticleAdmin(TranslationViews, ArticleViews, SafeVersionAdmin):
    form = ArticleAdminForm
    # Articles are archived, never deleted, and an old version comes back only through the
    # restore page (a new version that needs review): reversion's recover has nothing to do.
    recover_deleted = False
    inlines = [ReferenceInline]
    list_display = [
        "title",
        "audience",
        "language",
        "state",
        "version",
        "live_version",
        "next_review_due",
        "evidence_flag",
        "updated_at",
    ]
    list_filter = [
        ReviewQueueFilter,
        EvidenceChangedFilter,
        ImageRightsExpiredFilter,
        TranslationFilter,
        "state",
        "audience",
        "language",
        "topics",
        ReviewDueFilter,
        ArchiveFilter,
    ]
    search_fields = ["title", "summary", "body", "slug"]
    list_per_page = 50
    # Topics, authors and trials are checkboxes (ArticleAdminForm), the counterpart and the
    # lead image native selects: no filter_horizontal, autocomplete or raw-id widgets, whose
    # markup screen readers cannot name (mbc_cms/admin_widgets.py, docs/architecture.md).
    readonly_fields = ["readability", "rendered_preview", "images_shown", "translation"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "audience", "language", "translation"]}),
        (
            "Body",
            {
                "fields": [
                    "body",
                    "readability",
                    "rendered_preview",
                    "lead_image",
                    "images_shown",
                    "expected_version",
                ]
            },
        ),
        ("Classification", {"fields": ["topics", "related_trials", "counterpart"]}),
        ("Credits and review cycle", {"fields": ["authors", "review_interval_months"]}),
    ]
    object_history_template = "admin/articles/article/object_history.html"

    class Media:
        js = ["admin/article_preview.js", "admin/article_images.js"]
        css = {"all": ["admin/article_admin.css"]}

    def get_queryset(self, request):
        # The live version of each row in the same query (the list shows it).
        articles = (
            super()
            .get_queryset(request)
            .annotate(live_version_number=live_snapshot_value(OuterRef("pk"), "version"))
        )
        return evidence.with_evidence_changed(articles)

    @admin.display(description="evidence", ordering="evidence_changed")
    def evidence_flag(self, obj: Article) -> str:
        if not getattr(obj, "evidence_changed", False):
            return "—"
        return format_html(
            '<a href="{}#article-{}" class="evidence-changed">Evidence changed</a>',
            reverse("admin:articles_article_evidence"),
            obj.pk,
        )

    @admin.display(description="live version")
    def live_version(self, obj: Article) -> str:
        if hasattr(obj, "live_version_number"):
            number = obj.live_version_number
        else:
            snapshot = workflow.live_snapshot(obj)
            number = snapshot.version if snapshot else None
        return f"v{number}" if number else "—"

    @admin.display(description="readability")
    def readability(self, obj: Article) -> str:
        if not obj.pk:
            return "Shown after the first save."
        score = analyse(obj.body, obj.language)
        ease = (
            ""
            if score.scale == FERNANDEZ_HUERTA
            else f" · reading ease {score.flesch_reading_ease}"
        )
        summary = f"{score.summary}{ease} · {score.words} words, {score.sentences} sentences"
        warnings = quality.warnings(obj)
        if warnings:
            return format_html(
                '{}<br><span class="readability-warning" role="alert">{}</span>',
                summary,
                " ".join(warnings),
            )
        return summary

    @admin.display(description="translation of")
    def translation(self, obj: Article) -> str:
        """The source and source version of a translation, read-only: set by "Translate
        into …" and "Mark as updated to source version N", never typed."""
        if obj.translation_of_id is None:
            return "Not a translation."
        return format_html(
            '<a href="{}">{}</a> ({}), source version {}',
            reverse("admin:articles_article_change", args=[obj.translation_of_id]),
            obj.translation_of.title,
            obj.translation_of.language,
            obj.source_version or "(none)",
        )

    @admin.display(description="images shown")
    def images_shown(self, obj: Article) -> str:
        """The images this version shows as they stood when it was saved (its manifest)."""
        if not obj.images:
            return "None. Insert an image with the “Insert image” button under the body."
        return format_html_join("", "<p>{}</p>", ((describe(data),) for data in obj.images))

    @admin.display(description="rendered preview")
    def rendered_preview(self, obj: Article) -> str:
        rendered = render_markdown(obj.body or "", images=by_id(obj.images)) if obj.pk else None
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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # get_object answers None for an id that is not a number, as for an unknown one.
        article = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if article is not None:
            context.update(self._workflow_context(request, article))
            context.update(self._translation_context(request, article))
        return super().change_view(request, object_id, form_url, extra_context=context)

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
