"""The rules on the classic printed numbers: percentages, partitions, ratios with their CI,
medians with their CI, means and SDs, the medians of a partition, and p from a statistic.

Each rule takes the relation (a mapping of fields) and a :class:`~._base.Numbers` resolver, and
returns ``(verdict, arithmetic, tolerance)``. The conventions each rule assumes are declared
with the rule (``conventions=``) and listed by :func:`spinemets.screen.conventions`.
"""

from __future__ import annotations

import math

from scipy import stats

from ._base import NotApplicable, NotCheckable, rule
from .printed import _EPS, fmt
from .ratio import METHODS, check_ratio_printed, z_level


@rule(
    "percentage",
    required=("count", "denominator", "percent"),
    counts=("count", "denominator"),
    conventions="percent rounded half-up or half-even; truncation is named as such",
)
def _percentage(rel, nums):
    c = nums.get(rel, "count", count=True)
    n = nums.get(rel, "denominator", count=True)
    p = nums.get(rel, "percent")
    if n.value <= 0 or c.value < 0 or c.value > n.value:
        return "inconsistent", f"count {c.text} of {n.text}: not a proportion", ""
    exact = 100.0 * c.value / n.value
    tol = f"±{fmt(p.half_unit)} (rounding of {p.text})"
    if p.contains(exact):
        return "consistent", f"100 × {c.text}/{n.text} = {exact:.4f} → {p.text}", tol
    scale = 10**p.decimals
    truncated = math.floor(exact * scale + _EPS) / scale
    if abs(truncated - p.value) < _EPS:
        return (
            "inconsistent",
            f"100 × {c.text}/{n.text} = {exact:.4f} rounds to "
            f"{exact:.{p.decimals}f}, not {p.text}: truncated, not rounded",
            tol,
        )
    # which nearby denominators (or counts) would give the printed percentage?
    small = n.value <= 100_000  # the hints enumerate denominators and counts
    alt_n = (
        [
            m
            for m in range(max(int(c.value), 1), int(n.value * 1.5) + 2)
            if p.contains(100.0 * c.value / m)
        ]
        if small
        else []
    )
    alt_c = (
        [k for k in range(0, int(n.value) + 1) if p.contains(100.0 * k / n.value)] if small else []
    )
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


@rule(
    "partition",
    required=("parts",),
    optional=("total", "kind"),
    lists=("parts",),
    choices={"kind": ("counts", "percent")},
    conventions="counts exact; percentages each rounded (any rounding to nearest)",
)
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
            return "consistent", f"{s} = {fmt(sum(p.value for p in parts))} = {total.text}", "exact"
        return (
            "inconsistent",
            f"{s} = {fmt(sum(p.value for p in parts))} ≠ {total.text} "
            f"(difference {fmt(sum(p.value for p in parts) - total.value)})",
            "exact",
        )
    lo = sum(p.low for p in parts)
    hi = sum(p.high for p in parts)
    target = 100.0 if rel.get("total") is None else nums.get(rel, "total").value
    tol = f"sum of the parts' rounding: ±{fmt((hi - lo) / 2)}"
    s = " + ".join(p.text for p in parts)
    if lo - _EPS <= target <= hi + _EPS:
        return "consistent", f"{s} = {fmt(sum(p.value for p in parts))} (100 within rounding)", tol
    return (
        "inconsistent",
        f"{s} = {fmt(sum(p.value for p in parts))}: cannot be {fmt(target)} "
        f"(possible range {fmt(lo)}-{fmt(hi)})",
        tol,
    )


@rule(
    "ratio_ci",
    required=("estimate", "lower", "upper"),
    optional=("p", "coef", "level", "method"),
    reals=("level",),
    choices={"method": METHODS},
    conventions="any rounding to nearest; Wald CI and Wald p unless method says otherwise",
)
def _ratio_ci(rel, nums):
    e = nums.get(rel, "estimate")
    lo = nums.get(rel, "lower")
    hi = nums.get(rel, "upper")
    p = nums.get(rel, "p", required=False)
    coef = nums.get(rel, "coef", required=False)
    for name, x in (("estimate", e), ("lower", lo), ("upper", hi)):
        if x.low <= 0 or x.bound:
            raise NotCheckable(f"{name} {x.text} is not a positive ratio (a rounded 0 has no log)")
    level = float(rel.get("level", 0.95))
    r = check_ratio_printed(e, lo, hi, p, coef, level, rel.get("method"))
    if r.verdict == "not checkable":
        raise NotCheckable(r.arithmetic)
    return r.verdict, r.arithmetic, "every printed digit ± half a unit"


@rule(
    "median_ci",
    required=("median", "lower", "upper"),
    optional=("exact_median", "level"),
    flags=("exact_median",),
    reals=("level",),
    conventions="any rounding to nearest; symmetry suggests SPSS (median ± z SE) but does not "
    "identify it",
)
def _median_ci(rel, nums):
    # a Kaplan-Meier median is an observed time: in whole days it is an exact integer
    m = nums.get(rel, "median", count=rel.get("exact_median") is True)
    lo = nums.get(rel, "lower")
    hi = nums.get(rel, "upper")
    z = z_level(float(rel.get("level", 0.95)))
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
        text = (
            f"{m.text} − {lo.text} = {fmt(down)} and {hi.text} − {m.text} = {fmt(up)}: "
            f"symmetric, the SPSS signature median ± {z:.2f} SE, SE = {fmt(se)}"
        )
        if lo.value < 0:
            # SPSS prints median - 1.96 SE even below 0: a poor interval, honestly reported
            return (
                "consistent",
                text
                + (
                    "; the lower limit below 0 is what the symmetric "
                    "interval gives (a poor interval for a time, not a "
                    "misprint)"
                ),
                tol,
            )
        return "consistent", text, tol
    if m.exact and abs(up - down) < 0.01 * max(up, down, 1.0):
        # nearly but not exactly symmetric about an exact median: the symmetric interval was
        # printed with a slipped digit (one limit cannot be rounded to the other's distance)
        return (
            "inconsistent",
            f"{m.text} − {lo.text} = {fmt(down)} but {hi.text} − {m.text} = "
            f"{fmt(up)}: the median is exact, and median ± {z:.2f} SE would print both "
            f"distances the same; one limit is misprinted by {fmt(abs(up - down))} "
            f"(symmetric limits would be {fmt(m.value - up)}-{hi.text} or "
            f"{lo.text}-{fmt(m.value + down)})",
            tol,
        )
    return (
        "consistent",
        f"{m.text} − {lo.text} = {fmt(down)}, {hi.text} − {m.text} = {fmt(up)}: "
        f"asymmetric (not median ± z SE; e.g. Brookmeyer-Crowley)",
        tol,
    )


@rule(
    "mean_sd",
    required=("mean", "n"),
    optional=("sd", "low", "high", "granularity"),
    counts=("n",),
    reals=("granularity",),
    conventions="mean and SD rounded to nearest; sample SD (n - 1); data on the stated grid",
)
def _mean_sd(rel, nums):
    from .peers import grim_bites, grim_sums, sd_bounds_grid

    mean = nums.get(rel, "mean")
    sd = nums.get(rel, "sd", required=False)
    n = nums.get(rel, "n", count=True)
    g = float(rel.get("granularity", 1)) if rel.get("granularity") is not None else None
    # the scale bounds may be literals or registry ids (a paper prints its scale: VAS 0-10)
    low = None if rel.get("low") is None else nums.get(rel, "low").value
    high = None if rel.get("high") is None else nums.get(rel, "high").value
    if n.value < 1 or n.value != int(n.value):
        raise NotApplicable(f"n {n.text} is not a positive whole number")
    nn = int(n.value)
    parts, verdict = [], "consistent"
    tol = f"mean ±{fmt(mean.half_unit)}" + (f", SD ±{fmt(sd.half_unit)}" if sd else "")
    if g:
        # GRIM: is there a total on the grid k*g with k*g/n rounding to the printed mean?
        possible = [k * g / nn for k in grim_sums(mean, nn, g)]
        if possible:
            parts.append(
                f"GRIM: sum {fmt(possible[0] * nn)}/{nn} = {fmt(possible[0])} → {mean.text}"
            )
        else:
            below = math.floor(mean.low * nn / g) * g / nn
            above = math.ceil(mean.high * nn / g) * g / nn
            parts.append(
                f"GRIM: no total of {nn} values on a grid of {fmt(g)} gives {mean.text} "
                f"(nearest means {below:.{mean.decimals + 2}f} and {above:.{mean.decimals + 2}f})"
            )
            verdict = "inconsistent"
    if g and possible and not grim_bites(mean, nn, g):
        parts.append(
            f"GRIM cannot bite (n = {nn} ≥ {fmt(g / (2 * mean.half_unit))}: every mean "
            f"at {mean.decimals} decimal{'' if mean.decimals == 1 else 's'} is attainable)"
        )
    if sd is not None and nn > 1:
        if g and possible and low is not None and high is not None:
            # exact bounds for values on the grid (rsprite2's .sd_limits), over every total
            ks = grim_sums(mean, nn, g)
            spans = [sd_bounds_grid(k, nn, float(low), float(high), g) for k in ks]
            spans = [s for s in spans if not math.isnan(s[0])]
            if not spans:
                parts.append(f"mean {mean.text} is outside [{fmt(low)}, {fmt(high)}]")
                verdict = "inconsistent"
            elif not any(sd.overlaps(a, b) for a, b in spans):
                a = min(x for x, _ in spans)
                b = max(y for _, y in spans)
                side = "largest" if sd.low > b else "smallest"
                parts.append(
                    f"SD {sd.text} {'>' if side == 'largest' else '<'} "
                    f"{fmt(b if side == 'largest' else a, 3)}, the {side} possible for "
                    f"{nn} values on a grid of {fmt(g)} in [{fmt(low)}, {fmt(high)}] "
                    f"with mean {mean.text}"
                )
                verdict = "inconsistent"
            else:
                a = min(x for x, _ in spans)
                b = max(y for _, y in spans)
                parts.append(
                    f"SD {sd.text} within {fmt(a, 3)}-{fmt(b, 3)} (attainable on the "
                    f"grid in [{fmt(low)}, {fmt(high)}])"
                )
        elif low is not None and high is not None:
            a, b = float(low), float(high)
            # largest sample SD on [a, b] with this mean: values at the two ends
            best = 0.0
            for mv in (mean.low, mean.high, min(max((a + b) / 2, mean.low), mean.high)):
                if a <= mv <= b:
                    best = max(best, math.sqrt(max((mv - a) * (b - mv), 0) * nn / (nn - 1)))
            if sd.low > best + _EPS:
                parts.append(
                    f"SD {sd.text} > {best:.3g}, the largest possible on [{fmt(a)}, "
                    f"{fmt(b)}] with mean {mean.text} and n = {nn}"
                )
                verdict = "inconsistent"
            else:
                parts.append(
                    f"SD {sd.text} ≤ {best:.3g} (the largest possible on [{fmt(a)}, {fmt(b)}])"
                )
        elif low is not None:
            parts.append(f"SD on [{low}, ∞): no upper bound on the SD")
        if g and possible and (low is None or high is None):
            # smallest SD with values on the grid: all at the two grid points around the mean
            def least(mv):
                f = (mv / g) % 1.0
                f = 0.0 if min(f, 1 - f) < 1e-9 else f
                return g * math.sqrt(f * (1 - f) * nn / (nn - 1))

            smallest = min(least(mv) for mv in possible)
            if sd.high < smallest - _EPS:
                parts.append(
                    f"SD {sd.text} < {smallest:.3g}, the smallest possible for values on a "
                    f"grid of {fmt(g)} with mean {mean.text}"
                )
                verdict = "inconsistent"
    if not parts:
        raise NotApplicable("give granularity (GRIM) or low and high (SD bounds)")
    return verdict, "; ".join(parts), tol


@rule(
    "partition_medians",
    required=("medians", "overall"),
    lists=("medians",),
    conventions="any rounding to nearest; little censoring (a violation is implausible)",
)
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
    return (
        "implausible",
        f"overall median {overall.text} is {side} group median ({names}): without "
        f"censoring the pooled curve is the size-weighted mix of the group curves, so its median "
        f"lies between theirs",
        tol,
    )


TESTS = ("chi2", "Q", "z", "t", "F", "r")


@rule(
    "p_statistic",
    required=("statistic", "p", "test"),
    optional=("df", "df1", "df2", "tails", "alpha", "p_zero", "p_equal_alpha"),
    counts=("df", "df1", "df2"),
    reals=("alpha",),
    choices={
        "test": TESTS,
        "tails": ("1", "2", 1, 2),
        "p_zero": ("error", "bound"),
        "p_equal_alpha": ("significant", "not significant"),
    },
    conventions="statistic and p rounded to nearest; two-tailed unless tails: 1; statcheck's "
    "defaults: p = .000 is an error, p = alpha counts as significant, alpha .05",
)
def _p_statistic(rel, nums):
    """The p-value recomputed from a printed statistic, as statcheck does (Nuijten et al. 2016).

    ``test``: chi2 and Q (df), t (df), F (df1, df2), z, and r (df = n - 2, through
    ``t = r sqrt(df / (1 - r^2))``). ``tails: 1`` halves the two-sided p of t, z and r. A printed
    p that fits only the one-tailed test is named ("one-tailed?"), as is a *decision error*: the
    printed p and the recomputed one on different sides of ``alpha`` (default 0.05). statcheck's
    defaults are kept and documented: ``p_zero: error`` (a p printed as .000 is an error; with
    ``bound`` it reads as p < .0005) and ``p_equal_alpha: significant`` (p = .05 counts as
    significant at alpha .05).
    """
    x = nums.get(rel, "statistic")
    p = nums.get(rel, "p")
    test = rel["test"]
    tails = int(rel.get("tails", 2))
    alpha = float(rel.get("alpha", 0.05))
    if test in ("chi2", "Q", "t", "r"):
        df = nums.get(rel, "df", count=True).value
        if df <= 0:
            raise NotApplicable(f"df must be positive, got {df:g}")
        dist = stats.chi2(df) if test in ("chi2", "Q") else stats.t(df)
    elif test == "F":
        dist = stats.f(
            nums.get(rel, "df1", count=True).value, nums.get(rel, "df2", count=True).value
        )
    else:
        dist = stats.norm()
    signed = test in ("z", "t", "r")
    if tails == 1 and not signed:
        raise NotApplicable(f"tails: 1 applies to t, z and r; {test} is one-sided by construction")
    if test == "r" and (x.low < -1 - _EPS or x.high > 1 + _EPS) and not (-1 <= x.value <= 1):
        return "inconsistent", f"r = {x.text} is outside [-1, 1]", ""

    def to_stat(v):
        if test != "r":
            return v
        v = min(max(v, -1 + 1e-15), 1 - 1e-15)
        return v * math.sqrt(df / (1 - v * v))

    def pv(v, k):
        v = to_stat(v)
        return float(k * dist.sf(abs(v))) if signed else float(dist.sf(v))

    lo_x, hi_x = (max(x.low, 0.0), x.high) if not signed else (x.low, x.high)
    if test == "r":
        lo_x, hi_x = max(lo_x, -1.0), min(hi_x, 1.0)

    def span(k):
        c = [pv(lo_x, k), pv(hi_x, k)]
        if signed and lo_x <= 0 <= hi_x:
            c.append(min(1.0, k * 0.5))
        return min(c), max(c)

    k = 2 if tails == 2 else 1
    p_lo, p_hi = span(k)
    tol = "statistic and p ± half a unit"
    label = {"chi2": "χ²", "Q": "Q"}.get(test, test)
    arith = (
        f"p({label} = {x.text}) = {pv(x.value, k):.3g} "
        f"(range {p_lo:.3g}-{p_hi:.3g}"
        f"{(', two-tailed' if k == 2 else ', one-tailed') if signed else ''}) vs {p.text}"
    )
    if p.value == 0 and p.bound is None:
        if rel.get("p_zero", "error") == "error":
            return (
                "inconsistent",
                arith + "; a p-value cannot be 0: print p < "
                f"{fmt(10.0 ** -max(p.decimals, 1))} (statcheck's pZeroError)",
                tol,
            )
        p = dataclasses_replace_low(p)
    if p.bound in ("<", "<="):  # strict, as statcheck: p < .000 is always an error
        ok = p_lo < p.value
    elif p.bound in (">", ">="):
        ok = p_hi > p.value
    else:
        ok = p.overlaps(p_lo, p_hi)
    if ok:
        return "consistent", arith, tol
    notes = []
    if k == 2 and signed:
        o_lo, o_hi = span(1)
        if p.overlaps(o_lo, o_hi) or (p.bound in ("<", "<=") and o_lo < p.value):
            notes.append(
                f"the printed p fits a one-tailed test ({o_lo:.3g}-{o_hi:.3g}): if the "
                f"paper says one-tailed, add tails: 1"
            )
    sig_equal = rel.get("p_equal_alpha", "significant") == "significant"
    printed_sig = (p.value <= alpha) if sig_equal else (p.value < alpha)
    if p.bound in ("<", "<="):
        printed_sig = p.value <= alpha
    recomputed_sig = pv(x.value, k) < alpha
    if printed_sig != recomputed_sig:
        notes.append(
            f"decision error at alpha {fmt(alpha)}: the printed p is "
            f"{'' if printed_sig else 'not '}significant, the recomputed one "
            f"{'is' if recomputed_sig else 'is not'}"
        )
    return "inconsistent", "; ".join([arith] + notes), tol


def dataclasses_replace_low(p):
    """``p = .000`` read as a bound: p < half a unit of the last printed digit."""
    import dataclasses

    return dataclasses.replace(
        p, low=0.0, high=p.half_unit or 0.0005, bound="<", value=p.half_unit or 0.0005
    )
