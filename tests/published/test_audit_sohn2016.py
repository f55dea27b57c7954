"""spinemets.analyses.sohn2016: the audit of paper B (comparison, recomputations, fits).

Outside references: scipy's paired t-test on constructed data, statsmodels' exact McNemar test
and its unpaired Newcombe interval (the paired method 10 reduces to it when phi = 0), and the
registry's own printed values (a printing and its ``same_as`` repeat must be equal).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import confint_proportions_2indep

from spinemets import audit, cohorts, published
from spinemets.analyses import sohn2016 as B

REG = published.load("sohn2016")


@pytest.fixture(scope="module")
def comp():
    return B.comparison()


def test_every_registered_number_once_with_a_label(comp):
    assert list(comp.table.index) == list(REG)  # each once, registry order
    assert set(comp.table.label) <= set(published.LABELS)


def test_recomputed_sources_are_other_printed_numbers():
    for nid, r in B.recomputed().items():
        assert r.sources, nid
        assert nid not in r.sources, f"{nid} recomputed from itself"
        assert all(s in REG for s in r.sources), (nid, r.sources)


def test_not_reproducible_have_reasons_and_are_not_reproduced():
    rec = set(B.recomputed()) | set(B.by_construction(cohorts.load("sohn2016")))
    assert not rec & set(B.NOT_REPRODUCIBLE)
    assert all(nid in REG and len(why) > 10 for nid, why in B.NOT_REPRODUCIBLE.items())


def test_headline_counts_distinct_quantities():
    h = audit.headline("sohn2016")
    assert h.quantities < h.printings <= len(REG)
    # the contradictions the chapter discusses are among the differing quantities
    differ = " ".join(h.table[h.table.category == "differs"].ids)
    for nid in ("t3_tox_rt_pct", "t2_dysphagia_rt", "d_relief_rt_pct", "gi_grade2_srs"):
        assert nid in differ


def test_same_as_printings_print_the_same_number():
    # a same_as link names the same quantity printed twice; the one contradiction of the paper
    # between two printings is dysphagia after RT (Table 3: 8, Table 2: 4)
    contradictions = {"t3_dysphagia_rt"}
    for nid, pn in REG.items():
        if pn.same_as and nid not in contradictions:
            assert REG.value(nid) == REG.value(pn.same_as), nid
    assert REG.value("t3_dysphagia_rt") == 8 and REG.value("t2_dysphagia_rt") == 4


def test_implied_correlation_recovers_the_sample_correlation():
    rng = np.random.default_rng(1)
    x = rng.normal(58, 13, 28)
    y = 0.7 * x + rng.normal(18, 9, 28)
    p = stats.ttest_rel(x, y).pvalue  # scipy's paired t
    r = B.implied_correlation(x.mean(), x.std(ddof=1), y.mean(), y.std(ddof=1), p, 28)
    assert r == pytest.approx(np.corrcoef(x, y)[0, 1], abs=1e-9)


def test_paired_t_p_from_change_matches_scipy():
    rng = np.random.default_rng(2)
    d = rng.normal(3.7, 2.7, 28)
    p = B.paired_t_p_from_change(d.mean(), d.std(ddof=1), 28)
    assert p == pytest.approx(stats.ttest_1samp(d, 0).pvalue, rel=1e-10)


def test_ecog_p_058_has_exactly_one_table():
    fits = B.mcnemar_fits(3, 28)
    for _, r in fits.iterrows():
        sm = mcnemar([[0, r.b], [r.c, 0]], exact=True).pvalue
        assert r.p_value == pytest.approx(sm, rel=1e-12)
    hit = fits[fits.p_value.round(2) == 0.58]
    assert list(zip(hit.b, hit.c)) == [(8, 5)]


def test_toxicity_004_is_printed_by_several_pairings():
    t = B.toxicity_fits()
    for _, r in t.iterrows():
        sm = mcnemar([[r.both_toxic, r.srs_only], [r.rt_only, 0]], exact=True).pvalue
        assert r.p_value == pytest.approx(sm, rel=1e-12)
    hits = t[t.p_value.round(2) == 0.04]
    assert sorted(zip(hits.srs_toxic, hits.both_toxic)) == [(8, 5), (9, 7)]
    # and the unpaired Yates test also rounds to 0.04 (scipy)
    yates = stats.chi2_contingency([[9, 19], [17, 10]], correction=True)[1]
    assert round(yates, 2) == 0.04


def test_newcombe_paired_reduces_to_the_unpaired_interval_when_phi_is_zero():
    # a*d - b*c = 0: Newcombe sets phi = 0, and method 10 is the unpaired hybrid score interval
    lo, hi = B.newcombe_paired(5, 5, 5, 5)
    ref = confint_proportions_2indep(10, 20, 10, 20, method="newcomb", compare="diff")
    assert (lo, hi) == pytest.approx(ref, abs=1e-12)
    # positive correlation narrows it
    lo2, hi2 = B.newcombe_paired(9, 1, 1, 9)
    assert hi2 - lo2 < hi - lo


def test_paired_difference_range_covers_every_pairing():
    r = B.paired_difference_range(18, 16, 28)
    assert list(r.both) == list(range(6, 17))
    assert (r.lower < 0).all() and (r.upper > 0).all()  # no pairing excludes 0


def test_newcombe_refuses_bad_input():
    with pytest.raises(ValueError, match="level"):
        B.newcombe_paired(1, 2, 3, 4, level=1.5)
    with pytest.raises(ValueError, match="successes1"):
        B.paired_difference_range(30, 16, 28)


def test_replicates_keep_the_schedules():
    # moved from the chapter: the nBED means are the same in every replicate
    reps = cohorts.load_replicates("sohn2016")
    assert reps.nbed_srs_mean.nunique() == 1 and reps.nbed_rt_mean.nunique() == 1


def test_nbed_p_bound():
    r = B.recomputed()["t1_nbed_p"]
    assert r.value < 1e-4  # no within-pair correlation gives p = 0.0001


def test_stratified_logrank_on_pairs_is_mcnemar_on_first_failures():
    # closed form: in strata of two without tied times the stratified log-rank chi-square is
    # (a - b)^2 / (a + b) over the informative pairs, McNemar without continuity correction
    from spinemets import survival

    pairs = B.paired_frame(B.pair_rt_group(cohorts.load("sohn2016")))
    for endpoint, (t, e) in {
        "os": ("os_months", "death"),
        "pfs": ("pfs_months", "local_progression"),
    }.items():
        assert (pairs[f"{t}_srs"] != pairs[f"{t}_rt"]).all()  # no ties within a pair
        f = B.first_failures(pairs, endpoint)
        a, b = f.srs_first, f.rt_first
        ref = mcnemar([[0, a], [b, 0]], exact=False, correction=False).pvalue
        tt = np.r_[pairs[f"{t}_srs"], pairs[f"{t}_rt"]]
        ee = np.r_[pairs[f"{e}_srs"], pairs[f"{e}_rt"]]
        g = np.r_[["SRS"] * len(pairs), ["RT"] * len(pairs)]
        s = np.r_[pairs.index, pairs.index]
        assert survival.stratified_logrank(tt, ee, g, s).p_value == pytest.approx(ref, rel=1e-9)
    with pytest.raises(ValueError, match="endpoint"):
        B.first_failures(pairs, "lc")


def test_survival_tests_match_statsmodels_stratified_survdiff():
    # chapter 11: statsmodels' survdiff with strata=pair is the standard Python call
    from statsmodels.duration.survfunc import survdiff

    pairs = B.paired_frame(B.pair_rt_group(cohorts.load("sohn2016")))
    ours = B.survival_tests(pairs)
    k = len(pairs)
    for row, (t, e) in enumerate([("os_months", "death"), ("pfs_months", "local_progression")]):
        tt = np.r_[pairs[f"{t}_srs"], pairs[f"{t}_rt"]]
        ee = np.r_[pairs[f"{e}_srs"], pairs[f"{e}_rt"]]
        g = np.r_[np.ones(k), np.zeros(k)]
        _, p_sm = survdiff(tt, ee, g, strata=np.r_[np.arange(k), np.arange(k)])
        assert ours.iloc[row]["p stratified by pair"] == pytest.approx(p_sm, rel=1e-9)


def test_12_month_local_control_miss_is_the_actuarial_estimator():
    # the replicate miss of SRS local control at 12 months (median about 31% against 25%
    # printed; tests/cohorts/test_replicate_calibration.py) comes from the estimator: the
    # cohort's Kaplan-Meier (lifelines, independent of spinemets) is centred on 25%, the
    # paper's actuarial life table on the same patients runs higher
    from lifelines import KaplanMeierFitter

    km, act = [], []
    for k in range(40):
        d = cohorts.replicate("sohn2016", k)
        srs = d[d.rt_group == "SRS"]
        t, e = srs.pfs_months.to_numpy(float), srs.local_progression.to_numpy(int)
        km.append(KaplanMeierFitter().fit(t, e).survival_function_at_times(12).iloc[0])
        act.append(B.life_table(t, e, [0, *B.LC_TIMES]).survival_end.iloc[-1])
    assert abs(100 * np.median(km) - 25) < 3
    assert 100 * (np.median(act) - np.median(km)) > 3
