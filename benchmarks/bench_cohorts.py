"""Benchmark: rebuild every synthetic cohort (budget 30 s for all of them together)."""

from __future__ import annotations

import tempfile
import time


def _build_all():
    from spinemets import cohorts

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        for paper in cohorts.available():
            cohorts.write(paper, out)
    return time.perf_counter() - t0


BENCHMARKS = [("cohorts: build all specs", 30.0, _build_all)]
