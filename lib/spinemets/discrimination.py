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
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from ._results import Result
from ._validation import (
    align_series,
    as_float_array,
    check_choice,
    check_durations,
    check_events,
    check_level,
    check_positive_int,
    check_same_length,
    level_from_alpha,
    renamed_arguments,
)

__all__ = ["ConcordanceResult", "concordance", "concordance_pairs"]


@dataclasses.dataclass(frozen=True, repr=False)
class ConcordanceResult(Result):
    """Harrell's C with its standard error, confidence interval and pair counts."""

    _title: ClassVar[str] = "Harrell's concordance"
    c_index: float
    se: float
    lower: float
    upper: float
    method: str
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

    @property
    def ci(self) -> str:
        """Former name of :attr:`method` (kept for one release)."""
        return self.method


def _aligned(durations, events, risk, cluster=None):
    """Series are paired by label (the library's rule, :func:`align_series`): reordered labels
    are aligned to the first Series; a different label set raises."""
    named = {"durations": durations, "events": events, "risk": risk}
    if cluster is not None:
        named["cluster"] = cluster
    out, _ = align_series(named)
    return out["durations"], out["events"], out["risk"], out.get("cluster")


def _inputs(durations, events, risk, higher):
    durations, events, risk, _ = _aligned(durations, events, risk)
    higher = check_choice(higher, "higher", ("risk", "survival"))
    t = check_durations(durations)
    e = check_events(events)
    x = as_float_array(risk, "risk")
    check_same_length(durations=t, events=e, risk=x)
    if e.sum() == 0:
        raise ValueError("events must contain at least one event (1): no pair is comparable")
    return t, e, (x if higher == "risk" else -x)


def _earlier_points(rank: np.ndarray, is_point: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each element of a sequence, how many *points* earlier in the sequence have a smaller
    rank, and how many an equal rank (an offline dominance count).

    Bottom-up over blocks of size 1, 2, 4, ...: at each level every element of a right-hand
    block counts the points of its left-hand sibling by binary search in the sorted ranks of
    that sibling (key = pair number * R + rank, so one sort and one search serve every pair).
    O(m log^2 m) time in numpy, O(m) memory; the role of the Fenwick tree over risk scores in R's
    ``concordance`` C code (``concordance3``), without a Python loop over rows.
    """
    m = len(rank)
    less = np.zeros(m, dtype=np.int64)
    equal = np.zeros(m, dtype=np.int64)
    R = np.int64(rank.max() + 1) if m else np.int64(1)
    pos = np.arange(m, dtype=np.int64)
    rank = rank.astype(np.int64)
    size = 1
    while size < m:
        right = (pos // size) % 2 == 1
        pair = pos // (2 * size)
        left_pts = ~right & is_point
        keys = np.sort(pair[left_pts] * R + rank[left_pts])
        # points of the pairs before each pair: where that pair's keys start in ``keys``
        first = np.r_[0, np.cumsum(np.bincount(pair[left_pts], minlength=pair[-1] + 1))]
        q_key = pair[right] * R + rank[right]
        lo = np.searchsorted(keys, q_key, "left")
        less[right] += lo - first[pair[right]]
        equal[right] += np.searchsorted(keys, q_key, "right") - lo
        size *= 2
    return less, equal


def _count_against(t, kind, rank, point_kinds, query_kinds, descending):
    """Less / equal / greater counts of each query against the points that precede it when rows
    are ordered by time (then by ``kind`` within a time). Returns arrays over the query rows."""
    rows = np.arange(len(t))
    q_rows = rows[np.isin(kind, query_kinds)]
    p_rows = rows[np.isin(kind, point_kinds)]
    seq_row = np.r_[q_rows, p_rows]
    seq_kind = np.r_[kind[q_rows] * 2, kind[p_rows] * 2 + 1]  # distinct codes per role
    tt = t[seq_row]
    order = np.lexsort((seq_kind, -tt if descending else tt))
    is_point = np.r_[np.zeros(len(q_rows), bool), np.ones(len(p_rows), bool)][order]
    less, equal = _earlier_points(rank[seq_row][order], is_point)
    before = np.cumsum(is_point) - is_point
    back = np.empty(len(order), dtype=np.int64)
    back[order] = np.arange(len(order))
    qpos = back[: len(q_rows)]
    lq, eq = less[qpos], equal[qpos]
    return q_rows, lq, eq, before[qpos] - lq - eq


def _c_and_dfbeta(t, e, x):
    """C, the IJ dfbeta per row, and the five pair counts, in O(n log^2 n) time, O(n) memory.

    A pair (i, j) is comparable when i has an event and j is at risk after it (t_j > t_i, or
    t_j = t_i with j censored). Two passes of :func:`_earlier_points`:

    * as the earlier event: rows sorted by decreasing time, at each time first the censored rows
      (points), then the events (queries), then the events (points): an event is compared with
      every row at risk after it;
    * as the row still at risk: rows sorted by increasing time, at each time the events as
      queries, the events as points, then the censored rows as queries.
    """
    n = len(t)
    ev = e == 1
    _, rank = np.unique(x, return_inverse=True)
    rank = rank.reshape(-1)
    # pass 1 (row i the earlier event). Kinds order the rows within one time.
    kind1 = np.where(ev, 1, 0)  # 0 censored, 1 event
    # points: censored (code 1) and events (code 3); queries: events (code 2): order 1 < 2 < 3
    q1, less1, eq1, gt1 = _count_against(t, kind1, rank, (0, 1), (1,), descending=True)
    # pass 2 (row j still at risk): events as queries (0), events as points (1), censored
    # queries (2)
    kind2 = np.where(ev, 0, 1)  # 0 event, 1 censored -> codes 0/1 (event q/p), 2 (cens q)
    q2, less2, eq2, gt2 = _count_against(t, kind2, rank, (0,), (0, 1), descending=False)
    ck, dk, tk = np.zeros(n), np.zeros(n), np.zeros(n)
    ck[q1] += less1  # i died first with the higher score
    dk[q1] += gt1
    tk[q1] += eq1
    ck[q2] += gt2  # j outlived an event with a higher score
    dk[q2] += less2
    tk[q2] += eq2
    conc, disc, tie = int(less1.sum()), int(gt1.sum()), int(eq1.sum())
    # events tied in time: all pairs, and those also tied on the score
    _, d = np.unique(t[ev], return_counts=True)
    _, dxy = np.unique(np.c_[t[ev], rank[ev]], axis=0, return_counts=True)
    same_t = int((d * (d - 1) // 2).sum())
    tied_xy = int((dxy * (dxy - 1) // 2).sum())
    npair = conc + disc + tie
    counts = (conc, disc, tie, same_t - tied_xy, tied_xy)
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


@renamed_arguments(alpha=("level", level_from_alpha), n_boot="n_resamples", ci="method")
def concordance(
    durations,
    events,
    risk,
    *,
    higher: str | None = None,
    cluster=None,
    method: str = "ij",
    level: float = 0.95,
    n_resamples: int = 2000,
    seed: int | None = None,
) -> ConcordanceResult:
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
    method : {"ij", "bootstrap"}
        How the interval is computed (not an interval transformation, hence not ``ci``):
        "ij": Wald interval with R's infinitesimal-jackknife SE (default); "bootstrap":
        percentile interval of ``n_resamples`` resamples (rows, or clusters), needs ``seed``.
        (``ci``, its former name, warns.)
    level : float
        Confidence level (0.95). (``alpha``, its former name as 1 - level, warns.)
    n_resamples : int
        Bootstrap resamples (``method="bootstrap"`` only). (``n_boot``, its former name, warns.)
    seed : int
        Seed of the bootstrap's random generator (required for ``method="bootstrap"``).

    Returns
    -------
    ConcordanceResult
        ``c_index``, ``se``, ``lower``, ``upper``, pair counts and ``comparable``.

    Raises
    ------
    ValueError
        For invalid times, events or scores, mismatched lengths or label sets, no event, an
        unknown ``higher``/``method``, a single cluster, or a bootstrap without a seed.

    Notes
    -----
    The pair counts of every row come from two offline dominance counts over rows sorted by
    time (the role of the balanced tree over risk scores in R's ``concordance``): O(n log^2 n)
    time and O(n) memory, about a second for n = 100,000 with its SE (benchmarks/bench_peers.py).

    The robust SE sums each cluster's IJ influence: the influences of all rows sum to zero, so
    one cluster gives SE 0 (refused) and two clusters an SE with one degree of freedom; use it
    with many clusters. Series inputs are paired by label (reordered labels are aligned).

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
    method = check_choice(method, "method", ("ij", "bootstrap"))
    level = check_level(level)
    durations, events, risk, cluster = _aligned(durations, events, risk, cluster)
    t, e, x = _inputs(durations, events, risk, higher)
    if cluster is not None:
        g = np.asarray(cluster, dtype=object)
        if g.ndim != 1 or len(g) != len(t):
            raise ValueError(f"cluster must have one label per row ({len(t)}), got shape {g.shape}")
        if pd.isna(g).any():
            raise ValueError("cluster contains missing labels")
        codes, labels = pd.factorize(g)
        if len(labels) < 2:
            raise ValueError(
                f"cluster holds a single cluster ({labels[0]!r}): a cluster-robust SE (IJ or "
                f"cluster bootstrap) needs at least 2 clusters (with one it is 0), and is "
                f"trustworthy only with many (tens); drop cluster= for the per-row SE"
            )
    else:
        codes, labels = np.arange(len(t)), np.arange(len(t))
    c, dfbeta, counts = _c_and_dfbeta(t, e, x)
    if dfbeta is None:
        raise ValueError("no comparable pairs: every event is tied in time with every other row")
    se = float(np.sqrt(np.sum(np.bincount(codes, weights=dfbeta) ** 2)))
    z = stats.norm.ppf(0.5 + level / 2)
    if method == "ij":
        lo, hi = max(0.0, c - z * se), min(1.0, c + z * se)
    else:
        if seed is None or isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise ValueError(f"seed must be an integer for method='bootstrap', got {seed!r}")
        n_resamples = check_positive_int(n_resamples, "n_resamples")
        rng = np.random.default_rng(int(seed))
        members = [np.flatnonzero(codes == k) for k in range(len(labels))]
        boots = []
        for _ in range(n_resamples):
            pick = np.concatenate([members[k] for k in rng.integers(len(labels), size=len(labels))])
            if e[pick].sum() == 0:
                continue
            c_b = _c_and_dfbeta(t[pick], e[pick], x[pick])[0]
            if np.isfinite(c_b):
                boots.append(c_b)
        lo, hi = (float(q) for q in np.quantile(boots, [(1 - level) / 2, (1 + level) / 2]))
    return ConcordanceResult(
        float(c), se, float(lo), float(hi), method, len(t), len(labels), *counts
    )
