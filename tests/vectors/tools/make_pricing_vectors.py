#!/usr/bin/env python3
"""Writes tests/vectors/pricing.json: the shared vectors of the pricing calculators.

The expected values in that file come from THIS file: an implementation of the pricing rules
(the contract summarised in tests/vectors/README.md, section "pricing.json", and the Pricing
section of the project's domain notes) written independently of the Rust core, in Python 3.11
with the standard library only. Money is exact (`fractions.Fraction`); the two irrational
quantities (the monthly rate derived from an annual effective rate, and the CET) are computed
with `decimal` at 60 significant digits. It never reads the Rust code or its output.

Checking, as in make_vectors.py:
  1. ANCHORS: cases whose outputs were worked out by hand (arithmetic in the comments next to
     each anchor); the script stops if its own rules disagree with any of them.
  2. Second methods: the monthly rate from an annual rate is computed twice (Newton on
     x^12 = 1 + a, and exp(ln(1 + a)/12)); every PRICE instalment is checked against the
     present value of the annuity; the CET is found twice (bisection and Newton) and its
     rounding to 6 places is proven with exact integer arithmetic at the two rounding
     midpoints; every cent rounding is done on exact fractions and again with
     decimal.quantize; quartiles are checked against statistics.quantiles(method="inclusive").
  3. Robustness: a host computes with 28-29 significant digits (rust_decimal), not exactly.
     Every rounding whose input is not a short exact decimal must be at least 1e-9 of the
     last kept place away from the point where the rounding flips (a tie for half-even, a
     whole cent for round-down); otherwise the script stops, because a correct host could
     legitimately land on either side. Ties only occur on exact paths, on purpose.
  4. Every error code of the contract that input can reach is covered (see ERROR_CODES).

Usage:
  python3 tests/vectors/tools/make_pricing_vectors.py          # (re)write pricing.json
  python3 tests/vectors/tools/make_pricing_vectors.py --check  # exit 1 if it is stale

Adding cases: append to the end of a calculator's list so existing ids keep their meaning.
"""

from __future__ import annotations

import calendar
import json
import statistics
import sys
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal, getcontext
from fractions import Fraction
from pathlib import Path

getcontext().prec = 60

HERE = Path(__file__).resolve().parent
OUT_PATH = HERE.parent / "pricing.json"

# Decimals a host must match to within this absolute tolerance (they are irrational or longer
# than a 96-bit decimal holds): the monthly rate derived from an annual one, the rent factor.
TOLERANCE = "0.00000000000000000001"  # 1e-20
LONG_PLACES = 25  # such decimals are written with (at most) 25 decimal places

# A rounding whose input is inexact on a host must be at least this far (in units of the last
# kept place) from the point where the rounding changes.
MARGIN = Fraction(1, 10**9)

# ---------------------------------------------------------------------------------------------
# Exact helpers
# ---------------------------------------------------------------------------------------------


class Invalid(Exception):
    def __init__(self, code: str, path: str | None = None, **extra):
        super().__init__(code)
        self.code = code
        self.path = path
        self.extra = extra


def F(x) -> Fraction:
    """Exact value of a decimal string / Decimal / int."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, (int, Decimal)):
        return Fraction(x)
    return Fraction(Decimal(x))


def fits_host_decimal(x: Fraction) -> bool:
    """True when x is a decimal a 96-bit decimal (scale <= 28) holds exactly."""
    d = x.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return False
    scale = max(twos, fives)
    return scale <= 28 and abs(x.numerator * 10**scale // x.denominator) < 2**96


def round_frac(x: Fraction, places: int, mode: str = "half_even", exact: bool | None = None) -> Fraction:
    """Rounds an exact rational to `places` decimals, half-even or down (toward zero).

    `exact` says whether a host computes x exactly; by default, when x is a short decimal.
    When it does not, x must be clear of the point where the rounding flips (MARGIN)."""
    scale = 10**places
    y = x * scale
    lo = y.numerator // y.denominator  # floor
    rem = y - lo  # 0 <= rem < 1
    if mode == "half_even":
        if rem < Fraction(1, 2):
            r = lo
        elif rem > Fraction(1, 2):
            r = lo + 1
        else:
            r = lo if lo % 2 == 0 else lo + 1
        distance = abs(rem - Fraction(1, 2))
        dmode = ROUND_HALF_EVEN
    elif mode == "down":
        r = lo if (y >= 0 or rem == 0) else lo + 1
        distance = min(rem, 1 - rem)
        dmode = ROUND_DOWN
    else:
        raise ValueError(mode)
    if exact is None:
        exact = fits_host_decimal(x)
    if not exact and distance < MARGIN:
        raise SystemExit(f"FRAGILE ROUNDING: {float(x)!r} to {places} places ({mode}) is within "
                         f"{float(distance)} of a flip: change the case")
    # Second method: decimal.quantize on a 60-digit approximation.
    approx = Decimal(x.numerator) / Decimal(x.denominator)
    q = approx.quantize(Decimal(1).scaleb(-places), rounding=dmode)
    if Fraction(q) != Fraction(r, scale):
        raise SystemExit(f"rounding self-check failed: {x} {places} {mode}: {r}/{scale} vs {q}")
    return Fraction(r, scale)


def rnd(x: Fraction, exact: bool | None = None) -> Fraction:
    """Half-even to cents."""
    return round_frac(x, 2, "half_even", exact)


def rdown(x: Fraction, exact: bool | None = None) -> Fraction:
    """Down (toward zero) to cents."""
    return round_frac(x, 2, "down", exact)


def text(q: Fraction, places: int) -> str:
    """Exact text of q with `places` decimals (q must be a multiple of 10^-places)."""
    n = q * 10**places
    assert n.denominator == 1, (q, places)
    n = n.numerator
    sign = "-" if n < 0 else ""
    s = str(abs(n)).rjust(places + 1, "0")
    return f"{sign}{s[:-places]}.{s[-places:]}" if places else f"{sign}{s}"


def money_text(q: Fraction) -> str:
    return text(q, 2)


def long_text(x: Fraction) -> str:
    """x written exactly when it has at most LONG_PLACES decimals, else rounded half-even to
    LONG_PLACES places (compared with TOLERANCE)."""
    for places in range(LONG_PLACES + 1):
        if (x * 10**places).denominator == 1:
            return text(x, places)
    return text(round_frac(x, LONG_PLACES, "half_even", exact=True), LONG_PLACES)


def to_dec(x: Fraction) -> Decimal:
    return Decimal(x.numerator) / Decimal(x.denominator)


def parse_money(v) -> tuple[Fraction, str]:
    if isinstance(v, dict):
        return F(v["amount"]), v["currency"]
    return F(v), "BRL"


def parse_rate(v: str) -> Fraction:
    """crm_core::Rate: "0.065" or "6.5%" (only these plain forms are used here), 0..=1."""
    s = v.strip()
    if s.endswith("%"):
        r = F(s[:-1].strip()) / 100
    else:
        r = F(s)
    assert 0 <= r <= 1, v
    return r


def parse_date(s: str) -> date:
    return date.fromisoformat(s)


def add_months(d: date, k: int) -> date:
    """d plus k calendar months, the day clamped to the month's last day."""
    m0 = d.year * 12 + (d.month - 1) + k
    y, m = divmod(m0, 12)
    m += 1
    last = calendar.monthrange(y, m)[1]
    return date(y, m, min(d.day, last))


# ---------------------------------------------------------------------------------------------
# Rates: monthly from annual effective, two ways
# ---------------------------------------------------------------------------------------------


def root12_newton(a: Decimal) -> Decimal:
    """x with x^12 = a (a > 0), Newton's iteration."""
    x = Decimal(1) + (a - 1) / 12
    for _ in range(500):
        nx = (11 * x + a / x**11) / 12
        if abs(nx - x) < Decimal("1e-58"):
            return nx
        x = nx
    raise SystemExit("root12 did not converge")


def root12_explog(a: Decimal) -> Decimal:
    return (a.ln() / 12).exp()


def monthly_from_annual(a: Fraction) -> Fraction:
    base = to_dec(1 + a)
    x1 = root12_newton(base)
    x2 = root12_explog(base)
    if abs(x1 - x2) > Decimal("1e-55"):
        raise SystemExit(f"monthly rate self-check failed for {a}: {x1} vs {x2}")
    if abs(x1**12 - base) > Decimal("1e-55"):
        raise SystemExit("monthly rate self-check failed: x^12 != 1 + a")
    return Fraction(x1) - 1


def monthly_rate(rate: dict) -> tuple[Fraction, bool]:
    """(monthly rate, whether a host holds it exactly)."""
    (kind, value), = rate.items()
    v = F(value)
    if kind == "monthly":
        if v <= -1 or v > 1:
            raise Invalid("validation.financing.rate", "rate")
        return v, True
    if kind == "annual_effective":
        if v <= -1:
            raise Invalid("validation.financing.rate", "rate")
        m = monthly_from_annual(v)
        if m > 1:
            raise Invalid("validation.financing.rate", "rate")
        return m, False
    raise ValueError(kind)


def annuity_factor(i: Fraction, n: int) -> Fraction:
    """i / (1 - (1+i)^-n): the instalment of a loan of 1 (i != 0)."""
    return i / (1 - (1 + i) ** -n)


def price_instalment(balance: Fraction, i: Fraction, n: int) -> Fraction:
    if i == 0:
        return rnd(balance / n)
    exact_value = balance * annuity_factor(i, n)
    pmt = rnd(exact_value, exact=False)
    # Second method, in 60-digit decimal: PMT = PV * i * (1+i)^n / ((1+i)^n - 1), and the present
    # value of n such instalments, sum PMT / (1+i)^k, is the balance.
    di, db = to_dec(i), to_dec(balance)
    growth = (1 + di) ** n
    dpmt = db * di * growth / (growth - 1)
    if abs(Fraction(dpmt) - exact_value) > Fraction(1, 10**40):
        raise SystemExit(f"PRICE self-check failed: {dpmt} vs {float(exact_value)}")
    v = 1 / (1 + di)
    pv = sum(dpmt * v**k for k in range(1, n + 1))
    if abs(pv - db) > Decimal("1e-40"):
        raise SystemExit(f"PRICE self-check failed: PV of {dpmt} x {n} != {balance}")
    return pmt


# ---------------------------------------------------------------------------------------------
# Financing
# ---------------------------------------------------------------------------------------------


def cet(payments: list[Fraction], received: Fraction) -> tuple[Fraction, Fraction]:
    """The monthly rate r with received = sum(payment_k / (1+r)^k), and (1+r)^12 - 1, both
    rounded half-even to 6 places. Bisection and Newton at 60 digits; the 6-place rounding of r
    is then proven exactly (integer arithmetic) at the two rounding midpoints."""
    pays = [to_dec(p) for p in payments]
    amount = to_dec(received)

    def f(r: Decimal) -> Decimal:
        v = 1 / (1 + r)
        acc, d = Decimal(0), Decimal(1)
        for p in pays:
            d *= v
            acc += p * d
        return acc - amount

    def df(r: Decimal) -> Decimal:
        v = 1 / (1 + r)
        acc, d = Decimal(0), v
        for k, p in enumerate(pays, 1):
            d *= v
            acc -= k * p * d
        return acc

    lo, hi = Decimal("-0.99"), Decimal(10)
    if received <= 0 or not (f(lo) > 0 > f(hi)):
        raise Invalid("pricing.cet.no_solution")
    for _ in range(220):
        mid = (lo + hi) / 2
        if f(mid) > 0:
            lo = mid
        else:
            hi = mid
    r_bis = (lo + hi) / 2
    r = Decimal("0.01")
    for _ in range(200):
        step = f(r) / df(r)
        r -= step
        if abs(step) < Decimal("1e-55"):
            break
    if abs(r - r_bis) > Decimal("1e-45"):
        raise SystemExit(f"CET self-check failed: bisection {r_bis} vs Newton {r}")
    exact_r = Fraction(r)
    r6 = round_frac(exact_r, 6, exact=False)
    # Proof of the rounding: f is decreasing, so f(r6 - 5e-7) > 0 > f(r6 + 5e-7) puts the root
    # strictly between the midpoints. f(m) with 1 + m = a/b: sign of sum p_k b^k a^(n-k) - A a^n.
    cents = [int(p * 100) for p in payments]
    amount_c = received * 100
    assert amount_c.denominator == 1
    for m, want_positive in ((r6 - Fraction(5, 10**7), True), (r6 + Fraction(5, 10**7), False)):
        one = 1 + m
        a, b = one.numerator, one.denominator
        acc, bk = 0, 1
        for p in cents:
            bk *= b
            acc = acc * a + p * bk
        value = acc - amount_c.numerator * a ** len(cents)
        if (value > 0) != want_positive or value == 0:
            raise SystemExit("CET rounding proof failed")
    annual = (1 + exact_r) ** 12 - 1
    a6 = round_frac(annual, 6, exact=False)
    # The host solves r to 1e-12: the annual rounding must not flip within that.
    for dr in (Fraction(-1, 10**11), Fraction(1, 10**11)):
        if round_frac((1 + exact_r + dr) ** 12 - 1, 6, exact=False) != a6:
            raise SystemExit("CET annual rounding is fragile")
        if round_frac(exact_r + dr, 6, exact=False) != r6:
            raise SystemExit("CET monthly rounding is fragile")
    return r6, a6


def simulate(inp: dict, with_cet: bool = True) -> dict:
    system = inp["system"]
    principal, cur = parse_money(inp["principal"])
    if principal <= 0 or (principal * 100).denominator != 1:
        raise Invalid("validation.financing.principal", "principal")
    i, i_exact = monthly_rate(inp["rate"])
    n = inp["term_months"]
    if not 1 <= n <= 600:
        raise Invalid("validation.financing.term", "term_months")
    first_due = parse_date(inp["first_due"])
    tr = [F(t) for t in inp.get("tr", [])]
    if tr and len(tr) != n:
        raise Invalid("validation.financing.tr_series", "tr")
    prop = parse_money(inp["property_value"])[0] if "property_value" in inp else None
    mip_rate = F(inp["mip_rate"]) if "mip_rate" in inp else None
    dfi_rate = F(inp["dfi_rate"]) if "dfi_rate" in inp else None
    if dfi_rate is not None:
        assert prop is not None
    admin = parse_money(inp["admin_fee"])[0] if "admin_fee" in inp else Fraction(0)
    upfront = parse_money(inp["upfront_costs"])[0] if "upfront_costs" in inp else Fraction(0)

    fixed_pmt = price_instalment(principal, i, n) if system == "price" and not tr else None
    fixed_amort = rnd(principal / n) if system == "sac" and not tr else None
    balance = principal
    lines = []
    for k in range(1, n + 1):
        correction = rnd(balance * tr[k - 1]) if tr else Fraction(0)
        b = balance + correction  # B'_{k-1}
        interest = rnd(b * i, exact=i_exact)
        if k == n:
            amort = b
        elif system == "sac":
            amort = fixed_amort if not tr else rnd(b / (n - k + 1))
        else:
            pmt = fixed_pmt if not tr else price_instalment(b, i, n - k + 1)
            amort = pmt - interest
        if amort < 0:
            raise Invalid("validation.financing.negative_amortization")
        instalment = interest + amort
        mip = rnd(b * mip_rate) if mip_rate is not None else Fraction(0)
        dfi = rnd(prop * dfi_rate) if dfi_rate is not None else Fraction(0)
        payment = instalment + mip + dfi + admin
        balance = b - amort
        assert balance >= 0, (k, balance)
        lines.append({"number": k, "due": add_months(first_due, k - 1).isoformat(),
                      "correction": correction, "interest": interest, "amortization": amort,
                      "instalment": instalment, "mip": mip, "dfi": dfi, "admin_fee": admin,
                      "payment": payment, "balance": balance})
    assert balance == 0
    tot = lambda key: sum((ln[key] for ln in lines), Fraction(0))  # noqa: E731
    # Self-checks: the balance is repaid exactly, with its corrections.
    assert tot("amortization") == principal + tot("correction")
    if system == "price" and not tr and n > 1:
        assert all(ln["instalment"] == fixed_pmt for ln in lines[:-1])
    if system == "sac" and not tr and n > 1:
        assert all(ln["amortization"] == fixed_amort for ln in lines[:-1])
    out = {
        "system": system,
        "monthly_rate": i,
        "lines": lines,
        "total_interest": tot("interest"),
        "total_amortization": tot("amortization"),
        "total_correction": tot("correction"),
        "total_insurance": tot("mip") + tot("dfi"),
        "total_fees": tot("admin_fee"),
        "total_paid": tot("payment"),
        "first_payment": lines[0]["payment"],
        "last_payment": lines[-1]["payment"],
    }
    cet_value = None
    try:
        cet_value = cet([ln["payment"] for ln in lines], principal - upfront)
    except Invalid:
        if with_cet:
            raise
    if with_cet:
        out["cet_monthly"], out["cet_annual"] = cet_value
    return out


def line_json(ln: dict) -> dict:
    return {k: (money_text(v) if isinstance(v, Fraction) else v) for k, v in ln.items()}


def financing_expect(out: dict, with_cet: bool) -> dict:
    lines = out["lines"]
    n = len(lines)
    picked = sorted({1, 2, 3, n} & set(range(1, n + 1)))
    exp = {
        "system": out["system"],
        "monthly_rate": long_text(out["monthly_rate"]),
        "line_count": n,
        "lines": [line_json(lines[k - 1]) for k in picked],
    }
    for key in ("total_interest", "total_amortization", "total_correction", "total_insurance",
                "total_fees", "total_paid", "first_payment", "last_payment"):
        exp[key] = money_text(out[key])
    if with_cet:
        exp["cet_monthly"] = text(out["cet_monthly"], 6)
        exp["cet_annual"] = text(out["cet_annual"], 6)
    return exp


# ---------------------------------------------------------------------------------------------
# Affordability
# ---------------------------------------------------------------------------------------------


def affordability(inp: dict) -> dict:
    system = inp["system"]
    income = parse_money(inp["gross_monthly_income"])[0]
    value = parse_money(inp["property_value"])[0]
    if income <= 0:
        raise Invalid("validation.financing.principal", "gross_monthly_income")
    if value <= 0:
        raise Invalid("validation.financing.principal", "property_value")
    i, i_exact = monthly_rate(inp["rate"])
    if not 1 <= inp["term_months"] <= 600:
        raise Invalid("validation.financing.term", "term_months")
    limits = inp["limits"]
    n = min(inp["term_months"], limits["max_term_months"])
    commitment = parse_rate(limits.get("income_commitment", "30%"))
    ltv = parse_rate(limits["max_ltv"])
    max_payment = rdown(income * commitment)
    if system == "price":
        if i == 0:
            by_income = rdown(max_payment * n)
        else:
            by_income = rdown(max_payment / annuity_factor(i, n), exact=False)
    else:
        # 1/n is a short decimal only when n = 2^a 5^b; then a host divides exactly.
        exact = i_exact and fits_host_decimal(Fraction(1, n))
        by_income = rdown(max_payment / (Fraction(1, n) + i), exact=exact)
    by_ltv = rdown(value * ltv)
    max_loan = min(by_income, by_ltv)
    binding = "income" if by_income < by_ltv else "ltv"
    if system == "price":
        first = rnd(max_loan / n) if i == 0 else rnd(max_loan * annuity_factor(i, n), exact=False)
    else:
        first = rnd(max_loan / n) + rnd(max_loan * i, exact=i_exact)
    # Self-checks: the first payment stays within a cent of the limit, and the loan by income is
    # the largest whole-cent loan whose exact first instalment fits the maximum payment.
    assert first <= max_payment + Fraction(1, 100)
    exact_first = (lambda L: L / n + L * i) if system == "sac" else (
        (lambda L: L / n) if i == 0 else (lambda L: L * annuity_factor(i, n)))
    assert exact_first(by_income) <= max_payment < exact_first(by_income + Fraction(1, 100))
    return {
        "term_months": n,
        "max_payment": max_payment,
        "max_loan_by_income": by_income,
        "max_loan_by_ltv": by_ltv,
        "max_loan": max_loan,
        "binding_limit": binding,
        "down_payment": value - max_loan,
        "first_payment": first,
    }


def affordability_expect(out: dict) -> dict:
    return {k: (money_text(v) if isinstance(v, Fraction) else v) for k, v in out.items()}


# ---------------------------------------------------------------------------------------------
# Rent adjustment
# ---------------------------------------------------------------------------------------------


def ym_parse(s: str) -> tuple[int, int]:
    y, m = s.split("-")
    assert len(y) == 4 and len(m) == 2
    return int(y), int(m)


def ym_add(ym: tuple[int, int], k: int) -> tuple[int, int]:
    y, m = divmod(ym[0] * 12 + ym[1] - 1 + k, 12)
    return y, m + 1


def ym_text(ym: tuple[int, int]) -> str:
    return f"{ym[0]:04d}-{ym[1]:02d}"


def adjust_rent(inp: dict) -> dict:
    (kind, raw), = inp["series"].items()
    if not raw:
        raise Invalid("validation.index.empty", "series")
    series = {ym_parse(k): (v, F(v)) for k, v in raw.items()}
    rent = parse_money(inp["current_rent"])[0]
    start = parse_date(inp["contract_start"])
    year = inp["adjustment_year"]
    reneg = parse_date(inp["renegotiated_on"]) if inp.get("renegotiated_on") else None
    lag = inp.get("lag_months", 1)
    policy = inp.get("negative_policy", "apply")
    base_date = reneg or start
    if year < base_date.year + 1:
        raise Invalid("validation.index.too_early")
    month = base_date.month
    anniversary = date(year, month, min(base_date.day, calendar.monthrange(year, month)[1]))
    end = ym_add((year, month), -lag)
    wstart = ym_add(end, -11)
    if kind == "variations":
        needed = [ym_add(wstart, k) for k in range(12)]
    else:
        needed = [ym_add(wstart, -1), end]
    missing = [m for m in needed if m not in series]
    if missing:
        raise Invalid("validation.index.missing_months", "series", missing_months=[ym_text(m) for m in missing])
    used = [(m, series[m]) for m in needed]
    if kind == "variations":
        if any(v <= -1 for _, (_, v) in used):
            raise Invalid("validation.index.value")
        factor = Fraction(1)
        for _, (_, v) in used:
            factor *= 1 + v
        # Second method: the product again in 60-digit decimal.
        dprod = Decimal(1)
        for _, (s, _) in used:
            dprod *= 1 + Decimal(s)
        assert abs(Fraction(dprod) - factor) < Fraction(1, 10**50)
    else:
        if any(v <= 0 for _, (_, v) in used):
            raise Invalid("validation.index.value")
        factor = used[1][1][1] / used[0][1][1]
        # Second method: the product of the month-on-month ratios telescopes to the same factor
        # (when the series has every month in between).
        chain = [ym_add(wstart, k) for k in range(-1, 12)]
        if all(m in series for m in chain):
            prod = Fraction(1)
            for a, b in zip(chain, chain[1:]):
                prod *= series[b][1] / series[a][1]
            assert prod == factor
    exact = fits_host_decimal(factor)
    variation = round_frac(factor - 1, 6, exact=exact)
    floored = factor < 1 and policy == "floor_at_zero"
    applied = Fraction(1) if floored else factor
    new_rent = rnd(rent * applied, exact=exact or floored)
    return {
        "anniversary": anniversary.isoformat(),
        "window_start": ym_text(wstart),
        "window_end": ym_text(end),
        "months": [{"month": ym_text(m), "value": s} for m, (s, _) in used],
        "factor": long_text(factor),
        "variation": text(variation, 6),
        "applied_factor": long_text(applied),
        "floored": floored,
        "previous_rent": money_text(rent),
        "new_rent": money_text(new_rent),
        "source": kind,
    }


# ---------------------------------------------------------------------------------------------
# Closing costs
# ---------------------------------------------------------------------------------------------


def check_table(table: list[dict], name: str) -> None:
    last = len(table) - 1
    prev = None
    for idx, br in enumerate(table):
        up_to = br.get("up_to")
        if up_to is None:
            if idx != last:
                raise Invalid("validation.fee_table.order", None)  # path: not pinned down
            continue
        value = parse_money(up_to)[0]
        if prev is not None and value <= prev:
            raise Invalid("validation.fee_table.order", f"config.{name}[{idx}].up_to")
        prev = value


def fee_for(table: list[dict], value: Fraction) -> Fraction:
    for br in table:
        up_to = br.get("up_to")
        if up_to is None or value <= parse_money(up_to)[0]:
            return parse_money(br["fee"])[0]
    raise Invalid("validation.fee_table.uncovered")


def closing_costs(inp: dict) -> dict:
    declared = parse_money(inp["declared_value"])[0]
    financed = parse_money(inp["financed"])[0] if inp.get("financed") is not None else None
    notary_required = inp.get("notary_required", True)
    cfg = inp["config"]
    if financed is not None and financed > declared:
        raise Invalid("validation.financing.principal", "financed")
    check_table(cfg["registry_fees"], "registry_fees")
    check_table(cfg["notary_fees"], "notary_fees")
    rate = parse_rate(cfg["itbi_rate"])
    reference = parse_money(cfg["itbi_reference_value"])[0] if cfg.get("itbi_reference_value") else None
    base = max(declared, reference) if reference is not None else declared
    if cfg.get("itbi_financed_rate") is not None:
        assert financed is not None
        cap = parse_money(cfg["itbi_financed_cap"])[0] if cfg.get("itbi_financed_cap") else financed
        reduced = min(financed, cap)
        itbi = rnd(reduced * parse_rate(cfg["itbi_financed_rate"])) + rnd((base - reduced) * rate)
    else:
        itbi = rnd(base * rate)
    # The contract does not say whether the fee tables look at the declared value or the ITBI
    # base; every case keeps both in the same bracket so the question does not arise.
    registry = fee_for(cfg["registry_fees"], declared)
    assert fee_for(cfg["registry_fees"], base) == registry, "declared and ITBI base in different brackets"
    notary = Fraction(0)
    if notary_required:
        notary = fee_for(cfg["notary_fees"], declared)
        assert fee_for(cfg["notary_fees"], base) == notary
    total = itbi + registry + notary
    down = declared - (financed or 0)
    return {
        "itbi_base": money_text(base),
        "itbi": money_text(itbi),
        "registry": money_text(registry),
        "notary": money_text(notary),
        "total_costs": money_text(total),
        "down_payment": money_text(down),
        "cash_needed": money_text(down + total),
    }


# ---------------------------------------------------------------------------------------------
# Valuation statistics
# ---------------------------------------------------------------------------------------------


def median(xs: list[Fraction]) -> Fraction:
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def quantile7(xs: list[Fraction], p: Fraction) -> Fraction:
    """numpy's default ("linear", Hyndman-Fan type 7): position p(n-1), 0-based."""
    s = sorted(xs)
    pos = p * (len(s) - 1)
    lo = pos.numerator // pos.denominator
    frac = pos - lo
    if lo + 1 >= len(s):
        return s[lo]
    return s[lo] + frac * (s[lo + 1] - s[lo])


def stat6(x: Fraction, exact_path: bool) -> str:
    return text(round_frac(x, 6, exact=exact_path and fits_host_decimal(x)), 6)


def check_currencies(currencies: list[str]) -> None:
    if len(set(currencies)) > 1:
        raise Invalid("money.currency_mismatch")


def ratio_study(pairs: list[dict]) -> dict:
    if not pairs:
        raise Invalid("validation.stats.empty")
    preds, sales, curs = [], [], []
    for idx, p in enumerate(pairs):
        pv, pc = parse_money(p["predicted"])
        sv, sc = parse_money(p["sale_price"])
        if pv <= 0:
            raise Invalid("validation.stats.value", f"[{idx}].predicted")
        if sv <= 0:
            raise Invalid("validation.stats.value", f"[{idx}].sale_price")
        preds.append(pv)
        sales.append(sv)
        curs += [pc, sc]
    check_currencies(curs)
    n = len(pairs)
    ratios = [p / s for p, s in zip(preds, sales)]
    exact = all(fits_host_decimal(r) for r in ratios)
    med = median(ratios)
    mean = sum(ratios) / n
    weighted = sum(preds) / sum(sales)
    errors = [abs(r - 1) for r in ratios]
    mdape = median(errors)
    mape = sum(errors) / n
    ppe10 = Fraction(sum(1 for e in errors if e <= Fraction(1, 10)), n)
    ppe20 = Fraction(sum(1 for e in errors if e <= Fraction(2, 10)), n)
    dev = sum(abs(r - med) for r in ratios) / n
    cod = 100 * dev / med
    prd = mean / weighted
    # Second method: the statistics module on the same exact fractions.
    assert med == statistics.median(ratios) and mean == statistics.mean(ratios)
    assert mdape == statistics.median(errors)
    return {
        "count": n,
        "median_ratio": stat6(med, exact),
        "mean_ratio": stat6(mean, exact and fits_host_decimal(sum(ratios))),
        "weighted_mean_ratio": stat6(weighted, True),
        "mdape": stat6(mdape, exact),
        "mape": stat6(mape, exact and fits_host_decimal(sum(errors))),
        "ppe10": stat6(ppe10, True),
        "ppe20": stat6(ppe20, True),
        "cod": stat6(cod, exact and fits_host_decimal(dev) and fits_host_decimal(med)),
        "prd": stat6(prd, exact and fits_host_decimal(mean) and fits_host_decimal(weighted)),
    }


def price_per_m2(comps: list[dict]) -> dict:
    if not comps:
        raise Invalid("validation.stats.empty")
    per, curs = [], []
    for idx, c in enumerate(comps):
        price, cur = parse_money(c["price"])
        area = F(c["area_m2"])
        if price <= 0:
            raise Invalid("validation.stats.value", f"[{idx}].price")
        if area <= 0:
            raise Invalid("validation.stats.value", f"[{idx}].area_m2")
        per.append(price / area)
        curs.append(cur)
    check_currencies(curs)
    exact = all(fits_host_decimal(x) for x in per)
    s = sorted(per)
    q1, q2, q3 = (quantile7(per, Fraction(k, 4)) for k in (1, 2, 3))
    assert q2 == median(per)
    if len(per) >= 2:  # second method: statistics.quantiles, "inclusive" is type 7
        assert statistics.quantiles(per, n=4, method="inclusive") == [q1, q2, q3]
    mean = sum(per) / len(per)
    m = lambda x: money_text(rnd(x, exact=exact and fits_host_decimal(x)))  # noqa: E731
    return {"count": len(per), "min": m(s[0]), "q1": m(q1), "median": m(q2), "q3": m(q3),
            "max": m(s[-1]), "mean": m(mean)}


# ---------------------------------------------------------------------------------------------
# ANCHORS: worked by hand. The script stops if the rules above disagree with any of them.
# ---------------------------------------------------------------------------------------------


def check_anchors() -> None:
    # Monthly rate from 12% a year: (1.12)^(1/12) - 1 = 0.0094887929345829741263550691...
    #   (0.9488792934582974...% a month). Check: ln(1.12) = 0.1133286853; /12 = 0.0094440571;
    #   e^0.0094440571 = 1 + 0.0094440571 + 0.0000445951 + 0.0000001404 + 0.0000000003
    #   = 1.0094887929. Beware: in binary floating point, 1.12 ** (1/12) - 1 gives
    #   0.009488792934583046, wrong from the 15th significant digit; (1.009488792934583046)^12
    #   = 1.12000000000000096, while (1.00948879293458297412635507)^12 = 1.12 + 4e-25.
    m = monthly_from_annual(F("0.12"))
    assert long_text(m).startswith("0.00948879293458297412635"), long_text(m)
    assert abs((1 + F("0.00948879293458297412635507")) ** 12 - F("1.12")) < F("1e-24")
    assert abs((1 + F("0.009488792934583046")) ** 12 - F("1.12")) > F("9e-16")
    # 11.49% a year (a common bank rate): 1.1149^(1/12) - 1 = 0.0091... (ln 1.1149 = 0.108764...,
    # /12 = 0.0090637, e^x - 1 = 0.0091049...).
    assert long_text(monthly_from_annual(F("0.1149"))).startswith("0.009104"), long_text(monthly_from_annual(F("0.1149")))

    # PRICE R$ 100,000.00 at 1% a month for 12 months.
    #   1.01^12 = 1.126825030131969720661201; 1.01^-12 = 0.887449225689...
    #   PMT = 100000 * 0.01 / (1 - 0.887449225689) = 1000 / 0.112550774311 = 8884.878867...
    #   -> 8884.88. Line 1: interest 100000.00 * 0.01 = 1000.00, amortisation 8884.88 - 1000.00
    #   = 7884.88, balance 92115.12. Line 2: interest 921.1512 -> 921.15, amortisation 7963.73,
    #   balance 84151.39. Line 3: interest 841.5139 -> 841.51, amortisation 8043.37, balance
    #   76108.02. A second method: PMT = PV * i * (1+i)^n / ((1+i)^n - 1)
    #   = 1000 * 1.12682503 / 0.12682503 = 8884.8789 (same).
    s = simulate(FIN_ANCHOR_PRICE)
    ln = s["lines"]
    assert rnd(Fraction(1000) * F("1.126825030131969720661201") / F("0.126825030131969720661201"), exact=False) == F("8884.88")
    assert [(money_text(x["interest"]), money_text(x["amortization"]), money_text(x["balance"])) for x in ln[:3]] == [
        ("1000.00", "7884.88", "92115.12"), ("921.15", "7963.73", "84151.39"), ("841.51", "8043.37", "76108.02")]
    assert all(money_text(x["instalment"]) == "8884.88" for x in ln[:11])
    # Last line: the balance before it is whatever is left; it is repaid in full, so the last
    # instalment absorbs the rounding residual; totals: paid = 11 * 8884.88 + last.
    assert money_text(s["total_amortization"]) == "100000.00"
    assert s["total_paid"] == 11 * F("8884.88") + ln[11]["instalment"]
    assert abs(ln[11]["instalment"] - F("8884.88")) <= F("0.05")
    # Without fees the CET is the contract rate itself: r = 1.000000%, annual (1.01)^12 - 1
    # = 0.126825030... -> 0.126825 (the cent roundings move r by ~1e-8 only).
    assert (text(s["cet_monthly"], 6), text(s["cet_annual"], 6)) == ("0.010000", "0.126825")

    # SAC R$ 120,000.00 over 120 months at 1%: amortisation 120000/120 = 1000.00.
    #   Line 1: interest 1200.00, instalment 2200.00, balance 119000.00.
    #   Line 2: interest 1190.00, instalment 2190.00, balance 118000.00.
    #   Line 3: 1180.00 + 1000.00 = 2180.00. Line 120: balance 1000.00, interest 10.00 -> 1010.00.
    #   Total interest: 1% of (120000 + 119000 + ... + 1000) = 0.01 * 1000 * (120*121/2)
    #   = 10 * 7260 = 72600.00; total paid 192600.00.
    s = simulate(FIN_ANCHOR_SAC)
    ln = s["lines"]
    assert [money_text(x["instalment"]) for x in ln[:3]] == ["2200.00", "2190.00", "2180.00"]
    assert money_text(ln[-1]["instalment"]) == "1010.00"
    assert money_text(s["total_interest"]) == "72600.00" and money_text(s["total_paid"]) == "192600.00"

    # PRICE R$ 10,000.00 at 2% for 2 months: 1.02^2 = 1.0404; PMT = 200 / (1 - 1/1.0404)
    #   = 200 * 1.0404 / 0.0404 = 5150.4950... -> 5150.50. Line 1: interest 200.00, amortisation
    #   4950.50, balance 5049.50. Line 2: interest 100.99 (100.990), amortisation 5049.50,
    #   instalment 5150.49 (the last one absorbs the residual).
    s = simulate({"system": "price", "principal": "10000.00", "rate": {"monthly": "0.02"},
                  "term_months": 2, "first_due": "2026-01-10"})
    assert [money_text(x["instalment"]) for x in s["lines"]] == ["5150.50", "5150.49"]
    assert money_text(s["lines"][0]["balance"]) == "5049.50"

    # SAC R$ 10,000.00 at 1.5% for 3 months: A = 3333.33 (3333.333...).
    #   Line 1: interest 150.00, instalment 3483.33, balance 6666.67.
    #   Line 2: interest 6666.67 * 0.015 = 100.00005 -> 100.00, instalment 3433.33, balance 3333.34.
    #   Line 3: interest 50.0001 -> 50.00, amortisation 3333.34, instalment 3383.34.
    s = simulate({"system": "sac", "principal": "10000.00", "rate": {"monthly": "0.015"},
                  "term_months": 3, "first_due": "2026-01-10"})
    assert [money_text(x["instalment"]) for x in s["lines"]] == ["3483.33", "3433.33", "3383.34"]

    # Half-even ties: SAC R$ 2,469.00 at 0.5% for 2 months: interest 2469.00 * 0.005 = 12.345
    #   -> 12.34 (4 is even); amortisation 1234.50; line 2 interest 6.1725 -> 6.17.
    #   R$ 2,471.00: 12.355 -> 12.36 (5 is odd, so up).
    s = simulate({"system": "sac", "principal": "2469.00", "rate": {"monthly": "0.005"},
                  "term_months": 2, "first_due": "2026-01-10"})
    assert [money_text(x["interest"]) for x in s["lines"]] == ["12.34", "6.17"]
    s = simulate({"system": "sac", "principal": "2471.00", "rate": {"monthly": "0.005"},
                  "term_months": 2, "first_due": "2026-01-10"})
    assert money_text(s["lines"][0]["interest"]) == "12.36"

    # Term 1 at 1%: R$ 1,000.00 -> one instalment 1010.00; the CET solves 1000 = 1010/(1+r):
    #   r = 0.01 exactly; annual 1.01^12 - 1 = 0.12682503... -> 0.126825.
    s = simulate({"system": "price", "principal": "1000.00", "rate": {"monthly": "0.01"},
                  "term_months": 1, "first_due": "2026-01-10"})
    assert money_text(s["total_paid"]) == "1010.00" and text(s["cet_monthly"], 6) == "0.010000"

    # Due dates from Jan 31: Feb 28 (2026) or Feb 29 (2028), then Mar 31 (from first_due,
    # never from the clamped date).
    assert [add_months(date(2026, 1, 31), k).isoformat() for k in range(3)] == ["2026-01-31", "2026-02-28", "2026-03-31"]
    assert add_months(date(2028, 1, 31), 1).isoformat() == "2028-02-29"

    # Zero rate, R$ 100,000.00 in 3: 33333.33, 33333.33, 33333.34; CET 0.
    s = simulate({"system": "price", "principal": "100000.00", "rate": {"monthly": "0"},
                  "term_months": 3, "first_due": "2026-01-10"})
    assert [money_text(x["instalment"]) for x in s["lines"]] == ["33333.33", "33333.33", "33333.34"]
    assert s["cet_monthly"] == 0 and s["cet_annual"] == 0

    # TR: SAC R$ 1,000.00, 0% interest, 2 months, TR 1% then 0: line 1 correction 10.00,
    #   B' = 1010.00, amortisation 1010.00/2 = 505.00, balance 505.00; line 2: 505.00.
    s = simulate({"system": "sac", "principal": "1000.00", "rate": {"monthly": "0"},
                  "term_months": 2, "first_due": "2026-01-10", "tr": ["0.01", "0"]})
    assert [(money_text(x["correction"]), money_text(x["amortization"])) for x in s["lines"]] == [
        ("10.00", "505.00"), ("0.00", "505.00")]

    # Affordability, PRICE: income R$ 10,000.00 * 30% = 3000.00 a month; 1% for 360 months:
    #   1.01^-360 = 0.027816689...; (1 - 0.027816689)/0.01 = 97.2183311...;
    #   3000 * 97.2183311 = 291654.99... -> max_loan_by_income (round down).
    a = affordability(AFF_ANCHOR_PRICE)
    assert money_text(a["max_payment"]) == "3000.00"
    assert money_text(a["max_loan_by_income"]).startswith("291654."), a
    assert a["binding_limit"] == "income"
    # SAC: loan = 3000 / (1/360 + 0.01) = 3000 * 360 / 4.6 = 234782.6086... -> 234782.60;
    #   first payment: 234782.60/360 = 652.1738... -> 652.17, plus 2347.826 -> 2347.83: 3000.00.
    a = affordability(dict(AFF_ANCHOR_PRICE, system="sac"))
    assert (money_text(a["max_loan_by_income"]), money_text(a["first_payment"])) == ("234782.60", "3000.00")
    # Tie: 0% for 100 months -> 3000.00 * 100 = 300000.00 = 375000.00 * 80%: "ltv".
    a = affordability({"system": "price", "gross_monthly_income": "10000.00", "property_value": "375000.00",
                       "rate": {"monthly": "0"}, "term_months": 100,
                       "limits": {"max_ltv": "80%", "max_term_months": 420}})
    assert (money_text(a["max_loan"]), a["binding_limit"]) == ("300000.00", "ltv")

    # Rent: 0.5% a month for 12 months: 1.005^12 = 1.0616778118644995...;
    #   R$ 2,000.00 * 1.06167781186 = 2123.3556... -> 2123.36; variation 0.061678.
    r = adjust_rent(RENT_ANCHOR)
    assert (r["new_rent"], r["variation"], r["window_start"], r["window_end"]) == (
        "2123.36", "0.061678", "2024-03", "2025-02")
    # Index numbers: 1045.678 / 1000.000 = 1.045678; R$ 1,500.00 * 1.045678 = 1568.517 -> 1568.52.
    r = adjust_rent(RENT_ANCHOR_NUMBERS)
    assert (r["factor"], r["new_rent"]) == ("1.045678", "1568.52")
    # Tie on the new rent: one month of 1.25%: R$ 1,000.40 * 1.0125 = 1012.905 -> 1012.90 (even).
    r = adjust_rent(rent_single_month("1000.40", "0.0125"))
    assert r["new_rent"] == "1012.90"
    r = adjust_rent(rent_single_month("1001.20", "0.0125"))  # 1013.715 -> 1013.72
    assert r["new_rent"] == "1013.72"

    # ITBI in São Paulo, 3% of R$ 500,000.00 = 15000.00; reference value R$ 520,000.00 above the
    #   declared one: 3% of 520000.00 = 15600.00.
    #   SFH-style: financed 400000.00, reduced 0.5% on up to 130000.00 of it: 650.00, and 3% on
    #   500000.00 - 130000.00 = 370000.00: 11100.00; ITBI 11750.00.
    assert closing_costs(cc_input("500000.00"))["itbi"] == "15000.00"
    assert closing_costs(cc_input("500000.00", itbi_reference_value="520000.00"))["itbi"] == "15600.00"
    c = closing_costs(cc_input("500000.00", financed="400000.00", itbi_financed_rate="0.5%",
                               itbi_financed_cap="130000.00"))
    assert c["itbi"] == "11750.00" and c["down_payment"] == "100000.00"
    # Ties: 3% of 500000.50 = 15000.015 -> 15000.02; of 500001.50 = 15000.045 -> 15000.04.
    assert closing_costs(cc_input("500000.50"))["itbi"] == "15000.02"
    assert closing_costs(cc_input("500001.50"))["itbi"] == "15000.04"

    # Ratio study, 5 pairs: ratios 1.02, 0.95, 1.10, 0.80, 1.03 (sorted 0.80 0.95 1.02 1.03 1.10).
    #   median 1.02; mean 4.90/5 = 0.98; weighted 2631000/2600000 = 1.0119230769... -> 1.011923;
    #   |r - 1| = 0.02 0.05 0.10 0.20 0.03: median 0.05, mean 0.40/5 = 0.08;
    #   PPE10 = 4/5 (0.10 counts: inclusive) = 0.8; PPE20 = 5/5 = 1;
    #   |r - 1.02| = 0 0.07 0.08 0.22 0.01, mean 0.38/5 = 0.076; COD = 100 * 0.076/1.02
    #   = 7.4509803921... -> 7.450980; PRD = 0.98 / 1.0119230769 = 0.98 * 2600000/2631000
    #   = 2548000/2631000 = 0.9684530596... -> 0.968453.
    st = ratio_study(RATIO_5)
    assert st == {"count": 5, "median_ratio": "1.020000", "mean_ratio": "0.980000",
                  "weighted_mean_ratio": "1.011923", "mdape": "0.050000", "mape": "0.080000",
                  "ppe10": "0.800000", "ppe20": "1.000000", "cod": "7.450980", "prd": "0.968453"}, st
    # 6 pairs: add 700000/700000 = 1.00. Sorted 0.80 0.95 1.00 1.02 1.03 1.10: median 1.01;
    #   mean 5.90/6 = 0.98333... -> 0.983333; weighted 3331000/3300000 = 1.00939393... -> 1.009394;
    #   |r - 1| sorted 0 0.02 0.03 0.05 0.10 0.20: median (0.03+0.05)/2 = 0.04; mean 0.40/6
    #   = 0.0666... -> 0.066667; PPE10 5/6 = 0.833333; PPE20 1; |r - 1.01| = 0.01 0.06 0.09 0.21
    #   0.02 0.01 -> sum 0.40, mean 0.0666..., COD = 100 * 0.0666.../1.01 = 6.6006600... ->
    #   6.600660; PRD = 0.98333.../1.00939393... = (5.9/6) * 3300000/3331000 = 0.974182... .
    st = ratio_study(RATIO_6)
    assert (st["median_ratio"], st["mean_ratio"], st["weighted_mean_ratio"], st["mdape"], st["mape"],
            st["ppe10"], st["cod"]) == ("1.010000", "0.983333", "1.009394", "0.040000", "0.066667",
                                        "0.833333", "6.600660"), st
    assert st["prd"].startswith("0.97418"), st
    # Price per m2, 4 comparables at 8000, 9000, 10000, 12000 a m2 (type 7): q1 at position
    #   0.75 -> 8000 + 0.75 * 1000 = 8750; median at 1.5 -> 9500; q3 at 2.25 -> 10000 + 0.25 *
    #   2000 = 10500; mean 39000/4 = 9750.
    pp = price_per_m2(PPM2_4)
    assert pp == {"count": 4, "min": "8000.00", "q1": "8750.00", "median": "9500.00", "q3": "10500.00",
                  "max": "12000.00", "mean": "9750.00"}, pp


# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------

FIN_ANCHOR_PRICE = {"system": "price", "principal": "100000.00", "rate": {"monthly": "0.01"},
                    "term_months": 12, "first_due": "2026-02-10"}
FIN_ANCHOR_SAC = {"system": "sac", "principal": "120000.00", "rate": {"monthly": "0.01"},
                  "term_months": 120, "first_due": "2026-03-05"}

TR_12 = ["0.000862", "0.001245", "0.000917", "0.000531", "0.000000", "0.001630",
         "0.000412", "0.000785", "0.001104", "0.000299", "0.000658", "0.000943"]
TR_24 = TR_12 + ["0.001021", "0.000000", "0.000377", "0.000812", "0.001455", "0.000690",
                 "0.000524", "0.000000", "0.000963", "0.001187", "0.000745", "0.000606"]


def fin(system, principal, rate, term, first_due="2026-01-15", **extra) -> dict:
    rate_obj = {"monthly": rate} if isinstance(rate, str) else rate
    return {"system": system, "principal": principal, "rate": rate_obj, "term_months": term,
            "first_due": first_due, **extra}


def annual(a: str) -> dict:
    return {"annual_effective": a}


FINANCING_SPECS = [
    # (input, with_cet, note)  -- success cases
    (FIN_ANCHOR_PRICE, True, "anchor: PMT 8884.88 (100000 * 0.01 / (1 - 1.01^-12) = 8884.8788...)"),
    (FIN_ANCHOR_SAC, True, "anchor: amortisation 1000.00, instalments 2200.00, 2190.00, ..., 1010.00"),
    (fin("price", "300000.00", annual("0.12"), 360), True, "12% a year effective -> 0.9488792934583...% a month; 30 years"),
    (fin("sac", "300000.00", annual("0.12"), 360), True, "12% a year effective, SAC, 30 years"),
    (fin("price", "1000.00", "0.01", 1, "2026-01-10"), True, "term 1: one instalment 1010.00; CET exactly 1% a month"),
    (fin("sac", "1000.00", "0.01", 1, "2026-01-10"), True, "term 1, SAC: the same single instalment"),
    (fin("price", "10000.00", "0.02", 2, "2026-01-10"), True, "anchor: term 2, PMT 5150.50, last 5150.49"),
    (fin("sac", "10000.00", "0.02", 2, "2026-01-10"), True, "term 2, SAC: 5200.00, 5100.00"),
    (fin("price", "10000.00", "0.015", 3, "2026-01-10"), True, "term 3, PRICE"),
    (fin("sac", "10000.00", "0.015", 3, "2026-01-10"), True, "anchor: term 3, SAC: A = 3333.33; 3483.33, 3433.33, 3383.34"),
    (fin("price", "250000.00", annual("0.1149"), 360, "2026-04-30"), True, "11.49% a year, 30 years; due on the 30th (February clamps to 28/29)"),
    (fin("sac", "250000.00", annual("0.1149"), 360, "2026-04-30"), True, "11.49% a year, SAC"),
    (fin("price", "180000.00", "0.0075", 240), True, "0.75% a month, 20 years"),
    (fin("sac", "500000.00", annual("0.1"), 420, "2026-06-01"), True, "10% a year, 35 years"),
    (fin("price", "80000.00", "0.009", 600, "2026-02-20"), True, "the longest term allowed (600 months)"),
    (fin("sac", "80000.00", "0.009", 600, "2026-02-20"), True, "the longest term allowed, SAC"),
    (fin("price", "100000.00", "0", 3, "2026-01-10"), True, "zero rate: 33333.33, 33333.33, 33333.34; CET 0"),
    (fin("sac", "100000.00", "0", 3, "2026-01-10"), True, "zero rate, SAC: the same amounts"),
    (fin("price", "60000.00", "0", 12, "2026-01-10"), True, "zero rate, exact division: 5000.00 every month"),
    (fin("sac", "120000.00", "0.01", 12, "2026-01-31"), True, "due-date clamping from Jan 31: Feb 28 2026, Mar 31, ..., Dec 31"),
    (fin("price", "50000.00", "0.012", 3, "2028-01-31"), True, "due-date clamping in a leap year: 2028-02-29, then 2028-03-31"),
    (fin("price", "50000.00", "0.012", 3, "2026-03-31"), True, "due dates from Mar 31: Apr 30, then May 31 (always from first_due)"),
    (fin("price", "400000.00", annual("0.1149"), 360, "2026-02-10", property_value="500000.00",
         mip_rate="0.00025", dfi_rate="0.00012", admin_fee="25.00", upfront_costs="3500.00"), True,
     "MIP 0.025% of the balance, DFI 0.012% of R$ 500,000.00 (60.00), admin fee 25.00, upfront 3,500.00"),
    (fin("sac", "400000.00", annual("0.1149"), 360, "2026-02-10", property_value="500000.00",
         mip_rate="0.00025", dfi_rate="0.00012", admin_fee="25.00", upfront_costs="3500.00"), True,
     "the same costs under SAC"),
    (fin("sac", "24000.00", "0.01", 12, "2026-01-10", mip_rate="0.0003"), True, "MIP only, on the balance before each payment"),
    (fin("price", "24000.00", "0.01", 12, "2026-01-10", property_value="90000.00", dfi_rate="0.000155"), True,
     "DFI only: 90000.00 * 0.000155 = 13.95 every month"),
    (fin("sac", "2469.00", "0.005", 2, "2026-01-10"), True, "half-even tie: interest 12.345 -> 12.34, then 6.1725 -> 6.17"),
    (fin("sac", "2471.00", "0.005", 2, "2026-01-10"), True, "half-even tie: interest 12.355 -> 12.36"),
    (fin("sac", "200000.00", "0.008", 12, "2026-01-05", tr=TR_12), True,
     "TR: correction on the balance, then amortisation = corrected balance / remaining months"),
    (fin("price", "200000.00", "0.008", 12, "2026-01-05", tr=TR_12), True,
     "TR: PRICE instalment recomputed every month on the corrected balance"),
    (fin("price", "150000.00", annual("0.0899"), 24, "2026-01-05", tr=TR_24), True, "TR with an annual rate and zero-TR months"),
    (fin("sac", "1000.00", "0", 2, "2026-01-10", tr=["0.01", "0"]), True, "anchor: TR 1% then 0 at 0% interest: 505.00 + 505.00"),
    (fin("price", {"amount": "150000.00", "currency": "BRL"}, "0.0095", 180, "2026-07-15"), True, "principal in the object form"),
    (fin("price", "1000000.00", annual("0.0899"), 300, "2026-01-15"), True, "R$ 1 million at 8.99% a year for 25 years"),
    (fin("price", "100000.00", "0.01", 12, "2026-02-10", upfront_costs="2000.00"), True,
     "upfront costs lower the amount received, so the CET rises above 1% a month"),
    (fin("price", "60000.00", "0", 12, "2026-01-10", admin_fee="25.00"), True, "zero rate plus an admin fee: a positive CET"),
    (fin("sac", "350000.00", annual("0.1"), 2, "2026-01-15"), True, "an annual rate over 2 months"),
    (fin("price", "123456.78", "0.0123", 37, "2026-05-31"), True, "odd principal and term"),
    (fin("price", "12000.00", "-0.005", 12, "2026-01-10"), True,
     "a negative rate (allowed above -100%): interest is negative, the CET is about -0.5% a month"),
    (fin("price", "1000.00", "1", 3, "2026-01-10"), True,
     "the highest monthly rate allowed, 100%: PMT = 1000 / (1 - 1/8) = 1142.857... -> 1142.86"),
]

FINANCING_ERRORS = [
    # (input, code, path, note)
    (fin("price", "100000.00", "0.01", 0), "validation.financing.term", "term_months", "term 0"),
    (fin("sac", "100000.00", "0.01", 601), "validation.financing.term", "term_months", "601 months: above 50 years"),
    (fin("price", "100000.00", "0.01", 7200), "validation.financing.term", "term_months", "7200 months (600 years)"),
    (fin("price", "100000.00", "-1", 12), "validation.financing.rate", None, "a rate of -100%"),
    (fin("sac", "100000.00", "-1.5", 12), "validation.financing.rate", None, "a rate below -100%"),
    (fin("price", "100000.00", annual("-1"), 12), "validation.financing.rate", None, "an annual rate of -100%"),
    (fin("price", "100000.00", annual("-2.5"), 12), "validation.financing.rate", None, "an annual rate below -100%"),
    (fin("price", "100000.00", "1.5", 12), "validation.financing.rate", None, "150% a month: above 100% a month"),
    (fin("price", "0.00", "0.01", 12), "validation.financing.principal", "principal", "principal 0"),
    (fin("sac", "-1000.00", "0.01", 12), "validation.financing.principal", "principal", "a negative principal"),
    (fin("price", "1000.005", "0.01", 12), "validation.financing.principal", "principal", "a principal with a fraction of a cent"),
    (fin("sac", "200000.00", "0.008", 12, tr=TR_12[:11]), "validation.financing.tr_series", None, "TR series too short: 11 values for 12 months"),
    (fin("price", "200000.00", "0.008", 12, tr=TR_12 + ["0.0005"]), "validation.financing.tr_series", None, "TR series too long: 13 values for 12 months"),
    (fin("price", "10000.00", "0.01", 3, tr=["0.001"]), "validation.financing.tr_series", None, "one TR value for 3 months"),
    (fin("price", "100000.00", "0.01", 12, upfront_costs="100000.00"), "pricing.cet.no_solution", None,
     "upfront costs equal to the principal: nothing is received, no rate discounts the payments to 0"),
]


def financing_cases() -> list[dict]:
    out = []
    for inp, with_cet, note in FINANCING_SPECS:
        res = simulate(inp, with_cet)
        out.append(("financing", inp, financing_expect(res, with_cet), note,
                    None if i_is_exact(inp) else {"monthly_rate": TOLERANCE}))
    for inp, code, path, note in FINANCING_ERRORS:
        out.append(("financing", inp, expect_error(simulate, inp, code, path), note, None))
    return out


def i_is_exact(inp: dict) -> bool:
    return "monthly" in inp["rate"]


def expect_error(fn, inp, code: str, path: str | None) -> dict:
    try:
        fn(inp)
    except Invalid as e:
        if e.code != code or (path is not None and e.path != path):
            raise SystemExit(f"HAND LABEL DISAGREES: {inp}: labelled {code} at {path}, rules gave {e.code} at {e.path}")
        exp = {"error": e.code}
        if path is not None:
            exp["path"] = path
        exp.update(e.extra)
        return exp
    raise SystemExit(f"HAND LABEL DISAGREES: {inp}: labelled {code}, rules gave success")


# Affordability ----------------------------------------------------------------------------------

AFF_ANCHOR_PRICE = {"system": "price", "gross_monthly_income": "10000.00", "property_value": "800000.00",
                    "rate": {"monthly": "0.01"}, "term_months": 360,
                    "limits": {"max_ltv": "80%", "max_term_months": 420}}


def aff(system, income, value, rate, term, ltv="80%", max_term=420, commitment=None) -> dict:
    limits = {"max_ltv": ltv, "max_term_months": max_term}
    if commitment is not None:
        limits = {"income_commitment": commitment, **limits}
    rate_obj = {"monthly": rate} if isinstance(rate, str) else rate
    return {"system": system, "gross_monthly_income": income, "property_value": value,
            "rate": rate_obj, "term_months": term, "limits": limits}


def price_tie_value(income: str, rate: str, term: int) -> str:
    """The loan by income of a PRICE case, as a property value (used with max_ltv 100%)."""
    return money_text(affordability(aff("price", income, "99999999.00", rate, term, ltv="1"))["max_loan_by_income"])


def sac_tie_value(income: str, rate, term: int) -> str:
    return money_text(affordability(aff("sac", income, "99999999.00", rate, term, ltv="1"))["max_loan_by_income"])


def affordability_specs():
    tie_p = price_tie_value("12000.00", "0.0095", 360)
    tie_p_plus = money_text(F(tie_p) + F("0.01"))
    tie_p_minus = money_text(F(tie_p) - F("0.01"))
    tie_s = sac_tie_value("12000.00", annual("0.1149"), 420)
    tie_s_plus = money_text(F(tie_s) + F("0.01"))
    return [
        (AFF_ANCHOR_PRICE, "anchor: 3000.00 a month at 1% for 360 months: 3000 * 97.2183... = 291654.9...; income binds"),
        (aff("sac", "10000.00", "800000.00", "0.01", 360), "anchor: SAC 3000 / (1/360 + 0.01) = 234782.60; first payment 652.17 + 2347.83"),
        (aff("price", "50000.00", "500000.00", annual("0.1149"), 360), "high income: the LTV (80% of 500000.00) binds"),
        (aff("sac", "50000.00", "500000.00", annual("0.1149"), 360), "high income, SAC: the LTV binds"),
        (aff("price", "10000.00", "375000.00", "0", 100), "tie at 300000.00 (0% for 100 months, 80% of 375000.00): ltv"),
        (aff("sac", "10000.00", "187500.00", "0.01", 100), "tie, SAC: 3000 / (0.01 + 0.01) = 150000.00 = 80% of 187500.00: ltv"),
        (aff("price", "12000.00", tie_p, "0.0095", 360, ltv="100%"), "tie at the cent with a non-zero rate (LTV 100%): ltv"),
        (aff("price", "12000.00", tie_p_plus, "0.0095", 360, ltv="100%"), "one cent above the tie: income binds"),
        (aff("price", "12000.00", tie_p_minus, "0.0095", 360, ltv="100%"), "one cent below the tie: ltv binds"),
        (aff("sac", "12000.00", tie_s, annual("0.1149"), 420, ltv="1"), "SAC tie at the cent, annual rate: ltv"),
        (aff("sac", "12000.00", tie_s_plus, annual("0.1149"), 420, ltv="1"), "SAC one cent above the tie: income binds"),
        (aff("price", "15000.00", "900000.00", annual("0.1149"), 420, max_term=360), "term 420 asked, 360 allowed: term_months 360"),
        (aff("sac", "15000.00", "900000.00", annual("0.1149"), 420, max_term=360), "SAC, term capped at 360"),
        (aff("price", "8333.33", "600000.00", "0.0089", 300, commitment="35%"),
         "income commitment 35%: 8333.33 * 0.35 = 2916.6655 -> 2916.66 (round down)"),
        (aff("sac", "7777.77", "350000.00", "0.0089", 240, ltv="0.7", commitment="0.25"),
         "commitment 25%: 1944.4425 -> 1944.44; LTV 70%"),
        (aff("price", "9000.00", "400000.00", "0", 240), "zero rate: loan = payment * term"),
    ]


AFFORDABILITY_ERRORS = [
    (aff("price", "0.00", "500000.00", "0.01", 360), "validation.financing.principal", "gross_monthly_income", "income 0"),
    (aff("sac", "10000.00", "0.00", "0.01", 360), "validation.financing.principal", "property_value", "property value 0"),
    (aff("price", "10000.00", "500000.00", "0.01", 0), "validation.financing.term", "term_months", "term 0"),
    (aff("sac", "10000.00", "500000.00", "0.01", 601), "validation.financing.term", "term_months", "term 601"),
]


def affordability_cases() -> list[dict]:
    out = []
    for inp, note in affordability_specs():
        out.append(("affordability", inp, affordability_expect(affordability(inp)), note, None))
    for inp, code, path, note in AFFORDABILITY_ERRORS:
        out.append(("affordability", inp, expect_error(affordability, inp, code, path), note, None))
    return out


# Rent adjustment --------------------------------------------------------------------------------

def months_between(first: str, last: str) -> list[str]:
    a, b = ym_parse(first), ym_parse(last)
    out = []
    while a <= b:
        out.append(ym_text(a))
        a = ym_add(a, 1)
    return out


def variations(first: str, values: list[str]) -> dict:
    return {"variations": {ym_text(ym_add(ym_parse(first), k)): v for k, v in enumerate(values)}}


RENT_ANCHOR = {"index_name": "IGP-M", "current_rent": "2000.00", "contract_start": "2023-03-15",
               "adjustment_year": 2025, "series": variations("2024-03", ["0.005"] * 12)}
RENT_ANCHOR_NUMBERS = {"index_name": "IPCA", "current_rent": "1500.00", "contract_start": "2022-07-01",
                       "adjustment_year": 2025, "series": {"numbers": {"2024-06": "1000.000", "2025-06": "1045.678"}}}


def rent_single_month(rent: str, v: str) -> dict:
    vals = ["0"] * 12
    vals[5] = v
    return {"index_name": "IPCA", "current_rent": rent, "contract_start": "2021-09-10",
            "adjustment_year": 2025, "series": variations("2024-09", vals)}


# An IGP-M-like series (illustrative values, as fractions: 0.0089 = 0.89%), Jan 2024 - Jun 2025.
IGPM_LIKE = ["0.0007", "-0.0052", "-0.0047", "0.0031", "0.0089", "0.0081", "0.0061", "0.0029",
             "0.0062", "0.0152", "0.0130", "0.0094", "0.0027", "0.0106", "-0.0034", "0.0024",
             "-0.0049", "-0.0167"]
DEFLATION = ["-0.0031", "-0.0045", "0.0012", "-0.0077", "-0.0021", "-0.0009", "0.0004", "-0.0058",
             "-0.0016", "-0.0033", "0.0007", "-0.0012"]


def index_numbers_pair():
    """Index numbers with 3 decimals and the monthly variations published from them with 2
    decimals in percent (4 as a fraction), for a contract with a March anniversary."""
    base = F("1100.000")
    monthly = ["0.0037", "0.0071", "0.0049", "0.0055", "0.0021", "0.0063", "0.0088", "0.0040",
               "0.0019", "0.0052", "0.0075", "0.0031"]
    numbers = {"2024-02": "1100.000"}
    variations_pub = {}
    prev = base
    for k, v in enumerate(monthly):
        month = ym_text(ym_add((2024, 3), k))
        cur = round_frac(prev * (1 + F(v)), 3)
        numbers[month] = text(cur, 3)
        variations_pub[month] = text(round_frac(cur / prev - 1, 4), 4)
        prev = cur
    return numbers, variations_pub


def disagreeing_rent(numbers: dict, variations_pub: dict) -> str:
    """The first rent from R$ 2,500.00 up whose adjustment differs by exactly one cent (rents
    whose product lands too near a tie are skipped)."""
    f_n = F(numbers["2025-02"]) / F(numbers["2024-02"])
    f_v = Fraction(1)
    for v in variations_pub.values():
        f_v *= 1 + F(v)
    assert f_n != f_v
    for cents in range(250000, 1000000):
        rent = Fraction(cents, 100)
        try:
            if abs(rnd(rent * f_n, exact=False) - rnd(rent * f_v, exact=False)) == Fraction(1, 100):
                return money_text(rent)
        except SystemExit:
            continue
    raise SystemExit("no rent a cent apart")


def rent(rent_value, start, year, series, **extra) -> dict:
    return {"index_name": extra.pop("index_name", "IGP-M"), "current_rent": rent_value,
            "contract_start": start, "adjustment_year": year, **extra, "series": series}


def rent_specs():
    numbers, var_pub = index_numbers_pair()
    r = disagreeing_rent(numbers, var_pub)
    igpm = variations("2024-01", IGPM_LIKE)
    return [
        (RENT_ANCHOR, "anchor: 1.005^12 = 1.0616778...; 2000.00 -> 2123.36; window 2024-03..2025-02"),
        (rent("3200.00", "2022-05-10", 2025, igpm), "IGP-M-like series (Jan 2024 - Jun 2025), May anniversary: window 2024-05..2025-04 across the year boundary; months outside the window ignored"),
        (rent("3200.00", "2022-05-10", 2025, igpm, lag_months=1), "the same with lag_months 1 written out"),
        (rent("3200.00", "2022-05-10", 2025, igpm, lag_months=2), "lag_months 2: window 2024-04..2025-03"),
        (rent("1850.00", "2023-01-20", 2025, igpm), "January anniversary: window Jan..Dec 2024, a calendar year"),
        (rent("2750.00", "2023-08-05", 2025, variations("2024-08", DEFLATION)), "negative accumulated variation applied: the rent falls"),
        (rent("2750.00", "2023-08-05", 2025, variations("2024-08", DEFLATION), negative_policy="floor_at_zero"), "negative variation floored: rent unchanged"),
        (rent("2750.00", "2023-08-05", 2025, variations("2024-08", DEFLATION), negative_policy="apply"), "negative, policy apply written out"),
        (rent("3200.00", "2022-05-10", 2025, igpm, negative_policy="floor_at_zero"), "positive variation with the floor: applied as is"),
        (rent("1999.99", "2023-06-30", 2025, variations("2024-06", ["0"] * 12)), "zero variation: factor 1, rent unchanged"),
        (rent("2400.00", "2023-06-30", 2025, variations("2024-06", ["0.25", "-0.2"] + ["0"] * 10), negative_policy="floor_at_zero"),
         "+25% then -20%: factor exactly 1, not below 1, so not floored"),
        (RENT_ANCHOR_NUMBERS, "anchor: index numbers 1045.678 / 1000.000 = 1.045678; 1500.00 -> 1568.52"),
        (rent(r, "2023-03-15", 2025, {"numbers": numbers}, index_name="IGP-M"),
         "index numbers (3 decimals): this rent comes out one cent away from the published-variations case that follows; source = numbers"),
        (rent(r, "2023-03-15", 2025, {"variations": var_pub}, index_name="IGP-M"),
         "the same months as published variations (2 decimals in %): one cent away from the previous case; source = variations"),
        (rent("4100.00", "2021-11-25", 2025, {"numbers": {m: text(F("1200.000") - 7 * k * F("0.431"), 3) for k, m in
                                                         enumerate(months_between("2024-09", "2025-10"))}},
              negative_policy="floor_at_zero"), "falling index numbers with the floor"),
        (rent("4100.00", "2021-11-25", 2025, {"numbers": {m: text(F("1200.000") - 7 * k * F("0.431"), 3) for k, m in
                                                         enumerate(months_between("2024-09", "2025-10"))}}),
         "falling index numbers applied"),
        (rent("2600.00", "2020-02-14", 2025, igpm, renegotiated_on="2024-06-03"),
         "renegotiated on 2024-06-03 (contract of 2020-02-14): anniversary 2025-06-03, window 2024-06..2025-05"),
        (rent("2600.00", "2020-02-14", 2026, variations("2025-03", ["0.004"] * 14), renegotiated_on="2024-06-03", lag_months=2),
         "renegotiated, two years on, lag 2: anniversary 2026-06-03, window 2025-05..2026-04"),
        (rent("1800.00", "2024-02-29", 2025, variations("2024-02", ["0.003"] * 12)), "contract on Feb 29: anniversary 2025-02-28"),
        (rent("1800.00", "2023-02-28", 2028, variations("2027-02", ["0.003"] * 12)), "anniversary in a leap year stays Feb 28"),
        (rent_single_month("1000.40", "0.0125"), "tie: 1000.40 * 1.0125 = 1012.905 -> 1012.90 (half-even)"),
        (rent_single_month("1001.20", "0.0125"), "tie: 1001.20 * 1.0125 = 1013.715 -> 1013.72 (half-even)"),
        (rent_single_month("1000.00", "0.0000125"), "variation 0.0000125 rounds to 0.000012 at 6 places (tie, half-even); rent 1000.0125 -> 1000.01"),
        (rent("950.00", "2019-10-01", 2025, variations("2024-10", ["0.0044", "0.0039", "0.0056", "0.0052", "0.0016", "0.0131",
                                                                  "0.0043", "0.0026", "0.0024", "0.0036", "0.0026", "0.0046"]),
              index_name="IPCA"), "IPCA-like monthly variations"),
    ]


def rent_errors():
    igpm = variations("2024-01", IGPM_LIKE)
    gappy = dict(igpm["variations"])
    del gappy["2024-06"]
    del gappy["2024-11"]
    gap_year = dict(igpm["variations"])
    del gap_year["2024-12"]
    del gap_year["2025-01"]
    return [
        (rent("3200.00", "2022-05-10", 2025, {"variations": gappy}), "validation.index.missing_months", "series",
         "two months missing in the window: 2024-06, 2024-11"),
        (rent("3200.00", "2022-05-10", 2025, {"variations": gap_year}), "validation.index.missing_months", "series",
         "the months across the year boundary missing: 2024-12, 2025-01"),
        (rent("3200.00", "2022-05-10", 2026, igpm), "validation.index.missing_months", "series",
         "adjustment year 2026: the window 2025-05..2026-04 is mostly beyond the series (10 months missing)"),
        (rent("1500.00", "2022-07-01", 2025, {"numbers": {"2024-05": "998.100", "2025-06": "1045.678"}}),
         "validation.index.missing_months", "series", "index numbers: the base month 2024-06 is missing"),
        (rent("1500.00", "2022-07-01", 2025, {"numbers": {"2024-05": "998.100", "2025-05": "1040.000"}}),
         "validation.index.missing_months", "series", "index numbers: base 2024-06 and end 2025-06 missing"),
        (rent("1500.00", "2022-07-01", 2025, {"variations": {}}), "validation.index.empty", "series", "empty variations"),
        (rent("1500.00", "2022-07-01", 2025, {"numbers": {}}), "validation.index.empty", "series", "empty index numbers"),
        (rent("1500.00", "2022-07-01", 2025, variations("2024-07", ["0.004"] * 5 + ["-1"] + ["0.004"] * 6)),
         "validation.index.value", None, "a variation of -100%"),
        (rent("1500.00", "2022-07-01", 2025, {"numbers": {"2024-06": "0", "2025-06": "1045.678"}}),
         "validation.index.value", None, "an index number of 0"),
        (rent("1500.00", "2025-03-01", 2025, variations("2024-02", ["0.004"] * 12)), "validation.index.too_early", None,
         "adjustment in the contract's own year"),
        (rent("1500.00", "2020-03-01", 2024, variations("2023-02", ["0.004"] * 12), renegotiated_on="2024-01-15"),
         "validation.index.too_early", None, "renegotiated in 2024: no adjustment before 2025"),
    ]


def rent_cases() -> list[dict]:
    out = []
    for inp, note in rent_specs():
        out.append(("rent_adjustment", inp, adjust_rent(inp), note, {"factor": TOLERANCE, "applied_factor": TOLERANCE}))
    for inp, code, path, note in rent_errors():
        out.append(("rent_adjustment", inp, expect_error(adjust_rent, inp, code, path), note, None))
    return out


# Closing costs ----------------------------------------------------------------------------------

REGISTRY = [{"up_to": "100000.00", "fee": "1200.00"}, {"up_to": "300000.00", "fee": "2100.00"},
            {"up_to": "600000.00", "fee": "3300.00"}, {"up_to": "1000000.00", "fee": "4500.00"},
            {"fee": "6200.00"}]
NOTARY = [{"up_to": "150000.00", "fee": "2400.00"}, {"up_to": "600000.00", "fee": "4100.00"},
          {"up_to": "2000000.00", "fee": "6800.00"}, {"fee": "9900.00"}]


def cc_input(declared: str, financed: str | None = None, notary_required: bool | None = None,
             registry=None, notary=None, itbi_rate: str = "3%", **cfg) -> dict:
    config = {"itbi_rate": itbi_rate, **cfg, "registry_fees": registry or REGISTRY, "notary_fees": notary or NOTARY}
    inp = {"declared_value": declared}
    if financed is not None:
        inp["financed"] = financed
    if notary_required is not None:
        inp["notary_required"] = notary_required
    inp["config"] = config
    return inp


CLOSING_SPECS = [
    (cc_input("500000.00"), "anchor: São Paulo 3% of 500000.00 = 15000.00"),
    (cc_input("500000.00", itbi_reference_value="520000.00"), "reference value above the declared one: ITBI on 520000.00 = 15600.00"),
    (cc_input("500000.00", itbi_reference_value="480000.00"), "reference value below the declared one: the declared value is the base"),
    (cc_input("500000.00", financed="400000.00", itbi_financed_rate="0.5%", itbi_financed_cap="130000.00"),
     "anchor: SFH-style 0.5% on the financed part up to 130000.00 (650.00) + 3% of 370000.00 (11100.00)"),
    (cc_input("500000.00", financed="90000.00", itbi_financed_rate="0.5%", itbi_financed_cap="130000.00"),
     "financed part below the cap: 0.5% of 90000.00 + 3% of 410000.00"),
    (cc_input("300000.00", financed="240000.00", itbi_financed_rate="0.005"), "reduced rate without a cap: on the whole financed part"),
    (cc_input("500000.00", financed="400000.00", notary_required=False), "bank contract instead of a deed: no notary fee"),
    (cc_input("500000.00", financed="400000.00", notary_required=True), "notary required written out"),
    (cc_input("300000.00"), "registry bracket edge: 300000.00 is in the bracket up to 300000.00 (inclusive)"),
    (cc_input("300000.01"), "one cent above the edge: next registry bracket"),
    (cc_input("150000.00"), "notary bracket edge: 150000.00 in the first bracket"),
    (cc_input("150000.01"), "one cent above the notary edge"),
    (cc_input("2500000.00"), "above every closed bracket: the open ones"),
    (cc_input("500000.50"), "tie: 3% of 500000.50 = 15000.015 -> 15000.02"),
    (cc_input("500001.50"), "tie: 3% of 500001.50 = 15000.045 -> 15000.04"),
    (cc_input("500000.00", financed="100001.00", itbi_financed_rate="0.5%", itbi_financed_cap="130000.00"),
     "tie on the reduced part: 0.5% of 100001.00 = 500.005 -> 500.00"),
    (cc_input("780000.00", financed="500000.00", itbi_rate="0.02", itbi_reference_value="800000.00",
              itbi_financed_rate="0.005", itbi_financed_cap="200000.00"),
     "another city at 2%, reference value above the declared value, with the reduced rate"),
]

CLOSED_ONLY = [{"up_to": "100000.00", "fee": "1200.00"}, {"up_to": "300000.00", "fee": "2100.00"}]
UNSORTED = [{"up_to": "100000.00", "fee": "1200.00"}, {"up_to": "300000.00", "fee": "2100.00"},
            {"up_to": "200000.00", "fee": "1800.00"}, {"fee": "6200.00"}]
DUPLICATE = [{"up_to": "150000.00", "fee": "2400.00"}, {"up_to": "150000.00", "fee": "2500.00"}, {"fee": "9900.00"}]
OPEN_FIRST = [{"fee": "6200.00"}, {"up_to": "100000.00", "fee": "1200.00"}]

CLOSING_ERRORS = [
    (cc_input("300000.01", registry=CLOSED_ONLY), "validation.fee_table.uncovered", None,
     "above every closed bracket and no open one"),
    (cc_input("250000.00", registry=UNSORTED), "validation.fee_table.order", "config.registry_fees[2].up_to",
     "registry table not sorted: 200000.00 after 300000.00"),
    (cc_input("250000.00", notary=DUPLICATE), "validation.fee_table.order", "config.notary_fees[1].up_to",
     "notary table with a duplicate bracket"),
    (cc_input("50000.00", registry=OPEN_FIRST), "validation.fee_table.order", None, "open bracket not last"),
    (cc_input("500000.00", financed="500000.01"), "validation.financing.principal", "financed", "financed above the declared value"),
]


def closing_cases() -> list[dict]:
    out = []
    for inp, note in CLOSING_SPECS:
        out.append(("closing_costs", inp, closing_costs(inp), note, None))
    for inp, code, path, note in CLOSING_ERRORS:
        out.append(("closing_costs", inp, expect_error(closing_costs, inp, code, path), note, None))
    return out


# Ratio study and price per m2 -------------------------------------------------------------------

def pairs(*pv) -> list[dict]:
    return [{"predicted": p, "sale_price": s} for p, s in pv]


RATIO_5 = pairs(("510000", "500000"), ("285000", "300000"), ("440000", "400000"), ("160000", "200000"),
                ("1236000", "1200000"))
RATIO_6 = RATIO_5 + pairs(("700000", "700000"))

RATIO_SPECS = [
    (RATIO_5, "anchor: 5 pairs worked by hand"),
    (RATIO_6, "anchor: 6 pairs (even count: medians are means of the middle two)"),
    (pairs(("505000.00", "500000.00")), "one pair"),
    (pairs(("450000", "500000"), ("550000", "500000"), ("600000", "500000"), ("399999.99", "500000")),
     "PPE boundaries: |ratio - 1| of exactly 0.10 and 0.20 count (inclusive), 0.20000002 does not; "
     "COD = 100 * 0.150000005 / 1 = 15.0000005, a tie at 6 places -> 15.000000 (half-even)"),
    (pairs(("510000", "490000"), ("333000", "350000"), ("712500", "700000"), ("289900", "310000"),
           ("1015000", "980000"), ("245000", "260000"), ("400000", "400000")), "ratios that do not terminate (510000/490000 ...)"),
    (pairs(("300000", "300000"), ("450000", "450000"), ("99000", "99000")), "perfect predictions: COD 0, PRD 1"),
    (pairs(({"amount": "51000.00", "currency": "USD"}, {"amount": "50000.00", "currency": "USD"}),
           ({"amount": "47500.00", "currency": "USD"}, {"amount": "50000.00", "currency": "USD"})),
     "all in USD: fine (one currency)"),
]

RATIO_ERRORS = [
    ([], "validation.stats.empty", None, "no pairs"),
    (pairs(("510000", "500000"), ("300000", "0")), "validation.stats.value", "[1].sale_price", "a sale price of 0"),
    (pairs(("510000", "500000"), ("300000", "-300000")), "validation.stats.value", "[1].sale_price", "a negative sale price"),
    (pairs(("510000", "500000"), ("300000", {"amount": "300000", "currency": "USD"})), "money.currency_mismatch", None,
     "a sale price in USD among BRL"),
    (pairs(("510000", "500000"), ({"amount": "300000", "currency": "USD"}, {"amount": "290000", "currency": "USD"})),
     "money.currency_mismatch", None, "one pair in USD, the other in BRL"),
]


def comps(*pa) -> list[dict]:
    return [{"price": p, "area_m2": a} for p, a in pa]


PPM2_4 = comps(("640000.00", "80"), ("810000.00", "90"), ("700000.00", "70"), ("1440000.00", "120"))

PPM2_SPECS = [
    (PPM2_4, "anchor: 8000, 9000, 10000, 12000 a m2: q1 8750 (position 0.75), median 9500, q3 10500, mean 9750"),
    (comps(("640000.00", "80"), ("810000.00", "90"), ("700000.00", "70"), ("1440000.00", "120"), ("1375000.00", "110")),
     "5 comparables: 8000, 9000, 10000, 12000, 12500: quartiles fall on order statistics"),
    (comps(("1000000.00", "100"), ("1000001.00", "100")), "ties: 10000.00 and 10000.01 a m2: median 10000.005 -> 10000.00, q3 10000.0075 -> 10000.01"),
    (comps(("455000.00", "65")), "one comparable: every statistic is its price per m2 (7000.00)"),
    (comps(("500000.00", "63.5"), ("712000.00", "88.7"), ("389900.00", "47.25"), ("1250000.00", "131"),
           ("620000.00", "72.4"), ("845000.00", "97.15")), "areas with decimals: prices per m2 that do not terminate"),
    (comps(("350000.00", "45"), ("420000.00", "52"), ("398000.00", "49.5"), ("515000.00", "61"), ("287000.00", "38"),
           ("610000.00", "70"), ("455000.00", "55"), ("530000.00", "58.8")), "8 comparables, unsorted input"),
]

PPM2_ERRORS = [
    ([], "validation.stats.empty", None, "no comparables"),
    (comps(("640000.00", "80"), ("810000.00", "90"), ("700000.00", "0")), "validation.stats.value", "[2].area_m2", "an area of 0"),
    (comps(("0.00", "80"), ("810000.00", "90")), "validation.stats.value", "[0].price", "a price of 0"),
    (comps(("640000.00", "80"), ({"amount": "150000.00", "currency": "USD"}, "90")), "money.currency_mismatch", None,
     "a price in USD among BRL"),
]


def ratio_cases() -> list[dict]:
    out = []
    for inp, note in RATIO_SPECS:
        out.append(("ratio_study", {"pairs": inp}, ratio_study(inp), note, None))
    for inp, code, path, note in RATIO_ERRORS:
        out.append(("ratio_study", {"pairs": inp}, expect_error(ratio_study, inp, code, path), note, None))
    return out


def ppm2_cases() -> list[dict]:
    out = []
    for inp, note in PPM2_SPECS:
        out.append(("price_per_m2", {"comparables": inp}, price_per_m2(inp), note, None))
    for inp, code, path, note in PPM2_ERRORS:
        out.append(("price_per_m2", {"comparables": inp}, expect_error(price_per_m2, inp, code, path), note, None))
    return out


# ---------------------------------------------------------------------------------------------
# The file
# ---------------------------------------------------------------------------------------------

ERROR_CODES = [
    "validation.financing.principal", "validation.financing.rate", "validation.financing.term",
    "validation.financing.tr_series", "pricing.cet.no_solution", "validation.index.empty",
    "validation.index.missing_months", "validation.index.value", "validation.index.too_early",
    "validation.fee_table.order", "validation.fee_table.uncovered", "validation.stats.empty",
    "validation.stats.value", "money.currency_mismatch",
]
# Not reachable from valid input, so not covered: validation.financing.negative_amortization
# (a PRICE instalment is always >= the interest: PMT_k = B'i/(1 - (1+i)^-m) >= B'i and rounding
# is monotone; SAC amortisations are never negative).

PREFIX = {"financing": "fin", "affordability": "aff", "rent_adjustment": "rent",
          "closing_costs": "cc", "ratio_study": "ratio", "price_per_m2": "ppm2"}
MINIMUM = {"financing": 40, "affordability": 15, "rent_adjustment": 25, "closing_costs": 15,
           "ratio_study": 8, "price_per_m2": 8}


def build() -> dict:
    check_anchors()
    cases = []
    for builder in (financing_cases, affordability_cases, rent_cases, closing_cases, ratio_cases, ppm2_cases):
        n = 0
        for calc, inp, expect, note, tol in builder():
            n += 1
            case = {"id": f"{PREFIX[calc]}-{n:03d}", "calculator": calc, "input": inp, "expect": expect}
            if tol and "error" not in expect:
                case["tolerance"] = tol
            if note:
                case["note"] = note
            cases.append(case)
    codes = {c["expect"]["error"] for c in cases if "error" in c["expect"]}
    missing = set(ERROR_CODES) - codes
    assert not missing, f"no case covers {sorted(missing)}"
    assert codes <= set(ERROR_CODES), codes - set(ERROR_CODES)
    for calc, minimum in MINIMUM.items():
        count = sum(1 for c in cases if c["calculator"] == calc)
        assert count >= minimum, (calc, count)
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids))
    return {
        "format": 1,
        "description": (
            "Shared pricing vectors for realestate-crm: financing schedules (SAC, PRICE, MIP/DFI, "
            "fees, TR, CET), affordability, rent adjustment by index, ITBI and closing costs, ratio "
            "studies and price-per-m2 statistics. Generated by "
            "tests/vectors/tools/make_pricing_vectors.py from an independent implementation of the "
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
            print(f"{OUT_PATH} is out of date: run python3 tests/vectors/tools/make_pricing_vectors.py", file=sys.stderr)
            return 1
        return 0
    OUT_PATH.write_text(out, encoding="utf-8")
    print(f"wrote {OUT_PATH.relative_to(OUT_PATH.parent.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
