"""Translations in the APIs: ``language``, ``translation_status``, ``source_version`` and
``translations`` on public and editorial articles, the public ``language`` filter, and the
editorial actions that start a translation and mark it updated to its source's version."""

import pytest
from rest_framework.test import APIClient

from articles.models import Article
from reviews import workflow
from tests.reviews.editorial_client import ARTICLES, client_for, detail_url, etag
from tests.reviews.translation_steps import live_spanish
from tests.workflow_steps import publish_new_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]

PUBLIC = "/api/v1/articles/"


@pytest.fixture
def api():
    return APIClient()


def by_slug(response) -> dict:
    return {item["slug"]: item for item in response.json()["results"]}


# Public API ------------------------------------------------------------------------------------


def test_public_list_carries_language_status_and_source_version(
    live_article, spanish, writer, reviewer, editor, api
):
    """Each article says its language; a translation its status and source version, which
    turn ``outdated`` once the source is republished; other articles carry null."""
    items = by_slug(api.get(PUBLIC))
    source, translation = items[live_article.slug], items[spanish.slug]
    assert source["language"] == "en" and translation["language"] == "es"
    assert source["translation_status"] is None and source["source_version"] is None
    assert translation["translation_status"] == "current"
    assert translation["source_version"] == 1
    publish_new_version(live_article, writer, reviewer, editor, body="New dose [@1].")
    assert by_slug(api.get(PUBLIC))[spanish.slug]["translation_status"] == "outdated"


def test_public_language_filter(live_article, spanish, api):
    """``?language=es`` lists Spanish articles only; an unknown code is a 400 naming it;
    ``Accept-Language`` is not read."""
    assert list(by_slug(api.get(PUBLIC, {"language": "es"}))) == [spanish.slug]
    assert list(by_slug(api.get(PUBLIC, {"language": "en"}))) == [live_article.slug]
    response = api.get(PUBLIC, {"language": "xx"})
    assert response.status_code == 400 and "language" in response.json()
    both = by_slug(api.get(PUBLIC, headers={"Accept-Language": "es"}))
    assert set(both) == {live_article.slug, spanish.slug}


def test_public_list_query_count_does_not_grow_with_translations(
    make_article, writer, reviewer, revisora, editor, api, django_assert_max_num_queries
):
    """One pair of articles or three: the same number of queries for the list."""

    def pair(number: int) -> None:
        source = make_article(writer, title=f"Source {number}")
        workflow.submit(article=source, user=writer)
        workflow.approve(article=source, user=reviewer)
        workflow.publish(article=source, user=editor)
        live_spanish(source, writer, revisora, editor)

    pair(0)
    # The generation of public content (9), the count, the page, its topics, the sources.
    with django_assert_max_num_queries(13) as few:
        assert len(api.get(PUBLIC, {"page_size": 100}).json()["results"]) == 2
    pair(1)
    pair(2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        results = api.get(PUBLIC, {"page_size": 100}).json()["results"]
    assert (
        sorted(item["translation_status"] or "" for item in results)
        == ["", "", ""] + ["current"] * 3
    )


def test_public_detail_lists_the_other_language_versions(live_article, spanish, api):
    """The source lists its translation, the translation its source: language, slug, URL."""
    source = api.get(f"{PUBLIC}{live_article.slug}/").json()
    assert source["translations"] == [
        {
            "language": "es",
            "slug": spanish.slug,
            "url": f"http://testserver/es/articles/{spanish.slug}/",
        }
    ]
    translation = api.get(f"{PUBLIC}{spanish.slug}/").json()
    assert [item["slug"] for item in translation["translations"]] == [live_article.slug]
    assert translation["translation_status"] == "current"
    assert translation["source_version"] == 1


def test_public_detail_leaves_out_translations_not_live(live_article, writer, api):
    """A translation in draft is not a language version readers can open."""
    workflow.start_translation(source=live_article, language="es", user=writer)
    assert api.get(f"{PUBLIC}{live_article.slug}/").json()["translations"] == []


# Editorial API ---------------------------------------------------------------------------------


def test_editorial_detail_and_list_carry_the_translation_fields(
    live_article, spanish, writer, reviewer, editor
):
    """The working copy says its source, source version, status and language versions."""
    client = client_for(editor)
    data = client.get(detail_url(spanish)).json()
    assert data["translation_of"] == live_article.pk
    assert data["source_version"] == 1
    assert data["translation_status"] == "current"
    assert data["translations"] == [
        {
            "id": live_article.pk,
            "language": "en",
            "slug": live_article.slug,
            "url": f"http://testserver{detail_url(live_article)}",
        }
    ]
    source = client.get(detail_url(live_article)).json()
    assert source["translation_of"] is None and source["translation_status"] is None
    assert [item["id"] for item in source["translations"]] == [spanish.pk]
    publish_new_version(live_article, writer, reviewer, editor, body="New dose [@1].")
    listed = {item["id"]: item for item in client.get(ARTICLES).json()["results"]}
    assert listed[spanish.pk]["translation_status"] == "outdated"
    assert listed[spanish.pk]["translation_of"] == live_article.pk
    assert listed[live_article.pk]["translation_status"] is None


def test_editorial_list_query_count_does_not_grow_with_translations(
    make_article, writer, reviewer, revisora, editor, django_assert_max_num_queries
):
    """The editorial list reads translation statuses in its own query, not one per row."""
    client = client_for(editor)

    def pair(number: int) -> None:
        source = make_article(writer, title=f"Source {number}")
        workflow.submit(article=source, user=writer)
        workflow.approve(article=source, user=reviewer)
        workflow.publish(article=source, user=editor)
        live_spanish(source, writer, revisora, editor)

    pair(0)
    with django_assert_max_num_queries(15) as few:
        client.get(ARTICLES)
    pair(1)
    pair(2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(ARTICLES).json()["count"] == 6


def test_post_translations_starts_one(live_article, writer):
    """201 with the new draft, its ETag and Location; no If-Match needed (the source does
    not change)."""
    response = client_for(writer).post(
        f"{detail_url(live_article)}translations/", {"language": "es"}, format="json"
    )
    assert response.status_code == 201
    data = response.json()
    translation = Article.objects.get(pk=data["id"])
    assert response["Location"].endswith(detail_url(translation))
    assert response["ETag"] == etag(translation)
    assert data["language"] == "es" and data["state"] == "draft" and data["version"] == 1
    assert data["translation_of"] == live_article.pk and data["source_version"] == 1
    assert data["translation_status"] is None  # not live yet


@pytest.mark.parametrize(
    ("body", "status", "key"),
    [
        ({"language": "fr"}, 400, "language"),
        ({"language": "en"}, 400, "language"),
        ({}, 400, "language"),
        ({"language": "es", "source_version": 9}, 400, "source_version"),
        ({"language": ["es"]}, 400, "language"),
    ],
)
def test_post_translations_refuses_bad_input(live_article, writer, body, status, key):
    """Each bad input is a 400 naming the field; nothing is created."""
    response = client_for(writer).post(
        f"{detail_url(live_article)}translations/", body, format="json"
    )
    assert response.status_code == status and key in response.json()
    assert Article.objects.count() == 1


def test_post_translations_conflicts_and_permissions(
    live_article, make_article, spanish, writer, reviewer2
):
    """409 for a second Spanish translation, a translation's translation or a source not
    live; 403 for a clinical reviewer; 404 for an unknown article."""
    url = f"{detail_url(live_article)}translations/"
    writer_client = client_for(writer)
    assert writer_client.post(url, {"language": "es"}, format="json").status_code == 409
    again = writer_client.post(
        f"{detail_url(spanish)}translations/", {"language": "en"}, format="json"
    )
    assert again.status_code == 409 and "itself a translation" in again.json()["detail"]
    draft = make_article(writer, title="Not live")
    not_live = writer_client.post(
        f"{detail_url(draft)}translations/", {"language": "es"}, format="json"
    )
    assert not_live.status_code == 409
    assert client_for(reviewer2).post(url, {"language": "es"}, format="json").status_code == 403
    missing = writer_client.post(
        f"{ARTICLES}999999/translations/", {"language": "es"}, format="json"
    )
    assert missing.status_code == 404


def test_update_source_version_needs_if_match_and_saves_a_version(
    live_article, spanish, writer, writer2, reviewer, editor
):
    """428 without If-Match, 409 while it already matches, 200 with a new version once the
    source moved on; unknown keys are refused."""
    client = client_for(writer2)
    url = f"{detail_url(spanish)}update-source-version/"
    assert client.post(url, {}, format="json").status_code == 428
    same = client.post(url, {}, format="json", headers={"If-Match": etag(spanish)})
    assert same.status_code == 409
    publish_new_version(live_article, writer, reviewer, editor, body="New dose [@1].")
    extra = client.post(
        url, {"source_version": 1}, format="json", headers={"If-Match": etag(spanish)}
    )
    assert extra.status_code == 400
    response = client.post(url, {}, format="json", headers={"If-Match": etag(spanish)})
    assert response.status_code == 200
    assert response.json()["source_version"] == 2
    assert response.json()["version"] == spanish.version + 1
    stale = client.post(url, {}, format="json", headers={"If-Match": '"1-1-draft"'})
    assert stale.status_code == 412


def test_patch_cannot_set_the_translation_fields(spanish, writer2):
    """translation_of and source_version are read-only: a PATCH naming them is a 400."""
    client = client_for(writer2)
    for field, value in (("translation_of", 1), ("source_version", 99)):
        response = client.patch(
            detail_url(spanish), {field: value}, format="json", headers={"If-Match": etag(spanish)}
        )
        assert response.status_code == 400 and field in response.json()
    response = client.patch(
        detail_url(spanish), {"language": "en"}, format="json", headers={"If-Match": etag(spanish)}
    )
    assert response.status_code == 400 and "language" in response.json()


def test_schema_documents_the_translation_operations_and_fields(client):
    """Descriptions reach the schema (extend_schema), with the new fields and filter."""
    schema = client.get(
        "/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"}
    ).json()
    start = schema["paths"]["/api/v1/editorial/articles/{id}/translations/"]["post"]
    assert "no If-Match is needed" in start["description"]
    assert "201" in start["responses"] and "409" in start["responses"]
    update = schema["paths"]["/api/v1/editorial/articles/{id}/update-source-version/"]["post"]
    assert "If-Match" in {parameter["name"] for parameter in update["parameters"]}
    listing = schema["paths"]["/api/v1/articles/"]["get"]
    language = next(p for p in listing["parameters"] if p["name"] == "language")
    assert language["schema"]["enum"] == ["en", "es"]
    assert "Accept-Language" in language["description"]
    properties = schema["components"]["schemas"]["ArticleDetail"]["properties"]
    assert "outdated" in properties["translation_status"]["description"]
    assert {"translations", "source_version", "language"} <= set(properties)
