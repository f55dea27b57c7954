"""The audit of every printed number of a paper, generated from the library and the data.

A paper chapter (chapters 10-14) is the resident's journal club; the number-by-number audit is a
page this module generates (chapters 30-34, one short notebook each that calls :func:`report`),
so that no count is typed by hand and none can drift from the data.

Contract with ``spinemets.analyses.<paper>`` (every paper module exposes the same surface):

- ``comparison() -> published.Comparison``: every registered number of the paper, each once,
  with its label (*recomputed* from which other printed numbers, *by construction* against which
  target, *emergent* with its replicate interval, *not reproducible* and why). Cached: the
  chapter and the audit page call it once each per kernel.
- ``NOT_REPRODUCIBLE: dict[str, str]``: registry id -> the reason it cannot be reproduced.
- ``prepare``, the analysis steps, ``analyse(cohort)``, ``by_construction(cohort)``.
- optional ``contradictions() -> list[dict]``: arithmetic across tables that no screen relation
  states (each a dict with ``where``, ``kind``, ``ids``, ``arithmetic``); the report lists them
  with the contradictions.

Public functions
----------------
``comparison(paper)``  the paper's whole Comparison (from its analyses module).
``headline(paper)``    the verdict counts a chapter cites (one call; a ``VerdictSummary``).
``report(paper)``      the generated audit page's content (an ``Audit`` that renders itself).
``replicated_p(paper)`` every printed p-value beside how often the paper's replicates give
                       p < 0.05 (the replication view of chapter 21).

The report (:class:`Audit`) has five parts, each computed from the registry, the relations,
``comparison()``, the replicates and the screen (nothing typed by hand): (a) coverage of the
registry against the shared paper text (:mod:`.coverage`); (b) every number's verdict with its
reason, grouped by table or section of the paper; (c) the screen's findings
(:func:`spinemets.screen.screen`); (d) the contradictions in the paper, with their arithmetic
(screen relations that fail and recomputations that differ); (e) the figures: a forest plot of
published values against replicate intervals for the emergent estimates, and a verdict overview.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .. import published
from .._results import Result
from . import _render
from .coverage import Coverage, coverage

PAPERS = ("choi2015", "sohn2016", "lee2015", "park2016", "separation2024")


def _module(paper: str):
    if paper not in PAPERS:
        raise ValueError(f"paper={paper!r} is not one of the book's papers: {list(PAPERS)}")
    mod = importlib.import_module(f"spinemets.analyses.{paper}")
    if not hasattr(mod, "comparison"):
        raise ValueError(
            f"paper={paper!r}: spinemets.analyses.{paper} has no comparison() yet "
            "(see the contract in spinemets.audit)"
        )
    return mod


def comparison(paper: str) -> published.Comparison:
    """Every registered number of ``paper`` with its label and verdict."""
    return _module(paper).comparison()


def headline(paper: str) -> published.VerdictSummary:
    """The verdict counts over distinct quantities that a chapter cites (one library call)."""
    return published.summary(comparison(paper))


@dataclasses.dataclass(frozen=True, repr=False)
class Audit(Result):
    """The generated audit of one paper: renders as the audit page's body.

    Fields: ``summary`` (the headline counts), ``coverage``, ``sections`` (one row per printed
    number: section, verdict category, reason, ...), ``screen`` (the screen's table),
    ``contradictions`` (the arithmetic of every printed number that cannot be true with the
    others), ``emergent`` (the rows of the forest plot) and ``overview`` (verdicts per section).
    In a notebook it shows as HTML with headed sections, then its two figures; ``str()`` is a
    plain-text version.
    """

    _title: ClassVar[str] = "Audit"
    paper: str
    comparison: Any
    summary: Any
    coverage: Coverage
    sections: pd.DataFrame
    screen: pd.DataFrame
    contradictions: pd.DataFrame
    emergent: pd.DataFrame
    overview: pd.DataFrame

    def figures(self) -> list:
        """The audit's figures: the forest plot of emergent estimates and the verdict overview."""
        return _render.figures(self)

    def _repr_html_(self) -> str:
        return _render.to_html(self)

    def __repr__(self) -> str:
        return _render.to_text(self)

    __str__ = __repr__

    def _ipython_display_(self) -> None:
        import io

        import matplotlib.pyplot as plt
        from IPython.display import display

        display({"text/html": self._repr_html_(), "text/plain": repr(self)}, raw=True)
        for fig in self.figures():  # as PNG whatever the backend (Agg in a kernel, too)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=72, bbox_inches="tight")
            title = fig.axes[0].get_title() if fig.axes else "figure"
            display({"image/png": buf.getvalue(), "text/plain": f"<Figure: {title}>"}, raw=True)
            plt.close(fig)


def _category(row) -> str:
    kind = published._verdict_kind(row["verdict"])
    if row["label"] == "by construction":
        return "by construction"
    if kind == "agrees":
        return "only fit" if row.get("only_fit") else "agrees"
    if kind == "consistent":
        return "informative"
    return kind


def _section_of(pub) -> str:
    s = pub.source
    if s.get("table"):
        return str(s["table"])
    if s.get("figure"):
        return str(s["figure"])
    where = {"text": "Text", "abstract": "Abstract", "legend": "Legend"}.get(
        s.get("where", ""), str(s.get("where", "")).capitalize()
    )
    sec = str(s.get("section", "")).split(",")[0].strip()
    return f"{where}: {sec}" if sec and where == "Text" else where


def _fmt(pub, x) -> str:
    return published._as_printed(pub, published._num(x))


def _reason(reg, nid: str, row) -> str:
    pub = reg[nid]
    cat = _category(row)
    note = str(row.get("note") or "")
    srcs = [s for s in str(row.get("sources") or "").split(", ") if s]
    named = [s for s in srcs if s in reg]
    if row["label"] == "recomputed":
        if named:
            shown = ", ".join(
                f"{published.short_source(reg[s], 26)} = {reg[s].text}" for s in named[:3]
            )
            more = f" and {len(named) - 3} more" if len(named) > 3 else ""
            return f"{note}; from {shown}{more}" if note else f"from {shown}{more}"
        return note or "recomputed"
    if row["label"] == "by construction":
        tgt = ", ".join(published.short_source(reg[s], 26) if s in reg else s for s in srcs)
        target = f"target {tgt}" if tgt and srcs != [nid] else "the cohort was built to hit it"
        return f"{target}; {note}" if note else target
    if cat == "not reproducible":
        return note or "not reproducible"
    lo, hi = row.get("rep_lower"), row.get("rep_upper")
    step = ", ".join(srcs)
    head = f"emergent ({step})" if step else "emergent"
    if np.isfinite(published._num(lo)):
        head += f"; replicates {_fmt(pub, lo)} to {_fmt(pub, hi)}"
        if cat == "informative":
            head += ", informative"
        elif cat == "uninformative":
            head += ", too wide to tell"
        elif cat == "p-value":
            share = row.get("share_p05")
            if np.isfinite(published._num(share)):
                head += f", p < 0.05 in {100 * share:.0f}%"
    return f"{head}; {note}" if note else head


def _sections(comp: published.Comparison) -> pd.DataFrame:
    reg = comp.registry
    rows = []
    for nid, r in comp.table.iterrows():
        pub = reg[nid]
        rows.append(
            {
                "id": nid,
                "section": _section_of(pub),
                "number": published.short_source(pub, 40),
                "published": pub.text + (f" {pub.unit}" if pub.unit else ""),
                "ours": _fmt(pub, r["reproduced"]),
                "label": r["label"],
                "category": _category(r),
                "reason": _reason(reg, nid, r),
            }
        )
    return pd.DataFrame(rows).set_index("id")


def _contradictions(comp: published.Comparison, screen_table: pd.DataFrame) -> pd.DataFrame:
    """Printed numbers that cannot all be true: recomputations (and construction targets) that
    differ, each with the screen's arithmetic when a screen relation says the same, then the
    screen relations that are inconsistent or implausible on their own."""
    reg = comp.registry
    bad = (
        screen_table[screen_table.verdict.isin(["inconsistent", "implausible"])]
        if len(screen_table)
        else screen_table
    )
    used: set = set()
    rows = []
    t = comp.table
    kind = t.verdict.map(published._verdict_kind)
    for nid, r in t[(kind == "differs") & (t.label != "emergent")].iterrows():
        pub = reg[nid]
        srcs = [s for s in str(r.get("sources") or "").split(", ") if s in reg and s != nid]
        parts = "; ".join(f"{published.short_source(reg[s], 30)} = {reg[s].text}" for s in srcs[:4])
        more = f" and {len(srcs) - 4} more" if len(srcs) > 4 else ""
        arith = f"{r['note']}: " if r.get("note") else ""
        arith += (f"from {parts}{more} " if parts else "") + f"→ {_fmt(pub, r['reproduced'])}"
        arith += f", printed {pub.text}"
        for i, sr in bad.iterrows():
            if nid in [x.strip() for x in str(sr["numbers"]).split(",")]:
                arith += f". Screen ({sr['rule']}): {sr['arithmetic']}"
                used.add(i)
                break
        rows.append(
            {
                "where": published.short_source(pub, 40),
                "kind": "recomputation"
                if r["label"] == "recomputed"
                else "construction target missed",
                "ids": nid,
                "arithmetic": arith,
            }
        )
    for i, sr in bad.iterrows():
        if i in used:
            continue
        rows.append(
            {
                "where": str(sr["source"]),
                "kind": f"screen: {sr['rule']} ({sr['verdict']})",
                "ids": str(sr["numbers"]),
                "arithmetic": str(sr["arithmetic"]),
            }
        )
    extra = getattr(_module(comp.registry.key), "contradictions", None)
    if extra is not None:
        rows.extend(extra())
    return pd.DataFrame(rows, columns=["where", "kind", "ids", "arithmetic"])


def _emergent_rows(comp: published.Comparison) -> pd.DataFrame:
    t = comp.table
    if "rep_lower" not in t:
        return pd.DataFrame(
            columns=["published", "ours", "rep_lower", "rep_median", "rep_upper", "verdict"]
        )
    kind = t.verdict.map(published._verdict_kind)
    ok = (
        (t.label == "emergent")
        & t.rep_lower.notna()
        & kind.isin(["consistent", "uninformative", "differs"])
    )
    reg = comp.registry
    sel = t[ok & ~pd.Series([published.is_p_value(reg[i]) for i in t.index], index=t.index)]
    out = pd.DataFrame(
        {
            "published": [reg[i].value for i in sel.index],
            "ours": sel.reproduced.astype(float).to_numpy(),
            "rep_lower": sel.rep_lower.to_numpy(float),
            "rep_median": sel.rep_median.to_numpy(float),
            "rep_upper": sel.rep_upper.to_numpy(float),
            "verdict": kind[sel.index].to_numpy(),
        },
        index=[f"{published.short_source(reg[i], 34)}" for i in sel.index],
    )
    return out


@functools.cache
def _report(paper: str) -> Audit:
    from .. import screen as screen_mod

    comp = comparison(paper)
    summ = published.summary(comp)
    sections = _sections(comp)
    try:
        scr = screen_mod.screen(paper).table
    except ValueError:  # a paper without relations
        scr = pd.DataFrame(columns=["rule", "numbers", "verdict", "arithmetic", "source"])
    overview = sections.groupby(["section", "category"], sort=False).size().unstack(fill_value=0)
    order = [c for c in _render.CATEGORY_ORDER if c in overview.columns]
    overview = overview[order]
    return Audit(
        paper=paper,
        comparison=comp,
        summary=summ,
        coverage=coverage(paper),
        sections=sections,
        screen=scr,
        contradictions=_contradictions(comp, scr),
        emergent=_emergent_rows(comp),
        overview=overview,
    )


def report(paper: str) -> Audit:
    """The whole audit of ``paper`` (for the page ``chapters/3N_audit_<paper>.md``).

    Computed once per paper and kernel (the comparison, the screen and the coverage; a few
    seconds for paper A), then cached.

    Raises
    ------
    ValueError
        If ``paper`` is not one of :data:`PAPERS` or its analyses module has no comparison().
    """
    _module(paper)
    return _report(paper)


def replicated_p(paper: str) -> pd.DataFrame:
    """Every printed p-value of ``paper`` beside its replicates: how often p < 0.05.

    One row per p-value of the registry that the paper's replicates carry
    (``data/replicates/<paper>.csv``: one simulated cohort per row, drawn from the paper's
    cohort model and analysed as the paper did, see :mod:`spinemets.cohorts.replication`),
    indexed by the registry's name of the quantity. Columns: ``published`` (as printed),
    ``replicates`` (how many produced the p-value: a term that stepwise selection dropped gives
    none), ``median p`` (over those) and ``share p < 0.05`` (over *all* replicates: one that
    could not produce the p-value counts as not significant, as it would for the reader of that
    replicate's paper). The share is the rejection rate of the paper's whole procedure under
    the cohort model; it is the power at the published effect only where the model carries that
    effect (compare the replicates' median estimate with the published one in the audit).

    Raises
    ------
    ValueError
        If ``paper`` is not one of :data:`PAPERS` or has no replicates (paper E is a scenario).
    """
    from ..cohorts import load_replicates

    if paper not in PAPERS:
        raise ValueError(f"paper={paper!r} is not one of the book's papers: {list(PAPERS)}")
    reps = load_replicates(paper)  # a ValueError naming the command when there are none
    reg = published.load(paper)
    rows = {}
    for nid in reps.columns:
        if nid not in reg or not published.is_p_value(reg[nid]):
            continue
        pub, p = reg[nid], reps[nid].dropna()
        if len(p) == 0:
            continue
        rows[pub.quantity] = {
            "published": pub.text,
            "replicates": len(p),
            "median p": float(p.median()),
            "share p < 0.05": float((p < 0.05).sum() / len(reps)),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("quantity")


__all__ = [
    "PAPERS",
    "Audit",
    "Coverage",
    "comparison",
    "coverage",
    "headline",
    "replicated_p",
    "report",
]
