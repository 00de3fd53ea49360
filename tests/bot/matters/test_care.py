"""A matter's client care, on both databases: a client update logged (the cadence counts from it, a
snooze ends, the check-in nudges not sent are cancelled, an unhappy client brings one complaint
prompt), the check-in snoozed, the matter dormant, and the first answer to the prompt.

The clock starts at T0, Monday 23 Nov 2026 09:30 in London (GMT, so = UTC). The matter opened on
Friday 20 Nov 2026 with a 14-day cadence: its first update is due on Friday 4 Dec 2026.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from bot.access import Viewer
from bot.complaints import service as complaints
from bot.core.errors import FieldErrors, NotFound, UserError
from bot.core.ids import (
    VIEW_MATTER_NOT_A_COMPLAINT,
    MatterDormantField,
    MatterNotAComplaintField,
    MatterSnoozeField,
    MatterUpdateField,
)
from bot.core.vocabulary import ClientMood, EventKind, UpdateVia
from bot.matters import care
from bot.matters import messages as matter_messages
from bot.matters import requests as matter_requests
from bot.matters import service as matters
from bot.matters.facts import facts_of
from bot.matters.inputs import ClientUpdateToLog
from handlers.modals.intake import parse_intake
from handlers.modals.matter_care import (
    matter_dormant_modal,
    matter_snooze_modal,
    matter_update_modal,
    not_a_complaint_modal,
    parse_held_until,
    parse_matter_update,
    parse_not_a_complaint,
)
from storage import outbox as outbox_store
from storage.models import Complaint, Event, Matter, Notification
from tests.e2e import validate_message, validate_view
from tests.factories import (
    answer_not_a_complaint,
    events_of_kind,
    hold_matter_check_in,
    log_matter_update,
    set_up_matter,
    the_matter,
)
from tests.fakes import intake_values

LAWYER = "ULAWYER"
OPENED_ON = date(2026, 11, 20)


@pytest.fixture
def matter(ctx) -> Matter:
    return set_up_matter(ctx, supervisor_id="UPARTNER").matter


def update(on: date, mood: ClientMood = ClientMood.SATISFIED, **overrides) -> ClientUpdateToLog:
    values = dict(on=on, via=UpdateVia.PHONE, told="Searches are back; exchange next week.", mood=mood)
    values.update(overrides)
    return ClientUpdateToLog(**values)


def notifications(ctx, kind: str) -> list[Notification]:
    with ctx.session_factory() as s:
        return list(
            s.execute(select(Notification).where(Notification.kind == kind).order_by(Notification.id)).scalars()
        )


def record_check_in(ctx, matter: Matter, key: str, kind: str = "check-in") -> None:
    """A check-in nudge recorded by the sweep and not yet sent."""
    with ctx.session_factory.begin() as s:
        outbox_store.record_notifications(
            s,
            [{"dedupe_key": key, "kind": kind, "channel": LAWYER, "text": "Update due", "matter_id": matter.id}],
            now=ctx.clock.now(),
        )


def test_an_update_moves_the_cadence_ends_the_snooze_and_cancels_the_check_in_not_sent(ctx, matter):
    hold_matter_check_in(ctx, care.Hold.SNOOZE, date(2026, 11, 30))
    ctx.clock.set(datetime(2026, 12, 7, 10, 0, tzinfo=UTC))  # Monday 7 Dec: the update of 4 Dec is late
    record_check_in(ctx, matter, "check-in:M-1001:2026-12-04")
    record_check_in(ctx, matter, "check-in-overdue:M-1001:2026-12-04", kind="check-in-overdue")
    record_check_in(ctx, matter, "costs:M-1001:DSC-1:75", kind="costs")

    logged = log_matter_update(ctx, update(date(2026, 12, 4), next_step="Exchange on 11 Dec."))

    # Given on Friday 4 Dec: the next is due 14 days on, Friday 18 Dec.
    assert (logged.on, logged.next_due_on, logged.created, logged.notification_keys) == (
        date(2026, 12, 4),
        date(2026, 12, 18),
        True,
        (),
    )
    m = the_matter(ctx)
    assert (m.last_update_on, m.snoozed_until, m.snooze_reason) == (date(2026, 12, 4), None, None)
    assert m.next_reminder_at == ctx.clock.now()
    assert (m.unhappy_on, m.concerned_on) == (None, None)
    with ctx.session_factory() as s:
        rows = {n.dedupe_key: n.cancelled_at for n in s.execute(select(Notification)).scalars()}
    assert rows["check-in:M-1001:2026-12-04"] == ctx.clock.now()
    assert rows["check-in-overdue:M-1001:2026-12-04"] == ctx.clock.now()
    assert rows["costs:M-1001:DSC-1:75"] is None  # not a check-in: still owed
    [event] = events_of_kind(ctx, EventKind.MATTER_CLIENT_UPDATE)
    assert (event.matter_id, event.actor, event.at) == (matter.id, LAWYER, ctx.clock.now())
    assert event.data == {
        "on": "2026-12-04",
        "via": "phone",
        "mood": "satisfied",
        "told": "Searches are back; exchange next week.",
        "next_step": "Exchange on 11 Dec.",
    }
    text, body = matter_messages.update_logged(logged)
    validate_message(body)
    assert "18 Dec 2026" in text and "M-1001" in text


def test_an_earlier_update_logged_late_does_not_move_the_last_one_back(ctx, matter):
    ctx.clock.set(datetime(2026, 12, 10, 9, 0, tzinfo=UTC))
    log_matter_update(ctx, update(date(2026, 12, 9), ClientMood.CONCERNED))
    later = log_matter_update(ctx, update(date(2026, 12, 1), ClientMood.CONCERNED))
    m = the_matter(ctx)
    # The last update is still Wednesday 9 Dec; the next is due 23 Dec.
    assert (m.last_update_on, m.concerned_on, later.next_due_on) == (
        date(2026, 12, 9),
        date(2026, 12, 9),
        date(2026, 12, 23),
    )


def test_a_future_date_or_one_before_the_matter_opened_is_refused_and_nothing_stored(ctx, matter):
    with pytest.raises(FieldErrors) as future:
        log_matter_update(ctx, update(date(2026, 11, 24)))  # tomorrow
    assert future.value.errors == {MatterUpdateField.DATE: "A client update cannot be given in the future."}
    with pytest.raises(FieldErrors) as early:
        log_matter_update(ctx, update(date(2026, 11, 19)))  # the day before it opened
    assert "opened on 20 Nov 2026" in early.value.errors[MatterUpdateField.DATE]
    assert events_of_kind(ctx, EventKind.MATTER_CLIENT_UPDATE) == [] and the_matter(ctx).last_update_on is None
    # The day it opened, and today, are fine.
    assert log_matter_update(ctx, update(OPENED_ON)).on == OPENED_ON
    assert log_matter_update(ctx, update(date(2026, 11, 23))).next_due_on == date(2026, 12, 7)


def test_a_closed_matter_or_one_not_set_up_is_refused(ctx, matter):
    matters.close_matter(session_factory=ctx.session_factory, matter_ref="M-1001", actor=LAWYER, now=ctx.clock.now())
    with pytest.raises(UserError, match="Matter M-1001 is closed: its client care is no longer recorded"):
        log_matter_update(ctx, update(date(2026, 11, 23)))
    with pytest.raises(UserError, match="is closed"):
        hold_matter_check_in(ctx, care.Hold.SNOOZE, date(2026, 11, 30))
    with pytest.raises(UserError, match="is closed"):
        hold_matter_check_in(ctx, care.Hold.DORMANT, date(2027, 1, 30))
    with pytest.raises(NotFound, match="There is no matter M-9999"):
        care.log_update(
            session_factory=ctx.session_factory,
            matter_ref="M-9999",
            data=update(date(2026, 11, 23)),
            actor=LAWYER,
            now=ctx.clock.now(),
            settings=ctx.settings,
            policy=ctx.matter_policy,
        )
    assert events_of_kind(ctx, EventKind.MATTER_CLIENT_UPDATE) == events_of_kind(ctx, EventKind.MATTER_SNOOZED) == []


def test_a_matter_only_named_is_not_set_up(ctx):
    complaints.log_complaint(
        session_factory=ctx.session_factory,
        data=parse_intake(intake_values(matter_ref="M-1001"), today=ctx.today()),
        reporter_id="UREPORTER",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    with pytest.raises(UserError, match="not set up yet: `/matter new` sets it up, then its client updates"):
        log_matter_update(ctx, update(date(2026, 11, 23)))


def test_an_unhappy_client_brings_exactly_one_complaint_prompt(ctx, matter):
    logged = log_matter_update(ctx, update(date(2026, 11, 23), ClientMood.UNHAPPY), view_id="V1")
    again = log_matter_update(ctx, update(date(2026, 11, 23), ClientMood.UNHAPPY), view_id="V1")  # Slack's retry

    [event] = events_of_kind(ctx, EventKind.MATTER_CLIENT_UPDATE)
    assert logged.prompted and logged.notification_keys == (f"complaint-prompt:{event.id}",)
    assert (again.created, again.event_id, again.notification_keys) == (False, event.id, ())
    [prompt] = notifications(ctx, "complaint-prompt")
    assert (prompt.dedupe_key, prompt.channel, prompt.matter_id) == (f"complaint-prompt:{event.id}", LAWYER, matter.id)
    assert prompt.text == (
        "The client seemed unhappy at the update of 23 Nov 2026 on M-1001. Any oral or written expression of "
        "dissatisfaction, justified or not, saying the client has suffered or may suffer loss, distress or "
        "inconvenience, is a complaint (the Legal Ombudsman's and the FCA's definitions): is this one?"
    )
    validate_message(prompt.blocks)
    buttons = [e for b in prompt.blocks if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        ("matter_log_as_complaint", str(event.id)),
        ("matter_not_a_complaint", str(event.id)),
    ]
    assert the_matter(ctx).unhappy_on == date(2026, 11, 23)
    # A satisfied client asks nothing.
    log_matter_update(ctx, update(date(2026, 11, 23)), view_id="V2")
    assert len(notifications(ctx, "complaint-prompt")) == 1


def test_a_retried_submission_logs_once(ctx, matter):
    first = log_matter_update(ctx, update(date(2026, 11, 23), ClientMood.CONCERNED), view_id="V123")
    ctx.clock.advance(seconds=3)
    second = log_matter_update(ctx, update(date(2026, 11, 23), ClientMood.CONCERNED), view_id="V123")
    assert [e.id for e in events_of_kind(ctx, EventKind.MATTER_CLIENT_UPDATE)] == [first.event_id]
    assert (second.created, second.next_due_on, second.mood) == (False, first.next_due_on, ClientMood.CONCERNED)
    # Another modal is another update.
    log_matter_update(ctx, update(date(2026, 11, 23)), view_id="V124")
    assert len(events_of_kind(ctx, EventKind.MATTER_CLIENT_UPDATE)) == 2


def test_snooze_holds_the_check_in_until_the_reminder_hour_of_its_day(ctx, matter):
    ctx.clock.set(datetime(2026, 12, 4, 11, 0, tzinfo=UTC))  # Friday 4 Dec, the update due today
    record_check_in(ctx, matter, "check-in:M-1001:2026-12-04")

    held = hold_matter_check_in(ctx, care.Hold.SNOOZE, date(2026, 12, 8), view_id="VS")
    again = hold_matter_check_in(ctx, care.Hold.SNOOZE, date(2026, 12, 8), view_id="VS")

    m = the_matter(ctx)
    # Tuesday 8 Dec at REMINDER_HOUR (09:00 London = UTC in winter).
    assert (m.snoozed_until, m.snooze_reason) == (datetime(2026, 12, 8, 9, 0, tzinfo=UTC), "Waiting for the lender.")
    assert m.next_reminder_at == ctx.clock.now()
    assert (held.until, held.next_due_on, again.created) == (date(2026, 12, 8), date(2026, 12, 4), False)
    assert [e.data for e in events_of_kind(ctx, EventKind.MATTER_SNOOZED)] == [
        {"until": "2026-12-08", "reason": "Waiting for the lender.", "view_id": "VS"}
    ]
    assert notifications(ctx, "check-in")[0].cancelled_at == ctx.clock.now()
    # The policy holds the nudge back until then: due again at the snooze's end, under a new key.
    due = [r.key for r in ctx.matter_policy.due(_facts(ctx), datetime(2026, 12, 8, 9, 0, tzinfo=UTC))]
    assert "check-in:M-1001:2026-12-04:snoozed-2026-12-08" in due
    assert not [
        r for r in ctx.matter_policy.due(_facts(ctx), datetime(2026, 12, 8, 8, 59, tzinfo=UTC)) if "check-in" in r.key
    ]

    validate_message(matter_messages.check_in_snoozed(held)[1])


def test_a_snooze_to_a_saturday_ends_on_the_monday_morning(ctx, matter):
    hold_matter_check_in(ctx, care.Hold.SNOOZE, date(2026, 11, 28))  # Saturday 28 Nov
    assert the_matter(ctx).snoozed_until == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Monday 30 Nov 09:00


@pytest.mark.parametrize(
    ("until", "error"),
    [
        (date(2026, 11, 23), "Choose a date after today to snooze the check-in until."),  # today
        (date(2026, 11, 1), "Choose a date after today to snooze the check-in until."),
        # 90 days after Monday 23 Nov 2026 is Sunday 21 Feb 2027; the 22nd is one too many.
        (date(2027, 2, 22), "The snooze can last 90 days at most: until 21 Feb 2027."),
    ],
)
def test_a_snooze_must_end_after_today_and_within_90_days(ctx, matter, until, error):
    with pytest.raises(FieldErrors) as refused:
        hold_matter_check_in(ctx, care.Hold.SNOOZE, until)
    assert refused.value.errors == {MatterSnoozeField.UNTIL: error}
    assert the_matter(ctx).snoozed_until is None and events_of_kind(ctx, EventKind.MATTER_SNOOZED) == []
    # The 90th day is allowed: until the reminder hour (09:00 GMT) of Sun 21 Feb 2027's next
    # business day, Mon 22 Feb.
    assert hold_matter_check_in(ctx, care.Hold.SNOOZE, date(2027, 2, 21)).until == date(2027, 2, 21)
    assert the_matter(ctx).snoozed_until == datetime(2027, 2, 22, 9, 0, tzinfo=UTC)


def test_dormant_until_a_date_moves_the_cadence_and_ends_the_snooze(ctx, matter):
    hold_matter_check_in(ctx, care.Hold.SNOOZE, date(2026, 11, 30))
    record_check_in(ctx, matter, "check-in:M-1001:2026-12-04")
    record_check_in(ctx, matter, "check-in-overdue:M-1001:2026-12-04", kind="check-in-overdue")

    held = hold_matter_check_in(ctx, care.Hold.DORMANT, date(2027, 1, 15), reason="Waiting for probate.")

    m = the_matter(ctx)
    assert (m.dormant_until, m.snoozed_until, m.snooze_reason) == (date(2027, 1, 15), None, None)
    # No update needed until Friday 15 Jan 2027: the next is due 14 days after, Friday 29 Jan.
    assert held.next_due_on == date(2027, 1, 29)
    assert {
        n.kind: n.cancelled_at for n in notifications(ctx, "check-in") + notifications(ctx, "check-in-overdue")
    } == {
        "check-in": ctx.clock.now(),
        "check-in-overdue": ctx.clock.now(),
    }
    assert [e.data for e in events_of_kind(ctx, EventKind.MATTER_DORMANT)] == [
        {"until": "2027-01-15", "reason": "Waiting for probate."}
    ]
    validate_message(matter_messages.matter_dormant(held)[1])
    with pytest.raises(FieldErrors) as refused:
        hold_matter_check_in(ctx, care.Hold.DORMANT, date(2026, 11, 23))
    assert refused.value.errors == {
        MatterDormantField.UNTIL: "Choose a date after today to mark the matter dormant until."
    }
    with pytest.raises(FieldErrors, match="366 days at most"):
        hold_matter_check_in(ctx, care.Hold.DORMANT, date(2027, 11, 25))  # 367 days on


def _facts(ctx):
    return facts_of(the_matter(ctx), settings=ctx.settings)


REASON = "She asked when exchange would be; content once told it is next week."


def test_not_a_complaint_is_recorded_with_its_reason(ctx, matter):
    logged = log_matter_update(ctx, update(date(2026, 11, 23), ClientMood.UNHAPPY))
    ctx.clock.advance(hours=1)  # 10:30 London
    answered = answer_not_a_complaint(ctx, logged.event_id, reason=f"  {REASON}\n", view_id="VN1")
    assert (answered.prompted.matter_ref, answered.prompted.on, answered.reason, answered.created) == (
        "M-1001",
        date(2026, 11, 23),
        REASON,
        True,
    )
    [event] = events_of_kind(ctx, EventKind.MATTER_COMPLAINT_ANSWERED)
    assert (event.actor, event.matter_id, event.at, event.data) == (
        LAWYER,
        matter.id,
        datetime(2026, 11, 23, 10, 30, tzinfo=UTC),
        {"update_event_id": logged.event_id, "answer": "not_a_complaint", "reason": REASON, "view_id": "VN1"},
    )
    text, body = matter_messages.not_a_complaint_recorded(answered)
    validate_message(body)
    assert text == "Recorded: the update of 23 Nov 2026 on M-1001 is not a complaint."
    assert REASON in str(body)


def test_a_blank_reason_is_refused_and_nothing_stored(ctx, matter):
    logged = log_matter_update(ctx, update(date(2026, 11, 23), ClientMood.UNHAPPY))
    for blank in (None, "", "  \n\t "):
        with pytest.raises(FieldErrors) as refused:
            answer_not_a_complaint(ctx, logged.event_id, reason=blank)
        assert refused.value.errors == {MatterNotAComplaintField.REASON: "Enter the reason."}
    assert events_of_kind(ctx, EventKind.MATTER_COMPLAINT_ANSWERED) == []
    # Still unanswered: the prompt can be answered now.
    assert answer_not_a_complaint(ctx, logged.event_id, reason=REASON).created


def test_a_retried_not_a_complaint_submission_stores_once(ctx, matter):
    logged = log_matter_update(ctx, update(date(2026, 11, 23), ClientMood.UNHAPPY))
    first = answer_not_a_complaint(ctx, logged.event_id, reason=REASON, view_id="VN1")
    ctx.clock.advance(seconds=3)  # Slack's retry, a few seconds on
    retried = answer_not_a_complaint(ctx, logged.event_id, reason=REASON, view_id="VN1")
    assert first.created and not retried.created and retried.reason == first.reason == REASON
    assert len(events_of_kind(ctx, EventKind.MATTER_COMPLAINT_ANSWERED)) == 1
    # Another modal, on the same prompt, is a second answer: refused.
    with pytest.raises(care.AlreadyAnswered):
        answer_not_a_complaint(ctx, logged.event_id, reason="Another view.", view_id="VN2")
    assert len(events_of_kind(ctx, EventKind.MATTER_COMPLAINT_ANSWERED)) == 1


def test_only_the_first_answer_to_the_prompt_counts(ctx, matter):
    logged = log_matter_update(ctx, update(date(2026, 11, 23), ClientMood.UNHAPPY))
    ctx.clock.advance(hours=1)
    answered = answer_not_a_complaint(ctx, logged.event_id, reason=REASON)
    assert (answered.prompted.matter_ref, answered.prompted.on) == ("M-1001", date(2026, 11, 23))
    ctx.clock.advance(days=1)  # Tuesday 24 Nov: the answer still reads as given on Monday 23 Nov
    with pytest.raises(care.AlreadyAnswered) as second:
        answer_not_a_complaint(ctx, logged.event_id, reason="It is not, I say.", actor="UPARTNER")
    assert str(second.value) == (
        "The update of 23 Nov 2026 on M-1001 was already answered: not a complaint, on 23 Nov 2026; "
        "/matter show M-1001 says by whom."
    )
    text, body = matter_messages.already_answered(second.value.prompted, tz=ctx.tz)
    validate_message(body)
    assert "not a complaint, by <@ULAWYER> on 23 Nov 2026" in text and "<@ULAWYER>" in str(body)
    # Logging it as a complaint now is refused too, and the complaint is not stored.
    with pytest.raises(UserError, match="already answered"), ctx.session_factory.begin() as s:
        care.record_answer(
            s,
            update_event_id=logged.event_id,
            answer=care.COMPLAINT,
            actor="UPARTNER",
            now=ctx.clock.now(),
            tz=ctx.tz,
            complaint="CMP-2026-0001",
        )
    [event] = events_of_kind(ctx, EventKind.MATTER_COMPLAINT_ANSWERED)
    assert (event.actor, event.matter_id, event.data) == (
        LAWYER,
        matter.id,
        {"update_event_id": logged.event_id, "answer": "not_a_complaint", "reason": REASON},
    )


def test_an_update_that_is_not_one_has_no_prompt_to_answer(ctx, matter):
    # One answered first, so that the refusals below are seen to add nothing to it.
    answered = log_matter_update(ctx, update(date(2026, 11, 23), ClientMood.UNHAPPY))
    answer_not_a_complaint(ctx, answered.event_id, reason=REASON)
    with pytest.raises(NotFound, match="no such client update"):
        answer_not_a_complaint(ctx, 987654, reason=REASON)
    opened = events_of_kind(ctx, EventKind.MATTER_OPENED)[0]  # an event, but not a client update
    with pytest.raises(NotFound):
        answer_not_a_complaint(ctx, opened.id, reason=REASON)
    for value in (None, "", "abc", "12x", "-4", "١٢"):
        with pytest.raises(UserError, match="names no client update"):
            care.parse_update_event_id(value)
    with ctx.session_factory() as s:
        assert (
            s.execute(
                select(func.count()).select_from(Event).where(Event.kind == "matter_complaint_answered")
            ).scalar_one()
            == 1
        )


def test_the_modals_are_valid_and_read_their_values(ctx, matter):
    for view in (
        matter_update_modal(matter, today=ctx.today()),
        matter_snooze_modal(matter, today=ctx.today()),
        matter_dormant_modal(matter),
    ):
        validate_view(view)
    values = {
        MatterUpdateField.DATE: "2026-11-23",
        MatterUpdateField.VIA: "meeting",
        MatterUpdateField.TOLD: "  The survey is in.  ",
        MatterUpdateField.NEXT_STEP: "",
        MatterUpdateField.MOOD: "has_questions",
    }
    assert parse_matter_update(values) == ClientUpdateToLog(
        on=date(2026, 11, 23), via=UpdateVia.MEETING, told="The survey is in.", mood=ClientMood.HAS_QUESTIONS
    )
    with pytest.raises(FieldErrors) as bad:
        parse_matter_update(
            {MatterUpdateField.DATE: "soon", MatterUpdateField.VIA: "fax", MatterUpdateField.MOOD: "cross"}
        )
    assert set(bad.value.errors) == {
        MatterUpdateField.DATE,
        MatterUpdateField.VIA,
        MatterUpdateField.TOLD,
        MatterUpdateField.MOOD,
    }
    F = MatterSnoozeField
    with pytest.raises(FieldErrors) as bad:
        parse_held_until({F.UNTIL: None, F.REASON: " "}, until_field=F.UNTIL, reason_field=F.REASON)
    assert bad.value.errors == {F.UNTIL: "Choose a date.", F.REASON: "Enter the reason."}


def test_the_not_a_complaint_modal_names_the_update_and_reads_its_reason(ctx, matter):
    logged = log_matter_update(ctx, update(date(2026, 11, 22), ClientMood.UNHAPPY))
    with ctx.session_factory() as s:
        prompted = care.prompted_update(s, update_event_id=logged.event_id)
    view = not_a_complaint_modal(prompted)
    validate_view(view)
    assert (view["callback_id"], view["submit"]["text"]) == (VIEW_MATTER_NOT_A_COMPLAINT, "Record")
    assert json.loads(view["private_metadata"]) == {"update_event_id": logged.event_id}
    assert "*22 Nov 2026* on *M-1001*" in view["blocks"][0]["text"]["text"]
    [reason] = [b for b in view["blocks"] if b["type"] == "input"]
    assert (reason["block_id"], reason["label"]["text"], reason.get("optional", False)) == (
        MatterNotAComplaintField.REASON,
        "Why it is not a complaint",
        False,
    )
    assert (reason["element"]["multiline"], reason["element"]["max_length"]) == (True, 1000)
    assert reason["element"]["placeholder"]["text"].startswith("e.g. the client asked a question about timing")
    F = MatterNotAComplaintField
    assert parse_not_a_complaint({F.REASON: f"  {REASON} "}) == REASON
    with pytest.raises(FieldErrors) as blank:
        parse_not_a_complaint({F.REASON: " \n "})
    assert blank.value.errors == {F.REASON: "Enter the reason."}
    with pytest.raises(FieldErrors) as long:
        parse_not_a_complaint({F.REASON: "x" * 1001})
    assert long.value.errors == {F.REASON: "Keep the reason to 1,000 characters (it has 1,001)."}


def test_logging_the_complaint_answers_the_prompt_once_and_a_late_second_stores_nothing(ctx, matter):
    logged = log_matter_update(ctx, update(date(2026, 11, 23), ClientMood.UNHAPPY))
    data = parse_intake(intake_values(matter_ref="M-1001", received_on="2026-11-23"), today=ctx.today())
    lawyer, partner = Viewer(user_id=LAWYER, team=False), Viewer(user_id="UPARTNER", team=False)

    first = matter_requests.log_as_complaint(
        ctx, viewer=lawyer, data=data, view_id="VC1", update_event_id=logged.event_id
    )
    retried = matter_requests.log_as_complaint(
        ctx, viewer=lawyer, data=data, view_id="VC1", update_event_id=logged.event_id
    )
    assert first.created and not retried.created and retried.complaint.reference == first.complaint.reference
    # Another modal opened on the same prompt before the first was answered: refused, and its
    # complaint is not stored (one transaction).
    with pytest.raises(care.AlreadyAnswered):
        matter_requests.log_as_complaint(ctx, viewer=partner, data=data, view_id="VC2", update_event_id=logged.event_id)
    with ctx.session_factory() as s:
        assert s.execute(select(Complaint.reference)).scalars().all() == [first.complaint.reference]
    [answered] = events_of_kind(ctx, EventKind.MATTER_COMPLAINT_ANSWERED)
    assert answered.data == {
        "update_event_id": logged.event_id,
        "answer": "complaint",
        "complaint": first.complaint.reference,
    }


def test_show_gives_the_latest_update_by_its_day_not_the_last_logged(ctx, matter):
    # Mon 23 Nov: the update of that day (unhappy) is logged, then one for Sat 21 Nov (satisfied),
    # logged late. The latest is 23 Nov's: its day and the client's mood, as the risk reads them.
    log_matter_update(ctx, update(date(2026, 11, 23), ClientMood.UNHAPPY), view_id="V1")
    log_matter_update(ctx, update(date(2026, 11, 21), ClientMood.SATISFIED), view_id="V2")
    view = matter_requests.show(ctx, viewer=Viewer(LAWYER, team=False), matter_ref_text="M-1001")
    assert view.care is not None
    assert (view.care.last_update_on, view.care.last_mood) == (date(2026, 11, 23), ClientMood.UNHAPPY)
    assert "client unhappy at the update of 23 Nov 2026" in view.care.risk.reasons
