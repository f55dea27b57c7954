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
    assert r.summary.p["x"] == pytest.approx(stats.chi2.sf(2 * (lstar(np.log(3)) - lstar(0)), 1), rel=1e-6)


def test_two_subjects_plain_cox_refuses_monotone_likelihood():
    with pytest.raises(ValueError, match=r"\['x'\] runs to infinity.*penalty='firth'"):
        sv.cox(TWO, "t", "e", ["x"])
    assert sv.cox(TWO, "t", "e", ["x"], penalty="firth").summary.hr["x"] == pytest.approx(3.0, rel=1e-7)


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
        return 2 * b - np.log(2 * r + 1) - np.log(r + 1) + 0.5 * np.log(q1 * (1 - q1) + q2 * (1 - q2))

    def score(b):
        r = np.exp(b)
        q1, q2 = 2 * r / (2 * r + 1), r / (r + 1)
        v1, v2 = q1 * (1 - q1), q2 * (1 - q2)
        return 2 - q1 - q2 + 0.5 * (v1 * (1 - 2 * q1) + v2 * (1 - 2 * q2)) / (v1 + v2)
    assert score(-10) > 0 > score(10)
    bhat, info = optimize.brentq(score, -10, 10, xtol=1e-14, full_output=True)
    assert info.converged
    # the score is the derivative of the closed form (central difference, h = 1e-5)
    assert score(bhat + 0.3) == pytest.approx((lstar(bhat + 0.3 + 1e-5) - lstar(bhat + 0.3 - 1e-5))
                                              / 2e-5, abs=1e-8)
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
