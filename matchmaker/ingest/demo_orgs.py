"""The organisations of the illustrative data set, as plain records (no database).

Tax codes come from a documented fictitious range: 11-digit numbers ``99NNNNN999C`` (matricola
starting with 99, provincial-office code 999, Luhn check digit), valid for python-stdnum's
``it.iva`` and disjoint from the office codes 001-100 that real codes of Piemonte carry.
"""

from __future__ import annotations

import dataclasses
import math
import random
import re
import unicodedata

from stdnum import luhn

from matchmaker.ingest.demo_geo import Geography
from matchmaker.ingest.demo_text import (
    BUSINESS_SECTORS,
    PROFILES,
    describe_business,
    describe_ets,
)
from matchmaker.reference import ReferenceData

__all__ = ["DemoOrg", "fictitious_tax_code", "plan_organisations"]

DEMO_SOURCE = "dati dimostrativi"


def fictitious_tax_code(serial: int, prefix: str = "99") -> str:
    """A valid 11-digit tax code of the fictitious range ``<prefix>NNNNN999C``.

    Examples
    --------
    >>> fictitious_tax_code(1)
    '99000019994'
    """
    body = f"{prefix}{serial:0{7 - len(prefix)}d}999"
    if len(body) != 10:
        raise ValueError(f"serial {serial} does not fit the fictitious range {prefix}")
    return body + luhn.calc_check_digit(body)


@dataclasses.dataclass
class DemoOrg:
    tax_code: str
    name: str
    kind: str
    sector: str
    seat: str | None
    districts: list[int]
    comuni_served: list[str] = dataclasses.field(default_factory=list)
    runts_section: str | None = None
    themes: list[str] = dataclasses.field(default_factory=list)
    description: str = ""
    website: str | None = None
    email: str | None = None
    source: str = DEMO_SOURCE
    newcomer: bool = False  # an ETS founded after the first call round
    hub: bool = False


def _slug(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in {"di", "e", "la", "il"}]
    return "".join(words)[:28] or "ente"


class _Registry:
    def __init__(self) -> None:
        self.orgs: list[DemoOrg] = []
        self.names: set[str] = set()
        self.slugs: set[str] = set()

    def add(self, org: DemoOrg, *, contacts: bool = True) -> DemoOrg:
        base, n = org.name, 2
        while org.name in self.names:
            org.name, n = f"{base} {n}", n + 1
        self.names.add(org.name)
        org.tax_code = fictitious_tax_code(len(self.orgs) + 1)
        if contacts:
            slug, n = _slug(org.name), 2
            while slug in self.slugs:
                slug, n = f"{_slug(org.name)}{n}", n + 1
            self.slugs.add(slug)
            org.website = f"https://www.{slug}.example"
            org.email = f"info@{slug}.example"
        self.orgs.append(org)
        return org


def _eg_name(rng: random.Random, names: list[str], density: float, single_city: bool) -> str:
    if single_city:
        return f"Comune di {names[0]} – Servizi sociali"
    a = names[0]
    b = names[1] if len(names) > 1 else names[0]
    if density < 45:
        return rng.choice(
            (
                f"Unione Montana Servizi Sociali {a} e Valli",
                f"Consorzio Socio-Assistenziale delle Valli di {a}",
            )
        )
    return rng.choice(
        (
            f"Consorzio Intercomunale Servizi alla Persona {a}",
            f"Consorzio Socio-Assistenziale {a}-{b}",
            f"Ente Consortile per il Welfare dell'Area di {a}",
            f"Consorzio dei Servizi Sociali {a} e Comuni Associati",
        )
    )


def plan_organisations(rng: random.Random, geo: Geography, ref: ReferenceData) -> list[DemoOrg]:
    """Enti Gestori, ASL, Comuni and Unioni, ETS, businesses and a few other bodies."""
    reg = _Registry()
    pop = {c: geo.comuni[c].population or 0 for c in geo.comuni}
    name = {c: geo.comuni[c].name for c in geo.comuni}
    of = geo.district_of()

    def density(codes: list[str]) -> float:
        area = sum(geo.comuni[c].area_km2 or 0 for c in codes) or 1.0
        return sum(pop[c] for c in codes) / area

    eg_comuni: set[str] = set()
    for d, parts in enumerate(geo.enti_gestori):
        for part in parts:
            ranked = sorted(part.comuni, key=lambda c: (-pop[c], c))
            single = len(part.comuni) == 1 and pop[ranked[0]] >= 45000
            if single:
                eg_comuni.add(ranked[0])
            reg.add(
                DemoOrg(
                    "",
                    _eg_name(rng, [name[c] for c in ranked[:2]], density(part.comuni), single),
                    "ente_gestore",
                    "public",
                    part.main,
                    [d],
                    comuni_served=sorted(part.comuni),
                    description=(
                        "Ente gestore delle funzioni socio-assistenziali "
                        + (
                            f"del comune di {name[ranked[0]]}. "
                            if len(ranked) == 1
                            else f"per {len(ranked)} comuni "
                            f"({', '.join(name[c] for c in ranked[:3])}"
                            f"{' e altri' if len(ranked) > 3 else ''}). "
                        )
                        + "Gestisce il servizio sociale professionale, l'assistenza domiciliare, "
                        "i centri diurni e gli interventi di sostegno al reddito."
                    ),
                )
            )
    _plan_asl(reg, geo, ref)
    # Comuni (the largest that are not Enti Gestori) and Unioni of small comuni
    for d, district in enumerate(geo.districts):
        ranked = [
            c for c in sorted(district.comuni, key=lambda c: (-pop[c], c)) if c not in eg_comuni
        ]
        for c in ranked[: 2 if len(district.comuni) > 40 else 1]:
            reg.add(
                DemoOrg(
                    "",
                    f"Comune di {name[c]}",
                    "comune",
                    "public",
                    c,
                    [d],
                    [c],
                    description=(
                        f"Amministrazione comunale di {name[c]} ({pop[c]} abitanti nel 2011)."
                    ),
                )
            )
        if len(district.comuni) >= 30:
            small = sorted((c for c in district.comuni if pop[c] < 3000), key=lambda c: (pop[c], c))
            if small:
                start = small[len(small) // 2]
                members = _cluster(start, set(district.comuni) - eg_comuni, geo, rng.randint(3, 6))
                kind_word = "Montana" if density(members) < 45 else "Collinare"
                lead = max(members, key=lambda c: (pop[c], c))
                second = max(
                    (c for c in members if c != lead), key=lambda c: (pop[c], c), default=lead
                )
                reg.add(
                    DemoOrg(
                        "",
                        f"Unione {kind_word} {name[lead]}"
                        + (f" e {name[second]}" if second != lead else ""),
                        "unione_comuni",
                        "public",
                        lead,
                        [d],
                        sorted(members),
                        description=(
                            f"Unione di {len(members)} comuni: "
                            f"{', '.join(name[c] for c in sorted(members))}."
                        ),
                    )
                )
    # ETS: a floor per district plus a share by population; seats where people are
    total = sum(pop.values())
    for d, district in enumerate(geo.districts):
        n = 6 + round(220 * district.population(pop) / total)
        seats = sorted(district.comuni)
        weights = [max(pop[c], 50) for c in seats]
        for _ in range(n):
            seat = rng.choices(seats, weights)[0]
            reg.add(_ets(rng, d, seat, geo, density([seat])))
    for i in range(40):
        seat = rng.choices(sorted(pop), [pop[c] ** 1.1 for c in sorted(pop)])[0]
        label, activity, themes = BUSINESS_SECTORS[i % len(BUSINESS_SECTORS)]
        chosen = sorted(rng.sample(themes, k=rng.randint(1, len(themes))))
        surname = rng.choice(_SURNAMES)
        reg.add(
            DemoOrg(
                "",
                f"{surname} {label} {rng.choice(('S.r.l.', 'S.p.A.', 'S.n.c.'))}",
                "impresa",
                "market",
                seat,
                [of[seat]],
                themes=chosen,
                description=describe_business(rng, activity, name[seat], chosen),
            )
        )
    for label, sector in (
        ("Istituto di Ricerca Sociale", "public"),
        ("Consorzio di Imprese", "market"),
    ):
        seat = rng.choice(sorted(c for c in pop if pop[c] > 40000))
        reg.add(
            DemoOrg(
                "",
                f"{label} di {name[seat]}",
                "altro",
                sector,
                seat,
                [of[seat]],
                themes=["sussidiarieta_circolare"],
                description=f"{label} con sede a {name[seat]}, partner di reti territoriali.",
            )
        )
    return reg.orgs


_QUARTIERI = (
    "Barriera di Milano",
    "San Salvario",
    "Mirafiori Sud",
    "Vallette",
    "Aurora",
    "Borgo San Paolo",
    "Falchera",
    "Lingotto",
    "Madonna di Campagna",
    "Borgo Vittoria",
    "Pozzo Strada",
    "Santa Rita",
    "Vanchiglia",
    "Le Vallette",
    "Lucento",
)
_SURNAMES = (
    "Rinaldi",
    "Ferrero",
    "Bianco",
    "Gallo",
    "Costa",
    "Marengo",
    "Rosso",
    "Bertola",
    "Giordano",
    "Aimone",
    "Cravero",
    "Operti",
    "Bosio",
    "Ghione",
    "Dellavalle",
)


def _cluster(start: str, allowed: set[str], geo: Geography, size: int) -> list[str]:
    members = [start]
    for code in members:
        for n in geo.adjacency.get(code, ()):
            if n in allowed and n not in members and len(members) < size:
                members.append(n)
    return members


def _ets(rng: random.Random, d: int, seat: str, geo: Geography, dens: float) -> DemoOrg:
    weights = [3 if p.key not in ("mutualita", "filantropia", "montagna") else 1 for p in PROFILES]
    if dens < 45:
        weights = [
            w * (4 if p.key == "montagna" else 1) for p, w in zip(PROFILES, weights, strict=True)
        ]
    elif dens > 150:  # no mountain hamlets in towns and cities
        weights = [0 if p.key == "montagna" else w for p, w in zip(PROFILES, weights, strict=True)]
    profile = rng.choices(PROFILES, weights)[0]
    section = rng.choice(profile.sections + profile.sections[:1])
    stem = rng.choice(profile.stems)
    town = geo.comuni[seat].name
    pattern = {
        "odv": ("Associazione {s} ODV", "Volontari {s} di {t} ODV", "{s} ODV"),
        "aps": ("{s} APS", "Associazione {s} APS", "Circolo {s} di {t} APS"),
        "impresa_sociale": (
            "Cooperativa Sociale {s}",
            "{s} Società Cooperativa Sociale",
            "Cooperativa Sociale {s} di {t}",
        ),
        "ente_filantropico": ("Fondazione {s} di {t}",),
        "rete_associativa": ("Rete {s} di {t}", "Coordinamento {s}"),
        "societa_mutuo_soccorso": ("Società di Mutuo Soccorso {s} di {t}",),
        "altro_ets": ("Comitato {s} di {t}", "Ente {s}"),
    }[section]
    name = rng.choice(pattern).format(s=stem, t=town)
    districts = [d]
    neighbours = geo.neighbours[d]
    if neighbours and rng.random() < (0.3 if len(geo.districts[d].comuni) == 1 else 0.18):
        districts.append(rng.choice(neighbours))
    places = sorted({geo.comuni[c].name for k in districts for c in _top(geo, k, 4)} - {town})
    place = town
    if geo.comuni[seat].population and geo.comuni[seat].population > 400000:
        place = rng.choice(_QUARTIERI)  # a neighbourhood of the big city
        places = sorted({*places, *rng.sample(_QUARTIERI, 2)} - {place})
    newcomer = rng.random() < 0.12
    themes = sorted(rng.sample(profile.themes, k=rng.randint(1, min(4, len(profile.themes)))))
    year = rng.randint(2020, 2022) if newcomer else rng.randint(1978, 2016)
    return DemoOrg(
        "",
        name,
        "ets",
        "third_sector",
        seat,
        sorted(districts),
        runts_section=section,
        themes=themes,
        description=describe_ets(rng, profile, stem, section, town, places, year, place),
        newcomer=newcomer,
        hub=rng.random() < 0.05,
    )


def _top(geo: Geography, d: int, n: int) -> list[str]:
    return sorted(geo.districts[d].comuni, key=lambda c: (-(geo.comuni[c].population or 0), c))[:n]


def _plan_asl(reg: _Registry, geo: Geography, ref: ReferenceData) -> None:
    """The 12 real ASL (names real, tax codes fictitious). Their comuni come from the reference
    data where a province has one ASL; in Torino and Cuneo provinces, where no open table
    exists, each illustrative district goes to the ASL whose seat is nearest (illustrative)."""
    by_code = {a.code: a for a in ref.asl}
    known = ref.comune_asl()
    seats = {
        a.code: next((c for c in geo.comuni.values() if c.name == a.seat), None) for a in ref.asl
    }
    served: dict[str, set[str]] = {a.code: set() for a in ref.asl}
    for district in geo.districts:
        main = geo.comuni[district.main]
        candidates = [
            a.code for a in ref.asl if district.province in a.provinces and "Città" not in a.name
        ]
        for c in district.comuni:
            if c in known:
                served[known[c]].add(c)
                continue
            code = min(
                candidates,
                key=lambda k: math.dist(
                    (main.lat or 0, main.lon or 0), (seats[k].lat or 0, seats[k].lon or 0)
                ),
            )
            served[code].add(c)
    of = geo.district_of()
    for code in sorted(served):
        asl = by_code[code]
        comuni = sorted(served[code])
        reg.add(
            DemoOrg(
                "",
                asl.name,
                "asl",
                "public",
                seats[code].istat_code if seats[code] else None,
                sorted({of[c] for c in comuni}),
                comuni,
                description=(
                    f"Azienda sanitaria locale con sede a {asl.seat}: distretti "
                    "sanitari, consultori, servizi per le dipendenze e la salute "
                    "mentale, cure domiciliari."
                ),
                source=f"{DEMO_SOURCE}: nome reale, codice fiscale e territorio illustrativi",
            )
        )
