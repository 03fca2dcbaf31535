"""validation.json and money.json through the Python API (the Rust runner: tests/vectors.rs)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import realestate_crm as crm
from conftest import Report, load


def run_validation(kind: str, value: str, opts: dict[str, bool]) -> dict[str, Any]:
    try:
        if kind == "cpf":
            c = crm.parse_cpf(value, allow_repeated=opts.get("allow_repeated", False))
            return {"valid": True, "bare": c.bare, "formatted": c.formatted}
        if kind == "cnpj":
            n = crm.parse_cnpj(value)
            return {"valid": True, "bare": n.bare, "formatted": n.formatted}
        if kind == "cep":
            p = crm.parse_cep(value)
            return {"valid": True, "bare": p.bare, "formatted": p.formatted, "uf": p.uf}
        if kind == "uf":
            u = crm.parse_uf(value)
            return {"valid": True, "bare": u.code, "name": u.name}
        if kind == "phone":
            ph = crm.parse_phone(value, repair_legacy_mobile=opts.get("repair_legacy_mobile", False))
            return {"valid": True, "e164": ph.e164, "phone_kind": ph.kind, "formatted": ph.formatted}
        if kind == "email":
            e = crm.parse_email(value)
            return {"valid": True, "normalized": e.normalized, "match_key": e.match_key}
        if kind == "creci":
            r = crm.parse_creci(value)
            return {"valid": True, "uf": r.uf, "number": r.number, "creci_kind": r.kind,
                    "formatted": r.formatted}
    except crm.ValidationError as err:
        return {"valid": False, "code": err.code}
    raise AssertionError(f"unknown kind {kind}")


def test_validation_vectors() -> None:
    doc = load("validation.json")
    cases = doc["cases"]
    assert len(cases) >= 300
    r = Report()
    by_kind: dict[str, list[tuple[str, str, bool, str | None]]] = {}
    for case in cases:
        cid = r.id(case)
        opts = case["options"]
        for key in opts:
            if key not in ("allow_repeated", "repair_legacy_mobile"):
                r.fail(cid, f"unknown option {key}")
        actual = run_validation(case["kind"], case["input"], opts)
        want = case["expect"]
        diffs = [k for k in want if actual.get(k) != want[k]]
        if diffs:
            r.fail(cid, f"{case['kind']} {case['input']!r}: expected {want}, got {actual}")
        if not opts and case["kind"] in ("cpf", "cnpj", "cep", "phone", "email", "uf", "creci"):
            if crm.is_valid(case["kind"], case["input"]) != want["valid"]:
                r.fail(cid, "is_valid disagrees with parse")
            by_kind.setdefault(case["kind"], []).append(
                (cid, case["input"], want["valid"], want.get("code")))
    # The batch path gives the same answers as the single one.
    for kind, items in by_kind.items():
        valid, codes = crm.check_many(kind, [i[1] for i in items])  # type: ignore[arg-type]
        for (cid, _, ok, code), v, c in zip(items, valid, codes):
            if bool(v) != ok or c != code:
                r.fail(cid, f"check_many gives {bool(v)}, {c}; expected {ok}, {code}")
    r.finish("validation", len(cases))


def test_money_vectors() -> None:
    doc = load("money.json")
    r = Report()
    total = 0
    minimum = {"rounding": 100, "allocation": 30, "rates": 30, "currencies": 5, "arithmetic": 10}
    for name, least in minimum.items():
        assert len(doc[name]) >= least, name
    for case in doc["rounding"]:
        total += 1
        cid = r.id(case)
        got = crm.round_decimal(Decimal(case["value"]), case["places"], case["mode"])
        if not isinstance(got, Decimal) or got != Decimal(case["expect"]):
            r.fail(cid, f"expected {case['expect']}, got {got!r}")
    for case in doc["allocation"]:
        total += 1
        cid = r.id(case)
        try:
            parts = crm.allocate(Decimal(case["total"]), [Decimal(w) for w in case["weights"]],
                                 currency=case["currency"])
            got: dict[str, Any] = {"ok": True, "parts": [p.amount for p in parts]}
            if any(p.currency != case["currency"] for p in parts):
                r.fail(cid, "a part is in another currency")
            if sum((p.amount for p in parts), Decimal(0)) != Decimal(case["total"]):
                r.fail(cid, "the parts do not sum to the total")
        except crm.CrmError as e:
            got = {"ok": False, "code": e.code}
        want = case["expect"]
        if want["ok"]:
            same = got["ok"] and [Decimal(p) for p in want["parts"]] == got["parts"]
        else:
            same = got == want
        if not same:
            r.fail(cid, f"expected {want}, got {got}")
    for case in doc["rates"]:
        total += 1
        cid = r.id(case)
        try:
            got = {"ok": True, "value": crm.parse_rate(case["input"])}
        except crm.CrmError as e:
            got = {"ok": False, "code": e.code}
        want = case["expect"]
        if want["ok"] != got["ok"] or (want["ok"] and Decimal(want["value"]) != got["value"]) \
                or (not want["ok"] and want["code"] != got["code"]):
            r.fail(cid, f"expected {want}, got {got}")
    for case in doc["currencies"]:
        total += 1
        cid = r.id(case)
        try:
            units = crm.money.currency_minor_units(case["input"])
            got = {"ok": True, "currency": case["input"].strip().upper(), "minor_units": units}
            got["currency"] = crm.Money(0, case["input"]).currency
        except crm.CrmError as e:
            got = {"ok": False, "code": e.code}
        want = case["expect"]
        if any(got.get(k) != v for k, v in want.items()):
            r.fail(cid, f"expected {want}, got {got}")
    for case in doc["arithmetic"]:
        total += 1
        cid = r.id(case)
        left = crm.Money(Decimal(case["left"]["amount"]), case["left"]["currency"])
        right = crm.Money(Decimal(case["right"]["amount"]), case["right"]["currency"])
        try:
            m = left + right if case["op"] == "add" else left - right
            got = {"ok": True, "amount": m.amount, "currency": m.currency}
        except crm.MoneyError as e:
            got = {"ok": False, "code": e.code}
        want = case["expect"]
        if want["ok"]:
            same = got["ok"] and Decimal(want["amount"]) == got["amount"] and want["currency"] == got["currency"]
        else:
            same = got == want
        if not same:
            r.fail(cid, f"expected {want}, got {got}")
    r.finish("money", total)
