"""Tests of spinemets.cohorts on the paper A cohort (choi2015).

Reference numbers are the published ones (Choi & Seong, Gut Liver 2015;9:94-102, Tables 1, 2, 4
and Results), read from the spec; the IPF / MILP helpers are checked on hand-computable tables.
"""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest

from spinemets import cohorts, radiobiology, scores
from spinemets import cohorts as fit
from spinemets.paths import COHORTS_DIR


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("c1")
    cohorts.write("choi2015", out)
    return out


@pytest.fixture(scope="module")
def df():
    return cohorts.load("choi2015")


@pytest.fixture(scope="module")
def spec():
    return cohorts.load_spec("choi2015")


# --- building blocks (hand-checkable) ------------------------------------------------------


def test_ipf_two_margins_hand_case():
    # 2x2 with uniform seed and margins rows (3, 7), cols (4, 6): IPF gives the independence
    # table r_i c_j / n = [[1.2, 1.8], [2.8, 4.2]] (Deming & Stephan 1940).
    rows = np.array([0, 0, 1, 1])
    cols = np.array([0, 1, 0, 1])
    fam_r = [fit.Constraint(rows == 0, 3, "t", "r0"), fit.Constraint(rows == 1, 7, "t", "r1")]
    fam_c = [fit.Constraint(cols == 0, 4, "t", "c0"), fit.Constraint(cols == 1, 6, "t", "c1")]
    x = fit.ipf(np.ones(4), [fam_r, fam_c])
    np.testing.assert_allclose(x, [1.2, 1.8, 2.8, 4.2], atol=1e-9)
    xi = fit.integerise(x, fam_r + fam_c)
    # integer table with the same margins, L1 distance 0.2+0.2+0.2+0.2 = 0.8 minimal
    assert xi[[0, 1]].sum() == 3 and xi[[2, 3]].sum() == 7 and xi[[0, 2]].sum() == 4
    assert np.abs(xi - x).sum() == pytest.approx(0.8)


def test_plain_rounding_breaks_margins_but_milp_does_not():
    x = np.array([1.5, 1.5, 1.5, 1.5])  # margins 3, 3 / 3, 3: rounding gives 2+2 = 4
    rows = np.array([0, 0, 1, 1])
    cols = np.array([0, 1, 0, 1])
    cons = [fit.Constraint(rows == r, 3, "t", "") for r in (0, 1)] + [
        fit.Constraint(cols == c, 3, "t", "") for c in (0, 1)
    ]
    assert np.round(x + 1e-9)[[0, 1]].sum() != 3
    xi = fit.integerise(x, cons)
    assert all(int(xi[c.mask].sum()) == 3 for c in cons)


def test_pinned_sample_hits_min_max_median_cut():
    rng = np.random.default_rng(1)
    x = fit.pinned_sample(
        rng, 192, vmin=20, vmax=82, median=56, cuts=[{"le": 55, "count": 86}], decimals=0
    )
    assert x.min() == 20 and x.max() == 82 and np.median(x) == 56 and (x <= 55).sum() == 86


# --- paper A: margins and cross-tabs exact -------------------------------------------------


def test_rows_and_columns(df):
    assert len(df) == 192 and df["patient_id"].is_unique
    for c in [
        "patient_id",
        "age",
        "sex",
        "ecog",
        "afp",
        "child_pugh",
        "primary_controlled",
        "interval_months",
        "baseline_pain",
        "extrahepatic_mets",
        "spine_site",
        "multiple_spinal_mets",
        "mass_type",
        "cord_compression",
        "pathologic_fracture",
        "total_dose_gy",
        "fractions",
        "bed10",
        "rt_technique",
        "treatment",
        "pain_response",
        "os_months",
        "death",
    ]:
        assert c in df.columns


def test_table1_margins_exact(df, spec):
    for c in spec["categorical"]:
        got = df[c["name"]].astype(str).value_counts()
        for k, v in c["counts"].items():
            assert got.get(str(k), 0) == v, (c["name"], k)
    # Table 1 BED groups: 38 / 132 / 22
    assert df["bed_group"].value_counts().to_dict() == {"39-53": 132, "<=38": 38, ">53": 22}


def test_table2_crosstabs_exact(df, spec):
    groups = spec["joint"]["groupings"]
    nest = {
        "treatment_group": (
            "treatment",
            {"RT alone": ["RT alone"], "RT+CTx": ["RT+CTx"], "RT+S+/-CTx": ["RT+S", "RT+CTx+S"]},
        ),
        "technique_group": (
            "rt_technique",
            {"conventional": ["conventional"], "3D-CRT or IMRT": ["3D-CRT", "IMRT"]},
        ),
    }
    for t in spec["joint"]["tables"]:
        if not t.get("cols"):
            assert df[t["rows"]].astype(str).value_counts().to_dict() == {
                k: v for k, v in t["counts"].items()
            }
            continue
        g = groups[t["cols"]]
        for r, counts in t["counts"].items():
            if t["rows"] in nest:
                col, m = nest[t["rows"]]
                in_row = df[col].astype(str).isin(m[r])
            else:
                in_row = df[t["rows"]].astype(str) == str(r)
            for glev, c in zip(g["groups"].values(), counts):
                assert int((in_row & df[g["var"]].astype(str).isin(glev)).sum()) == c, (
                    t["rows"],
                    r,
                    glev,
                )


def test_table2_totals(df):
    # Table 2 totals: response 187 / non-response 5; CR 41 / non-CR 151 (abstract's "151" = non-CR)
    pr = df["pain_response"].astype(str)
    assert (
        pr.isin(["CR", "PR"]).sum() == 187
        and (pr == "CR").sum() == 41
        and (pr != "CR").sum() == 151
    )


# --- continuous: medians, ranges, dichotomies ----------------------------------------------


@pytest.mark.parametrize(
    "col,med,lo,hi,cut,count",
    [
        ("age", 56, 20, 82, 55, 86),
        ("interval_months", 8.6, 0, 127, 9, 100),
        ("baseline_pain", 5.0, 2, 10, 6, 114),
    ],
)
def test_continuous_published(df, col, med, lo, hi, cut, count):
    x = df[col].to_numpy(float)
    assert np.median(x) == pytest.approx(med) and x.min() == lo and x.max() == hi
    assert (x <= cut).sum() == count


def test_afp_conflict_reported(df):
    x = df["afp"].to_numpy(float)
    assert (x <= 200).sum() == 98 and x.min() == 1 and x.max() == 120000
    assert np.median(x) == 200  # closest to the published 245.2 that 98 <= 200 allows (conflict e)


def test_bed_from_real_schedules(df):
    b = df["bed10"].to_numpy(float)
    assert b.min() == pytest.approx(14.4) and b.max() == pytest.approx(78)
    assert round(float(np.median(b)), 1) == 44.2
    d = df["total_dose_gy"] / df["fractions"]
    np.testing.assert_allclose(b, np.round(df["total_dose_gy"] * (1 + d / 10), 2))
    cuts = pd.cut(b, [0, 38.5, 53.5, 200], labels=["<=38", "39-53", ">53"]).astype(str)
    assert (cuts == df["bed_group"].astype(str).to_numpy()).all()


# --- survival calibration ------------------------------------------------------------------


def test_survival_calibration(df, spec):
    k = cohorts.km(df["os_months"], df["death"])
    tg = spec["survival"]["targets"]
    assert abs(k["median"] - 4.5) <= tg["median"]["tol"]
    assert abs(k["s12"] - 0.181) <= tg["s12"]["tol"]
    assert abs(k["s24"] - 0.063) <= tg["s24"]["tol"]
    assert int(df["death"].sum()) == 181
    assert df["os_months"].min() == 0.5 and df["os_months"].max() == 124.8


def test_km_matches_lifelines(df):
    from lifelines import KaplanMeierFitter

    kmf = KaplanMeierFitter().fit(df["os_months"], df["death"])
    k = cohorts.km(df["os_months"], df["death"])
    assert kmf.median_survival_time_ == pytest.approx(k["median"])
    assert float(kmf.survival_function_at_times(12).iloc[0]) == pytest.approx(k["s12"])


def test_km_at_matches_the_library(df):
    # the engine's small numpy KM (fast enough for the calibration loops) equals spinemets.survival
    from spinemets import survival

    times = [0.5, 3.0, 4.5, 12.0, 24.0, 60.0]
    ref = survival.survival_at(df["os_months"], df["death"], times)["survival"].to_numpy()
    assert np.allclose(cohorts.km_at(df["os_months"], df["death"], times), ref)


def test_cox_hrs_within_tolerance(df, spec):
    from statsmodels.duration.hazard_regression import PHReg

    cov = spec["survival"]["covariates"]
    x = np.column_stack([cohorts._covariate(df, c) for c in cov.values()])
    b = PHReg(df["os_months"], x, status=df["death"], ties="breslow").fit(disp=False).params
    target = np.array([c["beta"] for c in cov.values()])
    assert np.all(np.abs(b - target) <= spec["survival"]["hr_tolerance"])


# --- determinism ---------------------------------------------------------------------------


@pytest.mark.change_detector
def test_build_twice_identical_and_equal_to_committed(built, tmp_path):
    cohorts.write("choi2015", tmp_path)
    for name in ("choi2015.csv", "choi2015.md"):
        a = (built / name).read_bytes()
        assert a == (tmp_path / name).read_bytes()
        assert a == (COHORTS_DIR / name).read_bytes(), (
            f"committed {name} differs from a fresh build"
        )


# --- schema failures -----------------------------------------------------------------------


def _corrupt(tmp_path, edit):
    df = pd.read_csv(COHORTS_DIR / "choi2015.csv", dtype=str, keep_default_na=False)
    df = edit(df)
    df.to_csv(tmp_path / "choi2015.csv", index=False)
    return tmp_path


@pytest.mark.parametrize(
    "edit,msg",
    [
        (lambda d: d.assign(ecog=d["ecog"].where(d.index != 3, "5")), "ecog"),
        (
            lambda d: d.assign(child_pugh=d["child_pugh"].where(d.index != 0, "D")),
            "unknown category",
        ),
        (lambda d: d.iloc[:-1], "191 rows"),
        (lambda d: d.drop(columns=["death"]), "missing column"),
        (lambda d: d.assign(age=d["age"].where(d.index != 5, "")), "missing value"),
        (lambda d: d.assign(afp=d["afp"].where(d.index != 5, "high")), "numeric"),
        (lambda d: d.assign(patient_id=d["patient_id"].where(d.index != 1, "A001")), "unique"),
    ],
)
def test_load_rejects_corrupted_files(tmp_path, edit, msg):
    path = _corrupt(tmp_path, edit)
    with pytest.raises(ValueError, match=msg):
        cohorts.load("choi2015", path)


def test_unknown_paper():
    with pytest.raises(ValueError, match="no cohort spec"):
        cohorts.load_spec("nosuchpaper")


def _reverse_rows(df, spec, rng):
    return df.iloc[::-1].reset_index(drop=True)


def test_poststep_hook(monkeypatch):
    # a paper-specific post-step named in the spec runs before ids and schema check
    spec = cohorts.load_spec("choi2015")
    spec["poststep"] = "test_cohorts:_reverse_rows"
    import importlib

    monkeypatch.setattr(
        importlib.import_module("spinemets.cohorts.engine"), "load_spec", lambda paper: dict(spec)
    )
    monkeypatch.syspath_prepend(str(__import__("pathlib").Path(__file__).parent))
    a = cohorts.load("choi2015")
    b, _ = cohorts.build("choi2015")
    assert b["age"].tolist() == a["age"].tolist()[::-1]


# --- paper E: a teaching scenario, not a reconstruction ---


@pytest.mark.change_detector
def test_separation2024_scenario_builds_identically_and_validates(tmp_path):
    cohorts.write("separation2024", tmp_path)
    for ext in ("csv", "md"):
        committed = (cohorts.COHORTS_DIR / f"separation2024.{ext}").read_bytes()
        assert (tmp_path / f"separation2024.{ext}").read_bytes() == committed
    d = cohorts.load("separation2024")
    assert len(d) == 60 and d.group.value_counts().to_dict() == {"SO": 30, "SRT": 30}
    # values sit on each instrument's grid
    assert (d.kps_pre % 10 == 0).all() and (d.kps_3m % 10 == 0).all()
    assert (d.sf36_pf_3m % 5 == 0).all() and (d.sf36_pf_pre % 5 == 0).all()
    assert ((d.sf36_bp_3m / 2.5) % 1 == 0).all()
    md = (cohorts.COHORTS_DIR / "separation2024.md").read_text()
    assert "teaching scenario, not a reconstruction" in md
    assert "assumption (no published value)" in md and "by construction |" not in md


# --- paper D (park2016), partial: lesion-level Table 1 cross-tabs, 28 lesions in 24 patients --
# Reference: Park et al., Radiat Oncol J 2016, Table 1 and Results 1.


def test_park2016_table1_and_nesting(tmp_path):
    d = cohorts.load("park2016")
    assert len(d) == 28 and d["lesion_id"].is_unique and d["patient_id"].nunique() == 24
    assert sorted(d["patient_id"].value_counts().tolist(), reverse=True)[:4] == [3, 2, 2, 1]
    # Table 1 header: 13 nonconcurrent / 11 concurrent patients; a patient's lesions share the arm
    assert (d.groupby("patient_id", observed=True)["concurrent"].nunique() == 1).all()
    pat = d.drop_duplicates("patient_id")
    assert pat["concurrent"].astype(str).value_counts().to_dict() == {"no": 13, "yes": 11}
    assert pd.crosstab(pat["sex"].astype(str), pat["concurrent"].astype(str)).loc[
        "male"
    ].tolist() == [8, 8]
    assert pd.crosstab(pat["ecog_group"].astype(str), pat["concurrent"].astype(str)).loc[
        "0-1"
    ].tolist() == [7, 7]
    assert (pat["age"].median(), pat["age"].min(), pat["age"].max()) == (65, 34, 82)
    for col in ("age", "sex", "ecog_group", "os_months", "death"):  # patient-level columns
        assert (d.groupby("patient_id", observed=True)[col].nunique() == 1).all(), col
    ct = lambda c: pd.crosstab(d[c].astype(str), d["concurrent"].astype(str))
    assert ct("cord_compression").loc["yes"].tolist() == [5, 3]  # no, yes columns
    assert ct("pain_response").loc["yes"].tolist() == [10, 8]  # 18 lesions improved
    assert ct("dose_scheme").loc["SBRT"].tolist() == [4, 4]  # 8 SBRT lesions
    assert ct("sins_group").loc["13-18"].tolist() == [1, 0]
    assert not ((d["dose_scheme"] == "SBRT") & (d["bed_group"] == "<51.4")).any()


def test_park2016_schedules_bed7_and_groups():
    d = cohorts.load("park2016")
    assert np.allclose(
        d["bed7"], np.round(radiobiology.bed(d["total_dose_gy"], d["fractions"], 7), 2)
    )
    low = d["bed7"] < 51.4
    assert (low == (d["bed_group"].astype(str) == "<51.4")).all()
    sb = d[d["dose_scheme"].astype(str) == "SBRT"]
    got = sorted(zip(sb["total_dose_gy"], sb["fractions"]))
    assert got == sorted([(24, 3)] * 3 + [(40, 5), (48, 4)] + [(18, 1)] * 3)  # Methods 2
    assert d["bed7"].median() == pytest.approx(51.43, abs=0.01)  # Table 1: 51.4
    assert d["bed7"].min() == pytest.approx(31.43, abs=0.01) and d["bed7"].max() == pytest.approx(
        130.29, abs=0.01
    )
    nsb = d[d["dose_scheme"].astype(str) == "non-SBRT"]
    assert nsb["bed7"].median() < 51.4  # conflict d: the printed 51.4 cannot hold
    assert ((nsb["total_dose_gy"] == 30) & (nsb["fractions"] == 10)).sum() == nsb.groupby(
        ["total_dose_gy", "fractions"]
    ).size().max()  # 30 Gy/10 most frequent


def test_park2016_local_progression_and_os():
    d = cohorts.load("park2016")
    assert int(d["local_progression"].sum()) == 10  # Results 2: 10 lesions
    assert (d["lp_months"] <= d["os_months"]).all()  # death / end of follow-up ends observation
    s = lambda sel, t, e: float(cohorts.km_at(d.loc[sel, t], d.loc[sel, e], [12.0])[0])
    conc = (d["concurrent"].astype(str) == "yes").to_numpy()
    allr = np.ones(len(d), bool)
    assert abs(s(allr, "lp_months", "local_progression") - 0.670) <= 0.05
    assert abs(s(conc, "lp_months", "local_progression") - 0.900) <= 0.05
    assert abs(s(~conc, "lp_months", "local_progression") - 0.513) <= 0.05
    assert abs(s(allr, "os_months", "death") - 0.607) <= 0.05
    assert abs(s(conc, "os_months", "death") - 0.462) <= 0.05
    assert abs(s(~conc, "os_months", "death") - 0.722) <= 0.05
    assert d["os_months"].max() <= 58


@pytest.mark.change_detector
def test_park2016_builds_identically(tmp_path):
    cohorts.write("park2016", tmp_path)
    for name in ("park2016.csv", "park2016.md"):
        assert (tmp_path / name).read_bytes() == (COHORTS_DIR / name).read_bytes()


def test_cluster_sizes_must_cover_rows():
    spec = cohorts.load_spec("park2016")
    spec["cluster"]["sizes"] = {"no": {1: 15}, "yes": {1: 10, 2: 1}}
    with pytest.raises(ValueError, match="cluster sizes"):
        cohorts._build_frames(spec)


def test_strata_need_targets_for_every_level():
    spec = cohorts.load_spec("park2016")
    del spec["survival"]["targets"]["yes"]
    with pytest.raises(ValueError, match="no targets"):
        cohorts._build_frames(spec)


# --- paper B (sohn2016), partial: SRS 28 + RT pool 92 --------------------------------------
# Reference: Sohn et al., J Korean Neurosurg Soc 2016, Table 1, Table 2 and Results.


@pytest.mark.change_detector
def test_sohn2016_counts_and_means(tmp_path):
    d = cohorts.load("sohn2016")
    assert len(d) == 120 and (d["arm"].astype(str) == "SRS").sum() == 28
    g = {k: v for k, v in d.groupby(d["rt_group"].astype(str))}
    assert len(g["RT_like"]) == 28 and len(g["RT_other"]) == 64
    vc = lambda x, c: x[c].astype(str).value_counts().to_dict()
    # Table 2: complete / partial / stable / progression (four categories, Bowker p = 0.83)
    assert vc(g["SRS"], "pain_relief") == {
        "partial": 12,
        "stable": 7,
        "complete": 6,
        "progression": 3,
    }
    assert vc(g["RT_like"], "pain_relief") == {
        "partial": 13,
        "stable": 10,
        "complete": 3,
        "progression": 2,
    }
    for name, male, tox, fi in (("SRS", 26, 9, 6), ("RT_like", 26, 17, 7)):
        x = g[name]
        assert (x["sex"].astype(str) == "male").sum() == male
        assert (x["toxicity_any"].astype(str) == "yes").sum() == tox and (
            x["further_intervention"].astype(str) == "yes"
        ).sum() == fi
    assert (g["RT_like"]["toxicity_any"].astype(str) == "not recorded").sum() == 1  # 17/27 = 63.0%
    # Table 1 categorical rows
    assert vc(g["SRS"], "child_pugh") == {"A": 26, "B": 2} and vc(g["RT_like"], "child_pugh") == {
        "A": 25,
        "B": 3,
    }
    assert [vc(g["SRS"], "n_spine_mets")[k] for k in ("1", "2", "3", ">=4")] == [10, 8, 3, 7]
    assert [vc(g["RT_like"], "n_spine_mets")[k] for k in ("1", "2", "3", ">=4")] == [10, 7, 4, 7]
    assert vc(g["SRS"], "ecog_group") == {"0-1": 19, ">=2": 9} and vc(
        g["RT_like"], "ecog_group"
    ) == {"0-1": 22, ">=2": 6}
    assert (
        vc(g["SRS"], "ambulation_group")
        == {"1-2": 26, ">=3": 2}
        == vc(g["RT_like"], "ambulation_group")
    )
    assert [vc(g["SRS"], "location")[k] for k in ("cervical", "thoracic", "lumbar")] == [7, 7, 14]
    assert [vc(g["RT_like"], "location")[k] for k in ("cervical", "thoracic", "lumbar")] == [
        6,
        11,
        11,
    ]
    for col, a, b in (
        ("age", 58.7, 59.7),
        ("interval_months", 17.7, 18.4),
        ("tumor_volume_cc", 33.1, 42.4),
        ("pre_vas", 6.8, 5.6),
        ("post_vas", 3.1, 2.7),
    ):
        assert round(g["SRS"][col].mean(), 1) == a and round(g["RT_like"][col].mean(), 1) == b
    cohorts.write("sohn2016", tmp_path)
    for name in ("sohn2016.csv", "sohn2016.md"):
        assert (tmp_path / name).read_bytes() == (COHORTS_DIR / name).read_bytes()


def test_sohn2016_schedules_nbed_and_survival():
    d = cohorts.load("sohn2016")
    g = {k: v for k, v in d.groupby(d["rt_group"].astype(str))}
    assert np.allclose(
        d["nbed"],
        np.round(radiobiology.eqd2(d["total_dose_gy"], d["fractions"], 10), 2),
        atol=0.006,
    )
    assert (round(g["SRS"]["total_dose_gy"].mean(), 1), round(g["SRS"]["fractions"].mean(), 1)) == (
        35.4,
        4.0,
    )
    assert (
        round(g["RT_like"]["total_dose_gy"].mean(), 1),
        round(g["RT_like"]["fractions"].mean(), 1),
    ) == (31.5, 10.2)
    assert g["SRS"]["fractions"].isin([1, 3, 4, 5]).all()  # Methods: single or 3-5 fractions
    assert round(g["SRS"]["nbed"].mean(), 1) == 58.4  # Table 1 (emergent: it holds)
    floor = radiobiology.mean_eqd2_lower_bound(31.5, 10.2, 10)
    assert g["RT_like"]["nbed"].mean() >= floor > 33.7  # conflict b: 33.7 is impossible
    for grp, med in (("SRS", 8), ("RT_like", 10)):
        x = g[grp]
        assert abs(cohorts.km(x["os_months"], x["death"], at=())["median"] - med) <= 1.0
    for grp, med, s6, s12 in (("SRS", 10, 0.59, 0.25), ("RT_like", 8, 0.64, 0.32)):
        x = g[grp]
        assert (
            abs(cohorts.km(x["pfs_months"], x["local_progression"], at=())["median"] - med) <= 1.5
        )
        got = cohorts.km_at(x["pfs_months"], x["local_progression"], [6.0, 12.0])
        assert abs(got[0] - s6) <= 0.06 and abs(got[1] - s12) <= 0.06
    assert (d["pfs_months"] <= d["os_months"]).all()


# --- paper C (lee2015): 36 operations in 33 patients, score items -> totals -> groups ----------
# Reference: Lee et al., J Korean Neurosurg Soc 2015, Results, Table 1 and Table 2.


def test_lee2015_operations_patients_and_margins():
    d = cohorts.load("lee2015")
    assert len(d) == 36 and d["patient_id"].nunique() == 33
    assert sorted(d["patient_id"].value_counts().tolist(), reverse=True)[:4] == [2, 2, 2, 1]
    pat = d.drop_duplicates("patient_id")
    assert pat["sex"].astype(str).value_counts().to_dict() == {"male": 30, "female": 3}  # Results
    assert d["sex"].astype(str).value_counts().to_dict() == {"male": 33, "female": 3}  # Table 1
    assert (d.groupby("patient_id", observed=True)["sex"].nunique() == 1).all()
    assert d["child_pugh"].astype(str).value_counts().to_dict() == {"A": 30, "B": 6}
    assert d["ambulation"].astype(str).value_counts().to_dict() == {
        "possible": 25,
        "not possible": 11,
    }
    assert d["level_group"].astype(str).value_counts().to_dict() == {
        "thoracic": 15,
        "lumbar": 11,
        "cervical": 10,
    }
    # Results: median 56 (28-71) "at the initial operation" (over patients); Table 1: 29 operations < 65
    first = d[d["operation_order"] == 1]
    assert (first["age"].median(), first["age"].min(), first["age"].max()) == (56, 28, 71)
    assert int((d["age"] < 65).sum()) == 29
    # Results: 27 of 33 patients died; a patient dies once, so operations end in death
    # 27 + (repeat patients who died) times (30 only if all three died: not stated)
    dead = d.groupby("patient_id", observed=True)["death"].max()
    assert int(dead.sum()) == 27
    n_rep_dead = int(dead[d.loc[d["operation_order"] == 2, "patient_id"]].sum())
    assert int(d["death"].sum()) == 27 + n_rep_dead


def test_lee2015_totals_follow_from_items_and_groups_from_totals():
    d = cohorts.load("lee2015")
    for _, r in d.iterrows():
        tok = scores.tokuhashi_revised(
            r.kps,
            r.extraspinal_bone_foci,
            r.vertebral_body_mets,
            str(r.organ_mets),
            "liver",
            str(r.frankel),
        )
        tom = scores.tomita("liver", str(r.visceral_mets), str(r.bone_mets))
        sn = scores.sins(
            r.level,
            str(r.sins_pain),
            str(r.sins_lesion),
            str(r.sins_alignment),
            str(r.sins_collapse),
            str(r.sins_posterolateral),
        )
        assert (tok.total, tom.total, sn.total) == (r.tokuhashi_total, r.tomita_total, r.sins_total)
        assert (
            scores.spine_level_region(r.level)
            and r.level[0] == {"cervical": "C", "thoracic": "T", "lumbar": "L"}[str(r.level_group)]
        )
        # clinical consistency between the scores' items
        assert (str(r.bone_mets) == "solitary") == (
            r.extraspinal_bone_foci == 0 and r.vertebral_body_mets == 1
        )
        assert {"none": "none", "treatable": "removable", "untreatable": "unremovable"}[
            str(r.visceral_mets)
        ] == str(r.organ_mets)
        assert (str(r.frankel) in "DE") == (str(r.ambulation) == "possible")
    band = lambda t, bands: next(g for g, (lo, hi) in bands.items() if lo <= t <= hi)
    cnt = lambda col: d[col].astype(str).value_counts().to_dict()
    assert cnt("tokuhashi_group") == {"A": 26, "B": 10}  # Table 2, bands 0-8 / 9-11
    assert cnt("tokuhashi_group_ref20") == {"B": 19, "A": 13, "C": 4}  # bands 0-5 / 6-9 / 10-15
    assert cnt("tomita_group") == {"III": 15, "II": 11, "IV": 10}  # 4-5 / 6-7 / 8-10
    assert cnt("tomita_group_ref20") == {"III": 17, "II": 11, "IV": 8}  # 4-5 / 6-8 / 9-10
    assert (
        d["tokuhashi_group"].astype(str)
        == [band(t, {"A": (0, 8), "B": (9, 11), "C": (12, 15)}) for t in d["tokuhashi_total"]]
    ).all()
    assert (
        d["tomita_group_ref20"].astype(str)
        == [
            band(t, {"I": (2, 3), "II": (4, 5), "III": (6, 8), "IV": (9, 10)})
            for t in d["tomita_total"]
        ]
    ).all()
    assert (
        d["tomita_total"].min() >= 5 and d["tokuhashi_total"].max() <= 11
    )  # HCC bounds (methods 7.3)
    assert (
        cnt("sins_group") == {"7-12": 29, "13-18": 5, "6": 2}
        and (d.loc[d["sins_group"].astype(str) == "6", "sins_total"] == 6).all()
    )


@pytest.mark.change_detector
def test_lee2015_tomita_group_medians_and_build(tmp_path):
    d = cohorts.load("lee2015")
    for g, med in (("II", 349), ("III", 180), ("IV", 74)):
        sel = d["tomita_group"].astype(str) == g
        assert (
            abs(cohorts.km(d.loc[sel, "os_days"], d.loc[sel, "death"], at=())["median"] - med) <= 25
        )
    cohorts.write("lee2015", tmp_path)
    for name in ("lee2015.csv", "lee2015.md"):
        assert (tmp_path / name).read_bytes() == (COHORTS_DIR / name).read_bytes()


def test_structural_zeros_are_respected_by_the_milp():
    from spinemets import cohorts as f

    # two 2-level variables with margins (2, 2) x (2, 2); cell (0, 0) impossible
    mask = lambda *cells: np.isin(np.arange(4), cells)
    cons = [
        f.Constraint(mask(0, 1), 2, "t", "a0"),
        f.Constraint(mask(2, 3), 2, "t", "a1"),
        f.Constraint(mask(0, 2), 2, "t", "b0"),
        f.Constraint(mask(1, 3), 2, "t", "b1"),
    ]
    x = f.integerise(np.full(4, 1.0), cons, zero=np.array([True, False, False, False]))
    assert x.tolist() == [0, 2, 2, 0]


# --- independent censoring (the censoring time never depends on the survival time) ---


def test_dependent_censoring_scheme_is_refused():

    spec = cohorts.load_spec("choi2015")
    spec["survival"]["censoring"].pop("independent")
    with pytest.raises(ValueError, match="independent"):
        cohorts._build_frames(spec)


def test_loss_rate_gives_the_expected_number_censored():
    surv = importlib.import_module("spinemets.cohorts.survival")
    rng = np.random.default_rng(0)
    t = rng.exponential(6.0, size=500)
    pot = rng.uniform(24, 262, size=500)
    rate = surv._loss_rate(t, pot, 30.0)
    expected = (pot < t).sum() + np.sum(1 - np.exp(-rate * t[pot >= t]))
    assert expected == pytest.approx(30.0)
    assert surv._loss_rate(t, np.zeros(500), 30.0) == 0.0  # administrative censoring suffices


def test_choi2015_uses_independent_censoring():
    # censoring times come from accrual and an exponential loss only, with a positive loss rate
    from spinemets.cohorts import replication

    m = replication.generative_model("choi2015")
    assert m["loss_rate"] > 0
    spec = cohorts.load_spec("choi2015")
    c = spec["survival"]["censoring"]
    assert c["independent"] == {"accrual": 238, "followup_after_accrual": 24}
