"""Timing budgets that used to be wall-clock assertions inside tests (issue 20).

A test asserts what a function returns or refuses; how fast it does so depends on the machine
and its load, so those budgets live here (``python benchmarks/run.py guards``). The tests keep
the behaviour: tests/compare/test_paired.py (enumerator refusals),
tests/contract/test_properties.py (Fisher refuses large tables),
tests/cohorts/test_analyses_sohn2016.py (paper B's analysis). The other former timing
assertions are budgets in bench_compare.py and bench_survival.py.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import best_of  # noqa: E402


def _refused(fn, *args):
    def call():
        try:
            fn(*args)
        except ValueError:
            return
        raise AssertionError("expected a refusal")

    return call


def enumerator_refusals():
    from spinemets import compare as cp

    def both():
        _refused(cp.tables_with_margins, [100] * 5, [100] * 5)()
        _refused(cp.count_tables_with_margins, [10**6] * 3, [10**6] * 3)()

    return best_of(both)


def fisher_large_tables_refused():
    from spinemets import compare as cp

    def three():
        for table in ([[20] * 6] * 6, [[3] * 8] * 8, [[10] * 5] * 5):
            _refused(cp.fisher_exact, table)()

    return best_of(three)


def wilcoxon_exact_2000_refused():
    import numpy as np

    from spinemets import compare as cp

    d = np.random.default_rng(0).normal(size=2000)
    return best_of(_refused(cp.wilcoxon_signed_rank, d, np.zeros(2000), "exact"))


def sohn2016_analyse():
    from spinemets import cohorts
    from spinemets.analyses import sohn2016

    c = cohorts.load("sohn2016")
    return best_of(lambda: sohn2016.analyse(c))


BENCHMARKS = [
    ("guards: enumerator refuses huge margins (2 calls)", 1.0, enumerator_refusals),
    ("guards: Fisher refuses 6x6, 8x8, 5x5 tables", 1.0, fisher_large_tables_refused),
    ("guards: exact Wilcoxon n=2000 refused", 0.5, wilcoxon_exact_2000_refused),
    ("analyses: sohn2016.analyse on its cohort", 5.0, sohn2016_analyse),
]
