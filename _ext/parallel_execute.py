"""Execute the chapters that the book's jupyter-cache lacks, in parallel, before Sphinx reads.

MyST-NB (``execute_notebooks: cache``) executes a notebook when Sphinx reads it, one after the
other. On ``builder-inited`` this extension finds every page that MyST-NB will execute (a MyST
notebook with no cache record under MyST-NB's key: jupyter-cache's hash of the code cells and
the kernelspec), executes those on up to ``SPINEMETS_BUILD_JOBS`` kernels at once (default: the
number of CPUs plus one, at most 4: a kernel's start waits on disk and sockets part of the
time, so one kernel more than cores shortens the build, 69 s -> 64 s on 2 cores, 2026-12-07)
and writes each that succeeds to the cache. MyST-NB then finds them in the cache. A notebook
that fails is not cached: MyST-NB executes it again and reports the error as it always does.
Nothing changes when the cache already holds every page (after the notebook tests, see
conftest.py) or when execution is not ``cache``.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)


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


def _pre_execute(app) -> None:
    cfg = app.config
    if cfg.nb_execution_mode != "cache" or _jobs() < 2:
        return
    from book_cache import read_md  # _ext/book_cache.py: MyST-NB's reading of a page
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

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
            todo.append((path, nb))
    if len(todo) < 2:
        return  # nothing to gain: MyST-NB executes one notebook as fast
    jobs = min(_jobs(), len(todo))
    logger.info(f"[parallel_execute] executing {len(todo)} notebook(s) on {jobs} kernels")
    timeout, allow = cfg.nb_execution_timeout, cfg.nb_execution_allow_errors
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [(p, nb, pool.submit(_execute, nb, p, timeout, allow)) for p, nb in todo]
        for path, nb, fut in futures:
            try:
                result, seconds = fut.result()
            except Exception as err:  # left to MyST-NB, which reports it
                logger.info(
                    f"[parallel_execute] {path.name}: {type(err).__name__}; left to MyST-NB"
                )
                continue
            if result.err is not None:
                logger.info(f"[parallel_execute] {path.name} failed; left to MyST-NB")
                continue
            cache.cache_notebook_bundle(
                CacheBundleIn(nb, str(path), data={"execution_seconds": seconds}),
                check_validity=False,
                overwrite=True,
            )
            logger.info(f"[parallel_execute] {path.name}: executed in {seconds:.1f} s, cached")


def setup(app):
    app.connect("builder-inited", _pre_execute)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
