"""Each chapter executes once per CI run (issue 27): the notebook tests write their outputs to
the book's jupyter-cache (conftest.py) and _ext/parallel_execute.py fills what the cache lacks,
both under the key they compute from the chapter's ``.md``. That key must be the one MyST-NB
computes when the build reads the page (its own reader, with the book's MyST configuration),
or the build silently executes every chapter again: checked here for every chapter against
MyST-NB and jupyter-cache themselves.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9]*.md"))


def _as_the_build_reads(md: Path):
    """The notebook MyST-NB's Sphinx parser builds from ``md`` (myst_nb.sphinx_.Parser.parse)."""
    from myst_nb.core.config import NbParserConfig
    from myst_nb.core.read import create_nb_reader
    from myst_parser.config.main import MdParserConfig

    md_config = MdParserConfig(enable_extensions=set(CONFIG["parse"]["myst_enable_extensions"]))
    text = md.read_text(encoding="utf-8")
    reader = create_nb_reader(str(md), md_config, NbParserConfig(), text)
    assert reader is not None, f"{md.name} is not read as a notebook"
    return reader.read(text)


def _as_the_cache_writers_read(md: Path):
    """The reading in conftest.py (_cache_chapter_run) and _ext/parallel_execute.py."""
    from myst_nb.core.read import read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    text = md.read_text(encoding="utf-8")
    return read_myst_markdown_notebook(text, config=MdParserConfig(), add_source_map=True, path=md)


def test_the_book_executes_through_the_cache():
    assert CONFIG["execute"]["execute_notebooks"] == "cache"
    assert CONFIG["sphinx"]["local_extensions"]["parallel_execute"] == "_ext/"


@pytest.mark.parametrize("md", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_cache_key_is_the_one_myst_nb_computes(md, tmp_path):
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(tmp_path / "cache"))
    ours = _as_the_cache_writers_read(md)
    ipynb = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    ran = [c for c in ipynb.cells if c.cell_type == "code"]
    code = [c for c in ours.cells if c.cell_type == "code"]
    assert [c.source for c in code] == [c.source for c in ran], "re-sync the pair"
    for i, (cell, stored) in enumerate(zip(code, ran), 1):
        cell.outputs, cell.execution_count = stored.outputs, i
    cache.cache_notebook_bundle(CacheBundleIn(ours, str(md)), check_validity=False)
    # the build's lookup (myst_nb.core.execute.cache.NotebookClientCache.start_client)
    build_nb = _as_the_build_reads(md)
    _, merged = cache.merge_match_into_notebook(build_nb)
    merged_code = [c for c in merged.cells if c.cell_type == "code"]
    assert [c.outputs for c in merged_code] == [c.outputs for c in ran]
