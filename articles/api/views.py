"""The public, read-only API (v1): live articles, topics and trials for partner apps.

Every response carries ``Last-Modified`` (the latest public change), and the anonymous ones
the ``Cache-Control`` and surrogate keys of the caching proxy (``articles.edge``);
``ConditionalGetMiddleware`` adds a strong ``ETag`` and answers ``If-None-Match`` and
``If-Modified-Since`` with 304. Anonymous clients and partners (API token) are throttled at
different documented rates.
"""

from collections.abc import Callable
from functools import partial, wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import InvalidPage, Page
from django.core.signals import setting_changed
from django.db.models import Prefetch
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import get_script_prefix, reverse
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, viewsets
from rest_framework.authentication import (
    SessionAuthentication,
    TokenAuthentication,
    get_authorization_header,
)
from rest_framework.compat import LONG_SEPARATORS, SHORT_SEPARATORS
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.utils.urls import remove_query_param, replace_query_param

from articles import caching, edge, public, ratelimit, translations
from articles.models import ClinicalTrial, Topic, TrialChange

from . import payloads, reads, serializers
from .filters import ORDERING_PARAMETER, ArticleFilter, TrialFilter

MAX_PAGE_SIZE = 100
JSON_RENDERER = JSONRenderer()

# The query parameters any public API view reads; cache keys use these and ignore the rest.
API_PARAMETERS = (
    "audience",
    "condition",
    "country",
    "intervention",
    "language",
    "ordering",
    "page",
    "page_size",
    "phase",
    "reviewed_since",
    "search",
    "status",
    "topic",
    "updated_since",
)

# Those that choose which items a list has (not which page of it, nor their order).
COUNTED_PARAMETERS = tuple(
    name for name in API_PARAMETERS if name not in ("page", "page_size", "ordering")
)


class PublicPagination(PageNumberPagination):
    """``page`` and ``page_size`` (1 to 100); a bad value is a 400, a page past the end 404."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise exceptions.ValidationError(
                {"page_size": [f"Enter a whole number from 1 to {MAX_PAGE_SIZE}."]}
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
            raise exceptions.ValidationError({"page": ["Enter a page number: 1, 2, 3…"]})
        # The number of items is counted once per list and generation of public content,
        # not on every cache miss (a COUNT(*) of every live article at 100,000 of them).
        key = caching.list_key(request._request, COUNTED_PARAMETERS)
        counter = queryset.count if hasattr(queryset, "query") else partial(len, queryset)
        count = caching.generation_count(request._request, f"api:{key}", counter)
        self.django_paginator_class = partial(caching.CountedPaginator, count=count)
        return super().paginate_queryset(queryset, request, view)

    def get_next_link(self) -> str | None:
        return next_link(self.request._request, self.page)

    def get_previous_link(self) -> str | None:
        return previous_link(self.request._request, self.page)

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


def _base_url(request: HttpRequest) -> str:
    """This address with only the parameters the API reads: the next and previous links
    of a cached answer are the same for everyone, so they must not carry what the first
    client happened to add (``?utm_source=…``)."""
    kept = [
        (name, value)
        for name, values in request.GET.lists()
        if name in API_PARAMETERS
        for value in values
    ]
    query = f"?{urlencode(kept)}" if kept else ""
    return request.build_absolute_uri(request.path) + query


def next_link(request: HttpRequest, page: Page) -> str | None:
    if not page.has_next():
        return None
    return replace_query_param(
        _base_url(request), PublicPagination.page_query_param, page.next_page_number()
    )


def previous_link(request: HttpRequest, page: Page) -> str | None:
    if not page.has_previous():
        return None
    number = page.previous_page_number()
    if number == 1:
        return remove_query_param(_base_url(request), PublicPagination.page_query_param)
    return replace_query_param(_base_url(request), PublicPagination.page_query_param, number)


class PublicTokenAuthentication(TokenAuthentication):
    """A partner's token where one is given; an ``Authorization`` header that carries none
    (empty, ``Token`` alone, another scheme) is an anonymous request, as without the header.
    Generated clients send the header whatever the token, an empty one included."""

    def authenticate(self, request):
        if len(get_authorization_header(request).split()) < 2:
            return None
        return super().authenticate(request)


class PublicSessionAuthentication(SessionAuthentication):
    """A signed-in user's session where the request carries one. Without a session cookie the
    session is not even looked at, so an anonymous answer does not vary on ``Cookie`` and a
    caching proxy may share it (``articles.edge``)."""

    def authenticate(self, request):
        if settings.SESSION_COOKIE_NAME not in request._request.COOKIES:
            return None
        return super().authenticate(request)


class PublicRateThrottle(BaseThrottle):
    """Anonymous clients get the ``anon`` rate per address; partners authenticated with an
    API token the higher ``partner`` rate per account (fixed windows, ``articles.ratelimit``)."""

    def allow_request(self, request, view) -> bool:
        if getattr(request._request, "public_rate_counted", False):
            return True  # counted already by serve_public_answer
        if request.user.is_authenticated:
            scope, client = "partner", f"user:{request.user.pk}"
        else:
            scope, client = "anon", f"address:{ratelimit.client_address(request)}"
        self.retry_after = ratelimit.hit(f"api-{scope}:{client}", *ratelimit.api_rate(scope))
        return self.retry_after is None

    def wait(self) -> int | None:
        return self.retry_after


def _anonymous_json_read(request: HttpRequest) -> bool:
    """A GET or HEAD without credentials asking for JSON: the answer every such client gets
    is the same bytes, so it can be served from the cache before DRF runs. Worked out once
    per request (the middleware and the view's wrapper both ask)."""
    known = getattr(request, "public_anonymous_json_read", None)
    if known is None:
        known = request.public_anonymous_json_read = (
            request.method in ("GET", "HEAD")
            and "HTTP_AUTHORIZATION" not in request.META
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and request.META.get("HTTP_ACCEPT", "*/*") in ("*/*", "application/json", "")
            and "format" not in request.GET
        )
    return known


def cached_api_answer(request: HttpRequest) -> HttpResponse | None:
    """For an anonymous JSON read of the public API: counted against the anonymous rate
    (once per request) and answered 429 over it, else the stored bytes of an earlier answer
    when there is one. None means: let DRF answer."""
    if not _anonymous_json_read(request):
        return None
    if not getattr(request, "public_rate_counted", False):
        request.public_rate_counted = True
        client = f"address:{ratelimit.client_address(request)}"
        retry_after = ratelimit.hit(f"api-anon:{client}", *ratelimit.api_rate("anon"))
        if retry_after is not None:
            response = JsonResponse(
                {"detail": exceptions.Throttled(retry_after).detail}, status=429
            )
            response["Retry-After"] = str(retry_after)
            return response
    response = caching.get_api_answer(request, _answer_key(request))
    if response is None:
        request.public_api_missed = True  # the view need not look again (PublicCacheMiddleware)
    return response


def _answer_key(request: HttpRequest) -> str:
    """The cache key of the anonymous JSON answer to ``request``, worked out once for it (the
    generation it names is the request's, ``caching.public_state``)."""
    key = getattr(request, "public_api_key", None)
    if key is None:
        key = request.public_api_key = caching.cache_key(request, "api-json", API_PARAMETERS)
    return key


PlainAnswer = Callable[..., HttpResponse | None]


def serve_public_answer(view, plain: PlainAnswer | None = None):
    """Wrap a public API view: ``cached_api_answer`` first, then for an anonymous JSON read
    the view's ``plain`` answer where it has one (None from it: let DRF answer), else DRF;
    200 answers to anonymous JSON reads are stored as bytes for the next such request."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not getattr(request, "public_api_missed", False):
            answer = cached_api_answer(request)
            if answer is not None:
                return answer
        response = None
        tried = getattr(request, "public_plain_tried", False)  # by early_plain_answer
        if plain is not None and not tried and _anonymous_json_read(request):
            response = plain(request, *args, **kwargs)
        if response is None:
            response = view(request, *args, **kwargs)
        _keep(request, response)
        return response

    return wrapper


def _keep(request: HttpRequest, response: HttpResponse) -> None:
    """Store a 200 answer to an anonymous JSON read for the next such request."""
    if _anonymous_json_read(request) and response.status_code == 200:
        if hasattr(response, "render"):
            response.render()
        caching.store_api_answer(request, _answer_key(request), response)


def _set_last_modified(request: HttpRequest, response: HttpResponse) -> None:
    last_change = caching.last_public_change(request)
    if last_change is not None:
        response["Last-Modified"] = http_date(last_change.timestamp())


class PublicAPIMixin:
    """Open to everyone, read-only, throttled, and friendly to HTTP caches."""

    authentication_classes = [PublicTokenAuthentication, PublicSessionAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    pagination_class = PublicPagination
    lookup_value_regex = "[^/]+"

    # Answers to anonymous JSON reads built without DRF, by action (``list``, ``retrieve``).
    plain_answers: dict[str, PlainAnswer] = {}

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        plain = cls.plain_answers.get((actions or {}).get("get"))
        return serve_public_answer(super().as_view(actions, **initkwargs), plain)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            _set_last_modified(request._request, response)
            response["Vary"] = "Accept, Authorization, Origin"
        return response

    def list(self, request, *args, **kwargs):
        edge.tag(request, edge.LIST)
        return Response(
            caching.cached_data(
                request._request,
                "api",
                API_PARAMETERS,
                lambda: super(PublicAPIMixin, self).list(request, *args, **kwargs).data,
            )
        )

    def retrieve(self, request, *args, **kwargs):
        return Response(
            caching.cached_data(
                request._request,
                "api",
                API_PARAMETERS,
                lambda: self.retrieve_data(request, *args, **kwargs),
            )
        )

    def retrieve_data(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs).data


PUBLIC_ACCESS = (
    "No credentials needed. Partners may send `Authorization: Token <token>` for their higher "
    "rate limit; a header with no token is taken as no header."
)
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
        description="Articles as readers see them now: drafts, articles in review and "
        "unpublished articles never appear. Every language is listed unless `language` asks "
        "for one (an explicit parameter: `Accept-Language` is not read, so cached answers are "
        "the same for everyone). A translation carries `translation_status` and "
        f"`source_version` (null for other articles). {PUBLIC_ACCESS}",
        parameters=[ORDERING_PARAMETER],
        responses=list_responses(serializers.ArticleListSerializer),
    ),
    retrieve=extend_schema(
        summary="A live article",
        description="The live version of the article, with its clinical sign-off, references, "
        "public change log and `translations`: its other live language versions (for a "
        "translation, its source and the other translations). A translation's "
        "`translation_status` is `outdated` once a newer version of its source went live. "
        f"{PUBLIC_ACCESS}",
        responses=detail_responses(serializers.ArticleDetailSerializer),
    ),
)
class ArticleViewSet(PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Published articles only; drafts and unpublished articles do not exist here."""

    lookup_field = "slug"
    filterset_class = ArticleFilter

    def get_queryset(self):
        if self.action == "retrieve":
            return self.detail_queryset()
        return self.list_queryset()

    @staticmethod
    def detail_queryset():
        return public.live_articles().prefetch_related("topics", "related_trials")

    @staticmethod
    def list_queryset():
        return (
            public.live_articles()
            .prefetch_related("topics")
            .defer("body_html", "body_text", "references", "toc")
            .order_by("-go_live_at", "pk")
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ArticleDetailSerializer
        return serializers.ArticleListSerializer

    def get_object(self):
        return public.live_article(self.kwargs["slug"], self.get_queryset())

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        # Each translation's status, for the whole page in one query.
        statuses = translations.translation_statuses(page or [])
        for snapshot in page or []:
            snapshot.translation = statuses[snapshot.pk]
        edge.tag_articles(self.request, page or [])
        return page

    def retrieve_data(self, request, *args, **kwargs):
        snapshot = self.get_object()
        context = {
            **self.get_serializer_context(),
            "changes": public.change_log(snapshot),
            "counterpart": public.live_counterpart(snapshot),
            "page_images": public.page_images(snapshot),
            "translations": translations.live_language_versions(snapshot),
        }
        shown = [snapshot, *context["translations"]]
        if context["counterpart"] is not None:
            shown.append(context["counterpart"])
        edge.tag_articles(request, shown)
        edge.tag(request, *(edge.trial_key(t.pk) for t in snapshot.related_trials.all()))
        edge.tag(request, *(edge.topic_key(t.pk) for t in snapshot.topics.all()))
        return serializers.ArticleDetailSerializer(snapshot, context=context).data


# What DRF's list and detail answers carry besides the JSON (``PublicAPIMixin``).
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ARTICLE_FILTERS = frozenset(ArticleFilter.base_filters)


# ``JSON_RENDERER.render(data)`` of an answer's data (no indent asked for) is this encoder's
# text with U+2028 and U+2029 escaped, as UTF-8: one encoder made once, rather than one per
# answer by ``json.dumps``.
JSON_ENCODER = JSON_RENDERER.encoder_class(
    ensure_ascii=JSON_RENDERER.ensure_ascii,
    allow_nan=not JSON_RENDERER.strict,
    separators=SHORT_SEPARATORS if JSON_RENDERER.compact else LONG_SEPARATORS,
)


def json_bytes(data: dict | list) -> bytes:
    """What ``JSON_RENDERER.render(data)`` gives (``tests/articles/test_api_payloads.py``)."""
    text = JSON_ENCODER.encode(data)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode()


def _plain_json(request: HttpRequest, data: dict) -> HttpResponse:
    """``data`` as DRF's ``JSONRenderer`` writes it, with the headers DRF's answer has."""
    response = HttpResponse(json_bytes(data), content_type="application/json")
    response["Allow"] = ALLOWED_METHODS
    _set_last_modified(request, response)
    response["Vary"] = "Accept, Authorization, Origin"
    return response


def _whole_number(raw: str | None, default: int, maximum: int | None = None) -> int | None:
    """A page or page size as ``PublicPagination`` accepts it; None if it would refuse it."""
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        return None
    if maximum is not None and int(raw) > maximum:
        return None
    return int(raw)


def plain_article_list(request: HttpRequest) -> HttpResponse | None:
    """The anonymous JSON answer of the article list with no filter: ``ArticleViewSet.list``
    without django-filter, DRF's negotiation and serializers. None (DRF answers, with its 400
    or 404) for a filter, a bad page or page size, or a page past the end."""
    if not ARTICLE_FILTERS.isdisjoint(request.GET):
        return None
    size = _whole_number(
        request.GET.get(PublicPagination.page_size_query_param),
        PublicPagination.page_size,
        MAX_PAGE_SIZE,
    )
    number = _whole_number(request.GET.get(PublicPagination.page_query_param), 1)
    if size is None or number is None:
        return None
    edge.tag(request, edge.LIST)
    key = caching.list_key(request, COUNTED_PARAMETERS)
    count = caching.generation_count(
        request, f"api:{key}", lambda: ArticleViewSet.list_queryset().count()
    )
    paginator = caching.CountedPaginator((), size, count=count)
    try:
        number = paginator.validate_number(number)
    except InvalidPage:
        return None
    if size == reads.PAGE_SIZE and number <= reads.PREPARED_PAGES:
        snapshots = reads.list_page(number)
        topics = reads.topics_of_page(snapshots)
        statuses = reads.translation_statuses(snapshots)
    else:
        rows = caching.CountedPaginator(ArticleViewSet.list_queryset(), size, count=count)
        snapshots = list(rows.page(number).object_list)
        topics = {s.pk: s.topics.all() for s in snapshots}
        statuses = translations.translation_statuses(snapshots)
    page = Page(snapshots, number, paginator)
    edge.tag_articles(request, snapshots)
    answer = payloads.Answer(request)
    results = [payloads.article_item(s, answer, statuses[s.pk], topics[s.pk]) for s in snapshots]
    return _plain_json(
        request,
        {
            "count": count,
            "next": next_link(request, page),
            "previous": previous_link(request, page),
            "results": results,
        },
    )


def plain_article_detail(request: HttpRequest, slug: str) -> HttpResponse | None:
    """The anonymous JSON answer of one article: ``ArticleViewSet.retrieve`` without DRF's
    negotiation and serializers. None (DRF answers its 404) when no live article is there."""
    snapshot = reads.live_article(slug)
    if snapshot is None:
        return None
    counterpart = reads.live_counterpart(snapshot)
    language_versions = reads.live_language_versions(snapshot, request)
    topics = reads.topics_of(snapshot)
    trials = reads.trials_of(snapshot)
    shown = [snapshot, *language_versions]
    if counterpart is not None:
        shown.append(counterpart)
    edge.tag_articles(request, shown)
    edge.tag(request, *(edge.trial_key(t.pk) for t in trials))
    edge.tag(request, *(edge.topic_key(t.pk) for t in topics))
    data = payloads.article_detail(
        snapshot,
        payloads.Answer(request),
        status=reads.translation_statuses([snapshot])[snapshot.pk],
        topics=topics,
        trials=trials,
        images=public.page_images(snapshot),
        changes=reads.change_log(snapshot),
        counterpart=counterpart,
        language_versions=language_versions,
    )
    return _plain_json(request, data)


ArticleViewSet.plain_answers = {"list": plain_article_list, "retrieve": plain_article_detail}


# The path of the article list in the API (``/api/v1/articles/``), learnt from the URLconf
# once per process.
_articles_path: list[str] = []


@receiver(setting_changed)
def _forget_articles_path(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _articles_path.clear()


def _article_route(path: str) -> tuple[PlainAnswer, dict] | None:
    """The plain answer of the article list or detail at ``path``, with the detail's slug,
    as the router's patterns would route it (``articles/`` and ``articles/<slug>/``, a slug
    being anything without a slash: ``lookup_value_regex``); None for any other path.
    ``tests/articles/test_api_payloads.py`` checks that the URLconf routes the same way."""
    if not _articles_path:
        listed = reverse("public-api:article-list")
        _articles_path.append("/" + listed[len(get_script_prefix()) :])
    base = _articles_path[0]
    if not path.startswith(base):
        return None
    rest = path[len(base) :]
    if rest == "":
        return plain_article_list, {}
    slug = rest[:-1]
    if rest.endswith("/") and slug and "/" not in slug:
        return plain_article_detail, {"slug": slug}
    return None


def early_plain_answer(request: HttpRequest) -> HttpResponse | None:
    """For an anonymous JSON read of the article list or detail that no cache holds: its
    plain answer, stored for the next such request, from ``PublicCacheMiddleware``, as the
    cached answer would be. Resolving the URL and the middleware below (authentication,
    messages, django-axes), none of which such a read uses, were an eighth of its cost.
    None (the request goes on to the view, which does not build the plain answer again)
    for other requests and where the plain answer has none (a filter, an error, a 404)."""
    if not _anonymous_json_read(request):
        return None
    route = _article_route(request.path_info)
    if route is None:
        return None
    plain, kwargs = route
    request.public_plain_tried = True
    response = plain(request, **kwargs)
    if response is not None:
        _keep(request, response)
    return response


@extend_schema(tags=["public: topics"])
@extend_schema_view(
    list=extend_schema(
        summary="List topics",
        description=f"Topics (two levels: `parent` names a sub-topic's topic). {PUBLIC_ACCESS}",
        responses=list_responses(serializers.TopicSerializer),
    ),
    retrieve=extend_schema(
        summary="A topic",
        description=PUBLIC_ACCESS,
        responses=detail_responses(serializers.TopicSerializer),
    ),
)
class TopicViewSet(PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    serializer_class = serializers.TopicSerializer
    queryset = Topic.objects.select_related("parent").prefetch_related("children")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        edge.tag(self.request, *(edge.topic_key(topic.pk) for topic in page or []))
        return page

    def get_object(self):
        topic = super().get_object()
        edge.tag(self.request, edge.topic_key(topic.pk))
        return topic


@extend_schema(tags=["public: trials"])
@extend_schema_view(
    list=extend_schema(
        summary="List clinical trials",
        description="Clinical trials as ClinicalTrials.gov records them, with their status, "
        f"phases, sites and changes. {PUBLIC_ACCESS}",
        responses=list_responses(serializers.TrialSerializer),
    ),
    retrieve=extend_schema(
        summary="A clinical trial",
        description=PUBLIC_ACCESS,
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

    def get_queryset(self):
        return ClinicalTrial.objects.prefetch_related(
            Prefetch("changes", queryset=TrialChange.objects.order_by("-changed_at", "-pk")),
            Prefetch(
                "snapshots",
                queryset=public.live_articles().only("pk", "slug", "article_id"),
                to_attr="live_citing",
            ),
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        public.add_live_reference_citers(page)
        _tag_trials(self.request, page or [])
        return page

    def get_object(self):
        trial = get_object_or_404(self.get_queryset(), nct_id=self.kwargs["nct_id"].upper())
        public.add_live_reference_citers([trial])
        _tag_trials(self.request, [trial])
        return trial


def _tag_trials(request, trials) -> None:
    """The keys of trials as the API shows them: each trial and the live articles citing it
    (a list: articles citing a trial in their references are found by their text)."""
    edge.tag(request, edge.LIST, *(edge.trial_key(trial.pk) for trial in trials))
    edge.tag_articles(request, (s for trial in trials for s in trial.live_citing))
