"""Kaplan-Meier estimates, survival at fixed times and median survival (R ``survfit``).

References
----------
Kaplan EL, Meier P. Nonparametric estimation from incomplete observations. J Am Stat Assoc
1958;53:457-481.
Greenwood M. The natural duration of cancer. Rep Public Health Med Subj 1926;33:1-26.
Brookmeyer R, Crowley J. A confidence interval for the median survival time. Biometrics
1982;38:29-41.
Collett D. Modelling Survival Data in Medical Research, 3rd ed. CRC Press, 2015 (section 2.4).
Klein JP, Moeschberger ML. Survival Analysis, 2nd ed. Springer, 2003 (section 4.5).
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from .._results import Result
from .._validation import (align_series, as_float_array, check_choice, check_durations,
                           check_events, check_open_interval, check_same_length)

__all__ = ["km_table", "survival_at", "median_survival", "MedianSurvival"]

_TOL = np.sqrt(np.finfo(float).eps)


def _aligned(**named):
    """The library's Series rule (:func:`align_series`): Series inputs are paired by label."""
    out, _ = align_series(named)
    return [out[k] for k in named]


def _inputs(durations, events):
    durations, events = _aligned(durations=durations, events=events)
    t = check_durations(durations)
    e = check_events(events)
    check_same_length(durations=t, events=e)
    return t, e


def km_table(durations, events, alpha: float = 0.05, conf_type: str = "log") -> pd.DataFrame:
    """The Kaplan-Meier table at every distinct time (events and censorings), as R's ``survfit``.

    Returns
    -------
    DataFrame with columns ``time``, ``n_risk``, ``n_event``, ``n_censor``, ``survival``,
    ``std_err`` (Greenwood standard error of the cumulative hazard, R's ``std.err``),
    ``se_survival`` (Greenwood SE of S), ``lower``, ``upper``.

    Parameters
    ----------
    durations, events : array-like
        Follow-up times (>= 0) and event indicators (1 event, 0 censored).
    alpha : float
        1 - confidence level.
    conf_type : {"log", "log-log", "plain"}
        Pointwise interval; "log" is R's default, "log-log" lifelines' and SAS's.

    Raises
    ------
    ValueError
        Negative or missing durations, events other than 0/1, unequal lengths, bad options.

    References
    ----------
    Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457-481. Greenwood M. Rep Public Health Med
    Subj 1926;33:1-26.
    """
    t, e = _inputs(durations, events)
    alpha = check_open_interval(alpha, "alpha")
    conf_type = check_choice(conf_type, "conf_type", ("log", "log-log", "plain"))
    times, inv = np.unique(t, return_inverse=True)
    d = np.bincount(inv, weights=e, minlength=len(times))
    c = np.bincount(inv, weights=1 - e, minlength=len(times))
    at_risk = len(t) - np.concatenate([[0], np.cumsum(d + c)[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.cumprod(1 - d / at_risk)
        term = np.where(d > 0, d / (at_risk * (at_risk - d)), 0.0)
        gw = np.sqrt(np.cumsum(term))
    lower, upper = _band(s, gw, alpha, conf_type)
    with np.errstate(invalid="ignore"):
        se_s = np.where(s > 0, s * gw, np.nan)   # undefined once the curve reaches 0 (R: NaN/Inf)
    return pd.DataFrame({"time": times, "n_risk": at_risk.astype(int), "n_event": d.astype(int),
                         "n_censor": c.astype(int), "survival": s, "std_err": gw, "se_survival": se_s,
                         "lower": lower, "upper": upper})


def _band(s, se, alpha, conf_type):
    z = stats.norm.ppf(1 - alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        if conf_type == "log":
            lo, hi = s * np.exp(-z * se), np.minimum(s * np.exp(z * se), 1.0)
            lo = np.where(s > 0, lo, np.nan)
            hi = np.where(s > 0, hi, np.nan)
        elif conf_type == "log-log":
            ll = np.log(-np.log(s))
            se_ll = se / np.abs(np.log(s))
            lo, hi = np.exp(-np.exp(ll + z * se_ll)), np.exp(-np.exp(ll - z * se_ll))
            ok = (s > 0) & (s < 1)
            lo, hi = np.where(ok, lo, np.nan), np.where(ok, hi, np.nan)
        else:
            lo, hi = np.maximum(s - z * s * se, 0.0), np.minimum(s + z * s * se, 1.0)
    # before any event R reports the interval (1, 1)
    first = np.isclose(s, 1.0) & (se == 0)
    lo, hi = np.where(first, 1.0, lo), np.where(first, 1.0, hi)
    return lo, hi


def survival_at(durations, events, times, alpha: float = 0.05, conf_type: str = "log") -> pd.DataFrame:
    """Kaplan-Meier survival at given times (e.g. 12 and 24 months) with confidence intervals.

    S(t) is the estimate at the last distinct time <= t (a step function, right-continuous).
    ``n_risk`` is the number still under observation at t (duration >= t), as R's
    ``summary(survfit, times=)`` reports.

    Parameters
    ----------
    durations, events : array-like
        As :func:`km_table`; pandas Series are paired by label.
    times : array-like
        At least one time point, finite and >= 0.
    alpha, conf_type
        As :func:`km_table`.

    Returns
    -------
    DataFrame indexed by time with ``n_risk``, ``survival``, ``se`` (Greenwood), ``lower``,
    ``upper``. Times beyond the last follow-up give NaN.

    Raises
    ------
    ValueError
        No time points, negative or non-finite times, and the cases of :func:`km_table`.

    References
    ----------
    Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457-481.
    """
    t, e = _inputs(durations, events)
    tab = km_table(t, e, alpha, conf_type)
    if times is None or (np.ndim(times) > 0 and len(times) == 0):
        raise ValueError("times must give at least one time point (e.g. [12, 24])")
    q = as_float_array(times, "times")
    if (q < 0).any():
        raise ValueError(f"times must be >= 0; got {q[q < 0].tolist()}")
    idx = np.searchsorted(tab.time.to_numpy(), q, side="right") - 1
    rows = []
    for qi, i in zip(q, idx):
        nr = int((t >= qi).sum())
        if qi > t.max():
            rows.append({"time": qi, "n_risk": nr, "survival": np.nan, "se": np.nan, "lower": np.nan, "upper": np.nan})
        elif i < 0:
            rows.append({"time": qi, "n_risk": nr, "survival": 1.0, "se": 0.0, "lower": 1.0, "upper": 1.0})
        else:
            r = tab.iloc[i]
            rows.append({"time": qi, "n_risk": nr, "survival": r.survival, "se": r.se_survival, "lower": r.lower, "upper": r.upper})
    return pd.DataFrame(rows).set_index("time")


def _first_below(x, y, p=0.5):
    """R's quantile rule (survival:::quantile.survfit): the first time the curve reaches 1-p; if it
    sits exactly at 1-p over an interval, the midpoint of that interval."""
    target = 1 - p
    valid = ~np.isnan(y)
    x, y = x[valid], y[valid]
    idx = np.nonzero(y <= target + _TOL)[0]
    if len(idx) == 0:
        return np.nan
    i = idx[0]
    if abs(y[i] - target) < _TOL and i + 1 < len(x):
        return 0.5 * (x[i] + x[i + 1])
    return float(x[i])


@dataclasses.dataclass(frozen=True, repr=False)
class MedianSurvival(Result):
    """Median survival with its confidence interval (and SE for the SPSS method)."""

    _title: ClassVar[str] = "Median survival"
    median: float
    lower: float
    upper: float
    ci: str
    se: float | None
    n: int
    events: int


def median_survival(durations, events, ci: str = "log", alpha: float = 0.05) -> MedianSurvival:
    """Kaplan-Meier median survival and its confidence interval.

    Parameters
    ----------
    durations, events : array-like
    ci : {"log", "loglog", "spss"}
        "log" and "loglog" invert the pointwise band of that type (Brookmeyer & Crowley 1982),
        exactly as R's ``survfit(..., conf.type="log")`` / ``"log-log"`` print them: the lower
        limit is where the *lower* band first reaches 0.5, the upper limit where the *upper* band
        does (NaN if it never does). "spss" gives the symmetric interval median ± z·SE that SPSS prints
        and papers A and C report, with SE = SE_Greenwood(S(m)) / f, where the density
        f = [S(u) - S(l)] / (l - u), u the largest event time with S >= 0.55 and l the smallest
        with S <= 0.45 (Collett 2015, §2.4; Klein & Moeschberger 2003). This formula is attributed
        to SPSS's Kaplan-Meier procedure by secondary sources; it has not been checked against
        SPSS output. The interval is symmetric and can go below zero.
    alpha : float
        1 - confidence level.

    Returns
    -------
    MedianSurvival
        ``median``, ``lower``, ``upper``, ``ci``, ``se`` (SPSS only), ``n``, ``events``.

    References
    ----------
    Brookmeyer R, Crowley J. Biometrics 1982;38:29-41. Collett D. Modelling Survival Data in
    Medical Research, 3rd ed. CRC Press, 2015 (section 2.4).
    """
    ci = check_choice(ci, "ci", ("log", "loglog", "spss"))
    t, e = _inputs(durations, events)
    tab = km_table(t, e, alpha, "log-log" if ci == "loglog" else "log")
    x, s = tab.time.to_numpy(), tab.survival.to_numpy()
    med = _first_below(x, s)
    se = None
    if ci == "spss":
        ev = tab[tab.n_event > 0]
        if np.isnan(med) or ev.empty:
            lo = hi = se = np.nan
        else:
            s_m = ev.survival[ev.time <= med].iloc[-1] if (ev.time <= med).any() else 1.0
            se_s = ev.se_survival[ev.time <= med].iloc[-1] if (ev.time <= med).any() else 0.0
            u_rows, l_rows = ev[ev.survival >= 0.55 - _TOL], ev[ev.survival <= 0.45 + _TOL]
            u = u_rows.time.iloc[-1] if len(u_rows) else 0.0
            s_u = u_rows.survival.iloc[-1] if len(u_rows) else 1.0
            if len(l_rows):
                lt, s_l = l_rows.time.iloc[0], l_rows.survival.iloc[0]
                dens = (s_u - s_l) / (lt - u) if lt > u else np.nan
                se = float(se_s / dens) if dens and np.isfinite(dens) and dens > 0 else np.nan
            else:
                se = np.nan
            z = stats.norm.ppf(1 - alpha / 2)
            lo, hi = med - z * se, med + z * se
            del s_m
    else:
        lo = _first_below(x, tab.lower.to_numpy())
        hi = _first_below(x, tab.upper.to_numpy())
    return MedianSurvival(float(med), float(lo), float(hi), ci, se, len(t), int(e.sum()))
