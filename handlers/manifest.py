"""Reading the app manifests (manifest.yml, manifest.http.yml) and comparing them with the
listeners the app registers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from handlers.listening import Listening


@dataclass(frozen=True)
class ManifestSurfaces:
    commands: set[str]
    shortcuts: set[str]
    events: set[str]
    # The bot token scopes the manifest asks for (oauth_config.scopes.bot).
    scopes: frozenset[str] = frozenset()


def read_manifest(path: str | Path) -> ManifestSurfaces:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    features = data.get("features") or {}
    subscriptions = (data.get("settings") or {}).get("event_subscriptions") or {}
    return ManifestSurfaces(
        commands={c["command"] for c in features.get("slash_commands") or []},
        shortcuts={s["callback_id"] for s in features.get("shortcuts") or []},
        events=set(subscriptions.get("bot_events") or []),
        scopes=frozenset(((data.get("oauth_config") or {}).get("scopes") or {}).get("bot") or []),
    )


def compare(manifest: ManifestSurfaces, listening: Listening, *, name: str = "manifest.yml") -> list[str]:
    """Every disagreement between the manifest and the registered listeners, as sentences."""
    problems = []
    for label, declared, registered in (
        ("slash command", manifest.commands, listening.commands),
        ("shortcut callback", manifest.shortcuts, listening.shortcuts),
        ("event", manifest.events, listening.events),
    ):
        for item in sorted(declared - registered):
            problems.append(f"{name} declares the {label} {item} but the bot has no listener for it")
        for item in sorted(registered - declared):
            problems.append(f"the bot listens for the {label} {item} but {name} does not declare it")
    return problems
