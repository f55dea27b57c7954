"""Recomputation tools for paper B: numbers checked from other printed numbers (correlations,
paired tests, McNemar and Newcombe fits, toxicity fits)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from spinemets._validation import check_count_table, check_open_interval

#: Table 2 pain relief, n of 28 per arm: category -> (SRS, RT)
PAIN_COUNTS = {"complete": (6, 3), "partial": (12, 13), "stable": (7, 10), "progression": (3, 2)}


def implied_correlation(
    mean1: float, sd1: float, mean2: float, sd2: float, p: float, n: int = 28
) -> float:
    """The within-pair correlation that a printed paired-t p implies, from the arms' mean ± SD.

    The paired t statistic is ``|mean1 - mean2| / (sd_d / sqrt(n))`` with ``n - 1`` df, so the
    printed two-sided ``p`` fixes the SD of the differences ``sd_d``, and
    ``sd_d**2 = sd1**2 + sd2**2 - 2 r sd1 sd2`` gives ``r`` (Altman, *Practical Statistics for
    Medical Research*, 1991, section 9.5). A value outside [-1, 1] means no pairing gives ``p``.

    Raises
    ------
    ValueError
        If ``p`` is not in (0, 1), an SD is not positive or ``n`` < 2.
    """
    check_open_interval(p, "p")
    if not (sd1 > 0 and sd2 > 0):
        raise ValueError(f"sd1 and sd2 must be > 0, got {sd1!r}, {sd2!r}")
    if not (isinstance(n, (int, np.integer)) and n >= 2):
        raise ValueError(f"n must be a whole number >= 2, got {n!r}")
    sd_d = abs(mean1 - mean2) * math.sqrt(n) / stats.t.isf(p / 2, n - 1)
    return float((sd1**2 + sd2**2 - sd_d**2) / (2 * sd1 * sd2))


def paired_t_p_from_change(mean_change: float, sd_change: float, n: int = 28) -> float:
    """Two-sided paired t p-value from the mean and SD of the within-patient changes.

    Raises
    ------
    ValueError
        If ``sd_change`` is not positive or ``n`` < 2.
    """
    if not sd_change > 0:
        raise ValueError(f"sd_change must be > 0, got {sd_change!r}")
    if not (isinstance(n, (int, np.integer)) and n >= 2):
        raise ValueError(f"n must be a whole number >= 2, got {n!r}")
    return float(2 * stats.t.sf(abs(mean_change) / (sd_change / math.sqrt(n)), n - 1))


def mcnemar_fits(difference: int, n_pairs: int) -> pd.DataFrame:
    """McNemar's exact p for every table of pairs whose discordant counts differ by ``difference``.

    The margins of a paired 2 x 2 table fix ``b - c`` (pairs "SRS yes, RT no" minus "SRS no,
    RT yes"), not ``b`` and ``c``: one row per ``b`` from ``difference`` to the most the pairs
    allow, with McNemar's exact (binomial) p (:func:`scipy.stats.binomtest`, as SPSS).
    """
    if not (isinstance(difference, (int, np.integer)) and difference >= 0):
        raise ValueError(f"difference must be a whole number >= 0, got {difference!r}")
    if not (isinstance(n_pairs, (int, np.integer)) and n_pairs > difference):
        raise ValueError(f"n_pairs must be a whole number > difference, got {n_pairs!r}")
    rows = []
    for b in range(max(difference, 1), (n_pairs + difference) // 2 + 1):
        c = b - difference
        rows.append((b, c, stats.binomtest(b, b + c).pvalue))
    return pd.DataFrame(rows, columns=["b", "c", "p_value"])


def toxicity_fits() -> pd.DataFrame:
    """Tables of 27 pairs with toxicity 9 (SRS) vs 17 (RT), and McNemar's exact p for each.

    One RT patient has no toxicity record (17/27 = 63.0%), so at most 27 pairs are complete;
    the SRS member of the incomplete pair had toxicity or not, so the SRS count in the 27 pairs
    is 9 or 8. Columns: SRS toxic in the 27 pairs, pairs toxic in both, SRS only, RT only, p.
    """
    rows = [
        (s, a, s - a, 17 - a, stats.binomtest(s - a, s + 17 - 2 * a).pvalue)
        for s in (9, 8)
        for a in range(0, s + 1)
    ]
    return pd.DataFrame(rows, columns=["srs_toxic", "both_toxic", "srs_only", "rt_only", "p_value"])


def newcombe_paired(
    both: int, first_only: int, second_only: int, neither: int, level: float = 0.95
) -> tuple[float, float]:
    """Newcombe's (1998) method 10 interval for ``p1 - p2`` from a paired 2 x 2 table.

    ``p1 = (both + first_only) / n``, ``p2 = (both + second_only) / n``; Wilson intervals for each,
    combined with the correlation ``phi`` (set to 0 when ``both*neither - first_only*second_only``
    lies between 0 and n/2, as Newcombe specifies).

    References
    ----------
    Newcombe RG. Stat Med 1998;17:2635-2650, method 10.
    """
    check_count_table([[both, first_only], [second_only, neither]], "table")
    check_open_interval(level, "level")
    from statsmodels.stats.proportion import proportion_confint

    a, b, c, d = both, first_only, second_only, neither
    n = a + b + c + d
    p1, p2 = (a + b) / n, (a + c) / n
    alpha = 1 - level
    l1, u1 = proportion_confint(a + b, n, alpha, method="wilson")
    l2, u2 = proportion_confint(a + c, n, alpha, method="wilson")
    den = math.sqrt(float((a + b) * (c + d) * (a + c) * (b + d)))
    num = a * d - b * c
    num = num - n / 2 if num > n / 2 else min(num, 0)
    phi = num / den if den > 0 else 0.0
    lo = math.sqrt((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2)
    hi = math.sqrt((p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2)
    return float(p1 - p2 - lo), float(p1 - p2 + hi)


def paired_difference_range(
    successes1: int, successes2: int, n_pairs: int, level: float = 0.95
) -> pd.DataFrame:
    """Newcombe's paired interval for every table of pairs with the printed margins.

    The margins (``successes1`` and ``successes2`` of ``n_pairs``) leave one number free, the
    pairs with the outcome in both arms; one row per value it can take, with the interval.
    """
    for name, v in (("successes1", successes1), ("successes2", successes2)):
        if not (isinstance(v, (int, np.integer)) and 0 <= v <= n_pairs):
            raise ValueError(f"{name} must be a whole number from 0 to n_pairs, got {v!r}")
    rows = []
    for a in range(max(0, successes1 + successes2 - n_pairs), min(successes1, successes2) + 1):
        lo, hi = newcombe_paired(
            a, successes1 - a, successes2 - a, n_pairs - successes1 - successes2 + a, level
        )
        rows.append((a, lo, hi))
    return pd.DataFrame(rows, columns=["both", "lower", "upper"])


def _pct(k: float, n: float = 28) -> float:
    return 100 * k / n
