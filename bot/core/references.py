"""References people quote: CMP-2026-0001 for complaints, DSC-2026-0001 for disclosures."""

from __future__ import annotations

import re

from bot.core.errors import UserError

COMPLAINT = "CMP"
DISCLOSURE = "DSC"
_EXAMPLES = {COMPLAINT: "complaint", DISCLOSURE: "disclosure"}


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:04d}"


def parse_reference(prefix: str, text: str | None) -> str:
    """`cmp-2026-7` → `CMP-2026-0007`; a clear error for anything else."""
    raw = (text or "").strip()
    match = re.match(rf"^{prefix}-(\d{{4}})-(\d{{1,6}})$", raw, re.IGNORECASE)
    if not match:
        raise UserError(f"“{raw}” is not a {_EXAMPLES[prefix]} reference; they look like {prefix}-2026-0001.")
    return format_reference(prefix, int(match.group(1)), int(match.group(2)))


def split_reference(reference: str) -> tuple[int, int]:
    """The year and number of a reference in its stored form (`CMP-2026-0007` → 2026, 7)."""
    _, year, number = reference.split("-")
    return int(year), int(number)
