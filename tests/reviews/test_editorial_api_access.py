"""The editorial API's doors: tokens, sessions, who may use it, and the article list."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Article, Topic
from reviews import workflow
from tests.conftest import PASSWORD
from tests.reviews.editorial_client import ARTICLES, client_for, detail_url, new_article_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]


# Authentication and access ---------------------------------------------------------------


def test_token_is_obtained_with_username_and_password(writer):
    """POSTing valid credentials returns the user's API token."""
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "writer", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=writer).key}


def test_token_authenticates_editorial_requests(writer):
    """A request sending ``Authorization: Token <token>`` is authenticated."""
    token = APIClient().post(
        "/api/v1/auth/token/", {"username": "writer", "password": PASSWORD}, format="json"
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert client.get(ARTICLES).status_code == 200


def test_token_with_wrong_password_is_400(writer):
    """Wrong credentials give a 400 with an error and no token."""
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "writer", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not Token.objects.filter(user=writer).exists()


def test_token_of_inactive_user_is_rejected(writer):
    """Once a user is deactivated, their existing token no longer authenticates."""
    client = client_for(writer)
    writer.is_active = False
    writer.save()
    assert client.get(ARTICLES).status_code == 401


def test_session_authentication_works(writer):
    """A logged-in session may use the API too."""
    client = APIClient()
    client.force_login(writer)
    assert client.get(ARTICLES).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ARTICLES),
        ("post", ARTICLES),
        ("get", f"{ARTICLES}1/"),
        ("post", f"{ARTICLES}1/submit/"),
    ],
)
def test_unauthenticated_requests_are_refused(method, path):
    """Without credentials every editorial endpoint answers 401."""
    assert getattr(APIClient(), method)(path).status_code == 401


def test_non_editorial_user_is_forbidden(make_article, writer):
    """An authenticated user outside the editorial groups gets 403."""
    article = make_article(writer)
    visitor = get_user_model().objects.create_user("visitor", password=PASSWORD)
    client = client_for(visitor)
    assert client.get(ARTICLES).status_code == 403
    assert client.get(detail_url(article)).status_code == 403
    assert client.post(ARTICLES, new_article_data(), format="json").status_code == 403


def test_superuser_outside_groups_may_use_the_api():
    """Superusers count as editorial users."""
    admin = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    assert client_for(admin).get(ARTICLES).status_code == 200


# List ------------------------------------------------------------------------------------


def test_list_is_paginated_and_hides_archived_articles(make_article, writer):
    """The list pages working copies and leaves out archived ones."""
    kept = make_article(writer, title="Kept")
    archived = make_article(writer, title="Archived")
    # No archive service exists yet; setting the field is enough to hide the article.
    Article.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    data = client_for(writer).get(ARTICLES).json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 1
    assert [item["id"] for item in data["results"]] == [kept.pk]
    assert data["results"][0]["topics"] == ["bone-metastases"]
    assert data["results"][0]["authors"] == ["writer"]


def test_list_filters_by_state_audience_topic_and_title(make_article, writer):
    """state, audience, topic and search narrow the list."""
    other_topic = Topic.objects.create(name="Liver", slug="liver")
    draft = make_article(writer, title="Bone pain")
    submitted = make_article(writer, title="Liver tests", audience="professional")
    workflow.submit(article=submitted, user=writer)
    submitted.topics.set([other_topic])
    client = client_for(writer)

    def ids(query: str) -> list[int]:
        return [item["id"] for item in client.get(f"{ARTICLES}?{query}").json()["results"]]

    assert ids("state=in_review") == [submitted.pk]
    assert ids("audience=patient") == [draft.pk]
    assert ids("topic=liver") == [submitted.pk]
    assert ids("search=bone") == [draft.pk]
    assert client.get(f"{ARTICLES}?state=published").status_code == 400


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow_with_articles(
    count, make_article, writer, live_article, django_assert_max_num_queries
):
    """Listing 3 or 30 articles (one live) takes the same small number of queries."""
    for number in range(count - 1):
        make_article(writer, title=f"Treatment page {number}")
    client = client_for(writer)
    with django_assert_max_num_queries(7):
        response = client.get(ARTICLES)
    data = response.json()
    assert data["count"] == count
    assert len(data["results"]) == min(count, 20)
    # Titles sort the live "Bone metastases explained" first.
    assert (data["results"][0]["id"], data["results"][0]["live_version"]) == (live_article.pk, 1)
