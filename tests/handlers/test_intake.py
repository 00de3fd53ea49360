"""The intake modal's client dates: when the problem happened and when the client became aware of it."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core import ids
from bot.core.errors import FieldErrors
from handlers.modals.intake import intake_modal, parse_intake
from tests.e2e import validate_view
from tests.fakes import intake_values

TODAY = date(2026, 11, 23)
F = ids.IntakeField


def test_the_modal_asks_for_both_dates_optionally_and_says_why():
    view = intake_modal(today=TODAY)
    validate_view(view)
    by_id = {b.get("block_id"): b for b in view["blocks"]}
    for field, label in (
        (F.PROBLEM_ON, "When did the problem happen?"),
        (F.AWARE_ON, "When did the client become aware of it?"),
    ):
        block = by_id[field]
        assert block["label"]["text"] == label and block["optional"] is True
        assert block["element"]["type"] == "datepicker" and "initial_date" not in block["element"]
        assert "ombudsman's time limits" in block["hint"]["text"]


def test_both_dates_are_optional():
    parsed = parse_intake(intake_values(), today=TODAY)
    assert (parsed.problem_on, parsed.aware_on) == (None, None)


@pytest.mark.parametrize(
    "problem_on, aware_on",
    [
        ("2026-03-03", "2026-04-10"),
        ("2026-03-03", None),
        (None, "2026-04-10"),
        # All on the day received: the problem that day, the client aware at once.
        ("2026-11-20", "2026-11-20"),
        (" 2026-03-03 ", "2026-03-03"),
    ],
)
def test_dates_that_agree_are_taken(problem_on, aware_on):
    parsed = parse_intake(intake_values(problem_on=problem_on, aware_on=aware_on), today=TODAY)
    assert parsed.problem_on == (date.fromisoformat(problem_on.strip()) if problem_on else None)
    assert parsed.aware_on == (date.fromisoformat(aware_on) if aware_on else None)


# The intake values' complaint was received on Fri 20 Nov 2026.
@pytest.mark.parametrize(
    "values, errors",
    [
        (
            {"problem_on": "2026-11-21"},
            {F.PROBLEM_ON: "The problem cannot have happened after the complaint was received (20 Nov 2026)."},
        ),
        (
            {"aware_on": "2026-11-21"},
            {F.AWARE_ON: "The client cannot have become aware after the complaint was received (20 Nov 2026)."},
        ),
        (
            {"problem_on": "2026-04-10", "aware_on": "2026-03-03"},
            {F.AWARE_ON: "The client cannot have become aware of the problem before it happened."},
        ),
        # Both after the day received: each says so, once.
        (
            {"problem_on": "2026-11-22", "aware_on": "2026-11-21"},
            {
                F.PROBLEM_ON: "The problem cannot have happened after the complaint was received (20 Nov 2026).",
                F.AWARE_ON: "The client cannot have become aware after the complaint was received (20 Nov 2026).",
            },
        ),
        # Held against the day received as given, even one earlier than the default.
        (
            {"received_on": "2026-02-01", "problem_on": "2026-03-03"},
            {F.PROBLEM_ON: "The problem cannot have happened after the complaint was received (1 Feb 2026)."},
        ),
        ({"problem_on": "2026-02-30"}, {F.PROBLEM_ON: "That is not a date; use the date picker."}),
        # An unreadable problem date: awareness is not held against it.
        (
            {"problem_on": "03/03/2026", "aware_on": "2026-01-01"},
            {F.PROBLEM_ON: "That is not a date; use the date picker."},
        ),
    ],
)
def test_dates_that_contradict_are_field_errors(values, errors):
    with pytest.raises(FieldErrors) as raised:
        parse_intake(intake_values(**values), today=TODAY)
    assert raised.value.errors == errors
