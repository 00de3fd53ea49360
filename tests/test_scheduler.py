"""The scheduler inside `run` and `serve`: one sweep job a minute that catches up once, never piles up."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.triggers.interval import IntervalTrigger

from bot import complaints
from bot.scheduler import SWEEP_EVERY_SECONDS, start_scheduler
from tests.fakes import intake_values


def test_one_sweep_job_every_minute_that_coalesces_missed_runs(ctx):
    scheduler = start_scheduler(ctx)
    try:
        jobs = scheduler.get_jobs()
        assert [j.id for j in jobs] == ["sweep"]  # no job per complaint: the store says what is due
        job = jobs[0]
        assert isinstance(job.trigger, IntervalTrigger) and job.trigger.interval == timedelta(seconds=SWEEP_EVERY_SECONDS)
        assert job.coalesce is True and job.max_instances == 1
    finally:
        scheduler.shutdown(wait=True)


def test_the_job_sweeps_and_survives_a_failing_sweep(ctx, notifier, monkeypatch, caplog):
    scheduler = start_scheduler(ctx)
    job_function = scheduler.get_job("sweep").func
    scheduler.shutdown(wait=True)  # the job is run by hand below, at the test's time
    data = complaints.parse_intake(intake_values(), today=ctx.today())
    complaints.log_complaint(session_factory=ctx.session_factory, data=data, reporter_id="UREPORTER",
                             now=ctx.clock.now(), settings=ctx.settings, policy=ctx.policy)
    notifier.sent.clear()
    job_function()
    assert sorted(s.channel for s in notifier.sent) == ["CTRIAGE01", "UREPORTER"]

    import bot.scheduler as scheduler_module

    def broken(_ctx):
        raise RuntimeError("database went away")

    monkeypatch.setattr(scheduler_module, "sweep", broken)
    job_function()  # logged, not raised: the next minute tries again
    assert "Sweep failed" in caplog.text and "database went away" in caplog.text
