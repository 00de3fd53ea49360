"""Reading manifest.yml and comparing it with the listeners the app registers."""

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


def read_manifest(path: str | Path) -> ManifestSurfaces:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    features = data.get("features") or {}
    subscriptions = (data.get("settings") or {}).get("event_subscriptions") or {}
    return ManifestSurfaces(
        commands={c["command"] for c in features.get("slash_commands") or []},
        shortcuts={s["callback_id"] for s in features.get("shortcuts") or []},
        events=set(subscriptions.get("bot_events") or []),
    )


def compare(manifest: ManifestSurfaces, listening: Listening) -> list[str]:
    """Every disagreement between the manifest and the registered listeners, as sentences."""
    problems = []
    for label, declared, registered in (
        ("slash command", manifest.commands, listening.commands),
        ("shortcut callback", manifest.shortcuts, listening.shortcuts),
        ("event", manifest.events, listening.events),
    ):
        for name in sorted(declared - registered):
            problems.append(f"manifest.yml declares the {label} {name} but the bot has no listener for it")
        for name in sorted(registered - declared):
            problems.append(f"the bot listens for the {label} {name} but manifest.yml does not declare it")
    return problems
