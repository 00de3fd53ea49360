"""Texts the firm may reword: the acknowledgement to the client (acknowledgement.txt) and the
paragraph on the ombudsman of each complaints scheme (ombudsman-<scheme>.txt) it includes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
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


DEFAULT_HOLDING_RESPONSE = Path(__file__).with_name("holding-response.txt")


@dataclass(frozen=True)
class Letter:
    """A filled letter as the record keeps it: which template, which version of its wording, the text."""

    template: str
    # A short sha256 of the wording used (the letter's template and the scheme paragraph's), so the
    # record shows which wording was sent even after a firm edits its file.
    version: str
    text: str


def render_holding_response(path: str | None, *, scheme: str, **values: str) -> Letter:
    """The holding response (holding-response.txt, or the firm's file at `path`) with the scheme's
    paragraph on the client's ombudsman rights now (holding-<scheme>.txt) as $ombudsman_paragraph."""
    source = Path(path) if path else DEFAULT_HOLDING_RESPONSE
    wording = source.read_text(encoding="utf-8")
    paragraph = Path(__file__).with_name(f"holding-{scheme}.txt").read_text(encoding="utf-8")
    filled = Template(paragraph).safe_substitute(values).strip()
    text = Template(wording).safe_substitute({**values, "ombudsman_paragraph": filled}).strip()
    version = hashlib.sha256(f"{wording}\0{paragraph}".encode()).hexdigest()[:12]
    return Letter(template=source.name, version=version, text=text)
