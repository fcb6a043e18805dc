"""``articles.prepared``: SQL built once, run again with new values, same results as the ORM."""

import datetime

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import PublishedArticle, Topic
from articles.prepared import PreparedQuery


def _live_at(slug, now):
    return PublishedArticle.objects.live(now).filter(slug=slug).order_by("pk")[:1]


@pytest.fixture
def topics(db):
    parent = Topic.objects.create(name="Treatments", slug="treatments")
    return [
        parent,
        Topic.objects.create(name="Hormone therapy", slug="hormone-therapy", parent=parent),
        Topic.objects.create(name="Chemotherapy", slug="chemotherapy", parent=parent),
    ]


def test_instances_match_the_orm_field_for_field(live_article):
    prepared = PreparedQuery(_live_at, slug=str, now=datetime.datetime)
    now = timezone.now()
    [got] = prepared(slug=live_article.slug, now=now)
    expected = _live_at(live_article.slug, now).get()
    for field in PublishedArticle._meta.concrete_fields:
        assert getattr(got, field.attname) == getattr(expected, field.attname), field.name
    assert got._state.db == "default" and not got._state.adding
    assert prepared._compiled[("default", None)] is not None, "it was prepared, not run by the ORM"


def test_each_call_runs_only_the_sql_with_its_own_values(live_article):
    prepared = PreparedQuery(_live_at, slug=str, now=datetime.datetime)
    now = timezone.now()
    assert prepared(slug=live_article.slug, now=now)
    with CaptureQueriesContext(connection) as queries:
        assert prepared(slug="no-such-page", now=now) == []
        # Before it went live: the time is a value too.
        assert prepared(slug=live_article.slug, now=now - datetime.timedelta(days=3650)) == []
        assert len(prepared(slug=live_article.slug, now=now)) == 1
    assert len(queries) == 3


def test_dicts_and_a_shape_that_changes_the_sql(topics):
    parent = topics[0]

    def children(pk, shape):
        rows = Topic.objects.filter(parent_id=pk).order_by(shape)
        return rows.values("slug", "name")

    prepared = PreparedQuery(children, pk=int)
    assert prepared("name", pk=parent.pk) == [
        {"slug": "chemotherapy", "name": "Chemotherapy"},
        {"slug": "hormone-therapy", "name": "Hormone therapy"},
    ]
    assert [row["slug"] for row in prepared("-name", pk=parent.pk)] == [
        "hormone-therapy",
        "chemotherapy",
    ]
    assert prepared("name", pk=topics[1].pk) == []
    assert set(prepared._compiled) == {("default", "name"), ("default", "-name")}


def test_what_cannot_be_prepared_still_answers_through_the_orm(topics):
    # select_related is not prepared; a slot used through a transform is not a parameter as
    # given. Both run through the ORM, with the same results.
    related = PreparedQuery(
        lambda slug: Topic.objects.select_related("parent").filter(slug=slug), slug=str
    )
    [child] = related(slug="chemotherapy")
    assert child.parent.slug == "treatments"
    assert related._compiled[("default", None)] is None

    transformed = PreparedQuery(lambda slug: Topic.objects.filter(slug__iexact=slug), slug=str)
    assert [t.slug for t in transformed(slug="CHEMOTHERAPY")] == ["chemotherapy"]


def test_a_value_for_every_slot_and_no_other(topics):
    prepared = PreparedQuery(lambda slug: Topic.objects.filter(slug=slug), slug=str)
    with pytest.raises(TypeError):
        prepared(slug="chemotherapy", pk=1)
    with pytest.raises(TypeError):
        prepared()


def test_a_slot_escaped_on_its_way_to_the_sql_is_not_prepared(topics):
    Topic.objects.create(name="Under_score", slug="under_score")
    prepared = PreparedQuery(lambda text: Topic.objects.filter(name__contains=text), text=str)
    assert [t.slug for t in prepared(text="r_s")] == ["under_score"]
    assert [t.slug for t in prepared(text="%")] == []
    assert prepared._compiled[("default", None)] is None


def test_the_compiled_shapes_kept_are_bounded(topics, monkeypatch):
    monkeypatch.setattr("articles.prepared.MAX_SHAPES", 3)
    prepared = PreparedQuery(
        lambda pk, shape: Topic.objects.filter(parent_id=pk).order_by("name")[:shape], pk=int
    )
    for size in range(1, 8):
        assert len(prepared(size, pk=topics[0].pk)) == min(size, 2)
        assert len(prepared._compiled) <= 3


def test_unobserved_reads_go_to_the_driver_with_sql_rewritten_once(topics, monkeypatch):
    """On SQLite, with no one logging queries, the driver gets SQL rewritten at compile time
    (Django's cursor, which rewrites it per call, is not used); the rows are the same."""
    if connection.vendor != "sqlite":
        pytest.skip("the driver's SQL is SQLite's")
    from django.db.backends.sqlite3.base import SQLiteCursorWrapper

    prepared = PreparedQuery(
        lambda slug: Topic.objects.filter(slug=slug).values("slug", "parent__slug"), slug=str
    )
    logged = prepared(slug="chemotherapy")
    rewrites = []
    original = SQLiteCursorWrapper.convert_query

    def counted(self, query, **kwargs):
        rewrites.append(query)
        return original(self, query, **kwargs)

    monkeypatch.setattr(SQLiteCursorWrapper, "convert_query", counted)
    monkeypatch.setattr(type(connections["default"]), "queries_logged", False)
    assert (
        prepared(slug="chemotherapy")
        == logged
        == [{"slug": "chemotherapy", "parent__slug": "treatments"}]
    )
    assert rewrites == []


def test_observed_reads_still_go_through_djangos_cursor(topics):
    """Query logging and execute wrappers (query counts in tests, instrumentation) see every
    prepared read."""
    prepared = PreparedQuery(lambda slug: Topic.objects.filter(slug=slug), slug=str)
    prepared(slug="chemotherapy")
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        assert [t.slug for t in prepared(slug="chemotherapy")] == ["chemotherapy"]
    with CaptureQueriesContext(connection) as queries:
        prepared(slug="treatments")
    assert len(seen) == 1 and len(queries) == 1


def test_driver_errors_are_djangos_errors(topics, monkeypatch):
    """An error of the driver on the direct path is translated as Django's cursor would."""
    from django.db import DatabaseError

    prepared = PreparedQuery(lambda slug: Topic.objects.filter(slug=slug), slug=str)
    prepared(slug="chemotherapy")
    compiled = prepared._compiled[("default", None)]
    if compiled.driver_sql is None:
        pytest.skip("no direct path on this backend")
    monkeypatch.setattr(compiled, "driver_sql", "SELECT * FROM no_such_table")
    monkeypatch.setattr(type(connections["default"]), "queries_logged", False)
    with pytest.raises(DatabaseError):
        prepared(slug="chemotherapy")
