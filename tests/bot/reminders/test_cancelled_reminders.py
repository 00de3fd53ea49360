"""Reminders still waiting are cancelled by what makes them moot (triage, an update, a snooze,
resolving), and come back once when they are due again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from bot.complaints import service as complaints
from bot.outbox import delivery
from bot.outbox.delivery import LEASE
from bot.outbox.notifier import Posted, SendFailed
from bot.reminders.sweep import sweep
from handlers.modals.resolve import parse_resolution
from storage import outbox as outbox_store
from storage.models import Notification
from tests.factories import send_first_contact_reminders
from tests.fakes import RecordingNotifier
from tests.sweeping import client_update, complaint_id, deliver, log, row, rows, snooze, triage

# --- triage cancels the triage reminders still waiting ---------------------------------------------


@pytest.mark.parametrize("hours, kind", [(20, "triage-warning"), (25, "triage-breach")])
def test_triage_cancels_an_unsent_triage_reminder(ctx, notifier, hours, kind):
    ref = log(ctx)
    other = log(ctx)
    ctx.clock.advance(hours=hours)
    notifier.fail_next(SendFailed("Slack answered 500"), SendFailed("Slack answered 500"))
    report = sweep(ctx)
    assert sorted((d.kind, d.sent) for d in report.deliveries) == [(kind, False), (kind, False)]
    ctx.clock.advance(seconds=5)  # triaged before the retry is due
    triage(ctx, ref)
    mine = [n for n in rows(ctx, kind=kind) if n.complaint_id == complaint_id(ctx, ref)]
    theirs = [n for n in rows(ctx, kind=kind) if n.complaint_id == complaint_id(ctx, other)]
    assert [n.cancelled_at for n in mine] == [ctx.clock.now()]
    assert [n.cancelled_at for n in theirs] == [None]  # not this complaint's

    notifier.sent.clear()
    ctx.clock.advance(minutes=1)
    report = sweep(ctx)

    sent = [(d.dedupe_key, d.kind) for d in report.sent]
    assert (theirs[0].dedupe_key, kind) in sent
    assert not [k for k, sent_kind in sent if sent_kind in ("triage-warning", "triage-breach") and ref in k]
    assert not [s for s in notifier.sent if ref in s.text and ("needs triage" in s.text or "not triaged" in s.text)]


def test_triage_leaves_sent_triage_reminders_alone(ctx, notifier):
    ref = log(ctx)
    ctx.clock.advance(hours=20)
    assert [d.kind for d in sweep(ctx).sent] == ["triage-warning"]
    sent = row(ctx, kind="triage-warning")
    triage(ctx, ref)
    after = row(ctx, kind="triage-warning")
    assert after.sent_at == sent.sent_at and after.cancelled_at is None


# --- a client update or a snooze cancels the update reminders still waiting ------------------------


@pytest.mark.parametrize("change", [client_update, snooze], ids=["client-update", "snooze"])
def test_update_or_snooze_cancels_unsent_update_reminders(ctx, notifier, change):
    ref = log(ctx)
    triage(ctx, ref, severity="high")  # every 5 days
    ctx.deliver()
    send_first_contact_reminders(ctx)  # Wed 25 Nov
    ctx.clock.advance(days=5)  # Mon 30 Nov, due and two days overdue: a nudge and an escalation
    notifier.fail_next(SendFailed("Slack answered 500"), SendFailed("Slack answered 500"))
    report = sweep(ctx)
    assert sorted((d.kind, d.sent) for d in report.deliveries) == [("update-due", False), ("update-overdue", False)]
    # A final-response reminder for the same complaint, also waiting: not an update reminder.
    with ctx.session_factory.begin() as s:
        outbox_store.record_notification(
            s,
            dedupe_key=f"final-warning:{ref}:14d",
            kind="final-warning",
            channel="UHANDLER1",
            text="Final response due",
            blocks=None,
            now=ctx.clock.now(),
            complaint_id=complaint_id(ctx, ref),
        )
    ctx.clock.advance(seconds=5)

    change(ctx, ref)

    now = ctx.clock.now()
    assert [n.cancelled_at for n in rows(ctx, kind="update-due")] == [now]
    assert [n.cancelled_at for n in rows(ctx, kind="update-overdue")] == [now]
    assert row(ctx, kind="final-warning").cancelled_at is None
    notifier.sent.clear()
    ctx.clock.advance(minutes=31)  # past the failed sends' retry time
    assert [d.kind for d in sweep(ctx).sent] == ["final-warning"]
    assert [n.sent_at for n in rows(ctx, kind="update-due")] == [None]
    assert [n.sent_at for n in rows(ctx, kind="update-overdue")] == [None]


# --- a reminder cancelled before it went out comes back when it is due again -------------------------


def resolve(ctx, ref) -> tuple[str, ...]:
    return complaints.resolve(
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
    ).notification_keys


def reopen(ctx, ref) -> tuple[str, ...]:
    return complaints.reopen(
        session_factory=ctx.session_factory,
        reference=ref,
        actor="ULEAD",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    ).notification_keys


def escalations(notifier, ref) -> list:
    return [s for s in notifier.to("CTRIAGE01") if ref in s.text and "is overdue since" in s.text]


def test_an_escalation_cancelled_by_a_snooze_is_sent_once_the_snooze_runs_out(ctx, notifier):
    ref = log(ctx)
    triage(ctx, ref, severity="high")  # an update every 5 days: due 28 Nov
    ctx.deliver()
    send_first_contact_reminders(ctx)  # Wed 25 Nov
    ctx.clock.advance(days=5)  # 30 Nov: two days overdue, so a nudge and an escalation
    notifier.fail_next(SendFailed("Slack answered 500"), SendFailed("Slack answered 500"))
    assert sorted((d.kind, d.sent) for d in sweep(ctx).deliveries) == [("update-due", False), ("update-overdue", False)]
    overdue_key = f"update-overdue:{ref}:2026-11-28"
    assert row(ctx, kind="update-overdue").dedupe_key == overdue_key
    ctx.clock.advance(seconds=5)
    snooze(ctx, ref, "3")  # until 3 Dec; the escalation, if the update is still not given, 2 days after
    assert row(ctx, kind="update-overdue").cancelled_at == ctx.clock.now()
    snoozed_until = ctx.clock.now() + timedelta(days=3)
    notifier.sent.clear()

    ctx.clock.set(snoozed_until)
    assert [d.kind for d in sweep(ctx).sent] == ["update-due"]  # the nudge again, under a new day's key
    ctx.clock.advance(days=1)
    assert [d.kind for d in sweep(ctx).sent] == ["update-due"]  # daily
    ctx.clock.advance(days=1, seconds=-1)
    assert [d.kind for d in sweep(ctx).sent] == []
    assert escalations(notifier, ref) == []
    ctx.clock.advance(seconds=1)  # still no update: the escalation is due again, under the same key

    report = sweep(ctx)

    assert overdue_key in report.recorded  # brought back, reported as recorded
    assert sorted(d.dedupe_key for d in report.sent) == sorted([overdue_key, f"update-due:{ref}:2026-12-05"])
    assert len(escalations(notifier, ref)) == 1
    back = row(ctx, dedupe_key=overdue_key)
    assert back.cancelled_at is None and back.abandoned_at is None and back.sent_at == ctx.clock.now()
    for _ in range(4):
        ctx.clock.advance(days=1)
        sweep(ctx)
    assert len(escalations(notifier, ref)) == 1  # once per missed update, never again


LONG_AGO = date(2026, 9, 20).isoformat()  # final response due 15 Nov 2026: breached before T0


def test_a_breach_cancelled_by_resolving_is_sent_once_when_the_complaint_is_reopened(ctx, notifier):
    ref = log(ctx, received_on=LONG_AGO)
    notifier.fail_next(SendFailed("Slack answered 500"))
    assert [(d.dedupe_key, d.sent) for d in sweep(ctx).deliveries] == [(f"final-breach:{ref}", False)]
    ctx.clock.advance(seconds=5)
    ctx.deliver(resolve(ctx, ref))
    assert row(ctx, kind="final-breach").cancelled_at == ctx.clock.now()
    ctx.clock.advance(minutes=31)  # past the retry: resolved, so nothing goes
    assert [d for d in sweep(ctx).deliveries if d.kind == "final-breach"] == []
    ctx.clock.advance(hours=1)
    ctx.deliver(reopen(ctx, ref))
    notifier.sent.clear()

    report = sweep(ctx)

    assert [d.dedupe_key for d in report.sent] == [f"final-breach:{ref}"]
    [breach] = notifier.sent
    assert "final-response deadline" in breach.text and ref in breach.text and breach.channel == "CTRIAGE01"
    back = row(ctx, kind="final-breach")
    assert (back.cancelled_at, back.sent_at) == (None, ctx.clock.now())
    for _ in range(3):
        ctx.clock.advance(days=1)
        sweep(ctx)
    assert len([s for s in notifier.sent if "final-response deadline" in s.text]) == 1


@pytest.mark.parametrize("how", ["given-up", "sent"])
def test_re_recording_never_revives_a_message_given_up_or_re_sends_one_sent(ctx, notifier, how):
    ref = log(ctx, received_on=LONG_AGO)
    if how == "given-up":
        notifier.fail_next(SendFailed("Slack answered 200: msg_too_long", permanent=True))
    assert [(d.kind, d.sent) for d in sweep(ctx).deliveries] == [("final-breach", how == "sent")]
    before = row(ctx, kind="final-breach")
    ctx.clock.advance(minutes=1)
    ctx.deliver(resolve(ctx, ref))
    ctx.clock.advance(minutes=1)
    ctx.deliver(reopen(ctx, ref))
    notifier.sent.clear()

    report = sweep(ctx)  # the policy finds the breach due again and records its key again

    assert f"final-breach:{ref}" not in report.recorded
    assert [d for d in report.deliveries if d.kind == "final-breach"] == []
    after = row(ctx, kind="final-breach")
    assert (after.cancelled_at, after.abandoned_at, after.sent_at, after.last_error, after.attempts) == (
        before.cancelled_at,
        before.abandoned_at,
        before.sent_at,
        before.last_error,
        before.attempts,
    )
    if how == "given-up":
        assert after.abandoned_at is not None and after.sent_at is None
    ctx.clock.advance(hours=2)
    sweep(ctx)
    assert not [s for s in notifier.sent if "final-response deadline" in s.text]


@dataclass
class ResolvingNotifier(RecordingNotifier):
    """Resolves the complaint while Slack is posting the breach: a send the resolve cannot stop."""

    ctx: object = None
    ref: str = ""

    def post(self, *, channel, text, blocks) -> Posted:
        if "final-response deadline" in text:
            resolve(self.ctx, self.ref)
        return super().post(channel=channel, text=text, blocks=blocks)


def test_a_breach_cancelled_while_slack_posted_it_is_not_sent_again_on_reopening(ctx):
    ref = log(ctx, received_on=LONG_AGO)
    ctx.notifier = ResolvingNotifier(ctx=ctx, ref=ref)
    assert [(d.kind, d.sent) for d in sweep(ctx).deliveries] == [("final-breach", True), ("triage-alert-update", True)]
    mid_send = row(ctx, kind="final-breach")
    assert mid_send.cancelled_at == mid_send.sent_at == ctx.clock.now()  # both: cancelled, and went anyway
    ctx.clock.advance(minutes=1)
    ctx.deliver(reopen(ctx, ref))

    report = sweep(ctx)

    assert f"final-breach:{ref}" not in report.recorded and not [
        d for d in report.deliveries if d.kind == "final-breach"
    ]
    assert len([s for s in ctx.notifier.sent if "final-response deadline" in s.text]) == 1
    assert row(ctx, kind="final-breach").sent_at == mid_send.sent_at


def record_one(ctx, key: str, text: str, channel: str = "CTRIAGE01") -> set[str]:
    with ctx.session_factory.begin() as s:
        return outbox_store.record_notifications(
            s, [dict(dedupe_key=key, kind="plain", channel=channel, text=text, blocks=None)], now=ctx.clock.now()
        )


def snapshot(n: Notification) -> tuple:
    return (
        n.channel,
        n.text,
        n.created_at,
        n.next_attempt_at,
        n.attempts,
        n.last_error,
        n.claimed_until,
        n.cancelled_at,
        n.sent_at,
    )


def test_re_recording_a_live_key_changes_nothing(ctx, notifier):
    t0 = ctx.clock.now()
    assert record_one(ctx, "k:failed", "first") == {"k:failed"}
    assert record_one(ctx, "k:claimed", "first") == {"k:claimed"}
    assert record_one(ctx, "k:waiting", "first") == {"k:waiting"}
    notifier.fail_next(SendFailed("Slack answered 500"))
    ctx.deliver(["k:failed"])  # waiting for its retry
    with ctx.session_factory.begin() as s:
        [claimed] = outbox_store.claim_notifications(
            s, [row(ctx, dedupe_key="k:claimed").id], now=t0, lease_until=t0 + LEASE
        )
    before = {n.dedupe_key: snapshot(n) for n in rows(ctx)}
    assert before["k:failed"][3:6] == (t0 + delivery.FIRST_RETRY, 1, "Slack answered 500")
    assert before["k:claimed"][6] == t0 + LEASE
    ctx.clock.advance(seconds=10)

    for key in before:
        assert record_one(ctx, key, "second", channel="CELSEWHERE") == set()

    assert {n.dedupe_key: snapshot(n) for n in rows(ctx)} == before
    ctx.clock.advance(minutes=5)  # the claim has run out and the retry is due
    assert sorted(d.dedupe_key for d in deliver(ctx) if d.sent) == ["k:claimed", "k:failed", "k:waiting"]
    assert [(s.channel, s.text) for s in notifier.sent] == [("CTRIAGE01", "first")] * 3


def test_re_recording_a_cancelled_key_brings_it_back_with_its_new_content(ctx, notifier):
    t0 = ctx.clock.now()
    record_one(ctx, "k", "first")
    with ctx.session_factory.begin() as s:
        s.execute(Notification.__table__.update().where(Notification.dedupe_key == "k").values(cancelled_at=t0))
    assert deliver(ctx) == []
    ctx.clock.advance(hours=3)

    assert record_one(ctx, "k", "second", channel="CELSEWHERE") == {"k"}

    back = row(ctx, dedupe_key="k")
    assert (back.cancelled_at, back.abandoned_at, back.sent_at, back.claimed_until) == (None, None, None, None)
    assert (back.channel, back.text, back.next_attempt_at) == ("CELSEWHERE", "second", ctx.clock.now())
    assert [d.dedupe_key for d in deliver(ctx) if d.sent] == ["k"]
    assert [(s.channel, s.text) for s in notifier.sent] == [("CELSEWHERE", "second")]
    assert record_one(ctx, "k", "third") == set()  # sent: never again
    assert deliver(ctx) == [] and len(notifier.sent) == 1
