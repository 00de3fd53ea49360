"""Who sees what, on every surface, over real HTTP: one matter with disclosures and complaints, and
each role walking every place the bot shows a complaint or a disclosure.

The matter M-1001 has two disclosures, one logged by UHANDLER1 (in the complaints team) and one by
UFEE (not in it), and two complaints: one reported by UREPORTER and handled by UHANDLER1, one
handled by UHANDLER2 (not in the team). The team is the triage channel's members in the Slack
double: ULEAD and UHANDLER1. Each role walks /complaint show, list and matter, /disclosure show and
list, App Home, the DMs it was sent (after a sweep with the clock moved so that the client-update
reminders and a disclosure chase are due), the triage channel and the digest channel, and the
modals the complaint buttons open; the test asserts exactly which references and client names
each surface shows it, and that nothing else of any record (summary, content, disclosure dates)
gets through.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from slack_sdk import WebClient
from sqlalchemy import create_engine, select, text

from bot import access
from bot.complaints import service as complaints
from bot.core import blockkit, ids
from bot.core.clock import FrozenClock
from bot.core.context import BotContext, make_context
from bot.core.vocabulary import AckStatus, DisclosedVia, DisclosureKind
from bot.disclosures import service as disclosures
from bot.disclosures.inputs import NewDisclosure
from bot.outbox.notifier import SlackNotifier
from bot.reminders.sweep import sweep
from bot.team import slack_team
from handlers.app import make_web_client
from handlers.modals.intake import parse_intake
from handlers.modals.triage import parse_triage
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import AccessRefusal
from tests.conftest import BACKENDS, PG_URL, T0, _pg_schema_url, make_settings
from tests.e2e import BotServer, SlackSide, validate_message, validate_view
from tests.factories import open_home
from tests.fakes import intake_values, triage_values
from tests.slack_double import SlackDouble

TRIAGE_CHANNEL = "CTRIAGE01"
DIGEST_CHANNEL = "CDIGEST01"
MATTER = "M-1001"


@dataclass(frozen=True)
class Record:
    reference: str
    client: str
    # Other things only someone who may see the record may read: its summary or content, and
    # for a disclosure the date it was made (a DM's costs line or the triage alert would give it).
    details: tuple[str, ...]


# Logged in this order, so the references are known.
DT = Record("DSC-2026-0001", "Tom Tally", ("Revised estimate £30,000 plus VAT", "1 Jul 2026"))
DF = Record("DSC-2026-0002", "Fay Fee", ("Estimate £12,000 plus VAT", "1 Jun 2026"))
A = Record("CMP-2026-0001", "Alice Able", ("Billed twice the estimate without warning",))
B = Record("CMP-2026-0002", "Bob Baker", ("No reply to three emails about the completion date",))
RECORDS = {"A": A, "B": B, "DT": DT, "DF": DF}


@dataclass(frozen=True)
class Role:
    user: str
    sees: frozenset[str]  # the records this person may see, by RECORDS key
    team: bool = False


ROLES = {
    "outsider": Role("UOUTSIDER", frozenset()),
    "reporter": Role("UREPORTER", frozenset({"A"})),
    "handler outside the team": Role("UHANDLER2", frozenset({"B"})),
    "disclosure logger": Role("UFEE", frozenset({"DF"})),
    "team member": Role("ULEAD", frozenset(RECORDS), team=True),
    "team member handling a complaint": Role("UHANDLER1", frozenset(RECORDS), team=True),
}

COMPLAINT_BUTTONS = {
    "triage": ids.ACTION_TRIAGE,
    "log client update": ids.ACTION_LOG_UPDATE,
    "snooze": ids.ACTION_SNOOZE,
    "holding response": ids.ACTION_HOLDING_RESPONSE,
    "resolve": ids.ACTION_RESOLVE,
}
DISCLOSURE_BUTTONS = {"client acknowledged": ids.ACTION_DISCLOSURE_ACK, "chase again": ids.ACTION_DISCLOSURE_CHASE}


# --- the world, once per backend ---------------------------------------------------------------


@dataclass
class World:
    bot: BotServer
    slack: SlackSide
    ctx: BotContext
    double: SlackDouble


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, tmp_path_factory):
    with (
        _database(request.param, tmp_path_factory) as db_url,
        SlackDouble(members={TRIAGE_CHANNEL: ["ULEAD", "UHANDLER1"]}) as double,
    ):
        engine = make_engine(db_url)
        upgrade(engine)
        settings = make_settings(db_url, slack_api_url=double.url, digest_channel=DIGEST_CHANNEL)
        notifier = SlackNotifier(WebClient(token=settings.slack_bot_token, base_url=double.url, retry_handlers=[]))
        clock = FrozenClock(T0)
        team = slack_team(
            make_web_client(settings.slack_bot_token, double.url), channel=settings.triage_channel, clock=clock
        )
        ctx = make_context(
            settings=settings,
            engine=engine,
            session_factory=make_session_factory(engine),
            notifier=notifier,
            clock=clock,
            team=team,
        )
        try:
            with BotServer(ctx, double.url) as bot:
                _seed(ctx)
                yield World(
                    bot, SlackSide(bot.url, settings.slack_signing_secret, double.response_url_base), ctx, double
                )
                bot.wait_idle()
        finally:
            engine.dispose()
        _validate_everything_sent(double)


class _database:
    """An empty store: a new SQLite file, or a new PostgreSQL schema dropped afterwards."""

    def __init__(self, backend: str, tmp_path_factory):
        self.backend, self.tmp = backend, tmp_path_factory
        self.schema = f"t_{uuid.uuid4().hex[:12]}"

    def __enter__(self) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.tmp.mktemp('confidentiality') / 'complaints.db'}"
        self.admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        try:
            with self.admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{self.schema}"'))
        except Exception as e:  # fail, never skip: the suite promises both databases
            self.admin.dispose()
            pytest.fail(f"PostgreSQL at {PG_URL} is not reachable ({e})")
        return _pg_schema_url(self.schema)

    def __exit__(self, *exc) -> None:
        if self.backend == "postgresql":
            with self.admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
            self.admin.dispose()


def _seed(ctx: BotContext) -> None:
    """At T0 (Mon 23 Nov 2026 09:30): the two disclosures, then the two complaints, triaged at once
    with a client update every 2 days. A sweep posts what that recorded (and last week's digest);
    then the clock moves to Wed 25 Nov 09:30, when both update reminders, UFEE's chase, the first
    contact the acknowledgements promised (2 working days after Mon 23 Nov, at 09:00), and both
    acknowledgements' reminders (not recorded as sent by the end of Tue 24 Nov: each reporter, then
    the triage channel on Wed 25 Nov at 09:00) are due."""
    _disclose(ctx, "UHANDLER1", DT, DisclosureKind.COSTS_REVISED, date(2026, 7, 1), AckStatus.ACKNOWLEDGED)
    _disclose(
        ctx,
        "UFEE",
        DF,
        DisclosureKind.COSTS_ESTIMATE,
        date(2026, 6, 1),
        AckStatus.PENDING,
        follow_up_on=date(2026, 11, 25),
    )
    _complain(ctx, "UREPORTER", A)
    _complain(ctx, "UOTHER", B)
    _triage(ctx, A.reference, "UHANDLER1")
    _triage(ctx, B.reference, "UHANDLER2")
    first = sweep(ctx)
    assert not first.failed and {"digest", "triage-alert", "assigned", "disclosure-logged"} <= {
        d.kind for d in first.sent
    }
    ctx.clock.set(datetime(2026, 11, 25, 9, 30, tzinfo=UTC))
    due = sweep(ctx)
    assert sorted(d.kind for d in due.sent) == [
        "acknowledgement-due",
        "acknowledgement-due",
        "acknowledgement-overdue",
        "acknowledgement-overdue",
        "disclosure-chase",
        "first-contact-due",
        "first-contact-due",
        "update-due",
        "update-due",
    ]
    assert not due.failed


def _disclose(
    ctx, by: str, r: Record, kind: DisclosureKind, on: date, ack: AckStatus, follow_up_on: date | None = None
) -> None:
    data = NewDisclosure(
        client_name=r.client,
        matter_ref=MATTER,
        kind=kind,
        content=r.details[0],
        disclosed_on=on,
        via=DisclosedVia.EMAIL,
        ack_status=ack,
        follow_up_on=follow_up_on,
    )
    logged = disclosures.log_disclosure(
        session_factory=ctx.session_factory,
        data=data,
        logged_by=by,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    assert logged.disclosure.reference == r.reference


def _complain(ctx, reporter: str, r: Record) -> None:
    data = parse_intake(
        intake_values(client_name=r.client, summary=r.details[0], matter_ref=MATTER, category="costs"),
        today=ctx.today(),
    )
    logged = complaints.log_complaint(
        session_factory=ctx.session_factory,
        data=data,
        reporter_id=reporter,
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )
    assert logged.complaint.reference == r.reference


def _triage(ctx, reference: str, handler: str) -> None:
    data = parse_triage(triage_values(handler=handler, update_cadence_days="2"), today=ctx.today())
    complaints.triage_complaint(
        session_factory=ctx.session_factory,
        reference=reference,
        data=data,
        actor="ULEAD",
        now=ctx.clock.now(),
        settings=ctx.settings,
        policy=ctx.policy,
    )


def _validate_everything_sent(double: SlackDouble) -> None:
    """Every message and view the bot sent is Block Kit that Slack would take."""
    assert double.invalid == [], f"the bot sent Block Kit Slack would reject: {double.invalid}"
    for call in double.calls:
        if call.method in ("chat.postMessage", "chat.update", "response_url") and call.params.get("blocks"):
            validate_message(call.params["blocks"])
        if call.method.startswith("views."):
            validate_view(call.params["view"])


# --- walking every surface as one person ------------------------------------------------------------


def _said(params: dict) -> str:
    return json.dumps(params.get("blocks"), ensure_ascii=False) + "\n" + str(params.get("text", ""))


def _answer(w: World, command: str, line: str, user: str) -> dict:
    before = len(w.double.calls_to("response_url"))
    r = w.slack.command(line, user=user, command=command)
    assert r.status == 200 and r.body == ""
    answer = w.double.wait_for("response_url", before + 1)[-1].params
    assert answer["response_type"] == "ephemeral"
    validate_message(answer["blocks"])
    return answer


def _press(w: World, action_id: str, value: str, user: str) -> str:
    """Press a button carrying `value` in the person's DM; what it opened (a modal) or answered."""
    message = [{"type": "actions", "block_id": "b", "elements": [blockkit.button("Press", action_id, value)]}]
    if action_id in COMPLAINT_BUTTONS.values():
        before = len(w.double.calls_to("views.open"))
        assert w.slack.click(message, action_id, user=user, channel="D" + user[1:]).status == 200
        view = w.double.wait_for("views.open", before + 1)[-1].params["view"]
        validate_view(view)
        return json.dumps(view, ensure_ascii=False)
    before = len(w.double.calls_to("response_url"))
    assert w.slack.click(message, action_id, user=user, channel="D" + user[1:]).status == 200
    return _said(w.double.wait_for("response_url", before + 1)[-1].params)


def _received(w: World, channels: set[str]) -> str:
    """Every message the bot posted or edited in `channels`, and every file it shared there."""
    out = []
    for call in w.double.calls:
        if call.method in ("chat.postMessage", "chat.update") and call.ok and call.params.get("channel") in channels:
            out.append(_said(call.params))
        if call.method == "files.completeUploadExternal" and call.params.get("channel_id") in channels:
            out.append(json.dumps(call.params, ensure_ascii=False))
    return "\n".join(out)


def walk(w: World, role: Role) -> dict[str, str]:
    """What `role` is shown on each surface, as text."""
    u = role.user
    seen = {
        f"/complaint show {A.reference}": _said(_answer(w, "/complaint", f"show {A.reference}", u)),
        f"/complaint show {B.reference}": _said(_answer(w, "/complaint", f"show {B.reference}", u)),
        "/complaint list": _said(_answer(w, "/complaint", "list", u)),
        f"/complaint matter {MATTER}": _said(_answer(w, "/complaint", f"matter {MATTER}", u)),
        f"/disclosure show {DT.reference}": _said(_answer(w, "/disclosure", f"show {DT.reference}", u)),
        f"/disclosure show {DF.reference}": _said(_answer(w, "/disclosure", f"show {DF.reference}", u)),
        "/disclosure list": _said(_answer(w, "/disclosure", "list", u)),
        f"/disclosure list {MATTER}": _said(_answer(w, "/disclosure", f"list {MATTER}", u)),
        "App Home": json.dumps(open_home(w.bot, w.slack, w.double, u), ensure_ascii=False),
        # A DM is posted to the person's id; Slack answers with the DM's channel, where edits go.
        "DMs": _received(w, {u, "D" + u[1:]}),
        # The triage channel's messages are read by its members, and by nobody else.
        "triage channel": _received(w, {TRIAGE_CHANNEL}) if u in w.double.members[TRIAGE_CHANNEL] else "",
        # The digest channel may be wider than the team: anyone may read it.
        "digest channel": _received(w, {DIGEST_CHANNEL}),
    }
    for record in (A, B):
        for name, action_id in COMPLAINT_BUTTONS.items():
            seen[f"{name} button on {record.reference}"] = _press(w, action_id, record.reference, u)
    if "DF" not in role.sees:  # pressing it would change the record for whoever may
        for name, action_id in DISCLOSURE_BUTTONS.items():
            seen[f"{name} button on {DF.reference}"] = _press(w, action_id, DF.reference, u)
    return seen


# --- what each role must be shown ------------------------------------------------------------------

# Per surface, the records whose reference is shown; "X" shows its client's name too, "X#" only
# its reference. A surface not listed shows no record at all (a refusal, or nothing of theirs).
TEAM_SEES = {
    f"/complaint show {A.reference}": "A DT# DF#",
    f"/complaint show {B.reference}": "B DT# DF#",
    "/complaint list": "A B",
    f"/complaint matter {MATTER}": "A# B# DT# DF#",
    f"/disclosure show {DT.reference}": "DT",
    f"/disclosure show {DF.reference}": "DF",
    "/disclosure list": "DT DF",
    f"/disclosure list {MATTER}": "DT DF",
    "triage channel": "A B",
    **{f"{name} button on {r.reference}": key for name in COMPLAINT_BUTTONS for key, r in (("A", A), ("B", B))},
}
EXPECTED: dict[str, dict[str, str]] = {
    "outsider": {},
    "reporter": {
        f"/complaint show {A.reference}": "A",
        "/complaint list": "A",
        f"/complaint matter {MATTER}": "A#",
        "DMs": "A",  # the confirmation, with the acknowledgement for the client
    },
    "handler outside the team": {
        f"/complaint show {B.reference}": "B",
        "/complaint list": "B",
        f"/complaint matter {MATTER}": "B#",
        "App Home": "B",
        "DMs": "B",  # assigned, and the client update due
        **{f"{name} button on {B.reference}": "B" for name in COMPLAINT_BUTTONS if name != "triage"},
    },
    "disclosure logger": {
        f"/complaint matter {MATTER}": "DF#",
        f"/disclosure show {DF.reference}": "DF",
        "/disclosure list": "DF",
        f"/disclosure list {MATTER}": "DF",
        "App Home": "DF",  # awaiting the client's acknowledgement
        "DMs": "DF",  # the confirmation and the chase
    },
    "team member": TEAM_SEES,
    # UHANDLER1 handles A and logged DT (acknowledged, so not on their Home).
    "team member handling a complaint": {**TEAM_SEES, "App Home": "A", "DMs": "A DT"},
}

REFERENCE = re.compile(r"\b(?:CMP|DSC)-\d{4}-\d{4}\b")


def _shown(spec: str) -> tuple[set[str], set[str]]:
    keys = spec.split()
    return ({RECORDS[k.rstrip("#")].reference for k in keys}, {RECORDS[k].client for k in keys if not k.endswith("#")})


def _refused(said: str) -> bool:
    return access.REFUSAL in said


def _refusals_of(ctx, user: str) -> int:
    with ctx.session_factory() as s:
        return len(s.execute(select(AccessRefusal).where(AccessRefusal.user_id == user)).scalars().all())


@pytest.fixture(scope="module")
def seen_by(world):
    """Each role's walk (once per backend), with how many refusals it logged."""
    walks: dict[str, tuple[dict[str, str], int]] = {}

    def seen(role_name: str) -> tuple[dict[str, str], int]:
        if role_name not in walks:
            role = ROLES[role_name]
            before = _refusals_of(world.ctx, role.user)
            walked = walk(world, role)
            walks[role_name] = (walked, _refusals_of(world.ctx, role.user) - before)
        return walks[role_name]

    return seen


@pytest.mark.parametrize("role_name", ROLES)
def test_every_surface_shows_each_role_exactly_what_it_may_see(seen_by, role_name):
    role = ROLES[role_name]
    seen, logged_refusals = seen_by(role_name)
    expected = EXPECTED[role_name]
    assert set(expected) <= set(seen)
    for surface, said in seen.items():
        refs, names = _shown(expected.get(surface, ""))
        assert set(REFERENCE.findall(said)) == refs, f"{role_name} on {surface}"
        assert {r.client for r in RECORDS.values() if r.client in said} == names, f"{role_name} on {surface}"
        for key, record in RECORDS.items():
            if key not in role.sees:
                leaked = [d for d in record.details if d in said]
                assert not leaked, f"{role_name} reads {leaked} of {record.reference} on {surface}"
    # Each refusal is the one sentence, and each is logged.
    refused = [s for s, said in seen.items() if _refused(said)]
    assert logged_refusals == len(refused)
    if role.team:
        assert refused == []
    assert ("The firm, now" in seen["App Home"]) is role.team


def test_outsiders_are_refused_in_the_same_words_on_every_record_surface(seen_by):
    seen, _ = seen_by("outsider")
    for surface in (
        f"/complaint show {A.reference}",
        f"/complaint show {B.reference}",
        f"/complaint matter {MATTER}",
        f"/disclosure show {DT.reference}",
        f"/disclosure show {DF.reference}",
        *[s for s in seen if "button" in s],
    ):
        assert _refused(seen[surface]), surface
    assert "You have logged no disclosures" in seen["/disclosure list"]
    assert "No complaint you reported or handle is open" in seen["/complaint list"]
    assert seen["DMs"] == "" and seen["triage channel"] == ""


def test_the_reporter_reads_the_complaint_but_not_what_was_disclosed_on_its_matter(seen_by):
    shown = seen_by("reporter")[0][f"/complaint show {A.reference}"]
    # Worded the same whether the matter has no disclosures or many: no count, no hint.
    assert (
        f"*Disclosures you logged on {MATTER}*\\nNone. The complaints team sees every disclosure on a matter." in shown
    )
    assert "What the client had been told" not in shown
    team = seen_by("team member")[0][f"/complaint show {A.reference}"]
    assert f"*What the client had been told on {MATTER}*" in team
    assert "costs estimate revised (*DSC-2026-0001*, yes, acknowledged)" in team
    assert "costs estimate (*DSC-2026-0002*, not yet)" in team


def test_a_dms_costs_line_counts_only_the_disclosures_its_recipient_may_see(seen_by):
    """The latest costs estimate on the matter is UHANDLER1's of 1 Jul; UFEE's own is of 1 Jun."""
    dms = {
        name: seen_by(name)[0]["DMs"]
        for name in ("team member handling a complaint", "disclosure logger", "handler outside the team")
    }
    line = f"The latest costs estimate on {MATTER} is from "
    assert line + "1 Jul 2026" in dms["team member handling a complaint"]  # the team sees every one
    assert line + "1 Jun 2026" in dms["disclosure logger"] and "1 Jul 2026" not in dms["disclosure logger"]
    assert "has not yet acknowledged" in dms["disclosure logger"]  # the chase
    assert (
        "A client update is due" in dms["handler outside the team"]
        and "costs estimate" not in dms["handler outside the team"]
    )


def test_the_triage_alert_goes_to_the_team_with_what_the_matter_has_on_record(world):
    posted = {c.params["channel"] for c in world.double.calls_to("chat.postMessage") if c.ok}
    # The triage channel, the digest channel, and DMs (to a person's id): nowhere else.
    assert posted - {TRIAGE_CHANNEL, DIGEST_CHANNEL} <= {r.user for r in ROLES.values()} | {"UOTHER"}
    alert = _received(world, {TRIAGE_CHANNEL})
    assert (
        f"Disclosures on record for {MATTER}:* Costs estimate (1 Jun 2026), Costs estimate revised (1 Jul 2026)"
        in alert
    )
    assert set(world.double.members[TRIAGE_CHANNEL]) == {"ULEAD", "UHANDLER1"}


def test_the_digest_shows_numbers_not_names_references_or_the_matter(world):
    digest = _received(world, {DIGEST_CHANNEL})
    assert "Complaints digest" in digest and "1 matter(s) had more than one complaint in 90 days" in digest
    assert MATTER not in digest and not REFERENCE.findall(digest)
    for record in RECORDS.values():
        assert record.client not in digest and not [d for d in record.details if d in digest]
