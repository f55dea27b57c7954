"""Execute the chapters that the book's jupyter-cache lacks, in parallel, while Sphinx reads.

MyST-NB (``execute_notebooks: cache``) executes a notebook when Sphinx reads it, one after the
other. On ``builder-inited`` this extension finds every page that MyST-NB will execute (a MyST
notebook with no cache record under MyST-NB's key: jupyter-cache's hash of the code cells and
the kernelspec) and starts executing those, in the order Sphinx reads them, on up to
``SPINEMETS_BUILD_JOBS`` kernels at once (default: the number of CPUs plus one, at most 4: a
kernel's start waits on disk and sockets part of the time, so one kernel more than cores
shortens the build, 69 s -> 64 s on 2 cores, 2026-12-07). It does not wait for them: Sphinx
reads the other pages meanwhile, and when it comes to an executing page (``source-read``) it
waits for that page alone and writes it to the cache, where MyST-NB then finds it. Reading
the pages and executing the later ones thus overlap; on 2 cores the build is bound by CPU, so
the overlap gains little there (57 s -> 56 s, 2026-12-07; the cold build is 49-52 s since the
chapters stopped importing nbformat through ``glue``), more where cores are spare. A
notebook that fails is not cached: MyST-NB executes it again and reports the error as it
always does. Nothing changes when the cache already holds every page (after
the notebook tests, see conftest.py) or when execution is not ``cache``.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

# docname -> (path, notebook, future) for the pages executing now; emptied as Sphinx reads them
_PENDING: dict = {}
_STATE: dict = {}


def _jobs() -> int:
    env = os.environ.get("SPINEMETS_BUILD_JOBS")
    if env:
        return max(1, int(env))
    return max(1, min(4, (os.cpu_count() or 1) + 1))


def _execute(nb, path: Path, timeout, allow_errors):
    from jupyter_cache.executors.utils import single_nb_execution

    t0 = time.perf_counter()
    result = single_nb_execution(
        nb, cwd=str(path.parent), allow_errors=allow_errors, timeout=timeout, meta_override=True
    )
    return result, time.perf_counter() - t0


def _start(app) -> None:
    cfg = app.config
    if cfg.nb_execution_mode != "cache" or _jobs() < 2:
        return
    from book_cache import read_md  # _ext/book_cache.py: MyST-NB's reading of a page
    from jupyter_cache import get_cache

    cache = get_cache(cfg.nb_execution_cache_path or ".jupyter_cache")
    todo = []
    for docname in sorted(app.project.discover(cfg.exclude_patterns, cfg.include_patterns)):
        path = Path(app.project.doc2path(docname, absolute=True))
        if path.suffix != ".md":
            continue
        nb = read_md(path)
        if nb is None:
            continue
        try:
            cache.match_cache_notebook(nb)
        except KeyError:
            todo.append((docname, path, nb))
    if len(todo) < 2:
        return  # nothing to gain: MyST-NB executes one notebook as fast
    jobs = min(_jobs(), len(todo))
    logger.info(f"[parallel_execute] executing {len(todo)} notebook(s) on {jobs} kernels")
    timeout, allow = cfg.nb_execution_timeout, cfg.nb_execution_allow_errors
    pool = ThreadPoolExecutor(max_workers=jobs)
    _STATE.update(pool=pool, cache=cache)
    for docname, path, nb in todo:  # submitted in Sphinx's reading order
        _PENDING[docname] = (path, nb, pool.submit(_execute, nb, path, timeout, allow))


def _collect(app, docname, source) -> None:
    """Before Sphinx parses ``docname``: wait for its execution and cache the outputs."""
    entry = _PENDING.pop(docname, None)
    if entry is None:
        return
    from jupyter_cache.base import CacheBundleIn

    path, nb, fut = entry
    try:
        result, seconds = fut.result()
    except Exception as err:  # left to MyST-NB, which reports it
        logger.info(f"[parallel_execute] {path.name}: {type(err).__name__}; left to MyST-NB")
        return
    if result.err is not None:
        logger.info(f"[parallel_execute] {path.name} failed; left to MyST-NB")
        return
    _STATE["cache"].cache_notebook_bundle(
        CacheBundleIn(nb, str(path), data={"execution_seconds": seconds}),
        check_validity=False,
        overwrite=True,
    )
    logger.info(f"[parallel_execute] {path.name}: executed in {seconds:.1f} s, cached")


def _finish(app, exception) -> None:
    """Pages Sphinx never read (an interrupted build): cancel what has not started."""
    pool = _STATE.pop("pool", None)
    _PENDING.clear()
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def setup(app):
    app.connect("builder-inited", _start)
    app.connect("source-read", _collect)
    app.connect("build-finished", _finish)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
