"""The holding response's service and parser, on both databases: what is recorded under each scheme,
the payment services extension (DISP 1.6.2AR) and its limit, one record per modal, who may, and the
reminders following the moved deadline.

Dates, worked by hand: the intake values' complaint is received Fri 20 Nov 2026 and logged at T0,
Mon 23 Nov 2026. 8 weeks: Fri 15 Jan 2027. 15 business days (England & Wales): Mon 23 Nov (1) …
Fri 11 Dec 2026 (15). 35 business days: Mon 14 Dec (16) … Fri 18 (20), Mon 21 (21) … Thu 24 (24),
[Fri 25 Christmas Day, Mon 28 Boxing Day's substitute], Tue 29 (25) … Thu 31 (27), [Fri 1 Jan],
Mon 4 (28) … Fri 8 (32), Mon 11 (33), Tue 12 (34), Wed 13 Jan 2027 (35).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from bot import access
from bot.complaints import requests as complaint_requests
from bot.core.context import make_context
from bot.core.errors import FieldErrors, UserError
from bot.core.vocabulary import EventKind, WrittenVia
from bot.reminders.sweep import sweep
from handlers.modals.holding import parse_holding
from storage.models import Event, Notification
from tests.conftest import make_settings
from tests.factories import TODAY, events, holding, holding_values, log, resolve, stored, triage
from tests.fakes import RecordingNotifier, no_team

RECEIVED = date(2026, 11, 20)
EIGHT_WEEKS = date(2027, 1, 15)
FIFTEEN = date(2026, 12, 11)
THIRTY_FIVE = date(2027, 1, 13)


@pytest.fixture
def scheme_ctx(db_url, engine, session_factory, clock):
    """A context under the scheme a test names."""

    def under(scheme: str, **settings):
        return make_context(
            settings=make_settings(db_url, complaints_scheme=scheme, **settings),
            engine=engine,
            session_factory=session_factory,
            notifier=RecordingNotifier(),
            clock=clock,
            team=no_team(),
        )

    return under


# --- the parser ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, field, fragment",
    [
        ({"reason": ""}, "reason", "Enter the reason for the delay"),
        ({"reason": "x" * 1001}, "reason", "1,000 characters"),
        ({"expected_on": None}, "expected_on", "Choose a date"),
        # The day before today (Mon 23 Nov 2026) is Sun 22 Nov.
        ({"expected_on": "2026-11-22"}, "expected_on", "before today"),
        ({"sent_on": "2026-11-24"}, "sent_on", "in the future"),
        ({"via": "phone"}, "via", "Choose how"),
    ],
)
def test_the_parser_refuses_with_a_sentence_under_the_field(overrides, field, fragment):
    with pytest.raises(FieldErrors) as e:
        parse_holding(holding_values(**overrides), today=TODAY)
    assert set(e.value.errors) == {field} and fragment in e.value.errors[field]


def test_the_parser_takes_today_as_the_expected_date():
    data = parse_holding(holding_values(expected_on=TODAY.isoformat(), via="letter"), today=TODAY)
    assert data.expected_on == TODAY and data.sent_on == TODAY and data.via == WrittenVia.LETTER


# --- the service, scheme by scheme ----------------------------------------------------------------

SCHEMES = {
    # scheme: (due before, a date the holding response may name, due after)
    "legal-ombudsman": (EIGHT_WEEKS, date(2027, 2, 26), EIGHT_WEEKS),
    "financial-ombudsman": (EIGHT_WEEKS, date(2027, 2, 26), EIGHT_WEEKS),
    "financial-ombudsman-payments": (FIFTEEN, THIRTY_FIVE, THIRTY_FIVE),
    "none": (EIGHT_WEEKS, date(2027, 2, 26), EIGHT_WEEKS),
}


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_a_holding_response_is_recorded_and_moves_the_deadline_only_under_payments(scheme_ctx, scheme):
    ctx = scheme_ctx(scheme)
    due_before, expected_on, due_after = SCHEMES[scheme]
    ref = log(ctx).reference
    assert stored(ctx, ref).final_response_due_on == due_before
    recorded = holding(ctx, ref, expected_on=expected_on.isoformat(), view_id="V-HOLD-1")
    c = stored(ctx, ref)
    assert c.holding_response_sent_on == TODAY
    assert c.final_response_due_on == due_after
    assert c.next_reminder_at == ctx.clock.now()
    [event] = [e for e in events(ctx, ref) if e.kind == EventKind.HOLDING_RESPONSE]
    assert event.actor == "UHANDLER1"
    d = event.data
    assert d["reason"] == holding_values()["reason"]
    assert (d["expected_on"], d["sent_on"], d["via"]) == (expected_on.isoformat(), TODAY.isoformat(), "email")
    assert (d["previous_due_on"], d["due_on"]) == (due_before.isoformat(), due_after.isoformat())
    assert d["template"] == "holding-response.txt" and len(d["version"]) == 12
    assert d["letter"] == recorded.letter and "Dear Jane Client," in d["letter"]
    assert holding_values()["reason"] in d["letter"]
    assert f"final response by {expected_on.day} {expected_on:%b %Y}" in d["letter"]
    # The letter reaches whoever recorded it, in Slack; the bot says it sent the client nothing.
    assert recorded.notification_keys == (f"holding-response:{ref}:{event.id}",)
    text, blocks = recorded.message
    shown = str(blocks)
    assert "I have not sent anything to the client" in shown
    if scheme == "financial-ombudsman-payments":
        assert "moves from 11 Dec 2026 to *13 Jan 2027 (set by the holding reply: at most 35 business days" in shown
    else:
        assert "stays *15 Jan 2027" in shown and "does not move it" in shown


def test_under_payments_a_date_past_35_business_days_is_refused_naming_the_last_allowed(scheme_ctx):
    ctx = scheme_ctx("financial-ombudsman-payments")
    ref = log(ctx).reference
    # One business day after Wed 13 Jan 2027: Thu 14 Jan.
    with pytest.raises(FieldErrors) as e:
        holding(ctx, ref, expected_on="2027-01-14")
    message = e.value.errors["expected_on"]
    assert "13 Jan 2027" in message and "DISP 1.6.2AR" in message and "35 business days" in message
    c = stored(ctx, ref)
    assert c.holding_response_sent_on is None and c.final_response_due_on == FIFTEEN
    assert [e.kind for e in events(ctx, ref)] == ["logged"]


def test_under_payments_a_holding_reply_sent_after_the_deadline_does_not_extend_it(scheme_ctx, clock):
    ctx = scheme_ctx("financial-ombudsman-payments")
    ref = log(ctx).reference
    # Mon 14 Dec 2026, the first business day after the 15 ran out on Fri 11 Dec.
    clock.set(datetime(2026, 12, 14, 10, tzinfo=UTC))
    recorded = holding(ctx, ref, sent_on="2026-12-14", expected_on="2027-01-08")
    c = stored(ctx, ref)
    assert c.holding_response_sent_on == date(2026, 12, 14) and c.final_response_due_on == FIFTEEN
    assert "cannot extend it (DISP 1.6.2AR)" in str(recorded.message[1])


def test_a_repeated_submission_of_the_same_modal_records_once(scheme_ctx):
    ctx = scheme_ctx("financial-ombudsman-payments")
    ref = log(ctx).reference
    first = holding(ctx, ref, expected_on=THIRTY_FIVE.isoformat(), view_id="V-HOLD-2")
    again = holding(ctx, ref, expected_on=THIRTY_FIVE.isoformat(), view_id="V-HOLD-2")
    assert first.created and not again.created and again.notification_keys == ()
    assert again.letter == first.letter and again.message == first.message
    with ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Event).where(Event.kind == "holding_response")) == 1
        assert (
            s.scalar(select(func.count()).select_from(Notification).where(Notification.kind == "holding-response")) == 1
        )
    # Another modal is another holding response.
    assert holding(ctx, ref, expected_on=THIRTY_FIVE.isoformat(), view_id="V-HOLD-3").created


def test_a_resolved_complaint_takes_no_holding_response(ctx):
    ref = log(ctx).reference
    resolve(ctx, ref)
    with pytest.raises(UserError) as e:
        holding(ctx, ref)
    assert "is resolved; reopen it" in str(e.value) and "before recording a holding response" in str(e.value)


def test_only_the_handler_or_the_team_may_record_one(ctx):
    ref = log(ctx).reference
    triage(ctx, ref)
    data = parse_holding(holding_values(), today=ctx.today())
    reporter = access.Viewer(user_id="UREPORTER", team=False)
    with pytest.raises(access.Refused):
        complaint_requests.record_holding_response(ctx, viewer=reporter, reference=ref, data=data, view_id=None)
    assert stored(ctx, ref).holding_response_sent_on is None
    handler = access.Viewer(user_id="UHANDLER1", team=False)
    complaint_requests.record_holding_response(ctx, viewer=handler, reference=ref, data=data, view_id=None)
    lead = access.Viewer(user_id="ULEAD", team=True)
    complaint_requests.record_holding_response(ctx, viewer=lead, reference=ref, data=data, view_id=None)
    assert [e.actor for e in events(ctx, ref) if e.kind == "holding_response"] == ["UHANDLER1", "ULEAD"]


# --- the reminders follow the moved deadline ------------------------------------------------------


def final_sent(report) -> list[str]:
    return [d.dedupe_key for d in report.sent if d.kind.startswith("final")]


def test_under_payments_the_breach_moves_to_the_day_after_the_new_date(scheme_ctx, clock):
    ctx = scheme_ctx("financial-ombudsman-payments")
    ref = log(ctx).reference
    triage(ctx, ref)
    holding(ctx, ref, expected_on=THIRTY_FIVE.isoformat())
    sweep(ctx)
    # The old breach would have been Sat 12 Dec 2026 at 09:00 (London = UTC in winter).
    clock.set(datetime(2026, 12, 12, 9, 30, tzinfo=UTC))
    assert final_sent(sweep(ctx)) == []
    # 14 days before Wed 13 Jan is Wed 30 Dec 2026, a business day: the new date's own warning.
    clock.set(datetime(2026, 12, 30, 9, 0, tzinfo=UTC))
    assert final_sent(sweep(ctx)) == [f"final-warning:{ref}:14d:2027-01-13"]
    warning = ctx.notifier.to("UHANDLER1")[-1]
    assert "13 Jan 2027" in warning.text and "set by the holding reply" in str(warning.blocks)
    # Wed 13 Jan 2027 at 23:59 is still the deadline day; the breach is Thu 14 Jan at 09:00.
    clock.set(datetime(2027, 1, 14, 8, 59, tzinfo=UTC))
    assert f"final-breach:{ref}" not in final_sent(sweep(ctx))
    clock.set(datetime(2027, 1, 14, 9, 0, tzinfo=UTC))
    assert final_sent(sweep(ctx)) == [f"final-breach:{ref}"]
    breach = ctx.notifier.to("CTRIAGE01")[-1]
    assert "passed on 13 Jan 2027" in breach.text
    assert (
        "final response due 13 Jan 2027 (set by the holding reply: at most 35 business days, DISP 1.6.2AR, "
        "England & Wales bank holidays)" in str(breach.blocks)
    )


def test_under_an_eight_week_scheme_the_breach_stays_at_the_eight_weeks(scheme_ctx, clock):
    ctx = scheme_ctx("financial-ombudsman")
    ref = log(ctx).reference
    triage(ctx, ref)
    holding(ctx, ref, expected_on="2027-02-26")
    # Breach the day after Fri 15 Jan 2027: Sat 16 Jan at 09:00.
    clock.set(datetime(2027, 1, 16, 9, 0, tzinfo=UTC))
    assert final_sent(sweep(ctx)) == [f"final-breach:{ref}"]
    assert "(8 weeks, DISP 1.6.2R)" in str(ctx.notifier.to("CTRIAGE01")[-1].blocks)
