"""Paper A (Choi & Seong 2015): the paper's analysis of a cohort, step by step.

Every function takes the analysis frame of :func:`prepare` (the cohort plus the paper's
groupings) and returns ``(result, numbers)``: the analysis object for display and a dict from
registry id (``data/published/choi2015.yaml``) to value. :func:`analyse` runs every step and
merges the numbers; it is what ``python -m spinemets.cohorts replicates --paper choi2015`` runs
on each replicate cohort, and the chapter on paper A calls the same steps for its point
estimates, so each number has one source of truth.

The codings follow what the paper's printed numbers imply (see the chapter): BED as an ordinal
score 0/1/2 in the Cox model, extrahepatic metastases and fracture coded as *absence*, pain
response as non-CR, Breslow ties (SPSS); Table 3 ORs in the direction that agrees with Table 2
(the reciprocal of our OR for CR for BED and technique, our OR for fracture).

References
----------
Choi C, Seong J. Predictive factors of palliative radiotherapy response and survival in patients
with spinal metastases from hepatocellular carcinoma. Gut Liver 2015;9(1):94-102.
doi:10.5009/gnl14009
"""

from __future__ import annotations

import dataclasses
import functools
import math

import numpy as np
import pandas as pd

from .. import compare, survival

PAPER = "choi2015"

#: Table 4 factors: registry key -> (column of :func:`prepare`, {level: registry level key})
FACTORS = {
    "age": ("age_group", {"<=55": "le55", ">55": "gt55"}),
    "sex": ("sex", {"male": "male", "female": "female"}),
    "ecog": ("ecog_group", {"0-2": "0_2", "3-4": "3_4"}),
    "afp": ("afp_group", {"<=200": "le200", ">200": "gt200"}),
    "cp": ("cp_group", {"A, B": "ab", "C": "c"}),
    "primary": ("primary_controlled", {"yes": "controlled", "no": "uncontrolled"}),
    "interval": ("interval_group", {"<=9": "le9", ">9": "gt9"}),
    "bpi": ("bpi_group", {"<=6": "le6", ">6": "gt6"}),
    "extrahepatic": ("extrahepatic_mets", {"yes": "yes", "no": "no"}),
    "site": (
        "spine_site",
        {k: k for k in ["cervical", "thoracic", "lumbar", "sacrum", "combined"]},
    ),
    "multiple": ("multiple_spinal_mets", {"yes": "yes", "no": "no"}),
    "mass": ("mass_type", {"yes": "yes", "no": "no"}),
    "cord": ("cord_compression", {"yes": "yes", "no": "no"}),
    "fracture": ("pathologic_fracture", {"yes": "yes", "no": "no"}),
    "bed": ("bed_group", {"<=38": "le38", "39-53": "39_53", ">53": "gt53"}),
    "treatment": ("treatment_group", {"RT alone": "rt", "RT+CTx": "rt_ctx", "RT+S+/-CTx": "rt_s"}),
    "technique": (
        "technique_group",
        {"conventional": "conventional", "3D-CRT or IMRT": "advanced"},
    ),
    "cr": ("cr", {"CR": "cr", "non-CR": "noncr"}),
}

#: Cox covariates (Table 4 multivariate): column of :func:`cox_frame` -> registry key
COX_KEYS = {
    "ecog_3_4": "ecog",
    "child_pugh_c": "cp",
    "uncontrolled": "primary",
    "no_extrahepatic": "extrahepatic",
    "no_fracture": "fracture",
    "bed_score": "bed",
    "non_cr": "cr",
}

#: Table 3 terms: registry key -> (term of the stepwise summary, compare the reciprocal?)
TABLE3_TERMS = {
    "t3_fracture": ("pathologic_fracture[yes]", False),
    "t3_bed_39_53": ("bed_group[39-53]", True),
    "t3_bed_gt53": ("bed_group[>53]", True),
    "t3_technique": ("technique_group[3D-CRT or IMRT]", True),
}

TABLE3_CANDIDATES = [
    "multiple_spinal_mets",
    "mass_type",
    "cord_compression",
    "pathologic_fracture",
    "bed_group",
    "treatment_group",
    "technique_group",
]
TABLE3_REFERENCE = {
    "bed_group": "<=38",
    "technique_group": "conventional",
    "pathologic_fracture": "no",
    "multiple_spinal_mets": "no",
    "mass_type": "no",
    "cord_compression": "no",
    "treatment_group": "RT alone",
}

REQUIRED = [
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
    "bed_group",
    "treatment",
    "rt_technique",
    "pain_response",
    "os_months",
    "death",
]


def _f(v) -> float:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return math.nan
    return v


def prepare(cohort: pd.DataFrame) -> pd.DataFrame:
    """The cohort with the paper's groupings added (age <= 55, ECOG 3-4, AFP <= 200, ...).

    Raises
    ------
    ValueError
        If ``cohort`` is not a DataFrame or lacks a column of the paper A schema.
    """
    if not isinstance(cohort, pd.DataFrame):
        raise ValueError("cohort must be a pandas DataFrame (spinemets.cohorts.load('choi2015'))")
    missing = [c for c in REQUIRED if c not in cohort.columns]
    if missing:
        raise ValueError(f"cohort lacks column(s) {missing} of the choi2015 schema")
    c = cohort
    return c.assign(
        age_group=np.where(c.age <= 55, "<=55", ">55"),
        ecog_group=np.where(c.ecog >= 3, "3-4", "0-2"),
        afp_group=np.where(c.afp <= 200, "<=200", ">200"),
        cp_group=np.where(c.child_pugh.astype(str) == "C", "C", "A, B"),
        interval_group=np.where(c.interval_months <= 9, "<=9", ">9"),
        bpi_group=np.where(c.baseline_pain <= 6, "<=6", ">6"),
        treatment_group=c.treatment.astype(str).replace(
            {"RT+S": "RT+S+/-CTx", "RT+CTx+S": "RT+S+/-CTx"}
        ),
        technique_group=np.where(
            c.rt_technique.astype(str) == "conventional", "conventional", "3D-CRT or IMRT"
        ),
        cr=np.where(c.pain_response.astype(str) == "CR", "CR", "non-CR"),
        risk_group=np.array(list("ABCD"))[
            (c.ecog >= 3).astype(int).to_numpy()
            + (c.primary_controlled.astype(str) == "no").astype(int).to_numpy()
            + (c.extrahepatic_mets.astype(str) == "yes").astype(int).to_numpy()
        ],
    )


def overall_survival(d: pd.DataFrame):
    """Median OS with SPSS's symmetric CI (median ± 1.96 SE), 1- and 2-year OS in %, follow-up.

    Returns ``(MedianSurvival, numbers)``.
    """
    med = survival.median_survival(d.os_months, d.death, ci="spss")
    rates = survival.survival_at(d.os_months, d.death, [12, 24])
    nums = {
        "txt_os_median": _f(med.median),
        "txt_os_median_lo": _f(med.lower),
        "txt_os_median_hi": _f(med.upper),
        "txt_os_1y": 100 * _f(rates.survival[12]),
        "txt_os_2y": 100 * _f(rates.survival[24]),
        "txt_fu_median": float(d.os_months.median()),
    }
    return med, nums


def table4_univariate(d: pd.DataFrame):
    """Table 4 univariate: per factor level median ± SE (SPSS) and the factor's log-rank p.

    Returns ``(univariate table, numbers)`` with ``t4_<factor>_<level>_median`` / ``_se`` and
    ``t4_<factor>_p_logrank`` (and the text's ``txt_uv_cr_p``, ``txt_uv_fracture_p``).
    """
    uni = survival.univariate_table(
        d, "os_months", "death", {k: col for k, (col, _) in FACTORS.items()}
    )
    nums = {}
    for var, (_, levels) in FACTORS.items():
        for level, key in levels.items():
            if (var, level) in uni.index:
                nums[f"t4_{var}_{key}_median"] = _f(uni.loc[(var, level), "median"])
                nums[f"t4_{var}_{key}_se"] = _f(uni.loc[(var, level), "se"])
        nums[f"t4_{var}_p_logrank"] = _f(uni.loc[var].p_logrank.iloc[0])
    nums["txt_uv_cr_p"] = nums["t4_cr_p_logrank"]
    nums["txt_uv_fracture_p"] = nums["t4_fracture_p_logrank"]
    return uni, nums


def cox_frame(d: pd.DataFrame) -> pd.DataFrame:
    """The Cox model's design in the paper's implied coding (see the module docstring)."""
    return pd.DataFrame(
        {
            "os_months": d.os_months.to_numpy(float),
            "death": d.death.to_numpy(int),
            "ecog_3_4": (d.ecog >= 3).astype(int).to_numpy(),
            "child_pugh_c": (d.child_pugh.astype(str) == "C").astype(int).to_numpy(),
            "uncontrolled": (d.primary_controlled.astype(str) == "no").astype(int).to_numpy(),
            "no_extrahepatic": (d.extrahepatic_mets.astype(str) == "no").astype(int).to_numpy(),
            "no_fracture": (d.pathologic_fracture.astype(str) == "no").astype(int).to_numpy(),
            "bed_score": d.bed_group.astype(str)
            .map({"<=38": 0, "39-53": 1, ">53": 2})
            .astype(int)
            .to_numpy(),
            "non_cr": (d.pain_response.astype(str) != "CR").astype(int).to_numpy(),
        }
    )


def table4_cox(d: pd.DataFrame):
    """Table 4 multivariate Cox model (Breslow ties): coefficient, HR, 95% CI, Wald p per row.

    Returns ``(CoxResult, numbers)``.
    """
    dc = cox_frame(d)
    fit = survival.cox(dc, "os_months", "death", list(COX_KEYS), ties="breslow")
    nums = {}
    for cov, key in COX_KEYS.items():
        r = fit.summary.loc[cov]
        nums.update(
            {
                f"t4_{key}_coef": _f(r.coef),
                f"t4_{key}_hr": _f(r.hr),
                f"t4_{key}_hr_lo": _f(r.hr_lower),
                f"t4_{key}_hr_hi": _f(r.hr_upper),
                f"t4_{key}_p_cox": _f(r.p),
            }
        )
    return fit, nums


def table3(d: pd.DataFrame):
    """Table 3: SPSS forward stepwise logistic regression for CR on the Table 2 factors.

    ORs in the direction that agrees with Table 2 (see the module docstring); a term that the
    stepwise rule does not select gives NaN for its OR and p. Returns ``(StepwiseResult, numbers)``.
    """
    data = d.assign(cr01=(d.pain_response.astype(str) == "CR").astype(int).to_numpy())
    step = compare.stepwise_logistic(data, "cr01", TABLE3_CANDIDATES, reference=TABLE3_REFERENCE)
    nums = {}
    for key, (term, flip) in TABLE3_TERMS.items():
        if term in step.summary.index:
            r = step.summary.loc[term]
            nums[f"{key}_or"] = 1 / _f(r["or"]) if flip else _f(r["or"])
            nums[f"{key}_p"] = _f(r.p)
        else:
            nums[f"{key}_or"] = math.nan
            nums[f"{key}_p"] = math.nan
    return step, nums


def risk_groups(d: pd.DataFrame):
    """Fig. 1: groups A-D by the number of risk factors; sizes, medians, pairwise log-rank p.

    Returns ``((univariate table, pairwise table), numbers)``; a group absent from the cohort
    gives NaN for its numbers.
    """
    tab = survival.univariate_table(d, "os_months", "death", {"risk": "risk_group"})
    pairs = survival.pairwise_logrank(d.os_months, d.death, d.risk_group)
    nums = {}
    for g in "ABCD":
        ok = ("risk", g) in tab.index
        nums[f"fig1_group_{g.lower()}_n"] = float(tab.loc[("risk", g), "n"]) if ok else 0.0
        nums[f"fig1_group_{g.lower()}_median"] = (
            _f(tab.loc[("risk", g), "median"]) if ok else math.nan
        )
    for a, b in ("AB", "AC", "AD", "BC", "BD", "CD"):
        nums[f"fig1_p_{a.lower()}{b.lower()}"] = math.nan
    for _, r in pairs.iterrows():
        nums[f"fig1_p_{r.group1.lower()}{r.group2.lower()}"] = _f(r.p_value)
    return (tab, pairs), nums


STEPS = (overall_survival, table4_univariate, table4_cox, table3, risk_groups)


def analyse(cohort: pd.DataFrame) -> dict[str, float]:
    """Paper A's analysis of ``cohort``: every number the chapter labels emergent (and the
    calibrated Cox HRs), as {registry id: float}.

    Parameters
    ----------
    cohort : DataFrame
        A cohort with the choi2015 schema (``spinemets.cohorts.load("choi2015")`` or a replicate).

    Returns
    -------
    dict
        Registry id -> value (NaN where the cohort does not allow the number).
    """
    d = prepare(cohort)
    out: dict[str, float] = {}
    for step in STEPS:
        out.update(step(d)[1])
    return out


# --------------------------------------------------------------------------- the audit
#
# Every registered number of paper A, each once, with its label and the numbers it comes
# from (moved from the audit page, chapter 30). The recomputations use only printed numbers;
# the cohort and the replicates enter only for the "by construction" and "emergent" labels.

#: Numbers no table, cohort or analysis can reproduce: registry id -> reason.
NOT_REPRODUCIBLE: dict[str, str] = {
    **dict.fromkeys(
        [
            "txt_sites",
            "txt_synchronous_n",
            "txt_grade3_n",
            "t1_fn_sorafenib_n",
            "txt_period_start_year",
            "txt_period_end_year",
        ],
        "the cohort has no such variable",
    ),
    **dict.fromkeys(
        [
            "txt_additional_rert_n",
            "txt_additional_surgery_n",
            "txt_additional_chemo_n",
            "txt_additional_combined_n",
            "txt_additional_median",
            "txt_no_additional_median",
            "disc_additional_risk_max",
        ],
        "no joint data on additional treatment",
    ),
    "disc_bed_min": "a threshold restated from Table 4's BED groups",
    "t3_bed_p": "overall BED test of the stepwise model: SPSS's score test is not reported "
    "by the model summary",
    "txt_mv_cr_bed_p": "overall BED test of the stepwise model (as Table 3)",
}

#: Table 2's factors: registry key -> (row label, registry level keys)
T2_FACTORS = {
    "multiple": ("Multiplicity", ["yes", "no"]),
    "mass": ("Mass-type", ["yes", "no"]),
    "cord": ("Cord compression", ["yes", "no"]),
    "fracture": ("Fracture", ["yes", "no"]),
    "bed": ("BED", ["le38", "39_53", "gt53"]),
    "treatment": ("Treatment", ["rt", "rt_ctx", "rt_s"]),
    "technique": ("RT technique", ["conventional", "advanced"]),
}
T2_COLUMNS = ["patients", "resp", "nonresp", "cr", "noncr"]
#: Table 2's response columns -> pain-response categories
T2_RESPONSE = {
    "resp": ["CR", "PR"],
    "nonresp": ["SP", "PP"],
    "cr": ["CR"],
    "noncr": ["PR", "SP", "PP"],
}
T3_ROWS = ("fracture", "bed_39_53", "bed_gt53", "technique")
T4_ROWS = ("ecog", "cp", "primary", "extrahepatic", "fracture", "bed", "cr")
SITES = ("cervical", "thoracic", "lumbar", "sacrum", "combined")
#: Table 1's counts: registry key -> (cohort column, {cohort level: registry level key})
T1_COUNTS = {
    "sex": ("sex", {"male": "male", "female": "female"}),
    "ecog": ("ecog", {i: str(i) for i in range(5)}),
    "cp": ("child_pugh", {"A": "a", "B": "b", "C": "c"}),
    "primary": ("primary_controlled", {"yes": "controlled", "no": "uncontrolled"}),
    "extrahepatic": ("extrahepatic_mets", {"yes": "yes", "no": "no"}),
    "site": ("spine_site", {k: k for k in SITES}),
    "multiple": ("multiple_spinal_mets", {"yes": "yes", "no": "no"}),
    "mass": ("mass_type", {"yes": "yes", "no": "no"}),
    "cord": ("cord_compression", {"yes": "yes", "no": "no"}),
    "fracture": ("pathologic_fracture", {"yes": "yes", "no": "no"}),
    "bed": ("bed_group", {"<=38": "le38", "39-53": "39_53", ">53": "gt53"}),
    "treatment": (
        "treatment",
        {"RT alone": "rt", "RT+CTx": "rt_ctx", "RT+S": "rt_s", "RT+CTx+S": "rt_ctx_s"},
    ),
    "technique": (
        "rt_technique",
        {"conventional": "conventional", "3D-CRT": "3dcrt", "IMRT": "imrt"},
    ),
}


def _registry():
    from .. import published

    return published.load(PAPER)


def _t2(A, var, lev, col) -> int:
    return int(A.value(f"t2_{var}_{lev}_{col}_n"))


def t2_table(A, var: str, outcome: str) -> np.ndarray:
    """Table 2's printed cross-tab of one factor: rows its levels, columns (resp, nonresp) or
    (cr, noncr)."""
    cols = ("resp", "nonresp") if outcome == "resp" else ("cr", "noncr")
    return np.array([[_t2(A, var, lev, c) for c in cols] for lev in T2_FACTORS[var][1]])


def _matches(p: float, pub) -> bool:
    if pub.bound == "<":
        return p < pub.value
    return abs(p - pub.value) <= pub.default_tolerance


def table2_p_values(A=None) -> pd.DataFrame:
    """Every Table 2 p-value recomputed from Table 2's printed counts by Pearson's, Yates' (2x2)
    and Fisher's test, with the tests that reproduce the printed value (``matches``) and the one
    the footnote's rule implies (``used``: Fisher when an expected count is below 5)."""
    A = _registry() if A is None else A
    rows = []
    for var, (label, _) in T2_FACTORS.items():
        for outcome, name in (("resp", "response"), ("cr", "CR")):
            tab = t2_table(A, var, outcome)
            pub = A[f"t2_{var}_p_{outcome}"]
            res = {m: compare.contingency_test(tab, m) for m in ("pearson", "fisher")}
            if tab.shape == (2, 2):
                res["yates"] = compare.contingency_test(tab, "yates")
            hits = [m for m, r in res.items() if _matches(r.p_value, pub)]
            rule = "fisher" if res["pearson"].small_expected else "pearson"
            used = rule if rule in hits or not hits else hits[0]
            rows.append(
                {
                    "id": pub.id,
                    "factor": label,
                    "outcome": name,
                    "published": pub.text,
                    "pearson": res["pearson"].p_value,
                    "yates": res["yates"].p_value if "yates" in res else np.nan,
                    "fisher": res["fisher"].p_value,
                    "n_small_expected": res["pearson"].n_small_expected,
                    "matches": ", ".join(hits) or "none",
                    "used": used,
                    "reproduced": res[used].p_value,
                }
            )
    return pd.DataFrame(rows).set_index("id")


def _pct(k) -> float:
    return 100 * float(k) / 192


def _rec(value, note, *sources, **kw):
    from ..published import Reproduced

    return Reproduced(value, "recomputed", note=note, sources=tuple(sources), **kw)


def _built(value, target, note="", **kw):
    from ..published import Reproduced

    return Reproduced(value, "by construction", note=note, sources=(target,), **kw)


def _audit_response(A) -> dict:
    """Response counts: Table 2's CR column and responders, PR = responders - CR."""
    cr_ids = [f"t2_multiple_{lev}_cr_n" for lev in ("yes", "no")]
    resp_ids = [f"t2_multiple_{lev}_resp_n" for lev in ("yes", "no")]
    cr_n = sum(A.value(i) for i in cr_ids)
    resp_n = sum(A.value(i) for i in resp_ids)
    pr_n = resp_n - cr_n
    rep = {}
    for nid in ("t2_fn_cr_n", "abs_cr_n", "txt_cr_n"):
        rep[nid] = _rec(cr_n, "sum of Table 2's CR column", *cr_ids)
    for nid in ("abs_response_n", "txt_response_n"):
        rep[nid] = _rec(resp_n, "sum of Table 2's responders", *resp_ids)
    for nid in ("t2_fn_pr_n", "txt_pr_n", "abs_pr_n"):
        rep[nid] = _rec(pr_n, "Table 2: responders - CR", *resp_ids, *cr_ids)
    for nid in ("t2_fn_pr_pct", "txt_pr_pct", "abs_pr_pct"):
        rep[nid] = _rec(_pct(pr_n), "146/192 from Table 2", *resp_ids, *cr_ids, "n_patients")
    for nid, count in (
        ("abs_response_pct", "abs_response_n"),
        ("txt_response_pct", "txt_response_n"),
        ("disc_response_pct", "txt_response_n"),
        ("abs_cr_pct", "abs_cr_n"),
        ("txt_cr_pct", "txt_cr_n"),
        ("t2_fn_cr_pct", "t2_fn_cr_n"),
        ("txt_sp_pct", "txt_sp_n"),
        ("txt_pp_pct", "txt_pp_n"),
        ("t2_fn_sp_pct", "t2_fn_sp_n"),
        ("t2_fn_pp_pct", "t2_fn_pp_n"),
    ):
        rep[nid] = _rec(_pct(A.value(count)), f"{A[count].text}/192", count, "n_patients")
    return rep


def _audit_table2(A) -> dict:
    """Table 2: p-values from the printed counts; row totals, column totals, percentages."""
    rep = {}
    t2p = table2_p_values(A)
    for nid, r in t2p.iterrows():
        var, outcome = nid[3:].rsplit("_p_", 1)
        cols = ("resp", "nonresp") if outcome == "resp" else ("cr", "noncr")
        src = [f"t2_{var}_{lev}_{c}_n" for lev in T2_FACTORS[var][1] for c in cols]
        rep[nid] = _rec(r.reproduced, f"{r.used}; matches: {r.matches}", *src)
    for nid, var in (
        ("txt_uv_cr_fracture_p", "fracture"),
        ("txt_uv_cr_bed_p", "bed"),
        ("txt_uv_cr_technique_p", "technique"),
    ):
        row = rep[f"t2_{var}_p_cr"]
        rep[nid] = _rec(row.value, "as the Table 2 row", *row.sources)
    for var, (_, levels) in T2_FACTORS.items():
        for lev in levels:
            parts = [f"t2_{var}_{lev}_{c}_n" for c in ("resp", "nonresp")]
            rep[f"t2_{var}_{lev}_patients_n"] = _rec(
                sum(A.value(i) for i in parts), "responders + non-responders", *parts
            )
    for c in T2_COLUMNS:
        parts = [f"t2_multiple_{lev}_{c}_n" for lev in ("yes", "no")]
        rep[f"t2_total_{c}_n"] = _rec(
            sum(A.value(i) for i in parts), "sum over the levels of multiplicity", *parts
        )
    for nid in A:
        if nid.startswith("t2_") and nid.endswith("_pct") and not nid.startswith("t2_fn"):
            count = A.value(nid[:-4] + "_n")
            rep[nid] = _rec(_pct(count), f"{count:g}/192", nid[:-4] + "_n", "n_patients")
    return rep


def _implied_p(args) -> float:
    """Of the p-values the rounded CI allows, the one nearest the printed p."""
    from .. import published

    lo, hi = published.check_ratio(*args[:4]).implied_p_range
    value, bound, _ = published.parse_printed(args[3])
    return lo if bound else float(np.clip(value, lo, hi))


def _audit_ratios(A) -> dict:
    """Tables 3 and 4: each ratio from its limits, each coefficient from its ratio, each p from
    the CI (Altman & Bland 2011)."""
    rep = {}
    for k in T3_ROWS:
        ids = [f"t3_{k}_{f}" for f in ("or", "or_hi", "or_lo", "p")]  # upper limit first
        args = tuple(A[i].text for i in ids)
        lims = ids[1:3]
        rep[f"t3_{k}_or"] = _rec(
            float(np.sqrt(float(args[1]) * float(args[2]))), "sqrt(L*U)", *lims, tol=0.0015
        )
        rep[f"t3_{k}_p"] = _rec(_implied_p(args), "p implied by the CI", *ids[:3])
    rep["txt_mv_cr_technique_p"] = _rec(
        rep["t3_technique_p"].value, "p implied by Table 3's CI", *rep["t3_technique_p"].sources
    )
    for k in T4_ROWS:
        ids = [f"t4_{k}_{f}" for f in ("hr", "hr_lo", "hr_hi", "p_cox", "coef")]
        args = tuple(A[i].text for i in ids)
        hr, lo, hi = (float(a) for a in args[:3])
        rep[f"t4_{k}_hr"] = _rec(float(np.sqrt(lo * hi)), "sqrt(L*U)", *ids[1:3], tol=0.0015)
        rep[f"t4_{k}_coef"] = _rec(float(np.log(hr)), "ln(printed HR)", ids[0], tol=0.0015)
        rep[f"t4_{k}_p_cox"] = _rec(_implied_p(args), "p implied by the CI", *ids[:3])
    for k in ("ecog", "primary", "extrahepatic", "bed"):
        rep[f"txt_mv_{k}_p"] = _rec(
            rep[f"t4_{k}_p_cox"].value, "p implied by Table 4's CI", *rep[f"t4_{k}_p_cox"].sources
        )
    return rep


def _audit_table1(A, cohort) -> dict:
    """Table 1: counts by construction, percentages from the printed counts."""
    rep = {}
    for var, (col, levels) in T1_COUNTS.items():
        vc = cohort[col].value_counts()
        for level, key in levels.items():
            nid = f"t1_{var}_{key}_n"
            rep[nid] = _built(int(vc.get(level, 0)), nid)
            count = A.value(nid)
            rep[f"t1_{var}_{key}_pct"] = _rec(_pct(count), f"{count:g}/192", nid, "n_patients")
    for var, col in {
        "age": "age",
        "afp": "afp",
        "interval": "interval_months",
        "bpi": "baseline_pain",
    }.items():
        for stat in ("median", "min", "max"):
            nid = f"t1_{var}_{stat}"
            rep[nid] = _built(float(getattr(cohort[col], stat)()), nid)
    for stat in ("median", "min", "max"):
        rep[f"bed10_{stat}"] = _built(float(getattr(cohort.bed10, stat)()), f"bed10_{stat}")
    parts = ("t1_sex_male_n", "t1_sex_female_n")
    n = sum(A.value(i) for i in parts)
    for nid in (
        "n_patients",
        "t1_n",
        "abs_n_methods",
        "abs_n_results",
        "txt_r1_n",
        "txt_r2_n",
        "txt_lumbar_denominator",
        "txt_thoracic_denominator",
        "disc_n",
    ):
        rep[nid] = _rec(n, "male + female (Table 1)", *parts)
    return rep


def _t4_from_t1(A) -> dict:
    """Table 4's patient counts that Table 1 (or Table 2) prints: key -> registry ids."""

    def t1(*ids):
        return [f"t1_{i}_n" for i in ids]

    out = {
        "sex_male": t1("sex_male"),
        "sex_female": t1("sex_female"),
        "ecog_0_2": t1("ecog_0", "ecog_1", "ecog_2"),
        "ecog_3_4": t1("ecog_3", "ecog_4"),
        "cp_ab": t1("cp_a", "cp_b"),
        "cp_c": t1("cp_c"),
        "primary_controlled": t1("primary_controlled"),
        "primary_uncontrolled": t1("primary_uncontrolled"),
        "treatment_rt": t1("treatment_rt"),
        "treatment_rt_ctx": t1("treatment_rt_ctx"),
        "treatment_rt_s": t1("treatment_rt_s", "treatment_rt_ctx_s"),
        "technique_conventional": t1("technique_conventional"),
        "technique_advanced": t1("technique_3dcrt", "technique_imrt"),
        "cr_cr": ["t2_total_cr_n"],
        "cr_noncr": ["t2_total_noncr_n"],
    }
    for var in ("extrahepatic", "multiple", "mass", "cord", "fracture"):
        for lev in ("yes", "no"):
            out[f"{var}_{lev}"] = t1(f"{var}_{lev}")
    for lev in ("le38", "39_53", "gt53"):
        out[f"bed_{lev}"] = t1(f"bed_{lev}")
    for s in SITES:
        out[f"site_{s}"] = t1(f"site_{s}")
    return out


def simulated_waits(data: pd.DataFrame, seed: int = 2015) -> np.ndarray:
    """Days from diagnosis to RT, drawn to match Table 1 (median 7, range 0-187): log-normal
    quantiles with median 7 days, cut at 187, dealt out at random (the audit's immortal-time
    section; chapter 30's history)."""
    from scipy import stats

    n = len(data)
    rng = np.random.default_rng(seed)
    q = stats.norm.ppf((np.arange(n) + 0.5) / n)
    return rng.permutation(np.clip(np.round(7 * np.exp(1.2 * q)), 0, 187))


def _emergent(A, ours, reps, ids, step, notes=None) -> dict:
    from .. import published

    out = published.from_replicates(A, ours, reps, ids=ids, notes=notes)
    return {
        k: dataclasses.replace(v, sources=(step,)) if v.label == "emergent" else v
        for k, v in out.items()
    }


def _audit_cohort(A, cohort) -> dict:
    """The numbers judged on the rebuilt cohort and its replicates."""
    from .. import cohorts
    from ..published import Reproduced

    d = prepare(cohort)
    ours = analyse(cohort)
    reps = cohorts.load_replicates(PAPER).copy()
    for var in ("ecog", "cp", "primary", "extrahepatic", "bed"):
        ours[f"txt_uv_{var}_p"] = ours[f"t4_{var}_p_logrank"]
        reps[f"txt_uv_{var}_p"] = reps[f"t4_{var}_p_logrank"]
    rep = {}
    # overall survival
    med, _ = overall_survival(d)
    rates = survival.survival_at(d.os_months, d.death, [12, 24])
    ci = ("txt_os_median_lo", "txt_os_median_hi")
    rep.update(
        _emergent(
            A,
            ours,
            reps,
            ci,
            "overall_survival",
            notes={ci[0]: "SPSS-style median - 1.96 SE", ci[1]: "SPSS-style median + 1.96 SE"},
        )
    )
    rep["txt_os_median"] = _rec(sum(A.value(i) for i in ci) / 2, "midpoint of the CI", *ci)
    rep["txt_dead_n"] = _built(int(d.death.sum()), "txt_dead_n")
    for nid in ("abs_os_median", "disc_os_median"):
        rep[nid] = _built(float(med.median), "txt_os_median")
    for nid, k in (
        ("txt_os_1y", 12),
        ("abs_os_1y", 12),
        ("disc_os_1y", 12),
        ("txt_os_2y", 24),
        ("abs_os_2y", 24),
        ("disc_os_2y", 24),
    ):
        rep[nid] = _built(100 * float(rates.survival[k]), f"txt_os_{k // 12}y", tol=1.5)
    # Table 4, univariate
    t4_t1 = _t4_from_t1(A)
    for var, (_, levels) in FACTORS.items():
        for key in levels.values():
            k = f"{var}_{key}"
            nid = f"t4_{k}_n"
            if k in t4_t1:
                src = t4_t1[k]
                rep[nid] = _rec(sum(A.value(i) for i in src), "Table 1 counts", *src)
            else:
                rep[nid] = _built(int((d[FACTORS[var][0]] == _level(var, key)).sum()), nid)
    uni_ids = [
        i
        for i in ours
        if i.startswith("t4_")
        and i.endswith(("_median", "_se"))
        or i.endswith("_p_logrank")
        or i.startswith("txt_uv_")
    ]
    rep.update(_emergent(A, ours, reps, uni_ids, "table4_univariate"))
    # Table 4, Cox: the ratios are recomputed from their limits; the limits are emergent
    rep.update(
        _emergent(
            A,
            ours,
            reps,
            [f"t4_{k}_hr_{s}" for k in COX_KEYS.values() for s in ("lo", "hi")],
            "table4_cox",
        )
    )
    # Table 3: every replicate rebuilds Table 2's joint counts, so all give the same model
    step, _ = table3(d)
    for key in T3_ROWS:
        term, flip = TABLE3_TERMS[f"t3_{key}"]
        sel = term in step.summary.index
        r = step.summary.loc[term] if sel else None
        # the printed coding is non-CR: the reciprocal of our OR for CR (see TABLE3_TERMS)
        lo, hi = (1 / r["or_upper"], 1 / r["or_lower"]) if sel and flip else (None, None)
        if sel and not flip:
            lo, hi = r["or_lower"], r["or_upper"]
        for side, v in (("lo", lo), ("hi", hi)):
            rep[f"t3_{key}_or_{side}"] = Reproduced(
                None if v is None else float(v),
                "emergent",
                note="identical in every replicate" if sel else "not selected by the stepwise rule",
                sources=("table3",),
            )
    # waits from diagnosis to RT (the immortal-time section): simulated to match Table 1
    wait = simulated_waits(cohort)
    for stat in ("median", "min", "max"):
        nid = f"t1_dx_to_rt_{stat}"
        rep[nid] = _built(float(getattr(np, stat)(wait)), nid, note="simulated waits")
    # Fig. 1 risk groups
    rule_out = "Table 1 margins rule out 103/71/16/2"
    fig1_ids = [i for i in ours if i.startswith("fig1_")]
    rep.update(
        _emergent(
            A,
            ours,
            reps,
            fig1_ids,
            "risk_groups",
            notes={f"fig1_group_{g}_n": rule_out for g in "abcd"},
        )
    )
    rep["disc_risk_2plus_median"] = _rec(
        max(A.value("fig1_group_c_median"), A.value("fig1_group_d_median")),
        "groups C and D (Results 3)",
        "fig1_group_c_median",
        "fig1_group_d_median",
    )
    rep["disc_risk_0_median"] = _rec(
        A.value("fig1_group_a_median"), "group A (Results 3)", "fig1_group_a_median"
    )
    # Table 2's cells and the text's SP/PP counts: construction targets
    for var, (_, levels) in T2_FACTORS.items():
        col = FACTORS[var][0]
        for lev in levels:
            for c, cats in T2_RESPONSE.items():
                nid = f"t2_{var}_{lev}_{c}_n"
                mask = d.pain_response.isin(cats) & (d[col] == _level(var, lev))
                rep[nid] = _built(int(mask.sum()), nid)
    vc = d.pain_response.value_counts()
    for nid, cat in (
        ("txt_sp_n", "SP"),
        ("t2_fn_sp_n", "SP"),
        ("txt_pp_n", "PP"),
        ("t2_fn_pp_n", "PP"),
    ):
        rep[nid] = _built(int(vc[cat]), nid)
    rep.update(
        _emergent(
            A,
            ours,
            reps,
            ["txt_fu_median"],
            "overall_survival",
            notes={"txt_fu_median": "median observed time"},
        )
    )
    for nid, f in (("txt_fu_min", "min"), ("txt_fu_max", "max")):
        rep[nid] = _built(float(getattr(d.os_months, f)()), nid)
    return rep


def _level(var: str, key: str):
    """The cohort level of a registry level key of a Table 4 factor."""
    return {v: k for k, v in FACTORS[var][1].items()}[key]


def _audit_text(A) -> dict:
    """Results text: percentages out of 192 and counts that Table 1 also prints."""
    rep = {}
    for k in (
        "dead",
        "lost",
        "synchronous",
        "metachronous",
        "lumbar",
        "thoracic",
        "solitary",
        "multiple",
    ):
        rep[f"txt_{k}_pct"] = _rec(
            _pct(A.value(f"txt_{k}_n")), f"{A[f'txt_{k}_n'].text}/192", f"txt_{k}_n", "n_patients"
        )
    for k, same in (
        ("lumbar", "t1_site_lumbar_n"),
        ("thoracic", "t1_site_thoracic_n"),
        ("solitary", "t1_multiple_no_n"),
        ("multiple", "t1_multiple_yes_n"),
    ):
        rep[f"txt_{k}_n"] = _rec(A.value(same), "as Table 1 prints it", same)
    rep["txt_lost_n"] = _rec(192 - A.value("txt_dead_n"), "192 - 181", "n_patients", "txt_dead_n")
    rep["txt_metachronous_n"] = _rec(
        192 - A.value("txt_synchronous_n"), "192 - 48", "n_patients", "txt_synchronous_n"
    )
    parts = [f"txt_additional_{k}_n" for k in ("rert", "surgery", "chemo", "combined")]
    rep["txt_additional_n"] = _rec(sum(A.value(i) for i in parts), "13 + 2 + 6 + 2", *parts)
    return rep


def contradictions() -> list[dict]:
    """Arithmetic across tables that shows printed numbers cannot all be true, beyond what the
    screen's relations check (for :func:`spinemets.audit.report`).

    Each item: ``where``, ``kind``, ``ids`` (registry ids, comma-separated) and ``arithmetic``.

    - the risk-group sizes against Table 1's margins (a sum over patients fixed by margins);
    - the BED-group medians against the overall 1-year survival (a size-weighted mixture of
      group curves, ignoring the 11 censored patients);
    - the AFP median against Table 4's AFP groups.
    """
    A = _registry()
    out = []
    f_ids = ["t1_ecog_3_n", "t1_ecog_4_n", "t1_primary_uncontrolled_n", "t1_extrahepatic_yes_n"]
    g_ids = [f"fig1_group_{g}_n" for g in "abcd"]
    margins = sum(A.value(i) for i in f_ids)
    groups = [A.value(i) for i in g_ids]
    by_groups = sum(k * n for k, n in enumerate(groups))
    free = groups[0]
    out.append(
        {
            "where": "Fig. 1 risk groups vs Table 1",
            "kind": "cross-table arithmetic",
            "ids": ", ".join(g_ids + f_ids),
            "arithmetic": (
                f"summed over patients the three risk factors number "
                f"{' + '.join(A[i].text for i in f_ids)} = {margins:g} whatever their overlap "
                f"(Table 1), but the group sizes {'/'.join(f'{n:g}' for n in groups)} with 0-3 "
                f"factors hold {' + '.join(f'{k} × {n:g}' for k, n in enumerate(groups) if k)} "
                f"= {by_groups:g}; with {free:g} patients free of all three, at most "
                f"{(sum(groups) - free) * 3:g} fit, so the group sizes and Table 1 cannot both "
                "be right"
            ),
        }
    )
    keys = ("le38", "39_53", "gt53")
    n = np.array([A.value(f"t4_bed_{k}_n") for k in keys])
    w = n / n.sum()
    med = [A.value(f"t4_bed_{k}_median") for k in keys]
    s12 = A.value("txt_os_1y") / 100
    s2_max = (s12 - 0.5 * w[2]) / w[1]
    deaths = (0.5 - s2_max) * n[1]
    jump = (math.log(0.5 / s2_max) / (12 - med[1])) / (math.log(2) / med[1])
    out.append(
        {
            "where": "Table 4 BED groups vs 1-year OS",
            "kind": "cross-table arithmetic (implausible)",
            "ids": ", ".join([f"t4_bed_{k}_median" for k in keys] + ["txt_os_1y"]),
            "arithmetic": (
                f"with S(t) = Σ w_g S_g(t), weights {'/'.join(f'{x:.3f}' for x in w)}, and the "
                f">53 group more than half alive at 12 months (median {med[2]:g}): "
                f"S_39-53(12) ≤ ({s12:.3f} - 0.5 × {w[2]:.3f}) / {w[1]:.3f} = {s2_max:.3f}, so at "
                f"least {deaths:.0f} of {n[1]:g} patients of the 39-53 group die in the "
                f"{12 - med[1]:.1f} months after their median of {med[1]:g}, a mean hazard at "
                f"least {jump:.1f} times the one before it: the group medians are implausible "
                "against the overall curve"
            ),
        }
    )
    le, gt = A.value("t4_afp_le200_n"), A.value("t4_afp_gt200_n")
    out.append(
        {
            "where": "Table 1 AFP median vs Table 4 AFP groups",
            "kind": "cross-table arithmetic",
            "ids": "t1_afp_median, t4_afp_le200_n, t4_afp_gt200_n",
            "arithmetic": (
                f"{le:g} of {le + gt:g} patients have AFP ≤ 200 ng/mL (Table 4), more than half, "
                f"so the median AFP is at most 200, not {A['t1_afp_median'].text} (Table 1)"
            ),
        }
    )
    return out


@functools.cache
def comparison():
    """Every registered number of paper A, each once, labelled and judged (``published.compare``).

    *Recomputed* numbers come from other printed numbers only (Table 2's p-values from its
    counts, ratios from their limits, percentages from counts); *by construction* numbers are
    the targets the synthetic cohort was built to hit; *emergent* numbers come from
    :func:`analyse` on the committed cohort, judged by the replicate cohorts' central 95%;
    :data:`NOT_REPRODUCIBLE` lists what nothing can reproduce, with the reason.

    References
    ----------
    Altman DG, Bland JM. How to obtain the P value from a confidence interval. BMJ
    2011;343:d2304. doi:10.1136/bmj.d2304
    """
    from .. import cohorts, published
    from ..published import Reproduced

    A = _registry()
    cohort = cohorts.load(PAPER)
    rep: dict = {}
    for part in (
        _audit_response(A),
        _audit_table2(A),
        _audit_ratios(A),
        _audit_table1(A, cohort),
        _audit_text(A),
        _audit_cohort(A, cohort),
        {k: Reproduced(None, "emergent", note=v) for k, v in NOT_REPRODUCIBLE.items()},
    ):
        twice = set(rep) & set(part)
        if twice:
            raise RuntimeError(f"choi2015 audit: numbers reproduced twice: {sorted(twice)}")
        rep.update(part)
    return published.compare(A, {nid: rep[nid] for nid in A if nid in rep})


__all__ = [
    "PAPER",
    "FACTORS",
    "COX_KEYS",
    "TABLE3_TERMS",
    "prepare",
    "overall_survival",
    "table4_univariate",
    "cox_frame",
    "table4_cox",
    "table3",
    "risk_groups",
    "analyse",
    "NOT_REPRODUCIBLE",
    "T2_FACTORS",
    "t2_table",
    "table2_p_values",
    "simulated_waits",
    "comparison",
    "contradictions",
]
