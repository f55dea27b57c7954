"""The consistency screen: every rule on constructed cases, at the edges of rounding."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from scipy import stats

from spinemets import published
from spinemets import screen as S

REG = published.load("park2016")


def one(rel):
    return S.check_relation(REG, rel)


# ---------------------------------------------------------------- percentage


@pytest.mark.parametrize(
    "count,n,pct,verdict",
    [
        (9, 28, "32.1", "consistent"),  # 32.142857
        (1, 8, "12.5", "consistent"),  # exactly 12.5
        (1, 200, "0.5", "consistent"),  # 0.5 exactly at one decimal
        (1, 3, "33.3", "consistent"),
        (1, 3, "33.4", "inconsistent"),
        (2, 3, "66.6", "inconsistent"),  # truncated
        (2, 3, "66.7", "consistent"),
        (17, 28, "63.0", "inconsistent"),  # paper B's toxicity: fits 17/27
        (17, 27, "63.0", "consistent"),
        (136, 192, "71.9", "inconsistent"),  # paper A's RT-alone row: 70.8
    ],
)
def test_percentage(count, n, pct, verdict):
    assert (
        one({"rule": "percentage", "count": count, "denominator": n, "percent": pct}).verdict
        == verdict
    )


def test_percentage_names_the_truncation_and_the_denominator_that_fits():
    r = one({"rule": "percentage", "count": 2, "denominator": 3, "percent": "66.6"})
    assert "truncated" in r.arithmetic
    r = one({"rule": "percentage", "count": 17, "denominator": 28, "percent": "63.0"})
    assert "17/27" in r.arithmetic


def test_percentage_at_the_rounding_edge():
    # 100 * 1 / 16 = 6.25: both 6.2 and 6.3 are within half a unit of the last digit
    for p in ("6.2", "6.3"):
        assert (
            one({"rule": "percentage", "count": 1, "denominator": 16, "percent": p}).verdict
            == "consistent"
        )
    assert (
        one({"rule": "percentage", "count": 1, "denominator": 16, "percent": "6.4"}).verdict
        == "inconsistent"
    )


def test_same_fraction_printed_two_ways_is_flagged():
    rels = [
        {"rule": "percentage", "count": 1, "denominator": 16, "percent": "6.2"},
        {"rule": "percentage", "count": 2, "denominator": 32, "percent": "6.3"},
    ]
    t = S.screen(REG, rels).table
    assert list(t.verdict) == ["inconsistent", "inconsistent"]
    assert all("same fraction" in a for a in t.arithmetic)


# ---------------------------------------------------------------- partition


def test_partition_counts():
    assert one({"rule": "partition", "parts": [13, 15], "total": 28}).verdict == "consistent"
    r = one({"rule": "partition", "parts": [10, 16, 9], "total": 36})
    assert r.verdict == "inconsistent" and "-1" in r.arithmetic


def test_partition_percentages_allow_each_parts_rounding():
    assert (
        one({"rule": "partition", "kind": "percent", "parts": ["33.3", "33.3", "33.4"]}).verdict
        == "consistent"
    )
    # three thirds printed as 33.3 each: the true parts may be 33.333..., so 99.9 is fine
    assert (
        one({"rule": "partition", "kind": "percent", "parts": ["33.3", "33.3", "33.3"]}).verdict
        == "consistent"
    )
    # ... but 33.2 + 33.3 + 33.3 can reach at most 99.95
    assert (
        one({"rule": "partition", "kind": "percent", "parts": ["33.2", "33.3", "33.3"]}).verdict
        == "inconsistent"
    )
    assert (
        one({"rule": "partition", "kind": "percent", "parts": ["33", "33", "33"]}).verdict
        == "consistent"
    )
    assert (
        one({"rule": "partition", "kind": "percent", "parts": ["33", "33", "32"]}).verdict
        == "inconsistent"
    )


# ---------------------------------------------------------------- ratio and CI


def test_ratio_ci_consistent_and_p_from_ci():
    # paper D: the printed p 0.068 is the Wald p of limits whose geometric mean rounds to 0.13;
    # 0.09 pairs the printed 0.13 with a lower limit of exactly 0.01 (issue 21 item 2)
    r = one(
        {"rule": "ratio_ci", "estimate": "0.13", "lower": "0.01", "upper": "1.16", "p": "0.068"}
    )
    assert r.verdict == "consistent"
    r = one({"rule": "ratio_ci", "estimate": "0.13", "lower": "0.01", "upper": "1.16", "p": "0.09"})
    assert r.verdict == "inconsistent"
    pc = S.p_from_ci("0.13", "0.01", "1.16")
    # the point value is Altman & Bland's formula at the admissible Wald interval nearest the
    # printed limits (its geometric mean rounds to 0.13)
    assert 0.125 <= pc.estimate_used <= 0.135
    assert pc.p == pytest.approx(2 * stats.norm.sf(abs(math.log(pc.estimate_used)) / pc.se))
    assert pc.p_min <= pc.p <= pc.p_max
    # the range is over every rounding whose geometric mean rounds to 0.13 (brute force in
    # tests/test_screen_ratio.py); the printed 0.068 lies inside it
    assert pc.p_min <= 0.068 <= pc.p_max


def test_ratio_ci_flags_exp_coef_and_transposed_limits():
    r = one(
        {"rule": "ratio_ci", "estimate": "1.165", "lower": "0.9", "upper": "1.5", "coef": "0.259"}
    )
    assert r.verdict == "inconsistent" and "1.296" in r.arithmetic
    r = one({"rule": "ratio_ci", "estimate": "2.0", "lower": "3.9", "upper": "1.0"})
    assert "reverse" in r.arithmetic


def test_ratio_ci_p_bound():
    assert (
        one(
            {"rule": "ratio_ci", "estimate": "3.0", "lower": "2.0", "upper": "4.5", "p": "<0.001"}
        ).verdict
        == "consistent"
    )
    assert (
        one(
            {"rule": "ratio_ci", "estimate": "1.2", "lower": "0.9", "upper": "1.6", "p": "<0.001"}
        ).verdict
        == "inconsistent"
    )


def test_p_from_ci_refuses_bad_input():
    with pytest.raises(ValueError, match="lower"):
        S.p_from_ci("1.2", "1.5", "1.1")
    with pytest.raises(ValueError, match="estimate"):
        S.p_from_ci("0", "0.1", "2")
    with pytest.raises(ValueError, match="level"):
        S.p_from_ci("1.2", "0.9", "1.6", level=95)


# ---------------------------------------------------------------- median and CI


def test_median_ci_symmetric_is_the_spss_signature():
    r = one({"rule": "median_ci", "median": "172", "lower": "55.57", "upper": "288.43"})
    assert r.verdict == "consistent" and "SPSS" in r.arithmetic
    assert "59.4" in r.arithmetic  # SE = (288.43 - 55.57) / 3.92


def test_median_ci_edges():
    # asymmetric by more than rounding
    r = one({"rule": "median_ci", "median": "4.5", "lower": "3.9", "upper": "5.4"})
    assert r.verdict == "consistent" and "asymmetric" in r.arithmetic
    # asymmetric by exactly the rounding: still possibly symmetric
    r = one({"rule": "median_ci", "median": "4.5", "lower": "3.9", "upper": "5.2"})
    assert "symmetric, the SPSS" in r.arithmetic
    # SPSS prints median - 1.96 SE below 0: honest (bench_screen.py), named, not a finding
    r = one({"rule": "median_ci", "median": "3.0", "lower": "-0.9", "upper": "6.9"})
    assert r.verdict == "consistent" and "below 0" in r.arithmetic
    assert (
        one({"rule": "median_ci", "median": "7.0", "lower": "1.0", "upper": "6.0"}).verdict
        == "inconsistent"
    )


# ---------------------------------------------------------------- mean and SD


def test_grim_at_the_edge():
    # n = 28: possible means are k/28; 3.7 holds (103/28 = 3.679), 5.19 does not
    assert (
        one({"rule": "mean_sd", "mean": "3.7", "n": 28, "granularity": 1}).verdict == "consistent"
    )
    assert (
        one({"rule": "mean_sd", "mean": "5.19", "n": 28, "granularity": 1}).verdict
        == "inconsistent"
    )
    # with enough patients every mean at two decimals is possible
    assert (
        one({"rule": "mean_sd", "mean": "5.19", "n": 100, "granularity": 1}).verdict == "consistent"
    )
    # a half-point grid doubles the possible sums
    assert (
        one({"rule": "mean_sd", "mean": "5.19", "n": 28, "granularity": 0.5}).verdict
        == "inconsistent"
    )


def test_sd_bounds_on_a_bounded_scale():
    # mean 1.0 on 0-10 with n = 10: the largest SD has one 10 and nine 0s: sqrt(1 * 9 * 10 / 9) = 3.16
    assert (
        one({"rule": "mean_sd", "mean": "1.0", "sd": "3.2", "n": 10, "low": 0, "high": 10}).verdict
        == "consistent"
    )
    assert (
        one({"rule": "mean_sd", "mean": "1.0", "sd": "3.3", "n": 10, "low": 0, "high": 10}).verdict
        == "inconsistent"
    )
    # smallest SD with integer data and mean 2.5 (n = 10): five 2s and five 3s, SD 0.527
    assert (
        one(
            {
                "rule": "mean_sd",
                "mean": "2.5",
                "sd": "0.5",
                "n": 10,
                "low": 0,
                "high": 10,
                "granularity": 1,
            }
        ).verdict
        == "consistent"
    )
    assert (
        one(
            {
                "rule": "mean_sd",
                "mean": "2.5",
                "sd": "0.4",
                "n": 10,
                "low": 0,
                "high": 10,
                "granularity": 1,
            }
        ).verdict
        == "inconsistent"
    )


def test_mean_sd_says_why_it_cannot_apply():
    r = one({"rule": "mean_sd", "mean": "3.7", "n": 28})
    assert r.verdict == "not applicable" and "granularity" in r.arithmetic


# ---------------------------------------------------------------- partition medians and p


def test_partition_medians():
    assert (
        one({"rule": "partition_medians", "medians": ["4.5", "9.7"], "overall": "6.0"}).verdict
        == "consistent"
    )
    assert (
        one({"rule": "partition_medians", "medians": ["4.5", "9.7"], "overall": "9.75"}).verdict
        == "consistent"
    )
    assert (
        one({"rule": "partition_medians", "medians": ["4.5", "9.7"], "overall": "10.2"}).verdict
        == "implausible"
    )


def test_p_statistic():
    assert (
        one(
            {"rule": "p_statistic", "test": "chi2", "statistic": "3.84", "df": 1, "p": "0.05"}
        ).verdict
        == "consistent"
    )
    assert (
        one(
            {"rule": "p_statistic", "test": "chi2", "statistic": "3.84", "df": 2, "p": "0.05"}
        ).verdict
        == "inconsistent"
    )
    assert (
        one({"rule": "p_statistic", "test": "z", "statistic": "1.96", "p": "0.10"}).verdict
        == "inconsistent"
    )
    assert (
        one(
            {"rule": "p_statistic", "test": "t", "statistic": "2.1", "df": 27, "p": "0.045"}
        ).verdict
        == "consistent"
    )


# ---------------------------------------------------------------- plumbing


def test_bad_relations_raise_value_error():
    with pytest.raises(ValueError, match="rule"):
        one({"rule": "nonsense"})
    with pytest.raises(ValueError, match="nor a number of park2016"):
        one({"rule": "percentage", "count": "no_such_id", "denominator": 28, "percent": "50.0"})
    with pytest.raises(ValueError, match="registry"):
        S.screen("no-such-paper")


def test_missing_field_is_an_input_error_not_silent():
    with pytest.raises(ValueError, match="'percent' is required"):
        one({"rule": "percentage", "count": 3, "denominator": 28})


def test_registry_ids_are_resolved_and_listed():
    r = one(
        {
            "rule": "partition",
            "parts": ["n_lesions_sbrt", "n_lesions_non_sbrt"],
            "total": "n_lesions",
        }
    )
    assert r.verdict == "consistent"
    assert r.numbers == "n_lesions_sbrt, n_lesions_non_sbrt, n_lesions"


@pytest.mark.slow
def test_screen_of_a_new_papers_file(tmp_path):
    f = tmp_path / "mypaper.yaml"
    f.write_text(
        "paper: mypaper\nnumbers:\n"
        "  n: {quantity: patients, value: 40, source: {where: abstract}}\n"
        "  men: {quantity: men, value: 22, source: {where: text}}\n"
        "  men_pct: {quantity: men percent, value: '56.0', source: {where: text}}\n"
        "relations:\n"
        "  - {rule: percentage, count: men, denominator: n, percent: men_pct}\n"
    )
    res = S.screen(f)
    assert res.table.verdict.tolist() == ["inconsistent"]  # 22/40 = 55.0
    out = subprocess.run(
        [sys.executable, "-m", "spinemets.screen", "screen", str(f)], capture_output=True, text=True
    )
    assert out.returncode == 1 and "inconsistent" in out.stdout


def test_same_fraction_at_two_precisions_or_beside_a_wrong_percentage_is_not_a_conflict():
    # 48/192 printed as 25 (text) and 25.0 (table): two precisions, one rounding rule
    rels = [
        {"rule": "percentage", "count": 48, "denominator": 192, "percent": "25"},
        {"rule": "percentage", "count": 48, "denominator": 192, "percent": "25.0"},
    ]
    assert list(S.screen(REG, rels).table.verdict) == ["consistent", "consistent"]
    # 4/192 = 2.083: 2.1 is right, 1.0 is wrong on its own; the right one stays consistent
    rels = [
        {"rule": "percentage", "count": 4, "denominator": 192, "percent": "2.1"},
        {"rule": "percentage", "count": 4, "denominator": 192, "percent": "1.0"},
    ]
    t = S.screen(REG, rels).table
    assert list(t.verdict) == ["consistent", "inconsistent"]
    assert "same fraction" not in t.arithmetic.iloc[0]


# ---------------------------------------------------------------- median CI with an exact median


def test_exact_median_flags_a_nearly_symmetric_ci_as_a_misprint():
    # paper C, Table 2, Tomita IV: 74 (2.72-145.18). 74 - 2.72 = 71.28, 145.18 - 74 = 71.18.
    rel = {"rule": "median_ci", "median": "74", "lower": "2.72", "upper": "145.18"}
    # the median printed as 74 may be anything in [73.5, 74.5]: symmetric within rounding
    assert one(rel).verdict == "consistent"
    r = one({**rel, "exact_median": True})  # an observed time in whole days is exact
    assert r.verdict == "inconsistent"
    assert "2.82-145.18" in r.arithmetic and "2.72-145.3" in r.arithmetic
    # exactly symmetric about the exact median: the SPSS signature, consistent
    ok = one(
        {
            "rule": "median_ci",
            "median": "72",
            "lower": "63.68",
            "upper": "80.32",
            "exact_median": True,
        }
    )
    assert ok.verdict == "consistent" and "SPSS" in ok.arithmetic
    # clearly asymmetric (Brookmeyer-Crowley) stays consistent
    bc = one(
        {"rule": "median_ci", "median": "74", "lower": "40", "upper": "160", "exact_median": True}
    )
    assert bc.verdict == "consistent"


def test_relation_that_cannot_apply_says_why():
    r = one({"rule": "partition", "applies": False, "total": 28, "reason": "no group counts"})
    assert r.verdict == "not applicable" and r.arithmetic == "no group counts"
    with pytest.raises(ValueError, match="reason"):
        one({"rule": "partition", "applies": False, "total": 28})
    with pytest.raises(ValueError, match="nor a number of"):
        one({"rule": "partition", "applies": False, "total": "no_such_id", "reason": "x"})


def test_mean_sd_bounds_may_be_literals_or_text():
    # VAS 0-10, n = 28: the largest SD with mean 6.85 is sqrt(6.85 * 3.15 * 28 / 27) = 4.73
    base = {"rule": "mean_sd", "mean": "6.8", "n": 28, "low": 0, "high": 10, "granularity": 1}
    assert one({**base, "sd": "2.3"}).verdict == "consistent"
    r = one({**base, "sd": "5.0"})
    assert r.verdict == "inconsistent" and "largest possible" in r.arithmetic
    assert one({**base, "sd": "2.3", "low": "0", "high": "10"}).verdict == "consistent"


# ---------------------------------------------------------------- conventions named


def test_a_truncated_report_is_named_as_a_convention_mismatch():
    # t(28) = 2.19: p = 0.0374 (scipy), printed 0.03 only by truncation
    assert 2 * stats.t.sf(2.195, 28) > 0.035
    r = one({"rule": "p_statistic", "test": "t", "statistic": "2.19", "df": 28, "p": "0.03"})
    assert r.verdict == "inconsistent" and "truncated, not rounded" in r.arithmetic
    # three parts truncated: 33.3 + 33.3 + 33.2 fits 100 only if cut
    r = one({"rule": "partition", "kind": "percent", "parts": ["33.3", "33.3", "33.2"]})
    assert r.verdict == "inconsistent" and "truncated" in r.arithmetic
    # a correctly rounded report carries no such note
    r = one({"rule": "p_statistic", "test": "t", "statistic": "2.19", "df": 28, "p": "0.04"})
    assert r.verdict == "consistent" and "truncated" not in r.arithmetic


# ---------------------------------------------------------------- input contract and guards


def test_resource_guards_refuse_quickly_and_say_why():
    r = one({"rule": "paired_logrank", "pairs": 10**6, "p": "0.04"})
    assert r.verdict == "not checkable" and "limit of 2000" in r.arithmetic
    r = one({"rule": "grimmer", "mean": "5.2", "sd": "1.1", "n": 10**9})
    assert r.verdict == "not checkable" and "GRIM cannot bite" in r.arithmetic
    r = one(
        {"rule": "spss_median_ci", "median": 74, "lower": "2.72", "upper": "145.18", "n": 10**4}
    )
    assert r.verdict == "not checkable"
    # no hint enumeration over a billion denominators
    assert (
        one({"rule": "percentage", "count": 1, "denominator": 10**9, "percent": "5.0"}).verdict
        == "inconsistent"
    )
    assert one({"rule": "km_percent", "percent": "50.0", "n": 10**12}).verdict == "consistent"


def test_random_relations_raise_only_value_errors():
    # the input contract: whatever is typed into a relation, only ValueError escapes
    import random

    from spinemets.screen._base import SPECS

    rnd = random.Random(26)
    values = [
        "0",
        "0.0",
        "1",
        "-1",
        "0.5",
        "1e300",
        "<0.001",
        ">5",
        "100.0",
        "0.000",
        "x",
        "",
        "1.",
        ".5",
        0,
        2,
        -3,
        1.5,
        True,
        None,
        [1, 2],
        {"a": 1},
        "nan",
        "99999",
    ]
    for _ in range(1500):
        rule = rnd.choice(list(SPECS))
        spec = SPECS[rule]
        rel = {"rule": rule}
        for f in spec.fields:
            if f in spec.lists:
                rel[f] = [rnd.choice(values) for _ in range(rnd.randint(0, 3))]
            elif f in spec.maps:
                rel[f] = {"a": rnd.choice(values)}
            elif f in spec.choices:
                rel[f] = rnd.choice([*spec.choices[f], "zzz"])
            else:
                rel[f] = rnd.choice(values)
        try:
            S.check_relation(None, rel)
        except ValueError:
            pass


# ---------------------------------------------------------------- one result shape


def test_results_are_result_objects_with_deprecated_dict_access():
    from spinemets._results import Result

    r = one({"rule": "percentage", "count": 46, "denominator": 192, "percent": "23.9"})
    assert isinstance(r, S.RelationCheck) and isinstance(r, Result)
    assert set(r.to_dict()) == {
        "rule",
        "numbers",
        "verdict",
        "arithmetic",
        "tolerance",
        "source",
        "note",
    }
    with pytest.warns(DeprecationWarning, match=r"use \.verdict"):
        assert r["verdict"] == r.verdict == "inconsistent"  # 46/192 = 23.96%
    res = S.screen("lee2015")
    assert isinstance(res, S.ScreenResult) and isinstance(res, Result)
    assert str(res).startswith(res.summary[:40])
    q = S.p_from_ci("0.13", "0.01", "1.16")
    assert isinstance(q, S.PFromCI) and isinstance(q, Result)
    with pytest.warns(DeprecationWarning, match="p_min"):
        assert q.p_low == q.p_min
    with pytest.warns(DeprecationWarning, match="p_max"):
        assert q.p_high == q.p_max


def test_registries_are_parsed_once_per_process(monkeypatch):
    # item 3 of the brief: the relations come through the one registry loader (cached by
    # file), and the line-keeping reader runs only to place an input error
    from spinemets import published
    from spinemets.screen import check

    def refuse(path):
        raise AssertionError(f"{path} parsed again")

    published._read_yaml_cached.cache_clear()
    monkeypatch.setattr(check, "read_yaml", refuse)
    for _ in range(3):
        S.screen("sohn2016")
    info = published._read_yaml_cached.cache_info()
    assert info.misses <= 2  # sohn2016.yaml (if not loaded yet) and sohn2016.relations.yaml
    assert info.hits >= 4
