"""The sweep with an injected clock: each reminder once, at the right time, to the right place."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest
from sqlalchemy import select

from bot.complaints import service as complaints
from bot.outbox.notifier import SendFailed
from bot.reminders.sweep import preview, record_due, sweep
from handlers.modals.client_update import parse_client_update
from handlers.modals.intake import parse_intake
from handlers.modals.resolve import parse_resolution
from handlers.modals.snooze import parse_snooze
from handlers.modals.triage import parse_triage
from storage.models import Complaint, Event, Notification
from tests.factories import acknowledge, send_first_contact_reminders
from tests.fakes import intake_values, triage_values


def log(ctx, **overrides):
    data = parse_intake(intake_values(**overrides), today=ctx.today())
    logged = complaints.log_complaint(
        session_factory=ctx.session_factory,
        data=data,
        reporter_id="UREPORTER",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    ctx.deliver(logged.notification_keys)
    return logged.complaint.reference


def triage(ctx, ref, **overrides):
    data = parse_triage(triage_values(**overrides), today=ctx.today())
    result = complaints.triage_complaint(
        session_factory=ctx.session_factory,
        reference=ref,
        data=data,
        actor="ULEAD",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    ctx.deliver(result.notification_keys)


def sent_kinds(ctx, report) -> list[str]:
    return [d.kind for d in report.sent]


@pytest.fixture
def lead_ctx(ctx):
    from dataclasses import replace

    ctx.settings = replace(ctx.settings, complaints_lead="SLEADS")
    return ctx


def test_triage_warning_then_daily_escalation_each_once(lead_ctx, notifier):
    ctx = lead_ctx
    log(ctx)
    notifier.sent.clear()
    ctx.clock.advance(hours=19, minutes=59)
    assert sweep(ctx).sent == []
    ctx.clock.advance(minutes=1)  # 20 h
    assert sent_kinds(ctx, sweep(ctx)) == ["triage-warning"]
    assert sweep(ctx).sent == []  # the same minute again: nothing
    ctx.clock.advance(hours=3, minutes=59)
    assert sweep(ctx).sent == []
    ctx.clock.advance(minutes=1)  # 24 h
    report = sweep(ctx)
    assert sent_kinds(ctx, report) == ["triage-breach"]
    breach = notifier.sent[-1]
    assert breach.channel == "CTRIAGE01" and "<!subteam^SLEADS>" in breach.blocks[0]["text"]["text"]
    # swept every 4 hours for three more days: exactly one more escalation per day
    per_day = []
    for _day in range(3):
        count = 0
        for _ in range(6):
            ctx.clock.advance(hours=4)
            count += sent_kinds(ctx, sweep(ctx)).count("triage-breach")
        per_day.append(count)
    assert per_day == [1, 1, 1]
    keys = [n.dedupe_key for n in notifications(ctx) if n.kind == "triage-breach"]
    assert len(keys) == len(set(keys)) == 4


def T0_of(ctx, ref):
    with ctx.session_factory() as s:
        return s.execute(select(Complaint.logged_at).where(Complaint.reference == ref)).scalar_one()


def notifications(ctx) -> list[Notification]:
    with ctx.session_factory() as s:
        return list(s.execute(select(Notification).order_by(Notification.id)).scalars())


def test_catch_up_after_downtime_sends_each_duty_once(ctx, notifier):
    log(ctx)
    notifier.sent.clear()
    ctx.clock.advance(days=3, hours=5)  # the bot was down for all of it
    report = sweep(ctx)
    # Not the stale warning, not one per missed day; the first contact promised for Wed 25 Nov
    # (2 working days after Mon 23), once, to the triage channel while untriaged; and the
    # acknowledgement not recorded as sent: due by the end of Tue 24 Nov (to the reporter), still
    # not on Wed 25 Nov 09:00 (to the channel), each once.
    assert sorted(sent_kinds(ctx, report)) == [
        "acknowledgement-due",
        "acknowledgement-overdue",
        "first-contact-due",
        "triage-breach",
    ]
    assert sweep(ctx).sent == []


def test_triaged_complaint_gets_no_triage_reminders(ctx, notifier):
    ref = log(ctx)
    ctx.clock.advance(hours=2)
    triage(ctx, ref)
    notifier.sent.clear()
    ctx.clock.advance(hours=30)
    assert [k for k in sent_kinds(ctx, sweep(ctx)) if k.startswith("triage")] == []


def test_update_nudge_goes_to_the_handler_with_buttons_then_escalates(ctx, notifier):
    ref = log(ctx)
    triage(ctx, ref, severity="high")  # cadence 5 days
    send_first_contact_reminders(ctx)
    notifier.sent.clear()
    ctx.clock.advance(days=3, seconds=-1)
    assert sweep(ctx).sent == []
    ctx.clock.advance(seconds=1)
    assert sent_kinds(ctx, sweep(ctx)) == ["update-due"]
    nudge = notifier.sent[-1]
    assert nudge.channel == "UHANDLER1"
    buttons = [e["action_id"] for b in nudge.blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["complaint_log_update_open", "complaint_snooze_open", "complaint_resolve_open"]
    assert sweep(ctx).sent == []
    ctx.clock.advance(days=1)
    assert sent_kinds(ctx, sweep(ctx)) == ["update-due"]  # at most one a day
    ctx.clock.advance(days=1)  # two days overdue
    before = len(notifier.sent)
    assert sorted(sent_kinds(ctx, sweep(ctx))) == ["update-due", "update-overdue"]
    # the nudge goes to the handler, the escalation to the triage channel: nothing else, nowhere else
    sent = sorted((s.channel, s.text.split(" ")[0]) for s in notifier.sent[before:])
    assert sent == [("CTRIAGE01", ":warning:"), ("UHANDLER1", ":bell:")]
    [escalation] = notifier.to("CTRIAGE01")[-1:]
    assert "overdue" in escalation.text and "<@UHANDLER1>" in escalation.text
    ctx.clock.advance(days=1)
    assert sent_kinds(ctx, sweep(ctx)) == ["update-due"]  # the escalation is once per missed update


def test_logging_a_client_update_resets_the_clock(ctx, notifier):
    ref = log(ctx)
    acknowledge(ctx, ref)
    ctx.deliver()
    triage(ctx, ref, severity="high")
    ctx.clock.advance(days=4, hours=23)  # an hour before the update falls due
    complaints.log_client_update(
        session_factory=ctx.session_factory,
        reference=ref,
        now=ctx.clock.now(),
        policy=ctx.policy,
        actor="UHANDLER1",
        data=parse_client_update(
            {"update_date": ctx.today().isoformat(), "update_via": "phone", "told": "Completion next week."},
            today=ctx.today(),
        ),
    )
    notifier.sent.clear()
    ctx.clock.advance(hours=2)
    assert sweep(ctx).sent == []
    ctx.clock.advance(days=5)
    assert sent_kinds(ctx, sweep(ctx)) == ["update-due"]


def test_snooze_postpones_the_nudge_and_its_escalation(ctx, notifier):
    ref = log(ctx)
    triage(ctx, ref, severity="high")
    ctx.clock.advance(days=5)
    sweep(ctx)
    complaints.snooze(
        session_factory=ctx.session_factory,
        reference=ref,
        now=ctx.clock.now(),
        actor="UHANDLER1",
        data=parse_snooze({"snooze_days": "3", "reason": "Client abroad"}),
    )
    notifier.sent.clear()
    ctx.clock.advance(days=2, hours=23)
    assert sweep(ctx).sent == []  # no nudge, and no escalation although 2 days overdue
    ctx.clock.advance(hours=1)
    assert sent_kinds(ctx, sweep(ctx)) == ["update-due"]
    with ctx.session_factory() as s:
        assert "snoozed" in [e.kind for e in s.execute(select(Event)).scalars()]


def test_final_response_warnings_at_6_and_7_weeks_and_escalation_after_the_deadline(ctx, notifier):
    ref = log(ctx, received_on="2026-11-23")  # due 18 Jan 2027
    triage(ctx, ref, severity="low", target_date="2027-01-15")
    with ctx.session_factory() as s:
        assert s.execute(select(Complaint.final_response_due_on)).scalar_one() == date(2027, 1, 18)

    def final_kinds_at(when):
        ctx.clock.set(when)
        # client updates kept up to date so only the final-response series speaks
        complaints.log_client_update(
            session_factory=ctx.session_factory,
            reference=ref,
            now=ctx.clock.now(),
            policy=ctx.policy,
            actor="UHANDLER1",
            data=parse_client_update(
                {"update_date": ctx.today().isoformat(), "update_via": "email", "told": "Still working on it."},
                today=ctx.today(),
            ),
        )
        return [k for k in sent_kinds(ctx, sweep(ctx)) if k.startswith("final")]

    from datetime import datetime

    assert final_kinds_at(datetime(2027, 1, 4, 8, 59, tzinfo=UTC)) == []
    assert final_kinds_at(datetime(2027, 1, 4, 9, 0, tzinfo=UTC)) == ["final-warning"]  # 6 weeks
    assert final_kinds_at(datetime(2027, 1, 4, 15, 0, tzinfo=UTC)) == []
    assert final_kinds_at(datetime(2027, 1, 11, 9, 0, tzinfo=UTC)) == ["final-warning"]  # 7 weeks
    assert notifier.sent[-1].channel == "UHANDLER1" and "in 7 days" in notifier.sent[-1].text
    assert final_kinds_at(datetime(2027, 1, 18, 12, 0, tzinfo=UTC)) == []  # due today, not yet late
    assert final_kinds_at(datetime(2027, 1, 19, 9, 0, tzinfo=UTC)) == ["final-breach"]
    assert notifier.sent[-1].channel == "CTRIAGE01"
    assert final_kinds_at(datetime(2027, 1, 25, 9, 0, tzinfo=UTC)) == []  # escalated once


def test_a_resolved_complaint_gets_nothing_more_and_its_pending_reminders_are_cancelled(ctx, notifier):
    ref = log(ctx)
    triage(ctx, ref, severity="high")
    send_first_contact_reminders(ctx)
    ctx.clock.advance(days=3)
    notifier.fail_next(SendFailed("Slack answered 500"))
    sweep(ctx)  # the nudge is recorded but its send failed: it is pending
    assert [n.kind for n in notifications(ctx) if n.sent_at is None] == ["update-due"]
    complaints.resolve(
        session_factory=ctx.session_factory,
        reference=ref,
        now=ctx.clock.now(),
        actor="UHANDLER1",
        settings=ctx.settings,
        data=parse_resolution(
            {
                "outcome": "upheld",
                "final_response_sent_on": ctx.today().isoformat(),
                "ombudsman": "available,contact,six_months",
                "root_cause": "delay",
            },
            today=ctx.today(),
        ),
    )
    notifier.sent.clear()
    sent_per_week = []
    for _ in range(10):
        ctx.clock.advance(days=7)
        sent_per_week.append([d.kind for d in sweep(ctx).sent])
    # only the alert edit resolving recorded (never delivered above), once, on the first sweep after
    assert sent_per_week == [["triage-alert-update"]] + [[]] * 9
    assert not any(s.text and "update is due" in s.text for s in notifier.sent)


def test_reopening_restarts_the_update_clock(ctx, notifier):
    ref = log(ctx)
    triage(ctx, ref, severity="critical")  # every 2 days
    complaints.resolve(
        session_factory=ctx.session_factory,
        reference=ref,
        now=ctx.clock.now(),
        actor="UHANDLER1",
        settings=ctx.settings,
        data=parse_resolution(
            {"outcome": "withdrawn", "final_response_sent_on": ctx.today().isoformat(), "root_cause": "delay"},
            today=ctx.today(),
        ),
    )
    ctx.clock.advance(days=10)
    assert [d for d in sweep(ctx).sent if d.kind == "update-due"] == []
    complaints.reopen(
        session_factory=ctx.session_factory,
        reference=ref,
        actor="ULEAD",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    ctx.clock.advance(days=2)
    assert "update-due" in sent_kinds(ctx, sweep(ctx))


def test_a_failed_send_is_retried_with_backoff_until_it_goes_through(ctx, notifier):
    log(ctx)
    notifier.sent.clear()
    ctx.clock.advance(hours=20)
    notifier.fail_next(SendFailed("Slack answered 429: ratelimited", retry_after=120), SendFailed("Slack answered 500"))
    first = sweep(ctx)
    assert first.sent == [] and len(first.failed) == 1
    ctx.clock.advance(seconds=60)
    assert sweep(ctx).deliveries == []  # Retry-After of 120 s is honoured
    ctx.clock.advance(seconds=61)
    assert len(sweep(ctx).failed) == 1  # the 500
    ctx.clock.advance(seconds=59)
    assert sweep(ctx).deliveries == []  # backoff doubles: 60 s after the second attempt
    ctx.clock.advance(seconds=2)
    assert sent_kinds(ctx, sweep(ctx)) == ["triage-warning"]
    assert [s.text for s in notifier.sent].count(notifier.sent[-1].text) == 1
    [row] = [n for n in notifications(ctx) if n.kind == "triage-warning"]
    assert row.attempts == 3 and row.sent_at is not None and row.last_error is None


def test_sweep_reads_only_complaints_whose_time_has_come(ctx, monkeypatch):
    import bot.reminders.sweep as sweep_module

    reviewed: list[str] = []
    real = sweep_module._complaint_messages

    def spy(ctx, session, c, now):
        reviewed.append(c.reference)
        return real(ctx, session, c, now)

    [(model, _), *others] = sweep_module._REVIEWED
    assert model is Complaint
    monkeypatch.setattr(sweep_module, "_REVIEWED", ((Complaint, sweep_module.each(spy)), *others))

    def swept() -> list[str]:
        reviewed.clear()
        sweep(ctx)
        return sorted(reviewed)

    t0 = ctx.clock.now()
    a, b, c = (log(ctx) for _ in range(3))
    assert swept() == [a, b, c]  # just logged: each is looked at once
    with ctx.session_factory() as s:
        times = dict(s.execute(select(Complaint.reference, Complaint.next_reminder_at)).all())
    assert times == {a: t0 + timedelta(hours=20), b: t0 + timedelta(hours=20), c: t0 + timedelta(hours=20)}
    assert swept() == []  # nothing has come due: no complaint is read at all

    ctx.clock.advance(hours=1)
    d = log(ctx)
    triage(ctx, b)  # triage brings b's next look forward to now
    assert swept() == [b, d]
    assert swept() == []
    ctx.clock.set(t0 + timedelta(hours=20) - timedelta(seconds=1))
    assert swept() == []  # a and c not yet: one second early
    ctx.clock.advance(seconds=1)
    assert swept() == [a, c]  # their warning time; b (triaged) and d (logged an hour later) not yet
    ctx.clock.advance(hours=1)
    assert swept() == [d]


def test_dry_run_lists_what_would_be_sent_and_records_nothing(ctx, notifier):
    ref = log(ctx)
    notifier.sent.clear()
    before = len(notifications(ctx))
    ctx.clock.advance(hours=25)
    lines = preview(ctx)
    assert len(lines) == 1 and lines[0].startswith(f"triage-breach:{ref}:") and "→ CTRIAGE01" in lines[0]
    assert len(notifications(ctx)) == before and notifier.sent == []
    assert record_due(ctx) == [lines[0].split(" ")[0]]
