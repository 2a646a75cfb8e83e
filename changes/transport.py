"""Sending one webhook delivery: the target's address check, the signature, the HTTP POST.

A delivery is a JSON POST signed with HMAC-SHA256 over ``f"{timestamp}.{body}"``:

- ``X-Eventsapi-Timestamp``: Unix seconds when the attempt was made;
- ``X-Eventsapi-Signature``: ``sha256=<hex digest>`` with the webhook's secret as key;
- ``X-Eventsapi-Delivery``: a UUID per attempt (also in the delivery log).

The target host is resolved once per attempt, every address is checked (loopback,
link-local, private, reserved and multicast addresses are refused unless
``EVENTSAPI_WEBHOOK_ALLOW_PRIVATE``), and the connection goes to the checked address, so
a DNS answer that changes between the check and the connect cannot reach inside the
network. Redirects are not followed: a 3xx is a failed delivery.
"""

import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

SIGNATURE_HEADER = "X-Eventsapi-Signature"
TIMESTAMP_HEADER = "X-Eventsapi-Timestamp"
DELIVERY_HEADER = "X-Eventsapi-Delivery"
USER_AGENT = "eventsapi-webhooks/1"


class TargetRefused(Exception):
    """The target URL is not one deliveries may go to."""


@dataclass
class Outcome:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-Eventsapi-Signature`` value for ``body`` sent at ``timestamp``."""
    message = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _forbidden(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
        or not address.is_global
    )


def resolve_target(url: str) -> tuple[str, int, list[str]]:
    """Check ``url`` and resolve its host: ``(host, port, addresses)``, or ``TargetRefused``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise TargetRefused("The target must be an http or https URL.")
    if not parts.hostname:
        raise TargetRefused("The target URL has no host.")
    if parts.username or parts.password:
        raise TargetRefused("Put no credentials in the target URL; verify the signature instead.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise TargetRefused("The target URL has an invalid port.") from error
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise TargetRefused(f"The host {parts.hostname} cannot be resolved.") from error
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not settings.EVENTSAPI_WEBHOOK_ALLOW_PRIVATE:
        refused = [address for address in addresses if _forbidden(ipaddress.ip_address(address))]
        if refused:
            raise TargetRefused(
                f"The host {parts.hostname} resolves to a loopback, link-local, private or "
                f"reserved address ({refused[0]}); webhooks may only reach public addresses."
            )
    return parts.hostname, port, addresses


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an address checked beforehand, while naming the host in ``Host``."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = 443

    def connect(self):
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def post(*, url: str, secret: str, body: bytes, delivery_id: str, timeout: float) -> Outcome:
    """POST ``body`` to ``url``, signed; never raises for network or HTTP failures."""
    started = time.monotonic()

    def outcome(status_code: int | None, error: str = "") -> Outcome:
        return Outcome(status_code, error[:2000], int((time.monotonic() - started) * 1000))

    try:
        host, port, addresses = resolve_target(url)
    except TargetRefused as error:
        return outcome(None, f"refused: {error}")
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(secret, timestamp, body),
        DELIVERY_HEADER: delivery_id,
    }
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, addresses[0], timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)
    except (OSError, http.client.HTTPException) as error:
        return outcome(None, f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)
    finally:
        connection.close()
    if 200 <= response.status < 300:
        return outcome(response.status)
    return outcome(response.status, f"HTTP {response.status} {response.reason}".strip())
