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


# --- check_ratio: the HR/OR vs CI screen (Altman & Bland, BMJ 2011;343:d2090) ---

def test_check_ratio_consistent_hr():
    # Paper A Table 4, primary HCC: coef 1.279, HR 3.595 (2.453-5.268), p < 0.001
    r = published.check_ratio("3.595", "2.453", "5.268", p="<0.001", coef="1.279")
    assert r.verdict == "consistent"
    assert r.geometric_mean == pytest.approx(math.sqrt(2.453 * 5.268))
    # SE = (ln 5.268 - ln 2.453) / 3.92 = 0.1950 (z = 1.959964)
    assert r.implied_se == pytest.approx((math.log(5.268) - math.log(2.453)) / (2 * 1.959964), rel=1e-5)


def test_check_ratio_flags_transposed_limits_and_p():
    # Paper A Table 3, BED >53: OR 0.296 printed with CI "0.659-0.133", p < 0.001.
    # SE = (ln 0.659 - ln 0.133)/3.92 = 0.408; z = ln 0.296 / 0.408 = -2.98; p = 0.0029, not < 0.001.
    r = published.check_ratio("0.296", "0.659", "0.133", p="<0.001")
    assert r.limits_transposed and r.estimate_matches_limits
    assert r.implied_p == pytest.approx(0.0029, abs=0.0002)
    assert r.p_consistent is False
    assert "reverse order" in r.verdict and "does not match" in r.verdict


def test_check_ratio_flags_coefficient_mismatch():
    # Paper A Table 4, Child-Pugh: coef 0.259 but HR 1.165; exp(0.259) = 1.2956
    r = published.check_ratio("1.165", "0.693", "1.755", p="0.164", coef="0.259")
    assert r.coef_consistent is False and r.exp_coef == pytest.approx(1.2956, abs=1e-4)
    assert not r.estimate_matches_limits  # sqrt(0.693 * 1.755) = 1.103


def test_check_ratio_rounding_is_respected():
    # Paper D: HR 0.13 (0.01-1.16): sqrt(0.01*1.16) = 0.108, but the lower limit 0.01 may be up to 0.0149:
    # sqrt(0.0149*1.165) = 0.132, so the printed numbers are consistent once rounding is allowed for.
    r = published.check_ratio("0.13", "0.01", "1.16")
    assert r.estimate_matches_limits
    assert 0.05 < r.implied_p_range[1] and r.implied_p_range[0] < 0.15


def test_check_ratio_bad_input():
    with pytest.raises(ValueError, match="printed number"):
        published.check_ratio("abc", "1", "2")
    with pytest.raises(ValueError, match="positive ratio"):
        published.check_ratio("0", "1", "2")
    with pytest.raises(ValueError, match="level"):
        published.check_ratio("1.5", "1", "2", level=95)


def test_subset(tmp_path):
    reg = _registry(tmp_path, "  x:\n    quantity: x\n    value: 10\n    source: {where: text}\n"
                              "  y:\n    quantity: y\n    value: 5\n    source: {where: text}\n")
    c = published.compare(reg, {"x": Reproduced(10, "recomputed"), "y": Reproduced(7, "emergent")})
    assert list(c.subset(label="emergent").table.index) == ["y"]
    assert list(c.subset(verdict="agrees").table.index) == ["x"]
    with pytest.raises(ValueError, match="verdict must be"):
        c.subset(verdict="maybe")
    published._load_path.cache_clear()
