"""Post-step for paper B (sohn2016): arm-specific continuous variables with exact published means.

The engine's ``joint`` section builds the arm groups (SRS 28; RT pool = 28 patients resembling
the published RT arm + 64 more varied ones) with their exact categorical counts. This step adds,
per arm group, continuous variables whose mean equals the target at the printed precision:
draw normal values, rescale them to the target mean and SD, clip to [min, max], round, and put
the rounding residual on the values nearest the mean (``spec['arm_continuous']``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def exact_mean_sample(rng, n, mean, sd, vmin, vmax, decimals):
    """``n`` values in [vmin, vmax] rounded to ``decimals`` whose mean rounds to ``mean``."""
    z = rng.standard_normal(n)
    z = (z - z.mean()) / (z.std() or 1.0)
    x = np.clip(mean + sd * z, vmin, vmax)
    step = 10.0 ** -decimals
    x = np.round(x / step) * step
    # push the sum to n*mean in units of one step, moving values that stay inside the range
    need = int(round((n * mean - x.sum()) / step))
    order = np.argsort(np.abs(x - mean))
    while need != 0:
        moved = False
        for j in order:   # one step per value per sweep, nearest-the-mean values first
            s = step if need > 0 else -step
            if vmin <= x[j] + s <= vmax:
                x[j] += s
                need += -1 if need > 0 else 1
                moved = True
                if need == 0:
                    break
        if not moved:
            break
    if need != 0:
        raise ValueError(f"exact_mean_sample: cannot reach mean={mean} within [{vmin}, {vmax}]")
    return np.round(x, max(decimals, 0))


def arm_continuous(df: pd.DataFrame, spec: dict, rng: np.random.Generator) -> pd.DataFrame:
    """Add the columns of ``spec['arm_continuous']`` (per arm group: mean, sd, min, max)."""
    ac = spec["arm_continuous"]
    grp = df[ac["group_column"]].astype(str).to_numpy()
    df = df.copy()
    for name, v in ac["variables"].items():
        out = np.full(len(df), np.nan)
        for g, t in v["groups"].items():
            idx = np.nonzero(grp == g)[0]
            out[idx] = exact_mean_sample(rng, len(idx), t["mean"], t["sd"], t["min"], t["max"], int(v.get("decimals", 1)))
        df[name] = out
    df["arm"] = np.where(grp == "SRS", "SRS", "RT")
    return df
