"""What a person asks of the complaints from Slack: one function per request.

Each takes the asker (`viewer`), has bot/access decide whether they may (the one place that
decides), and does it with the store, clock, settings and policy of the BotContext. The edge
(handlers/) makes one of these calls per request, with plain values, and holds no access rule
and no session. The functions they call (bot/complaints/service.py, bot/records/retention.py)
take what they need one by one, for the command line and the tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import access
from bot.complaints import details, holding, referral, service
from bot.complaints.inputs import (
    AcknowledgementInput,
    ClientUpdateInput,
    HoldingResponseInput,
    NewComplaint,
    ResolutionInput,
    SnoozeInput,
    TriageInput,
)
from bot.records import retention

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session

    from bot.core.context import BotContext
    from storage.models import Complaint

# What each change is called in its refusal when the complaint is resolved ("… before snoozing it").
_ONLY_WHILE_OPEN: dict[access.ComplaintAction, str] = {
    "client_update": "logging an update",
    "snooze": "snoozing it",
    "holding_response": holding.DOING,
    "resolve": "resolving it again",
}

# What the ombudsman's stages need of the complaint and the scheme before their modal opens.
_OMBUDSMAN_STAGE = {"refer": referral.require_referable, "ombudsman_decision": referral.require_referred}


def complaint_to_change(
    ctx: BotContext, *, viewer: access.Viewer, reference_text: str | None, action: access.ComplaintAction
) -> Complaint:
    """The complaint a modal for `action` opens on: its reference read, `viewer` allowed, and still
    open if `action` needs it open. A UserError says why not."""
    reference = service.parse_reference(reference_text)
    complaint = access.complaint_for(ctx, viewer, reference, action=action)
    if action in _ONLY_WHILE_OPEN:
        service.require_open(complaint, _ONLY_WHILE_OPEN[action])
    if action in _OMBUDSMAN_STAGE:
        _OMBUDSMAN_STAGE[action](complaint, ctx.settings.rulebook)
    return complaint


def log_complaint(
    ctx: BotContext,
    *,
    viewer: access.Viewer,
    data: NewComplaint,
    view_id: str | None,
    and_then: Callable[[Session, Complaint], None] | None = None,
) -> service.Logged:
    """Anyone in the workspace may log a complaint (`and_then`: what logging it answers, in its
    transaction; see service.log_complaint)."""
    return service.log_complaint(
        session_factory=ctx.session_factory,
        data=data,
        reporter_id=viewer.user_id,
        view_id=view_id,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
        and_then=and_then,
    )


def record_acknowledgement(
    ctx: BotContext, *, viewer: access.Viewer, reference: str, data: AcknowledgementInput
) -> service.Changed:
    reference = service.parse_reference(reference)
    access.complaint_for(ctx, viewer, reference, action="acknowledge")
    return service.record_acknowledgement(
        session_factory=ctx.session_factory,
        reference=reference,
        data=data,
        actor=viewer.user_id,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )


def triage(ctx: BotContext, *, viewer: access.Viewer, reference: str, data: TriageInput) -> service.Triaged:
    reference = service.parse_reference(reference)
    access.complaint_for(ctx, viewer, reference, action="triage")
    return service.triage_complaint(
        session_factory=ctx.session_factory,
        reference=reference,
        data=data,
        actor=viewer.user_id,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
        people=ctx.team.is_person,
    )


def log_client_update(
    ctx: BotContext, *, viewer: access.Viewer, reference: str, data: ClientUpdateInput
) -> service.Changed:
    reference = service.parse_reference(reference)
    access.complaint_for(ctx, viewer, reference, action="client_update")
    return service.log_client_update(
        session_factory=ctx.session_factory,
        reference=reference,
        data=data,
        actor=viewer.user_id,
        now=ctx.clock.now(),
        policy=ctx.policy,
    )


def snooze(ctx: BotContext, *, viewer: access.Viewer, reference: str, data: SnoozeInput) -> service.Changed:
    reference = service.parse_reference(reference)
    access.complaint_for(ctx, viewer, reference, action="snooze")
    return service.snooze(
        session_factory=ctx.session_factory, reference=reference, data=data, actor=viewer.user_id, now=ctx.clock.now()
    )


def record_holding_response(
    ctx: BotContext, *, viewer: access.Viewer, reference: str, data: HoldingResponseInput, view_id: str | None
) -> holding.HoldingRecorded:
    reference = service.parse_reference(reference)
    access.complaint_for(ctx, viewer, reference, action="holding_response")
    return holding.record_holding_response(
        session_factory=ctx.session_factory,
        reference=reference,
        data=data,
        actor=viewer.user_id,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
        view_id=view_id,
    )


def resolve(ctx: BotContext, *, viewer: access.Viewer, reference: str, data: ResolutionInput) -> service.Changed:
    reference = service.parse_reference(reference)
    access.complaint_for(ctx, viewer, reference, action="resolve")
    return service.resolve(
        session_factory=ctx.session_factory,
        reference=reference,
        data=data,
        actor=viewer.user_id,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )


def change_details(
    ctx: BotContext, *, viewer: access.Viewer, reference: str, data: details.ClientDetails
) -> details.DetailsChanged:
    """The client's details, open or resolved: the team and the handler."""
    reference = service.parse_reference(reference)
    access.complaint_for(ctx, viewer, reference, action="details")
    return details.change_details(
        session_factory=ctx.session_factory,
        reference=reference,
        data=data,
        actor=viewer.user_id,
        now=ctx.clock.now(),
        products=ctx.settings.product_groups,
    )


def reopen(ctx: BotContext, *, viewer: access.Viewer, reference_text: str) -> service.Changed:
    reference = service.parse_reference(reference_text)
    access.complaint_for(ctx, viewer, reference, action="reopen")
    return service.reopen(
        session_factory=ctx.session_factory,
        reference=reference,
        actor=viewer.user_id,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )


def place_hold(ctx: BotContext, *, viewer: access.Viewer, reference_text: str, reason: str) -> Complaint:
    reference = service.parse_reference(reference_text)
    access.complaint_for(ctx, viewer, reference, action="hold")
    return retention.place_hold(
        session_factory=ctx.session_factory,
        reference=reference,
        actor=viewer.user_id,
        reason=reason,
        now=ctx.clock.now(),
        tz=ctx.tz,
    )


def release_hold(ctx: BotContext, *, viewer: access.Viewer, reference_text: str) -> Complaint:
    reference = service.parse_reference(reference_text)
    access.complaint_for(ctx, viewer, reference, action="release")
    return retention.release_hold(
        session_factory=ctx.session_factory, reference=reference, actor=viewer.user_id, now=ctx.clock.now()
    )


def record_referral(
    ctx: BotContext, *, viewer: access.Viewer, reference: str, data: referral.ReferralInput
) -> referral.Recorded:
    reference = service.parse_reference(reference)
    access.complaint_for(ctx, viewer, reference, action="refer")
    return referral.record_referral(
        session_factory=ctx.session_factory,
        reference=reference,
        data=data,
        actor=viewer.user_id,
        now=ctx.clock.now(),
        settings=ctx.settings,
    )


def record_ombudsman_decision(
    ctx: BotContext, *, viewer: access.Viewer, reference: str, data: referral.DecisionInput
) -> referral.Recorded:
    reference = service.parse_reference(reference)
    access.complaint_for(ctx, viewer, reference, action="ombudsman_decision")
    return referral.record_decision(
        session_factory=ctx.session_factory,
        reference=reference,
        data=data,
        actor=viewer.user_id,
        now=ctx.clock.now(),
        settings=ctx.settings,
    )
