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
import functools
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from .._results import Result
from .._validation import (
    align_series,
    as_float_array,
    check_ci,
    check_durations,
    check_events,
    check_level,
    check_same_length,
    level_from_alpha,
    renamed_arguments,
)

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


def _product_limit(t: np.ndarray, e: np.ndarray):
    """The product-limit core of every Kaplan-Meier curve in the library.

    ``t`` are finite times, ``e`` 0/1 event indicators (already validated). Returns
    ``(times, inverse, n_risk, n_event, survival)`` at every distinct time (events and
    censorings): ``inverse`` maps each row to its time, ``n_risk`` counts the rows with
    duration >= that time, and S(t) = prod over times <= t of (1 - n_event / n_risk)
    (Kaplan & Meier 1958). A censoring-only time multiplies S by exactly 1.
    """
    times, inverse = np.unique(t, return_inverse=True)
    d = np.bincount(inverse, weights=e, minlength=len(times))
    n_all = np.bincount(inverse, minlength=len(times))
    at_risk = len(t) - np.concatenate([[0], np.cumsum(n_all)[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.cumprod(1 - d / at_risk)
    return times, inverse, at_risk, d, s


@renamed_arguments(alpha=("level", level_from_alpha), conf_type="ci")
def km_table(durations, events, *, level: float = 0.95, ci: str = "log") -> pd.DataFrame:
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
    level : float
        Confidence level (0.95); R's ``conf.int``. (``alpha``, its former name as 1 - level,
        is accepted with a DeprecationWarning.)
    ci : {"log", "log-log", "plain"}
        Pointwise interval, R's ``conf.type``; "log" is R's default, "log-log" lifelines' and
        SAS's. (``conf_type``, its former name, and the spelling "loglog" warn.)

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
    level = check_level(level)
    ci = check_ci(ci, ("log", "log-log", "plain"))
    times, at_risk, d, c, s, gw, se_s, lower, upper = _km_arrays(t, e, level, ci)
    return pd.DataFrame(
        {
            "time": times,
            "n_risk": at_risk.astype(int),
            "n_event": d.astype(int),
            "n_censor": c.astype(int),
            "survival": s,
            "std_err": gw,
            "se_survival": se_s,
            "lower": lower,
            "upper": upper,
        }
    )


def _km_arrays(t: np.ndarray, e: np.ndarray, level: float, ci: str | None):
    """The columns of :func:`km_table` as numpy arrays, for validated ``t`` and ``e``.

    ``ci=None`` skips the pointwise band (``lower`` and ``upper`` are None): the median's SPSS
    interval does not use it. The library's callers that need only a few columns (the median,
    the replicates' thousands of medians) use this instead of the DataFrame.
    """
    times, inverse, at_risk, d, s = _product_limit(t, e)
    c = np.bincount(inverse, minlength=len(times)) - d
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(d > 0, d / (at_risk * (at_risk - d)), 0.0)
        gw = np.sqrt(np.cumsum(term))
    lower, upper = (None, None) if ci is None else _band(s, gw, level, ci)
    with np.errstate(invalid="ignore"):
        se_s = np.where(s > 0, s * gw, np.nan)  # undefined once the curve reaches 0 (R: NaN/Inf)
    return times, at_risk, d, c, s, gw, se_s, lower, upper


@functools.lru_cache(maxsize=16)
def _z(level: float) -> float:
    """The two-sided normal quantile for a ``level`` interval (computed once per level)."""
    return stats.norm.ppf(0.5 + level / 2)


def _band(s, se, level, ci):
    z = _z(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        if ci == "log":
            lo, hi = s * np.exp(-z * se), np.minimum(s * np.exp(z * se), 1.0)
            lo = np.where(s > 0, lo, np.nan)
            hi = np.where(s > 0, hi, np.nan)
        elif ci == "log-log":
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


@renamed_arguments(alpha=("level", level_from_alpha), conf_type="ci")
def survival_at(durations, events, times, *, level: float = 0.95, ci: str = "log") -> pd.DataFrame:
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
    level, ci
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
    tab = km_table(t, e, level=level, ci=ci)
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
            rows.append(
                {
                    "time": qi,
                    "n_risk": nr,
                    "survival": np.nan,
                    "se": np.nan,
                    "lower": np.nan,
                    "upper": np.nan,
                }
            )
        elif i < 0:
            rows.append(
                {"time": qi, "n_risk": nr, "survival": 1.0, "se": 0.0, "lower": 1.0, "upper": 1.0}
            )
        else:
            r = tab.iloc[i]
            rows.append(
                {
                    "time": qi,
                    "n_risk": nr,
                    "survival": r.survival,
                    "se": r.se_survival,
                    "lower": r.lower,
                    "upper": r.upper,
                }
            )
    return pd.DataFrame(rows).set_index("time")


def _r_print_median(x, y, p=0.5):
    """R's ``print.survfit`` / ``summary.survfit`` median rule (``survival:::survmean``'s
    ``minmin``), for the curve ``y`` (S or one of its bands) at the times ``x``.

    The first time with y < 1 - p + tol (tol = sqrt(machine epsilon), as ``all.equal``); if y
    there equals 1 - p within tol *and the curve drops lower later*, the midpoint of that time
    and the time of the next drop (the next row with a smaller y: a censoring row never
    qualifies). If the curve stays at 1 - p to the end, that first time itself. NaN values are
    skipped; NaN if the curve never reaches 1 - p.
    """
    target = 1 - p
    keep = ~np.isnan(y) & (y < target + _TOL)
    if not keep.any():
        return np.nan
    x, y = x[keep], y[keep]
    lower = np.nonzero(y < y[0])[0]
    if abs(y[0] - target) < _TOL and lower.size:
        return 0.5 * (x[0] + x[lower[0]])
    return float(x[0])


def _r_quantile(x, y, p=0.5, start=0.0):
    """R's ``quantile.survfit`` rule (``survival:::findq`` via ``doquant``), for the curve ``y``
    at the times ``x`` (curve starting at ``start``).

    Works on F = 1 - y with censoring rows (repeated values) dropped, so each knot is a drop of
    the curve. The quantile is the midpoint of the first knot with F >= p - tol and the first
    with F >= p + tol: the time the curve reaches 1 - p when it passes through, or the midpoint
    of a flat stretch at exactly 1 - p up to the next drop. A flat stretch at 1 - p that lasts
    to the end of the curve gives the midpoint of its start and the *last follow-up time* (where
    the print rule gives its start). NaN if the curve never reaches 1 - p.
    """
    xx = np.r_[start, np.asarray(x, float)]
    ff = np.r_[0.0, 1 - np.asarray(y, float)]
    if np.all(np.isnan(ff)) or np.nanmax(ff) < p:
        return np.nan
    xmax = xx[-1]
    keep = ~pd.Series(ff).duplicated().to_numpy()  # as R's duplicated(): NaN == NaN
    xx, ff = xx[keep], ff[keep]
    last = ff[-1]
    ok = ~np.isnan(ff)  # approx() drops NA pairs
    xx, ff = xx[ok], ff[ok]

    def knot(u):  # approx(u, 1:n, p, "constant", f=1)
        if p < u[0] or p > u[-1]:
            return None
        return int(np.searchsorted(u, p, side="left"))

    i1, i2 = knot(ff + _TOL), knot(ff - _TOL)
    if p == 0:
        return float(xx[0])
    if not np.isnan(last) and abs(p - last) < _TOL and i1 is not None:
        return 0.5 * (xx[i1] + xmax)
    if i1 is None or i2 is None:
        return np.nan
    return 0.5 * (xx[i1] + xx[i2])


def _first_at_or_below(x, y, p=0.5):
    """The first time with y <= 1 - p (within sqrt(machine epsilon), for the rounding of the
    product): SPSS's and lifelines' median, always an observed event time. NaN if never."""
    idx = np.nonzero(~np.isnan(y) & (y <= 1 - p + _TOL))[0]
    return float(x[idx[0]]) if idx.size else np.nan


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


@renamed_arguments(alpha=("level", level_from_alpha))
def median_survival(durations, events, ci: str = "log", *, level: float = 0.95) -> MedianSurvival:
    """Kaplan-Meier median survival and its confidence interval.

    Three rules for the median of a step function are in use, and they differ only when the
    curve sits at exactly S = 0.5 over an interval:

    - **R's print rule** (``print.survfit`` and ``summary(fit)$table``, ``survival:::survmean``):
      the first time with S <= 0.5; if S = 0.5 exactly there, the midpoint of that time and the
      time of the curve's *next drop* (a censoring time is not a drop). If S stays at 0.5 to the
      end of follow-up, the time S reached 0.5.
    - **R's quantile rule** (``quantile.survfit`` / ``median.survfit``, ``survival:::findq``):
      the same, except when S stays at 0.5 to the end of follow-up, where it gives the midpoint
      of the time S reached 0.5 and the last follow-up time.
    - **The first-at-or-below rule** (SPSS, lifelines' ``median_survival_time_``): the first
      time with S <= 0.5, always an observed event time.

    "log" and "log-log" use R's print rule for the median and for both limits (what
    ``print(survfit(...))`` shows); "spss" uses the first-at-or-below rule. With uncensored data
    R's rules give the ordinary sample median (e.g. 5.5 for times 1..10); the first-at-or-below
    rule gives 5. Each rule allows sqrt(machine epsilon) for the rounding of the product (R's
    tolerance).

    Parameters
    ----------
    durations, events : array-like
    ci : {"log", "log-log", "spss"}
        "log" and "log-log" invert the pointwise band of that type (Brookmeyer & Crowley 1982),
        exactly as R's ``survfit(..., conf.type="log")`` / ``"log-log"`` print them: the lower
        limit is where the *lower* band first reaches 0.5, the upper limit where the *upper* band
        does (NaN if it never does). "spss" gives the symmetric interval median ± z·SE that SPSS prints
        and papers A and C report, with SE = SE_Greenwood(S(m)) / f, where the density
        f = [S(u) - S(l)] / (l - u), u the largest event time with S >= 0.55 and l the smallest
        with S <= 0.45 (Collett 2015, §2.4; Klein & Moeschberger 2003). This formula is attributed
        to SPSS's Kaplan-Meier procedure by secondary sources; it has not been checked against
        SPSS output. The interval is symmetric and can go below zero. (The former spelling
        "loglog" warns.)
    level : float
        Confidence level (0.95). (``alpha``, its former name as 1 - level, warns.)

    Returns
    -------
    MedianSurvival
        ``median``, ``lower``, ``upper``, ``ci``, ``se`` (SPSS only), ``n``, ``events``.

    References
    ----------
    Brookmeyer R, Crowley J. Biometrics 1982;38:29-41. Collett D. Modelling Survival Data in
    Medical Research, 3rd ed. CRC Press, 2015 (section 2.4). Therneau T. survival: R package,
    ``R/print.survfit.R`` (``survmean``) and ``R/quantile.survfit.R`` (``findq``),
    https://github.com/therneau/survival.
    """
    ci = check_ci(ci, ("log", "log-log", "spss"))
    level = check_level(level)
    t, e = _inputs(durations, events)
    band = None if ci == "spss" else ("log-log" if ci == "log-log" else "log")
    x, _, d, _, s, _, se_surv, lower, upper = _km_arrays(t, e, level, band)
    med = _first_at_or_below(x, s) if ci == "spss" else _r_print_median(x, s)
    se = None
    if ci == "spss":
        ev = d > 0  # the event rows
        ev_t, ev_s, ev_se = x[ev], s[ev], se_surv[ev]
        if np.isnan(med) or not ev.any():
            lo = hi = se = np.nan
        else:
            upto = ev_t <= med
            se_s = ev_se[upto][-1] if upto.any() else 0.0
            u_rows, l_rows = ev_s >= 0.55 - _TOL, ev_s <= 0.45 + _TOL
            u = ev_t[u_rows][-1] if u_rows.any() else 0.0
            s_u = ev_s[u_rows][-1] if u_rows.any() else 1.0
            if l_rows.any():
                lt, s_l = ev_t[l_rows][0], ev_s[l_rows][0]
                dens = (s_u - s_l) / (lt - u) if lt > u else np.nan
                se = float(se_s / dens) if dens and np.isfinite(dens) and dens > 0 else np.nan
            else:
                se = np.nan
            z = _z(level)
            lo, hi = med - z * se, med + z * se
    else:
        lo = _r_print_median(x, lower)
        hi = _r_print_median(x, upper)
    return MedianSurvival(float(med), float(lo), float(hi), ci, se, len(t), int(e.sum()))
