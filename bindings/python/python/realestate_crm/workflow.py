"""Workflow rules: pipelines and their moves, automation rules, decision tables, lead routing,
business calendars and SLAs. Configuration is data (dicts or JSON text), validated on load."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import Any

from . import _native
from ._records import Record, instant
from .records import SlaStatus, Transition

__all__ = ["AutomationRules", "BusinessCalendar", "DecisionTable", "Pipeline", "SlaPolicy",
           "easter_sunday", "evaluate_rules", "resolve_offer", "route_lead", "routing_policy",
           "validate_sla_policies"]


class Pipeline:
    """A pipeline: ``"sales"``, ``"rentals"``, ``"deals"`` or a pipeline dict/JSON."""

    __slots__ = ("_p",)

    def __init__(self, pipeline: Mapping[str, Any] | str = "sales") -> None:
        self._p = _native.Pipeline(pipeline)

    def to_dict(self) -> dict[str, Any]:
        return dict(self._p.to_dict())

    @property
    def stage_field(self) -> str:
        """The field holding a record's stage: ``stage``, or ``status`` for deals."""
        return str(self._p.stage_field())

    def targets(self, stage: str) -> list[str]:
        """The stages a record in ``stage`` may move to."""
        return list(self._p.targets(stage))

    def transition(self, record: Any, to: str, now: _dt.datetime | None = None,
                   **context: Any) -> tuple[dict[str, Any], Transition]:
        """Moves a record (lead or deal, a record or its dict) to ``to``; returns the moved
        record's JSON form and the transition. Context keys: ``actor``, ``reason``,
        ``property_id``, ``offer_value``, ``proposal_accepted``. A refused move raises
        :class:`~realestate_crm.WorkflowError` (or ``ValidationError`` for a failing guard)."""
        ctx = dict(context)
        if now is not None:
            ctx["now"] = now
        after, t = self._p.transition(record, to, ctx)
        return dict(after), Transition._wrap(t)


class BusinessCalendar:
    """Working hours and holidays in the agency's zone (São Paulo by default)."""

    __slots__ = ("_c",)

    def __init__(self, calendar: Mapping[str, Any] | str | None = None) -> None:
        self._c = _native.BusinessCalendar(calendar)

    def add_business_minutes(self, at: _dt.datetime, minutes: int) -> _dt.datetime:
        return instant(self._c.add_business_minutes(at, minutes))

    def add_business_days(self, at: _dt.datetime, days: int) -> _dt.datetime:
        return instant(self._c.add_business_days(at, days))

    def business_minutes_between(self, start: _dt.datetime, end: _dt.datetime) -> int:
        return int(self._c.business_minutes_between(start, end))

    def is_working_time(self, at: _dt.datetime) -> bool:
        return bool(self._c.is_working_time(at))

    def is_holiday(self, day: _dt.date) -> bool:
        return bool(self._c.is_holiday(day))

    def is_business_day(self, day: _dt.date) -> bool:
        return bool(self._c.is_business_day(day))

    def holidays_in(self, year: int) -> list[tuple[_dt.date, str]]:
        return [(_dt.date.fromisoformat(d), n) for d, n in self._c.holidays_in(year)]


def easter_sunday(year: int) -> _dt.date | None:
    d = _native.easter_sunday(year)
    return None if d is None else _dt.date.fromisoformat(d)


class SlaPolicy:
    """An SLA policy (validated)."""

    __slots__ = ("_s",)

    def __init__(self, policy: Mapping[str, Any] | str) -> None:
        self._s = _native.SlaPolicy(policy)

    def to_dict(self) -> dict[str, Any]:
        return dict(self._s.to_dict())

    def check(self, started_at: _dt.datetime, now: _dt.datetime, calendar: BusinessCalendar,
              met_at: _dt.datetime | None = None) -> SlaStatus:
        """The SLA's deadline, state, minutes left or over, and escalations due at ``now``."""
        return SlaStatus._wrap(self._s.check(started_at, now, calendar._c, met_at))


def validate_sla_policies(policies: Sequence[Any] | str) -> None:
    """Raises :class:`~realestate_crm.ValidationError` with every problem of a policy list."""
    _native.validate_sla_policies(policies if isinstance(policies, str) else list(policies))


class AutomationRules:
    """A validated rule set (loops refused)."""

    __slots__ = ("_r",)

    def __init__(self, rules: Sequence[Any] | str) -> None:
        self._r = _native.RuleSet(rules if isinstance(rules, str) else list(rules))

    def evaluate(self, event: Mapping[str, Any], now: _dt.datetime,
                 calendar: BusinessCalendar | None = None, depth: int = 0) -> dict[str, Any]:
        """The rules an event fires: ``fired`` (``{rule_id, intents, due_at?}`` each) and a
        ``trace`` entry per rule saying why it fired or not."""
        return dict(self._r.evaluate(event, now, calendar._c if calendar else None, depth))


def evaluate_rules(rules: Sequence[Any], event: Mapping[str, Any], now: _dt.datetime,
                   calendar: BusinessCalendar | None = None, depth: int = 0) -> dict[str, Any]:
    """Evaluates rules without validating them first (as an editor previews a draft)."""
    return dict(_native.evaluate_rules(list(rules), event, now,
                                       calendar._c if calendar else None, depth))


class DecisionTable:
    """A validated decision table."""

    __slots__ = ("_t",)

    def __init__(self, table: Mapping[str, Any] | str) -> None:
        self._t = _native.DecisionTable(table)

    def evaluate(self, record: Any) -> dict[str, Any]:
        """``outputs``, ``matched_rows``, ``selected_row`` and ``aggregate`` for a record."""
        return dict(self._t.evaluate(record))

    def check(self) -> dict[str, Any]:
        """Gaps, overlaps and cells not analysed."""
        return dict(self._t.check())


def routing_policy(policy: Mapping[str, Any] | str) -> dict[str, Any]:
    """A routing policy, validated, in its JSON form."""
    return dict(_native.routing_policy(policy))


def route_lead(lead: Any, policy: Mapping[str, Any] | str, agents: Sequence[Any], now: _dt.datetime,
               *, state: Mapping[str, Any] | None = None, seed: int = 0, property: Any = None,
               language: str | None = None) -> Record:
    """Routes a lead to a team and an agent (or an offer): ``assignment``, ``team``,
    ``reasons`` and the ``new_state`` to pass to the next call."""
    return Record._wrap(_native.route_lead(lead, policy, state, list(agents), now, seed,
                                           property, language))


def resolve_offer(policy: Mapping[str, Any] | str, state: Mapping[str, Any], offer_id: int,
                  claimed_by: Any, agents: Sequence[Any], now: _dt.datetime,
                  seed: int = 0) -> Record:
    """Resolves a claim offer: claimed, or timed out to the next fallback step."""
    return Record._wrap(_native.resolve_offer(policy, state, offer_id, claimed_by,
                                              list(agents), now, seed))
