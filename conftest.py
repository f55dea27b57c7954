"""Session-wide pytest hooks for the whole suite: tests/ and the notebooks in chapters/.

(Fixtures and the papers' lookup are in tests/conftest.py; see tests/README.md.) This file sits
at the repository root so that its hooks also apply when only notebooks are collected, e.g.
``python -m pytest chapters/01_radiobiology.ipynb``.
"""

from __future__ import annotations

import os

import pytest


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
