"""Every message that states a triage deadline: with business-hours triage it names how the deadline
was counted; with clock hours (the default) it states the time alone, as before."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.complaints.messages import complaint_list, reporter_confirmation, triage_alert
from bot.core.config import load_settings
from bot.home.messages import home_view
from bot.reminders.messages import reminder_message
from storage.models import Complaint
from tests.e2e import validate_message, validate_view

LONDON = ZoneInfo("Europe/London")
LOGGED = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)  # Fri 4 Dec 2026 17:00 GMT
BASE = {"TRIAGE_CHANNEL": "C0123TRIAGE"}


def policy(**env: str):
    return load_settings("preview", {**BASE, **env}).policy()


def new_complaint(triage_due_at: datetime) -> Complaint:
    return Complaint(
        reference="CMP-2026-0007",
        client_name="Jane Client",
        category="delay",
        status="new",
        received_on=date(2026, 12, 4),
        received_via="email",
        logged_at=LOGGED,
        triage_due_at=triage_due_at,
        reporter_id="UREPORTER",
        handler_id="UHANDLER1",
        summary="No reply to three emails.",
        final_response_due_on=date(2027, 1, 29),
    )


def stated_texts(p) -> list[str]:
    """The text and blocks of each message that states the triage deadline, built as the bot builds them."""
    c = new_complaint(p.triage_due_at(LOGGED))
    out = []
    for text, blocks in (
        reporter_confirmation(c, tz=LONDON, acknowledgement="Dear Jane", triage_basis=p.triage_basis),
        triage_alert(c, tz=LONDON, triage_basis=p.triage_basis),
        reminder_message("triage-warning", c, tz=LONDON, lead=None, triage_basis=p.triage_basis),
        reminder_message("triage-breach", c, tz=LONDON, lead=None, triage_basis=p.triage_basis),
    ):
        validate_message(blocks)
        out.append(f"{text}\n{blocks}")
    return out


def test_business_hours_deadlines_name_their_basis():
    p = policy(TRIAGE_CLOCK="business-hours")
    # Fri 4 Dec 2026 17:00 + 24 working hours (09:00–17:30): 0.5 Fri, 8.5 Mon, 8.5 Tue, 6.5 Wed:
    # Wed 9 Dec 2026 15:30 GMT.
    due = datetime(2026, 12, 9, 15, 30, tzinfo=UTC)
    basis = "24 working hours, 09:00–17:30 Europe/London on business days, England & Wales bank holidays"
    stated = f"<!date^{int(due.timestamp())}^{{date_short_pretty}} {{time}}|09 Dec 2026 15:30 GMT> ({basis})"
    for text in stated_texts(p):
        assert stated in text


def test_clock_hours_deadlines_state_the_time_alone():
    # Fri 4 Dec 2026 17:00 + 24 hours = Sat 5 Dec 2026 17:00 GMT, with nothing after it.
    due = datetime(2026, 12, 5, 17, 0, tzinfo=UTC)
    stated = f"<!date^{int(due.timestamp())}^{{date_short_pretty}} {{time}}|05 Dec 2026 17:00 GMT>"
    for text in stated_texts(policy()):
        assert stated in text
        assert f"{stated} (" not in text and "working hours" not in text


@pytest.mark.parametrize("clock, noted", [("business-hours", True), ("clock-hours", False)])
def test_lists_of_triage_deadlines_name_the_count_once(clock, noted):
    p = policy(TRIAGE_CLOCK=clock)
    c = new_complaint(p.triage_due_at(LOGGED))
    note = "Triage deadlines are counted in 24 working hours, 09:00–17:30 Europe/London"
    _, listed = complaint_list([c, c], viewer="ULEAD", page=1, pages=1, total=2, tz=LONDON, triage_basis=p.triage_basis)
    validate_message(listed)
    assert str(listed).count(note) == (1 if noted else 0)
    view = home_view(
        user_id="UHANDLER1",
        mine=(1, [c]),
        overdue=0,
        awaiting=(0, []),
        tz=LONDON,
        now=LOGGED,
        triage_basis=p.triage_basis,
    )
    validate_view(view)
    assert str(view["blocks"]).count(note) == (1 if noted else 0)
    # No complaint awaiting triage in the list: no note about triage deadlines.
    c.status = "triaged"
    _, listed = complaint_list([c], viewer="ULEAD", page=1, pages=1, total=1, tz=LONDON, triage_basis=p.triage_basis)
    assert note not in str(listed)
