"""/healthz and the environment-driven settings."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import OperationalError

ROOT = Path(__file__).resolve().parent.parent


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    """Run code in a fresh interpreter with only the given DJANGO_*/DATABASE_URL variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.django_db
def test_healthz_ok(client):
    """/healthz answers 200 with the result of each check."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "checks": {"database": "ok", "cache_invalidation": "ok"},
    }


@pytest.mark.django_db
def test_healthz_503_when_database_fails(client, monkeypatch):
    """/healthz answers 503 with a JSON body when the database errors."""
    from django.db.backends.base import base

    def broken(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(base.BaseDatabaseWrapper, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert response.json()["checks"]["database"] == "unreachable"


def test_healthz_503_with_unreachable_postgres():
    """With DATABASE_URL pointing at a closed port, /healthz is a 503 JSON answer."""
    result = run_python(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='mbc_cms.settings'; "
        "django.setup(); from django.test import Client; "
        "r = Client().get('/healthz', HTTP_HOST='localhost'); print(r.status_code); "
        "print(r.content.decode())",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://nobody@127.0.0.1:9/none",
    )
    status, body = result.stdout.strip().splitlines()[:2]
    assert status == "503", result.stderr
    assert json.loads(body)["status"] == "error"
    assert "Traceback" not in body


def test_production_refuses_to_start_without_secret_key():
    """With DJANGO_DEBUG=0 and no DJANGO_SECRET_KEY, manage.py exits with a clear message."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_DEBUG": "0",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def _python(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """This interpreter run in the project's directory with ``env`` and ``args``."""
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_manage_py_without_configuration_runs_the_development_settings():
    """With neither DJANGO_DEBUG nor DJANGO_SECRET_KEY set, manage.py is a developer's tool:
    it runs (debug on); the web server entry point still refuses to start."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    check = _python(env, "manage.py", "check")
    assert check.returncode == 0, check.stderr
    server = _python(env, "-c", "import mbc_cms.wsgi")
    assert server.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in server.stderr


def test_settings_read_environment():
    """DATABASE_URL, DJANGO_ALLOWED_HOSTS and DJANGO_DEBUG come from the environment."""
    result = run_python(
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='mbc_cms.settings'; "
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], "
        "s.ALLOWED_HOSTS, s.DEBUG)",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="y" * 50,
        DJANGO_ALLOWED_HOSTS="cms.example.org, api.example.org",
        DATABASE_URL="postgres://u:p@db.internal:5432/mbc",
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "mbc",
        "['cms.example.org',",
        "'api.example.org']",
        "False",
    ], result.stderr


def test_sqlite_is_the_default_database():
    """Without DATABASE_URL the database is a SQLite file in the project root."""
    result = run_python(
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='mbc_cms.settings'; "
        "from django.conf import settings as s; print(s.DATABASES['default']['NAME'])",
        DJANGO_DEBUG="1",
    )
    assert result.stdout.strip() == str(ROOT / "db.sqlite3"), result.stderr


@pytest.mark.django_db
def test_editorial_groups_exist_with_permissions():
    """The data migration creates the three groups; nobody may delete articles."""
    groups = {group.name: group for group in Group.objects.all()}
    assert {"Writers", "Clinical reviewers", "Editors"} <= set(groups)
    writer_perms = set(groups["Writers"].permissions.values_list("codename", flat=True))
    editor_perms = set(groups["Editors"].permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "add_reference"} <= writer_perms
    assert "change_topic" not in writer_perms and "change_topic" in editor_perms
    assert {"add_clinicaltrial", "change_clinicaltrial"} <= editor_perms
    for group in groups.values():
        assert not group.permissions.filter(codename="delete_article").exists()


def test_edge_purge_urls_are_checked_at_startup():
    """DJANGO_EDGE_PURGE_URLS lists http(s) URLs; anything else stops the process, naming the
    variable and the value; DJANGO_EDGE_MAX_AGE is read as seconds."""
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='mbc_cms.settings'; "
        "from django.conf import settings as s; print(s.EDGE_PURGE_URLS, s.EDGE_MAX_AGE)"
    )
    good = run_python(
        code,
        DJANGO_DEBUG="1",
        DJANGO_EDGE_PURGE_URLS="http://127.0.0.1:6081/, https://edge2.internal/",
        DJANGO_EDGE_MAX_AGE="120",
    )
    assert good.stdout.split() == [
        "['http://127.0.0.1:6081/',",
        "'https://edge2.internal/']",
        "120",
    ], good.stderr
    for wrong in ("ftp://127.0.0.1/", "127.0.0.1:6081", "http://", "http://a/" + "x" * 500):
        bad = run_python(code, DJANGO_DEBUG="1", DJANGO_EDGE_PURGE_URLS=wrong)
        assert bad.returncode != 0
        assert "DJANGO_EDGE_PURGE_URLS must list http or https URLs" in bad.stderr, wrong[:20]
        assert repr(wrong) in bad.stderr
    unset = run_python(code, DJANGO_DEBUG="1")
    assert unset.stdout.split() == ["[]", "600"], unset.stderr


def test_the_web_server_entry_point_freezes_the_imported_code():
    """``mbc_cms.wsgi`` imports the URLconf (every view) and leaves what it imported out of
    the garbage collector's full passes."""
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50}
    probe = (
        "import gc, sys; import mbc_cms.wsgi; "
        "print(gc.get_freeze_count(), 'articles.views' in sys.modules)"
    )
    result = _python(env, "-c", probe)
    assert result.returncode == 0, result.stderr
    frozen, views_imported = result.stdout.split()
    assert int(frozen) > 10_000
    assert views_imported == "True"
