"""Production hardening: deploy checks, brute-force lock-out, outages without tracebacks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(50), **extra)
    return env


def test_check_deploy_is_clean():
    """`DJANGO_DEBUG=0 manage.py check --deploy` reports no issue with production settings."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_database_outage_is_503_without_traceback(tmp_path):
    """With the database unreachable, pages and the API answer 503, with no traceback."""
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'mbc_cms.settings'; "
        "django.setup(); from django.test import Client; "
        "c = Client(raise_request_exception=False); "
        "[print(u, r.status_code, r['Content-Type'], b'Traceback' in r.content) "
        " for u in ('/articles/x/', '/api/v1/articles/', '/healthz') "
        " for r in [c.get(u, HTTP_HOST='localhost', secure=True)]]"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=production_env(
            DATABASE_URL="postgres://nobody@127.0.0.1:9/none",
            DJANGO_SECURE_SSL_REDIRECT="0",
            # Pages render their static links without needing a collectstatic manifest.
            DJANGO_STATIC_MANIFEST="0",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line.split() for line in result.stdout.splitlines() if line.startswith("/")]
    assert lines, result.stderr
    by_path = {line[0]: line[1:] for line in lines}
    assert by_path["/articles/x/"][:2] == ["503", "text/html;"]
    assert by_path["/api/v1/articles/"][:2] == ["503", "application/json"]
    assert by_path["/healthz"][:2] == ["503", "application/json"]
    assert all(line[-1] == "False" for line in lines)


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


@pytest.mark.django_db
def test_admin_login_locks_out_after_repeated_failures(client, writer, axes_on):
    """Three wrong passwords lock the admin login, even for the right password afterwards."""
    url = reverse("admin:login")
    for _ in range(3):
        response = client.post(url, {"username": writer.username, "password": "wrong"})
    assert response.status_code in (403, 429)
    locked = client.post(url, {"username": writer.username, "password": PASSWORD})
    assert locked.status_code in (403, 429)
    assert "Too many failed sign-in attempts" in locked.text


@pytest.mark.django_db
def test_token_endpoint_locks_out_after_repeated_failures(writer, axes_on):
    """The API token endpoint locks out after repeated failures too."""
    from rest_framework.test import APIClient

    api = APIClient()
    url = "/api/v1/auth/token/"
    codes = [
        api.post(url, {"username": writer.username, "password": "wrong"}, format="json").status_code
        for _ in range(3)
    ]
    assert codes[0] == 400
    right = api.post(url, {"username": writer.username, "password": PASSWORD}, format="json")
    assert right.status_code in (403, 429)
    assert "token" not in right.content.decode()


@pytest.mark.django_db
def test_token_lock_out_is_a_json_error_with_retry_after(writer, axes_on, settings):
    """An API client that is locked out gets the API's JSON error shape, and when to retry."""
    from rest_framework.test import APIClient

    api = APIClient()
    url = "/api/v1/auth/token/"
    for _ in range(3):
        api.post(url, {"username": writer.username, "password": "x"}, format="json")
    locked = api.post(url, {"username": writer.username, "password": PASSWORD}, format="json")
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert "Try again in 15 minutes" in locked.json()["detail"]
    assert locked["Retry-After"] == str(15 * 60)


@pytest.mark.django_db
def test_successful_login_before_limit_works(client, writer, axes_on):
    """Fewer failures than the limit do not block a correct login."""
    url = reverse("admin:login")
    client.post(url, {"username": writer.username, "password": "wrong"})
    response = client.post(
        url, {"username": writer.username, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
