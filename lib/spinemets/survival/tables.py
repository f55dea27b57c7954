"""A univariate survival table as papers print it (median per level, log-rank p per factor)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .._validation import check_ci, renamed_arguments
from .km import median_survival
from .logrank import logrank

__all__ = ["univariate_table"]


@renamed_arguments(factors="covariates")
def univariate_table(
    data: pd.DataFrame,
    duration: str,
    event: str,
    covariates: dict | Sequence[str],
    ci: str = "spss",
) -> pd.DataFrame:
    """Per factor level: patients, median survival (with SE/CI) and the factor's log-rank p.

    This is the layout of paper A's Table 4 ("median survival ± SE, log-rank p") and of many
    surgical series. The SE is the SPSS-style one of :func:`median_survival` unless ``ci`` says
    otherwise.

    Parameters
    ----------
    data : DataFrame
    duration, event : str
        Column names.
    covariates : list of str, or dict {label: column}
        Categorical columns to tabulate; a dict gives display labels. (``factors``, its former
        name, warns.)
    ci : {"spss", "log", "log-log"}
        As :func:`median_survival` (the former spelling "loglog" warns).

    Returns
    -------
    DataFrame indexed by (factor, level) with ``n``, ``median``, ``se`` (SPSS only),
    ``lower``, ``upper`` and ``p_logrank`` (repeated on each level of a factor).

    Raises
    ------
    ValueError
        No covariates, unknown columns, and the cases of :func:`logrank` for a factor.

    References
    ----------
    Mantel N. Cancer Chemother Rep 1966;50:163-170 (the log-rank test).
    """
    if not isinstance(data, pd.DataFrame):
        raise ValueError("data must be a pandas DataFrame")
    ci = check_ci(ci, ("spss", "log", "log-log"))
    if isinstance(covariates, str):
        covariates = [covariates]
    factors = dict(covariates) if isinstance(covariates, dict) else {f: f for f in covariates}
    if not factors:
        raise ValueError("covariates must name at least one column to tabulate")
    missing = [c for c in [duration, event, *factors.values()] if c not in data.columns]
    if missing:
        raise ValueError(f"data has no column(s) {missing}")
    rows = []
    for label, col in factors.items():
        sub = data[[duration, event, col]].dropna()
        p = logrank(sub[duration], sub[event], sub[col]).p_value
        levels = (
            sub[col].cat.categories
            if isinstance(sub[col].dtype, pd.CategoricalDtype)
            else sorted(pd.unique(sub[col]), key=str)
        )
        # the rows of one data frame pair by position: plain arrays, masked per level (the
        # replicates call this thousands of times; pandas indexing per level was most of it)
        dur, ev, grp = (sub[c].to_numpy() for c in (duration, event, col))
        for lev in levels:
            m = grp == lev
            if not m.any():
                continue
            med = median_survival(dur[m], ev[m], ci=ci)
            rows.append(
                {
                    "factor": label,
                    "level": lev,
                    "n": int(m.sum()),
                    "median": med.median,
                    "se": med.se,
                    "lower": med.lower,
                    "upper": med.upper,
                    "p_logrank": p,
                }
            )
    return pd.DataFrame(rows).set_index(["factor", "level"])
