"""The registry of published numbers: every file loads, every entry names its source, and
comparisons apply the printed precision."""

import math

import numpy as np
import pandas as pd
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


@pytest.mark.parametrize(
    "text, value, bound, dec",
    [
        ("0.080", 0.08, None, 3),
        ("<0.001", 0.001, "<", 3),
        ("44.2", 44.2, None, 1),
        ("192", 192, None, 0),
        ("-0.560", -0.56, None, 3),
        (">= 5", 5, ">=", 0),
    ],
)
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
    reg = _registry(
        tmp_path,
        "  p:\n    quantity: a p\n    value: 0.080\n    source: {where: text}\n"
        "  q:\n    quantity: a bound\n    value: <0.001\n    source: {where: text}\n",
    )
    c = published.compare(
        reg, {"p": Reproduced(0.0804, "recomputed"), "q": Reproduced(0.0004, "recomputed")}
    )
    assert c.table.loc["p", "verdict"].startswith("agrees")
    assert c.table.loc["q", "verdict"].startswith("agrees")
    c = published.compare(reg, {"p": 0.0806, "q": 0.002}, label="recomputed")
    assert c.table.loc["p", "verdict"].startswith("differs")
    assert c.table.loc["q", "verdict"].startswith("differs")
    assert c.counts == {
        "checked": 2,
        "agrees": 0,
        "differs": 2,
        "not reproducible": 0,
        "consistent": 0,
        "uninformative": 0,
        "p-value": 0,
        "not judged": 0,
    }
    assert "2 numbers (2 distinct quantities): 0 agree, 2 differ" in repr(c)


def test_explicit_tolerances_and_not_reproducible(tmp_path):
    reg = _registry(
        tmp_path,
        "  x:\n    quantity: x\n    value: 10\n    source: {where: text}\n"
        "  y:\n    quantity: y\n    value: 4.5\n    source: {where: text}\n",
    )
    c = published.compare(
        reg,
        {
            "x": Reproduced(10.9, "by construction", rtol=0.1),
            "y": Reproduced(None, "emergent", note="needs raw data"),
        },
    )
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
        _registry(
            tmp_path,
            "  x:\n    quantity: x\n    value: 1\n    source: {where: text}\n"
            "  x:\n    quantity: x\n    value: 2\n    source: {where: text}\n",
        )
    published._load_path.cache_clear()


# --- check_ratio: the HR/OR vs CI screen (Altman & Bland, BMJ 2011;343:d2090) ---


def test_check_ratio_consistent_hr():
    # Paper A Table 4, primary HCC: coef 1.279, HR 3.595 (2.453-5.268), p < 0.001
    r = published.check_ratio("3.595", "2.453", "5.268", p="<0.001", coef="1.279")
    assert r.verdict == "consistent"
    assert r.geometric_mean == pytest.approx(math.sqrt(2.453 * 5.268))
    # SE = (ln 5.268 - ln 2.453) / 3.92 = 0.1950 (z = 1.959964)
    assert r.implied_se == pytest.approx(
        (math.log(5.268) - math.log(2.453)) / (2 * 1.959964), rel=1e-5
    )


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
    reg = _registry(
        tmp_path,
        "  x:\n    quantity: x\n    value: 10\n    source: {where: text}\n"
        "  y:\n    quantity: y\n    value: 5\n    source: {where: text}\n",
    )
    c = published.compare(reg, {"x": Reproduced(10, "recomputed"), "y": Reproduced(7, "emergent")})
    assert list(c.subset(label="emergent").table.index) == ["y"]
    assert list(c.subset(verdict="not judged").table.index) == ["y"]
    assert list(c.subset(verdict="agrees").table.index) == ["x"]
    with pytest.raises(ValueError, match="verdict must be"):
        c.subset(verdict="maybe")
    published._load_path.cache_clear()


# --- emergent numbers judged by their replicate distribution ---


def _reg_e(tmp_path):
    return _registry(
        tmp_path,
        "  m:\n    quantity: a median\n    value: 4.5\n"
        '    source: {where: table, table: Table 4, row: "ECOG: 3-4", column: Median survival}\n'
        "  t4_x_p_logrank:\n    quantity: a p\n    value: 0.030\n"
        "    source: {where: table, table: Table 4, row: x, column: p-value (log-rank)}\n"
        '  t4_b_p_cox:\n    quantity: a bound\n    value: <0.001\n    source: {where: text, section: "Results, 3"}\n',
    )


def test_emergent_without_replicates_is_not_judged(tmp_path):
    reg = _reg_e(tmp_path)
    c = published.compare(reg, {"m": Reproduced(4.0, "emergent")})
    assert c.table.loc["m", "verdict"] == "not judged (no replicates)"
    assert c.table.loc["m", "difference"] == pytest.approx(-0.5)  # still shown
    assert c.counts["checked"] == 0 and c.counts["not judged"] == 1
    assert "1 emergent not judged" in c.summary


def test_emergent_consistent_when_published_inside_central_95(tmp_path):
    reg = _reg_e(tmp_path)
    reps = np.linspace(3.0, 6.0, 201)  # central 95%: 3.075 .. 5.925, median 4.5
    c = published.compare(reg, {"m": Reproduced(5.9, "emergent", replicates=reps)})
    r = c.table.loc["m"]
    # issue 23: 4.5 +/- 25% = 3.375 .. 5.625 lies inside the interval: it could not have failed
    assert r.verdict.startswith("uninformative (interval 3.08 to 5.92")
    assert c.counts["consistent"] == 0 and c.counts["uninformative"] == 1
    narrow = np.linspace(4.0, 5.0, 201)  # 4.025 .. 4.975 excludes 3.375 and 5.625
    c2 = published.compare(reg, {"m": Reproduced(4.9, "emergent", replicates=narrow)})
    assert c2.table.loc["m", "verdict"].startswith("consistent")
    assert r.rep_lower == pytest.approx(np.quantile(reps, 0.025))
    assert r.rep_upper == pytest.approx(np.quantile(reps, 0.975))
    assert r.rep_median == pytest.approx(4.5)
    assert r.n_replicates == 201 and r.n_nan == 0
    assert c2.counts["consistent"] == 1 and c2.counts["checked"] == 1
    # the one-cohort value does not decide the verdict: the published value does
    c = published.compare(reg, {"m": Reproduced(4.5, "emergent", replicates=reps + 2.0)})
    assert c.table.loc["m", "verdict"].startswith("differs")  # 4.5 < 5.075


def test_emergent_rounding_of_the_published_value_counts(tmp_path):
    reg = _reg_e(tmp_path)
    # published 4.5 stands for [4.45, 4.55]; an interval ending at 4.46 still reaches it
    reps = np.r_[np.full(5, 3.6), np.linspace(3.6, 4.46, 190), np.full(5, 4.46)]
    c = published.compare(reg, {"m": Reproduced(4.0, "emergent", replicates=reps)})
    assert c.table.loc["m", "rep_upper"] == pytest.approx(4.46)
    assert c.table.loc["m", "verdict"].startswith("consistent")


def test_emergent_p_value_shows_share_below_005(tmp_path):
    reg = _reg_e(tmp_path)
    reps = np.r_[np.full(30, 0.01), np.full(70, 0.2)]
    c = published.compare(reg, {"t4_x_p_logrank": Reproduced(0.2, "emergent", replicates=reps)})
    assert c.table.loc["t4_x_p_logrank", "share_p05"] == pytest.approx(0.30)
    # issue 23: a p-value is never judged by an interval; its distribution is reported
    assert (
        c.table.loc["t4_x_p_logrank", "verdict"]
        == "p-value, not judged by interval (replicate median 0.2, 30% below 0.05)"
    )
    assert c.counts["p-value"] == 1 and c.counts["checked"] == 0
    assert "p<0.05 in 30%" in repr(c)


def test_emergent_published_bound(tmp_path):
    # "<0.001" is consistent when the interval reaches below the bound (>= 2.5% of replicates
    # would have printed "<0.001"), and the share of replicates below it is reported
    reg = _reg_e(tmp_path)
    reach = np.r_[np.full(10, 1e-5), np.full(90, 0.02)]  # 10% below 0.001
    short = np.r_[np.full(2, 1e-5), np.full(98, 0.02)]  # 2% below: the 2.5% quantile is above
    # issue 23: a p-value (bound or not) is reported by its distribution, not judged
    c = published.compare(reg, {"t4_b_p_cox": Reproduced(0.02, "emergent", replicates=reach)})
    assert c.table.loc["t4_b_p_cox", "verdict"].startswith("p-value, not judged")
    assert c.table.loc["t4_b_p_cox", "share_bound"] == pytest.approx(0.10)
    c = published.compare(reg, {"t4_b_p_cox": Reproduced(0.02, "emergent", replicates=short)})
    assert c.table.loc["t4_b_p_cox", "share_bound"] == pytest.approx(0.02)


def test_emergent_nan_replicates_are_dropped_and_counted(tmp_path):
    reg = _reg_e(tmp_path)
    reps = np.r_[np.linspace(4.0, 5.0, 40), np.full(10, np.nan)]
    c = published.compare(reg, {"m": Reproduced(4.4, "emergent", replicates=reps)})
    r = c.table.loc["m"]
    assert r.n_nan == 10 and r.n_replicates == 50
    assert r.rep_lower == pytest.approx(np.quantile(np.linspace(4.0, 5.0, 40), 0.025))
    assert "10 NaN" in c._repr_html_()


def test_emergent_too_few_and_all_nan(tmp_path):
    reg = _reg_e(tmp_path)
    with pytest.raises(ValueError, match="at least 20"):
        Reproduced(4.0, "emergent", replicates=np.ones(19))
    few = np.r_[np.linspace(4, 5, 12), np.full(30, np.nan)]
    c = published.compare(reg, {"m": Reproduced(4.0, "emergent", replicates=few)})
    assert c.table.loc["m", "verdict"].startswith("not judged (too few: 12 of 42")
    c = published.compare(reg, {"m": Reproduced(None, "emergent", replicates=np.full(25, np.nan))})
    assert c.table.loc["m", "verdict"] == "not judged (all 25 replicates NaN)"
    assert c.counts["not judged"] == 1


def test_emergent_interval_and_bad_inputs(tmp_path):
    reg = _reg_e(tmp_path)
    c = published.compare(reg, {"m": Reproduced(4.0, "emergent", interval=(4.6, 6.0))})
    assert c.table.loc["m", "verdict"].startswith("differs")
    with pytest.raises(ValueError, match="emergent numbers only"):
        Reproduced(4.0, "recomputed", replicates=np.ones(30))
    with pytest.raises(ValueError, match="not both"):
        Reproduced(4.0, "emergent", replicates=np.ones(30), interval=(1, 2))
    with pytest.raises(ValueError, match="lower <= upper"):
        Reproduced(4.0, "emergent", interval=(2, 1))
    with pytest.raises(ValueError, match="finite or NaN"):
        Reproduced(4.0, "emergent", replicates=np.r_[np.ones(30), np.inf])
    with pytest.raises(ValueError, match="level"):
        Reproduced(4.0, "emergent", replicates=np.ones(30), level=95)


def test_from_replicates_reads_the_csv_and_builds_reproduced(tmp_path):
    reg = _reg_e(tmp_path)
    reps = pd.DataFrame(
        {"m": np.linspace(4, 5, 30), "t4_x_p_logrank": np.linspace(0, 0.1, 30)},
        index=pd.Index(range(30), name="replicate"),
    )
    reps.to_csv(tmp_path / "choi2015.csv")
    rep = published.from_replicates(
        reg,
        {"m": 4.2, "t4_x_p_logrank": 0.04, "t4_b_p_cox": 0.01},
        directory=tmp_path,
        notes={"m": "hi"},
    )
    assert rep["m"].replicates.shape == (30,) and rep["m"].note == "hi"
    assert rep["t4_b_p_cox"].replicates is None  # no column: not judged
    c = published.compare(reg, rep)
    assert c.table.loc["t4_b_p_cox", "verdict"] == "not judged (no replicates)"
    with pytest.raises(ValueError, match="not a published number"):
        published.from_replicates(reg, {"zz": 1.0}, replicates=reps)
    with pytest.raises(ValueError, match="no replicates"):
        published.from_replicates(reg, {"m": 1.0}, directory=tmp_path / "none")


def test_committed_replicates_judge_paper_a():
    # the committed data/replicates/choi2015.csv has one column per registry id, 200 rows
    published._load_path.cache_clear()
    reps = pd.read_csv(
        published.PUBLISHED_DIR.parent / "replicates" / "choi2015.csv", index_col="replicate"
    )
    reg = published.load("choi2015")
    assert len(reps) >= 200 and set(reps.columns) <= set(reg)
    rep = published.from_replicates(reg, reps.iloc[0].to_dict(), replicates=reps)
    c = published.compare(reg, rep)
    n = c.counts
    assert sum(v for k, v in n.items() if k != "checked") == len(rep)
    assert n["consistent"] > 0
    # the numbers the replicates hold fixed by design are not emergent verdicts
    fixed = c.table.note.str.startswith("fixed across replicates by design")
    assert set(c.table.index[fixed]) == set(reg.fixed_in_replicates)
    assert (c.table.label[fixed] == "recomputed").all()


# --- the compact view ---


def test_short_source():
    reg = published.load("choi2015")
    assert published.short_source(reg["t4_ecog_hr"]) == "T4 · ECOG · HR"
    assert published.short_source(reg["t4_ecog_p_logrank"]) == "T4 · ECOG · p LR"
    assert published.short_source(reg["txt_os_median"]).startswith("Text Res. 3 · Median")
    assert all(len(published.short_source(n)) <= 32 for n in reg.values())


def test_compact_html_view(tmp_path):
    import re as _re

    reg = published.load("choi2015")
    few = published.compare(
        reg,
        {
            "t4_ecog_hr": Reproduced(1.895, "by construction", note="a note"),
            "t4_cp_hr": Reproduced(1.2, "by construction", note="a note"),
            "t4_ecog_p_logrank": Reproduced(
                0.2, "emergent", replicates=np.r_[np.full(5, 1e-4), np.linspace(0.01, 0.5, 35)]
            ),
        },
    )
    h = few._repr_html_()
    assert "<details>" not in h
    assert h.count("<sup class='sm-fn'>") == 2 and h.count("<li value=") == 1  # one footnote, twice
    for word in ("constr.", "emerg.", "agrees", "p: distr."):  # badges carry words, not colour only
        assert word in h
    assert "p&lt;.05" in h
    # no cell text longer than ~32 characters (the page must not scroll sideways)
    import html as _html

    cells = [
        _html.unescape(_re.sub("<[^>]+>", "", line))
        for c in _re.findall(r"<td[^>]*>(.*?)</td>", h)
        for line in c.split("<br>")
    ]
    assert max(len(c) for c in cells) <= 34
    many = published.compare(
        reg,
        {
            nid: Reproduced(reg[nid].value + (1 if i % 5 == 0 else 0), "recomputed")
            for i, nid in enumerate(list(reg)[:40])
            if reg[nid].bound is None
        },
    )
    h = many._repr_html_()
    assert "<details><summary>All" in h and "Differs (" in h
    assert h.index("Differs (") < h.index("<details>")
    css = (published.PUBLISHED_DIR.parents[1] / "_static" / "spinemets.css").read_text()
    assert 'html[data-theme="dark"]' in css and ".sm-badge" in css
