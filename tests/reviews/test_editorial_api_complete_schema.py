"""The OpenAPI schema documents every editorial operation added for apps, with its errors."""

import pytest

pytestmark = pytest.mark.django_db

ADDED = {
    ("/api/v1/editorial/articles/{id}/archive/", "post"),
    ("/api/v1/editorial/articles/{id}/unarchive/", "post"),
    ("/api/v1/editorial/articles/{id}/restore/", "post"),
    ("/api/v1/editorial/articles/{id}/comments/", "get"),
    ("/api/v1/editorial/articles/{id}/comments/", "post"),
    ("/api/v1/editorial/people/", "get"),
    *(
        (f"/api/v1/editorial/{kind}/", method)
        for kind in ("topics", "trials", "images")
        for method in ("get", "post")
    ),
    *(
        (f"/api/v1/editorial/{kind}/{{id}}/", method)
        for kind in ("topics", "trials", "images")
        for method in ("get", "patch", "delete")
    ),
}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_every_added_operation_is_documented_with_its_errors(schema):
    """Each operation exists, is tagged, has a summary and a description of its own, and
    documents 401 and 403; those on one object 404 (with an integer id from 1); those with
    If-Match 412 and 428; deletions 204 and 409; bodies are JSON."""
    for path, method in sorted(ADDED):
        operation = schema["paths"][path][method]
        assert operation["tags"] == ["editorial"], (path, method)
        assert operation["summary"] and operation["description"], (path, method)
        codes = set(operation["responses"])
        assert {"401", "403"} <= codes, (path, method)
        parameters = {p["name"]: p for p in operation.get("parameters", [])}
        if "{id}" in path:
            assert "404" in codes, (path, method)
            assert parameters["id"]["schema"] == {"type": "integer", "minimum": 1}
        if "If-Match" in parameters:
            assert parameters["If-Match"]["required"] is True
            assert {"412", "428"} <= codes, (path, method)
        if method == "delete":
            assert {"204", "409"} <= codes and "If-Match" in parameters, path
        if method in ("post", "patch") and not path.endswith("/unarchive/"):
            assert "400" in codes, (path, method)
            assert "application/json" in operation["requestBody"]["content"], (path, method)


def test_workflow_moves_and_versioned_records_need_if_match(schema):
    """Archive, unarchive and restore, and changes to topics, trials and images, require
    If-Match; adding a message to the discussion does not (it is not a version)."""
    for path, method in ADDED:
        parameters = {p["name"] for p in schema["paths"][path][method].get("parameters", [])}
        needs = path.endswith(("/archive/", "/unarchive/", "/restore/")) or method in (
            "patch",
            "delete",
        )
        assert ("If-Match" in parameters) == needs, (path, method)


def test_request_bodies_refuse_unknown_keys(schema):
    """The new request bodies allow no other keys, as the API refuses them; an image upload
    takes its file as base64 text."""
    components = schema["components"]["schemas"]
    for name in (
        "ArchiveRequest",
        "RestoreRequest",
        "ReviewCommentInputRequest",
        "EditorialTopicRequest",
        "PatchedEditorialTopicRequest",
        "EditorialTrialRequest",
        "EditorialImageRequest",
        "PatchedEditorialImageRequest",
    ):
        assert components[name]["additionalProperties"] is False, name
    assert components["PatchedEditorialImageRequest"]["minProperties"] == 1
    file = components["EditorialImageRequest"]["properties"]["file"]
    assert (file["type"], file["format"]) == ("string", "byte")
    assert "file" in components["EditorialImageRequest"]["required"]
    person = components["Person"]["properties"]
    assert "email" not in person and set(person) >= {"id", "username", "roles"}
    assert "authors" in components["PatchedArticleRequest"]["properties"]


def test_an_edit_documents_the_archive_conflict(schema):
    """PATCH on an article documents 409, the answer for an archived article."""
    responses = schema["paths"]["/api/v1/editorial/articles/{id}/"]["patch"]["responses"]
    assert "409" in responses and "archived" in responses["409"]["description"]
