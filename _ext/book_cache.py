"""The book's jupyter-cache, written by whoever executed a chapter (issue 27: each chapter once).

``jupyter-book build`` (MyST-NB, ``execute_notebooks: cache``) looks a page up in the cache under
jupyter-cache's hash of the page's code cells and kernelspec, as MyST-NB reads the ``.md``. The
notebook tests (conftest.py), ``scripts/sync_notebooks.py`` and ``_ext/parallel_execute.py``
execute chapters too; they store what they got here, under that same key, so that the build
takes it instead of executing the chapter again. tests/book/test_book_cache.py checks the key
against MyST-NB's own reader for every chapter.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cache_dir(root: Path = ROOT) -> Path | None:
    """The cache folder (``execute.cache`` in ``_config.yml``), or None when the book does not
    execute through a cache."""
    import yaml

    cfg = root / "_config.yml"
    if not cfg.exists():
        return None
    execute = (yaml.safe_load(cfg.read_text(encoding="utf-8")) or {}).get("execute") or {}
    if execute.get("execute_notebooks", "auto") != "cache":
        return None
    return root / execute.get("cache", ".jupyter_cache")


def read_md(md: Path):
    """The notebook MyST-NB builds from the MyST markdown ``md`` (None if it is not one)."""
    from myst_nb.core.read import is_myst_markdown_notebook, read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    text = Path(md).read_text(encoding="utf-8")
    if not is_myst_markdown_notebook(text):
        return None
    return read_myst_markdown_notebook(
        text, config=MdParserConfig(), add_source_map=True, path=Path(md)
    )


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive advisory lock (pytest-xdist workers write one database); none without
    fcntl."""
    with open(path, "a+") as fh:
        try:
            import fcntl

            fcntl.flock(fh, fcntl.LOCK_EX)
        except ImportError:
            pass
        yield


def store(
    md: Path, executed, seconds: float | None, description: str = "", folder: Path | None = None
) -> str | None:
    """Store the outputs of ``executed`` (a notebook whose code cells are those of ``md``, in
    order, with their outputs) in the book's cache under ``md``'s key.

    ``folder`` is the cache folder (default: :func:`cache_dir`). Returns None when stored, else
    the reason it was not (no cache, not a MyST notebook, code cells that differ from the
    ``.md``'s).
    """
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    md = Path(md)
    folder = cache_dir() if folder is None else Path(folder)
    if folder is None:
        return "the book does not execute through a cache"
    nb = read_md(md)
    if nb is None:
        return f"{md.name} is not a MyST notebook"
    code = [c for c in nb.cells if c.cell_type == "code"]
    ran = [c for c in executed.cells if c.cell_type == "code"]
    if len(code) != len(ran) or any(a.source != b.source for a, b in zip(code, ran)):
        return f"the code cells of {md.name} and its executed twin differ (re-sync the pair)"
    for i, (cell, done) in enumerate(zip(code, ran), 1):
        outs = [nbformat.from_dict(dict(o)) for o in done.get("outputs", [])]
        for o in outs:
            if o.get("output_type") == "execute_result":
                o["execution_count"] = i
        cell.outputs, cell.execution_count = outs, i
    if "language_info" in executed.metadata:  # as an executed notebook carries it (lexer)
        nb.metadata["language_info"] = executed.metadata["language_info"]
    folder.mkdir(parents=True, exist_ok=True)
    data = {} if seconds is None else {"execution_seconds": float(seconds)}
    with _locked(folder / "write.lock"):
        get_cache(str(folder)).cache_notebook_bundle(
            CacheBundleIn(nb, str(md), data=data),
            check_validity=False,
            overwrite=True,
            description=description,
        )
    return None
