"""``seed_demo`` into the test database, run once per session and replayed after that.

The demo goes through the real workflow (rendering, readability, sign-off digests, image
encoding), which costs seconds each time; dozens of tests need it as their starting point and
none of them tests the seeding itself (``tests/test_seed_demo.py`` does, and calls the command).
So the first ``seed_demo()`` of a kind runs the command and records what it left behind: every
row of every table, the sequences, the image files it stored and the e-mails it sent. Later
calls of the same kind put exactly those back in a few hundred milliseconds, then start a new
generation of the public caches, as the demo's last publication did.

A kind is everything the result depends on: the command's arguments, the database vendor,
whether the test runs inside a transaction that is rolled back (there, ``on_commit`` work such
as webhook deliveries never happens, so the rows differ), the local date (review dates and
"due" notices follow it), and the settings. A test that changes a setting before seeding gets
a recording of its own.

Restoring writes raw rows: no model's ``save()`` and no signal runs. SQLite's full-text index
is not copied: the triggers on the snapshot table refill it as the snapshots go back in, as
they would for an import. Content types come back with the ids the recording had, so
Django's cache of them is cleared before and after the test.
"""

import atexit
import copy
import hashlib
import io
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from articles import caching, search_index


@dataclass
class Recording:
    """What one run of ``seed_demo`` left behind."""

    tables: dict[str, object] = field(default_factory=dict)
    sequences: list[tuple] = field(default_factory=list)
    media: Path | None = None
    outbox: list = field(default_factory=list)


_recordings: dict[str, Recording] = {}


def seed_demo(request, *args: str) -> None:
    """The database and this test's media folder as ``call_command("seed_demo", *args)``
    leaves them; ``request`` is the calling fixture's."""
    media_store = Path(request.getfixturevalue("media_storage"))
    key = _kind(args)
    recording = _recordings.get(key)
    ContentType.objects.clear_cache()
    request.addfinalizer(ContentType.objects.clear_cache)
    if recording is None:
        _recordings[key] = _record(args, media_store)
    else:
        _replay(recording, media_store)
    ContentType.objects.clear_cache()


def _kind(args: tuple[str, ...]) -> str:
    own = {"MEDIA_ROOT"}
    configuration = sorted(
        (name, repr(getattr(settings, name)))
        for name in dir(settings)
        if name.isupper() and name not in own
    )
    parts = [
        repr(args),
        connection.vendor,
        repr(connection.in_atomic_block),
        timezone.localdate().isoformat(),
        repr(configuration),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _files(root: Path) -> set[Path]:
    return {path.relative_to(root) for path in root.rglob("*") if path.is_file()}


def _record(args: tuple[str, ...], media_store: Path) -> Recording:
    media_store = Path(media_store)
    files_before = _files(media_store)
    sent_before = len(getattr(mail, "outbox", []))
    call_command("seed_demo", *args, stdout=io.StringIO(), stderr=io.StringIO())
    recording = Recording(outbox=copy.deepcopy(getattr(mail, "outbox", [])[sent_before:]))
    recording.media = Path(_media_folder()) / hashlib.sha256(repr(args).encode()).hexdigest()[:12]
    shutil.rmtree(recording.media, ignore_errors=True)
    recording.media.mkdir(parents=True)
    for name in sorted(_files(media_store) - files_before):
        target = recording.media / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(media_store / name, target)
    with connection.cursor() as cursor:
        for table in _tables(cursor):
            recording.tables[table] = _read(cursor, table)
        recording.sequences = _read_sequences(cursor)
    return recording


def _replay(recording: Recording, media_store: Path) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in recording.tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
        for table, rows in recording.tables.items():
            _write(cursor, table, rows)
        _write_sequences(cursor, recording.sequences)
        caching.invalidate()
    shutil.copytree(recording.media, media_store, dirs_exist_ok=True)
    if hasattr(mail, "outbox"):
        mail.outbox.extend(copy.deepcopy(recording.outbox))


_media_root: list[Path] = []


def _media_folder() -> Path:
    """A folder of the session for the recorded image files, removed when it ends."""
    if not _media_root:
        _media_root.append(Path(tempfile.mkdtemp(prefix="demo-recordings-")))
        atexit.register(shutil.rmtree, _media_root[0], ignore_errors=True)
    return _media_root[0]


def _tables(cursor) -> list[str]:
    """The tables to copy: all of them but SQLite's full-text index (refilled by triggers)."""
    names = connection.introspection.table_names(cursor)
    if connection.vendor == "sqlite":
        index = search_index.TABLE
        names = [n for n in names if n != index and not n.startswith(index + "_")]
        names.append("sqlite_sequence")
    return names


def _read(cursor, table: str):
    quoted = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        # COPY's text format round-trips every column type exactly.
        with cursor.cursor.copy(f"COPY {quoted} TO STDOUT") as copy_out:
            return b"".join(bytes(chunk) for chunk in copy_out)
    columns = [row[1] for row in cursor.execute(f"PRAGMA table_info({quoted})").fetchall()]
    # A unary plus reads the stored value without the converters Django registers for the
    # declared column types, so the rows go back byte for byte.
    selected = ", ".join(f"+{connection.ops.quote_name(column)}" for column in columns)
    rows = connection.connection.execute(f"SELECT {selected} FROM {quoted}").fetchall()
    return columns, rows


def _write(cursor, table: str, rows) -> None:
    quoted = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        if rows:
            with cursor.cursor.copy(f"COPY {quoted} FROM STDIN") as copy_in:
                copy_in.write(rows)
        return
    columns, values = rows
    if not values:
        return
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    marks = ", ".join("?" for _ in columns)
    connection.connection.executemany(f"INSERT INTO {quoted} ({names}) VALUES ({marks})", values)


def _read_sequences(cursor) -> list[tuple]:
    if connection.vendor != "postgresql":
        return []  # SQLite keeps them in sqlite_sequence, copied as a table.
    cursor.execute(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value "
        "FROM pg_sequences WHERE schemaname = current_schema()"
    )
    return cursor.fetchall()


def _write_sequences(cursor, sequences: list[tuple]) -> None:
    for name, last_value in sequences:
        if last_value is None:
            cursor.execute("SELECT setval(%s, 1, false)", [name])
        else:
            cursor.execute("SELECT setval(%s, %s, true)", [name, last_value])
