"""spinemets.analyses.park2016: the per-paper analysis of paper D on its synthetic cohort.

The statistical engines (robust Cox equal to R's coxph(..., cluster=), Gray's test equal to
cmprsk::cuminc, Fine-Gray, Firth) are tested against R in tests/survival/; here the
paper-specific steps: competing-risk coding, which numbers analyse() returns, and bad input.
"""

import numpy as np
import pandas as pd
import pytest

from spinemets import cohorts, published
from spinemets.analyses import park2016 as pk


@pytest.fixture(scope="module")
def cohort():
    return cohorts.load("park2016")


def test_competing_codes_partition_the_lesions(cohort):
    codes = pk.competing_codes(cohort)
    assert set(codes) <= {0, 1, 2}
    assert (codes == 1).sum() == cohort.local_progression.sum()
    # a death-first lesion ends its follow-up at its patient's death
    d = cohort[codes == 2]
    assert (d.death == 1).all() and np.allclose(d.lp_months, d.os_months)


def test_cif_never_exceeds_one_minus_km(cohort):
    for name, c in pk.cif_curves(cohort).items():
        assert (c.cif <= c.one_minus_km + 1e-12).all(), name
    t = pk.km_vs_cif(cohort, 12)
    assert (t["overstatement"] >= 0).all()


def test_cif_by_hand_on_a_tiny_example():
    # 4 lesions: progression at 1, death at 2, progression at 3, censored at 4.
    # Aalen-Johansen: CIF(1) = 1/4; S(1) = 3/4; death at 2 -> S(2) = 1/2;
    # CIF(3) = 1/4 + S(2-)... = 1/4 + (1/2)(1/2) = 1/2. 1 - KM (death censored) at 3 = 1 - (3/4)(1/2).
    tiny = pd.DataFrame(
        {
            "lesion_id": list("abcd"),
            "patient_id": list("abcd"),
            "age": 60,
            "sex": "male",
            "ecog_group": "0-1",
            "concurrent": ["no", "yes", "no", "yes"],
            "cord_compression": "no",
            "sins_group": "0-6",
            "prior_rt": "no",
            "dose_scheme": "SBRT",
            "bed_group": ">=51.4",
            "pain_response": "no",
            "lp_months": [1.0, 2.0, 3.0, 4.0],
            "local_progression": [1, 0, 1, 0],
            "os_months": [5.0, 2.0, 6.0, 4.0],
            "death": [0, 1, 0, 0],
        }
    )
    c = pk.cif_curves(tiny)["all"].set_index("time")
    assert c.loc[3.0, "cif"] == pytest.approx(0.5)
    assert c.loc[3.0, "one_minus_km"] == pytest.approx(1 - 0.75 * 0.5)


def test_analyse_returns_registry_ids_only(cohort):
    reg = published.load("park2016")
    out = pk.analyse(cohort)
    # registry ids, plus "_firth:<id>" flags (1 where the estimate came from Firth's penalty)
    meta = {k for k in out if k.startswith("_firth:")}
    assert set(out) - meta <= set(reg) and {k[7:] for k in meta} <= set(reg)
    assert all(out[k] in (0.0, 1.0) for k in meta)
    assert all(np.isfinite(v) for v in out.values())
    # every Table 2 cell is there, and the abstract repeats the multivariable HR
    assert {f"t2_uva_{k}_{f}" for k in pk.TABLE2 for f in ("hr", "lower", "upper", "p")} <= set(out)
    assert out["abs_mva_target_hr"] == out["t2_mva_target_hr"]
    assert set(pk.by_construction(cohort)) <= set(reg)
    assert not set(out) & set(pk.by_construction(cohort))


def test_univariate_keeps_naive_and_robust_side_by_side(cohort):
    uva = pk.univariate(cohort)
    assert list(uva.index) == list(pk.TABLE2)
    assert (uva.se != uva.se_naive).all()
    assert ((uva["lower"] < uva.hr) & (uva.hr < uva["upper"])).all()


def test_epv_counts_every_screened_parameter(cohort):
    assert pk.epv(cohort).parameters == 8  # SINS entered as one ordinal score
    assert pk.epv(cohort, pk.MVA).parameters == 3
    assert pk.epv(cohort).events == 10


def test_table1_counts_patients_for_patient_variables(cohort):
    t = pk.table1(cohort).set_index(["variable", "level"])
    assert t.loc[("sex", "male"), "unit"] == "patients"
    assert t.loc[("sex", "male"), "total"] + t.loc[("sex", "female"), "total"] == 24
    assert (
        t.loc[("cord_compression", "no"), "total"] + t.loc[("cord_compression", "yes"), "total"]
        == 28
    )


def test_bad_input_names_the_argument(cohort):
    with pytest.raises(ValueError, match="data"):
        pk.prepare(cohort.drop(columns="patient_id"))
    bad = cohort.copy()
    bad["sins_group"] = bad["sins_group"].astype(str)
    bad.loc[0, "sins_group"] = "19-20"
    with pytest.raises(ValueError, match="sins_group.*0-6, 7-12, 13-18"):
        pk.prepare(bad)
    late = cohort.copy()
    late.loc[0, "lp_months"] = late.loc[0, "os_months"] + 1
    with pytest.raises(ValueError, match="lp_months must not exceed os_months"):
        pk.competing_codes(late)
