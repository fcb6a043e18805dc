"""Topics and trials (versioned), live snapshots (read-only), and reader feedback (triaged by
editors, read by clinical reviewers)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from mbc_cms.admin_mixins import ReadOnlyAdminMixin
from mbc_cms.version_admin import SafeVersionAdmin

from .. import selectors, services, trials
from ..models import ClinicalTrial, Feedback, PublishedArticle, Topic, TrialChange
from ..selectors import feedback_assignees


@admin.register(Topic)
class TopicAdmin(SafeVersionAdmin):
    list_display = ["name", "slug", "parent", "position"]
    list_filter = ["parent"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]


class TrialChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    """What the syncs from ClinicalTrials.gov recorded as changed, newest first."""

    model = TrialChange
    fields = ["changed_at", "field", "old_value", "new_value"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "changes recorded by the sync (newest first)"

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        # Part of the trial's record: whoever may see the trial sees its changes.
        return request.user.has_perm("articles.view_clinicaltrial") or request.user.has_perm(
            "articles.change_clinicaltrial"
        )


# The registry's fields: written by ``manage.py sync_trials``, read-only once a trial is synced.
REGISTRY_FIELDS = list(ClinicalTrial.REGISTRY_FIELDS)


@admin.register(ClinicalTrial)
class ClinicalTrialAdmin(SafeVersionAdmin):
    """Trials come from ClinicalTrials.gov: once synced, the registry's fields are shown
    read-only (the next sync would overwrite an edit); the plain-language texts stay ours."""

    list_display = ["nct_id", "brief_title", "status_label", "phase_list", "synced_at", "warned"]
    list_filter = ["overall_status", "has_results"]
    search_fields = ["nct_id", "brief_title", "acronym", "sponsor", "summary"]
    inlines = [TrialChangeInline]
    fieldsets = [
        (None, {"fields": ["nct_id"]}),
        (
            "Plain-language texts (written by us, shown to readers)",
            {"fields": ["summary", "eligibility_summary", "last_verified"]},
        ),
        (
            "Registry record (ClinicalTrials.gov)",
            {
                "fields": REGISTRY_FIELDS,
                "description": "Filled by manage.py sync_trials; read-only once synced.",
            },
        ),
        ("Sync", {"fields": ["synced_at", "warnings"]}),
    ]

    def get_deleted_objects(self, objs, request: HttpRequest):
        """A trial an article names (its working copy or any published version) is protected
        like one with recorded changes: deleting it would change approved, published content
        behind its sign-off."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        citing = selectors.articles_naming_trials([trial.pk for trial in objs])
        protected = [*protected, *(f"Article citing it: {title}" for title in citing)]
        return deleted, counts, perms_needed, protected

    def get_readonly_fields(self, request: HttpRequest, obj: ClinicalTrial | None = None):
        synced = obj is not None and obj.synced_at is not None
        return ["synced_at", "warnings"] + (["nct_id", *REGISTRY_FIELDS] if synced else [])

    @admin.display(description="status", ordering="overall_status")
    def status_label(self, obj: ClinicalTrial) -> str:
        return trials.status_label(obj.overall_status)

    @admin.display(description="phases")
    def phase_list(self, obj: ClinicalTrial) -> str:
        return trials.phase_label(obj.phases)

    @admin.display(description="sync warnings", boolean=True)
    def warned(self, obj: ClinicalTrial) -> bool:
        return bool(obj.sync_warnings)

    @admin.display(description="sync warnings")
    def warnings(self, obj: ClinicalTrial) -> str:
        if not obj.sync_warnings:
            return "None"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((str(item),) for item in obj.sync_warnings)),
        )


@admin.register(PublishedArticle)
class PublishedArticleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Snapshots are written by the workflow only; the admin shows them read-only."""

    list_display = ["title", "version", "audience", "go_live_at", "live_until", "published_by"]
    list_filter = ["audience"]
    search_fields = ["title", "slug"]
    list_select_related = ["published_by"]


class FeedbackTriageForm(forms.ModelForm):
    """What an editor changes on reader feedback, validated by the triage service. ``user``
    is set by ``FeedbackAdmin.get_form``."""

    user = None

    class Meta:
        model = Feedback
        fields = ["status", "assignee", "clinical_concern", "notes"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "assignee" in self.fields:
            # Whoever holds it now stays choosable, so that an unrelated change still saves.
            self.fields["assignee"].queryset = (
                get_user_model()
                .objects.filter(
                    Q(pk__in=feedback_assignees().values("pk")) | Q(pk=self.instance.assignee_id)
                )
                .order_by("first_name", "last_name", "username")
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        changes = {name: cleaned[name] for name in self.changed_data if name in cleaned}
        try:
            services.check_feedback_changes(feedback=self.instance, user=self.user, changes=changes)
        except services.FeedbackTriageError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return cleaned


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Reader feedback: editors triage it (status, assignee, notes, clinical concern) through
    ``services.triage_feedback``; clinical reviewers read it. What the reader sent is never
    changed."""

    form = FeedbackTriageForm
    list_display = [
        "created_at",
        "article",
        "status",
        "clinical_concern",
        "helpful",
        "assignee",
        "short_comment",
    ]
    list_filter = [
        "status",
        "clinical_concern",
        "helpful",
        ("assignee", admin.RelatedOnlyFieldListFilter),
        ("article", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["article__title", "comment", "notes"]
    list_select_related = ["article", "assignee"]
    date_hierarchy = "created_at"
    readonly_fields = ["article", "version", "created_at", "helpful", "comment", "updated_at"]
    fieldsets = [
        (
            "What the reader sent",
            {"fields": ["article", "version", "created_at", "helpful", "comment"]},
        ),
        ("Handling", {"fields": ["status", "assignee", "clinical_concern", "notes", "updated_at"]}),
    ]
    actions = ["mark_triaged", "mark_actioned", "mark_dismissed", "assign_to_me"]

    @admin.display(description="comment")
    def short_comment(self, obj: Feedback) -> str:
        return (obj.comment[:120] + "…") if len(obj.comment) > 120 else obj.comment

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return services.can_read_feedback(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return services.can_triage_feedback(request.user)

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request: HttpRequest, obj: Feedback, form, change: bool) -> None:
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        services.triage_feedback(feedback=obj, user=request.user, **changes)

    def _triage_selected(self, request: HttpRequest, queryset, done: str, **changes) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        try:
            services.triage_feedback_batch(user=request.user, items=[(pk, changes) for pk in ids])
        except services.FeedbackTriageError as error:
            self.message_user(request, f"Nothing was changed: {error.message}", messages.ERROR)
            return
        self.message_user(request, f"{len(ids)} item(s) of feedback {done}.", messages.SUCCESS)

    @admin.action(description="Mark selected feedback as triaged", permissions=["change"])
    def mark_triaged(self, request: HttpRequest, queryset) -> None:
        self._triage_selected(request, queryset, "marked triaged", status=Feedback.Status.TRIAGED)

    @admin.action(description="Mark selected feedback as actioned", permissions=["change"])
    def mark_actioned(self, request: HttpRequest, queryset) -> None:
        self._triage_selected(request, queryset, "marked actioned", status=Feedback.Status.ACTIONED)

    @admin.action(description="Mark selected feedback as dismissed", permissions=["change"])
    def mark_dismissed(self, request: HttpRequest, queryset) -> None:
        self._triage_selected(
            request, queryset, "marked dismissed", status=Feedback.Status.DISMISSED
        )

    @admin.action(description="Assign selected feedback to me", permissions=["change"])
    def assign_to_me(self, request: HttpRequest, queryset) -> None:
        self._triage_selected(request, queryset, "assigned to you", assignee=request.user)
