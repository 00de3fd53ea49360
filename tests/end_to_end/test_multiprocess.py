"""Several processes on one PostgreSQL database: two `complaint-bot serve` (one of them with two
gunicorn workers) and `complaint-bot sweep` from cron, side by side, all pointed at one Slack.

Each message the store records is sent once, whoever sends it; intake under concurrent load loses
nothing and duplicates nothing; references stay consecutive. Real processes on the system clock:
the test makes things due by moving them back in the store, and waits for conditions (the
processes answering, the store having nothing left to send), never for time to pass.
"""

from __future__ import annotations

import os
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update

from bot.complaints import service as complaints
from bot.core.clock import FrozenClock
from bot.core.context import make_context
from handlers.modals.intake import parse_intake
from storage.db import make_engine, make_session_factory
from storage.migrate import current_revision, head_revision, upgrade
from storage.models import Complaint, Notification
from tests.conftest import make_settings
from tests.e2e import SlackSide, open_intake_modal, posts_by_reference
from tests.factories import SLACK_VARS, WAIT_S, Proc, acknowledged_when_logged, free_port
from tests.fakes import RecordingNotifier, intake_values, no_team

SECRET = "multiprocess-secret"
TRIAGE = "CTRIAGE01"
DIGEST = "CDIGEST01"

postgresql_only = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


def _env(db_url: str, slack_api_url: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in SLACK_VARS}
    return {
        **base,
        "SLACK_BOT_TOKEN": "xoxb-t",
        "SLACK_SIGNING_SECRET": SECRET,
        "TRIAGE_CHANNEL": TRIAGE,
        "DIGEST_CHANNEL": DIGEST,
        "SLACK_API_URL": slack_api_url,
        "DATABASE_URL": db_url,
    }


class Server(Proc):
    def __init__(self, env: dict[str, str], log: Path, *, workers: int):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(
            ["serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)], env, log
        )

    def wait_serving(self) -> None:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            assert self.popen.poll() is None, f"serve exited with {self.popen.returncode}:\n{self.output()}"
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)  # still starting: poll again
        raise AssertionError(f"serve did not start:\n{self.output()}")


def _unsent(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            select(func.count())
            .select_from(Notification)
            .where(
                Notification.sent_at.is_(None), Notification.cancelled_at.is_(None), Notification.abandoned_at.is_(None)
            )
        ).scalar_one()


def wait_all_sent(engine) -> None:
    """Wait until the store has nothing left to send: every message recorded is sent."""
    deadline = time.monotonic() + WAIT_S
    while _unsent(engine):
        assert time.monotonic() < deadline, f"{_unsent(engine)} message(s) still unsent after {WAIT_S} s"
        time.sleep(0.1)  # polling the store for a condition


def assert_each_recorded_message_posted_once(engine, double) -> Counter:
    """The double got exactly one chat.postMessage per message the store recorded as a post (same
    channel, same text), and nothing else; returns the kinds recorded."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Notification.kind, Notification.channel, Notification.text, Notification.sent_at).where(
                Notification.file_name.is_(None), Notification.update_of.is_(None)
            )
        ).all()
    assert all(r.sent_at is not None for r in rows)
    recorded = Counter((r.channel, r.text) for r in rows)
    posted = Counter(
        (str(c.params["channel"]), c.params.get("text")) for c in double.calls_to("chat.postMessage") if c.ok
    )
    assert posted == recorded, f"posted twice: {posted - recorded}; never posted: {recorded - posted}"
    assert all(n == 1 for n in posted.values())
    return Counter(r.kind for r in rows)


def assert_chart_uploaded_once_if_drawn(engine, double) -> None:
    """The digest's chart (drawn when its 12 weeks had complaints) is recorded once and shared once."""
    with engine.connect() as conn:
        charts = conn.execute(
            select(func.count()).select_from(Notification).where(Notification.kind == "digest-chart")
        ).scalar_one()
    shared = [
        c for c in double.calls_to("files.completeUploadExternal") if c.ok and c.params.get("channel_id") == DIGEST
    ]
    assert charts <= 1 and len(shared) == charts


def _log_overdue(db_url: str, count: int) -> list[str]:
    """Complaints logged 25 hours ago and never triaged, their messages recorded but not sent: a
    triage escalation is due for each, and their confirmation and alert are waiting to go."""
    engine = make_engine(db_url)
    upgrade(engine)
    ctx = make_context(
        settings=make_settings(db_url, triage_channel=TRIAGE),
        engine=engine,
        session_factory=make_session_factory(engine),
        notifier=RecordingNotifier(),
        clock=FrozenClock(datetime.now(UTC) - timedelta(hours=25)),
        team=no_team(),
    )
    refs = []
    for i in range(count):
        data = parse_intake(
            # Received a week earlier: in the last full week, so its digest has a register to report on.
            intake_values(client_name=f"Earlier client {i}", received_on=(ctx.today() - timedelta(days=7)).isoformat()),
            today=ctx.today(),
        )
        logged = complaints.log_complaint(
            session_factory=ctx.session_factory,
            data=data,
            reporter_id=f"UEARLY{i:02d}",
            now=ctx.clock.now(),
            settings=ctx.settings,
            policy=ctx.policy,
        )
        acknowledged_when_logged(ctx, logged.complaint.reference)
        refs.append(logged.complaint.reference)
    engine.dispose()
    return refs


def _waiting_on_a_lock(engine, application_name: str) -> bool:
    with engine.connect() as conn:  # a new transaction each time: pg_stat_activity is a snapshot per transaction
        return (
            conn.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :n AND wait_event_type = 'Lock'"),
                {"n": application_name},
            ).scalar_one()
            > 0
        )


@postgresql_only
def test_a_process_starting_while_another_migrates_waits_then_finds_the_schema_ready(db_url, tmp_path):
    """Two processes starting at once on an empty database: the second must not create the tables too."""
    from alembic import command

    from storage.migrate import alembic_config

    engine = make_engine(db_url)
    name = f"migrate-{tmp_path.name}"[:60]
    env = {**_env(db_url, "http://127.0.0.1:9/api/"), "PGAPPNAME": name}  # to find its connection
    second = None
    try:
        with engine.begin() as conn:  # the first process, mid-migration: its tables not yet committed
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            second = Proc(["migrate"], env, tmp_path / "migrate.log")
            deadline = time.monotonic() + WAIT_S
            while not _waiting_on_a_lock(engine, name):
                assert second.popen.poll() is None, f"migrate did not wait for the first:\n{second.output()}"
                assert time.monotonic() < deadline, f"migrate never waited for the first:\n{second.output()}"
                time.sleep(0.05)  # polling for the second process to be waiting
        second.finish()
        assert current_revision(engine) == head_revision()
    finally:
        if second is not None:
            second.stop()
        engine.dispose()


@postgresql_only
def test_serve_processes_and_cron_sweeps_on_one_database_send_each_message_once(db_url, slack_double, tmp_path):
    earlier = _log_overdue(db_url, 10)
    engine = make_engine(db_url)
    env = _env(db_url, slack_double.url)
    servers: list[Server] = []
    try:
        # Start-up: both servers (three gunicorn workers, each sweeping as it starts) and two cron
        # sweeps at once, all finding the same confirmations, alerts, escalations and digest due.
        servers = [Server(env, tmp_path / "serve-a.log", workers=2), Server(env, tmp_path / "serve-b.log", workers=1)]
        sweeps = [Proc(["sweep"], env, tmp_path / f"sweep-{i}.log") for i in range(2)]
        for s in sweeps:
            s.finish()
        for s in servers:
            s.wait_serving()
        wait_all_sent(engine)
        kinds = assert_each_recorded_message_posted_once(engine, slack_double)
        assert kinds == {"logged": 10, "triage-alert": 10, "triage-breach": 10, "digest": 1}
        assert_chart_uploaded_once_if_drawn(engine, slack_double)
        posts = posts_by_reference(slack_double)
        assert {ref: sorted(chans) for ref, chans in posts.items()} == {
            ref: sorted([f"UEARLY{i:02d}", TRIAGE]) for i, ref in enumerate(earlier)
        }
        assert len([c for c in slack_double.calls_to("chat.postMessage") if c.params["channel"] == DIGEST]) == 1

        # Intake under concurrent load, split across both servers.
        sides = [SlackSide(s.url, SECRET, slack_double.response_url_base) for s in servers]
        received_on = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()

        def log(i: int) -> None:
            slack, user = sides[i % 2], f"UREPORTER{i % 8}"
            view = open_intake_modal(slack, slack_double, user=user, timeout=WAIT_S)
            r = slack.submit(view, intake_values(client_name=f"Client {i}", received_on=received_on), user=user)
            assert r.status == 200 and r.body == "", (r.status, r.body)

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(log, range(40)))
        wait_all_sent(engine)
        with engine.connect() as conn:
            new = conn.execute(
                select(Complaint.reference, Complaint.ref_year, Complaint.ref_seq, Complaint.reporter_id)
                .where(Complaint.reference.not_in(earlier))
                .order_by(Complaint.ref_seq)
            ).all()
        assert sorted(r.reference for r in new) == sorted({r.reference for r in new}) and len(new) == 40
        assert len({r.ref_year for r in new}) == 1
        first = new[0].ref_seq
        assert [r.ref_seq for r in new] == list(range(first, first + 40))  # consecutive: none skipped, none reused
        assert sorted(r.reporter_id for r in new) == sorted(f"UREPORTER{i % 8}" for i in range(40))
        posts = posts_by_reference(slack_double)
        for r in new:
            assert sorted(posts[r.reference]) == sorted([r.reporter_id, TRIAGE]), r.reference
        kinds = assert_each_recorded_message_posted_once(engine, slack_double)
        assert kinds["logged"] == kinds["triage-alert"] == 50 and kinds["triage-breach"] == 10

        # The new complaints' triage deadlines pass (moved back in the store: the processes use the
        # system clock), their acknowledgements on record (whether one is due by now depends on the
        # weekday); two cron sweeps at once, the servers' schedulers beside them.
        past = datetime.now(UTC) - timedelta(hours=25)
        with engine.begin() as conn:
            conn.execute(
                update(Complaint)
                .where(Complaint.reference.not_in(earlier))
                .values(
                    logged_at=past,
                    acknowledged_at=past,
                    acknowledged_via="email",
                    acknowledged_by="UREPORTER",
                    triage_due_at=past + timedelta(hours=24),
                    next_reminder_at=past + timedelta(hours=24),
                )
            )
        sweeps = [Proc(["sweep"], env, tmp_path / f"sweep-due-{i}.log") for i in range(2)]
        for s in sweeps:
            s.finish()
        wait_all_sent(engine)
        kinds = assert_each_recorded_message_posted_once(engine, slack_double)
        assert kinds == {"logged": 50, "triage-alert": 50, "triage-breach": 50, "digest": 1}
        assert_chart_uploaded_once_if_drawn(engine, slack_double)
        with engine.connect() as conn:
            breached = (
                conn.execute(
                    text(
                        "SELECT c.reference FROM notifications n JOIN complaints c ON c.id = n.complaint_id "
                        "WHERE n.kind = 'triage-breach'"
                    )
                )
                .scalars()
                .all()
            )
        assert sorted(breached) == sorted(earlier + [r.reference for r in new])
    finally:
        for s in servers:
            s.stop()
        engine.dispose()
