"""Pricing calculators: financing schedules (SAC, PRICE, CET), affordability, rent adjustment,
closing costs, ratio studies and price per m² statistics. Requests are dicts in the JSON form
(``Decimal``, ``date`` and :class:`Money` values accepted); results are records with
``Decimal`` fields and ``.to_pandas()`` where they hold a table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import _native
from ._records import Record
from .records import Affordability, ClosingCosts, RatioStudy, RentAdjustment, Schedule

__all__ = ["affordability", "adjust_rent", "closing_costs", "price_per_m2", "ratio_study",
           "run", "simulate"]


def run(calculator: str, request: Any) -> dict[str, Any]:
    """Any calculator by name, JSON form in and out."""
    return dict(_native.pricing(calculator, request).to_py())


def simulate(terms: Mapping[str, Any]) -> Schedule:
    """A financing schedule: ``{"system": "sac"|"price", "principal", "rate":
    {"monthly"|"annual_effective"}, "term_months", "first_due", …}``."""
    return Schedule._wrap(_native.pricing("financing", terms))


def affordability(request: Mapping[str, Any]) -> Affordability:
    """The largest loan an income and a property value allow."""
    return Affordability._wrap(_native.pricing("affordability", request))


def adjust_rent(request: Mapping[str, Any]) -> RentAdjustment:
    """A rent adjusted by IGP-M/IPCA on its anniversary."""
    return RentAdjustment._wrap(_native.pricing("rent_adjustment", request))


def closing_costs(request: Mapping[str, Any]) -> ClosingCosts:
    """ITBI, registry and notary fees."""
    return ClosingCosts._wrap(_native.pricing("closing_costs", request))


def ratio_study(pairs: Iterable[Mapping[str, Any]]) -> RatioStudy:
    """IAAO ratio study of predicted values against sale prices."""
    return RatioStudy._wrap(_native.pricing("ratio_study", list(pairs)))


def price_per_m2(comparables: Iterable[Mapping[str, Any]]) -> Record:
    """Price per m² statistics (quartiles) of comparables ``{"price", "area_m2"}``."""
    return Record._wrap(_native.pricing("price_per_m2", list(comparables)))
