"""Fixtures: a migrated store on SQLite and on PostgreSQL, an injected clock, a context, the bot over HTTP."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text

from bot.core.clock import FrozenClock
from bot.core.config import Settings
from bot.core.context import make_context
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from tests.fakes import RecordingNotifier, no_team

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]
# A Monday morning in November, London time = UTC.
T0 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def _pg_schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A database URL with an empty store: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'complaints.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as e:  # fail, never skip: the suite promises both databases
        admin.dispose()
        pytest.fail(f"PostgreSQL at {PG_URL} is not reachable ({e}); start it (.ci/run does) or set TEST_POSTGRES_URL")
    yield _pg_schema_url(schema)
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def engine(db_url):
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session_factory(engine):
    return make_session_factory(engine)


@pytest.fixture
def clock():
    return FrozenClock(T0)


@pytest.fixture
def settings(db_url):
    return make_settings(db_url)


def make_settings(db_url: str, **overrides) -> Settings:
    values = dict(
        slack_bot_token="xoxb-test-token",
        slack_signing_secret="test-signing-secret",
        database_url=db_url,
        triage_channel="CTRIAGE01",
        digest_channel=None,  # the digest tests turn it on
        firm_timezone="Europe/London",
        firm_name="Example & Co LLP",
    )
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def notifier():
    return RecordingNotifier()


@pytest.fixture
def ctx(settings, engine, session_factory, notifier, clock):
    return make_context(
        settings=settings,
        engine=engine,
        session_factory=session_factory,
        notifier=notifier,
        clock=clock,
        team=no_team(),
    )


# --- end to end ---------------------------------------------------------------------------------


@pytest.fixture
def slack_double():
    from tests.slack_double import SlackDouble

    with SlackDouble(members={"CTRIAGE01": ["ULEAD", "UHANDLER1"]}) as double:
        yield double
    assert double.invalid == [], f"the bot sent Block Kit Slack would reject: {double.invalid}"


@pytest.fixture
def live(db_url, engine, session_factory, clock, slack_double):
    """The bot over real HTTP with its Web API pointed at the Slack double; yields (bot, slack, ctx)."""
    with serve_live(db_url, engine, session_factory, clock, slack_double) as served:
        yield served


@contextmanager
def serve_live(db_url, engine, session_factory, clock, slack_double, **settings_overrides):
    """`live`'s bot, with settings of a test's own (e.g. another complaints scheme)."""
    from slack_sdk import WebClient

    from bot.outbox.notifier import SlackNotifier
    from bot.team import slack_team
    from handlers.app import make_web_client
    from tests.e2e import BotServer, SlackSide

    settings = make_settings(db_url, slack_api_url=slack_double.url, **settings_overrides)
    notifier = SlackNotifier(WebClient(token=settings.slack_bot_token, base_url=slack_double.url, retry_handlers=[]))
    # The complaints team read from the double's triage channel, through the client the listeners use.
    team = slack_team(
        make_web_client(settings.slack_bot_token, slack_double.url), channel=settings.triage_channel, clock=clock
    )
    context = make_context(
        settings=settings, engine=engine, session_factory=session_factory, notifier=notifier, clock=clock, team=team
    )
    with BotServer(context, slack_double.url) as bot:
        yield bot, SlackSide(bot.url, settings.slack_signing_secret, slack_double.response_url_base), context


@pytest.fixture
def cli_run(db_url, tmp_path, monkeypatch, capsys):
    """`complaint-bot …` in this process against the test store, run from tmp_path as alice;
    (exit status, stdout, stderr). A test sets the firm's other settings with monkeypatch.setenv."""
    from handlers import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setattr("getpass.getuser", lambda: "alice")

    def _run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            status = cli.main(list(args))
        except SystemExit as e:
            status = e.code
        out, err = capsys.readouterr()
        return status, out, err

    return _run
