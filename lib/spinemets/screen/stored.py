"""The screen's measured rates, stored by ``benchmarks/bench_screen.py`` for the book.

Chapter 20 quotes these instead of typing them: :func:`honest_rates` (false alarms and detection
per rule and printing convention, ``python benchmarks/bench_screen.py 200 --write``) and
:func:`extraction_recall` (how much of each hand registry the text extraction finds,
``python benchmarks/bench_screen.py --recall``).
"""

from __future__ import annotations

import json

import pandas as pd

from ..paths import DATA_DIR


def _read(name: str) -> dict:
    path = DATA_DIR / "benchmarks" / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise ValueError(f"{path} is missing: run benchmarks/bench_screen.py to store it") from None


def honest_rates() -> tuple[pd.DataFrame, dict]:
    """The stored benchmark run: one row per rule and convention (``honest``,
    ``false_alarms``, ``named`` (false alarms that name their convention), ``injected``,
    ``detected``), and the run's settings (``command``, ``n``, ``seed``, ``budget_met``,
    ``symmetric_median_ci``)."""
    raw = _read("screen_rates.json")
    table = pd.DataFrame(raw["rows"]).set_index(["rule", "convention"])
    return table, {k: v for k, v in raw.items() if k != "rows"}


def extraction_recall() -> tuple[pd.DataFrame, str]:
    """The stored recall of the extraction per paper, and the command that measured it."""
    raw = _read("screen_recall.json")
    return pd.DataFrame(raw["rows"]).set_index("letter"), raw["command"]


__all__ = ["honest_rates", "extraction_recall"]
