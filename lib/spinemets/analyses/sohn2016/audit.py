"""Paper B's audit: *by construction* and *emergent* numbers, and :func:`comparison`
(every registered number once, see :mod:`spinemets.audit`)."""

from __future__ import annotations

import functools

import pandas as pd

from spinemets import cohorts, published, survival
from spinemets.published import Reproduced

from .recomputation import NOT_REPRODUCIBLE, recomputed
from .steps import PAIN_LEVELS, analyse, local_control, pair_rt_group, paired_frame, prepare


def by_construction(data: pd.DataFrame) -> dict[str, Reproduced]:
    """The numbers the synthetic cohort was built to hit, read off ``data`` with their targets.

    Table 1 counts and means per arm (SDs were inputs, within 10%), fractions, post-treatment
    VAS, Table 2's pain categories, the number of pairs, local control at 3, 6 and 12 months
    (tolerance 6 points, the cohort's fitting tolerance) and the median OS and PFS.
    """
    d = prepare(data)
    srs, rt = d[d.rt_group == "SRS"], d[d.rt_group == "RT_like"]
    R = Reproduced
    out: dict[str, Reproduced] = {
        "n_pairs": R(
            len(srs),
            "by construction",
            note="28 SRS patients built in, all paired",
            sources=("srs_n",),
        ),
    }
    for col, key in (
        ("age", "age"),
        ("interval_months", "interval"),
        ("tumor_volume_cc", "volume"),
        ("pre_vas", "pre_vas"),
        ("total_dose_gy", "dose"),
    ):
        for a, g in (("srs", srs), ("rt", rt)):
            out[f"t1_{key}_{a}_mean"] = R(
                g[col].mean(), "by construction", sources=(f"t1_{key}_{a}_mean",)
            )
            out[f"t1_{key}_{a}_sd"] = R(
                g[col].std(),
                "by construction",
                rtol=0.1,
                note="SD was an input, not a target",
                sources=(f"t1_{key}_{a}_sd",),
            )
    counts = {
        "male": ("sex", "male"),
        "female": ("sex", "female"),
        "child_a": ("child_pugh", "A"),
        "child_b": ("child_pugh", "B"),
        "cervical": ("location", "cervical"),
        "thoracic": ("location", "thoracic"),
        "lumbar": ("location", "lumbar"),
        "mets1": ("n_spine_mets", "1"),
        "mets2": ("n_spine_mets", "2"),
        "mets3": ("n_spine_mets", "3"),
        "mets4": ("n_spine_mets", ">=4"),
        "ecog01": ("ecog_group", "0-1"),
        "ecog2": ("ecog_group", ">=2"),
        "amb12": ("ambulation_group", "1-2"),
        "amb3": ("ambulation_group", ">=3"),
    }
    for key, (col, level) in counts.items():
        for a, g in (("srs", srs), ("rt", rt)):
            out[f"t1_{key}_{a}"] = R(
                int((g[col].astype(str) == level).sum()),
                "by construction",
                sources=(f"t1_{key}_{a}",),
            )
    for a, g in (("srs", srs), ("rt", rt)):
        out[f"{a}_fractions_mean"] = R(
            g.fractions.mean(), "by construction", sources=(f"{a}_fractions_mean",)
        )
        out[f"{a}_fractions_sd"] = R(
            g.fractions.std(), "by construction", tol=0.1, sources=(f"{a}_fractions_sd",)
        )
        out[f"vas_post_{a}"] = R(g.post_vas.mean(), "by construction", sources=(f"vas_post_{a}",))
        for c in PAIN_LEVELS:
            out[f"t2_{c}_{a}"] = R(
                int((g.pain_relief.astype(str) == c).sum()),
                "by construction",
                sources=(f"t2_{c}_{a}",),
            )
    pairs = paired_frame(pair_rt_group(data))
    lc = local_control(pairs)
    for a in ("srs", "rt"):
        for t in (3, 6, 12):
            out[f"lc_{a}_{t}m"] = R(
                100 * float(lc.loc[t, (a.upper(), "actuarial")]),
                "by construction",
                tol=6,
                note="actuarial; the cohort's Kaplan-Meier was fitted here (tolerance 6 points)"
                + (
                    ". At 12 months the paper's actuarial table counts the patients censored "
                    "(mostly by death) in (6, 12] as at risk for half the interval, so over the "
                    "replicates it runs above the Kaplan-Meier rate the cohort carries (SRS: "
                    "replicate median about 31% against 25%)"
                    if t == 12
                    else ""
                ),
                sources=(f"lc_{a}_{t}m",),
            )
    for arm, g in (("srs", srs), ("rt", rt)):
        os_med = survival.median_survival(g.os_months, g.death).median
        pfs_med = survival.median_survival(g.pfs_months, g.local_progression).median
        tol = 0.5 if arm == "rt" else None
        for nid in (f"os_median_{arm}", f"fig2_os_median_{arm}"):
            out[nid] = R(os_med, "by construction", sources=(f"os_median_{arm}",))
        for nid in (f"pfs_median_{arm}", f"fig3_pfs_median_{arm}"):
            out[nid] = R(pfs_med, "by construction", tol=tol, sources=(f"pfs_median_{arm}",))
    return out


#: Emergent numbers: registry id -> (the statistic of :func:`analyse`, the step, the note)
EMERGENT = {
    **{
        f"t1_{k}_p": (f"t1_{k}_p", "table1", "paired t on the synthetic pairs")
        for k in ("age", "interval", "volume", "pre_vas", "dose")
    },
    "t1_n_mets_p": ("t1_n_mets_p", "table1", "Wilcoxon signed-rank on the synthetic pairs"),
    "t1_location_p": ("t1_location_p", "table1", "Bowker (3 x 3) on the synthetic pairs"),
    "t1_nbed_srs_mean": ("nbed_srs_mean", "paired_frame", "mean EQD2 of the cohort's schedules"),
    "t1_nbed_rt_mean": (
        "nbed_rt_mean",
        "paired_frame",
        "the printed mean dose and fractions (31.5 Gy in 10.2) allow no mean nBED below 34.25 "
        "(Jensen, chapter 01): 33.7 cannot come from them",
    ),
    "t2_vas_change_srs_sd": ("t2_vas_change_srs_sd", "analyse", ""),
    "t2_vas_change_rt_sd": ("t2_vas_change_rt_sd", "analyse", ""),
    "t2_vas_change_p": ("t2_vas_change_p", "analyse", "paired t between pairs"),
    "t2_pain_relief_p": (
        "t2_pain_relief_p",
        "symmetry_tests",
        "Bowker df = 6 on the synthetic pairs",
    ),
    **{
        f"lc_{a}_{t}m": (f"lc_{a}_{t}m", "local_control", "actuarial, not a fitting target")
        for a in ("srs", "rt")
        for t in (1, 2)
    },
    "os_p": ("os_p", "survival_tests", "log-rank stratified by pair"),
    "fig2_os_p": ("os_p", "survival_tests", "log-rank stratified by pair"),
    "pfs_p": ("pfs_p", "survival_tests", "log-rank stratified by pair"),
    "fig3_pfs_p": ("pfs_p", "survival_tests", "log-rank stratified by pair"),
}


def emergent(data: pd.DataFrame | None = None) -> dict[str, Reproduced]:
    """Emergent numbers of ``data`` (default: the shipped one), judged on the replicates.

    Every statistic of :func:`analyse` with its replicate distribution
    (``data/replicates/sohn2016.csv``), plus numbers without replicates (not judged): the mean
    and SD of follow-up and the nBED SDs (the same schedules in every replicate).
    """
    data = cohorts.load("sohn2016") if data is None else data
    values = analyse(data)
    judged = published.from_replicates("sohn2016", values)
    out = {}
    for nid, (stat, step, note) in EMERGENT.items():
        r = judged[stat]
        if r.label == "emergent":
            out[nid] = Reproduced(
                r.value, "emergent", note=note, replicates=r.replicates, sources=(step,)
            )
        else:  # the same in every replicate (fixed_in_replicates): no distribution to judge by
            out[nid] = Reproduced(
                r.value,
                "emergent",
                sources=(step,),
                note=f"{note}; the same in every replicate, not judged",
            )
    d = prepare(data)
    for a, arm in (("srs", "SRS"), ("rt", "RT_like")):
        g = d[d.rt_group == arm]
        out[f"followup_{a}_mean"] = Reproduced(
            g.os_months.mean(), "emergent", note="mean OS time", sources=("prepare",)
        )
        out[f"followup_{a}_sd"] = Reproduced(
            g.os_months.std(), "emergent", note="SD of OS time", sources=("prepare",)
        )
        out[f"t1_nbed_{a}_sd"] = Reproduced(
            g.nbed.std(),
            "emergent",
            sources=("prepare",),
            note="the same schedules in every replicate: not judged",
        )
    return out


def _head(reg, nid: str, explicit) -> str | None:
    """The printing that ``nid`` repeats (following ``same_as``) and that has its own verdict."""
    seen = {nid}
    while nid not in explicit and reg[nid].same_as:
        nid = reg[nid].same_as
        if nid in seen:
            return None
        seen.add(nid)
    return nid if nid in explicit else None


@functools.cache
def comparison() -> published.Comparison:
    """Every registered number of paper B once, labelled and judged (:mod:`spinemets.audit`).

    Recomputed (:func:`recomputed`), by construction and emergent on the shipped cohort
    (:func:`by_construction`, :func:`emergent`), not reproducible (:data:`NOT_REPRODUCIBLE`); a
    number printed again (``same_as`` in the registry) is judged as the printing it repeats.
    """
    reg = published.load("sohn2016")
    cohort = cohorts.load("sohn2016")
    rep: dict[str, Reproduced] = {}
    for part in (recomputed(), by_construction(cohort), emergent(cohort)):
        clash = set(part) & set(rep)
        if clash:
            raise RuntimeError(f"numbers reproduced twice: {sorted(clash)}")
        rep.update(part)
    for nid, why in NOT_REPRODUCIBLE.items():
        if nid in rep:
            raise RuntimeError(f"{nid} is both reproduced and not reproducible")
        rep[nid] = Reproduced(None, "recomputed", note=why)
    explicit = dict(rep)
    for nid in reg:
        if nid in rep:
            continue
        head = _head(reg, nid, explicit)
        if head is None:
            raise RuntimeError(f"{nid}: no reproduction and no same_as printing that has one")
        r = explicit[head]
        rep[nid] = Reproduced(
            r.value,
            r.label,
            tol=r.tol,
            rtol=r.rtol,
            replicates=r.replicates,
            only_fit=r.only_fit,
            sources=r.sources or (head,),
            note=f"printed again (same as {head})" + (f"; {r.note}" if r.note else ""),
        )
    missing = set(reg) - set(rep)
    if missing:
        raise RuntimeError(f"registry numbers without a verdict: {sorted(missing)}")
    return published.compare(reg, {k: rep[k] for k in reg})
