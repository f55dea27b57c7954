"""Fisher's exact test for r x c tables (Freeman-Halton), exact as R's ``fisher.test``, with
R's Monte Carlo alternative (``simulate.p.value = TRUE``) beyond the exact algorithm's budget.

References
----------
Fisher RA. The Design of Experiments. Edinburgh: Oliver & Boyd, 1935.
Freeman GH, Halton JH. Note on an exact treatment of contingency, goodness of fit and other
problems of significance. Biometrika 1951;38:141-149.
Mehta CR, Patel NR. A network algorithm for performing Fisher's exact test in r x c contingency
tables. J Am Stat Assoc 1983;78:427-434.
Patefield WM. Algorithm AS 159: an efficient method of generating random r x c tables with given
row and column totals. Appl Stat 1981;30:91-97.
Hope ACA. A simplified Monte Carlo significance test procedure. J R Stat Soc B 1968;30:582-598.
"""

from __future__ import annotations

import dataclasses
import math
from typing import ClassVar

import numpy as np
from scipy import stats
from scipy.special import gammaln

from .._results import TestResult
from .._validation import (
    check_choice,
    check_count_table,
    check_number,
    check_positive_int,
    check_seed,
)

_INT = np.int32  # counts of a table within MAX_FISHER_N: half the memory traffic of int64
_REL_TOL = 1e-7  # R's fisher.test: tables with probability <= p_obs * (1 + 1e-7) count

#: Largest total count of an r x c table for the exact test (a table of log-factorials of n).
MAX_FISHER_N = 10_000_000
#: Work budget of the exact r x c algorithm, in units of enumerated column vectors, partial
#: tables and completions, measured level by level before each array is built. Measured cost
#: (CPU time on the project's shared 2-core machine, under load): 0.15-0.2 microseconds per
#: unit, so 1-1.5 s at the limit (4 x 4 with n = 129: 0.2-1.2 s; 5 x 5 with n = 30: 0.01 s);
#: a refusal costs at most as much. ``max_work`` changes it for one call.
MAX_FISHER_WORK = 7_000_000
#: Largest number of Monte Carlo tables (``n_resamples``) drawn in one call.
MAX_FISHER_RESAMPLES = 10_000_000
_MONTE_CARLO_HINT = (
    "use fisher_exact(table, method='monte-carlo', n_resamples=100_000, seed=<int>) "
    "(R's simulate.p.value = TRUE; report the seed and the Monte Carlo standard error), "
    "independence(table, method='pearson') if the expected counts allow it, or pass a "
    "larger max_work to wait for the exact answer"
)


class _TooLarge(Exception):
    """Internal: the measured work exceeds the budget (turned into a ValueError)."""

    def __init__(self, what: str, size: float, limit: float):
        super().__init__(what)
        self.what, self.size, self.limit = what, size, limit


@dataclasses.dataclass(frozen=True, repr=False)
class FisherResult(TestResult):
    """Fisher's exact test (or its Monte Carlo version) of a contingency table.

    ``statistic`` is the probability of the observed table given its margins (R prints none).
    ``float(result)`` and format specifications (``f"{result:.3f}"``) give the p-value, so code
    written when :func:`fisher_exact` returned a float keeps working.
    """

    _title: ClassVar[str] = "Fisher's exact test"
    method: str = "exact"
    n_resamples: int | None = None
    seed: int | None = None
    mc_se: float | None = None
    work: float | None = None

    def __float__(self) -> float:
        return float(self.p_value)

    def __format__(self, spec: str) -> str:
        return format(float(self.p_value), spec) if spec else repr(self)


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
    if float(dist.logpmf(lo)) <= thr:  # left tail [lo, left]: logpmf increases up to mode
        i, j = lo, mode - 1
        while i < j:
            mid = (i + j + 1) // 2
            if float(dist.logpmf(mid)) <= thr:
                i = mid
            else:
                j = mid - 1
        p += float(dist.cdf(i))
    if float(dist.logpmf(hi)) <= thr:  # right tail [right, hi]: logpmf decreases
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
    return float(
        gammaln(rows + 1).sum() + gammaln(cols + 1).sum() - gammaln(n + 1) - gammaln(x + 1).sum()
    )


def _split_weights(S, c, lgf):
    """Per state (rows of S, sorted ascending): sum lgf of the most even split of c (the
    smallest sum, i.e. the largest weight) and of the most concentrated split (the largest)."""
    k, R = S.shape
    # most concentrated: fill the largest rows first
    desc = S[:, ::-1]
    before = np.cumsum(desc, axis=1) - desc
    y = np.clip(c - before, 0, desc)
    conc = lgf[y].sum(axis=1)
    # most even (water filling): rows sorted ascending are filled completely while they fit
    prefix = np.cumsum(S, axis=1) - S
    left = c - prefix  # what is left for rows i..R-1
    level = left // (R - np.arange(R))  # the even level if rows i.. share it
    fails = S > level  # row i cannot be filled completely
    fails[:, -1] = True
    i = np.argmax(fails, axis=1)
    rowsel = np.arange(k)
    lev = level[rowsel, i]
    extra = left[rowsel, i] - lev * (R - i)
    full = np.where(np.arange(R)[None, :] < i[:, None], lgf[S], 0.0).sum(axis=1)
    even = full + (R - i - extra) * lgf[lev] + extra * lgf[lev + 1]
    return even, conc


def _lgf_rows(lgf: np.ndarray, S: np.ndarray) -> np.ndarray:
    """sum_i log(S[:, i]!) for each row: column by column (numpy's reduction over a short
    last axis is slow)."""
    out = lgf[S[:, 0]].copy()
    for i in range(1, S.shape[1]):
        out += lgf[S[:, i]]
    return out


def _encode(S, base):
    """Integer code of each row of S (entries below ``base``), by Horner's rule."""
    code = S[:, 0].astype(np.int64)
    for i in range(1, S.shape[1]):
        code *= base
        code += S[:, i]
    return code


def _sort_rows(S):
    """Sort each row ascending (odd-even transposition on columns: fast for few columns)."""
    S = S.copy()
    R = S.shape[1]
    for r in range(R):
        for i in range(r % 2, R - 1, 2):
            a, b = S[:, i].copy(), S[:, i + 1]
            S[:, i] = np.minimum(a, b)
            S[:, i + 1] = np.maximum(a, b)
    return S


def _distinct_states(S, base):
    """The distinct rows of S (sorted states of one level, all with the same sum) and the
    index of each row among them; a dense table of codes when it is small enough."""
    R = S.shape[1]
    total = int(S[0].sum()) if len(S) else 0
    size = float(base) ** (R - 1)
    code = _encode(S[:, : R - 1], base)
    if size <= 4e6:
        mark = np.zeros(int(size), dtype=bool)
        mark[code] = True
        codes = np.flatnonzero(mark)
        ids = np.cumsum(mark) - 1
        inv = ids[code]
    else:
        codes, inv = np.unique(code, return_inverse=True)
        inv = inv.ravel()
    U = np.empty((len(codes), R), dtype=_INT)
    c = codes.copy()
    for i in range(R - 2, -1, -1):
        U[:, i] = c % base
        c //= base
    U[:, R - 1] = total - U[:, : R - 1].sum(axis=1)
    return U, inv


def _prefixes(Us, c):
    """The grid of the first R-2 entries of every state's column vectors (mixed radix)."""
    R = Us.shape[1]
    radix = np.minimum(Us[:, : R - 2], c) + 1
    sizes = np.prod(radix, axis=1)
    ps = np.repeat(np.arange(len(Us)), sizes)
    local = np.arange(len(ps)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    pre = np.empty((len(ps), R - 2), dtype=_INT)
    for i in range(R - 3, -1, -1):
        r = radix[ps, i]
        pre[:, i] = local % r
        local //= r
    rest = c - pre.sum(axis=1, dtype=np.int64)
    lo = np.maximum(0, rest - Us[ps, R - 1])
    hi = np.minimum(Us[ps, R - 2], rest)
    return ps, pre, rest, lo, np.maximum(hi - lo + 1, 0)


def _grid_sizes(Us, c) -> float:
    """The work of enumerating every state's column vectors: the size of the prefix grid."""
    R = Us.shape[1]
    return float(np.prod(np.minimum(Us[:, : R - 2], c) + 1.0, axis=1).sum())


def _pairs(Us, c, work: float = 0.0, max_work: float = np.inf):
    """Every (state, column vector): vectors v with sum c and v <= state elementwise
    (the state and each v of length R; states sorted ascending)."""
    R = Us.shape[1]
    ps, pre, rest, lo, cnt = _prefixes(Us, c)
    total = float(cnt.sum())
    if work + total > max_work:
        raise _TooLarge("column vectors", work + total, max_work)
    k = np.repeat(np.arange(len(ps)), cnt)
    second = lo[k] + (np.arange(len(k)) - np.repeat(np.cumsum(cnt) - cnt, cnt))
    vec = np.empty((len(k), R), dtype=_INT)
    vec[:, : R - 2] = pre[k]
    vec[:, R - 2] = second
    vec[:, R - 1] = rest[k] - second
    return ps[k], vec


def _segments(seg, vals, nseg):
    """For values sorted by (seg, vals): start of each segment, min, max, and a global
    monotone key (segment offset + value - segment min) for searchsorted across segments."""
    start = np.searchsorted(seg, np.arange(nseg), side="left")
    end = np.searchsorted(seg, np.arange(nseg), side="right")
    vmin = vals[np.minimum(start, len(vals) - 1)]
    vmax = vals[np.maximum(end - 1, 0)]
    span = vmax - vmin + 1.0
    base = np.r_[0.0, np.cumsum(span)[:-1]]
    key = base[seg] + (vals - vmin[seg])
    return start, end, vmin, vmax, span, base, key


def _sort_in_segments(seg, vals, nseg):
    """The order that sorts vals within contiguous segments (seg non-decreasing)."""
    start = np.searchsorted(seg, np.arange(nseg), side="left")
    nonempty = start < np.searchsorted(seg, np.arange(nseg), side="right")
    vmin = np.zeros(nseg)
    vmax = np.zeros(nseg)
    vmin[nonempty] = np.minimum.reduceat(vals, start[nonempty])
    vmax[nonempty] = np.maximum.reduceat(vals, start[nonempty])
    base = np.r_[0.0, np.cumsum(vmax - vmin + 1.0)[:-1]]
    return np.argsort(base[seg] + (vals - vmin[seg]), kind="stable")


def _count_upto(key, base, vmin, span, s, thr):
    """Global index one past the last element of segment s whose value is <= thr."""
    q = np.clip(thr - vmin[s], -0.5, span[s] - 0.5)
    return np.searchsorted(key, base[s] + q, side="right")


def _ranges(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flatten the index ranges [start, start + count): (owner of each index, the index)."""
    owner = np.repeat(np.arange(len(counts)), counts)
    offset = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, starts[owner] + offset


class _Network:
    """The state of one exact r x c computation (see :func:`_fisher_rxc`)."""

    def __init__(self, x: np.ndarray, max_work: float):
        self.rows = np.sort(x.sum(axis=1)).astype(_INT)
        cols = np.sort(x.sum(axis=0)).astype(np.int64)
        # column order (measured on random tables): ascending; for a square table the largest
        # column first (it costs one node) and then ascending does less work
        self.cols = np.r_[cols[-1:], cols[:-1]] if len(self.rows) == len(cols) else cols
        n = int(x.sum())
        self.lgf = gammaln(np.arange(n + 2) + 1.0)
        self.const = float(self.lgf[self.rows].sum() + self.lgf[self.cols].sum() - self.lgf[n])
        self.limit = -float(self.lgf[x].sum()) + math.log1p(_REL_TOL)
        self.base = n + 1
        if float(self.base) ** len(self.rows) >= 2.0**62:
            raise _TooLarge(
                "node codes ((n + 1) ** rows, an int64 overflow)",
                float(self.base) ** len(self.rows),
                2.0**62,
            )
        self.max_work, self.work, self.p = max_work, 0.0, 0.0

    def charge(self, units: float, what: str) -> None:
        """Add measured work; refuse before building anything beyond the budget."""
        self.work += float(units)
        if self.work > self.max_work:
            raise _TooLarge(what, self.work, self.max_work)

    def bounds(self, U: np.ndarray, rem: np.ndarray):
        """Largest and smallest log weight of any completion of each node, and the log of
        their total (closed form)."""
        hi, lo = np.zeros(len(U)), np.zeros(len(U))
        for c in rem:
            e, cc = _split_weights(U, int(c), self.lgf)
            hi -= e
            lo -= cc
        tot = self.lgf[U.sum(axis=1)] - self.lgf[U].sum(axis=1) - self.lgf[rem].sum()
        return hi, lo, tot

    def settle(self, U, g, A, W, rem):
        """Add the pasts whose completions all count; drop those of which none can; return
        the rest, sorted by (node, past), with the nodes renumbered."""
        hi, lo, tot = self.bounds(U, rem)
        allin = A + hi[g] <= self.limit
        if allin.any():
            self.p += float((W[allin] * np.exp(self.const + A[allin] + tot[g[allin]])).sum())
        keep = ~allin & (A + lo[g] <= self.limit)
        used, g = np.unique(g[keep], return_inverse=True)
        g, A, W = g.ravel(), A[keep], W[keep]
        o = np.lexsort((A, g))
        return U[used], g[o], A[o], W[o]

    def children(self, U, c: int):
        """Every (node, column vector) pair for a column total c: the node, the vector's
        log weight, and the index of the child node among the distinct children."""
        self.charge(_grid_sizes(U, c), "candidate columns")
        ps, V = _pairs(U, c, self.work, self.max_work)
        self.charge(len(ps), "column vectors")
        U2, child = _distinct_states(_sort_rows(U[ps] - V), self.base)
        return ps, _lgf_rows(self.lgf, V), U2, child

    def expand(self, U, g, A, W, c: int):
        """Add column total c to every partial table; merge equal (node, past) pairs."""
        ps, wv, U2, child = self.children(U, c)
        start = np.searchsorted(g, np.arange(len(U)), side="left")
        count = np.searchsorted(g, np.arange(len(U)), side="right") - start
        self.charge(float(count[ps].sum()), "partial tables")
        pr, t = _ranges(start[ps], count[ps])
        A, W, g = A[t] - wv[pr], W[t], child[pr]
        key = np.round(A * 1e9).astype(np.int64)
        o = np.lexsort((key, g))
        gs, ks = g[o], key[o]
        new = np.r_[True, (gs[1:] != gs[:-1]) | (ks[1:] != ks[:-1])]
        W = np.bincount(np.cumsum(new) - 1, weights=W[o])
        return U2, gs[new], A[o][new], W

    def last_three(self, U, g, A, W) -> None:
        """Columns C-3, C-2 and C-1 together (pasts sorted by node and value)."""
        lgf, limit, const = self.lgf, self.limit, self.const
        ps, wv, U2, u = self.children(U, int(self.cols[-3]))
        rem = self.cols[-2:]
        hi2, lo2, tot2 = self.bounds(U2, rem)
        pst, _, amin, amax, aspan, abase, akey = _segments(g, A, len(U))
        pcs0 = np.r_[0.0, np.cumsum(W * np.exp(A - amax[g]))]

        def upto(thr):
            return _count_upto(akey, abase, amin, aspan, ps, thr)

        # through the bounds: pasts [pst, i1) all count, [i1, i2) undecided, the rest none
        i1 = np.maximum(upto(limit + wv - hi2[u]), pst[ps])
        i2 = np.maximum(upto(limit + wv - lo2[u]), i1)
        full = i1 > pst[ps]
        s_, u_ = ps[full], u[full]
        self.p += float(
            (
                np.exp(const - wv[full] + amax[s_] + tot2[u_]) * (pcs0[i1[full]] - pcs0[pst[s_]])
            ).sum()
        )
        mid = i2 > i1
        if not mid.any():
            return
        ps, wv, i1, i2 = ps[mid], wv[mid], i1[mid], i2[mid]
        need, u = np.unique(u[mid], return_inverse=True)
        u, U3 = u.ravel(), U2[need]
        # the completions of the undecided nodes, sorted within each node
        self.charge(_grid_sizes(U3, int(rem[0])), "completions")
        fs, V2 = _pairs(U3, int(rem[0]), self.work, self.max_work)
        self.charge(len(fs), "completions")
        f = -(_lgf_rows(lgf, V2) + _lgf_rows(lgf, U3[fs] - V2))
        o = _sort_in_segments(fs, f, len(U3))
        fs, f = fs[o], f[o]
        fstart, fend, fmin, fmax, fspan, fbase, fkey = _segments(fs, f, len(U3))
        fcs0 = np.r_[0.0, np.cumsum(np.exp(f - fmax[fs]))]
        ftot = fcs0[fend] - fcs0[fstart]
        # exact extremes of the completions settle more pasts in closed form
        j1 = np.maximum(upto(limit + wv - fmax[u]), i1)
        j2 = np.maximum(np.minimum(upto(limit + wv - fmin[u]), i2), j1)
        full = j1 > i1
        s_, u_ = ps[full], u[full]
        self.p += float(
            (
                np.exp(const - wv[full] + amax[s_] + fmax[u_])
                * (pcs0[j1[full]] - pcs0[i1[full]])
                * ftot[u_]
            ).sum()
        )
        # the rest one by one: a binary search in the node's cumulated completions
        self.charge(float((j2 - j1).sum()), "partial tables")
        pr, t = _ranges(j1, j2 - j1)
        Ac, uc = A[t] - wv[pr], u[pr]
        idx = _count_upto(fkey, fbase, fmin, fspan, uc, limit - Ac)
        ok = idx > fstart[uc]
        self.p += float(
            (
                W[t[ok]]
                * np.exp(const + Ac[ok] + fmax[uc[ok]])
                * (fcs0[idx[ok]] - fcs0[fstart[uc[ok]]])
            ).sum()
        )


def _fisher_rxc(x: np.ndarray, max_work: float) -> tuple[float, float]:
    """Exact two-sided p of an r x c table (r <= c, no zero margins) and the work it took.

    Columns are added one at a time (smallest first; largest first for a square table); a
    partial table is summarised by its remaining row margins, sorted (the rest of the problem
    depends only on their multiset: the nodes of Mehta & Patel's network) and its accumulated
    log weight (its past). Before a level is built its size is measured and charged to
    ``max_work``. At each level, bounds on the weight of any completion (each remaining column
    split most evenly / most unevenly) settle whole groups of pasts at once: all completions
    count (their total weight in closed form) or none. The last three columns are handled
    together: every (node, column vector) pair of column C-3 meets the sorted completions of
    the last two columns, first through the bounds and then through the exact completion
    extremes, and only the pasts still undecided are matched one by one (a binary search in the
    cumulated completions).
    """
    net = _Network(x, max_work)
    U = net.rows[None, :]
    g, A, W = np.zeros(1, dtype=np.int64), np.zeros(1), np.ones(1)
    C = len(net.cols)
    for j in range(C - 2):
        U, g, A, W = net.settle(U, g, A, W, net.cols[j:])
        if len(A) == 0:
            break
        if j == C - 3:
            net.last_three(U, g, A, W)
            break
        U, g, A, W = net.expand(U, g, A, W, int(net.cols[j]))
    return min(1.0, net.p), net.work


def _fisher_monte_carlo(x: np.ndarray, n_resamples: int, seed: int) -> tuple[float, float]:
    """R's ``fisher.test(simulate.p.value = TRUE, B)``: (1 + #{simulated tables with
    -sum(log x_ij!) <= the observed one / (1 + 64 eps)}) / (B + 1), tables drawn with the
    observed margins by Patefield's algorithm; and the binomial standard error of that p."""
    rows, cols = x.sum(axis=1), x.sum(axis=0)
    observed = -float(gammaln(x + 1.0).sum())
    rng = np.random.default_rng(seed)
    dist = stats.random_table(rows, cols, seed=rng)
    hits, left = 0, n_resamples
    almost_one = 1 + 64 * np.finfo(float).eps
    while left > 0:
        k = min(left, max(1, 2_000_000 // x.size))
        sim = dist.rvs(size=k, method="patefield", random_state=rng)
        stat = -gammaln(sim + 1.0).sum(axis=(1, 2))
        hits += int((stat <= observed / almost_one).sum())
        left -= k
    p = (1 + hits) / (n_resamples + 1)
    return p, math.sqrt(p * (1 - p) / n_resamples)


def fisher_exact(
    table,
    method: str = "exact",
    *,
    n_resamples: int = 100_000,
    seed: int | None = None,
    max_work: float = MAX_FISHER_WORK,
) -> FisherResult:
    """Two-sided Fisher test of independence (Freeman-Halton for r x c), as R's ``fisher.test``.

    Exact: sums the probabilities of all tables with the observed margins whose probability
    does not exceed the observed table's (times 1 + 1e-7, as R does). Monte Carlo: R's
    ``simulate.p.value = TRUE`` (tables drawn with the observed margins; the p-value counts the
    observed table, so it is never 0).

    Parameters
    ----------
    table : 2-D array-like or DataFrame of counts
        Finite whole-number counts, at least one of them positive (``check_count_table``).
        Rows or columns of zeros are dropped (they do not change the p-value).
    method : {"exact", "monte-carlo"}
        "exact" (default) refuses, before the heavy work, a table whose measured work exceeds
        ``max_work``; "monte-carlo" needs ``seed``.
    n_resamples : int
        Monte Carlo tables drawn (R's ``B``; R's default is 2000, this one 100,000), at most
        :data:`MAX_FISHER_RESAMPLES`.
    seed : int
        Seed of ``numpy.random.default_rng`` for the Monte Carlo test (required: report it).
    max_work : float
        Work budget of the exact r x c algorithm (:data:`MAX_FISHER_WORK`: about a second).

    Returns
    -------
    FisherResult
        ``p_value``; ``statistic`` (the probability of the observed table); ``method``;
        for Monte Carlo ``n_resamples``, ``seed`` and ``mc_se`` (the binomial standard error
        sqrt(p (1 - p) / B) of the simulated p); for exact r x c ``work`` (the measured work).
        ``float(result)`` and ``f"{result:.3f}"`` give the p-value.

    Raises
    ------
    ValueError
        Bad counts (negative, fractional, NaN, inf, above 2**53, all zero); a method not in the
        list; Monte Carlo without a seed; an exact r x c table (not 2 x 2) whose total exceeds
        :data:`MAX_FISHER_N` or whose measured work exceeds ``max_work``: the message gives the
        measured size and says what to use instead. 2 x 2 tables are computed from the
        hypergeometric distribution in time independent of n and never refused.

    References
    ----------
    Freeman GH, Halton JH. Biometrika 1951;38:141-149. Mehta CR, Patel NR. J Am Stat Assoc
    1983;78:427-434. Patefield WM. Appl Stat 1981;30:91-97. R Core Team, ``stats::fisher.test``
    (the 1 + 1e-7 tolerance; ``simulate.p.value`` and its (1 + hits) / (B + 1) rule).

    Examples
    --------
    R's ``?fisher.test``, Agresti's job satisfaction table: ``fisher.test(Job)`` p = 0.7827.

    >>> job = [[1, 3, 10, 6], [2, 3, 10, 7], [1, 6, 14, 12], [0, 1, 9, 11]]
    >>> round(fisher_exact(job).p_value, 4)
    0.7827
    """
    method = check_choice(method, "method", ("exact", "monte-carlo"))
    x = check_count_table(table, "table")
    x = x[x.sum(axis=1) > 0][:, x.sum(axis=0) > 0]
    n = int(x.sum())
    if x.shape[0] < 2 or x.shape[1] < 2:
        return FisherResult("Fisher's exact test", 1.0, None, 1.0, method="exact")
    stat = math.exp(_log_table_prob(x, x.sum(axis=1), x.sum(axis=0), n))
    if method == "monte-carlo":
        if seed is None:
            raise ValueError(
                "seed is required for method='monte-carlo' (an int >= 0); report it "
                "with the p-value"
            )
        seed = check_seed(seed)
        n_resamples = check_positive_int(n_resamples, "n_resamples")
        if n_resamples > MAX_FISHER_RESAMPLES:
            raise ValueError(
                f"n_resamples must be at most {MAX_FISHER_RESAMPLES:,}, got {n_resamples:,}"
            )
        p, se = _fisher_monte_carlo(x, n_resamples, seed)
        return FisherResult(
            "Fisher's exact test, Monte Carlo p-value",
            stat,
            None,
            p,
            method="monte-carlo",
            n_resamples=n_resamples,
            seed=seed,
            mc_se=se,
        )
    max_work = check_number(max_work, "max_work", low=1)
    if x.shape == (2, 2):
        return FisherResult("Fisher's exact test", stat, None, _fisher_2x2(x), method="exact")
    if x.shape[0] > x.shape[1]:
        x = x.T
    what = f"exact Fisher test of a {x.shape[0]} x {x.shape[1]} table with n = {n}"
    if n > MAX_FISHER_N:
        raise ValueError(
            f"table (its total count n = {n:,}) is too large for the {what}: the "
            f"limit is n <= {MAX_FISHER_N:,}; {_MONTE_CARLO_HINT}"
        )
    try:
        p, work = _fisher_rxc(x, max_work)
    except _TooLarge as e:
        raise ValueError(
            f"table is too large for the {what}: the network algorithm's work would reach "
            f"{e.size:,.0f} units at its {e.what} (measured before building them; the limit "
            f"max_work is {e.limit:,.0f}, about a second); {_MONTE_CARLO_HINT}"
        ) from None
    return FisherResult(
        "Fisher's exact test", stat, None, float(p), method="exact", work=float(work)
    )


__all__ = [
    "FisherResult",
    "fisher_exact",
    "MAX_FISHER_N",
    "MAX_FISHER_WORK",
    "MAX_FISHER_RESAMPLES",
]
