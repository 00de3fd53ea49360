"""What the disclosures service takes: a new disclosure. Plain values, already checked
(handlers/modals/disclosure.py reads them from the modal)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.vocabulary import AckStatus, DisclosedVia, DisclosureKind


@dataclass(frozen=True)
class NewDisclosure:
    client_name: str
    matter_ref: str
    kind: DisclosureKind
    content: str
    disclosed_on: date
    via: DisclosedVia
    ack_status: AckStatus
    follow_up_on: date | None = None
    document_url: str | None = None
    source_message_url: str | None = None
    # A costs estimate's (or revised estimate's) amount, in minor units of the firm's CURRENCY.
    amount: int | None = None
