"""The registry of published numbers: reading ``data/published/<paper>.yaml`` into
:class:`Registry` objects of :class:`PublishedNumber` (their printed precision kept)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..paths import PUBLISHED_DIR

# the one home of printed numbers (issue 24 item 5): parsing lives in spinemets.screen.printed
from ..screen.printed import parse_printed

PAPERS = {
    "choi2015": "A",
    "sohn2016": "B",
    "lee2015": "C",
    "park2016": "D",
    "separation2024": "E",
}
LABELS = ("recomputed", "by construction", "emergent")
WHERE = ("table", "figure", "text", "abstract", "legend")


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


__all__ = ["PAPERS", "LABELS", "PublishedNumber", "parse_printed", "Registry", "load"]
