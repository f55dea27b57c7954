"""Discrimination of a prognostic score: Harrell's concordance index with a confidence interval.

A score *discriminates* when patients with a worse score tend to die earlier. Harrell's C is the
proportion of usable pairs of patients in which the one who died first had the worse score:

* a pair (i, j) is *comparable* when i has an event at time t_i and j is still at risk then
  (t_j > t_i, or t_j = t_i and j censored, as R counts it);
* it is *concordant* when i (who died first) has the higher risk, *discordant* when lower, and
  *tied on the score* when equal (counted as one half);
* pairs of two events at the same time are *tied on time* and do not enter the denominator.

C = (concordant + tied_score / 2) / (concordant + discordant + tied_score). C = 0.5 is a coin
toss, 1 perfect ranking. Coarse scores (few bands) give many ties on the score, which pull C
towards 0.5.

The standard error is R's: survival::concordance (Therneau, survival >= 3.0) uses the
infinitesimal jackknife (IJ), var(C) = sum_k dfbeta_k^2 with
dfbeta_k = [(c_k - d_k) - (c_k + d_k + t_k) (C - D) / N] / (2 N), where c_k, d_k and t_k are
the concordant, discordant and score-tied comparable pairs observation k takes part in, and N
the number of comparable pairs. With ``cluster`` (e.g. patients who had two operations) the
dfbeta are summed within each cluster before squaring, as R's ``cluster=`` argument does. The
interval is the Wald interval C +/- z SE, cut to [0, 1]. A seeded cluster bootstrap is offered
as an alternative.

References
----------
Harrell FE, Califf RM, Pryor DB, Lee KL, Rosati RA. Evaluating the yield of medical tests.
JAMA 1982;247(18):2543-2546. doi:10.1001/jama.1982.03320430047030
Therneau TM, Atkinson EJ. The concordance statistic. Vignette of the R package survival
(https://cran.r-project.org/package=survival/vignettes/concordance.pdf).
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from ._results import Result
from ._validation import (as_float_array, check_choice, check_durations, check_events,
                          check_open_interval, check_positive_int, check_same_length)

__all__ = ["ConcordanceResult", "concordance", "concordance_pairs"]


@dataclasses.dataclass(frozen=True, repr=False)
class ConcordanceResult(Result):
    """Harrell's C with its standard error, confidence interval and pair counts."""

    _title: ClassVar[str] = "Harrell's concordance"
    c_index: float
    se: float
    lower: float
    upper: float
    ci: str
    n: int
    n_clusters: int
    concordant: int
    discordant: int
    tied_score: int
    tied_time: int
    tied_both: int

    @property
    def comparable(self) -> int:
        """Number of comparable pairs (the denominator): concordant + discordant + tied_score."""
        return self.concordant + self.discordant + self.tied_score


def _check_labels(*inputs: Any) -> None:
    series = [x for x in inputs if isinstance(x, pd.Series)]
    if len(series) > 1 and any(not s.index.equals(series[0].index) for s in series[1:]):
        raise ValueError("durations, events, risk (and cluster) are pandas Series with different "
                         "indexes: align them first (rows are never paired by position when they "
                         "carry labels)")


def _inputs(durations, events, risk, higher):
    _check_labels(durations, events, risk)
    higher = check_choice(higher, "higher", ("risk", "survival"))
    t = check_durations(durations)
    e = check_events(events)
    x = as_float_array(risk, "risk")
    check_same_length(durations=t, events=e, risk=x)
    if e.sum() == 0:
        raise ValueError("events must contain at least one event (1): no pair is comparable")
    return t, e, (x if higher == "risk" else -x)


def _c_and_dfbeta(t, e, x):
    """C, the IJ dfbeta per row, and the five pair counts; O(n^2) time, computed in row blocks
    (row i = the earlier event, column j = the row still at risk) so memory stays O(n)."""
    n = len(t)
    ck, dk, tk = np.zeros(n), np.zeros(n), np.zeros(n)
    conc = disc = tie = tied_t = tied_xy = 0
    step = max(1, 2_000_000 // n)
    for a in range(0, n, step):
        b = min(n, a + step)
        ti, xi = t[a:b, None], x[a:b, None]
        ev = e[a:b, None] == 1
        comp = ev & ((t[None, :] > ti) | ((t[None, :] == ti) & (e[None, :] == 0)))
        same = ev & (e[None, :] == 1) & (t[None, :] == ti)
        same[np.arange(b - a), np.arange(a, b)] = False          # a row is not its own pair
        gt, lt, eq = comp & (xi > x[None, :]), comp & (xi < x[None, :]), comp & (xi == x[None, :])
        conc, disc, tie = conc + int(gt.sum()), disc + int(lt.sum()), tie + int(eq.sum())
        for m, acc in ((gt, ck), (lt, dk), (eq, tk)):
            acc[a:b] += m.sum(1)
            acc += m.sum(0)
        same_x = same & (xi == x[None, :])
        tied_t, tied_xy = tied_t + int((same & ~same_x).sum()), tied_xy + int(same_x.sum())
    npair = conc + disc + tie
    counts = (conc, disc, tie, tied_t // 2, tied_xy // 2)
    if npair == 0:
        return np.nan, None, counts
    somer = (conc - disc) / npair
    dfbeta = ((ck - dk) - (ck + dk + tk) * somer) / (2 * npair)
    return (somer + 1) / 2, dfbeta, counts


def concordance_pairs(durations, events, risk, *, higher: str | None = None) -> pd.Series:
    """Counts of pairs as R's ``concordance()$count`` prints them.

    Returns a Series with ``concordant``, ``discordant``, ``tied_score`` (R: tied.x),
    ``tied_time`` (tied.y) and ``tied_both`` (tied.xy). Pairs of two events at the same time
    are counted once.

    Parameters
    ----------
    durations, events, risk : array-like
        Follow-up times (>= 0), event indicators (0/1) and the score, one value per row.
    higher : {"risk", "survival"}
        Whether a higher score means a higher risk of death (e.g. Tomita) or longer survival
        (e.g. Tokuhashi). Required: guessing it silently would turn C into 1 - C.
    """
    t, e, x = _inputs(durations, events, risk, higher)
    names = ("concordant", "discordant", "tied_score", "tied_time", "tied_both")
    return pd.Series(dict(zip(names, _c_and_dfbeta(t, e, x)[2])))


def concordance(durations, events, risk, *, higher: str | None = None, cluster=None, ci: str = "ij",
                alpha: float = 0.05, n_boot: int = 2000, seed: int | None = None) -> ConcordanceResult:
    """Harrell's concordance index (C) of a score with a confidence interval.

    Parameters
    ----------
    durations : array-like
        Follow-up times, >= 0.
    events : array-like
        1 = death (event), 0 = censored.
    risk : array-like
        The score (a total, a band code, or a linear predictor).
    higher : {"risk", "survival"}
        Direction of the score: "risk" when a higher value predicts earlier death (Tomita,
        SINS, a Cox linear predictor), "survival" when it predicts longer survival (Tokuhashi).
    cluster : array-like, optional
        Cluster labels (e.g. patient ids when rows are operations or lesions). The IJ variance
        then sums each cluster's influence (R's ``cluster=``); the bootstrap resamples clusters.
    ci : {"ij", "bootstrap"}
        "ij": Wald interval with R's infinitesimal-jackknife SE (default); "bootstrap":
        percentile interval of ``n_boot`` resamples (rows, or clusters), needs ``seed``.
    alpha : float
        1 - confidence level.
    n_boot : int
        Bootstrap resamples (``ci="bootstrap"`` only).
    seed : int
        Seed of the bootstrap's random generator (required for ``ci="bootstrap"``).

    Returns
    -------
    ConcordanceResult
        ``c_index``, ``se``, ``lower``, ``upper``, pair counts and ``comparable``.

    Raises
    ------
    ValueError
        For invalid times, events or scores, mismatched lengths or indexes, no event, an
        unknown ``higher``/``ci``, or a bootstrap without a seed.

    Notes
    -----
    Every pair is examined: O(n^2) time and O(n) memory (row blocks), about a second for
    n = 10,000 (benchmarks/bench_scores.py); clinical series of tens to thousands of rows are
    instant.

    Tested against R: ``concordance(Surv(time, status) ~ ph.ecog, lung, reverse = TRUE)`` gives
    the counts 8392, 4258, 7137, 21, 7 (survival package, tests/concordance.R) and
    ``summary(coxph(Surv(time, status) ~ age + sex, lung))`` prints
    ``Concordance= 0.603 (se = 0.025)`` (survival package, tests/Examples/survival-Ex.Rout.save).

    References
    ----------
    Harrell FE, et al. JAMA 1982;247(18):2543-2546. doi:10.1001/jama.1982.03320430047030
    Therneau TM, Atkinson EJ. The concordance statistic (survival package vignette).

    Examples
    --------
    >>> concordance([5, 8, 3, 10], [1, 1, 1, 0], [2, 1, 3, 0], higher="risk").c_index
    1.0
    """
    ci = check_choice(ci, "ci", ("ij", "bootstrap"))
    alpha = check_open_interval(alpha, "alpha")
    _check_labels(durations, events, risk, *( [cluster] if cluster is not None else []))
    t, e, x = _inputs(durations, events, risk, higher)
    if cluster is not None:
        g = np.asarray(cluster, dtype=object)
        if g.ndim != 1 or len(g) != len(t):
            raise ValueError(f"cluster must have one label per row ({len(t)}), got shape {g.shape}")
        if pd.isna(g).any():
            raise ValueError("cluster contains missing labels")
        codes, labels = pd.factorize(g)
    else:
        codes, labels = np.arange(len(t)), np.arange(len(t))
    c, dfbeta, counts = _c_and_dfbeta(t, e, x)
    if dfbeta is None:
        raise ValueError("no comparable pairs: every event is tied in time with every other row")
    se = float(np.sqrt(np.sum(np.bincount(codes, weights=dfbeta) ** 2)))
    z = stats.norm.ppf(1 - alpha / 2)
    if ci == "ij":
        lo, hi = max(0.0, c - z * se), min(1.0, c + z * se)
    else:
        if seed is None or isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise ValueError(f"seed must be an integer for ci='bootstrap', got {seed!r}")
        n_boot = check_positive_int(n_boot, "n_boot")
        rng = np.random.default_rng(int(seed))
        members = [np.flatnonzero(codes == k) for k in range(len(labels))]
        boots = []
        for _ in range(n_boot):
            pick = np.concatenate([members[k] for k in rng.integers(len(labels), size=len(labels))])
            if e[pick].sum() == 0:
                continue
            c_b = _c_and_dfbeta(t[pick], e[pick], x[pick])[0]
            if np.isfinite(c_b):
                boots.append(c_b)
        lo, hi = (float(q) for q in np.quantile(boots, [alpha / 2, 1 - alpha / 2]))
    return ConcordanceResult(float(c), se, float(lo), float(hi), ci, len(t), len(labels), *counts)
