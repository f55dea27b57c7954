"""Paired data: McNemar, Bowker, paired t and Wilcoxon signed-rank tests."""

from __future__ import annotations

import dataclasses
import itertools
import math
import warnings
from typing import ClassVar

import numpy as np
from scipy import stats

from .._results import TestResult
from .._validation import as_float_array, check_choice, check_count_table, check_open_interval, check_same_length


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


__all__ = ["mcnemar", "bowker", "PairedResult", "paired_t", "wilcoxon_signed_rank"]
