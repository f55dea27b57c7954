"""A ratio with its CI and p, checked from the printed numbers alone (:func:`check_ratio`)."""

from __future__ import annotations

import dataclasses
import math
from typing import Any, ClassVar

from .._results import Result
from .._validation import check_open_interval
from ..screen.printed import Printed
from ..screen.ratio import wald_p_range, wald_region


@dataclasses.dataclass(frozen=True, repr=False)
class RatioCheck(Result):
    """The consistency screen of a published ratio (OR or HR) with its CI, coefficient and p-value."""

    _title: ClassVar[str] = "Ratio / CI consistency screen"
    estimate: float
    lower: float
    upper: float
    limits_transposed: bool
    geometric_mean: float
    estimate_matches_limits: bool
    implied_se: float
    implied_p: float
    implied_p_range: tuple
    published_p: str | None
    p_consistent: bool | None
    coef: float | None
    exp_coef: float | None
    coef_consistent: bool | None
    verdict: str


def _interval(text: Any, name: str = "value") -> tuple[float, float, float, str | None]:
    """``(value, low, high, bound)``: the printed number and the values that round to it
    (:class:`spinemets.screen.printed.Printed`, the one home of rounding intervals)."""
    p = Printed.of(text, name=name)
    return p.value, p.value - p.half_unit, p.value + p.half_unit, p.bound


def check_ratio(
    estimate: Any, lower: Any, upper: Any, p: Any = None, coef: Any = None, level: float = 0.95
) -> RatioCheck:
    """Screen a published odds or hazard ratio against its confidence interval, p-value and coefficient.

    For a Wald interval on the log scale the ratio is the geometric mean of its limits,
    ``sqrt(L * U)``; the standard error is ``(ln U - ln L) / (2 z)``, and the implied two-sided
    p-value is that of ``z = ln(ratio) / SE`` (Altman & Bland 2011). A coefficient must satisfy
    ``exp(coef) = ratio``. Every comparison allows for rounding: each printed number is taken as
    the interval of values that round to it (``0.415`` means [0.4145, 0.4155]), and a check
    fails only if no values within those intervals satisfy it.

    Parameters
    ----------
    estimate, lower, upper : str or float
        The printed ratio and limits. Pass them as printed (strings keep trailing zeros, so
        ``"0.710"`` is read to three decimals); limits printed in the wrong order are detected.
    p : str or float, optional
        The printed p-value (``"0.009"`` or ``"<0.001"``).
    coef : str or float, optional
        The printed regression coefficient (log ratio).
    level : float
        Confidence level of the interval (default 0.95).

    Returns
    -------
    RatioCheck
        With the geometric mean of the limits, whether the estimate matches it, the implied SE
        and p-value (and its range over rounding), whether the published p and coefficient are
        consistent, and a one-line verdict.

    Raises
    ------
    ValueError
        If a value is not a printed positive number, or ``level`` is not in (0, 1).

    References
    ----------
    Altman DG, Bland JM. How to obtain the P value from a confidence interval. BMJ 2011;343:d2090.
    """
    from scipy.stats import norm

    level = check_open_interval(level, "level")
    z = float(norm.ppf(0.5 + level / 2))
    est, est_lo, est_hi, _ = _interval(estimate, "estimate")
    a, a_lo, a_hi, _ = _interval(lower, "lower")
    b, b_lo, b_hi, _ = _interval(upper, "upper")
    for name, v in (("estimate", est_lo), ("lower", a_lo), ("upper", b_lo)):
        if v <= 0:
            raise ValueError(
                f"{name} must be a positive ratio as printed, got {locals().get(name)!r}"
            )
    transposed = a > b
    if transposed:
        a, a_lo, a_hi, b, b_lo, b_hi = b, b_lo, b_hi, a, a_lo, a_hi
    if a == b:
        raise ValueError(
            f"lower and upper are equal ({lower!r}): a confidence interval of width 0 "
            "implies no standard error"
        )
    gm = math.sqrt(a * b)
    gm_lo, gm_hi = math.sqrt(a_lo * b_lo), math.sqrt(a_hi * b_hi)
    matches = est_lo <= gm_hi and gm_lo <= est_hi
    se = (math.log(b) - math.log(a)) / (2 * z)
    implied = float(2 * norm.sf(abs(math.log(est) / se)))
    # range of the implied p over every rounding of the three printed numbers: over the Wald
    # intervals whose geometric mean rounds to the estimate when there are any (the screen's
    # exact region, spinemets.screen.ratio), else over the corners of the rounding boxes
    lo_text, hi_text = (upper, lower) if transposed else (lower, upper)
    poly = wald_region(
        Printed.of(estimate, name="estimate"),
        Printed.of(lo_text, name="lower"),
        Printed.of(hi_text, name="upper"),
    )
    if poly:
        p_range = tuple(float(x) for x in wald_p_range(poly, z))
    else:
        ps = []
        for e in (est_lo, est_hi):
            for lo_ in (a_lo, a_hi):
                for hi_ in (b_lo, b_hi):
                    s_ = (math.log(hi_) - math.log(lo_)) / (2 * z)
                    ps.append(float(2 * norm.sf(abs(math.log(e) / s_))))
        p_range = (min(ps), max(ps))
    p_ok, p_text = None, None
    if p is not None:
        p_text = str(p)
        pv, pv_lo, pv_hi, bound = _interval(p, "p")
        if not 0 <= pv <= 1:
            raise ValueError(
                f"p must be a printed p-value between 0 and 1 (such as 0.009 or <0.001), got {p!r}"
            )
        if bound in ("<", "<="):
            p_ok = p_range[0] < pv
        elif bound in (">", ">="):
            p_ok = p_range[1] > pv
        else:
            p_ok = p_range[0] <= pv_hi and pv_lo <= p_range[1]
    c_val = c_exp = c_ok = None
    if coef is not None:
        c_val, c_lo, c_hi, _ = _interval(coef, "coef")
        if abs(c_hi) > 700 or abs(c_lo) > 700:
            raise ValueError(f"coef {coef!r} is not a plausible log ratio (exp overflows)")
        c_exp = math.exp(c_val)
        c_ok = math.exp(c_lo) <= est_hi and est_lo <= math.exp(c_hi)
    problems = []
    if transposed:
        problems.append("limits printed in reverse order")
    if not (a_lo <= est_hi and est_lo <= b_hi):
        problems.append("estimate outside its own CI")
    elif not matches:
        problems.append(f"estimate {est:g} is not the geometric mean of its limits ({gm:.3g})")
    if p_ok is False:
        problems.append(f"published p {p_text} does not match the CI (implied p {implied:.2g})")
    if c_ok is False:
        problems.append(f"exp(coefficient) = {c_exp:.4g}, not {est:g}")
    verdict = "consistent" if not problems else "; ".join(problems)
    return RatioCheck(
        est,
        a,
        b,
        transposed,
        gm,
        matches,
        se,
        implied,
        p_range,
        p_text,
        p_ok,
        c_val,
        c_exp,
        c_ok,
        verdict,
    )


__all__ = ["RatioCheck", "check_ratio"]
