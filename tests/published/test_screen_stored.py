"""The screen's stored measurements that chapter 20 quotes (benchmarks/bench_screen.py)."""

from __future__ import annotations

from spinemets import screen as S


def test_stored_honest_rates_meet_the_budget():
    # issue 26 item 5: 0 false alarms on correctly rounded reports, and every false alarm
    # under SPSS's .000 and under truncation named as the convention mismatch it is
    rates, run = S.honest_rates()
    assert run["budget_met"] is True
    correct = rates.xs("half-up", level="convention")
    for conv in ("half-up", "half-even", "R"):
        assert (rates.xs(conv, level="convention").false_alarms == 0).all(), conv
    for conv in ("SPSS", "truncated"):
        part = rates.xs(conv, level="convention")
        assert (part.false_alarms == part.named).all(), conv
    assert set(run["conventions"]) == {"half-up", "half-even", "R", "SPSS", "truncated"}
    assert (correct.honest == run["n"]).all()
    assert set(correct.index) <= set(S.RULES)


def test_stored_recall_covers_the_five_papers():
    recall, command = S.extraction_recall()
    assert list(recall.index) == ["A", "B", "C", "D", "E"]
    assert (recall["numbers found"] <= recall["registry numbers"]).all()
    assert (recall["relations found"] <= recall["percentage+ratio relations"]).all()
    assert "--recall" in command
