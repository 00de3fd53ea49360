"""The costs-to-date modal, from a matter's **Costs to date** button: the figure recorded so far,
prefilled, to be brought up to date; the estimate it is held to shown above it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core import ids
from bot.core.blockkit import Block, escape, section
from bot.core.money import Currency
from handlers.modals.elements import input_block, modal, result_modal, text_input
from handlers.modals.redress import AMOUNT_MAX

if TYPE_CHECKING:
    from storage.models import Matter

TITLE = "Costs to date"


def matter_costs_modal(m: Matter, *, currency: Currency) -> dict:
    # Not the estimate's disclosure reference: being on a matter does not open its disclosures.
    estimate = (
        f"Costs estimate {currency.format(m.costs_estimate)}."
        if m.costs_estimate is not None
        else "No costs estimate with an amount is on record yet."
    )
    blocks: list[Block] = [
        section(f"*{escape(m.matter_ref)}* · {escape(m.client_name or '—')}\n{estimate}"),
        input_block(
            ids.MatterCostsField.COSTS_TO_DATE,
            f"Costs to date ({currency.code})",
            text_input(
                AMOUNT_MAX,
                initial=currency.plain(m.costs_to_date) if m.costs_to_date is not None else None,
                placeholder=currency.example,
            ),
            hint="Everything incurred so far, billed or not: the figure the estimate is compared with.",
        ),
    ]
    return modal(ids.VIEW_MATTER_COSTS, TITLE, blocks, submit="Record", metadata={"matter_ref": m.matter_ref})


def costs_recorded_view(blocks: list[Block]) -> dict:
    """The modal once recorded: the costs against the estimate, as `/matter costs` answers."""
    return result_modal(TITLE, blocks)
