"""The one rule for stored text (bot/core/text.py), and every free-text modal field held to it."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from sqlalchemy import func, select

from bot.core.errors import FieldErrors
from bot.core.text import Refusal, Why, refusal, storable
from bot.core.vocabulary import CLIENT_NAME_MAX, DISCLOSURE_TEXT_MAX, HOLDING_REASON_MAX, SNOOZE_REASON_MAX, SUMMARY_MAX
from handlers.modals.client_update import parse_client_update
from handlers.modals.disclosure import parse_disclosure
from handlers.modals.holding import parse_holding
from handlers.modals.intake import parse_intake
from handlers.modals.resolve import parse_resolution
from handlers.modals.snooze import parse_snooze
from handlers.modals.triage import parse_triage
from storage.models import Complaint, Event
from tests.e2e import open_intake
from tests.factories import holding_values, resolution_values, snooze_values, update_values
from tests.fakes import intake_values, triage_values

TODAY = date(2026, 11, 23)


# --- the rule -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "",
        "Jane Client",
        "Line one\nline two",
        "a\ttab",
        "Zoë Ünal, £250 — “quoted”",
        "日本語のテキスト",
        "emoji 👩‍⚖️",
        "\u00a0non-breaking\u00a0",
        "\u200bzero width",
        "\u202eright to left",
        "\ufeffBOM",
        "\U0010fffd",
    ],
)
def test_text_a_person_can_type_is_storable(value):
    assert refusal(value) is None and storable(value)


@pytest.mark.parametrize(
    "value, code, at",
    [
        ("\x00", 0x00, 1),
        ("a\x00b", 0x00, 2),
        ("Jane\x1b[2J", 0x1B, 5),
        ("line\r\nline", 0x0D, 5),
        ("\x07bell", 0x07, 1),
        ("\x0bvertical tab", 0x0B, 1),
        ("form\x0cfeed", 0x0C, 5),
        ("\x1f", 0x1F, 1),
        ("del\x7f", 0x7F, 4),
        ("next line\x85", 0x85, 10),
        ("c1 \x9f", 0x9F, 4),
    ],
)
def test_control_characters_other_than_newline_and_tab_are_refused(value, code, at):
    assert refusal(value) == Refusal(Why.CONTROL, len(value), None, at=at, code=code)
    assert refusal(value).character == f"U+{code:04X}"


@pytest.mark.parametrize(
    "value, code", [("\ud800", 0xD800), ("half \udbff", 0xDBFF), ("caf\udce9", 0xDCE9), ("\udfff end", 0xDFFF)]
)
def test_lone_surrogates_are_refused(value, code):
    refused = refusal(value)
    assert refused is not None and (refused.why, refused.code) == (Why.SURROGATE, code)


def test_the_length_is_checked_after_the_characters():
    assert refusal("x" * 10, limit=10) is None
    assert refusal("x" * 11, limit=10) == Refusal(Why.TOO_LONG, 11, 10)
    # A refused character is said first, however long the text.
    assert refusal("x" * 11 + "\x00", limit=10).why == Why.CONTROL
    assert refusal("x" * 11) is None  # no limit


# --- every free-text field of every modal ----------------------------------------------------------

DISCLOSURE = {
    "client_name": "Jane Client",
    "matter_ref": "M-1001",
    "kind": "costs_estimate",
    "content": "Estimate £12,000 plus VAT.",
    "disclosed_on": "2026-11-20",
    "disclosed_via": "email",
    "ack_status": "pending",
    "follow_up_on": None,
    "document_url": "https://docs.example.com/letter.pdf",
}
# Each modal's parser and a valid submission of it.
FORMS = {
    "intake": (lambda v: parse_intake(v, today=TODAY), intake_values()),
    "triage": (lambda v: parse_triage(v, today=TODAY), triage_values()),
    "update": (lambda v: parse_client_update(v, today=TODAY), update_values()),
    "snooze": (parse_snooze, snooze_values()),
    "holding": (lambda v: parse_holding(v, today=TODAY), holding_values()),
    "resolve": (lambda v: parse_resolution(v, today=TODAY), resolution_values()),
    "disclosure": (lambda v: parse_disclosure(v, today=TODAY), DISCLOSURE),
}
# Every free-text field (its block id, which is also the parsed value's name) and how its errors name it.
FIELDS = [
    ("intake", "client_name", "The client's name"),
    ("intake", "matter_ref", "The matter reference"),
    ("intake", "summary", "The summary"),
    ("intake", "client_request", "The client's request"),
    ("triage", "note", "The note"),
    ("update", "told", "What the client was told"),
    ("update", "next_step", "The next step"),
    ("snooze", "reason", "The reason"),
    ("holding", "reason", "The reason for the delay"),
    ("resolve", "remedy", "The remedy"),
    ("disclosure", "client_name", "The client's name"),
    ("disclosure", "matter_ref", "The matter reference"),
    ("disclosure", "content", "What was disclosed"),
    ("disclosure", "document_url", "The link"),
]
FIELD_IDS = [f"{form}:{field}" for form, field, _ in FIELDS]


@pytest.mark.parametrize("form, field, named", FIELDS, ids=FIELD_IDS)
@pytest.mark.parametrize(
    "bad, what",
    [
        ("\x00", "a control character (U+0000) at character 6"),
        ("\x1b", "a control character (U+001B) at character 6"),
        ("\r", "a control character (U+000D) at character 6"),
        ("\x9b", "a control character (U+009B) at character 6"),
        ("\ud800", "a broken character (half of a UTF-16 pair) at character 6"),
    ],
    ids=["NUL", "ESC", "CR", "CSI", "surrogate"],
)
def test_each_free_text_field_refuses_what_cannot_be_stored_and_names_itself(form, field, named, bad, what):
    parse, valid = FORMS[form]
    start = "https" if field == "document_url" else "Start"
    with pytest.raises(FieldErrors) as e:
        parse({**valid, field: f"{start}{bad}middle{bad}end"})
    assert e.value.errors == {field: f"{named} contains {what} that cannot be stored; remove it and submit again."}


@pytest.mark.parametrize(
    "form, field, named",
    [f for f in FIELDS if f[1] != "document_url"],
    ids=[i for i in FIELD_IDS if not i.endswith("document_url")],
)
def test_each_free_text_field_keeps_newlines_and_tabs(form, field, named):
    parse, valid = FORMS[form]
    value = "First line\n\tsecond, indented\nthird"
    assert getattr(parse({**valid, field: f"  {value}\n"}), field) == value


@pytest.mark.parametrize(
    "form, field, limit, named",
    [
        ("intake", "client_name", CLIENT_NAME_MAX, "the client's name"),
        ("intake", "summary", SUMMARY_MAX, "the summary"),
        ("snooze", "reason", SNOOZE_REASON_MAX, "the reason"),
        ("holding", "reason", HOLDING_REASON_MAX, "the reason for the delay"),
        ("disclosure", "content", DISCLOSURE_TEXT_MAX, "what was disclosed"),
    ],
)
def test_a_field_holds_its_limit_and_no_more(form, field, limit, named):
    parse, valid = FORMS[form]
    assert parse({**valid, field: "x" * limit})
    with pytest.raises(FieldErrors) as e:
        parse({**valid, field: "x" * (limit + 1)})
    assert e.value.errors == {field: f"Keep {named} to {limit:,} characters (it has {limit + 1:,})."}


# --- over HTTP: what Slack sends, the answer in the modal, the store and the log -------------------


@pytest.mark.parametrize(
    "bad, what",
    [("\x00", "a control character (U+0000)"), ("\ud800", "a broken character (half of a UTF-16 pair)")],
    ids=["NUL", "surrogate"],
)
def test_a_submission_with_text_that_cannot_be_stored_gets_a_field_error_and_stores_nothing(
    live, slack_double, caplog, bad, what
):
    bot, slack, ctx = live
    view = open_intake(slack, slack_double)
    posts = len(slack_double.calls_to("chat.postMessage"))
    caplog.set_level(logging.DEBUG)
    # json.dumps sends the character as Slack does, escaped: "\u0000", "\ud800".
    r = slack.submit(view, intake_values(summary=f"Bill{bad} too high"), user="UREPORTER")
    assert r.status == 200
    assert r.json() == {
        "response_action": "errors",
        "errors": {
            "summary": f"The summary contains {what} at character 5 that cannot be stored; remove it and submit again."
        },
    }
    bot.wait_idle()
    with ctx.session_factory() as session:
        assert [session.execute(select(func.count()).select_from(m)).scalar_one() for m in (Complaint, Event)] == [0, 0]
    assert len(slack_double.calls_to("chat.postMessage")) == posts
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
    # Without the character the same modal goes in: the refusal was about it alone.
    r = slack.submit(view, intake_values(summary="Bill too high"), user="UREPORTER")
    assert r.status == 200 and r.body == ""
    bot.wait_idle()
    with ctx.session_factory() as session:
        assert session.execute(select(Complaint.summary)).scalars().all() == ["Bill too high"]
