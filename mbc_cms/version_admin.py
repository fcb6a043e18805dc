"""The one django-reversion ``VersionAdmin`` that every versioned model's admin uses.

django-reversion's recover and revert views trust the version id in the URL. ``recover_view``
checks only the add permission of the admin it is reached through, then reverts the version's
whole revision, whatever model it belongs to; both views keep the revert whenever the change
form answers with a redirect, including the "does not exist" redirect and "save as new". So a
writer could restore an editor-only trial through the article recover URL, and a reviewer
another reviewer's profile. ``SafeVersionAdmin`` lets through only versions of the admin's own
model (anything else is 404): revert only an existing record the user may revert, recover only
a deleted record's latest version, and only from a revision that holds nothing else.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Count, Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from reversion.admin import VersionAdmin
from reversion.models import Version


class SafeVersionAdmin(VersionAdmin):
    """A ``VersionAdmin`` whose recover and revert views touch only this admin's own records."""

    #: Versions are listed for everyone who may see the record; links to the revert page only
    #: for those who may revert.
    object_history_template = "admin/version_history.html"

    #: False where nothing may be written back by reversion's recover view (articles are
    #: archived, never deleted); its list and form then answer 404 and no link leads there.
    recover_deleted: bool = True

    @property
    def change_list_template(self) -> str | None:
        # reversion's change list only adds the "Recover deleted …" link.
        return "reversion/change_list.html" if self.recover_deleted else None

    def has_revert_permission(self, request: HttpRequest, obj: Model) -> bool:
        """May the user write an old version of ``obj`` back? By default: may they change it."""
        return self.has_change_permission(request, obj)

    def own_version(
        self, request: HttpRequest, object_id: str, version_id: int
    ) -> tuple[Model, Version]:
        """This admin's record ``object_id`` and its version ``version_id``, or 404."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such record.")
        version = Version.objects.get_for_object(obj).filter(pk=version_id).first()
        if version is None:
            raise Http404("That is not a version of this record.")
        return obj, version

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        context = {
            "can_revert": obj is not None and self.has_revert_permission(request, obj),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context=context)

    def recoverable_versions(self) -> QuerySet[Version]:
        """The latest versions of this model's deleted records, each alone in its revision."""
        # Reverting a revision reverts everything in it, so one shared with other records
        # would restore those too.
        return (
            Version.objects.get_deleted(self.model)
            .annotate(records_in_revision=Count("revision__version"))
            .filter(records_in_revision=1)
        )

    def revision_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict | None = None,
    ) -> HttpResponse:
        obj, version = self.own_version(request, object_id, int(version_id))
        if not self.has_revert_permission(request, obj):
            raise PermissionDenied
        if version.revision.version_set.exclude(pk=version.pk).exists():
            raise Http404("This version was saved with other records; edit the record instead.")
        return super().revision_view(request, object_id, version_id, extra_context)

    def recoverlist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        if not self.recover_deleted:
            raise Http404("Nothing of this kind is ever deleted.")
        context = {
            "deleted": self._reversion_order_version_queryset(
                request, self.recoverable_versions().select_related("revision")
            ),
            **(extra_context or {}),
        }
        return super().recoverlist_view(request, context)

    def recover_view(
        self, request: HttpRequest, version_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        if not self.recover_deleted:
            raise Http404("Nothing of this kind is ever deleted.")
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        if not self.recoverable_versions().filter(pk=version_id).exists():
            raise Http404("That is not a deleted record of this kind.")
        return super().recover_view(request, version_id, extra_context)

    def _reversion_revisionform_view(
        self, request: HttpRequest, version: Version, template_name, extra_context=None
    ) -> HttpResponse:
        # Reversion keeps the revert when the change form redirects; "save as new" redirects
        # after adding a different record, keeping a revert that was never shown as saved.
        if request.method == "POST" and "_saveasnew" in request.POST:
            raise BadRequest("Save the restored version itself, not as a new record.")
        return super()._reversion_revisionform_view(request, version, template_name, extra_context)
