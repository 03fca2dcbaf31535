"""Lead scoring: fit and engagement with decay, caps, bands and the reasons, for one lead or a
whole book (a list of records, or a pandas/polars DataFrame with dotted column names such as
``contact.email``, ``budget.max.amount``)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import Any

from . import _native
from ._frames import as_records, from_arrow, is_arrow, to_frame
from ._native import ArrowTable
from .errors import CrmError
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
        """Like :meth:`score_table`, as a DataFrame (polars for polars input, else pandas).

        A table that offers Arrow data (pandas with pyarrow, polars, pyarrow) is read straight
        from its Arrow buffers and the result comes back the same way: ``band`` and
        ``reasons`` as categoricals, ``lead_id`` the input's own ``id`` column."""
        if properties is None and is_arrow(leads):
            try:
                table = self._scorer.score_arrow(leads, now, activities, top)
            except CrmError:
                raise
            except (ImportError, TypeError, ValueError):
                table = None  # the frame cannot hand out Arrow data: read its rows instead
            if table is not None:
                return from_arrow(table, like=leads)
        return to_frame(self.score_table(leads, now, activities, properties, top=top), like=leads)

    def score_arrow(self, leads: Any, now: _dt.datetime, activities: Any = None, *,
                    top: int = 3) -> ArrowTable:
        """Scores a book given as Arrow data (any object with ``__arrow_c_stream__``: a
        pandas or polars DataFrame, a pyarrow Table) and returns the scores as Arrow data
        (``pyarrow.table(result)``, ``polars.DataFrame(result)``,
        ``pandas.DataFrame.from_arrow(result)``): columns ``lead_id``, ``fit``,
        ``engagement``, ``score``, ``band``, ``reasons``. No cell becomes a Python object."""
        return self._scorer.score_arrow(leads, now, activities, top)
