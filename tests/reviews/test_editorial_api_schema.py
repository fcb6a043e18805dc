"""The editorial API's OpenAPI schema, and the error answers it documents."""

import pytest

from tests.reviews.editorial_client import ARTICLES, client_for, etag, patch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]


@pytest.mark.parametrize(
    ("query", "headers"),
    [("", {"Accept": "application/vnd.oai.openapi+json"}), ("?format=json", {})],
)
def test_schema_documents_the_editorial_endpoints(client, query, headers):
    """The OpenAPI schema, as JSON, includes the editorial endpoints and actions."""
    response = client.get(f"/api/schema/{query}", headers=headers)
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/editorial/articles/{id}/approve/" in paths
    assert "/api/v1/editorial/articles/{id}/request-changes/" in paths
    assert "If-Match" in {
        p["name"] for p in paths["/api/v1/editorial/articles/{id}/"]["patch"]["parameters"]
    }


def editorial_schema(client) -> dict:
    schema = client.get("/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"})
    return schema.json()


def editorial_operations(schema: dict):
    for path, operations in schema["paths"].items():
        if path.startswith(ARTICLES):
            for method, operation in operations.items():
                yield path, method, operation


def test_schema_documents_auth_and_not_found_answers(client):
    """Every editorial operation documents 401 and 403; those on an article document 404."""
    for path, method, operation in editorial_operations(editorial_schema(client)):
        codes = set(operation["responses"])
        assert {"401", "403"} <= codes, (method, path)
        if "{id}" in path:
            assert "404" in codes, (method, path)
            (article_id,) = [p for p in operation["parameters"] if p["name"] == "id"]
            assert article_id["schema"] == {"type": "integer", "minimum": 1}
    listing = editorial_schema(client)["paths"][ARTICLES]["get"]["responses"]
    assert {"200", "400", "404"} <= set(listing)


def test_list_bad_filter_or_page_is_a_documented_error(make_article, writer):
    """A bad filter value is a 400 and a page that does not exist a 404, as documented."""
    make_article(writer)
    client = client_for(writer)
    assert client.get(ARTICLES, {"state": "published"}).status_code == 400
    assert client.get(ARTICLES, {"page": 0}).status_code == 404
    assert client.get(ARTICLES, {"page": 2}).status_code == 404


@pytest.mark.parametrize("article_id", ["0.5", "-1.5", "null,null", "abc"])
def test_malformed_article_id_is_a_json_404(writer, article_id):
    """An id that is not a number is the API's JSON 404, never the site's HTML page."""
    for url in (f"{ARTICLES}{article_id}/", f"{ARTICLES}{article_id}/versions/"):
        response = client_for(writer).get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json", url
    response = client_for(writer).post(f"{ARTICLES}{article_id}/submit/", format="json")
    assert response.status_code == 404 and response.json()["detail"]


def test_schema_request_bodies_refuse_unknown_keys_as_the_api_does(client, make_article, writer):
    """Request bodies in the schema allow no other keys, no read-only ones, and no empty edit."""
    schemas = editorial_schema(client)["components"]["schemas"]
    for name in ("ArticleRequest", "PatchedArticleRequest", "SubmitRequest", "PublishRequest"):
        assert schemas[name]["additionalProperties"] is False, name
    assert schemas["PatchedArticleRequest"]["minProperties"] == 1
    assert schemas["ArticleRequest"]["properties"]["topics"]["minItems"] == 1
    assert not {"state", "version", "id"} & set(schemas["ArticleRequest"]["properties"])
    article = make_article(writer)
    assert patch(client_for(writer), article, {}, if_match=etag(article)).status_code == 400
    response = client_for(writer).act(article, "submit", {"note": "Typo for comment."})
    assert response.status_code == 400 and "note" in response.json()


def test_every_null_in_an_answer_is_documented_as_nullable(client, make_article, writer):
    """An English article has no ``translation_of`` or ``source_version``: each field an
    editorial answer gives as null is ``nullable`` in its schema, so generated clients and
    schema checks accept the answer."""
    article = make_article(writer)
    schemas = editorial_schema(client)["components"]["schemas"]
    api = client_for(writer)
    answers = {
        "Article": api.get(f"{ARTICLES}{article.pk}/").json(),
        "ArticleSummary": api.get(ARTICLES).json()["results"][0],
    }
    for name, answer in answers.items():
        properties = schemas[name]["properties"]
        nulls = [field for field, value in answer.items() if value is None]
        assert "translation_of" in nulls
        undocumented = [field for field in nulls if not properties[field].get("nullable")]
        assert undocumented == [], name
