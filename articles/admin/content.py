"""Topics and trials (versioned), live snapshots (read-only), and reader feedback (triaged by
editors, read by clinical reviewers)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest

from mbc_cms.admin_mixins import ReadOnlyAdminMixin
from mbc_cms.version_admin import SafeVersionAdmin

from .. import services
from ..choices import TrialStatus
from ..models import ClinicalTrial, Feedback, PublishedArticle, Topic
from ..selectors import feedback_assignees


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
    readonly_fields = ["synced_at", "sync_warnings"]

    def get_form(self, request: HttpRequest, obj: ClinicalTrial | None = None, **kwargs):
        """A status the registry sent that we do not know yet (kept by ``sync_trials``)
        stays choosable, so that saving another change keeps it."""
        form = super().get_form(request, obj, **kwargs)
        field = form.base_fields.get("overall_status")
        if obj is not None and field is not None and obj.overall_status not in TrialStatus.values:
            field.choices = [*field.choices, (obj.overall_status, obj.overall_status)]
        return form

    @admin.display(description="phases")
    def phase_list(self, obj: ClinicalTrial) -> str:
        return ", ".join(obj.phases)


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
