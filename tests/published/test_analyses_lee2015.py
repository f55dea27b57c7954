"""spinemets.analyses.lee2015's audit: comparison(), recomputed() and NOT_REPRODUCIBLE.

Oracles are outside the code: the paper's printed numbers with hand arithmetic (closed forms
quoted in each test), scipy for the SPSS-style signed-rank test, and the registry itself for
coverage (every registered number exactly once).
"""

import math

import numpy as np
import pytest
from scipy import stats

from spinemets import audit, published
from spinemets.analyses import lee2015


@pytest.fixture(scope="module")
def reg():
    return published.load("lee2015")


@pytest.fixture(scope="module")
def comp():
    return lee2015.comparison()


def test_every_registered_number_once(reg, comp):
    assert sorted(comp.table.index) == sorted(reg)
    assert not comp.table.index.duplicated().any()


def test_labels_sources_and_reasons(reg, comp):
    t = comp.table
    rec = lee2015.recomputed(reg)
    for nid, r in rec.items():
        assert r.sources and nid not in r.sources, nid  # never from itself
        assert all(s in reg for s in r.sources), nid
    assert set(lee2015.NOT_REPRODUCIBLE) <= set(reg)
    assert not set(lee2015.NOT_REPRODUCIBLE) & set(rec)
    nr = t[t.verdict == "not reproducible"]
    assert set(nr.index) == set(lee2015.NOT_REPRODUCIBLE)
    assert (nr.note.str.len() > 0).all()
    assert set(t.label) == {"recomputed", "by construction", "emergent"}


def test_tomita_iv_upper_limit_is_the_misprint(comp):
    # Table 2 prints 74 (2.72-145.18); SPSS's median +/- 1.96 SE is symmetric:
    # 2 x 74 - 2.72 = 145.28, 0.10 away, beyond two roundings of 0.005
    r = comp.table.loc["t2_tomita_iv_ci_high"]
    assert r.reproduced == pytest.approx(145.28)
    assert r.verdict.startswith("differs")
    # every other upper limit agrees with its median and lower limit to 0.01
    others = comp.table[comp.table.index.str.endswith("_ci_high")].drop("t2_tomita_iv_ci_high")
    assert len(others) == 10 and others.verdict.str.startswith("agrees").all()


def test_contradictions_found(comp):
    differs = set(comp.table.index[comp.table.verdict.str.startswith("differs")])
    # abstract "February 2006" (the journal's abstract, jkns.or.kr pubreader 737) vs the
    # Methods' "February 2005"; Tomita IV's upper limit
    assert differs == {"abstract_start_year", "t2_tomita_iv_ci_high"}


def test_preoperative_rt_count_is_ambiguous_not_a_contradiction(comp):
    # Methods: "conventional radiotherapy to the index spine was performed in 11 cases";
    # Table 1: RT before 30 days 4, within 30 days 11, after 30 days 21 (4 + 11 + 21 = 36).
    # 11 = 4 + 7 if "within 30 days" spans both sides of the operation, 15 if only before:
    # the paper cannot decide, so the count is listed as not reproducible, not as differing
    assert 4 + 11 + 21 == 36 and 4 <= 11 <= 4 + 11
    assert "preop_rt_cases" in lee2015.NOT_REPRODUCIBLE
    assert not comp.table.loc["preop_rt_cases", "verdict"].startswith("differs")


def test_sums_by_hand(comp):
    t = comp.table
    assert t.loc["n_operations", "reproduced"] == 33 + 3
    assert t.loc["alive", "reproduced"] == 33 - 27 - 3
    assert t.loc["nbnc_patients", "reproduced"] == 33 - 29 - 1
    assert t.loc["restoration_pct", "reproduced"] == pytest.approx(100 * 2 / 11)
    assert t.loc["kim_restoration_pct", "reproduced"] == pytest.approx(100 * 4 / 14)


def test_repeat_operation_splits_are_only_fits(comp):
    t = comp.table
    fits = t.index[t.only_fit]
    assert set(fits) == {
        "t1_sex_male_n",
        "t1_sex_female_n",
        "t1_child_pugh_a_n",
        "t1_child_pugh_b_n",
    }
    assert t.loc[fits, "verdict"].str.contains("only fit").all()


def test_same_as_links_join_equal_printings(reg):
    linked = {k: n.same_as for k, n in reg.items() if n.same_as}
    assert len(linked) == 13
    for k, other in linked.items():
        if k == "abstract_start_year":  # the one contradiction among reprints
            assert reg.value(k) != reg.value(other)
        else:
            assert reg.value(k) == reg.value(other), k


def test_headline_is_the_summary_of_the_comparison(comp):
    h = audit.headline("lee2015")
    s = published.summary(comp)
    assert h.text == s.text
    assert h.differs == 2 and h.quantities < len(comp.table)  # see test_contradictions_found


def test_signed_rank_sign_test_closed_form():
    # all differences tied at |1|: the SPSS signed-rank z is (k+ - k-) / sqrt(k+ + k-)
    # (normal approximation, no continuity correction); 2 gains, 0 losses
    amb = lee2015.ambulation_scenarios([0, 5])
    z0 = 2 / math.sqrt(2)
    assert amb.loc[0, "p_value"] == pytest.approx(2 * stats.norm.sf(z0))
    z5 = (5 - 2) / math.sqrt(7)
    assert amb.loc[5, "p_value"] == pytest.approx(2 * stats.norm.sf(z5))
    # k one-directional changes are significant first at k = 4: 2 * sf(sqrt(4)) = 0.0455
    k = lee2015.signed_rank_min_changes(36, sig_level=0.05)
    assert k == 4
    assert 2 * stats.norm.sf(np.sqrt(k)) < 0.05 < 2 * stats.norm.sf(np.sqrt(k - 1))


def test_whole_day_gap_closed_form():
    # n = 10, no censoring: SE = sqrt(0.5 * 0.5 / 10) / 0.2 x (l - u) = 0.790569 (l - u)
    factor = math.sqrt(0.025) / 0.2
    z = stats.norm.ppf(0.975)
    g = lee2015.whole_day_gaps().set_index(["group", "limit"])
    assert g.loc[("Tomita IV", "lower"), "gap_days"] == pytest.approx(71.28 / z / factor)
    assert g.loc[("Tomita IV", "lower"), "whole"]  # 46.00 days
    assert not g.loc[("Tomita IV", "upper"), "whole"]  # 71.18 -> 45.94 days
    # a 90% or 99% z leaves (almost) no limit whole: the intervals are 95% intervals
    n95 = int(g.whole.sum())
    for zz in (1.645, 2.576):
        assert lee2015.whole_day_gaps(z=zz).whole.sum() < n95


def test_c_index_difference_against_lifelines():
    from lifelines.utils import concordance_index

    from spinemets import cohorts

    d = cohorts.load("lee2015")
    # lifelines: a higher predicted score means longer survival
    c_tom = concordance_index(d.os_days, -d.tomita_total, d.death)
    c_tok = concordance_index(d.os_days, d.tokuhashi_total, d.death)
    r = lee2015.c_index_difference(d, n_resamples=50, seed=1)
    with pytest.raises(ValueError, match="n_resamples"):
        lee2015.c_index_difference(d, n_resamples=0)
    assert r["difference"] == pytest.approx(c_tom - c_tok, abs=1e-9)
    assert r["lower"] < r["difference"] < r["upper"]
    assert r["n_resamples"] == 50


def test_c_index_difference_former_n_boot_warns_for_one_release():
    from spinemets import cohorts

    d = cohorts.load("lee2015")
    new = lee2015.c_index_difference(d, n_resamples=5, seed=1)
    with pytest.warns(DeprecationWarning, match="n_resamples"):
        old = lee2015.c_index_difference(d, n_boot=5, seed=1)
    assert old.equals(new)


def test_beside_paper_rows_and_errors():
    t2 = lee2015.beside_paper("Table 2")
    # 4 log-rank p's, 2 footnote p's and the 11 medians of non-empty groups
    assert len(t2) == 4 + 2 + 11
    n1 = lee2015.beside_paper("Table 1", numbers=("n",))
    # counts are build targets, except the four repeat-operation splits (recomputed fits)
    assert n1.label.value_counts().to_dict() == {"by construction": 18, "recomputed": 4}
    with pytest.raises(ValueError, match="table"):
        lee2015.beside_paper("Table 3")


def test_beside_paper_readable_is_the_same_table_formatted():
    raw = lee2015.beside_paper("Table 2")
    nice = lee2015.beside_paper("Table 2", readable=True)
    assert len(nice) == len(raw)
    assert (nice.label.to_numpy() == raw.label.to_numpy()).all()
    assert (nice.verdict.to_numpy() == raw.verdict.to_numpy()).all()
    assert nice.index[0] == "Tokuhashi groups: log-rank p"  # "Log-rank p, Tokuhashi groups"
    for (q, r), (qn, n) in zip(raw.iterrows(), nice.iterrows()):
        days = str(r.published).endswith("days")
        assert days == qn.endswith("(days)"), (q, qn)
        assert n.paper == str(r.published).removesuffix(" days")
        assert n.cohort == (f"{r.cohort:.0f}" if days else f"{r.cohort:.3f}")
        lo, hi = r.replicates_lower, r.replicates_upper
        if np.isnan(lo):  # by construction: no replicate interval
            assert n["replicates, central 95%"] == "-"
        else:
            f = "{:.0f}" if days else "{:.2f}"
            assert n["replicates, central 95%"] == f"{f.format(lo)}-{f.format(hi)}"


def test_banding_power_is_a_share_of_replicates():
    import pandas as pd

    reps = pd.DataFrame(
        {f"t2_{k}_p": [0.01, 0.2, 0.04, 0.5] for k in lee2015.TABLE2}  # 2 of 4 below 0.05
    )
    assert (lee2015.banding_power(reps) == 0.5).all()
