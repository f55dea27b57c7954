"""Repeated measures: a linear mixed model (random intercept per patient, group x time) and a
baseline-adjusted comparison (ANCOVA), both thin wrappers over statsmodels.

A study that measures pain, KPS or quality of life at several time points in two groups has one
question per time point and one overall question ("do the groups' courses differ?"). Separate
t-tests at every time point ignore that the measurements of one patient are correlated and
multiply the chances of a false positive; the mixed model uses every measurement with the
within-patient correlation modelled by a random intercept, and its group x time interaction asks
the overall question. ANCOVA of the follow-up value adjusted for baseline is the most efficient
analysis of a single follow-up time point in a randomised comparison (Vickers & Altman 2001); in
an observational study it still does not remove confounding by indication.

References
----------
Laird NM, Ware JH. Random-effects models for longitudinal data. Biometrics 1982;38(4):963-974.
doi:10.2307/2529876
Vickers AJ, Altman DG. Analysing controlled trials with baseline and follow up measurements.
BMJ 2001;323(7321):1123-1124. doi:10.1136/bmj.323.7321.1123
Seabold S, Perktold J. statsmodels: econometric and statistical modeling with Python. Proc. 9th
Python in Science Conference, 2010. doi:10.25080/Majora-92bf1922-011
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any, ClassVar, Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import stats

from ._results import Result
from ._validation import check_choice, check_columns, check_flag, check_open_interval

__all__ = ["to_long", "mixed_model", "MixedModelResult", "ancova", "AncovaResult"]


def to_long(data: pd.DataFrame, subject: str, columns: Mapping[str, Any], value_name: str,
            keep: Iterable[str] = ()) -> pd.DataFrame:
    """Reshape one outcome measured at several time points from wide to long format.

    Parameters
    ----------
    data : DataFrame
        One row per subject.
    subject : str
        The subject identifier column (unique per row).
    columns : mapping
        Column name -> time label, e.g. ``{"vas_pre": 0, "vas_1m": 1, "vas_3m": 3}``.
    value_name : str
        Name of the outcome column in the result.
    keep : iterable of str
        Subject-level columns carried to every row (e.g. the treatment group).

    Returns
    -------
    DataFrame
        Columns ``subject``, ``*keep``, ``time``, ``value_name``; one row per subject and time,
        sorted by subject then time order of ``columns``.
    """
    if not isinstance(columns, Mapping) or len(columns) < 2:
        raise ValueError("columns must map at least two column names to their time labels")
    keep = list(keep)
    check_columns(data, [subject, *keep, *columns], "data")
    if not data[subject].is_unique:
        raise ValueError(f"data[{subject!r}] must be unique (one row per subject) in wide format")
    times = list(columns.values())
    if len(set(times)) != len(times):
        raise ValueError("columns must give each column a different time label")
    long = data.melt(id_vars=[subject, *keep], value_vars=list(columns), var_name="_column",
                     value_name=value_name)
    long.insert(len(keep) + 1, "time", long.pop("_column").map(dict(columns)))
    order = {t: i for i, t in enumerate(times)}
    long = long.sort_values([subject, "time"], key=lambda s: s.map(order) if s.name == "time" else s,
                            kind="stable")
    return long.reset_index(drop=True)


def _numeric_column(df: pd.DataFrame, col: str, arg: str) -> np.ndarray:
    s = df[col]
    if s.dtype == bool or not pd.api.types.is_numeric_dtype(s):
        raise ValueError(f"{arg} column {col!r} must be numeric, got dtype {s.dtype}")
    x = s.to_numpy(dtype=float)
    if np.isnan(x).any():
        raise ValueError(f"{arg} column {col!r} has {int(np.isnan(x).sum())} missing value(s); drop "
                         f"those rows first (the model then uses every observed measurement)")
    if np.isinf(x).any():
        raise ValueError(f"{arg} column {col!r} contains infinite values")
    return x


def _levels(df: pd.DataFrame, col: str, arg: str, reference: Any, min_levels: int = 2) -> list:
    s = df[col]
    if s.isna().any():
        raise ValueError(f"{arg} column {col!r} has {int(s.isna().sum())} missing value(s)")
    levels = list(s.cat.categories) if isinstance(s.dtype, pd.CategoricalDtype) else sorted(pd.unique(s))
    levels = [lv for lv in levels if (s == lv).any()]
    if len(levels) < min_levels:
        raise ValueError(f"{arg} column {col!r} must have at least {min_levels} levels, got {levels}")
    if reference is None:
        reference = levels[0]
    if reference not in levels:
        raise ValueError(f"{arg}_reference must be one of {levels}; got {reference!r}")
    return [reference] + [lv for lv in levels if lv != reference]


@dataclasses.dataclass(frozen=True, repr=False)
class MixedModelResult(Result):
    """A linear mixed model of an outcome over time in two or more groups.

    ``coefficients`` holds the fixed effects (treatment coding against the reference group and
    the reference time); ``group_differences`` the estimated difference between each group and
    the reference group at every time point; ``interaction_*`` the Wald test that all group x
    time terms are zero (do the groups' courses differ?). The statsmodels results object is
    ``.fit``.
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
    coefficients: pd.DataFrame
    group_differences: pd.DataFrame
    _fit: Any = None

    @property
    def fit(self):
        """The statsmodels ``MixedLMResults``."""
        return self._fit


def _term(kind: str, level: Any) -> str:
    return f"{kind}[{level}]"


def mixed_model(data: pd.DataFrame, outcome: str, group: str, time: str, subject: str,
                group_reference: Any = None, time_reference: Any = None, reml: bool = True,
                time_scale: str = "categorical", alpha: float = 0.05) -> MixedModelResult:
    """Fit ``outcome ~ group * time + (1 | subject)`` with statsmodels MixedLM.

    By default time is categorical (one mean per visit, no shape assumed); with
    ``time_scale="linear"`` it is a number and each group has a straight line (the interaction
    is then the difference in slopes). The random intercept gives every pair of measurements of
    one subject the same correlation (compound symmetry).

    Parameters
    ----------
    data : DataFrame
        Long format: one row per subject and visit (see :func:`to_long`). Rows with a missing
        outcome must be dropped first; subjects with fewer visits still contribute.
    outcome, group, time, subject : str
        Column names. ``group`` must be constant within a subject.
    group_reference, time_reference : optional
        Reference levels (default: the first level, e.g. the first time point).
    reml : bool
        Restricted maximum likelihood (default, as R's ``lme4::lmer``) or maximum likelihood.
    time_scale : {"categorical", "linear"}
        How time enters the model. With ``"linear"`` the ``time`` column must be numeric
        (centre it yourself if the intercept should mean something) and ``time_reference``
        is not used.
    alpha : float
        For the confidence intervals.

    Returns
    -------
    MixedModelResult

    Raises
    ------
    ValueError
        For a missing column, a non-numeric or missing outcome, fewer than two groups or time
        points, a subject in two groups, a duplicated subject-visit, or a subject identifier
        with one row only for every subject (nothing to model).

    References
    ----------
    Laird NM, Ware JH. Biometrics 1982;38(4):963-974. doi:10.2307/2529876
    """
    import statsmodels.formula.api as smf
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    check_flag(reml, "reml")
    check_choice(time_scale, "time_scale", ("categorical", "linear"))
    alpha = check_open_interval(alpha, "alpha")
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
    linear = time_scale == "linear"
    if linear:
        if time_reference is not None:
            raise ValueError("time_reference is only used with time_scale='categorical'")
        tnum = _numeric_column(data, time, "time")
        tlev = sorted(set(tnum.tolist()))
        if len(tlev) < 2:
            raise ValueError(f"time column {time!r} must have at least 2 distinct values")
    else:
        tlev = _levels(data, time, "time", time_reference)
    per_subject = data.groupby(subject, observed=True)[group].nunique()
    if (per_subject > 1).any():
        bad = list(per_subject[per_subject > 1].index[:3])
        raise ValueError(f"group must be constant within a subject; subjects {bad} are in two groups")
    if data.duplicated([subject, time]).any():
        bad = list(data.loc[data.duplicated([subject, time]), subject].iloc[:3])
        raise ValueError(f"each subject may have one row per time point; {bad} have duplicates")
    if data[subject].nunique() == len(data):
        raise ValueError("every subject has a single row: there are no repeated measures to model")

    if not linear:
        cells = pd.crosstab(data[group], data[time]).reindex(index=glev, columns=tlev, fill_value=0)
        empty = [(g, t) for g in glev for t in tlev if cells.loc[g, t] == 0]
        if empty:
            raise ValueError(f"every group must be observed at every time point; no rows for "
                             f"(group, time) {empty[:3]}")

    work = pd.DataFrame({
        "y": y,
        "g": pd.Categorical(data[group], categories=glev),
        "t": tnum if linear else pd.Categorical(data[time], categories=tlev),
        "s": data[subject].astype(str).to_numpy(),
    })
    model = smf.mixedlm("y ~ C(g) * t" if linear else "y ~ C(g) * C(t)", work, groups=work["s"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = model.fit(reml=reml, method=["lbfgs", "powell"])
        except (np.linalg.LinAlgError, ValueError) as err:
            raise ValueError(f"data: the mixed model cannot be fitted ({err}); check for "
                             f"constant outcomes or groups observed at too few times") from None
    converged = bool(getattr(fit, "converged", True)) and not any(
        issubclass(w.category, ConvergenceWarning) for w in caught)

    fe = fit.fe_params
    cov = fit.cov_params().loc[fe.index, fe.index]
    rename = {"Intercept": "Intercept"}
    for g in glev[1:]:
        rename[f"C(g)[T.{g}]"] = _term("group", g)
        rename[f"C(g)[T.{g}]:t"] = f"{_term('group', g)}:time"
    rename["t"] = "time"
    for t in ([] if linear else tlev[1:]):
        rename[f"C(t)[T.{t}]"] = _term("time", t)
        for g in glev[1:]:
            rename[f"C(g)[T.{g}]:C(t)[T.{t}]"] = f"{_term('group', g)}:{_term('time', t)}"
    z = stats.norm.ppf(1 - alpha / 2)
    se = np.sqrt(np.diag(cov))
    coef = pd.DataFrame({"coef": fe.to_numpy(), "se": se, "z": fe.to_numpy() / se,
                         "p": 2 * stats.norm.sf(np.abs(fe.to_numpy() / se)),
                         "ci_low": fe.to_numpy() - z * se, "ci_high": fe.to_numpy() + z * se},
                        index=[rename.get(k, k) for k in fe.index])

    # group differences at each time: group main effect (+ interaction at later times)
    names = list(fe.index)
    rows, labels = [], []
    for g in glev[1:]:
        for t in tlev:
            c = np.zeros(len(names))
            c[names.index(f"C(g)[T.{g}]")] = 1
            if linear:
                c[names.index(f"C(g)[T.{g}]:t")] = t
            elif t != tlev[0]:
                c[names.index(f"C(g)[T.{g}]:C(t)[T.{t}]")] = 1
            est = float(c @ fe.to_numpy())
            s = float(np.sqrt(c @ cov.to_numpy() @ c))
            rows.append({"group": g, "vs": glev[0], "time": t, "difference": est, "se": s,
                         "ci_low": est - z * s, "ci_high": est + z * s,
                         "p": 2 * stats.norm.sf(abs(est / s))})
    diffs = pd.DataFrame(rows)

    inter = [i for i, k in enumerate(names) if ":" in k]
    b = fe.to_numpy()[inter]
    v = cov.to_numpy()[np.ix_(inter, inter)]
    chi2 = float(b @ np.linalg.solve(v, b))
    df = len(inter)
    tau2 = float(fit.cov_re.iloc[0, 0])
    sigma2 = float(fit.scale)
    return MixedModelResult(
        outcome=outcome, method="REML" if reml else "ML", n_subjects=int(work["s"].nunique()),
        n_observations=len(work), group_reference=glev[0],
        time_reference="linear (slope)" if linear else tlev[0],
        interaction_chi2=chi2, interaction_df=df, p_value_interaction=float(stats.chi2.sf(chi2, df)),
        subject_variance=tau2, residual_variance=sigma2, icc=tau2 / (tau2 + sigma2),
        converged=converged, coefficients=coef, group_differences=diffs, _fit=fit)


@dataclasses.dataclass(frozen=True, repr=False)
class AncovaResult(Result):
    """Baseline-adjusted difference between two groups at one follow-up (ANCOVA by OLS)."""

    _title: ClassVar[str] = "ANCOVA: follow-up adjusted for baseline"
    outcome: str
    baseline: str
    group: Any
    reference: Any
    n: int
    difference: float
    se: float
    ci_low: float
    ci_high: float
    t: float
    df: int
    p_value: float
    baseline_slope: float
    unadjusted_difference: float
    coefficients: pd.DataFrame
    _fit: Any = None

    @property
    def fit(self):
        """The statsmodels ``RegressionResults``."""
        return self._fit


def ancova(data: pd.DataFrame, outcome: str, baseline: str, group: str, reference: Any = None,
           covariates: Iterable[str] = (), alpha: float = 0.05) -> AncovaResult:
    """Compare two groups on a follow-up value adjusted for its baseline value (OLS).

    Fits ``outcome ~ baseline + group (+ covariates)`` with statsmodels OLS; the group
    coefficient is the baseline-adjusted mean difference (group minus ``reference``).

    Parameters
    ----------
    data : DataFrame
        One row per subject.
    outcome, baseline, group : str
        Column names (numeric follow-up, numeric baseline, two-level group).
    reference : optional
        The reference group (default: the first level).
    covariates : iterable of str
        Further numeric adjustment columns.
    alpha : float
        For the confidence interval.

    Returns
    -------
    AncovaResult

    Raises
    ------
    ValueError
        For a missing column, missing or non-numeric values, or a group without exactly two
        levels.

    References
    ----------
    Vickers AJ, Altman DG. BMJ 2001;323(7321):1123-1124. doi:10.1136/bmj.323.7321.1123
    """
    import statsmodels.api as sm

    alpha = check_open_interval(alpha, "alpha")
    covariates = list(covariates)
    check_columns(data, [outcome, baseline, group, *covariates], "data")
    y = _numeric_column(data, outcome, "outcome")
    x0 = _numeric_column(data, baseline, "baseline")
    xs = [_numeric_column(data, c, "covariates") for c in covariates]
    levels = _levels(data, group, "group", reference)
    if len(levels) != 2:
        raise ValueError(f"group column {group!r} must have exactly 2 levels for ancova, got {levels}")
    ind = (data[group] == levels[1]).to_numpy(dtype=float)
    X = np.column_stack([np.ones_like(y), x0, ind, *xs])
    names = ["Intercept", baseline, f"group[{levels[1]}]", *covariates]
    if len(y) <= X.shape[1]:
        raise ValueError(f"data has {len(y)} rows: too few for {X.shape[1]} coefficients")
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise ValueError("baseline, group and covariates are collinear (e.g. a constant baseline)")
    fit = sm.OLS(y, X).fit()
    ci = fit.conf_int(alpha)
    coef = pd.DataFrame({"coef": fit.params, "se": fit.bse, "t": fit.tvalues, "p": fit.pvalues,
                         "ci_low": ci[:, 0], "ci_high": ci[:, 1]}, index=names)
    k = 2
    unadj = float(y[ind == 1].mean() - y[ind == 0].mean())
    return AncovaResult(
        outcome=outcome, baseline=baseline, group=levels[1], reference=levels[0], n=len(y),
        difference=float(fit.params[k]), se=float(fit.bse[k]), ci_low=float(ci[k, 0]),
        ci_high=float(ci[k, 1]), t=float(fit.tvalues[k]), df=int(fit.df_resid),
        p_value=float(fit.pvalues[k]), baseline_slope=float(fit.params[1]),
        unadjusted_difference=unadj, coefficients=coef, _fit=fit)
