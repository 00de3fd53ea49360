"""The resolve modal: the outcome, the final response and, where the complaints scheme has an
ombudsman, the three points the final response must make; where the scheme has summary resolution
and its time has not passed, that option. Once resolved, the modal shows the letter to send."""

from __future__ import annotations

from datetime import date, datetime

from bot.complaints.inputs import ResolutionInput
from bot.core import ids
from bot.core.blockkit import Block, deadline, escape, option, plain, section
from bot.core.config import DEFAULT_CURRENCY_OF_RECORD, DEFAULT_ROOT_CAUSE_CHOICES
from bot.core.errors import FieldErrors
from bot.core.lists import Choices
from bot.core.money import Currency
from bot.core.vocabulary import REMEDY_MAX, OmbudsmanPoint, Outcome
from bot.rulebooks.schemes import DEFAULT_RULEBOOK, Rulebook
from handlers.modals import fields
from handlers.modals.elements import enum_select, input_block, modal, result_modal, text_input
from handlers.modals.fields import Values
from handlers.modals.redress import parse_redress, redress_blocks

SUMMARY_CHOSEN = "summary"
SUMMARY_LABEL = "Summary resolution (DISP 1.5)"


def resolve_modal(
    c,
    *,
    today: date,
    rulebook: Rulebook = DEFAULT_RULEBOOK,
    deadline_basis: str | None = None,
    summary_until: datetime | None = None,
    root_causes: Choices = DEFAULT_ROOT_CAUSE_CHOICES,
    currency: Currency = DEFAULT_CURRENCY_OF_RECORD,
) -> dict:
    """`summary_until`, in the firm's time, when summary resolution is still open (None: not offered).
    `root_causes` and `currency`: the firm's (ROOT_CAUSES, CURRENCY)."""
    F = ids.ResolveField
    checkboxes = {"type": "checkboxes", "options": [option(v, label) for v, label in OmbudsmanPoint.options()]}
    ombudsman = rulebook.ombudsman
    points = []
    summary = []
    if summary_until is not None:
        summary = [
            input_block(
                F.SUMMARY,
                "How it was resolved",
                {"type": "checkboxes", "options": [option(SUMMARY_CHOSEN, SUMMARY_LABEL)]},
                optional=True,
                hint=(
                    f"Open until {summary_until:%H:%M} on {summary_until:%a %-d %b %Y} (close of business on the "
                    "third business day after receipt). The client gets the summary resolution communication "
                    "instead of a final response."
                ),
            )
        ]
    if ombudsman is not None:
        points = [
            input_block(
                F.OMBUDSMAN,
                "The final response",
                checkboxes,
                optional=True,
                hint=(
                    f"All three are needed for the {ombudsman.name}'s {ombudsman.referral_months}-month time limit "
                    f"to apply (not needed if withdrawn{' or a summary resolution' if summary else ''})."
                ),
            )
        ]
    sent_on = "Final response (or summary resolution) sent on" if summary else "Final response sent on"
    blocks = [
        section(
            f"*{c.reference}* · {escape(c.client_name)} · final response due "
            f"{deadline(c.final_response_due_on, deadline_basis)}"
        ),
        input_block(F.OUTCOME, "Outcome", enum_select(Outcome)),
        *summary,
        input_block(F.REMEDY, "Remedy offered", text_input(REMEDY_MAX, multiline=True), optional=True),
        *redress_blocks(c, currency=currency),
        input_block(F.SENT_ON, sent_on, {"type": "datepicker", "initial_date": today.isoformat()}),
        *points,
        input_block(F.ROOT_CAUSE, "Root cause", _root_cause_select(root_causes)),
    ]
    return modal(
        ids.VIEW_RESOLVE, f"Resolve {c.reference}", blocks, submit="Resolve", metadata={"reference": c.reference}
    )


def _root_cause_select(root_causes: Choices) -> dict:
    return {
        "type": "static_select",
        "placeholder": plain("Choose…"),
        "options": [option(value, label) for value, label in root_causes.options()],
    }


def parse_resolution(
    values: Values,
    *,
    today: date,
    rulebook: Rulebook = DEFAULT_RULEBOOK,
    root_causes: Choices = DEFAULT_ROOT_CAUSE_CHOICES,
    currency: Currency = DEFAULT_CURRENCY_OF_RECORD,
) -> ResolutionInput:
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
    # Whether it is still open is the service's to say, at the moment it stores the resolution.
    summary = rulebook.summary_resolution and SUMMARY_CHOSEN in (fields.text(values, F.SUMMARY) or "").split(",")
    if (
        ombudsman is not None
        and outcome is not None
        and outcome != Outcome.WITHDRAWN
        and not summary
        and points != set(OmbudsmanPoint)
    ):
        errors[F.OMBUDSMAN] = (
            f"The final response must tell the client all three, or the {ombudsman.name}'s "
            f"{ombudsman.referral_months}-month limit does not bind: send them and tick each one."
        )
    root_cause = fields.text(values, F.ROOT_CAUSE)
    if root_cause not in root_causes:
        errors[F.ROOT_CAUSE] = "Choose the root cause."
    redress = parse_redress(values, errors, currency=currency, today=today)
    if errors:
        raise FieldErrors(errors)
    return ResolutionInput(
        outcome=outcome,  # type: ignore[arg-type]
        final_response_sent_on=sent_on,  # type: ignore[arg-type]
        ombudsman_points=frozenset(points),
        ombudsman_points_asked=asked,
        root_cause=root_cause,  # type: ignore[arg-type]
        remedy=remedy,
        summary_resolution=summary,
        redress_offered=redress.offered,
        redress_paid=redress.paid,
        redress_paid_on=redress.paid_on,
    )


def letter_modal(title: str, blocks: list[Block]) -> dict:
    """What the resolve modal becomes once stored: the letter to send, and nothing to submit."""
    return result_modal(title, blocks, close="Done")
