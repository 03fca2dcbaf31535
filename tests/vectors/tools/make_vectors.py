#!/usr/bin/env python3
"""Writes tests/vectors/validation.json and tests/vectors/money.json.

The expected values in those files come from THIS file: an implementation of the published
rules (tests/vectors/README.md and the project's domain notes) written independently of the Rust core,
in Python 3.11 with the standard library only, using exact arithmetic (int, decimal, fractions;
never float). It never reads the Rust code or its output.

Three layers of checking keep it honest:
  1. ANCHORS: cases whose full expected output was worked out by hand (arithmetic in the
     comments below); the script stops if its own rules disagree with any of them.
  2. Hand labels: every hand-written case states the outcome a person expects ("ok" or the
     error code); the script stops if the computed outcome differs.
  3. Self-checks: rounding is computed twice (with fractions and with decimal.quantize),
     allocations are checked to sum to the total, every error code must be covered, and
     cases whose rule order is not specified must violate exactly one rule.

Usage:
  python3 tests/vectors/tools/make_vectors.py          # (re)write both JSON files
  python3 tests/vectors/tools/make_vectors.py --check  # exit 1 if the files on disk differ

Adding cases: append to the end of a kind's list so the existing ids stay the same.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    localcontext,
)
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE.parent

# ---------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------

# Whitespace as Unicode's White_Space property defines it (what Rust's `str::trim` strips).
# Python's own str.strip() strips a few more control characters (U+001C..U+001F), so we do not
# use it for inputs.
WHITESPACE = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def trim(s: str) -> str:
    start, end = 0, len(s)
    while start < end and s[start] in WHITESPACE:
        start += 1
    while end > start and s[end - 1] in WHITESPACE:
        end -= 1
    return s[start:end]


def split_ws(s: str) -> list[str]:
    out, cur = [], ""
    for ch in s:
        if ch in WHITESPACE:
            if cur:
                out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        out.append(cur)
    return out


ASCII_DIGITS = frozenset("0123456789")
ASCII_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
ASCII_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")


class Invalid(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def mod11_digit(values: list[int], weights: list[int]) -> int:
    """The CPF/CNPJ rule: s = sum(v*w); r = s mod 11; digit = 0 if r < 2 else 11 - r."""
    assert len(values) == len(weights)
    s = sum(v * w for v, w in zip(values, weights))
    r = s % 11
    return 0 if r < 2 else 11 - r


# ---------------------------------------------------------------------------------------------
# CPF
# ---------------------------------------------------------------------------------------------

CPF_W1 = list(range(10, 1, -1))  # 10..2
CPF_W2 = list(range(11, 1, -1))  # 11..2


def cpf_check_digits(base9: str) -> str:
    v = [int(c) for c in base9]
    d1 = mod11_digit(v, CPF_W1)
    d2 = mod11_digit(v + [d1], CPF_W2)
    return f"{d1}{d2}"


def cpf_rule(inp: str, options: dict) -> dict:
    s = trim(inp)
    if not s:
        raise Invalid("validation.cpf.empty")
    digits = ""
    for ch in s:
        if ch in ASCII_DIGITS:
            digits += ch
        elif ch in ".- ":
            continue
        else:
            raise Invalid("validation.cpf.character")
    if len(digits) != 11:
        raise Invalid("validation.cpf.length")
    if len(set(digits)) == 1 and not options.get("allow_repeated", False):
        raise Invalid("validation.cpf.repeated")
    if cpf_check_digits(digits[:9]) != digits[9:]:
        raise Invalid("validation.cpf.check_digit")
    d = digits
    return {"bare": d, "formatted": f"{d[0:3]}.{d[3:6]}.{d[6:9]}-{d[9:11]}"}


# ---------------------------------------------------------------------------------------------
# CNPJ (numeric and alphanumeric)
# ---------------------------------------------------------------------------------------------

CNPJ_W1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
CNPJ_W2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]


def cnpj_value(ch: str) -> int:
    """IN RFB 2.229/2024: value = ASCII code - 48 ('0'..'9' -> 0..9, 'A' -> 17 ... 'Z' -> 42)."""
    return ord(ch) - 48


def cnpj_value_wrong(ch: str) -> int:
    """The common WRONG mapping A = 10 ... Z = 35 (base-36 digits). Only used to build traps."""
    return int(ch, 36)


def cnpj_check_digits(base12: str, value=cnpj_value) -> str:
    v = [value(c) for c in base12]
    d1 = mod11_digit(v, CNPJ_W1)
    d2 = mod11_digit(v + [d1], CNPJ_W2)
    return f"{d1}{d2}"


def cnpj_rule(inp: str, options: dict) -> dict:
    s = trim(inp)
    if not s:
        raise Invalid("validation.cnpj.empty")
    chars = ""
    for ch in s:
        if ch in ASCII_DIGITS or ch in ASCII_UPPER:
            chars += ch
        elif ch in ASCII_LOWER:
            chars += ch.upper()
        elif ch in "./- ":
            continue
        else:
            raise Invalid("validation.cnpj.character")
    if len(chars) != 14:
        raise Invalid("validation.cnpj.length")
    if not (chars[12] in ASCII_DIGITS and chars[13] in ASCII_DIGITS):
        raise Invalid("validation.cnpj.character")
    if len(set(chars)) == 1:
        raise Invalid("validation.cnpj.repeated")
    if cnpj_check_digits(chars[:12]) != chars[12:]:
        raise Invalid("validation.cnpj.check_digit")
    c = chars
    return {"bare": c, "formatted": f"{c[0:2]}.{c[2:5]}.{c[5:8]}/{c[8:12]}-{c[12:14]}"}


# ---------------------------------------------------------------------------------------------
# UF
# ---------------------------------------------------------------------------------------------

UFS = {
    "AC": "Acre",
    "AL": "Alagoas",
    "AP": "Amapá",
    "AM": "Amazonas",
    "BA": "Bahia",
    "CE": "Ceará",
    "DF": "Distrito Federal",
    "ES": "Espírito Santo",
    "GO": "Goiás",
    "MA": "Maranhão",
    "MT": "Mato Grosso",
    "MS": "Mato Grosso do Sul",
    "MG": "Minas Gerais",
    "PA": "Pará",
    "PB": "Paraíba",
    "PR": "Paraná",
    "PE": "Pernambuco",
    "PI": "Piauí",
    "RJ": "Rio de Janeiro",
    "RN": "Rio Grande do Norte",
    "RS": "Rio Grande do Sul",
    "RO": "Rondônia",
    "RR": "Roraima",
    "SC": "Santa Catarina",
    "SP": "São Paulo",
    "SE": "Sergipe",
    "TO": "Tocantins",
}
assert len(UFS) == 27


def fold(s: str) -> str:
    """Lower-case, accents removed (NFD, combining marks dropped), inner whitespace collapsed."""
    decomposed = unicodedata.normalize("NFD", s.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(split_ws(plain))


UF_BY_FOLDED_NAME = {fold(name): code for code, name in UFS.items()}


def uf_rule(inp: str, options: dict) -> dict:
    s = trim(inp)
    if not s:
        raise Invalid("validation.uf.empty")
    code = s.upper() if len(s) == 2 else None
    if code in UFS:
        return {"bare": code, "name": UFS[code]}
    code = UF_BY_FOLDED_NAME.get(fold(s))
    if code is None:
        raise Invalid("validation.uf.unknown")
    return {"bare": code, "name": UFS[code]}


# ---------------------------------------------------------------------------------------------
# CEP
# ---------------------------------------------------------------------------------------------

# (first 5-digit prefix, last 5-digit prefix, UF), inclusive.
CEP_RANGES = [
    (1000, 19999, "SP"),
    (20000, 28999, "RJ"),
    (29000, 29999, "ES"),
    (30000, 39999, "MG"),
    (40000, 48999, "BA"),
    (49000, 49999, "SE"),
    (50000, 56999, "PE"),
    (57000, 57999, "AL"),
    (58000, 58999, "PB"),
    (59000, 59999, "RN"),
    (60000, 63999, "CE"),
    (64000, 64999, "PI"),
    (65000, 65999, "MA"),
    (66000, 68899, "PA"),
    (68900, 68999, "AP"),
    (69000, 69299, "AM"),
    (69300, 69399, "RR"),
    (69400, 69899, "AM"),
    (69900, 69999, "AC"),
    (70000, 72799, "DF"),
    (72800, 72999, "GO"),
    (73000, 73699, "DF"),
    (73700, 76799, "GO"),
    (76800, 76999, "RO"),
    (77000, 77999, "TO"),
    (78000, 78899, "MT"),
    (79000, 79999, "MS"),
    (80000, 87999, "PR"),
    (88000, 89999, "SC"),
    (90000, 99999, "RS"),
]


def cep_uf(prefix5: int):
    for lo, hi, uf in CEP_RANGES:
        if lo <= prefix5 <= hi:
            return uf
    return None


def cep_rule(inp: str, options: dict) -> dict:
    s = trim(inp)
    if not s:
        raise Invalid("validation.cep.empty")
    digits = ""
    for ch in s:
        if ch in ASCII_DIGITS:
            digits += ch
        elif ch in "-. ":
            continue
        else:
            raise Invalid("validation.cep.character")
    if len(digits) != 8:
        raise Invalid("validation.cep.length")
    if int(digits) < 1000000:  # below 01000-000
        raise Invalid("validation.cep.range")
    return {
        "bare": digits,
        "formatted": f"{digits[:5]}-{digits[5:]}",
        "uf": cep_uf(int(digits[:5])),
    }


# ---------------------------------------------------------------------------------------------
# Phone
# ---------------------------------------------------------------------------------------------

VALID_DDD = frozenset(
    list(range(11, 20))
    + [21, 22, 24, 27, 28]
    + [31, 32, 33, 34, 35, 37, 38]
    + list(range(41, 50))
    + [51, 53, 54, 55]
    + list(range(61, 70))
    + [71, 73, 74, 75, 77, 79]
    + list(range(81, 90))
    + list(range(91, 100))
)
assert len(VALID_DDD) == 67


def phone_rule(inp: str, options: dict) -> dict:
    s = trim(inp)
    if not s:
        raise Invalid("validation.phone.empty")
    for i, ch in enumerate(s):
        if ch in ASCII_DIGITS or ch in " ()-.":
            continue
        if ch == "+" and i == 0:
            continue
        raise Invalid("validation.phone.character")
    d = "".join(ch for ch in s if ch in ASCII_DIGITS)
    if s.startswith("+"):
        if d.startswith("55"):
            n = d[2:]
        else:
            if d.startswith("0"):
                raise Invalid("validation.phone.country_code")
            if 8 <= len(d) <= 15:
                e164 = "+" + d
                return {"e164": e164, "phone_kind": "foreign", "formatted": e164}
            raise Invalid("validation.phone.length")
    else:
        if len(d) == 11 and d[:4] in ("0800", "0300", "0500", "0900"):
            raise Invalid("validation.phone.non_geographic")
        if len(d) == 8 and d[:3] in ("300", "400"):
            raise Invalid("validation.phone.non_geographic")
        if d.startswith("0"):
            if len(d) in (11, 12):
                n = d[1:]
            elif len(d) in (13, 14):
                n = d[3:]
            else:
                raise Invalid("validation.phone.length")
        elif d.startswith("55") and len(d) in (12, 13):
            n = d[2:]
        else:
            n = d
    if len(n) not in (10, 11):
        raise Invalid("validation.phone.length")
    ddd, sub = n[:2], n[2:]
    if int(ddd) not in VALID_DDD:
        raise Invalid("validation.phone.area_code")
    if len(sub) == 9:
        if sub[0] != "9":
            raise Invalid("validation.phone.subscriber")
        kind = "mobile"
    else:
        first = sub[0]
        if first in "2345":
            kind = "landline"
        elif first in "6789":
            if not options.get("repair_legacy_mobile", False):
                raise Invalid("validation.phone.legacy_mobile")
            sub = "9" + sub
            kind = "mobile"
        else:
            raise Invalid("validation.phone.subscriber")
    e164 = "+55" + ddd + sub
    formatted = f"({ddd}) {sub[:-4]}-{sub[-4:]}"
    return {"e164": e164, "phone_kind": kind, "formatted": formatted}


# ---------------------------------------------------------------------------------------------
# E-mail (HTML5 local part + hostname domain, as the `validator` crate; ASCII cases only)
# ---------------------------------------------------------------------------------------------

EMAIL_LOCAL_RE = re.compile(r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+")
EMAIL_HOST_RE = re.compile(
    r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*"
)


def email_rule(inp: str, options: dict) -> dict:
    s = trim(inp)
    if not s:
        raise Invalid("validation.email.empty")
    # The vectors hold only ASCII addresses: internationalised ones are disputed between
    # validators (RFC 6531 vs HTML5), so they are left out on purpose.
    assert all(ord(c) < 128 for c in s), f"non-ASCII e-mail case {inp!r} is not clear-cut"
    if "@" not in s:
        raise Invalid("validation.email.format")
    local, domain = s.rsplit("@", 1)
    if len(local) > 64 or len(domain) > 255:
        raise Invalid("validation.email.format")
    if not EMAIL_LOCAL_RE.fullmatch(local) or not EMAIL_HOST_RE.fullmatch(domain):
        raise Invalid("validation.email.format")
    dom = domain.lower()
    return {
        "normalized": f"{local}@{dom}",
        "match_key": f"{local.lower().split('+', 1)[0]}@{dom}",
    }


# ---------------------------------------------------------------------------------------------
# CRECI
# ---------------------------------------------------------------------------------------------

CRECI_SEPARATORS = frozenset(" -/:.()")


def creci_tokens(s: str):
    """Upper-cased, trimmed, non-blank text -> list of runs, or raises format for a bad char."""
    if s.startswith("CRECI") and (len(s) == 5 or s[5] not in ASCII_UPPER):
        s = s[5:]
    # dots between two digits are thousands dots: "12.345" -> "12345"
    kept = []
    for i, ch in enumerate(s):
        if ch == "." and 0 < i < len(s) - 1 and s[i - 1] in ASCII_DIGITS and s[i + 1] in ASCII_DIGITS:
            continue
        kept.append(ch)
    runs: list[str] = []
    cur = ""
    for ch in kept:
        if ch in ASCII_DIGITS or ch in ASCII_UPPER:
            if cur and (cur[-1] in ASCII_DIGITS) != (ch in ASCII_DIGITS):
                runs.append(cur)
                cur = ""
            cur += ch
        elif ch in CRECI_SEPARATORS:
            if cur:
                runs.append(cur)
            cur = ""
        else:
            raise Invalid("validation.creci.format")
    if cur:
        runs.append(cur)
    return runs


def creci_faults(inp: str) -> list[str]:
    """Every CRECI rule the input breaks (the spec does not order them, so invalid vectors
    must break exactly one)."""
    s = trim(inp).upper()
    if not s:
        return ["validation.creci.empty"]
    try:
        runs = creci_tokens(s)
    except Invalid as e:
        return [e.code]
    faults = []
    digit_runs = [r for r in runs if r[0] in ASCII_DIGITS]
    letter_runs = [r for r in runs if r[0] in ASCII_UPPER]
    if not digit_runs:
        faults.append("validation.creci.number")
    elif len(digit_runs) > 1:
        faults.append("validation.creci.format")
    else:
        num = digit_runs[0]
        if not (1 <= len(num) <= 6) or int(num) == 0:
            faults.append("validation.creci.number")
    two = [r for r in letter_runs if len(r) == 2]
    one = [r for r in letter_runs if len(r) == 1]
    long_ = [r for r in letter_runs if len(r) >= 3]
    if long_:
        faults.append("validation.creci.format")
    if len(two) == 0:
        faults.append("validation.creci.uf")
    elif len(two) > 1:
        faults.append("validation.creci.format")
    elif two[0] not in UFS:
        faults.append("validation.creci.uf")
    if len(one) > 1:
        faults.append("validation.creci.format")
    elif len(one) == 1 and one[0] not in ("F", "J"):
        faults.append("validation.creci.kind")
    return faults


def creci_rule(inp: str, options: dict) -> dict:
    faults = creci_faults(inp)
    if faults:
        distinct = sorted(set(faults))
        if len(distinct) != 1:
            raise AssertionError(f"CRECI case {inp!r} breaks several rules {faults}: not a clear vector")
        raise Invalid(distinct[0])
    runs = creci_tokens(trim(inp).upper())
    number = int(next(r for r in runs if r[0] in ASCII_DIGITS))
    uf = next(r for r in runs if len(r) == 2 and r[0] in ASCII_UPPER)
    kind = next((r for r in runs if len(r) == 1 and r[0] in ASCII_UPPER), None)
    formatted = f"CRECI-{uf} {number}" + (f"-{kind}" if kind else "")
    return {"uf": uf, "number": number, "creci_kind": kind, "formatted": formatted}


RULES = {
    "cpf": cpf_rule,
    "cnpj": cnpj_rule,
    "cep": cep_rule,
    "uf": uf_rule,
    "phone": phone_rule,
    "email": email_rule,
    "creci": creci_rule,
}

ALL_VALIDATION_CODES = {
    "cpf": ["empty", "character", "length", "repeated", "check_digit"],
    "cnpj": ["empty", "character", "length", "repeated", "check_digit"],
    "cep": ["empty", "character", "length", "range"],
    "uf": ["empty", "unknown"],
    "phone": [
        "empty", "character", "length", "country_code", "area_code",
        "subscriber", "legacy_mobile", "non_geographic",
    ],
    "email": ["empty", "format"],
    "creci": ["empty", "format", "number", "uf", "kind"],
}


def evaluate(kind: str, inp: str, options: dict) -> dict:
    try:
        out = RULES[kind](inp, options)
    except Invalid as e:
        return {"valid": False, "code": e.code}
    return {"valid": True, **out}


# ---------------------------------------------------------------------------------------------
# ANCHORS: worked by hand. The script fails if the rules above disagree with any of them.
# ---------------------------------------------------------------------------------------------

ANCHORS = [
    # CPF 529.982.247-25. Base 5 2 9 9 8 2 2 4 7.
    #   1st: weights 10..2: 5*10+2*9+9*8+9*7+8*6+2*5+2*4+4*3+7*2
    #        = 50+18+72+63+48+10+8+12+14 = 295; 295 mod 11 = 295-286 = 9; 11-9 = 2.
    #   2nd: weights 11..2 over base + 2: 5*11+2*10+9*9+9*8+8*7+2*6+2*5+4*4+7*3+2*2
    #        = 55+20+81+72+56+12+10+16+21+4 = 347; 347 mod 11 = 347-341 = 6; 11-6 = 5.  -> "25"
    ("cpf", "529.982.247-25", {}, {"valid": True, "bare": "52998224725", "formatted": "529.982.247-25"}),
    # Same number, last digit wrong: the 2nd check digit must be 5, not 4.
    ("cpf", "529.982.247-24", {}, {"valid": False, "code": "validation.cpf.check_digit"}),
    # CPF 111.444.777-35. Base 1 1 1 4 4 4 7 7 7.
    #   1st: 1*10+1*9+1*8+4*7+4*6+4*5+7*4+7*3+7*2 = 10+9+8+28+24+20+28+21+14 = 162;
    #        162 mod 11 = 162-154 = 8; 11-8 = 3.
    #   2nd: 1*11+1*10+1*9+4*8+4*7+4*6+7*5+7*4+7*3+3*2 = 11+10+9+32+28+24+35+28+21+6 = 204;
    #        204 mod 11 = 204-198 = 6; 11-6 = 5.  -> "35"
    ("cpf", " 111.444.777-35\t", {}, {"valid": True, "bare": "11144477735", "formatted": "111.444.777-35"}),
    # CPF 123.456.789-09 (a remainder < 2 gives 0). Base 1..9.
    #   1st: 1*10+2*9+3*8+4*7+5*6+6*5+7*4+8*3+9*2 = 10+18+24+28+30+30+28+24+18 = 210;
    #        210 mod 11 = 210-209 = 1 < 2 -> 0.
    #   2nd: 1*11+2*10+3*9+4*8+5*7+6*6+7*5+8*4+9*3+0*2 = 11+20+27+32+35+36+35+32+27+0 = 255;
    #        255 mod 11 = 255-253 = 2; 11-2 = 9.  -> "09"
    ("cpf", "12345678909", {}, {"valid": True, "bare": "12345678909", "formatted": "123.456.789-09"}),
    # 111.111.111-11: 1st 1*(10+..+2) = 54, 54 mod 11 = 10 -> 1; 2nd 1*(11+..+3) + 1*2 = 63+2 = 65,
    # 65 mod 11 = 10 -> 1. The arithmetic passes, but one repeated digit is never issued.
    ("cpf", "111.111.111-11", {}, {"valid": False, "code": "validation.cpf.repeated"}),
    ("cpf", "111.111.111-11", {"allow_repeated": True},
     {"valid": True, "bare": "11111111111", "formatted": "111.111.111-11"}),
    # CNPJ 11.222.333/0001-81. Base 1 1 2 2 2 3 3 3 0 0 0 1.
    #   1st: weights 5,4,3,2,9,8,7,6,5,4,3,2: 5+4+6+4+18+24+21+18+0+0+0+2 = 102;
    #        102 mod 11 = 102-99 = 3; 11-3 = 8.
    #   2nd: weights 6,5,4,3,2,9,8,7,6,5,4,3,2 over base + 8: 6+5+8+6+4+27+24+21+0+0+0+3+16 = 120;
    #        120 mod 11 = 120-110 = 10; 11-10 = 1.  -> "81"
    ("cnpj", "11.222.333/0001-81", {}, {"valid": True, "bare": "11222333000181", "formatted": "11.222.333/0001-81"}),
    # CNPJ 00.000.000/0001-91 (stored as text: the leading zeros matter).
    #   1st: only the last base digit is non-zero: 1*2 = 2; 2 mod 11 = 2; 11-2 = 9.
    #   2nd: 1*3 + 9*2 = 21; 21 mod 11 = 10; 11-10 = 1.  -> "91"
    ("cnpj", "00.000.000/0001-91", {}, {"valid": True, "bare": "00000000000191", "formatted": "00.000.000/0001-91"}),
    # The Receita Federal's alphanumeric example 12.ABC.345/01DE-35. Values (ASCII - 48):
    #   1 2 A=17 B=18 C=19 3 4 5 0 1 D=20 E=21.
    #   1st: 1*5+2*4+17*3+18*2+19*9+3*8+4*7+5*6+0*5+1*4+20*3+21*2
    #        = 5+8+51+36+171+24+28+30+0+4+60+42 = 459; 459 mod 11 = 459-451 = 8; 11-8 = 3.
    #   2nd: 1*6+2*5+17*4+18*3+19*2+3*9+4*8+5*7+0*6+1*5+20*4+21*3+3*2
    #        = 6+10+68+54+38+27+32+35+0+5+80+63+6 = 424; 424 mod 11 = 424-418 = 6; 11-6 = 5. -> "35"
    ("cnpj", "12.ABC.345/01DE-35", {}, {"valid": True, "bare": "12ABC34501DE35", "formatted": "12.ABC.345/01DE-35"}),
    ("cnpj", "12abc34501de35", {}, {"valid": True, "bare": "12ABC34501DE35", "formatted": "12.ABC.345/01DE-35"}),
    # The same base with the WRONG mapping A=10, B=11, C=12, D=13, E=14:
    #   1st: 5+8+30+22+108+24+28+30+0+4+39+28 = 326; 326 mod 11 = 326-319 = 7; 11-7 = 4.
    #   2nd: 6+10+40+33+24+27+32+35+0+5+52+42+4*2 = 314; 314 mod 11 = 314-308 = 6; 11-6 = 5. -> "45"
    # "12.ABC.345/01DE-45" is what a wrong implementation would accept: it must be rejected.
    ("cnpj", "12.ABC.345/01DE-45", {}, {"valid": False, "code": "validation.cnpj.check_digit"}),
    # A letter in a check-digit position.
    ("cnpj", "12.ABC.345/01DE-3A", {}, {"valid": False, "code": "validation.cnpj.character"}),
    # CEP 01310-100 (Av. Paulista): prefix 01310 is within SP 01000-19999.
    ("cep", "01310-100", {}, {"valid": True, "bare": "01310100", "formatted": "01310-100", "uf": "SP"}),
    # 78900-000: no state in the range table (MT ends at 78899, MS starts at 79000).
    ("cep", "78900-000", {}, {"valid": True, "bare": "78900000", "formatted": "78900-000", "uf": None}),
    ("cep", "00999-999", {}, {"valid": False, "code": "validation.cep.range"}),
    ("uf", "sao paulo", {}, {"valid": True, "bare": "SP", "name": "São Paulo"}),
    ("uf", "  DISTRITO   federal ", {}, {"valid": True, "bare": "DF", "name": "Distrito Federal"}),
    # Phone: "+55 (11) 98765-4321" -> D = 5511987654321, '+' and "55" -> N = 11987654321;
    # DDD 11 valid; S = 987654321, 9 digits starting 9 -> mobile.
    ("phone", "+55 (11) 98765-4321", {},
     {"valid": True, "e164": "+5511987654321", "phone_kind": "mobile", "formatted": "(11) 98765-4321"}),
    # "0 21 11 3456-7890" -> D = 0211134567890 (13 digits, leading 0 + carrier 21) -> N = 1134567890;
    # S = 34567890, 8 digits starting 3 -> landline.
    ("phone", "0 21 11 3456-7890", {},
     {"valid": True, "e164": "+551134567890", "phone_kind": "landline", "formatted": "(11) 3456-7890"}),
    # "(11) 8765-4321": 8-digit subscriber starting 8 -> legacy mobile; repaired by prefixing 9.
    ("phone", "(11) 8765-4321", {}, {"valid": False, "code": "validation.phone.legacy_mobile"}),
    ("phone", "(11) 8765-4321", {"repair_legacy_mobile": True},
     {"valid": True, "e164": "+5511987654321", "phone_kind": "mobile", "formatted": "(11) 98765-4321"}),
    # "(55) 98765-4321": D = 55987654321 (11 digits: not 12/13, so the 55 is the DDD of RS).
    ("phone", "(55) 98765-4321", {},
     {"valid": True, "e164": "+5555987654321", "phone_kind": "mobile", "formatted": "(55) 98765-4321"}),
    ("phone", "0800 770 1234", {}, {"valid": False, "code": "validation.phone.non_geographic"}),
    ("phone", "+1 (415) 555-2671", {},
     {"valid": True, "e164": "+14155552671", "phone_kind": "foreign", "formatted": "+14155552671"}),
    ("email", "  Joao+zap@Gmail.COM ", {},
     {"valid": True, "normalized": "Joao+zap@gmail.com", "match_key": "joao@gmail.com"}),
    ("email", "maria@@x.com", {}, {"valid": False, "code": "validation.email.format"}),
    ("creci", "CRECI-SP 123456-F", {},
     {"valid": True, "uf": "SP", "number": 123456, "creci_kind": "F", "formatted": "CRECI-SP 123456-F"}),
    ("creci", "CRECI/RJ J-12.345", {},
     {"valid": True, "uf": "RJ", "number": 12345, "creci_kind": "J", "formatted": "CRECI-RJ 12345-J"}),
    ("creci", "creci mg 004567", {},
     {"valid": True, "uf": "MG", "number": 4567, "creci_kind": None, "formatted": "CRECI-MG 4567"}),
]


def check_anchors() -> None:
    for kind, inp, options, expected in ANCHORS:
        got = evaluate(kind, inp, options)
        if got != expected:
            raise SystemExit(f"ANCHOR FAILED: {kind} {inp!r} {options}: expected {expected}, rules gave {got}")


# ---------------------------------------------------------------------------------------------
# Deterministic pseudo-random numbers (sha256 of a label: stable across Python versions)
# ---------------------------------------------------------------------------------------------


def stream(label: str):
    counter = 0
    while True:
        block = hashlib.sha256(f"{label}:{counter}".encode()).digest()
        for b in block:
            yield b
        counter += 1


def digits_from(label: str, n: int) -> str:
    g = stream(label)
    out = ""
    while len(out) < n:
        b = next(g)
        if b < 250:
            out += str(b % 10)
    return out


def alnum_from(label: str, n: int) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    g = stream(label)
    out = ""
    while len(out) < n:
        b = next(g)
        if b < 252:
            out += alphabet[b % 36]
    return out


# ---------------------------------------------------------------------------------------------
# Validation cases
# ---------------------------------------------------------------------------------------------

OK = "ok"


class Cases(list):
    """Hand-written cases of one kind: (input, options, hand label, note)."""

    def add(self, inp: str, label: str, note: str = "", options: dict | None = None) -> None:
        self.append((inp, dict(options or {}), label, note))


def mask_cpf(d: str) -> str:
    return f"{d[0:3]}.{d[3:6]}.{d[6:9]}-{d[9:11]}"


def mask_cnpj(c: str) -> str:
    return f"{c[0:2]}.{c[2:5]}.{c[5:8]}/{c[8:12]}-{c[12:14]}"


def cpf_cases():
    cases = Cases()
    add = cases.add
    add("529.982.247-25", OK, "anchor, masked")
    add("52998224725", OK, "anchor, bare")
    add("  529.982.247-25  ", OK, "surrounding spaces")
    add("529 982 247 25", OK, "spaces as separators")
    add("529-982-247.25", OK, "separators anywhere")
    add("\t529.982.247-25\n", OK, "tab and newline around")
    add("111.444.777-35", OK, "anchor")
    add(" 111.444.777-35\t", OK, "anchor, space and tab around")
    add("123.456.789-09", OK, "anchor, first check digit 0 (remainder 1)")
    add("12345678909", OK, "anchor, bare")
    add("529.982.247-24", "check_digit", "second check digit wrong")
    add("529.982.247-15", "check_digit", "first check digit wrong")
    add("529.982.247-52", "check_digit", "check digits swapped")
    add("259.982.247-25", "check_digit", "base digits transposed")
    add("", "empty")
    add("   ", "empty", "spaces only")
    add("\t\n", "empty", "tab and newline only")
    add("529.982.247/25", "character", "slash is not a CPF separator")
    add("529,982,247-25", "character", "comma")
    add("CPF 529.982.247-25", "character", "label text")
    add("529.982.247-25a", "character", "trailing letter")
    add("529.982.247_25", "character", "underscore")
    add("529.982.247-2５", "character", "full-width digit")
    add("abc.def.ghi-jk", "character", "letters")
    add("529.982.247-2", "length", "10 digits")
    add("5299822472", "length", "10 digits bare")
    add("529982247250", "length", "12 digits")
    add("5", "length", "one digit")
    add("...-", "length", "separators only: not blank, no digits")
    add("1111111111", "length", "10 repeated digits: length is checked before repetition")
    add("529.982.247-25 0", "length", "an extra digit after a space")
    for d in range(10):
        add(f"{d}{d}{d}.{d}{d}{d}.{d}{d}{d}-{d}{d}", "repeated", "one digit repeated")
    for d in range(10):
        add(str(d) * 11, OK, "one digit repeated, allowed by the lenient option", {"allow_repeated": True})
    add("111.111.111-11", OK, "anchor: repeated, masked, lenient", {"allow_repeated": True})
    add("529.982.247-25", OK, "lenient option changes nothing for a normal CPF", {"allow_repeated": True})
    add("529.982.247-24", "check_digit", "lenient option still checks digits", {"allow_repeated": True})
    add("1111111111", "length", "lenient option still checks length", {"allow_repeated": True})
    add("11111111112", "check_digit", "almost repeated")
    add("00000000191", OK, "leading zeros (the CPF is text)")
    # Generated valid CPFs and broken siblings.
    for i in range(40):
        base = digits_from(f"cpf-{i}", 9)
        if len(set(base)) == 1:
            continue
        full = base + cpf_check_digits(base)
        style = i % 4
        text = [mask_cpf(full), full, f" {mask_cpf(full)} ", f"{full[:3]} {full[3:6]} {full[6:9]} {full[9:]}"][style]
        add(text, OK, "generated")
        if i % 2 == 0:
            bad = full[:10] + str((int(full[10]) + 1) % 10)
            add(mask_cpf(bad), "check_digit", "generated, second check digit +1")
        else:
            bad = full[:9] + str((int(full[9]) + 5) % 10) + full[10]
            add(bad, "check_digit", "generated, first check digit +5")
    add("\u00a0529.982.247-25\u3000", OK, "no-break and ideographic spaces around (Unicode whitespace)")
    add("\ufeff529.982.247-25", "character", "byte-order mark: not whitespace")
    add("529.982.247\t25", "character", "tab inside (only . - and space are separators)")
    return cases


def cnpj_cases():
    cases = Cases()
    add = cases.add
    add("11.222.333/0001-81", OK, "anchor")
    add("11222333000181", OK, "bare")
    add(" 11 222 333 0001 81 ", OK, "spaces as separators")
    add("00.000.000/0001-91", OK, "anchor, leading zeros")
    add("12.ABC.345/01DE-35", OK, "Receita Federal alphanumeric example")
    add("12ABC34501DE35", OK, "Receita example, bare")
    add("12.abc.345/01de-35", OK, "Receita example, lowercase")
    add("12abc34501DE35", OK, "mixed case")
    add("12abc34501de35", OK, "Receita example, lowercase, bare")
    add("12.ABC.345/01DE-45", "check_digit", "check digits from the wrong A=10 mapping (anchor)")
    add("12.ABC.345/01DE-36", "check_digit", "Receita example, last digit +1")
    add("11.222.333/0001-82", "check_digit")
    add("11.222.333/0001-18", "check_digit", "check digits swapped")
    add("11.222.333/0002-81", "check_digit", "branch changed, check digits not")
    add("", "empty")
    add("  \t ", "empty")
    add("11.222.333/0001-8A", "character", "letter as 2nd check digit")
    add("12.ABC.345/01DE-3A", "character", "letter as 2nd check digit (alphanumeric)")
    add("12.ABC.345/01DE-A5", "character", "letter as 1st check digit")
    add("11.222.333\\0001-81", "character", "backslash")
    add("11,222,333/0001-81", "character", "comma")
    add("11.222.333/0001_81", "character", "underscore")
    add("CNPJ 11.222.333/0001-81", "length", "CNPJ label letters count as characters: 18 of them")
    add("12.ABÇ.345/01DE-35", "character", "non-ASCII letter")
    add("12.ÁBC.345/01DE-35", "character", "accented letter")
    add("11.222.333/0001-8", "length", "13 characters")
    add("11.222.333/0001-811", "length", "15 characters")
    add("ABCDEFGHIJKLM", "length", "13 letters: length before the check-digit-letter rule")
    add("---..//", "length", "separators only")
    add("00.000.000/0000-00", "repeated")
    add("11111111111111", "repeated")
    add("99.999.999/9999-99", "repeated")
    add("AAAAAAAAAAAAAA", "character", "all letters: letters in check-digit positions")
    # Generated numeric CNPJs (root + 0001 or another branch).
    for i in range(20):
        root = digits_from(f"cnpj-num-{i}", 8)
        branch = "0001" if i % 3 else digits_from(f"cnpj-br-{i}", 4)
        base = root + branch
        full = base + cnpj_check_digits(base)
        add(mask_cnpj(full) if i % 2 == 0 else full, OK, "generated numeric")
        if i % 4 == 0:
            bad = full[:13] + str((int(full[13]) + 3) % 10)
            add(mask_cnpj(bad), "check_digit", "generated numeric, 2nd check digit +3")
    # Generated alphanumeric CNPJs: valid, lowercase, and traps built with the WRONG mapping.
    traps = 0
    for i in range(60):
        base = alnum_from(f"cnpj-alnum-{i}", 12)
        if not any(c in ASCII_UPPER for c in base):
            continue
        right = cnpj_check_digits(base)
        wrong = cnpj_check_digits(base, value=cnpj_value_wrong)
        full = base + right
        if i < 20:
            text = mask_cnpj(full)
            if i % 5 == 0:
                text = text.lower()
            elif i % 5 == 1:
                text = full.lower()
            add(text, OK, "generated alphanumeric")
        if wrong != right and traps < 16:
            traps += 1
            text = mask_cnpj(base + wrong)
            add(text if traps % 3 else text.lower(), "check_digit",
                f"check digits {wrong} computed with the wrong A=10..Z=35 mapping (right: {right})")
    assert traps == 16
    base = "ABCDEFGHIJKL"
    add(mask_cnpj(base + cnpj_check_digits(base)), OK, "twelve letters")
    base = "ZZZZZZZZ0001"
    add(mask_cnpj(base + cnpj_check_digits(base)), OK, "Z is 42")
    add("11.222.333/0001-8a", "character", "lowercase letter as 2nd check digit")
    add("\u00a011.222.333/0001-81\n", OK, "no-break space and newline around")
    return cases


def cep_cases():
    cases = Cases()
    add = cases.add
    add("01310-100", OK, "Av. Paulista, São Paulo")
    add("01310100", OK, "bare")
    add("01.310-100", OK, "old dotted mask")
    add(" 20040-020 ", OK, "Rio de Janeiro, spaces around")
    add("70040 010", OK, "Brasília, space separator")
    add("0131-0100", OK, "separators anywhere: only the 8 digits count")
    add("30130-010", OK, "Belo Horizonte")
    add("40010-000", OK, "Salvador")
    add("80010-000", OK, "Curitiba")
    add("90010-150", OK, "Porto Alegre")
    add("69005-070", OK, "Manaus")
    add("", "empty")
    add("   ", "empty")
    add("01310_100", "character", "underscore")
    add("01310/100", "character", "slash")
    add("CEP 01310-100", "character", "label text")
    add("01310-10O", "character", "letter O for zero")
    add("０１３１０-１００", "character", "full-width digits")
    add("01310-10", "length", "7 digits")
    add("013101000", "length", "9 digits")
    add("1310-100", "length", "leading zero lost (7 digits)")
    add("--", "length", "separators only")
    add("00000-000", "range")
    add("00999-999", "range", "just below 01000-000")
    add("00100-000", "range")
    add("78900-000", OK, "gap in the state table: uf null")
    add("78950-123", OK, "gap in the state table: uf null")
    add("78999-999", OK, "gap in the state table: uf null")
    # Both ends of every range in the table.
    for lo, hi, uf in CEP_RANGES:
        add(f"{lo:05d}-000", OK, f"first CEP of a {uf} range")
        add(f"{hi:05d}-999", OK, f"last CEP of a {uf} range")
    add("01310 - 100", OK, "spaces around the dash")
    add("\u00a001310-100", OK, "no-break space before")
    return cases


def uf_cases():
    cases = Cases()
    add = cases.add
    for code in UFS:
        add(code, OK, "code")
    for code, name in UFS.items():
        add(name, OK, "official name")
    for inp in ["sp", "Rj", " mg ", "df\t", "rS"]:
        add(inp, OK, "code, any case")
    for inp in [
        "sao paulo", "SAO PAULO", "SÃO PAULO", "são paulo", "Sao  Paulo", "São\tPaulo",
        "espirito santo", "ESPÍRITO SANTO", "goias", "Maranhao", "para", "PARÁ", "paraiba",
        "parana", "piaui", "rondonia", "amapa", "ceara", "rio grande do norte",
        "RIO GRANDE DO SUL", "mato grosso do sul", "Mato  Grosso", " distrito federal ", "  DISTRITO   federal ",
    ]:
        add(inp, OK, "name, any case, with or without accents")
    add("", "empty")
    add("   ", "empty")
    add("\t", "empty")
    for inp in [
        "XX", "BR", "S P", "S", "SPP", "São", "Paulo", "Brasil", "Distrito-Federal", "DF.",
        "Estado de São Paulo", "Rio Grande", "Mato Grosso do Norte", "Guanabara", "Sao Paolo",
        "SP-", "12",
    ]:
        add(inp, "unknown")
    return cases


def phone_cases():
    cases = Cases()
    add = cases.add
    R = {"repair_legacy_mobile": True}
    # Mobiles and landlines, with the clutter portals send.
    add("+55 (11) 98765-4321", OK, "full international mobile")
    add("+5511987654321", OK, "E.164")
    add("55 11 98765-4321", OK, "country code without +")
    add("5511987654321", OK, "country code without +, bare")
    add("(11) 98765-4321", OK, "national mobile")
    add("11987654321", OK, "national mobile, bare")
    add("11 9 8765-4321", OK, "ninth digit written apart")
    add("(011) 98765-4321", OK, "trunk 0 before the DDD")
    add("011 98765 4321", OK, "trunk 0, spaces")
    add("0 15 11 98765-4321", OK, "trunk 0 + carrier 15")
    add("021 11 98765-4321", OK, "trunk 0 + carrier 21, 14 digits")
    add("  (21) 2345-6789  ", OK, "landline, spaces around")
    add("(21) 2345-6789", OK, "landline")
    add("2123456789", OK, "landline bare")
    add("+55 21 2345-6789", OK, "landline international")
    add("55 21 2345 6789", OK, "landline with 55, 12 digits")
    add("0 21 11 3456-7890", OK, "anchor: carrier code, landline, 13 digits")
    add("011 3456-7890", OK, "trunk 0, landline, 11 digits")
    add("+55.11.98765.4321", OK, "dots")
    add("(61) 3322-1100", OK, "Brasília landline")
    add("(48) 4004-1234", OK, "4004 with a DDD is an ordinary landline")
    add("(85) 5555-1234", OK, "landline starting 5")
    add("(55) 98765-4321", OK, "DDD 55 (RS), 11 digits: not a country code")
    add("(55) 3222-1234", OK, "DDD 55 landline, 10 digits")
    add("55 55 3222-1234", OK, "country code and DDD 55")
    add("+55 55 99999-0000", OK, "DDD 55 mobile, international")
    add("(99) 99999-9999", OK, "highest DDD")
    add("(79) 98888-7777", OK)
    add("(91) 3222-4444", OK)
    add("(19) 3333-4444", OK, "Campinas")
    add("(11) 8765-4321", "legacy_mobile", "8-digit mobile from before the ninth digit")
    add("(11) 8765-4321", OK, "repaired", R)
    add("(21) 9876-5432", "legacy_mobile", "starts 9")
    add("(21) 9876-5432", OK, "repaired", R)
    add("(31) 7123-4567", "legacy_mobile", "starts 7")
    add("(31) 7123-4567", OK, "repaired", R)
    add("(41) 6123-4567", "legacy_mobile", "starts 6")
    add("(41) 6123-4567", OK, "repaired", R)
    add("+55 11 8765-4321", "legacy_mobile", "legacy mobile, international")
    add("+55 11 8765-4321", OK, "repaired", R)
    add("551187654321", "legacy_mobile", "legacy mobile with 55, 12 digits")
    add("551187654321", OK, "repaired", R)
    add("(11) 3456-7890", OK, "landline untouched by the repair option", R)
    add("(11) 98765-4321", OK, "mobile untouched by the repair option", R)
    add("(11) 1234-5678", "subscriber", "repair never applies to 0/1", R)
    add("", "empty")
    add("   ", "empty")
    add("(11) 98765-4321 ramal 2", "character", "extension text")
    add("11 98765-4321+", "character", "+ not first")
    add("++55 11 98765-4321", "character", "two +")
    add("11/98765-4321", "character", "slash")
    add("tel: 11 98765-4321", "character", "label")
    add("0XX11 98765-4321", "character", "the written 0XX")
    add("(11) 98765-4321; (11) 3456-7890", "character", "two numbers")
    add("(11)\u00a098765-4321", "character", "no-break space inside (only trimmed at the ends)")
    add("98765-4321", "length", "no DDD")
    add("3456-7890", "length", "landline without DDD")
    add("119876543210", "length", "12 digits, no 0 or 55")
    add("1198765432109", "length", "13 digits, no 0 or 55")
    add("0119876543", "length", "trunk 0, 10 digits")
    add("012345678901234", "length", "trunk 0, 15 digits")
    add("+55 11 9876-543", "length", "9 digits after +55")
    add("+55", "length", "country code only")
    add("()", "length", "no digits")
    add("+1 234", "length", "foreign, 4 digits")
    add("+1234567", "length", "foreign, 7 digits")
    add("+1234567890123456", "length", "foreign, 16 digits")
    add("+12345678", OK, "foreign, 8 digits (shortest allowed)")
    add("+123456789012345", OK, "foreign, 15 digits (longest allowed)")
    add("+1 (415) 555-2671", OK, "USA")
    add("+351 912 345 678", OK, "Portugal mobile")
    add("+44 20 7946 0958", OK, "London")
    add("+54 9 11 1234-5678", OK, "Argentina mobile")
    add("+0 11 98765-4321", "country_code")
    add("+055 11 98765-4321", "country_code", "trunk 0 written after +")
    add("(10) 98765-4321", "area_code")
    add("(20) 98765-4321", "area_code")
    add("(23) 3456-7890", "area_code")
    add("(25) 98765-4321", "area_code")
    add("(26) 98765-4321", "area_code")
    add("(29) 98765-4321", "area_code")
    add("(30) 98765-4321", "area_code")
    add("(36) 3456-7890", "area_code")
    add("(39) 98765-4321", "area_code")
    add("(40) 98765-4321", "area_code")
    add("(50) 98765-4321", "area_code")
    add("(52) 98765-4321", "area_code")
    add("(56) 98765-4321", "area_code")
    add("(60) 98765-4321", "area_code")
    add("(70) 98765-4321", "area_code")
    add("(72) 98765-4321", "area_code")
    add("(76) 98765-4321", "area_code")
    add("(78) 98765-4321", "area_code")
    add("(80) 98765-4321", "area_code")
    add("(90) 98765-4321", "area_code")
    add("+55 0800 770 1234", "area_code", "with +55 the 0800 is read as DDD 08")
    add("(00) 98765-4321", "area_code", "trunk 0 then DDD 09")
    add("080012345678", "area_code", "12 digits starting 0: trunk 0 then DDD 80")
    add("(11) 88765-4321", "subscriber", "9 digits not starting 9")
    add("(11) 18765-4321", "subscriber", "9 digits starting 1")
    add("(11) 1234-5678", "subscriber", "8 digits starting 1")
    add("(11) 0234-5678", "subscriber", "8 digits starting 0")
    add("+55 21 0987-6543", "subscriber")
    add("0800 770 1234", "non_geographic", "toll-free")
    add("0800-123-4567", "non_geographic")
    add("0300 789 1234", "non_geographic")
    add("0500 123 4567", "non_geographic")
    add("0900 123 4567", "non_geographic")
    add("4004-0001", "non_geographic", "capital-wide number")
    add("4003 1234", "non_geographic")
    add("3003-3030", "non_geographic")
    add("4020-1234", "length", "8 digits starting 402: not non-geographic, no DDD")
    add("0800 123 456", "length", "0800 with too few digits")
    add(" +55 11 98765-4321", OK, "+ first after trimming")
    add("+ 55 11 98765-4321", OK, "space after +")
    add("\u00a0(11) 98765-4321\u00a0", OK, "no-break spaces around (trimmed)")
    add("(11)\t98765-4321", "character", "tab inside")
    add("0055 11 98765-4321", "length", "international prefix 00: trunk 0 with 15 digits")
    add("+55 (011) 98765-4321", "length", "+55 then trunk 0: 12 digits after 55")
    add("55 98765-4321", OK, "11 digits starting 55: DDD 55, not the country code")
    return cases


def email_cases():
    cases = Cases()
    add = cases.add
    add("maria.silva@imobiliaria.com.br", OK)
    add("  Joao+zap@Gmail.COM ", OK, "trimmed; domain lower-cased; +tag dropped in match_key")
    add("a_b-c@sub.dominio.org", OK)
    add("Maria.Silva+Portal@Imobiliaria.COM.BR", OK)
    add("MARIA@IMOBILIARIA.COM.BR", OK, "upper-case local part kept as given")
    add("corretor123@imob-sp.com.br", OK, "hyphen inside the domain")
    add("contato@123imoveis.com.br", OK, "domain label starting with a digit")
    add("j.souza@mail.imobiliaria.net", OK)
    add("vendas@x.io", OK)
    add("a@b.co", OK, "short")
    add("first.last@a-b.c-d.com", OK)
    add("user_name@domain.travel", OK)
    add("ANA+Teste@Example.com", OK)
    add("\tjoana@example.com\n", OK, "tab and newline around")
    add("a" * 64 + "@example.com", OK, "local part of 64 characters (the maximum)")
    add("x@" + "d" * 63 + ".com", OK, "domain label of 63 characters (the maximum)")
    add("", "empty")
    add("   ", "empty")
    add("maria", "format", "no @")
    add("maria@", "format", "no domain")
    add("@dominio.com", "format", "no local part")
    add("maria silva@x.com", "format", "space in the local part")
    add("maria@x .com", "format", "space in the domain")
    add("maria@@x.com", "format", "two @")
    add("maria@x..com", "format", "empty domain label")
    add("maria@.x.com", "format", "domain starts with a dot")
    add("maria@x.com.", "format", "domain ends with a dot")
    add("maria@-dominio.com", "format", "label starts with a hyphen")
    add("maria@dominio-.com", "format", "label ends with a hyphen")
    add("maria@dominio_sp.com", "format", "underscore in the domain")
    add("maria@x.com, joao@y.com", "format", "two addresses")
    add("<maria@x.com>", "format", "angle brackets")
    add("mailto:maria@x.com", "format", "mailto: prefix")
    add("maria(at)x.com", "format", "obfuscated @")
    add("maria@x.com;", "format", "trailing semicolon")
    add("maria@exemplo,com", "format", "comma in the domain")
    add("a" * 65 + "@example.com", "format", "local part of 65 characters")
    add("x@" + "d" * 64 + ".com", "format", "domain label of 64 characters")
    add("x@" + ".".join(["d" * 63] * 5), "format", "domain of 319 characters")
    return cases


def creci_cases():
    cases = Cases()
    add = cases.add
    add("CRECI-SP 123456-F", OK, "as printed on the card")
    add("CRECI/RJ J-12345", OK, "kind before the number")
    add("CRECI/RJ J-12.345", OK, "thousands dot")
    add("creci mg 004567", OK, "lowercase, leading zeros dropped")
    add("12345-F/SP", OK, "number first")
    add("SP 12345", OK, "no kind")
    add("CRECI-SP 123456F", OK, "kind glued to the number")
    add("SP123456F", OK, "everything glued")
    add("CRECI: 98765 (PR)", OK, "colon and parentheses")
    add("CRECI/SP 012345", OK, "leading zero")
    add("DF-1234-J", OK)
    add("CRECI-SC 9", OK, "one digit")
    add("  creci/rs 123.456-f  ", OK, "spaces, lowercase, dot")
    add("CRECI 1 AC", OK)
    add("F 54321 BA", OK)
    add("CRECI-GO 999999-J", OK, "six digits, the maximum")
    add("CRECI - PE - 45.678 - F", OK, "spaced separators")
    add("ce 1.234", OK)
    add("", "empty")
    add("  ", "empty")
    add("CRECI-SP 123 456", "format", "two digit runs")
    add("CRECI-SP 123456-F-J", "format", "two kind letters")
    add("SP RJ 12345", "format", "two UFs")
    add("CRECI SP ABC 12345", "format", "three-letter run")
    add("CRECI-SP 12345 FISICA", "format", "word after the number")
    add("Corretor SP 12345", "format", "another word")
    add("SP CRECI 12345", "format", "CRECI not leading")
    add("CRECI #12345-SP", "format", "# character")
    add("CRECI-SP_12345", "format", "underscore")
    add("CRECI-SP 12345; F", "format", "semicolon")
    add("CRECI-SP 12.345,F", "format", "comma")
    add("CRECI-SP", "number", "no number")
    add("CRECI-SP 0", "number", "zero")
    add("CRECI-SP 000000", "number", "zero with leading zeros")
    add("CRECI-SP 1234567", "number", "seven digits")
    add("CRECI-SP 1.234.567-F", "number", "seven digits with dots")
    add("CRECI 12345", "uf", "no UF")
    add("12345-F", "uf", "no UF")
    add("CRECI-XX 12345", "uf", "unknown UF")
    add("CRECI-BR 12345-F", "uf", "BR is not a UF")
    add("CRECI-SP 12345-X", "kind", "kind letter X")
    add("CRECI-RJ A-1234", "kind", "kind letter A")
    add("CRECI/MG 54321 P", "kind", "kind letter P")
    add("CRECI-SP-123456-F", OK, "dashes everywhere")
    add("CRECI(SP)12345", OK, "parentheses")
    add("CRECI-SP 12.34.56", OK, "several dots between digits")
    add("CRECI-SP 123456-F.", OK, "trailing dot is a separator")
    add("CRECI-SP 12345-FJ", "format", "FJ is a second 2-letter run")
    add("SP-12345-F-RJ", "format", "two UFs around the number")
    return cases


CASE_BUILDERS = [
    ("cpf", cpf_cases),
    ("cnpj", cnpj_cases),
    ("cep", cep_cases),
    ("uf", uf_cases),
    ("phone", phone_cases),
    ("email", email_cases),
    ("creci", creci_cases),
]


def build_validation() -> dict:
    check_anchors()
    out = []
    seen = set()
    for kind, builder in CASE_BUILDERS:
        n = 0
        for inp, options, label, note in builder():
            key = (kind, inp, json.dumps(options, sort_keys=True))
            if key in seen:  # the same input listed twice (e.g. generated and hand-written)
                continue
            seen.add(key)
            expect = evaluate(kind, inp, options)
            got_label = OK if expect["valid"] else expect["code"].rsplit(".", 1)[1]
            if got_label != label:
                raise SystemExit(
                    f"HAND LABEL DISAGREES: {kind} {inp!r} {options}: labelled {label!r}, rules gave {expect}"
                )
            n += 1
            case = {"id": f"{kind}-{n:03d}", "kind": kind, "input": inp, "options": dict(sorted(options.items())),
                    "expect": expect}
            if note:
                case["note"] = note
            out.append(case)
    # Every anchor must also be a case (with the same expectation).
    for kind, inp, options, expected in ANCHORS:
        if not any(c["kind"] == kind and c["input"] == inp and c["options"] == options for c in out):
            raise SystemExit(f"anchor {kind} {inp!r} {options} is not among the cases")
    # Every code must be covered.
    codes = {c["expect"]["code"] for c in out if not c["expect"]["valid"]}
    for kind, names in ALL_VALIDATION_CODES.items():
        for name in names:
            code = f"validation.{kind}.{name}"
            if code not in codes:
                raise SystemExit(f"no case covers {code}")
    extra = codes - {f"validation.{k}.{n}" for k, ns in ALL_VALIDATION_CODES.items() for n in ns}
    assert not extra, extra
    return {
        "format": 1,
        "description": (
            "Shared validation vectors for realestate-crm (CPF, CNPJ, CEP, UF, phone, e-mail, CRECI). "
            "Generated by tests/vectors/tools/make_vectors.py from an independent implementation of "
            "the published rules plus hand-checked anchors; see tests/vectors/README.md."
        ),
        "cases": out,
    }


# ---------------------------------------------------------------------------------------------
# Money: rounding
# ---------------------------------------------------------------------------------------------

MODES = ["half_even", "half_up", "half_down", "down", "up", "floor", "ceiling"]
DECIMAL_MODES = {
    "half_even": ROUND_HALF_EVEN,
    "half_up": ROUND_HALF_UP,  # Python: ties away from zero
    "half_down": ROUND_HALF_DOWN,  # Python: ties toward zero
    "down": ROUND_DOWN,
    "up": ROUND_UP,
    "floor": ROUND_FLOOR,
    "ceiling": ROUND_CEILING,
}


def round_fraction(value: Fraction, places: int, mode: str) -> Fraction:
    """Rounding from first principles on exact rationals."""
    scale = 10 ** places
    x = value * scale
    lo = x.numerator // x.denominator  # floor
    frac = x - lo  # 0 <= frac < 1
    if frac == 0:
        return Fraction(lo, scale)
    hi = lo + 1
    negative = x < 0
    toward_zero = hi if negative else lo
    away_from_zero = lo if negative else hi
    if mode == "floor":
        r = lo
    elif mode == "ceiling":
        r = hi
    elif mode == "down":
        r = toward_zero
    elif mode == "up":
        r = away_from_zero
    else:
        half = Fraction(1, 2)
        if frac < half:
            r = lo
        elif frac > half:
            r = hi
        elif mode == "half_even":
            r = lo if lo % 2 == 0 else hi
        elif mode == "half_up":
            r = away_from_zero
        elif mode == "half_down":
            r = toward_zero
        else:
            raise ValueError(mode)
    return Fraction(r, scale)


def dec_text(q: Fraction, places: int) -> str:
    """Exact text of q with `places` decimals (q must be a multiple of 10^-places)."""
    scale = 10 ** places
    n = q * scale
    assert n.denominator == 1, (q, places)
    n = n.numerator
    sign = "-" if n < 0 else ""
    n = abs(n)
    if places == 0:
        return f"{sign}{n}"
    s = str(n).rjust(places + 1, "0")
    return f"{sign}{s[:-places]}.{s[-places:]}"


def round_case(value: str, places: int, mode: str) -> str:
    exact = round_fraction(Fraction(Decimal(value)), places, mode)
    # Second, independent computation with decimal.quantize.
    with localcontext() as ctx:
        ctx.prec = 60
        q = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=DECIMAL_MODES[mode])
    if Fraction(q) != exact:
        raise SystemExit(f"rounding self-check failed: {value} {places} {mode}: {exact} vs {q}")
    return dec_text(exact, places)


# Hand-checked rounding anchors: (value, places, {mode: expected}).
ROUNDING_ANCHORS = [
    # 2.345 to cents is exactly halfway between 2.34 and 2.35: even -> 2.34 (4 is even).
    ("2.345", 2, {"half_even": "2.34", "half_up": "2.35", "half_down": "2.34", "down": "2.34",
                  "up": "2.35", "floor": "2.34", "ceiling": "2.35"}),
    # -2.345: half_up goes away from zero (-2.35), half_down toward zero (-2.34), floor to -inf.
    ("-2.345", 2, {"half_even": "-2.34", "half_up": "-2.35", "half_down": "-2.34", "down": "-2.34",
                   "up": "-2.35", "floor": "-2.35", "ceiling": "-2.34"}),
    # 2.355: halfway between 2.35 and 2.36, even -> 2.36 (6 is even).
    ("2.355", 2, {"half_even": "2.36", "half_up": "2.36", "half_down": "2.35"}),
    # 0.5, 1.5, 2.5 to units under half_even: 0, 2, 2.
    ("0.5", 0, {"half_even": "0", "half_up": "1", "half_down": "0"}),
    ("1.5", 0, {"half_even": "2", "half_up": "2", "half_down": "1"}),
    ("2.5", 0, {"half_even": "2", "half_up": "3", "half_down": "2"}),
    ("-2.5", 0, {"half_even": "-2", "half_up": "-3", "half_down": "-2", "floor": "-3", "ceiling": "-2"}),
    # Not a midpoint: 2.341 -> up 2.35, down 2.34; -2.341 -> floor -2.35, ceiling -2.34.
    ("2.341", 2, {"up": "2.35", "down": "2.34", "half_up": "2.34", "ceiling": "2.35", "floor": "2.34"}),
    ("-2.341", 2, {"up": "-2.35", "down": "-2.34", "floor": "-2.35", "ceiling": "-2.34"}),
    # 1.005 is exact in decimal (a float would hold 1.00499999...): half_up -> 1.01.
    ("1.005", 2, {"half_up": "1.01", "half_even": "1.00", "half_down": "1.00"}),
]


def rounding_cases() -> list[dict]:
    for value, places, expected in ROUNDING_ANCHORS:
        for mode, want in expected.items():
            got = round_case(value, places, mode)
            if got != want:
                raise SystemExit(f"ROUNDING ANCHOR FAILED: {value} {places} {mode}: want {want}, got {got}")
    grid = [
        # (values, places)
        (["2.345", "-2.345", "2.355", "-2.355", "2.341", "-2.341", "2.349", "-2.349", "2.3", "-2.3",
          "2.35", "0", "1.005", "-1.005", "0.125", "-0.125", "0.005", "-0.005", "0.004", "-0.004",
          "2.3450001", "-2.3449999", "1234567.895", "-1234567.885", "99.995", "-99.995"], 2),
        (["0.5", "1.5", "2.5", "-0.5", "-1.5", "-2.5", "0.49", "-0.49", "0.51", "-0.51", "7"], 0),
        (["1234.5675", "-1234.5675", "0.0005", "1.2344999"], 3),
        (["0.123456789", "-0.123456785"], 8),
        (["123.45", "-123.45", "5.55"], 1),
        (["2.3450000000000000000000000001", "-2.3449999999999999999999999999",
          "-2.3450000000000000000000000001"], 2),
        (["0.5000000000000000000000000001", "-0.5000000000000000000000000001",
          "2.4999999999999999999999999999"], 0),
    ]
    out = []
    n = 0
    for values, places in grid:
        for value in values:
            for mode in MODES:
                n += 1
                out.append({"id": f"round-{n:03d}", "value": value, "places": places, "mode": mode,
                            "expect": round_case(value, places, mode)})
    return out


# ---------------------------------------------------------------------------------------------
# Money: allocation
# ---------------------------------------------------------------------------------------------

CURRENCY_MINOR_UNITS = {"BRL": 2, "USD": 2, "EUR": 2, "JPY": 0, "CLP": 0, "KWD": 3, "BHD": 3}


def allocate_exact(total: str, currency: str, weights: list[str]) -> dict:
    places = CURRENCY_MINOR_UNITS[currency]
    if not weights:
        return {"ok": False, "code": "money.allocation.no_parts"}
    w = [Fraction(Decimal(x)) for x in weights]
    if any(x < 0 for x in w):
        return {"ok": False, "code": "money.allocation.negative_weight"}
    if all(x == 0 for x in w):
        return {"ok": False, "code": "money.allocation.zero_weights"}
    t = Fraction(Decimal(total))
    units = t * 10 ** places
    if units.denominator != 1:
        return {"ok": False, "code": "money.allocation.sub_unit"}
    units = units.numerator
    sign = -1 if units < 0 else 1
    units = abs(units)
    s = sum(w)
    shares = [units * x / s for x in w]
    floors = [sh.numerator // sh.denominator for sh in shares]
    rems = [sh - f for sh, f in zip(shares, floors)]
    left = units - sum(floors)
    assert 0 <= left < len(w)
    order = sorted(range(len(w)), key=lambda i: (-rems[i], i))  # largest remainder, then earlier
    parts = floors[:]
    for i in order[:left]:
        assert rems[i] > 0
        parts[i] += 1
    assert sum(parts) == units
    for i, x in enumerate(w):
        if x == 0:
            assert parts[i] == 0
    texts = [dec_text(Fraction(sign * p, 10 ** places), places) for p in parts]
    return {"ok": True, "parts": texts}


ALLOCATION_ANCHORS = [
    # 1000.00 / 3 = 333.333...: floors 333.33 x3 = 999.99, one cent left; the remainders tie
    # (0.333... cent each), so the earlier part gets it.
    ("1000.00", "BRL", ["1", "1", "1"], ["333.34", "333.33", "333.33"]),
    # A negative total mirrors the positive split.
    ("-1000.00", "BRL", ["1", "1", "1"], ["-333.34", "-333.33", "-333.33"]),
    # 100.00 by 1:2 -> 33.333... and 66.666...: floors 33.33 + 66.66 = 99.99; remainders 1/3 and
    # 2/3 of a cent: the larger (second part) gets the cent, order notwithstanding.
    ("100.00", "BRL", ["1", "2"], ["33.33", "66.67"]),
    # 0.02 in three: 0.00666... each; floors 0; two cents go to the first two (ties by order).
    ("0.02", "BRL", ["1", "1", "1"], ["0.01", "0.01", "0.00"]),
    # 99.99 by 0.5/0.25/0.25: 49.995, 24.9975, 24.9975; floors 49.99 + 24.99 + 24.99 = 99.97;
    # remainders 0.5, 0.75, 0.75 cent: the two cents go to parts 2 and 3.
    ("99.99", "BRL", ["0.5", "0.25", "0.25"], ["49.99", "25.00", "25.00"]),
    # JPY has no minor unit: 1000 / 3 -> 334, 333, 333.
    ("1000", "JPY", ["1", "1", "1"], ["334", "333", "333"]),
    # A zero weight gets zero.
    ("100.00", "BRL", ["0", "1", "0"], ["0.00", "100.00", "0.00"]),
]


def allocation_cases() -> list[dict]:
    for total, cur, weights, want in ALLOCATION_ANCHORS:
        got = allocate_exact(total, cur, weights)
        if got != {"ok": True, "parts": want}:
            raise SystemExit(f"ALLOCATION ANCHOR FAILED: {total} {cur} {weights}: want {want}, got {got}")
    specs = [
        # (total, currency, weights, note)
        *[(t, c, w, "anchor") for t, c, w, _ in ALLOCATION_ANCHORS],
        ("100.00", "BRL", ["1", "1", "1"], "three equal parts"),
        ("-100.00", "BRL", ["1", "1", "1"], "negative total mirrors"),
        ("0.01", "BRL", ["1", "1"], "one cent, tie to the first"),
        ("-0.01", "BRL", ["1", "1"], "minus one cent, mirrored"),
        ("0.01", "BRL", ["0", "1", "1"], "zero weight first: the cent goes to the earliest non-zero"),
        ("0.02", "BRL", ["1", "2", "1"], "shares 0.5, 1, 0.5 cent: 1 cent to the second, the last cent to the first (tie by order)"),
        ("-100.00", "BRL", ["1", "2"], "remainder beats order, mirrored"),
        ("0.05", "USD", ["1", "1", "1"], "five cents in three"),
        ("100.00", "BRL", ["1", "1", "1", "1", "1", "1", "1"], "seven parts"),
        ("1000", "BRL", ["1", "1", "1"], "total written without cents"),
        ("10.5", "BRL", ["1", "1"], "total with one decimal"),
        ("0", "BRL", ["1", "2", "3"], "zero total"),
        ("0.00", "BRL", ["5"], "zero total, one part"),
        ("1234.56", "BRL", ["7"], "one part takes everything"),
        ("36000.00", "BRL", ["1.25", "1.25", "3.5"], "6% commission split by 1.25/1.25/3.5 points"),
        ("36000.00", "BRL", ["0.5", "0.3", "0.2"], "agency/listing/selling shares"),
        ("1000.00", "BRL", ["33.3333", "33.3333", "33.3334"], "weights that almost sum to 100"),
        ("999.99", "BRL", ["2", "3", "5"], "unequal weights"),
        ("-999.99", "BRL", ["2", "3", "5"], "unequal weights, negative"),
        ("10.00", "BRL", ["0", "0", "1"], "all to the last part"),
        ("0.10", "EUR", ["1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1"], "ten cents in eleven parts"),
        ("10", "JPY", ["1", "1", "1"], "JPY, ten yen in three"),
        ("-1000", "JPY", ["1", "1", "1"], "JPY, negative mirrors"),
        ("100", "JPY", ["1", "2"], "JPY, remainder beats order"),
        ("7", "CLP", ["1", "1", "1", "1"], "CLP has no minor unit"),
        ("1.000", "KWD", ["1", "1", "1"], "KWD has three decimals"),
        ("0.010", "BHD", ["1", "2"], "BHD, remainder beats order"),
        ("123456789.01", "BRL", ["1", "1", "1"], "large total"),
        ("1500.00", "BRL", ["0.015", "0.985"], "1.5% vs the rest"),
        ("1.00", "BRL", ["1", "1", "1", "1", "1", "1"], "one real in six"),
        ("-0.05", "USD", ["3", "1", "1"], "negative cents, unequal"),
        ("0.02", "BRL", ["4", "1", "1"], "shares 4/3, 1/3, 1/3 cent: equal remainders 1/3 (repeating decimals), tie to the first"),
        ("0.02", "BRL", ["1", "1", "4"], "remainders all 1/3: the cent left goes to the first"),
        ("200.00", "BRL", ["4", "1", "1"], "remainders all 1/3 cent"),
        ("0.03", "BRL", ["15", "1", "1", "1", "1", "1", "1"], "remainders all 1/7 cent: tie to the first"),
        ("0.01", "BRL", ["1", "2", "2"], "tie between the 2nd and 3rd: the earlier"),
        ("10.00", "BRL", ["3", "3", "3"], "equal weights other than 1"),
        ("1000.00", "BRL", ["0.1", "0.2", "0.3", "0.4"], "exact shares"),
        ("100.00", "BRL", ["1", "1", "1", "0"], "zero weight last"),
        ("-0.02", "BRL", ["4", "1", "1"], "negative, remainders all 1/3"),
        # Errors, each with exactly one fault.
        ("100.00", "BRL", [], "no parts"),
        ("100.00", "BRL", ["1", "-1"], "negative weight"),
        ("100.00", "BRL", ["-0.5", "2"], "negative weight first"),
        ("100.00", "BRL", ["0", "0"], "all weights zero"),
        ("100.00", "BRL", ["0.00"], "the only weight is zero"),
        ("10.005", "BRL", ["1", "1"], "fraction of a cent"),
        ("-0.001", "BRL", ["1"], "negative fraction of a cent"),
        ("10.5", "JPY", ["1", "1"], "fraction of a yen"),
        ("1.0005", "KWD", ["1"], "fraction of a fils"),
    ]
    out = []
    for n, (total, cur, weights, note) in enumerate(specs, 1):
        case = {"id": f"alloc-{n:03d}", "total": total, "currency": cur, "weights": weights,
                "expect": allocate_exact(total, cur, weights)}
        if note and note != "anchor":
            case["note"] = note
        out.append(case)
    return out


# ---------------------------------------------------------------------------------------------
# Money: rates
# ---------------------------------------------------------------------------------------------

RATE_NUMBER_RE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def rate_rule(inp: str) -> dict:
    s = trim(inp)
    percent = s.endswith("%")
    if percent:
        s = s[:-1]
        while s and s[-1] in WHITESPACE:
            s = s[:-1]
    if "," in s:
        if "." in s:
            return {"ok": False, "code": "validation.rate.format"}  # thousands separators
        s = s.replace(",", ".")
    if not RATE_NUMBER_RE.fullmatch(s):
        return {"ok": False, "code": "validation.rate.format"}
    value = Fraction(Decimal(s))
    if percent:
        value /= 100
    if not (0 <= value <= 1):
        return {"ok": False, "code": "validation.rate.range"}
    # exact decimal text of the fraction (denominator is 2^a 5^b)
    places = 0
    while (value * 10 ** places).denominator != 1:
        places += 1
    text = dec_text(value, places)
    return {"ok": True, "value": text}


RATE_SPECS = [
    # (input, hand-expected value or error code suffix, note)
    ("6%", "0.06", "percent"),
    ("6.5 %", "0.065", "space before %"),
    ("6,5%", "0.065", "decimal comma"),
    ("0.065", "0.065", "fraction"),
    ("0,065", "0.065", "fraction with decimal comma"),
    (" 6% ", "0.06", "spaces around"),
    ("100%", "1", "the maximum"),
    ("100.00%", "1", "the maximum with decimals"),
    ("0%", "0", "the minimum"),
    ("0", "0", "zero fraction"),
    ("1", "1", "one as a fraction is 100%"),
    ("1.0", "1", None),
    ("0.5", "0.5", None),
    ("50%", "0.5", None),
    ("8,75 %", "0.0875", "administration fee"),
    ("1.5%", "0.015", "IRRF"),
    ("0.065%", "0.00065", "small percent"),
    ("12,345%", "0.12345", "comma with three decimals is a decimal comma"),
    ("33.3333%", "0.333333", None),
    ("0.0650", "0.065", "trailing zero"),
    ("101%", "range", "above 100%"),
    ("100.0001%", "range", "just above 100%"),
    ("1.5", "range", "fraction above 1"),
    ("1,5", "range", "decimal comma, above 1"),
    ("1.0001", "range", None),
    ("-5%", "range", "negative percent"),
    ("-0.01", "range", "negative fraction"),
    ("%", "format", "percent sign alone"),
    ("6%%", "format", "two percent signs"),
    ("6 %%", "format", "two percent signs, spaced"),
    ("%6", "format", "percent sign first"),
    ("6.5e-2", "format", "exponent"),
    ("1E-2", "format", "exponent"),
    ("1,000.5%", "format", "thousands separator"),
    ("1.000,5%", "format", "thousands separator, Brazilian style"),
    ("6,5,0%", "format", "two commas"),
    ("6.5.0", "format", "two dots"),
    ("6 5%", "format", "space inside the number"),
    ("six", "format", "words"),
    ("6 percent", "format", "words"),
    ("", "format", "blank: nothing to parse"),
]


def rate_cases() -> list[dict]:
    out = []
    for n, (inp, want, note) in enumerate(RATE_SPECS, 1):
        got = rate_rule(inp)
        hand = {"ok": False, "code": f"validation.rate.{want}"} if want in ("range", "format") else {"ok": True, "value": want}
        if got != hand:
            raise SystemExit(f"RATE HAND LABEL DISAGREES: {inp!r}: hand {hand}, rules {got}")
        case = {"id": f"rate-{n:03d}", "input": inp, "expect": got}
        if note:
            case["note"] = note
        out.append(case)
    return out


# ---------------------------------------------------------------------------------------------
# Money: currencies and arithmetic
# ---------------------------------------------------------------------------------------------

CURRENCY_SPECS = [
    ("BRL", 2), ("USD", 2), ("EUR", 2), ("JPY", 0), ("CLP", 0), ("KWD", 3), ("BHD", 3),
    ("XYZ", None), ("BR", None), ("REAL", None), ("R$", None),
]


def currency_cases() -> list[dict]:
    out = []
    for n, (inp, units) in enumerate(CURRENCY_SPECS, 1):
        if units is None:
            expect = {"ok": False, "code": "validation.currency.unknown"}
        else:
            expect = {"ok": True, "currency": inp, "minor_units": units}
        out.append({"id": f"currency-{n:03d}", "input": inp, "expect": expect})
    return out


ARITH_SPECS = [
    # (op, left amount, left cur, right amount, right cur)
    ("add", "10.00", "BRL", "5.50", "BRL"),
    ("add", "0.10", "BRL", "0.20", "BRL"),  # 0.30 exactly (a float gives 0.30000000000000004)
    ("add", "-10.00", "BRL", "3.33", "BRL"),
    ("add", "1234567.89", "BRL", "0.01", "BRL"),
    ("add", "100", "JPY", "250", "JPY"),
    ("add", "1.5", "USD", "2.25", "USD"),
    ("sub", "10.00", "BRL", "5.50", "BRL"),
    ("sub", "5.50", "BRL", "10.00", "BRL"),
    ("sub", "0.30", "BRL", "0.10", "BRL"),
    ("sub", "-1.00", "EUR", "-1.00", "EUR"),
    ("sub", "1000", "JPY", "1", "JPY"),
    ("add", "10.00", "BRL", "5.00", "USD"),
    ("sub", "10.00", "BRL", "5.00", "EUR"),
    ("add", "0", "JPY", "0", "BRL"),
    ("sub", "1.000", "KWD", "1.00", "USD"),
]


def arithmetic_cases() -> list[dict]:
    out = []
    for n, (op, la, lc, ra, rc) in enumerate(ARITH_SPECS, 1):
        if lc != rc:
            expect = {"ok": False, "code": "money.currency_mismatch"}
        else:
            a, b = Decimal(la), Decimal(ra)
            r = a + b if op == "add" else a - b
            expect = {"ok": True, "amount": str(r), "currency": lc}
        out.append({"id": f"arith-{n:03d}", "op": op, "left": {"amount": la, "currency": lc},
                    "right": {"amount": ra, "currency": rc}, "expect": expect})
    assert out[1]["expect"]["amount"] == "0.30"  # hand check
    assert out[2]["expect"]["amount"] == "-6.67"  # -10.00 + 3.33 = -6.67
    assert out[7]["expect"]["amount"] == "-4.50"  # 5.50 - 10.00
    return out


def build_money() -> dict:
    return {
        "format": 1,
        "description": (
            "Shared money vectors for realestate-crm: rounding modes, allocation (largest remainder), "
            "rate parsing, currencies and checked arithmetic. Generated by "
            "tests/vectors/tools/make_vectors.py with exact decimal/fraction arithmetic; see "
            "tests/vectors/README.md."
        ),
        "rounding": rounding_cases(),
        "allocation": allocation_cases(),
        "rates": rate_cases(),
        "currencies": currency_cases(),
        "arithmetic": arithmetic_cases(),
    }


# ---------------------------------------------------------------------------------------------


def render(doc: dict) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    outputs = {
        OUT_DIR / "validation.json": render(build_validation()),
        OUT_DIR / "money.json": render(build_money()),
    }
    if "--check" in argv:
        stale = [p for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            print(f"{p} is out of date: run python3 tests/vectors/tools/make_vectors.py", file=sys.stderr)
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(OUT_DIR.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
