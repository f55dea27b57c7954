"""The shared validators added for issue 22 (items 11-12): one rule, one message, everywhere.

These replace the private validators of radiobiology and simulate; the messages name the
argument and the allowed range (the library's input contract, spinemets._validation).
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from spinemets import _validation as v


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), True, "3", None])
def test_check_positive_refuses(value):
    with pytest.raises(ValueError, match=r"dose must be a positive number"):
        v.check_positive(value, "dose")


def test_check_positive_accepts_numpy_numbers():
    assert v.check_positive(np.float32(2.5), "dose") == 2.5
    assert v.check_positive(np.int64(3), "dose") == 3.0


def test_check_positive_values():
    v.check_positive_values(np.array([1.0, 2.0]), "total_dose")
    with pytest.raises(ValueError, match=r"total_dose must be > 0; found 1 value\(s\) <= 0"):
        v.check_positive_values(np.array([1.0, 0.0]), "total_dose")
    with pytest.raises(ValueError, match=r"total_dose contains 1 missing value"):
        v.check_positive_values(np.array([1.0, np.nan]), "total_dose")
    with pytest.raises(ValueError, match=r"fractions must be a positive integer.*2.5"):
        v.check_positive_values(np.array([1.0, 2.5]), "fractions", integer=True)


@pytest.mark.parametrize("value", [1, 28.0, True, "30", np.float64(3.0)])
def test_check_integer_refuses_non_integers_and_small_values(value):
    with pytest.raises(ValueError, match=r"n_pairs must be an integer >= 2"):
        v.check_integer(value, "n_pairs", low=2)


def test_check_integer_accepts_numpy_integers():
    assert v.check_integer(np.int32(5), "n", low=2) == 5
    assert v.check_integer(-3, "offset") == -3


@pytest.mark.parametrize(
    "value",
    [(5, 5), (10, 5), (-1, 3), (0, np.inf), "ab", (1,), (1, 2, 3), (True, 3), None, ("1", 2)],
)
def test_check_range_pair_refuses(value):
    with pytest.raises(ValueError, match=r"censor must be a pair \(low, high\) with 0 <= low"):
        v.check_range_pair(value, "censor")


def test_check_range_pair_strict_low():
    assert v.check_range_pair((2, 15), "alpha_beta_range", low=0, low_inclusive=False) == (2, 15)
    with pytest.raises(ValueError, match=r"0 < low < high"):
        v.check_range_pair((0, 15), "alpha_beta_range", low=0, low_inclusive=False)


@pytest.mark.parametrize("seed", [None, -1, 1.5, True, "7"])
def test_check_seed_refuses(seed):
    with pytest.raises(ValueError, match=r"seed must be a non-negative integer"):
        v.check_seed(seed)


def test_renamed_arguments_passes_the_value_on_and_warns():
    @v.renamed_arguments(alpha=("level", v.level_from_alpha), groupby="group")
    def f(x, level=0.95, group=None):
        """doc"""
        return x, level, group

    assert f.__doc__ == "doc" and f.__name__ == "f"
    with pytest.warns(DeprecationWarning, match=r"f: the argument 'alpha' is deprecated.*'level'"):
        assert f(1, alpha=0.1) == (1, 0.9, None)
    with pytest.warns(DeprecationWarning, match=r"'groupby'.*'group'"):
        assert f(1, groupby="g") == (1, 0.95, "g")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert f(1, level=0.9, group="g") == (1, 0.9, "g")
    with pytest.raises(ValueError, match="pass group only"):
        f(1, groupby="g", group="h")
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match="alpha must be in"):
        f(1, alpha=2)
    assert f.__renamed_arguments__ == {"alpha": "level", "groupby": "group"}


def test_check_on_grid_names_the_argument_and_the_grid():
    v.check_on_grid(np.array([0.0, 50.0, 100.0]), "kps", range(0, 101, 10), "KPS steps of 10")
    with pytest.raises(ValueError, match=r"kps must be one of 0, 10, 20, \.\.\., 100 .*got 55"):
        v.check_on_grid(np.array([50.0, 55.0]), "kps", range(0, 101, 10), "KPS steps of 10")


def test_check_columns_names_the_argument_and_refuses_missing_or_infinite_values():
    d = pd.DataFrame({"a": [1.0, 2.0], "b": [1.0, np.nan], "c": [1.0, np.inf], "s": ["x", None]})
    assert v.check_columns(d, ["a"], argument="covariates", complete=True) is d
    with pytest.raises(ValueError, match=r"covariates names unknown column\(s\) \['z'\]"):
        v.check_columns(d, ["a", "z"], argument="covariates")
    with pytest.raises(ValueError, match="covariates: column 'b' has 1 missing value"):
        v.check_columns(d, ["a", "b"], argument="covariates", complete=True)
    with pytest.raises(ValueError, match="exact: column 's' has 1 missing value"):
        v.check_columns(d, ["s"], argument="exact", complete=True)
    with pytest.raises(ValueError, match="column 'c' has 1 infinite value"):
        v.check_columns(d, ["c"], argument="caliper", complete=True)
    v.check_columns(d, ["b"])  # without complete= only presence is checked


def test_as_generator_takes_a_seed_or_passes_a_generator_on():
    g = np.random.default_rng(3)
    assert v.as_generator(g) is g
    assert v.as_generator(3).integers(1000) == np.random.default_rng(3).integers(1000)
    for bad in (None, -1, 1.5, True, "3"):
        with pytest.raises(ValueError, match="seed must be a non-negative integer"):
            v.as_generator(bad)


def test_check_ci_reads_the_former_spelling_with_a_warning():
    assert v.check_ci("log-log", ("log", "log-log")) == "log-log"
    with pytest.warns(DeprecationWarning, match="ci='loglog' is deprecated"):
        assert v.check_ci("loglog", ("log", "log-log")) == "log-log"
    with pytest.raises(ValueError, match="ci must be one of 'log', 'log-log'; got 'plain'"):
        v.check_ci("plain", ("log", "log-log"))


def test_renamed_function_warns_and_calls_the_new_one():
    def new(x):
        return x + 1

    old = v.renamed_function(new, "old")
    with pytest.warns(DeprecationWarning, match="old is deprecated.*use new"):
        assert old(1) == 2
    assert old.__name__ == "old" and old.__deprecated_alias_of__ == "new"
