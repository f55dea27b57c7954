"""Paper C's audit: *recomputed* numbers and :func:`comparison` (every registered number once,
see :mod:`spinemets.audit`)."""

from __future__ import annotations

import functools

from ... import cohorts, published
from ...published import Registry, Reproduced
from .steps import PAPER, TABLE2, _registry, analyse, by_construction, table1, table2

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
