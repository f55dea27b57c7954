"""Command line: ``python -m spinemets.cohorts build | search | replicates``."""

from __future__ import annotations

import argparse

from ..paths import COHORTS_DIR
from .engine import search_seeds, write
from .spec import available


def main(argv: list[str] | None = None) -> int:
    """``python -m spinemets.cohorts build [--paper KEY] [--out DIR]``."""
    p = argparse.ArgumentParser(prog="python -m spinemets.cohorts")
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="rebuild synthetic cohorts from their specs")
    b.add_argument("--paper", action="append", help="paper key (repeatable); default: all specs")
    b.add_argument("--out", default=None, help=f"output folder (default {COHORTS_DIR})")
    se = sub.add_parser("search", help="rank seeds by calibration loss (write the best into the spec by hand)")
    se.add_argument("--paper", required=True)
    se.add_argument("--seeds", default="1-100", help="range a-b")
    args = p.parse_args(argv)
    if args.cmd == "search":
        a, b = (int(v) for v in args.seeds.split("-"))
        print(search_seeds(args.paper, range(a, b + 1)).head(10).round(4).to_string(index=False))
        return 0
    for paper in args.paper or available():
        csv_path, md_path = write(paper, args.out)
        print(f"{paper}: wrote {csv_path} and {md_path}")
    return 0
