"""Figures in one book style.

:func:`km_plot` draws Kaplan-Meier curves the way clinical papers do (step functions, censoring
ticks, a number-at-risk table under the axis, the log-rank p on the figure) so that a reader can
hold the book's figure next to the paper's; :func:`forest_plot` puts published ratios and CIs
beside ours and our replicate interval; :func:`replicate_plot` shows the distribution of an
emergent statistic over replicate cohorts with the published value marked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullFormatter

from . import survival as sv
from ._results import format_p
from ._validation import (
    as_float_array,
    check_durations,
    check_events,
    check_flag,
    check_same_length,
)

__all__ = [
    "PALETTE",
    "book_style",
    "km_plot",
    "forest_plot",
    "replicate_plot",
    "audit_forest",
    "verdict_overview",
    "VERDICT_COLOURS",
]

#: Colour-blind-safe palette (Okabe & Ito) used by every figure of the book.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]


def book_style() -> None:
    """Apply the book's matplotlib style (white background, light grid, palette)."""
    plt.rcParams.update(
        {
            "figure.facecolor": "white",
            "axes.facecolor": "white",
            "axes.grid": True,
            "grid.color": "#e5e5e5",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": plt.cycler(color=PALETTE),
            "font.size": 10,
            "figure.dpi": 100,
        }
    )


def _at_risk_grid(t_max: float, xmax: float | None, at_risk_times) -> tuple[float, np.ndarray]:
    """The plotted range and the at-risk times (= the x ticks), made to agree."""
    if xmax is not None:
        xmax = float(xmax)
        if not (math.isfinite(xmax) and xmax > 0):
            raise ValueError(f"xmax must be a positive number, got {xmax!r}")
    if at_risk_times is not None:
        a = as_float_array(at_risk_times, "at_risk_times")
        if a.size == 0 or not np.all(np.isfinite(a)) or (a < 0).any() or (np.diff(a) <= 0).any():
            raise ValueError(
                "at_risk_times must be increasing non-negative numbers, "
                f"got {list(np.asarray(at_risk_times).ravel())}"
            )
        if xmax is None:
            xmax = float(a.max())  # the plotted range ends where the at-risk table ends
        elif a.max() > xmax:
            raise ValueError(f"at_risk_times must lie in [0, xmax={xmax:g}]; got {a.max():g}")
        return xmax, a
    xmax = float(t_max) if xmax is None else xmax
    if xmax <= 0:
        xmax = 1.0  # every duration is 0: draw a unit axis rather than a singular one
    ticks = MaxNLocator(nbins=6, steps=[1, 2, 2.5, 3, 5, 6, 10], integer=xmax >= 6).tick_values(
        0, xmax
    )
    ticks = ticks[(ticks >= 0) & (ticks <= xmax * (1 + 1e-9))]
    return xmax, ticks


def km_plot(
    durations,
    events,
    groups=None,
    ax=None,
    at_risk_times: Sequence[float] | None = None,
    show_logrank: bool = True,
    xlabel: str = "Months",
    ylabel: str = "Survival probability",
    title: str | None = None,
    order: Sequence | None = None,
    labels: dict | None = None,
    show_censors: bool = True,
    xmax: float | None = None,
):
    """Kaplan-Meier curves with a number-at-risk table and the log-rank p.

    The x ticks, the columns of the at-risk table and the plotted range always agree: the
    ticks *are* the at-risk times, and the axis runs from 0 to ``xmax``.

    Parameters
    ----------
    durations, events : array-like
    groups : array-like, optional
        One curve per level; omitted for a single curve.
    ax : matplotlib Axes, optional
    at_risk_times : sequence of float, optional
        Times at which to count patients at risk (also the x ticks). Default: about six round
        ticks from 0 to ``xmax``.
    xmax : float, optional
        End of the plotted range, e.g. the range of the published figure (paper A's Fig. 1 runs
        to 24 months). Default: the last of ``at_risk_times`` if given, else the longest time.
        Curves are drawn up to ``xmax`` only.
    show_logrank : bool
        Print the log-rank p (all groups together, over the whole follow-up) on the figure.
    order, labels : optional
        Order of the groups and display labels ``{level: label}``.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ValueError
        For bad durations or events, a group in ``order`` without patients, ``xmax`` <= 0, or
        ``at_risk_times`` not increasing, negative, or beyond ``xmax``.
    """
    book_style()
    show_logrank = check_flag(show_logrank, "show_logrank")
    if ax is not None and not hasattr(ax, "step"):
        raise ValueError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    t = check_durations(durations)
    e = check_events(events)
    check_same_length(durations=t, events=e)
    g = np.zeros(len(t), dtype=int) if groups is None else np.asarray(groups, dtype=object)
    check_same_length(durations=t, groups=g)
    levels = list(order) if order is not None else sorted(pd.unique(g), key=str)
    labels = labels or {}
    xmax, at_risk_times = _at_risk_grid(float(t.max()), xmax, at_risk_times)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.6))
    counts = []
    for i, lev in enumerate(levels):
        m = g == lev
        if not m.any():
            raise ValueError(f"order names a group {lev!r} that has no patients")
        tab = sv.km_table(t[m], e[m])
        x = np.r_[0.0, tab.time.to_numpy()]
        y = np.r_[1.0, tab.survival.to_numpy()]
        keep = x <= xmax
        x, y = np.r_[x[keep], xmax], np.r_[y[keep], y[keep][-1]]  # the step runs to the edge
        colour = PALETTE[i % len(PALETTE)]
        name = labels.get(lev, str(lev)) if groups is not None else "All patients"
        ax.step(x, y, where="post", color=colour, lw=1.8, label=f"{name} (n={int(m.sum())})")
        if show_censors:
            cens = tab[(tab.n_censor > 0) & (tab.time <= xmax)]
            ax.plot(cens.time, cens.survival, "|", color=colour, ms=7, mew=1.2)
        counts.append([int((t[m] >= a).sum()) for a in at_risk_times])
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, xmax * 1.02)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    if groups is not None and len(levels) > 1 and show_logrank:
        r = sv.logrank(t, e, g)
        ax.text(
            0.98,
            0.95,
            f"log-rank p {'= ' if r.p_value >= 0.001 else ''}{format_p(r.p_value)}",
            transform=ax.transAxes,
            ha="right",
            va="top",
        )
    ax.legend(loc="upper right", bbox_to_anchor=(1.0, 0.88), frameon=False)
    # number-at-risk table below the axis, one column per tick
    ax.set_xticks(at_risk_times)
    ax.set_xticklabels([f"{a:g}" for a in at_risk_times])
    n_rows = len(levels)
    for i, row in enumerate(counts):
        yrow = -0.22 - 0.07 * i
        name = labels.get(levels[i], str(levels[i])) if groups is not None else "At risk"
        ax.text(
            -0.05,
            yrow,
            name,
            transform=ax.transAxes,
            ha="right",
            va="center",
            color=PALETTE[i % len(PALETTE)],
            fontsize=9,
        )
        for a, c in zip(at_risk_times, row):
            ax.text(
                a,
                yrow,
                str(c),
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="center",
                fontsize=9,
            )
    ax.text(
        -0.05,
        -0.22 + 0.07,
        "Number at risk",
        transform=ax.transAxes,
        ha="right",
        va="center",
        fontsize=9,
        style="italic",
    )
    ax.figure.subplots_adjust(bottom=0.16 + 0.07 * n_rows, left=0.2)
    return ax


FOREST_COLUMNS = (
    "published",
    "published_lower",
    "published_upper",
    "ours",
    "ours_lower",
    "ours_upper",
    "rep_lower",
    "rep_upper",
)


def forest_plot(
    rows: pd.DataFrame,
    ax=None,
    log: bool = True,
    xlabel: str = "Hazard ratio (95% CI)",
    title: str | None = None,
    null: float | None = None,
):
    """Forest plot: the published estimate and CI beside ours, with our replicate interval.

    Parameters
    ----------
    rows : DataFrame
        One row per estimate (the index labels the rows, top to bottom) with columns
        ``published``, ``published_lower``, ``published_upper``, ``ours``, ``ours_lower``,
        ``ours_upper`` and optionally ``rep_lower``, ``rep_upper`` (the central 95% of the
        estimate over replicate cohorts). NaN leaves a part out.
    ax : matplotlib Axes, optional
    log : bool
        Log axis (ratios); then every value must be positive.
    null : float, optional
        Reference line (default 1 on a log axis, 0 otherwise).

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ValueError
        If ``rows`` is not a DataFrame, lacks the published or our columns, or (``log``) holds
        a value <= 0.

    References
    ----------
    Lewis S, Clarke M. Forest plots: trying to see the wood and the trees. BMJ 2001;322:1479-1480.
    doi:10.1136/bmj.322.7300.1479
    """
    book_style()
    if not isinstance(rows, pd.DataFrame) or rows.empty:
        raise ValueError("rows must be a non-empty DataFrame with one row per estimate")
    missing = [c for c in FOREST_COLUMNS[:6] if c not in rows.columns]
    if missing:
        raise ValueError(
            f"rows lacks column(s) {missing}; needs {list(FOREST_COLUMNS[:6])} "
            "(and optionally rep_lower, rep_upper)"
        )
    cols = [c for c in FOREST_COLUMNS if c in rows.columns]
    vals = rows[cols].apply(pd.to_numeric, errors="coerce").astype(float)
    if log and (vals.to_numpy()[np.isfinite(vals.to_numpy())] <= 0).any():
        raise ValueError("with log=True every estimate and limit must be > 0 (ratios)")
    n = len(rows)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.55 * n + 1.2))
    y = np.arange(n)[::-1].astype(float)
    r = vals
    if "rep_lower" in r:
        ok = np.isfinite(r.rep_lower) & np.isfinite(r.rep_upper)
        ax.barh(
            y[ok] - 0.14,
            (r.rep_upper - r.rep_lower)[ok],
            left=r.rep_lower[ok],
            height=0.22,
            color=PALETTE[1],
            alpha=0.25,
            label="ours: central 95% of replicates",
        )
    for off, key, colour, marker, lab in (
        (0.14, "published", "black", "s", "published (95% CI)"),
        (-0.14, "ours", PALETTE[0], "o", "ours, one cohort (95% CI)"),
    ):
        est, lo, hi = r[key], r[f"{key}_lower"], r[f"{key}_upper"]
        ok = np.isfinite(est)
        err = np.vstack(
            [(est - lo).where(np.isfinite(lo), 0), (hi - est).where(np.isfinite(hi), 0)]
        )
        ax.errorbar(
            est[ok],
            y[ok] + off,
            xerr=err[:, ok.to_numpy()],
            fmt=marker,
            color=colour,
            ms=5,
            capsize=2,
            lw=1.2,
            label=lab,
        )
    if log:
        ax.set_xscale("log")
        finite = vals.to_numpy()[np.isfinite(vals.to_numpy())]
        lo_, hi_ = finite.min(), finite.max()
        nice = np.array([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100])
        ticks = nice[(nice >= lo_ / 1.3) & (nice <= hi_ * 1.3)]
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.axvline(null if null is not None else (1.0 if log else 0.0), color="0.5", lw=0.8, ls="--")
    ax.set_yticks(y)
    ax.set_yticklabels([str(i) for i in rows.index])
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    if title:
        ax.set_title(title)
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18 if n > 3 else -0.3),
        ncol=3,
        frameon=False,
        fontsize=8,
    )
    ax.figure.tight_layout()
    return ax


def replicate_plot(
    values,
    published=None,
    ours: float | None = None,
    ax=None,
    bins: int = 30,
    log: bool | None = None,
    xlabel: str = "statistic",
    level: float = 0.95,
    title: str | None = None,
):
    """Histogram of an emergent statistic over replicate cohorts, with the published value marked.

    Parameters
    ----------
    values : array-like
        The statistic over replicates (NaN dropped; their number is printed on the figure).
    published : float, str or PublishedNumber, optional
        The published value; a bound such as ``"<0.001"`` is drawn as a dashed line with the bound.
    ours : float, optional
        The value on the committed cohort.
    bins : int
    log : bool, optional
        Log10 axis; default: when every value is positive and they span more than two decades
        (p-values).
    level : float
        The shaded central interval (default 0.95).

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ValueError
        With no finite value, ``bins`` < 1, ``level`` outside (0, 1), or a published value that is
        not a printed number.

    References
    ----------
    Morris TP, White IR, Crowther MJ. Using simulation studies to evaluate statistical methods.
    Stat Med 2019;38:2074-2102. doi:10.1002/sim.8086
    """
    from ._validation import check_open_interval
    from .published import PublishedNumber, parse_printed

    book_style()
    level = check_open_interval(level, "level")
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ValueError(f"bins must be a whole number >= 1, got {bins!r}")
    v = np.asarray(values, dtype=float).ravel()
    ok = v[np.isfinite(v)]
    if ok.size == 0:
        raise ValueError("values has no finite replicate value to plot")
    bound, pub_text = None, None
    if isinstance(published, PublishedNumber):
        pub, bound, pub_text = published.value, published.bound, published.text
    elif isinstance(published, str):
        pub, bound, _ = parse_printed(published, "published")
        pub_text = published
    else:
        pub = None if published is None else float(published)
        pub_text = None if pub is None else f"{pub:g}"
    if log is None:
        log = bool((ok > 0).all() and ok.max() / ok.min() > 100)
    if log and (ok <= 0).any():
        raise ValueError("log=True needs positive values")
    tr = np.log10 if log else (lambda x: np.asarray(x, float))
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.2))
    x = tr(ok)
    ax.hist(x, bins=bins, color="0.65", edgecolor="white")
    a = (1 - level) / 2
    lo, hi = np.quantile(ok, [a, 1 - a])
    ax.axvspan(
        tr(lo),
        tr(hi),
        color=PALETTE[5],
        alpha=0.15,
        lw=0,
        label=f"central {100 * level:g}% of replicates",
    )
    if pub is not None:
        ax.axvline(
            tr(pub), color="black", lw=1.6, ls="--" if bound else "-", label=f"published {pub_text}"
        )
    if ours is not None and np.isfinite(ours) and (not log or ours > 0):
        ax.axvline(tr(ours), color=PALETTE[0], lw=1.4, label=f"our cohort {ours:.3g}")
    ax.set_xlabel(("log10 " if log else "") + xlabel)
    ax.set_ylabel("replicates")
    n_nan = int(v.size - ok.size)
    ax.text(
        0.99,
        0.97,
        f"{ok.size} replicates" + (f" ({n_nan} NaN dropped)" if n_nan else ""),
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=8,
    )
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    return ax


def audit_forest(rows: pd.DataFrame, ax=None, title: str | None = None):
    """The audit's forest plot: each emergent estimate's published value against the central
    95% of the same statistic over replicate cohorts, on one scale.

    Quantities of different units (months, ratios, counts) share one axis by dividing each row
    by its replicate median: 1 is the replicates' typical value, the bar is their central 95%,
    and a published value (square) outside its bar is a "differs" verdict. Our value on the one
    committed cohort is the circle.

    Parameters
    ----------
    rows : DataFrame
        Index: row labels (top to bottom). Columns ``published``, ``ours``, ``rep_lower``,
        ``rep_median``, ``rep_upper`` and ``verdict`` (the verdict word, shown in the label).
        Rows whose values are not all positive are left out (a ratio to the median needs them).
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ValueError
        If ``rows`` is not a DataFrame with those columns, or no row is drawable.

    References
    ----------
    Lewis S, Clarke M. Forest plots: trying to see the wood and the trees. BMJ 2001;322:1479-1480.
    doi:10.1136/bmj.322.7300.1479
    """
    need = ["published", "ours", "rep_lower", "rep_median", "rep_upper", "verdict"]
    if not isinstance(rows, pd.DataFrame) or any(c not in rows.columns for c in need):
        raise ValueError(f"rows must be a DataFrame with columns {need}")
    v = rows[need[:5]].apply(pd.to_numeric, errors="coerce").astype(float)
    ok = (v > 0).all(axis=1)
    if not ok.any():
        raise ValueError("rows holds no row with positive published, replicate and own values")
    v, verdict = v[ok], rows.verdict[ok].astype(str)
    book_style()
    n = len(v)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.2 * n + 1.4))
    y = np.arange(n)[::-1].astype(float)
    m = v.rep_median.to_numpy()
    lo, hi = v.rep_lower.to_numpy() / m, v.rep_upper.to_numpy() / m
    ax.barh(y, hi - lo, left=lo, height=0.6, color=PALETTE[1], alpha=0.25,
            label="replicates: central 95%")  # fmt: skip
    miss = verdict.str.startswith("differs").to_numpy()
    ax.plot(v.published.to_numpy()[~miss] / m[~miss], y[~miss], "s", color="black", ms=4,
            label="published (inside)")  # fmt: skip
    ax.plot(v.published.to_numpy()[miss] / m[miss], y[miss], "s", color=PALETTE[1], ms=5,
            label="published (differs)")  # fmt: skip
    ax.plot(v.ours.to_numpy() / m, y, "o", mfc="none", color=PALETTE[0], ms=4,
            label="ours, one cohort")  # fmt: skip
    ax.set_xscale("log")
    ax.axvline(1.0, color="0.5", lw=0.8, ls="--")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_yticks(y)
    ax.set_yticklabels([str(i) for i in v.index], fontsize=7)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlabel("value / median of the replicates (log scale)")
    ax.grid(axis="y", visible=False)
    if title:
        ax.set_title(title, pad=30)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0 if not title else 1.04), ncol=2,
              frameon=False, fontsize=8)  # fmt: skip
    ax.figure.tight_layout()
    return ax


#: Verdict categories of the overview, in stacking order, with their colours
VERDICT_COLOURS = {
    "agrees": PALETTE[2],
    "only fit": PALETTE[5],
    "informative": PALETTE[0],
    "uninformative": "#bbbbbb",
    "p-value": PALETTE[3],
    "differs": PALETTE[1],
    "not reproducible": "#666666",
    "by construction": PALETTE[4],
    "not judged": "#dddddd",
}


def verdict_overview(counts: pd.DataFrame, ax=None, title: str | None = None):
    """The audit's verdict overview: per section of the paper, how many printed numbers got
    each verdict (a stacked horizontal bar; the legend names every category, so colour is
    never the only cue).

    Parameters
    ----------
    counts : DataFrame
        Index: sections (top to bottom); columns: categories of :data:`VERDICT_COLOURS`
        (missing ones count 0); values: counts of printed numbers.

    Returns
    -------
    matplotlib Axes
    """
    if not isinstance(counts, pd.DataFrame) or counts.empty:
        raise ValueError("counts must be a non-empty DataFrame (sections x verdict categories)")
    unknown = [c for c in counts.columns if c not in VERDICT_COLOURS]
    if unknown:
        raise ValueError(
            f"counts has unknown categories {unknown}; allowed: {list(VERDICT_COLOURS)}"
        )
    book_style()
    cats = [c for c in VERDICT_COLOURS if c in counts.columns and counts[c].sum() > 0]
    n = len(counts)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.35 * n + 1.8))
    y = np.arange(n)[::-1].astype(float)
    left = np.zeros(n)
    for c in cats:
        w = counts[c].fillna(0).to_numpy(float)
        ax.barh(y, w, left=left, color=VERDICT_COLOURS[c], label=c, height=0.7,
                edgecolor="white", linewidth=0.5)  # fmt: skip
        left += w
    ax.set_yticks(y)
    ax.set_yticklabels([str(i) for i in counts.index], fontsize=8)
    ax.set_xlabel("printed numbers")
    ax.grid(axis="y", visible=False)
    if title:
        ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.6 / max(n, 1)), ncol=3,
              frameon=False, fontsize=8)  # fmt: skip
    ax.figure.tight_layout()
    return ax
