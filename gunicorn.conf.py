"""gunicorn settings for `make serve` (production); each can be overridden by the environment.

- ``GUNICORN_BIND`` (``127.0.0.1:8000``): ``0.0.0.0:8000`` when a load balancer on another host
  sends the traffic.
- ``GUNICORN_WORKERS`` (2 x cores + 1, gunicorn's advice for sync workers): each worker is a
  process serving one request at a time per thread.
- ``GUNICORN_THREADS`` (1): threads per worker; raise it for slow clients or slow databases.
  The worker class is ``eventsapi.gunicorn_workers.ProblemWorker``: gunicorn's sync worker with
  one thread, its gthread worker with more (however ``threads`` is given, ``--threads`` too),
  answering the requests gunicorn refuses itself (the limits below, malformed requests) with
  problem documents like the rest of the API rather than gunicorn's HTML page.
- ``GUNICORN_TIMEOUT`` (30 s): a worker silent for longer is killed and replaced, and its request
  fails; keep it above the slowest legitimate request (a large export).
- ``GUNICORN_GRACEFUL_TIMEOUT`` (30 s): on stop or reload, in-flight requests get this long.
- ``GUNICORN_KEEPALIVE`` (5 s): keep it above the load balancer's idle timeout toward the app,
  or the balancer reuses closed connections and answers 502.
- ``GUNICORN_MAX_REQUESTS`` (1000, with jitter): a worker is recycled after that many requests.
- ``GUNICORN_GC_FREEZE`` (1): each worker loads every view at start and freezes what it loaded
  out of the garbage collector (``gc.freeze()``); 0 turns that off.
- ``GUNICORN_LIMIT_REQUEST_LINE`` (8190 bytes, gunicorn's maximum; 0 to 8190): a longer
  request line (method, path and query, version) is a 414. The longest URL the API itself
  hands out is a list's next or previous link, whose cursor (base64 of the UTF-8 JSON of the
  page's edge row's ordering values) is read only up to 6144 characters (``MAX_CURSOR_LENGTH``
  in ``eventsapi/api/pagination.py``). Ordered by the longest title, a source's 500 characters,
  it is about 740 characters in Latin script, 1.4 K in Dari or Pashto, 2.1 K in CJK, 2.8 K
  in emoji and 4.2 K at the very worst (control characters, written as 6-byte escapes), which
  leaves the rest of the line for the path, filters and the other parameters.
- ``GUNICORN_LIMIT_REQUEST_FIELD_SIZE`` (8190 bytes, gunicorn's default): one header field,
  name and value, larger than this is a 431. Tokens, cookies (session and CSRF) and a load
  balancer's ``X-Forwarded-*`` and trace headers take a few hundred bytes; 8 KB is also what
  common proxies (nginx, for one) allow, so nothing they pass on is refused here.
- ``GUNICORN_LIMIT_REQUEST_FIELDS`` (100, gunicorn's default): more header fields than this
  is a 431. Browsers send about 15, a proxy adds a handful; 100 leaves room for both and
  bounds what a client can make a worker parse.
- Access log: one line per request on stdout, JSON (``LOG_FORMAT``) with the method, path,
  status, duration and the request id echoed in ``X-Request-ID``; errors on stderr.
- Metrics: workers are separate processes, so ``/metrics`` (django-prometheus) must add up all
  of them: ``PROMETHEUS_MULTIPROC_DIR`` (default ``var/prometheus``) holds one file per worker,
  emptied when gunicorn starts, and a worker that exits is marked dead. Each gunicorn on one
  machine needs its own directory.
"""

import gc
import multiprocessing
import os
import shutil
from pathlib import Path

from eventsapi.logs import logging_config

VAR_DIR = Path(os.environ.get("EVENTSAPI_VAR_DIR", Path(__file__).resolve().parent / "var"))
# Set before any worker imports prometheus_client, which reads it once.
PROMETHEUS_DIR = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(VAR_DIR / "prometheus")))
# Emptied (files of an earlier run would add stale counts) and created when the master reads
# this file: before the app loads, which with --preload is before any server hook runs.
shutil.rmtree(PROMETHEUS_DIR, ignore_errors=True)
PROMETHEUS_DIR.mkdir(parents=True, exist_ok=True)

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
worker_class = "eventsapi.gunicorn_workers.ProblemWorker"
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", "8190"))
# gunicorn quietly lowers a larger value to 8190: refuse it, so the docstring above stays true.
if not 0 <= limit_request_line <= 8190:
    raise ValueError(f"GUNICORN_LIMIT_REQUEST_LINE must be 0 (no limit) to 8190, not {limit_request_line}.")
limit_request_field_size = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", "8190"))
limit_request_fields = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELDS", "100"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'
logconfig_dict = logging_config()
wsgi_app = "eventsapi.wsgi:application"
# In var/ rather than the home folder, so several gunicorns on one machine do not share it.
control_socket = str(VAR_DIR / "gunicorn.ctl")


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    from django.apps import apps

    # gunicorn reads this file for any app started from this folder (bench/baseline_app.py
    # too): only a Django app has views to load.
    if os.environ.get("GUNICORN_GC_FREEZE", "1") != "1" or not apps.ready:
        return
    # Load the URLconf (and with it every view, serializer and filterset) now, then move
    # everything loaded so far out of the garbage collector's reach: a full collection
    # then scans a request's leftovers rather than all of Django, which had paused a worker
    # for about 60 ms every few dozen requests.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the views)
    from drafts.extraction.language import warm

    warm()  # the language models (about 30 MB), so the first draft a worker serves waits for none
    gc.collect()
    gc.freeze()
