"""data/published/lee2015.yaml: paper C's printed numbers, their count, and the totals they imply.

The count is a guard: adding or dropping a number must be a deliberate edit of this test. The
sums check the registry against the paper (a typo in the registry breaks them) and document the
unit of each total: Table 1 and Table 2 count operations (36), the results text counts patients
(33) for sex, Child-Pugh, follow-up status, viral status and timing, but operations for
ambulation, level and SINS.
"""

import pytest

from spinemets import published

N_NUMBERS = 182


@pytest.fixture(scope="module")
def reg():
    return published.load("lee2015")


@pytest.mark.change_detector
def test_count(reg):
    assert len(reg) == N_NUMBERS
    assert sum(k.startswith("t1_") for k in reg) == 51
    assert sum(k.startswith("t2_") for k in reg) == 53


def test_every_number_has_a_source(reg):
    for n in reg.values():
        assert n.source["where"] in published.WHERE and n.where
        if n.source["where"] == "table":
            assert n.source["table"] in ("Table 1", "Table 2")


def _sum(reg, ids):
    return sum(int(reg.value(i)) for i in ids)


@pytest.mark.parametrize(
    "factor",
    ["age", "sex", "level", "child_pugh", "ambulation", "preop_rt", "operation", "sorafenib"],
)
def test_table1_factor_counts_are_operations(reg, factor):
    ids = [k for k in reg if k.startswith(f"t1_{factor}_") and k.endswith("_n")]
    assert _sum(reg, ids) == reg.value("n_operations") == 36


@pytest.mark.parametrize("score", ["tokuhashi", "tokuhashi_rev", "tomita", "tomita_rev"])
def test_table2_group_counts_are_operations(reg, score):
    ids = [
        k
        for k in reg
        if k.startswith(f"t2_{score}_")
        and k.endswith("_n")
        and k.count("_") == len(score.split("_")) + 2
    ]
    assert _sum(reg, ids) == 36


@pytest.mark.parametrize(
    "ids, total",
    [
        (["male_patients", "female_patients"], 33),
        (["text_child_pugh_a", "text_child_pugh_b", "text_child_pugh_c"], 33),
        (["deaths", "lost_to_follow_up", "alive"], 33),
        (["synchronous_patients", "metachronous_patients"], 33),
        (["hbv_patients", "hcv_patients", "nbnc_patients"], 33),
        (["text_ambulatory", "text_not_ambulatory"], 36),  # called "patients", counts operations
        (["text_cervical", "text_thoracic", "text_lumbar"], 36),
        (["text_sins_6", "text_sins_7_12", "text_sins_13_18"], 36),
    ],
)
def test_text_totals_and_their_unit(reg, ids, total):
    assert _sum(reg, ids) == total


def test_text_and_tables_agree_where_they_overlap(reg):
    assert reg["text_tomita_p"].text == reg["t2_tomita_p"].text == "0.023"
    assert reg.value("restoration_of") == reg.value("t1_ambulation_not_possible_n") == 11
    # sex: Table 1 counts 33 male operations (30 men, 3 repeats), 3 female
    assert reg.value("t1_sex_male_n") - reg.value("male_patients") == reg.value("n_repeat_patients")
    # the enrolment start year differs between abstract and main text
    assert reg.value("abstract_start_year") != reg.value("text_start_year")


# --- the analysis module's ids are registry ids, and the build's forced numbers hold -----------


@pytest.fixture(scope="module")
def cohort():
    from spinemets import cohorts

    return cohorts.load("lee2015")


def test_analyse_names_registry_numbers(reg, cohort):
    from spinemets.analyses import lee2015

    emergent = lee2015.analyse(cohort)
    forced = lee2015.by_construction(cohort)
    assert set(emergent) <= set(reg) and set(forced) <= set(reg)
    assert not set(emergent) & set(forced)
    assert len(emergent) == 65
    for nid, v in forced.items():
        if nid.endswith("_n") or nid.startswith(("n_", "age_m", "male", "female", "os_m")):
            assert v == pytest.approx(
                reg.value(nid), abs=1 if nid.startswith("os_median") else 0
            ), nid


def test_ci_check_finds_the_one_asymmetric_interval(reg):
    from spinemets.analyses import lee2015

    ci = lee2015.ci_check(reg)
    assert len(ci) == 11
    assert ci.index[~ci.symmetric].tolist() == ["t2_tomita_iv"]
    assert ci.loc["t2_tomita_iv", "asymmetry"] == pytest.approx(-0.10)
    # SE of the Tokuhashi group A interval: (288.43 - 55.57) / (2 * 1.959964)
    assert ci.loc["t2_tokuhashi_a", "se"] == pytest.approx(232.86 / 3.919928)


def test_band_check_against_score_definitions():
    from spinemets.analyses import lee2015

    b = lee2015.band_check()
    impossible = b.index[~b.possible].tolist()
    assert impossible == [("tokuhashi", "C"), ("tomita", "I"), ("tomita_rev", "I")]
    assert (b.loc["tokuhashi", "source_bands"] == "2005 band").all()
    assert b.loc[("tokuhashi_rev", "B"), "source_bands"].startswith("none")
    assert b.loc[("tomita_rev", "III"), "source_bands"].startswith("none")
    with pytest.raises(ValueError, match="primary must be"):
        lee2015.band_check("spleen")


def test_signed_rank_limits():
    from spinemets.analyses import lee2015

    sc = lee2015.ambulation_scenarios()
    assert (sc.p_value > 0.05).all()  # 2 of 11 restored can never be significant
    assert lee2015.signed_rank_min_changes(36) == 4
    with pytest.raises(ValueError, match="worsened must be"):
        lee2015.ambulation_scenarios([30])
    with pytest.raises(ValueError, match="cohort must be a pandas DataFrame"):
        lee2015.table1([1, 2])


def test_analyse_runs_on_replicate_cohorts(reg):
    from spinemets import cohorts
    from spinemets.analyses import lee2015

    reps = cohorts.replicates("lee2015", [1, 2])
    results = [lee2015.analyse(r) for r in reps]
    assert all(set(r) == set(results[0]) for r in results)
    assert all(0 <= r["t2_tomita_p"] <= 1 for r in results)


def test_screen_relations_and_mixture_bounds(reg):
    from spinemets import screen
    from spinemets.analyses import lee2015

    res = screen.screen(reg)
    # 45 relations in lee2015.yaml, 12 more in lee2015.relations.yaml (chapter 20) and 11
    # spss_median_ci (screen); the findings are Tomita IV's misprinted CI limit, caught when its
    # median is read as exact days, and which limit it is (the SPSS half-widths)
    assert len(res.table) == 68
    bad = res.table[res.table.verdict.isin(screen.FINDINGS)]
    assert len(bad) == 2 and all("t2_tomita_iv" in x for x in bad.numbers)
    mix = lee2015.median_mixture_bounds(reg)
    # men: 33 of 36 operations with median 243 > 180, so mean S(180) above 180 <= 0.5 / (33/36)
    assert mix.index[0] == "t1_sex"
    assert mix.loc["t1_sex", "max_mean_s_above"] == pytest.approx(0.5 * 36 / 33)
    assert (mix.max_mean_s_above >= 0.5).all()  # no factor makes 180 impossible
    named = lee2015.median_mixture_bounds(reg, readable=True)
    assert named.index[0] == "Sex" and named.iloc[0, 2] == pytest.approx(0.5 * 36 / 33)
