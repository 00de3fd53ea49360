"""The two app manifests: manifest.yml for Socket Mode, manifest.http.yml for HTTP mode."""

from __future__ import annotations

from pathlib import Path

import yaml

from handlers.manifest import read_manifest

ROOT = Path(__file__).resolve().parents[2]  # the repository
REQUEST_URL = "https://complaints.example.com/slack/events"


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def without_mode(manifest: dict) -> tuple[dict, bool, list[str]]:
    """The manifest less its socket-mode flag and request URLs; the flag; the URLs taken out."""
    urls = []
    for command in manifest["features"]["slash_commands"]:
        if "url" in command:
            urls.append(command.pop("url"))
    for part in ("event_subscriptions", "interactivity"):
        if "request_url" in manifest["settings"][part]:
            urls.append(manifest["settings"][part].pop("request_url"))
    return manifest, manifest["settings"].pop("socket_mode_enabled"), urls


def test_the_two_manifests_differ_only_in_the_socket_mode_flag_and_the_request_urls():
    socket_mode, socket_flag, socket_urls = without_mode(load("manifest.yml"))
    http_mode, http_flag, http_urls = without_mode(load("manifest.http.yml"))
    assert (socket_flag, http_flag) == (True, False)
    assert socket_urls == []  # Socket Mode needs no public URL
    # events, interactivity and the three slash commands go to the one request URL
    assert http_urls == [REQUEST_URL] * 5
    assert socket_mode == http_mode


def test_read_manifest_gives_the_bot_scopes_asked_for():
    assert read_manifest(ROOT / "manifest.http.yml").scopes == {
        "commands",
        "chat:write",
        "im:write",
        "users:read",
        "channels:read",
        "groups:read",
        "files:write",
        "usergroups:read",
    }
