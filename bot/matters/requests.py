"""What a person asks of matters from Slack: one function per request.

As bot/disclosures/requests.py: each takes the asker (`viewer`), has bot/access decide, and does
it with the BotContext's store and clock; the edge makes one such call per request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import access
from bot.complaints import requests as complaint_requests
from bot.complaints import service as complaints
from bot.complaints.inputs import NewComplaint
from bot.matters import care, costs, service
from bot.matters.inputs import ClientUpdateToLog, DisclosureToLog, HeldUntil, NewMatter

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.core.context import BotContext
    from storage.models import Complaint, Matter


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


# --- client care (bot/matters/care.py) ---


def care_form(ctx: BotContext, *, viewer: access.Viewer, matter_ref_text: str | None, action: str) -> Matter:
    """The matter whose client update, snooze or dormancy `viewer` is about to record (`/matter
    update`, or a check-in nudge's button, opens the form)."""
    matter_ref = service.parse_matter_ref(matter_ref_text, sub="update")
    matter = access.matter_for(ctx, viewer, matter_ref, action=action)
    care.check_care_open(matter)
    return matter


def log_update(
    ctx: BotContext, *, viewer: access.Viewer, matter_ref_text: str | None, data: ClientUpdateToLog, view_id: str | None
) -> care.UpdateLogged:
    matter_ref = service.parse_matter_ref(matter_ref_text, sub="update")
    access.matter_for(ctx, viewer, matter_ref, action="matter update")
    return care.log_update(
        session_factory=ctx.session_factory,
        matter_ref=matter_ref,
        data=data,
        actor=viewer.user_id,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.matter_policy,
        view_id=view_id,
    )


def hold_check_in(
    ctx: BotContext,
    *,
    viewer: access.Viewer,
    matter_ref_text: str | None,
    how: care.Hold,
    data: HeldUntil,
    view_id: str | None,
) -> care.CheckInHeld:
    """The check-in snoozed, or the matter dormant (`how`), from its modal."""
    matter_ref = service.parse_matter_ref(matter_ref_text, sub="update")
    access.matter_for(ctx, viewer, matter_ref, action=f"matter {how.value}")
    return care.hold_check_in(
        session_factory=ctx.session_factory,
        matter_ref=matter_ref,
        how=how,
        data=data,
        actor=viewer.user_id,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.matter_policy,
        view_id=view_id,
    )


def _prompted_for(ctx: BotContext, viewer: access.Viewer, value: str | None, action: str) -> care.Prompted:
    """The client update a complaint prompt names (the update's event id), if `viewer` may see its matter."""
    event_id = care.parse_update_event_id(value)
    with ctx.read_session_factory() as session:
        prompted = care.prompted_update(session, update_event_id=event_id)
    access.matter_for(ctx, viewer, prompted.matter_ref, action=action)
    return prompted


def complaint_prompt(ctx: BotContext, *, viewer: access.Viewer, value: str | None, action: str) -> care.Prompted:
    """The client update a complaint prompt's button names (its value: the update's event id), if
    `viewer` may see its matter and it is not answered yet; else a UserError saying why."""
    prompted = _prompted_for(ctx, viewer, value, action)
    care.refuse_if_answered(prompted, ctx.tz)
    return prompted


def not_a_complaint(
    ctx: BotContext, *, viewer: access.Viewer, update_event_id: object, reason: str | None, view_id: str | None
) -> care.NotAComplaint:
    """The modal opened by a complaint prompt's **Not a complaint**: the answer, with its reason,
    on the update's matter (only the first answer counts; a retry of the same modal stores once)."""
    prompted = _prompted_for(ctx, viewer, str(update_event_id), "matter not a complaint")
    return care.not_a_complaint(
        session_factory=ctx.session_factory,
        update_event_id=prompted.update_event_id,
        reason=reason,
        actor=viewer.user_id,
        now=ctx.clock.now(),
        tz=ctx.tz,
        view_id=view_id,
    )


def log_as_complaint(
    ctx: BotContext, *, viewer: access.Viewer, data: NewComplaint, view_id: str | None, update_event_id: object
) -> complaints.Logged:
    """The intake modal opened by a complaint prompt's **Log as complaint**: the complaint logged as
    any other and, in its transaction, the answer on the update's matter (only the first counts)."""
    event_id = _prompted_for(ctx, viewer, str(update_event_id), "matter log as complaint").update_event_id
    now = ctx.clock.now()

    def answer(session: Session, complaint: Complaint) -> None:
        care.record_answer(
            session,
            update_event_id=event_id,
            answer=care.COMPLAINT,
            actor=viewer.user_id,
            now=now,
            tz=ctx.tz,
            complaint=complaint.reference,
        )

    return complaint_requests.log_complaint(ctx, viewer=viewer, data=data, view_id=view_id, and_then=answer)
