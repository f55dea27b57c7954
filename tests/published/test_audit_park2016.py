"""The audit of paper D (spinemets.analyses.park2016.comparison) and the chapter's claims.

Every assert that used to live in a cell of chapter 13 is here, each against an outside
reference: arithmetic by hand (BED, percentages), a brute-force grid over the rounding of the
printed numbers (scipy's normal distribution), lifelines and statsmodels for the survival
models, and a re-implementation of the power simulation with lifelines' log-rank test.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from spinemets import audit, cohorts, published
from spinemets.analyses import park2016 as pk
from spinemets.analyses.park2016.audit import _emergent


@pytest.fixture(scope="module")
def comp():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pk.comparison()


@pytest.fixture(scope="module")
def cohort():
    return pk.prepare(cohorts.load("park2016"))


@pytest.fixture(scope="module")
def D():
    return published.load("park2016")


# --- the contract --------------------------------------------------------------------------


def test_every_registered_number_once(comp, D):
    assert list(comp.table.index) == list(D)
    assert not comp.table.index.duplicated().any()


def test_not_reproducible_carry_their_reason(comp):
    t = comp.table.loc[list(pk.NOT_REPRODUCIBLE)]
    assert (t.verdict == "not reproducible").all()
    assert (t.note == pd.Series(pk.NOT_REPRODUCIBLE)).all()


def test_sources_name_other_numbers_or_an_analysis_step(comp, D):
    rec = pk.recomputed()
    for nid, r in rec.items():
        assert r.sources, nid
        assert nid not in r.sources, f"{nid} recomputed from itself"
        assert set(r.sources) <= set(D), nid
    emergent = comp.table[
        (comp.table.label == "emergent") & (comp.table.verdict != "not reproducible")
    ]
    assert len(emergent) > 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reps = _emergent(cohorts.load("park2016"), set(rec) | set(pk.NOT_REPRODUCIBLE))
    for nid in emergent.index:
        (step,) = reps[nid].sources
        assert callable(getattr(pk, step)), (nid, step)


def test_headline_is_the_comparison_summary(comp):
    h = audit.headline("park2016")
    assert h.text == published.summary(comp).text
    assert h.printings + h.targets_met + h.targets_missed == len(comp.table)


# --- recomputed numbers, against arithmetic by hand -----------------------------------------


def test_sbrt_median_bed_is_64_not_62_9(comp):
    # Methods 2: 24 Gy/3 fx x3, 40/5 x1, 48/4 x1, 18/1 x3; BED = D (1 + d / 7)
    beds = [24 * (1 + 8 / 7)] * 3 + [40 * (1 + 8 / 7)] + [48 * (1 + 12 / 7)] + [18 * 25 / 7] * 3
    by_hand = (sorted(beds)[3] + sorted(beds)[4]) / 2
    assert by_hand == pytest.approx(64.2857, abs=1e-4)
    row = comp.table.loc["sbrt_bed_median"]
    assert row.reproduced == pytest.approx(by_hand)
    assert row.verdict.startswith("differs")
    assert comp.table.loc["sbrt_bed_max", "reproduced"] == pytest.approx(48 * (1 + 12 / 7))
    assert comp.table.loc["bed_cutoff", "verdict"].startswith("agrees")


def test_location_percentages_are_of_36_not_28(comp, D):
    counts = [D.value(f"t1_loc_{r}_n") for r in ("cervical", "thoracic", "lumbar", "sacral")]
    assert sum(counts) == 36
    printed = [D.value(f"t1_loc_{r}_pct") for r in ("cervical", "thoracic", "lumbar", "sacral")]
    assert np.allclose(printed, [round(100 * c / 36, 1) for c in counts], atol=0.051)
    for r in ("cervical", "thoracic", "lumbar", "sacral"):
        assert comp.table.loc[f"t1_loc_{r}_pct", "verdict"].startswith("differs")


def test_the_slips_found_by_hand(comp):
    t = comp.table
    # 13 concurrent patients in Results 1 against 11 in Table 1 and Methods 3
    assert t.loc["r1_concurrent_patients_n", "verdict"].startswith("differs")
    assert t.loc["r1_concurrent_patients_pct", "reproduced"] == pytest.approx(100 * 13 / 24)
    # 4/24 = 16.67 printed 16.6; 9/13 = 69.23 printed 69.3; 4/13 = 30.77 printed 30.7
    assert t.loc["r4_tox_g1_pct", "reproduced"] == pytest.approx(16.6667, abs=1e-4)
    for nid in ("r4_tox_g1_pct", "t3_systemic_c_pct", "t3_none_c_pct"):
        assert t.loc[nid, "verdict"].startswith("differs")
    # Methods: 5-12 fractions; Results: 5-21
    assert t.loc["non_sbrt_fx_max_results", "verdict"].startswith("differs")
    assert t.loc["m3_targeted_any_n", "reproduced"] == 6 + 5 + 11


def _p_range_brute_force(e, lo, hi, half=0.005, n=401):
    """p over every (HR, upper) that rounds to the printed ones, keeping only those whose Wald
    lower limit HR^2 / U also rounds to the printed lower limit (scipy normal)."""
    ee, uu = np.meshgrid(np.linspace(e - half, e + half, n), np.linspace(hi - half, hi + half, n))
    ok = np.abs(ee**2 / uu - lo) <= half
    assert ok.any()
    p = 2 * stats.norm.sf(np.abs(np.log(ee)) / (np.log(uu / ee) / stats.norm.ppf(0.975)))
    return p[ok].min(), p[ok].max()


@pytest.mark.parametrize(
    "row,printed,inside",
    [
        ("mva_target", (0.13, 0.01, 1.16, 0.068), True),
        ("uva_target", (0.12, 0.02, 0.98, 0.048), True),
        ("mva_pain", (0.19, 0.04, 0.92, 0.039), True),
        ("uva_sins", (0.86, 0.21, 3.62, 0.837), False),
    ],
)
def test_table2_p_against_a_brute_force_grid(comp, row, printed, inside):
    e, lo, hi, p = printed
    p_min, p_max = _p_range_brute_force(e, lo, hi)
    assert (p_min - 0.0005 <= p <= p_max + 0.0005) == inside
    assert comp.table.loc[f"t2_{row}_p", "verdict"].startswith("agrees" if inside else "differs")
    # the naive reading (printed HR with a one-digit lower limit taken as exact) is far off
    if row == "mva_target":
        se = np.log(hi / lo) / (2 * 1.96)
        assert 2 * stats.norm.sf(abs(np.log(e)) / se) == pytest.approx(0.09, abs=0.005)


# --- the chapter's claims, against lifelines / statsmodels ---------------------------------


def test_gray_significant_where_logrank_is_not(cohort):
    from lifelines.statistics import logrank_test

    g = pk.gray(cohort)
    conc = cohort.concurrent.astype(str) == "yes"
    lr = logrank_test(
        cohort.lp_months[conc],
        cohort.lp_months[~conc],
        cohort.local_progression[conc],
        cohort.local_progression[~conc],
    )
    assert pk.logrank_tests(cohort)["lpfr"].p_value == pytest.approx(lr.p_value, rel=1e-6)
    assert g.p_value < 0.05 <= lr.p_value


def test_cohort_logrank_p_inside_the_replicate_band(cohort):
    lr = pk.replicate_logrank()
    lo, hi = lr.quantile([0.025, 0.975])
    assert lo <= pk.logrank_tests(cohort)["lpfr"].p_value <= hi
    assert lo <= 0.019 <= hi


def test_power_simulation_against_lifelines():
    from lifelines.statistics import logrank_test

    ours = pk.power_simulation(0.12, n_sim=300, seed=7)
    rng = np.random.default_rng(7)
    arm = np.r_[np.zeros(15, int), np.ones(13, int)]
    h_lp = -np.log(0.513) / 12 * np.where(arm == 1, 0.12, 1.0)
    h_death = -np.log(np.where(arm == 1, 0.462, 0.722)) / 12
    p = []
    for _ in range(300):
        t_lp, t_death = rng.exponential(1 / h_lp), rng.exponential(1 / h_death)
        t = np.minimum.reduce([t_lp, t_death, rng.uniform(2, 58, arm.size)])
        e = (t_lp == t).astype(int)
        if not e.any():
            p.append(1.0)
            continue
        r = logrank_test(t[arm == 0], t[arm == 1], e[arm == 0], e[arm == 1])
        p.append(r.p_value)
    assert ours["power (log-rank p < 0.05)"] == pytest.approx(np.mean(np.array(p) < 0.05))


def test_published_hr_power_misses_about_one_time_in_three():
    power = pk.power_simulation(0.12)["power (log-rank p < 0.05)"]
    assert 0.6 <= power <= 0.72


def test_reverse_km_follow_up_about_twice_the_observed_median(cohort):
    from lifelines import KaplanMeierFitter

    fu = pk.followup(cohort)
    km = KaplanMeierFitter().fit(cohort.os_months, 1 - cohort.death)
    assert fu["reverse_km"] == pytest.approx(km.median_survival_time_)
    assert fu["observed"] == pytest.approx(np.median(cohort.os_months))
    assert 2 <= fu["reverse_km"] / fu["observed"] < 2.5


def test_firth_closer_to_one_than_breslow_cox(cohort):
    from statsmodels.duration.hazard_regression import PHReg

    cols = ["concurrent", "cord_compression", "pain_response"]
    X = np.column_stack([(cohort[c].astype(str) == "yes").to_numpy(float) for c in cols])
    ordinary = PHReg(
        cohort.lp_months.to_numpy(float),
        X,
        status=cohort.local_progression.to_numpy(),
        ties="breslow",
    ).fit()
    firth = pk.firth(cohort).summary.coef.to_numpy()
    assert (np.abs(firth) < np.abs(ordinary.params)).all()


def test_few_cluster_correction_closed_form(cohort):
    # the robust SE itself equals R's coxph(..., cluster=) (tests/survival/test_cox.py); the
    # correction is SE x sqrt(G / (G - 1)) with a t(G - 1) reference (Cameron & Miller 2015)
    m = pk.multivariable_table(cohort)
    beta, se = np.log(m.loc["pain", "hr"]), m.loc["pain", "se"]
    g = cohort.patient_id.nunique()
    cc = pk.cluster_correction(cohort, "pain")
    assert cc["clusters"] == g == 24
    assert cc["p, robust SE"] == pytest.approx(2 * stats.norm.sf(abs(beta) / se), rel=1e-6)
    corrected = 2 * stats.t.sf(abs(beta) / (se * np.sqrt(g / (g - 1))), g - 1)
    assert cc["p, robust SE, few-cluster correction"] == pytest.approx(corrected, rel=1e-9)
    assert cc["p, robust SE"] < cc["p, robust SE, few-cluster correction"]


def test_landmark_keeps_lesions_followed_past_one_month(cohort):
    t = pk.landmark(cohort, landmark_time=1.0)
    kept = cohort.lp_months >= 1.0
    assert (t.lesions == kept.sum()).all()
    assert (t.events == cohort.local_progression[kept].sum()).all()


def test_separated_replicates_have_no_concurrent_progression_and_why():
    s = pk.separated_replicates()
    assert s["replicates"] == 200 and 0 < s["separated"] < 200
    # the paper's 90% 1-year LPFR in 13 concurrent lesions: about one progression expected
    # by one year, so an arm with none is common (Poisson(1.3) gives 0 with probability 0.27)
    assert stats.poisson.pmf(0, 13 * (1 - 0.90)) == pytest.approx(0.27, abs=0.01)


def test_table2_shows_the_printed_numbers(cohort, D):
    t = pk.table2(cohort)
    assert t.loc["MVA Target therapy", "paper HR (CI)"] == "0.13 (0.01-1.16)"
    assert t.loc["UVA Pain response", "paper p"] == D["t2_uva_pain_p"].text
    assert len(t) == len(pk.TABLE2) + len(pk.MVA)


def test_compact_table2_against_the_paper_and_lifelines(cohort):
    from lifelines import CoxPHFitter

    from spinemets import survival as sv

    t = pk.table2(cohort, compact=True)
    # the paper's Table 2, MVA row "Target therapy 0.13 0.01-1.16 0.068", as one string
    assert t.loc["MVA Target therapy", "paper"] == "0.13 (0.01-1.16), p = 0.068"
    # the cohort's univariate concurrent-therapy model, naive CI: lifelines (Efron ties)
    d = cohort[["lp_months", "local_progression"]].assign(
        concurrent=(cohort.concurrent == "yes").astype(int)
    )
    ref = CoxPHFitter().fit(d, "lp_months", "local_progression").summary.iloc[0]
    want = (
        f"{ref['exp(coef)']:.2f} ({ref['exp(coef) lower 95%']:.2f}-"
        f"{ref['exp(coef) upper 95%']:.2f}), p = {ref['p']:.3f}"
    )
    assert t.loc["UVA Target therapy", "cohort, naive CI"] == want
    fit = sv.cox(cohort, "lp_months", "local_progression", ["concurrent"])
    assert pk.hr_text(fit.summary).iloc[0] == want
    assert list(t.index) == list(pk.table2(cohort).index)
    with pytest.raises(ValueError, match="summary"):
        pk.hr_text(pd.DataFrame({"hr": [1.0]}))


def test_bad_input_names_the_argument(cohort):
    with pytest.raises(ValueError, match="hr"):
        pk.power_simulation(-1)
    with pytest.raises(ValueError, match="n_sim"):
        pk.power_simulation(0.5, n_sim=0)
    with pytest.raises(ValueError, match="landmark_time"):
        pk.landmark(cohort, landmark_time=0)
    with pytest.raises(ValueError, match="key"):
        pk.cluster_correction(cohort, "ecog")
