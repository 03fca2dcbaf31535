"""The realestate-crm quickstart in Python: what `cargo run --example quickstart` does, with
pandas. Reads the invented São Paulo brokerage in examples/data (or a directory given as the
first argument) and prints the validation report, canonical contact data, lead scores,
duplicate checks of today's deliveries, routing, pipeline moves with automation intents,
prices per m², commission statements and the pricing calculators.

    python examples/python/quickstart.py [path/to/data]
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

import realestate_crm as crm
from realestate_crm import dedupe, pricing, workflow

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.timezone.utc)


def load(data: Path, name: str) -> Any:
    return json.loads((data / name).read_text(encoding="utf-8"))


def validation_report(data: Path) -> dict[str, list[dict[str, Any]]]:
    brokerage = load(data, "brokerage.json")
    print(f"realestate-crm quickstart (Python {crm.__version__}): {brokerage['name']}")
    print(f"CNPJ {crm.parse_cnpj(brokerage['cnpj']).formatted} · {crm.parse_creci(brokerage['creci']).formatted}"
          f" · {brokerage['city']} ({brokerage['uf']})\n")
    books: dict[str, list[dict[str, Any]]] = {}
    rows, problems = [], []
    for kind, file in [("agent", "agents.json"), ("property", "properties.json"), ("lead", "leads.json"),
                       ("activity", "activities.json"), ("deal", "deals.json"), ("visit", "visits.json")]:
        records = load(data, file)
        books[kind] = records
        results = crm.validate_records(kind, records)  # type: ignore[arg-type]
        flawed = [(i, r) for i, r in enumerate(results) if r]
        rows.append({"records": kind, "checked": len(records), "valid": len(records) - len(flawed),
                     "problems": sum(len(r) if isinstance(r, list) else 1 for _, r in flawed)})
        for i, r in flawed:
            for p in (r if isinstance(r, list) else r.errors):
                problems.append({"record": f"{kind}s[{i}]", "path": p["path"], "code": p["code"],
                                 "message": p["message"]})
    print(pd.DataFrame(rows).to_string(index=False))
    print("\nproblems (path, code, message)")
    print(pd.DataFrame(problems).to_string(index=False))
    return books


def canonical_contacts(leads: list[dict[str, Any]]) -> None:
    print("\nleads ready to store (canonical contact data)")
    rows = []
    for lead in leads:
        try:
            c = crm.normalized("lead", lead)["contact"]
        except crm.ValidationError:
            continue
        rows.append({"name": c["name"], "phone": c.get("phone", "-"), "email": c.get("email", "-"),
                     "document": c.get("document", "-")})
    print(pd.DataFrame(rows).to_string(index=False))
    # The same columns checked in one call each, as a notebook would.
    frame = pd.json_normalize(leads)
    valid, codes = crm.check_many("phone", frame["contact.phone"])
    print(f"  phones valid: {int(valid.sum())} of {len(valid)}; codes: {sorted({c for c in codes if c})}")


def scoring(books: dict[str, list[dict[str, Any]]]) -> None:
    print("\nleads ranked by score (default rules)")
    props = {p["id"]: p for p in books["property"]}
    first_view: dict[str, Any] = {}
    for a in books["activity"]:
        if a.get("property_id") in props:
            first_view.setdefault(a["lead_id"], props[a["property_id"]])
    valid_leads = [l for l in books["lead"] if not crm.validate_record("lead", l)]
    names = {l["id"]: l["contact"]["name"] for l in valid_leads}
    table = crm.Scorer("default").score_frame(valid_leads, NOW, books["activity"],
                                              [first_view.get(l["id"]) for l in valid_leads])
    table.insert(1, "name", table["lead_id"].map(names))
    print(table.drop(columns="lead_id").sort_values("score", ascending=False).to_string(index=False))


def duplicates(data: Path, leads: list[dict[str, Any]]) -> None:
    print("\ntoday's portal deliveries against the book")
    book = [l for l in leads if not crm.validate_record("lead", l)]
    for new in load(data, "incoming.json"):
        found = dedupe.find_existing(new, book)
        who = new["contact"]["name"]
        if found is None:
            print(f"  {who}: new lead")
        else:
            print(f"  {who}: same as {book[found['index']]['contact']['name']} "
                  f"(by {found['by']}, {found['score']['decision']})")
    frame = dedupe.duplicates_frame(book)
    print("\nduplicates in the book")
    print(frame.to_string(index=False) if len(frame) else "  none")
    if len(frame):
        a, b = int(frame["a"].iloc[0]), int(frame["b"].iloc[0])
        plan = dedupe.merge_plan(book[a], book[b])
        print(f"  merge plan: keep {plan['survivor']} ({plan['survivor_reason']}), "
              f"{len(plan['fields'])} field choices")


def routing(data: Path, books: dict[str, list[dict[str, Any]]]) -> None:
    print("\nthe book routed to teams")
    policy = load(data, "routing.json")
    agents = [{"agent_id": a["id"], "paused": not a["active"],
               "open_leads": sum(1 for l in books["lead"] if l.get("assigned_agent") == a["id"])}
              for a in books["agent"]]
    names = {a["id"]: a["name"] for a in books["agent"]}
    state: dict[str, Any] | None = None
    rows = []
    for seed, lead in enumerate(l for l in books["lead"] if not crm.validate_record("lead", l)):
        d = workflow.route_lead(lead, policy, agents, NOW, state=state, seed=seed).to_dict()
        state = d["new_state"]
        assignment = d["assignment"]
        agent = assignment.get("agent_id") if isinstance(assignment, dict) else None
        rows.append({"lead": lead["contact"]["name"], "team": d.get("team"),
                     "agent": names.get(agent, assignment if agent is None else agent)})
    print(pd.DataFrame(rows).to_string(index=False))


def pipeline(data: Path, books: dict[str, list[dict[str, Any]]]) -> None:
    sales = workflow.Pipeline("sales")
    rules = workflow.AutomationRules(load(data, "automation.json"))
    print(f"\npipeline sales and {len(load(data, 'automation.json'))} automation rules")
    leads = books["lead"]
    prop = books["property"][0]["id"]
    for index, moves in [(7, ["contacted", "visit_scheduled", "proposal"]), (6, ["visit_scheduled", "proposal"]),
                         (9, ["lost"])]:
        if index >= len(leads):
            continue
        lead = leads[index]
        print(f"  {lead['contact']['name']} (stage {lead.get('stage', 'new')})")
        for to in moves:
            ctx: dict[str, Any] = {"reason": "sem retorno após três tentativas"}
            if to == "proposal" and index == 6:
                ctx.update(property_id=prop, offer_value=crm.Money("2150000"))
            try:
                after, t = sales.transition(lead, to, now=NOW, **ctx)
            except crm.CrmError as e:
                print(f"    → {to} refused: {e.code} at {e.path}")
                break
            event = {"type": "stage_changed", "from": t["from"], "to": t.to, "before": lead,
                     "after": after, "at": NOW}
            fired = rules.evaluate(event, NOW)["fired"]
            intents = [f"{f['rule_id']}: {i['type']}" for f in fired for i in f["intents"]]
            print(f"    {t['from']} → {t.to} ({t.kind}) {intents}")
            lead = after


def prices(books: dict[str, list[dict[str, Any]]]) -> None:
    print("\nlistings for sale, price per m² of private area")
    props = [crm.Property.from_dict(p) for p in books["property"]]
    rows = [{"neighbourhood": p.address.neighbourhood, "type": p.property_type,
             "price": p.sale_price.amount, "per_m2": crm.round_decimal(p.sale_price.amount / p.private_area_m2)}
            for p in props if p.sale_price is not None and p.private_area_m2]
    print(pd.DataFrame(rows).sort_values("per_m2", ascending=False).to_string(index=False))
    stats = pricing.price_per_m2([{"price": r["price"], "area_m2": p.private_area_m2}
                                  for r, p in zip(rows, [p for p in props if p.sale_price is not None and p.private_area_m2])])
    print(f"  median {crm.Money.from_dict(stats['median'].to_py())} per m²")


def commissions(data: Path, books: dict[str, list[dict[str, Any]]]) -> None:
    print("\ncommission statements")
    plans = load(data, "plans.json")
    taxes = load(data, "withholding.json")
    sale = crm.CommissionEngine(plans["sale"], taxes)
    closed = [d for d in books["deal"] if d["kind"] == "sale" and d.get("status") == "closed"
              and not crm.validate_record("deal", d)]
    statements = sale.statements(closed, NOW.date(), errors="return")
    good = [s for s in statements if isinstance(s, crm.Statement)]
    frame = sale.statements_frame(good)
    print(frame.drop(columns=["deal_id", "agent_id"]).to_string(index=False))
    for s in good:
        entry = sale.ledger_entry(s)
        total = sum((p["amount"].amount for p in entry.postings), start=crm.Money(0).amount)
        print(f"  deal {s.deal_id}: pool {s.pool}, net {s.total_net}, ledger balance {total}")
    if good:
        rev = sale.clawback(good[0], good[0].date + dt.timedelta(days=30))
        print(f"  clawback 30 days later: fraction {rev.fraction}, back {rev.total_gross}")


def calculators(data: Path) -> None:
    assumptions = load(data, "pricing.json")
    sac = pricing.simulate(assumptions["financing"])
    price = pricing.simulate({**assumptions["financing"], "system": "price"})
    print("\nfinancing 360 months")
    for s in (sac, price):
        print(f"  {s.system.upper():5} first {s.first_payment} last {s.last_payment} "
              f"total {s.total_paid} CET {s.cet_annual * 100:.4f}% a.a.")
    print(sac.to_pandas().head(3).to_string(index=False))
    print("\naffordability", dict(pricing.affordability(assumptions["affordability"]).to_dict()))
    costs = pricing.closing_costs(assumptions["closing_costs"])
    print(f"closing costs: ITBI {costs.itbi}, registry {costs.registry}, cash needed {costs.cash_needed}")
    rent = pricing.adjust_rent(assumptions["rent_adjustment"])
    print(f"rent adjustment: {rent.previous_rent} → {rent.new_rent} (factor {rent.applied_factor})")


def main() -> None:
    default = Path(__file__).resolve().parents[1] / "data"
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    books = validation_report(data)
    canonical_contacts(books["lead"])
    scoring(books)
    routing(data, books)
    pipeline(data, books)
    duplicates(data, books["lead"])
    prices(books)
    commissions(data, books)
    calculators(data)


if __name__ == "__main__":
    main()
