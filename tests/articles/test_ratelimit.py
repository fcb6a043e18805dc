"""Rate limits: one reading of the client address for every limit, and counters workers share.

Every worker process on the machine shares the counters (tests/test_behind_a_proxy.py checks
both through real gunicorn).
"""

import logging
import multiprocessing
import time

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.test import RequestFactory
from rest_framework.test import APIClient

from articles import ratelimit, stamp
from articles.ratelimit import CounterFile, client_address


@pytest.fixture
def proxies(settings):
    def set_count(count: int) -> None:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}

    return set_count


@pytest.mark.parametrize(
    ("count", "forwarded", "remote", "expected"),
    [
        (0, "203.0.113.9", "192.0.2.1", "192.0.2.1"),  # no proxy: the header is not believed
        (1, "198.51.100.1, 203.0.113.9", "192.0.2.1", "203.0.113.9"),  # what our proxy added
        (2, "198.51.100.1, 203.0.113.9, 192.0.2.5", "192.0.2.1", "203.0.113.9"),
        (3, "203.0.113.9", "192.0.2.1", "203.0.113.9"),  # fewer hops than proxies
        (1, None, "192.0.2.1", "192.0.2.1"),
        (1, "<script>", "192.0.2.1", "192.0.2.1"),  # bypassed the proxy: the connecting address
        (1, "2001:DB8:0:0::1", "192.0.2.1", "2001:db8::1"),  # one spelling per address
        (0, None, "", None),  # a Unix socket without a proxy: unknown
    ],
)
def test_client_address(proxies, count, forwarded, remote, expected):
    """The client address is the Nth forwarded address from the right behind N proxies, in
    canonical form, else the connecting address."""
    proxies(count)
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(RequestFactory().get("/", **headers)) == expected


def test_axes_reads_the_same_client_address(proxies):
    """django-axes counts failed logins against the address the rate limits use."""
    proxies(1)
    request = RequestFactory().post(
        "/admin/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert get_client_ip_address(request) == "203.0.113.9"


@pytest.mark.django_db
def test_forged_forwarding_is_not_stored_as_an_address(proxies, settings, writer):
    """A failed login whose forwarded entry is no address is a 400 recorded under the
    connecting address (PostgreSQL's inet column would refuse the text with a 500)."""
    settings.AXES_ENABLED = True
    proxies(1)
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": writer.username, "password": "wrong"},
        format="json",
        HTTP_X_FORWARDED_FOR="not-an-address",
    )
    assert response.status_code == 400
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.1"]


def test_counts_per_key_and_window(tmp_path):
    """Each key counts on its own in each window; a new window starts from one."""
    counters = CounterFile(tmp_path / "rates")
    now = 1_000_000.0  # in the minute from 999_960 to 1_000_020
    assert [counters.count("a", 60, now) for _ in range(3)] == [1, 2, 3]
    assert counters.count("b", 60, now) == 1
    assert counters.count("a", 600, now) == 1  # another limit on the same key
    assert counters.count("a", 60, now + 19.9) == 4
    assert counters.count("a", 60, now + 20) == 1
    counters.clear()
    assert counters.count("b", 60, now) == 1


class TinyCounterFile(CounterFile):
    SLOTS = 2
    PROBES = 2
    SIZE = SLOTS * CounterFile.SLOT.size


def test_full_table_drops_the_count_that_ends_soonest(tmp_path):
    """With every slot a key may use held by live counts, the one ending soonest is dropped;
    an expired count's slot is reused."""
    counters = TinyCounterFile(tmp_path / "rates")
    now = 1_000_000.0
    assert counters.count("minute", 60, now) == 1  # ends at 1_000_020
    assert counters.count("hour", 3600, now) == 1
    assert counters.count("other hour", 3600, now) == 1  # drops "minute"
    assert counters.count("hour", 3600, now) == 2
    assert counters.count("minute", 60, now) == 1
    assert counters.count("hour", 3600, now) == 3
    assert counters.count("later", 3600, now + 3600) == 1  # both counts have ended


def _count_many(path, key: str, times: int) -> None:
    counters = CounterFile(path)
    for _ in range(times):
        counters.count(key, 3600, time.time())


def test_processes_share_the_counts(tmp_path):
    """Two processes counting the same key at the same time lose no count."""
    path, times = tmp_path / "rates", 3000
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_count_many, args=(path, "k", times)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert CounterFile(path).count("k", 3600, time.time()) == 2 * times + 1


def test_counter_file_refuses_a_link(tmp_path):
    """A link planted at the counters' name in a shared temporary directory is not followed."""
    target = tmp_path / "someone-elses-file"
    target.write_text("keep me")
    (tmp_path / "rates").symlink_to(target)
    with pytest.raises(OSError):
        CounterFile(tmp_path / "rates")
    assert target.read_text() == "keep me"


@pytest.mark.django_db
def test_unusable_counter_file_is_logged_and_limits_still_apply(
    tmp_path, monkeypatch, settings, caplog
):
    """When the counter file cannot be opened the error is logged and each process counts
    in its own cache: limits still apply, per process."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"}
    }
    (tmp_path / "rates").mkdir()
    monkeypatch.setattr(stamp, "site_file", lambda suffix: tmp_path / suffix.lstrip("."))
    monkeypatch.setattr(ratelimit, "_counter_files", {})
    with caplog.at_level(logging.ERROR, logger="articles.ratelimit"):
        results = [ratelimit.hit("test:client", 2, 60) for _ in range(3)]
    assert results[:2] == [None, None] and results[2] > 0
    assert f"Cannot open the rate-limit counters {tmp_path / 'rates'}" in caplog.text
