"""What the editorial API's topics, trials and library images share: versioned records outside
the review workflow, each saved through its service with a django-reversion version.

Who may do what is the admin's rule, the model permissions of the editorial groups (writers,
clinical reviewers and editors read; editors change topics and trials; writers and editors
upload and describe images, editors delete them). A change names the version the client read:
``If-Match`` with the record's ``ETag`` (428 without it, 412 when it changed since), checked
again by the service under the row lock.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import models
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import DjangoModelPermissions, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from .exceptions import from_service_error
from .inputs import StrictInputMixin
from .permissions import IsEditorialUser
from .preconditions import check_record_if_match, record_etag
from .schema import DETAIL, FIELD_ERRORS, IF_MATCH_RECORD, record_etag_header
from .views import EditorialPagination


class RecordInputMixin(StrictInputMixin):
    """A record's serializer: unknown and read-only keys are refused, and an edit must change
    something (any save is a new version)."""

    def validate(self, attrs: dict) -> dict:
        if self.partial and not attrs:
            raise serializers.ValidationError("Send at least one field to change.")
        return super().validate(attrs)


_VERBS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class RecordPermissions(DjangoModelPermissions):
    """The model permissions the admin checks: ``view_*`` to read, ``add_*``, ``change_*``
    and ``delete_*`` to write."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request: Request, view) -> bool:
        if super().has_permission(request, view):
            return True
        plural = view.get_queryset().model._meta.verbose_name_plural
        verb = _VERBS.get(request.method, "read")
        self.message = f"Your role does not allow you to {verb} {plural}."
        return False


class VersionedRecordViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """List, read (with ETag), create, change (If-Match) and delete (If-Match) one kind of
    versioned record through its services. Subclasses name the model's serializer and
    services."""

    permission_classes = [IsAuthenticated, IsEditorialUser, RecordPermissions]
    pagination_class = EditorialPagination
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    #: save(record=..., user=..., comment=..., expected_updated_at=...) -> record, as a
    #: staticmethod
    save_service: Callable[..., models.Model]
    #: delete(record=..., user=..., expected_updated_at=...), as a staticmethod
    delete_service: Callable[..., None]
    #: The name of the record argument of the services (``topic``, ``trial``, ``image``).
    record_argument: str

    def filter_queryset(self, queryset):
        # The list's filters; one record is found by its id alone.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def handle_exception(self, exc):
        return super().handle_exception(from_service_error(exc))

    def record_response(self, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        """The record as it now stands in the database, with its ETag."""
        record = self.get_queryset().get(pk=pk)
        data = self.get_serializer(record).data
        headers = {"ETag": record_etag(record)}
        if status_code == status.HTTP_201_CREATED:
            headers["Location"] = self.reverse_action("detail", args=[record.pk])
        return Response(data, status=status_code, headers=headers)

    def save(
        self,
        record: models.Model,
        data: dict[str, Any],
        *,
        comment: str,
        expected_updated_at: datetime.datetime | None = None,
    ) -> models.Model:
        """Set the validated ``data`` on ``record`` and save it through the service."""
        for name, value in data.items():
            setattr(record, name, value)
        return self.save_service(
            **{self.record_argument: record},
            user=self.request.user,
            comment=comment,
            expected_updated_at=expected_updated_at,
        )

    def retrieve(self, request: Request, pk=None) -> Response:
        record = self.get_object()
        return Response(self.get_serializer(record).data, headers={"ETag": record_etag(record)})

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        model = self.get_queryset().model
        record = self.save(
            model(), serializer.validated_data, comment="Created through the editorial API."
        )
        return self.record_response(record.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk=None) -> Response:
        record = self.get_object()
        serializer = self.get_serializer(record, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        check_record_if_match(request, record)
        self.save(
            record,
            serializer.validated_data,
            comment="Changed through the editorial API.",
            expected_updated_at=record.updated_at,
        )
        return self.record_response(record.pk)

    def destroy(self, request: Request, pk=None) -> Response:
        record = self.get_object()
        check_record_if_match(request, record)
        self.delete_service(
            **{self.record_argument: record},
            user=request.user,
            expected_updated_at=record.updated_at,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


def record_schemas(
    *,
    name: str,
    plural: str,
    serializer,
    detail_serializer=None,
    who_writes: str,
    delete_refused: str,
    create_summary: str = "",
    create_description: str = "",
    update_description: str = "",
) -> dict[str, Any]:
    """The OpenAPI descriptions of a ``VersionedRecordViewSet``'s operations, for
    ``extend_schema_view``: ``who_writes`` ends the 403's description ("only editors …")."""
    detail_serializer = detail_serializer or serializer
    record_id = OpenApiParameter(
        "id",
        {"type": "integer", "minimum": 1},
        OpenApiParameter.PATH,
        description=f"The {name}'s id.",
    )
    auth = {
        401: OpenApiResponse(DETAIL, description="No credentials, or an invalid token."),
        403: OpenApiResponse(
            DETAIL,
            description=f"Only writers, clinical reviewers and editors read {plural}; "
            f"{who_writes}.",
        ),
    }
    not_found = OpenApiResponse(DETAIL, description=f"No such {name}.")
    stale = {
        412: OpenApiResponse(
            DETAIL, description=f"If-Match is not the current ETag: the {name} changed since."
        ),
        428: OpenApiResponse(DETAIL, description="If-Match is missing."),
    }
    return {
        "list": extend_schema(
            summary=f"List {plural}",
            description=f"Paginated; every writer, clinical reviewer and editor reads {plural}.",
            responses={
                200: serializer(many=True),
                400: FIELD_ERRORS,
                **auth,
                404: OpenApiResponse(DETAIL, description="Page past the end."),
            },
        ),
        "retrieve": extend_schema(
            summary=f"Read one {name}",
            description="With its ETag, to send in If-Match when you change or delete it.",
            parameters=[record_id, record_etag_header()],
            responses={200: detail_serializer, **auth, 404: not_found},
        ),
        "create": extend_schema(
            summary=create_summary or f"Create a {name}",
            description=create_description or "Saved with a first version in its history.",
            request=serializer,
            parameters=[record_etag_header(201)],
            responses={201: detail_serializer, 400: FIELD_ERRORS, **auth},
        ),
        "partial_update": extend_schema(
            summary=f"Change a {name} (a new version in its history)",
            description=(update_description + " " if update_description else "")
            + "Send only the fields to change. The input is validated first (400), then "
            "If-Match (428, 412).",
            request=serializer,
            parameters=[record_id, IF_MATCH_RECORD, record_etag_header()],
            responses={
                200: detail_serializer,
                400: FIELD_ERRORS,
                **auth,
                404: not_found,
                **stale,
            },
        ),
        "destroy": extend_schema(
            summary=f"Delete a {name}",
            description=f"{delete_refused} Its versions stay in the admin's history.",
            parameters=[record_id, IF_MATCH_RECORD],
            responses={
                204: OpenApiResponse(description="Deleted."),
                **auth,
                404: not_found,
                409: OpenApiResponse(DETAIL, description=f"The {name} is in use: {delete_refused}"),
                **stale,
            },
        ),
    }
