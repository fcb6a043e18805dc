"""Reader feedback in the editorial API: editors list, read and triage it (one item, or many
at once, all or nothing); clinical reviewers list and read it.

The views are thin: input is validated here, every change goes through
``articles.services.triage_feedback_batch``, the service the admin calls too.
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from articles import services
from articles.models import Feedback
from articles.selectors import feedback_for_triage

from .inputs import AlignedListSerializer, StrictInputMixin
from .schema import DETAIL, FIELD_ERRORS
from .views import EditorialPagination

# The most items one bulk change may name: a page of the list is 20.
BULK_MAX_ITEMS = 500
ID_MAX = 2**63 - 1  # the largest id any supported database stores


class FeedbackPermission(BasePermission):
    """Reading: users who may read feedback (editors, clinical reviewers); changing: editors."""

    message = "Only editors and clinical reviewers may read reader feedback."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return services.can_read_feedback(request.user)
        if not services.can_triage_feedback(request.user):
            self.message = "Only editors may change reader feedback."
            return False
        return True


class IdFilter(django_filters.Filter):
    """An id: a whole number from 1 (anything else is a 400 naming the filter)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, min_value=1, max_value=ID_MAX, **kwargs)


class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """``true`` or ``false``; any other value is a 400 naming the filter."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(
            *args,
            choices=[("true", "true"), ("false", "false")],
            coerce=lambda value: value == "true",
            **kwargs,
        )


class FeedbackFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Feedback.Status.choices, help_text="Handling status."
    )
    clinical_concern = StrictBooleanFilter(help_text="Flagged as a clinical concern.")
    helpful = StrictBooleanFilter(help_text="The reader found the page helpful.")
    article = IdFilter(field_name="article_id", help_text="The article's id.")
    assignee = IdFilter(field_name="assignee_id", help_text="The assignee's user id.")

    class Meta:
        model = Feedback
        fields = ["status", "clinical_concern", "helpful", "article", "assignee"]


class FeedbackSerializer(serializers.ModelSerializer):
    """One item of reader feedback and its handling."""

    article_title = serializers.CharField(source="article.title", read_only=True)

    class Meta:
        model = Feedback
        fields = [
            "id",
            "article",
            "article_title",
            "version",
            "helpful",
            "comment",
            "clinical_concern",
            "status",
            "assignee",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class StrictIdMixin:
    """An id is a JSON integer: 2.5, "2" or true are refused, not read as 2 or 1."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            raise serializers.ValidationError("Give the id as a whole number.")
        return super().to_internal_value(data)


class UserIdField(StrictIdMixin, serializers.PrimaryKeyRelatedField):
    pass


class StrictIdField(StrictIdMixin, serializers.IntegerField):
    pass


class FeedbackChangeSerializer(StrictInputMixin, serializers.Serializer):
    """What an editor may change; what the reader sent is read-only."""

    status = serializers.ChoiceField(
        choices=Feedback.Status.choices, required=False, help_text="Handling status."
    )
    assignee = UserIdField(
        queryset=get_user_model().objects.all(),
        allow_null=True,
        required=False,
        help_text="User id of an active staff editor or clinical reviewer, or null.",
    )
    notes = serializers.CharField(
        allow_blank=True,
        required=False,
        max_length=services.FEEDBACK_NOTES_MAX_LENGTH,
        help_text="Internal notes, never shown to readers.",
    )
    clinical_concern = serializers.BooleanField(
        required=False,
        help_text="Setting it e-mails the article's reviewer of record.",
    )

    # What the reader sent, and the record's own fields: listed so that sending them is
    # refused as read-only rather than as unknown.
    id = serializers.IntegerField(read_only=True)
    article = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    helpful = serializers.BooleanField(read_only=True)
    comment = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def validate(self, attrs: dict) -> dict:
        if not set(attrs) & set(services.TRIAGE_FIELDS):
            raise serializers.ValidationError(
                f"Send at least one field to change: {', '.join(services.TRIAGE_FIELDS)}."
            )
        return attrs


class FeedbackBulkItemSerializer(FeedbackChangeSerializer):
    """One item of a bulk change: the feedback's id and what to change on it."""

    id = StrictIdField(min_value=1, max_value=ID_MAX, help_text="The feedback's id.")


class FeedbackBulkSerializer(AlignedListSerializer):
    """A list of changes; errors are a list aligned with the input."""

    child = FeedbackBulkItemSerializer()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, allow_empty=False, max_length=BULK_MAX_ITEMS, **kwargs)


class FeedbackBulkResultSerializer(serializers.Serializer):
    """The items a bulk change named, as they now stand, in the order given."""

    results = FeedbackSerializer(many=True, read_only=True)


FEEDBACK_ID = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1},
    OpenApiParameter.PATH,
    description="The feedback's id.",
)
FEEDBACK_AUTH_RESPONSES = {
    401: OpenApiResponse(DETAIL, description="No credentials, or an invalid token."),
    403: OpenApiResponse(
        DETAIL,
        description="Only editors and clinical reviewers read feedback; only editors change it.",
    ),
}
NOT_FOUND = OpenApiResponse(DETAIL, description="No such feedback.")
BULK_ERRORS = OpenApiResponse(
    {
        "oneOf": [
            {"type": "array", "items": {"type": "object", "additionalProperties": True}},
            {"type": "object", "additionalProperties": True},
        ]
    },
    description='Errors aligned with the input list: `[{}, {"status": ["..."]}]` (an id '
    'that does not exist is an error on its `id`), or `{"non_field_errors": [...]}` for a '
    "body that is not a list of 1 to 500 objects. Nothing was changed.",
)


def _aligned_error(error: services.FeedbackTriageError, size: int) -> exceptions.ValidationError:
    field = error.field or "non_field_errors"
    return exceptions.ValidationError(
        [{field: [error.message]} if index == error.index else {} for index in range(size)]
    )


@extend_schema_view(
    list=extend_schema(
        summary="List reader feedback, newest first",
        responses={
            200: FeedbackSerializer(many=True),
            400: FIELD_ERRORS,
            **FEEDBACK_AUTH_RESPONSES,
            404: OpenApiResponse(DETAIL, description="Page past the end."),
        },
    ),
    retrieve=extend_schema(
        summary="Read one item of reader feedback",
        parameters=[FEEDBACK_ID],
        responses={200: FeedbackSerializer, **FEEDBACK_AUTH_RESPONSES, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="Triage one item of reader feedback",
        description="Change its status, assignee, internal notes or clinical-concern flag. "
        "Setting the flag e-mails the article's reviewer of record.",
        parameters=[FEEDBACK_ID],
        request=FeedbackChangeSerializer,
        responses={
            200: FeedbackSerializer,
            400: FIELD_ERRORS,
            **FEEDBACK_AUTH_RESPONSES,
            404: NOT_FOUND,
        },
    ),
)
@extend_schema(tags=["editorial"])
class FeedbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reader feedback: list (filtered, paginated), read, triage one, triage many."""

    permission_classes = [IsAuthenticated, FeedbackPermission]
    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilter
    pagination_class = EditorialPagination

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        # The router maps only GET (and POST) on a collection; PATCH on it is the bulk change.
        if actions and actions.get("get") == "list":
            actions = {**actions, "patch": "bulk_partial_update"}
        return super().as_view(actions, **initkwargs)

    def get_queryset(self):
        return feedback_for_triage()

    def handle_exception(self, exc):
        if isinstance(exc, services.FeedbackTriageForbidden):
            exc = exceptions.PermissionDenied(exc.message)
        elif isinstance(exc, services.FeedbackTriageError):
            exc = exceptions.ValidationError({exc.field or "non_field_errors": [exc.message]})
        return super().handle_exception(exc)

    def partial_update(self, request: Request, pk=None) -> Response:
        feedback = self.get_object()
        changes = FeedbackChangeSerializer(data=request.data)
        changes.is_valid(raise_exception=True)
        services.triage_feedback(feedback=feedback, user=request.user, **changes.validated_data)
        return Response(FeedbackSerializer(self.get_queryset().get(pk=feedback.pk)).data)

    @extend_schema(
        summary="Triage several items of reader feedback at once",
        description="A list of objects, each with the feedback's `id` and the fields to "
        "change. All or nothing: if any item is invalid, nothing is changed.",
        operation_id="v1_editorial_feedback_bulk_partial_update",
        request=FeedbackBulkItemSerializer(many=True),
        responses={
            200: FeedbackBulkResultSerializer,
            400: BULK_ERRORS,
            **FEEDBACK_AUTH_RESPONSES,
        },
    )
    def bulk_partial_update(self, request: Request) -> Response:
        items = FeedbackBulkSerializer(data=request.data)
        items.is_valid(raise_exception=True)
        batch = [
            (item["id"], {name: value for name, value in item.items() if name != "id"})
            for item in items.validated_data
        ]
        try:
            services.triage_feedback_batch(user=request.user, items=batch)
        except services.FeedbackTriageForbidden:
            raise
        except services.FeedbackTriageError as error:
            raise _aligned_error(error, len(batch)) from error
        changed = self.get_queryset().in_bulk([pk for pk, _ in batch])
        results = {"results": [changed[pk] for pk, _ in batch]}
        return Response(FeedbackBulkResultSerializer(results).data)
