"""Tax codes and the kind -> sector mapping."""

from __future__ import annotations

import pytest

from matchmaker.domain import (
    DomainError,
    OrgKind,
    Sector,
    TaxCodeError,
    sector_for_kind,
    validate_tax_code,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("00514490010", "00514490010"),  # Comune di Torino
        ("80087670016", "80087670016"),  # Regione Piemonte
        (" 005 184 600-19 ", "00518460019"),  # spaces and dashes are tolerated
        ("rssmra85t10a562s", "RSSMRA85T10A562S"),  # personal code, lower case
    ],
)
def test_valid_tax_codes_are_normalised(raw, expected):
    assert validate_tax_code(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("00514490011", "carattere di controllo"),  # last digit changed
        ("RSSMRA85T10A562T", "carattere di controllo"),  # check letter changed
        ("0051449001", "lunghezza errata (10 caratteri)"),
        ("005144900100", "lunghezza errata (12 caratteri)"),
        ("RSSMRA85T10A562", "lunghezza errata (15 caratteri)"),
        ("", "mancante"),
        ("0051449A010", "formato non valido: attese 11 cifre"),
        ("00514491010", "ufficio provinciale"),  # office code 101 does not exist
        ("1234567890123456", "formato non valido per un codice fiscale personale"),
    ],
)
def test_invalid_tax_codes_say_why(raw, reason):
    with pytest.raises(TaxCodeError) as info:
        validate_tax_code(raw)
    assert reason in str(info.value)
    assert info.value.field == "tax_code"


def test_every_kind_has_the_documented_sector():
    assert {k: sector_for_kind(k) for k in OrgKind} == {
        OrgKind.ENTE_GESTORE: Sector.PUBLIC,
        OrgKind.ETS: Sector.THIRD_SECTOR,
        OrgKind.COMUNE: Sector.PUBLIC,
        OrgKind.UNIONE_COMUNI: Sector.PUBLIC,
        OrgKind.ASL: Sector.PUBLIC,
        OrgKind.IMPRESA: Sector.MARKET,
        OrgKind.ALTRO: Sector.PUBLIC,
    }
    assert sector_for_kind("altro", "market") is Sector.MARKET


def test_contradictory_or_unknown_sector_is_refused():
    with pytest.raises(DomainError, match="settore third_sector, non market"):
        sector_for_kind("ets", "market")
    with pytest.raises(DomainError, match="tipo di ente sconosciuto") as info:
        sector_for_kind("fondazione")
    assert info.value.field == "kind"
