"""Groups of schedules by BED: does a cutoff regroup schedules at another alpha/beta, and
which printed group ("<=38", "39-53", ">53") a BED falls in.

References
----------
Fowler JF. The linear-quadratic formula and progress in fractionated radiotherapy.
Br J Radiol 1989;62:679-694.
Choi C, Seong J. Gut Liver 2015;9(1):94-102, Table 1 (BED10 groups).
"""

from __future__ import annotations

import dataclasses
import math
import re
from typing import ClassVar

import numpy as np
import pandas as pd

from .._results import Result
from .._validation import check_choice, check_positive, check_positive_values, check_range_pair
from .lq import _inputs
from .schedules import _as_schedule, crossing_alpha_beta

__all__ = ["RegroupResult", "bed_split_regroups", "bed_group"]


@dataclasses.dataclass(frozen=True, repr=False)
class RegroupResult(Result):
    """Whether a BED cutoff puts the same schedules in the same groups at every alpha/beta."""

    _title: ClassVar[str] = "BED cutoff across alpha/beta"
    regroups: bool
    cutoff_bed: float
    alpha_beta: float
    alpha_beta_range: tuple
    groups: pd.DataFrame
    crossings: pd.DataFrame
    on_cutoff: list

    _KEYS: ClassVar[tuple] = ("regroups", "groups", "crossings", "on_cutoff")

    def __getitem__(self, key: str):
        """``result["crossings"]``: the dict access of the former return value."""
        if key not in self._KEYS:
            raise KeyError(key)
        return getattr(self, key)


def bed_split_regroups(
    schedules, cutoff, alpha_beta: float, alpha_beta_range=(2.0, 15.0), closed: str = "high"
):
    """Does a BED cutoff put the same schedules in the same groups at every alpha/beta?

    At the reference ``alpha_beta`` the cutoff splits the schedules into a low group
    (BED < cutoff, or <= with ``closed="low"``) and a high group. Two readings of "the same
    cutoff at another alpha/beta" are offered:

    * ``cutoff`` a **number** (e.g. 51.4 at alpha/beta 7): is there *any* cutoff that gives the
      same split at another alpha/beta? Only if every low schedule still has a lower BED than
      every high one, which fails exactly when a low and a high schedule cross
      (:func:`crossing_alpha_beta`) inside ``alpha_beta_range``.
    * ``cutoff`` a **schedule** (e.g. ``"24 Gy/3 fx"``, paper D's 51.4 Gy7): the cutoff is that
      schedule's BED at every alpha/beta, and a schedule changes group where it crosses it.

    Parameters
    ----------
    schedules : sequence of str or (float, int), or a mapping label -> schedule
        The schedules actually used (text such as ``"30 Gy/10 fx"`` or ``(dose, fractions)``).
    cutoff : float, str or (float, int)
        A BED (Gy_{alpha_beta}, > 0) at the reference alpha/beta, or the schedule that defines
        the cutoff.
    alpha_beta : float
        The reference alpha/beta (Gy, > 0), e.g. 7 in paper D.
    alpha_beta_range : (float, float)
        The alpha/beta values to check, ``0 < low < high``; crossings at either end count.
    closed : {"high", "low"}
        Which group a BED exactly equal to the cutoff joins. Schedules within 0.05 Gy of the
        cutoff at the reference are listed in ``on_cutoff``: their group hangs on rounding.

    Returns
    -------
    RegroupResult
        ``regroups`` (bool); ``cutoff_bed`` (the cutoff's BED at the reference alpha/beta);
        ``alpha_beta`` and ``alpha_beta_range``; ``groups`` (DataFrame: schedule, dose, fx, BED
        at the reference, group); ``crossings`` (DataFrame: ``schedule``, ``other`` (the
        schedule or cutoff schedule it crosses), ``group_at_reference`` of ``schedule``,
        ``crossing_alpha_beta``, sorted); ``on_cutoff`` (labels within 0.05 Gy of the cutoff).
        It prints readably; ``result["crossings"]`` (the former dict access) still works.

    Raises
    ------
    ValueError
        If a schedule cannot be read, fewer than two schedules are given, the cutoff or
        alpha/beta is not > 0, the range is not ``0 < low < high``, or ``closed`` is unknown.

    References
    ----------
    Fowler JF. Br J Radiol 1989;62:679-694.

    Examples
    --------
    >>> used = ["30 Gy/10 fx", "36 Gy/12 fx", "40 Gy/10 fx", "18 Gy x 1"]
    >>> bed_split_regroups(used, 63, 7, (3, 10)).regroups   # 40/10 and 18 x 1 swap at 7.45
    True
    >>> bed_split_regroups(used, "24 Gy/3 fx", 7, (3, 10)).regroups   # 36/12 crosses at 7
    True
    >>> bed_split_regroups(used, 51.4, 7, (3, 10)).regroups
    False
    """
    closed = check_choice(closed, "closed", ("high", "low"))
    if isinstance(schedules, dict):
        items = list(schedules.items())
    else:
        items = [(s if isinstance(s, str) else f"{s[0]:g} Gy/{int(s[1])} fx", s) for s in schedules]
    if len(items) < 2:
        raise ValueError("schedules must contain at least two schedules")
    parsed = [(lab, *_as_schedule(s, f"schedules[{lab!r}]")) for lab, s in items]
    alpha_beta = check_positive(alpha_beta, "alpha_beta")
    anchor = None
    if isinstance(cutoff, (str, tuple, list)):
        anchor = _as_schedule(cutoff, "cutoff")
        anchor_label = cutoff if isinstance(cutoff, str) else f"{anchor[0]:g} Gy/{anchor[1]} fx"
        cut = anchor[0] * (1 + anchor[0] / (anchor[1] * alpha_beta))
    else:
        cut = check_positive(cutoff, "cutoff")
    lo, hi = check_range_pair(alpha_beta_range, "alpha_beta_range", low=0.0, low_inclusive=False)
    labels = [p[0] for p in parsed]
    D = np.array([p[1] for p in parsed])
    n = np.array([p[2] for p in parsed], dtype=float)
    b = D * (1 + D / (n * alpha_beta))
    # a BED within 1e-9 of the cutoff counts as equal to it (360/7 computed two ways)
    tie = np.isclose(b, cut, rtol=0, atol=1e-9)
    high = (b > cut) | (tie & (closed == "high"))
    groups = pd.DataFrame(
        {
            "schedule": labels,
            "dose": D,
            "fx": n.astype(int),
            "bed": b,
            "group": np.where(high, "high", "low"),
        }
    )

    def same(i_d, i_n, j_d, j_n):
        return math.isclose(i_d, j_d) and math.isclose(i_d**2 / i_n, j_d**2 / j_n)

    rows = []
    if anchor is None:
        pairs = [(i, j) for i in np.flatnonzero(~high) for j in np.flatnonzero(high)]
        for i, j in pairs:
            if same(D[i], n[i], D[j], n[j]):
                continue  # identical schedules: equal everywhere, cannot be split apart
            x = crossing_alpha_beta((D[i], int(n[i])), (D[j], int(n[j])))
            if x is not None and lo <= x <= hi:
                rows.append(
                    {
                        "schedule": labels[i],
                        "other": labels[j],
                        "group_at_reference": "low",
                        "crossing_alpha_beta": x,
                    }
                )
    else:
        for i in range(len(labels)):
            if same(D[i], n[i], anchor[0], anchor[1]):
                continue
            x = crossing_alpha_beta((D[i], int(n[i])), anchor)
            if x is not None and lo <= x <= hi:
                rows.append(
                    {
                        "schedule": labels[i],
                        "other": anchor_label,
                        "group_at_reference": "high" if high[i] else "low",
                        "crossing_alpha_beta": x,
                    }
                )
    crossings = pd.DataFrame(
        rows, columns=["schedule", "other", "group_at_reference", "crossing_alpha_beta"]
    )
    crossings = crossings.sort_values("crossing_alpha_beta", ignore_index=True)
    on_cutoff = [lab for lab, v in zip(labels, b) if abs(v - cut) <= 0.05]
    return RegroupResult(
        bool(len(crossings)), float(cut), float(alpha_beta), (lo, hi), groups, crossings, on_cutoff
    )


def _parse_interval(text: str):
    s = text.replace(" ", "").replace("≤", "<=").replace("≥", ">=")
    m = re.fullmatch(r"(<=|<|>=|>)(\d+(?:\.\d+)?)", s)
    if m:
        op, v = m.group(1), float(m.group(2))
        return {
            "<=": (-math.inf, v, False, True),
            "<": (-math.inf, v, False, False),
            ">=": (v, math.inf, True, False),
            ">": (v, math.inf, False, False),
        }[op]
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(?:-|–|to)(<)?(\d+(?:\.\d+)?)", s)
    if m:
        a, b = float(m.group(1)), float(m.group(3))
        if a < b:
            return (a, b, True, m.group(2) is None)
    raise ValueError(
        f"groups: cannot read the interval {text!r}; write '<=38', '<39', "
        "'39-53' (both ends included), '39-<53', '>53' or '>=53'"
    )


def bed_group(bed_values, groups, outside: str | None = None):
    """Put BED values into groups written as a paper prints them ("<=38", "39-53", ">53").

    Interval notation: ``"<=x"``, ``"<x"``, ``">=x"``, ``">x"``, ``"a-b"`` (both ends
    included, as in a table's "39-53") and ``"a-<b"`` (upper end excluded). Groups must not
    overlap. A value that fits no group (such as 38.4 with paper A's "<=38" and "39-53")
    raises, unless ``outside`` names a label for it: the gap is then visible, never silently
    assigned to a neighbour.

    Parameters
    ----------
    bed_values : float, array-like or Series
        BED values (> 0).
    groups : sequence of str
        The group labels, each an interval in the notation above.
    outside : str, optional
        Label for values in no group. Default: raise.

    Returns
    -------
    str, ndarray of str or Series (same form as ``bed_values``)

    Raises
    ------
    ValueError
        A value in no group (when ``outside`` is None), an unreadable or overlapping interval,
        or a BED that is not a positive number.

    References
    ----------
    Choi C, Seong J. Gut Liver 2015;9(1):94-102, Table 1 (BED10 groups <=38, 39-53, >53).

    Examples
    --------
    >>> bed_group(39.0, ["<=38", "39-53", ">53"])
    '39-53'
    >>> bed_group(38.4, ["<=38", "39-53", ">53"], outside="no group")
    'no group'
    """
    if isinstance(groups, str) or len(groups) < 1:
        raise ValueError("groups must be a list of interval labels such as ['<=38', '39-53']")
    iv = [(g, *_parse_interval(g)) for g in groups]
    for i, (g1, a1, b1, ca1, cb1) in enumerate(iv):
        for g2, a2, b2, ca2, cb2 in iv[i + 1 :]:
            lo, hi = max(a1, a2), min(b1, b2)
            lo_in = (ca1 if a1 >= a2 else True) and (ca2 if a2 >= a1 else True)
            hi_in = (cb1 if b1 <= b2 else True) and (cb2 if b2 <= b1 else True)
            if lo < hi or (lo == hi and lo_in and hi_in):
                raise ValueError(f"groups {g1!r} and {g2!r} overlap")
    shape, (b,) = _inputs(("bed_values",), (bed_values,))
    check_positive_values(b, "bed_values")
    out = np.full(b.shape, None, dtype=object)
    for g, a, c, ca, cc in iv:
        ok = ((b >= a) if ca else (b > a)) & ((b <= c) if cc else (b < c))
        out[ok] = g
    miss = np.array([o is None for o in out])
    if miss.any():
        if outside is None:
            raise ValueError(
                f"bed_values: {b[miss][0]:g} fits none of the groups "
                f"{list(groups)}; pass outside='...' to label such values"
            )
        out[miss] = str(outside)
    return shape.wrap(out if shape.kind == "series" else out.astype(str), name="group")
