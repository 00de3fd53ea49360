"""What must hold before the bot can work: the checks `complaint-bot check` prints, and the ones
`run` and `serve` pass before they migrate, schedule or send anything.

Each check is a plain :class:`Result`: ok and what was found, or not ok and a sentence saying how to
fix it. Slack that cannot be reached at all is told apart from Slack that refuses something: the
first is the network's (or SLACK_API_URL's) problem, the second the set-up's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.config import Mode, Settings

if TYPE_CHECKING:  # the command line imports this module on every start: the rest comes when used
    from slack_sdk import WebClient
    from slack_sdk.web import SlackResponse

    from handlers.listening import Listening
    from handlers.manifest import ManifestSurfaces

# The manifests shipped with the bot, one per mode.
REPOSITORY = Path(__file__).resolve().parents[1]
MANIFESTS: dict[Mode, str] = {"socket": "manifest.yml", "http": "manifest.http.yml"}
SLACK_TIMEOUT_S = 10


@dataclass(frozen=True)
class Result:
    ok: bool
    text: str  # what was found, or (not ok) a sentence saying how to fix it
    unreachable: bool = False  # Slack could not be reached: nothing about the set-up is known

    @property
    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.text}"


def passed(text: str) -> Result:
    return Result(True, text)


def failed(text: str) -> Result:
    return Result(False, text)


class StartRefused(Exception):
    """`run` or `serve` will not start: the failed checks, each a sentence; `str()` is for a person."""

    def __init__(self, failures: list[Result]):
        self.failures = failures
        self.unreachable = any(r.unreachable for r in failures)
        lines = ["The bot cannot start until these are fixed (nothing was sent, scheduled or migrated):"]
        lines += [f"  - {r.text}" for r in failures]
        lines.append("`complaint-bot check` runs every check again.")
        super().__init__("\n".join(lines))


class _Unreachable(Exception):
    def __init__(self, reason: str):
        self.reason = reason


def _ask(call: Callable[..., SlackResponse], **kwargs: Any) -> tuple[SlackResponse | None, str | None]:
    """Slack's answer, or None and Slack's error; raises _Unreachable when no API answered at all."""
    from slack_sdk.errors import SlackApiError, SlackClientError

    try:
        return call(**kwargs), None
    except SlackApiError as e:
        if not isinstance(e.response.data, dict):  # not Slack's API answering (a proxy, a wrong URL)
            raise _Unreachable(f"it answered HTTP {e.response.status_code}, not as Slack's Web API") from None
        if e.response.status_code >= 500:  # Slack's servers in trouble: nothing is known of the set-up
            raise _Unreachable(f"it answered HTTP {e.response.status_code}, a server error") from None
        return None, str(e.response.get("error") or "unknown_error")
    except (SlackClientError, OSError) as e:
        raise _Unreachable(str(getattr(e, "reason", None) or e) or e.__class__.__name__) from None


def unreachable(settings: Settings, reason: str) -> Result:
    return Result(
        False,
        f"Slack could not be reached at {settings.slack_api_url}: {reason}; check the network or SLACK_API_URL.",
        unreachable=True,
    )


def slack_checks(settings: Settings, *, mode: Mode, scopes: frozenset[str] | None, scopes_from: str) -> list[Result]:
    """The tokens, the scopes granted against `scopes` (asked for by `scopes_from`; None: not
    compared), the channels and COMPLAINTS_LEAD, as Slack answers. Stops at the first sign Slack
    cannot be reached."""
    from slack_sdk import WebClient

    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=SLACK_TIMEOUT_S)
    results: list[Result] = []
    try:
        for check in _slack(client, settings, mode=mode, scopes=scopes, scopes_from=scopes_from):
            results.append(check)
    except _Unreachable as e:
        results.append(unreachable(settings, e.reason))
    return results


def _slack(
    client: WebClient, settings: Settings, *, mode: Mode, scopes: frozenset[str] | None, scopes_from: str
) -> Iterable[Result]:
    auth, error = _ask(client.auth_test)
    if auth is None:
        yield failed(
            f"Slack rejected SLACK_BOT_TOKEN ({error}): copy the Bot User OAuth Token again from the app's "
            "OAuth & Permissions page."
        )
    else:
        bot_name = str(auth.get("user") or "the bot")
        yield passed(f"Slack accepts the bot token (@{bot_name} in {auth.get('team') or 'the workspace'})")
        if scopes is not None:
            yield _scopes(auth, scopes, scopes_from)
    yield from _mode_secret(client, settings, mode)
    if auth is None:
        return  # every other question would be refused for the same token
    for name, channel in (("TRIAGE_CHANNEL", settings.triage_channel), ("DIGEST_CHANNEL", settings.digest_channel)):
        if channel:
            yield _membership(client, name, channel, bot_name)
    if settings.complaints_lead:
        yield _lead(client, settings.complaints_lead)


def _scopes(auth: SlackResponse, wanted: frozenset[str], wanted_by: str) -> Result:
    headers = {k.lower(): v for k, v in (auth.headers or {}).items()}
    if "x-oauth-scopes" not in headers:
        return failed(
            "Slack's answer did not list the bot token's scopes (the x-oauth-scopes header): if SLACK_API_URL "
            "goes through a proxy, let it pass that header."
        )
    granted = {s.strip() for s in str(headers["x-oauth-scopes"]).split(",") if s.strip()}
    missing = sorted(wanted - granted)
    if missing:
        some = len(missing) > 1
        return failed(
            f"the bot token lacks the scope{'s' if some else ''} {', '.join(missing)}, asked for by {wanted_by}: "
            f"add {'them' if some else 'it'} under OAuth & Permissions → Bot Token Scopes (or update the app from "
            "the manifest), reinstall the app to the workspace, and copy the new Bot User OAuth Token to "
            "SLACK_BOT_TOKEN."
        )
    return passed(f"the bot token has every scope asked for by {wanted_by}")


def _mode_secret(client: WebClient, settings: Settings, mode: Mode) -> Iterable[Result]:
    """Socket Mode: Slack opens a connection for the app token (the URL is asked for, never used).
    HTTP mode: the signing secret is set."""
    if mode == "socket":
        opened, error = _ask(client.apps_connections_open, app_token=settings.slack_app_token or "")
        if opened is None:
            yield failed(
                f"Slack refused the Socket Mode connection ({error}): SLACK_APP_TOKEN must be an app-level token "
                "with the connections:write scope, and Socket Mode must be on in the app's settings."
            )
        else:
            yield passed("Slack opens Socket Mode connections for the app token")
    elif mode == "http":
        if settings.slack_signing_secret:
            yield passed("SLACK_SIGNING_SECRET is set (HTTP mode)")
        else:
            yield failed("SLACK_SIGNING_SECRET is missing: set it to the Signing Secret from Basic Information.")


def _membership(client: WebClient, name: str, channel: str, bot_name: str) -> Result:
    answer, error = _ask(client.conversations_info, channel=channel)
    invite = f"invite the bot with /invite @{bot_name} to"
    if answer is None:
        if error in ("channel_not_found", "not_in_channel"):
            return failed(
                f"the bot cannot see {name} {channel} ({error}): {invite} that channel (a private channel is "
                "invisible until then), or correct the id (channel details → About → Channel ID)."
            )
        return failed(f"Slack would not describe {name} {channel} ({error}): check the id and the bot's scopes.")
    info = answer.get("channel") or {}
    label = f"#{info['name']}" if info.get("name") else channel
    if info.get("is_archived"):
        return failed(f"{name} {channel} ({label}) is archived: unarchive it, or set {name} to another channel.")
    if not info.get("is_member"):
        return failed(f"the bot is not a member of {name} {channel}: {invite} {label}.")
    return passed(f"the bot is a member of {name} {channel} ({label})")


def _lead(client: WebClient, lead: str) -> Result:
    if lead.startswith("S"):
        return _lead_group(client, lead)
    answer, error = _ask(client.users_info, user=lead)
    if answer is None:
        return failed(
            f"COMPLAINTS_LEAD {lead} is not a user Slack knows ({error}): set it to the lead's member id "
            "(their profile → ⋮ → Copy member ID), or leave it empty."
        )
    user = answer.get("user") or {}
    if user.get("deleted"):
        return failed(f"COMPLAINTS_LEAD {lead} is a deactivated account: set it to someone who is still here.")
    return passed(f"COMPLAINTS_LEAD {lead} is @{user.get('name') or lead}")


def _lead_group(client: WebClient, lead: str) -> Result:
    answer, error = _ask(client.usergroups_list)
    if answer is None:
        return failed(
            f"COMPLAINTS_LEAD {lead} could not be looked up among the workspace's user groups ({error}): "
            "the bot token needs the usergroups:read scope the manifests ask for."
        )
    group = next((g for g in answer.get("usergroups") or [] if g.get("id") == lead), None)
    if group is None or group.get("date_delete"):
        return failed(
            f"COMPLAINTS_LEAD {lead} is not a user group of this workspace (or it is disabled): set it to the "
            "group's id (the group's page → ⋮ → Copy group ID), a member id, or leave it empty."
        )
    return passed(f"COMPLAINTS_LEAD {lead} is the user group @{group.get('handle') or lead}")


def database_checks(engine: Any, database: str, *, migrated: bool) -> list[Result]:
    """The database reachable and, with `migrated`, its schema at this version's head. Writes nothing."""
    from sqlalchemy import text

    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        if not migrated:
            return [passed(f"the database {database} is reachable")]
        from storage.migrate import current_revision, head_revision

        revision = current_revision(engine)
    except Exception as e:
        return [
            failed(
                f"the database {database} cannot be reached ({e.__class__.__name__}: {e}): check DATABASE_URL and "
                "that the database server is running."
            )
        ]
    head = head_revision()
    if revision == head:
        return [passed(f"the database {database} is reachable, its schema at {revision}")]
    found = f"its schema is at {revision}" if revision else "it has no schema yet"
    return [
        failed(
            f"the database {database} is reachable but {found}, not at this version's {head}: "
            "run `complaint-bot migrate` (run and serve also migrate when they start)."
        )
    ]


def default_manifests() -> list[Path]:
    """Each mode's manifest in the current folder (a firm's edited copy), else the one shipped."""
    return [Path(name) if Path(name).is_file() else REPOSITORY / name for name in MANIFESTS.values()]


def read_manifests(paths: list[Path]) -> tuple[dict[Path, ManifestSurfaces], list[Result]]:
    """The manifests that could be read, and a failure for each that could not."""
    from handlers.manifest import read_manifest

    found: dict[Path, ManifestSurfaces] = {}
    problems: list[Result] = []
    for path in paths:
        if not path.is_file():
            problems.append(failed(f"{path} not found: give the app manifest's path with --manifest PATH."))
            continue
        try:
            found[path] = read_manifest(path)
        except Exception as e:  # a YAML error, or a shape that is not a manifest
            problems.append(failed(f"{path} is not a readable app manifest ({e.__class__.__name__}): {e}"))
    return found, problems


def manifest_checks(manifests: dict[Path, ManifestSurfaces], listening: Listening) -> list[Result]:
    from handlers.manifest import compare

    results = []
    for path, manifest in manifests.items():
        problems = compare(manifest, listening, name=str(path))
        results += [failed(p) for p in problems] or [passed(f"{path} and the bot's listeners agree")]
    return results


def required_scopes(manifests: dict[Path, ManifestSurfaces]) -> tuple[frozenset[str] | None, str]:
    """The scopes the manifests ask for (None with no manifest), and which manifests ask."""
    if not manifests:
        return None, "no manifest"
    return frozenset().union(*(m.scopes for m in manifests.values())), " and ".join(str(p) for p in manifests)


def preflight(settings: Settings, *, mode: Mode) -> list[Result]:
    """What `run` and `serve` check before anything else: Slack as `check` asks it, and the database
    reachable (its schema is theirs to migrate). Raises StartRefused naming each failure."""
    from storage.db import make_engine

    # The scopes of the manifest shipped for the mode (not compared if the bot was installed without it).
    shipped, _ = read_manifests([REPOSITORY / MANIFESTS[mode]])
    scopes, _ = required_scopes(shipped)
    results = slack_checks(settings, mode=mode, scopes=scopes, scopes_from=MANIFESTS[mode])
    engine = make_engine(settings.database_url)
    try:
        results += database_checks(engine, safe_url(settings.database_url), migrated=False)
    finally:
        engine.dispose()
    failures = [r for r in results if not r.ok]
    if failures:
        raise StartRefused(failures)
    return results


def safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
