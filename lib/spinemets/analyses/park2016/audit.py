"""Paper D's audit: *by construction* and *emergent* numbers, and :func:`comparison`
(every registered number once, see :mod:`spinemets.audit`)."""

from __future__ import annotations

import functools

import pandas as pd

from .recomputation import _SBRT, _STEPS, _registry, recomputed
from .steps import _OLD_IDS, _T1_IDS, analyse, followup, prepare, rates_at, table1


def by_construction(data: pd.DataFrame) -> dict[str, float]:
    """The numbers the cohort was built to match, keyed by registry id (agreement proves nothing)."""
    d = prepare(data)
    out: dict[str, float] = {}
    for _, r in table1(d).iterrows():
        key = _T1_IDS[(r["variable"], r["level"])]
        for col, suffix in (("total", "total"), ("no", "nc"), ("yes", "c")):
            nid = f"t1_{key}_{suffix}_n"
            out[_OLD_IDS.get(nid, nid)] = r[col]
    patients = d.drop_duplicates("patient_id")
    out.update(
        {
            "t1_patients_total": len(patients),
            "t1_patients_nc": int((patients["concurrent"] == "no").sum()),
            "t1_patients_c": int((patients["concurrent"] == "yes").sum()),
            "t1_lesions_total": len(d),
            "t1_lesions_nc": int((d["concurrent"] == "no").sum()),
            "t1_lesions_c": int((d["concurrent"] == "yes").sum()),
            "t1_age_median": float(patients["age"].median()),
            "t1_age_min": float(patients["age"].min()),
            "t1_age_max": float(patients["age"].max()),
            "r1_multi_lesion_patients_n": int((d.groupby("patient_id").size() > 1).sum()),
            "r2_lp_n": int(d["local_progression"].sum()),
            "r2_followup_median": followup(d)["observed"],
        }
    )
    rates = rates_at(d)
    out.update(
        {
            "r2_lpfr_1y": rates.loc["all", "lpfr"],
            "r2_os_1y": rates.loc["all", "os"],
            "r2_lpfr_1y_concurrent": rates.loc["yes", "lpfr"],
            "r2_lpfr_1y_nonconcurrent": rates.loc["no", "lpfr"],
            "r2_os_1y_concurrent": rates.loc["yes", "os"],
            "r2_os_1y_nonconcurrent": rates.loc["no", "os"],
        }
    )
    return out


#: Registry id -> why it cannot be reproduced (a method parameter, a literature figure, or a
#: number about something the synthetic cohort does not carry).
NOT_REPRODUCIBLE: dict[str, str] = {
    **{
        k: "a method parameter of the study, not a result"
        for k in (
            "alpha_beta",
            "sbrt_prescription_isodose",
            "non_sbrt_common_total_dose",
            "non_sbrt_common_fractions",
            "non_sbrt_dose_min",
            "non_sbrt_dose_max",
            "non_sbrt_fx_min_methods",
            "non_sbrt_fx_max_methods",
            "sbrt_24gy_3fx_dose",
            "sbrt_24gy_3fx_fx",
            "sbrt_40gy_5fx_dose",
            "sbrt_40gy_5fx_fx",
            "sbrt_48gy_4fx_dose",
            "sbrt_48gy_4fx_fx",
            "sbrt_18gy_1fx_dose",
            "sbrt_18gy_1fx_fx",
            "m4_imaging_interval_min",
            "m4_imaging_interval_max",
            "m4_imaging_interval_later",
            "m4_visit_first",
            "m4_visit_interval",
            "m4_nrs_min",
            "m4_nrs_max",
            "m5_alpha",
            "r1_pain_assessment_month",
        )
    },
    **{
        k: "the study period: a fact of the design, not a result"
        for k in (
            "abs_accrual_start_year",
            "abs_accrual_end_year",
            "m1_start_year",
            "m1_end_year",
        )
    },
    "intro_synchronous_pct": "a literature figure quoted in the Introduction",
    "intro_metachronous_pct": "a literature figure quoted in the Introduction",
    "disc_prior_study_n": "another study's patient count (Discussion)",
    "m1_max_lesions_per_patient": "metastases per patient, not treated lesions: not in the data",
    "m1_excluded_incomplete_rt_n": "excluded patients are not in the cohort",
    "m1_excluded_followup_n": "excluded patients are not in the cohort",
    "m1_mri_n": "the cohort has no imaging column",
    "m1_pet_n": "the cohort has no imaging column",
    **{
        f"m3_{d}_n": "the cohort has no drug column"
        for d in ("sunitinib", "sorafenib", "pazopanib", "temsirolimus", "everolimus")
    },
    "m3_before_rt_n": "the cohort has concurrent vs not, not the timing of the other drugs",
    "m3_after_rt_n": "the cohort has concurrent vs not, not the timing of the other drugs",
    **{
        f"t1_loc_{r}_n": "the cohort has no tumour location (the four counts sum to 36 for 28 "
        "lesions: lesions spanning regions are counted per region)"
        for r in ("cervical", "thoracic", "lumbar", "sacral")
    },
    "non_sbrt_bed_median": "the non-SBRT schedules are not printed (only 30 Gy/10 fx and the "
    "range): the median needs schedules with a BED7 just below 51.4 that the paper does not name",
    "non_sbrt_bed_max": "no printed non-SBRT schedule gives BED7 64 (the schedules are not "
    "printed)",
    "r1_pain_patients_n": "a patient-level count: the paper does not say how a patient with "
    "several lesions counts",
    "r4_nausea_n": "the cohort has no toxicity",
    "r4_fatigue_n": "the cohort has no toxicity",
    **{
        f"t3_{k}_{c}_n": "the cohort has no systemic progression (too little printed to build it)"
        for k in ("local", "systemic", "both", "none")
        for c in ("nc", "c")
    },
}


#: by-construction ids -> tolerance and why (the cohort's calibration, ``cohorts`` spec)
_BUILT_TOL = {
    **{
        k: (5.0, "calibrated within ±5 points (cohort spec)")
        for k in (
            "r2_lpfr_1y",
            "r2_lpfr_1y_concurrent",
            "r2_lpfr_1y_nonconcurrent",
            "r2_os_1y",
            "r2_os_1y_concurrent",
            "r2_os_1y_nonconcurrent",
            "abs_lpfr_1y",
        )
    },
    "r2_followup_median": (2.0, "median of observed times; calibrated within ±2 months"),
    "abs_followup_median": (2.0, "median of observed times; calibrated within ±2 months"),
}


def _by_construction_all(data: pd.DataFrame) -> dict[str, float]:
    """:func:`by_construction` plus the printed copies and the cohort's schedules."""
    d = prepare(data)
    out = by_construction(d)
    out["abs_lpfr_1y"] = out["r2_lpfr_1y"]
    out["abs_followup_median"] = out["r2_followup_median"]
    sched = d.dose_scheme.astype(str) == "SBRT"
    for s in _SBRT:
        dose, fx = s.split("_")[1:3]
        m = sched & (d.total_dose_gy == float(dose[:-2])) & (d.fractions == int(fx[:-2]))
        out[f"{s}_n"] = int(m.sum())
    out["t1_bed_median"] = float(d["bed7"].median())
    return out


def _emergent(data: pd.DataFrame, skip) -> dict:
    """Emergent Reproduced objects from :func:`analyse` and the replicates, with their step."""
    import dataclasses

    from ... import published

    D = _registry()
    values = {k: v for k, v in analyse(data).items() if k in D and k not in skip}
    from ... import cohorts

    reps = cohorts.load_replicates("park2016")
    sep = {
        "t2_uva_target": int(reps["_firth:t2_uva_target_hr"].sum()),
        "mva": int(reps["_firth:t2_mva_target_hr"].sum()),
    }
    out = {}
    for k, r in published.from_replicates(D, values).items():
        step = next((s for prefix, s in _STEPS if k.startswith(prefix)), "analyse")
        note = r.note or _EMERGENT_NOTES.get(k, "")
        n_sep = sep["t2_uva_target"] if k.startswith("t2_uva_target") else None
        if k.startswith(("t2_mva_", "abs_mva_", "r2_mva_")):
            n_sep = sep["mva"]
        if n_sep:
            what = (
                "no concurrent lesion progresses"
                if n_sep == sep["t2_uva_target"] and k.startswith("t2_uva")
                else "a factor separates the events (mostly: no concurrent lesion progresses)"
            )
            note = (
                f"in {n_sep} of {len(reps)} replicates {what}; the paper's 90% 1-year LPFR in 13 "
                "lesions leaves about one progression to expect. Those replicates are fitted "
                "by Firth's penalised likelihood, not dropped"
            )
        out[k] = dataclasses.replace(r, sources=(step,), note=note)
    return out


_EMERGENT_NOTES = {
    "r2_followup_min": "the exclusion of patients with < 2 months alive (the paper gives no "
    "threshold; read as 2 months) sets it",
    "abs_followup_min": "the exclusion of patients with < 2 months alive (the paper gives no "
    "threshold; read as 2 months) sets it",
    "r2_followup_max": "set by the model's censoring assumptions",
    "abs_followup_max": "set by the model's censoring assumptions",
}


@functools.cache
def comparison():
    """Every registered number of paper D once: recomputed, by construction, emergent, or not
    reproducible (:data:`NOT_REPRODUCIBLE`), as a :class:`spinemets.published.Comparison`.

    Table 2's hazard ratios and p-values are recomputed from their printed limits (the
    estimate is the geometric mean of a Wald interval's limits; the p follows, Altman & Bland
    2011); its limits, its copies in the abstract and text, the log-rank p-values, the timing
    of the progressions and the range of follow-up are emergent (judged on the 200 replicate
    cohorts); Table 1's counts and the 1-year rates are by construction.
    """
    from ... import cohorts, published
    from ...published import Reproduced

    D = _registry()
    data = prepare(cohorts.load("park2016"))
    rep: dict = {}
    for k, reason in NOT_REPRODUCIBLE.items():
        rep[k] = Reproduced(None, "emergent", note=reason)
    rep.update(recomputed())
    for k, x in _by_construction_all(data).items():
        if k in rep:
            continue
        tol, note = _BUILT_TOL.get(k, (None, "the cohort was built to match it"))
        rep[k] = Reproduced(float(x), "by construction", tol=tol, note=note, sources=(k,))
    rep.update(_emergent(data, set(rep)))
    missing = [k for k in D if k not in rep]
    if missing:
        raise ValueError(f"park2016 numbers without a label: {missing}")
    return published.compare(D, {k: rep[k] for k in D})
