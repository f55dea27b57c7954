"""Linear-quadratic radiobiology: BED, EQD2 (= nBED) and schedule parsing.

Notation: a schedule gives ``total_dose`` ``D`` (Gy) in ``fractions`` ``n`` of ``d = D/n`` Gy each;
``alpha_beta`` is the tissue's alpha/beta ratio (Gy). No time factor and no incomplete-repair term
(the papers use none).

* ``BED = D * (1 + d / (alpha/beta))``, written in Gy with the alpha/beta as a subscript
  (``Gy10`` for alpha/beta = 10).
* ``EQD2 = BED / (1 + 2 / (alpha/beta)) = D * (d + alpha/beta) / (2 + alpha/beta)``: the total dose
  in 2-Gy fractions with the same LQ effect. Paper B calls it the normalised BED (nBED) and writes
  its unit ``Gy2/10``; :func:`nbed` is the same function.

Every function accepts scalars, numpy arrays or pandas Series (broadcast against each other) and
returns the same kind of object: a float for scalars, an array for arrays, a Series (keeping its
index) if any input is a Series.

References
----------
Barendsen GW. Dose fractionation, dose rate and iso-effect relationships for normal tissue
responses. Int J Radiat Oncol Biol Phys 1982;8:1981-1997.

Fowler JF. The linear-quadratic formula and progress in fractionated radiotherapy.
Br J Radiol 1989;62:679-694.

Withers HR, Thames HD, Peters LJ. A new isoeffect curve for change in dose per fraction.
Radiother Oncol 1983;1:187-191.

Bentzen SM, Dörr W, Gahbauer R, et al. Bioeffect modeling and equieffective dose concepts in
radiation oncology - terminology, quantities and units. Radiother Oncol 2012;105:266-268.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from ._validation import Shape, broadcast_arrays

__all__ = [
    "bed", "eqd2", "nbed", "bed_to_eqd2", "eqd2_to_bed", "parse_schedule",
    "total_dose_for", "isoeffective_dose_per_fraction", "mean_eqd2_lower_bound",
]


# --------------------------------------------------------------------------- validation helpers

def _positive(arr: np.ndarray, name: str) -> None:
    # one pass each; NaN fails ``arr > 0`` so it is caught here too
    ok = arr > 0
    if not ok.all():
        bad = arr[~ok]
        if np.isnan(bad).any():
            raise ValueError(f"{name} contains {int(np.isnan(arr).sum())} missing value(s) (NaN); "
                             f"{name} must be a positive number")
        raise ValueError(f"{name} must be > 0; found {bad.size} value(s) <= 0, e.g. {bad[0]:g}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite; found an infinite value")


def _positive_int(arr: np.ndarray, name: str) -> None:
    _positive(arr, name)
    if not (arr == np.floor(arr)).all():
        bad = arr[arr != np.floor(arr)]
        raise ValueError(f"{name} must be a positive integer (whole number of fractions); found {bad[0]:g}")


def _inputs(names, values):
    for n, v in zip(names, values):
        if isinstance(v, (str, bytes)):
            raise ValueError(f"{n} must be numeric, got the string {v!r}; use parse_schedule() for text")
        if v is None:
            raise ValueError(f"{n} must be numeric, got None")
    shape = Shape.of(*values)
    try:
        arrays = broadcast_arrays(names, values)
    except (TypeError, ValueError) as e:
        if isinstance(e, ValueError) and (
                "broadcast" in str(e) or any(str(e).startswith(n + " ") for n in names)):
            raise  # already names the argument
        raise ValueError(f"{', '.join(names)} must be numeric") from None
    if arrays[0].size == 0:
        empty = [n for n, v in zip(names, values) if np.size(v) == 0]
        raise ValueError(f"{', '.join(empty) or names[0]} must not be empty")
    return shape, arrays


def _schedule(total_dose, fractions, alpha_beta):
    shape, (D, n, ab) = _inputs(("total_dose", "fractions", "alpha_beta"), (total_dose, fractions, alpha_beta))
    _positive(D, "total_dose")
    _positive_int(n, "fractions")
    _positive(ab, "alpha_beta")
    return shape, D, n, ab


# --------------------------------------------------------------------------- core formulas

def bed(total_dose: Any, fractions: Any, alpha_beta: Any):
    """Biologically effective dose of ``fractions`` equal fractions: ``D * (1 + d / (alpha/beta))``.

    Parameters
    ----------
    total_dose : float, array-like or Series
        Total physical dose ``D`` in Gy (> 0).
    fractions : int, array-like or Series
        Number of fractions ``n`` (positive whole numbers); the dose per fraction is ``D / n``.
    alpha_beta : float, array-like or Series
        alpha/beta ratio of the tissue in Gy (> 0): 10 for tumour (papers A and B), 7 for renal
        cell carcinoma as paper D assumes, 2-3 for spinal cord.

    Returns
    -------
    float, ndarray or Series
        BED in Gy with the alpha/beta as subscript (e.g. Gy10), the same kind as the inputs.

    Raises
    ------
    ValueError
        If ``total_dose`` <= 0, ``fractions`` is not a positive integer, ``alpha_beta`` <= 0, any
        input is NaN/infinite/non-numeric, or the inputs cannot be broadcast together.

    References
    ----------
    Fowler JF. Br J Radiol 1989;62:679-694. Barendsen GW. Int J Radiat Oncol Biol Phys
    1982;8:1981-1997.

    Examples
    --------
    >>> round(bed(8, 1, 10), 2)          # paper A's lowest BED10: 8 Gy x 1
    14.4
    >>> round(bed(24, 3, 7), 2)          # paper D: 24 Gy/3 fx at alpha/beta 7 = 360/7
    51.43
    """
    shape, D, n, ab = _schedule(total_dose, fractions, alpha_beta)
    return shape.wrap(D * (1.0 + D / (n * ab)), name="bed")


def eqd2(total_dose: Any, fractions: Any, alpha_beta: Any):
    """Equivalent dose in 2-Gy fractions: ``D * (d + alpha/beta) / (2 + alpha/beta)``.

    Identical to paper B's "normalised BED" (nBED, unit written Gy2/10 for alpha/beta 10); see
    :func:`nbed`.

    Parameters
    ----------
    total_dose, fractions, alpha_beta
        As in :func:`bed`.

    Returns
    -------
    float, ndarray or Series
        EQD2 in Gy (written EQD2_{alpha/beta}), the same kind as the inputs.

    Raises
    ------
    ValueError
        As :func:`bed`.

    References
    ----------
    Withers HR, Thames HD, Peters LJ. Radiother Oncol 1983;1:187-191. Bentzen SM, Dörr W,
    Gahbauer R, et al. Radiother Oncol 2012;105:266-268 (notation EQD2_{alpha/beta}).

    Examples
    --------
    >>> round(eqd2(40, 4, 10), 2)       # paper B's figure 1 SRS case: 40 Gy/4 fx
    66.67
    >>> round(eqd2(30, 10, 10), 2)      # paper B's figure 1 RT case: 30 Gy/10 fx
    32.5
    """
    shape, D, n, ab = _schedule(total_dose, fractions, alpha_beta)
    return shape.wrap(D * (D / n + ab) / (2.0 + ab), name="eqd2")


#: Paper B's "normalised BED" (nBED) is EQD2: ``BED / (1 + 2/(alpha/beta))``. Same function.
nbed = eqd2


def bed_to_eqd2(bed: Any, alpha_beta: Any):
    """Convert a BED to EQD2: ``BED / (1 + 2 / (alpha/beta))`` (paper B's nBED formula).

    Parameters
    ----------
    bed : float, array-like or Series
        BED in Gy_{alpha/beta} (> 0).
    alpha_beta : float, array-like or Series
        The alpha/beta (Gy, > 0) the BED was computed with.

    Returns
    -------
    float, ndarray or Series

    Raises
    ------
    ValueError
        If ``bed`` <= 0 or ``alpha_beta`` <= 0, or an input is NaN.

    References
    ----------
    Withers HR, Thames HD, Peters LJ. Radiother Oncol 1983;1:187-191. Bentzen SM, et al.
    Radiother Oncol 2012;105:266-268.
    """
    shape, (b, ab) = _inputs(("bed", "alpha_beta"), (bed, alpha_beta))
    _positive(b, "bed")
    _positive(ab, "alpha_beta")
    return shape.wrap(b / (1.0 + 2.0 / ab), name="eqd2")


def eqd2_to_bed(eqd2: Any, alpha_beta: Any):
    """Convert an EQD2 to BED: ``EQD2 * (1 + 2 / (alpha/beta))``.

    Parameters
    ----------
    eqd2 : float, array-like or Series
        EQD2 in Gy (> 0).
    alpha_beta : float, array-like or Series
        alpha/beta in Gy (> 0).

    Returns
    -------
    float, ndarray or Series

    Raises
    ------
    ValueError
        If ``eqd2`` <= 0 or ``alpha_beta`` <= 0, or an input is NaN.

    References
    ----------
    Fowler JF. Br J Radiol 1989;62:679-694. Bentzen SM, et al. Radiother Oncol 2012;105:266-268.
    """
    shape, (e, ab) = _inputs(("eqd2", "alpha_beta"), (eqd2, alpha_beta))
    _positive(e, "eqd2")
    _positive(ab, "alpha_beta")
    return shape.wrap(e * (1.0 + 2.0 / ab), name="bed")


# --------------------------------------------------------------------------- iso-effect

def isoeffective_dose_per_fraction(bed: Any, fractions: Any, alpha_beta: Any):
    """Dose per fraction ``d`` that reaches ``bed`` in ``fractions`` fractions.

    Solves ``n d (1 + d / (alpha/beta)) = BED`` for the positive root,
    ``d = (alpha/beta) / 2 * (sqrt(1 + 4 BED / (n alpha/beta)) - 1)``.

    Parameters
    ----------
    bed : float, array-like or Series
        Target BED in Gy_{alpha/beta} (> 0).
    fractions : int, array-like or Series
        Number of fractions (positive whole numbers).
    alpha_beta : float, array-like or Series
        alpha/beta in Gy (> 0).

    Returns
    -------
    float, ndarray or Series
        Dose per fraction in Gy.

    Raises
    ------
    ValueError
        If ``bed`` <= 0, ``fractions`` is not a positive integer or ``alpha_beta`` <= 0.

    References
    ----------
    Fowler JF. Br J Radiol 1989;62:679-694.

    Examples
    --------
    >>> round(isoeffective_dose_per_fraction(39.0, 10, 10), 6)   # 30 Gy/10 fx back again
    3.0
    """
    shape, d, _ = _isoeffective(bed, fractions, alpha_beta)
    return shape.wrap(d, name="dose_per_fraction")


def _isoeffective(bed, fractions, alpha_beta):
    shape, (b, n, ab) = _inputs(("bed", "fractions", "alpha_beta"), (bed, fractions, alpha_beta))
    _positive(b, "bed")
    _positive_int(n, "fractions")
    _positive(ab, "alpha_beta")
    x = 4.0 * b / (n * ab)
    # (sqrt(1+x) - 1) written as x / (sqrt(1+x) + 1) to avoid cancellation for small x
    return shape, 0.5 * ab * x / (np.sqrt(1.0 + x) + 1.0), n


def total_dose_for(bed: Any, fractions: Any, alpha_beta: Any):
    """Total dose in ``fractions`` equal fractions that reaches ``bed`` (the iso-effective total dose).

    ``fractions * isoeffective_dose_per_fraction(bed, fractions, alpha_beta)``.

    Parameters
    ----------
    bed, fractions, alpha_beta
        As in :func:`isoeffective_dose_per_fraction`.

    Returns
    -------
    float, ndarray or Series
        Total dose in Gy.

    Raises
    ------
    ValueError
        As :func:`isoeffective_dose_per_fraction`.

    References
    ----------
    Fowler JF. Br J Radiol 1989;62:679-694. Withers HR, Thames HD, Peters LJ. Radiother Oncol
    1983;1:187-191.

    Examples
    --------
    >>> round(total_dose_for(39.0, 5, 10), 2)    # 5 fractions iso-effective with 30 Gy/10 fx (BED10 39)
    25.74
    """
    shape, d, n = _isoeffective(bed, fractions, alpha_beta)
    return shape.wrap(n * d, name="total_dose")


def mean_eqd2_lower_bound(mean_total_dose: Any, mean_fractions: Any, alpha_beta: Any):
    """Smallest possible mean EQD2 (nBED) of a group, given its mean total dose and mean fractions.

    ``EQD2 = (D**2 / n + (alpha/beta) D) / (2 + alpha/beta)`` is jointly convex in ``(D, n)``
    (``D**2/n`` is the quadratic-over-linear function), so by Jensen's inequality the mean EQD2 of a
    group is at least the EQD2 of its mean schedule. A published mean EQD2 below this bound cannot
    have been computed from the same doses and fractions. ``mean_fractions`` need not be whole.

    Parameters
    ----------
    mean_total_dose : float, array-like or Series
        Mean total dose of the group (Gy, > 0).
    mean_fractions : float, array-like or Series
        Mean number of fractions (>= 1).
    alpha_beta : float, array-like or Series
        alpha/beta in Gy (> 0).

    Returns
    -------
    float, ndarray or Series
        The lower bound in Gy (EQD2 with that alpha/beta).

    Raises
    ------
    ValueError
        If ``mean_total_dose`` <= 0, ``mean_fractions`` < 1, or ``alpha_beta`` <= 0, or NaN.

    References
    ----------
    Withers HR, Thames HD, Peters LJ. Radiother Oncol 1983;1:187-191 (EQD2). Boyd S,
    Vandenberghe L. Convex Optimization. Cambridge University Press 2004, section 3.1.5
    (quadratic-over-linear function) and 3.1.8 (Jensen's inequality).

    Examples
    --------
    >>> round(mean_eqd2_lower_bound(31.5, 10.2, 10), 2)   # paper B, RT group
    34.36
    """
    shape, (D, n, ab) = _inputs(("mean_total_dose", "mean_fractions", "alpha_beta"),
                                (mean_total_dose, mean_fractions, alpha_beta))
    _positive(D, "mean_total_dose")
    _positive(n, "mean_fractions")
    if (n < 1).any():
        raise ValueError(f"mean_fractions must be >= 1; found {n[n < 1][0]:g}")
    _positive(ab, "alpha_beta")
    return shape.wrap(D * (D / n + ab) / (2.0 + ab), name="eqd2_lower_bound")


# --------------------------------------------------------------------------- schedule text

_NUM = r"(\d+(?:\.\d+)?)"
_GY = r"\s*(?:gy|gray)"
_FX = r"\s*(?:(?:fx|fxs|fr|frs|fractions?|f)\b\.?|#)"   # "#" and "F" as in clinic notes
_PATTERNS = [
    # 30 Gy/10 fx, 24Gy/3fx, 40Gy/4Fx, 30 Gy / 10
    ("total", re.compile(rf"^{_NUM}{_GY}\s*/\s*{_NUM}(?:{_FX})?$")),
    # 20 Gy in 5 fractions, 30 Gy in 10 fx
    ("total", re.compile(rf"^{_NUM}{_GY}\s+in\s+{_NUM}(?:{_FX})?$")),
    # 18 Gy single fraction, 18 Gy in a single fraction, 18 Gy in 1 fraction
    ("single", re.compile(rf"^{_NUM}{_GY}\s+(?:in\s+)?(?:a\s+|one\s+)?single(?:\s+fraction|\s+fx)?$")),
    # 8 Gy x 1, 8Gy×1, 3 Gy x 10 fx, 3 Gy * 10 -> dose PER FRACTION times number
    ("per_fraction", re.compile(rf"^{_NUM}{_GY}\s*[x×*]\s*{_NUM}(?:{_FX})?$")),
    # 10 x 3 Gy, 10 fx x 3 Gy -> number times dose per fraction
    ("count_first", re.compile(rf"^{_NUM}(?:{_FX})?\s*[x×*]\s*{_NUM}{_GY}$")),
]


def parse_schedule(text: str) -> tuple[float, int]:
    """Read a fractionation schedule written as in the papers or a clinic note.

    Accepted forms (case-insensitive, decimals with ``.``, spaces optional):

    * total / number: ``"30 Gy/10 fx"``, ``"24Gy/3fx"``, ``"40Gy/4Fx"``, ``"30 Gy in 10 fractions"``,
      ``"20 Gy in 5 fractions"``, ``"30Gy/10#"``, ``"36Gy/12F"``;
    * single fraction: ``"18 Gy single fraction"``, ``"18 Gy in a single fraction"``;
    * **dose per fraction** x number: ``"8 Gy x 1"``, ``"8Gy×1"``, ``"3 Gy x 10"`` (= 30 Gy in 10);
    * number x dose per fraction: ``"10 x 3 Gy"``;
    * a trailing remark in parentheses is ignored: ``"30 Gy/10 fractions (3 Gy/fx)"``.

    Doses in cGy and a bare dose without fractions (``"8 Gy"``) are refused rather than guessed.

    Note the two readings of the Gy number: in ``"30 Gy/10 fx"`` and ``"30 Gy in 10 fractions"``
    it is the **total** dose; in ``"3 Gy x 10"`` it is the dose **per fraction**.

    Parameters
    ----------
    text : str
        The schedule.

    Returns
    -------
    (total_dose, fractions) : (float, int)

    Raises
    ------
    ValueError
        If ``text`` is not a string in one of these forms, the dose is not > 0, or the number of
        fractions is not a positive integer.

    Examples
    --------
    >>> parse_schedule("3 Gy x 10")
    (30.0, 10)
    >>> parse_schedule("24Gy/3fx")
    (24.0, 3)
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a schedule string such as '30 Gy/10 fx', got {text!r}")
    s = " ".join(text.strip().lower().split())
    s = re.sub(r"\s*\([^()]*\)$", "", s)   # a trailing remark such as "(3 Gy/fx)"
    for kind, pat in _PATTERNS:
        m = pat.match(s)
        if not m:
            continue
        if kind == "single":
            dose, n = float(m.group(1)), 1.0
        elif kind == "total":
            dose, n = float(m.group(1)), float(m.group(2))
        elif kind == "per_fraction":
            n = float(m.group(2))
            dose = float(m.group(1)) * n
        else:  # count_first
            n = float(m.group(1))
            dose = float(m.group(2)) * n
        if not (dose > 0 and math.isfinite(dose)):
            raise ValueError(f"text {text!r}: the dose must be > 0")
        if not (n >= 1 and n == int(n)):
            raise ValueError(f"text {text!r}: the number of fractions must be a positive integer, got {n:g}")
        return round(dose, 10), int(n)
    raise ValueError(
        f"text {text!r} is not a schedule I can read; use e.g. '30 Gy/10 fx', '20 Gy in 5 fractions', "
        "'8 Gy x 1' (dose per fraction x number) or '18 Gy single fraction'")


# --------------------------------------------------------------------------- ordering of schedules
# (appended: crossing alpha/beta, regrouping by a BED split, schedule search, interval groups)

def _as_schedule(s, name: str) -> tuple[float, int]:
    """A schedule given as text ("24 Gy/3 fx") or as (total dose, fractions)."""
    if isinstance(s, str):
        return parse_schedule(s)
    try:
        D, n = s
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a schedule string such as '24 Gy/3 fx' or a "
                         f"(total_dose, fractions) pair; got {s!r}") from None
    _schedule(D, n, 1.0)   # validates: dose > 0, whole number of fractions >= 1
    return float(D), int(n)


def crossing_alpha_beta(schedule1, schedule2):
    """The alpha/beta at which two schedules have the same BED (where their order swaps).

    With ``BED = D (1 + d / (alpha/beta))`` the two BEDs are equal when
    ``D1 + D1 d1 / ab = D2 + D2 d2 / ab``, i.e. at

    ``ab = (D1 d1 - D2 d2) / (D2 - D1)``.

    Below that alpha/beta the schedule with the larger ``D d`` (the larger quadratic term) has
    the higher BED; above it the schedule with the larger total dose ``D`` does. If the formula
    gives a value <= 0, or the total doses are equal, the two schedules keep one order at every
    positive alpha/beta and the function returns ``None``.

    Parameters
    ----------
    schedule1, schedule2 : str or (float, int)
        A schedule as text (read by :func:`parse_schedule`, e.g. ``"36 Gy/12 fx"``) or as a
        ``(total_dose, fractions)`` pair.

    Returns
    -------
    float or None
        The crossing alpha/beta in Gy (> 0), or ``None`` if the order never changes.

    Raises
    ------
    ValueError
        If a schedule cannot be read, or the two schedules have the same total dose and the same
        dose per fraction (equal BED at every alpha/beta: there is no order to swap).

    References
    ----------
    Fowler JF. The linear-quadratic formula and progress in fractionated radiotherapy.
    Br J Radiol 1989;62:679-694 (BED). The crossing point follows by equating two BEDs.

    Examples
    --------
    >>> crossing_alpha_beta("36 Gy/12 fx", "24 Gy/3 fx")     # 108 vs 192: (108-192)/(24-36)
    7.0
    >>> round(crossing_alpha_beta("40 Gy/10 fx", "18 Gy x 1"), 4)   # 164/22
    7.4545
    >>> crossing_alpha_beta("30 Gy/10 fx", "20 Gy/5 fx") is None
    True
    """
    D1, n1 = _as_schedule(schedule1, "schedule1")
    D2, n2 = _as_schedule(schedule2, "schedule2")
    q1, q2 = D1 * D1 / n1, D2 * D2 / n2          # D d
    if math.isclose(D1, D2, rel_tol=1e-12, abs_tol=0.0):
        if math.isclose(q1, q2, rel_tol=1e-12, abs_tol=0.0):
            raise ValueError("schedule1 and schedule2 have the same total dose and dose per "
                             "fraction: their BEDs are equal at every alpha/beta")
        return None
    ab = (q1 - q2) / (D2 - D1)
    return float(ab) if ab > 0 else None


def bed_split_regroups(schedules, cutoff, alpha_beta: float,
                       alpha_beta_range=(2.0, 15.0), closed: str = "high"):
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
    dict
        ``regroups`` (bool); ``groups`` (DataFrame: schedule, dose, fx, BED at the reference,
        group); ``crossings`` (DataFrame: ``schedule``, ``other`` (the schedule or cutoff
        schedule it crosses), ``group_at_reference`` of ``schedule``, ``crossing_alpha_beta``,
        sorted); ``on_cutoff`` (labels within 0.05 Gy of the cutoff).

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
    >>> bed_split_regroups(used, 63, 7, (3, 10))["regroups"]   # 40/10 and 18 x 1 swap at 7.45
    True
    >>> bed_split_regroups(used, "24 Gy/3 fx", 7, (3, 10))["regroups"]   # 36/12 crosses at 7
    True
    >>> bed_split_regroups(used, 51.4, 7, (3, 10))["regroups"]
    False
    """
    import pandas as pd

    if closed not in ("high", "low"):
        raise ValueError(f"closed must be 'high' or 'low'; got {closed!r}")
    if isinstance(schedules, dict):
        items = list(schedules.items())
    else:
        items = [(s if isinstance(s, str) else f"{s[0]:g} Gy/{int(s[1])} fx", s)
                 for s in schedules]
    if len(items) < 2:
        raise ValueError("schedules must contain at least two schedules")
    parsed = [(lab, *_as_schedule(s, f"schedules[{lab!r}]")) for lab, s in items]
    if isinstance(alpha_beta, bool) or not isinstance(alpha_beta, (int, float)) \
            or not (alpha_beta > 0) or not math.isfinite(alpha_beta):
        raise ValueError(f"alpha_beta must be a positive number; got {alpha_beta!r}")
    anchor = None
    if isinstance(cutoff, (str, tuple, list)):
        anchor = _as_schedule(cutoff, "cutoff")
        anchor_label = cutoff if isinstance(cutoff, str) else f"{anchor[0]:g} Gy/{anchor[1]} fx"
        cut = anchor[0] * (1 + anchor[0] / (anchor[1] * alpha_beta))
    elif isinstance(cutoff, bool) or not isinstance(cutoff, (int, float)) \
            or not (cutoff > 0) or not math.isfinite(cutoff):
        raise ValueError(f"cutoff must be a positive BED or a schedule; got {cutoff!r}")
    else:
        cut = float(cutoff)
    try:
        lo, hi = (float(x) for x in alpha_beta_range)
    except (TypeError, ValueError):
        raise ValueError("alpha_beta_range must be a pair (low, high) with 0 < low < high; "
                         f"got {alpha_beta_range!r}") from None
    if not (0 < lo < hi and math.isfinite(hi)):
        raise ValueError("alpha_beta_range must be a pair (low, high) with 0 < low < high; "
                         f"got {alpha_beta_range!r}")
    labels = [p[0] for p in parsed]
    D = np.array([p[1] for p in parsed])
    n = np.array([p[2] for p in parsed], dtype=float)
    b = D * (1 + D / (n * alpha_beta))
    # a BED within 1e-9 of the cutoff counts as equal to it (360/7 computed two ways)
    tie = np.isclose(b, cut, rtol=0, atol=1e-9)
    high = (b > cut) | (tie & (closed == "high"))
    groups = pd.DataFrame({"schedule": labels, "dose": D, "fx": n.astype(int), "bed": b,
                           "group": np.where(high, "high", "low")})

    def same(i_d, i_n, j_d, j_n):
        return math.isclose(i_d, j_d) and math.isclose(i_d ** 2 / i_n, j_d ** 2 / j_n)

    rows = []
    if anchor is None:
        pairs = [(i, j) for i in np.flatnonzero(~high) for j in np.flatnonzero(high)]
        for i, j in pairs:
            if same(D[i], n[i], D[j], n[j]):
                continue   # identical schedules: equal everywhere, cannot be split apart
            x = crossing_alpha_beta((D[i], int(n[i])), (D[j], int(n[j])))
            if x is not None and lo <= x <= hi:
                rows.append({"schedule": labels[i], "other": labels[j],
                             "group_at_reference": "low", "crossing_alpha_beta": x})
    else:
        for i in range(len(labels)):
            if same(D[i], n[i], anchor[0], anchor[1]):
                continue
            x = crossing_alpha_beta((D[i], int(n[i])), anchor)
            if x is not None and lo <= x <= hi:
                rows.append({"schedule": labels[i], "other": anchor_label,
                             "group_at_reference": "high" if high[i] else "low",
                             "crossing_alpha_beta": x})
    crossings = pd.DataFrame(rows, columns=["schedule", "other", "group_at_reference",
                                            "crossing_alpha_beta"])
    crossings = crossings.sort_values("crossing_alpha_beta", ignore_index=True)
    on_cutoff = [lab for lab, v in zip(labels, b) if abs(v - cut) <= 0.05]
    return {"regroups": bool(len(crossings)), "groups": groups, "crossings": crossings,
            "on_cutoff": on_cutoff}


def find_schedules(bed_low: float, bed_high: float, alpha_beta: float,
                   fractions=(1, 30), dose_per_fraction=(1.0, 25.0), step: float = 0.1,
                   grid: str = "per_fraction"):
    """All schedules on a grid whose BED lies in ``[bed_low, bed_high)``.

    Used to ask "which schedules could give a published BED?" (e.g. paper A's median BED10 of
    44.2: every schedule with BED10 in [44.15, 44.25) rounds to it). The grid is whole numbers
    of fractions in ``fractions`` and either doses per fraction (``grid="per_fraction"``) or
    total doses (``grid="total"``) in steps of ``step`` Gy; in both cases the dose per
    fraction must lie in ``dose_per_fraction``. Doses are built as integer multiples of
    ``step`` so that 16.6 Gy is exactly 166 x 0.1.

    Parameters
    ----------
    bed_low, bed_high : float
        The BED window, ``0 < bed_low < bed_high`` (Gy_{alpha_beta}); low end included.
    alpha_beta : float
        alpha/beta in Gy (> 0).
    fractions : (int, int)
        Smallest and largest number of fractions (1 <= low <= high).
    dose_per_fraction : (float, float)
        Smallest and largest dose per fraction in Gy (0 < low <= high). Include large single
        doses (SBRT, up to about 25 Gy) unless you mean to exclude them.
    step : float
        Grid step in Gy (> 0).
    grid : {"per_fraction", "total"}
        Whether the step applies to the dose per fraction or to the total dose.

    Returns
    -------
    DataFrame
        ``dose`` (total, Gy), ``fx`` (int), ``d`` (Gy per fraction) and ``bed``, sorted by
        ``bed``.
        Empty if no grid schedule falls in the window.

    Raises
    ------
    ValueError
        For a window, range or step that is not as described, or an unknown ``grid``.

    References
    ----------
    Fowler JF. Br J Radiol 1989;62:679-694.

    Examples
    --------
    >>> s = find_schedules(44.15, 44.25, 10)
    >>> [(float(r.dose), int(r.fx)) for r in s.itertuples()]
    [(16.6, 1)]
    """
    import pandas as pd

    if grid not in ("per_fraction", "total"):
        raise ValueError(f"grid must be 'per_fraction' or 'total'; got {grid!r}")
    for name, v in (("bed_low", bed_low), ("bed_high", bed_high), ("alpha_beta", alpha_beta),
                    ("step", step)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not (v > 0) \
                or not math.isfinite(v):
            raise ValueError(f"{name} must be a positive number; got {v!r}")
    if not bed_low < bed_high:
        raise ValueError(f"bed_low must be < bed_high; got {bed_low!r} and {bed_high!r}")
    try:
        f_lo, f_hi = (int(x) for x in fractions)
        d_lo, d_hi = (float(x) for x in dose_per_fraction)
    except (TypeError, ValueError):
        raise ValueError("fractions and dose_per_fraction must be (low, high) pairs") from None
    if not (1 <= f_lo <= f_hi):
        raise ValueError(f"fractions must satisfy 1 <= low <= high; got {fractions!r}")
    if not (0 < d_lo <= d_hi and math.isfinite(d_hi)):
        raise ValueError(f"dose_per_fraction must satisfy 0 < low <= high; got "
                         f"{dose_per_fraction!r}")
    rows = []
    for nf in range(f_lo, f_hi + 1):
        if grid == "per_fraction":
            k = np.arange(math.ceil(d_lo / step - 1e-9), math.floor(d_hi / step + 1e-9) + 1)
            d = np.round(k * step, 10)
            dose = np.round(nf * d, 10)
        else:
            k = np.arange(math.ceil(nf * d_lo / step - 1e-9),
                          math.floor(nf * d_hi / step + 1e-9) + 1)
            dose = np.round(k * step, 10)
            d = dose / nf
        b = dose * (1 + d / alpha_beta)
        keep = (b >= bed_low) & (b < bed_high)
        rows += [(float(x), nf, float(y), float(z))
                 for x, y, z in zip(dose[keep], d[keep], b[keep])]
    out = pd.DataFrame(rows, columns=["dose", "fx", "d", "bed"]).astype({"fx": int})
    return out.sort_values(["bed", "fx"], ignore_index=True)


def _parse_interval(text: str):
    s = text.replace(" ", "").replace("≤", "<=").replace("≥", ">=")
    m = re.fullmatch(r"(<=|<|>=|>)(\d+(?:\.\d+)?)", s)
    if m:
        op, v = m.group(1), float(m.group(2))
        return {"<=": (-math.inf, v, False, True), "<": (-math.inf, v, False, False),
                ">=": (v, math.inf, True, False), ">": (v, math.inf, False, False)}[op]
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(?:-|–|to)(<)?(\d+(?:\.\d+)?)", s)
    if m:
        a, b = float(m.group(1)), float(m.group(3))
        if a < b:
            return (a, b, True, m.group(2) is None)
    raise ValueError(f"groups: cannot read the interval {text!r}; write '<=38', '<39', "
                     "'39-53' (both ends included), '39-<53', '>53' or '>=53'")


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
        for g2, a2, b2, ca2, cb2 in iv[i + 1:]:
            lo, hi = max(a1, a2), min(b1, b2)
            lo_in = (ca1 if a1 >= a2 else True) and (ca2 if a2 >= a1 else True)
            hi_in = (cb1 if b1 <= b2 else True) and (cb2 if b2 <= b1 else True)
            if lo < hi or (lo == hi and lo_in and hi_in):
                raise ValueError(f"groups {g1!r} and {g2!r} overlap")
    shape, (b,) = _inputs(("bed_values",), (bed_values,))
    _positive(b, "bed_values")
    out = np.full(b.shape, None, dtype=object)
    for g, a, c, ca, cc in iv:
        ok = ((b >= a) if ca else (b > a)) & ((b <= c) if cc else (b < c))
        out[ok] = g
    miss = np.array([o is None for o in out])
    if miss.any():
        if outside is None:
            raise ValueError(f"bed_values: {b[miss][0]:g} fits none of the groups "
                             f"{list(groups)}; pass outside='...' to label such values")
        out[miss] = str(outside)
    return shape.wrap(out if shape.kind == "series" else out.astype(str), name="group")


__all__ += ["crossing_alpha_beta", "bed_split_regroups", "find_schedules", "bed_group"]
