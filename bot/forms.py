"""Reading modal values: text, dates and choices, each with a clear error keyed by block id."""

from __future__ import annotations

from datetime import date
from typing import Mapping

Values = Mapping[str, str | None]


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


def bounded(values: Values, key: str, limit: int, errors: dict[str, str], *, label: str, required: bool) -> str | None:
    value = text(values, key)
    if value is None:
        if required:
            errors[key] = f"Enter the {label}."
        return None
    if len(value) > limit:
        errors[key] = f"Keep the {label} to {limit:,} characters (it has {len(value):,})."
    return value


def link(values: Values, key: str, errors: dict[str, str], *, limit: int = 500) -> str | None:
    value = text(values, key)
    if value is None:
        return None
    if not value.lower().startswith(("https://", "http://")) or any(ch in value for ch in " <>|") or len(value) > limit:
        errors[key] = "Enter a web link starting with https://, or leave it empty."
    return value


def choice(values: Values, key: str, enum, errors: dict[str, str], message: str):
    """The chosen member of `enum`, or None with `message` recorded against the field."""
    member = enum.parse(text(values, key))
    if member is None:
        errors[key] = message
    return member
