"""Behind a reverse proxy, lock-outs and rate limits apply to the client address it forwards.

With two gunicorn workers and no Redis, they mean the same whichever worker answers.

The server runs as in production (``DJANGO_DEBUG=0``, ``DJANGO_PROXY_COUNT=1``, django-axes
on) on its own SQLite file with the demo content. The test plays the proxy: every request
comes from 127.0.0.1 with the client's address appended to ``X-Forwarded-For``.
"""

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest

from articles.services import FEEDBACK_LIMIT, FEEDBACK_WINDOW_SECONDS
from tests.servers import fetch, gunicorn_server

# One xdist worker runs the whole module (make pytest: --dist loadgroup): the module's gunicorn
# server with the seeded demo is then started once, as in one process, not once per worker.
pytestmark = pytest.mark.xdist_group("behind-a-proxy")

PASSWORD = "proxy-test-password"
FAILURE_LIMIT = 3
API_RATE = 20  # per minute
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("proxy")
    env = {
        "DJANGO_PROXY_COUNT": "1",
        "DJANGO_AXES_ENABLED": "1",
        "DJANGO_AXES_FAILURE_LIMIT": str(FAILURE_LIMIT),
        "DJANGO_API_ANON_RATE": f"{API_RATE}/minute",
        "DEMO_PASSWORD": PASSWORD,
    }
    with gunicorn_server(directory, workers=2, env=env, commands=(("seed_demo",),)) as base:
        yield base


def through_proxy(client: str, headers: dict[str, str] | None = None) -> dict[str, str]:
    """The headers a request arrives with after the proxy appended ``client``'s address."""
    forwarded = (headers or {}).get("X-Forwarded-For")
    return {**(headers or {}), "X-Forwarded-For": f"{forwarded}, {client}" if forwarded else client}


def form_session(server: str, path: str, client: str) -> dict[str, str]:
    """GET a page with a form; the headers (CSRF cookie) and fields (CSRF token) to post it."""
    status, headers, body = fetch(f"{server}{path}", headers=through_proxy(client))
    assert status == 200, body
    cookie = next(
        value.split(";")[0]
        for value in headers.get_all("Set-Cookie")
        if value.startswith("csrftoken=")
    )
    return {
        "Cookie": cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        "csrfmiddlewaretoken": CSRF_INPUT.search(body).group(1),
    }


def post_form(server: str, path: str, client: str, session: dict[str, str], **fields):
    token = session["csrfmiddlewaretoken"]
    headers = {name: value for name, value in session.items() if name != "csrfmiddlewaretoken"}
    return fetch(
        f"{server}{path}",
        method="POST",
        headers=through_proxy(client, headers),
        data=urlencode({**fields, "csrfmiddlewaretoken": token}).encode(),
    )


def ask_for_token(server: str, username: str, password: str, client: str, forwarded=None):
    headers = {"Content-Type": "application/json"}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    return fetch(
        f"{server}/api/v1/auth/token/",
        method="POST",
        headers=through_proxy(client, headers),
        data=json.dumps({"username": username, "password": password}).encode(),
    )


def at_start_of_window(seconds: int, margin: float = 10) -> None:
    """Wait for the next fixed window when this one ends within ``margin`` seconds, so that
    a burst is counted in one window."""
    left = seconds - time.time() % seconds
    if left < margin:
        time.sleep(left + 0.2)


def test_token_lock_out_is_per_client_address(server):
    """After the failure limit for one user from one address, that user gets no token from
    that address (also when it prepends another address), and does from another address."""
    failures = [
        ask_for_token(server, "writer", "wrong", "203.0.113.10")[0] for _ in range(FAILURE_LIMIT)
    ]
    assert failures[:-1] == [400] * (FAILURE_LIMIT - 1)

    locked = ask_for_token(server, "writer", PASSWORD, "203.0.113.10")
    assert locked[0] == 429 and "token" not in locked[2]
    forged = ask_for_token(server, "writer", PASSWORD, "203.0.113.10", forwarded="198.51.100.20")
    assert forged[0] == 429 and "token" not in forged[2]

    elsewhere = ask_for_token(server, "writer", PASSWORD, "198.51.100.20")
    assert elsewhere[0] == 200, elsewhere[2]
    assert len(json.loads(elsewhere[2])["token"]) == 40


def test_admin_lock_out_is_per_client_address(server):
    """After the failure limit on the admin login form from one address, the right password
    shows the lock-out page there, and signs the same user in from another address."""

    def sign_in(password: str, client: str):
        session = form_session(server, "/admin/login/", client)
        return post_form(
            server,
            "/admin/login/",
            client,
            session,
            username="editor",
            password=password,
            next="/admin/",
        )

    failures = [sign_in("wrong", "203.0.113.30")[0] for _ in range(FAILURE_LIMIT)]
    assert failures[:-1] == [200] * (FAILURE_LIMIT - 1)  # the form again, with an error

    locked = sign_in(PASSWORD, "203.0.113.30")
    assert locked[0] == 429 and "Too many failed sign-in attempts" in locked[2]

    status, headers, body = sign_in(PASSWORD, "198.51.100.40")
    assert (status, headers["Location"]) == (302, "/admin/"), body


def test_api_rate_is_counted_across_worker_processes(server):
    """Hammering one API address from one client with two workers answering gets the
    documented rate (within 10 %), not once per worker; another client is unaffected."""
    at_start_of_window(60)
    url = f"{server}/api/v1/topics/"

    def get(_) -> int:
        return fetch(url, headers=through_proxy("203.0.113.50"))[0]

    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(get, range(3 * API_RATE)))
    assert set(codes) <= {200, 429}
    assert abs(codes.count(200) - API_RATE) <= API_RATE / 10, codes
    assert fetch(url, headers=through_proxy("198.51.100.60"))[0] == 200


def test_feedback_limit_is_counted_across_worker_processes(server):
    """Reader feedback from one client is accepted FEEDBACK_LIMIT times per window however
    the workers share the submissions; then 429."""
    at_start_of_window(FEEDBACK_WINDOW_SECONDS)
    _, _, listing = fetch(f"{server}/api/v1/articles/?page_size=1")
    slug = json.loads(listing)["results"][0]["slug"]
    # The form is checked by origin (no cookie, no token): what a browser sends from the page.
    headers = {"Origin": server, "Content-Type": "application/x-www-form-urlencoded"}

    def send(_) -> int:
        return fetch(
            f"{server}/articles/{slug}/feedback/",
            method="POST",
            headers=through_proxy("203.0.113.70", headers),
            data=b"helpful=yes",
        )[0]

    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(send, range(3 * FEEDBACK_LIMIT)))
    assert sorted(codes) == [302] * FEEDBACK_LIMIT + [429] * (2 * FEEDBACK_LIMIT)
