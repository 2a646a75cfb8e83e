"""Settings for eventsapi, read from the environment.

The variables (all optional; see README "Configuration"):

- ``DEBUG``: ``true`` for development. Off by default.
- ``SECRET_KEY``: required in production. Without it and with DEBUG off, a random
  key is generated once into ``var/secret_key`` and a warning is printed.
- ``ALLOWED_HOSTS``: comma-separated. Defaults to the loopback names only.
- ``CSRF_TRUSTED_ORIGINS``: comma-separated origins for the browsable API behind a proxy.
- ``DATABASE_URL``: ``postgres://...`` for PostgreSQL; default a SQLite file in ``var/``.
- ``PG_MAX_PARALLEL_WORKERS_PER_GATHER`` (0): PostgreSQL parallel query for the API's
  connections; empty leaves the server's setting.
- ``DATABASE_REPLICA_URLS``: comma-separated ``postgres://...`` read replicas of the primary;
  reads go to them except within a request that writes (``eventsapi.db_router``).
- ``EVENTSAPI_PUBLIC_READ``: ``false`` makes every read require authentication.
- ``EVENTSAPI_DEVDATA`` (default: ``DEBUG``): ``true`` installs ``devdata`` (``manage.py
  seed_synthetic``) for tests and benchmarks; production leaves it out.
- ``EVENTSAPI_TOKEN_TTL_HOURS``: lifetime of API tokens (default 240 hours).
- ``EVENTSAPI_PUBLISHER_NAME``, ``EVENTSAPI_PUBLISHER_URL``: the author of ClaimReview documents.
- ``EVENTSAPI_REQUIRE_IF_MATCH``: ``true`` makes writes without If-Match a 428.
- ``EVENTSAPI_MAX_BODY_BYTES``: request bodies above this size get 413 (default 1 MiB).
- ``EVENTSAPI_BUNDLE_MAX_OPERATIONS``: the most operations one bundle may hold (default 1000).
- ``EVENTSAPI_DRAFT_MAX_CHARS``: the longest article text a draft takes (default 100000
  characters; a page's HTML may be ten times that); longer is a 413.
- ``EVENTSAPI_DRAFT_FUZZY_MATCH_MS``: the time a draft may spend matching misspelt speaker
  names (default 100), the most quoted first; past it, speakers are matched by exact name only,
  with a warning.
- ``EVENTSAPI_KEEP_SOURCE_TEXT``: ``true`` keeps a committed draft's full text on its source
  (default ``false``: only the statements' spans are kept).
- ``EVENTSAPI_MATCH_SAME_ACTORS``, ``EVENTSAPI_MATCH_SIMILAR_ACTORS``, ``EVENTSAPI_MATCH_SAME_STATEMENTS``,
  ``EVENTSAPI_MATCH_SIMILAR_STATEMENTS``: matching thresholds (defaults in matching/thresholds.py).
- ``EVENTSAPI_MATCH_QUERY_MS``: the most one matching query may take on PostgreSQL (default 1000).
- ``REDIS_URL``: Redis for the cache and throttling, shared by every process; default a
  per-process memory cache.
- ``EVENTSAPI_THROTTLE_ANON``, ``EVENTSAPI_THROTTLE_USER``: request rates per anonymous client
  (by IP) and per user, e.g. ``1000/minute`` and ``5000/minute`` (the defaults).
- ``EVENTSAPI_HTTPS``: ``true`` behind TLS: secure cookies, HSTS, HTTPS redirect.
- ``LOG_FORMAT``: ``json`` (the default with DEBUG off) or ``text``; ``LOG_LEVEL`` (``INFO``).
- ``PROMETHEUS_MULTIPROC_DIR``: where gunicorn workers share their metrics (set by
  ``gunicorn.conf.py``; see README "Running in production").
"""

import os
import secrets
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from eventsapi.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("EVENTSAPI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if DEBUG:
        return "django-insecure-development-only-key"
    # Never fall back to a known key outside DEBUG: generate one per installation and say so.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    warnings.warn(
        f"SECRET_KEY is not set; using the generated key in {key_file}. "
        "Set SECRET_KEY in production so every server shares one key.",
        stacklevel=1,
    )
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] + (["testserver"] if DEBUG else [])
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "simple_history",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_prometheus",
    "eventsapi",
    "events",
    "claims",
    "changes",
    "matching",
    "bundles",
    "datasets",
    "drafts",
    "workbench",
    "django.contrib.postgres",  # trigram lookups for matching (used on PostgreSQL only)
]
# seed_synthetic and its generator (devdata/): for development, tests and benchmarks only.
EVENTSAPI_DEVDATA = env_bool("EVENTSAPI_DEVDATA", DEBUG)
if EVENTSAPI_DEVDATA:
    INSTALLED_APPS.append("devdata")

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "eventsapi.request_id.RequestIdMiddleware",
    "eventsapi.query_string.QueryStringMiddleware",
    "eventsapi.db_router.PrimaryPinningMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "eventsapi.api.problems.ProblemContentTypeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "eventsapi.idempotency.IdempotencyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "eventsapi.urls"
# `manage.py loaddata panjshir` finds fixtures/panjshir.json by name.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
WSGI_APPLICATION = "eventsapi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "eventsapi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database(url: str) -> dict:
    database = dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN so
        # concurrent writers wait (up to the timeout) instead of failing with "database is locked".
        database["CONN_MAX_AGE"] = 0
        database["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    elif database["ENGINE"] == "django.db.backends.postgresql":
        database["CONN_HEALTH_CHECKS"] = True
        # Parallel workers multiply one request's CPU, which an API serving many requests at
        # once on a few cores does not have to spare: off by default (bench/RESULTS.md).
        workers = os.environ.get("PG_MAX_PARALLEL_WORKERS_PER_GATHER", "0")
        if workers != "":
            options = database.setdefault("OPTIONS", {})
            setting = f"-c max_parallel_workers_per_gather={int(workers)}"
            options["options"] = f"{options['options']} {setting}" if options.get("options") else setting
    else:
        raise ImproperlyConfigured("DATABASE_URL must be a sqlite:// or postgres:// URL")
    return database


def _databases() -> dict:
    url = os.environ.get("DATABASE_URL")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
    databases = {"default": _database(url)}
    for index, replica_url in enumerate(env_list("DATABASE_REPLICA_URLS", [])):
        replica = _database(replica_url)
        if replica["ENGINE"] != databases["default"]["ENGINE"]:
            raise ImproperlyConfigured("DATABASE_REPLICA_URLS must use the engine of DATABASE_URL")
        # Under test a replica is the primary itself: no second test database to keep in step.
        replica["TEST"] = {"MIRROR": "default"}
        databases[f"replica_{index}"] = replica
    return databases


DATABASES = _databases()
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["eventsapi.db_router.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Plain storage (no manifest) so the server works whether or not collectstatic has run.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the apps' static folders when collectstatic has not been run.
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "rest_framework:login"
LOGIN_REDIRECT_URL = "/api/v1/"

# Security headers; the HTTPS-only ones are switched on by EVENTSAPI_HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
HTTPS = env_bool("EVENTSAPI_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("EVENTSAPI_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "eventsapi"}
    )
}

EVENTSAPI_PUBLIC_READ = env_bool("EVENTSAPI_PUBLIC_READ", True)
EVENTSAPI_MAX_PAGE_SIZE = 500
EVENTSAPI_REQUIRE_IF_MATCH = env_bool("EVENTSAPI_REQUIRE_IF_MATCH", False)
# Request bodies above this many bytes get 413 (Django's own limit, documented in the README).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("EVENTSAPI_MAX_BODY_BYTES", 1024 * 1024))
# Matching thresholds per kind (matching/thresholds.py has the measured defaults): at or above
# "same" a match is certain; from "similar" up to it, a person confirms.
from matching.thresholds import DEFAULT_SAME, DEFAULT_SIMILAR  # noqa: E402

EVENTSAPI_MATCH_SAME = {
    kind: float(os.environ.get(f"EVENTSAPI_MATCH_SAME_{kind.upper()}", value))
    for kind, value in DEFAULT_SAME.items()
}
EVENTSAPI_MATCH_SIMILAR = {
    kind: float(os.environ.get(f"EVENTSAPI_MATCH_SIMILAR_{kind.upper()}", value))
    for kind, value in DEFAULT_SIMILAR.items()
}
# The most one matching query may take on PostgreSQL; past it the query is cancelled and the
# answer holds the candidates found by the others.
EVENTSAPI_MATCH_QUERY_MS = int(os.environ.get("EVENTSAPI_MATCH_QUERY_MS", 1000))
# The most operations one POST /api/v1/bundles/ may hold; more is a 413.
EVENTSAPI_BUNDLE_MAX_OPERATIONS = int(os.environ.get("EVENTSAPI_BUNDLE_MAX_OPERATIONS", 1000))
# The longest article text POST /api/v1/drafts/ takes; longer is a 413 naming the field.
EVENTSAPI_DRAFT_MAX_CHARS = int(os.environ.get("EVENTSAPI_DRAFT_MAX_CHARS", 100_000))
# Whether a draft's commit keeps the article's full text on its source (spans are always kept).
EVENTSAPI_KEEP_SOURCE_TEXT = env_bool("EVENTSAPI_KEEP_SOURCE_TEXT", False)
# The time one draft may spend on trigram matching of speakers no exact name finds; the rest are
# matched by exact name only, and the draft says so in its warnings.
EVENTSAPI_DRAFT_FUZZY_MATCH_MS = int(os.environ.get("EVENTSAPI_DRAFT_FUZZY_MATCH_MS", 100))
# ACLED has no public page per event: its records' sources are given this address, with the
# event's id (datasets.acled).
EVENTSAPI_ACLED_RECORD_URL = os.environ.get(
    "EVENTSAPI_ACLED_RECORD_URL", "https://acleddata.com/data-export-tool/?event_id_cnty={id}"
)
# UCDP GED's page of each event.
EVENTSAPI_UCDP_RECORD_URL = os.environ.get("EVENTSAPI_UCDP_RECORD_URL", "https://ucdp.uu.se/event/{id}")

# The organisation named as author of ClaimReview documents.
EVENTSAPI_PUBLISHER_NAME = os.environ.get("EVENTSAPI_PUBLISHER_NAME", "eventsapi")
EVENTSAPI_PUBLISHER_URL = os.environ.get("EVENTSAPI_PUBLISHER_URL", "http://localhost:8000/")

EVENTSAPI_WEBHOOK_ALLOW_PRIVATE = env_bool("EVENTSAPI_WEBHOOK_ALLOW_PRIVATE", False)
EVENTSAPI_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("EVENTSAPI_WEBHOOK_TIMEOUT_SECONDS", "10"))
EVENTSAPI_WEBHOOK_MAX_FAILURES = int(os.environ.get("EVENTSAPI_WEBHOOK_MAX_FAILURES", "8"))
EVENTSAPI_WEBHOOK_BACKOFF_BASE_SECONDS = float(os.environ.get("EVENTSAPI_WEBHOOK_BACKOFF_BASE_SECONDS", "30"))
EVENTSAPI_WEBHOOK_BACKOFF_MAX_SECONDS = float(os.environ.get("EVENTSAPI_WEBHOOK_BACKOFF_MAX_SECONDS", "3600"))
EVENTSAPI_WEBHOOK_LEASE_SECONDS = float(os.environ.get("EVENTSAPI_WEBHOOK_LEASE_SECONDS", "60"))
if EVENTSAPI_WEBHOOK_LEASE_SECONDS <= EVENTSAPI_WEBHOOK_TIMEOUT_SECONDS:
    # A lease shorter than one POST would let a second worker deliver while the first waits.
    raise ImproperlyConfigured(
        "EVENTSAPI_WEBHOOK_LEASE_SECONDS must be more than EVENTSAPI_WEBHOOK_TIMEOUT_SECONDS"
    )

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "eventsapi.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["eventsapi.api.permissions.EditorWriteOrPublicRead"],
    "DEFAULT_PAGINATION_CLASS": "eventsapi.api.pagination.StableCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "eventsapi.api.ordering.StrictOrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "eventsapi.api.parsers.JSONParser",
        "eventsapi.api.parsers.FormParser",
        "eventsapi.api.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("EVENTSAPI_THROTTLE_ANON", "1000/minute"),
        "user": os.environ.get("EVENTSAPI_THROTTLE_USER", "5000/minute"),
    },
    "EXCEPTION_HANDLER": "eventsapi.api.problems.problem_exception_handler",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "eventsapi.api.negotiation.StrictContentNegotiation",
    "DEFAULT_SCHEMA_CLASS": "eventsapi.api.schema.ProblemAutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "DATETIME_FORMAT": "iso-8601",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=int(os.environ.get("EVENTSAPI_TOKEN_TTL_HOURS", "240"))),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "eventsapi",
    "DESCRIPTION": (
        "Structured, verifiable news events: events, actors, places, statements and sources, "
        "with conflicting claims, stances and reviewer verdicts. Errors are RFC 9457 problem "
        "documents (application/problem+json)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Clients send JSON; the form parsers serve the browsable API's HTML forms only.
    "PARSER_WHITELIST": ["eventsapi.api.parsers.JSONParser"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "VerificationStatusEnum": "eventsapi.choices.VerificationStatus",
        "StanceEnum": "claims.models.Stance",
        "EventTypeEnum": "events.models.EventType",
        "DatePrecisionEnum": "events.models.DatePrecision",
        "PlaceKindEnum": "events.models.PlaceKind",
        "ActorKindEnum": "events.models.ActorKind",
        "ParticipantRoleEnum": "events.models.ParticipantRole",
        "SourceKindEnum": "claims.models.SourceKind",
        "ChangeActionEnum": "eventsapi.history.ChangeAction",
        "ChangeResourceEnum": "changes.models.ChangeResource",
        "TimelineEntryTypeEnum": "claims.api.serializers.TIMELINE_ENTRY_TYPES",
        "ReviewableResourceEnum": "bundles.api.serializers.REVIEWABLE_CHOICES",
        "BundleResultStatusEnum": "bundles.api.serializers.RESULT_STATUSES",
        "SubEventTypeEnum": "events.models.SubEventType",
    },
    "ENUM_GENERATE_CHOICE_DESCRIPTION": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "eventsapi.api.schema.postprocess_schema",
    ],
}

# JSON lines (or text with DEBUG), each with its request id; shared with gunicorn.conf.py.
LOGGING = logging_config()
