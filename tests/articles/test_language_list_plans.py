"""The home page's two lists of one language seek to that language in an index (SQLite, the
embedded default): before, a Spanish list walked the newest-first index past every English
article to find six Spanish ones (~15 ms at 10,000 articles)."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from articles import public

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
