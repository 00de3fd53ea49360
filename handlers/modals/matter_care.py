"""A matter's client-care modals: **Log client update** (when, how, what the client was told, the
next step, how the client seemed), **Snooze** the check-in until a date with a reason, and **No
update needed**: the matter dormant until a date. The update modal offers the other two as buttons,
so `/matter update M-1001` reaches all three. And, from the complaint prompt an unhappy client's
update brings, **Not a complaint**: why it is not one."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.core import ids
from bot.core.blockkit import Block, button, day, escape, section
from bot.core.errors import FieldErrors
from bot.core.vocabulary import NOT_A_COMPLAINT_REASON_MAX, NOTE_MAX, SNOOZE_REASON_MAX, ClientMood, UpdateVia
from bot.matters.inputs import ClientUpdateToLog, HeldUntil
from bot.matters.messages import COMPLAINT_DEFINITION
from handlers.modals import fields
from handlers.modals.elements import enum_select, input_block, modal, result_modal, text_input
from handlers.modals.fields import Values

if TYPE_CHECKING:
    from bot.matters.care import Prompted
    from storage.models import Matter

UPDATE_TITLE = "Log client update"
SNOOZE_TITLE = "Snooze check-in"
DORMANT_TITLE = "No update needed"
NOT_A_COMPLAINT_TITLE = "Not a complaint"


def _heading(m: Matter) -> str:
    return f"*{escape(m.matter_ref)}* · {escape(m.client_name or '—')}"


def matter_update_modal(m: Matter, *, today: date) -> dict:
    F = ids.MatterUpdateField
    blocks: list[Block] = [
        section(_heading(m)),
        input_block(F.DATE, "Date of the update", {"type": "datepicker", "initial_date": today.isoformat()}),
        input_block(F.VIA, "How", enum_select(UpdateVia, UpdateVia.EMAIL.value)),
        input_block(F.TOLD, "What the client was told", text_input(NOTE_MAX, multiline=True)),
        input_block(F.NEXT_STEP, "Next step", text_input(NOTE_MAX, multiline=True), optional=True),
        input_block(
            F.MOOD,
            "How did the client seem?",
            enum_select(ClientMood),
            hint="Unhappy asks you next whether it is a complaint: any expression of dissatisfaction is one.",
        ),
        {
            "type": "actions",
            "elements": [
                button("Snooze the check-in", ids.ACTION_MATTER_SNOOZE, m.matter_ref),
                button("No update needed: dormant", ids.ACTION_MATTER_DORMANT, m.matter_ref),
            ],
        },
    ]
    return modal(ids.VIEW_MATTER_UPDATE, UPDATE_TITLE, blocks, submit="Save update", metadata=_metadata(m))


def parse_matter_update(values: Values) -> ClientUpdateToLog:
    """The update's values read; the service holds its date to the matter (not before it opened,
    not in the future)."""
    F = ids.MatterUpdateField
    errors: dict[str, str] = {}
    on = fields.day(values, F.DATE, errors)
    via = fields.choice(values, F.VIA, UpdateVia, errors, "Choose how the client was updated.")
    told = fields.bounded(values, F.TOLD, NOTE_MAX, errors, label="what the client was told", required=True)
    next_step = fields.bounded(values, F.NEXT_STEP, NOTE_MAX, errors, label="next step", required=False)
    mood = fields.choice(values, F.MOOD, ClientMood, errors, "Choose how the client seemed.")
    if errors:
        raise FieldErrors(errors)
    return ClientUpdateToLog(on=on, via=via, told=told, mood=mood, next_step=next_step)  # type: ignore[arg-type]


def matter_snooze_modal(m: Matter, *, today: date) -> dict:
    F = ids.MatterSnoozeField
    blocks: list[Block] = [
        section(
            f"{_heading(m)}\nYour check-in nudge waits until then. The update is still due on its day: a "
            "whole cadence late, the supervising partner is told all the same, with this snooze and its reason."
        ),
        input_block(
            F.UNTIL, "Snooze until", {"type": "datepicker", "initial_date": (today + timedelta(days=7)).isoformat()}
        ),
        input_block(
            F.REASON, "Why", text_input(SNOOZE_REASON_MAX, placeholder="e.g. waiting for the client's documents")
        ),
    ]
    return modal(ids.VIEW_MATTER_SNOOZE, SNOOZE_TITLE, blocks, submit="Snooze", metadata=_metadata(m))


def matter_dormant_modal(m: Matter) -> dict:
    F = ids.MatterDormantField
    blocks: list[Block] = [
        section(f"{_heading(m)}\nNo client update is needed until this date; the check-in cadence counts from it."),
        input_block(F.UNTIL, "Dormant until", {"type": "datepicker"}),
        input_block(
            F.REASON, "Why", text_input(SNOOZE_REASON_MAX, placeholder="e.g. waiting for the court's hearing date")
        ),
    ]
    return modal(ids.VIEW_MATTER_DORMANT, DORMANT_TITLE, blocks, submit="Save", metadata=_metadata(m))


def parse_held_until(values: Values, *, until_field: str, reason_field: str) -> HeldUntil:
    """A snooze's or a dormancy's date and reason read; the service holds the date to today."""
    errors: dict[str, str] = {}
    until = fields.day(values, until_field, errors)
    reason = fields.bounded(values, reason_field, SNOOZE_REASON_MAX, errors, label="reason", required=True)
    if errors:
        raise FieldErrors(errors)
    return HeldUntil(until=until, reason=reason)  # type: ignore[arg-type]


def not_a_complaint_modal(p: Prompted) -> dict:
    """Why the client's unhappiness at the update `p` is not a complaint: asked before it is recorded,
    so whoever reviews the judgement later can read it."""
    F = ids.MatterNotAComplaintField
    client = escape(p.client_name or "—")
    blocks: list[Block] = [
        section(
            f"The client update of *{day(p.on)}* on *{escape(p.matter_ref)}* · {client}: the client seemed unhappy."
        ),
        input_block(
            F.REASON,
            "Why it is not a complaint",
            text_input(
                NOT_A_COMPLAINT_REASON_MAX,
                multiline=True,
                placeholder="e.g. the client asked a question about timing and was content with the answer",
            ),
            hint=f"{COMPLAINT_DEFINITION}.",
        ),
    ]
    metadata = {"update_event_id": p.update_event_id}
    return modal(ids.VIEW_MATTER_NOT_A_COMPLAINT, NOT_A_COMPLAINT_TITLE, blocks, submit="Record", metadata=metadata)


def parse_not_a_complaint(values: Values) -> str:
    """The reason read (required); the service records it with the answer."""
    errors: dict[str, str] = {}
    F = ids.MatterNotAComplaintField
    reason = fields.bounded(values, F.REASON, NOT_A_COMPLAINT_REASON_MAX, errors, label="reason", required=True)
    if errors or reason is None:
        raise FieldErrors(errors)
    return reason


def care_recorded_view(title: str, blocks: list[Block]) -> dict:
    """The modal once recorded: what was recorded and when the next update is due."""
    return result_modal(title, blocks)


def _metadata(m: Matter) -> dict:
    return {"matter_ref": m.matter_ref}
