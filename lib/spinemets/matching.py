"""1:1 matched pairs: exact blocks, calipers, optimal or greedy nearest-neighbour matching.

:func:`match_pairs` pairs each treated unit with one control. Distances are Mahalanobis
(pooled within-group covariance), Euclidean, or the absolute difference in propensity scores
(logistic regression of treatment on the covariates, statsmodels). Exact matching variables
split the data into blocks that are solved separately, and a caliper makes pairs that are too
far apart *forbidden*: they are never chosen, however much the total distance would gain.

``method="optimal"`` minimises the total distance of the pairs (first maximising the number of
treated units that can be matched at all) with :func:`scipy.optimize.linear_sum_assignment`;
``method="greedy"`` takes the treated units one at a time, in ``order``, and gives each the
nearest control still available, as MatchIt's ``method = "nearest"`` does (``m.order``).

The result prints readably and offers :meth:`MatchResult.balance` (means, standardised mean
differences, variance ratios and eCDF statistics before and after matching, as MatchIt's
``summary()``), :meth:`MatchResult.love_plot` and :meth:`MatchResult.matched_data`.

References
----------
Rosenbaum PR. Optimal matching for observational studies. J Am Stat Assoc 1989;84:1024-1032.
Stuart EA. Matching methods for causal inference: a review and a look forward. Stat Sci
2010;25:1-21. doi:10.1214/09-STS313
Austin PC. Balance diagnostics for comparing the distribution of baseline covariates between
treatment groups in propensity-score matched samples. Stat Med 2009;28:3083-3107.
doi:10.1002/sim.3697
Ho DE, Imai K, King G, Stuart EA. MatchIt: nonparametric preprocessing for parametric causal
inference. J Stat Softw 2011;42(8):1-28. doi:10.18637/jss.v042.i08
"""

from __future__ import annotations

import dataclasses
import math
from numbers import Real
from typing import Any, ClassVar, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from ._results import Result
from ._validation import check_choice

__all__ = ["match_pairs", "MatchResult", "balance_table", "smd"]

DISTANCES = ("mahalanobis", "propensity", "euclidean")
METHODS = ("optimal", "greedy")
ORDERS = ("data", "largest", "smallest", "random")

REASON_NO_BLOCK = "no control with the same exact-matching values"
REASON_CALIPER = "no control within the caliper"
REASON_USED = "every eligible control was matched to another treated unit"


# --------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------

def _as_list(x, name) -> list:
    if x is None:
        return []
    if isinstance(x, str):
        return [x]
    try:
        return list(x)
    except TypeError:
        raise ValueError(f"{name} must be a column name or a list of column names, got {x!r}") from None


def _check_columns(data: pd.DataFrame, cols: Sequence[str], name: str) -> None:
    unknown = [c for c in cols if c not in data.columns]
    if unknown:
        raise ValueError(f"{name} names unknown column(s) {unknown}; data has {list(data.columns)}")
    for c in cols:
        n = int(data[c].isna().sum())
        if n:
            raise ValueError(f"{name}: column {c!r} has {n} missing value(s); drop or impute them before matching")
        col = data[c]
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            n_inf = int((~np.isfinite(col.to_numpy(dtype=float))).sum())
            if n_inf:
                raise ValueError(f"{name}: column {c!r} has {n_inf} infinite value(s); every "
                                 f"value must be finite")


def _treatment_mask(data: pd.DataFrame, treatment: str, treated: Any) -> tuple[np.ndarray, Any]:
    if not isinstance(treatment, str) or treatment not in data.columns:
        raise ValueError(f"treatment must name a column of data, got {treatment!r}")
    col = data[treatment]
    n_missing = int(col.isna().sum())
    if n_missing:
        raise ValueError(f"treatment column {treatment!r} has {n_missing} missing value(s)")
    levels = list(pd.unique(col))
    if len(levels) != 2:
        raise ValueError(f"treatment must be binary (exactly 2 levels); {treatment!r} has {len(levels)}: {levels[:6]}")
    if treated is None:
        if set(levels) <= {0, 1, True, False}:
            treated = 1
        else:
            raise ValueError(f"treatment {treatment!r} has levels {levels}: pass treated= one of them")
    elif treated not in levels:
        raise ValueError(f"treated must be one of the levels of {treatment!r} {levels}, got {treated!r}")
    return (col == treated).to_numpy(), treated


def _is_categorical(s: pd.Series) -> bool:
    return not pd.api.types.is_numeric_dtype(s) or isinstance(s.dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(s)


def _design(data: pd.DataFrame, covariates: Sequence[str], drop_first: bool) -> pd.DataFrame:
    """Numeric design matrix: numeric columns as they are, categorical ones as 0/1 dummies."""
    parts = []
    for c in covariates:
        s = data[c]
        if _is_categorical(s):
            levels = list(s.cat.categories) if isinstance(s.dtype, pd.CategoricalDtype) else sorted(pd.unique(s), key=str)
            levels = [lv for lv in levels if (s == lv).any()]
            use = levels[1:] if drop_first else levels
            for lv in use:
                parts.append(pd.Series((s == lv).astype(float).to_numpy(), index=data.index, name=f"{c}{lv}"))
        else:
            parts.append(pd.Series(s.astype(float).to_numpy(), index=data.index, name=c))
    return pd.concat(parts, axis=1) if parts else pd.DataFrame(index=data.index)


def _propensity(data: pd.DataFrame, covariates: Sequence[str], treat: np.ndarray) -> np.ndarray:
    import statsmodels.api as sm
    import warnings

    X = _design(data, covariates, drop_first=True)
    X = X.loc[:, X.max() > X.min()]          # constant columns out (no std: 1e200^2 overflows)
    # centred and scaled: the fitted probabilities do not change (the model has an intercept),
    # and huge units or offsets no longer break the Newton steps
    X = pd.DataFrame(_unit_sd(X.to_numpy(dtype=float) - X.to_numpy(dtype=float).mean(axis=0)),
                     index=X.index, columns=X.columns)
    X.insert(0, "const", 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = sm.Logit(treat.astype(float), X.to_numpy()).fit(disp=0, method="newton", maxiter=100)
        except np.linalg.LinAlgError:
            fit = sm.Logit(treat.astype(float), X.to_numpy()).fit(disp=0, method="bfgs", maxiter=1000)
    return np.asarray(fit.predict(X.to_numpy()), dtype=float)


# --------------------------------------------------------------------------------------------
# Result object
# --------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, repr=False)
class MatchResult(Result):
    """Matched pairs with the unmatched treated units and the reason each was left unmatched.

    Attributes
    ----------
    method, distance, order : str
    caliper : str
        The caliper as applied ("none", a width, or per-column widths).
    n_treated, n_control, n_pairs : int
    pairs : DataFrame
        One row per pair: ``pair`` (1, 2, ...), ``treated`` and ``control`` (row labels of
        ``data``) and ``distance``.
    unmatched : DataFrame
        ``treated`` (row label) and ``reason``.
    propensity : Series or None
        The estimated propensity scores when ``distance="propensity"``.
    """

    _title: ClassVar[str] = "Matched pairs"
    method: str
    distance: str
    order: str
    caliper: str
    replace: bool
    n_treated: int
    n_control: int
    n_pairs: int
    total_distance: float
    pairs: pd.DataFrame
    unmatched: pd.DataFrame
    _data: pd.DataFrame = dataclasses.field(default=None)
    _treat: np.ndarray = dataclasses.field(default=None)
    _treatment: str = ""
    _covariates: tuple = ()
    _propensity: Any = None

    _SHOW: ClassVar[int] = 5

    def _summary(self) -> tuple[list, pd.DataFrame, pd.Series]:
        scalars = [(k, getattr(self, k)) for k in ("method", "distance", "order", "caliper", "replace",
                                                    "n_treated", "n_control", "n_pairs", "total_distance")]
        scalars.append(("n_unmatched", len(self.unmatched)))
        reasons = self.unmatched["reason"].value_counts() if len(self.unmatched) else pd.Series(dtype=int)
        return scalars, self.pairs.head(self._SHOW), reasons

    def __repr__(self) -> str:
        from ._results import format_value

        scalars, head, reasons = self._summary()
        width = max(len(k) for k, _ in scalars)
        lines = [f"<{self._title}>"] + [f"  {k:<{width}}  {format_value(v)}" for k, v in scalars]
        lines.append(f"  pairs (first {len(head)} of {self.n_pairs}):")
        lines += ["    " + ln for ln in head.round(4).to_string(index=False).splitlines()]
        if len(reasons):
            lines.append("  unmatched treated, by reason:")
            lines += [f"    {n:>4d}  {r}" for r, n in reasons.items()]
        return "\n".join(lines)

    __str__ = __repr__

    def _repr_html_(self) -> str:
        import html

        from ._results import format_value

        scalars, head, reasons = self._summary()
        rows = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(format_value(v))}</td></tr>"
                       for k, v in scalars)
        out = f"<div><b>{self._title}</b><table>{rows}</table>"
        out += f"<p><i>pairs (first {len(head)} of {self.n_pairs})</i></p>" + head.round(4).to_html(index=False)
        if len(reasons):
            out += "<p><i>unmatched treated, by reason</i></p>" + reasons.to_frame("n").to_html()
        return out + "</div>"

    @property
    def propensity(self) -> pd.Series | None:
        if self._propensity is None:
            return None
        return pd.Series(self._propensity, index=self._data.index, name="propensity")

    def weights(self) -> pd.Series:
        """Matching weights: 1 for each matched treated unit, the number of times a control is used."""
        w = pd.Series(0.0, index=self._data.index, name="weight")
        w.loc[list(self.pairs["treated"])] = 1.0
        counts = self.pairs["control"].value_counts()
        w.loc[counts.index] += counts.to_numpy(dtype=float)
        return w

    def matched_data(self) -> pd.DataFrame:
        """The matched rows of ``data``, treated then control of each pair, with a ``pair`` id column.

        With ``replace=True`` a control used by several pairs appears once per pair.
        """
        rows = []
        for role in ("treated", "control"):
            part = self._data.loc[list(self.pairs[role])].copy()
            part.insert(0, "pair", self.pairs["pair"].to_numpy())
            part.insert(1, "matched_as", role)
            rows.append(part)
        out = pd.concat(rows)
        out["_k"] = np.r_[np.zeros(self.n_pairs), np.ones(self.n_pairs)]
        out = out.sort_values(["pair", "_k"], kind="stable").drop(columns="_k")
        return out

    def balance(self, covariates: Sequence[str] | None = None) -> pd.DataFrame:
        """Covariate balance before and after matching (MatchIt's ``summary()`` for the ATT).

        See :func:`balance_table` for the definitions. ``covariates`` defaults to the matching
        covariates (plus the exact-matching variables); with a propensity distance the first
        row is the propensity score itself (``distance``), as MatchIt prints it.
        """
        cols = list(self._covariates) if covariates is None else _as_list(covariates, "covariates")
        _check_columns(self._data, cols, "covariates")
        extra = None
        if self._propensity is not None and covariates is None:
            extra = pd.Series(self._propensity, index=self._data.index, name="distance")
        return balance_table(self._data, self._treat, cols, self.weights(), extra=extra)

    def love_plot(self, ax=None, threshold: float = 0.1, absolute: bool = True, covariates=None):
        """Love plot: the standardised mean difference of each covariate before and after matching.

        Returns the matplotlib Axes. Dashed lines mark ``threshold`` (0.1 by default).
        """
        import matplotlib.pyplot as plt

        if not (isinstance(threshold, Real) and threshold > 0):
            raise ValueError(f"threshold must be a positive number, got {threshold!r}")
        b = self.balance(covariates)
        before, after = b["smd_before"], b["smd_after"]
        if absolute:
            before, after = before.abs(), after.abs()
        order = np.argsort(before.to_numpy())
        y = np.arange(len(b))
        if ax is None:
            _, ax = plt.subplots(figsize=(6, 0.32 * len(b) + 1.2))
        ax.scatter(before.to_numpy()[order], y, marker="o", facecolors="none", edgecolors="#D55E00",
                   label="before matching")
        ax.scatter(after.to_numpy()[order], y, marker="o", color="#0072B2", label="after matching")
        ax.set_yticks(y)
        ax.set_yticklabels(b.index.to_numpy()[order])
        for t in ((threshold,) if absolute else (-threshold, threshold)):
            ax.axvline(t, ls="--", color="grey", lw=1)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlabel(("absolute " if absolute else "") + "standardised mean difference")
        ax.legend(loc="lower right", fontsize=8)
        return ax


# --------------------------------------------------------------------------------------------
# Balance diagnostics
# --------------------------------------------------------------------------------------------

def _wmean(x, w):
    return float(np.sum(w * x) / np.sum(w))


def _wvar(x, w):
    """Weighted variance with the reliability-weights correction (= sample variance for w = 1)."""
    sw, sw2 = np.sum(w), np.sum(w ** 2)
    m = np.sum(w * x) / sw
    denom = sw - sw2 / sw
    return float(np.sum(w * (x - m) ** 2) / denom) if denom > 0 else math.nan


def _ecdf_stats(xt, wt, xc, wc, grid) -> tuple[float, float]:
    """Mean and max |F_t - F_c| of the weighted eCDFs, evaluated at ``grid``.

    The grid is the set of distinct values in the full (unmatched) sample, before and after
    matching: MatchIt's convention, which makes the "after" eCDF mean comparable with "before".
    """
    def F(x, w):
        o = np.argsort(x, kind="stable")
        xs, cw = x[o], np.cumsum(w[o]) / w.sum()
        k = np.searchsorted(xs, grid, side="right")
        return np.where(k == 0, 0.0, cw[np.maximum(k - 1, 0)])

    d = np.abs(F(xt, wt) - F(xc, wc))
    return float(d.mean()), float(d.max())


def smd(x_treated, x_control, sd_treated: float) -> float:
    """Standardised mean difference ``(mean_t - mean_c) / sd_treated`` (ATT convention)."""
    if not (isinstance(sd_treated, Real) and sd_treated > 0):
        raise ValueError(f"sd_treated must be a positive number, got {sd_treated!r}")
    return float((np.mean(x_treated) - np.mean(x_control)) / sd_treated)


def balance_table(data: pd.DataFrame, treat, covariates: Sequence[str], weights=None,
                  extra: pd.Series | None = None) -> pd.DataFrame:
    """Balance of covariates between treated and control units, before and after matching.

    Parameters
    ----------
    data : DataFrame
    treat : array-like of bool
        True for treated rows.
    covariates : list of str
        Numeric columns as they are; categorical columns expand to one 0/1 row per level
        (``raceblack``, ``racehispan``, ... as MatchIt prints them).
    weights : Series, optional
        Matching weights (0 = unmatched); without them only the "before" columns are filled.
    extra : Series, optional
        A further variable (e.g. the propensity score) placed first.

    Returns
    -------
    DataFrame
        Per row: ``treated_before``, ``control_before``, ``smd_before``, ``var_ratio_before``,
        ``ecdf_mean_before``, ``ecdf_max_before`` and the same ``_after``. The SMD divides by
        the standard deviation of the treated group in the full (unmatched) sample, before and
        after, as MatchIt does for the ATT; for a binary variable that SD is
        ``sqrt(p (1 - p))`` of the treated proportion. The variance ratio (treated / control)
        is given for non-binary variables only (NaN for binary ones, where it carries no more
        information than the proportions; MatchIt prints "."). eCDF statistics are the mean
        and maximum absolute difference between the (weighted) empirical distribution
        functions over the pooled values.

    References
    ----------
    Austin PC. Stat Med 2009;28:3083-3107. doi:10.1002/sim.3697. MatchIt ``summary.matchit``
    help page (https://kosukeimai.github.io/MatchIt/reference/summary.matchit.html).
    """
    t = np.asarray(treat, dtype=bool)
    if len(t) != len(data):
        raise ValueError(f"treat has {len(t)} values but data has {len(data)} rows")
    X = _design(data, covariates, drop_first=False)
    if extra is not None:
        X.insert(0, extra.name or "distance", extra.to_numpy(dtype=float))
    w_after = None if weights is None else np.asarray(weights, dtype=float)
    rows = {}
    for name in X.columns:
        x = X[name].to_numpy(dtype=float)
        binary = bool(np.isin(x, (0.0, 1.0)).all())
        xt, xc = x[t], x[~t]
        if binary:
            p = xt.mean()
            sd_t = math.sqrt(p * (1 - p))
        else:   # divided by the largest |x| first: a square of 1e200 would overflow
            sc = float(np.abs(x).max()) or 1.0
            sd_t = sc * float(np.std(xt / sc, ddof=1))
        row = {}
        for when, w in (("before", np.ones(len(x))), ("after", w_after)):
            if w is None:
                for k in ("treated", "control", "smd", "var_ratio", "ecdf_mean", "ecdf_max"):
                    row[f"{k}_{when}"] = math.nan
                continue
            wt, wc = w[t], w[~t]
            mt, mc = wt > 0, wc > 0
            a, wa, b, wb = xt[mt], wt[mt], xc[mc], wc[mc]
            mean_t, mean_c = _wmean(a, wa), _wmean(b, wb)
            row[f"treated_{when}"] = mean_t
            row[f"control_{when}"] = mean_c
            row[f"smd_{when}"] = (mean_t - mean_c) / sd_t if sd_t > 0 else (0.0 if mean_t == mean_c else math.inf)
            if binary:
                row[f"var_ratio_{when}"] = math.nan
                row[f"ecdf_mean_{when}"] = row[f"ecdf_max_{when}"] = abs(mean_t - mean_c)
            else:
                vc = _wvar(b / sc, wb)
                row[f"var_ratio_{when}"] = _wvar(a / sc, wa) / vc if vc > 0 else math.nan
                row[f"ecdf_mean_{when}"], row[f"ecdf_max_{when}"] = _ecdf_stats(a, wa, b, wb, np.unique(x))
        rows[name] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "covariate"
    return out


# --------------------------------------------------------------------------------------------
# Distances and the two algorithms
# --------------------------------------------------------------------------------------------

def _standardised(Z: np.ndarray, kind: str) -> np.ndarray:
    """Centre the columns before any distance: a common offset (age + 1e8) would otherwise
    cancel catastrophically in |a|^2 + |b|^2 - 2ab. For Mahalanobis distances, which do not
    change with a per-column scale, each column is also divided by its SD, so that huge or tiny
    units (x 1e200) neither overflow nor underflow in the covariance matrix; Euclidean
    distances are scaled inside :func:`_distance_matrix` by one common factor."""
    Z = Z - Z.mean(axis=0)
    if kind == "mahalanobis":
        Z = _unit_sd(Z)
    return Z


def _unit_sd(Z: np.ndarray) -> np.ndarray:
    """Columns divided by their SD, computed after dividing by the largest absolute value
    (the square of 1e200 would overflow); constant columns are left as they are."""
    amax = np.abs(Z).max(axis=0)
    Z = Z / np.where(amax > 0, amax, 1.0)
    sd = Z.std(axis=0)
    return Z / np.where(sd > 0, sd, 1.0)


#: Distances closer than this (relative to the data's scale) are ties: the first control in
#: data order is taken, as on exactly tied data, so floating-point noise from units or offsets
#: does not change the pairs (MatchIt's printed matches on lalonde rely on this order).
TIE_TOL = 1e-9


def _tie_scale(Z: np.ndarray) -> float:
    """The scale of Euclidean distances (their units): the largest |centred value|."""
    return max(float(np.abs(Z).max(initial=0.0)), 1e-300)


def _first_min(d: np.ndarray, tol: float) -> int:
    """Position of the first value within ``tol`` of the minimum (-1 if all are infinite)."""
    m = d.min()
    if not np.isfinite(m):
        return -1
    return int(np.flatnonzero(d <= m + tol)[0])


def _distance_matrix(kind: str, Zt: np.ndarray, Zc: np.ndarray, VI: np.ndarray | None) -> np.ndarray:
    """Treated x control distances from direct coordinate differences (scipy ``cdist``), not
    |a|^2 + |b|^2 - 2ab, whose rounding error the square root amplifies near 0 (two identical
    units would then be ~1e-8 apart and exact ties broken by noise)."""
    from scipy.spatial.distance import cdist

    if kind == "propensity":
        return np.abs(Zt[:, None] - Zc[None, :])
    if kind == "mahalanobis":
        w, U = np.linalg.eigh((VI + VI.T) / 2)
        L = U * np.sqrt(np.clip(w, 0.0, None))          # VI = L L'
        return cdist(Zt @ L, Zc @ L)
    scale = max(float(np.abs(Zt).max(initial=0.0)), float(np.abs(Zc).max(initial=0.0)))
    scale = scale if scale > 0 else 1.0
    return scale * cdist(Zt / scale, Zc / scale)        # one common factor: ratios unchanged


def _allowed(cal_cols: list, cal_width: list, Ct: np.ndarray, Cc: np.ndarray, D: np.ndarray,
             dist_width: float | None) -> np.ndarray | None:
    """Allowed pairs under the calipers, or None when there is no caliper (every pair)."""
    if dist_width is None and not cal_width:
        return None
    ok = np.ones(D.shape, dtype=bool)
    if dist_width is not None:
        ok &= D <= dist_width * (1 + 1e-12)
    for j, w in enumerate(cal_width):
        ok &= np.abs(Ct[:, j][:, None] - Cc[:, j][None, :]) <= w * (1 + 1e-12)
    return ok


def _optimal_block(D: np.ndarray, ok: np.ndarray, replace: bool):
    """Return (row, col) index arrays of the chosen pairs within one exact block."""
    n_t, n_c = D.shape
    if replace:
        Dm = np.where(ok, D, np.inf)
        cols = np.argmin(Dm, axis=1)
        rows = np.flatnonzero(np.isfinite(Dm[np.arange(n_t), cols]))
        return rows, cols[rows]
    finite = D[ok]
    if finite.size == 0:
        return np.array([], dtype=int), np.array([], dtype=int)
    # One "stay unmatched" column per treated unit, costing more than any set of real pairs can,
    # so that the solver first matches as many treated units as the caliper allows and then
    # minimises the total distance. Forbidden pairs are infinite: never chosen.
    big = (float(finite.max()) + 1.0) * (n_t + 1)
    cost = np.full((n_t, n_c + n_t), np.inf)
    cost[:, :n_c] = np.where(ok, D, np.inf)
    cost[np.arange(n_t), n_c + np.arange(n_t)] = big
    r, c = linear_sum_assignment(cost)
    keep = c < n_c
    return r[keep], c[keep]


def match_pairs(data: pd.DataFrame, treatment: str, exact: Sequence[str] | None = None,
                distance: str = "mahalanobis", covariates: Sequence[str] | None = None,
                caliper: float | Mapping[str, float] | None = None, method: str = "optimal",
                order: str = "data", replace: bool = False, seed: int | None = None,
                treated: Any = None) -> MatchResult:
    """Match each treated unit to one control (1:1), exactly on some variables, nearest on others.

    Parameters
    ----------
    data : DataFrame
        One row per unit; row labels identify the units in the result (``data.set_index("id")``
        first if the ids are a column).
    treatment : str
        The binary treatment column (0/1, bool, or two labels with ``treated=`` naming one).
    exact : list of str, optional
        Variables matched exactly: pairs are formed only within blocks of equal values.
    distance : {"mahalanobis", "propensity", "euclidean"}
        Mahalanobis distance with the pooled within-group covariance matrix (a pseudo-inverse
        if it is singular), plain Euclidean distance (scale the covariates first), or the
        absolute difference in propensity scores from a logistic regression of treatment on
        ``covariates`` (categorical covariates enter as dummies).
    covariates : list of str
        Variables that define the distance. Categorical columns become 0/1 dummies.
    caliper : float or dict, optional
        A float is the largest allowed distance; for ``distance="propensity"`` it is in
        standard deviations of the propensity score (over all units, MatchIt's
        ``std.caliper``), otherwise in distance units. A dict ``{column: width}`` forbids pairs
        whose values differ by more than ``width`` in that column's own units (e.g.
        ``{"age": 5}``: within 5 years). Pairs outside the caliper are forbidden, not penalised.
    method : {"optimal", "greedy"}
        Optimal matching minimises the total distance over all pairs (after matching as many
        treated units as possible) with :func:`scipy.optimize.linear_sum_assignment`, block by
        block; greedy nearest neighbour matches one treated unit at a time in ``order``.
    order : {"data", "largest", "smallest", "random"}
        Order of the treated units for greedy matching (MatchIt's ``m.order``): data order, by
        decreasing or increasing propensity score (``distance="propensity"`` only), or random
        (reproducible with ``seed``). Ignored by optimal matching.
    replace : bool
        Whether a control may be used by more than one treated unit.
    seed : int, optional
        Seed of ``order="random"``.
    treated : scalar, optional
        The treatment level that counts as treated when the column is not 0/1.

    Returns
    -------
    MatchResult
        The pairs, the unmatched treated units with the reason each was unmatched, and methods
        ``balance()``, ``love_plot()`` and ``matched_data()``. Fewer eligible controls than
        treated units is not an error: the excess treated units are reported as unmatched.

    Raises
    ------
    ValueError
        For a non-binary treatment, an unknown column, missing values in a matching variable,
        a caliper that is not positive, an exact-matching level found in only one group, or an
        option outside the allowed values.

    References
    ----------
    Rosenbaum PR. J Am Stat Assoc 1989;84:1024-1032. Stuart EA. Stat Sci 2010;25:1-21.
    doi:10.1214/09-STS313. MatchIt ``method_nearest`` and ``method_optimal`` help pages
    (https://kosukeimai.github.io/MatchIt/reference/method_nearest.html).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"t": [1, 1, 0, 0, 0], "age": [50, 70, 52, 69, 90]})
    >>> m = match_pairs(d, "t", covariates=["age"], distance="euclidean")
    >>> m.pairs[["treated", "control"]].values.tolist()
    [[0, 2], [1, 3]]
    """
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    if data.index.has_duplicates:
        raise ValueError("data has duplicated row labels: give each unit a unique index")
    distance = check_choice(distance, "distance", DISTANCES)
    method = check_choice(method, "method", METHODS)
    order = check_choice(order, "order", ORDERS)
    if not isinstance(replace, (bool, np.bool_)):
        raise ValueError(f"replace must be True or False, got {replace!r}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise ValueError(f"seed must be an integer or None, got {seed!r}")
    treat, _ = _treatment_mask(data, treatment, treated)
    exact = _as_list(exact, "exact")
    covariates = _as_list(covariates, "covariates")
    if not covariates and not exact:
        raise ValueError("covariates must name at least one column (or give exact= variables)")
    if treatment in covariates or treatment in exact:
        raise ValueError(f"the treatment column {treatment!r} cannot also be a covariate or exact variable")
    _check_columns(data, exact, "exact")
    _check_columns(data, covariates, "covariates")
    if order in ("largest", "smallest") and distance != "propensity":
        raise ValueError(f"order={order!r} sorts by the propensity score: use distance='propensity' or order='data'/'random'")
    if distance in ("propensity", "mahalanobis", "euclidean") and not covariates:
        raise ValueError(f"distance={distance!r} needs covariates")

    # caliper
    cal_cols, cal_width, dist_width = [], [], None
    if caliper is not None:
        if isinstance(caliper, Mapping):
            if not caliper:
                raise ValueError("caliper must not be an empty dict")
            _check_columns(data, list(caliper), "caliper")
            for c, w in caliper.items():
                if isinstance(w, bool) or not isinstance(w, Real) or not math.isfinite(w) or w <= 0:
                    raise ValueError(f"caliper[{c!r}] must be a positive number (a width in {c!r}'s units), got {w!r}")
                if _is_categorical(data[c]):
                    raise ValueError(f"caliper[{c!r}]: {c!r} is categorical; use exact=[{c!r}] instead")
                cal_cols.append(c)
                cal_width.append(float(w))
        elif isinstance(caliper, Real) and not isinstance(caliper, bool):
            if not math.isfinite(caliper) or caliper <= 0:
                raise ValueError(f"caliper must be > 0 (a width), got {caliper!r}")
            dist_width = float(caliper)
        else:
            raise ValueError(f"caliper must be None, a positive number or a dict {{column: width}}, got {caliper!r}")

    # exact blocks: every level must occur in both groups
    for c in exact:
        lv_t, lv_c = set(data.loc[treat, c]), set(data.loc[~treat, c])
        only_t, only_c = sorted(lv_t - lv_c, key=str), sorted(lv_c - lv_t, key=str)
        if only_t or only_c:
            where = "; ".join(s for s in (f"{only_t} only among treated" if only_t else "",
                                          f"{only_c} only among controls" if only_c else "") if s)
            raise ValueError(f"exact variable {c!r} has level(s) found in only one group ({where}): "
                             f"drop those rows or merge the levels before matching")

    # distance ingredients
    ps = None
    if distance == "propensity":
        ps = _propensity(data, covariates, treat)
        Z = ps
        if dist_width is not None:
            dist_width = dist_width * float(np.std(ps, ddof=1))
    elif covariates:
        Z = _standardised(_design(data, covariates, drop_first=False).to_numpy(dtype=float),
                          distance)
    VI = None
    if distance == "mahalanobis":
        Zt_all, Zc_all = Z[treat], Z[~treat]
        nt, nc = len(Zt_all), len(Zc_all)
        S = ((nt - 1) * np.atleast_2d(np.cov(Zt_all, rowvar=False)) + (nc - 1) * np.atleast_2d(np.cov(Zc_all, rowvar=False))) / max(nt + nc - 2, 1)
        VI = np.linalg.pinv(S)
    C = data[cal_cols].to_numpy(dtype=float) if cal_cols else np.zeros((len(data), 0))

    idx = data.index.to_numpy()
    t_pos, c_pos = np.flatnonzero(treat), np.flatnonzero(~treat)
    if exact:
        keys = data[exact].astype(str).agg("\x1f".join, axis=1).to_numpy()
    else:
        keys = np.zeros(len(data), dtype=object)
    blocks = {}
    for k in pd.unique(keys[t_pos]):
        blocks[k] = (t_pos[keys[t_pos] == k], c_pos[keys[c_pos] == k])

    pair_t, pair_c, pair_d = [], [], []
    reasons = {}

    def block_matrices(tp, cp):
        D = _distance_matrix(distance, Z[tp], Z[cp], VI)
        ok = _allowed(cal_cols, cal_width, C[tp], C[cp], D, dist_width)
        return D, ok

    if method == "optimal":
        for k, (tp, cp) in blocks.items():
            if len(cp) == 0:
                for i in tp:
                    reasons[i] = REASON_NO_BLOCK
                continue
            D, ok = block_matrices(tp, cp)
            if ok is None:
                ok = np.ones(D.shape, dtype=bool)
            q = TIE_TOL * (_tie_scale(Z) if distance == "euclidean" else 1.0)
            r, c = _optimal_block(np.round(D / q) * q, ok, replace)
            pair_t += list(tp[r]); pair_c += list(cp[c]); pair_d += list(D[r, c])
            matched = set(r.tolist())
            for a in range(len(tp)):
                if a not in matched:
                    reasons[tp[a]] = REASON_CALIPER if not ok[a].any() else REASON_USED
        # pairs listed in data order of the treated units
        o = np.argsort(pair_t, kind="stable")
        pair_t, pair_c, pair_d = [pair_t[i] for i in o], [pair_c[i] for i in o], [pair_d[i] for i in o]
    else:
        if order == "data":
            seq = t_pos
        elif order == "random":
            seq = np.random.default_rng(seed).permutation(t_pos)
        else:
            key = np.round(ps[t_pos] / TIE_TOL) * TIE_TOL      # ties up to noise stay in order
            o = np.argsort(-key if order == "largest" else key, kind="stable")
            seq = t_pos[o]
        cache = {}
        for k, (tp, cp) in blocks.items():
            if len(cp):
                D, ok = block_matrices(tp, cp)
                if ok is not None:          # forbidden pairs become infinite, in place
                    D[~ok] = np.inf
                cache[k] = (tp, cp, D)      # one matrix per block, no copies
        used = np.zeros(len(data), dtype=bool)   # controls already taken (by position)
        tol = TIE_TOL * (_tie_scale(Z) if distance == "euclidean" else 1.0)
        for i in seq:
            k = keys[i]
            if k not in cache:
                reasons[i] = REASON_NO_BLOCK
                continue
            tp, cp, Dm = cache[k]
            a = int(np.searchsorted(tp, i))
            row = Dm[a]
            d = np.where(used[cp], np.inf, row) if not replace else row
            j = _first_min(d, tol)
            if j >= 0:
                pair_t.append(i); pair_c.append(cp[j]); pair_d.append(float(row[j]))
                if not replace:
                    used[cp[j]] = True
            else:
                reasons[i] = REASON_CALIPER if not np.isfinite(row).any() else REASON_USED

    pairs = pd.DataFrame({"pair": np.arange(1, len(pair_t) + 1), "treated": idx[pair_t] if pair_t else [],
                          "control": idx[pair_c] if pair_c else [], "distance": np.asarray(pair_d, dtype=float)})
    un_pos = sorted(reasons)
    unmatched = pd.DataFrame({"treated": idx[un_pos] if un_pos else [], "reason": [reasons[i] for i in un_pos]})
    if caliper is None:
        cal_text = "none"
    elif cal_cols:
        cal_text = ", ".join(f"{c} within {w:g}" for c, w in zip(cal_cols, cal_width))
    else:
        cal_text = f"{caliper:g}" + (" SD of the propensity score" if distance == "propensity" else "")
    cov_bal = tuple(dict.fromkeys(list(covariates) + list(exact)))
    return MatchResult(method, distance, order if method == "greedy" else "n/a", cal_text, bool(replace),
                       int(treat.sum()), int((~treat).sum()), len(pairs), float(np.sum(pair_d)), pairs, unmatched,
                       data, treat, treatment, cov_bal, ps)
