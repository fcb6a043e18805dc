"""Several gunicorn workers with the default per-process cache serve no stale page after a
publication made through another worker (the stamp file of ``articles.caching``).

The server runs as in production (``DJANGO_DEBUG=0``, two sync workers, no ``REDIS_URL``) on
its own SQLite file with the demo content; the publication goes through the editorial API.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
PASSWORD = "worker-test-password"
READS = 40  # per check: with two workers each answering about half, both are exercised


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("workers")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_API_ANON_RATE": "100000/minute",
        "DEMO_PASSWORD": PASSWORD,
        "DJANGO_PUBLIC_STAMP_FILE": str(directory / "public.stamp"),
        # No collectstatic here: plain static storage, so pages render without a manifest.
        "DJANGO_STATIC_MANIFEST": "0",
    }
    env.pop("REDIS_URL", None)
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    port = free_port()
    log = (directory / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "mbc_cms.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail((directory / "gunicorn.log").read_text())
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def call(url: str, *, method: str = "GET", token: str = "", body=None, headers=None):
    request = urllib.request.Request(url, method=method, headers=dict(headers or {}))
    if token:
        request.add_header("Authorization", f"Token {token}")
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, data=data, timeout=10) as response:
        return response.status, dict(response.headers), response.read().decode()


def token_for(base: str, username: str) -> str:
    _, _, text = call(
        f"{base}/api/v1/auth/token/",
        method="POST",
        body={"username": username, "password": PASSWORD},
    )
    return json.loads(text)["token"]


def test_publication_reaches_every_worker_at_once(server):
    _, _, text = call(f"{server}/api/v1/articles/?page_size=1")
    live = json.loads(text)["results"][0]
    page, api = f"{server}/articles/{live['slug']}/", f"{server}/api/v1/articles/{live['slug']}/"
    for _ in range(READS):  # both workers cache the page and the API answer
        call(page)
        call(api)

    writer, reviewer, editor = (
        token_for(server, name) for name in ("writer", "reviewer", "editor")
    )
    editorial = f"{server}/api/v1/editorial/articles/{live['id']}/"
    _, headers, _ = call(editorial, token=writer)
    summary = f"Updated summary {secrets.token_hex(4)}."
    _, headers, _ = call(
        editorial,
        method="PATCH",
        token=writer,
        body={"summary": summary},
        headers={"If-Match": headers["ETag"]},
    )
    steps = [
        ("submit", writer, {}),
        ("approve", reviewer, {}),
        ("publish", editor, {"change_note": "Clarified the summary."}),
    ]
    for action, token, body in steps:  # each on the version the previous answer showed
        _, headers, _ = call(
            f"{editorial}{action}/",
            method="POST",
            token=token,
            body=body,
            headers={"If-Match": headers["ETag"]},
        )

    stale_pages = sum(summary not in call(page)[2] for _ in range(READS))
    stale_answers = sum(json.loads(call(api)[2])["summary"] != summary for _ in range(READS))
    assert (stale_pages, stale_answers) == (0, 0)
