"""Commissions: plans as data, statements with ``Decimal`` lines, leases, clawbacks, ledger."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any, Literal, overload

from . import _native
from ._frames import from_arrow
from ._native import ArrowTable
from .errors import CrmError
from .records import AdministrationStatement, Deal, LedgerEntry, Money, Reversal, Statement

__all__ = ["CommissionEngine"]

DealLike = Deal | Mapping[str, Any]


def _context(as_of: _dt.date | Mapping[str, Any], period_volumes: Mapping[Any, Any] | None) -> Any:
    if isinstance(as_of, Mapping):
        return as_of
    ctx: dict[str, Any] = {"as_of": as_of}
    if period_volumes:
        ctx["period_volumes"] = {str(k): v for k, v in period_volumes.items()}
    return ctx


class CommissionEngine:
    """A commission plan (dict or JSON text) with its withholding table, validated once.

    Raises :class:`~realestate_crm.ValidationError` listing every problem of the plan and the
    table, each with its path (``split.then[2].share``)."""

    __slots__ = ("_engine",)

    def __init__(self, plan: Mapping[str, Any] | str, withholding: Iterable[Any] | str | None = None) -> None:
        if withholding is not None and not isinstance(withholding, (str, bytes)):
            withholding = list(withholding)
        self._engine = _native.CommissionEngine(plan, withholding)

    @property
    def plan(self) -> dict[str, Any]:
        """The plan in its JSON form."""
        return dict(self._engine.plan())

    def statement(self, deal: DealLike, as_of: _dt.date | Mapping[str, Any],
                  period_volumes: Mapping[Any, Money] | None = None) -> Statement:
        """The statement of one deal: pool, one line per participant, withholdings, totals."""
        return Statement._wrap(self._engine.statement(deal, _context(as_of, period_volumes)))

    @overload
    def statements(self, deals: Iterable[DealLike], as_of: _dt.date | Mapping[str, Any],
                   period_volumes: Mapping[Any, Money] | None = ..., *,
                   errors: Literal["raise"] = ..., explain: bool = ...) -> list[Statement]: ...

    @overload
    def statements(self, deals: Iterable[DealLike], as_of: _dt.date | Mapping[str, Any],
                   period_volumes: Mapping[Any, Money] | None = ..., *,
                   errors: Literal["return"], explain: bool = ...) -> list[Statement | CrmError]: ...

    def statements(self, deals: Iterable[DealLike], as_of: _dt.date | Mapping[str, Any],
                   period_volumes: Mapping[Any, Money] | None = None, *,
                   errors: Literal["raise", "return"] = "raise", explain: bool = True) -> Any:
        """One statement per deal, computed with the interpreter released. With
        ``errors="return"`` a deal that fails gives its exception in its place; with
        ``"raise"`` (the default) the first failure is raised. ``explain=False`` leaves the
        explanation trails out (smaller results, faster)."""
        items = deals if isinstance(deals, list) else list(deals)
        out: list[Any] = []
        for r in self._engine.statements(items, _context(as_of, period_volumes), explain):
            if isinstance(r, CrmError):
                if errors == "raise":
                    raise r
                out.append(r)
            else:
                out.append(Statement._wrap(r))
        return out

    def administration(self, deal: DealLike, period_start: _dt.date, period_end: _dt.date,
                       received: Money | None = None) -> AdministrationStatement:
        """A lease's administration month (the fee split and the landlord's net)."""
        receipt: dict[str, Any] = {"period_start": period_start, "period_end": period_end}
        if received is not None:
            receipt["received"] = received
        return AdministrationStatement._wrap(self._engine.administration(deal, receipt))

    def clawback(self, statement: Statement | Mapping[str, Any], cancelled_on: _dt.date,
                 paid: list[Money] | None = None) -> Reversal:
        """What comes back when a deal is cancelled after its statement."""
        return Reversal._wrap(self._engine.clawback(statement, cancelled_on, paid))

    def ledger_entry(self, statement: Statement | Mapping[str, Any]) -> LedgerEntry:
        """The statement's balanced ledger postings."""
        return LedgerEntry._wrap(self._engine.ledger_entry(statement))

    def lines_frame(self, deals: Any, as_of: _dt.date | Mapping[str, Any],
                    period_volumes: Mapping[Any, Money] | None = None, *,
                    errors: Literal["raise", "return"] = "raise") -> Any:
        """The statements of a whole book as a long table, one row per statement line, computed
        in parallel and built as Arrow columns (no Python object per value).

        ``deals`` is a list of deal records or Arrow data (a pandas/polars DataFrame or pyarrow
        Table with dotted columns such as ``value.amount`` and ``participants`` as a list of
        structs). Columns: ``deal`` (position), ``deal_id``, ``line``, ``role``, ``agent_id``,
        ``recipient``, ``currency``, ``gross``, ``withheld``, ``net`` — money as exact
        ``decimal128`` (pandas ``ArrowDtype``; ``.astype(object)`` gives ``Decimal``), never
        float — and ``error``. A polars input gives a polars DataFrame, a pyarrow one a Table,
        anything else pandas. With ``errors="raise"`` (the default) the first deal that fails
        is raised; with ``"return"`` it has a row of its own with its ``error`` code."""
        table, failures = self._engine.statement_lines(deals, _context(as_of, period_volumes))
        if failures and errors == "raise":
            raise failures[0][1]
        return from_arrow(table, like=deals, arrow_dtypes=True)

    def statement_lines(self, deals: Any, as_of: _dt.date | Mapping[str, Any],
                        period_volumes: Mapping[Any, Money] | None = None
                        ) -> tuple[ArrowTable, list[tuple[int, CrmError]]]:
        """Like :meth:`lines_frame`, as raw Arrow data for any consumer
        (``pyarrow.table(t)``, ``polars.DataFrame(t)``) and every failure as
        ``(position, exception)``."""
        table, failures = self._engine.statement_lines(deals, _context(as_of, period_volumes))
        return table, list(failures)

    def statements_frame(self, statements: Iterable[Statement]) -> Any:
        """Statements as a long pandas DataFrame: one row per line (``Decimal`` money)."""
        import pandas as pd

        rows = []
        for s in statements:
            for i, line in enumerate(s.lines):
                rows.append({"deal_id": s.deal_id, "participant": i, "role": line.role,
                             "agent_id": line.agent_id, "gross": line.gross.amount,
                             "withheld": sum((w.amount.amount for w in line.withholdings),
                                             start=Money(0).amount),
                             "net": line.net.amount})
        return pd.DataFrame(rows)
