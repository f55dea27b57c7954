"""Fisher's exact test for r x c tables (Freeman-Halton), exact as R's ``fisher.test``.

References
----------
Fisher RA. The Design of Experiments. Edinburgh: Oliver & Boyd, 1935.
Freeman GH, Halton JH. Note on an exact treatment of contingency, goodness of fit and other
problems of significance. Biometrika 1951;38:141-149.
Mehta CR, Patel NR. A network algorithm for performing Fisher's exact test in r x c contingency
tables. J Am Stat Assoc 1983;78:427-434.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy import stats
from scipy.special import gammaln

from .._validation import check_count_table, check_size

_REL_TOL = 1e-7  # R's fisher.test: tables with probability <= p_obs * (1 + 1e-7) count

#: Size limits of the exact r x c enumeration (2 x 2 tables have none: any n up to 2**53).
#: Beyond any of them ``fisher_exact`` refuses before the heavy work starts; peak memory stays
#: below about 2 GB. The alternative is a seeded Monte Carlo test, see ``fisher_exact``.
MAX_FISHER_N = 10_000_000          # total count of an r x c table (a table of log-factorials)
_MAX_GRID = 1_000_000              # candidate columns built at once for one state
_MAX_PARTIAL_TABLES = 10_000_000   # partial tables alive at one level (about 1 GB of arrays)
_MAX_COMPLETIONS = 20_000_000      # completions enumerated in the last two columns, in total
_MONTE_CARLO_HINT = (
    "use contingency_test(table, method='pearson') if the expected counts allow it, or a seeded "
    "Monte Carlo Fisher test: scipy.stats.fisher_exact(table, method=scipy.stats."
    "MonteCarloMethod(n_resamples=100_000, rng=np.random.default_rng(seed))), and report the seed")


def _grid_size(caps, c: int) -> float:
    """Size of the candidate grid for splitting ``c`` over rows with these caps (float math)."""
    caps = sorted(int(k) for k in caps)
    return float(np.prod([min(k, c) + 1.0 for k in caps[:-1]])) if len(caps) > 1 else 1.0


def _even_split(caps: np.ndarray, c: int) -> np.ndarray:
    """The most even split of ``c`` over rows with these caps (water filling, O(k log k)).

    Every row gets min(cap, L) for the largest level L that fits, and the remainder goes one
    each to rows whose cap exceeds L: the split with the largest multinomial weight.
    """
    caps = np.asarray(caps, dtype=np.int64)
    order = np.argsort(caps, kind="stable")
    srt = caps[order]
    k = len(srt)
    out = np.zeros(k, dtype=np.int64)
    left = int(c)
    for i in range(k):             # rows sorted by cap: fill the smallest ones completely
        level = left // (k - i)
        if srt[i] <= level:
            out[i] = srt[i]
            left -= int(srt[i])
        else:
            out[i:] = level
            extra = left - level * (k - i)
            out[i:i + extra] += 1  # srt[i:] > level, so each can take one more
            left = 0
            break
    res = np.zeros(k, dtype=np.int64)
    res[order] = out
    return res


def _fisher_2x2(x: np.ndarray) -> float:
    """Two-sided 2 x 2 Fisher p as R: sum of hypergeometric probabilities <= p_obs (1 + 1e-7).

    Uses the unimodal shape of the distribution: the counted tables form two tails, whose ends
    are found by binary search, so the cost does not grow with n.
    """
    n1, n2 = int(x[0].sum()), int(x[1].sum())
    m = int(x[:, 0].sum())
    a = int(x[0, 0])
    dist = stats.hypergeom(n1 + n2, n1, m)
    lo, hi = max(0, m - n2), min(m, n1)
    thr = float(dist.logpmf(a)) + math.log1p(_REL_TOL)
    mode = int((m + 1) * (n1 + 1) / (n1 + n2 + 2))
    mode = min(max(mode, lo), hi)
    if float(dist.logpmf(mode)) <= thr:
        return 1.0
    p = 0.0
    if float(dist.logpmf(lo)) <= thr:        # left tail [lo, left]: logpmf increases up to mode
        i, j = lo, mode - 1
        while i < j:
            mid = (i + j + 1) // 2
            if float(dist.logpmf(mid)) <= thr:
                i = mid
            else:
                j = mid - 1
        p += float(dist.cdf(i))
    if float(dist.logpmf(hi)) <= thr:        # right tail [right, hi]: logpmf decreases
        i, j = mode + 1, hi
        while i < j:
            mid = (i + j) // 2
            if float(dist.logpmf(mid)) <= thr:
                j = mid
            else:
                i = mid + 1
        p += float(dist.sf(i - 1))
    return float(min(1.0, p))


def _log_table_prob(x: np.ndarray, rows: np.ndarray, cols: np.ndarray, n: int) -> float:
    return float(gammaln(rows + 1).sum() + gammaln(cols + 1).sum() - gammaln(n + 1) - gammaln(x + 1).sum())


def fisher_exact(table) -> float:
    """Exact two-sided p-value of Fisher's test (Freeman-Halton for r x c), as R's ``fisher.test``.

    Sums the probabilities of all tables with the observed margins whose probability does not
    exceed the observed table's (times 1 + 1e-7, as R does). Exact, never Monte Carlo.

    Parameters
    ----------
    table : 2-D array-like or DataFrame of counts
        Finite whole-number counts, at least one of them positive (``check_count_table``).
        Rows or columns of zeros are dropped (they do not change the p-value).

    Returns
    -------
    float
        The p-value.

    Raises
    ------
    ValueError
        Bad counts (negative, fractional, NaN, inf, above 2**53, all zero), or an r x c table
        (not 2 x 2) too large to enumerate exactly. The limits, checked before the heavy work:
        total count at most :data:`MAX_FISHER_N`; at most 1 million candidate columns per step,
        10 million partial tables per column and 20 million completions in the last two
        columns. Peak memory stays below about 2 GB, and a refusal comes within a second or
        two. Beyond the limits use a seeded Monte Carlo test (the message says how), or
        Pearson's chi-square when the expected counts are large, and say so. 2 x 2 tables are
        computed from the hypergeometric distribution in time independent of n.

    References
    ----------
    Freeman GH, Halton JH. Biometrika 1951;38:141-149. Mehta CR, Patel NR. J Am Stat Assoc
    1983;78:427-434. R Core Team, ``stats::fisher.test`` (the 1 + 1e-7 tolerance).

    Notes
    -----
    Algorithm (in the spirit of Mehta & Patel's network algorithm): columns are filled one at a
    time; a partial table is summarised by its remaining row margins (sorted: the rest of the
    problem depends only on their multiset) and its accumulated log-probability. Partial tables
    are processed level by level as arrays. At each level, bounds on the log-probability of any
    completion settle whole groups at once (all completions count: add their total probability in
    closed form; none count: drop them). At the last two columns the completions of every state
    are enumerated once, sorted and cumulated, so each partial table costs one binary search.
    """
    x = check_count_table(table, "table")
    x = x[x.sum(axis=1) > 0][:, x.sum(axis=0) > 0]
    if x.shape[0] < 2 or x.shape[1] < 2:
        return 1.0
    if x.shape == (2, 2):
        return _fisher_2x2(x)
    if x.shape[0] > x.shape[1]:
        x = x.T
    check_size(int(x.sum()), MAX_FISHER_N, "table (its total count n)",
               "exact r x c Fisher enumeration; " + _MONTE_CARLO_HINT)
    rows, cols = x.sum(axis=1), np.sort(x.sum(axis=0))   # small columns first
    n = int(x.sum())
    R, C = len(rows), len(cols)
    lgf = gammaln(np.arange(n + 2) + 1)
    const = float(lgf[rows].sum() + lgf[cols].sum() - lgf[n])
    limit = -float(lgf[x].sum()) + math.log1p(_REL_TOL)       # log weight threshold (without const)
    cols_t = tuple(int(c) for c in cols)
    base = n + 1

    if base ** R < 2 ** 62:
        def encode(S):
            return (S.astype(np.int64) * base ** np.arange(R, dtype=np.int64)[::-1]).sum(axis=1)
    else:   # the arithmetic code would overflow int64: number the distinct rows instead
        def encode(S):
            return np.unique(S, axis=0, return_inverse=True)[1].ravel().astype(np.int64)

    @lru_cache(maxsize=None)
    def vectors(state: tuple, c: int) -> np.ndarray:
        caps = np.array(state)
        if R == 1:
            return np.array([[c]])
        ranges = [np.arange(min(int(k), c) + 1) for k in caps[:-1]]
        grid = np.stack(np.meshgrid(*ranges, indexing="ij"), axis=-1).reshape(-1, R - 1)
        last = c - grid.sum(axis=1)
        ok = (last >= 0) & (last <= caps[-1])
        return np.column_stack([grid[ok], last[ok]]).astype(np.int64)

    @lru_cache(maxsize=None)
    def col_extremes(state: tuple, c: int) -> tuple[float, float]:
        r = np.array(state)
        xx = _even_split(r, c)             # most even split: the largest weight
        y = np.zeros(len(r), dtype=int)    # most concentrated split: the smallest weight
        left = c
        for i in np.argsort(-r):
            y[i] = min(r[i], left)
            left -= y[i]
        return -float(lgf[xx].sum()), -float(lgf[y].sum())

    def bounds(state: tuple, j: int) -> tuple[float, float]:
        his, los = zip(*(col_extremes(state, c) for c in cols_t[j:]))
        return sum(his), sum(los)

    def total(state: tuple, j: int) -> float:
        return float(lgf[sum(state)] - sum(lgf[r] for r in state) - sum(lgf[c] for c in cols_t[j:]))

    def futures(state: tuple):
        st = np.array(state)
        V = vectors.__wrapped__(state, cols_t[C - 2])
        f = np.sort(-(lgf[V].sum(axis=1) + lgf[st - V].sum(axis=1)))
        m = float(f[-1])
        return f, np.cumsum(np.exp(f - m)), m

    # cheap upper bounds (arithmetic only) before any array is built: refuse at once if hopeless
    root = tuple(int(r) for r in np.sort(rows))
    what = f"exact enumeration of a {x.shape[0]} x {x.shape[1]} table with n = {n}"
    grids = [_grid_size(root, c) for c in cols_t]
    check_size(max(grids), _MAX_GRID, "table (candidate columns per step)",
               what + "; " + _MONTE_CARLO_HINT)
    crude = float(np.prod(grids[:C - 2])) if C > 2 else 1.0
    check_size(crude, 20 * _MAX_PARTIAL_TABLES, "table (partial tables, upper bound)",
               what + "; " + _MONTE_CARLO_HINT)
    too_large = ValueError(
        f"table is too large for {what}: more than {_MAX_PARTIAL_TABLES:,} partial tables "
        f"at one step; {_MONTE_CARLO_HINT}")
    p = 0.0
    S = np.sort(rows)[None, :].astype(np.int64)   # canonical remaining row margins per partial table
    A = np.zeros(1)                               # accumulated log weight
    W = np.ones(1)                                # multiplicity
    def groups(S):
        """Indices of the partial tables of each distinct state (sorted slices, not masks)."""
        keys, inv = np.unique(encode(S), return_inverse=True)
        order = np.argsort(inv, kind="stable")
        bounds_ = np.r_[0, np.cumsum(np.bincount(inv, minlength=len(keys)))]
        for g in range(len(keys)):
            sel = order[bounds_[g]:bounds_[g + 1]]
            yield tuple(int(v) for v in S[sel[0]]), sel

    for j in range(C - 2):
        newS, newA, newW = [], [], []
        n_new = 0
        for state, sel in groups(S):
            a, w = A[sel], W[sel]
            hi, lo = bounds(state, j)
            allin = a + hi <= limit
            if allin.any():
                p += float((w[allin] * np.exp(const + a[allin] + total(state, j))).sum())
            keep = ~allin & (a + lo <= limit)
            if not keep.any():
                continue
            a, w = a[keep], w[keep]
            V = vectors(state, cols_t[j])
            n_new += len(V) * len(a)
            if n_new > _MAX_PARTIAL_TABLES:
                raise too_large
            ns = np.sort(np.array(state) - V, axis=1)
            wv = lgf[V].sum(axis=1)
            newS.append(np.repeat(ns, len(a), axis=0))
            newA.append((-wv[:, None] + a[None, :]).ravel())
            newW.append(np.tile(w, len(V)))
        if not newS:
            return float(min(1.0, p))
        S, A, W = np.concatenate(newS), np.concatenate(newA), np.concatenate(newW)
        if j == C - 3:
            break   # the final stage handles every partial table anyway
        # merge partial tables with the same state and (numerically) the same weight
        key = np.column_stack([encode(S), np.round(A * 1e9).astype(np.int64)])
        uk, uinv = np.unique(key, axis=0, return_inverse=True)
        uinv = uinv.ravel()
        W = np.bincount(uinv, weights=W)
        first = np.zeros(len(uk), dtype=np.int64)
        first[uinv[::-1]] = np.arange(len(uinv))[::-1]
        S, A = S[first], A[first]
    # last two columns: one binary search per partial table in its state's sorted completions
    keys = S[np.unique(encode(S), return_index=True)[1]]
    work = float(np.prod(np.minimum(keys[:, :-1], cols_t[C - 2]) + 1.0, axis=1).sum())
    check_size(work, _MAX_COMPLETIONS, "table (completions of the last two columns)",
               what + "; " + _MONTE_CARLO_HINT)
    for state, sel in groups(S):
        f, prefix, m = futures(state)
        k = np.searchsorted(f, limit - A[sel], side="right")
        ok = k > 0
        if ok.any():
            p += float((W[sel][ok] * np.exp(const + A[sel][ok] + m) * prefix[k[ok] - 1]).sum())
    return float(min(1.0, p))


__all__ = ["fisher_exact", "MAX_FISHER_N"]
