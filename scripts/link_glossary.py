"""Link each glossary term from the chapters where it is used (its first use in each chapter).

Usage (from the repository root)::

    python scripts/link_glossary.py          # add {term} links to chapters/*.md and intro.md
    python scripts/link_glossary.py --check  # list glossary terms no page links to (exit 1)

Only prose is touched: code cells, directive lines, headings, inline code, math, links and
existing roles are left alone. A term is matched as a whole word, case-insensitively (plus a
plural "s"), and written as {term}`the text as it was <Glossary term>`, so the sentence reads
the same. After linking, re-sync the notebooks (python scripts/sync_notebooks.py; markdown-only
changes do not change any output).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "backmatter" / "glossary.md"
PAGES = sorted((ROOT / "chapters").glob("[0-9]*.md")) + [ROOT / "intro.md"]

# Spans a link must never be written into: inline code, math, roles, links, HTML tags.
_PROTECTED = re.compile(
    r"(\{[\w:-]+\}`[^`]*`|`[^`]*`|\$\$.*?\$\$|\$[^$\n]+\$|\[[^\]]*\]\([^)]*\)"
    r"|<[^>\n]+>|\*\*|https?://\S+)"
)


def terms() -> list[str]:
    text = GLOSSARY.read_text()
    block = text[text.index("```{glossary}") :]
    out = [
        line.strip() for line in block.splitlines()[1:] if line and not line.startswith((" ", "`"))
    ]
    return sorted(out, key=len, reverse=True)  # longest first: "stratified log-rank test"


def entries() -> list[list[str]]:
    """The glossary's entries, each the list of its names (a term and its aliases)."""
    text = GLOSSARY.read_text()
    block = text[text.index("```{glossary}") :].splitlines()[1:]
    out, current = [], []
    for line in block:
        if line and not line.startswith((" ", "`")):
            current.append(line.strip())
        elif current:
            out.append(current)
            current = []
    return out


def _pattern(term: str) -> re.Pattern:
    words = re.escape(term).replace(r"\ ", r"[ \n]+")
    return re.compile(rf"(?<![\w{{`/-]){words}(?:s|es)?(?![\w}}`-])", re.I)


def _prose_lines(lines: list[str]):
    """Indices of lines that are plain prose (not code, directives, headings or front matter)."""
    fence = None
    front = lines[:1] == ["---"]
    for i, line in enumerate(lines):
        s = line.strip()
        if front:
            if i > 0 and s == "---":
                front = False
            continue
        m = re.match(r"^(`{3,}|:{3,})", s)
        if fence:
            if m and s.startswith(fence) and s.rstrip("`:") == "":
                fence = None
            elif s.startswith(fence[0] * len(fence)) and len(s) == len(fence):
                fence = None
            continue
        if m:
            opener = m.group(1)
            directive = s[len(opener) :].strip()
            # prose directives (admonitions, exercises, solutions) keep their body as prose
            if re.match(
                r"^\{(admonition|note|tip|important|warning|exercise|solution|"
                r"solution-start|solution-end|exercise-start|exercise-end|margin|"
                r"dropdown|hint|seealso|attention|caution)\}",
                directive,
            ):
                continue
            fence = opener
            continue
        if s.startswith(("#", ":", "(", "|", "<", "%", "+++")) or not s:
            continue
        yield i


def link_page(path: Path, all_terms: list[str]) -> tuple[str, set[str]]:
    lines = path.read_text().split("\n")
    linked: set[str] = set()
    existing = {
        t.lower() for t in re.findall(r"\{term\}`(?:[^`<]*<)?([^`>]+)>?`", "\n".join(lines))
    }
    for i in _prose_lines(lines):
        line = lines[i]
        for term in all_terms:
            key = term.lower()
            if key in linked or key in existing:
                continue
            parts = _PROTECTED.split(line)
            done = False
            for j in range(0, len(parts), 2):  # even parts are unprotected prose
                m = _pattern(term).search(parts[j])
                if m:
                    text = m.group(0)
                    role = (
                        f"{{term}}`{text}`" if text.lower() == key else f"{{term}}`{text} <{term}>`"
                    )
                    parts[j] = parts[j][: m.start()] + role + parts[j][m.end() :]
                    done = True
                    break
            if done:
                # rebuild the line from the split (protected spans sit at odd positions)
                line = "".join(parts)
                linked.add(key)
        lines[i] = line
    return "\n".join(lines), linked | existing


def main(argv: list[str]) -> int:
    all_terms = terms()
    used: set[str] = set()
    for page in PAGES:
        new, linked = link_page(page, all_terms)
        used |= linked
        if "--check" not in argv and new != page.read_text():
            page.write_text(new)
            print(f"{page.relative_to(ROOT)}: {len(linked)} terms linked")
    unlinked = [e[0] for e in entries() if not any(t.lower() in used for t in e)]
    if "--check" in argv:
        n = len(entries())
        print(f"{n - len(unlinked)} of {n} glossary entries are linked from the pages")
        if unlinked:
            print("not linked:", ", ".join(sorted(unlinked)))
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
