"""A consistency screen for published numbers: which printed numbers cannot all be true.

statcheck recomputes APA-style test statistics and GRIM checks means of integer data; this screen
checks what clinical papers print: percentages against counts, subgroups against totals, ratio /
CI / p triplets, medians with their CIs, means and SDs on bounded scales, the medians of a
partition against the overall median, and p-values against their test statistics.

The relations between numbers are stated in a paper's registry (``data/published/<paper>.yaml``)
under ``relations:``, or beside it in ``data/published/<paper>.relations.yaml``, each citing its
source like the numbers do::

    relations:
      - rule: percentage
        count: table1_male_n          # an id of the registry, or a literal number
        denominator: 192
        percent: table1_male_pct
        source: {where: table, table: "Table 1", row: "Sex"}

The rules (``rule:`` and the fields each takes):

``percentage`` (count, denominator, percent)
    ``100 * count / denominator`` must round to the printed percentage. A percentage that only
    truncation explains is flagged; so is a fraction printed with two different roundings, and
    the screen names denominators that would explain a mismatch (a missing patient).
``partition`` (parts, total)
    Counts of the levels of a factor must add up to the total; percentages to 100 within the
    rounding of every part.
``ratio_ci`` (estimate, lower, upper; optional p, coef)
    A hazard or odds ratio with a Wald CI: the ratio lies in its CI and is the geometric mean of
    the limits; the p-value it implies (Altman & Bland 2011) matches the printed one; and
    ``exp(coef)`` is the ratio.
``median_ci`` (median, lower, upper; optional exact_median)
    The median lies in its CI; a CI symmetric about the median is the SPSS signature
    (median +- 1.96 SE, which can fall below 0), and the SE it implies is reported. With
    ``exact_median: true`` a median printed without decimals is an exact value (a Kaplan-Meier
    median is an observed time, so in whole days it is an integer), and a CI whose limits are not
    equally far from it, beyond their own rounding (distances within 1% of each other), is neither symmetric nor a plausible
    asymmetric interval: it is flagged as a probable misprint.
``mean_sd`` (mean, sd, n; optional low, high, granularity; low and high may be registry ids)
    GRIM: a mean of integer data (or data on a grid of ``granularity``) must be a possible
    sum / n; and the SD must be attainable on the bounded scale [low, high] with that mean
    (the SPRITE-style bounds: at most that of all values at the two ends, at least that of all
    values at the two grid points next to the mean).
``partition_medians`` (medians, overall)
    With little censoring the pooled Kaplan-Meier curve is close to the size-weighted mix of the
    group curves, so the overall median lies between the smallest and the largest group
    median. Censoring weakens this (the pooled estimate is not exactly the mix), so a violation
    is *implausible*, not *inconsistent*.
``p_statistic`` (statistic, p; test in {chi2, z, t, F}; df for chi2/t, df1 and df2 for F)
    The p-value recomputed from the printed statistic.

A relation the printed numbers cannot support is entered with ``applies: false`` and a
``reason:``; it is reported as *not applicable* with that reason.

Every rule allows for the rounding of every printed digit: each number is the interval of values
that round to it (``0.415`` is [0.4145, 0.4155]), counts are exact integers, and a rule fails only
if no values in those intervals satisfy it (interval arithmetic). A rule that cannot apply says
why; it never passes silently.

References
----------
Altman DG, Bland JM. How to obtain the P value from a confidence interval. BMJ 2011;343:d2304.
Brown NJL, Heathers JAJ. The GRIM test. Soc Psychol Personal Sci 2017;8:363-369.
Heathers JA, Anaya J, van der Zee T, Brown NJL. Recovering data from summary statistics: Sample
Parameter Reconstruction via Iterative TEchniques (SPRITE). PeerJ Preprints 2018;6:e26968v1.
Nuijten MB, et al. The prevalence of statistical reporting errors in psychology (1985-2013).
Behav Res Methods 2016;48:1205-1226 (statcheck).
"""

from __future__ import annotations

import dataclasses
import html
import math
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ._results import format_value

RULES = ("percentage", "partition", "ratio_ci", "median_ci", "mean_sd", "partition_medians",
         "p_statistic")
VERDICTS = ("consistent", "inconsistent", "implausible", "not applicable")
_EPS = 1e-9


# --------------------------------------------------------------------------- printed intervals

@dataclasses.dataclass(frozen=True)
class Printed:
    """A printed number as the interval of values that round to it."""

    text: str
    value: float
    low: float
    high: float
    decimals: int
    bound: str | None = None    # "<", "<=", ">", ">=" for a printed bound such as "<0.001"
    exact: bool = False         # a literal (not printed) or a count

    @classmethod
    def of(cls, text: Any, exact: bool = False, name: str = "value") -> "Printed":
        from .published import parse_printed

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


def _fmt(x: float, sig: int = 4) -> str:
    return format_value(float(x), sig)


# --------------------------------------------------------------------------- p from a CI

@dataclasses.dataclass(frozen=True)
class PFromCI:
    """The p-value a ratio and its Wald CI imply, over every rounding of the printed digits."""

    estimate: str
    lower: str
    upper: str
    se: float
    z: float
    p: float
    p_low: float
    p_high: float

    def __repr__(self) -> str:
        return (f"p from CI: {self.estimate} ({self.lower}-{self.upper}): SE(log) = {self.se:.4g}, "
                f"z = {self.z:.3g}, p = {self.p:.3g} (range over rounding {self.p_low:.3g} to "
                f"{self.p_high:.3g})")


def _z_level(level: float) -> float:
    return float(stats.norm.ppf(0.5 + level / 2))


def p_from_ci(estimate: Any, lower: Any, upper: Any, level: float = 0.95) -> PFromCI:
    """The two-sided p-value implied by a ratio and its Wald confidence interval.

    ``SE = (ln U - ln L) / (2 z)``, ``z = |ln estimate| / SE``, ``p = 2 (1 - Phi(z))``
    (Altman & Bland 2011). Pass the numbers as printed (strings keep trailing zeros): every one is
    taken as the interval of values that round to it, and the range of p over all of them is
    returned beside the point value, since a lower limit printed as 0.01 may be anything from
    0.005 to 0.015.

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
        If a number is not a printed positive number, the limits do not bracket a positive range,
        or ``level`` is not in (0, 1).

    References
    ----------
    Altman DG, Bland JM. How to obtain the P value from a confidence interval. BMJ 2011;343:d2304.

    Examples
    --------
    >>> r = p_from_ci("0.13", "0.01", "1.16")   # paper D's multivariable HR
    >>> round(r.p, 3), round(r.p_low, 3), round(r.p_high, 3)   # doctest: +SKIP
    """
    from ._validation import check_open_interval

    level = check_open_interval(level, "level")
    z0 = _z_level(level)
    e = Printed.of(estimate, name="estimate")
    lo = Printed.of(lower, name="lower")
    hi = Printed.of(upper, name="upper")
    for name, p in (("estimate", e), ("lower", lo), ("upper", hi)):
        if p.bound or p.low <= 0:
            raise ValueError(f"{name} must be a positive ratio as printed (the interval of values "
                             f"that round to it must stay above 0), got {p.text!r}")
    if lo.value >= hi.value:
        raise ValueError(f"lower ({lo.text}) must be below upper ({hi.text}); limits printed in "
                         f"reverse order are detected by screen(), not here")

    def p_at(ev, lv, uv):
        se = (math.log(uv) - math.log(lv)) / (2 * z0)
        if se <= 0:
            return 0.0
        return float(2 * stats.norm.sf(abs(math.log(ev)) / se))

    se = (math.log(hi.value) - math.log(lo.value)) / (2 * z0)
    z = abs(math.log(e.value)) / se
    ps = [p_at(ev, lv, uv) for ev in (e.low, e.high) for lv in (lo.low, lo.high)
          for uv in (hi.low, hi.high) if uv > lv]
    if e.low <= 1 <= e.high:
        ps.append(1.0)
    return PFromCI(e.text, lo.text, hi.text, se, z, float(2 * stats.norm.sf(z)), min(ps), max(ps))


# --------------------------------------------------------------------------- the screen result

class ScreenResult:
    """The screen of one registry: a table with one row per relation checked.

    ``.table`` has columns ``rule``, ``numbers``, ``verdict``, ``arithmetic``, ``tolerance`` and
    ``source``; ``.counts`` tallies the verdicts; ``.summary`` is one sentence;
    ``.findings()`` the rows that are not consistent.
    """

    def __init__(self, paper: str, table: pd.DataFrame):
        self.paper, self.table = paper, table

    @property
    def counts(self) -> dict[str, int]:
        return {v: int((self.table["verdict"] == v).sum()) for v in VERDICTS}

    @property
    def summary(self) -> str:
        c = self.counts
        s = (f"{self.paper}: {len(self.table)} relations screened: {c['consistent']} consistent, "
             f"{c['inconsistent']} inconsistent, {c['implausible']} implausible")
        if c["not applicable"]:
            s += f", {c['not applicable']} not applicable"
        return s + "."

    def findings(self) -> pd.DataFrame:
        return self.table[~self.table["verdict"].isin(["consistent"])]

    def __repr__(self) -> str:
        # one block per relation, wrapped at 88 characters (a terminal, a book page)
        import textwrap

        lines = [textwrap.fill(self.summary, 88)]
        for i, r in self.table.iterrows():
            lines.append(textwrap.fill(f"{i:>4}. {r.rule} [{r.verdict}] {r.numbers}", 88,
                                       subsequent_indent=" " * 6))
            lines.append(textwrap.fill(r.arithmetic, 88, initial_indent=" " * 6,
                                       subsequent_indent=" " * 6))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colours = {"consistent": "#1b7837", "inconsistent": "#b2182b", "implausible": "#b35806",
                   "not applicable": "#666666"}
        rows = []
        for _, r in self.table.iterrows():
            badge = (f"<span class='sm-badge' style='border-color:{colours[r.verdict]}'>"
                     f"{html.escape(r.verdict)}</span>")
            rows.append(f"<tr><td>{html.escape(r.rule)}</td><td>{html.escape(r.numbers)}</td>"
                        f"<td>{badge}</td><td>{html.escape(r.arithmetic)}</td></tr>")
        return (f"<p><b>{html.escape(self.summary)}</b></p><table class='spinemets-screen'>"
                "<thead><tr><th>rule</th><th>numbers</th><th>verdict</th><th>arithmetic</th></tr>"
                "</thead><tbody>" + "".join(rows) + "</tbody></table>")


# --------------------------------------------------------------------------- the rules

class _NotApplicable(Exception):
    pass


class _Numbers:
    """Resolve relation fields: a registry id, or a literal number (exact)."""

    def __init__(self, registry):
        self.registry = registry
        self.used: list[str] = []

    def get(self, rel: Mapping, field: str, *, count: bool = False, required: bool = True):
        if field not in rel or rel[field] is None:
            if required:
                raise _NotApplicable(f"the relation has no {field!r}")
            return None
        ref = rel[field]
        if isinstance(ref, str) and not _is_number_text(ref):
            if ref not in self.registry:
                raise ValueError(f"relation field {field!r} names {ref!r}, which is not a number of "
                                 f"{self.registry.key}")
            pub = self.registry[ref]
            self.used.append(ref)
            return Printed.of(pub.text, exact=count and pub.bound is None and pub.decimals == 0,
                              name=ref)
        if isinstance(ref, str):
            # a number typed into the relation as printed text: it was rounded like the others
            return Printed.of(ref, exact=count and "." not in ref and ref[:1] not in "<>",
                              name=field)
        if isinstance(ref, bool) or not isinstance(ref, (int, float)):
            raise ValueError(f"relation field {field!r} must be a registry id or a number, "
                             f"got {ref!r}")
        return Printed.of(repr(ref), exact=True, name=field)  # an exact literal

    def many(self, rel: Mapping, field: str, *, count: bool = False) -> list[Printed]:
        refs = rel.get(field)
        if not isinstance(refs, (list, tuple)) or len(refs) < 2:
            raise _NotApplicable(f"{field!r} must list at least two numbers")
        return [self.get({field: r}, field, count=count) for r in refs]


def _is_number_text(s: str) -> bool:
    try:
        float(s.lstrip("<>="))
        return True
    except ValueError:
        return False


def _percentage(rel, nums):
    c = nums.get(rel, "count", count=True)
    n = nums.get(rel, "denominator", count=True)
    p = nums.get(rel, "percent")
    if n.value <= 0 or c.value < 0 or c.value > n.value:
        return "inconsistent", f"count {c.text} of {n.text}: not a proportion", ""
    exact = 100.0 * c.value / n.value
    tol = f"±{_fmt(p.half_unit)} (rounding of {p.text})"
    if p.contains(exact):
        return "consistent", f"100 × {c.text}/{n.text} = {exact:.4f} → {p.text}", tol
    scale = 10 ** p.decimals
    truncated = math.floor(exact * scale + _EPS) / scale
    if abs(truncated - p.value) < _EPS:
        return ("inconsistent", f"100 × {c.text}/{n.text} = {exact:.4f} rounds to "
                f"{exact:.{p.decimals}f}, not {p.text}: truncated, not rounded", tol)
    # which nearby denominators (or counts) would give the printed percentage?
    alt_n = [m for m in range(max(int(c.value), 1), int(n.value * 1.5) + 2)
             if p.contains(100.0 * c.value / m)]
    alt_c = [k for k in range(0, int(n.value) + 1) if p.contains(100.0 * k / n.value)]
    hint = []
    if alt_n:
        best = min(alt_n, key=lambda m: abs(m - n.value))
        hint.append(f"{c.text}/{best} = {100 * c.value / best:.2f}%")
    if alt_c:
        best = min(alt_c, key=lambda k: abs(k - c.value))
        hint.append(f"{best}/{n.text} = {100 * best / n.value:.2f}%")
    text = f"100 × {c.text}/{n.text} = {exact:.4f} ≠ {p.text}"
    if hint:
        text += " (the printed value fits " + " or ".join(hint) + ")"
    return "inconsistent", text, tol


def _partition(rel, nums):
    kind = rel.get("kind", "counts")
    if kind not in ("counts", "percent"):
        raise ValueError(f"partition kind must be 'counts' or 'percent', got {kind!r}")
    parts = nums.many(rel, "parts", count=(kind == "counts"))
    if kind == "counts":
        total = nums.get(rel, "total", count=True)
        lo = sum(p.low for p in parts)
        hi = sum(p.high for p in parts)
        s = " + ".join(p.text for p in parts)
        if total.overlaps(lo, hi):
            return "consistent", f"{s} = {_fmt(sum(p.value for p in parts))} = {total.text}", "exact"
        return ("inconsistent", f"{s} = {_fmt(sum(p.value for p in parts))} ≠ {total.text} "
                f"(difference {_fmt(sum(p.value for p in parts) - total.value)})", "exact")
    lo = sum(p.low for p in parts)
    hi = sum(p.high for p in parts)
    target = float(rel.get("total", 100))
    tol = f"sum of the parts' rounding: ±{_fmt((hi - lo) / 2)}"
    s = " + ".join(p.text for p in parts)
    if lo - _EPS <= target <= hi + _EPS:
        return "consistent", f"{s} = {_fmt(sum(p.value for p in parts))} (100 within rounding)", tol
    return ("inconsistent", f"{s} = {_fmt(sum(p.value for p in parts))}: cannot be {_fmt(target)} "
            f"(possible range {_fmt(lo)}-{_fmt(hi)})", tol)


def _ratio_ci(rel, nums):
    from .published import check_ratio

    e = nums.get(rel, "estimate")
    lo = nums.get(rel, "lower")
    hi = nums.get(rel, "upper")
    p = nums.get(rel, "p", required=False)
    coef = nums.get(rel, "coef", required=False)
    for name, x in (("estimate", e), ("lower", lo), ("upper", hi)):
        if x.low <= 0:
            raise _NotApplicable(f"{name} {x.text} is not a positive ratio (a rounded 0 has no log)")
    level = float(rel.get("level", 0.95))
    r = check_ratio(e.text, lo.text, hi.text, p=None if p is None else p.text,
                    coef=None if coef is None else coef.text, level=level)
    arith = (f"√({lo.text} × {hi.text}) = {r.geometric_mean:.3g} vs {e.text}; implied p "
             f"{r.implied_p:.3g} (range {r.implied_p_range[0]:.3g}-{r.implied_p_range[1]:.3g})")
    if p is not None:
        arith += f" vs printed {p.text}"
    if coef is not None:
        arith += f"; exp({coef.text}) = {r.exp_coef:.4g}"
    tol = "every printed digit ± half a unit"
    return ("consistent" if r.verdict == "consistent" else "inconsistent"), (
        arith if r.verdict == "consistent" else f"{r.verdict}: {arith}"), tol


def _median_ci(rel, nums):
    # a Kaplan-Meier median is an observed time: in whole days it is an exact integer
    m = nums.get(rel, "median", count=bool(rel.get("exact_median", False)))
    lo = nums.get(rel, "lower")
    hi = nums.get(rel, "upper")
    z = _z_level(float(rel.get("level", 0.95)))
    tol = "every printed digit ± half a unit"
    if lo.value > hi.value:
        return "inconsistent", f"lower {lo.text} > upper {hi.text}: limits transposed", tol
    if not (lo.low - _EPS <= m.high and m.low <= hi.high + _EPS):
        return "inconsistent", f"median {m.text} outside its CI {lo.text}-{hi.text}", tol
    # symmetry: (U - M) - (M - L) = U + L - 2M over the rounding boxes
    d_lo = hi.low + lo.low - 2 * m.high
    d_hi = hi.high + lo.high - 2 * m.low
    symmetric = d_lo - _EPS <= 0 <= d_hi + _EPS
    se = (hi.value - lo.value) / (2 * z)
    up, down = hi.value - m.value, m.value - lo.value
    if symmetric:
        text = (f"{m.text} − {lo.text} = {_fmt(down)} and {hi.text} − {m.text} = {_fmt(up)}: "
                f"symmetric, the SPSS signature median ± {z:.2f} SE, SE = {_fmt(se)}")
        if lo.value < 0:
            return "implausible", text + "; the lower limit is below 0 (a time cannot be)", tol
        return "consistent", text, tol
    if m.exact and abs(up - down) < 0.01 * max(up, down, 1.0):
        # nearly but not exactly symmetric about an exact median: the symmetric interval was
        # printed with a slipped digit (one limit cannot be rounded to the other's distance)
        return ("inconsistent", f"{m.text} − {lo.text} = {_fmt(down)} but {hi.text} − {m.text} = "
                f"{_fmt(up)}: the median is exact, and median ± {z:.2f} SE would print both "
                f"distances the same; one limit is misprinted by {_fmt(abs(up - down))} "
                f"(symmetric limits would be {_fmt(m.value - up)}-{hi.text} or "
                f"{lo.text}-{_fmt(m.value + down)})", tol)
    return ("consistent", f"{m.text} − {lo.text} = {_fmt(down)}, {hi.text} − {m.text} = {_fmt(up)}: "
            f"asymmetric (not median ± z SE; e.g. Brookmeyer-Crowley)", tol)


def _mean_sd(rel, nums):
    mean = nums.get(rel, "mean")
    sd = nums.get(rel, "sd", required=False)
    n = nums.get(rel, "n", count=True)
    g = float(rel.get("granularity", 1)) if rel.get("granularity") is not None else None
    # the scale bounds may be literals or registry ids (a paper prints its scale: VAS 0-10)
    low = None if rel.get("low") is None else nums.get(rel, "low").value
    high = None if rel.get("high") is None else nums.get(rel, "high").value
    if n.value < 1 or n.value != int(n.value):
        raise _NotApplicable(f"n {n.text} is not a positive whole number")
    nn = int(n.value)
    parts, verdict = [], "consistent"
    tol = f"mean ±{_fmt(mean.half_unit)}" + (f", SD ±{_fmt(sd.half_unit)}" if sd else "")
    if g:
        # GRIM: is there a total on the grid k*g with k*g/n rounding to the printed mean?
        ks = range(math.ceil(mean.low * nn / g - _EPS), math.floor(mean.high * nn / g + _EPS) + 1)
        possible = [k * g / nn for k in ks]
        if possible:
            parts.append(f"GRIM: sum {_fmt(possible[0] * nn)}/{nn} = {_fmt(possible[0])} → {mean.text}")
        else:
            below = math.floor(mean.low * nn / g) * g / nn
            above = math.ceil(mean.high * nn / g) * g / nn
            parts.append(f"GRIM: no total of {nn} values on a grid of {_fmt(g)} gives {mean.text} "
                         f"(nearest means {below:.{mean.decimals + 2}f} and {above:.{mean.decimals + 2}f})")
            verdict = "inconsistent"
    if sd is not None and nn > 1:
        if low is not None and high is not None:
            a, b = float(low), float(high)
            # largest sample SD on [a, b] with this mean: values at the two ends
            best = 0.0
            for mv in (mean.low, mean.high, min(max((a + b) / 2, mean.low), mean.high)):
                if a <= mv <= b:
                    best = max(best, math.sqrt(max((mv - a) * (b - mv), 0) * nn / (nn - 1)))
            if sd.low > best + _EPS:
                parts.append(f"SD {sd.text} > {best:.3g}, the largest possible on [{_fmt(a)}, "
                             f"{_fmt(b)}] with mean {mean.text} and n = {nn}")
                verdict = "inconsistent"
            else:
                parts.append(f"SD {sd.text} ≤ {best:.3g} (the largest possible on [{_fmt(a)}, {_fmt(b)}])")
        elif low is not None:
            parts.append(f"SD on [{low}, ∞): no upper bound on the SD")
        if g and possible:
            # smallest SD with values on the grid: all at the two grid points around the mean
            def least(mv):
                f = (mv / g) % 1.0
                f = 0.0 if min(f, 1 - f) < 1e-9 else f
                return g * math.sqrt(f * (1 - f) * nn / (nn - 1))
            smallest = min(least(mv) for mv in possible)
            if sd.high < smallest - _EPS:
                parts.append(f"SD {sd.text} < {smallest:.3g}, the smallest possible for values on a "
                             f"grid of {_fmt(g)} with mean {mean.text}")
                verdict = "inconsistent"
    if not parts:
        raise _NotApplicable("give granularity (GRIM) or low and high (SD bounds)")
    return verdict, "; ".join(parts), tol


def _partition_medians(rel, nums):
    meds = nums.many(rel, "medians")
    overall = nums.get(rel, "overall")
    lo = min(m.low for m in meds)
    hi = max(m.high for m in meds)
    names = ", ".join(m.text for m in meds)
    tol = "every printed digit ± half a unit; censoring loosens the bound"
    if overall.overlaps(lo, hi):
        return "consistent", f"overall {overall.text} within the group medians ({names})", tol
    side = "below the smallest" if overall.high < lo else "above the largest"
    return ("implausible", f"overall median {overall.text} is {side} group median ({names}): without "
            f"censoring the pooled curve is the size-weighted mix of the group curves, so its median "
            f"lies between theirs", tol)


def _p_statistic(rel, nums):
    x = nums.get(rel, "statistic")
    p = nums.get(rel, "p")
    test = rel.get("test")
    if test not in ("chi2", "z", "t", "F"):
        raise ValueError(f"p_statistic test must be one of chi2, z, t, F; got {test!r}")
    if test in ("chi2", "t"):
        df = nums.get(rel, "df", count=True).value
        dist = stats.chi2(df) if test == "chi2" else stats.t(df)
    elif test == "F":
        dist = stats.f(nums.get(rel, "df1", count=True).value, nums.get(rel, "df2", count=True).value)
    else:
        dist = stats.norm()
    two_sided = test in ("z", "t")

    def pv(v):
        return float(2 * dist.sf(abs(v))) if two_sided else float(dist.sf(v))

    lo_x, hi_x = (max(x.low, 0.0), x.high) if not two_sided else (x.low, x.high)
    cands = [pv(lo_x), pv(hi_x)]
    if two_sided and lo_x <= 0 <= hi_x:
        cands.append(1.0)
    p_lo, p_hi = min(cands), max(cands)
    arith = f"p({test} = {x.text}) = {pv(x.value):.3g} (range {p_lo:.3g}-{p_hi:.3g}) vs {p.text}"
    tol = "statistic and p ± half a unit"
    ok = p.overlaps(p_lo, p_hi)
    return ("consistent" if ok else "inconsistent"), arith, tol


_RULES = {"percentage": _percentage, "partition": _partition, "ratio_ci": _ratio_ci,
          "median_ci": _median_ci, "mean_sd": _mean_sd, "partition_medians": _partition_medians,
          "p_statistic": _p_statistic}


def check_relation(registry, relation: Mapping) -> dict:
    """Apply one rule to one relation; returns the result row (see :func:`screen`)."""
    if not isinstance(relation, Mapping):
        raise ValueError(f"a relation must be a mapping with a 'rule', got {relation!r}")
    rule = relation.get("rule")
    if rule not in _RULES:
        raise ValueError(f"relation rule must be one of {', '.join(RULES)}; got {rule!r}")
    nums = _Numbers(registry)
    try:
        if relation.get("applies") is False:
            # a relation the printed numbers cannot support says why (it never passes silently)
            reason = str(relation.get("reason") or "").strip()
            if not reason:
                raise ValueError("a relation with 'applies: false' must give its 'reason'")
            for field in ("count", "denominator", "percent", "total", "estimate", "median",
                          "mean", "n", "overall", "statistic", "p"):
                if relation.get(field) is not None:
                    nums.get(relation, field)   # the ids it names must still exist
            raise _NotApplicable(reason)
        verdict, arithmetic, tolerance = _RULES[rule](relation, nums)
    except _NotApplicable as e:
        verdict, arithmetic, tolerance = "not applicable", str(e), ""
    src = relation.get("source") or {}
    where = ", ".join(str(v) for k, v in src.items() if k != "where") or str(src.get("where", ""))
    return {"rule": rule, "numbers": ", ".join(dict.fromkeys(nums.used)) or "(literals)",
            "verdict": verdict, "arithmetic": arithmetic, "tolerance": tolerance,
            "source": where, "note": str(relation.get("note", ""))}


def screen(registry, relations: Sequence[Mapping] | None = None) -> ScreenResult:
    """Screen a registry's published numbers for internal consistency.

    Parameters
    ----------
    registry : str or Registry
        A paper key (``"choi2015"``), a path to a registry YAML file, or a loaded registry.
    relations : sequence of mappings, optional
        The relations to check; default the registry file's ``relations:`` section.

    Returns
    -------
    ScreenResult
        One row per relation: rule, numbers involved, verdict (consistent / inconsistent /
        implausible / not applicable), the arithmetic, the tolerance and the source.

    Raises
    ------
    ValueError
        For an unknown paper or file, a relation with an unknown rule, or a relation that names a
        number the registry does not have.
    """
    reg = _registry(registry)
    rels = list(relations) if relations is not None else list(_relations_of(reg))
    rows = [check_relation(reg, r) for r in rels]
    cols = ["rule", "numbers", "verdict", "arithmetic", "tolerance", "source", "note"]
    table = pd.DataFrame(rows, columns=cols)
    table.index = pd.RangeIndex(1, len(table) + 1, name="relation")
    # the same fraction printed with two different roundings
    return ScreenResult(reg.key, _same_fraction_flags(reg, rels, table))


def _same_fraction_flags(reg, rels, table):
    # Only percentages that are each within rounding of their fraction take part: a fraction
    # printed as 6.2 in one place and 6.3 in another (both within half a unit of 6.25) shows two
    # rounding rules. A percentage that is wrong on its own is already flagged by its own row,
    # and the same fraction printed at different precisions (25 and 25.0) is no conflict.
    seen: dict[tuple[float, int], list[tuple[int, str]]] = {}
    for i, r in enumerate(rels, start=1):
        if r.get("rule") != "percentage" or table.loc[i, "verdict"] != "consistent":
            continue
        nums = _Numbers(reg)
        c = nums.get(r, "count", count=True)
        n = nums.get(r, "denominator", count=True)
        p = nums.get(r, "percent")
        if n.value > 0:
            seen.setdefault((round(c.value / n.value, 12), p.decimals), []).append((i, p.text))
    for items in seen.values():
        printed = sorted({t for _, t in items})
        if len(printed) > 1:
            for i, _ in items:
                table.loc[i, "verdict"] = "inconsistent"
                table.loc[i, "arithmetic"] += ("; the same fraction is printed as "
                                               + " and ".join(printed))
    return table


def _registry(registry):
    from pathlib import Path

    from . import published

    if isinstance(registry, published.Registry):
        return registry
    if isinstance(registry, (str, Path)):
        s = str(registry)
        if s in published.PAPERS:
            return published.load(s)
        p = Path(s)
        if p.suffix in (".yaml", ".yml") and p.exists():
            return load_file(p)
    raise ValueError(f"registry must be a paper key ({', '.join(published.PAPERS)}), a registry "
                     f"YAML file, or a Registry; got {registry!r}")


def _relations_of(reg):
    import yaml

    from .published import _TextLoader  # noqa: F401  (same loader keeps printed text)

    if reg.path is None:
        return []
    rels = []
    # relations live in the registry file (relations:) and/or beside it in
    # <paper>.relations.yaml (a list, or a mapping with a relations: key)
    for path in (reg.path, reg.path.with_name(reg.path.stem + ".relations.yaml")):
        if not path.exists():
            continue
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextLoader)
        found = raw.get("relations") if isinstance(raw, dict) else raw
        if found is None:
            continue
        if not isinstance(found, list):
            raise ValueError(f"{path.name}: 'relations' must be a list")
        rels.extend(found)
    return rels


def load_file(path) -> "Any":
    """Load a registry YAML file from any path (for a new paper a reader has entered)."""
    from pathlib import Path

    import yaml

    from . import published

    p = Path(path)
    raw = yaml.load(p.read_text(encoding="utf-8"), Loader=published._TextLoader)
    if not isinstance(raw, dict) or not isinstance(raw.get("numbers"), dict):
        raise ValueError(f"{p.name}: a registry needs a 'numbers' mapping (see data/published/)")
    key = str(raw.get("paper") or p.stem)
    parsed = {nid: published._parse_entry(key, nid, e) for nid, e in raw["numbers"].items()}
    return published.Registry(key, str(raw.get("letter", "")), str(raw.get("citation", "")),
                              parsed, p)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m spinemets.screen <paper or file.yaml> [...]``: print the screen."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "screen":
        args = args[1:]
    if not args:
        print("usage: python -m spinemets.screen screen <paper key or registry.yaml> [...]")
        return 2
    worst = 0
    for a in args:
        res = screen(a)
        print(res)
        print()
        if res.counts["inconsistent"]:
            worst = 1
    return worst


__all__ = ["screen", "check_relation", "p_from_ci", "PFromCI", "ScreenResult", "Printed",
           "RULES", "VERDICTS", "load_file", "main"]

if __name__ == "__main__":
    raise SystemExit(main())
