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


__all__ = ["Printed", "parse_printed", "is_number_text", "round_half_up", "fmt"]
