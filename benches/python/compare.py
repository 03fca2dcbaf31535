"""The Python binding against what a Python user would otherwise use, in one run on the same
data; prints each ratio (how many times faster the binding is).

    python benches/python/compare.py            # full sizes (1,000,000 leads)
    CRM_BENCH_SCALE=0.1 python benches/python/compare.py   # a tenth, for a quick look

1. CPF validation of a batch: ``realestate_crm.check_many`` vs python-stdnum's
   ``stdnum.br.cpf.is_valid`` and validate-docbr's ``CPF().validate`` over the same list.
2. Commission statements: ``CommissionEngine.statements`` (statement records out) and
   ``CommissionEngine.lines_frame`` (a DataFrame of lines with exact decimal128 money; the deals
   as dicts, then as an Arrow table) vs a straightforward pure-Python ``decimal``
   implementation of the same plan (6% pool, 50/20/30 split, largest-remainder cents, ISS 5% on
   the agency, progressive IRRF on brokers) over the dicts; same deals, same results checked.
   The pure-Python loop is timed with the garbage collector on (the interpreter's default) and,
   for the Arrow table, also with it off.
3. Rule scoring of 1,000,000 leads (pandas DataFrames in, a DataFrame of scores out:
   ``Scorer.score_frame`` reads the frame's Arrow buffers), results checked equal:
   a. three simple fit rules vs a hand-written Python scorer of the same three rules;
   b. the shipped default rule set (22 fit rules; 13 engagement rules with half-life decay over
      1,000,000 activities; group and section caps) vs the project's independent pure-Python
      scorer of those rules (tests/vectors/tools/make_scoring_vectors.py, exact arithmetic), run
      on a sample (``CRM_BENCH_SAMPLE``, 5,000 leads) and scaled to the whole book.
4. The per-call overhead of a small call (``is_valid_cpf``) against an empty Python function.

Timings are the best of a few runs; the binding's batch calls use every core.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import re
import time
import uuid
from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # numpy's BLAS threads would spin beside us

import pandas as pd  # noqa: E402

import realestate_crm as crm

SCALE = float(os.environ.get("CRM_BENCH_SCALE", "1"))
rng = random.Random(7)


def best(fn: Callable[[], Any], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def report(name: str, ours: float, theirs: float, what: str) -> float:
    ratio = theirs / ours
    print(f"{name:<44} binding {ours * 1e3:9.1f} ms   {what} {theirs * 1e3:9.1f} ms   ratio {ratio:6.1f}x")
    return ratio


# --- 1. CPF batch -------------------------------------------------------------------------

def cpf_digits(base: list[int]) -> str:
    d = base[:]
    for n in (10, 11):
        s = sum(x * w for x, w in zip(d, range(n, 1, -1)))
        r = s % 11
        d.append(0 if r < 2 else 11 - r)
    return "".join(map(str, d))


def cpfs(n: int) -> list[str]:
    out = []
    for i in range(n):
        c = cpf_digits([rng.randrange(10) for _ in range(9)])
        if i % 4 == 3:
            c = c[:-1] + str((int(c[-1]) + 1) % 10)  # a wrong check digit
        out.append(f"{c[:3]}.{c[3:6]}.{c[6:9]}-{c[9:]}" if i % 2 else c)
    return out


def bench_cpf() -> list[float]:
    from stdnum.br import cpf as stdnum_cpf
    from validate_docbr import CPF

    values = cpfs(int(200_000 * SCALE))
    docbr = CPF()
    ours = best(lambda: crm.check_many("cpf", values))
    got = crm.check_many("cpf", values)[0].tolist()
    assert got == [stdnum_cpf.is_valid(v) for v in values]
    r1 = report(f"CPF batch ({len(values):,})", ours,
                best(lambda: [stdnum_cpf.is_valid(v) for v in values]), "python-stdnum")
    r2 = report(f"CPF batch ({len(values):,})", ours,
                best(lambda: [docbr.validate(v) for v in values]), "validate-docbr")
    return [r1, r2]


# --- 2. commission statements ---------------------------------------------------------------

PLAN = {"id": "venda-6", "applies_to": "sale", "pool": {"type": "percentage", "rate": "6%"},
        "split": {"then": [{"role": "agency", "share": "50%"}, {"role": "listing_broker", "share": "20%"},
                           {"role": "selling_broker", "share": "30%"}]}}
IRRF = [(Decimal("2428.80"), Decimal("0"), Decimal("0")), (Decimal("2826.65"), Decimal("0.075"), Decimal("182.16")),
        (Decimal("3751.05"), Decimal("0.15"), Decimal("394.16")), (Decimal("4664.68"), Decimal("0.225"), Decimal("675.49")),
        (None, Decimal("0.275"), Decimal("908.73"))]
TAXES = [
    {"tax": "ISS", "roles": ["agency"], "valid_from": "2020-01-01", "rate": "5%"},
    {"tax": "IRRF", "recipient": "individual", "roles": ["listing_broker", "selling_broker"],
     "valid_from": "2020-01-01", "brackets": [
         {"up_to": str(u) if u is not None else None, "rate": str(r), "deduction": str(d)}
         for u, r, d in IRRF]},
]
for b in TAXES[1]["brackets"]:  # type: ignore[union-attr]
    if b["up_to"] is None:
        del b["up_to"]
CENT = Decimal("0.01")
SHARES = [("agency", Decimal("0.5")), ("listing_broker", Decimal("0.2")), ("selling_broker", Decimal("0.3"))]


def deals(n: int) -> list[dict[str, Any]]:
    agency_doc = "48.731.562/0001-31"
    out = []
    for i in range(n):
        value = Decimal(rng.randrange(200_000_00, 3_000_000_00)) / 100
        out.append({
            "id": str(uuid.UUID(int=i + 1)), "lead_id": str(uuid.UUID(int=10**9 + i)),
            "property_id": str(uuid.UUID(int=2 * 10**9 + i)), "kind": "sale", "status": "closed",
            "value": {"amount": str(value), "currency": "BRL"}, "proposed_on": "2026-05-04",
            "closed_on": "2026-05-04",
            "participants": [
                {"role": "agency", "name": "Horizonte", "document": agency_doc, "recipient": "company"},
                {"role": "listing_broker", "agent_id": str(uuid.UUID(int=3 * 10**9 + i % 50)), "recipient": "individual"},
                {"role": "selling_broker", "agent_id": str(uuid.UUID(int=4 * 10**9 + i % 50)), "recipient": "individual"},
            ],
            "created_at": "2026-05-04T12:00:00Z", "updated_at": "2026-05-04T12:00:00Z",
        })
    return out


def python_statement(deal: dict[str, Any]) -> dict[str, Any]:
    """A straightforward pure-Python implementation of the same plan and taxes."""
    value = Decimal(deal["value"]["amount"])
    pool = (value * Decimal("0.06")).quantize(CENT, ROUND_HALF_EVEN)
    parts = [(pool * share) for _, share in SHARES]
    floors = [p.quantize(CENT, ROUND_DOWN) for p in parts]
    left = int((pool - sum(floors)) / CENT)
    order = sorted(range(len(parts)), key=lambda i: (-(parts[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += CENT
    lines = []
    for (role, _), gross in zip(SHARES, floors):
        taxes = []
        if role == "agency":
            taxes.append(("ISS", (gross * Decimal("0.05")).quantize(CENT, ROUND_HALF_EVEN)))
        else:
            for up_to, rate, deduction in IRRF:
                if up_to is None or gross <= up_to:
                    tax = max(Decimal(0), gross * rate - deduction).quantize(CENT, ROUND_HALF_EVEN)
                    if tax > 0:
                        taxes.append(("IRRF", tax))
                    break
        lines.append({"role": role, "gross": gross, "withholdings": taxes,
                      "net": gross - sum((t for _, t in taxes), Decimal(0))})
    return {"pool": pool, "lines": lines,
            "total_withheld": sum((t for l in lines for _, t in l["withholdings"]), Decimal(0)),
            "total_net": sum((l["net"] for l in lines), Decimal(0))}


def bench_statements() -> list[float]:
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]

    book = deals(int(20_000 * SCALE))
    table = pa.Table.from_pylist(book)  # the same deals as an Arrow table (built once, not timed)
    engine = crm.CommissionEngine(PLAN, TAXES)
    as_of = dt.date(2026, 5, 4)
    ours_out = engine.statements(book, as_of)
    theirs_out = [python_statement(d) for d in book]
    for s, p in zip(ours_out, theirs_out):
        assert s.pool.amount == p["pool"] and s.total_net.amount == p["total_net"], (s, p)
        assert [l.net.amount for l in s.lines] == [l["net"] for l in p["lines"]]
    want_nets = [l["net"] for p in theirs_out for l in p["lines"]]
    for source in (book, table):
        frame = pa.table(engine.lines_frame(source, as_of))  # pandas for dicts, pyarrow for Arrow
        assert frame.column("net").to_pylist() == want_nets
        assert frame.column("gross").to_pylist() == [l["gross"] for p in theirs_out for l in p["lines"]]
    theirs = best(lambda: [python_statement(d) for d in book])
    r1 = report(f"statements ({len(book):,} deals, records out)", best(lambda: engine.statements(book, as_of)),
                theirs, "pure Python")
    report("statements, explain=False (no trails)", best(lambda: engine.statements(book, as_of, explain=False)),
           theirs, "pure Python")
    r2 = report("lines_frame: dicts in, DataFrame out", best(lambda: engine.lines_frame(book, as_of)),
                theirs, "pure Python")
    ours = best(lambda: engine.lines_frame(table, as_of))
    r3 = report("lines_frame: Arrow table in, DataFrame out", ours, theirs, "pure Python")
    # Python's cyclic garbage collector runs during the pure-Python loop (it allocates many
    # objects while the book's are alive): the ratios above count it, as a program running with
    # the interpreter's defaults pays it. Without it (as `timeit` measures) the loop is faster.
    gc.disable()
    try:
        theirs_no_gc = best(lambda: [python_statement(d) for d in book])
    finally:
        gc.enable()
    report("  same, vs pure Python with gc disabled", ours, theirs_no_gc, "pure Python")
    return [r1, r2, r3]


# --- 3. rule scoring ----------------------------------------------------------------------

RULES = {
    "id": "bench", "weights": {"fit": 1, "engagement": 1},
    "bands": [{"name": "A", "min": 10}, {"name": "B", "min": 5}, {"name": "C", "min": 0}],
    "fit": {"cap": 50, "groups": [{"name": "intent", "cap": 20}, {"name": "contact", "cap": 20},
                                   {"name": "profile", "cap": 20}],
            "rules": [
                {"id": "moving_soon", "group": "intent", "points": 6,
                 "when": {"type": "timeline", "timelines": ["immediate", "within_3_months"]}},
                {"id": "valid_email", "group": "contact", "points": 2, "when": {"type": "valid_email"}},
                {"id": "profile_complete", "group": "profile", "points": 7,
                 "when": {"type": "profile_complete", "min_fields": 3}},
            ]},
    "engagement": {"cap": 50, "decay": {"type": "none"}, "groups": [], "rules": []},
}
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{1,255}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")
TIMELINES = ["immediate", "within_3_months", "within_6_months", "over_12_months", "unknown"]


def leads_frame(n: int) -> pd.DataFrame:
    stamp = "2026-11-01T12:00:00Z"
    return pd.DataFrame({
        "id": [str(uuid.UUID(int=(7 << 76) | i)) for i in range(n)],
        "contact.name": ["Ana Souza"] * n,
        "contact.email": [f"user{i}@example.com" if i % 3 else f"user{i}example.com" for i in range(n)],
        "contact.phone": ["(11) 98765-4321" if i % 2 else None for i in range(n)],
        "timeline": [TIMELINES[i % 5] for i in range(n)],
        "created_at": [stamp] * n, "updated_at": [stamp] * n,
    })


def python_scores(df: pd.DataFrame) -> dict[str, list[Any]]:
    """A pure-Python scorer of the same rules."""
    out: dict[str, list[Any]] = {"lead_id": [], "score": [], "band": [], "reasons": []}
    for lead_id, email, phone, timeline in zip(df["id"], df["contact.email"], df["contact.phone"], df["timeline"]):
        reasons = []
        if timeline in ("immediate", "within_3_months"):
            reasons.append(("moving_soon", 6))
        if isinstance(email, str) and EMAIL.match(email.strip()):
            reasons.append(("valid_email", 2))
        filled = sum(1 for v in (email, phone) if isinstance(v, str) and v.strip()) + (timeline != "unknown")
        if filled >= 3:
            reasons.append(("profile_complete", 7))
        fit = sum(p for _, p in reasons)
        score = float(fit)  # weights 1:1, caps 50/50: score = 100·fit/(2·50)
        band = "A" if score >= 10 else "B" if score >= 5 else "C"
        reasons.sort(key=lambda r: -r[1])
        out["lead_id"].append(lead_id)
        out["score"].append(score)
        out["band"].append(band)
        out["reasons"].append(",".join(r for r, _ in reasons[:3]))
    return out


def bench_scoring_simple() -> list[float]:
    n = int(1_000_000 * SCALE)
    df = leads_frame(n)
    scorer = crm.Scorer(RULES)
    now = dt.datetime(2026, 11, 26, 12, tzinfo=dt.timezone.utc)
    ours_out = scorer.score_frame(df, now)
    theirs_out = python_scores(df)
    ours = best(lambda: scorer.score_frame(df, now), repeat=3)
    theirs = best(lambda: python_scores(df), repeat=2)
    assert ours_out["score"].tolist() == theirs_out["score"]
    assert ours_out["band"].astype(str).tolist() == theirs_out["band"]
    assert ours_out["reasons"].astype(str).tolist() == theirs_out["reasons"]
    rows = best(lambda: scorer.score_table(df, now), repeat=2)
    report(f"  same, rows path (score_table, lists out)", rows, theirs, "hand-written Python")
    return [report(f"3 simple rules ({n:,} leads, DataFrame)", ours, theirs, "hand-written Python")]


# The default rule set (22 fit rules, 13 engagement rules with half-life decay, group and
# section caps) against the project's independent pure-Python implementation of the scoring
# rules, tests/vectors/tools/make_scoring_vectors.py: exact (integer thousandths, fractions),
# standard library only, the only pure-Python scorer that agrees with the core to the
# thousandth. It is slow, so it scores a sample and its rate is applied to the whole book.

SOURCES = ["website", "referral", "phone_call", "walk_in", "social"]
KINDS = ["message", "call", "email_opened", "saved_search", "unsubscribed"]


def cpf_of(i: int) -> str:
    base = [int(c) for c in f"{(i * 7919) % 10**9:09d}"]
    return cpf_digits(base)


def default_book(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    stamp = "2026-10-01T12:00:00Z"
    leads = pd.DataFrame({
        "id": [f"0190f3a0-0000-7000-8000-{i:012x}" for i in range(n)],
        "contact.name": ["Ana Souza"] * n,
        "contact.email": [f"user{i}@example.com" if i % 3 else None for i in range(n)],
        "contact.phone": [f"(11) 9{8765 + i % 1000:04d}-{i % 10000:04d}" if i % 2 else None for i in range(n)],
        "contact.document": [cpf_of(i) if i % 4 == 0 else None for i in range(n)],
        "source.type": [SOURCES[i % 5] for i in range(n)],
        "interest": ["buy" if i % 3 else "rent" for i in range(n)],
        "budget.max": [f"{500000 + (i % 50) * 10000}.00" if i % 2 else None for i in range(n)],
        "wanted_cities": [["São Paulo"] if i % 5 else None for i in range(n)],
        "timeline": [TIMELINES[i % 5] for i in range(n)],
        "min_bedrooms": pd.array([2 if i % 7 else None for i in range(n)], dtype="Int64"),
        "created_at": [stamp] * n, "updated_at": [stamp] * n,
    })
    acts = []
    for i in range(n):
        for k in range(i % 3):
            acts.append((f"0190f3a1-0000-7000-8000-{(i * 3 + k):012x}", leads["id"].iat[i],
                         KINDS[(i + k) % 5], f"2026-11-{10 + (i + k) % 16:02d}T{9 + k:02d}:00:00Z"))
    activities = pd.DataFrame(acts, columns=["id", "lead_id", "kind", "at"])
    return leads, activities


def nest(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if value is None or (isinstance(value, float) and value != value):
            continue
        parts = key.split(".")
        node = out
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value
    return out


def bench_scoring_default() -> list[float]:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "vectors" / "tools"))
    import make_scoring_vectors as reference  # type: ignore[import-not-found]

    n = int(1_000_000 * SCALE)
    leads, activities = default_book(n)
    scorer = crm.Scorer("default")
    now = dt.datetime(2026, 11, 26, 12, tzinfo=dt.timezone.utc)
    ours_out = scorer.score_frame(leads, now, activities)
    ours = best(lambda: scorer.score_frame(leads, now, activities), repeat=2)
    rules = reference.load_default_rules()
    sample = min(n, int(os.environ.get("CRM_BENCH_SAMPLE", "5000")))
    def plain(v: Any) -> Any:
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            return None
        return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v

    records = [nest({k: plain(v) for k, v in r.items()}) for r in leads.iloc[:sample].to_dict("records")]
    by_lead: dict[str, list[dict[str, Any]]] = {}
    for a in activities[activities["lead_id"].isin([r["id"] for r in records])].to_dict("records"):
        by_lead.setdefault(a["lead_id"], []).append(a)
    now_s = "2026-11-26T12:00:00Z"
    t = time.perf_counter()
    theirs_out = [reference.score(rules, r, by_lead.get(r["id"], []), None, now_s) for r in records]
    theirs = (time.perf_counter() - t) * n / sample
    for i, want in enumerate(theirs_out):
        assert round(ours_out["score"].iat[i] * 1000) == want["score"], (i, ours_out["score"].iat[i], want)
        assert ours_out["band"].iat[i] == want["band"]
    return [report(f"default rules ({n:,} leads, {len(activities):,} activities)", ours, theirs,
                   f"reference Python (x{n // sample} of {sample:,})")]


# --- 4. per-call overhead -----------------------------------------------------------------

def bench_overhead() -> None:
    n = 1_000_000
    value = "529.982.247-25"
    fn = crm.is_valid_cpf

    def empty(_: str) -> bool:
        return True

    def loop(f: Callable[[str], bool]) -> float:
        t = time.perf_counter()
        for _ in range(n):
            f(value)
        return (time.perf_counter() - t) / n

    ours = min(loop(fn) for _ in range(3))
    base = min(loop(empty) for _ in range(3))
    print(f"{'small call is_valid_cpf':<44} {ours * 1e9:7.0f} ns per call "
          f"(an empty Python function: {base * 1e9:.0f} ns; the binding's own cost ≈ {max(ours - base, 0) * 1e9:.0f} ns)")


if __name__ == "__main__":
    print(f"realestate_crm {crm.__version__}, scale {SCALE}, {os.cpu_count()} cores\n")
    bench_cpf()
    bench_statements()
    bench_scoring_simple()
    bench_scoring_default()
    bench_overhead()
