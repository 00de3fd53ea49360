"""A matter's costs from Slack's side: the costs estimate's amount through the disclosure modal,
`/matter costs` against it, the **Costs to date** and **Log disclosure** buttons (the disclosure
modal prefilled), an outsider refused on each, and every view and message valid Block Kit."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.core import ids
from bot.core.blockkit import button
from storage.models import AccessRefusal, Disclosure, Event, Matter
from tests.e2e import (
    LAWYER,
    OUTSIDER,
    PARTNER,
    log_disclosure_by_modal,
    open_matter,
    opened_view,
    validate_message,
    validate_view,
)
from tests.e2e import click_open as click
from tests.e2e import matter_answer as answer
from tests.factories import disclosure_values


def log_estimate(bot, slack, double, **overrides) -> str:
    """A costs estimate with its amount, through /disclosure new; the confirmation's blocks."""
    return str(log_disclosure_by_modal(bot, slack, double, disclosure_values(**overrides)))


def costs_buttons(matter_ref: str) -> list[dict]:
    """The buttons the sweep's costs nudge carries (that nudge is built elsewhere)."""
    return [
        {
            "type": "actions",
            "elements": [
                button("Costs to date", ids.ACTION_MATTER_COSTS, matter_ref),
                button("Log revised estimate", ids.ACTION_MATTER_LOG_DISCLOSURE, f"{matter_ref}|costs_revised"),
            ],
        }
    ]


def test_the_estimate_then_the_costs_to_date_then_log_the_revised_estimate(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    confirmation = log_estimate(bot, slack, slack_double, amount="10,000")
    assert "GBP 10,000.00" in confirmation
    with ctx.session_factory() as s:
        m = s.execute(select(Matter)).scalar_one()
        d = s.execute(select(Disclosure)).scalar_one()
    assert (m.costs_estimate, m.estimate_ref, d.amount) == (1_000_000, d.reference, 1_000_000)

    before = len(slack_double.calls_to("response_url"))
    assert slack.command("costs M-1001 9000", command="/matter", user=LAWYER).status == 200
    blocks = slack_double.wait_for("response_url", before + 1)[-1].params["blocks"]
    validate_message(blocks)
    assert "GBP 9,000.00" in str(blocks) and "90%" in str(blocks) and "revised estimate" in str(blocks)
    with ctx.session_factory() as s:
        assert s.execute(select(Matter.costs_to_date)).scalar_one() == 900_000

    # The Log disclosure button (value "M-1001|costs_revised", as the nudges carry it): the modal prefilled.
    view = click(slack, slack_double, blocks, ids.ACTION_MATTER_LOG_DISCLOSURE, LAWYER)
    assert view["callback_id"] == ids.VIEW_NEW_DISCLOSURE
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["matter_ref"]["initial_value"] == "M-1001"
    assert inputs["client_name"]["initial_value"] == "Jane Client"
    assert inputs["kind"]["initial_option"]["value"] == "costs_revised"

    # Submitted with what was prefilled (Slack sends the initial values back) and the new amount,
    # it becomes the estimate in force.
    prefilled = {
        "matter_ref": inputs["matter_ref"]["initial_value"],
        "client_name": inputs["client_name"]["initial_value"],
        "kind": inputs["kind"]["initial_option"]["value"],
        "disclosed_on": inputs["disclosed_on"]["initial_date"],
        "disclosed_via": inputs["disclosed_via"]["initial_option"]["value"],
        "ack_status": inputs["ack_status"]["initial_option"]["value"],
    }
    r = slack.submit(view, prefilled | {"content": "Revised: £15,000 plus VAT.", "amount": "15000"}, user=LAWYER)
    assert r.status == 200 and r.body == "", r.body
    bot.wait_idle()
    with ctx.session_factory() as s:
        m = s.execute(select(Matter)).scalar_one()
        revised = s.execute(select(Disclosure).where(Disclosure.kind == "costs_revised")).scalar_one()
    assert (m.costs_estimate, m.estimate_ref) == (1_500_000, revised.reference)
    assert revised.client_name == "Jane Client" and revised.matter_ref == "M-1001"


def test_an_amount_on_another_kind_stays_in_the_modal(live, slack_double):
    bot, slack, ctx = live
    before = len(slack_double.calls_to("views.open"))
    assert slack.command("new", command="/disclosure", user=LAWYER).status == 200
    view = opened_view(slack_double, before)
    r = slack.submit(view, disclosure_values(kind="timeline", amount="5000"), user=LAWYER)
    assert "Only a costs estimate or a revised estimate has an amount" in r.json()["errors"]["amount"]
    with ctx.session_factory() as s:
        assert s.execute(select(Disclosure)).first() is None


def test_the_costs_button_opens_its_modal_prefilled_and_records_the_figure(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    log_estimate(bot, slack, slack_double, amount="10000")
    answer(slack, slack_double, "costs M-1001 5000")

    view = click(slack, slack_double, costs_buttons("M-1001"), ids.ACTION_MATTER_COSTS, PARTNER)
    assert view["callback_id"] == ids.VIEW_MATTER_COSTS
    [field] = [b for b in view["blocks"] if b["type"] == "input"]
    assert field["element"]["initial_value"] == "5000.00"

    bad = slack.submit(view, {"costs_to_date": "-10"}, user=PARTNER)
    assert "cannot be negative" in bad.json()["errors"]["costs_to_date"]
    r = slack.submit(view, {"costs_to_date": "10,500"}, user=PARTNER)
    shown = r.json()
    assert shown["response_action"] == "update"
    validate_view(shown["view"])
    assert "105%" in str(shown["view"]["blocks"]) and "reached 100%" in str(shown["view"]["blocks"])
    # The partner did not log the estimate: its disclosure is not theirs to see, nor its reference.
    assert "DSC-" not in str(view) and "DSC-" not in str(shown["view"])
    with ctx.session_factory() as s:
        m = s.execute(select(Matter)).scalar_one()
        costs = s.execute(select(Event).where(Event.kind == "matter_costs").order_by(Event.id)).scalars().all()
    assert m.costs_to_date == 1_050_000
    assert [(e.actor, e.data) for e in costs] == [
        (LAWYER, {"costs_to_date": 500_000, "previous": None, "currency": "GBP"}),
        (PARTNER, {"costs_to_date": 1_050_000, "previous": 500_000, "currency": "GBP"}),
    ]


def test_bad_costs_are_told_in_a_sentence(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    assert "Say which matter: `/matter costs M-1001`" in answer(slack, slack_double, "costs")
    assert "Say the costs to date in GBP" in answer(slack, slack_double, "costs M-1001")
    assert "cannot be negative" in answer(slack, slack_double, "costs M-1001 -5")
    assert "as a number" in answer(slack, slack_double, "costs M-1001 lots")
    # No estimate yet: the figure is recorded, and the reply says there is nothing to hold it to.
    assert "No costs estimate" in answer(slack, slack_double, "costs M-1001 12,500.50")
    answer(slack, slack_double, "close M-1001")
    assert "M-1001 is closed" in answer(slack, slack_double, "costs M-1001 13000")
    with ctx.session_factory() as s:
        assert s.execute(select(Matter.costs_to_date)).scalar_one() == 1_250_050
    assert "/matter costs M-1001 12500" in answer(slack, slack_double, "help")


def test_a_bad_log_disclosure_value_is_told_in_a_notice(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    forged = [{"type": "actions", "elements": [button("Log", ids.ACTION_MATTER_LOG_DISCLOSURE, "M-1001|bribe")]}]
    view = click(slack, slack_double, forged, ids.ACTION_MATTER_LOG_DISCLOSURE, LAWYER)
    assert "is not a kind of disclosure" in str(view["blocks"]) and "submit" not in view
    unknown = costs_buttons("M-9999")
    view = click(slack, slack_double, unknown, ids.ACTION_MATTER_LOG_DISCLOSURE, "ULEAD")
    assert "There is no matter M-9999" in str(view["blocks"])


def test_an_outsider_is_refused_on_the_command_and_the_buttons(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    log_estimate(bot, slack, slack_double, amount="10000")
    with ctx.session_factory() as s:
        events_before = s.execute(select(func.count()).select_from(Event)).scalar_one()
    assert "can't share that" in answer(slack, slack_double, "costs M-1001 9000", user=OUTSIDER)
    for action_id in (ids.ACTION_MATTER_COSTS, ids.ACTION_MATTER_LOG_DISCLOSURE):
        view = click(slack, slack_double, costs_buttons("M-1001"), action_id, OUTSIDER)
        assert "can't share that" in str(view["blocks"]) and "Jane Client" not in str(view)
    with ctx.session_factory() as s:
        assert s.execute(select(Matter.costs_to_date)).scalar_one() is None
        assert s.execute(select(func.count()).select_from(Event)).scalar_one() == events_before
        logged = s.execute(select(AccessRefusal.action, AccessRefusal.target).order_by(AccessRefusal.id)).all()
    assert logged == [
        ("matter costs", "M-1001"),
        ("matter costs", "M-1001"),
        ("matter log disclosure", "M-1001"),
    ]
