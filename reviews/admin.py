"""Admin for reviewer profiles and the (read-only) review records and audit trail."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from reversion.revisions import set_comment

from mbc_cms.admin_mixins import ReadOnlyAdminMixin
from mbc_cms.version_admin import SafeVersionAdmin

from . import profiles, workflow
from .forms import ReviewerProfileForm, RevokeVerificationForm, VerifyCredentialsForm
from .models import AuditEntry, Review, ReviewerProfile

CREDENTIALS_FORMS = {"verify": VerifyCredentialsForm, "revoke": RevokeVerificationForm}


class CredentialsVerifiedFilter(admin.SimpleListFilter):
    title = "credentials verified"
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("yes", "Verified"), ("no", "Not verified")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(credentials_verified_at__isnull=self.value() == "no")
        return queryset


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(SafeVersionAdmin):
    """Each clinical reviewer keeps their own profile; editors manage every profile and verify
    the credentials on it (``credentials_view``), without which it cannot sign off content.

    Every save is a django-reversion version with its user and comment (the history page). The
    verification is never part of the form: ``profiles.save_reviewer_profile`` keeps it while
    the name, credentials and account stay as verified, and clears it otherwise.
    """

    list_display = [
        "display_name",
        "credentials",
        "specialty",
        "institution",
        "user",
        "review_languages",
        "credentials_verified",
    ]
    list_filter = [CredentialsVerifiedFilter]
    search_fields = ["display_name", "specialty", "institution", "user__username"]
    list_select_related = ["user"]
    # The account is a native select named by its label, not select2's autocomplete, whose
    # combobox screen readers cannot name (mbc_cms/admin_widgets.py).
    fields = [
        "user",
        "display_name",
        "credentials",
        "specialty",
        "institution",
        "disclosure",
        "languages",
        "verification",
    ]
    form = ReviewerProfileForm

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReviewerProfile]:
        profiles = super().get_queryset(request)
        if workflow.is_editor(request.user):
            return profiles
        # Other reviewers' profiles are not this user's to open: the admin answers for them
        # as for any record that is not there.
        return profiles.filter(user=request.user.pk)

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # The account is who signs reviews with this identity; moving it is an editor's call.
        # The review languages say which content the clinician may sign off: an editor's call.
        if workflow.is_editor(request.user):
            return ["verification"]
        return ["user", "languages", "verification"]

    @admin.display(description="review languages")
    def review_languages(self, profile: ReviewerProfile) -> str:
        return ", ".join(profile.languages or []) or "—"

    @admin.display(
        boolean=True, description="credentials verified", ordering="credentials_verified_at"
    )
    def credentials_verified(self, profile: ReviewerProfile) -> bool:
        return profile.credentials_verified_at is not None

    @admin.display(description="credentials verification")
    def verification(self, profile: ReviewerProfile | None) -> str:
        if profile is None or profile.credentials_verified_at is None:
            return (
                "Not verified: this profile cannot sign off content until an editor has checked "
                "the credentials."
            )
        return format_html(
            "Verified on {} by {}: {}",
            f"{profile.credentials_verified_at:%d %b %Y}",
            profile.credentials_verified_by or "a former editor",
            profile.verification_note,
        )

    def save_model(self, request: HttpRequest, obj: ReviewerProfile, form, change: bool) -> None:
        stored = getattr(request, "_profile_before_revert", None)
        if stored is None and change:
            stored = profiles.stored_profile(obj)
        request._verification_cleared = profiles.save_reviewer_profile(
            profile=obj, stored=stored, user=request.user
        )
        if request._verification_cleared:
            messages.warning(request, profiles.CLEARED_MESSAGE)

    def log_change(self, request: HttpRequest, obj: ReviewerProfile, message):
        entry = super().log_change(request, obj, message)
        if getattr(request, "_verification_cleared", False):
            set_comment(f"{entry.get_change_message()} Credentials verification cleared.")
        return entry

    def revision_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict | None = None,
    ) -> HttpResponse:
        # Reversion writes the old version back before the form is saved: the verification to
        # keep or clear is the one the profile had before, never the old version's.
        with transaction.atomic():
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                request._profile_before_revert = profiles.stored_profile(obj)
            return super().revision_view(request, object_id, version_id, extra_context)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        context = {"may_verify": workflow.is_editor(request.user), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self):
        credentials = path(
            "<path:object_id>/credentials/",
            self.admin_site.admin_view(self.credentials_view),
            name="reviews_reviewerprofile_credentials",
        )
        return [credentials, *super().get_urls()]

    def credentials_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Template ``admin/reviews/reviewerprofile/credentials.html``: an editor verifies the
        credentials (saying how) or withdraws the verification; POST ``action`` is ``verify``
        or ``revoke`` with that form's field."""
        if not workflow.is_editor(request.user):
            raise PermissionDenied
        profile = self.get_object(request, unquote(object_id))
        if profile is None:
            raise Http404("No such reviewer profile.")
        shown = {name: form_class() for name, form_class in CREDENTIALS_FORMS.items()}
        status = 200
        if request.method == "POST":
            action = request.POST.get("action")
            if action not in CREDENTIALS_FORMS:
                raise BadRequest("Choose to verify the credentials or to revoke the verification.")
            form = shown[action] = CREDENTIALS_FORMS[action](request.POST)
            status = 400
            if form.is_valid():
                try:
                    if action == "verify":
                        profiles.verify_credentials(
                            profile=profile, editor=request.user, note=form.cleaned_data["note"]
                        )
                    else:
                        profiles.revoke_verification(
                            profile=profile, editor=request.user, reason=form.cleaned_data["reason"]
                        )
                except workflow.ActionForbidden as error:
                    form.add_error(None, error.message)
                    status = 403
                except workflow.InvalidInput as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(
                        request,
                        "Credentials verified."
                        if action == "verify"
                        else "Verification withdrawn.",
                    )
                    return HttpResponseRedirect(
                        reverse("admin:reviews_reviewerprofile_change", args=[profile.pk])
                    )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": profile,
            "title": f"Credentials of {profile.display_name}",
            "own_profile": profile.user_id == request.user.pk,
            "verify_form": shown["verify"],
            "revoke_form": shown["revoke"],
        }
        return TemplateResponse(
            request, "admin/reviews/reviewerprofile/credentials.html", context, status=status
        )

    def _manages(self, request: HttpRequest, obj: ReviewerProfile | None) -> bool:
        return obj is None or workflow.is_editor(request.user) or obj.user_id == request.user.pk

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_view_permission(request, obj) and self._manages(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._manages(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and workflow.is_editor(request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and workflow.is_editor(request.user)

    def has_revert_permission(self, request: HttpRequest, obj: ReviewerProfile) -> bool:
        # Reversion writes back every stored field, the account included, before the form's
        # own checks run; reviewers edit their profile instead.
        return workflow.is_editor(request.user) and self.has_change_permission(request, obj)


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["article", "version", "status", "submitted_by", "reviewer", "decided_at"]
    list_filter = ["status"]
    search_fields = ["article__title", "comment"]
    list_select_related = ["article", "submitted_by", "reviewer"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "action", "article", "version", "user", "from_state", "to_state"]
    list_filter = ["action"]
    search_fields = ["article__title", "comment", "user__username"]
    list_select_related = ["article", "user"]
    date_hierarchy = "at"
