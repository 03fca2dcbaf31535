"""Tables in: lists of records, pandas and polars DataFrames, Arrow data (PyCapsule stream)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["as_column", "as_records", "from_arrow", "is_arrow", "to_frame"]


def _is_pandas(obj: Any) -> bool:
    return type(obj).__module__.startswith("pandas") and hasattr(obj, "columns")


def _is_polars(obj: Any) -> bool:
    return type(obj).__module__.startswith("polars") and hasattr(obj, "columns")


def as_records(obj: Any) -> Any:
    """Records for the native layer: a list of dicts/records as it is, or a table as
    ``(column names, column lists)`` (dotted names nest: ``contact.email``)."""
    if _is_pandas(obj):
        return ([str(c) for c in obj.columns], [obj[c].tolist() for c in obj.columns])
    if _is_polars(obj):
        return (list(obj.columns), [obj[c].to_list() for c in obj.columns])
    if hasattr(obj, "__arrow_c_stream__") and not isinstance(obj, (list, tuple)):
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]

        table = pa.table(obj)
        return (list(table.column_names), [table.column(c).to_pylist() for c in table.column_names])
    if isinstance(obj, list):
        return obj
    return list(obj)


def as_column(values: Any) -> Any:
    """A column of values as a list: lists as they are; numpy arrays, pandas and polars
    Series and Arrow arrays through their own fast ``tolist``."""
    if isinstance(values, list):
        return values
    for method in ("tolist", "to_list", "to_pylist"):
        fn = getattr(values, method, None)
        if callable(fn):
            return fn()
    if hasattr(values, "__arrow_c_array__") or hasattr(values, "__arrow_c_stream__"):
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]

        return pa.array(values).to_pylist()
    if isinstance(values, Iterable):
        return list(values)
    raise TypeError(f"expected a list, array or Series of str, not {type(values).__name__}")


def to_frame(columns: dict[str, list[Any]], like: Any = None) -> Any:
    """Columns as a DataFrame: polars when the input was polars, else pandas."""
    if like is not None and _is_polars(like):
        import polars as pl

        return pl.DataFrame(columns)
    import pandas as pd

    return pd.DataFrame(columns)


def is_arrow(obj: Any) -> bool:
    """Whether ``obj`` hands out Arrow data (the PyCapsule stream interface)."""
    return hasattr(obj, "__arrow_c_stream__") and not isinstance(obj, (list, tuple, dict))


def from_arrow(table: Any, like: Any = None, arrow_dtypes: bool = False) -> Any:
    """Arrow data as a DataFrame without copying its buffers: polars when ``like`` is polars,
    a pyarrow Table when it is pyarrow, else pandas (dictionary columns as categoricals; with
    ``arrow_dtypes`` every column keeps its Arrow type as a pandas ``ArrowDtype``, so exact
    decimals stay decimals without one Python object per value)."""
    if like is not None and _is_polars(like):
        import polars as pl

        return pl.DataFrame(table)
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]

    arrow = pa.table(table)
    if like is not None and type(like).__module__.startswith("pyarrow"):
        return arrow
    if arrow_dtypes:
        import pandas as pd

        return arrow.to_pandas(types_mapper=pd.ArrowDtype)
    return arrow.to_pandas()
