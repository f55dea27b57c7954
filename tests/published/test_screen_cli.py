"""A screen people can script (issue 26 item 4, issue 21 item 23).

Exit 0 (no finding), 1 (findings), 2 (input error); input errors one line each naming file,
line, relation and field, all collected in one pass, no traceback.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from spinemets import screen as S
from spinemets.screen.cli import main

HEAD = (
    "paper: mypaper\nnumbers:\n"
    "  n: {quantity: patients, value: 40, source: {where: abstract}}\n"
    "  men: {quantity: men, value: 22, source: {where: text}}\n"
    "  men_pct: {quantity: men percent, value: '55.0', source: {where: text}}\n"
    "  med: {quantity: median OS, value: 74, source: {where: text}}\n"
)


def write(tmp_path, relations, head=HEAD, name="mypaper.yaml"):
    f = tmp_path / name
    f.write_text(head + "relations:\n" + relations, encoding="utf-8")
    return f


def run(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_exit_0_without_findings_and_1_with(tmp_path, capsys):
    ok = write(tmp_path, "  - {rule: percentage, count: men, denominator: n, percent: men_pct}\n")
    assert run(capsys, "screen", ok)[0] == 0
    bad = write(
        tmp_path,
        "  - {rule: percentage, count: men, denominator: n, percent: 56.0}\n",
        name="bad.yaml",
    )
    code, out, _ = run(capsys, "screen", bad)
    assert code == 1 and "inconsistent" in out
    # the old form without the subcommand still works
    assert run(capsys, bad)[0] == 1


def test_input_errors_are_one_line_each_collected_in_one_pass(tmp_path, capsys):
    f = write(
        tmp_path,
        "  - rule: percentage\n"  # line 8
        "    count: men\n"
        "    denominater: n\n"  # misspelt
        "    percent: men_pct\n"
        "  - rule: median_ci\n"  # line 12
        "    median: med\n"
        "    lower: 40\n"
        "    upper: 160\n"
        "    exact_median: 'false'\n"  # a string, not a flag
        "  - {rule: percentage, count: women, denominator: n, percent: 45.0}\n",
    )  # 17
    code, out, err = run(capsys, "screen", f)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert "Traceback" not in err
    assert any(
        line.startswith(
            f"{f}:8: relation 1 (percentage): field 'denominater' is not a "
            f"field of rule percentage (did you mean 'denominator'?)"
        )
        for line in lines
    ), lines
    assert any(
        line.startswith(f"{f}:8: relation 1 (percentage): field 'denominator' is required")
        for line in lines
    ), lines
    assert any(
        line.startswith(
            f"{f}:12: relation 2 (median_ci): field 'exact_median' must be true or false"
        )
        for line in lines
    ), lines
    assert any(
        line.startswith(f"{f}:17: relation 3 (percentage): field 'count' names 'women'")
        for line in lines
    ), lines


def test_errors_of_several_files_are_all_reported(tmp_path, capsys):
    a = write(tmp_path, "  - {rule: percentage, count: men, denominator: n}\n", name="a.yaml")
    b = write(
        tmp_path,
        "  - {rule: ratio_ci, estimate: 1.2, lower: 0.9, upper: 1.6, method: cox}\n",
        name="b.yaml",
    )
    code, _, err = run(capsys, "screen", a, b)
    assert code == 2
    assert "a.yaml:8: relation 1 (percentage): field 'percent' is required" in err
    assert "b.yaml:8: relation 1 (ratio_ci): field 'method' must be one of wald" in err


def test_yaml_errors_name_the_file_and_line(tmp_path, capsys):
    f = tmp_path / "broken.yaml"
    f.write_text(HEAD + "relations:\n  - {rule: percentage, count: men\n", encoding="utf-8")
    code, _, err = run(capsys, "screen", f)
    assert code == 2 and err.startswith(f"{f}:") and "not valid YAML" in err
    assert len(err.strip().splitlines()) == 1


def test_number_ids_that_read_as_numbers_are_refused(tmp_path, capsys):
    head = HEAD + "  '12': {quantity: patients, value: 12, source: {where: abstract}}\n"
    f = write(
        tmp_path,
        "  - {rule: percentage, count: men, denominator: n, percent: men_pct}\n",
        head=head,
    )
    code, _, err = run(capsys, "screen", f)
    assert code == 2 and "number id '12' reads as a number" in err and f"{f}:7:" in err


def test_flags_are_booleans_only():
    rel = {"rule": "median_ci", "median": "74", "lower": "40", "upper": "160"}
    for bad in ("false", "no", 0, 1, "true"):
        with pytest.raises(ValueError, match="exact_median' must be true or false"):
            S.check_relation(None, {**rel, "exact_median": bad})
    assert S.check_relation(None, {**rel, "exact_median": False}).verdict == "consistent"


def test_unknown_rule_and_unknown_paper_are_input_errors(capsys):
    with pytest.raises(ValueError, match="rule"):
        S.check_relation(None, {"rule": "nonsense"})
    code, _, err = run(capsys, "screen", "no-such-paper")
    assert code == 2 and "no-such-paper" in err and "Traceback" not in err


def test_help_works_and_the_module_runs():
    out = subprocess.run(
        [sys.executable, "-m", "spinemets.screen", "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "Exit status" in out.stdout and not out.stderr
    out = subprocess.run(
        [sys.executable, "-m", "spinemets.screen", "screen", "--help"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0 and "PAPER_OR_YAML" in out.stdout
    out = subprocess.run(
        [sys.executable, "-m", "spinemets.screen", "rules"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "ratio_ci" in out.stdout
    out = subprocess.run([sys.executable, "-m", "spinemets.screen"], capture_output=True, text=True)
    assert out.returncode == 2 and "usage" in out.stderr


def test_the_teachers_guide_names_a_command_that_works():
    from spinemets.paths import REPO_ROOT as ROOT

    guide = (ROOT / "backmatter" / "teachers_guide.md").read_text(encoding="utf-8")
    assert "python -m spinemets.published screen" not in guide
    assert "python -m spinemets.screen screen" in guide
