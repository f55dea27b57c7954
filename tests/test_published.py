"""The registry of published numbers: every file loads, every entry names its source, and
comparisons apply the printed precision."""

import math

import pytest

from spinemets import published
from spinemets.published import Reproduced


@pytest.mark.parametrize("paper", list(published.PAPERS))
def test_every_registry_loads_and_names_sources(paper):
    reg = published.load(paper)
    assert len(reg) > 0
    for n in reg.values():
        assert n.source["where"] in published.WHERE
        if n.source["where"] == "table":
            assert n.source.get("table") and n.source.get("row"), n.id


def test_unknown_paper_is_a_clear_error():
    with pytest.raises(ValueError, match="paper must be one of"):
        published.load("smith1999")


@pytest.mark.parametrize("text, value, bound, dec", [
    ("0.080", 0.08, None, 3), ("<0.001", 0.001, "<", 3), ("44.2", 44.2, None, 1), ("192", 192, None, 0),
    ("-0.560", -0.56, None, 3), (">= 5", 5, ">=", 0),
])
def test_parse_printed_keeps_precision(text, value, bound, dec):
    assert published.parse_printed(text) == (pytest.approx(value), bound, dec)


def test_parse_printed_rejects_text():
    with pytest.raises(ValueError, match="printed number"):
        published.parse_printed("about 5")


def _registry(tmp_path, body):
    (tmp_path / "choi2015.yaml").write_text("paper: choi2015\nnumbers:\n" + body)
    published._load_path.cache_clear()
    return published.load("choi2015", tmp_path)


def test_tolerance_is_half_a_unit_of_the_last_printed_digit(tmp_path):
    reg = _registry(tmp_path, "  p:\n    quantity: a p\n    value: 0.080\n    source: {where: text}\n"
                              "  q:\n    quantity: a bound\n    value: <0.001\n    source: {where: text}\n")
    c = published.compare(reg, {"p": Reproduced(0.0804, "recomputed"), "q": Reproduced(0.0004, "emergent")})
    assert c.table.loc["p", "verdict"].startswith("agrees")
    assert c.table.loc["q", "verdict"].startswith("agrees")
    c = published.compare(reg, {"p": 0.0806, "q": 0.002}, label="recomputed")
    assert c.table.loc["p", "verdict"].startswith("differs")
    assert c.table.loc["q", "verdict"].startswith("differs")
    assert c.counts == {"checked": 2, "agrees": 0, "differs": 2, "not reproducible": 0}
    assert "2 numbers checked: 0 agree, 2 differ" in repr(c)


def test_explicit_tolerances_and_not_reproducible(tmp_path):
    reg = _registry(tmp_path, "  x:\n    quantity: x\n    value: 10\n    source: {where: text}\n"
                              "  y:\n    quantity: y\n    value: 4.5\n    source: {where: text}\n")
    c = published.compare(reg, {"x": Reproduced(10.9, "emergent", rtol=0.1), "y": Reproduced(None, "emergent", note="needs raw data")})
    assert c.table.loc["x", "verdict"].startswith("agrees")
    assert c.table.loc["y", "verdict"] == "not reproducible"
    assert math.isnan(c.table.loc["y", "difference"])
    assert "1 not reproducible" in c.summary


def test_bad_inputs_are_clear_errors(tmp_path):
    reg = _registry(tmp_path, "  x:\n    quantity: x\n    value: 10\n    source: {where: text}\n")
    with pytest.raises(ValueError, match="label must be one of"):
        Reproduced(1.0, "guessed")
    with pytest.raises(ValueError, match="not a published number"):
        published.compare(reg, {"nope": 1.0}, label="emergent")
    with pytest.raises(ValueError, match="plain value"):
        published.compare(reg, {"x": 1.0})
    with pytest.raises(ValueError, match="tol must be"):
        Reproduced(1.0, "emergent", tol=-1)


def test_malformed_registry_names_the_entry(tmp_path):
    with pytest.raises(ValueError, match="'x'.*source.table"):
        _registry(tmp_path, "  x:\n    quantity: x\n    value: 1\n    source: {where: table}\n")
    with pytest.raises(ValueError, match="'y'.*missing 'source'"):
        _registry(tmp_path, "  y:\n    quantity: y\n    value: 1\n")
    published._load_path.cache_clear()


def test_duplicate_ids_are_rejected(tmp_path):
    with pytest.raises(ValueError, match="more than once"):
        _registry(tmp_path, "  x:\n    quantity: x\n    value: 1\n    source: {where: text}\n"
                            "  x:\n    quantity: x\n    value: 2\n    source: {where: text}\n")
    published._load_path.cache_clear()
