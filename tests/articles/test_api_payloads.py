"""The plain payloads of anonymous JSON reads (``articles.api.payloads``) are DRF's, byte for
byte: every demo article and list page built both ways."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from articles import caching, public
from articles.api import payloads, reads, serializers, views
from articles.models import PublishedArticle
from articles.prepared import PreparedQuery
from articles.translations import translation_status
from tests import demo_data

pytestmark = pytest.mark.django_db

LIST_PAGES = ["", "?page=2", "?page_size=1&page=3", "?page_size=100", "?utm_source=x&page=2"]
HEADERS = ("Content-Type", "Allow", "Vary", "Last-Modified", "Cache-Control", "ETag", "xkey")


@pytest.fixture
def demo(settings, request):
    """The demo content, with a page overdue, one due soon, one approved before approval
    times were kept and one signed before disclosures were frozen."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "partner": "100000/minute"},
    }
    demo_data.seed_demo(request, "--extra", "30")
    today = timezone.localdate()
    live = list(public.live_articles().order_by("pk"))
    PublishedArticle.objects.filter(pk=live[0].pk).update(
        next_review_due=today - datetime.timedelta(days=3)
    )
    PublishedArticle.objects.filter(pk=live[1].pk).update(
        next_review_due=today + datetime.timedelta(days=10), reviewed_at=None
    )
    reviewer = {key: value for key, value in live[2].reviewed_by.items() if key != "disclosure"}
    PublishedArticle.objects.filter(pk=live[2].pk).update(reviewed_by=reviewer)
    caching.invalidate()
    return live


def answers(client: Client, path: str, monkeypatch) -> tuple:
    """The anonymous JSON answer to ``path`` from the plain builders, then from DRF."""
    built = []
    cache.clear()
    with monkeypatch.context() as patched:
        item = payloads.article_item
        patched.setattr(payloads, "article_item", lambda *args: built.append(1) or item(*args))
        plain = client.get(path, HTTP_ACCEPT="application/json")
    assert built, f"{path} was not built by the plain builders"
    cache.clear()
    with monkeypatch.context() as patched:
        # Not an anonymous JSON read, as far as the plain answers and the cache know.
        patched.setattr(views, "_anonymous_json_read", lambda request: False)
        drf = client.get(path, HTTP_ACCEPT="application/json")
    return plain, drf


def assert_same(plain, drf, path: str) -> None:
    assert plain.status_code == drf.status_code == 200, path
    assert plain.content == drf.content, path
    for name in HEADERS:
        if name == "Cache-Control":
            continue
        assert plain.get(name) == drf.get(name), (path, name)
    # The shared max-age counts down to the next scheduled change (a demo page is due to go
    # live soon): the second answer, read a moment later, may be a second or so shorter.
    plain_cache, drf_cache = (
        re.fullmatch(r"public, max-age=0, s-maxage=(\d+)", answer["Cache-Control"])
        for answer in (plain, drf)
    )
    assert plain_cache and drf_cache, (path, plain["Cache-Control"], drf["Cache-Control"])
    assert 0 <= int(plain_cache[1]) - int(drf_cache[1]) <= 2, (path, "Cache-Control")


def test_every_demo_article_is_the_serializers(demo, monkeypatch):
    """The detail of every live demo article (English and Spanish, images, counterparts,
    translations, every review status) is DRF's answer byte for byte, headers too."""
    client = Client()
    statuses = set()
    for snapshot in public.live_articles().order_by("pk"):
        path = f"/api/v1/articles/{snapshot.slug}/"
        plain, drf = answers(client, path, monkeypatch)
        assert_same(plain, drf, path)
        statuses.add(plain.json()["review_status"])
    assert statuses == {"current", "due_soon", "overdue"}


def test_list_pages_are_the_serializers(demo, monkeypatch):
    """Unfiltered list pages, any size, are DRF's answer byte for byte, links included."""
    client = Client()
    for query in LIST_PAGES:
        path = f"/api/v1/articles/{query}"
        plain, drf = answers(client, path, monkeypatch)
        assert_same(plain, drf, path)


def test_payload_keys_are_the_serializers_fields(demo, rf):
    """The builders' keys are the serializers' ``Meta.fields``, in order."""
    answer = payloads.Answer(rf.get("/"))
    snapshot = public.live_articles().order_by("pk").first()
    detail = payloads.article_detail(
        snapshot,
        answer,
        status=translation_status(snapshot),
        topics=snapshot.topics.all(),
        trials=snapshot.related_trials.all(),
        images=public.page_images(snapshot),
        changes=public.change_log(snapshot),
        counterpart=None,
        language_versions=[],
    )
    assert list(detail) == serializers.ArticleDetailSerializer.Meta.fields
    item = payloads.article_item(snapshot, answer, translation_status(snapshot), [])
    assert list(item) == serializers.ArticleListSerializer.Meta.fields


@pytest.mark.parametrize(
    "query",
    ["?page=0", "?page=x", "?page=999", "?page_size=0", "?page_size=101", "?language=xx"],
)
def test_refused_parameters_are_still_drfs_errors(live_article, client, query):
    """A bad page, page size or filter is answered by DRF, as before (400 or 404)."""
    response = client.get(f"/api/v1/articles/{query}")
    assert response.status_code in (400, 404)
    assert response["Content-Type"] == "application/json"


def _prepared_reads() -> list:
    """Every prepared query of ``articles.api.reads``, in both overdue forms."""
    found = []
    for value in vars(reads).values():
        if isinstance(value, reads.LiveRead):
            found += [value.without_limit, value.with_limit]
        elif isinstance(value, PreparedQuery):
            found.append(value)
    return found


@pytest.mark.parametrize("overdue_days", [None, 30])
def test_the_reads_of_a_miss_are_prepared(live_article, settings, overdue_days):
    """Each read of the list and detail misses runs SQL compiled once, not through the ORM,
    with the overdue limit off and on."""
    settings.OVERDUE_UNPUBLISH_DAYS = overdue_days
    client = Client()
    assert client.get(f"/api/v1/articles/{live_article.slug}/").status_code == 200
    assert client.get("/api/v1/articles/").status_code == 200
    translation = PublishedArticle(pk=1, article_id=2, translation_of_id=live_article.pk)
    reads.translation_statuses([translation])
    # The detail of an article that no live page translates skips this read.
    reads.live_language_versions(translation)
    reads.live_counterpart(PublishedArticle(counterpart_id=live_article.pk))
    used = [query for query in _prepared_reads() if query._compiled]
    assert len(used) == 9
    for query in used:
        assert None not in query._compiled.values(), query.build


def test_query_counts_of_the_misses(live_article, settings, django_assert_max_num_queries):
    """A miss of the detail reads the snapshot, its topics, trials, language versions and
    change log; a miss of a list page its rows and their topics (the count once per
    generation)."""
    # Nothing kept, so every request is a miss; emptying the cache instead would also drop
    # the generation when it lives in the shared cache (Redis).
    settings.PUBLIC_CACHE_SECONDS = 0
    client = Client()
    client.get("/api/v1/articles/?page_size=2")  # works out the generation and the count
    with django_assert_max_num_queries(5):
        assert client.get(f"/api/v1/articles/{live_article.slug}/").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/api/v1/articles/").status_code == 200


def test_the_overdue_limit_is_applied_alike(demo, settings, monkeypatch):
    """With ``OVERDUE_UNPUBLISH_DAYS`` set, the plain answers leave out the same overdue
    page as DRF's, in the list and at its address."""
    settings.OVERDUE_UNPUBLISH_DAYS = 1
    client = Client()
    for query in LIST_PAGES[:2]:
        path = f"/api/v1/articles/{query}"
        plain, drf = answers(client, path, monkeypatch)
        assert_same(plain, drf, path)
        assert demo[0].slug not in plain.text
    assert client.get(f"/api/v1/articles/{demo[0].slug}/").status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"title": "Cáncer de mama \u2028 line\u2029 para", "n": [1, None, True, 2.5], "e": {}},
        [{"a": "\u00e9\u4e2d\U0001f600", "b": 'quote " and \\ and \n'}],
        {"count": 0, "next": None, "previous": None, "results": []},
    ],
)
def test_json_bytes_are_the_renderers(data):
    """The plain answers' JSON is what DRF's renderer writes (non-ASCII kept, U+2028 and
    U+2029 escaped, compact)."""
    assert views.json_bytes(data) == views.JSON_RENDERER.render(data)


def test_json_bytes_refuse_what_the_renderer_refuses():
    """Out-of-range floats are not JSON, for both."""
    with pytest.raises(ValueError):
        views.JSON_RENDERER.render({"x": float("nan")})
    with pytest.raises(ValueError):
        views.json_bytes({"x": float("nan")})


def test_a_cached_answer_is_the_miss_byte_for_byte(demo, settings):
    """Served from the cache, the detail and the list have the body and headers (the last
    public change included) of the answer that was stored."""
    settings.PUBLIC_CACHE_SECONDS = 600
    client = Client()
    for path in [f"/api/v1/articles/{demo[0].slug}/", "/api/v1/articles/?page=2"]:
        cache.clear()
        miss = client.get(path)
        hit = client.get(path)
        assert miss.status_code == hit.status_code == 200, path
        assert hit.content == miss.content, path
        assert hit["Last-Modified"], path
        for name in HEADERS:
            assert hit.get(name) == miss.get(name), (path, name)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/articles/",
        "/api/v1/articles/bone-pain/",
        "/api/v1/articles/a.b~c%20d/",
        "/api/v1/articles/dolor-óseo/",
        "/api/v1/articles/x/y/",
        "/api/v1/articles//",
        "/api/v1/articles/x",
        "/api/v1/articles",
        "/api/v1/articles/x/\n",
        "/api/v1/articlesx/",
        "/api/v1/topics/bone/",
        "/articles/bone-pain/",
    ],
)
def test_early_routes_are_the_urlconfs(path):
    """The article list and detail found before URL resolution are where the URLconf routes
    the same path, with the same slug; any other path is left to it."""
    from django.urls import Resolver404, resolve

    route = views._article_route(path)
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    names = {"public-api:article-list": {}, "public-api:article-detail": match and match.kwargs}
    if match is not None and match.view_name in names:
        plain = {"public-api:article-list": views.plain_article_list}.get(
            match.view_name, views.plain_article_detail
        )
        assert route == (plain, names[match.view_name]), path
    else:
        assert route is None, path


def test_misses_are_answered_before_url_resolution(live_article, monkeypatch):
    """An anonymous JSON read of the article list or detail that no cache holds is answered
    by PublicCacheMiddleware (no URL resolution); a 404 or a filter still reaches DRF, and
    the plain answer is not built twice."""
    from django.urls import resolvers

    resolved = []
    resolve = resolvers.URLResolver.resolve
    monkeypatch.setattr(
        resolvers.URLResolver,
        "resolve",
        lambda self, path: resolved.append(path) or resolve(self, path),
    )
    looked_up = []
    live_article_at = reads.live_article
    monkeypatch.setattr(
        reads, "live_article", lambda slug: looked_up.append(slug) or live_article_at(slug)
    )
    client = Client()
    for path in [f"/api/v1/articles/{live_article.slug}/", "/api/v1/articles/"]:
        cache.clear()
        assert client.get(path).status_code == 200
        assert resolved == [], path
    cache.clear()
    looked_up.clear()
    assert client.get("/api/v1/articles/no-such-page/").status_code == 404
    assert resolved and looked_up == ["no-such-page"]
    resolved.clear()
    assert client.get("/api/v1/articles/?audience=patient").status_code == 200
    assert resolved
