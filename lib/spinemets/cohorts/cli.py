"""Command line: ``python -m spinemets.cohorts build | search | replicates``."""

from __future__ import annotations

import argparse

from ..paths import COHORTS_DIR
from .engine import search_seeds, write
from .spec import available


def main(argv: list[str] | None = None) -> int:
    """``python -m spinemets.cohorts build [--paper KEY] [--out DIR]``, ``search --paper KEY
    [--seeds a-b]`` and ``replicates [--paper KEY] [--n 200] [--out DIR] [--workers W]``.

    ``replicates`` without ``--paper`` runs every paper that has both a cohort spec and an
    analysis function (:data:`spinemets.analyses.ANALYSES`).
    """
    p = argparse.ArgumentParser(prog="python -m spinemets.cohorts")
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="rebuild synthetic cohorts from their specs")
    b.add_argument("--paper", action="append", help="paper key (repeatable); default: all specs")
    b.add_argument("--out", default=None, help=f"output folder (default {COHORTS_DIR})")
    se = sub.add_parser(
        "search", help="rank seeds by calibration loss (write the best into the spec by hand)"
    )
    se.add_argument("--paper", required=True)
    se.add_argument("--seeds", default="1-100", help="range a-b")
    r = sub.add_parser(
        "replicates", help="analyse replicate cohorts; write data/replicates/<paper>.csv"
    )
    r.add_argument(
        "--paper",
        action="append",
        help="paper key (repeatable); default: every paper with an analysis",
    )
    r.add_argument("--n", type=int, default=200, help="number of replicates (default 200)")
    r.add_argument("--out", default=None, help="output folder (default data/replicates)")
    r.add_argument("--workers", type=int, default=None, help="processes (default: CPUs, at most 2)")
    args = p.parse_args(argv)
    if args.cmd == "replicates":
        import time

        from .. import analyses
        from .replication import write_replicates

        papers = args.paper or [k for k in analyses.available() if k in available()]
        for paper in papers:
            t0 = time.perf_counter()
            path = write_replicates(paper, args.n, args.out, args.workers)
            print(f"{paper}: wrote {path} ({args.n} replicates, {time.perf_counter() - t0:.1f} s)")
        return 0
    if args.cmd == "search":
        a, b = (int(v) for v in args.seeds.split("-"))
        print(search_seeds(args.paper, range(a, b + 1)).head(10).round(4).to_string(index=False))
        return 0
    for paper in args.paper or available():
        csv_path, md_path = write(paper, args.out)
        print(f"{paper}: wrote {csv_path} and {md_path}")
    return 0
