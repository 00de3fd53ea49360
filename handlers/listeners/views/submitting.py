"""What every modal submission shares: the answer in the ack, and the messages after it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext

from bot import access
from bot.core.context import BotContext
from bot.core.errors import FieldErrors, UserError
from handlers.context import bot_of
from handlers.replies import publish_home

log = logging.getLogger(__name__)

# Set by a submission that stored something: the keys of the messages it recorded, for after_submit.
# (Bolt hands each lazy listener a copy of the request's context as the ack function left it.)
STORED = "stored_notification_keys"

NOT_STORED = "It could not be saved just now; nothing was stored. Please submit again."
NOT_CHANGED = "It could not be saved just now; nothing was changed. Please submit again."


def submit(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    context: BoltContext,
    *,
    store: Callable[[BotContext, access.Viewer], Any],
    error_field: str,
    failure: str,
    answer: Callable[[Any], dict[str, Any]] | None = None,
) -> None:
    """Run `store(ctx, viewer)` (it parses the modal's values and makes one service call) and answer:
    field errors and refusals stay in the modal, under `error_field` when not a field's own; if
    storing fails the modal stays open with `failure`, so the person keeps what they typed; once
    stored, the modal closes (or, with `answer`, shows the view it makes of the result) and
    after_submit sends what was recorded."""
    ctx = bot_of(context)
    try:
        result = store(ctx, access.viewer(ctx, body["user"]["id"]))
    except FieldErrors as e:
        ack(response_action="errors", errors=e.errors)
        return
    except UserError as e:
        ack(response_action="errors", errors={error_field: str(e)})
        return
    except Exception:
        log.exception("Saving %s failed", view.get("callback_id"))
        ack(response_action="errors", errors={error_field: failure})
        return
    context[STORED] = tuple(result.notification_keys)
    if answer is None:
        ack()
    else:
        ack(response_action="update", view=answer(result))


def after_submit(body: dict[str, Any], context: BoltContext) -> None:
    """After the modal closed: send what the submission recorded, and refresh the person's Home."""
    keys = context.get(STORED)
    if keys is None:  # the submission answered with errors: nothing was stored
        return
    ctx = bot_of(context)
    ctx.deliver(keys)
    publish_home(ctx, context.client, body["user"]["id"])
