"""The home page's two lists and a topic's page in one language seek to that language in an
index (SQLite, the embedded default): before, a Spanish list walked the newest-first index past
every English article to find six Spanish ones (~15 ms at 10,000 articles), and a Spanish
topic page first listed every article of the topic in any language (3-10 ms)."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from articles import public
from articles.models import Topic

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="SQLite's plans (PostgreSQL: tests/test_query_plans.py)",
    ),
]


def query_plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("build", "index"),
    [
        (public._latest, "snapshot_language_newest"),
        (public._recently_reviewed, "snapshot_language_reviewed"),
    ],
)
def test_a_spanish_list_seeks_its_language_and_sorts_nothing(build, index):
    plan = query_plan(build(timezone.now(), ("es", (), None)))
    assert index in plan, plan
    assert "TEMP B-TREE" not in plan, plan


def test_with_the_overdue_limit_too():
    cutoff = datetime.date(2026, 1, 1)
    plan = query_plan(public._latest(timezone.now(), ("es", (), cutoff)))
    assert "snapshot_language_newest" in plan and "TEMP B-TREE" not in plan, plan


def test_a_spanish_topic_page_seeks_its_language_and_checks_each_articles_links():
    """A topic's page in Spanish reads the Spanish articles by their index and checks each
    one's topic links, instead of first listing every article of the topic (any language)."""
    plan = query_plan(public._topic_page(1, timezone.now(), ("es", (), None, False, True, 0, 20)))
    first, *_ = plan.splitlines()
    assert "snapshot_language_newest (language=?" in first, plan
    assert "CORRELATED" in plan and "(publishedarticle_id=? AND topic_id=?)" in plan, plan


@pytest.mark.parametrize(("language", "correlated"), [("en", False), ("es", True)])
def test_which_topic_pages_check_each_articles_links(language, correlated):
    """Below the title walk's threshold, only another language than the default checks each
    article's links; the default language's pages read the topic's list of articles."""
    topic = Topic.objects.create(name="Bones", slug="bones")
    public._topic_page_sorted._compiled.clear()
    assert public.topic_listing(topic, language, 1)[0:20] == []
    (shape,) = [shape for _using, shape in public._topic_page_sorted._compiled]
    assert shape[0] == language and shape[4] is correlated
