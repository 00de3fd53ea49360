"""A matter's risk and checklist from Slack's side: opened through its modal, `/matter show` gives
every checklist item missing, then one met once a disclosure of its kind is logged through
/disclosure new; `/matter list` for the team by risk; App Home's "Your matters" for the
responsible lawyer and the supervising partner, not for an outsider. Every view and message is
checked valid Block Kit. The clock is frozen at Monday 23 Nov 2026 09:30 London (= UTC)."""

from __future__ import annotations

from tests.e2e import LAWYER, LEAD, OUTSIDER, PARTNER, log_disclosure_by_modal, open_matter
from tests.e2e import matter_answer as answer
from tests.factories import disclosure_values, open_home

# Opened 10 Nov: the first client update is due 24 Nov (not yet); the checklist fell due on
# 17 Nov (7 days), so its missing items make the matter amber.
OPENED = "2026-11-10"


def test_the_checklist_on_show_then_an_item_met_and_the_matter_on_home(live, slack_double):
    bot, slack, ctx = live
    open_matter(bot, slack, slack_double, opened_on=OPENED)

    shown = answer(slack, slack_double, "show M-1001")
    assert "Checklist* (0 of 6 met)" in shown
    for item in ("Engagement and scope", "Costs estimate", "Risk of outcome", "Timeline", "Limits of advice"):
        assert f"{item}: *missing*" in shown
    assert ":large_orange_circle: *Amber*: 6 checklist items missing" in shown
    assert "Next client update due*: 24 Nov 2026" in shown

    log_disclosure_by_modal(
        bot, slack, slack_double, disclosure_values(kind="risk", disclosed_on="2026-11-12", content="Risks explained.")
    )
    shown = answer(slack, slack_double, "show M-1001")
    assert "Checklist* (1 of 6 met)" in shown
    assert "Risk of outcome: met, disclosed 12 Nov 2026" in shown
    assert "Engagement and scope: *missing*" in shown and "Risk of outcome: *missing*" not in shown
    assert "5 checklist items missing" in shown

    # The team's list: the matter with its emoji and first reason.
    listed = answer(slack, slack_double, "list", user=LEAD)
    assert "M-1001" in listed and ":large_orange_circle: Amber: 5 checklist items missing" in listed

    for person in (LAWYER, PARTNER):
        home = str(open_home(bot, slack, slack_double, person)["blocks"])
        assert "*Your matters:* 1 open · 1 at risk" in home and "*M-1001*" in home
        assert "5 checklist items missing: engagement and scope, costs estimate, timeline" in home
    outsider = str(open_home(bot, slack, slack_double, OUTSIDER)["blocks"])
    assert "Your matters" not in outsider and "M-1001" not in outsider
