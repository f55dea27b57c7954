"""spinemets.compare against R's stats package (help-page examples quoted in each test)."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from spinemets import compare as cp


def test_pearson_chisq_r_help_example():
    # R ?chisq.test: M <- as.table(rbind(c(762, 327, 468), c(484, 239, 477)))
    #   X-squared = 30.07, df = 2, p-value = 2.954e-07
    r = cp.independence([[762, 327, 468], [484, 239, 477]])
    assert (round(r.statistic, 2), r.df) == (30.07, 2)
    assert r.p_value == pytest.approx(2.954e-07, rel=1e-3)
    assert not r.small_expected


def test_yates_only_2x2_and_default_scipy_difference():
    # paper A, Table 2: pathologic fracture by CR: 4/43 vs 37/108
    t = [[4, 43], [37, 108]]
    pearson, yates = cp.independence(t, "pearson"), cp.independence(t, "yates")
    assert pearson.p_value == pytest.approx(stats.chi2_contingency(t, correction=False)[1])
    assert yates.p_value == pytest.approx(stats.chi2_contingency(t, correction=True)[1])
    assert yates.p_value > pearson.p_value
    with pytest.raises(ValueError, match="2 x 2 tables only"):
        cp.independence([[1, 2, 3], [4, 5, 6]], "yates")


def test_fisher_r_help_examples():
    # R ?fisher.test: TeaTasting matrix(c(3, 1, 1, 3), nrow = 2): two-sided p-value = 0.4857
    assert cp.independence([[3, 1], [1, 3]], "fisher").p_value == pytest.approx(0.4857, abs=5e-5)
    # Job satisfaction: Job <- matrix(c(1,2,1,0, 3,3,6,1, 10,10,14,9, 6,7,12,11), 4, 4): p-value = 0.7827
    job = np.array([1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11]).reshape(4, 4, order="F")
    assert cp.fisher_exact(job).p_value == pytest.approx(0.7827, abs=5e-5)


@pytest.mark.parametrize(
    "t", [[[4, 43], [37, 108]], [[9, 37], [32, 114]], [[0, 22], [13, 9]], [[1, 0], [0, 1]]]
)
def test_fisher_2x2_equals_scipy(t):
    assert cp.fisher_exact(t).p_value == pytest.approx(stats.fisher_exact(t).pvalue, rel=1e-9)


def test_fisher_2x3_against_full_enumeration():
    # paper A, Table 2, BED group by overall response: 37/1, 128/4, 22/0 (transposed to 2 x 3)
    x = np.array([[37, 128, 22], [1, 4, 0]])
    rows, cols, n = x.sum(1), x.sum(0), x.sum()
    from scipy.special import gammaln

    logp = lambda t: (
        gammaln(rows + 1).sum()
        + gammaln(cols + 1).sum()
        - gammaln(n + 1)
        - gammaln(np.array(t) + 1).sum()
    )
    p_obs, total = logp(x), 0.0
    for a in range(0, rows[1] + 1):
        for b in range(0, rows[1] - a + 1):
            c = rows[1] - a - b
            if a <= cols[0] and b <= cols[1] and c <= cols[2]:
                t = np.array([[cols[0] - a, cols[1] - b, cols[2] - c], [a, b, c]])
                if logp(t) <= p_obs + np.log1p(1e-7):
                    total += np.exp(logp(t))
    assert cp.fisher_exact(x).p_value == pytest.approx(total, rel=1e-10)


def test_mcnemar_presidential_approval():
    # R ?mcnemar.test data (Agresti 1990, p. 350): Performance <- matrix(c(794, 86, 150, 570), nrow = 2).
    # Agresti reports z = -4.17 without continuity correction, i.e. chi-square = 64^2/236 = 17.36;
    # with R's continuity correction (|86 - 150| - 1)^2 / 236 = 16.82.
    perf = np.array([794, 86, 150, 570]).reshape(2, 2, order="F")
    assert cp.mcnemar(perf, exact=False, correction=False).statistic == pytest.approx(4096 / 236)
    r = cp.mcnemar(perf, exact=False)
    assert r.statistic == pytest.approx(3969 / 236) and r.df == 1
    assert r.p_value == pytest.approx(stats.chi2.sf(3969 / 236, 1))
    ex = cp.mcnemar(perf, exact=True)
    assert ex.p_value == pytest.approx(stats.binomtest(86, 236).pvalue)


def test_mcnemar_presidential_approval_r_output():
    # R: mcnemar.test(Performance)
    #   McNemar's chi-squared = 16.818, df = 1, p-value = 4.115e-05
    # R: mcnemar.test(Performance, correct = FALSE)
    #   McNemar's chi-squared = 17.356, df = 1, p-value = 3.099e-05
    # Tolerances: half a unit in the last printed digit.
    perf = np.array([794, 86, 150, 570]).reshape(2, 2, order="F")
    r = cp.mcnemar(perf, exact=False)
    assert (r.statistic, r.df) == (pytest.approx(16.818, abs=5e-4), 1)
    assert r.p_value == pytest.approx(4.115e-05, abs=5e-9)
    u = cp.mcnemar(perf, exact=False, correction=False)
    assert (u.statistic, u.df) == (pytest.approx(17.356, abs=5e-4), 1)
    assert u.p_value == pytest.approx(3.099e-05, abs=5e-9)


def test_bowker_matches_statsmodels_without_shifting():
    from statsmodels.stats.contingency_tables import SquareTable

    t = np.array([[10, 2, 0], [5, 8, 1], [3, 0, 6]])
    r = cp.bowker(t)
    ref = SquareTable(t, shift_zeros=False).symmetry(method="bowker")
    assert r.statistic == pytest.approx(ref.statistic) and r.df == 3
    # pairs (1,3) and (2,3) both zero: R's mcnemar.test keeps df = k(k-1)/2 = 3 (PARAMETER <-
    # r * (r-1) / 2 in src/library/stats/R/mcnemar.test.R; it returns NaN for this table),
    # statsmodels too; the reduced df (1) only on request
    t2 = np.array([[10, 2, 0], [5, 8, 0], [0, 0, 6]])
    ref2 = SquareTable(t2, shift_zeros=False).symmetry(method="bowker")
    assert cp.bowker(t2).df == 3 == ref2.df
    assert cp.bowker(t2).p_value == pytest.approx(ref2.pvalue, rel=1e-12)
    assert cp.bowker(t2, df_rule="reduced").df == 1


def test_paired_t_sleep():
    # R: t.test(extra ~ group, data = sleep, paired = TRUE): t = -4.0621, df = 9, p-value = 0.002833,
    #    95 percent CI -2.4598858 -0.7001142, mean difference -1.58
    g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    r = cp.paired_t(g1, g2)
    assert (round(r.statistic, 4), r.df) == (-4.0621, 9)
    assert r.p_value == pytest.approx(0.002833, abs=5e-7)
    assert (r.lower, r.upper) == (pytest.approx(-2.4598858), pytest.approx(-0.7001142))


def test_wilcoxon_r_help_example():
    # R ?wilcox.test: x <- c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30)
    # y <- c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)
    # wilcox.test(x, y, paired = TRUE, alternative = "greater"): V = 40, p-value = 0.01953
    x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    r = cp.wilcoxon_signed_rank(x, y, alternative="greater")
    assert r.statistic == 40 and r.p_value == pytest.approx(0.01953, abs=5e-6)
    two = cp.wilcoxon_signed_rank(x, y)
    assert two.p_value == pytest.approx(0.03906, abs=5e-6)  # R two-sided: p-value = 0.03906


def test_youden_and_delong_hand_case():
    values = [1, 2, 3, 4, 5, 6]
    outcome = [0, 0, 1, 0, 1, 1]
    r = cp.youden_cutoff(values, outcome)
    # AUC = U / (n1 n0): positives 3,5,6 vs negatives 1,2,4: 8 of 9 pairs ordered -> 8/9
    assert r.auc == pytest.approx(8 / 9)
    assert r.cutoff == 3 and r.sensitivity == 1.0 and r.specificity == pytest.approx(2 / 3)
    # DeLong: V10 = (2/3, 1, 1), V01 = (1, 1, 2/3); var = s2(V10)/3 + s2(V01)/3
    v10, v01 = np.array([2 / 3, 1, 1]), np.array([1, 1, 2 / 3])
    assert r.auc_se == pytest.approx(np.sqrt(v10.var(ddof=1) / 3 + v01.var(ddof=1) / 3))
    auc = cp.delong_auc(values, outcome)[0]
    assert auc == pytest.approx(stats.mannwhitneyu([3, 5, 6], [1, 2, 4]).statistic / 9)


def test_stepwise_enters_the_strong_predictor_and_score_test_formula():
    rng = np.random.default_rng(1)
    n = 300
    df = pd.DataFrame(
        {
            "x1": rng.normal(size=n),
            "x2": rng.normal(size=n),
            "noise": rng.normal(size=n),
            "grp": rng.choice(["a", "b", "c"], n),
        }
    )
    lin = -0.3 + 1.5 * df.x1 + 0.7 * df.x2
    df["y"] = (rng.uniform(size=n) < 1 / (1 + np.exp(-lin))).astype(int)
    r = cp.stepwise_logistic(df, "y", ["noise", "x2", "x1", "grp"])
    assert r.selected[:2] == ["x1", "x2"] and "noise" not in r.selected
    assert list(r.steps.action[:2]) == ["enter", "enter"]
    # the first score statistic equals U' I^-1 U at the intercept-only fit (closed form)
    y = df.y.to_numpy(float)
    p = y.mean()
    X = np.column_stack([np.ones(n), df.x1])
    U = X.T @ (y - p)
    info = X.T @ X * p * (1 - p)
    assert r.steps.statistic.iloc[0] == pytest.approx(U @ np.linalg.solve(info, U), rel=1e-6)
    assert {"or", "or_lower", "or_upper", "p"} <= set(r.summary.columns)


def test_two_cutoffs_finds_planted_groups():
    rng = np.random.default_rng(5)
    v = rng.uniform(0, 90, 240).round()
    hr = np.where(v <= 30, 3.0, np.where(v <= 60, 1.0, 0.3))
    t = rng.exponential(10 / hr)
    e = np.ones(240, int)
    r = cp.two_cutoffs(v, t, e, cutoffs=np.arange(10, 85, 10), min_group=20)
    assert abs(r.lower_cutoff - 30) <= 10 and abs(r.upper_cutoff - 60) <= 10
    assert r.naive_p_value < 0.001


def test_table_one_spss_tests():
    rng = np.random.default_rng(2)
    df = pd.DataFrame(
        {
            "arm": np.repeat(["A", "B"], 50),
            "age": rng.normal(60, 10, 100),
            "sex": rng.choice(["m", "f"], 100),
        }
    )
    t1 = cp.table_one(df, ["age", "sex"], group="arm")
    tab = t1.tableone
    p_sex = stats.chi2_contingency(pd.crosstab(df.sex, df.arm), correction=False)[1]
    p_age = stats.ttest_ind(df.age[df.arm == "A"], df.age[df.arm == "B"], equal_var=True).pvalue
    text = tab.to_string()
    assert f"{p_sex:.3f}" in text and f"{p_age:.3f}" in text


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: cp.independence([[1, -2], [3, 4]]), "counts >= 0"),
        (lambda: cp.independence([[1.5, 2], [3, 4]]), "whole-number"),
        (lambda: cp.independence([[1, np.nan], [3, 4]]), "missing"),
        (lambda: cp.independence([[1, 2]]), "at least 2x2"),
        (lambda: cp.independence([[0, 0], [3, 4]]), "row or column of zeros"),
        (lambda: cp.independence([[1, 2], [3, 4]], "g-test"), "method must be one of"),
        (lambda: cp.mcnemar([[5, 0], [0, 5]]), "no discordant"),
        (lambda: cp.mcnemar([[1, 2, 3], [1, 2, 3], [1, 2, 3]]), "use bowker"),
        (lambda: cp.bowker([[1, 2, 3], [1, 2, 3]]), "square"),
        (lambda: cp.paired_t([1, 2, 3], [1, 2]), "same length"),
        (lambda: cp.wilcoxon_signed_rank([1, 2], [1, 2]), "all differences are zero"),
        (lambda: cp.youden_cutoff([1, 2, 3, 4], [0, 1, 2, 1]), "outcome must be 0 or 1"),
        (lambda: cp.stepwise_logistic(pd.DataFrame({"y": [0, 1]}), "y", ["x"]), "no column"),
        (
            lambda: cp.table_one(pd.DataFrame({"g": ["a", "a"], "x": [1, 2]}), ["x"], group="g"),
            "at least 2 distinct levels",
        ),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def _brute_force_fisher(x):
    """All tables with the margins of x (3 x 3), by direct enumeration (independent check)."""
    from scipy.special import gammaln

    x = np.asarray(x)
    r, c, n = x.sum(1), x.sum(0), x.sum()
    logp = lambda t: (
        gammaln(r + 1).sum() + gammaln(c + 1).sum() - gammaln(n + 1) - gammaln(t + 1).sum()
    )
    p_obs, total = logp(x), 0.0
    for a in range(r[0] + 1):
        for b in range(r[0] - a + 1):
            for d in range(r[1] + 1):
                for e in range(r[1] - d + 1):
                    t = np.array(
                        [
                            [a, b, r[0] - a - b],
                            [d, e, r[1] - d - e],
                            [c[0] - a - d, c[1] - b - e, 0],
                        ]
                    )
                    t[2, 2] = c[2] - t[0, 2] - t[1, 2]
                    if (t < 0).any() or t[2].sum() != r[2]:
                        continue
                    if logp(t) <= p_obs + np.log1p(1e-7):
                        total += np.exp(logp(t))
    return total


@pytest.mark.parametrize("seed", range(5))
def test_fisher_rxc_matches_brute_force(seed):
    x = np.random.default_rng(seed).multinomial(18, [1 / 9] * 9).reshape(3, 3)
    assert cp.fisher_exact(x).p_value == pytest.approx(_brute_force_fisher(x), rel=1e-9)


def test_fisher_refuses_tables_too_large_to_enumerate():
    x = np.random.default_rng(0).multinomial(100, [1 / 25] * 25).reshape(5, 5)
    with pytest.raises(ValueError, match="too large for the exact Fisher test.*measured"):
        cp.fisher_exact(x)
