"""commission.json through the Python API (the Rust runner: tests/vectors_commission.rs)."""

from __future__ import annotations

from decimal import Decimal, getcontext
from fractions import Fraction
from typing import Any

import realestate_crm as crm
from conftest import Report, load
from realestate_crm.records import Money, Statement, StatementLine

NUMERIC = {"pool", "gross", "net", "amount", "total_withheld", "total_net", "rent_due",
           "rent_received", "fee", "landlord_net", "total_gross", "fraction"}


def money_text(m: Money, problems: list[str]) -> str:
    if m.currency != "BRL":
        problems.append(f"{m} is not BRL")
    assert isinstance(m.amount, Decimal)
    return str(m.amount)


def line_json(line: StatementLine, problems: list[str]) -> dict[str, Any]:
    taxes = sum((w.amount.amount for w in line.withholdings), Decimal(0))
    if line.gross.amount - taxes != line.net.amount:
        problems.append(f"net {line.net.amount} is not gross less withholdings")
    return {
        "participant": line.participant,
        "role": line.role,
        "gross": money_text(line.gross, problems),
        "withholdings": [{"tax": w.tax, "amount": money_text(w.amount, problems)} for w in line.withholdings],
        "net": money_text(line.net, problems),
        "trail_types": [t.get("type") for t in line.trail],
    }


def statement_json(s: Statement, problems: list[str]) -> dict[str, Any]:
    if sum((l.gross.amount for l in s.lines), Decimal(0)) != s.pool.amount:
        problems.append("the lines' grosses do not sum to the pool")
    return {
        "pool": money_text(s.pool, problems),
        "date": s.date.isoformat(),
        "pool_trail_types": [t.get("type") for t in s.pool_trail],
        "lines": [line_json(l, problems) for l in s.lines],
        "total_withheld": money_text(s.total_withheld, problems),
        "total_net": money_text(s.total_net, problems),
    }


def error_json(e: crm.CrmError) -> dict[str, Any]:
    return {"error": e.code, "errors": [{"path": f["path"], "code": f["code"]} for f in e.errors]}


def compare(want: Any, got: Any, key: str, path: str, diffs: list[str]) -> None:
    if isinstance(want, dict):
        if not isinstance(got, dict):
            diffs.append(f"{path}: expected an object, got {got}")
            return
        for k, w in want.items():
            sub = f"{path}.{k}" if path else k
            if k in ("trail_has", "pool_trail_has"):
                have = set(got.get("trail_types" if k == "trail_has" else "pool_trail_types", []))
                for t in w:
                    if t not in have:
                        diffs.append(f"{sub}: no {t} step in {have}")
            elif k == "fraction_ratio":
                n, d = w.split("/")
                q = Fraction(int(n), int(d))
                g = Fraction(Decimal(got["fraction"]))
                if abs(g - q) > Fraction(1, 10**20):
                    diffs.append(f"{sub}: expected {w}, got {got['fraction']}")
            elif k not in got:
                diffs.append(f"{sub}: expected {w}, got nothing")
            else:
                compare(w, got[k], k, sub, diffs)
    elif isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            diffs.append(f"{path}: expected {want}, got {got}")
            return
        for i, (w, g) in enumerate(zip(want, got)):
            compare(w, g, key, f"{path}[{i}]", diffs)
    elif isinstance(want, str) and key in NUMERIC:
        if not isinstance(got, str) or Decimal(want) != Decimal(got):
            diffs.append(f"{path}: expected {want}, got {got}")
    elif want != got:
        diffs.append(f"{path}: expected {want}, got {got}")


def run(case: dict[str, Any], op: str, problems: list[str]) -> dict[str, Any]:
    if op == "validate_plan":
        try:
            crm.CommissionEngine(case["plan"], case["withholding"])
            return {"errors": []}
        except crm.ValidationError as e:
            return {"errors": [{"path": f["path"], "code": f["code"]} for f in e.errors]}
    engine = crm.CommissionEngine(case["plan"], case["withholding"])
    deal = crm.Deal.from_dict(case["deal"])
    if op == "statement":
        try:
            return statement_json(engine.statement(deal, case["context"]), problems)
        except crm.CrmError as e:
            return error_json(e)
    if op == "administration":
        receipt = case["receipt"]
        import datetime as dt
        received = receipt.get("received")
        try:
            a = engine.administration(deal, dt.date.fromisoformat(receipt["period_start"]),
                                      dt.date.fromisoformat(receipt["period_end"]),
                                      Money.from_dict(received) if isinstance(received, dict)
                                      else (Money(received) if received is not None else None))
        except crm.CrmError as e:
            return error_json(e)
        if a.rent_received.amount - a.fee.amount != a.landlord_net.amount:
            problems.append("landlord_net is not received less the fee")
        return {
            "days": a.days, "days_in_month": a.days_in_month,
            "rent_due": money_text(a.rent_due, problems),
            "rent_received": money_text(a.rent_received, problems),
            "fee": money_text(a.fee, problems),
            "lines": [line_json(l, problems) for l in a.lines],
            "total_withheld": money_text(a.total_withheld, problems),
            "landlord_net": money_text(a.landlord_net, problems),
        }
    if op == "clawback":
        import datetime as dt
        try:
            s = engine.statement(deal, case["context"])
        except crm.CrmError as e:
            problems.append("the statement to reverse could not be computed")
            return error_json(e)
        stmt = statement_json(s, problems)
        paid = [Money.from_dict(p) if isinstance(p, dict) else Money(p) for p in case["paid"]] \
            if "paid" in case else None
        try:
            rev = engine.clawback(s, dt.date.fromisoformat(case["cancelled_on"]), paid)
        except crm.CrmError as e:
            return error_json(e)
        lines = []
        for l in rev.lines:
            lines.append({"participant": l.participant, "role": l.role,
                          "gross": money_text(l.gross, problems),
                          "withholdings": [{"tax": w.tax, "amount": money_text(w.amount, problems)} for w in l.withholdings],
                          "net": money_text(l.net, problems)})
        return {"statement": stmt, "reversal": {
            "days_elapsed": rev.days_elapsed, "within_window": rev.within_window,
            "fraction": str(rev.fraction), "lines": lines,
            "total_gross": money_text(rev.total_gross, problems)}}
    raise AssertionError(f"unknown operation {op}")


def test_commission_vectors() -> None:
    getcontext().prec = 60
    doc = load("commission.json")
    cases = doc["cases"]
    assert len(cases) >= 150
    r = Report()
    per_op: dict[str, int] = {}
    for case in cases:
        cid = r.id(case)
        op = case["operation"]
        per_op[op] = per_op.get(op, 0) + 1
        problems: list[str] = []
        actual = run(case, op, problems)
        diffs: list[str] = []
        compare(case["expect"], actual, "", "", diffs)
        expected_error = "error" in case["expect"] or "errors" in case["expect"]
        if op != "validate_plan" and expected_error != ("error" in actual):
            diffs.append(f"expected {case['expect']}, got {actual}")
        if diffs or problems:
            r.fail(cid, f"{op}: " + "; ".join(diffs + problems))
    for op, least in {"statement": 60, "administration": 15, "clawback": 12, "validate_plan": 50}.items():
        assert per_op.get(op, 0) >= least, op
    r.finish("commission", len(cases))


def test_batch_statements_match_single_ones() -> None:
    doc = load("commission.json")
    case = next(c for c in doc["cases"] if c["operation"] == "statement" and "error" not in c["expect"])
    engine = crm.CommissionEngine(case["plan"], case["withholding"])
    single = engine.statement(case["deal"], case["context"])
    batch = engine.statements([case["deal"]] * 3, case["context"])
    assert batch == [single] * 3
