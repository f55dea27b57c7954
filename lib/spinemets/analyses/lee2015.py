"""Paper C (Lee et al. 2015) re-run on the synthetic lee2015 cohort, one step per function.

The chapter (chapters/12_paper_c_lee2015.md) calls the same step functions, and
:func:`analyse` strings them together so that replicate cohorts
(``spinemets.cohorts.replicates("lee2015", seeds)``) can be analysed in one call:
``analyse(cohort)`` returns ``{registry id: value}`` for every *emergent* number (one that was
not a target of the cohort build). :func:`by_construction` returns the numbers the build forced.

Steps
-----
* :func:`rescore` - the three scores recomputed from their items by :mod:`spinemets.scores`.
* :func:`table1` - median survival and log-rank p per Table 1 factor (operations, as printed).
* :func:`table2` - median survival, SPSS-style 95% CI and log-rank p per score banding, and the
  pairwise group II vs IV log-rank p of the footnotes.
* :func:`ci_check` - *recomputed* from the printed numbers only: the SE behind each printed CI
  and whether the CI is symmetric about its median (the SPSS signature).
* :func:`median_mixture_bounds` - *recomputed*: what the group medians and sizes of each
  factor imply for the overall median.
* :func:`band_check` - each printed banding against the score's source bands and the totals an
  HCC primary can reach.
* :func:`discrimination` - Harrell's C of every score, operations clustered within patients.
* :func:`first_operations` - one row per patient (the patient as the unit of analysis).
* :func:`ambulation_scenarios`, :func:`signed_rank_min_changes` - what the paper's Wilcoxon
  signed-rank test of pre vs post status could show at all.

The audit (the contract of :mod:`spinemets.audit`)
--------------------------------------------------
* :func:`recomputed` - every number recomputed from *other* printed numbers (sums, shares,
  the symmetric SPSS interval of each Table 2 median), each with its sources.
* :func:`comparison` - every registered number of paper C once: recomputed, by construction,
  emergent (judged on the replicate cohorts) or not reproducible (:data:`NOT_REPRODUCIBLE`).

References
----------
Lee MH, Lee SH, Kim ES, Eoh W, Chung SS, Lee CS. J Korean Neurosurg Soc 2015;58(5):448-453.
doi:10.3340/jkns.2015.58.5.448
Kim J, Lee SH, Park SJ, Chung SS, Kim ES, Eoh W, Lee CS. Analysis of the predictive role and new
proposal for surgical strategies based on the modified Tomita and Tokuhashi scoring systems for
spinal metastasis. World J Surg Oncol 2014;12:245. doi:10.1186/1477-7819-12-245 (paper C's ref. 20)
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from scipy import stats

from .. import cohorts, compare, published, scores, survival
from .._validation import check_positive_int, check_seed, renamed_arguments
from ..discrimination import concordance
from ..published import Registry, Reproduced
from ..published import load as load_registry

__all__ = [
    "PAPER",
    "NOT_REPRODUCIBLE",
    "STEPS",
    "prepare",
    "recomputed",
    "comparison",
    "beside_paper",
    "whole_day_gaps",
    "banding_power",
    "c_index_difference",
    "SPSS_WILCOXON",
    "TABLE1",
    "TABLE2",
    "BANDS_AS_PRINTED",
    "rescore",
    "table1",
    "table2",
    "ci_check",
    "band_check",
    "median_mixture_bounds",
    "discrimination",
    "first_operations",
    "ambulation_scenarios",
    "signed_rank_min_changes",
    "analyse",
    "by_construction",
]

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


def prepare(cohort: pd.DataFrame) -> pd.DataFrame:
    """The cohort with the paper's age groups (< 65, >= 65) added; checks the lee2015 schema.

    Raises
    ------
    ValueError
        If ``cohort`` is not a DataFrame or lacks a column of the lee2015 schema.
    """
    return _check_cohort(cohort)


def rescore(cohort: pd.DataFrame) -> pd.DataFrame:
    """Tokuhashi (2005), Tomita and SINS totals and bands recomputed from the items.

    Returns a DataFrame indexed like ``cohort`` with ``tokuhashi_total``, ``tokuhashi_band``,
    ``tomita_total``, ``tomita_band``, ``sins_total`` and ``sins_band``; raises ValueError if a
    stored total differs from the recomputed one.
    """
    d = _check_cohort(cohort)
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


def table1(cohort: pd.DataFrame) -> pd.DataFrame:
    """Table 1 on the cohort: per factor and level, operations, KM median (days), log-rank p."""
    d = _check_cohort(cohort)
    rows = [r for key, (col, lev) in TABLE1.items() for r in _level_rows(d, key, col, lev)]
    return pd.DataFrame(rows).set_index(["factor", "level"])[["n", "median", "p_logrank"]]


def table2(cohort: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Table 2 on the cohort: (table, pairwise).

    ``table``: per banding and group, operations, KM median with the SPSS-style 95% CI
    (median +/- 1.96 SE, :func:`spinemets.survival.median_survival` with ``ci="spss"``) and the
    banding's log-rank p. ``pairwise``: the group II vs IV log-rank p of the two Tomita bandings
    (Table 2's footnotes).
    """
    d = _check_cohort(cohort)
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


def ci_check(registry: Registry | None = None, z: float | None = None) -> pd.DataFrame:
    """*Recomputed* from the printed Table 2: the SE behind each 95% CI, and its symmetry.

    For a CI printed as median +/- z SE (SPSS's Kaplan-Meier output), SE = (upper - lower) /
    (2 z) and the midpoint equals the median. ``asymmetry`` = (upper - median) - (median -
    lower); with limits printed to 2 decimals and an integer median, a symmetric CI gives
    |asymmetry| <= 0.01 (each limit rounded by at most 0.005). ``symmetric`` applies that rule.
    It takes the printed median as exact: a Kaplan-Meier median is an observed survival time,
    a whole number of days here (:func:`spinemets.screen.screen`, which treats "74" as
    73.5-74.5, is more lenient).
    """
    reg = _registry(registry)
    z = stats.norm.ppf(0.975) if z is None else float(z)
    rows = []
    for key, (_, levels) in TABLE2.items():
        for lk in levels:
            nid = f"t2_{key}_{lk}"
            if f"{nid}_median" not in reg:
                continue
            med, lo, hi = (reg.value(f"{nid}_{s}") for s in ("median", "ci_low", "ci_high"))
            asym = (hi - med) - (med - lo)
            rows.append(
                {
                    "id": nid,
                    "median": med,
                    "lower": lo,
                    "upper": hi,
                    "midpoint": (lo + hi) / 2,
                    "se": (hi - lo) / (2 * z),
                    "asymmetry": asym,
                    "symmetric": abs(asym) <= 0.01 + 1e-9,
                }
            )
    return pd.DataFrame(rows).set_index("id")


def median_mixture_bounds(
    registry: Registry | None = None, overall: str = "os_median", readable: bool = False
) -> pd.DataFrame:
    """*Recomputed*: how the group medians of each factor constrain the overall median.

    Without censoring the pooled survival curve is the size-weighted mix of the group curves,
    S(t) = sum_g w_g S_g(t). At the overall median M, S(M) <= 0.5, and every group whose median
    lies above M still has S_g(M) >= 0.5. So the groups above M, with total weight w_A, must
    have an average S_g(M) of at most 0.5 / w_A: ``max_mean_s_above`` (a value just above 0.5
    means those groups must lose almost nobody between M and their own medians; a value below
    0.5 would be impossible). Censoring loosens the argument, so a tight row is *implausible*
    rather than impossible. Sizes are the printed numbers of operations.

    Returns
    -------
    DataFrame indexed by factor: ``overall``, ``share_above`` (w_A) and ``max_mean_s_above``,
    sorted from the tightest. With ``readable=True`` the factors are named as the paper prints
    them and the columns in words (for the chapter).
    """
    reg = _registry(registry)
    m = reg.value(overall)
    rows = []
    for table, spec in (("t1", TABLE1), ("t2", TABLE2)):
        for key, (_, levels) in spec.items():
            n = {
                lk: reg.value(f"{table}_{key}_{lk}_n")
                for lk in levels
                if f"{table}_{key}_{lk}_n" in reg
            }
            med = {
                lk: reg.value(f"{table}_{key}_{lk}_median")
                for lk in levels
                if f"{table}_{key}_{lk}_median" in reg
            }
            total = sum(n.values())
            share = sum(n[lk] for lk, v in med.items() if v > m) / total
            rows.append(
                {
                    "factor": f"{table}_{key}",
                    "overall": m,
                    "share_above": share,
                    "max_mean_s_above": 0.5 / share if share > 0 else np.inf,
                }
            )
    out = pd.DataFrame(rows).set_index("factor").sort_values("max_mean_s_above")
    if readable:
        names = [reg[f"{f}_p"].quantity.removeprefix("Log-rank p, ") for f in out.index]
        out = out.set_axis(pd.Index(names, name="factor"))
        out.columns = ["overall median", "share above it", "their S at it, at most"]
    return out


def band_check(primary: str = "liver") -> pd.DataFrame:
    """Each printed banding against the score's source bands, and what a primary can reach.

    Columns: ``printed`` (the row label's range), ``source_bands`` (the 2005 Tokuhashi or 2001
    Tomita band with the same limits, or "none": a later modification, C's ref. 20),
    ``reachable`` (the part of the band an HCC total can reach, :func:`spinemets.scores.total_range`)
    and ``possible`` (False: the group cannot contain an HCC patient).
    """
    source = {
        "tokuhashi": "tokuhashi_revised",
        "tokuhashi_rev": "tokuhashi_revised",
        "tomita": "tomita",
        "tomita_rev": "tomita",
    }
    rows = []
    for key, bands in BANDS_AS_PRINTED.items():
        lo_hcc, hi_hcc = scores.total_range(source[key], primary)
        src = {(b[0], b[1]): b[2] for b in scores.BANDS[source[key]]}
        orig = (
            {(b[0], b[1]): b[2] for b in scores.BANDS["tokuhashi_original"]}
            if "tokuhashi" in key
            else {}
        )
        for group, lo, hi in bands:
            r_lo, r_hi = max(lo, lo_hcc), min(hi, hi_hcc)
            match = (
                ("2005 band" if key.startswith("tokuhashi") else "2001 band")
                if (lo, hi) in src
                else ("1990 band" if (lo, hi) in orig else "none (ref. 20)")
            )
            rows.append(
                {
                    "score": key,
                    "group": group,
                    "printed": f"{lo}-{hi}",
                    "source_bands": match,
                    "reachable": f"{r_lo}-{r_hi}" if r_lo <= r_hi else "-",
                    "possible": r_lo <= r_hi,
                }
            )
    return pd.DataFrame(rows).set_index(["score", "group"])


def discrimination(cohort: pd.DataFrame, cluster: bool = True) -> pd.DataFrame:
    """Harrell's C of each score (total and bandings) on the cohort, with R's IJ 95% CI.

    Tokuhashi scores predict *longer* survival when higher, Tomita and SINS *shorter*; bands
    are coded 0, 1, 2, ... in the order printed. With ``cluster=True`` the SE treats the
    operations of one patient as a cluster (R's ``cluster=``).
    """
    d = _check_cohort(cohort)
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


def first_operations(cohort: pd.DataFrame) -> pd.DataFrame:
    """One row per patient: each patient's initial operation (``operation_order`` 1; in a cohort
    without that column, the lowest operation id)."""
    d = _check_cohort(cohort)
    key = ["operation_order", "operation_id"] if "operation_order" in d else ["operation_id"]
    return d.sort_values(key).drop_duplicates("patient_id", keep="first").drop(columns="age_group")


def ambulation_scenarios(
    worsened=range(0, 7), restored: int = 2, not_ambulatory: int = 11, ambulatory: int = 25
) -> pd.DataFrame:
    """Wilcoxon signed-rank p of pre vs post ambulation for each possible number of losses.

    The paper prints the restored count (2 of 11) but not how many of the 25 ambulatory cases
    lost function after surgery. Each row pairs 0/1 ambulation before and after for
    ``restored`` gains and ``k`` losses and runs :func:`spinemets.compare.wilcoxon_signed_rank`
    as SPSS does (normal approximation without continuity correction: all differences are
    tied at |1|; R's default adds a continuity correction and needs one more change).
    """
    rows = []
    for k in worsened:
        if not 0 <= k <= ambulatory:
            raise ValueError(f"worsened must be 0-{ambulatory}, got {k}")
        pre = np.r_[np.zeros(not_ambulatory), np.ones(ambulatory)]
        post = pre.copy()
        post[:restored] = 1
        post[not_ambulatory : not_ambulatory + k] = 0
        r = compare.wilcoxon_signed_rank(post, pre, **SPSS_WILCOXON)
        rows.append(
            {"lost_function": k, "restored": restored, "V": r.statistic, "p_value": r.p_value}
        )
    return pd.DataFrame(rows).set_index("lost_function")


#: SPSS's NPAR TESTS /WILCOXON: the normal approximation without a continuity correction
SPSS_WILCOXON = {"method": "asymptotic", "correction": False}


def signed_rank_min_changes(n: int = 36, sig_level: float = 0.05) -> int:
    """Smallest number of one-class changes, all in one direction, that the Wilcoxon signed-rank
    test of ``n`` pairs (e.g. Child-Pugh class before and after surgery) calls significant at
    ``sig_level``, run as SPSS runs it (normal approximation, no continuity correction)."""
    for k in range(1, n + 1):
        pre = np.zeros(n)
        post = pre.copy()
        post[:k] = 1
        if compare.wilcoxon_signed_rank(post, pre, **SPSS_WILCOXON).p_value < sig_level:
            return k
    return n + 1  # pragma: no cover


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


def analyse(cohort: pd.DataFrame) -> dict[str, float]:
    """Every *emergent* number of paper C on a cohort: ``{registry id: value}``.

    Table 1 medians and log-rank p's, Table 2 medians (except the four the build forced, see
    :func:`by_construction`), SPSS-style CIs, log-rank p's and the II vs IV footnote p's, and
    the text's Tomita p. Medians in days.
    """
    t1 = table1(cohort)
    t2, pair = table2(cohort)
    out = _rows_to_ids(t1, "t1") | _rows_to_ids(t2, "t2")
    for nid in _FORCED_MEDIANS:
        out.pop(nid, None)
    out["t2_tomita_ii_vs_iv_p"] = float(pair.loc["tomita", "p_value"])
    out["t2_tomita_rev_ii_vs_iv_p"] = float(pair.loc["tomita_rev", "p_value"])
    out["text_tomita_p"] = out["t2_tomita_p"]
    return out


def by_construction(cohort: pd.DataFrame) -> dict[str, float]:
    """The numbers the lee2015 build was made to match: counts per group, the forced medians,
    the overall median and range of survival after the operation, age, patients and operations."""
    d = _check_cohort(cohort)
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


STEPS = (table1, table2)

#: Registry id -> why no cohort and no other printed number can reproduce it.
NOT_REPRODUCIBLE: dict[str, str] = {
    **dict.fromkeys(
        ["text_start_year", "end_year"],
        "enrolment dates: the cohort has no calendar time (the abstract's 2006 is judged "
        "against the text's 2005)",
    ),
    **dict.fromkeys(
        [
            "sins_indication",
            "alpha",
            "spss_version",
            "synchronous_window_months",
            "metachronous_threshold_months",
        ],
        "a definition or setting of the study, not a result",
    ),
    "preop_rt_cases": (
        "Table 1 does not say on which side of the operation 'RT within 30 days' falls: the "
        "Methods' 11 cases are 4 + 7 if some of those 11 operations had RT after the "
        "operation, and contradict 4 + 11 = 15 only if all had it before; the printed numbers "
        "cannot decide"
    ),
    **dict.fromkeys(
        ["preop_rt_dose_min", "preop_rt_dose_max", "srs_patients", "srs_dose", "srs_fractions"],
        "radiotherapy doses: the cohort has no dose columns",
    ),
    **dict.fromkeys(
        [
            "synchronous_patients",
            "interval_median",
            "interval_min",
            "interval_max",
            "os_dx_median",
            "os_dx_min",
            "os_dx_max",
        ],
        "dates of the HCC and metastasis diagnoses: the cohort has no such columns",
    ),
    **dict.fromkeys(
        ["hbv_patients", "hcv_patients", "alcohol_patients"],
        "viral status and alcohol: the cohort has no such columns (the three groups' sum is "
        "checked through nbnc_patients)",
    ),
    **dict.fromkeys(
        ["death_in_hospital", "csf_leak", "wound_infection"],
        "complications: the cohort has no such columns",
    ),
    "lost_to_follow_up": "the cohort censors 6 patients without telling lost from alive "
    "(the sum with deaths and alive is checked through alive)",
    "restoration_n": "post-operative ambulation: no post-operative status is printed or simulated",
    **dict.fromkeys(
        ["late_presenters", "late_presenters_days", "other_study_days"],
        "time from symptoms to operation: the cohort has no such column",
    ),
    **dict.fromkeys(
        [
            "kim_restoration_n",
            "kim_restoration_of",
            "chen_restoration_pct",
            "hcc_us_share_pct",
            "bone_mets_incidence_min",
            "bone_mets_incidence_max",
            "spinal_share_pct",
            "hcc_survival_years",
            "chen_albumin",
            "chen_ldh",
            "patchell_year",
            "rt_gap_weeks",
            "maranzano_response_pct",
            "yamada_dose_min",
            "yamada_dose_max",
            "yamada_local_control_pct",
        ],
        "cited from another study",
    ),
}

#: The text or discussion reprinting a Table 1 count (``same_as`` in the registry).
_REPRINTS = {
    "text_ambulatory": "t1_ambulation_possible_n",
    "text_not_ambulatory": "t1_ambulation_not_possible_n",
    "restoration_of": "t1_ambulation_not_possible_n",
    "text_cervical": "t1_level_cervical_n",
    "text_thoracic": "t1_level_thoracic_n",
    "text_lumbar": "t1_level_lumbar_n",
}

#: Table 1 operation counts that the text's patient counts reach only by a chosen split of the
#: three repeat operations: id -> (patients, repeat operations assumed, note).
_REPEAT_FITS = {
    "t1_sex_male_n": ("male_patients", 3, "30 men + 3 repeats, if all three were men"),
    "t1_sex_female_n": ("female_patients", 0, "3 women + 0, if no woman was operated twice"),
    "t1_child_pugh_a_n": ("text_child_pugh_a", 1, "29 patients + 1 repeat operation in A"),
    "t1_child_pugh_b_n": ("text_child_pugh_b", 2, "4 patients + 2 repeat operations in B"),
}


def recomputed(registry: Registry | None = None) -> dict[str, Reproduced]:
    """Every number of paper C recomputed from *other* printed numbers (no cohort needed).

    Sums of the text's patient counts, shares from their counts, the text's reprints of Table
    1 counts, and the upper limit of each Table 2 interval from its median and lower limit
    (SPSS prints median +/- 1.96 SE, so upper = 2 median - lower; two limits rounded to 0.005
    each give a tolerance of 0.01; the median, an observed whole day, is exact, see
    :func:`ci_check`). The split of the three repeat operations between sexes and Child-Pugh
    classes is chosen so that the sums agree: those four are marked ``only_fit``.
    """
    reg = _registry(registry)
    v = reg.value
    out: dict[str, Reproduced] = {}

    def rec(nid, value, sources, note, **kw):
        out[nid] = Reproduced(value, "recomputed", note=note, sources=tuple(sources), **kw)

    rec(
        "n_operations",
        v("n_patients") + v("n_repeat_patients"),
        ["n_patients", "n_repeat_patients"],
        "33 patients + 3 operated twice",
    )
    rec(
        "metachronous_patients",
        v("n_patients") - v("synchronous_patients"),
        ["n_patients", "synchronous_patients"],
        "33 - 4 synchronous",
    )
    rec(
        "nbnc_patients",
        v("n_patients") - v("hbv_patients") - v("hcv_patients"),
        ["n_patients", "hbv_patients", "hcv_patients"],
        "33 - 29 HBV - 1 HCV",
    )
    rec(
        "alive",
        v("n_patients") - v("deaths") - v("lost_to_follow_up"),
        ["n_patients", "deaths", "lost_to_follow_up"],
        "33 - 27 died - 3 lost",
    )
    rec(
        "text_child_pugh_a",
        v("n_patients") - v("text_child_pugh_b") - v("text_child_pugh_c"),
        ["n_patients", "text_child_pugh_b", "text_child_pugh_c"],
        "33 - 4 B - 0 C",
    )
    rec(
        "text_child_pugh_c",
        v("t1_child_pugh_c_n"),
        ["t1_child_pugh_c_n"],
        "no class C operation (Table 1), so no class C patient",
    )
    rec(
        "restoration_pct",
        100 * v("restoration_n") / v("restoration_of"),
        ["restoration_n", "restoration_of"],
        "2/11 = 18.2%",
    )
    rec(
        "kim_restoration_pct",
        100 * v("kim_restoration_n") / v("kim_restoration_of"),
        ["kim_restoration_n", "kim_restoration_of"],
        "4/14 = 28.6%",
    )
    for nid, table in _REPRINTS.items():
        rec(nid, v(table), [table], f"reprints Table 1 ({table}): operations, not patients")
    rec(
        "abstract_start_year",
        v("text_start_year"),
        ["text_start_year"],
        "the main text says February 2005, the abstract February 2006",
    )
    for nid, (patients, extra, note) in _REPEAT_FITS.items():
        rec(
            nid, v(patients) + extra, [patients, "n_repeat_patients"], f"fit: {note}", only_fit=True
        )
    for key, (_, levels) in TABLE2.items():
        for lk in levels:
            g = f"t2_{key}_{lk}"
            if f"{g}_ci_high" in reg:
                rec(
                    f"{g}_ci_high",
                    2 * v(f"{g}_median") - v(f"{g}_ci_low"),
                    [f"{g}_median", f"{g}_ci_low"],
                    "SPSS's symmetric interval: 2 x median - lower limit",
                    tol=0.01,
                )
    return out


@functools.cache
def comparison() -> published.Comparison:
    """Every registered number of paper C, once, with its label, reason and sources.

    *Recomputed* (:func:`recomputed`), *by construction* (:func:`by_construction` on the
    committed cohort; survival medians within the build's tolerance of 25 days), *emergent*
    (:func:`analyse` on the committed cohort, judged on the 200 replicate cohorts of
    ``data/replicates/lee2015.csv``) or *not reproducible* (:data:`NOT_REPRODUCIBLE`).
    Cached: the chapter and the audit page call it once per kernel.
    """
    reg = _registry(None)
    cohort = cohorts.load(PAPER)
    rep = recomputed(reg)
    days = {k for k in reg if reg[k].unit == "days"}
    for nid, val in by_construction(cohort).items():
        if nid not in rep:
            tol = 25 if nid.endswith("median") and nid in days else None
            rep[nid] = Reproduced(
                val,
                "by construction",
                tol=tol,
                sources=(nid,),
                note="the cohort build's target (data/cohort_specs/lee2015.yaml)",
            )
    values = {k: x for k, x in analyse(cohort).items() if k not in rep}
    steps = {k: ("table1" if k.startswith("t1_") else "table2") for k in values}
    for nid, r in published.from_replicates(reg, values).items():
        rep[nid] = Reproduced(
            r.value, r.label, note=r.note, replicates=r.replicates, sources=(steps[nid],)
        )
    for nid, reason in NOT_REPRODUCIBLE.items():
        rep[nid] = Reproduced(None, "recomputed", note=reason)
    missing = [k for k in reg if k not in rep]
    if missing:  # pragma: no cover - guarded by the tests
        raise ValueError(f"registry numbers of {PAPER} not compared: {missing}")
    return published.compare(reg, {k: rep[k] for k in reg})


def beside_paper(table: str, numbers=("median", "p"), readable: bool = False) -> pd.DataFrame:
    """One printed table of paper C beside the cohort: what the chapter shows.

    Parameters
    ----------
    table : {"Table 1", "Table 2"}
    numbers : tuple of str
        The kinds of number to keep, by the end of their registry id (``"median"``, ``"p"``,
        ``"n"``, ``"ci_low"``, ``"ci_high"``).
    readable : bool
        If True, numbers are formatted as printed (p-values to 3 decimals, medians in whole
        days, the unit moved into the row name) and the replicates' central 95% is one
        column, so the table fits a phone screen.

    Returns
    -------
    DataFrame indexed by the printed quantity: ``published``, ``cohort`` (the committed
    cohort), the replicates' central 95% (``replicates_lower``/``_upper``), ``label`` and
    ``verdict`` (from :func:`comparison`).
    """
    if table not in ("Table 1", "Table 2"):
        raise ValueError(f"table must be 'Table 1' or 'Table 2', got {table!r}")
    t = comparison().table
    keep = t.source.str.startswith(table + ",") & t.index.str.endswith(
        tuple(f"_{k}" for k in numbers)
    )
    t = t[keep]
    if readable:
        days = t.published.astype(str).str.endswith("days").to_numpy()

        def fmt(x, d):
            if not np.isfinite(x):
                return "not reached"
            return f"{x:.0f}" if d else f"{x:.3f}"

        def rng(lo, hi, d):
            if not (np.isfinite(lo) and np.isfinite(hi)):
                return "-"
            return f"{lo:.0f}-{hi:.0f}" if d else f"{lo:.2f}-{hi:.2f}"

        rep = zip(t.rep_lower.to_numpy(float), t.rep_upper.to_numpy(float), days)
        names = (
            t.quantity.str.replace(r"^Log-rank p, (.*)$", r"\1: log-rank p", regex=True)
            .str.replace(": median survival", ": median (days)")
            .str.replace(", median survival", ", median (days)")
        )
        return pd.DataFrame(
            {
                "paper": t.published.astype(str).str.removesuffix(" days").to_numpy(),
                "cohort": [fmt(x, d) for x, d in zip(t.reproduced.to_numpy(float), days)],
                "replicates, central 95%": [rng(lo, hi, d) for lo, hi, d in rep],
                "label": t.label.to_numpy(),
                "verdict": t.verdict.str.replace(r" \(.*", "", regex=True).to_numpy(),
            },
            index=pd.Index(names.to_numpy(), name="printed number"),
        )
    return pd.DataFrame(
        {
            "published": t.published.to_numpy(),
            "cohort": t.reproduced.to_numpy(float),
            "replicates_lower": t.rep_lower.to_numpy(float),
            "replicates_upper": t.rep_upper.to_numpy(float),
            "label": t.label.to_numpy(),
            "verdict": t.verdict.str.replace(r" \(.*", "", regex=True).to_numpy(),
        },
        index=pd.Index(t.quantity.to_numpy(), name="printed number"),
    )


_SCORE_NAMES = {
    "tokuhashi": "Tokuhashi",
    "tokuhashi_rev": "revised Tokuhashi",
    "tomita": "Tomita",
    "tomita_rev": "revised Tomita",
}


def _group_name(group_id: str) -> str:
    """``t2_tomita_rev_iv`` -> ``revised Tomita IV``."""
    key, level = group_id[3:].rsplit("_", 1)
    return f"{_SCORE_NAMES[key]} {level.upper()}"


def _no_censoring_factor(n: int) -> float:
    """SE of the KM median / (l - u) for n deaths without censoring or ties before l."""
    s = 1 - np.arange(n + 1) / n  # S after 0, 1, ..., n deaths
    m = np.argmax(s <= 0.5)  # SPSS: the first time with S <= 0.5
    u = np.flatnonzero(s >= 0.55).max()
    lo = np.flatnonzero(s <= 0.45).min()
    return float(np.sqrt(s[m] * (1 - s[m]) / n) / (s[u] - s[lo]))


def whole_day_gaps(registry: Registry | None = None, z: float | None = None) -> pd.DataFrame:
    """*Recomputed*: the gap l - u (days) that each printed Table 2 half-width implies.

    SPSS's SE of a Kaplan-Meier median is the Greenwood SE of S at the median over the slope
    (S(u) - S(l)) / (l - u), u the last event time with S >= 0.55 and l the first with S <= 0.45
    (Collett 2015, section 2.4). For a group of n operations without censoring or tied deaths
    before l everything but l - u is fixed by n, so half-width / (z x factor(n)) must be a whole
    number of days (survival is counted in whole days). ``whole`` says whether it is, within the
    rounding of the printed limit (0.005 / (z x factor)).

    Returns
    -------
    DataFrame, one row per group and limit: ``group``, ``n``, ``limit``, ``half_width``,
    ``gap_days``, ``rounding`` and ``whole``.
    """
    reg = _registry(registry)
    z = stats.norm.ppf(0.975) if z is None else float(z)
    rows = []
    for g, r in ci_check(reg).iterrows():
        n = int(reg.value(f"{g}_n"))
        f = _no_censoring_factor(n)
        for side, hw in (("lower", r["median"] - r["lower"]), ("upper", r["upper"] - r["median"])):
            gap, tol = hw / z / f, 0.005 / z / f
            rows.append(
                {
                    "group": _group_name(g),
                    "n": n,
                    "limit": side,
                    "half_width": hw,
                    "gap_days": gap,
                    "rounding": tol,
                    "whole": abs(gap - round(gap)) <= tol,
                }
            )
    return pd.DataFrame(rows)


def banding_power(replicates: pd.DataFrame | None = None) -> pd.Series:
    """Share of replicate cohorts in which each Table 2 banding's log-rank p is below 0.05.

    Under the cohort's model (the published Tomita medians as the true effects) this is the
    power a study of 36 operations had: an observed power, restating the published result.
    """
    reps = cohorts.load_replicates(PAPER) if replicates is None else replicates
    names = {
        "tokuhashi": "Tokuhashi (0-8 / 9-11)",
        "tokuhashi_rev": "revised Tokuhashi (0-5 / 6-9 / 10-15)",
        "tomita": "Tomita (4-5 / 6-7 / 8-10)",
        "tomita_rev": "revised Tomita (4-5 / 6-8 / 9-10)",
    }
    return pd.Series(
        {name: float((reps[f"t2_{k}_p"] < 0.05).mean()) for k, name in names.items()},
        name="share of replicates with p < 0.05",
    )


@renamed_arguments(cohort="data", n_boot="n_resamples")
def c_index_difference(data: pd.DataFrame, n_resamples: int = 400, seed: int = 2015) -> pd.Series:
    """C(Tomita total) - C(Tokuhashi total), with a 95% bootstrap interval over *patients*.

    Each bootstrap sample draws patients with replacement and keeps all their operations
    (the patient is the cluster). Returns ``difference``, ``lower``, ``upper`` and
    ``n_resamples``. (``cohort=`` and ``n_boot=`` are the former argument names.)
    """
    d = _check_cohort(data)
    n_resamples = check_positive_int(n_resamples, "n_resamples")
    rng = np.random.default_rng(check_seed(seed))
    rows_of = list(d.groupby("patient_id").indices.values())

    def diff(b):
        c_tom = concordance(b[DURATION], b[EVENT], b["tomita_total"], higher="risk").c_index
        c_tok = concordance(b[DURATION], b[EVENT], b["tokuhashi_total"], higher="survival").c_index
        return c_tom - c_tok

    boot = [
        diff(
            d.iloc[
                np.concatenate([rows_of[i] for i in rng.integers(len(rows_of), size=len(rows_of))])
            ]
        )
        for _ in range(n_resamples)
    ]
    lo, hi = np.quantile(boot, [0.025, 0.975])
    return pd.Series({"difference": diff(d), "lower": lo, "upper": hi, "n_resamples": n_resamples})
