"""Webhook fixtures: the loopback receiver, a DNS tests control, an endpoint, approved articles."""

import socket

import pytest

from articles.models import WebhookEndpoint
from reviews import workflow
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


@pytest.fixture
def endpoint(db, receiver, editor):
    return WebhookEndpoint.objects.create(name="Partner", url=receiver.url, created_by=editor)


@pytest.fixture
def approved_article(make_article, writer, reviewer):
    """Make an article approved by ``reviewer`` and ready for an editor to publish."""

    def make(**fields):
        article = make_article(writer, **fields)
        workflow.submit(article=article, user=writer)
        workflow.approve(article=article, user=reviewer)
        return article

    return make
