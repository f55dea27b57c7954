"""A chapter's stated reading time agrees with what its text measures.

The measure is benchmarks/chapter_budgets.py's (100 prose words a minute, a minute per 10 code
lines, the Exercises section left out), so a stated time cannot drift when the chapter grows.
"""

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import chapter_budgets  # noqa: E402

STATED = re.compile(r"^\*Reading time: about (\d+) minutes", re.M)
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9]*.md"))
WITH_TIME = [p for p in CHAPTERS if STATED.search(p.read_text(encoding="utf-8"))]


def test_every_chapter_states_its_reading_time():
    assert [p.name for p in CHAPTERS if p not in WITH_TIME] == []


@pytest.mark.parametrize("md", WITH_TIME, ids=lambda p: p.stem)
def test_stated_reading_time_matches_the_measure(md):
    m = STATED.search(md.read_text(encoding="utf-8"))
    stated, measured = int(m.group(1)), chapter_budgets.measure(md)["reading_minutes"]
    assert abs(stated - measured) <= max(5, 0.3 * measured), (stated, measured)
