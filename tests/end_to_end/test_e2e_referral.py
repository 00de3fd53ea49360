"""The referral to the ombudsman and its decision from Slack's side: `/complaint show` of a resolved
complaint offers *Referred to the ombudsman*, the button and `/complaint referred` record it, a
referred one offers *Ombudsman decision* (button and `/complaint ombudsman-decision`), bad dates and
amounts stay in the modal under their field, each change is an event on the timeline; an open
complaint, scheme `none` and an outsider are refused with nothing written.

Dates: the complaint is logged and resolved at T0 (Mon 23 Nov 2026), its final response sent that
day; the clock moves to Thu 4 Feb 2027 for the referral and Mon 5 Jul 2027 for the decision.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.core import ids
from storage.models import Complaint, Event
from tests.conftest import serve_live
from tests.e2e import command_answer, validate_view
from tests.factories import log, resolve, triage

REF = "CMP-2026-0001"
R = ids.ReferralField
D = ids.OmbudsmanDecisionField


def resolved(ctx) -> None:
    ref = log(ctx).reference
    assert ref == REF
    triage(ctx, ref)
    resolve(ctx, ref)


def at(ctx, day: date) -> None:
    ctx.clock.set(datetime(day.year, day.month, day.day, 12, tzinfo=UTC))


def complaint(ctx) -> Complaint:
    with ctx.session_factory() as s:
        return s.execute(select(Complaint)).scalar_one()


def ombudsman_events(ctx) -> list[Event]:
    with ctx.session_factory() as s:
        kinds = ("referred", "ombudsman_decided")
        return list(s.execute(select(Event).where(Event.kind.in_(kinds)).order_by(Event.id)).scalars())


def opened(slack, double, act) -> dict:
    """The view the bot opens after `act()` (a command or a click)."""
    before = len(double.calls_to("views.open"))
    assert act().status == 200
    view = double.wait_for("views.open", before + 1)[-1].response["view"]
    validate_view(view)
    return view


def test_the_button_records_the_referral_then_the_decision_each_on_the_timeline(live, slack_double):
    bot, slack, ctx = live
    resolved(ctx)
    at(ctx, date(2027, 2, 4))
    shown = command_answer(slack, slack_double, f"show {REF}", user="UHANDLER1")
    assert ids.ACTION_OMBUDSMAN_DECISION not in str(shown["blocks"])  # not referred yet

    view = opened(slack, slack_double, lambda: slack.click(shown["blocks"], ids.ACTION_REFERRAL, user="UHANDLER1"))
    assert view["callback_id"] == ids.VIEW_REFERRAL
    picker = next(b for b in view["blocks"] if b.get("block_id") == R.REFERRED_ON)
    assert picker["element"]["initial_date"] == "2027-02-04"

    # Before the final response, or in the future: under the date, nothing stored.
    for bad, says in (("2026-11-22", "cannot be before it"), ("2027-02-05", "cannot be in the future")):
        errors = slack.submit(view, {R.REFERRED_ON: bad, R.REFERENCE: "LEO-1"}, user="UHANDLER1").json()["errors"]
        assert set(errors) == {R.REFERRED_ON} and says in errors[R.REFERRED_ON]
    assert complaint(ctx).referred_on is None and ombudsman_events(ctx) == []

    assert slack.submit(view, {R.REFERRED_ON: "2027-02-01", R.REFERENCE: "LEO-1"}, user="UHANDLER1").body == ""
    bot.wait_idle()
    c = complaint(ctx)
    assert (c.referred_on, c.ombudsman_reference) == (date(2027, 2, 1), "LEO-1")

    # The decision, from the button show now offers.
    at(ctx, date(2027, 7, 5))
    shown = command_answer(slack, slack_double, f"show {REF}", user="ULEAD")
    assert "*Referred to the ombudsman* on 1 Feb 2027 (the ombudsman's reference LEO-1)" in str(shown["blocks"])
    view = opened(
        slack, slack_double, lambda: slack.click(shown["blocks"], ids.ACTION_OMBUDSMAN_DECISION, user="ULEAD")
    )
    assert view["callback_id"] == ids.VIEW_OMBUDSMAN_DECISION
    assert "Award (GBP)" in str(view["blocks"])
    good = {D.DECISION: "upheld", D.DECIDED_ON: "2027-07-05", D.AWARD: "£1,250.50"}
    for field, bad, says in (
        (D.AWARD, "12.345", "at most 2 decimals"),
        (D.AWARD, "-3", "cannot be negative"),
        (D.DECIDED_ON, "2027-01-31", "referred on 1 Feb 2027: the decision cannot be before it"),
        (D.DECIDED_ON, "2027-07-06", "cannot be in the future"),
    ):
        errors = slack.submit(view, {**good, field: bad}, user="ULEAD").json()["errors"]
        assert set(errors) == {field} and says in errors[field]
    assert complaint(ctx).ombudsman_decision is None

    assert slack.submit(view, good, user="ULEAD").body == ""
    bot.wait_idle()
    c = complaint(ctx)
    assert (c.ombudsman_decision, c.ombudsman_decided_on, c.ombudsman_award, c.redress_currency) == (
        "upheld",
        date(2027, 7, 5),
        125050,
        "GBP",
    )
    assert [(e.kind, e.actor) for e in ombudsman_events(ctx)] == [
        ("referred", "UHANDLER1"),
        ("ombudsman_decided", "ULEAD"),
    ]
    shown = str(command_answer(slack, slack_double, f"show {REF}", user="UHANDLER1")["blocks"])
    assert "*Ombudsman's decision:* upheld on 5 Jul 2027, award GBP 1,250.50." in shown
    assert "referral to the ombudsman recorded by <@UHANDLER1>: referred on 2027-02-01" in shown
    assert "ombudsman's decision recorded by <@ULEAD>: upheld on 2027-07-05, award GBP 1,250.50" in shown


def test_the_commands_record_the_referral_and_open_the_decision(live, slack_double):
    bot, slack, ctx = live
    resolved(ctx)
    at(ctx, date(2027, 2, 4))
    bad = command_answer(slack, slack_double, f"referred {REF} 4/2/2027", user="UHANDLER1")
    assert "is not a date; write it as YYYY-MM-DD" in bad["text"]
    early = command_answer(slack, slack_double, f"referred {REF} 2026-11-01", user="UHANDLER1")
    assert "The final response went on 23 Nov 2026: the referral cannot be before it." in early["text"]
    assert complaint(ctx).referred_on is None

    answer = command_answer(slack, slack_double, f"referred {REF}", user="UHANDLER1")
    assert "referral to the ombudsman is recorded: referred on 4 Feb 2027" in answer["text"]
    answer = command_answer(slack, slack_double, f"referred {REF} 2027-02-02", user="UHANDLER1")
    assert "is changed: referred on 2 Feb 2027" in answer["text"]
    assert complaint(ctx).referred_on == date(2027, 2, 2)
    [first, second] = ombudsman_events(ctx)
    assert second.data["previous"] == {"referred_on": "2027-02-04", "ombudsman_reference": None}
    timeline = str(command_answer(slack, slack_double, f"show {REF}", user="ULEAD")["blocks"])
    assert "referral to the ombudsman changed by <@UHANDLER1>: referred on 2027-02-02 (was 2027-02-04)" in timeline

    view = opened(slack, slack_double, lambda: slack.command(f"ombudsman-decision {REF}", user="ULEAD"))
    assert view["callback_id"] == ids.VIEW_OMBUDSMAN_DECISION
    values = {D.DECISION: "not_upheld", D.DECIDED_ON: "2027-02-04", D.AWARD: None}
    assert slack.submit(view, values, user="ULEAD").body == ""
    bot.wait_idle()
    c = complaint(ctx)
    assert (c.ombudsman_decision, c.ombudsman_award, c.redress_currency) == ("not_upheld", None, None)
    help_text = str(command_answer(slack, slack_double, "help")["blocks"])
    assert "/complaint referred CMP-2026-0001" in help_text and "/complaint ombudsman-decision" in help_text


def test_an_open_complaint_and_an_outsider_are_refused_with_nothing_written(live, slack_double):
    bot, slack, ctx = live
    ref = log(ctx).reference
    triage(ctx, ref)
    view = opened(slack, slack_double, lambda: slack.command(f"ombudsman-decision {ref}", user="UHANDLER1"))
    assert view.get("callback_id") != ids.VIEW_OMBUDSMAN_DECISION and "record the referral first" in str(view["blocks"])
    answer = command_answer(slack, slack_double, f"referred {ref}", user="UHANDLER1")
    assert f"{ref} is still open; resolve it (`/complaint resolve {ref}`)" in answer["text"]
    shown = command_answer(slack, slack_double, f"show {ref}", user="UHANDLER1")
    assert ids.ACTION_REFERRAL not in str(shown["blocks"])

    resolve(ctx, ref)
    at(ctx, date(2027, 2, 4))
    # The reporter sees the complaint but may not act on it: no button, and the command refuses.
    shown = command_answer(slack, slack_double, f"show {ref}", user="UREPORTER")
    assert ids.ACTION_REFERRAL not in str(shown["blocks"])
    for outsider in ("UREPORTER", "USTRANGER"):
        answer = command_answer(slack, slack_double, f"referred {ref}", user=outsider)
        assert "can't share that" in answer["text"]
    # A forged click (the button copied from the handler's view) opens only the refusal.
    handler_view = command_answer(slack, slack_double, f"show {ref}", user="UHANDLER1")
    view = opened(
        slack, slack_double, lambda: slack.click(handler_view["blocks"], ids.ACTION_REFERRAL, user="USTRANGER")
    )
    assert view.get("callback_id") != ids.VIEW_REFERRAL and "can't share that" in str(view["blocks"])
    # A submission of the handler's modal by an outsider is refused in the modal.
    modal = opened(
        slack, slack_double, lambda: slack.click(handler_view["blocks"], ids.ACTION_REFERRAL, user="UHANDLER1")
    )
    errors = slack.submit(modal, {R.REFERRED_ON: "2027-02-04", R.REFERENCE: None}, user="USTRANGER").json()["errors"]
    assert "can't share that" in errors[R.REFERRED_ON]
    bot.wait_idle()
    c = complaint(ctx)
    assert (c.referred_on, c.ombudsman_reference) == (None, None) and ombudsman_events(ctx) == []


def test_under_scheme_none_there_is_no_button_and_the_commands_say_why(
    db_url, engine, session_factory, clock, slack_double
):
    with serve_live(db_url, engine, session_factory, clock, slack_double, complaints_scheme="none") as (
        bot,
        slack,
        ctx,
    ):
        resolved(ctx)
        shown = command_answer(slack, slack_double, f"show {REF}", user="UHANDLER1")
        assert ids.ACTION_REFERRAL not in str(shown["blocks"])
        answer = command_answer(slack, slack_double, f"referred {REF}", user="UHANDLER1")
        assert "has no ombudsman, so there is no referral or ombudsman decision to record" in answer["text"]
        view = opened(slack, slack_double, lambda: slack.command(f"ombudsman-decision {REF}", user="UHANDLER1"))
        assert view.get("callback_id") != ids.VIEW_OMBUDSMAN_DECISION and "has no ombudsman" in str(view["blocks"])
        assert complaint(ctx).referred_on is None and ombudsman_events(ctx) == []
