"""The holding response from Slack's side, under each complaints scheme: the final-response warning
carries the button, the modal opens, a bad date is refused in the modal, the letter comes back to
copy (and by DM), a repeated submission records nothing more, and under payment services the
deadline and its breach move to the date the holding reply gave.

Dates, worked by hand: the intake values' complaint is received Fri 20 Nov 2026, logged at T0 (Mon
23 Nov 2026 09:30 UTC). 8 weeks: Fri 15 Jan 2027; its 14-day warning would fall on Fri 1 Jan 2027,
New Year's Day in England & Wales, so it goes on Thu 31 Dec at 09:00 (with no public calendar, on
1 Jan itself). 15 business days: Fri 11 Dec 2026; its 14-day warning is Fri 27 Nov at 09:00.
35 business days: Mon 14 Dec (16) … Thu 24 (24), [25, 28 Dec], Tue 29 (25) … Thu 31 (27), [1 Jan],
Mon 4 (28) … Fri 8 (32), Mon 11 (33), Tue 12 (34), Wed 13 Jan 2027 (35).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.core import ids
from bot.reminders.sweep import sweep
from storage.models import Complaint, Event
from tests.conftest import serve_live
from tests.e2e import command_answer, find_element, log_one, validate_message, validate_view
from tests.fakes import triage_values

# scheme: (when the first final-response warning is due, the deadline before, what the letter says)
SCHEMES = {
    "legal-ombudsman": (
        datetime(2026, 12, 31, 9, 0, tzinfo=UTC),
        "15 Jan 2027",
        "once 8 weeks have passed since we received your complaint (on 15 Jan 2027), you may ask the Legal "
        "Ombudsman to consider it",
    ),
    "financial-ombudsman": (
        datetime(2026, 12, 31, 9, 0, tzinfo=UTC),
        "15 Jan 2027",
        "you may now refer your complaint to the Financial Ombudsman Service, free of charge",
    ),
    "financial-ombudsman-payments": (
        datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
        "11 Dec 2026",
        "You will receive our final response by 13 Jan 2027 at the latest, which is within 35 business days",
    ),
    "none": (
        datetime(2027, 1, 1, 9, 0, tzinfo=UTC),
        "15 Jan 2027",
        "If you are not satisfied with our final response when you receive it, please tell us",
    ),
}
REASON = "The bank has not yet sent us its records of the disputed payment."


@pytest.fixture(params=sorted(SCHEMES))
def scheme_live(request, db_url, engine, session_factory, clock, slack_double):
    with serve_live(db_url, engine, session_factory, clock, slack_double, complaints_scheme=request.param) as served:
        yield request.param, served


def complaint(ctx) -> Complaint:
    with ctx.session_factory() as s:
        return s.execute(select(Complaint)).scalar_one()


def holding_events(ctx) -> list[Event]:
    with ctx.session_factory() as s:
        return list(s.execute(select(Event).where(Event.kind == "holding_response")).scalars())


def log_and_triage(bot, slack, double) -> None:
    _, posts = log_one(slack, double)
    alert = next(p for p in posts if p.params["channel"] == "CTRIAGE01")
    slack.click(alert.params["blocks"], ids.ACTION_TRIAGE, user="ULEAD", ts=alert.response["ts"])
    view = double.wait_for("views.open", 2)[-1].response["view"]
    assert slack.submit(view, triage_values(), user="ULEAD").body == ""
    bot.wait_idle()


def posts_to(double, channel: str, starting: str) -> list:
    return [
        c
        for c in double.calls_to("chat.postMessage")
        if c.ok and c.params["channel"] == channel and str(c.params.get("text", "")).startswith(starting)
    ]


def test_the_warning_offers_the_holding_response_and_the_letter_follows_the_scheme(scheme_live, slack_double):
    scheme, (bot, slack, ctx) = scheme_live
    warn_at, due_before, says = SCHEMES[scheme]
    log_and_triage(bot, slack, slack_double)

    ctx.clock.set(warn_at)
    assert "final-warning" in [d.kind for d in sweep(ctx).sent]
    [warning] = posts_to(slack_double, "UHANDLER1", ":calendar: The final response")
    validate_message(warning.params["blocks"])
    assert f"due by {due_before}" in warning.params["text"]
    assert find_element(warning.params["blocks"], ids.ACTION_HOLDING_RESPONSE)["value"] == "CMP-2026-0001"

    opened = len(slack_double.calls_to("views.open"))
    r = slack.click(warning.params["blocks"], ids.ACTION_HOLDING_RESPONSE, user="UHANDLER1", channel="DUHANDLER1")
    assert r.status == 200
    view = slack_double.wait_for("views.open", opened + 1)[-1].response["view"]
    assert view["callback_id"] == ids.VIEW_HOLDING_RESPONSE
    validate_view(view)
    expected = next(b for b in view["blocks"] if b.get("block_id") == ids.HoldingField.EXPECTED_ON)
    sent_on = next(b for b in view["blocks"] if b.get("block_id") == ids.HoldingField.SENT_ON)
    assert sent_on["element"]["initial_date"] == ctx.today().isoformat()
    values = {
        ids.HoldingField.REASON: REASON,
        ids.HoldingField.EXPECTED_ON: "2027-01-13",
        ids.HoldingField.SENT_ON: ctx.today().isoformat(),
        ids.HoldingField.VIA: "letter",
    }

    # Bad input stays in the modal, and nothing is recorded.
    errors = slack.submit(view, {**values, ids.HoldingField.REASON: ""}, user="UHANDLER1").json()["errors"]
    assert set(errors) == {ids.HoldingField.REASON}
    if scheme == "financial-ombudsman-payments":
        assert "No later than 13 Jan 2027" in expected["hint"]["text"] and "DISP 1.6.2AR" in expected["hint"]["text"]
        # One business day after the 35th: Thu 14 Jan 2027.
        errors = slack.submit(view, {**values, ids.HoldingField.EXPECTED_ON: "2027-01-14"}, user="UHANDLER1").json()
        message = errors["errors"][ids.HoldingField.EXPECTED_ON]
        assert "13 Jan 2027" in message and "DISP 1.6.2AR" in message
    else:
        values[ids.HoldingField.EXPECTED_ON] = "2027-02-26"
    assert holding_events(ctx) == []

    answer = slack.submit(view, values, user="UHANDLER1").json()
    assert answer["response_action"] == "update"
    validate_view(answer["view"])
    shown = str(answer["view"]["blocks"])
    assert "I have not sent anything to the client" in shown
    assert f"Why we need more time: {REASON}" in shown and "Dear Jane Client," in shown
    assert says in shown
    if scheme in ("legal-ombudsman", "financial-ombudsman"):
        assert "www.legalombudsman.org.uk" in shown or "www.financial-ombudsman.org.uk" in shown
    if scheme == "none":
        assert "mbudsman" not in shown.split("I have not sent")[1]

    # The same view submitted again: the same letter, nothing recorded twice.
    again = slack.submit(view, values, user="UHANDLER1").json()
    assert again == answer
    bot.wait_idle()
    [event] = holding_events(ctx)
    assert event.actor == "UHANDLER1" and event.data["reason"] == REASON and event.data["via"] == "letter"
    # The text to copy is the letter recorded, whole.
    assert letter_of(answer["view"]["blocks"]) == event.data["letter"]
    assert event.data["template"] == "holding-response.txt" and len(event.data["version"]) == 12
    [dm] = posts_to(slack_double, "UHANDLER1", "Holding response on CMP-2026-0001 recorded.")
    validate_message(dm.params["blocks"])
    assert says in str(dm.params["blocks"])

    c = complaint(ctx)
    assert c.holding_response_sent_on == ctx.today()
    if scheme == "financial-ombudsman-payments":
        assert c.final_response_due_on.isoformat() == "2027-01-13"
        assert "moves from 11 Dec 2026 to *13 Jan 2027 (set by the holding reply" in shown
    else:
        assert c.final_response_due_on.isoformat() == "2027-01-15"
        assert "stays *15 Jan 2027" in shown


def letter_of(blocks: list[dict]) -> str:
    """The letter as Slack shows it in its code blocks, unescaped."""
    text = "".join(b["text"]["text"][3:-3] for b in blocks if b.get("text", {}).get("text", "").startswith("```"))
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def final_breaches(report) -> list[str]:
    return [d.dedupe_key for d in report.sent if d.kind == "final-breach"]


def test_under_payments_the_breach_fires_at_the_new_date_not_the_old(
    db_url, engine, session_factory, clock, slack_double
):
    with serve_live(
        db_url, engine, session_factory, clock, slack_double, complaints_scheme="financial-ombudsman-payments"
    ) as (bot, slack, ctx):
        log_and_triage(bot, slack, slack_double)
        opened = len(slack_double.calls_to("views.open"))
        assert slack.command("holding CMP-2026-0001", user="UHANDLER1").status == 200
        view = slack_double.wait_for("views.open", opened + 1)[-1].response["view"]
        assert view["callback_id"] == ids.VIEW_HOLDING_RESPONSE
        values = {
            ids.HoldingField.REASON: REASON,
            ids.HoldingField.EXPECTED_ON: "2027-01-13",
            ids.HoldingField.SENT_ON: ctx.today().isoformat(),
            ids.HoldingField.VIA: "email",
        }
        assert slack.submit(view, values, user="UHANDLER1").json()["response_action"] == "update"
        bot.wait_idle()
        sweep(ctx)

        # The old breach: the day after Fri 11 Dec 2026, Sat 12 Dec at 09:00 (London = UTC in winter).
        ctx.clock.set(datetime(2026, 12, 12, 9, 30, tzinfo=UTC))
        assert final_breaches(sweep(ctx)) == []
        # The new one: the day after Wed 13 Jan 2027, Thu 14 Jan at 09:00.
        ctx.clock.set(datetime(2027, 1, 14, 8, 59, tzinfo=UTC))
        assert final_breaches(sweep(ctx)) == []
        ctx.clock.set(datetime(2027, 1, 14, 9, 0, tzinfo=UTC))
        assert final_breaches(sweep(ctx)) == ["final-breach:CMP-2026-0001"]
        [breach] = posts_to(slack_double, "CTRIAGE01", ":red_circle:")
        validate_message(breach.params["blocks"])
        assert "passed on 13 Jan 2027" in breach.params["text"]
        assert (
            "final response due 13 Jan 2027 (set by the holding reply: at most 35 business days, DISP 1.6.2AR, "
            "England & Wales bank holidays)" in str(breach.params["blocks"])
        )
        with ctx.session_factory() as s:
            assert s.scalar(select(func.count()).select_from(Event).where(Event.kind == "holding_response")) == 1


def test_show_offers_the_button_to_whoever_may_act_and_the_command_checks_access(live, slack_double):
    bot, slack, ctx = live
    log_and_triage(bot, slack, slack_double)
    handler_view = command_answer(slack, slack_double, "show CMP-2026-0001", user="UHANDLER1")
    assert find_element(handler_view["blocks"], ids.ACTION_HOLDING_RESPONSE)["value"] == "CMP-2026-0001"
    reporter_view = command_answer(slack, slack_double, "show CMP-2026-0001", user="UREPORTER")
    assert ids.ACTION_HOLDING_RESPONSE not in str(reporter_view["blocks"])

    # The reporter may see the complaint but not act on it: the command answers with the refusal.
    opened = len(slack_double.calls_to("views.open"))
    assert slack.command("holding CMP-2026-0001", user="UREPORTER").status == 200
    refused = slack_double.wait_for("views.open", opened + 1)[-1].response["view"]
    assert refused.get("callback_id") != ids.VIEW_HOLDING_RESPONSE and "can't share that" in str(refused["blocks"])
    help_text = command_answer(slack, slack_double, "help", user="ULEAD")
    assert "/complaint holding CMP-2026-0001" in str(help_text["blocks"])
