"""Replicate statistics and calibration rows under the registry's names of the quantities.

The replicates file (``data/replicates/<paper>.csv``) has one column per registry id
(``t4_ecog_p_logrank``), which is what the library needs to match a replicate statistic to its
published number. A reader needs the quantity ("ECOG performance status: log-rank p"): these
helpers put the registry's name of each quantity where the id was, so that a chapter shows
readable tables and never types an id.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .replication import load_replicates


def quantity_names(paper: str) -> dict[str, str]:
    """Registry id -> the registry's name of the quantity, for every number of ``paper``.

    Parameters
    ----------
    paper : str
        A paper key with a registry (``data/published/<paper>.yaml``), e.g. ``"choi2015"``.

    Returns
    -------
    dict
        ``{"t4_ecog_p_logrank": "ECOG performance status: log-rank p", ...}``; use it with
        :meth:`pandas.DataFrame.rename` on a table indexed by registry id.

    Raises
    ------
    ValueError
        If ``paper`` has no registry.
    """
    from .. import published

    reg = published.load(paper)
    return {nid: reg[nid].quantity for nid in reg.keys()}


def named_replicates(paper: str, directory: str | Path | None = None) -> pd.DataFrame:
    """The paper's replicate statistics, one column per quantity, named as the registry names it.

    Reads ``data/replicates/<paper>.csv`` (:func:`spinemets.cohorts.load_replicates`: one row
    per replicate cohort, one column per emergent statistic of the paper's analysis) and renames
    each column from its registry id to the registry's name of the quantity. A quantity printed
    twice (a reprint with the same values) is shown once; bookkeeping columns (names starting
    with ``_``, such as the per-replicate flags of a Firth fit) are left out.

    Parameters
    ----------
    paper : str
        A paper with replicates (``python -m spinemets.cohorts replicates --paper <paper>``).
    directory : path, optional
        Where the replicates file is (default ``data/replicates``).

    Returns
    -------
    DataFrame
        Indexed by replicate; columns such as ``"ECOG performance status: log-rank p"``.

    Raises
    ------
    ValueError
        If the replicates file is missing, or if two columns carry the same quantity name but
        different values (the name would be ambiguous).
    """
    reps = load_replicates(paper, directory)
    names = quantity_names(paper)
    keep: dict[str, str] = {}  # quantity name -> the first column that carries it
    for col in reps.columns:
        if col.startswith("_"):
            continue
        name = names.get(col, col)
        if name in keep:
            if not reps[col].equals(reps[keep[name]]):
                raise ValueError(
                    f"paper={paper!r}: columns {keep[name]!r} and {col!r} share the quantity "
                    f"name {name!r} but hold different values"
                )
            continue  # a reprint of the same quantity (same values): shown once
        keep[name] = col
    return reps[list(keep.values())].set_axis(list(keep), axis=1)


__all__ = ["quantity_names", "named_replicates"]
