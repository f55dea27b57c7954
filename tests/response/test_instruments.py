"""Outcome instruments: the RAND-36 scorer against a published worked example, the missing-item
rule, hand-computed cases and bad input; VAS, KPS, Frankel grids; change from baseline; MCID."""

import math

import numpy as np
import pandas as pd
import pytest

from spinemets import instruments as ins

# --------------------------------------------------------------------------------------------
# RAND-36: published worked example
# --------------------------------------------------------------------------------------------
# Source: R package rand36sf (GitHub maher42/rand36sf), README.md knitted from README.Rmd,
# section "Example": `data(sf36_example); head(sf36_example)` prints the raw responses of the
# first six rows (respondents 1-3 at time points 1 and 2; data-raw/sf36_example.R draws them with
# set.seed(42) and sample.int), and `scored_df <- score_rand36sf(sf36_example); head(scored_df)`
# prints the recoded items and the eight scales. Printed scales (README, head(scored_df)):
#
#   row  PF  RP   RE        VT  MH  SF    Pain  GH
#   1    50  50   33.33333  70  52  37.5  22.5  35
#   2    65  75  100.00000  70  44  25.0  87.5  40
#   3    45  50   33.33333  70  48   0.0  20.0  60
#   4    30  50    0.00000  65  44  50.0  50.0  60
#   5    45  50   66.66667  50  48  75.0  25.0  50
#   6    60 100   66.66667  45  44  50.0  50.0  45
#
# rand36sf uses rowMeans without na.rm (NA if any item is blank); with complete rows it is RAND.
README_ITEMS = [
    # item1 ... item36, as printed by head(sf36_example)
    "1 4 2 1 2 3 2 2 2 3 1 2 1 1 2 2 2 1 1 3 5 4 2 4 3 3 2 6 4 6 4 2 2 4 2 5",
    "5 2 3 1 3 1 2 3 3 2 2 3 2 2 1 2 2 2 2 4 1 2 2 2 3 5 1 4 5 2 2 2 2 1 1 2",
    "1 2 2 2 2 2 2 1 1 3 2 2 2 1 2 1 1 1 2 5 4 5 2 2 4 4 1 5 6 4 1 1 2 2 4 4",
    "1 3 1 2 1 1 1 1 2 2 3 2 2 1 2 1 1 1 1 2 1 5 2 1 5 5 5 4 6 3 4 2 4 3 1 2",
    "2 1 2 3 2 1 2 2 1 2 2 2 2 2 1 1 1 2 2 1 6 3 4 3 4 6 2 3 4 1 2 3 1 1 3 4",
    "4 1 2 3 3 1 1 3 3 1 3 2 2 2 2 2 2 2 1 1 1 5 4 4 2 1 3 2 5 5 1 1 2 2 1 1",
]
README_SCORES = pd.DataFrame(
    {
        "physical_functioning": [50, 65, 45, 30, 45, 60],
        "role_physical": [50, 75, 50, 50, 50, 100],
        "role_emotional": [33.33333, 100, 33.33333, 0, 66.66667, 66.66667],
        "energy_fatigue": [70, 70, 70, 65, 50, 45],
        "emotional_wellbeing": [52, 44, 48, 44, 48, 44],
        "social_functioning": [37.5, 25, 0, 50, 75, 50],
        "pain": [22.5, 87.5, 20, 50, 25, 50],
        "general_health": [35, 40, 60, 60, 50, 45],
    },
    dtype=float,
)
# Row 1 recoded items, printed by head(scored_df) (item1 ... item36)
README_ROW1_RECODED = [
    100,
    25,
    50,
    0,
    50,
    100,
    50,
    50,
    50,
    100,
    0,
    50,
    0,
    0,
    100,
    100,
    100,
    0,
    0,
    50,
    20,
    25,
    80,
    60,
    40,
    60,
    80,
    100,
    60,
    0,
    60,
    25,
    25,
    25,
    25,
    0,
]


def readme_frame():
    rows = [[int(v) for v in r.split()] for r in README_ITEMS]
    df = pd.DataFrame(rows, columns=list(ins.RAND36_ITEMS))
    df.insert(0, "id", [1, 1, 2, 2, 3, 3])
    df.insert(1, "timepoint", [1, 2, 1, 2, 1, 2])
    return df


def test_rand36_matches_rand36sf_readme_example():
    got = ins.rand36(readme_frame())
    assert list(got.columns) == list(README_SCORES.columns)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), README_SCORES, atol=5e-6, rtol=0)


def test_rand36_recode_matches_readme_row1():
    got = ins.rand36_recode(readme_frame()).iloc[0].tolist()
    assert got == README_ROW1_RECODED


def test_rand36_single_sequence_is_one_row():
    one = ins.rand36([int(v) for v in README_ITEMS[0].split()])
    assert one.shape == (1, 8)
    assert one.loc[0, "role_emotional"] == pytest.approx(100 / 3)
    assert one.loc[0, "general_health"] == 35


def test_rand36_keeps_index_and_ignores_other_columns():
    df = readme_frame().set_index(pd.Index(list("abcdef"), name="who"))
    got = ins.rand36(df)
    assert list(got.index) == list("abcdef")


# --------------------------------------------------------------------------------------------
# RAND-36: hand-computed cases
# --------------------------------------------------------------------------------------------
BEST = {
    1: 1,
    2: 3,
    **{i: 3 for i in range(3, 13)},
    **{i: 2 for i in range(13, 20)},
    20: 1,
    21: 1,
    22: 1,
    23: 1,
    24: 6,
    25: 6,
    26: 1,
    27: 1,
    28: 6,
    29: 6,
    30: 1,
    31: 6,
    32: 5,
    33: 5,
    34: 1,
    35: 5,
    36: 1,
}


def best():
    return [BEST[i] for i in range(1, 37)]


def worst():
    out = []
    for i in range(1, 37):
        k = len(ins.RAND36_RECODE[i])
        out.append(k + 1 - BEST[i] if BEST[i] in (1, k) else 1)
    return out


def test_best_and_worst_responses_give_100_and_0():
    assert (ins.rand36(best()).iloc[0] == 100).all()
    assert (ins.rand36(worst()).iloc[0] == 0).all()


def test_hand_computed_pain_and_general_health():
    x = best()
    x[20], x[21] = 3, 4  # q21 = 3 -> 60, q22 = 4 -> 25: pain = (60 + 25) / 2
    x[0], x[32], x[33], x[34], x[35] = 3, 2, 2, 4, 5  # GH: 50, 25, 75, 75, 0 -> 45
    s = ins.rand36(x).iloc[0]
    assert s["pain"] == 42.5
    assert s["general_health"] == 45
    assert s["physical_functioning"] == 100


def test_item2_belongs_to_no_scale():
    a, b = best(), best()
    b[1] = 5
    pd.testing.assert_frame_equal(ins.rand36(a), ins.rand36(b))


def test_every_item_but_q2_is_in_exactly_one_scale():
    items = sorted(i for its in ins.RAND36_SCALES.values() for i in its)
    assert items == [i for i in range(1, 37) if i != 2]


# --------------------------------------------------------------------------------------------
# RAND-36: missing items
# --------------------------------------------------------------------------------------------


def test_missing_item_rule_is_mean_of_answered():
    x = [float(v) for v in README_ITEMS[0].split()]
    x[20] = np.nan  # q21 blank: pain = recoded q22 alone (raw 4 -> 25)
    x[16] = np.nan  # q17 blank: RE = mean(q18, q19) = mean(0, 0)
    s = ins.rand36(x).iloc[0]
    assert s["pain"] == 25
    assert s["role_emotional"] == 0
    assert s["physical_functioning"] == 50  # untouched


def test_all_items_of_a_scale_missing_gives_nan_for_that_scale_only():
    x = best()
    x[20] = x[21] = np.nan
    s = ins.rand36(x).iloc[0]
    assert math.isnan(s["pain"])
    assert s.drop("pain").eq(100).all()


def test_half_scale_rule():
    x = [float(v) for v in best()]
    for i in range(2, 8):  # q3-q8 blank: 4 of 10 PF items answered
        x[i] = np.nan
    assert ins.rand36(x).loc[0, "physical_functioning"] == 100
    assert math.isnan(ins.rand36(x, missing="half").loc[0, "physical_functioning"])
    x[2] = 3.0  # 5 of 10 answered: half the items is enough
    assert ins.rand36(x, missing="half").loc[0, "physical_functioning"] == 100


def test_blank_column_of_a_dataframe():
    df = readme_frame().astype({"q21": float})
    df.loc[0, "q21"] = np.nan
    got = ins.rand36(df)
    assert got.loc[0, "pain"] == 25
    assert got.loc[1, "pain"] == 87.5


# --------------------------------------------------------------------------------------------
# RAND-36: bad input
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "item, value, msg",
    [
        (3, 4, "q3 must be a whole number from 1 to 3"),
        (21, 7, "q21 must be a whole number from 1 to 6"),
        (1, 0, "q1 must be a whole number from 1 to 5"),
        (13, 2.5, "q13 must be a whole number from 1 to 2"),
        (36, -1, "q36 must be a whole number from 1 to 5"),
    ],
)
def test_out_of_range_response_names_item_and_range(item, value, msg):
    x = best()
    x[item - 1] = value
    with pytest.raises(ValueError, match=msg):
        ins.rand36(x)


def test_bad_shapes_and_types():
    with pytest.raises(ValueError, match="36 responses"):
        ins.rand36([1] * 35)
    with pytest.raises(ValueError, match="missing \\['q36'\\]"):
        ins.rand36(readme_frame().drop(columns="q36"))
    df = readme_frame().astype({"q5": object})
    df.loc[2, "q5"] = "often"
    with pytest.raises(ValueError, match="q5"):
        ins.rand36(df)
    with pytest.raises(ValueError, match="missing must be one of"):
        ins.rand36(best(), missing="ware")
    with pytest.raises(ValueError, match="items must be"):
        ins.rand36("1" * 36)


# --------------------------------------------------------------------------------------------
# VAS, KPS, Frankel
# --------------------------------------------------------------------------------------------


def test_vas():
    assert ins.check_vas(7) == 7.0
    np.testing.assert_array_equal(ins.check_vas([0, 10, 3.5]), [0, 10, 3.5])
    with pytest.raises(ValueError, match="vas must be between 0 and 10"):
        ins.check_vas([3, 11])
    with pytest.raises(ValueError, match="whole number"):
        ins.check_vas([3.5], integer=True)
    with pytest.raises(ValueError, match="missing"):
        ins.check_vas([3, np.nan])
    with pytest.raises(ValueError, match="pain_3m must be numeric"):
        ins.check_vas(True, name="pain_3m")


def test_kps():
    s = ins.check_kps(pd.Series([40, 90], index=["x", "y"]))
    assert list(s.index) == ["x", "y"]
    assert ins.KPS_GRID == (0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100)
    for bad in (65, 110, -10):
        with pytest.raises(ValueError, match="kps must be one of 0, 10"):
            ins.check_kps([bad])


def test_frankel_ordered_and_validated():
    f = ins.frankel(["c", "E", "A"])
    assert list(f) == ["C", "E", "A"]
    assert f.cat.ordered and f.max() == "E"
    with pytest.raises(ValueError, match="one of A, B, C, D, E"):
        ins.frankel(["D1"])
    with pytest.raises(ValueError, match="missing grade"):
        ins.frankel(["C", None])


def test_frankel_change_and_shift_pair_by_label():
    before = pd.Series(["C", "D", "E"], index=["p1", "p2", "p3"])
    after = pd.Series(["D", "C", "E"], index=["p3", "p1", "p2"])  # shuffled labels
    ch = ins.frankel_change(before, after)
    assert ch.to_dict() == {"p1": 0, "p2": 1, "p3": -1}
    tab = ins.frankel_shift(before, after)
    assert tab.shape == (5, 5) and tab.to_numpy().sum() == 3
    assert tab.loc["C", "C"] == 1 and tab.loc["D", "E"] == 1 and tab.loc["E", "D"] == 1
    with pytest.raises(ValueError, match="different index labels"):
        ins.frankel_change(before, pd.Series(["D", "C", "E"], index=["p1", "p2", "q"]))


# --------------------------------------------------------------------------------------------
# Change from baseline and the MCID
# --------------------------------------------------------------------------------------------


def test_change_from_baseline():
    assert ins.change_from_baseline(8, 3) == -5
    assert ins.change_from_baseline(8, 6, relative=True) == -25
    b = pd.Series([8, 4], index=["a", "b"])
    f = pd.Series([2, 6], index=["b", "a"])
    assert ins.change_from_baseline(b, f).to_dict() == {"a": -2.0, "b": -2.0}
    with pytest.raises(ValueError, match="baseline must be non-zero"):
        ins.change_from_baseline([0, 5], [1, 2], relative=True)
    with pytest.raises(ValueError, match="same length"):
        ins.change_from_baseline([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="relative must be True or False"):
        ins.change_from_baseline([1], [2], relative="yes")


def test_mcid_farrar():
    m = ins.mcid("pain_nrs")
    assert (m.absolute, m.relative_pct) == (2.0, 30.0)
    assert "Farrar" in m.source and "10.1016/S0304-3959(01)00349-9" in m.source
    assert "MCID" in repr(m)
    for inst in ("rand36", "kps", "frankel"):
        with pytest.raises(ValueError, match="no MCID|convention"):
            ins.mcid(inst)
    with pytest.raises(ValueError, match="instrument must be one of"):
        ins.mcid("odi")


def test_mcid_responder():
    b, f = [8, 3, 10, 2, 0], [6, 2, 8, 0, 0]
    np.testing.assert_array_equal(ins.mcid_responder(b, f), [True, False, True, True, False])
    # relative: 25%, 33%, 20%, 100%, baseline 0 cannot respond
    np.testing.assert_array_equal(
        ins.mcid_responder(b, f, "relative"), [False, True, False, True, False]
    )
    np.testing.assert_array_equal(
        ins.mcid_responder(b, f, "both"), [False, False, False, True, False]
    )
    assert ins.mcid_responder(7, 4) is True
    with pytest.raises(ValueError, match="followup must be between 0 and 10"):
        ins.mcid_responder([5], [12])
    with pytest.raises(ValueError, match="criterion must be one of"):
        ins.mcid_responder([5], [2], "mcid")


def test_text_answers_are_refused_not_coerced():
    df = readme_frame().astype({"q7": object})
    df.loc[0, "q7"] = "2"
    with pytest.raises(ValueError, match="items\\['q7'\\] must hold numeric response codes"):
        ins.rand36(df)
    df = readme_frame().astype({"q8": object})
    df.loc[0, "q8"] = True
    with pytest.raises(ValueError, match="q8"):
        ins.rand36(df)


def test_nullable_integer_columns_with_blanks():
    df = readme_frame().astype({"q22": "Int64"})
    df.loc[0, "q22"] = pd.NA  # pain = recoded q21 alone (raw 5 -> 20)
    assert ins.rand36(df).loc[0, "pain"] == 20


def test_half_rule_leaves_complete_readme_rows_unchanged():
    pd.testing.assert_frame_equal(
        ins.rand36(readme_frame(), missing="half"), ins.rand36(readme_frame())
    )
