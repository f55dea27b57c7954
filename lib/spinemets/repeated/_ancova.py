"""Baseline-adjusted comparison of two groups at one follow-up (ANCOVA) of
:func:`spinemets.repeated.ancova`.

References
----------
Vickers AJ, Altman DG. BMJ 2001;323(7321):1123-1124. doi:10.1136/bmj.323.7321.1123
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .._results import Result
from .._validation import (
    check_columns,
    check_level,
    level_from_alpha,
    renamed_arguments,
)
from ._long import _levels, _numeric_column


@dataclasses.dataclass(frozen=True, repr=False)
class AncovaResult(Result):
    """Baseline-adjusted difference between two groups at one follow-up (ANCOVA by OLS)."""

    _title: ClassVar[str] = "ANCOVA: follow-up adjusted for baseline"
    outcome: str
    baseline: str
    group: Any
    reference: Any
    n: int
    difference: float
    se: float
    lower: float
    upper: float
    t: float
    df: int
    p_value: float
    baseline_slope: float
    unadjusted_difference: float
    coefficients: pd.DataFrame
    _fit: Any = None

    @property
    def fit(self):
        """The statsmodels ``RegressionResults``."""
        return self._fit

    @property
    def ci_low(self) -> float:
        """Former name of :attr:`lower` (kept for one release)."""
        return self.lower

    @property
    def ci_high(self) -> float:
        """Former name of :attr:`upper` (kept for one release)."""
        return self.upper


@renamed_arguments(alpha=("level", level_from_alpha))
def ancova(
    data: pd.DataFrame,
    outcome: str,
    baseline: str,
    group: str,
    reference: Any = None,
    covariates: Iterable[str] = (),
    *,
    level: float = 0.95,
) -> AncovaResult:
    """Compare two groups on a follow-up value adjusted for its baseline value (OLS).

    Fits ``outcome ~ baseline + group (+ covariates)`` with statsmodels OLS; the group
    coefficient is the baseline-adjusted mean difference (group minus ``reference``).

    Parameters
    ----------
    data : DataFrame
        One row per subject.
    outcome, baseline, group : str
        Column names (numeric follow-up, numeric baseline, two-level group).
    reference : optional
        The reference group (default: the first level).
    covariates : iterable of str
        Further numeric adjustment columns.
    level : float
        Confidence level of the interval (0.95). (``alpha``, its former name as 1 - level,
        warns.)

    Returns
    -------
    AncovaResult

    Raises
    ------
    ValueError
        For a missing column, missing or non-numeric values, or a group without exactly two
        levels.

    References
    ----------
    Vickers AJ, Altman DG. BMJ 2001;323(7321):1123-1124. doi:10.1136/bmj.323.7321.1123
    """
    from statsmodels.regression.linear_model import OLS

    level = check_level(level)
    covariates = list(covariates)
    check_columns(data, [outcome, baseline, group, *covariates], "data")
    y = _numeric_column(data, outcome, "outcome")
    x0 = _numeric_column(data, baseline, "baseline")
    xs = [_numeric_column(data, c, "covariates") for c in covariates]
    levels = _levels(data, group, "group", reference)
    if len(levels) != 2:
        raise ValueError(
            f"group column {group!r} must have exactly 2 levels for ancova, got {levels}"
        )
    ind = (data[group] == levels[1]).to_numpy(dtype=float)
    X = np.column_stack([np.ones_like(y), x0, ind, *xs])
    names = ["Intercept", baseline, f"group[{levels[1]}]", *covariates]
    if len(y) <= X.shape[1]:
        raise ValueError(f"data has {len(y)} rows: too few for {X.shape[1]} coefficients")
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise ValueError("baseline, group and covariates are collinear (e.g. a constant baseline)")
    fit = OLS(y, X).fit()
    ci = fit.conf_int(1 - level)
    coef = pd.DataFrame(
        {
            "coef": fit.params,
            "se": fit.bse,
            "t": fit.tvalues,
            "p": fit.pvalues,
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
        },
        index=names,
    )
    k = 2
    unadj = float(y[ind == 1].mean() - y[ind == 0].mean())
    return AncovaResult(
        outcome=outcome,
        baseline=baseline,
        group=levels[1],
        reference=levels[0],
        n=len(y),
        difference=float(fit.params[k]),
        se=float(fit.bse[k]),
        lower=float(ci[k, 0]),
        upper=float(ci[k, 1]),
        t=float(fit.tvalues[k]),
        df=int(fit.df_resid),
        p_value=float(fit.pvalues[k]),
        baseline_slope=float(fit.params[1]),
        unadjusted_difference=unadj,
        coefficients=coef,
        _fit=fit,
    )
