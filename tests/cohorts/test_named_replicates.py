"""Replicates and calibration rows under the registry's names (spinemets.cohorts.named), and
paper A's replicate views (spinemets.analyses.choi2015.replicates)."""

import numpy as np
import pandas as pd
import pytest

from spinemets import analyses, cohorts, published
from spinemets.analyses import choi2015 as paper_a


def test_named_replicates_are_the_id_columns_under_their_quantity():
    raw = cohorts.load_replicates("choi2015")
    named = cohorts.named_replicates("choi2015")
    reg = published.load("choi2015")
    assert named.shape == raw.shape
    for nid in ("t4_ecog_p_logrank", "txt_os_median", "t4_cr_cr_median"):
        pd.testing.assert_series_equal(named[reg[nid].quantity], raw[nid], check_names=False)


def test_a_reprint_is_shown_once_and_firth_flags_are_left_out():
    raw = cohorts.load_replicates("park2016")
    named = cohorts.named_replicates("park2016")
    assert not any(c.startswith("_") for c in named.columns)
    assert len(set(named.columns)) == named.shape[1]
    names = cohorts.quantity_names("park2016")
    kept = {names.get(c, c) for c in raw.columns if not c.startswith("_")}
    assert set(named.columns) == kept


def test_a_shared_name_with_different_values_is_refused(tmp_path):
    raw = pd.read_csv(cohorts.REPLICATES_DIR / "park2016.csv")
    raw["r2_followup_max"] = raw["r2_followup_max"] + 1.0  # no longer the abstract's reprint
    raw.to_csv(tmp_path / "park2016.csv", index=False)
    with pytest.raises(ValueError, match="share the quantity name"):
        cohorts.named_replicates("park2016", tmp_path)


def test_quantity_names_rename_a_calibration_table():
    calib = cohorts.replicate_calibration("choi2015").rename(
        index=cohorts.quantity_names("choi2015")
    )
    assert "ECOG performance status: HR" in calib.index
    with pytest.raises(ValueError):
        cohorts.quantity_names("no_such_paper")


def test_univariate_verdicts_judge_table4_medians_and_log_rank_p():
    df = cohorts.load("choi2015")
    judged = paper_a.univariate_verdicts(df)
    ids = list(judged.table.index)
    assert ids and all(i.startswith("t4_") for i in ids)
    assert all(i.endswith(("_median", "_p_logrank")) for i in ids)
    assert judged.counts["p-value"] == sum(i.endswith("_p_logrank") for i in ids)
    ours = analyses.analyse("choi2015", df)
    assert np.allclose(
        judged.table.reproduced.astype(float), [ours[i] for i in ids], equal_nan=True
    )


def test_judging_rules_count_every_number_under_both_rules():
    df = cohorts.load("choi2015")
    rules = paper_a.judging_rules(df)
    n = len(paper_a.univariate_verdicts(df).table)
    assert (rules.sum() == n).all()
    assert list(rules.columns) == ["one cohort, printed precision", "200 replicates, central 95%"]
    # the old rule only agrees or differs: it has no uninformative verdict and no p-value row
    assert rules.loc[["uninformative", "p-value (distribution)"], rules.columns[0]].eq(0).all()


def test_cox_forest_holds_the_published_fitted_and_replicate_hrs():
    df = cohorts.load("choi2015")
    forest = paper_a.cox_forest(df)
    fit, _ = paper_a.table4_cox(paper_a.prepare(df))
    assert list(forest.index) == list(paper_a.COX_KEYS)
    np.testing.assert_allclose(forest.ours, fit.summary.hr.to_numpy())
    # Table 4 as printed (in the paper's coding)
    np.testing.assert_allclose(forest.published, [1.895, 1.165, 3.595, 0.571, 0.710, 0.536, 1.361])
    hr = cohorts.load_replicates("choi2015")["t4_ecog_hr"]
    assert forest.loc["ecog_3_4", "rep_lower"] == pytest.approx(hr.quantile(0.025))
    assert (forest.rep_lower < forest.rep_upper).all()
