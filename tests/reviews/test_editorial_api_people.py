"""An article's authors through the editorial API, and the list of editorial staff they are
chosen from."""

import pytest
from django.conf import settings

from articles.models import Article
from reviews import workflow
from tests.conftest import make_reviewer, make_user
from tests.reviews.editorial_client import (
    ARTICLES,
    client_for,
    detail_url,
    etag,
    new_article_data,
    patch,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]

PEOPLE = "/api/v1/editorial/people/"


def test_a_new_article_credits_the_authors_given_or_its_creator(writer, writer2, topic):
    """`authors` on create replaces the default byline (the creator)."""
    api = client_for(writer)
    response = api.post(ARTICLES, new_article_data(authors=["writer", "writer2"]), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["authors"] == ["writer", "writer2"]
    plain = api.post(ARTICLES, new_article_data(title="Lung metastases"), format="json")
    assert plain.json()["authors"] == ["writer"]


def test_an_edit_replaces_the_authors_as_a_new_version(make_article, writer, writer2):
    """PATCH `authors` saves a new version crediting exactly those people; the version's
    content records them."""
    article = make_article(writer)
    response = patch(client_for(writer), article, {"authors": ["writer2"]}, if_match=etag(article))
    assert response.status_code == 200, response.json()
    assert (response.json()["authors"], response.json()["version"]) == (["writer2"], 2)
    assert list(Article.objects.get(pk=article.pk).authors.all()) == [writer2]


def test_authors_must_be_active_editorial_staff(make_article, writer, db):
    """An unknown username, someone outside the editorial groups, an inactive writer or a
    value that is not a username is a 400 naming `authors`; nothing is saved."""
    make_user("outsider")
    make_user("gone", settings.WRITERS_GROUP, is_active=False)
    article = make_article(writer)
    api = client_for(writer)
    for authors in (["nobody"], ["outsider"], ["gone"], [7], "writer"):
        response = patch(api, article, {"authors": authors}, if_match=etag(article))
        assert response.status_code == 400, authors
        assert "authors" in response.json(), authors
    article.refresh_from_db()
    assert article.version == 1


def test_a_reviewer_credited_as_author_may_not_approve(make_article, writer, reviewer):
    """Credited through the API, a clinical reviewer is a contributor: separation of duties
    refuses their approval."""
    article = make_article(writer)
    patch(client_for(writer), article, {"authors": ["writer", "reviewer"]}, if_match=etag(article))
    workflow.submit(article=article, user=writer)
    response = client_for(reviewer).act(article, "approve", {"comment": "Fine."})
    assert response.status_code == 403


def test_people_lists_staff_with_roles_and_no_contact_details(writer, reviewer, editor, db):
    """Active staff in the editorial groups, by name, with their roles; nobody else; no
    e-mail address, even for an editor asking."""
    make_user("outsider")
    make_user("gone", settings.WRITERS_GROUP, is_active=False)
    make_reviewer("unchecked", verified=False)
    response = client_for(editor).get(PEOPLE)
    assert response.status_code == 200
    people = {person["username"]: person for person in response.json()["results"]}
    assert set(people) == {"writer", "reviewer", "editor", "unchecked"}
    assert people["writer"] == {
        "id": writer.pk,
        "username": "writer",
        "name": "Wendy Writer",
        "roles": ["writer"],
        "verified_reviewer": False,
    }
    assert people["reviewer"]["roles"] == ["clinical_reviewer"]
    assert people["reviewer"]["verified_reviewer"] is True
    assert people["unchecked"]["verified_reviewer"] is False
    assert people["editor"]["roles"] == ["editor"]
    assert "example.org" not in response.content.decode()


def test_people_is_for_editorial_users(client, db):
    """Anonymous clients get 401, users outside the editorial groups 403."""
    assert client.get(PEOPLE).status_code == 401
    assert client_for(make_user("outsider")).get(PEOPLE).status_code == 403


@pytest.mark.parametrize("count", [3, 30])
def test_people_query_count_does_not_grow(count, editor, django_assert_max_num_queries):
    """A page of people costs the same few queries with 4 people or 31."""
    for number in range(count):
        make_user(f"writer{number}", settings.WRITERS_GROUP)
    client = client_for(editor)
    with django_assert_max_num_queries(9):
        response = client.get(PEOPLE)
    assert response.json()["count"] == count + 1


def test_the_detail_still_names_authors_by_username(make_article, writer, editor):
    """An article read back lists its authors as usernames, as the input takes them."""
    article = make_article(writer)
    assert client_for(editor).get(detail_url(article)).json()["authors"] == ["writer"]
