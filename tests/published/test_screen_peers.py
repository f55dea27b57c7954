"""The peers' published test cases, reproduced by the screen (issue 26 item 3).

Only the numbers and the expected verdicts are taken from the peers' own test suites (no code):

- statcheck: github.com/MicheleNuijten/statcheck, commit b288d9488c6019d748c4af1a08e6f1188a482d92,
  tests/testthat/test-error.R and tests/testthat/test-decisionerror.R (statcheck's defaults:
  alpha .05, pEqualAlphaSig = TRUE, pZeroError = TRUE, OneTailedTests = FALSE).
- scrutiny: github.com/lhdjung/scrutiny, commit a56a94509aedcf3aba3746b9388c461420982fc0,
  tests/testthat/test-grimmer.R (grimmer_scalar) and tests/testthat/test-debit-map.R (pigs3).
- rsprite2: github.com/LukasWallrich/rsprite2, commit 81211a5082670551c21d66dddc276ce6f9378415,
  tests/testthat/test-core-and-plot-functions.R (GRIM_test, GRIMMER_test, .sd_limits,
  boundary_test).
"""

from __future__ import annotations

import re

import pytest
from scipy import stats

from spinemets import screen as S
from spinemets.screen.peers import sd_bounds_grid

_APA = re.compile(
    r"^\s*(?P<test>t|F|r|chi2|z|Z|Q)\s*(\((?P<df>[\d, ]+)\))?\s*(?P<op>[=<>])\s*"
    r"(?P<stat>-?[\d.]+)\s*,\s*p\s*(?P<pop>[=<>])\s*(?P<p>[\d.]+)\s*$"
)


def apa(txt, **opts):
    """A statcheck example as a p_statistic relation (the test's numbers, as printed)."""
    m = _APA.match(txt)
    assert m, txt
    test = {"Z": "z"}.get(m["test"], m["test"])
    rel = {"rule": "p_statistic", "test": test, **opts}
    stat = m["stat"]
    if stat.startswith("."):
        stat = "0" + stat
    if stat.startswith("-."):
        stat = "-0" + stat[1:]
    rel["statistic"] = ("" if m["op"] == "=" else m["op"]) + stat
    p = m["p"] if not m["p"].startswith(".") else "0" + m["p"]
    rel["p"] = ("" if m["pop"] == "=" else m["pop"]) + p
    if m["df"]:
        dfs = [d.strip() for d in m["df"].split(",")]
        if test == "F":
            rel["df1"], rel["df2"] = dfs
        else:
            rel["df"] = dfs[0]
    return rel


def verdict(txt, **opts):
    row = S.check_relation(None, apa(txt, **opts))
    return row.verdict == "inconsistent", "decision error" in row.arithmetic, row


# ---------------------------------------------------------------- statcheck: errors


@pytest.mark.parametrize(
    "txt",
    [
        "t(28) = 2.20, p = .03",
        "F(2, 28) = 2.20, p = .15",
        "r(28) = .22, p = .26",
        "chi2(28) = 22.20, p = .79",
        "z = 2.20, p = .04",
        "Q(28) = 22.20, p = .79",
        "t(28) = -2.20, p = .03",
        "t(28) = 2.20, p > .05",
        "t(28) = 1.20, p = .03",
        "t(28) = 2.20, p = .30",
        "t(28) = 2.2, p = .08",
        "t(28) = 2.2, p = .02",
        "t(28) = 2.2, p > .08",
        "t(28) = 2.2, p < .02",
        "t(28) < 2.2, p < .02",
        "t(28) < 2.2, p = .02",
        "t(28) > 2.2, p > .08",
        "t(28) > 2.2, p = .08",
    ],
)
def test_statcheck_errors(txt):
    # statcheck test-error.R: "simple errors", "negative tests", "inexactly reported",
    # "decision errors are also errors", "t = ...", "t < ...", "t > ..."
    assert verdict(txt)[0], verdict(txt)[2]


@pytest.mark.parametrize(
    "txt",
    [
        "Z = -2.42, p = 0.016",
        "t(28) = 2.0, p < .05",
        "t(28) = 2, p = .02",
        "t(28) = 2, p = .14",
        "t(28) = 2.2, p = .03",
        "t(28) = 2.2, p = .04",
        "t(28) = 2.20, p = .036",
        "t(28) = 2.20, p = .037",
        "t(28) = 2.2, p = .036",
        "t(28) = 2.2, p < .08",
        "t(28) = 2.2, p > .02",
        "t(28) < 2.2, p = .08",
        "t(28) < 2.2, p > .08",
        "t(28) < 2.2, p < .08",
        "t(28) < 2.2, p > .02",
        "t(28) > 2.2, p = .02",
        "t(28) > 2.2, p > .02",
        "t(28) > 2.2, p < .02",
        "t(28) > 2.2, p < .08",
    ],
)
def test_statcheck_correct(txt):
    assert not verdict(txt)[0], verdict(txt)[2]


def test_statcheck_bounds_at_the_edge_of_rounding():
    # statcheck: lowp = 2 pt(2.25, 28, lower = F), upp = 2 pt(2.15, 28, lower = F)
    lowp = 2 * stats.t.sf(2.25, 28)
    upp = 2 * stats.t.sf(2.15, 28)
    assert verdict(f"t(28) = 2.2, p > {upp}")[0]
    assert verdict(f"t(28) = 2.2, p < {lowp}")[0]
    assert not verdict(f"t(28) < 2.20, p > {upp}")[0]
    assert verdict(f"t(28) < 2.2, p < {lowp}")[0]
    assert not verdict(f"t(28) > 2.20, p < {upp}")[0]
    assert verdict(f"t(28) > 2.2, p > {upp}")[0]


def test_statcheck_one_tailed():
    # OneTailedTests = TRUE is our tails: 1
    assert not verdict("t(28) = 2.20, p = .02", tails=1)[0]
    assert verdict("t(28) = 2.20, p = .04", tails=1)[0]
    # a p that fits only the one-tailed test is an error by default, and named
    err, _, row = verdict("t(28) = 2.20, p = .018")
    assert err and "one-tailed" in row.arithmetic
    assert not verdict("t(28) = 2.20, p = .018", tails=1)[0]


def test_statcheck_p_zero():
    # pZeroError = TRUE (default): p = .000 is an error; FALSE: read as p < .0005
    assert verdict("t(28) = 22.20, p = .000")[0]
    assert not verdict("t(28) = 22.20, p = .000", p_zero="bound")[0]
    assert verdict("t(28) = 22.20, p < .000")[0]
    assert verdict("t(28) = 22.20, p < .000", p_zero="bound")[0]


@pytest.mark.parametrize(
    "txt",
    [
        "t(28) = 2.20, p = .06",
        "t(28) = 1.20, p = .03",
        "F(2, 28) = 22.20, p = .06",
        "F(2, 28) = 2.20, p = .03",
        "r(28) = .22, p = .03",
        "r(28) = .52, p = .06",
        "chi2(28) = 2.20, p = .03",
        "chi2(28) = 52.20, p = .06",
        "z = 1.20, p = .03",
        "z = 2.20, p = .06",
        "Q(28) = 2.20, p = .03",
        "Q(28) = 52.20, p = .06",
    ],
)
def test_statcheck_decision_errors(txt):
    err, dec, row = verdict(txt)
    assert err and dec, row.arithmetic


@pytest.mark.parametrize(
    "txt,alpha",
    [
        ("t(28) = 2.20, p = .11", 0.10),
        ("t(28) = 1.20, p = .09", 0.10),
        ("t(28) = 5.20, p = .02", 0.01),
        ("t(28) = 1.20, p = .005", 0.01),
    ],
)
def test_statcheck_decision_errors_at_other_alphas(txt, alpha):
    assert verdict(txt, alpha=alpha)[1]


def test_statcheck_p_equal_alpha():
    # t(28) = 2.20, p = .05: an error, but a decision error only with pEqualAlphaSig = FALSE
    err, dec, _ = verdict("t(28) = 2.20, p = .05")
    assert err and not dec
    assert verdict("t(28) = 2.20, p = .05", p_equal_alpha="not significant")[1]
    assert not verdict("t(28) = 2.20, p = .10", alpha=0.10)[1]
    assert verdict("t(28) = 2.20, p = .10", alpha=0.10, p_equal_alpha="not significant")[1]


def test_statcheck_decision_errors_near_alpha():
    # test-decisionerror.R "cases where t = ..., p = ...": t at the p = .04/.05/.06 quantiles
    t04, t05, t06 = (stats.t.isf(q / 2, 28) for q in (0.04, 0.05, 0.06))
    cases = [
        (t04, ".04", False, False),
        (t06, ".04", True, True),
        (t04, ".05", False, True),
        (t05, ".05", False, False),
        (t06, ".05", True, False),
        (t04, ".06", True, True),
        (t05 + 1e-4, ".06", True, None),
        (t06, ".06", False, False),
        (t05 - 1e-4, ".04", None, True),
    ]
    for t, p, dec_default, dec_strict in cases:
        txt = f"t(28) = {t:.10f}, p = {p}"
        if dec_default is not None:
            assert verdict(txt)[1] == dec_default, txt
        if dec_strict is not None:
            assert verdict(txt, p_equal_alpha="not significant")[1] == dec_strict, txt


# ---------------------------------------------------------------- GRIM, GRIMMER, SD limits


def grimmer(mean, sd, n, **kw):
    return S.check_relation(None, {"rule": "grimmer", "mean": mean, "sd": sd, "n": n, **kw})


def test_rsprite2_and_scrutiny_grimmer_cases():
    # rsprite2 GRIMMER_test and scrutiny grimmer_scalar: (5.21, 1.6, 28) TRUE, (3.44, 2.47, 18)
    # FALSE; (5.19, 1.5, 28) FALSE because GRIM fails; (3.33, 1.234, 250) passes
    assert grimmer("5.21", "1.6", 28).verdict == "consistent"
    r = grimmer("3.44", "2.47", 18)
    assert r.verdict == "inconsistent" and "GRIMMER" in r.arithmetic
    r = grimmer("5.19", "1.5", 28)
    assert r.verdict == "inconsistent" and "GRIM:" in r.arithmetic
    r = grimmer("3.33", "1.234", 250)
    assert r.verdict == "consistent" and "GRIM cannot bite" in r.arithmetic
    # n = 1: no SD (rsprite2 fails with "SD is undefined")
    assert grimmer("2", "1", 1).verdict == "not applicable"


def test_rsprite2_grim_cases():
    def grim(mean, n, g=1):
        return S.check_relation(None, {"rule": "mean_sd", "mean": mean, "n": n, "granularity": g})

    assert grim("5.19", 28).verdict == "inconsistent"
    assert grim("5.18", 14, 0.5).verdict == "consistent"  # n_items = 2
    assert grim("5.83", 50).verdict == "inconsistent"
    assert grim("5.2", 20).verdict == "consistent"
    # rsprite2 warns that the sample size is too big for GRIM (2.5, n = 200)
    assert "GRIM cannot bite" in grim("2.5", 200).arithmetic


def test_rsprite2_sd_limits():
    # .sd_limits(n = 5, mean = 4.2, 1..7) = (0.45, 3.03); with n_items = 2: (0.27, 3.03)
    lo, hi = sd_bounds_grid(21, 5, 1, 7)
    assert (round(lo, 2), round(hi, 2)) == (0.45, 3.03)
    lo, hi = sd_bounds_grid(42, 5, 1, 7, 0.5)
    assert (round(lo, 2), round(hi, 2)) == (0.27, 3.03)
    assert sd_bounds_grid(100, 100, 1, 7) == (0.0, 0.0)
    assert sd_bounds_grid(700, 100, 1, 7) == (0.0, 0.0)
    assert sd_bounds_grid(50, 10, 5, 5) == (0.0, 0.0)


def test_rsprite2_boundary_test():
    base = {"n": 20, "low": 1, "high": 7}
    assert grimmer("4", "1.5", **base).verdict == "consistent"
    assert grimmer("4", "5", **base).verdict == "inconsistent"
    assert grimmer("8", "1.5", **base).verdict == "inconsistent"
    assert grimmer("5.19", "1.5", 28, low=1, high=7).verdict == "inconsistent"


# ---------------------------------------------------------------- DEBIT


@pytest.mark.parametrize(
    "x,sd,ok",
    [
        ("0.53", "0.50", True),
        ("0.44", "0.50", True),
        ("0.77", "0.42", True),
        ("0.19", "0.35", False),
        ("0.34", "0.47", True),
        ("0.93", "0.25", True),
        ("0.12", "0.33", True),
    ],
)
def test_scrutiny_debit_pigs3(x, sd, ok):
    # scrutiny test-debit-map.R: pigs3 with n = 1683, consistency T T T F T T T
    r = S.check_relation(None, {"rule": "debit", "mean": x, "sd": sd, "n": 1683})
    assert (r.verdict == "consistent") == ok, r.arithmetic


# ---------------------------------------------------------------- difference and CI


def test_difference_with_ci_against_p():
    # closed form: d = 1.0 (0.02 to 1.98), SE = 0.98 / 1.96 = 0.5, z = 2, p = 0.0455
    rel = {"rule": "diff_ci", "difference": "1.00", "lower": "0.02", "upper": "1.98"}
    assert S.check_relation(None, {**rel, "p": "0.046"}).verdict == "consistent"
    assert S.check_relation(None, {**rel, "p": "0.03"}).verdict == "inconsistent"
    # a t interval with 10 df: p from t(10), not the normal
    q = stats.t.ppf(0.975, 10)
    lo, hi = 1 - 0.5 * q, 1 + 0.5 * q
    p = 2 * stats.t.sf(2, 10)
    r = S.check_relation(
        None,
        {
            "rule": "diff_ci",
            "difference": "1.000",
            "lower": f"{lo:.3f}",
            "upper": f"{hi:.3f}",
            "p": f"{p:.3f}",
            "df": 10,
        },
    )
    assert r.verdict == "consistent", r.arithmetic
    # a difference that is not the midpoint of its interval
    r = S.check_relation(
        None, {"rule": "diff_ci", "difference": "1.5", "lower": "0.2", "upper": "1.8"}
    )
    assert r.verdict == "inconsistent" and "midpoint" in r.arithmetic
    # a difference of 0 allows p = 1
    r = S.check_relation(
        None, {"rule": "diff_ci", "difference": "0.0", "lower": "-1.0", "upper": "1.0", "p": "1.00"}
    )
    assert r.verdict == "consistent"
