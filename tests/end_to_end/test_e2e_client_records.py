"""The client's details and the redress from Slack's side: the triage modal asks for the product,
vulnerable circumstances and adjustments; the Client details modal changes them later (the team and
the handler; anyone else gets the refusal); the resolve modal takes redress in the firm's currency,
with field errors for bad amounts; `/complaint show` shows it all. Each change is one event."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot import access
from bot.core import ids
from bot.core.money import Currency
from storage.models import Complaint, Event
from tests.conftest import serve_live
from tests.e2e import command_answer, find_element, log_one, validate_view
from tests.fakes import triage_values

D = ids.DetailsField
R = ids.ResolveField


def stored(ctx) -> Complaint:
    with ctx.session_factory() as s:
        return s.execute(select(Complaint)).scalar_one()


def events(ctx, kind: str) -> list[Event]:
    with ctx.session_factory() as s:
        return list(s.execute(select(Event).where(Event.kind == kind).order_by(Event.id)).scalars())


def opened(slack, double, text: str, user: str) -> dict:
    before = len(double.calls_to("views.open"))
    assert slack.command(text, user=user).status == 200
    view = double.wait_for("views.open", before + 1)[-1].response["view"]
    validate_view(view)
    return view


def triage_with_details(bot, slack, double, **details) -> dict:
    _, posts = log_one(slack, double)
    alert = next(p for p in posts if p.params["channel"] == "CTRIAGE01")
    before = len(double.calls_to("views.open"))
    slack.click(alert.params["blocks"], ids.ACTION_TRIAGE, user="ULEAD", ts=alert.response["ts"])
    view = double.wait_for("views.open", before + 1)[-1].response["view"]
    validate_view(view)
    assert slack.submit(view, triage_values(**details), user="ULEAD").body == ""
    bot.wait_idle()
    return view


def resolve_values(**overrides):
    values = {
        R.OUTCOME: "partly_upheld",
        R.REMEDY: "Apology.",
        R.SENT_ON: None,
        R.OMBUDSMAN: "available,contact,six_months",
        R.ROOT_CAUSE: "costs_information",
        R.REDRESS_OFFERED: None,
        R.REDRESS_PAID: None,
        R.REDRESS_PAID_ON: None,
    }
    values.update(overrides)
    return values


def test_details_at_triage_and_later_redress_at_resolution_and_show(live, slack_double):
    bot, slack, ctx = live
    view = triage_with_details(
        bot, slack, slack_double, **{D.PRODUCT: "wills_and_probate", D.VULNERABLE: "yes", D.ADJUSTMENTS: None}
    )
    product = next(b for b in view["blocks"] if b.get("block_id") == D.PRODUCT)
    assert [o["value"] for o in product["element"]["options"]][:2] == ["conveyancing", "family"]
    c = stored(ctx)
    assert (c.product, c.vulnerable, c.adjustments) == ("wills_and_probate", True, None)
    [changed] = events(ctx, "details_changed")
    assert changed.data["changed"] == ["product", "vulnerable"] and changed.actor == "ULEAD"

    # Later, by the handler: the modal holds what is recorded; only a change is an event.
    details = opened(slack, slack_double, "details CMP-2026-0001", "UHANDLER1")
    assert details["callback_id"] == ids.VIEW_CLIENT_DETAILS
    values = {D.PRODUCT: "wills_and_probate", D.VULNERABLE: "yes", D.ADJUSTMENTS: "Large print letters."}
    assert slack.submit(details, values, user="UHANDLER1").body == ""
    assert slack.submit(details, values, user="UHANDLER1").body == ""
    later = events(ctx, "details_changed")
    assert len(later) == 2 and later[1].data["changed"] == ["adjustments"]
    assert later[1].data["after"]["adjustments"] == "Large print letters."
    assert stored(ctx).adjustments == "Large print letters."

    # An outsider gets the usual refusal, and nothing opens.
    refused = opened(slack, slack_double, "details CMP-2026-0001", "UOUTSIDER")
    assert not refused.get("callback_id") and access.REFUSAL in str(refused["blocks"])

    # Resolution: amounts are checked under their fields; nothing is stored until they are right.
    resolve = opened(slack, slack_double, "resolve CMP-2026-0001", "UHANDLER1")
    root = next(b for b in resolve["blocks"] if b.get("block_id") == R.ROOT_CAUSE)
    assert root["element"]["options"][0]["value"] == "communication"
    today = ctx.today().isoformat()
    base = resolve_values(**{R.SENT_ON: today})
    for field, typed, says in (
        (R.REDRESS_OFFERED, "-10", "cannot be negative"),
        (R.REDRESS_OFFERED, "ten pounds", "as a number"),
        (R.REDRESS_PAID, "12.345", "at most 2 decimals"),
    ):
        extra = {R.REDRESS_PAID_ON: today} if field == R.REDRESS_PAID else {}
        answer = slack.submit(resolve, {**base, field: typed, **extra}, user="UHANDLER1").json()
        assert answer["response_action"] == "errors" and says in answer["errors"][field], answer
    answer = slack.submit(resolve, {**base, R.REDRESS_PAID: "100"}, user="UHANDLER1").json()
    assert set(answer["errors"]) == {R.REDRESS_PAID_ON}
    assert events(ctx, "resolved") == []
    good = {**base, R.REDRESS_OFFERED: "£1,250.50", R.REDRESS_PAID: "1250.5", R.REDRESS_PAID_ON: today}
    assert slack.submit(resolve, good, user="UHANDLER1").json()["response_action"] == "update"
    bot.wait_idle()
    c = stored(ctx)
    assert (c.redress_currency, c.redress_offered, c.redress_paid, c.redress_paid_on) == (
        "GBP",
        125050,
        125050,
        ctx.today(),
    )
    assert c.root_cause == "costs_information"
    [resolved] = events(ctx, "resolved")
    assert resolved.data["redress_offered"] == 125050 and resolved.data["redress_paid_on"] == today

    shown = command_answer(slack, slack_double, "show CMP-2026-0001", user="UHANDLER1")
    text = str(shown["blocks"])
    assert "Wills and probate" in text and "Large print letters." in text
    assert "GBP 1,250.50" in text and "Costs information" in text
    assert find_element(shown["blocks"], ids.ACTION_CLIENT_DETAILS)["value"] == "CMP-2026-0001"
    # Reopened, the redress stays: money paid stays paid.
    command_answer(slack, slack_double, "reopen CMP-2026-0001", user="UHANDLER1")
    assert stored(ctx).redress_paid == 125050


@pytest.fixture
def yen_live(db_url, engine, session_factory, clock, slack_double):
    with serve_live(db_url, engine, session_factory, clock, slack_double, currency=Currency.of("JPY")) as served:
        yield served


def test_a_currency_without_decimals_takes_whole_amounts(yen_live, slack_double):
    bot, slack, ctx = yen_live
    triage_with_details(bot, slack, slack_double)
    resolve = opened(slack, slack_double, "resolve CMP-2026-0001", "UHANDLER1")
    offered = next(b for b in resolve["blocks"] if b.get("block_id") == R.REDRESS_OFFERED)
    assert "JPY" in offered["label"]["text"]
    base = resolve_values(**{R.SENT_ON: ctx.today().isoformat()})
    answer = slack.submit(resolve, {**base, R.REDRESS_OFFERED: "1250.5"}, user="UHANDLER1").json()
    assert "no decimals" in answer["errors"][R.REDRESS_OFFERED]
    assert slack.submit(resolve, {**base, R.REDRESS_OFFERED: "1,250"}, user="UHANDLER1").json()["response_action"]
    bot.wait_idle()
    c = stored(ctx)
    assert (c.redress_currency, c.redress_offered) == ("JPY", 1250)
    assert "JPY 1,250" in str(command_answer(slack, slack_double, "show CMP-2026-0001", user="UHANDLER1")["blocks"])
