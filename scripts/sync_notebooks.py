"""Re-execute every chapter and re-sync its .ipynb twin (or only the chapters named).

Usage (from the repository root)::

    python scripts/sync_notebooks.py                 # every chapters/*.md
    python scripts/sync_notebooks.py 01_radiobiology # one chapter, by stem or path

Each chapter's .md is the source. This runs ``jupytext --sync --execute`` on it, which executes the
notebook in the current environment (working directory chapters/, as in the book build and nbval)
and writes the executed .ipynb next to it. The outputs are also stored in the book's
jupyter-cache under the chapter's key (_ext/book_cache.py), so that the next ``jupyter-book
build`` does not execute the chapter again.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"


def chapters(args: list[str]) -> list[Path]:
    if not args:
        return sorted(CHAPTERS.glob("[0-9]*.md"))
    out = []
    for a in args:
        p = Path(a)
        p = p if p.suffix == ".md" and p.exists() else CHAPTERS / f"{Path(a).stem}.md"
        if not p.exists():
            sys.exit(f"no chapter {a!r} (looked for {p})")
        out.append(p.resolve())
    return out


def _strip_volatile(ipynb: Path) -> None:
    """Drop per-cell execution timestamps so that re-executing an unchanged chapter changes nothing."""
    import nbformat

    nb = nbformat.read(ipynb, as_version=4)
    changed = False
    for cell in nb.cells:
        if "execution" in cell.get("metadata", {}):
            del cell.metadata["execution"]
            changed = True
    if changed:
        nbformat.write(nb, ipynb)


def _store_in_book_cache(md: Path, seconds: float) -> str:
    import importlib.util

    import nbformat

    spec = importlib.util.spec_from_file_location("book_cache", ROOT / "_ext" / "book_cache.py")
    book_cache = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(book_cache)
    executed = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    why = book_cache.store(md, executed, seconds, description="scripts/sync_notebooks.py")
    return "; outputs stored in the book's cache" if why is None else f"; not cached: {why}"


def main(argv: list[str]) -> int:
    for md in chapters(argv):
        t0 = time.perf_counter()
        # Pairing is declared in jupytext.toml; --set-formats makes a missing twin appear.
        cmd = [
            sys.executable,
            "-m",
            "jupytext",
            "--set-formats",
            "ipynb,md:myst",
            "--execute",
            "--sync",
            md.name,
        ]
        res = subprocess.run(cmd, cwd=CHAPTERS, capture_output=True, text=True)
        if res.returncode:
            print(res.stdout, res.stderr, sep="\n", file=sys.stderr)
            return res.returncode
        _strip_volatile(md.with_suffix(".ipynb"))
        seconds = time.perf_counter() - t0
        cached = _store_in_book_cache(md, seconds)
        print(f"{md.relative_to(ROOT)}: executed and synced in {seconds:.1f} s{cached}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
