"""Every chapter's first code cell installs the library on Colab and does nothing elsewhere."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_chapter_starts_with_the_colab_cell():
    r = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "colab_cell.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_colab_cell_does_nothing_outside_colab():
    sys.path.insert(0, str(ROOT / "scripts"))
    import colab_cell

    src = colab_cell.cell_source()
    assert all(len(line) <= 88 for line in src.splitlines())
    namespace: dict = {}
    exec(compile(src, "colab-cell", "exec"), namespace)  # no google.colab here: no install
    assert "package" not in namespace
