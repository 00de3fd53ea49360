"""A matter's client care from Slack's side: `/matter update` → the modal → the update logged and the
modal answering when the next is due; bad input told under its fields; an unhappy update → the
complaint prompt DM → **Log as complaint** (the intake modal prefilled from the update) → the
complaint logged and the answer recorded, or **Not a complaint** → the modal asking why → the
answer recorded with its reason; the check-in nudge's **Snooze** and **No update needed** modals; an
outsider refused on the command, on all five buttons and on the prompt's modals submitted as theirs. Every view and message valid Block Kit.

The bot's clock stands at Monday 23 Nov 2026 09:30 London (= UTC); the matter M-1001 opened on
Friday 20 Nov 2026 with a 14-day cadence.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from bot.access import REFUSAL
from bot.core import ids
from storage.models import AccessRefusal, Complaint, Event, Notification
from tests.e2e import (
    LAWYER,
    OUTSIDER,
    PARTNER,
    check_in_buttons,
    click_open,
    inputs_of,
    matter_update_values,
    open_matter,
    opened_view,
    swept_posts,
    validate_message,
    validate_view,
)
from tests.e2e import matter_answer as answer
from tests.factories import events_of_kind, the_matter


def open_update_modal(slack, double, user: str = LAWYER) -> dict:
    before = len(double.calls_to("views.open"))
    assert slack.command("update M-1001", command="/matter", user=user).status == 200
    view = opened_view(double, before)
    assert view["callback_id"] == ids.VIEW_MATTER_UPDATE
    return view


def log_unhappy_update(bot, slack, double, **overrides) -> list[dict]:
    """An update that found the client unhappy, through /matter update; the prompt DM's blocks."""
    view = open_update_modal(slack, double)
    before = len(double.calls_to("chat.postMessage"))
    values = matter_update_values(client_mood="unhappy", **overrides)
    r = slack.submit(view, values, user=LAWYER)
    assert r.status == 200 and r.json()["response_action"] == "update", r.body
    bot.wait_idle()
    prompt = double.wait_for("chat.postMessage", before + 1)[-1].params
    assert prompt["channel"] == LAWYER
    validate_message(prompt["blocks"])
    return prompt["blocks"]


def test_update_from_the_command_is_logged_and_says_when_the_next_is_due(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    view = open_update_modal(slack, slack_double)
    fields = inputs_of(view)
    assert fields["update_date"]["initial_date"] == "2026-11-23"  # today
    assert {o["value"] for o in fields["client_mood"]["options"]} == {
        "satisfied",
        "has_questions",
        "concerned",
        "unhappy",
    }
    assert "Jane Client" in str(view["blocks"])

    r = slack.submit(view, matter_update_values(update_date="2026-11-21"), user=LAWYER)
    shown = r.json()
    assert shown["response_action"] == "update"
    validate_view(shown["view"])
    # Given on Saturday 21 Nov: the next is due 14 days on, Saturday 5 Dec.
    assert "logged" in str(shown["view"]["blocks"]) and "5 Dec 2026" in str(shown["view"]["blocks"])
    bot.wait_idle()
    [event] = events_of_kind(ctx, "matter_client_update")
    assert (event.actor, event.data["on"], event.data["via"], event.data["mood"]) == (
        LAWYER,
        "2026-11-21",
        "phone",
        "satisfied",
    )
    assert event.data["told"] == "Searches are back; exchange is likely next week."
    assert event.data["next_step"] == "Send the contract for signature."
    assert the_matter(ctx).last_update_on == date(2026, 11, 21)
    # A satisfied client: no complaint prompt was recorded, nor sent.
    with ctx.session_factory() as s:
        assert s.execute(select(Notification).where(Notification.kind == "complaint-prompt")).first() is None
    assert not [c for c in slack_double.calls_to("chat.postMessage") if "unhappy" in c.params["text"]]

    # Slack sends the same submission again (its retry): the update is not logged twice.
    again = slack.submit(view, matter_update_values(update_date="2026-11-21"), user=LAWYER)
    assert again.json()["response_action"] == "update"
    assert len(events_of_kind(ctx, "matter_client_update")) == 1
    assert "`/matter update M-1001`: log a client update" in answer(slack, slack_double, "help")
    # The timeline reads the update as stored.
    shown = answer(slack, slack_double, "show M-1001", user=PARTNER)
    assert "client update by <@ULAWYER> on 21 Nov 2026 (phone): client *satisfied*" in shown
    assert "Searches are back" in shown and "Send the contract for signature." in shown


def test_bad_update_input_is_told_under_its_fields(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    view = open_update_modal(slack, slack_double)
    r = slack.submit(view, matter_update_values(told="", client_mood=None, update_via=None), user=LAWYER)
    assert set(r.json()["errors"]) == {"told", "client_mood", "update_via"}
    future = slack.submit(view, matter_update_values(update_date="2026-11-24"), user=LAWYER)
    assert future.json()["errors"] == {"update_date": "A client update cannot be given in the future."}
    early = slack.submit(view, matter_update_values(update_date="2026-11-19"), user=LAWYER)
    assert "opened on 20 Nov 2026" in early.json()["errors"]["update_date"]
    assert events_of_kind(ctx, "matter_client_update") == [] and the_matter(ctx).last_update_on is None
    assert "Say which matter: `/matter update M-1001`" in answer(slack, slack_double, "update")
    assert "There is no matter M-9999" in answer(slack, slack_double, "update M-9999", user="ULEAD")
    answer(slack, slack_double, "close M-1001")
    assert "M-1001 is closed" in answer(slack, slack_double, "update M-1001")


def test_an_unhappy_update_logged_as_a_complaint_from_its_prompt(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    prompt = log_unhappy_update(bot, slack, slack_double, update_date="2026-11-22", update_via="meeting")
    [update] = events_of_kind(ctx, "matter_client_update")
    assert "unhappy at the update of 22 Nov 2026 on *M-1001*" in str(
        prompt
    ) and "the Legal Ombudsman's and the FCA's definitions" in str(prompt)

    view = click_open(slack, slack_double, prompt, ids.ACTION_MATTER_LOG_AS_COMPLAINT, LAWYER)
    assert view["callback_id"] == ids.VIEW_NEW_COMPLAINT
    fields = inputs_of(view)
    assert fields["client_name"]["initial_value"] == "Jane Client"
    assert fields["matter_ref"]["initial_value"] == "M-1001"
    assert fields["received_on"]["initial_date"] == "2026-11-22"
    assert fields["received_via"]["initial_option"]["value"] == "in_person"  # a meeting: received in person
    assert fields["summary"]["initial_value"] == (
        "At the client update of 22 Nov 2026 the client seemed unhappy. "
        "What we told them: Searches are back; exchange is likely next week."
    )
    assert json.loads(view["private_metadata"]) == {"update_event_id": update.id}

    prefilled = {
        "client_name": fields["client_name"]["initial_value"],
        "matter_ref": fields["matter_ref"]["initial_value"],
        "received_on": fields["received_on"]["initial_date"],
        "received_via": fields["received_via"]["initial_option"]["value"],
        "summary": "Unhappy that exchange has slipped twice.",
        "category": "delay",
    }
    before = len(slack_double.calls_to("chat.postMessage"))
    r = slack.submit(view, prefilled, user=LAWYER)
    assert r.status == 200 and r.body == "", r.body
    bot.wait_idle()
    slack_double.wait_for("chat.postMessage", before + 2)  # the reporter's confirmation and the triage alert
    with ctx.session_factory() as s:
        c = s.execute(select(Complaint)).scalar_one()
    assert (c.matter_ref, c.client_name, c.received_on, c.received_via, c.reporter_id) == (
        "M-1001",
        "Jane Client",
        date(2026, 11, 22),
        "in_person",
        LAWYER,
    )
    [answered] = events_of_kind(ctx, "matter_complaint_answered")
    assert (answered.actor, answered.matter_id) == (LAWYER, update.matter_id)
    assert answered.data == {"update_event_id": update.id, "answer": "complaint", "complaint": c.reference}

    # Only the first answer counts: both buttons now say what was answered, and by whom.
    again = click_open(slack, slack_double, prompt, ids.ACTION_MATTER_LOG_AS_COMPLAINT, PARTNER)
    assert "already answered: logged as a complaint, by <@ULAWYER>" in str(again["blocks"]) and "submit" not in again
    again = click_open(slack, slack_double, prompt, ids.ACTION_MATTER_NOT_A_COMPLAINT, LAWYER)
    assert "already answered: logged as a complaint, by <@ULAWYER>" in str(again["blocks"]) and "submit" not in again
    assert len(events_of_kind(ctx, "matter_complaint_answered")) == 1
    with ctx.session_factory() as s:
        assert s.execute(select(func.count()).select_from(Complaint)).scalar_one() == 1


REASON = "She asked when exchange would be <!channel>; content once told it is next week."


def open_not_a_complaint(slack, double, prompt: list[dict], user: str) -> dict:
    view = click_open(slack, double, prompt, ids.ACTION_MATTER_NOT_A_COMPLAINT, user)
    assert view["callback_id"] == ids.VIEW_MATTER_NOT_A_COMPLAINT, view
    return view


def test_not_a_complaint_asks_why_then_records_it_with_the_reason(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    prompt = log_unhappy_update(bot, slack, slack_double, update_date="2026-11-22")
    [update] = events_of_kind(ctx, "matter_client_update")

    view = open_not_a_complaint(slack, slack_double, prompt, PARTNER)
    assert "The client update of *22 Nov 2026* on *M-1001* · Jane Client" in view["blocks"][0]["text"]["text"]
    assert json.loads(view["private_metadata"]) == {"update_event_id": update.id}
    assert view["submit"]["text"] == "Record"
    reason = inputs_of(view)[ids.MatterNotAComplaintField.REASON]
    assert (reason["type"], reason["multiline"], reason["max_length"]) == ("plain_text_input", True, 1000)
    assert events_of_kind(ctx, "matter_complaint_answered") == []  # opening it records nothing

    blank = slack.submit(view, {"reason": "  "}, user=PARTNER)
    assert blank.json() == {"response_action": "errors", "errors": {"reason": "Enter the reason."}}
    assert events_of_kind(ctx, "matter_complaint_answered") == []

    r = slack.submit(view, {"reason": REASON}, user=PARTNER)
    shown = r.json()
    assert shown["response_action"] == "update", shown
    validate_view(shown["view"])
    assert "submit" not in shown["view"]
    result = str(shown["view"]["blocks"])
    assert "Recorded: the update of 22 Nov 2026 on *M-1001* is not a complaint" in result
    assert "content once told it is next week" in result and "<!channel>" not in result
    bot.wait_idle()
    [answered] = events_of_kind(ctx, "matter_complaint_answered")
    assert (answered.actor, answered.matter_id) == (PARTNER, update.matter_id)
    assert answered.data == {
        "update_event_id": update.id,
        "answer": "not_a_complaint",
        "reason": REASON,
        "view_id": view["id"],
    }

    # Slack sends the same submission again (its retry): stored once, and the same result shown.
    again = slack.submit(view, {"reason": REASON}, user=PARTNER)
    assert again.json()["response_action"] == "update" and "is not a complaint" in str(again.json()["view"])
    assert len(events_of_kind(ctx, "matter_complaint_answered")) == 1

    # The timeline gives the reason, escaped.
    shown_matter = answer(slack, slack_double, "show M-1001")
    assert (
        "<@UPARTNER> answered that the client's unhappiness is not a complaint (She asked when exchange would be "
        "&lt;!channel&gt;; content once told it is next week.)"
    ) in shown_matter
    # Only the first answer counts: both buttons now say what was answered, by whom and when.
    for action_id in (ids.ACTION_MATTER_LOG_AS_COMPLAINT, ids.ACTION_MATTER_NOT_A_COMPLAINT):
        view_after = click_open(slack, slack_double, prompt, action_id, LAWYER)
        assert "already answered: not a complaint, by <@UPARTNER> on 23 Nov 2026" in str(view_after["blocks"])
        assert "submit" not in view_after
    with ctx.session_factory() as s:
        assert s.execute(select(Complaint)).first() is None


def test_a_second_not_a_complaint_modal_is_told_what_was_answered(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    prompt = log_unhappy_update(bot, slack, slack_double)
    # Both open the modal before either records: the partner's is recorded first.
    lawyers = open_not_a_complaint(slack, slack_double, prompt, LAWYER)
    partners = open_not_a_complaint(slack, slack_double, prompt, PARTNER)
    assert slack.submit(partners, {"reason": REASON}, user=PARTNER).json()["response_action"] == "update"

    late = slack.submit(lawyers, {"reason": "A question about timing only."}, user=LAWYER)
    assert late.json() == {
        "response_action": "errors",
        "errors": {
            "reason": "The update of 23 Nov 2026 on M-1001 was already answered: not a complaint, on 23 Nov 2026; "
            "/matter show M-1001 says by whom."
        },
    }
    bot.wait_idle()
    [answered] = events_of_kind(ctx, "matter_complaint_answered")
    assert (answered.actor, answered.data["reason"]) == (PARTNER, REASON)


def test_snooze_and_dormant_from_the_check_in_buttons(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    nudge = check_in_buttons("M-1001")

    update = click_open(slack, slack_double, nudge, ids.ACTION_MATTER_LOG_UPDATE, LAWYER)
    assert update["callback_id"] == ids.VIEW_MATTER_UPDATE

    snooze = click_open(slack, slack_double, nudge, ids.ACTION_MATTER_SNOOZE, LAWYER)
    assert snooze["callback_id"] == ids.VIEW_MATTER_SNOOZE
    assert inputs_of(snooze)["snooze_until"]["initial_date"] == "2026-11-30"  # a week on
    today = slack.submit(snooze, {"snooze_until": "2026-11-23", "reason": "Waiting for the lender."}, user=LAWYER)
    assert today.json()["errors"] == {"snooze_until": "Choose a date after today to snooze the check-in until."}
    no_reason = slack.submit(snooze, {"snooze_until": "2026-12-08", "reason": ""}, user=LAWYER)
    assert no_reason.json()["errors"] == {"reason": "Enter the reason."}
    r = slack.submit(snooze, {"snooze_until": "2026-12-08", "reason": "Waiting for the lender."}, user=LAWYER)
    shown = r.json()
    assert shown["response_action"] == "update"
    validate_view(shown["view"])
    assert "8 Dec 2026" in str(shown["view"]["blocks"])
    m = the_matter(ctx)
    # Tuesday 8 Dec 2026 at the firm's reminder hour, 09:00 London (GMT = UTC).
    assert (m.snoozed_until, m.snooze_reason) == (datetime(2026, 12, 8, 9, 0, tzinfo=UTC), "Waiting for the lender.")
    assert [(e.actor, e.data["until"], e.data["reason"]) for e in events_of_kind(ctx, "matter_snoozed")] == [
        (LAWYER, "2026-12-08", "Waiting for the lender.")
    ]

    # From the update modal, its own button pushes the dormancy modal over it.
    dormant = click_open(
        slack, slack_double, update["blocks"], ids.ACTION_MATTER_DORMANT, PARTNER, view=update, method="views.push"
    )
    assert dormant["callback_id"] == ids.VIEW_MATTER_DORMANT
    r = slack.submit(dormant, {"dormant_until": "2027-01-15", "reason": "Waiting for probate."}, user=PARTNER)
    shown = r.json()
    validate_view(shown["view"])
    # Dormant until Friday 15 Jan 2027: the next update is due 14 days after, Friday 29 Jan.
    assert "15 Jan 2027" in str(shown["view"]["blocks"]) and "29 Jan 2027" in str(shown["view"]["blocks"])
    m = the_matter(ctx)
    assert (m.dormant_until, m.snoozed_until, m.snooze_reason) == (date(2027, 1, 15), None, None)
    assert [(e.actor, e.data["until"], e.data["reason"]) for e in events_of_kind(ctx, "matter_dormant")] == [
        (PARTNER, "2027-01-15", "Waiting for probate.")
    ]


def test_an_outsider_is_refused_on_the_command_and_every_button(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    prompt = log_unhappy_update(bot, slack, slack_double)
    with ctx.session_factory() as s:
        events_before = s.execute(select(func.count()).select_from(Event)).scalar_one()

    assert "can't share that" in answer(slack, slack_double, "update M-1001", user=OUTSIDER)
    for action_id in (ids.ACTION_MATTER_LOG_UPDATE, ids.ACTION_MATTER_SNOOZE, ids.ACTION_MATTER_DORMANT):
        view = click_open(slack, slack_double, check_in_buttons("M-1001"), action_id, OUTSIDER)
        assert "can't share that" in str(view["blocks"]) and "Jane Client" not in str(view) and "submit" not in view
    view = click_open(slack, slack_double, prompt, ids.ACTION_MATTER_LOG_AS_COMPLAINT, OUTSIDER)
    assert "can't share that" in str(view["blocks"]) and "Jane Client" not in str(view)
    view = click_open(slack, slack_double, prompt, ids.ACTION_MATTER_NOT_A_COMPLAINT, OUTSIDER)
    assert "can't share that" in str(view["blocks"]) and "Jane Client" not in str(view) and "submit" not in view

    # The intake modal the prompt opened for the lawyer, submitted by the outsider: refused, nothing stored.
    intake = click_open(slack, slack_double, prompt, ids.ACTION_MATTER_LOG_AS_COMPLAINT, LAWYER)
    values = {b: e.get("initial_value") or e.get("initial_date") for b, e in inputs_of(intake).items()}
    forged = slack.submit(intake, values | {"received_via": "phone", "category": "delay"}, user=OUTSIDER)
    assert "can't share that" in forged.json()["errors"]["summary"]
    # So is the Not a complaint modal opened for the lawyer, submitted by the outsider.
    why = click_open(slack, slack_double, prompt, ids.ACTION_MATTER_NOT_A_COMPLAINT, LAWYER)
    forged = slack.submit(why, {"reason": "Not one, says the outsider."}, user=OUTSIDER)
    assert forged.json() == {
        "response_action": "errors",
        "errors": {"reason": REFUSAL},
    }

    with ctx.session_factory() as s:
        assert s.execute(select(func.count()).select_from(Event)).scalar_one() == events_before
        assert s.execute(select(Complaint)).first() is None
        logged = s.execute(select(AccessRefusal.action, AccessRefusal.target).order_by(AccessRefusal.id)).all()
    assert logged == [
        ("matter update", "M-1001"),
        ("matter update", "M-1001"),
        ("matter snooze", "M-1001"),
        ("matter dormant", "M-1001"),
        ("matter log as complaint", "M-1001"),
        ("matter not a complaint", "M-1001"),
        ("matter log as complaint", "M-1001"),
        ("matter not a complaint", "M-1001"),
    ]


def swept_to(ctx, double, when: datetime, channel: str) -> list[dict]:
    """The check-in messages a sweep at `when` posts to `channel` (not the checklist's or the costs')."""
    return [p for p in swept_posts(ctx, double, when, channel) if "client update" in p["text"]]


def test_the_sweeps_check_in_nudge_then_the_update_logged_from_it_restarts_the_cadence(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    # Due Friday 4 Dec (20 Nov + 14 days): the lawyer is nudged that morning.
    [nudge] = swept_to(ctx, slack_double, datetime(2026, 12, 4, 9, 0, tzinfo=UTC), LAWYER)
    view = click_open(slack, slack_double, nudge["blocks"], ids.ACTION_MATTER_LOG_UPDATE, LAWYER)
    assert (
        view["callback_id"] == ids.VIEW_MATTER_UPDATE and inputs_of(view)["update_date"]["initial_date"] == "2026-12-04"
    )
    r = slack.submit(view, matter_update_values(update_date="2026-12-04"), user=LAWYER)
    # Given on Friday 4 Dec: the next is due Friday 18 Dec.
    assert "18 Dec 2026" in str(r.json()["view"]["blocks"])
    bot.wait_idle()
    # 18 Dec: the partner is not told (the update was given); the lawyer is nudged for the next one.
    before = len(slack_double.calls_to("chat.postMessage"))
    assert swept_to(ctx, slack_double, datetime(2026, 12, 18, 9, 0, tzinfo=UTC), PARTNER) == []
    swept = [c.params for c in slack_double.calls_to("chat.postMessage")[before:]]
    assert [p["channel"] for p in swept if "client update" in p["text"]] == [LAWYER]
    assert "due (18 Dec 2026)" in next(p["text"] for p in swept if "client update" in p["text"])
    with ctx.session_factory() as s:
        keys = s.execute(select(Notification.dedupe_key).where(Notification.kind == "check-in")).scalars().all()
    assert sorted(keys) == ["check-in:M-1001:2026-12-04", "check-in:M-1001:2026-12-18"]

    # Snoozed from that nudge until Monday 21 Dec: nudged again that morning, not before.
    [nudge] = [c.params for c in slack_double.calls_to("chat.postMessage") if "due (18 Dec 2026)" in c.params["text"]]
    snooze = click_open(slack, slack_double, nudge["blocks"], ids.ACTION_MATTER_SNOOZE, LAWYER)
    r = slack.submit(snooze, {"snooze_until": "2026-12-21", "reason": "Client abroad until Monday."}, user=LAWYER)
    assert r.json()["response_action"] == "update"
    assert swept_to(ctx, slack_double, datetime(2026, 12, 21, 8, 59, tzinfo=UTC), LAWYER) == []
    [snoozed] = swept_to(ctx, slack_double, datetime(2026, 12, 21, 9, 0, tzinfo=UTC), LAWYER)
    assert "18 Dec 2026" in snoozed["text"]

    # No update needed until Friday 15 Jan 2027: nothing until 29 Jan, a cadence after it.
    dormant = click_open(slack, slack_double, snoozed["blocks"], ids.ACTION_MATTER_DORMANT, LAWYER)
    r = slack.submit(dormant, {"dormant_until": "2027-01-15", "reason": "Waiting for probate."}, user=LAWYER)
    assert "29 Jan 2027" in str(r.json()["view"]["blocks"])
    before = len(slack_double.calls_to("chat.postMessage"))
    assert swept_to(ctx, slack_double, datetime(2027, 1, 28, 9, 0, tzinfo=UTC), LAWYER) == []
    # No client update message to anyone (the partner included) before the cadence after the
    # dormancy; the checklist's weekly reminder to the lawyer goes on (nothing was disclosed).
    later = [c.params for c in slack_double.calls_to("chat.postMessage")[before:]]
    assert [p for p in later if "client update" in p["text"]] == []
    assert [p["channel"] for p in later] == [LAWYER] and "told in writing" in later[0]["text"]
    [woken] = swept_to(ctx, slack_double, datetime(2027, 1, 29, 9, 0, tzinfo=UTC), LAWYER)
    assert "29 Jan 2027" in woken["text"]


def test_the_check_in_nudge_then_an_unhappy_update_then_log_as_complaint_prefilled(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    # Due Friday 4 Dec (20 Nov + 14 days): the sweep's nudge (beside the checklist's), its Log
    # client update button.
    posts = swept_posts(ctx, slack_double, datetime(2026, 12, 4, 9, 0, tzinfo=UTC), LAWYER)
    [nudge] = [p for p in posts if "client update" in p["text"]]
    view = click_open(slack, slack_double, nudge["blocks"], ids.ACTION_MATTER_LOG_UPDATE, LAWYER)
    assert view["callback_id"] == ids.VIEW_MATTER_UPDATE
    before = len(slack_double.calls_to("chat.postMessage"))
    values = matter_update_values(update_date="2026-12-04", update_via="phone", client_mood="unhappy")
    r = slack.submit(view, values, user=LAWYER)
    assert r.status == 200 and r.json()["response_action"] == "update", r.body
    bot.wait_idle()
    [prompt] = [c.params for c in slack_double.calls_to("chat.postMessage")[before:] if c.params["channel"] == LAWYER]
    validate_message(prompt["blocks"])
    assert "unhappy at the update of 4 Dec 2026 on *M-1001*" in str(prompt["blocks"])

    intake = click_open(slack, slack_double, prompt["blocks"], ids.ACTION_MATTER_LOG_AS_COMPLAINT, LAWYER)
    assert intake["callback_id"] == ids.VIEW_NEW_COMPLAINT
    fields = inputs_of(intake)
    assert fields["client_name"]["initial_value"] == "Jane Client"
    assert fields["matter_ref"]["initial_value"] == "M-1001"
    assert fields["received_on"]["initial_date"] == "2026-12-04"
    assert fields["received_via"]["initial_option"]["value"] == "phone"
    r = slack.submit(
        intake,
        {
            "client_name": "Jane Client",
            "matter_ref": "M-1001",
            "received_on": "2026-12-04",
            "received_via": "phone",
            "summary": "Unhappy that nobody had called for two weeks.",
            "category": "delay",
        },
        user=LAWYER,
    )
    assert r.status == 200 and r.body == "", r.body
    bot.wait_idle()
    with ctx.session_factory() as s:
        c = s.execute(select(Complaint)).scalar_one()
    assert (c.matter_ref, c.reporter_id) == ("M-1001", LAWYER)
    [answered] = events_of_kind(ctx, "matter_complaint_answered")
    assert answered.data["answer"] == "complaint" and answered.data["complaint"] == c.reference
    # The matter is now red: a complaint on it is open, and the client was unhappy.
    shown = answer(slack, slack_double, "show M-1001")
    assert ":red_circle:" in shown and "a complaint is open" in shown
