"""Profile text: what is embedded for an organisation, its chunks and its hash."""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["fold", "profile_text", "split_sentences", "text_hash"]

_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=\S)")
_MIN_CHUNK = 30
_MAX_CHUNKS = 12


def profile_text(name: str, description: str) -> str:
    """The text embedded for a profile: its name, then its description."""
    name = (name or "").strip()
    description = " ".join((description or "").split())
    if not description:
        return name
    return f"{name}. {description}" if name else description


def split_sentences(text: str) -> list[str]:
    """Split a description into sentence chunks for sentence-level matching.

    Splits after ``. ! ? ; :``; a piece shorter than 30 characters is glued to the next
    one (so that "Piccoli gruppi e tanta pazienza:" does not stand alone), and at most 12
    chunks are kept (the tail is merged into the last).

    Examples
    --------
    >>> split_sentences("Corsi di smartphone per over 65 in nove comuni. Piccoli gruppi.")
    ['Corsi di smartphone per over 65 in nove comuni. Piccoli gruppi.']
    """
    text = " ".join((text or "").split())
    if not text:
        return []
    pieces = _SENTENCE_END.split(text)
    chunks: list[str] = []
    pending = ""
    for piece in pieces:
        pending = f"{pending} {piece}".strip() if pending else piece
        if len(pending) >= _MIN_CHUNK:
            chunks.append(pending)
            pending = ""
    if pending:
        if chunks:
            chunks[-1] = f"{chunks[-1]} {pending}"
        else:
            chunks.append(pending)
    if len(chunks) > _MAX_CHUNKS:
        chunks = [*chunks[: _MAX_CHUNKS - 1], " ".join(chunks[_MAX_CHUNKS - 1 :])]
    return chunks


def text_hash(text: str) -> str:
    """SHA-256 (hex) of a profile text: a changed text means new vectors."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fold(text: str) -> str:
    """Lower-case, strip accents and unify apostrophes/dashes, for place-name lookup."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("`", "'").replace("–", "-").replace("—", "-")
    return text.lower()
