"""The ClinicalTrials.gov client against a real HTTP server on loopback (never the internet):
answers, unknown studies, rate limiting, server errors, timeouts and what it says about itself."""

import json
import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from articles.ctgov.client import CtgovClient, retry_after_seconds
from articles.ctgov.errors import MalformedStudy, RegistryUnavailable, StudyNotFound, SyncError
from tests.articles.ctgov_studies import FULL, study
from tests.articles.webhook_doubles import Reply


def ok(nct_id: str = FULL) -> Reply:
    return Reply(200, json.dumps(study(nct_id)).encode(), (("Content-Type", "application/json"),))


@pytest.fixture
def registry(receiver):
    """The loopback server standing in for ClinicalTrials.gov: answers scripted per test."""
    return receiver


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def client_for(registry, waits):
    """A client of the loopback registry that records its waits instead of sleeping."""

    def make(**options) -> CtgovClient:
        options = {"min_interval": 0, "timeout": 2, **options}
        return CtgovClient(
            base_url=f"http://127.0.0.1:{registry.port}/api/v2/", sleep=waits.append, **options
        )

    return make


def test_a_study_is_fetched_with_a_descriptive_user_agent(registry, client_for, settings):
    """GET {base}/studies/{nctId} returns the decoded record; the request names us and where
    to find us, and asks for JSON."""
    settings.SITE_URL = "https://cms.example.org"
    registry.script(ok())
    data = client_for().fetch_study("nct05500001")
    assert data["protocolSection"]["identificationModule"]["nctId"] == FULL
    [request] = registry.requests
    assert request.path == f"/api/v2/studies/{FULL}"
    assert re.fullmatch(
        r"mbc_cms/\d+\.\d+\.\d+ \(\+https://cms\.example\.org\) trial sync",
        request.headers["User-Agent"],
    )
    assert request.headers["Accept"] == "application/json"


def test_an_unknown_study_is_one_clear_error_without_retrying(registry, client_for, waits):
    """404 means the NCT number is unknown: said plainly, and not asked again."""
    registry.script(Reply(404, b'{"message": "not found"}'))
    with pytest.raises(StudyNotFound) as info:
        client_for().fetch_study("NCT05500009")
    assert info.value.message == (
        "unknown NCT id: ClinicalTrials.gov has no study NCT05500009 (HTTP 404)."
    )
    assert info.value.study == "NCT05500009"
    assert len(registry.requests) == 1 and waits == []


def test_a_rate_limit_is_waited_out_as_retry_after_asks(registry, client_for, waits):
    """429 with Retry-After in seconds: the client waits that long, then asks again."""
    registry.script(Reply(429, b"slow down", (("Retry-After", "7"),)), ok())
    assert client_for(backoff=1).fetch_study(FULL)["hasResults"] is False
    assert waits == [7.0] and len(registry.requests) == 2


def test_retry_after_as_an_http_date(registry, client_for, waits):
    """Retry-After may be an HTTP date: the client waits until then."""
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    registry.script(Reply(429, b"", (("Retry-After", later),)), ok())
    client_for(backoff=1).fetch_study(FULL)
    [wait] = waits
    assert 25 <= wait <= 30


def test_a_retry_after_beyond_the_cap_gives_up_on_the_study(registry, client_for, waits):
    """A server asking us to wait longer than the cap is not hammered: the study fails."""
    registry.script(Reply(429, b"", (("Retry-After", "3600"),)))
    with pytest.raises(RegistryUnavailable) as info:
        client_for(max_retry_after=60).fetch_study(FULL)
    assert "asks us to wait 3600 seconds, more than 60" in info.value.message
    assert len(registry.requests) == 1 and waits == []


def test_a_server_error_is_retried_with_backoff(registry, client_for, waits):
    """500 then 503 then 200: two retries, waiting 2 then 4 seconds."""
    registry.script(Reply(500, b"oops"), Reply(503, b"busy"), ok())
    assert client_for(backoff=2).fetch_study(FULL)["protocolSection"]
    assert waits == [2, 4] and len(registry.requests) == 3


def test_persistent_server_errors_give_up_after_the_attempts(registry, client_for, waits):
    """Three 502s: the study fails with the last problem named; no wait after the last try."""
    registry.script(*[Reply(502, b"bad gateway")] * 3)
    with pytest.raises(RegistryUnavailable) as info:
        client_for(attempts=3, backoff=1).fetch_study(FULL)
    assert info.value.message == ("ClinicalTrials.gov answered HTTP 502; gave up after 3 attempts.")
    assert waits == [1, 2]


def test_a_slow_answer_times_out_and_is_retried(registry, client_for, waits):
    """An answer slower than the timeout counts as a failed attempt; the retry succeeds."""
    slow = ok()
    slow.delay = 1.0
    registry.script(slow, ok())
    assert client_for(timeout=0.2, backoff=1).fetch_study(FULL)
    assert waits == [1] and len(registry.requests) == 2


def test_only_timeouts_give_a_clear_error(registry, client_for):
    """When every attempt times out, the error says how long we waited."""
    slow = ok()
    slow.delay = 1.0
    registry.script(slow, slow)
    with pytest.raises(RegistryUnavailable) as info:
        client_for(timeout=0.2, attempts=2).fetch_study(FULL)
    assert info.value.message == (
        "no answer from ClinicalTrials.gov within 0.2 seconds; gave up after 2 attempts."
    )


def test_nothing_listening_is_a_network_error(closed_port_url, waits):
    """A refused connection is retried, then reported as unreachable."""
    client = CtgovClient(base_url=closed_port_url, min_interval=0, sleep=waits.append)
    with pytest.raises(RegistryUnavailable) as info:
        client.fetch_study(FULL)
    assert info.value.message.startswith("could not reach ClinicalTrials.gov (")
    assert len(waits) == 2


def test_a_body_that_is_not_json_is_a_clear_error(registry, client_for):
    """A 200 answer that is not JSON (a maintenance page) names the study and the problem."""
    registry.script(Reply(200, b"<html>Down for maintenance</html>"))
    with pytest.raises(MalformedStudy) as info:
        client_for().fetch_study(FULL)
    assert info.value.message.startswith(
        "ClinicalTrials.gov answered with something that is not JSON"
    )
    assert info.value.study == FULL


def test_other_refusals_are_not_retried(registry, client_for, waits):
    """A 400 will not get better by asking again."""
    registry.script(Reply(400, b"bad request"))
    with pytest.raises(SyncError) as info:
        client_for().fetch_study(FULL)
    assert "(HTTP 400)" in info.value.message and waits == []


def test_requests_are_spaced_out(registry, waits):
    """Two studies in a row: the second request waits for the minimum interval."""
    registry.script(ok(), ok())
    times = iter([100.0, 100.3, 101.0])  # after the 1st request, before and after the 2nd
    client = CtgovClient(
        base_url=f"http://127.0.0.1:{registry.port}/api/v2",
        min_interval=1.0,
        sleep=waits.append,
        clock=lambda: next(times),
    )
    client.fetch_study(FULL)
    client.fetch_study(FULL)
    assert waits == [pytest.approx(0.7)]


def test_a_malformed_nct_number_is_never_requested(registry, client_for):
    """The NCT number goes into the URL only once it is checked."""
    with pytest.raises(StudyNotFound):
        client_for().fetch_study("../admin")
    assert registry.requests == []


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, None),
        ("", None),
        ("12", 12.0),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
    ],
)
def test_retry_after_values(header, seconds):
    """Retry-After: seconds, an HTTP date (one in the past is no wait) or nothing usable."""
    assert retry_after_seconds(header) == seconds
