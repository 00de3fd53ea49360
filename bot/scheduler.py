"""APScheduler inside `run` and `serve`: one frequent sweep job, never one job per complaint."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

from apscheduler.schedulers.background import BackgroundScheduler

from bot.context import BotContext
from bot.sweep import sweep

log = logging.getLogger(__name__)
SWEEP_EVERY_SECONDS = 60


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
        next_run_time=datetime.now(timezone.utc),  # catch up at start, then every minute
    )
    scheduler.start()
    return scheduler
