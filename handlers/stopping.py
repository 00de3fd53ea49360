"""Stopping `run` and `serve` cleanly on SIGTERM or SIGINT: take no more work, let the sends on the
wire finish and hand back the messages claimed but not sent, stop the scheduler, say so in one log
line, exit 0 within STOP_WITHIN_S (systemd's and Docker's stop waits last 10 s before a SIGKILL).

A message handed back is sent by the next sweep of any process at once. A send still on the wire
when the time runs out keeps its claim: Slack may have posted it, and only its lease (2 minutes)
can tell a later sweep it is safe to try again without posting it twice.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from types import FrameType

from apscheduler.schedulers.base import BaseScheduler

from bot.core.context import BotContext

log = logging.getLogger(__name__)

STOP_WITHIN_S = 10.0
# Kept back from STOP_WITHIN_S for what follows the wait for sends: the log line, the exit.
MARGIN_S = 1.5
# Libraries that narrate their own stop at INFO; the stop is told in one line.
NARRATORS = ("apscheduler", "slack_sdk.socket_mode")


class Signals:
    """SIGTERM and SIGINT set an event the main thread waits on, so Ctrl+C raises no KeyboardInterrupt
    (and prints no traceback) wherever the process is."""

    def __init__(self) -> None:
        self.received: str | None = None
        self.at = 0.0
        self._event = threading.Event()

    def install(self) -> Signals:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        return self

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.note(signal.Signals(signum).name)

    def note(self, name: str) -> None:
        if self.received is None:  # a second Ctrl+C does not restart the countdown
            self.received, self.at = name, time.monotonic()
            self._event.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._event.wait(timeout)

    @property
    def deadline(self) -> float:
        """When the wait for sends on the wire must end (time.monotonic())."""
        return self.at + STOP_WITHIN_S - MARGIN_S


def stop_taking_work(ctx: BotContext, scheduler: BaseScheduler | None) -> None:
    """No new claim, no new sweep; a sweep running goes on until its send on the wire is over."""
    for name in NARRATORS:
        logging.getLogger(name).setLevel(logging.WARNING)
    ctx.drain.stop()
    if scheduler is not None and scheduler.running:
        scheduler.pause()  # no new run; finish() waits for the one running


def finish(ctx: BotContext, *, reason: str, deadline: float, scheduler: BaseScheduler | None = None) -> int:
    """Wait until `deadline` for the sends on the wire and the sweep they belong to, then log the one
    line, so it is the last the process writes; how many sends outlived the wait."""
    on_the_wire = ctx.drain.wait_idle(deadline - time.monotonic())
    if scheduler is not None and scheduler.running:
        # The sweep running records what it sent and says so; a stuck one is left behind (see leave).
        stopper = threading.Thread(target=scheduler.shutdown, kwargs={"wait": True}, daemon=True)
        stopper.start()
        stopper.join(max(0.0, deadline - time.monotonic()))
    ctx.drain.hand_back()  # what a delivery stuck behind a send on the wire had claimed with it
    released = ctx.drain.released
    line = f"Stopped: {reason}; {released} send{'' if released == 1 else 's'} released"
    if on_the_wire:
        line += f"; {on_the_wire} still on the wire when the time ran out, left to its lease so it is not sent twice"
    log.info(line)
    return on_the_wire


def leave(code: int) -> None:
    """Exit now, past the threads still on a send, once the log is written: waiting for them would
    overrun STOP_WITHIN_S, and their claims are safe (see finish)."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


class Stoppable:
    """A `serve` worker's bot: its context and scheduler, stopped as `run` stops (gunicorn_app.Worker)."""

    def __init__(self, ctx: BotContext, scheduler: BaseScheduler) -> None:
        self.ctx = ctx
        self.scheduler = scheduler


def before_start(signals: Signals) -> int:
    """A stop asked for during the start-up checks or the migration, before any work was taken."""
    log.info("Stopped: %s before starting; 0 sends released", signals.received)
    return 0
