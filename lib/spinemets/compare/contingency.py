"""Chi-square and Fisher tests of independence in a contingency table."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import numpy as np
from scipy import stats

from .._renames import renamed_function
from .._results import TestResult
from .._validation import check_choice, check_count_table
from .exact import fisher_exact


@dataclasses.dataclass(frozen=True, repr=False)
class ContingencyResult(TestResult):
    """Chi-square or Fisher test of a contingency table."""

    _title: ClassVar[str] = "Contingency table test"
    expected: np.ndarray = dataclasses.field(default=None)
    n_small_expected: int = 0
    small_expected: bool = False


def independence(table, method: str = "pearson") -> ContingencyResult:
    """Test independence in a contingency table (formerly ``contingency_test``).

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
        Counts that break the library's one rule (negative, fractional, NaN, inf, above 2**53,
        all zero); a table smaller than 2 x 2; Yates on a table that is not 2 x 2; a row or
        column of zeros for the chi-square tests; a table too large for exact Fisher.

    References
    ----------
    Pearson K. Philos Mag 1900;50:157-175. Yates F. Suppl J R Stat Soc 1934;1:217-235.
    Fisher RA. The Design of Experiments, 1935. Freeman GH, Halton JH. Biometrika
    1951;38:141-149. R Core Team, ``stats::chisq.test`` and ``stats::fisher.test``.
    """
    method = check_choice(method, "method", ("pearson", "yates", "fisher"))
    x = check_count_table(table, "table")
    rows, cols, n = x.sum(axis=1), x.sum(axis=0), x.sum()
    if n == 0:
        raise ValueError("table has no counts")
    # in float: the product of two margins overflows int64 beyond about 3e9 x 3e9
    expected = np.outer(rows.astype(float), cols.astype(float)) / float(n)
    small = int((expected < 5).sum())
    if method == "fisher":
        fisher = fisher_exact(x)
        return ContingencyResult(
            "Fisher's exact test",
            fisher.statistic,
            None,
            fisher.p_value,
            expected,
            small,
            small > 0,
        )
    if (rows == 0).any() or (cols == 0).any():
        raise ValueError(
            "table has a row or column of zeros: the chi-square test is undefined (drop it)"
        )
    if method == "yates" and x.shape != (2, 2):
        raise ValueError(
            f"Yates' correction is defined for 2 x 2 tables only; table is {x.shape[0]} x {x.shape[1]}"
        )
    stat, p, df, _ = stats.chi2_contingency(x.astype(float), correction=(method == "yates"))
    name = (
        "Pearson chi-square"
        if method == "pearson"
        else "chi-square with Yates' continuity correction"
    )
    return ContingencyResult(name, float(stat), int(df), float(p), expected, small, small > 0)


#: the former name, for one release (issue 22 item 11: tests carry no ``_test`` suffix)
contingency_test = renamed_function(independence, "contingency_test")

__all__ = ["ContingencyResult", "independence"]
