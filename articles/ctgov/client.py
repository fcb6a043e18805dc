"""A small, polite HTTP client for the ClinicalTrials.gov API v2: one study at a time.

``CtgovClient.fetch_study("NCT01234567")`` sends ``GET {base}/studies/NCT01234567`` and
returns the decoded JSON. It identifies itself with a descriptive User-Agent, waits at most
``CTGOV_TIMEOUT`` seconds for an answer, sends one request at a time (never faster than one
per ``min_interval`` seconds), retries server errors, network errors and timeouts with
exponential backoff, and on 429 waits as long as ``Retry-After`` asks (up to
``max_retry_after`` seconds; a longer wait gives up on that study). Every failure is a
``SyncError`` whose message names the study.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import re
import threading
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from django.conf import settings

from ..validators import NCT_RE, normalise_nct_id
from .errors import MalformedStudy, RegistryUnavailable, StudyNotFound, SyncError

# No study record comes near this; a larger answer is not what we asked for.
MAX_RESPONSE_BYTES = 20 * 1024 * 1024
# One request at a time across threads of this process.
_request_lock = threading.Lock()


@cache
def project_version() -> str:
    """The version in ``pyproject.toml`` (for the User-Agent), or ``dev`` without one."""
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as file:
            return str(tomllib.load(file)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "dev"


def user_agent() -> str:
    """``mbc_cms/<version> (+<site>) trial sync``: who is asking, and where to find them."""
    return f"mbc_cms/{project_version()} (+{settings.SITE_URL}) trial sync"


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """A ``Retry-After`` header in seconds: a number of seconds or an HTTP date; None when
    absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]+", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class CtgovClient:
    """Fetches study records from the ClinicalTrials.gov API v2.

    ``sleep`` and ``clock`` are injectable so that tests do not wait; the defaults come from
    settings (``CTGOV_BASE_URL``, ``CTGOV_TIMEOUT``).
    """

    def __init__(
        self,
        *,
        base_url: str | None = None,
        timeout: float | None = None,
        attempts: int = 3,
        backoff: float = 2.0,
        max_retry_after: float = 120.0,
        min_interval: float = 1.2,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = (base_url or settings.CTGOV_BASE_URL).rstrip("/")
        self.timeout = settings.CTGOV_TIMEOUT if timeout is None else timeout
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.min_interval = min_interval
        self.sleep = sleep
        self.clock = clock
        self._last_request: float | None = None
        # Proxies from the environment apply; redirects are followed by urllib's defaults.
        self._opener = urllib.request.build_opener()

    def study_url(self, nct_id: str) -> str:
        return f"{self.base_url}/studies/{nct_id}"

    def fetch_study(self, nct_id: str) -> dict:
        """The v2 record of one study, as decoded JSON; raises a ``SyncError``."""
        nct_id = normalise_nct_id(nct_id)
        if not NCT_RE.match(nct_id):
            raise StudyNotFound(
                f"“{nct_id}” is not an NCT number (NCT followed by 8 digits).", study=nct_id
            )
        body = self._get(self.study_url(nct_id), study=nct_id)
        try:
            return json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise MalformedStudy(
                f"ClinicalTrials.gov answered with something that is not JSON ({error}).",
                study=nct_id,
            ) from error
        except RecursionError as error:
            raise MalformedStudy(
                "ClinicalTrials.gov answered with JSON nested too deeply to read.", study=nct_id
            ) from error

    def _get(self, url: str, *, study: str) -> bytes:
        """The body of a 200 answer to ``GET url``, retrying what is worth retrying."""
        problem = ""
        for attempt in range(1, self.attempts + 1):
            wait = self.backoff * 2 ** (attempt - 1)
            try:
                body = self._request(url)
            except urllib.error.HTTPError as error:
                with error:
                    status = error.code
                    retry_after = retry_after_seconds(error.headers.get("Retry-After"))
                if status == 404:
                    raise StudyNotFound(
                        f"unknown NCT id: ClinicalTrials.gov has no study {study} (HTTP 404).",
                        study=study,
                    ) from None
                if status == 429:
                    problem = "ClinicalTrials.gov is limiting our requests (HTTP 429)"
                    if retry_after is not None:
                        if retry_after > self.max_retry_after:
                            raise RegistryUnavailable(
                                f"{problem} and asks us to wait {retry_after:.0f} seconds, more "
                                f"than {self.max_retry_after:.0f}: try again later.",
                                study=study,
                            ) from None
                        wait = max(wait, retry_after)
                elif status >= 500:
                    problem = f"ClinicalTrials.gov answered HTTP {status}"
                else:
                    raise SyncError(
                        f"ClinicalTrials.gov refused the request for {study} (HTTP {status}).",
                        study=study,
                    ) from None
            except (TimeoutError, urllib.error.URLError, http.client.HTTPException, OSError) as e:
                reason = getattr(e, "reason", e)
                if isinstance(reason, TimeoutError) or isinstance(e, TimeoutError):
                    problem = f"no answer from ClinicalTrials.gov within {self.timeout:g} seconds"
                else:
                    problem = f"could not reach ClinicalTrials.gov ({reason})"
            else:
                if len(body) > MAX_RESPONSE_BYTES:
                    raise MalformedStudy(
                        f"ClinicalTrials.gov sent more than {MAX_RESPONSE_BYTES // 2**20} MB "
                        f"for {study}: not a study record.",
                        study=study,
                    )
                return body
            if attempt < self.attempts:
                self.sleep(wait)
        raise RegistryUnavailable(
            f"{problem}; gave up after {self.attempts} attempts.", study=study
        )

    def _request(self, url: str) -> bytes:
        request = urllib.request.Request(
            url, headers={"User-Agent": user_agent(), "Accept": "application/json"}
        )
        with _request_lock:
            if self._last_request is not None:
                pause = self._last_request + self.min_interval - self.clock()
                if pause > 0:
                    self.sleep(pause)
            try:
                with self._opener.open(request, timeout=self.timeout) as response:
                    body = response.read(MAX_RESPONSE_BYTES + 1)
            finally:
                self._last_request = self.clock()
        return body
