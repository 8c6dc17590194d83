"""Benchmark of the organisations import: 10,000 and 100,000 generated rows, CSV and XLSX.

Each measurement runs in a fresh process on a fresh SQLite database (schema + reference data)
and reports rows per second of ``import_file`` (read, validate, write with the audit log,
commit) and the process's peak resident memory (``ru_maxrss``) next to its resident memory just
before the import.

Usage::

    .venv/bin/python benchmarks/bench_import.py            # 10k and 100k, CSV and XLSX
    .venv/bin/python benchmarks/bench_import.py --sizes 10000 --formats csv
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = ["name", "kind", "tax_code", "comune", "districts", "runts_section", "themes",
          "description", "website", "email", "phone"]  # fmt: skip


def generate_rows(n: int, seed: int = 1) -> list[list[str]]:
    """``n`` plausible ETS rows with fictitious tax codes (range 98NNNNN999C)."""
    from matchmaker.ingest.demo_orgs import fictitious_tax_code
    from matchmaker.ingest.demo_text import PROFILES, describe_ets
    from matchmaker.reference import read_reference

    rng = random.Random(seed)
    comuni = read_reference().comuni
    rows = []
    for i in range(n):
        comune = rng.choice(comuni)
        profile = rng.choice(PROFILES)
        section = rng.choice(profile.sections)
        stem = rng.choice(profile.stems)
        themes = sorted(rng.sample(profile.themes, k=rng.randint(1, min(3, len(profile.themes)))))
        text = describe_ets(rng, profile, stem, section, comune.name, [], rng.randint(1980, 2020))
        rows.append(
            [
                f"{stem} {comune.name} {i}",
                "ets",
                fictitious_tax_code(i, prefix="98"),
                comune.istat_code,
                "",
                section,
                ";".join(themes),
                text,
                f"https://www.ente{i}.example",
                f"info@ente{i}.example",
                "",
            ]
        )
    return rows


def write_file(rows: list[list[str]], path: Path) -> None:
    if path.suffix == ".csv":
        import csv

        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            writer.writerows(rows)
    else:
        import openpyxl

        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("organisations")
        ws.append(HEADER)
        for row in rows:
            ws.append(row)
        wb.save(path)
        wb.close()


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _measure(path: str, workdir: str, queue: mp.Queue) -> None:
    from matchmaker.config import Settings
    from matchmaker.ingest import import_file
    from matchmaker.instance import init_instance
    from matchmaker.storage import Database

    url = f"sqlite:///{workdir}/bench.sqlite3"
    db = Database(url)
    init_instance(db, Settings.load(environ={}, overrides={"database_url": url}))
    before = _rss_mb()
    started = time.perf_counter()
    with db.session(actor="benchmark") as session:
        report = import_file(session, "organisations", path)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    counts = db.counts()
    db.dispose()
    queue.put(
        {
            "created": report.created,
            "seconds": seconds,
            "rss_before_mb": before,
            "peak_rss_mb": peak,
            "organisations": counts["organisation"],
            "audit": counts["audit_entry"],
        }
    )


def run(sizes: list[int], formats: list[str]) -> list[dict[str, object]]:
    results = []
    ctx = mp.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            rows = generate_rows(n)
            for fmt in formats:
                path = Path(tmp) / f"orgs_{n}.{fmt}"
                t0 = time.perf_counter()
                write_file(rows, path)
                gen = time.perf_counter() - t0
                workdir = Path(tmp) / f"db_{n}_{fmt}"
                workdir.mkdir()
                queue = ctx.Queue()
                proc = ctx.Process(target=_measure, args=(str(path), str(workdir), queue))
                proc.start()
                out = queue.get()
                proc.join()
                assert out["created"] == n == out["organisations"], out
                out.update(
                    rows=n,
                    format=fmt,
                    size_mb=path.stat().st_size / 1e6,
                    write_s=gen,
                    rows_per_s=n / out["seconds"],
                )
                results.append(out)
                print(
                    f"{fmt:>4} {n:>7} rows  {out['size_mb']:6.1f} MB  "
                    f"{out['seconds']:7.1f} s  {out['rows_per_s']:7.0f} rows/s  "
                    f"peak RSS {out['peak_rss_mb']:6.0f} MB (before import "
                    f"{out['rss_before_mb']:.0f} MB)",
                    flush=True,
                )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--formats", nargs="+", default=["csv", "xlsx"], choices=["csv", "xlsx"])
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {mp.cpu_count()} CPU, {platform.machine()}")
    run(args.sizes, args.formats)


if __name__ == "__main__":
    main()
