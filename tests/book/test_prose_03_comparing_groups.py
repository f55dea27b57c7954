"""Numbers chapter 03 (comparing groups) states in its prose, recomputed.

The chapter types them as literals; each is recomputed here with ``spinemets.compare`` (whose
tests check it against R and scipy) from the counts paper A printed and paper B's margins, and
the chapter must still say it.
"""

from __future__ import annotations

import numpy as np
import pytest
from _prose import assert_says

from spinemets import compare

CHAPTER = "03_comparing_groups"
SRS, RT = [6, 12, 7, 3], [3, 13, 10, 2]  # B, Table 2: pain relief margins of the 28 pairs
# the chapter's two invented tables of pairs with those margins (rows SRS, columns RT)
BOTH_WAYS = np.array([[0, 1, 4, 1], [1, 10, 1, 0], [1, 1, 4, 1], [1, 1, 1, 0]])
ONE_WAY = np.array([[3, 3, 0, 0], [0, 10, 0, 2], [0, 0, 7, 0], [0, 0, 3, 0]])


def _p(table, method):
    return compare.independence(table, method=method).p_value


def _paper_a_two_by_two():
    """Paper A's Table 2: fracture, cord compression and mass type by complete response."""
    fracture = [[4, 43], [37, 108]]
    cord = [[21, 4], [166, 1]]
    mass = [[9, 37], [32, 114]]
    return [
        f"Pearson's test gives {_p(fracture, 'pearson'):.4f} and Fisher's "
        f"{_p(fracture, 'fisher'):.4f}, both of which round to 0.013; Yates' gives "
        f"{_p(fracture, 'yates'):.3f}.",
        f"Fisher's ({_p(cord, 'fisher'):.3f}) is the one to report",
        f"Pearson's chi-square gives {_p(mass, 'pearson'):.3f}; the {{term}}`Yates correction` "
        f"({_p(mass, 'yates'):.3f}) and Fisher's test ({_p(mass, 'fisher'):.3f}) do not.",
    ]


def _two_tables_of_pairs():
    """The two tables of pairs with paper B's margins."""
    both, one = compare.bowker(BOTH_WAYS), compare.bowker(ONE_WAY)
    one_red = compare.bowker(ONE_WAY, df_rule="reduced")
    one_sm = compare.stuart_maxwell(ONE_WAY)
    discordant = 28 - int(np.trace(ONE_WAY))
    # "the largest value 8 discordant pairs can give" and "the two statistics are equal"
    assert one.statistic == discordant
    assert one_sm.statistic == pytest.approx(one.statistic)
    d = np.array(SRS) - np.array(RT)
    return [
        f"The first table has {int(np.trace(BOTH_WAYS))} concordant pairs",
        f"It gives Bowker's p = {both.p_value:.2f}, the value paper B published.",
        f"The second has more concordant pairs ({int(np.trace(ONE_WAY))}), and all "
        f"{discordant} discordant pairs lie on one side of the diagonal: $X^2$ = "
        f"{one.statistic:.0f}, the largest value {discordant} discordant pairs can give. On "
        f"{one.df} degrees of freedom that is p = {one.p_value:.2f}, not significant.",
        f"Counting only the {one_red.df} mirror pairs that hold any pair (the reduced df) "
        f"turns the same table into p = {one_red.p_value:.3f},",
        f"The margins fix $d$ (here {', '.join(str(x) for x in d[:3]).replace('-', '−')} "
        f"and {d[3]})",
        f"{one_sm.df} degrees of freedom instead of {one.df}, so p = {one_sm.p_value:.3f}, "
        "below 0.05.",
    ]


def _unpaired_margins():
    """Table 2's margins as two independent groups (Freeman-Halton exact test)."""
    unpaired = compare.independence([SRS, RT], method="pearson")
    # "With half of the expected counts below 5"
    assert unpaired.n_small_expected == 4
    return [f"the exact p-value ({compare.fisher_exact([SRS, RT]).p_value:.2f}) is the"]


def _every_table_with_the_margins():
    """Exercise 2: every 4 x 4 table of pairs with paper B's margins."""
    bow = compare.attainable_p(SRS, RT, test="bowker")
    red = compare.attainable_p(SRS, RT, test="bowker", df_rule="reduced")
    sm = compare.attainable_p(SRS, RT, test="stuart_maxwell")
    best = bow.table_min
    # "every mirror pair goes one way, so X2 reaches its bound"
    assert compare.bowker(best).statistic == 28 - np.trace(best)
    return [
        f"There are {bow.n_tables:,} tables of pairs.",
        f"The smallest attainable Bowker p-value is {bow.p_min:.4f} (6 degrees of freedom): "
        f"in that table {28 - int(np.trace(best))} of the 28 pairs are discordant",
        f"(the largest attainable p is {bow.p_max:.2f}); "
        f"{int(np.sum(bow.p_values < 0.05)):,} of the tables give p < 0.05.",
        f"With the reduced degrees of freedom the smallest p would be {red.p_min:.4f}.",
        f"The Stuart-Maxwell p ranges from {sm.p_min:.3f} to {sm.p_max:.2f}:",
    ]


CASES = [
    _paper_a_two_by_two,
    _two_tables_of_pairs,
    _unpaired_margins,
    _every_table_with_the_margins,
]


@pytest.mark.parametrize("make", [pytest.param(f, id=f.__name__.lstrip("_")) for f in CASES])
def test_chapter_03_still_says_it(make):
    assert_says(CHAPTER, make())
