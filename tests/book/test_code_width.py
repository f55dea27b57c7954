"""Chapter code fits the page: no line of a code cell is longer than 88 characters.

At the book's code font a longer line no longer fits the content column at 1280 px and would
scroll sideways (the CSS wraps code on a phone, but a wrapped line of code reads badly too).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9]*.md"))
WIDTH = 88


def _long_lines(md: Path):
    in_code = False
    for i, line in enumerate(md.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```{code-cell}"):
            in_code = True
        elif in_code and line.startswith("```"):
            in_code = False
        elif in_code and len(line) > WIDTH:
            yield f"{md.name}:{i} ({len(line)})"


@pytest.mark.parametrize("md", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_code_lines_fit(md):
    assert list(_long_lines(md)) == []
