"""Comparing groups: contingency tables, paired data, cutoffs, stepwise selection and Table 1.

Every test returns a result object with named fields that prints readably, in the style of
lifelines' ``StatisticalResult``. Tests are checked against R's ``stats`` package
(``chisq.test``, ``fisher.test``, ``mcnemar.test``, ``t.test``, ``wilcox.test``) in
``tests/test_compare.py``.

References
----------
Pearson K. On the criterion that a given system of deviations... Philos Mag 1900;50:157-175.
Yates F. Contingency tables involving small numbers and the chi-squared test. Suppl J R Stat Soc
1934;1:217-235.
Fisher RA. The Design of Experiments. Edinburgh: Oliver & Boyd, 1935.
Freeman GH, Halton JH. Note on an exact treatment of contingency, goodness of fit and other
problems of significance. Biometrika 1951;38:141-149.
Mehta CR, Patel NR. A network algorithm for performing Fisher's exact test in r x c contingency
tables. J Am Stat Assoc 1983;78:427-434.
McNemar Q. Note on the sampling error of the difference between correlated proportions or
percentages. Psychometrika 1947;12:153-157.
Bowker AH. A test for symmetry in contingency tables. J Am Stat Assoc 1948;43:572-574.
Wilcoxon F. Individual comparisons by ranking methods. Biometrics Bull 1945;1:80-83.
Youden WJ. Index for rating diagnostic tests. Cancer 1950;3:32-35.
DeLong ER, DeLong DM, Clarke-Pearson DL. Comparing the areas under two or more correlated
receiver operating characteristic curves: a nonparametric approach. Biometrics 1988;44:837-845.
Lausen B, Schumacher M. Maximally selected rank statistics. Biometrics 1992;48:73-85.
Harrell FE. Regression Modeling Strategies, 2nd ed. Springer, 2015 (section 4.3 on stepwise
selection).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import warnings
from functools import lru_cache
from typing import Any, ClassVar, Sequence

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import gammaln

from ._design import indicator_blocks
from ._results import Result, TestResult
from ._validation import (as_float_array, check_choice, check_count_table, check_durations, check_events,
                          check_groups, check_open_interval, check_same_length)

__all__ = [
    "ContingencyResult", "contingency_test", "fisher_exact", "mcnemar", "bowker",
    "PairedResult", "paired_t", "wilcoxon_signed_rank",
    "CutoffResult", "youden_cutoff", "delong_auc", "TwoCutoffResult", "two_cutoffs",
    "StepwiseResult", "stepwise_logistic", "table_one",
]

_REL_TOL = 1e-7  # R's fisher.test: tables with probability <= p_obs * (1 + 1e-7) count
_MAX_PARTIAL_TABLES = 15_000_000  # memory guard for exact r x c enumeration (about 1 GB of arrays)


# --------------------------------------------------------------------------------------------
# Contingency tables
# --------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, repr=False)
class ContingencyResult(TestResult):
    """Chi-square or Fisher test of a contingency table."""

    _title: ClassVar[str] = "Contingency table test"
    expected: np.ndarray = dataclasses.field(default=None)
    n_small_expected: int = 0
    small_expected: bool = False


def _log_table_prob(x: np.ndarray, rows: np.ndarray, cols: np.ndarray, n: int) -> float:
    return float(gammaln(rows + 1).sum() + gammaln(cols + 1).sum() - gammaln(n + 1) - gammaln(x + 1).sum())


def fisher_exact(table) -> float:
    """Exact two-sided p-value of Fisher's test (Freeman-Halton for r x c), as R's ``fisher.test``.

    Sums the probabilities of all tables with the observed margins whose probability does not
    exceed the observed table's (times 1 + 1e-7, as R does). Exact, never Monte Carlo.

    Algorithm (in the spirit of Mehta & Patel's network algorithm): columns are filled one at a
    time; a partial table is summarised by its remaining row margins (sorted: the rest of the
    problem depends only on their multiset) and its accumulated log-probability. Partial tables
    are processed level by level as arrays. At each level, bounds on the log-probability of any
    completion settle whole groups at once (all completions count: add their total probability in
    closed form; none count: drop them). At the last two columns the completions of every state
    are enumerated once, sorted and cumulated, so each partial table costs one binary search.
    """
    x = check_count_table(table, "table")
    x = x[x.sum(axis=1) > 0][:, x.sum(axis=0) > 0]
    if x.shape[0] < 2 or x.shape[1] < 2:
        return 1.0
    if x.shape[0] > x.shape[1]:
        x = x.T
    rows, cols = x.sum(axis=1), np.sort(x.sum(axis=0))   # small columns first
    n = int(x.sum())
    R, C = len(rows), len(cols)
    lgf = gammaln(np.arange(n + 2) + 1)
    const = float(lgf[rows].sum() + lgf[cols].sum() - lgf[n])
    limit = -float(lgf[x].sum()) + math.log1p(_REL_TOL)       # log weight threshold (without const)
    cols_t = tuple(int(c) for c in cols)
    base = n + 1

    def encode(S):
        return (S.astype(np.int64) * base ** np.arange(R, dtype=np.int64)[::-1]).sum(axis=1)

    @lru_cache(maxsize=None)
    def vectors(state: tuple, c: int) -> np.ndarray:
        caps = np.array(state)
        if R == 1:
            return np.array([[c]])
        ranges = [np.arange(min(int(k), c) + 1) for k in caps[:-1]]
        grid = np.stack(np.meshgrid(*ranges, indexing="ij"), axis=-1).reshape(-1, R - 1)
        last = c - grid.sum(axis=1)
        ok = (last >= 0) & (last <= caps[-1])
        return np.column_stack([grid[ok], last[ok]]).astype(np.int64)

    @lru_cache(maxsize=None)
    def col_extremes(state: tuple, c: int) -> tuple[float, float]:
        r = np.array(state)
        xx = np.zeros(len(r), dtype=int)   # most even split: the largest weight
        left = c
        while left > 0:
            cand = np.nonzero(xx < r)[0]
            i = cand[np.argmin(xx[cand])]
            xx[i] += 1
            left -= 1
        y = np.zeros(len(r), dtype=int)    # most concentrated split: the smallest weight
        left = c
        for i in np.argsort(-r):
            y[i] = min(r[i], left)
            left -= y[i]
        return -float(lgf[xx].sum()), -float(lgf[y].sum())

    def bounds(state: tuple, j: int) -> tuple[float, float]:
        his, los = zip(*(col_extremes(state, c) for c in cols_t[j:]))
        return sum(his), sum(los)

    def total(state: tuple, j: int) -> float:
        return float(lgf[sum(state)] - sum(lgf[r] for r in state) - sum(lgf[c] for c in cols_t[j:]))

    @lru_cache(maxsize=None)
    def futures(state: tuple):
        st = np.array(state)
        V = vectors(state, cols_t[C - 2])
        f = np.sort(-(lgf[V].sum(axis=1) + lgf[st - V].sum(axis=1)))
        m = float(f[-1])
        return f, np.cumsum(np.exp(f - m)), m

    # cheap upper bound on the partial tables to enumerate: refuse at once if hopeless
    root = tuple(int(r) for r in np.sort(rows))
    crude = float(np.prod([len(vectors(root, c)) for c in cols_t[:C - 2]])) if C > 2 else 1.0
    too_large = ValueError(
        f"table ({x.shape[0]} x {x.shape[1]}, n = {n}) is too large for exact enumeration here "
        f"(more than {_MAX_PARTIAL_TABLES:,} partial tables); use method='pearson', or a "
        "Monte Carlo Fisher test with a fixed seed, and say so")
    if crude > 20 * _MAX_PARTIAL_TABLES:
        raise too_large
    p = 0.0
    S = np.sort(rows)[None, :].astype(np.int64)   # canonical remaining row margins per partial table
    A = np.zeros(1)                               # accumulated log weight
    W = np.ones(1)                                # multiplicity
    def groups(S):
        """Indices of the partial tables of each distinct state (sorted slices, not masks)."""
        keys, inv = np.unique(encode(S), return_inverse=True)
        order = np.argsort(inv, kind="stable")
        bounds_ = np.r_[0, np.cumsum(np.bincount(inv, minlength=len(keys)))]
        for g in range(len(keys)):
            sel = order[bounds_[g]:bounds_[g + 1]]
            yield tuple(int(v) for v in S[sel[0]]), sel

    for j in range(C - 2):
        newS, newA, newW = [], [], []
        n_new = 0
        for state, sel in groups(S):
            a, w = A[sel], W[sel]
            hi, lo = bounds(state, j)
            allin = a + hi <= limit
            if allin.any():
                p += float((w[allin] * np.exp(const + a[allin] + total(state, j))).sum())
            keep = ~allin & (a + lo <= limit)
            if not keep.any():
                continue
            a, w = a[keep], w[keep]
            V = vectors(state, cols_t[j])
            n_new += len(V) * len(a)
            if n_new > _MAX_PARTIAL_TABLES:
                raise too_large
            ns = np.sort(np.array(state) - V, axis=1)
            wv = lgf[V].sum(axis=1)
            newS.append(np.repeat(ns, len(a), axis=0))
            newA.append((-wv[:, None] + a[None, :]).ravel())
            newW.append(np.tile(w, len(V)))
        if not newS:
            return float(min(1.0, p))
        S, A, W = np.concatenate(newS), np.concatenate(newA), np.concatenate(newW)
        if j == C - 3:
            break   # the final stage handles every partial table anyway
        # merge partial tables with the same state and (numerically) the same weight
        key = np.column_stack([encode(S), np.round(A * 1e9).astype(np.int64)])
        uk, uinv = np.unique(key, axis=0, return_inverse=True)
        uinv = uinv.ravel()
        W = np.bincount(uinv, weights=W)
        first = np.zeros(len(uk), dtype=np.int64)
        first[uinv[::-1]] = np.arange(len(uinv))[::-1]
        S, A = S[first], A[first]
    # last two columns: one binary search per partial table in its state's sorted completions
    for state, sel in groups(S):
        f, prefix, m = futures(state)
        k = np.searchsorted(f, limit - A[sel], side="right")
        ok = k > 0
        if ok.any():
            p += float((W[sel][ok] * np.exp(const + A[sel][ok] + m) * prefix[k[ok] - 1]).sum())
    return float(min(1.0, p))


def contingency_test(table, method: str = "pearson") -> ContingencyResult:
    """Test independence in a contingency table.

    Parameters
    ----------
    table : 2-D array-like or DataFrame of counts
    method : {"pearson", "yates", "fisher"}
        "pearson": Pearson's chi-square without continuity correction (SPSS "Pearson
        Chi-Square"; scipy's default applies Yates to 2 x 2 tables, this does not).
        "yates": chi-square with Yates' continuity correction, 2 x 2 only (SPSS "Continuity
        Correction"; R ``chisq.test`` default for 2 x 2).
        "fisher": exact test (Fisher for 2 x 2, Freeman-Halton for r x c), as R ``fisher.test``;
        the statistic reported is the observed table's probability.

    Returns
    -------
    ContingencyResult
        ``statistic``, ``df`` (None for Fisher), ``p_value``, ``expected`` counts,
        ``n_small_expected`` (cells with expected count < 5) and ``small_expected`` (any such
        cell: the chi-square approximation is then doubtful).

    Raises
    ------
    ValueError
        Negative, non-integer or missing counts; a table smaller than 2 x 2; Yates on a table
        that is not 2 x 2; a row or column of zeros for the chi-square tests.
    """
    method = check_choice(method, "method", ("pearson", "yates", "fisher"))
    x = check_count_table(table, "table")
    rows, cols, n = x.sum(axis=1), x.sum(axis=0), x.sum()
    if n == 0:
        raise ValueError("table has no counts")
    expected = np.outer(rows, cols) / n
    small = int((expected < 5).sum())
    if method == "fisher":
        p = fisher_exact(x)
        stat = math.exp(_log_table_prob(x, rows, cols, int(n)))
        return ContingencyResult("Fisher's exact test", stat, None, p, expected, small, small > 0)
    if (rows == 0).any() or (cols == 0).any():
        raise ValueError("table has a row or column of zeros: the chi-square test is undefined (drop it)")
    if method == "yates" and x.shape != (2, 2):
        raise ValueError(f"Yates' correction is defined for 2 x 2 tables only; table is {x.shape[0]} x {x.shape[1]}")
    stat, p, df, _ = stats.chi2_contingency(x, correction=(method == "yates"))
    name = "Pearson chi-square" if method == "pearson" else "chi-square with Yates' continuity correction"
    return ContingencyResult(name, float(stat), int(df), float(p), expected, small, small > 0)


def mcnemar(table, exact: bool = True, correction: bool = True) -> TestResult:
    """McNemar's test for a paired 2 x 2 table (rows: first measurement, columns: second).

    Parameters
    ----------
    exact : bool
        True: exact binomial test on the discordant pairs (SPSS). False: chi-square on the
        discordant pairs, with Yates' continuity correction if ``correction`` (= R ``mcnemar.test``).

    Raises
    ------
    ValueError
        For a table that is not 2 x 2 or has no discordant pairs.
    """
    x = check_count_table(table, "table", square=True)
    if x.shape != (2, 2):
        raise ValueError(f"mcnemar needs a 2 x 2 table; use bowker() for {x.shape[0]} x {x.shape[1]}")
    b, c = int(x[0, 1]), int(x[1, 0])
    if b + c == 0:
        raise ValueError("table has no discordant pairs: McNemar's test is undefined")
    if exact:
        p = float(stats.binomtest(b, b + c, 0.5).pvalue)
        return TestResult("McNemar exact (binomial)", float(min(b, c)), None, p)
    stat = (abs(b - c) - (1 if correction else 0)) ** 2 / (b + c)
    return TestResult("McNemar chi-square" + (" (continuity corrected)" if correction else ""), float(stat), 1,
                      float(stats.chi2.sf(stat, 1)))


def bowker(table) -> TestResult:
    """Bowker's test of symmetry for a paired k x k table (R ``mcnemar.test`` on k x k).

    Sums (n_ij - n_ji)^2 / (n_ij + n_ji) over i < j. Zero cells are not shifted (statsmodels'
    ``SquareTable`` adds 0.5 by default, which changes the statistic); pairs of cells that are
    both zero contribute nothing and are not counted in the degrees of freedom, as in R.
    """
    x = check_count_table(table, "table", square=True)
    stat, df = 0.0, 0
    for i, j in itertools.combinations(range(x.shape[0]), 2):
        s = x[i, j] + x[j, i]
        if s > 0:
            stat += (x[i, j] - x[j, i]) ** 2 / s
            df += 1
    if df == 0:
        raise ValueError("table has no off-diagonal counts: the symmetry test is undefined")
    return TestResult("Bowker's test of symmetry", float(stat), df, float(stats.chi2.sf(stat, df)))


# --------------------------------------------------------------------------------------------
# Paired continuous data
# --------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, repr=False)
class PairedResult(TestResult):
    _title: ClassVar[str] = "Paired comparison"
    estimate: float = math.nan
    ci_lower: float = math.nan
    ci_upper: float = math.nan


def _pairs(x, y):
    a, b = as_float_array(x, "x"), as_float_array(y, "y")
    check_same_length(x=a, y=b)
    if len(a) < 2:
        raise ValueError("x and y need at least 2 pairs")
    return a, b


def paired_t(x, y, alpha: float = 0.05) -> PairedResult:
    """Paired t-test of x - y (R ``t.test(x, y, paired = TRUE)``), with the mean difference and CI."""
    alpha = check_open_interval(alpha, "alpha")
    a, b = _pairs(x, y)
    r = stats.ttest_rel(a, b)
    ci = r.confidence_interval(1 - alpha)
    return PairedResult("paired t-test", float(r.statistic), int(len(a) - 1), float(r.pvalue),
                        float(np.mean(a - b)), float(ci.low), float(ci.high))


def wilcoxon_signed_rank(x, y, method: str = "exact", correction: bool = False,
                         alternative: str = "two-sided") -> TestResult:
    """Wilcoxon signed-rank test of paired x and y.

    Zero differences are dropped (R's and SPSS's convention). ``method="exact"`` uses the exact
    null distribution (R's default for n < 50 without ties; with ties scipy falls back to the
    normal approximation, as R does with a warning). ``method="asymptotic"`` gives the normal
    approximation with tie correction; SPSS reports its z without continuity correction
    (``correction=False``), R's ``wilcox.test(exact=FALSE)`` uses ``correction=True``. The
    statistic is V, the sum of positive ranks, as R prints it.
    """
    method = check_choice(method, "method", ("exact", "asymptotic"))
    alternative = check_choice(alternative, "alternative", ("two-sided", "greater", "less"))
    a, b = _pairs(x, y)
    d = a - b
    d = d[d != 0]
    if len(d) == 0:
        raise ValueError("all differences are zero: the test is undefined")
    ranks = stats.rankdata(np.abs(d))
    v = float(ranks[d > 0].sum())
    ties = len(np.unique(np.abs(d))) < len(d)
    meth = "exact" if (method == "exact" and not ties) else "approx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = stats.wilcoxon(d, method=meth, correction=correction, alternative=alternative, zero_method="wilcox")
    name = "Wilcoxon signed-rank " + ("(exact)" if meth == "exact" else "(normal approximation" + (", continuity corrected)" if correction else ")"))
    return TestResult(name, v, None, float(r.pvalue))


# --------------------------------------------------------------------------------------------
# ROC, Youden and cutoffs
# --------------------------------------------------------------------------------------------

def delong_auc(values, outcome, alpha: float = 0.05) -> tuple[float, float, float, float]:
    """AUC with its DeLong standard error and confidence interval: (auc, se, lower, upper).

    AUC = P(value of a positive > value of a negative) + 0.5 P(tie), i.e. U / (n1 n0).
    """
    v = as_float_array(values, "values")
    o = as_float_array(outcome, "outcome")
    check_same_length(values=v, outcome=o)
    if not np.isin(o, (0, 1)).all():
        raise ValueError("outcome must be 0 or 1")
    pos, neg = v[o == 1], v[o == 0]
    if len(pos) < 2 or len(neg) < 2:
        raise ValueError("outcome needs at least 2 positives and 2 negatives")
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    auc = float(psi.mean())
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    se = math.sqrt(v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg))
    z = stats.norm.ppf(1 - check_open_interval(alpha, "alpha") / 2)
    return auc, se, max(0.0, auc - z * se), min(1.0, auc + z * se)


@dataclasses.dataclass(frozen=True, repr=False)
class CutoffResult(Result):
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


def youden_cutoff(values, outcome, direction: str = "higher", alpha: float = 0.05) -> CutoffResult:
    """The cutoff maximising Youden's J = sensitivity + specificity - 1, with the AUC (DeLong CI).

    Convention: with ``direction="higher"`` a value is called positive if ``value >= cutoff``;
    candidate cutoffs are the observed values except the lowest, which would call everyone positive
    (SPSS lists midpoints between them, so its
    printed cutoff can differ by half a step). Ties in J are broken by the lowest cutoff.
    ``direction="lower"`` calls values <= cutoff positive.

    Returns
    -------
    CutoffResult
        ``cutoff``, ``sensitivity``, ``specificity``, ``youden_j``, ``auc`` with ``auc_se``,
        ``auc_lower``, ``auc_upper``, and the full ``roc`` table.
    """
    direction = check_choice(direction, "direction", ("higher", "lower"))
    v = as_float_array(values, "values")
    o = as_float_array(outcome, "outcome")
    check_same_length(values=v, outcome=o)
    if not np.isin(o, (0, 1)).all():
        raise ValueError("outcome must be 0 or 1")
    s = v if direction == "higher" else -v
    cuts = np.unique(s)[1:]  # the lowest value would call everyone positive: not a cutoff
    if len(cuts) == 0:
        raise ValueError("values must take at least two distinct values")
    pos = s[o == 1]
    neg = s[o == 0]
    sens = np.array([(pos >= c).mean() for c in cuts])
    spec = np.array([(neg < c).mean() for c in cuts])
    j = sens + spec - 1
    i = int(np.argmax(j))
    auc, se, lo, hi = delong_auc(s, o, alpha)
    shown = cuts if direction == "higher" else -cuts
    roc = pd.DataFrame({"cutoff": shown, "sensitivity": sens, "specificity": spec, "youden_j": j})
    return CutoffResult(float(shown[i]), float(sens[i]), float(spec[i]), float(j[i]), auc, se, lo, hi, direction, roc)


@dataclasses.dataclass(frozen=True, repr=False)
class TwoCutoffResult(Result):
    _title: ClassVar[str] = "Two cutoffs by likelihood ratio (optimistic)"
    lower_cutoff: float
    upper_cutoff: float
    lr_statistic: float
    naive_p_value: float
    group_sizes: tuple
    candidates: pd.DataFrame = dataclasses.field(default=None)


def two_cutoffs(values, durations, events, candidates: Sequence[float] | None = None,
                min_group: int = 10) -> TwoCutoffResult:
    """Choose two contiguous cutoffs c1 < c2 (groups <= c1, (c1, c2], > c2) maximising the
    likelihood-ratio statistic of a Cox model with two group indicators (paper A's method).

    The search is over ``candidates`` (default: the distinct observed values), keeping groups of
    at least ``min_group`` patients. **The result is optimistic**: the maximised statistic is not
    chi-square distributed, so ``naive_p_value`` (chi-square, 2 df) is too small; the effect will
    shrink in new data. Correct with maximally selected statistics (Lausen & Schumacher 1992),
    a permutation test over the whole search, or validate in independent data.
    """
    from statsmodels.duration.hazard_regression import PHReg

    v = as_float_array(values, "values")
    t = check_durations(durations)
    e = check_events(events)
    check_same_length(values=v, durations=t, events=e)
    cands = np.unique(v) if candidates is None else np.unique(as_float_array(candidates, "candidates"))
    rows = []
    null = PHReg(t, np.zeros((len(t), 1)), status=e, ties="breslow")
    ll0 = float(null.loglike(np.zeros(1)))
    for c1, c2 in itertools.combinations(cands, 2):
        g1, g3 = v <= c1, v > c2
        g2 = ~g1 & ~g3
        sizes = (int(g1.sum()), int(g2.sum()), int(g3.sum()))
        if min(sizes) < min_group:
            continue
        X = np.column_stack([g2, g3]).astype(float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = PHReg(t, X, status=e, ties="breslow").fit()
        rows.append({"lower_cutoff": c1, "upper_cutoff": c2, "n_low": sizes[0], "n_mid": sizes[1],
                     "n_high": sizes[2], "lr": 2 * (float(fit.llf) - ll0)})
    if not rows:
        raise ValueError(f"no pair of candidate cutoffs leaves every group with >= {min_group} patients")
    tab = pd.DataFrame(rows).sort_values("lr", ascending=False, kind="mergesort").reset_index(drop=True)
    best = tab.iloc[0]
    return TwoCutoffResult(float(best.lower_cutoff), float(best.upper_cutoff), float(best.lr),
                           float(stats.chi2.sf(best.lr, 2)), (int(best.n_low), int(best.n_mid), int(best.n_high)), tab)


# --------------------------------------------------------------------------------------------
# Stepwise logistic regression (SPSS FSTEP(LR))
# --------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, repr=False)
class StepwiseResult(Result):
    _title: ClassVar[str] = "Forward stepwise logistic regression (SPSS FSTEP(LR) rule)"
    selected: list
    steps: pd.DataFrame
    summary: pd.DataFrame
    n: int
    _fit: Any = dataclasses.field(default=None)


def _logit(y, X):
    import statsmodels.api as sm
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.Logit(y, X).fit(disp=0, maxiter=200)


def _score_test(y, X_cur, X_new):
    """Rao score test for adding X_new to a logistic model with design X_cur (at its MLE)."""
    fit = _logit(y, X_cur)
    p = fit.predict(X_cur)
    X = np.column_stack([X_cur, X_new])
    U = X.T @ (y - p)
    W = p * (1 - p)
    info = X.T @ (X * W[:, None])
    stat = float(U @ np.linalg.solve(info, U))
    return stat, X_new.shape[1]


def stepwise_logistic(data: pd.DataFrame, outcome: str, candidates: Sequence[str], direction: str = "forward",
                      p_enter: float = 0.05, p_remove: float = 0.10, reference: dict | None = None,
                      alpha: float = 0.05) -> StepwiseResult:
    """Forward stepwise logistic regression with SPSS's FSTEP(LR) rule.

    At each step the candidate with the smallest **score-test** p-value enters if p < ``p_enter``;
    then the term whose **likelihood-ratio** removal test has the largest p-value leaves if
    p > ``p_remove``. Categorical candidates enter and leave as a block of indicator variables
    against a reference level. SAS removes by the Wald test and so can select differently.

    Stepwise selection is shown because papers use it, not recommended: it selects noise, biases
    coefficients away from zero and makes the final model's p-values and CIs too optimistic
    (Harrell 2015).

    Parameters
    ----------
    data : DataFrame
    outcome : str
        0/1 column.
    candidates : list of str
    direction : {"forward"}
    p_enter, p_remove : float
        SPSS defaults 0.05 and 0.10.
    reference : dict, optional
        Reference level per categorical candidate.

    Returns
    -------
    StepwiseResult
        ``selected`` (in order of entry), ``steps`` (step, action, variable, statistic, df, p)
        and ``summary`` of the final model (coef, se, or, or_lower, or_upper, p), indexed by term.
        Rows with a missing value in any used column are dropped (``n`` reports the rows used).
    """
    import statsmodels.api as sm

    check_choice(direction, "direction", ("forward",))
    p_enter = check_open_interval(p_enter, "p_enter")
    p_remove = check_open_interval(p_remove, "p_remove")
    if p_remove < p_enter:
        raise ValueError("p_remove must be >= p_enter, otherwise a variable could enter and leave forever")
    missing = [c for c in [outcome, *candidates] if c not in data.columns]
    if missing:
        raise ValueError(f"data has no column(s) {missing}")
    df = data[[outcome, *candidates]].dropna()
    y = check_events(df[outcome], f"{outcome} (outcome)").astype(float)
    blocks = indicator_blocks(df, candidates, reference)
    const = np.ones((len(df), 1))
    model: list[str] = []
    steps = []

    def design(vars_):
        return np.column_stack([const] + [blocks[v].to_numpy() for v in vars_])

    for step in range(1, 2 * len(candidates) + 2):
        out = [c for c in candidates if c not in model]
        tests = []
        for c in out:
            stat, k = _score_test(y, design(model), blocks[c].to_numpy())
            tests.append((float(stats.chi2.sf(stat, k)), c, stat, k))
        if not tests:
            break
        p, c, stat, k = min(tests)
        if p >= p_enter:
            break
        model.append(c)
        steps.append({"step": step, "action": "enter", "variable": c, "statistic": stat, "df": k, "p": p, "test": "score"})
        full = _logit(y, design(model))
        removal = []
        for v in model[:-1]:
            reduced = _logit(y, design([m for m in model if m != v]))
            lr = 2 * (full.llf - reduced.llf)
            kk = blocks[v].shape[1]
            removal.append((float(stats.chi2.sf(lr, kk)), v, float(lr), kk))
        if removal:
            p_r, v, lr, kk = max(removal)
            if p_r > p_remove:
                model.remove(v)
                steps.append({"step": step, "action": "remove", "variable": v, "statistic": lr, "df": kk, "p": p_r, "test": "likelihood ratio"})
    names = ["const"] + [col for v in model for col in blocks[v].columns]
    fit = _logit(y, design(model))
    z = stats.norm.ppf(1 - check_open_interval(alpha, "alpha") / 2)
    coef, se = np.asarray(fit.params), np.asarray(fit.bse)
    summary = pd.DataFrame({"coef": coef, "se": se, "or": np.exp(coef), "or_lower": np.exp(coef - z * se),
                            "or_upper": np.exp(coef + z * se), "p": np.asarray(fit.pvalues)},
                           index=pd.Index(names, name="term"))
    steps_df = pd.DataFrame(steps, columns=["step", "action", "variable", "statistic", "df", "p", "test"])
    del sm
    return StepwiseResult(list(model), steps_df, summary, len(df), fit)


# --------------------------------------------------------------------------------------------
# Table 1
# --------------------------------------------------------------------------------------------

def _pearson_chi2(*counts):
    """Pearson chi-square without continuity correction (SPSS)."""
    tab = np.array(counts, dtype=float)
    tab = tab[:, tab.sum(axis=0) > 0]
    return float(stats.chi2_contingency(tab, correction=False)[1])


def _student_t(*groups):
    """Student's t-test with equal variances (SPSS, first row) or one-way ANOVA for > 2 groups."""
    groups = [np.asarray(g, dtype=float)[~np.isnan(np.asarray(g, dtype=float))] for g in groups]
    if len(groups) == 2:
        return float(stats.ttest_ind(*groups, equal_var=True).pvalue)
    return float(stats.f_oneway(*groups).pvalue)


def _mann_whitney(*groups):
    """Mann-Whitney U (2 groups) or Kruskal-Wallis (> 2), asymptotic."""
    groups = [np.asarray(g, dtype=float)[~np.isnan(np.asarray(g, dtype=float))] for g in groups]
    if len(groups) == 2:
        return float(stats.mannwhitneyu(*groups, alternative="two-sided", method="asymptotic").pvalue)
    return float(stats.kruskal(*groups).pvalue)


def table_one(data: pd.DataFrame, columns: Sequence[str], groupby: str | None = None,
              categorical: Sequence[str] | None = None, nonnormal: Sequence[str] | None = None,
              tests: str = "spss", **kwargs):
    """A 'Table 1' of patient characteristics, on top of the ``tableone`` package.

    Parameters
    ----------
    data : DataFrame
    columns : list of str
    groupby : str, optional
        Column defining the groups compared (p-values are added when given).
    categorical, nonnormal : list of str, optional
        Categorical variables (n (%)) and continuous variables summarised as median [Q1, Q3].
        Object and categorical dtypes are treated as categorical automatically.
    tests : {"spss", "tableone"}
        "spss": Pearson chi-square without Yates' correction for categorical variables,
        Student's t (equal variances) or ANOVA for normal continuous ones, Mann-Whitney or
        Kruskal-Wallis for non-normal ones, as SPSS-era papers report. "tableone": the package's
        defaults (Welch's t, chi-square with Yates for 2 x 2 and Fisher when expected counts are
        small).
    **kwargs
        Passed on to ``tableone.TableOne`` (e.g. ``rename``, ``order``, ``decimals``).

    Returns
    -------
    tableone.TableOne
        Display it directly, or use ``.tableone`` for the DataFrame.
    """
    from tableone import TableOne

    tests = check_choice(tests, "tests", ("spss", "tableone"))
    if not isinstance(data, pd.DataFrame):
        raise ValueError("data must be a pandas DataFrame")
    missing = [c for c in [*columns, *([groupby] if groupby else [])] if c not in data.columns]
    if missing:
        raise ValueError(f"data has no column(s) {missing}")
    if groupby:
        check_groups(data[groupby].dropna(), groupby)
    categorical = list(categorical) if categorical is not None else [
        c for c in columns if data[c].dtype == object or isinstance(data[c].dtype, pd.CategoricalDtype) or data[c].dtype == bool]
    nonnormal = list(nonnormal or [])
    htest = None
    if tests == "spss" and groupby:
        htest = {c: (_pearson_chi2 if c in categorical else _mann_whitney if c in nonnormal else _student_t) for c in columns}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return TableOne(data, columns=list(columns), categorical=categorical, nonnormal=nonnormal,
                        groupby=groupby, pval=bool(groupby), htest=htest, htest_name=bool(groupby), **kwargs)
