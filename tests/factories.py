"""Test data and helpers more than one test module uses: values of valid modals, the services driven
as the handlers drive them, processes of the command line, App Home opened as Slack opens it."""

from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from sqlalchemy import select

from bot.complaints import holding as holding_service
from bot.complaints import service as complaints
from bot.complaints.inputs import AcknowledgementInput
from bot.core.context import BotContext, make_context
from bot.core.vocabulary import AcknowledgedVia, OmbudsmanPoint, Outcome, UpdateVia
from bot.disclosures import service as disclosures
from bot.matters import care as matter_care
from bot.matters import costs as matter_costs
from bot.matters import service as matters
from bot.matters.inputs import ClientUpdateToLog, HeldUntil, NewMatter
from handlers.modals.client_update import parse_client_update
from handlers.modals.disclosure import parse_disclosure
from handlers.modals.holding import parse_holding
from handlers.modals.intake import parse_intake
from handlers.modals.resolve import parse_resolution
from handlers.modals.snooze import parse_snooze
from handlers.modals.triage import parse_triage
from storage import complaints as complaints_store
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import Complaint, Disclosure, Event, Matter
from tests.conftest import make_settings
from tests.e2e import validate_view
from tests.fakes import RecordingNotifier, intake_values, no_team, triage_values

BIN = Path(sys.executable).parent / "complaint-bot"

SLACK_VARS = (
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "TRIAGE_CHANNEL",
    "DIGEST_CHANNEL",
    "DATABASE_URL",
    "SLACK_API_URL",
    "FIRM_TIMEZONE",
    "PORT",
    "COMPLAINTS_LEAD",
    "COMPLAINTS_HOME",
    "LOG_LEVEL",
    "LOG_FORMAT",
)


def run(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """`complaint-bot ARGS` in `cwd`, which is its COMPLAINTS_HOME too unless `env` says otherwise."""
    base = {k: v for k, v in os.environ.items() if k not in SLACK_VARS}
    return subprocess.run(
        [str(BIN), *args],
        env={**base, "COMPLAINTS_HOME": str(cwd), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            # the server is still starting; poll again (this waits for a process, not for time to pass)
            time.sleep(0.1)
    raise AssertionError("serve did not start")


WAIT_S = 45


class Proc:
    """A `complaint-bot` process whose output goes to a file (an unread pipe would block a server)."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path):
        self.log = log
        self._out = open(log, "w")  # noqa: SIM115 (the process writes to it until stop())
        self.popen = subprocess.Popen(
            [str(BIN), *args], env=env, cwd=log.parent, stdout=self._out, stderr=subprocess.STDOUT, text=True
        )

    def output(self) -> str:
        self._out.flush()
        return self.log.read_text()

    def finish(self, timeout: float = WAIT_S) -> str:
        """Wait for the process to exit 0; its output."""
        code = self.popen.wait(timeout=timeout)
        assert code == 0, f"{self.popen.args[1:]} exited with {code}:\n{self.output()}"
        return self.output()

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._out.close()


TODAY = date(2026, 11, 23)  # T0's date in London

ALL_POINTS = ",".join(p.value for p in OmbudsmanPoint)  # "available,contact,six_months"


def update_values(**overrides):
    values = {
        "update_date": TODAY.isoformat(),
        "update_via": UpdateVia.PHONE.value,
        "told": "We are chasing the other side's solicitors; completion expected Friday.",
        "next_step": "Call again on Friday.",
    }
    values.update(overrides)
    return values


def snooze_values(**overrides):
    values = {"snooze_days": "3", "reason": "Waiting for the client's documents."}
    values.update(overrides)
    return values


def resolution_values(**overrides):
    values = {
        "outcome": Outcome.PARTLY_UPHELD.value,
        "remedy": "Apology and a £250 fee reduction.",
        "final_response_sent_on": TODAY.isoformat(),
        "ombudsman": ALL_POINTS,
        "root_cause": "delay",
        # Redress (in the firm's CURRENCY): none unless a test gives it.
        "redress_offered": None,
        "redress_paid": None,
        "redress_paid_on": None,
    }
    values.update(overrides)
    return values


def holding_values(**overrides):
    values = {
        "reason": "We are still waiting for the other side's solicitors to send us the completion file.",
        "expected_on": (TODAY + timedelta(days=21)).isoformat(),
        "sent_on": TODAY.isoformat(),
        "via": "email",
    }
    values.update(overrides)
    return values


def migrated_context(db_url: str, clock) -> BotContext:
    """A context on the store at `db_url`, migrated first, sending nowhere; dispose its engine after."""
    engine = make_engine(db_url)
    upgrade(engine)
    return make_context(
        settings=make_settings(db_url),
        engine=engine,
        session_factory=make_session_factory(engine),
        notifier=RecordingNotifier(),
        clock=clock,
        team=no_team(),
    )


def log(ctx, **overrides) -> Complaint:
    data = parse_intake(intake_values(**overrides), today=ctx.today())
    return complaints.log_complaint(
        session_factory=ctx.session_factory,
        data=data,
        reporter_id="UREPORTER",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    ).complaint


def acknowledge(ctx, reference, *, via: AcknowledgedVia = AcknowledgedVia.EMAIL, sent_on=None, actor="UREPORTER"):
    """Record the acknowledgement as sent (today, by email, by the reporter unless told otherwise)."""
    return complaints.record_acknowledgement(
        session_factory=ctx.session_factory,
        reference=reference,
        data=AcknowledgementInput(sent_on=sent_on or ctx.today(), via=via),
        actor=actor,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )


def acknowledged_when_logged(ctx, reference: str) -> None:
    """Put the acknowledgement on record as sent when the complaint was logged, straight in the store:
    for tests of the sweep against the real clock, whose acknowledgement reminders would otherwise
    be due or not by the weekday they run on (due at the end of the next working day)."""
    with ctx.session_factory.begin() as session:
        complaint = complaints_store.complaint_by_reference(session, reference, for_update=True)
        assert complaint is not None
        complaint.acknowledged_at = complaint.logged_at
        complaint.acknowledged_via = AcknowledgedVia.EMAIL.value
        complaint.acknowledged_by = "UREPORTER"


def triage(ctx, reference, **overrides) -> Complaint:
    data = parse_triage(triage_values(**overrides), today=ctx.today())
    return complaints.triage_complaint(
        session_factory=ctx.session_factory,
        reference=reference,
        data=data,
        actor="ULEAD",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    ).complaint


def client_update(ctx, reference, **overrides):
    data = parse_client_update(update_values(**overrides), today=ctx.today())
    return complaints.log_client_update(
        session_factory=ctx.session_factory,
        reference=reference,
        data=data,
        actor="UHANDLER1",
        now=ctx.clock.now(),
        policy=ctx.policy,
    )


def snooze(ctx, reference, **overrides):
    data = parse_snooze(snooze_values(**overrides))
    return complaints.snooze(
        session_factory=ctx.session_factory, reference=reference, data=data, actor="UHANDLER1", now=ctx.clock.now()
    )


def holding(ctx, reference, *, actor: str = "UHANDLER1", view_id: str | None = None, **overrides):
    data = parse_holding(holding_values(**overrides), today=ctx.today())
    return holding_service.record_holding_response(
        session_factory=ctx.session_factory,
        reference=reference,
        data=data,
        actor=actor,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
        view_id=view_id,
    )


def resolve(ctx, reference, **overrides):
    data = parse_resolution(resolution_values(**overrides), today=ctx.today(), rulebook=ctx.settings.rulebook)
    return complaints.resolve(
        session_factory=ctx.session_factory,
        reference=reference,
        data=data,
        actor="UHANDLER1",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )


def reopen(ctx, reference):
    return complaints.reopen(
        session_factory=ctx.session_factory,
        reference=reference,
        actor="ULEAD",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )


def stored(ctx, reference) -> Complaint:
    with ctx.session_factory() as s:
        c = complaints_store.complaint_by_reference(s, reference)
    assert c is not None
    return c


def events(ctx, reference) -> list[Event]:
    with ctx.session_factory() as s:
        return list(complaints_store.events_of(s, stored(ctx, reference).id))


def disclosure_values(**overrides):
    values = {
        "client_name": "Jane Client",
        "matter_ref": "M-1001",
        "kind": "costs_estimate",
        "content": "Estimated fees £12,000 plus VAT; could rise if the other side contests.",
        "disclosed_on": "2026-11-20",
        "disclosed_via": "email",
        "ack_status": "pending",
        "follow_up_on": None,
        "document_url": None,
        "amount": None,
    }
    values.update(overrides)
    return values


def new_matter(**overrides) -> NewMatter:
    """A matter as /matter new would give it (ULAWYER responsible), with `overrides`."""
    values = dict(
        matter_ref="M-1001",
        client_name="Jane Client",
        responsible_id="ULAWYER",
        area="conveyancing",
        opened_on=date(2026, 11, 20),
    )
    values.update(overrides)
    return NewMatter(**values)


def set_up_matter(ctx, *, set_up_at: datetime | None = None, **overrides) -> matters.Opened:
    """Open `new_matter(**overrides)` through the matters service, as its modal does: by default at
    noon (UTC) on the day it opened, when that is before the clock's today (a matter set up in the
    bot long after it opened counts its client care from the set-up instead), else now."""
    data = new_matter(**overrides)
    if set_up_at is None:
        noon = datetime.combine(data.opened_on, clock_time(12), tzinfo=UTC)
        set_up_at = noon if data.opened_on < ctx.today() else ctx.clock.now()
    return matters.open_matter(session_factory=ctx.session_factory, data=data, actor=data.responsible_id, now=set_up_at)


def the_matter(ctx, matter_ref: str = "M-1001") -> Matter:
    """The matter `matter_ref` as the store holds it now."""
    with ctx.session_factory() as s:
        return s.execute(select(Matter).where(Matter.matter_ref == matter_ref)).scalar_one()


def events_of_kind(ctx, kind: str) -> list[Event]:
    """Every event of `kind` in the store, in the order written."""
    with ctx.session_factory() as s:
        return list(s.execute(select(Event).where(Event.kind == kind).order_by(Event.id)).scalars())


def log_matter_update(
    ctx, data: ClientUpdateToLog, *, matter_ref: str = "M-1001", view_id: str | None = None, actor: str = "ULAWYER"
) -> matter_care.UpdateLogged:
    """A client update on `matter_ref` logged through the client-care service, as its modal does."""
    return matter_care.log_update(
        session_factory=ctx.session_factory,
        matter_ref=matter_ref,
        data=data,
        actor=actor,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.matter_policy,
        view_id=view_id,
    )


def hold_matter_check_in(
    ctx,
    how: matter_care.Hold,
    until: date,
    reason: str = "Waiting for the lender.",
    *,
    matter_ref: str = "M-1001",
    view_id: str | None = None,
    actor: str = "ULAWYER",
) -> matter_care.CheckInHeld:
    """The check-in of `matter_ref` snoozed, or the matter dormant (`how`), until `until`."""
    return matter_care.hold_check_in(
        session_factory=ctx.session_factory,
        matter_ref=matter_ref,
        how=how,
        data=HeldUntil(until=until, reason=reason),
        actor=actor,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.matter_policy,
        view_id=view_id,
    )


def answer_not_a_complaint(
    ctx, update_event_id: int, *, reason: str | None, actor: str = "ULAWYER", view_id: str | None = None
) -> matter_care.NotAComplaint:
    """**Not a complaint**, with `reason`, to the complaint prompt of the update `update_event_id`."""
    return matter_care.not_a_complaint(
        session_factory=ctx.session_factory,
        update_event_id=update_event_id,
        reason=reason,
        actor=actor,
        now=ctx.clock.now(),
        tz=ctx.tz,
        view_id=view_id,
    )


def record_costs(ctx, amount: int, matter_ref: str = "M-1001", actor: str = "ULAWYER") -> matter_costs.CostsRecorded:
    """The costs to date of `matter_ref`, in minor units, recorded as /matter costs records them."""
    return matter_costs.record_costs(
        session_factory=ctx.session_factory,
        matter_ref=matter_ref,
        costs_to_date=amount,
        actor=actor,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.matter_policy,
    )


def log_disclosure(ctx, *, logged_by: str = "ULAWYER", **overrides) -> Disclosure:
    """A disclosure logged through the disclosure modal's parser and the disclosures service."""
    data = parse_disclosure(disclosure_values(**overrides), today=ctx.today(), currency=ctx.settings.currency)
    return disclosures.log_disclosure(
        session_factory=ctx.session_factory,
        data=data,
        logged_by=logged_by,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    ).disclosure


_events = itertools.count(1)


def home_opened(slack, user: str, tab: str = "home"):
    """What Slack sends when `user` opens a tab of the app: an app_home_opened event callback."""
    n = next(_events)
    body = {
        "token": "legacy",
        "team_id": "T0001",
        "api_app_id": "A0001",
        "type": "event_callback",
        "event_id": f"Ev{n:08d}",
        "event_time": int(time.time()),
        "event": {
            "type": "app_home_opened",
            "user": user,
            "channel": "D" + user[1:],
            "tab": tab,
            "event_ts": f"1763890000.{n:06d}",
        },
    }
    return slack.post_raw(json.dumps(body), content_type="application/json")


def published(double, since: int = 0) -> list:
    """views.publish calls from the `since`-th on; each view the bot sent is validated as Slack would."""
    calls = double.calls_to("views.publish")[since:]
    for c in calls:
        assert c.ok, c.response
        validate_view(c.params["view"])
        validate_view(c.response["view"])
    return calls


def open_home(bot, slack, double, user: str) -> dict:
    """Open `user`'s Home; returns the view as Slack holds it (with its id), after checking it."""
    before = len(double.calls_to("views.publish"))
    r = home_opened(slack, user)
    assert r.status == 200
    bot.wait_idle()
    [call] = published(double, before)
    assert call.params["user_id"] == user and call.params["view"]["type"] == "home"
    return call.response["view"]


SOURCE = "https://example.slack.com/archives/C1/p1700000000000100"


def resolved_complaint(ctx, resolved_at: datetime, *, deliver: bool = True, **intake) -> str:
    """A complaint logged, triaged, updated, snoozed and resolved at `resolved_at`, with every piece
    of free text the services store; the clock is left at `resolved_at`."""
    clock = ctx.clock
    clock.set(resolved_at - timedelta(days=10))
    today = ctx.today()
    data = parse_intake(intake_values(received_on=today.isoformat(), **intake), today=today, source_message_url=SOURCE)
    ref = complaints.log_complaint(
        session_factory=ctx.session_factory,
        data=data,
        reporter_id="UREPORTER",
        now=clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    ).complaint.reference
    triage = parse_triage(triage_values(target_date=(today + timedelta(days=20)).isoformat()), today=today)
    complaints.triage_complaint(
        session_factory=ctx.session_factory,
        reference=ref,
        data=triage,
        actor="ULEAD",
        now=clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    update = parse_client_update(
        {
            "update_date": today.isoformat(),
            "update_via": "phone",
            "told": "We are chasing the other side's solicitors.",
            "next_step": "Call again on Friday.",
        },
        today=today,
    )
    complaints.log_client_update(
        session_factory=ctx.session_factory,
        reference=ref,
        data=update,
        actor="UHANDLER1",
        now=clock.now(),
        policy=ctx.policy,
    )
    complaints.snooze(
        session_factory=ctx.session_factory,
        reference=ref,
        actor="UHANDLER1",
        now=clock.now(),
        data=parse_snooze({"snooze_days": "3", "reason": "Waiting for the client's documents."}),
    )
    if deliver:
        ctx.deliver()
    clock.set(resolved_at)
    resolution = parse_resolution(
        {
            "outcome": "partly_upheld",
            "remedy": "Apology and a £250 fee reduction.",
            "final_response_sent_on": ctx.today().isoformat(),
            "ombudsman": ",".join(p.value for p in OmbudsmanPoint),
            "root_cause": "delay",
        },
        today=ctx.today(),
    )
    complaints.resolve(
        session_factory=ctx.session_factory,
        reference=ref,
        data=resolution,
        actor="UHANDLER1",
        now=clock.now(),
        settings=ctx.settings,
    )
    return ref


def send_first_contact_reminders(ctx) -> None:
    """Two days on from T0 (Mon 23 Nov 2026 09:30 to Wed 25 Nov 09:30), past 09:00 of the day the
    acknowledgement promised first contact, and sweep: so a test of other reminders, advanced past
    that day, sees only its own."""
    from bot.reminders.sweep import sweep

    ctx.clock.advance(days=2)
    kinds = {d.kind for d in sweep(ctx).sent}
    assert "first-contact-due" in kinds, kinds
