"""Give every chapter the same first code cell: on Colab it installs the library, elsewhere nothing.

Usage (from the repository root)::

    python scripts/colab_cell.py          # insert or update the cell in every chapters/NN_*.md
    python scripts/colab_cell.py --check  # exit 1 if a chapter's first code cell differs

The repository URL comes from _config.yml (repository.url), the one place it is set. The cell is
tagged ``remove-cell``, so the web book does not show it; a notebook opened in Colab runs it.
After inserting, re-sync the notebooks (python scripts/sync_notebooks.py).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
MARK = "# On Colab: install the book's library and data (does nothing elsewhere)."


def cell_source() -> str:
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    return "\n".join(
        [
            MARK,
            "import sys",
            'if "google.colab" in sys.modules:',
            "    import subprocess",
            f'    package = "spinemets[book] @ git+{url}"',
            '    subprocess.run([sys.executable, "-m", "pip", "install", "-q", package], check=True)',
        ]
    )


def cell_block() -> str:
    return "```{code-cell} ipython3\n:tags: [remove-cell]\n\n" + cell_source() + "\n```\n"


_EXISTING = re.compile(
    r"```\{code-cell\}[^\n]*\n:tags: \[remove-cell\]\n\n" + re.escape(MARK) + r".*?\n```\n\n?", re.S
)


def apply(md: Path) -> bool:
    text = md.read_text()
    new = _EXISTING.sub("", text, count=1)
    i = new.find("```{code-cell}")
    if i < 0:
        return False
    new = new[:i] + cell_block() + "\n" + new[i:]
    if new != text:
        md.write_text(new)
        return True
    return False


def first_code_cell(md: Path) -> str | None:
    m = re.search(r"```\{code-cell\}[^\n]*\n(.*?)\n```", md.read_text(), re.S)
    if not m:
        return None
    body = m.group(1)
    return re.sub(r"^(:[\w-]+:.*\n)+\n?", "", body)


def main(argv: list[str]) -> int:
    chapters = sorted((ROOT / "chapters").glob("[0-9]*.md"))
    if "--check" in argv:
        bad = [md.name for md in chapters if first_code_cell(md) != cell_source()]
        if bad:
            print("first cell is not the Colab cell in:", ", ".join(bad))
            return 1
        return 0
    for md in chapters:
        if apply(md):
            print(f"{md.name}: Colab cell written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
