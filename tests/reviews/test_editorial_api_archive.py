"""Archive, restore from the archive, restore an earlier version and the review discussion,
through the editorial API: the same services and rules as the admin."""

import pytest

from articles.models import Article, PublishedArticle
from articles.selectors import article_versions
from reviews import workflow
from reviews.models import AuditEntry, Review, ReviewComment
from tests.reviews.editorial_client import (
    ARTICLES,
    action_url,
    client_for,
    detail_url,
    etag,
    patch,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]


# Archive and unarchive -------------------------------------------------------------------


def test_editor_archives_a_live_article_and_it_leaves_the_site(client, live_article, editor):
    """Archiving a live article unpublishes it, keeps its history, and moves it out of the
    list into the archive; the answer says so."""
    response = client_for(editor).act(live_article, "archive", {"reason": "Superseded."})
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["state"] == "draft" and data["live_version"] is None
    assert data["allowed_actions"] == ["unarchive"]
    live_article.refresh_from_db()
    assert live_article.archived_at is not None
    assert not PublishedArticle.objects.live().filter(article=live_article).exists()
    assert client.get(f"/api/v1/articles/{live_article.slug}/").status_code == 404
    entry = AuditEntry.objects.filter(article=live_article, action="archive").get()
    assert (entry.user, entry.comment) == (editor, "Superseded.")
    api = client_for(editor)
    assert live_article.pk not in [item["id"] for item in api.get(ARTICLES).json()["results"]]
    archive = api.get(ARTICLES, {"archived": "true"}).json()["results"]
    assert [item["id"] for item in archive] == [live_article.pk]
    assert api.get(ARTICLES, {"archived": "maybe"}).status_code == 400
    assert len(article_versions(live_article)) == 1


def test_archive_needs_a_reason_and_if_match(make_article, writer):
    """No reason is a 400 naming it, no If-Match a 428, a stale one a 412; nothing changes."""
    article = make_article(writer)
    api = client_for(writer)
    response = api.act(article, "archive", {})
    assert response.status_code == 400 and "reason" in response.json()
    assert api.act(article, "archive", {"reason": "Duplicate."}, if_match=None).status_code == 428
    stale = f'"{article.pk}-0-draft"'
    assert api.act(article, "archive", {"reason": "Duplicate."}, if_match=stale).status_code == 412
    response = api.act(article, "archive", {"reason": "Duplicate.", "why": "x"})
    assert response.status_code == 400 and response.json()["why"] == ["Unknown field."]
    article.refresh_from_db()
    assert article.archived_at is None


def test_who_may_archive_is_the_workflow_rule(
    make_article, writer, writer2, reviewer, live_article
):
    """The author of a never-published draft may archive it; another writer, a clinical
    reviewer, or the author of a published article may not (403)."""
    draft = make_article(writer, title="A duplicate page")
    assert client_for(writer2).act(draft, "archive", {"reason": "Dup."}).status_code == 403
    assert client_for(reviewer).act(draft, "archive", {"reason": "Dup."}).status_code == 403
    response = client_for(writer).act(live_article, "archive", {"reason": "Old."})
    assert response.status_code == 403 and "editor" in response.json()["detail"]
    assert client_for(writer).act(draft, "archive", {"reason": "Dup."}).status_code == 200


def test_unarchive_is_for_editors_and_only_of_archived_articles(live_article, editor, writer):
    """An editor restores an archived article as a draft that needs a new review; a writer
    gets 403; restoring an article in use, or archiving one twice, is 409."""
    api = client_for(editor)
    assert api.act(live_article, "unarchive", {}).status_code == 409
    assert api.act(live_article, "archive", {"reason": "Paused."}).status_code == 200
    assert api.act(live_article, "archive", {"reason": "Again."}).status_code == 409
    assert client_for(writer).act(live_article, "unarchive", {}).status_code == 403
    response = api.act(live_article, "unarchive")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "draft"
    live_article.refresh_from_db()
    assert live_article.archived_at is None
    assert AuditEntry.objects.filter(article=live_article, action="unarchive").exists()


def test_an_archived_article_is_read_but_not_edited_or_moved(make_article, writer, editor):
    """An archived article can be read (with its ETag); an edit, a restore or a workflow
    action on it is a 409 naming the archive, and nothing is saved."""
    article = make_article(writer)
    workflow.archive(article=article, user=editor, reason="Out of date.")
    api = client_for(editor)
    response = api.get(detail_url(article))
    assert response.status_code == 200 and response.json()["allowed_actions"] == ["unarchive"]
    edit = patch(api, article, {"title": "New title"}, if_match=etag(article))
    assert edit.status_code == 409 and "archived" in edit.json()["detail"]
    assert api.act(article, "submit").status_code == 409
    restore = api.act(article, "restore", {"version": 1})
    assert restore.status_code == 400  # version 1 is the current version
    article.refresh_from_db()
    assert (article.version, article.title) == (1, "Bone metastases explained")


# Restore an earlier version --------------------------------------------------------------


def test_restore_brings_back_old_content_as_a_new_version_to_review(live_article, writer, reviewer):
    """Restoring version 1 after an edit makes version 3 with version 1's content, as a
    draft, withdrawing the open review; the live page is unchanged."""
    api = client_for(writer)
    patch(api, live_article, {"body": "A mistaken edit [@1]."}, if_match=etag(live_article))
    workflow.submit(article=live_article, user=writer)
    response = api.act(live_article, "restore", {"version": 1})
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["version"], data["state"]) == (3, "draft")
    assert data["body"] == "## Symptoms\n\nBone pain is common [@1]."
    assert response["ETag"] == f'"{live_article.pk}-3-draft"'
    assert article_versions(live_article)[-1].comment == "Restored the content of version 1."
    assert not Review.objects.filter(article=live_article, status__in=Review.OPEN_STATUSES)
    assert PublishedArticle.objects.live().get(article=live_article).version == 1


def test_restore_refuses_a_version_that_is_not_an_earlier_one(make_article, writer):
    """The current version, a later one, zero, text or a missing key are 400s naming
    `version`; nothing is saved."""
    article = make_article(writer)
    patch(client_for(writer), article, {"title": "Second title"}, if_match=etag(article))
    api = client_for(writer)
    for body in ({"version": 2}, {"version": 9}, {"version": 0}, {"version": "one"}, {}):
        response = api.act(article, "restore", body)
        assert response.status_code == 400, body
        assert "version" in response.json(), body
    article.refresh_from_db()
    assert article.version == 2


def test_restore_of_a_version_that_was_never_saved_is_400(make_article, writer):
    """A gap in the history (no saved version 1) is a 400 naming `version`, not a 404."""
    article = make_article(writer)
    Article.objects.filter(pk=article.pk).update(version=3)
    response = client_for(writer).act(article, "restore", {"version": 2})
    assert response.status_code == 400
    assert response.json()["version"] == ["This article has no saved version 2."]


def test_restore_needs_the_current_etag(make_article, writer):
    """No If-Match is 428, an old one 412, and nothing is restored."""
    article = make_article(writer)
    old = etag(article)
    patch(client_for(writer), article, {"title": "Second title"}, if_match=old)
    api = client_for(writer)
    assert api.act(article, "restore", {"version": 1}, if_match=None).status_code == 428
    assert api.act(article, "restore", {"version": 1}, if_match=old).status_code == 412
    article.refresh_from_db()
    assert (article.version, article.title) == (2, "Second title")


def test_restore_reads_the_images_again_from_the_library(make_article, make_image, writer):
    """A restored version shows its images as the library has them now, as the admin's
    restore does (the manifest is worked out again)."""
    image = make_image()
    article = make_article(writer, body=f"Intro [@1].\n\n![]({'image:'}{image.pk})\n")
    patch(client_for(writer), article, {"body": "No picture [@1]."}, if_match=etag(article))
    image.caption = "A newer caption."
    image.save()
    response = client_for(writer).act(article, "restore", {"version": 1})
    assert response.status_code == 200, response.json()
    (shown,) = response.json()["images"]
    assert (shown["id"], shown["caption"]) == (image.pk, "A newer caption.")


# The review discussion -------------------------------------------------------------------


def comments_url(article) -> str:
    return action_url(article, "comments")


def test_discussion_is_empty_then_refuses_messages_before_a_review(make_article, writer):
    """Before the first submission the thread is empty, and a message is a 409."""
    article = make_article(writer)
    api = client_for(writer)
    assert api.get(comments_url(article)).json() == []
    response = api.post(comments_url(article), {"body": "Anyone?"}, format="json")
    assert response.status_code == 409
    assert not ReviewComment.objects.exists()


def test_reviewer_and_writer_discuss_the_latest_review(in_review, writer, reviewer):
    """Messages from both sides land on the latest review, oldest first, with the version,
    author and an audit entry."""
    asked = client_for(reviewer).post(
        comments_url(in_review), {"body": "Is the dose right?"}, format="json"
    )
    assert asked.status_code == 201, asked.json()
    client_for(writer).post(comments_url(in_review), {"body": "Yes: 75 mg."}, format="json")
    thread = client_for(writer).get(comments_url(in_review)).json()
    review = Review.objects.get(article=in_review)
    assert [(c["author"], c["body"], c["review"], c["version"]) for c in thread] == [
        ("reviewer", "Is the dose right?", review.pk, 1),
        ("writer", "Yes: 75 mg.", review.pk, 1),
    ]
    assert thread[0]["author_name"] == "Ada reviewer"
    assert asked.json() == thread[0]
    assert AuditEntry.objects.filter(article=in_review, action="comment").count() == 2


def test_a_new_review_starts_a_new_thread(in_review, writer, reviewer):
    """After changes are requested and the article is sent again, the thread is the new
    review's, as on the review page."""
    api = client_for(reviewer)
    api.post(comments_url(in_review), {"body": "First round."}, format="json")
    workflow.request_changes(article=in_review, user=reviewer, comment="Fix the dose.")
    workflow.submit(article=in_review, user=writer)
    assert api.get(comments_url(in_review)).json() == []


def test_bad_messages_are_400_naming_body(in_review, writer):
    """An empty or blank body, a missing one, one too long or an unknown key is a 400."""
    api = client_for(writer)
    for data in ({"body": "   "}, {}, {"body": "x" * 10_001}, {"body": "Hi", "to": "reviewer"}):
        response = api.post(comments_url(in_review), data, format="json")
        assert response.status_code == 400, data
        assert set(response.json()) & {"body", "to"}, data
    assert not ReviewComment.objects.exists()


def test_discussion_is_for_editorial_users_only(in_review, client):
    """Anonymous clients get 401; an unknown article 404."""
    assert client.get(comments_url(in_review)).status_code == 401
    assert client_for(in_review.created_by).get(f"{ARTICLES}999999/comments/").status_code == 404
