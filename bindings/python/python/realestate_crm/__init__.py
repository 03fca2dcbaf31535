"""realestate_crm: the business rules of a Brazilian real-estate CRM, from one Rust core.

Money and rates are ``decimal.Decimal``, dates ``datetime.date``, instants timezone-aware
``datetime.datetime``, ids ``uuid.UUID``. Every error is a :class:`CrmError` with a stable
``code``. Batch calls take lists, numpy arrays, pandas/polars Series and DataFrames.
"""

from __future__ import annotations

from typing import Any, Literal

from . import commission, dedupe, errors, money, pricing, scoring, validation, workflow
from . import _native
from .commission import CommissionEngine
from .errors import (
    CommissionError,
    ConflictError,
    CrmError,
    DuplicateError,
    InternalError,
    MoneyError,
    NotFoundError,
    PricingError,
    StoreError,
    StoreUnavailableError,
    ValidationError,
    WorkflowError,
)
from .money import allocate, parse_rate, round_decimal
from .records import (
    Activity,
    Agent,
    Deal,
    Lead,
    LeadScore,
    Money,
    Property,
    Schedule,
    Statement,
    Visit,
)
from .scoring import Scorer
from .store import AsyncStore, Page, Store
from .validation import (
    canonical,
    canonical_many,
    check,
    check_many,
    is_valid,
    is_valid_cpf,
    parse_cep,
    parse_cnpj,
    parse_cpf,
    parse_creci,
    parse_document,
    parse_email,
    parse_phone,
    parse_uf,
)
from .workflow import BusinessCalendar, DecisionTable, Pipeline

__version__: str = _native.__version__

RecordKind = Literal["lead", "property", "deal", "activity", "agent", "visit"]


def validate_record(kind: RecordKind, record: Any) -> list[errors.FieldProblem]:
    """Every problem of one record (``[]`` when valid), each ``{path, code, message}``; a
    record of the wrong shape raises :class:`ValidationError` (``input.json``)."""
    return list(_native.record_problems(kind, record))


def validate_records(kind: RecordKind, records: Any) -> list[list[errors.FieldProblem] | CrmError]:
    """The problems of every record of a list (or DataFrame rows), in order; a record of the
    wrong shape gives its exception in its place."""
    from ._frames import as_records

    data = as_records(records)
    if isinstance(data, tuple):
        data = list(_native.records_from_columns(kind, data[0], data[1]))
    return list(_native.records_problems(kind, data))


def normalized(kind: Literal["lead", "property", "agent"], record: Any) -> dict[str, Any]:
    """The canonical copy of a valid record to store (E.164 phone, bare CPF, …); raises
    :class:`ValidationError` with every problem otherwise."""
    return dict(_native.record_normalized(kind, record))


__all__ = [
    "Activity", "Agent", "AsyncStore", "BusinessCalendar", "CommissionEngine", "CommissionError",
    "ConflictError", "CrmError", "Deal", "DecisionTable", "DuplicateError", "InternalError",
    "Lead", "LeadScore", "Money", "MoneyError", "NotFoundError", "Page", "Pipeline", "PricingError",
    "Property", "Schedule", "Scorer", "Statement", "Store", "StoreError", "StoreUnavailableError",
    "ValidationError", "Visit", "WorkflowError", "allocate", "canonical", "canonical_many",
    "check", "check_many", "commission", "dedupe", "errors", "is_valid", "is_valid_cpf",
    "money", "normalized", "parse_cep", "parse_cnpj", "parse_cpf", "parse_creci",
    "parse_document", "parse_email", "parse_phone", "parse_rate", "parse_uf", "pricing",
    "round_decimal", "scoring", "validate_record", "validate_records", "validation", "workflow",
]
