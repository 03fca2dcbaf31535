"""dedupe.json through the Python API (the Rust runner: tests/vectors_dedupe.rs)."""

from __future__ import annotations

from typing import Any

import realestate_crm as crm
from conftest import Report, load
from realestate_crm import dedupe


def test_dedupe_vectors() -> None:
    doc = load("dedupe.json")
    tol = doc.get("score_tolerance", 0.001)
    r = Report()
    n = 0
    for case in doc["normalization"]:
        n += 1
        cid = r.id(case)
        got = dedupe.match_key(case["kind"], case["input"])
        if got != case["expect"]:
            r.fail(cid, f"{case['input']!r}: expected {case['expect']}, got {got}")
    for case in doc["weights"]:
        n += 1
        cid = r.id(case)
        a, d = dedupe.field_weights(case["m"], case["u"])
        if abs(a - case["expect"]["agreement"]) > tol or abs(d - case["expect"]["disagreement"]) > tol:
            r.fail(cid, f"got {a}, {d}")
    for case in doc["pairs"]:
        n += 1
        cid = r.id(case)
        s = dedupe.compare(case["a"], case["b"], case.get("config"))
        m = dedupe.compare(case["b"], case["a"], case.get("config"))
        if s != m:
            r.fail(cid, "compare(a, b) and compare(b, a) differ")
        e = case["expect"]
        for key in ("decision", "rule"):
            if key in e and s[key] != e[key]:
                r.fail(cid, f"{key}: expected {e[key]}, got {s[key]}")
        if "score" in e and abs(s.score - e["score"]) > tol:
            r.fail(cid, f"score: expected {e['score']}, got {s.score}")
        for f, outcome in e.get("evidence", {}).items():
            found = next((x["outcome"] for x in s.evidence if x["field"] == f), None)
            if found != outcome:
                r.fail(cid, f"evidence {f}: expected {outcome}, got {found}")
    for case in doc["books"]:
        n += 1
        cid = r.id(case)
        got = [{"a": p["a"], "b": p["b"], "decision": p["decision"]}
               for p in dedupe.find_duplicates(case["leads"], case.get("config"))]
        if got != case["expect"]:
            r.fail(cid, f"expected {case['expect']}, got {got}")
    for case in doc["ingestion"]:
        n += 1
        cid = r.id(case)
        found = dedupe.find_existing(case["new"], case["book"], case.get("config"))
        got: Any = None if found is None else {
            "index": found["index"], "by": found["by"], "decision": found["score"]["decision"]}
        if got != case["expect"]:
            r.fail(cid, f"expected {case['expect']}, got {got}")
    for case in doc["merges"]:
        n += 1
        cid = r.id(case)
        a, b = crm.Lead.from_dict(case["a"]), crm.Lead.from_dict(case["b"])
        plan = dedupe.merge_plan(a, b)
        e = case["expect"]
        side = {"a": str(a.id), "b": str(b.id)}
        if plan["survivor"] != side[e["survivor"]]:
            r.fail(cid, f"survivor {plan['survivor']}")
        if plan["survivor_reason"] != e["survivor_reason"]:
            r.fail(cid, f"survivor_reason {plan['survivor_reason']}")
        if "portal_keys" in e and plan.get("portal_keys") != e["portal_keys"]:
            r.fail(cid, f"portal_keys {plan.get('portal_keys')}")
        for path, want in e["fields"].items():
            choice = next((f for f in plan["fields"] if f["field"] == path), None)
            if choice is None:
                r.fail(cid, f"no choice for {path}")
                continue
            if choice["from"] != side[want["from"]] or choice["reason"] != want["reason"]:
                r.fail(cid, f"{path}: {choice}")
            if "value" in want and choice.get("value") != want["value"]:
                r.fail(cid, f"{path}.value: {choice.get('value')}")
            if "discarded" in want and choice.get("discarded") != want["discarded"]:
                r.fail(cid, f"{path}.discarded: {choice.get('discarded')}")
        merged = plan["merged"]
        for key, want in e.get("merged", {}).items():
            got = len(merged.consents) if key == "consents_count" else merged.to_dict().get(key)
            if got != want:
                r.fail(cid, f"merged.{key}: expected {want}, got {got}")
        if crm.validate_record("lead", merged):
            r.fail(cid, "the merged lead does not validate")
    for case in doc["configs"]:
        n += 1
        cid = r.id(case)
        try:
            dedupe.validate_config(case["config"])
            errs: list[dict[str, str]] = []
        except crm.ValidationError as ex:
            errs = [{"path": f["path"], "code": f["code"]} for f in ex.errors]
        if (not errs) != case["expect"]["ok"] or errs != case["expect"].get("errors", []):
            r.fail(cid, f"expected {case['expect']}, got {errs}")
    assert n >= 40
    r.finish("dedupe", n)
