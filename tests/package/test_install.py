"""The library installs anywhere: a wheel, installed outside the repository, runs a chapter.

The wheel is built offline (``--no-build-isolation``, with the pinned setuptools) from a copy of
the sources, installed without dependencies into a fresh virtual environment that borrows this
environment's third-party packages (a ``.pth`` line, which does not carry this environment's
editable install of ``spinemets``), and then, from an empty temporary folder:

- ``spinemets`` is imported from the fresh environment and finds its data there;
- a chapter's executed ``.ipynb`` runs top to bottom.

Every child process runs in a clean environment (``_clean_env``), so the test passes whatever
the calling shell exports (``PYTHONPATH=lib``, ``PIP_INDEX_URL``, an active ``VIRTUAL_ENV``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

# heavy: builds a wheel, a virtual environment and runs a chapter (CI runs it like every test)
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = ROOT / "chapters" / "01_radiobiology.ipynb"


def _clean_env() -> dict[str, str]:
    """The environment of a fresh login: nothing that points Python, pip or Jupyter elsewhere.

    Only a whitelist of variables is kept, so an inherited ``PYTHONPATH`` (which would import
    the checkout's ``lib/`` instead of the installed wheel), ``PYTHONHOME``, ``PIP_*``,
    ``VIRTUAL_ENV``, ``CONDA_*``, ``JUPYTER_*`` or ``SPINEMETS_*`` cannot leak into the child
    processes; the active virtual environment's ``bin`` leaves ``PATH``; user site-packages and
    pip's configuration files are ignored.
    """
    keep = (
        "PATH",
        "HOME",
        "USER",
        "LANG",
        "LC_ALL",
        "LC_CTYPE",
        "TMPDIR",
        "TEMP",
        "TMP",
        "SYSTEMROOT",
    )
    env = {k: os.environ[k] for k in keep if k in os.environ}
    active = os.environ.get("VIRTUAL_ENV")
    if active:
        drop = {str(Path(active) / "bin"), str(Path(active) / "Scripts")}
        env["PATH"] = os.pathsep.join(
            p for p in env.get("PATH", "").split(os.pathsep) if p not in drop
        )
    env.update(
        PYTHONNOUSERSITE="1",
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        MPLBACKEND="Agg",
    )
    return env


def _run(*cmd, cwd=None, timeout=300):
    r = subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=_clean_env()
    )
    assert r.returncode == 0, f"{' '.join(map(str, cmd))}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(
        ROOT / "lib", src / "lib", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    shutil.copytree(ROOT / "data", src / "data")
    wheels = tmp / "wheels"
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "-q",
        "-w",
        str(wheels),
        str(src),
    )
    (wheel,) = wheels.glob("spinemets-*.whl")
    env = tmp / "venv"
    venv.create(env, with_pip=False)
    py = env / "bin" / "python"
    purelib = Path(
        _run(py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    )
    (purelib / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        str(py),
        "install",
        "--no-deps",
        "--no-index",
        "-q",
        str(wheel),
    )
    work = tmp / "elsewhere"
    work.mkdir()
    return py, work, env


def test_installed_package_finds_its_data_from_any_folder(installed):
    py, work, env = installed
    out = _run(
        py,
        "-c",
        (
            "import spinemets, spinemets.paths as p\n"
            "from spinemets import cohorts, published\n"
            "d = cohorts.load('choi2015'); r = published.load('choi2015')\n"
            "print(spinemets.__file__); print(p.DATA_DIR); print(len(d), len(r))"
        ),
        cwd=work,
    )
    module, data_dir, counts = out.strip().splitlines()
    assert Path(module).resolve().is_relative_to(env.resolve()), module
    assert Path(data_dir).resolve().is_relative_to(env.resolve()), data_dir
    assert counts.split()[0] == "192"


def test_installed_package_runs_a_chapter(installed):
    py, work, env = installed
    nb = work / CHAPTER.name
    shutil.copy(CHAPTER, nb)
    _run(
        py,
        "-c",
        (
            "import nbformat, nbclient, sys\n"
            f"nb = nbformat.read({str(nb)!r}, as_version=4)\n"
            "check = ('import spinemets, sys; assert spinemets.__file__.startswith(sys.prefix),'"
            " ' (spinemets.__file__, sys.prefix)')\n"
            f"assert sys.prefix == {str(env)!r}, sys.prefix\n"
            "nb.cells.insert(0, nbformat.v4.new_code_cell(check))\n"
            "nbclient.NotebookClient(nb, timeout=300, kernel_name='python3',"
            f" resources={{'metadata': {{'path': {str(work)!r}}}}}).execute()\n"
            "print('executed', sum(c.cell_type == 'code' for c in nb.cells), 'cells')"
        ),
        cwd=work,
        timeout=600,
    )
