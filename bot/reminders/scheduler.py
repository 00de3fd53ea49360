"""APScheduler inside `run` and `serve`: one frequent sweep job, never one job per complaint, and
the nightly retention purge."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from bot.core.context import BotContext
from bot.records.retention import purge
from bot.reminders.sweep import sweep

log = logging.getLogger(__name__)
SWEEP_EVERY_SECONDS = 60
PURGE_HOUR = 2  # firm time: a quiet hour
LOGGED_REFERENCES = 20


def start_scheduler(ctx: BotContext) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")

    def job() -> None:
        try:
            sweep(ctx)
        except Exception:  # the next run tries again; the store says what is still due
            log.exception("Sweep failed")

    # coalesce: after downtime or a slow sweep, one catch-up run, not one per missed minute.
    scheduler.add_job(
        job,
        "interval",
        seconds=SWEEP_EVERY_SECONDS,
        id="sweep",
        coalesce=True,
        max_instances=1,
        next_run_time=datetime.now(UTC),  # catch up at start, then every minute
    )

    def purge_job() -> None:
        try:
            report = purge(session_factory=ctx.session_factory, now=ctx.clock.now(), settings=ctx.settings)
            shown = report.references[:LOGGED_REFERENCES] + (["…"] if report.count > LOGGED_REFERENCES else [])
            log.info(
                "Retention purge: %d record(s) purged%s; %d held back by a legal hold",
                report.count,
                f" ({', '.join(shown)})" if shown else "",
                report.held_back,
            )
        except Exception:  # tomorrow's run carries on where this one stopped: each batch is all or nothing
            log.exception("Retention purge failed")

    # Several processes may run it at once: the purge claims each record with a conditional UPDATE.
    scheduler.add_job(
        purge_job,
        "cron",
        hour=PURGE_HOUR,
        minute=0,
        timezone=ctx.tz,
        id="purge",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=3600,  # a scheduler busy at 02:00 still runs it within the hour
    )
    scheduler.start()
    return scheduler
