"""The linear-quadratic formulas: BED, EQD2 (= nBED), their inverses and bounds.

See :mod:`spinemets.radiobiology` for the notation and the input rules.

References
----------
Barendsen GW. Dose fractionation, dose rate and iso-effect relationships for normal tissue
responses. Int J Radiat Oncol Biol Phys 1982;8:1981-1997.
Fowler JF. The linear-quadratic formula and progress in fractionated radiotherapy.
Br J Radiol 1989;62:679-694.
Withers HR, Thames HD, Peters LJ. A new isoeffect curve for change in dose per fraction.
Radiother Oncol 1983;1:187-191.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import Shape, align_series, broadcast_arrays, check_positive_values

__all__ = [
    "bed",
    "eqd2",
    "nbed",
    "bed_to_eqd2",
    "eqd2_to_bed",
    "total_dose_for",
    "isoeffective_dose_per_fraction",
    "mean_eqd2_lower_bound",
]


# --------------------------------------------------------------------------- input handling


def _inputs(names, values):
    for n, v in zip(names, values):
        if isinstance(v, (str, bytes)):
            raise ValueError(
                f"{n} must be numeric, got the string {v!r}; use parse_schedule() for text"
            )
    # each argument is checked on its own (the error names it); Series are paired by label
    aligned, _ = align_series(dict(zip(names, values)))
    arrays = broadcast_arrays(names, [aligned[n] for n in names])
    shape = Shape.of(*(aligned[n] for n in names))
    if arrays[0].size == 0:
        empty = [n for n, v in zip(names, values) if np.size(v) == 0]
        raise ValueError(f"{', '.join(empty) or names[0]} must not be empty")
    return shape, arrays


def _result(values: np.ndarray, names, what: str) -> np.ndarray:
    """Refuse a result beyond the float range (a dose of 1e200 Gy gives inf, 1e-320 Gy in 1e10
    fractions underflows to 0) instead of returning inf, NaN or 0 for positive inputs."""
    if ((values > 0) & (values < np.inf)).all():  # one pass for the usual case (NaN fails)
        return values
    if not np.isfinite(values).all():
        raise ValueError(
            f"{', '.join(names)} give a {what} beyond the floating-point range "
            f"(overflow); doses are in Gy, alpha_beta in Gy: check the units"
        )
    if not (values > 0).all():
        raise ValueError(
            f"{', '.join(names)} give a {what} below the floating-point range "
            f"(underflow to 0); doses are in Gy, alpha_beta in Gy: check the units"
        )
    return values


_SCHEDULE_NAMES = ("total_dose", "fractions", "alpha_beta")


def _schedule(total_dose, fractions, alpha_beta):
    shape, (D, n, ab) = _inputs(
        ("total_dose", "fractions", "alpha_beta"), (total_dose, fractions, alpha_beta)
    )
    check_positive_values(D, "total_dose")
    check_positive_values(n, "fractions", integer=True)
    check_positive_values(ab, "alpha_beta")
    return shape, D, n, ab


# --------------------------------------------------------------------------- core formulas


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
    with np.errstate(over="ignore", invalid="ignore"):
        out = D * (1.0 + D / (n * ab))
    return shape.wrap(_result(out, _SCHEDULE_NAMES, "BED"), name="bed")


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
    with np.errstate(over="ignore", invalid="ignore"):
        out = D * (D / n + ab) / (2.0 + ab)
    return shape.wrap(_result(out, _SCHEDULE_NAMES, "EQD2"), name="eqd2")


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
    check_positive_values(b, "bed")
    check_positive_values(ab, "alpha_beta")
    with np.errstate(over="ignore", invalid="ignore"):
        out = b / (1.0 + 2.0 / ab)
    return shape.wrap(_result(out, ("bed", "alpha_beta"), "EQD2"), name="eqd2")


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
    check_positive_values(e, "eqd2")
    check_positive_values(ab, "alpha_beta")
    with np.errstate(over="ignore", invalid="ignore"):
        out = e * (1.0 + 2.0 / ab)
    return shape.wrap(_result(out, ("eqd2", "alpha_beta"), "BED"), name="bed")


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
    check_positive_values(b, "bed")
    check_positive_values(n, "fractions", integer=True)
    check_positive_values(ab, "alpha_beta")
    with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"):
        r = b / n  # BED per fraction
        x = 4.0 * r / ab
        # d = (ab/2)(sqrt(1+x) - 1), written as 2r / (sqrt(1+x) + 1) to avoid cancellation for
        # small x; for huge x (tiny alpha_beta) sqrt(1+x) overflows: d = sqrt(r ab) - ab/2 there
        d = np.where(
            x < 1e300, 2.0 * r / (np.sqrt(1.0 + x) + 1.0), np.sqrt(r) * np.sqrt(ab) - 0.5 * ab
        )
        total = n * d
    _result(total, ("bed", "fractions", "alpha_beta"), "dose")
    return shape, d, n


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
    shape, (D, n, ab) = _inputs(
        ("mean_total_dose", "mean_fractions", "alpha_beta"),
        (mean_total_dose, mean_fractions, alpha_beta),
    )
    check_positive_values(D, "mean_total_dose")
    check_positive_values(n, "mean_fractions")
    if (n < 1).any():
        raise ValueError(f"mean_fractions must be >= 1; found {n[n < 1][0]:g}")
    check_positive_values(ab, "alpha_beta")
    with np.errstate(over="ignore", invalid="ignore"):
        out = D * (D / n + ab) / (2.0 + ab)
    return shape.wrap(
        _result(out, ("mean_total_dose", "mean_fractions", "alpha_beta"), "EQD2"),
        name="eqd2_lower_bound",
    )
