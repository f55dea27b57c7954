"""spinemets.extract: a draft registry from a paper's plain text.

Outside reference: a short paper written for this test (tests/data/extract_paper.txt) whose
every printing is known, with one injected error (45/80 printed as 52.3%) that the screen of the
draft must find; the arithmetic of each relation is checked by the screen, not by this module.
"""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from spinemets import extract, screen

ROOT = Path(__file__).resolve().parents[2]
PAPER = ROOT / "tests" / "data" / "extract_paper.txt"


@pytest.fixture(scope="module")
def ex():
    return extract.extract_file(PAPER)


def kinds(ex, kind):
    return [f.fields for f in ex.found if f.kind == kind]


def test_each_kind_of_printing_is_recognised_with_its_fields(ex):
    assert {"count": "45", "denominator": "80", "percent": "56.3"} in kinds(ex, "x_of_n")
    assert {"count": "45", "percent": "52.3"} in kinds(ex, "n_pct")
    assert {"time": "1", "unit": "year", "percent": "41.2"} in kinds(ex, "survival_at")
    assert {"median": "7.5", "lower": "5.1", "upper": "9.9"} in kinds(ex, "median_ci")
    assert {"median": "14", "min": "2", "max": "58"} in kinds(ex, "median_range")
    assert {
        "name": "HR",
        "estimate": "0.52",
        "lower": "0.30",
        "upper": "0.90",
        "p_op": "=",
        "p": "0.019",
    } in kinds(ex, "ratio_ci")
    assert {"mean": "61.2", "sd": "9.8"} in kinds(ex, "mean_sd")
    stats = kinds(ex, "statistic")
    assert {"test": "t", "df1": "39", "statistic": "2.45", "p_op": "=", "p": ".019"} in stats
    assert {"test": "χ2", "statistic": "3.84", "df": "1", "p_op": "=", "p": "0.05"} in stats
    assert {"n": "40"} in kinds(ex, "group_n") and {"n": "80"} in kinds(ex, "group_n")
    rows = kinds(ex, "table_row")
    assert {"n": "40", "median": "9.1", "ci": "6.2–12.0"} in rows
    assert {"p": "0.020"} in rows


def test_numbers_outside_every_pattern_are_listed_not_dropped(ex):
    unparsed = {tok for _, tok, _ in ex.unparsed}
    assert {"2010", "2015"} <= unparsed


def test_the_draft_loads_and_its_screen_finds_the_injected_error(ex, tmp_path):
    path = tmp_path / "draft.yaml"
    path.write_text(ex.to_yaml("testpaper"), encoding="utf-8")
    result = screen.screen(str(path))
    t = result.table
    assert set(t.rule) >= {"percentage", "ratio_ci", "median_ci", "p_statistic", "mean_sd"}
    bad = t[t.verdict == "inconsistent"]
    assert len(bad) == 1 and "52.3" in bad.arithmetic.iloc[0]
    # the ± in a paragraph with one group size gives GRIM a relation; a percentage in a
    # paragraph with two group sizes would have been left out and listed instead
    assert not ex.skipped


def test_an_ambiguous_denominator_is_not_guessed():
    ex = extract.extract("Results\nOf the 80 patients, 40 per arm (n = 40), 45 (56.3%) were men.\n")
    assert not [r for r in ex.registry()["relations"] if r["rule"] == "percentage"]
    assert any("denominator not inferred" in s for s in ex.skipped)


def test_a_plus_minus_without_mean_or_sd_is_not_given_grim():
    ex = extract.extract("Table 4. Survival\nMedian survival ± SE\nECOG 0-2 5.0 ± 0.4\n")
    assert [f.kind for f in ex.found] == ["value_pm"]
    assert not ex.registry()["relations"]


@pytest.mark.parametrize("bad", [None, 3, b"12 (3%)", "no digits here"])
def test_bad_text_is_a_value_error(bad):
    with pytest.raises(ValueError, match="text"):
        extract.extract(bad)


def test_command_line(tmp_path):
    out = tmp_path / "d.yaml"
    r = subprocess.run(
        [sys.executable, "-m", "spinemets.extract", str(PAPER), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0 and "relations" in r.stdout
    assert yaml.safe_load(out.read_text())["numbers"]
    r = subprocess.run(
        [sys.executable, "-m", "spinemets.extract", str(tmp_path / "none.txt")],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and "no such file" in r.stderr and "Traceback" not in r.stderr
