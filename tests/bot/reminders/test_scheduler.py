"""The scheduler inside `run` and `serve`: one sweep job a minute that catches up once, never piles up."""

from __future__ import annotations

from datetime import UTC, timedelta

from apscheduler.triggers.interval import IntervalTrigger

from bot.complaints import service as complaints
from bot.reminders.scheduler import SWEEP_EVERY_SECONDS, start_scheduler
from handlers.modals.intake import parse_intake
from tests.fakes import intake_values


def test_one_sweep_job_every_minute_that_coalesces_missed_runs(ctx):
    scheduler = start_scheduler(ctx)
    try:
        jobs = scheduler.get_jobs()
        # no job per complaint: the store says what is due; besides the sweep, only the nightly purge
        assert sorted(j.id for j in jobs) == ["purge", "sweep"]
        job = scheduler.get_job("sweep")
        assert isinstance(job.trigger, IntervalTrigger) and job.trigger.interval == timedelta(
            seconds=SWEEP_EVERY_SECONDS
        )
        assert job.coalesce is True and job.max_instances == 1
    finally:
        scheduler.shutdown(wait=True)


def test_the_job_sweeps_and_survives_a_failing_sweep(ctx, notifier, monkeypatch, caplog):
    scheduler = start_scheduler(ctx)
    job_function = scheduler.get_job("sweep").func
    scheduler.shutdown(wait=True)  # the job is run by hand below, at the test's time
    data = parse_intake(intake_values(), today=ctx.today())
    complaints.log_complaint(
        session_factory=ctx.session_factory,
        data=data,
        reporter_id="UREPORTER",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    notifier.sent.clear()
    job_function()
    assert sorted(s.channel for s in notifier.sent) == ["CTRIAGE01", "UREPORTER"]

    import bot.reminders.scheduler as scheduler_module

    def broken(_ctx):
        raise RuntimeError("database went away")

    monkeypatch.setattr(scheduler_module, "sweep", broken)
    job_function()  # logged, not raised: the next minute tries again
    assert "Sweep failed" in caplog.text and "database went away" in caplog.text


def test_a_nightly_purge_at_two_in_the_firms_time_zone_that_survives_a_failure(ctx, monkeypatch, caplog):
    from datetime import datetime

    from apscheduler.triggers.cron import CronTrigger

    import bot.reminders.scheduler as scheduler_module
    from bot.records.retention import REMOVED
    from tests.conftest import T0
    from tests.factories import resolved_complaint, stored

    scheduler = start_scheduler(ctx)
    try:
        job = scheduler.get_job("purge")
        assert isinstance(job.trigger, CronTrigger) and str(job.trigger.timezone) == "Europe/London"
        fields = {f.name: str(f) for f in job.trigger.fields}
        assert (fields["hour"], fields["minute"], fields["second"], fields["day"]) == ("2", "0", "0", "*")
        assert job.coalesce is True and job.max_instances == 1
        # 02:00 London: 02:00 UTC in winter, 01:00 UTC in summer
        assert job.trigger.get_next_fire_time(None, T0) == datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
        summer = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
        assert job.trigger.get_next_fire_time(None, summer) == datetime(2026, 7, 2, 1, 0, tzinfo=UTC)
        purge_job = job.func
    finally:
        scheduler.shutdown(wait=True)  # the job is run by hand below, at the test's time

    ref = resolved_complaint(ctx, T0 - timedelta(days=7 * 365))
    ctx.clock.set(T0)
    caplog.set_level("INFO", logger="bot.reminders.scheduler")
    purge_job()
    assert stored(ctx, ref).client_name == REMOVED
    assert f"Retention purge: 1 record(s) purged ({ref}); 0 held back by a legal hold" in caplog.text

    def broken(**_kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(scheduler_module, "purge", broken)
    purge_job()  # logged, not raised: tomorrow's run carries on
    assert "Retention purge failed" in caplog.text and "database went away" in caplog.text
