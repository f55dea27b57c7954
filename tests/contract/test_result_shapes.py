"""Every statistical test returns a TestResult (issue 22 item 12).

A ``TestResult`` has ``test``, ``statistic``, ``df`` and ``p_value`` and unpacks as
``statistic, p = result`` like scipy's results; a family of tests (pairwise log-rank) returns a
``Result`` holding its table. The p-values are checked against scipy where scipy has the test,
so the shape is not checked on a wrong number.
"""

import numpy as np
import pytest
from scipy import stats

from spinemets import compare, survival
from spinemets._results import Result, TestResult

T = np.array([5.0, 8, 3, 10, 12, 2, 7, 9, 4, 11, 6, 1])
E = np.array([1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1])
CODES = np.array([1, 2, 1, 0, 2, 1, 0, 1, 2, 0, 1, 1])
G = np.array(["a", "b"] * 6)
G3 = np.array(["a", "b", "c"] * 4)
X = np.array([3.1, 4.2, 5.0, 2.2, 6.1, 4.4, 3.9, 5.5])
Y = np.array([2.0, 4.0, 4.1, 2.9, 5.0, 3.1, 3.0, 4.9])
TABLE = np.array([[12, 5], [3, 10]])
SQUARE = np.array([[10, 3, 2], [4, 12, 1], [1, 2, 9]])

TESTS = {
    "independence": lambda: compare.independence(TABLE),
    "fisher_exact": lambda: compare.fisher_exact(TABLE),
    "mcnemar": lambda: compare.mcnemar(TABLE),
    "bowker": lambda: compare.bowker(SQUARE),
    "stuart_maxwell": lambda: compare.stuart_maxwell(SQUARE),
    "wilcoxon_signed_rank": lambda: compare.wilcoxon_signed_rank(X, Y),
    "paired_t": lambda: compare.paired_t(X, Y),
    "logrank": lambda: survival.logrank(T, E, G),
    "stratified_logrank": lambda: survival.stratified_logrank(T, E, G, [1, 2] * 3 + [2, 1] * 3),
    "gray_k_sample": lambda: survival.gray_k_sample(T, CODES, G),
}

#: scipy's p-value for the tests scipy has
SCIPY_P = {
    "fisher_exact": lambda: stats.fisher_exact(TABLE).pvalue,
    "paired_t": lambda: stats.ttest_rel(X, Y).pvalue,
    "independence": lambda: stats.chi2_contingency(TABLE, correction=False).pvalue,
}


@pytest.mark.parametrize("name", sorted(TESTS))
def test_statistical_tests_return_a_test_result(name):
    r = TESTS[name]()
    assert isinstance(r, TestResult), type(r)
    stat, p = r
    assert (stat, p) == (r.statistic, r.p_value)
    assert 0 <= r.p_value <= 1 and np.isfinite(r.statistic)
    assert "p_value" in r.to_dict()
    if name in SCIPY_P:
        assert r.p_value == pytest.approx(SCIPY_P[name](), rel=1e-9)


def test_a_family_of_tests_returns_a_result_with_its_table():
    r = survival.pairwise_logrank(T, E, G3)
    assert isinstance(r, Result)
    keep = G3 != "c"
    one = survival.logrank(T[keep], E[keep], G3[keep])
    row = r.table.set_index(["group1", "group2"]).loc[("a", "b")]
    assert (row.statistic, row.p_value) == (
        pytest.approx(one.statistic),
        pytest.approx(one.p_value),
    )
