"""Creating and reading articles through the editorial API, and input it refuses."""

import pytest
from django.utils import timezone

from articles.models import Article
from articles.selectors import article_version_content, article_versions
from tests.reviews.editorial_client import ARTICLES, client_for, detail_url, etag, new_article_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]

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
    "lead_image",
    "images",
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
    "evidence_changed",
    "evidence_changes",
}


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
    # The author of a draft never published may send it for review or archive it.
    assert data["allowed_actions"] == ["submit", "archive"]
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
