"""The register's columns for the client's details, the redress and the referral: an export imported
into an empty store and exported again gives the same bytes; amounts read back exactly; an older
register without the columns still imports; a bad value is reported by line and column."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from sqlalchemy import select, update

from bot.core.money import Currency
from storage.models import Complaint
from tests.bot.records.test_register import (  # noqa: F401 (other_store is a fixture)
    csv_text,
    export,
    import_into,
    log,
    other_store,
    rows_of,
)
from tests.conftest import T0
from tests.factories import resolve

NEW = (
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


def a_store_with_records(ctx) -> list[str]:
    ctx.clock.set(T0 + timedelta(days=2))
    first = log(ctx, received_on="2026-11-20")
    second = log(ctx, received_on="2026-11-21")
    resolve(ctx, first, redress_offered="1,250.50", redress_paid="1250.5", redress_paid_on="2026-11-24")
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
    assert {k: rows[0][k] for k in NEW} == {
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
    old = [{k: v for k, v in r.items() if k not in NEW and k != "reference"} for r in rows]
    old[0]["root_cause"] = "costs"  # a root cause of the old list, the categories
    report = import_into(other_store, csv_text(old, header=list(old[0])), ctx)
    assert report.written and report.rejections == ()
    again = rows_of(export(other_store))
    assert again[-2]["root_cause"] == "costs_information"
    assert all(again[-1][k] == "" for k in NEW)
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
    from bot.records import register

    header = next(csv.reader(io.StringIO(register.describe())))
    assert all(register.describe().count(f"| `{name}` |") == 1 for name in NEW), header
