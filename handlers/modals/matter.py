"""The matter modal (/matter new): the reference, the client, who is responsible and who
supervises, the area of law, when it opened, how often the client is to hear from us, and the
next key date the client was told of."""

from __future__ import annotations

from datetime import date

from bot.core import ids
from bot.core.blockkit import option, plain
from bot.core.errors import FieldErrors
from bot.core.lists import Choices
from bot.core.vocabulary import (
    CLIENT_NAME_MAX,
    KEY_DATE_WHAT_MAX,
    MATTER_CADENCE_DAYS,
    MATTER_REF_MAX,
    MAX_CADENCE_DAYS,
)
from bot.matters.inputs import NewMatter
from handlers.modals import fields
from handlers.modals.elements import input_block, modal, text_input
from handlers.modals.fields import Values


def matter_modal(*, today: date, areas: Choices) -> dict:
    F = ids.MatterField
    area_el: dict = {
        "type": "static_select",
        "placeholder": plain("Choose…"),
        "options": [option(value, label) for value, label in areas.options()],
    }
    cadence_el: dict = {
        "type": "number_input",
        "is_decimal_allowed": False,
        "min_value": "1",
        "max_value": str(MAX_CADENCE_DAYS),
        "initial_value": str(MATTER_CADENCE_DAYS),
    }
    blocks = [
        input_block(F.MATTER_REF, "Matter reference", text_input(MATTER_REF_MAX, placeholder="e.g. M-10423")),
        input_block(F.CLIENT_NAME, "Client name", text_input(CLIENT_NAME_MAX)),
        input_block(F.RESPONSIBLE, "Responsible lawyer", {"type": "users_select", "placeholder": plain("Choose…")}),
        input_block(
            F.SUPERVISOR,
            "Supervising partner",
            {"type": "users_select", "placeholder": plain("Choose…")},
            optional=True,
        ),
        input_block(F.AREA, "Area of law", area_el),
        input_block(F.OPENED_ON, "Opened on", {"type": "datepicker", "initial_date": today.isoformat()}),
        input_block(F.CADENCE, "Client update every (days)", cadence_el),
        input_block(
            F.NEXT_KEY_DATE,
            "Next key date the client was told of",
            {"type": "datepicker"},
            optional=True,
        ),
        input_block(
            F.NEXT_KEY_DATE_WHAT,
            "What happens then",
            text_input(KEY_DATE_WHAT_MAX, placeholder="e.g. exchange of contracts"),
            optional=True,
        ),
    ]
    return modal(ids.VIEW_NEW_MATTER, "Open a matter", blocks, submit="Open matter")


def parse_matter(values: Values, *, today: date, areas: Choices) -> NewMatter:
    """Validate the matter modal's values; raise FieldErrors keyed by block id."""
    F = ids.MatterField
    errors: dict[str, str] = {}
    matter_ref = fields.bounded(values, F.MATTER_REF, MATTER_REF_MAX, errors, label="matter reference", required=True)
    client_name = fields.bounded(values, F.CLIENT_NAME, CLIENT_NAME_MAX, errors, label="client's name", required=True)
    responsible = fields.text(values, F.RESPONSIBLE)
    if responsible is None:
        errors[F.RESPONSIBLE] = "Choose the lawyer responsible for the matter."
    supervisor = fields.text(values, F.SUPERVISOR)
    area = fields.text(values, F.AREA)
    if area is None or area not in areas:
        errors[F.AREA] = "Choose one of the areas of law."
    opened_on = fields.day(values, F.OPENED_ON, errors)
    if opened_on is not None and opened_on > today:
        errors[F.OPENED_ON] = "The day the matter opened cannot be in the future."
    cadence_raw = fields.text(values, F.CADENCE)
    cadence = MATTER_CADENCE_DAYS
    if cadence_raw is not None:
        if not cadence_raw.isdigit() or not 1 <= int(cadence_raw) <= MAX_CADENCE_DAYS:
            errors[F.CADENCE] = f"Enter a whole number of days from 1 to {MAX_CADENCE_DAYS}."
        else:
            cadence = int(cadence_raw)
    key_date = fields.day(values, F.NEXT_KEY_DATE, errors, required=False)
    key_what = fields.bounded(
        values, F.NEXT_KEY_DATE_WHAT, KEY_DATE_WHAT_MAX, errors, label="what happens then", required=False
    )
    if key_what is not None and key_date is None:
        errors[F.NEXT_KEY_DATE] = "Choose the date, or leave what happens then empty."
    if errors:
        raise FieldErrors(errors)
    assert matter_ref and client_name and responsible and area and opened_on
    return NewMatter(
        matter_ref=matter_ref,
        client_name=client_name,
        responsible_id=responsible,
        supervisor_id=supervisor,
        area=area,
        opened_on=opened_on,
        update_cadence_days=cadence,
        next_key_date=key_date,
        next_key_date_what=key_what,
    )
