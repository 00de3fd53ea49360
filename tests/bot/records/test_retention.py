"""Retention and legal hold, on both databases: what is purged when, what is removed and what kept,
holds, the dry run, concurrency, interruptions and the `complaint-bot purge` command."""

from __future__ import annotations

import dataclasses
import json
import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.complaints import service as complaints
from bot.core.errors import NotFound, UserError
from bot.core.vocabulary import EventKind, Status
from bot.disclosures import service as disclosures
from bot.records import retention
from bot.records.retention import REMOVED
from handlers.modals.disclosure import parse_disclosure
from handlers.modals.intake import parse_intake
from storage import disclosures as disclosures_store
from storage import retention as store
from storage.models import Complaint, Disclosure, Event, Notification
from tests.conftest import T0
from tests.factories import SOURCE, events, resolved_complaint, stored
from tests.fakes import intake_values

LONDON = ZoneInfo("Europe/London")
# T0 is 23 Nov 2026 09:30 London (= UTC); with 6 years, records resolved before this are due.
CUTOFF = datetime(2020, 11, 23, 0, 0, tzinfo=UTC)
# Every piece of free text the helpers below write; none may survive a purge anywhere.
SECRETS = (
    "Jane Client",
    "completion date",
    "an apology",
    "Client is upset",
    "chasing the other side",
    "Call again",
    "client's documents",
    "fee reduction",
    "Estimated fees",
    "archives/C1",
)


# --- making records the way the bot does -------------------------------------------------------


def open_complaint(ctx, logged_at: datetime, **intake) -> str:
    ctx.clock.set(logged_at)
    data = parse_intake(intake_values(received_on=ctx.today().isoformat(), **intake), today=ctx.today())
    return complaints.log_complaint(
        session_factory=ctx.session_factory,
        data=data,
        reporter_id="UREPORTER",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    ).complaint.reference


def disclosure(ctx, disclosed_on: date, matter_ref: str) -> str:
    ctx.clock.set(datetime.combine(disclosed_on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=10))
    data = parse_disclosure(
        {
            "client_name": "Jane Client",
            "matter_ref": matter_ref,
            "kind": "costs_estimate",
            "content": "Estimated fees £12,000 plus VAT.",
            "disclosed_on": disclosed_on.isoformat(),
            "disclosed_via": "email",
            "ack_status": "pending",
            "follow_up_on": None,
            "document_url": "https://docs.example.com/archives/C1/letter.pdf",
        },
        today=ctx.today(),
    )
    return disclosures.log_disclosure(
        session_factory=ctx.session_factory,
        data=data,
        logged_by="UFEE",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    ).disclosure.reference


def purge(ctx, **kwargs) -> retention.PurgeReport:
    return retention.purge(
        session_factory=ctx.session_factory,
        now=ctx.clock.now(),
        settings=kwargs.pop("settings", ctx.settings),
        **kwargs,
    )


def hold(ctx, ref, reason: str | None = "Claim issued; keep everything.", actor="ULEAD") -> Complaint:
    return retention.place_hold(
        session_factory=ctx.session_factory, reference=ref, actor=actor, reason=reason, now=ctx.clock.now(), tz=ctx.tz
    )


def release(ctx, ref, actor="ULEAD") -> Complaint:
    return retention.release_hold(session_factory=ctx.session_factory, reference=ref, actor=actor, now=ctx.clock.now())


def notifications(ctx, *, complaint_id=None, disclosure_id=None) -> list[Notification]:
    column = Notification.complaint_id if complaint_id is not None else Notification.disclosure_id
    with ctx.session_factory() as s:
        return list(
            s.execute(
                select(Notification).where(column == (complaint_id or disclosure_id)).order_by(Notification.id)
            ).scalars()
        )


def snapshot(ctx) -> list:
    """Every row of every table the purge could touch, to show that something wrote nothing."""
    rows = []
    with ctx.session_factory() as s:
        for model in (Complaint, Disclosure, Event, Notification):
            table = model.__table__
            rows.append([tuple(r) for r in s.execute(select(table).order_by(table.c.id)).all()])
    return rows


def purged_events(ctx, ref) -> list[Event]:
    return [e for e in events(ctx, ref) if e.kind == EventKind.PURGED]


def text_of(rows) -> str:
    return json.dumps([[str(v) for v in r] for r in rows], ensure_ascii=False)


# --- the cutoff ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "now, years, cutoff",
    [
        (T0, 6, CUTOFF),
        # summer time: midnight in London is 23:00 UTC the day before
        (datetime(2026, 7, 1, 12, 0, tzinfo=UTC), 6, datetime(2020, 6, 30, 23, 0, tzinfo=UTC)),
        # 00:30 on 2 July in London is still 1 July in UTC: the firm's date counts
        (datetime(2026, 7, 1, 23, 30, tzinfo=UTC), 6, datetime(2020, 7, 1, 23, 0, tzinfo=UTC)),
        # 29 February less six years is 28 February; less four years it is 29 February again
        (datetime(2028, 2, 29, 12, 0, tzinfo=UTC), 6, datetime(2022, 2, 28, 0, 0, tzinfo=UTC)),
        (datetime(2028, 2, 29, 12, 0, tzinfo=UTC), 4, datetime(2024, 2, 29, 0, 0, tzinfo=UTC)),
    ],
)
def test_the_cutoff_is_a_calendar_date_in_the_firms_time_zone(now, years, cutoff):
    got = retention.purge_cutoff(now, LONDON, years)
    assert got == cutoff and got.utcoffset() == timedelta(0)


# --- what is purged ----------------------------------------------------------------------------


def test_resolved_more_than_the_retention_period_ago_is_purged_and_less_is_not(ctx):
    over = resolved_complaint(ctx, T0 - timedelta(days=6 * 365 + 2))  # 6 years (one leap day) + 1 day
    under = resolved_complaint(ctx, T0 - timedelta(days=6 * 365))  # 6 years - 1 day
    just_before = resolved_complaint(ctx, CUTOFF - timedelta(seconds=1))  # 22 Nov 2020 23:59:59 London
    on_the_day = resolved_complaint(ctx, CUTOFF)  # 23 Nov 2020 00:00 London: six years only end tonight
    ctx.clock.set(T0)

    report = purge(ctx)

    assert report.references == [over, just_before] and report.count == 2 and report.held_back == 0
    assert stored(ctx, over).purged_at == T0 and stored(ctx, just_before).purged_at == T0
    for ref in (under, on_the_day):
        kept = stored(ctx, ref)
        assert kept.purged_at is None and kept.client_name == "Jane Client" and purged_events(ctx, ref) == []
    ctx.clock.advance(days=1)
    assert purge(ctx).references == [on_the_day]


def test_the_purge_removes_personal_details_and_keeps_the_statistics(ctx):
    ref = resolved_complaint(ctx, T0 - timedelta(days=7 * 365), problem_on="2019-01-02", aware_on="2019-02-03")
    no_request = resolved_complaint(ctx, T0 - timedelta(days=7 * 365), client_request=None)
    before = stored(ctx, ref)
    ctx.clock.set(T0)

    purge(ctx)

    after = stored(ctx, ref)
    assert after.client_name == REMOVED and after.summary == REMOVED
    assert after.client_request == REMOVED and after.remedy == REMOVED
    assert after.source_message_url is None and before.source_message_url == SOURCE
    assert stored(ctx, no_request).client_request is None  # nothing was there, so nothing is claimed
    assert after.purged_at == T0
    kept = (
        "reference",
        "ref_year",
        "ref_seq",
        "matter_ref",
        "received_via",
        "received_on",
        "category",
        "reporter_id",
        "logged_at",
        "status",
        "triage_due_at",
        "triaged_at",
        "triaged_by",
        "severity",
        "handler_id",
        "target_date",
        "update_cadence_days",
        "final_response_due_on",
        "last_client_update_at",
        "resolved_at",
        "resolved_by",
        "outcome",
        "final_response_sent_on",
        "ombudsman_rights_given",
        "root_cause",
        "acknowledged_at",
        "client_update_count",
        # The client's dates and the referral date are dates, not the client's words: kept as received_on is.
        "problem_on",
        "aware_on",
        "ombudsman_referral_by",
    )
    assert {k: getattr(after, k) for k in kept} == {k: getattr(before, k) for k in kept}
    assert (after.problem_on, after.aware_on) == (date(2019, 1, 2), date(2019, 2, 3))
    assert after.ombudsman_referral_by is not None
    assert after.status == Status.RESOLVED and after.category == "delay" and after.severity == "high"
    assert after.outcome == "partly_upheld" and after.matter_ref == "M-1001" and after.client_update_count == 1
    assert after.handler_id == "UHANDLER1" and after.reporter_id == "UREPORTER"


def test_the_timeline_keeps_every_event_without_its_free_text_and_records_the_purge(ctx):
    resolved_at = T0 - timedelta(days=7 * 365)
    ref = resolved_complaint(ctx, resolved_at)
    before = events(ctx, ref)
    assert any("Call again" in json.dumps(e.data) for e in before)
    ctx.clock.set(T0)

    purge(ctx)

    after = events(ctx, ref)
    assert [(e.id, e.kind, e.actor, e.at) for e in after[:-1]] == [(e.id, e.kind, e.actor, e.at) for e in before]
    for old, new in zip(before, after, strict=False):
        assert new.data.keys() == old.data.keys()
        for key, value in old.data.items():
            if key in retention.FREE_TEXT_KEYS and value is not None:
                assert new.data[key] == REMOVED
            elif key == "letter":  # the letter to the client: which template and version stay, its text goes
                assert new.data[key] == {**value, "text": REMOVED} and "Dear " in value["text"]
            else:
                assert new.data[key] == value  # severity, dates, outcome, ids: kept
    assert not any(secret in json.dumps(e.data, ensure_ascii=False) for e in after for secret in SECRETS)
    by_kind = {e.kind: e.data for e in after}
    assert by_kind["client_update"]["told"] == REMOVED and by_kind["client_update"]["via"] == "phone"
    assert by_kind["snoozed"] == {**by_kind["snoozed"], "reason": REMOVED, "days": 3}
    assert by_kind["resolved"]["remedy"] == REMOVED and by_kind["resolved"]["outcome"] == "partly_upheld"
    assert by_kind["triaged"]["note"] == REMOVED and by_kind["triaged"]["severity"] == "high"
    last = after[-1]
    assert (last.kind, last.actor, last.at) == (EventKind.PURGED, "retention", T0)
    assert last.data == {"retention_years": 6, "resolved_at": resolved_at.isoformat()}


def test_the_outbox_is_scrubbed_and_what_was_never_sent_is_cancelled(ctx, notifier):
    ref = resolved_complaint(ctx, T0 - timedelta(days=7 * 365))  # the last alert edit is left unsent
    complaint_id = stored(ctx, ref).id
    before = notifications(ctx, complaint_id=complaint_id)
    assert any(n.sent_at is None and n.cancelled_at is None for n in before)
    assert "Jane Client" in text_of([(n.text, n.blocks) for n in before])
    ctx.clock.set(T0)

    purge(ctx)

    after = notifications(ctx, complaint_id=complaint_id)
    assert [n.dedupe_key for n in after] == [n.dedupe_key for n in before]
    assert all(n.text == REMOVED and n.blocks is None and n.file_content is None for n in after)
    assert all(n.sent_at is not None or n.cancelled_at is not None for n in after)
    assert [n.sent_at for n in after] == [n.sent_at for n in before]  # the sent-log still says what went when
    notifier.sent.clear()
    assert ctx.deliver() == [] and notifier.sent == []


def test_a_complaint_on_hold_is_kept_through_the_purge_and_purged_after_release(ctx):
    ref = resolved_complaint(ctx, T0 - timedelta(days=7 * 365))
    ctx.clock.set(T0 - timedelta(days=30))
    held = hold(ctx, ref)
    assert held.legal_hold_at == ctx.clock.now() and held.legal_hold_by == "ULEAD"
    assert held.legal_hold_reason == "Claim issued; keep everything."
    ctx.clock.set(T0)

    with ctx.session_factory() as s:
        assert retention.due_for_purge(session=s, now=T0, settings=ctx.settings) == []
    report = purge(ctx)
    assert report.count == 0 and report.held_back == 1
    assert stored(ctx, ref).client_name == "Jane Client" and stored(ctx, ref).purged_at is None

    ctx.clock.advance(days=1)
    release(ctx, ref)
    ctx.clock.advance(hours=1)
    report = purge(ctx)
    assert report.references == [ref] and report.held_back == 0
    assert stored(ctx, ref).client_name == REMOVED
    kinds = [e.kind for e in events(ctx, ref)]
    assert kinds[-3:] == [EventKind.HELD, EventKind.RELEASED, EventKind.PURGED]


def test_hold_and_release_write_their_events(ctx):
    ref = open_complaint(ctx, T0)
    hold(ctx, ref, reason="  Regulator asked for the file.  ")
    ctx.clock.advance(days=2)
    released = release(ctx, ref, actor="UOTHER")
    assert released.legal_hold_at is None and released.legal_hold_by is None and released.legal_hold_reason is None
    held_event, released_event = events(ctx, ref)[-2:]
    assert (held_event.kind, held_event.actor, held_event.at) == (EventKind.HELD, "ULEAD", T0)
    assert held_event.data == {"reason": "Regulator asked for the file."}
    assert (released_event.kind, released_event.actor, released_event.at) == (
        EventKind.RELEASED,
        "UOTHER",
        T0 + timedelta(days=2),
    )
    assert released_event.data == {
        "hold": {"at": T0.isoformat(), "by": "ULEAD", "reason": "Regulator asked for the file."}
    }
    # held again later: a new hold, a new event
    assert hold(ctx, ref, reason="Second claim.").legal_hold_reason == "Second claim."
    assert [e.kind for e in events(ctx, ref)][-3:] == [EventKind.HELD, EventKind.RELEASED, EventKind.HELD]


def test_hold_and_release_refuse_with_a_clear_sentence(ctx):
    ref = open_complaint(ctx, T0)
    with pytest.raises(NotFound, match="There is no complaint CMP-2026-0099"):
        hold(ctx, "CMP-2026-0099")
    with pytest.raises(NotFound, match="There is no complaint CMP-2026-0099"):
        release(ctx, "CMP-2026-0099")
    with pytest.raises(UserError, match="is not a complaint reference"):
        hold(ctx, "nonsense")
    with pytest.raises(UserError, match="Say why the complaint is held"):
        hold(ctx, ref, reason="   ")
    with pytest.raises(UserError, match="Say why the complaint is held"):
        hold(ctx, ref, reason=None)
    with pytest.raises(UserError, match="to 500 characters; it has 501"):
        hold(ctx, ref, reason="x" * 501)
    # What the store cannot keep (a NUL fails PostgreSQL's insert) is refused as a modal refuses it.
    with pytest.raises(
        UserError, match=r"^The reason for the hold contains a control character \(U\+0000\) at character 6 "
    ):
        hold(ctx, ref, reason="Claim\x00 issued")
    with pytest.raises(UserError, match=r"contains a broken character \(half of a UTF-16 pair\) at character 1 "):
        hold(ctx, ref, reason="\ud800 claim")
    with pytest.raises(UserError, match=f"{ref} is not on legal hold"):
        release(ctx, ref)
    assert [e.kind for e in events(ctx, ref)] == [EventKind.LOGGED]  # nothing written by a refusal

    hold(ctx, ref.lower(), reason="x" * 500)  # the longest reason, and a reference typed in lower case
    ctx.clock.advance(days=3)
    with pytest.raises(retention.AlreadyHeld, match=f"{ref} has been on legal hold since 23 Nov 2026 \\(") as e:
        hold(ctx, ref, actor="UOTHER")
    assert e.value.since == T0 and e.value.by == "ULEAD"
    assert stored(ctx, ref).legal_hold_by == "ULEAD"


def test_a_purged_complaint_cannot_be_put_on_hold(ctx):
    ref = resolved_complaint(ctx, T0 - timedelta(days=7 * 365))
    ctx.clock.set(T0)
    purge(ctx)
    with pytest.raises(
        UserError, match="removed on 23 Nov 2026 after the retention period; a legal hold cannot bring them back"
    ):
        hold(ctx, ref)
    with pytest.raises(UserError, match="is not on legal hold"):
        release(ctx, ref)
    assert stored(ctx, ref).legal_hold_at is None and events(ctx, ref)[-1].kind == EventKind.PURGED


def test_a_purged_complaint_cannot_be_reopened(ctx):
    from tests.factories import reopen

    ref = resolved_complaint(ctx, T0 - timedelta(days=7 * 365))
    ctx.clock.set(T0)
    purge(ctx)
    with pytest.raises(UserError, match="past its retention period"):
        reopen(ctx, ref)
    assert stored(ctx, ref).status == "resolved" and events(ctx, ref)[-1].kind == EventKind.PURGED


def test_open_complaints_are_never_purged(ctx):
    never_resolved = open_complaint(ctx, T0 - timedelta(days=10 * 365))
    reopened = resolved_complaint(ctx, T0 - timedelta(days=9 * 365))
    ctx.clock.set(T0 - timedelta(days=8 * 365))
    complaints.reopen(
        session_factory=ctx.session_factory,
        reference=reopened,
        actor="ULEAD",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    ctx.clock.set(T0)
    before = snapshot(ctx)

    with ctx.session_factory() as s:
        assert (
            retention.due_for_purge(session=s, now=T0, settings=dataclasses.replace(ctx.settings, retention_years=1))
            == []
        )
    assert purge(ctx, settings=dataclasses.replace(ctx.settings, retention_years=1)).count == 0
    assert snapshot(ctx) == before
    assert stored(ctx, never_resolved).client_name == stored(ctx, reopened).client_name == "Jane Client"


def test_retention_years_is_honoured(ctx):
    ref = resolved_complaint(ctx, T0 - timedelta(days=3 * 365 + 2))  # 3 years and a day
    ctx.clock.set(T0)
    assert purge(ctx).count == 0  # the default 6 years
    assert purge(ctx, settings=dataclasses.replace(ctx.settings, retention_years=4)).count == 0
    report = purge(ctx, settings=dataclasses.replace(ctx.settings, retention_years=3))
    assert report.references == [ref]
    assert purged_events(ctx, ref)[0].data["retention_years"] == 3


# --- disclosures ---------------------------------------------------------------------------------


def test_old_disclosures_are_purged_unless_a_complaint_on_their_matter_is_kept(ctx):
    old = date(2019, 5, 1)
    alone = disclosure(ctx, old, "M-ALONE")
    recent = disclosure(ctx, date(2021, 5, 1), "M-RECENT")
    with_open = disclosure(ctx, old, "M-OPEN")
    open_complaint(ctx, T0 - timedelta(days=30), matter_ref="M-OPEN")
    with_held = disclosure(ctx, old, "M-HELD")
    held = resolved_complaint(ctx, T0 - timedelta(days=7 * 365), matter_ref="M-HELD")
    hold(ctx, held)
    with_recent = disclosure(ctx, old, "M-STILL-KEPT")
    resolved_complaint(ctx, T0 - timedelta(days=365), matter_ref="M-STILL-KEPT")  # evidence for another five years
    with_purged = disclosure(ctx, old, "M-GOES-TONIGHT")
    goes = resolved_complaint(ctx, T0 - timedelta(days=7 * 365), matter_ref="M-GOES-TONIGHT")
    ctx.clock.set(T0)
    with ctx.session_factory() as s:
        d = disclosures_store.disclosure_by_reference(s, alone)
        d_id = d.id
        before_events = list(disclosures_store.events_of_disclosure(s, d_id))

    report = purge(ctx)

    assert report.references == [goes, alone, with_purged]
    assert report.held_back == 2  # the held complaint and the disclosure on its matter
    with ctx.session_factory() as s:
        d = disclosures_store.disclosure_by_reference(s, alone)
        assert (d.client_name, d.content, d.document_url, d.source_message_url) == (REMOVED, REMOVED, None, None)
        assert (d.purged_at, d.kind, d.matter_ref, d.disclosed_on, d.ack_status) == (
            T0,
            "costs_estimate",
            "M-ALONE",
            old,
            "pending",
        )
        after_events = list(disclosures_store.events_of_disclosure(s, d_id))
        for ref in (recent, with_open, with_held, with_recent):
            kept = disclosures_store.disclosure_by_reference(s, ref)
            assert kept.purged_at is None and kept.client_name == "Jane Client"
    assert [(e.kind, e.at) for e in after_events[:-1]] == [(e.kind, e.at) for e in before_events]
    assert after_events[-1].kind == EventKind.PURGED and after_events[-1].data == {
        "retention_years": 6,
        "disclosed_on": "2019-05-01",
    }
    outbox = notifications(ctx, disclosure_id=d_id)
    assert outbox and all(n.text == REMOVED and n.blocks is None for n in outbox)


# --- dry run, repeats, concurrency, interruptions -------------------------------------------------


def test_the_dry_run_lists_exactly_what_the_purge_then_does_and_writes_nothing(ctx):
    due = [resolved_complaint(ctx, T0 - timedelta(days=d)) for d in (9 * 365, 7 * 365)]
    resolved_complaint(ctx, T0 - timedelta(days=2 * 365))
    hold(ctx, resolved_complaint(ctx, T0 - timedelta(days=8 * 365), matter_ref="M-HELD"))
    old_disclosure = disclosure(ctx, date(2019, 1, 15), "M-OLD")
    ctx.clock.set(T0)
    before = snapshot(ctx)

    with ctx.session_factory() as s:
        listed = retention.due_for_purge(session=s, now=T0, settings=ctx.settings)
        held = retention.held_back(session=s, now=T0, settings=ctx.settings)

    assert snapshot(ctx) == before
    assert [d.reference for d in listed] == [*due, old_disclosure] and held == 1
    assert [d.what for d in listed] == ["resolved", "resolved", "disclosed"]
    assert listed[0].day(LONDON) == (T0 - timedelta(days=9 * 365)).date() and listed[2].day(LONDON) == date(2019, 1, 15)
    report = purge(ctx)
    assert report.references == [d.reference for d in listed] and report.held_back == held


def test_a_second_purge_does_nothing(ctx):
    ref = resolved_complaint(ctx, T0 - timedelta(days=7 * 365))
    disclosure(ctx, date(2019, 1, 15), "M-OLD")
    ctx.clock.set(T0)
    assert purge(ctx).count == 2
    after_first = snapshot(ctx)
    ctx.clock.advance(days=1)

    assert purge(ctx).count == 0
    assert snapshot(ctx) == after_first
    assert len(purged_events(ctx, ref)) == 1


def test_two_purges_at_once_purge_each_record_once(ctx):
    refs = [
        resolved_complaint(ctx, T0 - timedelta(days=7 * 365 + i), deliver=False, client_name=f"Client {i}")
        for i in range(8)
    ]
    ctx.clock.set(T0)
    start = threading.Barrier(2)
    reports: list[retention.PurgeReport] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            reports.append(purge(ctx, batch=1))  # one record per transaction: the most interleaving
        except BaseException as e:  # a failure in the thread must fail the test
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and not any(t.is_alive() for t in threads)

    claimed = reports[0].references + reports[1].references
    assert sorted(claimed) == sorted(refs)  # between them, every record, none twice
    for ref in refs:
        assert len(purged_events(ctx, ref)) == 1 and stored(ctx, ref).client_name == REMOVED


def test_a_purge_takes_what_another_purge_has_not_claimed(ctx, monkeypatch):
    """The first purge stops inside its first batch, holding it; a second purge meanwhile takes the rest
    (on PostgreSQL without waiting: the held rows are skipped; SQLite queues the writers instead)."""
    refs = [resolved_complaint(ctx, T0 - timedelta(days=7 * 365 + i), deliver=False) for i in range(5)]
    ctx.clock.set(T0)
    in_batch, go_on = threading.Event(), threading.Event()
    real_scrub = store.scrub_notifications
    first = threading.current_thread()

    def paused_scrub(*args, **kwargs):
        if threading.current_thread() is not first and not in_batch.is_set():
            in_batch.set()
            assert go_on.wait(timeout=60)
        return real_scrub(*args, **kwargs)

    monkeypatch.setattr(store, "scrub_notifications", paused_scrub)
    result: dict[str, retention.PurgeReport] = {}
    holder = threading.Thread(target=lambda: result.setdefault("holder", purge(ctx, batch=2)))
    holder.start()
    assert in_batch.wait(timeout=60)
    postgres = ctx.engine.dialect.name == "postgresql"
    other = threading.Thread(target=lambda: result.setdefault("other", purge(ctx, batch=2)))
    other.start()
    if postgres:
        other.join(timeout=60)  # finishes while the holder still holds its batch
        assert not other.is_alive()
        assert sorted(result["other"].references) == sorted(refs[:3])  # the holder has the two oldest
    go_on.set()
    holder.join(timeout=60)
    other.join(timeout=60)
    assert not holder.is_alive() and not other.is_alive()

    if postgres:
        assert result["holder"].references == [refs[4], refs[3]]  # its one batch of two; the rest was taken
    assert sorted(result["holder"].references + result["other"].references) == sorted(refs)
    assert set(result["holder"].references).isdisjoint(result["other"].references)
    for ref in refs:
        assert len(purged_events(ctx, ref)) == 1


def test_a_failed_batch_writes_nothing_and_the_next_purge_carries_on(ctx, monkeypatch):
    refs = [resolved_complaint(ctx, T0 - timedelta(days=7 * 365 + i)) for i in range(3)]
    oldest_first = refs[::-1]
    ctx.clock.set(T0)
    second = stored(ctx, oldest_first[1])
    second_events = [(e.id, e.data) for e in events(ctx, second.reference)]
    second_outbox = [(n.id, n.text) for n in notifications(ctx, complaint_id=second.id)]
    real_add_events = store.add_events
    calls = []

    def failing_second_time(session, rows):
        calls.append(rows)
        if len(calls) == 2:  # after the record, its timeline and its messages were rewritten
            raise RuntimeError("connection lost")
        return real_add_events(session, rows)

    monkeypatch.setattr(store, "add_events", failing_second_time)
    with pytest.raises(RuntimeError, match="connection lost"):
        purge(ctx, batch=1)

    assert stored(ctx, oldest_first[0]).purged_at == T0
    untouched = stored(ctx, second.reference)
    assert (
        untouched.purged_at is None and untouched.client_name == "Jane Client" and untouched.summary == second.summary
    )
    assert [(e.id, e.data) for e in events(ctx, second.reference)] == second_events
    assert [(n.id, n.text) for n in notifications(ctx, complaint_id=second.id)] == second_outbox

    monkeypatch.setattr(store, "add_events", real_add_events)
    ctx.clock.advance(hours=1)
    assert purge(ctx, batch=1).references == oldest_first[1:]
    for ref in refs:
        assert len(purged_events(ctx, ref)) == 1 and stored(ctx, ref).client_name == REMOVED


def test_the_timeline_is_still_append_only_for_everything_but_the_purge(ctx):
    from storage.models import AppendOnly

    ref = open_complaint(ctx, T0)
    with ctx.session_factory() as s:
        event = s.execute(select(Event).where(Event.complaint_id == stored(ctx, ref).id)).scalars().first()
        event.data = {"reference": "tampered"}
        with pytest.raises(AppendOnly):
            s.flush()


# --- the command ----------------------------------------------------------------------------------


def test_purge_command_dry_run_then_purge(tmp_path, db_url):
    from bot.core.clock import FrozenClock
    from bot.core.context import make_context
    from storage.db import make_engine, make_session_factory
    from storage.migrate import upgrade
    from tests.conftest import make_settings
    from tests.factories import run
    from tests.fakes import RecordingNotifier, no_team

    engine = make_engine(db_url)
    upgrade(engine)
    # the command runs on the real clock: records resolved seven and one years before it
    real_now = datetime.now(UTC)
    ctx = make_context(
        settings=make_settings(db_url),
        engine=engine,
        session_factory=make_session_factory(engine),
        notifier=RecordingNotifier(),
        clock=FrozenClock(real_now),
        team=no_team(),
    )
    old = resolved_complaint(ctx, real_now - timedelta(days=7 * 365))
    recent = resolved_complaint(ctx, real_now - timedelta(days=400))
    held = resolved_complaint(ctx, real_now - timedelta(days=8 * 365))
    hold(ctx, held)
    before = snapshot(ctx)
    env = {"DATABASE_URL": db_url, "FIRM_TIMEZONE": "Europe/London"}

    dry = run(["purge", "--dry-run"], env, tmp_path)
    assert dry.returncode == 0, dry.stderr
    day = (real_now - timedelta(days=7 * 365)).astimezone(LONDON).date().isoformat()
    assert f"due  {old}  resolved {day}" in dry.stdout
    assert recent not in dry.stdout and held not in dry.stdout
    assert (
        "1 record(s) due for disposal (RETENTION_YEARS=6); 1 held back by a legal hold. Nothing was changed."
        in dry.stdout
    )
    assert snapshot(ctx) == before

    real = run(["purge"], env, tmp_path)
    assert real.returncode == 0, real.stderr
    assert f"purged  {old}" in real.stdout and recent not in real.stdout
    assert (
        "1 record(s) purged: personal details removed, counts and dates kept; 1 held back by a legal hold."
        in real.stdout
    )
    assert stored(ctx, old).client_name == REMOVED and stored(ctx, held).client_name == "Jane Client"

    again = run(["purge"], {**env, "RETENTION_YEARS": "1"}, tmp_path)  # RETENTION_YEARS from the environment
    assert again.returncode == 0, again.stderr
    assert f"purged  {recent}" in again.stdout and "1 record(s) purged" in again.stdout
    engine.dispose()


def test_purge_dry_run_on_a_store_not_at_head_says_migrate_and_writes_nothing(tmp_path, db_url):
    from sqlalchemy import create_engine, inspect

    from tests.factories import run

    dry = run(["purge", "--dry-run"], {"DATABASE_URL": db_url}, tmp_path)
    assert dry.returncode == 1
    assert "run `complaint-bot migrate` first" in dry.stderr and "Traceback" not in dry.stderr
    engine = create_engine(db_url)
    try:
        assert inspect(engine).get_table_names() == []  # not even a schema upgrade
    finally:
        engine.dispose()
