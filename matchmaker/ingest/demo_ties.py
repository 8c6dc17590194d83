"""Declared collaborations of the illustrative data set.

The shape aims at what studies of local welfare networks report: dense clusters inside each
district (ETS with ETS, ETS with their Ente Gestore), a few hubs with many ties, brokers that
serve two districts and tie them, ASL tied to the Enti Gestori of their territory, businesses
tied to a few ETS, and newcomers whose ties start after the first call round.
"""

from __future__ import annotations

import dataclasses
import random

from matchmaker.ingest.demo_orgs import DemoOrg

__all__ = ["DemoTie", "plan_collaborations"]


@dataclasses.dataclass(frozen=True)
class DemoTie:
    source: str
    target: str
    kind: str
    year_from: int
    year_to: int | None
    weight: float
    evidence: str


_EVIDENCE = {
    "coprogettazione": "co-progettazione di un servizio",
    "convenzione": "convenzione per la gestione di un servizio",
    "protocollo": "protocollo d'intesa",
    "rete": "partecipazione alla stessa rete territoriale",
    "servizio": "fornitura di servizi",
    "altro": "collaborazione occasionale",
}


def plan_collaborations(rng: random.Random, orgs: list[DemoOrg]) -> list[DemoTie]:
    """About 1,500 declared ties with district clusters, hubs, brokers and newcomers."""
    by_district: dict[int, dict[str, list[DemoOrg]]] = {}
    for o in orgs:
        for d in o.districts:
            by_district.setdefault(d, {}).setdefault(o.kind, []).append(o)
    ties: dict[tuple[str, str, str, int], DemoTie] = {}
    pairs: set[frozenset[str]] = set()

    def tie(a: DemoOrg, b: DemoOrg, kinds: tuple[str, ...]) -> None:
        if a is b or frozenset((a.tax_code, b.tax_code)) in pairs:
            return
        new = a.newcomer or b.newcomer
        start = rng.randint(2020, 2024) if new else rng.randint(2010, 2020)
        end = None if rng.random() < 0.4 else min(start + rng.randint(1, 4), 2025)
        kind = rng.choice(kinds)
        key = (a.tax_code, b.tax_code, kind, start)
        pairs.add(frozenset((a.tax_code, b.tax_code)))
        ties[key] = DemoTie(
            a.tax_code,
            b.tax_code,
            kind,
            start,
            end,
            float(rng.choice((1, 1, 1, 2, 2, 3, 4, 5))),
            f"dato dimostrativo: {_EVIDENCE[kind]} ({start})",
        )

    def weighted(pool: list[DemoOrg], k: int) -> list[DemoOrg]:
        if not pool:
            return []
        weights = [6.0 if o.hub else 1.0 for o in pool]
        return [rng.choices(pool, weights)[0] for _ in range(k)]

    for d in sorted(by_district):
        local = by_district[d]
        ets = local.get("ets", [])
        egs = local.get("ente_gestore", [])
        for o in ets:
            if o.districts[0] != d:
                continue  # each ETS starts its ties from its home district
            k = rng.randint(8, 14) if o.hub else rng.choice((1, 1, 2, 2, 3, 4))
            for other in weighted(ets, k):
                tie(o, other, ("rete", "coprogettazione", "servizio", "rete"))
            if egs and rng.random() < 0.7:
                tie(o, rng.choice(egs), ("convenzione", "coprogettazione", "protocollo"))
            if len(o.districts) > 1:  # a broker: ties in the other district too
                far = by_district.get(o.districts[1], {})
                for other in weighted(far.get("ets", []), 2):
                    tie(o, other, ("rete", "coprogettazione"))
                if far.get("ente_gestore"):
                    tie(o, rng.choice(far["ente_gestore"]), ("convenzione", "protocollo"))
        for pub in local.get("comune", []) + local.get("unione_comuni", []):
            for other in weighted(ets, 2):
                tie(other, pub, ("convenzione", "protocollo"))
            for eg in egs:
                tie(pub, eg, ("convenzione",))
        for firm in local.get("impresa", []):
            for other in weighted(ets, rng.randint(1, 3)):
                tie(firm, other, ("servizio", "rete", "altro"))
        for other in local.get("altro", []):
            for partner in weighted(ets, 3):
                tie(other, partner, ("protocollo", "rete"))
    for asl in (o for o in orgs if o.kind == "asl"):
        for d in asl.districts:
            for eg in by_district.get(d, {}).get("ente_gestore", []):
                tie(asl, eg, ("convenzione", "protocollo"))
    return [ties[k] for k in sorted(ties)]
