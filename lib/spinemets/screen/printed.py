"""Printed numbers and their rounding intervals: the one home of "what a printed digit allows".

A number printed as ``0.415`` is any value in [0.4145, 0.4155]; ``<0.001`` is any value in
(0, 0.001]; a count is exact. Every rule of the screen works on these intervals, so a rule fails
only if no values that round to the printed digits satisfy it.

Conventions (which rounding produced the printed digit) matter at the edges: half-up and
half-even rounding both give the closed interval [v - h, v + h] used here (the edge itself is
allowed); truncation (``floor``) gives [v, v + 2h) and is *not* assumed: a number that only
truncation explains is reported as such by the rules that can see it.
"""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any

from .._results import format_value

_EPS = 1e-9
_NUMBER = re.compile(
    r"^\s*(?P<op><=|>=|<|>)?\s*(?P<num>[-+]?(?:\d+(?:\.(?P<dec>\d*))?|\.(?P<dec2>\d+))"
    r"(?:[eE][-+]?\d+)?)\s*$"
)


def parse_printed(text: Any, name: str = "value") -> tuple[float, str | None, int]:
    """Parse a printed number such as ``'0.080'``, ``'<0.001'``, ``'.05'`` or ``'44.2'``.

    Returns ``(value, bound, decimals)`` where ``bound`` is ``'<'``, ``'<='``, ``'>'``, ``'>='``
    or None, and ``decimals`` the number of printed decimals (``1.5e-3`` counts as 4).

    Raises
    ------
    ValueError
        Naming ``name``, for anything that is not a printed number.
    """
    if text is None or isinstance(text, (bool, list, tuple, dict, set)):
        raise ValueError(f"{name} must be a printed number such as 0.080 or <0.001, got {text!r}")
    m = _NUMBER.match(str(text))
    if not m:
        raise ValueError(f"{name} must be a printed number such as 0.080 or <0.001, got {text!r}")
    dec = m.group("dec") or m.group("dec2") or ""
    value = float(m.group("num"))
    if not math.isfinite(value):
        raise ValueError(f"{name} {text!r} is beyond the range of a float")
    decimals = len(dec)
    exp = re.search(r"[eE]([-+]?\d+)$", m.group("num"))
    if exp:  # 1.5e-3 is printed to 4 decimals (tolerance 5e-5), not to 1
        decimals -= int(exp.group(1))
    return value, m.group("op"), decimals


def is_number_text(s: Any) -> bool:
    """True if ``s`` reads as a printed number (``'12'``, ``'0.5'``, ``'<0.001'``, ``'1e3'``)."""
    try:
        parse_printed(s)
        return True
    except ValueError:
        return False


@dataclasses.dataclass(frozen=True)
class Printed:
    """A printed number as the interval of values that round to it."""

    text: str
    value: float
    low: float
    high: float
    decimals: int
    bound: str | None = None  # "<", "<=", ">", ">=" for a printed bound such as "<0.001"
    exact: bool = False  # a literal (not printed) or a count

    @classmethod
    def of(cls, text: Any, exact: bool = False, name: str = "value") -> Printed:
        if isinstance(text, bool) or text is None:
            raise ValueError(f"{name} must be a printed number, got {text!r}")
        v, bound, dec = parse_printed(text, name)
        if exact:
            return cls(str(text), v, v, v, dec, bound, True)
        h = 0.5 * 10.0 ** (-dec)
        if bound in ("<", "<="):
            return cls(str(text), v, 0.0 if v > 0 else -math.inf, v, dec, bound)
        if bound in (">", ">="):
            return cls(str(text), v, v, math.inf, dec, bound)
        return cls(str(text), v, v - h, v + h, dec, bound)

    @property
    def half_unit(self) -> float:
        return 0.0 if self.exact else 0.5 * 10.0 ** (-self.decimals)

    def contains(self, x: float) -> bool:
        return self.low - _EPS <= x <= self.high + _EPS

    def overlaps(self, lo: float, hi: float) -> bool:
        return lo <= self.high + _EPS and self.low - _EPS <= hi


def round_half_up(x: float, decimals: int) -> float:
    """``x`` rounded half away from zero (what most papers and SPSS print)."""
    s = 10.0**decimals
    return math.copysign(math.floor(abs(x) * s + 0.5 + 1e-12) / s, x)


def fmt(x: float, sig: int = 4) -> str:
    """A number for a finding's arithmetic (4 significant digits)."""
    return format_value(float(x), sig)


# ------------------------------------------------------------- checks on printed medians
# The one home of two checks that the screen's rules (median_ci, partition_medians), the paper
# modules (analyses.lee2015) and the chapters share (issue 24 item 5).


@dataclasses.dataclass(frozen=True)
class SymmetricCI:
    """Whether a printed CI can be symmetric about its printed median (SPSS's median +- z SE).

    ``asymmetry_low``-``asymmetry_high`` is the range of ``(U - M) - (M - L) = U + L - 2M``
    over every value that rounds to the printed digits; ``symmetric`` is True when it contains
    0. ``se`` is ``(U - L) / (2 z)`` from the printed limits."""

    symmetric: bool
    asymmetry: float
    asymmetry_low: float
    asymmetry_high: float
    se: float
    z: float


def symmetric_ci(
    median: Any, lower: Any, upper: Any, level: float = 0.95, exact_median: bool = False
) -> SymmetricCI:
    """Can ``lower``-``upper`` be the symmetric interval median +- z SE about ``median``?

    SPSS prints a Kaplan-Meier median's CI as median +- 1.96 SE (symmetric); R and SAS invert a
    transformed band (asymmetric). Each number is read as the interval of values that round to
    it; with ``exact_median`` the median is exact (a Kaplan-Meier median is an observed time, in
    whole days an integer).

    Raises
    ------
    ValueError
        Naming the argument, for a number that is not printed, or ``level`` outside (0, 1).

    References
    ----------
    Brookmeyer R, Crowley J. A confidence interval for the median survival time. Biometrics
    1982;38:29-41. doi:10.2307/2530286
    """
    from statistics import NormalDist

    if not (isinstance(level, (int, float)) and 0 < level < 1):
        raise ValueError(f"level must be in (0, 1), got {level!r}")
    m = Printed.of(median, exact=exact_median, name="median")
    lo = Printed.of(lower, name="lower")
    hi = Printed.of(upper, name="upper")
    z = NormalDist().inv_cdf(0.5 + level / 2)
    d_lo = hi.low + lo.low - 2 * m.high
    d_hi = hi.high + lo.high - 2 * m.low
    return SymmetricCI(
        bool(d_lo - _EPS <= 0 <= d_hi + _EPS),
        hi.value + lo.value - 2 * m.value,
        d_lo,
        d_hi,
        (hi.value - lo.value) / (2 * z),
        z,
    )


@dataclasses.dataclass(frozen=True)
class MedianMixture:
    """What group medians and sizes imply for the overall median (no censoring).

    ``between``: the overall median lies within the range of the group medians (each read as
    its rounding interval), as a size-weighted mix of curves requires. ``share_above``: the
    weight of the groups whose median lies above the overall one; ``max_mean_s_above`` =
    0.5 / share_above, the largest average survival those groups may have at the overall median
    (a value just above 0.5 means they lose almost nobody until their own medians; below 0.5 is
    impossible)."""

    between: bool
    share_above: float
    max_mean_s_above: float


def median_mixture(overall: Any, medians, sizes=None) -> MedianMixture:
    """Check an overall median against its groups' medians: S(t) = sum_g w_g S_g(t).

    At the overall median M, S(M) <= 0.5, and every group whose median lies above M still has
    S_g(M) >= 0.5; so the groups above M (weight w_A) average S_g(M) <= 0.5 / w_A. Censoring
    loosens the argument: a violation is *implausible*, not impossible.

    Parameters
    ----------
    overall : printed number
    medians : sequence of printed numbers
    sizes : sequence of numbers, optional
        Group sizes (default equal); weights are sizes / sum(sizes).

    Raises
    ------
    ValueError
        Naming the argument, for an empty or mismatched ``medians``/``sizes`` or a size < 0.
    """
    meds = [Printed.of(v, name="medians") for v in list(medians)]
    if not meds:
        raise ValueError("medians must hold at least one printed median")
    n = [1.0] * len(meds) if sizes is None else [float(x) for x in sizes]
    if len(n) != len(meds) or any(not math.isfinite(x) or x < 0 for x in n) or sum(n) <= 0:
        raise ValueError(
            "sizes must be one non-negative number per median, with a positive total, "
            f"got {sizes!r}"
        )
    m = Printed.of(overall, name="overall")
    between = m.overlaps(min(g.low for g in meds), max(g.high for g in meds))
    share = sum(w for g, w in zip(meds, n) if g.value > m.value) / sum(n)
    return MedianMixture(bool(between), share, 0.5 / share if share > 0 else math.inf)


__all__ = [
    "Printed",
    "parse_printed",
    "is_number_text",
    "round_half_up",
    "fmt",
    "symmetric_ci",
    "SymmetricCI",
    "median_mixture",
    "MedianMixture",
]
