"""Admin for reviewer profiles and the (read-only) review records and audit trail."""

from django.contrib import admin

from .models import AuditEntry, Review, ReviewerProfile


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "credentials", "specialty", "institution", "user"]
    search_fields = ["display_name", "specialty", "institution", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by the workflow: visible, never edited by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["article", "version", "status", "submitted_by", "reviewer", "decided_at"]
    list_filter = ["status"]
    search_fields = ["article__title", "comment"]
    list_select_related = ["article", "submitted_by", "reviewer"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "article", "version", "user", "from_state", "to_state"]
    list_filter = ["action"]
    search_fields = ["article__title", "comment", "user__username"]
    list_select_related = ["article", "user"]
    date_hierarchy = "at"
