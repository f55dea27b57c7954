"""Forward stepwise logistic regression with SPSS's FSTEP(LR) rule."""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from .._design import indicator_blocks
from .._results import Result
from .._validation import (
    check_choice,
    check_columns,
    check_events,
    check_open_interval,
    level_from_alpha,
    renamed_arguments,
)


@dataclasses.dataclass(frozen=True, repr=False)
class StepwiseResult(Result):
    _title: ClassVar[str] = "Forward stepwise logistic regression (SPSS FSTEP(LR) rule)"
    selected: list
    steps: pd.DataFrame
    summary: pd.DataFrame
    n: int
    _fit: Any = dataclasses.field(default=None)


def _logit(y, X):
    from statsmodels.discrete.discrete_model import Logit

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Logit(y, X).fit(disp=0, maxiter=200)


def _score_test(y, X_cur, X_new):
    """Rao score test for adding X_new to a logistic model with design X_cur (at its MLE)."""
    fit = _logit(y, X_cur)
    p = fit.predict(X_cur)
    X = np.column_stack([X_cur, X_new])
    U = X.T @ (y - p)
    W = p * (1 - p)
    info = X.T @ (X * W[:, None])
    stat = float(U @ np.linalg.solve(info, U))
    return stat, X_new.shape[1]


@renamed_arguments(candidates="covariates", alpha=("level", level_from_alpha))
def stepwise_logistic(
    data: pd.DataFrame,
    outcome: str,
    covariates: Sequence[str],
    direction: str = "forward",
    p_enter: float = 0.05,
    p_remove: float = 0.10,
    reference: dict | None = None,
    level: float = 0.95,
) -> StepwiseResult:
    """Forward stepwise logistic regression with SPSS's FSTEP(LR) rule.

    At each step the candidate with the smallest **score-test** p-value enters if p < ``p_enter``;
    then the term whose **likelihood-ratio** removal test has the largest p-value leaves if
    p > ``p_remove``. Categorical candidates enter and leave as a block of indicator variables
    against a reference level. SAS removes by the Wald test and so can select differently.

    Stepwise selection is shown because papers use it, not recommended: it selects noise, biases
    coefficients away from zero and makes the final model's p-values and CIs too optimistic
    (Harrell 2015).

    Parameters
    ----------
    data : DataFrame
    outcome : str
        0/1 column.
    covariates : list of str
        The candidate terms (``candidates``, the former name, is deprecated).
    direction : {"forward"}
    p_enter, p_remove : float
        SPSS defaults 0.05 and 0.10.
    reference : dict, optional
        Reference level per categorical candidate.
    level : float
        Confidence level of the odds-ratio intervals of the final model, default 0.95
        (``alpha`` = 1 - level is the former, deprecated argument).

    Returns
    -------
    StepwiseResult
        ``selected`` (in order of entry), ``steps`` (step, action, variable, statistic, df, p)
        and ``summary`` of the final model (coef, se, or, or_lower, or_upper, p), indexed by term.
        Rows with a missing value in any used column are dropped (``n`` reports the rows used).

    Raises
    ------
    ValueError
        Missing columns, infinite values in a candidate, an outcome other than 0/1, or
        p_enter, p_remove, level outside (0, 1).

    References
    ----------
    Harrell FE. Regression Modeling Strategies, 2nd ed. Springer, 2015, section 4.3.
    IBM SPSS Statistics Algorithms, LOGISTIC REGRESSION (forward stepwise, FSTEP(LR)).
    """
    check_choice(direction, "direction", ("forward",))
    p_enter = check_open_interval(p_enter, "p_enter")
    p_remove = check_open_interval(p_remove, "p_remove")
    if p_remove < p_enter:
        raise ValueError(
            "p_remove must be >= p_enter, otherwise a variable could enter and leave forever"
        )
    level = check_open_interval(level, "level")
    df, candidates, y = _complete_rows(data, outcome, covariates)
    blocks = indicator_blocks(df, candidates, reference)
    model, steps = _forward_lr(y, blocks, candidates, p_enter, p_remove)
    fit = _logit(y, _design(blocks, model, len(df)))
    names = ["const"] + [col for v in model for col in blocks[v].columns]
    summary = _odds_ratios(fit, names, level)
    steps_df = pd.DataFrame(
        steps, columns=["step", "action", "variable", "statistic", "df", "p", "test"]
    )
    return StepwiseResult(list(model), steps_df, summary, len(df), fit)


def _complete_rows(data, outcome, covariates):
    """The complete rows of the outcome and candidate columns, the candidates and y (0/1)."""
    candidates = covariates
    if isinstance(candidates, str) or not all(isinstance(c, str) for c in candidates):
        raise ValueError(f"covariates must be a list of column names, got {candidates!r}")
    candidates = list(candidates)
    if not candidates:
        raise ValueError("covariates must name at least one column")
    check_columns(data, [outcome, *candidates], "data")
    df = data[[outcome, *candidates]].dropna()
    for c in candidates:
        col = df[c]
        if pd.api.types.is_bool_dtype(col):
            continue
        if pd.api.types.is_numeric_dtype(col) and not np.isfinite(col.to_numpy(float)).all():
            raise ValueError(
                f"data column {c!r} (a candidate) contains infinite values; "
                "drop or recode them first"
            )
    if len(df) == 0:
        raise ValueError("data has no complete rows in the outcome and candidate columns")
    y = check_events(df[outcome], f"{outcome} (outcome)").astype(float)
    if y.min() == y.max():
        raise ValueError(
            f"outcome {outcome!r} takes one value only ({int(y[0])}) in the complete "
            "rows: a logistic model has nothing to explain"
        )
    return df, candidates, y


def _design(blocks, vars_, n):
    """Intercept and the indicator blocks of ``vars_``."""
    return np.column_stack([np.ones((n, 1))] + [blocks[v].to_numpy() for v in vars_])


def _forward_lr(y, blocks, candidates, p_enter, p_remove):
    """SPSS's FSTEP(LR): the smallest score-test p enters if below ``p_enter``; then the
    largest likelihood-ratio removal p leaves if above ``p_remove``. Returns the model (in
    order of entry) and the steps."""
    n = len(y)
    model: list[str] = []
    steps = []
    for step in range(1, 2 * len(candidates) + 2):
        tests = []
        for c in (c for c in candidates if c not in model):
            stat, k = _score_test(y, _design(blocks, model, n), blocks[c].to_numpy())
            tests.append((float(stats.chi2.sf(stat, k)), c, stat, k))
        if not tests:
            break
        p, c, stat, k = min(tests)
        if p >= p_enter:
            break
        model.append(c)
        steps.append(_step(step, "enter", c, stat, k, p, "score"))
        full = _logit(y, _design(blocks, model, n))
        removal = []
        for v in model[:-1]:
            reduced = _logit(y, _design(blocks, [m for m in model if m != v], n))
            lr = 2 * (full.llf - reduced.llf)
            kk = blocks[v].shape[1]
            removal.append((float(stats.chi2.sf(lr, kk)), v, float(lr), kk))
        if removal:
            p_r, v, lr, kk = max(removal)
            if p_r > p_remove:
                model.remove(v)
                steps.append(_step(step, "remove", v, lr, kk, p_r, "likelihood ratio"))
    return model, steps


def _step(step, action, variable, statistic, df, p, test) -> dict:
    return {
        "step": step,
        "action": action,
        "variable": variable,
        "statistic": statistic,
        "df": df,
        "p": p,
        "test": test,
    }


def _odds_ratios(fit, names, level) -> pd.DataFrame:
    """Coefficients, odds ratios with Wald intervals at ``level``, and p of the final model."""
    z = stats.norm.ppf(1 - (1 - level) / 2)
    coef, se = np.asarray(fit.params), np.asarray(fit.bse)
    return pd.DataFrame(
        {
            "coef": coef,
            "se": se,
            "or": np.exp(coef),
            "or_lower": np.exp(coef - z * se),
            "or_upper": np.exp(coef + z * se),
            "p": np.asarray(fit.pvalues),
        },
        index=pd.Index(names, name="term"),
    )


__all__ = ["StepwiseResult", "stepwise_logistic"]
