"""Long data: one row per subject and visit, and the column checks the models share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._validation import (
    check_columns,
)


def to_long(
    data: pd.DataFrame,
    subject: str,
    columns: Mapping[str, Any],
    value_name: str,
    keep: Iterable[str] = (),
) -> pd.DataFrame:
    """Reshape one outcome measured at several time points from wide to long format.

    Parameters
    ----------
    data : DataFrame
        One row per subject.
    subject : str
        The subject identifier column (unique per row).
    columns : mapping
        Column name -> time label, e.g. ``{"vas_pre": 0, "vas_1m": 1, "vas_3m": 3}``.
    value_name : str
        Name of the outcome column in the result.
    keep : iterable of str
        Subject-level columns carried to every row (e.g. the treatment group).

    Returns
    -------
    DataFrame
        Columns ``subject``, ``*keep``, ``time``, ``value_name``; one row per subject and time,
        sorted by subject then time order of ``columns``.
    """
    if not isinstance(columns, Mapping) or len(columns) < 2:
        raise ValueError("columns must map at least two column names to their time labels")
    keep = list(keep)
    check_columns(data, [subject, *keep, *columns], "data")
    if not data[subject].is_unique:
        raise ValueError(f"data[{subject!r}] must be unique (one row per subject) in wide format")
    times = list(columns.values())
    if len(set(times)) != len(times):
        raise ValueError("columns must give each column a different time label")
    long = data.melt(
        id_vars=[subject, *keep],
        value_vars=list(columns),
        var_name="_column",
        value_name=value_name,
    )
    long.insert(len(keep) + 1, "time", long.pop("_column").map(dict(columns)))
    order = {t: i for i, t in enumerate(times)}
    long = long.sort_values(
        [subject, "time"], key=lambda s: s.map(order) if s.name == "time" else s, kind="stable"
    )
    return long.reset_index(drop=True)


def _numeric_column(df: pd.DataFrame, col: str, arg: str) -> np.ndarray:
    s = df[col]
    if s.dtype == bool or not pd.api.types.is_numeric_dtype(s):
        raise ValueError(f"{arg} column {col!r} must be numeric, got dtype {s.dtype}")
    x = s.to_numpy(dtype=float)
    if np.isnan(x).any():
        raise ValueError(
            f"{arg} column {col!r} has {int(np.isnan(x).sum())} missing value(s); drop "
            f"those rows first (the model then uses every observed measurement)"
        )
    if np.isinf(x).any():
        raise ValueError(f"{arg} column {col!r} contains infinite values")
    return x


def _levels(
    df: pd.DataFrame,
    col: str,
    arg: str,
    reference: Any,
    min_levels: int = 2,
    appearance: bool = False,
) -> list:
    """The levels of ``col``, reference first.

    Order: a pandas Categorical's own order; otherwise sorted, or (``appearance=True``, used for
    time labels) numbers sorted and any other labels in order of first appearance, so that
    ``"pre", "1m", "3m"`` stay in that order instead of sorting as ``"1m", "3m", "pre"``.
    """
    s = df[col]
    if s.isna().any():
        raise ValueError(f"{arg} column {col!r} has {int(s.isna().sum())} missing value(s)")
    if isinstance(s.dtype, pd.CategoricalDtype):
        levels = list(s.cat.categories)
    elif appearance and not pd.api.types.is_numeric_dtype(s):
        levels = list(pd.unique(s))
    else:
        levels = sorted(pd.unique(s))
    levels = [lv for lv in levels if (s == lv).any()]
    if len(levels) < min_levels:
        raise ValueError(
            f"{arg} column {col!r} must have at least {min_levels} levels, got {levels}"
        )
    if reference is None:
        reference = levels[0]
    if reference not in levels:
        raise ValueError(f"{arg}_reference must be one of {levels}; got {reference!r}")
    return [reference] + [lv for lv in levels if lv != reference]
