"""Amounts of money, exactly: parsed from what a person types into whole minor units (pence,
cents) of the firm's CURRENCY, stored as integers, never as floating point, and shown back with
the currency's code. One place for the rule; the modals and the register's import word its errors
for their readers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# ISO 4217 codes the bot knows, with their minor-unit digits (ISO 4217's "minor unit" column).
MINOR_DIGITS: dict[str, int] = {
    "GBP": 2,
    "EUR": 2,
    "USD": 2,
    "CAD": 2,
    "AUD": 2,
    "NZD": 2,
    "CHF": 2,
    "SEK": 2,
    "NOK": 2,
    "DKK": 2,
    "PLN": 2,
    "CZK": 2,
    "HKD": 2,
    "SGD": 2,
    "ZAR": 2,
    "INR": 2,
    "JPY": 0,
    "KRW": 0,
    "ISK": 0,
    "BHD": 3,
    "KWD": 3,
}
DEFAULT_CURRENCY = "GBP"
# An amount as typed: digits with optional thousands commas, optional decimals; the code or a
# symbol in front is allowed and ignored when it is the firm's own.
_AMOUNT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")
_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "JPY": "¥"}
# Larger than any redress a firm pays, small enough for a 64-bit column in every currency.
MAX_MINOR = 10**15


@dataclass(frozen=True)
class Currency:
    code: str
    digits: int

    @classmethod
    def of(cls, code: str) -> Currency:
        """The currency of an ISO 4217 code the bot knows; ValueError naming those it does."""
        upper = code.strip().upper()
        if upper not in MINOR_DIGITS:
            raise ValueError(f"{code!r} is not a currency code the bot knows ({', '.join(sorted(MINOR_DIGITS))})")
        return cls(upper, MINOR_DIGITS[upper])

    def parse(self, text: str) -> int:
        """Whole minor units of `text` ("1,250.50" → 125050 in GBP); ValueError with a sentence for a
        person: negative, not a number, more decimals than the currency has, too large."""
        typed = text.strip().replace(" ", "")
        for prefix in (self.code, self.code.lower(), _SYMBOLS.get(self.code, "\0")):
            if typed.startswith(prefix):
                typed = typed[len(prefix) :]
                break
        if typed.startswith("-"):
            raise ValueError("An amount cannot be negative.")
        m = _AMOUNT.match(typed)
        if not m:
            raise ValueError(f"Write the amount in {self.code} as a number, e.g. {self.example}.")
        decimals = m.group(1) or ""
        if len(decimals) > self.digits:
            if self.digits == 0:
                raise ValueError(f"{self.code} amounts have no decimals: write a whole number, e.g. {self.example}.")
            raise ValueError(f"{self.code} amounts have at most {self.digits} decimals, e.g. {self.example}.")
        try:
            minor = int(Decimal(typed.replace(",", "")).scaleb(self.digits))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise ValueError(f"Write the amount in {self.code} as a number, e.g. {self.example}.") from None
        if minor > MAX_MINOR:
            raise ValueError(f"That amount is larger than the bot can record ({self.format(MAX_MINOR)}).")
        return minor

    def format(self, minor: int) -> str:
        """ "GBP 1,250.50": the code, then the amount with thousands commas and every decimal."""
        whole, part = divmod(minor, 10**self.digits)
        text = f"{whole:,}"
        if self.digits:
            text += f".{part:0{self.digits}d}"
        return f"{self.code} {text}"

    def plain(self, minor: int) -> str:
        """The amount as a register writes it: "1250.50", no code, no commas (it reads back exactly)."""
        whole, part = divmod(minor, 10**self.digits)
        return f"{whole}.{part:0{self.digits}d}" if self.digits else str(whole)

    @property
    def example(self) -> str:
        return "1,250" if self.digits == 0 else "1,250." + "5".ljust(self.digits, "0")
