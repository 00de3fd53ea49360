"""The client's own limits from Slack's side: the intake modal's two dates, stored and shown, or
refused under their field; the ombudsman referral date resolving sets, per complaints scheme."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.core import ids
from storage.models import Complaint
from tests.conftest import serve_live
from tests.e2e import command_answer, log_one, open_intake, validate_view
from tests.fakes import intake_values

F = ids.IntakeField


def complaints_in(ctx) -> list[Complaint]:
    with ctx.session_factory() as s:
        return list(s.execute(select(Complaint).order_by(Complaint.id)).scalars())


def test_intake_with_both_dates_stores_them_and_show_states_them(live, slack_double):
    bot, slack, ctx = live
    view, posts = log_one(slack, slack_double, problem_on="2026-03-03", aware_on="2026-04-10")
    pickers = [b for b in view["blocks"] if b.get("block_id") in (F.PROBLEM_ON, F.AWARE_ON)]
    assert [(b["element"]["type"], b.get("optional")) for b in pickers] == [("datepicker", True)] * 2
    [c] = complaints_in(ctx)
    assert (c.problem_on, c.aware_on) == (date(2026, 3, 3), date(2026, 4, 10))
    bot.wait_idle()
    shown = str(command_answer(slack, slack_double, "show CMP-2026-0001")["blocks"])
    assert "Problem happened 3 Mar 2026 · client aware 10 Apr 2026" in shown
    assert "problem happened 2026-03-03; client aware 2026-04-10" in shown  # the logged line of the timeline


@pytest.mark.parametrize(
    "dates, errors",
    [
        (
            {"problem_on": "2026-04-10", "aware_on": "2026-03-03"},
            {F.AWARE_ON: "The client cannot have become aware of the problem before it happened."},
        ),
        # Received on 20 Nov 2026 (the intake values' date).
        (
            {"problem_on": "2026-11-21"},
            {F.PROBLEM_ON: "The problem cannot have happened after the complaint was received (20 Nov 2026)."},
        ),
    ],
)
def test_dates_that_contradict_are_shown_under_their_field_and_nothing_is_stored(live, slack_double, dates, errors):
    bot, slack, ctx = live
    view = open_intake(slack, slack_double)
    r = slack.submit(view, intake_values(**dates), user="UREPORTER")
    assert r.status == 200
    assert r.json() == {"response_action": "errors", "errors": errors}
    bot.wait_idle()
    assert complaints_in(ctx) == []
    assert slack_double.calls_to("chat.postMessage") == []


@pytest.fixture(params=["legal-ombudsman", "none"])
def scheme_live(request, db_url, engine, session_factory, clock, slack_double):
    with serve_live(db_url, engine, session_factory, clock, slack_double, complaints_scheme=request.param) as served:
        yield request.param, served


def test_resolving_sets_the_referral_date_where_the_scheme_has_an_ombudsman(scheme_live, slack_double):
    scheme, (bot, slack, ctx) = scheme_live
    log_one(slack, slack_double)
    bot.wait_idle()
    opened = len(slack_double.calls_to("views.open"))
    assert slack.command("resolve CMP-2026-0001", user="ULEAD").status == 200
    view = slack_double.wait_for("views.open", opened + 1)[-1].response["view"]
    assert view["callback_id"] == ids.VIEW_RESOLVE
    validate_view(view)
    values = {
        "outcome": "partly_upheld",
        "remedy": "Fee reduced by £250",
        "final_response_sent_on": "2026-11-23",
        "root_cause": "delay",
    }
    if any(b.get("block_id") == ids.ResolveField.OMBUDSMAN for b in view["blocks"]):
        values["ombudsman"] = "available,contact,six_months"
    # Resolved, the modal becomes the filled final-response letter to copy.
    assert slack.submit(view, values, user="ULEAD").json()["response_action"] == "update"
    bot.wait_idle()
    [c] = complaints_in(ctx)
    shown = str(command_answer(slack, slack_double, "show CMP-2026-0001", user="ULEAD")["blocks"])
    assert c.status == "resolved" and c.final_response_sent_on == date(2026, 11, 23)
    if scheme == "none":
        assert c.ombudsman_referral_by is None
        assert "referral" not in shown
        return
    # Final response sent Mon 23 Nov 2026; the Legal Ombudsman's 6 months: Sun 23 May 2027.
    assert c.ombudsman_referral_by == date(2027, 5, 23)
    assert (
        "Ombudsman referral by 23 May 2027 (6 months from the final response, Legal Ombudsman Scheme Rule 4.5; "
        "rule 4.7 lets the ombudsman extend them)"
    ) in shown
    assert "final response sent 2026-11-23, ombudsman referral by 2027-05-23" in shown
