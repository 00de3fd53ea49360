"""What every slash command shares: its words split, its answer or error sent privately."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.core import blockkit
from bot.core.context import BotContext
from bot.core.errors import UserError
from bot.core.text import whole_number
from handlers.context import bot_of

log = logging.getLogger(__name__)
UNEXPECTED = "Something went wrong on our side and nothing was changed. Please try again in a minute."

Reply = tuple[str, list[blockkit.Block]]
# `sub`command and its words: returns the reply, or None when it opened a modal instead.
Answer = Callable[[BotContext, str, list[str], dict[str, Any], WebClient], Reply | None]


def answer_command(
    command: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext, answer: Answer
) -> None:
    """Split `/command sub args…`, let `answer` do it, and reply privately: its answer, a clear
    error for bad input, or a plain apology if something failed on our side."""
    words = (command.get("text") or "").split()
    sub = words[0].lower() if words else "help"
    try:
        reply = answer(bot_of(context), sub, words[1:], command, client)
        if reply is None:
            return
        text, body = reply
    except UserError as e:
        text, body = blockkit.error_message(str(e))
    except Exception:
        log.exception("%s %s failed", command.get("command"), sub)
        text, body = blockkit.error_message(UNEXPECTED)
    respond(text=text, blocks=body, response_type="ephemeral", replace_original=False)


def reference_arg(args: list[str], sub: str, *, example: str = "CMP-2026-0001", command: str = "complaint") -> str:
    if not args:
        raise UserError(f"Say which {command}: `/{command} {sub} {example}`.")
    return args[0]


def page_number(args: list[str]) -> int:
    if not args:
        return 1
    page = whole_number(args[0])
    if page is None or page < 1:
        raise UserError(f"“{args[0]}” is not a page number: `/complaint list 2`.")
    return page


def day_arg(args: list[str], *, today: date, example: str) -> date:
    """A date typed after a command's other words: YYYY-MM-DD (as the command line takes it), or
    `today` / `yesterday`; today when none is given."""
    if not args:
        return today
    text = args[0].lower()
    if text in ("today", "yesterday"):
        return today - timedelta(days=0 if text == "today" else 1)
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"“{args[0]}” is not a date; write it as YYYY-MM-DD, e.g. `{example}`.") from None
