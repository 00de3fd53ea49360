"""Texts the firm may reword: the acknowledgement to the client (acknowledgement.txt) and the
paragraph on the ombudsman of each complaints scheme (ombudsman-<scheme>.txt) it includes; the
final response (final-response.txt, with final-response-ombudsman-<scheme>.txt, outcome-<outcome>.txt
and remedy.txt), the summary resolution communication (summary-resolution.txt) and the holding
response (holding-response.txt, with holding-<scheme>.txt)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from string import Template

DEFAULT_ACKNOWLEDGEMENT = Path(__file__).with_name("acknowledgement.txt")
DEFAULT_FINAL_RESPONSE = Path(__file__).with_name("final-response.txt")
DEFAULT_SUMMARY_RESOLUTION = Path(__file__).with_name("summary-resolution.txt")
DEFAULT_HOLDING_RESPONSE = Path(__file__).with_name("holding-response.txt")
# Hex digits of the SHA-256 a letter's version keeps: enough to tell wordings apart, short to read.
VERSION_DIGITS = 12


def render_acknowledgement(path: str | None = None, **values: str) -> str:
    """Fill the acknowledgement template; unknown $names are left as written, never an error."""
    source = Path(path) if path else DEFAULT_ACKNOWLEDGEMENT
    return Template(source.read_text(encoding="utf-8")).safe_substitute(values).strip()


def render_ombudsman_paragraph(scheme: str, **values: str) -> str:
    """The paragraph that tells the client of their ombudsman (or, with no scheme, of what comes
    next), from ombudsman-<scheme>.txt; a firm's own acknowledgement template may leave it out."""
    source = Path(__file__).with_name(f"ombudsman-{scheme}.txt")
    return Template(source.read_text(encoding="utf-8")).safe_substitute(values).strip()


@dataclass(frozen=True)
class Letter:
    """A letter filled for the client: the template it came from (a built-in file's name, or the
    firm's path as configured), its version (the SHA-256, shortened, of every wording it was
    filled from: the template and the paragraph files it took in), and its text."""

    template: str
    version: str
    text: str

    def as_record(self) -> dict[str, str]:
        return {"template": self.template, "version": self.version, "text": self.text}


def render_final_response(path: str | None = None, *, scheme: str, outcome: str, **values: str) -> Letter:
    """The final response: `path` (the firm's file) or final-response.txt, with $outcome_statement
    from outcome-<outcome>.txt, $remedy_paragraph from remedy.txt (when `values` has a remedy) and
    $ombudsman_paragraph from final-response-ombudsman-<scheme>.txt: what a final response must
    say of the ombudsman, which the acknowledgement's paragraph (written before any response) does not."""
    parts = {
        "outcome_statement": _built_in(f"outcome-{outcome}.txt"),
        "ombudsman_paragraph": _built_in(f"final-response-ombudsman-{scheme}.txt"),
        **_remedy_part(values),
    }
    return _letter(path, DEFAULT_FINAL_RESPONSE, parts, values)


def render_summary_resolution(path: str | None = None, **values: str) -> Letter:
    """The summary resolution communication (FCA DISP 1.5.4R): `path` or summary-resolution.txt,
    with $remedy_paragraph from remedy.txt when `values` has a remedy."""
    return _letter(path, DEFAULT_SUMMARY_RESOLUTION, _remedy_part(values), values)


def _built_in(name: str) -> Path:
    return Path(__file__).with_name(name)


def _remedy_part(values: Mapping[str, str]) -> dict[str, Path]:
    return {"remedy_paragraph": _built_in("remedy.txt")} if values.get("remedy") else {}


def _letter(path: str | None, default: Path, parts: Mapping[str, Path], values: Mapping[str, str]) -> Letter:
    """Fill each part, then the letter with the values and the parts. Each is filled once, so a
    `$` in a value (a remedy of "$250") is kept as typed. A paragraph with nothing to say (no
    remedy) leaves no gap of blank lines."""
    source = Path(path) if path else default
    wording = [source.read_text(encoding="utf-8")]
    filled = {"remedy_paragraph": "", **values}
    for name, part in sorted(parts.items()):
        text = part.read_text(encoding="utf-8")
        wording.append(text)
        filled[name] = Template(text).safe_substitute(values).strip()
    text = Template(wording[0]).safe_substitute(filled).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    digest = hashlib.sha256("\0".join(wording).encode("utf-8"))
    return Letter(template=path or default.name, version=digest.hexdigest()[:VERSION_DIGITS], text=text)


def render_holding_response(path: str | None = None, *, scheme: str, **values: str) -> Letter:
    """The holding response: `path` (the firm's file) or holding-response.txt, with the scheme's
    paragraph on the client's ombudsman rights now (holding-<scheme>.txt) as $ombudsman_paragraph."""
    parts = {"ombudsman_paragraph": _built_in(f"holding-{scheme}.txt")}
    return _letter(path, DEFAULT_HOLDING_RESPONSE, parts, values)
