"""The checks other screens have, on the screen's printed intervals.

- **GRIM** (Brown & Heathers 2017): a mean of n values on a grid of ``g`` is a multiple of
  ``g / n``. With ``n >= 10^decimals`` (for ``g = 1``) every printed mean is attainable and GRIM
  cannot bite; the finding says so.
- **GRIMMER** (Anaya 2016; Allard 2018): for integer data (or data on a grid) the sum of squares
  is an integer of the same parity as the sum, so only some SDs are attainable with a given mean
  and n.
- **Exact SD bounds for data on a grid in [low, high]** (rsprite2's ``.sd_limits``): the
  largest SD puts every value but one at the two ends, the smallest puts every value at the two
  grid points around the mean.
- **DEBIT** (Heathers & Brown 2019): the SD of binary data is fixed by its mean,
  ``sqrt(x (1 - x) n / (n - 1))``.
- **Difference with its CI against p** (Altman & Bland 2011, the additive form): a difference is
  the midpoint of a symmetric (Wald or t) interval, and ``SE = (U - L) / (2 z)``.

statcheck's checks of a p-value against its test statistic (t, F, chi2, Q, z, r; one-tailed
tests; decision errors; the p = .000 and p = alpha conventions) are in the ``p_statistic`` rule
(:mod:`.rules`).

References
----------
Brown NJL, Heathers JAJ. The GRIM test. Soc Psychol Personal Sci 2017;8:363-369.
Anaya J. The GRIMMER test. PeerJ Preprints 2016;4:e2400v1.
Allard A. Analytic-GRIMMER: a new way of testing the possibility of standard deviations. 2018.
Heathers JAJ, Brown NJL. DEBIT: a simple consistency test for binary data. OSF 2019.
Heathers JA, Anaya J, van der Zee T, Brown NJL. SPRITE. PeerJ Preprints 2018;6:e26968v1.
Altman DG, Bland JM. How to obtain the P value from a confidence interval. BMJ 2011;343:d2304.
"""

from __future__ import annotations

import math

from scipy import stats

from ._base import NotApplicable, NotCheckable, rule
from .printed import _EPS, Printed, fmt

# --------------------------------------------------------------------------- GRIM and GRIMMER

MAX_SUMS = 100_000
"""The most candidate totals a GRIM-type rule enumerates (a resource guard: beyond it the mean's
window holds so many totals that GRIM cannot bite, and the rule says it did not check)."""


def grim_sums(mean: Printed, n: int, g: float = 1.0) -> range:
    """Totals ``k`` (in grid units: the sum is ``k * g``) whose mean ``k g / n`` rounds to
    ``mean`` (a range; more than :data:`MAX_SUMS` of them is refused as not checkable)."""
    if not (math.isfinite(mean.low) and math.isfinite(mean.high)):
        raise NotCheckable(f"mean {mean.text} is a bound, not a printed value")
    a, b = mean.low * n / g, mean.high * n / g
    if not (math.isfinite(a) and math.isfinite(b)) or b - a > MAX_SUMS:
        raise NotCheckable(
            f"so many totals of {n} values round to {mean.text} that GRIM "
            f"cannot bite (the rule's limit is {MAX_SUMS})"
        )
    lo = math.ceil(a - 1e-9)
    hi = math.floor(b + 1e-9)
    if hi - lo + 1 > MAX_SUMS:
        raise NotCheckable(
            f"{hi - lo + 1:.3g} totals of {n} values round to {mean.text}: "
            f"beyond the rule's limit of {MAX_SUMS} (GRIM cannot bite here)"
        )
    return range(lo, hi + 1)


def grim_bites(mean: Printed, n: int, g: float = 1.0) -> bool:
    """Whether GRIM can fail at this precision: the grid of means ``g / n`` is coarser than the
    printed interval (``n < 10^decimals`` for integer data)."""
    return g / n > 2 * mean.half_unit + 1e-12


def grimmer_sums(mean: Printed, sd: Printed, n: int, g: float = 1.0) -> list[tuple[int, int]]:
    """Pairs ``(k, q)`` of grid-unit sum and sum of squares that are integers of equal parity
    and give a mean and a sample SD that round to the printed ones (Allard's analytic GRIMMER)."""
    out = []
    for k in grim_sums(mean, n, g):
        # sample variance in grid units: (q - k^2/n) / (n - 1)
        s_lo, s_hi = max(sd.low, 0.0) / g, sd.high / g
        q_lo = math.ceil((n - 1) * s_lo**2 + k * k / n - 1e-9)
        q_hi = math.floor((n - 1) * s_hi**2 + k * k / n + 1e-9)
        q = q_lo + ((q_lo - k) % 2)  # the first of the right parity
        if q <= q_hi:
            out.append((k, q))
    return out


def sd_bounds_grid(k: int, n: int, low: float, high: float, g: float = 1.0) -> tuple[float, float]:
    """The smallest and largest sample SD of ``n`` values on the grid ``g`` in [low, high] whose
    sum is ``k * g`` (rsprite2's ``.sd_limits``, exact rather than continuous)."""
    a, b = round(low / g), round(high / g)
    if not a * n <= k <= b * n:
        return math.nan, math.nan
    if n < 2:
        return 0.0, 0.0
    # smallest: every value at floor or ceil of the mean
    f = k // n
    r = k - f * n
    ss_min = r * (f + 1) ** 2 + (n - r) * f**2
    # largest: as many as possible at the top, the rest at the bottom, one value between
    if b == a:
        ss_max = n * a * a
    else:
        top = (k - n * a) // (b - a)
        top = min(top, n)
        mid = k - top * b - (n - top - 1) * a if top < n else None
        ss_max = top * b * b + ((n - top - 1) * a * a + mid * mid if mid is not None else 0)

    def sd(ss):
        return g * math.sqrt(max(ss - k * k / n, 0.0) / (n - 1))

    return sd(ss_min), sd(ss_max)


def _n_of(nums, rel):
    n = nums.get(rel, "n", count=True)
    if not n.exact or n.value < 1 or n.value != int(n.value):
        raise NotApplicable(f"n {n.text} is not a positive whole number")
    return int(n.value)


@rule(
    "grimmer",
    required=("mean", "sd", "n"),
    optional=("granularity", "low", "high"),
    counts=("n",),
    reals=("granularity",),
    conventions="mean and SD rounded to nearest (either way at a 5); sample SD (n - 1); data "
    "on the grid (integers unless granularity)",
)
def _grimmer(rel, nums):
    """GRIM, GRIMMER and the exact SD bounds of data on a grid (scrutiny, rsprite2)."""
    mean = nums.get(rel, "mean")
    sd = nums.get(rel, "sd")
    n = _n_of(nums, rel)
    g = float(rel.get("granularity", 1))
    low = None if rel.get("low") is None else nums.get(rel, "low").value
    high = None if rel.get("high") is None else nums.get(rel, "high").value
    tol = f"mean ±{fmt(mean.half_unit)}, SD ±{fmt(sd.half_unit)}"
    if n < 2:
        raise NotApplicable(f"n = {n}: a single value has no SD")
    sums = grim_sums(mean, n, g)
    if not sums:
        return (
            "inconsistent",
            f"GRIM: no total of {n} values on a grid of {fmt(g)} gives a mean of {mean.text}",
            tol,
        )
    parts = []
    if not grim_bites(mean, n, g):
        parts.append(
            f"GRIM cannot bite (n = {n} ≥ {fmt(g / (2 * mean.half_unit))}: every mean "
            f"at {mean.decimals} decimal{'' if mean.decimals == 1 else 's'} is attainable)"
        )
    pairs = grimmer_sums(mean, sd, n, g)
    if not pairs:
        return (
            "inconsistent",
            "; ".join(
                parts
                + [
                    f"GRIMMER: no sum of squares of {n} values on a grid of {fmt(g)} with mean "
                    f"{mean.text} gives an SD that rounds to {sd.text} (sums {sums[0] * g:g}"
                    f"{'' if len(sums) == 1 else '-' + format(sums[-1] * g, 'g')})"
                ]
            ),
            tol,
        )
    parts.append(
        f"GRIMMER: sum {fmt(pairs[0][0] * g)} and sum of squares "
        f"{fmt(pairs[0][1] * g * g)} give mean {mean.text} and SD {sd.text}"
    )
    if low is not None and high is not None:
        ok = []
        for k in sums:
            lo_sd, hi_sd = sd_bounds_grid(k, n, low, high, g)
            if not math.isnan(lo_sd) and sd.overlaps(lo_sd, hi_sd):
                ok.append((k, lo_sd, hi_sd))
        if not ok:
            lo_sd, hi_sd = sd_bounds_grid(sums[0], n, low, high, g)
            return (
                "inconsistent",
                "; ".join(
                    parts
                    + [
                        f"SD {sd.text} outside the attainable {fmt(lo_sd, 3)}-{fmt(hi_sd, 3)} of {n} "
                        f"values on a grid of {fmt(g)} in [{fmt(low)}, {fmt(high)}] with mean "
                        f"{mean.text}"
                    ]
                ),
                tol,
            )
        parts.append(
            f"SD attainable in [{fmt(low)}, {fmt(high)}]: {fmt(ok[0][1], 3)}-{fmt(ok[0][2], 3)}"
        )
    return "consistent", "; ".join(parts), tol


# --------------------------------------------------------------------------- DEBIT


def debit_sd_range(x: Printed, n: int) -> tuple[float, float]:
    """The range of ``sqrt(x (1 - x) n / (n - 1))`` over the printed proportion's interval."""
    lo, hi = max(x.low, 0.0), min(x.high, 1.0)

    def f(p):
        return math.sqrt(max(p * (1 - p), 0.0) * n / (n - 1))

    vals = [f(lo), f(hi)] + ([f(0.5)] if lo <= 0.5 <= hi else [])
    return min(vals), max(vals)


@rule(
    "debit",
    required=("mean", "sd", "n"),
    counts=("n",),
    conventions="mean (a proportion) and SD rounded to nearest (either way at a 5); sample SD",
)
def _debit(rel, nums):
    """DEBIT: the SD of binary (0/1) data is fixed by its mean (Heathers & Brown 2019)."""
    x = nums.get(rel, "mean")
    sd = nums.get(rel, "sd")
    n = _n_of(nums, rel)
    if n < 2:
        raise NotApplicable(f"n = {n}: a single value has no SD")
    if x.value < 0 or x.value > 1:
        raise NotApplicable(f"mean {x.text} is not a proportion (DEBIT is for 0/1 data)")
    tol = f"mean ±{fmt(x.half_unit)}, SD ±{fmt(sd.half_unit)}"
    lo, hi = debit_sd_range(x, n)
    arith = (
        f"√({x.text} × (1 − {x.text}) × {n}/{n - 1}) = "
        f"{math.sqrt(max(x.value * (1 - x.value), 0) * n / (n - 1)):.4g} (range "
        f"{lo:.4g}-{hi:.4g}) vs SD {sd.text}"
    )
    sums = grim_sums(x, n)
    if not sums:
        return "inconsistent", arith + f"; GRIM: no count of {n} gives {x.text}", tol
    return ("consistent" if sd.overlaps(lo, hi) else "inconsistent"), arith, tol


# --------------------------------------------------------------------------- difference and CI


@rule(
    "diff_ci",
    required=("difference", "lower", "upper"),
    optional=("p", "df", "level"),
    counts=("df",),
    reals=("level",),
    conventions="any rounding to nearest; a symmetric (Wald or t) interval and the p of the "
    "same test",
)
def _diff_ci(rel, nums):
    """A difference (of means, proportions, log ratios) with its CI and p.

    The difference is the midpoint of a symmetric interval, ``SE = (U - L) / (2 q)`` with ``q``
    the normal (or, with ``df``, the t) quantile, and ``p = 2 P(|Z| > |d| / SE)``
    (Altman & Bland 2011). Every rounding is allowed: the range of p is exact over the limits
    whose midpoint rounds to the printed difference.
    """
    from .ratio import wald_p_range_linear, wald_region_linear

    d = nums.get(rel, "difference")
    lo = nums.get(rel, "lower")
    hi = nums.get(rel, "upper")
    p = nums.get(rel, "p", required=False)
    level = float(rel.get("level", 0.95))
    df = None if rel.get("df") is None else nums.get(rel, "df", count=True).value
    dist = stats.norm() if df is None else stats.t(df)
    q = float(dist.ppf(0.5 + level / 2))
    tol = "every printed digit ± half a unit"
    if lo.value > hi.value:
        return "inconsistent", f"limits in reverse order: {lo.text} > {hi.text}", tol
    if d.high < lo.low - _EPS or d.low > hi.high + _EPS:
        return "inconsistent", f"difference {d.text} outside its own CI {lo.text} to {hi.text}", tol
    if lo.value == hi.value:
        raise NotCheckable(f"the limits print the same ({lo.text} to {hi.text}): no width, no SE")
    poly = wald_region_linear((d.low, d.high), (lo.low, lo.high), (hi.low, hi.high))
    mid = (lo.value + hi.value) / 2
    if not poly:
        return (
            "inconsistent",
            f"midpoint ({lo.text} + {hi.text}) / 2 = {fmt(mid)}: no rounding "
            f"of the limits has a midpoint that rounds to {d.text} (a symmetric interval)",
            tol,
        )
    arith = f"({lo.text} + {hi.text}) / 2 = {fmt(mid)} vs {d.text}"
    if p is None:
        return "consistent", arith, tol
    pl, ph = wald_p_range_linear(poly, q, dist)
    arith += f"; implied p {fmt(pl, 3)}-{fmt(ph, 3)} over every rounding vs printed {p.text}"
    if p.bound in ("<", "<="):
        ok = pl < p.value
    elif p.bound in (">", ">="):
        ok = ph > p.value
    else:
        ok = p.overlaps(pl, ph)
    return ("consistent" if ok else "inconsistent"), arith, tol


__all__ = ["grim_sums", "grim_bites", "grimmer_sums", "sd_bounds_grid", "debit_sd_range"]
