"""The Cox partial-likelihood engine shared by :func:`cox`, :func:`firth_cox` and :func:`fine_gray`.

One vectorised implementation of what R's ``agfit4``/``coxfit6`` C code does:

- counting-process data ``(start, stop]`` (plain right-censored data have ``start = -inf``),
  case weights, strata (separate baseline hazards), Efron or Breslow ties;
- Newton-Raphson with step halving, R's convergence rule (relative change of the log partial
  likelihood <= 1e-9) and R's test for a coefficient running to infinity;
- score residuals with Efron's weighting (the ``dfbeta`` residuals of R's
  ``residuals.coxph(type = "dfbeta")``), from which the robust (Lin-Wei) sandwich variance
  summed within clusters follows.

Risk-set sums at each event time are differences of reverse cumulative sums over rows sorted by
an integer key ``stratum * M + rank(time)``, so no Python loop runs over strata or times.

Efron's approximation with weights, as R: at a time with ``d`` tied deaths of total weight ``W``,
the ``l``-th of ``d`` sub-steps (l = 0..d-1) has denominator ``S0 - (l/d) D0`` (``D0`` the deaths'
weighted risk score) and carries weight ``W/d``. A dying subject takes part in sub-step ``l`` with
fraction ``1 - l/d``. Breslow is the same with every fraction 0.

References
----------
Therneau TM, Grambsch PM. Modeling Survival Data: Extending the Cox Model. Springer, 2000
(chapters 3, 7 and 8: score residuals, dfbeta and the robust variance).
Lin DY, Wei LJ. The robust inference for the Cox proportional hazards model. J Am Stat Assoc
1989;84:1074-1078.
Efron B. The efficiency of Cox's likelihood function for censored data. J Am Stat Assoc
1977;72:557-565.
"""

from __future__ import annotations

import dataclasses

import numpy as np

EPS = 1e-9  # R coxph.control(eps)
TOLER_INF = np.sqrt(EPS)  # R coxph.control(toler.inf)


@dataclasses.dataclass
class CoxFit:
    beta: np.ndarray
    var: np.ndarray  # inverse information (model-based)
    loglik: float
    loglik0: float
    iterations: int
    converged: bool
    infinite: np.ndarray  # bool per coefficient: R's "coefficient may be infinite"
    imat: np.ndarray  # information matrix at beta


class CoxData:
    """Precomputed index structure of one data set (independent of beta)."""

    def __init__(self, X, stop, event, start=None, weights=None, strata=None, ties="efron"):
        X = np.asarray(X, dtype=float)
        n, p = X.shape
        stop = np.asarray(stop, dtype=float)
        event = np.asarray(event, dtype=float)
        start = np.full(n, -np.inf) if start is None else np.asarray(start, dtype=float)
        w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
        s = np.zeros(n, dtype=np.int64) if strata is None else np.asarray(strata, dtype=np.int64)
        self.n, self.p, self.X, self.w, self.event = n, p, X, w, event
        # integer keys: stratum * M + rank of the time among all distinct times
        allt = np.unique(np.concatenate([stop, start]))
        M = len(allt) + 1
        k_stop = s * M + np.searchsorted(allt, stop)
        k_start = s * M + np.searchsorted(allt, start)
        ev = event == 1
        self.ev_rows = np.nonzero(ev)[0]
        ekeys, inv, d = np.unique(k_stop[ev], return_inverse=True, return_counts=True)
        self.K = len(ekeys)
        self.death_group = inv  # event group of each death row
        self.d = d.astype(float)
        e_str = ekeys // M
        stratum_end = (e_str + 1) * M  # first key of the next stratum
        self.o_stop = np.argsort(k_stop, kind="mergesort")
        self.o_start = np.argsort(k_start, kind="mergesort")
        ks, kb = k_stop[self.o_stop], k_start[self.o_start]
        # rows at risk at event key e (same stratum): stop >= e minus start >= e
        self.lo_stop = np.searchsorted(ks, ekeys, "left")
        self.hi_stop = np.searchsorted(ks, stratum_end, "left")
        self.lo_start = np.searchsorted(kb, ekeys, "left")
        self.hi_start = np.searchsorted(kb, stratum_end, "left")
        # Efron sub-steps: one per death, fraction l/d
        self.sub_group = np.repeat(np.arange(self.K), d)
        if ties == "efron":
            self.frac = np.concatenate([np.arange(k) / k for k in d]) if self.K else np.zeros(0)
        else:
            self.frac = np.zeros(len(self.sub_group))
        wd = np.bincount(inv, weights=w[ev], minlength=self.K)
        self.meanwt = (wd / d)[self.sub_group]  # weight W/d of each sub-step
        # for the score residuals: position of each row's stop/start among the event keys
        self.idx_stop = np.searchsorted(ekeys, k_stop, "right")  # events with key <= stop
        self.idx_start = np.searchsorted(ekeys, k_start, "right")  # events with key <= start
        self.k_str_first = np.searchsorted(ekeys, s * M, "left")  # first event of own stratum
        # deaths sorted by event group, for sums by np.add.reduceat (every group has a death)
        self.death_order = self.ev_rows[np.argsort(inv, kind="mergesort")]
        self.death_starts = np.r_[0, np.cumsum(d)[:-1]].astype(np.int64)
        self.sub_starts = self.death_starts  # sub-steps are grouped the same way
        self.has_start = bool(np.isfinite(start).any())

    def _risk_sums(self, v):
        """Sum of rows of ``v`` (shape (n, ...)) over each event's risk set."""

        def revsum(arr, order, lo, hi):
            a = arr[order]
            c = np.concatenate([np.cumsum(a[::-1], axis=0)[::-1], np.zeros((1,) + a.shape[1:])])
            return c[lo] - c[hi]

        out = revsum(v, self.o_stop, self.lo_stop, self.hi_stop)
        if self.has_start:
            out = out - revsum(v, self.o_start, self.lo_start, self.hi_start)
        return out

    def _death_sums(self, v):
        if self.K == 0:
            return np.zeros((0,) + v.shape[1:])
        return np.add.reduceat(v[self.death_order], self.death_starts, axis=0)

    def _by_group(self, v):
        """Sum sub-step values (ordered by event group) within each event group."""
        return np.add.reduceat(v, self.sub_starts, axis=0)

    def pieces(self, beta, second=True):
        """Log partial likelihood, score and information (minus the Hessian) at beta."""
        X, w = self.X, self.w
        eta = X @ beta
        shift = eta.max() if len(eta) else 0.0
        r = w * np.exp(eta - shift)
        rx = r[:, None] * X
        S0, S1 = self._risk_sums(r), self._risk_sums(rx)
        D0, D1 = self._death_sums(r), self._death_sums(rx)
        g, f = self.sub_group, self.frac
        s0 = S0[g] - f * D0[g]
        s1 = S1[g] - f[:, None] * D1[g]
        a = s1 / s0[:, None]
        er = self.ev_rows
        mw = self.meanwt
        ll = float((w[er] * eta[er]).sum() - (mw * (np.log(s0) + shift)).sum())
        grad = (w[er, None] * X[er]).sum(axis=0) - (mw[:, None] * a).sum(axis=0)
        if not second:
            return ll, grad, None
        return ll, grad, self._information(r, s0, a)

    def _at_risk_hazard(self, c):
        """Per row, the sum of the sub-step values ``c`` (ordered by event group; shape (L,) or
        (L, p)) over the event
        times at which the row is at risk, each sub-step counted with the row's Efron fraction
        (``1 - l/d`` for a row dying at that time, 1 otherwise): R's cumulative hazard increments
        seen by one row. O(n + L) time and memory."""
        C = self._by_group(c)
        Cd = self._by_group((1 - self.frac).reshape((-1,) + (1,) * (c.ndim - 1)) * c)
        cum = np.concatenate([np.zeros((1,) + C.shape[1:]), np.cumsum(C, axis=0)])
        lo = np.maximum(self.idx_start, self.k_str_first)  # events in the own stratum with
        hi = np.maximum(self.idx_stop, lo)  # start < t_k <= stop
        out = cum[hi] - cum[lo]
        er, dg = self.ev_rows, self.death_group
        out[er] += Cd[dg] - C[dg]
        return out

    def _information(self, r, s0, a):
        """Information matrix sum_l mw_l [S2_l / s0_l - a_l a_l'] without the (n, p, p) tensor.

        sum_l (mw_l / s0_l) S2_l = X' diag(r_i h_i) X, with h_i the at-risk sum of mw_l / s0_l
        (Efron fractions included) from :meth:`_at_risk_hazard`; the columns of X are centred
        first (the matrix is invariant to a shift of X, and centring avoids cancellation).
        Memory O(n p + p^2), as R's ``coxfit6``/``agfit4`` which accumulate it over risk sets.
        """
        if self.K == 0:
            return np.zeros((self.p, self.p))
        mw = self.meanwt
        h = self._at_risk_hazard(mw / s0)
        wi = r * h
        tot = wi.sum()
        centre = (wi @ self.X) / tot if tot > 0 else np.zeros(self.p)
        Xc = self.X - centre
        ac = a - centre
        imat = (Xc * wi[:, None]).T @ Xc - (ac * mw[:, None]).T @ ac
        return (imat + imat.T) / 2

    def firth_gradient(self, beta, var):
        """Gradient of Firth's penalty 0.5 log|I(beta)|: 0.5 tr(I^-1 dI/dbeta_r).

        dI/dbeta_r = sum_l W_l [S3_r/S0 - (S2/S0) a_r - da_r a' - a da_r'], da_r = S2[:, r]/S0 -
        a a_r, with Efron's fractions applied to every moment. Contracted with V = I^-1, each
        moment sum over event times becomes a sum over rows of the per-row at-risk sums of
        :meth:`_at_risk_hazard` (as in :meth:`_information`), so no (n, p, p, p) or (n, p, p)
        tensor is built: O(n p^2) time, O(n p + p^2) memory. The columns of X are centred first
        (I, and so the penalty, does not change under a shift of X).
        """
        X = self.X - self.X.mean(axis=0) if self.n else self.X
        w = self.w
        eta = X @ beta
        r = w * np.exp(eta - (eta.max() if len(eta) else 0.0))
        g, f, mw = self.sub_group, self.frac, self.meanwt

        def sub(v):
            S, D = self._risk_sums(v), self._death_sums(v)
            return S[g] - f.reshape((-1,) + (1,) * (v.ndim - 1)) * D[g]

        s0 = sub(r)
        a = sub(r[:, None] * X) / s0[:, None]
        XV = X @ var
        q = np.einsum("kp,kp->k", XV, X)  # x_k' V x_k
        h = self._at_risk_hazard(mw / s0)  # sum over l of mw_l / s0_l
        t1 = X.T @ (r * h * q)  # sum_l mw_l tr(M3_l[:, :, r] V)
        trm2v = sub(r * q) / s0  # tr(M2_l V)
        t2 = (mw * trm2v) @ a
        av = a @ var
        b = self._at_risk_hazard((mw / s0)[:, None] * av)  # sum over l of mw_l / s0_l V a_l
        t3a = X.T @ (r * np.einsum("kp,kp->k", X, b))  # sum_l mw_l M2_l V a_l
        t3b = (mw * np.einsum("lp,lp->l", av, a)) @ a  # sum_l mw_l a_l (a_l' V a_l)
        return 0.5 * (t1 - t2 - 2 * (t3a - t3b))

    def score_residuals(self, beta):
        """Per-row score residuals U_i (unweighted), Efron-weighted as R's ``coxscore``/``agscore``.

        Rows never at risk at an event time (censored before the first event, or in a stratum
        without events) get exactly 0, as in R.
        """
        X, w = self.X, self.w
        eta = X @ beta
        shift = eta.max() if len(eta) else 0.0
        rr = np.exp(eta - shift)
        r = w * rr
        rx = r[:, None] * X
        S0, S1 = self._risk_sums(r), self._risk_sums(rx)
        D0, D1 = self._death_sums(r), self._death_sums(rx)
        g, f = self.sub_group, self.frac
        s0 = S0[g] - f * D0[g]
        a = (S1[g] - f[:, None] * D1[g]) / s0[:, None]
        mw = self.meanwt
        # hazard increments per event, summed over the events at which each row is at risk (a
        # dying subject counts its own event's sub-steps with fraction 1 - l/d)
        sumA = self._at_risk_hazard(mw / s0)
        sumB = self._at_risk_hazard((mw / s0)[:, None] * a)
        abar = self._by_group(a) / self.d[:, None]
        er, dg = self.ev_rows, self.death_group
        U = -rr[:, None] * (X * sumA[:, None] - sumB)
        U[er] += X[er] - abar[dg]
        return U


def newton(data: CoxData, beta0=None, max_iter: int = 30, eps: float = EPS) -> CoxFit:
    """Newton-Raphson with step halving (R's ``coxph.fit`` rule: stop when the relative change of
    the log-likelihood is <= eps), then R's check for coefficients running to infinity."""
    p = data.p
    beta = np.zeros(p) if beta0 is None else np.asarray(beta0, float).copy()

    def evaluate(b):
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # far steps: halved
            return data.pieces(b)

    def close(old, new):  # R's convergence test on the log-likelihood
        return abs(1 - old / new) <= eps if new != 0 else abs(new - old) <= eps

    ll, grad, imat = evaluate(beta)
    ll0 = ll if not beta.any() else data.pieces(np.zeros(p), second=False)[0]
    converged, it = False, 0
    for _it in range(1, max_iter + 1):
        step = _solve(imat, grad)
        t, new = 1.0, beta + step
        new_ll, new_grad, new_imat = evaluate(new)
        # halve only a step that really lowers the likelihood: as R's coxfit6, a change within
        # the convergence tolerance (rounding noise of a large log-likelihood) is accepted
        while (
            not np.isfinite(new_ll) or (new_ll < ll - 1e-12 and not close(ll, new_ll))
        ) and t > 1e-6:
            t /= 2
            new = beta + t * step
            new_ll, new_grad, new_imat = evaluate(new)
        done = close(ll, new_ll)
        beta, ll, grad, imat = new, new_ll, new_grad, new_imat
        if done:
            converged = True
            break
    var = _inverse(imat)
    infs = np.abs(var @ grad)
    infinite = ~np.isfinite(grad) | ((infs > eps) & (infs > TOLER_INF * np.abs(beta)))
    if not converged:  # R: "Ran out of iterations"; a coefficient still moving is infinite
        infinite |= infs > TOLER_INF * np.maximum(np.abs(beta), 1.0)
    return CoxFit(beta, var, ll, ll0, it, converged, infinite, imat)


class SingularError(Exception):
    """The information matrix is singular (collinear covariates)."""


def _solve(imat, grad):
    try:
        return np.linalg.solve(imat, grad)
    except np.linalg.LinAlgError:
        raise SingularError from None


def _inverse(imat):
    try:
        v = np.linalg.inv(imat)
    except np.linalg.LinAlgError:
        raise SingularError from None
    if not np.all(np.isfinite(v)):
        raise SingularError
    return v


def robust_variance(data: CoxData, fit: CoxFit, cluster_codes) -> np.ndarray:
    """Lin-Wei sandwich V = I^-1 (sum_c U_c U_c^T) I^-1, U_c the weighted score residuals summed
    within cluster c (R ``coxph(..., cluster=)``: ``crossprod(rowsum(dfbeta, cluster))``)."""
    U = data.score_residuals(fit.beta) * data.w[:, None]
    codes = np.asarray(cluster_codes)
    Uc = np.zeros((int(codes.max()) + 1, data.p))
    np.add.at(Uc, codes, U)
    D = Uc @ fit.var
    return D.T @ D
