"""What the editorial API accepts: strict input (unknown or read-only keys are errors), the
fields that name topics, trials and counterparts, and the input of each workflow action, built
from the inputs its transition declares in ``reviews.states`` (as the admin's forms are)."""

from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers
from rest_framework.settings import api_settings

from articles.models import Article, ClinicalTrial, Topic
from articles.validators import normalise_nct_id, validate_nct_id
from reviews.selectors import editorial_staff
from reviews.states import TRANSITIONS, Action, Input

WORKFLOW_FIELD_MESSAGE = (
    "This field is read-only: the state and version change only through the workflow "
    "actions (submit, approve, request-changes, publish, unpublish, confirm-current), never "
    "through an edit."
)
WORKFLOW_FIELDS = frozenset(
    {"state", "version", "live_version", "live_url", "last_reviewed", "next_review_due"}
)


class StrictInputMixin:
    """Refuse keys that would otherwise be silently ignored.

    A typo such as ``publish_on`` must not publish now, and a ``state`` in an edit must not
    look as if it was accepted.
    """

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            errors = {}
            for key in data:
                if key in writable:
                    continue
                if key in WORKFLOW_FIELDS:
                    errors[key] = [WORKFLOW_FIELD_MESSAGE]
                elif key in self.fields:
                    errors[key] = ["This field is read-only."]
                else:
                    errors[key] = ["Unknown field."]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class StrictInputSchema(OpenApiSerializerExtension):
    """Say in the schema what StrictInputMixin enforces: request bodies take no other keys.

    An edit (a partial serializer) must also change something, so it has at least one key.
    """

    target_class = StrictInputMixin
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
            if getattr(self.target, "partial", False):
                schema["minProperties"] = 1
        return schema


class TopicField(serializers.SlugRelatedField):
    """A topic, named by its slug."""

    default_error_messages = {
        "does_not_exist": "Unknown topic: '{value}'.",
        "invalid": "Name a topic by its slug, for example bone-metastases.",
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(slug_field="slug", queryset=Topic.objects.all(), **kwargs)


class TrialField(serializers.SlugRelatedField):
    """A clinical trial already in the database, named by its NCT number."""

    default_error_messages = {
        "does_not_exist": "There is no clinical trial {value} in the database: add the trial "
        "first, then link it.",
        "invalid": "Give the trial's NCT number as text, for example NCT01234567.",
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(slug_field="nct_id", queryset=ClinicalTrial.objects.all(), **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        nct_id = normalise_nct_id(data)
        try:
            validate_nct_id(nct_id)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return super().to_internal_value(nct_id)


class AuthorField(serializers.SlugRelatedField):
    """A person credited in the byline, named by username: an active member of the editorial
    staff (``reviews.selectors.editorial_staff``)."""

    default_error_messages = {
        "does_not_exist": "'{value}' is not an active writer, clinical reviewer or editor: "
        "credit people listed by GET /api/v1/editorial/people/.",
        "invalid": "Name an author by their username.",
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(
            slug_field=get_user_model().USERNAME_FIELD, queryset=editorial_staff(), **kwargs
        )


class CounterpartField(serializers.SlugRelatedField):
    """The same subject for the other audience, named by its slug."""

    default_error_messages = {
        "does_not_exist": "Unknown article: '{value}'.",
        "invalid": "Name the counterpart article by its slug.",
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(slug_field="slug", queryset=Article.objects.active(), **kwargs)


class AlignedListSerializer(serializers.ListSerializer):
    """Report the items' errors as a list aligned with the input: ``[{}, {"pmid": ["..."]}]``
    (an item that is not an object, such as null, gets its messages under
    ``non_field_errors``)."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            detail = error.detail
            if isinstance(detail, dict) and detail and all(isinstance(k, int) for k in detail):
                aligned = [detail.get(index, {}) for index in range(len(data))]
                raise serializers.ValidationError(
                    [
                        item
                        if isinstance(item, dict)
                        else {api_settings.NON_FIELD_ERRORS_KEY: item}
                        for item in aligned
                    ]
                ) from error
            raise


class ReferenceListSerializer(AlignedListSerializer):
    """A list of references; a list-level error is a plain list of messages."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            detail = error.detail
            if isinstance(detail, dict) and set(detail) == {api_settings.NON_FIELD_ERRORS_KEY}:
                raise serializers.ValidationError(
                    detail[api_settings.NON_FIELD_ERRORS_KEY]
                ) from error
            raise


def _input_field(item: Input) -> serializers.Field:
    if item.kind == "datetime":
        return serializers.DateTimeField(default=None, allow_null=True, help_text=item.help_text)
    return serializers.CharField(
        default="", allow_blank=True, max_length=item.max_length, help_text=item.help_text
    )


def _action_serializer(name: str, action: str) -> type[serializers.Serializer]:
    """The input serializer of ``action``, from the inputs its transition declares (the admin's
    forms in ``reviews.forms`` are built from the same declarations)."""
    fields = {item.name: _input_field(item) for item in TRANSITIONS[action].inputs}
    return type(name, (StrictInputMixin, serializers.Serializer), fields)


SubmitSerializer = _action_serializer("SubmitSerializer", Action.SUBMIT)
ApproveSerializer = _action_serializer("ApproveSerializer", Action.APPROVE)
RequestChangesSerializer = _action_serializer("RequestChangesSerializer", Action.REQUEST_CHANGES)
PublishSerializer = _action_serializer("PublishSerializer", Action.PUBLISH)
UnpublishSerializer = _action_serializer("UnpublishSerializer", Action.UNPUBLISH)
ConfirmCurrentSerializer = _action_serializer("ConfirmCurrentSerializer", Action.CONFIRM_CURRENT)
ArchiveSerializer = _action_serializer("ArchiveSerializer", Action.ARCHIVE)
UnarchiveSerializer = _action_serializer("UnarchiveSerializer", Action.UNARCHIVE)

#: The longest message of a review discussion the API takes.
COMMENT_MAX_LENGTH = 10_000


class RestoreSerializer(StrictInputMixin, serializers.Serializer):
    """Which earlier version's content to restore (as a new version)."""

    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="The number of an earlier version of this article.",
    )


class ReviewCommentInputSerializer(StrictInputMixin, serializers.Serializer):
    """A message for the discussion of the article's latest review."""

    body = serializers.CharField(
        max_length=COMMENT_MAX_LENGTH,
        help_text="Plain text: a question for the writers, or a reply to the reviewer.",
    )
