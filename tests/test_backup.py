"""export_content / import_content: a round trip through an empty database loses nothing."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, PublishedArticle
from articles.selectors import article_versions
from reviews.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def rows(path) -> list[dict]:
    """The exported rows, comparable across runs."""
    return json.loads(path.read_text())["objects"]


def test_round_trip_restores_everything(tmp_path):
    """Export, empty the database, import: a second export is identical to the first."""
    call_command("seed_demo", stdout=io.StringIO())
    first = tmp_path / "first.json"
    call_command("export_content", str(first), stdout=io.StringIO())
    before = {
        "articles": Article.objects.count(),
        "snapshots": PublishedArticle.objects.live().count(),
        "audit": AuditEntry.objects.count(),
        "history": [v.number for v in article_versions(Article.objects.order_by("pk").first())],
    }
    call_command("flush", "--no-input", stdout=io.StringIO())
    assert Article.objects.count() == 0
    call_command("import_content", str(first), stdout=io.StringIO())
    second = tmp_path / "second.json"
    call_command("export_content", str(second), stdout=io.StringIO())
    assert rows(second) == rows(first)
    assert before == {
        "articles": Article.objects.count(),
        "snapshots": PublishedArticle.objects.live().count(),
        "audit": AuditEntry.objects.count(),
        "history": [v.number for v in article_versions(Article.objects.order_by("pk").first())],
    }


def test_import_refuses_a_database_with_content(tmp_path):
    """Importing over existing content is refused with a clear message and changes nothing."""
    call_command("seed_demo", stdout=io.StringIO())
    path = tmp_path / "content.json"
    call_command("export_content", str(path), stdout=io.StringIO())
    count = Article.objects.count()
    with pytest.raises(CommandError, match="already holds content"):
        call_command("import_content", str(path), stdout=io.StringIO())
    assert Article.objects.count() == count


def test_import_rejects_other_files(tmp_path):
    """A file that is not an export is refused."""
    path = tmp_path / "other.json"
    path.write_text('{"hello": "world"}')
    with pytest.raises(CommandError, match="not an mbc_cms content export"):
        call_command("import_content", str(path))
