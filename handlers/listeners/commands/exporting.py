"""`/complaint export [from] [to]`: the register, shared with the asker in their DM.

It runs behind the ack, on Bolt's listener executor (handlers/listening.py), like every command's
work: the register is written there, then sent through the outbox at once.
"""

from __future__ import annotations

from typing import Any

from bot import access
from bot.core import blockkit
from bot.core.context import BotContext
from bot.records import messages as export_messages
from bot.records import sharing
from handlers.listeners.commands.answering import Reply


def export(ctx: BotContext, who: access.Viewer, args: list[str], command: dict[str, Any]) -> Reply:
    wanted = sharing.parse_range(args)
    shared = sharing.share_register(ctx, viewer=who, wanted=wanted, request_id=command["trigger_id"])
    ctx.deliver([shared.key])
    if shared.rows is None:
        return blockkit.notice(":page_facing_up: That export was already sent to your DM with me.")
    words = export_messages.range_words(wanted.first, wanted.last)
    return blockkit.notice(
        f":page_facing_up: The register ({export_messages.count(shared.rows, 'complaint', 'complaints')} {words}) "
        "is in your DM with me, as a CSV file."
    )
