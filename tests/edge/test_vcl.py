"""The edge cache's VCL (deploy/varnish/default.vcl) against stand-in app servers.

A real Varnish (Debian's, with varnish-modules for xkey), started by
deploy/varnish/run-edge.sh exactly as `make edge` and the edge CI steps start it, in front of
two tiny HTTP servers that answer with the headers of the app's edge contract
(docs/architecture.md, "The edge tier"): `Cache-Control: public, max-age=0, s-maxage=S` and an
`xkey` header on cacheable answers, `private, no-store` on the rest. Each stand-in answer
carries the number of requests its server has handled for that path, so a cached copy and a
fresh one can be told apart. The app's side of the contract is tested in the app's own tests
and, end to end, by .ci/edge-stale-reads and .ci/edge-several-machines.
"""

import gzip
import http.client
import json
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

# One xdist worker runs the whole module (make pytest: --dist loadgroup): the module's Varnish
# and stand-in servers are then started once, as in one process, not once per worker.
pytestmark = pytest.mark.xdist_group("edge-vcl")

ROOT = Path(__file__).resolve().parents[2]
RUN_EDGE = ROOT / "deploy" / "varnish" / "run-edge.sh"
HTML = "text/html; charset=utf-8"
PADDING = "All about metastatic breast cancer. " * 60  # enough bytes to be worth gzipping


class StandIn(ThreadingHTTPServer):
    """An app server as the edge contract describes it. The stand-ins count the requests for
    each path together, as several app servers share one database."""

    daemon_threads = True
    hits: Counter[str] = Counter()
    lock = threading.Lock()

    def __init__(self, name: str):
        super().__init__(("127.0.0.1", 0), Handler)
        self.name = name
        self.seen: list[dict] = []
        self.healthy = True


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: StandIn

    def log_message(self, format, *args):
        pass

    def _answer(self) -> None:
        path = self.path.split("?")[0]
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if path == "/healthz":
            status = 200 if self.server.healthy else 503
            return self._send(
                status, {"Cache-Control": "private, no-store"}, "application/json", "{}"
            )
        with StandIn.lock:
            StandIn.hits[self.path] += 1
            count = StandIn.hits[self.path]
            self.server.seen.append(
                {
                    "method": self.command,
                    "path": self.path,
                    "cookie": self.headers.get("Cookie"),
                    "authorization": self.headers.get("Authorization"),
                    "x_forwarded_for": self.headers.get("X-Forwarded-For"),
                    "accept_encoding": self.headers.get("Accept-Encoding"),
                }
            )
        public = {"Cache-Control": "public, max-age=0, s-maxage=60", "Vary": "Accept-Encoding"}
        body = json.dumps({"server": self.server.name, "path": self.path, "count": count})
        html = f"<!doctype html><title>{body}</title><p>{PADDING}</p>"
        if path.startswith("/api/v1/articles/"):
            headers = {**public, "xkey": "all list article-1"}
            return self._send(200, headers, "application/json", body + " " * 2000)
        if path.startswith("/articles/one/"):
            return self._send(200, {**public, "xkey": "all article-1 topic-3"}, HTML, html)
        if path.startswith("/articles/two/"):
            return self._send(200, {**public, "xkey": "all article-2"}, HTML, html)
        if path == "/short/":
            headers = {"Cache-Control": "public, max-age=0, s-maxage=1", "xkey": "all article-9"}
            return self._send(200, headers, HTML, html)
        if path == "/gone/":
            return self._send(404, {**public, "xkey": "all article-4"}, HTML, html)
        if path == "/private/":
            return self._send(200, {"Cache-Control": "private, no-store"}, HTML, html)
        if path == "/sets-cookie/":
            headers = {**public, "xkey": "all", "Set-Cookie": "csrftoken=abc; Path=/"}
            return self._send(200, headers, HTML, html)
        if path == "/no-keys/":
            return self._send(200, public, HTML, html)
        if path.startswith("/static/"):
            return self._send(
                200, {"Cache-Control": "max-age=31536000, public, immutable"}, "text/css", "p{}"
            )
        # Anything else (the admin, the editorial API, a form's POST): cacheable headers on
        # purpose, to show the VCL passes these paths whatever the answer says.
        return self._send(200, {**public, "xkey": "all"}, HTML, html)

    def _send(self, status: int, headers: dict, content_type: str, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_HEAD = do_POST = do_PURGE = _answer


@pytest.fixture(scope="module")
def stand_ins() -> Iterator[tuple[StandIn, StandIn]]:
    servers = (StandIn("a"), StandIn("b"))
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    yield servers
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def edge(stand_ins) -> Iterator[tuple[str, int]]:
    """Varnish in front of both stand-ins, started by run-edge.sh; (host, port)."""
    command = [str(RUN_EDGE), "--background", "--debug"]
    for server in stand_ins:
        command += ["--backend", f"127.0.0.1:{server.server_address[1]}"]
    started = subprocess.run(command, capture_output=True, text=True, timeout=90)
    assert started.returncode == 0, started.stderr
    values = dict(part.split("=", 1) for part in started.stdout.split())
    host, port = values["VARNISH_URL"].removeprefix("http://").rsplit(":", 1)
    try:
        yield host, int(port)
    finally:
        subprocess.run([str(RUN_EDGE), "--stop", values["VARNISH_DIR"]], timeout=30, check=False)


def request(edge, method: str, path: str, headers: dict | None = None, source: str | None = None):
    """(status, headers, body) of one request to Varnish; the body exactly as sent."""
    host, port = edge
    connection = http.client.HTTPConnection(
        host, port, timeout=10, source_address=(source, 0) if source else None
    )
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def served(edge, path: str, headers: dict | None = None) -> dict:
    status, response_headers, body = request(edge, "GET", path, headers)
    assert status in (200, 404), (status, body[:200])
    if response_headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    text = body.decode()
    start = text.index("{") if text.startswith("<") else 0
    data = json.JSONDecoder().raw_decode(text[start:])[0]
    return {**data, "headers": response_headers, "status": status}


def purge(edge, keys: str, source: str | None = None):
    return request(edge, "PURGE", "/", {"xkey-purge": keys}, source=source)


def test_a_public_answer_is_served_from_the_cache_without_its_keys(edge):
    first = served(edge, "/articles/one/")
    again = served(edge, "/articles/one/")
    assert again["count"] == first["count"]
    assert again["headers"]["X-Cache"] == "HIT"
    assert len(again["headers"]["X-Varnish"].split()) == 2  # this request's id and the copy's
    assert "xkey" not in again["headers"] and "xkey" not in first["headers"]
    assert again["headers"]["Cache-Control"] == "public, max-age=0, s-maxage=60"
    # A 404 with the contract's headers is cached (and purged) like a page.
    assert served(edge, "/gone/")["count"] == served(edge, "/gone/")["count"]


def test_a_purge_drops_every_copy_tagged_with_a_key_and_no_other(edge):
    page = served(edge, "/articles/one/")
    api = served(edge, "/api/v1/articles/one/")
    other = served(edge, "/articles/two/")
    assert served(edge, "/api/v1/articles/one/")["count"] == api["count"]

    status, headers, body = purge(edge, "article-1")
    assert status == 200
    assert int(headers["X-Purged"]) >= 2  # the page and the API answer (each encoding too)
    assert body.decode().startswith("Purged ")

    assert served(edge, "/articles/one/")["count"] == page["count"] + 1
    assert served(edge, "/api/v1/articles/one/")["count"] == api["count"] + 1
    assert served(edge, "/articles/two/")["count"] == other["count"]
    # Several keys at once, space-separated; `all` drops everything.
    assert purge(edge, "topic-3 article-2")[0] == 200
    assert served(edge, "/articles/two/")["count"] == other["count"] + 1
    purge(edge, "all")
    assert served(edge, "/articles/two/")["count"] == other["count"] + 2


def test_purge_needs_the_acl_and_keys(edge):
    before = served(edge, "/articles/two/")
    status, _, _ = purge(edge, "all", source="127.0.0.2")  # not in the purgers ACL
    assert status == 403
    # From a purger's address, but relayed by a proxy in front (a TLS proxy on this machine).
    relayed = {"xkey-purge": "all", "X-Forwarded-For": "198.51.100.7"}
    assert request(edge, "PURGE", "/", relayed)[0] == 403
    status, _, _ = request(edge, "PURGE", "/")
    assert status == 400
    assert served(edge, "/articles/two/")["count"] == before["count"]
    status, _, _ = request(edge, "BREW", "/articles/two/")
    assert status == 405


def test_a_copy_is_never_served_past_its_ttl(edge):
    """Zero grace while the backends are healthy: the app's s-maxage is the moment a page is
    due to change (a scheduled go-live), so an expired copy must not be served even once."""
    first = served(edge, "/short/")
    assert served(edge, "/short/")["count"] == first["count"]
    time.sleep(1.3)
    assert served(edge, "/short/")["count"] == first["count"] + 1


@pytest.mark.parametrize("path", ["/private/", "/sets-cookie/", "/no-keys/"])
def test_answers_the_contract_does_not_make_cacheable_are_never_stored(edge, path):
    counts = [served(edge, path)["count"] for _ in range(3)]
    assert counts[1] > counts[0] and counts[2] > counts[1]


def test_signed_in_and_authorised_requests_pass_and_other_cookies_are_dropped(edge, stand_ins):
    def last_seen(path):
        return next(s for server in stand_ins for s in reversed(server.seen) if s["path"] == path)

    served(edge, "/articles/cookies/", {"Cookie": "csrftoken=x; _ga=1"})
    assert last_seen("/articles/cookies/")["cookie"] is None
    # A signed-in editor sees the page fresh, with their cookie.
    counts = [
        served(edge, "/articles/cookies/", {"Cookie": "csrftoken=x; sessionid=s"})["count"]
        for _ in range(2)
    ]
    assert counts[1] > counts[0]
    assert last_seen("/articles/cookies/")["cookie"] == "csrftoken=x; sessionid=s"
    counts = [
        served(edge, "/api/v1/articles/one/", {"Authorization": "Token t"})["count"]
        for _ in range(2)
    ]
    assert counts[1] > counts[0]
    assert last_seen("/api/v1/articles/one/")["authorization"] == "Token t"
    assert last_seen("/api/v1/articles/one/")["x_forwarded_for"] == "127.0.0.1"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/articles/article/1/change/",
        "/api/v1/editorial/articles/",
        "/api/v1/auth/token/",
        "/preview/t0k3n/",
    ],
)
def test_the_admin_editorial_api_and_previews_always_pass_with_their_cookies(edge, stand_ins, path):
    counts = [served(edge, path, {"Cookie": "csrftoken=x"})["count"] for _ in range(2)]
    assert counts[1] > counts[0]
    seen = next(s for server in stand_ins for s in reversed(server.seen) if s["path"] == path)
    assert seen["cookie"] == "csrftoken=x"


def test_posts_pass(edge):
    status, _, first = request(edge, "POST", "/articles/one/feedback/", {"Content-Length": "0"})
    status, _, second = request(edge, "POST", "/articles/one/feedback/", {"Content-Length": "0"})
    assert status == 200 and first != second


@pytest.mark.parametrize("path", ["/articles/one/", "/api/v1/articles/one/"])
def test_html_and_json_are_gzipped_for_clients_that_accept_it(edge, path):
    _, zipped_headers, zipped = request(edge, "GET", path, {"Accept-Encoding": "gzip, br"})
    assert zipped_headers["Content-Encoding"] == "gzip"
    _, plain_headers, plain = request(edge, "GET", path)
    assert "Content-Encoding" not in plain_headers
    assert gzip.decompress(zipped) == plain
    assert len(zipped) < len(plain) / 2


def test_tracking_parameters_and_parameter_order_share_one_copy(edge):
    first = served(edge, "/articles/one/?q=bone&page=2")
    assert first["path"] == "/articles/one/?page=2&q=bone"  # what the app was asked
    again = served(edge, "/articles/one/?utm_source=news&page=2&q=bone&fbclid=x")
    assert (again["path"], again["count"]) == (first["path"], first["count"])
    other = served(edge, "/articles/one/?q=liver&page=2")
    assert (other["path"], other["count"]) == ("/articles/one/?page=2&q=liver", 1)


def test_requests_are_shared_between_the_app_servers(edge, stand_ins):
    """Round robin over every healthy backend; a backend whose /healthz fails is left out."""
    names = {served(edge, "/private/")["server"] for _ in range(6)}
    assert names == {"a", "b"}
    stand_ins[1].healthy = False
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # the probe: every 2 s, 2 failures of the last 3
            names = {served(edge, "/private/")["server"] for _ in range(4)}
            if names == {"a"}:
                break
            time.sleep(0.5)
        assert names == {"a"}
    finally:
        stand_ins[1].healthy = True
