"""The referral to the ombudsman and its decision, on both databases: what is stored and its event,
the dates each must fit, a change recorded as one, the award in the firm's currency, a complaint
reopened keeping its referral, scheme `none`, and who may.

Dates: the complaint is logged and resolved at T0 (Mon 23 Nov 2026), its final response sent that
day; the clock then moves to Thu 4 Feb 2027 for the referral and Mon 5 Jul 2027 for the decision.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot import access
from bot.complaints import messages
from bot.complaints import referral as service
from bot.complaints import requests as complaint_requests
from bot.complaints.referral import DecisionInput, ReferralInput
from bot.core import ids
from bot.core.context import make_context
from bot.core.errors import FieldErrors, UserError
from bot.core.money import Currency
from bot.core.vocabulary import EventKind, OmbudsmanDecision
from handlers.modals.referral import parse_decision, parse_referral
from tests.conftest import make_settings
from tests.factories import TODAY, events, log, reopen, resolve, stored, triage
from tests.fakes import RecordingNotifier, no_team

REFERRED = date(2027, 2, 4)
DECIDED = date(2027, 7, 5)
GBP = Currency.of("GBP")


def resolved(ctx) -> str:
    ref = log(ctx).reference
    triage(ctx, ref)
    resolve(ctx, ref)
    return ref


def refer(ctx, ref, on=REFERRED, reference: str | None = "LEO-123456", actor="UHANDLER1", **kw):
    return service.record_referral(
        session_factory=ctx.session_factory,
        reference=ref,
        data=ReferralInput(referred_on=on, ombudsman_reference=reference, **kw),
        actor=actor,
        now=ctx.clock.now(),
        settings=ctx.settings,
    )


def decide(ctx, ref, decision=OmbudsmanDecision.PARTLY_UPHELD, on=DECIDED, award: int | None = 125050):
    return service.record_decision(
        session_factory=ctx.session_factory,
        reference=ref,
        data=DecisionInput(decision=decision, decided_on=on, award=award),
        actor="ULEAD",
        now=ctx.clock.now(),
        settings=ctx.settings,
    )


def at(ctx, day: date) -> None:
    ctx.clock.set(datetime(day.year, day.month, day.day, 12, tzinfo=UTC))


def kinds(ctx, ref, kind: str) -> list:
    return [e for e in events(ctx, ref) if e.kind == kind]


# --- the parsers -----------------------------------------------------------------------------------


def test_the_referral_parser_takes_an_optional_reference_and_refuses_a_missing_date():
    assert parse_referral({"referred_on": "2027-02-04", "ombudsman_reference": None}) == ReferralInput(REFERRED, None)
    assert parse_referral({"referred_on": "2027-02-04", "ombudsman_reference": " LEO-1 "}).ombudsman_reference == (
        "LEO-1"
    )
    with pytest.raises(FieldErrors) as e:
        parse_referral({"referred_on": None, "ombudsman_reference": "x" * 65})
    assert set(e.value.errors) == {ids.ReferralField.REFERRED_ON, ids.ReferralField.REFERENCE}
    assert "64 characters" in e.value.errors[ids.ReferralField.REFERENCE]


@pytest.mark.parametrize(
    "typed, minor",
    [("1,250.50", 125050), ("£300", 30000), ("GBP 0.99", 99), (None, None), ("  ", None)],
)
def test_the_decision_parser_reads_the_award_exactly(typed, minor):
    values = {"ombudsman_decision": "upheld", "ombudsman_decided_on": "2027-07-05", "ombudsman_award": typed}
    assert parse_decision(values, currency=GBP) == DecisionInput(OmbudsmanDecision.UPHELD, DECIDED, minor)


@pytest.mark.parametrize(
    "typed, fragment", [("-5", "cannot be negative"), ("ten pounds", "as a number"), ("1.234", "at most 2 decimals")]
)
def test_a_bad_award_is_an_error_under_its_field(typed, fragment):
    values = {"ombudsman_decision": None, "ombudsman_decided_on": "2027-07-05", "ombudsman_award": typed}
    with pytest.raises(FieldErrors) as e:
        parse_decision(values, currency=GBP)
    assert fragment in e.value.errors[ids.OmbudsmanDecisionField.AWARD]
    assert "decision" in e.value.errors[ids.OmbudsmanDecisionField.DECISION]


# --- the referral ----------------------------------------------------------------------------------


def test_a_referral_is_stored_with_its_event_and_shown(ctx):
    ref = resolved(ctx)
    at(ctx, REFERRED)
    result = refer(ctx, ref)
    assert result.changed and not result.edited
    c = stored(ctx, ref)
    assert (c.referred_on, c.ombudsman_reference) == (REFERRED, "LEO-123456")
    [event] = kinds(ctx, ref, EventKind.REFERRED)
    assert event.actor == "UHANDLER1"
    assert event.data == {"referred_on": "2027-02-04", "ombudsman_reference": "LEO-123456", "previous": None}
    _, body = messages.complaint_detail(c, events(ctx, ref), tz=ctx.tz, may_act=True, ombudsman="Legal Ombudsman")
    shown = str(body)
    assert "*Referred to the ombudsman* on 4 Feb 2027 (the ombudsman's reference LEO-123456)" in shown
    assert "referral to the ombudsman recorded by <@UHANDLER1>: referred on 2027-02-04" in shown
    assert ids.ACTION_REFERRAL in shown and ids.ACTION_OMBUDSMAN_DECISION in shown


@pytest.mark.parametrize(
    "on, fragment",
    [
        (date(2026, 11, 22), "The final response went on 23 Nov 2026: the referral cannot be before it"),
        (date(2027, 2, 5), "cannot be in the future"),
    ],
)
def test_a_referral_before_the_final_response_or_in_the_future_is_refused_under_its_field(ctx, on, fragment):
    ref = resolved(ctx)
    at(ctx, REFERRED)
    with pytest.raises(FieldErrors) as e:
        refer(ctx, ref, on=on)
    assert fragment in e.value.errors[ids.ReferralField.REFERRED_ON]
    assert stored(ctx, ref).referred_on is None and kinds(ctx, ref, EventKind.REFERRED) == []


def test_the_referral_on_the_day_of_the_final_response_is_allowed(ctx):
    ref = resolved(ctx)
    refer(ctx, ref, on=TODAY)
    assert stored(ctx, ref).referred_on == TODAY


def test_recording_it_again_is_a_change_with_what_it_replaced_and_the_same_again_records_nothing(ctx):
    ref = resolved(ctx)
    at(ctx, REFERRED)
    refer(ctx, ref, on=date(2027, 2, 1), reference=None)
    again = refer(ctx, ref)
    assert again.changed and again.edited
    same = refer(ctx, ref)
    assert not same.changed
    first, second = kinds(ctx, ref, EventKind.REFERRED)
    assert second.data["previous"] == {"referred_on": "2027-02-01", "ombudsman_reference": None}
    assert "referral to the ombudsman changed by <@UHANDLER1>: referred on 2027-02-04" in messages.describe_event(
        second
    )
    assert "(was 2027-02-01)" in messages.describe_event(second)
    # The command gives only the date: the reference recorded stays.
    refer(ctx, ref, on=date(2027, 2, 3), reference=None, reference_given=False)
    assert stored(ctx, ref).ombudsman_reference == "LEO-123456"


def test_an_open_complaint_is_refused_with_a_sentence_saying_to_resolve_first(ctx):
    ref = log(ctx).reference
    triage(ctx, ref)
    with pytest.raises(UserError) as e:
        refer(ctx, ref, on=TODAY)
    assert f"{ref} is still open; resolve it (`/complaint resolve {ref}`)" in str(e.value)
    assert stored(ctx, ref).referred_on is None


@pytest.fixture
def no_scheme(db_url, engine, session_factory, clock):
    return make_context(
        settings=make_settings(db_url, complaints_scheme="none"),
        engine=engine,
        session_factory=session_factory,
        notifier=RecordingNotifier(),
        clock=clock,
        team=no_team(),
    )


def test_under_scheme_none_there_is_nothing_to_refer_or_decide(no_scheme):
    ref = resolved(no_scheme)
    for attempt in (lambda: refer(no_scheme, ref, on=TODAY), lambda: decide(no_scheme, ref, on=TODAY)):
        with pytest.raises(UserError) as e:
            attempt()
        assert "has no ombudsman, so there is no referral or ombudsman decision to record" in str(e.value)
    assert stored(no_scheme, ref).referred_on is None
    c = stored(no_scheme, ref)
    _, body = messages.complaint_detail(c, events(no_scheme, ref), tz=no_scheme.tz, may_act=True, ombudsman=None)
    assert ids.ACTION_REFERRAL not in str(body)


# --- the decision ----------------------------------------------------------------------------------


def test_a_decision_needs_a_referral_first(ctx):
    ref = resolved(ctx)
    with pytest.raises(UserError) as e:
        decide(ctx, ref, on=TODAY)
    assert f"record the referral first (`/complaint referred {ref}`)" in str(e.value)


def test_the_decision_and_award_are_stored_with_the_currency_and_an_event(ctx):
    ref = resolved(ctx)
    at(ctx, REFERRED)
    refer(ctx, ref)
    at(ctx, DECIDED)
    decide(ctx, ref)
    c = stored(ctx, ref)
    assert (c.ombudsman_decision, c.ombudsman_decided_on, c.ombudsman_award) == ("partly_upheld", DECIDED, 125050)
    assert c.redress_currency == "GBP"
    [event] = kinds(ctx, ref, EventKind.OMBUDSMAN_DECIDED)
    assert event.data == {
        "decision": "partly_upheld",
        "decided_on": "2027-07-05",
        "award": 125050,
        "currency": "GBP",
        "previous": None,
    }
    shown = str(messages.complaint_detail(c, events(ctx, ref), tz=ctx.tz)[1])
    assert "*Ombudsman's decision:* partly upheld on 5 Jul 2027, award GBP 1,250.50." in shown
    assert "ombudsman's decision recorded by <@ULEAD>: partly upheld on 2027-07-05, award GBP 1,250.50" in shown

    # Changed: not upheld, no award; the change says what it replaced.
    decide(ctx, ref, decision=OmbudsmanDecision.NOT_UPHELD, award=None)
    c = stored(ctx, ref)
    assert (c.ombudsman_decision, c.ombudsman_award) == ("not_upheld", None)
    second = kinds(ctx, ref, EventKind.OMBUDSMAN_DECIDED)[1]
    assert second.data["previous"] == {"decision": "partly_upheld", "decided_on": "2027-07-05", "award": 125050}
    assert "changed by <@ULEAD>: not upheld on 2027-07-05, no award (was partly_upheld" in messages.describe_event(
        second
    )


@pytest.mark.parametrize(
    "on, fragment",
    [(date(2027, 2, 3), "referred on 4 Feb 2027: the decision cannot be before it"), (date(2027, 7, 6), "future")],
)
def test_a_decision_before_the_referral_or_in_the_future_is_refused_under_its_field(ctx, on, fragment):
    ref = resolved(ctx)
    at(ctx, REFERRED)
    refer(ctx, ref)
    at(ctx, DECIDED)
    with pytest.raises(FieldErrors) as e:
        decide(ctx, ref, on=on)
    assert fragment in e.value.errors[ids.OmbudsmanDecisionField.DECIDED_ON]
    assert stored(ctx, ref).ombudsman_decision is None and kinds(ctx, ref, EventKind.OMBUDSMAN_DECIDED) == []


def test_a_referral_moved_after_the_decision_is_refused(ctx):
    ref = resolved(ctx)
    at(ctx, DECIDED)
    refer(ctx, ref)
    decide(ctx, ref, on=date(2027, 3, 1))
    with pytest.raises(FieldErrors) as e:
        refer(ctx, ref, on=date(2027, 3, 2))
    assert "decision is recorded on 1 Mar 2027" in e.value.errors[ids.ReferralField.REFERRED_ON]
    assert stored(ctx, ref).referred_on == REFERRED


def test_reopening_keeps_the_referral_and_the_decision_can_still_be_recorded(ctx):
    ref = resolved(ctx)
    at(ctx, REFERRED)
    refer(ctx, ref)
    reopen(ctx, ref)
    c = stored(ctx, ref)
    assert c.status != "resolved"
    assert c.referred_on == REFERRED and c.ombudsman_reference == "LEO-123456"
    # A new referral waits for the new final response; the decision on the referral made does not.
    with pytest.raises(UserError):
        refer(ctx, ref, on=REFERRED)
    at(ctx, DECIDED)
    decide(ctx, ref)
    assert stored(ctx, ref).ombudsman_decision == "partly_upheld"
    _, body = messages.complaint_detail(
        stored(ctx, ref), events(ctx, ref), tz=ctx.tz, may_act=True, ombudsman="Legal Ombudsman"
    )
    assert ids.ACTION_REFERRAL not in str(body) and ids.ACTION_OMBUDSMAN_DECISION in str(body)


# --- who may ---------------------------------------------------------------------------------------


def test_the_handler_and_the_team_may_record_them_and_no_one_else(ctx):
    ref = resolved(ctx)
    at(ctx, REFERRED)
    data = ReferralInput(referred_on=REFERRED, ombudsman_reference="LEO-1")
    for outsider in ("UREPORTER", "USTRANGER"):
        with pytest.raises(access.Refused):
            complaint_requests.record_referral(
                ctx, viewer=access.Viewer(user_id=outsider, team=False), reference=ref, data=data
            )
    assert stored(ctx, ref).referred_on is None
    complaint_requests.record_referral(
        ctx, viewer=access.Viewer(user_id="UHANDLER1", team=False), reference=ref, data=data
    )
    decision = DecisionInput(OmbudsmanDecision.SETTLED, REFERRED, None)
    with pytest.raises(access.Refused):
        complaint_requests.record_ombudsman_decision(
            ctx, viewer=access.Viewer(user_id="UREPORTER", team=False), reference=ref, data=decision
        )
    complaint_requests.record_ombudsman_decision(
        ctx, viewer=access.Viewer(user_id="ULEAD", team=True), reference=ref, data=decision
    )
    assert [e.actor for e in events(ctx, ref) if e.kind in ("referred", "ombudsman_decided")] == ["UHANDLER1", "ULEAD"]
    assert stored(ctx, ref).redress_currency is None  # no award, no currency
