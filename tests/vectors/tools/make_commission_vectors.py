#!/usr/bin/env python3
"""Writes tests/vectors/commission.json: shared vectors for the commission engine.

The expected values come from THIS file: an implementation of the commission rules (the
engine's rules contract, summarised in tests/vectors/README.md, section "commission.json", and
the Commissions section of the project's domain notes) written independently of the Rust core,
in Python 3.11 with the standard library only and exact arithmetic (int cents and
fractions.Fraction; never float). It never reads the Rust code or its output.

Three layers of checking keep it honest:
  1. ANCHORS: cases whose whole expected output was worked out by hand (the arithmetic is in
     the comments next to them); the script stops if its rules disagree.
  2. Hand labels: every other case states by hand the outcome a person expects -- the error
     codes and paths, or the key amounts (pool, grosses, taxes, fee, amounts given back) --
     and the script stops if its rules disagree.
  3. Self-checks: half-even rounding is computed twice (on fractions and with
     decimal.quantize); every statement's grosses sum to its pool and every net is gross less
     its taxes; every code of the contract is covered; and the cases built to catch
     approximations (a 1/6 weight, a 1/6 pro-rata fraction) are shown to give a different
     answer when the approximation is made.

Usage:
  python3 tests/vectors/tools/make_commission_vectors.py          # (re)write the JSON file
  python3 tests/vectors/tools/make_commission_vectors.py --check  # exit 1 if the file is stale

Adding cases: append to the end of an operation's list so the existing ids keep their meaning.
"""

from __future__ import annotations

import calendar
import copy
import hashlib
import json
import sys
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "commission.json"

# ---------------------------------------------------------------------------------------------
# Codes
# ---------------------------------------------------------------------------------------------

REQUIRED = "validation.required"
RATE_RANGE = "validation.rate.range"
NUMBER_RANGE = "validation.number.range"
MONEY_NEGATIVE = "validation.money.negative"
DATE_ORDER = "validation.date.order"
TIER_GAP = "validation.commission.tier_gap"
TIER_OVERLAP = "validation.commission.tier_overlap"
SHARES_SUM = "validation.commission.shares_sum"
SHARE_KIND = "validation.commission.share_kind"
ROLE_DUPLICATE = "validation.commission.role_duplicate"
ACCELERATOR = "validation.commission.accelerator"
CAP_BELOW_MINIMUM = "validation.commission.cap_below_minimum"
POOL_KIND = "validation.commission.pool_kind"
DEAL_KIND = "validation.commission.deal_kind"
ROLE_UNFILLED = "validation.commission.role_unfilled"
ROLE_UNPAID = "validation.commission.role_unpaid"
PERIOD = "validation.commission.period"
WH_RULE = "validation.withholding.rule"
WH_BRACKETS = "validation.withholding.brackets"
WH_OVERLAP = "validation.withholding.overlap"
POOL_EXCEEDED = "commission.pool_exceeded"
LIMIT_UNFUNDED = "commission.limit_unfunded"
PARTICIPANTS_MISSING = "validation.deal.participants_missing"

# Every code the contract names; each must be expected by at least one case.
ALL_CODES = [
    REQUIRED, RATE_RANGE, NUMBER_RANGE, MONEY_NEGATIVE, DATE_ORDER, TIER_GAP, TIER_OVERLAP,
    SHARES_SUM, SHARE_KIND, ROLE_DUPLICATE, ACCELERATOR, CAP_BELOW_MINIMUM, POOL_KIND,
    DEAL_KIND, ROLE_UNFILLED, ROLE_UNPAID, PERIOD, WH_RULE, WH_BRACKETS, WH_OVERLAP,
    POOL_EXCEEDED, LIMIT_UNFUNDED, PARTICIPANTS_MISSING,
]

# ---------------------------------------------------------------------------------------------
# Exact arithmetic. Amounts are int cents; rates and weights are Fractions.
# ---------------------------------------------------------------------------------------------


def frac(text: str) -> Fraction:
    """A decimal string read exactly (Decimal(str) is exact, Fraction(Decimal) is exact)."""
    return Fraction(Decimal(text.strip()))


def money(v) -> Fraction:
    """Money JSON: "1234.56" (BRL) or {"amount": "1234.56", "currency": "BRL"}."""
    if isinstance(v, dict):
        assert v.get("currency", "BRL") == "BRL", v
        v = v["amount"]
    assert isinstance(v, str), f"money must be a string, not {v!r}"
    return frac(v)


def cents(v) -> int:
    x = money(v) * 100
    assert x.denominator == 1, f"{v!r} has fractions of a cent"
    return int(x)


def rate(text: str) -> Fraction:
    """A plan rate: "6%" or "0.06" (any value: the range is checked by validation)."""
    s = text.strip()
    if s.endswith("%"):
        return frac(s[:-1]) / 100
    return frac(s)


def round_cents(x: Fraction) -> int:
    """x reais rounded half-even (NBR 5891) to int cents, from first principles."""
    n = x * 100
    fl = n.numerator // n.denominator
    rem = n - fl
    if rem > Fraction(1, 2):
        out = fl + 1
    elif rem < Fraction(1, 2):
        out = fl
    else:
        out = fl if fl % 2 == 0 else fl + 1
    # Second opinion: decimal.quantize with enough precision that no tie is invented.
    with localcontext() as ctx:
        ctx.prec = 80
        d = (Decimal(n.numerator) / Decimal(n.denominator)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    assert int(d) == out, f"rounding disagreement on {x}: {out} vs {d}"
    return out


def fmt(c: int) -> str:
    """int cents -> "1234.56" (a minus sign when negative)."""
    sign = "-" if c < 0 else ""
    c = abs(c)
    return f"{sign}{c // 100}.{c % 100:02d}"


def dec_text(x: Fraction) -> str | None:
    """The exact decimal text of x, or None when it does not terminate."""
    if x == 0:
        return "0"
    places = 0
    while (x * 10 ** places).denominator != 1:
        places += 1
        if places > 30:
            return None
    n = x * 10 ** places
    s = str(abs(n.numerator)).rjust(places + 1, "0")
    body = s if places == 0 else s[:-places] + "." + s[-places:]
    return ("-" if x < 0 else "") + body


def allocate(total: int, weights: list[Fraction]) -> list[int]:
    """Largest remainder to the cent: floor each exact share, then the cents left over one
    each to the largest remainders, ties to the earlier part. A negative total mirrors."""
    if total < 0:
        return [-p for p in allocate(-total, weights)]
    assert all(w >= 0 for w in weights), weights
    wsum = sum(weights, Fraction(0))
    if wsum == 0:
        assert total == 0, "nothing to weigh a non-zero total by"
        return [0] * len(weights)
    exact = [Fraction(total) * w / wsum for w in weights]
    parts = [e.numerator // e.denominator for e in exact]
    left = total - sum(parts)
    assert 0 <= left < len(weights)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    assert sum(parts) == total
    return parts


def day(text: str) -> date:
    return date.fromisoformat(text)


class Fail(Exception):
    """An expected error: a list of (path, code) for validation failures, or a bare code."""

    def __init__(self, code: str | None = None, errors: list | None = None):
        super().__init__(code or errors)
        self.code = code
        self.errors = errors

    def expect(self) -> dict:
        if self.errors is not None:
            return {"errors": [{"path": p, "code": c} for p, c in self.errors]}
        return {"error": self.code}


# ---------------------------------------------------------------------------------------------
# The rules: pool
# ---------------------------------------------------------------------------------------------


def compute_pool(pool: dict, value: Fraction) -> int:
    """The fee pool in cents: exact, then rounded half-even once."""
    kind = pool["type"]
    if kind == "percentage":
        exact = value * rate(pool["rate"])
    elif kind == "fixed":
        exact = money(pool["amount"])
    elif kind == "first_rent":
        exact = value * rate(pool.get("share", "100%"))
    elif kind == "tiered":
        tiers = [(frac(t["from"]), None if t.get("to") is None else frac(t["to"]), rate(t["rate"]))
                 for t in pool["tiers"]]
        if pool["mode"] == "flat":
            # the bracket with from < v <= to (the first also takes v = from = 0); whole value
            found = [r for k, (lo, hi, r) in enumerate(tiers)
                     if (lo < value or (k == 0 and value == lo == 0)) and (hi is None or value <= hi)]
            assert len(found) == 1, "valid tiers give exactly one bracket"
            exact = value * found[0]
        else:
            # marginal: each bracket's rate on the slice of the value inside it, exact sum
            exact = Fraction(0)
            for lo, hi, r in tiers:
                if value > lo:
                    top = value if hi is None else min(value, hi)
                    exact += (top - lo) * r
    else:
        raise AssertionError(kind)
    return round_cents(exact)


# ---------------------------------------------------------------------------------------------
# The rules: split
# ---------------------------------------------------------------------------------------------


def split_pool(pool_c: int, rule: dict, parts: list[dict], eligible: list[int], plan: dict,
               vols: list[Fraction] | None, accelerate: bool, limit: bool):
    """Splits pool_c among the participants in `eligible` (indices into parts, deal order).
    Returns (gross by index, trail types by index, pool trail types)."""
    gross: dict[int, int] = {}
    trails: dict[int, list[str]] = {i: [] for i in eligible}
    pool_trail: list[str] = []
    first = rule.get("first", [])
    then = rule.get("then", [])
    house = plan.get("house_role", "agency")

    # 1. Shares off the top, in order; a role nobody holds is skipped.
    taken = 0
    for ts in first:
        holders = [i for i in eligible if parts[i]["role"] == ts["role"]]
        if not holders:
            pool_trail.append("top_share_skipped")
            continue
        if "fixed" in ts:
            amount = cents(ts["fixed"])
        else:
            amount = round_cents(Fraction(pool_c, 100) * rate(ts["percent_of_pool"]))
        for i, a in zip(holders, allocate(amount, [Fraction(1)] * len(holders))):
            gross[i] = a
            trails[i].append("top_share")
        taken += amount
    remainder = pool_c - taken
    if remainder < 0:
        raise Fail(code=POOL_EXCEEDED)
    rest = [i for i in eligible if i not in gross]

    # 2. The remainder.
    if not then:
        # The plan is silent: equal shares (Civil Code art. 728).
        assert rest, "no one left to share the remainder: not a clear vector"
        for i, a in zip(rest, allocate(remainder, [Fraction(1)] * len(rest))):
            gross[i] = a
            trails[i].append("equal_share")
    else:
        share = {rs["role"]: rate(rs["share"]) for rs in then}
        holders = {role: [i for i in rest if parts[i]["role"] == role] for role in share}
        errors = []
        vacant_to = plan.get("vacant_share_to")
        for k, rs in enumerate(then):
            role = rs["role"]
            if holders[role]:
                continue
            if vacant_to is not None and holders.get(vacant_to):
                share[vacant_to] += share[role]
                share[role] = Fraction(0)
                for i in holders[vacant_to]:
                    trails[i].append("vacant_share_received")
            else:
                errors.append((f"split.then[{k}].role", ROLE_UNFILLED))
        for i in rest:
            if parts[i]["role"] not in share:
                errors.append((f"participants[{i}].role", ROLE_UNPAID))
        if errors:
            raise Fail(errors=errors)
        weight = {i: share[parts[i]["role"]] / len(holders[parts[i]["role"]]) for i in rest}
        if accelerate:
            increase = Fraction(0)
            for i in rest:
                role = parts[i]["role"]
                if role == house:
                    continue
                reached = [a for a in plan.get("accelerators", [])
                           if a["role"] == role and frac(a["from_volume"]) <= vols[i]]
                if not reached:
                    continue
                best = max(reached, key=lambda a: frac(a["from_volume"]))
                assert sum(1 for a in reached if frac(a["from_volume"]) == frac(best["from_volume"])) == 1
                acc = rate(best["share"])
                if acc > share[role]:
                    n = len(holders[role])
                    weight[i] = acc / n
                    increase += (acc - share[role]) / n
                    trails[i].append("accelerated")
            if increase:
                house_holders = holders.get(house, [])
                assert house_holders, "accelerators with no house holder: not a clear vector"
                for h in house_holders:
                    weight[h] -= increase / len(house_holders)
                    trails[h].append("accelerator_funded")
                if any(weight[h] < 0 for h in house_holders):
                    raise Fail(code=LIMIT_UNFUNDED)
        for i, a in zip(rest, allocate(remainder, [weight[i] for i in rest])):
            gross[i] = a

    # 3. Limits: every cap, then every minimum; the house settles the net change.
    if limit and plan.get("limits"):
        net = 0
        for lim in plan["limits"]:
            if "max" not in lim:
                continue
            top = cents(lim["max"])
            for i in eligible:
                if parts[i]["role"] == lim["role"] != house and gross[i] > top:
                    net += gross[i] - top
                    gross[i] = top
                    trails[i].append("capped")
        for lim in plan["limits"]:
            if "min" not in lim:
                continue
            low = cents(lim["min"])
            for i in eligible:
                if parts[i]["role"] == lim["role"] != house and gross[i] < low:
                    net -= low - gross[i]
                    gross[i] = low
                    trails[i].append("raised_to_minimum")
        if net:
            house_holders = [i for i in eligible if parts[i]["role"] == house]
            assert house_holders, "limits with no house holder: not a clear vector"
            for h, a in zip(house_holders, allocate(net, [Fraction(1)] * len(house_holders))):
                gross[h] += a
                trails[h].append("limits_settled")
            if any(gross[h] < 0 for h in house_holders):
                raise Fail(code=LIMIT_UNFUNDED)

    assert sum(gross.values()) == pool_c
    return gross, trails, pool_trail


# ---------------------------------------------------------------------------------------------
# The rules: withholding
# ---------------------------------------------------------------------------------------------


def withhold(table: list[dict], role: str, recipient: str, gross: int, on: date) -> list[tuple[str, int]]:
    out = []
    g = Fraction(gross, 100)
    for rule in table:
        if not (day(rule["valid_from"]) <= on and ("valid_until" not in rule or on < day(rule["valid_until"]))):
            continue
        if "recipient" in rule and rule["recipient"] != recipient:
            continue
        if rule.get("roles") and role not in rule["roles"]:
            continue
        if "min_gross" in rule and g < money(rule["min_gross"]):
            continue
        if "rate" in rule:
            tax = round_cents(g * rate(rule["rate"]))
        else:
            bracket = next(b for b in rule["brackets"] if b.get("up_to") is None or g <= frac(b["up_to"]))
            tax = round_cents(max(Fraction(0), g * rate(bracket["rate"]) - frac(bracket.get("deduction", "0"))))
        if tax == 0 or ("min_tax" in rule and tax < cents(rule["min_tax"])):
            continue
        out.append((rule["tax"], tax))
    return out


def make_line(i: int, p: dict, gross: int, trail: list[str], table: list[dict], on: date) -> dict:
    taxes = withhold(table, p["role"], p.get("recipient", "individual"), gross, on)
    return {"participant": i, "role": p["role"], "gross": gross, "withholdings": taxes,
            "net": gross - sum(t for _, t in taxes), "trail": trail}


# ---------------------------------------------------------------------------------------------
# The operations
# ---------------------------------------------------------------------------------------------


def statement(plan: dict, table: list[dict], deal: dict, ctx: dict) -> dict:
    if deal["kind"] != plan["applies_to"]:
        raise Fail(errors=[("kind", DEAL_KIND)])
    value = money(deal["value"])
    if value <= 0:
        raise Fail(errors=[("value", NUMBER_RANGE)])
    parts = deal.get("participants", [])
    if not parts:
        raise Fail(code=PARTICIPANTS_MISSING)
    pool_c = compute_pool(plan["pool"], value)
    volumes = ctx.get("period_volumes", {})
    vols = [value + (money(volumes[p["agent_id"]]) if p.get("agent_id") in volumes else 0) for p in parts]
    gross, trails, pool_trail = split_pool(pool_c, plan.get("split", {}), parts, list(range(len(parts))),
                                           plan, vols, accelerate=True, limit=True)
    on = day(deal.get("closed_on") or ctx["as_of"])
    lines = [make_line(i, parts[i], gross[i], trails[i], table, on) for i in range(len(parts))]
    return {"date": on, "pool": pool_c, "pool_trail": pool_trail, "lines": lines}


def administration(plan: dict, table: list[dict], deal: dict, receipt: dict) -> dict:
    admin = plan["administration"]
    if deal["kind"] != "lease":
        raise Fail(errors=[("kind", DEAL_KIND)])
    start, end = day(receipt["period_start"]), day(receipt["period_end"])
    if end < start or (start.year, start.month) != (end.year, end.month):
        raise Fail(code=PERIOD)
    days = (end - start).days + 1
    days_in_month = calendar.monthrange(start.year, start.month)[1]
    rent = cents(deal["value"])
    due = rent if days == days_in_month else round_cents(Fraction(rent, 100) * days / days_in_month)
    received = cents(receipt["received"]) if "received" in receipt else due
    fee = round_cents(Fraction(received, 100) * rate(admin["rate"]))
    rule = admin.get("split") or {"then": [{"role": "agency", "share": "100%"}]}
    roles = {x["role"] for x in rule.get("first", []) + rule.get("then", [])}
    parts = deal["participants"]
    eligible = [i for i, p in enumerate(parts) if p["role"] in roles]
    assert "vacant_share_to" not in plan, "vacant shares in administration splits: not a clear vector"
    try:
        gross, trails, _ = split_pool(fee, rule, parts, eligible, plan, None, accelerate=False, limit=False)
    except Fail as e:
        # The contract gives no path for administration split problems: compare the code only.
        raise Fail(code=e.code or e.errors[0][1]) from None
    on = end
    lines = [make_line(i, parts[i], gross[i], trails[i], table, on) for i in eligible]
    return {"days": days, "days_in_month": days_in_month, "rent_due": due, "rent_received": received,
            "fee": fee, "lines": lines, "landlord_net": received - fee}


def clawback(plan: dict, st: dict, cancelled_on: str, paid: list[str] | None) -> dict:
    elapsed = (day(cancelled_on) - st["date"]).days
    if elapsed < 0:
        raise Fail(code=DATE_ORDER)
    rule = plan.get("clawback")
    if rule is None or elapsed > rule["window_days"]:
        return {"days_elapsed": elapsed, "within_window": False, "fraction": Fraction(0), "lines": [],
                "total_gross": 0}
    window = rule["window_days"]
    if rule["mode"] == "full":
        fraction = Fraction(1)
        target = st["pool"]
    else:
        fraction = Fraction(window - elapsed, window)
        target = round_cents(Fraction(st["pool"], 100) * fraction)
    grosses = [ln["gross"] for ln in st["lines"]]
    shares = allocate(target, [Fraction(g) for g in grosses])
    if paid is not None:
        assert len(paid) == len(grosses)
    lines = []
    for k, ln in enumerate(st["lines"]):
        cap = cents(paid[k]) if paid is not None else ln["gross"]
        back = min(shares[k], cap)
        if back == 0:
            continue
        taxes = [(tax, w if back == ln["gross"] else round_cents(Fraction(w * back, ln["gross"] * 100)))
                 for tax, w in ln["withholdings"]]
        lines.append({"participant": ln["participant"], "role": ln["role"], "gross": -back,
                      "withholdings": [(t, -w) for t, w in taxes],
                      "net": -(back - sum(w for _, w in taxes)), "trail": []})
    return {"days_elapsed": elapsed, "within_window": True, "fraction": fraction, "lines": lines,
            "total_gross": sum(ln["gross"] for ln in lines)}


# ---------------------------------------------------------------------------------------------
# The rules: plan and withholding-table validation. Problems are listed in document order: the
# plan's fields in their declared order (id, applies_to, pool, split.first, split.then,
# accelerators, limits, house_role, vacant_share_to, administration, clawback), list items by
# index, then the withholding table's rules by index (the overlap check runs after every
# rule's own checks, reporting the later rule of a pair).
# ---------------------------------------------------------------------------------------------


def validate(plan: dict, table: list[dict]) -> list[tuple[str, str]]:
    e: list[tuple[str, str]] = []

    def rate_ok(path: str, text: str):
        if not (0 <= rate(text) <= 1):
            e.append((path, RATE_RANGE))

    if not plan["id"].strip():
        e.append(("id", REQUIRED))
    sale = plan["applies_to"] == "sale"
    pool = plan["pool"]
    kind = pool["type"]
    if kind == "percentage":
        rate_ok("pool.rate", pool["rate"])
    elif kind == "fixed":
        if money(pool["amount"]) <= 0:
            e.append(("pool.amount", NUMBER_RANGE))
    elif kind == "first_rent":
        if sale:
            e.append(("pool.type", POOL_KIND))
    elif kind == "tiered":
        tiers = pool["tiers"]
        if not tiers:
            e.append(("pool.tiers", TIER_GAP))
        for k, t in enumerate(tiers):
            lo = frac(t["from"])
            hi = None if t.get("to") is None else frac(t["to"])
            if k == 0:
                if lo > 0:
                    e.append((f"pool.tiers[{k}].from", TIER_GAP))
                elif lo < 0:
                    e.append((f"pool.tiers[{k}].from", TIER_OVERLAP))
            else:
                prev = tiers[k - 1].get("to")
                if prev is None or lo < frac(prev):
                    e.append((f"pool.tiers[{k}].from", TIER_OVERLAP))
                elif lo > frac(prev):
                    e.append((f"pool.tiers[{k}].from", TIER_GAP))
            if hi is not None and hi <= lo:
                e.append((f"pool.tiers[{k}].to", TIER_OVERLAP))
            rate_ok(f"pool.tiers[{k}].rate", t["rate"])
        if tiers and tiers[-1].get("to") is not None:
            e.append((f"pool.tiers[{len(tiers) - 1}].to", TIER_GAP))

    split = plan.get("split", {})
    seen: set[str] = set()
    pct_sum = Fraction(0)
    for k, ts in enumerate(split.get("first", [])):
        if ts["role"] in seen:
            e.append((f"split.first[{k}].role", ROLE_DUPLICATE))
        seen.add(ts["role"])
        if ("percent_of_pool" in ts) == ("fixed" in ts):
            e.append((f"split.first[{k}]", SHARE_KIND))
        elif "percent_of_pool" in ts:
            rate_ok(f"split.first[{k}].percent_of_pool", ts["percent_of_pool"])
            pct_sum += rate(ts["percent_of_pool"])
    if pct_sum > 1:
        e.append(("split.first", SHARES_SUM))
    then = split.get("then", [])
    for k, rs in enumerate(then):
        if rs["role"] in seen:
            e.append((f"split.then[{k}].role", ROLE_DUPLICATE))
        seen.add(rs["role"])
        rate_ok(f"split.then[{k}].share", rs["share"])
    if then and sum((rate(rs["share"]) for rs in then), Fraction(0)) != 1:
        e.append(("split.then", SHARES_SUM))

    house = plan.get("house_role", "agency")
    then_share = {rs["role"]: rate(rs["share"]) for rs in then}
    for k, a in enumerate(plan.get("accelerators", [])):
        path = f"accelerators[{k}].share"
        rate_ok(path, a["share"])
        s = rate(a["share"])
        if a["role"] not in then_share or a["role"] == house:
            e.append((path, ACCELERATOR))
        elif s < then_share[a["role"]] or s - then_share[a["role"]] > then_share.get(house, 0):
            e.append((path, ACCELERATOR))

    limit_roles: set[str] = set()
    for k, lim in enumerate(plan.get("limits", [])):
        if lim["role"] == house or lim["role"] in limit_roles:
            e.append((f"limits[{k}].role", ROLE_DUPLICATE))
        limit_roles.add(lim["role"])
        if "min" in lim and money(lim["min"]) < 0:
            e.append((f"limits[{k}].min", MONEY_NEGATIVE))
        if "max" in lim and money(lim["max"]) < 0:
            e.append((f"limits[{k}].max", MONEY_NEGATIVE))
        elif "min" in lim and "max" in lim and money(lim["max"]) < money(lim["min"]):
            e.append((f"limits[{k}].max", CAP_BELOW_MINIMUM))

    if "vacant_share_to" in plan and plan["vacant_share_to"] not in then_share:
        e.append(("vacant_share_to", ROLE_UNFILLED))
    if "administration" in plan:
        if sale:
            e.append(("administration", POOL_KIND))
        rate_ok("administration.rate", plan["administration"]["rate"])
    if "clawback" in plan and plan["clawback"]["window_days"] == 0:
        e.append(("clawback.window_days", NUMBER_RANGE))

    for i, r in enumerate(table):
        w = f"withholding[{i}]"
        if not r["tax"].strip():
            e.append((f"{w}.tax", REQUIRED))
        if ("rate" in r) == bool(r.get("brackets")):
            e.append((w, WH_RULE))
        if "rate" in r:
            rate_ok(f"{w}.rate", r["rate"])
        brackets = r.get("brackets", [])
        prev = Fraction(0)
        for k, b in enumerate(brackets):
            up = b.get("up_to")
            if up is None:
                # An open bracket that is not the last: reported at the open bracket itself;
                # the next bracket is compared with the last closed one.
                if k != len(brackets) - 1:
                    e.append((f"{w}.brackets[{k}].up_to", WH_BRACKETS))
            else:
                if frac(up) <= prev:
                    e.append((f"{w}.brackets[{k}].up_to", WH_BRACKETS))
                prev = max(prev, frac(up))
        for k, b in enumerate(brackets):
            rate_ok(f"{w}.brackets[{k}].rate", b["rate"])
            if frac(b.get("deduction", "0")) < 0:
                e.append((f"{w}.brackets[{k}].deduction", MONEY_NEGATIVE))
        if "min_gross" in r and money(r["min_gross"]) < 0:
            e.append((f"{w}.min_gross", MONEY_NEGATIVE))
        if "min_tax" in r and money(r["min_tax"]) < 0:
            e.append((f"{w}.min_tax", MONEY_NEGATIVE))
        if "valid_until" in r and day(r["valid_until"]) <= day(r["valid_from"]):
            e.append((f"{w}.valid_until", DATE_ORDER))
    for i, r in enumerate(table):
        for j in range(i):
            q = table[j]
            same_tax = r["tax"].strip().casefold() == q["tax"].strip().casefold()
            recipients = "recipient" not in r or "recipient" not in q or r["recipient"] == q["recipient"]
            roles = not r.get("roles") or not q.get("roles") or bool(set(r["roles"]) & set(q["roles"]))
            far = date(9999, 12, 31)
            r_end = day(r["valid_until"]) if "valid_until" in r else far
            q_end = day(q["valid_until"]) if "valid_until" in q else far
            dates = day(r["valid_from"]) < q_end and day(q["valid_from"]) < r_end
            if same_tax and recipients and roles and dates:
                e.append((f"withholding[{i}]", WH_OVERLAP))
                break
    return e


# ---------------------------------------------------------------------------------------------
# Building inputs
# ---------------------------------------------------------------------------------------------


def uid(label: str) -> str:
    """A fixed UUID (version 7 and RFC 4122 variant bits set) from SHA-256 of a label."""
    b = bytearray(hashlib.sha256(label.encode()).digest()[:16])
    b[6] = (b[6] & 0x0F) | 0x70
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


AGENT = {name: uid(f"agent:{name}") for name in ("ana", "bruno", "carla", "davi", "elisa")}
DAY = "2026-05-04"  # the default closing day


def agency() -> dict:
    return {"role": "agency", "recipient": "company"}


def listing(who: str = "ana") -> dict:
    return {"role": "listing_broker", "agent_id": AGENT[who], "recipient": "individual"}


def selling(who: str = "bruno", company: bool = False) -> dict:
    p = {"role": "selling_broker", "agent_id": AGENT[who], "recipient": "individual"}
    if company:  # a broker paid through a company (PJ)
        p["document"] = "11.444.777/0001-61"
        p["recipient"] = "company"
    return p


def partner(n: int = 1) -> dict:
    name, doc = [("Imobiliária Parceira Ltda", "11.222.333/0001-81"),
                 ("Imóveis Aliança Ltda", "00.000.000/0001-91")][n - 1]
    return {"role": "partner_agency", "name": name, "document": doc, "recipient": "company"}


def referral(company: bool = False) -> dict:
    if company:
        return {"role": "referral", "name": "Indica Fácil Ltda", "document": "11.444.777/0001-61",
                "recipient": "company"}
    return {"role": "referral", "name": "João Indicador", "recipient": "individual"}


def deal(value: str, participants: list[dict], kind: str = "sale", closed_on: str | None = DAY,
         proposed_on: str | None = None) -> dict:
    """A Deal as JSON. Closed deals carry closed_on (their tax date); the others are accepted
    deals without one (the context's as_of is then the tax date). Ids are filled in later from
    the case id."""
    d = {"id": None, "lead_id": None, "property_id": None, "kind": kind}
    proposed = proposed_on or closed_on or DAY
    d["status"] = "closed" if closed_on else "accepted"
    d["value"] = value
    if kind == "lease":
        d["lease_months"] = 30
    d["proposed_on"] = proposed
    if not closed_on:
        d["accepted_on"] = proposed
    else:
        d["closed_on"] = closed_on
    d["participants"] = participants
    d["created_at"] = f"{proposed}T12:00:00Z"
    d["updated_at"] = f"{proposed}T12:00:00Z"
    return d


def deal_is_valid(d: dict) -> bool:
    """The deal record's own rules (value, participants, brokers are agents, one agency, no
    agent twice in a role, a closed deal names its selling broker), so that a vector's outcome
    never depends on whether the engine also validates the deal."""
    ps = d["participants"]
    if money(d["value"]) <= 0 or not ps:
        return False
    if sum(p["role"] == "agency" for p in ps) > 1:
        return False
    seen = set()
    for p in ps:
        if p["role"] in ("listing_broker", "selling_broker") and "agent_id" not in p:
            return False
        if p["role"] in ("partner_agency", "referral") and not p.get("name"):
            return False
        if "agent_id" in p:
            if (p["role"], p["agent_id"]) in seen:
                return False
            seen.add((p["role"], p["agent_id"]))
    if d["status"] == "closed" and not any(p["role"] == "selling_broker" for p in ps):
        return False
    return True


def ctx(as_of: str = DAY, **volumes: str) -> dict:
    c = {"as_of": as_of}
    if volumes:
        c["period_volumes"] = {AGENT[k]: v for k, v in volumes.items()}
    return c


def pct(r: str) -> dict:
    return {"type": "percentage", "rate": r}


def fixed(a: str) -> dict:
    return {"type": "fixed", "amount": a}


def first_rent(share: str | None = None) -> dict:
    p = {"type": "first_rent"}
    if share is not None:
        p["share"] = share
    return p


def tiered(mode: str, *tiers: tuple) -> dict:
    return {"type": "tiered", "mode": mode,
            "tiers": [{"from": lo, "to": hi, "rate": r} for lo, hi, r in tiers]}


def then(*pairs: tuple) -> list[dict]:
    return [{"role": r, "share": s} for r, s in pairs]


def top(role: str, percent: str | None = None, fixed_: str | None = None) -> dict:
    t = {"role": role}
    if percent is not None:
        t["percent_of_pool"] = percent
    if fixed_ is not None:
        t["fixed"] = fixed_
    return t


SPLIT_50_20_30 = {"then": then(("agency", "50%"), ("listing_broker", "20%"), ("selling_broker", "30%"))}

PLAN_KEYS = ["id", "applies_to", "pool", "split", "accelerators", "limits", "house_role",
             "vacant_share_to", "administration", "clawback"]


def plan(pid: str, pool: dict, split: dict | None = None, applies_to: str = "sale", **extra) -> dict:
    fields = {"id": pid, "applies_to": applies_to, "pool": pool, **extra}
    if split is not None:
        fields["split"] = split
    assert set(fields) <= set(PLAN_KEYS), set(fields) - set(PLAN_KEYS)
    return {k: copy.deepcopy(fields[k]) for k in PLAN_KEYS if k in fields}


def p6(split: dict | None = None, **extra) -> dict:
    """The issue's plan: 6% of the price, then agency 50% / captador 20% / vendedor 30%."""
    return plan("venda-6", pct("6%"), split if split is not None else SPLIT_50_20_30, **extra)


TIERS_3 = (("0", "500000.00", "6%"), ("500000.00", "1000000.00", "5%"), ("1000000.00", None, "4%"))

# Withholding rules. The IRPF monthly tables are the published ones (no dependants, no
# simplified discount), used here to exercise progressive brackets and dated rules.
IRRF_PJ = {"tax": "IRRF", "recipient": "company",
           "roles": ["partner_agency", "listing_broker", "selling_broker", "referral"],
           "valid_from": "2020-01-01", "rate": "1.5%", "min_tax": "10.00"}
ISS_5 = {"tax": "ISS", "roles": ["agency"], "valid_from": "2025-01-01", "rate": "5%"}
ISS_2_UNTIL_2026 = {"tax": "ISS", "roles": ["agency"], "valid_from": "2025-01-01", "valid_until": "2026-01-01",
                    "rate": "2%"}
ISS_5_FROM_2026 = {"tax": "ISS", "roles": ["agency"], "valid_from": "2026-01-01", "rate": "5%"}
IRPF_2024 = {"tax": "IRRF", "recipient": "individual", "valid_from": "2024-02-01", "valid_until": "2025-05-01",
             "brackets": [{"up_to": "2259.20", "rate": "0%"},
                          {"up_to": "2826.65", "rate": "7.5%", "deduction": "169.44"},
                          {"up_to": "3751.05", "rate": "15%", "deduction": "381.44"},
                          {"up_to": "4664.68", "rate": "22.5%", "deduction": "662.77"},
                          {"rate": "27.5%", "deduction": "896.00"}]}
IRPF_2025 = {"tax": "IRRF", "recipient": "individual", "valid_from": "2025-05-01",
             "brackets": [{"up_to": "2428.80", "rate": "0%"},
                          {"up_to": "2826.65", "rate": "7.5%", "deduction": "182.16"},
                          {"up_to": "3751.05", "rate": "15%", "deduction": "394.16"},
                          {"up_to": "4664.68", "rate": "22.5%", "deduction": "675.49"},
                          {"rate": "27.5%", "deduction": "908.73"}]}
T_STD = [IRRF_PJ, ISS_5, IRPF_2024, IRPF_2025]


def w(*rules: dict) -> list[dict]:
    return [copy.deepcopy(r) for r in rules]


# ---------------------------------------------------------------------------------------------
# The cases. Each: (note, inputs, hand). `hand` is what a person worked out: for errors the
# exact list of (path, code) or the bare code; for results the key amounts. ANCHOR marks cases
# whose hand values cover the whole output.
# ---------------------------------------------------------------------------------------------

ANCHOR = "anchor"
STATEMENTS: list[tuple] = []
ADMINISTRATIONS: list[tuple] = []
CLAWBACKS: list[tuple] = []
PLANS: list[tuple] = []


def S(note, plan_, deal_, hand, table=None, context=None, anchor=False):
    STATEMENTS.append((note, {"plan": plan_, "withholding": table or [], "deal": deal_,
                              "context": context or ctx()}, hand, anchor))


def A(note, plan_, deal_, receipt, hand, table=None, anchor=False):
    ADMINISTRATIONS.append((note, {"plan": plan_, "withholding": table or [], "deal": deal_,
                                   "receipt": receipt}, hand, anchor))


def C(note, plan_, deal_, cancelled_on, hand, table=None, context=None, paid=None, anchor=False):
    inputs = {"plan": plan_, "withholding": table or [], "deal": deal_, "context": context or ctx(),
              "cancelled_on": cancelled_on}
    if paid is not None:
        inputs["paid"] = paid
    CLAWBACKS.append((note, inputs, hand, anchor))


def P(note, plan_, hand, table=None):
    PLANS.append((note, {"plan": plan_, "withholding": table or []}, hand, False))


# --- statements: the issue's worked example ---------------------------------------------------

# ANCHOR. Sale at R$ 850,000.00, pool 6%: 850,000.00 x 0.06 = 51,000.00.
# Split 50/20/30: 51,000.00 x 0.5 = 25,500.00 (agency); x 0.2 = 10,200.00 (captador, listing
# broker); x 0.3 = 15,300.00 (vendedor, selling broker). Exact, no cents left over.
# No withholding: nets equal grosses; total withheld 0.00; total net 51,000.00.
S("the issue's worked example: R$ 850,000.00 at 6% = 51,000.00, split 50/20/30",
  p6(), deal("850000.00", [agency(), listing(), selling()]),
  {"pool": "51000.00", "date": DAY, "gross": ["25500.00", "10200.00", "15300.00"],
   "net": ["25500.00", "10200.00", "15300.00"], "taxes": [[], [], []],
   "total_withheld": "0.00", "total_net": "51000.00"}, anchor=True)

# ANCHOR. The same deal with the standard table (closed 2026-05-04):
#   agency (company, role agency): ISS 5% of 25,500.00 = 1,275.00 -> net 24,225.00
#     (IRRF_PJ does not list the agency role; the IRPF tables are for individuals).
#   captador ana (individual): IRPF May-2025 table, 10,200.00 > 4,664.68 -> 27.5%, deduction
#     908.73: 10,200.00 x 0.275 = 2,805.00 - 908.73 = 1,896.27 -> net 8,303.73.
#   vendedor bruno (individual): 15,300.00 x 0.275 = 4,207.50 - 908.73 = 3,298.77 -> net 12,001.23.
#   total withheld 1,275.00 + 1,896.27 + 3,298.77 = 6,470.04; total net 51,000.00 - 6,470.04 = 44,529.96.
S("the worked example with ISS on the agency and the individual IRPF table on the brokers",
  p6(), deal("850000.00", [agency(), listing(), selling()]),
  {"pool": "51000.00", "date": DAY, "gross": ["25500.00", "10200.00", "15300.00"],
   "taxes": [[("ISS", "1275.00")], [("IRRF", "1896.27")], [("IRRF", "3298.77")]],
   "net": ["24225.00", "8303.73", "12001.23"], "total_withheld": "6470.04", "total_net": "44529.96"},
  table=w(*T_STD), anchor=True)

# --- statements: pools ------------------------------------------------------------------------

# 100,000.25 x 6% = 6,000.015: a tie, half-even -> 6,000.02 (1 is odd). Split 50/20/30:
# 3,000.01 / 1,200.004 / 1,800.006 -> floors 3,000.01 + 1,200.00 + 1,800.00 = 6,000.01, one cent
# left, remainders 0 / 0.4 / 0.6 cent -> the selling broker: 3,000.01 / 1,200.00 / 1,800.01.
S("percentage pool on a tie rounds half-even up to the even cent (6,000.015 -> 6,000.02)",
  p6(), deal("100000.25", [agency(), listing(), selling()]),
  {"pool": "6000.02", "gross": ["3000.01", "1200.00", "1800.01"]}, anchor=False)
# 100,000.75 x 6% = 6,000.045 -> 6,000.04 (4 is even). 3,000.02 / 1,200.008 / 1,800.012 ->
# floors 3,000.02 + 1,200.00 + 1,800.01 = 6,000.03; remainders 0 / 0.8 / 0.2 -> listing.
S("percentage pool on a tie rounds half-even down to the even cent (6,000.045 -> 6,000.04)",
  p6(), deal("100000.75", [agency(), listing(), selling()]),
  {"pool": "6000.04", "gross": ["3000.02", "1200.01", "1800.01"]})
S("fixed pool of R$ 5,000.00 split 50/20/30",
  plan("venda-fixa", fixed("5000.00"), SPLIT_50_20_30), deal("850000.00", [agency(), listing(), selling()]),
  {"pool": "5000.00", "gross": ["2500.00", "1000.00", "1500.00"]})
for value, pool_, gross, note in [
    ("300000.00", "18000.00", ["9000.00", "3600.00", "5400.00"], "flat tiers: first bracket, 6% of the whole value"),
    ("500000.00", "30000.00", ["15000.00", "6000.00", "9000.00"], "flat tiers: exactly at the first edge stays in the first bracket (6%)"),
    # 500,000.01 x 5% = 25,000.0005 -> 25,000.00: one cent more pays 5,000.00 less (flat cliff)
    ("500000.01", "25000.00", ["12500.00", "5000.00", "7500.00"], "flat tiers: one cent above the edge takes the second bracket's 5% on the whole value"),
    ("1000000.00", "50000.00", ["25000.00", "10000.00", "15000.00"], "flat tiers: exactly at the second edge (5%)"),
    # 1,000,000.01 x 4% = 40,000.0004 -> 40,000.00
    ("1000000.01", "40000.00", ["20000.00", "8000.00", "12000.00"], "flat tiers: one cent above the second edge (4% on the whole value)"),
    # 500,000.30 x 5% = 25,000.015 -> 25,000.02 (half-even); 12,500.01 / 5,000.004 / 7,500.006 ->
    # floors sum 25,000.01, the cent to the selling broker (0.6)
    ("500000.30", "25000.02", ["12500.01", "5000.00", "7500.01"], "flat tiers: the pool's half-cent tie rounds to even"),
]:
    S(note, plan("venda-faixas", tiered("flat", *TIERS_3), SPLIT_50_20_30),
      deal(value, [agency(), listing(), selling()]), {"pool": pool_, "gross": gross})
for value, pool_, gross, note in [
    # 500,000 x 6% = 30,000 + 350,000 x 5% = 17,500 -> 47,500.00
    ("850000.00", "47500.00", ["23750.00", "9500.00", "14250.00"], "marginal tiers: 6% on the first 500,000 and 5% on the next 350,000"),
    ("500000.00", "30000.00", ["15000.00", "6000.00", "9000.00"], "marginal tiers: exactly at the first edge"),
    # 30,000 + 0.01 x 5% = 30,000.0005 -> 30,000.00
    ("500000.01", "30000.00", ["15000.00", "6000.00", "9000.00"], "marginal tiers: one cent above the first edge adds half a tenth of a cent, rounded away"),
    # 30,000 + 25,000 = 55,000
    ("1000000.00", "55000.00", ["27500.00", "11000.00", "16500.00"], "marginal tiers: exactly at the second edge"),
    # 55,000 + 0.01 x 4% = 55,000.0004 -> 55,000.00
    ("1000000.01", "55000.00", ["27500.00", "11000.00", "16500.00"], "marginal tiers: one cent above the second edge"),
    # 30,000 + 25,000 + 200,000 x 4% = 8,000 -> 63,000
    ("1200000.00", "63000.00", ["31500.00", "12600.00", "18900.00"], "marginal tiers: all three brackets"),
    # 30,000 + 0.30 x 5% = 30,000.015 -> 30,000.02; 15,000.01 / 6,000.004 / 9,000.006 -> cent to selling
    ("500000.30", "30000.02", ["15000.01", "6000.00", "9000.01"], "marginal tiers: a half-cent tie on the exact sum rounds to even"),
]:
    S(note, plan("venda-marginal", tiered("marginal", *TIERS_3), SPLIT_50_20_30),
      deal(value, [agency(), listing(), selling()]), {"pool": pool_, "gross": gross})
# ANCHOR (round once). Tiers 0-100,000.10 at 5%, above at 3%; value 100,000.25:
#   slice 1: 100,000.10 x 0.05 = 5,000.005; slice 2: 0.15 x 0.03 = 0.0045; exact sum 5,000.0095
#   -> rounded once: 5,000.01. (Rounding each slice first would give 5,000.00 + 0.00 = 5,000.00.)
#   Split 50/20/30: 2,500.005 / 1,000.002 / 1,500.003 -> floors 2,500.00 + 1,000.00 + 1,500.00 =
#   5,000.00; one cent left; remainders 0.5 / 0.2 / 0.3 cent -> agency: 2,500.01 / 1,000.00 / 1,500.00.
S("marginal tiers are summed exactly and rounded once (per-slice rounding would lose a cent)",
  plan("venda-marginal-centavos", tiered("marginal", ("0", "100000.10", "5%"), ("100000.10", None, "3%")),
       SPLIT_50_20_30),
  deal("100000.25", [agency(), listing(), selling()]),
  {"pool": "5000.01", "date": DAY, "gross": ["2500.01", "1000.00", "1500.00"],
   "net": ["2500.01", "1000.00", "1500.00"], "taxes": [[], [], []], "total_withheld": "0.00",
   "total_net": "5000.01"}, anchor=True)

LEASE_SPLIT = {"then": then(("agency", "60%"), ("selling_broker", "40%"))}
S("lease placement fee: the first month's rent (share 100% by default), 60/40",
  plan("locacao", first_rent(), LEASE_SPLIT, applies_to="lease"),
  deal("4200.00", [agency(), selling()], kind="lease"),
  {"pool": "4200.00", "gross": ["2520.00", "1680.00"]})
# 3,333.33 x 50% = 1,666.665 -> 1,666.66 (6 is even). 60%: 999.996 -> 999.99 r .6; 40%: 666.664
# -> 666.66 r .4; one cent left -> agency: 1,000.00 / 666.66.
S("lease placement fee of half the first rent, rounded half-even",
  plan("locacao-meio", first_rent("50%"), LEASE_SPLIT, applies_to="lease"),
  deal("3333.33", [agency(), selling()], kind="lease"),
  {"pool": "1666.66", "gross": ["1000.00", "666.66"]})
# No closing date: the tax date is the context's as_of (2025-12-31): ISS 2% of 4,200.00 = 84.00.
S("an accepted lease without closed_on takes its tax date from as_of (ISS 2% in force on 2025-12-31)",
  plan("locacao-agencia", first_rent(), {"then": then(("agency", "100%"))}, applies_to="lease"),
  deal("4200.00", [agency()], kind="lease", closed_on=None, proposed_on="2025-12-20"),
  {"pool": "4200.00", "date": "2025-12-31", "gross": ["4200.00"], "taxes": [[("ISS", "84.00")]],
   "net": ["4116.00"]},
  table=w(ISS_2_UNTIL_2026, ISS_5_FROM_2026), context=ctx("2025-12-31"))

# --- statements: shares off the top -----------------------------------------------------------

P6_PARTNER = p6(split={"first": [top("partner_agency", "50%")], **SPLIT_50_20_30})
# ANCHOR. Partner agency takes 50% off the top: 51,000.00 x 0.5 = 25,500.00; remainder 25,500.00
# split 50/20/30 = 12,750.00 / 5,100.00 / 7,650.00. Lines in deal order (partner last).
# Taxes: agency ISS 5% x 12,750.00 = 637.50 -> 12,112.50; ana 5,100.00 x 0.275 = 1,402.50 - 908.73
# = 493.77 -> 4,606.23; bruno 7,650.00 x 0.275 = 2,103.75 - 908.73 = 1,195.02 -> 6,454.98;
# partner (company): IRRF 1.5% x 25,500.00 = 382.50 (>= 10.00) -> 25,117.50.
# Total withheld 637.50 + 493.77 + 1,195.02 + 382.50 = 2,708.79; total net 48,291.21.
S("partner agency takes 50% off the top (parceria); IRRF 1.5% company to company",
  P6_PARTNER, deal("850000.00", [agency(), listing(), selling(), partner()]),
  {"pool": "51000.00", "date": DAY, "gross": ["12750.00", "5100.00", "7650.00", "25500.00"],
   "taxes": [[("ISS", "637.50")], [("IRRF", "493.77")], [("IRRF", "1195.02")], [("IRRF", "382.50")]],
   "net": ["12112.50", "4606.23", "6454.98", "25117.50"], "total_withheld": "2708.79",
   "total_net": "48291.21"}, table=w(*T_STD), anchor=True)
S("partner agency takes a fixed R$ 10,000.00 off the top; 41,000.00 split 50/20/30",
  p6(split={"first": [top("partner_agency", fixed_="10000.00")], **SPLIT_50_20_30}),
  deal("850000.00", [agency(), listing(), selling(), partner()]),
  {"pool": "51000.00", "gross": ["20500.00", "8200.00", "12300.00", "10000.00"]})
S("partner 50% then a referral's fixed R$ 1,000.00, in order; 24,500.00 split 50/20/30",
  p6(split={"first": [top("partner_agency", "50%"), top("referral", fixed_="1000.00")], **SPLIT_50_20_30}),
  deal("850000.00", [agency(), listing(), selling(), partner(), referral()]),
  {"pool": "51000.00", "gross": ["12250.00", "4900.00", "7350.00", "25500.00", "1000.00"],
   "taxes": [[("ISS", "612.50")], [("IRRF", "438.77")], [("IRRF", "1112.52")], [("IRRF", "382.50")], []]},
  table=w(*T_STD))
S("a top share whose role nobody holds is skipped: the partner's 50% stays in the remainder",
  P6_PARTNER, deal("850000.00", [agency(), listing(), selling()]),
  {"pool": "51000.00", "gross": ["25500.00", "10200.00", "15300.00"], "pool_trail_has": ["top_share_skipped"]})
S("the referral's fixed fee is skipped (no referral) while the partner's share is taken",
  p6(split={"first": [top("partner_agency", "50%"), top("referral", fixed_="1000.00")], **SPLIT_50_20_30}),
  deal("850000.00", [agency(), listing(), selling(), partner()]),
  {"pool": "51000.00", "gross": ["12750.00", "5100.00", "7650.00", "25500.00"],
   "pool_trail_has": ["top_share_skipped"]})
# 10% of 1,000.10 = 100.01, two partners: 50.01 / 50.00 (earlier gets the odd cent). Remainder
# 900.09: agency 70% 630.063 -> 630.06 r .3; selling 30% 270.027 -> 270.02 r .7 -> 270.03.
S("two partner agencies share a top share evenly, the earlier one gets the odd cent",
  plan("venda-duas-parcerias", fixed("1000.10"),
       {"first": [top("partner_agency", "10%")], "then": then(("agency", "70%"), ("selling_broker", "30%"))}),
  deal("850000.00", [agency(), selling(), partner(1), partner(2)]),
  {"pool": "1000.10", "gross": ["630.06", "270.03", "50.01", "50.00"]})
# 50% of 51,000.05 = 25,500.025 -> 25,500.02 (half-even). Remainder 25,500.03:
# 12,750.015 / 5,100.006 / 7,650.009 -> floors 12,750.01 + 5,100.00 + 7,650.00 = 25,500.01; two
# cents left; remainders 0.5 / 0.6 / 0.9 -> selling, then listing.
S("a percentage top share on a half-cent tie rounds half-even; the remainder keeps the cents",
  plan("venda-fixa-parceria", fixed("51000.05"), {"first": [top("partner_agency", "50%")], **SPLIT_50_20_30}),
  deal("850000.00", [agency(), listing(), selling(), partner()]),
  {"pool": "51000.05", "gross": ["12750.01", "5100.01", "7650.01", "25500.02"]})
S("a fixed top share larger than the pool is refused",
  plan("venda-indicacao-grande", fixed("1000.00"), {"first": [top("referral", fixed_="1500.00")], **SPLIT_50_20_30}),
  deal("850000.00", [agency(), listing(), selling(), referral()]), {"error": POOL_EXCEEDED})
S("top shares that together exceed the pool by one cent are refused",
  plan("venda-parceria-total", fixed("1000.00"),
       {"first": [top("partner_agency", "100%"), top("referral", fixed_="0.01")], **SPLIT_50_20_30}),
  deal("850000.00", [agency(), listing(), selling(), partner(), referral()]), {"error": POOL_EXCEEDED})
S("a top share of 100% leaves a zero remainder: the others get 0.00",
  plan("venda-parceria-total", fixed("1000.00"), {"first": [top("partner_agency", "100%")], **SPLIT_50_20_30}),
  deal("850000.00", [agency(), listing(), selling(), partner()]),
  {"pool": "1000.00", "gross": ["0.00", "0.00", "0.00", "1000.00"]})

# --- statements: vacant roles, missing and unpaid roles ----------------------------------------

S("no captador: the listing broker's 20% goes to the agency (vacant_share_to)",
  p6(vacant_share_to="agency"), deal("850000.00", [agency(), selling()]),
  {"pool": "51000.00", "gross": ["35700.00", "15300.00"],
   "trail_has": [["vacant_share_received"], []]})
S("the vacant 20% goes to the selling role and is shared by its two holders",
  p6(vacant_share_to="selling_broker"), deal("850000.00", [agency(), selling("bruno"), selling("carla")]),
  {"pool": "51000.00", "gross": ["25500.00", "12750.00", "12750.00"],
   "trail_has": [[], ["vacant_share_received"], ["vacant_share_received"]]})
S("a role of the plan nobody holds, and no vacant_share_to: refused with the role's path",
  p6(), deal("850000.00", [agency(), selling()]),
  {"errors": [("split.then[1].role", ROLE_UNFILLED)]})
S("vacant_share_to names the role that is itself vacant: refused",
  p6(vacant_share_to="listing_broker"), deal("850000.00", [agency(), selling()]),
  {"errors": [("split.then[1].role", ROLE_UNFILLED)]})
S("a participant whose role the plan does not pay is refused (never silently paid nothing)",
  p6(), deal("850000.00", [agency(), listing(), selling(), referral()]),
  {"errors": [("participants[3].role", ROLE_UNPAID)]})
S("an unfilled role and an unpaid participant are reported together (unfilled first)",
  p6(), deal("850000.00", [agency(), selling(), referral()]),
  {"errors": [("split.then[1].role", ROLE_UNFILLED), ("participants[2].role", ROLE_UNPAID)]})

# --- statements: equal split (art. 728) -------------------------------------------------------

EQUAL = plan("venda-silente", fixed("1000.00"), {})
# ANCHOR. The plan is silent (no `then`): 1,000.00 / 3 = 333.333...; floors 333.33 x 3 = 999.99;
# one cent left; remainders tie (1/3 cent each) -> the earliest: 333.34 / 333.33 / 333.33.
S("plan silent on the split: equal shares (Civil Code art. 728), R$ 1,000.00 three ways",
  EQUAL, deal("850000.00", [agency(), listing(), selling()]),
  {"pool": "1000.00", "date": DAY, "gross": ["333.34", "333.33", "333.33"],
   "net": ["333.34", "333.33", "333.33"], "taxes": [[], [], []], "total_withheld": "0.00",
   "total_net": "1000.00", "trail_has": [["equal_share"], ["equal_share"], ["equal_share"]]}, anchor=True)
# partner 50% = 500.00; 500.00 / 3 = 166.666... -> floors 166.66 x 3 = 499.98 -> two cents to the first two.
S("equal shares of what is left after a partner's 50% off the top",
  plan("venda-silente-parceria", fixed("1000.00"), {"first": [top("partner_agency", "50%")]}),
  deal("850000.00", [agency(), listing(), selling(), partner()]),
  {"pool": "1000.00", "gross": ["166.67", "166.67", "166.66", "500.00"]})
S("equal shares of a 6% pool between four participants",
  plan("venda-silente-6", pct("6%"), {}),
  deal("850000.00", [agency(), listing(), selling("bruno"), selling("carla")]),
  {"pool": "51000.00", "gross": ["12750.00", "12750.00", "12750.00", "12750.00"]})
# 1,000.00 / 6 = 166.666...: floors 999.96, four cents to the first four
S("equal shares six ways: four odd cents to the first four",
  EQUAL,
  deal("850000.00", [agency(), listing("ana"), listing("carla"), selling("bruno"), selling("davi"), referral()]),
  {"pool": "1000.00", "gross": ["166.67", "166.67", "166.67", "166.67", "166.66", "166.66"]})

# --- statements: several holders of a role ----------------------------------------------------

S("two selling brokers share the vendedor's 30% equally",
  p6(), deal("850000.00", [agency(), listing(), selling("bruno"), selling("carla")]),
  {"pool": "51000.00", "gross": ["25500.00", "10200.00", "7650.00", "7650.00"]})
# 1,000.01: agency 500.005 (r .5), sellers 250.0025 each (r .25): floors 1,000.00, the cent to the agency
S("odd cent between a role and two co-holders goes to the largest remainder",
  plan("venda-meio-meio", fixed("1000.01"), {"then": then(("agency", "50%"), ("selling_broker", "50%"))}),
  deal("850000.00", [agency(), selling("bruno"), selling("carla")]),
  {"pool": "1000.01", "gross": ["500.01", "250.00", "250.00"]})
# ANCHOR (exact weights). 1,000,000.00; agency 50% = 500,000.00 exactly; three sellers share 50%:
# each exactly 1/6 = 166,666.666...; floors 166,666.66 x 3 + 500,000.00 = 999,999.98; two cents
# left; remainders 0 (agency), 2/3 cent each (sellers) -> the first two sellers:
# 500,000.00 / 166,666.67 / 166,666.67 / 166,666.66.
S("a 50% role with three holders gives each exactly 1/6 of the remainder (exact weights)",
  plan("venda-tres-vendedores", fixed("1000000.00"), {"then": then(("agency", "50%"), ("selling_broker", "50%"))}),
  deal("20000000.00", [agency(), selling("bruno"), selling("carla"), selling("davi")]),
  {"pool": "1000000.00", "date": DAY, "gross": ["500000.00", "166666.67", "166666.67", "166666.66"],
   "net": ["500000.00", "166666.67", "166666.67", "166666.66"], "taxes": [[], [], [], []],
   "total_withheld": "0.00", "total_net": "1000000.00"}, anchor=True)

# --- statements: accelerators -----------------------------------------------------------------

ACCEL = [{"role": "selling_broker", "from_volume": "3000000.00", "share": "35%"},
         {"role": "selling_broker", "from_volume": "5000000.00", "share": "40%"}]
S("accelerator not reached: no period volume, 850,000.00 < 3,000,000.00",
  p6(accelerators=ACCEL), deal("850000.00", [agency(), listing(), selling()]),
  {"pool": "51000.00", "gross": ["25500.00", "10200.00", "15300.00"]})
# 2,150,000.00 + 850,000.00 = 3,000,000.00 exactly: 35%; selling 17,850.00; agency 45% = 22,950.00
S("accelerator reached exactly at the threshold (volume so far + this deal = 3,000,000.00)",
  p6(accelerators=ACCEL), deal("850000.00", [agency(), listing(), selling()]),
  {"pool": "51000.00", "gross": ["22950.00", "10200.00", "17850.00"],
   "trail_has": [["accelerator_funded"], [], ["accelerated"]]},
  context=ctx(bruno="2150000.00"))
S("accelerator one cent short of the threshold (2,999,999.99)",
  p6(accelerators=ACCEL), deal("850000.00", [agency(), listing(), selling()]),
  {"pool": "51000.00", "gross": ["25500.00", "10200.00", "15300.00"]},
  context=ctx(bruno="2149999.99"))
S("the highest accelerator reached applies (5,350,000.00 -> 40%), funded by the agency",
  p6(accelerators=ACCEL), deal("850000.00", [agency(), listing(), selling()]),
  {"pool": "51000.00", "gross": ["20400.00", "10200.00", "20400.00"],
   "trail_has": [["accelerator_funded"], [], ["accelerated"]]},
  context=ctx(bruno="4500000.00"))
S("volumes of a broker whose role has no accelerator change nothing",
  p6(accelerators=ACCEL), deal("850000.00", [agency(), listing(), selling()]),
  {"pool": "51000.00", "gross": ["25500.00", "10200.00", "15300.00"]},
  context=ctx(ana="10000000.00"))
# bruno reaches 35% (3,350,000): his share 35%/2 = 17.5% = 8,925.00; carla 15% = 7,650.00;
# the agency gives up (35% - 30%)/2 = 2.5%: 47.5% = 24,225.00; listing 10,200.00.
S("two selling brokers, only one reaches the accelerator: per-holder shares",
  p6(accelerators=ACCEL), deal("850000.00", [agency(), listing(), selling("bruno"), selling("carla")]),
  {"pool": "51000.00", "gross": ["24225.00", "10200.00", "8925.00", "7650.00"]},
  context=ctx(bruno="2500000.00"))
ACCEL_BOTH = p6(split={"then": then(("agency", "10%"), ("listing_broker", "45%"), ("selling_broker", "45%"))},
                accelerators=[{"role": "listing_broker", "from_volume": "1000000.00", "share": "55%"},
                              {"role": "selling_broker", "from_volume": "1000000.00", "share": "55%"}])
S("two accelerators together need more than the agency's 10%: refused",
  ACCEL_BOTH, deal("850000.00", [agency(), listing(), selling()]), {"error": LIMIT_UNFUNDED},
  context=ctx(ana="200000.00", bruno="200000.00"))
# only ana reaches (150,000 + 850,000 = 1,000,000): listing 55% = 28,050.00; agency 0% = 0.00;
# selling 45% = 22,950.00
S("one accelerator takes the agency's whole 10%: the agency line is 0.00, not an error",
  ACCEL_BOTH, deal("850000.00", [agency(), listing(), selling()]),
  {"pool": "51000.00", "gross": ["0.00", "28050.00", "22950.00"]},
  context=ctx(ana="150000.00"))

# --- statements: limits ------------------------------------------------------------------------

S("cap hit: the vendedor's 15,300.00 is cut to 10,000.00, the 5,300.00 excess goes to the agency",
  p6(limits=[{"role": "selling_broker", "max": "10000.00"}]), deal("850000.00", [agency(), listing(), selling()]),
  {"pool": "51000.00", "gross": ["30800.00", "10200.00", "10000.00"],
   "trail_has": [["limits_settled"], [], ["capped"]]})
S("cap not hit (max 20,000.00)",
  p6(limits=[{"role": "selling_broker", "max": "20000.00"}]), deal("850000.00", [agency(), listing(), selling()]),
  {"pool": "51000.00", "gross": ["25500.00", "10200.00", "15300.00"]})
S("cap exactly equal to the gross is not hit",
  p6(limits=[{"role": "selling_broker", "max": "15300.00"}]), deal("850000.00", [agency(), listing(), selling()]),
  {"pool": "51000.00", "gross": ["25500.00", "10200.00", "15300.00"]})
S("minimum raised: the captador's 10,200.00 becomes 12,000.00, funded by the agency",
  p6(limits=[{"role": "listing_broker", "min": "12000.00"}]), deal("850000.00", [agency(), listing(), selling()]),
  {"pool": "51000.00", "gross": ["23700.00", "12000.00", "15300.00"],
   "trail_has": [["limits_settled"], ["raised_to_minimum"], []]})
S("minimum already met (5,000.00)",
  p6(limits=[{"role": "listing_broker", "min": "5000.00"}]), deal("850000.00", [agency(), listing(), selling()]),
  {"pool": "51000.00", "gross": ["25500.00", "10200.00", "15300.00"]})
# agency 25,500 + 5,300 (cap excess) - 1,800 (top-up) = 29,000
S("a cap and a minimum at once: the agency's net change is +5,300.00 - 1,800.00",
  p6(limits=[{"role": "selling_broker", "max": "10000.00"}, {"role": "listing_broker", "min": "12000.00"}]),
  deal("850000.00", [agency(), listing(), selling()]),
  {"pool": "51000.00", "gross": ["29000.00", "12000.00", "10000.00"],
   "trail_has": [["limits_settled"], ["raised_to_minimum"], ["capped"]]})
S("a minimum the agency cannot fund is refused (1,000.00 pool, captador minimum 1,000.00)",
  plan("venda-fixa-minimo", fixed("1000.00"), SPLIT_50_20_30,
       limits=[{"role": "listing_broker", "min": "1000.00"}]),
  deal("850000.00", [agency(), listing(), selling()]), {"error": LIMIT_UNFUNDED})
S("a minimum applies to each holder of the role: two captadores raised to 6,000.00 each",
  p6(limits=[{"role": "listing_broker", "min": "6000.00"}]),
  deal("850000.00", [agency(), listing("ana"), listing("carla"), selling()]),
  {"pool": "51000.00", "gross": ["23700.00", "6000.00", "6000.00", "15300.00"]})
# accelerated to 40% = 20,400.00, then capped at 18,000.00: agency 20,400.00 + 2,400.00
S("a cap applies after the accelerator",
  p6(accelerators=ACCEL, limits=[{"role": "selling_broker", "max": "18000.00"}]),
  deal("850000.00", [agency(), listing(), selling()]),
  {"pool": "51000.00", "gross": ["22800.00", "10200.00", "18000.00"],
   "trail_has": [["accelerator_funded", "limits_settled"], [], ["accelerated", "capped"]]},
  context=ctx(bruno="4500000.00"))

# --- statements: withholding ------------------------------------------------------------------


def partner_fixed(amount: str) -> dict:
    return plan("venda-parceria-fixa", fixed("10000.00"),
                {"first": [top("partner_agency", fixed_=amount)],
                 "then": then(("agency", "50%"), ("selling_broker", "50%"))})


for amount, tax, note in [
    ("666.00", None, "IRRF 1.5% of 666.00 = 9.99, below the R$ 10.00 minimum: not withheld"),
    ("666.64", "10.00", "IRRF 1.5% of 666.64 = 9.9996, rounded to 10.00, not below the minimum: withheld"),
    ("667.00", "10.00", "IRRF 1.5% of 667.00 = 10.005, a tie rounded half-even to 10.00: withheld"),
    ("700.00", "10.50", "IRRF 1.5% of 700.00 = 10.50, above the minimum"),
]:
    S(note, partner_fixed(amount), deal("850000.00", [agency(), selling(), partner()]),
      {"taxes": [[], [], [("IRRF", tax)] if tax else []],
       "net": [None, None, fmt(cents(amount) - (cents(tax) if tax else 0))]},
      table=w(IRRF_PJ))
S("a broker paid through a company gets IRRF 1.5% instead of the individual table",
  p6(), deal("850000.00", [agency(), listing(), selling(company=True)]),
  {"taxes": [[("ISS", "1275.00")], [("IRRF", "1896.27")], [("IRRF", "229.50")]],
   "net": ["24225.00", "8303.73", "15070.50"]}, table=w(*T_STD))


def referral_fixed(amount: str, company: bool = False) -> tuple[dict, dict]:
    pl = plan("venda-indicacao", fixed("20000.00"),
              {"first": [top("referral", fixed_=amount)], "then": then(("agency", "50%"), ("selling_broker", "50%"))})
    return pl, deal("850000.00", [agency(), selling(), referral(company)])


for amount, tax, note in [
    ("2428.80", None, "IRPF table: 2,428.80 is the top of the exempt bracket: nothing withheld"),
    # 2,428.81 x 7.5% = 182.16075 - 182.16 = 0.00075 -> 0.00: nothing withheld
    ("2428.81", None, "IRPF table: one cent into the 7.5% bracket the tax rounds to zero: nothing withheld"),
    # 2,826.65 x 7.5% = 211.99875 - 182.16 = 29.83875 -> 29.84
    ("2826.65", "29.84", "IRPF table: the top of the 7.5% bracket"),
    # 2,826.66 x 15% = 423.999 - 394.16 = 29.839 -> 29.84
    ("2826.66", "29.84", "IRPF table: one cent into the 15% bracket"),
    # 5,000.00 x 27.5% = 1,375.00 - 908.73 = 466.27
    ("5000.00", "466.27", "IRPF table: the open top bracket"),
]:
    pl, dl = referral_fixed(amount)
    S(note, pl, dl, {"taxes": [None, None, [("IRRF", tax)] if tax else []]}, table=w(IRPF_2025))
pl, dl = referral_fixed("500.00")
S("a progressive bracket whose deduction exceeds gross x rate withholds nothing (max(0, ...))",
  pl, dl, {"taxes": [None, None, []], "net": [None, None, "500.00"]},
  table=[{"tax": "IRRF", "recipient": "individual", "roles": ["referral"], "valid_from": "2020-01-01",
          "brackets": [{"up_to": "1000.00", "rate": "10%", "deduction": "200.00"},
                       {"rate": "20%", "deduction": "300.00"}]}])
INSS_MIN = {"tax": "INSS", "recipient": "individual", "roles": ["referral"], "valid_from": "2020-01-01",
            "rate": "11%", "min_gross": "5000.00"}
pl, dl = referral_fixed("4999.99")
S("min_gross: a gross one cent below 5,000.00 is not withheld", pl, dl,
  {"taxes": [None, None, []]}, table=w(INSS_MIN))
pl, dl = referral_fixed("5000.00")
S("min_gross: a gross of exactly 5,000.00 is withheld (11% = 550.00)", pl, dl,
  {"taxes": [None, None, [("INSS", "550.00")]], "net": [None, None, "4450.00"]}, table=w(INSS_MIN))
# 2,400.00 under the 2024 table: 7.5% bracket, 180.00 - 169.44 = 10.56; under the 2025 table it is
# below 2,428.80: exempt.
for closed, tax, note in [
    ("2025-04-30", "10.56", "dated rules: the day before the table change the 2024 IRPF table applies (10.56)"),
    ("2025-05-01", None, "dated rules: from 2025-05-01 (valid_until is exclusive) the 2025 table applies: exempt"),
]:
    pl, _ = referral_fixed("2400.00")
    S(note, pl, deal("850000.00", [agency(), selling(), referral()], closed_on=closed),
      {"date": closed, "taxes": [None, None, [("IRRF", tax)] if tax else []]},
      table=w(IRPF_2024, IRPF_2025))
for closed, tax, note in [
    ("2025-12-31", "510.00", "dated ISS: closed on 2025-12-31, 2% of 25,500.00 = 510.00"),
    ("2026-01-01", "1275.00", "dated ISS: the same deal closed on 2026-01-01, 5% = 1,275.00"),
]:
    S(note, p6(), deal("850000.00", [agency(), listing(), selling()], closed_on=closed),
      {"date": closed, "taxes": [[("ISS", tax)], [], []]}, table=w(ISS_2_UNTIL_2026, ISS_5_FROM_2026))
CSRF = {"tax": "CSRF", "recipient": "company", "roles": ["referral"], "valid_from": "2020-01-01", "rate": "4.65%"}
pl, dl = referral_fixed("2000.00", company=True)
S("two taxes on one line, in table order: IRRF 1.5% = 30.00 then CSRF 4.65% = 93.00", pl, dl,
  {"taxes": [[], [], [("IRRF", "30.00"), ("CSRF", "93.00")]], "net": [None, None, "1877.00"]},
  table=w(IRRF_PJ, CSRF))

# --- statements: deal checks ------------------------------------------------------------------

S("a lease under a sale plan is refused", p6(), deal("4200.00", [agency(), selling()], kind="lease"),
  {"errors": [("kind", DEAL_KIND)]})
S("a sale under a lease plan is refused", plan("locacao", first_rent(), LEASE_SPLIT, applies_to="lease"),
  deal("850000.00", [agency(), selling()]), {"errors": [("kind", DEAL_KIND)]})
S("a deal value of zero is refused", p6(), deal("0.00", [agency(), listing(), selling()]),
  {"errors": [("value", NUMBER_RANGE)]})
S("a negative deal value is refused", p6(), deal("-100.00", [agency(), listing(), selling()]),
  {"errors": [("value", NUMBER_RANGE)]})
S("a deal with no participants is refused", p6(), deal("850000.00", []), {"error": PARTICIPANTS_MISSING})

# --- administration -------------------------------------------------------------------------------

LEASE = plan("locacao-adm", first_rent(), LEASE_SPLIT, applies_to="lease", administration={"rate": "10%"})


def lease(rent: str = "4200.00", people=None, closed_on: str = "2025-12-01") -> dict:
    return deal(rent, people or [agency(), selling()], kind="lease", closed_on=closed_on)


def receipt(start: str, end: str, received: str | None = None) -> dict:
    r = {"period_start": start, "period_end": end}
    if received is not None:
        r["received"] = received
    return r


# ANCHOR. March 2026, 1-31 = 31 of 31 days: rent due 4,200.00 (no pro-rata); received defaults to
# it; fee 10% = 420.00, all to the agency (no administration split); the selling broker has no
# line; landlord 4,200.00 - 420.00 = 3,780.00.
A("a full 31-day month: fee 10% of 4,200.00, all to the agency", LEASE, lease(),
  receipt("2026-03-01", "2026-03-31"),
  {"days": 31, "days_in_month": 31, "rent_due": "4200.00", "rent_received": "4200.00", "fee": "420.00",
   "participants": [0], "gross": ["420.00"], "taxes": [[]], "net": ["420.00"], "total_withheld": "0.00",
   "landlord_net": "3780.00"}, anchor=True)
A("February 2026 (28 days), 15-28: 14/28 of the rent", LEASE, lease(), receipt("2026-02-15", "2026-02-28"),
  {"days": 14, "days_in_month": 28, "rent_due": "2100.00", "fee": "210.00", "landlord_net": "1890.00"})
A("February 2026 in full: 28 of 28 days is the whole rent", LEASE, lease(), receipt("2026-02-01", "2026-02-28"),
  {"days": 28, "days_in_month": 28, "rent_due": "4200.00", "fee": "420.00"})
# 4,200.00 x 15/29 = 2,172.4137... -> 2,172.41; fee 217.241 -> 217.24; landlord 1,955.17
A("February 2028 (29 days, leap year), 15-29: 15/29 of the rent", LEASE, lease(),
  receipt("2028-02-15", "2028-02-29"),
  {"days": 15, "days_in_month": 29, "rent_due": "2172.41", "fee": "217.24", "landlord_net": "1955.17"})
A("February 2028 in full: 29 of 29 days", LEASE, lease(), receipt("2028-02-01", "2028-02-29"),
  {"days": 29, "days_in_month": 29, "rent_due": "4200.00", "fee": "420.00"})
# 4,200.00 x 28/29 = 4,055.1724... -> 4,055.17; fee 405.517 -> 405.52; landlord 3,649.65
A("February 2028, 1-28: 28 of 29 days is a partial month", LEASE, lease(), receipt("2028-02-01", "2028-02-28"),
  {"days": 28, "days_in_month": 29, "rent_due": "4055.17", "fee": "405.52", "landlord_net": "3649.65"})
A("April (30 days), 10-30: 21/30 of the rent", LEASE, lease(), receipt("2026-04-10", "2026-04-30"),
  {"days": 21, "days_in_month": 30, "rent_due": "2940.00", "fee": "294.00"})
# 1,550.05 x 15/30 = 775.025 -> 775.02 (half-even); fee 77.502 -> 77.50; landlord 697.52
A("a partial month whose rent due is a half-cent tie rounds half-even", LEASE, lease("1550.05"),
  receipt("2026-04-16", "2026-04-30"),
  {"days": 15, "days_in_month": 30, "rent_due": "775.02", "fee": "77.50", "landlord_net": "697.52"})
# 4,200.00 x 15/31 = 2,032.2580... -> 2,032.26; fee 203.226 -> 203.23; landlord 1,829.03
A("March (31 days), 17-31: 15/31 of the rent", LEASE, lease(), receipt("2026-03-17", "2026-03-31"),
  {"days": 15, "days_in_month": 31, "rent_due": "2032.26", "fee": "203.23", "landlord_net": "1829.03"})
A("June (30 days) in full", LEASE, lease(), receipt("2026-06-01", "2026-06-30"),
  {"days": 30, "days_in_month": 30, "rent_due": "4200.00", "fee": "420.00"})
A("received below the rent due: the fee is on what was received", LEASE, lease(),
  receipt("2026-03-01", "2026-03-31", "4000.00"),
  {"rent_due": "4200.00", "rent_received": "4000.00", "fee": "400.00", "landlord_net": "3600.00"})
# 1,000.05 x 10% = 100.005 -> 100.00 (half-even); landlord 900.05
A("received below the pro-rata rent due, with a half-cent fee", LEASE, lease(),
  receipt("2026-02-15", "2026-02-28", "1000.05"),
  {"rent_due": "2100.00", "rent_received": "1000.05", "fee": "100.00", "landlord_net": "900.05"})
A("received above the rent due (late-payment charges): the fee is on what was received", LEASE, lease(),
  receipt("2026-03-01", "2026-03-31", "4300.00"),
  {"rent_due": "4200.00", "rent_received": "4300.00", "fee": "430.00", "landlord_net": "3870.00"})
# 4,200.00 / 31 = 135.4838... -> 135.48; fee 13.548 -> 13.55
A("a single day", LEASE, lease(), receipt("2026-03-31", "2026-03-31"),
  {"days": 1, "days_in_month": 31, "rent_due": "135.48", "fee": "13.55", "landlord_net": "121.93"})
LEASE_SPLIT_ADM = plan("locacao-adm-captador", first_rent(), LEASE_SPLIT, applies_to="lease",
                       administration={"rate": "10%", "split": {"then": then(("agency", "80%"), ("listing_broker", "20%"))}})
A("administration split 80/20 with the captador; the selling broker has no line", LEASE_SPLIT_ADM,
  lease(people=[agency(), listing(), selling()]), receipt("2026-03-01", "2026-03-31"),
  {"fee": "420.00", "participants": [0, 1], "gross": ["336.00", "84.00"]})
for start, end, tax, note in [
    ("2025-12-01", "2025-12-31", "6.72", "administration withholding is dated by period_end: ISS 2% of 336.00 in December 2025"),
    ("2026-01-01", "2026-01-31", "16.80", "administration withholding is dated by period_end: ISS 5% of 336.00 in January 2026"),
]:
    A(note, LEASE_SPLIT_ADM, lease(people=[agency(), listing(), selling()]), receipt(start, end),
      {"fee": "420.00", "participants": [0, 1], "gross": ["336.00", "84.00"], "taxes": [[("ISS", tax)], []],
       "total_withheld": tax, "landlord_net": "3780.00"},
      table=w(ISS_2_UNTIL_2026, ISS_5_FROM_2026, IRPF_2025))
A("administration split with a referral's fixed 20.00 off the top",
  plan("locacao-adm-indicacao", first_rent(), LEASE_SPLIT, applies_to="lease",
       administration={"rate": "10%", "split": {"first": [top("referral", fixed_="20.00")],
                                                "then": then(("agency", "100%"))}}),
  lease(people=[agency(), selling(), referral()]), receipt("2026-03-01", "2026-03-31"),
  {"fee": "420.00", "participants": [0, 2], "gross": ["400.00", "20.00"]})
# 3,333.33 x 8.5% = 283.33305 -> 283.33; agency 50% = 141.665 (r .5), two captadores 25% each =
# 70.8325 (r .25): floors 141.66 + 70.83 + 70.83 = 283.32; the cent to the agency.
A("administration fee split between the agency and two captadores, odd cent by largest remainder",
  plan("locacao-adm-dois", first_rent(), LEASE_SPLIT, applies_to="lease",
       administration={"rate": "8.5%", "split": {"then": then(("agency", "50%"), ("listing_broker", "50%"))}}),
  lease("3333.33", people=[agency(), listing("ana"), listing("carla"), selling()]),
  receipt("2026-03-01", "2026-03-31"),
  {"fee": "283.33", "participants": [0, 1, 2], "gross": ["141.67", "70.83", "70.83"],
   "landlord_net": "3050.00"})
A("a period spanning two months is refused", LEASE, lease(), receipt("2026-03-15", "2026-04-14"),
  {"error": PERIOD})
A("a period ending before it starts is refused", LEASE, lease(), receipt("2026-03-20", "2026-03-10"),
  {"error": PERIOD})
A("administration of a sale is refused", LEASE, deal("850000.00", [agency(), selling()]),
  receipt("2026-03-01", "2026-03-31"), {"errors": [("kind", DEAL_KIND)]})
A("an administration split naming a role nobody holds is refused", LEASE_SPLIT_ADM, lease(),
  receipt("2026-03-01", "2026-03-31"), {"error": ROLE_UNFILLED})
A("a rate of 8% on a rent of 2,750.00", plan("locacao-8", first_rent(), LEASE_SPLIT, applies_to="lease",
                                              administration={"rate": "0.08"}),
  lease("2750.00"), receipt("2026-05-01", "2026-05-31"),
  {"fee": "220.00", "landlord_net": "2530.00"})

# --- clawbacks -----------------------------------------------------------------------------------

P6_FULL = p6(clawback={"window_days": 90, "mode": "full"})
P6_PRO = p6(clawback={"window_days": 90, "mode": "pro_rata"})
ALS3 = [agency(), listing(), selling()]
# ANCHOR. Closed 2026-05-04, cancelled 2026-06-03: 27 days left in May + 3 = 30 days; full mode,
# within the 90-day window -> fraction 1: every line gives back its whole gross:
# -25,500.00 / -10,200.00 / -15,300.00, total -51,000.00.
C("full clawback 30 days after closing: everything comes back", P6_FULL, deal("850000.00", ALS3), "2026-06-03",
  {"days_elapsed": 30, "within_window": True, "fraction": "1", "participants": [0, 1, 2],
   "back": ["25500.00", "10200.00", "15300.00"], "net_back": ["25500.00", "10200.00", "15300.00"],
   "taxes_back": [[], [], []], "total_gross": "-51000.00"}, anchor=True)
# (90 - 30)/90 = 2/3 of 51,000.00 = 34,000.00, by grosses 5:2:3 -> 17,000 / 6,800 / 10,200
C("pro-rata clawback 30 days after closing: 2/3 comes back", P6_PRO, deal("850000.00", ALS3), "2026-06-03",
  {"days_elapsed": 30, "within_window": True, "fraction": Fraction(2, 3),
   "back": ["17000.00", "6800.00", "10200.00"], "total_gross": "-34000.00"})
C("pro-rata clawback on the closing day: everything comes back", P6_PRO, deal("850000.00", ALS3), DAY,
  {"days_elapsed": 0, "within_window": True, "fraction": "1", "back": ["25500.00", "10200.00", "15300.00"]})
# 2026-05-04 + 90 days = 2026-08-02
C("pro-rata clawback on the window's last day: within the window, nothing comes back", P6_PRO,
  deal("850000.00", ALS3), "2026-08-02",
  {"days_elapsed": 90, "within_window": True, "fraction": "0", "back": [], "total_gross": "0.00"})
C("full clawback on the window's last day: everything comes back", P6_FULL, deal("850000.00", ALS3), "2026-08-02",
  {"days_elapsed": 90, "within_window": True, "fraction": "1", "back": ["25500.00", "10200.00", "15300.00"],
   "total_gross": "-51000.00"})
C("full clawback one day outside the window: the fee stays due (art. 725)", P6_FULL, deal("850000.00", ALS3),
  "2026-08-03", {"days_elapsed": 91, "within_window": False, "fraction": "0", "back": [], "total_gross": "0.00"})
C("pro-rata clawback one day outside the window", P6_PRO, deal("850000.00", ALS3), "2026-08-03",
  {"days_elapsed": 91, "within_window": False, "fraction": "0", "back": []})
C("no clawback rule: nothing comes back, even ten days later", p6(), deal("850000.00", ALS3), "2026-05-14",
  {"days_elapsed": 10, "within_window": False, "fraction": "0", "back": [], "total_gross": "0.00"})
C("partial payments cap the reversal; a line paid nothing gives nothing back and has no line", P6_FULL,
  deal("850000.00", ALS3), "2026-06-03",
  {"participants": [0, 1], "back": ["25500.00", "5000.00"], "total_gross": "-30500.00"},
  paid=["25500.00", "5000.00", "0.00"])
# 45 days: 1/2 -> 25,500.00: shares 12,750 / 5,100 / 7,650; paid caps the selling broker at 5,000
C("pro-rata share capped by what was paid", P6_PRO, deal("850000.00", ALS3), "2026-06-18",
  {"days_elapsed": 45, "fraction": "0.5", "back": ["12750.00", "5100.00", "5000.00"], "total_gross": "-22850.00"},
  paid=["25500.00", "10200.00", "5000.00"])
C("a full reversal gives back every withholding in full", P6_FULL, deal("850000.00", ALS3), "2026-06-03",
  {"back": ["25500.00", "10200.00", "15300.00"],
   "taxes_back": [[("ISS", "1275.00")], [("IRRF", "1896.27")], [("IRRF", "3298.77")]],
   "net_back": ["24225.00", "8303.73", "12001.23"]}, table=w(*T_STD))
# ANCHOR. Pro-rata, 45 of 90 days -> fraction 1/2; target 51,000.00 x 1/2 = 25,500.00; by grosses
# 25,500 : 10,200 : 15,300 -> 12,750.00 / 5,100.00 / 7,650.00 (exact).
# Withholdings back in proportion: ISS 1,275.00 x 12,750/25,500 = 637.50;
# ana's IRRF 1,896.27 x 5,100/10,200 = 948.135 -> 948.14 (tie, 3 odd -> 4);
# bruno's IRRF 3,298.77 x 7,650/15,300 = 1,649.385 -> 1,649.38 (tie, 8 even).
# Nets back: 12,750.00 - 637.50 = 12,112.50; 5,100.00 - 948.14 = 4,151.86; 7,650.00 - 1,649.38 = 6,000.62.
# All negative; total gross -25,500.00.
C("a pro-rata reversal gives back each withholding in proportion, rounded half-even", P6_PRO,
  deal("850000.00", ALS3), "2026-06-18",
  {"days_elapsed": 45, "within_window": True, "fraction": "0.5", "participants": [0, 1, 2],
   "back": ["12750.00", "5100.00", "7650.00"],
   "taxes_back": [[("ISS", "637.50")], [("IRRF", "948.14")], [("IRRF", "1649.38")]],
   "net_back": ["12112.50", "4151.86", "6000.62"], "total_gross": "-25500.00"}, table=w(*T_STD), anchor=True)
# ANCHOR (exact fraction). Pool 51,000.03 split 50/50: 25,500.015 each -> 25,500.01 x 2 = 51,000.02,
# one cent left, tie -> agency: 25,500.02 / 25,500.01. Window 30, cancelled 25 days later:
# (30 - 25)/30 = 1/6 exactly; 51,000.03 / 6 = 8,500.005 -> a tie -> 8,500.00 (0 is even). (A
# 28-digit 0.1666...67 would give 8,500.005000...01 -> 8,500.01.) By grosses 25,500.02 : 25,500.01:
# 4,250.00008 / 4,249.99992 -> floors 4,250.00 + 4,249.99 = 8,499.99; the cent to the larger
# remainder (selling, 0.99992): 4,250.00 / 4,250.00.
C("the pro-rata fraction is exact: 1/6 of 51,000.03 is a half-cent tie, rounded half-even",
  plan("venda-fixa-30", fixed("51000.03"), {"then": then(("agency", "50%"), ("selling_broker", "50%"))},
       clawback={"window_days": 30, "mode": "pro_rata"}),
  deal("850000.00", [agency(), selling()]), "2026-05-29",
  {"days_elapsed": 25, "within_window": True, "fraction": Fraction(1, 6), "participants": [0, 1],
   "back": ["4250.00", "4250.00"], "net_back": ["4250.00", "4250.00"], "taxes_back": [[], []],
   "total_gross": "-8500.00", "pool": "51000.03", "gross": ["25500.02", "25500.01"]}, anchor=True)
C("a cancellation dated before the closing is refused", P6_FULL, deal("850000.00", ALS3), "2026-05-03",
  {"error": DATE_ORDER})
# 89 days: 1/90 of 51,000.00 = 566.666... -> 566.67; by 5:2:3: 283.335 / 113.334 / 170.001 ->
# floors 283.33 + 113.33 + 170.00 = 566.66; the cent to the agency (0.5 cent remainder).
C("pro-rata on the window's second-to-last day: 1/90 comes back, odd cent by largest remainder", P6_PRO,
  deal("850000.00", ALS3), "2026-08-01",
  {"days_elapsed": 89, "fraction": Fraction(1, 90), "back": ["283.34", "113.33", "170.00"],
   "total_gross": "-566.67"})
# paid half of bruno's 15,300.00: back 7,650.00, IRRF 3,298.77 x 1/2 = 1,649.385 -> 1,649.38
C("partial payment: the withholding comes back in proportion to the part reversed", P6_FULL,
  deal("850000.00", ALS3), "2026-06-03",
  {"back": ["25500.00", "10200.00", "7650.00"],
   "taxes_back": [[("ISS", "1275.00")], [("IRRF", "1896.27")], [("IRRF", "1649.38")]],
   "net_back": ["24225.00", "8303.73", "6000.62"]}, table=w(*T_STD), paid=["25500.00", "10200.00", "7650.00"])
C("a lease placement fee without closed_on is clawed back from the as_of date",
  plan("locacao-agencia", first_rent(), {"then": then(("agency", "100%"))}, applies_to="lease",
       clawback={"window_days": 30, "mode": "full"}),
  deal("4200.00", [agency()], kind="lease", closed_on=None, proposed_on="2026-02-01"), "2026-02-20",
  {"days_elapsed": 19, "within_window": True, "fraction": "1", "back": ["4200.00"], "total_gross": "-4200.00"},
  context=ctx("2026-02-01"))
C("nothing paid yet: within the window but no line gives anything back", P6_FULL, deal("850000.00", ALS3),
  "2026-06-03", {"within_window": True, "back": [], "total_gross": "0.00"}, paid=["0.00", "0.00", "0.00"])
# Pool 51,000.09, window 30, cancelled 5 days later: (30 - 5)/30 = 5/6 exactly;
# 51,000.09 x 5/6 = 255,000.45 / 6 = 42,500.075, a tie -> 42,500.08 (7 is odd). (A 28-digit
# 0.8333...33 would give 42,500.07499... -> 42,500.07: the approximation errs the other way.)
C("the pro-rata fraction is exact: 5/6 of 51,000.09 is a half-cent tie, rounded half-even up",
  plan("venda-fixa-30b", fixed("51000.09"), {"then": then(("agency", "50%"), ("selling_broker", "50%"))},
       clawback={"window_days": 30, "mode": "pro_rata"}),
  deal("850000.00", [agency(), selling()]), "2026-05-09",
  {"days_elapsed": 5, "within_window": True, "fraction": Fraction(5, 6), "total_gross": "-42500.08",
   "pool": "51000.09", "gross": ["25500.05", "25500.04"]})

# --- plan and withholding-table validation ---------------------------------------------------------

FULL_PLAN = plan("horizonte-venda-2026",
                 tiered("marginal", ("0", "1000000", "6%"), ("1000000", None, "5%")),
                 {"first": [top("partner_agency", "50%")], **SPLIT_50_20_30},
                 accelerators=[{"role": "selling_broker", "from_volume": "3000000", "share": "35%"}],
                 limits=[{"role": "selling_broker", "min": "500.00", "max": "40000.00"}],
                 clawback={"window_days": 90, "mode": "pro_rata"})
P("a valid plan with the standard withholding table", p6(), [], table=w(*T_STD))
P("a valid plan using every feature (the plan documentation's example)", FULL_PLAN, [])
P("a valid lease plan with an administration split", LEASE_SPLIT_ADM, [])
P("blank id", plan("", pct("6%"), SPLIT_50_20_30), [("id", REQUIRED)])
P("an id of whitespace only is blank", plan(" \t", pct("6%"), SPLIT_50_20_30), [("id", REQUIRED)])
P("a pool rate of 650% (\"6.5\" is a fraction)", plan("venda", pct("6.5"), SPLIT_50_20_30), [("pool.rate", RATE_RANGE)])
P("a negative pool rate", plan("venda", pct("-1%"), SPLIT_50_20_30), [("pool.rate", RATE_RANGE)])
P("a fixed pool of zero", plan("venda", fixed("0.00"), SPLIT_50_20_30), [("pool.amount", NUMBER_RANGE)])
P("a negative fixed pool", plan("venda", fixed("-100.00"), SPLIT_50_20_30), [("pool.amount", NUMBER_RANGE)])
P("no tiers at all", plan("venda", tiered("flat"), SPLIT_50_20_30), [("pool.tiers", TIER_GAP)])
P("a gap between tiers (500,000 to 600,000 would pay zero)",
  plan("venda", tiered("flat", ("0", "500000", "6%"), ("600000", None, "5%")), SPLIT_50_20_30),
  [("pool.tiers[1].from", TIER_GAP)])
P("overlapping tiers",
  plan("venda", tiered("marginal", ("0", "500000", "6%"), ("400000", None, "5%")), SPLIT_50_20_30),
  [("pool.tiers[1].from", TIER_OVERLAP)])
P("the first tier does not start at zero",
  plan("venda", tiered("flat", ("100", "500000", "6%"), ("500000", None, "5%")), SPLIT_50_20_30),
  [("pool.tiers[0].from", TIER_GAP)])
P("the last tier is not open-ended",
  plan("venda", tiered("flat", ("0", "500000", "6%"), ("500000", "1000000", "5%")), SPLIT_50_20_30),
  [("pool.tiers[1].to", TIER_GAP)])
P("a tier whose upper bound equals its lower bound",
  plan("venda", tiered("flat", ("0", "500000", "6%"), ("500000", "500000", "5%"), ("500000", None, "4%")),
       SPLIT_50_20_30),
  [("pool.tiers[1].to", TIER_OVERLAP)])
P("a tier after an open-ended one",
  plan("venda", tiered("marginal", ("0", None, "6%"), ("500000", None, "5%")), SPLIT_50_20_30),
  [("pool.tiers[1].from", TIER_OVERLAP)])
P("a tier rate above 100%",
  plan("venda", tiered("flat", ("0", "500000", "6%"), ("500000", None, "150%")), SPLIT_50_20_30),
  [("pool.tiers[1].rate", RATE_RANGE)])
P("a gap and a closed last tier: both reported, in document order",
  plan("venda", tiered("flat", ("0", "500000", "6%"), ("600000", "1000000", "5%")), SPLIT_50_20_30),
  [("pool.tiers[1].from", TIER_GAP), ("pool.tiers[1].to", TIER_GAP)])
P("shares of the remainder summing to 90%",
  plan("venda", pct("6%"), {"then": then(("agency", "50%"), ("listing_broker", "20%"), ("selling_broker", "20%"))}),
  [("split.then", SHARES_SUM)])
P("shares of the remainder summing to 100.01%",
  plan("venda", pct("6%"), {"then": then(("agency", "50%"), ("listing_broker", "20%"), ("selling_broker", "30.01%"))}),
  [("split.then", SHARES_SUM)])
P("shares of 120% and -20% sum to 100% but each is out of range",
  plan("venda", pct("6%"), {"then": then(("agency", "120%"), ("selling_broker", "-20%"))}),
  [("split.then[0].share", RATE_RANGE), ("split.then[1].share", RATE_RANGE)])
P("percentage shares off the top above 100% of the pool",
  plan("venda", pct("6%"), {"first": [top("partner_agency", "60%"), top("referral", "50%")], **SPLIT_50_20_30}),
  [("split.first", SHARES_SUM)])
P("a negative percentage off the top",
  plan("venda", pct("6%"), {"first": [top("partner_agency", "-10%")], **SPLIT_50_20_30}),
  [("split.first[0].percent_of_pool", RATE_RANGE)])
P("a top share with neither percent_of_pool nor fixed",
  plan("venda", pct("6%"), {"first": [top("partner_agency")], **SPLIT_50_20_30}),
  [("split.first[0]", SHARE_KIND)])
P("a top share with both percent_of_pool and fixed",
  plan("venda", pct("6%"), {"first": [top("partner_agency", "10%", "100.00")], **SPLIT_50_20_30}),
  [("split.first[0]", SHARE_KIND)])
P("a role twice in the remainder's shares",
  plan("venda", pct("6%"), {"then": then(("agency", "50%"), ("selling_broker", "30%"), ("agency", "20%"))}),
  [("split.then[2].role", ROLE_DUPLICATE)])
P("a role both off the top and in the remainder",
  plan("venda", pct("6%"), {"first": [top("selling_broker", fixed_="100.00")], **SPLIT_50_20_30}),
  [("split.then[2].role", ROLE_DUPLICATE)])
P("a role twice off the top",
  plan("venda", pct("6%"), {"first": [top("partner_agency", "10%"), top("partner_agency", fixed_="100.00")],
                            **SPLIT_50_20_30}),
  [("split.first[1].role", ROLE_DUPLICATE)])
P("an accelerator for a role without a share of the remainder",
  p6(accelerators=[{"role": "referral", "from_volume": "1000000", "share": "10%"}]),
  [("accelerators[0].share", ACCELERATOR)])
P("an accelerator for the house role",
  p6(accelerators=[{"role": "agency", "from_volume": "1000000", "share": "60%"}]),
  [("accelerators[0].share", ACCELERATOR)])
P("an accelerator that lowers the share (25% < 30%)",
  p6(accelerators=[{"role": "selling_broker", "from_volume": "1000000", "share": "25%"}]),
  [("accelerators[0].share", ACCELERATOR)])
P("an accelerator whose increase (55%) exceeds the house share (50%)",
  p6(accelerators=[{"role": "selling_broker", "from_volume": "1000000", "share": "85%"}]),
  [("accelerators[0].share", ACCELERATOR)])
P("an accelerator whose increase equals the house share is valid",
  p6(accelerators=[{"role": "selling_broker", "from_volume": "1000000", "share": "80%"}]), [])
P("an accelerator share above 100%: out of range, and an increase the house cannot fund",
  p6(accelerators=[{"role": "selling_broker", "from_volume": "1000000", "share": "120%"}]),
  [("accelerators[0].share", RATE_RANGE), ("accelerators[0].share", ACCELERATOR)])
P("a cap below the minimum", p6(limits=[{"role": "selling_broker", "min": "5000.00", "max": "1000.00"}]),
  [("limits[0].max", CAP_BELOW_MINIMUM)])
P("a negative minimum", p6(limits=[{"role": "selling_broker", "min": "-1.00", "max": "1000.00"}]),
  [("limits[0].min", MONEY_NEGATIVE)])
P("a negative cap", p6(limits=[{"role": "selling_broker", "max": "-1.00"}]), [("limits[0].max", MONEY_NEGATIVE)])
P("a limit on the house role", p6(limits=[{"role": "agency", "max": "1000.00"}]),
  [("limits[0].role", ROLE_DUPLICATE)])
P("two limits for one role",
  p6(limits=[{"role": "selling_broker", "max": "10000.00"}, {"role": "selling_broker", "min": "500.00"}]),
  [("limits[1].role", ROLE_DUPLICATE)])
P("a first-rent pool on a sale plan", plan("venda", first_rent(), SPLIT_50_20_30), [("pool.type", POOL_KIND)])
P("an administration fee on a sale plan", p6(administration={"rate": "10%"}), [("administration", POOL_KIND)])
P("an administration rate above 100%",
  plan("locacao", first_rent(), LEASE_SPLIT, applies_to="lease", administration={"rate": "120%"}),
  [("administration.rate", RATE_RANGE)])
P("a clawback window of zero days", p6(clawback={"window_days": 0, "mode": "full"}),
  [("clawback.window_days", NUMBER_RANGE)])
P("vacant_share_to naming a role with no share of the remainder", p6(vacant_share_to="referral"),
  [("vacant_share_to", ROLE_UNFILLED)])
P("vacant_share_to naming a role of the remainder is valid", p6(vacant_share_to="agency"), [])
P("several problems are all reported, in document order",
  plan("", pct("6%"), SPLIT_50_20_30, clawback={"window_days": 0, "mode": "pro_rata"}),
  [("id", REQUIRED), ("clawback.window_days", NUMBER_RANGE)])
P("the plan's problems come before the withholding table's",
  plan("venda", pct("150%"), SPLIT_50_20_30),
  [("pool.rate", RATE_RANGE), ("withholding[0].rate", RATE_RANGE)],
  table=[{"tax": "IRRF", "valid_from": "2020-01-01", "rate": "150%"}])
P("withholding: a blank tax name", p6(), [("withholding[0].tax", REQUIRED)],
  table=[{"tax": " ", "valid_from": "2020-01-01", "rate": "1.5%"}])
P("withholding: neither a rate nor brackets", p6(), [("withholding[0]", WH_RULE)],
  table=[{"tax": "IRRF", "valid_from": "2020-01-01"}])
P("withholding: both a rate and brackets", p6(), [("withholding[0]", WH_RULE)],
  table=[{"tax": "IRRF", "valid_from": "2020-01-01", "rate": "1.5%",
          "brackets": [{"up_to": "2000.00", "rate": "0%"}, {"rate": "10%"}]}])
P("withholding: a bracket that does not rise", p6(), [("withholding[0].brackets[1].up_to", WH_BRACKETS)],
  table=[{"tax": "IRRF", "valid_from": "2020-01-01",
          "brackets": [{"up_to": "1000.00", "rate": "0%"}, {"up_to": "1000.00", "rate": "10%"}, {"rate": "20%"}]}])
P("withholding: the first bracket's up_to is not above zero", p6(), [("withholding[0].brackets[0].up_to", WH_BRACKETS)],
  table=[{"tax": "IRRF", "valid_from": "2020-01-01", "brackets": [{"up_to": "0", "rate": "0%"}, {"rate": "10%"}]}])
P("withholding: an open bracket that is not the last (reported at the open bracket)", p6(),
  [("withholding[0].brackets[1].up_to", WH_BRACKETS)],
  table=[{"tax": "IRRF", "valid_from": "2020-01-01",
          "brackets": [{"up_to": "2000.00", "rate": "0%"}, {"rate": "7.5%"}, {"up_to": "4000.00", "rate": "15%"}]}])
P("withholding: brackets that fall", p6(), [("withholding[0].brackets[1].up_to", WH_BRACKETS)],
  table=[{"tax": "IRRF", "valid_from": "2020-01-01",
          "brackets": [{"up_to": "3000.00", "rate": "7.5%"}, {"up_to": "2000.00", "rate": "15%"}, {"rate": "27.5%"}]}])
P("withholding: a negative deduction", p6(), [("withholding[0].brackets[1].deduction", MONEY_NEGATIVE)],
  table=[{"tax": "IRRF", "valid_from": "2020-01-01",
          "brackets": [{"up_to": "2000.00", "rate": "0%"}, {"rate": "7.5%", "deduction": "-10.00"}]}])
P("withholding: a negative min_gross", p6(), [("withholding[0].min_gross", MONEY_NEGATIVE)],
  table=[{"tax": "INSS", "valid_from": "2020-01-01", "rate": "11%", "min_gross": "-1.00"}])
P("withholding: a negative min_tax", p6(), [("withholding[0].min_tax", MONEY_NEGATIVE)],
  table=[{"tax": "IRRF", "valid_from": "2020-01-01", "rate": "1.5%", "min_tax": "-10.00"}])
P("withholding: valid_until equal to valid_from", p6(), [("withholding[0].valid_until", DATE_ORDER)],
  table=[{"tax": "ISS", "valid_from": "2026-01-01", "valid_until": "2026-01-01", "rate": "5%"}])
P("withholding: valid_until before valid_from", p6(), [("withholding[0].valid_until", DATE_ORDER)],
  table=[{"tax": "ISS", "valid_from": "2026-01-01", "valid_until": "2025-01-01", "rate": "5%"}])
P("withholding: the same tax twice (names compared case-insensitively) for the same recipients", p6(),
  [("withholding[1]", WH_OVERLAP)],
  table=[w(IRRF_PJ)[0], {"tax": "irrf", "recipient": "company", "roles": ["partner_agency"],
                         "valid_from": "2026-01-01", "rate": "1%"}])
P("withholding: dated rules that overlap by one day", p6(), [("withholding[1]", WH_OVERLAP)],
  table=[w(ISS_2_UNTIL_2026)[0], {"tax": "ISS", "roles": ["agency"], "valid_from": "2025-12-31", "rate": "5%"}])
P("withholding: dated rules that meet (valid_until is exclusive) do not overlap", p6(), [],
  table=w(ISS_2_UNTIL_2026, ISS_5_FROM_2026))
P("withholding: the same tax for companies and for individuals does not overlap", p6(), [],
  table=w(IRRF_PJ, IRPF_2025))
P("withholding: the same tax for disjoint roles does not overlap", p6(), [],
  table=[w(ISS_5)[0], {"tax": "ISS", "roles": ["partner_agency"], "valid_from": "2025-01-01", "rate": "2%"}])
P("withholding: a rule for any role overlaps one for the agency", p6(), [("withholding[1]", WH_OVERLAP)],
  table=[w(ISS_5)[0], {"tax": "ISS", "valid_from": "2025-01-01", "rate": "2%"}])
P("withholding: a rule for any recipient overlaps one for companies", p6(), [("withholding[1]", WH_OVERLAP)],
  table=[w(IRRF_PJ)[0], {"tax": "IRRF", "roles": ["referral"], "valid_from": "2020-01-01", "rate": "1.5%"}])
P("withholding: a bracket rate above 100%", p6(), [("withholding[0].brackets[1].rate", RATE_RANGE)],
  table=[{"tax": "IRRF", "valid_from": "2020-01-01", "brackets": [{"up_to": "2000.00", "rate": "0%"}, {"rate": "150%"}]}])
P("withholding: a negative flat rate", p6(), [("withholding[0].rate", RATE_RANGE)],
  table=[{"tax": "IRRF", "valid_from": "2020-01-01", "rate": "-1.5%"}])
P("withholding: the second rule's problem carries its index", p6(), [("withholding[1]", WH_RULE)],
  table=[w(IRRF_PJ)[0], {"tax": "ISS", "roles": ["agency"], "valid_from": "2025-01-01", "rate": "5%",
                         "brackets": [{"up_to": "1000.00", "rate": "2%"}, {"rate": "5%"}]}])
P("withholding: a negative first up_to", p6(), [("withholding[0].brackets[0].up_to", WH_BRACKETS)],
  table=[{"tax": "IRRF", "valid_from": "2020-01-01", "brackets": [{"up_to": "-100.00", "rate": "0%"}, {"rate": "10%"}]}])


# ---------------------------------------------------------------------------------------------
# Expected outcomes in JSON form, and the hand checks
# ---------------------------------------------------------------------------------------------

NOTABLE_TRAIL = {"capped", "raised_to_minimum", "limits_settled", "accelerated", "accelerator_funded",
                 "vacant_share_received", "equal_share"}


def line_json(ln: dict, with_trail: bool) -> dict:
    out = {"participant": ln["participant"], "role": ln["role"], "gross": fmt(ln["gross"]),
           "withholdings": [{"tax": t, "amount": fmt(a)} for t, a in ln["withholdings"]],
           "net": fmt(ln["net"])}
    notable = [t for t in dict.fromkeys(ln["trail"]) if t in NOTABLE_TRAIL]
    if with_trail and notable:
        out["trail_has"] = notable
    return out


def statement_json(st: dict) -> dict:
    lines = st["lines"]
    out = {"pool": fmt(st["pool"]), "date": st["date"].isoformat()}
    if "top_share_skipped" in st["pool_trail"]:
        out["pool_trail_has"] = ["top_share_skipped"]
    out["lines"] = [line_json(ln, True) for ln in lines]
    withheld = sum(a for ln in lines for _, a in ln["withholdings"])
    out["total_withheld"] = fmt(withheld)
    out["total_net"] = fmt(sum(ln["net"] for ln in lines))
    assert sum(ln["gross"] for ln in lines) == st["pool"]
    assert all(ln["net"] == ln["gross"] - sum(a for _, a in ln["withholdings"]) for ln in lines)
    assert st["pool"] - withheld == sum(ln["net"] for ln in lines)
    return out


def fraction_json(x: Fraction) -> dict:
    text = dec_text(x)
    if text is not None:
        return {"fraction": text}
    return {"fraction_ratio": f"{x.numerator}/{x.denominator}"}


def run(op: str, inputs: dict) -> dict:
    try:
        if op == "validate_plan":
            return {"errors": [{"path": p, "code": c} for p, c in validate(inputs["plan"], inputs["withholding"])]}
        errs = validate(inputs["plan"], inputs["withholding"])
        assert not errs, f"the plan of a {op} case must be valid: {errs}"
        if op == "statement":
            return statement_json(statement(inputs["plan"], inputs["withholding"], inputs["deal"], inputs["context"]))
        if op == "administration":
            ad = administration(inputs["plan"], inputs["withholding"], inputs["deal"], inputs["receipt"])
            out = {k: ad[k] for k in ("days", "days_in_month")}
            out.update({k: fmt(ad[k]) for k in ("rent_due", "rent_received", "fee")})
            out["lines"] = [line_json(ln, False) for ln in ad["lines"]]
            out["total_withheld"] = fmt(sum(a for ln in ad["lines"] for _, a in ln["withholdings"]))
            out["landlord_net"] = fmt(ad["landlord_net"])
            assert sum(ln["gross"] for ln in ad["lines"]) == ad["fee"]
            return out
        if op == "clawback":
            st = statement(inputs["plan"], inputs["withholding"], inputs["deal"], inputs["context"])
            rv = clawback(inputs["plan"], st, inputs["cancelled_on"], inputs.get("paid"))
            rev = {"days_elapsed": rv["days_elapsed"], "within_window": rv["within_window"],
                   **fraction_json(rv["fraction"]),
                   "lines": [line_json(ln, False) for ln in rv["lines"]],
                   "total_gross": fmt(rv["total_gross"])}
            for ln in rv["lines"]:  # reversals are never positive, and never exceed the line
                orig = next(x for x in st["lines"] if x["participant"] == ln["participant"])
                assert -orig["gross"] <= ln["gross"] < 0
            return {"statement": statement_json(st), "reversal": rev}
        raise AssertionError(op)
    except Fail as e:
        return e.expect()


def check_hand(cid: str, op: str, expect: dict, hand, anchor: bool):
    """The hand-written outcome must agree with the rules."""
    def fail(what, want, got):
        raise SystemExit(f"HAND CHECK FAILED [{cid}] {what}: hand {want!r}, rules {got!r}")

    def same_money(what, want, got):
        if want is not None and Decimal(want) != Decimal(got):
            fail(what, want, got)

    if op == "validate_plan":
        want = [{"path": p, "code": c} for p, c in hand]
        if expect != {"errors": want}:
            fail("errors", want, expect)
        return
    if "errors" in hand:
        want = {"errors": [{"path": p, "code": c} for p, c in hand["errors"]]}
        if expect != want:
            fail("errors", want, expect)
        return
    if "error" in hand:
        if expect != {"error": hand["error"]}:
            fail("error", hand["error"], expect)
        return
    if "error" in expect or "errors" in expect:
        fail("outcome", hand, expect)
    body = expect["reversal"] if op == "clawback" else expect
    stmt = expect.get("statement", expect)
    lines = body["lines"]
    full_keys = {
        "statement": {"pool", "date", "gross", "net", "taxes", "total_withheld", "total_net"},
        "administration": {"days", "days_in_month", "rent_due", "rent_received", "fee", "participants", "gross",
                           "taxes", "net", "total_withheld", "landlord_net"},
        "clawback": {"days_elapsed", "within_window", "fraction", "participants", "back", "net_back",
                     "taxes_back", "total_gross"},
    }[op]
    if anchor and not full_keys <= set(hand):
        raise SystemExit(f"ANCHOR [{cid}] does not give the whole outcome: missing {full_keys - set(hand)}")
    for key, want in hand.items():
        if key in ("pool", "total_withheld", "total_net", "rent_due", "rent_received", "fee", "landlord_net",
                   "total_gross"):
            src = stmt if key == "pool" else body
            same_money(key, want, src[key])
        elif key in ("date",):
            if stmt["date"] != want:
                fail(key, want, stmt["date"])
        elif key in ("days", "days_in_month", "days_elapsed", "within_window"):
            if body[key] != want:
                fail(key, want, body[key])
        elif key == "fraction":
            got = body.get("fraction") or body.get("fraction_ratio")
            wantx = want if isinstance(want, Fraction) else Fraction(Decimal(want))
            gotx = Fraction(Decimal(got)) if "fraction" in body else Fraction(got)
            if wantx != gotx:
                fail(key, want, got)
        elif key == "participants":
            if [ln["participant"] for ln in lines] != want:
                fail(key, want, [ln["participant"] for ln in lines])
        elif key in ("gross", "net"):
            src = stmt["lines"] if (op == "clawback") else lines
            if len(want) != len(src):
                fail(key, want, [ln[key] for ln in src])
            for k, x in enumerate(want):
                same_money(f"{key}[{k}]", x, src[k][key])
        elif key in ("back", "net_back"):
            field = "gross" if key == "back" else "net"
            if len(want) != len(lines):
                fail(key, want, [ln[field] for ln in lines])
            for k, x in enumerate(want):
                same_money(f"{key}[{k}]", "-" + x, lines[k][field])
        elif key in ("taxes", "taxes_back"):
            if len(want) != len(lines):
                fail(key, want, lines)
            for k, x in enumerate(want):
                if x is None:
                    continue
                got = [(t["tax"], Decimal(t["amount"])) for t in lines[k]["withholdings"]]
                sign = "-" if key == "taxes_back" else ""
                if got != [(t, Decimal(sign + a)) for t, a in x]:
                    fail(f"{key}[{k}]", x, got)
        elif key == "trail_has":
            for k, x in enumerate(want):
                if sorted(x) != sorted(lines[k].get("trail_has", [])):
                    fail(f"trail_has[{k}]", x, lines[k].get("trail_has"))
        elif key == "pool_trail_has":
            if stmt.get("pool_trail_has") != want:
                fail(key, want, stmt.get("pool_trail_has"))
        else:
            raise SystemExit(f"[{cid}] unknown hand key {key}")


# ---------------------------------------------------------------------------------------------
# Self-checks that the vectors catch approximations
# ---------------------------------------------------------------------------------------------


def approximation_checks():
    # A 1/6 weight rounded to 7 places changes the 1,000,000.00 split.
    exact = allocate(100_000_000, [Fraction(1, 2)] + [Fraction(1, 6)] * 3)
    approx = allocate(100_000_000, [Fraction(1, 2)] + [Fraction(Decimal("0.1666667"))] * 3)
    assert exact == [50_000_000, 16_666_667, 16_666_667, 16_666_666], exact
    assert approx != exact, "the 1/6 vector would not catch rounded weights"
    # A 1/6 fraction as a 28-significant-digit decimal changes the clawback target.
    with localcontext() as c:
        c.prec = 28
        sixth = Decimal(1) / Decimal(6)
    assert round_cents(Fraction(5_100_003, 100) * Fraction(1, 6)) == 850_000
    assert round_cents(Fraction(5_100_003, 100) * Fraction(sixth)) == 850_001
    with localcontext() as c:
        c.prec = 28
        five_sixths = Decimal(25) / Decimal(30)
    assert round_cents(Fraction(5_100_009, 100) * Fraction(5, 6)) == 4_250_008
    assert round_cents(Fraction(5_100_009, 100) * Fraction(five_sixths)) == 4_250_007
    # Rounding each marginal slice would lose the cent.
    assert round_cents(Fraction(Decimal("5000.005"))) + round_cents(Fraction(Decimal("0.0045"))) == 500_000


# ---------------------------------------------------------------------------------------------


def fill_ids(cid: str, inputs: dict):
    d = inputs.get("deal")
    if d is not None:
        d["id"] = uid(f"deal:{cid}")
        d["lead_id"] = uid(f"lead:{cid}")
        d["property_id"] = uid(f"property:{cid}")


def build() -> dict:
    approximation_checks()
    groups = [("statement", "stmt", STATEMENTS), ("administration", "admin", ADMINISTRATIONS),
              ("clawback", "claw", CLAWBACKS), ("validate_plan", "plan", PLANS)]
    cases = []
    for op, prefix, specs in groups:
        for n, (note, inputs, hand, anchor) in enumerate(specs, 1):
            cid = f"{prefix}-{n:03d}"
            inputs = copy.deepcopy(inputs)
            fill_ids(cid, inputs)
            expects_error = op == "validate_plan" or "error" in hand or "errors" in hand
            if "deal" in inputs and not expects_error:
                assert deal_is_valid(inputs["deal"]), f"[{cid}] the deal breaks the deal record's own rules"
            expect = run(op, inputs)
            check_hand(cid, op, expect, hand, anchor)
            case = {"id": cid, "operation": op, "note": note, **inputs, "expect": expect}
            if anchor:
                case["anchor"] = True
            cases.append(case)
    codes = set()
    for c in cases:
        ex = c["expect"]
        codes.update(e["code"] for e in ex.get("errors", []))
        if "error" in ex:
            codes.add(ex["error"])
    missing = [c for c in ALL_CODES if c not in codes]
    assert not missing, f"codes without a case: {missing}"
    assert len({c["id"] for c in cases}) == len(cases)
    return {
        "format": 1,
        "description": (
            "Shared commission-engine vectors for realestate-crm: pools (percentage, fixed, flat and "
            "marginal tiers, first rent), splits (shares off the top, roles, vacant shares, equal shares "
            "under art. 728, accelerators, caps and minimums), dated withholding, lease administration, "
            "clawbacks, and plan/withholding-table validation. Generated by "
            "tests/vectors/tools/make_commission_vectors.py with exact arithmetic; see "
            "tests/vectors/README.md, section commission.json."
        ),
        "cases": cases,
    }


def render(doc: dict) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = render(build())
    if "--check" in argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is out of date: run python3 tests/vectors/tools/make_commission_vectors.py",
                  file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(OUT.parent.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
