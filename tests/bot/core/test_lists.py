"""The lists a firm configures: labels in, slugs stored, old values shown as stored."""

from __future__ import annotations

import pytest

from bot.core.config import SettingsError, load_settings
from bot.core.lists import DEFAULT_ROOT_CAUSES, Choices


def test_labels_become_values_by_their_slug_in_the_firms_order():
    c = Choices.parse(" Wills and probate, Personal injury ,Costs/billing", "PRODUCT_GROUPS")
    assert c.items == (
        ("wills_and_probate", "Wills and probate"),
        ("personal_injury", "Personal injury"),
        ("costs_billing", "Costs/billing"),
    )
    assert "personal_injury" in c and "family" not in c
    assert c.label("wills_and_probate") == "Wills and probate"
    assert c.label("retired_value") == "retired_value" and c.label(None) == ""


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (" , ,", "ROOT_CAUSES must list at least one entry, separated by commas."),
        ("Delay, delay", "ROOT_CAUSES names the same entry twice: delay."),
        ("Delay, ***", "ROOT_CAUSES: '***' must have letters or digits, at most 40 characters."),
    ],
)
def test_a_bad_list_is_refused_with_a_sentence(text, error):
    with pytest.raises(ValueError) as e:
        Choices.parse(text, "ROOT_CAUSES")
    assert str(e.value) == error


def test_product_groups_default_to_the_schemes_and_root_causes_to_the_firms_list():
    fca = load_settings("cli", {"COMPLAINTS_SCHEME": "financial-ombudsman"})
    assert fca.product_groups.values == (
        "banking_and_credit_cards",
        "home_finance",
        "insurance_and_pure_protection",
        "decumulation_and_pensions",
        "investments",
    )
    law = load_settings("cli", {})
    assert law.product_groups.values[:3] == ("conveyancing", "family", "wills_and_probate")
    assert law.root_causes.values == Choices.of(DEFAULT_ROOT_CAUSES).values
    assert law.root_causes.values[-1] == "no_fault_found"
    assert law.currency.code == "GBP"
    own = load_settings("cli", {"PRODUCT_GROUPS": "Lending, Savings", "ROOT_CAUSES": "Delay", "CURRENCY": "usd"})
    assert own.product_groups.values == ("lending", "savings") and own.root_causes.values == ("delay",)
    assert own.currency.code == "USD" and own.currency.digits == 2


def test_bad_lists_and_currency_are_settings_problems_named_together():
    with pytest.raises(SettingsError) as e:
        load_settings("cli", {"PRODUCT_GROUPS": "", "ROOT_CAUSES": "A, a", "CURRENCY": "pounds"})
    text = str(e.value)
    assert "ROOT_CAUSES names the same entry twice: a." in text
    assert "CURRENCY: 'pounds' is not a currency code the bot knows" in text
