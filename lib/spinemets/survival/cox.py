"""Cox proportional hazards regression (R ``coxph``).

References
----------
Cox DR. Regression models and life-tables. J R Stat Soc B 1972;34:187-220.
Breslow N. Covariance analysis of censored survival data. Biometrics 1974;30:89-99.
Efron B. The efficiency of Cox's likelihood function for censored data. J Am Stat Assoc
1977;72:557-565.
Lin DY, Wei LJ. The robust inference for the Cox proportional hazards model. J Am Stat Assoc
1989;84:1074-1078.
Grambsch PM, Therneau TM. Proportional hazards tests and diagnostics based on weighted residuals.
Biometrika 1994;81:515-526.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any, ClassVar, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .._design import indicator_blocks
from .._results import Result
from .._validation import (check_choice, check_durations, check_events, check_open_interval)
from .km import km_table

__all__ = ["cox", "CoxResult"]


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
