"""Draft a registry from a paper's plain text (heuristic; never guesses silently).

``python -m spinemets.screen extract paper.txt -o draft.yaml`` reads text copied from a PDF or
HTML page (tables flattened) and writes a draft registry: every number it recognises, with the
line it comes from, and the relations it can infer. What it recognises:

- ``n (%)`` pairs (``46 (23.9%)``, ``10 (66.7)``) and ``x of n (%)`` / ``x/n (%)``;
- group sizes (``(n = 28)``, ``n=28``, ``192 patients``);
- ratios with their interval and p (``HR 0.13 (95% CI 0.01-1.16), p = 0.068``);
- mean +- SD (``6.8 ± 2.3``);
- medians with a CI or range (``median OS 4.5 months (95% CI 3.7-5.3)``).

Inferred relations: ``percentage`` for ``x of n (%)``; ``denominator`` for a bare ``n (%)``,
tried against every group size the text states (the draft does not choose one: the rule names
the sizes that fit, and a pair that fits none is listed for a reader to check); ``ratio_ci`` for
a ratio with its interval (and p when it follows within the sentence), with no method (the
screen then says it assumed Wald); ``median_ci`` for a median with a 95% CI. A mean +- SD gets
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

PATTERNS = {
    "x_of_n_pct": re.compile(rf"\b(\d+)\s*(?:of|/)\s*(\d+)(?:\s*patients|\s*cases|\s*lesions)?"
                             rf"\s*\(\s*{NUM}\s*%\s*\)"),
    "n_pct": re.compile(rf"(?<![\d.])(\d+)\s*\(\s*{NUM}\s*%?\s*\)"),
    "group_n": re.compile(r"\(\s*[nN]\s*=\s*(\d+)\s*\)|\b[nN]\s*=\s*(\d+)\b|"
                         r"\b(\d+)\s+(?:patients|lesions|operations|cases|subjects)\b"),
    "ratio": re.compile(rf"\b(HR|OR|RR|hazard ratio|odds ratio|relative risk)\b[^0-9(]{{0,20}}"
                        rf"{NUM}\s*[(\[;,]\s*(?:95\s*%\s*(?:CI|confidence interval)[:,]?\s*)?"
                        rf"{NUM}{DASH}{NUM}\s*[)\]]?(?:[^.;]{{0,40}}?{P})?", re.I),
    "mean_sd": re.compile(rf"{NUM}\s*(?:±|\+/-|\+-)\s*{NUM}"),
    "median": re.compile(rf"\bmedian\b[^0-9;]{{0,60}}?{NUM}\s*(?:months?|days?|weeks?|years?)?"
                         rf"\s*\(\s*(95\s*%\s*(?:CI|confidence interval)[:,]?\s*|range[:,]?\s*)?"
                         rf"{NUM}{DASH}{NUM}\s*\)", re.I),
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
        doc = {"paper": self.paper,
               "citation": "draft extracted by python -m spinemets.screen extract; check every "
                           "number against the paper",
               "numbers": self.numbers, "relations": self.relations}
        text = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        if self.not_parsed:
            text += "\n# not parsed (lines with numbers that matched no pattern):\n"
            text += "".join(f"#   line {i}: {t[:90]}\n" for i, t in self.not_parsed)
        return text


def _dec(text: str) -> str:
    return "0" + text if text.startswith(".") else text


def extract(text: str, paper: str = "draft") -> Extraction:
    """Extract printed numbers and the relations between them from a paper's plain text."""
    numbers: dict[str, dict] = {}
    relations: list[dict] = []
    counts = {k: 0 for k in PATTERNS}
    lines = text.splitlines()
    sizes: list[int] = []
    not_parsed: list[tuple[int, str]] = []
    for i, line in enumerate(lines, start=1):
        for m in PATTERNS["group_n"].finditer(line):
            v = int(next(g for g in m.groups() if g))
            if v >= 2 and v not in sizes:
                sizes.append(v)

    def add(i, kind, k, field, value, quantity):
        nid = f"l{i}_{kind}{k}_{field}"
        numbers[nid] = {"quantity": quantity, "value": _dec(value),
                        "source": {"where": "text", "section": f"line {i}"}}
        return nid

    for i, line in enumerate(lines, start=1):
        used = []
        src = {"where": "text", "section": f"line {i}"}
        for k, m in enumerate(PATTERNS["x_of_n_pct"].finditer(line)):
            counts["x_of_n_pct"] += 1
            c = add(i, "xn", k, "count", m[1], "count")
            n = add(i, "xn", k, "n", m[2], "denominator")
            p = add(i, "xn", k, "pct", m[3], "percent")
            relations.append({"rule": "percentage", "count": c, "denominator": n, "percent": p,
                              "source": src})
            used.append(m.span())
        for k, m in enumerate(PATTERNS["n_pct"].finditer(line)):
            if any(a <= m.start() < b for a, b in used):
                continue
            if float(_dec(m[2])) > 100 or int(m[1]) > 100000:
                continue
            counts["n_pct"] += 1
            c = add(i, "np", k, "count", m[1], "count")
            p = add(i, "np", k, "pct", m[2], "percent")
            rel = {"rule": "denominator", "count": c, "percent": p,
                   "denominators": {f"n{s}": s for s in sizes[:12]}, "complete": False,
                   "source": src,
                   "note": "denominator not stated beside the pair: tried against the group "
                           "sizes the text states"}
            if sizes:
                relations.append(rel)
            used.append(m.span())
        for k, m in enumerate(PATTERNS["ratio"].finditer(line)):
            counts["ratio"] += 1
            kind = m[1].upper()[:2] if len(m[1]) <= 2 else {"hazard ratio": "HR",
                                                            "odds ratio": "OR"}.get(
                m[1].lower(), "RR")
            e = add(i, "r", k, "est", m[2], kind)
            lo = add(i, "r", k, "lower", m[3], f"{kind} lower limit")
            hi = add(i, "r", k, "upper", m[4], f"{kind} upper limit")
            rel = {"rule": "ratio_ci", "estimate": e, "lower": lo, "upper": hi, "source": src}
            if m[6]:
                op = {"=": "", "≤": "<=", "≥": ">="}.get(m[5], m[5])
                rel["p"] = add(i, "r", k, "p", op + _dec(m[6]), "p-value")
            relations.append(rel)
            used.append(m.span())
        for k, m in enumerate(PATTERNS["median"].finditer(line)):
            counts["median"] += 1
            md = add(i, "m", k, "median", m[1], "median")
            lo = add(i, "m", k, "lower", m[3], "median lower")
            hi = add(i, "m", k, "upper", m[4], "median upper")
            if m[2] and "range" not in m[2].lower():
                relations.append({"rule": "median_ci", "median": md, "lower": lo, "upper": hi,
                                  "source": src})
            used.append(m.span())
        for k, m in enumerate(PATTERNS["mean_sd"].finditer(line)):
            counts["mean_sd"] += 1
            add(i, "ms", k, "mean", m[1], "mean")
            add(i, "ms", k, "sd", m[2], "SD")
            used.append(m.span())
        counts["group_n"] += len(PATTERNS["group_n"].findall(line))
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
    and ratio relations (by their printed numbers), and the registry's findings among them."""
    from collections import Counter

    from .. import published
    from .check import screen

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
        fields = ("count", "percent") if r["rule"] in ("percentage", "denominator") else (
            ("estimate", "lower", "upper") if r["rule"] == "ratio_ci" else None)
        if fields:
            k = (r["rule"] == "ratio_ci",) + tuple(str(ex.numbers[r[f]]["value"])
                                                   for f in fields)
            flagged[k] = flagged.get(k, False) or draft.table.loc[j, "verdict"] != "consistent"
    ex_pct = {k[1:] for k in flagged if not k[0]}
    ex_ratio = {k[1:] for k in flagged if k[0]}
    n_rel = hit = n_find = hit_find = 0
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
            hit_find += flagged.get((rel.get("rule") == "ratio_ci",) + k, False)
    return {"paper": paper, "registry numbers": len(reg), "numbers found": found,
            "percentage+ratio relations": n_rel, "relations found": hit,
            "findings": n_find, "findings reproduced": hit_find,
            "draft relations": len(ex.relations), "lines not parsed": len(ex.not_parsed)}


__all__ = ["extract", "extract_file", "Extraction", "screen_draft", "recall", "PATTERNS"]
