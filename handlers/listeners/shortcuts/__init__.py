"""Shortcuts: acked at once; each then opens an intake modal, prefilled from the message it was used on."""

from __future__ import annotations

from bot.core import ids
from handlers.listeners.shortcuts.log_complaint import log_from_anywhere, log_from_message
from handlers.listeners.shortcuts.log_disclosure import log_disclosure_from_message
from handlers.listening import Listeners


def register(listeners: Listeners) -> None:
    listeners.shortcut(ids.SHORTCUT_LOG_COMPLAINT_MESSAGE, log_from_message)
    listeners.shortcut(ids.SHORTCUT_LOG_COMPLAINT_GLOBAL, log_from_anywhere)
    listeners.shortcut(ids.SHORTCUT_LOG_DISCLOSURE_MESSAGE, log_disclosure_from_message)
