"""The intake modal: a complaint logged from /complaint new, a shortcut or App Home."""

from __future__ import annotations

from datetime import date

from bot.complaints.inputs import NewComplaint
from bot.complaints.limits import Misdated, misdated
from bot.core import ids
from bot.core.blockkit import Block, context, day
from bot.core.errors import FieldErrors
from bot.core.vocabulary import CLIENT_NAME_MAX, CLIENT_REQUEST_MAX, MATTER_REF_MAX, SUMMARY_MAX, Category, ReceivedVia
from handlers.modals import fields
from handlers.modals.elements import enum_select, input_block, modal, text_input
from handlers.modals.fields import Values


def intake_modal(
    *,
    today: date,
    summary: str | None = None,
    source_url: str | None = None,
    client_name: str | None = None,
    matter_ref: str | None = None,
    received_on: date | None = None,
    received_via: ReceivedVia = ReceivedVia.EMAIL,
    note: str | None = None,
    metadata: dict | None = None,
) -> dict:
    """The intake modal, prefilled with what is known: a message's text and link, or (from a
    matter's complaint prompt, with `note` saying so) the client, the matter and the update."""
    F = ids.IntakeField
    blocks: list[Block] = []
    if source_url:
        blocks.append(context(f"From <{source_url}|this message>. The summary is prefilled with its text."))
    if note:
        blocks.append(context(note))
    blocks += [
        input_block(F.CLIENT_NAME, "Client name", text_input(CLIENT_NAME_MAX, initial=client_name)),
        input_block(
            F.MATTER_REF,
            "Matter reference",
            text_input(MATTER_REF_MAX, initial=matter_ref, placeholder="e.g. M-10423"),
            optional=True,
        ),
        input_block(F.RECEIVED_VIA, "How it was received", enum_select(ReceivedVia, received_via.value)),
        input_block(
            F.RECEIVED_ON, "Date received", {"type": "datepicker", "initial_date": (received_on or today).isoformat()}
        ),
        input_block(
            F.PROBLEM_ON,
            "When did the problem happen?",
            {"type": "datepicker"},
            optional=True,
            hint="Ask the client if you can: an ombudsman's time limits can run from this date.",
        ),
        input_block(
            F.AWARE_ON,
            "When did the client become aware of it?",
            {"type": "datepicker"},
            optional=True,
            hint="Some of an ombudsman's time limits run from when the client knew, or should have known.",
        ),
        input_block(F.CATEGORY, "Category", enum_select(Category)),
        input_block(
            F.SUMMARY,
            "Summary of the complaint",
            text_input(SUMMARY_MAX, multiline=True, initial=summary),
            hint="What the client says went wrong, in their terms where possible.",
        ),
        input_block(
            F.CLIENT_REQUEST,
            "What the client is asking for",
            text_input(CLIENT_REQUEST_MAX, multiline=True),
            optional=True,
        ),
    ]
    metadata = {**(metadata or {}), **({"source_url": source_url} if source_url else {})}
    return modal(ids.VIEW_NEW_COMPLAINT, "Log a complaint", blocks, submit="Log complaint", metadata=metadata or None)


def parse_intake(values: Values, *, today: date, source_message_url: str | None = None) -> NewComplaint:
    """Validate the intake modal's values; raise FieldErrors keyed by block id."""
    F = ids.IntakeField
    errors: dict[str, str] = {}
    client_name = fields.bounded(values, F.CLIENT_NAME, CLIENT_NAME_MAX, errors, label="client's name", required=True)
    matter_ref = fields.bounded(values, F.MATTER_REF, MATTER_REF_MAX, errors, label="matter reference", required=False)
    summary = fields.bounded(values, F.SUMMARY, SUMMARY_MAX, errors, label="summary", required=True)
    client_request = fields.bounded(
        values, F.CLIENT_REQUEST, CLIENT_REQUEST_MAX, errors, label="client's request", required=False
    )

    received_via = fields.choice(values, F.RECEIVED_VIA, ReceivedVia, errors, "Choose how the complaint was received.")
    category = fields.choice(values, F.CATEGORY, Category, errors, "Choose a category.")
    received_on = fields.day(values, F.RECEIVED_ON, errors)
    if received_on is not None and received_on > today:
        errors[F.RECEIVED_ON] = "The date received cannot be in the future."
    problem_on = fields.day(values, F.PROBLEM_ON, errors, required=False)
    aware_on = fields.day(values, F.AWARE_ON, errors, required=False)
    for wrong in misdated(received_on=received_on, problem_on=problem_on, aware_on=aware_on):
        errors.setdefault(wrong.field, _misdated_sentence(wrong))

    if errors:
        raise FieldErrors(errors)
    return NewComplaint(
        client_name=client_name,  # type: ignore[arg-type]
        matter_ref=matter_ref,
        received_via=received_via,  # type: ignore[arg-type]
        received_on=received_on,  # type: ignore[arg-type]
        category=category,  # type: ignore[arg-type]
        summary=summary,  # type: ignore[arg-type]
        client_request=client_request,
        source_message_url=source_message_url,
        problem_on=problem_on,
        aware_on=aware_on,
    )


def _misdated_sentence(wrong: Misdated) -> str:
    if wrong.against == "problem_on":
        return "The client cannot have become aware of the problem before it happened."
    what = "The problem cannot have happened" if wrong.field == "problem_on" else "The client cannot have become aware"
    return f"{what} after the complaint was received ({day(wrong.limit)})."
