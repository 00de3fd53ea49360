"""What a person asks of the disclosures register from Slack: one function per request.

As bot/complaints/requests.py: each takes the asker (`viewer`), has bot/access decide, and does
it with the BotContext's store and clock; the edge makes one such call per request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import access
from bot.core.errors import NotFound
from bot.disclosures import service
from bot.disclosures.inputs import NewDisclosure

if TYPE_CHECKING:
    from bot.core.context import BotContext
    from storage.models import Disclosure


def log_disclosure(
    ctx: BotContext, *, viewer: access.Viewer, data: NewDisclosure, view_id: str | None
) -> service.Logged:
    """Anyone in the workspace may log what a client was told."""
    return service.log_disclosure(
        session_factory=ctx.session_factory,
        data=data,
        logged_by=viewer.user_id,
        view_id=view_id,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )


def acknowledge(ctx: BotContext, *, viewer: access.Viewer, reference_text: str | None) -> Disclosure:
    reference = service.parse_reference(reference_text)
    access.disclosure_for(ctx, viewer, reference, action="disclosure acknowledge")
    return service.acknowledge(
        session_factory=ctx.session_factory, reference=reference, actor=viewer.user_id, now=ctx.clock.now()
    )


def chase_again(ctx: BotContext, *, viewer: access.Viewer, reference_text: str | None) -> Disclosure:
    reference = service.parse_reference(reference_text)
    access.disclosure_for(ctx, viewer, reference, action="disclosure chase")
    return service.chase_again(
        session_factory=ctx.session_factory,
        reference=reference,
        actor=viewer.user_id,
        now=ctx.clock.now(),
        policy=ctx.policy,
    )


def matter(ctx: BotContext, *, viewer: access.Viewer, matter_ref: str) -> service.MatterRecord:
    """The matter's record as `viewer` may see it: all of it for the team, their own part for anyone
    else. Nothing of theirs on it is refused like a matter that does not exist, so it says nothing."""
    try:
        with ctx.read_session_factory() as session:
            return service.matter_record(session=session, matter_ref=matter_ref, viewer=viewer)
    except NotFound:
        if viewer.team:
            raise
        raise access.refuse(ctx, viewer, "matter", matter_ref) from None
