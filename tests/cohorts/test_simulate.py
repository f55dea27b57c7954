"""Tests of spinemets.simulate (teaching simulators).

The simulators draw from stated models, so the checks are: determinism for a seed, the shape
and coding of the output, large-sample agreement with the model's known truth (hazard ratio,
cumulative incidence), and agreement of the stored precomputed run with a fresh run.
"""

import math

import numpy as np
import pandas as pd
import pytest

from spinemets import simulate, survival
from spinemets.paths import DATA_DIR

# ---------------------------------------------------------------- frailty_pairs


def test_frailty_pairs_layout_and_seed():
    a = simulate.frailty_pairs(28, seed=2016)
    b = simulate.frailty_pairs(28, seed=2016)
    pd.testing.assert_frame_equal(a, b)
    assert list(a.columns) == ["pair", "arm", "months", "event"]
    assert len(a) == 56
    assert all(sorted(g) == ["RT", "SRS"] for _, g in a.groupby("pair").arm)
    assert set(a.event) <= {0, 1} and (a.months >= 0).all()
    assert not simulate.frailty_pairs(28, seed=1).equals(a)


def test_frailty_pairs_true_hazard_ratio_within_pairs():
    # a Cox model stratified by pair estimates the within-pair (conditional) HR 0.07/0.10
    d = simulate.frailty_pairs(1500, censor=(30, 60), seed=3)
    d["srs"] = (d.arm == "SRS").astype(float)
    fit = survival.cox(d, "months", "event", ["srs"], strata="pair", ties="breslow")
    assert math.exp(fit.summary.coef.iloc[0]) == pytest.approx(0.7, abs=0.08)


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(n_pairs=1), "n_pairs"),
        (dict(hazards=(0.1, -1)), "hazards"),
        (dict(arms=("A", "A")), "different labels"),
        (dict(frailty_variance=0), "frailty_variance"),
        (dict(censor=(10, 5)), "censor"),
        (dict(seed=None), "seed"),
    ],
)
def test_frailty_pairs_bad_input(kw, match):
    with pytest.raises(ValueError, match=match):
        simulate.frailty_pairs(**kw)


# ---------------------------------------------------------------- competing_risks


def test_competing_risks_layout_and_codes():
    d = simulate.competing_risks(200, seed=7)
    pd.testing.assert_frame_equal(d, simulate.competing_risks(200, seed=7))
    assert list(d.columns) == ["time", "code"] and set(d.code) <= {0, 1, 2}
    assert len(d) == 200 and (d.time >= 0).all()
    # before the censoring window opens (6 months) nobody is censored
    assert (d.loc[d.code == 0, "time"] >= 6).all()


def test_competing_risks_aalen_johansen_recovers_the_true_cif():
    d = simulate.competing_risks(20000, mean_progression=24, mean_death=12, seed=11)
    cif = survival.cumulative_incidence(d.time, d.code, event_of_interest=1)
    true = d.attrs["true_cif"]
    for t in (3.0, 12.0, 24.0):
        got = cif.cif[cif.time <= t].iloc[-1]
        assert got == pytest.approx(float(true(t)), abs=0.012)
    # and 1 - KM with deaths censored overestimates it (the chapter's point)
    km = survival.survival_at(d.time, (d.code == 1).astype(int), [24.0])
    assert 1 - km.survival.iloc[0] > float(true(24.0)) + 0.05


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(n=1), "n must be"),
        (dict(mean_progression=0), "mean_progression"),
        (dict(mean_death=float("inf")), "mean_death"),
        (dict(censor=(5, 5)), "censor"),
    ],
)
def test_competing_risks_bad_input(kw, match):
    with pytest.raises(ValueError, match=match):
        simulate.competing_risks(**kw)


# ---------------------------------------------------------------- robust SE


def _early_censored_data():
    rng = np.random.default_rng(1)
    K, m = 18, 10
    cid = np.repeat(np.arange(K), m)
    x = np.repeat(np.tile([0.0, 1.0], K // 2), m)
    w = np.repeat(rng.gamma(2, 0.5, K), m)
    t = rng.exponential(1 / w)
    c = rng.exponential(2.0, K * m)
    d = pd.DataFrame(
        {"time": np.minimum(t, c), "event": (t <= c).astype(int), "x": x, "cluster": cid}
    )
    d.loc[d.time.idxmin(), "event"] = 0  # the earliest observation is censored
    return d


def test_dropping_rows_censored_before_first_event_changes_nothing_but_the_nan():
    d = _early_censored_data()
    kept = simulate.drop_censored_before_first_event(d, "time", "event")
    assert 1 <= len(d) - len(kept) < 10 and kept.time.min() == d.loc[d.event == 1, "time"].min()
    full = survival.cox(d, "time", "event", ["x"], ties="breslow")
    part = survival.cox(kept, "time", "event", ["x"], ties="breslow")
    assert part.summary.coef.iloc[0] == pytest.approx(full.summary.coef.iloc[0], rel=1e-10)
    assert part.summary.se.iloc[0] == pytest.approx(full.summary.se.iloc[0], rel=1e-10)
    robust = survival.cox(kept, "time", "event", ["x"], ties="breslow", cluster="cluster")
    se = robust.summary.se.iloc[0]
    assert np.isfinite(se)
    # an independent implementation of the Lin-Wei sandwich (lifelines; no tied times here,
    # where lifelines agrees with R's coxph(... + cluster(id))) on the FULL data
    from lifelines import CoxPHFitter

    lf = CoxPHFitter().fit(
        d[["time", "event", "x", "cluster"]], "time", "event", cluster_col="cluster"
    )
    assert se == pytest.approx(float(lf.standard_errors_["x"]), rel=1e-6)


def test_drop_censored_bad_input():
    with pytest.raises(ValueError, match="no column"):
        simulate.drop_censored_before_first_event(pd.DataFrame({"t": [1]}), "t", "e")
    with pytest.raises(ValueError, match="no events"):
        simulate.drop_censored_before_first_event(pd.DataFrame({"t": [1], "e": [0]}), "t", "e")


@pytest.mark.change_detector
def test_robust_se_simulation_is_reproducible_and_matches_the_stored_run():
    kw = dict(simulate.PRECOMPUTED_ROBUST_SE["cluster"], n_sim=20)
    r = simulate.robust_se_simulation(**kw)
    assert r.n_sim <= 20 and not r.estimates.isna().any().any()
    stored = pd.read_csv(DATA_DIR / "replicates" / "robust_se.csv")
    stored = stored[stored.covariate == "cluster"].head(len(r.estimates))
    np.testing.assert_allclose(
        r.estimates.to_numpy(), stored[["coef", "naive_se", "robust_se"]].to_numpy(), atol=1e-7
    )


def test_stored_runs_show_the_few_cluster_bias():
    cl = simulate.load_robust_se_simulation("cluster")
    wi = simulate.load_robust_se_simulation("within")
    assert cl.n_sim >= 900 and wi.n_sim >= 900
    # cluster-level covariate, 18 clusters: the naive SE is far too small, the robust SE is
    # closer but still below the true spread, and its 95% intervals cover less than 95%
    assert cl.mean_naive_se < 0.7 * cl.empirical_sd
    assert cl.robust_to_empirical < 0.97
    assert cl.coverage_robust < 0.94
    assert "Cluster-robust SE" in repr(cl)


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(n_clusters=3), "n_clusters"),
        (dict(n_clusters=17), "even"),
        (dict(cluster_size=1), "cluster_size"),
        (dict(covariate="patient"), "covariate"),
        (dict(censoring=0.95), "censoring"),
        (dict(n_sim=5), "n_sim"),
        (dict(coef=float("nan")), "coef"),
    ],
)
def test_robust_se_simulation_bad_input(kw, match):
    with pytest.raises(ValueError, match=match):
        simulate.robust_se_simulation(**kw)


def test_summarise_and_load_bad_input():
    with pytest.raises(ValueError, match="columns"):
        simulate.summarise_robust_se(pd.DataFrame({"coef": [0.0]}), 0, 18, 10, "cluster")
    with pytest.raises(ValueError, match="covariate must be one of"):
        simulate.load_robust_se_simulation("patient")
