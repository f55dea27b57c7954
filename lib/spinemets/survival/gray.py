"""Gray's K-sample test of equal cumulative incidence of one cause (R ``cmprsk::cuminc`` tests).

The log-rank test compares cause-specific hazards; with a competing risk (death before local
progression) equal hazards do not mean equal probabilities of progression. Gray's test compares
the *cumulative incidence* functions directly: it is a weighted log-rank-type comparison of the
subdistribution hazards, in which subjects who had the competing event stay in the risk set with
a weight that falls as the group's event-free survival falls.

References
----------
Gray RJ. A class of K-sample tests for comparing the cumulative incidence of a competing risk.
Ann Stat 1988;16:1141-1154.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from .._results import TestResult
from .._validation import (
    check_number,
    check_same_length,
    factorize_labels,
    renamed_arguments,
    renamed_function,
)
from .competing import _event_codes, check_event_of_interest
from .km import _aligned

__all__ = ["gray_k_sample", "GrayResult"]


@dataclasses.dataclass(frozen=True, repr=False)
class GrayResult(TestResult):
    """Gray's test: chi-square statistic, df (groups - 1), p-value, events per group."""

    _title: ClassVar[str] = "Gray's test of equal cumulative incidence"
    event_of_interest: int = 1
    table: pd.DataFrame = dataclasses.field(default=None)

    @property
    def cause(self) -> int:
        """Former name of :attr:`event_of_interest` (kept for one release)."""
        return self.event_of_interest


def _score_variance(t, m, g, k, rho):
    """Gray's score for groups 1..k-1 and its variance in one stratum.

    ``m`` is 0 censored, 1 the cause of interest, 2 any other cause; ``g`` in 0..k-1. Per distinct
    time, with n_j at risk and S_j(t-) the event-free Kaplan-Meier of group j, R_j = n_j / S_j(t-)
    and the common estimate F(t) = F(t-) + d1 / sum_j R_j; the score of group j adds
    w(t) [d1_j - d1 R_j (1 - F_j(t-)) / sum_r R_r (1 - F_r(t-))] with w(t) = (1 - F(t-))^rho.
    The variance is Gray's (1988) consistent estimator (section 2), with the correction for
    tied events used by cmprsk.
    """
    order = np.argsort(t, kind="mergesort")
    t, m, g = t[order], m[order], g[order]
    k1 = k - 1
    rs = np.bincount(g, minlength=k).astype(float)
    f1m = np.zeros(k)
    skmm = np.ones(k)
    fm = 0.0
    score = np.zeros(k1)
    var = np.zeros((k1, k1))
    v3 = np.zeros(k)
    v2 = np.zeros((k1, k))
    cmat = np.zeros((k, k))
    times, starts = np.unique(t, return_index=True)
    ends = np.r_[starts[1:], len(t)]
    for lo, hi in zip(starts, ends):
        gg, mm = g[lo:hi], m[lo:hi]
        d1 = np.bincount(gg[mm == 1], minlength=k).astype(float)
        d2 = np.bincount(gg[mm == 2], minlength=k).astype(float)
        nd1, nd2 = d1.sum(), d2.sum()
        if nd1 + nd2 > 0:
            pos = rs > 0
            safe = np.where(pos, rs, 1.0)
            skm = np.where(pos, skmm * (rs - d1 - d2) / safe, skmm)
            f1 = np.where(pos, f1m + skmm * d1 / safe, f1m)
            R = np.divide(rs, skmm, out=np.zeros(k), where=pos)
            tr = R.sum()
            tq = (R * (1 - f1m)).sum()
            f = fm + nd1 / tr
            wt = (1 - fm) ** rho
            a = wt * (np.diag(R) - np.outer(R, R) / tr)
            if nd1 > 0 and fm < 1:
                cmat += a * nd1 / (tr * (1 - fm))
            score += np.where(pos[:k1], wt * (d1[:k1] - nd1 * R[:k1] * (1 - f1m[:k1]) / tq), 0.0)
            if nd1 > 0:
                for j in np.nonzero(pos)[0]:
                    c4 = 1 - (1 - f) / skm[j] if skm[j] > 0 else 1.0
                    c5 = 1 - (nd1 - 1) / (tr * skmm[j] - 1) if nd1 > 1 else 1.0
                    c3 = c5 * skmm[j] * nd1 / (tr * rs[j])
                    v3[j] += c4 * c4 * c3
                    u = a[:k1, j] - c4 * cmat[:k1, j]
                    v2[:, j] += u * c4 * c3
                    var += np.outer(u, u) * c3
            if nd2 > 0:
                for j in np.nonzero((skm > 0) & (d2 > 0))[0]:
                    c4 = (1 - f) / skm[j]
                    c5 = 1 - (d2[j] - 1) / (rs[j] - 1) if d2[j] > 1 else 1.0
                    c3 = c5 * skmm[j] ** 2 * d2[j] / rs[j] ** 2
                    v3[j] += c4 * c4 * c3
                    u = c4 * cmat[:k1, j]
                    v2[:, j] -= u * c4 * c3
                    var += np.outer(u, u) * c3
            fm, f1m, skmm = f, f1, skm
        rs -= np.bincount(gg, minlength=k)
    C = cmat[:k1]
    var += (C * v3) @ C.T + C @ v2.T + v2 @ C.T
    return score, var


@renamed_arguments(event_codes="events", cause="event_of_interest")
def gray_k_sample(
    durations, events, groups, event_of_interest: int = 1, strata=None, rho: float = 0.0
) -> GrayResult:
    """Gray's K-sample test that the cumulative incidence of ``event_of_interest`` is the same
    in every group (formerly ``gray_test``: a test's name carries no ``_test`` suffix).

    Parameters
    ----------
    durations : array-like
        Time to the first event or censoring.
    events : array-like of int
        Event codes: 0 censored, 1, 2, ... the causes (as :func:`cumulative_incidence`).
        (``event_codes``, its former name, warns.)
    groups : array-like
        Group labels, at least two levels.
    event_of_interest : int
        The cause of interest; every other non-zero code is a competing event. (``cause``, its
        former name, warns.)
    strata : array-like, optional
        Stratified test: scores and variances summed over strata (cmprsk ``strata=``).
    rho : float
        Weight ``(1 - F(t-))^rho``; 0 (the default, as cmprsk) is the log-rank-type weight.

    Returns
    -------
    GrayResult
        ``statistic`` (chi-square on groups - 1 df), ``df``, ``p_value``, ``event_of_interest`` and ``table``
        (N, events of the cause and competing events per group).

    Raises
    ------
    ValueError
        No event of ``event_of_interest`` (nothing to compare), fewer than two groups, strata that each
        hold a single group, invalid codes or durations.

    References
    ----------
    Gray RJ. Ann Stat 1988;16:1141-1154.
    """
    durations, events, groups, strata = _aligned(
        durations=durations, events=events, groups=groups, strata=strata
    )
    t, codes = _event_codes(durations, events)
    g_codes, levels = factorize_labels(groups, "groups", min_levels=2, sort=True)
    check_same_length(durations=t, groups=g_codes)
    rho = check_number(rho, "rho", low=0)
    cause = check_event_of_interest(event_of_interest, codes)
    m = np.where(codes == 0, 0, np.where(codes == cause, 1, 2))
    k = len(levels)
    if strata is None:
        s_codes = np.zeros(len(t), dtype=np.int64)
    else:
        s_codes, _ = factorize_labels(strata, "strata")  # coded as logrank's strata
        check_same_length(durations=t, strata=s_codes)
    score, var = np.zeros(k - 1), np.zeros((k - 1, k - 1))
    for s in np.unique(s_codes):
        sel = s_codes == s
        sc, v = _score_variance(t[sel], m[sel], g_codes[sel], k, rho)
        score += sc
        var += v
    if np.allclose(var, 0):
        raise ValueError(
            "strata: no stratum holds two groups at risk at an event time; the test "
            "compares nothing"
            if strata is not None
            else "groups: no event time has two groups at risk; the test has no information"
        )
    try:
        stat = float(score @ np.linalg.solve(var, score))
    except np.linalg.LinAlgError:
        raise ValueError(
            "groups: the variance of Gray's score is singular (a group with no one "
            "at risk at any event time); merge or drop that group"
        ) from None
    df = k - 1
    table = pd.DataFrame(
        {
            "N": np.bincount(g_codes, minlength=k),
            "events": np.bincount(g_codes, weights=m == 1, minlength=k).astype(int),
            "competing": np.bincount(g_codes, weights=m == 2, minlength=k).astype(int),
        },
        index=pd.Index(levels, name="group"),
    )
    return GrayResult("Gray", stat, df, float(stats.chi2.sf(stat, df)), int(cause), table)


#: Former name of :func:`gray_k_sample`, kept for one release (warns).
gray_test = renamed_function(gray_k_sample, "gray_test")
