"""The suite's settings: the project's, with devdata installed (the tests seed synthetic data)."""

import os

os.environ.setdefault("EVENTSAPI_DEVDATA", "true")

from eventsapi.settings import *  # noqa: F403
