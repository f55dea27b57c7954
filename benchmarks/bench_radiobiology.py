"""Benchmark of spinemets.radiobiology: bed() on 10^6 schedules (validation included)."""

from __future__ import annotations

import time

import numpy as np

from spinemets import radiobiology as rb

N = 1_000_000


def _bed_1e6(repeats: int = 7) -> float:
    rng = np.random.default_rng(1)
    fractions = rng.integers(1, 31, N).astype(float)
    dose = fractions * rng.uniform(1.0, 12.0, N)
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        rb.bed(dose, fractions, 10.0)
        best = min(best, time.perf_counter() - t)
    # reference: the bare numpy formula without validation
    ref = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        dose * (1.0 + dose / (fractions * 10.0))
        ref = min(ref, time.perf_counter() - t)
    return {"seconds": best, "reference_seconds": ref, "reference": "bare numpy formula"}


BENCHMARKS = [("radiobiology.bed, 1e6 schedules (best of 7)", 0.050, _bed_1e6)]
