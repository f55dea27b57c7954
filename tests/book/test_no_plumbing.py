"""No chapter shows plumbing (issue 24): no glue call or role, no Reproduced(...), no registry id in
any cell or in the prose (the notebook Colab opens holds every cell, remove-cell ones too), and
the paper chapters (10-14) keep their reading budgets. The measure is
benchmarks/chapter_budgets.py's, run here as ``--check``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import chapter_budgets  # noqa: E402

CHAPTERS = sorted((ROOT / "chapters").glob("[0-9]*.md"))


@pytest.mark.parametrize("md", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_within_budget(md):
    row = chapter_budgets.measure(md)
    assert chapter_budgets.over_budget(row) == [], row


def test_the_measure_sees_plumbing(tmp_path):
    md = tmp_path / "10_paper_x.md"
    md.write_text(
        "# T\n\nSee {glue:text}`n`.\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n"
        'glue("n", A.value("t1_age_n"))\n```\n',
        encoding="utf-8",
    )
    row = chapter_budgets.measure(md)
    assert (row["glue"], row["ids"], row["code"]) == (2, 1, 0)
    assert chapter_budgets.over_budget(row) == ["3 plumbing items"]
