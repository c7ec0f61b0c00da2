"""Log lines as operators read them: one JSON object per line on stderr, each naming its service
and, when known, the request it serves, so one citizen's complaint leads to every line behind it.

Fields: `time` (UTC, ISO 8601), `level`, `logger`, `message`, `service`, `request_id`, then
`exc_info` and whatever a call passes in `extra`. LOG_FORMAT=plain (deploy/nameko.yml,
deploy/gunicorn.conf.py) gives a developer the classic text line instead. deploy/LOGS.md tells
how to follow one request.

The request id is the gateway's X-Request-Id. It travels to services in nameko's context data
(AMQP headers) under REQUEST_ID, and into the events a request causes inside the event itself.
Where code runs for a request, `current_request_id()` names it: a context variable, so each
gateway thread and each nameko worker (its own greenthread, which starts with an empty context)
has its own.
"""
from __future__ import annotations

import contextvars
import logging
import re
import sys
import uuid
from datetime import datetime, timezone

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

REQUEST_ID = "request_id"  # the key in nameko's context data, and the log field
REQUEST_ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"
_SANE = re.compile(REQUEST_ID_PATTERN)

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(REQUEST_ID, default=None)
_service: contextvars.ContextVar[str | None] = contextvars.ContextVar("service", default=None)


def sane_request_id(value) -> str | None:
    """`value` if it is a request id worth printing (1-64 of A-Z a-z 0-9 . _ -), else None: an
    id comes from outside, and must not forge log lines or fill them."""
    return value if isinstance(value, str) and _SANE.fullmatch(value) else None


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return _request_id.get()


def use_request_id(value) -> contextvars.Token:
    """Make `value` (if sane, else none) the current request id; `reset_request_id` undoes it."""
    return _request_id.set(sane_request_id(value))


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


def use_worker(service: str, request_id) -> None:
    """In a nameko worker's own greenthread: its log lines name its service and request until it
    ends (services/common/rpc.py calls this for every worker)."""
    _service.set(service)
    use_request_id(request_id)


def _service_of_this_process() -> str | None:
    """`nameko run … services.content.service:ContentService` runs the content service."""
    for argument in sys.argv:
        if found := re.match(r"services\.(\w+)\.service\b", argument):
            return found.group(1)
    return None


class RequestIdFilter(logging.Filter):
    """Adds `service` and `request_id` to every record; a record that already names its request
    (the gateway's access log line, from the response header) keeps it."""

    def __init__(self, service: str | None = None):
        super().__init__()
        self.service = service or _service_of_this_process()

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = _service.get() or self.service
        if getattr(record, REQUEST_ID, None) is None:
            record.request_id = current_request_id()
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object per record with the fields the module docstring names."""

    FIELDS = ("asctime", "levelname", "name", "message", "service", REQUEST_ID)

    def __init__(self, **options):
        super().__init__(self.FIELDS, rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                         json_ensure_ascii=False, **options)

    def formatTime(self, record, datefmt=None):
        moment = datetime.fromtimestamp(record.created, timezone.utc)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        if log_data.get(REQUEST_ID) is None:
            log_data.pop(REQUEST_ID, None)


class PlainFormatter(logging.Formatter):
    """The classic text line, with the request id in brackets when known (LOG_FORMAT=plain)."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record):
        line = super().format(record)
        request_id = getattr(record, REQUEST_ID, None)
        return f"[{request_id}] {line}" if request_id else line


# Where the gateway leaves a request's route template for the access log line.
ROUTE_ENVIRON_KEY = "portal.route"


class AccessLogFields(logging.Filter):
    """gunicorn's access log record as fields: method, path, route (the gateway's route
    template), status, duration_seconds and the request id the response carried. gunicorn
    passes its atoms (request, response and WSGI environ values, "-" when absent) as the
    record's one argument."""

    def filter(self, record: logging.LogRecord) -> bool:
        atoms = record.args
        if isinstance(atoms, dict):
            route = atoms[f"{{{ROUTE_ENVIRON_KEY}}}e"]
            record.method, record.path = atoms["m"], atoms["U"]
            record.route = None if route == "-" else route
            record.status = int(atoms["s"]) if str(atoms["s"]).isdigit() else None
            record.duration_seconds = atoms["D"] / 1e6
            record.request_id = sane_request_id(atoms["{x-request-id}o"])
        return True


def logging_config(log_format: str, service: str | None = None, loggers: dict | None = None) -> dict:
    """A dictConfig for a process: every record through one stderr handler, JSON or plain
    (`log_format`). `loggers` may name the filter "access" (AccessLogFields)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": RequestIdFilter, "service": service}, "access": {"()": AccessLogFields}},
        "formatters": {"json": {"()": JsonFormatter}, "plain": {"()": PlainFormatter}},
        "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                                 "formatter": log_format, "filters": ["request"]}},
        "root": {"level": "INFO", "handlers": ["console"]},
        "loggers": loggers or {},
    }
