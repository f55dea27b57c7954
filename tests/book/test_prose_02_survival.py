"""Numbers chapter 02 (survival) states in its prose, recomputed.

The chapter types them as literals; each is recomputed here with the library (the stored
robust-SE simulation, the competing-risks simulation with the chapter's seeds) or from the
limits paper C printed, and the chapter must still say it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _prose import assert_says

from spinemets import simulate, survival

CHAPTER = "02_survival"


def _paper_c_table2():
    """Paper C's Table 2 as the chapter types it (median and 95% CI in days, as printed)."""
    t = pd.DataFrame(
        [
            ("Tokuhashi A (0-8)", 172, 55.57, 288.43),
            ("Tokuhashi B (9-11)", 255, 159.94, 350.06),
            ("rev. Tokuhashi A (0-5)", 118, 32.27, 203.73),
            ("rev. Tokuhashi B (6-9)", 243, 121.20, 364.80),
            ("rev. Tokuhashi C (10-15)", 255, 174.64, 335.36),
            ("Tomita II (4-5)", 349, 210.90, 487.11),
            ("Tomita III (6-7)", 180, 136.61, 223.39),
            ("Tomita IV (8-10)", 74, 2.72, 145.18),
            ("rev. Tomita III (6-8)", 180, 133.60, 226.40),
            ("rev. Tomita IV (9-10)", 72, 63.68, 80.32),
        ],
        columns=["group", "median", "lower", "upper"],
    ).set_index("group")
    below, above = t["median"] - t.lower, t.upper - t["median"]
    # symmetric to the printed rounding: two limits rounded to 0.01 move a half-width by < 0.01
    symmetric = (below - above).abs() < 0.01 + 1e-9
    iv = t.loc["Tomita IV (8-10)"]
    assert list(t.index[~symmetric]) == ["Tomita IV (8-10)"], "the chapter names one row"
    words = {9: "Nine"}
    return [
        f"{words[int(symmetric.sum())]} of ten rows are symmetric to the printed rounding",
        f"its midpoint is {(iv.lower + iv.upper) / 2:.2f} and its half-widths differ by "
        f"{abs((iv['median'] - iv.lower) - (iv.upper - iv['median'])):.2f} "
        f"({iv['median'] - iv.lower:.2f} below, {iv.upper - iv['median']:.2f} above)",
    ]


def _robust_se():
    """The stored simulation of naive and robust Cox SEs with 18 clusters of 10."""
    c = simulate.load_robust_se_simulation("cluster")
    w = simulate.load_robust_se_simulation("within")
    # "the naive SE is too *large* and the robust one is again a little small"
    assert w.mean_naive_se > w.empirical_sd > w.mean_robust_se
    # "repairs most, not all": robust SE between the naive SE and the true SE
    assert c.mean_naive_se < c.mean_robust_se < c.empirical_sd
    return [
        f"Each of {c.n_sim} data sets was fitted",
        f"truth in {100 * c.coverage_naive:.0f}% of the data sets",
        f"on average it is {c.robust_to_empirical:.2f} times the true SE and its intervals "
        f"cover {100 * c.coverage_robust:.0f}%.",
    ]


def _competing_risks():
    """One cohort of 200 (seed 7) and 100 cohorts (seeds 1000-1099), as the chapter draws them."""
    cr = simulate.competing_risks(n=200, mean_progression=24, mean_death=12, censor=(6, 48), seed=7)
    cif = survival.cumulative_incidence(cr.time, cr.code, event_of_interest=1)
    at = [12, 24]
    aj = np.array([cif.cif[cif.time <= x].iloc[-1] for x in at])
    naive = 1 - survival.survival_at(cr.time, (cr.code == 1).astype(int), at).survival.to_numpy()
    true = cr.attrs["true_cif"](at)
    above, below = naive[0] - true[0], true[0] - aj[0]
    # "about equally far from the true cumulative incidence ... on opposite sides"
    assert above > 0 and below > 0 and abs(above - below) < 0.02
    reps = []
    for seed in range(1000, 1100):
        sim = simulate.competing_risks(
            n=200, mean_progression=24, mean_death=12, censor=(6, 48), seed=seed
        )
        sim_cif = survival.cumulative_incidence(sim.time, sim.code, event_of_interest=1)
        sim_km = survival.survival_at(sim.time, (sim.code == 1).astype(int), [12])
        reps.append((1 - sim_km.survival.iloc[0], sim_cif.cif[sim_cif.time <= 12].iloc[-1]))
    mean_naive, mean_aj = np.mean(reps, axis=0)
    return [
        f"({above:.3f} above it and {below:.3f} below it), on opposite sides",
        f"naive estimate is {naive[1] / true[1]:.1f} times the true value",
        f"$1 - e^{{-t/24}}$ = {1 - np.exp(-12 / 24):.2f} at 12 months, while the cumulative "
        f"incidence in the real world is {true[0]:.2f}.",
        f"Over 100 cohorts the mean 1 − KM at 12 months is {mean_naive:.3f} and the mean "
        f"Aalen-Johansen estimate {mean_aj:.3f}, against a true cumulative incidence of "
        f"{true[0]:.2f}:",
    ]


def _lung_institutions():
    """'18 clusters of 10 (the number of institutions above)': the stored simulation's
    design, and as many clusters as lung has institutions."""
    from lifelines.datasets import load_lung

    c = simulate.load_robust_se_simulation("cluster")
    assert c.n_clusters == load_lung()["inst"].nunique()
    return [f"with {c.n_clusters} clusters of {c.cluster_size} (the number of institutions above)"]


CASES = [_paper_c_table2, _robust_se, _competing_risks, _lung_institutions]


@pytest.mark.parametrize("make", [pytest.param(f, id=f.__name__.lstrip("_")) for f in CASES])
def test_chapter_02_still_says_it(make):
    assert_says(CHAPTER, make())
