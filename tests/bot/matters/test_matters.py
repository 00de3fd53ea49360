"""Matters named by complaints and disclosures, set up later, and what each viewer sees of them,
on both databases."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from bot.access import Viewer
from bot.core.errors import UserError
from bot.disclosures import service as disclosures
from bot.matters import service as matters
from handlers.modals.disclosure import parse_disclosure
from storage import outbox as outbox_store
from storage.models import Complaint, Event, Matter
from tests.factories import disclosure_values, log, set_up_matter

LAWYER = "ULAWYER"


def the_matters(ctx) -> list[Matter]:
    with ctx.session_factory() as s:
        return list(s.execute(select(Matter).order_by(Matter.id)).scalars())


def matter_events(ctx, matter_id: int) -> list[Event]:
    with ctx.session_factory() as s:
        return list(s.execute(select(Event).where(Event.matter_id == matter_id).order_by(Event.id)).scalars())


def test_a_complaint_naming_a_new_matter_makes_it_not_set_up(ctx):
    first = log(ctx, matter_ref="M-2002")
    log(ctx, matter_ref="M-2002", client_name="Jane Client")
    [m] = the_matters(ctx)
    # No copy of the client's name: it would outlive the complaint's retention purge.
    assert (m.matter_ref, m.set_up, m.status, m.client_name, m.responsible_id) == (
        "M-2002",
        False,
        "open",
        None,
        None,
    )
    # named once: the second complaint on it finds it there
    [named] = matter_events(ctx, m.id)
    assert (named.kind, named.actor, named.data) == ("matter_named", "UREPORTER", {"by": first.reference})


def test_a_complaint_with_no_matter_reference_names_no_matter(ctx):
    log(ctx, matter_ref=None)
    assert the_matters(ctx) == []


def test_a_disclosure_naming_a_new_matter_makes_it_not_set_up(ctx):
    data = parse_disclosure(disclosure_values(matter_ref="M-3003"), today=ctx.today())
    logged = disclosures.log_disclosure(
        session_factory=ctx.session_factory,
        data=data,
        logged_by="UFEE",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    [m] = the_matters(ctx)
    assert (m.matter_ref, m.set_up) == ("M-3003", False)
    assert matter_events(ctx, m.id)[0].data == {"by": logged.disclosure.reference}


def test_the_matter_is_made_in_the_complaints_own_transaction(ctx, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the store went away")

    monkeypatch.setattr(outbox_store, "record_notification", fail)
    with pytest.raises(RuntimeError):
        log(ctx, matter_ref="M-4004")
    with ctx.session_factory() as s:
        assert s.execute(select(func.count()).select_from(Complaint)).scalar_one() == 0
    assert the_matters(ctx) == []


def test_opening_a_named_matter_sets_it_up(ctx):
    log(ctx, matter_ref="M-1001")
    [named] = the_matters(ctx)
    opened = set_up_matter(ctx, supervisor_id="UPARTNER", update_cadence_days=21)
    assert opened.was_named
    [m] = the_matters(ctx)
    assert (m.id, m.set_up, m.responsible_id, m.supervisor_id, m.update_cadence_days) == (
        named.id,
        True,
        LAWYER,
        "UPARTNER",
        21,
    )
    kinds = [(e.kind, e.data.get("set_up_after_named")) for e in matter_events(ctx, m.id)]
    assert kinds == [("matter_named", None), ("matter_opened", True)]
    # set up once: a second opening is refused and changes nothing
    with pytest.raises(UserError, match="already open"):
        set_up_matter(ctx, client_name="Someone Else")
    assert the_matters(ctx)[0].client_name == "Jane Client"


def test_a_new_matter_is_open_and_set_up_with_the_default_cadence(ctx):
    opened = set_up_matter(ctx)
    assert not opened.was_named
    [m] = the_matters(ctx)
    assert (m.set_up, m.update_cadence_days, m.opened_on) == (True, 14, date(2026, 11, 20))


def test_who_named_the_matter_is_the_teams_to_see(ctx):
    log(ctx, matter_ref="M-1001")
    set_up_matter(ctx)
    with ctx.session_factory() as s:
        care = dict(settings=ctx.settings, policy=ctx.matter_policy, now=ctx.clock.now())
        lawyer = matters.matter_view(session=s, matter_ref="M-1001", viewer=Viewer(LAWYER, team=False), **care)
        team = matters.matter_view(session=s, matter_ref="M-1001", viewer=Viewer("ULEAD", team=True), **care)
    # The lawyer neither reported nor handles the complaint: it is not theirs to see, nor what named the matter.
    assert [e.kind for e in lawyer.events] == ["matter_opened"] and lawyer.record.complaints == []
    assert [e.kind for e in team.events] == ["matter_named", "matter_opened"]
    assert [c.matter_ref for c in team.record.complaints] == ["M-1001"]


def test_closing_twice_is_refused(ctx):
    set_up_matter(ctx)
    closed = matters.close_matter(
        session_factory=ctx.session_factory, matter_ref="M-1001", actor=LAWYER, now=ctx.clock.now()
    )
    assert closed.status == "closed"
    with pytest.raises(UserError, match="already closed"):
        matters.close_matter(
            session_factory=ctx.session_factory, matter_ref="M-1001", actor=LAWYER, now=ctx.clock.now()
        )
