"""COMPLAINTS_HOME: every command reaches the same store and `.env` from whatever folder it runs in
(the cron case: `sweep` from another folder once made a new, empty database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core import home
from bot.core.clock import FrozenClock
from bot.core.config import SettingsError, load_settings
from tests.factories import acknowledged_when_logged, log, migrated_context, run


def test_sweep_and_export_from_another_folder_reach_the_store_in_complaints_home(tmp_path, db_url, slack_double):
    data = tmp_path / "srv"
    data.mkdir()
    elsewhere = tmp_path / "cron"
    elsewhere.mkdir()
    settings = [
        "SLACK_BOT_TOKEN=xoxb-t",
        "TRIAGE_CHANNEL=CTRIAGE01",
        f"SLACK_API_URL={slack_double.url}",
    ]
    if db_url.startswith("sqlite"):
        db_url = f"sqlite:///{data / home.DATABASE_FILE}"  # the default file, which .env does not name
    else:
        settings.append(f"DATABASE_URL={db_url}")
    (data / ".env").write_text("\n".join(settings) + "\n")
    # Logged 25 hours before the real time the command sees, and never triaged: its alerts are due.
    ctx = migrated_context(db_url, FrozenClock(datetime.now(UTC) - timedelta(hours=25)))
    reference = log(ctx).reference
    acknowledged_when_logged(ctx, reference)
    ctx.engine.dispose()

    swept = run(["sweep"], {"COMPLAINTS_HOME": str(data)}, elsewhere)
    assert swept.returncode == 0, swept.stderr
    assert f"triage-breach:{reference}" in swept.stdout and "3 sent, 0 failed" in swept.stdout
    exported = run(["export"], {"COMPLAINTS_HOME": str(data)}, elsewhere)
    assert exported.returncode == 0, exported.stderr
    assert reference in exported.stdout
    assert list(elsewhere.iterdir()) == []  # no new complaints.db (nor anything else) where cron stands


def test_a_relative_sqlite_file_is_taken_in_complaints_home(tmp_path):
    env = {"COMPLAINTS_HOME": str(tmp_path), "DATABASE_URL": "sqlite:///data/store.db"}
    assert load_settings("cli", env).database_url == f"sqlite:///{tmp_path}/data/store.db"
    assert load_settings("cli", {"COMPLAINTS_HOME": str(tmp_path)}).database_url == (
        f"sqlite:///{tmp_path}/complaints.db"
    )
    absolute = f"sqlite:///{tmp_path}/elsewhere.db"
    assert load_settings("cli", {**env, "DATABASE_URL": absolute}).database_url == absolute


@pytest.mark.parametrize(
    ("value", "says"),
    [("data", "must be an absolute path"), ("/no/such/folder", "which is not a folder")],
)
def test_a_complaints_home_that_is_not_a_folder_is_a_settings_error(value, says):
    with pytest.raises(SettingsError) as e:
        load_settings("cli", {"COMPLAINTS_HOME": value})
    assert says in str(e.value)


def test_unset_it_is_the_checkout_the_bot_runs_from():
    root = home.checkout()
    assert root is not None and (root / "pyproject.toml").is_file() and (root / "handlers" / "cli.py").is_file()
    assert home.default_home({}) == root


def test_a_relative_letter_template_is_taken_in_complaints_home(tmp_path):
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "ack.txt").write_text("Dear $client_name")
    env = {"COMPLAINTS_HOME": str(tmp_path), "ACKNOWLEDGEMENT_TEMPLATE": "letters/ack.txt"}
    assert load_settings("cli", env).acknowledgement_template == str(tmp_path / "letters" / "ack.txt")
    with pytest.raises(SettingsError) as e:
        load_settings("cli", {**env, "ACKNOWLEDGEMENT_TEMPLATE": "letters/missing.txt"})
    assert f"{tmp_path / 'letters' / 'missing.txt'}' does not exist" in str(e.value)
