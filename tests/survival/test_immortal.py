"""Landmark analysis and the guarantee-time null simulation (spinemets.immortal).

Reference numbers: R's ``lung`` data (shipped in lifelines.datasets as ``load_lung``) with
R survival's ``summary(survfit(Surv(time, status) ~ 1, data = lung), times = 365.25)``, which
prints (as reproduced in E. C. Zabor's "Survival analysis in R" tutorial and its copies)::

     time n.risk n.event survival std.err lower 95% CI upper 95% CI
      365     65     121    0.409  0.0358        0.345        0.486

So a landmark at 365.25 days keeps n.risk = 65 patients; 121 died before it; lung has 228
patients and 165 deaths, so 228 - 65 - 121 = 42 were censored before it and 165 - 121 = 44
deaths remain after it.
"""

import numpy as np
import pandas as pd
import pytest
from lifelines.datasets import load_lung

from spinemets import immortal, survival


@pytest.fixture(scope="module")
def lung():
    d = load_lung()  # lifelines codes R's status 1/2 as 0/1 (1 = dead)
    assert set(d.status.unique()) == {0, 1}
    return d.assign(death=d.status.astype(int))


def test_landmark_counts_match_r_n_risk_on_lung(lung):
    assert len(lung) == 228 and lung.death.sum() == 165
    r = immortal.landmark(lung, "time", "death", 365.25)
    assert (r.n_total, r.n_kept, r.n_died_before, r.n_censored_before) == (228, 65, 121, 42)
    assert r.data.death.sum() == 44
    assert (r.data.time >= 0).all() and r.data.index.isin(lung.index).all()


def test_landmark_survival_is_conditional_survival(lung):
    # KM identity: S(L + u | alive at L) = S(L + u) / S(L); R prints S(365.25) = 0.409
    L = 365.25
    full = survival.survival_at(lung.time, lung.death, [L, L + 180, L + 365])
    assert full.survival.iloc[0] == pytest.approx(0.409, abs=5e-4)
    r = immortal.landmark(lung, "time", "death", L)
    cond = survival.survival_at(r.data.time, r.data.death, [180, 365])
    expect = full.survival.to_numpy()[1:] / full.survival.iloc[0]
    np.testing.assert_allclose(cond.survival.to_numpy(), expect, rtol=1e-12)


def test_landmark_classifies_exposure_as_known_at_the_landmark():
    d = pd.DataFrame(
        {"t": [1.0, 3.0, 5.0, 8.0, 2.0], "e": [1, 0, 1, 1, 1], "x": [np.nan, 0.5, 2.5, 0.5, 2.0]},
        index=list("abcde"),
    )
    r = immortal.landmark(d, "t", "e", 2.0, exposure_time="x")
    assert list(r.data.index) == ["b", "c", "d", "e"]  # t >= 2 (R's n.risk)
    assert r.data.t.tolist() == [1.0, 3.0, 6.0, 0.0]
    assert r.data.exposed.tolist() == [1, 0, 1, 1]  # c is exposed only after L
    assert (r.n_died_before, r.n_censored_before, r.n_exposed) == (1, 0, 3)
    assert "Landmark analysis" in repr(r)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"landmark_time": -1.0}, "landmark_time must be >= 0"),
        ({"landmark_time": float("nan")}, "landmark_time must be finite"),
        ({"landmark_time": 99.0}, "time must be at most the longest follow-up"),
        ({"landmark_time": 1.0, "exposure_time": "nope"}, r"no column\(s\) \['nope'\]"),
        ({"landmark_time": 1.0, "exposure_time": "late"}, "must not exceed t"),
        ({"landmark_time": 1.0, "exposure_time": "neg"}, "neg must be >= 0"),
    ],
)
def test_landmark_rejects_bad_input(kwargs, match):
    d = pd.DataFrame({"t": [1.0, 3.0], "e": [1, 0], "late": [2.0, 1.0], "neg": [-1.0, 1.0]})
    with pytest.raises(ValueError, match=match):
        immortal.landmark(d, "t", "e", **kwargs)


def test_landmark_rejects_bad_durations_and_events():
    with pytest.raises(ValueError, match="e must be 0"):
        immortal.landmark(pd.DataFrame({"t": [1.0, 2.0], "e": [1, 2]}), "t", "e", 0.5)
    with pytest.raises(ValueError, match="t must be >= 0"):
        immortal.landmark(pd.DataFrame({"t": [-1.0, 2.0], "e": [1, 0]}), "t", "e", 0.5)
    with pytest.raises(ValueError, match="data must be a pandas DataFrame"):
        immortal.landmark({"t": [1.0]}, "t", "e", 0.5)


def _exponential_cohort(n=300, seed=1):
    rng = np.random.default_rng(seed)
    return rng.exponential(6.0, n), np.ones(n, dtype=int)


def test_null_simulation_without_guarantee_time_is_unbiased():
    t, e = _exponential_cohort()
    sim = immortal.guarantee_time_simulation(
        t, e, np.zeros_like(t), 0.3, landmark_time=0.0, n_sim=200, seed=2
    )
    assert sim.n_gone_before_assessment == 0
    assert sim.median_hr_naive == pytest.approx(1.0, abs=0.05)
    assert sim.false_positive_naive < 0.10


def test_null_simulation_shows_the_bias_and_the_landmark_removes_it():
    t, e = _exponential_cohort()
    a = np.full_like(t, 2.0)  # assessed at 2 months: early deaths never exposed
    sim = immortal.guarantee_time_simulation(t, e, a, 0.3, landmark_time=2.0, n_sim=200, seed=3)
    assert sim.n_gone_before_assessment == int((t < 2.0).sum())
    assert sim.median_hr_naive < 0.8  # a spurious "protective" exposure
    assert sim.false_positive_naive > 0.5
    assert sim.median_hr_landmark == pytest.approx(1.0, abs=0.08)
    assert sim.false_positive_landmark < 0.12
    at_risk = int((t >= 2.0).sum())
    assert 0 < sim.median_exposed_landmark < at_risk
    assert (sim.replicates.n_exposed_landmark <= sim.replicates.n_exposed).all()
    again = immortal.guarantee_time_simulation(t, e, a, 0.3, landmark_time=2.0, n_sim=200, seed=3)
    pd.testing.assert_frame_equal(sim.replicates, again.replicates)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"p_exposed": 1.0}, "p_exposed must be in"),
        ({"p_exposed": 0.0}, "p_exposed must be in"),
        ({"landmark_time": -2.0}, "landmark_time must be >= 0"),
        ({"landmark_time": 1e6}, "landmark_time must leave at least 2 patients"),
        ({"n_sim": 0}, "n_sim must be a positive integer"),
        ({"seed": 1.5}, "seed must be an integer or None"),
        ({"assessment_times": [1.0, 2.0]}, "same length"),
    ],
)
def test_null_simulation_rejects_bad_input(kwargs, match):
    t, e = _exponential_cohort(20)
    args = {
        "durations": t,
        "events": e,
        "assessment_times": np.ones(20),
        "p_exposed": 0.3,
        "landmark_time": 1.0,
        "n_sim": 5,
        "seed": 0,
    } | kwargs
    with pytest.raises(ValueError, match=match):
        immortal.guarantee_time_simulation(**args)


def test_results_print_readably():
    t, e = _exponential_cohort(50)
    sim = immortal.guarantee_time_simulation(
        t, e, np.ones(50), 0.3, landmark_time=1.0, n_sim=20, seed=0
    )
    text = repr(sim)
    assert "DataFrame, 20 rows x 6 columns" in text and len(text.splitlines()) < 20
    r = immortal.landmark(pd.DataFrame({"t": t, "e": e}), "t", "e", 1.0)
    assert f"DataFrame, {r.n_kept} rows x 2 columns" in repr(r)


def test_null_simulation_refuses_series_paired_by_position():
    t, e = _exponential_cohort(40)
    ts = pd.Series(t, index=range(40))
    a = pd.Series(np.full(40, 0.2), index=range(40, 80))
    with pytest.raises(ValueError, match="different index labels"):
        immortal.guarantee_time_simulation(ts, e, a, 0.3, landmark_time=0.5, n_sim=2)
    ok = immortal.guarantee_time_simulation(
        ts, e, a.set_axis(ts.index), 0.3, landmark_time=0.5, n_sim=5
    )
    assert ok.n_sim == 5


def test_null_simulation_refuses_to_return_only_nans():
    t, e = _exponential_cohort(20)
    late = np.full(20, 1e3)  # everybody dies before assessment: nobody exposed
    with pytest.raises(ValueError, match="no replicate had both exposed and unexposed"):
        immortal.guarantee_time_simulation(t, e, late, 0.5, landmark_time=0.1, n_sim=3)
