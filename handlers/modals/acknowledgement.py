"""The acknowledgement modal: the firm's acknowledgement went to the client, when and how."""

from __future__ import annotations

from datetime import date

from bot.complaints.inputs import AcknowledgementInput
from bot.core import ids
from bot.core.blockkit import escape, section
from bot.core.errors import FieldErrors
from bot.core.vocabulary import AcknowledgedVia
from handlers.modals import fields
from handlers.modals.elements import enum_select, input_block, modal
from handlers.modals.fields import Values


def acknowledgement_modal(c, *, today: date) -> dict:
    F = ids.AcknowledgementField
    blocks = [
        section(
            f"*{c.reference}* · {escape(c.client_name)}\n"
            "Record that the acknowledgement was sent to the client. Its reminders then stop."
        ),
        input_block(F.DATE, "Sent on", {"type": "datepicker", "initial_date": today.isoformat()}),
        input_block(F.VIA, "How", enum_select(AcknowledgedVia, AcknowledgedVia.EMAIL.value)),
    ]
    return modal(
        ids.VIEW_ACKNOWLEDGEMENT_SENT,
        "Acknowledgement sent",
        blocks,
        submit="Record it",
        metadata={"reference": c.reference},
    )


def parse_acknowledgement(values: Values, *, today: date) -> AcknowledgementInput:
    F = ids.AcknowledgementField
    errors: dict[str, str] = {}
    sent_on = fields.day(values, F.DATE, errors)
    if sent_on is not None and sent_on > today:
        errors[F.DATE] = "Record the acknowledgement once it has been sent, not before."
    via = fields.choice(values, F.VIA, AcknowledgedVia, errors, "Choose how the acknowledgement was sent.")
    if errors:
        raise FieldErrors(errors)
    return AcknowledgementInput(sent_on=sent_on, via=via)  # type: ignore[arg-type]
