"""Checks of paper C's printed numbers: interval and median checks, score bands, ambulation
scenarios, the signed-rank bound, the tables beside the paper, whole-day gaps, banding power and
the c-index difference."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ... import cohorts, compare, scores
from ..._validation import check_positive_int, check_seed, renamed_arguments
from ...discrimination import concordance
from ...published import Registry
from .audit import comparison
from .steps import (
    BANDS_AS_PRINTED,
    DURATION,
    EVENT,
    PAPER,
    TABLE1,
    TABLE2,
    _check_cohort,
    _registry,
)


def ci_check(registry: Registry | None = None, z: float | None = None) -> pd.DataFrame:
    """*Recomputed* from the printed Table 2: the SE behind each 95% CI, and its symmetry.

    For a CI printed as median +/- z SE (SPSS's Kaplan-Meier output), SE = (upper - lower) /
    (2 z) and the midpoint equals the median. ``asymmetry`` = (upper - median) - (median -
    lower); with limits printed to 2 decimals and an integer median, a symmetric CI gives
    |asymmetry| <= 0.01 (each limit rounded by at most 0.005). ``symmetric`` applies that rule.
    It takes the printed median as exact: a Kaplan-Meier median is an observed survival time,
    a whole number of days here (:func:`spinemets.screen.screen`, which treats "74" as
    73.5-74.5, is more lenient).
    """
    reg = _registry(registry)
    z = stats.norm.ppf(0.975) if z is None else float(z)
    rows = []
    for key, (_, levels) in TABLE2.items():
        for lk in levels:
            nid = f"t2_{key}_{lk}"
            if f"{nid}_median" not in reg:
                continue
            med, lo, hi = (reg.value(f"{nid}_{s}") for s in ("median", "ci_low", "ci_high"))
            asym = (hi - med) - (med - lo)
            rows.append(
                {
                    "id": nid,
                    "median": med,
                    "lower": lo,
                    "upper": hi,
                    "midpoint": (lo + hi) / 2,
                    "se": (hi - lo) / (2 * z),
                    "asymmetry": asym,
                    "symmetric": abs(asym) <= 0.01 + 1e-9,
                }
            )
    return pd.DataFrame(rows).set_index("id")


def median_mixture_bounds(
    registry: Registry | None = None, overall: str = "os_median", readable: bool = False
) -> pd.DataFrame:
    """*Recomputed*: how the group medians of each factor constrain the overall median.

    Without censoring the pooled survival curve is the size-weighted mix of the group curves,
    S(t) = sum_g w_g S_g(t). At the overall median M, S(M) <= 0.5, and every group whose median
    lies above M still has S_g(M) >= 0.5. So the groups above M, with total weight w_A, must
    have an average S_g(M) of at most 0.5 / w_A: ``max_mean_s_above`` (a value just above 0.5
    means those groups must lose almost nobody between M and their own medians; a value below
    0.5 would be impossible). Censoring loosens the argument, so a tight row is *implausible*
    rather than impossible. Sizes are the printed numbers of operations.

    Returns
    -------
    DataFrame indexed by factor: ``overall``, ``share_above`` (w_A) and ``max_mean_s_above``,
    sorted from the tightest. With ``readable=True`` the factors are named as the paper prints
    them and the columns in words (for the chapter).
    """
    reg = _registry(registry)
    m = reg.value(overall)
    rows = []
    for table, spec in (("t1", TABLE1), ("t2", TABLE2)):
        for key, (_, levels) in spec.items():
            n = {
                lk: reg.value(f"{table}_{key}_{lk}_n")
                for lk in levels
                if f"{table}_{key}_{lk}_n" in reg
            }
            med = {
                lk: reg.value(f"{table}_{key}_{lk}_median")
                for lk in levels
                if f"{table}_{key}_{lk}_median" in reg
            }
            total = sum(n.values())
            share = sum(n[lk] for lk, v in med.items() if v > m) / total
            rows.append(
                {
                    "factor": f"{table}_{key}",
                    "overall": m,
                    "share_above": share,
                    "max_mean_s_above": 0.5 / share if share > 0 else np.inf,
                }
            )
    out = pd.DataFrame(rows).set_index("factor").sort_values("max_mean_s_above")
    if readable:
        names = [reg[f"{f}_p"].quantity.removeprefix("Log-rank p, ") for f in out.index]
        out = out.set_axis(pd.Index(names, name="factor"))
        out.columns = ["overall median", "share above it", "their S at it, at most"]
    return out


def band_check(primary: str = "liver") -> pd.DataFrame:
    """Each printed banding against the score's source bands, and what a primary can reach.

    Columns: ``printed`` (the row label's range), ``source_bands`` (the 2005 Tokuhashi or 2001
    Tomita band with the same limits, or "none": a later modification, C's ref. 20),
    ``reachable`` (the part of the band an HCC total can reach, :func:`spinemets.scores.total_range`)
    and ``possible`` (False: the group cannot contain an HCC patient).
    """
    source = {
        "tokuhashi": "tokuhashi_revised",
        "tokuhashi_rev": "tokuhashi_revised",
        "tomita": "tomita",
        "tomita_rev": "tomita",
    }
    rows = []
    for key, bands in BANDS_AS_PRINTED.items():
        lo_hcc, hi_hcc = scores.total_range(source[key], primary)
        src = {(b[0], b[1]): b[2] for b in scores.BANDS[source[key]]}
        orig = (
            {(b[0], b[1]): b[2] for b in scores.BANDS["tokuhashi_original"]}
            if "tokuhashi" in key
            else {}
        )
        for group, lo, hi in bands:
            r_lo, r_hi = max(lo, lo_hcc), min(hi, hi_hcc)
            match = (
                ("2005 band" if key.startswith("tokuhashi") else "2001 band")
                if (lo, hi) in src
                else ("1990 band" if (lo, hi) in orig else "none (ref. 20)")
            )
            rows.append(
                {
                    "score": key,
                    "group": group,
                    "printed": f"{lo}-{hi}",
                    "source_bands": match,
                    "reachable": f"{r_lo}-{r_hi}" if r_lo <= r_hi else "-",
                    "possible": r_lo <= r_hi,
                }
            )
    return pd.DataFrame(rows).set_index(["score", "group"])


def ambulation_scenarios(
    worsened=range(0, 7), restored: int = 2, not_ambulatory: int = 11, ambulatory: int = 25
) -> pd.DataFrame:
    """Wilcoxon signed-rank p of pre vs post ambulation for each possible number of losses.

    The paper prints the restored count (2 of 11) but not how many of the 25 ambulatory cases
    lost function after surgery. Each row pairs 0/1 ambulation before and after for
    ``restored`` gains and ``k`` losses and runs :func:`spinemets.compare.wilcoxon_signed_rank`
    as SPSS does (normal approximation without continuity correction: all differences are
    tied at |1|; R's default adds a continuity correction and needs one more change).
    """
    rows = []
    for k in worsened:
        if not 0 <= k <= ambulatory:
            raise ValueError(f"worsened must be 0-{ambulatory}, got {k}")
        pre = np.r_[np.zeros(not_ambulatory), np.ones(ambulatory)]
        post = pre.copy()
        post[:restored] = 1
        post[not_ambulatory : not_ambulatory + k] = 0
        r = compare.wilcoxon_signed_rank(post, pre, **SPSS_WILCOXON)
        rows.append(
            {"lost_function": k, "restored": restored, "V": r.statistic, "p_value": r.p_value}
        )
    return pd.DataFrame(rows).set_index("lost_function")


#: SPSS's NPAR TESTS /WILCOXON: the normal approximation without a continuity correction
SPSS_WILCOXON = {"method": "asymptotic", "correction": False}


def signed_rank_min_changes(n: int = 36, sig_level: float = 0.05) -> int:
    """Smallest number of one-class changes, all in one direction, that the Wilcoxon signed-rank
    test of ``n`` pairs (e.g. Child-Pugh class before and after surgery) calls significant at
    ``sig_level``, run as SPSS runs it (normal approximation, no continuity correction)."""
    for k in range(1, n + 1):
        pre = np.zeros(n)
        post = pre.copy()
        post[:k] = 1
        if compare.wilcoxon_signed_rank(post, pre, **SPSS_WILCOXON).p_value < sig_level:
            return k
    return n + 1  # pragma: no cover


def beside_paper(table: str, numbers=("median", "p"), readable: bool = False) -> pd.DataFrame:
    """One printed table of paper C beside the cohort: what the chapter shows.

    Parameters
    ----------
    table : {"Table 1", "Table 2"}
    numbers : tuple of str
        The kinds of number to keep, by the end of their registry id (``"median"``, ``"p"``,
        ``"n"``, ``"ci_low"``, ``"ci_high"``).
    readable : bool
        If True, numbers are formatted as printed (p-values to 3 decimals, medians in whole
        days, the unit moved into the row name) and the replicates' central 95% is one
        column, so the table fits a phone screen.

    Returns
    -------
    DataFrame indexed by the printed quantity: ``published``, ``cohort`` (the committed
    cohort), the replicates' central 95% (``replicates_lower``/``_upper``), ``label`` and
    ``verdict`` (from :func:`comparison`).
    """
    if table not in ("Table 1", "Table 2"):
        raise ValueError(f"table must be 'Table 1' or 'Table 2', got {table!r}")
    t = comparison().table
    keep = t.source.str.startswith(table + ",") & t.index.str.endswith(
        tuple(f"_{k}" for k in numbers)
    )
    t = t[keep]
    if readable:
        days = t.published.astype(str).str.endswith("days").to_numpy()

        def fmt(x, d):
            if not np.isfinite(x):
                return "not reached"
            return f"{x:.0f}" if d else f"{x:.3f}"

        def rng(lo, hi, d):
            if not (np.isfinite(lo) and np.isfinite(hi)):
                return "-"
            return f"{lo:.0f}-{hi:.0f}" if d else f"{lo:.2f}-{hi:.2f}"

        rep = zip(t.rep_lower.to_numpy(float), t.rep_upper.to_numpy(float), days)
        names = (
            t.quantity.str.replace(r"^Log-rank p, (.*)$", r"\1: log-rank p", regex=True)
            .str.replace(": median survival", ": median (days)")
            .str.replace(", median survival", ", median (days)")
        )
        return pd.DataFrame(
            {
                "paper": t.published.astype(str).str.removesuffix(" days").to_numpy(),
                "cohort": [fmt(x, d) for x, d in zip(t.reproduced.to_numpy(float), days)],
                "replicates, central 95%": [rng(lo, hi, d) for lo, hi, d in rep],
                "label": t.label.to_numpy(),
                "verdict": t.verdict.str.replace(r" \(.*", "", regex=True).to_numpy(),
            },
            index=pd.Index(names.to_numpy(), name="printed number"),
        )
    return pd.DataFrame(
        {
            "published": t.published.to_numpy(),
            "cohort": t.reproduced.to_numpy(float),
            "replicates_lower": t.rep_lower.to_numpy(float),
            "replicates_upper": t.rep_upper.to_numpy(float),
            "label": t.label.to_numpy(),
            "verdict": t.verdict.str.replace(r" \(.*", "", regex=True).to_numpy(),
        },
        index=pd.Index(t.quantity.to_numpy(), name="printed number"),
    )


_SCORE_NAMES = {
    "tokuhashi": "Tokuhashi",
    "tokuhashi_rev": "revised Tokuhashi",
    "tomita": "Tomita",
    "tomita_rev": "revised Tomita",
}


def _group_name(group_id: str) -> str:
    """``t2_tomita_rev_iv`` -> ``revised Tomita IV``."""
    key, level = group_id[3:].rsplit("_", 1)
    return f"{_SCORE_NAMES[key]} {level.upper()}"


def _no_censoring_factor(n: int) -> float:
    """SE of the KM median / (l - u) for n deaths without censoring or ties before l."""
    s = 1 - np.arange(n + 1) / n  # S after 0, 1, ..., n deaths
    m = np.argmax(s <= 0.5)  # SPSS: the first time with S <= 0.5
    u = np.flatnonzero(s >= 0.55).max()
    lo = np.flatnonzero(s <= 0.45).min()
    return float(np.sqrt(s[m] * (1 - s[m]) / n) / (s[u] - s[lo]))


def whole_day_gaps(registry: Registry | None = None, z: float | None = None) -> pd.DataFrame:
    """*Recomputed*: the gap l - u (days) that each printed Table 2 half-width implies.

    SPSS's SE of a Kaplan-Meier median is the Greenwood SE of S at the median over the slope
    (S(u) - S(l)) / (l - u), u the last event time with S >= 0.55 and l the first with S <= 0.45
    (Collett 2015, section 2.4). For a group of n operations without censoring or tied deaths
    before l everything but l - u is fixed by n, so half-width / (z x factor(n)) must be a whole
    number of days (survival is counted in whole days). ``whole`` says whether it is, within the
    rounding of the printed limit (0.005 / (z x factor)).

    Returns
    -------
    DataFrame, one row per group and limit: ``group``, ``n``, ``limit``, ``half_width``,
    ``gap_days``, ``rounding`` and ``whole``.
    """
    reg = _registry(registry)
    z = stats.norm.ppf(0.975) if z is None else float(z)
    rows = []
    for g, r in ci_check(reg).iterrows():
        n = int(reg.value(f"{g}_n"))
        f = _no_censoring_factor(n)
        for side, hw in (("lower", r["median"] - r["lower"]), ("upper", r["upper"] - r["median"])):
            gap, tol = hw / z / f, 0.005 / z / f
            rows.append(
                {
                    "group": _group_name(g),
                    "n": n,
                    "limit": side,
                    "half_width": hw,
                    "gap_days": gap,
                    "rounding": tol,
                    "whole": abs(gap - round(gap)) <= tol,
                }
            )
    return pd.DataFrame(rows)


def banding_power(replicates: pd.DataFrame | None = None) -> pd.Series:
    """Share of replicate cohorts in which each Table 2 banding's log-rank p is below 0.05.

    Under the cohort's model (the published Tomita medians as the true effects) this is the
    power a study of 36 operations had: an observed power, restating the published result.
    """
    reps = cohorts.load_replicates(PAPER) if replicates is None else replicates
    names = {
        "tokuhashi": "Tokuhashi (0-8 / 9-11)",
        "tokuhashi_rev": "revised Tokuhashi (0-5 / 6-9 / 10-15)",
        "tomita": "Tomita (4-5 / 6-7 / 8-10)",
        "tomita_rev": "revised Tomita (4-5 / 6-8 / 9-10)",
    }
    return pd.Series(
        {name: float((reps[f"t2_{k}_p"] < 0.05).mean()) for k, name in names.items()},
        name="share of replicates with p < 0.05",
    )


@renamed_arguments(cohort="data", n_boot="n_resamples")
def c_index_difference(data: pd.DataFrame, n_resamples: int = 400, seed: int = 2015) -> pd.Series:
    """C(Tomita total) - C(Tokuhashi total), with a 95% bootstrap interval over *patients*.

    Each bootstrap sample draws patients with replacement and keeps all their operations
    (the patient is the cluster). Returns ``difference``, ``lower``, ``upper`` and ``n_resamples``.
    """
    d = _check_cohort(data)
    n_resamples = check_positive_int(n_resamples, "n_resamples")
    rng = np.random.default_rng(check_seed(seed))
    rows_of = list(d.groupby("patient_id").indices.values())

    def diff(b):
        c_tom = concordance(b[DURATION], b[EVENT], b["tomita_total"], higher="risk").c_index
        c_tok = concordance(b[DURATION], b[EVENT], b["tokuhashi_total"], higher="survival").c_index
        return c_tom - c_tok

    boot = [
        diff(
            d.iloc[
                np.concatenate([rows_of[i] for i in rng.integers(len(rows_of), size=len(rows_of))])
            ]
        )
        for _ in range(n_resamples)
    ]
    lo, hi = np.quantile(boot, [0.025, 0.975])
    return pd.Series({"difference": diff(d), "lower": lo, "upper": hi, "n_resamples": n_resamples})
