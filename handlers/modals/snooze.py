"""The snooze modal: the update reminder postponed by 1 or 3 days, with a reason."""

from __future__ import annotations

from typing import Any

from bot.complaints.inputs import SnoozeInput
from bot.core import ids
from bot.core.blockkit import escape, option, section
from bot.core.errors import FieldErrors
from bot.core.text import whole_number
from bot.core.vocabulary import SNOOZE_DAYS, SNOOZE_REASON_MAX
from handlers.modals import fields
from handlers.modals.elements import input_block, modal, text_input
from handlers.modals.fields import Values


def snooze_modal(c) -> dict:
    F = ids.SnoozeField
    choices: dict[str, Any] = {
        "type": "static_select",
        "options": [option(str(d), f"{d} day{'s' if d > 1 else ''}") for d in SNOOZE_DAYS],
    }
    choices["initial_option"] = choices["options"][0]
    blocks = [
        section(
            f"*{c.reference}* · {escape(c.client_name)}\nThe update reminder, and its escalation, wait until then."
        ),
        input_block(F.DAYS, "Snooze for", choices),
        input_block(
            F.REASON, "Why", text_input(SNOOZE_REASON_MAX, placeholder="e.g. waiting for the client's documents")
        ),
    ]
    return modal(ids.VIEW_SNOOZE, "Snooze reminder", blocks, submit="Snooze", metadata={"reference": c.reference})


def parse_snooze(values: Values) -> SnoozeInput:
    F = ids.SnoozeField
    errors: dict[str, str] = {}
    raw = fields.text(values, F.DAYS)
    if raw is None or whole_number(raw) not in SNOOZE_DAYS:
        errors[F.DAYS] = "Choose 1 or 3 days."
    reason = fields.bounded(values, F.REASON, SNOOZE_REASON_MAX, errors, label="reason", required=True)
    if errors:
        raise FieldErrors(errors)
    return SnoozeInput(days=int(raw), reason=reason)  # type: ignore[arg-type]
