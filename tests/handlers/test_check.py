"""`complaint-bot check` against the Slack double answering each failure, and `run`/`serve` refusing
to start on the same checks before they migrate, schedule or send anything."""

from __future__ import annotations

import shutil
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from storage.db import make_engine
from tests.factories import run

ROOT = Path(__file__).resolve().parents[2]  # the repository
MANIFESTS = ["--manifest", str(ROOT / "manifest.yml"), "--manifest", str(ROOT / "manifest.http.yml")]
# What the checks may ask Slack; nothing else (no message, no upload, no view) before they pass.
CHECK_METHODS = {"auth.test", "apps.connections.open", "conversations.info", "users.info"}


def env_for(slack_double, db_url: str, **extra: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-t",
        "SLACK_SIGNING_SECRET": "s",
        "TRIAGE_CHANNEL": "CTRIAGE01",
        "DIGEST_CHANNEL": "CDIGEST01",
        "COMPLAINTS_LEAD": "ULEAD",
        "SLACK_API_URL": slack_double.url,
        "DATABASE_URL": db_url,
        **extra,
    }


def check_lines(result) -> list[str]:
    """The ok/FAIL lines `check` printed (the rulebook after them is printed as before)."""
    return [line for line in result.stdout.splitlines() if line.startswith(("ok ", "FAIL "))]


def failures(result) -> list[str]:
    return [line for line in check_lines(result) if line.startswith("FAIL")]


def migrated(db_url: str, tmp_path: Path) -> str:
    result = run(["migrate"], {"DATABASE_URL": db_url}, tmp_path)
    assert result.returncode == 0, result.stderr
    return db_url


def table_names(db_url: str) -> list[str]:
    engine = make_engine(db_url)
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- check


def test_check_all_ok_in_http_mode_exits_0(tmp_path, db_url, slack_double):
    result = run(["check", *MANIFESTS], env_for(slack_double, migrated(db_url, tmp_path)), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = check_lines(result)
    assert failures(result) == []
    assert lines[:7] == [
        "ok   settings (HTTP mode)",
        "ok   Slack accepts the bot token (@complaintbot in Law Firm Test)",
        f"ok   the bot token has every scope asked for by {ROOT / 'manifest.yml'} and {ROOT / 'manifest.http.yml'}",
        "ok   SLACK_SIGNING_SECRET is set (HTTP mode)",
        "ok   the bot is a member of TRIAGE_CHANNEL CTRIAGE01 (#ctriage01)",
        "ok   the bot is a member of DIGEST_CHANNEL CDIGEST01 (#cdigest01)",
        "ok   COMPLAINTS_LEAD ULEAD is @ulead",
    ]
    assert lines[7].startswith("ok   the database ") and "its schema at" in lines[7]
    assert lines[8:] == [
        f"ok   {ROOT / 'manifest.yml'} and the bot's listeners agree",
        f"ok   {ROOT / 'manifest.http.yml'} and the bot's listeners agree",
    ]
    assert "The rulebook in force:" in result.stdout
    assert slack_double.calls_to("apps.connections.open") == []  # HTTP mode has no app token
    assert [c.params["channel"] for c in slack_double.calls_to("conversations.info")] == ["CTRIAGE01", "CDIGEST01"]


def test_check_in_socket_mode_asks_slack_for_a_connection_with_the_app_token(tmp_path, slack_double):
    db = migrated(f"sqlite:///{tmp_path}/c.db", tmp_path)
    result = run(["check", *MANIFESTS], env_for(slack_double, db, SLACK_APP_TOKEN="xapp-1-A1-123-abc"), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok   settings (Socket Mode)" in check_lines(result)
    assert "ok   Slack opens Socket Mode connections for the app token" in check_lines(result)
    assert [c.token for c in slack_double.calls_to("apps.connections.open")] == ["xapp-1-A1-123-abc"]


def test_check_reports_an_app_token_slack_refuses(tmp_path, slack_double):
    slack_double.fail(status=200, count=1, error="invalid_auth", methods={"apps.connections.open"})
    db = migrated(f"sqlite:///{tmp_path}/c.db", tmp_path)
    result = run(["check", *MANIFESTS], env_for(slack_double, db, SLACK_APP_TOKEN="xapp-1-A1-123-abc"), tmp_path)
    assert result.returncode == 1
    assert failures(result) == [
        "FAIL Slack refused the Socket Mode connection (invalid_auth): SLACK_APP_TOKEN must be an app-level token "
        "with the connections:write scope, and Socket Mode must be on in the app's settings."
    ]


def test_check_reports_a_bot_outside_the_triage_and_digest_channels(tmp_path, slack_double):
    slack_double.not_member["CTRIAGE01"] = ""  # a public channel the bot was never added to
    slack_double.not_member["CDIGEST01"] = "channel_not_found"  # a private one: invisible to the bot
    db = migrated(f"sqlite:///{tmp_path}/c.db", tmp_path)
    result = run(["check", *MANIFESTS], env_for(slack_double, db), tmp_path)
    assert result.returncode == 1
    assert failures(result) == [
        "FAIL the bot is not a member of TRIAGE_CHANNEL CTRIAGE01: invite the bot with /invite @complaintbot to "
        "#ctriage01.",
        "FAIL the bot cannot see DIGEST_CHANNEL CDIGEST01 (channel_not_found): invite the bot with /invite "
        "@complaintbot to that channel (a private channel is invisible until then), or correct the id (channel "
        "details → About → Channel ID).",
    ]


def test_check_names_the_scopes_the_token_lacks(tmp_path, slack_double):
    slack_double.scopes.remove("files:write")
    slack_double.scopes.remove("groups:read")
    db = migrated(f"sqlite:///{tmp_path}/c.db", tmp_path)
    result = run(["check", "--manifest", str(ROOT / "manifest.http.yml")], env_for(slack_double, db), tmp_path)
    assert result.returncode == 1
    assert failures(result) == [
        f"FAIL the bot token lacks the scopes files:write, groups:read, asked for by {ROOT / 'manifest.http.yml'}: "
        "add them under OAuth & Permissions → Bot Token Scopes (or update the app from the manifest), reinstall "
        "the app to the workspace, and copy the new Bot User OAuth Token to SLACK_BOT_TOKEN."
    ]


def test_check_reports_a_lead_slack_does_not_know(tmp_path, slack_double):
    slack_double.unknown_users.add("UGONE")
    db = migrated(f"sqlite:///{tmp_path}/c.db", tmp_path)
    result = run(["check", *MANIFESTS], env_for(slack_double, db, COMPLAINTS_LEAD="UGONE"), tmp_path)
    assert result.returncode == 1
    assert failures(result) == [
        "FAIL COMPLAINTS_LEAD UGONE is not a user Slack knows (user_not_found): set it to the lead's member id "
        "(their profile → ⋮ → Copy member ID), or leave it empty."
    ]


def test_check_looks_up_a_lead_that_is_a_user_group(tmp_path, slack_double):
    slack_double.usergroups["SLEADS01"] = "complaints-leads"
    db = migrated(f"sqlite:///{tmp_path}/c.db", tmp_path)
    known = run(["check", *MANIFESTS], env_for(slack_double, db, COMPLAINTS_LEAD="SLEADS01"), tmp_path)
    assert known.returncode == 0, known.stdout
    assert "ok   COMPLAINTS_LEAD SLEADS01 is the user group @complaints-leads" in known.stdout.splitlines()
    unknown = run(["check", *MANIFESTS], env_for(slack_double, db, COMPLAINTS_LEAD="SGONE"), tmp_path)
    assert unknown.returncode == 1
    assert failures(unknown) == [
        "FAIL COMPLAINTS_LEAD SGONE is not a user group of this workspace (or it is disabled): set it to the "
        "group's id (the group's page → ⋮ → Copy group ID), a member id, or leave it empty."
    ]


def test_check_reports_a_schema_not_migrated_and_does_not_migrate_it(tmp_path, db_url, slack_double):
    result = run(["check", *MANIFESTS], env_for(slack_double, db_url), tmp_path)
    assert result.returncode == 1
    [line] = failures(result)
    assert "is reachable but it has no schema yet" in line and "run `complaint-bot migrate`" in line
    assert table_names(db_url) == []


def test_check_with_slack_unreachable_says_so_with_its_own_exit_code(tmp_path, slack_double):
    url = f"http://127.0.0.1:{closed_port()}/api/"
    db = migrated(f"sqlite:///{tmp_path}/c.db", tmp_path)
    result = run(["check", *MANIFESTS], env_for(slack_double, db, SLACK_API_URL=url), tmp_path)
    assert result.returncode == 3, result.stdout + result.stderr
    [line] = failures(result)
    assert line.startswith(f"FAIL Slack could not be reached at {url}: ")
    assert "Connection refused" in line and line.endswith("; check the network or SLACK_API_URL.")
    assert "settings are fixed" not in result.stdout + result.stderr  # not a settings problem
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- run and serve refuse first


def start(command: str, env: dict[str, str], tmp_path: Path):
    args = ["serve", "--host", "127.0.0.1", "--port", str(closed_port())] if command == "serve" else ["run"]
    return run(args, env, tmp_path, timeout=60)


@pytest.mark.parametrize(
    ("command", "failure", "said"),
    [
        ("run", "bad app token", "Slack refused the Socket Mode connection (invalid_auth)"),
        ("run", "not in channel", "invite the bot with /invite @complaintbot to #ctriage01"),
        ("serve", "not in channel", "invite the bot with /invite @complaintbot to #ctriage01"),
        ("serve", "missing scope", "the bot token lacks the scope files:write, asked for by manifest.http.yml"),
    ],
)
def test_a_start_that_fails_a_check_sends_and_migrates_nothing(tmp_path, db_url, slack_double, command, failure, said):
    if failure == "bad app token":
        slack_double.fail(status=200, count=1, error="invalid_auth", methods={"apps.connections.open"})
    elif failure == "not in channel":
        slack_double.not_member["CTRIAGE01"] = ""
    else:
        slack_double.scopes.remove("files:write")
    result = start(command, env_for(slack_double, db_url, SLACK_APP_TOKEN="xapp-1-A1-123-abc"), tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "The bot cannot start until these are fixed" in result.stderr and said in result.stderr
    assert "Traceback" not in result.stderr
    assert {c.method for c in slack_double.calls} <= CHECK_METHODS  # nothing sent
    assert table_names(db_url) == []  # not migrated


@pytest.mark.parametrize("command", ["run", "serve"])
def test_a_start_that_fails_a_check_schedules_nothing(tmp_path, db_url, slack_double, command):
    """A store with a complaint long overdue for triage: a sweep would record and post at once."""
    from bot.core.clock import FrozenClock
    from bot.core.context import make_context
    from storage.db import make_session_factory
    from storage.migrate import upgrade
    from storage.models import Notification
    from tests.conftest import make_settings
    from tests.factories import log
    from tests.fakes import RecordingNotifier, no_team

    engine = make_engine(db_url)
    upgrade(engine)
    ctx = make_context(
        settings=make_settings(db_url),
        engine=engine,
        session_factory=make_session_factory(engine),
        notifier=RecordingNotifier(),
        clock=FrozenClock(datetime.now(UTC) - timedelta(hours=25)),
        team=no_team(),
    )
    log(ctx, received_on=ctx.today().isoformat())
    with engine.connect() as conn:
        recorded = conn.execute(select(func.count()).select_from(Notification)).scalar_one()  # at intake
    slack_double.not_member["CDIGEST01"] = "channel_not_found"
    result = start(command, env_for(slack_double, db_url, SLACK_APP_TOKEN="xapp-1-A1-123-abc"), tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "the bot cannot see DIGEST_CHANNEL CDIGEST01 (channel_not_found)" in result.stderr
    assert slack_double.calls_to("chat.postMessage") == []
    with engine.connect() as conn:
        # no sweep ran: it would have recorded the triage breach (and sent what intake recorded)
        assert conn.execute(select(func.count()).select_from(Notification)).scalar_one() == recorded
    engine.dispose()


@pytest.mark.parametrize("command", ["run", "serve"])
def test_a_start_with_slack_unreachable_says_so_with_its_own_exit_code(tmp_path, db_url, command):
    url = f"http://127.0.0.1:{closed_port()}/api/"
    env = {
        "SLACK_BOT_TOKEN": "xoxb-t",
        "SLACK_APP_TOKEN": "xapp-1-A1-123-abc",
        "SLACK_SIGNING_SECRET": "s",
        "TRIAGE_CHANNEL": "CTRIAGE01",
        "SLACK_API_URL": url,
        "DATABASE_URL": db_url,
    }
    result = start(command, env, tmp_path)
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"Slack could not be reached at {url}: " in result.stderr
    assert "check the network or SLACK_API_URL" in result.stderr
    assert "settings are fixed" not in result.stderr and "Traceback" not in result.stderr
    assert table_names(db_url) == []


# ---------------------------------------------------------------- placeholders


def test_the_env_example_placeholders_are_refused_as_missing(tmp_path):
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    result = run(["run"], {}, tmp_path)
    assert result.returncode == 2
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "TRIAGE_CHANNEL"):
        assert f"{name} is missing" in result.stderr
    assert "must be a bot token starting with" not in result.stderr


def test_check_with_the_placeholders_takes_http_mode_and_names_what_is_missing(tmp_path):
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    result = run(["check"], {}, tmp_path)
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET is missing" in result.stderr  # HTTP mode: xapp- alone is no app token
    assert "SLACK_APP_TOKEN" not in result.stderr and "SLACK_BOT_TOKEN is missing" in result.stderr
