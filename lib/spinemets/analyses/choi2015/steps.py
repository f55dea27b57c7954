"""Paper A (Choi & Seong 2015): the paper's analysis of a cohort, step by step.

See the package docstring (:mod:`spinemets.analyses.choi2015`).
"""

from __future__ import annotations

import dataclasses
import math
from typing import ClassVar

import numpy as np
import pandas as pd

from ... import compare, survival
from ..._results import Result
from ..._validation import check_integer, check_seed

PAPER = "choi2015"

#: Table 4 factors: registry key -> (column of :func:`prepare`, {level: registry level key})
FACTORS = {
    "age": ("age_group", {"<=55": "le55", ">55": "gt55"}),
    "sex": ("sex", {"male": "male", "female": "female"}),
    "ecog": ("ecog_group", {"0-2": "0_2", "3-4": "3_4"}),
    "afp": ("afp_group", {"<=200": "le200", ">200": "gt200"}),
    "cp": ("cp_group", {"A, B": "ab", "C": "c"}),
    "primary": ("primary_controlled", {"yes": "controlled", "no": "uncontrolled"}),
    "interval": ("interval_group", {"<=9": "le9", ">9": "gt9"}),
    "bpi": ("bpi_group", {"<=6": "le6", ">6": "gt6"}),
    "extrahepatic": ("extrahepatic_mets", {"yes": "yes", "no": "no"}),
    "site": (
        "spine_site",
        {k: k for k in ["cervical", "thoracic", "lumbar", "sacrum", "combined"]},
    ),
    "multiple": ("multiple_spinal_mets", {"yes": "yes", "no": "no"}),
    "mass": ("mass_type", {"yes": "yes", "no": "no"}),
    "cord": ("cord_compression", {"yes": "yes", "no": "no"}),
    "fracture": ("pathologic_fracture", {"yes": "yes", "no": "no"}),
    "bed": ("bed_group", {"<=38": "le38", "39-53": "39_53", ">53": "gt53"}),
    "treatment": ("treatment_group", {"RT alone": "rt", "RT+CTx": "rt_ctx", "RT+S+/-CTx": "rt_s"}),
    "technique": (
        "technique_group",
        {"conventional": "conventional", "3D-CRT or IMRT": "advanced"},
    ),
    "cr": ("cr", {"CR": "cr", "non-CR": "noncr"}),
}

#: Cox covariates (Table 4 multivariate): column of :func:`cox_frame` -> registry key
COX_KEYS = {
    "ecog_3_4": "ecog",
    "child_pugh_c": "cp",
    "uncontrolled": "primary",
    "no_extrahepatic": "extrahepatic",
    "no_fracture": "fracture",
    "bed_score": "bed",
    "non_cr": "cr",
}

#: Table 3 terms: registry key -> (term of the stepwise summary, compare the reciprocal?)
TABLE3_TERMS = {
    "t3_fracture": ("pathologic_fracture[yes]", False),
    "t3_bed_39_53": ("bed_group[39-53]", True),
    "t3_bed_gt53": ("bed_group[>53]", True),
    "t3_technique": ("technique_group[3D-CRT or IMRT]", True),
}

TABLE3_CANDIDATES = [
    "multiple_spinal_mets",
    "mass_type",
    "cord_compression",
    "pathologic_fracture",
    "bed_group",
    "treatment_group",
    "technique_group",
]
TABLE3_REFERENCE = {
    "bed_group": "<=38",
    "technique_group": "conventional",
    "pathologic_fracture": "no",
    "multiple_spinal_mets": "no",
    "mass_type": "no",
    "cord_compression": "no",
    "treatment_group": "RT alone",
}

REQUIRED = [
    "age",
    "sex",
    "ecog",
    "afp",
    "child_pugh",
    "primary_controlled",
    "interval_months",
    "baseline_pain",
    "extrahepatic_mets",
    "spine_site",
    "multiple_spinal_mets",
    "mass_type",
    "cord_compression",
    "pathologic_fracture",
    "bed_group",
    "treatment",
    "rt_technique",
    "pain_response",
    "os_months",
    "death",
]


def _f(v) -> float:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return math.nan
    return v


def prepare(data: pd.DataFrame) -> pd.DataFrame:
    """The cohort with the paper's groupings added (age <= 55, ECOG 3-4, AFP <= 200, ...).

    Raises
    ------
    ValueError
        If ``data`` is not a DataFrame or lacks a column of the paper A schema.
    """
    if not isinstance(data, pd.DataFrame):
        raise ValueError("cohort must be a pandas DataFrame (spinemets.cohorts.load('choi2015'))")
    missing = [c for c in REQUIRED if c not in data.columns]
    if missing:
        raise ValueError(f"cohort lacks column(s) {missing} of the choi2015 schema")
    c = data
    return c.assign(
        age_group=np.where(c.age <= 55, "<=55", ">55"),
        ecog_group=np.where(c.ecog >= 3, "3-4", "0-2"),
        afp_group=np.where(c.afp <= 200, "<=200", ">200"),
        cp_group=np.where(c.child_pugh.astype(str) == "C", "C", "A, B"),
        interval_group=np.where(c.interval_months <= 9, "<=9", ">9"),
        bpi_group=np.where(c.baseline_pain <= 6, "<=6", ">6"),
        treatment_group=c.treatment.astype(str).replace(
            {"RT+S": "RT+S+/-CTx", "RT+CTx+S": "RT+S+/-CTx"}
        ),
        technique_group=np.where(
            c.rt_technique.astype(str) == "conventional", "conventional", "3D-CRT or IMRT"
        ),
        cr=np.where(c.pain_response.astype(str) == "CR", "CR", "non-CR"),
        risk_group=np.array(list("ABCD"))[
            (c.ecog >= 3).astype(int).to_numpy()
            + (c.primary_controlled.astype(str) == "no").astype(int).to_numpy()
            + (c.extrahepatic_mets.astype(str) == "yes").astype(int).to_numpy()
        ],
    )


def overall_survival(data: pd.DataFrame):
    """Median OS with SPSS's symmetric CI (median ± 1.96 SE), 1- and 2-year OS in %, follow-up.

    Returns ``(MedianSurvival, numbers)``.
    """
    med = survival.median_survival(data.os_months, data.death, ci="spss")
    rates = survival.survival_at(data.os_months, data.death, [12, 24])
    nums = {
        "txt_os_median": _f(med.median),
        "txt_os_median_lo": _f(med.lower),
        "txt_os_median_hi": _f(med.upper),
        "txt_os_1y": 100 * _f(rates.survival[12]),
        "txt_os_2y": 100 * _f(rates.survival[24]),
        "txt_fu_median": float(data.os_months.median()),
    }
    return med, nums


def table4_univariate(data: pd.DataFrame):
    """Table 4 univariate: per factor level median ± SE (SPSS) and the factor's log-rank p.

    Returns ``(univariate table, numbers)`` with ``t4_<factor>_<level>_median`` / ``_se`` and
    ``t4_<factor>_p_logrank`` (and the text's ``txt_uv_cr_p``, ``txt_uv_fracture_p``).
    """
    uni = survival.univariate_table(
        data, "os_months", "death", {k: col for k, (col, _) in FACTORS.items()}
    )
    nums = {}
    for var, (_, levels) in FACTORS.items():
        for level, key in levels.items():
            if (var, level) in uni.index:
                nums[f"t4_{var}_{key}_median"] = _f(uni.loc[(var, level), "median"])
                nums[f"t4_{var}_{key}_se"] = _f(uni.loc[(var, level), "se"])
        nums[f"t4_{var}_p_logrank"] = _f(uni.loc[var].p_logrank.iloc[0])
    nums["txt_uv_cr_p"] = nums["t4_cr_p_logrank"]
    nums["txt_uv_fracture_p"] = nums["t4_fracture_p_logrank"]
    return uni, nums


def cox_frame(data: pd.DataFrame) -> pd.DataFrame:
    """The Cox model's design in the paper's implied coding (see the module docstring)."""
    return pd.DataFrame(
        {
            "os_months": data.os_months.to_numpy(float),
            "death": data.death.to_numpy(int),
            "ecog_3_4": (data.ecog >= 3).astype(int).to_numpy(),
            "child_pugh_c": (data.child_pugh.astype(str) == "C").astype(int).to_numpy(),
            "uncontrolled": (data.primary_controlled.astype(str) == "no").astype(int).to_numpy(),
            "no_extrahepatic": (data.extrahepatic_mets.astype(str) == "no").astype(int).to_numpy(),
            "no_fracture": (data.pathologic_fracture.astype(str) == "no").astype(int).to_numpy(),
            "bed_score": data.bed_group.astype(str)
            .map({"<=38": 0, "39-53": 1, ">53": 2})
            .astype(int)
            .to_numpy(),
            "non_cr": (data.pain_response.astype(str) != "CR").astype(int).to_numpy(),
        }
    )


def table4_cox(data: pd.DataFrame):
    """Table 4 multivariate Cox model (Breslow ties): coefficient, HR, 95% CI, Wald p per row.

    Returns ``(CoxResult, numbers)``.
    """
    dc = cox_frame(data)
    fit = survival.cox(dc, "os_months", "death", list(COX_KEYS), ties="breslow")
    nums = {}
    for cov, key in COX_KEYS.items():
        r = fit.summary.loc[cov]
        nums.update(
            {
                f"t4_{key}_coef": _f(r.coef),
                f"t4_{key}_hr": _f(r.hr),
                f"t4_{key}_hr_lo": _f(r.hr_lower),
                f"t4_{key}_hr_hi": _f(r.hr_upper),
                f"t4_{key}_p_cox": _f(r.p),
            }
        )
    return fit, nums


def table3(data: pd.DataFrame):
    """Table 3: SPSS forward stepwise logistic regression for CR on the Table 2 factors.

    ORs in the direction that agrees with Table 2 (see the module docstring); a term that the
    stepwise rule does not select gives NaN for its OR and p. Returns ``(StepwiseResult, numbers)``.
    """
    frame = data.assign(cr01=(data.pain_response.astype(str) == "CR").astype(int).to_numpy())
    step = compare.stepwise_logistic(frame, "cr01", TABLE3_CANDIDATES, reference=TABLE3_REFERENCE)
    nums = {}
    for key, (term, flip) in TABLE3_TERMS.items():
        if term in step.summary.index:
            r = step.summary.loc[term]
            nums[f"{key}_or"] = 1 / _f(r["or"]) if flip else _f(r["or"])
            nums[f"{key}_p"] = _f(r.p)
        else:
            nums[f"{key}_or"] = math.nan
            nums[f"{key}_p"] = math.nan
    return step, nums


def risk_groups(data: pd.DataFrame):
    """Fig. 1: groups A-D by the number of risk factors; sizes, medians, pairwise log-rank p.

    Returns ``((univariate table, pairwise table), numbers)``; a group absent from the cohort
    gives NaN for its numbers.
    """
    tab = survival.univariate_table(data, "os_months", "death", {"risk": "risk_group"})
    pairs = survival.pairwise_logrank(data.os_months, data.death, data.risk_group)
    nums = {}
    for g in "ABCD":
        ok = ("risk", g) in tab.index
        nums[f"fig1_group_{g.lower()}_n"] = float(tab.loc[("risk", g), "n"]) if ok else 0.0
        nums[f"fig1_group_{g.lower()}_median"] = (
            _f(tab.loc[("risk", g), "median"]) if ok else math.nan
        )
    for a, b in ("AB", "AC", "AD", "BC", "BD", "CD"):
        nums[f"fig1_p_{a.lower()}{b.lower()}"] = math.nan
    for _, r in pairs.iterrows():
        nums[f"fig1_p_{r.group1.lower()}{r.group2.lower()}"] = _f(r.p_value)
    return (tab, pairs), nums


STEPS = (overall_survival, table4_univariate, table4_cox, table3, risk_groups)


@dataclasses.dataclass(frozen=True, repr=False)
class CutoffSearchResult(Result):
    """The paper's BED grouping method on data, and a permutation test of the whole search."""

    _title: ClassVar[str] = "Two BED cutoffs chosen on the data, with a permutation test"
    lower_cutoff: float
    upper_cutoff: float
    n_pairs: int
    lr_statistic: float
    naive_p_value: float
    n_resamples: int
    seed: int
    share_naive_p05: float
    n_beating: int
    permutation_p: float


def bed_cutoffs(
    data: pd.DataFrame, n_resamples: int = 200, seed: int = 38, min_group: int = 15
) -> CutoffSearchResult:
    """Paper A's choice of "two contiguous cutoff values by likelihood ratio" for BED, and what
    the search costs.

    :func:`spinemets.compare.two_cutoffs` finds the pair of BED cutoffs with the largest Cox
    likelihood-ratio statistic; its naive p-value (chi-square, 2 df) ignores the search. Here BED
    is shuffled among patients ``n_resamples`` times (so it cannot matter) and the whole search is
    repeated on each: ``share_naive_p05`` is how often the best shuffled pair looks "significant",
    ``n_beating`` how many shuffles reach the real statistic, and ``permutation_p`` is
    ``(1 + n_beating) / (1 + n_resamples)`` (Phipson & Smyth 2010), which counts the search.

    Parameters
    ----------
    data : DataFrame
        The frame of :func:`prepare` (columns ``bed10``, ``os_months``, ``death``).
    n_resamples : int
        Number of shuffles (>= 1).
    seed : int
        Seed of the shuffles (a non-negative integer).
    min_group : int
        Smallest group size allowed, as in :func:`spinemets.compare.two_cutoffs`.

    Raises
    ------
    ValueError
        If ``n_resamples`` or ``seed`` is not a valid integer, or ``data`` lacks a column.

    References
    ----------
    Lausen B, Schumacher M. Maximally selected rank statistics. Biometrics 1992;48:73-85.
    Phipson B, Smyth GK. Permutation p-values should never be zero. Stat Appl Genet Mol Biol
    2010;9:39.
    """
    n_resamples = check_integer(n_resamples, "n_resamples", low=1)
    seed = check_seed(seed)
    if not isinstance(data, pd.DataFrame) or not {"bed10", "os_months", "death"} <= set(data):
        raise ValueError("data must be the frame of choi2015.prepare (bed10, os_months, death)")
    bed = data.bed10.to_numpy(float)
    t, e = data.os_months.to_numpy(float), data.death.to_numpy(int)
    best = compare.two_cutoffs(bed, t, e, min_group=min_group)
    rng = np.random.default_rng(seed)
    null = [
        compare.two_cutoffs(rng.permutation(bed), t, e, min_group=min_group)
        for _ in range(n_resamples)
    ]
    null_p = np.array([r.naive_p_value for r in null])
    beating = int(sum(r.lr_statistic >= best.lr_statistic for r in null))
    return CutoffSearchResult(
        lower_cutoff=float(best.lower_cutoff),
        upper_cutoff=float(best.upper_cutoff),
        n_pairs=len(best.cutoffs),
        lr_statistic=float(best.lr_statistic),
        naive_p_value=float(best.naive_p_value),
        n_resamples=n_resamples,
        seed=seed,
        share_naive_p05=float(np.mean(null_p < 0.05)),
        n_beating=beating,
        permutation_p=(1 + beating) / (1 + n_resamples),
    )


def analyse(data: pd.DataFrame) -> dict[str, float]:
    """Paper A's analysis of ``data``: every number the chapter labels emergent (and the
    calibrated Cox HRs), as {registry id: float}.

    Parameters
    ----------
    cohort : DataFrame
        A cohort with the choi2015 schema (``spinemets.cohorts.load("choi2015")`` or a replicate).

    Returns
    -------
    dict
        Registry id -> value (NaN where the cohort does not allow the number).
    """
    d = prepare(data)
    out: dict[str, float] = {}
    for step in STEPS:
        out.update(step(d)[1])
    return out


# --------------------------------------------------------------------------- the audit
#
