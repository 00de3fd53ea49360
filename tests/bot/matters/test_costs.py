"""A matter's costs: the estimate's amount read from the disclosure modal, the estimate in force set
by a costs disclosure (and a revised one), the costs to date, and what the client-care policy then
finds due, on both databases."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.core.errors import FieldErrors, UserError
from bot.core.money import Currency
from bot.core.vocabulary import DisclosureKind
from bot.disclosures import messages as disclosure_messages
from bot.matters import costs
from bot.matters import messages as matter_messages
from bot.matters import service as matters
from bot.matters.facts import facts_of
from bot.matters.inputs import DisclosureToLog
from bot.matters.policy import MatterReminderKind
from bot.records import register
from handlers.modals.disclosure import disclosure_modal, parse_disclosure
from handlers.modals.matter_costs import matter_costs_modal
from storage.models import Disclosure, Event, Matter
from tests.e2e import validate_message, validate_view
from tests.factories import disclosure_values, log_disclosure, record_costs, set_up_matter, the_matter

LAWYER = "ULAWYER"
GBP = Currency.of("GBP")


def open_matter(ctx, matter_ref: str = "M-1001") -> None:
    """Opened on 20 Nov 2026 and set up now (the clock's Monday 23 Nov), as /matter new does."""
    set_up_matter(ctx, matter_ref=matter_ref, set_up_at=ctx.clock.now())


def matter_events(ctx, kind: str) -> list[Event]:
    m = the_matter(ctx)
    with ctx.session_factory() as s:
        query = select(Event).where(Event.matter_id == m.id, Event.kind == kind).order_by(Event.id)
        return list(s.execute(query).scalars())


def costs_due(ctx):
    """The costs reminders due now, as the sweep would find them."""
    with ctx.session_factory() as s:
        m = s.execute(select(Matter)).scalar_one()
        facts = facts_of(m, settings=ctx.settings)
    return [r for r in ctx.matter_policy.due(facts, ctx.clock.now()) if r.kind == MatterReminderKind.COSTS_THRESHOLD]


# --- the modal ---------------------------------------------------------------------------------


def test_the_modal_reads_the_estimates_amount_in_minor_units(ctx):
    data = parse_disclosure(disclosure_values(amount="12,500.50"), today=ctx.today(), currency=GBP)
    assert data.amount == 1_250_050
    assert parse_disclosure(disclosure_values(), today=ctx.today()).amount is None
    revised = parse_disclosure(disclosure_values(kind="costs_revised", amount="£9000"), today=ctx.today())
    assert revised.amount == 900_000


def test_an_amount_on_a_disclosure_that_is_not_a_costs_estimate_is_refused(ctx):
    with pytest.raises(FieldErrors) as e:
        parse_disclosure(disclosure_values(kind="risk", amount="5000"), today=ctx.today())
    assert set(e.value.errors) == {"amount"}
    assert "Only a costs estimate or a revised estimate has an amount" in e.value.errors["amount"]
    assert "risk of outcome" in e.value.errors["amount"]


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("-100", "cannot be negative"),
        ("twelve", "as a number"),
        ("12.345", "at most 2 decimals"),
        ("1,2345", "as a number"),
    ],
)
def test_a_bad_amount_is_refused_under_its_field(ctx, typed, said):
    with pytest.raises(FieldErrors) as e:
        parse_disclosure(disclosure_values(amount=typed), today=ctx.today())
    assert set(e.value.errors) == {"amount"} and said in e.value.errors["amount"]


def test_the_modal_prefilled_for_a_matter_is_valid_block_kit():
    view = disclosure_modal(
        today=date(2026, 11, 23),
        matter_ref="M-1001",
        client_name="Jane Client",
        kind=DisclosureKind.COSTS_REVISED,
        currency=GBP,
    )
    validate_view(view)
    by_id = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert by_id["matter_ref"]["element"]["initial_value"] == "M-1001"
    assert by_id["client_name"]["element"]["initial_value"] == "Jane Client"
    assert by_id["kind"]["element"]["initial_option"]["value"] == "costs_revised"
    assert by_id["amount"]["optional"] is True and "GBP" in by_id["amount"]["hint"]["text"]
    # Without a matter, nothing is prefilled (the /disclosure new modal as before).
    plain = {b["block_id"]: b for b in disclosure_modal(today=date(2026, 11, 23))["blocks"] if b["type"] == "input"}
    assert "initial_value" not in plain["matter_ref"]["element"] and "initial_option" not in plain["kind"]["element"]


def test_the_log_disclosure_buttons_value_reads_back_or_is_refused():
    wanted = DisclosureToLog("M-1001", DisclosureKind.COSTS_REVISED)
    assert wanted.value == "M-1001|costs_revised" and DisclosureToLog.parse(wanted.value) == wanted
    with pytest.raises(UserError, match="is not a kind of disclosure"):
        DisclosureToLog.parse("M-1001|nonsense")
    for bad in (None, "", "M-1001", "|risk"):
        with pytest.raises(UserError, match="names no matter"):
            DisclosureToLog.parse(bad)


# --- the estimate in force ---------------------------------------------------------------------


def test_a_costs_estimate_with_an_amount_is_the_matters_estimate(ctx):
    open_matter(ctx)
    d = log_disclosure(ctx, amount="10,000")
    with ctx.session_factory() as s:
        stored = s.execute(select(Disclosure)).scalar_one()
        disclosed = s.execute(select(Event).where(Event.disclosure_id == stored.id)).scalar_one()
    assert stored.amount == 1_000_000 and disclosed.data["amount"] == 1_000_000
    m = the_matter(ctx)
    now = ctx.clock.now()
    assert (m.costs_estimate, m.estimate_ref, m.costs_changed_at, m.next_reminder_at) == (
        1_000_000,
        d.reference,
        now,
        now,
    )
    [estimate] = matter_events(ctx, "matter_estimate")
    assert (estimate.actor, estimate.data) == (
        LAWYER,
        {"amount": 1_000_000, "disclosure": d.reference, "kind": "costs_estimate", "currency": "GBP"},
    )
    # The confirmation and the detail show the amount.
    text, blocks = disclosure_messages.disclosure_confirmation(stored, currency=GBP)
    validate_message(blocks)
    assert "GBP 10,000.00" in str(blocks)
    _, detail = disclosure_messages.disclosure_detail(stored, [disclosed], tz=ctx.tz, currency=GBP)
    validate_message(detail)
    assert "GBP 10,000.00" in str(detail)


def test_a_revised_estimate_is_a_new_estimate(ctx):
    open_matter(ctx)
    first = log_disclosure(ctx, amount="10000")
    ctx.clock.advance(days=1)
    revised = log_disclosure(ctx, kind="costs_revised", amount="15000", disclosed_on="2026-11-23")
    m = the_matter(ctx)
    assert (m.costs_estimate, m.estimate_ref, m.costs_changed_at) == (1_500_000, revised.reference, ctx.clock.now())
    assert revised.reference != first.reference
    assert [e.data["kind"] for e in matter_events(ctx, "matter_estimate")] == ["costs_estimate", "costs_revised"]


def test_what_does_not_set_the_estimate(ctx):
    open_matter(ctx)
    in_force = log_disclosure(ctx, amount="10000", disclosed_on="2026-11-22")
    # Without an amount; another kind; an estimate dated before the one in force, logged late.
    log_disclosure(ctx, kind="costs_revised")
    log_disclosure(ctx, kind="risk", content="Outcome uncertain.")
    late = log_disclosure(ctx, amount="8000", disclosed_on="2026-11-21")
    m = the_matter(ctx)
    assert (m.costs_estimate, m.estimate_ref) == (1_000_000, in_force.reference)
    assert late.amount == 800_000  # on record all the same
    assert len(matter_events(ctx, "matter_estimate")) == 1


def test_a_matter_named_by_its_estimate_holds_it_once_set_up(ctx):
    log_disclosure(ctx, amount="10000", disclosed_on="2026-11-21")
    latest = log_disclosure(ctx, kind="costs_revised", amount="12000", disclosed_on="2026-11-22")
    m = the_matter(ctx)
    # Only named so far: nobody to warn, so no estimate in force yet.
    assert (m.set_up, m.costs_estimate, m.estimate_ref) == (False, None, None)
    ctx.clock.advance(hours=1)
    open_matter(ctx)
    m = the_matter(ctx)
    assert (m.costs_estimate, m.estimate_ref, m.costs_changed_at) == (1_200_000, latest.reference, ctx.clock.now())
    [estimate] = matter_events(ctx, "matter_estimate")
    assert estimate.data == {
        "amount": 1_200_000,
        "disclosure": latest.reference,
        "kind": "costs_revised",
        "currency": "GBP",
    }
    assert [e.kind for e in matter_events(ctx, "matter_opened")] == ["matter_opened"]


def test_a_matter_set_up_with_no_estimate_on_record_has_none(ctx):
    log_disclosure(ctx, kind="risk", content="Outcome uncertain.")
    log_disclosure(ctx)  # a costs estimate without its amount
    open_matter(ctx)
    assert the_matter(ctx).costs_estimate is None and matter_events(ctx, "matter_estimate") == []


# --- the costs to date -------------------------------------------------------------------------


def test_costs_to_date_are_recorded_with_their_event(ctx):
    open_matter(ctx)
    first = record_costs(ctx, 250_000)
    assert (first.previous, first.estimate, first.percent, first.revise_at) == (None, None, None, None)
    ctx.clock.advance(hours=2)
    second = record_costs(ctx, 300_000)
    assert second.previous == 250_000
    m = the_matter(ctx)
    assert (m.costs_to_date, m.costs_changed_at, m.next_reminder_at) == (300_000, ctx.clock.now(), ctx.clock.now())
    assert [e.data for e in matter_events(ctx, "matter_costs")] == [
        {"costs_to_date": 250_000, "previous": None, "currency": "GBP"},
        {"costs_to_date": 300_000, "previous": 250_000, "currency": "GBP"},
    ]
    _, blocks = matter_messages.costs_recorded(second)
    validate_message(blocks)
    assert "GBP 3,000.00" in str(blocks) and "No costs estimate" in str(blocks)


@pytest.mark.parametrize(
    ("typed", "minor", "said"),
    [
        ("12500", 1_250_000, None),
        ("12,500.50", 1_250_050, None),
        ("GBP 12,500", 1_250_000, None),
        ("", None, "Say the costs to date in GBP"),
        (None, None, "Say the costs to date in GBP"),
        ("-5", None, "cannot be negative"),
        ("12.5.0", None, "as a number"),
    ],
)
def test_the_costs_typed(typed, minor, said):
    if said is None:
        assert costs.parse_costs(typed, currency=GBP) == minor
    else:
        with pytest.raises(UserError, match=said):
            costs.parse_costs(typed, currency=GBP)


def test_costs_on_a_closed_or_unknown_or_not_set_up_matter_are_refused(ctx):
    with pytest.raises(UserError, match="There is no matter M-1001"):
        record_costs(ctx, 100)
    log_disclosure(ctx, matter_ref="M-3003")
    with pytest.raises(UserError, match="M-3003 is not set up yet"):
        record_costs(ctx, 100, "M-3003")
    open_matter(ctx)
    matters.close_matter(session_factory=ctx.session_factory, matter_ref="M-1001", actor=LAWYER, now=ctx.clock.now())
    with pytest.raises(UserError, match="M-1001 is closed"):
        record_costs(ctx, 100)
    assert the_matter(ctx).costs_to_date is None and matter_events(ctx, "matter_costs") == []


def test_the_costs_modal_is_prefilled_with_the_current_figure(ctx):
    open_matter(ctx)
    log_disclosure(ctx, amount="10000")
    record_costs(ctx, 900_050)
    view = matter_costs_modal(the_matter(ctx), currency=GBP)
    validate_view(view)
    [field] = [b for b in view["blocks"] if b["type"] == "input"]
    assert field["block_id"] == "costs_to_date" and field["element"]["initial_value"] == "9000.50"
    assert "GBP 10,000.00" in str(view["blocks"]) and view["private_metadata"] == '{"matter_ref": "M-1001"}'


# --- what the policy then finds due ------------------------------------------------------------


def test_costs_crossing_75_then_100_then_a_revised_estimate(ctx):
    open_matter(ctx)
    estimate = log_disclosure(ctx, amount="10000")
    assert costs_due(ctx) == []

    ctx.clock.advance(days=1)
    below = record_costs(ctx, 700_000)  # 70%: nothing due yet
    assert (below.percent, below.revise_at, below.next_threshold) == (70, None, 75)
    assert costs_due(ctx) == []

    ctx.clock.advance(days=1)
    at_75 = record_costs(ctx, 800_000)  # 80%
    assert (at_75.percent, at_75.revise_at, at_75.next_threshold) == (80, 75, 100)
    [due] = costs_due(ctx)
    assert (due.threshold, due.percent, due.due_at) == (75, 80, ctx.clock.now())
    assert due.key == f"costs:M-1001:{estimate.reference}:75"
    _, blocks = matter_messages.costs_recorded(at_75)
    validate_message(blocks)
    assert "80%" in str(blocks) and "revised" in str(blocks) and "M-1001|costs_revised" in str(blocks)

    ctx.clock.advance(days=1)
    record_costs(ctx, 1_050_000)  # 105%
    [due] = costs_due(ctx)
    assert (due.threshold, due.key) == (100, f"costs:M-1001:{estimate.reference}:100")

    # The revised estimate (GBP 14,000): 75% of it afresh, under a new key.
    ctx.clock.advance(days=1)
    revised = log_disclosure(ctx, kind="costs_revised", amount="14000", disclosed_on="2026-11-23")
    [due] = costs_due(ctx)
    assert (due.threshold, due.percent) == (75, 75)  # 10,500 of 14,000
    assert due.key == f"costs:M-1001:{revised.reference}:75" and revised.reference != estimate.reference


def test_the_costs_nudge_is_not_due_before_the_figures_were_recorded(ctx):
    open_matter(ctx)
    log_disclosure(ctx, amount="10000")
    record_costs(ctx, 900_000)
    with ctx.session_factory() as s:
        facts = facts_of(s.execute(select(Matter)).scalar_one(), settings=ctx.settings)
    assert ctx.matter_policy.due(facts, ctx.clock.now() - timedelta(seconds=1)) == []


# --- the disclosures register --------------------------------------------------------------------


@pytest.mark.parametrize("code", ["GBP", "JPY"])
def test_the_disclosures_register_carries_the_amount_in_the_firms_currency(ctx, code):
    currency = Currency.of(code)
    log_disclosure(ctx, amount="12,500")
    log_disclosure(ctx, kind="risk", content="Outcome uncertain.")
    out = io.StringIO(newline="")
    register.export_register(
        engine=ctx.engine,
        session_factory=ctx.session_factory,
        out=out,
        fmt="csv",
        actor="cli:alice",
        now=ctx.clock.now(),
        tz=ctx.tz,
        disclosures=True,
        currency=currency,
    )
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    # Stored as 1,250,000 minor units: GBP 12,500.00, or (the same integer) JPY 1,250,000.
    assert [(r["kind"], r["amount"]) for r in rows] == [
        ("costs_estimate", "12500.00" if code == "GBP" else "1250000"),
        ("risk", ""),
    ]
    assert list(rows[0]).index("amount") == list(rows[0]).index("content") + 1
