"""``manage.py import_content`` on real database files: it restores, or refuses and writes nothing.

As an operator runs it: it restores into a new migrated database, and refuses, writing nothing
and printing one clear message, a database that already holds rows it would write or a file
whose published pages fail the sign-off check. ``--dry-run`` reports and keeps nothing.
"""

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.commands import manage

# One xdist worker runs the whole module (make pytest: --dist loadgroup): the module's export
# and migrated database are then made once, as in one process, not once per worker.
pytestmark = pytest.mark.xdist_group("import-content")

DEMO_FILE = "demo-export.json"


def table_rows(database: Path) -> dict[str, int]:
    """Rows per table of the editorial record, to show that a refusal wrote nothing."""
    with sqlite3.connect(database) as connection:
        tables = [
            "auth_user",
            "auth_group",
            "articles_article",
            "articles_publishedarticle",
            "reviews_review",
            "reviews_auditentry",
            "reversion_version",
        ]
        return {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    """An export of the seeded demo."""
    folder = tmp_path_factory.mktemp("export")
    source = folder / "source.sqlite3"
    manage(source, "migrate", "--noinput")
    manage(source, "seed_demo")
    path = folder / DEMO_FILE
    manage(source, "export_content", str(path))
    return path


def media_of(database: Path) -> Path:
    """The media folder ``manage`` gives a database."""
    return database.with_suffix(".media")


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """An empty database migrated once for the module (each test gets its own copy)."""
    database = tmp_path_factory.mktemp("migrated") / "migrated.sqlite3"
    manage(database, "migrate", "--noinput")
    return database


@pytest.fixture
def new_database(tmp_path, export, migrated) -> Path:
    """A migrated database, with the source site's media folder restored beside it (an
    export holds the records; the image files are backed up with the media folder)."""
    database = tmp_path / "target.sqlite3"
    with closing(sqlite3.connect(migrated)) as source, closing(sqlite3.connect(database)) as copy:
        source.backup(copy)
    shutil.copytree(media_of(export.parent / "source.sqlite3"), media_of(database))
    return database


def refused(database: Path, *args: str) -> str:
    """Run import_content expecting a refusal: exit 1, one message, no traceback."""
    before = table_rows(database)
    result = manage(database, "import_content", *args, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert table_rows(database) == before
    return result.stderr


def test_restores_into_a_new_migrated_database(export, new_database):
    """Into a database that only ``migrate`` has touched (its roles included), everything is
    restored and the restored pages verify."""
    result = manage(new_database, "import_content", str(export))
    assert "22 live and 0 scheduled pages pass the sign-off check" in result.stdout
    assert manage(new_database, "verify_signoff").stdout.startswith("Sign-off verified: 22 live")
    assert table_rows(new_database)["auth_group"] == 3


def test_a_restore_without_the_image_files_is_refused(export, new_database):
    """Pages showing images whose files were not restored fail the sign-off check: nothing is
    restored, and the message names each missing file (six pages, two of them Spanish
    translations, each showing an image: its original and eight renditions)."""
    shutil.rmtree(media_of(new_database))
    message = refused(new_database, str(export))
    assert "fail the sign-off check, so nothing was restored (54 violation(s))" in message
    assert "is missing from the storage" in message


def test_dry_run_reports_and_writes_nothing(export, new_database):
    """--dry-run says what would be restored, checks the pages, and keeps nothing."""
    before = table_rows(new_database)
    result = manage(new_database, "import_content", "--dry-run", str(export))
    assert "Dry run: would restore" in result.stdout and "Nothing was written." in result.stdout
    assert "22 live and 0 scheduled pages pass the sign-off check" in result.stdout
    assert table_rows(new_database) == before


def test_refuses_a_database_that_already_has_users(export, new_database):
    """A database with only a user in it is refused: accounts would be overwritten."""
    create = "from django.contrib.auth.models import User; User.objects.create_user('admin')"
    manage(new_database, "shell", "-c", create)
    message = refused(new_database, str(export))
    assert "already holds content" in message and "auth.User (1)" in message


def test_refuses_a_file_whose_page_was_altered(export, new_database, tmp_path):
    """A file whose live page was edited after publication is refused with the violation."""
    document = json.loads(export.read_text())
    snapshot = next(o for o in document["objects"] if o["model"] == "articles.publishedarticle")
    snapshot["fields"]["body_html"] = snapshot["fields"]["body_html"].replace("a", "4", 3)
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps(document))
    message = refused(new_database, str(altered))
    assert "fail the sign-off check, so nothing was restored" in message
    assert f"article {snapshot['fields']['article']} (" in message


def test_refuses_a_file_with_a_forged_approver(export, new_database, tmp_path):
    """A file whose approval was moved to the article's own writer is refused."""
    document = json.loads(export.read_text())
    review = next(
        o
        for o in document["objects"]
        if o["model"] == "reviews.review" and o["fields"]["status"] == "published"
    )
    review["fields"]["reviewer"] = review["fields"]["submitted_by"]
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(document))
    assert "fail the sign-off check" in refused(new_database, str(forged))


@pytest.mark.parametrize(
    "content",
    [
        "not json at all",
        '{"format": "mbc_cms-content", "version": 1, "objects": [{"model": "articles.nope"}]}',
        '{"format": "mbc_cms-content", "version": 1, "objects": [{"model": "articles.article",'
        ' "pk": 1, "fields": {"title": "x", "created_by": 999}}]}',
        '{"format": "mbc_cms-content", "version": 1, "objects": "x"}',
    ],
)
def test_malformed_files_are_one_clear_message(content, new_database, tmp_path):
    """Broken files are refused with one message, never a traceback."""
    path = tmp_path / "broken.json"
    path.write_text(content)
    assert refused(new_database, str(path)).startswith("CommandError: ")
