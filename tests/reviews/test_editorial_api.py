"""The editorial REST API: authentication, articles, edits guarded by ETags, history, actions."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Article, ClinicalTrial, PublishedArticle, Topic
from articles.selectors import article_version_content, article_versions
from reviews import workflow
from reviews.models import Review

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]

PASSWORD = "correct-horse-battery"
ARTICLES = "/api/v1/editorial/articles/"
EXPECTED_FIELDS = {
    "id",
    "slug",
    "title",
    "summary",
    "body",
    "audience",
    "language",
    "topics",
    "authors",
    "references",
    "related_trials",
    "counterpart",
    "review_interval_months",
    "state",
    "version",
    "live_version",
    "live_url",
    "last_reviewed",
    "next_review_due",
    "created_at",
    "updated_at",
    "allowed_actions",
    "readability",
    "warnings",
}


class EditorialClient(APIClient):
    def act(self, article, name: str, data: dict | None = None, *, if_match: str | None = ""):
        """POST workflow action ``name``, by default with the article's current ETag, as a
        client that just read it would (``if_match=None`` sends no If-Match)."""
        headers = {}
        if if_match is not None:
            headers["If-Match"] = if_match or etag(article)
        return self.post(action_url(article, name), data or {}, format="json", headers=headers)


def client_for(user) -> EditorialClient:
    client = EditorialClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def detail_url(article) -> str:
    return f"{ARTICLES}{article.pk}/"


def action_url(article, name: str) -> str:
    return f"{ARTICLES}{article.pk}/{name}/"


def etag(article) -> str:
    article.refresh_from_db()
    return f'"{article.pk}-{article.version}-{article.state}"'


def patch(client, article, data, *, if_match: str | None = None):
    headers = {} if if_match is None else {"If-Match": if_match}
    return client.patch(detail_url(article), data, format="json", headers=headers)


def new_article_data(**overrides) -> dict:
    data = {
        "title": "Liver metastases",
        "summary": "What happens when breast cancer spreads to the liver.",
        "body": "## Symptoms\n\nSome people have no symptoms [@1].",
        "topics": ["bone-metastases"],
        "audience": "patient",
        "references": [
            {
                "title": "Trastuzumab deruxtecan in HER2-low breast cancer",
                "journal": "N Engl J Med",
                "year": 2022,
                "pmid": "35665782",
                "doi": "10.1056/NEJMoa2203690",
            }
        ],
    }
    data.update(overrides)
    return data


@pytest.fixture
def trial(db):
    return ClinicalTrial.objects.create(nct_id="NCT03734029", brief_title="DESTINY-Breast04")


@pytest.fixture
def in_review(make_article, writer):
    article = make_article(writer)
    return workflow.submit(article=article, user=writer)


@pytest.fixture
def approved(in_review, reviewer):
    return workflow.approve(article=in_review, user=reviewer, comment="Accurate.")


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


# Create ----------------------------------------------------------------------------------


def test_create_saves_a_draft_as_version_one(writer, topic, trial):
    """POST creates a draft (201) with its ETag, related rows and a version by the writer."""
    data = new_article_data(
        related_trials=["nct03734029"],
        references=[
            {"title": "First", "pmid": "35665782", "nct_id": " nct03734029 "},
            {"title": "Second", "doi": "https://doi.org/10.1056/NEJMoa2203690"},
        ],
    )
    response = client_for(writer).post(ARTICLES, data, format="json")
    assert response.status_code == 201
    body = response.json()
    article = Article.objects.get(pk=body["id"])
    assert (body["slug"], body["state"], body["version"]) == ("liver-metastases", "draft", 1)
    assert response["ETag"] == f'"{article.pk}-1-draft"'
    assert response["Location"].endswith(detail_url(article))
    assert body["topics"] == ["bone-metastases"]
    assert body["related_trials"] == ["NCT03734029"]
    assert body["authors"] == ["writer"]
    assert [(r["number"], r["nct_id"], r["doi"]) for r in body["references"]] == [
        (1, "NCT03734029", ""),
        (2, "", "10.1056/NEJMoa2203690"),
    ]
    assert [(v.number, v.user) for v in article_versions(article)] == [(1, "writer")]
    assert len(article_version_content(article, 1).references) == 2


def test_create_warns_about_an_unusual_doi_instead_of_refusing(writer, topic):
    """A DOI outside the usual 10.NNNN/suffix form is kept and reported in ``warnings``."""
    data = new_article_data(references=[{"title": "Odd", "doi": "NEJMoa2203690"}])
    response = client_for(writer).post(ARTICLES, data, format="json")
    assert response.status_code == 201
    [warning] = response.json()["warnings"]
    assert warning.startswith("Reference 1:") and "NEJMoa2203690" in warning


def test_create_refuses_workflow_fields(writer, topic):
    """A new article cannot be created already approved."""
    response = client_for(writer).post(ARTICLES, new_article_data(state="approved"), format="json")
    assert response.status_code == 400
    assert "workflow" in response.json()["state"][0]
    assert not Article.objects.exists()


def test_malformed_json_is_400(writer):
    """A body that is not valid JSON is a 400, not a server error."""
    response = client_for(writer).post(
        ARTICLES, '{"title": "Unfinished', content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def _reference_error(data: dict, index: int, field: str) -> bool:
    return field in data["references"][index] and all(
        item == {} for i, item in enumerate(data["references"]) if i != index
    )


@pytest.mark.parametrize(
    ("overrides", "field", "needle"),
    [
        ({"topics": ["xyz"]}, "topics", "'xyz'"),
        ({"topics": []}, "topics", "empty"),
        ({"title": ""}, "title", "blank"),
        ({"title": None}, "title", "null"),
        ({"audience": "children"}, "audience", "children"),
        ({"related_trials": ["NCT123"]}, "related_trials", "8 digits"),
        ({"related_trials": ["NCT99999999"]}, "related_trials", "NCT99999999"),
        ({"counterpart": "no-such-article"}, "counterpart", "no-such-article"),
        ({"review_interval_months": 48}, "review_interval_months", "36"),
        ({"references": "none"}, "references", "list"),
        ({"foo": 1}, "foo", "Unknown"),
    ],
)
def test_create_bad_input_is_400_naming_the_field(writer, topic, overrides, field, needle):
    """Each kind of bad input gives a 400 whose errors name the field."""
    response = client_for(writer).post(ARTICLES, new_article_data(**overrides), format="json")
    assert response.status_code == 400
    assert needle in str(response.json()[field])
    assert not Article.objects.exists()


def test_create_without_title_is_400(writer, topic):
    """A missing title is a field error."""
    data = new_article_data()
    del data["title"]
    response = client_for(writer).post(ARTICLES, data, format="json")
    assert response.status_code == 400
    assert "title" in response.json()


@pytest.mark.parametrize(
    ("reference", "field", "needle"),
    [
        ({"pmid": "0123"}, "pmid", "PubMed"),
        ({"nct_id": "NCT1234"}, "nct_id", "8 digits"),
        ({"year": 1700}, "year", "plausible"),
        ({"doi": "10.1/" + "x" * 260}, "doi", "255"),
        ({"title": ""}, "title", "blank"),
    ],
)
def test_bad_reference_is_a_nested_field_error(writer, topic, reference, field, needle):
    """Each reference is checked by the model; errors line up with the list it came in."""
    references = [{"title": "Fine"}, {"title": "Faulty", **reference}]
    response = client_for(writer).post(
        ARTICLES, new_article_data(references=references), format="json"
    )
    assert response.status_code == 400
    errors = response.json()["references"]
    assert errors[0] == {}
    assert needle in errors[1][field][0]


def test_counterpart_must_be_for_the_other_audience(make_article, writer, topic):
    """The model's counterpart rule is enforced: same-audience counterparts are refused."""
    patient_page = make_article(writer, title="Bone pain")
    response = client_for(writer).post(
        ARTICLES, new_article_data(counterpart=patient_page.slug), format="json"
    )
    assert response.status_code == 400
    assert "other audience" in response.json()["counterpart"][0]


# Read ------------------------------------------------------------------------------------


def test_get_returns_the_documented_fields_and_etag(make_article, writer):
    """GET gives exactly the documented fields, workflow hints and an ETag."""
    article = make_article(writer, references=2)
    response = client_for(writer).get(detail_url(article))
    assert response.status_code == 200
    assert response["ETag"] == f'"{article.pk}-1-draft"'
    data = response.json()
    assert set(data) == EXPECTED_FIELDS
    assert data["allowed_actions"] == ["submit"]
    assert set(data["readability"]) == {"grade", "reading_ease", "words", "warning"}
    assert [ref["number"] for ref in data["references"]] == [1, 2]
    assert data["live_version"] is None and data["live_url"] is None


def test_get_shows_the_live_version_and_address(live_article, writer):
    """A published article reports the live version and its public URL."""
    data = client_for(writer).get(detail_url(live_article)).json()
    assert data["live_version"] == 1
    assert data["live_url"] == f"http://testserver/articles/{live_article.slug}/"
    assert data["last_reviewed"] == str(timezone.localdate())


def test_missing_article_is_404(writer):
    """An unknown id is a 404."""
    assert client_for(writer).get(f"{ARTICLES}999999/").status_code == 404


def test_put_and_delete_are_not_offered(make_article, writer):
    """Edits are PATCH only and articles are never deleted."""
    article = make_article(writer)
    client = client_for(writer)
    headers = {"If-Match": etag(article)}
    assert client.put(detail_url(article), {}, format="json", headers=headers).status_code == 405
    assert client.delete(detail_url(article), headers=headers).status_code == 405
    assert Article.objects.filter(pk=article.pk).exists()


# Edit ------------------------------------------------------------------------------------


def test_patch_without_if_match_is_428(make_article, writer):
    """An edit must say which version it is based on."""
    article = make_article(writer)
    response = patch(client_for(writer), article, {"title": "New title"})
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    article.refresh_from_db()
    assert (article.title, article.version) == ("Bone metastases explained", 1)


def test_patch_with_stale_etag_is_412_and_changes_nothing(make_article, writer, writer2):
    """An edit based on an older version is refused and the stored text stays as it was."""
    article = make_article(writer)
    stale = etag(article)
    article.body = "Someone else's text."
    workflow.save_working_copy(article=article, user=writer2)
    response = patch(client_for(writer), article, {"body": "My text."}, if_match=stale)
    assert response.status_code == 412
    assert "version 2" in response.json()["detail"]
    article.refresh_from_db()
    assert (article.body, article.version) == ("Someone else's text.", 2)


def test_patch_racing_another_save_is_412(make_article, writer, writer2, monkeypatch):
    """A save that lands between the ETag check and the lock still ends in 412."""
    article = make_article(writer)
    save = workflow.save_working_copy

    def save_after_someone_else(**kwargs):
        rival = Article.objects.get(pk=article.pk)
        rival.body = "The rival's text."
        save(article=rival, user=writer2)
        return save(**kwargs)

    monkeypatch.setattr(workflow, "save_working_copy", save_after_someone_else)
    response = patch(client_for(writer), article, {"body": "Mine."}, if_match=etag(article))
    assert response.status_code == 412
    article.refresh_from_db()
    assert (article.body, article.version) == ("The rival's text.", 2)


def test_patch_saves_a_new_version_with_a_new_etag(make_article, writer):
    """A valid edit is version 2, answered with the new representation and ETag."""
    article = make_article(writer)
    old_etag = etag(article)
    response = patch(
        client_for(writer),
        article,
        {"title": "Bone metastases: a guide", "comment": "Clearer title."},
        if_match=old_etag,
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response["ETag"] == f'"{article.pk}-2-draft"' != old_etag
    assert article_versions(article)[-1].comment == "Clearer title."


@pytest.mark.parametrize("field", ["state", "version", "live_version", "last_reviewed"])
def test_patch_cannot_change_workflow_fields(make_article, writer, field):
    """Workflow fields in an edit are a 400 pointing to the workflow actions."""
    article = make_article(writer)
    response = patch(
        client_for(writer), article, {field: "approved", "title": "X"}, if_match=etag(article)
    )
    assert response.status_code == 400
    assert "workflow actions" in response.json()[field][0]
    article.refresh_from_db()
    assert (article.state, article.version, article.title) == (
        "draft",
        1,
        "Bone metastases explained",
    )


def test_patch_of_state_is_400_even_without_if_match(make_article, writer):
    """Input is validated before the precondition, so a state change is always a 400."""
    article = make_article(writer)
    response = patch(client_for(writer), article, {"state": "approved"})
    assert response.status_code == 400
    assert "state" in response.json()


def test_patch_with_bad_input_saves_nothing(make_article, writer):
    """Invalid input in an edit is a 400 and no version is saved."""
    article = make_article(writer)
    response = patch(client_for(writer), article, {"topics": ["xyz"]}, if_match=etag(article))
    assert response.status_code == 400
    assert response.json() == {"topics": ["Unknown topic: 'xyz'."]}
    assert Article.objects.get(pk=article.pk).version == 1


def test_empty_patch_is_400(approved, writer):
    """An edit that changes nothing is refused, so it cannot withdraw an approval by accident."""
    response = patch(client_for(writer), approved, {"comment": "Nothing."}, if_match=etag(approved))
    assert response.status_code == 400
    assert "at least one field" in response.json()["non_field_errors"][0]
    approved.refresh_from_db()
    assert (approved.state, approved.version) == ("approved", 1)


def test_patch_replaces_references_topics_and_trials(make_article, writer, trial):
    """Given lists replace the stored ones, and the new version records them."""
    article = make_article(writer, references=2)
    Topic.objects.create(name="Liver", slug="liver")
    response = patch(
        client_for(writer),
        article,
        {
            "references": [{"title": "Only one", "pmid": "35665782"}],
            "topics": ["liver"],
            "related_trials": ["NCT03734029"],
        },
        if_match=etag(article),
    )
    assert response.status_code == 200
    data = response.json()
    assert [(r["number"], r["title"]) for r in data["references"]] == [(1, "Only one")]
    assert (data["topics"], data["related_trials"]) == (["liver"], ["NCT03734029"])
    assert len(article_version_content(article, 1).references) == 2
    assert [r["title"] for r in article_version_content(article, 2).references] == ["Only one"]


def test_patch_without_lists_keeps_them(make_article, writer):
    """Lists not sent in an edit stay as they were."""
    article = make_article(writer, references=2)
    response = patch(client_for(writer), article, {"summary": "Shorter."}, if_match=etag(article))
    assert response.status_code == 200
    assert len(response.json()["references"]) == 2
    assert response.json()["topics"] == ["bone-metastases"]


def test_patch_of_approved_article_withdraws_the_review(approved, writer):
    """Editing an approved article returns it to draft and withdraws the approval."""
    response = patch(client_for(writer), approved, {"body": "Changed."}, if_match=etag(approved))
    assert response.status_code == 200
    assert response.json()["state"] == "draft"
    assert Review.objects.get(article=approved).status == Review.Status.WITHDRAWN


def test_patch_of_article_in_review_returns_it_to_draft(in_review, writer2):
    """Editing an article under review withdraws the review too."""
    response = patch(client_for(writer2), in_review, {"body": "Edit."}, if_match=etag(in_review))
    assert response.status_code == 200
    assert response.json()["state"] == "draft"


# History ---------------------------------------------------------------------------------


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


# Workflow actions ------------------------------------------------------------------------


def test_submit_sends_the_article_for_review(make_article, writer):
    """A writer submits a draft: 200, in review, new ETag."""
    article = make_article(writer)
    response = client_for(writer).act(article, "submit", {})
    assert response.status_code == 200
    assert response.json()["state"] == "in_review"
    assert response["ETag"] == f'"{article.pk}-1-in_review"'


def test_submit_by_reviewer_is_403(make_article, writer, reviewer):
    """Clinical reviewers do not submit articles they did not write."""
    article = make_article(writer)
    response = client_for(reviewer).act(article, "submit")
    assert response.status_code == 403
    assert "author, writer or editor" in response.json()["detail"]


def test_submit_twice_is_409(in_review, writer):
    """An article already in review cannot be submitted again."""
    response = client_for(writer).act(in_review, "submit")
    assert response.status_code == 409
    assert "in review" in response.json()["detail"]


def test_approve_by_reviewer(in_review, reviewer):
    """A clinical reviewer approves the version under review."""
    response = client_for(reviewer).act(in_review, "approve", {"comment": "Accurate."})
    assert response.status_code == 200
    assert response.json()["state"] == "approved"
    assert Review.objects.get(article=in_review).reviewer == reviewer


def test_approve_by_writer_is_403(in_review, writer):
    """Writers cannot approve."""
    assert client_for(writer).act(in_review, "approve").status_code == 403


def test_approve_own_edit_is_403(in_review, reviewer, writer):
    """A reviewer who edited the article may not approve it (separation of duties)."""
    client = client_for(reviewer)
    patch(client, in_review, {"body": "Reviewer's edit."}, if_match=etag(in_review))
    workflow.submit(article=in_review, user=writer)
    response = client.act(in_review, "approve")
    assert response.status_code == 403
    assert "another clinician" in response.json()["detail"]


def test_approve_draft_is_409(make_article, writer, reviewer):
    """Only an article in review can be approved."""
    article = make_article(writer)
    assert client_for(reviewer).act(article, "approve").status_code == 409


def test_request_changes_with_comment(in_review, reviewer):
    """A reviewer sends the article back with a comment."""
    response = client_for(reviewer).act(
        in_review, "request-changes", {"comment": "Check the dose."}
    )
    assert response.status_code == 200
    assert response.json()["state"] == "changes_requested"


def test_request_changes_without_comment_is_400(in_review, reviewer):
    """Requesting changes needs a comment."""
    response = client_for(reviewer).act(in_review, "request-changes")
    assert response.status_code == 400
    assert "comment" in response.json()
    assert Article.objects.get(pk=in_review.pk).state == "in_review"


def test_request_changes_by_writer_is_403(in_review, writer):
    """Writers cannot request changes."""
    response = client_for(writer).act(in_review, "request-changes", {"comment": "x"})
    assert response.status_code == 403


def test_request_changes_on_draft_is_409(make_article, writer, reviewer):
    """Only an article in review can be sent back."""
    article = make_article(writer)
    response = client_for(reviewer).act(article, "request-changes", {"comment": "x"})
    assert response.status_code == 409


def test_publish_approved_article(approved, editor):
    """An editor publishes the approved version; it becomes the live version."""
    response = client_for(editor).act(approved, "publish")
    assert response.status_code == 200
    data = response.json()
    assert (data["live_version"], data["state"]) == (1, "approved")
    assert data["live_url"].endswith(f"/articles/{approved.slug}/")


def test_publish_by_writer_is_403(approved, writer):
    """Only editors publish."""
    assert client_for(writer).act(approved, "publish").status_code == 403


def test_publish_draft_is_409(make_article, writer, editor):
    """A draft cannot be published."""
    article = make_article(writer)
    assert client_for(editor).act(article, "publish").status_code == 409


def test_republish_needs_a_change_note(live_article, writer, reviewer2, editor):
    """Every publication after the first needs a public change note."""
    patch(client_for(writer), live_article, {"body": "Updated."}, if_match=etag(live_article))
    workflow.submit(article=live_article, user=writer)
    workflow.approve(article=live_article, user=reviewer2)
    client = client_for(editor)
    response = client.act(live_article, "publish")
    assert response.status_code == 400
    assert "change note" in response.json()["change_note"][0]
    response = client.act(live_article, "publish", {"change_note": "Updated."})
    assert response.status_code == 200
    assert response.json()["live_version"] == 2


def test_publish_at_a_future_time_schedules_it(approved, editor):
    """publish_at schedules the snapshot; the article is not live until then."""
    go_live = (timezone.now() + datetime.timedelta(days=2)).replace(microsecond=0)
    response = client_for(editor).act(approved, "publish", {"publish_at": go_live.isoformat()})
    assert response.status_code == 200
    assert response.json()["live_version"] is None
    assert PublishedArticle.objects.get(article=approved).go_live_at == go_live


@pytest.mark.parametrize("publish_at", ["next tuesday", "2020-01-01T09:00:00Z"])
def test_invalid_or_past_publish_at_is_400(approved, editor, publish_at):
    """An unreadable or past publication time is a 400 and nothing is published."""
    response = client_for(editor).act(approved, "publish", {"publish_at": publish_at})
    assert response.status_code == 400
    assert "publish_at" in response.json()
    assert not PublishedArticle.objects.exists()


def test_misspelt_action_field_is_400(approved, editor):
    """An unknown field (publish_on) is refused rather than publishing now."""
    response = client_for(editor).act(approved, "publish", {"publish_on": "2099-01-01"})
    assert response.status_code == 400
    assert "publish_on" in response.json()
    assert not PublishedArticle.objects.exists()


def test_unpublish_with_reason(live_article, editor):
    """An editor takes a live article off the site with a reason."""
    response = client_for(editor).act(live_article, "unpublish", {"reason": "Guidance changed."})
    assert response.status_code == 200
    assert response.json()["live_version"] is None


def test_unpublish_without_reason_is_400(live_article, editor):
    """Unpublishing needs a reason; the article stays live."""
    response = client_for(editor).act(live_article, "unpublish")
    assert response.status_code == 400
    assert "reason" in response.json()
    assert workflow.live_snapshot(live_article) is not None


def test_unpublish_by_writer_is_403(live_article, writer):
    """Only editors unpublish."""
    response = client_for(writer).act(live_article, "unpublish", {"reason": "x"})
    assert response.status_code == 403


def test_unpublish_of_unpublished_article_is_409(make_article, writer, editor):
    """An article that is not live cannot be unpublished."""
    article = make_article(writer)
    response = client_for(editor).act(article, "unpublish", {"reason": "x"})
    assert response.status_code == 409


def test_action_with_stale_if_match_is_412(in_review, reviewer, writer):
    """An optional If-Match on an action refuses a version the reviewer has not read."""
    seen = etag(in_review)
    patch(client_for(writer), in_review, {"body": "Late edit."}, if_match=seen)
    workflow.submit(article=in_review, user=writer)
    response = client_for(reviewer).post(
        action_url(in_review, "approve"), headers={"If-Match": seen}
    )
    assert response.status_code == 412
    assert Article.objects.get(pk=in_review.pk).state == "in_review"


def test_action_on_missing_article_is_404(editor):
    """Actions on an unknown id are 404."""
    assert client_for(editor).post(f"{ARTICLES}999999/publish/").status_code == 404


# Schema ----------------------------------------------------------------------------------


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
