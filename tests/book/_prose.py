"""Shared by the tests that recompute the numbers a chapter states in its prose."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def prose(name: str) -> str:
    """Chapter ``name``'s text with runs of white space folded, so a phrase may span lines."""
    return re.sub(r"\s+", " ", (ROOT / "chapters" / f"{name}.md").read_text(encoding="utf-8"))


def assert_says(name: str, phrases) -> None:
    """Fail with every phrase (recomputed by the caller) that chapter ``name`` no longer says."""
    text = prose(name)
    missing = [p for p in phrases if p not in text]
    assert not missing, f"{name}.md no longer says (recomputed): {missing}"
