"""Paper B's *recomputed* numbers: each printed number checked from other printed numbers,
one helper per table or section of the paper; :func:`recomputed` joins them."""

from __future__ import annotations

import math

from scipy import stats

from spinemets.published import Reproduced

from .checks import PAIN_COUNTS, _pct, mcnemar_fits, paired_t_p_from_change
from .steps import LC_TIMES


def recomputed() -> dict[str, Reproduced]:
    """Every number recomputed from *other* printed numbers, with its note and sources.

    One helper per section of the paper, in the paper's order: patient flow, Table 1, Table 2
    (pain relief), toxicity (Tables 2 and 3), further interventions.
    """
    out = _patient_flow()
    for section in (_table1, _table2_pain, _toxicity, _further_interventions):
        section(out)
    return out


def _patient_flow() -> dict[str, Reproduced]:
    """Patient flow (Methods and Results): the group sizes and their sums."""
    R = Reproduced
    out: dict[str, Reproduced] = {
        # patient flow
        "srs_n": R(
            40 - 12,
            "recomputed",
            note="40 with HCC - 12 excluded",
            sources=("srs_hcc", "srs_excluded"),
        ),
        "rt_pool": R(
            113 - 21,
            "recomputed",
            note="113 with HCC - 21 excluded",
            sources=("rt_hcc", "rt_excluded"),
        ),
        "mri_followup_n": R(
            24 + 23,
            "recomputed",
            note="SRS 24 + RT 23",
            sources=("mri_followup_srs", "mri_followup_rt"),
        ),
        "mri_followup_pct": R(
            100 * 47 / 56,
            "recomputed",
            note="47 of 56",
            sources=("mri_followup_srs", "mri_followup_rt", "srs_n"),
        ),
        "txt_tox_srs_denominator": R(28, "recomputed", note="the SRS group", sources=("srs_n",)),
        "txt_tox_rt_denominator": R(
            28, "recomputed", note="the RT group (17/28 as printed)", sources=("n_pairs",)
        ),
        "d_sample_size": R(28, "recomputed", note="28 in each group", sources=("srs_n",)),
    }
    return out


def _table1(out: dict[str, Reproduced]) -> None:
    """Table 1: McNemar p decided by the margins; the nBED p bound."""
    R = Reproduced
    # Table 1: McNemar p decided by the margins; nBED bound
    for nid, src, why in (
        ("t1_child_pugh_p", ("t1_child_b_srs", "t1_child_b_rt"), "2 vs 3 in class B"),
        ("t1_ambulation_p", ("t1_amb3_srs", "t1_amb3_rt"), "2 vs 2 with score >= 3"),
    ):
        out[nid] = R(
            1.0,
            "recomputed",
            sources=src,
            note=f"McNemar: every table with these margins ({why}) gives 1.00",
        )
    ecog = mcnemar_fits(9 - 6, 28)
    fit = ecog[ecog.p_value.round(2) == 0.58]
    out["t1_ecog_p"] = R(
        float(fit.p_value.iloc[0]),
        "recomputed",
        only_fit=True,
        sources=("t1_ecog2_srs", "t1_ecog2_rt"),
        note=f"McNemar exact: b = {int(fit.b.iloc[0])}, c = {int(fit.c.iloc[0])} is the only "
        "table with b - c = 3 that prints 0.58",
    )
    sd_worst = 13.5 + 6.7  # SD of the differences when r = -1
    nbed_pmax = 2 * stats.t.sf((58.4 - 33.7) / (sd_worst / math.sqrt(28)), 27)
    out["t1_nbed_p"] = R(
        nbed_pmax,
        "recomputed",
        sources=("t1_nbed_srs_mean", "t1_nbed_srs_sd", "t1_nbed_rt_mean", "t1_nbed_rt_sd"),
        note="largest paired p over every within-pair correlation (r = -1): '<0.0001'",
    )


def _table2_pain(out: dict[str, Reproduced]) -> None:
    """Table 2 and the text: pain relief, VAS change, its paired p."""
    R = Reproduced
    # Table 2: pain relief
    out["txt_vas_change_srs"] = R(
        6.8 - 3.1, "recomputed", note="6.8 - 3.1", sources=("vas_pre_srs", "vas_post_srs")
    )
    out["txt_vas_change_rt"] = R(
        5.6 - 2.7,
        "recomputed",
        tol=0.1,
        note="5.6 - 2.7 = 2.9; 2.8 needs means near 5.55, 2.75",
        sources=("vas_pre_rt", "vas_post_rt"),
    )
    out["t2_vas_change_srs_mean"] = R(
        6.8 - 3.1,
        "recomputed",
        note="text means 6.8 - 3.1",
        sources=("vas_pre_srs", "vas_post_srs"),
    )
    out["t2_vas_change_rt_mean"] = R(
        5.6 - 2.7, "recomputed", tol=0.1, note="as the text", sources=("vas_pre_rt", "vas_post_rt")
    )
    for c, counts in PAIN_COUNTS.items():
        for i, a in enumerate(("srs", "rt")):
            out[f"t2_{c}_{a}_pct"] = R(
                _pct(counts[i]), "recomputed", note=f"{counts[i]}/28", sources=(f"t2_{c}_{a}",)
            )
    out["d_relief_srs_n"] = R(
        6 + 12,
        "recomputed",
        note="complete + partial",
        sources=("t2_complete_srs", "t2_partial_srs"),
    )
    out["d_relief_rt_n"] = R(
        3 + 13, "recomputed", note="complete + partial", sources=("t2_complete_rt", "t2_partial_rt")
    )
    out["d_relief_srs_pct"] = R(
        _pct(18), "recomputed", note="18/28", sources=("t2_complete_srs", "t2_partial_srs")
    )
    out["d_relief_rt_pct"] = R(
        _pct(16),
        "recomputed",
        note="16/28 = 57.14: misrounded",
        sources=("t2_complete_rt", "t2_partial_rt"),
    )
    out["d_improved_srs_pct"] = R(
        _pct(25), "recomputed", note="25/28", sources=("d_improved_srs_n",)
    )
    out["d_improved_rt_pct"] = R(_pct(21), "recomputed", note="21/28", sources=("d_improved_rt_n",))
    for a, (m, sd) in (("srs", (3.7, 2.7)), ("rt", (2.8, 2.4))):
        out[f"vas_prepost_p_{a}"] = R(
            paired_t_p_from_change(m, sd),
            "recomputed",
            note=f"paired t on the change {m} ± {sd}: '<0.0001'",
            sources=(f"t2_vas_change_{a}_mean", f"t2_vas_change_{a}_sd"),
        )


def _toxicity(out: dict[str, Reproduced]) -> None:
    """Toxicity (text, Tables 2 and 3): percentages, grade sums, fractures."""
    R = Reproduced
    # toxicity
    for nid in ("txt_tox_srs_pct", "t2_tox_srs_pct", "t3_tox_srs_pct", "d_tox_srs_pct"):
        out[nid] = R(_pct(9), "recomputed", note="9/28", sources=("t2_tox_srs", "srs_n"))
    out["txt_tox_rt_pct"] = R(
        _pct(17),
        "recomputed",
        note="17/28 = 60.7; 17/27 = 63.0",
        sources=("t2_tox_rt", "txt_tox_rt_denominator"),
    )
    out["t2_tox_rt_pct"] = R(
        _pct(17), "recomputed", note="17/28 as labelled", sources=("t2_tox_rt", "t2_n_rt")
    )
    out["t3_tox_rt_pct"] = R(
        100 * 17 / 27, "recomputed", note="17/27: the real denominator", sources=("t2_tox_rt",)
    )
    out["d_tox_rt_pct"] = R(
        _pct(17),
        "recomputed",
        note="17/28 as printed beside it",
        sources=("d_tox_rt_n", "d_tox_rt_denominator"),
    )
    out["txt_fracture_p"] = R(
        stats.binomtest(5, 6).pvalue,
        "recomputed",
        note="McNemar exact, the 6 fractures in different pairs (b = 5, c = 1)",
        sources=("t2_fracture_srs", "t2_fracture_rt"),
    )
    out["d_fracture_srs_pct"] = R(_pct(5), "recomputed", note="5/28", sources=("d_fracture_srs_n",))
    out["d_fracture_rt_pct"] = R(_pct(1), "recomputed", note="1/28", sources=("d_fracture_rt_n",))
    for nid, g1, g2 in (
        ("t3_nausea_srs", 3, 1),
        ("t3_nausea_rt", 2, 1),
        ("t3_dry_mouth_rt", 2, 1),
        ("t3_dysphagia_rt", 5, 3),
        ("t3_fracture_srs", 3, 2),
    ):
        out[nid] = R(
            g1 + g2, "recomputed", note="grade 1 + grade 2", sources=(f"{nid}_g1", f"{nid}_g2")
        )
    out["t2_dysphagia_rt"] = R(
        8,
        "recomputed",
        note="Table 3 prints 8 (5 + 3), Table 2 prints 4",
        sources=("t3_dysphagia_rt_g1", "t3_dysphagia_rt_g2"),
    )
    out["gi_grade2_srs"] = R(
        1, "recomputed", note="Table 3: only nausea has grade 2", sources=("t3_nausea_srs_g2",)
    )
    out["gi_grade2_rt"] = R(
        1 + 1 + 3,
        "recomputed",
        note="nausea + dry mouth + dysphagia",
        sources=("t3_nausea_rt_g2", "t3_dry_mouth_rt_g2", "t3_dysphagia_rt_g2"),
    )
    out["skin_grade2_rt"] = R(
        1, "recomputed", note="Table 3 grade 2 cell", sources=("t3_skin_rt_g2",)
    )


def _further_interventions(out: dict[str, Reproduced]) -> None:
    """Further interventions (text, Table 2): counts, the interval t test, other-spine p."""
    R = Reproduced
    # further interventions
    out["txt_further_srs"] = R(
        3 + 2 + 1,
        "recomputed",
        note="VP/KP 3 + SRS 2 + RT 1",
        sources=("t2_vp_srs", "t2_srs_srs", "t2_rt_srs"),
    )
    out["txt_further_rt"] = R(
        2 + 3 + 2,
        "recomputed",
        note="surgery 2 + VP/KP 3 + SRS 2",
        sources=("t2_surgery_rt", "t2_vp_rt", "t2_srs_rt"),
    )
    out["t2_vp_srs"] = R(
        2 + 1,
        "recomputed",
        note="2 for fracture + 1 for progression",
        sources=("srs_kyphoplasty_fracture", "srs_vertebroplasty_progression"),
    )
    out["t2_vp_rt"] = R(
        1 + 2,
        "recomputed",
        note="1 for fracture + 2 for progression",
        sources=("rt_vertebroplasty_fracture", "rt_vertebroplasty_progression"),
    )
    p_int = stats.ttest_ind_from_stats(5.2, 3.9, 6, 7.1, 3.8, 7).pvalue
    # over the rounding of the four printed inputs (each +/- 0.05)
    p_round = [
        stats.ttest_ind_from_stats(a, b, 6, c, d, 7).pvalue
        for a in (5.15, 5.25)
        for b in (3.85, 3.95)
        for c in (7.05, 7.15)
        for d in (3.75, 3.85)
    ]
    for nid in ("t2_interval_p", "txt_interval_further_p"):
        out[nid] = R(
            p_int,
            "recomputed",
            tol=0.045,
            note=f"UNPAIRED Student t, 6 vs 7 patients ({min(p_round):.2f} to "
            f"{max(p_round):.2f} over the rounding of the inputs)",
            sources=(
                "t2_interval_srs_mean",
                "t2_interval_srs_sd",
                "t2_interval_rt_mean",
                "t2_interval_rt_sd",
            ),
        )
    out["t2_other_spine_p"] = R(
        1.0,
        "recomputed",
        note="McNemar: 9 vs 9 gives b = c",
        sources=("t2_other_spine_srs", "t2_other_spine_rt"),
    )
    for a in ("srs", "rt"):
        out[f"t2_other_spine_{a}_pct"] = R(
            _pct(9), "recomputed", note="9/28", sources=(f"t2_other_spine_{a}",)
        )


#: Registry id -> why the number cannot be reproduced from what was published.
NOT_REPRODUCIBLE: dict[str, str] = {
    **dict.fromkeys(
        [
            "n_hospitals",
            "period_start",
            "period_end",
            "srs_screened",
            "srs_hospitals",
            "srs_hcc",
            "srs_excluded",
            "rt_screened",
            "rt_hospitals",
            "rt_hcc",
            "rt_excluded",
            "match_ratio",
            "rt_pool_matched_from",
            "ambulation_score_no_deficit",
            "ambulation_score_limp",
            "ambulation_score_cane",
            "ambulation_score_wheelchair",
            "ambulation_score_bedridden",
            "pain_relief_weeks",
            "assessment_month",
            "followup_visit_month",
            "vas_min",
            "vas_max",
            "partial_relief_threshold",
            "stable_pain_threshold",
            "fractions_abutting_min",
            "fractions_abutting_max",
            "single_session_distance_mm",
            "coverage_min_pct",
            "coverage_mean_pct",
            "nbed_name_gy",
            "nbed_reference_dose_per_fraction",
            "nbed_alpha_beta",
            "alpha",
            "t1_fn_isodose",
        ],
        "a definition or design constant",
    ),
    **dict.fromkeys(
        [
            "d_previous_srs_pct",
            "d_previous_rt_low",
            "d_previous_rt_high",
            "d_vcf_srs_lit_low",
            "d_vcf_srs_lit_high",
            "d_vcf_rt_lit",
            "d_fracture_dose_per_fraction",
            "d_fracture_threshold",
            "d_insurance_year",
            "d_cost_srs_fractions",
            "d_cost_rt_fractions",
            "d_cost_usa_pct",
            "d_oligometastases",
        ],
        "a literature value or a statement",
    ),
    **{f"lc_{a}_time_{t}": "a time point, not a result" for a in ("srs", "rt") for t in LC_TIMES},
    **dict.fromkeys(
        [
            "fig1_srs_total_dose",
            "fig1_srs_fractions",
            "fig1_isodose_shown",
            "fig1_isodose_red",
            "fig1_isodose_yellow",
            "fig1_isodose_green",
            "fig1_isodose_blue",
            "fig1_srs_mri_months",
            "fig1_rt_total_dose",
            "fig1_rt_fractions",
            "fig1_rt_mri_months",
        ],
        "the case shown in Figure 1",
    ),
    **dict.fromkeys(
        [
            "srs_kyphoplasty_fracture",
            "srs_vertebroplasty_progression",
            "rt_vertebroplasty_fracture",
            "rt_vertebroplasty_progression",
            "mri_followup_srs",
            "mri_followup_rt",
            "tox_at_least",
            "tox_grade_min",
            "tox_grade_max",
            "t2_interval_srs_mean",
            "t2_interval_srs_sd",
            "t2_interval_rt_mean",
            "t2_interval_rt_sd",
            "t2_surgery_srs",
            "t2_surgery_rt",
            "t2_srs_srs",
            "t2_srs_rt",
            "t2_rt_srs",
            "t2_rt_rt",
            "t2_tox_srs",
            "t2_tox_rt",
            "t2_nausea_srs",
            "t2_nausea_rt",
            "t2_sore_throat_srs",
            "t2_sore_throat_rt",
            "t2_esophagitis_srs",
            "t2_esophagitis_rt",
            "t2_dry_mouth_srs",
            "t2_dry_mouth_rt",
            "t2_dysphagia_srs",
            "t2_diarrhea_srs",
            "t2_diarrhea_rt",
            "t2_skin_srs",
            "t2_skin_rt",
            "t2_fracture_srs",
            "t2_fracture_rt",
            "t3_nausea_srs_g1",
            "t3_nausea_srs_g2",
            "t3_nausea_rt_g1",
            "t3_nausea_rt_g2",
            "t3_sore_throat_rt_g1",
            "t3_dry_mouth_srs_g1",
            "t3_dry_mouth_rt_g1",
            "t3_dry_mouth_rt_g2",
            "t3_dysphagia_srs_g1",
            "t3_dysphagia_rt_g1",
            "t3_dysphagia_rt_g2",
            "t3_diarrhea_srs_g1",
            "t3_diarrhea_rt_g1",
            "t3_fracture_srs_g1",
            "t3_fracture_srs_g2",
            "t3_fracture_rt_grade",
            "t2_other_spine_srs",
            "t2_other_spine_rt",
        ],
        "not in the cohort (no joint data published)",
    ),
    "d_improved_srs_n": "any VAS decrease (Discussion, unadjusted): cuts across the relief "
    "categories, since 'stable' includes decreases below 2; needs the patients' VAS pairs",
    "d_improved_rt_n": "any VAS decrease: 16 improved categories + 5 of the 10 'stable' would "
    "give 21, but only the patients' VAS pairs could say",
    "t2_tox_p": "several fits, no recomputation: McNemar exact prints 0.04 with 7 (or 5) pairs "
    "toxic in both arms, and unpaired Yates (0.044) also rounds to it",
}
