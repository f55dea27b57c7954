"""Recall of ``spinemets.extract`` against the hand-made registries of papers A-D.

Usage (from the repository root; needs the papers' texts, which do not ship with the book)::

    python benchmarks/bench_extract.py [--papers DIR]

For each paper, with its hand registry ``data/published/<paper>.yaml`` as the reference:

- *numbers found*: registry numbers whose printed value the draft holds (values matched as a
  multiset, so a value printed twice must be found twice);
- *tokens seen*: the same against every numeric token of the text (what a perfect extractor of
  this text could reach; the registry also holds numbers printed as words);
- *relations inferred*: registry relations of the kinds the extractor infers (percentage,
  ratio_ci, median_ci, mean_sd) whose printed values a draft relation of the same rule holds;
- *findings*: relations the screen flags (inconsistent or implausible) in the hand registry,
  and how many of them the screen of the draft flags too (matched by their printed values).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from spinemets import extract, published, screen  # noqa: E402

PAPERS = {"choi2015": "A_", "sohn2016": "B_", "lee2015": "C_", "park2016": "D_"}
KINDS = ("percentage", "ratio_ci", "median_ci", "mean_sd")
FIELDS = {
    "percentage": ("count", "denominator", "percent"),
    "ratio_ci": ("estimate", "lower", "upper"),
    "median_ci": ("median", "lower", "upper"),
    "mean_sd": ("mean", "sd"),
}


def _norm(v) -> str:
    s = str(v).strip().lstrip("<>=≤≥ ")
    try:
        x = float(s)
    except ValueError:
        return s
    return repr(round(x, 6))


def _values(numbers: dict, rel: dict, kind: str) -> tuple:
    out = []
    for f in FIELDS[kind]:
        v = rel.get(f)
        if v is None:
            continue
        out.append(_norm(numbers[v]["value"] if isinstance(v, str) and v in numbers else v))
    return tuple(out)


def _flagged(result) -> set:
    t = result.table
    return {
        tuple(sorted(str(x) for x in row.numbers.values()))
        if isinstance(row.numbers, dict)
        else str(row.numbers)
        for row in t[t.verdict.isin(["inconsistent", "implausible"])].itertuples()
    }


def one(paper: str, text: Path) -> dict:
    ex = extract.extract_file(text)
    draft = ex.registry(paper)
    reg = published.load(paper)
    ref = Counter(_norm(reg[k].text) for k in reg)
    got = Counter(_norm(n["value"]) for n in draft["numbers"].values())
    tokens = Counter(_norm(t) for t in extract._TOKEN.findall(text.read_text(encoding="utf-8")))
    rels = list(screen._relations_of(reg))
    hand = [
        (r["rule"], _values({k: {"value": reg[k].text} for k in reg}, r, r["rule"]))
        for r in rels
        if r.get("rule") in KINDS and r.get("applies", True)
    ]
    drafted = {
        (r["rule"], _values(draft["numbers"], r, r["rule"]))
        for r in draft["relations"]
        if r["rule"] in KINDS
    }
    return {
        "paper": paper,
        "registry numbers": sum(ref.values()),
        "numbers found": sum((ref & got).values()),
        "tokens seen": sum((ref & tokens).values()),
        "hand relations": len(hand),
        "relations inferred": sum(1 for h in hand if h in drafted),
        "draft relations": len(draft["relations"]),
        "unparsed tokens": len(ex.unparsed),
        "not inferred": len(ex.skipped),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--papers",
        type=Path,
        default=Path(os.environ.get("SPINEMETS_PAPERS", ROOT.parent / "shared" / "papers")),
    )
    args = parser.parse_args(argv)
    if not args.papers.is_dir():
        print(f"no papers folder at {args.papers} (set SPINEMETS_PAPERS)")
        return 2
    rows = []
    for paper, prefix in PAPERS.items():
        text = next(args.papers.glob(prefix + "*.txt"))
        rows.append(one(paper, text))
    keys = list(rows[0])
    print(" | ".join(keys))
    for r in rows:
        print(" | ".join(str(r[k]) for k in keys))
    return 0


if __name__ == "__main__":
    sys.exit(main())
