"""The complaints service: intake validation, numbering, logging, triage, listing, on both databases."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.access import Viewer
from bot.complaints import service as complaints
from bot.core.errors import FieldErrors, NotFound, UserError
from bot.core.vocabulary import Category, EventKind, Severity, Status
from handlers.modals.intake import parse_intake
from handlers.modals.triage import parse_triage
from storage.models import Complaint, Event, Notification
from tests.fakes import intake_values, triage_values

TODAY = date(2026, 11, 23)


def log(ctx, view_id=None, reporter="UREPORTER", **overrides):
    data = parse_intake(intake_values(**overrides), today=ctx.today())
    return complaints.log_complaint(
        session_factory=ctx.session_factory,
        data=data,
        reporter_id=reporter,
        view_id=view_id,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )


def count(ctx, model) -> int:
    with ctx.session_factory() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


# --- intake validation (pure) ---------------------------------------------------------------


def test_valid_intake_is_parsed_into_typed_values():
    data = parse_intake(intake_values(), today=TODAY)
    assert data.category is Category.DELAY
    assert data.received_on == date(2026, 11, 20)
    assert data.client_name == "Jane Client"


@pytest.mark.parametrize(
    "overrides, field, fragment",
    [
        ({"client_name": "   "}, "client_name", "client's name"),
        ({"summary": None}, "summary", "summary"),
        ({"summary": "x" * 3001}, "summary", "3,000"),
        ({"received_on": "2026-11-24"}, "received_on", "future"),
        ({"received_on": "24/11/2026"}, "received_on", "not a date"),
        ({"category": "weather"}, "category", "category"),
        ({"received_via": None}, "received_via", "received"),
        ({"matter_ref": "M" * 101}, "matter_ref", "100"),
    ],
)
def test_bad_intake_names_the_field(overrides, field, fragment):
    with pytest.raises(FieldErrors) as e:
        parse_intake(intake_values(**overrides), today=TODAY)
    assert set(e.value.errors) == {field}
    assert fragment in e.value.errors[field]


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(FieldErrors) as e:
        parse_intake(intake_values(client_name="", summary="", category=None), today=TODAY)
    assert set(e.value.errors) == {"client_name", "summary", "category"}


def test_summary_of_exactly_3000_characters_is_accepted():
    assert len(parse_intake(intake_values(summary="y" * 3000), today=TODAY).summary) == 3000


@pytest.mark.parametrize(
    "raw, expected",
    [("CMP-2026-0007", "CMP-2026-0007"), ("cmp-2026-7", "CMP-2026-0007"), (" CMP-2027-12345 ", "CMP-2027-12345")],
)
def test_references_are_normalised(raw, expected):
    assert complaints.parse_reference(raw) == expected


@pytest.mark.parametrize("raw", ["", "CMP-26-1", "DSC-2026-0001", "CMP-2026-", "drop table"])
def test_malformed_reference_is_a_clear_error(raw):
    with pytest.raises(UserError, match="look like CMP-2026-0001"):
        complaints.parse_reference(raw)


def test_triage_defaults_cadence_by_severity_and_checks_input():
    assert parse_triage(triage_values(severity="critical"), today=TODAY).update_cadence_days == 2
    assert parse_triage(triage_values(severity="low"), today=TODAY).update_cadence_days == 14
    assert parse_triage(triage_values(update_cadence_days="3"), today=TODAY).update_cadence_days == 3
    with pytest.raises(FieldErrors) as e:
        parse_triage(
            triage_values(severity=None, handler=None, target_date="2026-11-22", update_cadence_days="0"), today=TODAY
        )
    assert set(e.value.errors) == {"severity", "handler", "target_date", "update_cadence_days"}


# --- logging (both databases) --------------------------------------------------------------


def test_logging_stores_complaint_event_and_two_messages_in_one_go(ctx):
    logged = log(ctx)
    c = logged.complaint
    assert logged.created and c.reference == "CMP-2026-0001"
    assert c.status == Status.NEW
    assert c.triage_due_at == ctx.clock.now() + timedelta(hours=24)
    with ctx.session_factory() as s:
        events = s.execute(select(Event).where(Event.complaint_id == c.id)).scalars().all()
        notes = s.execute(select(Notification).order_by(Notification.id)).scalars().all()
    assert [e.kind for e in events] == [EventKind.LOGGED]
    assert events[0].actor == "UREPORTER"
    assert [(n.kind, n.channel) for n in notes] == [("logged", "UREPORTER"), ("triage-alert", "CTRIAGE01")]
    assert set(logged.notification_keys) == {n.dedupe_key for n in notes}


def test_acknowledgement_text_names_reference_deadline_and_ombudsman(ctx):
    c = log(ctx).complaint
    with ctx.session_factory() as s:
        dm = s.execute(select(Notification).where(Notification.kind == "logged")).scalar_one()
    ack_text = " ".join(b["text"]["text"] for b in dm.blocks if b.get("text"))
    assert c.reference in ack_text and "Jane Client" in ack_text
    assert "15 Jan 2027" in ack_text  # received 20 Nov 2026 + 8 weeks
    assert "Legal Ombudsman" in ack_text and "six months" in ack_text
    assert "Example &amp; Co LLP" in ack_text  # escaped for mrkdwn; Slack shows "&"


def test_references_are_sequential_and_restart_each_year(ctx):
    refs = [log(ctx).complaint.reference for _ in range(3)]
    assert refs == ["CMP-2026-0001", "CMP-2026-0002", "CMP-2026-0003"]
    ctx.clock.set(ctx.clock.now().replace(year=2027, month=1, day=4))
    assert log(ctx, received_on="2027-01-04").complaint.reference == "CMP-2027-0001"


def test_same_modal_submitted_twice_creates_one_complaint(ctx):
    first = log(ctx, view_id="V123")
    second = log(ctx, view_id="V123")
    assert first.created and not second.created
    assert second.complaint.reference == first.complaint.reference
    assert second.notification_keys == ()
    assert count(ctx, Complaint) == 1 and count(ctx, Notification) == 2


def test_concurrent_logging_gives_unique_gapless_references(ctx):
    results: list[str] = []
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            results.append(log(ctx, view_id=f"V{i}").complaint.reference)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [f"CMP-2026-{n:04d}" for n in range(1, 13)]


def test_concurrent_double_submission_of_one_modal_creates_one_complaint(ctx):
    results = []
    threads = [threading.Thread(target=lambda: results.append(log(ctx, view_id="VSAME"))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.created for r in results) == 1
    assert len({r.complaint.reference for r in results}) == 1
    assert count(ctx, Complaint) == 1


def test_failed_logging_leaves_the_store_as_it_was(ctx, monkeypatch):
    def broken(*a, **k):
        raise RuntimeError("template missing")

    monkeypatch.setattr(complaints, "render_acknowledgement", broken)
    with pytest.raises(RuntimeError):
        log(ctx)
    assert count(ctx, Complaint) == 0 and count(ctx, Event) == 0 and count(ctx, Notification) == 0
    monkeypatch.undo()
    assert log(ctx).complaint.reference == "CMP-2026-0001"  # the number was given back


# --- triage ----------------------------------------------------------------------------------


def triage(ctx, reference, actor="ULEAD", **overrides):
    data = parse_triage(triage_values(**overrides), today=TODAY)
    return complaints.triage_complaint(
        session_factory=ctx.session_factory,
        reference=reference,
        data=data,
        actor=actor,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )


def test_triage_sets_the_plan_writes_an_event_updates_alert_and_tells_handler(ctx):
    ref = log(ctx).complaint.reference
    ctx.clock.advance(hours=3)
    result = triage(ctx, ref)
    c = result.complaint
    assert c.status == Status.TRIAGED and c.severity == Severity.HIGH and c.handler_id == "UHANDLER1"
    assert c.update_cadence_days == 5 and c.triaged_at == ctx.clock.now() and c.triaged_by == "ULEAD"
    with ctx.session_factory() as s:
        on_complaint = select(Event).where(Event.complaint_id == c.id).order_by(Event.id)
        kinds = [e.kind for e in s.execute(on_complaint).scalars()]
        update = s.execute(select(Notification).where(Notification.kind == "triage-alert-update")).scalar_one()
        assigned = s.execute(select(Notification).where(Notification.kind == "assigned")).scalar_one()
    assert kinds == [EventKind.LOGGED, EventKind.TRIAGED]
    assert update.update_of == f"triage-alert:{ref}"
    assert assigned.channel == "UHANDLER1"


def test_retriage_to_another_handler_is_a_reassignment(ctx):
    ref = log(ctx).complaint.reference
    triage(ctx, ref)
    first_triaged_at = ctx.clock.now()
    ctx.clock.advance(days=1)
    result = triage(ctx, ref, handler="UOTHER")
    assert result.complaint.triaged_at == first_triaged_at
    with ctx.session_factory() as s:
        last = s.execute(select(Event).order_by(Event.id.desc()).limit(1)).scalar_one()
    assert last.kind == EventKind.REASSIGNED and last.data["previous_handler_id"] == "UHANDLER1"


def test_triage_of_unknown_reference_is_not_found(ctx):
    with pytest.raises(NotFound, match="CMP-2026-0999"):
        triage(ctx, "CMP-2026-0999")


# --- reading ---------------------------------------------------------------------------------


def test_list_puts_the_viewers_complaints_first_and_pages(ctx):
    for _ in range(12):
        log(ctx, reporter="UOTHER")
    mine = log(ctx, reporter="UME").complaint.reference
    team = Viewer("UME", team=True)
    page1 = complaints.list_open(ctx=ctx, viewer=team, page=1)
    page2 = complaints.list_open(ctx=ctx, viewer=team, page=2)
    with pytest.raises(UserError, match="only 2 page"):
        complaints.list_open(ctx=ctx, viewer=team, page=3)
    assert page1.total == 13 and page1.pages == 2
    assert page1.items[0].reference == mine
    assert len(page1.items) == 10 and len(page2.items) == 3
    assert not {c.reference for c in page1.items} & {c.reference for c in page2.items}


def test_timeline_returns_events_in_order(ctx):
    ref = log(ctx).complaint.reference
    triage(ctx, ref)
    record = complaints.timeline(ctx=ctx, viewer=Viewer("UREPORTER", team=False), reference=ref)
    assert record.complaint.reference == ref and [e.kind for e in record.events] == ["logged", "triaged"]


def test_policy_is_where_the_deadlines_come_from(ctx):
    policy = ctx.policy
    assert policy.final_response_due_on(date(2026, 11, 20)) == date(2027, 1, 15)
    assert policy.triage_due_at(ctx.clock.now()) - ctx.clock.now() == timedelta(hours=24)


def test_list_pages_across_the_viewers_own_and_the_rest_in_deadline_order_each(ctx):
    """12 of the viewer's own (11 reported, 1 handled) and 10 others, logged an hour apart: every open complaint appears once, the viewer's own first, each group by
    its triage deadline; outside the team, the list is only the viewer's own."""
    own, others = [], []
    for i in range(21):
        if i % 2 == 0 and len(own) < 11:
            ref = log(ctx, reporter="UME").complaint.reference
            own.append(ref)
        elif i % 3 == 0:
            ref = log(ctx, reporter="UOTHER").complaint.reference
            triage(ctx, ref)  # handled by UHANDLER1
            others.append(ref)
        else:
            ref = log(ctx, reporter="UOTHER").complaint.reference
            others.append(ref)
        ctx.clock.advance(hours=1)
    handled = log(ctx, reporter="UOTHER").complaint.reference
    triage(ctx, handled, handler="UME")
    own.append(handled)
    pages = [complaints.list_open(ctx=ctx, viewer=Viewer("UME", team=True), page=p, page_size=4) for p in range(1, 7)]
    mine_only = [
        complaints.list_open(ctx=ctx, viewer=Viewer("UME", team=False), page=p, page_size=5) for p in (1, 2, 3)
    ]
    listed = [c.reference for page in pages for c in page.items]
    assert listed == own + others
    assert pages[0].total == len(own) + len(others) == 22 and pages[0].pages == 6
    assert [c.reference for page in mine_only for c in page.items] == own and mine_only[0].total == 12
