"""Paper D beside its cohort and under other choices: Table 2 and the forest frame as printed
beside the cohort's fits, replicate log-rank, power, cluster correction, landmark, BED regrouping."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ... import survival as sv
from ..._validation import check_columns
from .recomputation import _registry
from .steps import MVA, TABLE2, multivariable_table, prepare, univariate


def _printed_row(D, row: str) -> tuple[str, str]:
    e, lo, hi, p = (D[f"t2_{row}_{f}"].text for f in ("hr", "lower", "upper", "p"))
    return f"{e} ({lo}-{hi})", p


def _p_text(p: float) -> str:
    return "p < 0.001" if p < 0.0005 else f"p = {p:.3f}"


def hr_text(summary: pd.DataFrame) -> pd.Series:
    """Each row of a fit's summary (``hr``, ``hr_lower``, ``hr_upper``, ``p``) as one string.

    "HR (lower-upper), p = x", two decimals: a table of a few such columns stays readable
    in a narrow column (a phone), where eight numeric columns would wrap inside numbers.
    """
    check_columns(summary, ("hr", "hr_lower", "hr_upper", "p"), name="summary")
    return pd.Series(
        [
            f"{r.hr:.2f} ({r.hr_lower:.2f}-{r.hr_upper:.2f}), {_p_text(r.p)}"
            for r in summary.itertuples()
        ],
        index=summary.index,
    )


def table2(data: pd.DataFrame, compact: bool = False) -> pd.DataFrame:
    """Table 2 as printed beside the same Cox models on ``cohort``, naive and cluster-robust.

    Rows are "UVA <factor>" and "MVA <factor>"; columns the paper's HR (CI) and p, then the
    cohort's HR, the naive (model-based) CI and p, the robust (patient-clustered) CI and p.
    With ``compact=True`` the same numbers in three text columns (paper; cohort with the
    naive CI; cohort with the robust CI), each "HR (CI), p", for a narrow page.
    """
    D = _registry()
    d = prepare(data)
    rows = {}
    for model, fit in (("UVA", univariate(d)), ("MVA", multivariable_table(d))):
        for k, r in fit.iterrows():
            paper, p = _printed_row(D, f"{model.lower()}_{k}")
            naive = "se_naive" in r and pd.notna(r.get("se_naive"))
            if compact:
                hr = f"{r['hr']:.2f}"
                rows[f"{model} {TABLE2[k][0]}"] = {
                    "paper": f"{paper}, p = {p}",
                    "cohort, naive CI": (
                        f"{hr} ({r['lower_naive']:.2f}-{r['upper_naive']:.2f}), "
                        f"{_p_text(r['p_naive'])}"
                        if naive
                        else ""
                    ),
                    "cohort, robust CI": (
                        f"{hr} ({r['lower']:.2f}-{r['upper']:.2f}), {_p_text(r['p'])}"
                    ),
                }
                continue
            rows[f"{model} {TABLE2[k][0]}"] = {
                "paper HR (CI)": paper,
                "paper p": p,
                "cohort HR": round(r["hr"], 2),
                "naive CI": f"{r['lower_naive']:.2f}-{r['upper_naive']:.2f}" if naive else "",
                "naive p": round(r["p_naive"], 3) if naive else np.nan,
                "robust CI": f"{r['lower']:.2f}-{r['upper']:.2f}",
                "robust p": round(r["p"], 3),
            }
    return pd.DataFrame(rows).T


def forest(data: pd.DataFrame) -> pd.DataFrame:
    """The frame for :func:`spinemets.plots.forest_plot`: the paper's HR and CI, this cohort's
    (robust CI) and the central 95% of the 200 replicate cohorts' HRs, per Table 2 row."""
    from ... import cohorts

    D = _registry()
    reps = cohorts.load_replicates("park2016")
    d = prepare(data)
    rows = []
    for model, fit, keys in (("UVA", univariate(d), TABLE2), ("MVA", multivariable_table(d), MVA)):
        for k in keys:
            i = f"t2_{model.lower()}_{k}"
            rep = reps[f"{i}_hr"].replace([np.inf, 0], np.nan).dropna()
            rows.append(
                {
                    "name": f"{model} {TABLE2[k][0]}",
                    "published": D.value(f"{i}_hr"),
                    "published_lower": D.value(f"{i}_lower"),
                    "published_upper": D.value(f"{i}_upper"),
                    "ours": fit["hr"][k],
                    "ours_lower": fit["lower"][k],
                    "ours_upper": fit["upper"][k],
                    "rep_lower": rep.quantile(0.025),
                    "rep_upper": rep.quantile(0.975),
                }
            )
    return pd.DataFrame(rows).set_index("name")


def replicate_logrank() -> pd.Series:
    """The headline log-rank p (LPFR, concurrent vs not) over the 200 replicate cohorts.

    The replicates come from the cohort's generating model (calibrated to the arms' 1-year
    rates, with the published MVA HRs of cord compression and pain response): this is the
    rejection rate under that model, *not* the power at the published concurrent-therapy HR.
    """
    from ... import cohorts

    reps = cohorts.load_replicates("park2016")
    return reps["r2_lpfr_logrank_p"].dropna().rename("log-rank p")


def separated_replicates() -> dict[str, float]:
    """How many replicates the concurrent-therapy factor separates (no progression in one arm,
    so the Cox HR is fitted by Firth), and the median univariate HR of the others."""
    from ... import cohorts

    reps = cohorts.load_replicates("park2016")
    hr = reps["t2_uva_target_hr"].replace([np.inf, 0], np.nan)
    firth_ = reps["_firth:t2_uva_target_hr"] == 1
    return {
        "replicates": int(len(reps)),
        "separated": int(firth_.sum()),
        "median HR (not separated)": float(hr[~firth_].median()),
        "median HR (all, Firth where separated)": float(hr.median()),
    }


def _logrank_p(t: np.ndarray, e: np.ndarray, arm: np.ndarray) -> float:
    """Two-group log-rank p for continuous (untied) times: the fast inner loop of
    :func:`power_simulation` (tested against lifelines' ``logrank_test``)."""
    order = np.argsort(t, kind="stable")
    e, arm = e[order], arm[order]
    n = np.arange(len(t), 0, -1, dtype=float)  # at risk just before each time
    n1 = np.cumsum(arm[::-1])[::-1].astype(float)
    ev = e == 1
    frac = n1[ev] / n[ev]
    o_minus_e = np.sum(arm[ev] - frac)
    var = np.sum(frac * (1 - frac))
    return float(stats.chi2.sf(o_minus_e**2 / var, 1)) if var > 0 else 1.0


def power_simulation(hr: float, n_sim: int = 1000, seed: int = 2016) -> dict[str, float]:
    """Log-rank power of a study of paper D's size when the cause-specific HR of local
    progression (concurrent vs not) is ``hr``.

    The model is written from the paper's printed numbers only: 15 nonconcurrent and 13
    concurrent lesions, independent; the nonconcurrent hazard of local progression gives a
    1-year LPFR of 51.3%, the concurrent hazard is ``hr`` times it; each arm's death hazard gives
    its 1-year OS (72.2%, 46.2%); censoring uniform on 2-58 months (the printed range of
    follow-up); exponential times throughout. Unlike the replicate cohorts, this model carries
    the published effect, so its rejection rate is a power fixed *before* seeing the result
    (Hoenig & Heisey 2001: the "observed power" computed from a study's own estimate is a
    function of its p and adds nothing).
    """
    from ..._validation import check_positive, check_positive_int, check_seed

    check_positive(hr, "hr")
    n_sim = check_positive_int(n_sim, "n_sim")
    rng = np.random.default_rng(check_seed(seed))
    arm = np.r_[np.zeros(15, int), np.ones(13, int)]
    h_lp = -np.log(0.513) / 12 * np.where(arm == 1, hr, 1.0)
    h_death = -np.log(np.where(arm == 1, 0.462, 0.722)) / 12
    p, events = [], []
    for _ in range(int(n_sim)):
        t_lp, t_death = rng.exponential(1 / h_lp), rng.exponential(1 / h_death)
        t_obs = np.minimum.reduce([t_lp, t_death, rng.uniform(2, 58, arm.size)])
        event = (t_lp == t_obs).astype(int)
        events.append(event.sum())
        p.append(_logrank_p(t_obs, event, arm) if event.any() else 1.0)
    power = float(np.mean(np.array(p) < 0.05))
    return {
        "mean local progressions": float(np.mean(events)),
        "power (log-rank p < 0.05)": power,
        "Monte Carlo SE": float(np.sqrt(power * (1 - power) / n_sim)),
    }


def cluster_correction(data: pd.DataFrame, key: str = "pain") -> dict[str, float]:
    """The MVA p of ``key`` three ways: model-based SE, robust SE, and robust SE with the
    few-cluster correction (SE x sqrt(G / (G - 1)), t reference with G - 1 df; Cameron &
    Miller 2015)."""
    if key not in MVA:
        raise ValueError(f"key must be one of {list(MVA)}; got {key!r}")
    d = prepare(data)
    mva = multivariable_table(d)
    g = d["patient_id"].nunique()
    se = mva["se"][key] * np.sqrt(g / (g - 1))
    return {
        "clusters": float(g),
        "p, model-based SE": float(mva["p_naive"][key]),
        "p, robust SE": float(mva["p"][key]),
        "p, robust SE, few-cluster correction": float(
            2 * stats.t.sf(abs(np.log(mva["hr"][key])) / se, g - 1)
        ),
    }


def landmark(data: pd.DataFrame, landmark_time: float = 1.0) -> pd.DataFrame:
    """The MVA refitted from a landmark: lesions still followed and progression-free at
    ``landmark_time`` months, times measured from then, pain response as a baseline covariate
    of that analysis. Cox with robust SE, or Firth's fit when a factor separates the few
    events left (column ``method``). Returns the HR table with ``lesions`` and ``events``."""
    d = prepare(data)
    if not (isinstance(landmark_time, (int, float)) and 0 < landmark_time < d.lp_months.max()):
        raise ValueError(
            f"landmark_time must be a number of months in (0, {d.lp_months.max():g}); got "
            f"{landmark_time!r}"
        )
    lm = d[d.lp_months >= landmark_time].assign(lp_months=lambda x: x.lp_months - landmark_time)
    cols = [TABLE2[k][1] for k in MVA]
    ref = {TABLE2[k][1]: TABLE2[k][2] for k in MVA}
    try:
        fit = sv.cox(
            lm, "lp_months", "local_progression", cols, reference=ref, cluster="patient_id"
        )
        how = "Cox, robust SE"
    except ValueError:
        fit = sv.firth_cox(lm, "lp_months", "local_progression", cols, reference=ref)
        how = "Firth (separation)"
    t = fit.summary[["hr", "hr_lower", "hr_upper", "p"]].copy()
    t.index = [TABLE2[k][0] for k in MVA]
    return t.assign(method=how, lesions=len(lm), events=int(lm.local_progression.sum()))


def bed_regrouping(data: pd.DataFrame):
    """Does the BED7 cutoff (24 Gy/3 fx) keep the cohort's schedules in the same groups at every
    alpha/beta from 2 to 15? (:func:`spinemets.radiobiology.bed_split_regroups` on the
    schedules the cohort assumes; the paper does not print the non-SBRT ones.) Returns the
    crossings with the number of lesions on each crossing schedule."""
    from ... import radiobiology as rb

    d = prepare(data)
    name = d.total_dose_gy.map("{:g}".format) + " Gy/" + d.fractions.astype(str) + " fx"
    used = (
        d.assign(schedule=name)
        .groupby("schedule")
        .agg(
            lesions=("lesion_id", "size"),
            dose=("total_dose_gy", "first"),
            fx=("fractions", "first"),
        )
    )
    split = rb.bed_split_regroups(
        {s: (r.dose, r.fx) for s, r in used.iterrows()}, "24 Gy/3 fx", 7, (2, 15)
    )
    return split["crossings"].assign(lesions=lambda t: t.schedule.map(used.lesions))
