"""Building blocks of the cohort engine: IPF, MILP integerisation, pinned quantile draws.

Private helpers of :mod:`spinemets.cohorts`; see its docstring for the algorithm.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy import optimize, sparse


@dataclass
class Constraint:
    """One published cell: ``count`` patients fall in the cells where ``mask`` is True."""

    mask: np.ndarray  # boolean over the flattened joint grid
    count: int
    source: str
    label: str


def ipf(seed: np.ndarray, families: list[list[Constraint]], *, tol: float = 1e-10, max_iter: int = 2000) -> np.ndarray:
    """Iterative proportional fitting over families of cell groups.

    Each family is a partition of the cells (one published table); each sweep rescales the
    cells of every group so that their sum equals the published count (Deming & Stephan 1940).

    References
    ----------
    Deming WE, Stephan FF. On a least squares adjustment of a sampled frequency table when the
    expected marginal totals are known. Ann Math Stat 1940;11:427-444.
    """
    x = np.asarray(seed, dtype=float).copy()
    for _ in range(max_iter):
        worst = 0.0
        for fam in families:
            for c in fam:
                s = x[c.mask].sum()
                if s > 0:
                    worst = max(worst, abs(s - c.count))
                    x[c.mask] *= c.count / s
                elif c.count > 0:
                    raise ValueError(f"IPF: published cell {c.label} ({c.source}) = {c.count} has no support in the seed")
        if worst < tol:
            break
    return x


def integerise(x_ipf: np.ndarray, constraints: list[Constraint], zero: np.ndarray | None = None) -> np.ndarray:
    """Integer cells hitting every published count exactly, closest (L1) to the IPF solution.

    MILP over integer ``x >= 0`` and continuous ``u >= |x - x_ipf|``: minimise sum(u) subject to
    ``A x = b`` (one row per published cell), solved by HiGHS via :func:`scipy.optimize.milp`.
    ``zero`` marks structural zeros (impossible combinations): those cells are bounded at 0.
    """
    m = x_ipf.size
    a = sparse.vstack([sparse.csr_matrix(c.mask.astype(float)) for c in constraints])
    b = np.array([c.count for c in constraints], dtype=float)
    zeros = sparse.csr_matrix((len(constraints), m))
    eye = sparse.identity(m, format="csr")
    a_eq = sparse.hstack([a, zeros])
    a_up = sparse.hstack([eye, -eye])      # x - u <= x_ipf
    a_lo = sparse.hstack([-eye, -eye])     # -x - u <= -x_ipf
    cons = [
        optimize.LinearConstraint(a_eq, b, b),
        optimize.LinearConstraint(a_up, -np.inf, x_ipf),
        optimize.LinearConstraint(a_lo, -np.inf, -x_ipf),
    ]
    c = np.concatenate([np.zeros(m), np.ones(m)])
    integrality = np.concatenate([np.ones(m), np.zeros(m)])
    upper = np.full(2 * m, np.inf)
    if zero is not None:
        upper[:m][np.asarray(zero, bool)] = 0.0
    bounds = optimize.Bounds(np.zeros(2 * m), upper)
    res = optimize.milp(c, constraints=cons, integrality=integrality, bounds=bounds,
                        options={"disp": False, "time_limit": 60.0})
    if res.x is None:
        raise ValueError(f"MILP found no integer table hitting every published cell: {res.message}")
    x = np.round(res.x[:m]).astype(int)
    bad = [c.label for c in constraints if int(x[c.mask].sum()) != c.count]
    if bad:
        raise ValueError(f"integerised table misses published cells: {bad}")
    return x


def grid(levels: dict[str, list]) -> tuple[list[str], list[tuple]]:
    """All cells of the joint grid as tuples of levels, in C order."""
    names = list(levels)
    return names, list(itertools.product(*[levels[k] for k in names]))


def pinned_sample(rng: np.random.Generator, n: int, *, vmin: float, vmax: float, median: float,
                  cuts: list[dict], decimals: int, scale: str = "linear",
                  priority: str = "median") -> np.ndarray:
    """Sorted sample of size ``n`` with exact min, max, median and dichotomy counts.

    Anchors (p, value) of a piecewise-linear quantile function (on the log scale if
    ``scale='log'``): (0, min), (k/n, cut) for each cut with k values <= cut, (1/2, median),
    (1, max). The sorted sample takes stratified uniforms through it; then the order statistics
    that pin the published numbers are set exactly: first = min, last = max, the two middle ones
    = median (n even), values at ranks k-1 / k on either side of each cut. When a cut and the
    median contradict each other (more than half below a cut smaller than the median) the
    ``priority`` says which wins; the other is reported as a miss.
    """
    tr = (lambda v: np.log(np.maximum(v, 1e-9))) if scale == "log" else (lambda v: np.asarray(v, float))
    inv = np.exp if scale == "log" else (lambda v: v)
    step = 10.0 ** (-decimals)
    anchors = {0.0: vmin, 1.0: vmax}
    med_ok, med_cut = True, None
    for cut in cuts:
        k = int(cut["count"])
        half = n // 2
        clash = (k >= half + 1 and median > cut["le"]) or (k <= half - 1 and median <= cut["le"])
        if clash and priority == "cuts":
            med_ok, med_cut = False, cut
        elif clash:
            raise ValueError(f"median {median} contradicts {k} of {n} values <= {cut['le']}; set priority: cuts")
        anchors[k / n] = cut["le"]
        anchors[min((k + 0.5) / n, 1.0)] = cut["le"] + step
    if med_ok:
        anchors[0.5] = median
    ps = np.array(sorted(anchors))
    vs = tr(np.array([anchors[p] for p in ps]))
    vs = np.maximum.accumulate(vs)
    u = (rng.permutation(n) + rng.uniform(size=n)) / n
    x = np.sort(inv(np.interp(np.sort(u), ps, vs)))
    x = np.round(x, decimals)
    # pin the order statistics
    x[0], x[-1] = vmin, vmax
    for cut in cuts:
        k = int(cut["count"])
        x[:k] = np.minimum(x[:k], cut["le"])
        x[k:] = np.maximum(x[k:], round(cut["le"] + step, decimals))
        if k > 0:
            x[k - 1] = cut["le"]
    if med_ok and n % 2 == 0:
        i = n // 2
        x[i - 1], x[i] = median, median
        x[: i - 1] = np.minimum(x[: i - 1], median)
        x[i + 1:] = np.maximum(x[i + 1:], median)
    elif med_ok:
        x[n // 2] = median
    if med_cut is not None:  # closest achievable median: the middle values at the cut
        x[n // 2 - 1: int(med_cut["count"])] = med_cut["le"]
    x = np.clip(np.sort(x), vmin, vmax)
    return np.round(x, decimals)
