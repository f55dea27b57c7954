"""Draft a registry from a paper's plain text (heuristic; never guesses silently).

``python -m spinemets.screen extract paper.txt -o draft.yaml`` reads text copied from a PDF or
HTML page (tables flattened) and writes a draft registry: every number it recognises, with the
line it comes from, and the relations it can infer. What it recognises:

- ``n (%)`` pairs (``46 (23.9%)``, ``10 (66.7)``, ``18 patients (64.3%)``, ``Forty seven
  (83.9%)``: counts printed as English words are read as such) and ``x of n (%)`` /
  ``x/n (%)`` / ``x/n; p%``;
- group sizes (``(n = 28)``, ``n=28``, ``192 patients``);
- ratios with their interval and p (``HR 0.13 (95% CI 0.01-1.16), p = 0.068``);
- mean +- SD (``6.8 ± 2.3``);
- medians with a CI or range (``median OS 4.5 months (95% CI 3.7-5.3)``);
- test statistics with df and p (``t(39) = 2.45, p = .019``, ``χ2 = 3.84, df = 1, p = 0.05``,
  ``F(2, 30) = 4.1, p = .03``, ``z = 2.3, p = .02``);
- survival at a time (``the 1-year overall survival was 41.2%``);
- a percentage with its fraction (``63.0% (17/28)``, also across a line break) and bare
  fractions (``9/28``);
- two numbers compared (``58.7 vs. 59.7 years``), standalone p-values (``p=0.54``) and group
  sizes, as numbers without a relation;
- inside a table (from its ``Table N.`` line to the next figure, section or blank-line-
  separated caption), every remaining number of a row, as a *table cell* with its row label
  and no relation (the draft does not guess which column it belongs to);
- table rows read against their table's header (``Score n Median (days) 95% CI p-value`` then
  ``Group A (0-8) 26 172 55.57-288.43``): each cell is matched to the column it fits, left or
  right aligned, or the row is not read.

Inferred relations: ``percentage`` for ``x of n (%)``; ``denominator`` for a bare ``n (%)``,
tried against every group size the text states (the draft does not choose one: the rule names
the sizes that fit, and a pair that fits none is listed for a reader to check); ``ratio_ci`` for
a ratio with its interval (and p when it follows within the sentence), with no method (the
screen then says it assumed Wald); ``median_ci`` for a median with a 95% CI (in the text or a
table row); ``p_statistic`` for a t, F, chi-square or z statistic printed with its df and p
(an r statistic is registered without a relation). A mean +- SD gets
no relation (its n and scale are not in the pattern). Every line that holds a decimal number or
a percentage and matched nothing is listed as *not parsed*.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

NUM = r"(\d+(?:\.\d+)?|\.\d+)"
DASH = r"\s*(?:-|–|−|to|,)\s*"
P = r"[pP]\s*(=|<|>|≤|≥)\s*(0?\.\d+|1\.0+|0)"

_UNITS = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
WORD_NUMBERS = {w: i + 1 for i, w in enumerate(_UNITS)}
WORD_NUMBERS.update({w: 10 + i for i, w in enumerate(_TEENS)})
for _i, _t in enumerate(_TENS):
    WORD_NUMBERS[_t] = 20 + 10 * _i
    for _j, _u in enumerate(_UNITS):
        WORD_NUMBERS[f"{_t}-{_u}"] = WORD_NUMBERS[f"{_t} {_u}"] = 21 + 10 * _i + _j
_WORD_NUMBER = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS), key=len, reverse=True))
_WORD_NUMBER = rf"\b(?:{_WORD_NUMBER})\b"


def _count_text(text: str) -> str:
    """A count printed in digits or as an English word (``Forty seven`` -> ``47``)."""
    t = re.sub(r"\s+", " ", text.strip().lower())
    return str(WORD_NUMBERS[t]) if t in WORD_NUMBERS else text


PATTERNS = {
    "x_of_n_pct": re.compile(
        rf"\b(\d+)\s*(?:of|/)\s*(\d+)(?:\s*patients|\s*cases|\s*lesions)?"
        rf"\s*\(\s*{NUM}\s*%\s*\)"
    ),
    "n_pct": re.compile(rf"(?<![\d.])(\d+)\s*\(\s*{NUM}\s*%?\s*\)"),
    "group_n": re.compile(
        r"\(\s*[nN]\s*=\s*(\d+)\s*\)|\b[nN]\s*=\s*(\d+)\b|"
        r"\b(\d+)\s+(?:patients|lesions|operations|cases|subjects)\b"
    ),
    "ratio": re.compile(
        rf"\b(HR|OR|RR|hazard ratio|odds ratio|relative risk)\b[^0-9(]{{0,20}}"
        rf"{NUM}\s*[(\[;,]\s*(?:95\s*%\s*(?:CI|confidence interval)[:,]?\s*)?"
        rf"{NUM}{DASH}{NUM}\s*[)\]]?(?:[^.;]{{0,40}}?{P})?",
        re.I,
    ),
    "mean_sd": re.compile(rf"{NUM}\s*(?:±|\+/-|\+-)\s*{NUM}"),
    "statistic": re.compile(
        r"(?<![A-Za-z])(t|F|χ2|χ²|chi2|z|r)\s*(?:\(\s*(\d+(?:\.\d+)?)\s*(?:,\s*(\d+(?:\.\d+)?))?"
        rf"\s*\))?\s*=\s*(-?\d+(?:\.\d+)?|-?\.\d+)(?:\s*,\s*df\s*=\s*(\d+))?\s*[,;]\s*{P}"
    ),
    "survival_at": re.compile(
        r"\b(\d+)[- ](year|month)s?\b[^0-9%]{0,60}?(?:survival|OS|PFS|local control|LC|"
        rf"progression-free|LPFR)[^0-9%]{{0,40}}?{NUM}\s*%",
        re.I,
    ),
    "median": re.compile(
        rf"\bmedian\b[^0-9;]{{0,60}}?{NUM}\s*(?:months?|days?|weeks?|years?)?"
        rf"\s*\(\s*(95\s*%\s*(?:CI|confidence interval)[:,]?\s*|range[:,]?\s*)?"
        rf"{NUM}{DASH}{NUM}\s*\)",
        re.I,
    ),
    "n_noun_pct": re.compile(
        rf"(?<![\d.])(\d+|{_WORD_NUMBER})\s+(?:more\s+)?(?:patients?|lesions?|cases?|"
        rf"operations?|subjects?)?\s*\(\s*{NUM}\s*%\s*\)",
        re.I,
    ),
    "frac_pct": re.compile(rf"(?<![\d.])(\d+)\s*/\s*(\d+)\s*[;,]\s*{NUM}\s*%"),
    "pct_frac": re.compile(rf"(?<![\d.]){NUM}\s*%\s*\(\s*(\d+)\s*/\s*(\d+)\s*\)"),
    "fraction": re.compile(r"(?<![\d.])(\d+)\s*/\s*(\d+)(?![\d.])"),
    "vs": re.compile(
        rf"(?<![\d.]){NUM}\s*(?:%|months?|years?|days?|cc|Gy\S*)?\s*vs\.?\s*{NUM}(?![\d.])"
    ),
    "p_value": re.compile(rf"(?<![A-Za-z]){P}"),
    "table_cell": re.compile(r"(?<![\w.])([<>≤≥]?\d+(?:\.\d+)?)(?![\d.])"),
}
_NUMBERLIKE = re.compile(r"\d+\.\d+|\d+\s*%")


@dataclasses.dataclass
class Extraction:
    """A draft registry: ``numbers`` (id -> entry), ``relations``, and what was not parsed."""

    paper: str
    numbers: dict[str, dict]
    relations: list[dict]
    group_sizes: list[int]
    not_parsed: list[tuple[int, str]]
    counts: dict[str, int]

    def to_yaml(self) -> str:
        import yaml

        class _Dumper(yaml.SafeDumper):
            pass

        # printed numbers stay text so their trailing zeros survive
        doc = {
            "paper": self.paper,
            "citation": "draft extracted by python -m spinemets.screen extract; check every "
            "number against the paper",
            "numbers": self.numbers,
            "relations": self.relations,
        }
        text = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        if self.not_parsed:
            text += "\n# not parsed (lines with numbers that matched no pattern):\n"
            text += "".join(f"#   line {i}: {t[:90]}\n" for i, t in self.not_parsed)
        return text


def _dec(text: str) -> str:
    return "0" + text if text.startswith(".") else text


_HEADER_WORDS = [
    ("n", r"^(?:n|no\.?\*?|patients|lesions)$"),
    ("median", r"^median"),
    ("mean", r"^mean"),
    ("ci", r"^95%ci$|^ci$"),
    ("p", r"^p(?:-value)?\*?$"),
    ("hr", r"^hr$"),
    ("or", r"^or$"),
]
_CELL = re.compile(
    r"(\d+(?:\.\d+)?\s*[–-]\s*\d+(?:\.\d+)?|<\s*0?\.\d+|\d+(?:\.\d+)?|\bNA\b"
    r"|(?<=\s)-(?=\s|$))"
)


def _columns(line: str) -> list[str] | None:
    """The column kinds of a table header line (two or more known, none twice), else None."""
    words = re.sub(r"\([^)]*\)", " ", line).replace("95% CI", "95%CI").split()
    cols = []
    for w in words:
        w = w.strip(",;").lower()
        kind = next((k for k, rx in _HEADER_WORDS if re.match(rx, w)), None)
        if kind:
            cols.append(kind)
    return cols if len(cols) >= 2 and len(set(cols)) == len(cols) else None


def _fits(kind: str, cell: str) -> bool:
    c = cell.replace(" ", "")
    if c in ("NA", "-"):
        return True
    is_range = bool(re.fullmatch(r"\d+(?:\.\d+)?[–-]\d+(?:\.\d+)?", c))
    if kind == "ci" or is_range:
        return kind == "ci" and is_range
    if kind == "n":
        return c.isdigit()
    if kind == "p":
        return c.startswith("<") or float(c) <= 1
    return not c.startswith("<")


def _table_row(line: str, table: str | None, headers: dict) -> dict | None:
    """A row of ``table`` read against its last header line: {column kind: printed cell} when
    every cell fits its column (cells aligned left, else right), else None. A header line is
    stored in ``headers`` and gives None."""
    if table is None:
        return None
    cols = _columns(line)
    if cols is not None:
        headers[table] = cols
        return None
    cols = headers.get(table)
    cells = _CELL.findall(re.sub(r"\([^)]*\)", " ", line)) if cols else []
    if not cells or len(cells) > len(cols):
        return None
    for aligned in (cols[: len(cells)], cols[-len(cells) :]):
        if all(_fits(k, c) for k, c in zip(aligned, cells)):
            row = {
                k: c.replace(" ", "")
                for k, c in zip(aligned, cells)
                if c.strip() not in ("NA", "-")
            }
            return row or None
    return None


def extract(text: str, paper: str = "draft") -> Extraction:
    """Extract printed numbers and the relations between them from a paper's plain text."""
    numbers: dict[str, dict] = {}
    relations: list[dict] = []
    counts = {k: 0 for k in PATTERNS}
    counts["table_row"] = 0
    lines = text.splitlines()
    sizes: list[int] = []
    not_parsed: list[tuple[int, str]] = []
    for line in lines:
        for m in PATTERNS["group_n"].finditer(line):
            v = int(next(g for g in m.groups() if g))
            if v >= 2 and v not in sizes:
                sizes.append(v)

    def add(i, kind, k, field, value, quantity):
        nid = f"l{i}_{kind}{k}_{field}"
        numbers[nid] = {
            "quantity": quantity,
            "value": _dec(value),
            "source": {"where": "text", "section": f"line {i}"},
        }
        return nid

    # a percentage and its fraction, also split across a line break ("63.0%\n(17/28)")
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    joined = "\n".join(lines)
    frac_at: dict[int, list] = {}
    for m in PATTERNS["pct_frac"].finditer(joined):
        i = max(j for j, s0 in enumerate(starts) if s0 <= m.start()) + 1
        end_line = max(j for j, s0 in enumerate(starts) if s0 <= m.end() - 1) + 1
        frac_at.setdefault(i, []).append((m, end_line))
    carry: dict[int, list] = {}  # spans used on a continuation line

    table, headers = None, {}
    for i, line in enumerate(lines, start=1):
        used = list(carry.pop(i, []))
        src = {"where": "text", "section": f"line {i}"}
        head = re.match(r"^\s*(Table \d+)\b", line, flags=re.I)
        if head:
            table = head.group(1).title()
        elif re.match(r"^\s*(Fig(?:ure)?\.? \d+|References|Discussion)\b", line):
            table = None
        for k, (m, end_line) in enumerate(frac_at.get(i, [])):
            counts["pct_frac"] += 1
            p = add(i, "pf", k, "pct", m[1], "percent")
            c = add(i, "pf", k, "count", m[2], "count")
            n = add(i, "pf", k, "n", m[3], "denominator")
            relations.append(
                {"rule": "percentage", "count": c, "denominator": n, "percent": p, "source": src}
            )
            a = m.start() - starts[i - 1]
            if end_line == i:
                used.append((a, m.end() - starts[i - 1]))
            else:
                used.append((a, len(line)))
                carry.setdefault(end_line, []).append((0, m.end() - starts[end_line - 1]))
        for k, m in enumerate(PATTERNS["x_of_n_pct"].finditer(line)):
            counts["x_of_n_pct"] += 1
            c = add(i, "xn", k, "count", m[1], "count")
            n = add(i, "xn", k, "n", m[2], "denominator")
            p = add(i, "xn", k, "pct", m[3], "percent")
            relations.append(
                {"rule": "percentage", "count": c, "denominator": n, "percent": p, "source": src}
            )
            used.append(m.span())
        for k, m in enumerate(PATTERNS["frac_pct"].finditer(line)):
            if any(a <= m.start() < b for a, b in used):
                continue
            counts["frac_pct"] += 1
            c = add(i, "fp", k, "count", m[1], "count")
            n = add(i, "fp", k, "n", m[2], "denominator")
            p = add(i, "fp", k, "pct", m[3], "percent")
            relations.append(
                {"rule": "percentage", "count": c, "denominator": n, "percent": p, "source": src}
            )
            used.append(m.span())
        for k, m in enumerate(PATTERNS["n_noun_pct"].finditer(line)):
            if any(a <= m.start() < b for a, b in used) or not re.search(r"[A-Za-z]", m[0]):
                continue  # a bare "n (%)" is the n_pct pattern's
            if float(_dec(m[2])) > 100:
                continue
            counts["n_noun_pct"] += 1
            word = not m[1].isdigit()
            c = add(i, "nn", k, "count", _count_text(m[1]), "count" + " (a word)" * word)
            p = add(i, "nn", k, "pct", m[2], "percent")
            if sizes:
                relations.append(
                    {
                        "rule": "denominator",
                        "count": c,
                        "percent": p,
                        "denominators": {f"n{s}": s for s in sizes[:12]},
                        "complete": False,
                        "source": src,
                        "note": "denominator not stated beside the pair: tried against the "
                        "group sizes the text states",
                    }
                )
            used.append(m.span())
        for k, m in enumerate(PATTERNS["n_pct"].finditer(line)):
            if any(a <= m.start() < b for a, b in used):
                continue
            if float(_dec(m[2])) > 100 or int(m[1]) > 100000:
                continue
            counts["n_pct"] += 1
            c = add(i, "np", k, "count", m[1], "count")
            p = add(i, "np", k, "pct", m[2], "percent")
            rel = {
                "rule": "denominator",
                "count": c,
                "percent": p,
                "denominators": {f"n{s}": s for s in sizes[:12]},
                "complete": False,
                "source": src,
                "note": "denominator not stated beside the pair: tried against the group "
                "sizes the text states",
            }
            if sizes:
                relations.append(rel)
            used.append(m.span())
        for k, m in enumerate(PATTERNS["ratio"].finditer(line)):
            counts["ratio"] += 1
            kind = (
                m[1].upper()[:2]
                if len(m[1]) <= 2
                else {"hazard ratio": "HR", "odds ratio": "OR"}.get(m[1].lower(), "RR")
            )
            e = add(i, "r", k, "est", m[2], kind)
            lo = add(i, "r", k, "lower", m[3], f"{kind} lower limit")
            hi = add(i, "r", k, "upper", m[4], f"{kind} upper limit")
            rel = {"rule": "ratio_ci", "estimate": e, "lower": lo, "upper": hi, "source": src}
            if m[6]:
                op = {"=": "", "≤": "<=", "≥": ">="}.get(m[5], m[5])
                rel["p"] = add(i, "r", k, "p", op + _dec(m[6]), "p-value")
            relations.append(rel)
            used.append(m.span())
        for k, m in enumerate(PATTERNS["statistic"].finditer(line)):
            if any(a <= m.start() < b for a, b in used):
                continue
            counts["statistic"] += 1
            test = {"χ2": "chi2", "χ²": "chi2"}.get(m[1], m[1])
            st = add(i, "s", k, "stat", m[4], f"{test} statistic")
            op = {"=": "", "≤": "<=", "≥": ">="}.get(m[6], m[6])
            pv = add(i, "s", k, "p", op + _dec(m[7]), "p-value")
            rel = {"rule": "p_statistic", "test": test, "statistic": st, "p": pv, "source": src}
            df1, df2 = m[2] or m[5], m[3]
            if test in ("chi2", "t") and df1:
                rel["df"] = float(df1)
            elif test == "F" and df1 and df2:
                rel["df1"], rel["df2"] = float(df1), float(df2)
            if test == "z" or "df" in rel or "df1" in rel:
                relations.append(rel)
            used.append(m.span())
        for k, m in enumerate(PATTERNS["survival_at"].finditer(line)):
            counts["survival_at"] += 1
            add(i, "sa", k, "pct", m[3], f"{m[1]}-{m[2]} rate")
            used.append(m.span())
        row = _table_row(line, table, headers)
        if row is not None and not used:
            counts["table_row"] += 1
            ids, reversed_ci = {}, False
            for col, cell in row.items():
                if col == "ci":
                    lo_, hi_ = re.split(r"[–-]", cell)
                    if float(lo_) > float(hi_):  # printed upper limit first: read, and say so
                        lo_, hi_ = hi_, lo_
                        reversed_ci = True
                    ids["lower"] = add(i, "t", 0, "lower", lo_, "95% CI lower")
                    ids["upper"] = add(i, "t", 0, "upper", hi_, "95% CI upper")
                else:
                    ids[col] = add(i, "t", 0, col, cell, {"n": "group size"}.get(col, col))
            if "lower" in ids and "median" in ids:
                relations.append(
                    {
                        "rule": "median_ci",
                        "median": ids["median"],
                        "lower": ids["lower"],
                        "upper": ids["upper"],
                        "source": src,
                    }
                    | ({"note": "the interval is printed upper limit first"} if reversed_ci else {})
                )
            if "lower" in ids and ("hr" in ids or "or" in ids):
                rel = {
                    "rule": "ratio_ci",
                    "estimate": ids.get("hr") or ids["or"],
                    "lower": ids["lower"],
                    "upper": ids["upper"],
                    "source": src,
                }
                if "p" in ids:
                    rel["p"] = ids["p"]
                if reversed_ci:
                    rel["note"] = "the interval is printed upper limit first"
                relations.append(rel)
            used.append((0, len(line)))
        for k, m in enumerate(PATTERNS["median"].finditer(line)):
            counts["median"] += 1
            md = add(i, "m", k, "median", m[1], "median")
            lo = add(i, "m", k, "lower", m[3], "median lower")
            hi = add(i, "m", k, "upper", m[4], "median upper")
            if m[2] and "range" not in m[2].lower():
                relations.append(
                    {"rule": "median_ci", "median": md, "lower": lo, "upper": hi, "source": src}
                )
            used.append(m.span())
        for k, m in enumerate(PATTERNS["mean_sd"].finditer(line)):
            counts["mean_sd"] += 1
            add(i, "ms", k, "mean", m[1], "mean")
            add(i, "ms", k, "sd", m[2], "SD")
            used.append(m.span())
        for k, m in enumerate(PATTERNS["vs"].finditer(line)):
            if any(a <= m.start() < b for a, b in used):
                continue
            counts["vs"] += 1
            add(i, "vs", k, "a", m[1], "compared value (first)")
            add(i, "vs", k, "b", m[2], "compared value (second)")
            used.append(m.span())
        for k, m in enumerate(PATTERNS["fraction"].finditer(line)):
            if any(a <= m.start() < b for a, b in used):
                continue
            counts["fraction"] += 1
            add(i, "fr", k, "count", m[1], "count (of a fraction)")
            add(i, "fr", k, "n", m[2], "denominator (of a fraction)")
            used.append(m.span())
        for k, m in enumerate(PATTERNS["p_value"].finditer(line)):
            if any(a <= m.start() < b for a, b in used):
                continue
            counts["p_value"] += 1
            op = {"=": "", "≤": "<=", "≥": ">="}.get(m[1], m[1])
            add(i, "p", k, "p", op + _dec(m[2]), "p-value")
            used.append(m.span())
        for k, m in enumerate(PATTERNS["group_n"].finditer(line)):
            counts["group_n"] += 1
            if any(a <= m.start() < b for a, b in used):
                continue
            add(i, "g", k, "n", next(g for g in m.groups() if g), "group size")
            used.append(m.span())
        if table is not None and not re.match(r"^\s*Table \d+", line, flags=re.I):
            rest = line
            for a, b in sorted(used, reverse=True):
                rest = rest[:a] + " " * (b - a) + rest[b:]
            label = re.match(r"^\s*([^\d<>≤≥]*)", rest).group(1).strip(" *†‡:,")
            for k, m in enumerate(PATTERNS["table_cell"].finditer(rest)):
                counts["table_cell"] += 1
                cell = m[1].replace("≤", "<=").replace("≥", ">=")
                add(i, "c", k, "cell", cell, f"{table} cell" + (f" ({label})" if label else ""))
                used.append(m.span())
        rest = line
        for a, b in sorted(used, reverse=True):
            rest = rest[:a] + " " * (b - a) + rest[b:]
        if _NUMBERLIKE.search(rest):
            not_parsed_line = line.strip()
            if not_parsed_line:
                not_parsed.append((i, not_parsed_line))
    return Extraction(paper, numbers, relations, sizes, not_parsed, counts)


def extract_file(path, paper: str | None = None) -> Extraction:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"{p}: cannot be read as text ({e})") from None
    key = paper or re.sub(r"\W+", "_", p.stem).strip("_") or "draft"
    if key[0].isdigit():
        key = "p_" + key
    return extract(text, key)


def screen_draft(ex: Extraction):
    """Screen a draft: write it to a temporary registry file and run the screen on it."""
    import tempfile

    from .check import screen

    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / f"{ex.paper}.yaml"
        f.write_text(ex.to_yaml(), encoding="utf-8")
        return screen(f)


def recall(paper: str, path) -> dict[str, Any]:
    """How much of a hand registry the extraction finds: numbers (by printed text), percentage
    and ratio relations (by their printed numbers), and the registry's findings among them:
    ``findings reproduced`` are inconsistent or implausible in the draft too, ``findings not
    passed`` are at least not consistent there (a bare ``n (%)`` whose denominator the text
    does not state is *not checkable*)."""
    from collections import Counter

    from .. import published
    from .check import FINDINGS, screen

    reg = published.load(paper)
    ex = extract_file(path, paper)
    got = Counter(str(v["value"]) for v in ex.numbers.values())
    want = Counter(n.text for n in reg.values())
    found = sum(min(c, got[t]) for t, c in want.items())

    res = screen(paper)
    from .check import _relations_of  # the registry's own relations, in screen order

    rels = list(_relations_of(reg))

    def key(rel, fields):
        out = []
        for f in fields:
            v = rel.get(f)
            out.append(reg[v].text if isinstance(v, str) and v in reg else str(v))
        return tuple(out)

    draft = screen_draft(ex)
    flagged = {}
    for j, r in enumerate(ex.relations, start=1):
        fields = (
            ("count", "percent")
            if r["rule"] in ("percentage", "denominator")
            else (("estimate", "lower", "upper") if r["rule"] == "ratio_ci" else None)
        )
        if fields:
            k = (r["rule"] == "ratio_ci",) + tuple(str(ex.numbers[r[f]]["value"]) for f in fields)
            v = draft.table.loc[j, "verdict"]
            was = flagged.get(k, (False, False))
            flagged[k] = (was[0] or v in FINDINGS, was[1] or v != "consistent")
    ex_pct = {k[1:] for k in flagged if not k[0]}
    ex_ratio = {k[1:] for k in flagged if k[0]}
    n_rel = hit = n_find = hit_find = hit_open = 0
    for i, rel in enumerate(rels, start=1):
        if rel.get("rule") == "percentage":
            k, pool = key(rel, ("count", "percent")), ex_pct
        elif rel.get("rule") == "ratio_ci":
            k, pool = key(rel, ("estimate", "lower", "upper")), ex_ratio
        else:
            continue
        n_rel += 1
        hit += k in pool
        if res.table.loc[i, "verdict"] != "consistent":
            n_find += 1
            f = flagged.get((rel.get("rule") == "ratio_ci",) + k, (False, False))
            hit_find += f[0]
            hit_open += f[1]
    return {
        "paper": paper,
        "registry numbers": len(reg),
        "numbers found": found,
        "percentage+ratio relations": n_rel,
        "relations found": hit,
        "findings": n_find,
        "findings reproduced": hit_find,
        "findings not passed": hit_open,
        "draft relations": len(ex.relations),
        "lines not parsed": len(ex.not_parsed),
    }


__all__ = ["extract", "extract_file", "Extraction", "screen_draft", "recall", "PATTERNS"]
