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
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd
import yaml

from typing import ClassVar

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

_NUMBER = re.compile(r"^\s*(?P<op><=|>=|<|>)?\s*(?P<num>[-+]?\d+(?:\.(?P<dec>\d+))?(?:[eE][-+]?\d+)?)\s*$")


class _TextLoader(yaml.SafeLoader):
    """A YAML loader that keeps numbers as their printed text, so precision is not lost."""


def _keep_text(loader, node):
    return _PrintedNumber(loader.construct_scalar(node))


class _PrintedNumber(str):
    pass


def _mapping_without_duplicates(loader, node, deep=False):
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise ValueError(f"registry file defines {dup} more than once (line {node.start_mark.line + 1})")
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
    bound: str | None          # None, "<", "<=", ">", ">="
    decimals: int
    unit: str
    source: dict
    note: str = ""

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
    m = _NUMBER.match(str(text))
    if not m:
        raise ValueError(f"{name} must be a printed number such as 0.080 or <0.001, got {text!r}")
    dec = m.group("dec")
    return float(m.group("num")), m.group("op"), len(dec) if dec else 0


class Registry(Mapping):
    """The published numbers of one paper (a read-only mapping id -> :class:`PublishedNumber`)."""

    def __init__(self, key: str, letter: str, citation: str, numbers: dict[str, PublishedNumber], path: Path | None = None):
        self.key, self.letter, self.citation, self.numbers, self.path = key, letter, citation, numbers, path

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
        rows = [{"id": n.id, "quantity": n.quantity, "published": n.text, "unit": n.unit, "source": n.where}
                for n in self.numbers.values()]
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
        id=nid, quantity=str(raw["quantity"]), text=str(raw["value"]), value=value, bound=bound,
        decimals=decimals, unit=str(raw.get("unit", "")), source={k: str(v) for k, v in src.items()},
        note=str(raw.get("note", "")),
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
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}; got {paper!r}")
    path = Path(directory or PUBLISHED_DIR) / f"{paper}.yaml"
    return _load_path(str(path), paper)


@lru_cache(maxsize=None)
def _load_path(path: str, paper: str) -> Registry:
    p = Path(path)
    if not p.exists():
        raise ValueError(f"no registry file for paper {paper!r} at {p}")
    raw = yaml.load(p.read_text(encoding="utf-8"), Loader=_TextLoader)
    if not isinstance(raw, dict) or raw.get("paper") != paper:
        raise ValueError(f"{p.name}: top-level key 'paper' must be {paper!r}")
    numbers = raw.get("numbers") or {}
    if not isinstance(numbers, dict):
        raise ValueError(f"{p.name}: 'numbers' must be a mapping from id to entry")
    parsed = {nid: _parse_entry(paper, nid, entry) for nid, entry in numbers.items()}
    return Registry(paper, PAPERS[paper], str(raw.get("citation", "")), parsed, p)


@dataclasses.dataclass(frozen=True)
class Reproduced:
    """A reproduced number with its label and, optionally, its own tolerance.

    Parameters
    ----------
    value : float or None
        The reproduced number; None when it cannot be reproduced (say why in ``note``).
    label : {"recomputed", "by construction", "emergent"}
    tol : float, optional
        Absolute tolerance; default half a unit in the published number's last digit.
    rtol : float, optional
        Relative tolerance (of the published value), used instead of ``tol``.
    note : str
        A short explanation shown in the table (e.g. which test a p-value matches).
    """

    value: float | None
    label: str
    tol: float | None = None
    rtol: float | None = None
    note: str = ""

    def __post_init__(self):
        if self.label not in LABELS:
            raise ValueError(f"label must be one of {', '.join(LABELS)}; got {self.label!r}")
        for name in ("tol", "rtol"):
            v = getattr(self, name)
            if v is not None and not (isinstance(v, (int, float)) and v >= 0 and math.isfinite(v)):
                raise ValueError(f"{name} must be a non-negative number, got {v!r}")


def _verdict(pub: PublishedNumber, rep: Reproduced) -> tuple[float, float, str]:
    if rep.value is None or (isinstance(rep.value, float) and math.isnan(rep.value)):
        return math.nan, math.nan, "not reproducible"
    x = float(rep.value)
    if pub.bound:
        ok = {"<": x < pub.value, "<=": x <= pub.value, ">": x > pub.value, ">=": x >= pub.value}[pub.bound]
        return math.nan, math.nan, ("agrees" if ok else "differs") + f" ({pub.bound}{format_value(pub.value)})"
    if rep.rtol is not None:
        tol = rep.rtol * abs(pub.value)
    elif rep.tol is not None:
        tol = rep.tol
    else:
        tol = pub.default_tolerance
    diff = x - pub.value
    ok = abs(diff) <= tol * (1 + 1e-9) + 1e-12
    return diff, tol, ("agrees" if ok else "differs") + f" (±{format_value(tol, 3)})"


class Comparison:
    """Published vs reproduced, side by side, with differences, labels and verdicts.

    ``.table`` is a DataFrame indexed by number id with columns ``quantity``, ``source``,
    ``published``, ``reproduced``, ``difference``, ``label``, ``verdict`` and ``note``;
    ``.counts`` tallies the verdicts; ``.summary`` is a one-line sentence.
    """

    def __init__(self, registry: Registry, table: pd.DataFrame, digits: int):
        self.registry, self.table, self.digits = registry, table, digits

    @property
    def counts(self) -> dict[str, int]:
        v = self.table["verdict"].str.split(" ").str[0]
        return {"checked": int((v != "not").sum()), "agrees": int((v == "agrees").sum()),
                "differs": int((v == "differs").sum()), "not reproducible": int((v == "not").sum())}

    @property
    def summary(self) -> str:
        c = self.counts
        s = f"{c['checked']} numbers checked: {c['agrees']} agree, {c['differs']} differ"
        if c["not reproducible"]:
            s += f"; {c['not reproducible']} not reproducible from what was published"
        return s + "."

    def subset(self, label: str | None = None, verdict: str | None = None, ids=None) -> "Comparison":
        """The rows with a given label and/or verdict ("agrees", "differs", "not reproducible"), or ids."""
        t = self.table
        if label is not None:
            if label not in LABELS:
                raise ValueError(f"label must be one of {', '.join(LABELS)}; got {label!r}")
            t = t[t.label == label]
        if verdict is not None:
            if verdict not in ("agrees", "differs", "not reproducible"):
                raise ValueError(f"verdict must be 'agrees', 'differs' or 'not reproducible'; got {verdict!r}")
            t = t[t.verdict.str.startswith(verdict)]
        if ids is not None:
            t = t.loc[list(ids)]
        return Comparison(self.registry, t, self.digits)

    def _display(self) -> pd.DataFrame:
        t = self.table.copy()
        for col in ("reproduced", "difference"):
            t[col] = [("—" if (v is None or (isinstance(v, float) and math.isnan(v))) else format_value(round(v, self.digits), 6))
                      for v in t[col]]
        return t

    def __repr__(self) -> str:
        cols = ["quantity", "published", "reproduced", "difference", "label", "verdict"]
        with pd.option_context("display.max_colwidth", 60, "display.width", 200, "display.max_rows", 500):
            return f"{self.registry.key} (paper {self.registry.letter}): {self.summary}\n" + self._display()[cols].to_string()

    def _repr_html_(self) -> str:
        t = self._display().reset_index(drop=True)
        colours = {"agrees": "#1b7837", "differs": "#b2182b", "not": "#777777"}
        head = "".join(f"<th>{html.escape(c)}</th>" for c in t.columns)
        body = ""
        for _, r in t.iterrows():
            colour = colours.get(str(r["verdict"]).split(" ")[0], "inherit")
            cells = "".join(
                f"<td style='color:{colour};font-weight:600'>{html.escape(str(v))}</td>" if c == "verdict"
                else f"<td>{html.escape(str(v))}</td>" for c, v in r.items())
            body += f"<tr>{cells}</tr>"
        return (f"<p><b>{html.escape(self.summary)}</b></p>"
                f"<table class='spinemets-compare'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def compare(paper: str | Registry, reproduced: Mapping[str, Any], label: str | None = None, digits: int = 4) -> Comparison:
    """Render published vs reproduced numbers side by side.

    Parameters
    ----------
    paper : str or Registry
        A paper key (see :func:`load`) or an already loaded registry.
    reproduced : mapping
        Number id -> :class:`Reproduced`, or id -> plain value when ``label`` is given for all.
    label : {"recomputed", "by construction", "emergent"}, optional
        Label applied to plain values.
    digits : int
        Decimals shown for reproduced values and differences.

    Returns
    -------
    Comparison

    Raises
    ------
    ValueError
        For an id not in the registry, a plain value without a label, or an unknown label.

    Examples
    --------
    >>> from spinemets import published, radiobiology as rb
    >>> published.compare("choi2015", {"bed10_min": rb.bed(8, 1, 10)}, label="recomputed")  # doctest: +SKIP
    """
    reg = paper if isinstance(paper, Registry) else load(paper)
    rows = []
    for nid, rep in reproduced.items():
        pub = reg[nid] if nid in reg else None
        if pub is None:
            raise ValueError(f"reproduced names {nid!r}, which is not a published number of {reg.key}")
        if not isinstance(rep, Reproduced):
            if label is None:
                raise ValueError(f"reproduced[{nid!r}] is a plain value: pass label=... or a Reproduced(...)")
            rep = Reproduced(None if rep is None else float(rep), label)
        diff, tol, verdict = _verdict(pub, rep)
        rows.append({
            "id": nid, "quantity": pub.quantity, "source": pub.where, "published": pub.text + (f" {pub.unit}" if pub.unit else ""),
            "reproduced": None if rep.value is None else float(rep.value), "difference": diff,
            "label": rep.label, "verdict": verdict, "note": rep.note,
        })
    if not rows:
        raise ValueError("reproduced must name at least one published number")
    table = pd.DataFrame(rows).set_index("id")
    return Comparison(reg, table, digits)


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


def _interval(text: Any) -> tuple[float, float, float, str | None]:
    v, bound, dec = parse_printed(text)
    h = 0.5 * 10.0 ** (-dec)
    return v, v - h, v + h, bound


def check_ratio(estimate: Any, lower: Any, upper: Any, p: Any = None, coef: Any = None, level: float = 0.95) -> RatioCheck:
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
    est, est_lo, est_hi, _ = _interval(estimate)
    a, a_lo, a_hi, _ = _interval(lower)
    b, b_lo, b_hi, _ = _interval(upper)
    for name, v in (("estimate", est_lo), ("lower", a_lo), ("upper", b_lo)):
        if v <= 0:
            raise ValueError(f"{name} must be a positive ratio as printed, got {locals().get(name)!r}")
    transposed = a > b
    if transposed:
        a, a_lo, a_hi, b, b_lo, b_hi = b, b_lo, b_hi, a, a_lo, a_hi
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
        pv, pv_lo, pv_hi, bound = _interval(p)
        if bound in ("<", "<="):
            p_ok = p_range[0] < pv
        elif bound in (">", ">="):
            p_ok = p_range[1] > pv
        else:
            p_ok = p_range[0] <= pv_hi and pv_lo <= p_range[1]
    c_val = c_exp = c_ok = None
    if coef is not None:
        c_val, c_lo, c_hi, _ = _interval(coef)
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
    return RatioCheck(est, a, b, transposed, gm, matches, se, implied, p_range, p_text, p_ok, c_val, c_exp, c_ok, verdict)


def concat(*comparisons: Comparison) -> Comparison:
    """Stack comparisons of the same paper into one table (e.g. for a chapter's summary line)."""
    if not comparisons:
        raise ValueError("concat needs at least one Comparison")
    keys = {c.registry.key for c in comparisons}
    if len(keys) != 1:
        raise ValueError(f"all comparisons must be of one paper, got {sorted(keys)}")
    table = pd.concat([c.table for c in comparisons])
    if table.index.duplicated().any():
        raise ValueError(f"number(s) compared twice: {sorted(set(table.index[table.index.duplicated()]))}")
    return Comparison(comparisons[0].registry, table, max(c.digits for c in comparisons))


__all__ = ["check_ratio", "RatioCheck", "PAPERS", "LABELS", "PublishedNumber", "Registry", "Reproduced", "Comparison", "load", "compare", "concat", "parse_printed"]
