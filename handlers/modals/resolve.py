"""The resolve modal: the outcome, the final response and, where the complaints scheme has an
ombudsman, the three points the final response must make."""

from __future__ import annotations

from datetime import date

from bot.complaints.inputs import ResolutionInput
from bot.core import ids
from bot.core.blockkit import deadline, escape, option, section
from bot.core.errors import FieldErrors
from bot.core.vocabulary import REMEDY_MAX, Category, OmbudsmanPoint, Outcome
from bot.rulebooks.schemes import DEFAULT_RULEBOOK, Rulebook
from handlers.modals import fields
from handlers.modals.elements import enum_select, input_block, modal, text_input
from handlers.modals.fields import Values


def resolve_modal(c, *, today: date, rulebook: Rulebook = DEFAULT_RULEBOOK, deadline_basis: str | None = None) -> dict:
    F = ids.ResolveField
    checkboxes = {"type": "checkboxes", "options": [option(v, label) for v, label in OmbudsmanPoint.options()]}
    ombudsman = rulebook.ombudsman
    points = []
    if ombudsman is not None:
        points = [
            input_block(
                F.OMBUDSMAN,
                "The final response",
                checkboxes,
                optional=True,
                hint=(
                    f"All three are needed for the {ombudsman.name}'s {ombudsman.referral_months}-month time limit "
                    "to apply (not needed if withdrawn)."
                ),
            )
        ]
    blocks = [
        section(
            f"*{c.reference}* · {escape(c.client_name)} · final response due "
            f"{deadline(c.final_response_due_on, deadline_basis)}"
        ),
        input_block(F.OUTCOME, "Outcome", enum_select(Outcome)),
        input_block(F.REMEDY, "Remedy offered", text_input(REMEDY_MAX, multiline=True), optional=True),
        input_block(F.SENT_ON, "Final response sent on", {"type": "datepicker", "initial_date": today.isoformat()}),
        *points,
        input_block(F.ROOT_CAUSE, "Root cause", enum_select(Category, c.category)),
    ]
    return modal(
        ids.VIEW_RESOLVE, f"Resolve {c.reference}", blocks, submit="Resolve", metadata={"reference": c.reference}
    )


def parse_resolution(values: Values, *, today: date, rulebook: Rulebook = DEFAULT_RULEBOOK) -> ResolutionInput:
    F = ids.ResolveField
    errors: dict[str, str] = {}
    outcome = fields.choice(values, F.OUTCOME, Outcome, errors, "Choose the outcome.")
    remedy = fields.bounded(values, F.REMEDY, REMEDY_MAX, errors, label="remedy", required=False)
    sent_on = fields.day(values, F.SENT_ON, errors)
    if sent_on is not None and sent_on > today:
        errors[F.SENT_ON] = "The final response cannot have been sent in the future."
    points = set()
    ombudsman = rulebook.ombudsman
    asked = ombudsman is not None
    for raw in (fields.text(values, F.OMBUDSMAN) or "").split(",") if asked else ():
        point = OmbudsmanPoint.parse(raw.strip())
        if point is not None:
            points.add(point)
    if ombudsman is not None and outcome is not None and outcome != Outcome.WITHDRAWN and points != set(OmbudsmanPoint):
        errors[F.OMBUDSMAN] = (
            f"The final response must tell the client all three, or the {ombudsman.name}'s "
            f"{ombudsman.referral_months}-month limit does not bind: send them and tick each one."
        )
    root_cause = fields.choice(values, F.ROOT_CAUSE, Category, errors, "Choose the root cause.")
    if errors:
        raise FieldErrors(errors)
    return ResolutionInput(
        outcome=outcome,  # type: ignore[arg-type]
        final_response_sent_on=sent_on,  # type: ignore[arg-type]
        ombudsman_points=frozenset(points),
        ombudsman_points_asked=asked,
        root_cause=root_cause,  # type: ignore[arg-type]
        remedy=remedy,
    )
