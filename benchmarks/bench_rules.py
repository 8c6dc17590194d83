"""Benchmark of the ATS builder on the demo data.

Measures, on a fresh SQLite demo database (``build_demo_database``):

- loading the rules snapshot (:class:`matchmaker.rules.World`);
- the builder's live check as the web application runs it (``AtsService.check``: the
  snapshot comes from the cache while the data does not change), side by side with the
  same check on a freshly loaded snapshot (what every check cost before the cache), with
  the SQL statements each runs;
- checking every stored ATS (evaluate, no fixes) and checking with fixes;
- proposing a team for every Ente Gestore of the demo data, side by side with three
  candidate sources: the default (the matching engine's own ranking), the engine without
  its territory channel re-ranked by district presence (``candidates="districts"``), and the
  model-free lexical source (bundled model; the engine's index is built once before timing,
  reported separately).

Run: ``.venv/bin/python benchmarks/bench_rules.py [--rounds-to-try 2,3] [--size 3]``
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from sqlalchemy import event

from matchmaker.domain import OrgKind
from matchmaker.ingest.demo import build_demo_database
from matchmaker.rules import (
    AtsService,
    ProposalImpossible,
    World,
    composition_of,
    evaluate,
)
from matchmaker.storage import Database, Partnership

NEEDS = [
    "anziani soli a domicilio e sostegno ai caregiver familiari",
    "povertà educativa, minori e famiglie fragili",
    "emergenza abitativa e grave marginalità adulta",
    "inserimento lavorativo di giovani NEET",
    "salute mentale e dipendenze nei quartieri",
    "integrazione socio-sanitaria e punto unico di accesso",
]


def _stats(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return (
        f"n={len(ms)} mean={statistics.mean(ms):.1f} ms median={statistics.median(ms):.1f} ms "
        f"p95={p95:.1f} ms max={ms[-1]:.1f} ms"
    )


def _propose_all(service: AtsService, world: World, egs: list[str], call_round: int, size: int):
    times, cpu, impossible, admissible = [], [], 0, 0
    for i, eg in enumerate(egs):
        started, started_cpu = time.perf_counter(), time.process_time()
        try:
            proposals = service.propose(
                NEEDS[i % len(NEEDS)],
                for_tax_code=eg,
                size=size,
                call_round=call_round,
                world=world,
            )
        except ProposalImpossible:
            impossible += 1
            proposals = None
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        if proposals is not None:
            admissible += all(evaluate(p.composition, world).admissible for p in proposals)
    return times, cpu, impossible, admissible


def _live_check(db: Database, comps: list) -> None:
    """The builder's check per keystroke: cached snapshot vs a fresh one, with statements."""
    statements = [0]

    def count(*_args) -> None:
        statements[0] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        service = AtsService(db, candidates="lexical")
        service.check(comps[0], fixes=False)  # the first check fills the cache
        for label, run in (
            ("fresh snapshot (World.load + check)", lambda c: _fresh_check(db, c)),
            ("cached snapshot (AtsService.check)", lambda c: service.check(c, fixes=False)),
        ):
            times, before = [], statements[0]
            for _ in range(3):
                for comp in comps:
                    started = time.perf_counter()
                    run(comp)
                    times.append(time.perf_counter() - started)
            per_check = (statements[0] - before) / len(times)
            print(f"live check, {label}: {_stats(times)}; SQL statements per check {per_check:.1f}")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _fresh_check(db: Database, comp) -> None:
    with db.session() as s:
        world = World.load(s)
    evaluate(comp, world)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds-to-try", default="3,2", help="call rounds to propose for")
    parser.add_argument("--size", type=int, default=3, help="ETS per team (k)")
    args = parser.parse_args(argv)

    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPU")
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'demo.sqlite3'}"
        started = time.perf_counter()
        build_demo_database(url)
        print(f"demo database built in {time.perf_counter() - started:.2f} s")
        db = Database(url)
        try:
            loads = []
            for _ in range(5):
                started = time.perf_counter()
                with db.session() as s:
                    world = World.load(s)
                loads.append(time.perf_counter() - started)
            print(f"World.load: {_stats(loads)}")
            with db.session() as s:
                comps = [composition_of(p) for p in s.query(Partnership).all()]
            checks = []
            for comp in comps:
                started = time.perf_counter()
                evaluate(comp, world)
                checks.append(time.perf_counter() - started)
            print(f"check (no fixes), {len(comps)} stored ATS: {_stats(checks)}")
            _live_check(db, comps)

            egs = sorted(t for t, o in world.orgs.items() if o.kind == OrgKind.ENTE_GESTORE)
            engine_service = AtsService(db)
            source = engine_service.candidate_source(world)
            started = time.perf_counter()
            engine_service.propose(NEEDS[0], for_tax_code=egs[0], call_round=99, world=world)
            print(f"matching engine warm-up (model + index): {time.perf_counter() - started:.2f} s")
            lexical_service = AtsService(db, candidates="lexical")
            rerank_service = AtsService(db, candidates="districts")
            rerank_service.propose(NEEDS[0], for_tax_code=egs[0], call_round=99, world=world)
            fix_times = []
            for comp in comps:
                started = time.perf_counter()
                engine_service.check(comp, world=world)
                fix_times.append(time.perf_counter() - started)
            print(f"check with fixes (engine), {len(comps)} stored ATS: {_stats(fix_times)}")
            for call_round in (int(r) for r in args.rounds_to_try.split(",")):
                variants = (
                    ("matching engine (default)", engine_service),
                    ("engine + district re-rank", rerank_service),
                    ("lexical, no model", lexical_service),
                )
                for label, service in variants:
                    times, cpu, impossible, ok = _propose_all(
                        service, world, egs, call_round, args.size
                    )
                    slow = sum(t >= 1.0 for t in times)
                    print(
                        f"propose round {call_round} [{label}] for {len(egs)} Enti Gestori: "
                        f"wall {_stats(times)}; >=1 s: {slow}; CPU {_stats(cpu)}; "
                        f"impossible (EG already in an ATS): {impossible}; "
                        f"all proposals admissible: {ok}/{len(egs) - impossible}"
                    )
            if getattr(source, "used_fallback", False):
                print("WARNING: the matching engine was not available; lexical fallback used")
                return 1
        finally:
            db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
