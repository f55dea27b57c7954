"""Property-based tests of the library's input contract (issue 11), over every public function.

Each property feeds a public function either valid input, whose result is checked against an
independent computation (scipy, statsmodels, lifelines, or brute force on small inputs), or bad
input (NaN, inf, negative values, empty input, mismatched lengths, Series with the same labels in
another order, strings, None, booleans, 2-D arrays, lists, degenerate data), for which the only
acceptable outcome is a ``ValueError`` whose message names the argument. Any other exception, a
silent NaN fails.

Reproducible: ``derandomize=True`` and no example database, so CI sees the same examples on every
run; ``max_examples`` is small so the whole file runs in well under a minute. No ``deadline``: a
wall-clock limit per example would fail on a loaded machine (hangs are caught by the size guards
the properties check, not by a timer).
"""

from __future__ import annotations

import itertools
import math
import warnings
from fractions import Fraction

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

import spinemets
from spinemets import compare as cmp
from spinemets import published as pub
from spinemets import radiobiology as rb
from spinemets import response as resp
from spinemets import scores as sc
from spinemets import survival as sv

# --------------------------------------------------------------------------- settings

CONTRACT = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)
FEW = settings(CONTRACT, max_examples=6)
# A property without its own @CONTRACT / @FEW runs under the suite's hypothesis profile
# "spinemets", registered and loaded in tests/conftest.py with the same values as CONTRACT.


# --------------------------------------------------------------------------- helpers


def named_error(func, names, *args, **kwargs) -> str:
    """Call ``func``; it must raise ValueError and the message must name one of ``names``."""
    names = (names,) if isinstance(names, str) else tuple(names)
    with pytest.raises(ValueError) as info:
        func(*args, **kwargs)
    msg = str(info.value)
    assert any(n in msg for n in names), f"ValueError does not name {names}: {msg!r}"
    return msg


def result_or_named_error(func, names, *args, **kwargs):
    """Either a result (returned) or a ValueError naming one of ``names`` (returns None)."""
    names = (names,) if isinstance(names, str) else tuple(names)
    try:
        return func(*args, **kwargs)
    except ValueError as e:
        assert any(n in str(e) for n in names), f"ValueError does not name {names}: {e}"
        return None


def no_nan(x) -> bool:
    return not np.isnan(np.asarray(x, dtype=float)).any()


#: Values that are never a valid clinical number (each must be refused by name).
NOT_A_NUMBER = [
    np.nan,
    np.inf,
    -np.inf,
    None,
    "30",
    "",
    True,
    False,
    np.True_,
    [],
    {},
    {"a": 1},
    complex(1, 1),
    [1.0, None],
    [1.0, "a"],
    [1.0, True],
    np.ones((2, 2)),
    [[1.0], [1.0, 2.0]],
    pd.DataFrame({"a": [1.0]}),
    pd.Series([True, False]),
]
not_a_number = st.sampled_from(NOT_A_NUMBER)

pos = st.floats(0.1, 100.0, allow_nan=False)
alpha_beta = st.floats(0.5, 20.0, allow_nan=False)
nfx = st.integers(1, 40)


def permuted_series(values, seed, prefix="id"):
    """``values`` as a Series labelled id0..idk, and the same Series in a shuffled order."""
    s = pd.Series(values, index=[f"{prefix}{i}" for i in range(len(values))])
    order = np.random.default_rng(seed).permutation(len(values))
    return s, s.iloc[order]


# =========================================================================== package root


@pytest.mark.parametrize("name", spinemets.__all__)
def test_every_name_in_all_imports(name):
    assert getattr(spinemets, name).__name__ == f"spinemets.{name}"


# =========================================================================== radiobiology

RB = {  # name: (function, argument names, a valid call, positions of whole-number arguments)
    "bed": (rb.bed, ("total_dose", "fractions", "alpha_beta"), (30.0, 10, 10.0), (1,)),
    "eqd2": (rb.eqd2, ("total_dose", "fractions", "alpha_beta"), (30.0, 10, 10.0), (1,)),
    "nbed": (rb.nbed, ("total_dose", "fractions", "alpha_beta"), (30.0, 10, 10.0), (1,)),
    "bed_to_eqd2": (rb.bed_to_eqd2, ("bed", "alpha_beta"), (39.0, 10.0), ()),
    "eqd2_to_bed": (rb.eqd2_to_bed, ("eqd2", "alpha_beta"), (32.5, 10.0), ()),
    "isoeffective_dose_per_fraction": (
        rb.isoeffective_dose_per_fraction,
        ("bed", "fractions", "alpha_beta"),
        (39.0, 10, 10.0),
        (1,),
    ),
    "total_dose_for": (
        rb.total_dose_for,
        ("bed", "fractions", "alpha_beta"),
        (39.0, 10, 10.0),
        (1,),
    ),
    "mean_eqd2_lower_bound": (
        rb.mean_eqd2_lower_bound,
        ("mean_total_dose", "mean_fractions", "alpha_beta"),
        (31.5, 10.2, 10.0),
        (),
    ),
}


@CONTRACT
@given(D=pos, n=nfx, ab=alpha_beta)
def test_rb_formulas_match_the_lq_model(D, n, ab):
    d = D / n
    bed_ref = n * d * (1 + d / ab)  # n fractions of d Gy
    eqd2_ref = bed_ref / (1 + 2 / ab)  # 2-Gy fractions with the same BED
    assert rb.bed(D, n, ab) == pytest.approx(bed_ref, rel=1e-12)
    assert rb.eqd2(D, n, ab) == pytest.approx(eqd2_ref, rel=1e-12)
    assert rb.nbed(D, n, ab) == rb.eqd2(D, n, ab)
    assert rb.bed_to_eqd2(bed_ref, ab) == pytest.approx(eqd2_ref, rel=1e-12)
    assert rb.eqd2_to_bed(eqd2_ref, ab) == pytest.approx(bed_ref, rel=1e-12)
    # the iso-effective dose per fraction solves n d (1 + d/ab) = BED (scipy root finder)
    root = optimize.brentq(lambda x: n * x * (1 + x / ab) - bed_ref, 0, bed_ref, xtol=1e-14)
    assert rb.isoeffective_dose_per_fraction(bed_ref, n, ab) == pytest.approx(root, rel=1e-9)
    assert rb.total_dose_for(bed_ref, n, ab) == pytest.approx(D, rel=1e-9)
    assert rb.mean_eqd2_lower_bound(D, n, ab) == pytest.approx(eqd2_ref, rel=1e-12)


@CONTRACT
@given(schedules=st.lists(st.tuples(pos, nfx), min_size=1, max_size=8), ab=alpha_beta)
def test_rb_mean_eqd2_never_below_the_jensen_bound(schedules, ab):
    D = np.array([s[0] for s in schedules])
    n = np.array([s[1] for s in schedules], dtype=float)
    bound = rb.mean_eqd2_lower_bound(D.mean(), n.mean(), ab)
    assert np.mean(rb.eqd2(D, n, ab)) >= bound * (1 - 1e-12)


@CONTRACT
@given(key=st.sampled_from(sorted(RB)), data=st.data())
def test_rb_bad_value_in_any_argument_is_named(key, data):
    func, names, good, integer = RB[key]
    i = data.draw(st.integers(0, len(names) - 1), label="argument")
    bad = data.draw(
        st.one_of(not_a_number, st.sampled_from([0.0, -1.0, -1e-9, -np.inf])), label="bad"
    )
    if i in integer:
        bad = data.draw(st.one_of(st.just(bad), st.sampled_from([0.5, 2.5])), label="bad fx")
    args = list(good)
    args[i] = bad
    named_error(func, names[i], *args)


@CONTRACT
@given(
    key=st.sampled_from(sorted(RB)), a=st.integers(2, 5), b=st.integers(2, 5), empty=st.booleans()
)
def test_rb_mismatched_or_empty_arrays_are_named(key, a, b, empty):
    func, names, good, _ = RB[key]
    args = list(good)
    if empty:
        args[0] = []
        named_error(func, names[0], *args)
    else:
        assume(a != b)
        args[0] = [good[0]] * a
        args[1] = [good[1]] * b
        named_error(func, (names[0], names[1]), *args)


@CONTRACT
@given(key=st.sampled_from(sorted(RB)), k=st.integers(1, 6), seed=st.integers(0, 2**16))
def test_rb_series_are_paired_by_label_and_keep_the_index(key, k, seed):
    func, names, good, integer = RB[key]
    rng = np.random.default_rng(seed)
    first = good[0] * rng.uniform(0.5, 2.0, k)
    second = good[1] + (rng.integers(0, 5, k) if 1 in integer else rng.uniform(0.0, 3.0, k))
    s1, _ = permuted_series(first, seed)
    s2, s2_shuffled = permuted_series(second, seed + 1)
    out = func(s1, s2_shuffled, *good[2:])
    assert isinstance(out, pd.Series) and out.index.equals(s1.index)
    np.testing.assert_allclose(out.to_numpy(), func(first, second, *good[2:]), rtol=1e-12)
    # and the Series mixed with a plain array pairs by position
    np.testing.assert_allclose(func(s1, second, *good[2:]).to_numpy(), out.to_numpy())


@CONTRACT
@given(D=st.floats(0.0, 1e308), n=st.floats(0.0, 1e308), ab=st.floats(0.0, 1e308))
def test_rb_extreme_magnitudes_give_a_finite_answer_or_a_named_error(D, n, ab):
    for func, names in (
        (rb.bed, ("total_dose", "fractions", "alpha_beta")),
        (rb.total_dose_for, ("bed", "fractions", "alpha_beta")),
    ):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no RuntimeWarning (overflow) either
            out = result_or_named_error(func, names, D, n, ab)
        if out is not None:
            assert math.isfinite(out) and out > 0


@CONTRACT
@given(
    D=st.integers(1, 990).map(lambda x: x / 10),
    n=nfx,
    form=st.sampled_from(
        [
            "{D} Gy/{n} fx",
            "{D}Gy/{n}fx",
            "{D} Gy in {n} fractions",
            "{D} gy / {n}",
            "{d} Gy x {n}",
            "{n} x {d} Gy",
        ]
    ),
)
def test_parse_schedule_round_trips(D, n, form):
    D = float(D)
    text = form.format(D=D, n=n, d=D)
    dose, fx = rb.parse_schedule(text)
    total = D * n if form.startswith(("{d}", "{n}")) else D
    assert fx == n and isinstance(fx, int) and dose == pytest.approx(total)


@CONTRACT
@example(text="30 Gy/" + "9" * 400 + " fx")
@example(text="9" * 400 + " Gy x 9" + "9" * 400)
@given(
    text=st.one_of(
        st.text(max_size=40),
        st.from_regex(r"\A\d{1,6}(\.\d{1,3})? ?[Gg]y ?[/x] ?\d{1,6}\Z"),
        st.sampled_from([None, 30, 30.0, True, b"30 Gy/10 fx", ["30 Gy/10 fx"]]),
    )
)
def test_parse_schedule_never_raises_anything_but_a_named_value_error(text):
    out = result_or_named_error(rb.parse_schedule, "text", text)
    if out is not None:
        dose, fx = out
        assert math.isfinite(dose) and dose > 0 and isinstance(fx, int) and fx >= 1


# =========================================================================== response


def ref_change(b, f):
    """The 25% rule (module docstring of spinemets.response), in exact rational arithmetic."""
    b, f = Fraction(b), Fraction(f)
    if b == 0:
        return "increase" if f > 0 else "stable"
    if f >= Fraction(5, 4) * b:
        return "increase"
    if f <= Fraction(3, 4) * b:
        return "decrease"
    return "stable"


def ref_ibmcwp(bp, fp, bo, fo, version="2002"):
    """IBMCWP 2002/2012 rules as Chow et al. word them (docstring of ibmcwp_response)."""
    ch, d = ref_change(bo, fo), fp - bp
    if fp == 0 and ch != "increase":
        return "CR"
    if (d <= -2 and ch != "increase") or (ch == "decrease" and d <= 0):
        return "PR"
    if (d >= 2 and ch == "stable") or (ch == "increase" and 0 <= d <= 1):
        return "PP"
    return "SP" if version == "2002" else "indeterminate"


def ref_vas(b, f, med, exactly_two):
    """Paper B's categories (Sohn et al. 2016), order complete -> progression -> partial -> stable."""
    if f == 0 and med == "none":
        return "complete"
    if f > b or med == "increased":
        return "progression"
    dec = b - f
    if dec > 2 or (dec == 2 and exactly_two == "partial"):
        return "partial"
    return "stable"


pain = st.integers(0, 10)
dose = st.one_of(st.integers(0, 400), st.sampled_from([0, 20, 25, 15, 16, 24, 40, 30, 50]))
MEDS = ("none", "decreased", "stable", "increased")


@CONTRACT
@given(
    rows=st.lists(st.tuples(pain, pain, dose, dose), min_size=1, max_size=12),
    version=st.sampled_from(["2002", "2012"]),
)
def test_ibmcwp_matches_the_consensus_wording(rows, version):
    bp, fp, bo, fo = (np.array(c) for c in zip(*rows))
    out = resp.ibmcwp_response(bp, fp, bo, fo, version=version)
    assert list(out) == [ref_ibmcwp(*r, version=version) for r in rows]
    assert resp.ibmcwp_response(*rows[0], version=version) == ref_ibmcwp(*rows[0], version=version)
    assert list(resp.analgesic_change(bo, fo)) == [ref_change(b, f) for b, f in zip(bo, fo)]


@CONTRACT
@given(
    rows=st.lists(st.tuples(pain, pain, dose, dose), min_size=1, max_size=8),
    seed=st.integers(0, 2**16),
)
def test_ibmcwp_series_paired_by_label_across_all_four_arguments(rows, seed):
    cols = [np.array(c) for c in zip(*rows)]
    series = [permuted_series(c, seed + j)[j % 2] for j, c in enumerate(cols)]
    out = resp.ibmcwp_response(*series)
    labels = series[0].index
    assert out.index.equals(labels)
    expected = {f"id{i}": ref_ibmcwp(*r) for i, r in enumerate(rows)}
    assert out.to_dict() == {k: expected[k] for k in labels}


RESP_ARGS = ("baseline_pain", "followup_pain", "baseline_omed", "followup_omed")


@CONTRACT
@given(i=st.integers(0, 3), data=st.data())
def test_ibmcwp_bad_value_is_named(i, data):
    extra = [11, -1, 5.5, 10.5] if i < 2 else [-1, -0.01]
    bad = data.draw(st.one_of(not_a_number, st.sampled_from(extra)), label="bad")
    args = [6, 2, 30.0, 30.0]
    args[i] = bad
    named_error(resp.ibmcwp_response, RESP_ARGS[i], *args)


@CONTRACT
@given(
    a=st.integers(0, 4),
    b=st.integers(2, 4),
    version=st.sampled_from([None, 2020, "2020", True, "SP", ["2002"], 2002.0]),
)
def test_ibmcwp_lengths_and_version(a, b, version):
    assume(a != b)
    named_error(resp.ibmcwp_response, ("empty", *RESP_ARGS), [6] * a, 2, [30.0] * b, 30.0)
    named_error(resp.ibmcwp_response, "version", 6, 2, 30, 30, version=version)


@CONTRACT
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 100).map(lambda x: x / 10),
            st.integers(0, 100).map(lambda x: x / 10),
            st.sampled_from(MEDS),
        ),
        min_size=1,
        max_size=10,
    ),
    exactly_two=st.sampled_from(["stable", "partial"]),
    seed=st.integers(0, 2**16),
)
def test_vas_relief_matches_paper_b_and_pairs_series_by_label(rows, exactly_two, seed):
    b, f, m = (list(c) for c in zip(*rows))
    out = resp.vas_relief(np.array(b), np.array(f), m, exactly_two=exactly_two)
    assert list(out) == [ref_vas(*r, exactly_two) for r in rows]
    sb, _ = permuted_series(b, seed)
    _, sf = permuted_series(f, seed + 1)
    _, sm = permuted_series(m, seed + 2)
    out = resp.vas_relief(sb, sf, sm, exactly_two=exactly_two)
    assert out.to_dict() == {f"id{i}": ref_vas(*r, exactly_two) for i, r in enumerate(rows)}


@CONTRACT
@given(i=st.integers(0, 2), data=st.data())
def test_vas_relief_bad_value_is_named(i, data):
    names = ("baseline_vas", "followup_vas", "medication")
    if i < 2:
        bad = data.draw(st.one_of(not_a_number, st.sampled_from([10.5, -0.1, 11])), label="bad")
    else:
        bad = data.draw(
            st.sampled_from(
                [
                    None,
                    "less",
                    "",
                    "None",
                    1,
                    True,
                    np.nan,
                    [],
                    {},
                    [["none"]],
                    np.array([["none"]]),
                    ["none", 3],
                    ["none", None],
                    {"none"},
                ]
            ),
            label="bad",
        )
    args = [6.0, 2.0, "stable"]
    args[i] = bad
    named_error(resp.vas_relief, names[i], *args)


@CONTRACT
@given(
    drug=st.sampled_from(
        [
            "morphine",
            "oxycodone",
            "hydromorphone",
            "codeine",
            "tramadol",
            "tapentadol",
            "oxymorphone",
            "hydrocodone",
        ]
    ),
    doses=st.lists(st.floats(0, 1000), min_size=1, max_size=6),
    k=st.floats(0, 10),
    seed=st.integers(0, 2**16),
)
def test_omed_is_linear_keeps_the_index_and_total_omed_sums(drug, doses, k, seed):
    doses = np.array(doses)
    base = resp.omed(drug, doses)
    np.testing.assert_allclose(resp.omed(drug, k * doses), k * base, rtol=1e-12, atol=1e-12)
    s, shuffled = permuted_series(doses, seed)
    out = resp.omed(drug, shuffled)
    assert out.index.equals(shuffled.index)
    np.testing.assert_allclose(out.to_numpy(), base[[int(i[2:]) for i in shuffled.index]])
    regimen = [(drug, float(x)) for x in doses]
    assert resp.total_omed(regimen) == pytest.approx(float(base.sum()), rel=1e-12, abs=1e-12)


@CONTRACT
@given(
    regimen=st.one_of(
        st.sampled_from(NOT_A_NUMBER + ["morphine", b"x", 5, 1.5]),
        st.dictionaries(
            st.one_of(
                st.text(max_size=8), st.sampled_from(["morphine", "fentanyl"]), st.integers()
            ),
            st.one_of(not_a_number, st.floats(-10, 100)),
            max_size=3,
        ),
        st.lists(
            st.tuples(
                st.sampled_from(["morphine", "oxycodone", "x", None]),
                st.one_of(not_a_number, st.floats(-10, 100)),
                st.sampled_from(["oral", "iv", "rectal", None, 1]),
            ),
            max_size=3,
        ),
        st.lists(
            st.one_of(
                st.tuples(), st.tuples(st.just("morphine")), st.just("morphine"), st.just(None)
            ),
            min_size=1,
            max_size=2,
        ),
    ),
    table=st.sampled_from(["cdc2022", "cdc2016", "who", None]),
)
def test_total_omed_never_raises_anything_but_a_named_value_error(regimen, table):
    out = result_or_named_error(resp.total_omed, ("regimen", "table"), regimen, table=table)
    if out is not None:
        assert isinstance(out, float) and math.isfinite(out) and out >= 0


@CONTRACT
@given(
    drug=st.one_of(st.text(max_size=6), st.sampled_from([None, 1, True, ["morphine"]])),
    dose_=st.one_of(not_a_number, st.floats(-1, 100)),
    route=st.sampled_from(["oral", "iv", "sc", "transdermal", "IV", None, 1, "rectal"]),
    table=st.sampled_from(list(resp.OMED_TABLES) + [None, "who"]),
)
def test_omed_never_raises_anything_but_a_named_value_error(drug, dose_, route, table):
    out = result_or_named_error(
        resp.omed, ("drug", "daily_dose", "route", "table"), drug, dose_, route=route, table=table
    )
    if out is not None:
        assert no_nan(out)


# =========================================================================== scores
# Points transcribed from the scores' docstring tables (Fisher 2010, Tomita 2001, Tokuhashi 2005,
# Pugh 1973), not read from the module's own dictionaries.

SINS_POINTS = {
    "location": {"junctional": 3, "mobile": 2, "semi-rigid": 1, "rigid": 0},
    "pain": {"mechanical": 3, "occasional": 1, "none": 0},
    "lesion": {"lytic": 2, "mixed": 1, "blastic": 0},
    "alignment": {"subluxation": 4, "translation": 4, "de novo deformity": 2, "normal": 0},
    "collapse": {">50%": 3, "<50%": 2, "none, >50% involved": 1, "none": 0},
    "posterolateral": {"bilateral": 3, "unilateral": 1, "none": 0},
}
TOMITA_POINTS = {
    "primary": {"slow": 1, "moderate": 2, "rapid": 4, "breast": 1, "kidney": 2, "liver": 4},
    "visceral_mets": {"none": 0, "treatable": 2, "untreatable": 4},
    "bone_mets": {"solitary": 1, "isolated": 1, "multiple": 2},
}
TOKUHASHI_PRIMARY = {"lung": 0, "liver": 1, "other": 2, "kidney": 3, "rectum": 4, "breast": 5}


def band(total, bands):
    return next(g for lo, hi, g in bands if lo <= total <= hi)


def items(table):
    return st.fixed_dictionaries({k: st.sampled_from(sorted(v)) for k, v in table.items()})


@CONTRACT
@given(sins_items=items(SINS_POINTS), tomita_items=items(TOMITA_POINTS))
def test_sins_and_tomita_totals_and_groups(sins_items, tomita_items):
    s = sc.sins(**sins_items)
    expected = sum(SINS_POINTS[k][v] for k, v in sins_items.items())
    assert s.total == expected == sum(s.points.values())
    assert s.group == band(
        expected, [(0, 6, "stable"), (7, 12, "indeterminate"), (13, 18, "unstable")]
    )
    t = sc.tomita(**tomita_items)
    expected = sum(TOMITA_POINTS[k][v] for k, v in tomita_items.items())
    assert t.total == expected
    assert t.group == band(expected, [(2, 3, "2-3"), (4, 5, "4-5"), (6, 7, "6-7"), (8, 10, "8-10")])


@CONTRACT
@given(
    kps=st.sampled_from(range(10, 101, 10)),
    foci=st.integers(0, 6),
    vb=st.integers(1, 6),
    organ=st.sampled_from(["none", "removable", "unremovable"]),
    primary=st.sampled_from(sorted(TOKUHASHI_PRIMARY)),
    frankel=st.sampled_from("ABCDE"),
)
def test_tokuhashi_revised_total_and_group(kps, foci, vb, organ, primary, frankel):
    s = sc.tokuhashi_revised(kps, foci, vb, organ, primary, frankel)
    expected = (
        (0 if kps <= 40 else 1 if kps <= 70 else 2)
        + (0 if foci >= 3 else 1 if foci else 2)
        + (0 if vb >= 3 else 1 if vb == 2 else 2)
        + {"none": 2, "removable": 1, "unremovable": 0}[organ]
        + TOKUHASHI_PRIMARY[primary]
        + {"A": 0, "B": 0, "C": 1, "D": 1, "E": 2}[frankel]
    )
    assert s.total == expected
    assert s.group == band(expected, [(0, 8, "0-8"), (9, 11, "9-11"), (12, 15, "12-15")])
    o = sc.tokuhashi_original(kps, foci, vb, organ, primary, frankel)
    assert 0 <= o.total <= 12 and o.total == sum(o.points.values())


@CONTRACT
@given(
    bili=st.floats(0.1, 20),
    alb=st.floats(1.0, 6.0),
    inr=st.floats(0.5, 5.0),
    ascites=st.sampled_from(["none", "slight", "moderate"]),
    enc=st.sampled_from(["none", "grade 1-2", "grade 3-4"]),
)
def test_child_pugh_total_and_class(bili, alb, inr, ascites, enc):
    s = sc.child_pugh(bili, alb, ascites, enc, inr=inr)
    expected = (
        (1 if bili < 2 else 2 if bili <= 3 else 3)
        + (1 if alb > 3.5 else 2 if alb >= 2.8 else 3)
        + (1 if inr < 1.7 else 2 if inr <= 2.3 else 3)
        + {"none": 1, "slight": 2, "moderate": 3}[ascites]
        + {"none": 1, "grade 1-2": 2, "grade 3-4": 3}[enc]
    )
    assert s.total == expected
    assert s.group == band(expected, [(5, 6, "A"), (7, 9, "B"), (10, 15, "C")])


@CONTRACT
@given(
    ecog=st.integers(0, 4),
    controlled=st.sampled_from(["yes", "no", True, False]),
    extra=st.sampled_from(["yes", "no", True, False]),
)
def test_choi_and_hcc_sm_gpa_points(ecog, controlled, extra):
    as_bool = {"yes": True, "no": False, True: True, False: False}
    c = sc.choi_risk_group(ecog, controlled, extra)
    n = int(ecog >= 3) + int(not as_bool[controlled]) + int(as_bool[extra])
    assert c.total == n and c.group == "ABCD"[n]
    g = sc.hcc_sm_gpa(ecog, controlled, extra)
    m = int(ecog >= 3) + 2 * int(not as_bool[controlled]) + int(as_bool[extra])
    assert g.total == m and g.group == band(
        m, [(0, 0, "low"), (1, 2, "intermediate"), (3, 4, "high")]
    )


@CONTRACT
@given(region=st.sampled_from("CTLS"), n=st.integers(-2, 14))
def test_spine_level_region_matches_the_sins_definition(region, n):
    top = {"C": 7, "T": 12, "L": 5, "S": 5}[region]
    if not 1 <= n <= top:
        named_error(sc.spine_level_region, "level", f"{region}{n}")
        return
    junctional = {"C": (1, 2, 7), "T": (1, 2, 11, 12), "L": (1, 5), "S": (1,)}[region]
    expected = (
        "junctional"
        if n in junctional
        else "mobile"
        if region in "CL"
        else "semi-rigid"
        if region == "T"
        else "rigid"
    )
    assert sc.spine_level_region(f"{region}{n}") == expected


#: Hashable wrong values for a categorical item: each must be refused by name today.
WRONG_HASHABLE = [None, "bogus", "", np.nan, 1.5, -1, b"none", 10**6, True]

SCORE_CALLS = {  # function: (item names, a valid call as keyword arguments)
    "sins": (
        sc.sins,
        dict(
            location="mobile",
            pain="none",
            lesion="lytic",
            alignment="normal",
            collapse="none",
            posterolateral="none",
        ),
    ),
    "tomita": (sc.tomita, dict(primary="breast", visceral_mets="none", bone_mets="solitary")),
    "tokuhashi_revised": (
        sc.tokuhashi_revised,
        dict(
            kps=80,
            extraspinal_bone_foci=1,
            vertebral_body_mets=1,
            organ_mets="none",
            primary="lung",
            frankel="E",
        ),
    ),
    "tokuhashi_original": (
        sc.tokuhashi_original,
        dict(
            kps=80,
            extraspinal_bone_foci=1,
            vertebral_body_mets=1,
            organ_mets="none",
            primary="lung",
            frankel="E",
        ),
    ),
    "child_pugh": (
        sc.child_pugh,
        dict(bilirubin=1.0, albumin=4.0, ascites="none", encephalopathy="none", inr=1.0),
    ),
    "choi_risk_group": (
        sc.choi_risk_group,
        dict(ecog=1, primary_controlled="yes", extrahepatic_mets="no"),
    ),
    "hcc_sm_gpa": (sc.hcc_sm_gpa, dict(ecog=1, primary_controlled="yes", extrahepatic_mets="no")),
    "ecog_to_kps": (sc.ecog_to_kps, dict(ecog=1, mapping="web")),
    "kps_to_tokuhashi_points": (sc.kps_to_tokuhashi_points, dict(kps=80)),
    "frankel_grade": (sc.frankel_grade, dict(grade="A")),
    "asia_grade": (sc.asia_grade, dict(grade="A")),
    "bilsky_grade": (sc.bilsky_grade, dict(grade="1a")),
    "spine_level_region": (sc.spine_level_region, dict(level="T12")),
}
SCORE_ITEMS = [(f, k) for f, (_, kw) in SCORE_CALLS.items() for k in kw]
ITEM_NAME = {
    "grade": ("frankel", "asia", "bilsky"),
    "extraspinal_bone_foci": ("extraspinal_bone_foci",),
}


@CONTRACT
@given(case=st.sampled_from(SCORE_ITEMS), bad=st.sampled_from(WRONG_HASHABLE))
def test_score_items_refuse_wrong_values_by_name(case, bad):
    fname, item = case
    func, kw = SCORE_CALLS[fname]
    if item == "extraspinal_bone_foci" and bad == 10**6:
        return  # a huge count is a valid (if odd) count
    if bad is True and item in ("primary_controlled", "extrahepatic_mets"):
        return  # yes/no items accept True/False
    names = ITEM_NAME.get(item, (item,))
    named_error(func, names, **(kw | {item: bad}))


@example(case=("frankel_grade", "grade"), bad=["A"])
@given(
    case=st.sampled_from(
        [
            c
            for c in SCORE_ITEMS
            if c[0] not in ("bilsky_grade", "spine_level_region", "kps_to_tokuhashi_points")
        ]
    ),
    bad=st.sampled_from([["A"], [1], {"none": 1}, ["none"]]),
)
def test_score_items_refuse_unhashable_values_by_name(case, bad):
    fname, item = case
    func, kw = SCORE_CALLS[fname]
    named_error(func, ITEM_NAME.get(item, (item,)), **(kw | {item: bad}))


@example(fname="ecog_to_kps")
@given(fname=st.sampled_from(["ecog_to_kps", "choi_risk_group", "hcc_sm_gpa"]))
def test_score_ecog_refuses_numpy_booleans(fname):
    func, kw = SCORE_CALLS[fname]
    named_error(func, "ecog", **(kw | {"ecog": np.True_}))


@example(kw={"inr": True})
@given(
    kw=st.sampled_from(
        [
            {"inr": True},
            {"inr": None, "pt_prolongation": True},
            {"cholestatic": "no"},
            {"cholestatic": 1},
        ]
    )
)
def test_child_pugh_refuses_booleans_and_non_flag_options(kw):
    args = SCORE_CALLS["child_pugh"][1] | kw
    named_error(sc.child_pugh, tuple(k for k in kw if kw[k] is not None), **args)


@example(fname="sins_from_frame", df=[1, 2], columns=None)
@given(
    fname=st.sampled_from(
        [
            "tokuhashi_revised_from_frame",
            "tomita_from_frame",
            "sins_from_frame",
            "child_pugh_from_frame",
        ]
    ),
    df=st.sampled_from([[1, 2], None, {"a": [1]}, np.ones((2, 2))]),
    columns=st.sampled_from([None, 5]),
)
def test_score_from_frame_refuses_non_frames(fname, df, columns):
    named_error(getattr(sc, fname), ("df", "data", "columns"), df, columns=columns)


@FEW
@given(rows=st.lists(items(SINS_POINTS), min_size=1, max_size=5))
def test_sins_from_frame_scores_every_row_and_keeps_the_index(rows):
    df = pd.DataFrame(rows, index=[f"p{i}" for i in range(len(rows))])
    out = sc.sins_from_frame(df)
    assert out.index.equals(df.index)
    assert out.total.tolist() == [sc.sins(**r).total for r in rows]
    bad = df.assign(pain=["bogus"] * len(df))
    named_error(sc.sins_from_frame, "pain", bad)


# =========================================================================== survival

times_ = st.integers(0, 12).map(float)
surv_rows = st.lists(
    st.tuples(times_, st.integers(0, 1), st.integers(0, 1)), min_size=2, max_size=14
)


def brute_km(t, e):
    """Product-limit estimate at each distinct time, by definition."""
    out = {}
    s = 1.0
    for u in sorted(set(t)):
        n = sum(1 for x in t if x >= u)
        d = sum(1 for x, y in zip(t, e) if x == u and y == 1)
        s *= 1 - d / n
        out[u] = s
    return out


@CONTRACT
@given(rows=surv_rows)
def test_km_table_and_median_match_the_product_limit_definition(rows):
    t, e, _ = (list(c) for c in zip(*rows))
    tab = sv.km_table(t, e)
    ref = brute_km(t, e)
    assert tab.time.tolist() == sorted(ref)
    np.testing.assert_allclose(tab.survival.to_numpy(), [ref[u] for u in sorted(ref)], atol=1e-12)
    assert tab.n_risk.tolist() == [sum(1 for x in t if x >= u) for u in sorted(ref)]
    # median: R's print.survfit rule (first time S <= 0.5; if S sits exactly at 0.5, the
    # midpoint with the curve's next drop, not the next row; no later drop: that first time)
    xs = sorted(ref)
    below = [i for i, u in enumerate(xs) if ref[u] <= 0.5 + 1e-12]
    med = sv.median_survival(t, e).median
    if not below:
        assert math.isnan(med)
    else:
        i = below[0]
        drops = [j for j in range(i + 1, len(xs)) if ref[xs[j]] < ref[xs[i]] - 1e-12]
        exact = abs(ref[xs[i]] - 0.5) < 1e-12 and drops
        assert med == pytest.approx((xs[i] + xs[drops[0]]) / 2 if exact else xs[i])
    s_at = sv.survival_at(t, e, [max(t)])
    assert s_at.survival.iloc[0] == pytest.approx(ref[max(t)])


@settings(CONTRACT, max_examples=10)
@given(rows=surv_rows)
def test_logrank_matches_lifelines(rows):
    from lifelines.statistics import logrank_test

    t, e, g = (np.array(c) for c in zip(*rows))
    assume(len(set(g)) == 2 and e.sum() > 0)
    # an informative comparison: some event time where both groups are at risk
    assume(any(((t >= u) & (g == 0)).any() and ((t >= u) & (g == 1)).any() for u in t[e == 1]))
    ours = sv.logrank(t, e, g)
    ref = logrank_test(t[g == 0], t[g == 1], e[g == 0], e[g == 1])
    assert ours.statistic == pytest.approx(ref.test_statistic, rel=1e-9, abs=1e-12)
    assert ours.p_value == pytest.approx(ref.p_value, rel=1e-9, abs=1e-12)
    pw = sv.pairwise_logrank(t, e, g)
    assert pw.p_value.iloc[0] == pytest.approx(ours.p_value, rel=1e-12)
    st_ = sv.stratified_logrank(t, e, g, np.zeros(len(t)))  # one stratum = unstratified
    assert st_.statistic == pytest.approx(ours.statistic, rel=1e-12)


@CONTRACT
@given(rows=surv_rows)
def test_cumulative_incidence_with_one_cause_is_one_minus_km(rows):
    t, e, _ = (list(c) for c in zip(*rows))
    assume(sum(e) > 0)
    cif = sv.cumulative_incidence(t, e, event_of_interest=1)
    km = sv.km_table(t, e)
    np.testing.assert_allclose(cif.cif.to_numpy(), 1 - km.survival.to_numpy(), atol=1e-12)


SURV_FUNCS = {  # name: call(durations, events) with valid other arguments
    "km_table": lambda d, e: sv.km_table(d, e),
    "survival_at": lambda d, e: sv.survival_at(d, e, [1.0]),
    "median_survival": lambda d, e: sv.median_survival(d, e),
    "logrank": lambda d, e: sv.logrank(d, e, [0, 1, 0, 1]),
    "pairwise_logrank": lambda d, e: sv.pairwise_logrank(d, e, [0, 1, 0, 1]),
    "stratified_logrank": lambda d, e: sv.stratified_logrank(d, e, [0, 1, 0, 1], [0, 0, 1, 1]),
    "km_plot": lambda d, e: _km_plot(d, e),
}


def _km_plot(d, e, **kw):
    import matplotlib.pyplot as plt

    from spinemets import plots

    try:
        return plots.km_plot(d, e, **kw)
    finally:
        plt.close("all")


GOOD_D, GOOD_E = [1.0, 2.0, 3.0, 4.0], [1, 0, 1, 1]


@CONTRACT
@given(
    fname=st.sampled_from(sorted(SURV_FUNCS)),
    which=st.sampled_from(["durations", "events"]),
    bad=st.one_of(not_a_number, st.sampled_from(["neg", "two", "short", "empty"])),
)
def test_survival_bad_durations_or_events_are_named(fname, which, bad):
    d, e = list(GOOD_D), list(GOOD_E)
    if bad == "neg":
        bad = [-1.0, 2.0, 3.0, 4.0] if which == "durations" else [-1, 0, 1, 1]
    elif bad == "two":
        bad = [1.0, 2.0, 3.0, np.nan] if which == "durations" else [2, 0, 1, 1]
    elif bad == "short":
        bad = [1.0, 2.0, 3.0]
    elif bad == "empty":
        bad = []
    if which == "events" and isinstance(bad, (bool, np.bool_)):
        bad = [bad] * 4  # booleans are valid event indicators; a scalar is not four of them
        names = ("events", "durations", "groups")
    else:
        names = (which, "durations", "groups", "strata")
    if which == "durations":
        d = bad
    else:
        e = bad
    if (
        isinstance(bad, list)
        and len(bad) == 4
        and all(isinstance(v, (bool, np.bool_)) for v in bad)
    ):
        result_or_named_error(SURV_FUNCS[fname], names, d, e)
    else:
        named_error(SURV_FUNCS[fname], names, d, e)


@CONTRACT
@given(rows=surv_rows, seed=st.integers(0, 2**16))
def test_survival_series_in_the_same_order_match_arrays(rows, seed):
    """Series in the same order as each other: same answer as plain arrays."""
    t, e, g = (np.array(c) for c in zip(*rows))
    st_, se = pd.Series(t), pd.Series(e)
    pd.testing.assert_frame_equal(sv.km_table(st_, se), sv.km_table(t, e))


@example(rows=[(5.0, 1, 0), (3.0, 0, 1), (8.0, 1, 0), (1.0, 1, 1)], seed=0)
@given(rows=surv_rows, seed=st.integers(0, 2**16))
def test_survival_series_are_paired_by_label(rows, seed):
    t, e, g = (np.array(c) for c in zip(*rows))
    assume(len(set(e)) == 2)
    sd, _ = permuted_series(t, seed)
    se = pd.Series(e, index=sd.index).iloc[::-1]  # same labels, reversed order
    got = sv.km_table(sd, se)
    pd.testing.assert_frame_equal(got, sv.km_table(t, e))


@example(n=4)
@given(n=st.integers(2, 8))
def test_logrank_without_events_refuses(n):
    named_error(
        sv.logrank, "events", list(range(1, n + 1)), [0] * n, [0, 1] * (n // 2) + [0] * (n % 2)
    )


@example(times=[])
@given(times=st.sampled_from([[], "a", True, [1.0, "a"], np.ones((2, 2)), [np.inf]]))
def test_survival_at_bad_times_are_named(times):
    # an infinite time is refused (not a silent NaN), like every other bad time
    named_error(sv.survival_at, "times", [1, 2, 3], [1, 0, 1], times)


@example(codes=None, cause=1)
@given(
    codes=st.sampled_from([None, ["a", "b"], [1, np.inf], [True, False], [1, 0]]),
    cause=st.sampled_from([1, [1], "1"]),
)
def test_cumulative_incidence_bad_codes_are_named(codes, cause):
    if codes == [1, 0] and cause == 1:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        named_error(
            sv.cumulative_incidence,
            ("events", "event_of_interest"),
            [1.0, 2.0],
            codes,
            event_of_interest=cause,
        )


COX_DF = pd.DataFrame(
    {
        "t": [1, 2, 3, 4, 5, 6, 7, 8.0],
        "e": [1, 1, 0, 1, 1, 0, 1, 1],
        "x": [0, 1, 0, 1, 1, 0, 1, 0.0],
        "g": list("abababab"),
    }
)


@FEW
@given(
    data=st.sampled_from([[1], None, COX_DF.to_numpy(), {"t": [1]}]),
    col=st.sampled_from([None, "zz", 5]),
)
def test_cox_and_univariate_table_bad_data_or_columns_are_named(data, col):
    named_error(sv.cox, "data", data, "t", "e", ["x"])
    named_error(sv.univariate_table, "data", data, "t", "e", ["g"])
    named_error(sv.cox, ("column", "duration"), COX_DF, col, "e", ["x"])
    named_error(sv.cox, ("ties",), COX_DF, "t", "e", ["x"], ties=col)


@FEW
@given(seed=st.integers(0, 2**16))
def test_cox_one_covariate_matches_statsmodels_efron(seed):
    from statsmodels.duration.hazard_regression import PHReg

    rng = np.random.default_rng(seed)
    n = 30
    x = rng.normal(size=n)
    t = np.round(rng.exponential(np.exp(-0.5 * x)) * 10) + 1  # ties on purpose
    e = (rng.uniform(size=n) < 0.8).astype(int)
    assume(e.sum() >= 3)
    df = pd.DataFrame({"t": t, "e": e, "x": x})
    ours = sv.cox(df, "t", "e", ["x"], ties="efron")
    ref = PHReg(t, x[:, None], status=e, ties="efron").fit()
    assert ours.summary.coef.iloc[0] == pytest.approx(float(ref.params[0]), rel=1e-5, abs=1e-8)
    assert ours.summary.se.iloc[0] == pytest.approx(float(ref.bse[0]), rel=1e-4)


@example(case="none")
@given(case=st.sampled_from(["none", "no events"]))
def test_cox_bad_covariates_and_no_events_are_named(case):
    if case == "none":
        named_error(sv.cox, "covariates", COX_DF, "t", "e", None)
    else:
        named_error(sv.cox, ("e", "event"), COX_DF.assign(e=0), "t", "e", ["x"])


# =========================================================================== compare


def tables(rows=(2, 3), cols=(2, 3), high=15):
    return st.tuples(st.integers(*rows), st.integers(*cols)).flatmap(
        lambda rc: st.lists(
            st.lists(st.integers(0, high), min_size=rc[1], max_size=rc[1]),
            min_size=rc[0],
            max_size=rc[0],
        )
    )


def brute_fisher(x):
    """Two-sided Freeman-Halton p by enumerating every table with the observed margins."""
    x = np.asarray(x)
    rows, cols = x.sum(axis=1), x.sum(axis=0)
    n = x.sum()

    def logp(t):
        return (
            sum(math.lgamma(r + 1) for r in rows)
            + sum(math.lgamma(c + 1) for c in cols)
            - math.lgamma(n + 1)
            - sum(math.lgamma(v + 1) for v in np.ravel(t))
        )

    R, C = x.shape
    p_obs, total = logp(x), 0.0
    ranges = [range(min(rows[i], cols[j]) + 1) for i in range(R - 1) for j in range(C - 1)]
    for cells in itertools.product(*ranges):
        t = np.zeros((R, C), dtype=int)
        t[:-1, :-1] = np.array(cells).reshape(R - 1, C - 1)
        t[:-1, -1] = rows[:-1] - t[:-1, :-1].sum(axis=1)
        t[-1, :] = cols - t[:-1, :].sum(axis=0)
        if (t < 0).any():
            continue
        lp = logp(t)
        if lp <= p_obs + math.log1p(1e-7):
            total += math.exp(lp)
    return min(1.0, total)


@CONTRACT
@given(x=tables())
def test_independences_match_scipy_and_brute_force(x):
    x = np.array(x)
    assume(x.sum() > 0)
    if (x.sum(axis=0) > 0).all() and (x.sum(axis=1) > 0).all():
        ref = stats.chi2_contingency(x, correction=False)
        r = cmp.independence(x)
        assert r.statistic == pytest.approx(ref[0], rel=1e-9, abs=1e-12) and r.df == ref[2]
        if x.shape == (2, 2):
            ref_y = stats.chi2_contingency(x, correction=True)
            assert cmp.independence(x, "yates").p_value == pytest.approx(ref_y[1], rel=1e-9)
    else:
        named_error(cmp.independence, "table", x)
    assume(np.prod([min(int(c), 15) + 1 for c in x.sum(axis=0)]) ** (x.shape[0] - 1) < 20_000)
    p = cmp.fisher_exact(x).p_value
    assert p == pytest.approx(brute_fisher(x), rel=1e-9, abs=1e-12)
    if x.shape == (2, 2):
        assert p == pytest.approx(stats.fisher_exact(x).pvalue, rel=1e-9, abs=1e-12)


@CONTRACT
@given(x=tables((2, 2), (2, 2), 30))
def test_mcnemar_matches_the_binomial_test_and_statsmodels(x):
    from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar

    x = np.array(x)
    b, c = x[0, 1], x[1, 0]
    if b + c == 0:
        named_error(cmp.mcnemar, "table", x)
        return
    assert cmp.mcnemar(x).p_value == pytest.approx(stats.binomtest(b, b + c).pvalue, rel=1e-12)
    ref = sm_mcnemar(x, exact=False, correction=True)
    r = cmp.mcnemar(x, exact=False, correction=True)
    assert r.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-12)


@CONTRACT
@given(x=tables((3, 4), (3, 4), 12).filter(lambda t: len(t) == len(t[0])))
def test_bowker_matches_statsmodels(x):
    from statsmodels.stats.contingency_tables import SquareTable

    x = np.array(x)
    k = len(x)
    off = [x[i, j] + x[j, i] for i in range(k) for j in range(i + 1, k)]
    if not any(off):
        named_error(cmp.bowker, "table", x)
        return
    assume(all(off))  # statsmodels counts every pair in the df
    ref = SquareTable(x, shift_zeros=False).symmetry()
    r = cmp.bowker(x)
    assert r.statistic == pytest.approx(ref.statistic, rel=1e-12) and r.df == ref.df


COUNT_BAD = [
    [[1, 2], [3, np.nan]],
    [[1, 2], [3, np.inf]],
    [[1, -2], [3, 4]],
    [[1, 2.5], [3, 4]],
    [[1e300, 1], [1, 1]],
    [[True, False], [False, True]],
    [1, 2, 3, 4],
    [[[1]]],
    "abc",
    None,
    [],
    [[0, 0], [0, 0]],
    [[1, 2]],
    [[1, 2], [3]],
    {"a": 1},
]


@CONTRACT
@given(
    fname=st.sampled_from(["independence", "fisher_exact", "mcnemar", "bowker"]),
    bad=st.sampled_from(COUNT_BAD),
)
def test_count_tables_refuse_bad_counts_by_name(fname, bad):
    named_error(getattr(cmp, fname), "table", bad)


def brute_signed_rank_p(d):
    """Exact two-sided p of V (sum of positive ranks) over all 2**n sign patterns (no ties)."""
    ranks = stats.rankdata(np.abs(d))
    v = ranks[d > 0].sum()
    mean = ranks.sum() / 2
    vs = [
        sum(r for r, s in zip(ranks, signs) if s)
        for signs in itertools.product((0, 1), repeat=len(d))
    ]
    return np.mean([abs(u - mean) >= abs(v - mean) - 1e-9 for u in vs])


@CONTRACT
@given(
    pairs=st.lists(st.tuples(st.integers(-50, 50), st.integers(-50, 50)), min_size=3, max_size=10)
)
def test_paired_tests_match_scipy_and_the_exact_distribution(pairs):
    x, y = (np.array(c, dtype=float) for c in zip(*pairs))
    d = x - y
    assume(np.std(d) > 0)
    r = cmp.paired_t(x, y)
    ref = stats.ttest_rel(x, y)
    assert r.statistic == pytest.approx(ref.statistic, rel=1e-9)
    assert r.estimate == pytest.approx(np.mean(d))
    nz = d[d != 0]
    if len(nz) and len(np.unique(np.abs(nz))) == len(nz):
        w = cmp.wilcoxon_signed_rank(x, y)
        assert w.p_value == pytest.approx(brute_signed_rank_p(nz), rel=1e-9)
        assert w.statistic == stats.rankdata(np.abs(nz))[nz > 0].sum()


@CONTRACT
@given(rows=st.lists(st.tuples(st.integers(0, 10), st.integers(0, 1)), min_size=4, max_size=20))
def test_auc_and_youden_match_mann_whitney_and_brute_force(rows):
    v, o = (np.array(c, dtype=float) for c in zip(*rows))
    n1, n0 = int(o.sum()), int(len(o) - o.sum())
    if n1 < 2 or n0 < 2:
        named_error(cmp.delong_auc, "outcome", v, o)
        return
    if len(np.unique(v)) < 2:
        named_error(cmp.delong_auc, "values", v, o)  # a constant marker carries no information
        named_error(cmp.youden_cutoff, "values", v, o)
        return
    auc, se, lo, hi = cmp.delong_auc(v, o)
    u = stats.mannwhitneyu(v[o == 1], v[o == 0]).statistic
    assert auc == pytest.approx(u / (n1 * n0), rel=1e-12)
    assert lo <= auc <= hi and se >= 0
    if len(np.unique(v)) < 2:
        named_error(cmp.youden_cutoff, "values", v, o)
        return
    r = cmp.youden_cutoff(v, o)
    best = max(np.mean(v[o == 1] >= c) + np.mean(v[o == 0] < c) - 1 for c in np.unique(v)[1:])
    assert r.youden_j == pytest.approx(best)


@CONTRACT
@given(
    fname=st.sampled_from(["paired_t", "wilcoxon_signed_rank", "delong_auc", "youden_cutoff"]),
    which=st.integers(0, 1),
    bad=st.one_of(not_a_number, st.sampled_from(["short"])),
)
def test_paired_and_roc_functions_name_bad_vectors(fname, which, bad):
    names = {
        "paired_t": ("x", "y"),
        "wilcoxon_signed_rank": ("x", "y"),
        "delong_auc": ("values", "outcome"),
        "youden_cutoff": ("values", "outcome"),
    }[fname]
    args = [[1.0, 2.0, 4.0, 7.0, 3.0], [0.0, 1.0, 0.0, 1.0, 1.0]]
    args[which] = [1.0, 2.0] if isinstance(bad, str) and bad == "short" else bad
    named_error(getattr(cmp, fname), names, *args)


@example(kw={"exact": "no"})
@given(kw=st.sampled_from([{"exact": "no"}, {"exact": False, "correction": "no"}, {"exact": 1}]))
def test_mcnemar_flags_refuse_non_booleans(kw):
    named_error(cmp.mcnemar, tuple(kw), [[5, 3], [10, 5]], **kw)


@example(fname="paired_t")
@given(fname=st.sampled_from(["paired_t", "wilcoxon_signed_rank"]))
def test_paired_series_are_paired_by_label(fname):
    x = pd.Series([1.0, 2, 3, 4, 5], index=list("abcde"))
    y = pd.Series([0.5, 2.5, 2, 3.5, 6], index=list("abcde"))
    func = getattr(cmp, fname)
    assert func(x, y.iloc[::-1]).p_value == pytest.approx(func(x, y).p_value)


@example(shift=1.0)
@given(shift=st.sampled_from([1.0, 0.0, -2.5]))
def test_paired_t_constant_differences_refuse(shift):
    x = np.array([1.0, 2.0, 3.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        named_error(cmp.paired_t, ("x", "y", "differences"), x, x - shift)


@given(n=st.just(10**12))
def test_fisher_exact_refuses_huge_tables_quickly(n):
    # a 2 x 2 table is now exact for any n (binary search on the hypergeometric): a valid,
    # fast answer is as good as a refusal
    p = cmp.fisher_exact([[n, 1], [1, n]]).p_value
    assert 0.0 <= p <= 1.0


@example(case="min_group=0")
@given(case=st.sampled_from(["min_group=0", "min_group='5'", "min_group=True", "no events"]))
def test_two_cutoffs_bad_arguments_are_named(case):
    v, t = np.arange(8.0), np.arange(1, 9.0)
    if case == "no events":
        named_error(cmp.two_cutoffs, "events", v, t, np.zeros(8), min_group=2)
    else:
        named_error(
            cmp.two_cutoffs, "min_group", v, t, np.ones(8), min_group=eval(case.split("=")[1])
        )


STEP_DF = pd.DataFrame(
    {"y": [0, 1] * 10, "a": np.arange(20.0) % 7, "g": list("xyz") * 6 + ["x", "y"]}
)


@example(case="data")
@given(case=st.sampled_from(["data", "constant outcome"]))
def test_stepwise_logistic_bad_input_is_named(case):
    if case == "data":
        named_error(cmp.stepwise_logistic, "data", [1], "y", ["a"])
    else:
        named_error(cmp.stepwise_logistic, ("y", "outcome"), STEP_DF.assign(y=1), "y", ["a"])


@FEW
@given(case=st.sampled_from(["data", "columns", "groupby", "tests"]))
def test_table_one_bad_input_is_named(case):
    if case == "data":
        named_error(cmp.table_one, "data", [1], ["a"])
    elif case == "columns":
        named_error(cmp.table_one, ("column", "zz"), STEP_DF, ["zz"])
    elif case == "groupby":
        named_error(cmp.table_one, ("column", "zz"), STEP_DF, ["a"], group="zz")
    else:
        named_error(cmp.table_one, "tests", STEP_DF, ["a"], tests="x")


# =========================================================================== published


@CONTRACT
@given(m=st.integers(0, 10**6), k=st.integers(0, 4), op=st.sampled_from(["", "<", ">=", "< "]))
def test_parse_printed_round_trips(m, k, op):
    text = f"{op}{m / 10**k:.{k}f}"
    value, bound, decimals = pub.parse_printed(text)
    assert value == pytest.approx(m / 10**k) and decimals == k
    assert bound == (op.strip() or None)


@CONTRACT
@given(text=st.one_of(st.text(max_size=12), st.sampled_from([None, True, np.nan, np.inf, [1], {}])))
def test_parse_printed_never_raises_anything_but_a_named_value_error(text):
    out = result_or_named_error(pub.parse_printed, "value", text)
    if out is not None:
        assert math.isfinite(out[0])


@example(text="1e999")
@given(text=st.sampled_from(["1e999", "9" * 400, "-1e400"]))
def test_parse_printed_refuses_overflow(text):
    named_error(pub.parse_printed, "value", text)


@CONTRACT
@given(lo=st.integers(5, 300), width=st.integers(5, 500))
def test_check_ratio_geometric_mean_and_implied_p(lo, width):
    lower, upper = lo / 100, (lo + width) / 100
    est = round(math.sqrt(lower * upper), 2)
    assume(est > 0 and lower < est < upper)
    r = pub.check_ratio(f"{est:.2f}", f"{lower:.2f}", f"{upper:.2f}")
    assert r.estimate_matches_limits and not r.limits_transposed
    z = stats.norm.ppf(0.975)
    se = (math.log(upper) - math.log(lower)) / (2 * z)
    assert r.implied_se == pytest.approx(se, rel=1e-12)
    assert r.implied_p == pytest.approx(2 * stats.norm.sf(abs(math.log(est) / se)), rel=1e-9)
    assert r.implied_p_range[0] <= r.implied_p <= r.implied_p_range[1]
    swapped = pub.check_ratio(f"{est:.2f}", f"{upper:.2f}", f"{lower:.2f}")
    assert swapped.limits_transposed and "reverse order" in swapped.verdict


@example(args=("1.0", "1.0", "1.0"), kw={}, name="lower")
@given(
    args=st.just(("1.5", "1.0", "2.0")),
    kw=st.sampled_from([{"coef": "1000"}, {"p": "x"}, {"coef": "x"}]),
    name=st.just("x"),
)
def test_check_ratio_degenerate_and_bad_input_are_named(args, kw, name):
    names = (name, "upper", *kw) if name != "x" else tuple(kw)
    named_error(pub.check_ratio, names, *args, **kw)


@FEW
@given(paper=st.sampled_from(["nope", None, "", 5, "CHOI2015"]))
def test_published_load_refuses_unknown_papers_by_name(paper):
    named_error(pub.load, "paper", paper)
    named_error(pub.compare, "paper", paper, {"x": 1.0}, label="recomputed")


@example(case="load list")
@given(case=st.sampled_from(["load list", "compare str", "compare list", "concat junk"]))
def test_published_odd_types_are_named(case):
    if case == "load list":
        named_error(pub.load, "paper", ["choi2015"])
    elif case == "compare str":
        named_error(
            pub.compare, "reproduced", "choi2015", {"bed10_median": "abc"}, label="recomputed"
        )
    elif case == "compare list":
        named_error(pub.compare, "reproduced", "choi2015", [1.0], label="recomputed")
    else:
        named_error(pub.concat, ("comparison", "Comparison"), 5)


@FEW
@given(value=st.floats(0, 100), label=st.sampled_from(pub.LABELS))
def test_published_compare_labels_and_verdicts(value, label):
    reg = pub.load("choi2015")
    nid = next(iter(reg))
    c = pub.compare(reg, {nid: value}, label=label)
    assert c.table.loc[nid, "label"] == label and c.table.loc[nid, "reproduced"] == value
    named_error(pub.compare, "label", reg, {nid: value}, label="guess")
    named_error(pub.compare, nid, reg, {nid: value})  # plain value without a label
    named_error(pub.concat, "compared twice", c, c)


# =========================================================================== cohorts, plots


@FEW
@given(paper=st.sampled_from(["nope", None, "", 5, ["choi2015"]]))
def test_cohorts_load_refuses_unknown_papers_by_name(paper):
    from spinemets import cohorts

    named_error(cohorts.load, "paper", paper)


def test_cohorts_load_returns_a_validated_frame():
    from spinemets import cohorts

    df = cohorts.load("choi2015")
    assert isinstance(df, pd.DataFrame) and len(df) > 0


@CONTRACT
@given(
    rows=surv_rows, at=st.lists(st.integers(0, 14).map(float), min_size=1, max_size=3, unique=True)
)
def test_cohorts_km_matches_the_product_limit_definition(rows, at):
    from spinemets import cohorts

    t, e, _ = (list(c) for c in zip(*rows))
    out = cohorts.km(t, e, at=at)
    ref = brute_km(t, e)
    xs = sorted(ref)
    below = [u for u in xs if ref[u] <= 0.5 + 1e-12]
    assert math.isnan(out["median"]) if not below else out["median"] == below[0]
    for a in at:
        prior = [u for u in xs if u <= a]
        assert out[f"s{int(a)}"] == pytest.approx(ref[prior[-1]] if prior else 1.0)


@example(case=([-1.0, 1.0], [1, 1]))
@given(
    case=st.sampled_from(
        [
            ([np.nan, 1.0], [1, 1]),
            ([1.0, 2.0], [2, 1]),
            ([1.0, 2.0, 3.0], [1, 1]),
            ([], []),
            (["a"], [1]),
        ]
    )
)
def test_cohorts_km_bad_input_is_named(case):
    from spinemets import cohorts

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        named_error(cohorts.km, ("durations", "events"), *case)


@FEW
@given(rows=surv_rows)
def test_km_plot_draws_one_curve_per_group(rows):
    t, e, g = (np.array(c) for c in zip(*rows))
    assume(t.max() > 0)  # all-zero follow-up: test_km_plot_zero_follow_up_draws_...
    import matplotlib.pyplot as plt

    from spinemets import plots

    try:
        ax = plots.km_plot(t, e, g, show_logrank=False)
        labels = [x.get_text() for x in ax.get_legend().get_texts()]
        assert labels == [f"{lev} (n={int((g == lev).sum())})" for lev in sorted(set(g))]
    finally:
        plt.close("all")


@example(kw={"show_logrank": "no"})
@given(
    kw=st.sampled_from(
        [{"show_logrank": "no"}, {"at_risk_times": "a"}, {"at_risk_times": [np.nan]}, {"ax": 5}]
    )
)
def test_km_plot_options_are_validated(kw):
    named_error(_km_plot, tuple(kw), [1.0, 2, 3, 4], [1, 1, 0, 1], **kw)


# =========================================================================== _validation (the contract)

from spinemets import _validation as V  # noqa: E402  (tests may use private names)


@CONTRACT
@given(
    xs=st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 10), st.booleans()
        ),
        max_size=6,
    )
)
def test_as_float_array_returns_the_numbers_or_names_the_argument(xs):
    out = result_or_named_error(V.as_float_array, "arg", xs, "arg")
    bad = any(isinstance(v, bool) for v in xs) or any(
        isinstance(v, float) and not math.isfinite(v) for v in xs
    )
    assert (out is None) == bad
    if out is not None:
        np.testing.assert_array_equal(out, np.array(xs, dtype=float).reshape(-1))


@CONTRACT
@given(x=tables((1, 4), (1, 4), 20), bad=st.sampled_from([None, np.nan, np.inf, -1, 0.5, 2.0**60]))
def test_check_count_table_accepts_counts_and_refuses_everything_else(x, bad):
    x = np.array(x)
    ok = x.shape[0] >= 2 and x.shape[1] >= 2 and x.sum() > 0
    out = result_or_named_error(V.check_count_table, "table", x)
    assert (out is not None) == ok
    if ok:
        np.testing.assert_array_equal(out, x)
        if bad is not None:
            y = x.astype(float)
            y[0, 0] = bad
            named_error(V.check_count_table, "table", y)


@CONTRACT
@given(k=st.integers(1, 8), seed=st.integers(0, 2**16))
def test_align_series_reorders_by_label(k, seed):
    a, _ = permuted_series(np.arange(k, dtype=float), seed)
    _, b = permuted_series(np.arange(k, dtype=float) * 10, seed + 1)
    out, index = V.align_series({"a": a, "b": b, "c": np.arange(k)})
    assert index.equals(a.index)
    np.testing.assert_array_equal(out["b"].to_numpy(), a.to_numpy() * 10)
    if k > 1:
        named_error(V.align_series, "b", {"a": a, "b": b.set_axis([*b.index[:-1], "other"])})
        named_error(V.align_series, "b", {"a": a, "b": b.set_axis([b.index[0]] * k)})


@CONTRACT
@given(
    v=st.one_of(
        st.floats(allow_nan=True), st.integers(), st.booleans(), st.none(), st.text(max_size=3)
    ),
    low=st.sampled_from([None, 0.0]),
    high=st.sampled_from([None, 10.0]),
)
def test_check_number_and_check_flag(v, low, high):
    out = result_or_named_error(V.check_number, "value", v, "value", low=low, high=high)
    valid = (
        isinstance(v, (int, float))
        and not isinstance(v, bool)
        and math.isfinite(v)
        and (low is None or v >= low)
        and (high is None or v <= high)
    )
    assert (out is not None) == valid
    flag = result_or_named_error(V.check_flag, "flag", v, "flag")
    assert (flag is not None) == isinstance(v, bool)


@example(n=2)
@given(n=st.integers(1, 4))
def test_km_plot_zero_follow_up_draws_without_warnings(n):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _km_plot([0.0] * n, [1] + [0] * (n - 1))


def test_book_style_sets_the_palette():
    import matplotlib.pyplot as plt

    from spinemets import plots

    plots.book_style()
    assert plt.rcParams["axes.prop_cycle"].by_key()["color"] == plots.PALETTE


# =========================================================================== more coverage


@CONTRACT
@given(i=st.integers(0, 1), bad=st.one_of(not_a_number, st.sampled_from([-1, -0.5])))
def test_analgesic_change_bad_value_is_named(i, bad):
    args = [30.0, 30.0]
    args[i] = bad
    named_error(resp.analgesic_change, ("baseline_omed", "followup_omed")[i], *args)


@CONTRACT
@given(
    ecog=st.integers(0, 4),
    mapping=st.sampled_from(["web", "buccheri1996", "prasad2018"]),
    grade=st.sampled_from(["A", "b", " C ", "d", "E"]),
    bilsky=st.sampled_from(["0", "1a", "1B", "1c", "2", "3", 0, 2, 3]),
)
def test_grades_and_ecog_mappings(ecog, mapping, grade, bilsky):
    lo, hi = sc.ecog_to_kps(ecog, mapping)
    assert 0 <= lo <= hi <= 100 and lo % 10 == 0 == hi % 10
    assert sc.frankel_grade(grade) == grade.strip().upper() == sc.asia_grade(grade)
    g, risk = sc.bilsky_grade(bilsky)
    assert g == str(bilsky).lower() and risk == (
        "high" if g in ("2", "3") else "low (1c, debated)" if g == "1c" else "low"
    )
    named_error(sc.ecog_to_kps, "mapping", ecog, "who")
    named_error(sc.ecog_to_kps, "ecog", 5, mapping)


@FEW
@given(
    rows=st.lists(
        st.tuples(times_.map(lambda x: x + 1), st.integers(0, 1), st.sampled_from("abc")),
        min_size=6,
        max_size=20,
    )
)
def test_univariate_table_rows_match_logrank_and_median(rows):
    t, e, g = (list(c) for c in zip(*rows))
    assume(len(set(g)) >= 2 and sum(e) > 0)
    df = pd.DataFrame({"t": t, "e": e, "g": g})
    out = sv.univariate_table(df, "t", "e", {"Group": "g"}, ci="log")
    p = sv.logrank(t, e, g).p_value
    for lev in sorted(set(g)):
        row = out.loc[("Group", lev)]
        sub = df[df.g == lev]
        assert row.n == len(sub) and row.p_logrank == pytest.approx(p)
        med = brute_km(sub.t.tolist(), sub.e.tolist())
        below = [u for u in sorted(med) if med[u] <= 0.5 + 1e-12]
        assert math.isnan(row["median"]) == (not below)


@FEW
@given(seed=st.integers(0, 2**16))
def test_cox_ph_test_transforms(seed):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "t": rng.exponential(size=25) + 0.01,
            "e": (rng.uniform(size=25) < 0.8) * 1,
            "x": rng.normal(size=25),
        }
    )
    assume(df.e.sum() >= 3)
    fit = sv.cox(df, "t", "e", ["x"])
    for transform in ("km", "identity", "rank", "log"):
        tab = fit.ph_test(transform)
        assert (
            list(tab.index) == ["x", "GLOBAL"]
            and no_nan(tab.p)
            and ((tab.p >= 0) & (tab.p <= 1)).all()
        )
    named_error(fit.ph_test, "transform", "square")


@FEW
@given(seed=st.integers(0, 2**16))
def test_two_cutoffs_best_pair_matches_lifelines(seed):
    from lifelines import CoxPHFitter

    rng = np.random.default_rng(seed)
    n = 24
    v = rng.integers(0, 6, n).astype(float)
    t = rng.exponential(np.exp(-0.3 * v)) + 1e-3  # continuous: Breslow = Efron
    e = (rng.uniform(size=n) < 0.85).astype(int)
    try:
        r = cmp.two_cutoffs(v, t, e, min_group=5)
    except ValueError as err:
        assert "min_group" in str(err) or ">= 5" in str(err)
        return
    assert r.lr_statistic == pytest.approx(r.cutoffs.lr.max())
    g1, g3 = v <= r.lower_cutoff, v > r.upper_cutoff
    assert r.group_sizes == (g1.sum(), (~g1 & ~g3).sum(), g3.sum()) and min(r.group_sizes) >= 5
    df = pd.DataFrame({"t": t, "e": e, "mid": (~g1 & ~g3) * 1.0, "high": g3 * 1.0})
    cph = CoxPHFitter().fit(df, "t", "e")
    assert r.lr_statistic == pytest.approx(cph.log_likelihood_ratio_test().test_statistic, rel=1e-5)


@FEW
@given(seed=st.integers(0, 2**16))
def test_stepwise_logistic_final_model_matches_statsmodels(seed):
    import statsmodels.api as sm

    rng = np.random.default_rng(seed)
    n = 80
    df = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n), "c": rng.normal(size=n)})
    df["y"] = (rng.uniform(size=n) < 1 / (1 + np.exp(-1.5 * df.a))).astype(int)
    r = cmp.stepwise_logistic(df, "y", ["a", "b", "c"])
    enters = r.steps[r.steps.action == "enter"]
    assert (enters.p < 0.05).all() and set(r.selected) <= {"a", "b", "c"}
    X = sm.add_constant(df[r.selected].to_numpy()) if r.selected else np.ones((n, 1))
    ref = sm.Logit(df.y.to_numpy(), X).fit(disp=0)
    assert ref.mle_retvals["converged"]
    np.testing.assert_allclose(
        r.summary.coef.to_numpy(), np.asarray(ref.params), rtol=1e-5, atol=1e-8
    )


@FEW
@given(label=st.sampled_from(["guess", None, "", 5, "Recomputed"]))
def test_reproduced_refuses_unknown_labels(label):
    named_error(pub.Reproduced, "label", 1.0, label)


@example(table=[[20] * 6] * 6)
@given(table=st.sampled_from([[[20] * 6] * 6, [[3] * 8] * 8, [[10] * 5] * 5]))
def test_fisher_exact_refuses_large_tables_before_starting(table):
    # each of these tables is the most probable one with its margins (all cells equal), so
    # every table counts and p = 1 exactly (closed form): the measured-work algorithm settles
    # it at the root without enumerating. A large table that is not modal is refused.
    assert cmp.fisher_exact(table).p_value == 1.0
    x = np.array(table)
    k = int(x[0, 1])
    x[0, 0] += k
    x[0, 1] -= k
    x[1, 0] -= k
    x[1, 1] += k
    try:
        p = cmp.fisher_exact(x).p_value
    except ValueError as e:
        assert "table" in str(e) and "monte-carlo" in str(e)
    else:
        assert 0 < p < 1


@example(v=1.0)
@given(v=st.floats(-10, 10))
def test_delong_auc_constant_values_refuse(v):
    named_error(cmp.delong_auc, "values", [v] * 4, [1, 0, 1, 0])
