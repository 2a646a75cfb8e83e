"""Reads from PostgreSQL replicas, writes (and what follows them) on the primary.

``DATABASE_REPLICA_URLS`` names the replicas; settings add them to ``DATABASES`` as
``replica_0``, ``replica_1``, ... and list them in ``DATABASE_REPLICAS``. Without any, every
query goes to ``default`` and this router changes nothing.

In a request with a safe method (GET, HEAD, OPTIONS), a read goes to a replica chosen at
random unless the request is *pinned to the primary*:

- the request's method is unsafe (POST, PUT, PATCH, DELETE): everything it reads, including
  the checks before its first write, comes from the primary it writes to;
- the request has already written (any ``db_for_write`` pins it), so a read after a write in
  the same request sees that write and never a lagging replica;
- the read runs inside a transaction on the primary, which must see its own changes.

The pin lives in a context variable that ``PrimaryPinningMiddleware`` opens for each request
and closes after it. Outside a request (migrations, management commands, the webhook worker)
everything stays on the primary: replicas serve the web's reads, and a worker must never act
on a lagging copy.
"""

import contextlib
import random
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_pinned_to_primary: ContextVar[bool] = ContextVar("pinned_to_primary", default=True)


def pin_to_primary() -> None:
    _pinned_to_primary.set(True)


def is_pinned_to_primary() -> bool:
    return _pinned_to_primary.get()


@contextlib.contextmanager
def primary_pinning_scope(*, pinned: bool) -> Iterator[None]:
    """One request's worth of pinning: starts as ``pinned`` and forgets it at the end."""
    token = _pinned_to_primary.set(pinned)
    try:
        yield
    finally:
        _pinned_to_primary.reset(token)


class PrimaryPinningMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with primary_pinning_scope(pinned=request.method not in SAFE_METHODS):
            return self.get_response(request)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = settings.DATABASE_REPLICAS
        if not replicas or is_pinned_to_primary() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        pin_to_primary()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the same rows as the primary: objects from any of them may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
