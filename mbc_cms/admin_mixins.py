"""What several admins share: records shown but never edited by hand."""

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """For records that only services write (audit trail, reviews, snapshots, the webhook
    outbox): the admin shows them and never adds, changes or deletes one."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
