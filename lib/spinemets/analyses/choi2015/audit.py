"""Paper A's audit: every registered number once, with its label, reason and sources
(:func:`comparison`), the numbers no analysis can reproduce and the paper's contradictions."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pandas as pd

from ... import compare, survival
from .steps import (
    COX_KEYS,
    FACTORS,
    PAPER,
    TABLE3_TERMS,
    analyse,
    overall_survival,
    prepare,
    table3,
)

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
    from ... import published

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
            res = {m: compare.independence(tab, m) for m in ("pearson", "fisher")}
            if tab.shape == (2, 2):
                res["yates"] = compare.independence(tab, "yates")
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
    from ...published import Reproduced

    return Reproduced(value, "recomputed", note=note, sources=tuple(sources), **kw)


def _built(value, target, note="", **kw):
    from ...published import Reproduced

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
    from ... import published

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
        # the registry records where each limit was printed; Table 3 puts the upper one first
        upper_first = "printed first" in A[ids[1]].source.get("column", "")
        reversed_note = (
            f"sqrt(L*U); Table 3 prints the upper limit first ({args[1]}–{args[2]}): "
            "the limits are transposed, not wrong, since the OR is their geometric mean"
            if upper_first
            else "sqrt(L*U)"
        )
        rep[f"t3_{k}_or"] = _rec(
            float(np.sqrt(float(args[1]) * float(args[2]))), reversed_note, *lims, tol=0.0015
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
    from ... import published

    out = published.from_replicates(A, ours, reps, ids=ids, notes=notes)
    return {
        k: dataclasses.replace(v, sources=(step,)) if v.label == "emergent" else v
        for k, v in out.items()
    }


def _audit_cohort(A, cohort) -> dict:
    """The numbers judged on the rebuilt cohort and its replicates."""
    from ... import cohorts
    from ...published import Reproduced

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
    rep.update(_audit_cohort_groups(A, d, ours, reps))
    return rep


def _audit_cohort_groups(A, d, ours, reps) -> dict:
    """The rest of :func:`_audit_cohort`: Fig. 1 risk groups, Table 2's cells, follow-up."""
    rep = {}
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
    from ... import cohorts, published
    from ...published import Reproduced

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
