"""Schemathesis hooks for `.ci/schemathesis`: let generated edits get past If-Match.

An edit (PATCH) and every workflow action (POST) need the article's current ETag in If-Match;
so do changes and deletions of topics, trials and images. A generated If-Match is never the
current ETag, so every such request would stop at 412 and the code behind it would never
run. Half of the requests that carry an If-Match get the record's current ETag instead, read
just before the call.

Environment, set by `.ci/schemathesis`: MBC_API_BASE (``http://127.0.0.1:PORT``),
MBC_API_TOKEN (the pass's token) and SCHEMATHESIS_SEED.
"""

import os
import random
import re

import requests
import schemathesis

DETAIL = re.compile(r"^/api/v1/editorial/(articles|topics|trials|images)/\{id\}/")
RNG = random.Random(os.environ.get("SCHEMATHESIS_SEED", "0"))


def current_etag(kind: str, record_id) -> str | None:
    """The record's ETag as the API serves it now, or None if it cannot be read."""
    base, token = os.environ.get("MBC_API_BASE"), os.environ.get("MBC_API_TOKEN")
    if not (base and token and record_id is not None):
        return None  # the anonymous pass, or schemathesis probing the server
    try:
        response = requests.get(
            f"{base}/api/v1/editorial/{kind}/{record_id}/",
            headers={"Authorization": f"Token {token}"},
            timeout=10,
        )
    except requests.RequestException:
        return None
    return response.headers.get("ETag") if response.status_code == 200 else None


@schemathesis.hook
def before_call(context, case, kwargs):
    detail = DETAIL.match(case.operation.path)
    if detail is None or case.method.upper() not in {"PATCH", "POST", "DELETE"}:
        return
    if not case.headers or "If-Match" not in case.headers or RNG.random() < 0.5:
        return
    etag = current_etag(detail.group(1), (case.path_parameters or {}).get("id"))
    if etag is not None:
        case.headers["If-Match"] = etag
