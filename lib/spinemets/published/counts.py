"""Verdict counts over distinct quantities (:func:`summary`, :class:`VerdictSummary`): the
counts a chapter cites, through :func:`spinemets.audit.headline`."""

from __future__ import annotations

import dataclasses
import html
from typing import ClassVar

import pandas as pd

from .._results import Result
from .judging import _verdict_kind, quantities
from .registry import load
from .view import Comparison, compare, concat, from_replicates

_CATEGORIES = (
    "agrees",
    "only fit",
    "informative",
    "uninformative",
    "differs",
    "p-value",
    "not reproducible",
    "not judged",
)


@dataclasses.dataclass(frozen=True, repr=False)
class VerdictSummary(Result):
    """Every verdict count a chapter prints, counted over *distinct quantities*.

    A quantity is a number together with its other printings (``same_as`` in the registry) and
    the other members of its estimate (ratio, limits and p; median and limits). Its category
    comes from its printings, first that applies: **differs** (any printing differs),
    **agrees** (a recomputation that could have failed agrees), **only fit** (agrees only
    because the recomputation was chosen as the only fit), **informative** (an emergent
    estimate whose replicate interval could have excluded a clinically different value and
    did not), **uninformative**, **p-value** (a p-value alone, reported by its replicate
    distribution), **not reproducible**, **not judged**. Numbers labelled *by construction*
    (the cohort was built to hit them, or the replicates keep them fixed by design) are not
    verdicts: they are listed as targets met or missed within their tolerance, never as an
    agreement rate. Numbers the replicates keep fixed by design (``fixed_in_replicates`` in the
    registry) are counted apart (``fixed_by_design``) and left out of every other count.

    The categories are exclusive, so a quantity whose limit is recomputed (and agrees) while its
    estimate is judged informative by the replicates counts once, under **agrees**.
    ``informative_any`` counts every quantity with at least one informative emergent printing,
    whatever its category; the sentence says so when the two counts differ.
    """

    _title: ClassVar[str] = "Verdicts, counted over distinct quantities"
    paper: str
    printings: int
    quantities: int
    agrees: int
    only_fit: int
    informative: int
    uninformative: int
    differs: int
    p_values: int
    not_reproducible: int
    not_judged: int
    targets_met: int
    targets_missed: int
    fixed_by_design: int
    text: str
    table: pd.DataFrame
    informative_any: int = 0

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return f"<p class='sm-summary'>{html.escape(self.text)}</p>"


def _quantity_category(rows: pd.DataFrame) -> str:
    kinds = rows["verdict"].map(_verdict_kind)
    fit = rows.get("only_fit", pd.Series(False, index=rows.index)).fillna(False).astype(bool)
    if (kinds == "differs").any():
        return "differs"
    if ((kinds == "agrees") & ~fit).any():
        return "agrees"
    if ((kinds == "agrees") & fit).any():
        return "only fit"
    for k, name in (
        ("consistent", "informative"),
        ("uninformative", "uninformative"),
        ("p-value", "p-value"),
        ("not reproducible", "not reproducible"),
    ):
        if (kinds == k).any():
            return name
    return "not judged"


def summary(paper: str | Comparison, *comparisons: Comparison) -> VerdictSummary:
    """Verdict counts over distinct quantities, for a chapter to print (issue 23).

    Parameters
    ----------
    paper : str or Comparison
        A paper key: the emergent verdicts of the paper's whole analysis (the committed cohort
        analysed by :mod:`spinemets.analyses`, judged on ``data/replicates/<paper>.csv`` by
        :func:`from_replicates`). Or a :class:`Comparison` (with more in ``comparisons``, all of
        one paper): the verdicts a chapter built.

    Returns
    -------
    VerdictSummary
        Counts per category (see :class:`VerdictSummary`), the per-quantity table and a
        readable sentence (``str(result)``).
    """
    if isinstance(paper, Comparison):
        comp = concat(paper, *comparisons) if comparisons else paper
    else:
        if comparisons:
            raise ValueError("comparisons may only follow a Comparison, not a paper key")
        reg = load(paper)
        from .. import analyses, cohorts

        values = analyses.analyse(reg.key, cohorts.load(reg.key))
        comp = compare(reg, from_replicates(reg, values))
    reg = comp.registry
    t = comp.table.copy()
    if "quantity_id" not in t:
        qid = quantities(reg)
        t["quantity_id"] = [qid[i] for i in t.index]
    fixed = t.index.isin(list(reg.fixed_in_replicates)) & t["note"].astype(str).str.startswith(
        "fixed across replicates by design"
    )
    constr = t[(t.label == "by construction") & ~fixed]
    judged = t[(t.label != "by construction") & ~fixed]
    rows = []
    for q, g in judged.groupby("quantity_id", sort=False):
        rows.append(
            {
                "quantity_id": q,
                "quantity": reg[q].quantity,
                "printings": len(g),
                "ids": ", ".join(g.index),
                "category": _quantity_category(g),
                "informative_emergent": bool(
                    (g["verdict"].map(_verdict_kind) == "consistent").any()
                ),
            }
        )
    qt = pd.DataFrame(
        rows,
        columns=["quantity_id", "quantity", "printings", "ids", "category", "informative_emergent"],
    )
    informative_any = int(qt["informative_emergent"].sum())
    n = {c: int((qt["category"] == c).sum()) for c in _CATEGORIES}
    ck = constr.verdict.map(_verdict_kind)
    met, missed = int((ck == "agrees").sum()), int((ck == "differs").sum())
    text = (
        f"{reg.key} (paper {reg.letter}): {len(judged)} printings of {len(qt)} distinct quantities "
        f"judged: {n['agrees']} recomputed and agree, {n['informative']} informative emergent "
        f"(the replicates could have excluded a clinically different value, and did not), "
        f"{n['uninformative']} uninformative, {n['differs']} differ, {n['p-value']} p-values "
        f"reported by their replicate distribution, {n['not reproducible']} not reproducible"
    )
    if n["only fit"]:
        text += f", {n['only fit']} agree only as the one fit (could not have failed)"
    if n["not judged"]:
        text += f", {n['not judged']} not judged"
    text += "."
    if informative_any > n["informative"]:
        text += (
            f" {informative_any} quantities in all have an informative emergent estimate; "
            f"{informative_any - n['informative']} of them are counted above under another "
            "category, because another printing of theirs was recomputed or differs."
        )
    if len(constr):
        text += (
            f" By construction (not a result): {met} targets met and {missed} missed "
            f"within their tolerance."
        )
    if fixed.any():
        text += (
            f" {int(fixed.sum())} printings are fixed across replicates by design (the "
            "published tables every replicate keeps) and are not counted."
        )
    return VerdictSummary(
        reg.key,
        int(len(judged)),
        int(len(qt)),
        n["agrees"],
        n["only fit"],
        n["informative"],
        n["uninformative"],
        n["differs"],
        n["p-value"],
        n["not reproducible"],
        n["not judged"],
        met,
        missed,
        int(fixed.sum()),
        text,
        qt.set_index("quantity_id"),
        informative_any,
    )


__all__ = ["VerdictSummary", "summary"]
