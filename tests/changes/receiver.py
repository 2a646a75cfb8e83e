"""A webhook receiver on 127.0.0.1 for the delivery tests, verifying as a real one should.

It checks each POST's signature and timestamp the way the README tells receivers to, and
records what arrived. ``answer`` decides the HTTP status of each request (after the
signature check); ``delay`` slows every answer so concurrent deliveries can overlap.
"""

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_AGE_SECONDS = 300


def verify(secret: str, headers, body: bytes) -> bool:
    """What a receiver does: recompute the signature, compare in constant time, reject old ones."""
    timestamp = headers.get("X-Eventsapi-Timestamp", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_AGE_SECONDS:
        return False
    expected = (
        "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    )
    return hmac.compare_digest(expected, headers.get("X-Eventsapi-Signature", ""))


@dataclass
class Received:
    webhook: str
    change: dict
    delivery_id: str
    signed: bool
    status: int


@dataclass
class Receiver:
    secrets: dict[str, str]  # webhook id -> secret
    answer: Callable[[dict], int] = lambda change: 200
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    overlaps: list[tuple[str, int]] = field(default_factory=list)
    url: str = ""

    def __post_init__(self):
        self._lock = threading.Lock()
        self._in_flight: set[tuple[str, int]] = set()

    def accepted(self, webhook: str | None = None) -> list[int]:
        """The seqs answered with 2xx, in arrival order."""
        return [
            item.change["seq"]
            for item in self.received
            if 200 <= item.status < 300 and (webhook is None or item.webhook == webhook)
        ]

    def handle(self, headers, body: bytes) -> int:
        payload = json.loads(body)
        webhook, change = payload["webhook"], payload["change"]
        signed = verify(self.secrets.get(webhook, ""), headers, body)
        key = (webhook, change["seq"])
        with self._lock:
            if key in self._in_flight:
                self.overlaps.append(key)
            self._in_flight.add(key)
        try:
            time.sleep(self.delay)
            status = self.answer(change) if signed else 401
        finally:
            with self._lock:
                self._in_flight.discard(key)
                self.received.append(
                    Received(webhook, change, headers["X-Eventsapi-Delivery"], signed, status)
                )
        return status


def serve(receiver: Receiver):
    """Start ``receiver`` on a free port of 127.0.0.1; returns the server (shut it down after)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status = receiver.handle(self.headers, body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/eventsapi"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
