"""The triage modal: severity, handler, target date and update cadence, and the client's details
(product, vulnerable circumstances, adjustments: handlers/modals/details.py)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.complaints.inputs import TriageInput
from bot.complaints.messages import summary_section
from bot.core import ids
from bot.core.blockkit import escape, plain, section
from bot.core.errors import FieldErrors
from bot.core.lists import Choices
from bot.core.text import whole_number
from bot.core.vocabulary import DEFAULT_CADENCE_DAYS, MAX_CADENCE_DAYS, NOTE_MAX, Category, Severity
from handlers.modals import fields
from handlers.modals.details import details_blocks, parse_details
from handlers.modals.elements import enum_select, input_block, modal, text_input
from handlers.modals.fields import Values


def triage_modal(c, *, tz: ZoneInfo, today: date, products: Choices | None = None) -> dict:
    """`products`: the firm's product or service groups (None: the client's details are not asked)."""
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
        *(details_blocks(c, products=products) if products is not None else []),
    ]
    return modal(
        ids.VIEW_TRIAGE, f"Triage {c.reference}", blocks, submit="Save triage", metadata={"reference": c.reference}
    )


def parse_triage(values: Values, *, today: date, products: Choices | None = None) -> TriageInput:
    F = ids.TriageField
    errors: dict[str, str] = {}
    severity = fields.choice(values, F.SEVERITY, Severity, errors, "Choose a severity.")
    handler_id = fields.text(values, F.HANDLER)
    if handler_id is None:
        errors[F.HANDLER] = "Choose who will handle the complaint."
    target = fields.day(values, F.TARGET_DATE, errors)
    if target is not None and target < today:
        errors[F.TARGET_DATE] = "The target date cannot be in the past."
    cadence_raw = fields.text(values, F.CADENCE)
    cadence: int | None = None
    if cadence_raw is not None:
        cadence_number = whole_number(cadence_raw)
        if cadence_number is None or not 1 <= cadence_number <= MAX_CADENCE_DAYS:
            errors[F.CADENCE] = f"Enter a whole number of days from 1 to {MAX_CADENCE_DAYS}, or leave it empty."
        else:
            cadence = cadence_number
    note = fields.bounded(values, F.NOTE, NOTE_MAX, errors, label="note", required=False)
    details = parse_details(values, errors, products=products) if products is not None else None
    if errors:
        raise FieldErrors(errors)
    assert severity is not None and handler_id is not None and target is not None
    return TriageInput(
        severity=severity,
        handler_id=handler_id,
        target_date=target,
        update_cadence_days=cadence or DEFAULT_CADENCE_DAYS[severity],
        note=note,
        details=details,
    )
