"""From a ranking to explained suggestions: each channel adds its piece of the explanation."""

from __future__ import annotations

from matchmaker.domain import OrgKind
from matchmaker.matching.explain import Explanation, Piece
from matchmaker.matching.query import MatchResult
from matchmaker.matching.scoring import Hit, Ranking

__all__ = ["explain_hit", "to_results"]


def explain_hit(ranking: Ranking, hit: Hit, channels: dict[str, float]) -> Explanation:
    """The explanation of one hit of ``ranking``.

    Parameters
    ----------
    ranking : Ranking
    hit : Hit
    channels : dict of str to float
        The contributions as reported (rounded).
    """
    run = ranking.run
    pieces: list[tuple[str, Piece]] = []
    for channel in ranking.channels:
        scored = run.scored(channel.name)
        if scored is not None:
            piece = channel.explain(run, hit.slot, scored)
            if piece is not None:
                pieces.append((channel.name, piece))
    profile = run.index.profiles[hit.slot]
    assert profile is not None
    drafts = None  # ETS -> Enti Gestori: the draft ATS each of them leads
    if profile.kind == OrgKind.ENTE_GESTORE.value:
        drafts = run.context.drafts.get(profile.org_id, ())
    return Explanation.build(
        channels=channels,
        pieces=pieces,
        flags=hit.flags,
        labels=ranking.channels.labels,
        ats_in_bozza=drafts,
    )


def to_results(ranking: Ranking) -> list[MatchResult]:
    """The hits of ``ranking`` as explained :class:`MatchResult` objects, best first."""
    results = []
    for hit in ranking.hits:
        profile = ranking.run.index.profiles[hit.slot]
        assert profile is not None
        channels = {name: round(value, 4) for name, value in hit.channels.items()}
        results.append(
            MatchResult(
                tax_code=profile.tax_code,
                name=profile.name,
                kind=profile.kind,
                score=round(hit.score, 4),
                channels=channels,
                explanation=explain_hit(ranking, hit, channels),
                flags=list(hit.flags),
            )
        )
    return results
