"""One search: candidates, channel scores, fusion, re-ranking by sentences, explanations.

Stage 1 scores every candidate on the whole-profile channels (semantic, lexical, themes,
territory, network) with vectorised array operations. Stage 2 takes the best
``POOL`` candidates of stage 1 (all of them in a small catalogue) and adds the sentence
channel: the best cosine between the need and any sentence of the profile. Its z-score is
computed against a fixed sample of the candidates plus the pool, so that a large catalogue
is normalised like a small one.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.domain import MemberRole, PartnershipStatus
from matchmaker.matching.capacity import capacity_usage
from matchmaker.matching.explain import explanation
from matchmaker.matching.fusion import Z_CHANNELS, squash, zscore
from matchmaker.matching.index import KINDS, MatchIndex
from matchmaker.matching.network import Ties, draft_ats_led_by, ties_of
from matchmaker.matching.places import PlaceSet
from matchmaker.matching.profiles import district_comuni
from matchmaker.matching.query import CHANNELS, MatchQuery, MatchResult
from matchmaker.storage.models import Organisation, Partnership, PartnershipMember

if TYPE_CHECKING:
    from matchmaker.matching.engine import MatchEngine

__all__ = ["POOL", "rank"]

#: candidates re-ranked with sentence-level matching
POOL = 300
_SAMPLE = 300
_HARD_TERRITORY = 0.5
_MIN_POPULATION = 30
_FEEDBACK_K = 5
_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="matching-dense")
_TERRITORIAL_PUBLIC = ("comune", "unione_comuni", "asl")


class _Context:
    """The query after enrichment from the asking organisation and its draft ATS."""

    def __init__(self) -> None:
        self.text = ""
        self.declared: list[tuple[str, float]] = []
        self.places = PlaceSet()
        self.exclude: set[str] = set()
        self.asker_id: int | None = None


def _context(engine: MatchEngine, session: Session, query: MatchQuery) -> _Context:
    ctx = _Context()
    ctx.text = query.text.strip()
    ctx.declared = [(code, 1.0) for code in query.themes]
    ctx.exclude = set(query.exclude_tax_codes)
    if ctx.text:
        ctx.places = engine.gazetteer.find(ctx.text)
    if query.for_tax_code:
        org = session.scalar(
            select(Organisation).where(Organisation.tax_code == query.for_tax_code)
        )
        if org is None:
            raise ValueError(f"for_tax_code: nessun ente con codice fiscale {query.for_tax_code}")
        ctx.asker_id = org.id
        ctx.exclude.add(org.tax_code)
        extra_text = [org.description or org.name]
        ctx.declared += [(t.code, 0.5) for t in org.themes]
        comuni = {c.istat_code for c in org.comuni_served}
        if org.seat_comune_code:
            comuni.add(org.seat_comune_code)
        for district in org.districts:
            comuni.update(c.istat_code for c in district.comuni)
        drafts = session.scalars(
            select(Partnership)
            .join(PartnershipMember, PartnershipMember.partnership_id == Partnership.id)
            .where(
                PartnershipMember.organisation_id == org.id,
                PartnershipMember.role == MemberRole.CAPOFILA,
                Partnership.status == PartnershipStatus.BOZZA,
            )
        ).all()
        for ats in drafts:
            if ats.description:
                extra_text.insert(0, ats.description)
            ctx.declared += [(t.code, 1.0) for t in ats.themes]
            for district in ats.districts:
                comuni.update(c.istat_code for c in district.comuni)
            ctx.exclude.update(m.organisation.tax_code for m in ats.members)
        if not ctx.text:
            ctx.text = " ".join(t for t in extra_text if t).strip()
        if comuni:
            ctx.places = ctx.places.union(PlaceSet(comuni=frozenset(comuni)))
    if query.districts:
        found = district_comuni(session, query.districts)
        unknown = [code for code in query.districts if not found.get(code)]
        if unknown:
            raise ValueError(f"districts: distretto sconosciuto o senza comuni: {unknown[0]}")
        comuni = frozenset(c for codes in found.values() for c in codes)
        ctx.places = ctx.places.union(PlaceSet(comuni=comuni, labels=tuple(query.districts)))
    if not ctx.text and not ctx.declared:
        raise ValueError("richiesta vuota: indicare un testo, dei temi o l'ente richiedente")
    return ctx


def rank(
    engine: MatchEngine,
    index: MatchIndex,
    session: Session,
    query: MatchQuery,
    weights: dict[str, float],
) -> list[MatchResult]:
    """Score, fuse, re-rank and explain (see the module docstring)."""
    ctx = _context(engine, session, query)
    n = index.size
    allowed = index.kind_mask(query.kinds)
    for code in ctx.exclude:
        slot = index.slot_of_tax.get(code)
        if slot is not None:
            allowed[slot] = False
    flagged: dict[int, list[str]] = {}
    if query.call_round is not None and query.measure is not None:
        for org_id, cap in capacity_usage(session, query.call_round, query.measure).items():
            slot = index.slot_of.get(org_id)
            if slot is not None and cap.full:
                flagged.setdefault(slot, []).append("capienza_esaurita")
                if query.exclude_at_capacity:
                    allowed[slot] = False

    raw: dict[str, np.ndarray] = {}
    use_places = bool(ctx.places) and query.territory != "off"
    if use_places:
        closeness = engine.gazetteer.closeness(ctx.places)
        raw["territory"] = index.territory(closeness)
        if query.territory == "hard":
            allowed &= raw["territory"] >= _HARD_TERRITORY
        if query.radius_km is not None:
            allowed &= index.territory(engine.gazetteer.distance_km(ctx.places), nearest=True) <= (
                query.radius_km
            )
        public = np.isin(index.kinds[:n], [KINDS.index(k) for k in _TERRITORIAL_PUBLIC])
        for slot in np.flatnonzero(public & allowed & (raw["territory"] < _HARD_TERRITORY)):
            flagged.setdefault(int(slot), []).append("fuori_territorio")
    cand = np.flatnonzero(allowed)
    if cand.size == 0:
        return []

    encoder = engine.encoder
    qv = encoder.encode([ctx.text])[0] if encoder is not None and ctx.text else None
    # the dense product runs on a worker thread (BLAS releases the GIL) while this thread
    # walks the lexical posting lists
    dense = _WORKER.submit(index.semantic, qv) if qv is not None else None
    ql = index.lexical.weight(index.lexical.counts([ctx.text]), query=True) if ctx.text else None
    if ql is not None:
        raw["lexical"] = index.lexical_scores(ql)
    if dense is not None:
        raw["semantic"] = dense.result()

    # statistics of the candidates, or of every profile when the candidates are too few for
    # a mean and a deviation to mean anything (e.g. the three businesses of a catalogue)
    every = cand.size == n
    stats = None if cand.size >= _MIN_POPULATION else np.flatnonzero(index.alive[:n])

    def of_candidates(values: np.ndarray) -> np.ndarray:
        return values if every else values[cand]

    def standardised(values: np.ndarray) -> np.ndarray:
        return zscore(of_candidates(values), None if stats is None else values[stats])

    z = {c: standardised(raw[c]) for c in ("semantic", "lexical") if c in raw}
    base = sum(z.values()) if z else np.zeros(cand.size, np.float32)
    declared = np.zeros(len(engine.theme_space.codes), dtype=np.float32)
    for code, weight in ctx.declared:
        if code in engine.theme_space.column:
            declared[engine.theme_space.column[code]] += weight
    if declared.any():
        declared /= np.linalg.norm(declared)
    labels = engine.theme_space.from_labels(qv, ql) if ctx.text else declared * 0
    if z:
        k = min(_FEEDBACK_K, cand.size)
        best = np.argpartition(-base, k - 1)[:k]
        feedback = engine.theme_space.feedback(base[best], index.theme_matrix[cand[best]])
    else:
        feedback = declared * 0
    tq = engine.theme_space.query_vector(declared, labels, feedback)
    if tq.any():
        raw["themes"] = index.theme_scores(tq)
    ties = None
    if ctx.asker_id is not None or query.prefer_newcomers:
        ties = _ties(session, ctx.asker_id)
        raw["network"] = _network(ties, index.org_ids[cand], query.prefer_newcomers)

    norm: dict[str, np.ndarray] = {}
    for name, values in raw.items():
        if weights.get(name, 0) <= 0:
            continue
        if name in Z_CHANNELS:
            norm[name] = squash(z[name] if name in z else standardised(values))
        elif name == "network":
            norm[name] = values
        else:
            norm[name] = of_candidates(values)
    use_sentences = qv is not None and weights.get("sentence", 0) > 0
    if not norm and not use_sentences:
        raise ValueError("nessun canale attivo: tutti i pesi dei canali applicabili sono zero")
    stage1 = _fuse(norm, weights, cand.size)
    if not norm and "semantic" in raw:  # sentence channel alone: pool by the whole profile
        stage1 = of_candidates(raw["semantic"])
    pool = np.argpartition(-stage1, POOL - 1)[:POOL] if cand.size > POOL else np.arange(cand.size)
    pooled = {name: values[pool] for name, values in norm.items()}
    if use_sentences:
        best = index.sentence(qv, cand[pool])
        if pool.size < cand.size or stats is not None:
            population_slots = cand if stats is None else stats
            step = max(1, population_slots.size // _SAMPLE)
            sample = population_slots[::step][:_SAMPLE]
            population = np.concatenate([index.sentence(qv, sample), best])
        else:
            population = best
        pooled["sentence"] = squash(zscore(best, population))
    final = _fuse(pooled, weights, pool.size)
    k = min(query.top_k, pool.size)
    top = np.argpartition(-final, k - 1)[:k]
    top = top[np.lexsort((cand[pool][top], -final[top]))]
    total = sum(weights[c] for c in pooled)
    results = []
    for i in top:
        slot = int(cand[pool][i])
        profile = index.profiles[slot]
        assert profile is not None
        contributions = {
            c: round(float(weights[c] * pooled[c][i] / total), 4) for c in CHANNELS if c in pooled
        }
        flags = flagged.get(slot, [])
        sentence = None
        found = index.best_chunk(qv, slot) if use_sentences else None
        if found is not None and found[0] < len(profile.chunks):
            sentence = (profile.chunks[found[0]], found[1])
        territory = None
        if "territory" in raw:
            territory = _territory_reason(
                engine, index, slot, ctx.places, closeness, float(raw["territory"][slot])
            )
        network = None
        if ties is not None:
            network = ties.score(profile.org_id, query.prefer_newcomers)
        results.append(
            MatchResult(
                tax_code=profile.tax_code,
                name=profile.name,
                kind=profile.kind,
                score=round(float(final[i]), 4),
                channels=contributions,
                explanation=explanation(
                    space=engine.theme_space,
                    candidate_themes=profile.themes,
                    query_theme_vector=tq,
                    channels=contributions,
                    sentence=sentence,
                    territory=territory,
                    network=network,
                    flags=flags,
                ),
                flags=list(flags),
            )
        )
    leads = [index.slot_of_tax[r.tax_code] for r in results if r.kind == "ente_gestore"]
    if leads:  # ETS -> Enti Gestori: the draft ATS each of them leads
        drafts = draft_ats_led_by(session, [int(index.org_ids[s]) for s in leads])
        for r in results:
            if r.kind == "ente_gestore":
                org_id = int(index.org_ids[index.slot_of_tax[r.tax_code]])
                r.explanation["ats_in_bozza"] = drafts.get(org_id, [])
    return results


def _fuse(norm: dict[str, np.ndarray], weights: dict[str, float], size: int) -> np.ndarray:
    total = sum(weights[c] for c in norm)
    if not norm or total <= 0:
        return np.zeros(size, dtype=np.float32)
    return sum(weights[c] * values for c, values in norm.items()) / total


def _territory_reason(
    engine: MatchEngine,
    index: MatchIndex,
    slot: int,
    places: PlaceSet,
    closeness: np.ndarray,
    score: float,
) -> tuple[float, str]:
    """The reason for the territory score: the candidate's closest comune, described."""
    comuni = index.places_of(slot)
    if comuni.size == 0:
        return score, "nessun comune noto per questo ente"
    best = int(comuni[int(np.argmax(closeness[comuni]))])
    return score, engine.gazetteer.describe(places, engine.gazetteer.codes[best], closeness)[1]


def _ties(session: Session, asker_id: int | None) -> Ties:
    if asker_id is not None:
        return ties_of(session, asker_id)
    members = frozenset(session.scalars(select(PartnershipMember.organisation_id)).all())
    return Ties(frozenset(), frozenset(), members)


def _network(ties: Ties, ids: np.ndarray, newcomers: bool) -> np.ndarray:
    """Network score per candidate id, as :meth:`Ties.score` computes it one by one."""
    direct = np.isin(ids, list(ties.direct))
    second = np.isin(ids, list(ties.second))
    if newcomers:
        out = np.where(np.isin(ids, list(ties.in_any_ats)), 0.5, 1.0).astype(np.float32)
        out[second] = 0.5
        out[direct] = 0.0
    else:
        out = np.zeros(ids.size, dtype=np.float32)
        out[second] = 0.5
        out[direct] = 1.0
    return out
