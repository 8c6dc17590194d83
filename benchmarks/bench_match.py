"""Benchmark of partner matching over generated catalogues of 1,000 / 10,000 / 100,000 profiles.

Reports, in one run:

- index build throughput (``MatchEngine.rebuild(force=True)``: read profiles, embed whole
  texts and sentences, store vectors, build the arrays) against the raw encoder's own
  ``encode`` on exactly the same texts, per backend;
- warm query latency p50/p95 of ``MatchEngine.search`` (query encoding, every channel,
  fusion, sentence re-ranking, explanations), over distinct queries;
- dense search time of the index (numpy matrix-vector product + argpartition) against
  faiss-cpu ``IndexFlatIP`` on the same vectors;
- resident memory per profile (RSS growth of the process while the index is built, and the
  bytes of the index arrays).

Usage::

    .venv/bin/python benchmarks/bench_match.py                 # 1k, 10k, 100k
    .venv/bin/python benchmarks/bench_match.py --sizes 1000 --backends use-m3

Catalogues are generated deterministically (seed 7) by recombining the sentences of the
development catalogue with random names, seats and themes. Catalogues larger than
``--embed-limit`` (default 10,000) profiles are not embedded for real: their vectors are
stored by a random stand-in under the model's name and the real engine loads them (stated
in the output); queries are always encoded by the real model.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
import psutil
from sqlalchemy import insert

from matchmaker.config import PROJECT_ROOT, Settings
from matchmaker.instance import init_instance
from matchmaker.matching import MatchEngine, MatchQuery, make_encoder
from matchmaker.matching.engine import single_blas_thread
from matchmaker.matching.evaluation import read_queries
from matchmaker.matching.profiles import read_profiles
from matchmaker.matching.text import split_sentences
from matchmaker.reference import read_reference
from matchmaker.storage import Database, Organisation
from matchmaker.storage.models import organisation_theme

DEV = PROJECT_ROOT / "data" / "eval" / "dev"
PREFIXES = ["Associazione", "Cooperativa Sociale", "Fondazione", "Gruppo Volontari", "APS", "ODV"]
WORDS = ["Aurora", "Ponte", "Radici", "Orizzonte", "Filo", "Girasole", "Quercia", "Faro", "Rete"]


def generate(n: int, seed: int = 7) -> list[dict]:
    """``n`` organisation rows recombined from the dev catalogue's sentences."""
    import csv

    rng = random.Random(seed)
    with (DEV / "catalog.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["kind"] == "ets"]
    sentences = [
        (s, r["themes"].split(";")) for r in rows for s in split_sentences(r["description"])
    ]
    comuni = [c.istat_code for c in read_reference().comuni]
    out = []
    for i in range(n):
        picks = rng.sample(sentences, rng.randint(2, 4))
        themes = sorted({t for _, ts in picks[:2] for t in ts if t})[:4]
        out.append(
            {
                "kind": "ets",
                "sector": "third_sector",
                "name": f"{rng.choice(PREFIXES)} {rng.choice(WORDS)} {i}",
                "tax_code": f"{10_000_000_000 + i:011d}",
                "seat_comune_code": rng.choice(comuni),
                "description": " ".join(s for s, _ in picks),
                "themes": themes,
            }
        )
    return out


def load(db: Database, rows: list[dict]) -> None:
    with db.session(actor="bench") as session:
        conn = session.connection()
        for start in range(0, len(rows), 5000):
            part = rows[start : start + 5000]
            conn.execute(
                insert(Organisation.__table__),
                [{k: v for k, v in r.items() if k != "themes"} | {"version": 1} for r in part],
            )
        ids = dict(
            conn.execute(
                Organisation.__table__.select().with_only_columns(
                    Organisation.tax_code, Organisation.id
                )
            ).all()
        )
        links = [
            {"organisation_id": ids[r["tax_code"]], "theme_code": t}
            for r in rows
            for t in r["themes"]
        ]
        for start in range(0, len(links), 20000):
            conn.execute(insert(organisation_theme), links[start : start + 20000])


def rss() -> int:
    return psutil.Process().memory_info().rss


def queries() -> list[str]:
    texts = [q["text"] for q in read_queries(DEV / "queries.jsonl")]
    short = [" ".join(t.split()[:7]) for t in texts]
    return texts + short


class StandIn:
    """Random unit vectors under a real encoder's name and size: stores vectors for a
    catalogue too large to embed with the real model in a benchmark run."""

    def __init__(self, name: str, dim: int) -> None:
        self.name, self.dim = name, dim
        self._rng = np.random.default_rng(11)

    def encode(self, texts):
        out = self._rng.standard_normal((len(texts), self.dim)).astype(np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def bench_size(n: int, backend: str, embed_limit: int, workdir: Path) -> dict:
    folder = workdir / f"{backend}-{n}"
    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings.load(
        environ={},
        overrides={
            "instance_path": folder,
            "database_url": f"sqlite:///{folder / 'bench.sqlite3'}",
            "embedding_backend": backend,
        },
    )
    db = Database(settings.database_url)
    init_instance(db, settings)
    rows = generate(n)
    load(db, rows)
    encoder = make_encoder(backend)
    encoder.encode(["riscaldamento"])  # load the model before timing
    engine = MatchEngine(db, settings, encoder=encoder)
    result: dict = {"backend": backend, "encoder": encoder.name, "profiles": n}

    if n <= embed_limit:
        # raw encode of exactly the texts the index embeds (whole text + sentences)
        with db.session() as session:
            profiles = list(read_profiles(session, engine.gazetteer))
        texts = [t for p in profiles for t in (p.text, *p.chunks)]
        result["texts_embedded"] = len(texts)
        raw_s, build_s = [], []
        for _ in range(3 if n <= 1000 else 1):  # interleaved; best of each on a busy machine
            t0 = time.perf_counter()
            for start in range(0, len(texts), 1024):
                encoder.encode(texts[start : start + 1024])
            raw_s.append(time.perf_counter() - t0)
            gc.collect()
            before = rss()
            t0 = time.perf_counter()
            index = engine.rebuild(force=True)
            build_s.append(time.perf_counter() - t0)
            if len(build_s) == 1:
                rss_delta = rss() - before
        raw_s, build_s = min(raw_s), min(build_s)
        result["raw_profiles_per_s"] = n / raw_s
        result["build_s"] = build_s
        result["build_profiles_per_s"] = n / build_s
        result["build_vs_raw"] = result["build_profiles_per_s"] / result["raw_profiles_per_s"]
    else:
        # vectors stored by a stand-in under the real model's name, then loaded by the
        # real engine (which encodes the queries with the real model)
        MatchEngine(db, settings, encoder=StandIn(encoder.name, encoder.dim)).rebuild()
        gc.collect()
        before = rss()
        t0 = time.perf_counter()
        index = engine.rebuild()
        result["load_from_stored_vectors_s"] = time.perf_counter() - t0
        rss_delta = rss() - before
        result["note"] = (
            f"vectors of the {n} profiles stored by a random stand-in (embedding them with "
            f"{encoder.name} exceeds the benchmark's budget); queries encoded by {encoder.name}"
        )
    result["rss_per_profile_bytes"] = rss_delta / n
    result["index_bytes_per_profile"] = index.memory_bytes() / n

    qs = queries()
    for text in qs[:5]:
        engine.search(MatchQuery(text=text))  # warm up
    latencies = []
    for _ in range(2):
        for text in qs:
            t0 = time.perf_counter()
            engine.search(MatchQuery(text=text, top_k=10))
            latencies.append(time.perf_counter() - t0)
    result["query_ms_p50"] = 1000 * float(np.percentile(latencies, 50))
    result["query_ms_p95"] = 1000 * float(np.percentile(latencies, 95))
    result["queries_timed"] = len(latencies)

    # dense search alone: numpy (as the engine does it) vs faiss IndexFlatIP
    import faiss

    vectors = np.ascontiguousarray(index.vectors[: index.size])
    qv = encoder.encode(qs)
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    faiss.omp_set_num_threads(1)
    t_np, t_faiss = [], []
    for _ in range(3):
        for q in qv:
            t0 = time.perf_counter()
            with single_blas_thread():  # as the engine runs it
                scores = index.semantic(q)
                top = np.argpartition(-scores, 9)[:10]
                top[np.argsort(-scores[top])]
            t_np.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            flat.search(q[None, :], 10)
            t_faiss.append(time.perf_counter() - t0)
    result["numpy_search_ms_p50"] = 1000 * float(np.median(t_np))
    result["faiss_search_ms_p50"] = 1000 * float(np.median(t_faiss))
    result["numpy_vs_faiss"] = result["numpy_search_ms_p50"] / result["faiss_search_ms_p50"]
    db.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--backends", default="use-m3,sentence-transformers")
    parser.add_argument(
        "--max-size",
        default="use-m3=100000,sentence-transformers=1000",
        help="largest catalogue per backend (slow backends are measured on smaller ones)",
    )
    parser.add_argument(
        "--embed-limit",
        type=int,
        default=10000,
        help="largest catalogue embedded for real (and compared with raw encode)",
    )
    parser.add_argument("--out", type=Path, default=None, help="write results as JSON here")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    limits = dict(item.split("=") for item in args.max_size.split(",") if item)
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}")
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-match-") as tmp:
        for backend in args.backends.split(","):
            for n in sizes:
                if n > int(limits.get(backend, n)):
                    print(f"{backend} {n}: skipped (over --max-size for this backend)")
                    continue
                r = bench_size(n, backend, args.embed_limit, Path(tmp))
                results.append(r)
                print(json.dumps(r))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
