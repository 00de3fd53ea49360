"""The weekly digest: when it is due, what it counts, and how it reads.

Weeks run Monday to Monday in the firm's time zone. The digest posted at the set day and hour
(default Monday 09:00) reports the last full week before it, under the dedupe key
`digest:<ISO week>`: the sweep records it once the hour has passed, so a bot that was down at
that hour posts it on its next sweep, and two processes post it once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.core.config import DEFAULT_ROOT_CAUSE_CHOICES
from bot.core.lists import Choices
from bot.core.vocabulary import Category, LabelledEnum, Severity
from bot.matters.risk import MattersAtRisk, matters_at_risk
from bot.reminders.policy import ESCALATIONS, ReminderKind
from storage import reports
from storage.models import Complaint

if TYPE_CHECKING:
    from bot.core.context import BotContext

CHART_WEEKS = 12
AVERAGE_WEEKS = 4
REPEAT_WINDOW = timedelta(days=90)
# Open complaints by how long ago they were received, in weeks of the usual 8-week deadline.
AGE_BANDS = ((14, "under 2 weeks"), (28, "2–4 weeks"), (42, "4–6 weeks"), (56, "6–8 weeks"))
OVER_LAST_BAND = "8 weeks or more"
# Root causes of the complaints resolved in the 13 weeks to the digest's week, against the 13 before
# (DISP 1.3.3R: find and fix recurring causes); the busiest few.
ROOT_CAUSE_WEEKS = 13
ROOT_CAUSES_SHOWN = 5
_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, order=True)
class Week:
    """A Monday-to-Monday week of the firm's calendar."""

    monday: date

    @classmethod
    def containing(cls, day: date) -> Week:
        return cls(day - timedelta(days=day.weekday()))

    @classmethod
    def parse(cls, text: str) -> Week:
        """`2026-W47` → that ISO week; a clear ValueError otherwise."""
        m = _ISO_WEEK.match(text.strip())
        if not m:
            raise ValueError(f"a week is written as YEAR-Wnn, e.g. 2026-W47; got {text!r}")
        try:
            return cls(date.fromisocalendar(int(m[1]), int(m[2]), 1))
        except ValueError:
            raise ValueError(f"{text} is not a week of {m[1]}") from None

    @property
    def label(self) -> str:
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def shifted(self, weeks: int) -> Week:
        return Week(self.monday + timedelta(weeks=weeks))

    def start(self, tz: ZoneInfo) -> datetime:
        """Monday 00:00 in the firm's time zone, as UTC."""
        return datetime.combine(self.monday, time(0), tzinfo=tz).astimezone(UTC)

    def end(self, tz: ZoneInfo) -> datetime:
        return self.shifted(1).start(tz)


def digest_key(week: Week) -> str:
    return f"digest:{week.label}"


def chart_key(week: Week) -> str:
    return f"digest-chart:{week.label}"


def due_week(now: datetime, *, tz: ZoneInfo, weekday: int = 0, hour: int = 9) -> Week:
    """The week whose digest is due at `now`: the last full week before the latest posting time
    (`weekday` at `hour`, firm time) that has passed."""
    local = now.astimezone(tz)
    this_week = Week.containing(local.date())
    posting = datetime.combine(this_week.monday + timedelta(days=weekday), time(hour), tzinfo=tz)
    return this_week.shifted(-1) if now >= posting else this_week.shifted(-2)


def last_full_week(now: datetime, tz: ZoneInfo) -> Week:
    return Week.containing(now.astimezone(tz).date()).shifted(-1)


@dataclass(frozen=True)
class Trend:
    """A count this week, last week, and on average over the weeks before this one."""

    now: int
    previous: int
    average: float

    def describe(self) -> str:
        change = self.now - self.previous
        sign = "+" if change > 0 else ""
        return f"{self.now} ({sign}{change} on last week; 4-week average {self.average:.1f})"


@dataclass(frozen=True)
class RootCauseTrend:
    """Complaints resolved with one root cause (its label) in the recent weeks and the weeks before."""

    label: str
    now: int
    before: int

    @property
    def figures(self) -> str:
        """ "14 (was 9, +5)"."""
        change = self.now - self.before
        said = f"+{change}" if change > 0 else (str(change) if change else "no change")
        return f"{self.now} (was {self.before}, {said})"


@dataclass
class Digest:
    week: Week
    as_of: datetime
    show_names: bool
    new: Trend
    resolved: Trend
    open: Trend
    open_by_severity: list[tuple[str, int]]
    open_by_age: list[tuple[str, int]]
    triage_met: int
    triage_due: int
    updates_overdue: int
    final_due_total: int
    final_due: list[tuple[str, date, str | None]]
    breaches: dict[str, int]
    rising: list[tuple[str, int, float]]
    repeat_clients_total: int
    repeat_clients: list[tuple[str, int]]
    repeat_matters_total: int
    repeat_matters: list[tuple[str, int]]
    per_handler: list[tuple[str | None, int]]
    disclosures_logged: int
    disclosures_awaiting: int
    # For the chart: week labels, complaints opened per week by category label, resolved per week.
    chart_weeks: list[str] = field(default_factory=list)
    opened_by_category: dict[str, list[int]] = field(default_factory=dict)
    resolved_per_week: list[int] = field(default_factory=list)
    # Of this week's resolutions, those by summary resolution (FCA DISP 1.5), counted apart as the
    # complaints return (DISP 1.10) does; said whenever the scheme has it, or any were made.
    resolved_by_summary: int = 0
    summary_resolution_scheme: bool = False
    # Root causes over the ROOT_CAUSE_WEEKS to this week against the ROOT_CAUSE_WEEKS before: the
    # busiest few by the recent count, and those resolved with none recorded (None if there are none).
    root_causes: list[RootCauseTrend] = field(default_factory=list)
    root_cause_unrecorded: RootCauseTrend | None = None
    # The open matters that are set up, rated now (bot/matters/risk.py); None: not counted.
    matters: MattersAtRisk | None = None

    @property
    def nothing_new(self) -> bool:
        """Nothing happened this week and nothing is open or awaited: the short digest."""
        return not (
            self.new.now
            or self.resolved.now
            or self.open.now
            or self.disclosures_logged
            or self.disclosures_awaiting
            or sum(self.breaches.values())
        )

    @property
    def has_chart(self) -> bool:
        return any(any(v) for v in self.opened_by_category.values()) or any(self.resolved_per_week)


def compute(
    session: Session,
    week: Week,
    *,
    now: datetime,
    tz: ZoneInfo,
    show_names: bool = False,
    summary_resolution: bool = False,
    root_causes: Choices = DEFAULT_ROOT_CAUSE_CHOICES,
    matter_risk: MattersAtRisk | None = None,
) -> Digest:
    """Count the digest of `week` from the store, as of `now` (for what is open or due now).
    `summary_resolution`: the firm's scheme has summary resolution, so its count is always said;
    `root_causes`: the firm's list (ROOT_CAUSES), whose labels the root causes are shown by;
    `matter_risk`: the open matters at risk, counted by the caller (`compute_for` does)."""
    weeks = [week.shifted(i) for i in range(-(CHART_WEEKS - 1), 1)]
    bounds = [w.start(tz) for w in weeks] + [week.end(tz)]
    logged = reports.weekly_counts(session, Complaint.logged_at, bounds, by=Complaint.category)
    resolved = reports.weekly_counts(session, Complaint.resolved_at, bounds).get(None, [0] * CHART_WEEKS)
    logged_total = [sum(col) for col in zip(*logged.values(), strict=False)] or [0] * CHART_WEEKS

    open_now = reports.count_open(session)
    week_ends = [week.shifted(-i).end(tz) for i in range(AVERAGE_WEEKS + 1)]
    open_ends = reports.open_at(session, [min(m, now) for m in week_ends], open_now=open_now)

    today = now.astimezone(tz).date()
    age_counts = reports.open_by_age(session, [today - timedelta(days=d) for d, _ in AGE_BANDS])
    severity_counts = reports.open_by(session, Complaint.severity)
    met, due = reports.triage_within_deadline(session, week.start(tz), week.end(tz))
    final_total, final_rows = reports.final_responses_due(session, today, today + timedelta(days=6))
    breaches = reports.notifications_recorded(session, [k.value for k in ESCALATIONS], week.start(tz), week.end(tz))
    since = today - REPEAT_WINDOW
    clients_total, clients = reports.repeat_complainants(session, Complaint.client_name, since)
    matters_total, matters = reports.repeat_complainants(session, Complaint.matter_ref, since)
    per_handler = sorted(reports.open_by(session, Complaint.handler_id).items(), key=lambda kv: (-kv[1], kv[0] or ""))

    rising = []
    for category, counts in logged.items():
        this, avg = counts[-1], _average(counts)
        if this >= 2 and this > avg:
            rising.append((_label(Category, category), this, avg))
    rising.sort(key=lambda r: (r[2] - r[1], r[0]))
    causes, unrecorded = _root_causes(session, week, tz=tz, choices=root_causes)

    return Digest(
        week=week,
        as_of=now,
        show_names=show_names,
        new=Trend(logged_total[-1], logged_total[-2], _average(logged_total)),
        resolved=Trend(resolved[-1], resolved[-2], _average(resolved)),
        open=Trend(open_ends[0], open_ends[1], sum(open_ends[1:]) / AVERAGE_WEEKS),
        open_by_severity=[(s.label, severity_counts[s.value]) for s in Severity if severity_counts.get(s.value)]
        + ([("Not yet triaged", severity_counts[None])] if severity_counts.get(None) else []),
        open_by_age=list(zip([label for _, label in AGE_BANDS] + [OVER_LAST_BAND], age_counts, strict=False)),
        triage_met=met,
        triage_due=due,
        updates_overdue=reports.updates_overdue(session, now),
        final_due_total=final_total,
        final_due=[(r.reference, r.final_response_due_on, r.handler_id) for r in final_rows],
        breaches=breaches,
        rising=rising,
        repeat_clients_total=clients_total,
        repeat_clients=clients,
        repeat_matters_total=matters_total,
        repeat_matters=matters,
        per_handler=per_handler,
        disclosures_logged=reports.disclosures_logged(session, week.start(tz), week.end(tz)),
        disclosures_awaiting=reports.disclosures_awaiting(session),
        chart_weeks=[w.label for w in weeks],
        opened_by_category={_label(Category, c): v for c, v in sorted(logged.items())},
        resolved_per_week=resolved,
        resolved_by_summary=reports.summary_resolutions(session, week.start(tz), week.end(tz)),
        summary_resolution_scheme=summary_resolution,
        root_causes=causes,
        root_cause_unrecorded=unrecorded,
        matters=matter_risk,
    )


def compute_for(
    ctx: BotContext, session: Session, week: Week, *, now: datetime, show_names: bool, with_matters: bool = True
) -> Digest:
    """The digest of `week` as the firm's settings have it: for the digest channel, `complaint-bot
    digest` and the team's App Home. With `with_matters`, its matters at risk: every open matter
    rated, 500 at a time (bot/matters/risk.py), 4.9 s at 100k open matters (bench/matters_list.py),
    a cost for once a week, not for a Home counted every few minutes."""
    s = ctx.settings
    today = now.astimezone(ctx.tz).date()
    risk = matters_at_risk(session, settings=s, policy=ctx.matter_policy, today=today) if with_matters else None
    return compute(
        session,
        week,
        now=now,
        tz=ctx.tz,
        show_names=show_names,
        summary_resolution=s.rulebook.summary_resolution,
        root_causes=s.root_causes,
        matter_risk=risk,
    )


def root_cause_span(week: Week) -> tuple[Week, Week, Week]:
    """The first week of the 13 before, the first of the recent 13 (ending with `week`), and `week`."""
    return week.shifted(-(2 * ROOT_CAUSE_WEEKS - 1)), week.shifted(-(ROOT_CAUSE_WEEKS - 1)), week


def _root_causes(
    session: Session, week: Week, *, tz: ZoneInfo, choices: Choices
) -> tuple[list[RootCauseTrend], RootCauseTrend | None]:
    """Complaints resolved per root cause in the recent weeks and the weeks before, in one range scan
    of the resolved_at index: the busiest few by the recent count (ties by label), and the unrecorded."""
    first, recent, last = root_cause_span(week)
    counts = reports.weekly_counts(
        session, Complaint.resolved_at, [first.start(tz), recent.start(tz), last.end(tz)], by=Complaint.root_cause
    )
    unrecorded = counts.pop(None, None)
    trends = sorted(
        (RootCauseTrend(choices.label(value), now, before) for value, (before, now) in counts.items()),
        key=lambda t: (-t.now, t.label.casefold(), t.label),
    )
    return trends[:ROOT_CAUSES_SHOWN], (RootCauseTrend("", unrecorded[1], unrecorded[0]) if unrecorded else None)


def _average(series: list[int]) -> float:
    """The mean of the AVERAGE_WEEKS weeks before the last one in `series`."""
    before = series[-(AVERAGE_WEEKS + 1) : -1]
    return sum(before) / AVERAGE_WEEKS


def _label(enum: type[LabelledEnum], value: str) -> str:
    member = enum.parse(value)
    return member.label if member else str(value)


# --- how it reads -----------------------------------------------------------------------------------

BREACH_LABELS = {
    ReminderKind.TRIAGE_BREACH.value: "triage past 24 h",
    ReminderKind.UPDATE_OVERDUE.value: "client update overdue",
    ReminderKind.FINAL_BREACH.value: "final response past its deadline",
}


@dataclass(frozen=True)
class Section:
    title: str
    lines: list[str]


def title(week: Week) -> str:
    return f"Complaints digest, week {week.label} ({week.monday:%-d %b} – {week.sunday:%-d %b %Y})"


def _as_id(user_id: str | None) -> str:
    return user_id or "unassigned"


def _as_typed(text: str) -> str:
    return text


def sections(
    d: Digest, *, user: Callable[[str | None], str] = _as_id, esc: Callable[[str], str] = _as_typed
) -> list[Section]:
    """The digest as titled lines, shared by the Slack message and the terminal print.

    `user` renders a user id (a mention in Slack, the id in a terminal); `esc` protects text people
    typed (client names, matter references) in the medium.
    """
    if d.nothing_new:
        quiet = [
            Section(
                "Nothing new",
                [
                    "No complaints were logged or resolved this week, none is open, "
                    "and no disclosure awaits a client's acknowledgement."
                ],
            )
        ]
        return quiet + ([_matters_section(d.matters, d.show_names, esc)] if d.matters and d.matters.open else [])
    out = [
        Section(
            "This week",
            [
                f"New complaints: {d.new.describe()}",
                f"Resolved: {d.resolved.describe()}"
                + (
                    f", of which {d.resolved_by_summary} by summary resolution"
                    if d.summary_resolution_scheme or d.resolved_by_summary
                    else ""
                ),
                f"Open at the end of the week: {d.open.describe()}",
            ],
        )
    ]
    triage = (
        f"{d.triage_met} of {d.triage_due} ({100 * d.triage_met // d.triage_due}%)" if d.triage_due else "none fell due"
    )
    breaches = ", ".join(f"{n} {BREACH_LABELS.get(k, k)}" for k, n in sorted(d.breaches.items())) or "none"
    out.append(
        Section(
            "Keeping promises",
            [
                f"Triaged within the deadline: {triage}",
                f"Client updates overdue now: {d.updates_overdue}",
                f"Escalations this week: {breaches}",
            ],
        )
    )
    open_lines = [
        "By severity: " + (", ".join(f"{label} {n}" for label, n in d.open_by_severity) or "none open"),
        "By age: " + ", ".join(f"{label} {n}" for label, n in d.open_by_age),
    ]
    if d.per_handler:
        open_lines.append(
            "Per handler: "
            + ", ".join(f"{user(h)} {n}" for h, n in d.per_handler[:10])
            + (f" and {len(d.per_handler) - 10} more" if len(d.per_handler) > 10 else "")
        )
    out.append(Section("Open now", open_lines))
    due_lines = [f"{ref} due {on:%a %-d %b} ({user(h)})" for ref, on, h in d.final_due]
    if d.final_due_total > len(d.final_due):
        due_lines.append(f"and {d.final_due_total - len(d.final_due)} more")
    out.append(Section(f"Final responses due in the next 7 days: {d.final_due_total}", due_lines))
    warning = [f"{label}: {n} this week against an average of {avg:.1f}" for label, n, avg in d.rising]
    # Matter references often carry the client's name, so they are hidden with the names.
    if d.show_names:
        warning += [f"Client {esc(name[:80])}: {n} complaints in 90 days" for name, n in d.repeat_clients]
        warning += [f"Matter {esc(m[:80])}: {n} complaints in 90 days" for m, n in d.repeat_matters]
    else:
        if d.repeat_clients_total:
            warning.append(f"{d.repeat_clients_total} client(s) complained more than once in 90 days")
        if d.repeat_matters_total:
            warning.append(f"{d.repeat_matters_total} matter(s) had more than one complaint in 90 days")
        if d.repeat_clients_total or d.repeat_matters_total:
            warning.append("(names hidden here; /complaint list shows them to the team)")
    out.append(Section("Early warning", warning or ["No category is rising and no client or matter complained twice."]))
    out.append(_root_cause_section(d, esc))
    out.append(
        Section(
            "Disclosures",
            [
                f"Logged this week: {d.disclosures_logged}",
                f"Awaiting the client's acknowledgement: {d.disclosures_awaiting}",
            ],
        )
    )
    if d.matters is not None and d.matters.open:
        out.append(_matters_section(d.matters, d.show_names, esc))
    return out


def _matters_section(m: MattersAtRisk, show_names: bool, esc: Callable[[str], str]) -> Section:
    """Matters at risk now: by level, by reason (a matter counts once under each of its reasons),
    and the share with every checklist item met. Matter references often carry the client's name,
    so they are shown only with the names. Said only when a matter is open (a firm that keeps no
    matters is not told of them each week)."""
    lines = [
        f"Red {m.red}, amber {m.amber}, of {m.open} open matter(s)",
        "By reason: " + (", ".join(f"{code.label} {n}" for code, n in m.by_reason) or "none"),
        f"Every checklist item met: {m.checklist_met} of {m.open} ({m.checklist_percent}%)",
    ]
    if m.at_risk_refs and show_names:
        more = m.red + m.amber - len(m.at_risk_refs)
        lines.append(
            "At risk: " + ", ".join(esc(ref[:80]) for ref in m.at_risk_refs) + (f" and {more} more" if more > 0 else "")
        )
    elif m.at_risk_refs:
        lines.append("(matter references hidden here; /matter list shows them to the team)")
    return Section("Matters at risk", lines)


def _root_cause_section(d: Digest, esc: Callable[[str], str]) -> Section:
    first, recent, last = root_cause_span(d.week)
    heading = f"Root causes, last {ROOT_CAUSE_WEEKS} weeks"
    if not d.root_causes and d.root_cause_unrecorded is None:
        return Section(heading, [f"No complaint was resolved in the {2 * ROOT_CAUSE_WEEKS} weeks to {last.label}."])
    # A label is the firm's (ROOT_CAUSES) or a retired value as stored (an imported register's): escaped.
    lines = [f"{esc(t.label)} {t.figures}" for t in d.root_causes]
    if d.root_cause_unrecorded is not None:
        lines.append(f"No root cause recorded: {d.root_cause_unrecorded.figures}")
    lines.append(
        f"Complaints resolved in {recent.label} – {last.label}, against {first.label} – {recent.shifted(-1).label}."
    )
    return Section(heading, lines)


def as_text(d: Digest) -> str:
    """The digest for a terminal."""
    lines = [title(d.week), ""]
    for s in sections(d):
        lines.append(s.title)
        lines += [f"  {line}" for line in s.lines]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def chart_alt_text(d: Digest) -> str:
    opened = [sum(col) for col in zip(*d.opened_by_category.values(), strict=False)] or [0] * len(d.chart_weeks)
    return (
        f"Bar chart of complaints opened per week by category, with a line for complaints resolved, "
        f"over the {len(d.chart_weeks)} weeks to {d.week.label}: {sum(opened)} opened and "
        f"{sum(d.resolved_per_week)} resolved; this week {opened[-1]} opened and {d.resolved_per_week[-1]} resolved."
    )


def render_chart(d: Digest) -> bytes:
    """Complaints opened per week (stacked by category) and resolved per week (a line), as PNG."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(9, 4.5), dpi=100)
    ax = fig.add_subplot()
    x = range(len(d.chart_weeks))
    bottom = [0] * len(d.chart_weeks)
    for category, counts in d.opened_by_category.items():
        ax.bar(x, counts, bottom=bottom, label=category)
        bottom = [b + c for b, c in zip(bottom, counts, strict=False)]
    ax.plot(x, d.resolved_per_week, color="black", marker="o", label="Resolved")
    ax.set_xticks(list(x), [label.split("-")[1] for label in d.chart_weeks])
    ax.set_ylabel("Complaints")
    ax.set_title(f"Complaints opened and resolved per week, to {d.week.label}")
    # The default (AutoLocator) ticks, whole numbers only: complaints come one at a time.
    ax.yaxis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10], integer=True))
    ax.legend(loc="upper left", fontsize="small", ncols=2)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def due_now(ctx: BotContext, now: datetime) -> Week:
    s = ctx.settings
    return due_week(now, tz=ctx.tz, weekday=s.digest_weekday, hour=s.digest_hour)


def due_from_sweep(ctx: BotContext, session: Session, now: datetime) -> Week | None:
    """The week whose digest the sweep posts now, or None for a week that ended before the register
    held anything: a new store (a first install, or a store at a wrong path) has no week to report
    on, so it posts no empty digest. `complaint-bot digest --post` posts any week it is asked for."""
    week = due_now(ctx, now)
    return week if reports.holds_records_by(session, week.sunday) else None
