"""Webhook endpoints reach public internet addresses only, checked when saved and at delivery.

Refused when saved (admin, model, service) and again at delivery, where the connection goes to
the address that was checked.
"""

import io
import os
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from articles import services, webhooks
from articles.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from reviews import workflow
from tests.admin_client import AdminSession
from tests.articles.webhook_doubles import Receiver

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.215.14"
REFUSAL = "webhooks are only sent to public internet addresses"

# (URL, words the refusal must contain). Names under .test are answered by the test's DNS.
NON_PUBLIC_URLS = [
    ("http://127.0.0.1/hooks", "127.0.0.1 is a loopback address"),
    ("http://0x7f000001/", "resolves to 127.0.0.1, a loopback address"),
    ("http://2130706433/", "resolves to 127.0.0.1, a loopback address"),
    ("http://0177.0.0.1/", "resolves to 127.0.0.1, a loopback address"),
    ("http://127.1/", "resolves to 127.0.0.1, a loopback address"),
    ("http://[::1]/", "::1 is a loopback address"),
    ("http://[::ffff:127.0.0.1]/", "resolves to 127.0.0.1, a loopback address"),
    ("http://[::ffff:7f00:1]:8080/", "resolves to 127.0.0.1, a loopback address"),
    ("http://[2002:7f00:1::]/", "resolves to 127.0.0.1, a loopback address"),
    ("http://localhost/", "localhost is a loopback name"),
    ("http://LOCALHOST./", "localhost. is a loopback name"),
    ("https://api.localhost/", "api.localhost is a loopback name"),
    ("https://internal.partner.test/hooks", "resolves to 127.0.0.1, a loopback address"),
    ("https://split.partner.test/hooks", "resolves to 10.1.2.3, a private address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://[fe80::1]/", "fe80::1 is a link-local address"),
    ("http://[64:ff9b::a9fe:a9fe]/", "resolves to 169.254.169.254, a link-local address"),
    ("http://10.0.0.5/", "10.0.0.5 is a private address"),
    ("http://172.16.0.1/", "172.16.0.1 is a private address"),
    ("http://192.168.1.10:8080/", "192.168.1.10 is a private address"),
    ("http://100.64.0.1/", "100.64.0.1 is a private address"),
    ("http://[fd12:3456::1]/", "fd12:3456::1 is a private address"),
    ("http://0.0.0.0/", "0.0.0.0 is an unspecified address"),
    ("http://[::]/", ":: is an unspecified address"),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
    ("http://[ff02::1]/", "ff02::1 is a multicast address"),
    ("http://240.0.0.1/", "240.0.0.1 is a reserved address"),
    ("http://[fec0::1]/", "fec0::1 is a site-local address"),
]


@pytest.fixture
def partner_dns(dns):
    """Partner names: one public, one on loopback, one with a public and a private address."""
    dns.answer("hooks.partner.test", [PUBLIC])
    dns.answer("internal.partner.test", ["127.0.0.1"])
    dns.answer("split.partner.test", [PUBLIC, "10.1.2.3"])
    return dns


@pytest.fixture
def csrf_editor(editor) -> AdminSession:
    """A browser-like session: logged in, and every POST must carry the CSRF token."""
    return AdminSession(editor)


def submit(session: AdminSession, url: str, data: dict):
    """GET the admin form, then POST ``data`` with the CSRF token, as the browser would."""
    assert session.get(url).status_code == 200
    return session.post(url, data)


def endpoint_form(url: str, **overrides) -> dict:
    return {"name": "Partner", "url": url, "is_active": "on", **overrides}


# Refused when saved ------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "message"), NON_PUBLIC_URLS)
def test_admin_refuses_non_public_urls(csrf_editor, partner_dns, url, message):
    """Every spelling of a loopback, private or other non-public address is a form error on url."""
    response = submit(
        csrf_editor, reverse("admin:articles_webhookendpoint_add"), endpoint_form(url)
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["url"]
    assert message in errors["url"][0] and REFUSAL in errors["url"][0]
    assert errors["url"][0] in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_admin_refuses_changing_an_endpoint_to_a_private_url(csrf_editor, partner_dns):
    """Editing a saved endpoint to a private address is refused and the stored URL is kept."""
    endpoint = WebhookEndpoint.objects.create(name="Partner", url="https://hooks.partner.test/h")
    change = reverse("admin:articles_webhookendpoint_change", args=[endpoint.pk])

    response = submit(csrf_editor, change, endpoint_form("http://169.254.169.254/"))

    assert response.status_code == 200
    assert "169.254.169.254 is a link-local address" in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.url == "https://hooks.partner.test/h"


def test_admin_saves_a_public_url(csrf_editor, partner_dns, editor):
    """A name that resolves to public addresses only is saved, by the editor."""
    response = submit(
        csrf_editor,
        reverse("admin:articles_webhookendpoint_add"),
        endpoint_form("https://hooks.partner.test/mbc"),
    )

    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.url, endpoint.created_by) == ("https://hooks.partner.test/mbc", editor)


def test_admin_accepts_loopback_when_private_addresses_are_allowed(csrf_editor, allow_private):
    """With DJANGO_WEBHOOK_ALLOW_PRIVATE=1 a developer can register a receiver on loopback."""
    response = submit(
        csrf_editor,
        reverse("admin:articles_webhookendpoint_add"),
        endpoint_form("http://localhost:9000/hooks"),
    )

    assert response.status_code == 302
    assert WebhookEndpoint.objects.get().url == "http://localhost:9000/hooks"


def test_metadata_address_is_refused_even_when_private_addresses_are_allowed(allow_private):
    """Link-local addresses (cloud metadata) stay refused in development too."""
    endpoint = WebhookEndpoint(name="Metadata", url="http://169.254.169.254/latest/meta-data/")
    with pytest.raises(ValidationError) as raised:
        services.save_webhook_endpoint(endpoint=endpoint, user=None)
    assert "link-local" in raised.value.message_dict["url"][0]
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("url", ["http://127.1/", "https://internal.partner.test/"])
def test_model_and_service_refuse_non_public_urls(partner_dns, editor, url):
    """full_clean() and the save service refuse the URL too, so no other path can save it."""
    with pytest.raises(ValidationError) as raised:
        WebhookEndpoint(name="Partner", url=url).full_clean()
    assert any(REFUSAL in message for message in raised.value.message_dict["url"])
    with pytest.raises(ValidationError):
        endpoint = WebhookEndpoint(name="Partner", url=url)
        services.save_webhook_endpoint(endpoint=endpoint, user=editor)
    assert not WebhookEndpoint.objects.exists()


def test_name_that_does_not_resolve_yet_is_accepted(dns, editor):
    """A name with no address yet is saved; each delivery resolves and checks it again."""
    dns.answer("new.partner.test", [])
    endpoint = services.save_webhook_endpoint(
        endpoint=WebhookEndpoint(name="New", url="https://new.partner.test/hooks"), user=editor
    )
    assert endpoint.pk is not None and endpoint.created_by == editor


# Refused again at delivery -----------------------------------------------------------------------


@pytest.fixture
def production_receiver(settings):
    """The loopback receiver, with private addresses refused as in production."""
    settings.WEBHOOK_ALLOW_PRIVATE = False
    server = Receiver().start()
    yield server
    server.stop()


def deliver_once() -> str:
    out = io.StringIO()
    call_command("deliver_webhooks", stdout=out)
    return out.getvalue().strip()


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "0x7f000001", "[::ffff:127.0.0.1]", "internal.partner.test"]
)
def test_private_url_in_the_database_is_refused_at_delivery(
    live_article, editor, production_receiver, partner_dns, host
):
    """A stored loopback URL (saved past validation) is never connected to: a failed attempt."""
    WebhookEndpoint.objects.create(name="Sneaky", url=production_receiver.url_for(host))
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")

    assert deliver_once() == "1 sent: 0 succeeded, 1 to retry, 0 failed."

    assert production_receiver.connections == 0
    assert production_receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert "Not sent" in attempt.error and "loopback" in attempt.error and REFUSAL in attempt.error
    assert delivery.last_error == attempt.error
    assert delivery.status == WebhookDelivery.Status.PENDING


def test_dns_rebinding_after_saving_is_refused_at_delivery(
    live_article, editor, production_receiver, dns
):
    """A name that was public when saved and points at loopback at delivery time is refused."""
    dns.answer("rebind.partner.test", [PUBLIC], ["127.0.0.1"])
    endpoint = services.save_webhook_endpoint(
        endpoint=WebhookEndpoint(
            name="Rebind", url=production_receiver.url_for("rebind.partner.test")
        ),
        user=editor,
    )
    assert endpoint.pk is not None
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")

    webhooks.deliver_due()

    assert production_receiver.connections == 0
    assert "rebind.partner.test resolves to 127.0.0.1, a loopback address" in (
        WebhookAttempt.objects.get().error
    )


def test_every_resolved_address_is_checked(live_article, editor, production_receiver, dns):
    """One non-public address among the answers refuses the delivery, whatever the order."""
    dns.answer("mixed.partner.test", [PUBLIC, "127.0.0.1"])
    WebhookEndpoint.objects.create(
        name="Mixed", url=production_receiver.url_for("mixed.partner.test")
    )
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")

    webhooks.deliver_due()

    assert production_receiver.connections == 0
    assert "127.0.0.1, a loopback address" in WebhookAttempt.objects.get().error


def test_metadata_address_is_refused_at_delivery_even_when_private_is_allowed(
    live_article, editor, allow_private, monkeypatch
):
    """169.254.169.254 is refused at delivery in development too, before any connection."""
    monkeypatch.setattr(webhooks, "TIMEOUT", 0.5)
    WebhookEndpoint.objects.create(name="Metadata", url="http://169.254.169.254/latest/meta-data/")
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")

    webhooks.deliver_due()

    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert "Not sent: 169.254.169.254 is a link-local address" in attempt.error


def test_allowed_private_delivery_connects_to_the_checked_address(
    live_article, editor, receiver, dns
):
    """The name is resolved once; the POST goes to that address with the original Host header.

    The DNS answers loopback first and then 127.0.0.2, where nothing listens: resolving again to
    connect would be refused.
    """
    dns.answer("hooks.partner.test", ["127.0.0.1"], ["127.0.0.2"])
    WebhookEndpoint.objects.create(name="Dev", url=receiver.url_for("hooks.partner.test"))
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")

    assert webhooks.deliver_due().succeeded == 1

    (request,) = receiver.requests
    assert request.headers["Host"] == f"hooks.partner.test:{receiver.port}"
    assert request.path == "/hooks/mbc"
    assert dns.lookups["hooks.partner.test"] == 1


# HTTPS: the pinned address, with SNI and the certificate checked for the URL's host name ---------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for hooks.partner.test, made with the openssl command."""
    directory = tmp_path_factory.mktemp("tls")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "2", "-subj", "/CN=hooks.partner.test",
            "-addext", "subjectAltName=DNS:hooks.partner.test",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_receiver(certificate, allow_private, monkeypatch):
    """An HTTPS receiver on loopback whose certificate the delivery trusts (SSL_CERT_FILE)."""
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    server = Receiver(tls=context).start()
    yield server
    server.stop()


def test_https_delivery_checks_the_certificate_of_the_original_host(
    live_article, editor, tls_receiver, dns
):
    """Over HTTPS the pinned connection sends SNI and checks the certificate for the URL's name."""
    dns.answer("hooks.partner.test", ["127.0.0.1"], ["127.0.0.2"])
    WebhookEndpoint.objects.create(name="TLS", url=tls_receiver.url_for("hooks.partner.test"))
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")

    assert webhooks.deliver_due().succeeded == 1

    assert tls_receiver.server_names == ["hooks.partner.test"]
    (request,) = tls_receiver.requests
    assert request.headers["Host"] == f"hooks.partner.test:{tls_receiver.port}"


def test_https_delivery_refuses_a_certificate_for_another_name(
    live_article, editor, tls_receiver, dns
):
    """A server whose certificate does not name the URL's host is refused, request unsent."""
    dns.answer("other.partner.test", ["127.0.0.1"])
    WebhookEndpoint.objects.create(name="Wrong", url=tls_receiver.url_for("other.partner.test"))
    workflow.unpublish(article=live_article, user=editor, reason="Withdrawn.")

    assert webhooks.deliver_due().retrying == 1

    assert tls_receiver.requests == []
    assert "CERTIFICATE_VERIFY_FAILED" in WebhookAttempt.objects.get().error


# The development switch --------------------------------------------------------------------------


def test_allow_private_is_read_from_the_environment_and_off_by_default():
    """DJANGO_WEBHOOK_ALLOW_PRIVATE=1 switches the allowance on; without it, it is off."""

    def allowed(**env: str) -> str:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        result = subprocess.run(
            [sys.executable, "-c", "from django.conf import settings as s; "
             "print(s.WEBHOOK_ALLOW_PRIVATE)"],
            cwd=Path(__file__).resolve().parents[2],
            env={**clean, "DJANGO_SETTINGS_MODULE": "mbc_cms.settings", "DJANGO_DEBUG": "1", **env},
            capture_output=True,
            text=True,
            timeout=60,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert allowed() == "False"
    assert allowed(DJANGO_WEBHOOK_ALLOW_PRIVATE="1") == "True"
