"""The public, read-only API (v1): live articles, topics and trials for partner apps.

Every response carries ``Last-Modified`` (the latest public change) and ``Cache-Control``;
``ConditionalGetMiddleware`` adds a strong ``ETag`` and answers ``If-None-Match`` and
``If-Modified-Since`` with 304. Anonymous clients and partners (API token) are throttled at
different documented rates.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from articles import caching, public
from articles.models import ClinicalTrial, Topic

from . import serializers
from .filters import ArticleFilter, TrialFilter

MAX_PAGE_SIZE = 100


class PublicPagination(PageNumberPagination):
    """``page`` and ``page_size`` (1 to 100); a bad value is a 400, a page past the end 404."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise exceptions.ValidationError(
                {"page_size": [f"Enter a whole number from 1 to {MAX_PAGE_SIZE}."]}
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not (raw.isdigit() and int(raw) >= 1):
            raise exceptions.ValidationError({"page": ["Enter a page number: 1, 2, 3…"]})
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        """Document the limits checked above, so that the schema admits only what is served."""
        limits = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": MAX_PAGE_SIZE},
        }
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(limits.get(parameter["name"], {}))
        return parameters


class PartnerRateThrottle(UserRateThrottle):
    """Partners authenticated with an API token get the higher ``partner`` rate."""

    scope = "partner"


class PublicAPIMixin:
    """Open to everyone, read-only, throttled, and friendly to HTTP caches."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, PartnerRateThrottle]
    pagination_class = PublicPagination
    lookup_value_regex = "[^/]+"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            last_change = caching.last_public_change()
            if last_change is not None:
                response["Last-Modified"] = http_date(last_change.timestamp())
            response["Cache-Control"] = f"public, max-age={settings.PUBLIC_API_MAX_AGE}"
            response["Vary"] = "Accept, Authorization, Origin"
        return response

    def list(self, request, *args, **kwargs):
        return Response(
            caching.cached_data(
                request,
                "api",
                lambda: super(PublicAPIMixin, self).list(request, *args, **kwargs).data,
            )
        )

    def retrieve(self, request, *args, **kwargs):
        return Response(
            caching.cached_data(
                request, "api", lambda: self.retrieve_data(request, *args, **kwargs)
            )
        )

    def retrieve_data(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs).data


DETAIL = serializers.ErrorDetailSerializer
NOT_FOUND = OpenApiResponse(DETAIL, description="No live item with this identifier.")
PAGE_NOT_FOUND = OpenApiResponse(DETAIL, description="Page past the end.")
BAD_PARAMETER = OpenApiResponse(
    OpenApiTypes.OBJECT, description='Invalid parameter: {"parameter": ["message"]}.'
)
BAD_TOKEN = OpenApiResponse(DETAIL, description="An Authorization header with an invalid token.")
THROTTLED = OpenApiResponse(DETAIL, description="Too many requests; see the Retry-After header.")


def list_responses(serializer_class) -> dict:
    return {
        200: serializer_class(many=True),
        400: BAD_PARAMETER,
        401: BAD_TOKEN,
        404: PAGE_NOT_FOUND,
        429: THROTTLED,
    }


def detail_responses(serializer_class) -> dict:
    return {200: serializer_class, 401: BAD_TOKEN, 404: NOT_FOUND, 429: THROTTLED}


@extend_schema(tags=["public: articles"])
@extend_schema_view(
    list=extend_schema(
        summary="List live articles",
        responses=list_responses(serializers.ArticleListSerializer),
    ),
    retrieve=extend_schema(
        summary="A live article",
        responses=detail_responses(serializers.ArticleDetailSerializer),
    ),
)
class ArticleViewSet(PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Published articles only; drafts and unpublished articles do not exist here."""

    lookup_field = "slug"
    filterset_class = ArticleFilter

    def get_queryset(self):
        queryset = public.live_articles().prefetch_related("topics")
        if self.action == "retrieve":
            return queryset.prefetch_related("related_trials")
        return queryset.defer("body_html", "body_text", "references", "toc").order_by(
            "-go_live_at", "pk"
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ArticleDetailSerializer
        return serializers.ArticleListSerializer

    def retrieve_data(self, request, *args, **kwargs):
        snapshot = self.get_object()
        context = {
            **self.get_serializer_context(),
            "changes": public.change_log(snapshot),
            "counterpart": public.live_counterpart(snapshot),
        }
        return serializers.ArticleDetailSerializer(snapshot, context=context).data


@extend_schema_view(
    list=extend_schema(
        summary="List topics",
        responses=list_responses(serializers.TopicSerializer),
    ),
    retrieve=extend_schema(
        summary="A topic",
        responses=detail_responses(serializers.TopicSerializer),
    ),
)
class TopicViewSet(PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    serializer_class = serializers.TopicSerializer
    queryset = Topic.objects.select_related("parent").prefetch_related("children")


@extend_schema_view(
    list=extend_schema(
        summary="List clinical trials",
        responses=list_responses(serializers.TrialSerializer),
    ),
    retrieve=extend_schema(
        summary="A clinical trial",
        parameters=[
            OpenApiParameter(
                "nct_id",
                str,
                OpenApiParameter.PATH,
                pattern=r"^[Nn][Cc][Tt][0-9]{8}$",
                description="The trial's NCT number, e.g. NCT01234567 (case does not matter).",
            )
        ],
        responses=detail_responses(serializers.TrialSerializer),
    ),
)
class TrialViewSet(PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "nct_id"
    serializer_class = serializers.TrialSerializer
    filterset_class = TrialFilter
    queryset = ClinicalTrial.objects.all()

    def get_object(self):
        return get_object_or_404(self.get_queryset(), nct_id=self.kwargs["nct_id"].upper())
