"""workflow.json, decision.json, routing.json and sla.json through the Python API (the Rust
runners: tests/vectors_{workflow,decision,routing,sla}.rs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import realestate_crm as crm
from conftest import Report, load
from realestate_crm import workflow


def when(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def errors_match(want: list[dict[str, str]], got: list[Any]) -> bool:
    return len(want) == len(got) and all(
        w["code"] == g["code"] and ("path" not in w or w["path"] == g["path"]) for w, g in zip(want, got))


def test_workflow_vectors() -> None:
    doc = load("workflow.json")
    cases = doc["cases"]
    assert len(cases) >= 40
    cal = workflow.BusinessCalendar()
    r = Report()
    per: dict[str, int] = {}
    for case in cases:
        cid = r.id(case)
        f = case["feature"]
        per[f] = per.get(f, 0) + 1
        e = case["expect"] if "expect" in case else {}
        if f == "transition":
            p = workflow.Pipeline(case["pipeline"])
            ctx = dict(case["context"])
            try:
                after, t = p.transition(case["record"], case["to"], **ctx)
                if "ok" not in e:
                    r.fail(cid, f"expected an error, got {t}")
                    continue
                got = {"from": t["from"], "to": t.to, "kind": t.kind}
                field = p.stage_field
                if got != e["ok"] or after.get(field) != case["to"] or t.at != when(ctx["now"]):
                    r.fail(cid, f"expected {e['ok']}, got {got}, record {after.get(field)}")
            except crm.CrmError as ex:
                if "ok" in e or not errors_match(e["errors"], ex.errors):
                    r.fail(cid, f"expected {e}, got {ex.code} {ex.errors}")
        elif f == "pipeline_invalid":
            try:
                workflow.Pipeline(case["pipeline"])
                r.fail(cid, "accepted")
            except crm.CrmError as ex:
                if not errors_match(e["errors"], ex.errors):
                    r.fail(cid, f"expected {e['errors']}, got {ex.errors}")
        elif f == "rules":
            c = cal if case.get("calendar") == "sao_paulo" else None
            ev = workflow.evaluate_rules(case["rules"], case["event"], when(case["now"]), c,
                                         case.get("depth", 0))
            again = workflow.evaluate_rules(case["rules"], case["event"], when(case["now"]), c,
                                            case.get("depth", 0))
            fired = [f["rule_id"] for f in ev["fired"]]
            if ev != again or len(ev["trace"]) != len(case["rules"]):
                r.fail(cid, "not deterministic or a trace entry missing")
            if fired != e["fired"]:
                r.fail(cid, f"fired: expected {e['fired']}, got {fired}")
            if "intents" in e:
                got_i = [{"rule_id": f["rule_id"], "intent": i} for f in ev["fired"] for i in f["intents"]]
                if got_i != e["intents"]:
                    r.fail(cid, f"intents: expected {e['intents']}, got {got_i}")
            for rule_id, want in e.get("why", {}).items():
                entry = next((t for t in ev["trace"] if t["rule_id"] == rule_id), None)
                if entry is None or entry.get("why") != want:
                    r.fail(cid, f"why {rule_id}: expected {want}, got {entry}")
        elif f in ("rules_invalid", "rules_valid"):
            try:
                workflow.AutomationRules(case["rules"])
                if f == "rules_invalid":
                    r.fail(cid, "accepted")
            except crm.CrmError as ex:
                if f == "rules_valid" or not errors_match(e["errors"], ex.errors):
                    r.fail(cid, f"expected {e}, got {ex.errors}")
        else:
            r.fail(cid, f"unknown feature {f}")
    for feature, least in {"transition": 20, "pipeline_invalid": 8, "rules": 25,
                           "rules_invalid": 5, "rules_valid": 2}.items():
        assert per.get(feature, 0) >= least, feature
    r.finish("workflow", len(cases))


def test_decision_vectors() -> None:
    doc = load("decision.json")
    cases = doc["cases"]
    assert len(cases) >= 60
    r = Report()
    for case in cases:
        cid = r.id(case)
        table = case["table"]
        if isinstance(table, str):
            table = doc["tables"][table]
        kind = case["kind"]
        if kind == "invalid":
            try:
                workflow.DecisionTable(table)
                r.fail(cid, "accepted")
            except crm.CrmError as ex:
                got = [{"path": f["path"], "code": f["code"]} for f in ex.errors]
                if got != case["expect_errors"]:
                    r.fail(cid, f"expected {case['expect_errors']}, got {got}")
            continue
        t = workflow.DecisionTable(table)
        if kind == "check":
            rep = t.check()
            got_r = {"gaps": [g["description"] for g in rep["gaps"]],
                     "overlaps": [{"rows": o["rows"], "where": o["description"]} for o in rep["overlaps"]],
                     "not_analysed": [n["path"] for n in rep["not_analysed"]]}
            if rep.get("truncated") or got_r != case["expect_report"]:
                r.fail(cid, f"expected {case['expect_report']}, got {got_r}")
            continue
        try:
            d = t.evaluate(case["record"])
            if "expect" not in case:
                r.fail(cid, f"expected {case['expect_error']}, got {d}")
                continue
            got_d: dict[str, Any] = {"outputs": d["outputs"], "matched_rows": d["matched_rows"],
                                     "selected_row": d.get("selected_row")}
            if "aggregate" in case["expect"]:
                got_d["aggregate"] = d.get("aggregate", "<none>")
            if got_d != case["expect"]:
                r.fail(cid, f"expected {case['expect']}, got {got_d}")
        except crm.CrmError as ex:
            want = case.get("expect_error")
            if want is None:
                r.fail(cid, f"unexpected {ex.code}: {ex}")
                continue
            if ex.code != want["code"]:
                r.fail(cid, f"code {ex.code}")
            if "path" in want and (ex.errors[0]["path"] if ex.errors else "") != want["path"]:
                r.fail(cid, f"path {ex.errors}")
            for row in want.get("rows", []):
                if f"rows[{row}]" not in str(ex):
                    r.fail(cid, f"message {ex} does not name rows[{row}]")
    r.finish("decision", len(cases))


def test_routing_vectors() -> None:
    doc = load("routing.json")
    r = Report()
    assert len(doc["cases"]) >= 30 and len(doc["policies"]) >= 10
    for case in doc["cases"]:
        cid = r.id(case)
        state = case.get("state")
        for i, step in enumerate(case["steps"]):
            agents = step.get("agents", case["agents"])
            try:
                if step["call"] == "route":
                    d = workflow.route_lead(step["lead"], case["policy"], agents, when(step["now"]),
                                            state=state, seed=step["seed"],
                                            property=step.get("property"),
                                            language=step.get("language"))
                else:
                    d = workflow.resolve_offer(case["policy"], state or {}, step["offer_id"],
                                               step["claimed_by"], agents, when(step["now"]),
                                               step["seed"])
            except crm.CrmError as ex:
                e = step["expect"]
                if "error" in e:
                    if ex.code != e["error"]:
                        r.fail(cid, f"step {i}: code {ex.code}")
                elif "errors" in e:
                    got = [{"path": f["path"], "code": f["code"]} for f in ex.errors]
                    if got != e["errors"]:
                        r.fail(cid, f"step {i}: errors {got}")
                else:
                    r.fail(cid, f"step {i}: unexpected {ex.code} {ex}")
                break
            e = step["expect"]
            if "error" in e or "errors" in e:
                r.fail(cid, f"step {i}: expected an error, got {d['assignment']}")
                break
            if "assignment" in e and d["assignment"] != e["assignment"]:
                r.fail(cid, f"step {i}: assignment {d['assignment']} (expected {e['assignment']})")
            if "team" in e and d.to_dict().get("team") != e["team"]:
                r.fail(cid, f"step {i}: team {d.to_dict().get('team')}")
            new_state = d["new_state"]
            if "cursors" in e and new_state.get("cursors", {}) != e["cursors"]:
                r.fail(cid, f"step {i}: cursors {new_state.get('cursors')}")
            if "offers" in e and len(new_state.get("offers", [])) != e["offers"]:
                r.fail(cid, f"step {i}: offers {new_state.get('offers')}")
            for reason in e.get("reasons_include", []):
                if reason not in d["reasons"]:
                    r.fail(cid, f"step {i}: missing reason {reason} in {d['reasons']}")
            state = new_state
    for case in doc["policies"]:
        cid = r.id(case)
        try:
            workflow.routing_policy(case["policy"])
            got: list[dict[str, str]] = []
        except crm.CrmError as ex:
            got = [{"path": f["path"], "code": f["code"]} for f in ex.errors]
        if got != case["expect"]["errors"]:
            r.fail(cid, f"expected {case['expect']['errors']}, got {got}")
    r.finish("routing", len(doc["cases"]) + len(doc["policies"]))


def test_sla_vectors() -> None:
    doc = load("sla.json")
    cals = {n: workflow.BusinessCalendar(c) for n, c in doc["calendars"].items()}
    pols = {n: workflow.SlaPolicy(p) for n, p in doc["policies"].items()}
    r = Report()
    total = 0
    minimum = {"add_business_minutes": 30, "add_business_days": 8, "business_minutes_between": 6,
               "is_working_time": 6, "holidays_in": 4, "easter": 4, "sla_check": 12,
               "invalid_calendars": 6, "invalid_policies": 8}
    for kind, least in minimum.items():
        assert len(doc[kind]) >= least, kind
        for case in doc[kind]:
            total += 1
            cid = r.id(case)
            name = case.get("calendar", "")
            cal = cals.get(name) if isinstance(name, str) else None
            try:
                if kind in ("add_business_minutes", "add_business_days"):
                    assert cal is not None
                    fn = cal.add_business_minutes if kind == "add_business_minutes" else cal.add_business_days
                    try:
                        got = fn(when(case["from"]), case["minutes" if "minutes" in case else "days"])
                        if "error" in case or got != when(case["expect"]):
                            r.fail(cid, f"got {got}")
                    except crm.CrmError as ex:
                        if case.get("error") != ex.code:
                            r.fail(cid, f"got {ex.code}")
                elif kind == "business_minutes_between":
                    assert cal is not None
                    if cal.business_minutes_between(when(case["from"]), when(case["to"])) != case["expect"]:
                        r.fail(cid, "minutes differ")
                elif kind == "is_working_time":
                    assert cal is not None
                    if cal.is_working_time(when(case["at"])) != case["expect"]:
                        r.fail(cid, "differs")
                elif kind == "holidays_in":
                    assert cal is not None
                    days = [d.isoformat() for d, _ in cal.holidays_in(case["year"])]
                    if days != case["expect"]:
                        r.fail(cid, f"got {days}")
                    for d in case["expect"]:
                        day = dt.date.fromisoformat(d)
                        if not cal.is_holiday(day) or cal.is_business_day(day):
                            r.fail(cid, f"{d} is not a closed holiday")
                elif kind == "easter":
                    got_e = workflow.easter_sunday(case["year"])
                    if (got_e.isoformat() if got_e else None) != case["expect"]:
                        r.fail(cid, f"got {got_e}")
                elif kind == "sla_check":
                    assert cal is not None
                    pol = pols[case["policy"]]
                    met = when(case["met_at"]) if case.get("met_at") else None
                    s = pol.check(when(case["started_at"]), when(case["now"]), cal, met)
                    e = case["expect"]
                    if s.deadline != when(e["deadline"]) or s.state != e["state"] \
                            or s.business_minutes_left_or_over != e["business_minutes_left_or_over"] \
                            or s.escalations_due != e["escalations_due"]:
                        r.fail(cid, f"got {s}")
                    steps = pol.to_dict().get("escalate", [])
                    if [steps[i]["intent"] for i in s.escalations_due] != s.to_dict().get("intents", []):
                        r.fail(cid, "intents do not match the due steps")
                    if "next_check_at" in e:
                        want_n = when(e["next_check_at"]) if e["next_check_at"] else None
                        if s.next_check_at != want_n:
                            r.fail(cid, f"next_check_at {s.next_check_at}")
                elif kind == "invalid_calendars":
                    try:
                        workflow.BusinessCalendar(case["calendar"])
                        errs: list[Any] = []
                    except crm.CrmError as ex:
                        errs = ex.errors
                    if not errors_match(case["errors"], errs):
                        r.fail(cid, f"got {errs}")
                elif kind == "invalid_policies":
                    try:
                        workflow.validate_sla_policies(case["policies"])
                        errs = []
                    except crm.CrmError as ex:
                        errs = ex.errors
                    if not errors_match(case["errors"], errs):
                        r.fail(cid, f"got {errs}")
            except crm.CrmError as ex:
                r.fail(cid, f"unexpected {ex.code}: {ex}")
    r.finish("sla", total)
