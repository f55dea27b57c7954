"""audit.replicated_p: every printed p-value beside its replicates (chapter 21's replication view).

The expected values are computed here straight from the replicate CSV with pandas, not through
the library's code path.
"""

from __future__ import annotations

import pandas as pd
import pytest

from spinemets import audit, published
from spinemets.paths import REPLICATES_DIR


@pytest.mark.parametrize("paper", ["choi2015", "sohn2016", "lee2015", "park2016"])
def test_shares_from_the_csv(paper):
    table = audit.replicated_p(paper)
    raw = pd.read_csv(REPLICATES_DIR / f"{paper}.csv")
    reg = published.load(paper)
    by_quantity = {reg[c].quantity: c for c in raw.columns if c in reg}
    assert len(table) > 5
    for quantity, row in table.iterrows():
        col = raw[by_quantity[quantity]]
        assert row["published"] == reg[by_quantity[quantity]].text
        assert row["replicates"] == col.notna().sum()
        # not produced (NaN) counts as not significant: the share is over all replicates
        assert row["share p < 0.05"] == pytest.approx((col < 0.05).sum() / len(raw))
        assert row["median p"] == pytest.approx(col.median())
        assert 0 <= row["share p < 0.05"] <= 1


def test_only_p_values():
    table = audit.replicated_p("park2016")
    assert "Univariate HR, Target therapy" not in table.index
    assert "LPFR, concurrent vs not, log-rank p" in table.index


@pytest.mark.parametrize("paper", ["separation2024", "nosuchpaper"])
def test_refuses_without_replicates(paper):
    with pytest.raises(ValueError, match="paper="):
        audit.replicated_p(paper)
