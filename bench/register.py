"""How long the register takes to export and to import, and the memory an export needs.

    .venv/bin/python bench/register.py [--export-sizes 100000,1000000] [--import-rows 100000] [--database-url URL]

Export: seeds each size (complaints over six years, a tenth open), then in a fresh process exports
the whole register as CSV and as JSON to a file, and reports the time, the rows, the file's size and
the process's peak resident size (before the export, and at the end). Streaming means the peak
should not grow with the size.
Import: writes a register of --import-rows rows (half with references, half without; a third
resolved, a third triaged, a third new), then in a fresh process checks it (a dry run) and imports
it into an empty store, timing both. Prints tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._seed import bench_url, fresh_store, peak_rss_mb, seed
from bot.core.config import Settings
from bot.core.vocabulary import Category, Outcome, ReceivedVia, Severity
from bot.records import register
from storage.db import make_engine, make_session_factory

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
TZ = ZoneInfo("Europe/London")


def measure_export(url: str, fmt: str, path: str) -> dict:
    """In a fresh process: export the whole register to `path`."""
    engine = make_engine(url)
    session_factory = make_session_factory(engine)
    before = peak_rss_mb()
    started = time.perf_counter()
    with register.output(Path(path), sys.stdout) as out:
        rows = register.export_register(
            engine=engine,
            session_factory=session_factory,
            out=out,
            fmt=fmt,  # type: ignore[arg-type]
            actor="cli:bench",
            now=NOW,
            tz=TZ,
        )
    seconds = time.perf_counter() - started
    return dict(seconds=seconds, rows=rows, mb=Path(path).stat().st_size / 2**20, rss_before=before, rss=peak_rss_mb())


def measure_import(url: str, path: str) -> dict:
    """In a fresh process: a dry run of the file, then the import, into an empty store."""
    engine = make_engine(url)
    session_factory = make_session_factory(engine)
    settings = Settings()
    policy = settings.policy()
    timings = {}
    for dry_run in (True, False):
        started = time.perf_counter()
        with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as source:
            report = register.import_register(
                session_factory=session_factory,
                source=source,
                file_name="bench.csv",
                actor="cli:bench",
                now=NOW,
                tz=TZ,
                policy=policy,
                rulebook=settings.rulebook,
                dry_run=dry_run,
            )
        timings["dry" if dry_run else "import"] = time.perf_counter() - started
        assert not report.rejections, report.rejections[:5]
    return dict(timings, rows=report.rows, new=report.new_references, rss=peak_rss_mb())


def write_register(path: Path, n: int, rng: random.Random) -> None:
    """A spreadsheet register of `n` rows, every column used, in the documented form."""
    header = [c.name for c in register.COLUMNS if c.imported]
    categories, vias = [c.value for c in Category], [v.value for v in ReceivedVia]
    severities, outcomes = [s.value for s in Severity], [o.value for o in Outcome]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        for i in range(n):
            received = NOW.date() - timedelta(days=rng.randint(1, 5 * 365))
            logged = datetime.combine(received, datetime.min.time(), tzinfo=UTC) + timedelta(hours=rng.uniform(9, 17))
            state = i % 3
            row = {
                "reference": f"CMP-{received.year}-{i + 1:06d}" if i % 2 == 0 else "",
                "received_on": received.isoformat(),
                "received_via": rng.choice(vias),
                "acknowledged_at": register._utc_text(logged),
                "client_name": f"Client {rng.randint(1, n // 3 + 1)}",
                "matter_ref": f"M-{rng.randint(1, n // 2 + 1)}",
                "category": rng.choice(categories),
                "summary": "Imported complaint for benchmarking, with a sentence or two of detail.",
                "client_request": "An apology and a refund.",
                "reporter": f"U{rng.randint(1, 200):04d}",
                "logged_at": register._utc_text(logged),
                "client_updates": str(rng.randint(0, 6)),
            }
            if state >= 1:
                row.update(
                    severity=rng.choice(severities),
                    handler=f"U{rng.randint(1, 40):04d}",
                    triaged_at=register._utc_text(logged + timedelta(hours=3)),
                    target_date=(received + timedelta(days=30)).isoformat(),
                    update_cadence_days="7",
                )
            if state == 2:
                resolved = min(logged + timedelta(days=rng.uniform(5, 50)), NOW - timedelta(hours=1))
                row.update(
                    resolved_at=register._utc_text(resolved),
                    outcome=rng.choice(outcomes),
                    remedy="An apology.",
                    root_cause=rng.choice(categories),
                    final_response_sent_on=resolved.date().isoformat(),
                    ombudsman_rights_given="yes",
                )
            writer.writerow(row)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--export-sizes", default="100000,1000000", help="complaints seeded for the export ('' for none)"
    )
    parser.add_argument("--import-rows", type=int, default=100_000, help="rows in the imported register (0 for none)")
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-register-"))
    url = args.database_url or f"sqlite:///{tmp}/bench.db"
    spawn = multiprocessing.get_context("spawn")
    print(f"store: {url.split('://')[0]}; each export and import in a fresh process; RSS = its peak resident size")
    sizes = [int(s) for s in args.export_sizes.split(",") if s]
    if sizes:
        print(
            f"{'complaints':>12} {'seed s':>7} {'format':>6} {'export s':>9} {'rows/s':>9} {'file MB':>8} "
            f"{'RSS before MB':>14} {'RSS peak MB':>12}"
        )
    for n in sizes:
        started = time.perf_counter()
        engine = fresh_store(url)
        seed(engine, n, now=NOW)
        seeded = time.perf_counter() - started
        engine.dispose()
        for fmt in ("csv", "json"):
            with spawn.Pool(1) as pool:
                m = pool.apply(measure_export, (bench_url(url), fmt, str(tmp / f"register.{fmt}")))
            print(
                f"{n:>12,} {seeded:>7.1f} {fmt:>6} {m['seconds']:>9.1f} {m['rows'] / m['seconds']:>9,.0f} {m['mb']:>8.0f} "
                f"{m['rss_before']:>14.0f} {m['rss']:>12.0f}"
            )
    if args.import_rows:
        path = tmp / "import.csv"
        write_register(path, args.import_rows, random.Random(7))
        fresh_store(url).dispose()
        with spawn.Pool(1) as pool:
            m = pool.apply(measure_import, (bench_url(url), str(path)))
        print(f"\n{'rows':>10} {'file MB':>8} {'dry run s':>10} {'import s':>9} {'new refs':>9} {'RSS peak MB':>12}")
        print(
            f"{m['rows']:>10,} {path.stat().st_size / 2**20:>8.0f} {m['dry']:>10.1f} {m['import']:>9.1f} {m['new']:>9,} "
            f"{m['rss']:>12.0f}"
        )


if __name__ == "__main__":
    main()
