"""Each paper's analysis and audit: one subpackage (or module) per paper.

A paper (``choi2015``, ``sohn2016``, ``lee2015``, ``park2016``, ``separation2024``) exposes the
same surface (the contract is written out in :mod:`spinemets.audit`):

- ``prepare(data)`` and the paper's analysis steps (``table4_cox(data)``, ...), each returning
  the analysis object *and* its registry numbers, so that a chapter takes its point estimates
  from the same code that produced the replicate distribution;
- ``analyse(data)``: runs the paper's whole analysis on a cohort (the committed one or a
  replicate) and returns a dict from registry id (``data/published/<paper>.yaml``) to a float
  (NaN when the analysis cannot produce the number on that cohort);
- ``by_construction(data)``: the numbers the synthetic cohort was built to hit;
- ``comparison()``: every registered number once, with its label, reason and sources (cached);
  ``NOT_REPRODUCIBLE``: registry id -> why it cannot be reproduced; optionally
  ``contradictions()``. :func:`spinemets.audit.report` builds the audit page from these.

The big papers are packages split by concept (``steps``, ``checks``, ``recomputation``,
``audit``, ``sensitivity``); their public names are importable from the paper
(``analyses.sohn2016.comparison``).

The registry below is explicit: a paper gets replicates (``python -m spinemets.cohorts
replicates``) when, and only when, its ``analyse`` is listed here (paper E has none: its lay
summary prints no result to replicate). To add a paper, write ``analyses/<paper>`` with the
surface above and add one line to :data:`ANALYSES`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from . import choi2015, lee2015, park2016, sohn2016

#: paper key -> its ``analyse(data)`` function
ANALYSES: dict[str, Callable[[pd.DataFrame], Mapping[str, float]]] = {
    "choi2015": choi2015.analyse,
    "sohn2016": sohn2016.analyse,
    "lee2015": lee2015.analyse,
    "park2016": park2016.analyse,
}


def available() -> list[str]:
    """Paper keys that have an analysis function."""
    return sorted(ANALYSES)


def get(paper: str) -> Callable[[pd.DataFrame], Mapping[str, float]]:
    """The ``analyse`` function of ``paper`` (ValueError naming the papers that have one)."""
    if paper not in ANALYSES:
        raise ValueError(f"paper={paper!r} has no analysis function; available: {available()}")
    return ANALYSES[paper]


def analyse(paper: str, data: pd.DataFrame) -> dict[str, float]:
    """Run ``paper``'s analysis on ``data``; returns {registry id: value}."""
    return dict(get(paper)(data))


__all__ = ["ANALYSES", "available", "get", "analyse", "choi2015", "sohn2016", "lee2015", "park2016"]
