"""What a person asks of matters from Slack: one function per request.

As bot/disclosures/requests.py: each takes the asker (`viewer`), has bot/access decide, and does
it with the BotContext's store and clock; the edge makes one such call per request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import access
from bot.matters import costs, service
from bot.matters.inputs import DisclosureToLog, NewMatter

if TYPE_CHECKING:
    from bot.core.context import BotContext
    from storage.models import Matter


def open_matter(ctx: BotContext, *, viewer: access.Viewer, data: NewMatter) -> service.Opened:
    """Anyone may open a matter, or set up one a complaint or a disclosure named first."""
    access.may_open_matter(ctx, viewer, data.matter_ref)
    return service.open_matter(
        session_factory=ctx.session_factory,
        data=data,
        actor=viewer.user_id,
        now=ctx.clock.now(),
        currency=ctx.settings.currency,
    )


def show(ctx: BotContext, *, viewer: access.Viewer, matter_ref_text: str | None) -> service.MatterView:
    matter_ref = service.parse_matter_ref(matter_ref_text, sub="show")
    access.matter_for(ctx, viewer, matter_ref, action="matter show")
    with ctx.read_session_factory() as session:
        return service.matter_view(
            session=session,
            matter_ref=matter_ref,
            viewer=viewer,
            settings=ctx.settings,
            policy=ctx.matter_policy,
            now=ctx.clock.now(),
        )


def close(ctx: BotContext, *, viewer: access.Viewer, matter_ref_text: str | None) -> Matter:
    matter_ref = service.parse_matter_ref(matter_ref_text, sub="close")
    access.matter_for(ctx, viewer, matter_ref, action="matter close")
    return service.close_matter(
        session_factory=ctx.session_factory, matter_ref=matter_ref, actor=viewer.user_id, now=ctx.clock.now()
    )


def costs_form(ctx: BotContext, *, viewer: access.Viewer, matter_ref_text: str | None) -> Matter:
    """The matter whose costs to date `viewer` is about to record (its button opens the form)."""
    matter_ref = service.parse_matter_ref(matter_ref_text, sub="costs")
    matter = access.matter_for(ctx, viewer, matter_ref, action="matter costs")
    costs.check_costs_open(matter)
    return matter


def record_costs(
    ctx: BotContext, *, viewer: access.Viewer, matter_ref_text: str | None, amount_text: str | None
) -> costs.CostsRecorded:
    """`/matter costs M-1001 12500`, or its form: the costs to date, in the firm's CURRENCY."""
    matter_ref = service.parse_matter_ref(matter_ref_text, sub="costs")
    access.matter_for(ctx, viewer, matter_ref, action="matter costs")
    amount = costs.parse_costs(amount_text, currency=ctx.settings.currency)
    return costs.record_costs(
        session_factory=ctx.session_factory,
        matter_ref=matter_ref,
        costs_to_date=amount,
        actor=viewer.user_id,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.matter_policy,
    )


def disclosure_form(ctx: BotContext, *, viewer: access.Viewer, value: str | None) -> tuple[Matter, DisclosureToLog]:
    """A matter's **Log disclosure** button (`M-1001|risk`): the matter, and what to prefill."""
    wanted = DisclosureToLog.parse(value)
    return access.matter_for(ctx, viewer, wanted.matter_ref, action="matter log disclosure"), wanted
