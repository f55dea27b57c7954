"""Fisher's exact test for r x c tables (Freeman-Halton), exact as R's ``fisher.test``."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy.special import gammaln

from .._validation import check_count_table

_REL_TOL = 1e-7  # R's fisher.test: tables with probability <= p_obs * (1 + 1e-7) count
_MAX_PARTIAL_TABLES = 15_000_000  # memory guard for exact r x c enumeration (about 1 GB of arrays)


def _log_table_prob(x: np.ndarray, rows: np.ndarray, cols: np.ndarray, n: int) -> float:
    return float(gammaln(rows + 1).sum() + gammaln(cols + 1).sum() - gammaln(n + 1) - gammaln(x + 1).sum())


def fisher_exact(table) -> float:
    """Exact two-sided p-value of Fisher's test (Freeman-Halton for r x c), as R's ``fisher.test``.

    Sums the probabilities of all tables with the observed margins whose probability does not
    exceed the observed table's (times 1 + 1e-7, as R does). Exact, never Monte Carlo.

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
    if x.shape[0] > x.shape[1]:
        x = x.T
    rows, cols = x.sum(axis=1), np.sort(x.sum(axis=0))   # small columns first
    n = int(x.sum())
    R, C = len(rows), len(cols)
    lgf = gammaln(np.arange(n + 2) + 1)
    const = float(lgf[rows].sum() + lgf[cols].sum() - lgf[n])
    limit = -float(lgf[x].sum()) + math.log1p(_REL_TOL)       # log weight threshold (without const)
    cols_t = tuple(int(c) for c in cols)
    base = n + 1

    def encode(S):
        return (S.astype(np.int64) * base ** np.arange(R, dtype=np.int64)[::-1]).sum(axis=1)

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
        xx = np.zeros(len(r), dtype=int)   # most even split: the largest weight
        left = c
        while left > 0:
            cand = np.nonzero(xx < r)[0]
            i = cand[np.argmin(xx[cand])]
            xx[i] += 1
            left -= 1
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

    @lru_cache(maxsize=None)
    def futures(state: tuple):
        st = np.array(state)
        V = vectors(state, cols_t[C - 2])
        f = np.sort(-(lgf[V].sum(axis=1) + lgf[st - V].sum(axis=1)))
        m = float(f[-1])
        return f, np.cumsum(np.exp(f - m)), m

    # cheap upper bound on the partial tables to enumerate: refuse at once if hopeless
    root = tuple(int(r) for r in np.sort(rows))
    crude = float(np.prod([len(vectors(root, c)) for c in cols_t[:C - 2]])) if C > 2 else 1.0
    too_large = ValueError(
        f"table ({x.shape[0]} x {x.shape[1]}, n = {n}) is too large for exact enumeration here "
        f"(more than {_MAX_PARTIAL_TABLES:,} partial tables); use method='pearson', or a "
        "Monte Carlo Fisher test with a fixed seed, and say so")
    if crude > 20 * _MAX_PARTIAL_TABLES:
        raise too_large
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
    for state, sel in groups(S):
        f, prefix, m = futures(state)
        k = np.searchsorted(f, limit - A[sel], side="right")
        ok = k > 0
        if ok.any():
            p += float((W[sel][ok] * np.exp(const + A[sel][ok] + m) * prefix[k[ok] - 1]).sum())
    return float(min(1.0, p))


__all__ = ["fisher_exact"]
