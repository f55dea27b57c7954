"""Chapter 06's prose numbers, recomputed.

The chapter types the numbers it states; each is recomputed here with scipy, numpy and the
library (the implied within-pair correlation from the t distribution, the exact Bowker test by
enumerating every table with the same mirror sums, the power simulations with the chapter's
seeds), and the chapter must still say it.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from _prose import assert_says
from scipy import stats

from spinemets import compare, matching

STEM = "06_matching"

# B, Table 2: decrease in VAS 3.7 +/- 2.7 (SRS) and 2.8 +/- 2.4 (RT), 28 pairs, paired t p = 0.13
N, M1, S1, M2, S2, P_PUB = 28, 3.7, 2.7, 2.8, 2.4, 0.13


def _implied_r(m1, s1, m2, s2, p, n=N):
    """Within-pair correlation that a paired-t p implies: |t| -> SD of differences -> r."""
    sd_d = abs(m1 - m2) * np.sqrt(n) / stats.t.isf(p / 2, n - 1)
    return (s1**2 + s2**2 - sd_d**2) / (2 * s1 * s2)


def _toy():
    import pandas as pd

    toy = pd.DataFrame(
        {"srs": [1, 1, 0, 0], "age": [62, 64, 63, 60]}, index=["T1", "T2", "C1", "C2"]
    )
    total = {
        method: matching.match_pairs(
            toy, "srs", covariates=["age"], distance="euclidean", method=method
        ).total_distance
        for method in ("greedy", "optimal")
    }
    toy3 = pd.concat([toy, pd.DataFrame({"srs": [0], "age": [65]}, index=["C3"])])
    total3 = {
        method: matching.match_pairs(
            toy3, "srs", covariates=["age"], distance="euclidean", method=method
        ).total_distance
        for method in ("greedy", "optimal")
    }
    assert total3["greedy"] == total3["optimal"], "exercise 1 says greedy is optimal with C3"
    return [
        f"leaves T2 with C2 (4 years): {total['greedy']:g} years in total",
        f"and T2 C1 (1 year): {total['optimal']:g} years",
        f"T2 now finds C3 (1 year): {total3['greedy']:g} years, which is also the optimal total",
    ]


def _implied_correlation():
    # the rounding of the five printed numbers: each within half a unit of its last digit
    grid = [
        _implied_r(a, c, b, d, q)
        for a in (3.65, 3.75)
        for b in (2.75, 2.85)
        for c in (2.65, 2.75)
        for d in (2.35, 2.45)
        for q in (0.125, 0.135)
    ]
    welch = stats.ttest_ind_from_stats(M1, S1, N, M2, S2, N, equal_var=False).pvalue
    r_hat = _implied_r(M1, S1, M2, S2, P_PUB)
    return [
        f"(6.8 vs 5.6, p = 0.06) is an SMD of about {(6.8 - 5.6) / 2.3:.1f}",
        f"implies a within-pair correlation of about {r_hat:.2f}",
        f"allows anything from {min(grid):.2f} to {max(grid):.2f}",
        f"Welch's test gives p = {welch:.2f}",
        f"$r$ would have to be {_implied_r(M1, S1, M2, S2, 0.01):.2f}",
        f"About {_implied_r(2.0, 2.0, 1.0, 2.0, 0.002, n=30):.2f}: high for outcomes",
    ]


def _synthetic_pairs():
    from spinemets import cohorts
    from spinemets.analyses import sohn2016

    pairs_b = sohn2016.paired_frame(sohn2016.pair_rt_group(cohorts.load("sohn2016")))
    change_srs = pairs_b.pre_vas_srs - pairs_b.post_vas_srs
    change_rt = pairs_b.pre_vas_rt - pairs_b.post_vas_rt
    r_b = stats.pearsonr(change_srs, change_rt).statistic
    p_paired = stats.ttest_rel(change_srs, change_rt).pvalue
    p_unpaired = stats.ttest_ind(change_srs, change_rt).pvalue

    tab = sohn2016.pain_table(pairs_b).to_numpy()
    mirrors = [
        (int(tab[i, j]), int(tab[i, j] + tab[j, i]))
        for i, j in itertools.combinations(range(tab.shape[0]), 2)
        if tab[i, j] + tab[j, i] > 0
    ]
    observed = sum((2 * x - m) ** 2 / m for x, m in mirrors)
    # exact conditional Bowker: every table with the same mirror sums, binomial(m, 1/2) weights
    p_exact = 0.0
    for xs in itertools.product(*(range(m + 1) for _, m in mirrors)):
        s = sum((2 * x - m) ** 2 / m for x, (_, m) in zip(xs, mirrors))
        if s >= observed - 1e-9:
            p_exact += np.prod([stats.binom.pmf(x, m, 0.5) for x, (_, m) in zip(xs, mirrors)])

    surv = sohn2016.survival_tests(pairs_b)
    gap = (surv["p stratified by pair"] - surv["p unstratified"]).abs().max()
    assert gap > 0.1, "the chapter says the stratified and unstratified p-values differ noticeably"
    return [
        f"their correlation is {r_b:.2f}",
        f"the paired and unpaired p-values are {p_paired:.3f} and {p_unpaired:.3f}",
        f"the exact conditional p is {p_exact:.3f} against "
        f"{compare.bowker(tab).p_value:.3f} from the chi-square approximation",
    ]


def _power(r_true, seed=12, reps=4000, n_pairs=28, delta=0.9, sd=2.5):
    """The chapter's simulation: shared pair effect with correlation r_true (seed 12)."""
    g = np.random.default_rng(seed)
    z = g.normal(size=(reps, n_pairs))
    e1, e2 = g.normal(size=(2, reps, n_pairs))
    x = delta + sd * (np.sqrt(r_true) * z + np.sqrt(1 - r_true) * e1)
    y = sd * (np.sqrt(r_true) * z + np.sqrt(1 - r_true) * e2)
    return (
        100 * (stats.ttest_rel(x, y, axis=1).pvalue < 0.05).mean(),
        100 * (stats.ttest_ind(x, y, axis=1).pvalue < 0.05).mean(),
    )


def _simulation():
    paired, unpaired = _power(0.5)
    at_paper = _power(max(_implied_r(M1, S1, M2, S2, P_PUB), 0.0))
    return [
        f"the paired test detects the difference in {paired:.0f}% of the replicates, "
        f"the unpaired test in only {unpaired:.0f}%",
        f"the paired test reaches {at_paper[0]:.0f}% and the unpaired {at_paper[1]:.0f}%",
    ]


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(f, id=f.__name__.lstrip("_"))
        for f in (_toy, _implied_correlation, _synthetic_pairs, _simulation)
    ],
)
def test_prose_still_says_it(make):
    assert_says(STEM, make())
