"""Reading modal values: text, dates and choices, each with a clear error keyed by block id.

Free text is held to the rule in bot/core/text.py, the one the register's import applies, so whatever a
modal stores can be exported and imported again.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TypeVar

from bot.core.money import Currency
from bot.core.text import Refusal, Why, refusal
from bot.core.vocabulary import LabelledEnum

Values = Mapping[str, str | None]
Choice = TypeVar("Choice", bound=LabelledEnum)


def text(values: Values, key: str) -> str | None:
    value = values.get(key)
    if value is None:
        return None
    value = value.strip()
    return value or None


def day(values: Values, key: str, errors: dict[str, str], *, required: bool = True) -> date | None:
    raw = text(values, key)
    if raw is None:
        if required:
            errors[key] = "Choose a date."
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[key] = "That is not a date; use the date picker."
        return None


def money(values: Values, key: str, errors: dict[str, str], *, currency: Currency) -> int | None:
    """An amount in whole minor units of `currency`, or None when the field is empty; what
    bot/core/money.Currency.parse says of a bad one is recorded against the field."""
    raw = text(values, key)
    if raw is None:
        return None
    try:
        return currency.parse(raw)
    except ValueError as e:
        errors[key] = str(e)
        return None


def bounded(values: Values, key: str, limit: int, errors: dict[str, str], *, label: str, required: bool) -> str | None:
    """Free text of at most `limit` characters, none of them one the store refuses."""
    value = text(values, key)
    if value is None:
        if required:
            errors[key] = f"Enter {_the(label)}."
        return None
    refused = refusal(value, limit=limit)
    if refused is not None:
        errors[key] = refused_sentence(refused, label=label)
    return value


def refused_sentence(refused: Refusal, *, label: str) -> str:
    """What a person is told, under the field, about text the store refuses."""
    if refused.why == Why.TOO_LONG:
        return f"Keep {_the(label)} to {refused.limit:,} characters (it has {refused.length:,})."
    subject = _the(label)
    return (
        f"{subject[0].upper()}{subject[1:]} contains {refused.what} that cannot be stored; remove it and submit again."
    )


def _the(label: str) -> str:
    """`label` as the subject of a sentence: "the summary", but "what was disclosed"."""
    return label if label.startswith("what ") else f"the {label}"


def link(values: Values, key: str, errors: dict[str, str], *, limit: int = 500) -> str | None:
    value = text(values, key)
    if value is None:
        return None
    refused = refusal(value)
    if refused is not None:
        errors[key] = refused_sentence(refused, label="link")
    elif (
        not value.lower().startswith(("https://", "http://")) or any(ch in value for ch in " <>|") or len(value) > limit
    ):
        errors[key] = "Enter a web link starting with https://, or leave it empty."
    return value


def choice(values: Values, key: str, enum: type[Choice], errors: dict[str, str], message: str) -> Choice | None:
    """The chosen member of `enum`, or None with `message` recorded against the field."""
    member = enum.parse(text(values, key))
    if member is None:
        errors[key] = message
    return member
