"""Cached public responses are never stale, keep per-reader secrets, and cost few queries."""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles import caching
from reviews import workflow
from tests.feedback_steps import SAME_ORIGIN
from tests.workflow_steps import approve_new_version, publish_new_version

pytestmark = pytest.mark.django_db


def test_no_stale_page_or_api_after_publish(client, live_article, writer, reviewer2, editor):
    """A cached page and API answer are replaced as soon as a new version is published."""
    page_url, api_url = f"/articles/{live_article.slug}/", f"/api/v1/articles/{live_article.slug}/"
    assert "Fresh summary" not in client.get(page_url).text
    assert client.get(api_url).json()["summary"] != "Fresh summary"
    publish_new_version(live_article, writer, reviewer2, editor, summary="Fresh summary")
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
    approve_new_version(live_article, writer, reviewer2, title="Scheduled new title")
    workflow.publish(article=live_article, user=editor, publish_at=go_live, change_note="New.")
    url = f"/articles/{live_article.slug}/"
    assert "Scheduled new title" not in client.get(url).text
    later = go_live + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Scheduled new title" in client.get(url).text


def test_cached_page_has_fresh_nonce_and_working_form(live_article):
    """Each cached response gets its own CSP nonce, sets no cookie, and its feedback form
    works with CSRF checks on (it is checked by origin, not by token)."""
    url = f"/articles/{live_article.slug}/"
    Client().get(url)  # fill the cache
    reader = Client(enforce_csrf_checks=True)
    first, second = reader.get(url), reader.get(url)
    assert not first.cookies and not second.cookies and not reader.cookies
    assert "csrfmiddlewaretoken" not in second.text
    nonces = [
        re.search(r"'nonce-([^']+)'", r["Content-Security-Policy"]).group(1)
        for r in (first, second)
    ]
    assert nonces[0] != nonces[1]
    for response, nonce in zip((first, second), nonces, strict=True):
        assert f'nonce="{nonce}"' in response.text
    posted = reader.post(f"{url}feedback/", {"helpful": "yes"}, **SAME_ORIGIN)
    assert posted.status_code == 302


PUBLIC_PATHS = [
    # (name, path, query budget with an empty cache; the first 9 work out the cache generation)
    ("home", "/", 14),
    ("article", "/articles/bone-metastases/", 15),  # + images whose rights expired, if any
    ("topic", "/topics/metastasis/", 13),
    ("search", "/search/?q=pain", 11),
    ("trial", "/trials/NCT03529110/", 11),
    ("trials", "/trials/", 12),  # + the filter choices (statuses, phases, countries)
    ("feed", "/feed/", 10),
    # The Spanish pages: the same budgets (the demo's Spanish articles, where there are any).
    ("home es", "/es/", 14),
    ("topic es", "/es/topics/metastasis/", 13),
    ("search es", "/es/search/?q=dolor", 11),
    ("trials es", "/es/trials/", 12),
    ("feed es", "/es/feed/", 10),
    ("sitemap", "/sitemap.xml", 18),  # + topic links, newest trial, newest reviewer
    ("api list", "/api/v1/articles/", 13),  # + the live sources of translations listed
    # + expired images, if any; + the articles with a live translation, once per generation
    ("api detail", "/api/v1/articles/bone-metastases/", 15),
    ("api topics", "/api/v1/topics/", 12),
    ("api trials", "/api/v1/trials/", 14),  # + change histories, citing articles, references
]


@pytest.mark.parametrize("extra", [0, 1000], ids=["demo", "demo+1000"])
def test_query_budgets_do_not_grow_with_content(extra, django_assert_max_num_queries):
    """Every public page and API endpoint stays within its query budget at any size;
    a cache hit needs no query at all."""
    call_command("seed_demo", "--extra", str(extra), stdout=io.StringIO(), stderr=io.StringIO())
    client = Client()
    for name, path, budget in PUBLIC_PATHS:
        cache.clear()
        caching.forget_state()  # the per-process cache keeps it outside ``cache``
        with django_assert_max_num_queries(budget, info=name):
            assert client.get(path).status_code == 200, name
        with django_assert_max_num_queries(0, info=f"{name} (cached)"):
            assert client.get(path).status_code == 200, name


def test_unknown_query_parameters_do_not_bypass_the_cache(
    client, live_article, django_assert_max_num_queries
):
    """Tracking or random parameters are served the cached answer; the parameters a view
    reads (search words, page numbers, API filters) still make their own answers."""
    for path in ("/", f"/articles/{live_article.slug}/", "/search/?q=bone", "/api/v1/articles/"):
        client.get(path)
        joiner = "&" if "?" in path else "?"
        with django_assert_max_num_queries(0, info=path):
            assert client.get(f"{path}{joiner}utm_source=x&_=123").status_code == 200
    assert "No results" not in client.get("/search/?q=bone").text
    assert client.get("/search/?q=zzzznothing").text != client.get("/search/?q=bone").text
    assert client.get("/api/v1/articles/?audience=professional").json()["count"] == 0
    assert client.get("/api/v1/articles/?audience=patient").json()["count"] == 1


def test_a_publication_in_another_process_is_seen_through_the_stamp_file(
    client, live_article, settings
):
    """With the per-process cache, another worker process publishing touches the stamp file;
    this process then starts a new generation although its own memory was never told
    (tests/test_worker_processes.py checks the same with real gunicorn workers)."""
    from articles import stamp
    from articles.models import PublishedArticle

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "stamp-test",
        }
    }

    url = f"/articles/{live_article.slug}/"
    assert "Changed elsewhere" not in client.get(url).text
    PublishedArticle.objects.filter(article=live_article).update(title="Changed elsewhere")
    assert "Changed elsewhere" not in client.get(url).text  # still this process's generation
    stamp.touch_stamp()  # what invalidate() does in the other process
    assert "Changed elsewhere" in client.get(url).text


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route, pattern.callback


def test_every_cached_page_is_looked_up_by_the_middleware():
    """PublicCacheMiddleware answers cached pages before URL resolution, for the paths it
    knows: every route of a ``cached_page`` view must be among them."""
    from django.urls import get_resolver

    from articles.middleware import PAGE_PATHS, PAGE_PREFIXES

    cached = [
        route
        for route, view in _routes(get_resolver().url_patterns)
        if getattr(view, "cached_page", False)
    ]
    assert len(cached) >= 9
    for route in cached:
        path = "/" + route.split("<", 1)[0]
        assert path in PAGE_PATHS or path.startswith(PAGE_PREFIXES), route


def test_cache_hit_is_answered_before_url_resolution(client, live_article, monkeypatch):
    """A cached page or public API answer never reaches URL resolution or the view."""
    from django.core.handlers import base

    page, api = f"/articles/{live_article.slug}/", f"/api/v1/articles/{live_article.slug}/"
    client.get(page)
    client.get(api)

    def resolve_not_expected(self, request):
        raise AssertionError(f"{request.path} was resolved")

    monkeypatch.setattr(base.BaseHandler, "resolve_request", resolve_not_expected)
    assert client.get(page).status_code == 200
    answer = client.get(api, HTTP_ORIGIN="https://partner.example")
    assert answer.status_code == 200 and answer["Last-Modified"] and answer["ETag"]
    assert answer["Cache-Control"].startswith("public, max-age=")
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert answer["X-Content-Type-Options"] == "nosniff" and answer["X-Frame-Options"]


def test_other_formats_and_signed_in_readers_are_not_served_cached_json(
    client, live_article, editor
):
    """The cached JSON bytes are only for anonymous JSON reads: the browsable API, an
    explicit format and signed-in users get DRF's own answer."""
    url = f"/api/v1/articles/{live_article.slug}/"
    assert client.get(url).json()["slug"] == live_article.slug
    html = client.get(url, HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html")
    assert client.get(f"{url}?format=json").json()["slug"] == live_article.slug
    client.force_login(editor)
    assert client.get(url).json()["slug"] == live_article.slug


def test_cached_pagination_links_carry_only_read_parameters(
    client, live_article, make_article, writer, reviewer, editor
):
    """The first client's extra parameters must not end up in the next/previous links that
    every later client is served from the cache."""
    second = make_article(writer, title="Liver metastases explained")
    workflow.submit(article=second, user=writer)
    workflow.approve(article=second, user=reviewer)
    workflow.publish(article=second, user=editor)
    first = client.get("/api/v1/articles/?page_size=1&utm_source=spam&audience=patient").json()
    later = client.get("/api/v1/articles/?page_size=1&audience=patient").json()
    assert first == later
    assert first["count"] == 2
    assert "utm_source" not in first["next"]
    assert "page=2" in first["next"] and "audience=patient" in first["next"]
    back = client.get("/api/v1/articles/?page=2&page_size=1&audience=patient&x=1").json()
    assert back["previous"].endswith("/api/v1/articles/?audience=patient&page_size=1")
