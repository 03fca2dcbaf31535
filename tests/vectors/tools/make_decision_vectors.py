#!/usr/bin/env python3
"""Writes tests/vectors/decision.json: the shared vectors of decision tables.

Like make_dedupe_vectors.py, this file implements nothing. Every expected value below is a
HAND LABEL worked from the rules in tests/vectors/README.md (section "decision.json") and
docs/workflow.md ("Decision tables"): which rows a person sees match, what the hit policy makes
of them, the sums worked by hand, the gaps and overlaps read off each table's cells, and the
path and code of every problem of the invalid tables. Nothing is copied from the Rust output.

Usage:
  python3 tests/vectors/tools/make_decision_vectors.py          # (re)write decision.json
  python3 tests/vectors/tools/make_decision_vectors.py --check  # exit 1 if it is stale

Add new cases at the end of a list so existing ids keep their meaning.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT_PATH = HERE.parent / "decision.json"


def eq(v):
    return {"op": "eq", "value": v}


def ne(v):
    return {"op": "ne", "value": v}


def lt(v):
    return {"op": "lt", "value": v}


def lte(v):
    return {"op": "lte", "value": v}


def gt(v):
    return {"op": "gt", "value": v}


def gte(v):
    return {"op": "gte", "value": v}


def between(a, b):
    return {"op": "between", "min": a, "max": b}


def isin(*vs):
    return {"op": "in", "values": list(vs)}


ANY = "-"

# ---------------------------------------------------------------------------------------------
# Tables.

TABLES = {
    # The commission plan of a deal: sales by value band, leases on one plan. Complete and
    # without overlaps: sale splits the value line at 500000 (lt / between) and 2000000
    # (between / gt); lease takes every value.
    "commission_plan": {
        "id": "commission_plan_by_deal", "hit_policy": "unique",
        "inputs": [
            {"name": "kind", "field": "kind", "type": "text", "values": ["sale", "lease"]},
            {"name": "value", "field": "value.amount", "type": "number"},
        ],
        "outputs": [{"name": "plan"}, {"name": "rate"}],
        "rows": [
            {"when": [eq("sale"), lt("500000")], "then": ["standard", "0.06"]},
            {"when": [eq("sale"), between("500000", "2000000")], "then": ["premium", "0.05"]},
            {"when": [eq("sale"), gt("2000000")], "then": ["luxury", "0.04"]},
            {"when": [eq("lease"), ANY], "then": ["lease", "1.00"], "note": "first rent"},
        ],
    },
    # The routing team of a lead: the first matching row wins, the last row is the default.
    "routing_team": {
        "id": "routing_team_by_lead", "hit_policy": "first",
        "inputs": [
            {"name": "source", "field": "source", "type": "text"},
            {"name": "budget", "field": "budget.max.amount", "type": "number"},
            {"name": "city", "field": "address.city", "type": "text"},
        ],
        "outputs": [{"name": "team"}],
        "rows": [
            {"when": [eq("referral"), ANY, ANY], "then": ["vip_desk"]},
            {"when": [ANY, gte("1000000"), ANY], "then": ["luxury"]},
            {"when": [ANY, ANY, isin("São Paulo", "Campinas")], "then": ["sp_team"]},
            {"when": [ANY, ANY, ANY], "then": ["general"]},
        ],
    },
    # Who approves a discount: the highest-priority approver among the matching rows.
    "approver": {
        "id": "discount_approver", "hit_policy": "priority",
        "inputs": [{"name": "discount", "field": "discount", "type": "number"}],
        "outputs": [{"name": "approver", "priority": ["director", "manager", "agent"]}],
        "rows": [
            {"when": [ANY], "then": ["agent"]},
            {"when": [gte("100000")], "then": ["manager"]},
            {"when": [gte("1000000")], "then": ["director"]},
            {"when": [gte("1000000")], "then": ["director"], "note": "tie: row 2 wins"},
        ],
    },
    # A lead tag: rows may overlap when they agree. Rows 1/3 and 2/3 overlap below 0 with
    # different tags: the check reports them, and evaluation there is a conflict.
    "lead_tag": {
        "id": "lead_tag", "hit_policy": "any",
        "inputs": [
            {"name": "budget", "field": "budget", "type": "number"},
            {"name": "source", "field": "source", "type": "text"},
        ],
        "outputs": [{"name": "tag"}],
        "rows": [
            {"when": [gte("1000000"), ANY], "then": ["high_value"]},
            {"when": [ANY, eq("referral")], "then": ["high_value"]},
            {"when": [lt("1000000"), ne("referral")], "then": ["normal"]},
            {"when": [lt("0"), ANY], "then": ["invalid"]},
        ],
    },
    # The tasks a new deal needs, in order.
    "checklist": {
        "id": "deal_checklist", "hit_policy": "rule_order",
        "inputs": [
            {"name": "kind", "field": "kind"},
            {"name": "financed", "field": "financed", "type": "bool"},
        ],
        "outputs": [{"name": "task"}],
        "rows": [
            {"when": [ANY, ANY], "then": ["collect documents"]},
            {"when": [eq("sale"), ANY], "then": ["order registry certificate"]},
            {"when": [eq("sale"), eq(True)], "then": ["send to bank for appraisal"]},
            {"when": [eq("lease"), ANY], "then": ["run tenant credit check"]},
        ],
    },
    # Bonuses for a closed sale, collected.
    "bonus_list": {
        "id": "closing_bonus", "hit_policy": "collect",
        "inputs": [
            {"name": "value", "field": "value", "type": "number"},
            {"name": "exclusive", "field": "exclusive", "type": "bool"},
        ],
        "outputs": [{"name": "bonus"}],
        "rows": [
            {"when": [gte("1000000"), ANY], "then": ["500.00"]},
            {"when": [ANY, eq(True)], "then": ["250.00"]},
            {"when": [gte("3000000"), ANY], "then": ["1000.00"]},
        ],
    },
    # A bonus still "to be decided": valid as a table, but it cannot be summed.
    "bonus_tbd": {
        "id": "bonus_tbd", "hit_policy": "collect", "aggregation": "sum",
        "inputs": [{"name": "value", "field": "value", "type": "number"}],
        "outputs": [{"name": "bonus"}],
        "rows": [
            {"when": [ANY], "then": ["100"]},
            {"when": [gte("1000000")], "then": ["tbd"]},
        ],
    },
    # A gap: sales above 500000 and up to 600000 have no plan.
    "plan_with_gap": {
        "id": "plan_with_gap", "hit_policy": "unique",
        "inputs": [
            {"name": "kind", "field": "kind", "values": ["sale", "lease"]},
            {"name": "value", "field": "value", "type": "number"},
        ],
        "outputs": [{"name": "plan"}],
        "rows": [
            {"when": [eq("sale"), lte("500000")], "then": ["standard"]},
            {"when": [eq("sale"), gt("600000")], "then": ["premium"]},
            {"when": [eq("lease"), ANY], "then": ["lease"]},
        ],
    },
    # An overlap: both rows take exactly 1000000.
    "plan_with_overlap": {
        "id": "plan_with_overlap", "hit_policy": "unique",
        "inputs": [{"name": "value", "field": "value", "type": "number"}],
        "outputs": [{"name": "plan"}],
        "rows": [
            {"when": [lte("1000000")], "then": ["standard"]},
            {"when": [gte("1000000")], "then": ["premium"]},
        ],
    },
    # An open text domain: any source other than the three listed is a gap.
    "source_team": {
        "id": "source_team", "hit_policy": "first",
        "inputs": [{"name": "source", "field": "source"}],
        "outputs": [{"name": "team"}],
        "rows": [
            {"when": [eq("referral")], "then": ["vip_desk"]},
            {"when": [isin("zap", "vivareal")], "then": ["portal_team"]},
        ],
    },
    # Rates by closing date: dates and instants on one time line.
    "rates_by_date": {
        "id": "rates_by_date", "hit_policy": "unique",
        "inputs": [{"name": "closed_on", "field": "closed_on", "type": "date"}],
        "outputs": [{"name": "table"}],
        "rows": [
            {"when": [lt("2026-01-01")], "then": ["rates_2025"]},
            {"when": [gte("2026-01-01")], "then": ["rates_2026"]},
        ],
    },
    # A `contains` cell is not analysed: the gap check treats it as covering nothing.
    "with_contains": {
        "id": "with_contains", "hit_policy": "first",
        "inputs": [{"name": "notes", "field": "notes", "type": "text"}],
        "outputs": [{"name": "flag"}],
        "rows": [{"when": [{"op": "contains", "value": "urgente"}], "then": ["urgent"]}],
    },
}

for agg in ("sum", "min", "max", "count"):
    t = copy.deepcopy(TABLES["bonus_list"])
    t["aggregation"] = agg
    t["id"] = f"closing_bonus_{agg}"
    TABLES[f"bonus_{agg}"] = t


def ok(outputs, matched, selected=None, aggregate=None, has_aggregate=False):
    e = {"outputs": outputs, "matched_rows": matched, "selected_row": selected}
    if has_aggregate or aggregate is not None:
        e["aggregate"] = aggregate
    return e


def err(code, path=None, rows=None):
    e = {"code": code}
    if path is not None:
        e["path"] = path
    if rows is not None:
        e["rows"] = rows
    return e


# (feature, table, record, expected result or error)
EVALUATE = [
    # commission plan (unique): 500000 is the first value of `between` (inclusive), 2000000
    # its last; 2000000.01 is above it.
    ("unique", "commission_plan", {"kind": "sale", "value": {"amount": "350000.00", "currency": "BRL"}},
     ok([{"plan": "standard", "rate": "0.06"}], [0], 0)),
    ("unique", "commission_plan", {"kind": "sale", "value": {"amount": "500000", "currency": "BRL"}},
     ok([{"plan": "premium", "rate": "0.05"}], [1], 1)),
    ("unique", "commission_plan", {"kind": "sale", "value": {"amount": "2000000.00"}},
     ok([{"plan": "premium", "rate": "0.05"}], [1], 1)),
    ("unique", "commission_plan", {"kind": "sale", "value": {"amount": "2000000.01"}},
     ok([{"plan": "luxury", "rate": "0.04"}], [2], 2)),
    ("unique", "commission_plan", {"kind": "lease"},
     ok([{"plan": "lease", "rate": "1.00"}], [3], 3)),
    ("unique", "commission_plan", {"kind": "swap", "value": {"amount": "1"}},
     err("workflow.decision.input_type", "kind")),
    ("unique", "commission_plan", {"kind": "sale", "value": {"amount": "R$ 10"}},
     err("workflow.decision.input_type", "value.amount")),
    ("unique", "commission_plan", {"kind": "sale"},
     err("workflow.decision.no_match")),
    # routing team (first)
    ("first", "routing_team", {"source": "referral", "budget": {"max": {"amount": "2500000"}}, "address": {"city": "Rio de Janeiro"}},
     ok([{"team": "vip_desk"}], [0], 0)),
    ("first", "routing_team", {"source": "zap", "budget": {"max": {"amount": "1500000"}}, "address": {"city": "São Paulo"}},
     ok([{"team": "luxury"}], [1], 1)),
    ("first", "routing_team", {"source": "zap", "budget": {"max": {"amount": "300000"}}, "address": {"city": "Campinas"}},
     ok([{"team": "sp_team"}], [2], 2)),
    ("first", "routing_team", {"source": "olx", "budget": {"max": {"amount": "300000"}}, "address": {"city": "Niterói"}},
     ok([{"team": "general"}], [3], 3)),
    ("first", "routing_team", {},
     ok([{"team": "general"}], [3], 3)),
    # approver (priority): every matching row is listed, the highest-ranked is selected, the
    # earlier of two equal ones wins.
    ("priority", "approver", {"discount": 50000}, ok([{"approver": "agent"}], [0], 0)),
    ("priority", "approver", {"discount": "100000.00"}, ok([{"approver": "manager"}], [0, 1], 1)),
    ("priority", "approver", {"discount": "1500000"}, ok([{"approver": "director"}], [0, 1, 2, 3], 2)),
    # lead tag (any)
    ("any", "lead_tag", {"budget": "2000000", "source": "zap"}, ok([{"tag": "high_value"}], [0], 0)),
    ("any", "lead_tag", {"budget": "2000000", "source": "referral"}, ok([{"tag": "high_value"}], [0, 1], 0)),
    ("any", "lead_tag", {"budget": "500000", "source": "zap"}, ok([{"tag": "normal"}], [2], 2)),
    ("any", "lead_tag", {"budget": "-5", "source": "zap"}, err("workflow.decision.conflict", rows=[2, 3])),
    ("any", "lead_tag", {"budget": "-5", "source": "referral"}, err("workflow.decision.conflict", rows=[1, 3])),
    ("any", "lead_tag", {"source": "zap"}, err("workflow.decision.no_match")),
    # checklist (rule order)
    ("rule_order", "checklist", {"kind": "sale", "financed": True},
     ok([{"task": "collect documents"}, {"task": "order registry certificate"}, {"task": "send to bank for appraisal"}], [0, 1, 2])),
    ("rule_order", "checklist", {"kind": "lease", "financed": False},
     ok([{"task": "collect documents"}, {"task": "run tenant credit check"}], [0, 3])),
    ("rule_order", "checklist", {"kind": "swap"}, ok([{"task": "collect documents"}], [0])),
    ("rule_order", "checklist", {"kind": "sale", "financed": "yes"},
     err("workflow.decision.input_type", "financed")),
    # bonuses (collect): 500.00 + 250.00 + 1000.00 = 1750.00
    ("collect", "bonus_list", {"value": "3500000", "exclusive": True},
     ok([{"bonus": "500.00"}, {"bonus": "250.00"}, {"bonus": "1000.00"}], [0, 1, 2])),
    ("collect", "bonus_list", {"value": "500000", "exclusive": False}, ok([], [])),
    ("aggregation", "bonus_sum", {"value": "3500000", "exclusive": True},
     ok([{"bonus": "500.00"}, {"bonus": "250.00"}, {"bonus": "1000.00"}], [0, 1, 2], aggregate="1750.00")),
    ("aggregation", "bonus_sum", {"value": "1200000", "exclusive": False},
     ok([{"bonus": "500.00"}], [0], aggregate="500.00")),
    ("aggregation", "bonus_sum", {"value": "500000", "exclusive": False}, ok([], [], aggregate="0")),
    ("aggregation", "bonus_min", {"value": "3500000", "exclusive": True},
     ok([{"bonus": "500.00"}, {"bonus": "250.00"}, {"bonus": "1000.00"}], [0, 1, 2], aggregate="250.00")),
    ("aggregation", "bonus_min", {"value": "500000", "exclusive": False}, ok([], [], aggregate=None, has_aggregate=True)),
    ("aggregation", "bonus_max", {"value": "3500000", "exclusive": True},
     ok([{"bonus": "500.00"}, {"bonus": "250.00"}, {"bonus": "1000.00"}], [0, 1, 2], aggregate="1000.00")),
    ("aggregation", "bonus_count", {"value": "3500000", "exclusive": True},
     ok([{"bonus": "500.00"}, {"bonus": "250.00"}, {"bonus": "1000.00"}], [0, 1, 2], aggregate="3")),
    ("aggregation", "bonus_count", {"value": "100", "exclusive": True},
     ok([{"bonus": "250.00"}], [1], aggregate="1")),
    ("aggregation", "bonus_count", {"value": "100", "exclusive": False}, ok([], [], aggregate="0")),
    ("aggregation", "bonus_tbd", {"value": "10"}, ok([{"bonus": "100"}], [0], aggregate="100")),
    ("aggregation", "bonus_tbd", {"value": "1000000"}, err("workflow.decision.aggregate", "rows[1].then[0]")),
    # the gap and the overlap, met at evaluation
    ("gap", "plan_with_gap", {"kind": "sale", "value": "550000"}, err("workflow.decision.no_match")),
    ("gap", "plan_with_gap", {"kind": "sale", "value": "600000.01"}, ok([{"plan": "premium"}], [1], 1)),
    ("overlap", "plan_with_overlap", {"value": "1000000.00"}, err("workflow.decision.not_unique", rows=[0, 1])),
    ("overlap", "plan_with_overlap", {"value": "999999.99"}, ok([{"plan": "standard"}], [0], 0)),
    ("gap", "source_team", {"source": "olx"}, err("workflow.decision.no_match")),
    ("gap", "source_team", {"source": "vivareal"}, ok([{"team": "portal_team"}], [1], 1)),
    # dates: 2025-12-31T23:59:59-03:00 is 2026-01-01T02:59:59Z, after midnight UTC.
    ("date", "rates_by_date", {"closed_on": "2025-12-31"}, ok([{"table": "rates_2025"}], [0], 0)),
    ("date", "rates_by_date", {"closed_on": "2025-12-31T23:59:59-03:00"}, ok([{"table": "rates_2026"}], [1], 1)),
    ("date", "rates_by_date", {"closed_on": "31/12/2025"}, err("workflow.decision.input_type", "closed_on")),
]

# (table, gaps (descriptions), overlaps ([a, b], description), not-analysed paths)
CHECK = [
    ("commission_plan", [], [], []),
    ("routing_team", [], [], []),
    ("approver", [], [], []),
    ("lead_tag", [], [([1, 3], "budget < 0, source = referral"), ([2, 3], "budget < 0, source != referral")], []),
    ("checklist", [], [], []),
    ("bonus_list", ["value < 1000000, exclusive = false"], [], []),
    ("plan_with_gap", ["kind = sale, value in (500000, 600000]"], [], []),
    ("plan_with_overlap", [], [([0, 1], "value = 1000000")], []),
    ("source_team", ["source not in {referral, vivareal, zap}"], [], []),
    ("rates_by_date", [], [], []),
    ("with_contains", ["any input"], [], ["rows[0].when[0]"]),
]


def base():
    return copy.deepcopy(TABLES["plan_with_overlap"])


def invalid_cases():
    out = []
    t = base(); t["aggregation"] = "sum"
    out.append((t, [("aggregation", "validation.decision.policy")]))
    t = base(); t["rows"][1]["when"].append(ANY)
    out.append((t, [("rows[1].when", "validation.decision.shape")]))
    t = base(); t["rows"][0]["then"] = []
    out.append((t, [("rows[0].then", "validation.decision.shape")]))
    t = base(); t["hit_policy"] = "priority"
    out.append((t, [("outputs", "validation.decision.policy")]))
    t = base(); t["hit_policy"] = "priority"; t["outputs"][0]["priority"] = ["standard"]
    out.append((t, [("rows[1].then[0]", "validation.decision.policy")]))
    t = base(); t["outputs"][0]["priority"] = ["standard", "premium"]
    out.append((t, [("outputs[0].priority", "validation.decision.policy")]))
    t = base(); t["rows"][0]["when"][0] = between("10", "5")
    out.append((t, [("rows[0].when[0]", "validation.workflow.condition")]))
    t = base(); t["rows"][0]["when"][0] = eq("sale"); t["rows"][1]["then"][0] = 0.05
    out.append((t, [("rows[0].when[0]", "validation.decision.cell"), ("rows[1].then[0]", "validation.decision.cell")]))
    t = base(); t["id"] = ""; t["inputs"].append({"name": "value", "field": " "}); t["rows"][0]["when"].append(ANY); t["rows"][1]["when"].append(ANY)
    out.append((t, [("id", "validation.required"), ("inputs[1].name", "validation.decision.shape"), ("inputs[1].field", "validation.required")]))
    t = base(); t["rows"] = []
    out.append((t, [("rows", "validation.decision.shape")]))
    t = base(); t["hit_policy"] = "collect"; t["aggregation"] = "max"; t["outputs"].append({"name": "rate"})
    for r in t["rows"]:
        r["then"].append("0.05")
    out.append((t, [("aggregation", "validation.decision.policy")]))
    t = copy.deepcopy(TABLES["plan_with_gap"]); t["rows"][2]["when"][0] = eq("swap")
    out.append((t, [("rows[2].when[0]", "validation.decision.cell")]))
    t = base(); t["hit_policy"] = "sometimes"
    out.append((t, [("hit_policy", "input.json")]))
    t = base(); t["rows"][0]["when"][0] = {"op": "like", "value": "x"}
    out.append((t, [("rows[0].when[0]", "input.json")]))
    return out


def build():
    cases = []
    counters = {}

    def next_id(feature):
        counters[feature] = counters.get(feature, 0) + 1
        return f"{feature}-{counters[feature]:03d}"

    for feature, table, record, expected in EVALUATE:
        case = {"id": next_id(feature), "feature": feature, "kind": "evaluate", "table": table, "record": record}
        if "code" in expected:
            case["expect_error"] = expected
        else:
            case["expect"] = expected
        cases.append(case)
    for table, gaps, overlaps, not_analysed in CHECK:
        cases.append({
            "id": next_id("check"), "feature": "check", "kind": "check", "table": table,
            "expect_report": {
                "gaps": gaps,
                "overlaps": [{"rows": rows, "where": where} for rows, where in overlaps],
                "not_analysed": not_analysed,
            },
        })
    for table, errors in invalid_cases():
        cases.append({
            "id": next_id("invalid"), "feature": "invalid", "kind": "invalid", "table": table,
            "expect_errors": [{"path": p, "code": c} for p, c in errors],
        })
    return {
        "format": 1,
        "description": "Decision tables (crm_core::workflow::DecisionTable): hit policies, aggregations, the static gap/overlap check, validation. Hand labels; see tests/vectors/README.md, section decision.json.",
        "tables": TABLES,
        "cases": cases,
    }


def main():
    text = json.dumps(build(), indent=1, ensure_ascii=False) + "\n"
    if "--check" in sys.argv[1:]:
        if not OUT_PATH.exists() or OUT_PATH.read_text(encoding="utf-8") != text:
            print(f"{OUT_PATH} is stale; run {Path(__file__).name}", file=sys.stderr)
            sys.exit(1)
        return
    OUT_PATH.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
