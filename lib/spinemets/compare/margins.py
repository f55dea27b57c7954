"""Every table with given margins, and the attainable range of a paired test's p-value.

A paper that reports only the margins of a paired k x k table (e.g. pain relief in four
categories for 28 SRS and 28 RT patients) cannot be checked: the symmetry (Bowker), marginal
homogeneity (Stuart-Maxwell) and McNemar tests need the table of pairs. What the margins do fix
is the *set* of tables of pairs that are consistent with them; this module lists that set and
the range of p-values it allows.

References
----------
Bowker AH. A test for symmetry in contingency tables. J Am Stat Assoc 1948;43:572-574.
Stuart A. A test for homogeneity of the marginal distributions in a two-way classification.
Biometrika 1955;42:412-416.
Diaconis P, Gangolli A. Rectangular arrays with fixed margins. In: Discrete Probability and
Algorithms. New York: Springer, 1995:15-41 (counting tables with fixed margins).
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import ClassVar

import numpy as np
from scipy import stats

from .._results import Result
from .._validation import (
    check_choice,
    check_count_table,
    check_flag,
    check_positive_int,
    check_size,
    renamed_arguments,
)
from .paired import _DF_RULES, _bowker_terms, _stuart_maxwell_stat, mcnemar

#: Default largest number of tables :func:`tables_with_margins` builds (16 cells of int64 each:
#: about 260 MB for 4 x 4 tables at the limit).
MAX_TABLES = 2_000_000
_MAX_STATES = 2_000_000  # bound on distinct remaining-column states while counting


def _totals(x, name: str) -> np.ndarray:
    """One row of category totals, under the library's rule for counts."""
    if isinstance(x, (str, bytes)) or np.ndim(x) != 1:
        raise ValueError(f"{name} must be a one-dimensional sequence of counts, got {x!r}")
    arr = check_count_table(np.atleast_2d(np.asarray(x)), name, min_shape=(1, 2))
    if arr.shape[0] != 1:
        raise ValueError(f"{name} must be one-dimensional (one total per category)")
    return arr[0]


def _rows_with_sum(total: int, caps: np.ndarray) -> np.ndarray:
    """All rows of non-negative integers summing to ``total`` with entry j at most caps[j],
    in lexicographic order."""
    caps = np.asarray(caps, dtype=np.int64)
    if len(caps) == 1:
        return (
            np.array([[total]], dtype=np.int64) if total <= caps[0] else np.zeros((0, 1), np.int64)
        )
    ranges = [np.arange(min(int(c), total) + 1) for c in caps[:-1]]
    grid = np.stack(np.meshgrid(*ranges, indexing="ij"), axis=-1).reshape(-1, len(caps) - 1)
    last = total - grid.sum(axis=1)
    ok = (last >= 0) & (last <= caps[-1])
    return np.column_stack([grid[ok], last[ok]]).astype(np.int64)


def _check_margins(row_totals, col_totals) -> tuple[np.ndarray, np.ndarray]:
    rows = _totals(row_totals, "row_totals")
    cols = _totals(col_totals, "col_totals")
    if rows.sum() != cols.sum():
        raise ValueError(
            f"row_totals and col_totals must have the same sum; got "
            f"{int(rows.sum())} and {int(cols.sum())}"
        )
    return rows, cols


def count_tables_with_margins(row_totals, col_totals) -> int:
    """The number of tables of non-negative integers with these row and column totals.

    Counted by recursion over rows with memory of the remaining column totals (sorted: the
    count depends only on their multiset), without listing the tables.

    Raises
    ------
    ValueError
        Margins that are not whole non-negative numbers, whose sums differ, or so large that
        even counting would take too long (more than 2 million remaining-margin states).
    """
    rows, cols = _check_margins(row_totals, col_totals)
    crude = float(np.prod([min(int(c), int(rows.max())) + 1.0 for c in cols]))
    check_size(
        crude * len(rows),
        _MAX_STATES * 10,
        "row_totals and col_totals",
        "counting the tables with these margins",
    )

    @cache
    def count(i: int, state: tuple) -> int:
        if i == len(rows) - 1:
            return 1
        V = _rows_with_sum(int(rows[i]), np.array(state))
        rest = np.sort(np.array(state) - V, axis=1)
        keys, mult = np.unique(rest, axis=0, return_counts=True)
        return int(sum(int(m) * count(i + 1, tuple(int(v) for v in k)) for k, m in zip(keys, mult)))

    return count(0, tuple(int(c) for c in np.sort(cols)))


def tables_with_margins(row_totals, col_totals, max_tables: int = MAX_TABLES) -> np.ndarray:
    """Every table of non-negative integer counts with the given row and column totals.

    For a paired k x k table, rows are the categories of the first member of each pair (e.g.
    SRS), columns those of the second (e.g. RT), and the totals are the two arms' published
    counts per category.

    Parameters
    ----------
    row_totals, col_totals : sequence of int
        Whole non-negative counts with the same sum.
    max_tables : int
        Refuse (before building anything) if more tables than this exist.

    Returns
    -------
    numpy.ndarray of int64, shape (number of tables, len(row_totals), len(col_totals))
        In lexicographic order of the flattened tables (first row first).

    Raises
    ------
    ValueError
        Bad margins, or more than ``max_tables`` tables (the count is given).

    Examples
    --------
    >>> tables_with_margins([1, 1], [1, 1]).tolist()
    [[[0, 1], [1, 0]], [[1, 0], [0, 1]]]
    """
    max_tables = check_positive_int(max_tables, "max_tables")
    rows, cols = _check_margins(row_totals, col_totals)
    total = count_tables_with_margins(rows, cols)
    check_size(
        total,
        max_tables,
        "row_totals and col_totals (number of tables)",
        f"listing every table with these margins (there are {total:,}); raise max_tables "
        "if memory allows",
    )
    r, c = len(rows), len(cols)
    done = np.zeros((1, 0, c), dtype=np.int64)  # the first i rows of each partial table
    left = cols[None, :].astype(np.int64)  # remaining column totals
    for i in range(r - 1):
        keys, inv = np.unique(left, axis=0, return_inverse=True)
        inv = inv.ravel()
        order = np.argsort(inv, kind="stable")
        edges = np.r_[0, np.cumsum(np.bincount(inv, minlength=len(keys)))]
        new_done, new_left = [], []
        for g, key in enumerate(keys):
            sel = order[edges[g] : edges[g + 1]]
            V = _rows_with_sum(int(rows[i]), key)
            if len(V) == 0:
                continue
            new_done.append(
                np.concatenate(
                    [np.repeat(done[sel], len(V), axis=0), np.tile(V, (len(sel), 1))[:, None, :]],
                    axis=1,
                )
            )
            new_left.append(np.repeat(left[sel], len(V), axis=0) - np.tile(V, (len(sel), 1)))
        done, left = np.concatenate(new_done), np.concatenate(new_left)
    out = np.concatenate([done, left[:, None, :]], axis=1)
    flat = out.reshape(len(out), -1)
    out = out[np.lexsort(flat.T[::-1])]
    assert len(out) == total
    return out


def _p_values(tables: np.ndarray, test: str, df: str, exact: bool, correction: bool):
    """p-values (NaN where the test is undefined) and statistics of a stack of tables."""
    m, k = len(tables), tables.shape[1]
    if test == "bowker":
        sq, s = _bowker_terms(tables)
        stat = np.where(s > 0, sq / np.where(s > 0, s, 1), 0.0).sum(axis=1)
        dof = np.full(m, k * (k - 1) // 2) if df == "standard" else (s > 0).sum(axis=1)
        defined = s.sum(axis=1) > 0
    elif test == "stuart_maxwell":
        off = tables.sum(axis=(1, 2)) - np.trace(tables, axis1=1, axis2=2)
        defined = off > 0
        stat, rank = _stuart_maxwell_stat(tables)
        dof = np.full(m, k - 1) if df == "standard" else rank
    else:
        stat, p = np.full(m, np.nan), np.full(m, np.nan)
        defined = (tables[:, 0, 1] + tables[:, 1, 0]) > 0
        for idx in np.nonzero(defined)[0]:
            res = mcnemar(tables[idx], exact=exact, correction=correction)
            stat[idx], p[idx] = res.statistic, res.p_value
        return p, stat, defined
    dof_safe = np.maximum(dof, 1)
    p = np.where(defined & (dof > 0), stats.chi2.sf(stat, dof_safe), np.nan)
    return p, np.where(defined, stat, np.nan), defined


@dataclasses.dataclass(frozen=True, repr=False)
class AttainableResult(Result):
    """The range of a paired test's p-value over every table of pairs with given margins."""

    _title: ClassVar[str] = "Attainable p-values under fixed margins"
    test: str
    df_rule: str
    n_tables: int
    n_undefined: int
    p_min: float
    p_max: float
    table_min: np.ndarray
    table_max: np.ndarray
    p_values: np.ndarray = dataclasses.field(default=None)
    tables: np.ndarray = dataclasses.field(default=None)

    def _split(self):
        scalars, tables = super()._split()
        drop = {"p_values", "tables"}  # too long to print; read them as attributes
        return scalars, [(k, v) for k, v in tables if k not in drop]


@renamed_arguments(df="df_rule")
def attainable_p(
    row_totals,
    col_totals,
    test: str = "bowker",
    df_rule: str = "standard",
    exact: bool = True,
    correction: bool = True,
    max_tables: int = MAX_TABLES,
) -> AttainableResult:
    """Smallest and largest p-value of a paired test over every table with these margins.

    Lists every k x k table of pairs whose row totals (first member's categories, e.g. SRS) and
    column totals (second member's, e.g. RT) are the published ones
    (:func:`tables_with_margins`), runs the test on each and reports the range.

    Parameters
    ----------
    row_totals, col_totals : sequence of int
        The two arms' counts per category; same number of categories, same sum (the number of
        pairs).
    test : {"bowker", "stuart_maxwell", "mcnemar"}
        Bowker's symmetry test (:func:`bowker`), Stuart-Maxwell marginal homogeneity
        (:func:`stuart_maxwell`), or McNemar's test (2 x 2 only, :func:`mcnemar`).
    df_rule : {"standard", "reduced"}
        Degrees-of-freedom rule of Bowker and Stuart-Maxwell (see those functions; ``df``, its
        former name, is deprecated).
    exact, correction : bool
        Passed to :func:`mcnemar`.
    max_tables : int
        Refuse if more tables than this exist.

    Returns
    -------
    AttainableResult
        ``n_tables``, ``n_undefined`` (tables without discordant pairs, where the test is
        undefined), ``p_min`` and ``p_max`` with the first table (in lexicographic order)
        reaching each (``table_min``, ``table_max``), and every ``p_values`` (NaN where
        undefined) aligned with ``tables``.

    Raises
    ------
    ValueError
        Bad margins, a number of categories that does not fit the test, or too many tables.

    Examples
    --------
    >>> r = attainable_p([6, 12, 7, 3], [3, 13, 10, 2])   # doctest: +SKIP
    >>> r.n_tables, round(r.p_min, 4), round(r.p_max, 2)   # doctest: +SKIP
    """
    test = check_choice(test, "test", ("bowker", "stuart_maxwell", "mcnemar"))
    df = check_choice(df_rule, "df_rule", _DF_RULES)
    exact, correction = check_flag(exact, "exact"), check_flag(correction, "correction")
    rows, cols = _check_margins(row_totals, col_totals)
    if len(rows) != len(cols):
        raise ValueError(
            f"row_totals and col_totals must have the same number of categories "
            f"for a paired test; got {len(rows)} and {len(cols)}"
        )
    if test == "mcnemar" and len(rows) != 2:
        raise ValueError(
            f"test='mcnemar' needs 2 categories, got {len(rows)}; use 'bowker' or 'stuart_maxwell'"
        )
    tabs = tables_with_margins(rows, cols, max_tables=max_tables)
    p, _, defined = _p_values(tabs, test, df, exact, correction)
    if not defined.any():
        raise ValueError(
            "no table with these margins has a discordant pair: the test is "
            "undefined for all of them"
        )
    i_min, i_max = int(np.nanargmin(p)), int(np.nanargmax(p))
    return AttainableResult(
        test,
        df,
        len(tabs),
        int((~defined).sum()),
        float(p[i_min]),
        float(p[i_max]),
        tabs[i_min],
        tabs[i_max],
        p,
        tabs,
    )


__all__ = [
    "MAX_TABLES",
    "count_tables_with_margins",
    "tables_with_margins",
    "AttainableResult",
    "attainable_p",
]
