"""Redress in the resolve modal: offered, paid and when, in the firm's CURRENCY. Amounts are read
by bot/core/money.Currency (whole minor units, never floating point); its sentence is shown under
the field. A payment needs its date; a date needs a payment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core import ids
from bot.core.blockkit import Block
from bot.core.money import Currency
from handlers.modals import fields
from handlers.modals.elements import input_block, text_input
from handlers.modals.fields import Values

AMOUNT_MAX = 30


@dataclass(frozen=True)
class Redress:
    offered: int | None
    paid: int | None
    paid_on: date | None


def redress_blocks(c, *, currency: Currency) -> list[Block]:
    """The three inputs; what is recorded (in the same currency) is shown again, so resolving a
    reopened complaint keeps it unless changed."""
    F = ids.ResolveField
    same = c.redress_currency in (None, currency.code)

    def amount(minor: int | None) -> str | None:
        return currency.plain(minor) if minor is not None and same else None

    paid_on: dict = {"type": "datepicker"}
    if c.redress_paid_on is not None:
        paid_on["initial_date"] = c.redress_paid_on.isoformat()
    return [
        input_block(
            F.REDRESS_OFFERED,
            f"Redress offered ({currency.code})",
            text_input(AMOUNT_MAX, initial=amount(c.redress_offered), placeholder=currency.example),
            optional=True,
            hint="Money only; describe anything else under the remedy.",
        ),
        input_block(
            F.REDRESS_PAID,
            f"Redress paid ({currency.code})",
            text_input(AMOUNT_MAX, initial=amount(c.redress_paid), placeholder=currency.example),
            optional=True,
        ),
        input_block(F.REDRESS_PAID_ON, "Redress paid on", paid_on, optional=True, hint="Needed with an amount paid."),
    ]


def parse_redress(values: Values, errors: dict[str, str], *, currency: Currency, today: date) -> Redress:
    F = ids.ResolveField

    offered = fields.money(values, F.REDRESS_OFFERED, errors, currency=currency)
    paid = fields.money(values, F.REDRESS_PAID, errors, currency=currency)
    paid_on = fields.day(values, F.REDRESS_PAID_ON, errors, required=False)
    if paid_on is not None and paid_on > today:
        errors[F.REDRESS_PAID_ON] = "Redress cannot have been paid in the future."
    elif paid_on is not None and paid is None and F.REDRESS_PAID not in errors:
        errors[F.REDRESS_PAID] = "Enter the amount paid on that date, or clear the date."
    if paid and paid_on is None and F.REDRESS_PAID_ON not in errors:
        errors[F.REDRESS_PAID_ON] = "Choose the date the redress was paid."
    return Redress(offered, paid, paid_on)
