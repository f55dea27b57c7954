"""Tests of the schedule-ordering helpers appended to spinemets.radiobiology.

Expected values are exact arithmetic from BED = D (1 + d / (alpha/beta)) (Fowler 1989):
two schedules have equal BED at alpha/beta = (D1 d1 - D2 d2) / (D2 - D1).
"""

import numpy as np
import pandas as pd
import pytest

from spinemets import radiobiology as rb

# ---------------------------------------------------------------- crossing_alpha_beta


@pytest.mark.parametrize(
    "s1, s2, expected",
    [
        ("36 Gy/12 fx", "24 Gy/3 fx", 7.0),  # (36*3 - 24*8)/(24 - 36) = -84/-12
        ("30 Gy/6 fx", "24 Gy/3 fx", 7.0),  # (30*5 - 24*8)/(24 - 30) = -42/-6
        ("40 Gy/10 fx", "18 Gy x 1", 164 / 22),  # (160 - 324)/(18 - 40): 7.4545
        ("24 Gy/3 fx", "18 Gy x 1", 22.0),  # (192 - 324)/(18 - 24) = 132/6
        ((36, 12), (24, 3), 7.0),  # tuples work too
    ],
)
def test_crossing_analytic(s1, s2, expected):
    x = rb.crossing_alpha_beta(s1, s2)
    assert x == pytest.approx(expected, rel=1e-12)
    assert rb.crossing_alpha_beta(s2, s1) == pytest.approx(expected, rel=1e-12)  # symmetric
    # the BEDs really are equal there
    (D1, n1), (D2, n2) = [rb.parse_schedule(s) if isinstance(s, str) else s for s in (s1, s2)]
    assert rb.bed(D1, n1, x) == pytest.approx(rb.bed(D2, n2, x), rel=1e-12)


def test_crossing_orders_on_either_side():
    # 36/12 lies below 24/3 at alpha/beta 3 and above it at 10 (the review's example)
    assert rb.bed(36, 12, 3) < rb.bed(24, 3, 3)  # 72 < 88
    assert rb.bed(36, 12, 10) > rb.bed(24, 3, 10)  # 46.8 > 43.2
    # 40/10 overtakes 18 x 1 between 7 and 10
    assert rb.bed(40, 10, 7) < rb.bed(18, 1, 7) and rb.bed(40, 10, 10) > rb.bed(18, 1, 10)


def test_crossing_none_when_order_fixed():
    assert rb.crossing_alpha_beta("30 Gy/10 fx", "20 Gy/5 fx") is None  # ab would be < 0
    assert rb.crossing_alpha_beta("30 Gy/10 fx", "30 Gy/5 fx") is None  # same D, d differs
    # D1 > D2 and D1 d1 > D2 d2: always above
    assert rb.crossing_alpha_beta("48 Gy/4 fx", "24 Gy/3 fx") is None


@pytest.mark.parametrize(
    "s1, s2, match",
    [
        ("30 Gy/10 fx", "3 Gy x 10", "same total dose and dose per fraction"),
        ("thirty Gy", "24 Gy/3 fx", "not a schedule"),
        ((30, 2.5), "24 Gy/3 fx", "positive integer"),
        ((-30, 10), "24 Gy/3 fx", "must be > 0"),
        (30, "24 Gy/3 fx", "schedule1 must be a schedule"),
    ],
)
def test_crossing_bad_input(s1, s2, match):
    with pytest.raises(ValueError, match=match):
        rb.crossing_alpha_beta(s1, s2)


# ---------------------------------------------------------------- bed_split_regroups

PAPER_D_NAMED = ["20 Gy/5 fx", "30 Gy/10 fx", "24 Gy/3 fx", "18 Gy x 1", "40 Gy/5 fx", "48 Gy/4 fx"]


def test_named_schedules_of_paper_d_keep_their_split():
    # the six schedules paper D names: no pair crosses between alpha/beta 2 and 15
    r = rb.bed_split_regroups(PAPER_D_NAMED, "24 Gy/3 fx", 7, (2, 15))
    assert not r["regroups"] and r["crossings"].empty
    assert r["groups"].set_index("schedule").group.to_dict() == {
        "20 Gy/5 fx": "low",
        "30 Gy/10 fx": "low",
        "24 Gy/3 fx": "high",
        "18 Gy x 1": "high",
        "40 Gy/5 fx": "high",
        "48 Gy/4 fx": "high",
    }


def test_schedule_anchored_cutoff_regroups_36_12_and_30_6():
    r = rb.bed_split_regroups(
        PAPER_D_NAMED + ["36 Gy/12 fx", "30 Gy/6 fx"], "24 Gy/3 fx", 7, (3, 10)
    )
    assert r["regroups"]
    assert set(r["crossings"].schedule) == {"36 Gy/12 fx", "30 Gy/6 fx"}
    assert np.allclose(r["crossings"].crossing_alpha_beta, 7.0)
    assert set(r["on_cutoff"]) == {"24 Gy/3 fx", "36 Gy/12 fx", "30 Gy/6 fx"}  # all 360/7


def test_numeric_cutoff_split_reproducible_or_not():
    used = ["30 Gy/10 fx", "36 Gy/12 fx", "40 Gy/10 fx", "18 Gy x 1"]
    # cutoff 63 Gy7: 40/10 (62.86) low, 18 x 1 (64.29) high; they swap at 7.4545
    r = rb.bed_split_regroups(used, 63, 7, (3, 10))
    assert r["regroups"]
    row = r["crossings"].iloc[0]
    assert (row.schedule, row.other) == ("40 Gy/10 fx", "18 Gy x 1")
    assert row.crossing_alpha_beta == pytest.approx(164 / 22)
    # outside the range the same split holds
    assert not rb.bed_split_regroups(used, 63, 7, (2, 7.4))["regroups"]
    # cutoff 51.4: 30/10 alone is low and stays lowest everywhere
    assert not rb.bed_split_regroups(used, 51.4, 7, (2, 15))["regroups"]


def test_closed_side_of_a_tie():
    r = rb.bed_split_regroups(["24 Gy/3 fx", "30 Gy/10 fx"], 360 / 7, 7, closed="low")
    assert r["groups"].group.tolist() == ["low", "low"]
    r = rb.bed_split_regroups(["24 Gy/3 fx", "30 Gy/10 fx"], 360 / 7, 7, closed="high")
    assert r["groups"].group.tolist() == ["high", "low"]


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(schedules=["24 Gy/3 fx"], cutoff=50, alpha_beta=7), "at least two"),
        (dict(schedules=PAPER_D_NAMED, cutoff=-1, alpha_beta=7), "cutoff must be"),
        (dict(schedules=PAPER_D_NAMED, cutoff=50, alpha_beta=0), "alpha_beta must be"),
        (
            dict(schedules=PAPER_D_NAMED, cutoff=50, alpha_beta=7, alpha_beta_range=(10, 3)),
            "alpha_beta_range",
        ),
        (dict(schedules=PAPER_D_NAMED, cutoff=50, alpha_beta=7, closed="middle"), "closed"),
        (dict(schedules=["24 Gy/3 fx", "oops"], cutoff=50, alpha_beta=7), "not a schedule"),
    ],
)
def test_regroups_bad_input(kw, match):
    with pytest.raises(ValueError, match=match):
        rb.bed_split_regroups(**kw)


# ---------------------------------------------------------------- find_schedules


def test_find_schedules_paper_a_median_window():
    # BED10 in [44.15, 44.25) on a 0.1-Gy dose-per-fraction grid: only 16.6 Gy x 1 (44.156);
    # a search capped at 10 Gy per fraction misses it.
    s = rb.find_schedules(44.15, 44.25, 10)
    assert s[["dose", "fx"]].values.tolist() == [[16.6, 1.0]]
    assert s.bed.iloc[0] == pytest.approx(16.6 * 2.66)
    assert rb.find_schedules(44.15, 44.25, 10, dose_per_fraction=(1.5, 10)).empty


def test_find_schedules_total_dose_grid_contains_known_schedules():
    s = rb.find_schedules(44.0, 45.0, 10, grid="total", fractions=(1, 20))
    got = set(map(tuple, s[["dose", "fx"]].values.tolist()))
    assert (36.0, 15.0) in got  # 36 Gy/15 fx = 44.64
    assert all((s.bed >= 44.0) & (s.bed < 45.0))
    assert (30.0, 6.0) not in got  # 45.0 is the excluded upper end


def test_find_schedules_exact_grid():
    # 360/7 at alpha/beta 7 (24/3, 30/6, 36/12) must be found although 360/7 is not a float
    s = rb.find_schedules(51.42, 51.44, 7, grid="total", step=1.0)
    assert {(24.0, 3.0), (30.0, 6.0), (36.0, 12.0)} <= set(map(tuple, s[["dose", "fx"]].values))


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(bed_low=45, bed_high=44, alpha_beta=10), "bed_low must be < bed_high"),
        (dict(bed_low=44, bed_high=45, alpha_beta=-1), "alpha_beta must be"),
        (dict(bed_low=44, bed_high=45, alpha_beta=10, fractions=(0, 3)), "fractions must"),
        (
            dict(bed_low=44, bed_high=45, alpha_beta=10, dose_per_fraction=(0, 3)),
            "dose_per_fraction must",
        ),
        (dict(bed_low=44, bed_high=45, alpha_beta=10, grid="both"), "grid must be"),
        (dict(bed_low=44, bed_high=45, alpha_beta=10, step=0), "step must be"),
    ],
)
def test_find_schedules_bad_input(kw, match):
    with pytest.raises(ValueError, match=match):
        rb.find_schedules(**kw)


# ---------------------------------------------------------------- bed_group

A_GROUPS = ["<=38", "39-53", ">53"]


def test_bed_group_paper_a():
    got = rb.bed_group(np.array([14.4, 28.0, 38.0, 39.0, 53.0, 53.1, 78.0]), A_GROUPS)
    assert got.tolist() == ["<=38", "<=38", "<=38", "39-53", "39-53", ">53", ">53"]
    s = rb.bed_group(pd.Series([39.0, 60.0], index=["a", "b"]), A_GROUPS)
    assert isinstance(s, pd.Series) and s.to_dict() == {"a": "39-53", "b": ">53"}
    assert rb.bed_group(14.4, A_GROUPS) == "<=38"


def test_bed_group_gap_raises_or_is_labelled():
    with pytest.raises(ValueError, match="38.4 fits none"):
        rb.bed_group(38.4, A_GROUPS)  # 32 Gy/16 fx
    assert rb.bed_group(38.4, A_GROUPS, outside="gap") == "gap"
    # the gap-free version: <39, 39-<53, >=53
    assert rb.bed_group([38.4, 52.99, 53.0], ["<39", "39-<53", ">=53"]).tolist() == [
        "<39",
        "39-<53",
        ">=53",
    ]


@pytest.mark.parametrize(
    "groups, match",
    [
        (["<=40", "39-53"], "overlap"),
        (["<=39", "39-53"], "overlap"),  # both contain 39
        (["<39", "39-53", "53-60"], "overlap"),  # 53 in both
        (["about 40"], "cannot read"),
        ("<=38", "list of interval labels"),
    ],
)
def test_bed_group_bad_groups(groups, match):
    with pytest.raises(ValueError, match=match):
        rb.bed_group(30.0, groups)


def test_bed_group_bad_values():
    with pytest.raises(ValueError, match="bed_values"):
        rb.bed_group([30.0, float("nan")], A_GROUPS)
    with pytest.raises(ValueError, match="bed_values"):
        rb.bed_group(-1.0, A_GROUPS)


def test_regroups_returns_a_result_that_prints_and_keeps_dict_access():
    from spinemets._results import Result

    r = rb.bed_split_regroups(PAPER_D_NAMED, "24 Gy/3 fx", 7, (2, 15))
    assert isinstance(r, rb.RegroupResult) and isinstance(r, Result)
    # the cutoff schedule's BED at the reference, by the LQ formula: 24 (1 + 8/7) = 360/7
    assert r.cutoff_bed == pytest.approx(360 / 7) and r.alpha_beta == 7
    assert r["regroups"] is r.regroups and r["crossings"] is r.crossings
    with pytest.raises(KeyError):
        r["cutoff_bed_typo"]
    text = repr(r)
    assert "regroups" in text and "crossings:" in text and "groups:" in text
