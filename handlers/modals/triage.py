"""The triage modal: severity, handler, target date and update cadence."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.complaints.messages import summary_section
from bot.core import ids
from bot.core.blockkit import escape, plain, section
from bot.core.vocabulary import MAX_CADENCE_DAYS, NOTE_MAX, Category, Severity
from handlers.modals.elements import enum_select, input_block, modal, text_input


def triage_modal(c, *, tz: ZoneInfo, today: date) -> dict:
    F = ids.TriageField
    handler_el: dict = {"type": "users_select", "placeholder": plain("Choose the handler")}
    if c.handler_id:
        handler_el["initial_user"] = c.handler_id
    target_el: dict = {"type": "datepicker"}
    if c.target_date:
        target_el["initial_date"] = c.target_date.isoformat()
    cadence_el: dict = {
        "type": "number_input",
        "is_decimal_allowed": False,
        "min_value": "1",
        "max_value": str(MAX_CADENCE_DAYS),
    }
    if c.update_cadence_days:
        cadence_el["initial_value"] = str(c.update_cadence_days)
    blocks = [
        section(f"*{c.reference}* · {escape(c.client_name)} · {Category(c.category).label}"),
        summary_section(c),
        {"type": "divider"},
        input_block(F.SEVERITY, "Severity", enum_select(Severity, c.severity)),
        input_block(F.HANDLER, "Handler", handler_el),
        input_block(F.TARGET_DATE, "Target resolution date", target_el),
        input_block(
            F.CADENCE,
            "Client update every (days)",
            cadence_el,
            optional=True,
            hint="Leave empty for the default by severity: critical 2, high 5, medium 7, low 14.",
        ),
        input_block(F.NOTE, "Triage note", text_input(NOTE_MAX, multiline=True), optional=True),
    ]
    return modal(
        ids.VIEW_TRIAGE, f"Triage {c.reference}", blocks, submit="Save triage", metadata={"reference": c.reference}
    )
