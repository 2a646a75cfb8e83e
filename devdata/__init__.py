"""Synthetic data for benchmarks and tests (``manage.py seed_synthetic``).

Installed only where asked for (``EVENTSAPI_DEVDATA=true``, or ``DEBUG``): production
settings leave it out, so its command and generator do not ship there.
"""
