"""Set the book's repository URL: edit it in _config.yml, then run this to carry it everywhere.

Usage (from the repository root)::

    python scripts/set_repository_url.py https://github.com/<owner>/<repo>

It writes the URL into _config.yml (repository.url), pyproject.toml ([project.urls] Homepage)
and CITATION.cff (repository-code); the chapters' Colab cell reads it from _config.yml when the
notebooks are re-synced (scripts/colab_cell.py). tests/package/test_repository.py checks they agree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(url: str) -> None:
    if not re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url):
        sys.exit(f"expected https://github.com/<owner>/<repo>, got {url!r}")
    edits = {
        "_config.yml": (r"(repository:\s*\n\s*url:\s*)\S+", rf"\g<1>{url}"),
        "pyproject.toml": (r'(Homepage = ")[^"]+(")', rf"\g<1>{url}\g<2>"),
        "CITATION.cff": (r'(repository-code: ")[^"]+(")', rf"\g<1>{url}\g<2>"),
    }
    for name, (pattern, repl) in edits.items():
        path = ROOT / name
        text, n = re.subn(pattern, repl, path.read_text(), count=1)
        if n != 1:
            sys.exit(f"{name}: could not find the URL to replace")
        path.write_text(text)
        print(f"{name}: {url}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
