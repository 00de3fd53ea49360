"""Exactly once under failure: a process killed mid-sweep, sweeps racing, two bot processes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.complaints import service as complaints
from bot.core.clock import FrozenClock
from bot.core.context import BotContext, make_context
from bot.outbox.delivery import LEASE
from bot.reminders.sweep import sweep
from handlers.modals.intake import parse_intake
from storage.db import make_engine, make_session_factory
from storage.models import Notification
from tests.conftest import make_settings
from tests.fakes import RecordingNotifier, intake_values, no_team

ROOT = Path(__file__).resolve().parents[3]  # the repository

# A child process that sweeps at a given time and is killed (SIGKILL) at a chosen point.
CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from datetime import datetime
    from bot.core.clock import FrozenClock
    from bot.core.context import make_context
    from bot.outbox.notifier import Posted
    from bot.reminders.sweep import record_due, sweep
    from storage.db import make_engine, make_session_factory
    from tests.conftest import make_settings
    from tests.fakes import no_team

    db_url, when, mode = sys.argv[1], datetime.fromisoformat(sys.argv[2]), sys.argv[3]

    class DiesWhileSending:
        def post(self, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)
        update = post

    engine = make_engine(db_url)
    ctx = make_context(settings=make_settings(db_url), engine=engine, session_factory=make_session_factory(engine),
                       notifier=DiesWhileSending(), clock=FrozenClock(when), team=no_team())
    if mode == "sweep-to-slack":
        from slack_sdk import WebClient
        from bot.outbox.notifier import SlackNotifier
        ctx.notifier = SlackNotifier(WebClient(token="xoxb-t", base_url=sys.argv[4], retry_handlers=[]))
        sys.stdin.readline()  # both processes start sweeping at the same moment
        report = sweep(ctx)
        print(len(report.sent))
        sys.exit(0)
    if mode == "after-recording":
        record_due(ctx)
        os.kill(os.getpid(), signal.SIGKILL)
    else:
        sweep(ctx)  # claims the message, then dies inside the send
    sys.exit(3)  # not reached
    """
)


def log_many(ctx, n: int) -> None:
    for _ in range(n):
        data = parse_intake(intake_values(), today=ctx.today())
        logged = complaints.log_complaint(
            session_factory=ctx.session_factory,
            data=data,
            reporter_id="UREPORTER",
            now=ctx.clock.now(),
            settings=ctx.settings,
            policy=ctx.policy,
        )
        ctx.deliver(logged.notification_keys)


def run_child(db_url: str, when, mode: str) -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, db_url, when.isoformat(), mode],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return proc.returncode


@pytest.mark.parametrize("mode", ["after-recording", "while-sending"])
def test_a_process_killed_mid_sweep_loses_nothing_and_sends_once(ctx, db_url, notifier, mode):
    log_many(ctx, 2)
    notifier.sent.clear()
    ctx.clock.advance(hours=20)
    assert run_child(db_url, ctx.clock.now(), mode) == -9  # killed
    with ctx.session_factory() as s:
        pending = s.execute(select(Notification).where(Notification.sent_at.is_(None))).scalars().all()
    assert sorted(n.kind for n in pending) == ["triage-warning", "triage-warning"]

    first = sweep(ctx)
    if mode == "while-sending":
        # the dead process still holds its claims: those messages wait for the lease to run out
        assert first.sent == []
        ctx.clock.advance(LEASE - timedelta(seconds=1))
        assert sweep(ctx).sent == []
        ctx.clock.advance(seconds=1)
        assert len(sweep(ctx).sent) == 2
    else:
        assert len(first.sent) == 2
    warnings = [s for s in notifier.sent if "still needs triage" in s.text]
    assert len(warnings) == 2 and len({w.text for w in warnings}) == 2
    ctx.clock.advance(minutes=30)
    assert sweep(ctx).sent == []


def second_context(db_url: str, clock) -> BotContext:
    engine = make_engine(db_url)
    return make_context(
        settings=make_settings(db_url),
        engine=engine,
        session_factory=make_session_factory(engine),
        notifier=RecordingNotifier(),
        clock=clock,
        team=no_team(),
    )


def test_sweeps_racing_send_each_reminder_once(ctx, db_url, notifier):
    log_many(ctx, 30)
    notifier.sent.clear()
    clock = FrozenClock(ctx.clock.now() + timedelta(hours=25))
    contexts = [second_context(db_url, clock) for _ in range(4)]
    barrier = threading.Barrier(len(contexts))
    errors: list[BaseException] = []

    def run(c: BotContext) -> None:
        try:
            barrier.wait()
            sweep(c)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(c,)) for c in contexts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    texts = [s.text for c in contexts for s in c.notifier.sent]
    assert len(texts) == 30 and len(set(texts)) == 30
    for c in contexts:
        c.engine.dispose()


def test_two_bot_processes_sweeping_one_database_send_each_reminder_once(ctx, db_url, notifier, slack_double):
    log_many(ctx, 40)
    when = ctx.clock.now() + timedelta(hours=25)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, db_url, when.isoformat(), "sweep-to-slack", slack_double.url],
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    sent_per_process = [int(out.strip().splitlines()[-1]) for out, _ in outputs]
    texts = [c.params["text"] for c in slack_double.calls_to("chat.postMessage") if c.ok]
    assert sum(sent_per_process) == len(texts) == 40
    assert len(set(texts)) == 40
