"""The fitted-Cox-model result and the validated model inputs, shared by :func:`cox`,
:func:`firth_cox` and :func:`fine_gray` (a module of its own, so that ``cox`` and ``firth``
do not import each other).

References
----------
Grambsch PM, Therneau TM. Proportional hazards tests and diagnostics based on weighted residuals.
Biometrika 1994;81:515-526.
Therneau TM, Grambsch PM. Modeling Survival Data: Extending the Cox Model. Springer, 2000.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from .._design import indicator_blocks, is_categorical
from .._results import Result
from .._validation import as_float_array, check_choice, check_columns, check_durations, check_events
from .km import km_table


@dataclasses.dataclass(frozen=True, repr=False)
class CoxResult(Result):
    """A fitted Cox model: ``summary`` (coef, se, hr, hr_lower, hr_upper, z, p) and global tests.

    With ``cluster=`` the ``se`` column is the robust (sandwich) SE, as R's ``robust se``, and
    ``se_naive`` keeps the model-based one (R's ``se(coef)``). ``notes`` lists what the fit did
    to the data beyond the obvious (levels dropped, penalty).
    """

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
    n_clusters: int | None = None
    penalty: str | None = None
    notes: tuple = ()
    se_naive: pd.Series | None = None
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
            "log" needs every event time > 0 (an event at time 0 is a ValueError: log(0) is
            undefined, and R's ``cox.zph`` returns NaN there).

        Returns
        -------
        DataFrame indexed by covariate plus "GLOBAL", with ``chisq``, ``df`` and ``p``.
        """
        transform = check_choice(transform, "transform", ("km", "identity", "rank", "log"))
        if self._design is None or self.penalty is not None:
            raise ValueError(
                "ph_test is available for unpenalised Cox fits of right-censored data "
                "(cox without penalty or start=); refit with cox() to check it"
            )
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
            if (te <= 0).any():
                raise ValueError(
                    f"transform='log' needs every event time > 0; {int((te <= 0).sum())} event(s) "
                    f"at time 0 have no log (R's cox.zph takes log(times) unguarded and its test "
                    f"is then NaN). Use transform='km', 'rank' or 'identity'"
                )
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
        chisq = u**2 / (np.diag(V) * d * (g @ g))
        glob = float(u @ np.linalg.solve(V, u) / (d * (g @ g)))
        names = list(self.summary.index)
        out = pd.DataFrame({"chisq": chisq, "df": 1, "p": stats.chi2.sf(chisq, 1)}, index=names)
        out.loc["GLOBAL"] = [glob, len(names), stats.chi2.sf(glob, len(names))]
        out["df"] = out["df"].astype(int)
        return out


class _Prepared:
    """Validated model inputs: complete rows, design matrix, strata and cluster codes, notes."""

    def __init__(
        self,
        data,
        duration,
        event,
        covariates,
        reference=None,
        strata=None,
        cluster=None,
        events_fn=None,
        start=None,
    ):
        check_columns(data, [duration, event] + ([start] if start is not None else []), "data")
        named = [
            c
            for c in [duration, event, start, strata, cluster]
            + ([covariates] if isinstance(covariates, str) else list(covariates or []))
            if isinstance(c, str)
        ]
        dup = sorted({c for c in named if (data.columns == c).sum() > 1})
        if dup:
            raise ValueError(
                f"data has more than one column named {dup}; rename them so that "
                f"each name picks one column"
            )
        if isinstance(covariates, str):
            covariates = [covariates]
        if covariates is None or not isinstance(covariates, (list, tuple, pd.Index)):
            raise ValueError(f"covariates must be a list of column names, got {covariates!r}")
        covariates = list(covariates)
        bad = [c for c in covariates if not isinstance(c, str)]
        if bad:
            raise ValueError(f"covariates must be column names (strings); got {bad}")
        if not covariates:
            raise ValueError("covariates must name at least one column")
        check_columns(data, covariates, "data")
        dup_roles = [c for c in covariates if c in (duration, event)]
        if dup_roles:
            raise ValueError(f"covariates {dup_roles} repeat the duration or event column")
        for role, col in (("strata", strata), ("cluster", cluster)):
            if col is not None:
                check_columns(data, [col], "data")
                if col in covariates:
                    raise ValueError(
                        f"{role}={col!r} is also a covariate; a column is one or the other"
                    )
        if strata is not None and cluster is not None and strata == cluster:
            raise ValueError(
                f"strata and cluster are the same column ({strata!r}): every cluster would be its "
                f"own stratum and the robust variance has nothing to compare within strata; use "
                f"strata= for matched sets (paired analysis) or cluster= for repeated units, not both"
            )
        used = [duration, event, *covariates] + [
            c for c in (strata, cluster, start) if c is not None
        ]
        df = data[list(dict.fromkeys(used))].dropna()
        self.n_dropped = len(data) - len(df)
        if len(df) == 0:
            raise ValueError(
                f"data has no complete rows in the used columns {list(dict.fromkeys(used))}"
            )
        self.time = check_durations(df[duration], f"{duration} (duration)")
        self.status = (events_fn or check_events)(df[event], f"{event} (event)")
        self.start = None
        if start is not None:
            self.start = as_float_array(df[start], f"{start} (start)")
            bad = self.start >= self.time
            if bad.any():
                raise ValueError(
                    f"{start} (start) must be < {duration} (stop) in every row; "
                    f"{int(bad.sum())} row(s) are not"
                )
        self.notes = []
        self.X, self.names, self.blocks = _design(df, covariates, reference, self.notes)
        self.df, self.covariates = df, covariates
        self.strata_codes = None if strata is None else pd.factorize(df[strata])[0]
        self.cluster_codes = None
        if cluster is not None:
            codes, levels = pd.factorize(df[cluster])
            if len(levels) < 2:
                raise ValueError(
                    f"cluster={cluster!r} holds a single cluster ({levels[0]!r}) in the complete rows: "
                    f"the robust variance needs at least 2 clusters (with one it is 0); drop cluster="
                )
            self.cluster_codes = codes


def _design(data: pd.DataFrame, covariates: Sequence[str], reference: dict | None, notes: list):
    """Design matrix; unused levels of categorical covariates are dropped (R ``droplevels`` in
    ``model.frame``), with a note."""
    data = data.copy()
    for c in covariates:
        col = data[c]
        if isinstance(col.dtype, pd.CategoricalDtype):
            unused = [lev for lev in col.cat.categories if not (col == lev).any()]
            if unused:
                data[c] = col.cat.remove_unused_categories()
                notes.append(f"{c}: unused level(s) {unused} dropped (as R does)")
        elif not is_categorical(col) and col.dtype.kind not in "biuf":
            raise ValueError(f"covariate {c} has dtype {col.dtype}; pass numbers or categories")
    blocks = indicator_blocks(data, covariates, reference)
    X = pd.concat(blocks.values(), axis=1)
    for name in X.columns:
        if X[name].nunique() < 2:
            raise ValueError(f"covariate {name} is constant in the data: it cannot be estimated")
    return X.to_numpy(dtype=float), list(X.columns), blocks
