"""Settings: every problem named at once, with the fix; sensible defaults."""

from __future__ import annotations

import pytest

from bot.core import home
from bot.core.config import DEFAULT_DATABASE_URL, SettingsError, load_settings

GOOD = {
    "SLACK_BOT_TOKEN": "xoxb-1-2-3",
    "SLACK_APP_TOKEN": "xapp-1-A-1-abc",
    "SLACK_SIGNING_SECRET": "s3cret",
    "TRIAGE_CHANNEL": "C0TRIAGE",
}


def test_defaults_are_applied():
    s = load_settings("socket", GOOD)
    assert DEFAULT_DATABASE_URL == "sqlite:///complaints.db"
    assert s.database_url == f"sqlite:///{home.default_home(GOOD) / 'complaints.db'}"  # not the current folder's
    assert s.log_level == "INFO" and s.log_format == "text"
    assert s.slack_api_url == "https://slack.com/api/"
    assert s.firm_timezone == "Europe/London" and s.port == 3000


def test_socket_mode_names_every_missing_setting():
    with pytest.raises(SettingsError) as e:
        load_settings("socket", {})
    text = str(e.value)
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "TRIAGE_CHANNEL"):
        assert f"{name} is missing" in text
    assert "SLACK_SIGNING_SECRET" not in text


@pytest.mark.parametrize("bot, app", [("xoxb-", "xapp-"), ("xoxb-…", "xapp-..."), (" xoxb- ", "xapp-…")])
def test_the_placeholders_of_env_example_count_as_missing(bot, app):
    with pytest.raises(SettingsError) as e:
        load_settings("socket", {**GOOD, "SLACK_BOT_TOKEN": bot, "SLACK_APP_TOKEN": app})
    assert [p.split(":")[0] for p in e.value.problems] == ["SLACK_BOT_TOKEN is missing", "SLACK_APP_TOKEN is missing"]


def test_a_token_longer_than_its_prefix_is_no_placeholder():
    s = load_settings("socket", {**GOOD, "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert (s.slack_bot_token, s.slack_app_token) == ("xoxb-1", "xapp-1")


def test_http_mode_needs_the_signing_secret_not_the_app_token():
    env = {k: v for k, v in GOOD.items() if k not in ("SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN")}
    with pytest.raises(SettingsError) as e:
        load_settings("http", env)
    assert e.value.problems == [
        "SLACK_SIGNING_SECRET is missing: set it to the Signing Secret from the app's Basic Information page."
    ]


@pytest.mark.parametrize(
    "name, value, fragment",
    [
        ("SLACK_BOT_TOKEN", "xoxp-user", "starting with 'xoxb-'"),
        ("SLACK_APP_TOKEN", "abc", "starting with 'xapp-'"),
        ("TRIAGE_CHANNEL", "#complaints", "channel id"),
        ("DIGEST_CHANNEL", "general", "channel id"),
        ("FIRM_TIMEZONE", "Mars/Olympus", "IANA time zone"),
        ("PORT", "99999", "1 to 65535"),
        ("PORT", "http", "1 to 65535"),
        ("DATABASE_URL", "not a url", "not a database URL"),
        ("DATABASE_URL", "mysql://x@y/z", "sqlite:/// or postgresql"),
        ("SLACK_API_URL", "ftp://x", "http(s) URL"),
        ("COMPLAINTS_LEAD", "@lead", "user id"),
        ("ACKNOWLEDGEMENT_TEMPLATE", "/nonexistent/ack.txt", "does not exist"),
        ("FINAL_RESPONSE_TEMPLATE", "/nonexistent/final.txt", "does not exist"),
        ("SUMMARY_RESOLUTION_TEMPLATE", "/nonexistent/summary.txt", "does not exist"),
        ("HOLDING_RESPONSE_TEMPLATE", "/nonexistent/holding.txt", "does not exist"),
        ("TRIAGE_HOURS", "0", "1 to 720"),
        ("FINAL_RESPONSE_WEEKS", "eight", "1 to 52"),
        ("FINAL_RESPONSE_BUSINESS_DAYS", "-3", "1 to 365"),
        ("FINAL_RESPONSE_WARNING_DAYS", "14;7", "comma-separated"),
        ("HOLIDAYS", "25/12/2026", "YYYY-MM-DD"),
        ("REMINDER_HOUR", "24", "0 to 23"),
        ("UPDATE_ESCALATION_DAYS", "0", "1 to 30"),
        ("TRIAGE_CLOCK", "working-hours", "clock-hours or business-hours"),
        ("WORKING_HOURS", "9-5:30", "HH:MM-HH:MM"),
        ("WORKING_HOURS", "09:00-24:00", "HH:MM-HH:MM"),
        ("WORKING_HOURS", "09:00–17:30", "HH:MM-HH:MM"),  # an en dash, as a word processor types it
        ("WORKING_HOURS", "17:30-09:00", "open before it closes"),
        ("WORKING_HOURS", "09:00-09:00", "open before it closes"),
    ],
)
def test_malformed_settings_are_named_with_the_fix(name, value, fragment):
    with pytest.raises(SettingsError) as e:
        load_settings("socket", {**GOOD, name: value})
    assert len(e.value.problems) == 1
    assert name in e.value.problems[0] and fragment in e.value.problems[0]


def test_all_problems_are_reported_together():
    with pytest.raises(SettingsError) as e:
        load_settings("socket", {"SLACK_BOT_TOKEN": "bad", "PORT": "0", "FIRM_TIMEZONE": "Nowhere"})
    assert len(e.value.problems) == 5  # bad token, missing app token, missing channel, port, zone


def test_api_url_gets_its_trailing_slash():
    assert (
        load_settings("socket", {**GOOD, "SLACK_API_URL": "http://127.0.0.1:9000/api"}).slack_api_url
        == "http://127.0.0.1:9000/api/"
    )


def test_policy_settings_shape_the_policy():
    from datetime import date

    s = load_settings(
        "socket",
        {
            **GOOD,
            "FINAL_RESPONSE_BUSINESS_DAYS": "15",
            "HOLIDAYS": "2026-12-25, 2026-12-28",
            "FINAL_RESPONSE_WARNING_DAYS": "3,10",
            "TRIAGE_HOURS": "48",
            "TRIAGE_WARNING_HOURS": "40",
        },
    )
    policy = s.policy()
    assert policy.final_warning_days == (10, 3)
    assert policy.triage_within.total_seconds() == 48 * 3600
    # Received Fri 18 Dec 2026, on England & Wales bank holidays (the scheme's calendar) plus the
    # firm's two days: Mon 21 (1) … Thu 24 (4), [Fri 25 Christmas, Mon 28 Boxing Day substitute],
    # Tue 29 (5) … Thu 31 (7), [Fri 1 Jan New Year], Mon 4 (8) … Fri 8 (12), Mon 11 (13),
    # Tue 12 (14), Wed 13 Jan 2027 (15).
    assert policy.final_response_due_on(date(2026, 12, 18)) == date(2027, 1, 13)
    assert policy.final_response_basis == (
        "15 business days, the firm's setting, England & Wales bank holidays and 2 firm closure days"
    )
    # With no public calendar only the firm's two days are skipped: New Year's Day counts, so the
    # 15th business day is Tue 12 Jan 2027.
    weekends = load_settings(
        "socket",
        {
            **GOOD,
            "FINAL_RESPONSE_BUSINESS_DAYS": "15",
            "HOLIDAY_CALENDAR": "none",
            "HOLIDAYS": "2026-12-25, 2026-12-28",
        },
    )
    assert weekends.policy().final_response_due_on(date(2026, 12, 18)) == date(2027, 1, 12)


def test_triage_warning_must_come_before_the_deadline():
    with pytest.raises(SettingsError, match="TRIAGE_WARNING_HOURS"):
        load_settings("socket", {**GOOD, "TRIAGE_HOURS": "12"})


def test_the_triage_clock_is_clock_hours_unless_business_hours_are_asked_for():
    from datetime import UTC, datetime, time

    from bot.reminders.policy import TriageClock

    default = load_settings("socket", GOOD).policy()
    assert default.triage_clock == TriageClock.CLOCK_HOURS
    assert (default.working_day_start, default.working_day_end) == (time(9, 0), time(17, 30))
    business = load_settings(
        "socket", {**GOOD, "TRIAGE_CLOCK": "Business-Hours", "WORKING_HOURS": " 08:30 - 16:00 "}
    ).policy()
    assert business.triage_clock == TriageClock.BUSINESS_HOURS
    assert (business.working_day_start, business.working_day_end) == (time(8, 30), time(16, 0))
    # Logged Fri 4 Dec 2026 15:00 GMT, 24 working hours of 7.5 a day (08:30–16:00) on England &
    # Wales business days: Fri 1.0 h; Mon 7 7.5 h (8.5); Tue 8 7.5 h (16.0); Wed 9 7.5 h (23.5);
    # Thu 10 Dec 0.5 h more: 09:00. Clock hours: Sat 5 Dec 15:00.
    logged = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    assert business.triage_due_at(logged) == datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    assert default.triage_due_at(logged) == datetime(2026, 12, 5, 15, 0, tzinfo=UTC)
    assert business.triage_basis == (
        "24 working hours, 08:30–16:00 Europe/London on business days, England & Wales bank holidays"
    )


def test_the_firms_letter_templates_are_read_from_their_settings(tmp_path):
    final, summary = tmp_path / "final.txt", tmp_path / "summary.txt"
    final.write_text("Dear $client_name,")
    summary.write_text("Resolved, $client_name.")
    s = load_settings(
        "socket", {**GOOD, "FINAL_RESPONSE_TEMPLATE": str(final), "SUMMARY_RESOLUTION_TEMPLATE": str(summary)}
    )
    assert (s.final_response_template, s.summary_resolution_template) == (str(final), str(summary))
    assert load_settings("socket", GOOD).final_response_template is None


def test_a_firms_holding_response_template_is_taken_when_it_exists(tmp_path):
    own = tmp_path / "holding.txt"
    own.write_text("Dear $client_name, we need more time: $reason", encoding="utf-8")
    assert load_settings("socket", GOOD).holding_response_template is None
    assert load_settings("socket", {**GOOD, "HOLDING_RESPONSE_TEMPLATE": str(own)}).holding_response_template == str(
        own
    )


def test_digits_int_does_not_read_are_a_settings_problem_not_a_crash():
    # "²" and "١٢" are digits to str.isdigit; int() refuses the first and reads the second as 12.
    with pytest.raises(SettingsError) as e:
        load_settings("cli", {"TRIAGE_HOURS": "²", "PORT": "١٢", "FINAL_RESPONSE_WARNING_DAYS": "14,²"})
    text = str(e.value)
    assert "TRIAGE_HOURS must be a whole number from 1 to 720" in text and "got '²'" in text
    assert "PORT must be a whole number from 1 to 65535; got '١٢'." in text
    assert "FINAL_RESPONSE_WARNING_DAYS must be days before the deadline" in text
