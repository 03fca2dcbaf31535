"""Duplicate detection: match keys, pair comparison with evidence, duplicates in a book
(a list of leads or a DataFrame), ingestion of re-delivered portal leads, merge plans."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from . import _native
from ._frames import as_records
from ._records import Record
from .records import Lead

__all__ = ["compare", "duplicates_frame", "field_weights", "find_duplicates", "find_existing",
           "match_key", "merge_plan", "validate_config"]


def _leads(book: Any) -> list[Any]:
    data = as_records(book)
    if isinstance(data, tuple):
        return list(_native.records_from_columns("lead", data[0], data[1]))
    return list(data)


def validate_config(config: Mapping[str, Any] | str | None = None) -> dict[str, Any]:
    """A dedupe configuration with its defaults, validated (raises with every problem)."""
    return dict(_native.dedupe_config(config))


def compare(a: Any, b: Any, config: Mapping[str, Any] | None = None) -> Record:
    """Compares two leads: ``decision`` (match/review/non_match), ``rule``, ``score``,
    ``evidence``."""
    return Record._wrap(_native.compare_leads(a, b, config))


def find_duplicates(book: Any, config: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Candidate pairs of a book (indices ``a`` < ``b``), best first, with their evidence."""
    return list(_native.find_duplicates(_leads(book), config))


def duplicates_frame(book: Any, config: Mapping[str, Any] | None = None) -> Any:
    """:func:`find_duplicates` as a pandas DataFrame: ``a``, ``b``, ``decision``, ``rule``,
    ``score`` and one column per evidence field."""
    import pandas as pd

    rows = []
    for p in find_duplicates(book, config):
        row = {k: v for k, v in p.items() if k not in ("evidence", "score")}
        score = p.get("score")
        if isinstance(score, dict):
            row.update({k: v for k, v in score.items() if k != "evidence"})
            evidence = score.get("evidence", [])
        else:
            row["score"] = score
            evidence = p.get("evidence", [])
        for e in evidence:
            row[f"evidence_{e['field']}"] = e["outcome"]
        rows.append(row)
    return pd.DataFrame(rows)


def find_existing(new: Any, book: Any, config: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """The stored lead a new delivery is: ``{index, by, score}`` or ``None``."""
    found = _native.find_existing(new, _leads(book), config)
    return None if found is None else dict(found)


def merge_plan(a: Any, b: Any) -> dict[str, Any]:
    """How two records of one person merge: ``survivor``, ``fields`` choices, ``merged``
    (a :class:`Lead`)."""
    plan = dict(_native.merge_plan(a, b))
    plan["merged"] = Lead._wrap(plan["merged"])
    return plan


def match_key(kind: Literal["name", "email", "phone", "document"], value: str) -> Any:
    """A normalisation key for matching (a token list for names)."""
    return _native.match_key(kind, value)


def field_weights(m: float, u: float) -> tuple[float, float]:
    """Fellegi–Sunter ``(agreement, disagreement)`` weights in bits."""
    return _native.field_weights(m, u)
