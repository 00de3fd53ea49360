"""App Home puts clients in vulnerable circumstances first: the complaints team sees every open
complaint of a vulnerable client at the top, whoever handles it; everyone's own list puts theirs
first and marks them; nobody outside the team sees anyone else's. Over HTTP, views.publish to the
Slack double, each view validated as Slack would (tests.factories.published)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from storage import reports
from storage.models import Complaint
from tests.factories import log, open_home, stored, triage

ADJUSTMENTS = "Large-print letters; calls only after 2 pm."
VULNERABLE_HEAD = "*Clients in vulnerable circumstances:*"
CLIENTS = ("Alice Able", "Bob Baker", "Cara Cole", "Dan Dale", "Ed Eve")


def mark(ctx, reference: str, *, vulnerable: bool | None, adjustments: str | None = None) -> None:
    """Record the client's circumstances as the triage modal would once it asks (a column of 0007)."""
    with ctx.session_factory.begin() as s:
        s.execute(
            update(Complaint)
            .where(Complaint.reference == reference)
            .values(vulnerable=vulnerable, adjustments=adjustments)
        )


def seed(ctx) -> dict[str, str]:
    """UHANDLER1 handles A (critical: its update is due first; vulnerable unset, as on a complaint
    logged before the field existed) and B (low; vulnerable, adjustments recorded); UHANDLER2
    handles C (vulnerable, no adjustments yet) and D (not vulnerable); E, vulnerable, is not yet
    triaged. ULEAD and UHANDLER1 are the triage channel's members (the complaints team)."""
    refs = {key: log(ctx, client_name=name).reference for key, name in zip("ABCDE", CLIENTS, strict=True)}
    triage(ctx, refs["A"], handler="UHANDLER1", severity="critical")
    triage(ctx, refs["B"], handler="UHANDLER1", severity="low")
    triage(ctx, refs["C"], handler="UHANDLER2", severity="medium")
    triage(ctx, refs["D"], handler="UHANDLER2", severity="critical")
    mark(ctx, refs["B"], vulnerable=True, adjustments=ADJUSTMENTS)
    mark(ctx, refs["C"], vulnerable=True, adjustments="  ")
    mark(ctx, refs["D"], vulnerable=False)
    mark(ctx, refs["E"], vulnerable=True)
    return refs


def sections(view: dict) -> list[str]:
    return [b["text"]["text"] for b in view["blocks"] if b["type"] == "section" and "text" in b]


def order(lines: list[str], refs: dict[str, str]) -> str:
    """The complaints in `lines`, by their keys in `refs`, in the order shown."""
    by_ref = {ref: key for key, ref in refs.items()}
    return "".join(by_ref[line[1:].split("*")[0]] for line in lines if line[1:].split("*")[0] in by_ref)


def test_the_team_sees_vulnerable_clients_first_and_marked(live, slack_double):
    bot, slack, ctx = live
    refs = seed(ctx)
    stored_a, stored_b = stored(ctx, refs["A"]), stored(ctx, refs["B"])
    assert stored_a.next_update_due_at < stored_b.next_update_due_at  # A would come first by due date alone

    view = open_home(bot, slack, slack_double, "UHANDLER1")  # a member of the team who handles A and B
    lines = sections(view)
    head = next(i for i, s in enumerate(lines) if s.startswith(VULNERABLE_HEAD))
    mine = lines.index("*Your open complaints:* 2")
    assert lines[head] == f"{VULNERABLE_HEAD} 3 open complaint(s), whoever handles them"
    assert head < mine  # at the top, above their own list and the firm's counts
    assert order(lines[head:mine], refs) == "CBE"  # the soonest client update first (C medium, B low); E has none yet
    assert order(lines[mine:], refs) == "BA"  # their own: B, vulnerable, before A, whose update is sooner
    c_line, b_line, e_line = lines[head + 1 : head + 4]
    assert ":large_orange_diamond: *vulnerable client* (adjustments recorded) · <@UHANDLER1>" in b_line
    assert "*vulnerable client* (no adjustments recorded) · <@UHANDLER2>" in c_line  # blank is none
    assert "*vulnerable client* (no adjustments recorded) · not yet assigned" in e_line
    body = json.dumps(view["blocks"], ensure_ascii=False)
    assert "Large-print" not in body  # what the adjustments are is for /complaint show, not Home
    a_line = next(s for s in lines[mine:] if s.startswith(f"*{refs['A']}*"))
    assert "vulnerable" not in a_line and "<@" not in a_line.split("\n")[0]  # own list: no handler named

    lead = sections(open_home(bot, slack, slack_double, "ULEAD"))  # handles nothing
    assert order(lead, refs) == "CBE" and "*Your open complaints:* 0" in lead


def test_outside_the_team_only_their_own_are_shown_theirs_marked(live, slack_double):
    bot, slack, ctx = live
    refs = seed(ctx)
    other = open_home(bot, slack, slack_double, "UHANDLER2")  # handles C and D, not in the team
    lines = sections(other)
    assert not any(s.startswith(VULNERABLE_HEAD) for s in lines)
    assert order(lines, refs) == "CD"  # C, vulnerable, before D, whose update is sooner (critical)
    c_line = next(s for s in lines if s.startswith(f"*{refs['C']}*"))
    assert "*vulnerable client* (no adjustments recorded)" in c_line
    body = json.dumps(other["blocks"], ensure_ascii=False)
    for key in "ABE":
        assert refs[key] not in body and CLIENTS["ABCDE".index(key)] not in body

    outsider = json.dumps(open_home(bot, slack, slack_double, "UOUTSIDER")["blocks"], ensure_ascii=False)
    assert "vulnerable" not in outsider
    for key, ref in refs.items():
        assert ref not in outsider and CLIENTS["ABCDE".index(key)] not in outsider


@pytest.fixture
def many(ctx) -> dict[str, str]:
    """Four open complaints for UHANDLER1, logged in order: 1 and 2 critical (updates due soonest),
    3 low and vulnerable, 4 low; and 5, vulnerable and resolved-looking (closed: never listed)."""
    refs = {str(n): log(ctx, client_name=f"Client Number{n}").reference for n in range(1, 6)}
    for n, severity in (("1", "critical"), ("2", "critical"), ("3", "low"), ("4", "low"), ("5", "low")):
        triage(ctx, refs[n], handler="UHANDLER1", severity=severity)
    mark(ctx, refs["3"], vulnerable=True)
    mark(ctx, refs["5"], vulnerable=True)
    with ctx.session_factory.begin() as s:
        s.execute(update(Complaint).where(Complaint.reference == refs["5"]).values(status="resolved"))
    return refs


def test_vulnerable_first_holds_across_the_limit(ctx, many):
    with ctx.session_factory() as s:
        total, first = reports.open_for_handler(s, "UHANDLER1", limit=2)
        team_total, team_first = reports.open_of_vulnerable_clients(s, limit=1)
    # by due date alone the first two would be 1 and 2; 3 is vulnerable and takes the first place
    assert (total, [c.reference for c in first]) == (4, [many["3"], many["1"]])
    assert (team_total, [c.reference for c in team_first]) == (1, [many["3"]])  # 5 is closed
