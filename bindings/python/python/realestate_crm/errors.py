"""Exceptions: one base class, :class:`CrmError`, with a stable machine ``code``.

Subclasses follow the code's family, so callers can catch broadly or narrowly::

    try:
        realestate_crm.parse_cpf("529.982.247-24")
    except realestate_crm.ValidationError as e:
        e.code    # "validation.cpf.check_digit"
        e.errors  # [{"path": "", "code": "validation.cpf.check_digit", "message": "..."}]

A Rust panic inside the library surfaces as :class:`InternalError` with code
``internal.panic``; it never aborts the interpreter.
"""

from __future__ import annotations

from typing import Any, TypedDict

__all__ = [
    "CommissionError",
    "ConflictError",
    "CrmError",
    "DuplicateError",
    "FieldProblem",
    "InternalError",
    "MoneyError",
    "NotFoundError",
    "PricingError",
    "StoreError",
    "StoreUnavailableError",
    "ValidationError",
    "WorkflowError",
]


class FieldProblem(TypedDict):
    """One problem with one field: where, what (a stable code) and a message for people."""

    path: str
    code: str
    message: str


class CrmError(Exception):
    """Base class of every error the library raises.

    ``code`` is a stable machine code (``validation.cpf.check_digit``, ``store.conflict``);
    ``message`` a sentence for people; ``path`` the field concerned, when there is one;
    ``errors`` every field problem (empty for errors not about fields).
    """

    code: str
    message: str
    path: str | None
    errors: list[FieldProblem]

    def __init__(
        self,
        code: str,
        message: str,
        path: str | None = None,
        errors: list[Any] | None = None,
    ) -> None:
        super().__init__(f"{path}: {message} ({code})" if path else f"{message} ({code})")
        self.code = code
        self.message = message
        self.path = path
        self.errors = [FieldProblem(path=e["path"], code=e["code"], message=e["message"]) for e in errors or []]

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.code, self.message, self.path, list(self.errors)))


class ValidationError(CrmError, ValueError):
    """Bad input: a ``validation.*`` or ``input.*`` code. ``errors`` lists every problem."""


class MoneyError(CrmError, ArithmeticError):
    """``money.*``: currencies that do not mix, an overflow, an allocation with no answer."""


class CommissionError(CrmError):
    """``commission.*``: a statement the plan cannot pay."""


class PricingError(CrmError):
    """``pricing.*``: a calculation with no answer for valid input."""


class WorkflowError(CrmError):
    """``workflow.*``: a refused move, a failing guard, a decision without a match."""


class StoreError(CrmError):
    """``store.*``: a storage problem."""


class ConflictError(StoreError):
    """``store.conflict``: the record changed since it was read; read it again and retry."""


class NotFoundError(StoreError, LookupError):
    """``store.not_found``."""


class DuplicateError(StoreError):
    """``store.duplicate``: a record with this id or portal lead id exists."""


class StoreUnavailableError(StoreError, ConnectionError):
    """``store.unavailable``: the database could not be reached; retrying later may work."""


class InternalError(CrmError, RuntimeError):
    """``internal.*``: a bug caught at the boundary (``internal.panic``). Please report it."""
