"""spinemets.response: IBMCWP endpoints (Chow et al. 2002, 2012), OMED tables, paper B's VAS categories.

Each row of the worked-example table names the rule that decides it. Boundaries tested: a pain
change of exactly 2, an OMED change of exactly 25%, follow-up pain exactly 0, baseline OMED 0.
"""

import numpy as np
import pandas as pd
import pytest

from spinemets.response import analgesic_change, ibmcwp_response, omed, total_omed, vas_relief

# (baseline pain, follow-up pain, baseline OMED, follow-up OMED, expected 2002 category, rule)
IBMCWP_CASES = [
    (6, 0, 30, 30, "CR", "pain 0, analgesics stable"),
    (6, 0, 30, 0, "CR", "pain 0, analgesics stopped"),
    (6, 0, 0, 0, "CR", "pain 0, never on opioids"),
    (6, 0, 30, 37.4, "CR", "pain 0, OMED +24.7%: not an increase"),
    (
        6,
        0,
        30,
        37.5,
        "SP",
        "pain 0 but OMED +25% exactly: an increase, so not CR; pain fell, so not PP",
    ),
    (6, 0, 0, 5, "SP", "pain 0 but a new opioid (from 0): an increase"),
    (6, 4, 30, 30, "PR", "pain -2 exactly, analgesics stable"),
    (6, 5, 30, 30, "SP", "pain -1 only"),
    (6, 4, 30, 37.5, "SP", "pain -2 with OMED +25%: analgesic increase blocks PR"),
    (6, 6, 40, 30, "PR", "OMED -25% exactly, pain unchanged"),
    (6, 6, 40, 30.1, "SP", "OMED -24.75%: not a reduction"),
    (6, 7, 40, 30, "SP", "OMED -25% but pain +1: a pain increase blocks PR"),
    (6, 3, 40, 10, "PR", "pain -3 and OMED -75%"),
    (6, 8, 30, 30, "PP", "pain +2 exactly, analgesics stable"),
    (6, 8, 30, 25, "PP", "pain +2, OMED -16.7% is still stable"),
    (6, 8, 30, 22.5, "SP", "pain +2 with OMED -25%: not stable analgesics"),
    (6, 6, 30, 37.5, "PP", "OMED +25% exactly, pain unchanged"),
    (6, 7, 30, 37.5, "PP", "OMED +25%, pain 1 above baseline"),
    (6, 8, 30, 37.5, "SP", "OMED +25% with pain +2: neither PP clause as worded"),
    (6, 5, 30, 37.5, "SP", "OMED +25% with pain -1: pain not 'stable or 1 above'"),
    (5, 6, 0, 10, "PP", "new opioid from 0 (increase), pain +1"),
    (
        0,
        0,
        0,
        0,
        "CR",
        "pain-free at baseline and follow-up (CR as defined; exclude such patients upstream)",
    ),
    (10, 10, 0, 0, "SP", "nothing changed"),
]


@pytest.mark.parametrize(
    "bp, fp, bo, fo, expected, rule", IBMCWP_CASES, ids=[c[5] for c in IBMCWP_CASES]
)
def test_ibmcwp_worked_examples(bp, fp, bo, fo, expected, rule):
    assert ibmcwp_response(bp, fp, bo, fo) == expected
    expected_2012 = "indeterminate" if expected == "SP" else expected
    assert ibmcwp_response(bp, fp, bo, fo, version="2012") == expected_2012


def test_ibmcwp_vectorised_matches_scalar():
    bp, fp, bo, fo, exp, _ = map(list, zip(*IBMCWP_CASES))
    out = ibmcwp_response(np.array(bp), np.array(fp), np.array(bo), np.array(fo))
    assert isinstance(out, np.ndarray) and out.tolist() == exp


def test_ibmcwp_series_keeps_index_and_broadcasts_scalars():
    s = pd.Series([6, 6, 6], index=["p1", "p2", "p3"])
    out = ibmcwp_response(s, pd.Series([0, 4, 9], index=s.index), 30, 30)
    assert isinstance(out, pd.Series) and list(out.index) == ["p1", "p2", "p3"]
    assert out.tolist() == ["CR", "PR", "PP"]


def test_scalar_returns_python_str():
    assert type(ibmcwp_response(6, 0, 30, 30)) is str


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (
            dict(baseline_pain=11, followup_pain=0, baseline_omed=0, followup_omed=0),
            "baseline_pain must be <= 10",
        ),
        (
            dict(baseline_pain=5, followup_pain=-1, baseline_omed=0, followup_omed=0),
            "followup_pain must be >= 0",
        ),
        (
            dict(baseline_pain=5.5, followup_pain=1, baseline_omed=0, followup_omed=0),
            "whole numbers",
        ),
        (
            dict(baseline_pain=5, followup_pain=1, baseline_omed=-1, followup_omed=0),
            "baseline_omed must be >= 0",
        ),
        (
            dict(baseline_pain=5, followup_pain=np.nan, baseline_omed=0, followup_omed=0),
            "followup_pain contains",
        ),
        (
            dict(baseline_pain=[5, 6], followup_pain=[1, 2, 3], baseline_omed=0, followup_omed=0),
            "same length",
        ),
        (
            dict(
                baseline_pain=5, followup_pain=1, baseline_omed=0, followup_omed=0, version="2020"
            ),
            "version must be one of",
        ),
        (
            dict(baseline_pain="6", followup_pain=1, baseline_omed=0, followup_omed=0),
            "baseline_pain must be numeric",
        ),
    ],
)
def test_ibmcwp_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ibmcwp_response(**kwargs)


def test_analgesic_change_boundaries():
    assert analgesic_change([100, 100, 100, 100, 0, 0], [125, 124.9, 75, 75.1, 0, 1]).tolist() == [
        "increase",
        "stable",
        "decrease",
        "stable",
        "stable",
        "increase",
    ]


# --- OMED tables (CDC 2022: Dowell et al. 2022, Table; CDC 2016; Von Korff 2008 Table 1) ---


@pytest.mark.parametrize(
    "drug, dose, table, expected",
    [
        ("morphine", 60, "cdc2022", 60.0),
        ("oxycodone", 20, "cdc2022", 30.0),  # 1.5
        ("hydromorphone", 8, "cdc2022", 40.0),  # 5.0
        ("hydromorphone", 8, "cdc2016", 32.0),  # 4.0
        ("hydromorphone", 8, "vonkorff2008", 32.0),
        ("tramadol", 200, "cdc2022", 40.0),  # 0.2
        ("tramadol", 200, "vonkorff2008", 20.0),  # 0.1 (CDC 2016 lists no tramadol)
        ("codeine", 120, "nougg", 18.0),  # 0.15
        ("methadone", 20, "cdc2022", 94.0),  # 4.7
        ("methadone", 20, "vonkorff2008", 60.0),  # 3.0
        ("methadone", 20, "cdc2016", 80.0),  # band 1-20 mg/day: 4
        ("methadone", 21, "cdc2016", 168.0),  # band 21-40: 8
        ("methadone", 60, "cdc2016", 600.0),  # band 41-60: 10
        ("methadone", 80, "cdc2016", 960.0),  # band >= 61: 12
    ],
)
def test_omed_factors(drug, dose, table, expected):
    assert omed(drug, dose, table=table) == pytest.approx(expected)


def test_omed_routes_and_vectors():
    assert omed("fentanyl", 25, route="transdermal") == pytest.approx(60.0)  # 2.4 per ug/h
    assert omed("morphine", 10, route="iv") == pytest.approx(30.0)  # oral:IV 3:1
    s = omed("oxycodone", pd.Series([10, 20], index=["x", "y"]))
    assert list(s.index) == ["x", "y"] and s.tolist() == [15.0, 30.0]
    assert total_omed({"oxycodone": 20, "morphine": 10}) == pytest.approx(40.0)
    assert total_omed([("fentanyl", 25, "transdermal"), ("morphine", 10, "oral")]) == pytest.approx(
        70.0
    )


def test_omed_table_choice_can_flip_a_category():
    # A switch from tramadol 200 mg to morphine 25 mg: CDC 2022 40 -> 25 (-37.5%, a reduction: PR)
    # but Von Korff 2008 20 -> 25 (+25%, an increase: PP with unchanged pain).
    assert ibmcwp_response(6, 6, omed("tramadol", 200), 25) == "PR"
    assert ibmcwp_response(6, 6, omed("tramadol", 200, table="vonkorff2008"), 25) == "PP"


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        (("heroin", 10), {}, "drug must be one of"),
        (("oxycodone", 10), {"table": "who"}, "table must be one of"),
        (("oxycodone", 10), {"route": "rectal"}, "route must be one of"),
        (("oxycodone", 10), {"route": "iv"}, "only defined for morphine"),
        (("tramadol", 10), {"table": "cdc2016"}, "has no oral factor for 'tramadol'"),
        (("fentanyl", 25), {}, "has no oral factor"),
        (("morphine", -5), {}, "daily_dose must be >= 0"),
        (("morphine", np.nan), {}, "daily_dose contains"),
    ],
)
def test_omed_bad_input(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        omed(*args, **kwargs)


# --- paper B's VAS categories (Sohn et al. 2016) ---


@pytest.mark.parametrize(
    "b, f, med, exactly_two, expected",
    [
        (7, 0, "none", "stable", "complete"),  # no pain without analgesics
        (7, 0, "stable", "stable", "partial"),  # pain-free on analgesics: decrease 7 > 2
        (7, 4, "stable", "stable", "partial"),  # decrease 3 > 2, stable medication
        (7, 4, "decreased", "stable", "partial"),
        (7, 4, "increased", "stable", "progression"),  # increased medication wins over the VAS drop
        (7, 5, "stable", "stable", "stable"),  # exactly 2: boundary rule
        (7, 5, "stable", "partial", "partial"),
        (7, 6, "stable", "stable", "stable"),  # decrease < 2
        (7, 7, "stable", "stable", "stable"),  # same VAS
        (7, 7.5, "stable", "stable", "progression"),  # any increase
        (5.6, 2.7, "stable", "stable", "partial"),  # continuous VAS: decrease 2.9
    ],
)
def test_vas_relief(b, f, med, exactly_two, expected):
    assert vas_relief(b, f, med, exactly_two=exactly_two) == expected


def test_vas_relief_errors_and_vectors():
    with pytest.raises(ValueError, match="exactly 2 fits none"):
        vas_relief(7, 5, "stable", exactly_two="error")
    with pytest.raises(ValueError, match="medication must be one of"):
        vas_relief(7, 5, "more")
    with pytest.raises(ValueError, match="followup_vas must be <= 10"):
        vas_relief(7, 11, "stable")
    out = vas_relief(
        pd.Series([7, 7], index=[3, 4]), [0, 9], pd.Series(["none", "stable"], index=[3, 4])
    )
    assert list(out.index) == [3, 4] and out.tolist() == ["complete", "progression"]
