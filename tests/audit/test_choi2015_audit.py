"""Paper A's audit (``analyses.choi2015.comparison``): the asserts that chapter 30 held.

Oracles from outside the code: scipy's chi-square and Fisher tests on Table 2's printed counts,
the closed forms of Altman & Bland (2011) for a ratio and its CI, Holm's rule from statsmodels,
and the arithmetic of the registry's own printed numbers.
"""

from __future__ import annotations

import math

import pytest
from scipy import stats

from spinemets import published
from spinemets.analyses import choi2015

A = published.load("choi2015")


@pytest.fixture(scope="module")
def comp():
    return choi2015.comparison()


@pytest.fixture(scope="module")
def table(comp):
    t = comp.table
    return t.assign(v=t.verdict.str.split(" ").str[0])


def test_every_registered_number_once(comp):
    assert sorted(comp.table.index) == sorted(A)
    assert not comp.table.index.duplicated().any()


def test_recomputed_numbers_name_other_printed_numbers(comp):
    t = comp.table[comp.table.label == "recomputed"]
    for nid, src in t.sources.items():
        ids = [s for s in src.split(", ") if s]
        assert ids, nid
        assert nid not in ids, f"{nid} recomputed from itself"
        assert all(i in A for i in ids), (nid, ids)


def test_not_reproducible_has_reasons(comp):
    t = comp.table.loc[list(choi2015.NOT_REPRODUCIBLE)]
    assert t.verdict.str.startswith("not reproducible").all()
    assert all(len(r) > 10 for r in choi2015.NOT_REPRODUCIBLE.values())


@pytest.mark.parametrize("nid", list(choi2015.table2_p_values().index))
def test_table2_p_values_against_scipy(nid):
    """Each reproduced Table 2 p is scipy's test of the printed counts (Pearson or 2x2 Fisher)."""
    r = choi2015.table2_p_values().loc[nid]
    var, outcome = nid[3:].rsplit("_p_", 1)
    tab = choi2015.t2_table(A, var, outcome)
    pearson = stats.chi2_contingency(tab, correction=False).pvalue
    assert r.pearson == pytest.approx(pearson, rel=1e-9)
    if tab.shape == (2, 2):
        assert r.fisher == pytest.approx(stats.fisher_exact(tab).pvalue, rel=1e-9)
        yates = stats.chi2_contingency(tab, correction=True).pvalue
        assert r.yates == pytest.approx(yates, rel=1e-9)


def test_table2_contradictions(table):
    """Four printed Table 2 p-values that no test of the printed counts reproduces."""
    t2 = choi2015.table2_p_values()
    none = set(t2.index[t2.matches == "none"])
    assert none == {"t2_multiple_p_resp", "t2_multiple_p_cr", "t2_mass_p_resp", "t2_cord_p_resp"}
    # cord compression: 4/25 vs 1/167 non-responders; scipy's Fisher p is far below 0.304
    tab = choi2015.t2_table(A, "cord", "resp")
    assert tab[:, 1].tolist() == [4, 1] and tab.sum(axis=1).tolist() == [25, 167]
    assert stats.fisher_exact(tab).pvalue < 0.01
    assert (table.loc[list(none), "v"] == "differs").all()


def test_partial_response_contradiction(table):
    """The abstract's PR 151 is 192 - 41; Table 2 gives 187 - 41 = 146."""
    assert A.value("abs_pr_n") == 192 - A.value("abs_cr_n")
    assert table.loc["abs_pr_n", "reproduced"] == 187 - 41
    assert table.loc[["abs_pr_n", "abs_pr_pct", "txt_pr_pct"], "v"].eq("differs").all()


def test_child_pugh_row_against_closed_forms(table):
    """exp(0.259) = 1.296, not 1.165; sqrt(L*U) and the implied p (Altman & Bland 2011)."""
    hr, lo, hi, coef = (A.value(f"t4_cp_{f}") for f in ("hr", "hr_lo", "hr_hi", "coef"))
    assert abs(math.exp(coef) - hr) > 0.1
    assert table.loc["t4_cp_hr", "reproduced"] == pytest.approx(math.sqrt(lo * hi), abs=1e-12)
    se = (math.log(hi) - math.log(lo)) / (2 * stats.norm.ppf(0.975))
    p = 2 * stats.norm.sf(abs(math.log(hr)) / se)  # the printed HR with the printed CI
    assert table.loc["t4_cp_p_cox", "reproduced"] == pytest.approx(p, abs=0.01)
    assert table.loc[["t4_cp_hr", "t4_cp_coef", "t4_cp_p_cox"], "v"].eq("differs").all()


def test_table3_bed_gt53_p_cannot_be_below_0001(table):
    lo, hi = A.value("t3_bed_gt53_or_lo"), A.value("t3_bed_gt53_or_hi")
    lo, hi = min(lo, hi), max(lo, hi)
    se = (math.log(hi) - math.log(lo)) / (2 * 1.959964)
    p = 2 * stats.norm.sf(abs(math.log(A.value("t3_bed_gt53_or"))) / se)
    assert 0.002 < p < 0.004
    assert table.loc["t3_bed_gt53_p", "v"] == "differs"


@pytest.mark.parametrize("key", list(choi2015.T3_ROWS))
def test_table3_prints_the_upper_limit_first(table, key):
    """Table 3 prints each CI upper limit first ("1.516–0.114"). Closed form (Altman & Bland
    2011): the printed OR is the geometric mean of the limits, so they were only transposed; the
    audit's note for the OR says so."""
    first, second = (A[f"t3_{key}_or_{f}"] for f in ("hi", "lo"))
    assert "printed first" in first.source["column"]
    assert "printed second" in second.source["column"]
    assert first.value > A.value(f"t3_{key}_or") > second.value
    assert math.sqrt(first.value * second.value) == pytest.approx(
        A.value(f"t3_{key}_or"), abs=0.0015
    )
    note = table.loc[f"t3_{key}_or", "note"]
    assert "upper limit first" in note and f"{first.text}–{second.text}" in note


def test_recomputed_misses_by_kind(table):
    """Every recomputed miss is one of the kinds the audit names, or a 0.1 rounding slip."""
    kinds = {
        "abs_pr_n", "abs_pr_pct", "txt_pr_pct",
        "t2_multiple_p_resp", "t2_multiple_p_cr", "t2_mass_p_resp", "t2_cord_p_resp",
        "t2_treatment_rt_resp_pct", "t2_treatment_rt_nonresp_pct",
        "t4_cp_hr", "t4_cp_coef", "t4_cp_p_cox", "t3_bed_gt53_p", "txt_solitary_pct",
    }  # fmt: skip
    miss = table[(table.v == "differs") & (table.label == "recomputed")]
    assert kinds <= set(miss.index)
    slips = miss.drop(index=list(kinds))
    assert slips.index.str.endswith("_pct").all()
    assert (slips.difference.abs() < 0.11).all()


def test_emergent_misses_are_medians_ses_or_group_sizes(table):
    miss = table[(table.v == "differs") & (table.label == "emergent")]
    for nid in miss.index:
        assert nid.endswith(("_median", "_se")) or nid.startswith("fig1_group_"), nid


def test_risk_groups_against_table1_margins():
    """Summed over patients, the risk factors are fixed by Table 1's margins (203), but the
    printed group sizes (103/71/16/2) account for 109: arithmetic on printed numbers."""
    margins = sum(
        A.value(i)
        for i in (
            "t1_ecog_3_n",
            "t1_ecog_4_n",
            "t1_primary_uncontrolled_n",
            "t1_extrahepatic_yes_n",
        )
    )
    groups = sum(k * A.value(f"fig1_group_{g}_n") for k, g in enumerate("abcd"))
    assert (margins, groups) == (203, 109)


def test_holm_on_printed_pairwise_p():
    from statsmodels.stats.multitest import multipletests

    ids = [f"fig1_p_{a}{b}" for a, b in ("ab", "ac", "ad", "bc", "bd", "cd")]
    holm = multipletests([A.value(i) for i in ids], method="holm")[1]
    assert holm[0] > 0.05  # A vs B (0.040) does not survive six tests


def test_steps_are_the_analysis_numbers():
    """The analysis steps agree with the library calls they wrap (chapter 30's asserts)."""
    from spinemets import cohorts, survival

    cohort = cohorts.load("choi2015")
    d = choi2015.prepare(cohort)
    ours = choi2015.analyse(cohort)
    spss = survival.median_survival(d.os_months, d.death, ci="spss")
    assert ours["txt_os_median_lo"] == pytest.approx(spss.lower)
    fit, _ = choi2015.table4_cox(d)
    for cov, key in choi2015.COX_KEYS.items():
        assert ours[f"t4_{key}_hr_lo"] == pytest.approx(fit.summary.loc[cov].hr_lower)
    pairs = survival.pairwise_logrank(d.os_months, d.death, d.risk_group)
    for _, r in pairs.iterrows():
        p = ours[f"fig1_p_{r.group1.lower()}{r.group2.lower()}"]
        assert p == pytest.approx(r.p_value)
    reps = cohorts.load_replicates("choi2015")
    for key in choi2015.T3_ROWS:  # every replicate rebuilds Table 2: one model for all
        assert reps[f"t3_{key}_or"].nunique(dropna=False) == 1


@pytest.mark.change_detector
def test_counts_pinned(comp):
    """The audit's counts. Chapter 30 before the move, and the library right after it: 434
    printings of 392 quantities (233 agree, 69 informative, 11 uninformative, 32 differ, 31
    p-values, 16 not reproducible); then 71 same_as links of the registry review joined
    reprintings of one quantity (the text repeating a table, Table 2 repeating Table 1)."""
    s = published.summary(comp)
    assert (s.printings, s.quantities, s.agrees, s.informative, s.uninformative) == (
        434, 323, 174, 69, 11,
    )  # fmt: skip
    assert (s.differs, s.p_values, s.not_reproducible) == (30, 24, 15)
    assert (s.targets_met, s.targets_missed) == (141, 1)


def test_cross_table_contradictions():
    """The arithmetic of choi2015.contradictions(), recomputed from the printed numbers."""
    items = {c["where"]: c["arithmetic"] for c in choi2015.contradictions()}
    assert "= 203" in items["Fig. 1 risk groups vs Table 1"]
    assert "= 109" in items["Fig. 1 risk groups vs Table 1"]
    # BED: weights 38/132/22 of 192; S(12) = 0.181; the >53 group (median 15.2) half alive
    w2, w3 = 132 / 192, 22 / 192
    s2 = (0.181 - 0.5 * w3) / w2
    assert f"= {s2:.3f}" in items["Table 4 BED groups vs 1-year OS"]
    jump = (math.log(0.5 / s2) / (12 - 9.7)) / (math.log(2) / 9.7)
    assert f"{jump:.1f} times" in items["Table 4 BED groups vs 1-year OS"]
    assert A.value("t4_afp_le200_n") > 192 / 2 > 0 and A.value("t1_afp_median") > 200


def test_report_lists_the_cross_table_contradictions():
    from spinemets import audit

    c = audit.report("choi2015").contradictions
    assert {"Fig. 1 risk groups vs Table 1", "Table 4 BED groups vs 1-year OS"} <= set(c["where"])


@pytest.fixture(scope="module")
def cutoff_search():
    from spinemets import cohorts

    d = choi2015.prepare(cohorts.load("choi2015"))
    return d, choi2015.bed_cutoffs(d, n_resamples=40, seed=38)


def test_bed_cutoffs_lr_against_statsmodels(cutoff_search):
    """The best pair's LR statistic is statsmodels' PHReg (Breslow ties) with two group
    indicators, and the naive p is scipy's chi-square with 2 df."""
    import numpy as np
    from statsmodels.duration.hazard_regression import PHReg

    d, r = cutoff_search
    bed = d.bed10.to_numpy(float)
    x = np.column_stack(
        [(bed > r.lower_cutoff) & (bed <= r.upper_cutoff), bed > r.upper_cutoff]
    ).astype(float)
    model = PHReg(d.os_months.to_numpy(float), x, status=d.death.to_numpy(int), ties="breslow")
    fit = model.fit()
    lr = 2 * (fit.llf - model.loglike(np.zeros(2)))
    assert r.lr_statistic == pytest.approx(lr, rel=1e-5)
    assert r.naive_p_value == pytest.approx(stats.chi2.sf(lr, 2), rel=1e-4)


def test_bed_cutoffs_permutation_by_brute_force(cutoff_search):
    """The permutation p is (1 + b) / (1 + m) over the same shuffles redone by hand (Phipson &
    Smyth 2010); shuffled searches look "significant" more often than 5% (the search's cost)."""
    import numpy as np

    from spinemets import compare

    d, r = cutoff_search
    bed = d.bed10.to_numpy(float)
    t, e = d.os_months.to_numpy(float), d.death.to_numpy(int)
    rng = np.random.default_rng(38)
    null = [compare.two_cutoffs(rng.permutation(bed), t, e, min_group=15) for _ in range(40)]
    b = sum(n.lr_statistic >= r.lr_statistic for n in null)
    assert (r.n_beating, r.permutation_p) == (b, pytest.approx((1 + b) / 41))
    assert r.share_naive_p05 == pytest.approx(np.mean([n.naive_p_value < 0.05 for n in null]))
    assert r.share_naive_p05 > 0.05


@pytest.mark.parametrize("kw, name", [({"n_resamples": 0}, "n_resamples"), ({"seed": -1}, "seed")])
def test_bed_cutoffs_bad_input(cutoff_search, kw, name):
    with pytest.raises(ValueError, match=name):
        choi2015.bed_cutoffs(cutoff_search[0], **kw)
