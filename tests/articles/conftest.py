"""Fixtures for the webhook tests: the loopback receiver, its settings, a DNS tests control."""

import socket

import pytest

from tests.articles.webhook_doubles import FakeDNS, Receiver


@pytest.fixture
def allow_private(settings):
    """DJANGO_WEBHOOK_ALLOW_PRIVATE=1, as in development: loopback receivers are allowed."""
    settings.WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def receiver(allow_private):
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def closed_port_url(allow_private) -> str:
    """An address on loopback where nothing listens: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks"


@pytest.fixture
def dns(monkeypatch) -> FakeDNS:
    fake = FakeDNS(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake
