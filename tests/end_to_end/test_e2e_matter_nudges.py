"""The sweep's client-care nudges from Slack's side: a matter opened through /matter new, the
missing-item nudge by DM a week on, its **Log disclosure** opening the disclosure modal prefilled,
the item then met; the check-in nudge, and the supervising partner told a cadence later; an
outsider refused on the nudges' buttons; every message and view valid Block Kit.

The live bot's clock starts on Monday 23 Nov 2026, 09:30 (GMT, the firm's zone); the matter opened
on Friday 20 Nov, every 14 days.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.core import ids
from storage.models import Disclosure
from tests.e2e import LAWYER, OUTSIDER, PARTNER, click_open, inputs_of, open_matter, swept_posts
from tests.e2e import matter_answer as answer


def buttons(blocks: list[dict]) -> list[dict]:
    found = [b["accessory"] for b in blocks if b.get("accessory", {}).get("type") == "button"]
    for b in blocks:
        if b["type"] == "actions":
            found += b["elements"]
    return found


def click_button(slack, double, blocks: list[dict], action_id: str, value: str, user: str) -> dict:
    """Click the one button `action_id` with `value` among `blocks` (the checklist's share an
    action id, one per missing item); the modal it opened, validated."""
    [chosen] = [b for b in buttons(blocks) if b["action_id"] == action_id and b["value"] == value]
    return click_open(slack, double, [{"type": "actions", "elements": [chosen]}], action_id, user)


def test_missing_item_nudge_then_log_disclosure_prefilled_then_the_item_met(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    # Friday 27 Nov 09:00, 7 days after the opening: every item of the checklist is missing.
    [nudge] = swept_posts(ctx, slack_double, datetime(2026, 11, 27, 9, 0, tzinfo=UTC), LAWYER)
    assert "M-1001" in nudge["text"] and "6 things" in nudge["text"]
    assert [b["value"] for b in buttons(nudge["blocks"])] == [
        "M-1001|engagement",
        "M-1001|costs_estimate",
        "M-1001|risk",
        "M-1001|timeline",
        "M-1001|limits",
        "M-1001|complaints_procedure",
    ]

    # An outsider who got hold of the message is refused, and no modal of the matter opens for them.
    refused = click_button(
        slack, slack_double, nudge["blocks"], ids.ACTION_MATTER_LOG_DISCLOSURE, "M-1001|risk", OUTSIDER
    )
    assert refused["callback_id"] != ids.VIEW_NEW_DISCLOSURE and "Jane Client" not in str(refused)
    assert "can't share that" in str(refused["blocks"])

    view = click_button(slack, slack_double, nudge["blocks"], ids.ACTION_MATTER_LOG_DISCLOSURE, "M-1001|risk", LAWYER)
    assert view["callback_id"] == ids.VIEW_NEW_DISCLOSURE
    inputs = inputs_of(view)
    assert inputs["matter_ref"]["initial_value"] == "M-1001"
    assert inputs["client_name"]["initial_value"] == "Jane Client"
    assert inputs["kind"]["initial_option"]["value"] == "risk"
    prefilled = {
        "matter_ref": "M-1001",
        "client_name": "Jane Client",
        "kind": "risk",
        "disclosed_on": "2026-11-27",
        "disclosed_via": "email",
        "ack_status": "not_needed",
        "content": "Litigation risk: the other side may counterclaim; we explained the likely range.",
    }
    r = slack.submit(view, prefilled, user=LAWYER)
    assert r.status == 200 and r.body == "", r.body
    bot.wait_idle()
    with ctx.session_factory() as s:
        assert s.execute(select(Disclosure.kind, Disclosure.matter_ref)).all() == [("risk", "M-1001")]
    shown = answer(slack, slack_double, "show M-1001")
    assert "Checklist* (1 of 6 met)" in shown and "Risk of outcome: met, disclosed 27 Nov 2026" in shown

    # Friday 4 Dec: the next week's nudge no longer asks for the risks (and the check-in is due).
    posts = swept_posts(ctx, slack_double, datetime(2026, 12, 4, 9, 0, tzinfo=UTC), LAWYER)
    [weekly] = [p for p in posts if "told in writing" in p["text"]]
    assert "5 things" in weekly["text"] and "M-1001|risk" not in str(weekly["blocks"])


def test_check_in_nudge_then_the_supervisor_told_a_cadence_overdue(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double)
    # Due Friday 4 Dec (20 Nov + 14 days): the lawyer is nudged that morning, once.
    posts = swept_posts(ctx, slack_double, datetime(2026, 12, 4, 9, 0, tzinfo=UTC), LAWYER)
    [check_in] = [p for p in posts if "client update" in p["text"]]
    assert "4 Dec 2026" in check_in["text"]
    assert [b["action_id"] for b in buttons(check_in["blocks"])] == [
        ids.ACTION_MATTER_LOG_UPDATE,
        ids.ACTION_MATTER_SNOOZE,
        ids.ACTION_MATTER_DORMANT,
    ]
    assert swept_posts(ctx, slack_double, datetime(2026, 12, 4, 15, 0, tzinfo=UTC), LAWYER) == []
    # Nothing to the partner before Friday 18 Dec; that morning, once.
    assert swept_posts(ctx, slack_double, datetime(2026, 12, 17, 23, 0, tzinfo=UTC), PARTNER) == []
    [told] = swept_posts(ctx, slack_double, datetime(2026, 12, 18, 9, 0, tzinfo=UTC), PARTNER)
    assert "14 day(s) overdue" in str(told["blocks"]) and f"<@{LAWYER}>" in str(told["blocks"])
    assert swept_posts(ctx, slack_double, datetime(2026, 12, 19, 9, 0, tzinfo=UTC), PARTNER) == []
