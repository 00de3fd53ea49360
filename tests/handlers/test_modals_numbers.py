"""Numbers typed into modals and commands: ASCII digits only, anything else a sentence, never a crash."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.errors import FieldErrors, UserError
from bot.core.text import whole_number
from handlers.listeners.commands.answering import page_number
from handlers.modals.triage import parse_triage
from tests.fakes import triage_values


@pytest.mark.parametrize(
    ("typed", "number"), [("7", 7), ("007", 7), ("²", None), ("١٢", None), ("7.0", None), ("", None)]
)
def test_whole_numbers_are_ascii_digits_alone(typed, number):
    assert whole_number(typed) == number


@pytest.mark.parametrize("typed", ["²", "١٢", "٣"])
def test_a_cadence_in_other_digits_is_a_field_error(typed):
    with pytest.raises(FieldErrors) as e:
        parse_triage(triage_values(update_cadence_days=typed), today=date(2026, 11, 23))
    assert e.value.errors == {"update_cadence_days": "Enter a whole number of days from 1 to 90, or leave it empty."}


def test_a_page_in_other_digits_is_a_sentence():
    with pytest.raises(UserError, match="is not a page number"):
        page_number(["²"])
    assert page_number(["2"]) == 2
