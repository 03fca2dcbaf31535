"""Lead scoring: fit and engagement with decay, caps, bands and the reasons, for one lead or a
whole book (a list of records, or a pandas/polars DataFrame with dotted column names such as
``contact.email``, ``budget.max.amount``)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import Any

from . import _native
from ._frames import as_records, to_frame
from .records import LeadScore

__all__ = ["Scorer"]


class Scorer:
    """A validated rule set: ``Scorer("default")`` or ``Scorer(rules_dict_or_json)``."""

    __slots__ = ("_scorer",)

    def __init__(self, rules: Mapping[str, Any] | str = "default") -> None:
        self._scorer = _native.Scorer(rules)

    @property
    def rules(self) -> dict[str, Any]:
        """The rule set in its JSON form."""
        return dict(self._scorer.rules())

    def score(self, lead: Any, now: _dt.datetime, activities: Sequence[Any] = (),
              property: Any = None) -> LeadScore:
        """One lead's score at ``now`` (a timezone-aware datetime)."""
        return LeadScore._wrap(self._scorer.score(lead, now, list(activities), property))

    def score_table(self, leads: Any, now: _dt.datetime, activities: Any = None,
                    properties: Sequence[Any] | None = None, *, top: int = 3,
                    full: bool = False) -> dict[str, list[Any]]:
        """Scores a book; returns columns ``lead_id``, ``fit``, ``engagement``, ``score``,
        ``band``, ``reasons`` (the ``top`` rule ids, comma-separated)."""
        acts = as_records(activities) if activities is not None else None
        props = list(properties) if properties is not None else None
        return dict(self._scorer.score_table(as_records(leads), now, acts, props, top, full))

    def score_frame(self, leads: Any, now: _dt.datetime, activities: Any = None,
                    properties: Sequence[Any] | None = None, *, top: int = 3) -> Any:
        """Like :meth:`score_table`, as a DataFrame (polars for polars input, else pandas)."""
        return to_frame(self.score_table(leads, now, activities, properties, top=top), like=leads)
