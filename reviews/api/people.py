"""The editorial staff in the editorial API: who can be credited as an article's author or be
given reader feedback to handle, with their roles. Names and roles only: no e-mail address or
other contact detail, whoever asks."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from reviews.roles import remember_groups
from reviews.selectors import editorial_staff

from .permissions import IsEditorialUser
from .schema import AUTH_RESPONSES, DETAIL, FIELD_ERRORS
from .serializers import PersonSerializer
from .views import EditorialPagination


@extend_schema_view(
    list=extend_schema(
        summary="List the editorial staff",
        description="Active writers, clinical reviewers and editors, by name: the usernames "
        "an article's `authors` take, and the ids feedback's `assignee` takes (an editor or "
        "a clinical reviewer).",
        responses={
            200: PersonSerializer(many=True),
            400: FIELD_ERRORS,
            **AUTH_RESPONSES,
            404: OpenApiResponse(DETAIL, description="Page past the end."),
        },
    )
)
@extend_schema(tags=["editorial"])
class PeopleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The editorial staff, paginated; their roles are read in a fixed number of queries."""

    permission_classes = [IsAuthenticated, IsEditorialUser]
    serializer_class = PersonSerializer
    pagination_class = EditorialPagination
    filter_backends = []

    def get_queryset(self):
        return editorial_staff().select_related("reviewer_profile").prefetch_related("groups")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        remember_groups(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
