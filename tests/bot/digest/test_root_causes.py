"""The digest's root causes over time: complaints resolved per root cause in the 13 weeks to the
digest's week against the 13 before, counted in SQL on the resolved_at index, shown by the firm's
labels (a retired value as stored), the busiest five, numbers only.

Weeks are counted back from the digest's week, W47 (16–22 Nov 2026): week 1 is W47, week 13 is W35
(from Mon 24 Aug), week 14 is W34, week 26 is W22 (from Mon 25 May), week 27 is W21. London is on
summer time (UTC+1) until 25 Oct, so the August and May edges fall an hour before midnight UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, text

from bot.core.context import make_context
from bot.core.lists import Choices
from bot.digest import messages
from bot.digest import service as digest
from bot.digest.service import Week
from bot.reminders.sweep import sweep
from storage.models import Complaint
from tests.conftest import make_settings
from tests.e2e import validate_message
from tests.fakes import no_team

LONDON = ZoneInfo("Europe/London")
W47 = Week(date(2026, 11, 16))
AS_OF = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # Monday 09:30: the W47 digest is due
TITLE = "Root causes, last 13 weeks"
SPAN = "Complaints resolved in 2026-W35 – 2026-W47, against 2026-W22 – 2026-W34."


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON).astimezone(UTC)


def resolved(n: int, root_cause: str | None, at: datetime | None, *, client: str | None = None) -> Complaint:
    """A complaint resolved at `at` (None: still open) with `root_cause`, logged three days before."""
    logged = (at or AS_OF) - timedelta(days=3)
    return Complaint(
        reference=f"CMP-2026-{n:04d}",
        ref_year=2026,
        ref_seq=n,
        client_name=client or f"Client Number{n}",
        received_via="email",
        received_on=logged.date(),
        category="delay",
        summary="What went wrong.",
        reporter_id="UREPORTER",
        logged_at=logged,
        status="resolved" if at else "new",
        triage_due_at=logged + timedelta(hours=24),
        final_response_due_on=logged.date() + timedelta(weeks=8),
        resolved_at=at,
        resolved_by="UHANDLER1" if at else None,
        outcome="upheld" if at else None,
        root_cause=root_cause,
    )


# The hand count, by root cause: (recent W35–W47, before W22–W34).
#   delay              1 W47 Sun 23:59, 2 W47 Mon 00:00, 3 W35 Mon 00:30 BST (23:30 UTC Sunday)  → 3
#                      4 W34 Sun 23:59 BST, 5 W22 Mon 00:00 BST                                   → 2
#                      not counted: 6 W21 Sun 23:59 BST (week 27), 7 W48 Mon 00:00 (after the week)
#   advice             8 W46, 9 W36                                                  → 2;  before 0
#   communication      10 W40, 11 W45                                                → 2;  12 13 14 W30 → 3
#   other (retired)    15 W41, 16 W42                                                → 2;  17 W25 18 W33 → 2
#   costs_information  19 W44                                                        → 1;  20 21 22 23 W28 → 4
#   process            24 W39                                                        → 1;  before 0
#   staff_conduct      none recent                                                   → 0;  25 W23 → 1
#   (none recorded)    26 W47                                                        → 1;  before 0
#   and 27, open: neither resolved nor counted.
# Ties at 2 go by label (Advice, Communication, other); at 1, Costs information before Process,
# which is sixth and left out, as is Staff conduct.
def seed(session_factory) -> None:
    rows = [
        resolved(1, "delay", london(2026, 11, 22, 23, 59)),
        resolved(2, "delay", london(2026, 11, 16, 0, 0)),
        resolved(3, "delay", london(2026, 8, 24, 0, 30)),
        resolved(4, "delay", london(2026, 8, 23, 23, 59)),
        resolved(5, "delay", london(2026, 5, 25, 0, 0)),
        resolved(6, "delay", london(2026, 5, 24, 23, 59)),
        resolved(7, "delay", london(2026, 11, 23, 0, 0)),
        resolved(8, "advice", london(2026, 11, 10, 12)),
        resolved(9, "advice", london(2026, 9, 1, 12)),
        resolved(10, "communication", london(2026, 9, 29, 12)),
        resolved(11, "communication", london(2026, 11, 3, 12)),
        *[resolved(n, "communication", london(2026, 7, 21 + n - 12, 12)) for n in (12, 13, 14)],
        resolved(15, "other", london(2026, 10, 6, 12)),
        resolved(16, "other", london(2026, 10, 13, 12)),
        resolved(17, "other", london(2026, 6, 16, 12)),
        resolved(18, "other", london(2026, 8, 11, 12)),
        resolved(19, "costs_information", london(2026, 10, 27, 12)),
        *[resolved(n, "costs_information", london(2026, 7, 6 + n - 20, 12)) for n in (20, 21, 22, 23)],
        resolved(24, "process", london(2026, 9, 22, 12)),
        resolved(25, "staff_conduct", london(2026, 6, 2, 12)),
        resolved(26, None, london(2026, 11, 18, 12)),
        resolved(27, "delay", None),
    ]
    with session_factory.begin() as s:
        s.add_all(rows)


EXPECTED = [
    "Delay 3 (was 2, +1)",
    "Advice 2 (was 0, +2)",
    "Communication 2 (was 3, -1)",
    "other 2 (was 2, no change)",
    "Costs information 1 (was 4, -3)",
    "No root cause recorded: 1 (was 0, +1)",
    SPAN,
]


def section(d: digest.Digest) -> list[str]:
    [found] = [s.lines for s in digest.sections(d) if s.title == TITLE]
    return found


def test_the_weeks_edges_fall_where_the_hand_count_says():
    first, recent, last = digest.root_cause_span(W47)
    assert (first.label, recent.label, last.label) == ("2026-W22", "2026-W35", "2026-W47")
    assert recent.start(LONDON) == datetime(2026, 8, 23, 23, 0, tzinfo=UTC)  # Mon 24 Aug 00:00 BST
    assert first.start(LONDON) == datetime(2026, 5, 24, 23, 0, tzinfo=UTC)


def test_root_causes_match_the_hand_count(session_factory):
    seed(session_factory)
    with session_factory() as s:
        d = digest.compute(s, W47, now=AS_OF, tz=LONDON)
    assert [(t.label, t.now, t.before) for t in d.root_causes] == [
        ("Delay", 3, 2),
        ("Advice", 2, 0),
        ("Communication", 2, 3),
        ("other", 2, 2),
        ("Costs information", 1, 4),
    ]
    assert d.root_cause_unrecorded is not None
    assert (d.root_cause_unrecorded.now, d.root_cause_unrecorded.before) == (1, 0)
    assert section(d) == EXPECTED


def test_the_firms_own_labels_name_the_causes(session_factory):
    seed(session_factory)
    firm = Choices.of(["Delay & drift", "Advice", "Communication", "Costs information", "Process"])
    # "delay & drift" is stored as delay_drift: the old "delay" rows are now a retired value, shown as stored.
    with session_factory() as s:
        lines = section(digest.compute(s, W47, now=AS_OF, tz=LONDON, root_causes=firm))
    assert lines[0] == "delay 3 (was 2, +1)"
    with session_factory.begin() as s:
        s.execute(text("UPDATE complaints SET root_cause = 'delay_drift' WHERE root_cause = 'delay'"))
    with session_factory() as s:
        d = digest.compute(s, W47, now=AS_OF, tz=LONDON, root_causes=firm)
    # escaped for mrkdwn in Slack, as typed in a terminal
    assert section(d)[0] == "Delay & drift 3 (was 2, +1)"
    assert digest.sections(d, esc=lambda t: t.replace("&", "&amp;"))[-2].lines[0] == "Delay &amp; drift 3 (was 2, +1)"


def test_with_nothing_resolved_in_26_weeks_it_says_so_in_one_line(session_factory):
    with session_factory.begin() as s:
        s.add_all(
            [
                resolved(1, "delay", london(2026, 5, 24, 23, 59)),  # week 27: outside
                resolved(2, "delay", london(2026, 11, 23, 0, 0)),  # after the digest's week
                resolved(3, None, None),  # open: the digest is not the short one
            ]
        )
    with session_factory() as s:
        d = digest.compute(s, W47, now=AS_OF, tz=LONDON)
    assert d.root_causes == [] and d.root_cause_unrecorded is None
    assert section(d) == ["No complaint was resolved in the 26 weeks to 2026-W47."]


def test_the_posted_digest_shows_the_root_causes_and_no_names(db_url, engine, session_factory, notifier, clock):
    ctx = make_context(
        settings=make_settings(db_url, digest_channel="CDIGEST01"),
        engine=engine,
        session_factory=session_factory,
        notifier=notifier,
        clock=clock,
        team=no_team(),
    )
    seed(session_factory)
    sweep(ctx)
    [post] = [m for m in notifier.sent if m.op == "post"]
    validate_message(post.blocks)
    [block] = [b for b in post.blocks if b["type"] == "section" and b["text"]["text"].startswith(f"*{TITLE}*")]
    assert block["text"]["text"] == f"*{TITLE}*\n" + "\n".join(f"• {line}" for line in EXPECTED)
    titles = [b["text"]["text"].split("\n")[0] for b in post.blocks if b["type"] == "section"]
    assert titles.index(f"*{TITLE}*") == titles.index("*Disclosures*") - 1  # after the early warning
    assert "Client Number" not in post.text + str(post.blocks)
    # the same section in a terminal
    with session_factory() as s:
        printed = digest.as_text(digest.compute(s, W47, now=AS_OF, tz=LONDON))
    assert f"{TITLE}\n" + "".join(f"  {line}\n" for line in EXPECTED) in printed


def test_the_quiet_digest_stays_short(session_factory):
    """Nothing this week and nothing open: the one-line digest, even with resolutions weeks ago."""
    with session_factory.begin() as s:
        s.add(resolved(1, "delay", london(2026, 9, 1, 12)))
    with session_factory() as s:
        d = digest.compute(s, W47, now=AS_OF, tz=LONDON)
    assert d.nothing_new and [s.title for s in digest.sections(d)] == ["Nothing new"]
    assert [(t.label, t.now) for t in d.root_causes] == [("Delay", 1)]
    assert messages.digest_sections(d)[0]["text"]["text"].startswith("*Nothing new*")


def test_the_count_reads_the_resolved_at_index(engine, session_factory, db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("the plan is read from SQLite's EXPLAIN QUERY PLAN")
    seen: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if "root_cause" in statement and "GROUP BY" in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        with session_factory() as s:
            digest.compute(s, W47, now=AS_OF, tz=LONDON)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    [(statement, parameters)] = seen
    with engine.connect() as conn:
        plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    assert any("USING INDEX ix_complaints_resolved_at" in row[-1] for row in plan), plan
