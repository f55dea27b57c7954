"""Shared pieces of :mod:`spinemets.scores`: the result object, item validators, bands and
the row-wise scoring of Series and DataFrames."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .._results import Result
from .._validation import (
    check_flag,
    check_integer,
    check_number,
    check_on_grid,
    check_positive,
)


@dataclasses.dataclass(frozen=True, repr=False)
class Score(Result):
    """A clinical score: its name, total, the points per item, and the source paper's group.

    One shape rule for every score function (``tokuhashi_revised``, ``tokuhashi_original``,
    ``tomita``, ``sins``, ``child_pugh``, ``choi_risk_group``, ``hcc_sm_gpa``): scalar items give
    one :class:`Score`; pandas Series items (sharing one index; scalars are broadcast) give a
    DataFrame with the columns ``total`` and ``group`` on that index, row by row what the scalar
    call gives; the ``*_from_frame`` companions give the same DataFrame from columns.
    ``tests/scores/test_score_shapes.py`` holds every score to it.
    """

    _title: ClassVar[str] = "Score"
    score: str
    total: int
    group: str
    meaning: str
    points: dict


_NOT_SCALAR = (list, tuple, set, dict, np.ndarray, pd.Series, pd.DataFrame)


def _scalar(value: Any, name: str) -> None:
    """Refuse containers and missing values for one item (a ValueError naming the item)."""
    if isinstance(value, _NOT_SCALAR):
        raise ValueError(
            f"{name} must be a single value, got a {type(value).__name__}; score many rows "
            "by passing pandas Series with one index, or a DataFrame to the *_from_frame function"
        )
    if value is None or (isinstance(value, (float, np.floating)) and np.isnan(value)):
        raise ValueError(
            f"{name} is missing ({value!r}); every item is required (no silent default)"
        )


def _choice(value: Any, name: str, allowed: Mapping[str, Any]) -> Any:
    _scalar(value, name)
    key = value.strip().lower() if isinstance(value, str) else value
    ok = not isinstance(key, (bool, np.bool_))
    try:
        ok = ok and key in allowed
    except TypeError:  # unhashable
        ok = False
    if not ok:
        shown = ", ".join(repr(k) for k in allowed)
        raise ValueError(f"{name} must be one of {shown}; got {value!r}")
    return allowed[key]


def _count(value: Any, name: str) -> int:
    """A count item (number of foci): one integer >= 0 (the shared :func:`check_integer`)."""
    _scalar(value, name)
    return check_integer(value, name, low=0)


def _number(value: Any, name: str, *, positive: bool = True) -> float:
    """A clinical measurement: a finite real number (not a bool, not a string), > 0 (the shared
    :func:`check_positive`) or, unless ``positive``, >= 0 (:func:`check_number`)."""
    _scalar(value, name)
    if positive:
        return check_positive(value, name)
    return check_number(value, name, low=0.0)


#: A boolean option: True or False only (the shared :func:`check_flag`).
_flag = check_flag


#: Karnofsky performance status: 0-100 in steps of 10 (the one home of the rule; also
#: :func:`spinemets.instruments.check_kps`).
KPS_GRID = tuple(range(0, 101, 10))


def _kps(value: Any) -> int:
    """One KPS value: a number (not a bool or a string) on :data:`KPS_GRID`."""
    _scalar(value, "kps")
    check_on_grid(np.array([check_number(value, "kps")]), "kps", KPS_GRID, "KPS steps of 10")
    return int(value)


def _vector(func, items: dict, **options) -> pd.DataFrame | None:
    """Score many rows when items are pandas Series sharing one index (scalars are broadcast).

    Returns None when every item is a scalar (the caller scores one row).
    """
    series = {k: v for k, v in items.items() if isinstance(v, pd.Series)}
    if not series:
        return None
    index = next(iter(series.values())).index
    for k, v in series.items():
        if not v.index.equals(index):
            raise ValueError(
                f"{k} has a different index from {next(iter(series))}: align the Series "
                "first (rows are never paired by position when they carry labels)"
            )
    df = pd.DataFrame(
        {
            k: (
                v
                if isinstance(v, pd.Series)
                else pd.Series([v] * len(index), index=index, dtype=object)
            )
            for k, v in items.items()
        },
        index=index,
    )
    return _from_frame(df, func, list(items), None, **options)


#: Bands of each score: (lowest total, highest total, label, what the source says of the band).
BANDS: dict[str, list[tuple[int, int, str, str]]] = {
    "tokuhashi_revised": [
        (0, 8, "0-8", "predicted survival < 6 months: conservative treatment"),
        (
            9,
            11,
            "9-11",
            "predicted survival >= 6 months: palliative surgery (excisional if one "
            "lesion, no organ mets)",
        ),
        (12, 15, "12-15", "predicted survival >= 1 year: excisional surgery"),
    ],
    "tokuhashi_original": [
        (0, 5, "0-5", "predicted survival <= 3 months: palliative treatment"),
        (6, 8, "6-8", "intermediate (no prediction stated)"),
        (9, 12, "9-12", "predicted survival >= 12 months: excisional surgery"),
    ],
    "tomita": [
        (2, 3, "2-3", "long-term local control: wide or marginal excision"),
        (4, 5, "4-5", "middle-term local control: marginal or intralesional excision"),
        (6, 7, "6-7", "short-term palliation: palliative surgery"),
        (8, 10, "8-10", "terminal care: non-operative supportive care"),
    ],
    "sins": [
        (0, 6, "stable", "stable"),
        (
            7,
            12,
            "indeterminate",
            "indeterminate (possibly impending) instability: surgical consultation",
        ),
        (13, 18, "unstable", "unstable: surgical consultation"),
    ],
    "child_pugh": [
        (5, 6, "A", "well-compensated disease"),
        (7, 9, "B", "significant functional compromise"),
        (10, 15, "C", "decompensated disease"),
    ],
    "hcc_sm_gpa": [
        (0, 0, "low", "validation median OS 13.6 months, 1-year OS 58.3%"),
        (1, 2, "intermediate", "validation median OS 4.8 months, 1-year OS 17.8%"),
        (3, 4, "high", "validation median OS 2.6 months, 1-year OS 7.3%"),
    ],
}


def _group(total: int, bands: list[tuple[int, int, str, str]], score: str) -> tuple[str, str]:
    for low, high, group, meaning in bands:
        if low <= total <= high:
            return group, meaning
    raise ValueError(f"{score} total {total} outside its range")  # pragma: no cover


def band_of(score: str, total: Any) -> str:
    """The band label of a total under a score's source bands (see :data:`BANDS`).

    >>> band_of("tomita", 5)
    '4-5'
    """
    bands = _choice(score, "score", BANDS)
    t = _count(total, "total")
    lo, hi = bands[0][0], bands[-1][1]
    if not lo <= t <= hi:
        raise ValueError(f"total must be {lo}-{hi} for {score}, got {total!r}")
    return _group(t, bands, score)[0]


def _from_frame(
    df: pd.DataFrame, func, args: list[str], columns: Mapping[str, str] | None, **options
) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame, got {type(df).__name__}")
    cols = {a: a for a in args} | dict(columns or {})
    unknown = sorted(set(cols) - set(args))
    if unknown:
        raise ValueError(f"columns names unknown item(s) {unknown}; items are {args}")
    missing = [c for c in cols.values() if c not in df.columns]
    if missing:
        raise ValueError(
            f"data is missing column(s) {missing}; map items to columns with columns={{item: column}}"
        )
    rows = []
    for idx, row in df.iterrows():
        try:
            s = func(
                **{
                    a: (row[c].item() if hasattr(row[c], "item") else row[c])
                    for a, c in cols.items()
                },
                **options,
            )
        except ValueError as e:
            raise ValueError(f"row {idx!r}: {e}") from None
        rows.append({"total": s.total, "group": s.group})
    return pd.DataFrame(rows, index=df.index, columns=["total", "group"])
