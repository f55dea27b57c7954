"""Distances, tie rules and the two algorithms (optimal, greedy) of
:func:`spinemets.matching.match_pairs`."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from .._validation import check_choice, check_columns, renamed_arguments
from ._inputs import (
    _as_list,
    _design,
    _is_categorical,
    _propensity,
    _treatment_mask,
    _unit_sd,
)
from ._result import MatchResult

DISTANCES = ("mahalanobis", "propensity", "euclidean")
METHODS = ("optimal", "greedy")
ORDERS = ("data", "largest", "smallest", "random")

REASON_NO_BLOCK = "no control with the same exact-matching values"
REASON_CALIPER = "no control within the caliper"
REASON_USED = "every eligible control was matched to another treated unit"


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


def _distance_matrix(
    kind: str, Zt: np.ndarray, Zc: np.ndarray, VI: np.ndarray | None
) -> np.ndarray:
    """Treated x control distances from direct coordinate differences (scipy ``cdist``), not
    |a|^2 + |b|^2 - 2ab, whose rounding error the square root amplifies near 0 (two identical
    units would then be ~1e-8 apart and exact ties broken by noise)."""
    from scipy.spatial.distance import cdist

    if kind == "propensity":
        return np.abs(Zt[:, None] - Zc[None, :])
    if kind == "mahalanobis":
        w, U = np.linalg.eigh((VI + VI.T) / 2)
        L = U * np.sqrt(np.clip(w, 0.0, None))  # VI = L L'
        return cdist(Zt @ L, Zc @ L)
    scale = max(float(np.abs(Zt).max(initial=0.0)), float(np.abs(Zc).max(initial=0.0)))
    scale = scale if scale > 0 else 1.0
    return scale * cdist(Zt / scale, Zc / scale)  # one common factor: ratios unchanged


def _allowed(
    cal_cols: list,
    cal_width: list,
    Ct: np.ndarray,
    Cc: np.ndarray,
    D: np.ndarray,
    dist_width: float | None,
) -> np.ndarray | None:
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


@renamed_arguments(treatment="group")
def match_pairs(
    data: pd.DataFrame,
    group: str,
    exact: Sequence[str] | None = None,
    distance: str = "mahalanobis",
    covariates: Sequence[str] | None = None,
    caliper: float | Mapping[str, float] | None = None,
    method: str = "optimal",
    order: str = "data",
    replace: bool = False,
    seed: int | None = None,
    treated: Any = None,
) -> MatchResult:
    """Match each treated unit to one control (1:1), exactly on some variables, nearest on others.

    Parameters
    ----------
    data : DataFrame
        One row per unit; row labels identify the units in the result (``data.set_index("id")``
        first if the ids are a column).
    group : str
        The binary treatment column (0/1, bool, or two labels with ``treated=`` naming one).
        (``treatment``, its former name, warns.)
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
    treat, _ = _treatment_mask(data, group, treated)
    exact = _as_list(exact, "exact")
    covariates = _as_list(covariates, "covariates")
    _check_variables(data, group, exact, covariates, distance, order)
    cal_cols, cal_width, dist_width = _parse_caliper(data, caliper)
    _check_exact_levels(data, exact, treat)
    space = _Space.build(data, covariates, treat, distance, cal_cols, cal_width, dist_width)
    blocks, keys = _exact_blocks(data, exact, treat)
    if method == "optimal":
        pair_t, pair_c, pair_d, reasons = _match_optimal(space, blocks, replace)
    else:
        seq = _greedy_order(np.flatnonzero(treat), order, seed, space.ps)
        pair_t, pair_c, pair_d, reasons = _match_greedy(space, blocks, keys, seq, replace)
    pairs, unmatched = _tables(data.index.to_numpy(), pair_t, pair_c, pair_d, reasons)
    return MatchResult(
        method,
        distance,
        order if method == "greedy" else "n/a",
        _caliper_text(caliper, cal_cols, cal_width, distance),
        bool(replace),
        int(treat.sum()),
        int((~treat).sum()),
        len(pairs),
        float(np.sum(pair_d)),
        pairs,
        unmatched,
        data,
        treat,
        group,
        tuple(dict.fromkeys(list(covariates) + list(exact))),
        space.ps,
    )


def _check_variables(data, group, exact, covariates, distance, order) -> None:
    """The matching variables exist, do not include the group column, and suit the options."""
    if not covariates and not exact:
        raise ValueError("covariates must name at least one column (or give exact= variables)")
    if group in covariates or group in exact:
        raise ValueError(
            f"the group (treatment) column {group!r} cannot also be a covariate or exact variable"
        )
    check_columns(data, exact, argument="exact", complete=True)
    check_columns(data, covariates, argument="covariates", complete=True)
    if order in ("largest", "smallest") and distance != "propensity":
        raise ValueError(
            f"order={order!r} sorts by the propensity score: use distance='propensity' or order='data'/'random'"
        )
    if distance in ("propensity", "mahalanobis", "euclidean") and not covariates:
        raise ValueError(f"distance={distance!r} needs covariates")


def _parse_caliper(data, caliper):
    """(columns with a caliper, their widths, the width on the distance or None)."""
    cal_cols, cal_width, dist_width = [], [], None
    if caliper is None:
        return cal_cols, cal_width, dist_width
    if isinstance(caliper, Mapping):
        if not caliper:
            raise ValueError("caliper must not be an empty dict")
        check_columns(data, list(caliper), argument="caliper", complete=True)
        for c, w in caliper.items():
            if isinstance(w, bool) or not isinstance(w, Real) or not math.isfinite(w) or w <= 0:
                raise ValueError(
                    f"caliper[{c!r}] must be a positive number (a width in {c!r}'s units), got {w!r}"
                )
            if _is_categorical(data[c]):
                raise ValueError(f"caliper[{c!r}]: {c!r} is categorical; use exact=[{c!r}] instead")
            cal_cols.append(c)
            cal_width.append(float(w))
    elif isinstance(caliper, Real) and not isinstance(caliper, bool):
        if not math.isfinite(caliper) or caliper <= 0:
            raise ValueError(f"caliper must be > 0 (a width), got {caliper!r}")
        dist_width = float(caliper)
    else:
        raise ValueError(
            f"caliper must be None, a positive number or a dict {{column: width}}, got {caliper!r}"
        )
    return cal_cols, cal_width, dist_width


def _check_exact_levels(data, exact, treat) -> None:
    """Every level of an exact-matching variable must occur in both groups."""
    for c in exact:
        lv_t, lv_c = set(data.loc[treat, c]), set(data.loc[~treat, c])
        only_t, only_c = sorted(lv_t - lv_c, key=str), sorted(lv_c - lv_t, key=str)
        if only_t or only_c:
            where = "; ".join(
                s
                for s in (
                    f"{only_t} only among treated" if only_t else "",
                    f"{only_c} only among controls" if only_c else "",
                )
                if s
            )
            raise ValueError(
                f"exact variable {c!r} has level(s) found in only one group ({where}): "
                f"drop those rows or merge the levels before matching"
            )


@dataclasses.dataclass
class _Space:
    """Where distances are measured: coordinates ``Z`` (centred; propensity scores for
    ``distance="propensity"``), the inverse pooled covariance ``VI`` (Mahalanobis), the caliper
    columns ``C`` and widths, and the tie tolerance."""

    distance: str
    Z: np.ndarray
    VI: np.ndarray | None
    C: np.ndarray
    cal_cols: list
    cal_width: list
    dist_width: float | None
    ps: np.ndarray | None

    @classmethod
    def build(cls, data, covariates, treat, distance, cal_cols, cal_width, dist_width):
        ps, Z = None, None
        if distance == "propensity":
            ps = Z = _propensity(data, covariates, treat)
            if dist_width is not None:  # MatchIt's std.caliper: SDs of the score
                dist_width = dist_width * float(np.std(ps, ddof=1))
        elif covariates:
            Z = _standardised(
                _design(data, covariates, drop_first=False).to_numpy(dtype=float), distance
            )
        VI = None
        if distance == "mahalanobis":
            Zt_all, Zc_all = Z[treat], Z[~treat]
            nt, nc = len(Zt_all), len(Zc_all)
            S = (
                (nt - 1) * np.atleast_2d(np.cov(Zt_all, rowvar=False))
                + (nc - 1) * np.atleast_2d(np.cov(Zc_all, rowvar=False))
            ) / max(nt + nc - 2, 1)
            VI = np.linalg.pinv(S)
        C = data[cal_cols].to_numpy(dtype=float) if cal_cols else np.zeros((len(data), 0))
        return cls(distance, Z, VI, C, cal_cols, cal_width, dist_width, ps)

    @property
    def tol(self) -> float:
        """Distances closer than this are ties (:data:`TIE_TOL`, in the data's units)."""
        return TIE_TOL * (_tie_scale(self.Z) if self.distance == "euclidean" else 1.0)

    def block(self, tp, cp):
        """Distances and allowed pairs (None: every pair) between treated and control rows."""
        D = _distance_matrix(self.distance, self.Z[tp], self.Z[cp], self.VI)
        ok = _allowed(self.cal_cols, self.cal_width, self.C[tp], self.C[cp], D, self.dist_width)
        return D, ok


def _exact_blocks(data, exact, treat):
    """{block key: (treated positions, control positions)} and each row's block key."""
    t_pos, c_pos = np.flatnonzero(treat), np.flatnonzero(~treat)
    if exact:
        keys = data[exact].astype(str).agg("\x1f".join, axis=1).to_numpy()
    else:
        keys = np.zeros(len(data), dtype=object)
    blocks = {}
    for k in pd.unique(keys[t_pos]):
        blocks[k] = (t_pos[keys[t_pos] == k], c_pos[keys[c_pos] == k])
    return blocks, keys


def _match_optimal(space: _Space, blocks, replace):
    """Optimal matching block by block; pairs listed in data order of the treated units."""
    pair_t, pair_c, pair_d, reasons = [], [], [], {}
    for _k, (tp, cp) in blocks.items():
        if len(cp) == 0:
            for i in tp:
                reasons[i] = REASON_NO_BLOCK
            continue
        D, ok = space.block(tp, cp)
        if ok is None:
            ok = np.ones(D.shape, dtype=bool)
        q = space.tol
        r, c = _optimal_block(np.round(D / q) * q, ok, replace)
        pair_t += list(tp[r])
        pair_c += list(cp[c])
        pair_d += list(D[r, c])
        matched = set(r.tolist())
        for a in range(len(tp)):
            if a not in matched:
                reasons[tp[a]] = REASON_CALIPER if not ok[a].any() else REASON_USED
    o = np.argsort(pair_t, kind="stable")
    return [pair_t[i] for i in o], [pair_c[i] for i in o], [pair_d[i] for i in o], reasons


def _greedy_order(t_pos, order, seed, ps):
    """The order in which greedy matching takes the treated units (MatchIt's ``m.order``)."""
    if order == "data":
        return t_pos
    if order == "random":
        return np.random.default_rng(seed).permutation(t_pos)
    key = np.round(ps[t_pos] / TIE_TOL) * TIE_TOL  # ties up to noise stay in order
    o = np.argsort(-key if order == "largest" else key, kind="stable")
    return t_pos[o]


def _match_greedy(space: _Space, blocks, keys, seq, replace):
    """Greedy nearest-neighbour matching of the treated units in the order ``seq``."""
    cache = {}
    for k, (tp, cp) in blocks.items():
        if len(cp):
            D, ok = space.block(tp, cp)
            if ok is not None:  # forbidden pairs become infinite, in place
                D[~ok] = np.inf
            cache[k] = (tp, cp, D)  # one matrix per block, no copies
    used = np.zeros(len(keys), dtype=bool)  # controls already taken (by position)
    tol = space.tol
    pair_t, pair_c, pair_d, reasons = [], [], [], {}
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
            pair_t.append(i)
            pair_c.append(cp[j])
            pair_d.append(float(row[j]))
            if not replace:
                used[cp[j]] = True
        else:
            reasons[i] = REASON_CALIPER if not np.isfinite(row).any() else REASON_USED
    return pair_t, pair_c, pair_d, reasons


def _tables(idx, pair_t, pair_c, pair_d, reasons):
    """The pairs and the unmatched treated units (with the reason), labelled by row."""
    pairs = pd.DataFrame(
        {
            "pair": np.arange(1, len(pair_t) + 1),
            "treated": idx[pair_t] if pair_t else [],
            "control": idx[pair_c] if pair_c else [],
            "distance": np.asarray(pair_d, dtype=float),
        }
    )
    un_pos = sorted(reasons)
    unmatched = pd.DataFrame(
        {"treated": idx[un_pos] if un_pos else [], "reason": [reasons[i] for i in un_pos]}
    )
    return pairs, unmatched


def _caliper_text(caliper, cal_cols, cal_width, distance) -> str:
    if caliper is None:
        return "none"
    if cal_cols:
        return ", ".join(f"{c} within {w:g}" for c, w in zip(cal_cols, cal_width))
    return f"{caliper:g}" + (" SD of the propensity score" if distance == "propensity" else "")
