"""What text the store takes: one rule for what a modal submits and what a register imports.

Slack's text inputs pass any character on, and a register is whatever a spreadsheet saved. Both
end up in the same columns, and the register must import what the bot stored, so both are held to
the same rule here: at most the field's length, and no character that cannot be stored or that
would not come back the same. Those are control characters other than newline and tab (a NUL
cannot be stored in PostgreSQL text; a carriage return or an escape sequence is changed or acted
on by what reads the text later) and lone surrogates (half of a UTF-16 pair, which is not a
character and cannot be written as UTF-8: a JSON "\\ud800", or a byte of a file that was not
UTF-8). Each caller says the problem in its own words, of a modal field or of a register cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

# C0 controls but tab (09) and newline (0a), DEL and the C1 controls, and every surrogate code point.
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


class Why(Enum):
    CONTROL = "control"
    SURROGATE = "surrogate"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class Refusal:
    """Why a text cannot be stored, with what a sentence about it needs."""

    why: Why
    length: int
    limit: int | None = None
    # Where the first refused character is (1-based) and its code point, for CONTROL and SURROGATE.
    at: int = 0
    code: int = 0

    @property
    def character(self) -> str:
        """The refused character as a person can look it up: U+001B."""
        return f"U+{self.code:04X}"

    @property
    def what(self) -> str:
        """The refused character and where it is, for a sentence: "a control character (U+001B) at character 5"."""
        kind = (
            f"a control character ({self.character})"
            if self.why == Why.CONTROL
            else "a broken character (half of a UTF-16 pair)"
        )
        return f"{kind} at character {self.at:,}"


def refusal(value: str, *, limit: int | None = None) -> Refusal | None:
    """Why `value` cannot be stored (its characters first, then its length), or None if it can."""
    found = _REFUSED.search(value)
    if found is not None:
        code = ord(found.group())
        why = Why.SURROGATE if 0xD800 <= code <= 0xDFFF else Why.CONTROL
        return Refusal(why, len(value), limit, at=found.start() + 1, code=code)
    if limit is not None and len(value) > limit:
        return Refusal(Why.TOO_LONG, len(value), limit)
    return None


def storable(value: str, *, limit: int | None = None) -> bool:
    return refusal(value, limit=limit) is None


def whole_number(value: str) -> int | None:
    """`value` as a whole number when it is written in ASCII digits 0-9 alone, else None. Not
    str.isdigit: it also says yes to "²" and other digits int() does not read, or reads as another
    number than the one shown ("١٢" is 12)."""
    return int(value) if value.isascii() and value.isdigit() else None
