"""Judging a reproduced number against its printed one: :class:`Reproduced` (the label and
its evidence), the informativeness rule for emergent numbers, distinct quantities, verdicts."""

from __future__ import annotations

import dataclasses
import math
import re
from functools import cache
from typing import Any

import numpy as np

from .._results import format_value
from .._validation import check_open_interval
from .registry import LABELS, PublishedNumber, Registry, _load_path, load

MIN_REPLICATES = 20
"""Fewest replicate values :class:`Reproduced` accepts (ValueError below), and the fewest valid
(non-NaN) values :func:`compare` judges on; with fewer it says "not judged (too few ...)"."""

_P_ID = re.compile(r"(^|_)p(_|$)")


def is_p_value(pub: PublishedNumber) -> bool:
    """Whether a registry number is a p-value (its id has a ``p`` part: ``t4_ecog_p_logrank``)."""
    return bool(_P_ID.search(pub.id))


@dataclasses.dataclass(frozen=True, eq=False)  # eq=False: replicates is an array
class Reproduced:
    """A reproduced number with its label and, optionally, its own tolerance or replicates.

    Parameters
    ----------
    value : float or None
        The reproduced number (for an emergent number: its value on the one committed cohort);
        None when it cannot be reproduced (say why in ``note``).
    label : {"recomputed", "by construction", "emergent"}
    tol : float, optional
        Absolute tolerance; default half a unit in the published number's last digit.
    rtol : float, optional
        Relative tolerance (of the published value), used instead of ``tol``.
    note : str
        A short explanation shown in the table (e.g. which test a p-value matches).
    replicates : array-like, optional
        Emergent numbers only: the statistic over replicate cohorts (NaN allowed: dropped and
        counted). At least :data:`MIN_REPLICATES` values.
    interval : (float, float), optional
        Emergent numbers only: a precomputed central interval instead of ``replicates``.
    level : float
        Coverage of the central interval taken from ``replicates`` (default 0.95).
    only_fit : bool
        A recomputation chosen because it is the only one that fits the published number (e.g.
        the one test, or the one table, that gives the printed p): it could not have failed, so
        its verdict says "agrees (the only fit)" and :func:`summary` counts it apart from the
        recomputations that could have failed.
    sources : tuple of str
        Where the number comes from, for the generated audit (:mod:`spinemets.audit`): for a
        *recomputed* number the registry ids of the *other* printed numbers it is computed from
        (never its own id); for a *by construction* number the target(s) the cohort was built to
        hit; for an *emergent* number the analysis step (e.g. ``"table4_cox"``).

    Notes
    -----
    Verdicts by label (see :func:`compare`): recomputed and by-construction numbers must agree to
    the printed precision (or ``tol``/``rtol``); an emergent number is judged by its replicate
    distribution, "consistent" when the published value lies in the central interval, and is
    "not judged (no replicates)" without one.
    """

    value: float | None
    label: str
    tol: float | None = None
    rtol: float | None = None
    note: str = ""
    replicates: Any = None
    interval: tuple | None = None
    level: float = 0.95
    only_fit: bool = False
    sources: tuple = ()

    def __post_init__(self):
        if isinstance(self.sources, str):
            object.__setattr__(self, "sources", (self.sources,))
        if not all(isinstance(s, str) and s for s in self.sources):
            raise ValueError(f"sources must be a tuple of non-empty strings, got {self.sources!r}")
        object.__setattr__(self, "sources", tuple(self.sources))
        if self.label not in LABELS:
            raise ValueError(f"label must be one of {', '.join(LABELS)}; got {self.label!r}")
        for name in ("tol", "rtol"):
            v = getattr(self, name)
            if v is not None and not (isinstance(v, (int, float)) and v >= 0 and math.isfinite(v)):
                raise ValueError(f"{name} must be a non-negative number, got {v!r}")
        if self.only_fit and self.label != "recomputed":
            raise ValueError(
                "only_fit marks a recomputation chosen because it is the only fit; "
                f"label must be 'recomputed', got {self.label!r}"
            )
        if (self.replicates is not None or self.interval is not None) and self.label != "emergent":
            raise ValueError(
                f"replicates/interval judge emergent numbers only; label is {self.label!r}"
            )
        if self.replicates is not None and self.interval is not None:
            raise ValueError("give replicates or interval, not both")
        check_open_interval(self.level, "level")
        if self.replicates is not None:
            try:
                arr = np.asarray(self.replicates, dtype=float).ravel()
            except (TypeError, ValueError):
                raise ValueError("replicates must be an array of numbers (NaN allowed)") from None
            if arr.size < MIN_REPLICATES:
                raise ValueError(
                    f"replicates must hold at least {MIN_REPLICATES} values, got {arr.size}"
                )
            if np.isinf(arr).any():
                raise ValueError("replicates must be finite or NaN (got inf)")
            ok = arr[~np.isnan(arr)]
            if ok.size >= 2 and np.ptp(ok) == 0:
                raise ValueError(
                    f"replicates are constant ({ok.size} values all {format_value(float(ok[0]))}): a "
                    "number fixed across replicates (by design, or filled in with np.full) has no "
                    "replicate distribution to judge it by; label it 'by construction' or "
                    "'recomputed', or list it under fixed_in_replicates in the registry"
                )
            arr.setflags(write=False)
            object.__setattr__(self, "replicates", arr)
        if self.interval is not None:
            try:
                lo, hi = (float(v) for v in self.interval)
            except (TypeError, ValueError):
                raise ValueError(
                    f"interval must be (lower, upper), got {self.interval!r}"
                ) from None
            if not (math.isfinite(lo) and math.isfinite(hi) and lo <= hi):
                raise ValueError(
                    f"interval must be finite with lower <= upper, got {self.interval!r}"
                )
            object.__setattr__(self, "interval", (lo, hi))


def _num(v) -> float:
    return math.nan if v is None else float(v)


#: The informativeness rule (issue 23): an emergent number is *informative* only when its
#: replicate interval could have excluded a clinically different value of the published number.
RATIO_FACTOR = 2.0
"""Ratios (HR, OR and their CI limits): the interval must exclude a halving and a doubling."""
PROPORTION_WIDTH = 0.10
"""Proportions and rates: the interval must exclude the published value +/- 10 percentage
points (0.10 on a 0-1 scale, 10 on a percent scale)."""
TIME_WIDTH = {
    "months": 3.0,
    "month": 3.0,
    "days": 91.0,
    "day": 91.0,
    "weeks": 13.0,
    "week": 13.0,
    "years": 0.25,
    "year": 0.25,
}
"""Medians and other times: the interval must exclude the published value +/- 3 months (91
days, 13 weeks, 0.25 years)."""
OTHER_RTOL = 0.25
"""Any other number (counts, means, doses): the interval must exclude +/- 25% of the value."""

_RATIO_ID = re.compile(r"(^|_)(hr|or|rr)(_|$)")
_PROPORTION_WORDS = re.compile(
    r"\b(rate|proportion|survival|share|lpfr|percent|probability)\b", re.I
)


def _relations(registry: Registry) -> list:
    if registry.path is None:
        return []
    from ..screen.check import _relations_of  # lazy: screen imports this module

    try:
        return list(_relations_of(registry))
    except ValueError:
        return []


@cache
def _ratio_members_cached(path: str, key: str) -> frozenset:
    reg = _load_path(path, key)
    out = set()
    for r in _relations(reg):
        if r.get("rule") == "ratio_ci":
            out.update(str(r[k]) for k in ("estimate", "lower", "upper") if r.get(k))
    return frozenset(out)


def _ratio_members(registry: Registry) -> frozenset:
    if registry.path is None:
        return frozenset()
    return _ratio_members_cached(str(registry.path), registry.key)


def quantities(registry: str | Registry) -> dict[str, str]:
    """Registry id -> the id that names its *distinct quantity*.

    Printings of one quantity are grouped: an entry's ``same_as`` (the same number printed in
    the abstract, the text and a table), and the members of one estimate as the registry's
    relations state them (``ratio_ci``: ratio, limits and p; ``median_ci``: median and limits).
    The representative is the group's estimate (or median) when it has one, else its first id
    in registry order.
    """
    reg = registry if isinstance(registry, Registry) else load(registry)
    parent = {k: k for k in reg}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[rb] = ra

    heads = set()
    for nid, pn in reg.items():
        if pn.same_as:
            union(pn.same_as, nid)
    for r in _relations(reg):
        rule = r.get("rule")
        keys = {
            "ratio_ci": ("estimate", "lower", "upper", "p"),
            "median_ci": ("median", "lower", "upper"),
        }.get(rule)
        if not keys:
            continue
        ids = [str(r[k]) for k in keys if r.get(k) and str(r[k]) in parent]
        if ids:
            heads.add(ids[0])
            for other in ids[1:]:
                union(ids[0], other)
    order = {k: i for i, k in enumerate(reg)}
    groups: dict[str, list] = {}
    for k in reg:
        groups.setdefault(find(k), []).append(k)
    out = {}
    for members in groups.values():
        rep = min(members, key=lambda m: (m not in heads, is_p_value(reg[m]), order[m]))
        for m in members:
            out[m] = rep
    return out


def value_kind(pub: PublishedNumber, registry: Registry | None = None) -> str:
    """The kind of a published number for the informativeness rule: ``"p-value"``, ``"ratio"``,
    ``"proportion"``, ``"time"`` or ``"other"``.

    A ratio is an id with an ``hr``/``or``/``rr`` part or a member (estimate or limit) of a
    ``ratio_ci`` relation of the registry; a proportion has unit ``%`` or is a value in [0, 1]
    whose quantity names a rate, proportion or survival; a time has a unit of days, weeks,
    months or years.
    """
    if is_p_value(pub):
        return "p-value"
    if _RATIO_ID.search(pub.id) or (registry is not None and pub.id in _ratio_members(registry)):
        return "ratio"
    unit = pub.unit.strip().lower()
    if unit == "%" or (0 <= pub.value <= 1 and _PROPORTION_WORDS.search(pub.quantity)):
        return "proportion"
    if unit in TIME_WIDTH:
        return "time"
    return "other"


def _clinical_band(pub: PublishedNumber, kind: str) -> tuple[float, float]:
    """(low, high): the clinically different values on either side of the published one."""
    v = pub.value
    if kind == "ratio":
        return v / RATIO_FACTOR, v * RATIO_FACTOR
    if kind == "proportion":
        w = PROPORTION_WIDTH * (100.0 if pub.unit.strip() == "%" or v > 1 else 1.0)
        return v - w, v + w
    if kind == "time":
        w = TIME_WIDTH[pub.unit.strip().lower()]
        return v - w, v + w
    return v - OTHER_RTOL * abs(v), v + OTHER_RTOL * abs(v)


def informativeness_rule(kind: str | None = None) -> str:
    """The rule, in words (for a chapter or a table footnote)."""
    rules = {
        "ratio": f"a ratio's interval must exclude a halving and a doubling of the published value "
        f"(x1/{RATIO_FACTOR:g} and x{RATIO_FACTOR:g})",
        "proportion": f"a proportion's interval must exclude the published value +/- "
        f"{100 * PROPORTION_WIDTH:g} percentage points",
        "time": "a median or other time must exclude the published value +/- 3 months (91 days)",
        "other": f"any other number must exclude +/- {100 * OTHER_RTOL:g}% of the published value",
        "p-value": "a p-value is not judged by an interval: its replicate median and the share "
        "of replicates below 0.05 are reported, and the effect estimate is judged instead",
    }
    if kind is None:
        return "; ".join(rules.values())
    if kind not in rules:
        raise ValueError(f"kind must be one of {', '.join(rules)}; got {kind!r}")
    return rules[kind]


def _verdict(pub: PublishedNumber, rep: Reproduced, kind: str | None = None) -> dict:
    """Difference, tolerance, verdict and (emergent) replicate summary of one number."""
    out = {
        "difference": math.nan,
        "rep_lower": math.nan,
        "rep_median": math.nan,
        "rep_upper": math.nan,
        "n_replicates": 0,
        "n_nan": 0,
        "share_p05": math.nan,
        "share_bound": math.nan,
    }
    no_value = rep.value is None or (isinstance(rep.value, float) and math.isnan(rep.value))
    if rep.label == "emergent" and (rep.replicates is not None or rep.interval is not None):
        return {**out, **_emergent(pub, rep, kind or value_kind(pub))}
    if no_value:
        return {**out, "verdict": "not reproducible"}
    x = float(rep.value)
    judged = rep.label != "emergent"
    fit = " (the only fit)" if rep.only_fit else ""
    if pub.bound:
        ok = {"<": x < pub.value, "<=": x <= pub.value, ">": x > pub.value, ">=": x >= pub.value}[
            pub.bound
        ]
        word = ("agrees" if ok else "differs") if judged else "not judged (no replicates)"
        return {**out, "verdict": word + f" ({pub.bound}{format_value(pub.value)})" * judged + fit}
    if rep.rtol is not None:
        tol = rep.rtol * abs(pub.value)
    elif rep.tol is not None:
        tol = rep.tol
    else:
        tol = pub.default_tolerance
    diff = x - pub.value
    ok = abs(diff) <= tol * (1 + 1e-9) + 1e-12
    word = ("agrees" if ok else "differs") if judged else "not judged (no replicates)"
    return {
        **out,
        "difference": diff,
        "verdict": word + (f" (±{format_value(tol, 3)})" if judged else "") + fit,
    }


def _emergent(pub: PublishedNumber, rep: Reproduced, kind: str) -> dict:
    """The replicate rule (see :func:`compare`)."""
    h = pub.default_tolerance
    out: dict[str, Any] = {}
    if (
        rep.value is not None
        and not (isinstance(rep.value, float) and math.isnan(rep.value))
        and not pub.bound
    ):
        out["difference"] = float(rep.value) - pub.value
    if rep.interval is not None:
        lo, hi = rep.interval
        med = math.nan
        out.update(n_replicates=0, n_nan=0)
    else:
        arr = rep.replicates
        ok = arr[~np.isnan(arr)]
        out.update(n_replicates=int(arr.size), n_nan=int(arr.size - ok.size))
        if ok.size == 0:
            return {**out, "verdict": f"not judged (all {arr.size} replicates NaN)"}
        if ok.size < MIN_REPLICATES:
            return {
                **out,
                "verdict": f"not judged (too few: {ok.size} of {arr.size} replicates "
                f"gave a value, {MIN_REPLICATES} needed)",
            }
        a = (1 - rep.level) / 2
        lo, med, hi = (float(v) for v in np.quantile(ok, [a, 0.5, 1 - a]))
        if kind == "p-value":
            out["share_p05"] = float(np.mean(ok < 0.05))
        if pub.bound:
            out["share_bound"] = float(
                np.mean(
                    {
                        "<": ok < pub.value,
                        "<=": ok <= pub.value,
                        ">": ok > pub.value,
                        ">=": ok >= pub.value,
                    }[pub.bound]
                )
            )
    out.update(rep_lower=lo, rep_median=med, rep_upper=hi)
    nan_note = (
        f"; {out['n_nan']} of {out['n_replicates']} replicates gave no value"
        if out.get("n_nan")
        else ""
    )
    if kind == "p-value":  # never judged by an interval
        share = out.get("share_p05", math.nan)
        dist = (
            f"replicate median {format_value(med, 2)}"
            if np.isfinite(med)
            else f"interval {format_value(lo, 2)}-{format_value(hi, 2)}"
        )
        if np.isfinite(share):
            dist += f", {100 * share:.0f}% below 0.05"
        return {**out, "verdict": f"p-value, not judged by interval ({dist}{nan_note})"}
    pct = f"{100 * rep.level:g}%"
    if pub.bound in ("<", "<="):
        ok_ = lo < pub.value if pub.bound == "<" else lo <= pub.value
    elif pub.bound in (">", ">="):
        ok_ = hi > pub.value if pub.bound == ">" else hi >= pub.value
    else:  # the published value, read as the interval of values that round to it
        ok_ = pub.value - h <= hi * (1 + 1e-12) and lo * (1 - 1e-12) <= pub.value + h
    if not ok_:
        return {**out, "verdict": f"differs (central {pct} of replicates{nan_note})"}
    if pub.bound:
        informative = False
    else:
        c_lo, c_hi = _clinical_band(pub, kind)
        informative = lo > c_lo and hi < c_hi
    if not informative:
        return {
            **out,
            "verdict": f"uninformative (interval {format_value(lo, 3)} to "
            f"{format_value(hi, 3)}{nan_note})",
        }
    return {**out, "verdict": f"consistent (central {pct} of replicates{nan_note})"}


_VERDICTS = (
    "agrees",
    "consistent",
    "uninformative",
    "p-value",
    "differs",
    "not judged",
    "not reproducible",
)


def _verdict_kind(v: str) -> str:
    for k in _VERDICTS:
        if str(v).startswith(k):
            return k
    return str(v)


__all__ = [
    "MIN_REPLICATES",
    "is_p_value",
    "Reproduced",
    "RATIO_FACTOR",
    "PROPORTION_WIDTH",
    "TIME_WIDTH",
    "OTHER_RTOL",
    "quantities",
    "value_kind",
    "informativeness_rule",
]
