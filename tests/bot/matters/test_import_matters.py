"""`complaint-bot import-matters`: a good file set up in one go, a file with bad rows writes
nothing and reports every one, on both databases."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from bot.core.lists import Choices
from bot.matters.importing import import_matters
from handlers import cli
from storage.models import Event, Matter
from tests.factories import log

AREAS = Choices.of(("Conveyancing", "Family"))
HEADER = "matter_ref,client_name,responsible_id,supervisor_id,area,opened_on,update_cadence_days,next_key_date,next_key_date_what"
GOOD = (
    f"{HEADER}\r\n"
    "M-1001,Jane Client,ULAWYER,UPARTNER,conveyancing,2026-11-02,,2026-12-15,exchange of contracts\r\n"
    "M-1002,John Client,ULAWYER,,family,2026-10-01,21,,\r\n"
)


def do_import(ctx, content: str, *, dry_run: bool = False):
    return import_matters(
        session_factory=ctx.session_factory,
        source=io.StringIO(content, newline=""),
        file_name="matters.csv",
        actor="cli:alice",
        now=ctx.clock.now(),
        tz=ctx.tz,
        areas=AREAS,
        dry_run=dry_run,
    )


def counts(ctx) -> tuple[int, int]:
    with ctx.session_factory() as s:
        return (
            s.execute(select(func.count()).select_from(Matter)).scalar_one(),
            s.execute(select(func.count()).select_from(Event)).scalar_one(),
        )


def test_a_good_file_sets_up_every_matter_and_one_named_first(ctx):
    log(ctx, matter_ref="M-1002")  # named by a complaint first: the import sets it up
    report = do_import(ctx, GOOD)
    assert (report.rows, report.set_up, report.rejections, report.written) == (2, 1, (), True)
    with ctx.session_factory() as s:
        rows = s.execute(select(Matter).order_by(Matter.matter_ref)).scalars().all()
        opened = s.execute(select(Event).where(Event.kind == "matter_opened").order_by(Event.id)).scalars().all()
    assert [(m.matter_ref, m.set_up, m.supervisor_id, m.update_cadence_days, m.next_key_date_what) for m in rows] == [
        ("M-1001", True, "UPARTNER", 14, "exchange of contracts"),
        ("M-1002", True, None, 21, None),
    ]
    assert [(e.actor, e.data["imported_from"]) for e in opened] == [("cli:alice", "matters.csv")] * 2
    # Once set up, the same file again is rejected row by row.
    again = do_import(ctx, GOOD)
    assert not again.written and [str(r) for r in again.rejections] == [
        "line 2, column matter_ref: M-1001 is already set up in the store",
        "line 3, column matter_ref: M-1002 is already set up in the store",
    ]


def test_a_dry_run_writes_nothing(ctx):
    report = do_import(ctx, GOOD, dry_run=True)
    assert (report.rows, report.written) == (2, False) and counts(ctx) == (0, 0)


def test_bad_rows_write_nothing_and_every_one_is_reported(ctx):
    content = (
        f"{HEADER}\r\n"
        "M-1001,Jane Client,ULAWYER,,conveyancing,2026-11-02,,,\r\n"
        "M-1002,,not-a-member,,tax,2026-11-31,0,,\r\n"
        "M-1001,Again,ULAWYER,,family,2027-01-01,,,the hearing\r\n"
    )
    report = do_import(ctx, content)
    assert not report.written and report.rows == 1 and report.rejected_rows == 2
    reported = [(r.line, r.column) for r in report.rejections]
    assert reported == [
        (3, "responsible_id"),
        (3, "area"),
        (3, "opened_on"),
        (3, "update_cadence_days"),
        (3, "client_name"),
        (4, "opened_on"),
        (4, "next_key_date"),
        (4, "matter_ref"),
    ]
    assert "2027-01-01 is in the future" in str(report.rejections[5])
    assert counts(ctx) == (0, 0)


def test_a_header_without_a_required_column_or_with_an_unknown_one(ctx):
    report = do_import(ctx, "matter_ref,client,area\r\nM-1,Jane,family\r\n")
    assert [(r.line, r.column) for r in report.rejections] == [
        (1, "client"),
        (1, "client_name"),
        (1, "responsible_id"),
        (1, "opened_on"),
    ]
    assert counts(ctx) == (0, 0)


@pytest.fixture
def run(db_url, engine, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("PRODUCT_GROUPS", "Conveyancing, Family")
    monkeypatch.setattr("getpass.getuser", lambda: "alice")

    def _run(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        status = cli.main(list(args))
        return status, capsys.readouterr().out

    return _run


def test_the_command_line(ctx, run, tmp_path):
    (tmp_path / "matters.csv").write_text(GOOD, newline="")
    assert run("import-matters", "matters.csv", "--dry-run") == (
        0,
        "2 matters would be imported (0 named first by a complaint or a disclosure). Nothing was written (dry run).\n",
    )
    assert counts(ctx) == (0, 0)
    assert run("import-matters", "matters.csv") == (
        0,
        "2 matters imported (0 named first by a complaint or a disclosure).\n",
    )
    status, out = run("import-matters", "matters.csv")
    assert status == 1 and out.splitlines()[-1] == (
        "2 row(s) rejected, so no matters were imported (an import is all or nothing); 0 row(s) are fine."
    )
