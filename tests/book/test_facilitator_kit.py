"""The facilitator kit and the quiz bank stay true to the chapters they send readers to.

Outside reference: the chapters themselves (every exercise label the kit names exists) and the
arithmetic of the quiz's numerical answers, recomputed here from first principles.
"""

import math
import re
from pathlib import Path

from scipy import stats

ROOT = Path(__file__).resolve().parents[2]
KIT = (ROOT / "backmatter" / "facilitator_kit.md").read_text()
QUIZ = (ROOT / "backmatter" / "quiz_bank.md").read_text()
LABELS = {
    m
    for p in (ROOT / "chapters").glob("*.md")
    for m in re.findall(r":label: (ex-[\w-]+)", p.read_text())
}


def test_every_exercise_the_kit_names_exists():
    named = set(re.findall(r"`(ex-[\w-]+)`", KIT))
    assert named, "the kit names no exercise"
    assert named <= LABELS, sorted(named - LABELS)


def test_every_session_has_a_pen_and_paper_exercise_and_at_most_60_minutes_of_reading():
    sessions = re.split(r"^## Session \d", KIT, flags=re.M)[1:]
    assert len(sessions) == 6
    for s in sessions:
        assert "✎" in s.split("**Run sheet")[0]
        minutes = int(re.search(r"Pre-reading \(about (\d+) minutes\)", s).group(1))
        assert minutes <= 60


def test_quiz_has_at_least_30_questions_each_with_one_key_row():
    questions = [int(q) for q in re.findall(r"^\*\*Q(\d+)\.\*\*", QUIZ, flags=re.M)]
    assert len(questions) >= 30 and questions == list(range(1, len(questions) + 1))
    key = dict(re.findall(r"^\| (\d+) \| ([a-d]) \|", QUIZ, flags=re.M))
    assert sorted(map(int, key)) == questions


def test_numerical_answers():
    bed = lambda dose, n, ab: dose * (1 + dose / n / ab)  # noqa: E731
    assert math.isclose(bed(8, 1, 10), 14.4)  # Q1
    assert round(bed(20, 5, 10) / 1.2, 1) == 23.3  # Q2
    assert bed(24, 3, 10) < bed(36, 12, 10) and bed(24, 3, 3) > bed(36, 12, 3)  # Q3
    se = (math.log(1) - math.log(0.25)) / (2 * stats.norm.ppf(0.975))  # Q8
    assert round(2 * stats.norm.sf(math.log(2) / se), 3) == 0.05
    assert round(100 * 47 / 192, 1) == 24.5  # Q27
    assert all(round(total / 15, 2) != 3.48 for total in range(0, 151))  # Q28
    assert (60 - 40) / 60 >= 0.25  # Q14
    assert stats.fisher_exact([[4, 21], [1, 166]]).pvalue < 0.0015  # kit, session 3
