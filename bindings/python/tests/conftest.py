"""Shared helpers for the vector runners: load a vector file, collect failures, compare."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

VECTORS = Path(__file__).resolve().parents[3] / "tests" / "vectors"


def load(name: str) -> Any:
    doc = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    assert doc.get("format") == 1, f"{name}: unknown vector format"
    return doc


class Report:
    """Failures of one vector file, reported together at the end."""

    def __init__(self) -> None:
        self.failures: list[str] = []
        self.ids: set[str] = set()

    def id(self, case: dict[str, Any]) -> str:
        cid = str(case.get("id", "?"))
        if cid in self.ids:
            self.failures.append(f"[{cid}] duplicate id")
        self.ids.add(cid)
        return cid

    def fail(self, cid: str, message: str) -> None:
        self.failures.append(f"[{cid}] {message}")

    def finish(self, what: str, total: int) -> None:
        assert not self.failures, f"{len(self.failures)} of {total} {what} cases failed:\n" + "\n".join(self.failures)


def dec(s: Any) -> Decimal:
    return Decimal(str(s))


def is_decimal_text(s: str) -> bool:
    body = s[1:] if s.startswith("-") else s
    return bool(body) and all(c.isdigit() or c == "." for c in body) and body.count(".") <= 1 \
        and any(c.isdigit() for c in body)
