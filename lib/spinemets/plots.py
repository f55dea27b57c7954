"""Figures in one book style.

:func:`km_plot` draws Kaplan-Meier curves the way clinical papers do (step functions, censoring
ticks, a number-at-risk table under the axis, the log-rank p on the figure) so that a reader can
hold the book's figure next to the paper's.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from . import survival as sv
from ._results import format_p
from ._validation import check_durations, check_events, check_same_length

__all__ = ["PALETTE", "book_style", "km_plot"]

#: Colour-blind-safe palette (Okabe & Ito) used by every figure of the book.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]


def book_style() -> None:
    """Apply the book's matplotlib style (white background, light grid, palette)."""
    plt.rcParams.update({
        "figure.facecolor": "white", "axes.facecolor": "white", "axes.grid": True,
        "grid.color": "#e5e5e5", "axes.spines.top": False, "axes.spines.right": False,
        "axes.prop_cycle": plt.cycler(color=PALETTE), "font.size": 10, "figure.dpi": 100,
    })


def km_plot(durations, events, groups=None, ax=None, at_risk_times: Sequence[float] | None = None,
            show_logrank: bool = True, xlabel: str = "Months", ylabel: str = "Survival probability",
            title: str | None = None, order: Sequence | None = None, labels: dict | None = None,
            show_censors: bool = True):
    """Kaplan-Meier curves with a number-at-risk table and the log-rank p.

    Parameters
    ----------
    durations, events : array-like
    groups : array-like, optional
        One curve per level; omitted for a single curve.
    ax : matplotlib Axes, optional
    at_risk_times : sequence of float, optional
        Times at which to count patients at risk (default: 6 evenly spaced ticks).
    show_logrank : bool
        Print the log-rank p (all groups together) on the figure.
    order, labels : optional
        Order of the groups and display labels ``{level: label}``.

    Returns
    -------
    matplotlib Axes
    """
    book_style()
    t = check_durations(durations)
    e = check_events(events)
    check_same_length(durations=t, events=e)
    g = np.zeros(len(t), dtype=int) if groups is None else np.asarray(groups, dtype=object)
    check_same_length(durations=t, groups=g)
    levels = list(order) if order is not None else sorted(pd.unique(g), key=str)
    labels = labels or {}
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.6))
    tmax = t.max()
    if at_risk_times is None:
        at_risk_times = np.linspace(0, tmax, 6).round(0)
    at_risk_times = np.asarray(at_risk_times, dtype=float)
    counts = []
    for i, lev in enumerate(levels):
        m = g == lev
        if not m.any():
            raise ValueError(f"order names a group {lev!r} that has no patients")
        tab = sv.km_table(t[m], e[m])
        x = np.r_[0.0, tab.time.to_numpy()]
        y = np.r_[1.0, tab.survival.to_numpy()]
        colour = PALETTE[i % len(PALETTE)]
        name = labels.get(lev, str(lev)) if groups is not None else "All patients"
        ax.step(x, y, where="post", color=colour, lw=1.8, label=f"{name} (n={int(m.sum())})")
        if show_censors:
            cens = tab[tab.n_censor > 0]
            ax.plot(cens.time, cens.survival, "|", color=colour, ms=7, mew=1.2)
        counts.append([int((t[m] >= a).sum()) for a in at_risk_times])
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, max(tmax, at_risk_times.max()) * 1.02)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    if groups is not None and len(levels) > 1 and show_logrank:
        r = sv.logrank(t, e, g)
        ax.text(0.98, 0.95, f"log-rank p {'= ' if r.p_value >= 0.001 else ''}{format_p(r.p_value)}",
                transform=ax.transAxes, ha="right", va="top")
    ax.legend(loc="upper right", bbox_to_anchor=(1.0, 0.88), frameon=False)
    # number-at-risk table below the axis
    ax.set_xticks(at_risk_times)
    n_rows = len(levels)
    for i, row in enumerate(counts):
        yrow = -0.22 - 0.07 * i
        name = labels.get(levels[i], str(levels[i])) if groups is not None else "At risk"
        ax.text(-0.05, yrow, name, transform=ax.transAxes, ha="right", va="center", color=PALETTE[i % len(PALETTE)], fontsize=9)
        for a, c in zip(at_risk_times, row):
            ax.text(a, yrow, str(c), transform=ax.get_xaxis_transform(), ha="center", va="center", fontsize=9)
    ax.text(-0.05, -0.22 + 0.07, "Number at risk", transform=ax.transAxes, ha="right", va="center", fontsize=9, style="italic")
    ax.figure.subplots_adjust(bottom=0.16 + 0.07 * n_rows, left=0.2)
    return ax
