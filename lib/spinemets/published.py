"""The registry of published numbers, and published-vs-reproduced tables.

Each paper's published numbers live in ``data/published/<key>.yaml``, one entry per number, each
with where it comes from (table/figure/text, row, column). A registry file looks like::

    paper: choi2015
    letter: A
    citation: "Choi C, Seong J. ... Gut Liver 2015;9(1):94-102."
    numbers:
      bed10_median:
        quantity: Median BED of the cohort
        value: 44.2
        unit: Gy10
        source: {where: text, section: "Methods, 4. Treatment"}
      table2_cr_bed_p:
        quantity: CR by BED group, p-value
        value: "<0.001"
        source: {where: table, table: "Table 2", row: "BED, Gy10", column: "p-value (CR)"}

Numbers keep their printed precision: ``0.080`` is read as three decimals, so the default
tolerance when comparing is half a unit in the last printed digit (``0.080`` agrees with
anything in [0.0795, 0.0805]). Values such as ``"<0.001"`` are bounds.

Every reproduced number carries one of three labels:

``recomputed``
    computed directly from a published table or schedule (no synthetic data involved);
``by construction``
    the synthetic cohort was built to match it, so agreement proves nothing about the method;
``emergent``
    it came out of running the analysis on the synthetic cohort.
"""

from __future__ import annotations

import dataclasses
import html
import math
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import yaml

from ._results import Result, format_value
from ._validation import check_open_interval
from .paths import PUBLISHED_DIR

PAPERS = {
    "choi2015": "A",
    "sohn2016": "B",
    "lee2015": "C",
    "park2016": "D",
    "separation2024": "E",
}
LABELS = ("recomputed", "by construction", "emergent")
WHERE = ("table", "figure", "text", "abstract", "legend")

_NUMBER = re.compile(
    r"^\s*(?P<op><=|>=|<|>)?\s*(?P<num>[-+]?\d+(?:\.(?P<dec>\d+))?(?:[eE][-+]?\d+)?)\s*$"
)


class _TextLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A YAML loader that keeps numbers as their printed text, so precision is not lost.

    Built on libyaml's C parser (``yaml.CSafeLoader``, about 4x faster on the registries) when
    PyYAML has it, else on the pure-Python ``SafeLoader``; the constructors are the same, so
    both give identical objects."""


def _keep_text(loader, node):
    return _PrintedNumber(loader.construct_scalar(node))


class _PrintedNumber(str):
    pass


def _mapping_without_duplicates(loader, node, deep=False):
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise ValueError(
            f"registry file defines {dup} more than once (line {node.start_mark.line + 1})"
        )
    return loader.construct_mapping(node, deep=deep)


_TextLoader.add_constructor("tag:yaml.org,2002:map", _mapping_without_duplicates)
_TextLoader.add_constructor("tag:yaml.org,2002:float", _keep_text)
_TextLoader.add_constructor("tag:yaml.org,2002:int", _keep_text)


@dataclasses.dataclass(frozen=True)
class PublishedNumber:
    """One published number: its value as printed, and where it was printed."""

    id: str
    quantity: str
    text: str
    value: float
    bound: str | None  # None, "<", "<=", ">", ">="
    decimals: int
    unit: str
    source: dict
    note: str = ""
    same_as: str = ""  # id of the same quantity printed elsewhere (abstract/text/table)

    @property
    def where(self) -> str:
        """Human-readable source, e.g. 'Table 2, row BED, Gy10, column p-value (CR)'."""
        s = self.source
        parts = [s.get("table") or s.get("figure") or s.get("where", "").capitalize()]
        if s.get("section"):
            parts.append(str(s["section"]))
        if s.get("row"):
            parts.append(f"row {s['row']}")
        if s.get("column"):
            parts.append(f"column {s['column']}")
        return ", ".join(p for p in parts if p)

    @property
    def default_tolerance(self) -> float:
        """Half a unit in the last printed digit."""
        return 0.5 * 10.0 ** (-self.decimals)


def parse_printed(text: Any, name: str = "value") -> tuple[float, str | None, int]:
    """Parse a printed number such as ``'0.080'``, ``'<0.001'`` or ``'44.2'``.

    Returns ``(value, bound, decimals)``; raises ValueError for anything else.
    """
    if text is None or isinstance(text, (bool, list, tuple, dict, set)):
        raise ValueError(f"{name} must be a printed number such as 0.080 or <0.001, got {text!r}")
    m = _NUMBER.match(str(text))
    if not m:
        raise ValueError(f"{name} must be a printed number such as 0.080 or <0.001, got {text!r}")
    dec = m.group("dec")
    value = float(m.group("num"))
    if not math.isfinite(value):
        raise ValueError(f"{name} {text!r} is beyond the range of a float")
    decimals = len(dec) if dec else 0
    exp = re.search(r"[eE]([-+]?\d+)$", m.group("num"))
    if exp:  # 1.5e-3 is printed to 4 decimals (tolerance 5e-5), not to 1
        decimals -= int(exp.group(1))
    return value, m.group("op"), decimals


class Registry(Mapping):
    """The published numbers of one paper (a read-only mapping id -> :class:`PublishedNumber`)."""

    def __init__(
        self,
        key: str,
        letter: str,
        citation: str,
        numbers: dict[str, PublishedNumber],
        path: Path | None = None,
    ):
        self.key, self.letter, self.citation, self.numbers, self.path = (
            key,
            letter,
            citation,
            numbers,
            path,
        )
        self.fixed_in_replicates: dict[str, str] = {}

    def __getitem__(self, k: str) -> PublishedNumber:
        try:
            return self.numbers[k]
        except KeyError:
            raise KeyError(f"{self.key} has no published number {k!r}") from None

    def __iter__(self):
        return iter(self.numbers)

    def __len__(self):
        return len(self.numbers)

    def value(self, k: str) -> float:
        """The published value of number ``k`` as a float (a bound such as <0.001 gives 0.001)."""
        return self[k].value

    def table(self) -> pd.DataFrame:
        """All numbers as a DataFrame (id, quantity, published, unit, source)."""
        rows = [
            {
                "id": n.id,
                "quantity": n.quantity,
                "published": n.text,
                "unit": n.unit,
                "source": n.where,
            }
            for n in self.numbers.values()
        ]
        return pd.DataFrame(rows).set_index("id")

    def __repr__(self):
        return f"<Registry {self.key} (paper {self.letter}): {len(self)} published numbers>"


def _parse_entry(key: str, nid: str, raw: Any) -> PublishedNumber:
    where = f"{key}.yaml, number {nid!r}"
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: each number must be a mapping with value and source")
    for field in ("quantity", "value", "source"):
        if field not in raw:
            raise ValueError(f"{where}: missing {field!r}")
    src = raw["source"]
    if not isinstance(src, dict) or src.get("where") not in WHERE:
        raise ValueError(f"{where}: source.where must be one of {', '.join(WHERE)}")
    if src["where"] == "table" and not (src.get("table") and src.get("row")):
        raise ValueError(f"{where}: a number from a table needs source.table and source.row")
    value, bound, decimals = parse_printed(raw["value"], f"{where}: value")
    if "decimals" in raw:
        decimals = int(raw["decimals"])
    return PublishedNumber(
        id=nid,
        quantity=str(raw["quantity"]),
        text=str(raw["value"]),
        value=value,
        bound=bound,
        decimals=decimals,
        unit=str(raw.get("unit", "")),
        source={k: str(v) for k, v in src.items()},
        note=str(raw.get("note", "")),
        same_as=str(raw.get("same_as", "") or ""),
    )


def load(paper: str, directory: str | Path | None = None) -> Registry:
    """Load a paper's published numbers.

    Parameters
    ----------
    paper : {"choi2015", "sohn2016", "lee2015", "park2016", "separation2024"}
        The paper's key.
    directory : path, optional
        Folder holding ``<paper>.yaml`` (default ``data/published``).

    Raises
    ------
    ValueError
        For an unknown paper key or a malformed registry file (the message names the entry).
    """
    if not isinstance(paper, str) or paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}; got {paper!r}")
    path = Path(directory or PUBLISHED_DIR) / f"{paper}.yaml"
    return _load_path(str(path), paper)


def _read_yaml(path: str | Path) -> Any:
    """The parsed content of a registry file, parsed once per process (and again only when the
    file changes: the cache key holds its modification time and size). Callers must not
    modify the returned objects."""
    p = Path(path)
    st = p.stat()
    return _read_yaml_cached(str(p.resolve()), st.st_mtime_ns, st.st_size)


@cache
def _read_yaml_cached(path: str, mtime_ns: int, size: int) -> Any:
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_TextLoader)


@cache
def _load_path(path: str, paper: str) -> Registry:
    p = Path(path)
    if not p.exists():
        raise ValueError(f"no registry file for paper {paper!r} at {p}")
    raw = _read_yaml(p)
    if not isinstance(raw, dict) or raw.get("paper") != paper:
        raise ValueError(f"{p.name}: top-level key 'paper' must be {paper!r}")
    numbers = raw.get("numbers") or {}
    if not isinstance(numbers, dict):
        raise ValueError(f"{p.name}: 'numbers' must be a mapping from id to entry")
    parsed = {nid: _parse_entry(paper, nid, entry) for nid, entry in numbers.items()}
    for nid, pn in parsed.items():
        if pn.same_as and pn.same_as not in parsed:
            raise ValueError(
                f"{p.name}, number {nid!r}: same_as names {pn.same_as!r}, which is not "
                "a number of this registry"
            )
        if pn.same_as == nid:
            raise ValueError(f"{p.name}, number {nid!r}: same_as names the number itself")
    fixed = raw.get("fixed_in_replicates") or {}
    if not isinstance(fixed, dict) or any(k not in parsed for k in fixed):
        raise ValueError(
            f"{p.name}: 'fixed_in_replicates' must map registry ids to the reason "
            "they are fixed across replicates by design"
        )
    reg = Registry(paper, PAPERS[paper], str(raw.get("citation", "")), parsed, p)
    reg.fixed_in_replicates = {str(k): str(v) for k, v in fixed.items()}
    return reg


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
    from .screen.check import _relations_of  # lazy: screen imports this module

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


def _short(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


_COLUMN_ABBREV = [
    ("p-value", "p"),
    ("No. of patients", "n"),
    ("Median survival", "median"),
    ("Coefficient", "coef"),
    ("Nonresponse", "non-resp"),
    ("Response", "resp"),
    ("(printed first)", "1st"),
    ("(printed second)", "2nd"),
    ("(log-rank)", "LR"),
    ("(response)", "resp"),
    ("(Cox)", "Cox"),
    ("(CR)", "CR"),
]


_ROW_ABBREV = [
    ("Pathologic fracture", "Fracture"),
    ("Spinal cord compression", "Cord compr."),
    ("Mass-type metastases", "Mass-type"),
    ("Multiplicity of spinal", "Multiple mets"),
    ("Sites of spinal", "Site"),
    ("Extrahepatic metastases", "Extrahepatic"),
    ("ECOG", "ECOG"),
    ("Child-Pugh", "Child-Pugh"),
    ("Baseline BPI", "BPI"),
    ("Treatment modalities", "Treatment"),
    ("Interval from diagnosis of primary", "Interval"),
    ("Interval from diagnosis of spinal", "Dx to RT"),
    ("Primary HCC", "Primary"),
    ("Radiation dose", "Dose"),
    ("Margin radiation dose", "Margin dose"),
]


def short_source(pub: PublishedNumber, width: int = 32) -> str:
    """A compact source such as ``"T4 · ECOG: 3-4 · median"`` (full text: :attr:`PublishedNumber.where`).

    The table or figure becomes ``T4`` / ``Fig 1``; text, abstract and legend their section;
    rows and columns are abbreviated and the whole is cut at ``width`` characters.
    """
    s = pub.source
    head = s.get("table") or s.get("figure") or ""
    head = re.sub(r"^Table\s*", "T", head)
    head = re.sub(r"^Fig(ure|\.)?\s*", "Fig ", head)
    if not head:
        head = {"text": "Text", "abstract": "Abstract", "legend": "Legend"}.get(
            s.get("where", ""), ""
        )
        if s.get("section"):
            sec = re.sub(r"^Materials and Methods", "Methods", str(s["section"]))
            sec = re.sub(
                r"^(Results|Methods|Discussion),?\s*", lambda m: m.group(1)[:3] + ". ", sec
            )
            sec = re.sub(
                r"^(\w{3}\. \d+)\.?\s+[A-Za-z].*$", r"\1", sec.strip()
            )  # "Met. 4. Treatment"
            head += " " + sec.strip()
    parts = [head.strip()]
    if not (s.get("row") or s.get("column")):  # text, abstract, legend: say what the number is
        parts.append(_short(pub.quantity.split(" (")[0], max(8, width - len(head) - 3)))
    if s.get("row"):
        var, _, level = str(s["row"]).partition(": ")
        var = re.sub(r"\s*\([^()]*\)", "", var.split(",")[0]).strip()
        for a, b in _ROW_ABBREV:
            if var.startswith(a):
                var = b
                break
        if len(var) > 13:
            var = var.split()[0]
        parts.append(var + (": " + _short(level, 9) if level else ""))
    if s.get("column"):
        col = str(s["column"])
        for a, b in _COLUMN_ABBREV:
            col = col.replace(a, b)
        col = re.sub(r"\(([^()]*)\)", r"\1", col)
        parts.append(_short(" ".join(col.split()), 12))
    return _short(" · ".join(p for p in parts if p), width)


def _as_printed(pub: PublishedNumber, x: float) -> str:
    """``x`` at the published number's precision (``<0.001`` when it rounds below a bound's last digit)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    dec = max(pub.decimals, 0)
    floor = 10.0 ** (-dec)
    if is_p_value(pub) and 0 <= x < floor / 2 and dec > 0:
        return f"<{floor:.{dec}f}"
    return f"{x:.{dec}f}"


class Comparison:
    """Published vs reproduced, side by side, with differences, labels and verdicts.

    ``.table`` is a DataFrame indexed by number id with columns ``quantity``, ``source``,
    ``published``, ``reproduced``, ``difference``, ``label``, ``verdict`` and ``note``, and for
    emergent numbers judged on replicates ``rep_lower``, ``rep_median``, ``rep_upper``,
    ``n_replicates``, ``n_nan``, ``share_p05`` (share of replicates with p < 0.05, for a
    p-value: the power the study had if the published effects were true) and ``share_bound``
    (share of replicates satisfying a published bound such as ``<0.001``).
    ``.counts`` tallies the verdicts; ``.summary`` is a one-line sentence.

    In a notebook the comparison renders as a compact table that fits the book's page: a short
    source, published as printed, ours at the same precision, the difference or the replicate
    interval, and label and verdict as small badges with words (not colour alone); notes become
    footnotes under the table. Above :attr:`FOLD_ROWS` rows the view shows the summary and the
    misses, with the full listing folded in ``<details>``.
    """

    FOLD_ROWS = 15

    def __init__(self, registry: Registry, table: pd.DataFrame, digits: int):
        self.registry, self.table, self.digits = registry, table, digits

    @property
    def counts(self) -> dict[str, int]:
        """Verdicts per printed number (see :func:`summary` for distinct quantities).

        ``checked`` = agrees + consistent + uninformative + differs; ``consistent`` counts only
        informative emergent numbers (the replicate interval could have excluded a clinically
        different value); ``uninformative`` ones are never agreement; ``p-value`` counts the
        p-values reported by their replicate distribution (not judged by interval).
        """
        v = self.table["verdict"].map(_verdict_kind)
        c = {k: int((v == k).sum()) for k in _VERDICTS}
        return {
            "checked": c["agrees"] + c["consistent"] + c["uninformative"] + c["differs"],
            "agrees": c["agrees"],
            "differs": c["differs"],
            "not reproducible": c["not reproducible"],
            "consistent": c["consistent"],
            "uninformative": c["uninformative"],
            "p-value": c["p-value"],
            "not judged": c["not judged"],
        }

    @property
    def summary(self) -> str:
        c = self.counts
        q = len(
            set(self.table.get("quantity_id", pd.Series(self.table.index, index=self.table.index)))
        )
        s = f"{len(self.table)} numbers ({q} distinct quantities): {c['agrees']} agree"
        if c["consistent"]:
            s += f", {c['consistent']} consistent with the replicates (informative)"
        if c["uninformative"]:
            s += f", {c['uninformative']} uninformative (replicate interval too wide to tell)"
        s += f", {c['differs']} differ"
        if c["p-value"]:
            s += f"; {c['p-value']} p-values reported by their replicate distribution"
        if c["not judged"]:
            s += f"; {c['not judged']} emergent not judged (no replicate distribution)"
        if c["not reproducible"]:
            s += f"; {c['not reproducible']} not reproducible from what was published"
        return s + "."

    def subset(self, label: str | None = None, verdict: str | None = None, ids=None) -> Comparison:
        """The rows with a given label and/or verdict (``"agrees"``, ``"consistent"``,
        ``"uninformative"``, ``"p-value"``, ``"differs"``, ``"not judged"``,
        ``"not reproducible"``), or ids."""
        t = self.table
        if label is not None:
            if label not in LABELS:
                raise ValueError(f"label must be one of {', '.join(LABELS)}; got {label!r}")
            t = t[t.label == label]
        if verdict is not None:
            if verdict not in _VERDICTS:
                raise ValueError(
                    f"verdict must be one of {', '.join(map(repr, _VERDICTS))}; got {verdict!r}"
                )
            t = t[t.verdict.map(_verdict_kind) == verdict]
        if ids is not None:
            t = t.loc[list(ids)]
        return Comparison(self.registry, t, self.digits)

    def _display(self) -> pd.DataFrame:
        t = self.table.copy()
        for col in ("reproduced", "difference"):
            t[col] = [
                (
                    "—"
                    if (v is None or (isinstance(v, float) and math.isnan(v)))
                    else format_value(round(v, self.digits), 6)
                )
                for v in t[col]
            ]
        return t

    def __repr__(self) -> str:
        cols = ["quantity", "published", "reproduced", "difference", "label", "verdict"]
        t = self._display()
        if "rep_lower" in t and t["rep_lower"].notna().any():
            t["replicates 95%"] = [
                ""
                if not np.isfinite(lo)
                else f"{format_value(lo, 3)} to {format_value(hi, 3)}"
                + (f" (median {format_value(m, 3)})" if np.isfinite(m) else "")
                + (f", p<0.05 in {100 * s:.0f}%" if np.isfinite(s) else "")
                for lo, hi, m, s in zip(
                    self.table.rep_lower,
                    self.table.rep_upper,
                    self.table.rep_median,
                    self.table.share_p05,
                )
            ]
            cols.append("replicates 95%")
        with pd.option_context(
            "display.max_colwidth", 60, "display.width", 200, "display.max_rows", 500
        ):
            return (
                f"{self.registry.key} (paper {self.registry.letter}): {self.summary}\n"
                + t[cols].to_string()
            )

    # ------------------------------------------------------------------ compact HTML view

    _LABEL_SHORT = {"recomputed": "recomp.", "by construction": "constr.", "emergent": "emerg."}
    _VERDICT_SHORT = {
        "agrees": "agrees",
        "consistent": "consistent",
        "differs": "differs",
        "uninformative": "uninform.",
        "p-value": "p: distr.",
        "not judged": "not judged",
        "not reproducible": "n/a",
    }

    def _rows_html(self, t: pd.DataFrame, notes: dict) -> str:
        esc = html.escape
        body = []
        for nid, r in t.iterrows():
            pub = self.registry[nid]
            kind = _verdict_kind(r["verdict"])
            mark = ""
            if r.get("note"):
                k = notes.setdefault(str(r["note"]), len(notes) + 1)
                mark = f"<sup class='sm-fn'><a href='#' title='{esc(str(r['note']))}'>{k}</a></sup>"
            ours = _as_printed(pub, _num(r["reproduced"]))
            if np.isfinite(_num(r.get("rep_lower"))):
                lo, hi = _as_printed(pub, r["rep_lower"]), _as_printed(pub, r["rep_upper"])
                extra = []
                if np.isfinite(_num(r.get("rep_median"))):
                    extra.append(f"med {_as_printed(pub, r['rep_median'])}")
                if np.isfinite(_num(r.get("share_p05"))):
                    extra.append(f"p&lt;.05 {100 * r['share_p05']:.0f}%")
                if r.get("n_nan"):
                    extra.append(f"{int(r['n_nan'])} NaN")
                spread = f"{esc(lo)}–{esc(hi)}" + (
                    f"<br><span class='sm-sub'>{' · '.join(extra)}</span>" if extra else ""
                )
            elif np.isfinite(_num(r.get("difference"))):
                d = float(r["difference"])
                nd = max(pub.decimals, 0) + 1
                spread = "0" if round(d, nd) == 0 else f"{d:+.{nd}f}"
            else:
                spread = ""
            lab = str(r["label"])
            verdict_title = esc(str(r["verdict"]))
            body.append(
                f"<tr><td class='sm-src' title='{esc(pub.quantity + ' — ' + pub.where)}'>"
                f"{esc(short_source(pub))}</td>"
                f"<td class='sm-num'>{esc(pub.text)}</td><td class='sm-num'>{esc(ours)}{mark}</td>"
                f"<td class='sm-num'>{spread}</td>"
                f"<td><span class='sm-badge sm-l-{lab.split()[-1]}' title='{esc(lab)}'>"
                f"{esc(self._LABEL_SHORT.get(lab, lab))}</span> "
                f"<span class='sm-badge sm-v-{kind.replace(' ', '-')}' title='{verdict_title}'>"
                f"{esc(self._VERDICT_SHORT.get(kind, kind))}</span></td></tr>"
            )
        return "".join(body)

    def _table_html(self, t: pd.DataFrame, notes: dict) -> str:
        head = (
            "<thead><tr><th>source</th><th>published</th><th>ours</th>"
            "<th>diff. / replicates 95%</th><th>label · verdict</th></tr></thead>"
        )
        return f"<table class='spinemets-compare'>{head}<tbody>{self._rows_html(t, notes)}</tbody></table>"

    def _repr_html_(self) -> str:
        esc = html.escape
        notes: dict[str, int] = {}
        out = [
            f"<div class='spinemets-compare-wrap'><p class='sm-summary'><b>{esc(self.summary)}</b></p>"
        ]
        t = self.table
        if len(t) > self.FOLD_ROWS:
            miss = t[t.verdict.map(_verdict_kind) == "differs"]
            if len(miss):
                out.append(
                    f"<p class='sm-caption'>Differs ({len(miss)}):</p>"
                    + self._table_html(miss, notes)
                )
            else:
                out.append("<p class='sm-caption'>No number differs.</p>")
            shown = dict(notes)  # footnotes of the visible misses stay visible
            if shown:
                items = "".join(f"<li value='{k}'>{esc(n)}</li>" for n, k in shown.items())
                out.append(f"<ol class='sm-notes'>{items}</ol>")
            full = self._table_html(t, notes)
            folded = {n: k for n, k in notes.items() if n not in shown}
            items = "".join(f"<li value='{k}'>{esc(n)}</li>" for n, k in folded.items())
            # the full listing's own footnotes fold with it
            out.append(
                f"<details><summary>All {len(t)} numbers</summary>{full}"
                + (f"<ol class='sm-notes'>{items}</ol>" if items else "")
                + "</details>"
            )
            return "".join(out) + "</div>"
        out.append(self._table_html(t, notes))
        if notes:
            items = "".join(f"<li value='{k}'>{esc(n)}</li>" for n, k in notes.items())
            out.append(f"<ol class='sm-notes'>{items}</ol>")
        return "".join(out) + "</div>"


def compare(
    paper: str | Registry, reproduced: Mapping[str, Any], label: str | None = None, digits: int = 4
) -> Comparison:
    """Render published vs reproduced numbers side by side, with a verdict per number.

    Verdicts by label:

    - **recomputed** and **by construction**: "agrees" when the reproduced value is within half a
      unit of the published number's last printed digit (or the ``tol``/``rtol`` of the
      :class:`Reproduced`), else "differs"; a published bound (``<0.001``) must be satisfied.
    - **emergent** with ``replicates`` (the statistic over replicate cohorts, see
      :mod:`spinemets.cohorts.replication`): NaN replicates are dropped and counted; with fewer
      than :data:`MIN_REPLICATES` valid values the verdict is "not judged (too few ...)", with
      none "not judged (all N replicates NaN)". Otherwise the central ``level`` interval
      (default 95%, :func:`numpy.quantile`, linear) is computed. The verdict is "differs" when
      the published value, read as the interval of values that round to it, does not overlap
      it. Otherwise it is "consistent" only when the verdict could have failed: the interval
      excludes a clinically different value on both sides (:func:`informativeness_rule`: a
      ratio's halving and doubling, a proportion +/- 10 points, a time +/- 3 months, anything
      else +/- 25%); else it is "uninformative (interval lo to hi)", which is never agreement.
      A published **bound** (``<0.001``) that the interval meets is uninformative.
      **p-values are not judged by an interval**: the verdict "p-value, not judged by interval"
      reports the replicate median and the share of replicates with p < 0.05 (judge the effect
      estimate instead). ``interval=(lo, hi)`` gives the interval directly.
    - **emergent** without replicates: the difference is shown, the verdict is
      "not judged (no replicates)": one synthetic cohort cannot say whether a study of this
      size would often have printed the published number.

    Parameters
    ----------
    paper : str or Registry
        A paper key (see :func:`load`) or an already loaded registry.
    reproduced : mapping
        Number id -> :class:`Reproduced`, or id -> plain value when ``label`` is given for all.
    label : {"recomputed", "by construction", "emergent"}, optional
        Label applied to plain values.
    digits : int
        Decimals shown for reproduced values and differences in the text view.

    Returns
    -------
    Comparison

    Raises
    ------
    ValueError
        For an id not in the registry, a plain value without a label, or an unknown label.

    References
    ----------
    Morris TP, White IR, Crowther MJ. Using simulation studies to evaluate statistical methods.
    Stat Med 2019;38:2074-2102. doi:10.1002/sim.8086

    Examples
    --------
    >>> from spinemets import published, radiobiology as rb
    >>> published.compare("choi2015", {"bed10_min": rb.bed(8, 1, 10)}, label="recomputed")  # doctest: +SKIP
    """
    reg = paper if isinstance(paper, Registry) else load(paper)
    if not isinstance(reproduced, Mapping):
        raise ValueError(
            f"reproduced must be a mapping from number id to value, got {type(reproduced).__name__}"
        )
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 0:
        raise ValueError(f"digits must be a whole number >= 0, got {digits!r}")
    rows = []
    qid = quantities(reg)
    for nid, rep in reproduced.items():
        pub = reg[nid] if nid in reg else None
        if pub is None:
            raise ValueError(
                f"reproduced names {nid!r}, which is not a published number of {reg.key}"
            )
        if not isinstance(rep, Reproduced):
            if label is None:
                raise ValueError(
                    f"reproduced[{nid!r}] is a plain value: pass label=... or a Reproduced(...)"
                )
            if rep is not None and (
                isinstance(rep, (bool, str)) or not isinstance(rep, (int, float, np.number))
            ):
                raise ValueError(f"reproduced[{nid!r}] must be a number (or None), got {rep!r}")
            rep = Reproduced(None if rep is None else float(rep), label)
        v = _verdict(pub, rep, value_kind(pub, reg))
        rows.append(
            {
                "id": nid,
                "quantity": pub.quantity,
                "source": pub.where,
                "published": pub.text + (f" {pub.unit}" if pub.unit else ""),
                "reproduced": None if rep.value is None else float(rep.value),
                "difference": v["difference"],
                "label": rep.label,
                "verdict": v["verdict"],
                "note": rep.note,
                "quantity_id": qid[nid],
                "only_fit": bool(rep.only_fit),
                "sources": ", ".join(rep.sources),
                **{
                    k: v[k]
                    for k in (
                        "rep_lower",
                        "rep_median",
                        "rep_upper",
                        "n_replicates",
                        "n_nan",
                        "share_p05",
                        "share_bound",
                    )
                },
            }
        )
    if not rows:
        raise ValueError("reproduced must name at least one published number")
    table = pd.DataFrame(rows).set_index("id")
    return Comparison(reg, table, digits)


def from_replicates(
    paper: str | Registry,
    values: Mapping[str, Any],
    replicates: pd.DataFrame | None = None,
    ids=None,
    notes: Mapping[str, str] | None = None,
    level: float = 0.95,
    directory: str | Path | None = None,
) -> dict[str, Reproduced]:
    """Emergent :class:`Reproduced` objects from a replicates table, ready for :func:`compare`.

    Parameters
    ----------
    paper : str or Registry
    values : mapping
        Registry id -> the value on the committed cohort (e.g. ``spinemets.analyses.analyse``).
    replicates : DataFrame, optional
        One column per registry id, one row per replicate; default: read
        ``data/replicates/<paper>.csv`` (written by ``python -m spinemets.cohorts replicates``).
    ids : iterable of str, optional
        Restrict to these ids (default: every id in ``values``).
    notes : mapping, optional
        Id -> note for the table.
    level : float
        Central interval (default 0.95).
    directory : path, optional
        Folder of the replicates CSV (default ``data/replicates``).

    Returns
    -------
    dict
        Id -> ``Reproduced(value, "emergent", replicates=column)``; an id without a replicate
        column gets ``Reproduced(value, "emergent")`` (verdict "not judged (no replicates)").
        An id the registry lists under ``fixed_in_replicates`` (a number every replicate keeps
        by design, such as a statistic of a published table the replicates hold fixed) is
        returned as ``Reproduced(value, "recomputed")`` (a computation from the published
        tables, judged to the printed precision) with the registry's reason as its note: it has
        no replicate distribution, is not an emergent verdict, and :func:`summary` counts it
        apart (``fixed_by_design``), outside the verdict counts.

    Raises
    ------
    ValueError
        If an id is not in the registry, the replicates file is missing, or a column is
        constant across replicates without being listed under ``fixed_in_replicates`` (a
        constant or fabricated distribution, e.g. ``np.full(...)``, cannot judge anything).
    """
    reg = paper if isinstance(paper, Registry) else load(paper)
    if replicates is None:
        path = Path(directory or (PUBLISHED_DIR.parent / "replicates")) / f"{reg.key}.csv"
        if not path.exists():
            raise ValueError(
                f"no replicates for {reg.key} at {path}; run "
                f"python -m spinemets.cohorts replicates --paper {reg.key}"
            )
        replicates = pd.read_csv(path, index_col="replicate", dtype=float)
    if not isinstance(replicates, pd.DataFrame):
        raise ValueError("replicates must be a DataFrame with one column per registry id")
    # names starting with "_" are not numbers but how one was got (e.g. _firth:<id>)
    ids = [k for k in values if not str(k).startswith("_")] if ids is None else list(ids)
    notes = dict(notes or {})
    qid = quantities(reg)
    out = {}
    for nid in ids:
        if nid not in reg:
            raise ValueError(f"id {nid!r} is not a published number of {reg.key}")
        if nid not in values:
            raise ValueError(f"ids names {nid!r}, which values does not give")
        v = values[nid]
        v = None if v is None else float(v)
        if nid in reg.fixed_in_replicates:
            # the same in every replicate: a computation from the published tables the
            # replicates keep, judged to the printed precision and left out of summary() counts
            out[nid] = Reproduced(
                v,
                "recomputed",
                note=notes.get(nid)
                or f"fixed across replicates by design: {reg.fixed_in_replicates[nid]}",
            )
        elif nid in replicates.columns:
            note = notes.get(nid, "")
            firth = [
                c
                for c in replicates.columns
                if str(c).startswith("_firth:")
                and str(c)[7:] in reg
                and qid[str(c)[7:]] == qid[nid]
            ]
            if firth:  # say which replicates were fitted with Firth's penalty (never dropped)
                k = int(np.nansum(replicates[firth[0]].to_numpy(float)))
                if k:
                    note = (note + "; " if note else "") + (
                        f"{k} of {len(replicates)} replicates separated (maximum likelihood runs "
                        "to infinity) and were fitted with Firth's penalised likelihood"
                    )
            try:
                out[nid] = Reproduced(
                    v,
                    "emergent",
                    note=note,
                    replicates=replicates[nid].to_numpy(float),
                    level=level,
                )
            except ValueError as e:
                raise ValueError(f"replicates of {reg.key}, column {nid!r}: {e}") from None
        else:
            out[nid] = Reproduced(v, "emergent", note=notes.get(nid, ""))
    return out


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
    v, bound, dec = parse_printed(text, name)
    h = 0.5 * 10.0 ** (-dec)
    return v, v - h, v + h, bound


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
    # range of the implied p over every rounding of the three printed numbers
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


def concat(*comparisons: Comparison) -> Comparison:
    """Stack comparisons of the same paper into one table (e.g. for a chapter's summary line)."""
    if not comparisons:
        raise ValueError("concat needs at least one Comparison")
    bad = [type(c).__name__ for c in comparisons if not isinstance(c, Comparison)]
    if bad:
        raise ValueError(f"concat takes Comparison objects (from compare), got {bad}")
    keys = {c.registry.key for c in comparisons}
    if len(keys) != 1:
        raise ValueError(f"all comparisons must be of one paper, got {sorted(keys)}")
    table = pd.concat([c.table for c in comparisons])
    if table.index.duplicated().any():
        raise ValueError(
            f"number(s) compared twice: {sorted(set(table.index[table.index.duplicated()]))}"
        )
    return Comparison(comparisons[0].registry, table, max(c.digits for c in comparisons))


_CATEGORIES = (
    "agrees",
    "only fit",
    "informative",
    "uninformative",
    "differs",
    "p-value",
    "not reproducible",
    "not judged",
)


@dataclasses.dataclass(frozen=True, repr=False)
class VerdictSummary(Result):
    """Every verdict count a chapter prints, counted over *distinct quantities*.

    A quantity is a number together with its other printings (``same_as`` in the registry) and
    the other members of its estimate (ratio, limits and p; median and limits). Its category
    comes from its printings, first that applies: **differs** (any printing differs),
    **agrees** (a recomputation that could have failed agrees), **only fit** (agrees only
    because the recomputation was chosen as the only fit), **informative** (an emergent
    estimate whose replicate interval could have excluded a clinically different value and
    did not), **uninformative**, **p-value** (a p-value alone, reported by its replicate
    distribution), **not reproducible**, **not judged**. Numbers labelled *by construction*
    (the cohort was built to hit them, or the replicates keep them fixed by design) are not
    verdicts: they are listed as targets met or missed within their tolerance, never as an
    agreement rate. Numbers the replicates keep fixed by design (``fixed_in_replicates`` in the
    registry) are counted apart (``fixed_by_design``) and left out of every other count.
    """

    _title: ClassVar[str] = "Verdicts, counted over distinct quantities"
    paper: str
    printings: int
    quantities: int
    agrees: int
    only_fit: int
    informative: int
    uninformative: int
    differs: int
    p_values: int
    not_reproducible: int
    not_judged: int
    targets_met: int
    targets_missed: int
    fixed_by_design: int
    text: str
    table: pd.DataFrame

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return f"<p class='sm-summary'>{html.escape(self.text)}</p>"


def _quantity_category(rows: pd.DataFrame) -> str:
    kinds = rows["verdict"].map(_verdict_kind)
    fit = rows.get("only_fit", pd.Series(False, index=rows.index)).fillna(False).astype(bool)
    if (kinds == "differs").any():
        return "differs"
    if ((kinds == "agrees") & ~fit).any():
        return "agrees"
    if ((kinds == "agrees") & fit).any():
        return "only fit"
    for k, name in (
        ("consistent", "informative"),
        ("uninformative", "uninformative"),
        ("p-value", "p-value"),
        ("not reproducible", "not reproducible"),
    ):
        if (kinds == k).any():
            return name
    return "not judged"


def summary(paper: str | Comparison, *comparisons: Comparison) -> VerdictSummary:
    """Verdict counts over distinct quantities, for a chapter to print (issue 23).

    Parameters
    ----------
    paper : str or Comparison
        A paper key: the emergent verdicts of the paper's whole analysis (the committed cohort
        analysed by :mod:`spinemets.analyses`, judged on ``data/replicates/<paper>.csv`` by
        :func:`from_replicates`). Or a :class:`Comparison` (with more in ``comparisons``, all of
        one paper): the verdicts a chapter built.

    Returns
    -------
    VerdictSummary
        Counts per category (see :class:`VerdictSummary`), the per-quantity table and a
        readable sentence (``str(result)``).
    """
    if isinstance(paper, Comparison):
        comp = concat(paper, *comparisons) if comparisons else paper
    else:
        if comparisons:
            raise ValueError("comparisons may only follow a Comparison, not a paper key")
        reg = load(paper)
        from . import analyses, cohorts

        values = analyses.analyse(reg.key, cohorts.load(reg.key))
        comp = compare(reg, from_replicates(reg, values))
    reg = comp.registry
    t = comp.table.copy()
    if "quantity_id" not in t:
        qid = quantities(reg)
        t["quantity_id"] = [qid[i] for i in t.index]
    fixed = t.index.isin(list(reg.fixed_in_replicates)) & t["note"].astype(str).str.startswith(
        "fixed across replicates by design"
    )
    constr = t[(t.label == "by construction") & ~fixed]
    judged = t[(t.label != "by construction") & ~fixed]
    rows = []
    for q, g in judged.groupby("quantity_id", sort=False):
        rows.append(
            {
                "quantity_id": q,
                "quantity": reg[q].quantity,
                "printings": len(g),
                "ids": ", ".join(g.index),
                "category": _quantity_category(g),
            }
        )
    qt = pd.DataFrame(rows, columns=["quantity_id", "quantity", "printings", "ids", "category"])
    n = {c: int((qt["category"] == c).sum()) for c in _CATEGORIES}
    ck = constr.verdict.map(_verdict_kind)
    met, missed = int((ck == "agrees").sum()), int((ck == "differs").sum())
    text = (
        f"{reg.key} (paper {reg.letter}): {len(judged)} printings of {len(qt)} distinct quantities "
        f"judged: {n['agrees']} recomputed and agree, {n['informative']} informative emergent "
        f"(the replicates could have excluded a clinically different value, and did not), "
        f"{n['uninformative']} uninformative, {n['differs']} differ, {n['p-value']} p-values "
        f"reported by their replicate distribution, {n['not reproducible']} not reproducible"
    )
    if n["only fit"]:
        text += f", {n['only fit']} agree only as the one fit (could not have failed)"
    if n["not judged"]:
        text += f", {n['not judged']} not judged"
    text += "."
    if len(constr):
        text += (
            f" By construction (not a result): {met} targets met and {missed} missed "
            f"within their tolerance."
        )
    if fixed.any():
        text += (
            f" {int(fixed.sum())} printings are fixed across replicates by design (the "
            "published tables every replicate keeps) and are not counted."
        )
    return VerdictSummary(
        reg.key,
        int(len(judged)),
        int(len(qt)),
        n["agrees"],
        n["only fit"],
        n["informative"],
        n["uninformative"],
        n["differs"],
        n["p-value"],
        n["not reproducible"],
        n["not judged"],
        met,
        missed,
        int(fixed.sum()),
        text,
        qt.set_index("quantity_id"),
    )


__all__ = [
    "check_ratio",
    "RatioCheck",
    "PAPERS",
    "LABELS",
    "MIN_REPLICATES",
    "PublishedNumber",
    "Registry",
    "Reproduced",
    "Comparison",
    "load",
    "compare",
    "concat",
    "parse_printed",
    "from_replicates",
    "short_source",
    "is_p_value",
    "summary",
    "VerdictSummary",
    "quantities",
    "value_kind",
    "informativeness_rule",
    "RATIO_FACTOR",
    "PROPORTION_WIDTH",
    "TIME_WIDTH",
    "OTHER_RTOL",
]
