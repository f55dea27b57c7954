"""Paper D (Park et al. 2016), re-run on its synthetic cohort: one step function per analysis.

The chapter (``chapters/13_paper_d_park2016.md``) calls these steps one at a time;
:func:`analyse` runs them all and returns every *emergent* number (what came out of analysing
the synthetic cohort) keyed by its id in ``data/published/park2016.yaml``; :func:`by_construction`
returns the numbers the cohort was built to match (their agreement proves nothing).

The cohort has one row per lesion (28 lesions in 24 patients): ``lp_months`` and
``local_progression`` (SPINO local progression), ``os_months`` and ``death``. A lesion that did
not progress is followed until its patient's death or the end of follow-up, so the lesion's
competing-risk code (:func:`competing_codes`) is 1 local progression, 2 death without local
progression, 0 censored alive.

Assumptions stated where they are made: "SINS group" enters Table 2's Cox model as one HR, so
it is coded as an ordinal score 0, 1, 2 (0-6, 7-12, 13-18); the reference of every binary
factor is the first level of Table 1 (ECOG 0-1, nonconcurrent, no cord compression, no prior
RT, non-SBRT, BED < 51.4, no pain response). Cox models use Efron ties (R's default; the paper
used SPSS, whose default is Breslow) and, where said, the cluster-robust SE with the patient as
cluster.

References
----------
Park S, et al. Treatment outcome of radiation therapy and concurrent targeted molecular therapy
in spinal metastasis from renal cell carcinoma. Radiat Oncol J 2016;34:128-134.
Lin DY, Wei LJ. The robust inference for the Cox proportional hazards model. J Am Stat Assoc
1989;84:1074-1078.
Fine JP, Gray RJ. A proportional hazards model for the subdistribution of a competing risk.
J Am Stat Assoc 1999;94:496-509.
Heinze G, Schemper M. A solution to the problem of monotone likelihood in Cox regression.
Biometrics 2001;57:114-119.
Schemper M, Smith TL. A note on quantifying follow-up in studies of failure time. Control Clin
Trials 1996;17:343-346.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .. import survival as sv
from .._validation import check_columns

__all__ = [
    "TABLE2",
    "MVA",
    "REQUIRED",
    "prepare",
    "competing_codes",
    "rates_at",
    "km_vs_cif",
    "cif_curves",
    "gray",
    "logrank_tests",
    "univariate",
    "multivariable",
    "firth",
    "fine_gray",
    "epv",
    "followup",
    "event_times",
    "table1",
    "multivariable_table",
    "analyse",
    "by_construction",
    "recomputed",
    "comparison",
    "NOT_REPRODUCIBLE",
    "table2",
    "hr_text",
    "forest",
    "replicate_logrank",
    "separated_replicates",
    "power_simulation",
    "cluster_correction",
    "landmark",
    "bed_regrouping",
]

#: Table 2 row -> (cohort column, reference level or None for a numeric column)
TABLE2 = {
    "ecog": ("ECOG PS", "ecog_group", "0-1"),
    "target": ("Target therapy", "concurrent", "no"),
    "sins": ("SINS group", "sins_score", None),
    "cord": ("Cord compression", "cord_compression", "no"),
    "prior_rt": ("Prior irradiation", "prior_rt", "no"),
    "scheme": ("Dose scheme", "dose_scheme", "non-SBRT"),
    "bed": ("Radiation dose (BED)", "bed_group", "<51.4"),
    "pain": ("Pain response", "pain_response", "no"),
}
#: the factors of the paper's multivariable model (significant in its univariate analysis)
MVA = ("target", "cord", "pain")
REQUIRED = (
    "lesion_id",
    "patient_id",
    "age",
    "sex",
    "ecog_group",
    "concurrent",
    "cord_compression",
    "sins_group",
    "prior_rt",
    "dose_scheme",
    "bed_group",
    "pain_response",
    "lp_months",
    "local_progression",
    "os_months",
    "death",
)
_SINS = {"0-6": 0, "7-12": 1, "13-18": 2}


def competing_codes(data: pd.DataFrame) -> pd.Series:
    """Competing-risk code of each lesion: 1 local progression, 2 death first, 0 censored.

    A lesion without local progression whose follow-up ends at its patient's death
    (``death == 1`` and ``lp_months == os_months``) had the competing event.

    Raises
    ------
    ValueError
        If a column is missing or a lesion is followed for local progression beyond its
        patient's death (``lp_months > os_months``).
    """
    check_columns(data, ["lp_months", "local_progression", "os_months", "death"], "data")
    if (data["lp_months"] > data["os_months"] + 1e-9).any():
        bad = data.index[data["lp_months"] > data["os_months"] + 1e-9].tolist()
        raise ValueError(f"data: lp_months must not exceed os_months (rows {bad})")
    lp = data["local_progression"].to_numpy() == 1
    died = (data["death"].to_numpy() == 1) & np.isclose(data["lp_months"], data["os_months"])
    return pd.Series(np.where(lp, 1, np.where(died, 2, 0)), index=data.index, name="lp_code")


def prepare(data: pd.DataFrame) -> pd.DataFrame:
    """The cohort with the analysis columns added: ``lp_code`` and ``sins_score`` (0, 1, 2).

    Raises
    ------
    ValueError
        If a required column is missing or a SINS group is not one of 0-6, 7-12, 13-18.
    """
    check_columns(data, list(REQUIRED), "data")
    d = data.copy()
    sins = d["sins_group"].astype(str)
    if not sins.isin(list(_SINS)).all():
        raise ValueError(
            f"data['sins_group'] must be one of {', '.join(_SINS)}; got "
            f"{sorted(set(sins) - set(_SINS))}"
        )
    d["sins_score"] = sins.map(_SINS).astype(float)
    d["lp_code"] = competing_codes(d)
    return d


def rates_at(data: pd.DataFrame, months: float = 12.0) -> pd.DataFrame:
    """Kaplan-Meier LPFR and OS at ``months``, all lesions and by concurrent therapy (in %)."""
    d = prepare(data)
    rows = {}
    for name, s in [("all", d)] + [(str(g), s) for g, s in d.groupby("concurrent", observed=True)]:
        lp = sv.survival_at(s["lp_months"], s["local_progression"], [months]).iloc[0]
        os_ = sv.survival_at(s["os_months"], s["death"], [months]).iloc[0]
        rows[name] = {"lesions": len(s), "lpfr": 100 * lp["survival"], "os": 100 * os_["survival"]}
    return pd.DataFrame(rows).T.rename_axis("concurrent")


def cif_curves(data: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per group ("all", "no", "yes"): 1 - KM (death censored) and the CIF of local progression.

    Returns a dict of DataFrames with ``time`` (every distinct follow-up time of the group),
    ``one_minus_km`` and ``cif`` (right-continuous step values at those times).
    """
    d = prepare(data)
    out = {}
    for name, s in [("all", d)] + [(str(g), s) for g, s in d.groupby("concurrent", observed=True)]:
        km = sv.km_table(s["lp_months"], s["local_progression"])
        t = np.unique(s["lp_months"].to_numpy(dtype=float))
        km_s = _step(km, t, "survival")
        if (s["lp_code"] == 1).any():
            ci = sv.cumulative_incidence(s["lp_months"], s["lp_code"], event_of_interest=1)
            ci_s = _step_values(ci["time"].to_numpy(), ci["cif"].to_numpy(), t, 0.0)
        else:  # no local progression in this group: its CIF is 0
            ci_s = np.zeros(len(t))
        out[name] = pd.DataFrame({"time": t, "one_minus_km": 1 - km_s, "cif": ci_s})
    return out


def _step(km: pd.DataFrame, t: np.ndarray, col: str) -> np.ndarray:
    times = km["time"].to_numpy() if "time" in km else km.index.to_numpy(dtype=float)
    return _step_values(times, km[col].to_numpy(), t, 1.0)


def _step_values(times, values, t, before):
    idx = np.searchsorted(times, t, side="right") - 1
    return np.where(idx < 0, before, np.asarray(values)[np.clip(idx, 0, None)])


def km_vs_cif(data: pd.DataFrame, months: float = 12.0) -> pd.DataFrame:
    """Local progression by ``months`` (in %): 1 - KM (deaths censored) vs the CIF (death competing)."""
    rows = {}
    for name, c in cif_curves(data).items():
        i = np.searchsorted(c["time"].to_numpy(), months, side="right") - 1
        rows[name] = {
            "1 - KM": 100 * (c["one_minus_km"].iloc[i] if i >= 0 else 0.0),
            "CIF": 100 * (c["cif"].iloc[i] if i >= 0 else 0.0),
        }
    t = pd.DataFrame(rows).T.rename_axis("concurrent")
    t["overstatement"] = t["1 - KM"] - t["CIF"]
    return t


def gray(data: pd.DataFrame):
    """Gray's test of equal cumulative incidence of local progression, concurrent vs not."""
    d = prepare(data)
    return sv.gray_k_sample(d["lp_months"], d["lp_code"], d["concurrent"].astype(str), event_of_interest=1)


def logrank_tests(data: pd.DataFrame) -> dict[str, Any]:
    """Log-rank tests of LPFR and OS, concurrent vs not (the paper's p = 0.019 and 0.114)."""
    d = prepare(data)
    g = d["concurrent"].astype(str)
    return {
        "lpfr": sv.logrank(d["lp_months"], d["local_progression"], g),
        "os": sv.logrank(d["os_months"], d["death"], g),
    }


def _fit(d, keys, cluster):
    cols = [TABLE2[k][1] for k in keys]
    ref = {TABLE2[k][1]: TABLE2[k][2] for k in keys if TABLE2[k][2] is not None}
    return sv.cox(
        d,
        "lp_months",
        "local_progression",
        cols,
        reference=ref,
        cluster="patient_id" if cluster else None,
    )


def _rows(fit, keys):
    s = fit.summary
    out = {}
    for k, name in zip(keys, s.index):
        r = s.loc[name]
        row = {
            "variable": TABLE2[k][0],
            "hr": r["hr"],
            "lower": r["hr_lower"],
            "upper": r["hr_upper"],
            "p": r["p"],
            "se": r["se"],
        }
        if fit.se_naive is not None:
            se0 = float(fit.se_naive.loc[name])
            z = stats.norm.ppf(0.975)
            row.update(
                {
                    "se_naive": se0,
                    "lower_naive": np.exp(r["coef"] - z * se0),
                    "upper_naive": np.exp(r["coef"] + z * se0),
                    "p_naive": 2 * stats.norm.sf(abs(r["coef"]) / se0),
                }
            )
        out[k] = row
    return out


def univariate(data: pd.DataFrame) -> pd.DataFrame:
    """Table 2 UVA: one Cox model per factor, robust (patient-clustered) and naive SE side by side.

    Returns a DataFrame indexed by the Table 2 key with ``hr``, ``lower``/``upper`` and ``p``
    from the cluster-robust SE ``se``, and ``se_naive``, ``lower_naive``/``upper_naive``,
    ``p_naive`` from the model-based SE (lesions treated as independent, as the paper did).
    """
    d = prepare(data)
    rows = {}
    for k in TABLE2:
        try:
            rows.update(_rows(_fit(d, [k], True), [k]))
        except ValueError as e:
            if "runs to infinity" not in str(e) and "singular" not in str(e):
                raise
            # a replicate in which the factor separates the events (e.g. no progression in
            # one level): the ratio is not estimable by maximum likelihood; Firth's penalised
            # likelihood (Heinze & Schemper 2001) gives a finite estimate with profile
            # likelihood limits, as the paper's own sparse data call for. Marked "firth".
            rows[k] = _firth_rows(d, [k])[k]
    return pd.DataFrame.from_dict(rows, orient="index")


def _firth_rows(d, keys):
    """Rows like :func:`_rows` from Firth's penalised Cox model (no cluster term)."""
    fit = firth(d, keys)
    s = fit.summary
    out = {}
    for k, name in zip(keys, s.index):
        r = s.loc[name]
        out[k] = {
            "variable": TABLE2[k][0],
            "hr": r["hr"],
            "lower": r["hr_lower"],
            "upper": r["hr_upper"],
            "p": r["p"],
            "se": r["se"],
            "method": "firth",
        }
    return out


def multivariable(data: pd.DataFrame, keys=MVA, cluster: bool = True):
    """Table 2 MVA: Cox model of LPFR on concurrent therapy, cord compression and pain response."""
    return _fit(prepare(data), list(keys), cluster)


def multivariable_table(data: pd.DataFrame, keys=MVA) -> pd.DataFrame:
    """:func:`multivariable` as a table like :func:`univariate` (robust and naive SE)."""
    return pd.DataFrame.from_dict(_rows(multivariable(data, keys), list(keys)), orient="index")


def firth(data: pd.DataFrame, keys=MVA):
    """Firth-penalised Cox model of the MVA factors (profile-likelihood CIs; no cluster term)."""
    d = prepare(data)
    cols = [TABLE2[k][1] for k in keys]
    ref = {TABLE2[k][1]: TABLE2[k][2] for k in keys if TABLE2[k][2] is not None}
    return sv.firth_cox(d, "lp_months", "local_progression", cols, reference=ref)


def fine_gray(data: pd.DataFrame, keys=MVA):
    """Fine-Gray model of local progression with death as competing risk, clustered on patient."""
    d = prepare(data)
    cols = [TABLE2[k][1] for k in keys]
    ref = {TABLE2[k][1]: TABLE2[k][2] for k in keys if TABLE2[k][2] is not None}
    return sv.fine_gray(
        d, "lp_months", "lp_code", cols, event_of_interest=1, cluster="patient_id", reference=ref
    )


def epv(data: pd.DataFrame, keys=None):
    """Events per variable: all eight Table 2 factors screened (default), or ``keys``."""
    d = prepare(data)
    keys = list(TABLE2) if keys is None else list(keys)
    cols = [TABLE2[k][1] for k in keys]
    return sv.events_per_variable(d, "local_progression", cols)


def followup(data: pd.DataFrame) -> dict[str, float]:
    """Median follow-up three ways (months): reverse KM, all observed times, survivors only."""
    d = prepare(data)
    rkm = sv.median_followup(d["os_months"], d["death"])
    alive = d.loc[d["death"] == 0, "os_months"]
    return {
        "reverse_km": float(rkm.median),
        "observed": float(np.median(d["os_months"])),
        "survivors": float(np.median(alive)) if len(alive) else float("nan"),
        "min": float(d["os_months"].min()),
        "max": float(d["os_months"].max()),
    }


def event_times(data: pd.DataFrame) -> dict[str, float]:
    """Median, shortest and longest time to local progression among the progressed lesions."""
    t = prepare(data).query("local_progression == 1")["lp_months"]
    return {
        "n": int(len(t)),
        "median": float(t.median()),
        "min": float(t.min()),
        "max": float(t.max()),
    }


def table1(data: pd.DataFrame) -> pd.DataFrame:
    """Table 1 rebuilt: patient-level rows (sex, ECOG) over patients, the rest over lesions.

    Returns a long DataFrame with ``variable``, ``level``, ``unit`` (patients / lesions) and the
    counts ``total``, ``no`` and ``yes`` (nonconcurrent / concurrent).
    """
    d = prepare(data)
    patients = d.drop_duplicates("patient_id")
    rows = []
    for var, unit, frame in [
        ("sex", "patients", patients),
        ("ecog_group", "patients", patients),
        ("cord_compression", "lesions", d),
        ("sins_group", "lesions", d),
        ("prior_rt", "lesions", d),
        ("dose_scheme", "lesions", d),
        ("bed_group", "lesions", d),
        ("pain_response", "lesions", d),
    ]:
        tab = pd.crosstab(frame[var], frame["concurrent"])
        for lev in frame[var].cat.categories:
            r = tab.loc[lev] if lev in tab.index else pd.Series({"no": 0, "yes": 0})
            rows.append(
                {
                    "variable": var,
                    "level": lev,
                    "unit": unit,
                    "total": int(r.sum()),
                    "no": int(r.get("no", 0)),
                    "yes": int(r.get("yes", 0)),
                }
            )
    return pd.DataFrame(rows)


_T1_IDS = {
    ("sex", "male"): "sex_male",
    ("sex", "female"): "sex_female",
    ("ecog_group", "0-1"): "ecog_01",
    ("ecog_group", "2-4"): "ecog_24",
    ("cord_compression", "no"): "cord_no",
    ("cord_compression", "yes"): "cord_yes",
    ("sins_group", "0-6"): "sins_0_6",
    ("sins_group", "7-12"): "sins_7_12",
    ("sins_group", "13-18"): "sins_13_18",
    ("prior_rt", "no"): "prior_no",
    ("prior_rt", "yes"): "prior_yes",
    ("dose_scheme", "non-SBRT"): "scheme_non_sbrt",
    ("dose_scheme", "SBRT"): "scheme_sbrt",
    ("bed_group", "<51.4"): "bed_lt514",
    ("bed_group", ">=51.4"): "bed_ge514",
    ("pain_response", "no"): "pain_no",
    ("pain_response", "yes"): "pain_yes",
}
_OLD_IDS = {
    "t1_bed_lt514_total_n": "t1_bed_lt514_n",
    "t1_bed_ge514_total_n": "t1_bed_ge514_n",
    "t1_scheme_non_sbrt_total_n": "t1_scheme_non_sbrt_n",
    "t1_scheme_sbrt_total_n": "t1_scheme_sbrt_n",
}


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


def analyse(data: pd.DataFrame) -> dict[str, float]:
    """Every emergent number of paper D from one cohort, keyed by registry id.

    Table 2 (univariate and multivariable HR, CI limits and p, with the patient-clustered robust
    SE; where maximum likelihood runs to infinity because the factor separates the events, from
    Firth's penalised likelihood with profile limits, flagged in the ``_firth:<id>`` columns, 1
    when that estimate came from Firth), its copies in the abstract and text, the log-rank
    p-values of LPFR and OS, the timing
    of the local progressions and the range of follow-up.
    """
    d = prepare(data)
    out: dict[str, float] = {}
    uva = univariate(d)
    for k, r in uva.iterrows():
        for f in ("hr", "lower", "upper", "p"):
            out[f"t2_uva_{k}_{f}"] = float(r[f])
    for k, r in uva.iterrows():  # which replicates needed Firth (see from_replicates)
        out[f"_firth:t2_uva_{k}_hr"] = float(r.get("method") == "firth")
    try:
        mva = multivariable_table(d)
        out["_firth:t2_mva_target_hr"] = 0.0
    except ValueError as e:
        if "runs to infinity" not in str(e) and "singular" not in str(e):
            raise
        mva = pd.DataFrame.from_dict(_firth_rows(d, list(MVA)), orient="index")
        out["_firth:t2_mva_target_hr"] = 1.0
    for k in MVA[1:]:
        out[f"_firth:t2_mva_{k}_hr"] = out["_firth:t2_mva_target_hr"]
    for k, r in mva.iterrows():
        for f in ("hr", "lower", "upper", "p"):
            out[f"t2_mva_{k}_{f}"] = float(r[f])
    for f in ("hr", "lower", "upper"):
        out[f"abs_mva_target_{f}"] = out[f"r2_mva_target_{f}"] = out[f"t2_mva_target_{f}"]
        out[f"r2_mva_pain_{f}"] = out[f"t2_mva_pain_{f}"]
    lr = logrank_tests(d)
    out["abs_lpfr_logrank_p"] = out["r2_lpfr_logrank_p"] = float(lr["lpfr"].p_value)
    out["r2_os_logrank_p"] = float(lr["os"].p_value)
    et = event_times(d)
    out.update(
        {
            "r2_lp_time_median": et["median"],
            "r2_lp_time_min": et["min"],
            "r2_lp_time_max": et["max"],
        }
    )
    fu = followup(d)
    out.update(
        {
            "r2_followup_min": fu["min"],
            "r2_followup_max": fu["max"],
            "abs_followup_min": fu["min"],
            "abs_followup_max": fu["max"],
        }
    )
    return out


# --------------------------------------------------------------------------------------------
# The audit: every registered number of paper D once, with its label, reason and sources
# --------------------------------------------------------------------------------------------

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

#: the printed SBRT schedules (Methods 2): registry prefix -> lesion count id
_SBRT = ("sbrt_24gy_3fx", "sbrt_40gy_5fx", "sbrt_48gy_4fx", "sbrt_18gy_1fx")
#: Table 1 denominators: patient rows (sex, ECOG) count patients, the rest count lesions
_T1_DENOM = {
    "patients": {"total": "t1_patients_total", "nc": "t1_patients_nc", "c": "t1_patients_c"},
    "lesions": {"total": "t1_lesions_total", "nc": "t1_lesions_nc", "c": "t1_lesions_c"},
}
#: emergent ids -> the analysis step that produces them
_STEPS = (
    ("t2_uva_", "univariate"),
    ("t2_mva_", "multivariable"),
    ("abs_mva_", "multivariable"),
    ("r2_mva_", "multivariable"),
    ("abs_lpfr_logrank", "logrank_tests"),
    ("r2_lpfr_logrank", "logrank_tests"),
    ("r2_os_logrank", "logrank_tests"),
    ("r2_lp_time", "event_times"),
    ("r2_followup", "followup"),
    ("abs_followup", "followup"),
)


def _bed(dose: float, fx: float, ab: float) -> float:
    return dose * (1 + dose / fx / ab)


def _registry():
    from .. import published

    return published.load("park2016")


def _p_from_ci(D, key: str):
    """Recomputed p of a Table 2 row: tolerance = its range over the rounding of HR and CI,
    plus half a unit of the printed p (Altman & Bland 2011)."""
    from .. import screen
    from ..published import Reproduced

    ids = [f"t2_{key}_{f}" for f in ("hr", "lower", "upper")]
    q = screen.p_from_ci(*(D[i].text for i in ids))
    tol = max(q.p - q.p_min, q.p_max - q.p) + D[f"t2_{key}_p"].default_tolerance
    return Reproduced(
        q.p,
        "recomputed",
        tol=tol,
        note="Wald p from the printed HR and CI (Altman-Bland); tol = its rounding range",
        sources=tuple(ids),
    )


def _hr_from_ci(D, key: str):
    """Geometric mean of the printed limits; tolerance = its range over their rounding."""
    from ..published import Reproduced

    lo, hi = D[f"t2_{key}_lower"], D[f"t2_{key}_upper"]
    gm = float(np.sqrt(lo.value * hi.value))
    h_lo, h_hi = lo.default_tolerance, hi.default_tolerance
    span = max(
        gm - np.sqrt((lo.value - h_lo) * (hi.value - h_hi)),
        np.sqrt((lo.value + h_lo) * (hi.value + h_hi)) - gm,
    )
    return Reproduced(
        gm,
        "recomputed",
        tol=float(span) + D[f"t2_{key}_hr"].default_tolerance,
        note="sqrt(lower x upper); tol = rounding of all three",
        sources=(lo.id, hi.id),
    )


_T3_NOTES = {
    ("none", "c"): "4/13 = 30.77 printed 30.7: truncated, not rounded (Table 1 prints 30.8)",
    ("systemic", "c"): "9/13 = 69.23 printed 69.3 = 100 - 30.7, the complement of a truncated "
    "value (Table 1 prints 69.2)",
}


def recomputed() -> dict:
    """Every number of paper D recomputed from *other* printed numbers (id -> Reproduced)."""
    from ..published import Reproduced

    D = _registry()
    v = D.value
    out: dict = {}

    def rec(nid, value, note, *sources, **kw):
        out[nid] = Reproduced(float(value), "recomputed", note=note, sources=sources, **kw)

    def pct(nid, count, denom, note=None):
        rec(nid, 100 * v(count) / v(denom), note or f"{count} / {denom}", count, denom)

    # Table 2: every HR from its limits, every p from HR and limits
    for k in [f"uva_{k}" for k in TABLE2] + [f"mva_{k}" for k in MVA]:
        out[f"t2_{k}_hr"] = _hr_from_ci(D, k)
        out[f"t2_{k}_p"] = _p_from_ci(D, k)
    # Table 1 percentages: count / its column's denominator (patients or lesions)
    for (var, _lev), key in _T1_IDS.items():
        unit = "patients" if var in ("sex", "ecog_group") else "lesions"
        for col in ("total", "nc", "c"):
            nid = f"t1_{key}_{col}_n"
            count = _OLD_IDS.get(nid, nid)
            pid = f"t1_{key}_{col}_pct"
            pct(pid if pid in D else f"t1_{key}_pct", count, _T1_DENOM[unit][col])
    for r in ("cervical", "thoracic", "lumbar", "sacral"):
        pct(
            f"t1_loc_{r}_pct",
            f"t1_loc_{r}_n",
            "t1_lesions_total",
            note="count / 28 lesions; the printed percentages are of 36 (1 + 9 + 16 + 10)",
        )
    # counts that other printed counts add up to
    lesions = ("t1_lesions_nc", "t1_lesions_c")
    for nid in ("n_lesions", "m1_n_lesions", "m2_n_lesions", "r1_n_lesions", "r1_n_lesions_total"):
        rec(nid, v(lesions[0]) + v(lesions[1]), "Table 1: 15 + 13 lesions", *lesions)
    patients = ("t1_patients_nc", "t1_patients_c")
    for nid in ("n_patients", "r1_n_patients"):
        rec(nid, v(patients[0]) + v(patients[1]), "Table 1: 13 + 11 patients", *patients)
    sbrt = [f"{s}_n" for s in _SBRT]
    rec("n_lesions_sbrt", sum(v(i) for i in sbrt), "sum of the four SBRT schedules", *sbrt)
    rec("r1_sbrt_n", sum(v(i) for i in sbrt), "sum of the four SBRT schedules", *sbrt)
    rec(
        "n_lesions_non_sbrt",
        v("t1_scheme_non_sbrt_nc_n") + v("t1_scheme_non_sbrt_c_n"),
        "Table 1: non-SBRT, both arms",
        "t1_scheme_non_sbrt_nc_n",
        "t1_scheme_non_sbrt_c_n",
    )
    rec(
        "r1_non_sbrt_n",
        v("n_lesions") - v("n_lesions_sbrt"),
        "28 lesions - 8 SBRT (Methods 2)",
        "n_lesions",
        "n_lesions_sbrt",
    )
    for col in ("nc", "c"):
        t3 = [f"t3_{k}_{col}_n" for k in ("local", "systemic", "both", "none")]
        nid = "abs_concurrent_lesions_n" if col == "c" else "abs_nonconcurrent_lesions_n"
        rec(nid, sum(v(i) for i in t3), "Table 3 column sum", *t3)
    rec(
        "r1_cord_n",
        v("t1_cord_yes_nc_n") + v("t1_cord_yes_c_n"),
        "Table 1: cord compression, both arms",
        "t1_cord_yes_nc_n",
        "t1_cord_yes_c_n",
    )
    pct("r1_cord_pct", "r1_cord_n", "t1_lesions_total")
    sins = [f"t1_sins_{g}_total_n" for g in ("0_6", "7_12", "13_18")]
    rec("r1_sins_n", sum(v(i) for i in sins), "Table 1: the SINS groups add up", *sins)
    rec(
        "r1_pain_lesions_n",
        v("t1_pain_yes_nc_n") + v("t1_pain_yes_c_n"),
        "Table 1: pain response, both arms",
        "t1_pain_yes_nc_n",
        "t1_pain_yes_c_n",
    )
    pct("r1_pain_lesions_pct", "r1_pain_lesions_n", "t1_lesions_total")
    pct("r1_pain_patients_pct", "r1_pain_patients_n", "t1_patients_total")
    # Methods 3 and Results 1: targeted therapy
    timing = ("m3_before_rt_n", "m3_after_rt_n", "m3_concurrent_n")
    rec("m3_targeted_any_n", sum(v(i) for i in timing), "before + after + concurrent", *timing)
    drugs = [f"m3_{d}_n" for d in ("sunitinib", "sorafenib", "pazopanib", "temsirolimus")]
    drugs.append("m3_everolimus_n")
    rec("r1_targeted_any_n", sum(v(i) for i in drugs), "sum over the five drugs", *drugs)
    pct("r1_targeted_any_pct", "r1_targeted_any_n", "t1_patients_total")
    rec(
        "m3_never_n",
        v("t1_patients_total") - v("m3_targeted_any_n"),
        "24 patients - 22 ever treated",
        "t1_patients_total",
        "m3_targeted_any_n",
    )
    rec(
        "m3_concurrent_n",
        v("t1_patients_c"),
        "Table 1 header: concurrent patients",
        "t1_patients_c",
    )
    rec(
        "r1_concurrent_patients_n",
        v("t1_patients_c"),
        "Table 1 header and Methods 3 say 11 patients; 13 is the concurrent lesion count",
        "t1_patients_c",
        "m3_concurrent_n",
    )
    pct("r1_concurrent_patients_pct", "r1_concurrent_patients_n", "t1_patients_total")
    rec(
        "m1_excluded_n",
        v("m1_excluded_incomplete_rt_n") + v("m1_excluded_followup_n"),
        "4 incomplete RT + 7 insufficient follow-up",
        "m1_excluded_incomplete_rt_n",
        "m1_excluded_followup_n",
    )
    # radiobiology: BED7 of the printed schedules (Methods 2)
    ab = v("alpha_beta")
    sched = {s: (v(f"{s}_dose"), v(f"{s}_fx"), v(f"{s}_n")) for s in _SBRT}
    src = tuple(f"{s}_{f}" for s in _SBRT for f in ("dose", "fx")) + ("alpha_beta",)
    beds = np.repeat(
        [_bed(d, f, ab) for d, f, _ in sched.values()], [n for *_, n in sched.values()]
    )
    cut = ("sbrt_24gy_3fx_dose", "sbrt_24gy_3fx_fx", "alpha_beta")
    rec("bed_cutoff", _bed(*sched["sbrt_24gy_3fx"][:2], ab), "BED7 of 24 Gy/3 fx", *cut)
    rec("sbrt_bed_min", beds.min(), "BED7 of the printed SBRT schedules: lowest", *src)
    rec("sbrt_bed_max", beds.max(), "BED7 of 48 Gy/4 fx", *src)
    rec("t1_bed_max", beds.max(), "BED7 of 48 Gy/4 fx (the highest of any schedule)", *src)
    rec(
        "sbrt_bed_median",
        np.median(beds),
        "median BED7 of the 8 SBRT lesions on their printed schedules (3 x 51.4, 85.7, "
        "130.3, 3 x 64.3): 64.3",
        *src,
        *(f"{s}_n" for s in _SBRT),
    )
    rec("sbrt_fx_min", min(f for _, f, _ in sched.values()), "printed SBRT schedules", *src)
    rec("sbrt_fx_max", max(f for _, f, _ in sched.values()), "printed SBRT schedules", *src)
    nmin = ("non_sbrt_dose_min", "non_sbrt_fx_min_methods", "alpha_beta")
    low = _bed(v(nmin[0]), v(nmin[1]), ab)
    rec("non_sbrt_bed_min", low, "BED7 of 20 Gy/5 fx (lowest dose, fewest fractions)", *nmin)
    rec("t1_bed_min", low, "BED7 of 20 Gy/5 fx", *nmin)
    rec(
        "non_sbrt_fx_min_results",
        v("non_sbrt_fx_min_methods"),
        "Methods 2: 5-12 fractions",
        "non_sbrt_fx_min_methods",
    )
    rec(
        "non_sbrt_fx_max_results",
        v("non_sbrt_fx_max_methods"),
        "Methods 2 say 5-12 fractions, Results 1 says 5-21 for the same 20 lesions",
        "non_sbrt_fx_max_methods",
    )
    # Results 2-4 and Table 3
    pct("r2_lp_pct", "r2_lp_n", "t1_lesions_total")
    for key in ("local", "systemic", "both", "none"):
        for col, denom in (("nc", "t1_lesions_nc"), ("c", "t1_lesions_c")):
            pct(f"t3_{key}_{col}_pct", f"t3_{key}_{col}_n", denom, note=_T3_NOTES.get((key, col)))
    rec(
        "r3_local_first_with_systemic_n",
        v("t3_both_nc_n") + v("t3_both_c_n"),
        "Table 3: local + systemic, both arms",
        "t3_both_nc_n",
        "t3_both_c_n",
    )
    rec(
        "r3_local_first_without_systemic_n",
        v("t3_local_nc_n") + v("t3_local_c_n"),
        "Table 3: local only, both arms",
        "t3_local_nc_n",
        "t3_local_c_n",
    )
    loc = ("t3_local_nc_n", "t3_both_nc_n", "t3_local_c_n", "t3_both_c_n")
    rec(
        "r3_local_first_n",
        sum(v(i) for i in loc),
        "Table 3: local + both. 4 of the 10 local progressions were first failures; the other 6 "
        "came after a systemic one, so 'none of the concurrent lesions recurred primarily at the "
        "local site' holds for first failures only",
        *loc,
    )
    rec(
        "r4_tox_g1_n",
        v("r4_nausea_n") + v("r4_fatigue_n"),
        "2 nausea + 2 fatigue",
        "r4_nausea_n",
        "r4_fatigue_n",
    )
    for k in ("tox_g1", "nausea", "fatigue"):
        pct(f"r4_{k}_pct", f"r4_{k}_n", "t1_patients_total")
    return out


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

    from .. import published

    D = _registry()
    values = {k: v for k, v in analyse(data).items() if k in D and k not in skip}
    from .. import cohorts

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
    from .. import cohorts, published
    from ..published import Reproduced

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


# --------------------------------------------------------------------------------------------
# What the chapter shows: the paper's Table 2 beside ours, the replicates, the simulations
# --------------------------------------------------------------------------------------------


def _printed_row(D, row: str) -> tuple[str, str]:
    e, lo, hi, p = (D[f"t2_{row}_{f}"].text for f in ("hr", "lower", "upper", "p"))
    return f"{e} ({lo}-{hi})", p


def _p_text(p: float) -> str:
    return "p < 0.001" if p < 0.0005 else f"p = {p:.3f}"


def hr_text(summary: pd.DataFrame) -> pd.Series:
    """Each row of a fit's summary (``hr``, ``hr_lower``, ``hr_upper``, ``p``) as one string.

    "HR (lower-upper), p = x", two decimals: a table of a few such columns stays readable
    in a narrow column (a phone), where eight numeric columns would wrap inside numbers.
    """
    check_columns(summary, ("hr", "hr_lower", "hr_upper", "p"), name="summary")
    return pd.Series(
        [
            f"{r.hr:.2f} ({r.hr_lower:.2f}-{r.hr_upper:.2f}), {_p_text(r.p)}"
            for r in summary.itertuples()
        ],
        index=summary.index,
    )


def table2(data: pd.DataFrame, compact: bool = False) -> pd.DataFrame:
    """Table 2 as printed beside the same Cox models on ``cohort``, naive and cluster-robust.

    Rows are "UVA <factor>" and "MVA <factor>"; columns the paper's HR (CI) and p, then the
    cohort's HR, the naive (model-based) CI and p, the robust (patient-clustered) CI and p.
    With ``compact=True`` the same numbers in three text columns (paper; cohort with the
    naive CI; cohort with the robust CI), each "HR (CI), p", for a narrow page.
    """
    D = _registry()
    d = prepare(data)
    rows = {}
    for model, fit in (("UVA", univariate(d)), ("MVA", multivariable_table(d))):
        for k, r in fit.iterrows():
            paper, p = _printed_row(D, f"{model.lower()}_{k}")
            naive = "se_naive" in r and pd.notna(r.get("se_naive"))
            if compact:
                hr = f"{r['hr']:.2f}"
                rows[f"{model} {TABLE2[k][0]}"] = {
                    "paper": f"{paper}, p = {p}",
                    "cohort, naive CI": (
                        f"{hr} ({r['lower_naive']:.2f}-{r['upper_naive']:.2f}), "
                        f"{_p_text(r['p_naive'])}"
                        if naive
                        else ""
                    ),
                    "cohort, robust CI": (
                        f"{hr} ({r['lower']:.2f}-{r['upper']:.2f}), {_p_text(r['p'])}"
                    ),
                }
                continue
            rows[f"{model} {TABLE2[k][0]}"] = {
                "paper HR (CI)": paper,
                "paper p": p,
                "cohort HR": round(r["hr"], 2),
                "naive CI": f"{r['lower_naive']:.2f}-{r['upper_naive']:.2f}" if naive else "",
                "naive p": round(r["p_naive"], 3) if naive else np.nan,
                "robust CI": f"{r['lower']:.2f}-{r['upper']:.2f}",
                "robust p": round(r["p"], 3),
            }
    return pd.DataFrame(rows).T


def forest(data: pd.DataFrame) -> pd.DataFrame:
    """The frame for :func:`spinemets.plots.forest_plot`: the paper's HR and CI, this cohort's
    (robust CI) and the central 95% of the 200 replicate cohorts' HRs, per Table 2 row."""
    from .. import cohorts

    D = _registry()
    reps = cohorts.load_replicates("park2016")
    d = prepare(data)
    rows = []
    for model, fit, keys in (("UVA", univariate(d), TABLE2), ("MVA", multivariable_table(d), MVA)):
        for k in keys:
            i = f"t2_{model.lower()}_{k}"
            rep = reps[f"{i}_hr"].replace([np.inf, 0], np.nan).dropna()
            rows.append(
                {
                    "name": f"{model} {TABLE2[k][0]}",
                    "published": D.value(f"{i}_hr"),
                    "published_lower": D.value(f"{i}_lower"),
                    "published_upper": D.value(f"{i}_upper"),
                    "ours": fit["hr"][k],
                    "ours_lower": fit["lower"][k],
                    "ours_upper": fit["upper"][k],
                    "rep_lower": rep.quantile(0.025),
                    "rep_upper": rep.quantile(0.975),
                }
            )
    return pd.DataFrame(rows).set_index("name")


def replicate_logrank() -> pd.Series:
    """The headline log-rank p (LPFR, concurrent vs not) over the 200 replicate cohorts.

    The replicates come from the cohort's generating model (calibrated to the arms' 1-year
    rates, with the published MVA HRs of cord compression and pain response): this is the
    rejection rate under that model, *not* the power at the published concurrent-therapy HR.
    """
    from .. import cohorts

    reps = cohorts.load_replicates("park2016")
    return reps["r2_lpfr_logrank_p"].dropna().rename("log-rank p")


def separated_replicates() -> dict[str, float]:
    """How many replicates the concurrent-therapy factor separates (no progression in one arm,
    so the Cox HR is fitted by Firth), and the median univariate HR of the others."""
    from .. import cohorts

    reps = cohorts.load_replicates("park2016")
    hr = reps["t2_uva_target_hr"].replace([np.inf, 0], np.nan)
    firth_ = reps["_firth:t2_uva_target_hr"] == 1
    return {
        "replicates": int(len(reps)),
        "separated": int(firth_.sum()),
        "median HR (not separated)": float(hr[~firth_].median()),
        "median HR (all, Firth where separated)": float(hr.median()),
    }


def _logrank_p(t: np.ndarray, e: np.ndarray, arm: np.ndarray) -> float:
    """Two-group log-rank p for continuous (untied) times: the fast inner loop of
    :func:`power_simulation` (tested against lifelines' ``logrank_test``)."""
    order = np.argsort(t, kind="stable")
    e, arm = e[order], arm[order]
    n = np.arange(len(t), 0, -1, dtype=float)  # at risk just before each time
    n1 = np.cumsum(arm[::-1])[::-1].astype(float)
    ev = e == 1
    frac = n1[ev] / n[ev]
    o_minus_e = np.sum(arm[ev] - frac)
    var = np.sum(frac * (1 - frac))
    return float(stats.chi2.sf(o_minus_e**2 / var, 1)) if var > 0 else 1.0


def power_simulation(hr: float, n_sim: int = 1000, seed: int = 2016) -> dict[str, float]:
    """Log-rank power of a study of paper D's size when the cause-specific HR of local
    progression (concurrent vs not) is ``hr``.

    The model is written from the paper's printed numbers only: 15 nonconcurrent and 13
    concurrent lesions, independent; the nonconcurrent hazard of local progression gives a
    1-year LPFR of 51.3%, the concurrent hazard is ``hr`` times it; each arm's death hazard gives
    its 1-year OS (72.2%, 46.2%); censoring uniform on 2-58 months (the printed range of
    follow-up); exponential times throughout. Unlike the replicate cohorts, this model carries
    the published effect, so its rejection rate is a power fixed *before* seeing the result
    (Hoenig & Heisey 2001: the "observed power" computed from a study's own estimate is a
    function of its p and adds nothing).
    """
    from .._validation import check_positive, check_positive_int, check_seed

    check_positive(hr, "hr")
    n_sim = check_positive_int(n_sim, "n_sim")
    rng = np.random.default_rng(check_seed(seed))
    arm = np.r_[np.zeros(15, int), np.ones(13, int)]
    h_lp = -np.log(0.513) / 12 * np.where(arm == 1, hr, 1.0)
    h_death = -np.log(np.where(arm == 1, 0.462, 0.722)) / 12
    p, events = [], []
    for _ in range(int(n_sim)):
        t_lp, t_death = rng.exponential(1 / h_lp), rng.exponential(1 / h_death)
        t_obs = np.minimum.reduce([t_lp, t_death, rng.uniform(2, 58, arm.size)])
        event = (t_lp == t_obs).astype(int)
        events.append(event.sum())
        p.append(_logrank_p(t_obs, event, arm) if event.any() else 1.0)
    power = float(np.mean(np.array(p) < 0.05))
    return {
        "mean local progressions": float(np.mean(events)),
        "power (log-rank p < 0.05)": power,
        "Monte Carlo SE": float(np.sqrt(power * (1 - power) / n_sim)),
    }


def cluster_correction(data: pd.DataFrame, key: str = "pain") -> dict[str, float]:
    """The MVA p of ``key`` three ways: model-based SE, robust SE, and robust SE with the
    few-cluster correction (SE x sqrt(G / (G - 1)), t reference with G - 1 df; Cameron &
    Miller 2015)."""
    if key not in MVA:
        raise ValueError(f"key must be one of {list(MVA)}; got {key!r}")
    d = prepare(data)
    mva = multivariable_table(d)
    g = d["patient_id"].nunique()
    se = mva["se"][key] * np.sqrt(g / (g - 1))
    return {
        "clusters": float(g),
        "p, model-based SE": float(mva["p_naive"][key]),
        "p, robust SE": float(mva["p"][key]),
        "p, robust SE, few-cluster correction": float(
            2 * stats.t.sf(abs(np.log(mva["hr"][key])) / se, g - 1)
        ),
    }


def landmark(data: pd.DataFrame, landmark_time: float = 1.0) -> pd.DataFrame:
    """The MVA refitted from a landmark: lesions still followed and progression-free at
    ``landmark_time`` months, times measured from then, pain response as a baseline covariate
    of that analysis. Cox with robust SE, or Firth's fit when a factor separates the few
    events left (column ``method``). Returns the HR table with ``lesions`` and ``events``."""
    d = prepare(data)
    if not (isinstance(landmark_time, (int, float)) and 0 < landmark_time < d.lp_months.max()):
        raise ValueError(
            f"landmark_time must be a number of months in (0, {d.lp_months.max():g}); got "
            f"{landmark_time!r}"
        )
    lm = d[d.lp_months >= landmark_time].assign(lp_months=lambda x: x.lp_months - landmark_time)
    cols = [TABLE2[k][1] for k in MVA]
    ref = {TABLE2[k][1]: TABLE2[k][2] for k in MVA}
    try:
        fit = sv.cox(
            lm, "lp_months", "local_progression", cols, reference=ref, cluster="patient_id"
        )
        how = "Cox, robust SE"
    except ValueError:
        fit = sv.firth_cox(lm, "lp_months", "local_progression", cols, reference=ref)
        how = "Firth (separation)"
    t = fit.summary[["hr", "hr_lower", "hr_upper", "p"]].copy()
    t.index = [TABLE2[k][0] for k in MVA]
    return t.assign(method=how, lesions=len(lm), events=int(lm.local_progression.sum()))


def bed_regrouping(data: pd.DataFrame):
    """Does the BED7 cutoff (24 Gy/3 fx) keep the cohort's schedules in the same groups at every
    alpha/beta from 2 to 15? (:func:`spinemets.radiobiology.bed_split_regroups` on the
    schedules the cohort assumes; the paper does not print the non-SBRT ones.) Returns the
    crossings with the number of lesions on each crossing schedule."""
    from .. import radiobiology as rb

    d = prepare(data)
    name = d.total_dose_gy.map("{:g}".format) + " Gy/" + d.fractions.astype(str) + " fx"
    used = (
        d.assign(schedule=name)
        .groupby("schedule")
        .agg(
            lesions=("lesion_id", "size"),
            dose=("total_dose_gy", "first"),
            fx=("fractions", "first"),
        )
    )
    split = rb.bed_split_regroups(
        {s: (r.dose, r.fx) for s, r in used.iterrows()}, "24 Gy/3 fx", 7, (2, 15)
    )
    return split["crossings"].assign(lesions=lambda t: t.schedule.map(used.lesions))
