"""Cached public responses are never stale, keep per-reader secrets, and cost few queries."""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from reviews import workflow

pytestmark = pytest.mark.django_db


def publish_update(article, writer, reviewer, editor, **changes):
    for name, value in changes.items():
        setattr(article, name, value)
    workflow.save_working_copy(article=article, user=writer)
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    return workflow.publish(article=article, user=editor, change_note="Updated.")


def test_no_stale_page_or_api_after_publish(client, live_article, writer, reviewer2, editor):
    """A cached page and API answer are replaced as soon as a new version is published."""
    page_url, api_url = f"/articles/{live_article.slug}/", f"/api/v1/articles/{live_article.slug}/"
    assert "Fresh summary" not in client.get(page_url).text
    assert client.get(api_url).json()["summary"] != "Fresh summary"
    publish_update(live_article, writer, reviewer2, editor, summary="Fresh summary")
    assert "Fresh summary" in client.get(page_url).text
    assert client.get(api_url).json()["summary"] == "Fresh summary"
    assert "Fresh summary" in client.get("/api/v1/articles/").content.decode()


def test_no_stale_pages_after_unpublish(client, live_article, editor):
    """Unpublishing removes the article from cached lists and pages at once."""
    assert live_article.title in client.get("/").text
    client.get(f"/articles/{live_article.slug}/")
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")
    assert live_article.title not in client.get("/").text
    assert client.get(f"/articles/{live_article.slug}/").status_code == 404
    assert client.get(f"/api/v1/articles/{live_article.slug}/").status_code == 404


def test_topic_change_refreshes_cached_pages(client, live_article, topic):
    """Renaming a topic shows on the next request to cached pages and the API."""
    client.get("/")
    client.get("/api/v1/topics/")
    topic.name = "Bones and metastases"
    topic.save()
    assert "Bones and metastases" in client.get("/").text
    assert "Bones and metastases" in client.get("/api/v1/topics/").content.decode()


def test_scheduled_version_replaces_cached_page_at_go_live(
    client, live_article, writer, reviewer2, editor, monkeypatch
):
    """A page cached before a scheduled go-live time is not served after it."""
    go_live = timezone.now() + datetime.timedelta(hours=2)
    live_article.title = "Scheduled new title"
    workflow.save_working_copy(article=live_article, user=writer)
    workflow.submit(article=live_article, user=writer)
    workflow.approve(article=live_article, user=reviewer2)
    workflow.publish(article=live_article, user=editor, publish_at=go_live, change_note="New.")
    url = f"/articles/{live_article.slug}/"
    assert "Scheduled new title" not in client.get(url).text
    later = go_live + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Scheduled new title" in client.get(url).text


def test_cached_page_has_fresh_nonce_and_working_csrf_token(live_article):
    """Each cached response gets its own CSP nonce, and its CSRF token is accepted."""
    url = f"/articles/{live_article.slug}/"
    Client().get(url)  # fill the cache
    reader = Client(enforce_csrf_checks=True)
    first, second = reader.get(url), reader.get(url)
    nonces = [
        re.search(r"'nonce-([^']+)'", r["Content-Security-Policy"]).group(1)
        for r in (first, second)
    ]
    assert nonces[0] != nonces[1]
    for response, nonce in zip((first, second), nonces, strict=True):
        assert f'nonce="{nonce}"' in response.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second.text).group(1)
    posted = reader.post(f"{url}feedback/", {"helpful": "yes", "csrfmiddlewaretoken": token})
    assert posted.status_code == 302


PUBLIC_PATHS = [
    # (name, path, query budget with an empty cache; the first 3 work out the cache generation)
    ("home", "/", 9),
    ("article", "/articles/bone-metastases/", 9),
    ("topic", "/topics/metastasis/", 8),
    ("search", "/search/?q=pain", 6),
    ("trial", "/trials/NCT03529110/", 6),
    ("trials", "/trials/", 6),
    ("feed", "/feed/", 5),
    ("sitemap", "/sitemap.xml", 10),
    ("api list", "/api/v1/articles/", 7),
    ("api detail", "/api/v1/articles/bone-metastases/", 8),
    ("api topics", "/api/v1/topics/", 7),
    ("api trials", "/api/v1/trials/", 6),
]


@pytest.mark.parametrize("extra", [0, 1000], ids=["demo", "demo+1000"])
def test_query_budgets_do_not_grow_with_content(extra, django_assert_max_num_queries):
    """Every public page and API endpoint stays within its query budget at any size;
    a cache hit needs no query at all."""
    call_command("seed_demo", "--extra", str(extra), stdout=io.StringIO(), stderr=io.StringIO())
    client = Client()
    for name, path, budget in PUBLIC_PATHS:
        cache.clear()
        with django_assert_max_num_queries(budget, info=name):
            assert client.get(path).status_code == 200, name
        with django_assert_max_num_queries(0, info=f"{name} (cached)"):
            assert client.get(path).status_code == 200, name
