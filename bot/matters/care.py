"""A matter's client care as its lawyer records it: a client update logged (and how the client
seemed), the check-in nudge snoozed with a reason, the matter dormant until a date (no update
needed till then), and the answer to "is it a complaint?" after an update that found the client
unhappy. The policy (bot/matters/policy.py) counts the check-in cadence from what these store.

Each change is one transaction: the matter's columns, its event, the check-in nudges recorded but
not sent cancelled (they no longer apply), and `next_reminder_at` set to now so the sweep looks
again. A modal submitted twice (a Slack retry) is stored once: its view id is kept in the event
and the matter's row is locked first, so a second submission finds the first's event. An update
that found the client unhappy records, in the same transaction, a DM to the lawyer asking whether
it is a complaint (the Legal Ombudsman's and the FCA's definition: bot/matters/messages.py); only
the first answer counts, and "not a complaint" is recorded with the reason it is not one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from sqlalchemy.orm import Session, sessionmaker

from bot.core import blockkit
from bot.core.config import Settings
from bot.core.errors import FieldErrors, NotFound, UserError
from bot.core.ids import MatterDormantField, MatterNotAComplaintField, MatterSnoozeField, MatterUpdateField
from bot.core.submissions import stored_by_view
from bot.core.text import whole_number
from bot.core.vocabulary import ClientMood, EventKind, MatterStatus, UpdateVia
from bot.matters import messages
from bot.matters.facts import facts_of
from bot.matters.inputs import ClientUpdateToLog, HeldUntil
from bot.matters.policy import MatterPolicy, MatterReminderKind
from storage import matters as matters_store
from storage import outbox as outbox_store
from storage.models import Event, Matter

# The nudges a client update, a snooze or a dormancy makes moot until the policy finds them due again.
CHECK_IN_REMINDERS = (MatterReminderKind.CHECK_IN_DUE.value, MatterReminderKind.CHECK_IN_OVERDUE.value)
SNOOZE_MAX_DAYS = 90
# A matter can be dormant for a year at most: a date mistyped by years would silence it for good.
DORMANT_MAX_DAYS = 366
PROMPT_KIND = "complaint-prompt"
COMPLAINT = "complaint"
NOT_A_COMPLAINT = "not_a_complaint"


def prompt_key(update_event_id: int) -> str:
    return f"{PROMPT_KIND}:{update_event_id}"


def require_in_care(matter: Matter, *, closed: str, then: str) -> None:
    """Client care is recorded on an open matter that is set up; else a UserError saying why not:
    `closed` ends "Matter M-1001 is closed: …", `then` ends "… `/matter new` sets it up, then …"."""
    if matter.status == MatterStatus.CLOSED:
        raise UserError(f"Matter {matter.matter_ref} is closed: {closed}.")
    if not matter.set_up:
        raise UserError(f"Matter {matter.matter_ref} is not set up yet: `/matter new` sets it up, then {then}.")


def check_care_open(matter: Matter) -> None:
    require_in_care(matter, closed="its client care is no longer recorded", then="its client updates can be logged")


# --- a client update -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpdateLogged:
    matter_ref: str
    on: date
    via: UpdateVia
    mood: ClientMood
    # The day the next client update is due (MatterPolicy.update_due_on, after this one).
    next_due_on: date
    event_id: int
    # False: a second submission of the same modal, which stored nothing.
    created: bool = True
    # The client seemed unhappy: the lawyer is asked, by DM, whether it is a complaint.
    prompted: bool = False
    notification_keys: tuple[str, ...] = ()


def log_update(
    *,
    session_factory: sessionmaker[Session],
    matter_ref: str,
    data: ClientUpdateToLog,
    actor: str,
    now: datetime,
    settings: Settings,
    policy: MatterPolicy,
    view_id: str | None = None,
) -> UpdateLogged:
    """Record a client update on the matter; the check-in cadence counts from it, a snooze ends."""
    with session_factory.begin() as session:
        matter = _matter_to_change(session, matter_ref)
        before = _stored_before(session, matter, EventKind.MATTER_CLIENT_UPDATE, view_id)
        if before is not None:
            return _update_logged(matter, before, settings, policy, created=False)
        check_care_open(matter)
        today = policy.firm.local_date(now)
        if data.on > today:
            raise FieldErrors({MatterUpdateField.DATE: "A client update cannot be given in the future."})
        if matter.opened_on is not None and data.on < matter.opened_on:
            raise FieldErrors(
                {
                    MatterUpdateField.DATE: f"The matter opened on {blockkit.day(matter.opened_on)}: "
                    "an update on it cannot be before that."
                }
            )
        matter.last_update_on = _latest(matter.last_update_on, data.on)
        if data.mood is ClientMood.UNHAPPY:
            matter.unhappy_on = _latest(matter.unhappy_on, data.on)
        elif data.mood is ClientMood.CONCERNED:
            matter.concerned_on = _latest(matter.concerned_on, data.on)
        _end_snooze(matter)
        _look_again(session, matter, now)
        event = _add_event(
            session,
            matter,
            EventKind.MATTER_CLIENT_UPDATE,
            actor,
            now,
            view_id,
            {
                "on": data.on.isoformat(),
                "via": data.via.value,
                "mood": data.mood.value,
                "told": data.told,
                "next_step": data.next_step,
            },
        )
        logged = _update_logged(matter, event, settings, policy, created=True)
        if data.mood is not ClientMood.UNHAPPY:
            return logged
        key = prompt_key(event.id)
        text, body = messages.complaint_prompt(matter.matter_ref, on=data.on, update_event_id=event.id)
        outbox_store.record_notifications(
            session,
            [
                {
                    "dedupe_key": key,
                    "kind": PROMPT_KIND,
                    "channel": actor,
                    "text": text,
                    "blocks": body,
                    "matter_id": matter.id,
                }
            ],
            now=now,
        )
        return replace(logged, notification_keys=(key,))


def _update_logged(
    matter: Matter, event: Event, settings: Settings, policy: MatterPolicy, *, created: bool
) -> UpdateLogged:
    d = event.data
    mood = ClientMood(d["mood"])
    return UpdateLogged(
        matter_ref=matter.matter_ref,
        on=date.fromisoformat(d["on"]),
        via=UpdateVia(d["via"]),
        mood=mood,
        next_due_on=policy.update_due_on(facts_of(matter, settings=settings)),
        event_id=event.id,
        created=created,
        prompted=mood is ClientMood.UNHAPPY,
    )


# --- snooze and dormancy ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInHeld:
    """A snooze or a dormancy recorded: the check-in waits until `until`."""

    matter_ref: str
    until: date
    # The day the next client update is due now (after a dormancy, a cadence after it ends).
    next_due_on: date
    created: bool = True
    notification_keys: tuple[str, ...] = ()


class Hold(StrEnum):
    """How a check-in is held back: snoozed (the nudge waits; the update is still due), or the
    matter dormant (no update needed: the cadence counts from the date)."""

    SNOOZE = "snooze"
    DORMANT = "dormant"


@dataclass(frozen=True)
class _HoldRule:
    kind: EventKind
    field: str
    max_days: int
    what: str
    doing: str


HOLDS: dict[Hold, _HoldRule] = {
    Hold.SNOOZE: _HoldRule(
        EventKind.MATTER_SNOOZED, MatterSnoozeField.UNTIL, SNOOZE_MAX_DAYS, "The snooze", "snooze the check-in"
    ),
    Hold.DORMANT: _HoldRule(
        EventKind.MATTER_DORMANT, MatterDormantField.UNTIL, DORMANT_MAX_DAYS, "The dormancy", "mark the matter dormant"
    ),
}


def hold_check_in(
    *,
    session_factory: sessionmaker[Session],
    matter_ref: str,
    how: Hold,
    data: HeldUntil,
    actor: str,
    now: datetime,
    settings: Settings,
    policy: MatterPolicy,
    view_id: str | None = None,
) -> CheckInHeld:
    """Snoozed: the check-in nudge waits until the firm's reminder hour on `data.until` (the next
    business day's, if that is not one); the supervisor's does not (it says the nudge is snoozed).
    Dormant: no update is needed until `data.until`, the cadence counts from then, and a snooze
    ends. Either with its reason."""
    rule = HOLDS[how]
    with session_factory.begin() as session:
        matter = _matter_to_change(session, matter_ref)
        before = _stored_before(session, matter, rule.kind, view_id)
        if before is not None:
            return _held(matter, date.fromisoformat(before.data["until"]), settings, policy, created=False)
        check_care_open(matter)
        today = policy.firm.local_date(now)
        if data.until <= today:
            raise FieldErrors({rule.field: f"Choose a date after today to {rule.doing} until."})
        latest = today + timedelta(days=rule.max_days)
        if data.until > latest:
            raise FieldErrors(
                {rule.field: f"{rule.what} can last {rule.max_days} days at most: until {blockkit.day(latest)}."}
            )
        if how is Hold.SNOOZE:
            matter.snoozed_until = policy.morning(data.until)
            matter.snooze_reason = data.reason
        else:
            matter.dormant_until = data.until
            _end_snooze(matter)
        _look_again(session, matter, now)
        event_data: dict[str, object] = {"until": data.until.isoformat(), "reason": data.reason}
        _add_event(session, matter, rule.kind, actor, now, view_id, event_data)
        return _held(matter, data.until, settings, policy, created=True)


def _held(matter: Matter, until: date, settings: Settings, policy: MatterPolicy, *, created: bool) -> CheckInHeld:
    next_due_on = policy.update_due_on(facts_of(matter, settings=settings))
    return CheckInHeld(matter.matter_ref, until, next_due_on, created=created)


# --- "is it a complaint?" --------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What was answered to the complaint prompt of a client update, by whom and when."""

    answer: str
    actor: str
    at: datetime
    complaint: str | None = None


@dataclass(frozen=True)
class Prompted:
    """The client update a complaint prompt asks about, with what the intake modal is prefilled with."""

    update_event_id: int
    matter_ref: str
    client_name: str | None
    on: date
    via: UpdateVia
    told: str
    answered: Answer | None = None


def parse_update_event_id(value: str | None) -> int:
    """The complaint prompt's button value: the id of the client update's event."""
    event_id = whole_number((value or "").strip())
    if event_id is None:
        raise UserError("This button names no client update; use `/complaint new` to log a complaint.")
    return event_id


def prompted_update(session: Session, *, update_event_id: int) -> Prompted:
    """The client update `update_event_id` and its answer so far; NotFound if there is no such update."""
    event, matter = _update_event(session, update_event_id)
    return _prompted(session, event, matter)


def _update_event(session: Session, update_event_id: int) -> tuple[Event, Matter]:
    found = matters_store.matter_event(session, update_event_id, kind=EventKind.MATTER_CLIENT_UPDATE)
    if found is None:
        raise NotFound("There is no such client update on record.")
    return found


def _prompted(session: Session, event: Event, matter: Matter) -> Prompted:
    d = event.data
    return Prompted(
        update_event_id=event.id,
        matter_ref=matter.matter_ref,
        client_name=matter.client_name,
        on=date.fromisoformat(d["on"]),
        via=UpdateVia(d["via"]),
        told=str(d.get("told") or ""),
        answered=_answer_to(session, matter, event.id),
    )


class AlreadyAnswered(UserError):
    """Only the first answer to a complaint prompt counts. Its sentence says what was answered and
    when, and where to read by whom (plain, for a modal's field error, where a mention would show as
    its raw id); `prompted.answered` says by whom, for a message
    (bot/matters/messages.already_answered) that can mention them."""

    def __init__(self, prompted: Prompted, tz: tzinfo):
        assert prompted.answered is not None
        self.prompted = prompted
        a = prompted.answered
        super().__init__(
            f"The update of {blockkit.day(prompted.on)} on {prompted.matter_ref} was already answered: "
            f"{messages.ANSWERED[a.answer]}, on {blockkit.day(a.at.astimezone(tz).date())}; "
            f"/matter show {prompted.matter_ref} says by whom."
        )


def refuse_if_answered(p: Prompted, tz: tzinfo) -> None:
    if p.answered is not None:
        raise AlreadyAnswered(p, tz)


def record_answer(
    session: Session,
    *,
    update_event_id: int,
    answer: str,
    actor: str,
    now: datetime,
    tz: tzinfo,
    complaint: str | None = None,
) -> Prompted:
    """Record, in the caller's transaction, the answer to the complaint prompt of the update
    `update_event_id`: COMPLAINT (with the reference of the complaint logged) or NOT_A_COMPLAINT.
    The matter's row is locked first, so of two answers at once only the first counts; the other
    gets a UserError (and its transaction, with any complaint it logged, is rolled back)."""
    matter, prompted = _prompt_to_answer(session, update_event_id)
    data: dict[str, object] = {} if complaint is None else {"complaint": complaint}
    _answer(session, matter, prompted, answer, actor, now, tz, None, data)
    return prompted


@dataclass(frozen=True)
class NotAComplaint:
    """**Not a complaint** recorded on the update `prompted`, with the reason given."""

    prompted: Prompted
    reason: str
    # False: a second submission of the same modal, which stored nothing.
    created: bool = True
    notification_keys: tuple[str, ...] = ()


def not_a_complaint(
    *,
    session_factory: sessionmaker[Session],
    update_event_id: int,
    reason: str | None,
    actor: str,
    now: datetime,
    tz: tzinfo,
    view_id: str | None = None,
) -> NotAComplaint:
    """Record that the client's unhappiness at the update `update_event_id` is not a complaint, and
    why: whoever reviews the judgement later (a compliance officer, the regulator) reads the reason
    on the matter's timeline. A blank reason is refused; so is a second answer (only the first
    counts), except a second submission of the same modal (`view_id`), which finds the first's."""
    reason = (reason or "").strip()
    if not reason:
        raise FieldErrors({MatterNotAComplaintField.REASON: "Enter the reason."})
    with session_factory.begin() as session:
        matter, prompted = _prompt_to_answer(session, update_event_id)
        before = _stored_before(session, matter, EventKind.MATTER_COMPLAINT_ANSWERED, view_id)
        if before is not None:
            return NotAComplaint(prompted, str(before.data.get("reason") or ""), created=False)
        _answer(session, matter, prompted, NOT_A_COMPLAINT, actor, now, tz, view_id, {"reason": reason})
        return NotAComplaint(prompted, reason)


def _prompt_to_answer(session: Session, update_event_id: int) -> tuple[Matter, Prompted]:
    """The update's matter, locked (so of two answers at once the second sees the first), and the
    update with its answer so far."""
    event, found = _update_event(session, update_event_id)
    matter = _matter_to_change(session, found.matter_ref)
    return matter, _prompted(session, event, matter)


def _answer(
    session: Session,
    matter: Matter,
    prompted: Prompted,
    answer: str,
    actor: str,
    now: datetime,
    tz: tzinfo,
    view_id: str | None,
    data: dict[str, object],
) -> None:
    refuse_if_answered(prompted, tz)
    data = {"update_event_id": prompted.update_event_id, "answer": answer, **data}
    _add_event(session, matter, EventKind.MATTER_COMPLAINT_ANSWERED, actor, now, view_id, data)


def _answer_to(session: Session, matter: Matter, update_event_id: int) -> Answer | None:
    for e in matters_store.events_of_matter(session, matter.id, kinds=[EventKind.MATTER_COMPLAINT_ANSWERED]):
        if e.data.get("update_event_id") == update_event_id:
            return Answer(str(e.data.get("answer")), e.actor, e.at, e.data.get("complaint"))
    return None


# --- shared ------------------------------------------------------------------------------------------


def _matter_to_change(session: Session, matter_ref: str) -> Matter:
    matter = matters_store.matter_by_ref(session, matter_ref, for_update=True)
    if matter is None:
        raise NotFound(f"There is no matter {matter_ref}.")
    return matter


def _stored_before(session: Session, matter: Matter, kind: EventKind, view_id: str | None) -> Event | None:
    """The event of `kind` a submission of the modal `view_id` stored before, if any."""
    if not view_id:
        return None
    return stored_by_view(matters_store.events_of_matter(session, matter.id, kinds=[kind]), view_id)


def _add_event(
    session: Session,
    matter: Matter,
    kind: EventKind,
    actor: str,
    now: datetime,
    view_id: str | None,
    data: dict[str, object],
) -> Event:
    if view_id:
        data = {**data, "view_id": view_id}
    event = Event(matter_id=matter.id, kind=kind, actor=actor, at=now, data=data)
    session.add(event)
    session.flush()
    return event


def _end_snooze(matter: Matter) -> None:
    matter.snoozed_until = None
    matter.snooze_reason = None


def _look_again(session: Session, matter: Matter, now: datetime) -> None:
    """The sweep looks at the matter now; the check-in nudges recorded and not sent no longer apply
    (the policy records them again if they fall due again)."""
    matter.next_reminder_at = now
    outbox_store.cancel_unsent(session, matter_id=matter.id, kinds=CHECK_IN_REMINDERS, now=now)


def _latest(a: date | None, b: date) -> date:
    return b if a is None or b > a else a
