"""ROC: Youden cutoff, DeLong AUC, and two cutoffs chosen by likelihood ratio."""

from __future__ import annotations

import dataclasses
import itertools
import math
import warnings
from typing import ClassVar, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .._results import Result
from .._validation import (as_float_array, check_choice, check_durations, check_events,
                           check_open_interval, check_same_length)


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


__all__ = ["delong_auc", "CutoffResult", "youden_cutoff", "TwoCutoffResult", "two_cutoffs"]
