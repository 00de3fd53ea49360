"""The disclosure modal: what a client was told, from /disclosure new, a shortcut, App Home or a
matter's **Log disclosure** (prefilled with the matter, its client and the kind still missing)."""

from __future__ import annotations

from datetime import date

from bot.core import ids
from bot.core.blockkit import Block, context
from bot.core.config import DEFAULT_CURRENCY_OF_RECORD
from bot.core.errors import FieldErrors
from bot.core.money import Currency
from bot.core.vocabulary import (
    CLIENT_NAME_MAX,
    COSTS_DISCLOSURES,
    DISCLOSURE_TEXT_MAX,
    MATTER_REF_MAX,
    AckStatus,
    DisclosedVia,
    DisclosureKind,
)
from bot.disclosures.inputs import NewDisclosure
from handlers.modals import fields
from handlers.modals.elements import enum_select, input_block, modal, text_input
from handlers.modals.fields import Values
from handlers.modals.redress import AMOUNT_MAX


def disclosure_modal(
    *,
    today: date,
    content: str | None = None,
    source_url: str | None = None,
    matter_ref: str | None = None,
    client_name: str | None = None,
    kind: DisclosureKind | None = None,
    currency: Currency = DEFAULT_CURRENCY_OF_RECORD,
) -> dict:
    F = ids.DisclosureField
    blocks: list[Block] = []
    if source_url:
        blocks.append(context(f"From <{source_url}|this message>. What was disclosed is prefilled with its text."))
    blocks += [
        input_block(F.CLIENT_NAME, "Client name", text_input(CLIENT_NAME_MAX, initial=client_name)),
        input_block(
            F.MATTER_REF,
            "Matter reference",
            text_input(MATTER_REF_MAX, initial=matter_ref, placeholder="e.g. M-10423"),
        ),
        input_block(F.KIND, "Kind of disclosure", enum_select(DisclosureKind, kind.value if kind else None)),
        input_block(
            F.CONTENT,
            "What was disclosed",
            text_input(DISCLOSURE_TEXT_MAX, multiline=True, initial=content),
            hint="In the words used with the client: figures, risks, what is and is not included.",
        ),
        input_block(
            F.AMOUNT,
            "Estimate amount (costs estimates only)",
            text_input(AMOUNT_MAX, placeholder=currency.example),
            optional=True,
            hint=f"In {currency.code}. On a matter that is set up, it becomes the estimate its costs are held to.",
        ),
        input_block(F.DISCLOSED_ON, "Date disclosed", {"type": "datepicker", "initial_date": today.isoformat()}),
        input_block(F.VIA, "How", enum_select(DisclosedVia, DisclosedVia.EMAIL.value)),
        input_block(F.ACK, "Has the client acknowledged it?", enum_select(AckStatus, AckStatus.PENDING.value)),
        input_block(
            F.FOLLOW_UP,
            "Chase acknowledgement on",
            {"type": "datepicker"},
            optional=True,
            hint="Leave empty to be reminded a week after the disclosure.",
        ),
        input_block(F.DOCUMENT, "Link to the document", {"type": "url_text_input"}, optional=True),
    ]
    metadata = {"source_url": source_url} if source_url else None
    return modal(ids.VIEW_NEW_DISCLOSURE, "Log a disclosure", blocks, submit="Log disclosure", metadata=metadata)


def parse_disclosure(
    values: Values,
    *,
    today: date,
    source_message_url: str | None = None,
    currency: Currency = DEFAULT_CURRENCY_OF_RECORD,
) -> NewDisclosure:
    """Validate the disclosure modal's values; raise FieldErrors keyed by block id."""
    F = ids.DisclosureField
    errors: dict[str, str] = {}
    client_name = fields.bounded(values, F.CLIENT_NAME, CLIENT_NAME_MAX, errors, label="client's name", required=True)
    matter_ref = fields.bounded(values, F.MATTER_REF, MATTER_REF_MAX, errors, label="matter reference", required=True)
    content = fields.bounded(values, F.CONTENT, DISCLOSURE_TEXT_MAX, errors, label="what was disclosed", required=True)
    kind = fields.choice(values, F.KIND, DisclosureKind, errors, "Choose what kind of disclosure this is.")
    amount = fields.money(values, F.AMOUNT, errors, currency=currency)
    if amount is not None and kind is not None and kind not in COSTS_DISCLOSURES:
        errors[F.AMOUNT] = (
            f"Only a costs estimate or a revised estimate has an amount; this is {kind.label.lower()}: "
            "clear the amount or change the kind."
        )
    via = fields.choice(values, F.VIA, DisclosedVia, errors, "Choose how it was disclosed.")
    ack = fields.choice(values, F.ACK, AckStatus, errors, "Say whether the client has acknowledged it.")
    disclosed_on = fields.day(values, F.DISCLOSED_ON, errors)
    if disclosed_on is not None and disclosed_on > today:
        errors[F.DISCLOSED_ON] = "The date disclosed cannot be in the future."
    follow_up = fields.day(values, F.FOLLOW_UP, errors, required=False)
    if follow_up is not None and ack == AckStatus.PENDING and follow_up < today:
        errors[F.FOLLOW_UP] = (
            "The follow-up date has passed; choose today or later, or leave it empty for a week's time."
        )
    document = fields.link(values, F.DOCUMENT, errors)
    if errors:
        raise FieldErrors(errors)
    return NewDisclosure(
        client_name=client_name,  # type: ignore[arg-type]
        matter_ref=matter_ref,  # type: ignore[arg-type]
        kind=kind,  # type: ignore[arg-type]
        content=content,  # type: ignore[arg-type]
        disclosed_on=disclosed_on,  # type: ignore[arg-type]
        via=via,  # type: ignore[arg-type]
        ack_status=ack,  # type: ignore[arg-type]
        follow_up_on=follow_up if ack == AckStatus.PENDING else None,
        document_url=document,
        source_message_url=source_message_url,
        amount=amount,
    )
