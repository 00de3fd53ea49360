"""The returns over a register seeded here, every figure counted by hand below: the FCA complaints
return (DISP 1 Annex 1R) for 2026H2 and the summary, on both databases; their CSV exactly; the
period's parsing; the `complaint-bot report` command.

The firm: Europe/London, England & Wales bank holidays, working day to 17:30. The complaints:

  C1  Banking, received Thu 24 Dec 2026, closed Thu 31 Dec 17:00 UTC (17:00 London), upheld.
      Business days after the 24th: Fri 25 (Christmas) no, Sat 26, Sun 27 no, Mon 28 (Boxing Day,
      substitute for Sat 26) no, Tue 29 (1st), Wed 30 (2nd), Thu 31 (3rd). Closed by the close of
      business (17:30) on Thu 31 Dec: within 3 business days.
  C2  Banking, received Thu 24 Dec 2026, closed Thu 31 Dec 17:45 London, not upheld: a quarter of
      an hour after that close of business, so after 3 business days, within 8 weeks.
  C3  Banking, received Wed 1 Jul 2026, closed Wed 26 Aug 23:30 BST (22:30 UTC), partly upheld
      (counts as upheld). 1 Jul + 56 days = 26 Aug: the last day within 8 weeks. Redress GBP 100.00
      paid Tue 1 Sep 2026.
  C4  Home finance, received Wed 1 Jul 2026, closed Thu 27 Aug 00:30 BST (Wed 26 Aug 23:30 UTC),
      not upheld: the 57th day in London, so after 8 weeks although its UTC day is the 26th.
  C5  Home finance, received Sat 20 Jun 2026 (H1: not opened in H2), closed Fri 10 Jul 09:00 UTC,
      upheld, within 8 weeks (20 days); after 3 business days. Redress GBP 250.50 paid Tue 5 Jan
      2027: another period, so not in H2's redress.
  C6  Investments, received Thu 1 Oct 2026, closed Mon 5 Oct (not upheld), reopened Thu 8 Oct, closed
      again Fri 20 Nov 12:00 UTC, upheld: counted once, by its last closure: within 8 weeks (50 days).
  C7  No product, received Mon 2 Nov 2026, still open: opened only.
  C8  No product, received Tue 3 Nov 2026, closed Wed 4 Nov 10:00 UTC, withdrawn: closed within 3
      business days, not upheld.
  C9  Investments, received Fri 1 Jan 2027 (after H2), redress GBP 40.00 paid Wed 30 Dec 2026 (in
      H2, before it was "received", as an imported register may say): redress paid in H2 counts
      whatever the complaint's dates.
  C10 Home finance, received Fri 31 Dec 2021, closed Fri 3 Jul 2026 10:00 UTC, not upheld: received
      long before the days the cut-offs are worked out for, so after 8 weeks. Redress EUR 30.00 paid
      3 Jul 2026: another currency, named under the table, not in its GBP column.

2026H2 by product group (opened / closed / within 3 / 3 to 8 weeks / after 8 weeks / upheld / %):
  Banking       C1 C2 C3 received in H2: 3; closed C1 C2 C3: 3; within 3: C1; 3-8 weeks: C2 C3;
                after 8: 0; upheld C1 C3: 2 = 66.7%; redress C3 100.00.
  Home finance  received: C4 = 1 (C5 in H1, C10 in 2021); closed C4 C5 C10 = 3; within 3: 0;
                3-8 weeks: C5; after 8: C4 C10; upheld C5 = 1 = 33.3%; redress 0.00 (C5 paid in 2027,
                C10 in EUR).
  Insurance, Decumulation: nothing.
  Investments   received C6 = 1 (C9 in 2027); closed C6 = 1; 3-8 weeks: C6; upheld 1 = 100.0%;
                redress C9 40.00.
  No product    received C7 C8 = 2; closed C8 = 1; within 3: C8; upheld 0 = 0.0%.
  Total         7 / 8 / 2 / 4 / 2 / 4 = 50.0% / 140.00.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select

from bot.complaints import service as complaints
from bot.core.errors import UserError
from bot.core.lists import Choices
from bot.core.vocabulary import EventKind
from bot.records import reporting, returns
from bot.records.returns import Period
from bot.rulebooks.schemes import FCA_RETURN_GROUPS
from handlers.modals.resolve import parse_resolution
from storage.models import Complaint, Event
from tests.conftest import make_settings
from tests.factories import resolution_values

H2 = Period.half("2026H2")


def utc(y, m, d, hh=12, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=UTC)


SEED = [
    # ref, product, received_on, resolved_at, outcome, redress_paid (currency, minor, day)
    (1, "banking_and_credit_cards", date(2026, 12, 24), utc(2026, 12, 31, 17, 0), "upheld", None),
    (2, "banking_and_credit_cards", date(2026, 12, 24), utc(2026, 12, 31, 17, 45), "not_upheld", None),
    (
        3,
        "banking_and_credit_cards",
        date(2026, 7, 1),
        utc(2026, 8, 26, 22, 30),
        "partly_upheld",
        ("GBP", 10000, date(2026, 9, 1)),
    ),
    (4, "home_finance", date(2026, 7, 1), utc(2026, 8, 26, 23, 30), "not_upheld", None),
    (5, "home_finance", date(2026, 6, 20), utc(2026, 7, 10, 9, 0), "upheld", ("GBP", 25050, date(2027, 1, 5))),
    (6, "investments", date(2026, 10, 1), utc(2026, 10, 5, 12, 0), "not_upheld", None),
    (7, None, date(2026, 11, 2), None, None, None),
    (8, None, date(2026, 11, 3), utc(2026, 11, 4, 10, 0), "withdrawn", None),
    (9, "investments", date(2027, 1, 1), None, None, ("GBP", 4000, date(2026, 12, 30))),
    (10, "home_finance", date(2021, 12, 31), utc(2026, 7, 3, 10, 0), "not_upheld", ("EUR", 3000, date(2026, 7, 3))),
]

FCA_ROWS = [
    ["product_group", "opened", "closed", "closed_within_3_business_days",
     "closed_after_3_business_days_within_8_weeks", "closed_after_8_weeks", "upheld", "upheld_percent", "redress_paid"],
    ["Banking and credit cards", "3", "3", "1", "2", "0", "2", "66.7", "100.00"],
    ["Home finance", "1", "3", "0", "1", "2", "1", "33.3", "0.00"],
    ["Insurance and pure protection", "0", "0", "0", "0", "0", "0", "", "0.00"],
    ["Decumulation and pensions", "0", "0", "0", "0", "0", "0", "", "0.00"],
    ["Investments", "1", "1", "0", "1", "0", "1", "100.0", "40.00"],
    ["(no product recorded)", "2", "1", "1", "0", "0", "0", "0.0", "0.00"],
    ["Total", "7", "8", "2", "4", "2", "4", "50.0", "140.00"],
]  # fmt: skip


@pytest.fixture
def fca_ctx(db_url, engine, session_factory, notifier, clock):
    from bot.core.context import make_context
    from tests.fakes import no_team

    settings = make_settings(
        db_url,
        holiday_calendar="england-and-wales",
        product_groups_setting=Choices.of(FCA_RETURN_GROUPS),
    )
    return make_context(
        settings=settings,
        engine=engine,
        session_factory=session_factory,
        notifier=notifier,
        clock=clock,
        team=no_team(),
    )


def seed(ctx) -> None:
    with ctx.session_factory.begin() as s:
        for n, product, received_on, resolved_at, outcome, paid in SEED:
            logged = datetime.combine(received_on, datetime.min.time(), tzinfo=UTC).replace(hour=9)
            s.execute(
                insert(Complaint).values(
                    reference=f"CMP-{received_on.year}-{n:04d}",
                    ref_year=received_on.year,
                    ref_seq=n,
                    client_name=f"Client {n}",
                    received_via="email",
                    received_on=received_on,
                    category="delay",
                    summary="Seeded.",
                    reporter_id="UREPORTER",
                    logged_at=logged,
                    status="resolved" if resolved_at else "triaged",
                    triage_due_at=logged,
                    handler_id="UHANDLER1",
                    resolved_at=resolved_at,
                    outcome=outcome,
                    product=product,
                    redress_currency=paid[0] if paid else None,
                    redress_paid=paid[1] if paid else None,
                    redress_paid_on=paid[2] if paid else None,
                )
            )
    # C6: reopened on 8 Oct and closed again on 20 Nov, upheld, by the services themselves.
    ref = "CMP-2026-0006"
    complaints.reopen(
        session_factory=ctx.session_factory, reference=ref, actor="ULEAD", now=utc(2026, 10, 8),
        settings=ctx.settings, policy=ctx.policy,
    )  # fmt: skip
    complaints.resolve(
        session_factory=ctx.session_factory,
        reference=ref,
        data=parse_resolution(
            resolution_values(outcome="upheld", final_response_sent_on="2026-11-20"), today=date(2026, 11, 20)
        ),
        actor="UHANDLER1",
        now=utc(2026, 11, 20, 12, 0),
        settings=ctx.settings,
        policy=ctx.policy,
    )


def fca(ctx, period=H2) -> returns.Report:
    with ctx.session_factory() as s:
        return reporting.build(ctx, s, returns.FCA_RETURN, period)


def csv_rows(report: returns.Report) -> list[list[str]]:
    return list(csv.reader(io.StringIO(report.csv_bytes().decode())))


def test_the_fca_return_counts_each_complaint_as_worked_by_hand(fca_ctx):
    seed(fca_ctx)
    report = fca(fca_ctx)
    assert csv_rows(report) == FCA_ROWS
    assert report.file_name == "fca-return-2026H2.csv"
    assert report.lines == (
        "Opened: 7",
        "Closed: 8 (within 3 business days 2; after 3 business days and within 8 weeks 4; after 8 weeks 2)",
        "Upheld: 4 (50.0% of those closed)",
        "Redress paid: GBP 140.00",
        "Also paid in EUR, not in the table: EUR 30.00",
    )


def test_the_reopened_complaint_has_one_closure_and_its_timeline_both(fca_ctx):
    seed(fca_ctx)
    with fca_ctx.session_factory() as s:
        c6 = s.execute(select(Complaint).where(Complaint.reference == "CMP-2026-0006")).scalar_one()
        kinds = [e.kind for e in s.execute(select(Event).where(Event.complaint_id == c6.id)).scalars()]
    assert c6.resolved_at == utc(2026, 11, 20, 12, 0) and c6.outcome == "upheld"
    assert kinds[:2] == [EventKind.REOPENED.value, EventKind.RESOLVED.value]
    # Closed in October only (before its reopening): the return for October has none of it.
    october = fca(fca_ctx, Period.between(date(2026, 10, 1), date(2026, 10, 31)))
    investments = next(r for r in october.rows if r[0] == "Investments")
    assert investments[1:3] == ("1", "0")


def test_the_third_business_day_moves_over_the_bank_holidays(fca_ctx):
    """Without a public calendar the 3rd business day after Thu 24 Dec is Tue 29 Dec (Fri 25, Mon
    28, Tue 29), so C1 and C2, both closed on the 31st, are after 3 business days."""
    settings = fca_ctx.settings.__class__(**{**fca_ctx.settings.__dict__, "holiday_calendar": "none"})
    from bot.core.context import make_context
    from tests.fakes import no_team

    plain = make_context(
        settings=settings, engine=fca_ctx.engine, session_factory=fca_ctx.session_factory,
        notifier=fca_ctx.notifier, clock=fca_ctx.clock, team=no_team(),
    )  # fmt: skip
    seed(plain)
    banking = fca(plain).rows[0]
    assert banking[:6] == ("Banking and credit cards", "3", "3", "0", "3", "0")


def test_an_empty_period_is_all_noughts(fca_ctx):
    report = fca(fca_ctx, Period.half("2020H1"))
    assert report.rows[-1] == ("Total", "0", "0", "0", "0", "0", "0", "", "0.00")
    assert report.lines[-1] == "Redress paid: GBP 0.00"


def test_the_summary_counts_as_worked_by_hand(fca_ctx):
    """H2: received C1 C2 C3 C4 C6 C7 C8 (7), all category delay. Closed C1 C2 C3 C4 C5 C6 C8 C10
    (8): upheld C1 C5 C6, partly C3, not upheld C2 C4 C10, withdrawn C8; root causes: C6's
    resolution says delay, the seeded rows none. Days (to the UTC day of closure): C1 7, C2 7,
    C3 56, C4 56, C5 20, C6 50, C8 1, C10 1645 (31 Dec 2021 to 3 Jul 2026): 1842 / 8 = 230.25 → 230.2.
    Redress offered: none recorded; paid in H2: C3 GBP 100.00, C9 GBP 40.00, C10 EUR 30.00."""
    seed(fca_ctx)
    with fca_ctx.session_factory() as s:
        report = reporting.build(fca_ctx, s, returns.SUMMARY, H2)
    rows = {(f, g): v for f, g, v in report.rows}
    assert rows[("received", "Total")] == "7"
    assert rows[("received by category", "Delay")] == "7"
    assert rows[("received by category", "Costs / billing")] == "0"
    assert rows[("received by product", "Banking and credit cards")] == "3"
    assert rows[("received by product", "(not recorded)")] == "2"
    assert rows[("closed", "Total")] == "8"
    assert [
        rows[("closed by outcome", o)] for o in ("Upheld", "Partly upheld", "Not upheld", "Withdrawn by the client")
    ] == ["3", "1", "3", "1"]
    assert rows[("closed by root cause", "Delay")] == "1"
    assert rows[("closed by root cause", "(not recorded)")] == "7"
    assert [
        rows[("closed", b)]
        for b in ("within 3 business days", "after 3 business days, within 8 weeks", "after 8 weeks")
    ] == ["2", "4", "2"]
    assert rows[("days to close", "mean")] == "230.2"
    assert rows[("redress offered", "GBP")] == "0.00"
    assert rows[("redress paid", "GBP")] == "140.00" and rows[("redress paid", "EUR")] == "30.00"
    assert rows[("referred to the ombudsman", "Total")] == "0"
    assert csv_rows(report)[0] == ["figure", "group", "value"]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [("2026H1", date(2026, 1, 1), date(2026, 6, 30)), ("2026h2", date(2026, 7, 1), date(2026, 12, 31))],
)
def test_a_half_year(text, first, last):
    period = Period.half(text)
    assert (period.first, period.last) == (first, last)


@pytest.mark.parametrize("text", ["2026H3", "2026", "H1 2026", "26H1"])
def test_not_a_half_year(text):
    with pytest.raises(UserError, match="is not a half year"):
        Period.half(text)


def test_dates_the_wrong_way_round_or_too_far_apart():
    with pytest.raises(UserError, match="is after"):
        Period.between(date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(UserError, match="at most 366 days"):
        Period.between(date(2026, 1, 1), date(2027, 1, 2))


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def run(cli_run, monkeypatch):
    """`complaint-bot …` in this process against the test store, the firm's settings as fca_ctx's."""
    monkeypatch.setenv("FIRM_TIMEZONE", "Europe/London")
    monkeypatch.setenv("HOLIDAY_CALENDAR", "england-and-wales")
    monkeypatch.setenv("PRODUCT_GROUPS", ",".join(FCA_RETURN_GROUPS))
    return cli_run


def test_cli_prints_the_table_writes_the_csv_and_records_the_export(fca_ctx, run, tmp_path):
    seed(fca_ctx)
    status, out, err = run("report", "fca-return", "--period", "2026H2", "--out", "h2.csv")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == "FCA complaints return (DISP 1 Annex 1R), 1 Jul 2026 to 31 Dec 2026"
    assert lines[1].split() == FCA_ROWS[0]
    assert lines[2].split() == ["Banking", "and", "credit", "cards", *FCA_ROWS[1][1:]]
    assert lines[-1].split() == FCA_ROWS[-1]
    assert list(csv.reader(io.StringIO((tmp_path / "h2.csv").read_text()))) == FCA_ROWS
    assert "7 row(s); recorded as an export by cli:alice." in err
    status, out, _ = run("report", "fca-return", "--from", "2026-07-01", "--to", "2026-12-31", "--csv")
    assert status == 0 and list(csv.reader(io.StringIO(out))) == FCA_ROWS
    with fca_ctx.session_factory() as s:
        events = list(s.execute(select(Event).where(Event.kind == "exported")).scalars())
    assert [(e.actor, e.complaint_id, e.data["what"], e.data["rows"], e.data["sent_to"]) for e in events] == [
        ("cli:alice", None, "fca-return", 7, "h2.csv"),
        ("cli:alice", None, "fca-return", 7, None),
    ]


def test_cli_refuses_a_period_it_cannot_read(fca_ctx, run):
    status, _, err = run("report", "fca-return")
    assert status == 2 and "Say which period: --period 2026H1" in err
    status, _, err = run("report", "fca-return", "--period", "2026H1", "--from", "2026-01-01", "--to", "2026-01-02")
    assert status == 2 and "not both" in err
    status, _, err = run("report", "summary", "--from", "2026-02-01", "--to", "2026-01-01")
    assert status == 2 and "is after" in err
