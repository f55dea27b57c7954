"""Survival benchmarks: stratified log-rank on 100,000 rows in 1,000 strata, and Cox on
10,000 rows x 10 covariates, each beside the same computation in statsmodels."""

import time

import numpy as np
import pandas as pd


def _best(fn, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


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


BENCHMARKS = [
    ("survival: stratified_logrank, 1e5 rows, 1000 strata", 2.0, stratified_logrank_100k),
    ("survival: cox, 1e4 rows x 10 covariates", 2.0, cox_10k_10),
]
