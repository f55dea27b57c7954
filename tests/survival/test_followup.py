"""Median follow-up (reverse Kaplan-Meier, Schemper & Smith 1996) and events per variable."""

import numpy as np
import pandas as pd
import pytest
from lifelines.datasets import load_lung

from spinemets import survival as sv

LUNG = load_lung()


def test_reverse_km_hand_case():
    # times 1..6, events 1,0,1,0,0,1 -> reversed 0,1,0,1,1,0. Reverse KM: t=2 (5 at risk) 4/5;
    # t=4 (3 at risk) 4/5 * 2/3 = 8/15 = 0.533; t=5 (2 at risk) 8/15 * 1/2 = 0.267 -> median 5.
    # The median of all observed times is 3.5, deaths counting as short follow-up.
    m = sv.median_followup([1, 2, 3, 4, 5, 6], [1, 0, 1, 0, 0, 1])
    assert m.median == 5 and m.events == 3 and m.n == 6
    assert np.median([1, 2, 3, 4, 5, 6]) == 3.5


def test_reverse_km_lung_is_longer_than_naive_median():
    m = sv.median_followup(LUNG.time, LUNG.status)
    flipped = sv.median_survival(LUNG.time, 1 - LUNG.status)
    assert (m.median, m.lower, m.upper) == (flipped.median, flipped.lower, flipped.upper)
    assert m.median > np.median(LUNG.time) and m.events == (LUNG.status == 0).sum()


def test_median_followup_contract():
    with pytest.raises(ValueError, match="no censored observation"):
        sv.median_followup([1, 2, 3], [1, 1, 1])
    with pytest.raises(ValueError, match="ci must be one of"):
        sv.median_followup([1, 2, 3], [1, 0, 1], ci="spss")


def test_events_per_variable_counts_parameters_not_columns():
    d = LUNG.assign(ecog=LUNG["ph.ecog"].map({0: "0", 1: "1", 2: "2+", 3: "2+"}))
    r = sv.events_per_variable(d, "status", ["age", "sex", "ecog"])
    # one row has ph.ecog missing: 227 complete rows, 164 events (R: coxph n= 227, events 164)
    assert r.events == 164 and r.parameters == 4  # age, sex, ecog (3 levels -> 2)
    assert r.epv == pytest.approx(164 / 4) and r.adequate
    assert r.per_covariate.to_dict() == {"age": 1, "sex": 1, "ecog": 2}
    small = sv.events_per_variable(d.head(30), "status", ["age", "sex", "ecog"], threshold=10)
    assert small.epv == small.events / 4 and not small.adequate
    # competing-risk codes: count the cause of interest only
    cr = pd.DataFrame({"c": [0, 1, 2, 1, 2, 2], "x": [1, 2, 3, 4, 5, 6]})
    assert sv.events_per_variable(cr, "c", ["x"], event_of_interest=2).events == 3
    # an unused category costs no parameter (cox drops it, as R does)
    cat = d.assign(ecog=pd.Categorical(d.ecog, categories=["0", "1", "2+", "never"]))
    assert sv.events_per_variable(cat, "status", ["ecog"]).parameters == 2


def test_events_per_variable_contract():
    with pytest.raises(ValueError, match="at least one"):
        sv.events_per_variable(LUNG, "status", [])
    with pytest.raises(ValueError, match="no column"):
        sv.events_per_variable(LUNG, "status", ["nope"])
    with pytest.raises(ValueError, match="threshold must be >= 0"):
        sv.events_per_variable(LUNG, "status", ["age"], threshold=-1)


def test_median_followup_uses_r_print_rule_on_the_reverse_curve():
    # reverse KM of deaths (0 -> "event") at 1, 2, 3, 5, 6 and a death at 4 (a censoring of
    # follow-up): S = 5/6, 4/6, 0.5 at t = 3, flat through 4, 0.25 at 5. R's print.survfit takes
    # the midpoint of 3 and the next drop, 5 (survival:::survmean's minmin); not 3.5.
    m = sv.median_followup([1, 2, 3, 4, 5, 6], [0, 0, 0, 1, 0, 0])
    assert m.median == 4.0 and m.events == 5
