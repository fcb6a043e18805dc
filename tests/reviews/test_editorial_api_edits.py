"""Edits through the editorial API: PATCH guarded by ETags, new versions, withdrawn reviews."""

import pytest

from articles.models import Article, Topic
from articles.selectors import article_version_content, article_versions
from reviews import workflow
from reviews.models import Review
from tests.reviews.editorial_client import client_for, etag, patch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]


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
