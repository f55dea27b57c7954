"""The ratio rule never cries wolf (issue 26 item 3, issue 22 item 5, issue 21 item 2).

Oracle: brute force. Every (estimate, lower, upper) that rounds to the printed digits and is a
Wald interval (estimate = sqrt(lower * upper)) is sampled on a dense grid, and its Wald p-value
computed with scipy from Altman & Bland's formula (BMJ 2011;343:d2304). The screen's range must
contain every sampled p and be no wider than the sampled range plus the grid's resolution.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from spinemets import screen as S

Z = stats.norm.ppf(0.975)


def brute(est, lo, up, n=1500):
    """Sampled Wald p over the rounding boxes of the printed limits, estimate = sqrt(L U)."""

    def box(t):
        d = len(t.split(".")[1]) if "." in t else 0
        h = 0.5 * 10.0**-d
        return float(t) - h, float(t) + h

    e1, e2 = box(est)
    L = np.linspace(*box(lo), n)[:, None]
    U = np.linspace(*box(up), n)[None, :]
    L, U = np.broadcast_arrays(L, U)
    g = np.sqrt(L * U)
    keep = (g >= e1) & (g <= e2) & (U > L) & (L > 0)
    w = (np.log(U[keep]) - np.log(L[keep])) / 2
    p = 2 * stats.norm.sf(Z * np.abs(np.log(g[keep])) / w)
    return p


@pytest.mark.parametrize(
    "est,lo,up",
    [
        ("0.13", "0.01", "1.16"),  # paper D, multivariable target therapy
        ("0.86", "0.21", "3.62"),  # paper D, univariable SINS
        ("1.00", "0.96", "1.04"),  # a ratio that rounds to 1
        ("1.00", "0.50", "2.00"),
        ("2.5", "1.1", "5.6"),
        ("0.1", "0.1", "0.2"),  # an estimate printed equal to its lower limit
    ],
)
def test_wald_p_range_matches_brute_force(est, lo, up):
    p = brute(est, lo, up)
    assert p.size > 100
    r = S.p_from_ci(est, lo, up)
    assert r.p_min <= p.min() + 1e-9 and r.p_max >= p.max() - 1e-9
    # and no wider than the sample (up to the grid's resolution)
    assert r.p_min >= p.min() - 0.01 * max(p.max() - p.min(), 1e-6) - 1e-12
    assert r.p_max <= p.max() + 0.01 * max(p.max() - p.min(), 1e-6) + 1e-12


def test_paper_d_multivariable_p_is_consistent_once_the_estimate_is_the_geometric_mean():
    # issue 21 item 2: 0.13 (0.01-1.16) printed with p = 0.068, and 0.09 is not attainable
    r = S.p_from_ci("0.13", "0.01", "1.16")
    assert r.p_min <= 0.068 <= r.p_max
    assert r.p_max < 0.085
    assert (
        S.check_relation(
            None,
            {
                "rule": "ratio_ci",
                "estimate": "0.13",
                "lower": "0.01",
                "upper": "1.16",
                "p": "0.068",
            },
        ).verdict
        == "consistent"
    )


@pytest.mark.parametrize("p", ["1.00", "1", "0.97", "0.80"])
def test_a_ratio_that_rounds_to_one_allows_p_one(p):
    # 1.00 (0.96-1.04): b = 0 is attainable, so p = 1 is; no "implied p 1 (range 0.96-0.962)"
    r = S.p_from_ci("1.00", "0.96", "1.04")
    assert r.p_max == 1.0 and r.p_min <= 0.81
    row = S.check_relation(
        None, {"rule": "ratio_ci", "estimate": "1.00", "lower": "0.96", "upper": "1.04", "p": p}
    )
    assert row.verdict == "consistent", row.arithmetic


def test_honest_hr_one_triples_are_never_flagged():
    # simulate Wald triples with log HR near 0 and print them to two decimals (half-up)
    rng = np.random.default_rng(26)
    flagged = []
    for _ in range(300):
        se = rng.uniform(0.01, 0.2)
        b = rng.normal(0, 0.005)
        est, lo, up = math.exp(b), math.exp(b - Z * se), math.exp(b + Z * se)
        p = 2 * stats.norm.sf(abs(b) / se)
        rel = {
            "rule": "ratio_ci",
            "estimate": f"{est:.2f}",
            "lower": f"{lo:.2f}",
            "upper": f"{up:.2f}",
            "p": f"{p:.2f}",
            "method": "wald",
        }
        row = S.check_relation(None, rel)
        if row.verdict == "inconsistent":
            flagged.append((rel, row.arithmetic))
    assert not flagged, flagged[:3]


def test_degenerate_intervals_do_not_abort_the_paper():
    # 0.1 (0.1-0.2) is an honest Wald interval printed to one decimal
    row = S.check_relation(
        None, {"rule": "ratio_ci", "estimate": "0.1", "lower": "0.1", "upper": "0.2", "p": "<0.001"}
    )
    assert row.verdict == "consistent"
    # 0.1 (0.1-0.1): the width is lost in rounding, nothing can be checked
    row = S.check_relation(
        None, {"rule": "ratio_ci", "estimate": "0.1", "lower": "0.1", "upper": "0.1", "p": "<0.001"}
    )
    assert row.verdict == "not checkable" and "print the same" in row.arithmetic
    # and a whole screen with both runs through
    res = S.screen(
        "park2016",
        [
            {"rule": "ratio_ci", "estimate": "0.1", "lower": "0.1", "upper": "0.2"},
            {"rule": "ratio_ci", "estimate": "0.1", "lower": "0.1", "upper": "0.1"},
            {"rule": "ratio_ci", "estimate": "0.0", "lower": "0.0", "upper": "0.3"},
        ],
    )
    assert list(res.table.verdict) == ["consistent", "not checkable", "not checkable"]
    with pytest.raises(ValueError, match="print the same"):
        S.p_from_ci("0.1", "0.1", "0.1")


def test_p_from_ci_refuses_an_estimate_outside_its_own_ci():
    # issue 22 item 5: "5 (0.5-2)" gave p = 5e-6; now refused, naming the estimate
    with pytest.raises(ValueError, match="estimate 5 lies outside its own CI 0.5-2"):
        S.p_from_ci("5", "0.5", "2")
    # within rounding of a limit is not outside: 2.04 may be 2.035 and the limit 2.0 up to 2.05
    S.p_from_ci("2.04", "0.5", "2.0")
    # the screen reports it as a finding instead
    row = S.check_relation(
        None, {"rule": "ratio_ci", "estimate": "5", "lower": "0.5", "upper": "2"}
    )
    assert row.verdict == "inconsistent" and "outside its own CI" in row.arithmetic


@pytest.mark.parametrize(
    "method,verdict,says",
    [
        ("wald", "inconsistent", "excludes the printed 0.01"),
        ("logrank", "consistent", "not checkable: p 0.01 is from a log-rank test"),
        ("lr", "consistent", "likelihood-ratio test"),
        ("profile", "consistent", "need not be symmetric"),
        ("exact", "consistent", "exact test"),
    ],
)
def test_the_rule_checks_only_what_the_method_implies(method, verdict, says):
    rel = {
        "rule": "ratio_ci",
        "estimate": "1.2",
        "lower": "0.9",
        "upper": "1.6",
        "p": "0.01",
        "method": method,
    }
    row = S.check_relation(None, rel)
    assert row.verdict == verdict and says in row.arithmetic, row.arithmetic


def test_profile_interval_is_not_held_to_the_geometric_mean():
    # R: confint(glm) profile limits are asymmetric on the log scale; a profile interval
    # 2.0 (1.1-4.3) has sqrt(1.1 * 4.3) = 2.17, not 2.0: fine for profile, flagged for Wald
    rel = {"rule": "ratio_ci", "estimate": "2.0", "lower": "1.1", "upper": "4.3"}
    assert S.check_relation(None, {**rel, "method": "profile"}).verdict == "consistent"
    row = S.check_relation(None, rel)
    assert row.verdict == "inconsistent" and "Wald assumed" in row.arithmetic


def test_p_from_ci_is_a_result():
    from spinemets._results import Result

    assert isinstance(S.p_from_ci("2.5", "1.1", "5.6"), Result)
