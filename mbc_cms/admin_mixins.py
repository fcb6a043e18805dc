"""What several admins share: records shown but never edited by hand."""

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """For records that only services write (audit trail, reviews, snapshots, the webhook
    outbox, reader feedback): the admin shows them and never adds or changes one. Set
    ``deletable`` where removing one by hand is allowed (spam feedback)."""

    deletable = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.deletable and super().has_delete_permission(request, obj)
