"""On PostgreSQL, every public filter and ordering can be answered from an index.

Plans are read with sequential scans discouraged, so a missing index shows up as a
"Seq Scan" on the snapshot table even with little data. The suite runs on PostgreSQL in
`.ci/run`; SQLite has no comparable planner to check.
"""

import re

import pytest
from django.db import connection

from articles import public
from articles.models import Article, PublishedArticle
from tests import demo_data

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="query plans are checked on PostgreSQL"
    ),
]


@pytest.fixture
def seeded(request):
    demo_data.seed_demo(request, "--extra", "300")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SET enable_seqscan = off")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET enable_seqscan")


def assert_indexed(queryset, table: str) -> str:
    plan = queryset.explain()
    assert not re.search(rf"Seq Scan on {table}\b", plan), plan
    return plan


QUERIES = {
    "live list by update": lambda: public.live_articles().order_by("-go_live_at")[:20],
    "by slug": lambda: public.live_articles().filter(slug="synthetic-article-7"),
    "by audience": lambda: public.live_articles().filter(audience="professional")[:20],
    "reviewed since": lambda: public.live_articles().filter(last_reviewed__gte="2026-01-01"),
    "ordered by title": lambda: public.live_articles().order_by("title")[:20],
    "ordered by first publication": lambda: public.live_articles().order_by("first_published_at")[
        :20
    ],
    "change log": lambda: PublishedArticle.objects.filter(article_id=5).order_by("-go_live_at"),
}


@pytest.mark.parametrize("name", QUERIES)
def test_public_queries_use_indexes(seeded, name):
    """Each public read of snapshots is served by an index."""
    assert_indexed(QUERIES[name](), "articles_publishedarticle")


def test_editorial_queues_use_indexes(seeded):
    """The review-due queue and state filters are served by indexes."""
    assert_indexed(Article.objects.filter(next_review_due__lte="2027-01-01"), "articles_article")
    assert_indexed(Article.objects.filter(state="in_review"), "articles_article")


def test_search_reads_the_full_text_index(seeded):
    """A search matches against the GIN-indexed document instead of computing every
    snapshot's tsvector: migration 0007 indexes the very expression searches use. (With few
    rows the planner may prefer the go-live index for the live filter, so the match alone is
    planned here.)"""
    plan = assert_indexed(
        public.search_articles("bone pain", PublishedArticle.objects.all()),
        "articles_publishedarticle",
    )
    assert "Bitmap Index Scan on snapshot_search" in plan, plan


def test_topic_page_reads_indexes(seeded):
    """A topic's live articles: the topic links by index, the snapshots by primary key."""
    from articles.models import Topic

    topic = Topic.objects.get(slug="metastasis")
    plan = assert_indexed(public.topic_articles(topic)[:20], "articles_publishedarticle")
    assert "DISTINCT" not in str(public.topic_articles(topic).query), plan


def test_spanish_search_reads_its_full_text_index(seeded):
    """The Spanish pages' search reads only Spanish snapshots, through an index: the Spanish
    GIN index of migration 0018 (partial: the Spanish snapshots only) or, while there are few
    Spanish snapshots (five here, beside 300 English ones), the language indexes of migration
    0022, which the planner then rightly finds cheaper."""
    plan = assert_indexed(
        public.search_articles(
            "huesos dolor", PublishedArticle.objects.filter(language="es"), "es"
        ),
        "articles_publishedarticle",
    )
    assert re.search(
        r"snapshot_search_es|snapshot_language_\w+ on articles_publishedarticle", plan
    ), plan
    if "snapshot_search_es" not in plan:
        assert "Index Cond: ((language)::text = 'es'::text)" in plan, plan
