"""The Fine-Gray proportional subdistribution hazards model, fitted as R's survival package does:
``finegray()`` expands the data with censoring weights, ``coxph(..., weights = fgwt, cluster = id)``
fits a weighted Cox model with a robust variance.

A subject who had the competing event at time s stays in the risk set for the event of interest
after s, with weight w(t) = G(t-) / G(s-), where G is the Kaplan-Meier estimate of the censoring
distribution. As in R (Geskus 2011), a subject with an event at time x is not at risk of being
censored at x (censorings at a tied time happen after the events), so G drops only at censoring
times. The weight is piecewise constant between censoring times, so each competing subject
becomes one row per interval between successive censoring times (intervals without an event of
interest are left out: they do not change the fit).

References
----------
Fine JP, Gray RJ. A proportional hazards model for the subdistribution of a competing risk.
J Am Stat Assoc 1999;94:496-509.
Geskus RB. Cause-specific cumulative incidence estimation and the Fine and Gray model under both
left truncation and right censoring. Biometrics 2011;67:39-49.
Therneau T, Crowson C, Atkinson E. Multi-state models and competing risks. Vignette "compete" of
the R package survival.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from .._validation import (
    check_choice,
    check_durations,
    check_level,
    level_from_alpha,
    renamed_arguments,
)
from . import _core
from .cox import CoxResult, _infinite_message, _Prepared, _summary

__all__ = ["fine_gray", "FineGrayResult"]


@dataclasses.dataclass(frozen=True, repr=False)
class FineGrayResult(CoxResult):
    """A Fine-Gray fit: ``summary`` holds subdistribution hazard ratios (column ``hr``)."""

    _title: ClassVar[str] = "Fine-Gray subdistribution hazards model"
    event_of_interest: int = 1
    n_competing: int = 0


def _codes(x, name):
    from .competing import whole_codes  # one contract for cumulative_incidence, gray_k_sample

    return whole_codes(x, name)


def _censoring_km(time: np.ndarray, code: np.ndarray):
    """Censoring times B and the censoring Kaplan-Meier G just after each (R ``finegray``:
    a subject with an event at x is not at risk of being censored at x)."""
    n = len(time)
    tt, inv = np.unique(time, return_inverse=True)
    cens = np.bincount(inv, weights=code == 0, minlength=len(tt))
    anyev = np.bincount(inv, weights=code > 0, minlength=len(tt))
    n_ge = n - np.r_[0, np.cumsum(np.bincount(inv, minlength=len(tt)))[:-1]]
    nrisk = n_ge - anyev  # events at t are not at risk of censoring at t
    with np.errstate(divide="ignore", invalid="ignore"):
        G = np.cumprod(np.where(cens > 0, 1 - cens / np.maximum(nrisk, 1), 1.0))
    brk = cens > 0
    return tt[brk], G[brk]


def _g_minus(B: np.ndarray, GB: np.ndarray, t: np.ndarray) -> np.ndarray:
    """G(t-): the censoring survival just before t (censorings strictly before t)."""
    return np.r_[1.0, GB][np.searchsorted(B, t, "left")]


class _FGData(_core.CoxData):
    """Fine-Gray risk sets computed directly, without R's expanded data set.

    Every subject is a row (stop = its own time; status 1 for the cause of interest). A subject
    with a competing event at s stays in the risk set of every later event time t with weight
    G(t-) / G(s-): the risk-set sums gain a *tail* sum_j r_j x_j / G(s_j-) over the competing
    subjects with s_j < t, times G(t-) -- one cumulative sum, so time and memory are O(n p)
    where the expansion has one row per competing subject and later censoring time
    (quadratic). The fit, score residuals and robust variance equal those on R's
    ``finegray()`` rows (the weights are constant between censoring times, so the pieces of
    a subject sum to the same integrals).
    """

    def __init__(self, X, time, code, cause, B, GB, ties):
        status = (code == cause).astype(float)
        super().__init__(X, time, status, ties=ties)
        comp = np.nonzero((code > 0) & (code != cause))[0]
        ev_times = np.unique(time[status == 1])
        self.tail_rows = comp
        self.tail_scale = 1.0 / _g_minus(B, GB, time[comp])
        self.tail_from = np.searchsorted(ev_times, time[comp], "right")  # first event > s
        self.Gk = _g_minus(B, GB, ev_times)
        order = np.argsort(self.tail_from, kind="mergesort")
        self._tail_order = order
        self._tail_count = np.searchsorted(self.tail_from[order], np.arange(self.K), "right")

    def _risk_sums(self, v):
        out = super()._risk_sums(v)
        if len(self.tail_rows) == 0 or self.K == 0:
            return out
        scale = self.tail_scale.reshape((-1,) + (1,) * (v.ndim - 1))
        a = (v[self.tail_rows] * scale)[self._tail_order]
        cs = np.concatenate([np.zeros((1,) + a.shape[1:]), np.cumsum(a, axis=0)])
        return out + self.Gk.reshape((-1,) + (1,) * (v.ndim - 1)) * cs[self._tail_count]

    def _at_risk_hazard(self, c):
        out = super()._at_risk_hazard(c)
        if len(self.tail_rows) == 0 or self.K == 0:
            return out
        GC = self.Gk.reshape((-1,) + (1,) * (c.ndim - 1)) * self._by_group(c)
        suf = np.concatenate([np.cumsum(GC[::-1], axis=0)[::-1], np.zeros((1,) + GC.shape[1:])])
        scale = self.tail_scale.reshape((-1,) + (1,) * (c.ndim - 1))
        out[self.tail_rows] += scale * suf[self.tail_from]
        return out


def _fg_rows(time: np.ndarray, code: np.ndarray, cause: int):
    """Expanded rows (subject, start, stop, status, weight) of R's ``finegray`` (kept as the
    reference layout of R's data set; :func:`fine_gray` fits on :class:`_FGData` instead)."""
    n = len(time)
    B, GB = _censoring_km(time, code)  # censoring times and G just after each
    ev_times = np.unique(time[code == cause])
    tmax = time.max()
    comp = np.nonzero((code > 0) & (code != cause))[0]
    plain = np.setdiff1d(np.arange(n), comp)
    rows_id = [plain]
    rows_start = [np.full(len(plain), -np.inf)]
    rows_stop = [time[plain]]
    rows_w = [np.ones(len(plain))]
    if len(comp):
        s = time[comp]
        j0 = np.searchsorted(B, s, "left")  # first censoring time >= s
        g_sminus = np.r_[1.0, GB][np.searchsorted(B, s, "left")]  # G(s-): censorings before s
        m = len(B)
        npieces = m - j0 + 1
        sid = np.repeat(comp, npieces)
        k = np.arange(npieces.sum()) - np.repeat(np.cumsum(npieces) - npieces, npieces)  # 0..np-1
        jj = np.repeat(j0, npieces) + k - 1  # breakpoint that starts the piece (-1: none)
        start = np.where(k == 0, -np.inf, B[np.clip(jj, 0, max(m - 1, 0))] if m else -np.inf)
        nxt = jj + 1
        stop = np.where(nxt < m, B[np.clip(nxt, 0, max(m - 1, 0))] if m else tmax, tmax)
        g_start = np.where(
            k == 0, np.repeat(g_sminus, npieces), GB[np.clip(jj, 0, max(m - 1, 0))] if m else 1.0
        )
        w = g_start / np.repeat(g_sminus, npieces)
        has_event = (
            np.searchsorted(ev_times, stop, "right") - np.searchsorted(ev_times, start, "right")
        ) > 0
        keep = ((k == 0) | has_event) & (stop > start)  # R keeps the first row always
        rows_id.append(sid[keep])
        rows_start.append(start[keep])
        rows_stop.append(stop[keep])
        rows_w.append(w[keep])
    rid = np.concatenate(rows_id)
    status = np.where(
        np.concatenate([code[plain] == cause, np.zeros(len(rid) - len(plain), bool)]), 1, 0
    )
    return (
        rid,
        np.concatenate(rows_start),
        np.concatenate(rows_stop),
        status,
        np.concatenate(rows_w),
    )


def _weight_rows(data, duration, event, prep, censoring_from):
    """Times and codes the censoring distribution is estimated from: every row with a time and
    an event code (R ``finegray(na.action = na.pass)``), or the model's complete rows."""
    if censoring_from == "complete" or prep.n_dropped == 0:
        return prep.time, prep.status
    rows = data[[duration, event]].dropna()
    return (
        check_durations(rows[duration], f"{duration} (duration)"),
        _codes(rows[event], f"{event} (event)"),
    )


@renamed_arguments(alpha=("level", level_from_alpha))
def fine_gray(
    data: pd.DataFrame,
    duration: str,
    event: str,
    covariates: Sequence[str],
    event_of_interest: int = 1,
    cluster: str | None = None,
    ties: str = "efron",
    reference: dict | None = None,
    *,
    level: float = 0.95,
    censoring_from: str = "all",
) -> FineGrayResult:
    """Fine-Gray model for the subdistribution hazard of one cause (R ``finegray`` + ``coxph``).

    Parameters
    ----------
    data : DataFrame
    duration : str
        Time to the first event or censoring.
    event : str
        Event codes: 0 censored, 1, 2, ... the causes (e.g. 1 local progression, 2 death).
    covariates : list of str
        As :func:`cox` (categorical columns become indicators against a reference level).
    event_of_interest : int
        The cause modelled; every other non-zero code is a competing event.
    cluster : str, optional
        Robust variance clustered on this column (e.g. patient when lesions are the rows);
        by default on the subject (row), as R's ``coxph(..., cluster = id)`` on ``finegray``
        data.
    ties : {"efron", "breslow"}
        Efron, as ``coxph``'s default on the expanded data; with untied times both equal
        cmprsk's ``crr`` point estimates.
    reference : dict, optional
    level : float
        Confidence level of the intervals (0.95). (``alpha``, its former name as 1 - level,
        warns.)
    censoring_from : {"all", "complete"}
        Rows the censoring weights G are estimated from. "all" (default): every row with a time
        and an event code, including rows whose covariates are missing, as R's ``finegray``
        (``na.action = na.pass``) followed by ``coxph`` on the complete cases. "complete": the
        model's complete rows only, as cmprsk's ``crr`` (which omits incomplete rows first).

    Returns
    -------
    FineGrayResult
        ``summary`` with ``coef``, robust ``se``, ``hr`` (subdistribution hazard ratio) and its
        interval, ``z``, ``p``; ``se_naive``; ``n``, ``events`` (of the cause), ``n_competing``.
        The robust SE is R's ``coxph`` one on the weighted data; cmprsk's ``crr`` also accounts
        for the estimation of the censoring weights, so its SEs differ slightly.

    Raises
    ------
    ValueError
        No event of the cause, invalid codes, an infinite covariate value, and the cases
        :func:`cox` refuses.

    Notes
    -----
    The risk sets are computed directly (:class:`_FGData`): O(n p) time and memory per Newton
    step, where R's expanded data set can hold a row per competing subject and later censoring
    time (quadratic in n with untied times).

    References
    ----------
    Fine JP, Gray RJ. J Am Stat Assoc 1999;94:496-509. Geskus RB. Biometrics 2011;67:39-49.
    """
    ties = check_choice(ties, "ties", ("efron", "breslow"))
    level = check_level(level)
    censoring_from = check_choice(censoring_from, "censoring_from", ("all", "complete"))
    prep = _Prepared(data, duration, event, covariates, reference, None, cluster, events_fn=_codes)
    code = prep.status
    present = sorted(set(code[code > 0].tolist()))
    if isinstance(event_of_interest, bool) or event_of_interest not in present:
        raise ValueError(
            f"event_of_interest must be one of the event codes present, {present}; "
            f"got {event_of_interest!r}"
        )
    bad = [name for name, ok in zip(prep.names, np.isfinite(prep.X).all(axis=0)) if not ok]
    if bad:
        raise ValueError(
            f"covariate(s) {bad} hold infinite values; every covariate value must be finite"
        )
    g_time, g_code = _weight_rows(data, duration, event, prep, censoring_from)
    B, GB = _censoring_km(g_time, g_code)
    cdata = _FGData(prep.X, prep.time, code, event_of_interest, B, GB, ties)
    try:
        fit = _core.newton(cdata)
    except _core.SingularError:
        raise ValueError(
            f"covariates {prep.names}: the information matrix is singular "
            f"(collinear covariates); drop one"
        ) from None
    if fit.infinite.any():
        raise ValueError(_infinite_message(prep.names, fit.infinite, prep))
    clus = prep.cluster_codes if prep.cluster_codes is not None else np.arange(len(prep.time))
    V = _core.robust_variance(cdata, fit, clus)
    se = np.sqrt(np.diag(V))
    idx = pd.Index(prep.names, name="covariate")
    lr = 2 * (fit.loglik - fit.loglik0)
    p = len(prep.names)
    notes = tuple(prep.notes) + (
        f"censoring weights G(t-)/G(s-) as R finegray, G from "
        f"{len(g_time)} rows with a time and an event code",
    )
    return FineGrayResult(
        _summary(prep.names, fit.beta, se, level),
        len(prep.df),
        int((code == event_of_interest).sum()),
        prep.n_dropped,
        ties,
        True,
        lr,
        p,
        float(stats.chi2.sf(lr, p)),
        fit.loglik,
        int(clus.max()) + 1,
        None,
        notes,
        pd.Series(np.sqrt(np.diag(fit.var)), index=idx, name="se_naive"),
        None,
        None,
        None,
        int(event_of_interest),
        int(((code > 0) & (code != event_of_interest)).sum()),
    )
