"""A ratio (HR, OR, RR) with its confidence interval and p-value: what each method implies.

Under a **Wald** interval on the log scale, ``ln L = b - z SE`` and ``ln U = b + z SE``, so the
estimate is *exactly* the geometric mean of its limits, ``exp(b) = sqrt(L U)``, and the Wald
p-value is ``2 (1 - Phi(|b| / SE))`` with ``SE = (ln U - ln L) / (2 z)`` (Altman & Bland 2011).
The printed numbers are rounded, so the screen works over every value that rounds to them:
the limits ``(l, u) = (ln L, ln U)`` range over a rectangle, the estimate constrains their
mid-point ``b = (l + u) / 2`` to a strip, and ``|b| / w`` with ``w = (u - l) / 2`` is a
linear-fractional function whose extremes over that convex polygon lie at its vertices. That
gives the exact range of the implied p over all roundings, with the estimate taken as the
geometric mean of its limits wherever the printed numbers allow (issue 21 item 2: paper D's
0.13 (0.01-1.16) implies p 0.0668-0.0684 around the printed 0.068; pairing the printed 0.13 with
the printed 0.01 gives the spurious 0.09).

Other methods imply less, and the screen checks only what they imply:

========== ============================================= =============================
method     interval and p                                checked
========== ============================================= =============================
wald       Wald CI, Wald p (Cox/logistic summary tables) in CI, geometric mean, p
logrank    Wald CI from Cox, p from the log-rank test    in CI, geometric mean
lr         Wald CI, likelihood-ratio test p              in CI, geometric mean
profile    profile-likelihood CI (R confint.glm), LR p   in CI
exact      exact / conditional CI and p (Fisher)         in CI
========== ============================================= =============================

The score (log-rank), Wald and likelihood-ratio tests are asymptotically equivalent under local
alternatives, but in small samples they differ (Hauck-Donner), so a log-rank or LR p-value
beside a Wald interval is no finding. A relation that names no method is screened as Wald and
says so.

References
----------
Altman DG, Bland JM. How to obtain the P value from a confidence interval. BMJ 2011;343:d2304.
Altman DG, Bland JM. How to obtain the confidence interval from a P value. BMJ 2011;343:d2090.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from typing import Any, ClassVar

from scipy import stats

from .._results import Result
from .._validation import check_open_interval
from .printed import _EPS, Printed, fmt

METHODS = ("wald", "logrank", "lr", "profile", "exact")
_GM_METHODS = ("wald", "logrank", "lr")
_P_OF = {
    "logrank": "log-rank test",
    "lr": "likelihood-ratio test",
    "profile": "likelihood-ratio test (profile interval)",
    "exact": "exact test",
}  # the CI is Wald: the estimate is its geometric mean


def z_level(level: float) -> float:
    """The normal quantile of a two-sided ``level`` interval (1.96 for 0.95)."""
    return float(stats.norm.ppf(0.5 + level / 2))


def _clip(poly, a, b, c):
    """Sutherland-Hodgman: keep the part of polygon ``poly`` where a*x + b*y <= c."""
    out = []
    n = len(poly)
    for i in range(n):
        p, q = poly[i], poly[(i + 1) % n]
        fp = a * p[0] + b * p[1] - c
        fq = a * q[0] + b * q[1] - c
        if fp <= 1e-12:
            out.append(p)
        if (fp < -1e-12 < fq) or (fq < -1e-12 < fp):
            t = fp / (fp - fq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out


def wald_region_linear(b, lint, uint):
    """The vertices ``(l, u)`` of every symmetric interval with ``l`` in ``lint``, ``u`` in
    ``uint`` and midpoint ``(l + u) / 2`` in ``b`` (intervals as (low, high) pairs)."""
    (b1, b2), (l1, l2), (u1, u2) = b, lint, uint
    poly = [(l1, u1), (l2, u1), (l2, u2), (l1, u2)]
    if math.isfinite(b1):
        poly = _clip(poly, -1.0, -1.0, -2 * b1)  # l + u >= 2 b1
    if poly and math.isfinite(b2):
        poly = _clip(poly, 1.0, 1.0, 2 * b2)  # l + u <= 2 b2
    if poly:
        poly = _clip(poly, 1.0, -1.0, 0.0)  # l <= u
    return poly


def wald_region(e: Printed, lo: Printed, hi: Printed):
    """The vertices ``(ln L, ln U)`` of every Wald interval whose limits round to the printed
    limits and whose geometric mean rounds to the printed estimate; empty if there is none."""
    if lo.low <= 0 or hi.low <= 0 or e.low <= 0:
        return []
    return wald_region_linear(
        (math.log(e.low), math.log(e.high) if math.isfinite(e.high) else math.inf),
        (math.log(lo.low), math.log(lo.high)),
        (math.log(hi.low), math.log(hi.high)),
    )


def wald_p_range_linear(poly, q: float, dist=None) -> tuple[float, float]:
    """The smallest and largest two-sided p of ``|b| / SE`` with ``b = (l + u) / 2`` and
    ``SE = (u - l) / (2 q)`` over a convex region of ``(l, u)`` (see module notes); ``dist`` is
    the reference distribution (default normal)."""
    dist = dist if dist is not None else stats.norm()
    ratios = []
    for half in ((1.0, 1.0, 0.0), (-1.0, -1.0, 0.0)):  # b <= 0 and b >= 0 separately
        part = _clip(poly, *half)
        for l, u in part:
            b, w = abs(l + u) / 2, (u - l) / 2
            if w <= 1e-12:
                ratios.append(0.0 if b <= 1e-12 else math.inf)
            else:
                ratios.append(b / w)
    ps = [0.0 if math.isinf(r) else float(2 * dist.sf(q * r)) for r in ratios]
    # b = 0 inside the region (a ratio that rounds to 1): p = 1 is attainable
    sums = [l + u for (l, u) in poly]
    if min(sums) <= 1e-12 and max(sums) >= -1e-12:
        ps.append(1.0)
    return min(ps), max(ps)


def wald_p_range(poly, z0: float) -> tuple[float, float]:
    """The smallest and largest Wald p over a region of ``(ln L, ln U)`` (see module notes)."""
    return wald_p_range_linear(poly, z0)


@dataclasses.dataclass(frozen=True, repr=False)
class PFromCI(Result):
    """The p-value a ratio and its Wald CI imply, over every rounding of the printed digits.

    ``estimate_used`` is the geometric mean of the printed limits when it rounds to the printed
    estimate, else the admissible value nearest to it (the estimate of a Wald interval *is* the
    geometric mean of its limits); ``p`` is the p-value there; ``p_min``-``p_max`` the range
    over every (estimate, lower, upper) that round to the printed digits and satisfy
    ``estimate = sqrt(lower * upper)``.
    """

    _title: ClassVar[str] = "p from a CI (Altman & Bland 2011)"
    estimate: str
    lower: str
    upper: str
    estimate_used: float
    se: float
    z: float
    p: float
    p_min: float
    p_max: float

    @property
    def p_low(self) -> float:  # the name of earlier releases (vocabulary: p_min)
        warnings.warn("PFromCI.p_low is now p_min", DeprecationWarning, stacklevel=2)
        return self.p_min

    @property
    def p_high(self) -> float:  # the name of earlier releases (vocabulary: p_max)
        warnings.warn("PFromCI.p_high is now p_max", DeprecationWarning, stacklevel=2)
        return self.p_max


def p_from_ci(estimate: Any, lower: Any, upper: Any, level: float = 0.95) -> PFromCI:
    """The two-sided p-value implied by a ratio and its Wald confidence interval.

    ``SE = (ln U - ln L) / (2 z)``, ``z = |ln estimate| / SE``, ``p = 2 (1 - Phi(z))``
    (Altman & Bland 2011). Pass the numbers as printed (strings keep trailing zeros): each is
    taken as the interval of values that round to it, and since the estimate of a Wald interval is
    the geometric mean of its limits, the range of p is taken over the limits whose geometric
    mean rounds to the printed estimate. For paper D's 0.13 (0.01-1.16) the lower limit must lie
    in [0.0134, 0.015] and p in 0.0668-0.0684 (printed 0.068); pairing the printed 0.13 with a
    lower limit of exactly 0.01 gives p = 0.09, which no Wald interval printed this way has.

    An estimate that no rounding puts inside its own interval ("5 (0.5-2)") is refused: it is
    not a Wald interval of that estimate, and no p follows from it. The screen's ``ratio_ci``
    rule reports the same case as an *inconsistent* finding instead.

    Parameters
    ----------
    estimate, lower, upper : str or float
        The printed ratio (HR, OR, RR) and its confidence limits, all > 0.
    level : float
        The confidence level (default 0.95).

    Returns
    -------
    PFromCI

    Raises
    ------
    ValueError
        If a number is not a printed positive number, ``lower`` is not below ``upper``, the
        estimate lies outside its interval, the interval's limits print the same (no width, no
        SE), or ``level`` is not in (0, 1).

    References
    ----------
    Altman DG, Bland JM. How to obtain the P value from a confidence interval. BMJ 2011;343:d2304.

    Examples
    --------
    >>> r = p_from_ci("0.13", "0.01", "1.16")   # paper D's multivariable HR
    >>> round(r.p_min, 3), round(r.p_max, 3)
    (0.067, 0.068)
    """
    level = check_open_interval(level, "level")
    z0 = z_level(level)
    e = Printed.of(estimate, name="estimate")
    lo = Printed.of(lower, name="lower")
    hi = Printed.of(upper, name="upper")
    for name, p in (("estimate", e), ("lower", lo), ("upper", hi)):
        if p.bound or p.low <= 0:
            raise ValueError(
                f"{name} must be a positive ratio as printed (the interval of values "
                f"that round to it must stay above 0), got {p.text!r}"
            )
    if lo.value > hi.value:
        raise ValueError(
            f"lower ({lo.text}) must be below upper ({hi.text}); limits printed in "
            f"reverse order are detected by screen(), not here"
        )
    if lo.value == hi.value:
        raise ValueError(
            f"lower and upper print the same ({lo.text}-{hi.text}): the interval's "
            f"width is lost in rounding and implies no standard error"
        )
    if e.high < lo.low - _EPS or e.low > hi.high + _EPS:
        raise ValueError(
            f"estimate {e.text} lies outside its own CI {lo.text}-{hi.text}: no "
            f"rounding puts it inside, so no p-value follows (screen() reports this "
            f"as an inconsistent ratio_ci relation)"
        )
    poly = wald_region(e, lo, hi)
    gm = math.sqrt(lo.value * hi.value)
    if poly:
        p_low, p_high = wald_p_range(poly, z0)
        est = min(max(gm, e.low), e.high)
        # nearest admissible point of the region to the printed limits
        best = min(
            poly, key=lambda v: (v[0] - math.log(lo.value)) ** 2 + (v[1] - math.log(hi.value)) ** 2
        )
        if not e.contains(gm):
            est = math.exp((best[0] + best[1]) / 2)
            lv, uv = best
        else:
            lv, uv = math.log(lo.value), math.log(hi.value)
    else:
        # the limits are not a Wald interval of this estimate: range over the printed boxes
        est, lv, uv = e.value, math.log(lo.value), math.log(hi.value)
        ps = []
        for ev in (e.low, e.high):
            for a in (lo.low, lo.high):
                for b in (hi.low, hi.high):
                    if b > a:
                        w = (math.log(b) - math.log(a)) / 2
                        ps.append(float(2 * stats.norm.sf(z0 * abs(math.log(ev)) / w)))
        if e.contains(1.0):
            ps.append(1.0)
        p_low, p_high = min(ps), max(ps)
    se = (uv - lv) / (2 * z0)
    z = abs(math.log(est)) / se if se > 0 else math.inf
    p = float(2 * stats.norm.sf(z))
    return PFromCI(
        e.text, lo.text, hi.text, float(est), float(se), float(z), p, float(p_low), float(p_high)
    )


@dataclasses.dataclass(frozen=True)
class RatioFinding:
    verdict: str  # consistent / inconsistent / not checkable
    arithmetic: str


def check_ratio_printed(
    e: Printed,
    lo: Printed,
    hi: Printed,
    p: Printed | None = None,
    coef: Printed | None = None,
    level: float = 0.95,
    method: str | None = None,
) -> RatioFinding:
    """Screen a printed ratio, its CI, p and coefficient under ``method`` (see module notes)."""
    z0 = z_level(level)
    stated = method is not None
    method = method or "wald"
    notes, bad, unchecked = [], [], []
    if lo.value > hi.value:
        return RatioFinding(
            "inconsistent", f"limits in reverse order: lower {lo.text} > upper {hi.text}"
        )
    outside = e.high < lo.low - _EPS or e.low > hi.high + _EPS
    if outside:
        bad.append(f"estimate {e.text} outside its own CI {lo.text}-{hi.text}")
    if coef is not None:
        c_lo, c_hi = (math.exp(min(coef.low, 700)), math.exp(min(coef.high, 700)))
        if e.overlaps(c_lo, c_hi):
            notes.append(f"exp({coef.text}) = {math.exp(coef.value):.4g} → {e.text}")
        else:
            bad.append(f"exp({coef.text}) = {math.exp(coef.value):.4g} ≠ {e.text}")
    degenerate = lo.value == hi.value
    if method in _GM_METHODS and not outside:
        if degenerate:
            unchecked.append(
                f"the limits print the same ({lo.text}-{hi.text}): the CI's width is "
                f"lost in rounding, so neither its geometric mean nor an SE can be "
                f"checked"
            )
        else:
            poly = wald_region(e, lo, hi)
            gm = math.sqrt(lo.value * hi.value)
            if not poly:
                w = (math.log(hi.value) - math.log(lo.value)) / 2
                p_gm = float(2 * stats.norm.sf(z0 * abs(math.log(gm)) / w))
                text = (
                    f"√({lo.text} × {hi.text}) = {gm:.3g}: no rounding of the limits has a "
                    f"geometric mean that rounds to {e.text} (under a Wald interval the "
                    f"estimate is √(L U))"
                )
                if p is not None and method == "wald":
                    text += f"; the limits alone imply p = {fmt(p_gm, 2)}, printed {p.text}"
                bad.append(text)
            else:
                notes.append(f"√({lo.text} × {hi.text}) = {gm:.3g} vs {e.text}")
                if method == "wald":
                    pl, ph = wald_p_range(poly, z0)
                    span = f"implied Wald p {fmt(pl, 3)}-{fmt(ph, 3)} over every rounding"
                    if p is None:
                        notes.append(span)
                    elif _p_overlaps(p, pl, ph):
                        notes.append(span + f", printed {p.text}")
                    else:
                        bad.append(
                            span + f" excludes the printed {p.text} (if that p is from a "
                            f"log-rank, score or LR test, state its method)"
                        )
    elif method not in _GM_METHODS and not outside:
        notes.append(f"{e.text} within {lo.text}-{hi.text}")
        unchecked.append(f"a {method} interval need not be symmetric on the log scale")
    if p is not None and method != "wald" and not outside:
        unchecked.append(f"p {p.text} is from a {_P_OF[method]}; a Wald CI implies only the Wald p")
    head = "" if stated else "method not stated, Wald assumed: "
    if bad:
        return RatioFinding("inconsistent", head + "; ".join(bad + notes))
    text = head + "; ".join(notes + [f"not checkable: {u}" for u in unchecked])
    checked_something = bool(notes) and not (degenerate and coef is None and len(notes) == 0)
    if degenerate and coef is None:
        return RatioFinding("not checkable", text)
    return RatioFinding("consistent" if checked_something else "not checkable", text)


def _p_overlaps(p: Printed, pl: float, ph: float) -> bool:
    if p.bound in ("<", "<="):
        return pl < p.value + _EPS
    if p.bound in (">", ">="):
        return ph > p.value - _EPS
    return p.overlaps(pl, ph)


__all__ = [
    "p_from_ci",
    "PFromCI",
    "METHODS",
    "check_ratio_printed",
    "wald_region",
    "wald_p_range",
    "wald_region_linear",
    "wald_p_range_linear",
    "z_level",
]
