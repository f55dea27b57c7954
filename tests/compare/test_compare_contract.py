"""The input contract of spinemets.compare (see spinemets._validation), one test per rule,
and the resource guards of the exact and enumerating algorithms."""

import tracemalloc

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.special import gammaln

from spinemets import compare as cp

# --------------------------------------------------------------------------------------------
# flags are booleans
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: cp.mcnemar([[5, 4], [11, 7]], exact="no"),
        lambda: cp.mcnemar([[5, 4], [11, 7]], exact=False, correction="yes"),
        lambda: cp.mcnemar([[5, 4], [11, 7]], exact=0),
        lambda: cp.wilcoxon_signed_rank([1, 2, 3.5], [0, 0, 0], correction="no"),
    ],
)
def test_flags_accept_booleans_only(call):
    with pytest.raises(ValueError, match="must be True or False"):
        call()


def test_mcnemar_exact_flag_still_works():
    assert cp.mcnemar([[5, 4], [11, 7]], exact=False).df == 1
    assert cp.mcnemar([[5, 4], [11, 7]], exact=np.bool_(True)).df is None


# --------------------------------------------------------------------------------------------
# counts: one rule everywhere
# --------------------------------------------------------------------------------------------

COUNT_FUNCTIONS = {
    "pearson": lambda t: cp.independence(t, "pearson"),
    "fisher (independence)": lambda t: cp.independence(t, "fisher"),
    "fisher_exact": cp.fisher_exact,
    "mcnemar": cp.mcnemar,
    "mcnemar chi2": lambda t: cp.mcnemar(t, exact=False),
    "bowker": cp.bowker,
    "stuart_maxwell": cp.stuart_maxwell,
}
BAD_TABLES = {
    "inf": ([[np.inf, 2], [3, 4]], "finite"),
    "1e300": ([[1e300, 2], [3, 4]], "2\\*\\*53"),
    "all zero": ([[0, 0], [0, 0]], "no observations"),
    "negative": ([[-1, 2], [3, 4]], ">= 0"),
    "fraction": ([[0.5, 2], [3, 4]], "whole-number"),
    "nan": ([[np.nan, 2], [3, 4]], "missing"),
    "boolean": (np.array([[True, False], [False, True]]), "booleans"),
}


@pytest.mark.parametrize("fn", COUNT_FUNCTIONS, ids=str)
@pytest.mark.parametrize("bad", BAD_TABLES, ids=str)
def test_every_count_function_refuses_the_same_bad_tables(fn, bad):
    table, match = BAD_TABLES[bad]
    with pytest.raises(ValueError, match=match):
        COUNT_FUNCTIONS[fn](table)


def test_fisher_and_contingency_agree_on_the_all_zero_table():
    for fn in (
        cp.fisher_exact,
        lambda t: cp.independence(t, "fisher"),
        lambda t: cp.independence(t, "pearson"),
    ):
        with pytest.raises(ValueError, match="table holds no observations"):
            fn(np.zeros((2, 3)))


def test_counts_up_to_the_limit_are_fine():
    big = 2**52
    assert 0 <= cp.fisher_exact([[big, big], [big, big + 10**6]]).p_value <= 1
    assert cp.mcnemar([[1, big], [big - 10, 1]], exact=False).statistic >= 0
    assert cp.independence([[big, 1], [1, big]]).statistic > 0


# --------------------------------------------------------------------------------------------
# tests that carry no information refuse; Series are aligned by label
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "x, y", [([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]), ([1.0, 2.0, 3.0], [0.0, 1.0, 2.0])]
)
def test_paired_t_refuses_essentially_constant_differences(x, y):
    # R: t.test(x, y, paired = TRUE) stops with "data are essentially constant"
    with pytest.raises(ValueError, match="essentially constant"):
        cp.paired_t(x, y)


def test_paired_series_are_aligned_by_label():
    rng = np.random.default_rng(0)
    idx = [f"p{i}" for i in range(30)]
    x = pd.Series(rng.normal(size=30), index=idx)
    y = pd.Series(x.to_numpy() + rng.normal(0.3, 1, 30), index=idx)
    shuffled = y.sample(frac=1, random_state=1)
    assert not shuffled.index.equals(y.index)
    assert cp.paired_t(x, shuffled).statistic == pytest.approx(
        cp.paired_t(x.values, y.values).statistic
    )
    assert cp.wilcoxon_signed_rank(x, shuffled).p_value == pytest.approx(
        cp.wilcoxon_signed_rank(x.values, y.values).p_value
    )
    o = pd.Series((x.to_numpy() > 0).astype(int), index=idx)
    assert tuple(cp.delong_auc(y, o.sample(frac=1, random_state=2))) == pytest.approx(
        tuple(cp.delong_auc(y.values, o.values))
    )
    assert cp.youden_cutoff(y, o.sample(frac=1, random_state=3)).auc == pytest.approx(
        cp.youden_cutoff(y.values, o.values).auc
    )
    other = pd.Series(y.to_numpy(), index=[f"q{i}" for i in range(30)])
    for call in (
        lambda: cp.paired_t(x, other),
        lambda: cp.wilcoxon_signed_rank(x, other),
        lambda: cp.delong_auc(other, o),
    ):
        with pytest.raises(ValueError, match="different index labels"):
            call()


# --------------------------------------------------------------------------------------------
# ValueError naming the argument (not statsmodels' or numpy's exceptions)
# --------------------------------------------------------------------------------------------


def _survival_data(n=120, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 90, n).round(), rng.exponential(10, n), rng.integers(0, 2, n)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"values": "inf"}, "values contains infinite"),
        ({"durations": "inf"}, "durations contains infinite"),
        ({"events": "inf"}, "events"),
        ({"cutoffs": [10, np.inf]}, "cutoffs contains infinite"),
        ({"min_group": np.inf}, "min_group must be finite"),
        ({"min_group": "10"}, "min_group must be a number"),
        ({"min_group": 0}, "min_group must be >= 1"),
    ],
)
def test_two_cutoffs_raises_value_error_naming_the_argument(kwargs, match):
    v, t, e = _survival_data()
    args = {"values": v, "durations": t, "events": e.astype(float)}
    for k, val in kwargs.items():
        if isinstance(val, str) and val == "inf":
            args[k] = np.r_[args[k][:-1], np.inf]
        else:
            args[k] = val
    with pytest.raises(ValueError, match=match):
        cp.two_cutoffs(**args)


def test_stepwise_logistic_with_inf_raises_value_error_naming_the_column():
    rng = np.random.default_rng(1)
    df = pd.DataFrame(
        {"x": rng.normal(size=80), "z": rng.normal(size=80), "y": rng.integers(0, 2, 80)}
    )
    df.loc[3, "x"] = np.inf
    with pytest.raises(ValueError, match="'x'.*infinite"):
        cp.stepwise_logistic(df, "y", ["x", "z"])
    df.loc[3, "x"] = 0.0
    df["y"] = df["y"].astype(float)
    df.loc[5, "y"] = np.inf
    with pytest.raises(ValueError, match="y \\(outcome\\)"):
        cp.stepwise_logistic(df, "y", ["x", "z"])
    with pytest.raises(ValueError, match="covariates must be a list"):
        cp.stepwise_logistic(df, "y", "x")
    with pytest.raises(ValueError, match="level"):
        cp.stepwise_logistic(df, "y", ["x"], level=np.inf)
    with (
        pytest.warns(DeprecationWarning, match="'alpha' is deprecated.*'level'"),
        pytest.raises(ValueError, match="alpha"),
    ):
        cp.stepwise_logistic(df, "y", ["x"], alpha=np.inf)


# --------------------------------------------------------------------------------------------
# resource guards
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [731, 1169, 5000, 10**6, 10**9])
def test_fisher_3x3_large_n_refuses_and_points_to_monte_carlo(n):
    # the refusal is measured before the large arrays are built; its time is in
    # benchmarks/bench_compare.py (no wall-clock assertion here)
    x = np.random.default_rng(2).multinomial(n, [1 / 9] * 9).reshape(3, 3)
    with pytest.raises(ValueError, match="too large.*method='monte-carlo'.*seed"):
        cp.fisher_exact(x)
    # its speed (refused in well under a second) is a budget in benchmarks/bench_compare.py


@pytest.mark.slow
def test_fisher_rxc_memory_stays_bounded_near_the_limit():
    x = np.random.default_rng(2).multinomial(300, [1 / 9] * 9).reshape(3, 3)
    tracemalloc.start()
    p = cp.fisher_exact(x).p_value
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert 0 < p <= 1 and peak < 2e9


def _fisher_2x2_by_enumeration(t):
    t = np.asarray(t)
    r, c, n = t.sum(1), t.sum(0), t.sum()
    lo, hi = max(0, c[0] - r[1]), min(r[0], c[0])
    a = np.arange(lo, hi + 1)
    logp = (
        gammaln(r + 1).sum()
        + gammaln(c + 1).sum()
        - gammaln(n + 1)
        - gammaln(a + 1)
        - gammaln(r[0] - a + 1)
        - gammaln(c[0] - a + 1)
        - gammaln(r[1] - c[0] + a + 1)
    )
    obs = logp[t[0, 0] - lo]
    return float(np.exp(logp[logp <= obs + np.log1p(1e-7)]).sum())


@pytest.mark.parametrize("seed", range(12))
def test_fisher_2x2_binary_search_equals_enumeration(seed):
    rng = np.random.default_rng(seed)
    t = rng.integers(0, [30, 60, 40, 200][seed % 4], (2, 2))
    t[0, 0] += 1
    if (t.sum(0) == 0).any() or (t.sum(1) == 0).any():
        return
    assert cp.fisher_exact(t).p_value == pytest.approx(
        min(1, _fisher_2x2_by_enumeration(t)), rel=1e-9
    )


def test_fisher_2x2_ties_count_as_r_does():
    # R ?fisher.test TeaTasting: p = 0.4857; symmetric tables tie exactly with the observed one
    assert cp.fisher_exact([[3, 1], [1, 3]]).p_value == pytest.approx(0.4857, abs=5e-5)
    assert cp.fisher_exact([[2, 2], [2, 2]]).p_value == 1.0


def test_fisher_2x2_huge_n_is_fast():
    n = 2 * 10**8
    a = n // 4
    t = [[a, a + n // 1000], [a - n // 2000, n - 3 * a - n // 1000 + n // 2000]]
    p = cp.fisher_exact(t).p_value  # its time: benchmarks/bench_compare.py
    assert p == pytest.approx(stats.fisher_exact(t).pvalue, rel=1e-6)


def _delong_quadratic(values, outcome):
    """The former O(n^2) implementation (pairwise kernel), the reference on small data."""
    v, o = np.asarray(values, float), np.asarray(outcome)
    pos, neg = v[o == 1], v[o == 0]
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    return float(psi.mean()), float(
        np.sqrt(v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg))
    )


@pytest.mark.parametrize("seed", range(6))
def test_delong_by_midranks_equals_the_quadratic_version(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 200))
    v = rng.integers(0, [3, 10, 1000][seed % 3], n).astype(float)  # with and without ties
    o = rng.integers(0, 2, n)
    o[:2], o[2:4] = 1, 0
    auc, se = _delong_quadratic(v, o)
    got = cp.delong_auc(v, o)
    assert got[0] == pytest.approx(auc, rel=1e-12) and got[1] == pytest.approx(se, rel=1e-10)


def test_delong_large_n_is_fast():
    rng = np.random.default_rng(0)
    n = 100_000
    o = rng.integers(0, 2, n)
    v = rng.normal(size=n) + o
    auc, se, lo, hi = cp.delong_auc(v, o)  # its time: benchmarks/bench_compare.py
    assert auc == pytest.approx(stats.norm.cdf(1 / np.sqrt(2)), abs=0.01) and 0 < se < 0.01


def test_wilcoxon_follows_r_exact_rule():
    rng = np.random.default_rng(4)
    d = rng.normal(0.2, 1, 60)  # n >= 50: R uses the normal approximation
    r = cp.wilcoxon_signed_rank(d, np.zeros(60))
    ref = stats.wilcoxon(d, method="approx", correction=True)
    assert "normal approximation, continuity corrected" in r.test
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-12)
    small = cp.wilcoxon_signed_rank(d[:49], np.zeros(49))  # n < 50, no ties: exact
    assert small.test == "Wilcoxon signed-rank (exact)"
    assert small.p_value == pytest.approx(stats.wilcoxon(d[:49], method="exact").pvalue)
    tied = np.r_[d[:20], d[:5]]  # ties: normal approximation as in R
    assert "normal" in cp.wilcoxon_signed_rank(tied, np.zeros(25)).test
    spss = cp.wilcoxon_signed_rank(d, np.zeros(60), method="asymptotic")
    assert spss.p_value == pytest.approx(stats.wilcoxon(d, method="approx").pvalue)


def test_exact_wilcoxon_refuses_beyond_its_limit_fast():
    d = np.random.default_rng(0).normal(size=2000)
    with pytest.raises(ValueError, match="too large for the exact Wilcoxon"):
        cp.wilcoxon_signed_rank(d, np.zeros(2000), method="exact")  # time: benchmarks/
    assert cp.wilcoxon_signed_rank(d, np.zeros(2000)).p_value > 0  # default: fast


def _two_cutoffs_by_phreg(v, t, e, cands, min_group):
    """The former implementation: one statsmodels PHReg fit per pair (the reference)."""
    import itertools

    from statsmodels.duration.hazard_regression import PHReg

    ll0 = float(PHReg(t, np.zeros((len(t), 1)), status=e, ties="breslow").loglike(np.zeros(1)))
    out = {}
    for c1, c2 in itertools.combinations(cands, 2):
        g1, g3 = v <= c1, v > c2
        g2 = ~g1 & ~g3
        if min(g1.sum(), g2.sum(), g3.sum()) < min_group:
            continue
        model = PHReg(t, np.column_stack([g2, g3]).astype(float), status=e, ties="breslow")
        fit = model.fit()
        assert np.abs(model.score(fit.params)).max() < 1e-8  # the oracle converged
        out[(c1, c2)] = 2 * (float(fit.llf) - ll0)
    return out


@pytest.mark.parametrize("seed", range(3))
def test_two_cutoffs_equals_one_phreg_fit_per_pair(seed):
    rng = np.random.default_rng(seed)
    v = rng.integers(0, 15, 90).astype(float)
    t = rng.exponential(10, 90).round() + 1  # tied times: Breslow
    e = (rng.uniform(size=90) < 0.7).astype(int)
    ref = _two_cutoffs_by_phreg(v, t, e, np.unique(v), 10)
    got = cp.two_cutoffs(v, t, e, min_group=10).cutoffs
    assert len(got) == len(ref)
    for row in got.itertuples():
        assert row.lr == pytest.approx(ref[(row.lower_cutoff, row.upper_cutoff)], abs=1e-7)


@pytest.mark.slow
def test_two_cutoffs_is_polynomial():
    rng = np.random.default_rng(5)
    n = 320
    v = rng.integers(0, 160, n).astype(float)  # 160 distinct values: > 4 min before
    t = rng.exponential(10, n)
    e = rng.integers(0, 2, n)
    r = cp.two_cutoffs(v, t, e, min_group=10)  # its time: benchmarks/bench_compare.py
    assert len(r.cutoffs) > 5_000 and r.lr_statistic == r.cutoffs.lr.max()
