"""Texts the firm may reword: the acknowledgement to the client (acknowledgement.txt) and the
paragraph on the ombudsman of each complaints scheme (ombudsman-<scheme>.txt) it includes."""

from __future__ import annotations

from pathlib import Path
from string import Template

DEFAULT_ACKNOWLEDGEMENT = Path(__file__).with_name("acknowledgement.txt")


def render_acknowledgement(path: str | None = None, **values: str) -> str:
    """Fill the acknowledgement template; unknown $names are left as written, never an error."""
    source = Path(path) if path else DEFAULT_ACKNOWLEDGEMENT
    return Template(source.read_text(encoding="utf-8")).safe_substitute(values).strip()


def render_ombudsman_paragraph(scheme: str, **values: str) -> str:
    """The paragraph that tells the client of their ombudsman (or, with no scheme, of what comes
    next), from ombudsman-<scheme>.txt; a firm's own acknowledgement template may leave it out."""
    source = Path(__file__).with_name(f"ombudsman-{scheme}.txt")
    return Template(source.read_text(encoding="utf-8")).safe_substitute(values).strip()
