"""Paper A's contradictions: printed numbers that cannot all be true, with the arithmetic."""

from __future__ import annotations

import math

import numpy as np

from .audit import _registry


def contradictions() -> list[dict]:
    """Arithmetic across tables that shows printed numbers cannot all be true, beyond what the
    screen's relations check (for :func:`spinemets.audit.report`).

    Each item: ``where``, ``kind``, ``ids`` (registry ids, comma-separated) and ``arithmetic``.

    - the risk-group sizes against Table 1's margins (a sum over patients fixed by margins);
    - the BED-group medians against the overall 1-year survival (a size-weighted mixture of
      group curves, ignoring the 11 censored patients);
    - the AFP median against Table 4's AFP groups.
    """
    A = _registry()
    out = []
    f_ids = ["t1_ecog_3_n", "t1_ecog_4_n", "t1_primary_uncontrolled_n", "t1_extrahepatic_yes_n"]
    g_ids = [f"fig1_group_{g}_n" for g in "abcd"]
    margins = sum(A.value(i) for i in f_ids)
    groups = [A.value(i) for i in g_ids]
    by_groups = sum(k * n for k, n in enumerate(groups))
    free = groups[0]
    out.append(
        {
            "where": "Fig. 1 risk groups vs Table 1",
            "kind": "cross-table arithmetic",
            "ids": ", ".join(g_ids + f_ids),
            "arithmetic": (
                f"summed over patients the three risk factors number "
                f"{' + '.join(A[i].text for i in f_ids)} = {margins:g} whatever their overlap "
                f"(Table 1), but the group sizes {'/'.join(f'{n:g}' for n in groups)} with 0-3 "
                f"factors hold {' + '.join(f'{k} × {n:g}' for k, n in enumerate(groups) if k)} "
                f"= {by_groups:g}; with {free:g} patients free of all three, at most "
                f"{(sum(groups) - free) * 3:g} fit, so the group sizes and Table 1 cannot both "
                "be right"
            ),
        }
    )
    keys = ("le38", "39_53", "gt53")
    n = np.array([A.value(f"t4_bed_{k}_n") for k in keys])
    w = n / n.sum()
    med = [A.value(f"t4_bed_{k}_median") for k in keys]
    s12 = A.value("txt_os_1y") / 100
    s2_max = (s12 - 0.5 * w[2]) / w[1]
    deaths = (0.5 - s2_max) * n[1]
    jump = (math.log(0.5 / s2_max) / (12 - med[1])) / (math.log(2) / med[1])
    out.append(
        {
            "where": "Table 4 BED groups vs 1-year OS",
            "kind": "cross-table arithmetic (implausible)",
            "ids": ", ".join([f"t4_bed_{k}_median" for k in keys] + ["txt_os_1y"]),
            "arithmetic": (
                f"with S(t) = Σ w_g S_g(t), weights {'/'.join(f'{x:.3f}' for x in w)}, and the "
                f">53 group more than half alive at 12 months (median {med[2]:g}): "
                f"S_39-53(12) ≤ ({s12:.3f} - 0.5 × {w[2]:.3f}) / {w[1]:.3f} = {s2_max:.3f}, so at "
                f"least {deaths:.0f} of {n[1]:g} patients of the 39-53 group die in the "
                f"{12 - med[1]:.1f} months after their median of {med[1]:g}, a mean hazard at "
                f"least {jump:.1f} times the one before it: the group medians are implausible "
                "against the overall curve"
            ),
        }
    )
    le, gt = A.value("t4_afp_le200_n"), A.value("t4_afp_gt200_n")
    out.append(
        {
            "where": "Table 1 AFP median vs Table 4 AFP groups",
            "kind": "cross-table arithmetic",
            "ids": "t1_afp_median, t4_afp_le200_n, t4_afp_gt200_n",
            "arithmetic": (
                f"{le:g} of {le + gt:g} patients have AFP ≤ 200 ng/mL (Table 4), more than half, "
                f"so the median AFP is at most 200, not {A['t1_afp_median'].text} (Table 1)"
            ),
        }
    )
    return out
