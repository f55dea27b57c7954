"""The renames of issue 22 item 11 outside compare: survival, power, discrimination, repeated,
matching, cohorts, scores, immortal.

Every former name keeps working for one release with a DeprecationWarning naming the new one,
and gives the result of the new name. Where a rename changes the meaning of a number (``alpha``
was 1 - level), the new argument is checked against an outside reference: the normal quantile
of the confidence level (closed form), statsmodels' power for ``sig_level``.
"""

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from spinemets import cohorts, discrimination, immortal, matching, power, repeated, scores
from spinemets import survival as sv

T = np.array([5.0, 8, 3, 10, 12, 2, 7, 9, 4, 11, 6, 1])
E = np.array([1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1])
CODES = np.array([1, 2, 1, 0, 2, 1, 0, 1, 2, 0, 1, 1])
G = np.array(["a", "b"] * 6)
DATA = pd.DataFrame({"t": T, "e": E, "x": np.r_[0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1.0], "g": G})


def _same(old, new):
    """Equal results: frames, Series, result objects or scalars."""
    if isinstance(new, (pd.DataFrame, pd.Series)):
        pd.testing.assert_frame_equal(pd.DataFrame(old), pd.DataFrame(new))
    elif hasattr(new, "to_dict"):
        for k, v in new.to_dict().items():
            o = getattr(old, k)
            if isinstance(v, (pd.DataFrame, pd.Series)):
                _same(o, v)
            elif isinstance(v, float):
                assert o == pytest.approx(v, rel=1e-12, nan_ok=True), k
            else:
                assert o == v, k
    else:
        assert old == pytest.approx(new, rel=1e-12)


CASES = [
    # (old call, new call, former name, new name)
    (
        lambda: sv.km_table(T, E, alpha=0.1, conf_type="plain"),
        lambda: sv.km_table(T, E, level=0.9, ci="plain"),
        "alpha",
        "level",
    ),
    (
        lambda: sv.survival_at(T, E, [6], conf_type="log-log"),
        lambda: sv.survival_at(T, E, [6], ci="log-log"),
        "conf_type",
        "ci",
    ),
    (
        lambda: sv.median_survival(T, E, alpha=0.1),
        lambda: sv.median_survival(T, E, level=0.9),
        "alpha",
        "level",
    ),
    (
        lambda: sv.median_followup(T, E, alpha=0.1),
        lambda: sv.median_followup(T, E, level=0.9),
        "alpha",
        "level",
    ),
    (
        lambda: sv.cox(DATA, "t", "e", ["x"], alpha=0.1),
        lambda: sv.cox(DATA, "t", "e", ["x"], level=0.9),
        "alpha",
        "level",
    ),
    (
        lambda: sv.cumulative_incidence(T, event_codes=CODES, cause=2),
        lambda: sv.cumulative_incidence(T, events=CODES, event_of_interest=2),
        "event_codes",
        "events",
    ),
    (
        lambda: sv.gray_k_sample(T, CODES, G, cause=1),
        lambda: sv.gray_k_sample(T, CODES, G, event_of_interest=1),
        "cause",
        "event_of_interest",
    ),
    (
        lambda: sv.univariate_table(DATA, "t", "e", factors=["g"], ci="log"),
        lambda: sv.univariate_table(DATA, "t", "e", covariates=["g"], ci="log"),
        "factors",
        "covariates",
    ),
    (
        lambda: power.logrank_events(0.6, alpha=0.01),
        lambda: power.logrank_events(0.6, sig_level=0.01),
        "alpha",
        "sig_level",
    ),
    (
        lambda: discrimination.concordance(T, E, -T, higher="risk", alpha=0.1),
        lambda: discrimination.concordance(T, E, -T, higher="risk", level=0.9),
        "alpha",
        "level",
    ),
    (
        lambda: discrimination.concordance(
            T, E, T % 5, higher="risk", ci="bootstrap", n_boot=20, seed=3
        ),
        lambda: discrimination.concordance(
            T, E, T % 5, higher="risk", method="bootstrap", n_resamples=20, seed=3
        ),
        "n_boot",
        "n_resamples",
    ),
    (
        lambda: immortal.landmark(DATA, "t", "e", time=4.0),
        lambda: immortal.landmark(DATA, "t", "e", landmark_time=4.0),
        "time",
        "landmark_time",
    ),
    (
        lambda: matching.balance_table(DATA, treat=DATA.g == "a", covariates=["x"]),
        lambda: matching.balance_table(DATA, groups=DATA.g == "a", covariates=["x"]),
        "treat",
        "groups",
    ),
    (
        lambda: cohorts.km(time=T, event=E),
        lambda: cohorts.km(durations=T, events=E),
        "time",
        "durations",
    ),
    (
        lambda: scores.tomita_from_frame(
            df=pd.DataFrame(
                {"primary": ["slow"], "visceral_mets": ["none"], "bone_mets": ["solitary"]}
            )
        ),
        lambda: scores.tomita_from_frame(
            data=pd.DataFrame(
                {"primary": ["slow"], "visceral_mets": ["none"], "bone_mets": ["solitary"]}
            )
        ),
        "df",
        "data",
    ),
]


@pytest.mark.parametrize("call_old, call_new, old, new", CASES)
def test_former_names_warn_and_give_the_new_result(call_old, call_new, old, new):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got_old = call_old()
    said = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
    assert any(re.search(f"'{old}' is deprecated.*use '{new}'", m) for m in said), said
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        got_new = call_new()
    _same(got_old, got_new)


def test_loglog_spelling_warns_and_means_log_log():
    with pytest.warns(DeprecationWarning, match="ci='loglog' is deprecated.*ci='log-log'"):
        old = sv.median_survival(T, E, ci="loglog")
    new = sv.median_survival(T, E, ci="log-log")
    assert (old.median, old.lower, old.upper, old.ci) == (
        new.median,
        new.lower,
        new.upper,
        "log-log",
    )


def test_gray_test_is_a_deprecated_alias():
    with pytest.warns(DeprecationWarning, match="gray_test is deprecated.*use gray_k_sample"):
        old = sv.gray_test(T, CODES, G)
    new = sv.gray_k_sample(T, CODES, G)
    assert (old.statistic, old.p_value) == (new.statistic, new.p_value)
    assert new.event_of_interest == 1 and new.cause == 1  # former field name, one release


def test_level_is_the_normal_quantile_of_the_interval():
    # closed form: R's conf.type="log" band is S exp(+-z se_H) with z = Phi^-1((1 + level) / 2)
    tab = sv.km_table(T, E, level=0.8)
    z = stats.norm.ppf(0.9)
    ok = (tab.survival > 0) & (tab.std_err > 0)
    np.testing.assert_allclose(
        tab.lower[ok], tab.survival[ok] * np.exp(-z * tab.std_err[ok]), rtol=1e-12
    )


def test_sig_level_is_the_type_one_error_of_statsmodels():
    from statsmodels.stats.power import NormalIndPower

    p1, p2, n1, n2 = 0.5, 0.3, 80, 80
    h = 2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p2))
    ref = NormalIndPower().power(effect_size=h, nobs1=n1, alpha=0.01, ratio=n2 / n1)
    assert power.proportions_power(p1, p2, n1, n2, sig_level=0.01) == pytest.approx(ref, rel=1e-9)
    d = power.logrank_detectable_hr(100, sig_level=0.01)
    assert d.sig_level == 0.01 and d.alpha == 0.01  # former field name, one release


def test_old_and_new_name_together_are_refused():
    with pytest.raises(ValueError, match="pass level only"):
        sv.cox(DATA, "t", "e", ["x"], alpha=0.1, level=0.9)


def test_seed_takes_an_integer_or_the_build_generator():
    kw = dict(vmin=1.0, vmax=9.0, median=4.0, cuts=[], decimals=0)
    a = cohorts.pinned_sample(5, 11, **kw)
    b = cohorts.pinned_sample(np.random.default_rng(5), 11, **kw)
    np.testing.assert_array_equal(a, b)
    with pytest.warns(DeprecationWarning, match="'rng' is deprecated.*use 'seed'"):
        c = cohorts.pinned_sample(rng=np.random.default_rng(5), n=11, **kw)
    np.testing.assert_array_equal(a, c)
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        cohorts.pinned_sample(-1, 11, **kw)


def test_repeated_and_matching_renames():
    d = pd.DataFrame(
        {
            "b": [1.0, 2, 3, 4, 5, 6, 2, 3],
            "f": [1.5, 2.1, 3.9, 4.2, 6.1, 6.0, 2.2, 2.8],
            "g": list("AABBAABB"),
        }
    )
    with pytest.warns(DeprecationWarning, match="'alpha' is deprecated"):
        old = repeated.ancova(d, "f", "b", "g", alpha=0.1)
    new = repeated.ancova(d, "f", "b", "g", level=0.9)
    assert (old.lower, old.upper) == (new.lower, new.upper)
    assert (new.ci_low, new.ci_high) == (new.lower, new.upper)  # former field names
    m = pd.DataFrame({"t": [1, 1, 0, 0, 0], "age": [50, 70, 52, 69, 90]})
    with pytest.warns(DeprecationWarning, match="'treatment' is deprecated.*use 'group'"):
        old = matching.match_pairs(m, treatment="t", covariates=["age"], distance="euclidean")
    new = matching.match_pairs(m, group="t", covariates=["age"], distance="euclidean")
    pd.testing.assert_frame_equal(old.pairs, new.pairs)


def test_contingency_test_is_a_deprecated_alias_of_independence():
    from scipy import stats

    from spinemets import compare

    table = [[12, 5], [7, 14]]
    with pytest.warns(DeprecationWarning, match="contingency_test is deprecated.*use independence"):
        old = compare.contingency_test(table)
    new = compare.independence(table)
    assert (old.statistic, old.p_value) == (new.statistic, new.p_value)
    # outside reference: scipy's Pearson chi-square without Yates' correction
    chi2, p, _, _ = stats.chi2_contingency(table, correction=False)
    assert new.statistic == pytest.approx(chi2) and new.p_value == pytest.approx(p)
