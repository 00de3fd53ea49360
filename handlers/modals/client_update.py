"""The client-update modal: what the client was told, when and how."""

from __future__ import annotations

from datetime import date

from bot.core import ids
from bot.core.blockkit import escape, section
from bot.core.vocabulary import NOTE_MAX, UpdateVia
from handlers.modals.elements import enum_select, input_block, modal, text_input


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
