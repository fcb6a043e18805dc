"""The full-text index of SQLite (the embedded default database): an FTS5 table.

``articles_search`` holds the title, summary and body text of every snapshot, under the
snapshot's id as its ``rowid``, tokenised by ``unicode61`` with ``remove_diacritics 2`` (case
and accents folded: "metastasis" finds "metástasis", in every language). Triggers on
``articles_publishedarticle`` keep it in step: every insert, change of those columns or deletion
of a snapshot updates it in the same statement, hence in the same transaction as the
publication, unpublication or import that made it. Which snapshots are live is not stored:
searches join the index with the live snapshots at query time, so a scheduled page is found
from its go-live moment and an unpublished one no more, with no job to run.

Django's SQLite schema editor rebuilds a table to alter it, which drops that table's triggers;
``ensure`` (after every ``migrate``) puts them back and refills the index when they were
missing. PostgreSQL searches its own GIN indexes instead (``articles.public``); nothing here
runs there.
"""

from __future__ import annotations

TABLE = "articles_search"
SOURCE = "articles_publishedarticle"
COLUMNS = ("title", "summary", "body_text")
# Column weights of bm25, in COLUMNS order: a title match counts most, then the summary.
WEIGHTS = (8.0, 3.0, 1.0)
TOKENIZER = "unicode61 remove_diacritics 2"

_COLUMNS = ", ".join(COLUMNS)
_NEW = ", ".join(f"new.{column}" for column in COLUMNS)
TRIGGERS = {
    f"{TABLE}_insert": (
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON {SOURCE} BEGIN "
        f"INSERT INTO {TABLE}(rowid, {_COLUMNS}) VALUES (new.id, {_NEW}); END"
    ),
    f"{TABLE}_update": (
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_update AFTER UPDATE OF id, {_COLUMNS} "
        f"ON {SOURCE} BEGIN DELETE FROM {TABLE} WHERE rowid = old.id; "
        f"INSERT INTO {TABLE}(rowid, {_COLUMNS}) VALUES (new.id, {_NEW}); END"
    ),
    f"{TABLE}_delete": (
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON {SOURCE} BEGIN "
        f"DELETE FROM {TABLE} WHERE rowid = old.id; END"
    ),
}


def _existing(cursor, kind: str, names) -> set[str]:
    placeholders = ", ".join("%s" for _ in names)
    cursor.execute(
        f"SELECT name FROM sqlite_master WHERE type = %s AND name IN ({placeholders})",
        [kind, *names],
    )
    return {row[0] for row in cursor.fetchall()}


def refill(cursor) -> None:
    """Index every snapshot afresh."""
    cursor.execute(f"DELETE FROM {TABLE}")
    cursor.execute(f"INSERT INTO {TABLE}(rowid, {_COLUMNS}) SELECT id, {_COLUMNS} FROM {SOURCE}")


def install(connection) -> None:
    """Create the table and its triggers and index every snapshot (migration 0018)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
            f"{_COLUMNS}, tokenize = '{TOKENIZER}')"
        )
        for sql in TRIGGERS.values():
            cursor.execute(sql)
        refill(cursor)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def ensure(connection) -> bool:
    """Put back triggers a table rebuild dropped and refill the index then; True if it had
    to. Nothing before migration 0018 has created the table, nor on other databases."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        if not _existing(cursor, "table", [TABLE, SOURCE]) >= {TABLE, SOURCE}:
            return False
        if _existing(cursor, "trigger", list(TRIGGERS)) == set(TRIGGERS):
            return False
        for sql in TRIGGERS.values():
            cursor.execute(sql)
        refill(cursor)
    return True


def after_migrate(sender, using: str = "default", **kwargs) -> None:
    """``post_migrate``: ``ensure`` the index of the database just migrated."""
    from django.db import connections

    ensure(connections[using])


def match_expression(terms: list[str]) -> str:
    """An FTS5 query finding every one of ``terms`` (as words, or the beginnings of words):
    each term is a quoted string, so nothing a reader types is read as FTS5 syntax (``NEAR``,
    ``OR``, ``-``, ``*``, column filters, quotes)."""
    return " ".join('"{}"*'.format(term.replace('"', '""')) for term in terms)


def rank_sql() -> str:
    """The relevance of a match, larger is better (bm25 is smaller for better matches)."""
    weights = ", ".join(str(weight) for weight in WEIGHTS)
    return f"-bm25({TABLE}, {weights})"
