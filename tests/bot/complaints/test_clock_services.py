"""The clocks' service: client updates, snooze, resolve, reopen, and their parsers, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.complaints import service as complaints
from bot.core.errors import FieldErrors, NotFound, UserError
from bot.core.vocabulary import EventKind, OmbudsmanPoint, Outcome, Status, UpdateVia
from handlers.modals.client_update import parse_client_update
from handlers.modals.resolve import parse_resolution
from handlers.modals.snooze import parse_snooze
from storage import outbox as outbox_store
from storage.models import Event, Notification
from tests.factories import (
    TODAY,
    client_update,
    events,
    log,
    reopen,
    resolution_values,
    resolve,
    snooze,
    snooze_values,
    stored,
    triage,
    update_values,
)

# --- driving the service the way the handlers do ------------------------------------------------


def logged_and_triaged(ctx) -> str:
    """A complaint logged and triaged at T0: severity high, so a 5-day update cadence."""
    ref = log(ctx).reference
    c = triage(ctx, ref)
    assert c.update_cadence_days == 5
    return ref


def notifications(ctx, **where) -> list[Notification]:
    with ctx.session_factory() as s:
        stmt = select(Notification).filter_by(**where).order_by(Notification.id)
        return list(s.execute(stmt).scalars())


def count(ctx, model) -> int:
    with ctx.session_factory() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def record_reminder(ctx, complaint_id: int, key: str, kind: str = "update-due") -> int:
    with ctx.session_factory.begin() as s:
        assert outbox_store.record_notification(
            s,
            dedupe_key=key,
            kind=kind,
            channel="UHANDLER1",
            text="Update due",
            blocks=None,
            now=ctx.clock.now(),
            complaint_id=complaint_id,
        )
    return notifications(ctx, dedupe_key=key)[0].id


# --- parsers (pure) ------------------------------------------------------------------------------


def test_a_valid_client_update_is_parsed():
    data = parse_client_update(update_values(update_date="2026-11-20"), today=TODAY)
    assert data.given_on == date(2026, 11, 20) and data.via is UpdateVia.PHONE
    assert data.told.startswith("We are chasing") and data.next_step == "Call again on Friday."


@pytest.mark.parametrize(
    "overrides, field, fragment",
    [
        ({"update_date": "2026-11-24"}, "update_date", "future"),
        ({"update_date": None}, "update_date", "Choose a date"),
        ({"told": None}, "told", "what the client was told"),
        ({"told": "   "}, "told", "what the client was told"),
        ({"told": "x" * 3001}, "told", "3,000"),
        ({"update_via": "pigeon"}, "update_via", "how the client was updated"),
    ],
    ids=["future-date", "no-date", "no-told", "blank-told", "told-too-long", "bad-via"],
)
def test_bad_client_update_names_the_field(overrides, field, fragment):
    with pytest.raises(FieldErrors) as e:
        parse_client_update(update_values(**overrides), today=TODAY)
    assert set(e.value.errors) == {field}
    assert fragment in e.value.errors[field]


@pytest.mark.parametrize("raw, days", [("1", 1), ("3", 3), (" 3 ", 3)], ids=["one", "three", "padded"])
def test_snooze_of_one_or_three_days_is_accepted(raw, days):
    data = parse_snooze(snooze_values(snooze_days=raw))
    assert data.days == days and data.reason == "Waiting for the client's documents."


@pytest.mark.parametrize("raw", ["0", "2", "7", "-1", "1.5", "three", "", None], ids=lambda r: repr(r))
def test_snooze_days_other_than_one_or_three_are_refused(raw):
    with pytest.raises(FieldErrors) as e:
        parse_snooze(snooze_values(snooze_days=raw))
    assert set(e.value.errors) == {"snooze_days"}
    assert "1 or 3" in e.value.errors["snooze_days"]


@pytest.mark.parametrize("reason", [None, "", "   "], ids=["none", "empty", "blank"])
def test_snooze_needs_a_reason(reason):
    with pytest.raises(FieldErrors) as e:
        parse_snooze(snooze_values(reason=reason))
    assert set(e.value.errors) == {"reason"}


def test_a_full_resolution_is_parsed_with_ombudsman_rights_given():
    data = parse_resolution(resolution_values(), today=TODAY)
    assert data.outcome is Outcome.PARTLY_UPHELD and data.root_cause == "delay"
    assert data.ombudsman_points == frozenset(OmbudsmanPoint) and data.ombudsman_rights_given


@pytest.mark.parametrize(
    "outcome, points",
    [
        ("upheld", None),
        ("upheld", "available,contact"),
        ("not_upheld", "available,six_months"),
        ("partly_upheld", "contact"),
        ("not_upheld", "available,contact,bogus"),
    ],
    ids=["upheld-none", "upheld-two", "not-upheld-two", "partly-one", "two-and-junk"],
)
def test_resolution_without_all_three_ombudsman_points_is_refused(outcome, points):
    with pytest.raises(FieldErrors) as e:
        parse_resolution(resolution_values(outcome=outcome, ombudsman=points), today=TODAY)
    assert set(e.value.errors) == {"ombudsman"}
    assert "6-month" in e.value.errors["ombudsman"]


@pytest.mark.parametrize("points", [None, "available"], ids=["no-points", "one-point"])
def test_withdrawn_needs_no_ombudsman_points(points):
    data = parse_resolution(resolution_values(outcome="withdrawn", ombudsman=points), today=TODAY)
    assert data.outcome is Outcome.WITHDRAWN
    assert not data.ombudsman_rights_given


def test_final_response_cannot_have_been_sent_in_the_future():
    with pytest.raises(FieldErrors) as e:
        parse_resolution(resolution_values(final_response_sent_on="2026-11-24"), today=TODAY)
    assert set(e.value.errors) == {"final_response_sent_on"}
    assert "future" in e.value.errors["final_response_sent_on"]


def test_every_bad_resolution_field_is_reported_at_once():
    with pytest.raises(FieldErrors) as e:
        parse_resolution(
            resolution_values(outcome=None, final_response_sent_on="tomorrow", root_cause="weather"), today=TODAY
        )
    assert set(e.value.errors) == {"outcome", "final_response_sent_on", "root_cause"}


# --- client updates ------------------------------------------------------------------------------


def test_client_update_restarts_the_update_clock(ctx):
    ref = logged_and_triaged(ctx)
    assert stored(ctx, ref).next_update_due_at == ctx.clock.now() + timedelta(days=5)
    ctx.clock.advance(days=6)  # overdue by a day
    snooze(ctx, ref, snooze_days="1")
    assert stored(ctx, ref).snoozed_until is not None
    ctx.clock.advance(hours=2)
    now = ctx.clock.now()

    result = client_update(ctx, ref, update_date=ctx.today().isoformat())

    for c in (result.complaint, stored(ctx, ref)):
        assert c.last_client_update_at == now
        assert c.next_update_due_at == now + timedelta(days=5)
        assert c.snoozed_until is None
        assert c.next_reminder_at == now
        assert c.status == Status.TRIAGED
    last = events(ctx, ref)[-1]
    assert last.kind == EventKind.CLIENT_UPDATE and last.actor == "UHANDLER1" and last.at == now
    assert last.data["via"] == "phone" and last.data["told"].startswith("We are chasing")
    assert last.data["given_on"] == ctx.today().isoformat()
    assert last.data["next_update_due_at"] == (now + timedelta(days=5)).isoformat()


def test_an_update_given_on_an_earlier_day_counts_from_that_day(ctx):
    ref = logged_and_triaged(ctx)
    ctx.clock.advance(days=3)  # Thursday 26th, 09:30
    c = client_update(ctx, ref, update_date="2026-11-25").complaint
    assert c.last_client_update_at == datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    assert c.next_update_due_at == datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    # An even older update logged afterwards does not move the clock back.
    ctx.clock.advance(hours=1)
    c = client_update(ctx, ref, update_date="2026-11-24").complaint
    assert c.last_client_update_at == datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    assert c.next_update_due_at == datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    assert c.next_reminder_at == ctx.clock.now()
    assert [e.kind for e in events(ctx, ref)][-2:] == [EventKind.CLIENT_UPDATE, EventKind.CLIENT_UPDATE]


def test_an_update_before_triage_sets_the_clock_triage_starts_from(ctx):
    ref = log(ctx).reference
    ctx.clock.advance(hours=2)
    updated_at = ctx.clock.now()
    c = client_update(ctx, ref).complaint
    assert c.last_client_update_at == updated_at and c.next_update_due_at is None
    ctx.clock.advance(hours=3)
    assert triage(ctx, ref).next_update_due_at == updated_at + timedelta(days=5)


def test_client_update_on_unknown_complaint_is_not_found(ctx):
    with pytest.raises(NotFound, match="CMP-2026-0999"):
        client_update(ctx, "CMP-2026-0999")


# --- snooze --------------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [1, 3])
def test_snooze_postpones_the_nudge_from_now(ctx, days):
    ref = logged_and_triaged(ctx)
    ctx.clock.advance(days=5, hours=4)
    now = ctx.clock.now()
    result = snooze(ctx, ref, snooze_days=str(days))
    for c in (result.complaint, stored(ctx, ref)):
        assert c.snoozed_until == now + timedelta(days=days)
        assert c.next_reminder_at == now
        assert c.next_update_due_at == datetime(2026, 11, 28, 9, 30, tzinfo=UTC)  # unchanged
    last = events(ctx, ref)[-1]
    assert last.kind == EventKind.SNOOZED and last.actor == "UHANDLER1"
    assert last.data == {
        "days": days,
        "reason": "Waiting for the client's documents.",
        "until": (now + timedelta(days=days)).isoformat(),
    }


def test_snoozing_an_untriaged_complaint_is_refused(ctx):
    ref = log(ctx).reference
    before = len(events(ctx, ref))
    with pytest.raises(UserError, match="not been triaged"):
        snooze(ctx, ref)
    assert stored(ctx, ref).snoozed_until is None
    assert len(events(ctx, ref)) == before


# --- resolve -------------------------------------------------------------------------------------


def test_resolve_stops_every_clock_and_records_the_outcome(ctx):
    ref = logged_and_triaged(ctx)
    complaint_id = stored(ctx, ref).id
    ctx.clock.advance(days=5)
    snooze(ctx, ref, snooze_days="1")
    reminder_id = record_reminder(ctx, complaint_id, f"update-due:{ref}:2026-11-28")
    with ctx.session_factory() as s:
        assert reminder_id in outbox_store.due_notification_ids(s, now=ctx.clock.now())
    ctx.clock.advance(hours=3)
    now = ctx.clock.now()

    result = resolve(ctx, ref)

    for c in (result.complaint, stored(ctx, ref)):
        assert c.status == Status.RESOLVED
        assert c.resolved_at == now and c.resolved_by == "UHANDLER1"
        assert c.outcome == "partly_upheld" and c.remedy == "Apology and a £250 fee reduction."
        assert c.final_response_sent_on == TODAY and c.root_cause == "delay"
        assert c.ombudsman_rights_given is True
        assert c.next_reminder_at is None and c.snoozed_until is None
    resolved = events(ctx, ref)[-1]
    assert resolved.kind == EventKind.RESOLVED and resolved.at == now
    assert resolved.data["outcome"] == "partly_upheld"
    assert resolved.data["ombudsman_points"] == ["available", "contact", "six_months"]
    assert resolved.data["final_response_sent_on"] == "2026-11-23"

    alert_update = notifications(ctx, dedupe_key=f"triage-alert-update:{ref}:{resolved.id}")
    assert len(alert_update) == 1
    assert alert_update[0].kind == "triage-alert-update" and alert_update[0].channel == "CTRIAGE01"
    assert alert_update[0].update_of == f"triage-alert:{ref}"
    assert result.notification_keys == (alert_update[0].dedupe_key,)

    reminder = notifications(ctx, id=reminder_id)[0]
    assert reminder.cancelled_at == now and reminder.sent_at is None
    with ctx.session_factory() as s:
        due = outbox_store.due_notification_ids(s, now=now + timedelta(days=1))
    assert reminder_id not in due
    # Messages that are not reminders still go: the handler's assignment and the alert edit.
    assigned = notifications(ctx, kind="assigned")[0]
    assert assigned.cancelled_at is None and assigned.id in due
    assert alert_update[0].id in due


def test_resolve_does_not_touch_reminders_already_sent_or_of_other_complaints(ctx):
    ref = logged_and_triaged(ctx)
    other = logged_and_triaged(ctx)
    mine = record_reminder(ctx, stored(ctx, ref).id, f"update-due:{ref}:2026-11-28")
    theirs = record_reminder(ctx, stored(ctx, other).id, f"update-due:{other}:2026-11-28")
    sent = record_reminder(ctx, stored(ctx, ref).id, f"triage-warning:{ref}", kind="triage-warning")
    with ctx.session_factory.begin() as s:
        outbox_store.mark_sent(s, sent, now=ctx.clock.now(), channel="CTRIAGE01", ts="1.000001")
    ctx.clock.advance(hours=1)
    resolve(ctx, ref)
    assert notifications(ctx, id=mine)[0].cancelled_at == ctx.clock.now()
    assert notifications(ctx, id=theirs)[0].cancelled_at is None
    assert notifications(ctx, id=sent)[0].cancelled_at is None


def test_withdrawn_resolution_records_no_ombudsman_rights(ctx):
    ref = logged_and_triaged(ctx)
    c = resolve(ctx, ref, outcome="withdrawn", ombudsman=None, remedy=None).complaint
    assert c.status == Status.RESOLVED and c.outcome == "withdrawn"
    assert c.ombudsman_rights_given is False and c.remedy is None
    assert events(ctx, ref)[-1].data["ombudsman_points"] == []


def test_resolving_twice_says_to_reopen(ctx):
    ref = logged_and_triaged(ctx)
    resolve(ctx, ref)
    first = stored(ctx, ref)
    ctx.clock.advance(days=1)
    with pytest.raises(UserError, match="reopen") as e:
        resolve(ctx, ref, outcome="upheld")
    assert ref in str(e.value)
    again = stored(ctx, ref)
    assert again.outcome == "partly_upheld" and again.resolved_at == first.resolved_at
    assert [e.kind for e in events(ctx, ref)].count(EventKind.RESOLVED) == 1


# --- reopen --------------------------------------------------------------------------------------


def test_reopen_restarts_the_clocks_from_now(ctx):
    ref = logged_and_triaged(ctx)
    final_due = stored(ctx, ref).final_response_due_on
    ctx.clock.advance(days=2)
    resolve(ctx, ref)
    ctx.clock.advance(days=3, hours=5)
    now = ctx.clock.now()

    result = reopen(ctx, ref)

    for c in (result.complaint, stored(ctx, ref)):
        assert c.status == Status.TRIAGED
        assert c.next_update_due_at == now + timedelta(days=5)
        assert c.next_reminder_at == now
        assert c.resolved_at is None and c.resolved_by is None and c.outcome is None
        assert c.final_response_due_on == final_due  # the deadline stays as it was
        assert c.handler_id == "UHANDLER1"
    last = events(ctx, ref)[-1]
    assert last.kind == EventKind.REOPENED and last.actor == "ULEAD" and last.at == now
    assert last.data["previous"]["outcome"] == "partly_upheld"
    assert result.notification_keys == (f"triage-alert-update:{ref}:{last.id}",)
    assert len(notifications(ctx, dedupe_key=result.notification_keys[0])) == 1


def test_reopening_a_never_triaged_complaint_puts_it_back_to_triage(ctx):
    ref = log(ctx).reference
    resolve(ctx, ref, outcome="withdrawn", ombudsman=None)
    c = reopen(ctx, ref).complaint
    assert c.status == Status.NEW and c.next_update_due_at is None and c.next_reminder_at == ctx.clock.now()


@pytest.mark.parametrize("triaged", [False, True], ids=["new", "triaged"])
def test_reopening_an_open_complaint_is_refused(ctx, triaged):
    ref = logged_and_triaged(ctx) if triaged else log(ctx).reference
    before = [e.kind for e in events(ctx, ref)]
    with pytest.raises(UserError, match="not resolved"):
        reopen(ctx, ref)
    assert [e.kind for e in events(ctx, ref)] == before


def test_reopen_then_resolve_again_works(ctx):
    ref = logged_and_triaged(ctx)
    resolve(ctx, ref)
    ctx.clock.advance(days=1)
    reopen(ctx, ref)
    ctx.clock.advance(days=1)
    c = resolve(ctx, ref, outcome="upheld").complaint
    assert c.status == Status.RESOLVED and c.outcome == "upheld"
    kinds = [e.kind for e in events(ctx, ref)]
    assert kinds[-3:] == [EventKind.RESOLVED, EventKind.REOPENED, EventKind.RESOLVED]


@pytest.mark.parametrize(
    "change",
    [lambda ctx, ref: client_update(ctx, ref), lambda ctx, ref: snooze(ctx, ref), lambda ctx, ref: resolve(ctx, ref)],
    ids=["client-update", "snooze", "resolve"],
)
def test_changing_a_resolved_complaint_says_to_reopen(ctx, change):
    ref = logged_and_triaged(ctx)
    resolve(ctx, ref)
    before = stored(ctx, ref)
    n_events = len(events(ctx, ref))
    ctx.clock.advance(days=1)
    with pytest.raises(UserError, match="reopen") as e:
        change(ctx, ref)
    assert f"/complaint reopen {ref}" in str(e.value)
    after = stored(ctx, ref)
    assert after.status == Status.RESOLVED and after.next_reminder_at is None
    assert after.last_client_update_at == before.last_client_update_at and after.snoozed_until is None
    assert len(events(ctx, ref)) == n_events


# --- nothing half-written ------------------------------------------------------------------------


def boom(*args, **kwargs):
    raise RuntimeError("the database went away")


def test_a_failing_resolve_leaves_the_store_unchanged(ctx, monkeypatch):
    ref = logged_and_triaged(ctx)
    reminder_id = record_reminder(ctx, stored(ctx, ref).id, f"update-due:{ref}:2026-11-28")
    n_events, n_notes = count(ctx, Event), count(ctx, Notification)
    monkeypatch.setattr(complaints.outbox_store, "cancel_unsent", boom)
    with pytest.raises(RuntimeError):
        resolve(ctx, ref)
    c = stored(ctx, ref)
    assert c.status == Status.TRIAGED and c.outcome is None and c.resolved_at is None
    assert c.next_reminder_at == ctx.clock.now()
    assert count(ctx, Event) == n_events and count(ctx, Notification) == n_notes
    assert notifications(ctx, id=reminder_id)[0].cancelled_at is None
    monkeypatch.undo()
    assert resolve(ctx, ref).complaint.status == Status.RESOLVED


def test_a_resolve_failing_after_the_event_is_written_leaves_the_store_unchanged(ctx, monkeypatch):
    ref = logged_and_triaged(ctx)
    reminder_id = record_reminder(ctx, stored(ctx, ref).id, f"update-due:{ref}:2026-11-28")
    n_events, n_notes = count(ctx, Event), count(ctx, Notification)
    monkeypatch.setattr(complaints, "_refresh_alert", boom)  # runs after the cancel and the event's flush
    with pytest.raises(RuntimeError):
        resolve(ctx, ref)
    assert stored(ctx, ref).status == Status.TRIAGED
    assert count(ctx, Event) == n_events and count(ctx, Notification) == n_notes
    assert notifications(ctx, id=reminder_id)[0].cancelled_at is None


def test_a_failing_reopen_leaves_the_complaint_resolved(ctx, monkeypatch):
    ref = logged_and_triaged(ctx)
    resolve(ctx, ref)
    before = stored(ctx, ref)
    n_events, n_notes = count(ctx, Event), count(ctx, Notification)
    ctx.clock.advance(days=1)
    monkeypatch.setattr(complaints, "_refresh_alert", boom)
    with pytest.raises(RuntimeError):
        reopen(ctx, ref)
    after = stored(ctx, ref)
    assert after.status == Status.RESOLVED and after.outcome == "partly_upheld"
    assert after.next_update_due_at == before.next_update_due_at and after.next_reminder_at is None
    assert count(ctx, Event) == n_events and count(ctx, Notification) == n_notes


@pytest.mark.parametrize("which", ["client-update", "snooze"])
def test_a_failing_update_or_snooze_leaves_the_complaint_as_it_was(ctx, monkeypatch, which):
    ref = logged_and_triaged(ctx)
    before = stored(ctx, ref)
    n_events = count(ctx, Event)
    ctx.clock.advance(days=6)

    def failing_event(*args, **kwargs):
        raise RuntimeError("event could not be written")

    monkeypatch.setattr(complaints, "Event", failing_event)
    with pytest.raises(RuntimeError):
        client_update(ctx, ref) if which == "client-update" else snooze(ctx, ref)
    after = stored(ctx, ref)
    assert after.last_client_update_at == before.last_client_update_at is None
    assert after.next_update_due_at == before.next_update_due_at
    assert after.snoozed_until is None and after.next_reminder_at == before.next_reminder_at
    assert count(ctx, Event) == n_events
