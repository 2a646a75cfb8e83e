"""Logging for every process: JSON lines in production, readable text in development.

``LOG_FORMAT`` chooses ``json`` or ``text``; without it, JSON when ``DEBUG`` is off. Every
record carries the request id (``eventsapi.request_id``). The same configuration serves
Django (``settings.LOGGING``) and gunicorn (``logconfig_dict`` in ``gunicorn.conf.py``), whose
access log becomes one JSON object per request with the method, path, status, duration and
the request id echoed in ``X-Request-ID``.

This module imports nothing from Django, so ``gunicorn.conf.py`` can use it before Django starts.
"""

import logging
import os

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as LibraryJsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = ["asctime", "levelname", "name", "message", "request_id"]
JSON_RENAMES = {"asctime": "time", "levelname": "level", "name": "logger"}
# Django attaches the request object to its error records; the request id already names it.
JSON_SKIPPED = [*RESERVED_ATTRS, "request"]

# gunicorn access-log atoms written as fields: {atom: field}.
ACCESS_FIELDS = {
    "m": "method",
    "U": "path",
    "q": "query",
    "s": "status",
    "B": "bytes",
    "M": "duration_ms",
    "h": "remote_addr",
    "a": "user_agent",
    "{x-request-id}o": "request_id",
}


def log_format() -> str:
    chosen = os.environ.get("LOG_FORMAT", "").strip().lower()
    if chosen in {"json", "text"}:
        return chosen
    if chosen:
        raise ValueError(f"LOG_FORMAT must be json or text, not {chosen!r}")
    debug = os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
    return "text" if debug else "json"


class JsonFormatter(LibraryJsonFormatter):
    def __init__(self, **kwargs):
        kwargs.setdefault("rename_fields", JSON_RENAMES)
        kwargs.setdefault("reserved_attrs", JSON_SKIPPED)
        super().__init__(JSON_FIELDS, **kwargs)


class AccessJsonFormatter(JsonFormatter):
    """gunicorn's access records carry the request's atoms as their args: keep them as fields."""

    def add_fields(self, log_data: dict, record: logging.LogRecord, message_dict: dict) -> None:
        super().add_fields(log_data, record, message_dict)
        if isinstance(record.args, dict):
            for atom, field in ACCESS_FIELDS.items():
                value = record.args.get(atom)
                if value not in (None, "-"):
                    log_data[field] = int(value) if field in {"status", "bytes"} else value


def logging_config(level: str | None = None, style: str | None = None) -> dict:
    """A ``logging.config.dictConfig`` dictionary for Django and gunicorn alike."""
    level = level or os.environ.get("LOG_LEVEL", "INFO")
    style = style or log_format()
    json_logs = style == "json"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "eventsapi.request_id.RequestIdLogFilter"}},
        "formatters": {
            "default": {"()": JsonFormatter} if json_logs else {"format": TEXT_FORMAT},
            "access": {"()": AccessJsonFormatter} if json_logs else {"format": "%(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id"],
            },
            "access": {"class": "logging.StreamHandler", "formatter": "access", "filters": ["request_id"]},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            "gunicorn.error": {"handlers": ["console"], "level": level, "propagate": False},
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }
