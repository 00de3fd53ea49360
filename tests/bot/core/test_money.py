"""Amounts parsed exactly into minor units, refused with a sentence, and shown back."""

from __future__ import annotations

import pytest

from bot.core.money import MAX_MINOR, Currency


@pytest.mark.parametrize(
    ("code", "typed", "minor"),
    [
        ("GBP", "250", 25000),
        ("GBP", "250.5", 25050),
        ("GBP", "1,250.75", 125075),
        ("GBP", "£1,250.75", 125075),
        ("GBP", "GBP 0.01", 1),
        ("GBP", " 0 ", 0),
        ("JPY", "12,000", 12000),
        ("KWD", "1.125", 1125),
        # 0.1 + 0.2 is 0.30000000000000004 in floating point; here it is 30 pence, exactly.
        ("GBP", "0.30", 30),
    ],
)
def test_amounts_are_parsed_into_whole_minor_units(code, typed, minor):
    assert Currency.of(code).parse(typed) == minor


@pytest.mark.parametrize(
    ("code", "typed", "error"),
    [
        ("GBP", "-5", "An amount cannot be negative."),
        ("GBP", "five pounds", "Write the amount in GBP as a number, e.g. 1,250.50."),
        ("GBP", "12.345", "GBP amounts have at most 2 decimals, e.g. 1,250.50."),
        ("GBP", "1,25", "Write the amount in GBP as a number, e.g. 1,250.50."),
        ("GBP", "1e3", "Write the amount in GBP as a number, e.g. 1,250.50."),
        ("GBP", "", "Write the amount in GBP as a number, e.g. 1,250.50."),
        ("JPY", "100.5", "JPY amounts have no decimals: write a whole number, e.g. 1,250."),
        ("GBP", "$5", "Write the amount in GBP as a number, e.g. 1,250.50."),
    ],
)
def test_bad_amounts_are_refused_with_a_sentence(code, typed, error):
    with pytest.raises(ValueError) as e:
        Currency.of(code).parse(typed)
    assert str(e.value) == error


def test_an_amount_too_large_to_record_is_refused():
    gbp = Currency.of("GBP")
    assert gbp.parse(gbp.plain(MAX_MINOR)) == MAX_MINOR
    with pytest.raises(ValueError, match="larger than the bot can record"):
        gbp.parse(gbp.plain(MAX_MINOR + 1))


def test_amounts_are_shown_with_the_code_and_written_to_read_back_exactly():
    gbp, jpy = Currency.of("gbp"), Currency.of("JPY")
    assert gbp.format(125075) == "GBP 1,250.75" and gbp.format(5) == "GBP 0.05"
    assert jpy.format(1200000) == "JPY 1,200,000"
    assert gbp.plain(125075) == "1250.75" and gbp.plain(0) == "0.00" and jpy.plain(12) == "12"
    for minor in (0, 1, 99, 100, 125075, 10**12 + 7):
        assert gbp.parse(gbp.plain(minor)) == minor


def test_an_unknown_currency_names_the_known_ones():
    with pytest.raises(ValueError, match=r"'XYZ' is not a currency code the bot knows \(AUD, BHD"):
        Currency.of("XYZ")
