"""An article's version history and the comparison of two versions in the editorial API."""

import pytest

from tests.reviews.editorial_client import action_url, client_for, etag, patch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]


def test_versions_lists_every_version_oldest_first(make_article, writer, writer2):
    """The history names each version's number, time, user and comment."""
    article = make_article(writer)
    patch(client_for(writer2), article, {"body": "More."}, if_match=etag(article))
    data = client_for(writer).get(action_url(article, "versions")).json()
    assert [(v["version"], v["user"], v["comment"]) for v in data] == [
        (1, "writer", "First draft."),
        (2, "writer2", "Edited through the editorial API."),
    ]
    assert all(v["created_at"] for v in data)


def test_diff_lists_changes_with_unified_text_and_numbers(make_article, writer):
    """Comparing two versions shows each field, a unified diff and changed numbers."""
    article = make_article(writer, body="Take 75 mg daily.")
    patch(client_for(writer), article, {"body": "Take 100 mg daily."}, if_match=etag(article))
    response = client_for(writer).get(action_url(article, "diff"), {"from": 1, "to": 2})
    assert response.status_code == 200
    data = response.json()
    assert (data["from"], data["to"]) == (1, 2)
    changes = {change["field"]: change for change in data["changes"]}
    body = changes["body"]
    assert body["changed"] and body["label"] == "Body"
    assert "-Take 75 mg daily." in body["diff"] and "+Take 100 mg daily." in body["diff"]
    assert body["numbers_changed"] == [["75 mg", "100 mg"]]
    assert changes["title"]["changed"] is False and changes["title"]["diff"] == ""


@pytest.mark.parametrize(
    ("query", "field"),
    [({"to": 1}, "from"), ({"from": 1}, "to"), ({"from": "one", "to": 1}, "from")],
)
def test_diff_without_two_integer_versions_is_400(make_article, writer, query, field):
    """from and to are required integers."""
    article = make_article(writer)
    response = client_for(writer).get(action_url(article, "diff"), query)
    assert response.status_code == 400
    assert field in response.json()


def test_diff_of_missing_version_is_404(make_article, writer):
    """Comparing with a version that does not exist is a 404."""
    article = make_article(writer)
    response = client_for(writer).get(action_url(article, "diff"), {"from": 1, "to": 9})
    assert response.status_code == 404
