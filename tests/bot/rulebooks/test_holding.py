"""What a holding response does to the final-response deadline under each scheme, and the letter's
wording. Every date is worked out by hand in the comment beside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from bot.core.config import load_settings
from bot.reminders.policy import ComplaintFacts, ReminderKind
from bot.rulebooks.holding import (
    counting_basis,
    final_response_basis,
    is_extended,
    latest_expected_on,
    moved_due_on,
)
from bot.rulebooks.letters import scheme_values
from bot.rulebooks.schemes import RULEBOOKS
from bot.templates import render_holding_response

PAYMENTS = RULEBOOKS["financial-ombudsman-payments"]
BASE = {"TRIAGE_CHANNEL": "C0123TRIAGE"}


def settings_for(scheme: str, **env: str):
    return load_settings("preview", {**BASE, "COMPLAINTS_SCHEME": scheme, **env})


# Received Wed 16 Dec 2026, England & Wales. 15 business days: Thu 17 (1) … Thu 24 (6),
# [Fri 25 Christmas Day, Mon 28 Boxing Day's substitute], Tue 29 (7) … Thu 31 (9), [Fri 1 Jan],
# Mon 4 (10) … Fri 8 (14), Mon 11 Jan 2027 (15). 35: Tue 12 (16) … Fri 15 (19), Mon 18 (20) … Fri 22
# (24), Mon 25 (25) … Fri 29 (29), Mon 1 Feb (30) … Fri 5 (34), Mon 8 Feb 2027 (35).
RECEIVED = date(2026, 12, 16)
FIFTEEN = date(2027, 1, 11)
THIRTY_FIVE = date(2027, 2, 8)


@pytest.mark.parametrize(
    "scheme, env, received_on, latest",
    [
        ("financial-ombudsman-payments", {}, RECEIVED, THIRTY_FIVE),
        # Scotland also closes Mon 4 Jan 2027 (2 January's substitute), one business day more:
        # Tue 9 Feb 2027.
        ("financial-ombudsman-payments", {"HOLIDAY_CALENDAR": "scotland"}, RECEIVED, date(2027, 2, 9)),
        # Fri 20 Nov 2026: Mon 23 (1) … Fri 18 Dec (20), Mon 21 (21) … Thu 24 (24), [25, 28 Dec],
        # Tue 29 (25) … Thu 31 (27), [1 Jan], Mon 4 (28) … Fri 8 (32), Mon 11 (33), Tue 12 (34),
        # Wed 13 Jan 2027 (35).
        ("financial-ombudsman-payments", {}, date(2026, 11, 20), date(2027, 1, 13)),
        # The 8-week schemes set no limit on the date a holding response names.
        ("financial-ombudsman", {}, RECEIVED, None),
        ("legal-ombudsman", {}, RECEIVED, None),
        ("none", {}, RECEIVED, None),
    ],
)
def test_the_latest_date_a_holding_reply_may_name(scheme, env, received_on, latest):
    settings = settings_for(scheme, **env)
    assert latest_expected_on(settings.rulebook, settings.policy(), received_on) == latest


@pytest.mark.parametrize(
    "scheme, sent_on, expected_on, moved",
    [
        # Payments: sent within the 15 business days, naming a later date: the deadline moves to it.
        ("financial-ombudsman-payments", date(2027, 1, 5), THIRTY_FIVE, THIRTY_FIVE),
        ("financial-ombudsman-payments", date(2027, 1, 5), date(2027, 1, 29), date(2027, 1, 29)),
        # Sent on the deadline day itself: still in time.
        ("financial-ombudsman-payments", FIFTEEN, date(2027, 1, 29), date(2027, 1, 29)),
        # Sent the day after the deadline: too late to extend it.
        ("financial-ombudsman-payments", date(2027, 1, 12), date(2027, 1, 29), None),
        # Naming a date not after the deadline: nothing to move.
        ("financial-ombudsman-payments", date(2027, 1, 5), FIFTEEN, None),
        # The 8-week schemes never move the deadline (16 Dec + 56 days = Wed 10 Feb 2027).
        ("financial-ombudsman", date(2027, 2, 1), date(2027, 3, 1), None),
        ("legal-ombudsman", date(2027, 2, 1), date(2027, 3, 1), None),
        ("none", date(2027, 2, 1), date(2027, 3, 1), None),
    ],
)
def test_only_a_timely_payments_holding_reply_moves_the_deadline(scheme, sent_on, expected_on, moved):
    settings = settings_for(scheme)
    due_on = settings.policy().final_response_due_on(RECEIVED)
    assert moved_due_on(settings.rulebook, due_on=due_on, sent_on=sent_on, expected_on=expected_on) == moved


@dataclass
class Deadlined:
    received_on: date
    final_response_due_on: date | None
    holding_response_sent_on: date | None = None


def test_a_moved_deadline_names_the_holding_reply_as_its_basis():
    settings = settings_for("financial-ombudsman-payments")
    book, policy = settings.rulebook, settings.policy()
    plain = Deadlined(RECEIVED, FIFTEEN)
    assert not is_extended(book, policy, plain)
    assert final_response_basis(book, policy, plain) == "15 business days, DISP 1.6.2AR, England & Wales bank holidays"
    moved = Deadlined(RECEIVED, date(2027, 1, 29), holding_response_sent_on=date(2027, 1, 5))
    assert is_extended(book, policy, moved)
    assert final_response_basis(book, policy, moved) == (
        "set by the holding reply: at most 35 business days, DISP 1.6.2AR, England & Wales bank holidays"
    )
    # Under an 8-week scheme a holding response leaves the basis as it was.
    fos = settings_for("financial-ombudsman")
    held = Deadlined(RECEIVED, date(2027, 2, 10), holding_response_sent_on=date(2027, 2, 1))
    assert final_response_basis(fos.rulebook, fos.policy(), held) == "8 weeks, DISP 1.6.2R"


def test_warnings_before_a_moved_deadline_have_keys_of_their_own():
    policy = settings_for("financial-ombudsman-payments").policy()
    facts = dict(reference="CMP-2026-0009", status="triaged", logged_at=datetime(2026, 12, 16, 10, tzinfo=UTC))
    # 14 days before Mon 11 Jan is Mon 28 Dec, a bank holiday: the warning goes the working day
    # before, Thu 24 Dec at 09:00.
    before = ComplaintFacts(**facts, received_on=RECEIVED, final_response_due_on=FIFTEEN)
    [warning] = policy.due(before, datetime(2026, 12, 24, 9, 30, tzinfo=UTC))
    assert warning.key == "final-warning:CMP-2026-0009:14d"
    # Moved to Mon 8 Feb: 14 days before is Mon 25 Jan 2027, 09:00.
    after = ComplaintFacts(**facts, received_on=RECEIVED, final_response_due_on=THIRTY_FIVE)
    assert policy.due(after, datetime(2027, 1, 25, 8, 59, tzinfo=UTC)) == []
    [warning] = policy.due(after, datetime(2027, 1, 25, 9, 0, tzinfo=UTC))
    assert warning.kind == ReminderKind.FINAL_WARNING and warning.key == "final-warning:CMP-2026-0009:14d:2027-02-08"
    # The breach is the day after the moved date, Tue 9 Feb at 09:00, and not before.
    assert [r.kind for r in policy.due(after, datetime(2027, 2, 9, 8, 59, tzinfo=UTC))] == [ReminderKind.FINAL_WARNING]
    [breach] = policy.due(after, datetime(2027, 2, 9, 9, 0, tzinfo=UTC))
    assert breach.key == "final-breach:CMP-2026-0009"


VALUES = dict(
    client_name="Ms Jane Client",
    reference="CMP-2026-0009",
    received_on="16 Dec 2026",
    reason="We are waiting for the bank's records of the payment.",
    expected_by="8 Feb 2027",
    limit_ends_on="10 Feb 2027",
    firm_name="Example & Co LLP",
)


@pytest.mark.parametrize("scheme", sorted(RULEBOOKS))
def test_the_holding_letter_says_what_the_scheme_asks(scheme):
    settings = settings_for(scheme)
    values = {**VALUES, **scheme_values(settings.rulebook, settings.policy())}
    del values["ombudsman_paragraph"]  # the acknowledgement's: the holding letter has its own
    letter = render_holding_response(None, scheme=scheme, **values)
    text = letter.text
    assert letter.template == "holding-response.txt" and len(letter.version) == 12
    assert "$" not in text
    assert "Dear Ms Jane Client," in text and "CMP-2026-0009" in text and "received on 16 Dec 2026" in text
    assert "Why we need more time: We are waiting for the bank's records of the payment." in text
    assert "We now expect to send you our final response by 8 Feb 2027." in text
    assert text.endswith("Example & Co LLP")
    if scheme == "financial-ombudsman":
        # DISP 1.6.2R(2): why, when, that they may refer now, and the service's details and website.
        assert "you may now refer your complaint to the Financial Ombudsman Service" in text
        assert "www.financial-ombudsman.org.uk" in text and "explanatory leaflet" in text
    elif scheme == "financial-ombudsman-payments":
        # DISP 1.6.2AR(2): the reasons and the deadline for the final response, within 35 business days.
        assert "You will receive our final response by 8 Feb 2027 at the latest" in text
        assert "within 35 business days of our receiving your complaint" in text
        assert "beyond our control" in text and "www.financial-ombudsman.org.uk" in text
        assert "may now refer" not in text
    elif scheme == "legal-ombudsman":
        assert "once 8 weeks have passed since we received your complaint (on 10 Feb 2027)" in text
        assert "Legal Ombudsman" in text and "www.legalombudsman.org.uk" in text
        assert "Financial Ombudsman" not in text
    else:
        assert "mbudsman" not in text
        assert "we will explain what further steps are open to you" in text


def test_a_firms_own_holding_template_is_used_and_its_version_recorded(tmp_path):
    own = tmp_path / "our-holding.txt"
    own.write_text("Dear $client_name, $reason Until $expected_by. $ombudsman_paragraph $unknown", encoding="utf-8")
    settings = settings_for("financial-ombudsman")
    values = {**VALUES, **scheme_values(settings.rulebook, settings.policy())}
    del values["ombudsman_paragraph"]
    letter = render_holding_response(str(own), scheme="financial-ombudsman", **values)
    # As for every letter: the firm's template is recorded by its path as configured.
    assert letter.template == str(own)
    assert letter.text.startswith("Dear Ms Jane Client, We are waiting for the bank's records of the payment. Until")
    assert "may now refer" in letter.text and letter.text.endswith("$unknown")
    default = render_holding_response(None, scheme="financial-ombudsman", **values)
    assert letter.version != default.version
    own.write_text(own.read_text(encoding="utf-8") + " Kind regards.", encoding="utf-8")
    assert render_holding_response(str(own), scheme="financial-ombudsman", **values).version != letter.version


def test_a_list_of_deadlines_says_a_holding_reply_may_have_moved_them():
    payments = settings_for("financial-ombudsman-payments")
    assert counting_basis(payments.rulebook, payments.policy()) == (
        "15 business days, DISP 1.6.2AR, England & Wales bank holidays; a holding reply may set a later date, "
        "at most 35 business days after receipt"
    )
    leo = settings_for("legal-ombudsman")
    assert counting_basis(leo.rulebook, leo.policy()) == "8 weeks, Legal Ombudsman Scheme Rules"
