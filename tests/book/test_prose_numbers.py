"""Numbers typed into a chapter's prose, recomputed.

Chapters that keep plumbing out of the reader's cells state computed numbers in prose. Each
statement below is recomputed with the library (whose functions are checked against
statsmodels, R or closed forms in their own tests) or from the data files, and the chapter must
still say it: a change in the library or the data that alters a number fails here, not silently
in the text.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from spinemets import audit, power

ROOT = Path(__file__).resolve().parents[2]


def _prose(name: str) -> str:
    """The chapter's text with line breaks folded, so a phrase may span lines."""
    return re.sub(r"\s+", " ", (ROOT / "chapters" / f"{name}.md").read_text(encoding="utf-8"))


def _chapter21():
    pairs, deaths_a, events_d = 28, 181, 10
    hr_b = power.pair_logrank_detectable_hr(pairs).effect
    hr_d = power.logrank_detectable_hr(events_d, allocation=13 / 28).effect
    mildest = math.exp(-1.959964 / math.sqrt(events_d * (13 / 28) * (15 / 28)))
    choi, park = audit.replicated_p("choi2015"), audit.replicated_p("park2016")
    share = "share p < 0.05"
    return [
        f"has {power.logrank_detectable_hr(deaths_a, allocation=104 / 192).effect:.2f} as its "
        "detectable hazard ratio",
        f"difference of {power.paired_t_detectable(pairs).effect:.2f} standard deviations",
        f"{hr_b:.2f} (or {1 / hr_b:.1f}) or stronger",
        f"all 56 deaths would give {power.logrank_detectable_hr(56).effect:.2f}",
        f"power of only {power.pair_logrank_power(0.47, pairs):.2f} "
        f"({power.logrank_power(0.47, pairs):.2f} by Schoenfeld",
        f"only a hazard ratio of {hr_d:.2f} or smaller",
        f"milder than {min(mildest, 1 / mildest):.2f}",
        f"replication probability of {power.logrank_power(0.12, events_d, 13 / 28):.0%}",
        f"only {power.logrank_power(math.sqrt(0.12), events_d, 13 / 28):.0%} of the time",
        f"below 0.05 in {park.loc['LPFR, concurrent vs not, log-rank p', share]:.2f} of the",
        f"significant in {choi.loc['ECOG performance status: Cox p', share]:.2f} of the",
        f"only in {choi.loc['ECOG performance status: log-rank p', share]:.2f}, because",
        f"between about {hr_b:.2f} and {1 / hr_b:.1f}",
    ]


def _chapter21_replicate_hr():
    from spinemets.cohorts import load_replicates

    hr = load_replicates("park2016")["t2_uva_target_hr"]  # univariable HR of concurrent therapy
    return [f"has a median of {hr.median():.2f} against the published 0.12"]


CASES = {"21_power_replication": [_chapter21, _chapter21_replicate_hr]}


@pytest.mark.parametrize(
    "chapter,make",
    [pytest.param(c, f, id=f.__name__.lstrip("_")) for c, fs in CASES.items() for f in fs],
)
def test_prose_still_says_it(chapter, make):
    text = _prose(chapter)
    missing = [phrase for phrase in make() if phrase not in text]
    assert not missing, f"{chapter}.md no longer says (recomputed): {missing}"
