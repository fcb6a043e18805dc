"""Reader feedback in the editorial API: list, filters, detail, triage one or many (all or
nothing), who may do what, bad input, and the schema."""

import pytest
from rest_framework.test import APIClient

from articles import ratelimit
from tests.conftest import make_user
from tests.feedback_steps import feedback_on_two_articles, recipients, reload, stored_feedback
from tests.reviews.editorial_client import client_for

pytestmark = pytest.mark.django_db

FEEDBACK = "/api/v1/editorial/feedback/"


def item_url(feedback) -> str:
    return f"{FEEDBACK}{feedback.pk}/"


@pytest.fixture
def items(live_article, make_article, writer, reviewer, editor):
    """Four items on two articles, oldest first: two new, a concern, one actioned."""
    return feedback_on_two_articles(live_article, make_article, writer, reviewer, editor)


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


# Reading ------------------------------------------------------------------------------------


def test_list_is_paginated_newest_first(items, editor):
    """The list has a count and results, newest first, with what the reader sent."""
    response = client_for(editor).get(FEEDBACK)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert ids(response) == [items[name].pk for name in ("done", "liver", "concern", "bone")]
    concern = body["results"][2]
    assert concern["clinical_concern"] is True and concern["comment"] == "Wrong dose"
    assert concern["article_title"] == "Bone metastases explained"
    assert concern["status"] == "new" and concern["assignee"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "new"}, {"bone", "concern", "liver"}),
        ({"status": "actioned"}, {"done"}),
        ({"clinical_concern": "true"}, {"concern"}),
        ({"clinical_concern": "false"}, {"bone", "liver", "done"}),
        ({"helpful": "false"}, {"bone", "done"}),
        ({"article": "liver"}, {"liver", "done"}),
        ({"assignee": "editor"}, {"done"}),
        ({"status": "new", "helpful": "true"}, {"concern", "liver"}),
    ],
)
def test_list_filters(items, editor, query, expected):
    """Filters by status, clinical concern, helpful, article and assignee combine."""
    values = {
        "liver": items["liver"].article_id,
        "editor": editor.pk,
    }
    query = {key: values.get(value, value) for key, value in query.items()}
    response = client_for(editor).get(FEEDBACK, query)
    assert response.status_code == 200
    assert set(ids(response)) == {items[name].pk for name in expected}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "open"}, "status"),
        ({"clinical_concern": "yes"}, "clinical_concern"),
        ({"helpful": "2"}, "helpful"),
        ({"article": "bone"}, "article"),
        ({"assignee": "0"}, "assignee"),
        ({"article": str(2**70)}, "article"),
    ],
)
def test_bad_filter_is_a_400_naming_it(items, editor, query, field):
    """A filter value that cannot mean anything is a 400 naming the filter."""
    response = client_for(editor).get(FEEDBACK, query)
    assert response.status_code == 400 and field in response.json()


def test_list_query_count_does_not_grow(items, editor, live_article, django_assert_max_num_queries):
    """A page of the list costs the same few queries with 4 items or 40."""
    client = client_for(editor)
    with django_assert_max_num_queries(5):
        assert client.get(FEEDBACK).status_code == 200
    for _ in range(36):
        stored_feedback(live_article)
        ratelimit.clear_counts()
    with django_assert_max_num_queries(5):
        response = client.get(FEEDBACK)
    assert response.json()["count"] == 40 and len(ids(response)) == 20
    assert client.get(FEEDBACK, {"page": 3}).status_code == 404


def test_detail_and_unknown_ids(items, reviewer):
    """One item reads as in the list; an unknown or malformed id is a JSON 404."""
    client = client_for(reviewer)
    response = client.get(item_url(items["concern"]))
    assert response.status_code == 200 and response.json()["comment"] == "Wrong dose"
    for bad in ("999999", str(2**70), "abc"):
        missing = client.get(f"{FEEDBACK}{bad}/")
        assert missing.status_code == 404 and missing.json()["detail"], bad


# Who may do what ----------------------------------------------------------------------------


def test_permission_matrix(items, writer, reviewer, editor):
    """Anonymous 401; writers and staff without a role 403; clinical reviewers read but
    cannot change (403); editors read and change."""
    target = items["bone"]
    change = {"status": "triaged"}
    bulk = [{"id": target.pk, "status": "triaged"}]
    anonymous = APIClient()
    assert anonymous.get(FEEDBACK).status_code == 401
    assert anonymous.patch(item_url(target), change, format="json").status_code == 401
    for person in (writer, make_user("no_role")):
        client = client_for(person)
        assert client.get(FEEDBACK).status_code == 403
        assert client.get(item_url(target)).status_code == 403
        assert client.patch(item_url(target), change, format="json").status_code == 403
    client = client_for(reviewer)
    assert client.get(FEEDBACK).status_code == 200
    assert client.get(item_url(target)).status_code == 200
    refused = client.patch(item_url(target), change, format="json")
    assert refused.status_code == 403 and "editors" in refused.json()["detail"]
    assert client.patch(FEEDBACK, bulk, format="json").status_code == 403
    assert reload(target).status == "new"
    assert client_for(editor).patch(item_url(target), change, format="json").status_code == 200
    assert reload(target).status == "triaged"


def test_session_authentication_works(items, editor, client):
    """A signed-in editor's browser session reads the list too."""
    client.force_login(editor)
    assert client.get(FEEDBACK).status_code == 200


# Triage one ---------------------------------------------------------------------------------


def test_editor_triages_one_item(items, editor, reviewer):
    """Status, assignee, notes and the flag change; the answer is the item as stored."""
    target = items["bone"]
    response = client_for(editor).patch(
        item_url(target),
        {"status": "triaged", "assignee": reviewer.pk, "notes": "Shorten it."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "triaged" and response.json()["assignee"] == reviewer.pk
    target = reload(target)
    assert (target.status, target.assignee, target.notes) == ("triaged", reviewer, "Shorten it.")
    assert (
        client_for(editor)
        .patch(item_url(target), {"assignee": None}, format="json")
        .json()["assignee"]
        is None
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "closed"}, "status"),
        ({"status": None}, "status"),
        ({"assignee": 999999}, "assignee"),
        ({"assignee": "editor"}, "assignee"),
        ({"assignee": "writer"}, "assignee"),
        ({"assignee": "editor+0.5"}, "assignee"),
        ({"assignee": True}, "assignee"),
        ({"clinical_concern": "perhaps"}, "clinical_concern"),
        ({"notes": "x" * 10_001}, "notes"),
        ({"comment": "rewritten"}, "comment"),
        ({"helpful": True}, "helpful"),
        ({"version": 3}, "version"),
        ({"article": 1}, "article"),
        ({"id": 5}, "id"),
        ({"colour": "red"}, "colour"),
        ({}, "non_field_errors"),
    ],
)
def test_bad_change_is_a_400_naming_the_field(items, editor, writer, body, field):
    """Invalid, read-only, unknown or missing fields are a 400 naming them; nothing changes."""
    if body.get("assignee") == "writer":
        body = {"assignee": writer.pk}
    if body.get("assignee") == "editor+0.5":
        body = {"assignee": editor.pk + 0.5}  # not read as the editor's id
    target = items["bone"]
    response = client_for(editor).patch(item_url(target), body, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    target = reload(target)
    assert (target.status, target.assignee, target.notes, target.comment) == (
        "new",
        None,
        "",
        "Too long",
    )


def test_a_body_that_is_not_an_object_is_a_400(items, editor):
    """A list or a string where an object belongs is a 400, never a 500."""
    client = client_for(editor)
    for body in ([], "triaged", 3):
        assert client.patch(item_url(items["bone"]), body, format="json").status_code == 400


def test_setting_the_flag_emails_the_reviewer_of_record_once(
    items, editor, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    """Setting the flag through the API e-mails the reviewer of record; setting it again
    does not; an item the reader flagged is not e-mailed again."""
    client = client_for(editor)
    for attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.patch(
                item_url(items["bone"]), {"clinical_concern": True}, format="json"
            )
        assert response.status_code == 200
        assert recipients(mailoutbox) == ["reviewer@example.org"], attempt
    with django_capture_on_commit_callbacks(execute=True):
        client.patch(item_url(items["concern"]), {"clinical_concern": True}, format="json")
    assert len(mailoutbox) == 1


# Triage many ----------------------------------------------------------------------------------


def test_bulk_triage_changes_every_item(items, editor, reviewer):
    """A list of changes is applied to every item named; the answer lists them in order."""
    body = [
        {"id": items["bone"].pk, "status": "dismissed"},
        {"id": items["liver"].pk, "status": "triaged", "assignee": reviewer.pk},
    ]
    response = client_for(editor).patch(FEEDBACK, body, format="json")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["id"] for row in results] == [items["bone"].pk, items["liver"].pk]
    assert reload(items["bone"]).status == "dismissed"
    liver = reload(items["liver"])
    assert (liver.status, liver.assignee) == ("triaged", reviewer)


@pytest.mark.parametrize(
    ("second", "field"),
    [
        ({"status": "closed"}, "status"),
        ({"assignee": "writer"}, "assignee"),
        ({"comment": "x"}, "comment"),
        ({"id": 999999, "status": "triaged"}, "id"),
        ({"id": "same", "status": "triaged"}, "id"),
        ({}, "non_field_errors"),
    ],
)
def test_bulk_triage_is_all_or_nothing(items, editor, writer, second, field):
    """One bad item (invalid value, read-only field, unknown or repeated id, nothing to
    change) is a 400 at its index naming the field, and no item changes."""
    first = {"id": items["bone"].pk, "status": "dismissed"}
    if second.get("assignee") == "writer":
        second = {"assignee": writer.pk}
    if second.get("id") == "same":
        second = {**second, "id": items["bone"].pk}
    second = {"id": items["liver"].pk, **second}
    response = client_for(editor).patch(FEEDBACK, [first, second], format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors[0] == {} and field in errors[1], errors
    assert reload(items["bone"]).status == "new" and reload(items["liver"]).status == "new"


@pytest.mark.parametrize("body", [[], {"id": 1, "status": "new"}, "x", [1, 2], [None], None])
def test_bulk_body_must_be_a_list_of_objects(items, editor, body):
    """An empty list, an object, a string or a list of non-objects is a 400 whose errors are
    an object, or a list of one object per item."""
    response = client_for(editor).patch(FEEDBACK, body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert isinstance(errors, dict) or all(isinstance(item, dict) for item in errors), errors


def test_bulk_is_bounded(items, editor):
    """More than 500 items in one change is refused."""
    body = [{"id": items["bone"].pk, "status": "triaged"}] * 501
    response = client_for(editor).patch(FEEDBACK, body, format="json")
    assert response.status_code == 400 and reload(items["bone"]).status == "new"


# The schema ---------------------------------------------------------------------------------


def test_schema_documents_the_feedback_endpoints(client):
    """The list, detail and both PATCHes are documented with their errors."""
    schema = client.get(
        "/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"}
    ).json()
    collection = schema["paths"][FEEDBACK]
    detail = schema["paths"][f"{FEEDBACK}{{id}}/"]
    assert {"200", "400", "401", "403", "404"} <= set(collection["get"]["responses"])
    assert {"200", "400", "401", "403"} <= set(collection["patch"]["responses"])
    assert {"200", "401", "403", "404"} <= set(detail["get"]["responses"])
    assert {"200", "400", "401", "403", "404"} <= set(detail["patch"]["responses"])
    filters = {parameter["name"] for parameter in collection["get"]["parameters"]}
    assert {"status", "clinical_concern", "helpful", "article", "assignee", "page"} <= filters
    request = schema["components"]["schemas"]["PatchedFeedbackChangeRequest"]
    assert request["additionalProperties"] is False
    assert set(request["properties"]) == {"status", "assignee", "notes", "clinical_concern"}
