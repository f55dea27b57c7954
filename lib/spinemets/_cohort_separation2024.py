"""Post-step for the paper E teaching scenario (separation2024): follow-up outcomes.

Paper E was available only as a lay summary with no numbers, so every shift below is an
assumption (no published value), written in ``data/cohort_specs/separation2024.yaml``
(``followup``). Baseline values come from the engine's ``continuous`` section; follow-up values
are baseline + an arm-specific mean shift + normal noise, clipped to the scale's range.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def followup(df: pd.DataFrame, spec: dict, rng: np.random.Generator) -> pd.DataFrame:
    """Add follow-up columns ``<scale>_<time>`` from ``spec['followup']`` (see module docstring)."""
    fu = spec["followup"]
    arm = df[fu["arm_column"]].astype(str).to_numpy()
    for scale, sdef in fu["scales"].items():
        base = df[sdef["baseline"]].to_numpy(float)
        for tp, shifts in sdef["shift"].items():
            mu = np.array([shifts[a] for a in arm], dtype=float)
            x = base + mu + rng.normal(0.0, sdef["sd"], len(df))
            x = np.clip(np.round(x / sdef["step"]) * sdef["step"], sdef["min"], sdef["max"])
            df[f"{scale}_{tp}"] = x
    # Frankel grade: ordinal A-E; baseline by categorical margins, improvement probability per arm.
    fr = fu["frankel"]
    grades = "ABCDE"
    b = np.array([grades.index(g) for g in df[fr["baseline"]].astype(str)])
    p = np.array([fr["improve_prob"][a] for a in arm])
    up = rng.random(len(df)) < p
    df[f"frankel_{fr['time']}"] = [grades[min(4, g + int(u))] for g, u in zip(b, up)]
    return df
