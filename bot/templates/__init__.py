"""Texts the firm may reword: the acknowledgement to the client lives in acknowledgement.txt."""

from __future__ import annotations

from pathlib import Path
from string import Template

DEFAULT_ACKNOWLEDGEMENT = Path(__file__).with_name("acknowledgement.txt")


def render_acknowledgement(path: str | None = None, **values: str) -> str:
    """Fill the acknowledgement template; unknown $names are left as written, never an error."""
    source = Path(path) if path else DEFAULT_ACKNOWLEDGEMENT
    return Template(source.read_text(encoding="utf-8")).safe_substitute(values).strip()
