"""What every modal is built of: the view with its callback id and metadata, its inputs keyed by
block id, and the notice that only tells something."""

from __future__ import annotations

import json

from bot.core.blockkit import Block, clip, escape_verbatim, option, options_of, plain, section
from bot.core.vocabulary import LabelledEnum


def input_block(block_id: str, label: str, element: dict, *, optional: bool = False, hint: str | None = None) -> Block:
    element = {**element, "action_id": block_id}
    block: Block = {"type": "input", "block_id": block_id, "label": plain(label), "element": element}
    if optional:
        block["optional"] = True
    if hint:
        block["hint"] = plain(hint)
    return block


def text_input(
    max_length: int, *, multiline: bool = False, initial: str | None = None, placeholder: str | None = None
) -> dict:
    el: dict = {"type": "plain_text_input", "max_length": max_length}
    if multiline:
        el["multiline"] = True
    if initial:
        el["initial_value"] = clip(initial, max_length)
    if placeholder:
        el["placeholder"] = plain(placeholder, 150)
    return el


def enum_select(enum: type[LabelledEnum], initial: str | None = None, placeholder: str = "Choose…") -> dict:
    el: dict = {"type": "static_select", "options": options_of(enum), "placeholder": plain(placeholder)}
    if initial is not None:
        el["initial_option"] = option(initial, enum(initial).label)
    return el


def modal(callback_id: str, title: str, blocks: list[Block], *, submit: str, metadata: dict | None = None) -> dict:
    view = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "submit": plain(submit, 24),
        "close": plain("Cancel", 24),
        "blocks": blocks,
    }
    if metadata:
        view["private_metadata"] = json.dumps(metadata)
    return view


def result_modal(title: str, blocks: list[Block], *, close: str = "Close") -> dict:
    """What a modal becomes once stored: what was recorded, to read, and nothing to submit."""
    return {"type": "modal", "title": plain(title, 24), "close": plain(close, 24), "blocks": blocks}


def notice_modal(title: str, text: str) -> dict:
    """A modal that only tells something (no inputs, so no submit button)."""
    return {
        "type": "modal",
        "title": plain(title, 24),
        "close": plain("Close", 24),
        "blocks": [section(f":warning: {escape_verbatim(text)}")],
    }
