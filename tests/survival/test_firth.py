"""Firth-penalised Cox regression (Heinze & Schemper 2001) on analytic examples.

No printed output of R's ``coxphf`` on data shipped in a PyPI package was found (its examples
print nothing in the package sources, and its ``breast`` data set ships only with the R
package), so the references here are closed-form derivations solved independently with scipy.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from spinemets import survival as sv

TWO = pd.DataFrame({"t": [1.0, 2.0], "e": [1, 1], "x": [1.0, 0.0]})


def test_two_subjects_firth_gives_hazard_ratio_three():
    """Two subjects, both die; the exposed one (x = 1) first.

    At t = 1 both are at risk: the partial likelihood is L = e^b / (e^b + 1) = p; at t = 2 only
    the unexposed remains (factor 1). l(b) = log p increases for ever (monotone likelihood, no
    finite MLE). The information is the variance of x over the risk set at t = 1,
    I(b) = p (1 - p). Firth: l*(b) = log p + 0.5 log(p (1 - p)) = 1.5 log p + 0.5 log(1 - p).
    With dp/db = p (1 - p): dl*/db = 1.5 (1 - p) - 0.5 p = 0  =>  p = 3/4  =>  e^b = 3.
    """
    r = sv.firth_cox(TWO, "t", "e", ["x"])
    assert r.summary.hr["x"] == pytest.approx(3.0, rel=1e-7)
    # SE = I(b)^-1/2 = (3/4 * 1/4)^-1/2
    assert r.summary.se["x"] == pytest.approx((3 / 16) ** -0.5, rel=1e-6)
    assert r.penalty == "firth"

    # profile interval: l*(c) = l*(b) - chi2_1(0.95)/2, solved on the closed form
    def lstar(b):
        p = 1 / (1 + np.exp(-b))
        return 1.5 * np.log(p) + 0.5 * np.log1p(-p)

    target = lstar(np.log(3)) - stats.chi2.ppf(0.95, 1) / 2
    lo = optimize.brentq(lambda b: lstar(b) - target, -20, np.log(3))
    hi = optimize.brentq(lambda b: lstar(b) - target, np.log(3), 20)
    assert np.log(r.summary.hr_lower["x"]) == pytest.approx(lo, abs=1e-6)
    assert np.log(r.summary.hr_upper["x"]) == pytest.approx(hi, abs=1e-6)
    # penalised LR test of b = 0: 2 [l*(log 3) - l*(0)]
    assert r.summary.p["x"] == pytest.approx(
        stats.chi2.sf(2 * (lstar(np.log(3)) - lstar(0)), 1), rel=1e-6
    )


def test_two_subjects_plain_cox_refuses_monotone_likelihood():
    with pytest.raises(ValueError, match=r"\['x'\] runs to infinity.*penalty='firth'"):
        sv.cox(TWO, "t", "e", ["x"])
    assert sv.cox(TWO, "t", "e", ["x"], penalty="firth").summary.hr["x"] == pytest.approx(
        3.0, rel=1e-7
    )


def test_coxphf_help_example_three_subjects():
    """coxphf's help example (times 1, 2, 3, all events, x = 1, 1, 0: "convergence attained!").

    Risk sets: {x=1, x=1, x=0} at t = 1, {x=1, x=0} at t = 2. With r = e^b,
    l = 2b - log(2r + 1) - log(r + 1); I = q1 (1 - q1) + q2 (1 - q2), q1 = 2r/(2r+1),
    q2 = r/(r+1). With dq/db = q (1 - q) the penalised score is
    dl*/db = 2 - q1 - q2 + 0.5 [q1 (1-q1)(1-2 q1) + q2 (1-q2)(1-2 q2)] / I, and scipy's brentq
    finds its root on a bracket where it changes sign (brentq raises if it does not converge).
    """
    d = pd.DataFrame({"t": [1.0, 2.0, 3.0], "e": [1, 1, 1], "x": [1.0, 1.0, 0.0]})

    def lstar(b):
        r = np.exp(b)
        q1, q2 = 2 * r / (2 * r + 1), r / (r + 1)
        return (
            2 * b - np.log(2 * r + 1) - np.log(r + 1) + 0.5 * np.log(q1 * (1 - q1) + q2 * (1 - q2))
        )

    def score(b):
        r = np.exp(b)
        q1, q2 = 2 * r / (2 * r + 1), r / (r + 1)
        v1, v2 = q1 * (1 - q1), q2 * (1 - q2)
        return 2 - q1 - q2 + 0.5 * (v1 * (1 - 2 * q1) + v2 * (1 - 2 * q2)) / (v1 + v2)

    assert score(-10) > 0 > score(10)
    bhat, info = optimize.brentq(score, -10, 10, xtol=1e-14, full_output=True)
    assert info.converged
    # the score is the derivative of the closed form (central difference, h = 1e-5)
    assert score(bhat + 0.3) == pytest.approx(
        (lstar(bhat + 0.3 + 1e-5) - lstar(bhat + 0.3 - 1e-5)) / 2e-5, abs=1e-8
    )
    r = sv.firth_cox(d, "t", "e", ["x"])
    assert r.summary.coef["x"] == pytest.approx(bhat, abs=1e-6)
    assert r.loglik == pytest.approx(lstar(bhat), abs=1e-9)


def test_firth_close_to_ml_with_many_events():
    # with 165 events the penalty is small: coefficients within a few percent of coxph's
    from lifelines.datasets import load_lung

    lung = load_lung()
    f = sv.firth_cox(lung, "time", "status", ["age", "sex"], ties="efron")
    m = sv.cox(lung, "time", "status", ["age", "sex"])
    assert np.allclose(f.summary.coef, m.summary.coef, rtol=0.02)
    assert (f.summary.hr_lower < f.summary.hr).all() and (f.summary.hr < f.summary.hr_upper).all()


def test_firth_bad_input():
    with pytest.raises(ValueError, match="event: no events"):
        sv.firth_cox(TWO.assign(e=0), "t", "e", ["x"])
    with pytest.raises(ValueError, match="ties must be one of"):
        sv.firth_cox(TWO, "t", "e", ["x"], ties="exact")
    with pytest.raises(ValueError, match="cluster= or start= is not supported"):
        sv.cox(TWO.assign(id=[1, 2]), "t", "e", ["x"], penalty="firth", cluster="id")


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_firth_penalty_gradient_is_exact(ties):
    # the analytic gradient of 0.5 log|I| (third risk-set moments) equals central differences of
    # the log determinant, with tied times, Efron or Breslow, and strata
    from spinemets.survival import _core
    from spinemets.survival.firth import _Penalised

    rng = np.random.default_rng(0)
    n, p = 200, 3
    X = rng.normal(size=(n, p))
    t = np.ceil(rng.exponential(size=n) * 5)
    e = (rng.uniform(size=n) < 0.7).astype(int)
    pen = _Penalised(_core.CoxData(X, t, e, ties=ties, strata=rng.integers(0, 3, n)))
    b = rng.normal(size=p) * 0.3
    assert np.allclose(pen.full(b)[1], pen.full_numeric(b)[1], atol=1e-8)


# --------------------------------------------------------------------------------------------
# Scale invariance against an independent oracle: the Firth-penalised Breslow partial likelihood
# l*(b) = l(b) + 0.5 log|I(b)| written here with explicit loops over the risk sets, its analytic
# gradient dl*/db_r = U_r + 0.5 tr(I^-1 dI/db_r) from the risk-set moments
# (a = E x, M2 = E xx', M3_r = E xx'x_r under weights exp(x'b):
#  dI/db_r = sum over events [M3_r - M2 a_r - d_r a' - a d_r'], d_r = M2[:, r] - a a_r),
# maximised by scipy BFGS and polished by scipy's root finder on the score; both must report
# convergence.
# --------------------------------------------------------------------------------------------
def firth_oracle(t, e, X):
    t, e, X = np.asarray(t, float), np.asarray(e, int), np.asarray(X, float)
    p = X.shape[1]

    def parts(b):
        ll, U, I = 0.0, np.zeros(p), np.zeros((p, p))
        dI = np.zeros((p, p, p))
        for i in np.nonzero(e == 1)[0]:
            R = X[t >= t[i]]
            w = np.exp(R @ b)
            w = w / w.sum()
            a = w @ R
            M2 = (R * w[:, None]).T @ R
            ll += X[i] @ b - np.log(np.exp(R @ b).sum())
            U += X[i] - a
            I += M2 - np.outer(a, a)
            for r in range(p):
                M3 = (R * (w * R[:, r])[:, None]).T @ R
                dr = M2[:, r] - a * a[r]
                dI[r] += M3 - M2 * a[r] - np.outer(dr, a) - np.outer(a, dr)
        Iinv = np.linalg.inv(I)
        val = ll + 0.5 * np.linalg.slogdet(I)[1]
        grad = U + 0.5 * np.array([np.trace(Iinv @ dI[r]) for r in range(p)])
        return val, grad

    res = optimize.minimize(
        lambda b: -parts(b)[0],
        np.zeros(p),
        jac=lambda b: -parts(b)[1],
        method="BFGS",
        options={"gtol": 1e-6, "maxiter": 500},
    )
    assert res.success, res.message
    # polish: solve the analytic penalised score = 0 from there (scipy root, must converge)
    root = optimize.root(lambda b: parts(b)[1], res.x, method="hybr", options={"xtol": 1e-13})
    assert root.success, root.message
    assert np.max(np.abs(parts(root.x)[1])) < 1e-9
    return root.x, parts(root.x)[0], parts


def small_lung():
    from lifelines.datasets import load_lung

    d = load_lung().dropna(subset=["age", "ph.karno"]).iloc[:45]
    return d.assign(karno=d["ph.karno"].astype(float), status=d["status"].astype(int))


def test_firth_matches_the_oracle_and_is_unit_free():
    d = small_lung()
    b, lmax, _ = firth_oracle(d.time, d.status, d[["age", "karno"]])
    r = sv.firth_cox(d, "time", "status", ["age", "karno"])
    assert np.allclose(r.summary.coef, b, atol=1e-7)
    assert r.loglik == pytest.approx(lmax, abs=1e-8)
    # age in days and Karnofsky x 100: the same fit after rescaling the coefficients (before
    # the fix this raised an internal SingularError)
    k = np.array([365.25, 100.0])
    big = d.assign(age=d.age * 365.25, karno=d.karno * 100)
    rb = sv.firth_cox(big, "time", "status", ["age", "karno"])
    assert np.allclose(rb.summary.coef * k, b, atol=1e-7)
    assert np.allclose(rb.summary.se * k, r.summary.se, rtol=1e-7)
    for col in ("hr_lower", "hr_upper"):
        assert np.allclose(np.log(rb.summary[col]) * k, np.log(r.summary[col]), rtol=1e-6)
    assert np.allclose(rb.summary.p, r.summary.p, rtol=1e-6)
    assert rb.lr_statistic == pytest.approx(r.lr_statistic, rel=1e-8)
    # l* depends on the units only through 0.5 log|I|; I scales by k^2, so l* by + sum log k
    assert rb.loglik == pytest.approx(r.loglik + np.log(k).sum(), abs=1e-8)


def test_firth_profile_interval_and_p_against_the_oracle():
    d = small_lung()
    b, lmax, parts = firth_oracle(d.time, d.status, d[["age"]])
    r = sv.firth_cox(d.assign(age=d.age * 365.25), "time", "status", ["age"])  # days
    crit = stats.chi2.ppf(0.95, 1)
    g = lambda c: 2 * (lmax - parts(np.array([c]))[0]) - crit
    lo = optimize.brentq(g, b[0] - 1, b[0], xtol=1e-12)
    hi = optimize.brentq(g, b[0], b[0] + 1, xtol=1e-12)
    assert np.log(r.summary.hr_lower["age"]) * 365.25 == pytest.approx(lo, abs=1e-7)
    assert np.log(r.summary.hr_upper["age"]) * 365.25 == pytest.approx(hi, abs=1e-7)
    p0 = stats.chi2.sf(2 * (lmax - parts(np.array([0.0]))[0]), 1)
    assert r.summary.p["age"] == pytest.approx(p0, rel=1e-6)


def test_firth_large_coefficients_are_not_capped():
    # x separates the events; in units of 1/1000 the coefficient is 1000 times larger (it was
    # capped at 500 before, with CI (0, inf) and a wrong p)
    d = small_lung()
    d = d.assign(x=(d.time < d.time.median()).astype(float))
    r1 = sv.firth_cox(d, "time", "status", ["x"])
    r2 = sv.firth_cox(d.assign(x=d.x / 1000), "time", "status", ["x"])
    b, _, _ = firth_oracle(d.time, d.status, d[["x"]])
    assert r1.summary.coef["x"] == pytest.approx(b[0], abs=1e-7)
    assert r2.summary.coef["x"] == pytest.approx(1000 * b[0], rel=1e-8)
    assert r2.summary.p["x"] == pytest.approx(r1.summary.p["x"], rel=1e-6)


def test_firth_each_row_its_own_stratum_is_a_clear_error():
    d = small_lung()
    with pytest.raises(ValueError, match="strata: every stratum holds a single row"):
        sv.firth_cox(d.assign(s=np.arange(len(d))), "time", "status", ["age"], strata="s")


def test_firth_refuses_an_unconverged_fit(monkeypatch):
    from spinemets.survival import firth

    real = firth._Penalised.maximise

    def one_step(self, b, free=None, **kw):
        return real(self, b, free, max_iter=1)[:3] + (False,)

    monkeypatch.setattr(firth._Penalised, "maximise", one_step)
    with pytest.raises(ValueError, match="did not converge"):
        sv.firth_cox(small_lung(), "time", "status", ["age"])


@pytest.mark.parametrize("ties", ["efron", "breslow"])
@pytest.mark.parametrize("counting", [False, True])
def test_firth_penalty_gradient_without_tensors_equals_the_derivative_of_log_det(ties, counting):
    # the gradient of 0.5 log|I(beta)| is accumulated from per-row at-risk sums (no (n, p, p, p)
    # tensor); it must equal the central finite difference of 0.5 log|I| itself, with ties,
    # weights, strata and (start, stop] data, on covariates of different scales
    from spinemets.survival import _core

    rng = np.random.default_rng(21)
    n = 90
    X = np.c_[rng.normal(60, 10, n), rng.normal(0, 1, n), rng.integers(0, 2, n)]
    stop = rng.integers(1, 12, n).astype(float)
    start = (stop - rng.integers(1, 4, n)).clip(0) if counting else None
    event = (rng.random(n) < 0.7).astype(float)
    data = _core.CoxData(
        X,
        stop,
        event,
        start=start,
        weights=rng.uniform(0.5, 2.0, n),
        strata=rng.integers(0, 2, n),
        ties=ties,
    )
    beta = np.array([0.02, -0.4, 0.3])
    info = data.pieces(beta)[2]
    got = data.firth_gradient(beta, np.linalg.inv(info))

    def half_logdet(b):
        return 0.5 * np.linalg.slogdet(data.pieces(b)[2])[1]

    step = 1e-5
    want = np.array(
        [
            (half_logdet(beta + step * e) - half_logdet(beta - step * e)) / (2 * step)
            for e in np.eye(3)
        ]
    )
    assert np.allclose(got, want, rtol=1e-6, atol=1e-8)


def test_firth_profile_limits_where_newtons_matrix_turns_singular():
    # park2016 replicate 166: the events separate on two covariates; along the profile of one
    # of them Newton's step matrix turns singular, and the quasi-Newton fallback must still
    # reach the profile optimum. Check each returned limit against the definition: twice the
    # drop of the penalised log-likelihood, profiled by scipy BFGS from scratch, equals the
    # chi-square(1) 95% point.
    import warnings

    from scipy import optimize

    from spinemets import cohorts
    from spinemets.analyses import park2016

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = park2016.prepare(cohorts.replicate("park2016", 166))
        fit = park2016.firth(d)
    s = fit.summary
    assert np.isfinite(s.hr_lower).all() and np.isfinite(s.hr_upper).all()
    # an independent profile on the original scale (Firth is invariant to scaling X)
    cols = ["concurrent", "cord_compression", "pain_response"]
    X = np.c_[[(d[c].astype(str) == "yes").to_numpy(float) for c in cols]].T
    t, e = d.lp_months.to_numpy(float), d.local_progression.to_numpy(float)
    from spinemets.survival import _core

    data = _core.CoxData(X, t, e, ties="efron")

    def pen(b):
        ll, _, info = data.pieces(b)
        return ll + 0.5 * np.linalg.slogdet(info)[1]

    lmax = pen(s.coef.to_numpy())
    crit = stats.chi2.ppf(0.95, 1)
    for j, name in enumerate(s.index):
        for lim in (s.hr_lower.iloc[j], s.hr_upper.iloc[j]):
            if lim <= 1e-3 or lim >= 1e3:
                continue  # far in the tail: the optimum of the others is flat there
            free = [k for k in range(3) if k != j]

            c = float(np.log(lim))

            def negative(x, c=c, j=j, free=free):
                b = np.empty(3)
                b[j], b[free] = c, x
                return -pen(b)

            res = optimize.minimize(
                negative,
                s.coef.to_numpy()[free],
                method="Nelder-Mead",
                options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 20000},
            )
            assert res.success, name
            assert 2 * (lmax + res.fun) == pytest.approx(crit, abs=2e-3), name
