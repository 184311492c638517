"""Structured logs: one JSON object per line, carrying the request id of whatever caused it.

A web request gets an id (the caller's `X-Request-ID` when it is sane, a fresh one
otherwise); outbox rows written during that request carry it in their payload, and the worker
running the effect puts it back into the context, so one id follows a request from the
access line to the Celery task that rendered its DOCX or sent its notification.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import sys
import uuid
from datetime import UTC, datetime

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id",
                                                                         default=None)
_SANE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
_STD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def new_request_id(incoming: str | None = None) -> str:
    """The caller's id when it looks like one, a fresh random one otherwise."""
    if incoming and _SANE.match(incoming):
        return incoming
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return request_id.get()


class JsonFormatter(logging.Formatter):
    """`{"ts", "level", "logger", "msg", "request_id", ...extra}` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "pid": record.process,
        }
        rid = getattr(record, "request_id", None) or request_id.get()
        if rid:
            out["request_id"] = rid
        for key, value in record.__dict__.items():
            if key not in _STD and key not in out and not key.startswith("_"):
                out[key] = value if isinstance(value, (int, float, str, bool, type(None))) \
                    else str(value)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def configure_logging(fmt: str | None = None, level: str | None = None) -> None:
    """`NASTAVNIK_LOG_FORMAT=json` (the distributed default in deploy/) or `text`."""
    fmt = fmt or os.environ.get("NASTAVNIK_LOG_FORMAT", "text")
    level = level or os.environ.get("NASTAVNIK_LOG_LEVEL", "INFO")
    root = logging.getLogger()
    if fmt != "json":
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
