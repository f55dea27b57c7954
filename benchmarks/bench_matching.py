"""Matching benchmarks: 1,000 treated from 10,000 controls, optimal 1:1 with exact blocks
(budget 10 s, issue 12), the same greedy, and paper B's 28 SRS from the 92-patient RT pool.

Run standalone (``python benchmarks/bench_matching.py``) or through ``benchmarks/run.py``.
"""

import time

import numpy as np
import pandas as pd


def _time(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _big(seed=0, n_t=1000, n_c=10000):
    rng = np.random.default_rng(seed)
    n = n_t + n_c
    return pd.DataFrame(
        {
            "t": np.r_[np.ones(n_t, int), np.zeros(n_c, int)],
            "sex": rng.choice(["male", "female"], n, p=[0.7, 0.3]),
            "child_pugh": rng.choice(["A", "B"], n, p=[0.8, 0.2]),
            "age": rng.normal(60, 10, n).round(),
            "interval": rng.gamma(1.0, 18.0, n),
            "volume": rng.gamma(2.0, 20.0, n),
        }
    )


def optimal_exact_blocks():
    from spinemets.matching import match_pairs

    d = _big()
    return _time(
        lambda: match_pairs(
            d,
            "t",
            exact=["sex", "child_pugh"],
            covariates=["age", "interval", "volume"],
            distance="mahalanobis",
            caliper={"age": 10},
            method="optimal",
        )
    )


def greedy_exact_blocks():
    from spinemets.matching import match_pairs

    d = _big()
    return _time(
        lambda: match_pairs(
            d,
            "t",
            exact=["sex", "child_pugh"],
            covariates=["age", "interval", "volume"],
            distance="mahalanobis",
            method="greedy",
        )
    )


def paper_b_pool():
    from spinemets import cohorts
    from spinemets.matching import match_pairs

    d = cohorts.load("sohn2016").set_index("patient_id")
    d = d[d.child_pugh != "C"]
    return _time(
        lambda: match_pairs(
            d,
            "arm",
            treated="SRS",
            exact=["sex", "child_pugh"],
            covariates=["age", "interval_months", "n_spine_mets"],
            distance="mahalanobis",
        )
    )


BENCHMARKS = [
    (
        "matching: optimal 1:1, 1,000 treated / 10,000 controls, exact blocks + caliper",
        10.0,
        optimal_exact_blocks,
    ),
    (
        "matching: greedy 1:1, 1,000 treated / 10,000 controls, exact blocks",
        10.0,
        greedy_exact_blocks,
    ),
    ("matching: paper B, 28 SRS from the 92-patient RT pool", 1.0, paper_b_pool),
]


if __name__ == "__main__":
    for name, budget, fn in BENCHMARKS:
        best = min(fn() for _ in range(2))
        print(
            f"{name}: {best:.2f} s (budget {budget:g} s){'' if best <= budget else '  OVER BUDGET'}"
        )
