"""Log-rank tests: two or more groups, stratified, pairwise (R ``survdiff``).

References
----------
Mantel N. Evaluation of survival data and two new rank order statistics arising in its
consideration. Cancer Chemother Rep 1966;50:163-170.
Peto R, Peto J. Asymptotically efficient rank invariant test procedures. J R Stat Soc A
1972;135:185-207.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from .._results import Result, TestResult
from .._validation import check_choice, check_same_length, factorize_labels
from .km import _aligned, _inputs

__all__ = [
    "logrank",
    "stratified_logrank",
    "pairwise_logrank",
    "LogrankResult",
    "PairwiseLogrankResult",
]


@dataclasses.dataclass(frozen=True, repr=False)
class LogrankResult(TestResult):
    """Log-rank test: chi-square statistic, df, p-value and observed/expected per group."""

    _title: ClassVar[str] = "Log-rank test"
    table: pd.DataFrame = dataclasses.field(default=None)


@dataclasses.dataclass(frozen=True, repr=False)
class PairwiseLogrankResult(Result):
    """Log-rank tests for every pair of groups: ``table`` with one row per pair (``group1``,
    ``group2``, ``n1``, ``n2``, ``statistic``, ``p_value`` and, when adjusted, ``p_adjusted``).

    The table's columns and DataFrame methods are reachable on the result itself
    (``result.p_value``, ``result.iterrows()``, ``len(result)``), so code written for the
    DataFrame this function used to return keeps working.
    """

    _title: ClassVar[str] = "Pairwise log-rank tests"
    adjust: str
    n_comparisons: int
    table: pd.DataFrame = dataclasses.field(default=None)

    def __getattr__(self, name):
        if name.startswith("__") or name == "table":
            raise AttributeError(name)
        return getattr(self.table, name)

    def __getitem__(self, key):
        return self.table[key]

    def __len__(self) -> int:
        return len(self.table)


def _logrank_core(t, e, g_codes, k, s_codes):
    """Observed, expected and variance matrix summed over strata (vectorised)."""
    # one integer key per (stratum, time): a single sort, and counts by bincount (no one-hot)
    _, t_rank = np.unique(t, return_inverse=True)
    M = int(t_rank.max()) + 1
    key = s_codes.astype(np.int64) * M + t_rank.reshape(-1)
    n_keys = (int(s_codes.max()) + 1) * M
    if n_keys <= 4 * len(key) + 1024:  # few strata: every (stratum, time) cell directly
        ukey, cell = np.arange(n_keys), key
    else:  # many strata: only the occupied cells
        ukey, cell = np.unique(key, return_inverse=True)
        cell = cell.reshape(-1)
    n_cells = len(ukey)
    flat = cell * k + g_codes
    n_at = np.bincount(flat, minlength=n_cells * k).reshape(n_cells, k).astype(float)
    d_at = np.bincount(flat, weights=e, minlength=n_cells * k).reshape(n_cells, k)
    strata_of = ukey // M
    # at risk = reverse cumulative sum within stratum
    rev = np.cumsum(n_at[::-1], axis=0)[::-1]
    last_in_stratum = np.r_[strata_of[1:] != strata_of[:-1], True]
    # the reverse cumsum of the *next* stratum must be removed: value at each stratum's end + 1
    next_total = np.zeros_like(rev)
    end_idx = np.nonzero(last_in_stratum)[0]
    after = np.zeros((len(end_idx), k))
    after[:-1] = rev[end_idx[:-1] + 1]
    seg = np.repeat(np.arange(len(end_idx)), np.diff(np.r_[-1, end_idx]))
    next_total = after[seg]
    n_risk = rev - next_total
    N = n_risk.sum(axis=1)
    D = d_at.sum(axis=1)
    m = D > 0
    n_risk, d_at, N, D = n_risk[m], d_at[m], N[m], D[m]
    frac = n_risk / N[:, None]
    observed = d_at.sum(axis=0)
    expected = (D[:, None] * frac).sum(axis=0)
    w = np.where(N > 1, D * (N - D) / np.maximum(N - 1, 1), 0.0)
    V = np.einsum("t,tg->g", w, frac)
    V = np.diag(V) - np.einsum("t,tg,th->gh", w, frac, frac)
    return observed, expected, V


def _logrank(durations, events, groups, strata, title):
    durations, events, groups, strata = _aligned(
        durations=durations, events=events, groups=groups, strata=strata
    )
    t, e = _inputs(durations, events)
    g_codes, levels = factorize_labels(groups, "groups", min_levels=2, sort=True)
    check_same_length(durations=t, groups=g_codes)
    if e.sum() == 0:
        raise ValueError(
            "events: no events in the data (every row is censored); the log-rank "
            "test compares observed with expected events and has nothing to compare"
        )
    if strata is None:
        s_codes = np.zeros(len(t), dtype=np.int64)
    else:
        # strata coded by value, never through str(): 1 and "1" are two strata
        s_codes, _ = factorize_labels(strata, "strata")
        check_same_length(durations=t, strata=s_codes)
    k = len(levels)
    O, E, V = _logrank_core(t, e.astype(float), g_codes, k, s_codes)
    diff = O - E
    Vr = V[:-1, :-1]
    if np.allclose(V, 0):
        if strata is not None:
            raise ValueError(
                "strata: no stratum holds two groups at risk at an event time (e.g. every stratum "
                "holds one group), so the stratified test compares nothing; check the pairing"
            )
        raise ValueError(
            "groups: no event time has two groups at risk; the test has no information"
        )
    try:
        stat = float(diff[:-1] @ np.linalg.solve(Vr, diff[:-1]))
    except np.linalg.LinAlgError:
        stat = float(diff[:-1] @ np.linalg.pinv(Vr) @ diff[:-1])
    df = int(np.linalg.matrix_rank(Vr)) if k > 2 else 1
    p = float(stats.chi2.sf(stat, df))
    N = np.bincount(g_codes, minlength=k)
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame(
            {
                "N": N,
                "observed": O,
                "expected": E,
                "(O-E)^2/E": diff**2 / E,
                "(O-E)^2/V": diff**2 / np.diag(V),
            },
            index=pd.Index(levels, name="group"),
        )
    return LogrankResult(title, stat, df, p, table)


def logrank(durations, events, groups) -> LogrankResult:
    """Log-rank test of equal survival in two or more groups (R ``survdiff``, rho = 0).

    Parameters
    ----------
    durations, events : array-like
    groups : array-like
        Group labels, at least two distinct levels.

    Returns
    -------
    LogrankResult
        ``statistic`` (chi-square), ``df`` (groups - 1), ``p_value``, and ``table`` with N,
        observed and expected events per group, as R prints.

    Raises
    ------
    ValueError
        No events (nothing to compare), fewer than two groups, invalid inputs; pandas Series
        with different index labels (Series are paired by label).

    References
    ----------
    Mantel N. Cancer Chemother Rep 1966;50:163-170. Peto R, Peto J. J R Stat Soc A 1972;135:185-207.
    """
    return _logrank(durations, events, groups, None, "log-rank")


def stratified_logrank(durations, events, groups, strata) -> LogrankResult:
    """Stratified log-rank test (R ``survdiff(Surv(t, e) ~ group + strata(s))``).

    Observed minus expected events and their variance are computed within each stratum and then
    summed, so groups are compared only with each other inside a stratum: for matched pairs,
    ``strata`` is the pair id (paper B). Not the same as lifelines' suggestion of a stratified Cox
    likelihood-ratio test, which gives different numbers.

    Parameters
    ----------
    durations, events, groups : array-like
        As :func:`logrank`.
    strata : array-like
        Stratum of each row (e.g. the pair id). Labels are compared by value, never through
        ``str()``: the integer 1 and the string "1" are two strata (mixed types stay distinct).

    Returns
    -------
    LogrankResult

    Raises
    ------
    ValueError
        No events, or no stratum holding two groups at risk at an event time (e.g. every
        stratum holds one group: the test would compare nothing), and the cases of
        :func:`logrank`.

    References
    ----------
    Mantel N. Cancer Chemother Rep 1966;50:163-170. Therneau TM, Grambsch PM. Modeling Survival
    Data. Springer, 2000 (section 3.6).
    """
    return _logrank(durations, events, groups, strata, "stratified log-rank")


def pairwise_logrank(durations, events, groups, adjust: str | None = None) -> PairwiseLogrankResult:
    """Log-rank tests for every pair of groups (paper A compares risk groups A-D pairwise).

    Parameters
    ----------
    adjust : {None, "bonferroni", "holm"}
        Multiplicity adjustment added as ``p_adjusted``. Paper A reported unadjusted p-values.

    Returns
    -------
    PairwiseLogrankResult
        ``table`` with ``group1``, ``group2``, ``n1``, ``n2``, ``statistic``, ``p_value`` (and
        ``p_adjusted``); the table's columns are also attributes of the result.

    Raises
    ------
    ValueError
        As :func:`logrank`, for any pair (e.g. a pair of groups without events).

    References
    ----------
    Holm S. A simple sequentially rejective multiple test procedure. Scand J Stat 1979;6:65-70.
    """
    if adjust is not None:
        adjust = check_choice(adjust, "adjust", ("bonferroni", "holm"))
    durations, events, groups = _aligned(durations=durations, events=events, groups=groups)
    t, e = _inputs(durations, events)
    codes, levels = factorize_labels(groups, "groups", min_levels=2, sort=True)
    check_same_length(durations=t, groups=codes)
    rows = []
    for i, j in itertools.combinations(range(len(levels)), 2):
        m = (codes == i) | (codes == j)
        r = logrank(t[m], e[m], codes[m])
        rows.append(
            {
                "group1": levels[i],
                "group2": levels[j],
                "n1": int((codes == i).sum()),
                "n2": int((codes == j).sum()),
                "statistic": r.statistic,
                "p_value": r.p_value,
            }
        )
    out = pd.DataFrame(rows)
    if adjust:
        p = out.p_value.to_numpy()
        m = len(p)
        if adjust == "bonferroni":
            out["p_adjusted"] = np.minimum(p * m, 1.0)
        else:
            order = np.argsort(p)
            adj = np.maximum.accumulate((m - np.arange(m)) * p[order])
            res = np.empty(m)
            res[order] = np.minimum(adj, 1.0)
            out["p_adjusted"] = res
    return PairwiseLogrankResult(adjust or "none", len(out), out)
