"""Migrations run forward (and back) on a copy of a populated database without losing data."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNT_SCRIPT = (
    "from articles.models import Article, PublishedArticle; "
    "from reversion.models import Version; "
    "print(Article.objects.count(), PublishedArticle.objects.count(), Version.objects.count(), "
    "PublishedArticle.objects.exclude(body_text='').count())"
)


def manage(database: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_MEDIA_ROOT=str(database.with_suffix(".media")),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def counts(database: Path) -> str:
    return manage(database, "shell", "-c", COUNT_SCRIPT).strip().splitlines()[-1]


def test_migrations_roll_back_and_forward_on_a_populated_copy(tmp_path):
    """On a copy of a seeded database, the later migrations reverse and re-apply cleanly."""
    original = tmp_path / "original.sqlite3"
    manage(original, "migrate", "--noinput")
    manage(original, "seed_demo")
    expected = counts(original)
    copy = tmp_path / "copy.sqlite3"
    shutil.copy(original, copy)
    manage(copy, "migrate", "articles", "0001", "--noinput")
    manage(copy, "migrate", "--noinput")
    assert counts(copy) == expected
    assert "[X]" in manage(copy, "showmigrations", "articles", "reviews")
    assert "[ ]" not in manage(copy, "showmigrations", "articles", "reviews")
