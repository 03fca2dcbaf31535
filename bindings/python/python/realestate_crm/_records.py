"""The record base class: JSON form inside, Python types outside.

A record keeps the core's JSON form (decimals as text, dates as ISO 8601, ids as UUID text) and
converts a field to its Python type (``Decimal``, ``date``, ``datetime``, ``UUID``, a nested
record) when it is read. ``to_dict()`` gives the JSON form every host shares; ``from_dict()``
takes it (or the same shape with Python values).
"""

from __future__ import annotations

import copy
import datetime as _dt
import uuid as _uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

from . import _native
from .errors import ValidationError

__all__ = ["Record", "to_json_form"]

R = TypeVar("R", bound="Record")
Conv = Callable[[Any], Any]


def to_json_form(value: Any) -> Any:
    """Converts Python values (Decimal, date, datetime, UUID, records, …) to the JSON form."""
    return _native.to_json_form(value)


def dec(v: Any) -> Decimal:
    return Decimal(v) if isinstance(v, str) else Decimal(str(v))


def date(v: Any) -> _dt.date:
    return _dt.date.fromisoformat(v)


def instant(v: Any) -> _dt.datetime:
    text = v[:-1] + "+00:00" if v.endswith("Z") else v
    return _dt.datetime.fromisoformat(text)


def uid(v: Any) -> _uuid.UUID:
    return _uuid.UUID(v)


class _ListOf:
    """Converts each item; a missing list reads as ``[]``."""

    __slots__ = ("conv",)

    def __init__(self, conv: Conv | None) -> None:
        self.conv = conv

    def __call__(self, items: Any) -> list[Any]:
        conv = self.conv
        if conv is None:
            return list(items)
        return [conv(x) if x is not None else None for x in items]


def list_of(conv: Conv | None = None) -> Conv:
    return _ListOf(conv)


def dict_of(conv: Conv) -> Conv:
    return lambda items: {k: conv(x) if x is not None else None for k, x in items.items()}


class Record:
    """A record: keyword constructor, readable ``repr``, equality, ``to_dict``/``from_dict``."""

    __slots__ = ("_data",)
    _fields: ClassVar[tuple[str, ...]] = ()
    _types: ClassVar[dict[str, Conv]] = {}
    _data: Any  # a dict, or a native JsonView (read-only, converted lazily)

    def __init__(self, **fields: Any) -> None:
        unknown = [k for k in fields if k not in self._fields]
        if unknown and self._fields:
            raise ValidationError(
                "input.json",
                f"{type(self).__name__} has no field {unknown[0]!r}; fields: {', '.join(self._fields)}",
                unknown[0],
                [],
            )
        data = to_json_form({k: v for k, v in fields.items() if v is not None})
        object.__setattr__(self, "_data", data)

    @classmethod
    def from_dict(cls: type[R], data: Mapping[str, Any]) -> R:
        """A record from its JSON form (or the same shape with Python values)."""
        obj = cls.__new__(cls)
        object.__setattr__(obj, "_data", to_json_form(dict(data)))
        return obj

    @classmethod
    def _wrap(cls: type[R], data: Any) -> R:
        obj = cls.__new__(cls)
        object.__setattr__(obj, "_data", data)
        return obj

    def to_dict(self) -> dict[str, Any]:
        """The JSON form shared by every host (decimals as strings, ISO 8601 dates)."""
        data = self._data
        if isinstance(data, dict):
            return copy.deepcopy(data)
        return dict(data.to_py())

    def replace(self: R, **changes: Any) -> R:
        """A copy with some fields changed."""
        data = self.to_dict()
        data.update(to_json_form(changes))
        return type(self)._wrap(data)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or (self._fields and name not in self._fields):
            raise AttributeError(f"{type(self).__name__!s} has no field {name!r}")
        value = self._data.get(name)
        conv = self._types.get(name)
        if value is None:
            return [] if isinstance(conv, _ListOf) else None
        return conv(value) if conv is not None else value

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} records are immutable; use .replace()")

    def __getitem__(self, name: str) -> Any:
        return self.__getattr__(name)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Record)
        return bool(self._data == other._data)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        names = self._fields or tuple(self._data.keys())
        shown = []
        for n in names:
            if n in self._data:
                shown.append(f"{n}={getattr(self, n)!r}")
        return f"{type(self).__name__}({', '.join(shown)})"
