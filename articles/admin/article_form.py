"""The article change form, its references inline and the list filters."""

import datetime

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from mbc_cms.admin_widgets import CheckboxGroup, name_checkbox_groups
from reviews import evidence, workflow
from reviews.selectors import awaiting_publication

from ..models import ARTICLE_EDITED_FIELDS, Article, Reference
from ..translations import CURRENT, OUTDATED, SOURCE_WITHDRAWN, with_translation_status


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
        fields = ARTICLE_EDITED_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 24, "class": "markdown-body vLargeTextField"}),
            # Plain checkboxes, not the two-box filter_horizontal selector (see admin_widgets).
            "topics": CheckboxGroup,
            "authors": CheckboxGroup,
            "related_trials": CheckboxGroup,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        name_checkbox_groups(self)
        if self.instance.pk and not self.is_bound:
            self.initial["expected_version"] = self.instance.version
        picker = image_picker_url()
        if picker and "body" in self.fields:
            self.fields["body"].widget.attrs["data-image-picker"] = picker

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk:
            current = Article.objects.get(pk=self.instance.pk)
            try:
                workflow.ensure_editable(current, cleaned.get("expected_version"))
            except workflow.WorkflowError as error:
                raise ValidationError(error.message, code="stale") from error
        return cleaned


def image_picker_url() -> str | None:
    """The media library's list, opened as the admin's lookup popup by the "Insert image"
    button under the body (admin/article_images.js); None until the library has an admin."""
    try:
        return reverse("admin:articles_image_changelist") + "?_to_field=id"
    except NoReverseMatch:
        return None


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
    """The queues: for a clinical reviewer, articles in review that they did not write; for an
    editor, approved versions not yet published."""

    title = "review queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        queues = []
        if workflow.is_clinical_reviewer(request.user):
            queues.append(("mine", "Needs my review"))
        if workflow.is_editor(request.user):
            queues.append(("to_publish", "Approved, not yet published"))
        return queues

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return workflow.needs_review_by(request.user, queryset)
        if self.value() == "to_publish":
            return awaiting_publication(queryset)
        return queryset


class EvidenceChangedFilter(admin.SimpleListFilter):
    """Articles citing a trial that changed since a clinician last signed them off."""

    title = "evidence changed"
    parameter_name = "evidence_changed"

    def lookups(self, request, model_admin):
        return [("yes", "Yes: a cited trial changed"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return evidence.flagged_articles(queryset)
        if self.value() == "no":
            return evidence.unflagged_articles(queryset)
        return queryset


class TranslationFilter(admin.SimpleListFilter):
    """Translations whose source was withdrawn (no longer live), whose live page is out of
    date (its source has a newer live version) or current, and articles that are not
    translations."""

    title = "translation"
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [
            (SOURCE_WITHDRAWN, "Source withdrawn: the source is no longer live"),
            (OUTDATED, "Outdated: the source moved on"),
            (CURRENT, "Current"),
            ("none", "Not a translation"),
        ]

    def queryset(self, request, queryset):
        if self.value() in (SOURCE_WITHDRAWN, OUTDATED, CURRENT):
            return with_translation_status(queryset).filter(translation_state=self.value())
        if self.value() == "none":
            return queryset.filter(translation_of__isnull=True)
        return queryset
