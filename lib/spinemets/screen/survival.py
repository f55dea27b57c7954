"""Survival reporting rules: what Kaplan-Meier percentages, medians and matched-pair tests allow.

``km_percent`` (percent, n; optional at_risk, events, no_censoring)
    A Kaplan-Meier survival (or local-control) percentage at a time in a group of ``n``.
    Without censoring before the time it is ``k / n`` (the survivors); with censoring the
    estimate still lies between the share known alive and the share not known dead:
    ``at_risk / n <= S(t) <= 1 - events / n`` (each patient carries at least ``1/n`` of the
    mass, and the mass of the censored is redistributed to the right: Efron 1967). A printed
    value that is no ``k / n`` implies censoring before the time, and the rule says so; with
    ``no_censoring: true`` (the paper says every patient was followed past the time) it is a
    finding. With ``at_risk + events = n`` nobody was censored before the time and the value must
    be ``at_risk / n``.
``composite_median`` (composite, os; optional composite_name)
    The median of an endpoint that counts death as an event (PFS, EFS, DFS) cannot exceed the
    median overall survival of the same group when nobody is censored: each patient's composite
    event comes no later than death. With censoring the Kaplan-Meier estimates can cross even
    for the same patients and follow-up (an early progression weighs 1/n_at_risk where many are
    at risk, a later death more: five patients suffice, see the tests), so a composite median
    above the OS median is *implausible*, not inconsistent: censoring made the curves cross,
    deaths were censored (then the endpoint is not the composite the name says), the two
    medians are of different patients or follow-up, or one is misprinted.
``paired_logrank`` (pairs, p; optional events)
    A log-rank test stratified by matched pair (1:1) is McNemar's test on the informative pairs,
    those where one member failed while both were at risk: the statistic is ``(b - c)^2 / (b + c)``
    with ``b`` and ``c`` the pairs in which the treated or the control member failed first (each
    stratum contributes O - E = +-1/2 with variance 1/4 at its first event and nothing after). The
    rule inverts the printed p to the splits ``(b, c)`` it allows with ``b + c`` at most the
    number of pairs (and of events); none is a finding.
``denominator`` (count, percent, denominators; optional named)
    A percentage checked against several candidate denominators at once (patients, lesions,
    operations, the group of the sentence): it names which ones the printed value fits. With
    ``named`` (the denominator the sentence names) a percentage that fits only another one is a
    finding: a rate over units (lesions) printed where the text speaks of patients. With
    ``complete: false`` (the candidates may not include the true denominator, as in a draft
    from :mod:`.extract`) a percentage that fits none is *not checkable*, not a finding; the
    rule names the denominators it would fit.

``km_denominator`` (percent, denominators, named)
    A Kaplan-Meier percentage at a time tried against several group sizes at once (the
    patients the sentence names, and the lesions or operations of the same group): which of
    them give it as ``k / n``, the value of an estimate with no censoring before the time. A
    percentage that is no ``k / n`` over the named group (so it needs censoring before the
    time) but is exactly ``k / n`` over units (lesions) suggests the curve was computed per
    unit, weighting a patient with two lesions twice (*implausible*, not *inconsistent*:
    censoring could give the same value; the finding gives the chance that a value lands
    within rounding of some ``k / n`` of the units by accident).

``spss_median_ci`` (median, lower, upper, n; optional level)
    SPSS prints a Kaplan-Meier median with median +- z SE, where SE = SE_Greenwood(S(m)) / f
    and the density ``f = (S(u) - S(l)) / (l - u)``, u the last event time with S >= 0.55 and l
    the first with S <= 0.45 (Collett 2015, section 2.4; the formula of
    :func:`spinemets.survival.median_survival` with ``ci="spss"``). With whole-day times and no
    censoring before l, ``S`` takes values ``k / n`` and ``l - u`` is a whole number of days
    ``g``, so ``SE = g sqrt(c (n - c) / n) / (a - b)`` for whole numbers ``a``, ``b``, ``c``
    (patients alive after u, l and the median). Each limit's distance from an exact median is
    checked against these attainable half-widths: a limit whose distance no such curve gives,
    beside one whose distance some curve gives, is the probable misprint, and the rule says what
    it should read (*implausible*, since it rests on the no-censoring assumption), and whether
    both limits fit if their digits were truncated (a convention mismatch, not a misprint). The
    rule assumes no censoring before l; when neither distance is attainable, that assumption (or
    the SE formula) fails, and the relation is *not checkable*.

References
----------
Efron B. The two sample problem with censored data. Proc Fifth Berkeley Symp 1967;4:831-853.
Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457-481.
Collett D. Modelling Survival Data in Medical Research, 3rd ed. CRC Press, 2015.
"""

from __future__ import annotations

import math

from scipy import stats

from ._base import NotApplicable, NotCheckable, Numbers, rule
from .printed import _EPS, fmt


def _whole(nums, rel, field):
    x = nums.get(rel, field, count=True)
    if not x.exact or x.value < 0 or x.value != int(x.value):
        raise NotApplicable(f"{field} {x.text} is not a whole number")
    return int(x.value)


@rule(
    "km_percent",
    required=("percent", "n"),
    optional=("at_risk", "events", "no_censoring"),
    counts=("n", "at_risk", "events"),
    flags=("no_censoring",),
    conventions="percent rounded to nearest; a Kaplan-Meier (product-limit) estimate",
)
def _km_percent(rel, nums):
    p = nums.get(rel, "percent")
    n = _whole(nums, rel, "n")
    if n < 1:
        raise NotApplicable("n must be at least 1")
    m = None if rel.get("at_risk") is None else _whole(nums, rel, "at_risk")
    d = None if rel.get("events") is None else _whole(nums, rel, "events")
    tol = f"±{fmt(p.half_unit)} (rounding of {p.text})"
    s_lo, s_hi = p.low / 100, p.high / 100
    if (m or 0) + (d or 0) > n:
        return "inconsistent", f"{m or 0} at risk + {d or 0} events > {n} patients", tol
    ks = range(
        max(math.ceil((s_lo - _EPS) * n), 0),  # lazy: n may be large
        min(math.floor((s_hi + _EPS) * n), n) + 1,
    )
    parts = []
    lo_b = 0.0 if m is None else m / n
    hi_b = 1.0 if d is None else 1 - d / n
    complete = m is not None and d is not None and m + d == n
    if complete:
        if m in ks:
            return "consistent", f"no censoring before the time ({m} + {d} = {n}): S = {m}/{n}", tol
        return (
            "inconsistent",
            f"{m} at risk + {d} events = {n}: nobody was censored before the "
            f"time, so S = {m}/{n} = {100 * m / n:.2f}%, not {p.text}%",
            tol,
        )
    if m is not None or d is not None:
        if not (s_lo - _EPS <= hi_b and lo_b <= s_hi + _EPS):
            why = []
            if m is not None and s_hi + _EPS < lo_b:
                why.append(f"{m} of {n} still at risk: S ≥ {m}/{n} = {100 * lo_b:.1f}%")
            if d is not None and s_lo - _EPS > hi_b:
                why.append(f"{d} of {n} had the event: S ≤ 1 − {d}/{n} = {100 * hi_b:.1f}%")
            return "inconsistent", f"{p.text}% is not attainable: " + "; ".join(why), tol
        parts.append(f"{100 * lo_b:.1f}% ≤ S ≤ {100 * hi_b:.1f}%")
    if ks:
        parts.insert(0, f"{p.text}% = {ks[0]}/{n} without censoring before the time")
        return "consistent", "; ".join(parts), tol
    k0 = min(max(math.floor(p.value / 100 * n), 0), n)
    near = [k for k in (k0, k0 + 1) if k <= n] or [k0]
    text = (
        f"{p.text}% is no k/{n} (nearest {', '.join(f'{k}/{n} = {100 * k / n:.1f}%' for k in sorted(near))}): "
        f"it implies censoring before the time"
    )
    if rel.get("no_censoring") is True:
        return ("inconsistent", text + ", but every patient was followed past it", tol)
    return "consistent", "; ".join([text] + parts), tol


@rule(
    "composite_median",
    required=("composite", "os"),
    optional=("composite_name",),
    words=("composite_name",),
    conventions="medians rounded to nearest; the same patients and follow-up",
)
def _composite_median(rel, nums):
    c = nums.get(rel, "composite")
    o = nums.get(rel, "os")
    name = str(rel.get("composite_name") or "the composite endpoint")
    tol = "every printed digit ± half a unit"
    if c.low <= o.high + _EPS:
        return "consistent", f"median {name} {c.text} ≤ median OS {o.text}", tol
    return (
        "implausible",
        f"median {name} {c.text} > median OS {o.text}: an endpoint that counts "
        f"death cannot end later than death itself, so either deaths were censored in {name} "
        f"(it is then not the composite its name says), the medians are of different "
        f"patients or follow-up, one is misprinted, or censoring made the two Kaplan-Meier "
        f"curves cross (possible even for the same patients and follow-up)",
        tol,
    )


MAX_PAIRS = 2000
"""The most pairs ``paired_logrank`` enumerates the splits of (a resource guard)."""
MAX_SPSS_N = 200
"""The largest group ``spss_median_ci`` enumerates Kaplan-Meier curves of (a resource guard)."""


def mcnemar_p(b: int, c: int) -> float:
    """p of the pair-stratified log-rank test = McNemar without continuity correction."""
    m = b + c
    if m == 0:
        return 1.0
    return float(stats.chi2.sf((b - c) ** 2 / m, 1))


@rule(
    "paired_logrank",
    required=("pairs", "p"),
    optional=("events",),
    counts=("pairs", "events"),
    conventions="p rounded to nearest; 1:1 pair strata; the log-rank (score) statistic",
)
def _paired_logrank(rel, nums):
    pairs = _whole(nums, rel, "pairs")
    p = nums.get(rel, "p")
    ev = None if rel.get("events") is None else _whole(nums, rel, "events")
    cap = pairs if ev is None else min(pairs, ev)
    if cap > MAX_PAIRS:
        raise NotCheckable(
            f"{cap} informative pairs: beyond the rule's limit of {MAX_PAIRS} "
            f"(it enumerates every split)"
        )
    tol = f"p ±{fmt(p.half_unit)}"
    fits = []
    for m in range(1, cap + 1):
        for b in range(m + 1):
            pv = mcnemar_p(b, m - b)
            ok = (
                (pv < p.value)
                if p.bound in ("<", "<=")
                else (pv > p.value if p.bound in (">", ">=") else p.contains(pv))
            )
            if ok and b >= m - b:
                fits.append((b, m - b, pv))
    what = f"stratified by {pairs} pairs, at most {cap} informative" + (
        f" ({ev} events)" if ev is not None else ""
    )
    if not fits:
        return (
            "inconsistent",
            f"no split of the informative pairs gives p {p.text} ({what}; χ² = (b − c)²/(b + c))",
            tol,
        )
    shown = ", ".join(f"{b}:{c} (p {pv:.3g})" for b, c, pv in fits[:6])
    more = f" and {len(fits) - 6} more" if len(fits) > 6 else ""
    return "consistent", f"p {p.text} fits first-failure splits {shown}{more} ({what})", tol


@rule(
    "denominator",
    required=("count", "percent", "denominators"),
    optional=("named", "complete"),
    counts=("count",),
    maps=("denominators",),
    words=("named",),
    flags=("complete",),
    conventions="percent rounded to nearest",
)
def _denominator(rel, nums):
    c = nums.get(rel, "count", count=True)
    p = nums.get(rel, "percent")
    cands = rel.get("denominators")
    if not isinstance(cands, dict) or not cands:
        raise NotApplicable("denominators must map a name (patients, lesions, ...) to a number")
    named = rel.get("named")
    if named is not None and named not in cands:
        raise NotApplicable(f"named {named!r} is none of the denominators ({', '.join(cands)})")
    fit, tried = [], []
    for name, ref in cands.items():
        n = nums.resolve(ref, f"denominators.{name}", count=True)
        if n.value <= 0:
            continue
        v = 100 * c.value / n.value
        tried.append(f"{c.text}/{n.text} {name} = {v:.2f}%")
        if p.contains(v):
            fit.append(str(name))
    tol = f"±{fmt(p.half_unit)} (rounding of {p.text})"
    text = "; ".join(tried)
    if not fit:
        fits = (
            [m for m in range(max(int(c.value), 1), 100001) if p.contains(100 * c.value / m)]
            if p.low > 0
            else []
        )
        hint = (
            (
                f" (it fits {c.text}/{fits[0]}"
                + (f" to {c.text}/{fits[-1]}" if len(fits) > 1 else "")
                + ")"
            )
            if fits and len(fits) <= 50
            else ""
        )
        if rel.get("complete") is False:
            raise NotCheckable(
                f"{p.text}% fits none of the denominators the text states{hint}: {text}"
            )
        return "inconsistent", f"{p.text}% fits none of the denominators{hint}: {text}", tol
    if named is not None and str(named) not in fit:
        return (
            "inconsistent",
            f"{p.text}% fits {' and '.join(fit)}, not the {named} the sentence names: {text}",
            tol,
        )
    return "consistent", f"{p.text}% fits {' and '.join(fit)}: {text}", tol


def _k_over_n(p, n: int) -> list[int]:
    """The k with 100 k / n within the rounding of the printed percentage ``p``."""
    return [
        k
        for k in range(
            max(math.ceil((p.low / 100 - _EPS) * n), 0), min(n, int(p.high / 100 * n) + 1) + 1
        )
        if p.contains(100 * k / n)
    ]


@rule(
    "km_denominator",
    required=("percent", "denominators", "named"),
    maps=("denominators",),
    words=("named",),
    conventions="percent rounded to nearest; a Kaplan-Meier (product-limit) estimate",
)
def _km_denominator(rel, nums):
    p = nums.get(rel, "percent")
    cands = rel.get("denominators")
    named = str(rel.get("named"))
    if named not in cands:
        raise NotApplicable(f"named {named!r} is none of the denominators ({', '.join(cands)})")
    sizes = {}
    for name, ref in cands.items():
        n = nums.resolve(ref, f"denominators.{name}", count=True)
        if not n.exact or n.value < 1 or n.value != int(n.value):
            raise NotApplicable(f"denominators.{name} {n.text} is not a whole number above 0")
        sizes[str(name)] = int(n.value)
    tol = f"±{fmt(p.half_unit)} (rounding of {p.text})"
    fits = {name: _k_over_n(p, n) for name, n in sizes.items()}
    said = "; ".join(
        f"over {sizes[nm]} {nm}: "
        + (f"{ks[0]}/{sizes[nm]} = {100 * ks[0] / sizes[nm]:.2f}%" if ks else "no k/n")
        for nm, ks in fits.items()
    )
    if fits[named]:
        return "consistent", f"{p.text}% is k/n over the {named} ({said})", tol
    others = [nm for nm, ks in fits.items() if ks and nm != named]
    if not others:
        return (
            "consistent",
            f"{p.text}% is k/n over none of the group sizes ({said}): censoring before the "
            "time is implied",
            tol,
        )
    # the chance that a value needing censoring lands on some k/n of the units by accident
    chance = max(min((sizes[nm] + 1) * 2 * p.half_unit / 100, 1.0) for nm in others)
    return (
        "implausible",
        f"{p.text}% is no k/n over the {sizes[named]} {named} the sentence names (that needs "
        f"censoring before the time), but is exactly k/n over the {' and '.join(others)} "
        f"({said}): the curve was probably computed over the {' or the '.join(others)}, not "
        f"the {named} (a value needing censoring lands within rounding of some k/n by chance "
        f"about {100 * chance:.0f}% of the time)",
        tol,
    )


def spss_half_widths(
    n: int, lo: float, hi: float, median: int | None = None, z: float = 1.959963984540054
):
    """Attainable SPSS half-widths ``z g sqrt(c (n - c) / n) / (a - b)`` in [lo, hi] for an
    uncensored Kaplan-Meier curve of ``n`` whole-day times: ``(a, b, c, g, half_width)``.

    With the (whole-day) ``median`` m the gap ``g = l - u`` is bounded: u < m <= l, u = 0 when
    no event leaves S >= 0.55 (a = n), and l = m when S(m) <= 0.45 (b = c)."""
    out = []
    a_min = math.ceil(0.55 * n - 1e-9)
    b_max = math.floor(0.45 * n + 1e-9)
    c_max = math.floor(n / 2 + 1e-9)
    for a in range(a_min, n + 1):
        for c in range(1, min(c_max, a - 1) + 1):
            # S(m) <= 0.45 makes the median itself l (b = c); else l comes later, b <= 0.45 n
            for b in [c] if c <= b_max else range(0, b_max + 1):
                unit = z * math.sqrt(c * (n - c) / n) / (a - b)
                for g in range(
                    max(1, math.ceil(lo / unit - 1e-9)), math.floor(hi / unit + 1e-9) + 1
                ):
                    if median is not None:
                        u_zero, l_is_m = a == n, b == c
                        if u_zero and l_is_m and g != median:
                            continue
                        if u_zero and g < median:
                            continue
                        if not u_zero and l_is_m and g > median - 1:
                            continue
                    out.append((a, b, c, g, g * unit))
    return out


@rule(
    "spss_median_ci",
    required=("median", "lower", "upper", "n"),
    optional=("level",),
    counts=("median", "n"),
    reals=("level",),
    conventions="limits rounded to nearest; SPSS median ± z SE; whole-day times; no censoring "
    "before the median's neighbourhood",
)
def _spss_median_ci(rel, nums):
    m = nums.get(rel, "median", count=True)
    lo = nums.get(rel, "lower")
    hi = nums.get(rel, "upper")
    n = _whole(nums, rel, "n")
    if not m.exact:
        raise NotApplicable(f"median {m.text} is not a whole number of days")
    if n < 2 or n > MAX_SPSS_N:
        raise NotCheckable(f"n = {n}: the rule enumerates curves of 2 to {MAX_SPSS_N} patients")
    z = float(stats.norm.ppf(0.5 + float(rel.get("level", 0.95)) / 2))
    tol = "limits ± half a unit; the median exact"
    dl = (m.value - lo.high, m.value - lo.low)
    du = (hi.low - m.value, hi.high - m.value)
    fit_l = spss_half_widths(n, *dl, median=int(m.value), z=z)
    fit_u = spss_half_widths(n, *du, median=int(m.value), z=z)

    def show(f):
        a, b, c, g, h = f[0]
        return (
            f"{a}, {b} and {c} of {n} alive after u, l and the median, l − u = {g} days: "
            f"half-width {h:.3f}"
        )

    if fit_l and fit_u:
        return (
            "consistent",
            f"both limits are {fmt(m.value - lo.value)}/{fmt(hi.value - m.value)}"
            f" from {m.text}: attainable ({show(fit_l)})",
            tol,
        )
    if not fit_l and not fit_u:
        raise NotCheckable(
            f"no uncensored whole-day curve of {n} gives half-width "
            f"{fmt(m.value - lo.value)} or {fmt(hi.value - m.value)}: censoring "
            f"near the median (or another SE) is implied"
        )
    # a limit read as a misprint may be digits cut, not rounded: do both fit if they were?
    cut = ""
    if not nums.truncated:
        try:
            v2, _, _ = _spss_median_ci(rel, Numbers(nums.registry, truncated=True))
        except (NotApplicable, NotCheckable, ValueError):
            v2 = None
        if v2 == "consistent":
            cut = "; consistent if the printed digits were truncated, not rounded (a convention mismatch)"
    if fit_u:
        h = fit_u[0][4]
        return (
            "implausible",
            f"{m.text} − {lo.text} = {fmt(m.value - lo.value)} is no SPSS "
            f"half-width of {n} uncensored whole-day times, {hi.text} − {m.text} = "
            f"{fmt(hi.value - m.value)} is ({show(fit_u)}): if nobody was censored before l, "
            f"the lower limit is the misprint and should read {m.value - h:.2f}" + cut,
            tol,
        )
    h = fit_l[0][4]
    return (
        "implausible",
        f"{hi.text} − {m.text} = {fmt(hi.value - m.value)} is no SPSS "
        f"half-width of {n} uncensored whole-day times, {m.text} − {lo.text} = "
        f"{fmt(m.value - lo.value)} is ({show(fit_l)}): if nobody was censored before l, the "
        f"upper limit is the misprint and should read {m.value + h:.2f}" + cut,
        tol,
    )


__all__ = ["mcnemar_p", "spss_half_widths"]
