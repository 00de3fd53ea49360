"""Lists a firm configures: its product or service groups (PRODUCT_GROUPS) and its root causes
(ROOT_CAUSES). Each is written as labels separated by commas; a label's value (what is stored and
exported) is its slug: "Wills and probate" → "wills_and_probate". A value stored under an earlier
list that is no longer in it stays as it was, shown by its value: nothing recorded is rewritten."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The root causes a firm finds and fixes (DISP 1.3.3R asks for recurring causes to be found).
DEFAULT_ROOT_CAUSES = (
    "Communication",
    "Delay",
    "Advice",
    "Costs information",
    "Process",
    "Staff conduct",
    "Third party",
    "System or data",
    "No fault found",
)
MAX_VALUE = 40
MAX_ITEMS = 50  # a Slack static select shows at most 100 options


def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.strip().lower()).strip("_")


@dataclass(frozen=True)
class Choices:
    """A configured list: (value, label) pairs in the firm's order."""

    items: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, labels: tuple[str, ...] | list[str]) -> Choices:
        return cls(tuple((slug(label), label.strip()) for label in labels))

    @classmethod
    def parse(cls, text: str, setting: str) -> Choices:
        """The list written in a setting; ValueError with a sentence naming `setting`."""
        labels = [part.strip() for part in text.split(",") if part.strip()]
        if not labels:
            raise ValueError(f"{setting} must list at least one entry, separated by commas.")
        if len(labels) > MAX_ITEMS:
            raise ValueError(f"{setting} may list at most {MAX_ITEMS} entries; it lists {len(labels)}.")
        choices = cls.of(labels)
        values = [v for v, _ in choices.items]
        for value, label in choices.items:
            if not value or len(value) > MAX_VALUE:
                raise ValueError(f"{setting}: {label!r} must have letters or digits, at most {MAX_VALUE} characters.")
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice:
            raise ValueError(f"{setting} names the same entry twice: {', '.join(twice)}.")
        return choices

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(v for v, _ in self.items)

    def options(self) -> list[tuple[str, str]]:
        return list(self.items)

    def label(self, value: str | None) -> str:
        """The label of `value`; a value no longer in the list is shown as stored."""
        if value is None:
            return ""
        return dict(self.items).get(value, value)

    def __contains__(self, value: object) -> bool:
        return value in self.values
