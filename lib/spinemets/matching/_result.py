"""The result of :func:`spinemets.matching.match_pairs`: pairs, unmatched units, balance."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from numbers import Real
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .._results import Result
from .._validation import check_columns
from ._inputs import _as_list
from .balance import balance_table


@dataclasses.dataclass(frozen=True, repr=False)
class MatchResult(Result):
    """Matched pairs with the unmatched treated units and the reason each was left unmatched.

    Attributes
    ----------
    method, distance, order : str
    caliper : str
        The caliper as applied ("none", a width, or per-column widths).
    n_treated, n_control, n_pairs : int
    pairs : DataFrame
        One row per pair: ``pair`` (1, 2, ...), ``treated`` and ``control`` (row labels of
        ``data``) and ``distance``.
    unmatched : DataFrame
        ``treated`` (row label) and ``reason``.
    propensity : Series or None
        The estimated propensity scores when ``distance="propensity"``.
    """

    _title: ClassVar[str] = "Matched pairs"
    method: str
    distance: str
    order: str
    caliper: str
    replace: bool
    n_treated: int
    n_control: int
    n_pairs: int
    total_distance: float
    pairs: pd.DataFrame
    unmatched: pd.DataFrame
    _data: pd.DataFrame = dataclasses.field(default=None)
    _treat: np.ndarray = dataclasses.field(default=None)
    _treatment: str = ""
    _covariates: tuple = ()
    _propensity: Any = None

    _SHOW: ClassVar[int] = 5

    def _summary(self) -> tuple[list, pd.DataFrame, pd.Series]:
        scalars = [
            (k, getattr(self, k))
            for k in (
                "method",
                "distance",
                "order",
                "caliper",
                "replace",
                "n_treated",
                "n_control",
                "n_pairs",
                "total_distance",
            )
        ]
        scalars.append(("n_unmatched", len(self.unmatched)))
        reasons = (
            self.unmatched["reason"].value_counts() if len(self.unmatched) else pd.Series(dtype=int)
        )
        return scalars, self.pairs.head(self._SHOW), reasons

    def __repr__(self) -> str:
        from .._results import format_value

        scalars, head, reasons = self._summary()
        width = max(len(k) for k, _ in scalars)
        lines = [f"<{self._title}>"] + [f"  {k:<{width}}  {format_value(v)}" for k, v in scalars]
        lines.append(f"  pairs (first {len(head)} of {self.n_pairs}):")
        lines += ["    " + ln for ln in head.round(4).to_string(index=False).splitlines()]
        if len(reasons):
            lines.append("  unmatched treated, by reason:")
            lines += [f"    {n:>4d}  {r}" for r, n in reasons.items()]
        return "\n".join(lines)

    __str__ = __repr__

    def _repr_html_(self) -> str:
        import html

        from .._results import format_value

        scalars, head, reasons = self._summary()
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(format_value(v))}</td></tr>"
            for k, v in scalars
        )
        out = f"<div><b>{self._title}</b><table>{rows}</table>"
        out += f"<p><i>pairs (first {len(head)} of {self.n_pairs})</i></p>" + head.round(4).to_html(
            index=False
        )
        if len(reasons):
            out += "<p><i>unmatched treated, by reason</i></p>" + reasons.to_frame("n").to_html()
        return out + "</div>"

    @property
    def propensity(self) -> pd.Series | None:
        if self._propensity is None:
            return None
        return pd.Series(self._propensity, index=self._data.index, name="propensity")

    def weights(self) -> pd.Series:
        """Matching weights: 1 for each matched treated unit, the number of times a control is used."""
        w = pd.Series(0.0, index=self._data.index, name="weight")
        w.loc[list(self.pairs["treated"])] = 1.0
        counts = self.pairs["control"].value_counts()
        w.loc[counts.index] += counts.to_numpy(dtype=float)
        return w

    def matched_data(self) -> pd.DataFrame:
        """The matched rows of ``data``, treated then control of each pair, with a ``pair`` id column.

        With ``replace=True`` a control used by several pairs appears once per pair.
        """
        rows = []
        for role in ("treated", "control"):
            part = self._data.loc[list(self.pairs[role])].copy()
            part.insert(0, "pair", self.pairs["pair"].to_numpy())
            part.insert(1, "matched_as", role)
            rows.append(part)
        out = pd.concat(rows)
        out["_k"] = np.r_[np.zeros(self.n_pairs), np.ones(self.n_pairs)]
        out = out.sort_values(["pair", "_k"], kind="stable").drop(columns="_k")
        return out

    def balance(self, covariates: Sequence[str] | None = None) -> pd.DataFrame:
        """Covariate balance before and after matching (MatchIt's ``summary()`` for the ATT).

        See :func:`balance_table` for the definitions. ``covariates`` defaults to the matching
        covariates (plus the exact-matching variables); with a propensity distance the first
        row is the propensity score itself (``distance``), as MatchIt prints it.
        """
        cols = list(self._covariates) if covariates is None else _as_list(covariates, "covariates")
        check_columns(self._data, cols, argument="covariates", complete=True)
        extra = None
        if self._propensity is not None and covariates is None:
            extra = pd.Series(self._propensity, index=self._data.index, name="distance")
        return balance_table(self._data, self._treat, cols, self.weights(), extra=extra)

    def love_plot(self, ax=None, threshold: float = 0.1, absolute: bool = True, covariates=None):
        """Love plot: the standardised mean difference of each covariate before and after matching.

        Returns the matplotlib Axes. Dashed lines mark ``threshold`` (0.1 by default).
        """
        import matplotlib.pyplot as plt

        if not (isinstance(threshold, Real) and threshold > 0):
            raise ValueError(f"threshold must be a positive number, got {threshold!r}")
        b = self.balance(covariates)
        before, after = b["smd_before"], b["smd_after"]
        if absolute:
            before, after = before.abs(), after.abs()
        order = np.argsort(before.to_numpy())
        y = np.arange(len(b))
        if ax is None:
            _, ax = plt.subplots(figsize=(6, 0.32 * len(b) + 1.2))
        ax.scatter(
            before.to_numpy()[order],
            y,
            marker="o",
            facecolors="none",
            edgecolors="#D55E00",
            label="before matching",
        )
        ax.scatter(after.to_numpy()[order], y, marker="o", color="#0072B2", label="after matching")
        ax.set_yticks(y)
        ax.set_yticklabels(b.index.to_numpy()[order])
        for t in (threshold,) if absolute else (-threshold, threshold):
            ax.axvline(t, ls="--", color="grey", lw=1)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlabel(("absolute " if absolute else "") + "standardised mean difference")
        ax.legend(loc="lower right", fontsize=8)
        return ax
