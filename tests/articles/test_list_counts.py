"""Cache misses of paginated lists: the topic page reads one page through the title index
whatever the number of articles, and lists count their items once per generation of public
content (not on every miss), while every publication still shows at once."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import public
from articles.models import PublishedArticle, Topic
from reviews import workflow
from tests import demo_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db, request):
    demo_data.seed_demo(request, "--extra", "120")


def counts(queries) -> list[str]:
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]


def titles(html: str) -> list[str]:
    return re.findall(r'<h3[^>]*><a href="/articles/[^"]+/">([^<]+)</a>', html)


def publish(article, writer, reviewer, editor):
    workflow.submit(article=article, user=writer)
    workflow.approve(article=article, user=reviewer)
    workflow.publish(article=article, user=editor)


def test_topic_pages_walk_the_title_index_and_match_the_sorted_list(
    client, seeded, monkeypatch, django_assert_max_num_queries
):
    """With the walk on (a topic of at least ``TITLE_WALK_FROM`` articles), every page holds
    exactly the rows of the sorted list, read through ``INDEXED BY`` on SQLite; a page past
    the end is a 404."""
    monkeypatch.setattr(public, "TITLE_WALK_FROM", 1)
    topic = Topic.objects.get(slug="metastasis")
    expected = [a.title for a in public.topic_articles(topic, "en").order_by("title", "pk")]
    assert len(expected) > 40
    shown = []
    last = (len(expected) + 19) // 20
    for number in range(1, last + 1):
        cache.clear()
        with django_assert_max_num_queries(13), CaptureQueriesContext(connection) as queries:
            page = client.get(f"/topics/{topic.slug}/", {"page": number})
        assert page.status_code == 200
        assert f"Page {number} of {last}" in page.text
        shown += titles(page.text)
        if connection.vendor == "sqlite":
            assert any('INDEXED BY "snapshot_title"' in q["sql"] for q in queries)
    assert shown == expected
    assert client.get(f"/topics/{topic.slug}/", {"page": last + 1}).status_code == 404
    assert client.get(f"/topics/{topic.slug}/", {"page": "x"}).status_code == 404


def test_the_walk_reaches_the_driver_when_no_one_counts_queries(client, seeded, monkeypatch):
    """Prepared reads go straight to SQLite's driver when queries are not logged: the SQL it
    runs for a walked topic page must still name the title index (it was once rewritten for
    the driver before ``INDEXED BY`` was added, and every page sorted the whole topic)."""
    if connection.vendor != "sqlite":
        pytest.skip("the title walk is SQLite's")
    monkeypatch.setattr(public, "TITLE_WALK_FROM", 1)
    client.get("/topics/metastasis/")  # the connection open, the counts and tree read
    cache.clear()
    ran: list[str] = []
    assert not connection.queries_logged
    connection.connection.set_trace_callback(ran.append)
    try:
        page = client.get("/topics/metastasis/", {"page": 2})
    finally:
        connection.connection.set_trace_callback(None)
    assert page.status_code == 200
    assert any('INDEXED BY "snapshot_title"' in sql for sql in ran), ran


def test_topic_page_counts_once_per_generation(
    client, live_article, topic, make_article, writer, reviewer, editor
):
    """Two misses in one generation count once; a publication starts a new generation, and
    the next miss counts (and lists) the new article."""
    url = f"/topics/{topic.slug}/"
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    # A miss again, in the same generation: another page address of the same list (clearing
    # the cache would also clear a generation kept in Redis).
    with CaptureQueriesContext(connection) as second:
        page = client.get(url, {"page": 1})
    assert len(counts(first.captured_queries)) == 1
    assert second.captured_queries, "a miss, which reads the page's articles"
    assert counts(second.captured_queries) == []
    assert live_article.title in page.text
    publish(make_article(writer, title="Another bone page"), writer, reviewer, editor)
    with CaptureQueriesContext(connection) as third:
        page = client.get(url)
    assert len(counts(third.captured_queries)) == 1
    assert "Another bone page" in page.text


def test_api_list_counts_once_per_generation_and_per_filter(
    client, live_article, make_article, writer, reviewer, editor
):
    assert client.get("/api/v1/articles/").json()["count"] == 1
    with CaptureQueriesContext(connection) as again:
        assert client.get("/api/v1/articles/", {"page_size": 5}).json()["count"] == 1
    assert again.captured_queries, "a miss, which reads the list's articles"
    assert counts(again.captured_queries) == []
    # Another filter is another list, with its own count.
    assert client.get("/api/v1/articles/", {"audience": "professional"}).json()["count"] == 0
    publish(
        make_article(writer, title="For clinicians", audience="professional"),
        writer,
        reviewer,
        editor,
    )
    assert client.get("/api/v1/articles/").json()["count"] == 2
    assert client.get("/api/v1/articles/", {"audience": "professional"}).json()["count"] == 1
    workflow.unpublish(article=live_article, user=editor, reason="Checking.")
    answer = client.get("/api/v1/articles/").json()
    assert answer["count"] == 1 and len(answer["results"]) == 1


def test_remembered_counts_are_bounded(client, live_article, monkeypatch):
    """Crafted filters cannot grow the remembered counts without end."""
    from articles import caching

    monkeypatch.setattr(caching, "MAX_REMEMBERED_COUNTS", 3)
    for n in range(10):
        assert client.get("/api/v1/articles/", {"search": f"bone{n}"}).status_code == 200
    assert len(caching._counts["counts"]) <= 3


def test_search_page_counts_once_per_generation(client, live_article):
    client.get("/search/", {"q": "bone"})
    with CaptureQueriesContext(connection) as again:
        page = client.get("/search/", {"q": "bone", "page": 1})
    assert again.captured_queries, "a miss, which reads the list's articles"
    assert counts(again.captured_queries) == []
    assert "1 result" in page.text
    assert PublishedArticle.objects.count() == 1
