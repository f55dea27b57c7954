"""Paper E's registry holds only what its lay summary prints, each number with where it is printed.

Source: the lay summary of doi:10.1177/21925682231182332 (Global Spine J 2024), the only text of
paper E available to the book: "Study Duration: January 2015 and December 2021", "Participants: 60
HCC patients with spinal metastasis and ESCC", "Global Spine Journal, 2024 · DOI:
10.1177/21925682231182332 · Published: August 1, 2024", "at the 3-month follow-up".
"""

from pathlib import Path

import pytest
import yaml

from spinemets import published
from spinemets.paths import PUBLISHED_DIR

E = published.load("separation2024")
RAW = yaml.safe_load((Path(PUBLISHED_DIR) / "separation2024.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "nid, value",
    [
        ("n_patients", 60),
        ("study_start_year", 2015),
        ("study_start_month", 1),
        ("study_end_year", 2021),
        ("study_end_month", 12),
        ("publication_year", 2024),
        ("publication_month", 8),
        ("publication_day", 1),
        ("followup_frankel_months", 3),
    ],
)
def test_printed_numbers(nid, value):
    assert E.value(nid) == value
    assert E[nid].decimals == 0 and E[nid].bound is None


def test_every_number_comes_from_the_lay_summary():
    for n in E.values():
        assert n.source["where"] == "text"
        assert n.source["section"].startswith("lay summary"), n.id


def test_doi_and_journal():
    assert RAW["doi"] == "10.1177/21925682231182332"
    assert RAW["journal"] == "Global Spine Journal"
    assert "doi:10.1177/21925682231182332" in E.citation
    assert "lay summary" in E.citation


def test_no_result_is_claimed():
    # the summary prints no result (no mean, no p-value, no group size): none may be registered
    assert not any(k.endswith(("_p", "_mean", "_sd", "_median")) for k in E)
    assert E.letter == "E" and E.key == "separation2024"


def test_study_period_is_consistent():
    months = (E.value("study_end_year") - E.value("study_start_year")) * 12 + (
        E.value("study_end_month") - E.value("study_start_month") + 1
    )
    assert months == 84  # seven calendar years, Jan 2015 - Dec 2021


# The chapter check (no scenario number presented as the paper's) moved to
# test_analyses_separation2024.py, with the audit it now reads from spinemets.analyses.
