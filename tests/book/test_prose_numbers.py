"""Numbers typed into a chapter's prose, recomputed.

Chapters that keep plumbing out of the reader's cells state computed numbers in prose. Each
statement below is recomputed with the library (whose functions are checked against
statsmodels, R or closed forms in their own tests) or from the data files, and the chapter must
still say it: a change in the library or the data that alters a number fails here, not silently
in the text.
"""

from __future__ import annotations

import math

import pytest
from _prose import assert_says

from spinemets import audit, power


def _chapter21():
    pairs, deaths_a, events_d = 28, 181, 10
    hr_b = power.pair_logrank_detectable_hr(pairs).effect
    hr_d = power.logrank_detectable_hr(events_d, allocation=13 / 28).effect
    mildest = math.exp(-1.959964 / math.sqrt(events_d * (13 / 28) * (15 / 28)))
    choi, park = audit.replicated_p("choi2015"), audit.replicated_p("park2016")
    share = "share p < 0.05"
    return [
        f"has {power.logrank_detectable_hr(deaths_a, allocation=104 / 192).effect:.2f} as its "
        "detectable hazard ratio",
        f"difference of {power.paired_t_detectable(pairs).effect:.2f} standard deviations",
        f"{hr_b:.2f} (or {1 / hr_b:.1f}) or stronger",
        f"all 56 deaths would give {power.logrank_detectable_hr(56).effect:.2f}",
        f"power of only {power.pair_logrank_power(0.47, pairs):.2f} "
        f"({power.logrank_power(0.47, pairs):.2f} by Schoenfeld",
        f"only a hazard ratio of {hr_d:.2f} or smaller",
        f"milder than {min(mildest, 1 / mildest):.2f}",
        f"replication probability of {power.logrank_power(0.12, events_d, 13 / 28):.0%}",
        f"only {power.logrank_power(math.sqrt(0.12), events_d, 13 / 28):.0%} of the time",
        f"below 0.05 in {park.loc['LPFR, concurrent vs not, log-rank p', share]:.2f} of the",
        f"significant in {choi.loc['ECOG performance status: Cox p', share]:.2f} of the",
        f"only in {choi.loc['ECOG performance status: log-rank p', share]:.2f}, because",
        f"between about {hr_b:.2f} and {1 / hr_b:.1f}",
    ]


def _chapter21_replicate_hr():
    from spinemets.cohorts import load_replicates

    hr = load_replicates("park2016")["t2_uva_target_hr"]  # univariable HR of concurrent therapy
    return [f"has a median of {hr.median():.2f} against the published 0.12"]


def _chapter20():
    from spinemets import screen

    rates, run = screen.honest_rates()  # the stored benchmark run the chapter reads
    sym = run["symmetric_median_ci"]
    correct = ["half-up", "half-even", "R"]
    fa = rates["false_alarms"].unstack("convention")
    impl = rates["implausible"].unstack("convention")[correct].sum(axis=1)
    honest = rates["honest"].unstack("convention")
    inconsistent = int((fa[correct].sum(axis=1) - impl).sum())
    assert inconsistent == 0, "the chapter says: no inconsistent verdict on correct reports"
    by_rule = impl[impl > 0]
    assert sorted(by_rule.index) == ["composite_median", "km_denominator"]
    km_share = 100 * fa.loc["km_denominator"] / honest.loc["km_denominator"]
    spss = rates.xs("SPSS", level="convention")
    spss_rules = [f"`{r}`" for r in spss.index[spss.false_alarms > 0]]
    trunc = rates.xs("truncated", level="convention")
    hu = rates.xs("half-up", level="convention").loc["km_denominator"]
    a = screen.screen("choi2015")
    missing = sorted(set(screen.conventions().index) - set(rates.index.get_level_values("rule")))
    assert not missing, f"the chapter says every rule is benchmarked; not: {missing}"
    return [
        f"{sym['total']} Brookmeyer-Crowley intervals",
        f"to one decimal, {sym['symmetric']} ({100 * sym['symmetric'] / sym['total']:.0f}%) did",
        f"Paper A has {a.counts['inconsistent']} inconsistent and {a.counts['implausible']} "
        f"implausible relations out of {len(a.table)}",
        f"With {run['n']} reports per rule and convention (`{run['command']}`, seed {run['seed']})",
        f"They raise {int(by_rule.sum())} *implausible* ones",
        f"`km_denominator` ({int(by_rule['km_denominator'])}) and `composite_median` "
        f"({int(by_rule['composite_median'])})",
        f"in {km_share[correct].min():.1f}% to {km_share[correct].max():.1f}% of the "
        "honest reports",
        f"`budget_met_strict` is {'true' if run['budget_met_strict'] else 'false'}",
        f"detects only {100 * hu.detected / hu.injected:.0f}% of curves computed per lesion",
        f"the rules that raise any are {', '.join(spss_rules[:-1])} and {spss_rules[-1]}:",
        f"({int((spss.false_alarms - spss.named).sum())} alarms fail to say so)",
        f"of the {int(trunc.false_alarms.sum())} false alarms they raise, "
        f"{int(trunc.named.sum())} say so",
        f"stored by `{screen.extraction_recall()[1]}`",
    ]


def _chapter01():
    from spinemets import published

    d = published.load("park2016")  # Table 1's lesion counts on each side of the BED cutoff
    low, high = int(d.value("t1_bed_lt514_n")), int(d.value("t1_bed_ge514_n"))
    return [f'Table 1 counts {low} lesions "<51.4" and {high} "≥51.4"']


def _chapter07():
    """Chapter 07's calibration and discrimination on paper C's synthetic cohort, recomputed
    here with lifelines for the curves and the library for S(6 months) and C."""
    import numpy as np
    from lifelines import KaplanMeierFitter

    from spinemets import cohorts, scores, survival
    from spinemets.discrimination import concordance

    d = cohorts.load("lee2015")
    months = 365.25 / 12
    band = [scores.band_of("tokuhashi_revised", t) for t in d.tokuhashi_total]
    groups = dict(list(d.groupby(band)))
    s6 = {
        b: survival.survival_at(g.os_days, g.death, [6 * months]).survival.iloc[0]
        for b, g in groups.items()
    }
    grid = np.unique(d.os_days)
    km = {
        b: KaplanMeierFitter().fit(g.os_days, g.death).survival_function_at_times(grid)
        for b, g in groups.items()
    }
    gap = (km["9-11"] - km["0-8"]).to_numpy()
    widths = []
    for col, higher in (("tokuhashi_total", "survival"), ("tomita_total", "risk")):
        r = concordance(d.os_days, d.death, d[col], higher=higher, cluster=d.patient_id)
        widths.append(r.upper - r.lower)
    assert (gap >= 0).all(), "the chapter says the curves never cross"
    return [
        f"is {s6['0-8']:.2f} in the 0-8 band and {s6['9-11']:.2f} in the 9-11 band",
        f"(the smallest gap is {gap.min():.2f})",
        f"every interval is at least {min(widths):.2f} wide",
    ]


CASES = {
    "01_radiobiology": [_chapter01],
    "07_prognostic_scores": [_chapter07],
    "20_screening": [_chapter20],
    "21_power_replication": [_chapter21, _chapter21_replicate_hr],
}


@pytest.mark.parametrize(
    "chapter,make",
    [pytest.param(c, f, id=f.__name__.lstrip("_")) for c, fs in CASES.items() for f in fs],
)
def test_prose_still_says_it(chapter, make):
    assert_says(chapter, make())
