"""Domain vocabulary: kinds of organisation, sectors, RUNTS sections, ATS statuses.

The Italian domain nouns (``ente_gestore``, ``ets``, ``asl``, ``comune``) are kept as they
are, both in code and in stored values, so that data files read naturally to the people
who write them.
"""

from __future__ import annotations

import dataclasses
import enum

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.it import codicefiscale, iva

__all__ = [
    "KIND_LABELS",
    "RUNTS_LABELS",
    "SECTOR_LABELS",
    "STATUS_LABELS",
    "CollaborationKind",
    "DomainError",
    "MemberRole",
    "OrgKind",
    "PartnershipStatus",
    "Role",
    "RuntsSection",
    "Sector",
    "TaxCodeError",
    "Viewer",
    "normalise_tax_code",
    "sector_for_kind",
    "validate_tax_code",
]


class DomainError(ValueError):
    """A value breaks a rule of the domain; ``field`` names the offending field.

    ``kind`` says what sort of rule: ``invalid`` (the value itself is wrong: a type, a length,
    a range), or one the shape of a request cannot state: ``reference`` (it names a record
    the database does not hold), ``check_digit`` (a tax code fails its check), ``conflict``
    (it contradicts stored data or another field), ``duplicate`` (the same member twice),
    ``state`` (not possible in the record's current state), ``forbidden`` (the account may
    not make this change). ``message_en`` is the English wording when the raiser gives one.
    """

    KINDS = ("invalid", "reference", "check_digit", "conflict", "duplicate", "state", "forbidden")

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        value: object = None,
        kind: str = "invalid",
        en: str | None = None,
    ):
        super().__init__(message)
        self.field = field
        self.value = value
        self.kind = kind
        self.message_en = en or message  # the English wording, when the raiser gives one


class TaxCodeError(DomainError):
    """An Italian tax code (codice fiscale / partita IVA) is not valid."""

    def __init__(self, message: str, *, field: str | None = None, value: object = None):
        super().__init__(message, field=field, value=value, kind="check_digit")


class OrgKind(enum.StrEnum):
    """What an organisation is, in the words of the call."""

    ENTE_GESTORE = "ente_gestore"
    ETS = "ets"
    COMUNE = "comune"
    UNIONE_COMUNI = "unione_comuni"
    ASL = "asl"
    IMPRESA = "impresa"
    ALTRO = "altro"


class Sector(enum.StrEnum):
    """The three sectors of circular subsidiarity."""

    PUBLIC = "public"
    THIRD_SECTOR = "third_sector"
    MARKET = "market"


class RuntsSection(enum.StrEnum):
    """Sections of the national register of third-sector bodies (RUNTS)."""

    ODV = "odv"
    APS = "aps"
    ENTE_FILANTROPICO = "ente_filantropico"
    IMPRESA_SOCIALE = "impresa_sociale"
    RETE_ASSOCIATIVA = "rete_associativa"
    SOCIETA_MUTUO_SOCCORSO = "societa_mutuo_soccorso"
    ALTRO_ETS = "altro_ets"


class PartnershipStatus(enum.StrEnum):
    """Life cycle of an ATS through the two phases of a call."""

    BOZZA = "bozza"
    PRELIMINARE_PRESENTATO = "preliminare_presentato"
    AMMESSO_FASE2 = "ammesso_fase2"
    NON_AMMESSO = "non_ammesso"
    DEFINITIVO_PRESENTATO = "definitivo_presentato"
    FINANZIATO = "finanziato"
    NON_FINANZIATO = "non_finanziato"
    CONCLUSO = "concluso"


class MemberRole(enum.StrEnum):
    """Role of a member in an ATS."""

    CAPOFILA = "capofila"
    MANDANTE = "mandante"


class Role(enum.StrEnum):
    """Roles of user accounts (see web/authz.py for what each may do)."""

    ADMIN = "admin"
    FACILITATORE = "facilitatore"
    ENTE = "ente"
    RICERCATORE = "ricercatore"


@dataclasses.dataclass(frozen=True)
class Viewer:
    """Who asks: the role of the account (None when signed out) and its organisation.

    The library decides with it what an account may change (an ``ente`` account edits only
    its own organisation and the draft ATS it is a member of); the web application builds
    one from the signed-in user.
    """

    role: Role | None = None
    organisation_id: int | None = None
    email: str | None = None

    @property
    def is_staff(self) -> bool:
        """Administrators and facilitators."""
        return self.role in (Role.ADMIN, Role.FACILITATORE)

    @property
    def is_ente(self) -> bool:
        return self.role == Role.ENTE

    @property
    def actor(self) -> str:
        """The name its writes are logged under."""
        return self.email or "anonimo"


class CollaborationKind(enum.StrEnum):
    """Kinds of declared tie between two organisations."""

    COPROGETTAZIONE = "coprogettazione"
    CONVENZIONE = "convenzione"
    PROTOCOLLO = "protocollo"
    RETE = "rete"
    SERVIZIO = "servizio"
    ALTRO = "altro"


_KIND_SECTOR = {
    OrgKind.ENTE_GESTORE: Sector.PUBLIC,
    OrgKind.COMUNE: Sector.PUBLIC,
    OrgKind.UNIONE_COMUNI: Sector.PUBLIC,
    OrgKind.ASL: Sector.PUBLIC,
    OrgKind.ETS: Sector.THIRD_SECTOR,
    OrgKind.IMPRESA: Sector.MARKET,
}

KIND_LABELS = {
    OrgKind.ENTE_GESTORE: "Ente gestore",
    OrgKind.ETS: "Ente del Terzo Settore",
    OrgKind.COMUNE: "Comune",
    OrgKind.UNIONE_COMUNI: "Unione di comuni",
    OrgKind.ASL: "ASL",
    OrgKind.IMPRESA: "Impresa",
    OrgKind.ALTRO: "Altro",
}

SECTOR_LABELS = {
    Sector.PUBLIC: "Pubblico",
    Sector.THIRD_SECTOR: "Terzo settore",
    Sector.MARKET: "Mercato",
}

RUNTS_LABELS = {
    RuntsSection.ODV: "Organizzazione di volontariato (ODV)",
    RuntsSection.APS: "Associazione di promozione sociale (APS)",
    RuntsSection.ENTE_FILANTROPICO: "Ente filantropico",
    RuntsSection.IMPRESA_SOCIALE: "Impresa sociale (incluse le cooperative sociali)",
    RuntsSection.RETE_ASSOCIATIVA: "Rete associativa",
    RuntsSection.SOCIETA_MUTUO_SOCCORSO: "Società di mutuo soccorso",
    RuntsSection.ALTRO_ETS: "Altro ente del Terzo Settore",
}

STATUS_LABELS = {
    PartnershipStatus.BOZZA: "Bozza",
    PartnershipStatus.PRELIMINARE_PRESENTATO: "Progetto preliminare presentato",
    PartnershipStatus.AMMESSO_FASE2: "Ammesso alla fase 2",
    PartnershipStatus.NON_AMMESSO: "Non ammesso",
    PartnershipStatus.DEFINITIVO_PRESENTATO: "Progetto definitivo presentato",
    PartnershipStatus.FINANZIATO: "Finanziato",
    PartnershipStatus.NON_FINANZIATO: "Non finanziato",
    PartnershipStatus.CONCLUSO: "Concluso",
}


def sector_for_kind(kind: OrgKind | str, declared: Sector | str | None = None) -> Sector:
    """Return the sector an organisation of ``kind`` belongs to.

    Every kind but ``altro`` has a fixed sector (Enti Gestori, Comuni, Unioni and ASL are
    public, ETS are third sector, businesses are market). An ``altro`` organisation (a
    university, a chamber of commerce, a bank foundation...) takes the ``declared`` sector,
    and is public when none is declared.

    Parameters
    ----------
    kind : OrgKind or str
        The organisation's kind.
    declared : Sector or str, optional
        The sector declared for an ``altro`` organisation; ignored for other kinds unless
        it contradicts the fixed one, which is an error.

    Returns
    -------
    Sector

    Examples
    --------
    >>> sector_for_kind("ets")
    <Sector.THIRD_SECTOR: 'third_sector'>
    >>> sector_for_kind("altro", "market")
    <Sector.MARKET: 'market'>
    """
    try:
        kind = OrgKind(kind)
    except ValueError:
        raise DomainError(f"tipo di ente sconosciuto: {kind!r}", field="kind", value=kind) from None
    if declared is not None and declared != "":
        try:
            declared = Sector(declared)
        except ValueError:
            raise DomainError(
                f"settore sconosciuto: {declared!r}", field="sector", value=declared
            ) from None
    fixed = _KIND_SECTOR.get(kind)
    if fixed is None:
        return declared or Sector.PUBLIC
    if declared and declared != fixed:
        raise DomainError(
            f"un ente di tipo {kind.value} appartiene al settore {fixed.value}, "
            f"non {declared.value}",
            field="sector",
            value=declared.value,
        )
    return fixed


def normalise_tax_code(value: str) -> str:
    """Strip spaces, dots and dashes and upper-case a tax code (no validation)."""
    return "".join(ch for ch in str(value) if ch not in " .-/\t").upper()


def validate_tax_code(value: str) -> str:
    """Validate an Italian tax code and return it normalised.

    Organisations have an 11-digit code (codice fiscale numerico or partita IVA), checked
    with python-stdnum's ``it.iva`` (format, provincial office, Luhn check digit). Sole
    traders may use a 16-character personal codice fiscale, checked with
    ``it.codicefiscale`` (format, check letter, birth date).

    Raises
    ------
    TaxCodeError
        With an Italian message that says why (length, format, check digit).

    Examples
    --------
    >>> validate_tax_code("00 518 460 019")
    '00518460019'
    """
    number = normalise_tax_code(value)
    if not number:
        raise TaxCodeError("codice fiscale mancante", field="tax_code", value=value)
    if len(number) not in (11, 16):
        raise TaxCodeError(
            f"lunghezza errata ({len(number)} caratteri): il codice fiscale di un ente ha "
            "11 cifre, quello di una persona 16 caratteri",
            field="tax_code",
            value=value,
        )
    module = iva if len(number) == 11 else codicefiscale
    try:
        return module.validate(number)
    except InvalidChecksum:
        reason = "il carattere di controllo non corrisponde (codice probabilmente errato)"
    except InvalidComponent:
        reason = "il codice dell'ufficio provinciale (cifre 8-10) non è valido"
    except InvalidFormat:
        reason = (
            "formato non valido: attese 11 cifre"
            if len(number) == 11
            else "formato non valido per un codice fiscale personale"
        )
    except InvalidLength:  # pragma: no cover - lengths are checked above
        reason = "lunghezza errata"
    raise TaxCodeError(
        f"codice fiscale {number} non valido: {reason}", field="tax_code", value=value
    )
