"""Querysets whose SQL is built once per process and run again with new values.

Building a queryset and compiling it to SQL costs Django far more than SQLite or PostgreSQL
spend running it: for the few small reads of a public page that is missing from the cache
(the live snapshot at an address, its topics, its language versions) the ORM's work is most
of the page's cost. ``PreparedQuery`` builds its queryset once per process, database and
*shape* (the choices that change the SQL's text, not just its values: a setting that adds a
condition, say), with a distinct stand-in value for each *slot*, and remembers the SQL, where
each slot's value goes in the parameters and how rows become results (model instances or
dicts). Each call then only runs the SQL with the slots' new values, and converts the rows
as Django would (the database's converters, ``Model.from_db``).

The stand-ins are found in the compiled parameters by value, and the compile is checked: each
slot's stand-in must appear exactly where the stand-in of a second build with other values
differs, and nowhere else. A queryset that cannot be prepared that way (a slot whose value is
transformed before it reaches the SQL, a ``select_related``, a value used as a list) is not an
error: the query then runs through the ORM on every call, with the same results.

    live_at = PreparedQuery(
        lambda slug, now: PublishedArticle.objects.live(now).filter(slug=slug)[:1],
        slug=str, now=datetime.datetime,
    )
    snapshots = live_at(slug="bone-pain", now=timezone.now())
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Hashable
from typing import Any

from django.core.signals import setting_changed
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesIterable
from django.dispatch import receiver
from django.utils import timezone
from django.utils.asyncio import async_unsafe

logger = logging.getLogger(__name__)

SlotType = type[str] | type[int] | type[datetime.datetime] | type[datetime.date]

_every_prepared: list[PreparedQuery] = []

# Compiled shapes kept per prepared query: shapes are few (a language, the overdue cutoff of
# the day, a page's slice), but a process must not grow without bound, whatever is asked.
MAX_SHAPES = 256


def _stand_in(kind: SlotType, number: int, variant: int) -> Any:
    """A value of ``kind`` that no real query asks for, distinct per slot and variant."""
    if kind is str:
        # With the characters LIKE escapes: a slot whose value is escaped or changed on its
        # way to the SQL is then not found as given, and the query is not prepared.
        return f"\x00prepared%_\\slot-{number}-{variant}\x00"
    if kind is int:
        return 7_300_000_000 + number * 10 + variant
    if kind is datetime.datetime:
        return datetime.datetime(1901, 1 + number, 1 + variant, 3, 4, 5, tzinfo=datetime.UTC)
    if kind is datetime.date:
        return datetime.date(1901, 1 + number, 1 + variant)
    raise TypeError(f"A prepared query's slot cannot be a {kind!r}.")


def _adapt(connection, value: Any) -> Any:
    """``value`` as the database driver is given it in a compiled query's parameters."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


class _Compiled:
    """One shape's SQL, its parameters with each slot's positions, how to read rows, and
    on SQLite the SQL as its driver takes it (``_driver_sql``)."""

    def __init__(
        self,
        sql: str,
        params: list,
        positions: dict[str, list[int]],
        reader,
        driver_sql: str | None = None,
    ) -> None:
        self.sql = sql
        self.params = params
        self.positions = positions
        self.reader = reader
        self.driver_sql = driver_sql


def _driver_sql(connection, sql: str) -> str | None:
    """The SQL as SQLite's driver takes it (``?`` where Django writes ``%s``), or None for
    other backends, whose cursors take Django's SQL as it is. Django's SQLite cursor rewrites
    the SQL with a regular expression on every execution, which for the long reads of a page
    (a snapshot's columns) cost more than SQLite spent running them: rewritten once here,
    the same way."""
    if connection.vendor != "sqlite":
        return None
    from django.db.backends.sqlite3.base import SQLiteCursorWrapper

    return SQLiteCursorWrapper.convert_query(None, sql)


@async_unsafe
def _run(connection, compiled: _Compiled, params: list) -> list:
    """The rows of ``compiled`` with ``params``. With query logging (tests counting queries,
    ``DEBUG``) or execute wrappers, through Django's cursor, so that they see every query.
    Otherwise, on SQLite, the rewritten SQL goes to the driver's connection with what
    ``connection.cursor()`` and the cursor's ``execute`` do around it (a health check, the
    connection opened, the thread and broken-transaction checks, the driver's errors
    translated), without building two cursor objects per read."""
    if compiled.driver_sql is None or connection.queries_logged or connection.execute_wrappers:
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            return cursor.fetchall()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        return connection.connection.execute(compiled.driver_sql, params).fetchall()


class PreparedQuery:
    """See the module's docstring. ``build(**slots)`` returns the queryset; ``slots`` name
    each slot's type (``str``, ``int``, ``datetime.datetime``, ``datetime.date``)."""

    def __init__(self, build: Callable[..., QuerySet], **slots: SlotType) -> None:
        self.build = build
        self.slots = slots
        self._compiled: dict[tuple, _Compiled | None] = {}
        _every_prepared.append(self)

    def __call__(self, shape: Hashable = None, *, using: str = "default", **values) -> list:
        """The query's results (a list) with ``values`` in the slots; ``shape`` tells apart
        builds whose SQL differs (``build`` receives it as ``shape`` when it is not None)."""
        if set(values) != set(self.slots):
            raise TypeError(f"A prepared query needs exactly these values: {sorted(self.slots)}")
        key = (using, shape)
        if key not in self._compiled:
            if len(self._compiled) >= MAX_SHAPES:
                self._compiled.clear()
            self._compiled[key] = self._compile(shape, using)
        compiled = self._compiled[key]
        if compiled is None:
            return list(self._queryset(shape, values).using(using))
        connection = connections[using]
        params = list(compiled.params)
        for name, places in compiled.positions.items():
            adapted = _adapt(connection, values[name])
            for place in places:
                params[place] = adapted
        return compiled.reader(_run(connection, compiled, params))

    def _queryset(self, shape: Hashable, values: dict) -> QuerySet:
        return self.build(**values) if shape is None else self.build(shape=shape, **values)

    def _compile(self, shape: Hashable, using: str) -> _Compiled | None:
        try:
            return self._compile_or_fail(shape, using)
        except _NotPreparable as reason:
            logger.info("Not prepared, run through the ORM: %s (%s)", self.build, reason)
            return None

    def _compile_or_fail(self, shape: Hashable, using: str) -> _Compiled:
        connection = connections[using]
        slots = list(enumerate(self.slots.items()))
        stand_ins = [
            {name: _stand_in(kind, number, variant) for number, (name, kind) in slots}
            for variant in (0, 1)
        ]
        querysets = [self._queryset(shape, values).using(using) for values in stand_ins]
        compilers = [qs.query.get_compiler(using=using) for qs in querysets]
        (sql, params), (other_sql, other_params) = (c.as_sql() for c in compilers)
        params, other_params = list(params), list(other_params)
        if sql != other_sql or len(params) != len(other_params):
            raise _NotPreparable("the SQL depends on the slots' values")
        positions: dict[str, list[int]] = {}
        for name in self.slots:
            wanted = _adapt(connection, stand_ins[0][name])
            positions[name] = [i for i, value in enumerate(params) if _same(value, wanted)]
            if not positions[name]:
                raise _NotPreparable(f"slot {name!r} is not a parameter as given")
        placed = {place for places in positions.values() for place in places}
        differing = {i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b}
        if placed != differing:
            raise _NotPreparable("the slots' values do not map one to one onto parameters")
        reader = _reader(querysets[0], compilers[0], using)
        sql = self.finish_sql(sql)
        return _Compiled(sql, params, positions, reader, _driver_sql(connection, sql))

    def finish_sql(self, sql: str) -> str:
        """The compiled SQL as it is to run: a subclass may add what Django cannot write (an
        index hint). Both the SQL Django's cursor runs and the driver's copy of it are made
        from what this returns, so the two never differ."""
        return sql


def _same(value: Any, wanted: Any) -> bool:
    return type(value) is type(wanted) and value == wanted


class _NotPreparable(Exception):
    pass


def _reader(queryset: QuerySet, compiler, using: str) -> Callable[[list], list]:
    """How rows of ``compiler``'s SQL (already compiled) become what the queryset yields."""
    select = compiler.select
    converters = compiler.get_converters([column for column, _, _ in select])

    def converted(rows: list) -> list:
        if not converters:
            return rows
        return list(compiler.apply_converters(rows, converters))

    iterable = queryset._iterable_class
    if iterable is ModelIterable:
        klass_info = compiler.klass_info
        if klass_info.get("related_klass_infos") or compiler.annotation_col_map:
            raise _NotPreparable("select_related and annotations are not prepared")
        if queryset._prefetch_related_lookups:
            raise _NotPreparable("prefetch_related is not prepared")
        model: type[Model] = klass_info["model"]
        names = [column[0].target.attname for column in select]

        def instances(rows: list) -> list:
            return [model.from_db(using, names, row) for row in converted(rows)]

        return instances
    if iterable is ValuesIterable:
        query = queryset.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]

        def dicts(rows: list) -> list:
            return [dict(zip(names, row, strict=True)) for row in converted(rows)]

        return dicts
    raise _NotPreparable(f"{iterable.__name__} results are not prepared")


@receiver(setting_changed)
def _forget_compiled(*, setting: str, **kwargs) -> None:
    """Tests that switch databases or time zones must not reuse SQL built for the old ones."""
    if setting in ("DATABASES", "USE_TZ", "TIME_ZONE", "OVERDUE_UNPUBLISH_DAYS"):
        for prepared in _every_prepared:
            prepared._compiled.clear()


def now() -> datetime.datetime:
    """The current time, as the ``now`` slot of the public reads wants it."""
    return timezone.now()
