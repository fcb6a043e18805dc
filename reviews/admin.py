"""Admin for reviewer profiles and the (read-only) review records and audit trail."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mbc_cms.admin_mixins import ReadOnlyAdminMixin
from mbc_cms.version_admin import SafeVersionAdmin

from . import workflow
from .models import AuditEntry, Review, ReviewerProfile


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(SafeVersionAdmin):
    """Each clinical reviewer keeps their own profile; editors manage every profile.

    Every save is a django-reversion version with its user and comment (the history page).
    """

    list_display = ["display_name", "credentials", "specialty", "institution", "user"]
    search_fields = ["display_name", "specialty", "institution", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    fields = ["user", "display_name", "credentials", "specialty", "institution", "disclosure"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReviewerProfile]:
        profiles = super().get_queryset(request)
        if workflow.is_editor(request.user):
            return profiles
        # Other reviewers' profiles are not this user's to open: the admin answers for them
        # as for any record that is not there.
        return profiles.filter(user=request.user.pk)

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # The account is who signs reviews with this identity; moving it is an editor's call.
        return [] if workflow.is_editor(request.user) else ["user"]

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
