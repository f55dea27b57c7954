"""Benchmarks of the whole book: cold build, the build after the notebook tests, warm rebuild
and the test suite (issue 27: a cold build under 60 s on the 2-core machine; each chapter
executed once per CI run).

Everything runs in a temporary COPY of the repository (the files ``git ls-files`` lists), so the
user's own ``_build`` and ``.jupyter_cache`` are never touched. The copy is removed afterwards.
Each entry reports its wall time, the CPU time (user + sys) of every process it started, and the
machine's load average before and after: on a shared machine the wall time depends on the load,
the CPU time much less.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@lru_cache(maxsize=1)
def _copy() -> Path:
    files = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True)
        .stdout.decode()
        .split("\0")
    )
    dest = Path(tempfile.mkdtemp(prefix="spinemets-bench-"))
    for f in filter(None, files):
        src = ROOT / f
        if src.is_file():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / f)
    import atexit

    atexit.register(shutil.rmtree, dest, ignore_errors=True)
    return dest


def _env(repo: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(repo / "lib") + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    )
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")
    return env


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:  # no load average on this platform
        return "?"


def _timed(cmd: list[str], repo: Path) -> dict:
    """Wall and CPU seconds of ``cmd`` (and its children), with the load before and after."""
    import resource

    before, load0 = resource.getrusage(resource.RUSAGE_CHILDREN), _load()
    wall = _run(cmd, repo)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "seconds": wall,
        "reference_seconds": cpu,
        "reference": f"user+sys CPU, load {load0}-{_load()}",
    }


def _run(cmd: list[str], repo: Path) -> float:
    t = time.perf_counter()
    res = subprocess.run(cmd, cwd=repo, env=_env(repo), capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if res.returncode != 0:
        # the time is still measured; say loudly that the command did not pass
        out = res.stdout + res.stderr
        problems = [
            ln
            for ln in out.splitlines()
            if "WARNING" in ln and "IPKernelApp" not in ln or "failed" in ln
        ]
        print(
            f"  NOTE: {' '.join(Path(c).name for c in cmd[:3])} exited {res.returncode}; "
            f"{len(problems)} problem line(s), e.g. {problems[:1]}",
            file=sys.stderr,
            flush=True,
        )
    return elapsed


def _build_cmd() -> list[str]:
    return [str(BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"]


def cold_build() -> dict:
    """``rm -rf _build .jupyter_cache; jupyter-book build . -W -n --keep-going``: every
    chapter executed by the build (on up to 4 kernels, _ext/parallel_execute.py)."""
    repo = _copy()
    for d in ("_build", ".jupyter_cache"):
        shutil.rmtree(repo / d, ignore_errors=True)
    return _timed(_build_cmd(), repo)


def build_after_tests() -> dict:
    """The build as CI runs it: the notebook tests (``python -m pytest chapters``) write each
    chapter's outputs to the cache, then ``rm -rf _build`` and the build (no execution)."""
    repo = _copy()
    for d in ("_build", ".jupyter_cache"):
        shutil.rmtree(repo / d, ignore_errors=True)
    _run([sys.executable, "-m", "pytest", "-q", "chapters"], repo)
    return _timed(_build_cmd(), repo)


def warm_rebuild() -> float:
    repo = _copy()
    if not (repo / "_build").exists():
        _run(_build_cmd(), repo)
    return _run(_build_cmd(), repo)


def test_suite() -> float:
    return _run([sys.executable, "-m", "pytest", "-q"], _copy())


def test_suite_cpu() -> dict:
    """The README's test command alone (pytest-xdist on up to 4 workers), with the CPU time
    (user + sys) of pytest, its workers and their kernels: on a shared machine the wall time
    depends on the load, the CPU time much less (issue 20)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = test_suite()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": wall, "reference_seconds": cpu, "reference": "user+sys CPU"}


def browser_tests() -> float:
    repo = _copy()
    if not (repo / "_build" / "html" / "index.html").exists():
        _run(_build_cmd(), repo)
    return _run(
        [
            sys.executable,
            "-m",
            "pytest",
            "browser_tests",
            "-q",
            "-n",
            "0",
            "-p",
            "no:cacheprovider",
        ],
        repo,
    )


def full_suite() -> dict:
    """The library tests + strict nbval (pytest -q) and the browser tests, together."""
    t1 = test_suite()
    t2 = browser_tests()
    return {"seconds": t1 + t2, "reference_seconds": t1, "reference": "without the browser tests"}


BENCHMARKS = [
    ("book: cold build (empty cache, copy of repo)", 60.0, cold_build),
    ("book: build after the notebook tests", 30.0, build_after_tests),
    ("book: warm rebuild", 10.0, warm_rebuild),
    ("book: full test suite (pytest + browser)", 240.0, full_suite),
    ("tests: python -m pytest (quiet 2-core machine)", 150.0, test_suite_cpu),
]
