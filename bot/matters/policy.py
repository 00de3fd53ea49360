"""The client-care policy of a matter: what is due when, and how much at risk it is. Pure: no Slack,
no SQL. The sweep asks `due` and records each reminder under its dedupe key, as it does for
complaints; `next_due_at` is what it stores and indexes, so a matter with nothing due is never read.

The nudges (times on the firm's clock; "the morning" is REMINDER_HOUR on a business day of the
firm's calendar, the next one when the day falls on a weekend or holiday):

1. **Checklist.** While an item of the matter's checklist has no disclosure of its kind, the
   responsible lawyer is nudged the morning 7 days after the matter's care began, then on the same
   weekday each week after: once per week (key `checklist:M-ref:2026-W49`). A matter's care begins
   the day it opened or, when it was set up in the bot more than a cadence after that (an import
   of the firm's open matters), the day it was set up: it is not owed the reminders of the months
   before the bot knew of it.
2. **Check-in.** A client update is due `update_cadence_days` calendar days after the last one (or
   after the matter's care began, or after the date it was dormant until, whichever is latest).
   The responsible lawyer is nudged the morning it is due, once per due date; a snooze holds that
   nudge back until the snooze ends (key `check-in:M-ref:2026-12-29`, with `:snoozed-DATE` when the
   snooze moved it). Still not updated one more cadence later, the supervising partner is told,
   once per missed update (`check-in-overdue:M-ref:2026-12-29`). A snooze does not hold that
   back: the lawyer's snooze is not the partner's, and the partner's message says it is snoozed.
3. **Costs.** When the costs to date reach 75% and then 100% of the estimate, the responsible
   lawyer is nudged to send a revised estimate, once per threshold per estimate
   (`costs:M-ref:ESTIMATE:75`); a revised estimate is a new estimate, so its thresholds count
   afresh. The nudge is due when the figures that crossed it were recorded. Jumping past both at
   once sends the 100% nudge only.

A closed matter is owed nothing. As with complaints, each series returns only its latest step that
has fallen due, so after downtime a matter gets one message per series, not every step it missed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.core.lists import Choices
from bot.core.vocabulary import COSTS_DISCLOSURES, ClientMood, DisclosureKind, LabelledEnum, MatterStatus
from bot.reminders.policy import SlaPolicy

DAY = timedelta(days=1)
WEEK = timedelta(weeks=1)

# What the client must be told in writing at the outset, when the matter's area of law does not
# say otherwise: engagement and scope; costs estimate and fee basis; risks and likely outcomes;
# timeline; limits of the advice; complaints procedure and ombudsman rights.
DEFAULT_CHECKLIST: tuple[DisclosureKind, ...] = (
    DisclosureKind.ENGAGEMENT,
    DisclosureKind.COSTS_ESTIMATE,
    DisclosureKind.RISK,
    DisclosureKind.TIMELINE,
    DisclosureKind.LIMITS,
    DisclosureKind.COMPLAINTS_PROCEDURE,
)

# A checklist item is met by a disclosure of its own kind; the costs estimate also by a revised one
# (a client given a revised estimate has been given an estimate).
MET_BY: dict[DisclosureKind, frozenset[DisclosureKind]] = {
    kind: (COSTS_DISCLOSURES if kind is DisclosureKind.COSTS_ESTIMATE else frozenset({kind})) for kind in DisclosureKind
}


Checklists = tuple[tuple[str, tuple[DisclosureKind, ...]], ...]


def parse_checklists(text: str, areas: Choices) -> Checklists:
    """MATTER_CHECKLISTS: per area of law, the kinds of disclosure its clients must be given at the
    outset, as `area: kind, kind; area: kind, ...` (an area and a kind each by its value or its
    label, case and spacing aside). Areas not named keep DEFAULT_CHECKLIST. ValueError with a
    sentence naming the setting."""
    by_name = {_plain(k.value): k for k in DisclosureKind} | {_plain(k.label): k for k in DisclosureKind}
    known_areas = {_plain(v): v for v in areas.values} | {_plain(label): v for v, label in areas.options()}
    found: dict[str, tuple[DisclosureKind, ...]] = {}
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        area_text, sep, kinds_text = part.partition(":")
        area = known_areas.get(_plain(area_text))
        if not sep or area is None:
            raise ValueError(
                f"MATTER_CHECKLISTS: {area_text.strip()!r} is not an area of law (PRODUCT_GROUPS, or the "
                f"scheme's: {', '.join(areas.values)}); write `area: kind, kind; area: kind`."
            )
        kinds: list[DisclosureKind] = []
        for name in (n.strip() for n in kinds_text.split(",")):
            if not name:
                continue
            kind = by_name.get(_plain(name))
            if kind is None:
                raise ValueError(
                    f"MATTER_CHECKLISTS: {name!r} is not a kind of disclosure "
                    f"({', '.join(k.value for k in DisclosureKind)})."
                )
            if kind not in kinds:
                kinds.append(kind)
        if not kinds:
            raise ValueError(f"MATTER_CHECKLISTS: the area {area!r} lists no kind of disclosure.")
        found[area] = tuple(kinds)
    return tuple(found.items())


def checklist_for(checklists: Checklists, area: str | None) -> tuple[DisclosureKind, ...]:
    """The checklist of a matter in `area`: MATTER_CHECKLISTS' for it, else DEFAULT_CHECKLIST."""
    return dict(checklists).get(area or "", DEFAULT_CHECKLIST)


def _plain(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").lower().split())


class MatterReminderKind(StrEnum):
    CHECKLIST_MISSING = "checklist"
    CHECK_IN_DUE = "check-in"
    CHECK_IN_OVERDUE = "check-in-overdue"
    COSTS_THRESHOLD = "costs"


MATTER_REMINDER_KINDS: tuple[str, ...] = tuple(k.value for k in MatterReminderKind)


class RiskLevel(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


@dataclass(frozen=True)
class ClientUpdate:
    on: date
    mood: ClientMood | None = None


@dataclass(frozen=True)
class MatterFacts:
    """What the policy needs to know of a matter."""

    reference: str
    opened_on: date
    # The day the matter was set up in the bot (None: the day it opened): a matter opened long
    # before (an import of the firm's open matters) is owed nothing for the time before.
    set_up_on: date | None = None
    status: str = MatterStatus.OPEN
    update_cadence_days: int = 14
    last_update_on: date | None = None
    snoozed_until: datetime | None = None
    # "No update needed: matter dormant until DATE": the cadence counts from that date.
    dormant_until: date | None = None
    checklist: tuple[DisclosureKind, ...] = DEFAULT_CHECKLIST
    # The kinds of the disclosures recorded on the matter.
    disclosed: frozenset[DisclosureKind] = frozenset()
    # Minor units of the firm's currency. `estimate_id` names the estimate in force (its
    # disclosure's reference): a revised estimate has a new one.
    costs_estimate: int | None = None
    estimate_id: str | None = None
    costs_to_date: int | None = None
    # When the costs to date or the estimate last changed, whichever is later.
    costs_changed_at: datetime | None = None
    # Client updates logged recently (the risk reads those of the last 30 days; more do no harm).
    recent_updates: tuple[ClientUpdate, ...] = ()
    open_complaint: bool = False
    # The date the matter's latest complaint was resolved, if any.
    complaint_resolved_on: date | None = None

    @property
    def missing(self) -> tuple[DisclosureKind, ...]:
        """The checklist items no disclosure on the matter meets, in checklist order."""
        return tuple(k for k in self.checklist if not MET_BY[k] & self.disclosed)


@dataclass(frozen=True)
class MatterReminder:
    kind: MatterReminderKind
    key: str
    due_at: datetime
    # Checklist: the items missing (each a "Log disclosure" prefilled with its kind).
    missing: tuple[DisclosureKind, ...] = ()
    # Costs: the threshold reached (75, 100) and the share of the estimate spent, in whole percent.
    threshold: int | None = None
    percent: int | None = None
    # Check-ins: the date the update was due.
    update_due_on: date | None = None

    @property
    def to_supervisor(self) -> bool:
        """The supervising partner's (the rest go to the responsible lawyer)."""
        return self.kind == MatterReminderKind.CHECK_IN_OVERDUE


class RiskReason(LabelledEnum):
    """Why a matter is at risk: one per rule of `MatterPolicy.risk`, the label as the digest counts it."""

    COSTS_OVER = ("costs_over", "costs at 100% of the estimate")
    CLIENT_UNHAPPY = ("client_unhappy", "client unhappy")
    COMPLAINT_OPEN = ("complaint_open", "a complaint open")
    UPDATE_LONG_OVERDUE = ("update_long_overdue", "client update overdue by more than a cadence")
    UPDATE_OVERDUE = ("update_overdue", "client update overdue")
    CHECKLIST_MISSING = ("checklist_missing", "checklist items missing")
    COSTS_NEAR = ("costs_near", "costs at 75% of the estimate")
    CLIENT_CONCERNED = ("client_concerned", "client concerned")
    COMPLAINT_RECENT = ("complaint_recent", "a complaint resolved in the last 90 days")


@dataclass(frozen=True)
class Reason:
    """One reason for a matter's risk: its rule (`code`, for counting) and the sentence saying it."""

    code: RiskReason
    text: str


@dataclass(frozen=True)
class Risk:
    level: RiskLevel
    causes: tuple[Reason, ...] = ()

    @property
    def reasons(self) -> tuple[str, ...]:
        """The reasons as sentences, red ones first."""
        return tuple(c.text for c in self.causes)


# A series' current step (None: none has fallen due) and when its next step falls due (None: never).
Step = tuple[MatterReminder | None, datetime | None]


@dataclass(frozen=True)
class MatterPolicy:
    # The firm's zone, calendar and reminder hour: the complaints' policy holds them, from config.
    firm: SlaPolicy = field(default_factory=SlaPolicy)
    checklist_grace: timedelta = timedelta(days=7)
    costs_thresholds: tuple[int, ...] = (75, 100)
    mood_window: timedelta = timedelta(days=30)
    complaint_window: timedelta = timedelta(days=90)

    # --- dates ---

    def morning(self, day: date) -> datetime:
        """REMINDER_HOUR on `day`, or on the next business day when `day` is not one."""
        return self.firm.at_working_hour(self.firm.calendar.on_or_after(day))

    def care_starts_on(self, f: MatterFacts) -> date:
        """The day the matter's client care counts from: its opening; or, for a matter set up in the
        bot more than a cadence after it opened (an import of the firm's open matters), the day it
        was set up: the client was surely updated in between, but the bot cannot know when."""
        if f.set_up_on is not None and (f.set_up_on - f.opened_on).days > f.update_cadence_days:
            return f.set_up_on
        return f.opened_on

    def update_counts_from(self, f: MatterFacts) -> date:
        """The day the cadence of the next client update counts from: the last update, the start of
        the matter's care, or the end of dormancy, whichever is latest."""
        return max(d for d in (self.care_starts_on(f), f.last_update_on, f.dormant_until) if d is not None)

    def update_due_on(self, f: MatterFacts) -> date:
        """The day the next client update is due: a cadence after `update_counts_from`."""
        return self.update_counts_from(f) + timedelta(days=f.update_cadence_days)

    def overdue_morning(self, update_due_on: date, cadence_days: int) -> datetime:
        """The morning the supervising partner is told of an update due on `update_due_on` and not
        logged: one more cadence later."""
        return self.morning(update_due_on + timedelta(days=cadence_days))

    def percent_spent(self, f: MatterFacts) -> int | None:
        """The costs to date as a whole percentage of the estimate, rounded down; None without both."""
        if not f.costs_estimate or f.costs_to_date is None:
            return None
        return f.costs_to_date * 100 // f.costs_estimate

    # --- what is due ---

    def due(self, f: MatterFacts, now: datetime) -> list[MatterReminder]:
        """The reminders due at `now`: the latest fallen-due step of each series."""
        return [r for r, _ in self._series(f, now) if r is not None]

    def next_due_at(self, f: MatterFacts, now: datetime) -> datetime | None:
        """The earliest moment after `now` at which `due` can return something new; None: never
        (until the facts change, when the service sets the matter to be looked at again)."""
        upcoming = [n for _, n in self._series(f, now) if n is not None]
        return min(upcoming) if upcoming else None

    def _series(self, f: MatterFacts, now: datetime) -> list[Step]:
        if f.status == MatterStatus.CLOSED:
            return []
        return [self._checklist(f, now), self._check_in(f, now), self._check_in_overdue(f, now), self._costs(f, now)]

    def _checklist(self, f: MatterFacts, now: datetime) -> Step:
        missing = f.missing
        if not missing:
            return None, None
        first = self.care_starts_on(f) + self.checklist_grace

        def at(week: int) -> datetime:
            return self.morning(first + week * WEEK)

        # Weeks whose nominal day is after today's cannot have fallen due (holidays only delay).
        week = (self.firm.local_date(now) - first).days // 7
        while week >= 0 and at(week) > now:
            week -= 1
        if week < 0:
            return None, at(0)
        year, number, _ = (first + week * WEEK).isocalendar()
        key = f"{MatterReminderKind.CHECKLIST_MISSING}:{f.reference}:{year}-W{number:02d}"
        return MatterReminder(MatterReminderKind.CHECKLIST_MISSING, key, at(week), missing=missing), at(week + 1)

    def _after_snooze(self, f: MatterFacts, at: datetime) -> datetime:
        return f.snoozed_until if f.snoozed_until and f.snoozed_until > at else at

    def _check_in(self, f: MatterFacts, now: datetime) -> Step:
        due_on = self.update_due_on(f)
        at = self._after_snooze(f, self.morning(due_on))
        if now < at:
            return None, at
        key = f"{MatterReminderKind.CHECK_IN_DUE}:{f.reference}:{due_on.isoformat()}"
        if at != self.morning(due_on):
            key += f":snoozed-{self.firm.local_date(at).isoformat()}"
        return MatterReminder(MatterReminderKind.CHECK_IN_DUE, key, at, update_due_on=due_on), None

    def _check_in_overdue(self, f: MatterFacts, now: datetime) -> Step:
        due_on = self.update_due_on(f)
        at = self.overdue_morning(due_on, f.update_cadence_days)
        if now < at:
            return None, at
        key = f"{MatterReminderKind.CHECK_IN_OVERDUE}:{f.reference}:{due_on.isoformat()}"
        return MatterReminder(MatterReminderKind.CHECK_IN_OVERDUE, key, at, update_due_on=due_on), None

    def _costs(self, f: MatterFacts, now: datetime) -> Step:
        percent = self.percent_spent(f)
        if percent is None or f.costs_changed_at is None or now < f.costs_changed_at:
            return None, None
        reached = [t for t in sorted(self.costs_thresholds) if percent >= t]
        if not reached:
            return None, None
        estimate = f.estimate_id or "estimate"
        key = f"{MatterReminderKind.COSTS_THRESHOLD}:{f.reference}:{estimate}:{reached[-1]}"
        reminder = MatterReminder(
            MatterReminderKind.COSTS_THRESHOLD, key, f.costs_changed_at, threshold=reached[-1], percent=percent
        )
        return reminder, None

    # --- risk ---

    def risk(self, f: MatterFacts, today: date) -> Risk:
        """The matter's risk level and the reasons for it, red reasons first.

        Red, when any of: the costs to date have reached 100% of the estimate; a client update in
        the last 30 days found the client unhappy; a complaint on the matter is open; the client
        update is overdue by a whole cadence or more (when the supervising partner is told).
        Amber, when any of: the client update is overdue (the day after its due date, or later);
        a checklist item is still missing 7 days after the matter's care began; the costs to date have
        reached 75% of the estimate; a client update in the last 30 days found the client
        concerned; a complaint on the matter was resolved in the last 90 days.
        Green otherwise, and for a closed matter (which is not rated). "In the last N days" counts
        today and the N days before it. A snooze does not make an overdue update any less overdue;
        dormancy does (the update is not due until a cadence after it).
        """
        if f.status == MatterStatus.CLOSED:
            return Risk(RiskLevel.GREEN, ())
        red: list[Reason] = []
        amber: list[Reason] = []

        percent = self.percent_spent(f)
        if percent is not None and percent >= max(self.costs_thresholds):
            red.append(Reason(RiskReason.COSTS_OVER, f"costs to date at {percent}% of the estimate"))
        elif percent is not None and percent >= min(self.costs_thresholds):
            amber.append(Reason(RiskReason.COSTS_NEAR, f"costs to date at {percent}% of the estimate"))

        for mood, code, reasons in (
            (ClientMood.UNHAPPY, RiskReason.CLIENT_UNHAPPY, red),
            (ClientMood.CONCERNED, RiskReason.CLIENT_CONCERNED, amber),
        ):
            latest = max(
                (u.on for u in f.recent_updates if u.mood is mood and today - u.on <= self.mood_window),
                default=None,
            )
            if latest is not None:
                reasons.append(Reason(code, f"client {mood.label.lower()} at the update of {_day(latest)}"))

        if f.open_complaint:
            red.append(Reason(RiskReason.COMPLAINT_OPEN, "a complaint is open"))
        elif f.complaint_resolved_on is not None and today - f.complaint_resolved_on <= self.complaint_window:
            amber.append(
                Reason(RiskReason.COMPLAINT_RECENT, f"a complaint was resolved on {_day(f.complaint_resolved_on)}")
            )

        overdue = (today - self.update_due_on(f)).days
        if overdue >= f.update_cadence_days:
            red.append(
                Reason(
                    RiskReason.UPDATE_LONG_OVERDUE,
                    f"client update {_days(overdue)} overdue, a whole {f.update_cadence_days}-day cadence or more",
                )
            )
        elif overdue > 0:
            amber.append(Reason(RiskReason.UPDATE_OVERDUE, f"client update {_days(overdue)} overdue"))

        missing = f.missing
        if missing and today >= self.care_starts_on(f) + self.checklist_grace:
            items = "item" if len(missing) == 1 else "items"
            amber.append(
                Reason(
                    RiskReason.CHECKLIST_MISSING,
                    f"{len(missing)} checklist {items} missing: {', '.join(k.label.lower() for k in missing)}",
                )
            )

        level = RiskLevel.RED if red else RiskLevel.AMBER if amber else RiskLevel.GREEN
        return Risk(level, (*red, *amber))


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"
