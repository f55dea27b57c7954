"""Reading budgets of the chapters: prose words, code lines, plumbing in cells a reader sees.

Usage (from the repository root)::

    python benchmarks/chapter_budgets.py            # every chapter, a table
    python benchmarks/chapter_budgets.py --check    # exit 1 if a chapter is over budget

What is counted, per ``chapters/NN_topic.md`` (the MyST source of the notebook Colab opens):

- *prose words*: words outside code cells, front matter, labels and directive option lines
  (admonitions, exercises and solutions count: a resident reads them);
- *code lines*: non-blank, non-comment lines of every code cell except those tagged
  ``remove-cell`` (the only cells absent from what a reader sees: Colab and JupyterLab ignore
  ``hide-input``/``hide-cell``, so hidden cells count);
- *plumbing*: ``glue(`` calls and ``{glue}`` roles, ``Reproduced(`` calls and registry ids
  (``t1_...``, ``txt_...``, ``abs_...`` style keys quoted in code or prose) in any cell (a
  ``remove-cell`` cell is absent from the web page but present in the notebook Colab opens) and
  in the prose;
- *minutes*: prose words at 100 words a minute (a resident reading methods closely) plus one
  minute per 10 code lines; *reading minutes* leave out the Exercises section. A chapter's
  stated "Reading time: about N minutes" is checked against them by tests/book/test_reading_time.py.

The budgets (issue 24): a paper chapter holds at most about 4,500 prose words and about 120
code lines; no chapter holds plumbing (``--check`` fails on either; tests/book/test_no_plumbing.py
runs it).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS_BUDGET = 4500
CODE_BUDGET = 120
WORDS_PER_MINUTE = 100
REGISTRY_ID = re.compile(r"\b(?:t\d+|txt|abs|fig\d+|res)_[a-z0-9_]+\b")
FENCE = re.compile(r"^(`{3,}|:{3,})\s*(\{[^}]+\})?(.*)$")


def measure(path: Path) -> dict:
    """Count prose words, visible code lines and plumbing in one MyST chapter."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].strip() == "---":  # front matter
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        lines = lines[end + 1 :]
    words = code = glue = reproduced = ids = 0
    ex_words = ex_code = 0  # of these, in the "## Exercises" section
    in_code = removed = in_exercises = False
    for line in lines:
        if not in_code and line.startswith("## "):
            in_exercises = line.strip() == "## Exercises"
        m = FENCE.match(line.strip())
        if not in_code and m and m.group(2) == "{code-cell}":
            in_code, removed = True, False
            continue
        if in_code:
            if line.strip().startswith("```"):
                in_code = False
                continue
            if line.startswith(":tags:"):
                removed = "remove-cell" in line
                continue
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            glue += line.count("glue(")
            reproduced += line.count("Reproduced(")
            ids += len(REGISTRY_ID.findall(line))
            if not removed:
                code += 1
                ex_code += in_exercises
            continue
        text = line.strip()
        if m or text.startswith(":") or re.match(r"^\(.*\)=$", text):
            continue  # fences, directive options, labels
        n = len(re.findall(r"[A-Za-z0-9][\w'’.-]*", re.sub(r"\{[a-z:-]+\}`", "", text)))
        words += n
        ex_words += n * in_exercises
        ids += len(REGISTRY_ID.findall(text))
        glue += text.count("{glue")
    return {
        "chapter": path.stem,
        "reading_minutes": round((words - ex_words) / WORDS_PER_MINUTE + (code - ex_code) / 10),
        "words": words,
        "code": code,
        "glue": glue,
        "Reproduced": reproduced,
        "ids": ids,
        "minutes": round(words / WORDS_PER_MINUTE + code / 10),
    }


def over_budget(row: dict) -> list[str]:
    """The budgets a chapter breaks: plumbing in any chapter, length in a paper chapter."""
    out = []
    if re.match(r"1[0-4]_", row["chapter"]):
        if row["words"] > WORDS_BUDGET:
            out.append(f"{row['words']} words > {WORDS_BUDGET}")
        if row["code"] > CODE_BUDGET:
            out.append(f"{row['code']} code lines > {CODE_BUDGET}")
    plumbing = row["glue"] + row["Reproduced"] + row["ids"]
    if plumbing:
        out.append(f"{plumbing} plumbing items")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a chapter is over")
    args = parser.parse_args(argv)
    rows = [measure(p) for p in sorted((ROOT / "chapters").glob("[0-9]*.md"))]
    head = f"{'chapter':34} {'words':>6} {'code':>5} {'glue':>5} {'Repr':>5} {'ids':>5} {'min':>4}"
    print(head)
    failing = 0
    for r in rows:
        flags = over_budget(r)
        failing += bool(flags)
        print(
            f"{r['chapter']:34} {r['words']:6d} {r['code']:5d} {r['glue']:5d} "
            f"{r['Reproduced']:5d} {r['ids']:5d} {r['minutes']:4d}"
            + ("   over: " + "; ".join(flags) if flags else "")
        )
    total = sum(r["minutes"] for r in rows)
    print(f"whole book: about {total / 60:.1f} hours of reading (without exercises)")
    return 1 if args.check and failing else 0


if __name__ == "__main__":
    sys.exit(main())
