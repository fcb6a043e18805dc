"""Workflow actions through the editorial API: who may take each, in which state, with what."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article, PublishedArticle
from reviews import workflow
from reviews.models import Review
from tests.reviews.editorial_client import ARTICLES, action_url, client_for, etag, patch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]


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
