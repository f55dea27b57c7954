"""spinemets.analyses.sohn2016: the life table, the margin enumeration, and analyse()."""

import math

import numpy as np
import pytest
from scipy import stats

from spinemets import cohorts
from spinemets.analyses import sohn2016 as B


def test_life_table_by_hand():
    # 10 units; interval (0, 2]: events at 1, 2; censored at 1.5  -> n' = 10 - 0.5 = 9.5
    # interval (2, 5]: 7 enter; events at 3; censored at 4, 5     -> n' = 7 - 1 = 6
    t = [1, 2, 1.5, 3, 4, 5, 6, 7, 8, 9]
    e = [1, 1, 0, 1, 0, 0, 1, 0, 1, 0]
    lt = B.life_table(t, e, [0, 2, 5])
    assert lt.entering.tolist() == [10, 7]
    assert lt.events.tolist() == [2, 1] and lt.censored.tolist() == [1, 2]
    s1 = 1 - 2 / 9.5
    s2 = s1 * (1 - 1 / 6)
    assert lt.survival_end.tolist() == pytest.approx([s1, s2])
    assert lt.se.iloc[1] == pytest.approx(s2 * math.sqrt(2 / (9.5 * 7.5) + 1 / (6 * 5)))


def test_life_table_equals_kaplan_meier_without_censoring():
    from spinemets import survival

    rng = np.random.default_rng(2)
    t = rng.exponential(5, 40).round(1) + 0.1
    e = np.ones(40, int)
    breaks = [0, 1, 2, 3, 6, 12]
    lt = B.life_table(t, e, breaks)
    km = survival.survival_at(t, e, breaks[1:])
    assert lt.survival_end.to_numpy() == pytest.approx(km.survival.to_numpy())


@pytest.mark.parametrize(
    "breaks, match", [([1, 2], "start at 0"), ([0, 2, 2], "increase"), ([0], "at least two")]
)
def test_life_table_bad_breaks(breaks, match):
    with pytest.raises(ValueError, match=match):
        B.life_table([1, 2], [1, 0], breaks)


def test_life_table_bad_events():
    with pytest.raises(ValueError, match="events"):
        B.life_table([1, 2], [1, 2], [0, 3])


def test_tables_with_margins_is_the_compare_one():
    # issue 22 item 10: the copy is gone; the name stays importable for one release
    from spinemets import compare, survival

    assert B.tables_with_margins is compare.tables_with_margins
    assert B.life_table is survival.life_table
    T = B.tables_with_margins([6, 12, 7, 3], [3, 13, 10, 2])
    assert len(T) == 18635
    assert (T.sum(2) == [6, 12, 7, 3]).all() and (T.sum(1) == [3, 13, 10, 2]).all()


def test_paired_p_range_has_the_size_guard():
    # the copy enumerated a 4 x 4 input for over 45 s and 1.4 GB; the shared enumerator counts
    # first and refuses (compare.MAX_TABLES)
    with pytest.raises(ValueError, match="too large"):
        B.paired_p_range([40, 40, 40, 40], [40, 40, 40, 40])


def test_paired_p_range_matches_statsmodels_per_table():
    from statsmodels.stats.contingency_tables import SquareTable

    summary, per = B.paired_p_range([6, 12, 7, 3], [3, 13, 10, 2])
    T = B.tables_with_margins([6, 12, 7, 3], [3, 13, 10, 2])
    singular = 0
    for i in range(0, len(T), 97):
        st = SquareTable(T[i].astype(float), shift_zeros=False)
        assert per.p_bowker_full_df[i] == pytest.approx(st.symmetry().pvalue)
        try:
            ref = st.homogeneity().statistic
        except np.linalg.LinAlgError:
            singular += 1
            continue
        if np.isfinite(ref):
            assert per.stuart_maxwell[i] == pytest.approx(ref, rel=1e-9)
    assert summary["tables"].tolist() == [18635, 18635, 18635]


def test_symmetry_tests_df_conventions():
    from statsmodels.stats.contingency_tables import SquareTable

    x = np.array([[5, 2, 0], [1, 4, 0], [0, 0, 3]])
    s = B.symmetry_tests(x)
    stat = (2 - 1) ** 2 / 3
    assert (
        s.loc["Bowker, df = k(k-1)/2", "df"] == 3
        and s.loc["Bowker, df = non-empty pairs", "df"] == 1
    )
    assert s.loc["Bowker, df = non-empty pairs", "p_value"] == pytest.approx(stats.chi2.sf(stat, 1))
    # the shared tests against an independent implementation (statsmodels)
    st = SquareTable(x.astype(float), shift_zeros=False)
    assert s.loc["Bowker, df = k(k-1)/2", "p_value"] == pytest.approx(st.symmetry().pvalue)
    assert s.loc["Stuart-Maxwell", "statistic"] == pytest.approx(
        st.homogeneity().statistic, rel=1e-9
    )
    # no discordant pair: the former printout (Bowker 0 on 3 df, p = 1; the rest undefined)
    e = B.symmetry_tests(np.eye(3, dtype=int) * 4)
    assert e["p_value"].tolist()[0] == 1.0 and np.isnan(e["p_value"].tolist()[1:]).all()


def test_analyse_returns_registry_ids():
    from spinemets import published

    c = cohorts.load("sohn2016")
    out = B.analyse(c)  # its time: benchmarks/bench_guards.py
    reg = published.load("sohn2016")
    assert set(out) <= set(reg)
    assert all(np.isfinite(v) for v in out.values())
    # by construction: the arm means of VAS give the mean change exactly
    assert out["t2_vas_change_srs_mean"] == pytest.approx(
        c[c.arm == "SRS"].eval("pre_vas - post_vas").mean()
    )


def test_select_matches_all_28_with_balance():
    m = B.select(cohorts.load("sohn2016"))
    assert m.n_pairs == 28
    b = m.balance()
    assert (
        b.loc[[i for i in b.index if i.startswith(("sex", "child_pugh"))], "smd_after"].abs()
        < 1e-12
    ).all()
