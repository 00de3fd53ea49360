"""A matter named for the first time by a complaint or a disclosure: made then, flagged as not set
up, in the same transaction as what named it, so that every matter reference on record has its
matter. Kept apart from bot/matters/service.py, which reads complaints and disclosures, so that
their services can call this without a cycle."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.core.vocabulary import EventKind
from storage import matters as matters_store
from storage.models import Event


def opened_key(matter_ref: str) -> str:
    """The dedupe key of the message confirming the matter opened (it shows the client's name)."""
    return f"matter-opened:{matter_ref}"


def name_matter(session: Session, *, matter_ref: str | None, named_by: str, actor: str, now: datetime) -> bool:
    """Make the matter `matter_ref` unless it exists; True if it was made. `named_by` is the
    reference of the complaint or disclosure that named it. It holds no client's name until it is
    set up: a copy of the complaint's would outlive the complaint's retention purge."""
    if not matter_ref:
        return False
    matter_id = matters_store.insert_if_missing(session, matter_ref=matter_ref, now=now)
    if matter_id is None:
        # What the matter's client has been told, or complained of, changed: its nudges and risk.
        matters_store.look_again(session, matter_ref, now=now)
        return False
    session.add(Event(matter_id=matter_id, kind=EventKind.MATTER_NAMED, actor=actor, at=now, data={"by": named_by}))
    return True
