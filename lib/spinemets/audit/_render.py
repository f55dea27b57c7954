"""How an :class:`~spinemets.audit.Audit` shows itself: HTML for the book (headed sections,
tables that wrap at 390 px instead of scrolling sideways), plain text for a terminal, and the two
figures."""

from __future__ import annotations

import html

import pandas as pd

#: Verdict categories in reading order (the overview's stacking order too)
CATEGORY_ORDER = (
    "agrees",
    "only fit",
    "informative",
    "uninformative",
    "p-value",
    "differs",
    "not reproducible",
    "not judged",
    "by construction",
)

_WORDS = {
    "agrees": "recomputed, agrees",
    "only fit": "agrees as the only fit",
    "informative": "emergent, informative",
    "uninformative": "emergent, uninformative",
    "p-value": "p-value (replicate distribution)",
    "differs": "differs",
    "not reproducible": "not reproducible",
    "not judged": "not judged",
    "by construction": "by construction",
}

#: One style block per page (not per cell): tables wrap at any width, down to 390 px
_STYLE = (
    "<style>.sm-audit table.sm-audit-table{width:100%;table-layout:fixed;"
    "border-collapse:collapse;font-size:0.85em;margin:0.4em 0}"
    ".sm-audit-table td,.sm-audit-table th{overflow-wrap:anywhere;word-break:break-word;"
    "vertical-align:top;padding:2px 4px;text-align:left}"
    ".sm-audit-table tbody tr{border-top:1px solid #ddd}</style>"
)


def _e(x) -> str:
    return html.escape(str(x))


def _table(header: list[str], widths: list[int], rows: list[list[str]]) -> str:
    cols = "".join(f"<col style='width:{w}%'>" for w in widths)
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return (
        f"<table class='sm-audit-table'><colgroup>{cols}</colgroup>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _counts_text(counts: pd.Series) -> str:
    return ", ".join(f"{int(n)} {_WORDS.get(c, c)}" for c, n in counts.items() if n)


def _section_counts(a) -> dict[str, pd.Series]:
    return {s: a.overview.loc[s] for s in a.overview.index}


def to_html(a) -> str:
    cov, out = a.coverage, []
    out.append(_STYLE + "<div class='sm-audit' style='max-width:100%;overflow-wrap:anywhere'>")
    out.append(f"<h3>Headline</h3><p>{_e(a.summary.text)}</p>")
    # (a) coverage
    out.append(f"<h3>Coverage of the registry</h3><p>{_e(cov.text)}</p>")
    if len(cov.missing_from_text):
        rows = [
            [f"<code>{_e(r.id)}</code>", _e(r.where), _e(r.printed)]
            for r in cov.missing_from_text.itertuples()
        ]
        out.append(
            "<p>Registered but not found in the shared text:</p>"
            + _table(["id", "where", "printed"], [35, 45, 20], rows)
        )
    if len(cov.unregistered):
        rows = [[_e(r.line), _e(r.kind), _e(r.printed)] for r in cov.unregistered.itertuples()]
        out.append(
            f"<details><summary>Printed numbers the extraction finds that are not registered "
            f"({len(rows)})</summary>"
            + _table(["line", "kind", "printed"], [20, 50, 30], rows)
            + "</details>"
        )
    # (d) contradictions
    c = a.contradictions
    out.append(f"<h3>Contradictions in the paper ({len(c)})</h3>")
    out.append(
        "<p>Printed numbers that cannot all be true: a recomputation from other printed "
        "numbers that differs, a construction target the other printed numbers rule out, "
        "and relations of the consistency screen that fail (every printed digit read as the "
        "interval of values that round to it).</p>"
    )
    if len(c):
        rows = [
            [f"{_e(r.where)}<br><small>{_e(r.kind)}</small>", _e(r.arithmetic)]
            for r in c.itertuples()
        ]
        out.append(_table(["where", "arithmetic"], [32, 68], rows))
    # (c) screen findings
    s = a.screen
    out.append("<h3>Screen findings</h3>")
    if len(s):
        vc = s.verdict.value_counts()
        out.append(
            f"<p>{len(s)} relations between printed numbers screened "
            f"({_e(', '.join(f'{n} {v}' for v, n in vc.items()))}); the inconsistent and "
            "implausible ones are listed with the contradictions above.</p>"
        )
        other = s[s.verdict.isin(["not checkable", "not applicable"])]
        if len(other):
            rows = [
                [_e(r.rule), _e(r.numbers), _e(r.verdict), _e(r.arithmetic or r.note)]
                for r in other.itertuples()
            ]
            out.append(
                f"<details><summary>Relations not checkable or not applicable "
                f"({len(other)})</summary>"
                + _table(["rule", "numbers", "verdict", "why"], [18, 32, 15, 35], rows)
                + "</details>"
            )
    else:
        out.append("<p>The registry states no relations to screen.</p>")
    # (b) every number, by section
    out.append("<h3>Every number, by section of the paper</h3>")
    out.append(
        "<p>Each number's verdict with its reason: recomputed from which printed numbers, by "
        "construction against which target, emergent with its replicate interval (informative "
        "when that interval could have excluded a clinically different value), or not "
        "reproducible and why. The registry id is the small text under each number.</p>"
    )
    sec = a.sections
    for name, counts in _section_counts(a).items():
        g = sec[sec.section == name]
        rows = [
            [
                f"{_e(r.number)}<br><small><code>{_e(nid)}</code></small>",
                _e(r.published),
                _e(r.ours),
                f"<b>{_e(_WORDS.get(r.category, r.category))}</b><br><small>{_e(r.reason)}</small>",
            ]
            for nid, r in g.iterrows()
        ]
        opened = " open" if (g.category == "differs").any() and len(g) <= 12 else ""
        out.append(
            f"<details{opened}><summary><b>{_e(name)}</b>: {len(g)} numbers "
            f"({_e(_counts_text(counts))})</summary>"
            + _table(["number", "printed", "ours", "verdict and reason"], [30, 14, 12, 44], rows)
            + "</details>"
        )
    # (e) figures
    out.append(
        "<h3>Figures</h3><p>Below: the emergent estimates against the central 95% of their "
        f"replicates ({len(a.emergent)} estimates; p-values are judged by their effect "
        "estimates instead), and the verdicts per section.</p>"
    )
    out.append("</div>")
    return "".join(out)


def to_text(a) -> str:
    cov = a.coverage
    lines = [f"Audit of {a.paper}", "", a.summary.text, "", "Coverage: " + cov.text, ""]
    c = a.contradictions
    lines.append(f"Contradictions in the paper ({len(c)}):")
    lines += [f"  - {r.where} [{r.kind}]: {r.arithmetic}" for r in c.itertuples()]
    s = a.screen
    if len(s):
        vc = s.verdict.value_counts()
        lines += [
            "",
            f"Screen: {len(s)} relations ({', '.join(f'{n} {v}' for v, n in vc.items())}).",
        ]
    lines += ["", "Verdicts by section:"]
    for name, counts in _section_counts(a).items():
        lines.append(f"  {name}: {_counts_text(counts)}")
    lines += ["", f"Every number with its reason: .sections ({len(a.sections)} rows)."]
    return "\n".join(lines)


def figures(a) -> list:
    from .. import plots

    figs = []
    if len(a.emergent):
        try:
            ax = plots.audit_forest(
                a.emergent, title=f"{a.paper}: emergent estimates against their replicates"
            )
            figs.append(ax.figure)
        except ValueError:
            pass
    ax = plots.verdict_overview(a.overview, title=f"{a.paper}: verdicts per section of the paper")
    figs.append(ax.figure)
    return figs
