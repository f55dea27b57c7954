"""Immortal-time (guarantee-time) bias: landmark analysis and a null simulation.

A patient can only be counted as "responder", "re-treated" or "exposed" if they live long enough
for the exposure to happen or be assessed. Comparing survival *from baseline* between those who
did and did not get there credits the exposed group with the time they were guaranteed to
survive: the bias Anderson, Cain and Gelber called guarantee-time bias for tumour response, and
Suissa immortal time bias. Two tools:

- :func:`landmark`: the landmark method. Choose a time ``L``; keep the patients alive and under
  follow-up at ``L``; classify exposure by what was known at ``L``; measure survival from ``L``.
  Exposures after ``L`` count as unexposed (the analysis is "intention to treat" at ``L``).
- :func:`guarantee_time_simulation`: a null simulation. Exposure is assigned at random (so it has
  no effect on survival) to patients still alive at their assessment time; the naive comparison
  from baseline and the landmark comparison are repeated many times, showing how large the bias
  is for a given cohort and assessment schedule.

The hazard ratio in the simulation is the log-rank estimate ``(O1/E1) / (O0/E0)`` (observed over
expected deaths per group, from :func:`spinemets.survival.logrank`), cheap enough for hundreds of
replicates and close to the Cox estimate when the ratio is moderate.

References
----------
Anderson JR, Cain KC, Gelber RD. Analysis of survival by tumor response. J Clin Oncol
1983;1(11):710-719. doi:10.1200/JCO.1983.1.11.710
Suissa S. Immortal time bias in pharmaco-epidemiology. Am J Epidemiol 2008;167(4):492-499.
doi:10.1093/aje/kwm324
Dafni U. Landmark analysis at the 25-year landmark point. Circ Cardiovasc Qual Outcomes
2011;4(3):363-371. doi:10.1161/CIRCOUTCOMES.110.957951
"""

from __future__ import annotations

import dataclasses
from numbers import Integral
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ._results import Result
from ._validation import (
    as_float_array,
    check_durations,
    check_events,
    check_number,
    check_open_interval,
    check_positive_int,
    check_same_length,
    renamed_arguments,
)
from .survival import logrank

__all__ = ["landmark", "LandmarkResult", "guarantee_time_simulation", "GuaranteeTimeSimulation"]


class _FramesAsShapes:
    """Print DataFrame fields as their shape, so a result with 200 rows stays readable."""

    def _split(self):
        scalars, tables = super()._split()
        for k, v in tables:
            if isinstance(v, pd.DataFrame):
                scalars.append((k, f"DataFrame, {v.shape[0]} rows x {v.shape[1]} columns"))
        return scalars, [(k, v) for k, v in tables if not isinstance(v, pd.DataFrame)]


def _same_labels(**arrays: Any) -> None:
    """Refuse Series that carry different index labels: they would be paired by position."""
    series = {k: v for k, v in arrays.items() if isinstance(v, pd.Series)}
    if len(series) > 1:
        first_name, first = next(iter(series.items()))
        for k, v in series.items():
            if not v.index.equals(first.index):
                raise ValueError(
                    f"{k} and {first_name} carry different index labels; align "
                    "them (e.g. take both columns from one DataFrame) first"
                )


@dataclasses.dataclass(frozen=True, repr=False)
class LandmarkResult(_FramesAsShapes, Result):
    """The patients kept at a landmark, with survival re-timed from it.

    ``data`` holds the kept rows (original index), ``duration`` replaced by the time from the
    landmark and, when an exposure time was given, a 0/1 column ``exposed`` (exposure known at
    the landmark).
    """

    _title: ClassVar[str] = "Landmark analysis"
    landmark: float
    n_total: int
    n_kept: int
    n_died_before: int
    n_censored_before: int
    n_exposed: int | None
    data: pd.DataFrame


@renamed_arguments(time="landmark_time")
def landmark(
    data: pd.DataFrame,
    duration: str,
    event: str,
    landmark_time: float,
    exposure_time: str | None = None,
) -> LandmarkResult:
    """Keep the patients at risk at a landmark time and re-time their survival from it.

    Parameters
    ----------
    data : DataFrame
        One row per patient.
    duration, event : str
        Columns with the follow-up time from baseline (>= 0) and the event indicator (0/1).
    landmark_time : float
        The landmark, in the units of ``duration`` (>= 0). (``time``, its former name, warns:
        ``time`` is the visit column of long data, never a landmark.)
    exposure_time : str, optional
        Column with the time from baseline at which each patient became exposed (e.g. was
        assessed as a complete responder), NaN for never. Patients exposed at or before the
        landmark get ``exposed = 1``; later exposures count as unexposed.

    Returns
    -------
    LandmarkResult
        A patient is kept if ``duration >= landmark_time`` (at risk at the landmark, as R's
        ``summary(survfit(...), times = time)`` counts ``n.risk``); ``n_died_before`` and
        ``n_censored_before`` count the others.

    Raises
    ------
    ValueError
        If a column is missing, ``landmark_time`` is negative or not finite, durations or events are
        invalid, an exposure time is negative or later than the patient's follow-up, or nobody
        is at risk at the landmark.

    References
    ----------
    Anderson JR, Cain KC, Gelber RD. J Clin Oncol 1983;1:710-719.
    Dafni U. Circ Cardiovasc Qual Outcomes 2011;4:363-371.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"t": [1.0, 3.0, 5.0, 8.0], "e": [1, 0, 1, 1],
    ...                   "cr_at": [None, 0.5, 2.5, 0.5]})
    >>> r = landmark(d, "t", "e", 2.0, exposure_time="cr_at")
    >>> r.n_kept, r.data.t.tolist(), r.data.exposed.tolist()
    (3, [1.0, 3.0, 6.0], [1, 0, 1])
    """
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    cols = [duration, event] + ([exposure_time] if exposure_time is not None else [])
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise ValueError(f"data has no column(s) {missing}; columns are {list(data.columns)}")
    L = check_number(landmark_time, "landmark_time", low=0.0)
    t = check_durations(data[duration].to_numpy(), duration)
    e = check_events(data[event].to_numpy(), event)
    check_same_length(**{duration: t, event: e})
    kept = t >= L
    if not kept.any():
        raise ValueError(
            f"landmark_time must be at most the longest follow-up ({t.max():g}); nobody is at risk at {L:g}"
        )
    out = data.loc[kept].copy()
    out[duration] = t[kept] - L
    n_exposed = None
    if exposure_time is not None:
        x = as_float_array(data[exposure_time].to_numpy(), exposure_time, allow_nan=True)
        seen = ~np.isnan(x)
        if (x[seen] < 0).any():
            raise ValueError(f"{exposure_time} must be >= 0 (or NaN for never exposed)")
        if (x[seen] > t[seen] + 1e-12).any():
            n_bad = int((x[seen] > t[seen] + 1e-12).sum())
            raise ValueError(
                f"{exposure_time} must not exceed {duration}: {n_bad} patient(s) "
                "exposed after the end of their follow-up"
            )
        exposed = (seen & (np.nan_to_num(x, nan=np.inf) <= L)).astype(int)
        out["exposed"] = exposed[kept]
        n_exposed = int(out["exposed"].sum())
    return LandmarkResult(
        L,
        len(t),
        int(kept.sum()),
        int(((~kept) & (e == 1)).sum()),
        int(((~kept) & (e == 0)).sum()),
        n_exposed,
        out,
    )


@dataclasses.dataclass(frozen=True, repr=False)
class GuaranteeTimeSimulation(_FramesAsShapes, Result):
    """Naive vs landmark comparisons of a randomly assigned, truly ineffective exposure.

    ``replicates`` has one row per replicate: the number exposed, the naive hazard ratio and
    log-rank p-value (from baseline), the number exposed by the landmark and the hazard ratio
    and p-value at the landmark. The scalar fields summarise
    them: medians of the hazard ratios and the share of naive and landmark p-values below 0.05
    (the false-positive rates; 0.05 is what an unbiased test gives), and how many patients
    died or were censored before their assessment (they can never be exposed). A replicate in
    which nobody (or everybody) is exposed has NaN for that comparison and is left out of the
    summaries.
    """

    _title: ClassVar[str] = "Guarantee-time bias: null simulation"
    n_sim: int
    p_exposed: float
    landmark: float
    median_hr_naive: float
    median_hr_landmark: float
    false_positive_naive: float
    false_positive_landmark: float
    n_gone_before_assessment: int
    median_exposed_landmark: float
    replicates: pd.DataFrame


def _hr_p(t, e, g):
    r = logrank(t, e, g)
    tab = r.table
    ratio = (tab.loc[1, "observed"] / tab.loc[1, "expected"]) / (
        tab.loc[0, "observed"] / tab.loc[0, "expected"]
    )
    return float(ratio), float(r.p_value)


def guarantee_time_simulation(
    durations,
    events,
    assessment_times,
    p_exposed: float,
    landmark_time: float,
    n_sim: int = 200,
    seed: int | None = 0,
) -> GuaranteeTimeSimulation:
    """Simulate an exposure with no effect that can only happen to patients alive to receive it.

    In each replicate every patient still under follow-up at their assessment time becomes
    exposed with probability ``p_exposed``, independently of their survival; patients who die
    or are censored first are unexposed. Survival is then compared between exposed and
    unexposed (a) naively, from baseline, and (b) from ``landmark_time``, among the patients at
    risk then, with exposure as known at the landmark.

    Parameters
    ----------
    durations, events : array-like
        Observed survival from baseline (>= 0) and event indicators (0/1), e.g. a cohort's
        overall survival; they are kept fixed, so any survival difference is bias.
    assessment_times : array-like
        Time from baseline at which each patient's exposure would be assessed (>= 0).
    p_exposed : float
        Probability of exposure for a patient alive at assessment, in (0, 1).
    landmark_time : float
        The landmark (>= 0), in the units of ``durations``.
    n_sim : int
        Number of replicates (positive).
    seed : int or None
        Seed of the random generator (None: not reproducible).

    Returns
    -------
    GuaranteeTimeSimulation

    Raises
    ------
    ValueError
        For invalid durations/events/assessment times, arrays of different lengths, Series
        with different index labels,
        ``p_exposed`` outside (0, 1), a negative landmark, ``n_sim`` < 1, or a landmark at which
        fewer than 2 patients are at risk, or no replicate has both exposed and unexposed
        patients (nothing to compare).

    References
    ----------
    Anderson JR, Cain KC, Gelber RD. J Clin Oncol 1983;1:710-719.
    Suissa S. Am J Epidemiol 2008;167:492-499.
    """
    _same_labels(durations=durations, events=events, assessment_times=assessment_times)
    t = check_durations(durations, "durations")
    e = check_events(events, "events")
    a = check_durations(assessment_times, "assessment_times")
    check_same_length(durations=t, events=e, assessment_times=a)
    p = check_open_interval(p_exposed, "p_exposed")
    L = check_number(landmark_time, "landmark_time", low=0.0)
    n_sim = check_positive_int(n_sim, "n_sim")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, Integral)):
        raise ValueError(f"seed must be an integer or None, got {seed!r}")
    at_L = t >= L
    if at_L.sum() < 2:
        raise ValueError(
            f"landmark_time must leave at least 2 patients at risk; {int(at_L.sum())} "
            f"are at risk at {L:g}"
        )
    rng = np.random.default_rng(seed)
    alive_at_assessment = t >= a
    rows = []
    for _ in range(n_sim):
        exposed = alive_at_assessment & (rng.random(len(t)) < p)
        x_L = (exposed & (a <= L))[at_L]
        row = {
            "n_exposed": int(exposed.sum()),
            "hr_naive": np.nan,
            "p_naive": np.nan,
            "n_exposed_landmark": int(x_L.sum()),
            "hr_landmark": np.nan,
            "p_landmark": np.nan,
        }
        if 0 < exposed.sum() < len(t):
            row["hr_naive"], row["p_naive"] = _hr_p(t, e, exposed.astype(int))
        if 0 < x_L.sum() < at_L.sum():
            row["hr_landmark"], row["p_landmark"] = _hr_p(t[at_L] - L, e[at_L], x_L.astype(int))
        rows.append(row)
    reps = pd.DataFrame(rows)
    for col, what in (("hr_naive", "from baseline"), ("hr_landmark", "at the landmark")):
        if reps[col].isna().all():
            raise ValueError(
                f"no replicate had both exposed and unexposed patients {what}; "
                "raise p_exposed (or n_sim), or choose another landmark_time"
            )
    return GuaranteeTimeSimulation(
        n_sim,
        p,
        L,
        float(reps.hr_naive.median()),
        float(reps.hr_landmark.median()),
        float((reps.p_naive < 0.05).mean()),
        float((reps.p_landmark < 0.05).mean()),
        int((~alive_at_assessment).sum()),
        float(reps.n_exposed_landmark.median()),
        reps,
    )
