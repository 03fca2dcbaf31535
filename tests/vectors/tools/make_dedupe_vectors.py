#!/usr/bin/env python3
"""Writes tests/vectors/dedupe.json: the shared vectors of duplicate detection.

Unlike the other generators, this file implements nothing. Every expected value below is a
HAND LABEL or a HAND-WORKED normalisation, written from the rules in tests/vectors/README.md
(section "dedupe.json") and docs/dedupe.md, never copied from the Rust code's output:

  * normalisation: the tokens / keys a person gets by applying the rules by hand;
  * pairs: the decision a person expects (same person or not), the rule that settles it and
    the outcome of each field; for pairs whose fields are all exact, different or missing the
    score is the sum of the Fellegi-Sunter weights, log2(m/u) or log2((1-m)/(1-u)) of the
    default probabilities, which this script evaluates with math.log2 (a calculator, not an
    implementation of the matcher); the one similar-phone anchor is worked in its comment;
  * ingestion, books and merges: the lead a person expects found, the survivor and the value
    kept for each field with its reason;
  * configurations: the path and code of every problem.

The script only expands the compact table into full lead JSON (ids, timestamps) and writes it
deterministically: json.dumps(doc, indent=1, ensure_ascii=False) and a final newline.

Usage:
  python3 tests/vectors/tools/make_dedupe_vectors.py          # (re)write dedupe.json
  python3 tests/vectors/tools/make_dedupe_vectors.py --check  # exit 1 if it is stale

Add new cases at the end of a list so existing ids keep their meaning.
"""

from __future__ import annotations

import json
import sys
from math import log2
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT_PATH = HERE.parent / "dedupe.json"

# ---------------------------------------------------------------------------------------------
# The default probabilities (docs/dedupe.md) and their weights, from the formula.

DEFAULTS = {
    "name": (0.95, 0.001),
    "email": (0.80, 0.0001),
    "phone": (0.85, 0.0001),
    "document": (0.999, 0.0000001),
    "portal_id": (0.99, 0.0000001),
}


def agree(field: str) -> float:
    m, u = DEFAULTS[field]
    return log2(m / u)


def disagree(field: str) -> float:
    m, u = DEFAULTS[field]
    return log2((1 - m) / (1 - u))


# Hand check of the arithmetic: 2^9.8918 = 950.0, 2^-4.3205 = 0.050050 (= 0.05 / 0.999).
assert abs(2 ** agree("name") - 950) < 1e-9
assert abs(2 ** disagree("name") - 0.05 / 0.999) < 1e-12


def r4(x: float) -> float:
    return round(x, 4)


# ---------------------------------------------------------------------------------------------
# Lead builder: full Lead JSON from a compact description.

def lead_id(n: int) -> str:
    return f"0190a000-0000-7000-8000-{n:012d}"


def lead(n: int, name: str, phone=None, email=None, document=None, created="2026-01-10T09:00:00Z",
         updated=None, source=None, **extra) -> dict:
    contact = {"name": name}
    if email is not None:
        contact["email"] = email
    if phone is not None:
        contact["phone"] = phone
    if document is not None:
        contact["document"] = document
    out = {"id": lead_id(n), "contact": contact}
    if source is not None:
        out["source"] = source
    out.update(extra)
    out["created_at"] = created
    out["updated_at"] = updated or created
    return out


def portal(name: str, external_id: str) -> dict:
    return {"type": "portal", "portal": name, "external_id": external_id}


# ---------------------------------------------------------------------------------------------
# Normalisation, worked by hand.

NORMALIZATION = [
    ("name", "Maria José da Silva", ["maria", "jose", "silva"], "accent and particle"),
    ("name", "JOÃO D'ÁVILA dos Santos", ["joao", "avila", "santos"], "d' elided, dos dropped"),
    ("name", "Ana Carolina e Souza", ["ana", "carolina", "souza"], "the particle e"),
    ("name", "Conceição das Neves", ["conceicao", "neves"], "cedilla and tilde stripped"),
    ("name", "  Silva,  Maria-José ", ["silva", "maria", "jose"], "comma and hyphen separate; order kept"),
    ("name", "Ana d\u2019Ávila", ["ana", "avila"], "typographic apostrophe"),
    ("name", "Ana D. Ávila", ["ana", "d", "avila"], "an initial D is not the particle d'"),
    ("name", "de da do das dos e", [], "only particles: no name"),
    ("name", "Dora Dessa Donato", ["dora", "dessa", "donato"], "particles only as whole words"),
    ("name", "\uff2d\uff21\uff32\uff29\uff21 \uff33\uff49\uff4c\uff56\uff41", ["maria", "silva"], "full-width letters fold"),
    ("name", "Jose\u0301 Lima", ["jose", "lima"], "decomposed accent"),
    ("name", "Luiz Inácio Lula da Silva", ["luiz", "inacio", "lula", "silva"], None),
    ("name", "Müller Øster", ["muller", "øster"], "Ø has no decomposition: it is a letter, not an accent"),
    ("name", "Maria\tdo  Carmo\u00a0Pereira", ["maria", "carmo", "pereira"], "tab and no-break space"),
    ("email", " Ana.Souza+zap@Exemplo.COM.br ", "ana.souza@exemplo.com.br", "case and +tag"),
    ("email", "MARIA@GMAIL.COM", "maria@gmail.com", None),
    ("email", "maria@", None, "invalid: absent"),
    ("email", "", None, "blank: absent"),
    ("phone", "(11) 8765-4321", "+5511987654321", "ninth digit repaired"),
    ("phone", "+55 (11) 98765-4321", "+5511987654321", None),
    ("phone", "(11) 3456-7890", "+551134567890", "a landline is not repaired"),
    ("phone", "0 21 11 8765 4321", "+5511987654321", "carrier code dropped, ninth digit repaired"),
    ("phone", "0800 123 4567", None, "service number: absent"),
    ("phone", "11 1765 4321", None, "8 digits starting 1: neither landline nor old mobile"),
    ("document", "529.982.247-25", "52998224725", None),
    ("document", "11.222.333/0001-81", "11222333000181", None),
    ("document", "12.abc.345/01de-35", "12ABC34501DE35", "alphanumeric CNPJ, upper-cased"),
    ("document", "529.982.247-24", None, "wrong check digit: absent"),
    ("document", "111.111.111-11", None, "repeated digits: absent"),
]

# ---------------------------------------------------------------------------------------------
# Weights of the default probabilities.

WEIGHTS = [(f, *DEFAULTS[f]) for f in ["name", "email", "phone", "document", "portal_id"]]

# ---------------------------------------------------------------------------------------------
# Pairs: (note, a, b, expect, config). Leads get ids 1 and 2 unless stated.

P = "(11) 98765-4321"
A_, N_, D_, S_ = agree, disagree, "different", "similar"

# the similar-phone anchor: "11 98765-4321" against "11 98765-4312" is one swap of neighbours
# in 13 digits, similarity 1 - 1/13 = 0.923077; partial weight
# dis + (agr - dis) * (0.923077 - 0.85) / 0.15 = -2.7368 + 15.7901 * 0.487179 = 4.9557;
# with the name exact: 9.8918 + 4.9557 = 14.8475
SIMILAR_PHONE = disagree("phone") + (agree("phone") - disagree("phone")) * ((1 - 1 / 13) - 0.85) / 0.15

PAIRS = [
    ("same person with and without accents and particles",
     lead(1, "José da Conceição", phone=P), lead(2, "JOSE CONCEICAO", phone="+55 11 98765 4321"),
     {"decision": "match", "rule": "score", "score": r4(A_("name") + A_("phone")),
      "evidence": {"name": "exact", "phone": "exact", "email": "missing", "document": "missing", "portal_id": "missing"}}, None),
    ("reordered names, e-mail differing in case",
     lead(1, "Silva Maria José", email="Maria.Silva@Example.com"), lead(2, "Maria José da Silva", email="maria.silva@example.com"),
     {"decision": "match", "rule": "score", "score": r4(A_("name") + A_("email")),
      "evidence": {"name": "exact", "email": "exact"}}, None),
    ("phone with and without the ninth digit",
     lead(1, "Ana Lima", phone="(21) 8765-4321"), lead(2, "Ana Lima", phone="+55 21 98765-4321"),
     {"decision": "match", "rule": "score", "score": r4(A_("name") + A_("phone")),
      "evidence": {"phone": "exact"}}, None),
    ("family members sharing a phone: different first names",
     lead(1, "Maria Souza", phone=P, email="maria.souza@example.com"), lead(2, "João Souza", phone=P, email="joao.souza@example.com"),
     {"decision": "non_match", "rule": "score", "score": r4(N_("name") + A_("phone") + N_("email")),
      "evidence": {"name": "different", "phone": "exact", "email": "different"}}, None),
    ("family members sharing a phone and an e-mail: never a match, at most a review",
     lead(1, "Maria Souza", phone=P, email="familia.souza@example.com"), lead(2, "João Souza", phone=P, email="familia.souza@example.com"),
     {"decision": "review", "rule": "names_differ", "score": r4(N_("name") + A_("phone") + A_("email")),
      "evidence": {"name": "different", "phone": "exact", "email": "exact"}}, None),
    ("a couple whose names differ in the gender ending, sharing a phone",
     lead(1, "Fernando Lima", phone=P), lead(2, "Fernanda Lima", phone=P),
     {"decision": "non_match", "rule": "score", "score": r4(N_("name") + A_("phone")),
      "evidence": {"name": "different"}}, None),
    ("mother and daughter, Maria and Mariana, sharing a phone",
     lead(1, "Maria Lima", phone=P), lead(2, "Mariana Lima", phone=P),
     {"decision": "non_match", "rule": "score", "score": r4(N_("name") + A_("phone")),
      "evidence": {"name": "different"}}, None),
    ("different people with the same common name",
     lead(1, "Maria Silva", phone=P, email="maria.silva@example.com"), lead(2, "Maria da Silva", phone="(11) 91234-5678", email="msilva@example.com"),
     {"decision": "non_match", "rule": "score", "score": r4(A_("name") + N_("phone") + N_("email")),
      "evidence": {"name": "exact", "phone": "different", "email": "different"}}, None),
    ("the same common name and nothing else to compare",
     lead(1, "Maria Silva", phone=P), lead(2, "Maria Silva", email="maria.silva@example.com"),
     {"decision": "non_match", "rule": "score", "score": r4(A_("name")),
      "evidence": {"name": "exact", "phone": "missing", "email": "missing"}}, None),
    ("the same common name and the same e-mail, two phones",
     lead(1, "Maria Silva", phone=P, email="maria.silva@example.com"), lead(2, "Maria Silva", phone="(11) 91234-5678", email="MARIA.SILVA@example.com"),
     {"decision": "match", "rule": "score", "score": r4(A_("name") + A_("email") + N_("phone"))}, None),
    ("the same CPF is a match whatever else differs",
     lead(1, "Carlos Eduardo Lima", phone=P, document="529.982.247-25"), lead(2, "Cadu", email="cadu@example.com", document="52998224725"),
     {"decision": "match", "rule": "same_document", "evidence": {"document": "exact"}}, None),
    ("two different valid CPFs: the name and phone alone only reach review",
     lead(1, "Carlos Eduardo Lima", phone=P, document="529.982.247-25"), lead(2, "Carlos Eduardo Lima", phone=P, document="123.456.789-09"),
     {"decision": "review", "rule": "score", "score": r4(A_("name") + A_("phone") + N_("document")),
      "evidence": {"document": "different"}}, None),
    ("two different valid CPFs with everything else equal: never merged automatically",
     lead(1, "João Pereira", phone=P, email="joao.pereira@example.com", document="529.982.247-25"),
     lead(2, "João Pereira", phone=P, email="joao.pereira@example.com", document="123.456.789-09"),
     {"decision": "review", "rule": "document_conflict",
      "score": r4(A_("name") + A_("phone") + A_("email") + N_("document"))}, None),
    ("a CPF is not compared with a CNPJ",
     lead(1, "Ana Lima", phone=P, document="529.982.247-25"), lead(2, "Ana Lima", phone=P, document="11.222.333/0001-81"),
     {"decision": "match", "rule": "score", "score": r4(A_("name") + A_("phone")), "evidence": {"document": "missing"}}, None),
    ("an invalid CPF is absent, not a conflict",
     lead(1, "Ana Lima", phone=P, document="529.982.247-24"), lead(2, "Ana Lima", phone=P, document="123.456.789-09"),
     {"decision": "match", "rule": "score", "evidence": {"document": "missing"}}, None),
    ("the same portal lead delivered twice: a match whatever else changed",
     lead(1, "Beatriz Rocha", phone="(31) 99888-7766", source=portal("zap", "ZAP-1001")),
     lead(2, "Bia", email="bia@example.com", source=portal("ZAP Imóveis", " ZAP-1001 ")),
     {"decision": "match", "rule": "same_portal_lead", "evidence": {"portal_id": "exact"}}, None),
    ("two enquiries through one portal (two portal ids) by the same person",
     lead(1, "Beatriz Rocha", phone="(31) 99888-7766", source=portal("zap", "ZAP-1001")),
     lead(2, "Beatriz Rocha", phone="31 99888 7766", source=portal("zap", "ZAP-2002")),
     {"decision": "match", "rule": "score", "score": r4(A_("name") + A_("phone")),
      "evidence": {"portal_id": "different"}}, None),
    ("the same id on two portals is not the same portal lead",
     lead(1, "Beatriz Rocha", phone="(31) 99888-7766", source=portal("zap", "123")),
     lead(2, "Paulo Mendes", phone="(31) 98888-1111", source=portal("olx", "123")),
     {"decision": "non_match", "rule": "score", "evidence": {"portal_id": "different"}}, None),
    ("one swap of neighbouring digits in the phone, the same name: review",
     lead(1, "Rafael Gomes Pereira", phone="11 98765-4321"), lead(2, "Rafael Gomes Pereira", phone="11 98765-4312"),
     {"decision": "review", "rule": "score", "score": r4(A_("name") + SIMILAR_PHONE),
      "evidence": {"phone": "similar", "name": "exact"}}, None),
    ("a middle name left out, the same phone",
     lead(1, "Maria Silva", phone=P), lead(2, "Maria Aparecida Silva", phone=P),
     {"decision": "match", "rule": "score", "evidence": {"name": "similar", "phone": "exact"}}, None),
    ("a typo in the first name, the same phone",
     lead(1, "Marai Silva", phone=P), lead(2, "Maria Silva", phone=P),
     {"decision": "match", "rule": "score", "evidence": {"name": "similar"}}, None),
    ("an initial for the first name, the same e-mail",
     lead(1, "J. Souza", email="jsouza@example.com"), lead(2, "João Souza", email="jsouza@example.com"),
     {"decision": "match", "rule": "score", "evidence": {"name": "similar", "email": "exact"}}, None),
    ("a name of particles only is missing; a shared phone alone is a review",
     lead(1, "de", phone=P), lead(2, "Roberto Alves", phone=P),
     {"decision": "review", "rule": "score", "score": r4(A_("phone")), "evidence": {"name": "missing"}}, None),
    ("e-mail +tag and case",
     lead(1, "Ana Paula Ramos", email="ana.paula+olx@example.com"), lead(2, "Ana Paula Ramos", email="ANA.PAULA@example.com"),
     {"decision": "match", "rule": "score", "evidence": {"email": "exact"}}, None),
    ("invalid phones are absent: only the name and the e-mails count",
     lead(1, "Ana Lima", phone="11 1234", email="ana1@example.com"), lead(2, "Ana Lima", phone="abc", email="ana2@example.com"),
     {"decision": "non_match", "rule": "score", "score": r4(A_("name") + N_("email")),
      "evidence": {"phone": "missing", "email": "different"}}, None),
    ("different people, nothing shared",
     lead(1, "Pedro Alves", phone=P, email="pedro@example.com"), lead(2, "Lucia Ferreira", phone="(21) 99876-5432", email="lucia@example.com"),
     {"decision": "non_match", "rule": "score",
      "score": r4(N_("name") + N_("phone") + N_("email"))}, None),
    ("stricter thresholds turn a match into a review",
     lead(1, "José da Conceição", phone=P), lead(2, "JOSE CONCEICAO", phone=P),
     {"decision": "review", "rule": "score", "score": r4(A_("name") + A_("phone"))},
     {"thresholds": {"match_at": 25, "review_at": 20}}),
    ("a heavier name weight makes a shared name alone a review",
     lead(1, "Maria Silva", phone=P), lead(2, "Maria Silva", email="maria.silva@example.com"),
     {"decision": "review", "rule": "score", "score": r4(log2(0.95 / 0.0001))},
     {"fields": {"name": {"m": 0.95, "u": 0.0001}}}),
]

# ---------------------------------------------------------------------------------------------
# Books: find_duplicates over a few leads. Expected pairs (a, b, decision), in output order:
# score descending.

BOOKS = [
    ("a small book: a re-delivery, an accent variant, a family sharing a phone, a stranger",
     [
         lead(1, "Beatriz Rocha", phone="(31) 99888-7766", source=portal("viva real", "VR-9")),
         lead(2, "José da Conceição", phone=P, email="jose@example.com"),
         lead(3, "Maria Souza", phone="(21) 99876-5432", email="maria@example.com"),
         lead(4, "Jose Conceicao", phone="11 8765-4321", email="JOSE@example.com"),
         lead(5, "João Souza", phone="(21) 99876-5432", email="joao@example.com"),
         lead(6, "B. Rocha", email="bia@example.com", source=portal("vivareal", "VR-9")),
         lead(7, "Lucia Ferreira", email="lucia@example.com"),
     ],
     # 1-3: name + phone + email all exact = 35.87; 0-5: portal 23.24 + name similar + nothing
     [(1, 3, "match"), (0, 5, "match")]),
    ("an empty book has no pairs", [], []),
]

# ---------------------------------------------------------------------------------------------
# Ingestion: find_existing(new, book). Expected index, by, decision; or null.

INGESTION = [
    ("a portal re-delivery finds the first delivery by its portal key",
     [lead(1, "Beatriz Rocha", phone="(31) 99888-7766"),
      lead(2, "Beatriz Rocha", phone="(31) 99888-7766", source=portal("zap", "ZAP-1001"))],
     lead(3, "Bia R.", email="bia@example.com", source=portal("zap", " ZAP-1001")),
     {"index": 1, "by": "portal_key", "decision": "match"}),
    ("two earlier deliveries of one portal lead: the oldest",
     [lead(1, "Beatriz Rocha", phone="(31) 99888-7766", source=portal("olx", "O-5"), created="2026-02-01T09:00:00Z"),
      lead(2, "Beatriz Rocha", phone="(31) 99888-7766", source=portal("olx", "O-5"), created="2026-01-01T09:00:00Z")],
     lead(3, "Beatriz Rocha", phone="(31) 99888-7766", source=portal("olx", "O-5"), created="2026-03-01T09:00:00Z"),
     {"index": 1, "by": "portal_key", "decision": "match"}),
    ("a re-delivery whose CPF changed is found but goes to review",
     [lead(1, "Carlos Lima", phone=P, document="529.982.247-25", source=portal("zap", "Z-9"))],
     lead(2, "Carlos Lima", phone=P, document="123.456.789-09", source=portal("zap", "Z-9")),
     {"index": 0, "by": "portal_key", "decision": "review"}),
    ("the same lead id submitted again",
     [lead(1, "Ana Lima", phone=P), lead(2, "Pedro Alves", phone="(21) 99876-5432")],
     lead(2, "Pedro Alves Filho", email="pedro@example.com"),
     {"index": 1, "by": "lead_id", "decision": "non_match"}),
    ("no portal key: the best comparison, here the one sharing name, phone and e-mail",
     [lead(1, "Ana Lima", phone=P),
      lead(2, "Ana Lima", phone=P, email="ana.lima@example.com"),
      lead(3, "Pedro Alves", phone=P)],
     lead(4, "ana lima", phone="11 8765-4321", email="Ana.Lima@example.com"),
     {"index": 1, "by": "comparison", "decision": "match"}),
    ("equal comparisons: the older lead",
     [lead(1, "Ana Lima", phone=P, created="2026-02-01T09:00:00Z"),
      lead(2, "Ana Lima", phone=P, created="2026-01-01T09:00:00Z")],
     lead(3, "Ana Lima", phone=P),
     {"index": 1, "by": "comparison", "decision": "match"}),
    ("a family member sharing the phone is not an existing lead",
     [lead(1, "Maria Souza", phone=P)],
     lead(2, "João Souza", phone=P),
     None),
    ("an empty book", [], lead(1, "Ana Lima", phone=P), None),
]

# ---------------------------------------------------------------------------------------------
# Merge plans: merge_plan(a, b). "a"/"b" name the case's leads.

MERGES = [
    ("the older survives; a fuller name, a missing e-mail filled in, a second phone discarded",
     lead(1, "Maria Silva", phone=P, created="2026-01-05T09:00:00Z"),
     lead(2, "Maria José da Silva", phone="(11) 91234-5678", email="maria@example.com", created="2026-02-01T09:00:00Z"),
     {"survivor": "a", "survivor_reason": "older",
      "fields": {
          "id": {"from": "a", "reason": "survivor_value"},
          "contact.name": {"from": "b", "reason": "more_complete", "value": "Maria José da Silva", "discarded": "Maria Silva"},
          "contact.email": {"from": "b", "reason": "filled_from_other", "value": "maria@example.com"},
          "contact.phone": {"from": "a", "reason": "survivor_value", "value": P, "discarded": "(11) 91234-5678"},
          "contact.document": {"from": "a", "reason": "survivor_value", "value": None},
          "created_at": {"from": "a", "reason": "survivor_value", "value": "2026-01-05T09:00:00Z"},
          "updated_at": {"from": "b", "reason": "more_recent", "value": "2026-02-01T09:00:00Z"},
      }}),
    ("created at the same instant: the more complete survives",
     lead(1, "Ana Lima", phone=P),
     lead(2, "Ana Lima", phone=P, email="ana@example.com", document="529.982.247-25"),
     {"survivor": "b", "survivor_reason": "more_complete",
      "fields": {"contact.phone": {"from": "b", "reason": "survivor_value", "value": P}}}),
    ("same instant, as complete: the smaller id; its old 8-digit mobile gives way to the same "
     "number with the ninth digit, which the merged lead needs to validate",
     lead(2, "Ana Lima", phone=P), lead(1, "Ana Lima", phone="11 8765-4321"),
     {"survivor": "b", "survivor_reason": "smaller_id",
      "fields": {"contact.phone": {"from": "a", "reason": "replaced_invalid", "value": P, "discarded": None}}}),
    ("an invalid phone is replaced by the other's valid one",
     lead(1, "Ana Lima", phone="11 8765-432", email="ana@example.com", created="2026-01-01T09:00:00Z"),
     lead(2, "Ana Lima", phone="(11) 98765-4321", created="2026-01-02T09:00:00Z"),
     {"survivor": "a", "survivor_reason": "older",
      "fields": {"contact.phone": {"from": "b", "reason": "replaced_invalid", "value": "(11) 98765-4321", "discarded": "11 8765-432"},
                 "contact.email": {"from": "a", "reason": "survivor_value", "value": "ana@example.com"}}}),
    ("consents are united; a later revocation in the other record revokes marketing; opt-in stays off",
     lead(1, "Ana Lima", email="ana@example.com", created="2026-01-01T09:00:00Z",
          consents=[{"purpose": "marketing", "granted_at": "2026-01-01T09:00:00Z", "text_version": "v1"}],
          marketing_opt_in=True),
     lead(2, "Ana Lima", email="ana@example.com", created="2026-02-01T09:00:00Z",
          consents=[{"purpose": "marketing", "granted_at": "2026-02-01T09:00:00Z", "text_version": "v2",
                     "revoked_at": "2026-03-01T09:00:00Z"},
                    {"purpose": "contact", "granted_at": "2026-02-01T09:00:00Z", "text_version": "v2"}]),
     {"survivor": "a", "survivor_reason": "older",
      "portal_keys": [],
      "fields": {"consents": {"from": "a", "reason": "union"},
                 "consents[0].revoked_at": {"from": "b", "reason": "revocation_applied", "value": "2026-03-01T09:00:00Z"},
                 "marketing_opt_in": {"from": "a", "reason": "consent_required", "value": False}},
      "merged": {"marketing_opt_in": False, "consents_count": 3}}),
    ("preferences from the record updated last; cities united without accents; the stage moves on",
     lead(1, "Ana Lima", phone=P, created="2026-01-01T09:00:00Z", interest="buy",
          wanted_cities=["São Paulo"], budget={"max": {"amount": "500000", "currency": "BRL"}}),
     lead(2, "Ana Lima", phone=P, created="2026-02-01T09:00:00Z", interest="rent",
          wanted_cities=["sao paulo", "Santos"], stage="visit_scheduled", min_bedrooms=2),
     {"survivor": "a", "survivor_reason": "older",
      "fields": {"interest": {"from": "b", "reason": "more_recent", "value": "rent", "discarded": "buy"},
                 "budget": {"from": "a", "reason": "survivor_value"},
                 "wanted_cities": {"from": "a", "reason": "union", "value": ["São Paulo", "Santos"]},
                 "min_bedrooms": {"from": "b", "reason": "filled_from_other", "value": 2},
                 "stage": {"from": "b", "reason": "further_along", "value": "visit_scheduled", "discarded": "new"},
                 "version": {"from": "a", "reason": "survivor_value", "value": 0}},
      "portal_keys": []}),
]

# ---------------------------------------------------------------------------------------------
# Configurations: ok, or every problem with its path and code (in the order listed).

CONFIGS = [
    ("the empty object is the default configuration", {}, []),
    ("a full valid configuration",
     {"fields": {"name": {"m": 0.9, "u": 0.01, "similar_at": 0.8}, "email": {"m": 0.7, "u": 0.001},
                 "phone": {"m": 0.8, "u": 0.001}, "document": {"m": 0.99, "u": 0.000001}, "portal_id": {"m": 0.99, "u": 0.000001}},
      "thresholds": {"match_at": 14, "review_at": 14}, "blocking": {"max_block": 1, "max_name_block": 1, "window": 2}}, []),
    ("probabilities of 1 and 0 are refused",
     {"fields": {"name": {"m": 1.0, "u": 0.0}}},
     [("fields.name.m", "validation.dedupe.probability"), ("fields.name.u", "validation.dedupe.probability")]),
    ("a negative probability", {"fields": {"portal_id": {"m": 0.9, "u": -0.1}}},
     [("fields.portal_id.u", "validation.dedupe.probability")]),
    ("m not above u", {"fields": {"email": {"m": 0.2, "u": 0.3}}},
     [("fields.email.m", "validation.dedupe.weight_order")]),
    ("m equal to u", {"fields": {"document": {"m": 0.5, "u": 0.5}}},
     [("fields.document.m", "validation.dedupe.weight_order")]),
    ("similar_at of 1 and below 0",
     {"fields": {"name": {"m": 0.9, "u": 0.01, "similar_at": 1.0}, "phone": {"m": 0.9, "u": 0.01, "similar_at": -0.1}}},
     [("fields.name.similar_at", "validation.dedupe.similarity"), ("fields.phone.similar_at", "validation.dedupe.similarity")]),
    ("review_at above match_at", {"thresholds": {"match_at": 10, "review_at": 12}},
     [("thresholds.review_at", "validation.dedupe.thresholds")]),
    ("block limits of zero and a window of one",
     {"blocking": {"max_block": 0, "max_name_block": 0, "window": 1}},
     [("blocking.max_block", "validation.dedupe.block_size"), ("blocking.max_name_block", "validation.dedupe.block_size"),
      ("blocking.window", "validation.dedupe.block_size")]),
    ("every section wrong at once",
     {"fields": {"phone": {"m": 0.001, "u": 0.01}}, "thresholds": {"match_at": 5, "review_at": 6}, "blocking": {"window": 0}},
     [("fields.phone.m", "validation.dedupe.weight_order"), ("thresholds.review_at", "validation.dedupe.thresholds"),
      ("blocking.window", "validation.dedupe.block_size")]),
    ("an unknown field is a shape error with its path", {"thresholds": {"match": 3}},
     [("thresholds.match", "input.json")]),
    ("a field given without u is a shape error", {"fields": {"name": {"m": 0.9}}},
     [("fields.name", "input.json")]),
    ("a probability as a string is a shape error", {"fields": {"email": {"m": "0.9", "u": 0.1}}},
     [("fields.email.m", "input.json")]),
]


def build() -> dict:
    doc: dict = {
        "format": 1,
        "description": "Duplicate detection: normalisation, Fellegi-Sunter weights, pair decisions, "
                       "find_duplicates over small books, ingestion (find_existing), merge plans and "
                       "configuration errors. Hand-labelled; see tests/vectors/README.md, section dedupe.json.",
        "score_tolerance": 0.001,
    }
    doc["normalization"] = [
        {"id": f"norm-{i:03d}", "kind": kind, "input": inp, "expect": exp, **({"note": note} if note else {})}
        for i, (kind, inp, exp, note) in enumerate(NORMALIZATION, 1)
    ]
    doc["weights"] = [
        {"id": f"weight-{i:03d}", "field": f, "m": m, "u": u,
         "expect": {"agreement": r4(log2(m / u)), "disagreement": r4(log2((1 - m) / (1 - u)))}}
        for i, (f, m, u) in enumerate(WEIGHTS, 1)
    ]
    doc["pairs"] = []
    for i, (note, a, b, expect, config) in enumerate(PAIRS, 1):
        case = {"id": f"pair-{i:03d}", "note": note, "config": config or {}, "a": a, "b": b, "expect": expect}
        doc["pairs"].append(case)
    doc["books"] = [
        {"id": f"book-{i:03d}", "note": note, "config": {}, "leads": leads,
         "expect": [{"a": a, "b": b, "decision": d} for a, b, d in pairs]}
        for i, (note, leads, pairs) in enumerate(BOOKS, 1)
    ]
    doc["ingestion"] = [
        {"id": f"ingest-{i:03d}", "note": note, "config": {}, "book": book, "new": new, "expect": expect}
        for i, (note, book, new, expect) in enumerate(INGESTION, 1)
    ]
    doc["merges"] = [
        {"id": f"merge-{i:03d}", "note": note, "a": a, "b": b, "expect": expect}
        for i, (note, a, b, expect) in enumerate(MERGES, 1)
    ]
    doc["configs"] = [
        {"id": f"config-{i:03d}", "note": note, "config": config,
         "expect": {"ok": not errors, **({"errors": [{"path": p, "code": c} for p, c in errors]} if errors else {})}}
        for i, (note, config, errors) in enumerate(CONFIGS, 1)
    ]
    return doc


def main() -> int:
    text = json.dumps(build(), indent=1, ensure_ascii=False) + "\n"
    if "--check" in sys.argv[1:]:
        current = OUT_PATH.read_text(encoding="utf-8") if OUT_PATH.exists() else ""
        if current != text:
            print(f"{OUT_PATH} is stale; run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    OUT_PATH.write_text(text, encoding="utf-8")
    counts = {k: len(v) for k, v in build().items() if isinstance(v, list)}
    print(f"wrote {OUT_PATH}: {counts}, {sum(counts.values())} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
