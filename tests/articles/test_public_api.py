"""The public API: live content only, every filter and error path, caching, CORS, throttling."""

import datetime
import re
import warnings

import pytest
from django.core.cache.backends.base import CacheKeyWarning
from django.utils import timezone
from django.utils.http import http_date
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import ClinicalTrial, Topic
from reviews import workflow

pytestmark = pytest.mark.django_db

DETAIL_FIELDS = {
    "signoff",
    "translation_status",
    "source_version",
    "translations",
    "id",
    "slug",
    "url",
    "title",
    "summary",
    "body_html",
    "audience",
    "language",
    "topics",
    "authors",
    "reviewed_by",
    "last_reviewed",
    "next_review_due",
    "review_status",
    "published_at",
    "updated_at",
    "version",
    "references",
    "related_trials",
    "changes",
    "counterpart",
    "images",
    "lead_image",
}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def publish(make_article, writer, reviewer, editor):
    """Write, approve and publish an article in one call."""

    def publish_article(title, **fields):
        article = make_article(writer, title=title, **fields)
        workflow.submit(article=article, user=writer)
        workflow.approve(article=article, user=reviewer)
        workflow.publish(article=article, user=editor)
        article.refresh_from_db()
        return article

    return publish_article


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["results"]]


def test_list_shape_and_live_only(api, publish, make_article, writer):
    """The list has count/next/previous/results and only live articles."""
    publish("Bone metastases")
    make_article(writer, title="Unpublished draft")
    body = api.get("/api/v1/articles/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1 and slugs(api.get("/api/v1/articles/")) == ["bone-metastases"]


def test_detail_fields(api, publish, reviewer):
    """The detail has every documented field, with the reviewer and structured references."""
    article = publish("Bone metastases")
    data = api.get("/api/v1/articles/bone-metastases/").json()
    assert set(data) == DETAIL_FIELDS
    assert data["id"] == article.pk and data["version"] == article.version
    assert data["url"].endswith("/articles/bone-metastases/")
    assert data["reviewed_by"] == {
        "name": "Dr Ada Reviewer",
        "credentials": "MD",
        "specialty": "Medical oncology",
        "disclosure": "None declared.",
    }
    assert data["references"][0]["pmid"] == "35320644"
    assert data["topics"] == [{"slug": "bone-metastases", "name": "Bone metastases"}]
    assert data["changes"][0]["note"] == "First published."
    assert data["counterpart"] is None
    assert "<h2" in data["body_html"]


def test_detail_of_draft_or_unknown_is_404(api, make_article, writer, live_article, editor):
    """Drafts, unpublished and unknown slugs are 404."""
    draft = make_article(writer, title="Draft")
    workflow.unpublish(article=live_article, user=editor, reason="Outdated.")
    for slug in (draft.slug, live_article.slug, "nope"):
        assert api.get(f"/api/v1/articles/{slug}/").status_code == 404


def test_topic_filter_includes_child_topics(api, publish, topic):
    """?topic=<parent> includes articles filed under its sub-topics."""
    parent = Topic.objects.create(name="Metastasis", slug="metastasis")
    topic.parent = parent
    topic.save()
    publish("Bone metastases")
    assert slugs(api.get("/api/v1/articles/", {"topic": "metastasis"})) == ["bone-metastases"]
    assert slugs(api.get("/api/v1/articles/", {"topic": "bone-metastases"})) == ["bone-metastases"]
    other = Topic.objects.create(name="Diagnosis", slug="diagnosis")
    assert slugs(api.get("/api/v1/articles/", {"topic": other.slug})) == []


def test_audience_search_and_ordering(api, publish):
    """audience, search and ordering filter and sort the list."""
    publish("Liver metastases", body="Jaundice can be a sign [@1].")
    publish("Clinical overview", audience="professional", body="Hepatic lesions [@1].")
    assert slugs(api.get("/api/v1/articles/", {"audience": "professional"})) == [
        "clinical-overview"
    ]
    assert slugs(api.get("/api/v1/articles/", {"search": "jaundice"})) == ["liver-metastases"]
    ordered = slugs(api.get("/api/v1/articles/", {"ordering": "title"}))
    assert ordered == ["clinical-overview", "liver-metastases"]
    assert slugs(api.get("/api/v1/articles/", {"ordering": "-title"})) == ordered[::-1]


def test_updated_and_reviewed_since(api, publish):
    """updated_since and reviewed_since take ISO 8601 dates and date-times."""
    publish("Bone metastases")
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    assert slugs(api.get("/api/v1/articles/", {"updated_since": today.isoformat()}))
    assert not slugs(api.get("/api/v1/articles/", {"updated_since": f"{tomorrow}T00:00:00Z"}))
    assert slugs(api.get("/api/v1/articles/", {"reviewed_since": today.isoformat()}))
    assert not slugs(api.get("/api/v1/articles/", {"reviewed_since": tomorrow.isoformat()}))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"topic": "no-such-topic"}, "topic"),
        ({"audience": "children"}, "audience"),
        ({"updated_since": "last tuesday"}, "updated_since"),
        ({"reviewed_since": "2025-13-45"}, "reviewed_since"),
        ({"ordering": "password"}, "ordering"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        # Unicode digits pass str.isdigit() but not int(): still a 400, never a 500.
        ({"page_size": "²"}, "page_size"),
        ({"page": "abc"}, "page"),
        ({"page": "²"}, "page"),
        ({"language": "x" * 5000}, "language"),
    ],
)
def test_invalid_parameters_are_400_with_message(api, publish, params, field):
    """Each invalid parameter is a 400 naming the parameter, never a 500."""
    publish("Bone metastases")
    response = api.get("/api/v1/articles/", params)
    assert response.status_code == 400
    assert field in response.json() and response.json()[field]


def test_page_size_and_page_past_end(api, publish):
    """page_size limits results; a page past the end is 404."""
    for number in range(3):
        publish(f"Article {number}")
    response = api.get("/api/v1/articles/", {"page_size": 2})
    assert len(response.json()["results"]) == 2 and response.json()["next"]
    assert api.get("/api/v1/articles/", {"page_size": 2, "page": 2}).status_code == 200
    assert api.get("/api/v1/articles/", {"page_size": 2, "page": 3}).status_code == 404


def test_topics_and_trials_endpoints(api, topic):
    """Topics and trials are listed and fetched by slug and NCT number; filters validate."""
    ClinicalTrial.objects.create(
        nct_id="NCT03529110", brief_title="DB-03", overall_status="COMPLETED", phases=["PHASE3"]
    )
    ClinicalTrial.objects.create(
        nct_id="NCT02819518",
        brief_title="KN-355",
        overall_status="RECRUITING",
        phases=["PHASE2", "PHASE3"],
    )
    assert api.get("/api/v1/topics/").json()["count"] == 1
    assert api.get(f"/api/v1/topics/{topic.slug}/").json()["name"] == topic.name
    assert api.get("/api/v1/topics/nope/").status_code == 404
    trial = api.get("/api/v1/trials/NCT03529110/").json()
    assert trial["clinicaltrials_url"] == "https://clinicaltrials.gov/study/NCT03529110"
    by_status = api.get("/api/v1/trials/", {"status": "RECRUITING"}).json()["results"]
    assert [t["nct_id"] for t in by_status] == ["NCT02819518"]
    by_phase = api.get("/api/v1/trials/", {"phase": "PHASE2"}).json()["results"]
    assert [t["nct_id"] for t in by_phase] == ["NCT02819518"]
    assert len(api.get("/api/v1/trials/", {"phase": "PHASE3"}).json()["results"]) == 2
    assert api.get("/api/v1/trials/", {"status": "OPEN"}).status_code == 400
    assert api.get("/api/v1/trials/", {"phase": "PHASE9"}).status_code == 400
    assert api.get("/api/v1/trials/NCT00000000/").status_code == 404


@pytest.mark.parametrize(
    "url", ["/api/v1/articles/", "/api/v1/articles/bone-metastases/", "/api/v1/topics/"]
)
def test_etag_last_modified_and_304(api, publish, url):
    """Responses carry ETag, Last-Modified and Cache-Control; conditional requests get 304."""
    publish("Bone metastases")
    response = api.get(url)
    assert response.status_code == 200
    assert response["ETag"] and response["Last-Modified"]
    assert response["Cache-Control"].startswith("public, max-age=0, s-maxage=")
    assert api.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    old = http_date((timezone.now() - datetime.timedelta(days=1)).timestamp())
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=old).status_code == 200


def test_new_publication_changes_etag_and_last_modified(api, publish, live_article, editor):
    """After an unpublish the list's validators change, so caches refetch."""
    first = api.get("/api/v1/articles/")
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    second = api.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second.json()["count"] == 0


def test_cors_open_for_get(api, publish):
    """Any origin may read the public API."""
    publish("Bone metastases")
    response = api.get("/api/v1/articles/", HTTP_ORIGIN="https://partner.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = api.options(
        "/api/v1/articles/",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    editorial = api.get("/api/v1/editorial/articles/", HTTP_ORIGIN="https://partner.example")
    assert "Access-Control-Allow-Origin" not in editorial


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "partner": "6/minute"},
    }


def test_throttling_anonymous_and_partner(api, low_rates, writer):
    """Anonymous clients are throttled sooner than partners with a token; 429 has Retry-After."""
    codes = [api.get("/api/v1/topics/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = api.get("/api/v1/topics/")
    assert 0 < int(limited["Retry-After"]) <= 60
    assert "throttled" in limited.json()["detail"]
    token = Token.objects.create(user=writer)
    partner = APIClient()
    partner.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    codes = [partner.get("/api/v1/topics/").status_code for _ in range(7)]
    assert codes == [200] * 6 + [429]
    assert int(partner.get("/api/v1/topics/")["Retry-After"]) > 0


def test_throttle_counts_every_kind_of_anonymous_request(api, low_rates, live_article):
    """Cached answers, cache misses, other formats and unknown slugs all count, once each."""
    codes = [
        api.get("/api/v1/articles/").status_code,  # a miss, then stored
        api.get("/api/v1/articles/").status_code,  # served from the cache
        api.get("/api/v1/articles/no-such-article/").status_code,
        api.get("/api/v1/articles/", HTTP_ACCEPT="text/html").status_code,
    ]
    assert codes == [200, 200, 404, 429]


def test_throttle_is_per_client_address_and_ignores_forged_forwarding(api, low_rates, settings):
    """Clients are told apart by address; without a configured proxy, X-Forwarded-For is not
    believed, so sending a different one each time does not escape the limit."""
    codes = [
        api.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    assert api.get("/api/v1/topics/", REMOTE_ADDR="198.51.100.7").status_code == 200


def test_throttle_behind_a_proxy_uses_the_forwarded_address(api, low_rates, settings):
    """With DJANGO_PROXY_COUNT=1 (REST_FRAMEWORK["NUM_PROXIES"]) each forwarded client has
    its own allowance, and the proxy's own address does not matter."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    first = [
        api.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code for _ in range(4)
    ]
    second = api.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR="203.0.113.2").status_code
    assert first == [200, 200, 200, 429]
    assert second == 200


def test_schema_json_and_docs_offline(api):
    """The OpenAPI schema comes as JSON on request; the docs pages use only local files."""
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.")
    for path in (
        "/api/v1/articles/",
        "/api/v1/articles/{slug}/",
        "/api/v1/topics/",
        "/api/v1/trials/{nct_id}/",
        "/api/v1/editorial/articles/{id}/approve/",
    ):
        assert path in document["paths"], path
    for url in ("/api/docs/", "/api/redoc/"):
        page = api.get(url).content.decode()
        assert "https://" not in page.replace("https://schema", ""), url
        assert "/static/drf_spectacular_sidecar/" in page


def public_schema(api) -> dict:
    return api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


@pytest.mark.parametrize("url", ["/api/v1/articles/", "/api/v1/topics/", "/api/v1/trials/"])
def test_lists_document_their_errors_and_page_limits(api, topic, url):
    """Each list documents its 404 past the end, 401 for a bad token and the page limits."""
    assert api.get(url, {"page": 2}).json() == {"detail": "Invalid page."}
    assert api.get(url, HTTP_AUTHORIZATION="Token not-a-token").status_code == 401
    operation = public_schema(api)["paths"][url]["get"]
    assert {"200", "400", "401", "404", "429"} <= set(operation["responses"])
    not_found = operation["responses"]["404"]["content"]["application/json"]["schema"]
    assert not_found == {"$ref": "#/components/schemas/ErrorDetail"}
    limits = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert limits["page"]["minimum"] == 1
    assert (limits["page_size"]["minimum"], limits["page_size"]["maximum"]) == (1, 100)


def test_trial_schema_gives_the_nct_number_pattern(api):
    """The trial's path parameter has the NCT number's pattern, in either case as served."""
    ClinicalTrial.objects.create(nct_id="NCT03529110", brief_title="DB-03")
    operation = public_schema(api)["paths"]["/api/v1/trials/{nct_id}/"]["get"]
    (parameter,) = [p for p in operation["parameters"] if p["name"] == "nct_id"]
    pattern = re.compile(parameter["schema"]["pattern"])
    for nct_id in ("NCT03529110", "nct03529110"):
        assert pattern.match(nct_id) and api.get(f"/api/v1/trials/{nct_id}/").status_code == 200
    assert not pattern.match("NCT0352911")


def test_unmatched_api_address_is_a_json_404(api):
    """An API address that no route matches is a JSON 404; other addresses keep the HTML page."""
    response = api.get("/api/v1/articles/bone-metastases/extra/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}
    page = api.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_any_query_string_makes_a_valid_cache_key(api, topic):
    """A long query string of odd characters is cached under a short, safe key, not a warning."""
    query = {"x" * 300: "é\x1f", "page_size": "5"}
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        first = api.get("/api/v1/topics/", query)
        second = api.get("/api/v1/topics/", query)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
