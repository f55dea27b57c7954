"""``VerdictSummary.informative_any``: quantities with an informative emergent printing, counted
whatever their exclusive category (a recomputed limit must not hide an informative estimate)."""

import pytest

from spinemets import audit, published
from spinemets.published.judging import _verdict_kind


@pytest.mark.parametrize("paper", ["choi2015", "lee2015"])
def test_informative_any_counts_every_quantity_with_an_informative_printing(paper):
    comp = audit.comparison(paper)
    s = published.summary(comp)
    qid = published.quantities(comp.registry)
    t = comp.table
    judged = t[t.label != "by construction"]
    informative_rows = judged[judged.verdict.map(_verdict_kind) == "consistent"]
    expected = {qid[i] for i in informative_rows.index}
    assert s.informative_any == len(expected)
    assert s.informative_any >= s.informative
    if s.informative_any > s.informative:
        assert f"{s.informative_any} quantities in all have an informative emergent" in s.text
    # the ones counted elsewhere are exactly those whose category is not "informative"
    cats = s.table.category
    assert {q for q in expected if cats[q] != "informative"} == set(
        s.table.index[s.table.informative_emergent & (cats != "informative")]
    )


def test_paper_c_keeps_its_informative_medians_visible():
    # Table 2's upper limits are recomputed from median and lower limit (and agree), so those
    # medians count under "agrees"; the sentence still reports that they are informative.
    s = audit.headline("lee2015")
    assert s.informative_any > s.informative
