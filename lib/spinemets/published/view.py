"""The comparison view: :func:`compare` builds a :class:`Comparison` (published vs reproduced,
side by side, with verdicts), :func:`from_replicates` the emergent rows, :func:`concat` joins
sections; the compact HTML view with short sources."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._results import format_value
from ..paths import PUBLISHED_DIR
from .judging import (
    _VERDICTS,
    Reproduced,
    _num,
    _verdict,
    _verdict_kind,
    is_p_value,
    quantities,
    value_kind,
)
from .registry import LABELS, PublishedNumber, Registry, load


def _short(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


_COLUMN_ABBREV = [
    ("p-value", "p"),
    ("No. of patients", "n"),
    ("Median survival", "median"),
    ("Coefficient", "coef"),
    ("Nonresponse", "non-resp"),
    ("Response", "resp"),
    ("(printed first)", "1st"),
    ("(printed second)", "2nd"),
    ("(log-rank)", "LR"),
    ("(response)", "resp"),
    ("(Cox)", "Cox"),
    ("(CR)", "CR"),
]


_ROW_ABBREV = [
    ("Pathologic fracture", "Fracture"),
    ("Spinal cord compression", "Cord compr."),
    ("Mass-type metastases", "Mass-type"),
    ("Multiplicity of spinal", "Multiple mets"),
    ("Sites of spinal", "Site"),
    ("Extrahepatic metastases", "Extrahepatic"),
    ("ECOG", "ECOG"),
    ("Child-Pugh", "Child-Pugh"),
    ("Baseline BPI", "BPI"),
    ("Treatment modalities", "Treatment"),
    ("Interval from diagnosis of primary", "Interval"),
    ("Interval from diagnosis of spinal", "Dx to RT"),
    ("Primary HCC", "Primary"),
    ("Radiation dose", "Dose"),
    ("Margin radiation dose", "Margin dose"),
]


def short_source(pub: PublishedNumber, width: int = 32) -> str:
    """A compact source such as ``"T4 · ECOG: 3-4 · median"`` (full text: :attr:`PublishedNumber.where`).

    The table or figure becomes ``T4`` / ``Fig 1``; text, abstract and legend their section;
    rows and columns are abbreviated and the whole is cut at ``width`` characters.
    """
    s = pub.source
    head = s.get("table") or s.get("figure") or ""
    head = re.sub(r"^Table\s*", "T", head)
    head = re.sub(r"^Fig(ure|\.)?\s*", "Fig ", head)
    if not head:
        head = {"text": "Text", "abstract": "Abstract", "legend": "Legend"}.get(
            s.get("where", ""), ""
        )
        if s.get("section"):
            sec = re.sub(r"^Materials and Methods", "Methods", str(s["section"]))
            sec = re.sub(
                r"^(Results|Methods|Discussion),?\s*", lambda m: m.group(1)[:3] + ". ", sec
            )
            sec = re.sub(
                r"^(\w{3}\. \d+)\.?\s+[A-Za-z].*$", r"\1", sec.strip()
            )  # "Met. 4. Treatment"
            head += " " + sec.strip()
    parts = [head.strip()]
    if not (s.get("row") or s.get("column")):  # text, abstract, legend: say what the number is
        parts.append(_short(pub.quantity.split(" (")[0], max(8, width - len(head) - 3)))
    if s.get("row"):
        var, _, level = str(s["row"]).partition(": ")
        var = re.sub(r"\s*\([^()]*\)", "", var.split(",")[0]).strip()
        for a, b in _ROW_ABBREV:
            if var.startswith(a):
                var = b
                break
        if len(var) > 13:
            var = var.split()[0]
        parts.append(var + (": " + _short(level, 9) if level else ""))
    if s.get("column"):
        col = str(s["column"])
        for a, b in _COLUMN_ABBREV:
            col = col.replace(a, b)
        col = re.sub(r"\(([^()]*)\)", r"\1", col)
        parts.append(_short(" ".join(col.split()), 12))
    return _short(" · ".join(p for p in parts if p), width)


def _as_printed(pub: PublishedNumber, x: float) -> str:
    """``x`` at the published number's precision (``<0.001`` when it rounds below a bound's last digit)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    dec = max(pub.decimals, 0)
    floor = 10.0 ** (-dec)
    if is_p_value(pub) and 0 <= x < floor / 2 and dec > 0:
        return f"<{floor:.{dec}f}"
    return f"{x:.{dec}f}"


class Comparison:
    """Published vs reproduced, side by side, with differences, labels and verdicts.

    ``.table`` is a DataFrame indexed by number id with columns ``quantity``, ``source``,
    ``published``, ``reproduced``, ``difference``, ``label``, ``verdict`` and ``note``, and for
    emergent numbers judged on replicates ``rep_lower``, ``rep_median``, ``rep_upper``,
    ``n_replicates``, ``n_nan``, ``share_p05`` (share of replicates with p < 0.05, for a
    p-value: the power the study had if the published effects were true) and ``share_bound``
    (share of replicates satisfying a published bound such as ``<0.001``).
    ``.counts`` tallies the verdicts; ``.summary`` is a one-line sentence.

    In a notebook the comparison renders as a compact table that fits the book's page: a short
    source, published as printed, ours at the same precision, the difference or the replicate
    interval, and label and verdict as small badges with words (not colour alone); notes become
    footnotes under the table. Above :attr:`FOLD_ROWS` rows the view shows the summary and the
    misses, with the full listing folded in ``<details>``.
    """

    FOLD_ROWS = 15

    def __init__(self, registry: Registry, table: pd.DataFrame, digits: int):
        self.registry, self.table, self.digits = registry, table, digits

    @property
    def counts(self) -> dict[str, int]:
        """Verdicts per printed number (see :func:`summary` for distinct quantities).

        ``checked`` = agrees + consistent + uninformative + differs; ``consistent`` counts only
        informative emergent numbers (the replicate interval could have excluded a clinically
        different value); ``uninformative`` ones are never agreement; ``p-value`` counts the
        p-values reported by their replicate distribution (not judged by interval).
        """
        v = self.table["verdict"].map(_verdict_kind)
        c = {k: int((v == k).sum()) for k in _VERDICTS}
        return {
            "checked": c["agrees"] + c["consistent"] + c["uninformative"] + c["differs"],
            "agrees": c["agrees"],
            "differs": c["differs"],
            "not reproducible": c["not reproducible"],
            "consistent": c["consistent"],
            "uninformative": c["uninformative"],
            "p-value": c["p-value"],
            "not judged": c["not judged"],
        }

    @property
    def summary(self) -> str:
        c = self.counts
        q = len(
            set(self.table.get("quantity_id", pd.Series(self.table.index, index=self.table.index)))
        )
        s = f"{len(self.table)} numbers ({q} distinct quantities): {c['agrees']} agree"
        if c["consistent"]:
            s += f", {c['consistent']} consistent with the replicates (informative)"
        if c["uninformative"]:
            s += f", {c['uninformative']} uninformative (replicate interval too wide to tell)"
        s += f", {c['differs']} differ"
        if c["p-value"]:
            s += f"; {c['p-value']} p-values reported by their replicate distribution"
        if c["not judged"]:
            s += f"; {c['not judged']} emergent not judged (no replicate distribution)"
        if c["not reproducible"]:
            s += f"; {c['not reproducible']} not reproducible from what was published"
        return s + "."

    def subset(self, label: str | None = None, verdict: str | None = None, ids=None) -> Comparison:
        """The rows with a given label and/or verdict (``"agrees"``, ``"consistent"``,
        ``"uninformative"``, ``"p-value"``, ``"differs"``, ``"not judged"``,
        ``"not reproducible"``), or ids."""
        t = self.table
        if label is not None:
            if label not in LABELS:
                raise ValueError(f"label must be one of {', '.join(LABELS)}; got {label!r}")
            t = t[t.label == label]
        if verdict is not None:
            if verdict not in _VERDICTS:
                raise ValueError(
                    f"verdict must be one of {', '.join(map(repr, _VERDICTS))}; got {verdict!r}"
                )
            t = t[t.verdict.map(_verdict_kind) == verdict]
        if ids is not None:
            t = t.loc[list(ids)]
        return Comparison(self.registry, t, self.digits)

    def _display(self) -> pd.DataFrame:
        t = self.table.copy()
        for col in ("reproduced", "difference"):
            t[col] = [
                (
                    "—"
                    if (v is None or (isinstance(v, float) and math.isnan(v)))
                    else format_value(round(v, self.digits), 6)
                )
                for v in t[col]
            ]
        return t

    def __repr__(self) -> str:
        cols = ["quantity", "published", "reproduced", "difference", "label", "verdict"]
        t = self._display()
        if "rep_lower" in t and t["rep_lower"].notna().any():
            t["replicates 95%"] = [
                ""
                if not np.isfinite(lo)
                else f"{format_value(lo, 3)} to {format_value(hi, 3)}"
                + (f" (median {format_value(m, 3)})" if np.isfinite(m) else "")
                + (f", p<0.05 in {100 * s:.0f}%" if np.isfinite(s) else "")
                for lo, hi, m, s in zip(
                    self.table.rep_lower,
                    self.table.rep_upper,
                    self.table.rep_median,
                    self.table.share_p05,
                )
            ]
            cols.append("replicates 95%")
        with pd.option_context(
            "display.max_colwidth", 60, "display.width", 200, "display.max_rows", 500
        ):
            return (
                f"{self.registry.key} (paper {self.registry.letter}): {self.summary}\n"
                + t[cols].to_string()
            )

    # ------------------------------------------------------------------ compact HTML view

    _LABEL_SHORT = {"recomputed": "recomp.", "by construction": "constr.", "emergent": "emerg."}
    _VERDICT_SHORT = {
        "agrees": "agrees",
        "consistent": "consistent",
        "differs": "differs",
        "uninformative": "uninform.",
        "p-value": "p: distr.",
        "not judged": "not judged",
        "not reproducible": "n/a",
    }

    def _rows_html(self, t: pd.DataFrame, notes: dict) -> str:
        esc = html.escape
        body = []
        for nid, r in t.iterrows():
            pub = self.registry[nid]
            kind = _verdict_kind(r["verdict"])
            mark = ""
            if r.get("note"):
                k = notes.setdefault(str(r["note"]), len(notes) + 1)
                mark = f"<sup class='sm-fn'><a href='#' title='{esc(str(r['note']))}'>{k}</a></sup>"
            ours = _as_printed(pub, _num(r["reproduced"]))
            if np.isfinite(_num(r.get("rep_lower"))):
                lo, hi = _as_printed(pub, r["rep_lower"]), _as_printed(pub, r["rep_upper"])
                extra = []
                if np.isfinite(_num(r.get("rep_median"))):
                    extra.append(f"med {_as_printed(pub, r['rep_median'])}")
                if np.isfinite(_num(r.get("share_p05"))):
                    extra.append(f"p&lt;.05 {100 * r['share_p05']:.0f}%")
                if r.get("n_nan"):
                    extra.append(f"{int(r['n_nan'])} NaN")
                spread = f"{esc(lo)}–{esc(hi)}" + (
                    f"<br><span class='sm-sub'>{' · '.join(extra)}</span>" if extra else ""
                )
            elif np.isfinite(_num(r.get("difference"))):
                d = float(r["difference"])
                nd = max(pub.decimals, 0) + 1
                spread = "0" if round(d, nd) == 0 else f"{d:+.{nd}f}"
            else:
                spread = ""
            lab = str(r["label"])
            verdict_title = esc(str(r["verdict"]))
            body.append(
                f"<tr><td class='sm-src' title='{esc(pub.quantity + ' — ' + pub.where)}'>"
                f"{esc(short_source(pub))}</td>"
                f"<td class='sm-num'>{esc(pub.text)}</td><td class='sm-num'>{esc(ours)}{mark}</td>"
                f"<td class='sm-num'>{spread}</td>"
                f"<td><span class='sm-badge sm-l-{lab.split()[-1]}' title='{esc(lab)}'>"
                f"{esc(self._LABEL_SHORT.get(lab, lab))}</span> "
                f"<span class='sm-badge sm-v-{kind.replace(' ', '-')}' title='{verdict_title}'>"
                f"{esc(self._VERDICT_SHORT.get(kind, kind))}</span></td></tr>"
            )
        return "".join(body)

    def _table_html(self, t: pd.DataFrame, notes: dict) -> str:
        head = (
            "<thead><tr><th>source</th><th>published</th><th>ours</th>"
            "<th>diff. / replicates 95%</th><th>label · verdict</th></tr></thead>"
        )
        return f"<table class='spinemets-compare'>{head}<tbody>{self._rows_html(t, notes)}</tbody></table>"

    def _repr_html_(self) -> str:
        esc = html.escape
        notes: dict[str, int] = {}
        out = [
            f"<div class='spinemets-compare-wrap'><p class='sm-summary'><b>{esc(self.summary)}</b></p>"
        ]
        t = self.table
        if len(t) > self.FOLD_ROWS:
            miss = t[t.verdict.map(_verdict_kind) == "differs"]
            if len(miss):
                out.append(
                    f"<p class='sm-caption'>Differs ({len(miss)}):</p>"
                    + self._table_html(miss, notes)
                )
            else:
                out.append("<p class='sm-caption'>No number differs.</p>")
            shown = dict(notes)  # footnotes of the visible misses stay visible
            if shown:
                items = "".join(f"<li value='{k}'>{esc(n)}</li>" for n, k in shown.items())
                out.append(f"<ol class='sm-notes'>{items}</ol>")
            full = self._table_html(t, notes)
            folded = {n: k for n, k in notes.items() if n not in shown}
            items = "".join(f"<li value='{k}'>{esc(n)}</li>" for n, k in folded.items())
            # the full listing's own footnotes fold with it
            out.append(
                f"<details><summary>All {len(t)} numbers</summary>{full}"
                + (f"<ol class='sm-notes'>{items}</ol>" if items else "")
                + "</details>"
            )
            return "".join(out) + "</div>"
        out.append(self._table_html(t, notes))
        if notes:
            items = "".join(f"<li value='{k}'>{esc(n)}</li>" for n, k in notes.items())
            out.append(f"<ol class='sm-notes'>{items}</ol>")
        return "".join(out) + "</div>"


def compare(
    paper: str | Registry, reproduced: Mapping[str, Any], label: str | None = None, digits: int = 4
) -> Comparison:
    """Render published vs reproduced numbers side by side, with a verdict per number.

    Verdicts by label:

    - **recomputed** and **by construction**: "agrees" when the reproduced value is within half a
      unit of the published number's last printed digit (or the ``tol``/``rtol`` of the
      :class:`Reproduced`), else "differs"; a published bound (``<0.001``) must be satisfied.
    - **emergent** with ``replicates`` (the statistic over replicate cohorts, see
      :mod:`spinemets.cohorts.replication`): NaN replicates are dropped and counted; with fewer
      than :data:`MIN_REPLICATES` valid values the verdict is "not judged (too few ...)", with
      none "not judged (all N replicates NaN)". Otherwise the central ``level`` interval
      (default 95%, :func:`numpy.quantile`, linear) is computed. The verdict is "differs" when
      the published value, read as the interval of values that round to it, does not overlap
      it. Otherwise it is "consistent" only when the verdict could have failed: the interval
      excludes a clinically different value on both sides (:func:`informativeness_rule`: a
      ratio's halving and doubling, a proportion +/- 10 points, a time +/- 3 months, anything
      else +/- 25%); else it is "uninformative (interval lo to hi)", which is never agreement.
      A published **bound** (``<0.001``) that the interval meets is uninformative.
      **p-values are not judged by an interval**: the verdict "p-value, not judged by interval"
      reports the replicate median and the share of replicates with p < 0.05 (judge the effect
      estimate instead). ``interval=(lo, hi)`` gives the interval directly.
    - **emergent** without replicates: the difference is shown, the verdict is
      "not judged (no replicates)": one synthetic cohort cannot say whether a study of this
      size would often have printed the published number.

    Parameters
    ----------
    paper : str or Registry
        A paper key (see :func:`load`) or an already loaded registry.
    reproduced : mapping
        Number id -> :class:`Reproduced`, or id -> plain value when ``label`` is given for all.
    label : {"recomputed", "by construction", "emergent"}, optional
        Label applied to plain values.
    digits : int
        Decimals shown for reproduced values and differences in the text view.

    Returns
    -------
    Comparison

    Raises
    ------
    ValueError
        For an id not in the registry, a plain value without a label, or an unknown label.

    References
    ----------
    Morris TP, White IR, Crowther MJ. Using simulation studies to evaluate statistical methods.
    Stat Med 2019;38:2074-2102. doi:10.1002/sim.8086

    Examples
    --------
    >>> from spinemets import published, radiobiology as rb
    >>> published.compare("choi2015", {"bed10_min": rb.bed(8, 1, 10)}, label="recomputed")  # doctest: +SKIP
    """
    reg = paper if isinstance(paper, Registry) else load(paper)
    if not isinstance(reproduced, Mapping):
        raise ValueError(
            f"reproduced must be a mapping from number id to value, got {type(reproduced).__name__}"
        )
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 0:
        raise ValueError(f"digits must be a whole number >= 0, got {digits!r}")
    rows = []
    qid = quantities(reg)
    for nid, rep in reproduced.items():
        pub = reg[nid] if nid in reg else None
        if pub is None:
            raise ValueError(
                f"reproduced names {nid!r}, which is not a published number of {reg.key}"
            )
        if not isinstance(rep, Reproduced):
            if label is None:
                raise ValueError(
                    f"reproduced[{nid!r}] is a plain value: pass label=... or a Reproduced(...)"
                )
            if rep is not None and (
                isinstance(rep, (bool, str)) or not isinstance(rep, (int, float, np.number))
            ):
                raise ValueError(f"reproduced[{nid!r}] must be a number (or None), got {rep!r}")
            rep = Reproduced(None if rep is None else float(rep), label)
        v = _verdict(pub, rep, value_kind(pub, reg))
        rows.append(
            {
                "id": nid,
                "quantity": pub.quantity,
                "source": pub.where,
                "published": pub.text + (f" {pub.unit}" if pub.unit else ""),
                "reproduced": None if rep.value is None else float(rep.value),
                "difference": v["difference"],
                "label": rep.label,
                "verdict": v["verdict"],
                "note": rep.note,
                "quantity_id": qid[nid],
                "only_fit": bool(rep.only_fit),
                "sources": ", ".join(rep.sources),
                **{
                    k: v[k]
                    for k in (
                        "rep_lower",
                        "rep_median",
                        "rep_upper",
                        "n_replicates",
                        "n_nan",
                        "share_p05",
                        "share_bound",
                    )
                },
            }
        )
    if not rows:
        raise ValueError("reproduced must name at least one published number")
    table = pd.DataFrame(rows).set_index("id")
    return Comparison(reg, table, digits)


def from_replicates(
    paper: str | Registry,
    values: Mapping[str, Any],
    replicates: pd.DataFrame | None = None,
    ids=None,
    notes: Mapping[str, str] | None = None,
    level: float = 0.95,
    directory: str | Path | None = None,
) -> dict[str, Reproduced]:
    """Emergent :class:`Reproduced` objects from a replicates table, ready for :func:`compare`.

    Parameters
    ----------
    paper : str or Registry
    values : mapping
        Registry id -> the value on the committed cohort (e.g. ``spinemets.analyses.analyse``).
    replicates : DataFrame, optional
        One column per registry id, one row per replicate; default: read
        ``data/replicates/<paper>.csv`` (written by ``python -m spinemets.cohorts replicates``).
    ids : iterable of str, optional
        Restrict to these ids (default: every id in ``values``).
    notes : mapping, optional
        Id -> note for the table.
    level : float
        Central interval (default 0.95).
    directory : path, optional
        Folder of the replicates CSV (default ``data/replicates``).

    Returns
    -------
    dict
        Id -> ``Reproduced(value, "emergent", replicates=column)``; an id without a replicate
        column gets ``Reproduced(value, "emergent")`` (verdict "not judged (no replicates)").
        An id the registry lists under ``fixed_in_replicates`` (a number every replicate keeps
        by design, such as a statistic of a published table the replicates hold fixed) is
        returned as ``Reproduced(value, "recomputed")`` (a computation from the published
        tables, judged to the printed precision) with the registry's reason as its note: it has
        no replicate distribution, is not an emergent verdict, and :func:`summary` counts it
        apart (``fixed_by_design``), outside the verdict counts.

    Raises
    ------
    ValueError
        If an id is not in the registry, the replicates file is missing, or a column is
        constant across replicates without being listed under ``fixed_in_replicates`` (a
        constant or fabricated distribution, e.g. ``np.full(...)``, cannot judge anything).
    """
    reg = paper if isinstance(paper, Registry) else load(paper)
    if replicates is None:
        path = Path(directory or (PUBLISHED_DIR.parent / "replicates")) / f"{reg.key}.csv"
        if not path.exists():
            raise ValueError(
                f"no replicates for {reg.key} at {path}; run "
                f"python -m spinemets.cohorts replicates --paper {reg.key}"
            )
        replicates = pd.read_csv(path, index_col="replicate", dtype=float)
    if not isinstance(replicates, pd.DataFrame):
        raise ValueError("replicates must be a DataFrame with one column per registry id")
    # names starting with "_" are not numbers but how one was got (e.g. _firth:<id>)
    ids = [k for k in values if not str(k).startswith("_")] if ids is None else list(ids)
    notes = dict(notes or {})
    qid = quantities(reg)
    out = {}
    for nid in ids:
        if nid not in reg:
            raise ValueError(f"id {nid!r} is not a published number of {reg.key}")
        if nid not in values:
            raise ValueError(f"ids names {nid!r}, which values does not give")
        v = values[nid]
        v = None if v is None else float(v)
        if nid in reg.fixed_in_replicates:
            # the same in every replicate: a computation from the published tables the
            # replicates keep, judged to the printed precision and left out of summary() counts
            out[nid] = Reproduced(
                v,
                "recomputed",
                note=notes.get(nid)
                or f"fixed across replicates by design: {reg.fixed_in_replicates[nid]}",
            )
        elif nid in replicates.columns:
            note = notes.get(nid, "")
            firth = [
                c
                for c in replicates.columns
                if str(c).startswith("_firth:")
                and str(c)[7:] in reg
                and qid[str(c)[7:]] == qid[nid]
            ]
            if firth:  # say which replicates were fitted with Firth's penalty (never dropped)
                k = int(np.nansum(replicates[firth[0]].to_numpy(float)))
                if k:
                    note = (note + "; " if note else "") + (
                        f"{k} of {len(replicates)} replicates separated (maximum likelihood runs "
                        "to infinity) and were fitted with Firth's penalised likelihood"
                    )
            try:
                out[nid] = Reproduced(
                    v,
                    "emergent",
                    note=note,
                    replicates=replicates[nid].to_numpy(float),
                    level=level,
                )
            except ValueError as e:
                raise ValueError(f"replicates of {reg.key}, column {nid!r}: {e}") from None
        else:
            out[nid] = Reproduced(v, "emergent", note=notes.get(nid, ""))
    return out


def concat(*comparisons: Comparison) -> Comparison:
    """Stack comparisons of the same paper into one table (e.g. for a chapter's summary line)."""
    if not comparisons:
        raise ValueError("concat needs at least one Comparison")
    bad = [type(c).__name__ for c in comparisons if not isinstance(c, Comparison)]
    if bad:
        raise ValueError(f"concat takes Comparison objects (from compare), got {bad}")
    keys = {c.registry.key for c in comparisons}
    if len(keys) != 1:
        raise ValueError(f"all comparisons must be of one paper, got {sorted(keys)}")
    table = pd.concat([c.table for c in comparisons])
    if table.index.duplicated().any():
        raise ValueError(
            f"number(s) compared twice: {sorted(set(table.index[table.index.duplicated()]))}"
        )
    return Comparison(comparisons[0].registry, table, max(c.digits for c in comparisons))


__all__ = ["short_source", "Comparison", "compare", "from_replicates", "concat"]
