"""The Makefile: every target it lists has a rule, and `make run` installs only what the bot needs.

`make -n -B` prints what a target would do from scratch (every prerequisite remade, nothing run),
so these tests do not depend on the state of the checkout's .venv.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import SLACK_VARS
from tests.slack_double import SlackDouble

ROOT = Path(__file__).resolve().parent.parent
MAKEFILE = (ROOT / "Makefile").read_text()
PHONY = re.search(r"^\.PHONY:(.*)$", MAKEFILE, re.MULTILINE).group(1).split()  # type: ignore[union-attr]
TEST_EXTRA = "[test]"


def dry_run(target: str) -> str:
    done = subprocess.run(["make", "-n", "-B", "-C", str(ROOT), target], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"make -n {target}: {done.stderr}"
    return done.stdout


def test_the_makefile_lists_the_two_commands_of_the_readme_and_more():
    assert {"run", "test", "install", "check", "sweep", "clean"} <= set(PHONY)


@pytest.mark.parametrize("target", PHONY)
def test_every_listed_target_has_a_rule_that_does_something(target):
    # A listed target with no rule is "Nothing to be done" for make, and exit 0: look for the rule.
    assert re.search(rf"^{re.escape(target)}:", MAKEFILE, re.MULTILINE), f"{target} is in .PHONY but has no rule"
    assert dry_run(target).strip(), f"make {target} does nothing"


@pytest.mark.parametrize("target", ["run", "check", "sweep"])
def test_the_bots_own_targets_install_the_bot_without_the_test_extra(target):
    commands = dry_run(target)
    assert re.search(r"pip install .*-e \.$", commands, re.MULTILINE), commands
    assert TEST_EXTRA not in commands


@pytest.mark.parametrize("target", ["test", "lint", "install"])
def test_the_test_targets_install_the_test_extra(target):
    assert TEST_EXTRA in dry_run(target)


def test_make_test_first_makes_sure_nginx_is_there_for_the_deploy_recipe():
    assert "command -v nginx" in dry_run("test")


def test_make_sweep_runs_the_sweep(tmp_path):
    """For real, with this interpreter's environment (nothing installed) and the Slack double."""
    bin_dir = Path(sys.executable).parent
    with SlackDouble() as double:
        env = {
            **{k: v for k, v in os.environ.items() if k not in SLACK_VARS},
            "SLACK_BOT_TOKEN": "xoxb-t",
            "TRIAGE_CHANNEL": "CTRIAGE01",
            "SLACK_API_URL": double.url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'complaints.db'}",
        }
        # -o: take the install stamp as made; BIN: this interpreter's folder.
        done = subprocess.run(
            ["make", "-C", str(ROOT), f"BIN={bin_dir}", "-o", ".venv/.installed", "sweep"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{bin_dir}/complaint-bot sweep" in done.stdout
    assert "0 sent" in done.stdout
    assert (tmp_path / "complaints.db").exists()  # the sweep migrated the store it was given
