"""The resolve modal: the outcome, the final response and the ombudsman's three points."""

from __future__ import annotations

from datetime import date

from bot.core import ids
from bot.core.blockkit import day, escape, option, section
from bot.core.vocabulary import REMEDY_MAX, Category, OmbudsmanPoint, Outcome
from handlers.modals.elements import enum_select, input_block, modal, text_input


def resolve_modal(c, *, today: date) -> dict:
    F = ids.ResolveField
    checkboxes = {"type": "checkboxes", "options": [option(v, label) for v, label in OmbudsmanPoint.options()]}
    blocks = [
        section(
            f"*{c.reference}* · {escape(c.client_name)} · final response due {day(c.final_response_due_on) if c.final_response_due_on else '—'}"
        ),
        input_block(F.OUTCOME, "Outcome", enum_select(Outcome)),
        input_block(F.REMEDY, "Remedy offered", text_input(REMEDY_MAX, multiline=True), optional=True),
        input_block(F.SENT_ON, "Final response sent on", {"type": "datepicker", "initial_date": today.isoformat()}),
        input_block(
            F.OMBUDSMAN,
            "The final response",
            checkboxes,
            optional=True,
            hint="All three are needed for the ombudsman's 6-month time limit to apply (not needed if withdrawn).",
        ),
        input_block(F.ROOT_CAUSE, "Root cause", enum_select(Category, c.category)),
    ]
    return modal(
        ids.VIEW_RESOLVE, f"Resolve {c.reference}", blocks, submit="Resolve", metadata={"reference": c.reference}
    )
