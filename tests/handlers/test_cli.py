"""The `complaint-bot` command as a person runs it: a real process, real settings, exit codes."""

from __future__ import annotations

import hashlib
import hmac
import os
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC
from pathlib import Path

from tests.factories import BIN, SLACK_VARS, free_port, run, wait_until_serving

ROOT = Path(__file__).resolve().parents[2]  # the repository


def test_run_with_no_settings_names_each_missing_one_and_exits_2(tmp_path):
    result = run(["run"], {}, tmp_path)
    assert result.returncode == 2
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "TRIAGE_CHANNEL"):
        assert f"{name} is missing" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_settings_are_read_from_dotenv(tmp_path):
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-dotenv\nTRIAGE_CHANNEL=#wrong\n")
    result = run(["serve"], {}, tmp_path)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" not in result.stderr  # found in .env
    assert "TRIAGE_CHANNEL must be a channel id" in result.stderr
    assert "SLACK_SIGNING_SECRET is missing" in result.stderr


def test_migrate_creates_the_schema_at_head(tmp_path, db_url):
    result = run(["migrate"], {"DATABASE_URL": db_url}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "revision 0" in result.stdout
    again = run(["migrate"], {"DATABASE_URL": db_url}, tmp_path)
    assert again.returncode == 0 and again.stdout == result.stdout


def test_check_passes_against_slack_and_the_shipped_manifest(tmp_path, slack_double):
    env = {
        "SLACK_BOT_TOKEN": "xoxb-t",
        "SLACK_SIGNING_SECRET": "s",
        "TRIAGE_CHANNEL": "CTRIAGE01",
        "SLACK_API_URL": slack_double.url,
        "DATABASE_URL": f"sqlite:///{tmp_path}/c.db",
    }
    assert run(["migrate"], env, tmp_path).returncode == 0  # check reports a schema not migrated
    result = run(["check", "--manifest", str(ROOT / "manifest.yml")], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "and the bot's listeners agree" in result.stdout and "Slack accepts the bot token" in result.stdout
    # The rulebook in force: the default scheme, its deadline's basis and its calendar.
    assert "The rulebook in force:" in result.stdout
    assert "scheme         legal-ombudsman: Legal Ombudsman" in result.stdout
    assert "final response 8 weeks, Legal Ombudsman Scheme Rules" in result.stdout
    assert "calendar       england-and-wales: England & Wales bank holidays" in result.stdout


def test_check_prints_the_scheme_and_calendar_the_settings_choose(tmp_path, slack_double):
    env = {
        "SLACK_BOT_TOKEN": "xoxb-t",
        "SLACK_SIGNING_SECRET": "s",
        "TRIAGE_CHANNEL": "CTRIAGE01",
        "SLACK_API_URL": slack_double.url,
        "DATABASE_URL": f"sqlite:///{tmp_path}/c.db",
        "COMPLAINTS_SCHEME": "financial-ombudsman-payments",
        "HOLIDAY_CALENDAR": "scotland",
    }
    assert run(["migrate"], env, tmp_path).returncode == 0  # check reports a schema not migrated
    result = run(["check", "--manifest", str(ROOT / "manifest.yml")], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "final response 15 business days, DISP 1.6.2AR, Scotland bank holidays" in result.stdout
    assert "calendar       scotland: Scotland bank holidays" in result.stdout
    assert "Financial Ombudsman Service, Exchange Tower" in result.stdout


def test_check_names_manifest_entries_without_listeners(tmp_path, slack_double):
    manifest = (
        (ROOT / "manifest.yml").read_text().replace("callback_id: log_complaint\n", "callback_id: log_something_else\n")
    )
    (tmp_path / "manifest.yml").write_text(manifest)
    env = {
        "SLACK_BOT_TOKEN": "xoxb-t",
        "SLACK_SIGNING_SECRET": "s",
        "TRIAGE_CHANNEL": "CTRIAGE01",
        "SLACK_API_URL": slack_double.url,
        "DATABASE_URL": f"sqlite:///{tmp_path}/c.db",
    }
    result = run(["check"], env, tmp_path)
    assert result.returncode == 1
    assert "declares the shortcut callback log_something_else but the bot has no listener" in result.stdout
    assert "listens for the shortcut callback log_complaint but manifest.yml does not declare it" in result.stdout


def test_check_reports_a_token_slack_rejects(tmp_path, slack_double):
    slack_double.fail(status=200, count=1, error="invalid_auth", methods={"auth.test"})
    env = {
        "SLACK_BOT_TOKEN": "xoxb-t",
        "SLACK_SIGNING_SECRET": "s",
        "TRIAGE_CHANNEL": "CTRIAGE01",
        "SLACK_API_URL": slack_double.url,
        "DATABASE_URL": f"sqlite:///{tmp_path}/c.db",
    }
    result = run(["check", "--manifest", str(ROOT / "manifest.yml")], env, tmp_path)
    assert result.returncode == 1
    assert "Slack rejected SLACK_BOT_TOKEN (invalid_auth)" in result.stdout


def signed_command(url: str, secret: str, text: str, response_url: str, *, forge: bool = False) -> int:
    body = urllib.parse.urlencode(
        {
            "command": "/complaint",
            "text": text,
            "user_id": "UREPORTER",
            "team_id": "T1",
            "channel_id": "C1",
            "trigger_id": "trig-1",
            "response_url": response_url,
        }
    )
    ts = str(int(time.time()))
    sig = "v0=" + hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    req = urllib.request.Request(
        url,
        data=body.encode(),
        method="POST",
        headers={
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": "v0=forged" if forge else sig,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_serve_runs_on_gunicorn_migrates_and_answers_slack(tmp_path, db_url, slack_double):
    port = free_port()
    env = {
        "SLACK_BOT_TOKEN": "xoxb-t",
        "SLACK_SIGNING_SECRET": "sekrit",
        "TRIAGE_CHANNEL": "CTRIAGE01",
        "SLACK_API_URL": slack_double.url,
        "DATABASE_URL": db_url,
    }
    base = {k: v for k, v in os.environ.items() if k not in SLACK_VARS}
    proc = subprocess.Popen(
        [str(BIN), "serve", "--port", str(port), "--host", "127.0.0.1"],
        env={**base, **env},
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/healthz", proc)
        events = f"http://127.0.0.1:{port}/slack/events"
        assert signed_command(events, "sekrit", "new", slack_double.response_url_base + "c/1", forge=True) == 401
        assert signed_command(events, "sekrit", "new", slack_double.response_url_base + "c/2") == 200
        [opened] = slack_double.wait_for("views.open", timeout=10)
        assert opened.response["view"]["callback_id"] == "complaint_new"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_sweep_dry_run_then_sweep_sends_once(tmp_path, db_url, slack_double):
    from datetime import datetime, timedelta

    from bot.complaints import service as complaints
    from bot.core.clock import FrozenClock
    from bot.core.context import make_context
    from handlers.modals.intake import parse_intake
    from storage.db import make_engine, make_session_factory
    from storage.migrate import upgrade
    from tests.conftest import make_settings
    from tests.factories import acknowledged_when_logged
    from tests.fakes import RecordingNotifier, intake_values, no_team

    engine = make_engine(db_url)
    upgrade(engine)
    # logged 25 hours before the real time the command will see, and never triaged
    ctx = make_context(
        settings=make_settings(db_url),
        engine=engine,
        session_factory=make_session_factory(engine),
        notifier=RecordingNotifier(),
        clock=FrozenClock(datetime.now(UTC) - timedelta(hours=25)),
        team=no_team(),
    )
    data = parse_intake(intake_values(received_on=ctx.today().isoformat()), today=ctx.today())
    logged = complaints.log_complaint(
        session_factory=ctx.session_factory,
        data=data,
        reporter_id="UREPORTER",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    acknowledged_when_logged(ctx, logged.complaint.reference)
    engine.dispose()
    env = {
        "SLACK_BOT_TOKEN": "xoxb-t",
        "TRIAGE_CHANNEL": "CTRIAGE01",
        "SLACK_API_URL": slack_double.url,
        "DATABASE_URL": db_url,
    }

    dry = run(["sweep", "--dry-run"], env, tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "would send  logged:CMP-" in dry.stdout and "would send  triage-breach:CMP-" in dry.stdout
    assert "3 message(s) would be sent" in dry.stdout  # reporter DM, triage alert, escalation
    assert slack_double.calls_to("chat.postMessage") == []

    real = run(["sweep"], env, tmp_path)
    assert real.returncode == 0, real.stderr
    assert "3 sent, 0 failed" in real.stdout
    assert len(slack_double.calls_to("chat.postMessage")) == 3
    again = run(["sweep"], env, tmp_path)
    assert "0 sent, 0 failed" in again.stdout and len(slack_double.calls_to("chat.postMessage")) == 3


def test_run_checks_the_tokens_before_it_migrates_and_refuses_an_app_token_slack_rejects(tmp_path, slack_double):
    slack_double.fail(status=200, count=1, error="invalid_auth", methods={"apps.connections.open"})
    env = {
        "SLACK_BOT_TOKEN": "xoxb-t",
        "SLACK_APP_TOKEN": "xapp-1-A1-123-abc",
        "TRIAGE_CHANNEL": "CTRIAGE01",
        "SLACK_API_URL": slack_double.url,
        "DATABASE_URL": f"sqlite:///{tmp_path}/c.db",
    }
    result = run(["run"], env, tmp_path)
    assert result.returncode == 2
    assert (
        "Slack refused the Socket Mode connection (invalid_auth)" in result.stderr
        and "connections:write" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert [c.token for c in slack_double.calls_to("auth.test")] == ["xoxb-t"]
    assert [c.token for c in slack_double.calls_to("apps.connections.open")] == ["xapp-1-A1-123-abc"]
    from sqlalchemy import create_engine, inspect

    assert inspect(create_engine(f"sqlite:///{tmp_path}/c.db")).get_table_names() == []  # checked first
