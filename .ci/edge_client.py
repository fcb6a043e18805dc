"""What the edge checks (.ci/edge_stale_reads.py, .ci/edge_several_machines.py) share: the
editorial API driven over plain HTTP (tokens, a draft, edit, submit, approve, publish,
unpublish, each with the ETag it read in If-Match) and a small keep-alive HTTP client.

Standard library only, so the checks run with the project's own Python.
"""

import datetime
import gzip
import http.client
import json
import time
import urllib.parse
import uuid

MARK = "edge-mark-"


class CheckFailed(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


class Connection:
    """One keep-alive HTTP/1.1 connection to ``base`` (reopened after an error)."""

    def __init__(self, base: str, timeout: float = 10):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port, self.timeout = parts.hostname, parts.port or 80, timeout
        self._connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body=None, headers: dict | None = None):
        """(status, headers, body as text, gunzipped when it came gzipped)."""
        headers = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            try:
                self._connection.request(method, path, body=data, headers=headers)
                response = self._connection.getresponse()
                raw = response.read()
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt == 2:
                    raise
                continue
            if response.headers.get("Content-Encoding") == "gzip":
                raw = gzip.decompress(raw)
            if response.will_close:
                self.close()
            return response.status, response.headers, raw.decode("utf-8", "replace")
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class Editorial:
    """The editorial API as the demo users (writer, reviewer, editor) use it, through ``base``
    (Varnish passes the editorial API, so this is the path a real newsroom takes)."""

    def __init__(self, base: str, password: str):
        self.connection = Connection(base, timeout=30)
        self.tokens = {
            name: self._token(name, password) for name in ("writer", "reviewer", "editor")
        }

    def call(self, user: str, method: str, path: str, body=None, etag: str | None = None):
        headers = {"Authorization": f"Token {self.tokens[user]}", "Accept": "application/json"}
        if etag:
            headers["If-Match"] = etag
        status, response_headers, text = self.connection.request(method, path, body, headers)
        return status, response_headers, (json.loads(text) if text.strip() else None)

    def _token(self, name: str, password: str) -> str:
        status, _, text = self.connection.request(
            "POST", "/api/v1/auth/token/", {"username": name, "password": password}
        )
        check(status == 200, f"token for {name}: {status} {text[:300]}")
        return json.loads(text)["token"]

    def expect(self, user: str, method: str, path: str, body=None, etag=None, status=200):
        got, headers, data = self.call(user, method, path, body, etag)
        check(got == status, f"{user} {method} {path}: expected {status}, got {got}: {data}")
        return headers, data

    def etag(self, user: str, article_id: int) -> str:
        headers, _ = self.expect(user, "GET", f"/api/v1/editorial/articles/{article_id}/")
        return headers["ETag"]

    def topic(self) -> str:
        _, data = self.expect("writer", "GET", "/api/v1/editorial/topics/")
        return data["results"][0]["slug"]

    def create(self, mark: int) -> dict:
        body = {
            "title": f"Edge check {uuid.uuid4().hex[:8]}",
            "summary": f"A page the edge checks publish. {MARK}{mark}.",
            "body": "## What the page says\n\nThe evidence is described here [@1].\n",
            "topics": [self.topic()],
            "audience": "professional",
            "references": [
                {
                    "title": "Trastuzumab deruxtecan in HER2-low advanced breast cancer",
                    "authors": "Modi S, Jacot W, Yamashita T, et al.",
                    "journal": "N Engl J Med",
                    "year": 2022,
                    "pmid": "35665782",
                }
            ],
            "counterpart": None,
            "comment": "Created by the edge checks.",
        }
        _, article = self.expect("writer", "POST", "/api/v1/editorial/articles/", body, status=201)
        return article

    def edit(self, article_id: int, mark: int) -> None:
        etag = self.etag("writer", article_id)
        summary = f"A page the edge checks publish. {MARK}{mark}."
        body = {"summary": summary, "comment": f"Mark {mark}."}
        self.expect("writer", "PATCH", f"/api/v1/editorial/articles/{article_id}/", body, etag)

    def submit_and_approve(self, article_id: int) -> None:
        path = f"/api/v1/editorial/articles/{article_id}/"
        self.expect("writer", "POST", path + "submit/", {}, self.etag("writer", article_id))
        body = {"comment": "Accurate.", "override_reason": "Checked by the edge checks."}
        self.expect("reviewer", "POST", path + "approve/", body, self.etag("reviewer", article_id))

    def publish(self, article_id: int, *, first: bool, at: datetime.datetime | None = None):
        body = {} if first else {"change_note": "Updated by the edge checks."}
        if at is not None:
            body["publish_at"] = at.isoformat()
        path = f"/api/v1/editorial/articles/{article_id}/publish/"
        return self.expect("editor", "POST", path, body, self.etag("editor", article_id))[1]

    def unpublish(self, article_id: int):
        path = f"/api/v1/editorial/articles/{article_id}/unpublish/"
        body = {"reason": "Taken down by the edge checks."}
        return self.expect("editor", "POST", path, body, self.etag("editor", article_id))[1]


def now() -> float:
    return time.monotonic()
