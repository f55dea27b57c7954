"""Paired categorical tests (Bowker, Stuart-Maxwell, McNemar) and the table enumerator.

R references: statsmodels ships the output of R for three square tables in
``statsmodels/stats/tests/results/contingency_table_r_results.csv``, written by
``statsmodels/stats/tests/gen_contingency_table_tests.R``: ``mcnemar.test(table, correct=FALSE)``
(Bowker for k > 2; columns bowker_stat, bowker_df, bowker_pvalue) and ``coin::mh_test(table)``
(Stuart-Maxwell marginal homogeneity; columns homog_stat, homog_df). The numbers are typed here.
"""

import itertools

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import SquareTable

from spinemets import compare as cp

# the three tables of gen_contingency_table_tests.R (matrix(..., byrow=TRUE))
R_TABLES = [
    np.array([[23, 15], [19, 31]]),
    np.array([[144, 33, 84, 126], [2, 4, 14, 29], [0, 2, 6, 25], [0, 0, 1, 5]]),
    np.array([[20, 10, 5], [3, 30, 15], [0, 5, 40]]),
]
# R: mcnemar.test(table, correct=FALSE): statistic, parameter (df), p.value
R_BOWKER = [
    (0.470588235294118, 1, 0.492716677227088),
    (297.610989010989, 6, 2.65851858368065e-61),
    (13.7692307692308, 3, 0.00323670650323545),
]
# R: coin::mh_test(table): teststatistic, df
R_STUART_MAXWELL = [(0.470588235294118, 1), (271.922246968262, 3), (13.7647058823529, 2)]


@pytest.mark.parametrize("k", range(3))
def test_bowker_against_r_mcnemar_test(k):
    stat, df, p = R_BOWKER[k]
    r = cp.bowker(R_TABLES[k])
    assert r.statistic == pytest.approx(stat, rel=1e-12)
    assert r.df == df
    assert r.p_value == pytest.approx(p, rel=1e-9)


@pytest.mark.parametrize("k", range(3))
def test_stuart_maxwell_against_r_coin_mh_test(k):
    stat, df = R_STUART_MAXWELL[k]
    r = cp.stuart_maxwell(R_TABLES[k])
    assert r.statistic == pytest.approx(stat, rel=1e-10)
    assert r.df == df
    assert r.p_value == pytest.approx(stats.chi2.sf(stat, df), rel=1e-9)


def test_2x2_bowker_and_stuart_maxwell_are_uncorrected_mcnemar():
    # R ?mcnemar.test, Performance: mcnemar.test(Performance, correct = FALSE)
    #   McNemar's chi-squared = 17.356, df = 1, p-value = 3.099e-05
    perf = np.array([794, 86, 150, 570]).reshape(2, 2, order="F")
    for r in (cp.bowker(perf), cp.stuart_maxwell(perf)):
        assert r.statistic == pytest.approx(17.356, abs=5e-4) and r.df == 1
        assert r.p_value == pytest.approx(3.099e-05, abs=5e-9)


@pytest.mark.parametrize("seed", range(20))
def test_bowker_and_stuart_maxwell_match_statsmodels(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 6))
    t = rng.poisson(rng.uniform(0.3, 4, (k, k)))
    t[0, 1] += 1  # at least one discordant pair
    ref = SquareTable(t, shift_zeros=False)
    b, s = ref.symmetry(), cp.bowker(t)
    assert s.statistic == pytest.approx(b.statistic, rel=1e-9, abs=1e-12) and s.df == b.df
    assert s.p_value == pytest.approx(b.pvalue, rel=1e-9)
    if np.linalg.matrix_rank(_v_matrix(t)[:-1, :-1]) == k - 1:  # statsmodels needs V invertible
        h, m = ref.homogeneity(), cp.stuart_maxwell(t)
        assert m.statistic == pytest.approx(h.statistic, rel=1e-8) and m.df == h.df


def _v_matrix(t):
    a = t + t.T
    np.fill_diagonal(a, 0)
    return np.diag(a.sum(1)) - a


def test_empty_mirror_pair_keeps_its_degree_of_freedom():
    # R's mcnemar.test: PARAMETER <- r * (r-1) / 2 always (src/library/stats/R/mcnemar.test.R);
    # an empty mirror pair makes its statistic 0/0 = NaN. We add 0 for it and keep df = 3, as
    # statsmodels SquareTable(shift_zeros=False).symmetry() does.
    t = np.array([[10, 2, 0], [5, 8, 0], [0, 0, 6]])
    r = cp.bowker(t)
    assert r.df == 3 and r.statistic == pytest.approx(9 / 7)
    assert r.p_value == pytest.approx(stats.chi2.sf(9 / 7, 3))
    red = cp.bowker(t, df_rule="reduced")
    assert red.df == 1 and red.p_value == pytest.approx(stats.chi2.sf(9 / 7, 1))
    assert "reduced" in red.test
    # Stuart-Maxwell: category 3 has no discordant pair; DescTools keeps df = k - 1
    sm = cp.stuart_maxwell(t)
    assert sm.df == 2 and sm.statistic == pytest.approx(9 / 7)
    assert cp.stuart_maxwell(t, df_rule="reduced").df == 1


def test_category_order_is_ignored():
    # both tests treat the categories as nominal: relabelling them changes nothing
    t = R_TABLES[1]
    perm = [2, 0, 3, 1]
    u = t[np.ix_(perm, perm)]
    assert cp.bowker(u).statistic == pytest.approx(cp.bowker(t).statistic)
    assert cp.stuart_maxwell(u).statistic == pytest.approx(cp.stuart_maxwell(t).statistic)


def test_symmetry_is_stronger_than_marginal_homogeneity():
    # a cycle 1 -> 2 -> 3 -> 1 leaves every margin equal: Stuart-Maxwell 0, Bowker large
    t = np.array([[5, 6, 0], [0, 5, 6], [6, 0, 5]])
    assert cp.stuart_maxwell(t).statistic == pytest.approx(0, abs=1e-12)
    assert cp.bowker(t).statistic == pytest.approx(18) and cp.bowker(t).p_value < 0.001


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: cp.bowker(np.eye(3) * 4), "no off-diagonal"),
        (lambda: cp.stuart_maxwell(np.eye(3) * 4), "no off-diagonal"),
        (lambda: cp.bowker([[1, 2], [3, 4]], df_rule="spss"), "df_rule must be one of"),
        (lambda: cp.stuart_maxwell([[1, 2, 3], [1, 2, 3]]), "square"),
    ],
)
def test_paired_table_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---------------------------------------------------------------------------------------------
# the enumerator
# ---------------------------------------------------------------------------------------------

SRS, RT = [6, 12, 7, 3], [3, 13, 10, 2]  # paper B, Table 2: pain relief, 28 pairs


def _old_chapter_enumeration(srs, rt):
    """The nested loops chapter 03 used before the library had an enumerator."""

    def rows_with_sum(total, caps):
        for head in itertools.product(*(range(min(c, total) + 1) for c in caps[:-1])):
            last = total - sum(head)
            if 0 <= last <= caps[-1]:
                yield list(head) + [last]

    out = []
    for r1 in rows_with_sum(srs[0], rt):
        left1 = np.subtract(rt, r1)
        for r2 in rows_with_sum(srs[1], left1):
            left2 = left1 - r2
            for r3 in rows_with_sum(srs[2], left2):
                out.append(np.array([r1, r2, r3, left2 - r3]))
    return np.array(out)


def test_paper_b_margins_give_18635_tables_as_the_old_code():
    tabs = cp.tables_with_margins(SRS, RT)
    assert tabs.shape == (18635, 4, 4)
    assert cp.count_tables_with_margins(SRS, RT) == 18635
    assert (tabs.sum(axis=2) == SRS).all() and (tabs.sum(axis=1) == RT).all()
    old = _old_chapter_enumeration(SRS, RT)
    assert np.array_equal(tabs, old)  # same tables, same (lexicographic) order


@pytest.mark.parametrize("seed", range(8))
def test_enumerator_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    r, c = int(rng.integers(2, 4)), int(rng.integers(2, 4))
    n = int(rng.integers(1, 7))
    rows = rng.multinomial(n, [1 / r] * r)
    cols = rng.multinomial(n, [1 / c] * c)
    brute = []  # free cells: the top-left (r-1) x (c-1) block; the rest is determined
    for v in itertools.product(range(n + 1), repeat=(r - 1) * (c - 1)):
        t = np.zeros((r, c), int)
        t[:-1, :-1] = np.reshape(v, (r - 1, c - 1))
        t[:-1, -1] = rows[:-1] - t[:-1, :-1].sum(1)
        t[-1, :] = cols - t[:-1, :].sum(0)
        if (t >= 0).all() and t[-1].sum() == rows[-1]:
            brute.append(t)
    brute.sort(key=lambda t: tuple(t.ravel()))
    tabs = cp.tables_with_margins(rows, cols)
    assert np.array_equal(tabs, np.array(brute).reshape(-1, r, c))
    assert cp.count_tables_with_margins(rows, cols) == len(brute)


def test_attainable_bowker_p_under_paper_b_margins():
    r = cp.attainable_p(SRS, RT)
    p = np.array([cp.bowker(t).p_value for t in r.tables[::97]])
    assert np.allclose(p, r.p_values[::97], rtol=1e-12)
    assert r.n_tables == 18635 and r.n_undefined == 0
    # the most asymmetric table: 22 discordant pairs, each mirror pair one way, X2 = 22 on 6 df
    best = r.table_min
    assert cp.bowker(best).statistic == 28 - np.trace(best) == 22
    assert r.p_min == pytest.approx(stats.chi2.sf(22, 6)) and r.p_min > 0.001
    assert r.p_max == np.nanmax(r.p_values) == pytest.approx(cp.bowker(r.table_max).p_value)
    # with the reduced df (the old default) the range was 0.0005 to 0.93
    red = cp.attainable_p(SRS, RT, df_rule="reduced")
    assert round(red.p_min, 4) == 0.0005 and round(red.p_max, 2) == 0.93


def test_attainable_stuart_maxwell_and_mcnemar():
    sm = cp.attainable_p(SRS, RT, test="stuart_maxwell")
    some = sm.tables[::211]
    assert np.allclose([cp.stuart_maxwell(t).p_value for t in some], sm.p_values[::211])
    assert sm.p_min <= sm.p_max
    # 2 x 2: McNemar over every table with margins 9/19 and 17/11
    mc = cp.attainable_p([9, 19], [17, 11], test="mcnemar")
    tabs = cp.tables_with_margins([9, 19], [17, 11])
    ps = [cp.mcnemar(t).p_value for t in tabs if t[0, 1] + t[1, 0] > 0]
    assert mc.p_min == pytest.approx(min(ps)) and mc.p_max == pytest.approx(max(ps))
    with pytest.raises(ValueError, match="needs 2 categories"):
        cp.attainable_p(SRS, RT, test="mcnemar")


def test_attainable_result_prints_compactly():
    text = repr(cp.attainable_p(SRS, RT))
    assert "p_min" in text and "table_min" in text and len(text.splitlines()) < 20


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: cp.tables_with_margins([1, 2], [1, 1]), "same sum"),
        (lambda: cp.tables_with_margins([1.5, 2], [2, 1.5]), "whole-number"),
        (lambda: cp.tables_with_margins([1, -1], [0, 0]), ">= 0"),
        (lambda: cp.tables_with_margins([np.inf, 1], [1, np.inf]), "finite"),
        (lambda: cp.attainable_p([1, 2, 3], [3, 3]), "same number of categories"),
        (lambda: cp.attainable_p(SRS, RT, test="kappa"), "test must be one of"),
        (lambda: cp.attainable_p(SRS, RT, exact="no"), "exact must be True or False"),
        (lambda: cp.tables_with_margins(SRS, RT, max_tables=1000), "too large"),
    ],
)
def test_enumerator_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_enumerator_refuses_huge_margins_fast():
    # (their time is a budget in benchmarks/bench_guards.py, not a test)
    with pytest.raises(ValueError, match="too large"):
        cp.tables_with_margins([100, 100, 100, 100, 100], [100, 100, 100, 100, 100])
    with pytest.raises(ValueError, match="too large"):
        cp.count_tables_with_margins([10**6, 10**6, 10**6], [10**6, 10**6, 10**6])
