"""After a publication through one gunicorn worker, no other worker serves a stale page.

Several workers with the default per-process cache learn of it from the stamp file of
``articles.caching``.

The server runs as in production (``DJANGO_DEBUG=0``, two sync workers, no ``REDIS_URL``) on
its own SQLite file with the demo content; the publication goes through the editorial API.
"""

import json
import secrets
import urllib.request

import pytest

from tests.servers import gunicorn_server

# One xdist worker runs the whole module (make pytest: --dist loadgroup): the module's gunicorn
# server with the seeded demo is then started once, as in one process, not once per worker.
pytestmark = pytest.mark.xdist_group("worker-processes")

PASSWORD = "worker-test-password"
READS = 40  # per check: with two workers each answering about half, both are exercised


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("workers")
    env = {
        "DJANGO_API_ANON_RATE": "100000/minute",
        "DEMO_PASSWORD": PASSWORD,
        "DJANGO_PUBLIC_STAMP_FILE": str(directory / "public.stamp"),
    }
    with gunicorn_server(directory, env=env, commands=(("seed_demo",),)) as base:
        yield base


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
