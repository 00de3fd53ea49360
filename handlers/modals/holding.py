"""The holding-response modal: why the firm needs more time, when it expects to send its final
response, and when and how the holding response went; then the letter, shown to copy."""

from __future__ import annotations

from datetime import date

from bot.complaints.inputs import HoldingResponseInput
from bot.core import ids
from bot.core.blockkit import Block, day, deadline, escape, section
from bot.core.errors import FieldErrors
from bot.core.vocabulary import HOLDING_REASON_MAX, WrittenVia
from bot.rulebooks.schemes import Rulebook
from handlers.modals import fields
from handlers.modals.elements import enum_select, input_block, modal, result_modal, text_input
from handlers.modals.fields import Values


def holding_modal(c, *, today: date, rulebook: Rulebook, latest: date | None, deadline_basis: str) -> dict:
    """`latest`: the last date the scheme lets the holding response name (None: no such limit)."""
    F = ids.HoldingField
    limit = (
        f"No later than {day(latest)}: {rulebook.extended_business_days} business days after receipt "
        f"({rulebook.final_response_rule})."
        if latest is not None
        else "The date you tell the client to expect it."
    )
    blocks = [
        section(
            f"*{c.reference}* · {escape(c.client_name)} · final response due "
            f"{deadline(c.final_response_due_on, deadline_basis)}"
        ),
        section(
            "Record the holding response you send the client. I will give you its text, with what the client "
            "may now do under the scheme; I send nothing to the client myself."
        ),
        input_block(
            F.REASON,
            "Why the firm needs more time",
            text_input(HOLDING_REASON_MAX, multiline=True),
            hint="Goes into the letter as you write it.",
        ),
        input_block(F.EXPECTED_ON, "Final response expected by", {"type": "datepicker"}, hint=limit),
        input_block(F.SENT_ON, "Sent to the client on", {"type": "datepicker", "initial_date": today.isoformat()}),
        input_block(F.VIA, "How", enum_select(WrittenVia, WrittenVia.EMAIL.value)),
    ]
    return modal(
        ids.VIEW_HOLDING_RESPONSE, "Holding response", blocks, submit="Record", metadata={"reference": c.reference}
    )


def parse_holding(values: Values, *, today: date) -> HoldingResponseInput:
    F = ids.HoldingField
    errors: dict[str, str] = {}
    reason = fields.bounded(values, F.REASON, HOLDING_REASON_MAX, errors, label="reason for the delay", required=True)
    expected_on = fields.day(values, F.EXPECTED_ON, errors)
    if expected_on is not None and expected_on < today:
        errors[F.EXPECTED_ON] = "The final response cannot be expected before today."
    sent_on = fields.day(values, F.SENT_ON, errors)
    if sent_on is not None and sent_on > today:
        errors[F.SENT_ON] = "The holding response cannot have been sent in the future."
    via = fields.choice(values, F.VIA, WrittenVia, errors, "Choose how the holding response was sent.")
    if errors:
        raise FieldErrors(errors)
    return HoldingResponseInput(reason=reason, expected_on=expected_on, sent_on=sent_on, via=via)  # type: ignore[arg-type]


def holding_recorded_view(blocks: list[Block]) -> dict:
    """The modal's last view once recorded: the message's blocks, to read and copy, and Close."""
    return result_modal("Holding response", blocks)
