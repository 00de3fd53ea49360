"""The client-update modal: what the client was told, when and how."""

from __future__ import annotations

from datetime import date

from bot.complaints.inputs import ClientUpdateInput
from bot.core import ids
from bot.core.blockkit import escape, section
from bot.core.errors import FieldErrors
from bot.core.vocabulary import NOTE_MAX, UpdateVia
from handlers.modals import fields
from handlers.modals.elements import enum_select, input_block, modal, text_input
from handlers.modals.fields import Values


def client_update_modal(c, *, today: date) -> dict:
    F = ids.UpdateField
    blocks = [
        section(f"*{c.reference}* · {escape(c.client_name)}"),
        input_block(F.DATE, "Date of the update", {"type": "datepicker", "initial_date": today.isoformat()}),
        input_block(F.VIA, "How", enum_select(UpdateVia, UpdateVia.EMAIL.value)),
        input_block(F.TOLD, "What the client was told", text_input(NOTE_MAX, multiline=True)),
        input_block(F.NEXT_STEP, "Next step", text_input(NOTE_MAX, multiline=True), optional=True),
    ]
    return modal(
        ids.VIEW_CLIENT_UPDATE, "Log client update", blocks, submit="Save update", metadata={"reference": c.reference}
    )


def parse_client_update(values: Values, *, today: date) -> ClientUpdateInput:
    F = ids.UpdateField
    errors: dict[str, str] = {}
    given_on = fields.day(values, F.DATE, errors)
    if given_on is not None and given_on > today:
        errors[F.DATE] = "An update cannot be given in the future."
    via = fields.choice(values, F.VIA, UpdateVia, errors, "Choose how the client was updated.")
    told = fields.bounded(values, F.TOLD, NOTE_MAX, errors, label="what the client was told", required=True)
    next_step = fields.bounded(values, F.NEXT_STEP, NOTE_MAX, errors, label="next step", required=False)
    if errors:
        raise FieldErrors(errors)
    return ClientUpdateInput(given_on=given_on, via=via, told=told, next_step=next_step)  # type: ignore[arg-type]
