"""`complaint-bot`: run, serve, migrate, check, sweep, digest, purge, export, import, import-matters, report, backup, restore."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO, TypeVar

from bot.core import home
from bot.core.config import Mode, Settings, SettingsError, is_placeholder, load_settings
from bot.core.text import whole_number
from handlers import logs
from handlers.checks import StartRefused

# An import's report (the register's or the matters'): what it read, and each row it rejected.
Imported = TypeVar("Imported", bound=Any)

EXIT_SETTINGS = 2  # settings missing or malformed, or a start-up check failed (run, serve)
EXIT_UNREACHABLE = 3  # Slack could not be reached (check, run, serve): the network's, not the settings'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="complaint-bot", description="Client complaints, handled by the book, in Slack."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser("run", help="start the bot in Socket Mode (no public URL needed)")
    run.add_argument(
        "--connect-within",
        type=_seconds,
        default=60.0,
        metavar="SECONDS",
        help="give up, exiting 3, if Slack cannot be reached in Socket Mode within this time (default 60)",
    )
    serve = sub.add_parser("serve", help="start the bot in HTTP mode on gunicorn")
    serve.add_argument("--port", type=_port, help="port to listen on (default: PORT, 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="address to bind (default 0.0.0.0)")
    serve.add_argument("--workers", type=_positive, default=1, help="gunicorn worker processes (default 1)")
    serve.add_argument(
        "--read-timeout",
        type=_seconds,
        metavar="SECONDS",
        help="answer 408 to a request whose body has not arrived whole in this time (default 10)",
    )
    sub.add_parser("migrate", help="upgrade the database schema to the latest version")
    check = sub.add_parser("check", help="check settings, Slack (tokens, scopes, channels), database and manifests")
    check.add_argument(
        "--manifest",
        action="append",
        type=Path,
        help="path of an app manifest, once per manifest (default: manifest.yml and manifest.http.yml, "
        "from the current folder if there, else the bot's own)",
    )
    sweep = sub.add_parser("sweep", help="send what is due now, once, and print it")
    sweep.add_argument("--dry-run", action="store_true", help="print what would be sent; send nothing")
    digest = sub.add_parser("digest", help="print the weekly digest, or post it now")
    digest.add_argument("--week", type=_week, help="the week to report, e.g. 2026-W47 (default: the last full week)")
    how = digest.add_mutually_exclusive_group()
    how.add_argument("--print", action="store_true", help="print it in the terminal (the default)")
    how.add_argument("--post", action="store_true", help="post it to DIGEST_CHANNEL now, unless that week's was posted")
    purge = sub.add_parser("purge", help="remove personal details from records older than RETENTION_YEARS")
    purge.add_argument("--dry-run", action="store_true", help="list what is due for disposal; change nothing")
    export = sub.add_parser(
        "export", help="write the complaints register (CSV or JSON), or one complaint with its timeline"
    )
    export.add_argument("--format", type=_format, help="csv (the default) or json")
    export.add_argument("--from", dest="received_from", type=_date, help="first day received, YYYY-MM-DD (inclusive)")
    export.add_argument("--to", dest="received_to", type=_date, help="last day received, YYYY-MM-DD (inclusive)")
    export.add_argument("--out", type=Path, help="write to this file, whole or not at all (default: standard output)")
    export.add_argument(
        "--disclosures", action="store_true", help="the disclosures register instead (by day disclosed)"
    )
    export.add_argument(
        "--ref", type=_complaint_ref, help="one complaint as JSON with its timeline, e.g. CMP-2026-0001"
    )
    import_ = sub.add_parser("import", help="bring in a complaints register kept in a spreadsheet (CSV)")
    import_.add_argument("file", type=Path, help="the CSV file; columns as in README.md, Export and import")
    import_.add_argument(
        "--dry-run", action="store_true", help="report every row that would be rejected; write nothing"
    )
    import_matters = sub.add_parser("import-matters", help="bring in the firm's open matters (CSV), all or nothing")
    import_matters.add_argument("file", type=Path, help="the CSV file; columns as in README.md, Matters")
    import_matters.add_argument(
        "--dry-run", action="store_true", help="report every row that would be rejected; write nothing"
    )
    report = sub.add_parser("report", help="print a return: the FCA complaints return, or a summary")
    kinds = report.add_subparsers(dest="report", required=True, metavar="RETURN")
    fca = kinds.add_parser("fca-return", help="the FCA complaints return (DISP 1 Annex 1R) by product group")
    fca.add_argument("--period", help="a half year: 2026H1 (1 Jan-30 Jun) or 2026H2 (1 Jul-31 Dec)")
    summary = kinds.add_parser("summary", help="counts, time to close, redress and referrals over a period")
    for kind in (fca, summary):
        kind.add_argument("--from", dest="first", type=_date, help="first day, YYYY-MM-DD (inclusive)")
        kind.add_argument("--to", dest="last", type=_date, help="last day, YYYY-MM-DD (inclusive)")
        kind.add_argument("--out", type=Path, help="also write the CSV to this file, whole or not at all")
        kind.add_argument("--csv", action="store_true", help="print the CSV instead of the table")
    backup = sub.add_parser("backup", help="copy the SQLite database to FILE, safely while the bot runs")
    backup.add_argument("file", type=Path, help="the backup file to write (it must not exist yet)")
    restore = sub.add_parser("restore", help="put a backup in place as the database (which must not exist yet)")
    restore.add_argument("file", type=Path, help="a file `complaint-bot backup` wrote")
    args = parser.parse_args(argv)

    logs.configure(home.load_dotenv())
    try:
        return COMMANDS[args.command](args)
    except SettingsError as e:
        logs.refusal(str(e))
        return EXIT_SETTINGS
    except StartRefused as e:
        logs.refusal(str(e))
        return EXIT_UNREACHABLE if e.unreachable else EXIT_SETTINGS


def _port(text: str) -> int:
    port = whole_number(text)
    if port is None or not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number from 1 to 65535")
    return port


def _positive(text: str) -> int:
    number = whole_number(text)
    if number is None or number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return number


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0 and at most 3600")
    return value


def _week(text: str):
    from bot.digest.service import Week

    try:
        return Week.parse(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _date(text: str):
    from datetime import date

    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-23") from None


def _format(text: str) -> str:
    from bot.records.register import FORMATS

    if text.lower() not in FORMATS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a format the register is written in; use {' or '.join(FORMATS)}"
        )
    return text.lower()


def _complaint_ref(text: str) -> str:
    from bot.core.errors import UserError
    from bot.core.references import COMPLAINT, parse_reference

    try:
        return parse_reference(COMPLAINT, text)
    except UserError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _settings(mode: Mode) -> Settings:
    return load_settings(mode)


def _prepare(settings: Settings, mode: Mode):
    """The start-up checks, then the context and the schema at head: what both run modes need first.
    A failed check stops the start before anything is migrated, scheduled or sent."""
    from handlers.checks import preflight
    from handlers.runtime import build_context
    from storage.migrate import upgrade

    preflight(settings, mode=mode)
    ctx = build_context(settings)
    upgrade(ctx.engine)
    return ctx


def cmd_run(args) -> int:
    from bot.reminders.scheduler import start_scheduler
    from handlers import socket_mode
    from handlers.app import create_app
    from handlers.stopping import Signals

    signals = Signals().install()  # from here on, a stop is clean (handlers/stopping.py)
    settings = _settings("socket")
    ctx = _prepare(settings, "socket")
    app, _ = create_app(ctx)
    return socket_mode.run(
        ctx,
        app,
        app_token=settings.slack_app_token,
        signals=signals,
        start_scheduler=start_scheduler,
        connect_within_s=args.connect_within,
    )


def cmd_serve(args) -> int:
    from handlers import stopping
    from handlers.front import READ_TIMEOUT_S
    from handlers.gunicorn_app import serve

    signals = stopping.Signals().install()  # until gunicorn takes the signals over (handlers/stopping.py)
    settings = _settings("http")
    _prepare(settings, "http")
    if signals.received:
        return stopping.before_start(signals)
    return serve(
        settings,
        host=args.host,
        port=args.port or settings.port,
        workers=args.workers,
        read_timeout_s=args.read_timeout or READ_TIMEOUT_S,
    )


def cmd_migrate(args) -> int:
    from storage.db import make_engine
    from storage.migrate import current_revision, upgrade

    settings = _settings("cli")
    engine = make_engine(settings.database_url)
    upgrade(engine)
    print(f"Database schema is at revision {current_revision(engine)} ({_safe_url(settings.database_url)}).")
    return 0


def cmd_check(args) -> int:
    from bot.rulebooks.describe import rulebook_lines
    from handlers import checks
    from handlers.app import create_app
    from handlers.runtime import build_context

    mode: Mode = "socket" if _env_has("SLACK_APP_TOKEN") else "http"
    settings = _settings(mode)
    manifests, unreadable = checks.read_manifests(args.manifest or checks.default_manifests())
    scopes, scopes_from = checks.required_scopes(manifests)
    results = [checks.passed(f"settings ({'Socket Mode' if mode == 'socket' else 'HTTP mode'})")]
    results += checks.slack_checks(settings, mode=mode, scopes=scopes, scopes_from=scopes_from)
    ctx = build_context(settings)
    results += checks.database_checks(ctx.engine, _safe_url(settings.database_url), migrated=True)
    results += unreadable + checks.manifest_checks(manifests, create_app(ctx)[1])
    for result in results:
        print(result.line)
    print("The rulebook in force:")
    for line in rulebook_lines(settings, ctx.policy, ctx.today()):
        print(f"     {line}")
    if any(r.unreachable for r in results):
        return EXIT_UNREACHABLE
    return 0 if all(r.ok for r in results) else 1


def cmd_sweep(args) -> int:
    from bot.reminders.sweep import preview, sweep
    from handlers.runtime import build_context
    from storage.migrate import upgrade

    settings = _settings("preview" if args.dry_run else "sweep")
    ctx = build_context(settings)
    if args.dry_run:
        # A dry run writes nothing, not even a schema upgrade: it may run on a copy of a real store.
        from storage.migrate import current_revision, head_revision

        if current_revision(ctx.engine) != head_revision():
            print(
                "The database schema is not at the latest revision: run `complaint-bot migrate` first.", file=sys.stderr
            )
            return 1
    else:
        upgrade(ctx.engine)
    if args.dry_run:
        items = preview(ctx)
        for item in items:
            print(f"would send  {item}")
        print(f"{len(items)} message(s) would be sent. Nothing was sent or recorded.")
        return 0
    report = sweep(ctx)
    for d in report.deliveries:
        print(f"{'sent' if d.sent else 'FAILED'}  {d.dedupe_key} → {d.channel}" + (f"  ({d.error})" if d.error else ""))
    print(f"{len(report.sent)} sent, {len(report.failed)} failed (failures are retried by later sweeps).")
    return 0 if not report.failed else 1


def cmd_digest(args) -> int:
    from bot.digest import recording as digest_recording
    from bot.digest import service as digest
    from handlers.runtime import build_context
    from storage.migrate import current_revision, head_revision, upgrade

    settings = _settings("digest" if args.post else "cli")
    ctx = build_context(settings)
    now = ctx.clock.now()
    week = args.week or digest.last_full_week(now, ctx.tz)
    if week.start(ctx.tz) > now:
        print(f"Week {week.label} has not begun yet.", file=sys.stderr)
        return 1
    if args.post and week.end(ctx.tz) > now:
        # Posting it now would stand for the whole week, and the scheduled digest would not follow.
        print(
            f"Week {week.label} is not over yet: `--print` shows it so far; it is posted once it is over.",
            file=sys.stderr,
        )
        return 1
    if not args.post:
        if current_revision(ctx.engine) != head_revision():
            print(
                "The database schema is not at the latest revision: run `complaint-bot migrate` first.", file=sys.stderr
            )
            return 1
        with ctx.session_factory() as session:
            print(
                digest.as_text(digest.compute_for(ctx, session, week, now=now, show_names=settings.digest_show_names)),
                end="",
            )
        return 0
    upgrade(ctx.engine)
    keys = digest_recording.record(ctx, week, now)
    # Recorded before but not yet sent (Slack failed): send it now rather than wait for a sweep.
    deliveries = ctx.deliver(keys or [digest.digest_key(week), digest.chart_key(week)])
    if not keys and not deliveries:
        print(f"The digest for {week.label} was posted before; nothing was sent.")
        return 0
    for d in deliveries:
        print(f"{'sent' if d.sent else 'FAILED'}  {d.dedupe_key} → {d.channel}" + (f"  ({d.error})" if d.error else ""))
    failed = [d for d in deliveries if not d.sent]
    if failed:
        print("What failed is retried by the bot's sweep.")
    return 1 if failed else 0


def cmd_purge(args) -> int:
    from bot.records import retention
    from handlers.runtime import build_context
    from storage.migrate import current_revision, head_revision, upgrade

    settings = _settings("cli")
    ctx = build_context(settings)
    now = ctx.clock.now()
    if args.dry_run:
        # A dry run writes nothing, not even a schema upgrade: it may run on a copy of a real store.
        if current_revision(ctx.engine) != head_revision():
            print(
                "The database schema is not at the latest revision: run `complaint-bot migrate` first.", file=sys.stderr
            )
            return 1
        with ctx.session_factory() as session:
            due = retention.due_for_purge(session=session, now=now, settings=settings)
            held = retention.held_back(session=session, now=now, settings=settings)
        for item in due:
            print(f"due  {item.reference}  {item.what} {item.day(ctx.tz).isoformat()}")
        print(
            f"{len(due)} record(s) due for disposal (RETENTION_YEARS={settings.retention_years}); "
            f"{held} held back by a legal hold. Nothing was changed."
        )
        return 0
    upgrade(ctx.engine)
    report = retention.purge(session_factory=ctx.session_factory, now=now, settings=settings)
    for reference in report.references:
        print(f"purged  {reference}")
    print(
        f"{report.count} record(s) purged: personal details removed, counts and dates kept; "
        f"{report.held_back} held back by a legal hold."
    )
    return 0


def _schema_at_head(engine) -> bool:
    from storage.migrate import current_revision, head_revision

    if current_revision(engine) != head_revision():
        print("The database schema is not at the latest revision: run `complaint-bot migrate` first.", file=sys.stderr)
        return False
    return True


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name and no passwd entry (some containers)
        return "unknown"


def cmd_export(args) -> int:
    from bot.core.errors import UserError
    from bot.records import register
    from handlers.runtime import build_context

    if args.received_from and args.received_to and args.received_from > args.received_to:
        print(
            f"--from {args.received_from} is after --to {args.received_to}: nothing could be in that range.",
            file=sys.stderr,
        )
        return 2
    if args.ref and (args.format == "csv" or args.received_from or args.received_to or args.disclosures):
        print(
            "--ref writes one complaint as JSON with its timeline; leave out --format csv, --from, --to and --disclosures.",
            file=sys.stderr,
        )
        return 2
    ctx = build_context(_settings("cli"))
    if not _schema_at_head(ctx.engine):
        return 1
    actor = register.cli_actor(_os_user())
    now = ctx.clock.now()
    try:
        with register.output(args.out, sys.stdout) as out:
            if args.ref:
                register.export_complaint(
                    session_factory=ctx.session_factory,
                    reference=args.ref,
                    out=out,
                    actor=actor,
                    now=now,
                    tz=ctx.tz,
                    currency=ctx.settings.currency,
                )
                what = f"{args.ref} with its timeline"
            else:
                count = register.export_register(
                    engine=ctx.engine,
                    session_factory=ctx.session_factory,
                    out=out,
                    fmt=args.format or "csv",
                    actor=actor,
                    now=now,
                    tz=ctx.tz,
                    received_from=args.received_from,
                    received_to=args.received_to,
                    disclosures=args.disclosures,
                    currency=ctx.settings.currency,
                )
                what = f"{count} {'disclosure' if args.disclosures else 'complaint'}(s)"
    except UserError as e:
        print(e, file=sys.stderr)
        return 1
    except BrokenPipeError:  # `… | head`: the reader left before the end, so no export is recorded
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush at exit
        return 1
    except OSError as e:
        print(f"The export could not be written: {e.strerror or e}.", file=sys.stderr)
        return 1
    # The data went to stdout; what was done goes to stderr, so a pipe gets the register alone.
    print(f"Exported {what}{f' to {args.out}' if args.out else ''}; recorded as an export by {actor}.", file=sys.stderr)
    return 0


def _import_context(args):
    """The context an import of `args.file` runs in; None (having said why) if there is no such
    file, or a dry run finds the schema behind."""
    from handlers.runtime import build_context
    from storage.migrate import upgrade

    path: Path = args.file
    if not path.is_file():
        print(f"{path}: there is no such file.", file=sys.stderr)
        return None
    ctx = build_context(_settings("cli"))
    if args.dry_run:
        # A dry run writes nothing, not even a schema upgrade: it may run on a copy of a real store.
        if not _schema_at_head(ctx.engine):
            return None
    else:
        upgrade(ctx.engine)
    return ctx


def cmd_import(args) -> int:
    from bot.records import register

    path: Path = args.file
    ctx = _import_context(args)
    if ctx is None:
        return 1
    report = _read_import(
        path,
        lambda source: register.import_register(
            session_factory=ctx.session_factory,
            source=source,
            file_name=path.name,
            actor=register.cli_actor(_os_user()),
            now=ctx.clock.now(),
            tz=ctx.tz,
            policy=ctx.policy,
            rulebook=ctx.settings.rulebook,
            dry_run=args.dry_run,
            root_causes=ctx.settings.root_causes,
            products=ctx.settings.product_groups,
            currency=ctx.settings.currency,
        ),
    )
    if report is None:
        return 1
    new = f"{report.new_references} new reference{'' if report.new_references == 1 else 's'}"
    if args.dry_run:
        if report.rejections:
            print(
                f"{report.rejected_rows} row(s) would be rejected, so nothing would be imported; {report.rows} row(s) are "
                "fine. Nothing was written (dry run)."
            )
            return 1
        print(f"{report.rows} complaints would be imported ({new}). Nothing was written (dry run).")
        return 0
    if report.rejections:
        print(
            f"{report.rejected_rows} row(s) rejected, so nothing was imported (an import is all or nothing): "
            "fix them and run it again; --dry-run checks without writing."
        )
        return 1
    print(f"{report.rows} complaints imported ({new}).")
    return 0


def _read_import(path: Path, read: Callable[[TextIO], Imported]) -> Imported | None:
    """`read` over the CSV at `path`, its rejections printed; None (said why) when it cannot be read.
    Bytes that are not UTF-8 come through as lone surrogates; the cells holding them are rejected."""
    try:
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as source:
            report = read(source)
    except OSError as e:
        print(f"{path} could not be read: {e.strerror or e}.", file=sys.stderr)
        return None
    for rejection in report.rejections:
        print(rejection)
    return report


def cmd_import_matters(args) -> int:
    from bot.matters.importing import import_matters
    from bot.records.register import cli_actor

    path: Path = args.file
    ctx = _import_context(args)
    if ctx is None:
        return 1
    report = _read_import(
        path,
        lambda source: import_matters(
            session_factory=ctx.session_factory,
            source=source,
            file_name=path.name,
            actor=cli_actor(_os_user()),
            now=ctx.clock.now(),
            tz=ctx.tz,
            areas=ctx.settings.product_groups,
            dry_run=args.dry_run,
            currency=ctx.settings.currency,
        ),
    )
    if report is None:
        return 1
    named = f"{report.set_up} named first by a complaint or a disclosure"
    if report.rejections:
        would = "would be" if args.dry_run else "were"
        print(
            f"{report.rejected_rows} row(s) rejected, so no matters {would} imported (an import is all or nothing); "
            f"{report.rows} row(s) are fine.{' Nothing was written (dry run).' if args.dry_run else ''}"
        )
        return 1
    if args.dry_run:
        print(f"{report.rows} matters would be imported ({named}). Nothing was written (dry run).")
        return 0
    print(f"{report.rows} matters imported ({named}).")
    return 0


def cmd_report(args) -> int:
    from bot.core.errors import UserError
    from bot.records import register, reporting
    from bot.records.returns import FCA_RETURN, Period
    from handlers.runtime import build_context

    try:
        if args.report == FCA_RETURN and getattr(args, "period", None):
            if args.first or args.last:
                raise UserError("Give either --period or --from and --to, not both.")
            period = Period.half(args.period)
        elif args.first and args.last:
            period = Period.between(args.first, args.last)
        else:
            raise UserError(
                "Say which period: --period 2026H1, or --from 2026-01-01 --to 2026-06-30."
                if args.report == FCA_RETURN
                else "Say which period: --from 2026-01-01 --to 2026-03-31."
            )
    except UserError as e:
        print(e, file=sys.stderr)
        return 2
    ctx = build_context(_settings("cli"))
    if not _schema_at_head(ctx.engine):
        return 1
    actor = register.cli_actor(_os_user())
    with ctx.read_session_factory() as session:
        report = reporting.build(ctx, session, args.report, period)
    try:
        if args.out:
            with register.output(args.out, sys.stdout) as out:
                report.write_csv(out)
    except (UserError, OSError) as e:
        print(f"The CSV could not be written: {getattr(e, 'strerror', None) or e}.", file=sys.stderr)
        return 1
    if args.csv:
        report.write_csv(sys.stdout)
    else:
        print(report.title)
        print(report.table(), end="")
    with ctx.session_factory.begin() as session:
        reporting.record_exported(
            session, report, actor=actor, at=ctx.clock.now(), to=str(args.out) if args.out else None
        )
    print(f"{len(report.rows)} row(s); recorded as an export by {actor}.", file=sys.stderr)
    return 0


def cmd_backup(args) -> int:
    from storage import backup

    settings = _settings("cli")
    advice = f"back it up with PostgreSQL's own tool, e.g.\n  {backup.pg_dump_line(settings.database_url, args.file)}"
    if not _on_the_sqlite_file(lambda: backup.backup(settings.database_url, args.file), postgresql=advice):
        return 1
    print(f"Backed up {_safe_url(settings.database_url)} to {args.file}.")
    return 0


def cmd_restore(args) -> int:
    from storage import backup
    from storage.db import make_engine
    from storage.migrate import current_revision

    settings = _settings("cli")
    advice = (
        "restore a pg_dump file with PostgreSQL's own tool, e.g.\n"
        f"  {backup.pg_restore_line(settings.database_url, args.file)}"
    )
    if not _on_the_sqlite_file(lambda: backup.restore(args.file, settings.database_url), postgresql=advice):
        return 1
    engine = make_engine(settings.database_url)
    revision = current_revision(engine)
    engine.dispose()
    print(
        f"Restored {args.file} as {_safe_url(settings.database_url)} (schema at revision {revision}; "
        "`run`, `serve` and `migrate` bring an older one up to date)."
    )
    return 0


def _on_the_sqlite_file(work, *, postgresql: str) -> bool:
    """Run `work` (a backup or a restore); False, with the reason on stderr, if it refused or the
    store is PostgreSQL (whose own tools do it: `postgresql` says how)."""
    from storage import backup

    try:
        work()
    except backup.NotSQLite:
        print(f"DATABASE_URL is a PostgreSQL database: {postgresql}", file=sys.stderr)
        return False
    except backup.BackupRefused as e:
        print(e, file=sys.stderr)
        return False
    return True


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("complaint-bot")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


def _env_has(name: str) -> bool:
    """Whether a setting is given: `main` has read COMPLAINTS_HOME's .env into the environment."""
    import os

    value = os.environ.get(name, "")
    return bool(value) and not is_placeholder(value)


def _safe_url(url: str) -> str:
    from handlers.checks import safe_url

    return safe_url(url)


COMMANDS = {
    "run": cmd_run,
    "serve": cmd_serve,
    "migrate": cmd_migrate,
    "check": cmd_check,
    "sweep": cmd_sweep,
    "digest": cmd_digest,
    "purge": cmd_purge,
    "export": cmd_export,
    "import": cmd_import,
    "import-matters": cmd_import_matters,
    "report": cmd_report,
    "backup": cmd_backup,
    "restore": cmd_restore,
}

if __name__ == "__main__":
    sys.exit(main())
