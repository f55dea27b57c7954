"""Regression tests for issue 11 in the modules this branch owns: radiobiology, response and the
shared validators (each test names the defect it pins down)."""

import numpy as np
import pandas as pd
import pytest

from spinemets import radiobiology as rb
from spinemets import response as r
from spinemets._validation import align_series, as_float_array, broadcast_arrays

RB_FUNCS = {
    "bed": (rb.bed, ("total_dose", "fractions", "alpha_beta"), (30.0, 10, 10.0)),
    "eqd2": (rb.eqd2, ("total_dose", "fractions", "alpha_beta"), (30.0, 10, 10.0)),
    "bed_to_eqd2": (rb.bed_to_eqd2, ("bed", "alpha_beta"), (39.0, 10.0)),
    "eqd2_to_bed": (rb.eqd2_to_bed, ("eqd2", "alpha_beta"), (32.5, 10.0)),
    "isoeffective_dose_per_fraction": (
        rb.isoeffective_dose_per_fraction,
        ("bed", "fractions", "alpha_beta"),
        (39.0, 10, 10.0),
    ),
    "total_dose_for": (rb.total_dose_for, ("bed", "fractions", "alpha_beta"), (39.0, 10, 10.0)),
    "mean_eqd2_lower_bound": (
        rb.mean_eqd2_lower_bound,
        ("mean_total_dose", "mean_fractions", "alpha_beta"),
        (31.5, 10.2, 10.0),
    ),
}


# --------------------------------------------------------------------------- radiobiology


@pytest.mark.parametrize("key", RB_FUNCS)
def test_radiobiology_series_paired_by_label_and_index_kept(key):
    func, names, good = RB_FUNCS[key]
    idx = ["p1", "p2", "p3"]
    scale = np.array([1.0, 1.5, 2.0])
    first = pd.Series(good[0] * scale, index=idx)
    second = pd.Series(np.full(3, good[1]) + np.array([0, 1, 2]), index=idx)
    expected = func(first.to_numpy(), second.to_numpy(), *good[2:])
    out = func(first, second.iloc[::-1], *good[2:])  # same labels, reversed order
    assert isinstance(out, pd.Series) and list(out.index) == idx
    np.testing.assert_allclose(out.to_numpy(), expected)
    with pytest.raises(ValueError, match="different index labels"):
        func(first, second.set_axis(["p1", "p2", "x"]), *good[2:])


@pytest.mark.parametrize("key", RB_FUNCS)
@pytest.mark.parametrize(
    "bad",
    [True, np.True_, [10.0, True], np.array([10, True], dtype=object), pd.Series([True, False])],
    ids=repr,
)
def test_radiobiology_refuses_booleans(key, bad):
    func, names, good = RB_FUNCS[key]
    for i, name in enumerate(names):
        args = list(good)
        args[i] = bad
        with pytest.raises(ValueError, match=f"{name} must be numeric, got a boolean"):
            func(*args)


@pytest.mark.parametrize("key", RB_FUNCS)
@pytest.mark.parametrize(
    "bad, what",
    [
        ({"a": 1}, "must be a number or a sequence"),
        (complex(1, 1), "must be real"),
        ([[1.0], [1.0, 2.0]], "must be numeric"),
        (np.ones((2, 2)), "one-dimensional"),
        (None, "got None"),
    ],
)
def test_radiobiology_odd_types_name_the_argument(key, bad, what):
    func, names, good = RB_FUNCS[key]
    for i, name in enumerate(names):
        args = list(good)
        args[i] = bad
        with pytest.raises(ValueError, match=f"{name} .*{what}|{name} {what}"):
            func(*args)


def test_radiobiology_overflow_refused_not_inf():
    with pytest.raises(ValueError, match="overflow"):
        rb.bed(1e308, 1, 1e-308)
    with pytest.raises(ValueError, match="overflow"):
        rb.eqd2_to_bed(1e308, 1e-308)


def test_isoeffective_dose_for_huge_bed_is_finite_and_solves_the_lq_equation():
    d = rb.isoeffective_dose_per_fraction(1e300, 1, 10.0)
    assert np.isfinite(d)
    assert d * (1 + d / 10.0) == pytest.approx(1e300, rel=1e-12)


def test_series_with_array_of_another_length_refused():
    with pytest.raises(ValueError, match="pandas Series input pairs only"):
        rb.bed(pd.Series([30.0], index=["a"]), [1, 2, 3], 10)


def test_parse_schedule_huge_fraction_count_is_value_error():
    with pytest.raises(ValueError, match="text"):
        rb.parse_schedule("30 Gy/" + "9" * 400 + " fx")


# --------------------------------------------------------------------------- response


def test_ibmcwp_pain_and_omed_series_paired_by_label_across_the_pairs():
    bp = pd.Series([6, 4], index=["a", "b"])
    fp = pd.Series([4, 4], index=["b", "a"])
    bo = pd.Series([30, 30], index=["b", "a"])
    fo = pd.Series([30, 10], index=["a", "b"])  # b: OMED 30 -> 10 (a decrease)
    out = r.ibmcwp_response(bp, fp, bo, fo)
    assert list(out.index) == ["a", "b"]
    assert out["a"] == r.ibmcwp_response(6, 4, 30, 30) == "PR"
    assert out["b"] == r.ibmcwp_response(4, 4, 30, 10) == "PR"
    with pytest.raises(ValueError, match="different index labels"):
        r.ibmcwp_response(bp, [0, 0], pd.Series([30, 30], index=["x", "y"]), 30)


def test_vas_relief_medication_series_paired_by_label():
    b = pd.Series([5, 5], index=["a", "b"])
    f = pd.Series([2, 5], index=["b", "a"])
    med = pd.Series(["none", "increased"], index=["b", "a"])
    out = r.vas_relief(b, f, med)
    assert out.to_dict() == {"a": r.vas_relief(5, 5, "increased"), "b": r.vas_relief(5, 2, "none")}


def test_vas_relief_scalar_vas_with_medication_series_keeps_index():
    out = r.vas_relief(5, 2, pd.Series(["none", "increased"], index=["x", "y"]))
    assert out.to_dict() == {"x": "partial", "y": "progression"}


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(medication=None), "medication must be one of"),
        (dict(medication=[]), "medication must not be empty"),
        (dict(medication=[["none"]]), "medication must be a scalar or one-dimensional"),
        (dict(medication=np.array([["none"]])), "medication must be a scalar or one-dimensional"),
        (dict(medication={"none": 1}), "medication must be one of"),
        (dict(medication=[True]), "medication must be one of"),
        (dict(baseline_vas=None), "baseline_vas must be numeric"),
        (dict(baseline_vas=True), "baseline_vas must be numeric, got a boolean"),
        (dict(followup_vas=[1, 2], medication=["none"] * 3), "same length"),
        (dict(followup_vas=[]), "must not be empty"),
        (dict(exactly_two=None), "exactly_two must be one of"),
    ],
)
def test_vas_relief_bad_input_is_named_value_error(kwargs, match):
    args = dict(baseline_vas=5, followup_vas=2, medication="none") | kwargs
    with pytest.raises(ValueError, match=match):
        r.vas_relief(**args)


@pytest.mark.parametrize(
    "regimen, match",
    [
        (None, "regimen must be a mapping"),
        (5, "regimen must be a mapping"),
        ("morphine", "regimen must be a mapping"),
        ([("morphine",)], "regimen item 0"),
        ([("morphine", 10, "iv", "x")], "regimen item 0"),
        ({"morphine": "x"}, "regimen daily_dose"),
        ({"morphine": None}, "regimen daily_dose"),
        ({"morphine": True}, "regimen daily_dose"),
        ({"morphine": [1, 2]}, "regimen daily_dose"),
        ({"morphine": np.nan}, "regimen daily_dose"),
        ({"morphine": -1}, "regimen daily_dose"),
        ({5: 1}, "regimen item 0: drug"),
        ({"heroin": 1}, "regimen item 0: drug must be one of"),
        ([("morphine", 10, None)], "regimen item 0: route"),
    ],
)
def test_total_omed_bad_input_is_named_value_error(regimen, match):
    with pytest.raises(ValueError, match=match):
        r.total_omed(regimen)


def test_total_omed_values():
    assert r.total_omed({}) == 0.0  # no opioids
    assert r.total_omed([("morphine", 10, "iv"), ("oxycodone", 20)]) == 30.0 + 30.0


@pytest.mark.parametrize(
    "call",
    [
        lambda: r.ibmcwp_response(True, 0, 30, 30),
        lambda: r.ibmcwp_response(6, 0, np.True_, 30),
        lambda: r.ibmcwp_response([6, True], 0, 30, 30),
        lambda: r.analgesic_change(True, 30),
        lambda: r.omed("morphine", True),
        lambda: r.vas_relief(5, [2, False], "none"),
    ],
    ids=["bp", "bo-np", "bp-list", "change", "omed", "vas-list"],
)
def test_response_refuses_booleans(call):
    with pytest.raises(ValueError, match="got a boolean"):
        call()


def test_response_empty_input_refused():
    with pytest.raises(ValueError, match="must not be empty"):
        r.ibmcwp_response([], [], [], [])
    with pytest.raises(ValueError, match="must not be empty"):
        r.analgesic_change([], [])
    with pytest.raises(ValueError, match="daily_dose must not be empty"):
        r.omed("morphine", [])


def test_omed_route_and_version_types():
    with pytest.raises(ValueError, match="route must be one of .* got None"):
        r.omed("morphine", 10, route=None)
    assert r.ibmcwp_response(6, 0, 30, 30, version=2012) == "CR"
    with pytest.raises(ValueError, match="version must be one of .* got None"):
        r.ibmcwp_response(6, 0, 30, 30, version=None)
    with pytest.raises(ValueError, match="version must be one of"):
        r.ibmcwp_response(6, 0, 30, 30, version=True)


# --------------------------------------------------------------------------- validators


def test_as_float_array_series_with_pd_na_counts_missing():
    with pytest.raises(ValueError, match="x contains 1 missing"):
        as_float_array(pd.Series([1, None], dtype="Int64"), "x")
    np.testing.assert_array_equal(as_float_array(pd.Series([1, 2], dtype="Int64"), "x"), [1.0, 2.0])


def test_broadcast_arrays_names_the_argument():
    with pytest.raises(ValueError, match="b must be numeric"):
        broadcast_arrays(["a", "b"], [1.0, "x"])
    with pytest.raises(ValueError, match="b contains 1 missing"):
        broadcast_arrays(["a", "b"], [1.0, np.nan], allow_nan=False)


def test_align_series_reorders_to_the_first_index():
    out, index = align_series(
        {"a": pd.Series([1, 2], index=["x", "y"]), "b": pd.Series([20, 10], index=["y", "x"])}
    )
    assert list(index) == ["x", "y"] and out["b"].tolist() == [10, 20]


def test_series_sharing_an_index_with_duplicates_pair_row_by_row():
    idx = ["a", "a", "b"]
    out = rb.bed(pd.Series([30.0, 20.0, 8.0], index=idx), pd.Series([10, 5, 1], index=idx), 10)
    assert list(out.index) == idx
    np.testing.assert_allclose(out.to_numpy(), [39.0, 28.0, 14.4])
    with pytest.raises(ValueError, match="duplicate index labels"):
        rb.bed(
            pd.Series([30.0, 20.0, 8.0], index=idx),
            pd.Series([10, 5, 1], index=["b", "a", "a"]),
            10,
        )


@pytest.mark.parametrize(
    "value, what",
    [
        (pd.Series(["30", "20"]), "got a string"),
        (["30", 20], "got a string"),
        (np.array(["30"]), "got strings"),
        (np.datetime64("2020-01-01"), "got dates or times"),
        (np.array(["2020-01-01"], dtype="M8[D]"), "got dates or times"),
        (np.timedelta64(3, "D"), "got dates or times"),
    ],
    ids=["str-series", "str-list", "str-array", "datetime", "datetime-array", "timedelta"],
)
def test_numbers_written_as_text_or_dates_are_refused(value, what):
    # numpy would silently turn "30" into 30.0 and a date into days since 1970
    with pytest.raises(ValueError, match=f"total_dose must be numeric, {what}"):
        rb.bed(value, 10, 10)
    with pytest.raises(ValueError, match=f"daily_dose must be numeric, {what}"):
        r.omed("morphine", value)


def test_masked_values_count_as_missing():
    with pytest.raises(ValueError, match="daily_dose contains 1 missing"):
        r.omed("morphine", np.ma.masked_array([30.0, 20.0], mask=[0, 1]))
