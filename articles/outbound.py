"""Outbound HTTP to addresses that editors type (webhook endpoints): public internet only.

An endpoint URL could point the server at itself or at its private network (server-side request
forgery): ``http://127.1/``, ``http://0x7f000001/``, ``http://[::ffff:127.0.0.1]/``, a name that
resolves to 10.0.0.5, the cloud metadata service at 169.254.169.254. :func:`resolve` asks the
operating system what the host means, with the same ``getaddrinfo`` call a connection would make,
so every spelling the system accepts is judged by the address it stands for; any address that is
not public refuses the whole URL. :meth:`Destination.connection` then connects to exactly those
checked addresses and never resolves the name again, so a DNS answer that changes between the
check and the connection (DNS rebinding) cannot move the request. The name still goes in the
Host header and, over HTTPS, in SNI and the certificate check.

``settings.WEBHOOK_ALLOW_PRIVATE`` (``DJANGO_WEBHOOK_ALLOW_PRIVATE=1``) lets loopback and private
addresses through, for receivers on a developer's machine and in tests. Link-local (where cloud
metadata services answer), multicast, reserved and unspecified addresses stay refused.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_PORTS = {"http": 80, "https": 443}
POLICY = "webhooks are only sent to public internet addresses"
# Kinds of address that DJANGO_WEBHOOK_ALLOW_PRIVATE lets through.
PRIVATE_KINDS = frozenset({"loopback", "private"})
# IPv6 addresses that carry an IPv4 address a gateway will connect to (RFC 6052).
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class RefusedDestination(Exception):
    """The URL names, or resolves to, an address we must not send to; the message says which."""


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (IPv4-mapped, 6to4, NAT64), if any."""
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
    return None


def address_kind(address: IPAddress) -> str | None:
    """What kind of non-public address this is (``"loopback"``, ``"private"``…); None if public.

    "private" covers every other range not routed on the internet: RFC 1918, unique-local
    IPv6, carrier-grade NAT (100.64.0.0/10), documentation and benchmarking ranges.
    """
    address = embedded_ipv4(address) or address
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.version == 6 and address.is_site_local:
        return "site-local"
    if address.is_reserved:
        return "reserved"
    if not address.is_global:
        return "private"
    return None


def is_localhost_name(host: str) -> bool:
    """``localhost`` and names under it always mean this machine (RFC 6761), whatever DNS says."""
    name = host.rstrip(".").lower()
    return name == "localhost" or name.endswith(".localhost")


def _refusal(host: str, address: IPAddress, kind: str) -> str:
    shown = embedded_ipv4(address) or address
    article = "an" if kind[0] in "aeiou" else "a"
    if host == str(shown):
        return f"{host} is {article} {kind} address: {POLICY}."
    return f"{host} resolves to {shown}, {article} {kind} address: {POLICY}."


def _addresses(host: str, port: int) -> tuple[IPAddress, ...]:
    """Every address the system resolves ``host`` to, in its order of preference, once each."""
    try:
        return (ipaddress.ip_address(host),)
    except ValueError:
        pass
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise socket.gaierror(error.errno, f"{host} does not resolve: {error.strerror}") from error
    return tuple(dict.fromkeys(ipaddress.ip_address(answer[4][0]) for answer in answers))


@dataclass(frozen=True)
class Destination:
    """A URL and the addresses its host resolved to, every one of them checked."""

    url: SplitResult
    port: int
    addresses: tuple[IPAddress, ...]

    @property
    def target(self) -> str:
        """The request target: the URL's path and query."""
        path = self.url.path or "/"
        return f"{path}?{self.url.query}" if self.url.query else path

    def connection(self, *, timeout: float) -> http.client.HTTPConnection:
        """An HTTP(S) connection, not yet open, that will go to the checked addresses only."""
        connection: PinnedHTTPConnection
        if self.url.scheme == "https":
            connection = PinnedHTTPSConnection(
                self.url.hostname, self.port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            connection = PinnedHTTPConnection(self.url.hostname, self.port, timeout=timeout)
        connection.addresses = self.addresses
        return connection


def resolve(url: str, *, allow_private: bool | None = None) -> Destination:
    """Resolve ``url``'s host once and check every address it resolves to.

    Raises :class:`RefusedDestination` when the host is, or resolves to, an address that is not
    public (loopback and private ones pass when ``allow_private``, by default
    ``settings.WEBHOOK_ALLOW_PRIVATE``); ``OSError`` when the name does not resolve; ``ValueError``
    for a URL that is not http(s) with a host and a valid port.
    """
    if allow_private is None:
        allow_private = settings.WEBHOOK_ALLOW_PRIVATE
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError("Only http and https URLs with a host name are allowed.")
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    host = parts.hostname
    if is_localhost_name(host) and not allow_private:
        raise RefusedDestination(f"{host} is a loopback name: {POLICY}.")
    addresses = _addresses(host, port)
    for address in addresses:
        kind = address_kind(address)
        if kind is not None and not (allow_private and kind in PRIVATE_KINDS):
            raise RefusedDestination(_refusal(host, address, kind))
    return Destination(url=parts, port=port, addresses=addresses)


def validate_public_url(url: str) -> None:
    """Refuse a URL whose host is, or resolves to, an address that is not public.

    A name that does not resolve (yet) passes: every delivery resolves and checks it again. A
    malformed URL passes too, for the URL validator to name what is wrong with it.
    """
    if not url:
        return
    try:
        resolve(url)
    except RefusedDestination as refusal:
        raise ValidationError(str(refusal), code="non_public_address") from refusal
    except (OSError, ValueError):
        return


def _connect_first(
    addresses: tuple[IPAddress, ...],
    port: int,
    timeout: float | None,
    source_address: tuple[str, int] | None,
) -> socket.socket:
    """A TCP connection to the first of ``addresses`` that accepts one."""
    failures: list[OSError] = []
    for address in addresses:
        try:
            return socket.create_connection((str(address), port), timeout, source_address)
        except OSError as failure:
            failures.append(failure)
    raise failures[-1] if failures else OSError("No checked address to connect to.")


class PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to addresses checked beforehand.

    ``host`` still names the server in the Host header but is never resolved again: ``connect``
    tries ``addresses`` in turn. Set ``addresses`` before the first request.
    """

    addresses: tuple[IPAddress, ...] = ()

    def connect(self) -> None:
        self.sock = _connect_first(self.addresses, self.port, self.timeout, self.source_address)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class PinnedHTTPSConnection(http.client.HTTPSConnection, PinnedHTTPConnection):
    """HTTPS to addresses checked beforehand, with SNI and the certificate checked for ``host``.

    ``HTTPSConnection.connect`` opens the TCP connection with ``super().connect()``, which in this
    class order is :meth:`PinnedHTTPConnection.connect`, then wraps it in TLS for ``self.host``.
    """
