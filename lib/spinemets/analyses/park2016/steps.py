"""Paper D's analysis steps: competing-risk coding, rates, Gray and log-rank tests, the Cox models,
Table 1, ``analyse``."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ... import survival as sv
from ..._validation import check_columns

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
    return sv.gray_k_sample(
        d["lp_months"], d["lp_code"], d["concurrent"].astype(str), event_of_interest=1
    )


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
