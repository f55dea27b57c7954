"""Replicate cohorts: the calibrated generative model of a paper, redrawn with new seeds.
"""

from __future__ import annotations



from .engine import build


def replicates(paper: str, seeds) -> "list[pd.DataFrame]":
    """Replicate cohorts of ``paper``, one per seed (same spec, different draws)."""
    return [build(paper, seed=int(s))[0] for s in seeds]
