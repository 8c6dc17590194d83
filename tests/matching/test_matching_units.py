"""Array- and text-level pieces of matching: no database, no model."""

from __future__ import annotations

import numpy as np
import pytest

from matchmaker.matching import metrics_at_k, parse_weights
from matchmaker.matching.fusion import squash, zscore
from matchmaker.matching.lexical import CharTfidf
from matchmaker.matching.places import gazetteer
from matchmaker.matching.text import profile_text, split_sentences, text_hash


def test_metrics_exact_values():
    m = metrics_at_k(["x", "a", "y", "b"], {"a": 2, "b": 1, "c": 1})
    ideal = 2 + 1 / np.log2(3) + 1 / np.log2(4)
    assert m["ndcg@10"] == pytest.approx((2 / np.log2(3) + 1 / np.log2(5)) / ideal)
    assert m["mrr@10"] == 0.5
    assert m["recall@10"] == pytest.approx(2 / 3)
    assert metrics_at_k([], {"a": 1}) == {"ndcg@10": 0.0, "mrr@10": 0.0, "recall@10": 0.0}


def test_weights_parsing_and_errors():
    w = parse_weights("territory=2, network=0")
    assert (w["territory"], w["network"], w["semantic"]) == (2.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="canale sconosciuto: 'colore'"):
        parse_weights("colore=1")
    with pytest.raises(ValueError, match="deve essere >= 0"):
        parse_weights({"lexical": -1})
    with pytest.raises(ValueError, match="atteso canale=peso"):
        parse_weights("lexical")


def test_zscore_and_squash():
    z = zscore(np.array([1.0, 2.0, 3.0]))
    assert z == pytest.approx([-1.2247449, 0.0, 1.2247449])
    assert zscore(np.array([5.0, 5.0])).tolist() == [0.0, 0.0]
    assert squash(np.array([1.0]))[0] == pytest.approx(0.5)
    assert 0 < squash(np.array([-50.0]))[0] < squash(np.array([50.0]))[0] <= 1


def test_sentences_and_profile_text():
    text = "Mensa aperta sette giorni su sette. Circa 120 pasti. In cucina lavorano persone."
    assert split_sentences(text) == [
        "Mensa aperta sette giorni su sette.",
        "Circa 120 pasti. In cucina lavorano persone.",  # a short piece joins the next
    ]
    assert split_sentences("") == []
    many = ". ".join(f"frase abbastanza lunga numero {i}" for i in range(20))
    assert len(split_sentences(many)) == 12
    assert profile_text("Ente", "  Descrizione\n lunga ") == "Ente. Descrizione lunga"
    assert text_hash("a") != text_hash("b")
    assert len(text_hash("a")) == 64


@pytest.mark.parametrize(
    ("text", "labels", "provinces"),
    [
        ("povertà educativa minori doposcuola Alessandria", ("Alessandria",), set()),
        ("rete antiviolenza nel Novarese", ("Novarese",), {"NO"}),
        ("Sostegno alle neo-mamme in Val di Susa", ("Val di Susa",), set()),
        ("nelle valli Stura, Grana e Maira", None, set()),
        ("Il sale e il pepe; Re e regine", (), set()),
        ("nel comune di Re e a Sale", ("Re", "Sale"), set()),
    ],
)
def test_place_names(text, labels, provinces):
    found = gazetteer().find(text)
    if labels is not None:
        assert found.labels == labels
    assert set(found.provinces) == provinces


def test_valley_enumeration_and_closeness():
    g = gazetteer()
    found = g.find("nelle valli Stura, Grana e Maira")
    names = {g.names[c] for c in found.comuni}
    assert {"Demonte", "Caraglio", "Dronero"} <= names
    close = g.closeness(g.find("a Cuneo"))
    cuneo, borgo = g.index["004078"], g.index["004025"]
    assert close[cuneo] == 1.0
    assert close[borgo] == pytest.approx(0.9)  # Borgo San Dalmazzo borders Cuneo
    torino = g.index["001272"]
    assert close[torino] == pytest.approx(np.exp(-73.6 / 20), abs=2e-3)  # ~74 km
    assert g.describe(g.find("nel Biellese"), "096004")[1].startswith("Biella è nella provincia")


def test_char_tfidf_matches_morphology():
    lex = CharTfidf()
    docs = ["assistenza agli anziani a domicilio", "corsi di calcio per ragazzi"]
    counts = lex.counts(docs)
    lex.fit(counts)
    matrix = lex.weight(counts)
    query = lex.weight(lex.counts(["anziano assistito"]), query=True)
    scores = (matrix @ query.T).toarray().ravel()
    assert scores[0] > 0.2 > scores[1]
    assert np.allclose(np.sqrt(matrix.multiply(matrix).sum(axis=1)), 1.0)


def test_all_zero_weights_are_refused(fake_engine):
    from matchmaker.matching import MatchQuery

    zero = dict.fromkeys(("semantic", "sentence", "lexical", "themes", "territory", "network"), 0)
    with pytest.raises(ValueError, match="nessun canale attivo"):
        fake_engine.search(MatchQuery(text="mensa sociale"), weights=zero)
