"""ROC: Youden cutoff, DeLong AUC, two cutoffs chosen by likelihood ratio, and the simulation
that shows why a data-driven cutoff is optimistic.

References
----------
Youden WJ. Index for rating diagnostic tests. Cancer 1950;3:32-35.
DeLong ER, DeLong DM, Clarke-Pearson DL. Comparing the areas under two or more correlated
receiver operating characteristic curves: a nonparametric approach. Biometrics 1988;44:837-845.
Sun X, Xu W. Fast implementation of DeLong's algorithm for comparing the areas under correlated
receiver operating characteristic curves. IEEE Signal Process Lett 2014;21:1389-1393.
Lausen B, Schumacher M. Maximally selected rank statistics. Biometrics 1992;48:73-85.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from .._results import Result
from .._validation import (
    align_series,
    as_float_array,
    check_choice,
    check_durations,
    check_events,
    check_number,
    check_open_interval,
    check_positive_int,
    check_same_length,
    check_size,
    level_from_alpha,
    renamed_arguments,
)

#: two_cutoffs evaluates at most this many (pair of cutoffs) x (event time) cells, in chunks:
#: about 10 s on one core. Beyond it, pass fewer ``cutoffs`` (e.g. quantiles).
MAX_TWO_CUTOFF_CELLS = 200_000_000


def _values_outcome(values, outcome):
    """values and a 0/1 outcome as arrays; Series are paired by label (the library's rule)."""
    aligned, _ = align_series({"values": values, "outcome": outcome})
    v = as_float_array(aligned["values"], "values")
    o = as_float_array(aligned["outcome"], "outcome", allow_bool=True)
    check_same_length(values=v, outcome=o)
    if not np.isin(o, (0, 1)).all():
        raise ValueError("outcome must be 0 or 1")
    return v, o.astype(int)


def _delong(v: np.ndarray, o: np.ndarray, level: float) -> tuple[float, float, float, float]:
    pos, neg = v[o == 1], v[o == 0]
    m, n = len(pos), len(neg)
    if m < 2 or n < 2:
        raise ValueError("outcome needs at least 2 positives and 2 negatives")
    if np.ptp(v) == 0:
        raise ValueError(
            "values are constant: the AUC is 0.5 by definition and has no standard "
            "error (the marker cannot separate anyone)"
        )
    # placement values from midranks (Sun & Xu 2014): O(n log n) time and O(n) memory
    tz = stats.rankdata(np.r_[pos, neg])
    v10 = (tz[:m] - stats.rankdata(pos)) / n  # share of negatives below each positive
    v01 = 1.0 - (tz[m:] - stats.rankdata(neg)) / m  # share of positives above each negative
    auc = float(v10.mean())
    se = math.sqrt(v10.var(ddof=1) / m + v01.var(ddof=1) / n)
    z = stats.norm.ppf(1 - (1 - level) / 2)
    return auc, se, max(0.0, auc - z * se), min(1.0, auc + z * se)


@dataclasses.dataclass(frozen=True, repr=False)
class AUCResult(Result):
    """The AUC with its DeLong standard error and Wald confidence interval.

    Unpacks as the former tuple: ``auc, se, lower, upper = delong_auc(values, outcome)``.
    """

    _title: ClassVar[str] = "AUC (DeLong)"
    auc: float
    se: float
    lower: float
    upper: float
    level: float
    n_positive: int
    n_negative: int

    def __iter__(self):
        yield from (self.auc, self.se, self.lower, self.upper)

    def __getitem__(self, i):
        return (self.auc, self.se, self.lower, self.upper)[i]

    def __len__(self) -> int:
        return 4


@renamed_arguments(alpha=("level", level_from_alpha))
def delong_auc(values, outcome, level: float = 0.95) -> AUCResult:
    """AUC with its DeLong standard error and confidence interval.

    AUC = P(value of a positive > value of a negative) + 0.5 P(tie), i.e. U / (n1 n0). The
    DeLong placement values are computed from midranks (Sun & Xu 2014), in O(n log n) time and
    O(n) memory, so n = 1e6 takes about a second.

    Parameters
    ----------
    values : array-like or pandas Series
        The marker; higher values are taken to indicate the outcome.
    outcome : array-like or pandas Series of 0/1
        Two Series are paired by index label, arrays by position.
    level : float
        Confidence level of the Wald interval (clipped to [0, 1]), in (0, 1); default 0.95.
        (``alpha``, its former name as 1 - level, is accepted with a DeprecationWarning.)

    Returns
    -------
    AUCResult
        ``auc``, ``se``, ``lower``, ``upper``, ``level``, ``n_positive``, ``n_negative``; it
        prints readably and unpacks as ``auc, se, lower, upper`` (the former tuple).

    Raises
    ------
    ValueError
        Missing or infinite values, an outcome other than 0/1, or fewer than 2 positives or
        2 negatives.

    References
    ----------
    DeLong ER, et al. Biometrics 1988;44:837-845. Sun X, Xu W. IEEE Signal Process Lett
    2014;21:1389-1393.
    """
    level = check_open_interval(level, "level")
    v, o = _values_outcome(values, outcome)
    auc, se, lo, hi = _delong(v, o, level)
    return AUCResult(auc, se, lo, hi, level, int((o == 1).sum()), int((o == 0).sum()))


@dataclasses.dataclass(frozen=True, repr=False)
class CutoffResult(Result):
    """The Youden cutoff with its sensitivity, specificity and the AUC (DeLong CI)."""

    _title: ClassVar[str] = "ROC cutoff (Youden)"
    cutoff: float
    sensitivity: float
    specificity: float
    youden_j: float
    auc: float
    auc_se: float
    auc_lower: float
    auc_upper: float
    direction: str
    roc: pd.DataFrame = dataclasses.field(default=None)


@renamed_arguments(alpha=("level", level_from_alpha))
def youden_cutoff(values, outcome, direction: str = "higher", level: float = 0.95) -> CutoffResult:
    """The cutoff maximising Youden's J = sensitivity + specificity - 1, with the AUC (DeLong CI).

    Convention: with ``direction="higher"`` a value is called positive if ``value >= cutoff``;
    candidate cutoffs are the observed values except the lowest, which would call everyone
    positive (SPSS lists midpoints between them, so its printed cutoff can differ by half a
    step). Ties in J are broken by the lowest cutoff. ``direction="lower"`` calls values
    <= cutoff positive.

    Parameters
    ----------
    values, outcome : array-like or pandas Series
        Marker and 0/1 outcome; two Series are paired by index label.
    direction : {"higher", "lower"}
    level : float
        Confidence level of the AUC interval, in (0, 1); default 0.95 (``alpha`` = 1 - level
        is the former, deprecated argument).

    Returns
    -------
    CutoffResult
        ``cutoff``, ``sensitivity``, ``specificity``, ``youden_j``, ``auc`` with ``auc_se``,
        ``auc_lower``, ``auc_upper``, and the full ``roc`` table.

    References
    ----------
    Youden WJ. Cancer 1950;3:32-35.
    """
    direction = check_choice(direction, "direction", ("higher", "lower"))
    level = check_open_interval(level, "level")
    v, o = _values_outcome(values, outcome)
    s = v if direction == "higher" else -v
    cuts = np.unique(s)[1:]  # the lowest value would call everyone positive: not a cutoff
    if len(cuts) == 0:
        raise ValueError("values must take at least two distinct values")
    pos = np.sort(s[o == 1])
    neg = np.sort(s[o == 0])
    if len(pos) == 0 or len(neg) == 0:
        raise ValueError("outcome must contain both 0 and 1")
    tp = len(pos) - np.searchsorted(pos, cuts, side="left")  # positives >= cutoff
    tn = np.searchsorted(neg, cuts, side="left")  # negatives < cutoff
    sens, spec = tp / len(pos), tn / len(neg)
    # J from integer counts, so that equal J values tie exactly (the lowest cutoff wins)
    j = (tp * len(neg) + tn * len(pos) - len(pos) * len(neg)) / (len(pos) * len(neg))
    i = int(np.argmax(j))
    auc, se, lo, hi = _delong(s, o, level)
    shown = cuts if direction == "higher" else -cuts
    roc = pd.DataFrame({"cutoff": shown, "sensitivity": sens, "specificity": spec, "youden_j": j})
    return CutoffResult(
        float(shown[i]),
        float(sens[i]),
        float(spec[i]),
        float(j[i]),
        auc,
        se,
        lo,
        hi,
        direction,
        roc,
    )


@dataclasses.dataclass(frozen=True, repr=False)
class CutoffSimulationResult(Result):
    """How often a Youden cutoff on pure noise gives a 'significant' 2 x 2 table."""

    _title: ClassVar[str] = "Data-driven cutoff on null data"
    n_patients: int
    n_sim: int
    seed: int
    sig_level: float
    method: str
    n_significant: int
    rate: float


@renamed_arguments(alpha="sig_level")
def null_cutoff_simulation(
    n_patients: int, n_sim: int, seed: int, sig_level: float = 0.05, method: str = "pearson"
) -> CutoffSimulationResult:
    """Type I error of testing a 2 x 2 table defined by a Youden cutoff chosen on the same data.

    Each simulated data set has ``n_patients`` patients with a marker drawn from N(0, 1) and an
    outcome drawn 0/1 with probability 1/2, independently (the null hypothesis holds). The
    Youden cutoff is chosen (:func:`youden_cutoff`), the patients are split at it, and the
    2 x 2 table (marker >= cutoff, outcome) is tested with :func:`independence` as if the
    cutoff had been fixed in advance. The share of tests with p < ``sig_level`` estimates the
    real type I error; it is far above ``sig_level`` because the cutoff was chosen to separate
    the groups.

    Parameters
    ----------
    n_patients : int
        Patients per data set (at least 4).
    n_sim : int
        Number of data sets.
    seed : int
        Seed of ``numpy.random.default_rng``; per data set the marker is drawn first, then the
        outcome.
    sig_level : float
        Significance level of each test (``alpha``, its former name, is deprecated).
    method : {"pearson", "yates", "fisher"}
        The test of the 2 x 2 table. A data set whose table has an empty row or column (every
        outcome the same) counts as not significant.

    Returns
    -------
    CutoffSimulationResult
        ``n_significant`` of ``n_sim`` and their ``rate``.

    References
    ----------
    Altman DG, Lausen B, Sauerbrei W, Schumacher M. Dangers of using "optimal" cutpoints in the
    evaluation of prognostic factors. J Natl Cancer Inst 1994;86:829-835.
    """
    from .contingency import independence

    n_patients = check_positive_int(n_patients, "n_patients")
    if n_patients < 4:
        raise ValueError(f"n_patients must be >= 4, got {n_patients}")
    n_sim = check_positive_int(n_sim, "n_sim")
    check_size(n_sim * n_patients, 5_000_000, "n_sim * n_patients", "this simulation")
    seed = int(check_number(seed, "seed", low=0, integer=True))
    sig_level = check_open_interval(sig_level, "sig_level")
    method = check_choice(method, "method", ("pearson", "yates", "fisher"))
    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(n_sim):
        x = rng.normal(size=n_patients)
        y = rng.integers(0, 2, n_patients)
        if y.min() == y.max():
            continue
        c = youden_cutoff(x, y).cutoff
        table = [
            [np.sum((x >= c) & (y == 1)), np.sum((x >= c) & (y == 0))],
            [np.sum((x < c) & (y == 1)), np.sum((x < c) & (y == 0))],
        ]
        hits += independence(table, method=method).p_value < sig_level
    return CutoffSimulationResult(
        n_patients, n_sim, seed, sig_level, method, int(hits), hits / n_sim
    )


@dataclasses.dataclass(frozen=True, repr=False)
class TwoCutoffResult(Result):
    """The pair of cutoffs with the largest Cox likelihood-ratio statistic (optimistic)."""

    _title: ClassVar[str] = "Two cutoffs by likelihood ratio (optimistic)"
    lower_cutoff: float
    upper_cutoff: float
    lr_statistic: float
    naive_p_value: float
    group_sizes: tuple
    cutoffs: pd.DataFrame = dataclasses.field(default=None)

    @property
    def candidates(self) -> pd.DataFrame:
        """Former name of :attr:`cutoffs` (kept for one release)."""
        return self.cutoffs


def _cox_two_groups_lr(n1, n2, n3, d1, d2, d3, iters: int = 60):
    """LR statistics of Cox models with indicators of groups 2 and 3 (Breslow ties), for a
    stack of groupings at once.

    With group-constant covariates the Breslow partial log-likelihood depends on the data only
    through the numbers at risk ``n_g`` and of deaths ``d_g`` of each group at each event time
    (arrays of shape (pairs, event times)):
    ``sum_t d2 b2 + d3 b3 - d log(n1 + n2 e^b2 + n3 e^b3)``. Newton's method with step halving,
    vectorised over pairs; a group without deaths has its coefficient pushed towards -inf,
    where the LR statistic converges to its supremum.
    """
    d = d1 + d2 + d3
    D2, D3 = d2.sum(axis=1), d3.sum(axis=1)
    n_all = n1 + n2 + n3
    with np.errstate(divide="ignore", invalid="ignore"):
        ll0 = -(d * np.log(np.where(d > 0, n_all, 1.0))).sum(axis=1)

    def loglik(rows, b2, b3):
        s = n1[rows] + n2[rows] * np.exp(b2)[:, None] + n3[rows] * np.exp(b3)[:, None]
        dd = d[rows]
        with np.errstate(divide="ignore"):
            return (
                D2[rows] * b2 + D3[rows] * b3 - (dd * np.log(np.where(dd > 0, s, 1.0))).sum(axis=1)
            )

    P = len(D2)
    b2, b3 = np.zeros(P), np.zeros(P)
    ll = loglik(np.arange(P), b2, b3)
    act = np.arange(P)  # pairs still moving
    for _ in range(iters):
        if len(act) == 0:
            break
        a1, a2, a3, dA = n1[act], n2[act], n3[act], d[act]
        e2, e3 = np.exp(b2[act])[:, None], np.exp(b3[act])[:, None]
        s = a1 + a2 * e2 + a3 * e3
        w2 = np.divide(a2 * e2, s, out=np.zeros_like(s), where=s > 0)
        w3 = np.divide(a3 * e3, s, out=np.zeros_like(s), where=s > 0)
        g2, g3 = D2[act] - (dA * w2).sum(axis=1), D3[act] - (dA * w3).sum(axis=1)
        h22 = (dA * (w2 - w2**2)).sum(axis=1)
        h33 = (dA * (w3 - w3**2)).sum(axis=1)
        h23 = -(dA * w2 * w3).sum(axis=1)
        det = h22 * h33 - h23**2
        ok = det > 1e-12 * np.maximum(h22 * h33, 1e-300)
        s2 = np.where(ok, (h33 * g2 - h23 * g3) / np.where(ok, det, 1), 0.0)
        s3 = np.where(ok, (h22 * g3 - h23 * g2) / np.where(ok, det, 1), 0.0)
        # singular information (e.g. a group without deaths): a step on each coefficient alone
        s2 = np.where(ok, s2, np.where(h22 > 0, g2 / np.maximum(h22, 1e-12), np.sign(g2)))
        s3 = np.where(ok, s3, np.where(h33 > 0, g3 / np.maximum(h33, 1e-12), np.sign(g3)))
        s2, s3 = np.clip(s2, -5, 5), np.clip(s3, -5, 5)
        step = np.ones(len(act))
        old = ll[act]
        new = loglik(act, b2[act] + s2, b3[act] + s3)
        for _ in range(30):  # halve steps that lower the likelihood
            bad = ~(new >= old - 1e-12)
            if not bad.any():
                break
            step = np.where(bad, step / 2, step)
            sub = np.nonzero(bad)[0]
            new[sub] = loglik(
                act[sub], b2[act[sub]] + step[sub] * s2[sub], b3[act[sub]] + step[sub] * s3[sub]
            )
        bad = ~(new >= old - 1e-12)
        step = np.where(bad, 0.0, step)
        b2[act] = np.clip(b2[act] + step * s2, -50, 50)
        b3[act] = np.clip(b3[act] + step * s3, -50, 50)
        ll[act] = np.where(bad, old, new)
        act = act[~bad & (np.abs(new - old) >= 1e-11)]
    return 2 * (ll - ll0)


@renamed_arguments(candidates="cutoffs")
def two_cutoffs(
    values, durations, events, cutoffs: Sequence[float] | None = None, min_group: int = 10
) -> TwoCutoffResult:
    """Choose two contiguous cutoffs c1 < c2 (groups <= c1, (c1, c2], > c2) maximising the
    likelihood-ratio statistic of a Cox model with two group indicators (paper A's method).

    The search is over ``cutoffs`` (default: the distinct observed values), keeping groups of
    at least ``min_group`` patients. **The result is optimistic**: the maximised statistic is not
    chi-square distributed, so ``naive_p_value`` (chi-square, 2 df) is too small; the effect will
    shrink in new data. Correct with maximally selected statistics (Lausen & Schumacher 1992),
    a permutation test over the whole search, or validate in independent data.

    Every pair is fitted (Breslow ties, as statsmodels ``PHReg(ties="breslow")``) from the
    numbers at risk and of deaths per group at each event time, which cumulative counts over
    the sorted values give for all pairs at once: the cost is (number of pairs) x (number of
    distinct event times), polynomial, about 1 s for 160 candidates and 200 patients.

    Parameters
    ----------
    values : array-like or pandas Series
        The continuous variable (e.g. BED).
    durations, events : array-like or pandas Series
        Follow-up time and event indicator (0/1). Series are paired by index label.
    cutoffs : sequence of float, optional
        Candidate cutoffs; default the distinct values.
    min_group : int
        Smallest group size allowed (>= 1).

    Returns
    -------
    TwoCutoffResult
        The best pair, its LR statistic, the naive p-value, the group sizes and the table of all
        admissible pairs (``cutoffs``; ``candidates``, its former name, is kept one release),
        sorted by LR.

    Raises
    ------
    ValueError
        Bad inputs (naming the argument), no admissible pair, or more than
        :data:`MAX_TWO_CUTOFF_CELLS` pair-by-event-time cells (pass fewer cutoffs).

    References
    ----------
    Lausen B, Schumacher M. Biometrics 1992;48:73-85. Breslow NE. Covariance analysis of
    censored survival data. Biometrics 1974;30:89-99.
    """
    aligned, _ = align_series({"values": values, "durations": durations, "events": events})
    v = as_float_array(aligned["values"], "values")
    t = check_durations(aligned["durations"])
    e = check_events(aligned["events"])
    check_same_length(values=v, durations=t, events=e)
    min_group = int(check_number(min_group, "min_group", low=1, integer=True))
    cands = np.unique(v) if cutoffs is None else np.unique(as_float_array(cutoffs, "cutoffs"))
    if e.sum() == 0:
        raise ValueError("events has no event (all 0): the likelihood-ratio statistic is undefined")
    # bins: b_i = number of candidates below v_i, so v_i <= cands[j] iff b_i <= j
    b = np.searchsorted(cands, v, side="left")
    times = np.unique(t[e == 1])  # distinct event times
    r = np.searchsorted(times, t, side="right")  # at risk at event times 1..r_i
    K, T = len(cands), len(times)
    at = np.zeros((K + 1, T + 2))
    np.add.at(at, (b, r), 1.0)
    # at_risk[j, s] = # patients with b <= j and r >= s + 1 (event time s, 0-based)
    at_risk = np.cumsum(at, axis=0)[:, ::-1].cumsum(axis=1)[:, ::-1][:, 1 : T + 1]
    dd = np.zeros((K + 1, T + 1))
    np.add.at(dd, (b[e == 1], r[e == 1]), 1.0)
    deaths = np.cumsum(dd, axis=0)[:, 1 : T + 1]
    size_le = np.cumsum(np.bincount(b, minlength=K + 1))  # # with v <= cands[j]
    n = len(v)
    j1, j2 = np.triu_indices(K, 1)
    ok = (
        (size_le[j1] >= min_group)
        & (size_le[j2] - size_le[j1] >= min_group)
        & (n - size_le[j2] >= min_group)
    )
    j1, j2 = j1[ok], j2[ok]
    if len(j1) == 0:
        raise ValueError(
            f"no pair of candidate cutoffs leaves every group with >= {min_group} patients"
        )
    check_size(
        float(len(j1)) * T,
        MAX_TWO_CUTOFF_CELLS,
        "cutoffs (pairs x event times)",
        "the two-cutoff search; pass fewer cutoffs, e.g. quantiles of values",
    )
    tot_r, tot_d = at_risk[K], deaths[K]
    lr = np.empty(len(j1))
    chunk = max(1, 2_000_000 // max(T, 1))
    for s in range(0, len(j1), chunk):
        a1, a2 = j1[s : s + chunk], j2[s : s + chunk]
        n1, n12 = at_risk[a1], at_risk[a2]
        d1, d12 = deaths[a1], deaths[a2]
        lr[s : s + chunk] = _cox_two_groups_lr(n1, n12 - n1, tot_r - n12, d1, d12 - d1, tot_d - d12)
    tab = pd.DataFrame(
        {
            "lower_cutoff": cands[j1],
            "upper_cutoff": cands[j2],
            "n_low": size_le[j1],
            "n_mid": size_le[j2] - size_le[j1],
            "n_high": n - size_le[j2],
            "lr": lr,
        }
    )
    tab = tab.sort_values("lr", ascending=False, kind="mergesort").reset_index(drop=True)
    best = tab.iloc[0]
    return TwoCutoffResult(
        float(best.lower_cutoff),
        float(best.upper_cutoff),
        float(best.lr),
        float(stats.chi2.sf(best.lr, 2)),
        (int(best.n_low), int(best.n_mid), int(best.n_high)),
        tab,
    )


__all__ = [
    "AUCResult",
    "delong_auc",
    "CutoffResult",
    "youden_cutoff",
    "CutoffSimulationResult",
    "null_cutoff_simulation",
    "TwoCutoffResult",
    "two_cutoffs",
    "MAX_TWO_CUTOFF_CELLS",
]
