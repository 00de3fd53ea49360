"""A matter's state as people read it, on both databases: `/matter show` with its risk and every
reason, its checklist met or missing, its costs and next client update; the timeline's client-care
events; `/matter list` ranked (one's own first, then by risk); App Home's "Your matters"; the
digest's "Matters at risk". The clock is frozen at Monday 23 Nov 2026 09:30 London (= UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from slack_sdk.models.views import View
from sqlalchemy import select, update

from bot.access import Viewer
from bot.core.vocabulary import EventKind
from bot.digest import messages as digest_messages
from bot.digest import service as digest
from bot.home import service as home
from bot.matters import messages as matter_messages
from bot.matters import requests
from bot.matters import service as matters
from bot.matters.policy import RiskLevel, RiskReason
from bot.matters.risk import matters_at_risk, ranked_page
from storage import matters as matters_store
from storage.models import Event, Matter
from tests.e2e import validate_message, validate_view
from tests.factories import log, log_disclosure, record_costs, set_up_matter

LAWYER, LEAD = "ULAWYER", "ULEAD"
TODAY = date(2026, 11, 23)
# Opened 1 Oct (and set up that day): the first update was due 15 Oct (14 days), 39 days ago, more
# than a whole cadence: red.
# The checklist was due 8 Oct (7 days): its missing items are amber too.
RED_OPENING = date(2026, 10, 1)
# Opened 10 Nov: the update is due 24 Nov (not yet); the checklist was due 17 Nov: amber.
AMBER_OPENING = date(2026, 11, 10)
# Opened 20 Nov: the update is due 4 Dec, the checklist 27 Nov: nothing yet, green.
GREEN_OPENING = date(2026, 11, 20)
ALL_MISSING = (
    "6 checklist items missing: engagement and scope, costs estimate, risk of outcome, timeline, "
    "limits of advice, complaints procedure and ombudsman rights"
)


def show(ctx, matter_ref: str, user: str = LAWYER) -> tuple[matters.MatterView, str]:
    view = requests.show(ctx, viewer=Viewer(user, team=False), matter_ref_text=matter_ref)
    _, blocks = matter_messages.matter_detail(view, tz=ctx.tz, areas=ctx.settings.product_groups)
    validate_message(blocks)
    return view, str(blocks)


def test_a_red_matter_shows_every_reason_and_its_checklist_met_or_missing(ctx):
    set_up_matter(ctx, matter_ref="M-RED", opened_on=RED_OPENING)
    log_disclosure(ctx, matter_ref="M-RED", kind="risk", disclosed_on="2026-10-05")
    # A revised estimate meets the costs-estimate item, and (with its amount) is the estimate in force.
    log_disclosure(ctx, matter_ref="M-RED", kind="costs_revised", disclosed_on="2026-10-06", amount="1000")
    record_costs(ctx, 80_000, "M-RED")  # GBP 800.00 of 1,000.00: 80%, past 75%
    view, text = show(ctx, "M-RED")
    assert view.care is not None and view.care.risk.level is RiskLevel.RED
    assert view.care.risk.reasons == (
        "client update 39 days overdue, a whole 14-day cadence or more",
        "costs to date at 80% of the estimate",
        "4 checklist items missing: engagement and scope, timeline, limits of advice, "
        "complaints procedure and ombudsman rights",
    )
    assert [c.code for c in view.care.risk.causes] == [
        RiskReason.UPDATE_LONG_OVERDUE,
        RiskReason.COSTS_NEAR,
        RiskReason.CHECKLIST_MISSING,
    ]
    assert ":red_circle: *Red*: client update 39 days overdue" in text
    assert "Checklist* (2 of 6 met)" in text
    assert "Risk of outcome: met, disclosed 5 Oct 2026" in text
    assert "Costs estimate: met by a costs estimate revised, disclosed 6 Oct 2026" in text
    assert "Engagement and scope: *missing*" in text and "Timeline: *missing*" in text
    assert "estimate GBP 1,000.00; costs to date GBP 800.00 (80% of the estimate)" in text
    # Due 15 Oct (opened 1 Oct + 14 days), no update logged since.
    assert "Next client update due*: 15 Oct 2026" in text and "none logged yet" in text


def test_a_matter_with_an_update_a_snooze_and_dormancy_says_so(ctx):
    set_up_matter(ctx, matter_ref="M-1001", opened_on=GREEN_OPENING)
    with ctx.session_factory.begin() as s:
        m = s.execute(select(Matter)).scalar_one()
        m.last_update_on = m.concerned_on = date(2026, 11, 21)
        m.snoozed_until = datetime(2026, 11, 25, 9, tzinfo=UTC)
        m.snooze_reason = "Client *abroad* <@U999>"
        m.dormant_until = date(2026, 12, 1)
        s.add(
            Event(
                matter_id=m.id,
                kind=EventKind.MATTER_CLIENT_UPDATE,
                actor=LAWYER,
                at=ctx.clock.now() - timedelta(days=2),
                data={"on": "2026-11-21", "via": "phone", "mood": "concerned", "told": "Search results in."},
            )
        )
    view, text = show(ctx, "M-1001")
    assert view.care is not None
    # Concerned on 21 Nov, 2 days ago, within 30: amber; the checklist is not due until 27 Nov.
    assert view.care.risk.reasons == ("client concerned at the update of 21 Nov 2026",)
    assert ":large_orange_circle: *Amber*" in text
    # Due a cadence after the latest of opening (20 Nov), last update (21 Nov), dormancy (1 Dec): 15 Dec.
    assert "Next client update due*: 15 Dec 2026" in text
    assert "Dormant*: no client update needed until 1 Dec 2026" in text
    assert "Nudge snoozed* until <!date^" in text
    assert "&lt;@U999&gt;" in text and "<@U999>" not in text
    assert "Last client update*: 21 Nov 2026; the client seemed concerned" in text
    assert "client update by <@ULAWYER> on 21 Nov 2026 (phone): client *concerned*" in text
    assert "Checklist* (0 of 6 met)" in text


def test_a_closed_matter_and_one_not_set_up_show_no_risk(ctx):
    log_disclosure(ctx, matter_ref="M-NAMED")  # names it: not set up
    set_up_matter(ctx, matter_ref="M-SHUT", opened_on=RED_OPENING)
    matters.close_matter(session_factory=ctx.session_factory, matter_ref="M-SHUT", actor=LAWYER, now=ctx.clock.now())
    for ref in ("M-NAMED", "M-SHUT"):
        view = requests.show(ctx, viewer=Viewer(LEAD, team=True), matter_ref_text=ref)
        _, blocks = matter_messages.matter_detail(view, tz=ctx.tz, areas=ctx.settings.product_groups)
        assert view.care is None and "Checklist" not in str(blocks)


def event(kind: EventKind, /, **data) -> Event:
    return Event(kind=kind, actor=LAWYER, at=datetime(2026, 11, 23, 9, tzinfo=UTC), data=data)


def test_the_timeline_describes_client_care_events():
    describe = matter_messages.describe_matter_event
    long = "Told *them* <!channel> " + "x" * 400
    line = describe(
        event(EventKind.MATTER_CLIENT_UPDATE, on="2026-11-20", via="email", mood="unhappy", told=long, next_step="Call")
    )
    assert line.startswith("client update by <@ULAWYER> on 20 Nov 2026 (email): client *unhappy*")
    assert "<!channel>" not in line and "&lt;!channel&gt;" in line and "…" in line and "next step: Call" in line
    assert len(line) < 800
    assert describe(event(EventKind.MATTER_SNOOZED, until="2026-11-26T09:00:00+00:00", reason="on leave")) == (
        "client update nudge snoozed by <@ULAWYER> until 26 Nov 2026 (on leave)"
    )
    assert describe(event(EventKind.MATTER_DORMANT, until="2027-01-10", reason=None)) == (
        "marked dormant by <@ULAWYER>: no client update needed until 10 Jan 2027"
    )
    assert describe(event(EventKind.MATTER_COSTS, costs_to_date=900_000, previous=500_000, currency="GBP")) == (
        "costs to date recorded by <@ULAWYER>: GBP 9,000.00 (was GBP 5,000.00)"
    )
    estimate = describe(
        event(
            EventKind.MATTER_ESTIMATE,
            amount=1_000_000,
            disclosure="DSC-2026-0007",
            kind="costs_estimate",
            currency="GBP",
        )
    )
    # Not the disclosure's reference: being on the matter does not open its disclosures.
    assert estimate == "costs estimate in force: GBP 10,000.00 (costs estimate, logged by <@ULAWYER>)"
    answered = describe(event(EventKind.MATTER_COMPLAINT_ANSWERED, answer="complaint", complaint="CMP-2026-0001"))
    # Not the complaint's reference: being on the matter does not open its complaints.
    assert answered.endswith("is a complaint, and logged it") and "CMP-" not in answered
    # Answered before a reason was asked for: no reason to show.
    assert describe(event(EventKind.MATTER_COMPLAINT_ANSWERED, answer="not_a_complaint")).endswith("not a complaint")
    not_one = describe(
        event(
            EventKind.MATTER_COMPLAINT_ANSWERED,
            answer="not_a_complaint",
            reason="She asked when *exchange* would be <!channel>\n and was content. " + "x" * 400,
        )
    )
    assert not_one.startswith("<@ULAWYER> answered that the client's unhappiness is not a complaint (She asked when ")
    # Escaped (no mention, no bold), on one line, clipped to 300 characters with an ellipsis.
    assert "<!channel>" not in not_one and "&lt;!channel&gt;" in not_one and "*exchange*" not in not_one
    assert "\n" not in not_one and not_one.endswith("x…)")
    assert len(not_one) < len("<@ULAWYER> answered that the client's unhappiness is not a complaint ()") + 300 + 20


def ranking(ctx) -> None:
    """Mine (ULEAD's): M-A green, M-B red (supervised). The others: M-C amber, M-D green, M-E red, M-F not set up."""
    set_up_matter(ctx, matter_ref="M-A", responsible_id=LEAD, opened_on=GREEN_OPENING)
    set_up_matter(ctx, matter_ref="M-B", supervisor_id=LEAD, opened_on=RED_OPENING)
    set_up_matter(ctx, matter_ref="M-C", opened_on=AMBER_OPENING)
    set_up_matter(ctx, matter_ref="M-D", opened_on=GREEN_OPENING)
    set_up_matter(ctx, matter_ref="M-E", opened_on=RED_OPENING)
    log_disclosure(ctx, matter_ref="M-F")


def refs(page) -> list[str]:
    return [r.matter.matter_ref for r in page.items]


def test_the_team_sees_its_own_matters_first_then_every_other_by_risk(ctx):
    ranking(ctx)
    lead = Viewer(LEAD, team=True)
    whole = matters.list_matters(ctx=ctx, viewer=lead, page_size=10)
    assert refs(whole) == ["M-B", "M-A", "M-E", "M-C", "M-D", "M-F"]
    second = matters.list_matters(ctx=ctx, viewer=lead, page=2, page_size=2)
    assert (refs(second), second.pages, second.total) == (["M-E", "M-C"], 3, 6)
    _, blocks = matter_messages.matter_list(whole.items, viewer_id=LEAD, page=1, pages=1, total=6, everyone=True)
    validate_message(blocks)
    text = str(blocks)
    assert text.index("M-B") < text.index("M-A") < text.index("M-E")
    assert ":red_circle: Red: client update 39 days overdue, a whole 14-day cadence or more (and 1 more)" in text
    assert f":large_orange_circle: Amber: {ALL_MISSING}" in text


def test_a_lawyer_outside_the_team_sees_only_their_own_by_risk(ctx):
    ranking(ctx)
    mine = matters.list_matters(ctx=ctx, viewer=Viewer(LAWYER, team=False))
    # ULAWYER is responsible for M-B..M-E (M-A is ULEAD's; M-F is not set up, nobody's).
    assert (refs(mine), mine.total) == (["M-B", "M-E", "M-C", "M-D"], 4)


def test_home_shows_matters_at_risk_first_and_at_most_ten(ctx):
    for n in range(1, 10):
        set_up_matter(ctx, matter_ref=f"M-{n:02d}", opened_on=GREEN_OPENING)
    set_up_matter(ctx, matter_ref="M-10", opened_on=AMBER_OPENING)
    set_up_matter(ctx, matter_ref="M-11", opened_on=AMBER_OPENING)
    set_up_matter(ctx, matter_ref="M-12", opened_on=RED_OPENING)
    view = home.home_view(ctx, LAWYER)
    validate_view(view)
    View(**view).validate_json()
    assert len(view["blocks"]) <= 100
    text = str(view["blocks"])
    assert "*Your matters:* 12 open · 3 at risk" in text
    # Red, then amber (by reference), then the greens by reference: M-01..M-07 make ten.
    order = ["M-12", "M-10", "M-11", "M-01", "M-07"]
    assert [text.index(f"*{r}*") for r in order] == sorted(text.index(f"*{r}*") for r in order)
    assert "*M-08*" not in text and "and 2 more: `/matter list`" in text
    # Past their first week the missing items are a reason; within it, still to do.
    assert f":large_orange_circle: *Amber*: {ALL_MISSING}" in text
    assert "Checklist still to do: engagement and scope, costs estimate" in text
    assert ":red_circle: *Red*: client update 39 days overdue" in text

    outsider = home.home_view(ctx, "UOTHER")
    assert "Your matters" not in str(outsider["blocks"])


def at_risk_lines(ctx, *, show_names: bool) -> list[str] | None:
    """The lines of the digest's "Matters at risk" (None: it has none), the message checked valid."""
    now = ctx.clock.now()
    with ctx.session_factory() as s:
        d = digest.compute_for(ctx, s, digest.last_full_week(now, ctx.tz), now=now, show_names=show_names)
    validate_message(digest_messages.digest_message(d, tz=ctx.tz)[1])
    found = [x.lines for x in digest.sections(d) if x.title == "Matters at risk"]
    assert len(found) <= 1
    return found[0] if found else None


def digest_matters(ctx) -> None:
    set_up_matter(ctx, matter_ref="M-R", opened_on=RED_OPENING)
    set_up_matter(ctx, matter_ref="M-A", opened_on=AMBER_OPENING)
    set_up_matter(ctx, matter_ref="M-G", opened_on=GREEN_OPENING)
    # Opened 1 Nov, every item disclosed: its update was due 15 Nov, 8 days ago (less than 14): amber.
    set_up_matter(ctx, matter_ref="M-OK", opened_on=date(2026, 11, 1))
    for kind in ("engagement", "costs_estimate", "risk", "timeline", "limits", "complaints_procedure"):
        log_disclosure(ctx, matter_ref="M-OK", kind=kind, disclosed_on="2026-11-02")
    # Closed: not counted, however late.
    set_up_matter(ctx, matter_ref="M-X", opened_on=RED_OPENING)
    matters.close_matter(session_factory=ctx.session_factory, matter_ref="M-X", actor=LAWYER, now=ctx.clock.now())


def test_the_digest_counts_matters_at_risk_by_reason_without_names(ctx):
    digest_matters(ctx)
    lines = at_risk_lines(ctx, show_names=False)
    assert lines == [
        "Red 1, amber 2, of 4 open matter(s)",
        "By reason: client update overdue by more than a cadence 1, client update overdue 1, checklist items missing 2",
        "Every checklist item met: 1 of 4 (25%)",
        "(matter references hidden here; /matter list shows them to the team)",
    ]
    # In batches of 2, the same counts.
    with ctx.session_factory() as s:
        small = matters_at_risk(s, settings=ctx.settings, policy=ctx.matter_policy, today=TODAY, batch=2)
    assert (small.open, small.red, small.amber, small.checklist_met) == (4, 1, 2, 1)


def test_the_digest_names_matters_at_risk_with_digest_show_names(ctx):
    digest_matters(ctx)
    lines = at_risk_lines(ctx, show_names=True)
    assert lines is not None
    # Red first, then amber by reference; the green M-G and the closed M-X are not at risk.
    assert lines[-1] == "At risk: M-R, M-A, M-OK"
    hidden = at_risk_lines(ctx, show_names=False)
    assert hidden is not None and not any("M-R" in line for line in hidden)


def test_the_digest_says_nothing_of_matters_when_none_is_open(ctx):
    assert at_risk_lines(ctx, show_names=False) is None
    # A complaint makes it a digest with news; still no matters section without an open matter.
    log(ctx)
    assert at_risk_lines(ctx, show_names=False) is None


def test_a_snooze_ended_or_dormancy_past_is_not_shown(ctx):
    set_up_matter(ctx, matter_ref="M-1001", opened_on=GREEN_OPENING)
    with ctx.session_factory.begin() as s:
        s.execute(
            update(Matter).values(
                snoozed_until=ctx.clock.now() - timedelta(hours=1),
                snooze_reason="old",
                dormant_until=TODAY - timedelta(days=1),  # Sun 22 Nov: ended yesterday
            )
        )
    _, text = show(ctx, "M-1001")
    assert "snoozed" not in text and "Dormant" not in text


def test_past_the_scan_the_team_list_goes_on_in_the_order_most_likely_at_risk(ctx):
    ranking(ctx)
    lead_list = matters.list_matters(ctx=ctx, viewer=Viewer(LEAD, team=True), page_size=10)
    with ctx.session_factory() as s:

        def page(offset: int, limit: int) -> list[str]:
            rated, total = ranked_page(
                s,
                user_id=LEAD,
                everyone=True,
                settings=ctx.settings,
                policy=ctx.matter_policy,
                today=TODAY,
                offset=offset,
                limit=limit,
                scan=2,
            )
            assert total == 6
            return [r.matter.matter_ref for r in rated]

        # The others in the store's order: set up first; M-C..M-E show no sign SQL sees, so the
        # longest without an update first: M-E (1 Oct), M-C (10 Nov), M-D (20 Nov); M-F not set up.
        # The first two (the scan) are ranked by risk: M-E red, M-C amber; then M-D, M-F as read.
        assert page(0, 10) == ["M-B", "M-A", "M-E", "M-C", "M-D", "M-F"] == refs(lead_list)
        assert page(3, 2) == ["M-C", "M-D"] and page(4, 10) == ["M-D", "M-F"] and page(1, 2) == ["M-A", "M-E"]


def test_the_store_reads_matters_with_a_sign_of_risk_before_the_longest_unheard(ctx):
    set_up_matter(ctx, matter_ref="M-OLD", opened_on=RED_OPENING)
    set_up_matter(ctx, matter_ref="M-COSTS", opened_on=GREEN_OPENING)
    set_up_matter(ctx, matter_ref="M-SAD", opened_on=GREEN_OPENING)
    set_up_matter(ctx, matter_ref="M-NEW", opened_on=GREEN_OPENING)
    log(ctx, matter_ref="M-NEW")  # an open complaint on it
    with ctx.session_factory.begin() as s:
        s.execute(update(Matter).where(Matter.matter_ref == "M-COSTS").values(costs_estimate=1000, costs_to_date=750))
        # Unhappy 24 Oct: 30 days before today, still within the window.
        s.execute(update(Matter).where(Matter.matter_ref == "M-SAD").values(unhappy_on=date(2026, 10, 24)))
    with ctx.session_factory() as s:
        order = matters_store.open_not_of_likely_at_risk_first(
            s, user_id=LEAD, recent=TODAY - timedelta(days=30), costs_percent=75, offset=0, limit=10
        )
    # M-COSTS (75%), M-NEW (complaint) and M-SAD (unhappy) show a sign: by last heard (all opened
    # 20 Nov), then reference; then M-OLD, unheard since 1 Oct.
    assert [m.matter_ref for m in order] == ["M-COSTS", "M-NEW", "M-SAD", "M-OLD"]
