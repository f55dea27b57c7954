"""Paper A's emergent numbers judged against its replicate cohorts (the chapter on cohorts).

One synthetic cohort is one draw. These functions put what the committed cohort gives beside
what 200 replicate cohorts give (``data/replicates/choi2015.csv``, see
:mod:`spinemets.cohorts.replication`), as readable tables: Table 4's univariate medians and
log-rank p-values judged two ways, and Table 4's Cox hazard ratios for a forest plot.
"""

from __future__ import annotations

import pandas as pd

from .steps import COX_KEYS, PAPER, analyse, prepare, table4_cox


def _univariate_ids(columns) -> list[str]:
    """Table 4's univariate medians and log-rank p-values among the replicate columns."""
    return [c for c in columns if c.startswith("t4_") and c.endswith(("_median", "_p_logrank"))]


def univariate_verdicts(data: pd.DataFrame):
    """Table 4's univariate medians and log-rank p-values of ``data``, judged on replicates.

    Each median is judged by :func:`spinemets.published.compare` against the central 95% of the
    replicates: *differs* when the published value lies outside it, *consistent* only when the
    interval could have excluded a clinically different value, else *uninformative*; a p-value
    is reported by its replicate distribution (median, share below 0.05), not judged.

    Parameters
    ----------
    data : DataFrame
        A cohort with the choi2015 schema (``spinemets.cohorts.load("choi2015")``).

    Returns
    -------
    spinemets.published.Comparison
        One row per number; ``.summary`` counts the verdicts, ``.subset(verdict="differs")``
        lists the misses.
    """
    from ... import cohorts, published

    reg = published.load(PAPER)
    reps = cohorts.load_replicates(PAPER)
    ours = analyse(data)
    ids = _univariate_ids(reps.columns)
    return published.compare(reg, published.from_replicates(reg, ours, reps, ids=ids))


def judging_rules(data: pd.DataFrame) -> pd.DataFrame:
    """The same numbers as :func:`univariate_verdicts` under two rules, counted.

    The *old rule* judges the one committed cohort: a number agrees when it lies within half a
    unit of the published number's last printed digit (a published bound such as ``<0.001``
    must be met), and differs otherwise. The *replicate rule* is :func:`univariate_verdicts`.

    Parameters
    ----------
    data : DataFrame
        A cohort with the choi2015 schema.

    Returns
    -------
    DataFrame
        Rows ``agree / consistent``, ``uninformative``, ``p-value (distribution)``, ``differ``;
        columns ``one cohort, printed precision`` and ``<n> replicates, central 95%``.
    """
    from ... import cohorts, published

    reg = published.load(PAPER)
    ours = analyse(data)
    n_reps = len(cohorts.load_replicates(PAPER))
    judged = univariate_verdicts(data)
    old = []
    for nid in judged.table.index:
        pub, x = reg[nid], ours[nid]
        old.append(x < pub.value if pub.bound else abs(x - pub.value) <= pub.default_tolerance)
    agree = int(sum(old))
    c = judged.counts
    return pd.DataFrame(
        {
            "one cohort, printed precision": [agree, 0, 0, len(old) - agree],
            f"{n_reps} replicates, central 95%": [
                c["consistent"],
                c["uninformative"],
                c["p-value"],
                c["differs"],
            ],
        },
        index=["agree / consistent", "uninformative", "p-value (distribution)", "differ"],
    )


def cox_forest(data: pd.DataFrame) -> pd.DataFrame:
    """Table 4's Cox hazard ratios: published, fitted on ``data``, and over the replicates.

    The rows follow the paper's coding (absence of extrahepatic metastases and of fracture, BED
    as an ordinal score), so the published and fitted hazard ratios are comparable; the
    replicate interval is the central 95% of each hazard ratio over the replicate cohorts.

    Parameters
    ----------
    data : DataFrame
        A cohort with the choi2015 schema.

    Returns
    -------
    DataFrame
        Indexed by the Cox model's terms (``ecog_3_4``, ...), with the columns
        :func:`spinemets.plots.forest_plot` reads: ``published``, ``published_lower``,
        ``published_upper``, ``ours``, ``ours_lower``, ``ours_upper``, ``rep_lower``,
        ``rep_upper``.
    """
    from ... import cohorts, published

    reg = published.load(PAPER)
    reps = cohorts.load_replicates(PAPER)
    fit, _ = table4_cox(prepare(data))
    rows = {}
    for term, key in COX_KEYS.items():
        r = fit.summary.loc[term]
        hr = reps[f"t4_{key}_hr"].dropna()
        rows[term] = {
            "published": reg.value(f"t4_{key}_hr"),
            "published_lower": reg.value(f"t4_{key}_hr_lo"),
            "published_upper": reg.value(f"t4_{key}_hr_hi"),
            "ours": r.hr,
            "ours_lower": r.hr_lower,
            "ours_upper": r.hr_upper,
            "rep_lower": hr.quantile(0.025),
            "rep_upper": hr.quantile(0.975),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


__all__ = ["univariate_verdicts", "judging_rules", "cox_forest"]
