"""Paper D's registry holds every number the paper prints, section by section.

The paper's text (``../shared/papers/D_park-2016_*.txt`` relative to the repository root) is cut
into its sections (abstract, Introduction, Methods 1-5, Results 1-4, Tables 1-3, Discussion).
In each section every numeric token is collected, after removing what is not a reported
number: reference brackets such as ``[13]``, the numbering of headings, "Table 2" / "Fig. 1",
the "95" of "95% CI", "1-year" and "grade 1" (part of a quantity's name), "CD8", "level 1
evidence" and the SPSS version. The registry entries whose source names that section must
print exactly the same multiset of numbers: a number the registry lacks, or one it holds twice,
fails. Numbers printed in words ("Thirteen lesions") carry ``words:`` in their source and must
occur, as words, in their section. Table 1's row labels (ECOG 0-1, SINS 7-12, BED <51.4) are
categories, not results; the BED cutoff, which is printed only as a row label, is registered
with ``column: row label`` and checked against the labels.

Without the paper's text (the repository ships without it) the text tests, marked
``needs_papers``, skip with the reason (tests/conftest.py; in CI a skip fails the session).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from spinemets import published, screen

# the paper's text is found by tests/conftest.py (SPINEMETS_PAPERS, ../shared/papers, ...)
PAPER = "D_park-2016"

# (registry section name, first line of the block, is the first line a heading to drop?)
# The blocks follow each other in the file; Results 1 is interrupted by Table 1.
BLOCKS = [
    ("abstract", "Purpose:", False),
    ("Introduction", "Introduction", True),
    ("Materials and Methods", "Materials and Methods", True),
    ("Materials and Methods, 1. Patient selection", "1. Patient selection", True),
    ("Materials and Methods, 2. Radiation therapy", "2. Radiation therapy", True),
    ("Materials and Methods, 3. Targeted molecular therapy", "3. Targeted molecular therapy", True),
    ("Materials and Methods, 4. Outcome assessment", "4. Outcome assessment", True),
    ("Materials and Methods, 5. Statistical analysis", "5. Statistical analysis", True),
    ("Results", "Results", True),
    ("Results, 1. Patient and spine characteristics", "1. Patient and spine characteristics", True),
    ("Table 1", "Table 1.  Patient and spine characteristics", True),
    (
        "Results, 1. Patient and spine characteristics",
        "with targeted molecular therapy at least once",
        False,
    ),
    (
        "Results, 2. Local progression-free rate and overall survival",
        "2. Local progression-free rate and overall survival",
        True,
    ),
    ("Results, 3. Patterns of progression", "3. Patterns of progression", True),
    ("Results, 4. Toxicity", "4. Toxicity", True),
    ("Table 2", "Table 2. Results of univariate", True),
    ("Table 3", "Table 3. Patterns of first failure", True),
    ("Discussion and Conclusion", "Discussion and Conclusion", True),
]

NOT_NUMBERS = [
    (r"\[\s*\d+(?:\s*[,\-–]\s*\d+)*\s*\]", "reference brackets"),
    (r"\b(?:Table|Fig\.)\s*\d+", "cross-references to tables and figures"),
    (r"\b95%\s*(?:CI|confidence)", "the 95 of '95% CI' (the confidence level, part of the name)"),
    (r"\b\d+-year\b", "'1-year' names the time point of a rate registered with it"),
    (r"\bgrade\s*≥?\s*\d+", "toxicity grade, part of the quantity's name"),
    (r"\bCD\d+\+?", "the CD8 antigen"),
    (r"\blevel 1 evidence", "evidence level"),
    (r"\bver\.\s*\d+", "SPSS version"),
    (r"\bp-value\b", "the word p-value"),
]
LABEL_LINES = {"0–1", "2–4", "0–6", "7–12", "13–18", "<51.4", "≥51.4"}
TOKEN = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")
WORDS = {
    "one": 1,
    "two": 2,
    "four": 4,
    "eight": 8,
    "eleven": 11,
    "thirteen": 13,
    "sixteen": 16,
    "twenty": 20,
    "twenty-two": 22,
    "single": 1,
}


def _blocks(text: str) -> dict[str, dict]:
    lines = text.splitlines()
    starts = []
    pos = 0
    for name, first, heading in BLOCKS:
        for i in range(pos, len(lines)):
            if lines[i].strip().startswith(first):
                starts.append((i, name, heading))
                pos = i + 1
                break
        else:
            raise AssertionError(f"section start {first!r} not found in the paper text")
    out: dict[str, dict] = {}
    for k, (i, name, heading) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        body = lines[i + 1 if heading else i : end]
        entry = out.setdefault(name, {"tokens": Counter(), "labels": Counter(), "text": ""})
        for line in body:
            if name == "Table 1" and line.strip() in LABEL_LINES:
                entry["labels"].update(TOKEN.findall(line))
                continue
            clean = line
            for pattern, _why in NOT_NUMBERS:
                clean = re.sub(pattern, " ", clean, flags=re.I)
            entry["tokens"].update(TOKEN.findall(clean))
            entry["text"] += " " + line
    return out


def _section(n: published.PublishedNumber) -> str:
    s = n.source
    if s["where"] == "abstract":
        return "abstract"
    if s["where"] == "table":
        return s["table"]
    return s.get("section", "")


def _printed(n: published.PublishedNumber) -> str:
    return n.text.lstrip("<>=≤≥ ")


@pytest.fixture(scope="module")
def paper_blocks(paper_text):
    return _blocks(paper_text(PAPER))


@pytest.fixture(scope="module")
def registry():
    return published.load("park2016")


@pytest.mark.needs_papers
def test_every_printed_number_is_registered_once(paper_blocks, registry):
    problems = []
    for name, block in paper_blocks.items():
        entries = [n for n in registry.values() if _section(n) == name]
        digits = Counter(
            _printed(n)
            for n in entries
            if "words" not in n.source and n.source.get("column") != "row label"
        )
        missing = block["tokens"] - digits
        extra = digits - block["tokens"]
        if missing or extra:
            problems.append(
                f"{name}: not registered {dict(missing)}, registered but not printed {dict(extra)}"
            )
        for n in entries:
            if "words" in n.source:
                w = n.source["words"]
                if not re.search(rf"\b{re.escape(w)}\b", block["text"]):
                    problems.append(f"{n.id}: the words {w!r} are not in {name}")
                if WORDS.get(w.lower()) != int(n.value):
                    problems.append(f"{n.id}: {w!r} is not {n.text}")
            if n.source.get("column") == "row label" and _printed(n) not in block["labels"]:
                problems.append(f"{n.id}: {n.text} is not a row label of {name}")
    assert not problems, "\n".join(problems)


@pytest.mark.needs_papers
def test_every_registry_section_exists_in_the_paper(paper_blocks, registry):
    unknown = {n.id: _section(n) for n in registry.values() if _section(n) not in paper_blocks}
    assert not unknown


@pytest.mark.change_detector
def test_registry_count(registry):
    # 309 numbers: changing the registry means re-running the section count above
    assert len(registry) == 309


def test_relations_name_registered_numbers_and_screen_runs(registry):
    res = screen.screen("park2016")
    assert len(res.table) >= 150
    assert set(res.table.verdict) <= set(screen.VERDICTS)
    assert (res.table.verdict == "not applicable").sum() == 0


def test_screen_findings_are_the_known_ones():
    t = screen.screen("park2016").table
    bad = t[t.verdict == "inconsistent"]
    found = " | ".join(bad.arithmetic)
    # Table 1 location counts add to 36 for 28 lesions; the text's 13 concurrent patients;
    # grade 1 toxicity 4/24 printed 16.6 (truncated); Table 3 prints 9/13 as 69.3 and 4/13 as 30.7
    assert "1 + 9 + 16 + 10 = 36 ≠ 28" in found
    assert "13 + 13 = 26 ≠ 24" in found
    assert "100 × 4/24 = 16.6667 rounds to 16.7, not 16.6" in found
    assert "100 × 9/13 = 69.2308 ≠ 69.3" in found
    assert "100 × 4/13 = 30.7692 rounds to 30.8, not 30.7" in found
    # the one ratio finding: univariable SINS 0.86 (0.21-3.62) p 0.837, where every Wald
    # interval whose geometric mean rounds to 0.86 has p 0.838-0.843 (screen branch)
    ratio_bad = t[(t.rule == "ratio_ci") & (t.verdict == "inconsistent")]
    assert list(ratio_bad.numbers.str.contains("t2_uva_sins_hr")) == [True]
