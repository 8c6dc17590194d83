"""Field errors of a request, in Italian and English, from pydantic or from the domain.

A :class:`ContractError` lists every :class:`FieldError` of a request: the field as a path
(``members[2].role``), the kind of error (pydantic's type, e.g. ``string_too_long``, or one
of :attr:`matchmaker.domain.DomainError.KINDS` for rules the request's shape cannot state),
the messages and the value. The API returns them in its problem documents; the pages show
them next to their fields.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from matchmaker.domain import DomainError

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = ["ContractError", "FieldError", "field_path", "from_validation_error"]


@dataclasses.dataclass(frozen=True)
class FieldError:
    """One thing wrong with one field of a request."""

    field: str
    type: str
    message_it: str
    message_en: str
    value: str = ""
    context: dict[str, Any] = dataclasses.field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The problem document's form: field, message (Italian), message_en, type, value."""
        return {
            "field": self.field,
            "message": self.message_it,
            "message_en": self.message_en,
            "type": self.type,
            "value": self.value[:200],
        }


class ContractError(DomainError):
    """A request does not fit its model; ``errors`` lists every field that is wrong."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        errors = list(errors)
        first = errors[0]
        super().__init__(
            first.message_it,
            field=first.field,
            value=first.value,
            kind=first.type,
            en=first.message_en,
        )
        self.errors = errors

    @classmethod
    def single(
        cls, field: str, type_: str, message_it: str, message_en: str, value: Any = ""
    ) -> ContractError:
        """A contract error about one field."""
        return cls([FieldError(field, type_, message_it, message_en, _text(value))])

    @classmethod
    def from_domain(cls, exc: DomainError) -> ContractError:
        """The same error as a list of one field error (messages in Italian only)."""
        if isinstance(exc, ContractError):
            return exc
        message = str(exc)
        return cls(
            [FieldError(exc.field or "", exc.kind, message, exc.message_en, _text(exc.value))]
        )


def field_path(loc: Iterable[int | str]) -> str:
    """``("members", 2, "role")`` -> ``"members[2].role"``; the whole body is ``(radice)``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(radice)"


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else repr(value)[:200]


#: pydantic error type -> (Italian, English) message templates (``{...}`` from the context)
_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("campo obbligatorio mancante", "required field is missing"),
    "extra_forbidden": ("campo sconosciuto", "unknown field"),
    "string_type": ("atteso un testo", "a string is expected"),
    "string_too_short": (
        "testo troppo corto (almeno {min_length} caratteri)",
        "text too short (at least {min_length} characters)",
    ),
    "string_too_long": (
        "testo troppo lungo (al massimo {max_length} caratteri)",
        "text too long (at most {max_length} characters)",
    ),
    "string_pattern_mismatch": ("testo non valido", "invalid text"),
    "int_type": ("atteso un numero intero", "an integer is expected"),
    "int_parsing": ("atteso un numero intero", "an integer is expected"),
    "int_from_float": ("atteso un numero intero", "an integer is expected"),
    "float_type": ("atteso un numero", "a number is expected"),
    "float_parsing": ("atteso un numero", "a number is expected"),
    "bool_type": ("atteso vero o falso", "true or false is expected"),
    "bool_parsing": ("atteso vero o falso", "true or false is expected"),
    "greater_than": ("deve essere maggiore di {gt}", "must be greater than {gt}"),
    "greater_than_equal": ("deve essere almeno {ge}", "must be at least {ge}"),
    "less_than": ("deve essere minore di {lt}", "must be less than {lt}"),
    "less_than_equal": ("deve essere al massimo {le}", "must be at most {le}"),
    "list_type": ("attesa una lista", "a list is expected"),
    "too_short": (
        "troppo pochi elementi (almeno {min_length})",
        "too few items (at least {min_length})",
    ),
    "too_long": (
        "troppi elementi (al massimo {max_length})",
        "too many items (at most {max_length})",
    ),
    "literal_error": ("valore non ammesso (ammessi: {expected})", "value not allowed ({expected})"),
    "enum": ("valore non ammesso (ammessi: {expected})", "value not allowed ({expected})"),
    "model_type": ("atteso un oggetto JSON", "a JSON object is expected"),
    "model_attributes_type": ("atteso un oggetto JSON", "a JSON object is expected"),
    "dict_type": ("atteso un oggetto JSON", "a JSON object is expected"),
    "json_invalid": ("JSON non valido", "invalid JSON"),
    "json_type": ("JSON non valido", "invalid JSON"),
    "finite_number": ("atteso un numero finito", "a finite number is expected"),
}


def _message(error: Any) -> tuple[str, str]:
    kind = error["type"]
    context = {k: _expected(v) for k, v in (error.get("ctx") or {}).items()}
    if kind == "string_pattern_mismatch":
        return _PATTERNS.get(str(context.get("pattern")), _MESSAGES[kind])
    if kind == "string_too_short" and context.get("min_length") == 1:
        return "indicare un testo", "a text is required"
    if kind in _MESSAGES:
        it, en = _MESSAGES[kind]
        try:
            return it.format(**context), en.format(**context)
        except (KeyError, IndexError):
            return it, en
    if kind == "value_error":  # raised by a validator of the model: its own words
        message = str((error.get("ctx") or {}).get("error", error["msg"]))
        return message, message
    return error["msg"], error["msg"]


def _patterns() -> dict[str, tuple[str, str]]:
    from matchmaker.contract.limits import EMAIL_PATTERN, FILLED, NO_NUL

    return {
        FILLED: (
            "indicare un testo (non solo spazi, senza caratteri nulli)",
            "a text is required (not only spaces, no NUL character)",
        ),
        NO_NUL: ("il testo contiene un carattere nullo", "the text contains a NUL character"),
        EMAIL_PATTERN: ("indirizzo e-mail non valido", "invalid e-mail address"),
    }


_PATTERNS = _patterns()


def _expected(value: Any) -> Any:
    """pydantic's ``'a' or 'b'`` lists of literals, as plain comma-separated words."""
    if isinstance(value, str):
        return value.replace("'", "").replace(" or ", ", ")
    return value


def from_validation_error(exc: ValidationError) -> ContractError:
    """Every error of a pydantic validation, with Italian and English messages."""
    errors = []
    for error in exc.errors(include_url=False):
        it, en = _message(error)
        field = field_path(error["loc"])
        value = error.get("input") if error["type"] != "missing" else None
        errors.append(
            FieldError(
                field=field,
                type=error["type"],
                message_it=f"{field}: {it}",
                message_en=f"{'body' if field == '(radice)' else field}: {en}",
                value=_text(value) if not isinstance(value, dict | list) else "",
                context={k: v for k, v in (error.get("ctx") or {}).items() if _plain(v)},
            )
        )
    return ContractError(errors)


def _plain(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)
