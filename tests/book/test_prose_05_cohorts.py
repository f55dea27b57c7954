"""Numbers typed into chapter 05 (cohorts), recomputed.

The chapter states the committed cohort's deaths and loss rate, how many of Table 4's medians
and log-rank p-values each judging rule calls different, how often the replicates reach the
published ECOG log-rank p, and paper D's printings and quantities. Each is recomputed here from
the committed cohort, its build's model, the replicates file and the registry, and the chapter
must still say it.
"""

from __future__ import annotations

import pytest
from _prose import assert_says

from spinemets import cohorts
from spinemets.analyses import choi2015 as paper_a

STEM = "05_cohorts"


def _censoring():
    df = cohorts.load("choi2015")
    rate = cohorts.generative_model("choi2015", kind="calibrated")["loss_rate"]
    return [
        f"the committed cohort has {int(df.death.sum())} deaths (published 181)",
        f"With a loss rate of {rate:.4f} per month",
        f"a mean time to loss of about {1 / rate / 12:.0f} years",
    ]


def _judging_rules():
    df = cohorts.load("choi2015")
    rules = paper_a.judging_rules(df)
    old, new = rules.columns
    n = int(rules[old].sum())
    return [
        f"Of the {n} Table 4 medians and log-rank p-values, the old rule calls "
        f'{rules.loc["differ", old]} "different"',
        f"the replicate rule flags {rules.loc['differ', new]} medians",
    ]


def _ecog_replicates():
    ecog_p = cohorts.named_replicates("choi2015")["ECOG performance status: log-rank p"]
    return [
        f"In {(ecog_p < 0.05).mean():.0%} of the replicates the ECOG contrast reaches p < 0.05",
        f"and {(ecog_p < 0.001).mean():.0%} reach the published p < 0.001",
    ]


def _quantities():
    from spinemets import published

    d = published.summary("park2016")  # paper D's printings and distinct quantities
    return [f"Paper D's {d.printings} printed emergent numbers are {d.quantities} quantities"]


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(f, id=f.__name__.lstrip("_"))
        for f in (_censoring, _judging_rules, _ecog_replicates, _quantities)
    ],
)
def test_chapter_05_still_says_it(make):
    assert_says(STEM, make())
