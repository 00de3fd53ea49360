"""The bot's context in Bolt's: each listener gets the process's one BotContext from here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext

from bot.core.context import BotContext

KEY = "bot"


class _Shared:
    """Holds the BotContext in a Bolt context. Bolt deep-copies the context of a request for each
    of its lazy listeners; the BotContext is the process's one (its engine, its clock, its team
    directory), so a copy of this holder holds the very same one."""

    __slots__ = ("ctx",)

    def __init__(self, ctx: BotContext) -> None:
        self.ctx = ctx

    def __deepcopy__(self, memo: dict[int, Any]) -> _Shared:
        return self


def inject(ctx: BotContext) -> Callable[..., Any]:
    """The middleware that puts `ctx` into every request's Bolt context."""

    def put_bot_context(context: BoltContext, next: Callable[[], Any]) -> Any:
        context[KEY] = _Shared(ctx)
        return next()

    return put_bot_context


def bot_of(context: BoltContext) -> BotContext:
    shared: _Shared = context[KEY]
    return shared.ctx
