"""The disclosure modal: what a client was told, from /disclosure new, a shortcut or App Home."""

from __future__ import annotations

from datetime import date

from bot.core import ids
from bot.core.blockkit import Block, context
from bot.core.vocabulary import (
    CLIENT_NAME_MAX,
    DISCLOSURE_TEXT_MAX,
    MATTER_REF_MAX,
    AckStatus,
    DisclosedVia,
    DisclosureKind,
)
from handlers.modals.elements import enum_select, input_block, modal, text_input


def disclosure_modal(*, today: date, content: str | None = None, source_url: str | None = None) -> dict:
    F = ids.DisclosureField
    blocks: list[Block] = []
    if source_url:
        blocks.append(context(f"From <{source_url}|this message>. What was disclosed is prefilled with its text."))
    blocks += [
        input_block(F.CLIENT_NAME, "Client name", text_input(CLIENT_NAME_MAX)),
        input_block(F.MATTER_REF, "Matter reference", text_input(MATTER_REF_MAX, placeholder="e.g. M-10423")),
        input_block(F.KIND, "Kind of disclosure", enum_select(DisclosureKind)),
        input_block(
            F.CONTENT,
            "What was disclosed",
            text_input(DISCLOSURE_TEXT_MAX, multiline=True, initial=content),
            hint="In the words used with the client: figures, risks, what is and is not included.",
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
