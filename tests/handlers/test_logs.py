"""Logs a firm can ship: LOG_LEVEL, LOG_FORMAT=json (one object a line, gunicorn's lines too), no
routine library lines at INFO, and no client data in either format."""

from __future__ import annotations

import io
import json
import logging
import os
import threading
import urllib.request

import pytest

from bot.core.config import SettingsError, load_settings
from handlers import logs
from storage.migrate import head_revision
from tests.e2e import log_one, open_intake
from tests.factories import SLACK_VARS, Proc, free_port, run, wait_until_serving
from tests.fakes import intake_values

KEYS = {"time", "level", "logger", "message"}
# What a library says at INFO on every start or every sweep.
NOISE = ("setup plugin", "Context impl", "Will assume", "Running job", "executed successfully", "will be unused")
SECRET_NAME = "Zebedee Quartermaine"
SECRET_SUMMARY = "Settlement figure of 84,317 pounds was disclosed to the other side"


def _json_lines(text: str) -> list[dict]:
    lines = [json.loads(line) for line in text.splitlines()]
    for line in lines:
        assert line.keys() >= KEYS, line
        assert line["time"].endswith("+00:00") and "T" in line["time"]
    return lines


@pytest.fixture
def restore_logging():
    """The logging set-up applied in this process (it replaces the root's handlers), undone after."""
    names = ["", *logs.ROUTINE, *logs.CARRY_PAYLOADS, "alembic.runtime.migration", "gunicorn.error", "gunicorn.access"]
    saved = {n: (logging.getLogger(n).level, list(logging.getLogger(n).handlers)) for n in names}
    filters = list(logging.getLogger("alembic.runtime.migration").filters)
    yield
    for name, (level, handlers) in saved.items():
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.handlers[:] = handlers
    logging.getLogger("alembic.runtime.migration").filters[:] = filters


def test_a_bad_log_level_or_format_is_a_settings_error_with_the_others():
    with pytest.raises(SettingsError) as e:
        load_settings("cli", {"LOG_LEVEL": "loud", "LOG_FORMAT": "xml", "PORT": "0"})
    text = str(e.value)
    assert "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR; got 'loud'." in text
    assert "LOG_FORMAT must be text or json" in text and "PORT must be" in text
    s = load_settings("cli", {"LOG_LEVEL": "warning", "LOG_FORMAT": "JSON"})
    assert (s.log_level, s.log_format) == ("WARNING", "json")


def test_a_bad_log_level_stops_a_command_with_exit_2(tmp_path):
    result = run(["migrate"], {"LOG_LEVEL": "verbose"}, tmp_path)
    assert result.returncode == 2
    assert "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR; got 'verbose'." in result.stderr
    assert not (tmp_path / "complaints.db").exists()  # nothing was done


def test_with_json_logs_a_refused_start_is_one_json_line_too(tmp_path):
    result = run(["migrate"], {"LOG_FORMAT": "json", "REMINDER_HOUR": "25"}, tmp_path)
    assert result.returncode == 2
    [line] = _json_lines(result.stderr)  # every line parses: the refusal is one object
    assert line["level"] == "ERROR" and "REMINDER_HOUR" in line["message"]


def test_log_level_warning_hides_the_info_lines(tmp_path):
    shown = run(["migrate"], {"LOG_FORMAT": "json"}, tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert any(line["message"].startswith("Running upgrade") for line in _json_lines(shown.stderr))
    hidden = run(["migrate"], {"LOG_LEVEL": "WARNING", "DATABASE_URL": f"sqlite:///{tmp_path}/other.db"}, tmp_path)
    assert hidden.returncode == 0, hidden.stderr
    assert hidden.stderr == "" and f"revision {head_revision()}" in hidden.stdout


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
def test_no_routine_library_lines_at_info(level, ctx, monkeypatch, capsys, restore_logging):
    """A start as `run` makes one: migrate, the app, the scheduler's first sweep. DEBUG shows the
    lines INFO leaves out (so the test sees them when they are there)."""
    from bot.reminders import scheduler as scheduling
    from handlers.app import create_app
    from storage.migrate import upgrade

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-the-environment")  # as .env puts it there
    logs.configure({"LOG_LEVEL": level, "LOG_FORMAT": "json"}, force=True)
    swept = threading.Event()
    real_sweep = scheduling.sweep
    monkeypatch.setattr(scheduling, "sweep", lambda c: (real_sweep(c), swept.set()))
    upgrade(ctx.engine)
    create_app(ctx)
    scheduler = scheduling.start_scheduler(ctx)
    try:
        assert swept.wait(10)
    finally:
        scheduler.shutdown(wait=True)  # the executor's lines about the job are written by now
    lines = _json_lines(capsys.readouterr().err)
    messages = " | ".join(line["message"] for line in lines)
    if level == "INFO":
        assert not [n for n in NOISE if n in messages], messages
    else:
        assert "Context impl" in messages and "executed successfully" in messages
    assert "will be unused" not in messages  # Bolt's warning: the app gets a token or a client, not both


def test_json_lines_name_the_reference_and_never_client_text(live, slack_double, restore_logging):
    """Through a whole complaint, with the first messages failing so that delivery logs them."""
    bot, slack, ctx = live
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logs.JsonFormatter())
    logging.root.addHandler(handler)
    logging.root.setLevel(logging.INFO)
    try:
        log_one(slack, slack_double, client_name=SECRET_NAME, summary=SECRET_SUMMARY)
        slack_double.fail(status=500, count=1, methods={"chat.postMessage"})
        r = slack.submit(open_intake(slack, slack_double), intake_values(client_name=SECRET_NAME), user="UREPORTER")
        assert r.status == 200
        slack_double.wait_for("chat.postMessage", 3)  # of the four the two complaints cause, one failed
        bot.wait_idle()
    finally:
        logging.root.removeHandler(handler)
    lines = _json_lines(out.getvalue())
    assert SECRET_NAME not in out.getvalue() and SECRET_SUMMARY not in out.getvalue()
    failed = [line for line in lines if line["message"].startswith("Sending ")]
    assert failed and {line.get("reference") for line in failed} == {"CMP-2026-0002"}, lines


def test_even_at_debug_no_client_text_nor_token_reaches_the_log(live, slack_double, capsys, restore_logging):
    """LOG_LEVEL=DEBUG through a complaint: the Slack SDK's debug lines (message text, request
    bodies, the token in a header) stay out."""
    bot, slack, ctx = live
    logs.configure({"LOG_LEVEL": "DEBUG", "LOG_FORMAT": "json"}, force=True)
    log_one(slack, slack_double, client_name=SECRET_NAME, summary=SECRET_SUMMARY)
    slack.command("show CMP-2026-0001", user="ULEAD")
    slack_double.wait_for("response_url", 1)
    bot.wait_idle()
    err = capsys.readouterr().err
    _json_lines(err)
    assert logging.getLogger("bot.outbox.delivery").isEnabledFor(logging.DEBUG)  # DEBUG took
    assert SECRET_NAME not in err and SECRET_SUMMARY not in err
    assert ctx.settings.slack_bot_token not in err and ctx.settings.slack_signing_secret not in err


def test_serve_writes_only_json_lines_to_stderr_gunicorn_included(tmp_path, slack_double):
    """A real start in HTTP mode with LOG_FORMAT=json: gunicorn's start and access lines, the
    migration, the app and its scheduler, then a stop."""
    port = free_port()
    env = {
        "SLACK_BOT_TOKEN": "xoxb-t",
        "SLACK_SIGNING_SECRET": "sekrit",
        "TRIAGE_CHANNEL": "CTRIAGE01",
        "SLACK_API_URL": slack_double.url,
        "COMPLAINTS_HOME": str(tmp_path),
        "LOG_FORMAT": "json",
    }
    base = {k: v for k, v in os.environ.items() if k not in SLACK_VARS}
    serving = Proc(["serve", "--port", str(port), "--host", "127.0.0.1"], {**base, **env}, tmp_path / "serve.log")
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/healthz", serving.popen)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz?client={SECRET_NAME.replace(' ', '+')}") as r:
            assert r.status == 200
    finally:
        serving.stop()
    err = serving.log.read_text()  # standard output and error both: every line of either is JSON
    lines = _json_lines(err)
    by_logger = {line["logger"] for line in lines}
    assert {"gunicorn.error", "gunicorn.access", "alembic.runtime.migration"} <= by_logger, by_logger
    access = [line["message"] for line in lines if line["logger"] == "gunicorn.access"]
    assert any('"GET /healthz HTTP/1.1" 200' in m for m in access), access
    assert "Zebedee" not in err  # the query string stays out of the access line
    messages = " | ".join(line["message"] for line in lines)
    assert not [n for n in NOISE if n in messages], messages
