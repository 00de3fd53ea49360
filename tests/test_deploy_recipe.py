"""deploy/: what can be checked of the container and service recipes without a container engine or systemd.

There is no container engine where these tests run, so the image is never built here: these tests
read the Dockerfile, the compose file and the systemd units, and run each command they start as
`complaint-bot <command> --help`, so a unit or an image cannot start a subcommand or a flag the
bot does not have. (nginx itself is run in tests/end_to_end/test_nginx_recipe.py.)
"""

from __future__ import annotations

import configparser
import json
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.factories import BIN

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
CONSOLE_SCRIPT = "complaint-bot"
UNITS = {"complaint-bot.service": "serve", "complaint-bot-socket.service": "run"}


def assert_is_a_command_of_the_bot(args: list[str]) -> None:
    """`args` (after `complaint-bot`) name a subcommand the bot has, with flags it takes and values it accepts."""
    assert args, "no subcommand"
    shown = subprocess.run([str(BIN), *args, "--help"], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, f"complaint-bot {shlex.join(args)} is refused:\n{shown.stderr}"
    assert shown.stdout.startswith(f"usage: complaint-bot {args[0]} "), shown.stdout
    # argparse stops at --help before it would refuse a flag it does not know: look for each one.
    for flag in (a.split("=", 1)[0] for a in args if a.startswith("--")):
        assert re.search(rf"^\s+{re.escape(flag)}\b", shown.stdout, re.MULTILINE), (
            f"complaint-bot {args[0]} has no {flag}:\n{shown.stdout}"
        )


def test_the_check_itself_refuses_a_subcommand_or_a_flag_the_bot_does_not_have():
    assert_is_a_command_of_the_bot(["serve", "--host", "127.0.0.1"])
    for wrong in (["serve", "--hots", "127.0.0.1"], ["serve", "--port", "http"], ["server"]):
        with pytest.raises(AssertionError):
            assert_is_a_command_of_the_bot(wrong)


def _console_scripts() -> dict[str, str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]


def _dockerfile() -> dict[str, list[str]]:
    """Each instruction's lines (continuations joined), by instruction."""
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text())
    instructions: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            word, _, rest = line.strip().partition(" ")
            instructions.setdefault(word.upper(), []).append(rest.strip())
    return instructions


def test_the_image_runs_the_console_script_as_its_entry_point_and_serves_by_default():
    docker = _dockerfile()
    assert docker["FROM"] == ["python:3.11-slim"]
    [entrypoint] = docker["ENTRYPOINT"]
    assert json.loads(entrypoint) == [CONSOLE_SCRIPT] and CONSOLE_SCRIPT in _console_scripts()
    [cmd] = docker["CMD"]
    assert json.loads(cmd) == ["serve", "--host", "0.0.0.0"]
    assert_is_a_command_of_the_bot(json.loads(cmd))


def test_the_image_installs_the_bot_without_the_test_extra_and_runs_as_a_user_of_its_own():
    docker = _dockerfile()
    installs = [line for line in docker["RUN"] if "pip install" in line]
    assert installs == ["pip install ."], installs
    assert docker["USER"] == ["complaint-bot"]
    assert any("useradd --system" in line for line in docker["RUN"])
    # Everything the package is built from is in the image.
    copied = " ".join(docker["COPY"])
    for needed in ("pyproject.toml", "README.md", "bot", "handlers", "storage"):
        assert re.search(rf"(^|\s|\./){re.escape(needed)}(\s|$)", copied), needed
    for package in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"][
        "include"
    ]:
        assert package.rstrip("*") in copied


def test_the_image_checks_its_health_at_healthz():
    [healthcheck] = _dockerfile()["HEALTHCHECK"]
    assert "CMD" in healthcheck and "/healthz" in healthcheck


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yml").read_text())


def test_the_compose_proxy_mounts_the_shipped_nginx_configuration_and_the_certificates_where_it_looks():
    services = _compose()["services"]
    proxy = services["proxy"]
    assert proxy["image"].startswith("nginx")
    mounts = dict(volume.split(":", 2)[:2] for volume in proxy["volumes"])
    [conf_target] = [
        target
        for source, target in mounts.items()
        if (DEPLOY / source).resolve() == DEPLOY / "nginx" / "complaint-bot.conf"
    ]
    assert conf_target.startswith("/etc/nginx/conf.d/") and conf_target.endswith(".conf")
    conf = (DEPLOY / "nginx" / "complaint-bot.conf").read_text()
    cert_folders = {Path(p).parent.as_posix() for p in re.findall(r"ssl_certificate(?:_key)? +(\S+);", conf)}
    assert cert_folders == {"/etc/ssl/complaint-bot"}
    assert "/etc/ssl/complaint-bot" in mounts.values()
    # The shipped upstream is loopback: nginx shares the bot's network, where `serve` listens on loopback.
    assert "server 127.0.0.1:3000;" in conf
    assert proxy["network_mode"] == "service:bot"


def test_the_compose_bot_is_built_from_the_dockerfile_and_serves_on_loopback_against_postgresql():
    compose = _compose()
    bot = compose["services"]["bot"]
    assert (DEPLOY / bot["build"]["context"] / bot["build"]["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    assert bot["command"] == ["serve", "--host", "127.0.0.1"]
    assert_is_a_command_of_the_bot(bot["command"])
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
    postgres = compose["services"]["postgres"]
    assert postgres["image"] == "postgres:16"
    [data] = postgres["volumes"]
    volume, target = data.split(":")
    assert volume in compose["volumes"] and target == "/var/lib/postgresql/data"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read_string((DEPLOY / "systemd" / name).read_text())
    return parser


@pytest.mark.parametrize("name", UNITS)
def test_each_systemd_unit_starts_a_command_the_bot_has(name):
    exec_start = shlex.split(_unit(name)["Service"]["ExecStart"])
    assert Path(exec_start[0]).name == CONSOLE_SCRIPT and Path(exec_start[0]).is_absolute()
    assert exec_start[1] == UNITS[name]
    assert_is_a_command_of_the_bot(exec_start[1:])


def test_the_http_unit_binds_serve_to_loopback_where_the_shipped_nginx_looks_for_it():
    args = shlex.split(_unit("complaint-bot.service")["Service"]["ExecStart"])[1:]
    assert args[args.index("--host") + 1] == "127.0.0.1"
    assert "--port" not in args  # the default, 3000, as the nginx upstream says
    assert "server 127.0.0.1:3000;" in (DEPLOY / "nginx" / "complaint-bot.conf").read_text()


@pytest.mark.parametrize("name", UNITS)
def test_each_systemd_unit_runs_as_its_own_user_stops_cleanly_and_writes_only_its_data_folder(name):
    service = _unit(name)["Service"]
    assert service["User"] == "complaint-bot"
    assert service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM"
    assert service["TimeoutStopSec"] == "15"
    assert service["NoNewPrivileges"] == "true"
    assert service["ProtectSystem"] == "strict"
    assert Path(service["EnvironmentFile"]).is_absolute()
    assert service["WorkingDirectory"] in service["ReadWritePaths"].split()


@pytest.mark.parametrize("name", UNITS)
def test_systemd_reads_each_unit_without_a_warning(name, tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed: the units are checked by the tests above only")
    # The unit as shipped, but starting this checkout's complaint-bot (systemd checks that it exists).
    unit = tmp_path / name
    exec_start = shlex.split(_unit(name)["Service"]["ExecStart"])[0]
    unit.write_text((DEPLOY / "systemd" / name).read_text().replace(exec_start, str(BIN)))
    verified = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert verified.returncode == 0 and verified.stdout + verified.stderr == "", verified.stdout + verified.stderr
