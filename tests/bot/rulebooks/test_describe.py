"""The rulebook in force, as `complaint-bot check` prints it."""

from __future__ import annotations

from datetime import date

from bot.core.config import load_settings
from bot.rulebooks.describe import rulebook_lines

BASE = {"TRIAGE_CHANNEL": "C0123TRIAGE"}


def lines_for(today: date, **env: str) -> list[str]:
    settings = load_settings("preview", {**BASE, **env})
    return rulebook_lines(settings, settings.policy(), today)


def test_the_default_rulebook_names_its_scheme_deadline_ombudsman_and_closed_days():
    lines = lines_for(date(2026, 12, 2))
    assert lines[0] == "scheme         legal-ombudsman: Legal Ombudsman (SRA-regulated firms in England and Wales)"
    assert lines[1] == "final response 8 weeks, Legal Ombudsman Scheme Rules"
    assert lines[2] == "triage         clock-hours: within 24 hours of logging, nights and weekends included"
    assert any("PO Box 6167, Slough SL1 0EH" in line for line in lines)
    assert "calendar       england-and-wales: England & Wales bank holidays" in lines
    closed = lines[lines.index("calendar       england-and-wales: England & Wales bank holidays") + 1 :]
    # The coming 12 months from Wed 2 Dec 2026, weekdays only: Christmas Day (Fri 25 Dec), the
    # Boxing Day substitute (Mon 28 Dec), New Year's Day (Fri 1 Jan), Good Friday (26 Mar) and
    # Easter Monday (29 Mar), the early May (3 May), spring (31 May) and summer (30 Aug) bank
    # holidays; Christmas 2027 falls on a Saturday, its substitute (Mon 27 Dec) is past 2 Dec 2027.
    assert [c.strip().split("  ")[0] for c in closed] == [
        "Fri 25 Dec 2026",
        "Mon 28 Dec 2026",
        "Fri 1 Jan 2027",
        "Fri 26 Mar 2027",
        "Mon 29 Mar 2027",
        "Mon 3 May 2027",
        "Mon 31 May 2027",
        "Mon 30 Aug 2027",
    ]


def test_the_payments_rulebook_says_15_and_35_business_days_and_summary_resolution():
    lines = "\n".join(lines_for(date(2026, 12, 2), COMPLAINTS_SCHEME="financial-ombudsman-payments"))
    assert "final response 15 business days, DISP 1.6.2AR, England & Wales bank holidays" in lines
    assert "up to 35 business days when a holding reply gave the reasons and the date" in lines
    assert "third business day after receipt (DISP 1.5)" in lines
    assert "Financial Ombudsman Service, Exchange Tower, London E14 9SR" in lines
    assert "(DISP 2.8.2R)" in lines


def test_business_hours_triage_is_printed_with_its_hours_and_calendar():
    lines = lines_for(date(2026, 12, 2), TRIAGE_CLOCK="business-hours", WORKING_HOURS="08:30-17:00")
    assert lines[2] == (
        "triage         business-hours: within 24 working hours, 08:30–17:00 Europe/London on business "
        "days, England & Wales bank holidays"
    )


def test_no_scheme_has_no_ombudsman_and_a_weekends_only_calendar():
    lines = lines_for(date(2026, 12, 2), COMPLAINTS_SCHEME="none")
    assert "ombudsman      none: resolving needs no ombudsman points" in lines
    assert lines[-2:] == [
        "calendar       none: weekends only",
        "               no weekday is closed in the coming 12 months",
    ]
    assert not any("Ombudsman" in line for line in lines)


def test_app_home_says_how_its_final_response_dates_are_counted():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from bot.home.messages import home_view
    from storage.models import Complaint
    from tests.e2e import validate_view

    now = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    mine = Complaint(
        reference="CMP-2026-0042",
        client_name="Jane Client",
        category="delay",
        status="triaged",
        received_on=date(2026, 11, 20),
        logged_at=now,
        triage_due_at=now,
        handler_id="UHANDLER1",
        # 15 business days from Fri 20 Nov 2026 on England & Wales bank holidays: Fri 11 Dec 2026.
        final_response_due_on=date(2026, 12, 11),
        next_update_due_at=datetime(2026, 12, 4, 10, 0, tzinfo=UTC),
    )
    basis = load_settings("preview", {**BASE, "COMPLAINTS_SCHEME": "financial-ombudsman-payments"}).policy()
    view = home_view(
        user_id="UHANDLER1",
        mine=(1, [mine]),
        overdue=0,
        awaiting=(0, []),
        tz=ZoneInfo("Europe/London"),
        now=now,
        deadline_basis=basis.final_response_basis,
    )
    validate_view(view)
    text = str(view["blocks"])
    assert "final response by 11 Dec 2026" in text
    assert (
        "Final-response dates are counted from receipt: 15 business days, DISP 1.6.2AR, "
        "England & Wales bank holidays." in text
    )
    # Nothing of yours listed: no line about dates.
    empty = home_view(
        user_id="UOTHER",
        mine=(0, []),
        overdue=0,
        awaiting=(0, []),
        tz=ZoneInfo("UTC"),
        now=now,
        deadline_basis=basis.final_response_basis,
    )
    assert "counted from receipt" not in str(empty["blocks"])
