#!/usr/bin/env python3
"""Writes tests/vectors/routing.json: lead routing cases whose expectations were worked by hand.

Standard library only. The expected agents, teams, cursors, offers and error paths below are
written by hand from the routing rules (docs/workflow.md, "Lead routing"); this script only
expands shorthand (agent numbers to UUIDs, lead and listing fragments to full records) and
checks the seeded draws it quotes against its own SplitMix64, written from the published
algorithm (Steele, Lea & Flood 2014), not from the Rust code:

    state += 0x9E3779B97F4A7C15; z = state
    z = (z ^ z >> 30) * 0xBF58476D1CE4E5B9; z = (z ^ z >> 27) * 0x94D049BB133111EB
    out = z ^ z >> 31          (all mod 2^64)        draw = out % total

    python3 tests/vectors/tools/make_routing_vectors.py          # rewrite routing.json
    python3 tests/vectors/tools/make_routing_vectors.py --check  # exit 1 if it is stale
"""
import json
import pathlib
import sys

OUT = pathlib.Path(__file__).resolve().parent.parent / "routing.json"
M64 = (1 << 64) - 1


def splitmix64(seed):
    s = seed
    while True:
        s = (s + 0x9E3779B97F4A7C15) & M64
        z = s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        yield z ^ (z >> 31)


# Anchors: first outputs, checked against the published test value for seed 0.
_g = splitmix64(0)
assert next(_g) == 0xE220A8397B1DCDAF, "splitmix64 seed 0 must start 0xE220A8397B1DCDAF"


def draw(seed, total, nth=0):
    g = splitmix64(seed)
    for _ in range(nth):
        next(g)
    return next(g) % total


def A(n):
    """Agent n's id."""
    return f"0190f3a0-0000-7000-8000-{n:012x}"


P1 = "0190f3a0-0000-7000-9000-000000000001"  # a listing id
NOW = "2026-11-26T14:00:00Z"  # Thursday, 11:00 in São Paulo


def at(minutes):
    """NOW plus whole minutes (up to 59), as text."""
    return f"2026-11-26T14:{minutes:02d}:00Z"


def lead_json(n, wanted_cities=(), wanted_neighbourhoods=()):
    lead = {
        "id": f"0190f3a0-0000-7000-a000-{n:012x}",
        "contact": {"name": "Ana Souza", "phone": "11987654321"},
        "created_at": NOW,
        "updated_at": NOW,
    }
    if wanted_cities:
        lead["wanted_cities"] = list(wanted_cities)
    if wanted_neighbourhoods:
        lead["wanted_neighbourhoods"] = list(wanted_neighbourhoods)
    return lead


def property_json(city="São Paulo", neighbourhood="Moema", pid=P1):
    return {
        "id": pid,
        "listing": "sale",
        "property_type": "apartment",
        "address": {"cep": "04077-000", "street": "Alameda dos Arapanés", "neighbourhood": neighbourhood,
                    "city": city, "uf": "SP"},
        "created_at": NOW,
        "updated_at": NOW,
    }


def members(*ns, **extra):
    out = []
    for n in ns:
        m = {"agent_id": A(n)}
        m.update(extra.get(f"m{n}", {}))
        out.append(m)
    return out


def avail(*ns, **over):
    out = []
    for n in ns:
        s = {"agent_id": A(n)}
        s.update(over.get(f"a{n}", {}))
        out.append(s)
    return out


def assigned(n):
    return {"type": "assigned", "agent_id": A(n)}


def unassigned(why):
    return {"type": "unassigned", "why": why}


def offered(offer_id, ns, expires):
    return {"type": "offered", "offer_id": offer_id, "agents": [A(n) for n in ns], "expires_at": expires}


def route(expect, lead=0, seed=0, now=NOW, **kw):
    step = {"call": "route", "lead": lead_json(lead, kw.pop("cities", ()), kw.pop("neighbourhoods", ())),
            "now": now, "seed": seed, "expect": expect}
    step.update(kw)
    return step


def resolve(offer_id, claimed_by, now, expect, seed=0):
    return {"call": "resolve", "offer_id": offer_id, "claimed_by": None if claimed_by is None else A(claimed_by),
            "now": now, "seed": seed, "expect": expect}


def rr_steps(seq, team="geral"):
    """Round-robin steps: [(agent, cursor after)]."""
    return [route({"assignment": assigned(a), "team": team, "cursors": {team: c}}, lead=i)
            for i, (a, c) in enumerate(seq)]


CASES = []


def case(cid, feature, note, policy, agents, steps, state=None):
    c = {"id": cid, "feature": feature, "note": note, "policy": policy, "agents": agents}
    if state is not None:
        c["state"] = state
    c["steps"] = steps
    CASES.append(c)


GERAL3 = {"teams": [{"id": "geral", "members": members(1, 2, 3)}]}

# --- round robin ---------------------------------------------------------------------------
case("rr-001", "round_robin", "three agents, five calls: 1 2 3 1 2; the cursor is the next position to try",
     GERAL3, avail(1, 2, 3), rr_steps([(1, 1), (2, 2), (3, 0), (1, 1), (2, 2)]))
case("rr-002", "round_robin", "the cursor comes in as state: 2 → agent 3, then wraps to agent 1",
     GERAL3, avail(1, 2, 3), rr_steps([(3, 0), (1, 1)]), state={"cursors": {"geral": 2}})
case("rr-003", "round_robin", "a cursor beyond the team is taken modulo its size: 7 mod 3 = 1 → agent 2",
     GERAL3, avail(1, 2, 3), rr_steps([(2, 2)]), state={"cursors": {"geral": 7}})
case("rr-004", "paused", "agent 2 paused: 1 3 1 3, the cursor jumps over position 1",
     GERAL3, avail(1, 2, 3, a2={"paused": True}), [
         route({"assignment": assigned(1), "cursors": {"geral": 1}}, lead=0),
         route({"assignment": assigned(3), "cursors": {"geral": 0},
                "reasons_include": [{"type": "skipped_agent", "team": "geral", "agent_id": A(2), "why": {"kind": "paused"}},
                                    {"type": "cursor_moved", "team": "geral", "from": 1, "to": 0}]}, lead=1),
         route({"assignment": assigned(1), "cursors": {"geral": 1}}, lead=2),
         route({"assignment": assigned(3), "cursors": {"geral": 0}}, lead=3)])
case("rr-005", "capacity", "agent 1 holds 12 of at most 12 open leads: 2 3 2",
     {"teams": [{"id": "geral", "members": members(1, 2, 3, m1={"max_open_leads": 12})}]},
     avail(1, 2, 3, a1={"open_leads": 12}), [
         route({"assignment": assigned(2), "cursors": {"geral": 2},
                "reasons_include": [{"type": "skipped_agent", "team": "geral", "agent_id": A(1),
                                     "why": {"kind": "at_capacity", "open_leads": 12, "max_open_leads": 12}}]}, lead=0),
         route({"assignment": assigned(3), "cursors": {"geral": 0}}, lead=1),
         route({"assignment": assigned(2), "cursors": {"geral": 2}}, lead=2)])
case("rr-006", "capacity", "11 of 12 open is below the cap: agent 1 still takes the lead",
     {"teams": [{"id": "geral", "members": members(1, 2, m1={"max_open_leads": 12})}]},
     avail(1, 2, a1={"open_leads": 11}), rr_steps([(1, 1)]))
case("rr-007", "off_duty", "the host says agent 1 is off duty: 2 then 3",
     GERAL3, avail(1, 2, 3, a1={"on_duty": False}), [
         route({"assignment": assigned(2), "cursors": {"geral": 2},
                "reasons_include": [{"type": "skipped_agent", "team": "geral", "agent_id": A(1), "why": {"kind": "off_duty"}}]}, lead=0),
         route({"assignment": assigned(3), "cursors": {"geral": 0}}, lead=1)])
HOURS_NOON = {"intervals": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "12:00", "to": "18:00"}]}
case("rr-008", "off_duty", "agent 1 works 12:00–18:00 São Paulo time (UTC−3): at 11:00 local he is skipped (→ 2); at 12:00 (15:00 UTC) the turn is 3's, then his",
     GERAL3, avail(1, 2, 3, a1={"working_hours": HOURS_NOON}), [
         route({"assignment": assigned(2), "cursors": {"geral": 2}}, lead=0),
         route({"assignment": assigned(3), "cursors": {"geral": 0}}, lead=1, now="2026-11-26T15:00:00Z"),
         route({"assignment": assigned(1), "cursors": {"geral": 1}}, lead=2, now="2026-11-26T15:00:00Z")],
     state={"cursors": {"geral": 0}})
case("rr-009", "off_duty", "18:00 local is the end of the interval (exclusive): agent 1 is off at 21:00 UTC",
     {"teams": [{"id": "geral", "members": members(1, 2)}]}, avail(1, 2, a1={"working_hours": HOURS_NOON}),
     [route({"assignment": assigned(2), "cursors": {"geral": 0}}, lead=0, now="2026-11-26T21:00:00Z")])
case("rr-010", "off_duty", "on_duty true wins over a schedule that says off",
     {"teams": [{"id": "geral", "members": members(1, 2)}]},
     avail(1, 2, a1={"working_hours": HOURS_NOON, "on_duty": True}), rr_steps([(1, 1)]))
case("rr-011", "paused", "an agent with no status is skipped as no_status",
     GERAL3, avail(2, 3), [
         route({"assignment": assigned(2), "cursors": {"geral": 2},
                "reasons_include": [{"type": "skipped_agent", "team": "geral", "agent_id": A(1), "why": {"kind": "no_status"}}]})])
case("rr-012", "paused", "everyone paused, off duty or full: unassigned, no cursor written",
     {"teams": [{"id": "geral", "members": members(1, 2, 3, m3={"max_open_leads": 1})}]},
     avail(1, 2, 3, a1={"paused": True}, a2={"on_duty": False}, a3={"open_leads": 1}), [
         route({"assignment": unassigned("no_agent_available"), "team": None, "cursors": {},
                "reasons_include": [{"type": "team_unavailable", "team": "geral"}]})])

# --- weighted round robin ----------------------------------------------------------------------
WRR = {"teams": [{"id": "t", "method": "weighted_round_robin",
                  "members": members(1, 2, 3, m1={"weight": 2}, m3={"weight": 3})}]}
# Weights 2, 1, 3 → rounds: r0 = 1 2 3, r1 = 1 3, r2 = 3 → sequence 1 2 3 1 3 3 (6 slots).
case("wrr-001", "weighted_round_robin", "weights 2, 1, 3 interleave as 1 2 3 1 3 3, then again from slot 0",
     WRR, avail(1, 2, 3), rr_steps([(1, 1), (2, 2), (3, 3), (1, 4), (3, 5), (3, 0), (1, 1)], team="t"))
case("wrr-002", "weighted_round_robin", "agent 3 paused: slots 1 2 (3) 1 (3 3) → 1 2 1 1 2; agents 1 and 2 keep their 2:1",
     WRR, avail(1, 2, 3, a3={"paused": True}), rr_steps([(1, 1), (2, 2), (1, 4), (1, 1), (2, 2)], team="t"))
case("wrr-003", "weighted_round_robin", "the cursor is a slot: 4 → agent 3 (slot 4), then slot 5 → agent 3",
     WRR, avail(1, 2, 3), rr_steps([(3, 5), (3, 0)], team="t"), state={"cursors": {"t": 4}})

# --- least loaded -------------------------------------------------------------------------------
LL = {"teams": [{"id": "t", "method": "least_loaded", "members": members(1, 2, 3, m2={"weight": 2}, m1={"max_open_leads": 9})}]}
case("ll-001", "least_loaded", "open 5, 4 (weight 2 → 2 per unit), 3: agent 2",
     LL, avail(1, 2, 3, a1={"open_leads": 5}, a2={"open_leads": 4}, a3={"open_leads": 3}), [
         route({"assignment": assigned(2), "cursors": {"t": 2},
                "reasons_include": [{"type": "least_loaded", "team": "t", "agent_id": A(2), "open_leads": 4, "weight": 2}]})])
case("ll-002", "least_loaded", "all at zero: the first from the cursor (2 → agent 3); the cursor moves past it",
     LL, avail(1, 2, 3), rr_steps([(3, 0), (1, 1)], team="t"), state={"cursors": {"t": 2}})
case("ll-003", "least_loaded", "agent 1 at its cap (9 of 9) is skipped though it would not be chosen anyway; 3 open vs 1 open → agent 3",
     LL, avail(1, 2, 3, a1={"open_leads": 9}, a2={"open_leads": 3}, a3={"open_leads": 1}), [
         route({"assignment": assigned(3), "cursors": {"t": 0}})])

# --- random weighted ------------------------------------------------------------------------------
RW = {"teams": [{"id": "t", "method": "random_weighted", "members": members(1, 2, 3, m2={"weight": 2}, m3={"weight": 3})}]}
for i, (seed, who) in enumerate([(0, 2), (1, 3), (7, 3), (42, 2)], start=1):
    d = draw(seed, 6)
    # Shares: agent 1 [0,1), agent 2 [1,3), agent 3 [3,6).
    hand = {0: 1, 1: 5, 7: 3, 42: 1}[seed]
    assert d == hand, (seed, d)
    case(f"rw-{i:03d}", "random_weighted", f"seed {seed}: draw {d} of 6 (agent 1 [0,1), agent 2 [1,3), agent 3 [3,6)) → agent {who}",
         RW, avail(1, 2, 3), [route({"assignment": assigned(who), "cursors": {"t": 0},
                                    "reasons_include": [{"type": "drew_agent", "team": "t", "agent_id": A(who), "draw": d, "total": 6}]},
                                   seed=seed)])
assert draw(0, 3) == 1 and draw(7, 3) == 0
case("rw-005", "random_weighted", "agent 3 paused: shares agent 1 [0,1), agent 2 [1,3); seed 0 draws 1 → agent 2",
     RW, avail(1, 2, 3, a3={"paused": True}), [route({"assignment": assigned(2)}, seed=0)])
case("rw-006", "random_weighted", "agent 3 paused; seed 7 draws 0 of 3 → agent 1",
     RW, avail(1, 2, 3, a3={"paused": True}), [route({"assignment": assigned(1)}, seed=7)])

# --- territory, language, listing, teams ---------------------------------------------------------
TEAMS = {"teams": [
    {"id": "norte", "capacity": 2, "territories": {"cities": ["São Paulo"]}, "members": members(1)},
    {"id": "sul", "capacity": 3, "territories": {"cities": ["sao paulo"]}, "members": members(2)},
    {"id": "moema", "territories": {"cities": ["São Paulo"], "neighbourhoods": ["Moema"]}, "members": members(3)},
    {"id": "intl", "territories": {"languages": ["en"]}, "members": members(4)},
    {"id": "lancamentos", "territories": {"listing_ids": [P1]}, "members": members(5)}],
    "fallback_team": "intl"}
ALL5 = avail(1, 2, 3, 4, 5)
case("team-001", "territory", "the listing is in Moema, São Paulo: the neighbourhood team beats the two city teams",
     TEAMS, ALL5, [route({"assignment": assigned(3), "team": "moema",
                          "reasons_include": [{"type": "matched_territory", "team": "moema", "level": "neighbourhood", "value": "Moema"},
                                              {"type": "only_team", "team": "moema"}]},
                         property=property_json())])
for i, seed in enumerate([0, 7, 42], start=2):
    d = draw(seed, 5)
    team, who = ("norte", 1) if d < 2 else ("sul", 2)
    case(f"team-{i:03d}", "capacity", f"wanted city '  SÃO   PAULO ' matches norte (capacity 2) and sul (3) without case or accents; seed {seed} draws {d} of 5 → {team}",
         TEAMS, ALL5, [route({"assignment": assigned(who), "team": team,
                              "reasons_include": [{"type": "chose_team_by_capacity", "team": team, "candidates": ["norte", "sul"],
                                                   "capacities": [2, 3], "draw": d, "total": 5}]},
                             seed=seed, cities=["  SÃO   PAULO "])])
assert [draw(s, 5) for s in (0, 7, 42)] == [0, 2, 3]
case("team-005", "capacity", "norte's agent is paused: only sul is left, no draw",
     TEAMS, avail(1, 2, 3, 4, 5, a1={"paused": True}), [
         route({"assignment": assigned(2), "team": "sul",
                "reasons_include": [{"type": "team_unavailable", "team": "norte"}, {"type": "only_team", "team": "sul"}]},
               seed=0, cities=["São Paulo"])])
case("team-006", "territory", "wanted neighbourhood Moema but in Campinas: moema's cities exclude it; nothing else matches → fallback intl",
     TEAMS, ALL5, [route({"assignment": assigned(4), "team": "intl",
                          "reasons_include": [{"type": "no_match", "criterion": "territory"}, {"type": "fallback_team", "team": "intl"}]},
                         cities=["Campinas"], neighbourhoods=["Moema"])])
case("team-007", "language", "language en-US matches intl by its primary subtag",
     TEAMS, ALL5, [route({"assignment": assigned(4), "team": "intl",
                          "reasons_include": [{"type": "matched_language", "team": "intl", "language": "en"}]}, language="en-US")])
case("team-008", "listing", "the listing is in Santos (no territory team) and in lancamentos' list → lancamentos",
     TEAMS, ALL5, [route({"assignment": assigned(5), "team": "lancamentos",
                          "reasons_include": [{"type": "matched_listing", "team": "lancamentos", "property_id": P1}]},
                         property=property_json(city="Santos", neighbourhood="Gonzaga"))])
LISTING_FIRST = dict(TEAMS, match_order=["listing", "territory"])
case("team-009", "listing", "match_order listing first: the Moema listing goes to lancamentos, not moema",
     LISTING_FIRST, ALL5, [route({"assignment": assigned(5), "team": "lancamentos"}, property=property_json())])
case("team-010", "territory", "default order: the same listing goes to moema (territory first)",
     TEAMS, ALL5, [route({"assignment": assigned(3), "team": "moema"}, property=property_json())])
case("team-011", "fallback", "no city, language or listing: the fallback team",
     TEAMS, ALL5, [route({"assignment": assigned(4), "team": "intl",
                          "reasons_include": [{"type": "no_match", "criterion": "territory"}, {"type": "no_match", "criterion": "language"},
                                              {"type": "no_match", "criterion": "listing"}, {"type": "fallback_team", "team": "intl"}]})])
NOFALL = {"teams": [t for t in TEAMS["teams"]]}
case("team-012", "fallback", "no match and no fallback team: unassigned, no_team_matched",
     NOFALL, ALL5, [route({"assignment": unassigned("no_team_matched"), "team": None})])
CATCH = {"teams": [
    {"id": "centro", "territories": {"cities": ["Rio de Janeiro"]}, "members": members(1)},
    {"id": "geral", "members": members(2, 3)}]}
case("team-013", "fallback", "the Rio team's only agent is paused: the catch-all team (no territories) takes it",
     CATCH, avail(1, 2, 3, a1={"paused": True}), [
         route({"assignment": assigned(2), "team": "geral", "cursors": {"geral": 1},
                "reasons_include": [{"type": "team_unavailable", "team": "centro"}, {"type": "catch_all_team", "team": "geral"}]},
               cities=["Rio de Janeiro"])])
case("team-014", "language", "a Spanish lead: the member who lists only pt is skipped, the one with es-AR takes it",
     {"teams": [{"id": "t", "territories": {"languages": ["es"]},
                 "members": members(1, 2, m1={"languages": ["pt"]}, m2={"languages": ["pt-BR", "es-AR"]})}]},
     avail(1, 2), [route({"assignment": assigned(2), "team": "t",
                          "reasons_include": [{"type": "skipped_agent", "team": "t", "agent_id": A(1), "why": {"kind": "language", "language": "es"}}]},
                         language="ES")])

# --- claim offers -----------------------------------------------------------------------------------
CLAIM = {"teams": [
    {"id": "a", "members": members(1, 2, 3)},
    {"id": "b", "territories": {"cities": ["Santos"]}, "members": members(4)}],
    "manager": A(98),
    "claim": {"mode": "first_to_claim", "offer_to": 2, "timeout_minutes": 5,
              "fallback": ["next_in_team", "team:b", "next_in_team", "manager"]}}
ALL4 = avail(1, 2, 3, 4)
FIRST = route({"assignment": offered(0, [1, 2], at(5)), "team": "a", "cursors": {"a": 2}, "offers": 1})
case("claim-001", "claim", "offered to two agents at once; claimed by the second within 5 minutes",
     CLAIM, ALL4, [FIRST, resolve(0, 2, at(4), {"assignment": assigned(2), "team": "a", "offers": 0,
                                                  "reasons_include": [{"type": "claimed", "offer_id": 0, "agent_id": A(2)}]})])
case("claim-002", "claim", "a claim exactly at expires_at is too late", CLAIM, ALL4,
     [FIRST, resolve(0, 1, at(5), {"error": "workflow.routing.offer_expired"})])
case("claim-003", "claim", "resolving without a claim before the timeout is refused", CLAIM, ALL4,
     [FIRST, resolve(0, None, "2026-11-26T14:04:59Z", {"error": "workflow.routing.offer_not_expired"})])
case("claim-004", "claim", "agent 3 was not offered the lead", CLAIM, ALL4,
     [FIRST, resolve(0, 3, at(1), {"error": "workflow.routing.claim_not_offered"})])
case("claim-005", "claim", "no offer 9", CLAIM, ALL4, [FIRST, resolve(9, None, at(5), {"error": "workflow.routing.offer_unknown"})])
case("claim-006", "claim", "routing the lead again while its offer is open is refused", CLAIM, ALL4,
     [FIRST, route({"error": "workflow.routing.offer_pending"})])
case("claim-007", "claim_timeout", "timeouts walk the chain: next_in_team (agent 3 only, 1 and 2 were offered) → team:b (agent 4) → next_in_team in b (nobody left, passed) → the agency's manager",
     CLAIM, ALL4, [
         FIRST,
         resolve(0, None, at(5), {"assignment": offered(1, [3], at(10)), "team": "a", "cursors": {"a": 0}, "offers": 1,
                                  "reasons_include": [{"type": "offer_expired", "offer_id": 0, "expires_at": at(5)},
                                                      {"type": "fallback_step", "index": 0, "step": "next_in_team"}]}),
         resolve(1, None, at(10), {"assignment": offered(2, [4], at(15)), "team": "b", "cursors": {"a": 0, "b": 0}, "offers": 1}),
         resolve(2, None, at(15), {"assignment": assigned(98), "team": "b", "offers": 0,
                                   "reasons_include": [{"type": "fallback_step_skipped", "index": 2, "step": "next_in_team"},
                                                       {"type": "escalated_to_manager", "agent_id": A(98)}]})])
case("claim-008", "claim_timeout", "after a timeout agent 3 is paused: next_in_team finds nobody and is passed; team:b offers agent 4",
     CLAIM, ALL4, [FIRST,
                   dict(resolve(0, None, at(6), {"assignment": offered(1, [4], at(11)), "team": "b",
                                                 "reasons_include": [{"type": "fallback_step_skipped", "index": 0, "step": "next_in_team"}]}),
                        agents=avail(1, 2, 3, 4, a3={"paused": True}))])
POOL = dict(CLAIM, claim=dict(CLAIM["claim"], fallback=["pool", "manager"]))
case("claim-009", "claim_timeout", "pool is terminal: the lead goes to the shared pool, the manager step is never reached",
     POOL, ALL4, [FIRST, resolve(0, None, at(5), {"assignment": unassigned("pool"), "offers": 0,
                                                  "reasons_include": [{"type": "sent_to_pool"}]})])
EXHAUST = dict(CLAIM, claim=dict(CLAIM["claim"], offer_to=3, fallback=["next_in_team"]))
case("claim-010", "claim_timeout", "offered to all three; next_in_team finds nobody; the chain is exhausted",
     EXHAUST, ALL4, [route({"assignment": offered(0, [1, 2, 3], at(5)), "cursors": {"a": 0}}),
                     resolve(0, None, at(5), {"assignment": unassigned("fallback_exhausted"), "offers": 0,
                                              "reasons_include": [{"type": "fallback_exhausted"}]})])
TEAM_MGR = dict(CLAIM, teams=[dict(CLAIM["teams"][0], manager=A(97)), CLAIM["teams"][1]],
                claim=dict(CLAIM["claim"], fallback=["manager"]))
case("claim-011", "claim_timeout", "the team's own manager comes before the agency's",
     TEAM_MGR, ALL4, [FIRST, resolve(0, None, at(7), {"assignment": assigned(97), "team": "a"})])
case("claim-012", "claim", "offer_to 2 with agent 2 at capacity: the offer goes to 1 and 3",
     dict(CLAIM, teams=[{"id": "a", "members": members(1, 2, 3, m2={"max_open_leads": 5})}, CLAIM["teams"][1]]),
     avail(1, 2, 3, 4, a2={"open_leads": 5}), [route({"assignment": offered(0, [1, 3], at(5)), "cursors": {"a": 0}})])

# --- invalid agent statuses (route errors) --------------------------------------------------------
case("status-001", "invalid", "a working time not written HH:MM and an interval ending before it starts",
     GERAL3, avail(1, 2, 3, a2={"working_hours": {"intervals": [{"days": ["mon"], "from": "9:00", "to": "18:00"},
                                                                  {"days": [], "from": "18:00", "to": "08:00"}]}}),
     [route({"errors": [{"path": "agents[1].working_hours.intervals[0].from", "code": "validation.routing.schedule"},
                        {"path": "agents[1].working_hours.intervals[1].days", "code": "validation.routing.schedule"},
                        {"path": "agents[1].working_hours.intervals[1].to", "code": "validation.routing.schedule"}]})])
case("status-002", "invalid", "two statuses for agent 1", GERAL3, avail(1, 2, 1),
     [route({"errors": [{"path": "agents[2].agent_id", "code": "validation.routing.agent_status"}]})])

# --- invalid policies -------------------------------------------------------------------------------
POLICIES = []


def bad(pid, note, policy, errors):
    POLICIES.append({"id": pid, "note": note, "policy": policy,
                     "expect": {"errors": [{"path": p, "code": c} for p, c in errors]}})


T = lambda **kw: dict({"id": "a", "members": members(1)}, **kw)  # noqa: E731
bad("policy-001", "no teams", {"teams": []}, [("teams", "validation.routing.team")])
bad("policy-002", "blank id, no members, capacity 0", {"teams": [{"id": " ", "members": [], "capacity": 0}]},
    [("teams[0].id", "validation.routing.team"), ("teams[0].members", "validation.routing.team"),
     ("teams[0].capacity", "validation.routing.team")])
bad("policy-003", "two teams called a", {"teams": [T(), T()]}, [("teams[1].id", "validation.routing.team")])
bad("policy-004", "weight 0 and 101, the same agent twice, a cap of 0",
    {"teams": [T(members=[{"agent_id": A(1), "weight": 0}, {"agent_id": A(2), "weight": 101},
                          {"agent_id": A(1), "max_open_leads": 0}])]},
    [("teams[0].members[0].weight", "validation.routing.member"), ("teams[0].members[1].weight", "validation.routing.member"),
     ("teams[0].members[2].agent_id", "validation.routing.member"), ("teams[0].members[2].max_open_leads", "validation.routing.member")])
bad("policy-005", "blank territory names and member language",
    {"teams": [T(members=[{"agent_id": A(1), "languages": [""]}],
                 territories={"cities": ["Santos", " "], "neighbourhoods": [""], "languages": [" "]})]},
    [("teams[0].members[0].languages[0]", "validation.required"), ("teams[0].territories.cities[1]", "validation.required"),
     ("teams[0].territories.neighbourhoods[0]", "validation.required"), ("teams[0].territories.languages[0]", "validation.required")])
bad("policy-006", "language twice in the match order", {"teams": [T()], "match_order": ["language", "territory", "language"]},
    [("match_order[2]", "validation.routing.match_order")])
bad("policy-007", "fallback_team names no team", {"teams": [T()], "fallback_team": "b"}, [("fallback_team", "validation.routing.team")])
bad("policy-008", "offer_to 0, timeout above a week",
    {"teams": [T()], "claim": {"mode": "first_to_claim", "offer_to": 0, "timeout_minutes": 10081}},
    [("claim.offer_to", "validation.routing.claim"), ("claim.timeout_minutes", "validation.routing.claim")])
bad("policy-009", "offer_to 51 and timeout 0", {"teams": [T()], "claim": {"mode": "first_to_claim", "offer_to": 51, "timeout_minutes": 0}},
    [("claim.offer_to", "validation.routing.claim"), ("claim.timeout_minutes", "validation.routing.claim")])
bad("policy-010", "an unknown step, a team that does not exist, an empty team:, and manager with no manager",
    {"teams": [T()], "claim": {"mode": "first_to_claim", "timeout_minutes": 5, "fallback": ["boss", "team:zz", "team:", "manager", "pool"]}},
    [("claim.fallback[0]", "validation.routing.fallback"), ("claim.fallback[1]", "validation.routing.fallback"),
     ("claim.fallback[2]", "validation.routing.fallback"), ("claim.fallback[3]", "validation.routing.fallback")])
bad("policy-011", "shape: an unknown field is refused by the loader with its path",
    {"teams": [T(colour="blue")]}, [("teams[0].colour", "input.json")])
bad("policy-012", "shape: an unknown method", {"teams": [T(method="fastest")]}, [("teams[0].method", "input.json")])
bad("policy-013", "shape: a claim mode other than first_to_claim", {"teams": [T()], "claim": {"mode": "broadcast", "timeout_minutes": 5}},
    [("claim.mode", "input.json")])
POLICIES.append({"id": "policy-014", "note": "a full valid policy", "policy": CLAIM, "expect": {"errors": []}})
POLICIES.append({"id": "policy-015", "note": "valid: manager step with a manager on every team and none for the agency",
                 "policy": {"teams": [T(manager=A(97))], "claim": {"mode": "first_to_claim", "timeout_minutes": 5, "fallback": ["manager"]}},
                 "expect": {"errors": []}})


def build():
    return {
        "format": 1,
        "description": "Lead routing (crm_core::workflow::routing): teams by territory, language and listing, capacity draws between teams, round robin, weighted round robin, least loaded and seeded weighted draws within a team, paused / off-duty / full agents, claim offers with timeouts and fallback chains, and policy validation. Expectations worked by hand; seeded draws checked with an independent SplitMix64 (tools/make_routing_vectors.py).",
        "agents_note": "agent n is 0190f3a0-0000-7000-8000-<n as 12 hex digits>",
        "cases": CASES,
        "policies": POLICIES,
    }


def main():
    text = json.dumps(build(), indent=1, ensure_ascii=False) + "\n"
    ids = [c["id"] for c in CASES] + [p["id"] for p in POLICIES]
    assert len(ids) == len(set(ids)), "duplicate ids"
    if "--check" in sys.argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is stale; run {sys.argv[0]}", file=sys.stderr)
            sys.exit(1)
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}: {len(CASES)} cases, {len(POLICIES)} policies")


if __name__ == "__main__":
    main()
