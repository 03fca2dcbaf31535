"""Exact money: rounding modes, allocation that always sums to the total, rates, currencies."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

from . import _native
from .records import Money

__all__ = ["Money", "RoundingMode", "allocate", "currency_minor_units", "parse_rate", "round_decimal"]

RoundingMode = Literal["half_even", "half_up", "half_down", "down", "up", "floor", "ceiling"]


def round_decimal(value: Decimal | int | str, places: int = 2, mode: RoundingMode = "half_even") -> Decimal:
    """``value`` rounded to ``places`` decimals (half-even by default, NBR 5891)."""
    return _native.round_decimal(value, places, mode)


def allocate(total: Money | Decimal | int | str, weights: Sequence[Decimal | int | str],
             currency: str = "BRL") -> list[Money]:
    """Splits a total by weights to the currency's minor unit; the parts sum to the total
    (largest remainder, ties to the earlier part)."""
    if isinstance(total, Money):
        amount: Any = total.amount
        currency = total.currency
    else:
        amount = total
    parts = _native.allocate(amount, currency, list(weights))
    return [Money(p, currency) for p in parts]


def parse_rate(text: str) -> Decimal:
    """A rate as written (``"6%"``, ``"6,5 %"``, ``"0.065"``) as a fraction (``Decimal``)."""
    return _native.parse_rate(text)


def currency_minor_units(code: str) -> int:
    """The ISO 4217 minor units of a currency (BRL 2, JPY 0, KWD 3)."""
    return _native.currency_info(code)[1]
