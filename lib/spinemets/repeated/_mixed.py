"""The linear mixed model (random intercept per subject, group x time) of
:func:`spinemets.repeated.mixed_model`.

References
----------
Laird NM, Ware JH. Biometrics 1982;38(4):963-974. doi:10.2307/2529876
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from .._results import Result
from .._validation import (
    check_choice,
    check_columns,
    check_flag,
    check_level,
    level_from_alpha,
    renamed_arguments,
)
from ._long import _levels, _numeric_column


@dataclasses.dataclass(frozen=True, repr=False)
class MixedModelResult(Result):
    """A linear mixed model of an outcome over time in two or more groups.

    ``coefficients`` holds the fixed effects (treatment coding against the reference group and
    the reference time); ``group_differences`` the estimated difference between each group and
    the reference group at every time point; ``interaction_*`` the Wald test that all group x
    time terms are zero (do the groups' courses differ?). Every number is on the outcome's own
    scale. ``boundary`` is True when the restricted (or ordinary) likelihood is largest with no
    between-subject variance: the model is then fitted as that boundary model (ordinary least
    squares, residual variance RSS / (n - p) under REML or RSS / n under ML) and
    ``subject_variance`` is 0. ``optimizer`` names the statsmodels optimiser whose fit was
    accepted (or ``"boundary (OLS)"``). ``loglik`` is the (restricted) log-likelihood on the
    outcome's scale. ``.fit`` is the statsmodels results object of the fit on the *standardised*
    outcome (y - mean) / sd (``MixedLMResults``, or ``RegressionResults`` at the boundary).
    """

    _title: ClassVar[str] = "Linear mixed model (random intercept per subject)"
    outcome: str
    method: str
    n_subjects: int
    n_observations: int
    group_reference: Any
    time_reference: Any
    interaction_chi2: float
    interaction_df: int
    p_value_interaction: float
    subject_variance: float
    residual_variance: float
    icc: float
    converged: bool
    boundary: bool
    optimizer: str
    loglik: float
    coefficients: pd.DataFrame
    group_differences: pd.DataFrame
    _fit: Any = None

    @property
    def fit(self):
        """The statsmodels results of the fit on the standardised outcome (see the class)."""
        return self._fit


def _term(kind: str, level: Any) -> str:
    return f"{kind}[{level}]"


_OPTIMIZERS = ("lbfgs", "bfgs", "powell", "nm", "cg")


def _check_mixed_inputs(
    data, outcome, group, time, subject, group_reference, time_reference, reml, time_scale, level
):
    """Validate the arguments of :func:`mixed_model`; return (y, group levels, time levels,
    numeric time or None, level)."""
    check_flag(reml, "reml")
    check_choice(time_scale, "time_scale", ("categorical", "linear"))
    level = check_level(level)
    for arg, col in (("outcome", outcome), ("group", group), ("time", time), ("subject", subject)):
        if not isinstance(col, str):
            raise ValueError(f"{arg} must be a column name (str), got {col!r}")
    if len({outcome, group, time, subject}) < 4:
        raise ValueError("outcome, group, time and subject must be four different columns")
    check_columns(data, [outcome, group, time, subject], "data")
    y = _numeric_column(data, outcome, "outcome")
    if data[subject].isna().any():
        raise ValueError(f"subject column {subject!r} has missing values")
    glev = _levels(data, group, "group", group_reference)
    tnum = None
    if time_scale == "linear":
        if time_reference is not None:
            raise ValueError("time_reference is only used with time_scale='categorical'")
        tnum = _numeric_column(data, time, "time")
        tlev = sorted(set(tnum.tolist()))
        if len(tlev) < 2:
            raise ValueError(f"time column {time!r} must have at least 2 distinct values")
    else:
        tlev = _levels(data, time, "time", time_reference, appearance=True)
    per_subject = data.groupby(subject, observed=True)[group].nunique()
    if (per_subject > 1).any():
        bad = list(per_subject[per_subject > 1].index[:3])
        raise ValueError(
            f"group must be constant within a subject; subjects {bad} are in two groups"
        )
    if data.duplicated([subject, time]).any():
        bad = list(data.loc[data.duplicated([subject, time]), subject].iloc[:3])
        raise ValueError(f"each subject may have one row per time point; {bad} have duplicates")
    if data[subject].nunique() == len(data):
        raise ValueError("every subject has a single row: there are no repeated measures to model")
    if tnum is None:
        cells = pd.crosstab(data[group], data[time]).reindex(index=glev, columns=tlev, fill_value=0)
        empty = [(g, t) for g in glev for t in tlev if cells.loc[g, t] == 0]
        if empty:
            raise ValueError(
                f"every group must be observed at every time point; no rows for "
                f"(group, time) {empty[:3]}"
            )
    if np.ptp(y) == 0:
        raise ValueError(
            f"outcome column {outcome!r} is constant ({y[0]:g} in every row): there "
            f"is no variation to model"
        )
    return y, glev, tlev, tnum, level


def _gls(rho: float, X: np.ndarray, y: np.ndarray, codes: np.ndarray):
    """GLS pieces of the random-intercept model at ICC ``rho``: (beta, X'H^-1 X, r'H^-1 r,
    sum log|H_i|), with sigma2 H the covariance of the outcome.

    With gamma = tau2 / sigma2 = rho / (1 - rho) each subject's H_i = I + gamma J has inverse
    I - c J, c = gamma / (1 + gamma m) (m the subject's number of rows), so only per-subject
    sums are needed.
    """
    gamma = rho / (1.0 - rho)
    m = np.bincount(codes).astype(float)
    c = gamma / (1.0 + gamma * m)
    sx = np.zeros((len(m), X.shape[1]))
    np.add.at(sx, codes, X)
    sy = np.bincount(codes, weights=y)
    xhx = X.T @ X - sx.T @ (c[:, None] * sx)
    xhy = X.T @ y - sx.T @ (c * sy)
    beta = np.linalg.solve(xhx, xhy)
    rhr = y @ y - np.sum(c * sy**2) - xhy @ beta
    return beta, xhx, rhr, float(np.sum(np.log1p(gamma * m)))


def _profile_loglik(
    rho: float, X: np.ndarray, y: np.ndarray, codes: np.ndarray, reml: bool
) -> float:
    """Profiled (restricted) log-likelihood of the random-intercept model at ICC ``rho``: the
    fixed effects and sigma2 profiled out (Harville 1977; Pinheiro & Bates 2000, section 2.2).
    The same constants as statsmodels' ``MixedLMResults.llf``.
    """
    n, p = X.shape
    _, xhx, rhr, logdet = _gls(rho, X, y, codes)
    dof = n - p if reml else n
    out = dof * np.log(2 * np.pi * rhr / dof) + logdet + dof
    if reml:
        out += np.linalg.slogdet(xhx)[1]
    return -0.5 * float(out)


def _profile_optimum(X, y, codes, reml):
    """The ICC that maximises the profiled likelihood on [0, 1): a grid, then bounded Brent (on
    log(tau2 / sigma2) away from 0, so that an ICC near 1 is found to relative precision)."""
    from scipy import optimize

    grid = np.r_[0.0, np.linspace(0.01, 0.99, 50), 0.995, 0.999, 0.9999, 0.99999, 1 - 1e-9]
    vals = [_profile_loglik(r, X, y, codes, reml) for r in grid]
    k = int(np.argmax(vals))
    lo, hi = grid[max(k - 1, 0)], grid[min(k + 1, len(grid) - 1)]
    if lo == 0.0:
        res = optimize.minimize_scalar(
            lambda r: -_profile_loglik(r, X, y, codes, reml),
            bounds=(lo, hi),
            method="bounded",
            options={"xatol": 1e-12, "maxiter": 500},
        )
        rho = float(res.x)
    else:

        def neg(u):  # u = log gamma, rho = gamma / (1 + gamma)
            return -_profile_loglik(1.0 / (1.0 + np.exp(-u)), X, y, codes, reml)

        bounds = (np.log(lo / (1 - lo)), np.log(hi / (1 - hi)))
        res = optimize.minimize_scalar(
            neg, bounds=bounds, method="bounded", options={"xatol": 1e-10, "maxiter": 500}
        )
        rho = float(1.0 / (1.0 + np.exp(-res.x)))
    if not res.success:
        raise ValueError(
            f"data: the profiled likelihood of the subject variance could not be "
            f"maximised ({res.message})"
        )
    at_zero = _profile_loglik(0.0, X, y, codes, reml)
    if at_zero >= -res.fun - 1e-9 or rho < 1e-7:
        return 0.0, at_zero
    return rho, float(-res.fun)


def _icc(fit) -> float:
    tau2, sigma2 = float(fit.cov_re.iloc[0, 0]), float(fit.scale)
    return tau2 / (tau2 + sigma2)


def _fit_standardised(model, reml, rho, best):
    """A statsmodels fit that converged to the profiled optimum ``rho``, trying each optimiser
    from a start at that optimum.

    Returns ``(fit, optimizer)``; raises ValueError (saying why each optimiser was rejected) if
    none converged there.
    """
    from statsmodels.regression.mixed_linear_model import MixedLMParams
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    gamma = rho / (1.0 - rho)
    start = MixedLMParams.from_components(
        fe_params=np.zeros(model.k_fe), cov_re=np.array([[gamma]])
    )
    why = []
    for method in _OPTIMIZERS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                fit = model.fit(reml=reml, method=method, start_params=start)
            except (np.linalg.LinAlgError, ValueError) as err:
                why.append(f"{method}: {err}")
                continue
        # statsmodels warns "may be on the boundary" whenever tau2 < 0.01 (an absolute rule);
        # the profiled optimum, not that rule, decides the boundary here
        bad = [
            str(w.message)
            for w in caught
            if issubclass(w.category, ConvergenceWarning)
            and "on the boundary" not in str(w.message)
        ]
        if not getattr(fit, "converged", False) or bad:
            why.append(f"{method}: not converged ({'; '.join(bad)[:80]})")
        elif abs(_icc(fit) - rho) > 1e-6 and fit.llf < best:
            why.append(
                f"{method}: stopped at ICC {_icc(fit):.6g}, not at the maximum of the "
                f"profiled likelihood ({rho:.6g})"
            )
        else:
            return fit, method
    raise ValueError(
        "data: the mixed model did not converge with any optimiser ("
        + "; ".join(why)
        + "); no result is returned for an unconverged fit"
    )


def _coefficient_names(glev, tlev, linear):
    rename = {"Intercept": "Intercept", "t": "time"}
    for g in glev[1:]:
        rename[f"C(g)[T.{g}]"] = _term("group", g)
        rename[f"C(g)[T.{g}]:t"] = f"{_term('group', g)}:time"
    for t in [] if linear else tlev[1:]:
        rename[f"C(t)[T.{t}]"] = _term("time", t)
        for g in glev[1:]:
            rename[f"C(g)[T.{g}]:C(t)[T.{t}]"] = f"{_term('group', g)}:{_term('time', t)}"
    return rename


def _mixed_tables(names, fe, cov, glev, tlev, linear, level):
    """Coefficient table, group differences at each time and the interaction Wald test."""
    rename = _coefficient_names(glev, tlev, linear)
    z = stats.norm.ppf(0.5 + level / 2)
    se = np.sqrt(np.diag(cov))
    coef = pd.DataFrame(
        {
            "coef": fe,
            "se": se,
            "z": fe / se,
            "p": 2 * stats.norm.sf(np.abs(fe / se)),
            "ci_low": fe - z * se,
            "ci_high": fe + z * se,
        },
        index=[rename.get(k, k) for k in names],
    )
    rows = []
    for g in glev[1:]:
        for t in tlev:
            c = np.zeros(len(names))
            c[names.index(f"C(g)[T.{g}]")] = 1
            if linear:
                c[names.index(f"C(g)[T.{g}]:t")] = t
            elif t != tlev[0]:
                c[names.index(f"C(g)[T.{g}]:C(t)[T.{t}]")] = 1
            est, s = float(c @ fe), float(np.sqrt(c @ cov @ c))
            rows.append(
                {
                    "group": g,
                    "vs": glev[0],
                    "time": t,
                    "difference": est,
                    "se": s,
                    "ci_low": est - z * s,
                    "ci_high": est + z * s,
                    "p": 2 * stats.norm.sf(abs(est / s)),
                }
            )
    inter = [i for i, k in enumerate(names) if ":" in k]
    b = fe[inter]
    chi2 = float(b @ np.linalg.solve(cov[np.ix_(inter, inter)], b))
    return coef, pd.DataFrame(rows), chi2, len(inter)


@renamed_arguments(alpha=("level", level_from_alpha))
def mixed_model(
    data: pd.DataFrame,
    outcome: str,
    group: str,
    time: str,
    subject: str,
    group_reference: Any = None,
    time_reference: Any = None,
    reml: bool = True,
    time_scale: str = "categorical",
    *,
    level: float = 0.95,
) -> MixedModelResult:
    """Fit ``outcome ~ group * time + (1 | subject)`` with statsmodels MixedLM.

    By default time is categorical (one mean per visit, no shape assumed); with
    ``time_scale="linear"`` it is a number and each group has a straight line (the interaction
    is then the difference in slopes). The random intercept gives every pair of measurements of
    one subject the same correlation (compound symmetry).

    How it is fitted: on the standardised outcome (y - mean) / sd, with the results transformed
    back (so an outcome in raw units with large values fits as well as a rescaled one). The
    profiled (restricted) likelihood of the subject variance is maximised first (a grid and a
    bounded Brent search over the ICC on [0, 1)). If the maximum is at ICC 0 (no subject
    variance: the boundary), the boundary model is fitted explicitly by ordinary least squares
    and the result says so (``boundary=True``). Otherwise statsmodels' optimisers are tried in
    turn (lbfgs, bfgs, powell, nm, cg) and the first fit that converged, without a convergence
    warning, to the profiled optimum is accepted (it is ``.fit``); if none does, ValueError says
    why. An unconverged fit is never returned. The reported numbers are computed by the GLS
    formulas at the better of the two optima (statsmodels' and the profile's), with the
    fixed-effect covariance sigma2 (X' V^-1 X)^-1 as R's ``nlme``/``lme4`` report it.

    Parameters
    ----------
    data : DataFrame
        Long format: one row per subject and visit (see :func:`to_long`). Rows with a missing
        outcome must be dropped first; subjects with fewer visits still contribute.
    outcome, group, time, subject : str
        Column names. ``group`` must be constant within a subject.
    group_reference, time_reference : optional
        Reference levels (default: the first level, e.g. the first time point). Time labels
        keep the order given: a pandas Categorical's order, numbers sorted, other labels in
        order of first appearance ("pre", "1m", "3m" stay in that order).
    reml : bool
        Restricted maximum likelihood (default, as R's ``lme4::lmer``) or maximum likelihood.
    time_scale : {"categorical", "linear"}
        How time enters the model. With ``"linear"`` the ``time`` column must be numeric
        (centre it yourself if the intercept should mean something) and ``time_reference``
        is not used.
    level : float
        Confidence level of the intervals (0.95). (``alpha``, its former name as 1 - level,
        warns.)

    Returns
    -------
    MixedModelResult

    Raises
    ------
    ValueError
        For a missing column, a non-numeric, missing or constant outcome, fewer than two groups
        or time points, a subject in two groups, a duplicated subject-visit, a subject
        identifier with one row only for every subject (nothing to model), or a fit that no
        optimiser brings to convergence.

    References
    ----------
    Laird NM, Ware JH. Biometrics 1982;38(4):963-974. doi:10.2307/2529876
    Harville DA. Maximum likelihood approaches to variance component estimation and to related
    problems. J Am Stat Assoc 1977;72:320-338. doi:10.1080/01621459.1977.10480998
    Pinheiro JC, Bates DM. Mixed-Effects Models in S and S-PLUS. Springer, 2000 (section 2.2).
    """
    from statsmodels.regression.linear_model import OLS
    from statsmodels.regression.mixed_linear_model import MixedLM

    y, glev, tlev, tnum, level = _check_mixed_inputs(
        data,
        outcome,
        group,
        time,
        subject,
        group_reference,
        time_reference,
        reml,
        time_scale,
        level,
    )
    linear = tnum is not None
    centre, sd = float(np.mean(y)), float(np.std(y))
    work = pd.DataFrame(
        {
            "y": (y - centre) / sd,
            "g": pd.Categorical(data[group], categories=glev),
            "t": tnum if linear else pd.Categorical(data[time], categories=tlev),
            "s": data[subject].astype(str).to_numpy(),
        }
    )
    model = MixedLM.from_formula(
        "y ~ C(g) * t" if linear else "y ~ C(g) * C(t)", work, groups=work["s"]
    )
    X, names = model.exog, list(model.exog_names)
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise ValueError("data: the fixed effects are not estimable (collinear design)")
    codes = pd.factorize(work["s"])[0]
    rho, best = _profile_optimum(X, work["y"].to_numpy(), codes, reml)
    if rho == 0.0:
        fit, optimizer = OLS(work["y"].to_numpy(), X).fit(), "boundary (OLS)"
        fe_s = np.asarray(fit.params)
        sigma2_s = fit.ssr / (len(y) - X.shape[1] if reml else len(y))
        cov_s, tau2_s = sigma2_s * np.linalg.inv(X.T @ X), 0.0
    else:
        fit, optimizer = _fit_standardised(model, reml, rho, best)
        # every number at the better of the two optima (statsmodels' and the profile's), from
        # the GLS formulas: fixed effects, sigma2 = r'H^-1 r / dof, tau2 = gamma sigma2 and the
        # covariance sigma2 (X' H^-1 X)^-1 as R's nlme and lme4 report it (statsmodels'
        # cov_params uses the observed information, which differs when the design is unbalanced)
        ys = work["y"].to_numpy()
        if _profile_loglik(_icc(fit), X, ys, codes, reml) > best:
            rho = _icc(fit)
            best = _profile_loglik(rho, X, ys, codes, reml)
        fe_s, xhx, rhr, _ = _gls(rho, X, ys, codes)
        sigma2_s = rhr / (len(y) - X.shape[1] if reml else len(y))
        tau2_s = rho / (1.0 - rho) * sigma2_s
        cov_s = sigma2_s * np.linalg.inv(xhx)
    fe = fe_s * sd
    fe[names.index("Intercept")] += centre
    cov = cov_s * sd**2
    coef, diffs, chi2, df = _mixed_tables(names, fe, cov, glev, tlev, linear, level)
    tau2, sigma2 = tau2_s * sd**2, sigma2_s * sd**2
    dof = len(y) - X.shape[1] if reml else len(y)
    return MixedModelResult(
        outcome=outcome,
        method="REML" if reml else "ML",
        n_subjects=int(work["s"].nunique()),
        n_observations=len(work),
        group_reference=glev[0],
        time_reference="linear (slope)" if linear else tlev[0],
        interaction_chi2=chi2,
        interaction_df=df,
        p_value_interaction=float(stats.chi2.sf(chi2, df)),
        subject_variance=tau2,
        residual_variance=sigma2,
        icc=tau2 / (tau2 + sigma2),
        converged=True,
        boundary=rho == 0.0,
        optimizer=optimizer,
        loglik=best - dof * np.log(sd),
        coefficients=coef,
        group_differences=diffs,
        _fit=fit,
    )
