"""The disclosures service and its chase timing, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.access import Viewer
from bot.complaints import service as complaints
from bot.core.errors import FieldErrors, NotFound, UserError
from bot.disclosures import messages as disclosure_messages
from bot.disclosures import service as disclosures
from bot.reminders.sweep import sweep
from handlers.modals.disclosure import parse_disclosure
from handlers.modals.intake import parse_intake
from storage.models import Disclosure, Event, Notification
from tests.factories import disclosure_values
from tests.fakes import intake_values

TODAY = date(2026, 11, 23)


def log(ctx, view_id=None, **overrides):
    data = parse_disclosure(disclosure_values(**overrides), today=ctx.today())
    logged = disclosures.log_disclosure(
        session_factory=ctx.session_factory,
        data=data,
        logged_by="UFEE",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
        view_id=view_id,
    )
    ctx.deliver(logged.notification_keys)
    return logged


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"content": "  "}, "content"),
        ({"matter_ref": None}, "matter_ref"),
        ({"client_name": ""}, "client_name"),
        ({"disclosed_on": "2026-11-24"}, "disclosed_on"),
        ({"kind": "gossip"}, "kind"),
        ({"disclosed_via": None}, "disclosed_via"),
        ({"ack_status": None}, "ack_status"),
        ({"follow_up_on": "2026-11-01"}, "follow_up_on"),
        ({"document_url": "not a link"}, "document_url"),
        ({"content": "x" * 3001}, "content"),
    ],
)
def test_bad_disclosure_input_names_the_field(overrides, field):
    with pytest.raises(FieldErrors) as e:
        parse_disclosure(disclosure_values(**overrides), today=TODAY)
    assert set(e.value.errors) == {field}


def test_follow_up_date_is_ignored_when_no_acknowledgement_is_awaited():
    data = parse_disclosure(disclosure_values(ack_status="acknowledged", follow_up_on="2026-11-01"), today=TODAY)
    assert data.follow_up_on is None


def test_logging_gives_a_reference_an_event_and_a_confirmation(ctx, notifier):
    d = log(ctx).disclosure
    assert d.reference == "DSC-2026-0001" and d.follow_up_on == date(2026, 11, 27)  # a week after disclosure
    assert [s.channel for s in notifier.sent] == ["UFEE"] and "DSC-2026-0001" in str(notifier.sent[0].blocks)
    with ctx.session_factory() as s:
        [event] = s.execute(select(Event).where(Event.disclosure_id == d.id, Event.kind == "disclosed")).scalars().all()
    assert event.actor == "UFEE" and event.data["kind"] == "costs_estimate"
    assert log(ctx).disclosure.reference == "DSC-2026-0002"
    # complaint numbering is separate
    data = parse_intake(intake_values(), today=ctx.today())
    c = complaints.log_complaint(
        session_factory=ctx.session_factory,
        data=data,
        reporter_id="U1",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    ).complaint
    assert c.reference == "CMP-2026-0001"


def test_same_modal_twice_stores_one_disclosure(ctx):
    assert log(ctx, view_id="V9").created and not log(ctx, view_id="V9").created
    with ctx.session_factory() as s:
        assert s.execute(select(func.count()).select_from(Disclosure)).scalar_one() == 1


def test_an_old_disclosure_not_yet_acknowledged_is_chased_today(ctx):
    d = log(ctx, disclosed_on="2026-10-01").disclosure
    assert d.follow_up_on == ctx.today()


def chases(report):
    return [x for x in report.sent if x.kind == "disclosure-chase"]


def test_chased_once_on_the_follow_up_date_then_again_only_when_asked(ctx, notifier):
    d = log(ctx, follow_up_on="2026-11-25").disclosure
    ctx.clock.set(datetime(2026, 11, 25, 8, 59, tzinfo=UTC))
    assert chases(sweep(ctx)) == []
    ctx.clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # 09:00 London
    assert len(chases(sweep(ctx))) == 1
    nudge = notifier.sent[-1]
    assert nudge.channel == "UFEE"
    buttons = [e["action_id"] for b in nudge.blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["disclosure_acknowledged", "disclosure_chase_again"]
    for _ in range(5):
        ctx.clock.advance(days=1)
        assert chases(sweep(ctx)) == []  # once per follow-up date

    d = disclosures.chase_again(
        session_factory=ctx.session_factory, reference=d.reference, actor="UFEE", now=ctx.clock.now(), policy=ctx.policy
    )
    assert d.follow_up_on == ctx.today() + timedelta(days=7)
    ctx.clock.advance(days=6)
    assert chases(sweep(ctx)) == []
    ctx.clock.set(datetime.combine(d.follow_up_on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9))
    assert len(chases(sweep(ctx))) == 1

    disclosures.acknowledge(
        session_factory=ctx.session_factory, reference=d.reference, actor="UFEE", now=ctx.clock.now()
    )
    with pytest.raises(UserError, match="not awaiting"):
        disclosures.acknowledge(
            session_factory=ctx.session_factory, reference=d.reference, actor="UFEE", now=ctx.clock.now()
        )
    with pytest.raises(UserError, match="nothing to chase"):
        disclosures.chase_again(
            session_factory=ctx.session_factory,
            reference=d.reference,
            actor="UFEE",
            now=ctx.clock.now(),
            policy=ctx.policy,
        )
    ctx.clock.advance(days=30)
    assert chases(sweep(ctx)) == []


def test_acknowledged_or_not_needed_is_never_chased(ctx):
    log(ctx, ack_status="acknowledged")
    log(ctx, ack_status="not_needed")
    ctx.clock.advance(days=60)
    assert chases(sweep(ctx)) == []


def test_acknowledging_cancels_a_chase_that_could_not_be_sent(ctx, notifier):
    from bot.outbox.notifier import SendFailed

    d = log(ctx, follow_up_on="2026-11-23").disclosure
    notifier.fail_next(SendFailed("Slack answered 500"))
    ctx.clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    assert sweep(ctx).failed
    disclosures.acknowledge(
        session_factory=ctx.session_factory, reference=d.reference, actor="UFEE", now=ctx.clock.now()
    )
    ctx.clock.advance(hours=2)
    assert sweep(ctx).deliveries == []
    with ctx.session_factory() as s:
        row = s.execute(select(Notification).where(Notification.kind == "disclosure-chase")).scalar_one()
    assert row.cancelled_at is not None and row.sent_at is None


def test_old_costs_estimate_is_flagged_in_the_chase(ctx, notifier):
    log(ctx, disclosed_on="2026-07-01", ack_status="acknowledged")  # 145 days old
    log(ctx, kind="risk", content="Litigation risk explained.", follow_up_on="2026-11-24")
    ctx.clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    sweep(ctx)
    chase = notifier.sent[-1]
    assert "latest costs estimate on M-1001 is from 1 Jul 2026" in str(chase.blocks)


def test_the_chase_flags_only_a_costs_estimate_its_recipient_may_see(ctx, notifier):
    from bot.team import TeamDirectory

    data = parse_disclosure(disclosure_values(disclosed_on="2026-07-01", ack_status="acknowledged"), today=ctx.today())
    disclosures.log_disclosure(
        session_factory=ctx.session_factory,
        data=data,
        logged_by="UCOLLEAGUE",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    log(ctx, kind="risk", content="Litigation risk explained.", follow_up_on="2026-11-24")
    ctx.clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    sweep(ctx)
    # UFEE is not in the team: a colleague's estimate is not theirs to see, nor its date.
    chase = notifier.to("UFEE")[-1]
    assert "has not yet acknowledged" in chase.text and "costs estimate" not in str(chase.blocks)

    ctx.team = TeamDirectory(lambda channel: ["UFEE"], "CTRIAGE01", ctx.clock)
    disclosures.chase_again(
        session_factory=ctx.session_factory,
        reference="DSC-2026-0002",
        actor="UFEE",
        now=ctx.clock.now(),
        policy=ctx.policy,
    )
    ctx.clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    sweep(ctx)
    assert "latest costs estimate on M-1001 is from 1 Jul 2026" in str(notifier.to("UFEE")[-1].blocks)


def test_recent_costs_estimate_is_not_flagged(ctx, notifier):
    log(ctx, disclosed_on="2026-11-01", ack_status="acknowledged")
    log(ctx, kind="risk", content="Risk.", follow_up_on="2026-11-24")
    ctx.clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    sweep(ctx)
    assert "costs estimate" not in str(notifier.sent[-1].blocks)


def test_triage_alert_tells_what_the_matter_has_on_record(ctx, notifier):
    log(ctx, kind="timeline", content="Completion expected in March.")
    notifier.sent.clear()
    data = parse_intake(intake_values(category="costs"), today=ctx.today())
    complaints.log_complaint(
        session_factory=ctx.session_factory,
        data=data,
        reporter_id="U1",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    ctx.deliver()
    alert = str(notifier.to("CTRIAGE01")[-1].blocks)
    assert "Disclosures on record for M-1001" in alert and "Timeline (20 Nov 2026)" in alert
    assert "costs / billing complaint and there is no costs estimate or costs estimate revised disclosure" in alert


def test_triage_alert_without_matter_says_it_cannot_check():
    assert "cannot be checked" in disclosure_messages.disclosure_note(None, "costs", {})


def test_matter_record_merges_complaints_and_disclosures(ctx):
    log(ctx, disclosed_on="2026-11-01")
    data = parse_intake(intake_values(received_on="2026-11-20"), today=ctx.today())
    complaints.log_complaint(
        session_factory=ctx.session_factory,
        data=data,
        reporter_id="U1",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    team = Viewer("ULEAD", team=True)
    with ctx.session_factory() as s:
        record = disclosures.matter_record(session=s, matter_ref="M-1001", viewer=team)
        with pytest.raises(NotFound, match="M-9999"):
            disclosures.matter_record(session=s, matter_ref="M-9999", viewer=team)
    text, body = disclosure_messages.matter_timeline(record, tz=ctx.tz)
    rendered = str(body)
    assert rendered.index("DSC-2026-0001") < rendered.index("CMP-2026-0001")  # told before complaining


def test_list_filters_by_matter_and_show_rejects_unknown_reference(ctx):
    log(ctx)
    log(ctx, matter_ref="M-2002")
    team = Viewer("ULEAD", team=True)
    assert disclosures.list_disclosures(ctx=ctx, viewer=team, matter_ref="M-2002").total == 1
    assert disclosures.list_disclosures(ctx=ctx, viewer=team, matter_ref=None).total == 2
    assert disclosures.list_disclosures(ctx=ctx, viewer=Viewer("UOUTSIDER", team=False), matter_ref=None).total == 0
    with ctx.session_factory() as s, pytest.raises(NotFound):
        disclosures.get_disclosure(session=s, reference="DSC-2026-0042")
    with pytest.raises(UserError, match="look like DSC-2026-0001"):
        disclosures.parse_reference("CMP-2026-0001")
