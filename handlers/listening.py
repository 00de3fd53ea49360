"""How a listener is registered with Bolt, and the plain record of what the app listens for.

The app is made with `process_before_response=True`, and every listener is one of Bolt's lazy
listeners (https://docs.slack.dev/tools/bolt-python/concepts/lazy-listeners):

- a command, shortcut, button or event is acked at once, on the request's own thread, and its
  work (the Slack calls: a modal opened, a private reply, a Home published) runs afterwards on
  Bolt's listener executor;
- a view submission's ack function parses, validates and stores on the request's thread and
  answers Slack with its field errors or by closing the modal; its messages go out afterwards,
  on the executor.

So no request waits for another's work to be acked, and a failure in the work behind an ack is
logged by its class, never by its message (which may hold client text).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import Ack, App

log = logging.getLogger(__name__)

Listener = Callable[..., None]


@dataclass
class Listening:
    """What the app listens for, by surface: `complaint-bot check` compares it with the manifest."""

    commands: set[str] = field(default_factory=set)
    shortcuts: set[str] = field(default_factory=set)
    views: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)


def ack_at_once(ack: Ack) -> None:
    ack()


def logged(work: Listener) -> Listener:
    """`work` as a lazy listener: a failure is logged as Bolt logs a listener's, without its message.
    (Bolt reads the argument names of the unwrapped `work`, functools.wraps, and passes them by name.)"""

    @functools.wraps(work)
    def run(**kwargs: Any) -> None:
        try:
            work(**kwargs)
        except Exception as e:
            body = kwargs.get("body") or {}
            log.exception("Listener %s failed for %s: %s", work.__name__, body.get("type"), e.__class__.__name__)

    return run


class Listeners:
    """Registers each listener with `app` as a lazy listener, and notes its name in `listening`."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.listening = Listening()

    def command(self, name: str, work: Listener) -> None:
        self.app.command(name)(ack=ack_at_once, lazy=[logged(work)])
        self.listening.commands.add(name)

    def shortcut(self, callback_id: str, work: Listener) -> None:
        self.app.shortcut(callback_id)(ack=ack_at_once, lazy=[logged(work)])
        self.listening.shortcuts.add(callback_id)

    def action(self, action_id: str, work: Listener) -> None:
        self.app.action(action_id)(ack=ack_at_once, lazy=[logged(work)])
        self.listening.actions.add(action_id)

    def event(self, name: str, work: Listener) -> None:
        self.app.event(name)(ack=ack_at_once, lazy=[logged(work)])
        self.listening.events.add(name)

    def view(self, callback_id: str, submit: Listener, then: Listener) -> None:
        """`submit` answers in its ack (field errors, or the modal closed once stored); `then` runs after."""
        self.app.view(callback_id)(ack=submit, lazy=[logged(then)])
        self.listening.views.add(callback_id)
