"""JSON log lines with the correlation id, for every process of the platform (issue 16).

Each line is one JSON object: ``time`` (UTC, ms), ``level``, ``process`` (the service or ``gateway``),
``logger``, ``message``, ``correlation_id`` and any ``extra`` fields (``duration_ms``, ``entrypoint`` ...).

The correlation id is the gateway's request id (``X-Request-Id``, made when the caller sends none). It
travels in the RPC context to the service, into the envelope's ``correlationid`` of the events the
command causes, and from there to each consumer's handler: so one id finds a request's lines in the
gateway, the service that answered it and every service that took its events. It is kept per worker
in a ``threading.local``: a gunicorn thread in the gateway, a green thread (eventlet patches
``threading``) per nameko worker in a service.

Services use it through their ``config.yaml`` (``LOGGING`` with ``()`` ``shared.logs.JsonFormatter``);
``LOG_FORMAT=plain`` gives readable lines for a developer's terminal.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading

_local = threading.local()

# attributes every LogRecord has; anything else on a record came from ``extra=`` and is logged too
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


def bind(correlation_id: str | None) -> None:
    """The correlation id of what the current worker (thread or green thread) is doing."""
    _local.correlation_id = correlation_id


def current() -> str | None:
    return getattr(_local, "correlation_id", None)


class JsonFormatter(logging.Formatter):
    def __init__(self, process: str | None = None, **_: object) -> None:
        super().__init__()
        self.process = process or os.environ.get("PLATFORM_PROCESS", "platform")
        self.plain = os.environ.get("LOG_FORMAT", "json") == "plain"

    def format(self, record: logging.LogRecord) -> str:
        correlation_id = getattr(record, "correlation_id", None) or current()
        if self.plain:
            line = (f"{self.formatTime(record)} {record.levelname} {self.process} {record.name}: "
                    f"{record.getMessage()}" + (f" [{correlation_id}]" if correlation_id else ""))
            return line + ("\n" + self.formatException(record.exc_info) if record.exc_info else "")
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "process": self.process, "logger": record.name,
            "message": record.getMessage(), "correlation_id": correlation_id}
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD and k not in entry})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(process: str, level: str | None = None, *, capture_warnings: bool = False) -> None:
    """Root logging as JSON lines on stderr (the gateway; services configure it in config.yaml);
    ``capture_warnings``: Python warnings become log lines (logger ``py.warnings``) instead of raw text."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter(process))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level or os.environ.get("LOG_LEVEL", "INFO"))
    logging.captureWarnings(capture_warnings)
