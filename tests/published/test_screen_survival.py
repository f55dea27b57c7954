"""Survival reporting rules (issue 26 item 2), at the rounding edges.

Oracles: lifelines' Kaplan-Meier estimate on simulated censored data (the bounds every honest
estimate must satisfy); statsmodels' stratified log-rank test (``survdiff`` with ``strata``)
for the matched-pair identity; closed forms for k/n.
"""

from __future__ import annotations

import numpy as np
import pytest
from lifelines import KaplanMeierFitter
from statsmodels.duration.survfunc import survdiff

from spinemets import screen as S
from spinemets.screen.survival import mcnemar_p


def one(**rel):
    return S.check_relation(None, rel)


# ---------------------------------------------------------------- attainable KM values


@pytest.mark.parametrize(
    "pct,verdict",
    [
        ("50.0", "consistent"),  # 14/28
        ("53.6", "consistent"),  # 15/28 = 53.571 rounds to 53.6
        ("53.5", "inconsistent"),  # 53.571 does not round to 53.5 and nobody was censored
        ("53.65", "inconsistent"),
    ],
)
def test_km_percent_without_censoring_is_k_over_n(pct, verdict):
    assert one(rule="km_percent", percent=pct, n=28, no_censoring=True).verdict == verdict


def test_km_percent_that_is_no_k_over_n_implies_censoring():
    r = one(rule="km_percent", percent="51.0", n=28)
    assert r.verdict == "consistent" and "implies censoring" in r.arithmetic


def test_km_percent_bounds_from_numbers_at_risk_and_events():
    # 10 of 28 still at risk: S >= 35.71%; 35.7 rounds from 35.65-35.75: attainable
    assert one(rule="km_percent", percent="35.7", n=28, at_risk=10).verdict == "consistent"
    assert one(rule="km_percent", percent="35.6", n=28, at_risk=10).verdict == "inconsistent"
    # 18 events: S <= 10/28
    assert one(rule="km_percent", percent="35.8", n=28, events=18).verdict == "inconsistent"
    # at risk + events = n: no censoring, S = 10/28 exactly
    assert (
        one(rule="km_percent", percent="35.7", n=28, at_risk=10, events=18).verdict == "consistent"
    )
    r = one(rule="km_percent", percent="36.0", n=28, at_risk=9, events=18)
    assert r.verdict == "inconsistent" and "S ≤ 1 − 18/28" in r.arithmetic
    # 20 at risk + 8 events: nobody censored, S = 20/28 = 71.43, not 71.5
    r = one(rule="km_percent", percent="71.5", n=28, at_risk=20, events=8)
    assert r.verdict == "inconsistent" and "nobody was censored" in r.arithmetic
    assert (
        one(rule="km_percent", percent="50", n=28, at_risk=20, events=10).verdict == "inconsistent"
    )


def test_honest_km_values_are_never_flagged():
    # lifelines' KM on simulated censored data, printed to one decimal, with the numbers at risk
    # after the time and the events up to it
    rng = np.random.default_rng(2026)
    bad = []
    for _ in range(200):
        n = int(rng.integers(5, 60))
        t = rng.exponential(10, n)
        c = rng.exponential(15, n)
        time, event = np.minimum(t, c), (t <= c).astype(int)
        kmf = KaplanMeierFitter().fit(time, event)
        at = float(rng.uniform(2, 15))
        s = float(kmf.survival_function_at_times(at).iloc[0])
        m = int((time > at).sum())
        d = int(((time <= at) & (event == 1)).sum())
        rel = {"rule": "km_percent", "percent": f"{100 * s:.1f}", "n": n, "at_risk": m, "events": d}
        row = S.check_relation(None, rel)
        if row.verdict != "consistent":
            bad.append((rel, row.arithmetic))
    assert not bad, bad[:3]


# ---------------------------------------------------------------- composite endpoints


def test_composite_median_above_os():
    assert one(rule="composite_median", composite="6.1", os="9.0").verdict == "consistent"
    # equal within rounding is fine: 9.05 vs 9.04
    assert one(rule="composite_median", composite="9.1", os="9.0").verdict == "consistent"
    r = one(rule="composite_median", composite="9.2", os="9.0", composite_name="PFS")
    assert r.verdict == "implausible" and "deaths were censored in PFS" in r.arithmetic


def test_composite_median_above_os_with_the_same_censoring_is_implausible_not_impossible():
    # five patients, each progressing no later than death, PFS and OS censored at the same
    # times: the progression on day 2 (4 at risk) drops PFS by 1/4, the death on day 5 (2 at
    # risk) drops OS by 1/2, so the Kaplan-Meier medians cross (PFS 10 > OS 5); the rule
    # cannot call that inconsistent and names censoring among the causes
    from spinemets.survival import median_survival

    pfs = median_survival([1, 3, 2, 10, 4], [1, 0, 1, 1, 0], ci="spss").median
    os_ = median_survival([1, 3, 5, 12, 4], [1, 0, 1, 0, 0], ci="spss").median
    assert (pfs, os_) == (10, 5)
    lifelines_pfs = KaplanMeierFitter().fit([1, 3, 2, 10, 4], [1, 0, 1, 1, 0])
    assert lifelines_pfs.median_survival_time_ == 10
    r = one(rule="composite_median", composite=str(pfs), os=str(os_), composite_name="PFS")
    assert r.verdict == "implausible"
    assert "censoring made the two Kaplan-Meier curves cross" in r.arithmetic


# ---------------------------------------------------------------- matched pairs


def test_pair_stratified_logrank_is_mcnemar_on_first_failures():
    # statsmodels' stratified log-rank on simulated 1:1 pairs equals McNemar (no correction)
    # on the pairs where one member failed first while both were at risk
    rng = np.random.default_rng(7)
    for _ in range(20):
        k = int(rng.integers(8, 30))
        t1, t0 = rng.exponential(8, k), rng.exponential(12, k)
        c = rng.exponential(20, k)
        time = np.r_[np.minimum(t1, c), np.minimum(t0, c)]
        status = np.r_[(t1 <= c), (t0 <= c)].astype(int)
        group = np.r_[np.ones(k), np.zeros(k)]
        strata = np.r_[np.arange(k), np.arange(k)]
        _, p_sm = survdiff(time, status, group, strata=strata)
        first = np.minimum(time[:k], time[k:])
        b = int(((time[:k] == first) & (status[:k] == 1) & (time[:k] < time[k:])).sum())
        cc = int(((time[k:] == first) & (status[k:] == 1) & (time[k:] < time[:k])).sum())
        assert mcnemar_p(b, cc) == pytest.approx(p_sm, rel=1e-8)
        r = one(rule="paired_logrank", pairs=k, p=f"{p_sm:.3f}")
        assert r.verdict == "consistent", r.arithmetic


def test_paired_logrank_inverts_p_to_splits():
    r = one(rule="paired_logrank", pairs=28, p="0.04")
    assert r.verdict == "consistent" and "14:5" in r.arithmetic
    # with 5 pairs the smallest p is that of 5:0, chi2 = 5, p = 0.025; 0.04 is not attainable
    assert one(rule="paired_logrank", pairs=5, p="0.04").verdict == "inconsistent"
    assert one(rule="paired_logrank", pairs=5, p="0.025").verdict == "consistent"
    # events bound the informative pairs
    assert one(rule="paired_logrank", pairs=28, events=4, p="0.04").verdict == "inconsistent"


# ---------------------------------------------------------------- denominators


def test_denominator_names_the_group_that_fits():
    base = {
        "rule": "denominator",
        "count": 9,
        "percent": "25.0",
        "denominators": {"patients": 28, "lesions": 36},
    }
    r = one(**base)
    assert r.verdict == "consistent" and "fits lesions" in r.arithmetic
    r = one(**base, named="patients")
    assert r.verdict == "inconsistent" and "not the patients" in r.arithmetic
    assert one(**{**base, "percent": "30.0"}).verdict == "inconsistent"
    with pytest.raises(ValueError, match="denominators"):
        one(rule="denominator", count=9, percent="25.0", denominators=[28, 36])


# ---------------------------------------------------------------- SPSS median CI


def test_spss_half_width_closed_form():
    # 10 uncensored deaths on days 10, 20, ..., 100 (lifelines gives the same KM steps):
    # u = 40 (S = 0.6), median 50 (S = 0.5), l = 60 (S = 0.4); f = 0.2 / 20 = 0.01,
    # SE = sqrt(0.5 * 0.5 / 10) / 0.01 = 15.81, half-width 1.96 * 15.81 = 30.99
    t = np.arange(10, 101, 10)
    s = KaplanMeierFitter().fit(t, np.ones(10)).survival_function_
    assert float(s.loc[40].iloc[0]) == pytest.approx(0.6)
    assert float(s.loc[50].iloc[0]) == pytest.approx(0.5)
    half = 1.959963985 * np.sqrt(0.25 / 10) / (0.2 / 20)
    lo, hi = f"{50 - half:.2f}", f"{50 + half:.2f}"
    r = one(rule="spss_median_ci", median=50, lower=lo, upper=hi, n=10)
    assert r.verdict == "consistent", r.arithmetic
    # one limit off by 0.1: the rule names it and what it should read
    r = one(rule="spss_median_ci", median=50, lower=lo, upper=f"{50 + half + 0.1:.2f}", n=10)
    assert r.verdict == "implausible" and f"should read {hi}" in r.arithmetic


def test_spss_median_ci_names_a_truncated_limit():
    # the closed-form curve above, its limits 19.0102 and 80.9897 printed with the digits cut:
    # 19.01 and 80.98; read as rounded, 80.98 looks like the misprint (implausible), and the
    # rule says that truncated digits explain it (a convention mismatch, not a misprint)
    r = one(rule="spss_median_ci", median=50, lower="19.01", upper="80.98", n=10)
    assert r.verdict == "implausible" and "should read 80.99" in r.arithmetic
    assert "consistent if the printed digits were truncated" in r.arithmetic


def test_spss_median_ci_of_simulated_uncensored_whole_day_data():
    # the library's SPSS interval (spinemets.survival.median_survival, a separate code path)
    # on uncensored whole-day data is always attainable by the rule
    from spinemets.survival import median_survival

    rng = np.random.default_rng(13)
    checked = 0
    for _ in range(40):
        n = int(rng.integers(6, 30))
        t = np.ceil(rng.exponential(150, n))
        m = median_survival(t, np.ones(n), ci="spss")
        if not np.isfinite([m.median, m.lower, m.upper]).all() or m.median != int(m.median):
            continue
        r = one(
            rule="spss_median_ci",
            median=int(m.median),
            lower=f"{m.lower:.2f}",
            upper=f"{m.upper:.2f}",
            n=n,
        )
        assert r.verdict == "consistent", (n, m, r.arithmetic)
        checked += 1
    assert checked >= 20


# ---------------------------------------------------------------- KM denominators


def test_km_denominator_names_the_units_the_value_is_k_over_n_of():
    # closed forms: 6/13 = 46.15% (lesions); no k/11 is within 46.15-46.25 (5/11 = 45.45%)
    r = one(
        rule="km_denominator",
        percent="46.2",
        denominators={"patients": 11, "lesions": 13},
        named="patients",
    )
    assert r.verdict == "implausible"
    assert "6/13" in r.arithmetic
    # the chance of landing on some k/13 by accident: 14 windows of 0.1 in 100 points
    assert "about 1% of the time" in r.arithmetic
    # 6/11 = 54.55% is k/n over the named patients: consistent, whatever the lesions say
    r = one(
        rule="km_denominator",
        percent="54.5",
        denominators={"patients": 11, "lesions": 13},
        named="patients",
    )
    assert r.verdict == "consistent"
    # no k/13 nor k/15 is within 72.15-72.25: censoring, consistent
    r = one(
        rule="km_denominator",
        percent="72.2",
        denominators={"patients": 13, "lesions": 15},
        named="patients",
    )
    assert r.verdict == "consistent" and "censoring" in r.arithmetic


def test_km_denominator_refuses_a_named_group_it_was_not_given():
    r = one(
        rule="km_denominator",
        percent="46.2",
        denominators={"patients": 11, "lesions": 13},
        named="operations",
    )
    assert r.verdict == "not applicable"


def test_honest_per_patient_km_values_are_never_inconsistent():
    # lifelines' Kaplan-Meier on simulated censored per-patient data: printed to one decimal,
    # the rule may call a chance landing on k/lesions implausible, but never inconsistent,
    # and it is consistent whenever the value is k/patients
    rng = np.random.default_rng(26)
    verdicts = []
    for _ in range(200):
        n = int(rng.integers(8, 30))
        t = rng.exponential(12, n)
        c = rng.uniform(0, 30, n)
        kmf = KaplanMeierFitter().fit(np.minimum(t, c), t <= c)
        s = float(kmf.survival_function_at_times(12).iloc[0])
        pct = f"{100 * s:.1f}"
        r = one(
            rule="km_denominator",
            percent=pct,
            denominators={"patients": n, "lesions": n + int(rng.integers(1, 6))},
            named="patients",
        )
        verdicts.append(r.verdict)
        if any(abs(100 * k / n - 100 * s) < 0.05 for k in range(n + 1)):
            assert r.verdict == "consistent"
    assert "inconsistent" not in verdicts
    assert verdicts.count("implausible") <= 10  # chance landings: a few percent
