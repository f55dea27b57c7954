"""Write each chapter's reading time under its title, from what the chapter measures.

Usage (from the repository root)::

    python scripts/reading_time.py            # insert or update the line in every chapter
    python scripts/reading_time.py --check    # exit 1 if a chapter's line is missing or stale

The line reads "*Reading time: about N minutes, plus the exercises (K).*": N is
benchmarks/chapter_budgets.py's reading measure (100 prose words a minute, a minute per 10 code
lines, the Exercises section left out) rounded to 5 minutes, K the number of exercises. It sits
right under the chapter's title. After updating, re-sync the notebooks
(python scripts/sync_notebooks.py).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import chapter_budgets  # noqa: E402

LINE = re.compile(r"^\*Reading time: about \d+ minutes[^\n]*\*\n\n?", re.M)


def reading_line(md: Path) -> str:
    minutes = chapter_budgets.measure(md)["reading_minutes"]
    n = max(5, 5 * round(minutes / 5))
    k = len(re.findall(r"^```\{exercise\}", md.read_text(encoding="utf-8"), flags=re.M))
    tail = f", plus the exercises ({k})" if k else ""
    return f"*Reading time: about {n} minutes{tail}.*\n"


def updated(md: Path) -> str:
    text = LINE.sub("", md.read_text(encoding="utf-8"))
    title = re.search(r"^# .*\n", text, flags=re.M)
    if title is None:
        raise SystemExit(f"{md.name}: no '# ' title")
    tmp = text[: title.end()] + "\n" + "*Reading time: about 0 minutes.*\n" + text[title.end() :]
    md_tmp = md.with_suffix(".reading.tmp")
    md_tmp.write_text(tmp, encoding="utf-8")
    try:
        line = reading_line(md_tmp)
    finally:
        md_tmp.unlink()
    rest = text[title.end() :].lstrip("\n")
    return text[: title.end()] + "\n" + line + "\n" + rest


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for md in sorted((ROOT / "chapters").glob("[0-9]*.md")):
        new = updated(md)
        if new != md.read_text(encoding="utf-8"):
            stale.append(md.name)
            if not check:
                md.write_text(new, encoding="utf-8")
    if check and stale:
        print("reading time missing or stale in:", ", ".join(stale))
        return 1
    print(("stale: " if check else "updated: ") + (", ".join(stale) or "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
