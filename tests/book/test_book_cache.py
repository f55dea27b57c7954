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


def _book_cache():
    """_ext/book_cache.py, through which conftest.py, _ext/parallel_execute.py and
    scripts/sync_notebooks.py read the pages and store their outputs."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("book_cache", ROOT / "_ext" / "book_cache.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_book_executes_through_the_cache():
    assert CONFIG["execute"]["execute_notebooks"] == "cache"
    assert CONFIG["sphinx"]["local_extensions"]["parallel_execute"] == "_ext/"


@pytest.mark.parametrize("md", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_cache_key_is_the_one_myst_nb_computes(md, tmp_path):
    from jupyter_cache import get_cache

    executed = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    why = _book_cache().store(md, executed, 1.0, folder=tmp_path / "cache")
    assert why is None, why
    cache = get_cache(str(tmp_path / "cache"))
    ran = [c for c in executed.cells if c.cell_type == "code"]
    # the build's lookup (myst_nb.core.execute.cache.NotebookClientCache.start_client)
    build_nb = _as_the_build_reads(md)
    _, merged = cache.merge_match_into_notebook(build_nb)
    merged_code = [c for c in merged.cells if c.cell_type == "code"]
    assert [c.outputs for c in merged_code] == [c.outputs for c in ran]


def test_a_pair_out_of_sync_is_not_stored(tmp_path):
    md = ROOT / "chapters" / "22_reading_checklist.md"
    executed = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    next(c for c in executed.cells if c.cell_type == "code").source += "\nx = 1"
    why = _book_cache().store(md, executed, 1.0, folder=tmp_path / "cache")
    assert why is not None and "differ" in why
    assert not (tmp_path / "cache").exists()
