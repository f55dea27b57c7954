"""Fractionation schedules: reading them from text, where two schedules swap order, and which
schedules give a BED in a window.

References
----------
Fowler JF. The linear-quadratic formula and progress in fractionated radiotherapy.
Br J Radiol 1989;62:679-694.
"""

from __future__ import annotations

import math
import re

import numpy as np

from .._validation import check_choice, check_positive
from .lq import _schedule

__all__ = ["parse_schedule", "crossing_alpha_beta", "find_schedules"]


_NUM = r"(\d+(?:\.\d+)?)"
_GY = r"\s*(?:gy|gray)"
_FX = r"\s*(?:(?:fx|fxs|fr|frs|fractions?|f)\b\.?|#)"  # "#" and "F" as in clinic notes
_PATTERNS = [
    # 30 Gy/10 fx, 24Gy/3fx, 40Gy/4Fx, 30 Gy / 10
    ("total", re.compile(rf"^{_NUM}{_GY}\s*/\s*{_NUM}(?:{_FX})?$")),
    # 20 Gy in 5 fractions, 30 Gy in 10 fx
    ("total", re.compile(rf"^{_NUM}{_GY}\s+in\s+{_NUM}(?:{_FX})?$")),
    # 18 Gy single fraction, 18 Gy in a single fraction, 18 Gy in 1 fraction
    (
        "single",
        re.compile(rf"^{_NUM}{_GY}\s+(?:in\s+)?(?:a\s+|one\s+)?single(?:\s+fraction|\s+fx)?$"),
    ),
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
    s = re.sub(r"\s*\([^()]*\)$", "", s)  # a trailing remark such as "(3 Gy/fx)"
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
            raise ValueError(f"text {text!r}: the dose must be a finite number > 0")
        if not (math.isfinite(n) and n >= 1 and n == int(n)):
            raise ValueError(
                f"text {text!r}: the number of fractions must be a positive integer, got {n:g}"
            )
        return round(dose, 10), int(n)
    raise ValueError(
        f"text {text!r} is not a schedule I can read; use e.g. '30 Gy/10 fx', '20 Gy in 5 fractions', "
        "'8 Gy x 1' (dose per fraction x number) or '18 Gy single fraction'"
    )


# --------------------------------------------------------------------------- ordering of schedules


def _as_schedule(s, name: str) -> tuple[float, int]:
    """A schedule given as text ("24 Gy/3 fx") or as (total dose, fractions)."""
    if isinstance(s, str):
        return parse_schedule(s)
    try:
        D, n = s
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be a schedule string such as '24 Gy/3 fx' or a "
            f"(total_dose, fractions) pair; got {s!r}"
        ) from None
    _schedule(D, n, 1.0)  # validates: dose > 0, whole number of fractions >= 1
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
    q1, q2 = D1 * D1 / n1, D2 * D2 / n2  # D d
    if math.isclose(D1, D2, rel_tol=1e-12, abs_tol=0.0):
        if math.isclose(q1, q2, rel_tol=1e-12, abs_tol=0.0):
            raise ValueError(
                "schedule1 and schedule2 have the same total dose and dose per "
                "fraction: their BEDs are equal at every alpha/beta"
            )
        return None
    ab = (q1 - q2) / (D2 - D1)
    return float(ab) if ab > 0 else None


def find_schedules(
    bed_low: float,
    bed_high: float,
    alpha_beta: float,
    fractions=(1, 30),
    dose_per_fraction=(1.0, 25.0),
    step: float = 0.1,
    grid: str = "per_fraction",
):
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

    grid = check_choice(grid, "grid", ("per_fraction", "total"))
    for name, v in (
        ("bed_low", bed_low),
        ("bed_high", bed_high),
        ("alpha_beta", alpha_beta),
        ("step", step),
    ):
        check_positive(v, name)
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
        raise ValueError(
            f"dose_per_fraction must satisfy 0 < low <= high; got {dose_per_fraction!r}"
        )
    rows = []
    for nf in range(f_lo, f_hi + 1):
        if grid == "per_fraction":
            k = np.arange(math.ceil(d_lo / step - 1e-9), math.floor(d_hi / step + 1e-9) + 1)
            d = np.round(k * step, 10)
            dose = np.round(nf * d, 10)
        else:
            k = np.arange(
                math.ceil(nf * d_lo / step - 1e-9), math.floor(nf * d_hi / step + 1e-9) + 1
            )
            dose = np.round(k * step, 10)
            d = dose / nf
        b = dose * (1 + d / alpha_beta)
        keep = (b >= bed_low) & (b < bed_high)
        rows += [
            (float(x), nf, float(y), float(z)) for x, y, z in zip(dose[keep], d[keep], b[keep])
        ]
    out = pd.DataFrame(rows, columns=["dose", "fx", "d", "bed"]).astype({"fx": int})
    return out.sort_values(["bed", "fx"], ignore_index=True)
