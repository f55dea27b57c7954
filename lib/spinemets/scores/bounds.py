"""Totals a score can reach for a given primary site."""

from __future__ import annotations

from ._common import _choice
from .tokuhashi import TOKUHASHI_1990_PRIMARY, TOKUHASHI_2005_PRIMARY
from .tomita import _TOMITA_GROWTH, _tomita_growth


def total_range(score: str, primary: str) -> tuple[int, int]:
    """Lowest and highest total a score can reach for a primary site.

    Only the primary-site item depends on the primary; the other items range over all their
    values. HCC ("liver"): revised and original Tokuhashi 1-11, Tomita 5-10.

    Parameters
    ----------
    score : {"tokuhashi_revised", "tokuhashi_original", "tomita"}
    primary : str
        A primary site known to that score.

    >>> total_range("tomita", "liver")
    (5, 10)
    """
    score = _choice(
        score, "score", {k: k for k in ("tokuhashi_revised", "tokuhashi_original", "tomita")}
    )
    if score == "tomita":
        g = _TOMITA_GROWTH[_tomita_growth(primary)]
        return g + 0 + 1, g + 4 + 2
    table = TOKUHASHI_2005_PRIMARY if score == "tokuhashi_revised" else TOKUHASHI_1990_PRIMARY
    p = _choice(primary, "primary", table)
    return p, p + 2 * 5
