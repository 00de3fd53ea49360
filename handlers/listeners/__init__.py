"""The bot's listeners by Slack surface, each package with its `register(listeners)`.

How each is wired to Bolt (lazy listeners, ack first) is handlers/listening.py's.
"""

from __future__ import annotations

from handlers.listeners import actions, commands, events, shortcuts, views
from handlers.listening import Listeners


def register(listeners: Listeners) -> None:
    commands.register(listeners)
    shortcuts.register(listeners)
    views.register(listeners)
    actions.register(listeners)
    events.register(listeners)
