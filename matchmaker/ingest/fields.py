"""Field parsers shared by the import kinds: each reads one cell, returns a clean value and
records a bilingual :class:`~matchmaker.ingest.errors.RowError` when the cell is wrong."""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.contract.limits import EMAIL_PATTERN
from matchmaker.domain import TaxCodeError, validate_tax_code
from matchmaker.ingest.errors import RowError
from matchmaker.storage.models import Comune, District, Organisation, Theme

__all__ = ["Lookups", "Row", "fold"]

_LIST_SPLIT = re.compile(r"[;,|\n]")
_EMAIL = re.compile(EMAIL_PATTERN)
_TRUE = {"1", "true", "vero", "si", "sì", "yes", "x"}
_FALSE = {"", "0", "false", "falso", "no"}


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name, for matching comuni."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


class Lookups:
    """Reference and existing records an import checks against, loaded once per import."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.comuni: dict[str, Comune] = {c.istat_code: c for c in session.scalars(select(Comune))}
        self.comune_by_name: dict[str, list[str]] = {}
        self.comune_by_cadastral: dict[str, str] = {}
        for c in self.comuni.values():
            self.comune_by_name.setdefault(fold(c.name), []).append(c.istat_code)
            self.comune_by_cadastral[c.cadastral_code.upper()] = c.istat_code
        self.themes: dict[str, Theme] = {t.code: t for t in session.scalars(select(Theme))}
        self.districts: dict[str, District] = {d.code: d for d in session.scalars(select(District))}
        self.org_ids: dict[str, tuple[int, str]] = {
            tax: (oid, kind.value if isinstance(kind, enum.Enum) else kind)
            for tax, oid, kind in session.execute(
                select(Organisation.tax_code, Organisation.id, Organisation.kind)
            )
        }


class Row:
    """One record of the file, with its number, its cells by canonical column and its errors."""

    def __init__(
        self, number: int, cells: Mapping[str, str], header_names: Mapping[str, str]
    ) -> None:
        self.number = number
        self.cells = cells
        self.names = header_names
        self.errors: list[RowError] = []

    def has(self, col: str) -> bool:
        return col in self.cells

    def raw(self, col: str) -> str:
        return self.cells.get(col, "")

    def error(
        self,
        col: str | None,
        value: str,
        reason_it: str,
        reason_en: str,
        kind: str = "invalid",
    ) -> None:
        name = self.names.get(col, col) if col else None
        self.errors.append(RowError(self.number, name, value, reason_it, reason_en, kind))

    # --- parsers --------------------------------------------------------------------------

    def text(self, col: str, max_len: int, *, required: bool = False, strip: bool = True) -> str:
        value = self.raw(col)
        if strip:
            value = value.strip()
        if required and not value.strip():
            self.error(col, value, "campo obbligatorio mancante", "required field is missing")
        elif len(value) > max_len:
            self.error(
                col,
                value,
                f"testo troppo lungo: {len(value)} caratteri (massimo {max_len})",
                f"text too long: {len(value)} characters (at most {max_len})",
            )
            value = value[:max_len]
        return value

    def optional(self, col: str, max_len: int) -> str | None:
        return self.text(col, max_len) or None

    def choice(
        self,
        col: str,
        cls: type[enum.Enum],
        *,
        aliases: Mapping[str, str] | None = None,
        required: bool = False,
        default: Any = None,
    ) -> Any:
        value = self.raw(col).strip()
        if not value:
            if required:
                self.error(col, value, "campo obbligatorio mancante", "required field is missing")
            return default
        key = fold(value).replace(" ", "_")
        key = (aliases or {}).get(key, key)
        try:
            return cls(key)
        except ValueError:
            allowed = ", ".join(m.value for m in cls)
            self.error(
                col,
                value,
                f"valore non ammesso (ammessi: {allowed})",
                f"value not allowed (allowed: {allowed})",
            )
            return default

    def tax_code(self, col: str, *, required: bool = True) -> str | None:
        value = self.raw(col).strip()
        if not value:
            if required:
                self.error(col, value, "codice fiscale mancante", "tax code is missing")
            return None
        if value.isdigit() and 8 <= len(value) < 11:
            value = value.zfill(11)  # a spreadsheet dropped the leading zeros
        try:
            return validate_tax_code(value)
        except TaxCodeError as exc:
            self.error(
                col,
                value,
                str(exc),
                "invalid tax code (length, format or check digit)",
                "check_digit",
            )
            return None

    def comune(self, lk: Lookups, col: str, value: str | None = None) -> str | None:
        value = (self.raw(col) if value is None else value).strip()
        if not value:
            return None
        if value.isdigit() and len(value) <= 6:
            code = value.zfill(6)
            if code in lk.comuni:
                return code
            self.error(
                col,
                value,
                f"comune sconosciuto: nessun comune piemontese ha codice ISTAT {code}",
                f"unknown comune: no comune of Piemonte has ISTAT code {code}",
                "reference",
            )
            return None
        if value.upper() in lk.comune_by_cadastral:
            return lk.comune_by_cadastral[value.upper()]
        codes = lk.comune_by_name.get(fold(value), [])
        if len(codes) == 1:
            return codes[0]
        if codes:
            self.error(
                col,
                value,
                f"nome di comune ambiguo ({', '.join(codes)}): usare il codice ISTAT",
                f"ambiguous comune name ({', '.join(codes)}): use the ISTAT code",
                "reference",
            )
        else:
            self.error(
                col,
                value,
                "comune sconosciuto: né codice ISTAT né nome di un comune piemontese",
                "unknown comune: neither an ISTAT code nor the name of a comune of Piemonte",
                "reference",
            )
        return None

    def items(self, col: str) -> list[str]:
        return [p.strip() for p in _LIST_SPLIT.split(self.raw(col)) if p.strip()]

    def codes(self, col: str, known: Iterable[str], what_it: str, what_en: str) -> list[str]:
        known = known if isinstance(known, set | dict) else set(known)
        out: list[str] = []
        for item in self.items(col):
            if item not in known:
                self.error(
                    col,
                    item,
                    f"{what_it} sconosciuto: {item}",
                    f"unknown {what_en}: {item}",
                    "reference",
                )
            elif item in out:
                self.error(
                    col,
                    item,
                    f"{what_it} ripetuto: {item}",
                    f"{what_en} listed twice: {item}",
                    "duplicate",
                )
            else:
                out.append(item)
        return out

    def integer(self, col: str, lo: int, hi: int, *, required: bool = False) -> int | None:
        value = self.raw(col).strip()
        if not value:
            if required:
                self.error(col, value, "campo obbligatorio mancante", "required field is missing")
            return None
        try:
            number = int(value)
        except ValueError:
            self.error(col, value, "non è un numero intero", "not an integer")
            return None
        if not lo <= number <= hi:
            self.error(
                col,
                value,
                f"fuori intervallo (da {lo} a {hi})",
                f"out of range ({lo} to {hi})",
            )
            return None
        return number

    def decimal(self, col: str) -> Decimal | None:
        value = self.raw(col).strip().replace(" ", "").replace("€", "")
        if not value:
            return None
        if "," in value:  # Italian form: 1.234,56
            value = value.replace(".", "").replace(",", ".")
        try:
            number = Decimal(value)
        except InvalidOperation:
            self.error(col, self.raw(col), "non è un importo valido", "not a valid amount")
            return None
        if not number.is_finite() or number < 0 or number >= Decimal("1e12"):
            self.error(col, self.raw(col), "importo fuori intervallo", "amount out of range")
            return None
        return number.quantize(Decimal("0.01"))

    def positive(self, col: str, default: float) -> float:
        value = self.raw(col).strip().replace(",", ".")
        if not value:
            return default
        try:
            number = float(value)
        except ValueError:
            self.error(col, self.raw(col), "non è un numero", "not a number")
            return default
        if not (0 < number < 1e9):
            self.error(
                col, self.raw(col), "deve essere un numero positivo", "must be a positive number"
            )
            return default
        return number

    def flag(self, col: str, default: bool = False) -> bool:
        value = self.raw(col).strip()
        if not value:
            return default
        key = value.casefold()
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        self.error(col, value, "atteso vero/falso (true/false)", "expected true/false")
        return default

    def email(self, col: str) -> str | None:
        value = self.optional(col, 254)
        if value and not _EMAIL.match(value):
            self.error(col, value, "indirizzo email non valido", "invalid email address")
        return value
