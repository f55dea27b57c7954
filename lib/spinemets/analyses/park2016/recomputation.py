"""Paper D's *recomputed* numbers: each printed number checked from other printed numbers,
one helper per table or section of the paper; :func:`recomputed` joins them."""

from __future__ import annotations

import numpy as np

from .steps import _OLD_IDS, _T1_IDS, MVA, TABLE2

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
    from ... import published

    return published.load("park2016")


def _p_from_ci(D, key: str):
    """Recomputed p of a Table 2 row: tolerance = its range over the rounding of HR and CI,
    plus half a unit of the printed p (Altman & Bland 2011)."""
    from ... import screen
    from ...published import Reproduced

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
    from ...published import Reproduced

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
    """Every number of paper D recomputed from *other* printed numbers (id -> Reproduced).

    One helper per table or section of the paper, in the paper's order: Table 2 (HR and p from
    the limits), Table 1 and the counts that add up, targeted therapy (Methods 3, Results 1),
    radiobiology (Methods 2), outcomes (Results 2-4, Table 3).
    """
    D = _registry()
    out: dict = {}
    for section in (_table2, _table1_counts, _targeted_therapy, _radiobiology, _outcomes):
        section(D, out)
    return out


def _writers(D, out: dict):
    """``rec(nid, value, note, *sources)`` and ``pct(nid, count, denom)``, writing into ``out``."""
    from ...published import Reproduced

    v = D.value

    def rec(nid, value, note, *sources, **kw):
        out[nid] = Reproduced(float(value), "recomputed", note=note, sources=sources, **kw)

    def pct(nid, count, denom, note=None):
        rec(nid, 100 * v(count) / v(denom), note or f"{count} / {denom}", count, denom)

    return rec, pct


def _table2(D, out: dict) -> None:
    """Table 2: every HR from its limits, every p from HR and limits."""
    # Table 2: every HR from its limits, every p from HR and limits
    for k in [f"uva_{k}" for k in TABLE2] + [f"mva_{k}" for k in MVA]:
        out[f"t2_{k}_hr"] = _hr_from_ci(D, k)
        out[f"t2_{k}_p"] = _p_from_ci(D, k)


def _table1_counts(D, out: dict) -> None:
    """Table 1 percentages and the counts that other printed counts add up to."""
    v = D.value
    rec, pct = _writers(D, out)
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


def _targeted_therapy(D, out: dict) -> None:
    """Methods 3 and Results 1: targeted therapy counts and percentages."""
    v = D.value
    rec, pct = _writers(D, out)
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


def _radiobiology(D, out: dict) -> None:
    """Methods 2: BED7 of the printed schedules, fraction ranges."""
    v = D.value
    rec, pct = _writers(D, out)
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


def _outcomes(D, out: dict) -> None:
    """Results 2-4 and Table 3: local progression, first failures, toxicity."""
    v = D.value
    rec, pct = _writers(D, out)
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
