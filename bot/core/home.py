"""COMPLAINTS_HOME: the one folder holding `.env` and the default SQLite file, so that every command
(the bot, `sweep` from cron, an export) reaches the same store from whatever folder it runs in.
Relative paths in the settings (a SQLite file, a letter template) are taken there too.

Unset, it is the checkout the bot was installed from (`make run` installs it editable, so the
package's own files are in the checkout, beside `.env.example`), and for an installation that is
not a checkout (a wheel, a container image) the user data folder `~/.local/share/complaint-bot`.
Never the current folder: a cron job's folder is not the bot's.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.engine import make_url

VARIABLE = "COMPLAINTS_HOME"
DATABASE_FILE = "complaints.db"
DOTENV_FILE = ".env"
_PROJECT = 'name = "complaint-bot"'


def checkout() -> Path | None:
    """The checkout this package runs from, or None when it is installed elsewhere."""
    root = Path(__file__).resolve().parents[2]
    project = root / "pyproject.toml"
    try:
        return root if _PROJECT in project.read_text(encoding="utf-8") else None
    except OSError:
        return None


def default_home(environ: Mapping[str, str]) -> Path:
    data = environ.get("XDG_DATA_HOME", "").strip()
    return checkout() or (Path(data) if data.startswith("/") else Path.home() / ".local" / "share") / "complaint-bot"


def problem(environ: Mapping[str, str]) -> str | None:
    """A sentence saying what is wrong with COMPLAINTS_HOME as set, or None."""
    raw = environ.get(VARIABLE, "").strip()
    if not raw:
        return None
    if not Path(raw).expanduser().is_absolute():
        return (
            f"{VARIABLE} must be an absolute path (the folder holding .env and {DATABASE_FILE}), "
            f"so that a command run from any folder finds it; got {raw!r}."
        )
    if not Path(raw).expanduser().is_dir():
        return (
            f"{VARIABLE} is {raw!r}, which is not a folder: create it, or set it to the folder "
            f"holding .env and {DATABASE_FILE}."
        )
    return None


def complaints_home(environ: Mapping[str, str]) -> Path:
    """The folder; COMPLAINTS_HOME as set (see `problem`), else the default."""
    raw = environ.get(VARIABLE, "").strip()
    return Path(raw).expanduser() if raw else default_home(environ)


def load_dotenv(dotenv_path: str | Path = DOTENV_FILE) -> Mapping[str, str]:
    """The process's environment after reading `.env` from COMPLAINTS_HOME (a relative `dotenv_path`
    is taken there, an absolute one as it is); what the environment already says wins."""
    path = Path(dotenv_path)
    if not path.is_absolute():
        if problem(os.environ):
            return os.environ  # the settings report it; no .env from some other folder meanwhile
        path = complaints_home(os.environ) / path
    if path.is_file():
        from dotenv import load_dotenv as read

        read(path, override=False)
    return os.environ


def path(text: str | None, environ: Mapping[str, str]) -> str | None:
    """A file named in the settings (a letter template): a relative one is taken in COMPLAINTS_HOME,
    beside the `.env` that names it."""
    if not text or Path(text).expanduser().is_absolute():
        return text
    return str(complaints_home(environ) / text)


def database_url(url: str, environ: Mapping[str, str]) -> str:
    """`url` with a relative SQLite file (the default `sqlite:///complaints.db` included) taken in
    COMPLAINTS_HOME; any other URL as it is."""
    parsed = make_url(url)
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:" or name.startswith("file:"):
        return url
    path = Path(name).expanduser()
    if path.is_absolute():
        return url
    return parsed.set(database=str(complaints_home(environ) / path)).render_as_string(hide_password=False)
