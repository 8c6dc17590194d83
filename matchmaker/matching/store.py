"""Vectors of profiles in the database: read what is current, embed what is missing."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from matchmaker.matching.encoders import Encoder
from matchmaker.matching.profiles import Profile
from matchmaker.storage.matching_models import ProfileEmbedding

__all__ = ["ProfileVectors", "ensure_vectors"]


@dataclasses.dataclass
class ProfileVectors:
    """The whole-profile vector (row 0) and the sentence vectors (rows 1..) of a profile."""

    whole: np.ndarray
    chunks: np.ndarray


def _stored(session: Session, model: str, profiles: Sequence[Profile]) -> dict[int, ProfileVectors]:
    wanted = {p.org_id: p.text_hash for p in profiles}
    out: dict[int, dict[int, np.ndarray]] = {}
    ids = list(wanted)
    for start in range(0, len(ids), 900):
        part = ids[start : start + 900]
        rows = session.execute(
            select(
                ProfileEmbedding.organisation_id,
                ProfileEmbedding.text_hash,
                ProfileEmbedding.chunk,
                ProfileEmbedding.vector,
            ).where(ProfileEmbedding.model == model, ProfileEmbedding.organisation_id.in_(part))
        )
        for org_id, digest, chunk, blob in rows:
            if wanted.get(org_id) == digest:
                out.setdefault(org_id, {})[chunk] = np.frombuffer(blob, dtype=np.float32)
    result: dict[int, ProfileVectors] = {}
    by_id = {p.org_id: p for p in profiles}
    for org_id, chunks in out.items():
        n = len(by_id[org_id].chunks)
        if 0 in chunks and all(i in chunks for i in range(1, n + 1)):
            result[org_id] = ProfileVectors(
                chunks[0], np.stack([chunks[i] for i in range(1, n + 1)])
            )
    return result


def ensure_vectors(
    session: Session,
    encoder: Encoder,
    profiles: Sequence[Profile],
    *,
    batch: int = 256,
    progress: Callable[[int], None] | None = None,
    force: bool = False,
) -> dict[int, ProfileVectors]:
    """Vectors for every profile: stored ones when their text hash and model match,
    newly embedded (and stored, replacing the profile's older rows for this model) otherwise.

    Parameters
    ----------
    session : Session
        Writes go through it; the caller commits.
    encoder : Encoder
    profiles : sequence of Profile
    batch : int
        Profiles embedded per encoder call (whole texts and sentences together).
    progress : callable, optional
        Called with the number of profiles done after each batch.
    force : bool
        Embed every profile again even when stored vectors are current.
    """
    found = {} if force else _stored(session, encoder.name, profiles)
    if progress and found:
        progress(len(found))
    missing = [p for p in profiles if p.org_id not in found]
    for start in range(0, len(missing), batch):
        part = missing[start : start + batch]
        texts: list[str] = []
        for p in part:
            texts.append(p.text)
            texts.extend(p.chunks)
        vectors = encoder.encode(texts)
        rows = []
        at = 0
        for p in part:
            n = 1 + len(p.chunks)
            block = vectors[at : at + n]
            at += n
            found[p.org_id] = ProfileVectors(block[0], block[1:])
            digest = p.text_hash
            for i, text in enumerate((p.text, *p.chunks)):
                rows.append(
                    {
                        "organisation_id": p.org_id,
                        "model": encoder.name,
                        "text_hash": digest,
                        "chunk": i,
                        "text": text,
                        "dim": int(block.shape[1]),
                        "vector": block[i].astype(np.float32).tobytes(),
                    }
                )
        session.execute(
            delete(ProfileEmbedding).where(
                ProfileEmbedding.model == encoder.name,
                ProfileEmbedding.organisation_id.in_([p.org_id for p in part]),
            )
        )
        session.execute(insert(ProfileEmbedding), rows)
        if progress:
            progress(len(part))
    return found
