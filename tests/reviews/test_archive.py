"""Nothing is hard-deleted: archiving hides an article and keeps its history; restore works."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from articles.models import Article, PublishedArticle
from articles.selectors import article_versions
from reviews import workflow
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signoff_holds")]


def test_archiving_a_live_article_unpublishes_and_keeps_history(client, live_article, editor):
    """An editor archives a live article: it leaves the site, its versions stay."""
    versions = article_versions(live_article)
    workflow.archive(article=live_article, user=editor, reason="Superseded by a new page.")
    live_article.refresh_from_db()
    assert live_article.archived_at is not None
    assert not PublishedArticle.objects.live().filter(article=live_article).exists()
    assert client.get(f"/articles/{live_article.slug}/").status_code == 404
    assert article_versions(live_article) == versions
    actions = set(live_article.audit_entries.values_list("action", flat=True))
    assert {"unpublish", "archive"} <= actions


def test_writer_archives_own_draft_but_not_published_work(make_article, writer, live_article):
    """Writers may archive their own unpublished drafts, not published articles."""
    draft = make_article(writer, title="Abandoned draft")
    workflow.archive(article=draft, user=writer, reason="Duplicate.")
    with pytest.raises(workflow.ActionForbidden):
        workflow.archive(article=live_article, user=writer, reason="No longer needed.")


def test_archive_needs_reason_and_is_not_repeated(live_article, editor):
    """A reason is required; archiving twice is refused."""
    with pytest.raises(workflow.InvalidInput):
        workflow.archive(article=live_article, user=editor, reason=" ")
    workflow.archive(article=live_article, user=editor, reason="Old.")
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.archive(article=live_article, user=editor, reason="Again.")


def test_unarchive_restores_a_draft_that_needs_review(live_article, editor, writer, reviewer2):
    """Restoring brings the article back as a draft; it must be reviewed to go live again."""
    workflow.archive(article=live_article, user=editor, reason="Paused.")
    restored = workflow.unarchive(article=live_article, user=editor)
    assert restored.archived_at is None and restored.state == workflow.State.DRAFT
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.publish(article=restored, user=editor, change_note="Back.")


def test_admin_lists_archived_separately_and_restores(client, live_article, editor):
    """The admin hides archived articles by default, lists them on request, and restores them."""
    client.login(username=editor.username, password=PASSWORD)
    client.post(
        reverse("admin:articles_article_archive", args=[live_article.pk]),
        {"reason": "Old.", "version": live_article.version},
    )
    changelist = reverse("admin:articles_article_changelist")
    assert live_article.title not in client.get(changelist).text
    assert live_article.title in client.get(changelist, {"archived": "yes"}).text
    page = client.get(reverse("admin:articles_article_change", args=[live_article.pk])).text
    assert "Restore from the archive" in page
    client.post(
        reverse("admin:articles_article_archive", args=[live_article.pk]),
        {"restore": "1", "version": live_article.version},
    )
    assert Article.objects.get(pk=live_article.pk).archived_at is None


def test_archived_articles_leave_the_editorial_api(live_article, editor):
    """The editorial API lists working copies in use only."""
    api = APIClient()
    api.force_authenticate(editor)
    workflow.archive(article=live_article, user=editor, reason="Old.")
    assert api.get("/api/v1/editorial/articles/").json()["count"] == 0


def test_nobody_can_delete_an_article_through_the_api(live_article, editor):
    """DELETE is not offered by the editorial API."""
    api = APIClient()
    api.force_authenticate(editor)
    response = api.delete(f"/api/v1/editorial/articles/{live_article.pk}/")
    assert response.status_code == 405
    assert Article.objects.filter(pk=live_article.pk).exists()
