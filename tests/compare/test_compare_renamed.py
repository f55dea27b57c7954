"""The renamed arguments of compare (issue 22 item 11) and the AUC result (item 12).

Old names keep working for one release with a DeprecationWarning naming the new one; results
are checked against scipy (an independent implementation) or a closed form.
"""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from spinemets import compare as cp
from spinemets._results import Result
from spinemets.analyses import sohn2016

RNG = np.random.default_rng(11)
X = RNG.normal(size=40)
Y = X + RNG.normal(0.3, 1, size=40)
O = (RNG.uniform(size=40) < 0.5).astype(int)
O[:2], O[2:4] = 1, 0


def test_delong_auc_result_against_mann_whitney_and_the_normal_quantile():
    r = cp.delong_auc(Y, O, level=0.90)
    assert isinstance(r, cp.AUCResult) and isinstance(r, Result)
    u = stats.mannwhitneyu(Y[O == 1], Y[O == 0]).statistic
    assert r.auc == pytest.approx(u / (O.sum() * (len(O) - O.sum())), rel=1e-12)
    z = stats.norm.ppf(0.95)
    assert r.lower == pytest.approx(max(0.0, r.auc - z * r.se))
    assert r.upper == pytest.approx(min(1.0, r.auc + z * r.se))
    assert (r.n_positive, r.n_negative, r.level) == (int(O.sum()), int(len(O) - O.sum()), 0.90)
    auc, se, lo, hi = r  # unpacks as the former tuple
    assert (auc, se, lo, hi) == (r[0], r[1], r[2], r[3]) and len(r) == 4
    assert "AUC (DeLong)" in repr(r) and "level" in repr(r)


@pytest.mark.parametrize(
    "call_old, call_new",
    [
        (lambda: cp.delong_auc(Y, O, alpha=0.1), lambda: cp.delong_auc(Y, O, level=0.9)),
        (lambda: cp.youden_cutoff(Y, O, alpha=0.1), lambda: cp.youden_cutoff(Y, O, level=0.9)),
        (lambda: cp.paired_t(X, Y, alpha=0.1), lambda: cp.paired_t(X, Y, level=0.9)),
    ],
)
def test_alpha_becomes_level(call_old, call_new):
    with pytest.warns(DeprecationWarning, match="'alpha' is deprecated.*use 'level'"):
        old = call_old()
    new = call_new()
    for k, v in new.to_dict().items():
        if isinstance(v, float):
            assert getattr(old, k) == pytest.approx(v, rel=1e-12), k


def test_paired_t_level_against_scipy():
    r = cp.paired_t(X, Y, level=0.9)
    ci = stats.ttest_rel(X, Y).confidence_interval(0.9)
    assert (r.ci_lower, r.ci_upper) == pytest.approx((ci.low, ci.high), rel=1e-12)


def test_other_renamed_arguments_warn_and_give_the_same_answer():
    with pytest.warns(DeprecationWarning, match="'alpha'.*'sig_level'"):
        old = cp.null_cutoff_simulation(20, 30, seed=1, alpha=0.05)
    new = cp.null_cutoff_simulation(20, 30, seed=1, sig_level=0.05)
    assert old.n_significant == new.n_significant and new.sig_level == 0.05

    rng = np.random.default_rng(3)
    v = rng.uniform(0, 100, 120)
    t = rng.exponential(10, 120)
    e = rng.integers(0, 2, 120)
    with pytest.warns(DeprecationWarning, match="'candidates'.*'cutoffs'"):
        old = cp.two_cutoffs(v, t, e, candidates=[20, 40, 60, 80], min_group=10)
    new = cp.two_cutoffs(v, t, e, cutoffs=[20, 40, 60, 80], min_group=10)
    assert old.lr_statistic == new.lr_statistic

    df = pd.DataFrame(
        {
            "y": (rng.uniform(size=120) < 0.4).astype(int),
            "a": rng.normal(size=120),
            "b": rng.normal(size=120),
            "g": rng.choice(["u", "v"], 120),
        }
    )
    with pytest.warns(DeprecationWarning, match="'candidates'.*'covariates'"):
        old = cp.stepwise_logistic(df, "y", candidates=["a", "b"])
    new = cp.stepwise_logistic(df, "y", covariates=["a", "b"])
    assert old.selected == new.selected

    with pytest.warns(DeprecationWarning, match="'groupby'.*'group'"):
        cp.table_one(df, ["a", "b"], groupby="g")

    with (
        pytest.warns(DeprecationWarning, match="'row_margins'.*'row_totals'"),
        pytest.warns(DeprecationWarning, match="'col_margins'.*'col_totals'"),
    ):
        old, _ = sohn2016.paired_p_range(row_margins=[2, 1, 1], col_margins=[1, 2, 1])
    new, _ = sohn2016.paired_p_range(row_totals=[2, 1, 1], col_totals=[1, 2, 1])
    pd.testing.assert_frame_equal(old, new)


def test_new_names_do_not_warn_and_both_names_refuse():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cp.delong_auc(Y, O, level=0.95)
        cp.table_one(pd.DataFrame({"a": X, "g": np.where(O == 1, "p", "q")}), ["a"], group="g")
    with pytest.raises(ValueError, match="pass level only"):
        cp.delong_auc(Y, O, alpha=0.05, level=0.95)
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match="alpha"):
        cp.delong_auc(Y, O, alpha=1.5)
    with pytest.raises(ValueError, match="level"):
        cp.delong_auc(Y, O, level=95)


def test_level_default_is_the_former_alpha_default():
    # 0.95 and the former alpha = 0.05 give the same interval (1.959964 SE)
    r = cp.delong_auc(Y, O)
    z = stats.norm.ppf(0.975)
    assert r.upper - r.auc == pytest.approx(min(z * r.se, 1 - r.auc))
    assert math.isclose(r.level, 0.95)


def test_df_becomes_df_rule():
    # the degrees-of-freedom rule was called df, the name the library gives a DataFrame nowhere
    # else and R gives the degrees of freedom themselves; Bowker's statistic by hand
    t = np.array([[5, 2, 0], [1, 4, 0], [0, 0, 3]])
    stat = (2 - 1) ** 2 / 3
    with pytest.warns(DeprecationWarning, match="'df'.*'df_rule'"):
        old = cp.bowker(t, df="reduced")
    new = cp.bowker(t, df_rule="reduced")
    assert old.p_value == new.p_value == pytest.approx(stats.chi2.sf(stat, 1))
    with pytest.warns(DeprecationWarning, match="'df'.*'df_rule'"):
        assert cp.stuart_maxwell(t, df="standard").p_value == cp.stuart_maxwell(t).p_value
    with pytest.warns(DeprecationWarning, match="'df'.*'df_rule'"):
        old = cp.attainable_p([2, 1, 1], [1, 2, 1], df="reduced")
    assert old.p_max == cp.attainable_p([2, 1, 1], [1, 2, 1], df_rule="reduced").p_max
