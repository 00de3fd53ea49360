"""Edits of a message (the triage alert): only the newest goes out, and an edit of a message that
will never be sent is given up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.complaints import service as complaints
from bot.outbox import delivery
from bot.outbox.notifier import SendFailed
from bot.reminders.sweep import sweep
from handlers.modals.resolve import parse_resolution
from storage import outbox as outbox_store
from storage.models import Notification
from tests.sweeping import log, row, rows, triage

# --- out-of-order triage alert edits --------------------------------------------------------------


def alert_edits(notifier) -> list:
    return [s for s in notifier.sent if s.op == "update"]


def test_two_alert_edits_before_delivery_send_only_the_newest(ctx, notifier):
    ref = log(ctx)
    notifier.sent.clear()
    first = triage(ctx, ref)
    ctx.clock.advance(minutes=5)
    second = triage(ctx, ref, handler="UHANDLER2")
    [old_key] = [k for k in first if k.startswith("triage-alert-update:")]
    [new_key] = [k for k in second if k.startswith("triage-alert-update:")]
    assert old_key != new_key
    assert row(ctx, dedupe_key=old_key).cancelled_at == ctx.clock.now()

    report = sweep(ctx)

    assert [d.dedupe_key for d in report.sent if d.kind == "triage-alert-update"] == [new_key]
    [edit] = alert_edits(notifier)
    assert "UHANDLER2" in edit.blocks[0]["text"]["text"] and "UHANDLER1" not in edit.blocks[0]["text"]["text"]
    assert row(ctx, dedupe_key=old_key).sent_at is None
    for _ in range(3):
        ctx.clock.advance(days=1)
        sweep(ctx)
    assert len(alert_edits(notifier)) == 1


def test_a_failed_alert_edit_is_not_retried_after_a_newer_one(ctx, notifier):
    ref = log(ctx)
    notifier.sent.clear()
    first = triage(ctx, ref)
    notifier.fail_next(SendFailed("Slack answered 500"))
    ctx.deliver([k for k in first if k.startswith("triage-alert-update:")])  # the edit failed; it waits for a retry
    assert alert_edits(notifier) == []
    ctx.clock.advance(seconds=10)  # before its retry is due
    resolved = complaints.resolve(
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
    ctx.deliver(resolved.notification_keys)
    for _ in range(4):
        ctx.clock.advance(minutes=31)  # past any backoff
        sweep(ctx)
    [edit] = alert_edits(notifier)
    assert "resolved by" in edit.blocks[0]["text"]["text"]
    assert [(n.sent_at is None, n.cancelled_at is None) for n in rows(ctx, kind="triage-alert-update")] == [
        (True, False),
        (False, True),
    ]


# --- an edit of a message that will never be sent ---------------------------------------------------

NEVER_SENT = "the message to update was never sent and will not be"
NOT_YET_SENT = "the message to update has not been sent yet"


def test_an_edit_of_an_alert_given_up_is_given_up_at_once(ctx, notifier):
    ref = log(ctx, deliver_now=False)
    ctx.deliver([f"logged:{ref}"])
    notifier.fail_next(SendFailed("Slack answered 200: invalid_blocks", permanent=True))
    ctx.deliver([f"triage-alert:{ref}"])
    alert = row(ctx, dedupe_key=f"triage-alert:{ref}")
    assert alert.abandoned_at == ctx.clock.now() and alert.sent_at is None
    ctx.clock.advance(minutes=10)
    keys = triage(ctx, ref)
    [edit_key] = [k for k in keys if k.startswith("triage-alert-update:")]

    result = ctx.deliver(keys)

    assert sorted((d.kind, d.sent, d.error) for d in result) == [
        ("assigned", True, None),
        ("triage-alert-update", False, NEVER_SENT),
    ]
    edit = row(ctx, dedupe_key=edit_key)
    now = ctx.clock.now()
    assert (edit.cancelled_at, edit.abandoned_at, edit.sent_at, edit.last_error) == (now, now, None, NEVER_SENT)
    with ctx.session_factory() as s:
        assert edit.id not in outbox_store.due_notification_ids(s, now=now + timedelta(days=365))
    for _ in range(3):
        ctx.clock.advance(minutes=31)  # well past any backoff
        assert [d for d in sweep(ctx).deliveries if d.kind == "triage-alert-update"] == []
    assert alert_edits(notifier) == [] and row(ctx, dedupe_key=edit_key).attempts == 1


def test_an_edit_of_an_alert_not_yet_sent_waits_for_it_and_then_goes(ctx, notifier):
    ref = log(ctx, deliver_now=False)
    ctx.deliver([f"logged:{ref}"])
    notifier.fail_next(SendFailed("Slack answered 500"))
    ctx.deliver([f"triage-alert:{ref}"])  # retried in 30 s
    ctx.clock.advance(seconds=5)
    keys = triage(ctx, ref)
    [edit_key] = [k for k in keys if k.startswith("triage-alert-update:")]

    assert [(d.kind, d.error) for d in ctx.deliver([edit_key])] == [("triage-alert-update", NOT_YET_SENT)]
    edit = row(ctx, dedupe_key=edit_key)
    assert (edit.cancelled_at, edit.abandoned_at, edit.sent_at) == (None, None, None)
    assert edit.next_attempt_at == ctx.clock.now() + delivery.FIRST_RETRY

    ctx.clock.advance(minutes=1)
    report = sweep(ctx)

    assert [d.kind for d in report.sent if d.kind.startswith("triage-alert")] == ["triage-alert", "triage-alert-update"]
    [post] = [s for s in notifier.sent if s.op == "post" and s.channel == "CTRIAGE01"]
    [edit_sent] = alert_edits(notifier)
    assert edit_sent.ts == post.ts and "UHANDLER1" in edit_sent.blocks[0]["text"]["text"]
    assert row(ctx, dedupe_key=edit_key).sent_at == ctx.clock.now()


@pytest.mark.parametrize("original", ["cancelled", "abandoned", "pending", "sent"])
def test_an_edit_is_given_up_only_when_its_message_is_given_up(ctx, notifier, original):
    with ctx.session_factory.begin() as s:
        outbox_store.record_notification(
            s, dedupe_key="orig", kind="plain", channel="CTRIAGE01", text="original", blocks=None, now=ctx.clock.now()
        )
    if original == "sent":
        ctx.deliver(["orig"])
    elif original != "pending":
        values = {"cancelled_at": ctx.clock.now()}
        if original == "abandoned":
            values["abandoned_at"] = ctx.clock.now()
        with ctx.session_factory.begin() as s:
            s.execute(Notification.__table__.update().where(Notification.dedupe_key == "orig").values(**values))
    ctx.clock.advance(seconds=1)
    with ctx.session_factory.begin() as s:
        outbox_store.record_notification(
            s,
            dedupe_key="edit",
            kind="plain-update",
            channel="CTRIAGE01",
            text="edited",
            blocks=None,
            now=ctx.clock.now(),
            update_of="orig",
        )

    [result] = ctx.deliver(["edit"])

    edit = row(ctx, dedupe_key="edit")
    now = ctx.clock.now()
    if original == "sent":
        assert result.sent and edit.sent_at == now and alert_edits(notifier)[0].text == "edited"
    elif original in ("pending", "cancelled"):
        # A message merely cancelled may be brought back and sent, so its edit waits.
        assert (result.sent, result.error) == (False, NOT_YET_SENT)
        assert (edit.cancelled_at, edit.abandoned_at, edit.next_attempt_at) == (None, None, now + delivery.FIRST_RETRY)
    else:
        assert (result.sent, result.error) == (False, NEVER_SENT)
        assert (edit.cancelled_at, edit.abandoned_at, edit.last_error) == (now, now, NEVER_SENT)
        assert alert_edits(notifier) == []
