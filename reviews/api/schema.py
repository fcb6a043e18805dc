"""OpenAPI descriptions shared by the editorial API's operations: parameters, headers and the
responses each kind of operation may give."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers

from articles.api.serializers import ErrorDetailSerializer

from . import serializers as api_serializers

DETAIL = ErrorDetailSerializer
FIELD_ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description='Field errors: {"field": ["message", ...]}, or {"detail": "..."} for a body '
    "that cannot be parsed.",
)


def etag_header(status_code: int = 200) -> OpenApiParameter:
    return OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[status_code],
        description='The article\'s current strong ETag, "<id>-<version>-<state>".',
    )


def record_etag_header(status_code: int = 200) -> OpenApiParameter:
    return OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[status_code],
        description="The record's current strong ETag; it changes with every save.",
    )


IF_MATCH_RECORD = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the record as you last read it (428 if missing, 412 if it "
    "changed since).",
)
ARTICLE_ID = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1},
    OpenApiParameter.PATH,
    description="The article's id.",
)
VERSION = {"type": "integer", "minimum": 1}
IF_MATCH_REQUIRED = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the article as you last read it (428 if missing, 412 if stale).",
)
NOT_FOUND = OpenApiResponse(DETAIL, description="No such article.")
# Every editorial operation: no valid token (401), or not a writer, reviewer or editor (403).
AUTH_RESPONSES = {
    401: OpenApiResponse(DETAIL, description="No credentials, or an invalid token."),
    403: OpenApiResponse(
        DETAIL, description="Only writers, clinical reviewers and editors may use this API."
    ),
}
ACTION_RESPONSES = {
    200: api_serializers.ArticleSerializer,
    400: FIELD_ERRORS,
    **AUTH_RESPONSES,
    403: OpenApiResponse(
        DETAIL, description="Your role does not allow this action, or any editorial action."
    ),
    404: NOT_FOUND,
    409: OpenApiResponse(
        DETAIL,
        description="The article's state does not allow it (or, to publish, another "
        "article's page holds its slug).",
    ),
    412: OpenApiResponse(
        DETAIL, description="If-Match is not the current ETag: the article changed since."
    ),
    428: OpenApiResponse(DETAIL, description="If-Match is missing."),
}
IF_MATCH_ACTION = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the article as you last read it: the action applies to exactly "
    "that version (428 if missing, 412 if the article changed since), so nobody approves or "
    "publishes a version they did not see.",
)


def transition_schema(
    summary: str, request: type[serializers.Serializer], description: str | None = None
):
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses=ACTION_RESPONSES,
        parameters=[ARTICLE_ID, IF_MATCH_ACTION, etag_header()],
    )
