"""The input contract of spinemets.survival (lib/spinemets/_validation.py docstring): refusals
that name the argument and the reason, and pandas Series paired by label."""

import numpy as np
import pandas as pd
import pytest
from lifelines.datasets import load_lung

from spinemets import survival as sv

LUNG = load_lung()


def test_logrank_without_events_refuses():
    with pytest.raises(ValueError, match="events: no events"):
        sv.logrank([1, 2, 3, 4], [0, 0, 0, 0], [0, 0, 1, 1])


def test_stratified_logrank_with_one_group_per_stratum_refuses():
    # each pair holds one arm only: nothing is compared within a stratum (was: statistic 0, p = 1)
    t, e = [1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 1]
    g, s = ["a", "a", "b", "b", "a", "a"], [1, 1, 2, 2, 3, 3]
    with pytest.raises(ValueError, match="strata: no stratum holds two groups"):
        sv.stratified_logrank(t, e, g, s)


def test_survival_at_and_univariate_table_need_something_to_report():
    with pytest.raises(ValueError, match="times must give at least one"):
        sv.survival_at([1, 2, 3], [1, 0, 1], [])
    with pytest.raises(ValueError, match="times contains infinite"):
        sv.survival_at([1, 2, 3], [1, 0, 1], [np.inf])
    with pytest.raises(ValueError, match="times must be >= 0"):
        sv.survival_at([1, 2, 3], [1, 0, 1], [-1])
    with pytest.raises(ValueError, match="covariates must name at least one"):
        sv.univariate_table(LUNG, "time", "status", [])


@pytest.mark.parametrize("codes", [[1, np.inf, 0], [1, np.nan, 0], [1, -np.inf, 2]])
def test_cumulative_incidence_refuses_non_finite_codes(codes):
    # an inf code used to be cast to an integer and treated as "censored"
    with pytest.raises(ValueError, match="events"):
        sv.cumulative_incidence([1, 2, 3], codes, event_of_interest=1)


def test_series_are_paired_by_label_not_position():
    d = LUNG.head(60)
    shuffled_groups = d.sex.sample(frac=1.0, random_state=1)  # same labels, another order
    a = sv.logrank(d.time, d.status, d.sex)
    b = sv.logrank(d.time, d.status, shuffled_groups)
    assert b.statistic == pytest.approx(a.statistic)
    s = sv.stratified_logrank(
        d.time, d.status, d.sex, d.inst.fillna(0).sample(frac=1.0, random_state=2)
    )
    assert s.statistic == pytest.approx(
        sv.stratified_logrank(d.time, d.status, d.sex, d.inst.fillna(0)).statistic
    )
    km = sv.km_table(d.time, d.status.sample(frac=1.0, random_state=3))
    assert km.equals(sv.km_table(d.time, d.status))
    ci = sv.cumulative_incidence(
        d.time, (d.status * d.sex).sample(frac=1.0, random_state=4), event_of_interest=1
    )
    assert ci.equals(sv.cumulative_incidence(d.time, d.status * d.sex, event_of_interest=1))
    with pytest.raises(ValueError, match="different index labels"):
        sv.logrank(d.time, d.status, pd.Series(d.sex.to_numpy(), index=d.index + 1000))


def test_plain_arrays_still_pair_by_position():
    d = LUNG.head(60)
    a = sv.logrank(d.time.to_numpy(), d.status.to_numpy(), d.sex.to_numpy())
    assert a.statistic == pytest.approx(sv.logrank(d.time, d.status, d.sex).statistic)
