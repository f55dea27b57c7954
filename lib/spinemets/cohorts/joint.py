"""Step 1: the joint table of the variables that share published cross-tabs.

Iterative proportional fitting (Deming & Stephan 1940) gives a real table whose cells meet
every published count; :func:`integerise` (MILP, HiGHS via :func:`scipy.optimize.milp`) turns
it into integers that hit every published cell exactly.

References
----------
Deming WE, Stephan FF. On a least squares adjustment of a sampled frequency table when the
expected marginal totals are known. Ann Math Stat 1940;11:427-444.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import yaml
from scipy import optimize, sparse

from .spec import _key


@dataclass
class Constraint:
    """One published cell: ``count`` patients fall in the cells where ``mask`` is True."""

    mask: np.ndarray  # boolean over the flattened joint grid
    count: int
    source: str
    label: str


def ipf(
    seed: np.ndarray, families: list[list[Constraint]], *, tol: float = 1e-10, max_iter: int = 2000
) -> np.ndarray:
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
                    raise ValueError(
                        f"IPF: published cell {c.label} ({c.source}) = {c.count} has no support in the seed"
                    )
        if worst < tol:
            break
    return x


def integerise(
    x_ipf: np.ndarray, constraints: list[Constraint], zero: np.ndarray | None = None
) -> np.ndarray:
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
    a_up = sparse.hstack([eye, -eye])  # x - u <= x_ipf
    a_lo = sparse.hstack([-eye, -eye])  # -x - u <= -x_ipf
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
    res = optimize.milp(
        c,
        constraints=cons,
        integrality=integrality,
        bounds=bounds,
        options={"disp": False, "time_limit": 60.0},
    )
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


def joint_table(spec: dict) -> tuple[pd.DataFrame, dict]:
    """IPF + MILP joint table of the ``joint`` section: a DataFrame of cells with ``ipf`` and ``count``."""
    js = spec["joint"]
    levels = {k: [_key(v) for v in vs] for k, vs in js["variables"].items()}
    names, cells = grid(levels)
    cells_arr = {k: np.array([c[i] for c in cells]) for i, k in enumerate(names)}
    m = len(cells)
    seed = np.ones(m)
    for assoc in js.get("seed_association", []):
        mask = np.ones(m, bool)
        for var, lev in assoc["vars"].items():
            mask &= cells_arr[var] == _key(lev)
        seed[mask] *= float(assoc["factor"])
    families, flat = [], []
    for t in js["tables"]:
        rows = t["rows"]
        if rows not in levels:
            raise ValueError(f"joint table {t}: rows={rows!r} is not a joint variable")
        fam = []
        if t.get("cols"):
            g = js["groupings"][t["cols"]]
            for r, cnts in t["counts"].items():
                if len(cnts) != len(g["groups"]):
                    raise ValueError(
                        f"joint table {rows} x {t['cols']}: row {r} needs {len(g['groups'])} counts"
                    )
                for (gname, glev), cnt in zip(g["groups"].items(), cnts):
                    mask = (cells_arr[rows] == _key(r)) & np.isin(
                        cells_arr[g["var"]], [_key(x) for x in glev]
                    )
                    fam.append(
                        Constraint(mask, int(cnt), t["source"], f"{rows}={r} & {t['cols']}={gname}")
                    )
        else:
            for r, cnt in t["counts"].items():
                fam.append(
                    Constraint(cells_arr[rows] == _key(r), int(cnt), t["source"], f"{rows}={r}")
                )
        if sum(c.count for c in fam) != spec["n"]:
            raise ValueError(
                f"joint table {rows} x {t.get('cols')} ({t['source']}) sums to "
                f"{sum(c.count for c in fam)}, not n={spec['n']}"
            )
        families.append(fam)
        flat.extend(fam)
    x_ipf = ipf(seed, families)
    x_int = integerise(x_ipf, flat, zero=seed == 0)  # seed weight 0 = impossible combination
    df = pd.DataFrame(cells, columns=names)
    df["ipf"] = x_ipf
    df["count"] = x_int
    return df, {"constraints": flat}


_JOINT_CACHE: dict[str, pd.DataFrame] = {}


def _joint_cached(spec: dict) -> pd.DataFrame:
    key = yaml.safe_dump(spec["joint"], sort_keys=True)
    if key not in _JOINT_CACHE:  # the MILP does not depend on the seed: solve once per spec
        _JOINT_CACHE[key] = joint_table(spec)[0]
    return _JOINT_CACHE[key].copy()
