"""'Table 1' of patient characteristics with the tests SPSS-era papers used."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .._validation import check_choice, check_columns, check_groups, renamed_arguments


def _pearson_chi2(*counts):
    """Pearson chi-square without continuity correction (SPSS)."""
    tab = np.array(counts, dtype=float)
    tab = tab[:, tab.sum(axis=0) > 0]
    return float(stats.chi2_contingency(tab, correction=False)[1])


def _student_t(*groups):
    """Student's t-test with equal variances (SPSS, first row) or one-way ANOVA for > 2 groups."""
    groups = [np.asarray(g, dtype=float)[~np.isnan(np.asarray(g, dtype=float))] for g in groups]
    if len(groups) == 2:
        return float(stats.ttest_ind(*groups, equal_var=True).pvalue)
    return float(stats.f_oneway(*groups).pvalue)


def _mann_whitney(*groups):
    """Mann-Whitney U (2 groups) or Kruskal-Wallis (> 2), asymptotic."""
    groups = [np.asarray(g, dtype=float)[~np.isnan(np.asarray(g, dtype=float))] for g in groups]
    if len(groups) == 2:
        return float(
            stats.mannwhitneyu(*groups, alternative="two-sided", method="asymptotic").pvalue
        )
    return float(stats.kruskal(*groups).pvalue)


@renamed_arguments(groupby="group")
def table_one(
    data: pd.DataFrame,
    columns: Sequence[str],
    group: str | None = None,
    categorical: Sequence[str] | None = None,
    nonnormal: Sequence[str] | None = None,
    tests: str = "spss",
    **kwargs,
):
    """A 'Table 1' of patient characteristics, on top of the ``tableone`` package.

    Parameters
    ----------
    data : DataFrame
    columns : list of str
    group : str, optional
        Column defining the groups compared (p-values are added when given); ``groupby``, the
        former name (tableone's), is deprecated.
    categorical, nonnormal : list of str, optional
        Categorical variables (n (%)) and continuous variables summarised as median [Q1, Q3].
        Object and categorical dtypes are treated as categorical automatically.
    tests : {"spss", "tableone"}
        "spss": Pearson chi-square without Yates' correction for categorical variables,
        Student's t (equal variances) or ANOVA for normal continuous ones, Mann-Whitney or
        Kruskal-Wallis for non-normal ones, as SPSS-era papers report. "tableone": the package's
        defaults (Welch's t, chi-square with Yates for 2 x 2 and Fisher when expected counts are
        small).
    **kwargs
        Passed on to ``tableone.TableOne`` (e.g. ``rename``, ``order``, ``decimals``).

    Returns
    -------
    tableone.TableOne
        Display it directly, or use ``.tableone`` for the DataFrame.

    Raises
    ------
    ValueError
        ``data`` not a DataFrame, missing columns, or a ``group`` with fewer than 2 levels.

    References
    ----------
    Pollard TJ, Johnson AEW, Raffa JD, Mark RG. tableone: an open source Python package for
    producing summary statistics for research papers. JAMIA Open 2018;1:26-31.
    """
    from tableone import TableOne

    tests = check_choice(tests, "tests", ("spss", "tableone"))
    if not isinstance(data, pd.DataFrame):
        raise ValueError("data must be a pandas DataFrame")
    if isinstance(columns, str):
        raise ValueError(f"columns must be a list of column names, got the string {columns!r}")
    check_columns(data, list(dict.fromkeys([*columns, *([group] if group else [])])), "data")
    if group:
        check_groups(data[group].dropna(), group)
    categorical = (
        list(categorical)
        if categorical is not None
        else [
            c
            for c in columns
            if data[c].dtype == object
            or isinstance(data[c].dtype, pd.CategoricalDtype)
            or data[c].dtype == bool
        ]
    )
    nonnormal = list(nonnormal or [])
    htest = None
    if tests == "spss" and group:
        htest = {
            c: (
                _pearson_chi2
                if c in categorical
                else _mann_whitney
                if c in nonnormal
                else _student_t
            )
            for c in columns
        }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return TableOne(
            data,
            columns=list(columns),
            categorical=categorical,
            nonnormal=nonnormal,
            groupby=group,
            pval=bool(group),
            htest=htest,
            htest_name=bool(group),
            **kwargs,
        )


__all__ = ["table_one"]
