"""Series alignment and the shape of results (rule 2 of the input contract in
:mod:`spinemets._validation`, which re-exports everything here)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd


def align_series(named: Mapping[str, Any]) -> tuple[dict[str, Any], pd.Index | None]:
    """Apply the library's one rule for pandas Series inputs.

    Series are aligned on their index: every Series is reordered to the first Series' index.
    A Series whose set of labels differs from the first one's raises a ValueError naming it, and
    so does a Series with duplicate labels that would need reordering (Series sharing one index,
    duplicates included, pair row by row). Plain arrays are left as they are, so a Series mixed with an
    array of the same length pairs by position. Returns the (possibly reordered) inputs and the
    index a Series result should carry (None when no input is a Series).
    """
    out = dict(named)
    series = [(k, v) for k, v in named.items() if isinstance(v, pd.Series)]
    if not series:
        return out, None
    first_name, first = series[0]
    if all(s.index.equals(first.index) for _, s in series[1:]):
        return out, first.index  # same labels in the same order: nothing to pair
    for k, s in series:
        if not s.index.is_unique:
            raise ValueError(
                f"{k} has duplicate index labels, so it cannot be paired by label "
                f"with {first_name}; give each row a unique label"
            )
    for k, s in series[1:]:
        if s.index.equals(first.index):
            continue
        if len(s.index) != len(first.index) or not s.index.isin(first.index).all():
            raise ValueError(
                f"{k} and {first_name} are pandas Series with different index labels; the library "
                f"pairs Series by label: align them first, or pass plain arrays to pair by position"
            )
        out[k] = s.reindex(first.index)
    return out, first.index


class Shape:
    """Remember how an input looked (scalar, array, Series) to return results in the same form.

    >>> shape = Shape.of(pd.Series([1.0, 2.0], index=["a", "b"]))
    >>> shape.wrap(np.array([10.0, 20.0]), name="bed")  # doctest: +SKIP
    """

    def __init__(self, kind: str, index=None, name=None):
        self.kind, self.index, self.name = kind, index, name

    @classmethod
    def of(cls, *inputs: Any) -> Shape:
        for x in inputs:
            if isinstance(x, pd.Series):
                return cls("series", x.index, x.name)
        if all(_ndim(x) == 0 for x in inputs):
            return cls("scalar")
        return cls("array")

    def wrap(self, values: np.ndarray, name: str | None = None):
        if self.kind == "scalar":
            v = np.asarray(values).ravel()[0]
            return v.item() if hasattr(v, "item") else v
        if self.kind == "series":
            return pd.Series(values, index=self.index, name=name or self.name)
        return np.asarray(values)


def _ndim(x: Any) -> int:
    """``np.ndim`` that never raises (-1 for ragged or odd input: converting it will raise)."""
    if isinstance(x, (str, bytes)):
        return 0
    try:
        return np.ndim(x)
    except (TypeError, ValueError):
        return -1


def broadcast_arrays(
    names: Iterable[str], values: Iterable[Any], *, allow_nan: bool = True
) -> list[np.ndarray]:
    """Broadcast numeric inputs against each other with an error that names the arguments.

    Each input is converted on its own (a string, None, boolean, 2-D array or non-numeric value
    raises naming that argument; infinite values raise; NaN raises unless ``allow_nan``, for
    callers that give their own message). Series are first aligned by label
    (:func:`align_series`); a Series only broadcasts against scalars and inputs of its own length,
    so that a Series result can keep its index.
    """
    from ._validation import as_float_array

    names, values = list(names), list(values)
    for n, v in zip(names, values):
        if isinstance(v, pd.DataFrame) or _ndim(v) > 1:
            raise ValueError(f"{n} must be a scalar or one-dimensional, got shape {np.shape(v)}")
    aligned, index = align_series(dict(zip(names, values)))
    arrays = []
    for n in names:
        v = aligned[n]
        arr = as_float_array(v, n, allow_nan=True)
        if not allow_nan and np.isnan(arr).any():
            raise ValueError(
                f"{n} contains {int(np.isnan(arr).sum())} missing value(s) (NaN); "
                f"drop or impute them first"
            )
        arrays.append(arr if _ndim(v) != 0 else arr.reshape(()))
    try:
        out = np.broadcast_arrays(*arrays)
    except ValueError:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in zip(names, arrays))
        raise ValueError(f"cannot broadcast {shapes} to a common shape") from None
    if index is not None and np.size(out[0]) != len(index):
        shapes = ", ".join(f"{n} {a.shape}" for n, a in zip(names, arrays))
        raise ValueError(
            f"a pandas Series input pairs only with scalars and inputs of its own "
            f"length ({len(index)}); got {shapes}"
        )
    return [np.atleast_1d(a).ravel() for a in out]
