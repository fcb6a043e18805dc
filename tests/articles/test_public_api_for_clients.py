"""The public API as generated clients call it: `ordering` read the same comma-separated or
repeated (an unknown key a 400 naming it), and requests with an Authorization header that
carries no token answered as anonymous ones."""

import datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import ClinicalTrial, PublishedArticle
from reviews import workflow

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def three_live(make_article, writer, reviewer, editor):
    """Three live articles, published in the order Beta, Gamma, Alpha (Alpha the newest), all
    reviewed the same day."""
    start = datetime.datetime(2025, 3, 1, 9, tzinfo=datetime.UTC)
    for number, title in enumerate(("Beta", "Gamma", "Alpha")):
        article = make_article(writer, title=title)
        workflow.submit(article=article, user=writer)
        workflow.approve(article=article, user=reviewer)
        workflow.publish(article=article, user=editor)
        PublishedArticle.objects.filter(article=article).update(
            go_live_at=start + datetime.timedelta(days=number)
        )
    return ["alpha", "beta", "gamma"]


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        # The first key decides: the last one alone (what the server kept) would not.
        (["title", "-updated_at"], ["alpha", "beta", "gamma"]),
        (["-updated_at", "title"], ["alpha", "gamma", "beta"]),
        (["updated_at"], ["beta", "gamma", "alpha"]),
        # All reviewed the same day: the second key orders them.
        (["last_reviewed", "-title"], ["gamma", "beta", "alpha"]),
        (["-last_reviewed", "title"], ["alpha", "beta", "gamma"]),
    ],
)
def test_ordering_comma_separated_or_repeated_gives_one_order(api, three_live, keys, expected):
    """`?ordering=a,b`, `?ordering=a&ordering=b` and a mix of both sort alike, by every key."""
    comma = slugs(api.get(ARTICLES, {"ordering": ",".join(keys)}))
    repeated = slugs(api.get(ARTICLES, {"ordering": keys}))
    assert comma == repeated == expected
    if len(keys) == 2:
        # With spaces and an empty item, as hand-written URLs have them.
        query = f"ordering={keys[0]},%20&ordering=%20{keys[1]}"
        assert slugs(api.get(f"{ARTICLES}?{query}")) == expected


def test_ordered_pages_neither_repeat_nor_skip(api, three_live, django_assert_max_num_queries):
    """Pages of a list sorted by a key all articles share hold each article once."""
    with django_assert_max_num_queries(12):
        first = api.get(ARTICLES, {"ordering": ["last_reviewed"], "page_size": 2})
    second = api.get(first.json()["next"])
    assert "ordering=last_reviewed" in first.json()["next"]
    assert sorted(slugs(first) + slugs(second)) == three_live


@pytest.mark.parametrize(
    "query",
    [
        {"ordering": "title,password"},
        {"ordering": ["title", "password"]},
        {"ordering": ["password,title"]},
        {"ordering": "--title,password"},
    ],
)
def test_unknown_ordering_key_is_a_400_naming_it(api, three_live, query):
    """An unknown key is refused, in either form, never dropped while the rest applies."""
    response = api.get(ARTICLES, query)
    assert response.status_code == 400
    (message,) = response.json()["ordering"]
    assert "password" in message or "--title" in message


def test_empty_ordering_is_the_default_order(api, three_live):
    """`?ordering=` is no ordering: the newest first."""
    assert slugs(api.get(ARTICLES, {"ordering": ""})) == ["alpha", "gamma", "beta"]


def test_schema_declares_ordering_as_a_repeated_parameter(api):
    """The schema says what generated clients send: an array, one parameter per key."""
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    (ordering,) = [
        p for p in schema["paths"][ARTICLES]["get"]["parameters"] if p["name"] == "ordering"
    ]
    assert ordering["style"] == "form" and ordering["explode"] is True
    assert ordering["schema"]["type"] == "array"
    items = ordering["schema"]["items"]
    assert set(items["enum"]) == {
        f"{sign}{key}"
        for key in ("title", "updated_at", "published_at", "last_reviewed")
        for sign in ("", "-")
    }
    assert dict(zip(items["enum"], items["x-enum-varnames"], strict=True))["-title"] == (
        "TITLE_DESC"
    )


@pytest.fixture
def public_urls(live_article):
    ClinicalTrial.objects.create(nct_id="NCT03529110", brief_title="DESTINY-Breast03")
    return [
        ARTICLES,
        f"{ARTICLES}{live_article.slug}/",
        "/api/v1/topics/",
        "/api/v1/topics/bone-metastases/",
        "/api/v1/trials/",
        "/api/v1/trials/NCT03529110/",
    ]


@pytest.mark.parametrize(
    "authorization",
    ["", "Token", "Token ", "token", "Bearer", "Bearer abc123", "Basic d3JpdGVyOnB3"],
)
def test_authorization_without_a_token_is_anonymous(api, public_urls, authorization):
    """An Authorization header that carries no token (empty, the keyword alone, another
    scheme) reads public endpoints as an anonymous client does: 200, the same body."""
    for url in public_urls:
        anonymous = api.get(url)
        response = api.get(url, HTTP_AUTHORIZATION=authorization)
        assert response.status_code == 200, (url, response.content)
        assert response.json() == anonymous.json(), url


def test_a_wrong_token_is_still_a_401(api, public_urls, writer):
    """A token that is given but wrong is a 401 (as documented), so that a partner learns of a
    revoked token; a right one reads."""
    token = Token.objects.create(user=writer)
    for url in public_urls:
        wrong = api.get(url, HTTP_AUTHORIZATION="Token not-a-real-token")
        assert wrong.status_code == 401, url
        assert wrong["WWW-Authenticate"] == "Token"
        right = api.get(url, HTTP_AUTHORIZATION=f"Token {token.key}")
        assert right.status_code == 200, url


def test_editorial_api_still_needs_a_token(api):
    """The leniency is the public API's: the editorial API answers 401 to the same headers."""
    for authorization in ("", "Token", "Bearer abc123"):
        response = api.get("/api/v1/editorial/articles/", HTTP_AUTHORIZATION=authorization)
        assert response.status_code == 401, authorization
