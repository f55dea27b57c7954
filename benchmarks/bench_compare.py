"""Exact Fisher benchmarks: R's 4 x 4 job-satisfaction table (n = 96) and a near-uniform
4 x 4 table with n = 100 (the hard case for exact enumeration); a 2 x 2 beside scipy."""

import time

import numpy as np


def _time(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def fisher_job():
    from spinemets.compare import fisher_exact
    job = np.array([1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11]).reshape(4, 4, order="F")
    return _time(lambda: fisher_exact(job))


def fisher_uniform_4x4():
    from spinemets.compare import fisher_exact
    x = np.random.default_rng(0).multinomial(100, [1 / 16] * 16).reshape(4, 4)
    return _time(lambda: fisher_exact(x))


def fisher_2x2():
    from scipy.stats import fisher_exact as scipy_fisher
    from spinemets.compare import fisher_exact
    t = [[4, 43], [37, 108]]
    return {"seconds": _time(lambda: fisher_exact(t)), "reference_seconds": _time(lambda: scipy_fisher(t)),
            "reference": "scipy fisher_exact (2x2 only; no exact r x c exists in scipy)"}


BENCHMARKS = [
    ("compare: exact Fisher, R's 4x4 Job table (n=96)", 2.0, fisher_job),
    ("compare: exact Fisher, near-uniform 4x4, n=100", 2.0, fisher_uniform_4x4),
    ("compare: exact Fisher, 2x2", 0.5, fisher_2x2),
]
