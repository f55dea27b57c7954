"""Session-wide pytest hooks for the whole suite: tests/ and the notebooks in chapters/.

(Fixtures and the papers' lookup are in tests/conftest.py; see tests/README.md.) This file sits
at the repository root so that its hooks also apply when only notebooks are collected, e.g.
``python -m pytest chapters/01_radiobiology.ipynb``.

**One execution per chapter** (issue 27). nbval runs every code cell of a chapter's ``.ipynb``
in a fresh kernel and compares the outputs with the stored ones. When every code cell of a
chapter has passed, the outputs of *that run* are written to the book's jupyter-cache
(``execute.cache`` in ``_config.yml``, ``.jupyter_cache``) under the key MyST-NB computes for
the chapter's ``.md`` (jupyter-cache's hash of the code cells and the kernelspec), so that
``jupyter-book build`` right after the tests takes them from the cache instead of executing
the chapter a second time. A chapter whose ``.md`` and ``.ipynb`` code cells differ, or with a
failed or skipped cell, is not cached: the build executes it, as it executes anything the
cache lacks. ``SPINEMETS_NBVAL_CACHE=0`` turns this off.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent


# ------------------------------------------------------------------------- environment
def pytest_configure(config):
    # nbval's kernels inherit this process's environment. An exported MPLBACKEND (Agg is common
    # on headless machines) replaces the kernels' inline backend, so a figure cell produces no
    # output and every stored figure "differs". The kernels get their default backend; this
    # process keeps the backend the user asked for.
    backend = os.environ.pop("MPLBACKEND", None)
    if backend:
        import matplotlib

        matplotlib.use(backend)


# ------------------------------------------------------------------------- markers on collection
def pytest_collection_modifyitems(config, items):
    for item in items:
        if type(item).__module__.startswith("nbval"):
            # nbval compares a notebook's stored outputs with a fresh run: a change detector
            item.add_marker(pytest.mark.change_detector)


# ------------------------------------------------------------------------- no silent skips in CI
_SKIPPED: list[tuple[str, str, bool]] = []


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _SKIPPED.append((report.nodeid, reason, "needs_papers" in report.keywords))


def pytest_sessionfinish(session, exitstatus):
    if not os.environ.get("CI") or hasattr(session.config, "workerinput") or not _SKIPPED:
        return  # (under pytest-xdist the controller, which sees every report, decides)
    papers = sum(p for _, _, p in _SKIPPED)
    lines = [
        f"CI is set and {len(_SKIPPED)} test(s) were skipped ({papers} needs_papers); "
        "in CI nothing may be skipped:"
    ]
    lines += [f"  {nodeid}: {reason}" for nodeid, reason, _ in _SKIPPED[:20]]
    if len(_SKIPPED) > 20:
        lines.append(f"  ... and {len(_SKIPPED) - 20} more")
    if papers:
        lines.append(
            "  copy the papers' texts to shared/papers beside the clone (or set SPINEMETS_PAPERS)"
        )
    tr = session.config.pluginmanager.get_plugin("terminalreporter")
    if tr is not None:
        tr.write_line("")
        tr.write_sep("=", "skipped tests fail the session in CI", red=True, bold=True)
        for line in lines:
            tr.write_line(line)
    else:
        print("\n".join(lines))
    if session.exitstatus in (0, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# ------------------------------------------------------------------------- nbval -> book cache
_NB_RUNS: dict[Path, dict] = {}


def _is_nbval_cell(item) -> bool:
    return type(item).__module__.startswith("nbval") and hasattr(item, "test_outputs")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if not _is_nbval_cell(item) or os.environ.get("SPINEMETS_NBVAL_CACHE", "1") == "0":
        return
    report = outcome.get_result()
    ipynb = Path(str(item.parent.fspath))
    code = [c for c in item.parent.nb.cells if c.cell_type == "code"]
    run = _NB_RUNS.setdefault(ipynb, {"outputs": {}, "ok": True, "seconds": 0.0, "n": len(code)})
    if report.when == "call" and report.passed:
        run["outputs"][item.cell_num] = item.test_outputs
        run["seconds"] += report.duration
    elif report.failed or report.skipped:
        run["ok"] = False
    if (
        report.when == "teardown"
        and run["ok"]
        and len(run["outputs"]) == run["n"]
        and not run.get("cached")
    ):
        run["cached"] = True
        try:
            why = _cache_chapter_run(ipynb, item.parent.nb, run)
        except Exception as err:  # the cache is an optimisation: never fail a test for it
            why = f"{type(err).__name__}: {err}"
        # shown by pytest_terminal_summary (the report travels from a pytest-xdist worker)
        report.user_properties.append(("book_cache", (ipynb.name, why)))


def pytest_terminal_summary(terminalreporter):
    rows = [
        v
        for r in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("", [])
        for k, v in getattr(r, "user_properties", ())
        if k == "book_cache"
    ]
    if not rows:
        return
    done = sorted(name for name, why in rows if not why)
    terminalreporter.write_line(
        f"book cache: the outputs of {len(done)} chapter run(s) written to the book's "
        "jupyter-cache (jupyter-book build takes them instead of executing again)"
    )
    for name, why in sorted(r for r in rows if r[1]):
        terminalreporter.write_line(f"book cache: {name} not written: {why}")


def _book_cache():
    """``_ext/book_cache.py`` (the same code the build's extension uses), imported by path."""
    import importlib.util
    import sys

    if "book_cache" not in sys.modules:
        spec = importlib.util.spec_from_file_location("book_cache", ROOT / "_ext" / "book_cache.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules["book_cache"] = module
    return sys.modules["book_cache"]


def _cache_chapter_run(ipynb: Path, stored, run: dict) -> str | None:
    """Store the outputs of this nbval run of ``ipynb`` in the book's cache under the key of its
    ``.md`` twin. Returns None when stored, else the reason it was not."""
    import copy

    md = ipynb.with_suffix(".md")
    if not md.exists():
        return f"no {md.name}"
    executed = copy.deepcopy(stored)
    code = [c for c in executed.cells if c.cell_type == "code"]
    for i, cell in enumerate(code):
        cell.outputs = run["outputs"][i]  # this run's outputs, not the stored ones
    return _book_cache().store(
        md, executed, run["seconds"], description="outputs of the nbval run (conftest.py)"
    )
