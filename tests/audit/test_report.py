"""``spinemets.audit.report``: the generated audit page's content."""

from __future__ import annotations

import math
import re

import pytest

from spinemets import audit, published


@pytest.fixture(scope="module")
def a():
    return audit.report("choi2015")


def test_unknown_paper_names_the_papers():
    with pytest.raises(ValueError, match="paper='x' is not one of"):
        audit.report("x")


def test_every_number_in_one_section(a):
    reg = published.load("choi2015")
    assert sorted(a.sections.index) == sorted(reg)
    assert int(a.overview.to_numpy().sum()) == len(reg)
    assert a.sections.reason.str.len().min() > 0


def test_headline_is_the_summary_of_the_comparison(a):
    assert audit.headline("choi2015").text == a.summary.text
    assert a.summary.text in repr(a)


def test_contradictions_carry_their_arithmetic(a):
    """The Child-Pugh row: exp(0.259) = 1.296, not the printed 1.165 (closed form)."""
    c = a.contradictions
    row = c[c.ids == "t4_cp_coef"].iloc[0]
    assert "→ 0.153" in row.arithmetic and "printed 0.259" in row.arithmetic
    assert round(math.log(1.165), 3) == 0.153
    assert (c.arithmetic.str.len() > 10).all()


def test_html_has_headed_sections_and_fixed_layout(a):
    h = a._repr_html_()
    for head in (
        "Headline",
        "Coverage of the registry",
        "Contradictions in the paper",
        "Screen findings",
        "Every number, by section of the paper",
        "Figures",
    ):
        assert f"<h3>{head}" in h
    # every table wraps instead of scrolling sideways
    assert h.count("<table") == h.count("<table class='sm-audit-table'>")
    assert "table.sm-audit-table{width:100%;table-layout:fixed" in h


def test_figures(a):
    import matplotlib.pyplot as plt

    figs = a.figures()
    assert len(figs) == 2
    for f in figs:
        plt.close(f)


@pytest.mark.needs_papers
def test_coverage_against_the_text(a, papers_dir):
    """Brute force: each registered printed number searched in the paper's text."""
    reg = published.load("choi2015")
    text = next(papers_dir.glob("A_*.txt")).read_text(encoding="utf-8")
    absent = [
        n.id
        for n in reg.values()
        if not re.search(r"(?<![\d.])" + re.escape(n.text.lstrip("<>=")) + r"(?!\d)", text)
    ]
    assert a.coverage.text_found
    assert a.coverage.not_in_text == len(absent)
    assert sorted(a.coverage.missing_from_text.id) == sorted(absent)


@pytest.mark.parametrize("paper", ["park2016", "separation2024"])
def test_report_of_any_paper_with_a_comparison(paper, monkeypatch):
    """The report needs only the contract: a module whose comparison() covers the registry."""
    import types

    import matplotlib.pyplot as plt

    reg = published.load(paper)
    comp = published.compare(
        reg, {k: published.Reproduced(None, "emergent", note="not yet") for k in reg}
    )
    fake = types.SimpleNamespace(comparison=lambda: comp)
    monkeypatch.setattr(audit, "_module", lambda p: fake)
    audit._report.cache_clear()
    try:
        a = audit._report(paper)
        assert len(a.sections) == len(reg)
        assert a.sections.category.eq("not reproducible").all()
        assert "<h3>Coverage of the registry" in a._repr_html_()
        for f in a.figures():
            plt.close(f)
    finally:
        audit._report.cache_clear()
