"""Records and results as Python classes over the core's JSON form.

Fields read as Python types: money as :class:`Money` (``Decimal`` amount), rates and other
exact numbers as ``Decimal``, calendar dates as ``datetime.date``, instants as timezone-aware
``datetime.datetime`` (UTC), ids as ``uuid.UUID``. ``to_dict()`` gives the JSON form that the
Rust, Node and mobile hosts read and write.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import _native
from ._records import Record, date, dec, dict_of, instant, list_of, uid

__all__ = [
    "Activity", "AdministrationStatement", "Address", "Agent", "BudgetRange", "ClosingCosts",
    "Consent", "Contact", "Deal", "LedgerEntry", "Lead", "LeadScore", "Money", "Participant",
    "Property", "RatioStudy", "RentAdjustment", "Reversal", "ReversalLine", "Schedule",
    "ScheduleLine", "SlaStatus", "StatementLine", "Statement", "Transition", "Visit",
    "Withholding",
]


class Money(Record):
    """An exact amount in a currency: ``Money(amount=Decimal("1234.56"), currency="BRL")``.

    A ``float`` amount is refused (``validation.money.format``). ``+`` and ``-`` check the
    currencies (``money.currency_mismatch``).
    """

    __slots__ = ()
    _fields = ("amount", "currency")
    _types = {"amount": dec}
    amount: Decimal
    currency: str

    def __init__(self, amount: Any, currency: str = "BRL") -> None:
        value = _native.to_decimal(amount)
        code = _native.currency_info(currency)[0]
        object.__setattr__(self, "_data", {"amount": format(value, "f"), "currency": code})

    def _op(self, other: object, op: str) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        amount, cur = _native.money_op(op, self.amount, self.currency, other.amount, other.currency)
        return Money(amount, cur)

    def __add__(self, other: object) -> Money:
        return self._op(other, "add")

    def __sub__(self, other: object) -> Money:
        return self._op(other, "sub")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.currency == other.currency and self.amount == other.amount

    def __hash__(self) -> int:  # type: ignore[override]
        return hash((self.amount, self.currency))

    def __repr__(self) -> str:
        return f"Money({self.amount!r}, {self.currency!r})"

    def __str__(self) -> str:
        return f"{self.currency} {self.amount}"


def money(v: Any) -> Money:
    if isinstance(v, str):
        return Money._wrap({"amount": v, "currency": "BRL"})
    return Money._wrap(v)


def _rec(cls: type[Record]) -> Any:
    return cls._wrap


# --- domain records ---------------------------------------------------------------------


class Contact(Record):
    """A person's contact data as given (``validate`` and ``normalized`` check and clean it)."""

    __slots__ = ()
    _fields = ("name", "email", "phone", "document")


class Consent(Record):
    """An LGPD consent: purpose, when granted and (maybe) revoked."""

    __slots__ = ()
    _fields = ("purpose", "granted_at", "revoked_at", "text_version", "channel")
    _types = {"granted_at": instant, "revoked_at": instant}


class BudgetRange(Record):
    """A lead's budget: ``min`` and ``max`` money, each optional."""

    __slots__ = ()
    _fields = ("min", "max")
    _types = {"min": money, "max": money}


class Lead(Record):
    """A lead (a person who may buy or rent)."""

    __slots__ = ()
    _fields = ("id", "contact", "source", "interest", "budget", "wanted_cities",
               "wanted_neighbourhoods", "property_types", "min_bedrooms", "timeline", "consents",
               "marketing_opt_in", "stage", "assigned_agent", "created_at", "updated_at", "version")
    _types = {"id": uid, "contact": _rec(Contact), "budget": _rec(BudgetRange),
              "consents": list_of(_rec(Consent)), "assigned_agent": uid,
              "created_at": instant, "updated_at": instant}


class Address(Record):
    """A Brazilian address."""

    __slots__ = ()
    _fields = ("cep", "street", "number", "complement", "neighbourhood", "city", "uf")


class Property(Record):
    """A listing."""

    __slots__ = ()
    _fields = ("id", "reference", "listing", "property_type", "status", "sale_price", "rent",
               "condo_fee", "iptu_yearly", "private_area_m2", "total_area_m2", "bedrooms",
               "suites", "bathrooms", "parking_spaces", "address", "location", "listing_broker",
               "features", "created_at", "updated_at", "version")
    _types = {"id": uid, "sale_price": money, "rent": money, "condo_fee": money,
              "iptu_yearly": money, "private_area_m2": dec, "total_area_m2": dec,
              "address": _rec(Address), "listing_broker": uid, "created_at": instant,
              "updated_at": instant}


class Participant(Record):
    """Someone paid on a deal: a role, an agent or a named recipient."""

    __slots__ = ()
    _fields = ("role", "agent_id", "name", "document", "recipient")
    _types = {"agent_id": uid}


class Deal(Record):
    """A sale or a lease, with its participants."""

    __slots__ = ()
    _fields = ("id", "lead_id", "property_id", "kind", "status", "value", "lease_months",
               "proposed_on", "accepted_on", "closed_on", "cancelled_on", "participants",
               "created_at", "updated_at", "version")
    _types = {"id": uid, "lead_id": uid, "property_id": uid, "value": money,
              "proposed_on": date, "accepted_on": date, "closed_on": date,
              "cancelled_on": date, "participants": list_of(_rec(Participant)),
              "created_at": instant, "updated_at": instant}


class Activity(Record):
    """Something a lead did or that was done with it (a view, a call, a visit)."""

    __slots__ = ()
    _fields = ("id", "lead_id", "kind", "at", "property_id", "agent_id", "note")
    _types = {"id": uid, "lead_id": uid, "at": instant, "property_id": uid, "agent_id": uid}


class Agent(Record):
    """A broker (corretor) of the agency."""

    __slots__ = ()
    _fields = ("id", "name", "creci", "email", "phone", "team", "store", "active",
               "created_at", "updated_at", "version")
    _types = {"id": uid, "created_at": instant, "updated_at": instant}


class Visit(Record):
    """A scheduled or done visit to a listing."""

    __slots__ = ()
    _fields = ("id", "lead_id", "property_id", "agent_id", "starts_at", "ends_at", "status",
               "note", "version")
    _types = {"id": uid, "lead_id": uid, "property_id": uid, "agent_id": uid,
              "starts_at": instant, "ends_at": instant}


# --- results ----------------------------------------------------------------------------


class Withholding(Record):
    """A tax withheld from a line."""

    __slots__ = ()
    _types = {"rate": dec, "base": money, "amount": money}


class StatementLine(Record):
    """One participant's line: gross, withholdings, net and the explanation trail."""

    __slots__ = ()
    _types = {"agent_id": uid, "gross": money, "net": money,
              "withholdings": list_of(_rec(Withholding)), "trail": list_of()}


class Statement(Record):
    """A commission statement: the pool, one line per participant, totals."""

    __slots__ = ()
    _types = {"deal_id": uid, "date": date, "base": money, "pool": money,
              "lines": list_of(_rec(StatementLine)), "total_withheld": money,
              "total_net": money, "pool_trail": list_of()}


class AdministrationStatement(Record):
    """A lease's administration month."""

    __slots__ = ()
    _types = {"deal_id": uid, "period_start": date, "period_end": date,
              "monthly_rent": money, "rent_due": money, "rent_received": money, "rate": dec,
              "fee": money, "lines": list_of(_rec(StatementLine)), "total_withheld": money,
              "landlord_net": money}


class ReversalLine(Record):
    """What one participant gives back (negative amounts)."""

    __slots__ = ()
    _types = {"agent_id": uid, "gross": money, "net": money,
              "withholdings": list_of(_rec(Withholding))}


class Reversal(Record):
    """A clawback after a cancellation."""

    __slots__ = ()
    _types = {"deal_id": uid, "closed_on": date, "cancelled_on": date, "fraction": dec,
              "lines": list_of(_rec(ReversalLine)), "total_gross": money}


class LedgerEntry(Record):
    """Balanced postings for the ledger."""

    __slots__ = ()
    _types = {"deal_id": uid, "date": date,
              "postings": list_of(lambda p: {**p, "amount": money(p["amount"])})}


class ScheduleLine(Record):
    """One month of a financing schedule."""

    __slots__ = ()
    _types = {"due": date, **{k: money for k in (
        "correction", "interest", "amortization", "instalment", "mip", "dfi", "admin_fee",
        "payment", "balance")}}


class Schedule(Record):
    """A financing schedule (SAC or PRICE) with totals and the CET."""

    __slots__ = ()
    _types = {"monthly_rate": dec, "cet_monthly": dec, "cet_annual": dec,
              "lines": list_of(_rec(ScheduleLine)), **{k: money for k in (
                  "total_interest", "total_amortization", "total_correction",
                  "total_insurance", "total_fees", "total_paid", "first_payment",
                  "last_payment")}}

    def to_pandas(self) -> Any:
        """The lines as a pandas DataFrame (money columns as ``Decimal``); needs pandas."""
        import pandas as pd

        rows = []
        for line in self.to_dict()["lines"]:
            row: dict[str, Any] = {}
            for k, v in line.items():
                if k == "due":
                    row[k] = date(v)
                elif isinstance(v, dict) and "amount" in v:
                    row[k] = dec(v["amount"])
                else:
                    row[k] = v
            rows.append(row)
        return pd.DataFrame(rows)


class RentAdjustment(Record):
    """A rent adjusted by an index over its window."""

    __slots__ = ()
    _types = {"anniversary": date, "factor": dec, "variation": dec, "applied_factor": dec,
              "previous_rent": money, "new_rent": money}

    def to_pandas(self) -> Any:
        """The months used, as a pandas DataFrame (``Decimal`` values); needs pandas."""
        import pandas as pd

        return pd.DataFrame([{k: dec(v) if k == "value" else v for k, v in m.items()}
                             for m in self.to_dict().get("months", [])])


class ClosingCosts(Record):
    """ITBI, registry and notary fees and the cash needed."""

    __slots__ = ()
    _types = {k: money for k in ("itbi_base", "itbi", "registry", "notary", "total_costs",
                                 "down_payment", "cash_needed")}


class Affordability(Record):
    """How much a household can borrow, and which limit binds."""

    __slots__ = ()


class RatioStudy(Record):
    """IAAO ratio-study statistics (``Decimal``)."""

    __slots__ = ()
    _types = {k: dec for k in ("median_ratio", "mean_ratio", "weighted_mean_ratio", "mdape",
                               "mape", "ppe10", "ppe20", "cod", "prd")}


class LeadScore(Record):
    """A lead's score: fit, engagement, the combined score, the band and the reasons."""

    __slots__ = ()
    _types = {"lead_id": uid}


class Transition(Record):
    """A pipeline move: from, to, its kind and when."""

    __slots__ = ()
    _types = {"at": instant, "actor": uid}


class SlaStatus(Record):
    """An SLA's state at a moment: deadline, state, minutes left or over, escalations due."""

    __slots__ = ()
    _types = {"deadline": instant, "next_check_at": instant}


__all__ += ["Affordability"]
_ = dict_of
