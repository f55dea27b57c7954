"""spinemets.compare benchmarks: exact Fisher (r x c and 2 x 2), the resource guards, DeLong,
Wilcoxon, the two-cutoff search, the paired-table enumerator and the null-cutoff simulation.

"Before" numbers are those of the single-module ``compare.py`` (commit cb80b32), measured on
this machine when the input-contract issues were filed; they are printed as the reference so
that the ratio column reads after / before. Where the old code could not finish (memory) the
reference is the time it took to fail.
"""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import best_of  # noqa: E402


def _time(fn, repeat: int = 1):
    return best_of(fn, repeat)


def _before(seconds, after, what):
    return {"seconds": after, "reference_seconds": seconds, "reference": f"before: {what}"}


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
    return {
        "seconds": _time(lambda: fisher_exact(t), 3),
        "reference_seconds": _time(lambda: scipy_fisher(t), 3),
        "reference": "scipy fisher_exact (2x2 only; no exact r x c exists in scipy)",
    }


def fisher_2x2_huge_n():
    from spinemets.compare import fisher_exact

    n = 2 * 10**8
    a = n // 4
    t = [[a, a + n // 1000], [a - n // 2000, n - 3 * a - n // 1000 + n // 2000]]
    return _before(42.0, _time(lambda: fisher_exact(t)), "42 s (log-factorial table of n)")


def _refusal(n):
    from spinemets.compare import fisher_exact

    x = np.random.default_rng(2).multinomial(n, [1 / 9] * 9).reshape(3, 3)

    def call():
        try:
            fisher_exact(x)
        except ValueError:
            return
        raise AssertionError("expected a refusal")

    return _time(call)


def fisher_3x3_731():
    return _before(21.0, _refusal(731), "21 s and 3.6 GB, then an answer")


def fisher_3x3_1169():
    return _before(84.0, _refusal(1169), "84 s, then MemoryError at 11.8 GB")


def fisher_3x3_300():
    from spinemets.compare import fisher_exact

    x = np.random.default_rng(2).multinomial(300, [1 / 9] * 9).reshape(3, 3)
    return _time(lambda: fisher_exact(x))


def delong_1e5():
    from spinemets.compare import delong_auc

    rng = np.random.default_rng(0)
    o = rng.integers(0, 2, 100_000)
    v = rng.normal(size=100_000) + o
    # before: an n^2 kernel, about 20 GB at n = 1e5 (not run)
    return _time(lambda: delong_auc(v, o))


def wilcoxon_default_2000():
    from spinemets.compare import wilcoxon_signed_rank

    d = np.random.default_rng(0).normal(0.1, 1, 2000)
    return _before(
        9.0, _time(lambda: wilcoxon_signed_rank(d, np.zeros(2000))), "9 s (exact by default)"
    )


def wilcoxon_exact_1000():
    from spinemets.compare import wilcoxon_signed_rank

    d = np.random.default_rng(0).normal(0.1, 1, 1000)
    return _time(lambda: wilcoxon_signed_rank(d, np.zeros(1000), method="exact"))


def _two_cutoffs(k):
    from spinemets.compare import two_cutoffs

    rng = np.random.default_rng(5)
    n = 2 * k + 80
    v = rng.integers(0, k, n).astype(float)
    t = rng.exponential(10, n)
    e = rng.integers(0, 2, n)
    return _time(lambda: two_cutoffs(v, t, e, min_group=10))


def two_cutoffs_40():
    return _before(0.6, _two_cutoffs(40), "0.6 s (one PHReg fit per pair)")


def two_cutoffs_80():
    return _before(19.0, _two_cutoffs(80), "19 s")


def two_cutoffs_160():
    return _before(240.0, _two_cutoffs(160), "> 4 min")


def attainable_bowker():
    from spinemets.compare import attainable_p

    return _time(lambda: attainable_p([6, 12, 7, 3], [3, 13, 10, 2]))


def attainable_stuart_maxwell():
    from spinemets.compare import attainable_p

    return _time(lambda: attainable_p([6, 12, 7, 3], [3, 13, 10, 2], test="stuart_maxwell"))


def null_cutoffs():
    from spinemets.compare import null_cutoff_simulation

    return _time(lambda: null_cutoff_simulation(80, 300, seed=1))


BENCHMARKS = [
    ("compare: exact Fisher, R's 4x4 Job table (n=96)", 2.0, fisher_job),
    ("compare: exact Fisher, near-uniform 4x4, n=100", 2.0, fisher_uniform_4x4),
    ("compare: exact Fisher, near-uniform 3x3, n=300", 2.0, fisher_3x3_300),
    ("compare: exact Fisher, 2x2", 0.5, fisher_2x2),
    ("compare: exact Fisher, 2x2, n=2e8", 0.5, fisher_2x2_huge_n),
    ("compare: Fisher 3x3 n=731 refused", 1.0, fisher_3x3_731),
    ("compare: Fisher 3x3 n=1169 refused", 1.0, fisher_3x3_1169),
    ("compare: DeLong AUC, n=1e5", 1.0, delong_1e5),
    ("compare: Wilcoxon default (normal), n=2000", 0.5, wilcoxon_default_2000),
    ("compare: Wilcoxon exact, n=1000 (the limit)", 3.0, wilcoxon_exact_1000),
    ("compare: two_cutoffs, 40 distinct values", 1.0, two_cutoffs_40),
    ("compare: two_cutoffs, 80 distinct values", 2.0, two_cutoffs_80),
    ("compare: two_cutoffs, 160 distinct values", 5.0, two_cutoffs_160),
    ("compare: attainable Bowker p, paper B margins", 2.0, attainable_bowker),
    ("compare: attainable Stuart-Maxwell p, paper B", 2.0, attainable_stuart_maxwell),
    ("compare: null-cutoff simulation 80 x 300", 5.0, null_cutoffs),
]
