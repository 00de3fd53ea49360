"""The first contact the acknowledgement promises: counted in working days, and a reminder the
morning it is due while no client contact is logged, sent once."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.reminders.policy import ComplaintFacts, ReminderKind, SlaPolicy
from bot.reminders.sweep import sweep
from bot.rulebooks.calendar import BusinessCalendar
from storage.models import Notification
from tests.e2e import validate_message
from tests.factories import acknowledge, client_update, log, triage

REF = "CMP-2026-0042"
POLICY = SlaPolicy(calendar=BusinessCalendar.named("england-and-wales"))


def facts(**overrides) -> ComplaintFacts:
    values = dict(
        reference=REF,
        status="new",
        logged_at=datetime(2026, 11, 27, 17, 45, tzinfo=UTC),  # Fri 27 Nov 2026, after work
        received_on=date(2026, 11, 27),
        client_update_count=0,
    )
    values.update(overrides)
    return ComplaintFacts(**values)


def first_contact(f: ComplaintFacts, now: datetime) -> list[str]:
    return [r.key for r in POLICY.due(f, now) if r.kind == ReminderKind.FIRST_CONTACT_DUE]


def test_due_the_morning_of_the_second_working_day_and_only_while_no_contact_is_logged():
    # Logged Fri 27 Nov: 2 working days on is Tue 1 Dec 2026, 09:00 GMT (= 09:00 UTC).
    assert first_contact(facts(), datetime(2026, 12, 1, 8, 59, tzinfo=UTC)) == []
    assert first_contact(facts(), datetime(2026, 12, 1, 9, 0, tzinfo=UTC)) == [f"first-contact:{REF}"]
    # Still the one key days later (catching up after downtime sends it once).
    assert first_contact(facts(), datetime(2026, 12, 9, 9, 0, tzinfo=UTC)) == [f"first-contact:{REF}"]
    assert first_contact(facts(client_update_count=1), datetime(2026, 12, 1, 9, 0, tzinfo=UTC)) == []
    assert first_contact(facts(status="resolved"), datetime(2026, 12, 1, 9, 0, tzinfo=UTC)) == []
    # Triaged (so no triage reminder repeats), the next look is that morning.
    triaged = facts(status="triaged")
    assert POLICY.next_check_at(triaged, datetime(2026, 11, 30, 12, 0, tzinfo=UTC)) == datetime(
        2026, 12, 1, 9, 0, tzinfo=UTC
    )


def test_over_christmas_it_waits_for_the_working_days():
    # Logged Thu 24 Dec 2026: Fri 25 and Mon 28 are bank holidays, so Tue 29 (1), Wed 30 Dec (2).
    f = facts(logged_at=datetime(2026, 12, 24, 10, 0, tzinfo=UTC), received_on=date(2026, 12, 24))
    assert first_contact(f, datetime(2026, 12, 30, 8, 59, tzinfo=UTC)) == []
    assert first_contact(f, datetime(2026, 12, 30, 9, 0, tzinfo=UTC)) == [f"first-contact:{REF}"]


def first_contact_rows(ctx) -> list[Notification]:
    with ctx.session_factory() as s:
        return list(s.execute(select(Notification).where(Notification.kind == "first-contact-due")).scalars())


def test_untriaged_it_goes_to_the_triage_channel_once(ctx, notifier):
    # Logged at T0, Mon 23 Nov 2026 09:30: first contact by Wed 25 Nov, reminded at 09:00.
    c = log(ctx)
    ctx.deliver()
    ctx.clock.set(datetime(2026, 11, 25, 8, 59, tzinfo=UTC))
    assert [d.kind for d in sweep(ctx).sent if d.kind == "first-contact-due"] == []
    ctx.clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    sent = [d for d in sweep(ctx).sent if d.kind == "first-contact-due"]
    assert [(d.dedupe_key, d.channel) for d in sent] == [(f"first-contact:{c.reference}", "CTRIAGE01")]
    message = notifier.sent[-1]
    assert "acknowledgement promised it by 25 Nov 2026" in message.text and c.reference in message.text
    validate_message(message.blocks)
    ctx.clock.advance(days=3)
    assert [d for d in sweep(ctx).sent if d.kind == "first-contact-due"] == []
    assert len(first_contact_rows(ctx)) == 1


def test_triaged_it_goes_to_the_handler(ctx, notifier):
    c = log(ctx)
    triage(ctx, c.reference)
    ctx.deliver()
    ctx.clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    sent = [d for d in sweep(ctx).sent if d.kind == "first-contact-due"]
    assert [d.channel for d in sent] == ["UHANDLER1"]


def test_a_client_contact_logged_in_time_means_no_reminder(ctx, notifier):
    c = log(ctx)
    triage(ctx, c.reference)
    client_update(ctx, c.reference)
    ctx.deliver()
    ctx.clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    sweep(ctx)
    assert first_contact_rows(ctx) == []


def test_a_contact_logged_before_the_reminder_went_out_cancels_it(ctx, notifier):
    from bot.outbox.notifier import SendFailed

    c = log(ctx)
    acknowledge(ctx, c.reference)  # so the one send that fails is the first-contact reminder's
    triage(ctx, c.reference)
    ctx.deliver()
    ctx.clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    notifier.fail_next(SendFailed("Slack answered 500"))
    sweep(ctx)  # recorded; its send failed, so it waits for a retry
    [waiting] = first_contact_rows(ctx)
    assert waiting.sent_at is None
    client_update(ctx, c.reference)
    ctx.clock.advance(hours=1)
    sweep(ctx)
    [row] = first_contact_rows(ctx)
    assert row.sent_at is None and row.cancelled_at is not None
