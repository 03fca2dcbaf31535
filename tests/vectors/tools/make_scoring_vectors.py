#!/usr/bin/env python3
"""Writes tests/vectors/scoring.json: the shared vectors of lead scoring (crm_core::scoring).

The expected values in that file come from THIS file: an implementation of the scoring rules
(the contract summarised in tests/vectors/README.md, section "scoring.json") written
independently of the Rust core, in Python 3.11 with the standard library only. Points are
integer thousandths ("milli-points"); money and rates are exact fractions; the one irrational
quantity, the half-life factor 2^(-x), is evaluated in `decimal` at 60 significant digits by two
methods (Decimal power and exp(-x ln 2)) that must agree. It never reads the Rust code or its
output; the shipped default rule set (crm-core/src/scoring/default_rules.json) is read as data.
The valid_phone / valid_email / valid_document conditions reuse the validation rules of
make_vectors.py (the same rules as validation.json).

Checking, as in make_vectors.py:
  1. ANCHORS: cases whose outputs were worked out by hand (arithmetic in the comments next to
     each anchor); the script stops if its own rules disagree with any of them.
  2. Hand labels: every fit-condition case states whether a person expects the condition to
     hold, every rejected rule set states its full list of {path, code}; the script stops if
     its rules disagree.
  3. Robustness: a host evaluates 2^(-x) in binary floating point (about 1e-16 relative), so
     every decayed value p * 2^(-x) that is not exact must be at least 1e-9 milli-points away
     from a rounding boundary (.5); otherwise the script stops. Exact ties (.5) occur only at
     whole half-lives, where the factor is a power of two and every host computes it exactly.
  4. Coverage: every fit condition holds and fails in some case, every error code of the
     contract is produced, and each feature has a minimum number of cases.

Usage:
  python3 tests/vectors/tools/make_scoring_vectors.py          # (re)write scoring.json
  python3 tests/vectors/tools/make_scoring_vectors.py --check  # exit 1 if it is stale

Adding cases: append to the end of a feature's list so existing ids keep their meaning.
"""

from __future__ import annotations

import copy
import json
import sys
from datetime import datetime, timedelta, timezone
from decimal import ROUND_FLOOR, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
OUT_PATH = HERE.parent / "scoring.json"
DEFAULT_RULES_PATH = ROOT / "crm-core" / "src" / "scoring" / "default_rules.json"

sys.path.insert(0, str(HERE))
import make_vectors as mv  # noqa: E402  (the validation rules: phone, e-mail, CPF, CNPJ)

DAY = 86_400
MARGIN = Decimal("1e-9")  # milli-points: how far an inexact decayed value must be from a .5

REQUIRED = "validation.required"
RANGE = "validation.number.range"
DUPLICATE = "validation.scoring.duplicate"
GROUP_UNKNOWN = "validation.scoring.group_unknown"
CONDITION = "validation.scoring.condition"
WEIGHTS = "validation.scoring.weights"
BANDS = "validation.scoring.bands"
ERROR_CODES = [REQUIRED, RANGE, DUPLICATE, GROUP_UNKNOWN, CONDITION, WEIGHTS, BANDS]

SOURCE_KINDS = ["website", "referral", "walk_in", "phone_call", "social", "portal", "other"]
FIT_TYPES = ["budget_fits", "neighbourhood_match", "city_match", "property_type_match",
             "bedrooms_fit", "profile_complete", "valid_phone", "valid_email", "valid_document",
             "consent", "source", "portal_temperature", "timeline", "interest"]

# ---------------------------------------------------------------------------------------------
# Reading the JSON the Rust types read
# ---------------------------------------------------------------------------------------------


def milli(v) -> int:
    """Points (a JSON integer or a decimal string; floats are never written) in thousandths."""
    if isinstance(v, bool) or isinstance(v, float):
        raise TypeError(f"points must be an integer or a decimal string, not {v!r}")
    if isinstance(v, int):
        return v * 1000
    d = Decimal(v.strip()) * 1000
    if d != d.to_integral_value():
        raise ValueError(f"{v!r} has more than 3 decimals")
    return int(d)


def parse_money(v) -> tuple[Fraction, str]:
    if isinstance(v, dict):
        return Fraction(Decimal(v["amount"])), v.get("currency", "BRL")
    assert isinstance(v, str), v
    return Fraction(Decimal(v)), "BRL"


def parse_rate(v: str) -> Fraction:
    """Only the plain forms "0.1" and "10%" are used."""
    s = v.strip()
    if s.endswith("%"):
        return Fraction(Decimal(s[:-1].strip())) / 100
    return Fraction(Decimal(s))


def parse_time(s: str) -> datetime:
    t = datetime.fromisoformat(s.replace("Z", "+00:00"))
    assert t.tzinfo is not None, s
    return t


def age_seconds(now: datetime, at: datetime) -> int:
    """now - at in whole seconds, truncated toward zero (the vectors never use sub-second
    future times, where truncation and flooring would differ)."""
    d = now - at
    us = (d.days * DAY + d.seconds) * 10**6 + d.microseconds
    if us < 0:
        assert us % 10**6 == 0, "sub-second future activity: truncation is ambiguous there"
        return us // 10**6
    return us // 10**6


def blank(s: str | None) -> bool:
    return s is None or mv.trim(s) == ""


# Accents the contract folds (lower case; upper-case letters are lower-cased first).
FOLD = str.maketrans({
    "á": "a", "à": "a", "â": "a", "ã": "a", "ä": "a",
    "é": "e", "è": "e", "ê": "e", "ë": "e",
    "í": "i", "ì": "i", "î": "i", "ï": "i",
    "ó": "o", "ò": "o", "ô": "o", "õ": "o", "ö": "o",
    "ú": "u", "ù": "u", "û": "u", "ü": "u",
    "ç": "c", "ñ": "n",
})


def place_key(s: str) -> str:
    """Ignoring case, the listed accents and repeated/surrounding spaces."""
    return " ".join(w for w in s.lower().translate(FOLD).split(" ") if w)


def portal_key(name: str) -> str:
    """The portal's key (crm_core::domain::Portal, read tolerantly: case, accents, spaces and
    punctuation ignored for the known portals; any other portal keeps its trimmed name)."""
    k = "".join(c for c in name.lower().translate(FOLD) if c.isalnum())
    known = {"zap": "zap", "zapimoveis": "zap", "vivareal": "viva_real", "olx": "olx",
             "olximoveis": "olx", "quintoandar": "quinto_andar", "imovelweb": "imovelweb"}
    return known.get(k, mv.trim(name))


def parses(kind: str, value: str | None) -> bool:
    if value is None:
        return False
    return mv.evaluate(kind, value, {})["valid"]


def document_parses(value: str | None) -> bool:
    """A CPF or a CNPJ (the vectors use clear-cut values only: 11 or 14 characters)."""
    return parses("cpf", value) or parses("cnpj", value)


# ---------------------------------------------------------------------------------------------
# Fit conditions
# ---------------------------------------------------------------------------------------------


def fit_holds(when: dict, lead: dict, prop: dict | None, now: datetime) -> bool:
    t = when["type"]
    contact = lead["contact"]
    if t == "budget_fits":
        if prop is None:
            return False
        key = "sale_price" if lead.get("interest", "buy") == "buy" else "rent"
        if prop.get(key) is None:
            return False
        price, cur = parse_money(prop[key])
        budget = lead.get("budget", {})
        if budget.get("min") is None and budget.get("max") is None:
            return False
        ok = True
        if budget.get("min") is not None:
            m, c = parse_money(budget["min"])
            ok = ok and c == cur and price >= m
        if budget.get("max") is not None:
            m, c = parse_money(budget["max"])
            tol = parse_rate(when["tolerance"]) if when.get("tolerance") is not None else Fraction(0)
            ok = ok and c == cur and price <= m * (1 + tol)
        return ok
    if t in ("neighbourhood_match", "city_match"):
        if prop is None:
            return False
        field, wanted = (("neighbourhood", "wanted_neighbourhoods") if t == "neighbourhood_match"
                         else ("city", "wanted_cities"))
        have = place_key(prop["address"][field])
        return any(place_key(w) == have for w in lead.get(wanted, []))
    if t == "property_type_match":
        return prop is not None and prop["property_type"] in lead.get("property_types", [])
    if t == "bedrooms_fit":
        if prop is None:
            return False
        mb = lead.get("min_bedrooms")
        return mb is None or prop.get("bedrooms", 0) >= mb
    if t == "profile_complete":
        budget = lead.get("budget", {})
        count = sum([
            not blank(contact.get("email")),
            not blank(contact.get("phone")),
            not blank(contact.get("document")),
            budget.get("min") is not None or budget.get("max") is not None,
            bool(lead.get("wanted_cities")) or bool(lead.get("wanted_neighbourhoods")),
            bool(lead.get("property_types")),
            lead.get("min_bedrooms") is not None,
            lead.get("timeline", "unknown") != "unknown",
        ])
        return count >= when["min_fields"]
    if t == "valid_phone":
        return parses("phone", contact.get("phone"))
    if t == "valid_email":
        return parses("email", contact.get("email"))
    if t == "valid_document":
        return document_parses(contact.get("document"))
    if t == "consent":
        for c in lead.get("consents", []):
            if c["purpose"] != when["purpose"]:
                continue
            granted = parse_time(c["granted_at"])
            revoked = parse_time(c["revoked_at"]) if c.get("revoked_at") else None
            if granted <= now and (revoked is None or revoked > now):
                return True
        return False
    if t == "source":
        src = lead.get("source", {"type": "website"})
        if src["type"] in when.get("sources", []):
            return True
        return src["type"] == "portal" and portal_key(src["portal"]) in when.get("portals", [])
    if t == "portal_temperature":
        src = lead.get("source", {"type": "website"})
        return src["type"] == "portal" and src.get("temperature") == when["temperature"]
    if t == "timeline":
        return lead.get("timeline", "unknown") in when["timelines"]
    if t == "interest":
        return lead.get("interest", "buy") == when["interest"]
    raise ValueError(t)


# ---------------------------------------------------------------------------------------------
# Decay
# ---------------------------------------------------------------------------------------------


def pow2_neg(x: Fraction) -> Decimal:
    """2^(-x) for a rational x >= 0, to 60 digits, by two methods that must agree."""
    with localcontext() as ctx:
        ctx.prec = 60
        xd = Decimal(x.numerator) / Decimal(x.denominator)
        a = Decimal(2) ** (-xd)
        b = (-xd * Decimal(2).ln()).exp()
        assert abs(a - b) < Decimal("1e-50"), (x, a, b)
        # Third check for simple fractions: a^den == 2^(-num).
        if x.denominator <= 64:
            with localcontext() as c2:
                c2.prec = 80
                back = a ** x.denominator
                assert abs(back - Decimal(2) ** (-x.numerator)) < Decimal("1e-45"), x
        return +a


def round_half_away(v: Fraction) -> int:
    n = abs(v)
    f = n.numerator // n.denominator
    r = f + 1 if n - f >= Fraction(1, 2) else f
    return r if v >= 0 else -r


def decayed(p: int, age: int, decay: dict) -> int:
    """p milli-points of an activity `age` seconds old (age >= 0, the activity counts)."""
    if decay["type"] in ("none", "window"):
        return p
    x = Fraction(age, decay["days"] * DAY)
    if x.denominator == 1:
        # A whole number of half-lives: the factor is a power of two, exact everywhere, and a
        # tie (.5) is rounded away from zero.
        return round_half_away(Fraction(p, 2**x.numerator))
    v = Decimal(p) * pow2_neg(x)
    frac = abs(v) - abs(v).to_integral_value(rounding=ROUND_FLOOR)
    if abs(frac - Decimal("0.5")) < MARGIN:
        raise SystemExit(f"FRAGILE DECAY: {p} milli at {age} s (x = {x}) is {v}: change the case")
    r = int(abs(v).to_integral_value(rounding=ROUND_FLOOR)) + (1 if frac > Decimal("0.5") else 0)
    return r if v >= 0 else -r


def counts(age: int, decay: dict) -> bool:
    if age < 0:
        return False
    if decay["type"] == "window":
        return age <= decay["days"] * DAY
    return True


# ---------------------------------------------------------------------------------------------
# Engagement conditions
# ---------------------------------------------------------------------------------------------


def engagement_tally(rule: dict, acts: list[tuple[dict, int]], decay: dict) -> tuple[int, int, int]:
    """(matched, points, after_decay) of an engagement rule; acts are (activity, age)."""
    p = milli(rule["points"])
    when = rule["when"]
    t = when["type"]
    if t == "activity":
        matched = after = 0
        for a, age in acts:
            if a["kind"] in when["kinds"] and counts(age, decay):
                matched += 1
                after += decayed(p, age, decay)
        return matched, p * matched, after
    if t == "recency":
        limit = when["within_days"] * DAY
        hit = any(a["kind"] in when["kinds"] and 0 <= age <= limit for a, age in acts)
        return (1, p, p) if hit else (0, 0, 0)
    if t == "repeat_view":
        by_property: dict[str, list[int]] = {}
        for a, age in acts:
            if a["kind"] == "listing_view" and counts(age, decay):
                assert a.get("property_id"), "listing views in the vectors always name the property"
                by_property.setdefault(a["property_id"], []).append(age)
        matched = after = 0
        for ages in by_property.values():
            if len(ages) >= when["min_views"]:
                matched += 1
                after += decayed(p, min(ages), decay)
        return matched, p * matched, after
    raise ValueError(t)


# ---------------------------------------------------------------------------------------------
# Caps
# ---------------------------------------------------------------------------------------------


def scale(values: dict[int, int], target: int) -> dict[int, int]:
    """Positive values (rule index -> milli) scaled to sum to exactly `target`: floors of
    v*target/P, the leftover thousandths one each to the largest remainders v*target mod P,
    ties to the earlier rule."""
    total = sum(values.values())
    assert total > target >= 0 and all(v > 0 for v in values.values())
    out = {i: v * target // total for i, v in values.items()}
    rem = {i: v * target % total for i, v in values.items()}
    left = target - sum(out.values())
    assert 0 <= left < len(values)
    for i in sorted(values, key=lambda i: (-rem[i], i))[:left]:
        out[i] += 1
    assert sum(out.values()) == target
    return out


def apply_caps(section: dict, after: list[int]) -> tuple[list[int], int]:
    """after_caps of each rule and the section's score."""
    capped = list(after)
    rules = section["rules"]
    for g in section["groups"]:
        pos = {i: capped[i] for i, r in enumerate(rules) if r["group"] == g["name"] and capped[i] > 0}
        cap = milli(g["cap"])
        if sum(pos.values()) > cap:
            for i, v in scale(pos, cap).items():
                capped[i] = v
    cap = milli(section["cap"])
    pos = {i: v for i, v in enumerate(capped) if v > 0}
    P = sum(pos.values())
    N = sum(v for v in capped if v < 0)
    if P + N > cap:
        for i, v in scale(pos, cap - N).items():
            capped[i] = v
    score = max(0, min(min(P, cap - N) + N, cap))
    return capped, score


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------


def round_half_even(v: Fraction) -> int:
    f = v.numerator // v.denominator
    rem = v - f
    if rem > Fraction(1, 2) or (rem == Fraction(1, 2) and f % 2 == 1):
        return f + 1
    return f


def score(rs: dict, lead: dict, activities: list[dict], prop: dict | None, now_s: str) -> dict:
    """The expected outcome (milli-points) of a valid rule set."""
    now = parse_time(now_s)
    fit_s, eng_s = rs["fit"], rs["engagement"]
    decay = eng_s["decay"]
    tallies = []  # (rule, section, matched, points, after_decay)
    for r in fit_s["rules"]:
        hit = fit_holds(r["when"], lead, prop, now)
        p = milli(r["points"]) if hit else 0
        tallies.append((r, "fit", int(hit), p, p))
    acts = [(a, age_seconds(now, parse_time(a["at"]))) for a in activities]
    for r in eng_s["rules"]:
        m, p, d = engagement_tally(r, acts, decay)
        tallies.append((r, "engagement", m, p, d))
    nf = len(fit_s["rules"])
    fit_caps, fit = apply_caps(fit_s, [t[4] for t in tallies[:nf]])
    eng_caps, eng = apply_caps(eng_s, [t[4] for t in tallies[nf:]])
    after_caps = fit_caps + eng_caps
    F, E = milli(fit_s["cap"]), milli(eng_s["cap"])
    w = rs.get("weights", {"fit": 1, "engagement": 1})
    wf, we = milli(w["fit"]), milli(w["engagement"])
    total = round_half_even(Fraction(100000 * (wf * fit * E + we * eng * F), (wf + we) * F * E))
    total = max(0, min(total, 100000))
    band = next(b["name"] for b in rs["bands"] if total >= milli(b["min"]))
    order = sorted((i for i, t in enumerate(tallies) if t[2] >= 1),
                   key=lambda i: (-abs(after_caps[i]), i))
    reasons = [{"rule": tallies[i][0]["id"], "section": tallies[i][1], "group": tallies[i][0]["group"],
                "matched": tallies[i][2], "points": tallies[i][3], "after_decay": tallies[i][4],
                "after_caps": after_caps[i]} for i in order]
    return {"fit": fit, "engagement": eng, "score": total, "band": band, "reasons": reasons}


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


def validate(rs: dict) -> list[dict]:
    """Every problem, in the contract's order: id, fit section (cap, groups, rules: id,
    duplicate, group, points, condition), engagement section (same), decay, weights, bands."""
    errs: list[dict] = []

    def err(path: str, code: str) -> None:
        errs.append({"path": path, "code": code})

    if blank(rs["id"]):
        err("id", REQUIRED)
    rule_ids: set[str] = set()
    for sec in ("fit", "engagement"):
        s = rs[sec]
        if milli(s["cap"]) <= 0:
            err(f"{sec}.cap", RANGE)
        names: set[str] = set()
        for i, g in enumerate(s["groups"]):
            p = f"{sec}.groups[{i}]"
            if blank(g["name"]):
                err(f"{p}.name", REQUIRED)
            elif g["name"] in names:
                err(f"{p}.name", DUPLICATE)
            names.add(g["name"])
            if milli(g["cap"]) <= 0:
                err(f"{p}.cap", RANGE)
        for i, r in enumerate(s["rules"]):
            p = f"{sec}.rules[{i}]"
            if blank(r["id"]):
                err(f"{p}.id", REQUIRED)
            elif r["id"] in rule_ids:
                err(f"{p}.id", DUPLICATE)
            rule_ids.add(r["id"])
            if r["group"] not in names:
                err(f"{p}.group", GROUP_UNKNOWN)
            if milli(r["points"]) == 0:
                err(f"{p}.points", RANGE)
            w = r["when"]
            t = w["type"]
            if t == "profile_complete" and not 1 <= w["min_fields"] <= 8:
                err(f"{p}.when.min_fields", CONDITION)
            elif t == "source":
                if not w.get("sources") and not w.get("portals"):
                    err(f"{p}.when", CONDITION)
                for k, kind in enumerate(w.get("sources", [])):
                    if kind not in SOURCE_KINDS:
                        err(f"{p}.when.sources[{k}]", CONDITION)
            elif t == "timeline" and not w["timelines"]:
                err(f"{p}.when.timelines", CONDITION)
            elif t in ("activity", "recency"):
                if not w["kinds"]:
                    err(f"{p}.when.kinds", CONDITION)
                if t == "recency" and w["within_days"] == 0:
                    err(f"{p}.when.within_days", CONDITION)
            elif t == "repeat_view" and w["min_views"] < 2:
                err(f"{p}.when.min_views", CONDITION)
    d = rs["engagement"]["decay"]
    if d["type"] != "none" and d["days"] == 0:
        err("engagement.decay.days", RANGE)
    w = rs.get("weights", {"fit": 1, "engagement": 1})
    wf, we = milli(w["fit"]), milli(w["engagement"])
    if wf < 0 or we < 0 or (wf == 0 and we == 0):
        err("weights", WEIGHTS)
    bands = rs["bands"]
    if not bands:
        err("bands", BANDS)
    band_names: set[str] = set()
    for i, b in enumerate(bands):
        if blank(b["name"]):
            err(f"bands[{i}].name", REQUIRED)
        elif b["name"] in band_names:
            err(f"bands[{i}].name", DUPLICATE)
        band_names.add(b["name"])
        m = milli(b["min"])
        bad = not 0 <= m <= 100000
        bad = bad or (i > 0 and m >= milli(bands[i - 1]["min"]))
        bad = bad or (i == len(bands) - 1 and m != 0)
        if bad:
            err(f"bands[{i}].min", BANDS)
    return errs


# ---------------------------------------------------------------------------------------------
# Building inputs
# ---------------------------------------------------------------------------------------------

NOW = "2026-11-26T09:00:00Z"
NOW_T = parse_time(NOW)
CREATED = "2026-11-01T12:00:00Z"
LEAD_ID = "019a7c2e-1b00-7000-8000-00000000a001"


def uid(kind: int, n: int) -> str:
    return f"019a7c2e-{kind:04x}-7000-8000-{n:012x}"


def ts(t: datetime) -> str:
    t = t.astimezone(timezone.utc)
    if t.microsecond:
        return t.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def ago(days: float | Fraction = 0, seconds: float = 0) -> str:
    """A time `days` days and `seconds` seconds before NOW (negative: after NOW)."""
    us = Fraction(days) * DAY * 10**6 + Fraction(seconds) * 10**6
    assert us.denominator == 1
    return ts(NOW_T - timedelta(microseconds=int(us)))


def lead(**over) -> dict:
    """A buyer from the website with a valid e-mail, nothing else; `over` replaces fields
    (`contact` is merged)."""
    d = {"id": LEAD_ID,
         "contact": {"name": "Ana Souza", "email": "ana.souza@example.com.br"},
         "created_at": CREATED, "updated_at": CREATED}
    for k, v in over.items():
        if k == "contact":
            d["contact"] = {**d["contact"], **v}
            d["contact"] = {k2: v2 for k2, v2 in d["contact"].items() if v2 is not None}
        else:
            d[k] = v
    return d


def brl(amount: str) -> dict:
    return {"amount": amount, "currency": "BRL"}


def usd(amount: str) -> dict:
    return {"amount": amount, "currency": "USD"}


ADDRESSES = {
    "vila_mariana": {"cep": "04101-300", "street": "Rua Domingos de Morais", "number": "1200",
                     "neighbourhood": "Vila Mariana", "city": "São Paulo", "uf": "SP"},
    "itaim": {"cep": "04538-133", "street": "Avenida Brigadeiro Faria Lima", "number": "3400",
              "neighbourhood": "Itaim Bibi", "city": "São Paulo", "uf": "SP"},
    "floripa": {"cep": "88015-200", "street": "Rua Bocaiúva", "number": "150",
                "neighbourhood": "Centro", "city": "Florianópolis", "uf": "SC"},
}


def prop(n: int = 1, listing: str = "sale", ptype: str = "apartment", sale: dict | None = None,
         rent: dict | None = None, bedrooms: int = 2, address: str | dict = "vila_mariana") -> dict:
    d = {"id": uid(0x2000, n), "listing": listing, "property_type": ptype}
    if sale is not None:
        d["sale_price"] = sale
    if rent is not None:
        d["rent"] = rent
    d["bedrooms"] = bedrooms
    d["address"] = copy.deepcopy(ADDRESSES[address]) if isinstance(address, str) else address
    d["created_at"] = "2026-10-05T10:00:00Z"
    d["updated_at"] = "2026-10-05T10:00:00Z"
    return d


def P(n: int) -> str:
    """A property id for activities."""
    return uid(0x2000, n)


class Acts(list):
    """Activities of the lead, with sequential ids."""

    def add(self, kind: str, at: str, prop_n: int | None = None, times: int = 1) -> "Acts":
        for _ in range(times):
            a = {"id": uid(0x3000, len(self) + 1), "lead_id": LEAD_ID, "kind": kind, "at": at}
            if prop_n is not None:
                a["property_id"] = P(prop_n)
            self.append(a)
        return self


LISTING_KINDS = {"listing_view", "favourite", "visit_scheduled", "visit_done", "visit_no_show",
                 "proposal_sent"}


def ruleset(rid: str, fit_cap, fit_groups, fit_rules, eng_cap, decay, eng_groups, eng_rules,
            bands, weights=None) -> dict:
    rs = {"id": rid,
          "fit": {"cap": fit_cap, "groups": [{"name": n, "cap": c} for n, c in fit_groups],
                  "rules": [{"id": i, "group": g, "points": p, "when": w} for i, g, p, w in fit_rules]},
          "engagement": {"cap": eng_cap, "decay": decay,
                         "groups": [{"name": n, "cap": c} for n, c in eng_groups],
                         "rules": [{"id": i, "group": g, "points": p, "when": w} for i, g, p, w in eng_rules]}}
    if weights is not None:
        rs["weights"] = weights
    rs["bands"] = [{"name": n, "min": m} for n, m in bands]
    return rs


def probe_rules(when: dict) -> dict:
    """One fit rule worth 10 of a fit cap of 10; an unused engagement rule. A condition that
    holds gives fit 10, score 50 (band "hot", exactly at its threshold); else 0 ("cold")."""
    return ruleset("probe", 10, [("probe", 10)], [("probe", "probe", 10, when)],
                   10, {"type": "none"}, [("activity", 10)],
                   [("message", "activity", 2, {"type": "activity", "kinds": ["message"]})],
                   [("hot", 50), ("cold", 0)])


def activity(kinds: list[str]) -> dict:
    return {"type": "activity", "kinds": kinds}


def eng_rules(decay: dict) -> dict:
    """The engagement test rule set: no fit rule holds for the base lead (a buyer), generous
    group caps, engagement cap 100 (so score = engagement / 2 with fit 0)."""
    return ruleset(
        f"engagement-{decay['type']}", 10, [("intent", 10)],
        [("renter", "intent", 5, {"type": "interest", "interest": "rent"})],
        100, decay,
        [("browsing", 100), ("intent", 100), ("conversation", 100), ("negative", 1)],
        [("view", "browsing", 1, activity(["listing_view"])),
         ("browse", "browsing", "0.5", activity(["listing_view", "favourite"])),
         ("repeat", "intent", 5, {"type": "repeat_view", "min_views": 3}),
         ("visit", "intent", 10, activity(["visit_done"])),
         ("message", "conversation", 4, activity(["message"])),
         ("talked", "conversation", 5, {"type": "recency", "kinds": ["message", "call"], "within_days": 2}),
         ("visited_lately", "intent", 2, {"type": "recency", "kinds": ["visit_done"], "within_days": 30}),
         ("no_show", "negative", -10, activity(["visit_no_show"])),
         ("unsubscribed", "negative", -15, activity(["unsubscribed"]))],
        [("A", 40), ("B", 20), ("C", 0)])


NONE = {"type": "none"}
WINDOW7 = {"type": "window", "days": 7}
HALF14 = {"type": "half_life", "days": 14}


def load_default_rules() -> dict:
    return json.loads(DEFAULT_RULES_PATH.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------


class Spec:
    def __init__(self, feature: str, note: str, rules, lead_: dict | None = None,
                 activities: list | None = None, property_: dict | None = None,
                 label: bool | None = None, anchor: dict | None = None,
                 errors: list | None = None):
        self.feature, self.note, self.rules = feature, note, rules
        self.lead, self.activities, self.property = lead_, activities or [], property_
        self.label, self.anchor, self.errors = label, anchor, errors


def fit_spec(when: dict, label: bool, note: str, property_: dict | None = None, feature="fit",
             **lead_over) -> Spec:
    return Spec(feature, note, probe_rules(when), lead(**lead_over), [], property_, label=label)


BUDGET = {"type": "budget_fits"}
BUDGET10 = {"type": "budget_fits", "tolerance": "10%"}
SALE_650 = prop(sale=brl("650000.00"))
B500_600 = {"min": brl("500000.00"), "max": brl("600000.00")}

FIT_SPECS = [
    # budget_fits
    fit_spec(BUDGET, True, "price 550,000 within 500,000..600,000", prop(sale=brl("550000.00")),
             budget=B500_600),
    fit_spec(BUDGET, True, "price exactly at the minimum fits", prop(sale=brl("500000.00")), budget=B500_600),
    fit_spec(BUDGET, False, "0.01 below the minimum", prop(sale=brl("499999.99")), budget=B500_600),
    fit_spec(BUDGET, True, "price exactly at the maximum fits (no tolerance)", prop(sale=brl("600000.00")),
             budget=B500_600),
    fit_spec(BUDGET, False, "0.01 above the maximum, no tolerance", prop(sale=brl("600000.01")), budget=B500_600),
    fit_spec(BUDGET10, True, "tolerance 10%: 660,000 = 600,000 x 1.1 exactly fits", prop(sale=brl("660000.00")),
             budget=B500_600),
    fit_spec(BUDGET10, False, "tolerance 10%: 660,000.01 is above 600,000 x 1.1", prop(sale=brl("660000.01")),
             budget=B500_600),
    fit_spec(BUDGET, False, "no property: budget_fits needs one", None, budget=B500_600),
    fit_spec(BUDGET, False, "a budget with neither min nor max never fits", prop(sale=brl("550000.00")),
             budget={}),
    fit_spec(BUDGET, True, "open maximum: only the minimum applies", prop(sale=brl("2500000.00")),
             budget={"min": brl("500000.00")}),
    fit_spec(BUDGET, False, "price in USD, budget in BRL: currencies must match",
             prop(sale=usd("550000.00")), budget=B500_600),
    fit_spec(BUDGET, True, "a renter: the rent (4,200) is compared, not the sale price",
             prop(listing="sale_and_rent", sale=brl("900000.00"), rent=brl("4200.00")),
             interest="rent", budget={"min": brl("3000.00"), "max": brl("4500.00")}),
    fit_spec(BUDGET, False, "a renter and a listing with no rent: no price, no fit",
             prop(sale=brl("4000.00")), interest="rent", budget={"max": brl("4500.00")}),
    fit_spec(BUDGET, False, "a buyer and a listing for rent only: no sale price",
             prop(listing="rent", rent=brl("4200.00")), budget={"max": brl("600000.00")}),
    # neighbourhood_match / city_match
    fit_spec({"type": "neighbourhood_match"}, True, "'  VILA   MARIANA ' matches 'Vila Mariana'",
             prop(sale=brl("1.00")), wanted_neighbourhoods=["Pinheiros", "  VILA   MARIANA "]),
    fit_spec({"type": "neighbourhood_match"}, False, "Pinheiros is not Vila Mariana",
             prop(sale=brl("1.00")), wanted_neighbourhoods=["Pinheiros"]),
    fit_spec({"type": "neighbourhood_match"}, False, "no property", None,
             wanted_neighbourhoods=["Vila Mariana"]),
    fit_spec({"type": "neighbourhood_match"}, False, "a wanted city does not make a neighbourhood match",
             prop(sale=brl("1.00")), wanted_cities=["Vila Mariana"]),
    fit_spec({"type": "city_match"}, True, "'sao paulo' matches 'São Paulo' (accents and case ignored)",
             prop(sale=brl("1.00")), wanted_cities=["sao paulo"]),
    fit_spec({"type": "city_match"}, True, "'FLORIANOPOLIS' matches 'Florianópolis'",
             prop(sale=brl("1.00"), address="floripa"), wanted_cities=["Curitiba", "FLORIANOPOLIS"]),
    fit_spec({"type": "city_match"}, False, "Campinas is not São Paulo", prop(sale=brl("1.00")),
             wanted_cities=["Campinas"]),
    fit_spec({"type": "city_match"}, False, "no property", None, wanted_cities=["São Paulo"]),
    fit_spec({"type": "neighbourhood_match"}, True, "'JARDIM  PAULISTAÑO' (ñ folds to n, case ignored) "
             "matches 'Jardim Paulistano'",
             prop(sale=brl("1.00"), address={**ADDRESSES["vila_mariana"], "neighbourhood": "Jardim Paulistano",
                                              "cep": "01452-000"}),
             wanted_neighbourhoods=["JARDIM  PAULISTAÑO"]),
    # property_type_match
    fit_spec({"type": "property_type_match"}, True, "penthouse is among apartment, penthouse",
             prop(ptype="penthouse", sale=brl("1.00")), property_types=["apartment", "penthouse"]),
    fit_spec({"type": "property_type_match"}, False, "house is not among apartment, penthouse",
             prop(ptype="house", sale=brl("1.00")), property_types=["apartment", "penthouse"]),
    fit_spec({"type": "property_type_match"}, False, "the lead named no property type",
             prop(sale=brl("1.00"))),
    fit_spec({"type": "property_type_match"}, False, "no property", None, property_types=["apartment"]),
    # bedrooms_fit
    fit_spec({"type": "bedrooms_fit"}, True, "3 bedrooms, at least 3 wanted", prop(sale=brl("1.00"), bedrooms=3),
             min_bedrooms=3),
    fit_spec({"type": "bedrooms_fit"}, False, "2 bedrooms, at least 3 wanted", prop(sale=brl("1.00"), bedrooms=2),
             min_bedrooms=3),
    fit_spec({"type": "bedrooms_fit"}, True, "no minimum: any property fits", prop(sale=brl("1.00"), bedrooms=0)),
    fit_spec({"type": "bedrooms_fit"}, False, "no minimum but no property either", None),
    # profile_complete
    fit_spec({"type": "profile_complete", "min_fields": 8}, True, "all 8 fields present",
             contact={"phone": "(11) 98765-4321", "document": "529.982.247-25"},
             budget={"max": brl("600000.00")}, wanted_cities=["São Paulo"], property_types=["apartment"],
             min_bedrooms=2, timeline="within_6_months"),
    fit_spec({"type": "profile_complete", "min_fields": 8}, False,
             "7 of 8: the timeline is unknown", property_=None,
             contact={"phone": "(11) 98765-4321", "document": "529.982.247-25"},
             budget={"max": brl("600000.00")}, wanted_cities=["São Paulo"], property_types=["apartment"],
             min_bedrooms=2),
    fit_spec({"type": "profile_complete", "min_fields": 3}, True,
             "3 of 8: e-mail, an invalid phone (present counts, validity does not), min_bedrooms 0 (present)",
             contact={"phone": "123"}, min_bedrooms=0),
    fit_spec({"type": "profile_complete", "min_fields": 3}, False,
             "2 of 8: a blank document does not count; wanted neighbourhoods count as places",
             contact={"document": "   "}, wanted_neighbourhoods=["Centro"]),
    fit_spec({"type": "profile_complete", "min_fields": 1}, True, "1 of 8 (the e-mail) reaches min_fields 1"),
    # valid_phone / valid_email / valid_document
    fit_spec({"type": "valid_phone"}, True, "(11) 98765-4321 is a valid mobile",
             contact={"phone": "(11) 98765-4321"}),
    fit_spec({"type": "valid_phone"}, True, "+55 11 3456-7890 is a valid landline",
             contact={"phone": "+55 11 3456-7890"}),
    fit_spec({"type": "valid_phone"}, False, "(11) 8765-4321: an 8-digit mobile is refused (no repair)",
             contact={"phone": "(11) 8765-4321"}),
    fit_spec({"type": "valid_phone"}, False, "no phone"),
    fit_spec({"type": "valid_email"}, True, "ana.souza@example.com.br"),
    fit_spec({"type": "valid_email"}, False, "'ana.souza@' is not an e-mail",
             contact={"email": "ana.souza@", "phone": "(11) 98765-4321"}),
    fit_spec({"type": "valid_email"}, False, "no e-mail", contact={"email": None, "phone": "(11) 98765-4321"}),
    fit_spec({"type": "valid_document"}, True, "CPF 529.982.247-25", contact={"document": "529.982.247-25"}),
    fit_spec({"type": "valid_document"}, True, "CNPJ 11.222.333/0001-81", contact={"document": "11.222.333/0001-81"}),
    fit_spec({"type": "valid_document"}, False, "CPF 529.982.247-24: wrong check digit",
             contact={"document": "529.982.247-24"}),
    fit_spec({"type": "valid_document"}, False, "no document"),
    # source
    fit_spec({"type": "source", "sources": ["referral", "walk_in"]}, True, "a referral",
             source={"type": "referral", "referrer": "Carlos Lima"}),
    fit_spec({"type": "source", "sources": ["referral", "walk_in"]}, False, "the website (the default source)"),
    fit_spec({"type": "source", "portals": ["zap"]}, True, "portal 'ZAP Imóveis' has the key zap",
             source={"type": "portal", "portal": "ZAP Imóveis", "external_id": "ZAP-88123"}),
    fit_spec({"type": "source", "portals": ["viva_real"]}, False, "a ZAP lead is not a Viva Real lead",
             source={"type": "portal", "portal": "zap", "external_id": "ZAP-88124"}),
    fit_spec({"type": "source", "sources": ["portal"]}, True, "sources [portal] takes any portal",
             source={"type": "portal", "portal": "Chaves na Mão", "external_id": "CNM-7"}),
    fit_spec({"type": "source", "sources": ["phone_call"], "portals": ["Chaves na Mão"]}, True,
             "another portal is matched by its name", source={"type": "portal", "portal": "Chaves na Mão",
                                                             "external_id": "CNM-8"}),
    fit_spec({"type": "source", "portals": ["zap"]}, False, "portals do not match a walk-in",
             source={"type": "walk_in"}),
    # portal_temperature
    fit_spec({"type": "portal_temperature", "temperature": "hot"}, True, "a hot Viva Real lead",
             source={"type": "portal", "portal": "Viva Real", "external_id": "VR-1", "temperature": "hot"}),
    fit_spec({"type": "portal_temperature", "temperature": "hot"}, False, "warm is not hot",
             source={"type": "portal", "portal": "Viva Real", "external_id": "VR-2", "temperature": "warm"}),
    fit_spec({"type": "portal_temperature", "temperature": "cold"}, False, "a portal that sent no temperature",
             source={"type": "portal", "portal": "olx", "external_id": "OLX-3"}),
    fit_spec({"type": "portal_temperature", "temperature": "hot"}, False, "not a portal lead",
             source={"type": "phone_call"}),
    # timeline / interest
    fit_spec({"type": "timeline", "timelines": ["immediate", "within_3_months"]}, True, "within_3_months",
             timeline="within_3_months"),
    fit_spec({"type": "timeline", "timelines": ["immediate", "within_3_months"]}, False,
             "unknown (the default)"),
    fit_spec({"type": "interest", "interest": "rent"}, True, "a renter", interest="rent"),
    fit_spec({"type": "interest", "interest": "rent"}, False, "a buyer (the default)"),
]


def consent(purpose: str, granted: str, revoked: str | None = None) -> dict:
    c = {"purpose": purpose, "granted_at": granted}
    if revoked is not None:
        c["revoked_at"] = revoked
    c["text_version"] = "politica-v3"
    return c


CONTACT_CONSENT = {"type": "consent", "purpose": "contact"}
CONSENT_SPECS = [
    fit_spec(CONTACT_CONSENT, True, "granted 10 days ago, never revoked", feature="consent",
             consents=[consent("contact", ago(10))]),
    fit_spec(CONTACT_CONSENT, False, "revoked 2 days ago", feature="consent",
             consents=[consent("contact", ago(10), ago(2))]),
    fit_spec(CONTACT_CONSENT, False, "revoked exactly at now: no longer in force (revoked_at > now needed)",
             feature="consent", consents=[consent("contact", ago(10), NOW)]),
    fit_spec(CONTACT_CONSENT, True, "revocation scheduled 1 second after now: still in force",
             feature="consent", consents=[consent("contact", ago(10), ago(seconds=-1))]),
    fit_spec(CONTACT_CONSENT, False, "granted 1 second after now: not yet granted", feature="consent",
             consents=[consent("contact", ago(seconds=-1))]),
    fit_spec(CONTACT_CONSENT, True, "granted exactly at now (granted_at <= now)", feature="consent",
             consents=[consent("contact", NOW)]),
    fit_spec(CONTACT_CONSENT, False, "only a marketing consent", feature="consent",
             consents=[consent("marketing", ago(10))]),
    fit_spec(CONTACT_CONSENT, True, "a revoked consent then a new one in force", feature="consent",
             consents=[consent("contact", ago(30), ago(20)), consent("contact", ago(5))]),
    fit_spec({"type": "consent", "purpose": "profiling"}, True, "profiling consent in force",
             feature="consent", consents=[consent("contact", ago(3)), consent("profiling", ago(3))]),
]

# A property and lead for which every fit condition holds (the all-conditions rule set).
FULL_LEAD = dict(
    contact={"phone": "(11) 98765-4321", "document": "11.222.333/0001-81"},
    source={"type": "portal", "portal": "QuintoAndar", "external_id": "QA-55", "temperature": "hot"},
    budget={"min": brl("600000.00"), "max": brl("800000.00")},
    wanted_cities=["São Paulo"], wanted_neighbourhoods=["Vila Mariana"], property_types=["apartment"],
    min_bedrooms=2, timeline="immediate", consents=[consent("contact", ago(1))],
)
FULL_PROP = prop(sale=brl("780000.00"), bedrooms=2)


def all_fit_rules() -> dict:
    conds = [
        ("budget", 1, BUDGET), ("neighbourhood", 2, {"type": "neighbourhood_match"}),
        ("city", 3, {"type": "city_match"}), ("type", 4, {"type": "property_type_match"}),
        ("bedrooms", 5, {"type": "bedrooms_fit"}), ("profile", 6, {"type": "profile_complete", "min_fields": 8}),
        ("phone", 7, {"type": "valid_phone"}), ("email", 8, {"type": "valid_email"}),
        ("document", 9, {"type": "valid_document"}), ("consent", 10, CONTACT_CONSENT),
        ("source", 11, {"type": "source", "portals": ["quinto_andar"]}),
        ("temperature", 12, {"type": "portal_temperature", "temperature": "hot"}),
        ("timeline", 13, {"type": "timeline", "timelines": ["immediate"]}),
        ("interest", 14, {"type": "interest", "interest": "buy"}),
    ]
    return ruleset("all-fit", 105, [("all", 105)], [(i, "all", p, w) for i, p, w in conds],
                   10, NONE, [("activity", 10)], [("message", "activity", 2, activity(["message"]))],
                   [("hot", 50), ("cold", 0)])


ALL_FIT_SPECS = [
    Spec("fit", "every condition holds: fit 1+2+...+14 = 105 = the cap, score 50",
         all_fit_rules(), lead(**FULL_LEAD), [], FULL_PROP),
    Spec("fit", "the same lead without a property: the five property conditions fail, 105-15 = 90",
         all_fit_rules(), lead(**FULL_LEAD), [], None),
    Spec("fit", "a bare website lead with an e-mail and a property it does not fit: only email and "
         "interest (buy) hold", all_fit_rules(), lead(), [], prop(ptype="house", sale=brl("780000.00"),
                                                                  address="floripa")),
]


# --- engagement ------------------------------------------------------------------------------

def eng(decay: dict, note: str, acts: Acts, feature="engagement", anchor=None, lead_=None) -> Spec:
    return Spec(feature, note, eng_rules(decay), lead_ or lead(), list(acts), None, anchor=anchor)


ENGAGEMENT_SPECS = [
    eng(NONE, "no decay: every activity counts fully whatever its age (400 days); a future message "
        "(1 s after now) is ignored; views also count for 'browse' (0.5 each); a favourite only for 'browse'",
        Acts().add("message", ago(400)).add("message", ago(seconds=-1)).add("listing_view", ago(3), 1)
        .add("listing_view", ago(90), 2).add("favourite", ago(1), 2)),
    eng(NONE, "visit_done 20 days ago and 1 s ago: 10 points each; visited_lately (within 30 days) "
        "scores once", Acts().add("visit_done", ago(20), 1).add("visit_done", ago(seconds=1), 1)),
    eng(NONE, "recency: a call exactly 2 days old counts for 'talked' (within_days 2), once even "
        "with two messages also inside; messages score 4 each",
        Acts().add("call", ago(2)).add("message", ago(1)).add("message", ago(0.5))),
    eng(NONE, "recency: a call 2 days and 1 s old does not count; a future call neither; no other "
        "activity, so nothing scores", Acts().add("call", ago(2, 1)).add("call", ago(seconds=-60))),
    eng(NONE, "repeat_view (min 3): property 1 viewed 3 times scores once; property 2 viewed twice "
        "does not; a third view of property 2 is in the future (ignored)",
        Acts().add("listing_view", ago(1), 1).add("listing_view", ago(2), 1).add("listing_view", ago(30), 1)
        .add("listing_view", ago(3), 2).add("listing_view", ago(4), 2).add("listing_view", ago(seconds=-5), 2)),
    eng(NONE, "negative points: a no-show (-10) and an unsubscribe (-15) against a message (4) and "
        "recency (5): P = 9, N = -25, the section is floored at 0; the negative group's cap (1) never "
        "caps negatives", Acts().add("visit_no_show", ago(3), 1).add("unsubscribed", ago(1))
        .add("message", ago(1))),
    eng(NONE, "activity exactly at now (age 0) counts, including for recency",
        Acts().add("message", NOW)),
]

WINDOW_SPECS = [
    eng(WINDOW7, "window 7 days: a message exactly 7 days (604800 s) old counts, one 7 days + 1 s "
        "old does not, a future one does not; one at now counts",
        Acts().add("message", ago(7)).add("message", ago(7, 1)).add("message", ago(seconds=-1))
        .add("message", NOW), feature="decay"),
    eng(WINDOW7, "window 7 days, age in whole seconds truncated: 7 days + 0.5 s old is 604800 s, "
        "inside the window", Acts().add("message", ago(7, Fraction(1, 2))), feature="decay"),
    eng(WINDOW7, "window 7 days: the recency rule 'visited_lately' (30 days) ignores the window: a "
        "visit 20 days ago scores 2 there and nothing as an activity",
        Acts().add("visit_done", ago(20), 1), feature="decay"),
    eng(WINDOW7, "window 7 days and repeat_view (min 3): property 1 has views at 1 day, exactly 7 "
        "days and 8 days: only 2 count; property 2 has 3 views inside: scores once (5, no decay in a "
        "window); a future view of property 3 plus 2 inside: no",
        Acts().add("listing_view", ago(1), 1).add("listing_view", ago(7), 1).add("listing_view", ago(8), 1)
        .add("listing_view", ago(2), 2).add("listing_view", ago(3), 2).add("listing_view", ago(6, 86399), 2)
        .add("listing_view", ago(1), 3).add("listing_view", ago(2), 3)
        .add("listing_view", ago(seconds=-3600), 3), feature="decay"),
    eng(HALF14, "anchor: half-life 14 days: a visit (10 points) at 0, 14 and 28 days is worth "
        "10 + 5 + 2.5 = 17.5; visited_lately adds 2 (no decay for recency)",
        Acts().add("visit_done", NOW, 1).add("visit_done", ago(14), 1).add("visit_done", ago(28), 1),
        feature="decay", anchor={"engagement": 19500,
                                 "visit": {"matched": 3, "points": 30000, "after_decay": 17500}}),
    eng(HALF14, "anchor: half-life 14 days, messages (4 points) at a quarter, a half and three "
        "quarters of a half-life: 4*2^-0.25 = 3.3635857 -> 3.364; 4*2^-0.5 = 2.8284271 -> 2.828; "
        "4*2^-0.75 = 2.3784142 -> 2.378; sum 8.570",
        Acts().add("message", ago(Fraction(7, 2))).add("message", ago(7)).add("message", ago(Fraction(21, 2))),
        feature="decay", anchor={"engagement": 8570,
                                 "message": {"matched": 3, "points": 12000, "after_decay": 8570}}),
    eng(HALF14, "anchor: exact ties at whole half-lives round half away from zero, per event: a "
        "view (1 point) 4 half-lives old is 1000/16 = 62.5 -> 63 milli, two such views 126 (not "
        "125); 'browse' 500/16 = 31.25 -> 31 each; a no-show (-10) 5 half-lives old is "
        "-10000/32 = -312.5 -> -313",
        Acts().add("listing_view", ago(56), 1).add("listing_view", ago(56), 2)
        .add("visit_no_show", ago(70), 1).add("message", NOW),
        feature="decay", anchor={"view": {"matched": 2, "points": 2000, "after_decay": 126},
                                 "browse": {"matched": 2, "points": 1000, "after_decay": 62},
                                 "no_show": {"matched": 1, "points": -10000, "after_decay": -313}}),
    eng(HALF14, "half-life 14 days and repeat_view: property 1 viewed at 28, 14 and 14 days (and "
        "once 1 s in the future, ignored): decayed by its latest counting view, 5 x 0.5 = 2.5; the "
        "future view does not count for 'view' either",
        Acts().add("listing_view", ago(28), 1).add("listing_view", ago(14), 1).add("listing_view", ago(14), 1)
        .add("listing_view", ago(seconds=-1), 1), feature="decay"),
    eng(HALF14, "half-life 14 days: recency 'talked' is not decayed; a call 1.75 days old "
        "(2^-0.125) is worth nothing as an activity (no rule for calls)",
        Acts().add("call", ago(Fraction(7, 4))).add("message", ago(Fraction(7, 4))), feature="decay"),
    eng(HALF14, "half-life 14 days, a month of activity at quarter half-lives",
        Acts().add("listing_view", ago(Fraction(7, 2)), 1).add("listing_view", ago(Fraction(7, 2)), 1)
        .add("listing_view", ago(21), 1).add("favourite", ago(Fraction(21, 2)), 1)
        .add("visit_done", ago(Fraction(49, 2)), 1).add("unsubscribed", ago(35))
        .add("message", ago(Fraction(7, 8))), feature="decay"),
]


# --- caps ------------------------------------------------------------------------------------

def cap_rules(rid: str, fit_cap, fit_groups, fit_rules, eng_cap=100, eng_groups=None, eng_rules_=None,
              decay=NONE) -> dict:
    return ruleset(rid, fit_cap, fit_groups, fit_rules, eng_cap, decay,
                   eng_groups or [("conversation", 100)],
                   eng_rules_ or [("message", "conversation", 1, activity(["message"]))],
                   [("A", 70), ("B", 50), ("C", 30), ("D", 0)])


TRUE_FIT = {  # conditions that hold for the base lead (a buyer from the website with a valid e-mail)
    "buyer": {"type": "interest", "interest": "buy"},
    "email": {"type": "valid_email"},
    "website": {"type": "source", "sources": ["website"]},
    "profile1": {"type": "profile_complete", "min_fields": 1},
}

CAP_SPECS = [
    Spec("caps", "anchor: group cap 10 over 6 + 6 = 12: each 6000*10000/12000 = 5000 exactly -> 5 + 5",
         cap_rules("caps-1", 50, [("g", 10)], [("buyer", "g", 6, TRUE_FIT["buyer"]),
                                                ("email", "g", 6, TRUE_FIT["email"])]),
         lead(), [], None,
         anchor={"fit": 10000, "buyer": {"after_caps": 5000}, "email": {"after_caps": 5000}}),
    Spec("caps", "anchor: group cap 10 over calls 3, messages 4, visits 5 (P = 12): floors "
         "2500, 3333, 4166 (sum 9999), remainders 0, 4000, 8000 (of 12000): the leftover thousandth "
         "goes to the largest remainder -> 2.5, 3.333, 4.167",
         cap_rules("caps-2", 10, [("g", 10)], [("renter", "g", 1, {"type": "interest", "interest": "rent"})],
                   100, [("g", 10)],
                   [("call", "g", 3, activity(["call"])), ("message", "g", 4, activity(["message"])),
                    ("visit", "g", 5, activity(["visit_done"]))]),
         lead(), list(Acts().add("call", ago(1)).add("message", ago(1)).add("visit_done", ago(1), 1)), None,
         anchor={"engagement": 10000, "call": {"after_caps": 2500}, "message": {"after_caps": 3333},
                 "visit": {"after_caps": 4167}}),
    Spec("caps", "anchor: group cap 10 over 4 + 4 + 4: each floor 3333, remainder 4000 (a tie), the "
         "leftover goes to the earliest rule in the rule set ('a', though its activity is listed last)"
         " -> 3.334, 3.333, 3.333; rule 'other' in another group sits between them",
         cap_rules("caps-3", 10, [("g", 10)], [("renter", "g", 1, {"type": "interest", "interest": "rent"})],
                   100, [("g", 10), ("h", 50)],
                   [("a", "g", 4, activity(["call"])), ("other", "h", 1, activity(["email_opened"])),
                    ("b", "g", 4, activity(["message"])), ("c", "g", 4, activity(["saved_search"]))]),
         lead(), list(Acts().add("saved_search", ago(1)).add("message", ago(1)).add("email_opened", ago(1))
                      .add("call", ago(1))), None,
         anchor={"engagement": 11000, "a": {"after_caps": 3334}, "b": {"after_caps": 3333},
                 "c": {"after_caps": 3333}, "other": {"after_caps": 1000}}),
    Spec("caps", "anchor: section cap 20 with positives 12, 9, 6 (P = 27) and a negative -3 "
         "(N = -3): P + N = 24 > 20, so the positives are scaled to 20 - (-3) = 23: floors 10222, "
         "7666, 5111 (sum 22999), remainders 6000, 18000, 3000 (of 27000) -> 10.222, 7.667, 5.111; "
         "fit = min(27, 23) - 3 = 20",
         cap_rules("caps-4", 20, [("a", 50), ("b", 50), ("c", 50), ("neg", 1)],
                   [("buyer", "a", 12, TRUE_FIT["buyer"]), ("email", "b", 9, TRUE_FIT["email"]),
                    ("website", "c", 6, TRUE_FIT["website"]),
                    ("no_phone", "neg", -3, {"type": "profile_complete", "min_fields": 1})]),
         lead(), [], None,
         anchor={"fit": 20000, "buyer": {"after_caps": 10222}, "email": {"after_caps": 7667},
                 "website": {"after_caps": 5111}, "no_phone": {"after_caps": -3000}}),
    Spec("caps", "group then section: group 'g' (cap 8) takes 6 + 6 to 4 + 4; with 10 in group 'h' "
         "P = 18 > section cap 15: floors 3333, 3333, 8333 (sum 14999), remainders 6000, 6000, 6000: "
         "tie, the earliest rule gets the thousandth -> 3.334, 3.333, 8.333",
         cap_rules("caps-5", 15, [("g", 8), ("h", 10)],
                   [("buyer", "g", 6, TRUE_FIT["buyer"]), ("email", "g", 6, TRUE_FIT["email"]),
                    ("website", "h", 10, TRUE_FIT["website"])]),
         lead(), [], None,
         anchor={"fit": 15000, "buyer": {"after_caps": 3334}, "email": {"after_caps": 3333},
                 "website": {"after_caps": 8333}}),
    Spec("caps", "P above the cap but P + N within it: no section scaling. Cap 20, P = 24, N = -6: "
         "P + N = 18 <= 20, fit = min(24, 26) - 6 = 18",
         cap_rules("caps-6", 20, [("a", 50), ("neg", 50)],
                   [("buyer", "a", 12, TRUE_FIT["buyer"]), ("email", "a", 12, TRUE_FIT["email"]),
                    ("website", "neg", -6, TRUE_FIT["website"])]),
         lead(), [], None, anchor={"fit": 18000}),
    Spec("caps", "P + N exactly at the cap: no scaling. Cap 20, P = 25, N = -5",
         cap_rules("caps-7", 20, [("a", 50), ("neg", 1)],
                   [("buyer", "a", 15, TRUE_FIT["buyer"]), ("email", "a", 10, TRUE_FIT["email"]),
                    ("website", "neg", -5, TRUE_FIT["website"])]),
         lead(), [], None, anchor={"fit": 20000}),
    Spec("caps", "cap 10, P = 30, N = -5: positives scaled to 15 (7.5 + 7.5), fit = min(30, 15) - 5 = 10",
         cap_rules("caps-8", 10, [("a", 50), ("neg", 1)],
                   [("buyer", "a", 15, TRUE_FIT["buyer"]), ("email", "a", 15, TRUE_FIT["email"]),
                    ("website", "neg", -5, TRUE_FIT["website"])]),
         lead(), [], None, anchor={"fit": 10000, "buyer": {"after_caps": 7500}}),
    Spec("caps", "fit section floored at 0: 2 positive against -7",
         cap_rules("caps-9", 10, [("a", 10), ("neg", 10)],
                   [("buyer", "a", 2, TRUE_FIT["buyer"]), ("website", "neg", -7, TRUE_FIT["website"])]),
         lead(), list(Acts().add("message", ago(1))), None, anchor={"fit": 0, "engagement": 1000}),
    Spec("caps", "engagement: 9 messages of 1.5 in a group capped at 10 (13.5 -> 10), 3 calls of "
         "2.25 in a group capped at 5 (6.75 -> 5); section cap 12: P = 15 -> 12: 8 and 4",
         cap_rules("caps-10", 10, [("a", 10)], [("renter", "a", 1, {"type": "interest", "interest": "rent"})],
                   12, [("talk", 10), ("calls", 5)],
                   [("message", "talk", "1.5", activity(["message"])), ("call", "calls", "2.25", activity(["call"]))]),
         lead(), list(Acts().add("message", ago(1), times=9).add("call", ago(2), times=3)), None,
         anchor={"engagement": 12000, "message": {"after_caps": 8000}, "call": {"after_caps": 4000}}),
]


# --- combined score, bands, weights, explanation order -------------------------------------

def two_rule_set(fit_points, eng_points, fit_cap=50, eng_cap=50, weights=None, bands=None, rid="score"):
    return ruleset(rid, fit_cap, [("f", fit_cap)], [("email", "f", fit_points, TRUE_FIT["email"])],
                   eng_cap, NONE, [("e", eng_cap)], [("message", "e", eng_points, activity(["message"]))],
                   bands or [("A", 70), ("B", 50), ("C", 30), ("D", 0)], weights)


ONE_MESSAGE = list(Acts().add("message", ago(1)))

SCORE_SPECS = [
    Spec("score", "anchor: caps 50/50 and weights 1:1 make score = fit + engagement: 45 + 25 = 70.000, "
         "exactly band A's threshold -> A", two_rule_set(45, 25), lead(), ONE_MESSAGE, None,
         anchor={"score": 70000, "band": "A"}),
    Spec("score", "anchor: 45 + 24.999 = 69.999, one thousandth below A -> B",
         two_rule_set(45, "24.999"), lead(), ONE_MESSAGE, None, anchor={"score": 69999, "band": "B"}),
    Spec("score", "exactly 50 -> B", two_rule_set(30, 20), lead(), ONE_MESSAGE, None,
         anchor={"score": 50000, "band": "B"}),
    Spec("score", "49.999 -> C", two_rule_set(30, "19.999"), lead(), ONE_MESSAGE, None,
         anchor={"score": 49999, "band": "C"}),
    Spec("score", "exactly 30 -> C", two_rule_set(10, 20), lead(), ONE_MESSAGE, None,
         anchor={"score": 30000, "band": "C"}),
    Spec("score", "29.999 -> D", two_rule_set("9.999", 20), lead(), ONE_MESSAGE, None,
         anchor={"score": 29999, "band": "D"}),
    Spec("score", "nothing matches: 0 -> D (the last band starts at 0)",
         two_rule_set(10, 20), lead(contact={"email": "not-an-email", "phone": "(11) 98765-4321"}), [], None,
         anchor={"score": 0, "band": "D"}),
    Spec("score", "both sections full: 100 -> A", two_rule_set(50, 50), lead(), ONE_MESSAGE, None,
         anchor={"score": 100000, "band": "A"}),
    Spec("score", "anchor: weights 1:3, caps 40/40: score = 100*(12.5/40 + 3*0/40)/4 = 7.8125, a tie "
         "at the thousandth: half-even -> 7.812",
         two_rule_set("12.5", 5, 40, 40, {"fit": 1, "engagement": 3}), lead(), [], None,
         anchor={"score": 7812}),
    Spec("score", "anchor: weights 1:3, caps 40/40: fit 2.5, engagement 3.336: 100*(2500 + 3*3336)/"
         "(4*40000) = 7.8175 -> half-even 7.818",
         two_rule_set("2.5", "3.336", 40, 40, {"fit": 1, "engagement": 3}), lead(), ONE_MESSAGE, None,
         anchor={"score": 7818}),
    Spec("score", "anchor: weights 2:1, caps 30/50: fit 20, engagement 10: 100*(2*20/30 + 1*10/50)/3 "
         "= 100*(4/3 + 1/5)/3 = 51.1111 -> 51.111 (B)",
         two_rule_set(20, 10, 30, 50, {"fit": 2, "engagement": 1}), lead(), ONE_MESSAGE, None,
         anchor={"score": 51111, "band": "B"}),
    Spec("score", "weights 0:1 (fit ignored): engagement 35 of 50 -> 70 (A) whatever the fit",
         two_rule_set(50, 35, weights={"fit": 0, "engagement": 1}), lead(), ONE_MESSAGE, None,
         anchor={"score": 70000, "band": "A"}),
    Spec("score", "weights '0.5' and '1.25' (fractional): fit 10 of 50, engagement 40 of 50: "
         "100*(0.5*0.2 + 1.25*0.8)/1.75 = 62.857142... -> 62.857",
         two_rule_set(10, 40, weights={"fit": "0.5", "engagement": "1.25"}), lead(), ONE_MESSAGE, None,
         anchor={"score": 62857}),
    Spec("score", "custom bands Hot 80 / Warm 40.5 / Cold 0: 40.5 exactly -> Warm",
         two_rule_set("20.5", 20, bands=[("Hot", 80), ("Warm", "40.5"), ("Cold", 0)]), lead(), ONE_MESSAGE,
         None, anchor={"score": 40500, "band": "Warm"}),
    Spec("score", "custom bands: 40.499 -> Cold",
         two_rule_set("20.499", 20, bands=[("Hot", 80), ("Warm", "40.5"), ("Cold", 0)]), lead(), ONE_MESSAGE,
         None, anchor={"score": 40499, "band": "Cold"}),
]


def order_rules() -> dict:
    return ruleset(
        "order", 50, [("a", 50), ("b", 50)],
        [("five_fit", "a", 5, TRUE_FIT["buyer"]), ("eight", "b", 8, TRUE_FIT["email"]),
         ("minus_five_fit", "a", -5, TRUE_FIT["website"]), ("absent", "a", 9, {"type": "valid_phone"})],
        50, {"type": "half_life", "days": 1}, [("e", 50), ("n", 1)],
        [("two", "e", 2, activity(["call"])), ("five_eng", "e", 5, activity(["message"])),
         ("minus_five_eng", "n", -5, activity(["unsubscribed"])), ("faded", "e", 1, activity(["email_opened"])),
         ("eight_eng", "e", 8, activity(["saved_search"]))],
        [("A", 70), ("B", 50), ("C", 30), ("D", 0)])


ORDER_SPECS = [
    Spec("order", "explanation order: |after_caps| descending, ties in rule-set order (fit rules "
         "first): eight (8), eight_eng (8), five_fit (5), minus_five_fit (-5), five_eng (5), "
         "minus_five_eng (-5), two (2), then faded (1 point 30 half-lives old: 1000/2^30 -> 0, "
         "matched but worth 0); 'absent' did not match and is not listed",
         order_rules(), lead(),
         list(Acts().add("call", NOW).add("message", NOW).add("unsubscribed", NOW).add("email_opened", ago(30))
              .add("saved_search", NOW)), None,
         anchor={"order": ["eight", "eight_eng", "five_fit", "minus_five_fit", "five_eng", "minus_five_eng",
                           "two", "faded"]}),
    Spec("order", "ties after caps: group cap 10 over 6 + 6 gives 5 + 5, listed in rule order "
         "(buyer, email), then website (4)",
         cap_rules("order-2", 50, [("g", 10), ("h", 50)],
                   [("website", "h", 4, TRUE_FIT["website"]), ("buyer", "g", 6, TRUE_FIT["buyer"]),
                    ("email", "g", 6, TRUE_FIT["email"])]),
         lead(), [], None, anchor={"order": ["buyer", "email", "website"]}),
]


# --- the shipped default rule set -------------------------------------------------------------

D1_LEAD = lead(
    contact={"name": "Mariana Costa", "email": "mariana.costa@example.com", "phone": "(11) 98765-4321"},
    source={"type": "portal", "portal": "ZAP Imóveis", "external_id": "ZAP-88123", "temperature": "hot"},
    budget={"min": brl("500000.00"), "max": brl("650000.00")},
    wanted_cities=["São Paulo"], wanted_neighbourhoods=["Vila Mariana", "Paraíso"],
    property_types=["apartment"], min_bedrooms=2, timeline="within_3_months",
    consents=[consent("contact", "2026-11-02T14:30:00Z"), consent("marketing", "2026-11-02T14:30:00Z")],
)
D1_PROP = prop(sale=brl("690000.00"), bedrooms=3)
D1_ACTS = list(Acts().add("listing_view", ago(Fraction(7, 2)), 1).add("listing_view", ago(7), 1)
               .add("listing_view", ago(14), 1).add("favourite", ago(7), 1)
               .add("visit_scheduled", ago(Fraction(7, 2)), 1).add("message", ago(Fraction(7, 2)))
               .add("call", NOW))

# ANCHOR D1, worked by hand (default rules: fit cap 50, engagement cap 50, half-life 14 days).
# Fit: budget 690,000 <= 650,000 x 1.1 = 715,000 and >= 500,000: 15. Location: Vila Mariana 6,
# São Paulo 4 (group 10, cap 10). Property: apartment 4, 3 >= 2 bedrooms 4 (8, cap 8). Profile:
# e-mail, phone, budget, places, types, min_bedrooms, timeline = 7 of 8 >= 6: 7. Contact: phone
# 3, e-mail 2, no document, contact consent 1 = 6 (cap 7). Intent: within_3_months 6 + hot 4 =
# 10 (cap 10). Source: a portal 3. P = 59 > 50, so every positive v becomes v*50000/59000:
#   15000 -> 12711 rem 51000; 6000 -> 5084 rem 44000; 4000 -> 3389 rem 49000 (x4: city, type,
#   bedrooms, portal_hot); 7000 -> 5932 rem 12000; 3000 -> 2542 rem 22000 (x2: phone,
#   portal_lead); 2000 -> 1694 rem 54000; 1000 -> 847 rem 27000.
#   Floors: 12711 + 2*5084 + 4*3389 + 5932 + 2*2542 + 1694 + 847 = 49992: 8 left over, to the
#   8 largest remainders: valid_email 54k, budget 51k, the four 49k, neighbourhood and
#   moving_soon 44k -> budget 12712, neighbourhood 5085, city/type/bedrooms/portal_hot 3390,
#   profile 5932, valid_phone 2542, valid_email 1695, consent 847, moving_soon 5085,
#   portal_lead 2542; sum 50000.
# Engagement, 2^-0.25 = 0.84089642, 2^-0.5 = 0.70710678:
#   views at 3.5, 7, 14 days: 841 + 707 + 500 = 2048; favourite at 7 days 3000*0.7071 = 2121;
#   browsing 4169 (cap 12). repeat_view: 3 views of property 1, latest 3.5 days: 5000*0.8409 =
#   4204; visit_scheduled at 3.5 days: 10000*0.8409 = 8409; intent 12613 (cap 30). Message at
#   3.5 days 6000*0.8409 = 5045; call now 5000; talked_recently (call now) 5000: 15045 > 15:
#   5045*15000/15045 = 5029 rem 13695, 5000*15000/15045 = 4985 rem 675 (x2), floors 14999, the
#   thousandth to the message -> 5030, 4985, 4985. Engagement 4169 + 12613 + 15000 = 31782.
# Score: caps 50/50, weights 1:1: fit + engagement = 81.782 -> A.
D1_ANCHOR = {
    "fit": 50000, "engagement": 31782, "score": 81782, "band": "A",
    "order": ["budget_fits", "visit_scheduled", "profile_complete", "neighbourhood_match", "moving_soon",
              "message", "call", "talked_recently", "repeat_view", "city_match", "property_type_match",
              "bedrooms_fit", "portal_hot", "valid_phone", "portal_lead", "favourite", "listing_view",
              "valid_email", "contact_consent"],
    "budget_fits": {"after_caps": 12712}, "neighbourhood_match": {"after_caps": 5085},
    "city_match": {"after_caps": 3390}, "valid_email": {"after_caps": 1695},
    "contact_consent": {"after_caps": 847},
    "listing_view": {"matched": 3, "points": 3000, "after_decay": 2048, "after_caps": 2048},
    "repeat_view": {"matched": 1, "after_decay": 4204}, "visit_scheduled": {"after_decay": 8409},
    "message": {"after_decay": 5045, "after_caps": 5030}, "call": {"after_caps": 4985},
    "talked_recently": {"after_caps": 4985},
}

D2_LEAD = lead(contact={"name": "João Pereira", "email": "joao.p@example.com"}, interest="rent")
D2_ACTS = list(Acts().add("email_opened", ago(28)).add("listing_view", ago(56), 9)
               .add("unsubscribed", ago(14)))

D3_LEAD = lead(
    contact={"name": "Rafael Nogueira", "email": None, "phone": "(21) 99876-5432", "document": "529.982.247-25"},
    source={"type": "referral", "referrer": "Cliente Beatriz Ramos"},
    budget={"max": brl("1800000.00")}, wanted_cities=["Rio de Janeiro"],
    property_types=["apartment", "penthouse"], min_bedrooms=3, timeline="within_6_months",
    consents=[consent("contact", "2026-11-03T10:00:00Z", "2026-11-20T18:00:00Z")],
)
D3_ACTS = list(Acts().add("visit_done", ago(Fraction(21, 2)), 4).add("visit_no_show", ago(21), 5)
               .add("proposal_sent", ago(Fraction(7, 4)), 4).add("message", ago(1)))

D4_LEAD = lead(
    contact={"name": "Luiza Martins", "email": "luiza.martins@example.com.br", "phone": "(11) 8765-4321"},
    source={"type": "portal", "portal": "Viva Real", "external_id": "VR-20931", "temperature": "warm"},
    interest="rent", budget={"max": brl("4500.00")}, wanted_cities=["sao paulo"],
    wanted_neighbourhoods=["itaim bibi"], property_types=["apartment"], min_bedrooms=1,
    timeline="within_12_months", consents=[consent("marketing", "2026-11-10T08:00:00Z")],
)
D4_PROP = prop(n=7, listing="rent", ptype="studio", rent=brl("4800.00"), bedrooms=1, address="itaim")
D4_ACTS = list(Acts().add("listing_view", NOW, 7, times=3).add("listing_view", NOW, 8)
               .add("listing_view", NOW, 9).add("listing_view", NOW, 10)
               .add("favourite", ago(Fraction(7, 2)), 7).add("favourite", ago(Fraction(7, 2)), 8)
               .add("saved_search", ago(7)).add("email_opened", ago(14), times=3))

D5_LEAD = lead(
    contact={"name": "Fernanda Alves", "email": "fernanda@example.com", "phone": "(48) 3222-1100"},
    source={"type": "walk_in"}, budget={"min": brl("350000.00"), "max": brl("450000.00")},
    wanted_cities=["Florianópolis"], property_types=["house"], timeline="immediate",
    consents=[consent("contact", ago(0, 3600))],
)
D5_PROP = prop(n=11, ptype="house", sale=brl("495000.00"), bedrooms=3, address="floripa")
D5_ACTS = list(Acts().add("visit_scheduled", ago(seconds=-86400), 11).add("call", ago(2))
               .add("message", ago(2, 1)).add("listing_view", ago(Fraction(7, 4)), 11))

DEFAULT_SPECS = [
    Spec("default", "anchor: a hot ZAP lead for an apartment slightly above budget (within the 10% "
         "tolerance), browsing and a scheduled visit: fit capped 59 -> 50 by largest remainders, "
         "conversation capped 15.045 -> 15", "default", D1_LEAD, D1_ACTS, D1_PROP, anchor=D1_ANCHOR),
    Spec("default", "a cold website renter with an old e-mail open, an old view and an "
         "unsubscribe: engagement floored at 0; fit = e-mail 2 + portal_lead (website) 3",
         "default", D2_LEAD, D2_ACTS, None),
    Spec("default", "a referral with a CPF, no property given: a proposal and a visit, a no-show "
         "(negative), a message yesterday; the contact consent was revoked before now",
         "default", D3_LEAD, D3_ACTS, None),
    Spec("default", "a warm Viva Real renter: rent 4,800 above the 4,500 budget but within 10%; "
         "an 8-digit mobile (invalid, still counts for the profile); browsing capped at 12",
         "default", D4_LEAD, D4_ACTS, D4_PROP),
    Spec("default", "a walk-in for a house at exactly 450,000 x 1.1 = 495,000 (fits); a visit "
         "scheduled for tomorrow (future: ignored); a call exactly 2 days ago (talked_recently "
         "counts) and a message 2 days + 1 s ago (decayed only)", "default", D5_LEAD, D5_ACTS, D5_PROP),
]


# --- rejected rule sets --------------------------------------------------------------------------

def valid_base() -> dict:
    """A small valid rule set every invalid case starts from."""
    return ruleset(
        "base", 50, [("contact", 10), ("intent", 10)],
        [("phone", "contact", 5, {"type": "valid_phone"}),
         ("soon", "intent", 5, {"type": "timeline", "timelines": ["immediate"]}),
         ("referral", "intent", 3, {"type": "source", "sources": ["referral"]})],
        50, HALF14, [("browsing", 10), ("talk", 10)],
        [("views", "browsing", 1, activity(["listing_view"])),
         ("talk", "talk", 5, {"type": "recency", "kinds": ["message"], "within_days": 2}),
         ("repeat", "browsing", 3, {"type": "repeat_view", "min_views": 3})],
        [("A", 70), ("B", 40), ("C", 0)])


def E(path: str, code: str) -> dict:
    return {"path": path, "code": code}


def _set(obj, path, value):
    """Sets rs[...] by a dotted path with [i] indices, e.g. 'fit.rules[0].when.min_fields'."""
    parts = path.replace("]", "").replace("[", ".").split(".")
    for p in parts[:-1]:
        obj = obj[int(p)] if p.isdigit() else obj[p]
    last = parts[-1]
    if last.isdigit():
        obj[int(last)] = value
    else:
        obj[last] = value


def with_(*changes) -> dict:
    rs = valid_base()
    for path, value in changes:
        _set(rs, path, value)
    return rs


INVALID_SPECS = [
    Spec("invalid", "blank id", with_(("id", "  ")), errors=[E("id", REQUIRED)]),
    Spec("invalid", "section caps 0 and -5",
         with_(("fit.cap", 0), ("engagement.cap", -5)),
         errors=[E("fit.cap", RANGE), E("engagement.cap", RANGE)]),
    Spec("invalid", "a blank group name (its rules then name an unknown group) and a group cap of 0",
         with_(("fit.groups[1].name", ""), ("engagement.groups[0].cap", 0)),
         errors=[E("fit.groups[1].name", REQUIRED), E("fit.rules[1].group", GROUP_UNKNOWN),
                 E("fit.rules[2].group", GROUP_UNKNOWN), E("engagement.groups[0].cap", RANGE)]),
    Spec("invalid", "a duplicate group name in one section; the same name in both sections is fine",
         with_(("engagement.groups", [{"name": "browsing", "cap": 10}, {"name": "talk", "cap": 10},
                                      {"name": "browsing", "cap": 5}, {"name": "contact", "cap": 5}])),
         errors=[E("engagement.groups[2].name", DUPLICATE)]),
    Spec("invalid", "a negative group cap", with_(("fit.groups[0].cap", "-0.001")),
         errors=[E("fit.groups[0].cap", RANGE)]),
    Spec("invalid", "a blank rule id", with_(("fit.rules[2].id", " ")), errors=[E("fit.rules[2].id", REQUIRED)]),
    Spec("invalid", "rule ids repeated within fit and across sections (reported where repeated)",
         with_(("fit.rules[2].id", "phone"), ("engagement.rules[1].id", "soon")),
         errors=[E("fit.rules[2].id", DUPLICATE), E("engagement.rules[1].id", DUPLICATE)]),
    Spec("invalid", "unknown groups: a typo, and a fit rule naming an engagement group",
         with_(("fit.rules[0].group", "contat"), ("fit.rules[2].group", "browsing")),
         errors=[E("fit.rules[0].group", GROUP_UNKNOWN), E("fit.rules[2].group", GROUP_UNKNOWN)]),
    Spec("invalid", "points 0 (as a number and as a string)",
         with_(("fit.rules[1].points", 0), ("engagement.rules[2].points", "0.000")),
         errors=[E("fit.rules[1].points", RANGE), E("engagement.rules[2].points", RANGE)]),
    Spec("invalid", "profile_complete min_fields 0 and 9 (1..=8 allowed)",
         with_(("fit.rules[0].when", {"type": "profile_complete", "min_fields": 0}),
               ("fit.rules[1].when", {"type": "profile_complete", "min_fields": 9})),
         errors=[E("fit.rules[0].when.min_fields", CONDITION), E("fit.rules[1].when.min_fields", CONDITION)]),
    Spec("invalid", "a source rule with neither sources nor portals; another with unknown source kinds "
         "('facebook', 'Referral': kinds are exact snake_case words)",
         with_(("fit.rules[1].when", {"type": "source"}),
               ("fit.rules[2].when", {"type": "source", "sources": ["referral", "facebook", "Referral"]})),
         errors=[E("fit.rules[1].when", CONDITION), E("fit.rules[2].when.sources[1]", CONDITION),
                 E("fit.rules[2].when.sources[2]", CONDITION)]),
    Spec("invalid", "empty timelines", with_(("fit.rules[1].when", {"type": "timeline", "timelines": []})),
         errors=[E("fit.rules[1].when.timelines", CONDITION)]),
    Spec("invalid", "empty kinds in an activity rule and in a recency rule",
         with_(("engagement.rules[0].when", {"type": "activity", "kinds": []}),
               ("engagement.rules[1].when", {"type": "recency", "kinds": [], "within_days": 2})),
         errors=[E("engagement.rules[0].when.kinds", CONDITION), E("engagement.rules[1].when.kinds", CONDITION)]),
    Spec("invalid", "recency within_days 0", with_(("engagement.rules[1].when.within_days", 0)),
         errors=[E("engagement.rules[1].when.within_days", CONDITION)]),
    Spec("invalid", "repeat_view min_views 1 (and 0 in a second rule)",
         with_(("engagement.rules", valid_base()["engagement"]["rules"] +
                [{"id": "repeat0", "group": "browsing", "points": 1, "when": {"type": "repeat_view", "min_views": 0}}]),
               ("engagement.rules[2].when.min_views", 1)),
         errors=[E("engagement.rules[2].when.min_views", CONDITION), E("engagement.rules[3].when.min_views", CONDITION)]),
    Spec("invalid", "half-life of 0 days", with_(("engagement.decay", {"type": "half_life", "days": 0})),
         errors=[E("engagement.decay.days", RANGE)]),
    Spec("invalid", "window of 0 days", with_(("engagement.decay", {"type": "window", "days": 0})),
         errors=[E("engagement.decay.days", RANGE)]),
    Spec("invalid", "a negative weight", with_(("weights", {"fit": 1, "engagement": -1})),
         errors=[E("weights", WEIGHTS)]),
    Spec("invalid", "both weights 0", with_(("weights", {"fit": 0, "engagement": "0"})),
         errors=[E("weights", WEIGHTS)]),
    Spec("invalid", "no bands", with_(("bands", [])), errors=[E("bands", BANDS)]),
    Spec("invalid", "a blank band name", with_(("bands[1].name", "")), errors=[E("bands[1].name", REQUIRED)]),
    Spec("invalid", "a duplicate band name", with_(("bands[2].name", "A")), errors=[E("bands[2].name", DUPLICATE)]),
    Spec("invalid", "a band min above 100", with_(("bands", [{"name": "A", "min": "100.001"},
                                                         {"name": "B", "min": 40}, {"name": "C", "min": 0}])),
         errors=[E("bands[0].min", BANDS)]),
    Spec("invalid", "a band min equal to the previous band's (not strictly below)",
         with_(("bands[1].min", 70)), errors=[E("bands[1].min", BANDS)]),
    Spec("invalid", "a band min above the previous band's", with_(("bands[1].min", 75)),
         errors=[E("bands[1].min", BANDS)]),
    Spec("invalid", "the last band does not start at 0", with_(("bands[2].min", 10)),
         errors=[E("bands[2].min", BANDS)]),
    Spec("invalid", "many problems, in the contract's order: id; fit cap, groups, rules (each: id, "
         "group, points, condition); engagement (same), decay; weights; bands. The id 'soon' "
         "appears three times (fit.rules[1], fit.rules[2], engagement.rules[0])",
         with_(("id", ""), ("fit.cap", 0), ("fit.groups[0].cap", 0),
               ("fit.rules[0]", {"id": "", "group": "nope", "points": 0,
                                 "when": {"type": "profile_complete", "min_fields": 12}}),
               ("fit.rules[2].id", "soon"),
               ("engagement.rules[0]", {"id": "soon", "group": "nope", "points": "0",
                                        "when": {"type": "activity", "kinds": []}}),
               ("engagement.rules[2].when.min_views", 1),
               ("engagement.decay", {"type": "window", "days": 0}),
               ("weights", {"fit": -1, "engagement": 1}),
               ("bands[2].min", 5)),
         errors=[E("id", REQUIRED), E("fit.cap", RANGE), E("fit.groups[0].cap", RANGE),
                 E("fit.rules[0].id", REQUIRED), E("fit.rules[0].group", GROUP_UNKNOWN),
                 E("fit.rules[0].points", RANGE), E("fit.rules[0].when.min_fields", CONDITION),
                 E("fit.rules[2].id", DUPLICATE),
                 E("engagement.rules[0].id", DUPLICATE), E("engagement.rules[0].group", GROUP_UNKNOWN),
                 E("engagement.rules[0].points", RANGE), E("engagement.rules[0].when.kinds", CONDITION),
                 E("engagement.rules[2].when.min_views", CONDITION), E("engagement.decay.days", RANGE),
                 E("weights", WEIGHTS), E("bands[2].min", BANDS)]),
]


# ---------------------------------------------------------------------------------------------
# Anchors and hand labels
# ---------------------------------------------------------------------------------------------


def check_anchor(spec: Spec, got: dict) -> None:
    a = spec.anchor
    by_rule = {r["rule"]: r for r in got["reasons"]}
    for key, want in a.items():
        if key in ("fit", "engagement", "score", "band"):
            if got[key] != want:
                raise SystemExit(f"ANCHOR FAILED ({spec.note[:60]}…): {key} {got[key]} != {want}")
        elif key == "order":
            order = [r["rule"] for r in got["reasons"]]
            if order != want:
                raise SystemExit(f"ANCHOR FAILED ({spec.note[:60]}…): order {order} != {want}")
        else:
            r = by_rule.get(key)
            if r is None:
                raise SystemExit(f"ANCHOR FAILED ({spec.note[:60]}…): no reason for {key}")
            for f, v in want.items():
                if r[f] != v:
                    raise SystemExit(f"ANCHOR FAILED ({spec.note[:60]}…): {key}.{f} {r[f]} != {v}")


def check_primitives() -> None:
    """Small hand-worked anchors of the building blocks."""
    # 2^-0.25 = 0.840896415253714543...; 2^-0.5 = 0.707106781186547524...
    assert str(pow2_neg(Fraction(1, 4)))[:20] == "0.840896415253714543", pow2_neg(Fraction(1, 4))
    assert str(pow2_neg(Fraction(1, 2)))[:20] == "0.707106781186547524"
    assert decayed(10000, 14 * DAY, HALF14) == 5000  # one half-life halves the points
    assert decayed(10000, 28 * DAY, HALF14) == 2500  # two half-lives quarter them
    assert decayed(10000, 7 * DAY // 2, HALF14) == 8409  # 8408.964
    assert decayed(1000, 56 * DAY, HALF14) == 63  # 62.5, half away from zero
    assert decayed(-1000, 56 * DAY, HALF14) == -63
    assert decayed(7000, 10**6, WINDOW7) == 7000  # windows do not decay
    assert scale({0: 6000, 1: 6000}, 10000) == {0: 5000, 1: 5000}
    assert scale({0: 3000, 1: 4000, 2: 5000}, 10000) == {0: 2500, 1: 3333, 2: 4167}
    assert scale({0: 4000, 2: 4000, 3: 4000}, 10000) == {0: 3334, 2: 3333, 3: 3333}
    assert round_half_even(Fraction(78125, 10)) == 7812 and round_half_even(Fraction(78175, 10)) == 7818
    assert round_half_away(Fraction(-5, 2)) == -3 and round_half_away(Fraction(5, 2)) == 3
    assert place_key("  SÃO   Paulo ") == place_key("sao paulo") == "sao paulo"
    assert portal_key("ZAP Imóveis") == "zap" and portal_key("Viva Real") == "viva_real"
    assert portal_key(" Chaves na Mão ") == "Chaves na Mão"
    assert age_seconds(NOW_T, parse_time("2026-11-19T08:59:59.500000Z")) == 7 * DAY


# ---------------------------------------------------------------------------------------------
# The file
# ---------------------------------------------------------------------------------------------

PREFIX = {"fit": "fit", "consent": "consent", "engagement": "eng", "decay": "decay", "caps": "caps",
          "score": "score", "order": "order", "default": "default", "invalid": "invalid"}
MINIMUM = {"fit": 50, "consent": 8, "engagement": 6, "decay": 10, "caps": 8, "score": 12, "order": 2,
           "default": 4, "invalid": 12}


def num(m: int) -> float:
    """Milli-points as the JSON number m/1000 (exact in decimal text)."""
    f = m / 1000
    assert Decimal(repr(f)) * 1000 == m, (m, f)
    return f


def render_expect(out: dict) -> dict:
    return {"fit": num(out["fit"]), "engagement": num(out["engagement"]), "score": num(out["score"]),
            "band": out["band"],
            "reasons": [{"rule": r["rule"], "section": r["section"], "group": r["group"],
                         "matched": r["matched"], "points": num(r["points"]),
                         "after_decay": num(r["after_decay"]), "after_caps": num(r["after_caps"])}
                        for r in out["reasons"]]}


def build() -> dict:
    check_primitives()
    default_rules = load_default_rules()
    assert validate(default_rules) == [], "the shipped default rules must be valid"
    specs = FIT_SPECS + ALL_FIT_SPECS + CONSENT_SPECS + ENGAGEMENT_SPECS + WINDOW_SPECS + CAP_SPECS + \
        SCORE_SPECS + ORDER_SPECS + DEFAULT_SPECS + INVALID_SPECS
    order = list(PREFIX)
    specs.sort(key=lambda s: order.index(s.feature))  # stable: list order within a feature
    cases = []
    counter: dict[str, int] = {}
    fit_seen: dict[str, set] = {t: set() for t in FIT_TYPES}
    codes_seen: set[str] = set()
    for s in specs:
        counter[s.feature] = counter.get(s.feature, 0) + 1
        cid = f"{PREFIX[s.feature]}-{counter[s.feature]:03d}"
        case = {"id": cid, "feature": s.feature}
        rules = default_rules if s.rules == "default" else s.rules
        if s.errors is not None:
            got = validate(rules)
            if got != s.errors:
                raise SystemExit(f"HAND LABEL FAILED {cid} ({s.note}):\n  rules say {got}\n  label  {s.errors}")
            assert got, cid
            codes_seen.update(e["code"] for e in got)
            case["rules"] = s.rules
            case["expect"] = {"errors": got}
        else:
            errs = validate(rules)
            assert not errs, (cid, errs)
            for a in s.activities:
                assert a["kind"] not in LISTING_KINDS or a.get("property_id"), (cid, a)
            out = score(rules, s.lead, s.activities, s.property, NOW)
            if s.label is not None:
                rule = rules["fit"]["rules"][0]
                held = any(r["rule"] == rule["id"] for r in out["reasons"])
                if held != s.label:
                    raise SystemExit(f"HAND LABEL FAILED {cid} ({s.note}): rules say {held}")
            if s.anchor is not None:
                check_anchor(s, out)
            now = parse_time(NOW)
            for r in rules["fit"]["rules"]:
                fit_seen[r["when"]["type"]].add(fit_holds(r["when"], s.lead, s.property, now))
            case.update({"rules": s.rules, "now": NOW, "lead": s.lead, "activities": s.activities,
                         "property": s.property, "expect": render_expect(out)})
        case["note"] = s.note
        cases.append(case)
    missing = [t for t, seen in fit_seen.items() if seen != {True, False}]
    assert not missing, f"fit conditions not seen both holding and failing: {missing}"
    assert codes_seen == set(ERROR_CODES), set(ERROR_CODES) - codes_seen
    for feature, minimum in MINIMUM.items():
        assert counter.get(feature, 0) >= minimum, (feature, counter.get(feature, 0))
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids))
    return {
        "format": 1,
        "description": (
            "Shared lead-scoring vectors for realestate-crm: fit conditions, consent at now, "
            "engagement conditions, decay (none, window, half-life), group and section caps with "
            "largest-remainder scaling, the combined score, bands, weights, explanation order, the "
            "shipped default rule set, and rejected rule sets. Generated by "
            "tests/vectors/tools/make_scoring_vectors.py from an independent implementation of the "
            "rules with hand-checked anchors; see tests/vectors/README.md."
        ),
        "cases": cases,
    }


def render(doc: dict) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    out = render(build())
    if "--check" in argv:
        if not OUT_PATH.exists() or OUT_PATH.read_text(encoding="utf-8") != out:
            print(f"{OUT_PATH} is out of date: run python3 tests/vectors/tools/make_scoring_vectors.py",
                  file=sys.stderr)
            return 1
        return 0
    OUT_PATH.write_text(out, encoding="utf-8")
    print(f"wrote {OUT_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
