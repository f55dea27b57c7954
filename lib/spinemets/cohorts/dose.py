"""Step 4: real fractionation schedules with counts per BED group; BED (and EQD2) from the schedule."""

from __future__ import annotations

import numpy as np

from .spec import _bed, _key


def _dose_groups(df, d):
    """Group label per row: one column, or several joined by ' & ' (e.g. 'SBRT & >=51.4')."""
    cols = d["group_column"] if isinstance(d["group_column"], list) else [d["group_column"]]
    out = df[cols[0]].astype(str).to_numpy().astype(object)
    for c in cols[1:]:
        out = out + " & " + df[c].astype(str).to_numpy().astype(object)
    return out


def _assign_dose(df, d, rng):
    n = len(df)
    dose = np.zeros(n)
    fx = np.zeros(n, int)
    grp = _dose_groups(df, d)
    assoc = d.get("associate_with")
    for g, schedules in d["schedules"].items():
        idx = np.nonzero(grp == _key(g))[0]
        sch = sorted(schedules, key=lambda s: float(_bed(s["dose"], s["fx"], d["alpha_beta"])))
        vals_d = np.repeat([s["dose"] for s in sch], [s["n"] for s in sch])
        vals_f = np.repeat([s["fx"] for s in sch], [s["n"] for s in sch])
        if len(vals_d) != len(idx):
            raise ValueError(
                f"dose: schedules of group {g} count {len(vals_d)}, the cohort has {len(idx)}"
            )
        score = rng.uniform(size=len(idx))
        if assoc:
            score = score + float(assoc["strength"]) * (
                df[assoc["column"]].astype(str).to_numpy()[idx] == assoc["level"]
            )
        order = idx[np.argsort(score, kind="stable")]
        dose[order] = vals_d
        fx[order] = vals_f
    unassigned = sorted(set(grp) - {_key(g) for g in d["schedules"]})
    if unassigned:
        raise ValueError(f"dose: no schedules for group(s) {unassigned}")
    df["total_dose_gy"] = dose
    df["fractions"] = fx
    df[d.get("bed_column", "bed10")] = np.round(_bed(dose, fx, d["alpha_beta"]), 2)
    if d.get("eqd2_column"):  # EQD2 (paper B's nBED) = BED / (1 + 2 / (alpha/beta))
        df[d["eqd2_column"]] = np.round(
            _bed(dose, fx, d["alpha_beta"]) / (1 + 2.0 / d["alpha_beta"]), 2
        )
