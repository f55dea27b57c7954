"""spinemets.scores: the input contract (issue: input contracts), bands, and bounds per primary.

* boolean flags accept booleans only (``child_pugh(..., cholestatic="no")`` used to be read as
  cholestatic because a non-empty string is truthy);
* a list (or array) where one item is due raises ValueError, not TypeError;
* clinical values accept numbers only (not bool, not strings);
* a missing item (None, NaN) raises ValueError naming the item: no silent default;
* Series items score many rows at once, aligned by index, never by position.
"""

import itertools

import numpy as np
import pandas as pd
import pytest

from spinemets import scores as sc

CP = dict(bilirubin=1.0, albumin=4.0, ascites="none", encephalopathy="none", inr=1.0)


@pytest.mark.parametrize("flag", ["no", "yes", 0, 1, None, "False"])
def test_cholestatic_accepts_booleans_only(flag):
    with pytest.raises(ValueError, match="cholestatic must be True or False"):
        sc.child_pugh(**CP, cholestatic=flag)


def test_cholestatic_booleans():
    high = dict(CP, bilirubin=3.5)
    assert sc.child_pugh(**high, cholestatic=False).points["bilirubin"] == 3
    assert sc.child_pugh(**high, cholestatic=True).points["bilirubin"] == 1
    assert sc.child_pugh(**high, cholestatic=np.bool_(True)).points["bilirubin"] == 1


@pytest.mark.parametrize("field", ["bilirubin", "albumin", "inr"])
@pytest.mark.parametrize("bad", [True, "1.0", [1.0], np.inf, None, np.nan])
def test_child_pugh_numbers_only(field, bad):
    with pytest.raises(ValueError, match=field):
        sc.child_pugh(
            **dict(CP, **{field: bad})
        ) if bad is not None or field != "inr" else sc.child_pugh(
            **dict(CP, inr=None, pt_prolongation=None)
        )


def test_pt_prolongation_numbers_only():
    base = {k: v for k, v in CP.items() if k != "inr"}
    assert sc.child_pugh(**base, pt_prolongation=0).points["coagulation"] == 1
    for bad in (True, "5", [5], -1):
        with pytest.raises(ValueError, match="pt_prolongation"):
            sc.child_pugh(**base, pt_prolongation=bad)


@pytest.mark.parametrize(
    "call, item",
    [
        (lambda: sc.tokuhashi_revised([80], 0, 1, "none", "liver", "E"), "kps"),
        (lambda: sc.tokuhashi_revised(80, [0], 1, "none", "liver", "E"), "extraspinal_bone_foci"),
        (lambda: sc.tokuhashi_revised(80, 0, [1], "none", "liver", "E"), "vertebral_body_mets"),
        (lambda: sc.tokuhashi_revised(80, 0, 1, ["none"], "liver", "E"), "organ_mets"),
        (lambda: sc.tokuhashi_revised(80, 0, 1, "none", ["liver"], "E"), "primary"),
        (lambda: sc.tokuhashi_revised(80, 0, 1, "none", "liver", ["E"]), "frankel"),
        (lambda: sc.tokuhashi_original(80, 0, 1, "none", ["liver"], "E"), "primary"),
        (lambda: sc.tomita(["liver"], "none", "solitary"), "primary"),
        (lambda: sc.tomita("liver", ["none"], "solitary"), "visceral_mets"),
        (lambda: sc.tomita("liver", "none", ["solitary"]), "bone_mets"),
        (lambda: sc.sins(["T5"], "none", "lytic", "normal", "none", "none"), "location"),
        (lambda: sc.sins("T5", ["none"], "lytic", "normal", "none", "none"), "pain"),
        (lambda: sc.sins("T5", "none", "lytic", "normal", ["none"], "none"), "collapse"),
        (lambda: sc.child_pugh([1.0], 4.0, "none", "none", inr=1.0), "bilirubin"),
        (lambda: sc.child_pugh(1.0, 4.0, ["none"], "none", inr=1.0), "ascites"),
        (lambda: sc.hcc_sm_gpa([1], "yes", "no"), "ecog"),
        (lambda: sc.choi_risk_group(1, ["yes"], "no"), "primary_controlled"),
        (lambda: sc.ecog_to_kps([1]), "ecog"),
        (lambda: sc.frankel_grade(["A"]), "frankel"),
        (lambda: sc.asia_grade(["A"]), "asia"),
        (lambda: sc.bilsky_grade(["2"]), "bilsky"),
        (lambda: sc.spine_level_region(["T5"]), "level"),
        (lambda: sc.tomita(np.array(["liver"]), "none", "solitary"), "primary"),
    ],
)
def test_lists_raise_value_error_naming_the_item(call, item):
    with pytest.raises(ValueError, match=item):
        call()


@pytest.mark.parametrize(
    "call, item",
    [
        (lambda: sc.tokuhashi_revised(True, 0, 1, "none", "liver", "E"), "kps"),
        (lambda: sc.tokuhashi_revised(80, True, 1, "none", "liver", "E"), "extraspinal_bone_foci"),
        (lambda: sc.tokuhashi_revised(80, 0, 1.5, "none", "liver", "E"), "vertebral_body_mets"),
        (lambda: sc.tokuhashi_revised("80", 0, 1, "none", "liver", "E"), "kps"),
        (lambda: sc.hcc_sm_gpa(True, "yes", "no"), "ecog"),
        (lambda: sc.ecog_to_kps(2.0), "ecog"),
        (lambda: sc.bilsky_grade(True), "bilsky"),
        (lambda: sc.frankel_grade(1), "frankel"),
        (lambda: sc.tomita(4, "none", "solitary"), "primary"),
        (lambda: sc.tomita("liver", True, "solitary"), "visceral_mets"),
    ],
)
def test_bools_and_wrong_types_raise(call, item):
    with pytest.raises(ValueError, match=item):
        call()


@pytest.mark.parametrize(
    "call, item",
    [
        (lambda: sc.tokuhashi_revised(None, 0, 1, "none", "liver", "E"), "kps"),
        (lambda: sc.tokuhashi_revised(np.nan, 0, 1, "none", "liver", "E"), "kps"),
        (
            lambda: sc.tokuhashi_revised(80, None, 1, "none", "liver", "E"),
            "extraspinal_bone_foci is missing",
        ),
        (lambda: sc.tokuhashi_revised(80, 0, 1, None, "liver", "E"), "organ_mets is missing"),
        (lambda: sc.tokuhashi_revised(80, 0, 1, "none", None, "E"), "primary is missing"),
        (lambda: sc.tomita("liver", np.nan, "solitary"), "visceral_mets is missing"),
        (lambda: sc.sins("T5", "none", None, "normal", "none", "none"), "lesion is missing"),
        (lambda: sc.child_pugh(1.0, None, "none", "none", inr=1.0), "albumin is missing"),
    ],
)
def test_missing_items_raise(call, item):
    with pytest.raises(ValueError, match=item):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: sc.tokuhashi_revised(80, 0, 1, "none", "spleen", "E"),
        lambda: sc.tokuhashi_original(80, 0, 1, "none", "carcinoid", "E"),
        lambda: sc.tomita("spleen", "none", "solitary"),
        lambda: sc.total_range("tomita", "spleen"),
    ],
)
def test_unknown_primary_raises(call):
    with pytest.raises(ValueError, match="primary must be"):
        call()


def _all_tokuhashi(primary, func):
    return {
        func(k, f, v, o, primary, fr).total
        for k, f, v, o, fr in itertools.product(
            (10, 40, 50, 70, 80, 100),
            (0, 1, 2, 3),
            (1, 2, 3),
            ("none", "removable", "unremovable"),
            "ABCDE",
        )
    }


def test_hcc_bounds_by_enumeration():
    # every combination of items with a liver primary: revised Tokuhashi 1-11, Tomita 5-10
    tok = _all_tokuhashi("liver", sc.tokuhashi_revised)
    assert (min(tok), max(tok)) == (1, 11) == sc.total_range("tokuhashi_revised", "hcc")
    assert tok == set(range(1, 12))
    orig = _all_tokuhashi("liver", sc.tokuhashi_original)
    assert (min(orig), max(orig)) == (1, 11) == sc.total_range("tokuhashi_original", "liver")
    tom = {
        sc.tomita("liver", v, b).total
        for v in ("none", "treatable", "untreatable")
        for b in ("solitary", "multiple")
    }
    assert (min(tom), max(tom)) == (5, 10) == sc.total_range("tomita", "liver")
    assert tom == {5, 6, 7, 8, 9, 10}
    # breast (5 points): 5-15; the widest range of the 2005 score
    assert sc.total_range("tokuhashi_revised", "breast") == (5, 15)
    assert sc.total_range("tomita", "slow") == (2, 7)


@pytest.mark.parametrize("score", list(sc.BANDS))
def test_bands_tile_the_range(score):
    bands = sc.BANDS[score]
    for (_lo1, hi1, *_), (lo2, _hi2, *_) in zip(bands, bands[1:]):
        assert lo2 == hi1 + 1  # contiguous, no gap, no overlap
    for lo, hi, label, meaning in bands:
        assert sc.band_of(score, lo) == sc.band_of(score, hi) == label and meaning
    with pytest.raises(ValueError, match="total must be"):
        sc.band_of(score, bands[-1][1] + 1)


def test_bands_carry_their_sources_prognosis():
    m = {b[2]: b[3] for b in sc.BANDS["tokuhashi_revised"]}
    assert "< 6 months" in m["0-8"] and ">= 6 months" in m["9-11"] and ">= 1 year" in m["12-15"]
    m = {b[2]: b[3] for b in sc.BANDS["tokuhashi_original"]}
    assert "<= 3 months" in m["0-5"] and ">= 12 months" in m["9-12"]
    m = {b[2]: b[3] for b in sc.BANDS["tomita"]}
    assert "wide or marginal" in m["2-3"] and "terminal care" in m["8-10"]
    assert sc.tokuhashi_revised(40, 3, 3, "unremovable", "liver", "A").meaning.startswith(
        "predicted survival < 6 months"
    )


def test_series_items_score_rows_by_index():
    idx = ["op2", "op1"]
    out = sc.tomita(
        "liver",
        pd.Series(["none", "untreatable"], index=idx),
        pd.Series(["solitary", "multiple"], index=idx),
    )
    assert (
        list(out.index) == idx
        and out.loc["op2", "total"] == 5
        and out.loc["op1", "group"] == "8-10"
    )
    with pytest.raises(ValueError, match="different index"):
        sc.tomita(
            "liver",
            pd.Series(["none", "untreatable"], index=idx),
            pd.Series(["solitary", "multiple"], index=["op1", "op2"]),
        )
    with pytest.raises(ValueError, match="row 'op1': visceral_mets"):
        sc.tomita("liver", pd.Series(["none", "lots"], index=idx), "solitary")
    cp = sc.child_pugh(pd.Series([1.0, 3.5]), 4.0, "none", "none", inr=1.0, cholestatic=True)
    assert cp["total"].tolist() == [5, 5]


def test_from_frame_missing_cell_and_original():
    df = pd.DataFrame(
        {
            "kps": [80, 60],
            "extraspinal_bone_foci": [0, 1],
            "vertebral_body_mets": [1, 2],
            "organ_mets": ["none", None],
            "primary": ["liver", "liver"],
            "frankel": ["E", "D"],
        }
    )
    with pytest.raises(ValueError, match="row 1: organ_mets is missing"):
        sc.tokuhashi_revised_from_frame(df)
    ok = sc.tokuhashi_original_from_frame(df.assign(organ_mets=["none", "removable"]))
    assert ok["total"].tolist() == [11, 6] and ok["group"].tolist() == ["9-12", "6-8"]
    with pytest.raises(ValueError, match="unknown item"):
        sc.tomita_from_frame(df, columns={"visceral": "organ_mets"})
    with pytest.raises(ValueError, match="data must be a pandas DataFrame"):
        sc.tomita_from_frame([1, 2])


@pytest.mark.parametrize("grade", ["0", "1a", "1b", "1c", "2", "3", 0, 2, 3])
def test_bilsky_every_grade(grade):
    g, level = sc.bilsky_grade(grade)
    assert level == ("high" if g in ("2", "3") else "low (1c, debated)" if g == "1c" else "low")


def test_frankel_asia_every_grade_and_kps_bands():
    assert (
        [sc.frankel_grade(g) for g in "abcde"]
        == list("ABCDE")
        == [sc.asia_grade(g) for g in "ABCDE"]
    )
    assert [sc.kps_to_tokuhashi_points(k) for k in (10, 40, 50, 70, 80, 100)] == [0, 0, 1, 1, 2, 2]
    with pytest.raises(ValueError, match="kps must be 10-100"):
        sc.kps_to_tokuhashi_points(0)
    # every ECOG grade under every mapping is a KPS range inside 0-100
    for mapping in ("ecog_acrin", "conventional", "prasad2018", "web", "buccheri1996"):
        ranges = [sc.ecog_to_kps(e, mapping) for e in range(5)]
        assert all(0 <= lo <= hi <= 100 for lo, hi in ranges)
        assert [lo for lo, _ in ranges] == sorted((lo for lo, _ in ranges), reverse=True)
