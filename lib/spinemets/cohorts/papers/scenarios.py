"""Post-steps for cohorts that are teaching scenarios rather than reconstructions.

Each function takes ``(df, spec, rng)`` and returns the cohort with its outcome columns; every
parameter comes from the spec's ``scenario`` section, where it is written down as an assumption.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_FRANKEL = ["A", "B", "C", "D", "E"]


def _round_to(x: np.ndarray, step: float) -> np.ndarray:
    return np.round(np.asarray(x, float) / step) * step


def separation2024(df: pd.DataFrame, spec: dict, rng: np.random.Generator) -> pd.DataFrame:
    """Paper E teaching scenario: follow-up VAS, KPS, Frankel grade and two RAND-36 scales by group.

    For each outcome the spec gives, per group and time point, a mean change from baseline and its
    SD (``scenario.changes``); values are clipped to the scale and rounded to the values the
    instrument can take (VAS whole numbers; KPS tens; RAND-36 physical functioning multiples of 5,
    bodily pain multiples of 2.5). Frankel grades move up or down one grade with the probabilities
    in ``scenario.frankel``.
    """
    sc = spec["scenario"]
    df = df.copy()
    group = df["group"].astype(str).to_numpy()
    df["kps_pre"] = np.clip(_round_to(df["kps_pre"], 10), 10, 100).astype(int)
    df["sf36_pf_pre"] = _round_to(df["sf36_pf_pre"], 5)  # mean of ten 0/50/100 items
    df["sf36_bp_pre"] = _round_to(df["sf36_bp_pre"], 2.5)  # mean of two RAND-36 pain items
    scales = {
        "vas": (0, 10, 1),
        "kps": (10, 100, 10),
        "sf36_pf": (0, 100, 5),
        "sf36_bp": (0, 100, 2.5),
    }
    for outcome, by_time in sc["changes"].items():
        lo, hi, step = scales[outcome]
        base = df[f"{outcome}_pre"].to_numpy(float)
        for time, by_group in by_time.items():
            mean = np.array([by_group[g]["mean"] for g in group], float)
            sd = np.array([by_group[g]["sd"] for g in group], float)
            val = np.clip(_round_to(base + rng.normal(mean, sd), step), lo, hi)
            df[f"{outcome}_{time}"] = val.astype(int) if float(step).is_integer() else val
    idx = np.array([_FRANKEL.index(str(g)) for g in df["frankel_pre"]])
    u = rng.uniform(size=len(df))
    p_up = np.array([sc["frankel"][g]["improve"] for g in group])
    p_down = np.array([sc["frankel"][g]["worsen"] for g in group])
    step = np.where(u < p_up, 1, np.where(u > 1 - p_down, -1, 0))
    df["frankel_3m"] = [_FRANKEL[i] for i in np.clip(idx + step, 0, 4)]
    return df
