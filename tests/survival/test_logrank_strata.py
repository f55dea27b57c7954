"""Strata and groups coded by value (never through str()), the shared coding of logrank and
gray_test, and pairwise_logrank's result object. Reference: statsmodels' ``survdiff`` (an
independent implementation of R's survdiff) on the same data with integer strata codes."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.duration.survfunc import survdiff

from spinemets import survival as sv
from spinemets._results import Result
from spinemets._validation import factorize_labels


def _data(n=400, seed=1):
    rng = np.random.default_rng(seed)
    t = rng.exponential(10, n).round(1) + 0.1
    e = rng.integers(0, 2, n)
    g = rng.integers(0, 2, n)
    return t, e, g, rng


def test_int_and_string_strata_stay_distinct():
    t, e, g, rng = _data()
    codes = rng.integers(0, 2, len(t))
    mixed = np.array([1 if c == 0 else "1" for c in codes], dtype=object)
    ours = sv.stratified_logrank(t, e, g, mixed)
    stat, p = survdiff(t, e, g, strata=codes)
    assert ours.statistic == pytest.approx(stat, rel=1e-10)
    merged = survdiff(t, e, g)[0]  # what str() coding gave
    assert ours.statistic != pytest.approx(merged, rel=1e-6)


def test_many_numeric_strata_match_statsmodels():
    t, e, g, rng = _data(5000, 2)
    s = rng.integers(0, 50, len(t)).astype(float) * 1.5
    ours = sv.stratified_logrank(t, e, g, s)
    stat, p = survdiff(t, e, g, strata=s)
    assert ours.statistic == pytest.approx(stat, rel=1e-10)
    assert ours.p_value == pytest.approx(p, rel=1e-8)


def test_gray_k_sample_codes_strata_as_logrank():
    t, e, g, rng = _data(300, 3)
    codes = np.where(e == 1, rng.integers(1, 3, len(t)), 0)
    s = rng.integers(0, 2, len(t))
    mixed = np.array([1 if c == 0 else "1" for c in s], dtype=object)
    a = sv.gray_k_sample(t, codes, g, strata=mixed)
    b = sv.gray_k_sample(t, codes, g, strata=s)
    assert a.statistic == pytest.approx(b.statistic, rel=1e-12)
    assert factorize_labels(mixed)[0].tolist() == factorize_labels(s)[0].tolist()


@pytest.mark.parametrize("bad", [{"a": 1}, {1, 2}])
def test_groups_as_a_mapping_is_a_value_error(bad):
    with pytest.raises(ValueError, match="groups must be an array-like"):
        sv.logrank([1, 2, 3, 4], [1, 1, 0, 1], bad)


def test_unhashable_labels_are_a_value_error():
    with pytest.raises(ValueError, match="strata"):
        sv.stratified_logrank(
            [1, 2, 3, 4], [1, 1, 0, 1], [0, 1, 0, 1], pd.Series([[1], [2], [1], [2]])
        )


def test_pairwise_logrank_is_a_result_showing_its_table():
    t, e, _, rng = _data(300, 4)
    g = rng.choice(["A", "B", "C"], len(t))
    out = sv.pairwise_logrank(t, e, g, adjust="holm")
    assert isinstance(out, Result) and isinstance(out.table, pd.DataFrame)
    assert len(out) == 3 and out.n_comparisons == 3 and out.adjust == "holm"
    assert "p_adjusted" in repr(out) and "group1" in out._repr_html_()
    m = np.isin(g, ["A", "B"])
    stat, p = survdiff(t[m], e[m], g[m])
    first = next(out.iterrows())[1]
    assert (first.group1, first.group2) == ("A", "B")
    assert first.statistic == pytest.approx(stat, rel=1e-10)
    assert out.p_value.iloc[0] == pytest.approx(p, rel=1e-8)


@pytest.mark.parametrize("n_strata", [3, 2000])
def test_few_and_many_strata_match_statsmodels(n_strata):
    # few strata: every (stratum, time) cell is counted directly; many: only occupied cells
    t, e, g, rng = _data(6000, 5)
    s = rng.integers(0, n_strata, len(t))
    ours = sv.stratified_logrank(t, e, g, s)
    stat, p = survdiff(t, e, g, strata=s)
    assert ours.statistic == pytest.approx(stat, rel=1e-9)
