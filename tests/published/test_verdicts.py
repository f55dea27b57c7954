"""Verdicts that can fail (issue 23 items 1-4; issue 22 item 9).

Oracles are closed forms: the central 95% interval of an evenly spaced grid is known exactly
(numpy's linear quantile of linspace(a, b, 201) at 2.5% is a + 0.025 (b - a)), and the rule's
bands are the published value halved and doubled (ratios), +/- 10 points (proportions),
+/- 3 months (times).
"""

from __future__ import annotations

import numpy as np
import pytest

from spinemets import published
from spinemets.published import Reproduced


def _registry(tmp_path, body, relations=""):
    (tmp_path / "choi2015.yaml").write_text(
        "paper: choi2015\nletter: A\ncitation: x\nnumbers:\n" + body + relations, encoding="utf-8"
    )
    published._load_path.cache_clear()
    published._ratio_members_cached.cache_clear()
    return published.load("choi2015", tmp_path)


BODY = (
    "  t2_x_hr:\n    quantity: HR\n    value: 0.50\n    source: {where: table, table: T2, row: x}\n"
    "  t2_x_lower:\n    quantity: HR lower limit\n    value: 0.20\n    source: {where: table, table: T2, row: x}\n"
    "  t2_x_upper:\n    quantity: HR upper limit\n    value: 1.25\n    source: {where: table, table: T2, row: x}\n"
    "  t2_x_p:\n    quantity: p\n    value: 0.140\n    source: {where: table, table: T2, row: x}\n"
    "  abs_x_hr:\n    quantity: HR (abstract)\n    value: 0.50\n    same_as: t2_x_hr\n    source: {where: abstract}\n"
    '  lpfr:\n    quantity: 1-year local progression-free rate\n    value: 67.0\n    unit: "%"\n'
    "    source: {where: text}\n"
    "  os_median:\n    quantity: median OS\n    value: 5.0\n    unit: months\n    source: {where: text}\n"
)
RELATIONS = (
    "relations:\n  - rule: ratio_ci\n    estimate: t2_x_hr\n    lower: t2_x_lower\n"
    "    upper: t2_x_upper\n    p: t2_x_p\n    source: {where: table, table: T2, row: x}\n"
)


def test_kinds_and_quantities(tmp_path):
    reg = _registry(tmp_path, BODY, RELATIONS)
    kinds = {k: published.value_kind(reg[k], reg) for k in reg}
    assert kinds == {
        "t2_x_hr": "ratio",
        "t2_x_lower": "ratio",
        "t2_x_upper": "ratio",
        "t2_x_p": "p-value",
        "abs_x_hr": "ratio",
        "lpfr": "proportion",
        "os_median": "time",
    }
    q = published.quantities(reg)
    # HR, limits, p and the abstract's reprint are one quantity; 7 printings, 3 quantities
    assert {q[k] for k in ("t2_x_hr", "t2_x_lower", "t2_x_upper", "t2_x_p", "abs_x_hr")} == {
        "t2_x_hr"
    }
    assert len(set(q.values())) == 3


@pytest.mark.parametrize(
    "a,b,verdict",
    [
        (0.30, 0.90, "consistent"),  # 0.315..0.885 excludes 0.25 and 1.0
        (0.20, 0.90, "uninformative"),  # 0.2175 reaches below a halving (0.25)
        (0.30, 1.10, "uninformative"),  # 1.08 reaches above a doubling (1.0)
        (0.60, 0.90, "differs"),  # 0.6075 > 0.505: the published value is outside
    ],
)
def test_ratio_rule(tmp_path, a, b, verdict):
    reg = _registry(tmp_path, BODY, RELATIONS)
    c = published.compare(
        reg, {"t2_x_hr": Reproduced(0.5, "emergent", replicates=np.linspace(a, b, 201))}
    )
    assert c.table.loc["t2_x_hr", "verdict"].startswith(verdict)


@pytest.mark.parametrize("a,b,verdict", [(60.0, 75.0, "consistent"), (55.0, 75.0, "uninformative")])
def test_proportion_rule(tmp_path, a, b, verdict):
    # 67.0 +/- 10 points = 57 .. 77; linspace(55, 75) has lower 2.5% at 55.5 < 57
    reg = _registry(tmp_path, BODY, RELATIONS)
    c = published.compare(
        reg, {"lpfr": Reproduced(67, "emergent", replicates=np.linspace(a, b, 201))}
    )
    assert c.table.loc["lpfr", "verdict"].startswith(verdict)


@pytest.mark.parametrize("a,b,verdict", [(3.0, 7.0, "consistent"), (1.0, 7.0, "uninformative")])
def test_time_rule(tmp_path, a, b, verdict):
    # 5.0 +/- 3 months = 2 .. 8
    reg = _registry(tmp_path, BODY, RELATIONS)
    c = published.compare(
        reg, {"os_median": Reproduced(5, "emergent", replicates=np.linspace(a, b, 201))}
    )
    assert c.table.loc["os_median", "verdict"].startswith(verdict)


def test_uninformative_is_never_agreement_and_summary_counts_quantities(tmp_path):
    reg = _registry(tmp_path, BODY, RELATIONS)
    wide = np.linspace(0.05, 5.0, 201)
    rep = {
        "t2_x_hr": Reproduced(0.5, "emergent", replicates=wide),
        "t2_x_lower": Reproduced(0.2, "emergent", replicates=wide / 3),
        "t2_x_upper": Reproduced(1.25, "emergent", replicates=wide * 2.5),
        "t2_x_p": Reproduced(0.14, "emergent", replicates=np.linspace(0.001, 0.9, 201)),
        "abs_x_hr": Reproduced(0.5, "emergent", replicates=wide),
        "lpfr": Reproduced(67.0, "by construction"),
        "os_median": Reproduced(5.0, "emergent", replicates=np.linspace(3.0, 7.0, 201)),
    }
    c = published.compare(reg, rep)
    assert (
        c.counts["uninformative"] == 4 and c.counts["consistent"] == 1 and c.counts["p-value"] == 1
    )
    s = published.summary(c)
    assert (s.printings, s.quantities) == (6, 2)  # by construction is not a verdict
    assert (s.informative, s.uninformative, s.differs, s.agrees) == (1, 1, 0, 0)
    assert (s.targets_met, s.targets_missed) == (1, 0)
    assert "2 distinct quantities" in str(s) and "not a result" in str(s)
    assert "%" not in str(s)  # no agreement rate for what cannot fail


def test_only_fit_is_labelled_and_counted_apart(tmp_path):
    reg = _registry(tmp_path, BODY, RELATIONS)
    c = published.compare(
        reg,
        {
            "t2_x_p": Reproduced(0.14, "recomputed", only_fit=True),
            "os_median": Reproduced(5.0, "recomputed"),
        },
    )
    assert c.table.loc["t2_x_p", "verdict"].endswith("(the only fit)")
    s = published.summary(c)
    assert (s.agrees, s.only_fit) == (1, 1)
    with pytest.raises(ValueError, match="only_fit"):
        Reproduced(0.14, "emergent", only_fit=True)


def test_constant_replicates_are_refused(tmp_path):
    with pytest.raises(ValueError, match="constant"):
        Reproduced(1.0, "emergent", replicates=np.full(200, 2.4))
    with pytest.raises(ValueError, match="constant"):
        Reproduced(1.0, "emergent", replicates=np.r_[np.full(199, 2.4), np.nan])
    reg = _registry(tmp_path, BODY, RELATIONS)
    import pandas as pd

    reps = pd.DataFrame({"os_median": np.full(50, 5.0)})
    with pytest.raises(ValueError, match="os_median.*constant"):
        published.from_replicates(reg, {"os_median": 5.0}, replicates=reps)


def test_fixed_in_replicates_become_by_construction(tmp_path):
    import pandas as pd

    reg = _registry(
        tmp_path, BODY, RELATIONS + 'fixed_in_replicates:\n  os_median: "a published table"\n'
    )
    out = published.from_replicates(
        reg, {"os_median": 5.0}, replicates=pd.DataFrame({"os_median": np.full(50, 5.0)})
    )
    assert out["os_median"].label == "recomputed"
    assert "fixed across replicates by design" in out["os_median"].note
    s = published.summary(published.compare(reg, out))
    assert (s.fixed_by_design, s.quantities, s.printings) == (1, 0, 0)


def test_registry_same_as_must_exist(tmp_path):
    with pytest.raises(ValueError, match="same_as"):
        _registry(tmp_path, BODY.replace("same_as: t2_x_hr", "same_as: nowhere"))


def test_committed_registries_count_distinct_quantities():
    # paper D: 63 printings of its emergent numbers are 18 distinct quantities (issue 23)
    published._load_path.cache_clear()
    s = published.summary("park2016")
    assert s.printings == 63 and s.quantities == 18
    assert (
        s.informative
        + s.uninformative
        + s.differs
        + s.p_values
        + s.not_judged
        + s.not_reproducible
        + s.agrees
        + s.only_fit
        == s.quantities
    )


def test_check_ratio_refuses_a_p_above_one():
    with pytest.raises(ValueError, match="p must be a printed p-value"):
        published.check_ratio("0.5", "0.2", "1.25", p="1.5")
    assert published.check_ratio("0.5", "0.2", "1.25", p="0.140").p_consistent in (True, False)
