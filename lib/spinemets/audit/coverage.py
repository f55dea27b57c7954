"""Coverage of a paper's registry: what is registered against what the shared paper text prints.

Two directions, both from the text and the registry alone:

- **registered but not in the shared text**: a registry number whose printed form does not
  occur in the paper's extracted text (a number read off a figure, a character the PDF
  extraction lost, a table the extraction flattened beyond recognition);
- **printed but not registered**: a number that :func:`spinemets.screen.extract.extract`
  recognises in the text (``n (%)`` pairs, group sizes, ratios, means +- SD, medians, table
  rows) whose printed form is not among the registry's, by kind.

The papers' texts do not ship with the book: they are looked for in ``$SPINEMETS_PAPERS``, then
in ``shared/papers`` beside the repository (as the tests do); without them the coverage says so.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections import Counter
from pathlib import Path
from typing import ClassVar

import pandas as pd

from .._results import Result

_ROOT = Path(__file__).resolve().parents[3]


def paper_candidates() -> list[Path]:
    """Folders searched for the papers' texts, in order."""
    env = os.environ.get("SPINEMETS_PAPERS")
    return ([Path(env)] if env else []) + [
        _ROOT.parent / "shared" / "papers",
        _ROOT.parent.parent / "shared" / "papers",
    ]


def paper_text_path(letter: str) -> Path | None:
    """The extracted text of the paper with this letter (``A_*.txt``), or None."""
    for d in paper_candidates():
        hits = sorted(d.glob(f"{letter}_*.txt")) if d.is_dir() else []
        if hits:
            return hits[0]
    return None


def _occurs(token: str, text: str) -> bool:
    tok = token.lstrip("<>=≤≥ ")
    if not tok:
        return False
    pat = r"(?<![\d.])" + re.escape(tok) + r"(?![\d])"
    return re.search(pat, text) is not None


@dataclasses.dataclass(frozen=True, repr=False)
class Coverage(Result):
    """Registered numbers against the numbers the shared paper text prints."""

    _title: ClassVar[str] = "Coverage of the registry"
    paper: str
    registered: int
    text_found: bool
    not_in_text: int
    extracted: int
    extracted_registered: int
    not_registered: int
    text: str
    by_where: pd.DataFrame
    missing_from_text: pd.DataFrame
    unregistered: pd.DataFrame

    def __repr__(self) -> str:
        return self.text


def coverage(paper: str) -> Coverage:
    """Coverage of ``paper``'s registry (see the module docstring)."""
    from .. import published
    from ..screen import extract as ex_mod

    reg = published.load(paper)
    where = pd.Series({n.id: n.source.get("where", "") for n in reg.values()})
    path = paper_text_path(reg.letter)
    if path is None:
        by = where.value_counts().rename("registered").to_frame()
        empty = pd.DataFrame(columns=["id", "where", "printed"])
        return Coverage(
            reg.key,
            len(reg),
            False,
            0,
            0,
            0,
            0,
            f"{len(reg)} numbers registered; the paper's text is not available here "
            f"(looked in {', '.join(map(str, paper_candidates()))}), so coverage against it "
            "is not computed.",
            by,
            empty,
            pd.DataFrame(columns=["line", "kind", "printed"]),
        )
    text = path.read_text(encoding="utf-8")
    absent = [n for n in reg.values() if not _occurs(n.text, text)]
    miss = pd.DataFrame(
        [{"id": n.id, "where": n.where, "printed": n.text} for n in absent],
        columns=["id", "where", "printed"],
    )
    by = pd.DataFrame(
        {
            "registered": where.value_counts(),
            "not in the text": where[[n.id for n in absent]].value_counts(),
        }
    ).fillna(0)
    by = by.astype(int).sort_values("registered", ascending=False)
    ex = ex_mod.extract(text, reg.key)
    want = Counter(n.text for n in reg.values())
    rows, seen = [], Counter()
    for v in ex.numbers.values():
        t = str(v["value"])
        seen[t] += 1
        if seen[t] > want.get(t, 0):
            sec = str(v.get("source", {}).get("section", ""))
            rows.append({"line": sec.replace("line ", ""), "kind": v["quantity"], "printed": t})
    unreg = pd.DataFrame(rows, columns=["line", "kind", "printed"])
    n_ex = len(ex.numbers)
    kinds = unreg.kind.value_counts()
    kind_text = ", ".join(f"{k} {c}" for k, c in kinds.items()) or "none"
    fig_like = int(
        by.loc[[w for w in by.index if w in ("figure", "legend")], "not in the text"].sum()
    )
    msg = (
        f"{len(reg)} numbers registered; {len(reg) - len(absent)} of them occur in the shared "
        f"text of the paper ({path.name}), {len(absent)} do not"
        + (f" ({fig_like} from figures or legends, read off the figure)" if fig_like else "")
        + f". The text extraction recognises {n_ex} printed numbers; {n_ex - len(unreg)} are "
        f"registered and {len(unreg)} are not (by kind: {kind_text}). The extraction reads "
        "patterns (n (%), group sizes, ratios with CIs, means ± SD, medians, table rows); "
        "numbers in other forms are covered by the registry tests against the text, not here."
    )
    return Coverage(
        reg.key,
        len(reg),
        True,
        len(absent),
        n_ex,
        n_ex - len(unreg),
        len(unreg),
        msg,
        by,
        miss,
        unreg,
    )


__all__ = ["Coverage", "coverage", "paper_text_path", "paper_candidates"]
