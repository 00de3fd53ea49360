"""The one logging set-up of every command, and of gunicorn's own loggers under `serve`.

LOG_FORMAT=text is a line a person reads; LOG_FORMAT=json is one JSON object a line for a log
platform: time (UTC, ISO 8601), level, logger, message, process, and `reference` when the line is
about one complaint or disclosure. Both carry only what the code put in the message: references,
ids, counts, class names; never client text (the log lines themselves are written that way).

At INFO, the libraries' routine lines are left out: APScheduler's two lines per sweep, alembic's
plugin and context lines on every start. LOG_LEVEL=DEBUG shows them again, but never the Slack
SDK's and Bolt's debug lines, which carry message text and request bodies.
"""

from __future__ import annotations

import json
import logging
import logging.config
import re
import sys
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot.core.config import log_settings

# A complaint's or a disclosure's reference, as bot/core/references.py writes them.
_REFERENCE = re.compile(r"\b(?:CMP|DSC)-\d{4}-\d{4,6}\b")
# Loggers whose INFO lines say only that a library did its routine work.
ROUTINE = ("apscheduler", "alembic.runtime.plugins")
# Loggers whose DEBUG lines carry what goes to and comes from Slack (message text, request bodies,
# headers with the token): never below INFO, whatever LOG_LEVEL says.
CARRY_PAYLOADS = ("slack_sdk", "slack_bolt")
# gunicorn's access line without the query string (Slack sends its data in POST bodies; a query
# string is the one place a request line could carry something else) and without the user agent.
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


def reference_of(record: logging.LogRecord) -> str | None:
    """The reference a line is about: `extra={"reference": ...}`, else the one its message names."""
    given = getattr(record, "reference", None)
    if given:
        return str(given)
    found = set(_REFERENCE.findall(record.getMessage()))
    return found.pop() if len(found) == 1 else None


class TextFormatter(logging.Formatter):
    """`2026-11-23T09:30:00.123Z INFO bot.reminders.sweep: Sweep: …`, in UTC like the store."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s.%(msecs)03dZ %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S")

    def converter(self, seconds: float | None) -> time.struct_time:  # type: ignore[override]
        return time.gmtime(seconds)


class JsonFormatter(logging.Formatter):
    """One JSON object a line; a traceback goes in `exception`, inside the line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        reference = reference_of(record)
        if reference:
            line["reference"] = reference
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False)


class AlembicStartLines(logging.Filter):
    """alembic's "Context impl SQLiteImpl." and "Will assume … DDL.", logged each time it looks at
    the schema; the "Running upgrade …" lines stay."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno == logging.INFO and str(record.msg).startswith(("Context impl", "Will assume")))


def config_dict(*, level: str, fmt: str) -> dict[str, Any]:
    """The logging configuration (logging.config.dictConfig's schema), as gunicorn's `logconfig_dict`
    takes it too: everything to standard error in one format, gunicorn's loggers included."""
    routine = "DEBUG" if level == "DEBUG" else "WARNING"
    quiet_alembic = [] if level == "DEBUG" else ["alembic_start_lines"]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"bot": {"()": JsonFormatter if fmt == "json" else TextFormatter}},
        "filters": {"alembic_start_lines": {"()": AlembicStartLines}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "bot", "stream": "ext://sys.stderr"}},
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            **{name: {"level": routine} for name in ROUTINE},
            **{name: {"level": "INFO" if level == "DEBUG" else level} for name in CARRY_PAYLOADS},
            "alembic.runtime.migration": {"level": level, "filters": quiet_alembic},
            # gunicorn's own, through the root's handler: the same stream and format as the bot's.
            "gunicorn.error": {"level": level, "handlers": [], "propagate": True},
            "gunicorn.access": {"level": level, "handlers": [], "propagate": True},
        },
    }


def configure(environ: Mapping[str, str], *, force: bool = False) -> None:
    """Set up logging from LOG_LEVEL and LOG_FORMAT (a wrong value is reported with the other
    settings; until then the defaults hold). Like logging.basicConfig, it leaves a process whose
    logging is already set up alone (a test runner's capture), unless `force`."""
    if logging.root.handlers and not force:
        return
    level, fmt, _ = log_settings(environ)
    logging.config.dictConfig(config_dict(level=level, fmt=fmt))


def refusal(message: str) -> None:
    """Why a command cannot go on, for the person or the log platform reading standard error: as
    written (text), or as one ERROR line of its own with LOG_FORMAT=json, so every line parses."""
    json_handlers = [h for h in logging.root.handlers if isinstance(h.formatter, JsonFormatter)]
    if json_handlers:
        logging.getLogger("complaint_bot").error(message)
    else:
        print(message, file=sys.stderr)
