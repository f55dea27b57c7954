"""spinemets.power against statsmodels.stats.power and against the published formulas.

statsmodels has the same calculation for two independent proportions (NormalIndPower on Cohen's
arcsine effect size h) and for the paired t test (TTestPower, noncentral t); it has no log-rank
or McNemar power, so those are checked against the formulas of Schoenfeld (Biometrics
1983;39:499-503) and Connor (Biometrics 1987;43:207-211) worked by hand below, and against a
simulation of McNemar's test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.power import NormalIndPower, TTestPower

from spinemets import power as P

Z975, Z80 = 1.959964, 0.841621  # z_{0.975} and z_{0.80}


# ---------------------------------------------------------------- Schoenfeld


def test_schoenfeld_events_worked_example():
    # HR 0.5, equal groups: d = (1.959964 + 0.841621)^2 / (0.25 * ln(2)^2)
    #                         = 7.848879 / (0.25 * 0.480453) = 65.35 -> 66 events
    assert P.logrank_events(0.5) == pytest.approx(
        (Z975 + Z80) ** 2 / (0.25 * math.log(2) ** 2), rel=1e-6
    )
    assert P.logrank_events(0.5) == pytest.approx(65.35, abs=0.01)
    # unequal allocation 2:1 (p = 1/3): p(1-p) = 2/9, so 9/8 times as many events
    assert P.logrank_events(0.5, allocation=1 / 3) == pytest.approx(65.35 * 9 / 8, abs=0.02)
    # symmetric in HR and 1/HR
    assert P.logrank_events(2.0) == pytest.approx(P.logrank_events(0.5))


def test_schoenfeld_detectable_hr_inverts_events_and_power():
    for d, p in ((181, 0.5), (27, 25 / 36), (10, 0.5)):
        hr = P.logrank_detectable_hr(d, allocation=p).effect
        assert P.logrank_events(hr, allocation=p) == pytest.approx(d, rel=1e-9)
        assert P.logrank_power(hr, d, allocation=p) == pytest.approx(0.8, abs=1e-9)
    # paper A: 181 deaths -> HR exp(-2.801585 / sqrt(181 / 4)) = exp(-0.41648) = 0.6594
    assert P.logrank_detectable_hr(181).effect == pytest.approx(0.6594, abs=1e-4)
    # paper D: 10 events -> exp(-2.801585 / sqrt(2.5)) = exp(-1.77186) = 0.1700
    assert P.logrank_detectable_hr(10).effect == pytest.approx(0.1700, abs=1e-4)


# ------------------------------------------------- log-rank stratified by 1:1 matched pair


def _pairs_data(rng, m, hr, censor_rate):
    """m pairs, column 0 with hazard hr, column 1 with hazard 1; exponential censoring."""
    t_event = rng.exponential(1.0, (m, 2)) / np.array([hr, 1.0])
    t_cens = rng.exponential(1 / censor_rate, (m, 2)) if censor_rate else np.full((m, 2), np.inf)
    time = np.minimum(t_event, t_cens)
    status = (t_event <= t_cens).astype(float)
    return time, status


def test_pair_stratified_logrank_is_a_sign_test_on_first_events():
    # statsmodels' stratified log-rank (survdiff with strata) against the closed form the
    # power module's docstring states: (X - k/2)^2 / (k/4) over the k informative pairs
    from statsmodels.duration.survfunc import survdiff

    rng = np.random.default_rng(2016)
    m = 28
    for censor_rate in (0.0, 0.3, 1.0):
        time, status = _pairs_data(rng, m, 0.47, censor_rate)
        first = time.argmin(axis=1)
        informative = status[np.arange(m), first] == 1
        k = int(informative.sum())
        x = int((first[informative] == 0).sum())
        chisq, _ = survdiff(
            time.ravel(), status.ravel(), np.tile([1, 0], m), strata=np.repeat(np.arange(m), 2)
        )
        assert chisq == pytest.approx((x - k / 2) ** 2 / (k / 4), rel=1e-9)
        assert k <= m  # at most one informative event per pair, whatever the deaths
        if censor_rate == 0:  # all 56 die, but only 28 events inform
            assert status.sum() == 2 * m and k == m


def test_pair_logrank_power_against_a_simulation_with_statsmodels():
    # 28 pairs, all informative (no censoring), HR 0.47: the share of statsmodels'
    # pair-stratified log-rank tests with p < 0.05 against the exact binomial power
    from statsmodels.duration.survfunc import survdiff

    rng = np.random.default_rng(20261207)
    m, reps = 28, 500
    hits = 0
    for _ in range(reps):
        time, status = _pairs_data(rng, m, 0.47, 0.0)
        _, p = survdiff(
            time.ravel(), status.ravel(), np.tile([1, 0], m), strata=np.repeat(np.arange(m), 2)
        )
        hits += p < 0.05
    share = hits / reps
    exact = P.pair_logrank_power(0.47, m)
    assert share == pytest.approx(exact, abs=4 * math.sqrt(exact * (1 - exact) / reps))
    # and far from what 56 events would give (Schoenfeld with all deaths counted)
    assert P.logrank_power(0.47, 2 * m) > 0.8 > exact + 0.3


def test_pair_logrank_power_closed_form():
    # k = 28: reject when |X - 14| / sqrt(7) > 1.959964, i.e. X <= 8 or X >= 20;
    # X ~ Binomial(28, 0.47 / 1.47)
    q = 0.47 / 1.47
    by_hand = stats.binom.cdf(8, 28, q) + stats.binom.sf(19, 28, q)
    assert P.pair_logrank_power(0.47, 28) == pytest.approx(by_hand, rel=1e-12)
    # the exact power lies below Schoenfeld's approximation for this large effect
    assert P.pair_logrank_power(0.47, 28) < P.logrank_power(0.47, 28)
    # the detectable HR gives the stated power, and 1 / HR the same by symmetry
    d = P.pair_logrank_detectable_hr(28)
    assert P.pair_logrank_power(d.effect, 28) == pytest.approx(0.8, abs=1e-6)
    assert P.pair_logrank_power(1 / d.effect, 28) == pytest.approx(0.8, abs=1e-6)
    assert d.effect < P.logrank_detectable_hr(28).effect < P.logrank_detectable_hr(56).effect


# ---------------------------------------------------------------- two proportions vs statsmodels


@pytest.mark.parametrize(
    "p1,n1,n2", [(0.5, 96, 96), (0.31, 85, 107), (0.105, 38, 154), (0.21, 20, 172)]
)
def test_proportions_detectable_matches_statsmodels(p1, n1, n2):
    r = P.proportions_detectable(p1, n1, n2)
    h = NormalIndPower().solve_power(nobs1=n1, alpha=0.05, power=0.8, ratio=n2 / n1)
    assert abs(2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(r.effect))) == pytest.approx(
        h, rel=1e-5
    )
    assert P.proportions_power(p1, r.effect, n1, n2) == pytest.approx(0.8, abs=1e-8)


def test_proportions_power_matches_statsmodels():
    h = 2 * math.asin(math.sqrt(0.3)) - 2 * math.asin(math.sqrt(0.15))
    sm = NormalIndPower().power(effect_size=h, nobs1=85, alpha=0.05, ratio=107 / 85)
    assert P.proportions_power(0.3, 0.15, 85, 107) == pytest.approx(sm, rel=1e-8)


# ---------------------------------------------------------------- paired t vs statsmodels


@pytest.mark.parametrize("n", [5, 12, 28, 56])
def test_paired_t_matches_statsmodels(n):
    sm = TTestPower().solve_power(nobs=n, alpha=0.05, power=0.8)
    assert P.paired_t_detectable(n).effect == pytest.approx(sm, rel=1e-6)
    assert P.paired_t_power(0.4, n) == pytest.approx(
        TTestPower().power(effect_size=0.4, nobs=n, alpha=0.05), rel=1e-8
    )


def test_wilcoxon_is_a_t_test_on_3n_over_pi_pairs():
    # 28 pairs of a signed-rank test are worth 28 * 3 / pi = 26.74 pairs of a t test
    w = P.paired_t_detectable(28, wilcoxon=True).effect
    assert P.paired_t_power(w, 28 * 3 / math.pi) == pytest.approx(0.8, abs=1e-8)
    assert w > P.paired_t_detectable(28).effect


# ---------------------------------------------------------------- McNemar (Connor 1987)


def test_connor_worked_example():
    # psi = 0.3, delta = 0.1: (1.959964 sqrt(0.3) + 0.841621 sqrt(0.29))^2 / 0.01
    #   = (1.073516 + 0.453226)^2 / 0.01 = 1.526742^2 / 0.01 = 233.09 pairs
    assert P.mcnemar_pairs(0.3, 0.1) == pytest.approx(233.09, abs=0.01)
    assert P.mcnemar_power(0.3, 0.1, P.mcnemar_pairs(0.3, 0.1)) == pytest.approx(0.8, abs=1e-9)
    d = P.mcnemar_detectable(28, 0.4).effect
    assert P.mcnemar_pairs(0.4, d) == pytest.approx(28, rel=1e-8)


def test_connor_against_a_simulation_of_mcnemar():
    # 233 pairs, p10 = 0.2, p01 = 0.1: the share of exact-binomial-free (chi-square, no
    # continuity correction) McNemar tests with p < 0.05 is close to 0.80
    rng = np.random.default_rng(20261202)
    n, reps = 233, 4000
    cells = rng.multinomial(n, [0.2, 0.1, 0.7], size=reps)
    b, c = cells[:, 0], cells[:, 1]
    x2 = (b - c) ** 2 / (b + c)
    share = float(np.mean(stats.chi2.sf(x2, 1) < 0.05))
    assert share == pytest.approx(0.80, abs=0.025)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: P.logrank_events(1.0), "hr"),
        (lambda: P.logrank_events(-2), "hr"),
        (lambda: P.logrank_events(0.5, allocation=1.0), "allocation"),
        (lambda: P.logrank_detectable_hr(0), "events"),
        (lambda: P.logrank_detectable_hr(50, sig_level=1.5), "sig_level"),
        (lambda: P.logrank_detectable_hr(50, power=0), "power"),
        (lambda: P.proportions_detectable(1.2, 10, 10), "p1"),
        (lambda: P.proportions_detectable(0.5, 0, 10), "n1"),
        (lambda: P.proportions_detectable(0.5, 10, 10, direction="down"), "direction"),
        (lambda: P.proportions_detectable(0.02, 5, 5), "no proportion"),
        (lambda: P.paired_t_detectable(1), "n"),
        (lambda: P.paired_t_power(0.5, 28, wilcoxon="yes"), "wilcoxon"),
        (lambda: P.mcnemar_pairs(0.2, 0.3), "delta"),
        (lambda: P.mcnemar_pairs(0.0, 0.0), "psi"),
        (lambda: P.mcnemar_pairs(0.3, 0.0), "delta"),
        (lambda: P.mcnemar_detectable(3, 0.1), "no difference"),
        (lambda: P.pair_logrank_power(0, 28), "hr"),
        (lambda: P.pair_logrank_power(0.5, 27.5), "pairs"),
        (lambda: P.pair_logrank_power(0.5, 0), "pairs"),
        (lambda: P.pair_logrank_power(0.5, 28, sig_level=0), "sig_level"),
        (lambda: P.pair_logrank_detectable_hr(3), "no hazard ratio"),
        (lambda: P.pair_logrank_detectable_hr(28, power=1), "power"),
    ],
)
def test_bad_input_raises_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_results_print_readably():
    text = repr(P.logrank_detectable_hr(181))
    assert "hazard ratio" in text and "0.6594" in text
