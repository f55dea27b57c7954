"""Paired data: McNemar, Bowker (symmetry), Stuart-Maxwell (marginal homogeneity), paired t
and Wilcoxon signed-rank tests.

References
----------
McNemar Q. Note on the sampling error of the difference between correlated proportions or
percentages. Psychometrika 1947;12:153-157.
Bowker AH. A test for symmetry in contingency tables. J Am Stat Assoc 1948;43:572-574.
Stuart A. A test for homogeneity of the marginal distributions in a two-way classification.
Biometrika 1955;42:412-416.
Maxwell AE. Comparing the classification of subjects by two independent judges. Br J Psychiatry
1970;116:651-655.
Wilcoxon F. Individual comparisons by ranking methods. Biometrics Bull 1945;1:80-83.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from typing import ClassVar

import numpy as np
from scipy import stats

from .._results import TestResult
from .._validation import (
    align_series,
    as_float_array,
    check_choice,
    check_count_table,
    check_flag,
    check_open_interval,
    check_same_length,
    check_size,
    level_from_alpha,
    renamed_arguments,
)

#: Exact Wilcoxon signed-rank p-values are computed for at most this many non-zero differences
#: (scipy's exact distribution costs O(n^3) time; n = 1000 takes about a second).
MAX_EXACT_WILCOXON = 1000

_DF_RULES = ("standard", "reduced")


def mcnemar(table, exact: bool = True, correction: bool = True) -> TestResult:
    """McNemar's test for a paired 2 x 2 table (rows: first measurement, columns: second).

    Parameters
    ----------
    table : 2 x 2 array-like or DataFrame of counts
        Finite whole-number counts (the library's one rule, ``check_count_table``).
    exact : bool
        True: exact binomial test on the discordant pairs (SPSS). False: chi-square on the
        discordant pairs, with Yates' continuity correction if ``correction`` (= R
        ``mcnemar.test``). ``True``/``False`` only: the string ``"no"`` is refused.
    correction : bool
        Continuity correction of the chi-square version (ignored when ``exact``).

    Returns
    -------
    TestResult
        ``statistic`` (min(b, c) for the exact test, chi-square otherwise), ``df``, ``p_value``.

    Raises
    ------
    ValueError
        For a table that is not 2 x 2, has no discordant pairs, or holds bad counts; for flags
        that are not booleans.

    References
    ----------
    McNemar Q. Psychometrika 1947;12:153-157. R Core Team, ``stats::mcnemar.test``.
    """
    exact = check_flag(exact, "exact")
    correction = check_flag(correction, "correction")
    x = check_count_table(table, "table", square=True)
    if x.shape != (2, 2):
        raise ValueError(
            f"mcnemar needs a 2 x 2 table; use bowker() for {x.shape[0]} x {x.shape[1]}"
        )
    b, c = int(x[0, 1]), int(x[1, 0])
    if b + c == 0:
        raise ValueError("table has no discordant pairs: McNemar's test is undefined")
    if exact:
        p = float(stats.binomtest(b, b + c, 0.5).pvalue)
        return TestResult("McNemar exact (binomial)", float(min(b, c)), None, p)
    stat = (abs(b - c) - (1 if correction else 0)) ** 2 / (b + c)
    return TestResult(
        "McNemar chi-square" + (" (continuity corrected)" if correction else ""),
        float(stat),
        1,
        float(stats.chi2.sf(stat, 1)),
    )


def _bowker_terms(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Upper-triangle mirror sums and squared differences of one k x k table (or a stack)."""
    k = x.shape[-1]
    iu = np.triu_indices(k, 1)
    upper, lower = x[..., iu[0], iu[1]], x[..., iu[1], iu[0]]
    return (upper - lower).astype(float) ** 2, (upper + lower).astype(float)


@renamed_arguments(df="df_rule")
def bowker(table, df_rule: str = "standard") -> TestResult:
    """Bowker's test of symmetry for a paired k x k table (R ``mcnemar.test`` on k x k).

    The statistic sums :math:`(n_{ij} - n_{ji})^2 / (n_{ij} + n_{ji})` over the mirror pairs
    :math:`i < j`; the diagonal (concordant pairs) does not enter. For k = 2 it is McNemar's
    chi-square without continuity correction.

    **What it tests.** The null hypothesis is *symmetry*: every cell has the same probability as
    its mirror, :math:`\\pi_{ij} = \\pi_{ji}`. Symmetry implies equal margins (marginal
    homogeneity, tested by :func:`stuart_maxwell`), but not the other way round: a table can
    have equal margins and be far from symmetric (discordant pairs going round a cycle). The test
    treats the categories as **nominal**: it ignores their order, so a shift of the SRS arm to
    better pain-relief categories counts the same as a shift to worse ones.

    Parameters
    ----------
    table : k x k array-like or DataFrame of counts
        Rows: first member of the pair (e.g. SRS), columns: second (e.g. RT), same categories.
    df_rule : {"standard", "reduced"}
        The degrees-of-freedom rule (``df``, its former name, is deprecated).
        "standard" (default): k(k-1)/2 degrees of freedom, as R's ``mcnemar.test`` and
        statsmodels ``SquareTable(table, shift_zeros=False).symmetry()``. A mirror pair whose two
        cells are both zero adds nothing to the statistic and keeps its degree of freedom (R
        itself returns NaN for such a table: it divides 0 by 0). "reduced": one degree of freedom
        per mirror pair with at least one pair in it, a convention some texts use; which rule SPSS
        uses is not documented to our knowledge. The reduced df gives smaller p-values; use it
        only if you must reproduce software that uses it, and say so.

    Returns
    -------
    TestResult
        ``statistic``, ``df`` and ``p_value`` (chi-square reference distribution).

    Raises
    ------
    ValueError
        A table that is not square, holds bad counts, or has no off-diagonal counts.

    References
    ----------
    Bowker AH. J Am Stat Assoc 1948;43:572-574. R Core Team, ``stats::mcnemar.test``
    (``PARAMETER <- r * (r-1) / 2``).
    """
    df_rule = check_choice(df_rule, "df_rule", _DF_RULES)
    x = check_count_table(table, "table", square=True)
    sq, s = _bowker_terms(x)
    if s.sum() == 0:
        raise ValueError("table has no off-diagonal counts: the symmetry test is undefined")
    stat = float((sq[s > 0] / s[s > 0]).sum())
    k = x.shape[0]
    dof = k * (k - 1) // 2 if df_rule == "standard" else int((s > 0).sum())
    name = "Bowker's test of symmetry" + (" (reduced df)" if df_rule == "reduced" else "")
    return TestResult(name, stat, dof, float(stats.chi2.sf(stat, dof)))


def _stuart_maxwell_stat(x: np.ndarray):
    """Statistic d' V^+ d and the rank of V for one k x k table or a stack of them.

    V is the graph Laplacian of the discordant pairs; it is singular (rank below k - 1) when
    they do not link every category, and the pseudo-inverse then leaves the isolated groups out.
    """
    x = np.asarray(x, dtype=float)
    one = x.ndim == 2
    x = x[None] if one else x
    k = x.shape[-1]
    d = x.sum(axis=2) - x.sum(axis=1)
    a = x + np.swapaxes(x, 1, 2)
    a[:, np.arange(k), np.arange(k)] = 0.0
    lap = -a
    lap[:, np.arange(k), np.arange(k)] = a.sum(axis=2)
    w, vec = np.linalg.eigh(lap)
    tol = k * np.finfo(float).eps * 10 * np.maximum(w.max(axis=1, keepdims=True), 1.0)
    keep = w > tol
    proj = np.einsum("mki,mk->mi", vec, d)
    stat = np.where(keep, proj**2 / np.where(keep, w, 1.0), 0.0).sum(axis=1)
    rank = keep.sum(axis=1)
    return (float(stat[0]), int(rank[0])) if one else (stat, rank)


@renamed_arguments(df="df_rule")
def stuart_maxwell(table, df_rule: str = "standard") -> TestResult:
    """Stuart-Maxwell test of marginal homogeneity for a paired k x k table.

    With :math:`d_i = n_{i+} - n_{+i}` (row minus column margin of category i) and V its
    covariance under the null, :math:`V_{ii} = n_{i+} + n_{+i} - 2 n_{ii}` and
    :math:`V_{ij} = -(n_{ij} + n_{ji})`, the statistic is :math:`d' V^{-1} d` on k - 1
    categories (any one dropped), chi-square with k - 1 df. For k = 2 it is McNemar's
    chi-square without continuity correction.

    **What it tests.** The null hypothesis is *marginal homogeneity*: the two members of a pair
    have the same distribution over the categories (:math:`\\pi_{i+} = \\pi_{+i}`). This is
    closer to "did one arm end up in different categories" than Bowker's symmetry, which also
    asks how the individual pairs moved. Like Bowker's test it treats categories as nominal and
    ignores their order.

    Parameters
    ----------
    table : k x k array-like or DataFrame of counts
    df_rule : {"standard", "reduced"}
        The degrees-of-freedom rule (``df``, its former name, is deprecated).
        "standard" (default): k - 1, as R's ``coin::mh_test``, ``DescTools::StuartMaxwellTest``
        and statsmodels ``SquareTable(...).homogeneity()``. A category with no discordant pair
        (all of its off-diagonal cells zero) has d_i = 0 and makes V singular; it is left out of
        the quadratic form (a pseudo-inverse of V) and keeps its degree of freedom, the rule
        DescTools documents. "reduced": the rank of V (k minus the number of groups of
        categories linked by discordant pairs).

    Returns
    -------
    TestResult

    Raises
    ------
    ValueError
        A table that is not square, holds bad counts, or has no off-diagonal counts.

    References
    ----------
    Stuart A. Biometrika 1955;42:412-416. Maxwell AE. Br J Psychiatry 1970;116:651-655.
    Hothorn T, Hornik K, van de Wiel MA, Zeileis A. Implementing a class of permutation tests:
    the coin package. J Stat Softw 2008;28(8):1-23 (``mh_test``).
    """
    df_rule = check_choice(df_rule, "df_rule", _DF_RULES)
    x = check_count_table(table, "table", square=True)
    off = x.sum() - np.trace(x)
    if off == 0:
        raise ValueError(
            "table has no off-diagonal counts: the marginal homogeneity test is undefined"
        )
    stat, rank = _stuart_maxwell_stat(x)
    dof = x.shape[0] - 1 if df_rule == "standard" else rank
    name = "Stuart-Maxwell test of marginal homogeneity" + (
        " (reduced df)" if df_rule == "reduced" else ""
    )
    return TestResult(name, stat, dof, float(stats.chi2.sf(stat, dof)))


# --------------------------------------------------------------------------------------------
# Paired continuous data
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, repr=False)
class PairedResult(TestResult):
    """A paired test with the estimate (mean difference) and its confidence interval."""

    _title: ClassVar[str] = "Paired comparison"
    estimate: float = math.nan
    lower: float = math.nan
    upper: float = math.nan

    @property
    def ci_lower(self) -> float:
        """Former name of :attr:`lower` (kept for one release)."""
        return self.lower

    @property
    def ci_upper(self) -> float:
        """Former name of :attr:`upper` (kept for one release)."""
        return self.upper


def _pairs(x, y):
    """x and y as float arrays; Series are paired by label, not by position."""
    aligned, _ = align_series({"x": x, "y": y})
    x, y = aligned["x"], aligned["y"]
    a, b = as_float_array(x, "x"), as_float_array(y, "y")
    check_same_length(x=a, y=b)
    if len(a) < 2:
        raise ValueError("x and y need at least 2 pairs")
    return a, b


@renamed_arguments(alpha=("level", level_from_alpha))
def paired_t(x, y, level: float = 0.95) -> PairedResult:
    """Paired t-test of x - y (R ``t.test(x, y, paired = TRUE)``), with the mean difference and CI.

    Parameters
    ----------
    x, y : array-like or pandas Series
        Paired measurements. Two Series are paired by their index labels (and must hold the same
        labels); arrays are paired by position.
    level : float
        Confidence level of the interval, in (0, 1); default 0.95 (``alpha`` = 1 - level is
        the former, deprecated argument).

    Raises
    ------
    ValueError
        Unequal lengths, fewer than 2 pairs, missing values, or differences that are (essentially)
        constant: the t statistic is then 0/0 or meaningless. R stops with "data are essentially
        constant" when the standard error is below 10 machine epsilons times the mean
        difference; this function also refuses a zero standard error.

    References
    ----------
    Student. The probable error of a mean. Biometrika 1908;6:1-25.
    """
    level = check_open_interval(level, "level")
    a, b = _pairs(x, y)
    d = a - b
    se = float(np.std(d, ddof=1) / math.sqrt(len(d)))
    if se == 0 or se < 10 * np.finfo(float).eps * abs(float(d.mean())):
        raise ValueError(
            "x - y: data are essentially constant (every difference is the same), "
            "so the paired t-test is undefined"
        )
    r = stats.ttest_rel(a, b)
    ci = r.confidence_interval(level)
    return PairedResult(
        "paired t-test",
        float(r.statistic),
        int(len(a) - 1),
        float(r.pvalue),
        float(np.mean(d)),
        float(ci.low),
        float(ci.high),
    )


def wilcoxon_signed_rank(
    x, y, method: str = "auto", correction: bool | None = None, alternative: str = "two-sided"
) -> TestResult:
    """Wilcoxon signed-rank test of paired x and y (R ``wilcox.test(x, y, paired = TRUE)``).

    Zero differences are dropped (R's and SPSS's convention). The statistic is V, the sum of the
    ranks of the positive differences, as R prints it.

    Parameters
    ----------
    x, y : array-like or pandas Series
        Two Series are paired by index label; arrays by position.
    method : {"auto", "exact", "asymptotic"}
        "auto" (default) follows R: the exact null distribution when fewer than 50 non-zero
        differences remain and there are no ties and no zero differences, otherwise the normal
        approximation. "exact" asks for the exact distribution at any n up to
        :data:`MAX_EXACT_WILCOXON` (ties or zeros still force the normal approximation, as in R,
        which warns). "asymptotic": normal approximation with tie correction.
    correction : bool, optional
        Continuity correction of the normal approximation. Default (None): True with
        ``method="auto"`` (R's default ``correct = TRUE``), False with ``method="asymptotic"``
        (SPSS reports its z without correction).
    alternative : {"two-sided", "greater", "less"}

    Raises
    ------
    ValueError
        Unequal lengths, missing values, all differences zero, ``method="exact"`` beyond
        :data:`MAX_EXACT_WILCOXON` non-zero differences, or a non-boolean ``correction``.

    References
    ----------
    Wilcoxon F. Biometrics Bull 1945;1:80-83. R Core Team, ``stats::wilcox.test``
    (``exact <- (n < 50)`` unless there are ties or zeros).
    """
    method = check_choice(method, "method", ("auto", "exact", "asymptotic"))
    alternative = check_choice(alternative, "alternative", ("two-sided", "greater", "less"))
    if correction is None:
        correction = method != "asymptotic"
    correction = check_flag(correction, "correction")
    a, b = _pairs(x, y)
    d = a - b
    zeros = bool((d == 0).any())
    d = d[d != 0]
    if len(d) == 0:
        raise ValueError("all differences are zero: the test is undefined")
    ties = len(np.unique(np.abs(d))) < len(d)
    if method == "exact":
        check_size(
            len(d),
            MAX_EXACT_WILCOXON,
            "x - y (non-zero differences)",
            "the exact Wilcoxon distribution; use method='auto' or 'asymptotic'",
        )
        meth = "approx" if ties else "exact"
    elif method == "auto":
        meth = "exact" if (len(d) < 50 and not ties and not zeros) else "approx"
    else:
        meth = "approx"
    ranks = stats.rankdata(np.abs(d))
    v = float(ranks[d > 0].sum())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = stats.wilcoxon(
            d, method=meth, correction=correction, alternative=alternative, zero_method="wilcox"
        )
    name = "Wilcoxon signed-rank " + (
        "(exact)"
        if meth == "exact"
        else "(normal approximation" + (", continuity corrected)" if correction else ")")
    )
    return TestResult(name, v, None, float(r.pvalue))


__all__ = [
    "mcnemar",
    "bowker",
    "stuart_maxwell",
    "PairedResult",
    "paired_t",
    "wilcoxon_signed_rank",
    "MAX_EXACT_WILCOXON",
]
