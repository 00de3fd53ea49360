"""The SLA policy: given a complaint's facts and a time, what is due and when. Pure: no Slack, no SQL.

Each duty is a *series* of steps (a warning, then an escalation, repeated daily for some). At any
moment only the latest step of a series that has fallen due is returned: after downtime the bot
catches up with one message, not with every step it missed. Every step carries a dedupe key, so
asking again at the same time (another sweep, another process) yields keys already recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.rulebooks.calendar import BusinessCalendar

DAY = timedelta(days=1)


class ReminderKind(StrEnum):
    TRIAGE_WARNING = "triage-warning"
    TRIAGE_BREACH = "triage-breach"
    UPDATE_DUE = "update-due"
    UPDATE_OVERDUE = "update-overdue"
    FINAL_WARNING = "final-warning"
    FINAL_BREACH = "final-breach"
    DISCLOSURE_CHASE = "disclosure-chase"
    FIRST_CONTACT_DUE = "first-contact-due"
    # The acknowledgement not recorded as sent by the end of the next working day: the reporter,
    # who was given it to send, then the triage channel the morning after.
    ACKNOWLEDGEMENT_DUE = "acknowledgement-due"
    ACKNOWLEDGEMENT_OVERDUE = "acknowledgement-overdue"


class TriageClock(StrEnum):
    """How the triage deadline's hours are counted (TRIAGE_CLOCK)."""

    CLOCK_HOURS = "clock-hours"  # every hour of the day, weekends included
    BUSINESS_HOURS = "business-hours"  # only the working day's hours, on the calendar's business days


class _ComplaintRecord(Protocol):
    """The stored complaint's fields the policy reads (the policy never imports storage)."""

    reference: str
    status: str
    logged_at: datetime
    received_on: date
    handler_id: str | None
    next_update_due_at: datetime | None
    snoozed_until: datetime | None
    final_response_due_on: date | None
    client_update_count: int
    acknowledged_at: datetime | None


class _DisclosureRecord(Protocol):
    reference: str
    ack_status: str
    follow_up_on: date | None


# Kinds that go to the triage channel (the rest go to the handler by DM).
ESCALATIONS = {
    ReminderKind.TRIAGE_BREACH,
    ReminderKind.UPDATE_OVERDUE,
    ReminderKind.FINAL_BREACH,
    ReminderKind.ACKNOWLEDGEMENT_OVERDUE,
}
CHANNEL_KINDS = ESCALATIONS | {ReminderKind.TRIAGE_WARNING}
# Kinds that go to the person who logged the complaint.
REPORTER_KINDS = {ReminderKind.ACKNOWLEDGEMENT_DUE}


@dataclass(frozen=True)
class ComplaintFacts:
    """What the policy needs to know of a complaint."""

    reference: str
    status: str  # new | triaged | resolved
    logged_at: datetime
    received_on: date
    handler_id: str | None = None
    next_update_due_at: datetime | None = None
    snoozed_until: datetime | None = None
    final_response_due_on: date | None = None
    # Client contacts logged so far (None: not known, so no first-contact reminder is asked for).
    client_update_count: int | None = None
    # Whether the acknowledgement is recorded as sent (None: not known, so none is chased).
    acknowledged: bool | None = None

    @classmethod
    def of(cls, c: _ComplaintRecord) -> ComplaintFacts:
        return cls(
            reference=c.reference,
            status=c.status,
            logged_at=c.logged_at,
            received_on=c.received_on,
            handler_id=c.handler_id,
            next_update_due_at=c.next_update_due_at,
            snoozed_until=c.snoozed_until,
            final_response_due_on=c.final_response_due_on,
            client_update_count=c.client_update_count,
            acknowledged=c.acknowledged_at is not None,
        )


@dataclass(frozen=True)
class DisclosureFacts:
    reference: str
    ack_status: str  # acknowledged | pending | not_needed
    follow_up_on: date | None

    @classmethod
    def of(cls, d: _DisclosureRecord) -> DisclosureFacts:
        return cls(reference=d.reference, ack_status=d.ack_status, follow_up_on=d.follow_up_on)


@dataclass(frozen=True)
class Reminder:
    kind: ReminderKind
    key: str
    due_at: datetime
    # For final-response warnings: days left until the deadline.
    days_left: int | None = None

    @property
    def to_channel(self) -> bool:
        return self.kind in CHANNEL_KINDS

    @property
    def to_reporter(self) -> bool:
        return self.kind in REPORTER_KINDS


# A series' current step (None: none has fallen due) and when its next step falls due (None: never).
Step = tuple[Reminder | None, datetime | None]


@dataclass(frozen=True)
class SlaPolicy:
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/London"))
    triage_within: timedelta = timedelta(hours=24)
    triage_warning_after: timedelta = timedelta(hours=20)
    # Business hours: both triage spans are counted in the working day's hours (working_day_start
    # to working_day_end) on the calendar's business days, and the breach repeats each business day.
    triage_clock: TriageClock = TriageClock.CLOCK_HOURS
    # The acknowledgement tells the client when they will next hear from the firm: this many
    # working days after the complaint is logged (on the calendar, so never a weekend or holiday).
    first_contact_working_days: int = 2
    final_response_weeks: int = 8
    # When set, the final response is due this many business days after receipt instead.
    final_response_business_days: int | None = None
    # Where the limit comes from (the scheme's rule, or the firm's setting), as deadlines name it.
    final_response_rule: str | None = None
    # Which days are business days: the one place they are counted.
    calendar: BusinessCalendar = field(default_factory=BusinessCalendar)
    # Warnings to the handler this many days before the final-response date (6 and 7 weeks of 8).
    final_warning_days: tuple[int, ...] = (14, 7)
    update_escalation_after: timedelta = timedelta(days=2)
    # Date-based reminders go out at this hour of the firm's day, not at midnight.
    working_hour: int = 9
    # The firm's working day (WORKING_HOURS): "by the end of the next working day" means its end;
    # business-hours triage counts only the hours between the two.
    working_day_start: time = time(9, 0)
    working_day_end: time = time(17, 30)
    # A costs estimate older than this is flagged for review in the nudges about its matter.
    costs_review_after: timedelta = timedelta(days=90)
    disclosure_follow_up: timedelta = timedelta(days=7)

    # --- deadlines ---

    def triage_due_at(self, logged_at: datetime) -> datetime:
        return self._triage_clock_after(logged_at, self.triage_within)

    def triage_warning_at(self, logged_at: datetime) -> datetime:
        return self._triage_clock_after(logged_at, self.triage_warning_after)

    def _triage_clock_after(self, logged_at: datetime, span: timedelta) -> datetime:
        if self.triage_clock == TriageClock.BUSINESS_HOURS:
            return self.calendar.add_working_hours(
                logged_at, span, opens=self.working_day_start, closes=self.working_day_end, tz=self.tz
            )
        return logged_at + span

    @property
    def triage_basis(self) -> str | None:
        """How the triage deadline is counted, as a deadline message names it when it is not plain
        clock hours: "24 working hours, 09:00–17:30 Europe/London on business days, England & Wales
        bank holidays"; None for clock hours, which need no explaining."""
        if self.triage_clock != TriageClock.BUSINESS_HOURS:
            return None
        return (
            f"{self.triage_within.total_seconds() / 3600:g} working hours, "
            f"{self.working_day_start:%H:%M}–{self.working_day_end:%H:%M} {self.tz.key} on business days, "
            f"{self.calendar.description}"
        )

    def first_contact_by(self, logged_on: date) -> date:
        return self.calendar.add_business_days(logged_on, self.first_contact_working_days)

    def final_response_due_on(self, received_on: date) -> date:
        if self.final_response_business_days:
            return self.calendar.add_business_days(received_on, self.final_response_business_days)
        return received_on + timedelta(weeks=self.final_response_weeks)

    @property
    def final_response_limit(self) -> str:
        """The limit as a client reads it: "8 weeks", "15 business days"."""
        if self.final_response_business_days:
            return f"{self.final_response_business_days} business days"
        return f"{self.final_response_weeks} weeks"

    @property
    def final_response_basis(self) -> str:
        """How the final-response date is worked out, as a deadline message names it, e.g.
        "15 business days, DISP 1.6.2AR, England & Wales bank holidays"."""
        parts = [self.final_response_limit, self.final_response_rule]
        if self.final_response_business_days:
            parts.append(self.calendar.description)
        return ", ".join(p for p in parts if p)

    def next_update_due_at(self, since: datetime, cadence_days: int) -> datetime:
        return since + timedelta(days=cadence_days)

    def at_working_hour(self, day: date) -> datetime:
        return datetime.combine(day, time(self.working_hour), tzinfo=self.tz).astimezone(UTC)

    def at_end_of_working_day(self, day: date) -> datetime:
        return datetime.combine(day, self.working_day_end, tzinfo=self.tz).astimezone(UTC)

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    # --- what is due ---

    def due(self, f: ComplaintFacts, now: datetime) -> list[Reminder]:
        """The reminders due at `now`: the latest fallen-due step of each series."""
        return [r for r, _ in self._series(f, now) if r is not None]

    def next_check_at(self, f: ComplaintFacts, now: datetime) -> datetime | None:
        """The earliest moment after `now` at which `due` can return something new; None: never."""
        upcoming = [n for _, n in self._series(f, now) if n is not None]
        return min(upcoming) if upcoming else None

    def _series(self, f: ComplaintFacts, now: datetime) -> list[Step]:
        if f.status == "resolved":
            return []
        out = []
        if f.acknowledged is False:
            out.append(self._acknowledgement_due(f, now))
            out.append(self._acknowledgement_overdue(f, now))
        if f.client_update_count == 0:
            out.append(self._first_contact(f, now))
        if f.status == "new":
            out.append(self._triage(f, now))
        if f.status == "triaged" and f.next_update_due_at is not None and f.handler_id:
            out.append(self._update_nudge(f, now))
            out.append(self._update_escalation(f, now))
        out.append(self._final_response(f, now))
        return out

    def _triage(self, f: ComplaintFacts, now: datetime) -> Step:
        warn_at = self.triage_warning_at(f.logged_at)
        breach_at = self.triage_due_at(f.logged_at)
        if now < warn_at:
            return None, warn_at
        if now < breach_at:
            return Reminder(ReminderKind.TRIAGE_WARNING, f"triage-warning:{f.reference}", warn_at), breach_at
        occurrence, following = self._repeat_daily(
            breach_at, now, business_days_only=self.triage_clock == TriageClock.BUSINESS_HOURS
        )
        key = f"triage-breach:{f.reference}:{self.local_date(occurrence).isoformat()}"
        return Reminder(ReminderKind.TRIAGE_BREACH, key, occurrence), following

    def acknowledgement_due_at(self, logged_at: datetime) -> datetime:
        """The end of the working day after the one the complaint was logged on (a complaint logged
        on a Friday or a holiday's eve has until the end of the next business day)."""
        return self.at_end_of_working_day(self.calendar.add_business_days(self.local_date(logged_at), 1))

    def _acknowledgement_due(self, f: ComplaintFacts, now: datetime) -> Step:
        """Once, to the reporter, at the end of the next working day while none is recorded as sent."""
        at = self.acknowledgement_due_at(f.logged_at)
        if now < at:
            return None, at
        return Reminder(ReminderKind.ACKNOWLEDGEMENT_DUE, f"acknowledgement-due:{f.reference}", at), None

    def _acknowledgement_overdue(self, f: ComplaintFacts, now: datetime) -> Step:
        """Once, to the triage channel, the next working morning if it is still not recorded."""
        at = self.at_working_hour(self.calendar.add_business_days(self.local_date(f.logged_at), 2))
        if now < at:
            return None, at
        return Reminder(ReminderKind.ACKNOWLEDGEMENT_OVERDUE, f"acknowledgement-overdue:{f.reference}", at), None

    def _first_contact(self, f: ComplaintFacts, now: datetime) -> Step:
        """The morning first contact is due (the date the acknowledgement promised), once, while no
        client contact is logged."""
        at = self.at_working_hour(self.first_contact_by(self.local_date(f.logged_at)))
        if now < at:
            return None, at
        return Reminder(ReminderKind.FIRST_CONTACT_DUE, f"first-contact:{f.reference}", at), None

    def _update_base(self, f: ComplaintFacts) -> datetime:
        assert f.next_update_due_at is not None
        if f.snoozed_until and f.snoozed_until > f.next_update_due_at:
            return f.snoozed_until
        return f.next_update_due_at

    def _update_nudge(self, f: ComplaintFacts, now: datetime) -> Step:
        base = self._update_base(f)
        if now < base:
            return None, base
        occurrence, following = self._repeat_daily(base, now)
        key = f"update-due:{f.reference}:{self.local_date(occurrence).isoformat()}"
        return Reminder(ReminderKind.UPDATE_DUE, key, occurrence), following

    def _update_escalation(self, f: ComplaintFacts, now: datetime) -> Step:
        at = self._update_base(f) + self.update_escalation_after
        if now < at:
            return None, at
        assert f.next_update_due_at is not None
        key = f"update-overdue:{f.reference}:{self.local_date(f.next_update_due_at).isoformat()}"
        return Reminder(ReminderKind.UPDATE_OVERDUE, key, at), None

    def _final_response(self, f: ComplaintFacts, now: datetime) -> Step:
        due_on = f.final_response_due_on or self.final_response_due_on(f.received_on)
        # A date moved on from the scheme's own (a payment services holding reply, DISP 1.6.2AR)
        # gets warnings of its own: those before the old date were sent under the plain keys.
        moved = f":{due_on.isoformat()}" if due_on != self.final_response_due_on(f.received_on) else ""
        steps = [
            Reminder(
                ReminderKind.FINAL_WARNING,
                f"final-warning:{f.reference}:{days}d{moved}",
                # On the working day before its date when that is a weekend or holiday.
                self.at_working_hour(self.calendar.on_or_before(due_on - timedelta(days=days))),
                days_left=days,
            )
            for days in sorted(self.final_warning_days, reverse=True)
        ]
        steps.append(
            Reminder(ReminderKind.FINAL_BREACH, f"final-breach:{f.reference}", self.at_working_hour(due_on + DAY))
        )
        fallen = [s for s in steps if s.due_at <= now]
        upcoming = [s.due_at for s in steps if s.due_at > now]
        current = fallen[-1] if fallen else None
        if current is not None and current.kind == ReminderKind.FINAL_WARNING:
            # The days really left as the message goes out: fewer than the step's when the
            # complaint was logged late or the bot was down when the step fell due; below zero
            # in the hours between the end of the deadline day and the breach.
            current = replace(current, days_left=(due_on - self.local_date(now)).days)
        return current, (upcoming[0] if upcoming else None)

    # --- disclosures awaiting the client's acknowledgement ---

    def disclosure_follow_up_on(self, disclosed_on: date, today: date) -> date:
        """The default follow-up: a week after the disclosure, or today if that has passed."""
        return max(disclosed_on + self.disclosure_follow_up, today)

    def disclosure_due(self, f: DisclosureFacts, now: datetime) -> list[Reminder]:
        at = self._chase_at(f)
        if at is None or now < at or f.follow_up_on is None:
            return []
        return [
            Reminder(ReminderKind.DISCLOSURE_CHASE, f"disclosure-chase:{f.reference}:{f.follow_up_on.isoformat()}", at)
        ]

    def disclosure_next_check_at(self, f: DisclosureFacts, now: datetime) -> datetime | None:
        """Once per follow-up date: "chase again" sets a new date, which is a new key and a new check."""
        at = self._chase_at(f)
        return at if at is not None and at > now else None

    def _chase_at(self, f: DisclosureFacts) -> datetime | None:
        if f.ack_status != "pending" or f.follow_up_on is None:
            return None
        return self.at_working_hour(f.follow_up_on)

    def costs_estimate_stale(self, latest_costs_on: date | None, today: date) -> bool:
        return latest_costs_on is not None and today - latest_costs_on > self.costs_review_after

    def _repeat_daily(
        self, start: datetime, now: datetime, *, business_days_only: bool = False
    ) -> tuple[datetime, datetime]:
        """The latest daily occurrence at or before `now` (`start` at the earliest), and the one after it.

        Daily means at the same wall-clock time each day in the firm's zone: occurrences then fall
        on distinct local dates, so each has its own key even on the nights the clocks change
        (24-hour steps can put two occurrences on one local date when the clocks go back). With
        `business_days_only`, the days after `start` are the calendar's business days only.
        """
        wall = start.astimezone(self.tz)
        first = wall.date()

        def on(day: date) -> datetime:
            return start if day == first else datetime.combine(day, wall.time(), tzinfo=self.tz).astimezone(UTC)

        def latest_on_or_before(day: date) -> date:
            return self.calendar.on_or_before(day) if business_days_only else day

        day = latest_on_or_before(now.astimezone(self.tz).date())
        if day > first and on(day) > now:
            day = latest_on_or_before(day - DAY)
        day = max(day, first)
        following = self.calendar.add_business_days(day, 1) if business_days_only else day + DAY
        return on(day), on(following)
