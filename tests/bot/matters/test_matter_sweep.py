"""The sweep over matters: each client-care nudge recorded once, at its time and not before, sent to
the right person with its buttons, and nothing for a matter closed or not set up; on both databases.

Times are the firm's (Europe/London, GMT in winter: the same as UTC); "the morning" is 09:00
(REMINDER_HOUR) on a business day of England and Wales' calendar.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.core import ids
from bot.core.vocabulary import DisclosureKind
from bot.matters import service as matters
from bot.matters.inputs import DisclosureToLog
from bot.matters.policy import DEFAULT_CHECKLIST
from bot.reminders.sweep import preview, record_due, sweep
from storage.models import Matter, Notification
from tests.e2e import validate_message
from tests.factories import hold_matter_check_in, log_disclosure, record_costs, set_up_matter, the_matter
from tests.sweeping import rows

LAWYER = "ULAWYER"
SUPERVISOR = "USUPER"


def at(day: int, month: int = 11, hour: int = 9, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def open_matter(ctx, *, matter_ref="M-1001", opened_on=date(2026, 11, 20), supervisor=SUPERVISOR, cadence=14):
    set_up_matter(
        ctx, matter_ref=matter_ref, supervisor_id=supervisor, opened_on=opened_on, update_cadence_days=cadence
    )


def disclose_everything_but(ctx, *missing: DisclosureKind, matter_ref="M-1001"):
    for kind in DEFAULT_CHECKLIST:
        if kind not in missing:
            log_disclosure(ctx, matter_ref=matter_ref, kind=kind.value, disclosed_on=ctx.today().isoformat())


def matter_rows(ctx, kind: str | None = None) -> list[Notification]:
    found = [n for n in rows(ctx) if n.matter_id is not None and n.kind != "matter-opened"]
    return [n for n in found if kind is None or n.kind == kind]


def keys_at(ctx, when: datetime) -> list[str]:
    """Move the clock to `when` and sweep; the matter nudges it recorded."""
    ctx.clock.set(when)
    return [k for k in record_due(ctx) if not k.startswith(("digest", "logged", "disclosure"))]


# --- the checklist ----------------------------------------------------------------------------------


def test_checklist_nudge_a_week_after_a_friday_opening_then_weekly_each_once(ctx):
    # Opened Friday 20 Nov 2026: the first nudge is due the morning of Friday 27 Nov (7 days on),
    # then Friday 4 Dec, 11 Dec... Nothing between, nothing twice.
    ctx.clock.set(at(20, hour=15))
    open_matter(ctx)
    disclose_everything_but(ctx, DisclosureKind.RISK, DisclosureKind.LIMITS)
    assert keys_at(ctx, at(20, hour=15, minute=1)) == []
    assert keys_at(ctx, at(27, hour=8, minute=59)) == []
    assert keys_at(ctx, at(27)) == ["checklist:M-1001:2026-W48"]
    assert keys_at(ctx, at(27, hour=17)) == []  # the same week: once
    assert keys_at(ctx, at(3, 12, hour=23)) == []
    assert "checklist:M-1001:2026-W49" in keys_at(ctx, at(4, 12))

    [first, _] = matter_rows(ctx, "checklist")
    assert first.channel == LAWYER
    validate_message(first.blocks)
    buttons = [b["accessory"] for b in first.blocks if b.get("accessory")]
    # One Log disclosure per missing item, in checklist order, each naming the matter and the kind.
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        (ids.ACTION_MATTER_LOG_DISCLOSURE, DisclosureToLog("M-1001", DisclosureKind.RISK).value),
        (ids.ACTION_MATTER_LOG_DISCLOSURE, DisclosureToLog("M-1001", DisclosureKind.LIMITS).value),
    ]
    assert "2 things" in first.text


def test_a_met_checklist_stops_the_weekly_nudge(ctx):
    ctx.clock.set(at(20, hour=15))
    open_matter(ctx)
    disclose_everything_but(ctx, DisclosureKind.RISK)
    assert keys_at(ctx, at(27)) == ["checklist:M-1001:2026-W48"]
    ctx.clock.set(at(30, hour=10))
    log_disclosure(ctx, matter_ref="M-1001", kind=DisclosureKind.RISK.value, disclosed_on="2026-11-30")
    # Friday 4 Dec: the check-in is due (20 Nov + 14 days), the checklist is met.
    assert keys_at(ctx, at(4, 12)) == ["check-in:M-1001:2026-12-04"]
    assert len(matter_rows(ctx, "checklist")) == 1


# --- check-ins --------------------------------------------------------------------------------------


def test_check_in_nudge_then_the_supervisor_a_cadence_later_each_once(ctx):
    # Opened Friday 20 Nov, every 14 days: the update is due Friday 4 Dec (the lawyer is nudged at
    # 09:00); still not logged on Friday 18 Dec, the supervising partner is told.
    ctx.clock.set(at(20, hour=15))
    open_matter(ctx)
    disclose_everything_but(ctx)
    assert keys_at(ctx, at(4, 12, hour=8, minute=59)) == []
    assert keys_at(ctx, at(4, 12)) == ["check-in:M-1001:2026-12-04"]
    assert keys_at(ctx, at(17, 12, hour=23)) == []
    assert keys_at(ctx, at(18, 12)) == ["check-in-overdue:M-1001:2026-12-04"]
    assert keys_at(ctx, at(19, 12)) == []

    [nudge] = matter_rows(ctx, "check-in")
    assert nudge.channel == LAWYER
    validate_message(nudge.blocks)
    [actions] = [b for b in nudge.blocks if b["type"] == "actions"]
    assert [(e["action_id"], e["value"]) for e in actions["elements"]] == [
        (ids.ACTION_MATTER_LOG_UPDATE, "M-1001"),
        (ids.ACTION_MATTER_SNOOZE, "M-1001"),
        (ids.ACTION_MATTER_DORMANT, "M-1001"),
    ]
    assert "4 Dec 2026" in nudge.text and "18 Dec 2026" in str(nudge.blocks)  # when the supervisor is told
    [told] = matter_rows(ctx, "check-in-overdue")
    assert told.channel == SUPERVISOR
    validate_message(told.blocks)
    assert "14 day(s) overdue" in str(told.blocks) and "Jane Client" in str(told.blocks)


def test_no_supervisor_the_complaints_team_is_told_without_the_clients_name(ctx):
    ctx.clock.set(at(20, hour=15))
    open_matter(ctx, supervisor=None)
    disclose_everything_but(ctx)
    keys_at(ctx, at(4, 12))
    assert keys_at(ctx, at(18, 12)) == ["check-in-overdue:M-1001:2026-12-04"]
    [told] = matter_rows(ctx, "check-in-overdue")
    assert told.channel == ctx.settings.triage_channel
    assert "Jane Client" not in str(told.blocks) + told.text
    validate_message(told.blocks)


def test_a_cadence_lapsing_on_christmas_day_is_nudged_after_the_bank_holidays(ctx):
    # Opened Friday 11 Dec 2026, every 14 days: due Friday 25 Dec (Christmas Day); Monday 28 Dec is
    # the Boxing Day substitute; the nudge goes the morning of Tuesday 29 Dec.
    ctx.clock.set(at(11, 12, hour=15))
    open_matter(ctx, opened_on=date(2026, 12, 11))
    disclose_everything_but(ctx)
    assert keys_at(ctx, at(28, 12, hour=23)) == []
    assert keys_at(ctx, at(29, 12)) == ["check-in:M-1001:2026-12-25"]


def test_a_closed_matter_is_owed_nothing_and_what_was_waiting_is_not_sent(ctx, notifier):
    ctx.clock.set(at(20, hour=15))
    open_matter(ctx)
    assert keys_at(ctx, at(27)) == ["checklist:M-1001:2026-W48"]
    matters.close_matter(session_factory=ctx.session_factory, matter_ref="M-1001", actor=LAWYER, now=ctx.clock.now())
    ctx.clock.set(at(27, hour=9, minute=5))
    sweep(ctx)
    assert [s.text for s in notifier.sent if "told in writing" in s.text] == []  # recorded, closed, not sent
    assert [(n.cancelled_at is not None, n.sent_at) for n in matter_rows(ctx, "checklist")] == [(True, None)]
    assert keys_at(ctx, at(18, 12)) == []
    assert the_matter(ctx).next_reminder_at is None


def test_a_matter_not_set_up_is_not_nudged(ctx):
    # Named first by a disclosure: no lawyer to nudge until /matter new sets it up.
    ctx.clock.set(at(20, hour=15))
    log_disclosure(ctx, matter_ref="M-2002", kind=DisclosureKind.RISK.value, disclosed_on="2026-11-20")
    assert keys_at(ctx, at(18, 12)) == []
    assert the_matter(ctx, "M-2002").set_up is False


# --- costs --------------------------------------------------------------------------------------------


def test_costs_nudged_at_75_and_100_percent_once_each_and_afresh_for_a_revised_estimate(ctx):
    ctx.clock.set(at(20, hour=15))
    open_matter(ctx)
    disclose_everything_but(ctx, DisclosureKind.COSTS_ESTIMATE)
    estimate = log_disclosure(
        ctx, matter_ref="M-1001", kind=DisclosureKind.COSTS_ESTIMATE.value, disclosed_on="2026-11-20", amount="10000"
    )
    record_costs(ctx, 700000)  # GBP 7,000: 70%, nothing yet
    assert keys_at(ctx, at(20, hour=16)) == []
    ctx.clock.set(at(23, hour=11))
    record_costs(ctx, 800000)  # 80%: the 75% nudge, when it was recorded
    assert keys_at(ctx, at(23, hour=11, minute=1)) == [f"costs:M-1001:{estimate.reference}:75"]
    record_costs(ctx, 900000)  # 90%: already nudged at 75%
    assert keys_at(ctx, at(23, hour=12)) == []
    record_costs(ctx, 1000000)  # 100%
    assert keys_at(ctx, at(23, hour=13)) == [f"costs:M-1001:{estimate.reference}:100"]
    revised = log_disclosure(
        ctx, matter_ref="M-1001", kind=DisclosureKind.COSTS_REVISED.value, disclosed_on="2026-11-23", amount="20000"
    )
    assert keys_at(ctx, at(23, hour=14)) == []  # GBP 10,000 of 20,000: 50%
    record_costs(ctx, 1600000)
    assert keys_at(ctx, at(23, hour=15)) == [f"costs:M-1001:{revised.reference}:75"]

    first = matter_rows(ctx, "costs")[0]
    assert first.channel == LAWYER
    validate_message(first.blocks)
    assert "GBP 8,000.00 of GBP 10,000.00, 80%" in str(first.blocks)
    [actions] = [b for b in first.blocks if b["type"] == "actions"]
    assert [(e["action_id"], e["value"]) for e in actions["elements"]] == [
        (ids.ACTION_MATTER_LOG_DISCLOSURE, DisclosureToLog("M-1001", DisclosureKind.COSTS_REVISED).value),
        (ids.ACTION_MATTER_COSTS, "M-1001"),
    ]


# --- exactly once, and the dry run ---------------------------------------------------------------------


def test_two_sweeps_at_the_same_moment_record_and_send_each_nudge_once(ctx, notifier):
    ctx.clock.set(at(20, hour=15))
    open_matter(ctx)
    ctx.clock.set(at(4, 12))
    first, second = record_due(ctx), record_due(ctx)
    assert sorted(k for k in first if k.startswith(("checklist", "check-in"))) == [
        "check-in:M-1001:2026-12-04",
        "checklist:M-1001:2026-W49",
    ]
    assert [k for k in second if k.startswith(("checklist", "check-in"))] == []
    sweep(ctx)
    sweep(ctx)
    sent = [s for s in notifier.sent if s.channel == LAWYER and s.op == "post" and "Matter M-1001 is" not in s.text]
    assert len(sent) == 2


def test_the_dry_run_shows_the_nudges_and_records_nothing(ctx):
    ctx.clock.set(at(20, hour=15))
    open_matter(ctx)
    before = the_matter(ctx).next_reminder_at
    ctx.clock.set(at(27))
    lines = preview(ctx)
    assert any(line.startswith(f"checklist:M-1001:2026-W48 → {LAWYER}: ") for line in lines)
    assert matter_rows(ctx) == [] and the_matter(ctx).next_reminder_at == before  # nothing written
    assert keys_at(ctx, at(27)) == ["checklist:M-1001:2026-W48"]  # what the real sweep then records


def test_sweeps_in_two_threads_at_once_record_each_nudge_once(ctx, settings, engine):
    # As two processes would: each its own context and sessions, on the same store.
    from concurrent.futures import ThreadPoolExecutor

    from bot.core.clock import FrozenClock
    from bot.core.context import make_context
    from storage.db import make_session_factory
    from tests.fakes import RecordingNotifier, no_team

    ctx.clock.set(at(20, hour=15))
    for i in range(30):
        open_matter(ctx, matter_ref=f"M-{3000 + i}")
    others = [
        make_context(
            settings=settings,
            engine=engine,
            session_factory=make_session_factory(engine),
            notifier=RecordingNotifier(),
            clock=FrozenClock(at(4, 12)),
            team=no_team(),
        )
        for _ in range(2)
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = list(pool.map(record_due, others))
    nudges = [k for keys in found for k in keys if k.startswith(("checklist", "check-in"))]
    # each of the 30 matters: its checklist (week 49) and its check-in (due Friday 4 Dec)
    assert len(nudges) == len(set(nudges)) == 60
    assert len(matter_rows(ctx)) == 60


# --- a matter set up long after it opened, a snooze the supervisor hears of, the cadence's start ---


def test_a_matter_imported_long_after_it_opened_is_not_owed_the_months_before(ctx):
    # Opened 2 Jun 2025, set up (as an import would) on Monday 23 Nov 2026, more than a cadence
    # later: its care counts from 23 Nov. Nothing that day; the checklist the morning of Mon 30 Nov
    # (7 days on), the check-in Mon 7 Dec (14 days), the supervisor Mon 21 Dec.
    ctx.clock.set(at(23, hour=10))
    set_up_matter(ctx, opened_on=date(2025, 6, 2), supervisor_id=SUPERVISOR, set_up_at=at(23, hour=10))
    assert keys_at(ctx, at(23, hour=10, minute=1)) == []
    assert keys_at(ctx, at(30, hour=8, minute=59)) == []
    assert keys_at(ctx, at(30)) == ["checklist:M-1001:2026-W49"]
    assert keys_at(ctx, at(7, 12)) == ["checklist:M-1001:2026-W50", "check-in:M-1001:2026-12-07"]
    [nudge] = matter_rows(ctx, "check-in")
    assert "14 day(s) after its setting up here on 23 Nov 2026" in str(nudge.blocks)
    assert "check-in-overdue:M-1001:2026-12-07" in keys_at(ctx, at(21, 12))


def test_the_supervisor_is_told_through_a_snooze_and_of_it(ctx):
    # Due Fri 4 Dec; the lawyer snoozes until Mon 21 Dec; the supervisor is told on Fri 18 Dec all
    # the same, with the snooze and its reason; the team channel, for a matter without one, not why.
    from bot.matters import care

    ctx.clock.set(at(20, hour=15))
    open_matter(ctx)
    open_matter(ctx, matter_ref="M-1002", supervisor=None)
    disclose_everything_but(ctx)
    disclose_everything_but(ctx, matter_ref="M-1002")
    keys_at(ctx, at(4, 12))
    for ref in ("M-1001", "M-1002"):
        hold_matter_check_in(
            ctx, care.Hold.SNOOZE, date(2026, 12, 21), "Client in hospital until the 21st.", matter_ref=ref
        )
    assert sorted(keys_at(ctx, at(18, 12))) == [
        "check-in-overdue:M-1001:2026-12-04",
        "check-in-overdue:M-1002:2026-12-04",
    ]
    by_channel = {n.channel: str(n.blocks) for n in matter_rows(ctx, "check-in-overdue")}
    assert "snoozed the reminder until 21 Dec 2026: Client in hospital until the 21st." in by_channel[SUPERVISOR]
    team = by_channel[ctx.settings.triage_channel]
    assert "snoozed the reminder until 21 Dec 2026." in team and "hospital" not in team
    # The lawyer's own nudge waits for the snooze's end.
    assert sorted(keys_at(ctx, at(21, 12))) == [
        "check-in:M-1001:2026-12-04:snoozed-2026-12-21",
        "check-in:M-1002:2026-12-04:snoozed-2026-12-21",
    ]


def test_the_check_in_nudge_counts_from_the_end_of_a_dormancy_after_the_last_update(ctx):
    # Last update Tue 1 Dec; dormant until Sun 10 Jan 2027, later: due Sun 24 Jan, nudged the
    # morning of Mon 25 Jan, "14 day(s) after the end of its dormancy on 10 Jan 2027".
    from sqlalchemy import update

    ctx.clock.set(at(20, hour=15))
    open_matter(ctx)
    disclose_everything_but(ctx)
    # As the care service would leave it (and looked at again from Wed 2 Dec, a time already past).
    with ctx.session_factory.begin() as s:
        s.execute(
            update(Matter).values(
                last_update_on=date(2026, 12, 1), dormant_until=date(2027, 1, 10), next_reminder_at=at(2, 12)
            )
        )
    assert keys_at(ctx, at(25, 1, hour=8, year=2027)) == []
    assert keys_at(ctx, at(25, 1, year=2027)) == ["check-in:M-1001:2027-01-24"]
    [nudge] = matter_rows(ctx, "check-in")
    assert "14 day(s) after the end of its dormancy on 10 Jan 2027" in str(nudge.blocks)
