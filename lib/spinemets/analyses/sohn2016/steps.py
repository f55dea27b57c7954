"""Paper B's analysis steps: pairing, the paired tables, local control, survival, ``analyse``."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from spinemets import compare, survival
from spinemets._validation import renamed_arguments
from spinemets.compare.margins import _p_values
from spinemets.compare.paired import _bowker_terms
from spinemets.matching import MatchResult, match_pairs
from spinemets.survival import life_table

EXACT = ["sex", "child_pugh"]


COVARIATES = ["age", "interval_months", "n_mets"]


AGE_CALIPER = 10.0


PAIN_LEVELS = ["complete", "partial", "stable", "progression"]


LC_TIMES = (1, 2, 3, 6, 12)


_METS = {"1": 1, "2": 2, "3": 3, ">=4": 4}


def prepare(data: pd.DataFrame) -> pd.DataFrame:
    """Index by patient id and add ``n_mets`` (1, 2, 3, 4 for ">=4") for distances and ranks."""
    if not isinstance(data, pd.DataFrame):
        raise ValueError("cohort must be a DataFrame (spinemets.cohorts.load('sohn2016'))")
    need = {
        "patient_id",
        "arm",
        "rt_group",
        "sex",
        "child_pugh",
        "age",
        "interval_months",
        "n_spine_mets",
    }
    missing = need - set(data.columns)
    if missing:
        raise ValueError(f"cohort lacks column(s) {sorted(missing)}")
    d = data.set_index("patient_id", drop=False)
    d.index.name = "id"
    d = d.assign(n_mets=d["n_spine_mets"].astype(str).map(_METS).astype(int))
    return d


def select(
    data: pd.DataFrame,
    distance: str = "mahalanobis",
    caliper: float | None = AGE_CALIPER,
    method: str = "optimal",
) -> MatchResult:
    """Step 1: match the 28 SRS patients to the whole RT pool with the paper's criteria.

    RT patients whose Child-Pugh class no SRS patient has (class C) cannot be matched exactly
    and are dropped first (``match_pairs`` refuses an exact level found in one group only).

    Parameters
    ----------
    cohort : DataFrame
        The sohn2016 cohort (``spinemets.cohorts.load("sohn2016")``) or a replicate.
    distance : {"mahalanobis", "propensity", "euclidean"}
        Passed to :func:`spinemets.matching.match_pairs`, with ``exact=EXACT`` and
        ``covariates=COVARIATES``.
    caliper : float or None
        Age caliper in years (Mahalanobis/Euclidean) or, for ``distance="propensity"``, the
        caliper in SDs of the propensity score. None: no caliper.
    method : {"optimal", "greedy"}

    Returns
    -------
    MatchResult

    References
    ----------
    Sohn S, et al. J Korean Neurosurg Soc 2016;59:37-43 (Methods: matching criteria).
    """
    d = prepare(data)
    srs_levels = set(d.loc[d.arm == "SRS", "child_pugh"].astype(str))
    d = d[d.child_pugh.astype(str).isin(srs_levels)]
    cal = None if caliper is None else {"age": caliper}
    if distance == "propensity" and caliper is not None:
        cal = caliper
    return match_pairs(
        d,
        "arm",
        treated="SRS",
        exact=EXACT,
        covariates=COVARIATES,
        distance=distance,
        caliper=cal,
        method=method,
    )


def pair_rt_group(data: pd.DataFrame) -> MatchResult:
    """Step 2: pair each SRS patient with one of the paper's 28 RT patients (``rt_group`` RT_like).

    Optimal 1:1 matching, exact on sex, Mahalanobis on age, interval, number of metastases and
    Child-Pugh class: a complete pairing of 28 with 28. The RT-like rows carry the published RT
    margins, so outcome analyses on these pairs have the published margins by construction and
    emergent within-pair tables.

    Returns
    -------
    MatchResult
    """
    d = prepare(data)
    d = d[d.rt_group.astype(str).isin(["SRS", "RT_like"])]
    return match_pairs(
        d,
        "arm",
        treated="SRS",
        exact=["sex"],
        covariates=COVARIATES + ["child_pugh"],
        distance="mahalanobis",
        method="optimal",
    )


def paired_frame(match: MatchResult, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per pair: ``<column>_srs`` and ``<column>_rt`` side by side, indexed by pair."""
    md = match.matched_data()
    cols = [c for c in (columns or md.columns) if c not in ("pair", "matched_as")]
    srs = md[md.matched_as == "treated"].set_index("pair")[cols].add_suffix("_srs")
    rt = md[md.matched_as == "control"].set_index("pair")[cols].add_suffix("_rt")
    return srs.join(rt)


def _mcnemar_p(a, b, levels) -> float:
    tab = pd.crosstab(pd.Categorical(a, levels), pd.Categorical(b, levels), dropna=False).to_numpy()
    if tab[0, 1] + tab[1, 0] == 0:
        return 1.0  # no discordant pairs: SPSS prints 1.000
    return compare.mcnemar(tab, exact=True).p_value


def symmetry_tests(table) -> pd.DataFrame:
    """Bowker's symmetry test (two df conventions) and Stuart-Maxwell's marginal homogeneity test.

    ``df = k(k-1)/2`` is the convention of R's ``mcnemar.test`` and of statsmodels'
    ``SquareTable(..., shift_zeros=False).symmetry()``; "non-empty pairs" drops mirror pairs of
    cells that are both zero (what ``compare.bowker`` did on main before issue 11). The tests are
    ``compare.bowker`` (``df_rule="standard"`` and ``"reduced"``) and ``compare.stuart_maxwell``; a
    table without discordant pairs gives NaN rows instead of an error.
    """
    x = np.asarray(table)
    k = x.shape[0]
    rows = []
    for label, fn, kwargs in (
        ("Bowker, df = k(k-1)/2", compare.bowker, {"df_rule": "standard"}),
        ("Bowker, df = non-empty pairs", compare.bowker, {"df_rule": "reduced"}),
        ("Stuart-Maxwell", compare.stuart_maxwell, {"df_rule": "standard"}),
    ):
        try:
            r = fn(x, **kwargs)
            rows.append((label, float(r.statistic), int(r.df), float(r.p_value)))
        except ValueError:
            if np.asarray(x).sum() - np.trace(np.asarray(x)) != 0:
                raise
            # no discordant pair: as before (statistic 0 on k(k-1)/2 df, p = 1; no df left
            # when empty mirror pairs are dropped; Stuart-Maxwell undefined)
            rows.append(
                {
                    "Bowker, df = k(k-1)/2": (label, 0.0, k * (k - 1) // 2, 1.0),
                    "Bowker, df = non-empty pairs": (label, 0.0, 0, math.nan),
                    "Stuart-Maxwell": (label, math.nan, k - 1, math.nan),
                }[label]
            )
    return pd.DataFrame(rows, columns=["test", "statistic", "df", "p_value"]).set_index("test")


def table1(pairs: pd.DataFrame) -> pd.DataFrame:
    """Table 1 on the pairs: each variable with the paper's paired test and an unpaired one beside it.

    Parameters
    ----------
    pairs : DataFrame
        From :func:`paired_frame` (columns ``<variable>_srs`` and ``<variable>_rt``).

    Returns
    -------
    DataFrame
        One row per variable: SRS and RT summaries, the paired test and its p (paired t;
        Wilcoxon signed-rank for the number of metastases, normal approximation as SPSS;
        McNemar exact for two-level factors, 1.0 without discordant pairs as SPSS prints;
        Bowker with df = k(k-1)/2 for location) and an unpaired test and its p (Student t,
        Mann-Whitney, Pearson chi-square).
    """
    rows = []
    for var, label in (
        ("age", "Age, years"),
        ("interval_months", "Interval, months"),
        ("tumor_volume_cc", "Tumour volume, cc"),
        ("pre_vas", "Pretreatment VAS"),
        ("total_dose_gy", "Margin dose, Gy"),
        ("nbed", "nBED, Gy2/10"),
    ):
        a, b = pairs[f"{var}_srs"].astype(float), pairs[f"{var}_rt"].astype(float)
        rows.append(
            {
                "variable": label,
                "SRS": f"{a.mean():.1f} ± {a.std():.1f}",
                "RT": f"{b.mean():.1f} ± {b.std():.1f}",
                "paired test": "paired t",
                "p (paired)": compare.paired_t(a, b).p_value,
                "unpaired test": "Student t",
                "p (unpaired)": float(stats.ttest_ind(a, b).pvalue),
            }
        )
    a, b = pairs["n_mets_srs"], pairs["n_mets_rt"]
    rows.append(
        {
            "variable": "Number of spine mets",
            "SRS": f"median {a.median():g}",
            "RT": f"median {b.median():g}",
            "paired test": "Wilcoxon signed-rank",
            "p (paired)": compare.wilcoxon_signed_rank(a, b, method="asymptotic").p_value,
            "unpaired test": "Mann-Whitney",
            "p (unpaired)": float(stats.mannwhitneyu(a, b).pvalue),
        }
    )
    for var, label, levels in (
        ("child_pugh", "Child-Pugh A/B", ["A", "B"]),
        ("ecog_group", "ECOG <=1 / >=2", ["0-1", ">=2"]),
        ("ambulation_group", "Ambulation <=2 / >=3", ["1-2", ">=3"]),
    ):
        a, b = pairs[f"{var}_srs"].astype(str), pairs[f"{var}_rt"].astype(str)
        counts = (
            f"{(a == levels[0]).sum()}/{(a == levels[1]).sum()}",
            f"{(b == levels[0]).sum()}/{(b == levels[1]).sum()}",
        )
        unp = np.array([[(a == lv).sum() for lv in levels], [(b == lv).sum() for lv in levels]])
        rows.append(
            {
                "variable": label,
                "SRS": counts[0],
                "RT": counts[1],
                "paired test": "McNemar (exact)",
                "p (paired)": _mcnemar_p(a, b, levels),
                "unpaired test": "Pearson chi-square",
                "p (unpaired)": float(stats.chi2_contingency(unp, correction=False)[1])
                if (unp.sum(0) > 0).all()
                else 1.0,
            }
        )
    levels = ["cervical", "thoracic", "lumbar"]
    a, b = pairs["location_srs"].astype(str), pairs["location_rt"].astype(str)
    tab = pd.crosstab(pd.Categorical(a, levels), pd.Categorical(b, levels), dropna=False).to_numpy()
    unp = np.array([[(a == lv).sum() for lv in levels], [(b == lv).sum() for lv in levels]])
    rows.append(
        {
            "variable": "Location C/T/L",
            "SRS": "/".join(str((a == lv).sum()) for lv in levels),
            "RT": "/".join(str((b == lv).sum()) for lv in levels),
            "paired test": "Bowker, df = 3",
            "p (paired)": symmetry_tests(tab).loc["Bowker, df = k(k-1)/2", "p_value"],
            "unpaired test": "Pearson chi-square",
            "p (unpaired)": float(stats.chi2_contingency(unp, correction=False)[1]),
        }
    )
    return pd.DataFrame(rows).set_index("variable")


def pain_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """The within-pair 4 x 4 table of pain relief: SRS category (rows) by RT category (columns)."""
    a = pd.Categorical(pairs["pain_relief_srs"].astype(str), PAIN_LEVELS)
    b = pd.Categorical(pairs["pain_relief_rt"].astype(str), PAIN_LEVELS)
    t = pd.crosstab(a, b, dropna=False)
    t.index.name, t.columns.name = "SRS", "RT"
    return t


@renamed_arguments(row_margins="row_totals", col_margins="col_totals")
def paired_p_range(
    row_totals: Sequence[int], col_totals: Sequence[int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bowker and Stuart-Maxwell p over every within-pair table consistent with the margins.

    The tables are :func:`spinemets.compare.tables_with_margins` (under its size guard,
    ``MAX_TABLES``) and the p-values those of :func:`spinemets.compare.attainable_p`, for the
    three conventions the chapter compares.

    Returns ``(summary, per_table)``: the summary gives, for each test and df convention, the
    number of tables where it is defined, the smallest and largest p, and the share of tables
    with p >= 0.05; ``per_table`` has one row per table (statistics and p-values), in the
    order of ``compare.tables_with_margins``. Stuart-Maxwell uses the pseudo-inverse where a
    category has no discordant pair (``compare.stuart_maxwell``, DescTools' rule).
    """
    T = compare.tables_with_margins(row_totals, col_totals)
    k = T.shape[1]
    p_full, stat, _ = _p_values(T, "bowker", "standard", True, True)
    p_ne, _, _ = _p_values(T, "bowker", "reduced", True, True)
    p_sm, sm_stat, _ = _p_values(T, "stuart_maxwell", "standard", True, True)
    _, mirror = _bowker_terms(T)
    per = pd.DataFrame(
        {
            "bowker": np.nan_to_num(stat),
            "nonempty_pairs": (mirror > 0).sum(axis=1),
            "p_bowker_full_df": p_full,
            "p_bowker_nonempty_df": p_ne,
            "stuart_maxwell": sm_stat,
            "p_stuart_maxwell": p_sm,
        }
    )
    full_df = k * (k - 1) // 2
    rows = []
    for name, col, df_text in (
        ("Bowker", "p_bowker_full_df", f"df = {full_df} (R, statsmodels)"),
        ("Bowker", "p_bowker_nonempty_df", "df = non-empty mirror pairs"),
        ("Stuart-Maxwell", "p_stuart_maxwell", f"df = {k - 1}"),
    ):
        p = per[col].dropna()
        rows.append(
            {
                "test": name,
                "df convention": df_text,
                "tables": len(p),
                "min p": p.min(),
                "max p": p.max(),
                "share p >= 0.05": float((p >= 0.05).mean()),
            }
        )
    return pd.DataFrame(rows), per


def toxicity_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """Paired 2 x 2 table of any toxicity (pairs with both recorded): SRS rows, RT columns."""
    a, b = pairs["toxicity_any_srs"].astype(str), pairs["toxicity_any_rt"].astype(str)
    keep = (a != "not recorded") & (b != "not recorded")
    t = pd.crosstab(
        pd.Categorical(a[keep], ["yes", "no"]), pd.Categorical(b[keep], ["yes", "no"]), dropna=False
    )
    t.index.name, t.columns.name = "SRS", "RT"
    return t


def local_control(pairs: pd.DataFrame, times: Sequence[float] = LC_TIMES) -> pd.DataFrame:
    """Local control (freedom from local progression) at ``times``: actuarial beside Kaplan-Meier."""
    out = {}
    for arm in ("srs", "rt"):
        t, e = (
            pairs[f"pfs_months_{arm}"].to_numpy(float),
            pairs[f"local_progression_{arm}"].to_numpy(int),
        )
        lt = life_table(t, e, [0, *times])
        km = survival.survival_at(t, e, list(times))
        out[(arm.upper(), "actuarial")] = lt.set_index("end")["survival_end"].to_numpy()
        out[(arm.upper(), "Kaplan-Meier")] = km["survival"].to_numpy()
    df = pd.DataFrame(out, index=pd.Index(list(times), name="months"))
    return df


def survival_tests(pairs: pd.DataFrame) -> pd.DataFrame:
    """OS and local PFS: log-rank stratified by pair (the paper's test) vs unstratified."""
    rows = []
    for name, tcol, ecol in (
        ("overall survival", "os_months", "death"),
        ("progression-free (local)", "pfs_months", "local_progression"),
    ):
        t = np.r_[pairs[f"{tcol}_srs"], pairs[f"{tcol}_rt"]].astype(float)
        e = np.r_[pairs[f"{ecol}_srs"], pairs[f"{ecol}_rt"]].astype(int)
        g = np.r_[["SRS"] * len(pairs), ["RT"] * len(pairs)]
        s = np.r_[pairs.index, pairs.index]
        strat = survival.stratified_logrank(t, e, g, s)
        plain = survival.logrank(t, e, g)
        med = {
            arm: survival.median_survival(t[g == arm], e[g == arm]).median for arm in ("SRS", "RT")
        }
        rows.append(
            {
                "endpoint": name,
                "median SRS": med["SRS"],
                "median RT": med["RT"],
                "p stratified by pair": strat.p_value,
                "p unstratified": plain.p_value,
            }
        )
    return pd.DataFrame(rows).set_index("endpoint")


def first_failures(pairs: pd.DataFrame, endpoint: str = "os") -> pd.Series:
    """Which member of each pair failed first: what the log-rank test stratified by pair uses.

    In a stratum of two, the log-rank test gains information only at the first event while both
    members are at risk (after it, one member is alone and contributes nothing). A pair is
    informative when exactly one member has an event at the earlier of the two times; with
    ``a`` pairs where SRS failed first and ``b`` where RT did, the stratified log-rank
    chi-square is ``(a - b)**2 / (a + b)``, McNemar's statistic without continuity correction
    (when no pair has tied event times).

    Parameters
    ----------
    pairs : DataFrame
        From :func:`paired_frame`.
    endpoint : {"os", "pfs"}
        Overall survival (``os_months``, ``death``) or local progression (``pfs_months``,
        ``local_progression``).

    Returns
    -------
    Series
        ``srs_first``, ``rt_first``, ``uninformative`` (pair counts).
    """
    cols = {"os": ("os_months", "death"), "pfs": ("pfs_months", "local_progression")}
    if endpoint not in cols:
        raise ValueError(f"endpoint must be one of {list(cols)}, got {endpoint!r}")
    t, e = cols[endpoint]
    ts, es = pairs[f"{t}_srs"].to_numpy(float), pairs[f"{e}_srs"].to_numpy(int)
    tr, er = pairs[f"{t}_rt"].to_numpy(float), pairs[f"{e}_rt"].to_numpy(int)
    first = np.minimum(ts, tr)
    s_ev = (ts == first) & (es == 1)
    r_ev = (tr == first) & (er == 1)
    srs_first, rt_first = int((s_ev & ~r_ev).sum()), int((r_ev & ~s_ev).sum())
    return pd.Series(
        {
            "srs_first": srs_first,
            "rt_first": rt_first,
            "uninformative": len(pairs) - srs_first - rt_first,
        }
    )


def analyse(data: pd.DataFrame) -> dict[str, float]:
    """Run paper B's analysis on a cohort; return ``{registry id: value}`` for every emergent number.

    The numbers: the paired Table 1 p-values; pre vs post VAS and the VAS change (paired t); the
    Bowker p of pain relief; McNemar's p for any toxicity; actuarial local control at 1, 2, 3, 6
    and 12 months; the stratified log-rank p of OS and PFS; the arms' nBED means.
    """
    m = pair_rt_group(data)
    p = paired_frame(m)
    t1 = table1(p)
    out = {
        "t1_age_p": t1.loc["Age, years", "p (paired)"],
        "t1_interval_p": t1.loc["Interval, months", "p (paired)"],
        "t1_volume_p": t1.loc["Tumour volume, cc", "p (paired)"],
        "t1_pre_vas_p": t1.loc["Pretreatment VAS", "p (paired)"],
        "t1_dose_p": t1.loc["Margin dose, Gy", "p (paired)"],
        "t1_nbed_p": t1.loc["nBED, Gy2/10", "p (paired)"],
        "t1_n_mets_p": t1.loc["Number of spine mets", "p (paired)"],
        "t1_child_pugh_p": t1.loc["Child-Pugh A/B", "p (paired)"],
        "t1_ecog_p": t1.loc["ECOG <=1 / >=2", "p (paired)"],
        "t1_ambulation_p": t1.loc["Ambulation <=2 / >=3", "p (paired)"],
        "t1_location_p": t1.loc["Location C/T/L", "p (paired)"],
    }
    for arm in ("srs", "rt"):
        pre, post = p[f"pre_vas_{arm}"].astype(float), p[f"post_vas_{arm}"].astype(float)
        out[f"vas_prepost_p_{arm}"] = compare.paired_t(pre, post).p_value
        ch = pre - post
        out[f"t2_vas_change_{arm}_mean"] = float(ch.mean())
        out[f"t2_vas_change_{arm}_sd"] = float(ch.std())
    ch_srs = p["pre_vas_srs"].astype(float) - p["post_vas_srs"].astype(float)
    ch_rt = p["pre_vas_rt"].astype(float) - p["post_vas_rt"].astype(float)
    out["t2_vas_change_p"] = compare.paired_t(ch_srs, ch_rt).p_value
    out["t2_pain_relief_p"] = float(
        symmetry_tests(pain_table(p).to_numpy()).loc["Bowker, df = k(k-1)/2", "p_value"]
    )
    tox = toxicity_table(p).to_numpy()
    out["t2_tox_p"] = compare.mcnemar(tox, exact=True).p_value if tox[0, 1] + tox[1, 0] else 1.0
    lc = local_control(p)
    for arm in ("srs", "rt"):
        for tm in LC_TIMES:
            out[f"lc_{arm}_{tm}m"] = 100 * float(lc.loc[tm, (arm.upper(), "actuarial")])
    st = survival_tests(p)
    out["os_p"] = st.loc["overall survival", "p stratified by pair"]
    out["pfs_p"] = st.loc["progression-free (local)", "p stratified by pair"]
    out["nbed_srs_mean"] = float(p["nbed_srs"].mean())
    out["nbed_rt_mean"] = float(p["nbed_rt"].mean())
    return {k: float(v) for k, v in out.items()}


#: Table 1 rows compared by a paired t-test: key -> (SRS mean, SD, RT mean, SD, printed p)
TABLE1_T = {
    "age": (58.7, 13.8, 59.7, 9.9, 0.54),
    "interval": (17.7, 28.1, 18.4, 24.2, 0.85),
    "volume": (33.1, 29.3, 42.4, 25.8, 0.23),
    "pre_vas": (6.8, 2.3, 5.6, 2.9, 0.06),
    "dose": (35.4, 9.5, 31.5, 6.7, 0.10),
}
