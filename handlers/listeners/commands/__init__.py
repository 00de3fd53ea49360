"""Slash commands: acked at once; the answer goes back privately through the command's response_url."""

from __future__ import annotations

from bot.core import ids
from handlers.listeners.commands.complaint import complaint_command
from handlers.listeners.commands.disclosure import disclosure_command
from handlers.listeners.commands.matter import matter_command
from handlers.listening import Listeners


def register(listeners: Listeners) -> None:
    listeners.command(ids.COMPLAINT_COMMAND, complaint_command)
    listeners.command(ids.DISCLOSURE_COMMAND, disclosure_command)
    listeners.command(ids.MATTER_COMMAND, matter_command)
