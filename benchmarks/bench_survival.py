"""Survival benchmarks: stratified log-rank on 100,000 rows in 1,000 strata, Cox on 10,000 rows x
10 covariates (plain, and robust with 1,000 clusters), Fine-Gray on 1,400 rows, each beside the
same computation in another package where one exists (statsmodels PHReg(groups=) needs ~17 s for
the clustered fit, so lifelines' cluster_col is the timing reference there)."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import best_of  # noqa: E402


def _best(fn, repeat=3):
    return best_of(fn, repeat)


def stratified_logrank_100k():
    from statsmodels.duration.survfunc import survdiff

    from spinemets.survival import stratified_logrank

    rng = np.random.default_rng(1)
    n = 100_000
    t = rng.exponential(10, n).round(1)
    e = rng.integers(0, 2, n)
    g = rng.integers(0, 2, n)
    s = rng.integers(0, 1000, n)
    ours = _best(lambda: stratified_logrank(t, e, g, s))
    ref = _best(lambda: survdiff(t, e, g, strata=s))
    return {"seconds": ours, "reference_seconds": ref, "reference": "statsmodels survdiff"}


def cox_10k_10():
    from statsmodels.duration.hazard_regression import PHReg

    from spinemets.survival import cox

    rng = np.random.default_rng(2)
    n, p = 10_000, 10
    X = rng.normal(size=(n, p))
    t = rng.exponential(np.exp(-X @ np.linspace(-0.5, 0.5, p)))
    e = (rng.uniform(size=n) < 0.8).astype(int)
    df = pd.DataFrame(X, columns=[f"x{i}" for i in range(p)]).assign(t=t, e=e)
    ours = _best(lambda: cox(df, "t", "e", [f"x{i}" for i in range(p)]), repeat=2)
    ref = _best(lambda: PHReg(t, X, status=e, ties="efron").fit(), repeat=2)
    return {"seconds": ours, "reference_seconds": ref, "reference": "statsmodels PHReg"}


def robust_cox_10k_10_1000_clusters():
    from lifelines import CoxPHFitter

    from spinemets.survival import cox

    rng = np.random.default_rng(3)
    n, p = 10_000, 10
    X = rng.normal(size=(n, p))
    cl = rng.integers(0, 1000, n)
    frail = rng.gamma(2.0, 0.5, 1000)[cl]
    t = np.ceil(rng.exponential(1 / (frail * np.exp(X @ np.linspace(-0.5, 0.5, p)))) * 10) / 10
    e = (rng.uniform(size=n) < 0.8).astype(int)
    cols = [f"x{i}" for i in range(p)]
    df = pd.DataFrame(X, columns=cols).assign(t=t, e=e, cl=cl)
    ours = _best(lambda: cox(df, "t", "e", cols, cluster="cl"), repeat=2)
    ref = _best(
        lambda: CoxPHFitter().fit(df[cols + ["t", "e", "cl"]], "t", "e", cluster_col="cl"), repeat=1
    )
    return {"seconds": ours, "reference_seconds": ref, "reference": "lifelines cluster_col"}


def fine_gray_1400():
    from spinemets.survival import fine_gray

    rng = np.random.default_rng(4)
    n = 1400
    x = rng.normal(size=(n, 3))
    t1 = rng.exponential(np.exp(-0.5 * x[:, 0]) * 20)
    t2 = rng.exponential(np.full(n, 15.0))
    c = rng.uniform(0, 40, n)
    time_ = np.ceil(np.minimum.reduce([t1, t2, c]))
    code = np.select([(t1 <= t2) & (t1 <= c), (t2 < t1) & (t2 <= c)], [1, 2], 0)
    df = pd.DataFrame(x, columns=["a", "b", "c"]).assign(t=time_, code=code)
    return _best(lambda: fine_gray(df, "t", "code", ["a", "b", "c"]), repeat=2)


BENCHMARKS = [
    ("survival: stratified_logrank, 1e5 rows, 1000 strata", 2.0, stratified_logrank_100k),
    ("survival: cox, 1e4 rows x 10 covariates", 2.0, cox_10k_10),
    ("survival: robust cox, 1e4 x 10, 1000 clusters", 2.0, robust_cox_10k_10_1000_clusters),
    ("survival: fine_gray, 1400 rows x 3", 5.0, fine_gray_1400),
]
