"""Drafts never reach readers: not on pages, in search, the feed, the sitemap or topic lists."""

import pytest

from articles.models import ClinicalTrial
from reviews import workflow
from tests.workflow_steps import approve_new_version

pytestmark = pytest.mark.django_db

SECRET = "zebracornium"
PUBLIC_URLS = [
    "/",
    "/topics/bone-metastases/",
    "/trials/",
    "/trials/NCT01234567/",
    "/feed/",
    "/sitemap.xml",
    "/about/editorial-policy/",
]


@pytest.fixture
def trial(db):
    return ClinicalTrial.objects.create(nct_id="NCT01234567", brief_title="A trial")


def assert_secret_nowhere(client, *extra_urls):
    for url in [*PUBLIC_URLS, *extra_urls]:
        response = client.get(url)
        assert SECRET not in response.content.decode(), url
    assert "No articles match" in client.get("/search/", {"q": SECRET}).text


def test_new_draft_never_visible(client, make_article, writer, trial):
    """A draft article's title and text appear on no public page or feed."""
    article = make_article(writer, title=f"{SECRET} draft", body=f"{SECRET} body")
    article.related_trials.set([trial])
    assert_secret_nowhere(client, f"/articles/{article.slug}/")
    assert client.get(f"/articles/{article.slug}/").status_code == 404


def test_article_in_review_and_approved_never_visible(client, make_article, writer, reviewer):
    """Articles in review or approved but not yet published stay invisible."""
    article = make_article(writer, title=f"{SECRET} pending")
    workflow.submit(article=article, user=writer)
    assert_secret_nowhere(client, f"/articles/{article.slug}/")
    workflow.approve(article=article, user=reviewer)
    assert_secret_nowhere(client, f"/articles/{article.slug}/")


def test_edits_to_live_article_stay_private(client, live_article, writer, reviewer2):
    """Editing a live article changes nothing public until the new version is published."""
    original_title = live_article.title
    changes = {"title": f"{SECRET} new title", "body": f"{SECRET} new body"}
    approve_new_version(live_article, writer, reviewer2, **changes)
    page = client.get(f"/articles/{live_article.slug}/")
    assert page.status_code == 200 and original_title in page.text
    assert_secret_nowhere(client, f"/articles/{live_article.slug}/")


def test_scheduled_version_invisible_until_go_live(client, make_article, writer, reviewer, editor):
    """A version scheduled for the future is not served before its time."""
    import datetime

    from django.utils import timezone

    article = make_article(writer, title=f"{SECRET} scheduled")
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    workflow.publish(
        article=article, user=editor, publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert_secret_nowhere(client, f"/articles/{article.slug}/")


def test_unpublished_article_disappears_everywhere(client, live_article, editor):
    """After unpublishing, the article is gone from every public page."""
    slug = live_article.slug
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn for correction.")
    assert client.get(f"/articles/{slug}/").status_code == 404
    for url in ("/", "/feed/", "/sitemap.xml", f"/search/?q={live_article.title.split()[0]}"):
        assert f"/articles/{slug}/" not in client.get(url).content.decode(), url
