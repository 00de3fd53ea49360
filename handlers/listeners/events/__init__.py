"""Events: acked at once; App Home opened publishes the person's Home."""

from __future__ import annotations

from bot.core import ids
from handlers.listeners.events.app_home_opened import home_opened
from handlers.listening import Listeners


def register(listeners: Listeners) -> None:
    listeners.event(ids.EVENT_APP_HOME_OPENED, home_opened)
