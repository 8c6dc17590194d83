"""The real encoders: vector shapes and norms, names, the backend selector."""

from __future__ import annotations

import numpy as np
import pytest

from matchmaker.matching import SentenceTransformerEncoder, UseM3Encoder, make_encoder


def test_use_m3_encoder_is_normalised_and_multilingual():
    enc = make_encoder("use-m3")
    assert isinstance(enc, UseM3Encoder)
    assert enc is make_encoder("auto")  # one model per process
    vectors = enc.encode(["assistenza agli anziani", "care for the elderly", "corsi di sci"])
    assert vectors.shape == (3, 512)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_bundled_minilm_through_sentence_transformers():
    enc = make_encoder("sentence-transformers")
    assert isinstance(enc, SentenceTransformerEncoder)
    assert enc.name == "st:all-MiniLM-L6-v2"
    vectors = enc.encode(["home care for older people", "ski lessons for children"])
    assert vectors.shape == (2, 384)
    assert enc.dim == 384
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert make_encoder("auto", model=enc.model_ref).name == "st:model"


def test_backend_selector():
    assert make_encoder("none") is None
    with pytest.raises(ValueError, match="valore sconosciuto 'bert'"):
        make_encoder("bert")
