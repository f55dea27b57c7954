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


@pytest.mark.parametrize("factor", ["age", "sex", "level", "child_pugh", "ambulation", "preop_rt",
                                    "operation", "sorafenib"])
def test_table1_factor_counts_are_operations(reg, factor):
    ids = [k for k in reg if k.startswith(f"t1_{factor}_") and k.endswith("_n")]
    assert _sum(reg, ids) == reg.value("n_operations") == 36


@pytest.mark.parametrize("score", ["tokuhashi", "tokuhashi_rev", "tomita", "tomita_rev"])
def test_table2_group_counts_are_operations(reg, score):
    ids = [k for k in reg if k.startswith(f"t2_{score}_") and k.endswith("_n")
           and k.count("_") == len(score.split("_")) + 2]
    assert _sum(reg, ids) == 36


@pytest.mark.parametrize("ids, total", [
    (["male_patients", "female_patients"], 33),
    (["text_child_pugh_a", "text_child_pugh_b", "text_child_pugh_c"], 33),
    (["deaths", "lost_to_follow_up", "alive"], 33),
    (["synchronous_patients", "metachronous_patients"], 33),
    (["hbv_patients", "hcv_patients", "nbnc_patients"], 33),
    (["text_ambulatory", "text_not_ambulatory"], 36),        # called "patients", counts operations
    (["text_cervical", "text_thoracic", "text_lumbar"], 36),
    (["text_sins_6", "text_sins_7_12", "text_sins_13_18"], 36),
])
def test_text_totals_and_their_unit(reg, ids, total):
    assert _sum(reg, ids) == total


def test_text_and_tables_agree_where_they_overlap(reg):
    assert reg["text_tomita_p"].text == reg["t2_tomita_p"].text == "0.023"
    assert reg.value("restoration_of") == reg.value("t1_ambulation_not_possible_n") == 11
    # sex: Table 1 counts 33 male operations (30 men, 3 repeats), 3 female
    assert reg.value("t1_sex_male_n") - reg.value("male_patients") == reg.value("n_repeat_patients")
    # the enrolment start year differs between abstract and main text
    assert reg.value("abstract_start_year") != reg.value("text_start_year")
