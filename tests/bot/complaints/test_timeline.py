"""The timeline: every change is an event written with the change, events are never changed, and
`/complaint show` renders each kind in words."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.complaints import messages as complaint_messages
from bot.core import blockkit
from bot.reminders.sweep import sweep
from storage.models import AppendOnly, Event
from tests.e2e import validate_message
from tests.factories import client_update, events, log, reopen, resolve, snooze, stored, triage


def test_each_change_and_each_message_sent_is_an_event_with_who_and_when(ctx):
    ref = log(ctx).reference
    ctx.clock.advance(hours=25)
    sweep(ctx)  # the triage deadline has passed: escalated to the channel
    triage(ctx, ref)
    triage(ctx, ref, handler="UHANDLER2")  # reassigned
    ctx.clock.advance(hours=1)
    client_update(ctx, ref)
    snooze(ctx, ref)
    resolve(ctx, ref)
    reopen(ctx, ref)
    timeline = events(ctx, ref)
    changes = [e.kind for e in timeline if e.kind not in ("notification_sent",)]
    assert changes == [
        "logged",
        "escalated",
        "triaged",
        "reassigned",
        "client_update",
        "snoozed",
        "resolved",
        "reopened",
    ]
    sent = {e.data["kind"] for e in timeline if e.kind == "notification_sent"}
    assert {"logged", "triage-alert"} <= sent
    escalated = next(e for e in timeline if e.kind == "escalated")
    assert escalated.data["kind"] == "triage-breach" and escalated.actor == "bot"
    by_kind = {e.kind: e for e in timeline}
    assert by_kind["reassigned"].data["previous_handler_id"] == "UHANDLER1" and by_kind["reassigned"].actor == "ULEAD"
    assert by_kind["client_update"].actor == "UHANDLER1" and by_kind["client_update"].data["told"]
    # Times are the injected clock's, in order.
    assert [e.at for e in timeline] == sorted(e.at for e in timeline)
    assert timeline[0].at == stored(ctx, ref).logged_at
    assert stored(ctx, ref).client_update_count == 1


def test_show_renders_every_kind_of_event_in_words(ctx):
    ref = log(ctx).reference
    ctx.clock.advance(hours=25)
    sweep(ctx)
    triage(ctx, ref)
    client_update(ctx, ref)
    snooze(ctx, ref)
    resolve(ctx, ref)
    timeline = events(ctx, ref)
    text, body = complaint_messages.complaint_detail(stored(ctx, ref), timeline, tz=ctx.tz)
    validate_message(body)
    rendered = str(body)
    for phrase in (
        "logged by <@UREPORTER>",
        "escalated: triage deadline missed",
        "triaged by <@ULEAD>",
        "client updated by <@UHANDLER1>",
        "update reminder snoozed 3 day(s)",
        "resolved by <@UHANDLER1>",
    ):
        assert phrase in rendered
    for e in timeline:
        fallback = f"{e.kind.replace('_', ' ')} by {blockkit.user(e.actor)}"
        assert complaint_messages.describe_event(e) != fallback, f"{e.kind} has no words of its own"


@pytest.mark.parametrize(
    "kind,data,phrase",
    [
        ("held", {"reason": "Claim threatened"}, "legal hold placed by <@ULEAD>: Claim threatened"),
        ("released", {}, "legal hold released by <@ULEAD>"),
        ("exported", {"format": "json"}, "exported by ULEAD (json)"),
        ("imported", {"file": "register.csv", "line": 7}, "imported from a register by ULEAD (register.csv, line 7)"),
        ("purged", {"retention_years": 6}, "retention period (6 years)"),
    ],
)
def test_record_events_have_words_too(kind, data, phrase):
    assert phrase in complaint_messages.describe_event(Event(kind=kind, actor="ULEAD", data=data))


def test_an_event_cannot_be_changed_or_deleted_through_the_store(ctx):
    ref = log(ctx).reference
    with ctx.session_factory() as s:
        event = s.execute(select(Event).where(Event.kind == "logged")).scalar_one()
        event.data = {"reference": "something else"}
        with pytest.raises(AppendOnly):
            s.commit()
        s.rollback()
        event = s.execute(select(Event).where(Event.kind == "logged")).scalar_one()
        s.delete(event)
        with pytest.raises(AppendOnly):
            s.commit()
    [logged] = [e for e in events(ctx, ref) if e.kind == "logged"]
    assert logged.data["reference"] == ref
