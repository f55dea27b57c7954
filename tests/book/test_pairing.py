"""Each chapter's .md source and its executed .ipynb twin are in sync, fully executed and clean.

`jupytext --diff` always exits 0, so it cannot gate CI: this test compares the code cells itself.
Fix a failure with ``python scripts/sync_notebooks.py <chapter>``.
"""

from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9]*.md"))


def _code(nb):
    return [c.source.strip() for c in nb.cells if c.cell_type == "code"]


def test_there_are_chapters():
    assert CHAPTERS, "no chapters/NN_*.md found"


@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: p.stem)
def test_pair_in_sync_and_executed(md):
    ipynb = md.with_suffix(".ipynb")
    assert ipynb.exists(), (
        f"{md.name} has no .ipynb twin: run python scripts/sync_notebooks.py {md.stem}"
    )
    nb = nbformat.read(ipynb, as_version=4)
    assert _code(jupytext.read(md)) == _code(nb), (
        f"{md.name} and its .ipynb are out of sync: re-execute and sync"
    )
    unexecuted = [
        i for i, c in enumerate(nb.cells) if c.cell_type == "code" and not c.execution_count
    ]
    assert not unexecuted, f"{ipynb.name}: code cells {unexecuted} were never executed"
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{ipynb.name} was not executed top to bottom in one run"
    )


@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: p.stem)
def test_no_errors_or_warnings_in_outputs(md):
    """stderr is not compared by nbval, so look for leaked warnings and errors here."""
    nb = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", f"{md.stem}: cell {i} stored an error"
            text = out.get("text", "") if out.get("output_type") == "stream" else ""
            assert "Warning" not in text, f"{md.stem}: cell {i} printed a warning: {text[:200]}"


@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_is_in_toc(md):
    toc = (ROOT / "_toc.yml").read_text()
    assert f"chapters/{md.name}" in toc, f"{md.name} is not listed in _toc.yml"
