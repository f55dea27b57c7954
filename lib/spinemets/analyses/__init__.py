"""Each paper's analysis as one library function, ``analyse(data) -> {registry id: value}``.

One module per paper (``choi2015``, ``separation2024``); a paper whose analysis outgrew one
module is a package by concept (``sohn2016``, ``lee2015``, ``park2016``: ``steps`` for the
analysis steps and ``analyse``, ``audit`` for ``comparison``, and more where a concept needs
it), importable exactly as a module. A module exposes

- ``analyse(data)``: runs the paper's whole analysis on a cohort (the committed one or a
  replicate) and returns a dict from registry id (``data/published/<paper>.yaml``) to a float
  (NaN when the analysis cannot produce the number on that cohort, e.g. a term the stepwise
  rule did not select);
- step functions (``table4_cox(data)``, ...) that ``analyse`` is built from, each returning the
  analysis object *and* its registry numbers, so that a chapter takes its point estimates from
  the same code that produced the replicate distribution.

The registry below is explicit: a paper is analysed (and gets replicates from
``python -m spinemets.cohorts replicates``) when, and only when, it is listed here. To add a
paper, write ``analyses/<paper>.py`` with ``analyse`` and add one line to :data:`ANALYSES`.
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
