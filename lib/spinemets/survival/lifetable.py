"""The actuarial (Cutler-Ederer) life table, as surgical and radiotherapy series print it.

References
----------
Cutler SJ, Ederer F. Maximum utilization of the life table method in analyzing survival.
J Chronic Dis 1958;8:699-712. doi:10.1016/0021-9681(58)90126-7
Klein JP, Moeschberger ML. Survival Analysis: Techniques for Censored and Truncated Data, 2nd ed.
Springer, 2003, section 5.4 (the cohort life table; R ``KMsurv::lifetab``).
Greenwood M. The natural duration of cancer. Rep Public Health Med Subj 1926;33:1-26.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._validation import as_float_array, check_durations, check_events, check_same_length

__all__ = ["life_table"]


def life_table(durations, events, breaks: Sequence[float]) -> pd.DataFrame:
    """Actuarial (Cutler-Ederer) life table over the intervals given by ``breaks``.

    Each interval is (a, b] (the first one [0, b]): an event or censoring at time b belongs to
    the interval ending at b, so that S(b) counts events at b as the Kaplan-Meier S(t) = P(T > t)
    does. Units censored in an interval are taken to be at risk for half of it: the effective
    number at risk is ``n' = n - c/2``, the conditional probability of the event
    ``q = d / n'``, and survival at the end of the interval is the running product of ``1 - q``;
    its standard error is Greenwood's, ``S sqrt(sum d / (n' (n' - d)))`` (R ``KMsurv::lifetab``,
    whose ``surv`` and ``se.surv`` are the same numbers one row later: at the interval's start).

    Parameters
    ----------
    durations, events : array-like
        Follow-up times (>= 0) and event indicators (1 event, 0 censored).
    breaks : sequence of float
        Strictly increasing interval boundaries starting at 0, e.g. ``[0, 1, 2, 3, 6, 12]``.
        Follow-up beyond the last boundary is ignored.

    Returns
    -------
    DataFrame
        One row per interval: ``start``, ``end``, ``entering``, ``censored``, ``events``,
        ``effective_at_risk``, ``q``, ``survival_end`` (the actuarial rate at ``end``) and its
        Greenwood ``se``.

    Raises
    ------
    ValueError
        Bad durations or events (the library's rule), lengths that differ, or breaks that do not
        start at 0 and increase strictly.

    References
    ----------
    Cutler SJ, Ederer F. J Chronic Dis 1958;8:699-712. Klein JP, Moeschberger ML. Survival
    Analysis, 2nd ed. Springer 2003, section 5.4.
    """
    t = check_durations(durations, "durations")
    e = check_events(events, "events")
    check_same_length(durations=t, events=e)
    if isinstance(breaks, (str, bytes)) or np.ndim(breaks) != 1 or len(breaks) < 2:
        raise ValueError("breaks must be at least two increasing numbers starting at 0")
    b = as_float_array(breaks, "breaks")
    if b[0] != 0 or np.any(np.diff(b) <= 0):
        raise ValueError(f"breaks must start at 0 and increase strictly, got {b.tolist()}")
    rows, s, var_sum = [], 1.0, 0.0
    n = len(t)
    for lo, hi in zip(b[:-1], b[1:]):
        inside = (t > lo) & (t <= hi) if lo > 0 else (t >= lo) & (t <= hi)
        d = int((inside & (e == 1)).sum())
        c = int((inside & (e == 0)).sum())
        eff = n - c / 2
        q = d / eff if eff > 0 else math.nan
        s = s * (1 - q) if eff > 0 else math.nan
        if eff > d and eff > 0:
            var_sum += d / (eff * (eff - d))
        se = s * math.sqrt(var_sum) if not math.isnan(s) else math.nan
        rows.append(
            {
                "start": lo,
                "end": hi,
                "entering": n,
                "censored": c,
                "events": d,
                "effective_at_risk": eff,
                "q": q,
                "survival_end": s,
                "se": se,
            }
        )
        n -= d + c
    return pd.DataFrame(rows)
