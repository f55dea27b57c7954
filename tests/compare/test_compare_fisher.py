"""Exact Fisher r x c (measured work budget) and its Monte Carlo version, against R and brute force.

R references (quoted with their source):

* ``?fisher.test`` (R stats, src/library/stats/man/fisher.test.Rd): Agresti's job satisfaction
  table, ``fisher.test(Job) # 0.7827``.
* The same help page, "6th example in Mehta & Patel's JASA paper": ``fisher.test(MP6)`` prints
  ``p-value = 0.03929`` (the value of Mehta & Patel 1983, Table 6 example; R 4.x output).
* ``?fisher.test`` TeaTasting: ``p-value = 0.4857``.
"""

import math

import numpy as np
import pytest
from scipy import stats
from scipy.special import gammaln

from spinemets import compare as cp

JOB = np.array([1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11]).reshape(4, 4, order="F")
MP6 = np.array(
    [
        [1, 2, 2, 1, 1, 0, 1],
        [2, 0, 0, 2, 3, 0, 0],
        [0, 1, 1, 1, 2, 7, 3],
        [1, 1, 2, 0, 0, 0, 1],
        [0, 1, 1, 1, 1, 0, 0],
    ]
)


def _columns(rows_left, c):
    """Every column vector with sum c under the remaining row totals (recursive)."""
    if len(rows_left) == 1:
        if c <= rows_left[0]:
            yield (c,)
        return
    for v in range(min(c, rows_left[0]) + 1):
        for rest in _columns(rows_left[1:], c - v):
            yield (v, *rest)


def _brute_force(x):
    """Every table with the margins of x, one column at a time (no bounds, no merging)."""
    x = np.asarray(x)
    r, c, n = x.sum(1), x.sum(0), int(x.sum())
    const = gammaln(r + 1).sum() + gammaln(c + 1).sum() - gammaln(n + 1)
    obs = const - gammaln(x + 1).sum()
    total = 0.0

    def rec(j, left, logw):
        nonlocal total
        if j == len(c) - 1:
            lp = logw - gammaln(np.array(left) + 1).sum()
            if lp <= obs + math.log1p(1e-7):
                total += math.exp(lp)
            return
        for v in _columns(tuple(left), int(c[j])):
            rec(j + 1, [a - b for a, b in zip(left, v)], logw - gammaln(np.array(v) + 1).sum())

    rec(0, [int(v) for v in r], const)
    return total


def test_r_help_page_examples():
    assert cp.fisher_exact(JOB).p_value == pytest.approx(0.7827, abs=5e-5)
    # the former a-priori bound refused MP6 (5 x 7, n = 39); R answers 0.03929
    assert cp.fisher_exact(MP6).p_value == pytest.approx(0.03929, abs=5e-6)
    assert cp.fisher_exact(MP6.T).p_value == pytest.approx(0.03929, abs=5e-6)
    assert cp.fisher_exact([[3, 1], [1, 3]]).p_value == pytest.approx(0.4857, abs=5e-5)


@pytest.mark.parametrize(
    "shape,n,seed",
    [
        ((3, 3), 15, 0),
        ((3, 4), 16, 1),
        ((2, 5), 20, 2),
        ((3, 5), 14, 3),
        ((4, 4), 14, 4),
        ((2, 3), 40, 5),
        ((4, 5), 12, 6),
        ((3, 3), 25, 7),
    ],
)
def test_matches_brute_force_enumeration(shape, n, seed):
    x = np.random.default_rng(seed).multinomial(n, np.full(np.prod(shape), 1 / np.prod(shape)))
    x = x.reshape(shape)
    x = x[x.sum(1) > 0][:, x.sum(0) > 0]
    if min(x.shape) < 2:
        pytest.skip("degenerate draw")
    assert cp.fisher_exact(x).p_value == pytest.approx(min(1.0, _brute_force(x)), rel=1e-9)


def test_tied_tables_count_as_in_r():
    # symmetric margins: many tables tie with the observed one exactly; R counts them
    x = np.array([[2, 1, 1], [1, 2, 1], [1, 1, 2]])
    assert cp.fisher_exact(x).p_value == pytest.approx(_brute_force(x), rel=1e-9)


def test_invariant_to_permutations_and_transpose():
    p = cp.fisher_exact(JOB).p_value
    perm = JOB[[2, 0, 3, 1]][:, [1, 3, 0, 2]]
    assert cp.fisher_exact(perm).p_value == pytest.approx(p, rel=1e-10)
    assert cp.fisher_exact(JOB.T).p_value == pytest.approx(p, rel=1e-10)


def test_tables_the_a_priori_bound_refused_are_answered():
    # issue 22 item 8: 5 x 5 with n = 30 (answered before only by luck of the margins) and a
    # 4 x 4 with n = 129; checked against the Monte Carlo p of scipy's independent
    # implementation (Patefield tables, 20,000 draws: within 4 standard errors)
    for shape, n, seed in [((5, 5), 30, 0), ((4, 4), 129, 0)]:
        x = np.random.default_rng(seed).multinomial(n, np.full(np.prod(shape), 1 / np.prod(shape)))
        x = x.reshape(shape)
        r = cp.fisher_exact(x)
        assert r.method == "exact" and 0 < r.work <= cp.MAX_FISHER_WORK
        ref = stats.fisher_exact(
            x, method=stats.MonteCarloMethod(n_resamples=20_000, rng=np.random.default_rng(1))
        ).pvalue
        assert abs(r.p_value - ref) < 4 * math.sqrt(ref * (1 - ref) / 20_000) + 1e-4


def test_refusal_is_measured_and_says_what_to_use():
    x = np.random.default_rng(0).multinomial(100, [1 / 25] * 25).reshape(5, 5)
    with pytest.raises(
        ValueError,
        match=r"table is too large.*measured before building.*"
        r"method='monte-carlo'.*seed",
    ):
        cp.fisher_exact(x)
    # a budget that is not a positive number is refused, naming the argument
    with pytest.raises(ValueError, match="max_work"):
        cp.fisher_exact(JOB, max_work=-1)


def test_a_larger_budget_gives_the_exact_answer():
    x = np.random.default_rng(3).multinomial(60, [1 / 25] * 25).reshape(5, 5)
    with pytest.raises(ValueError, match="too large"):
        cp.fisher_exact(x, max_work=1000)
    r = cp.fisher_exact(x)
    ref = stats.fisher_exact(
        x, method=stats.MonteCarloMethod(n_resamples=20_000, rng=np.random.default_rng(2))
    ).pvalue
    assert abs(r.p_value - ref) < 4 * math.sqrt(ref * (1 - ref) / 20_000) + 1e-4


def test_monte_carlo_follows_r_rule_and_is_seeded():
    r = cp.fisher_exact(JOB, "monte-carlo", n_resamples=20_000, seed=7)
    assert r.method == "monte-carlo" and r.seed == 7 and r.n_resamples == 20_000
    assert r.mc_se == pytest.approx(math.sqrt(r.p_value * (1 - r.p_value) / 20_000))
    # R: fisher.test(Job, simulate.p.value = TRUE, B = 1e5) "also close to 0.78"
    assert abs(r.p_value - 0.7827) < 4 * r.mc_se
    # (1 + hits) / (B + 1): a multiple of 1 / (B + 1), never 0
    assert (r.p_value * 20_001) == pytest.approx(round(r.p_value * 20_001), abs=1e-6)
    again = cp.fisher_exact(JOB, "monte-carlo", n_resamples=20_000, seed=7)
    assert again.p_value == r.p_value
    extreme = cp.fisher_exact(
        [[20, 0, 0], [0, 20, 0], [0, 0, 20]], "monte-carlo", n_resamples=1000, seed=1
    )
    assert extreme.p_value == pytest.approx(1 / 1001)


def test_monte_carlo_agrees_with_the_exact_p_on_a_brute_force_table():
    x = np.array([[3, 0, 2], [1, 4, 0], [0, 2, 5]])
    exact = _brute_force(x)
    r = cp.fisher_exact(x, "monte-carlo", n_resamples=50_000, seed=3)
    assert abs(r.p_value - exact) < 4 * r.mc_se


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"method": "monte-carlo"}, "seed is required"),
        ({"method": "monte-carlo", "seed": -1}, "seed"),
        ({"method": "monte-carlo", "seed": 1, "n_resamples": 0}, "n_resamples"),
        ({"method": "monte-carlo", "seed": 1, "n_resamples": 10**9}, "n_resamples"),
        ({"method": "simulate"}, "method must be one of"),
    ],
)
def test_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        cp.fisher_exact(JOB, **kwargs)


def test_result_reads_as_the_former_float():
    r = cp.fisher_exact(JOB)
    assert float(r) == r.p_value and f"{r:.4f}" == "0.7827"
    assert "Fisher's exact test" in repr(r) and "p_value" in repr(r)
    # statistic: the probability of the observed table under its margins
    rows, cols, n = JOB.sum(1), JOB.sum(0), JOB.sum()
    lp = gammaln(rows + 1).sum() + gammaln(cols + 1).sum() - gammaln(n + 1) - gammaln(JOB + 1).sum()
    assert r.statistic == pytest.approx(math.exp(lp), rel=1e-12)


def test_independence_fisher_uses_the_same_p():
    assert cp.independence(JOB, "fisher").p_value == cp.fisher_exact(JOB).p_value


def test_contingency_expected_counts_do_not_overflow():
    # issue 22 item 9: counts of 1e15 made int64 margins overflow (negative expected counts)
    t = np.array([[10**15, 2 * 10**15], [3 * 10**15, 10**15 + 7]])
    r = cp.independence(t)
    ref = stats.chi2_contingency(t.astype(float), correction=False)
    assert (r.expected > 0).all()
    np.testing.assert_allclose(r.expected, ref.expected_freq, rtol=1e-12)
    assert r.statistic == pytest.approx(ref.statistic, rel=1e-9)
    big = np.array([[2**52, 3], [5, 2**52]])
    np.testing.assert_allclose(
        cp.independence(big).expected,
        stats.contingency.expected_freq(big.astype(float)),
        rtol=1e-12,
    )


def test_brute_force_helper_is_itself_right():
    # the oracle against the closed form of the 2 x 2 case (hypergeometric, scipy)
    for t in ([[3, 1], [1, 3]], [[2, 7], [8, 2]], [[0, 5], [6, 1]]):
        assert _brute_force(t) == pytest.approx(stats.fisher_exact(t).pvalue, rel=1e-9)
