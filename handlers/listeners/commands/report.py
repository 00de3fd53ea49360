"""/complaint report fca-return 2026H1 | summary FROM TO: the return goes to the asker's DM."""

from __future__ import annotations

from typing import Any

from bot import access
from bot.core import blockkit
from bot.core.context import BotContext
from bot.records import reporting
from handlers.listeners.commands.answering import Reply


def answer_report(ctx: BotContext, who: access.Viewer, args: list[str], command: dict[str, Any]) -> Reply:
    """Runs behind the command's ack (a lazy listener); the answer says where the return went."""
    asked = reporting.ask_in_slack(ctx, viewer=who, words=args, request_id=str(command.get("trigger_id") or ""))
    ctx.deliver(asked.notification_keys)
    return blockkit.notice(
        blockkit.escape_verbatim(
            f":bar_chart: {asked.report.title}: the figures and {asked.report.file_name} are in your DM with me."
        )
    )
