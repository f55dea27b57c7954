"""spinemets beside the best Python peer, in one process, interleaved, at n = 1e3, 1e4, 1e5.

For each case and each n the rounds alternate spinemets and the peer (ours, peer, ours, peer,
...) so that a change in the machine's load hits both; the best of the rounds is kept. The
table gives both times, their ratio (spinemets / peer: below 1 is faster) and each one's growth
exponent: the least-squares slope of log(time) against log(n) over the sizes. An algorithm that
is linear (or n log n) in n must show an exponent below ``LINEAR_LIMIT``; a larger one fails the
benchmark's own check (a quadratic step crept in); greedy matching, which fills a treated x
control distance matrix, is held to a quadratic limit instead.

Usage (from the repository root, in the installed environment)::

    python benchmarks/bench_peers.py                 # every case, n = 1e3, 1e4, 1e5
    python benchmarks/bench_peers.py cox c_index     # only these cases
    python benchmarks/bench_peers.py --max-n 10000   # smaller sizes (a busy machine)

``python benchmarks/run.py peers`` runs the same table through the common runner. Peers:
lifelines (Cox, Kaplan-Meier, Harrell's C without a standard error: spinemets also computes
the infinitesimal-jackknife SE), statsmodels (stratified log-rank), a bare numpy greedy
nearest-neighbour loop (matching); Fine-Gray has no Python peer (growth only).
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np
import pandas as pd

SIZES = (1_000, 10_000, 100_000)
LINEAR_LIMIT = 1.3  # n log n over 1e3..1e5 gives about 1.1; n^2 gives 2
ROUNDS = 3


def _cox_data(n, p=10, seed=2):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    t = rng.exponential(np.exp(-X @ np.linspace(-0.5, 0.5, p)))
    e = (rng.uniform(size=n) < 0.8).astype(int)
    cols = [f"x{i}" for i in range(p)]
    return pd.DataFrame(X, columns=cols).assign(t=t, e=e), cols


def case_cox(n):
    from lifelines import CoxPHFitter

    from spinemets.survival import cox

    df, cols = _cox_data(n)
    return (
        lambda: cox(df, "t", "e", cols),
        lambda: CoxPHFitter().fit(df, "t", "e"),
        "lifelines CoxPHFitter",
    )


def case_c_index(n):
    from lifelines.utils import concordance_index

    from spinemets.discrimination import concordance

    rng = np.random.default_rng(3)
    t = rng.exponential(10, n).round(1)
    e = rng.integers(0, 2, n)
    x = rng.normal(size=n)
    return (
        lambda: concordance(t, e, x, higher="risk"),
        lambda: concordance_index(t, -x, e),
        "lifelines concordance_index (no SE)",
    )


def case_logrank(n):
    from statsmodels.duration.survfunc import survdiff

    from spinemets.survival import stratified_logrank

    rng = np.random.default_rng(1)
    t = rng.exponential(10, n).round(1)
    e = rng.integers(0, 2, n)
    g = rng.integers(0, 2, n)
    s = rng.integers(0, 10, n)
    return (
        lambda: stratified_logrank(t, e, g, s),
        lambda: survdiff(t, e, g, strata=s),
        "statsmodels survdiff (10 strata)",
    )


def case_km(n):
    from lifelines import KaplanMeierFitter

    from spinemets.survival import km_table

    rng = np.random.default_rng(4)
    t = rng.exponential(10, n).round(2)
    e = rng.integers(0, 2, n)
    return (
        lambda: km_table(t, e),
        lambda: KaplanMeierFitter().fit(t, e).confidence_interval_,
        "lifelines KaplanMeierFitter",
    )


def _fg_data(n, tied, seed=8):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    t1 = rng.exponential(np.exp(-0.5 * x[:, 0]) * 20)
    t2 = rng.exponential(np.full(n, 15.0))
    c = rng.uniform(0, 40, n)
    time_ = np.minimum.reduce([t1, t2, c])
    if tied:
        time_ = np.ceil(time_)
    code = np.select([(t1 <= t2) & (t1 <= c), (t2 < t1) & (t2 <= c)], [1, 2], 0)
    return pd.DataFrame(x, columns=["a", "b", "c"]).assign(t=time_, code=code)


def case_fine_gray_untied(n):
    from spinemets.survival import fine_gray

    df = _fg_data(n, tied=False)
    return lambda: fine_gray(df, "t", "code", ["a", "b", "c"]), None, "no Python peer"


def case_fine_gray_tied(n):
    from spinemets.survival import fine_gray

    df = _fg_data(n, tied=True)
    return lambda: fine_gray(df, "t", "code", ["a", "b", "c"]), None, "no Python peer"


def case_greedy_matching(n):
    """n units, one in ten treated, Mahalanobis greedy 1:1 without replacement."""
    from spinemets.matching import match_pairs

    rng = np.random.default_rng(0)
    n_t = n // 10
    d = pd.DataFrame(
        {
            "t": np.r_[np.ones(n_t, int), np.zeros(n - n_t, int)],
            "age": rng.normal(60, 10, n).round(),
            "interval": rng.gamma(1.0, 18.0, n),
            "volume": rng.gamma(2.0, 20.0, n),
        }
    )
    covs = ["age", "interval", "volume"]

    def bare():
        from scipy.spatial.distance import cdist

        Z = d[covs].to_numpy(float)
        t = d.t.to_numpy() == 1
        VI = np.linalg.inv(np.cov(Z, rowvar=False))
        D = cdist(Z[t], Z[~t], "mahalanobis", VI=VI)
        used = np.zeros(D.shape[1], bool)
        for i in range(D.shape[0]):
            j = int(np.argmin(np.where(used, np.inf, D[i])))
            used[j] = True

    return (
        lambda: match_pairs(d, "t", covariates=covs, distance="mahalanobis", method="greedy"),
        bare,
        "bare numpy greedy loop",
    )


# (name, case, sizes, limit): the largest growth exponent the algorithm allows. Greedy
# matching builds a treated x control matrix (n^2 / 11 entries with one unit in ten treated),
# so its limit is quadratic, and its sizes stop where that matrix is 320 MB (2,000 x 20,000).
CASES = [
    ("cox", case_cox, SIZES, LINEAR_LIMIT),
    ("c_index", case_c_index, SIZES, LINEAR_LIMIT),
    ("logrank", case_logrank, SIZES, LINEAR_LIMIT),
    ("km", case_km, SIZES, LINEAR_LIMIT),
    ("fine_gray_untied", case_fine_gray_untied, SIZES, LINEAR_LIMIT),
    ("fine_gray_tied", case_fine_gray_tied, SIZES, LINEAR_LIMIT),
    ("greedy_matching", case_greedy_matching, (2_200, 7_000, 22_000), 2.3),
]


def _once(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def exponent(sizes, seconds) -> float:
    """Least-squares slope of log(seconds) on log(n)."""
    return float(np.polyfit(np.log(sizes), np.log(seconds), 1)[0])


def run_case(name, case, sizes, limit, rounds=ROUNDS, out=sys.stdout):
    ours, peer, peer_name = [], [], None
    for n in sizes:
        f_ours, f_peer, peer_name = case(n)
        r = rounds if n < 100_000 else max(1, rounds - 1)
        best_o, best_p = np.inf, np.inf
        for _ in range(r):  # interleaved: ours, peer, ours, peer ...
            best_o = min(best_o, _once(f_ours))
            if f_peer is not None:
                best_p = min(best_p, _once(f_peer))
        ours.append(best_o)
        peer.append(best_p if f_peer is not None else np.nan)
        ratio = best_o / best_p if f_peer is not None else np.nan
        print(
            f"  {name:<18} n={n:>7}  spinemets {best_o:8.3f} s  peer {peer[-1]:8.3f} s  "
            f"ratio {ratio:6.2f}",
            file=out,
            flush=True,
        )
    k_ours = exponent(sizes, ours)
    k_peer = exponent(sizes, peer) if not np.isnan(peer).any() else np.nan
    ok = k_ours <= limit
    print(
        f"  {name:<18} growth exponent spinemets {k_ours:.2f}, peer {k_peer:.2f} "
        f"({peer_name}); limit {limit}{'' if ok else '  TOO STEEP: FAIL'}",
        file=out,
        flush=True,
    )
    return {
        "seconds": ours[-1],
        "reference_seconds": peer[-1] if f_peer is not None else None,
        "reference": peer_name,
        "exponent": k_ours,
        "reference_exponent": k_peer,
        "exponent_ok": ok,
    }


def main(argv) -> int:
    cap = None
    if "--max-n" in argv:
        i = argv.index("--max-n")
        cap = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2 :]
    names = set(argv)
    warnings.simplefilter("ignore")
    failed = 0
    print(f"best of {ROUNDS} interleaved rounds; load average {_load()}", flush=True)
    for name, case, sizes, limit in CASES:
        if names and name not in names:
            continue
        if cap is not None:
            sizes = tuple(n for n in sizes if n <= cap) or (cap // 10, cap)
            sizes = sizes if len(sizes) > 1 else (sizes[0] // 10, sizes[0])
        failed += not run_case(name, case, sizes, limit)["exponent_ok"]
    print(f"\n{failed} growth failure(s); load average {_load()}")
    return 1 if failed else 0


def _load() -> str:
    try:
        import os

        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def _runner_entry(name, case, sizes, limit):
    def fn():
        return run_case(name, case, sizes, limit)

    return fn


# benchmarks/run.py: "peers: <case>" with a budget for the largest n (seconds).
_BUDGET = {
    "cox": 10.0,
    "c_index": 5.0,
    "logrank": 1.0,
    "km": 1.0,
    "fine_gray_untied": 10.0,
    "fine_gray_tied": 10.0,
    "greedy_matching": 30.0,
}
BENCHMARKS = [
    (
        f"peers: {name}, growth over n = {sizes[0]:g}..{sizes[-1]:g}",
        _BUDGET[name],
        _runner_entry(name, case, sizes, limit),
    )
    for name, case, sizes, limit in CASES
]


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
