"""Cox proportional hazards regression (R ``coxph``), with robust (clustered) standard errors.

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
Therneau TM, Grambsch PM. Modeling Survival Data: Extending the Cox Model. Springer, 2000.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .._validation import check_choice, check_level, level_from_alpha, renamed_arguments
from . import _core
from ._model import CoxResult, _design, _Prepared  # noqa: F401  (re-exported for finegray)
from .firth import firth_cox

__all__ = ["cox", "CoxResult"]


def _fit_core(prep: _Prepared, ties: str, weights=None):
    """Build the engine's data and fit; wrap numpy's linear-algebra errors."""
    if prep.status.sum() == 0:
        raise ValueError(
            "event: no events in the data (every row is censored); a Cox model "
            "needs at least one event"
        )
    data = _core.CoxData(
        prep.X,
        prep.time,
        prep.status,
        start=prep.start,
        weights=weights,
        strata=prep.strata_codes,
        ties=ties,
    )
    try:
        fit = _core.newton(data)
    except _core.SingularError:
        raise ValueError(
            f"covariates {prep.names}: the information matrix is singular (collinear "
            f"covariates, or a covariate constant within every stratum); drop one"
        ) from None
    return data, fit


def _summary(names, coef, se, level):
    z = coef / se
    q = stats.norm.ppf(0.5 + level / 2)
    return pd.DataFrame(
        {
            "coef": coef,
            "se": se,
            "hr": np.exp(coef),
            "hr_lower": np.exp(coef - q * se),
            "hr_upper": np.exp(coef + q * se),
            "z": z,
            "p": 2 * stats.norm.sf(np.abs(z)),
        },
        index=pd.Index(names, name="covariate"),
    )


def _infinite_message(names, infinite, prep, converged=True):
    bad = [n for n, f in zip(names, infinite) if f]
    lead = "" if converged else "the fit did not converge in 30 iterations; "
    return (
        f"covariates: {lead}the coefficient of {bad} runs to infinity (monotone likelihood: a "
        f"covariate separates the events, e.g. a level with no events); its hazard ratio and "
        f"SE are not estimable by maximum likelihood. Use penalty='firth' (Firth-penalised Cox, "
        f"Heinze & Schemper 2001, profile-likelihood CIs), or merge sparse levels"
    )


@renamed_arguments(alpha=("level", level_from_alpha))
def cox(
    data: pd.DataFrame,
    duration: str,
    event: str,
    covariates: Sequence[str],
    ties: str = "efron",
    cluster: str | None = None,
    reference: dict | None = None,
    strata: str | None = None,
    *,
    level: float = 0.95,
    penalty: str | None = None,
    start: str | None = None,
) -> CoxResult:
    """Fit a Cox proportional hazards model (R ``coxph``).

    Parameters
    ----------
    data : DataFrame
    duration, event : str
        Column names of the follow-up time and the event indicator (1 event, 0 censored).
    covariates : list of str
        Numeric columns enter as they are; string, boolean or categorical columns are coded as
        indicator variables against a reference level (the first sorted level unless
        ``reference={column: level}`` says otherwise), named ``column[level]``. Unused levels of
        a categorical column are dropped, as R does (said in ``notes``).
    ties : {"efron", "breslow"}
        Efron is R's default; Breslow is what SPSS and statsmodels use by default. With many tied
        times (whole months) the two differ in the second or third digit.
    cluster : str, optional
        Column identifying clusters (e.g. ``patient_id`` when lesions are the unit, paper D).
        The ``se`` column is then the robust sandwich SE of Lin & Wei (1989), equal to R's
        ``coxph(..., cluster = id)`` ``robust se`` with Efron or Breslow ties and with strata:
        score residuals with Efron's weighting summed within cluster,
        ``V = I^-1 (sum_c U_c U_c') I^-1``. Rows never at risk at an event time (censored before
        the first event, or in a stratum without events) contribute 0, as in R. At least two
        clusters; few clusters (< 30 or so) make the sandwich itself unreliable.
    reference : dict, optional
        Reference level per categorical covariate.
    strata : str, optional
        Column of strata with separate baseline hazards (e.g. matched-pair id). Not the same
        column as ``cluster``.
    level : float
        Confidence level of the hazard-ratio intervals (0.95), R's ``conf.int``. (``alpha``,
        its former name as 1 - level, warns.)
    penalty : {None, "firth"}
        "firth" fits the Firth-penalised model with profile-likelihood intervals
        (:func:`firth_cox`), the remedy for monotone likelihood.
    start : str, optional
        Column of entry times for counting-process data, R ``Surv(start, stop, event)``: a row
        is at risk on (start, stop] (late entry, time-varying covariates, recurrent events in
        the Andersen-Gill form with ``cluster=``). ``duration`` is then the stop time.

    Returns
    -------
    CoxResult
        ``summary`` DataFrame indexed by covariate with ``coef``, ``se``, ``hr``, ``hr_lower``,
        ``hr_upper``, ``z``, ``p``; ``n``, ``events``, ``n_dropped`` (rows with a missing value in
        a used column, dropped as R does), the likelihood-ratio test against the null model,
        ``n_clusters``, ``se_naive`` (with ``cluster``), ``notes``, and :meth:`CoxResult.ph_test`.

    Raises
    ------
    ValueError
        Unknown or duplicated columns, no covariates, a constant covariate, collinear covariates
        (singular information), no events, invalid durations or events, a single cluster,
        ``strata`` equal to ``cluster``, or a coefficient running to infinity (monotone
        likelihood; R warns "Loglik converged before variable ...; coefficient may be infinite"
        and prints a huge coefficient and SE; this refuses and points to ``penalty="firth"``).

    References
    ----------
    Lin DY, Wei LJ. J Am Stat Assoc 1989;84:1074-1078.
    Therneau TM, Grambsch PM. Modeling Survival Data: Extending the Cox Model. Springer, 2000.
    Heinze G, Schemper M. A solution to the problem of monotone likelihood in Cox regression.
    Biometrics 2001;57:114-119.
    """
    ties = check_choice(ties, "ties", ("efron", "breslow"))
    level = check_level(level)
    if penalty is not None:
        check_choice(penalty, "penalty", ("firth",))
        if cluster is not None or start is not None:
            raise ValueError(
                "penalty='firth' with cluster= or start= is not supported: the "
                "profile-likelihood intervals assume one independent row per subject"
            )
        return firth_cox(
            data,
            duration,
            event,
            covariates,
            ties=ties,
            reference=reference,
            strata=strata,
            level=level,
        )
    prep = _Prepared(data, duration, event, covariates, reference, strata, cluster, start=start)
    cdata, fit = _fit_core(prep, ties)
    if fit.infinite.any():
        raise ValueError(_infinite_message(prep.names, fit.infinite, prep, fit.converged))
    if not fit.converged:
        raise ValueError(
            f"covariates {prep.names}: Newton-Raphson did not converge in 30 "
            f"iterations; check the coding, rescale, or use penalty='firth'"
        )
    se_naive = np.sqrt(np.diag(fit.var))
    se, n_clusters, se_naive_out = se_naive, None, None
    if prep.cluster_codes is not None:
        V = _core.robust_variance(cdata, fit, prep.cluster_codes)
        se = np.sqrt(np.diag(V))
        n_clusters = int(prep.cluster_codes.max()) + 1
        se_naive_out = pd.Series(
            se_naive, index=pd.Index(prep.names, name="covariate"), name="se_naive"
        )
    lr = 2 * (fit.loglik - fit.loglik0)
    kw = {} if prep.strata_codes is None else {"strata": prep.strata_codes}
    return CoxResult(
        _summary(prep.names, fit.beta, se, level),
        len(prep.df),
        int(prep.status.sum()),
        prep.n_dropped,
        ties,
        prep.cluster_codes is not None,
        lr,
        len(prep.names),
        float(stats.chi2.sf(lr, len(prep.names))),
        fit.loglik,
        n_clusters,
        None,
        tuple(prep.notes),
        se_naive_out,
        None,
        None,
        None if start is not None else (prep.X, prep.time, prep.status, kw),
    )
