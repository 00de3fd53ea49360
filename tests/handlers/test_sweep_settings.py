"""`complaint-bot sweep` and its dry run: the settings each needs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.clock import FrozenClock
from bot.core.config import SettingsError, load_settings
from tests.factories import acknowledged_when_logged
from tests.factories import run as run_cli
from tests.fakes import RecordingNotifier, no_team
from tests.sweeping import log, rows

# --- settings the sweep needs ----------------------------------------------------------------------


def test_sweep_settings_need_the_triage_channel_and_the_dry_run_needs_no_token():
    with pytest.raises(SettingsError) as e:
        load_settings("sweep", {"SLACK_BOT_TOKEN": "xoxb-1-2"})
    assert [p.split(" ")[0] for p in e.value.problems] == ["TRIAGE_CHANNEL"]
    with pytest.raises(SettingsError) as e:
        load_settings("sweep", {"TRIAGE_CHANNEL": "C0TRIAGE"})
    assert [p.split(" ")[0] for p in e.value.problems] == ["SLACK_BOT_TOKEN"]
    dry = load_settings("preview", {"TRIAGE_CHANNEL": "C0TRIAGE"})
    assert dry.slack_bot_token is None and dry.triage_channel == "C0TRIAGE"


@pytest.mark.parametrize("args", [["sweep"], ["sweep", "--dry-run"]], ids=["sweep", "dry-run"])
def test_sweep_without_a_triage_channel_is_a_settings_error(tmp_path, args):
    db = tmp_path / "c.db"
    result = run_cli(args, {"SLACK_BOT_TOKEN": "xoxb-t", "DATABASE_URL": f"sqlite:///{db}"}, tmp_path)
    assert result.returncode == 2
    assert "TRIAGE_CHANNEL is missing" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not db.exists()  # refused before touching the store


def test_sweep_dry_run_needs_no_bot_token(tmp_path, db_url, engine, session_factory, slack_double):
    from bot.core.context import make_context
    from tests.conftest import make_settings

    # logged 25 hours before the real time the command will see, and never triaged
    ctx = make_context(
        settings=make_settings(db_url),
        engine=engine,
        session_factory=session_factory,
        notifier=RecordingNotifier(),
        clock=FrozenClock(datetime.now(UTC) - timedelta(hours=25)),
        team=no_team(),
    )
    ref = log(ctx, deliver_now=False, received_on=ctx.today().isoformat())
    acknowledged_when_logged(ctx, ref)
    env = {"TRIAGE_CHANNEL": "CTRIAGE01", "SLACK_API_URL": slack_double.url, "DATABASE_URL": db_url}

    dry = run_cli(["sweep", "--dry-run"], env, tmp_path)

    assert dry.returncode == 0, dry.stderr
    assert f"would send  triage-breach:{ref}:" in dry.stdout
    assert "3 message(s) would be sent. Nothing was sent or recorded." in dry.stdout
    assert slack_double.calls == []  # not even auth.test
    real = run_cli(["sweep"], env, tmp_path)
    assert real.returncode == 2 and "SLACK_BOT_TOKEN is missing" in real.stderr
    assert slack_double.calls == [] and len(rows(ctx)) == 2  # nothing recorded by either
