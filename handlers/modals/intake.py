"""The intake modal: a complaint logged from /complaint new, a shortcut or App Home."""

from __future__ import annotations

from datetime import date

from bot.core import ids
from bot.core.blockkit import Block, context
from bot.core.vocabulary import CLIENT_NAME_MAX, CLIENT_REQUEST_MAX, MATTER_REF_MAX, SUMMARY_MAX, Category, ReceivedVia
from handlers.modals.elements import enum_select, input_block, modal, text_input


def intake_modal(*, today: date, summary: str | None = None, source_url: str | None = None) -> dict:
    F = ids.IntakeField
    blocks: list[Block] = []
    if source_url:
        blocks.append(context(f"From <{source_url}|this message>. The summary is prefilled with its text."))
    blocks += [
        input_block(F.CLIENT_NAME, "Client name", text_input(CLIENT_NAME_MAX)),
        input_block(
            F.MATTER_REF, "Matter reference", text_input(MATTER_REF_MAX, placeholder="e.g. M-10423"), optional=True
        ),
        input_block(F.RECEIVED_VIA, "How it was received", enum_select(ReceivedVia, ReceivedVia.EMAIL.value)),
        input_block(F.RECEIVED_ON, "Date received", {"type": "datepicker", "initial_date": today.isoformat()}),
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
    metadata = {"source_url": source_url} if source_url else None
    return modal(ids.VIEW_NEW_COMPLAINT, "Log a complaint", blocks, submit="Log complaint", metadata=metadata)
