"""Slack listeners, grouped by surface and registered in one place."""

from __future__ import annotations

from handlers import actions, commands, home, shortcuts, views


def register(registry) -> None:
    commands.register(registry)
    shortcuts.register(registry)
    views.register(registry)
    actions.register(registry)
    home.register(registry)
