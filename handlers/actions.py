"""Buttons."""

from __future__ import annotations

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot import blocks, complaints, ids
from bot.app import bot_of
from bot.errors import UserError


def register(registry) -> None:
    registry.action(ids.ACTION_TRIAGE, open_triage)


def open_triage(ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    ctx = bot_of(context)
    try:
        reference = complaints.parse_reference(action.get("value"))
        with ctx.session_factory() as session:
            complaint = complaints.get_complaint(session=session, reference=reference)
        view = blocks.triage_modal(complaint, tz=ctx.tz, today=ctx.today())
    except UserError as e:
        view = blocks.notice_modal("Complaint", str(e))
    client.views_open(trigger_id=body["trigger_id"], view=view)
