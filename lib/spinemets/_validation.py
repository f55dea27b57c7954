"""Input validation shared by every module.

Every public function validates its inputs at the boundary and raises :class:`ValueError`
naming the argument and the allowed range, never returning a silent NaN or a wrong category.
Helpers here convert array-likes to numpy arrays and remember how to give the caller back
the same kind of object (scalar, numpy array, or pandas Series with its index).
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd


def as_float_array(x: Any, name: str, *, allow_nan: bool = False) -> np.ndarray:
    """Return ``x`` as a 1-D float array; raise ValueError naming ``name`` if it is not numeric."""
    if isinstance(x, (str, bytes)):
        raise ValueError(f"{name} must be numeric, got the string {x!r}")
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric, got {x!r}") from None
    arr = np.atleast_1d(arr)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a scalar or one-dimensional, got shape {arr.shape}")
    if not allow_nan and np.isnan(arr).any():
        n = int(np.isnan(arr).sum())
        raise ValueError(f"{name} contains {n} missing value(s) (NaN); drop or impute them first")
    if np.isinf(arr).any():
        raise ValueError(f"{name} contains infinite values")
    return arr


def check_same_length(**arrays: np.ndarray) -> int:
    """Raise ValueError if the named arrays differ in length; return the common length."""
    lengths = {k: len(v) for k, v in arrays.items()}
    if len(set(lengths.values())) > 1:
        desc = ", ".join(f"{k} has {n}" for k, n in lengths.items())
        raise ValueError(f"arguments must have the same length: {desc}")
    n = next(iter(lengths.values()))
    if n == 0:
        raise ValueError(f"{', '.join(lengths)} must not be empty")
    return n


def check_durations(x: Any, name: str = "durations") -> np.ndarray:
    """Durations: finite, non-negative numbers."""
    arr = as_float_array(x, name)
    if (arr < 0).any():
        raise ValueError(f"{name} must be >= 0; found {int((arr < 0).sum())} negative value(s), min {arr.min():g}")
    return arr


def check_events(x: Any, name: str = "events") -> np.ndarray:
    """Event indicators: 0 (censored) or 1 (event); booleans accepted. Returns an int array."""
    arr = as_float_array(x, name)
    bad = ~np.isin(arr, (0.0, 1.0))
    if bad.any():
        vals = sorted(set(arr[bad].tolist()))[:5]
        raise ValueError(f"{name} must be 0 (censored) or 1 (event); found {vals}")
    return arr.astype(int)


def check_groups(x: Any, name: str = "groups", min_levels: int = 2) -> np.ndarray:
    """A grouping variable with at least ``min_levels`` distinct, non-missing levels."""
    arr = np.asarray(x, dtype=object) if not isinstance(x, np.ndarray) else x
    arr = np.atleast_1d(arr)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    missing = pd.isna(arr)
    if missing.any():
        raise ValueError(f"{name} contains {int(missing.sum())} missing value(s); drop them first")
    levels = pd.unique(arr)
    if len(levels) < min_levels:
        raise ValueError(f"{name} must have at least {min_levels} distinct levels, got {len(levels)}: {list(levels)}")
    return arr


def check_count_table(table: Any, name: str = "table", *, square: bool = False,
                      min_shape: tuple[int, int] = (2, 2)) -> np.ndarray:
    """A contingency table of non-negative integer counts. Returns an int64 2-D array."""
    if isinstance(table, pd.DataFrame):
        table = table.to_numpy()
    try:
        arr = np.asarray(table, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a 2-D table of counts") from None
    if arr.ndim != 2:
        raise ValueError(f"{name} must be two-dimensional, got {arr.ndim} dimension(s)")
    if arr.shape[0] < min_shape[0] or arr.shape[1] < min_shape[1]:
        raise ValueError(f"{name} must be at least {min_shape[0]}x{min_shape[1]}, got {arr.shape[0]}x{arr.shape[1]}")
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains missing values (NaN)")
    if (arr < 0).any():
        raise ValueError(f"{name} must contain counts >= 0; found negative values")
    if not np.all(arr == np.round(arr)):
        raise ValueError(f"{name} must contain whole-number counts; found non-integer values")
    if square and arr.shape[0] != arr.shape[1]:
        raise ValueError(f"{name} must be square (k x k), got {arr.shape[0]}x{arr.shape[1]}")
    return arr.astype(np.int64)


def check_open_interval(value: Any, name: str, low: float = 0.0, high: float = 1.0) -> float:
    """A real number strictly between ``low`` and ``high`` (e.g. a significance level)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a number in ({low:g}, {high:g}), got {value!r}")
    if not (low < value < high):
        raise ValueError(f"{name} must be in ({low:g}, {high:g}), got {value!r}")
    return float(value)


def check_choice(value: Any, name: str, allowed: Iterable[str]) -> str:
    """One of a fixed set of options."""
    allowed = tuple(allowed)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(repr(a) for a in allowed)}; got {value!r}")
    return value


def check_positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


class Shape:
    """Remember how an input looked (scalar, array, Series) to return results in the same form.

    >>> shape = Shape.of(pd.Series([1.0, 2.0], index=["a", "b"]))
    >>> shape.wrap(np.array([10.0, 20.0]), name="bed")  # doctest: +SKIP
    """

    def __init__(self, kind: str, index=None, name=None):
        self.kind, self.index, self.name = kind, index, name

    @classmethod
    def of(cls, *inputs: Any) -> "Shape":
        for x in inputs:
            if isinstance(x, pd.Series):
                return cls("series", x.index, x.name)
        if all(np.ndim(x) == 0 for x in inputs):
            return cls("scalar")
        return cls("array")

    def wrap(self, values: np.ndarray, name: str | None = None):
        if self.kind == "scalar":
            v = np.asarray(values).ravel()[0]
            return v.item() if hasattr(v, "item") else v
        if self.kind == "series":
            return pd.Series(values, index=self.index, name=name or self.name)
        return np.asarray(values)


def broadcast_arrays(names: Iterable[str], values: Iterable[Any]) -> list[np.ndarray]:
    """Broadcast numeric inputs against each other with an error that names the arguments."""
    names, arrays = list(names), [np.asarray(v, dtype=float) if not isinstance(v, pd.Series) else v.to_numpy(dtype=float)
                                  for v in values]
    try:
        out = np.broadcast_arrays(*arrays)
    except ValueError:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in zip(names, arrays))
        raise ValueError(f"cannot broadcast {shapes} to a common shape") from None
    return [np.atleast_1d(a).ravel() for a in out]


__all__ = [
    "as_float_array", "check_same_length", "check_durations", "check_events", "check_groups",
    "check_count_table", "check_open_interval", "check_choice", "check_positive_int", "Shape",
    "broadcast_arrays",
]
