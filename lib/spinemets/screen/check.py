"""Reading relations, checking them as input, and running the rules over a registry.

Input errors (a misspelt field, a missing field, a flag written as a string, an id the registry
lacks, a number id that reads as a number) are collected in one pass over every relation and
raised together as one :class:`ScreenInputError` (a ``ValueError``) with one line per problem:
``file:line: relation N (rule): field 'x': what is wrong``.
"""

from __future__ import annotations

import dataclasses
import html
import textwrap
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
import yaml

from .._results import Result
from . import peers as _peers  # noqa: F401  (registers the peers' rules)
from . import rules as _rules  # noqa: F401  (registers the classic rules, first)
from . import survival as _survival  # noqa: F401  (registers the survival rules)
from ._base import COMMON, SPECS, NotApplicable, NotCheckable, Numbers
from .printed import is_number_text

WHOLE_COUNTS = ("n", "count", "denominator", "pairs", "events", "at_risk")
"""Fields that are counts of patients or units: whole numbers from 0 to 1e15 (rule 4 of the
input contract); degrees of freedom may be fractional (Welch)."""
VERDICTS = ("consistent", "inconsistent", "implausible", "not checkable", "not applicable")
FINDINGS = ("inconsistent", "implausible")


def rules() -> tuple[str, ...]:
    """The names of every rule, in the order they were declared."""
    return tuple(SPECS)


def conventions() -> pd.DataFrame:
    """Which printing conventions each rule assumes (one row per rule)."""
    return pd.DataFrame(
        [{"rule": s.name, "assumes": s.conventions} for s in SPECS.values()]
    ).set_index("rule")


class ScreenInputError(ValueError):
    """Input errors in relations, one per line (``.problems`` lists them)."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# --------------------------------------------------------------------------- YAML with lines


class _Located(dict):
    """A mapping read from YAML that remembers its line (1-based)."""

    line: int | None = None


class _PrintedText(str):
    """A YAML number kept as its printed text (``0.080`` keeps its trailing zero)."""


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader, node, deep=False):
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    dup = sorted({str(k) for k in keys if keys.count(k) > 1})
    if dup:
        raise yaml.constructor.ConstructorError(
            None, None, f"{', '.join(dup)} defined more than once", node.start_mark
        )
    m = _Located(loader.construct_mapping(node, deep=True))
    m.line = node.start_mark.line + 1
    return m


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor(
    "tag:yaml.org,2002:float", lambda loader, node: _PrintedText(loader.construct_scalar(node))
)
_Loader.add_constructor(
    "tag:yaml.org,2002:int", lambda loader, node: _PrintedText(loader.construct_scalar(node))
)


def read_yaml(path) -> Any:
    """Read a YAML file keeping numbers as printed text and mappings' lines; errors name the file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise ScreenInputError([f"{p}: cannot be read ({e.strerror or e})"]) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        where = f"{p}:{mark.line + 1}" if mark is not None else str(p)
        what = " ".join(
            str(x) for x in (getattr(e, "context", None), getattr(e, "problem", None)) if x
        ) or str(e)
        raise ScreenInputError([f"{where}: not valid YAML: {what}"]) from None


# --------------------------------------------------------------------------- input checks


def problems(relation: Any, registry=None) -> list[tuple[str | None, str]]:
    """Every input problem of one relation, as ``(field, message)`` pairs (empty if none)."""
    if not isinstance(relation, Mapping):
        return [(None, f"a relation must be a mapping with a 'rule', got {relation!r}")]
    rule = relation.get("rule")
    if rule not in SPECS:
        return [("rule", f"must be one of {', '.join(SPECS)}; got {rule!r}")]
    spec = SPECS[rule]
    out: list[tuple[str | None, str]] = []
    allowed = set(spec.fields) | set(COMMON)
    for f in relation:
        if f not in allowed:
            near = [a for a in sorted(allowed) if _close(str(f), a)]
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            out.append(
                (
                    str(f),
                    f"is not a field of rule {rule}{hint}; its fields are {', '.join(spec.fields)}",
                )
            )
    applies = relation.get("applies", True)
    if not isinstance(applies, bool):
        out.append(("applies", f"must be true or false, got {applies!r}"))
    elif applies is False and not str(relation.get("reason") or "").strip():
        out.append(("reason", "a relation with 'applies: false' must give its reason"))
    if applies is not False:
        for f in spec.required:
            if relation.get(f) is None:
                out.append((f, f"is required by rule {rule}"))
    nums = Numbers(registry)
    for f in spec.fields:
        v = relation.get(f)
        if v is None:
            continue
        if f in spec.flags:
            if not isinstance(v, bool):
                out.append((f, f"must be true or false (a boolean), got {v!r}"))
        elif f in spec.choices:
            if v not in spec.choices[f]:
                out.append(
                    (f, f"must be one of {', '.join(str(c) for c in spec.choices[f])}; got {v!r}")
                )
        elif f in spec.reals:
            if not is_number_text(v) or isinstance(v, bool) or str(v).strip()[:1] in "<>":
                out.append((f, f"must be a plain number, got {v!r}"))
            elif f == "level" and not 0 < float(v) < 1:
                out.append((f, f"must be in (0, 1), got {v!r}"))
            elif f != "level" and not float(v) > 0:
                out.append((f, f"must be positive, got {v!r}"))
        elif f in spec.words:
            if not isinstance(v, str) or not v.strip():
                out.append((f, f"must be a word, got {v!r}"))
        elif f in spec.maps:
            if not isinstance(v, Mapping) or not v:
                out.append((f, f"must map names to numbers, got {v!r}"))
                continue
            for k, ref in v.items():
                try:
                    nums.resolve(ref, f"{f}.{k}", count=True)
                except ValueError as e:
                    out.append((f"{f}.{k}", _msg(e, f"{f}.{k}")))
        elif f in spec.lists:
            if not isinstance(v, (list, tuple)) or len(v) < 2:
                out.append((f, f"must list at least two numbers, got {v!r}"))
                continue
            for i, ref in enumerate(v):
                try:
                    nums.resolve(ref, f)
                except ValueError as e:
                    out.append((f"{f}[{i}]", _msg(e, f)))
        else:
            if registry is None and isinstance(v, str) and not is_number_text(v):
                continue
            try:
                x = nums.resolve(v, f, count=f in spec.counts)
            except ValueError as e:
                out.append((f, _msg(e, f)))
                continue
            if f in WHOLE_COUNTS and not (
                x.bound is None and 0 <= x.value <= 1e15 and x.value == int(x.value)
            ):
                out.append((f, f"must be a whole count from 0 to 1e15, got {v!r}"))
    return out


def _msg(e: ValueError, field: str) -> str:
    m = str(e)
    for prefix in (f"relation field {field!r} ", f"{field} "):
        if m.startswith(prefix):
            return m[len(prefix) :]
    return m


def _close(a: str, b: str) -> bool:
    import difflib

    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.75


def _where(path, relation, i) -> str:
    line = getattr(relation, "line", None)
    loc = f"{path}:{line}" if path and line else (str(path) if path else "relations")
    rule = relation.get("rule") if isinstance(relation, Mapping) else None
    return f"{loc}: relation {i}" + (f" ({rule})" if rule else "")


def check_input(registry, relations: Sequence[Any], path=None) -> list[str]:
    """Every input problem of every relation, one line each (empty if none)."""
    out = []
    for i, rel in enumerate(relations, start=1):
        for field, msg in problems(rel, registry):
            out.append(
                f"{_where(getattr(rel, 'path', None) or path, rel, i)}: "
                + (f"field {field!r} {msg}" if field else msg)
            )
    return out


# --------------------------------------------------------------------------- one relation


@dataclasses.dataclass(frozen=True, repr=False)
class RelationCheck(Result):
    """One relation checked: the rule, the registry ids it used, the verdict (one of
    :data:`VERDICTS`), the arithmetic behind it, the rounding allowance, the source and the
    relation's note. ``row["verdict"]`` (the dict of earlier releases) still works, with a
    ``DeprecationWarning``: use ``row.verdict``."""

    _title: ClassVar[str] = "Screened relation"
    rule: str
    numbers: str
    verdict: str
    arithmetic: str
    tolerance: str
    source: str
    note: str

    def __getitem__(self, key: str):
        warnings.warn(
            f"check_relation returns a RelationCheck: use .{key}, not [{key!r}]",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(self, key)

    @property
    def is_finding(self) -> bool:
        """Inconsistent or implausible."""
        return self.verdict in FINDINGS

    def __repr__(self) -> str:
        lines = [f"{self.rule}: {self.verdict.upper()}"]
        lines += ["  " + x for x in textwrap.wrap(self.arithmetic, 84)]
        if self.tolerance:
            lines.append("  allowance: " + self.tolerance)
        return "\n".join(lines)

    __str__ = __repr__


def check_relation(registry, relation: Mapping) -> RelationCheck:
    """Apply one rule to one relation; returns a :class:`RelationCheck` (a row of
    :func:`screen`'s table).

    Raises
    ------
    ValueError
        Listing every input problem of the relation (unknown rule or field, missing field,
        a flag that is not a boolean, an id the registry lacks).
    """
    bad = problems(relation, registry)
    if bad:
        raise ScreenInputError([f"field {f!r} {m}" if f else m for f, m in bad])
    spec = SPECS[relation["rule"]]
    nums = Numbers(registry)
    try:
        if relation.get("applies") is False:
            for f in spec.fields:  # the ids it names must still exist
                if (
                    relation.get(f) is not None
                    and f
                    not in spec.lists
                    + spec.flags
                    + tuple(spec.choices)
                    + spec.reals
                    + spec.maps
                    + spec.words
                ):
                    nums.get(relation, f)
            raise NotApplicable(str(relation["reason"]).strip())
        relation = {k: v for k, v in relation.items() if v is not None}  # absent = None
        verdict, arithmetic, tolerance = spec.func(relation, nums)
        if verdict == "inconsistent" and spec.name != "percentage":
            # a convention mismatch is named as such: do the digits fit if they were cut?
            try:
                v2, _, _ = spec.func(relation, Numbers(registry, truncated=True))
            except (NotApplicable, NotCheckable, ValueError):
                v2 = None
            if v2 == "consistent":
                arithmetic += (
                    "; consistent if the printed digits were truncated, not rounded "
                    "(a convention mismatch)"
                )
    except NotApplicable as e:
        verdict, arithmetic, tolerance = "not applicable", str(e), ""
    except NotCheckable as e:
        verdict, arithmetic, tolerance = "not checkable", str(e), ""
    src = relation.get("source") or {}
    if isinstance(src, Mapping):
        where = ", ".join(str(v) for k, v in src.items() if k != "where") or str(
            src.get("where", "")
        )
    else:
        where = str(src)
    return RelationCheck(
        rule=spec.name,
        numbers=", ".join(dict.fromkeys(nums.used)) or "(literals)",
        verdict=verdict,
        arithmetic=arithmetic,
        tolerance=tolerance,
        source=where,
        note=str(relation.get("note", "")),
    )


# --------------------------------------------------------------------------- the screen


@dataclasses.dataclass(frozen=True, repr=False)
class ScreenResult(Result):
    """The screen of one registry: a table with one row per relation checked.

    ``.table`` has columns ``rule``, ``numbers``, ``verdict``, ``arithmetic``, ``tolerance``,
    ``source`` and ``note``; ``.counts`` tallies the verdicts; ``.summary`` is one sentence;
    ``.findings()`` the rows that are inconsistent or implausible (``all=True``: every row that
    is not consistent).
    """

    _title: ClassVar[str] = "Screen"
    paper: str
    table: pd.DataFrame

    @property
    def counts(self) -> dict[str, int]:
        return {v: int((self.table["verdict"] == v).sum()) for v in VERDICTS}

    @property
    def has_findings(self) -> bool:
        return bool(self.table["verdict"].isin(FINDINGS).any())

    @property
    def summary(self) -> str:
        c = self.counts
        s = (
            f"{self.paper}: {len(self.table)} relations screened: {c['consistent']} consistent, "
            f"{c['inconsistent']} inconsistent, {c['implausible']} implausible"
        )
        for v in ("not checkable", "not applicable"):
            if c[v]:
                s += f", {c[v]} {v}"
        return s + "."

    def findings(self, all: bool = False) -> pd.DataFrame:
        keep = (
            ~self.table["verdict"].isin(["consistent"])
            if all
            else self.table["verdict"].isin(FINDINGS)
        )
        return self.table[keep]

    def __repr__(self) -> str:
        # one block per relation, wrapped at 88 characters (a terminal, a book page)
        lines = [textwrap.fill(self.summary, 88)]
        for i, r in self.table.iterrows():
            lines.append(
                textwrap.fill(
                    f"{i:>4}. {r.rule} [{r.verdict}] {r.numbers}", 88, subsequent_indent=" " * 6
                )
            )
            lines.append(
                textwrap.fill(r.arithmetic, 88, initial_indent=" " * 6, subsequent_indent=" " * 6)
            )
        return "\n".join(lines)

    __str__ = __repr__

    def _repr_html_(self) -> str:
        colours = {
            "consistent": "#1b7837",
            "inconsistent": "#b2182b",
            "implausible": "#b35806",
            "not checkable": "#666666",
            "not applicable": "#666666",
        }
        rows = []
        for _, r in self.table.iterrows():
            badge = (
                f"<span class='sm-badge' style='border-color:{colours[r.verdict]}'>"
                f"{html.escape(r.verdict)}</span>"
            )
            rows.append(
                f"<tr><td>{html.escape(r.rule)}</td><td>{html.escape(r.numbers)}</td>"
                f"<td>{badge}</td><td>{html.escape(r.arithmetic)}</td></tr>"
            )
        return (
            f"<p><b>{html.escape(self.summary)}</b></p><table class='spinemets-screen'>"
            "<thead><tr><th>rule</th><th>numbers</th><th>verdict</th><th>arithmetic</th></tr>"
            "</thead><tbody>" + "".join(rows) + "</tbody></table>"
        )


def screen(registry, relations: Sequence[Mapping] | None = None) -> ScreenResult:
    """Screen a registry's published numbers for internal consistency.

    Parameters
    ----------
    registry : str or Registry
        A paper key (``"choi2015"``), a path to a registry YAML file, or a loaded registry.
    relations : sequence of mappings, optional
        The relations to check; default the registry file's ``relations:`` section and the
        ``<paper>.relations.yaml`` beside it.

    Returns
    -------
    ScreenResult
        One row per relation: rule, numbers involved, verdict (consistent / inconsistent /
        implausible / not checkable / not applicable), the arithmetic, the tolerance and the
        source.

    Raises
    ------
    ValueError
        For an unknown paper or file, or (all at once, one line each, naming file, line,
        relation and field) every input problem of the relations.
    """
    reg = _registry(registry)
    rels = list(relations) if relations is not None else list(_relations_of(reg))
    bad = check_input(reg, rels)
    if bad:
        _locate(rels)
        raise ScreenInputError(check_input(reg, rels))
    rows = [check_relation(reg, r).to_dict() for r in rels]
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
        nums = Numbers(reg)
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
                table.loc[i, "arithmetic"] += "; the same fraction is printed as " + " and ".join(
                    printed
                )
    return table


# --------------------------------------------------------------------------- registries


def _registry(registry):
    from .. import published

    if isinstance(registry, published.Registry):
        return registry
    if isinstance(registry, (str, Path)):
        s = str(registry)
        if s in published.PAPERS:
            return published.load(s)
        p = Path(s)
        if p.suffix in (".yaml", ".yml") and p.exists():
            return load_file(p)
    raise ValueError(
        f"registry must be a paper key ({', '.join(published.PAPERS)}), a registry "
        f"YAML file, or a Registry; got {registry!r}"
    )


class _Relation(_Located):
    path: str | None = None
    index: int | None = None  # its place in the file's list (to find its line on error)


def _relations_of(reg):
    """The relations of a registry: its ``relations:`` and ``<paper>.relations.yaml``.

    Each file is parsed once per process by the one registry loader
    (:func:`spinemets.published._read_yaml`, cached by modification time); line numbers are
    looked up (:func:`_locate`) only when there is an input error to report."""
    if reg.path is None:
        return []
    from .. import published

    rels = []
    # relations live in the registry file (relations:) and/or beside it in
    # <paper>.relations.yaml (a list, or a mapping with a relations: key)
    for path in (reg.path, reg.path.with_name(reg.path.stem + ".relations.yaml")):
        if not path.exists():
            continue
        try:
            raw = published._read_yaml(path)
        except Exception:  # a YAML error: the line-keeping reader names file and line
            raw = read_yaml(path)
        found = raw.get("relations") if isinstance(raw, dict) else raw
        if found is None:
            continue
        if not isinstance(found, list):
            line = getattr(read_yaml(path), "line", None)
            raise ScreenInputError(
                [f"{path}{':' + str(line) if line else ''}: 'relations' must be a list"]
            )
        for i, r in enumerate(found):
            if isinstance(r, dict):
                rel = _Relation(r)
                rel.line, rel.path, rel.index = getattr(r, "line", None), str(path), i
                rels.append(rel)
            else:
                rels.append(r)
    return rels


def _locate(rels) -> None:
    """Give relations read from a file their line numbers (for input-error messages)."""
    files: dict[str, list] = {}
    for r in rels:
        if isinstance(r, _Relation) and r.line is None and r.path and r.index is not None:
            files.setdefault(r.path, []).append(r)
    for path, items in files.items():
        raw = read_yaml(path)
        found = raw.get("relations") if isinstance(raw, dict) else raw
        if not isinstance(found, list):
            continue
        for r in items:
            if r.index < len(found):
                r.line = getattr(found[r.index], "line", None)


def load_file(path) -> Any:
    """Load a registry YAML file from any path (for a new paper a reader has entered).

    Raises
    ------
    ValueError
        Naming the file (and line) for YAML errors, a missing ``numbers`` mapping, or a number
        id that reads as a number (``"12"`` would be taken for the literal 12 in a relation).
    """
    from .. import published

    p = Path(path)
    try:
        raw = published._read_yaml(p)  # parsed once per process (the one loader)
    except OSError:
        raw = read_yaml(p)  # names the file
    except Exception:  # a YAML error: the line-keeping reader names file and line
        raw = read_yaml(p)
    if not isinstance(raw, dict) or not isinstance(raw.get("numbers"), dict):
        raise ScreenInputError([f"{p}: a registry needs a 'numbers' mapping (see data/published/)"])
    key = str(raw.get("paper") or p.stem)
    errors, parsed = [], {}
    for nid, e in raw["numbers"].items():
        if not isinstance(nid, str) or is_number_text(nid):
            errors.append(
                (
                    nid,
                    f"{p}: number id {nid!r} reads as a number; give it a name with a "
                    f"letter (a relation could not tell it from the literal {nid})",
                )
            )
            continue
        try:
            parsed[nid] = published._parse_entry(key, nid, e)
        except ValueError as err:
            errors.append((nid, f"{p}: {err}"))
    if errors:
        lines = read_yaml(p)  # again, keeping lines, only to say where
        nums = lines.get("numbers") if isinstance(lines, dict) else None
        if isinstance(nums, dict):
            errors = [
                e
                if getattr(nums.get(nid), "line", None) is None
                else e.replace(f"{p}: ", f"{p}:{nums[nid].line}: ", 1)
                for nid, e in errors
            ]
        else:
            errors = [e for _, e in errors]
        raise ScreenInputError(errors)
    return published.Registry(
        key, str(raw.get("letter", "")), str(raw.get("citation", "")), parsed, p
    )


__all__ = [
    "screen",
    "check_relation",
    "RelationCheck",
    "check_input",
    "problems",
    "ScreenResult",
    "ScreenInputError",
    "VERDICTS",
    "FINDINGS",
    "rules",
    "conventions",
    "load_file",
    "read_yaml",
]
