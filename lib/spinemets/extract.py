"""Draft a registry of printed numbers from a paper's plain text.

The screen (``spinemets.screen``) checks relations between a paper's printed numbers, which a
reader enters in a registry YAML file (``data/published/<paper>.yaml``). Typing 7-8 lines per
number is the slow part; this module reads the text of a paper (copied from a PDF or a web page,
tables flattened) and writes a *draft* registry: the numbers it recognises, each with its
provenance (section and line), and the relations it can infer from the text alone.

What it recognises (each pattern is listed in :data:`PATTERNS`):

- ``n (%)`` pairs: "17 (70.8%)", and in tables "17 (70.8)";
- "x of n" and "x/n", with an optional percentage;
- mean ± SD and mean (SD) (a ± with neither "mean" nor "SD" on its line is registered as
  value ± spread: it may be an SE);
- median (range) and median (95% CI);
- HR/OR/RR with a 95% CI and, when printed close by, its p-value;
- test statistics with df and p: "t(27) = 2.1, p = 0.04", "χ2 = 3.9, df = 1, p = 0.048",
  "F(2, 30) = 4.1", "z = 2.3", "r(28) = .41";
- survival at a time: "1-year OS 18.1%", "the 1-year local progression-free rate was 67.0%";
- group sizes: "(n = 28)";
- any other p-value.

The relations it infers are only those the text itself states: a percentage with its count and an
explicit denominator ("x of n", "x/n", or the one group size printed for the table or sentence),
a ratio with its CI and p, a test statistic with its df and p, a median with its CI, a mean and SD
with the one group size in scope (GRIM). It never picks a denominator because it fits: where
several group sizes are in scope, the relation is left out and listed, so that an inferred
relation can still fail. Every numeric token it does not place in a pattern is listed as
*unparsed* with its line, so nothing is dropped silently. The draft is a starting point: check it
against the paper before you rely on a verdict.

Command line::

    python -m spinemets.extract paper.txt -o draft.yaml        # write the draft registry
    python -m spinemets.extract paper.txt --summary            # counts and the unparsed tokens

References
----------
Nuijten MB, Hartgerink CHJ, van Assen MALM, Epskamp S, Wicherts JM. The prevalence of
statistical reporting errors in psychology (1985-2013). Behav Res Methods 2016;48:1205-1226
(statcheck extracts APA-style test results from text in the same spirit).
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Found", "Extraction", "PATTERNS", "extract", "extract_file", "main"]

NUM = r"(\d+(?:\.\d+)?|\.\d+)"
SNUM = r"(-?\d+(?:\.\d+)?|-?\.\d+)"
DASH = r"\s*(?:-|–|—|to)\s*"
P = r"[Pp]\s*(?:-?value)?\s*(=|<|>|≤|≥|<=|>=)\s*(0?\.\d+|1\.0+|1)"

#: (kind, compiled pattern, field names of the groups), tried in this order on every line;
#: a span taken by an earlier pattern is not matched again.
PATTERNS: list[tuple[str, re.Pattern, tuple[str, ...]]] = [
    (
        "ratio_ci",
        re.compile(
            r"\b(HR|OR|RR|hazard ratio|odds ratio|relative risk|risk ratio)\b[^0-9\n]{0,12}?"
            + NUM
            + r"\s*[,;]?\s*[\(\[]?\s*(?:95\s*%\s*(?:CI|confidence interval)\s*[,:]?\s*)?"
            + NUM
            + DASH
            + NUM
            + r"\s*[\)\]]?(?:[^0-9\n]{0,20}?"
            + P
            + r")?",
            re.I,
        ),
        ("name", "estimate", "lower", "upper", "p_op", "p"),
    ),
    (
        "statistic",
        re.compile(
            r"(?<![A-Za-z])(t|F|χ2|χ²|chi2|chi-square|z|r)\s*(?:\(\s*(\d+(?:\.\d+)?)\s*"
            r"(?:,\s*(\d+(?:\.\d+)?))?\s*\))?\s*=\s*"
            + SNUM
            + r"(?:\s*,\s*df\s*=\s*(\d+))?\s*[,;]\s*"
            + P
        ),
        ("test", "df1", "df2", "statistic", "df", "p_op", "p"),
    ),
    (
        "median_ci",
        re.compile(
            r"median[^0-9\n]{0,40}?" + NUM + r"\s*(?:months?|days?|weeks?|years?|mo)?\s*"
            r"[\(\[]\s*95\s*%\s*(?:CI|confidence interval)\s*[,:]?\s*"
            + NUM
            + DASH
            + NUM
            + r"\s*[\)\]]",
            re.I,
        ),
        ("median", "lower", "upper"),
    ),
    (
        "median_range",
        re.compile(
            r"median[^0-9\n]{0,40}?" + NUM + r"\s*(?:months?|days?|weeks?|years?|mo)?\s*"
            r"[\(\[]\s*(?:range\s*[,:]?\s*)?"
            + NUM
            + DASH
            + NUM
            + r"\s*(?:months?|days?|weeks?|years?)?\s*[\)\]]",
            re.I,
        ),
        ("median", "min", "max"),
    ),
    ("mean_sd", re.compile(NUM + r"\s*(?:±|\+/-|\+-)\s*" + NUM), ("mean", "sd")),
    (
        "mean_sd",
        re.compile(
            r"mean[^0-9\n]{0,30}?"
            + NUM
            + r"\s*\(\s*(?:SD|s\.d\.|standard deviation)\s*[=:,]?\s*"
            + NUM
            + r"\s*\)",
            re.I,
        ),
        ("mean", "sd"),
    ),
    (
        "survival_at",
        re.compile(
            r"\b(\d+)[- ](year|month|yr|mo)s?\b[^0-9\n%]{0,60}?"
            r"(?:survival|OS|PFS|DFS|local control|LC|progression-free|LPFR)[^0-9\n%]{0,40}?"
            + NUM
            + r"\s*%",
            re.I,
        ),
        ("time", "unit", "percent"),
    ),
    (
        "x_of_n",
        re.compile(
            r"(?<![\d.])(\d+)\s*(?:of|/|out of)\s*(\d+)(?![\d.])(?:\s*(?:patients|lesions|"
            r"operations|cases)?\s*[\(,;]\s*" + NUM + r"\s*%\s*\)?)?"
        ),
        ("count", "denominator", "percent"),
    ),
    (
        "n_pct",
        re.compile(
            r"(?<![\d.])(\d+)\s*(?:patients|lesions|cases|operations|pairs)?\s*"
            r"\(\s*" + NUM + r"\s*%\s*\)"
        ),
        ("count", "percent"),
    ),
    # a table cell "17 (70.8)": a whole number with a decimal in parentheses, read as n (%)
    (
        "n_pct_table",
        re.compile(r"(?<![\d.])(\d+)\s*\(\s*(\d{1,3}\.\d+)\s*\)"),
        ("count", "percent"),
    ),
    ("group_n", re.compile(r"[\(\[]\s*[nN]\s*=\s*(\d+)\s*[\)\]]"), ("n",)),
    (
        "group_n",
        re.compile(
            r"\b[Oo]f (?:the |all |these )?(\d+) (?:patients|lesions|cases|"
            r"operations|pairs)\b"
        ),
        ("n",),
    ),
    ("p_value", re.compile(P), ("p_op", "p")),
]

_HEADING = re.compile(
    r"^\s*(Abstract|Purpose|Background|Objectives?|Introduction|(?:Materials and )?Methods|"
    r"Patients and Methods|Results|Discussion|Conclusions?|References|Acknowledg\w+|"
    r"Table \d+|TABLE \d+|Fig(?:ure)?\.? \d+)\b[.:]?",
    re.I,
)
_TOKEN = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?|\.\d+)(?![\w])")


@dataclasses.dataclass
class Found:
    """One recognised printing: its kind, the printed fields, and where it stands."""

    kind: str
    fields: dict[str, str]
    line: int
    section: str
    context: str
    unit: int = 0


@dataclasses.dataclass
class Extraction:
    """What :func:`extract` found in a text, what it could not place, and the draft registry.

    ``found`` lists every recognised printing in reading order; ``unparsed`` the numeric tokens
    outside any pattern, as (line, token, context); ``skipped`` the relations it could not
    infer, with the reason.
    """

    found: list[Found]
    unparsed: list[tuple[int, str, str]]
    skipped: list[str]

    def counts(self) -> dict[str, int]:
        """Printings found, per kind."""
        out: dict[str, int] = {}
        for f in self.found:
            out[f.kind] = out.get(f.kind, 0) + 1
        return out

    def registry(self, paper: str = "draft") -> dict[str, Any]:
        """The draft registry (numbers and relations) as a mapping ready for YAML."""
        numbers, relations = _draft(self.found, self.skipped)
        return {
            "paper": paper,
            "letter": "?",
            "citation": "DRAFT from spinemets.extract: check every entry against the paper",
            "numbers": numbers,
            "relations": relations,
        }

    def to_yaml(self, paper: str = "draft") -> str:
        """The draft registry as YAML text (readable by ``spinemets.published.load``)."""
        return yaml.safe_dump(self.registry(paper), sort_keys=False, allow_unicode=True, width=100)

    def __repr__(self) -> str:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.counts().items()))
        return (
            f"<Extraction: {len(self.found)} printings ({kinds}); "
            f"{len(self.unparsed)} numeric tokens unparsed; "
            f"{len(self.skipped)} relations not inferred>"
        )


def extract(text: str) -> Extraction:
    """Recognise the printed numbers of a paper's plain text.

    Parameters
    ----------
    text : str
        The paper as plain text (tables flattened one cell or row per line are fine).

    Returns
    -------
    Extraction

    Raises
    ------
    ValueError
        If ``text`` is not a string or holds no digit at all.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    if not re.search(r"\d", text):
        raise ValueError("text holds no number to extract")
    found: list[Found] = []
    unparsed: list[tuple[int, str, str]] = []
    headers: dict[str, list[str]] = {}
    for u, (unit, first_line, section) in enumerate(_units(text)):
        taken: list[tuple[int, int]] = []
        if section.lower().startswith("table"):
            row = _table_row(unit, first_line, section, headers)
            if row is not None:
                row.unit = u
                found.append(row)
                taken.append((0, len(unit)))
        for kind, pattern, names in PATTERNS:
            for m in pattern.finditer(unit):
                if any(m.start() < b and a < m.end() for a, b in taken):
                    continue
                fields = {n: g for n, g in zip(names, m.groups()) if g is not None}
                if kind == "x_of_n" and int(fields["count"]) > int(fields["denominator"]):
                    continue  # "3/2" is a dose or a ratio, not a count of a group
                if kind == "n_pct_table" and float(fields["percent"]) > 100:
                    continue
                kind_here = kind
                if kind == "mean_sd" and not re.search(r"\bmean\b|\bSD\b", unit, re.I):
                    kind_here = "value_pm"  # ± without "mean"/"SD": could be an SE
                taken.append(m.span())
                found.append(
                    Found(
                        kind_here,
                        fields,
                        first_line + unit.count("\n", 0, m.start()),
                        section,
                        _around(unit, m.start(), m.end()),
                        u,
                    )
                )
        for m in _TOKEN.finditer(unit):
            if not any(a <= m.start() < b for a, b in taken):
                unparsed.append(
                    (
                        first_line + unit.count("\n", 0, m.start()),
                        m.group(1),
                        _around(unit, m.start(), m.end()),
                    )
                )
    return Extraction(found, unparsed, [])


def _around(unit: str, a: int, b: int, width: int = 70) -> str:
    """The text around a match, on one line, for provenance."""
    return re.sub(r"\s+", " ", unit[max(0, a - width) : b + width]).strip()


def _units(text: str):
    """(unit, first line number, section): table lines one by one; text paragraphs whole.

    A paragraph keeps its line breaks (so a match knows its line); a word broken by a hyphen
    at the end of a line is not rejoined, but patterns allow white space (and line breaks)
    between their parts.
    """
    section = "front matter"
    para: list[str] = []
    start = 0
    lines = text.splitlines()
    for lineno, raw in enumerate(lines, 1):
        line = raw.replace("\u2009", " ").replace("\u00a0", " ")
        head = _HEADING.match(line)
        if head and len(line.strip()) < 90:
            if para:
                yield "\n".join(para), start, section
                para = []
            section = head.group(1).strip().rstrip(".:")
            section = section[0].upper() + section[1:]
        if section.lower().startswith("table"):
            if para:
                yield "\n".join(para), start, section
                para = []
            yield line, lineno, section
            continue
        if not line.strip():
            if para:
                yield "\n".join(para), start, section
                para = []
            continue
        if not para:
            start = lineno
        para.append(line)
    if para:
        yield "\n".join(para), start, section


_HEADER_WORDS = [
    ("n", r"^(?:n|no\.?\*?|patients|lesions)$"),
    ("median", r"^median"),
    ("mean", r"^mean"),
    ("ci", r"^95%\s*ci$|^ci$"),
    ("p", r"^p(?:-value)?\*?$"),
    ("hr", r"^hr$"),
    ("or", r"^or$"),
    ("pct", r"^%$"),
]
_CELL = re.compile(
    r"(\d+(?:\.\d+)?\s*[–-]\s*\d+(?:\.\d+)?|<\s*0?\.\d+|\d+(?:\.\d+)?|\bNA\b|(?<=\s)-(?=\s|$))"
)


def _columns(line: str) -> list[str] | None:
    """The column kinds of a table header line, or None if the line is not a header."""
    words = re.sub(r"\([^)]*\)", " ", line).replace("95% CI", "95%CI").split()
    cols = []
    for w in words:
        w = w.replace("95%CI", "95% CI").strip(",;").lower()
        for kind, rx in _HEADER_WORDS:
            if re.match(rx, w):
                cols.append(kind)
                break
    return cols if len(cols) >= 2 and len(set(cols)) == len(cols) else None


def _fits(kind: str, cell: str) -> bool:
    c = cell.replace(" ", "")
    if c in ("NA", "-"):
        return True
    is_range = bool(re.fullmatch(r"\d+(?:\.\d+)?[–-]\d+(?:\.\d+)?", c))
    if kind == "ci":
        return is_range
    if is_range:
        return False
    if kind == "n":
        return c.isdigit()
    if kind == "p":
        return c.startswith("<") or float(c) <= 1
    if kind == "pct":
        return float(c) <= 100
    return not c.startswith("<")


def _table_row(line: str, lineno: int, section: str, headers: dict[str, list[str]]) -> Found | None:
    """A table row read against the last header of its table (None if it does not fit);
    a header line updates ``headers`` (table name -> column kinds)."""
    cols = _columns(line)
    if cols is not None:
        headers[section] = cols
        return None
    cols = headers.get(section)
    if not cols:
        return None
    body = re.sub(r"\([^)]*\)", " ", line)
    cells = _CELL.findall(body)
    if not cells or len(cells) > len(cols):
        return None
    for aligned in (cols[: len(cells)], cols[-len(cells) :]):
        if all(_fits(k, c) for k, c in zip(aligned, cells)):
            fields = {
                k: c.replace(" ", "")
                for k, c in zip(aligned, cells)
                if c.strip() not in ("NA", "-")
            }
            if not fields:
                return None
            label = re.split(r"\s\d", line.strip(), maxsplit=1)[0].strip()
            return Found("table_row", fields, lineno, section, f"{label}: {line.strip()}"[:160])
    return None


def extract_file(path: str | Path) -> Extraction:
    """:func:`extract` on a UTF-8 text file; a missing file is a ValueError naming it."""
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"path: no such file {str(p)!r}")
    return extract(p.read_text(encoding="utf-8", errors="replace"))


def _scope_n(found: list[Found], i: int) -> list[str]:
    """The group sizes in scope of item i: in a table, every "(n = N)" of the table and the count
    of a "N (100.0)" cell; in the text, the "(n = N)" or "of the N patients" of the same
    paragraph."""
    f = found[i]
    if not f.section.lower().startswith("table"):
        return list(
            dict.fromkeys(g.fields["n"] for g in found if g.kind == "group_n" and g.unit == f.unit)
        )
    lo = i
    while lo > 0 and found[lo - 1].section == f.section:
        lo -= 1
    hi = i
    while hi + 1 < len(found) and found[hi + 1].section == f.section:
        hi += 1
    out = []
    for g in found[lo : hi + 1]:
        if g.kind == "group_n":
            out.append(g.fields["n"])
        elif g.kind in ("n_pct", "n_pct_table") and float(g.fields["percent"]) == 100:
            out.append(g.fields["count"])
    return list(dict.fromkeys(out))


def _draft(found: list[Found], skipped: list[str]) -> tuple[dict, list]:
    numbers: dict[str, dict] = {}
    relations: list[dict] = []
    skipped.clear()

    def add(stem: str, f: Found, field: str, quantity: str) -> str:
        nid = f"l{f.line:04d}_{stem}_{field}"
        k = 2
        while nid in numbers:
            nid, k = f"l{f.line:04d}_{stem}{k}_{field}", k + 1
        value = re.sub(r"^([<>]?)\.", r"\g<1>0.", f.fields[field])  # ".019" -> "0.019"
        if f.section.lower().startswith("table"):
            row = re.split(r"\s\d|:", f.context, maxsplit=1)[0].strip() or f"line {f.line}"
            source = {
                "where": "table",
                "table": f.section,
                "row": row,
                "column": field,
                "line": f.line,
            }
        else:
            source = {"where": "text", "section": f.section, "line": f.line}
        numbers[nid] = {
            "quantity": quantity,
            "value": int(value) if value.isdigit() else value,
            "source": source,
            "note": f"draft: {f.context}",
        }
        return nid

    for i, f in enumerate(found):
        stem = f.kind
        src = {"where": "text", "section": f.section, "line": f.line}
        where = f"line {f.line} ({f.section})"
        if f.kind in ("n_pct", "n_pct_table", "x_of_n"):
            c = add(stem, f, "count", "count")
            pct = add(stem, f, "percent", "percentage") if "percent" in f.fields else None
            if f.kind == "x_of_n":
                d = add(stem, f, "denominator", "denominator")
            else:
                ns = _scope_n(found, i)
                if len(ns) != 1:
                    skipped.append(
                        f"{where}: percentage {f.fields['count']} "
                        f"({f.fields['percent']}%) has {len(ns)} group sizes in "
                        "scope; denominator not inferred"
                    )
                    continue
                d = int(ns[0])
            if pct:
                relations.append(
                    {
                        "rule": "percentage",
                        "count": c,
                        "denominator": d,
                        "percent": pct,
                        "source": src,
                    }
                )
        elif f.kind == "ratio_ci":
            ids = {
                k: add(stem, f, k, f"{f.fields['name']} {k}")
                for k in ("estimate", "lower", "upper")
            }
            rel = {"rule": "ratio_ci", **ids}
            if "p" in f.fields:
                p = re.sub(r"^\.", "0.", f.fields["p"])
                rel["p"] = ("<" + p) if f.fields["p_op"] in ("<", "≤", "<=") else p
            relations.append({**rel, "source": src})
        elif f.kind == "statistic":
            test = {"χ2": "chi2", "χ²": "chi2", "chi-square": "chi2"}.get(
                f.fields["test"], f.fields["test"]
            )
            s = add(stem, f, "statistic", f"{test} statistic")
            p = re.sub(r"^\.", "0.", f.fields["p"])
            rel = {
                "rule": "p_statistic",
                "test": test,
                "statistic": s,
                "p": ("<" + p) if f.fields["p_op"] in ("<", "≤", "<=") else p,
            }
            if test in ("chi2", "t", "r"):
                df = f.fields.get("df1") or f.fields.get("df")
                if df is None:
                    skipped.append(f"{where}: {test} statistic without df")
                    continue
                rel["df"] = float(df)
            elif test == "F":
                if "df2" not in f.fields:
                    skipped.append(f"{where}: F statistic without two df")
                    continue
                rel["df1"], rel["df2"] = float(f.fields["df1"]), float(f.fields["df2"])
            if test == "r":
                skipped.append(f"{where}: r statistic registered, no rule for it yet")
                continue
            relations.append({**rel, "source": src})
        elif f.kind == "median_ci":
            ids = {k: add(stem, f, k, f"median {k}") for k in ("median", "lower", "upper")}
            relations.append({"rule": "median_ci", **ids, "source": src})
        elif f.kind == "mean_sd":
            ids = {k: add(stem, f, k, k) for k in ("mean", "sd")}
            ns = _scope_n(found, i)
            if len(ns) != 1:
                skipped.append(
                    f"{where}: mean {f.fields['mean']} has {len(ns)} group sizes in "
                    "scope; GRIM not inferred"
                )
                continue
            relations.append({"rule": "mean_sd", **ids, "n": int(ns[0]), "source": src})
        elif f.kind == "table_row":
            ids = {}
            for k, v in list(f.fields.items()):
                if k == "ci":
                    lo, hi = re.split(r"[–-]", v)
                    f.fields["lower"], f.fields["upper"] = lo, hi
                    ids["lower"] = add(stem, f, "lower", "95% CI lower")
                    ids["upper"] = add(stem, f, "upper", "95% CI upper")
                elif k not in ("lower", "upper"):
                    ids[k] = add(stem, f, k, {"n": "group size", "p": "p-value"}.get(k, k))
                    if k == "p" and v.startswith("<"):
                        numbers[ids[k]]["value"] = v
            if "lower" in ids and "median" in ids:
                relations.append(
                    {
                        "rule": "median_ci",
                        "median": ids["median"],
                        "lower": ids["lower"],
                        "upper": ids["upper"],
                        "source": src,
                    }
                )
            ratio = ids.get("hr") or ids.get("or")
            if "lower" in ids and ratio:
                rel = {
                    "rule": "ratio_ci",
                    "estimate": ratio,
                    "lower": ids["lower"],
                    "upper": ids["upper"],
                }
                if "p" in ids:
                    rel["p"] = ids["p"]
                relations.append({**rel, "source": src})
        elif f.kind == "value_pm":
            for k in ("mean", "sd"):
                add(stem, f, k, "value" if k == "mean" else "± spread (SD or SE: not stated)")
            skipped.append(
                f"{where}: {f.fields['mean']} ± {f.fields['sd']} without 'mean' or "
                "'SD' on its line: could be an SE; GRIM not inferred"
            )
        elif f.kind == "median_range":
            for k in ("median", "min", "max"):
                add(stem, f, k, f"median {k}" if k == "median" else f"range {k}")
        elif f.kind == "survival_at":
            add(stem, f, "percent", f"{f.fields['time']}-{f.fields['unit']} rate")
        elif f.kind == "group_n":
            add(stem, f, "n", "group size")
        elif f.kind == "p_value":
            nid = add(stem, f, "p", "p-value")
            if f.fields["p_op"] in ("<", "≤", "<="):
                numbers[nid]["value"] = "<" + f.fields["p"]
    return numbers, relations


def main(argv: list[str] | None = None) -> int:
    """Command line: exit 0 on success, 2 on an input error (one line, no traceback)."""
    parser = argparse.ArgumentParser(
        prog="python -m spinemets.extract",
        description="Draft a registry of printed numbers from a paper's plain text.",
    )
    parser.add_argument("paper", help="the paper as a UTF-8 text file")
    parser.add_argument("-o", "--output", help="write the draft registry YAML here")
    parser.add_argument("--key", default="draft", help="the paper key of the draft")
    parser.add_argument(
        "--summary",
        action="store_true",
        help="print the counts, the relations not inferred and unparsed tokens",
    )
    args = parser.parse_args(argv)
    try:
        ex = extract_file(args.paper)
    except ValueError as err:
        print(f"{args.paper}: {err}", file=sys.stderr)
        return 2
    draft = ex.to_yaml(args.key)
    if args.output:
        Path(args.output).write_text(draft, encoding="utf-8")
        print(
            f"{args.output}: {len(ex.registry()['numbers'])} numbers, "
            f"{len(ex.registry()['relations'])} relations (draft: check each)"
        )
    elif not args.summary:
        sys.stdout.write(draft)
    if args.summary:
        print(repr(ex))
        for s in ex.skipped:
            print("  not inferred:", s)
        for line, tok, ctx in ex.unparsed:
            print(f"  unparsed: line {line}: {tok!r} in {ctx!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
