"""Retention for matters, on both databases: a closed matter is purged RETENTION_YEARS after it was
closed, once no complaint or disclosure naming it is kept; the dry run lists it; a repeat does nothing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.complaints import service as complaints
from bot.core.vocabulary import ClientMood, EventKind, UpdateVia
from bot.disclosures import service as disclosures
from bot.matters import care
from bot.matters import service as matters
from bot.matters.inputs import ClientUpdateToLog, NewMatter
from bot.matters.naming import opened_key
from bot.records import retention
from bot.records.retention import REMOVED
from handlers.modals.disclosure import parse_disclosure
from handlers.modals.intake import parse_intake
from storage.models import Complaint, Disclosure, Event, Matter, Notification
from tests.conftest import T0
from tests.factories import (
    answer_not_a_complaint,
    disclosure_values,
    hold_matter_check_in,
    log_matter_update,
    resolved_complaint,
    set_up_matter,
    the_matter,
)
from tests.fakes import intake_values

LONDON = ZoneInfo("Europe/London")
# T0 is Monday 23 Nov 2026 09:30 in London (GMT, so = UTC). With RETENTION_YEARS=6 the cutoff is the
# start of 23 Nov 2020 in London, 00:00 UTC: a matter closed before it is due tonight.
CUTOFF = datetime(2020, 11, 23, 0, 0, tzinfo=UTC)


def purge(ctx) -> retention.PurgeReport:
    return retention.purge(session_factory=ctx.session_factory, now=ctx.clock.now(), settings=ctx.settings)


def open_complaint(ctx, logged_at: datetime, matter_ref: str) -> str:
    ctx.clock.set(logged_at)
    data = parse_intake(intake_values(received_on=ctx.today().isoformat(), matter_ref=matter_ref), today=ctx.today())
    return complaints.log_complaint(
        session_factory=ctx.session_factory,
        data=data,
        reporter_id="UREPORTER",
        now=logged_at,
        settings=ctx.settings,
        policy=ctx.policy,
    ).complaint.reference


def disclosure(ctx, disclosed_on: date, matter_ref: str) -> str:
    ctx.clock.set(datetime.combine(disclosed_on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=10))
    values = disclosure_values(matter_ref=matter_ref, disclosed_on=disclosed_on.isoformat())
    return disclosures.log_disclosure(
        session_factory=ctx.session_factory,
        data=parse_disclosure(values, today=ctx.today()),
        logged_by="UFEE",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    ).disclosure.reference


def hold(ctx, reference: str) -> None:
    retention.place_hold(
        session_factory=ctx.session_factory,
        reference=reference,
        actor="ULEAD",
        reason="Claim issued; keep everything.",
        now=ctx.clock.now(),
    )


def closed_matter(ctx, ref: str, closed_at: datetime, *, what: str | None = "Completion of the sale") -> Matter:
    """A matter set up a year before `closed_at` and closed then; the clock is left at `closed_at`."""
    opened_at = closed_at - timedelta(days=365)
    ctx.clock.set(opened_at)
    matters.open_matter(
        session_factory=ctx.session_factory,
        data=NewMatter(
            matter_ref=ref,
            client_name="Jane Client",
            responsible_id="ULAWYER",
            supervisor_id="UPARTNER",
            area="conveyancing",
            opened_on=opened_at.date(),
            next_key_date=opened_at.date() + timedelta(days=60),
            next_key_date_what=what,
        ),
        actor="ULAWYER",
        now=opened_at,
    )
    ctx.clock.set(closed_at)
    return matters.close_matter(session_factory=ctx.session_factory, matter_ref=ref, actor="ULAWYER", now=closed_at)


def matter_events(ctx, ref: str) -> list[Event]:
    with ctx.session_factory() as s:
        m = s.execute(select(Matter).where(Matter.matter_ref == ref)).scalar_one()
        return list(s.execute(select(Event).where(Event.matter_id == m.id).order_by(Event.id)).scalars())


def snapshot(ctx) -> list:
    rows = []
    with ctx.session_factory() as s:
        for model in (Complaint, Disclosure, Matter, Event, Notification):
            table = model.__table__
            rows.append([tuple(r) for r in s.execute(select(table).order_by(table.c.id)).all()])
    return rows


def due(ctx) -> list[retention.Due]:
    with ctx.session_factory() as s:
        return retention.due_for_purge(session=s, now=ctx.clock.now(), settings=ctx.settings)


def test_a_matter_closed_more_than_the_retention_period_ago_is_purged_and_one_closed_a_day_later_is_not(ctx):
    over = "M-OVER"
    closed_matter(ctx, over, CUTOFF - timedelta(seconds=1))  # 22 Nov 2020 23:59:59 London: six years are up
    on_the_day = "M-ON-THE-DAY"
    closed_matter(ctx, on_the_day, CUTOFF)  # 23 Nov 2020 00:00 London: its six years end tonight
    ctx.clock.set(T0)

    report = purge(ctx)

    assert report.references == [over] and report.held_back == 0
    kept = the_matter(ctx, on_the_day)
    assert kept.purged_at is None and kept.client_name == "Jane Client"
    assert kept.next_key_date_what == "Completion of the sale"
    ctx.clock.advance(days=1)  # 24 Nov 2026: the cutoff is now 24 Nov 2020 00:00
    assert purge(ctx).references == [on_the_day]


def test_the_purge_removes_the_client_and_keeps_the_matters_facts(ctx):
    closed_at = T0 - timedelta(days=7 * 365)
    before = closed_matter(ctx, "M-OLD", closed_at)
    without_what = closed_matter(ctx, "M-NO-WHAT", closed_at, what=None)
    with ctx.session_factory() as s:
        outbox = s.execute(select(Notification).where(Notification.dedupe_key == opened_key("M-OLD"))).scalar_one()
    assert "Jane Client" in json.dumps([outbox.text, outbox.blocks]) and outbox.sent_at is None  # not delivered
    events_before = matter_events(ctx, "M-OLD")
    ctx.clock.set(T0)

    purge(ctx)

    after = the_matter(ctx, "M-OLD")
    assert (after.client_name, after.next_key_date_what, after.purged_at) == (REMOVED, REMOVED, T0)
    assert the_matter(ctx, without_what.matter_ref).next_key_date_what is None  # nothing there, nothing claimed
    kept = (
        "matter_ref",
        "responsible_id",
        "supervisor_id",
        "area",
        "opened_on",
        "update_cadence_days",
        "next_key_date",
        "status",
        "closed_at",
        "closed_by",
        "set_up",
        "created_at",
    )
    assert {k: getattr(after, k) for k in kept} == {k: getattr(before, k) for k in kept}
    events_after = matter_events(ctx, "M-OLD")
    assert [(e.id, e.kind, e.at, e.data) for e in events_after[:-1]] == [
        (e.id, e.kind, e.at, e.data) for e in events_before
    ]
    last = events_after[-1]
    assert (last.kind, last.actor, last.at, last.complaint_id, last.disclosure_id) == (
        EventKind.PURGED,
        "retention",
        T0,
        None,
        None,
    )
    assert last.data == {"retention_years": 6, "closed_at": closed_at.isoformat()}
    with ctx.session_factory() as s:
        scrubbed = s.execute(select(Notification).where(Notification.dedupe_key == opened_key("M-OLD"))).scalar_one()
    assert scrubbed.text == REMOVED and scrubbed.blocks is None
    assert scrubbed.sent_at is None and scrubbed.cancelled_at == T0  # so the placeholder never goes out


def test_the_purge_removes_what_client_care_recorded(ctx):
    closed_at = T0 - timedelta(days=7 * 365)
    opened_at = closed_at - timedelta(days=365)
    ctx.clock.set(opened_at)
    set_up_matter(ctx, matter_ref="M-OLD", opened_on=opened_at.date())
    ctx.clock.advance(days=20)
    logged = log_matter_update(
        ctx,
        ClientUpdateToLog(
            on=ctx.today(),
            via=UpdateVia.PHONE,
            told="Jane says the delay has cost her the chain.",
            mood=ClientMood.UNHAPPY,
            next_step="Call Jane's buyer's solicitor.",
        ),
        matter_ref="M-OLD",
    )
    hold_matter_check_in(
        ctx, care.Hold.SNOOZE, ctx.today() + timedelta(days=7), "Jane is in hospital this week.", matter_ref="M-OLD"
    )
    answer_not_a_complaint(ctx, logged.event_id, reason="Jane only asked when the chain would complete.", view_id="VN1")
    ctx.clock.set(closed_at)
    matters.close_matter(session_factory=ctx.session_factory, matter_ref="M-OLD", actor="ULAWYER", now=closed_at)
    [prompt_key] = logged.notification_keys
    ctx.clock.set(T0)

    assert purge(ctx).references == ["M-OLD"]

    after = the_matter(ctx, "M-OLD")
    assert (after.snooze_reason, after.last_update_on, after.unhappy_on) == (REMOVED, logged.on, logged.on)
    by_kind = {e.kind: e.data for e in matter_events(ctx, "M-OLD")}
    assert by_kind[EventKind.MATTER_CLIENT_UPDATE] == {
        "on": logged.on.isoformat(),
        "via": "phone",
        "mood": "unhappy",
        "told": REMOVED,
        "next_step": REMOVED,
    }
    assert by_kind[EventKind.MATTER_SNOOZED]["reason"] == REMOVED
    # Why it was not a complaint goes; that it was answered, and which update it answered, stay.
    assert by_kind[EventKind.MATTER_COMPLAINT_ANSWERED] == {
        "update_event_id": logged.event_id,
        "answer": "not_a_complaint",
        "reason": REMOVED,
        "view_id": "VN1",
    }
    assert "Jane" not in json.dumps(list(by_kind.values()))
    with ctx.session_factory() as s:
        prompt = s.execute(select(Notification).where(Notification.dedupe_key == prompt_key)).scalar_one()
    assert (prompt.text, prompt.blocks, prompt.cancelled_at) == (REMOVED, None, T0)


def test_open_and_not_set_up_matters_are_left_alone(ctx):
    ctx.clock.set(T0 - timedelta(days=8 * 365))
    matters.open_matter(
        session_factory=ctx.session_factory,
        data=NewMatter(
            matter_ref="M-STILL-OPEN",
            client_name="Jane Client",
            responsible_id="ULAWYER",
            area="conveyancing",
            opened_on=ctx.clock.now().date(),
        ),
        actor="ULAWYER",
        now=ctx.clock.now(),
    )
    # A disclosure made seven years ago names a new matter (not set up); the disclosure goes, the matter stays.
    gone = disclosure(ctx, date(2019, 5, 1), "M-NAMED")
    ctx.clock.set(T0)

    assert purge(ctx).references == [gone]
    assert (
        the_matter(ctx, "M-STILL-OPEN").purged_at is None
        and the_matter(ctx, "M-STILL-OPEN").client_name == "Jane Client"
    )
    named = the_matter(ctx, "M-NAMED")
    assert named.purged_at is None and named.set_up is False and named.client_name is None


def test_a_matter_is_kept_while_a_complaint_or_disclosure_naming_it_is_kept(ctx):
    old = T0 - timedelta(days=7 * 365)
    closed_matter(ctx, "M-OPEN-COMPLAINT", old)
    open_complaint(ctx, T0 - timedelta(days=30), matter_ref="M-OPEN-COMPLAINT")
    closed_matter(ctx, "M-RECENT-COMPLAINT", old)
    resolved_complaint(ctx, T0 - timedelta(days=365), matter_ref="M-RECENT-COMPLAINT")  # kept five more years
    closed_matter(ctx, "M-HELD", old)
    held = resolved_complaint(ctx, T0 - timedelta(days=8 * 365), matter_ref="M-HELD")
    hold(ctx, held)
    closed_matter(ctx, "M-RECENT-DISCLOSURE", old)
    disclosure(ctx, date(2021, 5, 1), "M-RECENT-DISCLOSURE")  # after the cutoff day, 23 Nov 2020
    closed_matter(ctx, "M-GOES-TONIGHT", old)
    goes = resolved_complaint(ctx, T0 - timedelta(days=8 * 365), matter_ref="M-GOES-TONIGHT")
    old_disclosure = disclosure(ctx, date(2019, 5, 1), "M-GOES-TONIGHT")
    ctx.clock.set(T0)
    listed = [d.reference for d in due(ctx)]

    report = purge(ctx)

    # The complaint and the disclosure go first, and free their matter the same night.
    assert report.references == listed == [goes, old_disclosure, "M-GOES-TONIGHT"]
    assert report.held_back == 2  # the held complaint and its matter
    for ref in ("M-OPEN-COMPLAINT", "M-RECENT-COMPLAINT", "M-HELD", "M-RECENT-DISCLOSURE"):
        kept = the_matter(ctx, ref)
        assert kept.purged_at is None and kept.client_name == "Jane Client", ref
    assert the_matter(ctx, "M-GOES-TONIGHT").client_name == REMOVED


def test_the_dry_run_lists_the_matter_and_writes_nothing(ctx):
    closed_at = datetime(2019, 6, 30, 23, 30, tzinfo=UTC)  # 1 July 2019 00:30 in London (BST)
    closed_matter(ctx, "M-DUE", closed_at)
    closed_matter(ctx, "M-NOT-YET", CUTOFF)
    ctx.clock.set(T0)
    before = snapshot(ctx)
    with ctx.session_factory() as s:
        held = retention.held_back(session=s, now=T0, settings=ctx.settings)

    listed = due(ctx)

    assert snapshot(ctx) == before and held == 0
    assert [(d.reference, d.what, d.day(LONDON)) for d in listed] == [("M-DUE", "closed", date(2019, 7, 1))]
    assert purge(ctx).references == ["M-DUE"]


def test_a_second_purge_does_nothing(ctx):
    closed_matter(ctx, "M-OLD", T0 - timedelta(days=7 * 365))
    ctx.clock.set(T0)
    assert purge(ctx).references == ["M-OLD"]
    after_first = snapshot(ctx)
    ctx.clock.advance(days=1)

    assert due(ctx) == [] and purge(ctx).count == 0
    assert snapshot(ctx) == after_first
    assert [e.kind for e in matter_events(ctx, "M-OLD")].count(EventKind.PURGED) == 1


def test_purge_command_lists_and_purges_a_matter(tmp_path, db_url):
    from bot.core.clock import FrozenClock
    from tests.factories import migrated_context, run

    real_now = datetime.now(UTC)  # the command runs on the real clock
    ctx = migrated_context(db_url, FrozenClock(real_now))
    closed_at = real_now - timedelta(days=7 * 365)
    closed_matter(ctx, "M-OLD", closed_at)
    closed_matter(ctx, "M-RECENT", real_now - timedelta(days=400))
    before = snapshot(ctx)
    env = {"DATABASE_URL": db_url, "FIRM_TIMEZONE": "Europe/London"}

    dry = run(["purge", "--dry-run"], env, tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert f"due  M-OLD  closed {closed_at.astimezone(LONDON).date().isoformat()}" in dry.stdout
    assert "M-RECENT" not in dry.stdout and "1 record(s) due for disposal" in dry.stdout
    assert snapshot(ctx) == before

    real = run(["purge"], env, tmp_path)
    assert real.returncode == 0, real.stderr
    assert "purged  M-OLD" in real.stdout and "M-RECENT" not in real.stdout
    assert the_matter(ctx, "M-OLD").client_name == REMOVED and the_matter(ctx, "M-RECENT").client_name == "Jane Client"
    ctx.engine.dispose()
