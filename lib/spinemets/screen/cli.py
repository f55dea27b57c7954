"""The command line: ``python -m spinemets.screen screen <paper key or registry.yaml> [...]``.

Exit status (for scripts and CI):

- **0**: every relation screened, no finding (verdicts consistent, not checkable or not
  applicable);
- **1**: at least one finding (inconsistent or implausible);
- **2**: an input error (a file that cannot be read, invalid YAML, an unknown rule or field, a
  missing field, a flag that is not ``true``/``false``, an id the registry lacks). Every input
  error of every file is printed on stderr, one line each naming file, line, relation and
  field, and nothing is screened.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .check import ScreenInputError, conventions, screen

COMMANDS = ("screen", "rules", "extract")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m spinemets.screen",
        description="The consistency screen of a paper's printed numbers (spinemets.screen).",
        epilog="Exit status: 0 no finding, 1 findings (inconsistent or implausible), "
        "2 input error (one line per problem on stderr: file:line: relation N (rule): "
        "field 'x': ...).",
    )
    sub = ap.add_subparsers(dest="command")
    s = sub.add_parser(
        "screen",
        help="screen registries (paper keys or registry YAML files)",
        description="Screen each registry and print one block per relation.",
    )
    s.add_argument(
        "registries",
        nargs="+",
        metavar="PAPER_OR_YAML",
        help="a paper key (choi2015, sohn2016, lee2015, park2016, separation2024), "
        "a registry YAML file with numbers: and relations:, or a paper's plain "
        "text (.txt: extracted first, see extract)",
    )
    s.add_argument(
        "--findings",
        action="store_true",
        help="print only the relations that are inconsistent or implausible",
    )
    sub.add_parser("rules", help="list the rules and the printing conventions each assumes")
    x = sub.add_parser(
        "extract",
        help="draft a registry from a paper's plain text",
        description="Extract printed numbers and the relations between them from "
        "a paper's plain text (heuristic: check the draft; lines it "
        "could not parse are listed at its end).",
    )
    x.add_argument("text", metavar="PAPER_TXT")
    x.add_argument(
        "-o",
        "--output",
        metavar="DRAFT_YAML",
        help="where to write the draft registry (default: print it)",
    )
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0, 1 or 2, see the module notes)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] not in COMMANDS and not args[0].startswith("-"):
        args = ["screen"] + args  # python -m spinemets.screen choi2015
    ap = _parser()
    if not args:
        ap.print_usage(sys.stderr)
        return 2
    try:
        ns = ap.parse_args(args)
    except SystemExit as e:  # --help exits 0, a usage error 2
        return int(e.code or 0)
    if ns.command == "rules":
        print(conventions().to_string())
        return 0
    if ns.command == "extract":
        from .extract import extract_file

        try:
            ex = extract_file(ns.text)
        except ValueError as e:
            print(str(e), file=sys.stderr)
            return 2
        text = ex.to_yaml()
        if ns.output:
            with open(ns.output, "w", encoding="utf-8") as fh:
                fh.write(text)
            print(
                f"{ns.output}: {len(ex.numbers)} numbers, {len(ex.relations)} relations; "
                f"{len(ex.not_parsed)} lines with numbers not parsed (listed at its end)"
            )
        else:
            print(text)
        return 0
    errors, results = [], []
    for a in ns.registries:
        try:
            if str(a).endswith(".txt"):
                from .extract import extract_file, screen_draft

                ex = extract_file(a)
                print(
                    f"{a}: extracted {len(ex.numbers)} numbers and {len(ex.relations)} "
                    f"relations; {len(ex.not_parsed)} lines with numbers not parsed "
                    f"(python -m spinemets.screen extract {a} lists them)"
                )
                results.append(screen_draft(ex))
            else:
                results.append(screen(a))
        except ScreenInputError as e:
            errors += e.problems
        except ValueError as e:
            errors.append(f"{a}: {e}")
    if errors:
        for line in errors:
            print(line, file=sys.stderr)
        return 2
    worst = 0
    for res in results:
        if ns.findings:
            print(res.summary)
            for i, r in res.findings().iterrows():
                print(f"{i:>4}. {r.rule} [{r.verdict}] {r.numbers}\n      {r.arithmetic}")
        else:
            print(res)
        print()
        worst = max(worst, 1 if res.has_findings else 0)
    return worst


__all__ = ["main"]
