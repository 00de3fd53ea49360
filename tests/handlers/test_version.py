"""`complaint-bot --version`: the version the package was installed as (pyproject.toml's)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.factories import run

ROOT = Path(__file__).resolve().parents[2]


def test_version_is_the_one_in_pyproject(tmp_path):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    result = run(["--version"], {}, tmp_path)
    assert result.returncode == 0 and result.stdout == f"complaint-bot {version}\n"
