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

Public functions
----------------
``comparison(paper)``  the paper's whole Comparison (from its analyses module).
``headline(paper)``    the verdict counts a chapter cites (one call; a ``VerdictSummary``).
``report(paper)``      the generated audit page's content (an ``Audit`` that renders itself).

This first version is the contract; the full report (coverage, reasons, screen findings,
contradictions, figures) grows behind the same three calls.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from .. import published

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


@dataclass
class Audit:
    """The generated audit of one paper: renders as the audit page's body."""

    paper: str
    comparison: published.Comparison
    summary: published.VerdictSummary

    def _repr_html_(self) -> str:
        return self.summary._repr_html_() + self.comparison._repr_html_()

    def __repr__(self) -> str:
        return f"Audit({self.paper!r}): {self.summary.text}"


def report(paper: str) -> Audit:
    """The whole audit of ``paper`` (for the page ``chapters/3N_audit_<paper>.md``)."""
    comp = comparison(paper)
    return Audit(paper=paper, comparison=comp, summary=published.summary(comp))


__all__ = ["PAPERS", "Audit", "comparison", "headline", "report"]
