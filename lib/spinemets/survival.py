"""Survival analysis as the papers use it, checked against R's ``survival`` package.

- :func:`km_table` and :func:`survival_at`: Kaplan-Meier estimates with Greenwood standard errors
  and pointwise confidence intervals ("log", R's default; "log-log"; "plain");
- :func:`median_survival`: the median with three kinds of confidence interval: R's ``survfit``
  "log" and "log-log" (Brookmeyer-Crowley inversion of the pointwise band) and the symmetric
  median ± 1.96·SE that SPSS prints (papers A and C);
- :func:`logrank`, :func:`stratified_logrank` (R ``survdiff`` with ``strata()``; paper B's test for
  matched pairs) and :func:`pairwise_logrank` (paper A's risk-group comparisons);
- :func:`cox`: Cox proportional hazards (Efron or Breslow ties, robust "sandwich" standard errors
  for clustered observations such as lesions within patients, paper D), with the Grambsch-Therneau
  proportional-hazards check;
- :func:`cumulative_incidence`: the Aalen-Johansen estimator for a cause with competing risks
  (local progression with death competing), exact with tied times.

Missing values: the array functions reject NaN (ValueError). :func:`cox` works on a DataFrame and,
as R does, drops rows with a missing value in any used column, reporting how many in ``n_dropped``.

References
----------
Kaplan EL, Meier P. Nonparametric estimation from incomplete observations. J Am Stat Assoc
1958;53:457-481.
Greenwood M. The natural duration of cancer. Rep Public Health Med Subj 1926;33:1-26.
Brookmeyer R, Crowley J. A confidence interval for the median survival time. Biometrics
1982;38:29-41.
Mantel N. Evaluation of survival data and two new rank order statistics arising in its
consideration. Cancer Chemother Rep 1966;50:163-170.
Peto R, Peto J. Asymptotically efficient rank invariant test procedures. J R Stat Soc A
1972;135:185-207.
Cox DR. Regression models and life-tables. J R Stat Soc B 1972;34:187-220.
Breslow N. Covariance analysis of censored survival data. Biometrics 1974;30:89-99.
Efron B. The efficiency of Cox's likelihood function for censored data. J Am Stat Assoc
1977;72:557-565.
Lin DY, Wei LJ. The robust inference for the Cox proportional hazards model. J Am Stat Assoc
1989;84:1074-1078.
Grambsch PM, Therneau TM. Proportional hazards tests and diagnostics based on weighted residuals.
Biometrika 1994;81:515-526.
Aalen OO, Johansen S. An empirical transition matrix for non-homogeneous Markov chains based on
censored observations. Scand J Stat 1978;5:141-150.
Collett D. Modelling Survival Data in Medical Research, 3rd ed. CRC Press, 2015 (section 2.4).
Klein JP, Moeschberger ML. Survival Analysis, 2nd ed. Springer, 2003 (section 4.5).
"""

from __future__ import annotations

import dataclasses
import itertools
import warnings
from typing import Any, ClassVar, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ._design import indicator_blocks
from ._results import Result, TestResult
from ._validation import (check_choice, check_durations, check_events, check_groups,
                          check_open_interval, check_same_length)

__all__ = [
    "km_table", "survival_at", "median_survival", "MedianSurvival",
    "logrank", "stratified_logrank", "pairwise_logrank", "LogrankResult",
    "cox", "CoxResult", "cumulative_incidence", "univariate_table",
]

_TOL = np.sqrt(np.finfo(float).eps)


# --------------------------------------------------------------------------------------------
# Kaplan-Meier
# --------------------------------------------------------------------------------------------

def _inputs(durations, events):
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

    Returns
    -------
    DataFrame indexed by time with ``n_risk``, ``survival``, ``se`` (Greenwood), ``lower``,
    ``upper``. Times beyond the last follow-up give NaN.
    """
    t, _ = _inputs(durations, events)
    tab = km_table(durations, events, alpha, conf_type)
    q = np.atleast_1d(np.asarray(times, dtype=float))
    if np.isnan(q).any() or (q < 0).any():
        raise ValueError("times must be non-negative numbers")
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


# --------------------------------------------------------------------------------------------
# Log-rank tests
# --------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, repr=False)
class LogrankResult(TestResult):
    """Log-rank test: chi-square statistic, df, p-value and observed/expected per group."""

    _title: ClassVar[str] = "Log-rank test"
    table: pd.DataFrame = dataclasses.field(default=None)


def _logrank_core(t, e, g_codes, k, s_codes):
    """Observed, expected and variance matrix summed over strata (vectorised)."""
    order = np.lexsort((t, s_codes))
    t, e, g, s = t[order], e[order], g_codes[order], s_codes[order]
    key_change = np.r_[True, (t[1:] != t[:-1]) | (s[1:] != s[:-1])]
    starts = np.nonzero(key_change)[0]
    onehot = np.zeros((len(t), k))
    onehot[np.arange(len(t)), g] = 1.0
    n_at = np.add.reduceat(onehot, starts, axis=0)            # subjects with exactly this (stratum, time)
    d_at = np.add.reduceat(onehot * e[:, None], starts, axis=0)
    strata_of = s[starts]
    # at risk = reverse cumulative sum within stratum
    rev = np.cumsum(n_at[::-1], axis=0)[::-1]
    last_in_stratum = np.r_[strata_of[1:] != strata_of[:-1], True]
    # the reverse cumsum of the *next* stratum must be removed: value at each stratum's end + 1
    next_total = np.zeros_like(rev)
    end_idx = np.nonzero(last_in_stratum)[0]
    after = np.zeros((len(end_idx), k))
    after[:-1] = rev[end_idx[:-1] + 1]
    seg = np.repeat(np.arange(len(end_idx)), np.diff(np.r_[-1, end_idx]))
    next_total = after[seg]
    n_risk = rev - next_total
    N = n_risk.sum(axis=1)
    D = d_at.sum(axis=1)
    m = D > 0
    n_risk, d_at, N, D = n_risk[m], d_at[m], N[m], D[m]
    frac = n_risk / N[:, None]
    observed = d_at.sum(axis=0)
    expected = (D[:, None] * frac).sum(axis=0)
    w = np.where(N > 1, D * (N - D) / np.maximum(N - 1, 1), 0.0)
    V = np.einsum("t,tg->g", w, frac)
    V = np.diag(V) - np.einsum("t,tg,th->gh", w, frac, frac)
    return observed, expected, V


def _logrank(durations, events, groups, strata, title):
    t, e = _inputs(durations, events)
    g = check_groups(groups, "groups")
    check_same_length(durations=t, groups=g)
    g_codes, levels = pd.factorize(pd.Series(g), sort=True)
    levels = list(levels)
    if strata is None:
        s_codes = np.zeros(len(t), dtype=int)
    else:
        st = check_groups(strata, "strata", min_levels=1)
        check_same_length(durations=t, strata=st)
        _, s_codes = np.unique(st.astype(str), return_inverse=True)
    k = len(levels)
    O, E, V = _logrank_core(t, e.astype(float), g_codes, k, s_codes)
    diff = O - E
    Vr = V[:-1, :-1]
    try:
        stat = float(diff[:-1] @ np.linalg.solve(Vr, diff[:-1]))
    except np.linalg.LinAlgError:
        stat = float(diff[:-1] @ np.linalg.pinv(Vr) @ diff[:-1])
    df = int(np.linalg.matrix_rank(Vr)) if k > 2 else 1
    p = float(stats.chi2.sf(stat, df))
    N = np.bincount(g_codes, minlength=k)
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame({"N": N, "observed": O, "expected": E, "(O-E)^2/E": diff ** 2 / E,
                              "(O-E)^2/V": diff ** 2 / np.diag(V)}, index=pd.Index(levels, name="group"))
    return LogrankResult(title, stat, df, p, table)


def logrank(durations, events, groups) -> LogrankResult:
    """Log-rank test of equal survival in two or more groups (R ``survdiff``, rho = 0).

    Parameters
    ----------
    durations, events : array-like
    groups : array-like
        Group labels, at least two distinct levels.

    Returns
    -------
    LogrankResult
        ``statistic`` (chi-square), ``df`` (groups - 1), ``p_value``, and ``table`` with N,
        observed and expected events per group, as R prints.

    References
    ----------
    Mantel N. Cancer Chemother Rep 1966;50:163-170. Peto R, Peto J. J R Stat Soc A 1972;135:185-207.
    """
    return _logrank(durations, events, groups, None, "log-rank")


def stratified_logrank(durations, events, groups, strata) -> LogrankResult:
    """Stratified log-rank test (R ``survdiff(Surv(t, e) ~ group + strata(s))``).

    Observed minus expected events and their variance are computed within each stratum and then
    summed, so groups are compared only with each other inside a stratum: for matched pairs,
    ``strata`` is the pair id (paper B). Not the same as lifelines' suggestion of a stratified Cox
    likelihood-ratio test, which gives different numbers.
    """
    return _logrank(durations, events, groups, strata, "stratified log-rank")


def pairwise_logrank(durations, events, groups, adjust: str | None = None) -> pd.DataFrame:
    """Log-rank tests for every pair of groups (paper A compares risk groups A-D pairwise).

    Parameters
    ----------
    adjust : {None, "bonferroni", "holm"}
        Multiplicity adjustment added as ``p_adjusted``. Paper A reported unadjusted p-values.

    Returns
    -------
    DataFrame with ``group1``, ``group2``, ``n1``, ``n2``, ``statistic``, ``p_value`` (and
    ``p_adjusted``).
    """
    if adjust is not None:
        adjust = check_choice(adjust, "adjust", ("bonferroni", "holm"))
    t, e = _inputs(durations, events)
    g = check_groups(groups, "groups")
    check_same_length(durations=t, groups=g)
    levels = sorted(pd.unique(g), key=str)
    rows = []
    for a, b in itertools.combinations(levels, 2):
        m = (g == a) | (g == b)
        r = logrank(t[m], e[m], g[m])
        rows.append({"group1": a, "group2": b, "n1": int((g == a).sum()), "n2": int((g == b).sum()),
                     "statistic": r.statistic, "p_value": r.p_value})
    out = pd.DataFrame(rows)
    if adjust:
        p = out.p_value.to_numpy()
        m = len(p)
        if adjust == "bonferroni":
            out["p_adjusted"] = np.minimum(p * m, 1.0)
        else:
            order = np.argsort(p)
            adj = np.maximum.accumulate((m - np.arange(m)) * p[order])
            res = np.empty(m)
            res[order] = np.minimum(adj, 1.0)
            out["p_adjusted"] = res
    return out


# --------------------------------------------------------------------------------------------
# Cox proportional hazards
# --------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, repr=False)
class CoxResult(Result):
    """A fitted Cox model: ``summary`` (coef, se, hr, hr_lower, hr_upper, p) and global tests."""

    _title: ClassVar[str] = "Cox proportional hazards model"
    summary: pd.DataFrame
    n: int
    events: int
    n_dropped: int
    ties: str
    robust: bool
    lr_statistic: float
    lr_df: int
    lr_p_value: float
    loglik: float
    _model: Any = dataclasses.field(default=None)
    _fit: Any = dataclasses.field(default=None)
    _design: Any = dataclasses.field(default=None)

    def ph_test(self, transform: str = "km") -> pd.DataFrame:
        """Proportional-hazards check from scaled Schoenfeld residuals (Grambsch & Therneau 1994).

        For each covariate the scaled residuals are correlated with a transform of time; a small
        p-value suggests the hazard ratio changes over time. This is the original approximate test
        (R ``cox.zph`` before survival 3.0); newer R versions use an exact score test, so p-values
        can differ slightly.

        Parameters
        ----------
        transform : {"km", "identity", "rank", "log"}
            Time scale of the test; "km" (1 - Kaplan-Meier, R's default) is robust to outliers.

        Returns
        -------
        DataFrame indexed by covariate plus "GLOBAL", with ``chisq``, ``df`` and ``p``.
        """
        transform = check_choice(transform, "transform", ("km", "identity", "rank", "log"))
        from statsmodels.duration.hazard_regression import PHReg

        X, time, status, kw = self._design
        model, fit = self._model, self._fit
        if fit is None:  # fitted with lifelines: refit with statsmodels for the residuals
            model = PHReg(time, X, status=status, ties=self.ties, **kw)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fit = model.fit()
        res = np.asarray(fit.schoenfeld_residuals)
        ev = status == 1
        r = res[ev]
        te = time[ev]
        if transform == "identity":
            g = te
        elif transform == "log":
            g = np.log(te)
        elif transform == "rank":
            g = stats.rankdata(te)
        else:
            tab = km_table(time, status)
            s_left = np.r_[1.0, tab.survival.to_numpy()[:-1]]
            g = 1 - s_left[np.searchsorted(tab.time.to_numpy(), te)]
        g = g - g.mean()
        d = len(te)
        V = np.linalg.inv(-model.hessian(fit.params))
        scaled = d * r @ V
        u = g @ scaled
        chisq = u ** 2 / (np.diag(V) * d * (g @ g))
        glob = float(u @ np.linalg.solve(V, u) / (d * (g @ g)))
        names = list(self.summary.index)
        out = pd.DataFrame({"chisq": chisq, "df": 1, "p": stats.chi2.sf(chisq, 1)}, index=names)
        out.loc["GLOBAL"] = [glob, len(names), stats.chi2.sf(glob, len(names))]
        out["df"] = out["df"].astype(int)
        return out


def _design(data: pd.DataFrame, covariates: Sequence[str], reference: dict | None):
    blocks = indicator_blocks(data, covariates, reference)
    X = pd.concat(blocks.values(), axis=1)
    for name in X.columns:
        if X[name].nunique() < 2:
            raise ValueError(f"covariate {name} is constant in the data: it cannot be estimated")
    return X.to_numpy(dtype=float), list(X.columns)


def _cox_newton(X: np.ndarray, time: np.ndarray, status: np.ndarray, ties: str, tol: float = 1e-10,
                max_iter: int = 50):
    """Newton-Raphson for the Cox partial likelihood (Efron or Breslow ties), vectorised.

    Returns (beta, covariance, loglik, loglik_at_zero). Risk-set sums are reverse cumulative sums
    over time-sorted rows; Efron's correction expands each event time with d tied deaths into d
    terms with fractions 0, 1/d, ..., (d-1)/d of the tied deaths' contribution removed.
    """
    order = np.argsort(time, kind="mergesort")
    X, time, status = X[order], time[order], status[order]
    n, p = X.shape
    uniq, first = np.unique(time, return_index=True)
    ev_rows = status == 1
    # index of each distinct event time and the number of deaths there
    t_idx = np.searchsorted(uniq, time)
    d_k = np.bincount(t_idx, weights=status, minlength=len(uniq))
    has = d_k > 0
    # sub-terms: one per death (Efron fractions l/d_k), grouped by event time
    k_of_sub = np.repeat(np.nonzero(has)[0], d_k[has].astype(int))
    frac = np.concatenate([np.arange(int(d)) / d for d in d_k[has]]) if ties == "efron" else np.zeros(len(k_of_sub))

    def pieces(beta):
        eta = X @ beta
        w = np.exp(eta - eta.max())
        shift = eta.max()
        wx = w[:, None] * X
        wxx = wx[:, :, None] * X[:, None, :]
        # risk-set sums at each distinct time: sum over rows with time >= t (reverse cumsum from each block start)
        S0 = np.cumsum(w[::-1])[::-1][first]
        S1 = np.cumsum(wx[::-1], axis=0)[::-1][first]
        S2 = np.cumsum(wxx[::-1], axis=0)[::-1][first]
        # sums over the deaths at each distinct time
        D0 = np.bincount(t_idx, weights=w * status, minlength=len(uniq))
        D1 = np.zeros((len(uniq), p))
        np.add.at(D1, t_idx[ev_rows], wx[ev_rows])
        D2 = np.zeros((len(uniq), p, p))
        np.add.at(D2, t_idx[ev_rows], wxx[ev_rows])
        f = frac
        s0 = S0[k_of_sub] - f * D0[k_of_sub]
        s1 = S1[k_of_sub] - f[:, None] * D1[k_of_sub]
        s2 = S2[k_of_sub] - f[:, None, None] * D2[k_of_sub]
        a = s1 / s0[:, None]
        ll = float(eta[ev_rows].sum() - (np.log(s0) + shift).sum())
        grad = X[ev_rows].sum(axis=0) - a.sum(axis=0)
        hess = -(s2 / s0[:, None, None] - a[:, :, None] * a[:, None, :]).sum(axis=0)
        return ll, grad, hess

    beta = np.zeros(p)
    ll0, grad, hess = pieces(beta)
    ll = ll0
    for _ in range(max_iter):
        step = np.linalg.solve(-hess, grad)
        new_beta, t = beta + step, 1.0
        new_ll, new_grad, new_hess = pieces(new_beta)
        while new_ll < ll - 1e-12 and t > 1e-4:       # step halving
            t /= 2
            new_beta = beta + t * step
            new_ll, new_grad, new_hess = pieces(new_beta)
        converged = abs(new_ll - ll) < tol * max(1.0, abs(ll))
        beta, ll, grad, hess = new_beta, new_ll, new_grad, new_hess
        if converged:
            break
    return beta, np.linalg.inv(-hess), ll, ll0


def cox(data: pd.DataFrame, duration: str, event: str, covariates: Sequence[str], ties: str = "efron",
        cluster: str | None = None, reference: dict | None = None, strata: str | None = None,
        alpha: float = 0.05) -> CoxResult:
    """Fit a Cox proportional hazards model.

    Parameters
    ----------
    data : DataFrame
    duration, event : str
        Column names of the follow-up time and the event indicator (1 event, 0 censored).
    covariates : list of str
        Numeric columns enter as they are; string, boolean or categorical columns are coded as
        indicator variables against a reference level (the first sorted level unless
        ``reference={column: level}`` says otherwise), named ``column[level]``.
    ties : {"efron", "breslow"}
        Efron is R's default; Breslow is what SPSS and statsmodels use by default. With many tied
        times (whole months) the two differ in the second or third digit.
    cluster : str, optional
        Column identifying clusters (e.g. ``patient_id`` when lesions are the unit, paper D).
        Standard errors then use the robust sandwich estimator (Lin & Wei 1989), matching R
        ``coxph(..., ties="breslow") + cluster(id)``. statsmodels forms robust score residuals in
        the Breslow way, so use ``ties="breslow"`` for an exact match with R.
    reference : dict, optional
        Reference level per categorical covariate.
    strata : str, optional
        Column of strata with separate baseline hazards (e.g. matched-pair id).
    alpha : float
        1 - confidence level of the hazard-ratio intervals.

    Returns
    -------
    CoxResult
        ``summary`` DataFrame indexed by covariate with ``coef``, ``se``, ``hr``, ``hr_lower``,
        ``hr_upper``, ``z``, ``p``; ``n``, ``events``, ``n_dropped`` (rows with a missing value in
        a used column, dropped as R does), the likelihood-ratio test against the null model, and
        :meth:`CoxResult.ph_test`.

    Raises
    ------
    ValueError
        Unknown columns, no covariates, a constant covariate, invalid durations or events.
    """
    from statsmodels.duration.hazard_regression import PHReg

    if not isinstance(data, pd.DataFrame):
        raise ValueError("data must be a pandas DataFrame")
    ties = check_choice(ties, "ties", ("efron", "breslow"))
    alpha = check_open_interval(alpha, "alpha")
    covariates = list(covariates)
    if not covariates:
        raise ValueError("covariates must name at least one column")
    used = [duration, event, *covariates] + [c for c in (cluster, strata) if c]
    missing = [c for c in used if c not in data.columns]
    if missing:
        raise ValueError(f"data has no column(s) {missing}")
    df = data[used].dropna()
    n_dropped = len(data) - len(df)
    time = check_durations(df[duration], f"{duration} (duration)")
    status = check_events(df[event], f"{event} (event)")
    X, names = _design(df, covariates, reference)
    kw = {}
    if strata:
        kw["strata"] = pd.factorize(df[strata])[0]
    if not cluster and not strata:
        # our vectorised Newton-Raphson (matches R; about 5 times faster than statsmodels on 10^4 rows)
        coef, cov, ll, ll0 = _cox_newton(X, time, status.astype(float), ties)
        se = np.sqrt(np.diag(cov))
        lr = 2 * (ll - ll0)
        model = fit = None
    else:
        # statsmodels PHReg for robust (clustered) and stratified fits; matches R's coxph
        model = PHReg(time, X, status=status, ties=ties, **kw)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = model.fit(groups=pd.factorize(df[cluster])[0]) if cluster else model.fit()
        coef = np.asarray(fit.params)
        se = np.asarray(fit.bse)
        ll = float(fit.llf)
        lr = 2 * (ll - float(model.loglike(np.zeros(len(names)))))
    z = coef / se
    q = stats.norm.ppf(1 - alpha / 2)
    summary = pd.DataFrame({"coef": coef, "se": se, "hr": np.exp(coef), "hr_lower": np.exp(coef - q * se),
                            "hr_upper": np.exp(coef + q * se), "z": z, "p": 2 * stats.norm.sf(np.abs(z))},
                           index=pd.Index(names, name="covariate"))
    return CoxResult(summary, len(df), int(status.sum()), n_dropped, ties, bool(cluster), lr, len(names),
                     float(stats.chi2.sf(lr, len(names))), ll, model, fit, (X, time, status, kw))


# --------------------------------------------------------------------------------------------
# Competing risks
# --------------------------------------------------------------------------------------------

def cumulative_incidence(durations, event_codes, cause: int = 1) -> pd.DataFrame:
    """Aalen-Johansen cumulative incidence of one cause in the presence of competing risks.

    CIF_c(t) = sum over event times t_j <= t of S(t_j-) d_cj / n_j, where S is the Kaplan-Meier
    estimate of being free of *any* event. Exact with tied times (no jitter, unlike lifelines'
    ``AalenJohansenFitter``). With a competing event such as death, 1 - KM for the cause of
    interest (treating deaths as censored) overestimates its incidence; this does not.

    Parameters
    ----------
    durations : array-like
    event_codes : array-like of int
        0 = censored, 1, 2, ... = the causes (e.g. 1 local progression, 2 death).
    cause : int
        The cause whose cumulative incidence is returned.

    Returns
    -------
    DataFrame with ``time``, ``n_risk``, ``n_event`` (of this cause), ``n_competing`` and
    ``cif`` at every distinct time.
    """
    t = check_durations(durations)
    codes = np.asarray(event_codes, dtype=float)
    check_same_length(durations=t, event_codes=codes)
    if np.isnan(codes).any() or (codes < 0).any() or not np.all(codes == np.round(codes)):
        raise ValueError("event_codes must be whole numbers >= 0 (0 = censored, 1, 2, ... = causes)")
    codes = codes.astype(int)
    if isinstance(cause, bool) or cause not in set(codes[codes > 0]):
        raise ValueError(f"cause must be one of the event codes present, {sorted(set(codes[codes > 0]))}; got {cause!r}")
    times, inv = np.unique(t, return_inverse=True)
    d_any = np.bincount(inv, weights=codes > 0, minlength=len(times))
    d_c = np.bincount(inv, weights=codes == cause, minlength=len(times))
    n_all = np.bincount(inv, minlength=len(times))
    at_risk = len(t) - np.concatenate([[0], np.cumsum(n_all)[:-1]])
    s = np.cumprod(1 - d_any / at_risk)
    s_minus = np.r_[1.0, s[:-1]]
    cif = np.cumsum(s_minus * d_c / at_risk)
    return pd.DataFrame({"time": times, "n_risk": at_risk.astype(int), "n_event": d_c.astype(int),
                         "n_competing": (d_any - d_c).astype(int), "cif": cif})


# --------------------------------------------------------------------------------------------
# A univariate survival table as papers print it
# --------------------------------------------------------------------------------------------

def univariate_table(data: pd.DataFrame, duration: str, event: str, factors: dict | Sequence[str],
                     ci: str = "spss") -> pd.DataFrame:
    """Per factor level: patients, median survival (with SE/CI) and the factor's log-rank p.

    This is the layout of paper A's Table 4 ("median survival ± SE, log-rank p") and of many
    surgical series. The SE is the SPSS-style one of :func:`median_survival` unless ``ci`` says
    otherwise.

    Parameters
    ----------
    data : DataFrame
    duration, event : str
        Column names.
    factors : list of str, or dict {label: column}
        Categorical columns to tabulate; a dict gives display labels.
    ci : {"spss", "log", "loglog"}

    Returns
    -------
    DataFrame indexed by (factor, level) with ``n``, ``median``, ``se`` (SPSS only),
    ``lower``, ``upper`` and ``p_logrank`` (repeated on each level of a factor).
    """
    if not isinstance(data, pd.DataFrame):
        raise ValueError("data must be a pandas DataFrame")
    factors = dict(factors) if isinstance(factors, dict) else {f: f for f in factors}
    missing = [c for c in [duration, event, *factors.values()] if c not in data.columns]
    if missing:
        raise ValueError(f"data has no column(s) {missing}")
    rows = []
    for label, col in factors.items():
        sub = data[[duration, event, col]].dropna()
        p = logrank(sub[duration], sub[event], sub[col]).p_value
        levels = sub[col].cat.categories if isinstance(sub[col].dtype, pd.CategoricalDtype) else sorted(pd.unique(sub[col]), key=str)
        for lev in levels:
            m = sub[col] == lev
            if not m.any():
                continue
            med = median_survival(sub.loc[m, duration], sub.loc[m, event], ci=ci)
            rows.append({"factor": label, "level": lev, "n": int(m.sum()), "median": med.median,
                         "se": med.se, "lower": med.lower, "upper": med.upper, "p_logrank": p})
    return pd.DataFrame(rows).set_index(["factor", "level"])
