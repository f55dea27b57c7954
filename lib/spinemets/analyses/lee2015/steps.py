"""Paper C's analysis steps: rescoring, Tables 1 and 2, discrimination, ``analyse`` and
``by_construction``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import scores, survival
from ...discrimination import concordance
from ...published import Registry
from ...published import load as load_registry

PAPER = "lee2015"


DURATION, EVENT = "os_days", "death"


#: Table 1: registry key -> (cohort column, {registry level: cohort level}).
TABLE1 = {
    "age": ("age_group", {"lt65": "<65", "ge65": ">=65"}),
    "sex": ("sex", {"male": "male", "female": "female"}),
    "level": ("level_group", {"cervical": "cervical", "thoracic": "thoracic", "lumbar": "lumbar"}),
    "child_pugh": ("child_pugh", {"a": "A", "b": "B", "c": "C"}),
    "ambulation": ("ambulation", {"possible": "possible", "not_possible": "not possible"}),
    "preop_rt": (
        "preop_rt",
        {
            "before30": "before 30 days from operation",
            "within30": "within 30 days from operation",
            "after30": "after 30 days from operation",
        },
    ),
    "operation": (
        "operation_type",
        {
            "anterior": "anterior with fusion",
            "posterior": "posterior with fusion",
            "combined": "combined",
            "decompression": "decompression only",
            "fixation": "fixation only",
        },
    ),
    "sorafenib": ("sorafenib", {"yes": "yes", "no": "no"}),
}


#: Table 2: registry key -> (cohort column, {registry level: cohort level}).
TABLE2 = {
    "tokuhashi": ("tokuhashi_group", {"a": "A", "b": "B", "c": "C"}),
    "tokuhashi_rev": ("tokuhashi_group_ref20", {"a": "A", "b": "B", "c": "C"}),
    "tomita": ("tomita_group", {"i": "I", "ii": "II", "iii": "III", "iv": "IV"}),
    "tomita_rev": ("tomita_group_ref20", {"i": "I", "ii": "II", "iii": "III", "iv": "IV"}),
}


#: The bands in Table 2's row labels, as printed: score -> [(group, lowest, highest)].
BANDS_AS_PRINTED = {
    "tokuhashi": [("A", 0, 8), ("B", 9, 11), ("C", 12, 15)],
    "tokuhashi_rev": [("A", 0, 5), ("B", 6, 9), ("C", 10, 15)],
    "tomita": [("I", 2, 3), ("II", 4, 5), ("III", 6, 7), ("IV", 8, 10)],
    "tomita_rev": [("I", 2, 3), ("II", 4, 5), ("III", 6, 8), ("IV", 9, 10)],
}


#: Numbers the cohort build forced (see data/cohorts/lee2015.md): not evidence of anything.
_FORCED_MEDIANS = (
    "t2_tomita_ii_median",
    "t2_tomita_iii_median",
    "t2_tomita_iv_median",
    "t2_tomita_rev_ii_median",
)  # revised Tomita II = the same 11 rows as Tomita II


def _registry(registry: Registry | None) -> Registry:
    return registry if registry is not None else load_registry("lee2015")


def _check_cohort(cohort: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(cohort, pd.DataFrame):
        raise ValueError(
            f"cohort must be a pandas DataFrame (spinemets.cohorts.load('lee2015')), "
            f"got {type(cohort).__name__}"
        )
    need = (
        {DURATION, EVENT, "patient_id", "age"}
        | {c for c, _ in TABLE1.values() if c != "age_group"}
        | {c for c, _ in TABLE2.values()}
    )
    missing = sorted(need - set(cohort.columns))
    if missing:
        raise ValueError(f"cohort is missing column(s) {missing}")
    return cohort.assign(age_group=np.where(cohort["age"] < 65, "<65", ">=65"))


def prepare(data: pd.DataFrame) -> pd.DataFrame:
    """The cohort with the paper's age groups (< 65, >= 65) added; checks the lee2015 schema.

    Raises
    ------
    ValueError
        If ``data`` is not a DataFrame or lacks a column of the lee2015 schema.
    """
    return _check_cohort(data)


def rescore(data: pd.DataFrame) -> pd.DataFrame:
    """Tokuhashi (2005), Tomita and SINS totals and bands recomputed from the items.

    Returns a DataFrame indexed like ``data`` with ``tokuhashi_total``, ``tokuhashi_band``,
    ``tomita_total``, ``tomita_band``, ``sins_total`` and ``sins_band``; raises ValueError if a
    stored total differs from the recomputed one.
    """
    d = _check_cohort(data)
    liver = pd.Series("liver", index=d.index)
    tok = scores.tokuhashi_revised(
        d["kps"],
        d["extraspinal_bone_foci"],
        d["vertebral_body_mets"],
        d["organ_mets"].astype(str),
        liver,
        d["frankel"].astype(str),
    )
    tom = scores.tomita(liver, d["visceral_mets"].astype(str), d["bone_mets"].astype(str))
    sn = scores.sins(
        d["level"],
        *(
            d[f"sins_{k}"].astype(str)
            for k in ("pain", "lesion", "alignment", "collapse", "posterolateral")
        ),
    )
    out = pd.DataFrame(
        {
            "tokuhashi_total": tok["total"],
            "tokuhashi_band": tok["group"],
            "tomita_total": tom["total"],
            "tomita_band": tom["group"],
            "sins_total": sn["total"],
            "sins_band": sn["group"],
        },
        index=d.index,
    )
    for col in ("tokuhashi_total", "tomita_total", "sins_total"):
        if col in d and not (d[col].to_numpy() == out[col].to_numpy()).all():
            raise ValueError(
                f"cohort column {col} differs from the total recomputed from its items"
            )
    return out


def _level_rows(d, key, col, levels, ci="spss"):
    rows = []
    present = {k: v for k, v in levels.items() if (d[col].astype(str) == v).any()}
    p = (
        survival.logrank(d[DURATION], d[EVENT], d[col].astype(str)).p_value
        if len(present) > 1
        else np.nan
    )
    for lk, lv in levels.items():
        m = (d[col].astype(str) == lv).to_numpy()
        if m.any():
            med = survival.median_survival(d.loc[m, DURATION], d.loc[m, EVENT], ci=ci)
            rows.append(
                {
                    "factor": key,
                    "level": lk,
                    "n": int(m.sum()),
                    "median": med.median,
                    "lower": med.lower,
                    "upper": med.upper,
                    "p_logrank": p,
                }
            )
        else:
            rows.append(
                {
                    "factor": key,
                    "level": lk,
                    "n": 0,
                    "median": np.nan,
                    "lower": np.nan,
                    "upper": np.nan,
                    "p_logrank": p,
                }
            )
    return rows


def table1(data: pd.DataFrame) -> pd.DataFrame:
    """Table 1 on the cohort: per factor and level, operations, KM median (days), log-rank p."""
    d = _check_cohort(data)
    rows = [r for key, (col, lev) in TABLE1.items() for r in _level_rows(d, key, col, lev)]
    return pd.DataFrame(rows).set_index(["factor", "level"])[["n", "median", "p_logrank"]]


def table2(data: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Table 2 on the cohort: (table, pairwise).

    ``table``: per banding and group, operations, KM median with the SPSS-style 95% CI
    (median +/- 1.96 SE, :func:`spinemets.survival.median_survival` with ``ci="spss"``) and the
    banding's log-rank p. ``pairwise``: the group II vs IV log-rank p of the two Tomita bandings
    (Table 2's footnotes).
    """
    d = _check_cohort(data)
    rows = [r for key, (col, lev) in TABLE2.items() for r in _level_rows(d, key, col, lev)]
    tab = pd.DataFrame(rows).set_index(["factor", "level"])
    pair = []
    for key in ("tomita", "tomita_rev"):
        col = TABLE2[key][0]
        m = d[col].astype(str).isin(["II", "IV"]).to_numpy()
        r = survival.logrank(d.loc[m, DURATION], d.loc[m, EVENT], d.loc[m, col].astype(str))
        pair.append(
            {"banding": key, "groups": "II vs IV", "statistic": r.statistic, "p_value": r.p_value}
        )
    return tab, pd.DataFrame(pair).set_index("banding")


def discrimination(data: pd.DataFrame, cluster: bool = True) -> pd.DataFrame:
    """Harrell's C of each score (total and bandings) on the cohort, with R's IJ 95% CI.

    Tokuhashi scores predict *longer* survival when higher, Tomita and SINS *shorter*; bands
    are coded 0, 1, 2, ... in the order printed. With ``cluster=True`` the SE treats the
    operations of one patient as a cluster (R's ``cluster=``).
    """
    d = _check_cohort(data)
    tot = rescore(d)
    codes = {
        k: d[col].astype(str).map({v: i for i, v in enumerate(lev.values())})
        for k, (col, lev) in TABLE2.items()
    }
    items = {
        "Tokuhashi (2005) total": (tot["tokuhashi_total"], "survival"),
        "Tokuhashi bands (0-8 / 9-11)": (codes["tokuhashi"], "survival"),
        "revised Tokuhashi bands (0-5 / 6-9 / 10-15)": (codes["tokuhashi_rev"], "survival"),
        "Tomita total": (tot["tomita_total"], "risk"),
        "Tomita bands (4-5 / 6-7 / 8-10)": (codes["tomita"], "risk"),
        "revised Tomita bands (4-5 / 6-8 / 9-10)": (codes["tomita_rev"], "risk"),
        "SINS total (not a prognostic score)": (tot["sins_total"], "risk"),
    }
    rows = []
    for name, (x, higher) in items.items():
        r = concordance(
            d[DURATION], d[EVENT], x, higher=higher, cluster=d["patient_id"] if cluster else None
        )
        rows.append(
            {
                "score": name,
                "C": r.c_index,
                "se": r.se,
                "lower": r.lower,
                "upper": r.upper,
                "pairs": r.comparable,
                "tied_on_score": r.tied_score / r.comparable,
            }
        )
    return pd.DataFrame(rows).set_index("score")


def first_operations(data: pd.DataFrame) -> pd.DataFrame:
    """One row per patient: each patient's initial operation (``operation_order`` 1; in a cohort
    without that column, the lowest operation id)."""
    d = _check_cohort(data)
    key = ["operation_order", "operation_id"] if "operation_order" in d else ["operation_id"]
    return d.sort_values(key).drop_duplicates("patient_id", keep="first").drop(columns="age_group")


def _rows_to_ids(tab: pd.DataFrame, table: str) -> dict:
    out = {}
    for (key, lk), r in tab.iterrows():
        if r["n"] > 0:
            out[f"{table}_{key}_{lk}_median"] = float(r["median"])
            if "lower" in r and table == "t2":
                out[f"{table}_{key}_{lk}_ci_low"] = float(r["lower"])
                out[f"{table}_{key}_{lk}_ci_high"] = float(r["upper"])
        out[f"{table}_{key}_p"] = float(r["p_logrank"])
    return out


def analyse(data: pd.DataFrame) -> dict[str, float]:
    """Every *emergent* number of paper C on a cohort: ``{registry id: value}``.

    Table 1 medians and log-rank p's, Table 2 medians (except the four the build forced, see
    :func:`by_construction`), SPSS-style CIs, log-rank p's and the II vs IV footnote p's, and
    the text's Tomita p. Medians in days.
    """
    t1 = table1(data)
    t2, pair = table2(data)
    out = _rows_to_ids(t1, "t1") | _rows_to_ids(t2, "t2")
    for nid in _FORCED_MEDIANS:
        out.pop(nid, None)
    out["t2_tomita_ii_vs_iv_p"] = float(pair.loc["tomita", "p_value"])
    out["t2_tomita_rev_ii_vs_iv_p"] = float(pair.loc["tomita_rev", "p_value"])
    out["text_tomita_p"] = out["t2_tomita_p"]
    return out


def by_construction(data: pd.DataFrame) -> dict[str, float]:
    """The numbers the lee2015 build was made to match: counts per group, the forced medians,
    the overall median and range of survival after the operation, age, patients and operations."""
    d = _check_cohort(data)
    t1 = table1(d)
    t2, _ = table2(d)
    out = {f"t1_{k}_{lk}_n": int(r["n"]) for (k, lk), r in t1.iterrows()}
    out |= {f"t2_{k}_{lk}_n": int(r["n"]) for (k, lk), r in t2.iterrows()}
    out |= {
        nid: float(t2.loc[tuple(nid[3:-7].rsplit("_", 1)), "median"]) for nid in _FORCED_MEDIANS
    }
    out["t1_child_pugh_c_n"] = int((d["child_pugh"].astype(str) == "C").sum())
    med = survival.median_survival(d[DURATION], d[EVENT])
    out |= {
        "os_median": med.median,
        "os_min": float(d[DURATION].min()),
        "os_max": float(d[DURATION].max()),
        "n_operations": len(d),
        "n_patients": d["patient_id"].nunique(),
        "n_repeat_patients": int((d.groupby("patient_id").size() > 1).sum()),
        "age_min": float(d["age"].min()),
        "age_max": float(d["age"].max()),
    }
    first = first_operations(d)
    # Results: "median age at the initial operation was 56 years (range, 28 years to 71 years)":
    # the build pins median, min and max over the 33 patients' initial operations
    sins = d["sins_total"]
    out |= {
        # Results: "SINS of 6 in 2, 7-12 in 29, 13-18 in 5" (these sum to 36: operations)
        "text_sins_6": int((sins == 6).sum()),
        "text_sins_7_12": int(sins.between(7, 12).sum()),
        "text_sins_13_18": int(sins.between(13, 18).sum()),
        "deaths": int(d.groupby("patient_id")[EVENT].max().sum()),
        "text_child_pugh_b": int((first["child_pugh"].astype(str) == "B").sum()),
        "male_patients": int((first["sex"] == "male").sum()),
        "female_patients": int((first["sex"] == "female").sum()),
        "age_median": float(first["age"].median()),
        "age_min": float(first["age"].min()),
        "age_max": float(first["age"].max()),
    }
    return out
