"""Load test of the production server (waitress) on loopback, bounded in time.

20 concurrent clients for 60 s (by default) send a mix of partner-suggestion requests
(``POST /api/v1/match``, the real engine and model) and organisation reads (profile and
directory search), while a concurrent-edit scenario makes several clients edit the same
profile with optimistic locking. Afterwards the script checks that no write was lost: the
profile's final version equals 1 + the number of accepted edits, the audit log holds one
entry per accepted edit and the stored text is the last accepted one.

Usage::

    .venv/bin/python benchmarks/load.py [--clients 20] [--seconds 60] [--json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    json.loads(line)["text"]
    for line in (ROOT / "data/eval/dev/queries.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(workdir: Path) -> tuple[dict[str, str], str, list[str]]:
    from sqlalchemy import select

    from matchmaker.accounts import create_token, create_user
    from matchmaker.ingest import build_demo_database
    from matchmaker.storage import Database, Organisation

    url = f"sqlite:///{workdir / 'load.sqlite3'}"
    build_demo_database(url)
    db = Database(url)
    with db.session(actor="load") as s:
        create_user(s, "carico@example.org", "facilitatore", "password-di-carico")
        token, _ = create_token(s, "carico@example.org")
        tax_codes = list(s.scalars(select(Organisation.tax_code).order_by(Organisation.id)))
    db.dispose()
    env = {
        **os.environ,
        "MATCHMAKER_DATABASE_URL": url,
        "MATCHMAKER_INSTANCE_PATH": str(workdir / "instance"),
        "HF_HUB_OFFLINE": "1",
    }
    return env, token, tax_codes


class Client(threading.Thread):
    def __init__(
        self,
        port: int,
        token: str,
        tax_codes: list[str],
        until: float,
        seed: int,
        edit_target: str,
        results: dict,
    ) -> None:
        super().__init__(daemon=True)
        self.port, self.token, self.tax_codes, self.until = port, token, tax_codes, until
        self.rng = random.Random(seed)
        self.edit_target = edit_target
        self.results = results

    def _request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        return response.status, response.read()

    def _timed(self, kind: str, method: str, path: str, body: dict | None = None):
        start = time.perf_counter()
        try:
            status, payload = self._request(method, path, body)
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            status, payload = 599, str(exc).encode()
        elapsed = time.perf_counter() - start
        self.results.setdefault(kind, []).append((elapsed, status))
        return status, payload

    def run(self) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while time.perf_counter() < self.until:
            roll = self.rng.random()
            if roll < 0.4:
                self._timed(
                    "match",
                    "POST",
                    "/api/v1/match",
                    {"text": self.rng.choice(QUERIES), "top_k": 10},
                )
            elif roll < 0.7:
                tax = self.rng.choice(self.tax_codes)
                self._timed("profile", "GET", f"/api/v1/organisations/{tax}")
            elif roll < 0.9:
                word = self.rng.choice(["anziani", "minori", "lavoro", "casa", "Torino", "Cuneo"])
                self._timed("directory", "GET", f"/api/v1/organisations?q={word}&per_page=20")
            else:
                status, payload = self._timed(
                    "profile", "GET", f"/api/v1/organisations/{self.edit_target}"
                )
                if status == 200:
                    version = json.loads(payload)["version"]
                    text = f"modifica {self.name} {time.perf_counter_ns()}"
                    status, body = self._timed(
                        "edit",
                        "PATCH",
                        f"/api/v1/organisations/{self.edit_target}",
                        {"version": version, "description": text},
                    )
                    if status == 200:
                        self.results.setdefault("accepted_edits", []).append(
                            (json.loads(body)["version"], text)
                        )
        self.conn.close()


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))] if values else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        env, token, tax_codes = _prepare(workdir)
        port = _free_port()
        log = (workdir / "server.log").open("w")
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "matchmaker.cli",
                "serve",
                "--port",
                str(port),
                "--threads",
                "8",
            ],
            env=env,
            stdout=log,  # a file: an unread pipe would fill up and stall the server
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.time() + 60
            while time.time() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            warm = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            warm.request(
                "POST",
                "/api/v1/match",
                body=json.dumps({"text": QUERIES[0]}),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            assert warm.getresponse().status == 200, "warm-up match failed"
            warm.close()
            target = tax_codes[len(tax_codes) // 2]
            results: dict[str, list] = {}
            until = time.perf_counter() + args.seconds
            clients = [
                Client(port, token, tax_codes, until, i, target, results)
                for i in range(args.clients)
            ]
            start = time.perf_counter()
            for c in clients:
                c.start()
            for c in clients:
                c.join()
            wall = time.perf_counter() - start
            rss_kb = int(
                Path(f"/proc/{server.pid}/status").read_text().split("VmRSS:")[1].split()[0]
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
        report = _report(results, wall, args, rss_kb, env, target)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print(report)
    return 0 if report["errors"] == 0 and report["lost_writes"] == 0 else 1


def _report(results, wall, args, rss_kb, env, target) -> dict:
    from sqlalchemy import func, select

    from matchmaker.storage import AuditEntry, Database, Organisation

    kinds = {}
    errors = 0
    error_statuses: dict[str, int] = {}
    total = 0
    for kind in ("match", "profile", "directory", "edit"):
        samples = results.get(kind, [])
        total += len(samples)
        ok = [t for t, s in samples if s < 400 or (kind == "edit" and s == 409)]
        errors += len(samples) - len(ok)
        for _, status in samples:
            if not (status < 400 or (kind == "edit" and status == 409)):
                error_statuses[f"{kind} {status}"] = error_statuses.get(f"{kind} {status}", 0) + 1
        kinds[kind] = {
            "requests": len(samples),
            "p50_ms": round(1000 * _pct([t for t, _ in samples], 0.50), 1),
            "p95_ms": round(1000 * _pct([t for t, _ in samples], 0.95), 1),
            "mean_ms": round(1000 * statistics.fmean([t for t, _ in samples]), 1)
            if samples
            else 0.0,
        }
    edits = results.get("edit", [])
    accepted = sorted(results.get("accepted_edits", []))
    db = Database(env["MATCHMAKER_DATABASE_URL"])
    with db.session() as s:
        org = s.scalar(select(Organisation).where(Organisation.tax_code == target))
        audit_updates = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.entity == "organisation",
                AuditEntry.entity_key == target,
                AuditEntry.action == "update",
                AuditEntry.actor == "carico@example.org",
            )
        )
        final_version, final_text = org.version, org.description
    db.dispose()
    # every accepted edit made exactly one new version, in order, and the last one is stored
    versions = [v for v, _ in accepted]
    lost = len(set(range(2, 2 + len(accepted))) ^ set(versions))
    lost += abs(final_version - (1 + len(accepted))) + abs(audit_updates - len(accepted))
    if accepted and final_text != accepted[-1][1]:
        lost += 1
    return {
        "clients": args.clients,
        "seconds": round(wall, 1),
        "requests": total,
        "throughput_rps": round(total / wall, 1),
        "errors": errors,
        "error_statuses": error_statuses,
        "by_kind": kinds,
        "edits": {
            "attempted": len(edits),
            "accepted": len(accepted),
            "refused_409": sum(1 for _, st in edits if st == 409),
            "final_version": final_version,
            "audit_updates": audit_updates,
        },
        "lost_writes": lost,
        "server_rss_mb": round(rss_kb / 1024, 1),
    }


def _print(r: dict) -> None:
    print(
        f"{r['clients']} client, {r['seconds']} s: {r['requests']} richieste, "
        f"{r['throughput_rps']} richieste/s, errori {r['errors']}, scritture perse "
        f"{r['lost_writes']}, RSS server {r['server_rss_mb']} MB"
    )
    for kind, k in r["by_kind"].items():
        print(f"  {kind:<10} n={k['requests']:<6} p50 {k['p50_ms']:>7} ms  p95 {k['p95_ms']:>7} ms")
    e = r["edits"]
    print(
        f"  modifiche concorrenti: {e['attempted']} tentate, {e['accepted']} accettate, "
        f"{e['refused_409']} rifiutate (409); versione finale {e['final_version']}, "
        f"voci di registro {e['audit_updates']}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
