"""Brazilian documents and contact data: single values and whole columns.

Single values return small named tuples; invalid ones raise :class:`~realestate_crm.ValidationError`
with the stable code. Columns (lists, numpy arrays, pandas or polars Series, Arrow arrays) are
checked in one call with the interpreter released: :func:`check_many` returns a boolean array and
the codes.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from . import _native
from ._frames import as_column

__all__ = [
    "Cep", "Cnpj", "Cpf", "Creci", "Document", "Email", "Phone", "Uf", "ValueKind",
    "canonical", "canonical_many", "check", "check_many", "is_valid", "is_valid_cpf",
    "parse_cep", "parse_cnpj", "parse_cpf", "parse_creci", "parse_document", "parse_email",
    "parse_phone", "parse_uf",
]

ValueKind = Literal["cpf", "cpf_lenient", "cnpj", "document", "cep", "uf", "phone",
                    "phone_repair", "email", "creci"]


class Cpf(NamedTuple):
    bare: str
    formatted: str


class Cnpj(NamedTuple):
    bare: str
    formatted: str


class Document(NamedTuple):
    kind: Literal["cpf", "cnpj"]
    bare: str
    formatted: str


class Cep(NamedTuple):
    bare: str
    formatted: str
    uf: str | None


class Uf(NamedTuple):
    code: str
    name: str


class Phone(NamedTuple):
    e164: str
    kind: Literal["mobile", "landline", "foreign"]
    formatted: str


class Email(NamedTuple):
    normalized: str
    match_key: str


class Creci(NamedTuple):
    uf: str
    number: int
    kind: Literal["F", "J"] | None
    formatted: str


def parse_cpf(value: str, *, allow_repeated: bool = False) -> Cpf:
    """A CPF's bare and formatted forms (``529.982.247-25``)."""
    return Cpf(*_native.parse_cpf(value, allow_repeated))


def parse_cnpj(value: str) -> Cnpj:
    """A CNPJ (numeric or alphanumeric)."""
    return Cnpj(*_native.parse_cnpj(value))


def parse_document(value: str) -> Document:
    """A CPF or a CNPJ."""
    kind, bare, formatted = _native.parse_document(value)
    return Document(kind, bare, formatted)  # type: ignore[arg-type]


def parse_cep(value: str) -> Cep:
    """A CEP with its state (``None`` outside the Correios range table)."""
    return Cep(*_native.parse_cep(value))


def parse_uf(value: str) -> Uf:
    """A state by code or name (accents optional)."""
    return Uf(*_native.parse_uf(value))


def parse_phone(value: str, *, repair_legacy_mobile: bool = False) -> Phone:
    """A phone number in E.164 with its kind."""
    e164, kind, formatted = _native.parse_phone(value, repair_legacy_mobile)
    return Phone(e164, kind, formatted)  # type: ignore[arg-type]


def parse_email(value: str) -> Email:
    """An e-mail address: normalised and its match key."""
    return Email(*_native.parse_email(value))


def parse_creci(value: str) -> Creci:
    """A CRECI registration."""
    uf, number, kind, formatted = _native.parse_creci(value)
    return Creci(uf, number, kind, formatted)  # type: ignore[arg-type]


is_valid_cpf = _native.is_valid_cpf
is_valid = _native.is_valid
check = _native.check
canonical = _native.canonical


def check_many(kind: ValueKind, values: Any) -> tuple[Any, list[str | None]]:
    """Checks a whole column: ``(valid, codes)``. ``valid`` is a numpy ``bool`` array when
    numpy is installed (else a list of bools); ``codes`` holds each item's error code or
    ``None``. Missing items (None, NaN) get the kind's blank code, non-text items
    ``input.json``."""
    flags, codes = _native.check_many(kind, as_column(values))
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is optional
        return [b == 1 for b in flags], codes
    return np.frombuffer(flags, dtype=np.bool_).copy(), codes


def canonical_many(kind: ValueKind, values: Any) -> tuple[list[str | None], list[str | None]]:
    """The canonical text of each item (``None`` where invalid) and the codes."""
    return _native.canonical_many(kind, as_column(values))
