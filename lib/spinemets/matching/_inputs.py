"""Input processing for :func:`spinemets.matching.match_pairs`: the treatment column, the
numeric design matrix and the propensity model (the matching columns are checked by the shared
:func:`spinemets._validation.check_columns`: present, complete, finite)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd


def _as_list(x, name) -> list:
    if x is None:
        return []
    if isinstance(x, str):
        return [x]
    try:
        return list(x)
    except TypeError:
        raise ValueError(
            f"{name} must be a column name or a list of column names, got {x!r}"
        ) from None


def _treatment_mask(data: pd.DataFrame, treatment: str, treated: Any) -> tuple[np.ndarray, Any]:
    if not isinstance(treatment, str) or treatment not in data.columns:
        raise ValueError(f"group must name a column of data, got {treatment!r}")
    col = data[treatment]
    n_missing = int(col.isna().sum())
    if n_missing:
        raise ValueError(f"group column {treatment!r} has {n_missing} missing value(s)")
    levels = list(pd.unique(col))
    if len(levels) != 2:
        raise ValueError(
            f"group must be binary (exactly 2 levels); {treatment!r} has {len(levels)}: {levels[:6]}"
        )
    if treated is None:
        if set(levels) <= {0, 1}:
            treated = 1
        else:
            raise ValueError(f"group {treatment!r} has levels {levels}: pass treated= one of them")
    elif treated not in levels:
        raise ValueError(
            f"treated must be one of the levels of {treatment!r} {levels}, got {treated!r}"
        )
    return (col == treated).to_numpy(), treated


def _is_categorical(s: pd.Series) -> bool:
    return (
        not pd.api.types.is_numeric_dtype(s)
        or isinstance(s.dtype, pd.CategoricalDtype)
        or pd.api.types.is_bool_dtype(s)
    )


def _design(data: pd.DataFrame, covariates: Sequence[str], drop_first: bool) -> pd.DataFrame:
    """Numeric design matrix: numeric columns as they are, categorical ones as 0/1 dummies."""
    parts = []
    for c in covariates:
        s = data[c]
        if _is_categorical(s):
            levels = (
                list(s.cat.categories)
                if isinstance(s.dtype, pd.CategoricalDtype)
                else sorted(pd.unique(s), key=str)
            )
            levels = [lv for lv in levels if (s == lv).any()]
            use = levels[1:] if drop_first else levels
            for lv in use:
                parts.append(
                    pd.Series((s == lv).astype(float).to_numpy(), index=data.index, name=f"{c}{lv}")
                )
        else:
            parts.append(pd.Series(s.astype(float).to_numpy(), index=data.index, name=c))
    return pd.concat(parts, axis=1) if parts else pd.DataFrame(index=data.index)


def _propensity(data: pd.DataFrame, covariates: Sequence[str], treat: np.ndarray) -> np.ndarray:
    import warnings

    from statsmodels.discrete.discrete_model import Logit

    X = _design(data, covariates, drop_first=True)
    X = X.loc[:, X.max() > X.min()]  # constant columns out (no std: 1e200^2 overflows)
    # centred and scaled: the fitted probabilities do not change (the model has an intercept),
    # and huge units or offsets no longer break the Newton steps
    X = pd.DataFrame(
        _unit_sd(X.to_numpy(dtype=float) - X.to_numpy(dtype=float).mean(axis=0)),
        index=X.index,
        columns=X.columns,
    )
    X.insert(0, "const", 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = Logit(treat.astype(float), X.to_numpy()).fit(disp=0, method="newton", maxiter=100)
        except np.linalg.LinAlgError:
            fit = Logit(treat.astype(float), X.to_numpy()).fit(disp=0, method="bfgs", maxiter=1000)
    return np.asarray(fit.predict(X.to_numpy()), dtype=float)


def _unit_sd(Z: np.ndarray) -> np.ndarray:
    """Columns divided by their SD, computed after dividing by the largest absolute value
    (the square of 1e200 would overflow); constant columns are left as they are."""
    amax = np.abs(Z).max(axis=0)
    Z = Z / np.where(amax > 0, amax, 1.0)
    sd = Z.std(axis=0)
    return Z / np.where(sd > 0, sd, 1.0)
