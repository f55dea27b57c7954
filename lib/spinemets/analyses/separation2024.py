"""Paper E (separation operation + SRS vs SRS alone, Global Spine J 2024): the audit and the scenario.

Only a lay summary of the paper was available (``data/published/separation2024.yaml``): it prints
the number of patients, the study period, the journal issue date and the 3-month follow-up, and
no result (no group sizes, no means, no p-values). So:

- :func:`comparison` holds every registered number once: the two that the teaching scenario
  cohort was built to hit (*by construction*: 60 patients, a 3-month visit) and the dates, which
  no other printed number or analysis bears on (:data:`NOT_REPRODUCIBLE`, with the reasons).
  There is no *emergent* number: the summary prints no result to judge a replicate interval
  against. An emergent verdict would need a printed result (a group mean with its SD, a
  difference with its interval) and replicate cohorts built from a printed baseline table.
- The scenario cohort (``data/cohorts/separation2024.csv``, every value an assumption) shows the
  analysis the summary's claims would need. Its steps, each ``step(data) -> result``:
  :func:`prepare`, :func:`baseline_table`, :func:`pain_mixed_model`, :func:`covariance_check`,
  :func:`with_deaths`, :func:`outcomes_at_3_months`, :func:`pain_responders`,
  :func:`frankel_shifts`. Their numbers are emergent from assumptions, never the paper's.
- The selection simulation (no treatment effect; surgery and survival to 3 months both depend
  on prognosis): :func:`simulate_selection`, :func:`selection_summary`, :func:`selection_curve`
  and :func:`ancova_under_selection`.

The module is not in :data:`spinemets.analyses.ANALYSES`: there are no replicate cohorts for
this paper, because there is no printed result that replicates could be judged against.

References
----------
Laird NM, Ware JH. Random-effects models for longitudinal data. Biometrics 1982;38:963-974.
Vickers AJ, Altman DG. Analysing controlled trials with baseline and follow up measurements.
BMJ 2001;323:1123-1124. doi:10.1136/bmj.323.7321.1123
Farrar JT, et al. Clinical importance of changes in chronic pain intensity measured on an
11-point numerical pain rating scale. Pain 2001;94:149-158.
Hernan MA, Hernandez-Diaz S, Robins JM. A structural approach to selection bias.
Epidemiology 2004;15:615-625.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from .. import compare, instruments, published, repeated
from .._results import Result, format_p
from .._validation import (
    check_columns,
    check_integer,
    check_number,
    check_positive,
    check_seed,
    check_size,
)

PAPER = "separation2024"
GROUPS = ("SO", "SRT")  # separation operation + SRS; SRS alone (the reference)
VAS_VISITS = {"vas_pre": 0, "vas_1m": 1, "vas_3m": 3, "vas_6m": 6}  # column -> month
MAX_SIMULATED_PATIENTS = 5_000_000  # simulate_selection: n * n_sim (about 40 MB an array)
OUTCOMES_3M = {"vas": "VAS", "kps": "KPS", "sf36_pf": "RAND-36 PF", "sf36_bp": "RAND-36 pain"}

_DATE = (
    "a date printed by the lay summary ({what}): a fact about the study, not a result; no other "
    "printed number and no analysis bears on it, so nothing can recompute or contradict it"
)

#: registry id -> why it cannot be reproduced
NOT_REPRODUCIBLE: dict[str, str] = {
    "study_start_year": _DATE.format(what="study period, January 2015"),
    "study_start_month": _DATE.format(what="study period, January 2015"),
    "study_end_year": _DATE.format(what="study period, December 2021"),
    "study_end_month": _DATE.format(what="study period, December 2021"),
    "publication_year": _DATE.format(what="journal issue, August 1, 2024"),
    "publication_month": _DATE.format(what="journal issue, August 1, 2024"),
    "publication_day": _DATE.format(what="journal issue, August 1, 2024"),
}

#: what the scenario cohort was built to hit: registry id -> (target in the cohort spec, how)
_TARGETS = {
    "n_patients": ("cohort spec: n = 60 rows", "the scenario has one row per patient"),
    "followup_frankel_months": (
        "cohort spec: a visit at 3 months (frankel_3m, sf36_*_3m)",
        "the scenario measures Frankel grade and RAND-36 at 3 months, as the summary names",
    ),
}


def prepare(data: pd.DataFrame) -> pd.DataFrame:
    """The scenario cohort, checked: every value on its instrument's grid, groups SO and SRT.

    Raises ValueError naming the column when a VAS is not a whole number from 0 to 10, a KPS is
    off the 0-100 grid of tens, a Frankel grade is not A-E, or a group is not SO/SRT.
    """
    need = ["patient_id", "group", *VAS_VISITS, "kps_pre", "kps_3m", "frankel_pre", "frankel_3m"]
    check_columns(data, need, "data")
    bad = sorted(set(data["group"].astype(str)) - set(GROUPS))
    if bad:
        raise ValueError(f"data['group'] must be one of {list(GROUPS)}, got {bad}")
    for col in VAS_VISITS:
        instruments.check_vas(data[col].dropna(), name=col, integer=True)
    for col in ("kps_pre", "kps_3m"):
        instruments.check_kps(data[col].dropna(), name=col)
    out = data.copy()
    for col in ("frankel_pre", "frankel_3m"):
        out[col] = instruments.frankel(out[col], name=col)
    out["group"] = pd.Categorical(out["group"].astype(str), categories=list(GROUPS))
    return out


def baseline_table(data: pd.DataFrame):
    """Table 1 by group (tableone), medians for the skewed scores."""
    d = prepare(data)
    skewed = ["age", "vas_pre", "kps_pre", "sf36_pf_pre", "sf36_bp_pre"]
    cols = ["sex", "bilsky_pre", "frankel_pre", *skewed]
    return compare.table_one(d, cols, group="group", nonnormal=skewed)


def _vas_long(d: pd.DataFrame) -> pd.DataFrame:
    long = repeated.to_long(d, "patient_id", VAS_VISITS, "vas", keep=["group"])
    return long.dropna(subset=["vas"])


def pain_mixed_model(data: pd.DataFrame) -> repeated.MixedModelResult:
    """VAS at 0, 1, 3 and 6 months: random intercept per patient, group x visit (SRT reference).

    Laird and Ware (1982). Rows with a blank VAS are dropped (a patient with fewer visits still
    contributes), which is valid when the blanks are missing at random.
    """
    d = prepare(data)
    return repeated.mixed_model(
        _vas_long(d), "vas", "group", "time", "patient_id", group_reference="SRT"
    )


@dataclasses.dataclass(frozen=True, repr=False)
class CovarianceCheck(Result):
    """Is compound symmetry (the random intercept's assumption) plausible, and does it matter?"""

    _title: ClassVar[str] = "Compound symmetry: residual correlations, and an unstructured test"
    correlation_min: float
    correlation_max: float
    sd_min: float
    sd_max: float
    p_value_profile: float  # Hotelling-Lawley (MANOVA) on the three changes from baseline
    p_value_mixed: float  # the mixed model's group x time test
    same_decision: bool  # both below 0.05, or both not
    correlation: pd.DataFrame  # between visits, of residuals from the group means, with SD


def covariance_check(data: pd.DataFrame) -> CovarianceCheck:
    """Residual correlations between visits, and the group x time question without structure.

    The profile analysis (Hotelling's T^2 on the three changes from baseline, as statsmodels'
    MANOVA, Hotelling-Lawley trace) assumes no covariance structure; the mixed model assumes
    compound symmetry. Both test whether the groups' courses differ.
    """
    from statsmodels.multivariate.manova import MANOVA

    d = prepare(data)
    cols = list(VAS_VISITS)
    resid = d.groupby("group", observed=True)[cols].transform(lambda c: c - c.mean())
    corr = resid.corr()
    off = corr.to_numpy()[np.triu_indices(len(cols), 1)]
    changes = (
        d[cols[1:]]
        .sub(d["vas_pre"], axis=0)
        .set_axis(["d1", "d3", "d6"], axis=1)
        .assign(group=d["group"].astype(str))
    )
    mv = MANOVA.from_formula("d1 + d3 + d6 ~ group", changes).mv_test()
    p_profile = float(mv.results["group"]["stat"].loc["Hotelling-Lawley trace", "Pr > F"])
    p_mixed = float(pain_mixed_model(d).p_value_interaction)
    sd = resid.std()
    return CovarianceCheck(
        float(off.min()),
        float(off.max()),
        float(sd.min()),
        float(sd.max()),
        p_profile,
        p_mixed,
        bool((p_profile < 0.05) == (p_mixed < 0.05)),
        corr.assign(SD=sd),
    )


@dataclasses.dataclass(frozen=True, repr=False)
class DeathsScenario(Result):
    """The mixed model refitted after blanking every VAS after an (assumed) death."""

    _title: ClassVar[str] = "Truncation by death: the mixed model on the survivors' visits"
    seed: int
    n_dead_by_6m: int
    p_value_all: float
    p_value_survivors: float
    assessed: pd.DataFrame  # patients with a VAS, by group and visit
    effect: pd.DataFrame  # SO - SRT at 3 months and the group x time p, without / with deaths
    _data: pd.DataFrame = dataclasses.field(default=None)


def with_deaths(
    data: pd.DataFrame, hazard_kps60: float = 0.04, kps_scale: float = 15.0, seed: int = 60
) -> DeathsScenario:
    """Give the scenario deaths, more often in frail patients, and refit the mixed model.

    Death is exponential with hazard ``hazard_kps60 * exp(-(KPS - 60) / kps_scale)`` a month
    (an assumption); every VAS after the death is blanked. The refit is valid under missing at
    random; a VAS that does not exist because the patient died is truncation by death.
    """
    check_positive(hazard_kps60, "hazard_kps60")
    check_positive(kps_scale, "kps_scale")
    seed = check_seed(seed)
    d = prepare(data)
    rng = np.random.default_rng(seed)
    hazard = hazard_kps60 * np.exp(-(d["kps_pre"].to_numpy(float) - 60) / kps_scale)
    death_month = rng.exponential(1 / hazard)
    dead = d.copy()
    for col, month in VAS_VISITS.items():
        if month > 0:
            dead.loc[death_month <= month, col] = np.nan
    full, surv = pain_mixed_model(d), pain_mixed_model(dead)

    def at3(m):
        return float(m.group_differences.set_index("time").loc[3, "difference"])

    effect = pd.DataFrame(
        {
            "SO - SRT at 3 m": [at3(full), at3(surv)],
            "group x time p": [full.p_value_interaction, surv.p_value_interaction],
        },
        index=["no deaths", "with deaths"],
    )
    assessed = dead.groupby("group", observed=True)[list(VAS_VISITS)].count()
    return DeathsScenario(
        int(seed),
        int((death_month <= 6).sum()),
        float(full.p_value_interaction),
        float(surv.p_value_interaction),
        assessed.rename_axis("patients with a VAS (alive)"),
        effect,
        dead,
    )


def _ancova_3m(d: pd.DataFrame) -> dict:
    return {
        label: repeated.ancova(d, f"{stem}_3m", f"{stem}_pre", "group", reference="SRT")
        for stem, label in OUTCOMES_3M.items()
    }


def outcomes_at_3_months(data: pd.DataFrame) -> pd.DataFrame:
    """Each outcome at 3 months: the mixed model (levels) and ANCOVA (adjusted for baseline).

    Differences are SO minus SRT: negative is better for VAS, positive for KPS and RAND-36.
    ANCOVA is the efficient analysis of one follow-up with a baseline (Vickers and Altman 2001).
    """
    d = prepare(data)
    ancovas = _ancova_3m(d)
    rows = []
    for stem, label in OUTCOMES_3M.items():
        cols = VAS_VISITS if stem == "vas" else {f"{stem}_pre": 0, f"{stem}_3m": 3}
        long = repeated.to_long(d, "patient_id", cols, stem, keep=["group"])
        mm = repeated.mixed_model(long, stem, "group", "time", "patient_id", group_reference="SRT")
        at3 = mm.group_differences.set_index("time").loc[3]
        an = ancovas[label]
        rows.append(
            {
                "outcome": label,
                "visits": len(cols),
                "MM diff at 3 m": float(at3["difference"]),
                "MM p (3 m)": float(at3["p"]),
                "MM p (group x time)": float(mm.p_value_interaction),
                "ANCOVA diff": float(an.difference),
                "ANCOVA p": float(an.p_value),
            }
        )
    return pd.DataFrame(rows).set_index("outcome")


@dataclasses.dataclass(frozen=True, repr=False)
class CountComparison(Result):
    """A cross-tab by group and Fisher's exact test on a 2 x 2 collapse of it."""

    _title: ClassVar[str] = "Counts by group, Fisher's exact test"
    what: str
    p_value: float
    table: pd.DataFrame


def pain_responders(data: pd.DataFrame) -> CountComparison:
    """Patients with a VAS fall of at least 2 points at 3 months (Farrar 2001), by group."""
    d = prepare(data)
    resp = instruments.mcid_responder(d["vas_pre"], d["vas_3m"], "absolute")
    tab = pd.crosstab(d["group"], resp.rename("VAS fall >= 2"), margins=True)
    p = compare.fisher_exact(tab.iloc[:2, :2].to_numpy()).p_value
    return CountComparison("VAS fall >= 2 points at 3 months", float(p), tab)


@dataclasses.dataclass(frozen=True, repr=False)
class FrankelShifts(Result):
    """Frankel grade before x at 3 months, per group, and improved vs not (Fisher)."""

    _title: ClassVar[str] = "Frankel grades: shift tables by group"
    p_value_improved: float
    shifts: pd.DataFrame  # before (rows) x (group, after) (columns)
    changes: pd.DataFrame  # improved / same / worse by group


def frankel_shifts(data: pd.DataFrame) -> FrankelShifts:
    """Shift tables (ordinal grades are not numbers), and Fisher's test on improved vs not."""
    d = prepare(data).set_index("patient_id")
    shifts = {
        g: instruments.frankel_shift(x["frankel_pre"], x["frankel_3m"])
        for g, x in d.groupby("group", observed=True)
    }
    ch = instruments.frankel_change(d["frankel_pre"], d["frankel_3m"])
    word = np.sign(ch).map({-1: "worse", 0: "same", 1: "improved"})
    tab = pd.crosstab(d["group"], word).reindex(columns=["improved", "same", "worse"], fill_value=0)
    two = np.column_stack([tab["improved"], tab[["same", "worse"]].sum(axis=1)])
    p = compare.fisher_exact(two).p_value
    return FrankelShifts(float(p), pd.concat(shifts, axis=1, names=["group", "after"]), tab)


def summary_beside_scenario(data: pd.DataFrame) -> pd.DataFrame:
    """Each claim of the lay summary beside what the scenario's analysis gives (emergent).

    The summary's side is its wording (it prints no number); the scenario's side is the
    baseline-adjusted difference at 3 months (ANCOVA; for Frankel, improved vs not) with its p.
    """
    d = prepare(data)
    res = pd.DataFrame(
        {
            label: {"ANCOVA diff": an.difference, "ANCOVA p": an.p_value}
            for label, an in _ancova_3m(d).items()
        }
    ).T
    fr = frankel_shifts(d)
    imp = fr.changes["improved"]
    n = fr.changes.sum(axis=1)

    def row(label, unit):
        r = res.loc[label]
        p = format_p(r["ANCOVA p"])
        p = p.replace("<", "< ") if p.startswith("<") else f"= {p}"
        return f"{r['ANCOVA diff']:+.1f}{' ' + unit if unit else ''} (ANCOVA p {p})"

    rows = [
        ("1", "VAS", "'significantly higher VAS pain scores'", row("VAS", "points")),
        (
            "2",
            "Frankel",
            "'improved Frankel grades' at 3 months",
            f"{imp['SO']}/{n['SO']} vs {imp['SRT']}/{n['SRT']} improved "
            f"(Fisher p = {fr.p_value_improved:.3f})",
        ),
        ("3", "RAND-36 PF", "SF-36 'significantly better', 3 months", row("RAND-36 PF", "")),
        ("3", "RAND-36 pain", "(the same claim)", row("RAND-36 pain", "")),
        ("4", "KPS", "higher 'Karnofsky performance scores'", row("KPS", "points")),
    ]
    return pd.DataFrame(
        rows, columns=["claim", "outcome", "the lay summary says", "the scenario: SO - SRT"]
    ).set_index(["claim", "outcome"])


def draw_dag(ax=None):
    """The causal graph of surgery vs SRS alone: prognosis confounds, survival selects.

    Hernan, Hernandez-Diaz and Robins (2004). Returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt

    nodes = {
        "P": (0.13, 0.8, "prognosis & fitness\n(KPS, Frankel, life\nexpectancy, comorbidity)"),
        "B": (0.13, 0.2, "Bilsky grade\n(ESCC)"),
        "T": (0.42, 0.4, "separation surgery\n+ SRS vs SRS alone"),
        "S": (0.87, 0.8, "alive and assessed\nat 3 months"),
        "Y": (0.87, 0.2, "outcome at 3 months\n(VAS, KPS, SF-36)"),
    }
    edges = [("P", "T"), ("P", "Y"), ("P", "S"), ("B", "T"), ("B", "Y"), ("T", "Y"),
             ("T", "S"), ("S", "Y")]  # fmt: skip
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 3.8))
    boxes = {}
    for key, (x, y, text) in nodes.items():
        box = dict(boxstyle="round,pad=0.4", fc="#fde0c5" if key == "S" else "#eef3fb", ec="#333")
        boxes[key] = ax.text(x, y, text, ha="center", va="center", fontsize=8.5, bbox=box)
    ax.figure.canvas.draw()  # the boxes need a size before arrows can meet them
    for a, b in edges:
        style = dict(
            arrowstyle="-|>",
            lw=1.4,
            color="#D55E00" if (a, b) == ("T", "Y") else "#444",
            patchA=boxes[a].get_bbox_patch(),
            patchB=boxes[b].get_bbox_patch(),
            shrinkA=2,
            shrinkB=2,
            linestyle="--" if a == "S" else "-",
        )
        ax.annotate("", xy=nodes[b][:2], xytext=nodes[a][:2], arrowprops=style)
    ax.text(
        0.5,
        0.02,
        "orange: the effect we want; other paths into the outcome are bias. "
        "Shaded box, dashed arrow: the outcome is only measured in survivors.",
        ha="center",
        fontsize=8,
    )
    ax.set(xlim=(0, 1), ylim=(0, 1))
    ax.axis("off")
    return ax


def _welch(y: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean difference (a - b) and Welch t-test p of ``y`` per row, masks ``a``, ``b`` (vectorised).

    Welch BL. Biometrika 1947;34:28-35; row for row the same as
    ``scipy.stats.ttest_ind(..., equal_var=False)``. NaN where a group has fewer than 2 values.
    """
    na, nb = a.sum(1).astype(float), b.sum(1).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        ma = np.where(a, y, 0).sum(1) / na
        mb = np.where(b, y, 0).sum(1) / nb
        va = np.where(a, (y - ma[:, None]) ** 2, 0).sum(1) / (na - 1)
        vb = np.where(b, (y - mb[:, None]) ** 2, 0).sum(1) / (nb - 1)
        se2 = va / na + vb / nb
        df = se2**2 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1))
        p = 2 * stats.t.sf(np.abs(ma - mb) / np.sqrt(se2), df)
    bad = (na < 2) | (nb < 2)
    return np.where(bad, np.nan, ma - mb), np.where(bad, np.nan, p)


def simulate_selection(
    n: int = 60, n_sim: int = 4000, selection: float = 1.5, seed: int = 2024
) -> pd.DataFrame:
    """Studies in which surgery does nothing, but surgery and survival depend on prognosis.

    Each patient has a latent prognosis z ~ N(0, 1); surgery with probability
    logistic(``selection`` * z); alive at 3 months with probability logistic(1 + 1.2 z); VAS and
    KPS at baseline and 3 months depend on z and not on surgery (every parameter an assumption).
    Each row is one simulated study, compared at 3 months among the survivors (Welch t-tests),
    as a summary would: the structure of selection bias of Hernan et al. (2004).

    Returns one row per study: n_SO, n_RT (assessed at 3 months), vas_diff, vas_p, kps_diff,
    kps_p (SO - RT) and the prognosis gap (mean z, SO - RT) among all treated and among the
    assessed.
    """
    n, n_sim = check_integer(n, "n", low=4), check_integer(n_sim, "n_sim", low=1)
    check_number(selection, "selection", low=-10, high=10)
    seed = check_seed(seed)
    check_size(n * n_sim, MAX_SIMULATED_PATIENTS, "n * n_sim", "simulated patients")
    rng = np.random.default_rng(seed)
    shape = (n_sim, n)
    z = rng.normal(size=shape)
    surgery = rng.random(shape) < 1 / (1 + np.exp(-selection * z))
    alive_3m = rng.random(shape) < 1 / (1 + np.exp(-(1.0 + 1.2 * z)))
    vas0 = np.clip(np.round(7 - 0.8 * z + rng.normal(0, 1.5, shape)), 0, 10)
    vas3 = np.clip(np.round(vas0 - 3 - 1.0 * z + rng.normal(0, 1.5, shape)), 0, 10)
    kps0 = np.clip(np.round((60 + 10 * z + rng.normal(0, 8, shape)) / 10) * 10, 30, 90)
    kps3 = np.clip(np.round((kps0 + 8 * z + rng.normal(0, 8, shape)) / 10) * 10, 10, 100)
    so, rt = alive_3m & surgery, alive_3m & ~surgery
    vas_diff, vas_p = _welch(vas3, so, rt)
    kps_diff, kps_p = _welch(kps3, so, rt)
    return pd.DataFrame(
        {
            "n_SO": so.sum(1),
            "n_RT": rt.sum(1),
            "vas_diff": vas_diff,
            "vas_p": vas_p,
            "kps_diff": kps_diff,
            "kps_p": kps_p,
            "z_gap_treated": _welch(z, surgery, ~surgery)[0],
            "z_gap_assessed": _welch(z, so, rt)[0],
        }
    )


def _headline(sims: pd.DataFrame) -> pd.Series:
    """Per study: VAS lower and KPS higher after surgery, both with p < 0.05."""
    return (sims.vas_diff < 0) & (sims.vas_p < 0.05) & (sims.kps_diff > 0) & (sims.kps_p < 0.05)


def selection_summary(sims: pd.DataFrame) -> pd.Series:
    """What :func:`simulate_selection`'s studies show: shares with a 'significant' advantage."""
    vas_win = (sims.vas_diff < 0) & (sims.vas_p < 0.05)
    kps_win = (sims.kps_diff > 0) & (sims.kps_p < 0.05)
    return pd.Series(
        {
            "patients assessed at 3 months (mean)": (sims.n_SO + sims.n_RT).mean(),
            "mean VAS difference, SO - RT": sims.vas_diff.mean(),
            "share with VAS 'significantly' better for SO": vas_win.mean(),
            "share with KPS 'significantly' better for SO": kps_win.mean(),
            "share with both (the summary's headline)": _headline(sims).mean(),
            "prognosis gap (mean z, SO - RT), all treated": sims.z_gap_treated.mean(),
            "prognosis gap, patients assessed at 3 months": sims.z_gap_assessed.mean(),
        }
    )


def selection_curve(strengths: Any = None, n_sim: int = 2000, seed: int = 2024) -> pd.Series:
    """Share of null studies with the headline, by selection strength (log odds per SD of z)."""
    if strengths is None:
        strengths = np.round(np.arange(0, 2.51, 0.25), 2)
    strengths = np.asarray(strengths, dtype=float)
    if strengths.ndim != 1 or not np.isfinite(strengths).all() or strengths.size == 0:
        raise ValueError(
            f"strengths must be a non-empty 1-D array of finite numbers, got {strengths!r}"
        )
    out = {
        float(k): float(_headline(simulate_selection(n_sim=n_sim, selection=k, seed=seed)).mean())
        for k in strengths
    }
    return pd.Series(out, name="share with the headline").rename_axis("selection")


def _ancova_rows(y: np.ndarray, x: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: OLS of y on (1, x, g); the coefficient of g and its two-sided t-test p."""
    est, p = np.full(len(y), np.nan), np.full(len(y), np.nan)
    ok = (g.sum(1) > 0) & (g.sum(1) < g.shape[1])  # both groups present
    y, x, g = y[ok], x[ok], g[ok]
    X = np.stack([np.ones_like(x), x, g.astype(float)], axis=-1)  # (rows, n, 3)
    inv = np.linalg.inv(np.einsum("rni,rnj->rij", X, X))
    beta = np.einsum("rij,rnj,rn->ri", inv, X, y)
    resid = y - np.einsum("rni,ri->rn", X, beta)
    dof = y.shape[1] - 3
    se = np.sqrt((resid**2).sum(1) / dof * inv[:, 2, 2])
    est[ok], p[ok] = beta[:, 2], 2 * stats.t.sf(np.abs(beta[:, 2] / se), dof)
    return est, p


def ancova_under_selection(n: int = 60, n_sim: int = 300, seed: int = 7) -> pd.Series:
    """KPS at 3 months when surgery does nothing: crude Welch test vs ANCOVA on baseline KPS.

    Surgery depends on prognosis z (log odds 1.5 per SD); baseline KPS measures z with error and
    z also acts on the 3-month KPS directly, so adjusting for baseline KPS removes only part of
    the confounding (Vickers and Altman 2001 on ANCOVA; the residual confounding is that of a
    confounder measured with error). Each study: the Welch test of 3-month KPS, and the OLS
    ``kps3 ~ kps0 + surgery`` (as :func:`spinemets.repeated.ancova`, vectorised over studies).
    Returns the shares of studies with p < 0.05 and the mean adjusted difference (SO - RT,
    KPS points).
    """
    n, n_sim = check_integer(n, "n", low=4), check_integer(n_sim, "n_sim", low=1)
    seed = check_seed(seed)
    check_size(n * n_sim, MAX_SIMULATED_PATIENTS, "n * n_sim", "simulated patients")
    rng = np.random.default_rng(seed)
    shape = (n_sim, n)
    z = rng.normal(size=shape)
    surgery = rng.random(shape) < 1 / (1 + np.exp(-1.5 * z))
    kps0 = np.clip(np.round((60 + 10 * z + rng.normal(0, 8, shape)) / 10) * 10, 30, 90)
    kps3 = np.clip(np.round((kps0 + 8 * z + rng.normal(0, 8, shape)) / 10) * 10, 10, 100)
    p_crude = _welch(kps3, surgery, ~surgery)[1]
    d_adj, p_adj = _ancova_rows(kps3, kps0, surgery)
    return pd.Series(
        {
            "crude p < 0.05": float(np.mean(p_crude < 0.05)),
            "ANCOVA p < 0.05": float(np.mean(p_adj < 0.05)),
            "mean adjusted difference": float(np.mean(d_adj)),
        }
    )


def analyse(data: pd.DataFrame) -> dict[str, float]:
    """The registry numbers the scenario cohort can produce: {registry id: value}.

    Only the number of patients and the month of the follow-up visit: the summary prints no
    result, so there is nothing emergent to return.
    """
    d = prepare(data)
    months = {
        int(c.rsplit("_", 1)[1][:-1]) for c in d if c.startswith("frankel_") and c.endswith("m")
    }
    return {
        "n_patients": float(len(d)),
        "followup_frankel_months": 3.0 if 3 in months else float("nan"),
    }


def by_construction(data: pd.DataFrame) -> dict[str, published.Reproduced]:
    """The numbers the scenario cohort was built to hit, as ``Reproduced(..., "by construction")``."""
    values = analyse(data)
    return {
        nid: published.Reproduced(values[nid], "by construction", note=how, sources=(target,))
        for nid, (target, how) in _TARGETS.items()
    }


@functools.cache
def comparison() -> published.Comparison:
    """Every registered number of paper E once: by construction, or not reproducible (why)."""
    from .. import cohorts

    reg = published.load(PAPER)
    rows: dict[str, published.Reproduced] = dict(by_construction(cohorts.load(PAPER)))
    for nid, reason in NOT_REPRODUCIBLE.items():
        rows[nid] = published.Reproduced(None, "recomputed", note=reason)
    unknown = set(rows) - set(reg)
    missing = set(reg) - set(rows)
    if unknown or missing:
        raise ValueError(
            f"{PAPER}: comparison must hold every registered number once; not in the registry: "
            f"{sorted(unknown)}; not compared: {sorted(missing)}"
        )
    return published.compare(reg, {nid: rows[nid] for nid in reg})


__all__ = [
    "PAPER",
    "NOT_REPRODUCIBLE",
    "prepare",
    "baseline_table",
    "pain_mixed_model",
    "covariance_check",
    "CovarianceCheck",
    "with_deaths",
    "DeathsScenario",
    "outcomes_at_3_months",
    "pain_responders",
    "CountComparison",
    "frankel_shifts",
    "FrankelShifts",
    "summary_beside_scenario",
    "draw_dag",
    "simulate_selection",
    "selection_summary",
    "selection_curve",
    "ancova_under_selection",
    "analyse",
    "by_construction",
    "comparison",
]
