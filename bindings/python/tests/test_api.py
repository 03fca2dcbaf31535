"""The Pythonic surface: types, errors, batch shapes, and bad input that must raise coded
exceptions (never crash)."""

from __future__ import annotations

import datetime as dt
import pickle
import uuid
from decimal import Decimal
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
import pytest

import realestate_crm as crm
from conftest import load
from realestate_crm import dedupe, pricing, workflow

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 26, 12, tzinfo=UTC)


def a_lead(i: int = 1, **changes: Any) -> dict[str, Any]:
    lead: dict[str, Any] = {
        "id": f"0190f3a0-0000-7000-8000-{i:012x}",
        "contact": {"name": "Ana Souza", "email": f"ana{i}@example.com", "phone": "(11) 98765-4321"},
        "source": {"type": "website"},
        "created_at": "2026-11-01T12:00:00Z",
        "updated_at": "2026-11-01T12:00:00Z",
    }
    lead.update(changes)
    return lead


# --- errors -------------------------------------------------------------------------------

def test_errors_are_coded_and_in_a_hierarchy() -> None:
    with pytest.raises(crm.ValidationError) as info:
        crm.parse_cpf("529.982.247-24")
    e = info.value
    assert isinstance(e, ValueError) and isinstance(e, crm.CrmError)
    assert e.code == "validation.cpf.check_digit"
    assert e.errors[0]["code"] == e.code and e.message
    assert pickle.loads(pickle.dumps(e)).code == e.code
    with pytest.raises(crm.MoneyError) as m:
        crm.Money(Decimal("1"), "BRL") + crm.Money(Decimal("1"), "USD")
    assert m.value.code == "money.currency_mismatch"


def test_a_rust_panic_is_an_exception() -> None:
    with pytest.raises(crm.InternalError) as info:
        crm._native._test_panic()
    assert info.value.code == "internal.panic"
    assert crm.is_valid_cpf("529.982.247-25")  # and the module still works


def test_record_validation_lists_every_problem_with_paths() -> None:
    bad = a_lead(contact={"name": "", "email": "nope", "phone": "(11) 1234"})
    problems = crm.validate_record("lead", bad)
    paths = [p["path"] for p in problems]
    assert "contact.name" in paths and "contact.email" in paths
    with pytest.raises(crm.ValidationError) as info:
        crm.normalized("lead", bad)
    assert len(info.value.errors) == len(problems)
    with pytest.raises(crm.ValidationError) as shape:
        crm.validate_record("lead", {"id": 5})
    assert shape.value.code == "input.json" and shape.value.path == "id"


# --- native types -------------------------------------------------------------------------

def test_records_have_native_types_and_round_trip() -> None:
    lead = crm.Lead.from_dict(load("scoring.json")["cases"][0]["lead"])
    assert isinstance(lead.id, uuid.UUID)
    assert isinstance(lead.created_at, dt.datetime) and lead.created_at.tzinfo is not None
    assert crm.Lead.from_dict(lead.to_dict()) == lead
    assert "Lead(id=UUID(" in repr(lead)
    deal = crm.Deal.from_dict(next(c for c in load("commission.json")["cases"] if "deal" in c)["deal"])
    assert isinstance(deal.value.amount, Decimal) and isinstance(deal.proposed_on, dt.date)
    assert deal.to_dict()["value"] == deal.to_dict()["value"]
    made = crm.Activity(id=uuid.UUID(int=1), lead_id=lead.id, kind="call", at=NOW)
    assert made.to_dict()["at"].startswith("2026-11-26T12:00:00")
    with pytest.raises(AttributeError):
        made.kind = "x"


def test_statement_lines_are_decimal() -> None:
    case = next(c for c in load("commission.json")["cases"] if c["operation"] == "statement" and "pool" in c["expect"])
    engine = crm.CommissionEngine(case["plan"], case["withholding"])
    s = engine.statement(case["deal"], dt.date.fromisoformat(case["context"]["as_of"]))
    assert isinstance(s.pool.amount, Decimal)
    assert all(isinstance(line.net.amount, Decimal) for line in s.lines)
    entry = engine.ledger_entry(s)
    assert sum((p["amount"].amount for p in entry.postings), Decimal(0)) == 0
    frame = engine.statements_frame([s])
    assert isinstance(frame["net"].iloc[0], Decimal)


SALE_PLAN = {"id": "venda-6", "applies_to": "sale", "pool": {"type": "percentage", "rate": "6%"},
             "split": {"then": [{"role": "agency", "share": "50%"}, {"role": "listing_broker", "share": "20%"},
                                {"role": "selling_broker", "share": "30%"}]}}
SALE_TAXES = [
    {"tax": "ISS", "roles": ["agency"], "valid_from": "2020-01-01", "rate": "5%"},
    {"tax": "IRRF", "recipient": "individual", "roles": ["listing_broker", "selling_broker"],
     "valid_from": "2020-01-01", "brackets": [
         {"up_to": "2428.80", "rate": "0", "deduction": "0"},
         {"up_to": "4664.68", "rate": "0.225", "deduction": "675.49"},
         {"rate": "0.275", "deduction": "908.73"}]},
]


def a_sale(i: int, value: str, kind: str = "sale") -> dict[str, Any]:
    return {"id": str(uuid.UUID(int=i)), "lead_id": str(uuid.UUID(int=100 + i)),
            "property_id": str(uuid.UUID(int=200 + i)), "kind": kind, "status": "closed",
            "value": {"amount": value, "currency": "BRL"}, "proposed_on": "2026-05-04", "closed_on": "2026-05-04",
            "participants": [
                {"role": "agency", "name": "Horizonte", "document": "48.731.562/0001-31", "recipient": "company"},
                {"role": "listing_broker", "agent_id": str(uuid.UUID(int=300)), "recipient": "individual"},
                {"role": "selling_broker", "agent_id": str(uuid.UUID(int=301)), "recipient": "individual"}],
            "created_at": "2026-05-04T12:00:00Z", "updated_at": "2026-05-04T12:00:00Z"}


def test_lines_frame_of_a_book_has_exact_decimal_lines_worked_by_hand() -> None:
    # R$ 500.000,00 at 6% = 30.000,00: agency 15.000,00 (ISS 5% = 750,00 → 14.250,00); listing
    # 6.000,00 (IRRF 27,5% − 908,73 = 741,27 → 5.258,73); selling 9.000,00 (2.475,00 − 908,73 =
    # 1.566,27 → 7.433,73). The second deal is a lease under a sale plan: it fails alone.
    engine = crm.CommissionEngine(SALE_PLAN, SALE_TAXES)
    book = [a_sale(1, "500000.00"), a_sale(2, "1000.00", kind="lease"), a_sale(3, "200000.00")]
    with pytest.raises(crm.ValidationError) as e:
        engine.lines_frame(book, dt.date(2026, 5, 4))
    assert e.value.code == "validation.commission.deal_kind"
    frame = engine.lines_frame(book, dt.date(2026, 5, 4), errors="return")
    assert list(frame.columns) == ["deal", "deal_id", "line", "role", "agent_id", "recipient", "currency",
                                   "gross", "withheld", "net", "error"]
    first = frame[frame["deal"] == 0]
    assert first["role"].tolist() == ["agency", "listing_broker", "selling_broker"]
    assert first["gross"].astype(object).tolist() == [Decimal("15000.00"), Decimal("6000.00"), Decimal("9000.00")]
    assert first["withheld"].astype(object).tolist() == [Decimal("750.00"), Decimal("741.27"), Decimal("1566.27")]
    assert first["net"].astype(object).tolist() == [Decimal("14250.00"), Decimal("5258.73"), Decimal("7433.73")]
    assert str(frame["net"].dtype).startswith("decimal128")  # exact, never float
    failed = frame[frame["deal"] == 1]
    assert len(failed) == 1 and failed["error"].iloc[0] == "validation.commission.deal_kind"
    assert failed["deal_id"].iloc[0] == str(uuid.UUID(int=2)) and pd.isna(failed["net"].iloc[0])
    # The same book as Arrow data gives the same lines; as records, the statements agree.
    table, failures = engine.statement_lines(pa.Table.from_pylist(book), dt.date(2026, 5, 4))
    assert [i for i, _ in failures] == [1] and isinstance(failures[0][1], crm.ValidationError)
    assert pa.table(table).column("net").to_pylist() == frame["net"].astype(object).where(
        frame["net"].notna(), None).tolist()
    third = engine.statement(book[2], dt.date(2026, 5, 4))
    assert frame[frame["deal"] == 2]["net"].astype(object).tolist() == [l.net.amount for l in third.lines]
    assert pl.DataFrame(table)["gross"].dtype == pl.Decimal(38, 2)


def test_a_book_larger_than_one_part_keeps_its_order_and_failures() -> None:
    # 25,000 deals: above the parallel threshold, so the book is computed in several parts (one
    # record batch each); two leases under the sale plan fail, one in each part.
    import pyarrow.compute as pc  # type: ignore[import-untyped,unused-ignore]

    engine = crm.CommissionEngine(SALE_PLAN, SALE_TAXES)
    on = dt.date(2026, 5, 4)
    n = 25_000
    book = [a_sale(i + 1, f"{200_000 + i}.00", kind="lease" if i in (3, 21_000) else "sale") for i in range(n)]
    singles = {i: engine.statement(book[i], on) for i in (0, 12_499, 12_500, 24_999)}
    for source in (book, pa.Table.from_pylist(book)):
        table, failures = engine.statement_lines(source, on)
        t = pa.table(table)
        assert [i for i, _ in failures] == [3, 21_000]
        assert t.num_rows == 3 * (n - 2) + 2
        deals = t.column("deal").to_pylist()
        assert deals == sorted(deals) and deals[-1] == n - 1
        assert t.schema.field("net").type == pa.decimal128(38, 2)
        for i, s in singles.items():
            rows = t.filter(pc.equal(t["deal"], i))
            assert rows.column("net").to_pylist() == [line.net.amount for line in s.lines]
            assert rows.column("deal_id").to_pylist() == [str(uuid.UUID(int=i + 1))] * 3
        failed = t.filter(pc.equal(t["deal"], 21_000))
        assert failed.column("error").to_pylist() == ["validation.commission.deal_kind"]
    frame = engine.lines_frame(book, on, errors="return")
    assert len(frame) == 3 * (n - 2) + 2 and str(frame["net"].dtype).startswith("decimal128")


def test_arrow_books_of_every_shape_give_the_same_lines_and_failures() -> None:
    # The same book as records, as a pyarrow table (list<struct<string>>), with large lists
    # and large strings, with string views and a dictionary-encoded role, and as polars: the
    # same lines. Deal 2 has a broker whose agent id is not a UUID: it fails alone, with the
    # path of the bad field, and the other deals keep their lines.
    engine = crm.CommissionEngine(SALE_PLAN, SALE_TAXES)
    on = dt.date(2026, 5, 4)
    book = [a_sale(i + 1, f"{300_000 + i}.00") for i in range(4)]
    book[2]["participants"][1]["agent_id"] = "not-an-id"
    want, want_failures = engine.statement_lines(book, on)
    rows = pa.table(want).to_pylist()
    assert [i for i, _ in want_failures] == [2]
    assert want_failures[0][1].errors[0]["path"] == "[2].participants[1].agent_id"
    assert len(rows) == 3 * 3 + 1 and [r["error"] for r in rows if r["deal"] == 2] == [
        want_failures[0][1].code]

    plain = pa.Table.from_pylist(book)
    participant = plain.schema.field("participants").type.value_type

    def recast(text: pa.DataType, role: pa.DataType, large: bool) -> pa.Table:
        fields = [pa.field(f.name, role if f.name == "role" else text) for f in participant]
        items = pa.struct(fields)
        schema = pa.schema([
            pa.field(f.name, pa.large_list(items) if large else pa.list_(items)) if f.name == "participants"
            else f for f in plain.schema])
        return plain.cast(schema)

    shapes = {
        "pyarrow": plain,
        "large lists and strings": recast(pa.large_string(), pa.large_string(), True),
        "string views, dictionary role": recast(pa.string_view(), pa.dictionary(pa.int8(), pa.string()), False),
        "polars": pl.from_arrow(plain),
    }
    for name, source in shapes.items():
        table, failures = engine.statement_lines(source, on)
        assert pa.table(table).to_pylist() == rows, name
        assert [(i, e.code, e.errors[0]["path"]) for i, e in failures] == [
            (2, want_failures[0][1].code, "[2].participants[1].agent_id")], name


def test_a_deal_reads_the_same_from_native_objects_as_from_its_json_form() -> None:
    # Records are read straight from dicts, lists, str and int, and every other object through
    # its JSON form: UUID, Decimal, date, aware datetime, enums, tuples, dict subclasses and
    # record objects give the same statement as the all-text dict.
    import collections
    import enum

    class Kind(enum.Enum):
        SALE = "sale"

    engine = crm.CommissionEngine(SALE_PLAN, SALE_TAXES)
    on = dt.date(2026, 5, 4)
    text = a_sale(7, "500000.00")
    want = engine.statement(text, on)
    at = dt.datetime(2026, 5, 4, 12, tzinfo=dt.timezone.utc)
    native = collections.OrderedDict(
        id=uuid.UUID(int=7), lead_id=uuid.UUID(int=107), property_id=str(uuid.UUID(int=207)), kind=Kind.SALE,
        status="closed", value=crm.Money(Decimal("500000.00")), proposed_on=on, closed_on=on,
        participants=tuple([crm.records.Participant.from_dict(text["participants"][0]),
                            {**text["participants"][1], "agent_id": uuid.UUID(int=300)},
                            text["participants"][2]]),
        created_at=at, updated_at="2026-05-04T12:00:00Z")
    assert engine.statement(native, on) == want
    assert engine.statement(crm.Deal.from_dict(text), on) == want
    assert engine.statements([text, native], on) == [want, want]
    # A generator is read once: a bad participant in one is reported, not lost.
    broken = {**text["participants"][2], "agent_id": "not-an-id"}
    with pytest.raises(crm.ValidationError) as g:
        engine.statement({**text, "participants": (p for p in [*text["participants"][:2], broken])}, on)
    assert g.value.errors[0]["path"] == "deal.participants[2].agent_id"
    # Bad input still fails with the JSON form's error: code and path.
    bad = {**text, "value": {"amount": 500000.0, "currency": "BRL"}}
    with pytest.raises(crm.ValidationError) as e:
        engine.statement(bad, on)
    assert e.value.code == "validation.money.format" and e.value.errors[0]["path"] == "deal.value.amount"


def test_containers_that_hold_themselves_are_errors_not_crashes() -> None:
    engine = crm.CommissionEngine(SALE_PLAN, SALE_TAXES)
    loop: list[Any] = []
    loop.append(loop)
    deep: list[Any] = []
    cur = deep
    for _ in range(10_000):
        nxt: list[Any] = []
        cur.append(nxt)
        cur = nxt
    bads: list[Any] = [loop, {**a_sale(1, "1.00"), "participants": loop}, {**a_sale(1, "1.00"), "id": deep}]
    for bad in bads:
        with pytest.raises(crm.ValidationError) as e:
            engine.statement(bad, dt.date(2026, 5, 4))
        assert e.value.code == "input.json" and "128 levels" in str(e.value)


def test_money_columns_share_one_scale_across_parts() -> None:
    # The first part's deals are in reais (cents: scale 2), the second part's in Bahraini
    # dinars (three decimals): every batch's money columns are decimal128(38, 3), the reais
    # rebuilt at the larger scale with their values unchanged. 6% of 1,000 = 60: 30 / 12 / 18.
    engine = crm.CommissionEngine(SALE_PLAN)
    n = 25_000
    book = [a_sale(i + 1, "1000.00") for i in range(n)]
    for d in book[20_000:]:
        d["value"] = {"amount": "1000.000", "currency": "BHD"}
    table, failures = engine.statement_lines(pa.Table.from_pylist(book), dt.date(2026, 5, 4))
    t = pa.table(table)
    assert not failures
    assert t.schema.field("gross").type == pa.decimal128(38, 3)
    gross = t.column("gross").to_pylist()
    assert [str(g) for g in gross[:3]] == ["30.000", "12.000", "18.000"]
    assert [str(g) for g in gross[-3:]] == ["30.000", "12.000", "18.000"]
    assert t.column("currency").to_pylist()[0] == "BRL" and t.column("currency").to_pylist()[-1] == "BHD"


def test_money_never_takes_a_float() -> None:
    for bad in (0.1, float("nan"), Decimal("NaN"), Decimal("Infinity"), True, None, [1]):
        with pytest.raises(crm.ValidationError) as info:
            crm.Money(bad)
        assert info.value.code == "validation.money.format"
    with pytest.raises(crm.ValidationError) as info2:
        crm.round_decimal(2.345, 2)  # type: ignore[arg-type]
    assert info2.value.code == "validation.money.format"
    assert crm.Money(Decimal("1E+3")).amount == Decimal(1000)
    with pytest.raises(crm.ValidationError) as info3:
        pricing.simulate({"system": "price", "principal": 100000.0, "rate": {"monthly": "0.01"},
                          "term_months": 12, "first_due": "2026-02-10"})
    assert info3.value.code == "validation.money.format" and info3.value.path == "principal"
    # A float inside a record, where the core keeps an exact decimal: the same code, at its path.
    with pytest.raises(crm.ValidationError) as info4:
        crm.validate_record("lead", a_lead(budget={"max": {"amount": 1.5, "currency": "BRL"}}))
    assert (info4.value.code, info4.value.path) == ("validation.money.format", "budget.max.amount")


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(crm.ValidationError) as info:
        crm.Scorer().score(a_lead(), dt.datetime(2026, 11, 26, 12))
    assert info.value.code == "input.naive_datetime"
    with pytest.raises(crm.ValidationError):
        crm.Activity(id=uuid.UUID(int=1), lead_id=uuid.UUID(int=2), kind="call",
                     at=dt.datetime(2026, 1, 1))


@pytest.mark.parametrize("value", [None, 5, 1.5, b"529", ["x"], object()])
def test_wrong_types_raise_not_crash(value: Any) -> None:
    with pytest.raises(crm.ValidationError) as info:
        crm.parse_cpf(value)
    assert info.value.code == "input.json"
    with pytest.raises(crm.ValidationError):
        crm.parse_phone(value)


def test_huge_and_broken_strings() -> None:
    huge = "1" * 10_000_000
    with pytest.raises(crm.ValidationError) as info:
        crm.parse_cpf(huge)
    assert info.value.code == "validation.cpf.length"
    assert len(str(info.value)) < 1000
    assert crm.check_many("email", [huge])[1] == ["validation.email.format"]
    with pytest.raises(crm.ValidationError) as bad:
        crm.parse_cpf("\ud800")
    assert bad.value.code == "input.json"
    assert crm.check_many("cpf", ["\ud800"])[1] == ["input.json"]
    with pytest.raises(crm.ValidationError):
        crm.validate_record("lead", a_lead(contact={"name": "\udfff"}))
    assert crm.is_valid("cpf", "\ud800") is False


def test_nan_and_none_in_batches() -> None:
    valid, codes = crm.check_many("cpf", ["529.982.247-25", None, float("nan"), 52998224725])
    assert valid.tolist() == [True, False, False, False]
    assert codes == [None, "validation.cpf.empty", "validation.cpf.empty", "input.json"]


# --- batches ------------------------------------------------------------------------------

def test_batch_validation_takes_lists_arrays_and_series() -> None:
    values = ["529.982.247-25", "111.111.111-11", "abc"]
    expected = [True, False, False]
    for column in (values, np.array(values), np.array(values, dtype=object), pd.Series(values),
                   pl.Series(values), pa.array(values), tuple(values)):
        valid, codes = crm.check_many("cpf", column)
        assert isinstance(valid, np.ndarray) and valid.dtype == np.bool_
        assert valid.tolist() == expected
        assert codes == [None, "validation.cpf.repeated", "validation.cpf.character"]
    canon, codes = crm.canonical_many("phone", pd.Series(["(11) 98765-4321", "x"]))
    assert canon == ["+5511987654321", None] and codes[1] == "validation.phone.character"


def test_scoring_a_dataframe() -> None:
    leads = [a_lead(i) for i in range(1, 6)]
    df = pd.DataFrame({
        "id": [l["id"] for l in leads],
        "contact.name": ["Ana Souza"] * 5,
        "contact.email": [f"a{i}@example.com" for i in range(5)],
        "contact.phone": ["(11) 98765-4321", None, "(11) 98765-4321", None, "x"],
        "source.type": ["website"] * 5,
        "created_at": [NOW] * 5,
        "updated_at": [NOW] * 5,
    })
    scorer = crm.Scorer()
    out = scorer.score_frame(df, NOW)
    assert list(out.columns) == ["lead_id", "fit", "engagement", "score", "band", "reasons"]
    assert len(out) == 5
    single = scorer.score(crm.Lead.from_dict({**leads[1], "contact": {"name": "Ana Souza", "email": "a1@example.com"},
                                                "created_at": NOW, "updated_at": NOW}), NOW)
    assert out["score"][1] == single.score
    pl_out = scorer.score_frame(pl.from_pandas(df.astype({"created_at": "object", "updated_at": "object"})), NOW)
    assert isinstance(pl_out, pl.DataFrame) and pl_out["score"].to_list() == out["score"].tolist()
    table = pa.table({"id": df["id"].tolist(), "contact.name": df["contact.name"].tolist(),
                      "contact.email": df["contact.email"].tolist(), "source.type": df["source.type"].tolist(),
                      "created_at": ["2026-11-26T12:00:00Z"] * 5, "updated_at": ["2026-11-26T12:00:00Z"] * 5})
    assert len(scorer.score_table(table, NOW)["score"]) == 5


def test_scoring_arrow_data_reads_the_buffers_and_gives_the_row_path_results() -> None:
    """score_frame / score_arrow read pandas, polars and pyarrow tables through
    ``__arrow_c_stream__`` and agree, value for value, with the row path (score_table)."""
    n = 30_000  # above the size where rows are read on several threads
    df = pd.DataFrame({
        "id": [f"0190f3a0-0000-7000-8000-{i:012x}" for i in range(n)],
        "contact.name": ["Ana Souza"] * n,
        "contact.email": [f"a{i}@example.com" if i % 3 else None for i in range(n)],
        "contact.phone": ["(11) 98765-4321" if i % 2 else None for i in range(n)],
        "source.type": pd.Categorical(["website", "referral", "walk_in"] * (n // 3)),
        "budget.max": [f"{500_000 + i}.00" if i % 4 == 0 else None for i in range(n)],
        "min_bedrooms": pd.array([2 if i % 5 else None for i in range(n)], dtype="Int64"),
        "wanted_cities": [["São Paulo"] if i % 7 == 0 else None for i in range(n)],
        "timeline": ["immediate", "unknown", "within_3_months", "over_12_months", "within_6_months"] * (n // 5),
        "created_at": pd.to_datetime(["2026-11-01T12:00:00Z"] * n, utc=True),
        "updated_at": ["2026-11-01T12:00:00.123456-03:00"] * n,
    })
    acts = pd.DataFrame({
        "id": [f"0190f3a1-0000-7000-8000-{i:012x}" for i in range(0, n, 10)],
        "lead_id": [f"0190f3a0-0000-7000-8000-{i:012x}" for i in range(0, n, 10)],
        "kind": ["message"] * (n // 10),
        "at": ["2026-11-25T10:00:00Z"] * (n // 10),
    })
    scorer = crm.Scorer()
    rows = scorer.score_table(df, NOW, acts)
    out = scorer.score_frame(df, NOW, acts)
    assert isinstance(out, pd.DataFrame) and len(out) == n
    assert out["lead_id"].tolist() == rows["lead_id"]
    assert out["score"].tolist() == rows["score"] and out["fit"].tolist() == rows["fit"]
    assert out["engagement"].tolist() == rows["engagement"]
    assert out["band"].astype(str).tolist() == rows["band"]
    assert out["reasons"].astype(str).tolist() == rows["reasons"]
    assert isinstance(out["band"].dtype, pd.CategoricalDtype)
    # One lead worked by hand through the single-lead API gives the same row.
    lead = crm.Lead.from_dict({"id": df["id"][10], "contact": {"name": "Ana Souza", "email": "a10@example.com"},
                               "source": {"type": "referral"}, "min_bedrooms": 2, "timeline": "immediate",
                               "created_at": "2026-11-01T12:00:00Z", "updated_at": "2026-11-01T15:00:00.123456Z"})
    one = scorer.score(lead, NOW, [{"id": acts["id"][1], "lead_id": df["id"][10], "kind": "message",
                                    "at": "2026-11-25T10:00:00Z"}])
    assert out["score"][10] == one.score and out["band"][10] == one.band
    # polars in → polars out; pyarrow in → pyarrow out; the raw ArrowTable for any consumer.
    pl_out = scorer.score_frame(pl.from_pandas(df), NOW, acts)
    assert isinstance(pl_out, pl.DataFrame) and pl_out["score"].to_list() == rows["score"]
    pa_out = scorer.score_frame(pa.table(df), NOW, pa.table(acts))
    assert isinstance(pa_out, pa.Table) and pa_out.column("score").to_pylist() == rows["score"]
    raw = scorer.score_arrow(df, NOW, acts.to_dict("records"), top=1)
    assert len(raw) == n and raw.column_names == ["lead_id", "fit", "engagement", "score", "band", "reasons"]
    assert pa.table(raw).column("reasons").to_pylist() == [r.split(",")[0] for r in rows["reasons"]]
    assert "30000 rows" in repr(raw)


def test_arrow_tables_with_bad_cells_raise_with_the_row_and_field() -> None:
    base = {"id": ["0190f3a0-0000-7000-8000-000000000001", "0190f3a0-0000-7000-8000-000000000002"],
            "contact.name": ["Ana", "Bia"], "created_at": ["2026-11-01T12:00:00Z"] * 2,
            "updated_at": ["2026-11-01T12:00:00Z"] * 2}
    scorer = crm.Scorer()
    with pytest.raises(crm.ValidationError) as e:
        scorer.score_arrow(pa.table({**base, "id": [base["id"][0], "not-a-uuid"]}), NOW)
    assert e.value.code == "input.json" and e.value.path == "leads[1].id"
    with pytest.raises(crm.ValidationError) as e:
        scorer.score_arrow(pa.table({**base, "timeline": ["immediate", "someday"]}), NOW)
    assert e.value.path == "leads[1].timeline"
    with pytest.raises(crm.ValidationError) as e:  # a naive timestamp column, like a naive datetime
        scorer.score_arrow(pa.table({**base, "created_at": pa.array([0, 0], pa.timestamp("us"))}), NOW)
    assert e.value.path == "leads[0].created_at" and "time zone" in e.value.message
    with pytest.raises(crm.ValidationError) as e:  # money as a float column is refused, as everywhere
        scorer.score_arrow(pa.table({**base, "budget.max": [500000.0, None]}), NOW)
    assert e.value.path is not None and e.value.path.startswith("leads[0].budget")
    with pytest.raises(crm.ValidationError) as e:
        scorer.score_arrow(pa.table({**base, "contact.name": pa.array([b"x", b"y"], pa.binary())}), NOW)
    assert "Arrow type" in e.value.message
    ok = scorer.score_arrow(pa.table({**base, "budget.max": pa.array([Decimal("500000.00"), None],
                                                                      pa.decimal128(12, 2))}), NOW)
    assert len(ok) == 2
    with pytest.raises(crm.ValidationError) as e:  # no id column: nothing to key the scores by
        scorer.score_arrow(pa.table({k: v for k, v in base.items() if k != "id"}), NOW)
    assert e.value.code == "input.json"


def test_duplicates_in_a_frame() -> None:
    a = a_lead(1)
    b = a_lead(2, contact={"name": "Ana Souza", "email": "ana1@example.com", "phone": "(11) 98765-4321"})
    frame = dedupe.duplicates_frame([a, b, a_lead(3, contact={"name": "Bruno Lima", "email": "b@x.com"})])
    assert list(frame[["a", "b"]].iloc[0]) == [0, 1]
    assert frame["decision"].iloc[0] == "match"


def test_workflow_surface() -> None:
    cal = workflow.BusinessCalendar()
    t = cal.add_business_minutes(dt.datetime(2026, 11, 27, 17, 50, tzinfo=dt.timezone(dt.timedelta(hours=-3))), 30)
    assert t.tzinfo is not None and t > NOW
    p = workflow.Pipeline("sales")
    with pytest.raises(crm.CrmError) as info:
        p.transition(a_lead(), "won", now=NOW)
    assert info.value.code.startswith(("workflow.", "validation."))
    assert workflow.easter_sunday(2026) == dt.date(2026, 4, 5)


def test_the_gil_is_released_in_batches() -> None:
    import threading

    values = ["529.982.247-25"] * 200_000
    results: list[Any] = []
    threads = [threading.Thread(target=lambda: results.append(crm.check_many("cpf", values)[0].all()))
               for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert results == [True, True]


def test_other_python_threads_run_while_a_batch_computes() -> None:
    """With a 10-second switch interval, a native call that kept the GIL would stop every other
    Python thread until it returned; here the main thread keeps running during each call."""
    import sys
    import threading
    import time

    n = 200_000
    frame = pa.table({"id": [f"0190f3a0-0000-7000-8000-{i:012x}" for i in range(n)],
                      "contact.name": ["Ana Souza"] * n, "contact.email": ["ana@example.com"] * n,
                      "created_at": ["2026-11-01T12:00:00Z"] * n, "updated_at": ["2026-11-01T12:00:00Z"] * n})
    scorer = crm.Scorer()
    cpfs = ["529.982.247-25"] * 1_000_000
    calls: list[Callable[[], object]] = [lambda: scorer.score_arrow(frame, NOW),
                                         lambda: crm.check_many("cpf", cpfs)]
    old = sys.getswitchinterval()
    sys.setswitchinterval(10.0)
    try:
        for call in calls:
            spans: list[tuple[float, float]] = []
            started = threading.Event()

            def work() -> None:
                started.set()
                t0 = time.perf_counter()
                call()
                spans.append((t0, time.perf_counter()))

            worker = threading.Thread(target=work)
            worker.start()
            started.wait()
            ticks = []
            while worker.is_alive():
                ticks.append(time.perf_counter())
                time.sleep(0.0002)  # lets the worker take the GIL back when it needs it
            worker.join()
            (t0, t1), = spans
            assert any(t0 < t < t1 for t in ticks), "the main thread did not run during the call"
    finally:
        sys.setswitchinterval(old)


def test_results_are_lazy_views_that_behave_like_json() -> None:
    s = pricing.simulate({"system": "price", "principal": Decimal("1200.00"),
                          "rate": {"monthly": Decimal("0.01")}, "term_months": 3,
                          "first_due": dt.date(2026, 2, 10)})
    view = s._data
    assert type(view).__name__ == "JsonView"
    assert len(view["lines"]) == 3 and view["lines"][-1]["number"] == 3
    assert view["lines"][0]["payment"] == {"amount": "408.03", "currency": "BRL"}
    assert not (view["lines"][0]["payment"] != {"amount": "408.03", "currency": "BRL"})
    assert "cet_annual" in view and "nope" not in view and view.get("nope", 1) == 1
    assert [line.number for line in s.lines] == [1, 2, 3]
    assert s.to_dict() == pricing.run("financing", {"system": "price", "principal": "1200.00",
                                                   "rate": {"monthly": "0.01"}, "term_months": 3,
                                                   "first_due": "2026-02-10"})
    with pytest.raises(KeyError):
        view["nope"]
    with pytest.raises(IndexError):
        view["lines"][7]
