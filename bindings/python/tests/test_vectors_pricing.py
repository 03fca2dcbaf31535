"""pricing.json through the Python API (the Rust runner: tests/vectors_pricing.rs)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import realestate_crm as crm
from conftest import Report, is_decimal_text, load
from realestate_crm import pricing


def actual_decimal(got: Any) -> Decimal | None:
    if isinstance(got, Decimal):
        return got
    if isinstance(got, crm.Money):
        return got.amount
    if isinstance(got, str) and is_decimal_text(got):
        return Decimal(got)
    if isinstance(got, (int, float)) and not isinstance(got, bool):
        return Decimal(str(got))
    if isinstance(got, dict) and "amount" in got:
        return actual_decimal(got["amount"])
    return None


def python_value(got: Any) -> Any:
    """The JSON form of a value read from a record (dates back to text)."""
    if isinstance(got, dt.date):
        return got.isoformat()
    return got


def compare(path: str, top: str, want: Any, got: Any, tol: dict[str, Decimal], diffs: list[str]) -> None:
    if hasattr(got, "to_py"):  # a lazily converted view of a nested result
        got = got.to_py()
    if isinstance(want, str) and is_decimal_text(want):
        g = actual_decimal(got)
        if g is None:
            diffs.append(f"{path}: expected {want}, got {got!r}")
        elif top in tol:
            if abs(Decimal(want) - g) > tol[top]:
                diffs.append(f"{path}: expected {want}, got {g} (tolerance {tol[top]})")
        elif Decimal(want) != g:
            diffs.append(f"{path}: expected {want}, got {g}")
    elif isinstance(want, dict):
        if not isinstance(got, (dict, crm.Money)):
            diffs.append(f"{path}: expected an object, got {got!r}")
            return
        src = got.to_dict() if isinstance(got, crm.Money) else got
        for k, w in want.items():
            if k not in src:
                diffs.append(f"{path}.{k}: missing")
            else:
                compare(f"{path}.{k}", top, w, src[k], tol, diffs)
    elif isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            diffs.append(f"{path}: expected {want}, got {got!r}")
            return
        for i, (a, b) in enumerate(zip(want, got)):
            compare(f"{path}[{i}]", top, a, b, tol, diffs)
    elif want != python_value(got):
        diffs.append(f"{path}: expected {want!r}, got {got!r}")


CALLS = {
    "financing": lambda i: pricing.simulate(i),
    "affordability": lambda i: pricing.affordability(i),
    "rent_adjustment": lambda i: pricing.adjust_rent(i),
    "closing_costs": lambda i: pricing.closing_costs(i),
    "ratio_study": lambda i: pricing.ratio_study(i["pairs"]),
    "price_per_m2": lambda i: pricing.price_per_m2(i["comparables"]),
}


def test_pricing_vectors() -> None:
    doc = load("pricing.json")
    cases = doc["cases"]
    assert len(cases) >= 100
    r = Report()
    per: dict[str, int] = {}
    for case in cases:
        cid = r.id(case)
        calc = case["calculator"]
        per[calc] = per.get(calc, 0) + 1
        expect = case["expect"]
        tol = {k: Decimal(v) for k, v in case.get("tolerance", {}).items()}
        try:
            result = CALLS[calc](case["input"])
        except crm.CrmError as e:
            if "error" not in expect:
                r.fail(cid, f"expected success, got {e.code} at {e.path}: {e}")
                continue
            problems = []
            if e.code != expect["error"]:
                problems.append(f"code {e.code} (expected {expect['error']})")
            paths = [f["path"] for f in e.errors]
            if "path" in expect and expect["path"] not in paths:
                problems.append(f"paths {paths} (expected {expect['path']})")
            if "missing_months" in expect:
                text = "".join((str(e) + "".join(f["message"] for f in e.errors)).split())
                if ",".join(expect["missing_months"]) not in text:
                    problems.append(f"message {e} does not list {expect['missing_months']}")
            if problems:
                r.fail(cid, "; ".join(problems))
            continue
        if "error" in expect:
            r.fail(cid, f"expected error {expect['error']}, got success")
            continue
        diffs: list[str] = []
        for key, want in expect.items():
            if key == "line_count":
                if len(result.lines) != want:
                    diffs.append(f"line_count {len(result.lines)}")
            elif key == "lines":
                by_number = {l.number: l for l in result.lines}
                for w in want:
                    line = by_number.get(w["number"])
                    if line is None:
                        diffs.append(f"no line {w['number']}")
                        continue
                    for k, v in w.items():
                        compare(f"lines[{w['number']}].{k}", "lines", v, getattr(line, k), tol, diffs)
            else:
                compare(key, key, want, result[key], tol, diffs)
        if diffs:
            r.fail(cid, "; ".join(diffs))
    for calc, least in {"financing": 40, "affordability": 15, "rent_adjustment": 25,
                        "closing_costs": 15, "ratio_study": 8, "price_per_m2": 8}.items():
        assert per.get(calc, 0) >= least, calc
    r.finish("pricing", len(cases))


def test_schedule_to_pandas() -> None:
    s = pricing.simulate({"system": "price", "principal": Decimal("100000.00"),
                          "rate": {"monthly": Decimal("0.01")}, "term_months": 12,
                          "first_due": dt.date(2026, 2, 10)})
    df = s.to_pandas()
    assert len(df) == 12
    assert isinstance(df["payment"].iloc[0], Decimal)
    assert df["due"].iloc[0] == dt.date(2026, 2, 10)
    assert isinstance(s.cet_annual, Decimal)
