"""gunicorn.conf.py's worker hook: Django's long-lived objects are frozen out of the GC."""

import gc
import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.fixture
def conf(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTSAPI_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "prometheus"))
    yield runpy.run_path(str(CONF))
    gc.unfreeze()


def test_worker_init_loads_the_views_and_freezes_what_is_loaded(conf):
    gc.unfreeze()

    conf["post_worker_init"](worker=None)

    # Everything alive at start-up is out of the collector's generations, so a full
    # collection during a request no longer walks all of Django.
    assert gc.get_freeze_count() > 10_000


def test_the_freeze_can_be_turned_off(conf, monkeypatch):
    gc.unfreeze()
    monkeypatch.setenv("GUNICORN_GC_FREEZE", "0")

    conf["post_worker_init"](worker=None)

    assert gc.get_freeze_count() == 0


def test_an_app_other_than_django_is_left_alone(conf, monkeypatch):
    # gunicorn reads gunicorn.conf.py from the working folder for any app, the benchmark's
    # floor included, which does not set Django up.
    gc.unfreeze()
    monkeypatch.setattr("django.apps.apps.ready", False)

    conf["post_worker_init"](worker=None)

    assert gc.get_freeze_count() == 0
