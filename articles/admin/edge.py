"""The purges of the caching proxies that keep failing (``articles.edge``): read only, for
every staff member, with a warning on the admin index while any are."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mbc_cms.admin_mixins import ReadOnlyAdminMixin

from ..models import EdgePurge


@admin.register(EdgePurge)
class EdgePurgeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Only the failing purges: undelivered after three attempts or five minutes."""

    list_display = [
        "created_at",
        "url",
        "keys",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = ["status", "url"]
    fields = [
        "url",
        "keys",
        "status",
        "created_at",
        "attempts",
        "next_attempt_at",
        "last_error",
        "done_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[EdgePurge]:
        return EdgePurge.objects.failing()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)
