"""ATS of the illustrative data set: two Misura 1 call rounds that obey the rules, a few
Misura 3 networks, and draft ATS that each break exactly one rule on purpose.

Misura 1 rules respected by the funded ATS (``docs/domain.md``): all the Enti Gestori of every
covered district; at least one ETS with seat in Piemonte; the capofila is an Ente Gestore;
optional public members (Comuni, Unioni, ASL) only inside their territory; each ETS in at most
two ATS of a round; each Ente Gestore in one ATS of a round; no businesses.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter

from matchmaker.ingest.demo_geo import Geography
from matchmaker.ingest.demo_orgs import DEMO_SOURCE, DemoOrg

__all__ = ["DRAFT_RULES", "DemoATS", "plan_partnerships"]

#: rule ids broken on purpose by the draft ATS (same ids as the rules engine)
DRAFT_RULES = (
    "M1-EG-DISTRETTO",
    "M1-ETS-MIN",
    "M1-CAPOFILA-EG",
    "M1-PUBBLICI-TERRITORIO",
    "M1-NO-IMPRESE",
    "M1-ETS-MAX2",
    "M1-EG-UNA-ATS",
)
_PRIORITY = ("integrazione_sociosanitaria", "responsabilita_genitoriali", "poverta_esclusione")
_CONCEPTS = (
    "Comunità che cura",
    "Reti di prossimità",
    "Territori inclusivi",
    "Legami generativi",
    "Abitare la cura",
    "Nessuno resta indietro",
    "Cantiere welfare",
    "Vicini di casa",
    "Famiglie al centro",
    "La cura che unisce",
    "Ponti di comunità",
    "Welfare a chilometro zero",
    "Crescere insieme",
    "Casa e lavoro",
    "Fili di comunità",
    "Oltre l'emergenza",
)
_ACTIONS = (
    "un punto unico di accesso ai servizi sociali e sanitari nelle case di comunità",
    "équipe miste di operatori pubblici ed educatori del Terzo Settore nei quartieri",
    "percorsi di accompagnamento al lavoro e alla casa per famiglie in povertà",
    "servizi di prossimità per anziani soli e caregiver familiari",
    "presidi educativi per bambini e ragazzi nelle scuole e negli oratori",
    "una rete di sportelli di ascolto gestiti con il volontariato",
)


@dataclasses.dataclass
class DemoATS:
    code: str
    title: str
    measure: int
    call_round: int
    year: int
    status: str
    districts: list[int]
    members: list[tuple[str, str]]  # (tax code, role), capofila first
    themes: list[str]
    description: str
    budget_eur: int | None
    source: str = DEMO_SOURCE


class _Planner:
    def __init__(
        self, rng: random.Random, geo: Geography, orgs: list[DemoOrg], names: dict[int, str]
    ):
        self.rng, self.geo, self.orgs, self.dnames = rng, geo, orgs, names
        self.egs = {
            d: [o for o in orgs if o.kind == "ente_gestore" and o.districts == [d]]
            for d in range(len(geo.districts))
        }
        self.ets = [o for o in orgs if o.kind == "ets"]
        self.count: dict[int, Counter[str]] = {1: Counter(), 2: Counter(), 3: Counter()}
        self.history: dict[int, list[str]] = {}  # district -> ETS of round 1
        self.public = [o for o in orgs if o.kind in ("comune", "unione_comuni", "asl")]
        self.out: list[DemoATS] = []

    def comuni(self, districts: list[int]) -> set[str]:
        return {c for d in districts for c in self.geo.districts[d].comuni}

    def groups(self, n_pairs: int, exclude: set[int]) -> list[list[int]]:
        free = [d for d in range(len(self.geo.districts)) if d not in exclude]
        self.rng.shuffle(free)
        used: set[int] = set()
        out: list[list[int]] = []
        for d in free:
            if d in used:
                continue
            partners = [n for n in self.geo.neighbours[d] if n in free and n not in used]
            if partners and sum(len(g) == 2 for g in out) < n_pairs:
                n = self.rng.choice(partners)
                out.append(sorted([d, n]))
                used |= {d, n}
            else:
                out.append([d])
                used.add(d)
        return sorted(out)

    def pick_ets(
        self,
        rnd: int,
        districts: list[int],
        k: int,
        *,
        exclude: set[str] = frozenset(),
        limit: int = 2,
    ) -> list[DemoOrg]:
        cand = [
            o
            for o in self.ets
            if set(o.districts) & set(districts)
            and o.tax_code not in exclude
            and self.count[rnd][o.tax_code] < limit
            and not (rnd == 1 and o.newcomer)
        ]
        chosen: list[DemoOrg] = []
        if rnd == 2:  # the same partners again, and newcomers
            again = [
                o for o in cand if any(o.tax_code in self.history.get(d, ()) for d in districts)
            ]
            chosen += self.rng.sample(again, k=min(len(again), k // 2))
            new = [o for o in cand if o.newcomer and o not in chosen]
            chosen += self.rng.sample(new, k=min(len(new), 1 + (k > 4)))
        rest = [o for o in cand if o not in chosen]
        chosen += self.rng.sample(rest, k=max(0, min(len(rest), k - len(chosen))))
        return chosen

    def optional_public(self, districts: list[int]) -> list[DemoOrg]:
        area = self.comuni(districts)
        local = [
            o
            for o in self.public
            if o.kind != "asl" and set(o.comuni_served) <= area and o.seat in area
        ]
        out = self.rng.sample(local, k=min(len(local), self.rng.choice((0, 1, 1, 2))))
        asl = [o for o in self.public if o.kind == "asl" and set(o.comuni_served) & area]
        if asl and self.rng.random() < 0.5:
            out.append(self.rng.choice(asl))
        return out

    def add(
        self,
        rnd: int,
        code: str,
        districts: list[int],
        members: list[tuple[DemoOrg, str]],
        *,
        status: str,
        year: int,
        measure: int = 1,
        source: str = DEMO_SOURCE,
        budget: bool = True,
    ) -> DemoATS:
        names = " e ".join(self.dnames[d] for d in districts)
        towns = [self.dnames[d].removeprefix("Distretto di ") for d in districts]
        where = (
            f"nei distretti di {' e '.join(towns)}"
            if len(towns) > 1
            else f"nel distretto di {towns[0]}"
        )
        ets_themes = Counter(t for o, _ in members if o.kind == "ets" for t in o.themes)
        themes = sorted({self.rng.choice(_PRIORITY), *(t for t, _ in ets_themes.most_common(2))})
        lead = members[0][0]
        n_ets = sum(o.kind == "ets" for o, _ in members)
        ats = DemoATS(
            code=code,
            title=f"{self.rng.choice(_CONCEPTS)} – {names}",
            measure=measure,
            call_round=rnd,
            year=year,
            status=status,
            districts=sorted(districts),
            members=[(o.tax_code, role) for o, role in members],
            themes=themes,
            description=(
                f"Progetto di welfare territoriale promosso da {lead.name} con {n_ets} enti del "
                f"Terzo Settore {where}. Prevede "
                f"{self.rng.choice(_ACTIONS)} e {self.rng.choice(_ACTIONS)}."
            ),
            budget_eur=self.rng.randrange(179000, 867000, 1000) if budget else None,
            source=source,
        )
        for o, _ in members:
            if o.kind == "ets" and measure == 1:
                self.count[rnd][o.tax_code] += 1
        self.out.append(ats)
        return ats

    def funded_round(self, rnd: int, groups: list[list[int]], year: int, status: str) -> None:
        for n, group in enumerate(groups, start=1):
            egs = [o for d in group for o in self.egs[d]]
            lead = max(
                egs, key=lambda o: sum(self.geo.comuni[c].population or 0 for c in o.comuni_served)
            )
            ets = self.pick_ets(rnd, group, self.rng.randint(3, 6))
            members = [(lead, "capofila")] + [(o, "mandante") for o in egs if o is not lead]
            members += [(o, "mandante") for o in ets + self.optional_public(group)]
            self.add(rnd, f"DEMO-M1-R{rnd}-{n:02d}", group, members, status=status, year=year)
            if rnd == 1:
                for d in group:
                    self.history.setdefault(d, []).extend(o.tax_code for o in ets)


def plan_partnerships(
    rng: random.Random, geo: Geography, orgs: list[DemoOrg], district_names: dict[int, str]
) -> list[DemoATS]:
    """Round 1 (2018) and round 2 (2022) of Misura 1, Misura 3 networks and the drafts."""
    p = _Planner(rng, geo, orgs, district_names)
    p.funded_round(1, p.groups(8, set()), 2018, "concluso")
    multi = [d for d in range(len(geo.districts)) if len(p.egs[d]) >= 2]
    out_r2 = {rng.choice(sorted(set(range(len(geo.districts))) - set(multi)))}
    out_r2.add(rng.choice(sorted(set(range(len(geo.districts))) - out_r2)))
    p.funded_round(2, p.groups(6, out_r2), 2022, "finanziato")
    _misura3(p)
    _drafts(p, sorted(out_r2), multi)
    return p.out


def _misura3(p: _Planner) -> None:
    firms = [o for o in p.orgs if o.kind == "impresa"]
    for n in range(1, 7):
        lead = firms[(n * 7) % len(firms)]
        d = lead.districts[0]
        area = [d, *p.geo.neighbours[d]]
        others = [o for o in firms if o is not lead and o.districts[0] in area][
            : p.rng.randint(1, 3)
        ]
        ets = p.pick_ets(1, [d], p.rng.randint(1, 2), limit=99)
        members = [(lead, "capofila")] + [(o, "mandante") for o in others + ets]
        p.add(1, f"DEMO-M3-R1-{n:02d}", [d], members, status="finanziato", year=2019, measure=3)


def _drafts(p: _Planner, out_r2: list[int], multi: list[int]) -> None:
    def src(rule: str) -> str:
        return f"{DEMO_SOURCE}; violazione voluta: {rule}"

    def eg_members(d: int) -> list[tuple[DemoOrg, str]]:
        egs = p.egs[d]
        return [(egs[0], "capofila")] + [(o, "mandante") for o in egs[1:]]

    used: set[str] = set()

    def fresh(rnd: int, d: int, k: int) -> list[DemoOrg]:
        chosen = p.pick_ets(rnd, [d], k, exclude=used, limit=1)
        used.update(o.tax_code for o in chosen)
        return chosen

    def add(rnd: int, rule: str, d: int, members: list[tuple[DemoOrg, str]]) -> None:
        p.add(
            rnd,
            f"DEMO-BOZZA-{rule}",
            [d],
            members,
            status="bozza",
            year=2022 if rnd == 2 else 2025,
            source=src(rule),
            budget=False,
        )

    area = [d for d in range(len(p.geo.districts)) if d not in out_r2]
    r3 = [d for d in multi if d not in out_r2][:1]
    r3 += [d for d in area if d not in r3][:4]
    d_eg, d_min, d_cap, d_pub, d_imp = r3[0], r3[1], r3[2], r3[3], r3[4]
    egs = p.egs[d_eg]
    add(
        3,
        "M1-EG-DISTRETTO",
        d_eg,
        [(egs[0], "capofila")]
        + [(o, "mandante") for o in egs[1:-1]]
        + [(o, "mandante") for o in fresh(3, d_eg, 2)],
    )
    add(3, "M1-ETS-MIN", d_min, eg_members(d_min))
    ets = fresh(3, d_cap, 2)
    add(
        3,
        "M1-CAPOFILA-EG",
        d_cap,
        [(ets[0], "capofila")]
        + [(o, "mandante") for o in p.egs[d_cap]]
        + [(o, "mandante") for o in ets[1:]],
    )
    inside = p.comuni([d_pub])
    outsider = next(
        o
        for o in p.public
        if o.kind == "comune"
        and o.seat not in inside
        and p.geo.districts[o.districts[0]].province != p.geo.districts[d_pub].province
    )
    add(
        3,
        "M1-PUBBLICI-TERRITORIO",
        d_pub,
        eg_members(d_pub)
        + [(o, "mandante") for o in fresh(3, d_pub, 2)]
        + [(outsider, "mandante")],
    )
    firm = next(o for o in p.orgs if o.kind == "impresa")
    add(
        3,
        "M1-NO-IMPRESE",
        d_imp,
        eg_members(d_imp) + [(o, "mandante") for o in fresh(3, d_imp, 2)] + [(firm, "mandante")],
    )
    # round 2: one district stayed out of the funded ATS; an ETS already in two ATS joins it
    d_out = out_r2[0]
    twice = sorted(t for t, n in p.count[2].items() if n == 2)
    if not twice:  # make one ETS take part twice (still within the limit)
        one = sorted(t for t, n in p.count[2].items() if n == 1)[0]
        target = next(
            a
            for a in p.out
            if a.call_round == 2 and a.measure == 1 and all(t != one for t, _ in a.members)
        )
        target.members.append((one, "mandante"))
        p.count[2][one] += 1
        twice = [one]
    third = next(o for o in p.ets if o.tax_code == twice[0])
    add(
        2,
        "M1-ETS-MAX2",
        d_out,
        eg_members(d_out) + [(third, "mandante")] + [(o, "mandante") for o in fresh(2, d_out, 1)],
    )
    d_dup = next(d for d in area if d not in r3)
    add(
        2, "M1-EG-UNA-ATS", d_dup, eg_members(d_dup) + [(o, "mandante") for o in fresh(2, d_dup, 2)]
    )
