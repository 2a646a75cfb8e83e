"""Fixtures for the change feed and webhook tests."""

import pytest

from tests.changes.receiver import Receiver, serve


@pytest.fixture(autouse=True)
def _webhooks_may_reach_this_machine(settings):
    """The receivers listen on 127.0.0.1, which production refuses."""
    settings.EVENTSAPI_WEBHOOK_ALLOW_PRIVATE = True
    settings.EVENTSAPI_WEBHOOK_TIMEOUT_SECONDS = 5
    settings.EVENTSAPI_WEBHOOK_BACKOFF_BASE_SECONDS = 0.05
    settings.EVENTSAPI_WEBHOOK_BACKOFF_MAX_SECONDS = 0.2


@pytest.fixture
def receiver():
    """A receiver on 127.0.0.1; tests fill in ``secrets`` and may change ``answer``."""
    listening = Receiver(secrets={})
    server = serve(listening)
    yield listening
    server.shutdown()
    server.server_close()
