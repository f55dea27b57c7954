"""Balance diagnostics before and after matching, as MatchIt's ``summary()``: means,
standardised mean differences, variance ratios and eCDF statistics.

References
----------
Austin PC. Balance diagnostics for comparing the distribution of baseline covariates between
treatment groups in propensity-score matched samples. Stat Med 2009;28:3083-3107.
doi:10.1002/sim.3697
Ho DE, Imai K, King G, Stuart EA. MatchIt: nonparametric preprocessing for parametric causal
inference. J Stat Softw 2011;42(8):1-28. doi:10.18637/jss.v042.i08
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Real

import numpy as np
import pandas as pd

from .._validation import renamed_arguments
from ._inputs import _design

__all__ = ["balance_table", "smd"]


def _wmean(x, w):
    return float(np.sum(w * x) / np.sum(w))


def _wvar(x, w):
    """Weighted variance with the reliability-weights correction (= sample variance for w = 1)."""
    sw, sw2 = np.sum(w), np.sum(w**2)
    m = np.sum(w * x) / sw
    denom = sw - sw2 / sw
    return float(np.sum(w * (x - m) ** 2) / denom) if denom > 0 else math.nan


def _ecdf_stats(xt, wt, xc, wc, grid) -> tuple[float, float]:
    """Mean and max |F_t - F_c| of the weighted eCDFs, evaluated at ``grid``.

    The grid is the set of distinct values in the full (unmatched) sample, before and after
    matching: MatchIt's convention, which makes the "after" eCDF mean comparable with "before".
    """

    def F(x, w):
        o = np.argsort(x, kind="stable")
        xs, cw = x[o], np.cumsum(w[o]) / w.sum()
        k = np.searchsorted(xs, grid, side="right")
        return np.where(k == 0, 0.0, cw[np.maximum(k - 1, 0)])

    d = np.abs(F(xt, wt) - F(xc, wc))
    return float(d.mean()), float(d.max())


def smd(x_treated, x_control, sd_treated: float) -> float:
    """Standardised mean difference ``(mean_t - mean_c) / sd_treated`` (ATT convention)."""
    if not (isinstance(sd_treated, Real) and sd_treated > 0):
        raise ValueError(f"sd_treated must be a positive number, got {sd_treated!r}")
    return float((np.mean(x_treated) - np.mean(x_control)) / sd_treated)


@renamed_arguments(treat="groups")
def balance_table(
    data: pd.DataFrame,
    groups,
    covariates: Sequence[str],
    weights=None,
    extra: pd.Series | None = None,
) -> pd.DataFrame:
    """Balance of covariates between treated and control units, before and after matching.

    Parameters
    ----------
    data : DataFrame
    groups : array-like of bool
        True for treated rows, False for controls. (``treat``, its former name, warns.)
    covariates : list of str
        Numeric columns as they are; categorical columns expand to one 0/1 row per level
        (``raceblack``, ``racehispan``, ... as MatchIt prints them).
    weights : Series, optional
        Matching weights (0 = unmatched); without them only the "before" columns are filled.
    extra : Series, optional
        A further variable (e.g. the propensity score) placed first.

    Returns
    -------
    DataFrame
        Per row: ``treated_before``, ``control_before``, ``smd_before``, ``var_ratio_before``,
        ``ecdf_mean_before``, ``ecdf_max_before`` and the same ``_after``. The SMD divides by
        the standard deviation of the treated group in the full (unmatched) sample, before and
        after, as MatchIt does for the ATT; for a binary variable that SD is
        ``sqrt(p (1 - p))`` of the treated proportion. The variance ratio (treated / control)
        is given for non-binary variables only (NaN for binary ones, where it carries no more
        information than the proportions; MatchIt prints "."). eCDF statistics are the mean
        and maximum absolute difference between the (weighted) empirical distribution
        functions over the pooled values.

    References
    ----------
    Austin PC. Stat Med 2009;28:3083-3107. doi:10.1002/sim.3697. MatchIt ``summary.matchit``
    help page (https://kosukeimai.github.io/MatchIt/reference/summary.matchit.html).
    """
    t = np.asarray(groups, dtype=bool)
    if len(t) != len(data):
        raise ValueError(f"groups has {len(t)} values but data has {len(data)} rows")
    X = _design(data, covariates, drop_first=False)
    if extra is not None:
        X.insert(0, extra.name or "distance", extra.to_numpy(dtype=float))
    w_after = None if weights is None else np.asarray(weights, dtype=float)
    rows = {}
    for name in X.columns:
        x = X[name].to_numpy(dtype=float)
        binary = bool(np.isin(x, (0.0, 1.0)).all())
        xt, xc = x[t], x[~t]
        if binary:
            p = xt.mean()
            sd_t = math.sqrt(p * (1 - p))
        else:  # divided by the largest |x| first: a square of 1e200 would overflow
            sc = float(np.abs(x).max()) or 1.0
            sd_t = sc * float(np.std(xt / sc, ddof=1))
        row = {}
        for when, w in (("before", np.ones(len(x))), ("after", w_after)):
            if w is None:
                for k in ("treated", "control", "smd", "var_ratio", "ecdf_mean", "ecdf_max"):
                    row[f"{k}_{when}"] = math.nan
                continue
            wt, wc = w[t], w[~t]
            mt, mc = wt > 0, wc > 0
            a, wa, b, wb = xt[mt], wt[mt], xc[mc], wc[mc]
            mean_t, mean_c = _wmean(a, wa), _wmean(b, wb)
            row[f"treated_{when}"] = mean_t
            row[f"control_{when}"] = mean_c
            row[f"smd_{when}"] = (
                (mean_t - mean_c) / sd_t if sd_t > 0 else (0.0 if mean_t == mean_c else math.inf)
            )
            if binary:
                row[f"var_ratio_{when}"] = math.nan
                row[f"ecdf_mean_{when}"] = row[f"ecdf_max_{when}"] = abs(mean_t - mean_c)
            else:
                vc = _wvar(b / sc, wb)
                row[f"var_ratio_{when}"] = _wvar(a / sc, wa) / vc if vc > 0 else math.nan
                row[f"ecdf_mean_{when}"], row[f"ecdf_max_{when}"] = _ecdf_stats(
                    a, wa, b, wb, np.unique(x)
                )
        rows[name] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "covariate"
    return out
