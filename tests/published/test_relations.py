"""The relations beside the registries (data/published/<paper>.relations.yaml, issue 16).

Every relation must name numbers the registry has, cite its source like the numbers do, and use a
rule of the screen; the screen's verdict counts per paper are pinned, so that a change in a
registry, a relation or a rule is visible here (update the pin together with chapter 20).
"""

from __future__ import annotations

import pytest
import yaml

from spinemets import published, screen
from spinemets.paths import PUBLISHED_DIR

# Relations for papers A, B, C and E live in <paper>.relations.yaml; paper D's are written inside
# park2016.yaml by its own engineer (both are read by screen.screen).
FILES = ("choi2015", "sohn2016", "lee2015", "park2016", "separation2024")
ID_FIELDS = (
    "count",
    "denominator",
    "percent",
    "total",
    "estimate",
    "lower",
    "upper",
    "p",
    "coef",
    "median",
    "mean",
    "sd",
    "n",
    "low",
    "high",
    "overall",
    "statistic",
    "df",
    "df1",
    "df2",
    "pairs",
    "composite",
    "os",
    "events",
    "at_risk",
)
LIST_FIELDS = ("parts", "medians")
MAP_FIELDS = ("denominators",)

# verdict counts: consistent, inconsistent, implausible, not applicable
PINNED = {
    "choi2015": (274, 19, 1, 0),
    "sohn2016": (75, 6, 1, 0),  # 14 survival relations (screen): PFS (SRS) above OS
    "lee2015": (64, 1, 1, 0),  # with the 45 relations inside lee2015.yaml (branch paperc)
    "park2016": (168, 6, 2, 0),  # with the relations inside park2016.yaml
    "separation2024": (0, 0, 0, 1),
}


def relations(paper):
    raw = yaml.safe_load((PUBLISHED_DIR / f"{paper}.relations.yaml").read_text(encoding="utf-8"))
    assert isinstance(raw, list) and raw, f"{paper}.relations.yaml must be a non-empty list"
    return raw


def named_ids(rel):
    out = []
    for f in ID_FIELDS:
        v = rel.get(f)
        if isinstance(v, str):
            out.append(v)
    for f in LIST_FIELDS:
        out += [v for v in rel.get(f) or [] if isinstance(v, str)]
    for f in MAP_FIELDS:
        out += [v for v in (rel.get(f) or {}).values() if isinstance(v, str)]
    return [v for v in out if not v.replace(".", "").lstrip("<>=").isdigit()]


def missing_ids(paper):
    reg = published.load(paper)
    return sorted({i for r in relations(paper) for i in named_ids(r)} - set(reg.keys()))


@pytest.mark.parametrize("paper", FILES)
def test_every_relation_names_existing_ids(paper):
    missing = missing_ids(paper)
    assert not missing, f"{paper}: relations name ids the registry lacks: {missing}"


@pytest.mark.parametrize("paper", FILES)
def test_every_relation_has_a_rule_and_a_source(paper):
    for i, r in enumerate(relations(paper), start=1):
        assert r.get("rule") in screen.RULES, (paper, i, r)
        src = r.get("source")
        assert isinstance(src, dict) and src.get("where") in published.WHERE, (paper, i, src)
        assert len(src) >= 2 or src["where"] == "abstract", (
            f"{paper} relation {i}: cite table/row/column or section: {src}"
        )
        if r.get("applies") is False:
            assert str(r.get("reason", "")).strip(), (paper, i)


@pytest.mark.parametrize("paper", FILES)
def test_no_relation_is_entered_twice(paper):
    keys = [
        yaml.safe_dump({k: v for k, v in r.items() if k not in ("source", "note")}, sort_keys=True)
        for r in relations(paper)
    ]
    dup = {k for k in keys if keys.count(k) > 1}
    assert not dup, f"{paper}: duplicated relations: {dup}"


@pytest.mark.change_detector
@pytest.mark.parametrize("paper", FILES)
def test_verdict_counts_are_pinned(paper):
    res = screen.screen(paper)
    c = res.counts
    got = (c["consistent"], c["inconsistent"], c["implausible"], c["not applicable"])
    assert got == PINNED[paper], f"{paper}: {res.summary}"


def test_paper_e_says_why_nothing_can_be_screened():
    res = screen.screen("separation2024")
    assert set(res.table.verdict) == {"not applicable"}
    assert "lay summary" in res.table.arithmetic.iloc[0]


def test_choi2015_headline_findings():
    t = screen.screen("choi2015").table
    bad = t[t.verdict != "consistent"]
    text = " ".join(bad.arithmetic)
    # the RT-alone response row: 136/192 = 70.8%, printed 71.9 (fits 138/192)
    assert "136/192 = 70.8333" in text and "138/192" in text
    # Child-Pugh HR 1.165 (0.693-1.755): not the geometric mean, and p 0.164 vs implied 0.52
    assert any("t4_cp_hr" in n for n in bad.numbers)
    # the text's CR + PR + SP + PP percentages add to 102.6 (PR printed as 78.6 instead of 76.0)
    assert "102.6" in text
