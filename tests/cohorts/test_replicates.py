"""Replicate cohorts (spinemets.cohorts.replication) and the paper analyses (spinemets.analyses)."""

import math

import numpy as np
import pandas as pd
import pytest

from spinemets import analyses, cohorts, published
from spinemets.cohorts import replication as rep_mod


@pytest.fixture(scope="session")
def first20():
    return cohorts.run_replicates("choi2015", 20, workers=2)


@pytest.mark.slow
@pytest.mark.change_detector
def test_rebuild_is_byte_identical_to_the_committed_rows(first20):
    # replicate k does not depend on n, so the first 20 rows of a rebuild are the committed ones
    committed = (rep_mod.REPLICATES_DIR / "choi2015.csv").read_text().splitlines()
    rebuilt = rep_mod.to_csv_text(first20).splitlines()
    assert len(committed) == 201
    assert rebuilt == committed[:21]


@pytest.mark.slow
def test_worker_count_does_not_change_the_rows(first20):
    one = cohorts.run_replicates("choi2015", 6, workers=1)
    pd.testing.assert_frame_equal(one, first20.iloc[:6])


def test_seed_derivation_is_seedsequence_spawn():
    spec = cohorts.load_spec("choi2015")
    child = np.random.SeedSequence(spec["seed"]).spawn(4)[3]
    a = np.random.default_rng(child).uniform(size=5)
    b = cohorts.replicate_rng(spec["seed"], 3).uniform(size=5)
    assert np.array_equal(a, b)
    with pytest.raises(ValueError, match="k must be"):
        cohorts.replicate_rng(1, -1)


def test_replicates_keep_the_published_tables_and_redraw_survival():
    base = cohorts.load("choi2015")
    r0, r1 = cohorts.replicate("choi2015", 0), cohorts.replicate("choi2015", 1)
    cohorts.validate(
        r0.astype({c: str for c in r0.columns if r0[c].dtype.name == "category"}), "choi2015"
    )
    for col in ("ecog", "bed_group", "pain_response", "pathologic_fracture", "treatment"):
        # by construction: the same counts in every replicate
        assert (
            base[col].astype(str).value_counts().to_dict()
            == r0[col].astype(str).value_counts().to_dict()
        )
    assert pd.crosstab(base.bed_group, base.pain_response).equals(
        pd.crosstab(r0.bed_group, r0.pain_response)
    )
    assert int(base.death.sum()) == 181
    assert abs(int(r0.death.sum()) - 181) <= 10  # censoring is random around 11 censored
    # survival is redrawn from the fixed model, not re-calibrated to the published median
    assert not np.array_equal(r0.os_months.to_numpy(), r1.os_months.to_numpy())
    med = [
        cohorts.km(r.os_months, r.death)["median"]
        for r in (r0, r1, cohorts.replicate("choi2015", 2))
    ]
    assert len(set(med)) > 1


def test_the_generative_models():
    spec = cohorts.load_spec("choi2015")
    pub = cohorts.generative_model("choi2015")  # default: "published"
    cal = cohorts.generative_model("choi2015", kind="calibrated")
    _, _, calib = cohorts._build_frames(spec)
    assert cal["beta"] == pytest.approx(list(calib["beta_generating"]))
    betas = [c["beta"] for c in spec["survival"]["covariates"].values()]
    assert pub["beta"] == pytest.approx(betas)
    # the published model's population-averaged survival hits the published targets exactly
    df = cohorts.load("choi2015")
    x = np.column_stack([cohorts.covariate(df, c) for c in spec["survival"]["covariates"].values()])
    knots, rates = pub["baselines"]["all"]
    assert knots == [0.0, 4.5, 12.0, 24.0] and len(rates) == 4
    h = cohorts.piecewise_cumhaz(np.array([4.5, 12.0, 24.0]), knots, rates)
    s_pop = np.exp(-np.outer(np.exp(x @ np.array(betas)), h)).mean(axis=0)
    assert s_pop == pytest.approx([0.5, 0.181, 0.063], abs=1e-9)
    assert pub["loss_rate"] == cal["loss_rate"] > 0
    with pytest.raises(ValueError, match="kind must be"):
        cohorts.generative_model("choi2015", kind="best")


def test_replicate_distribution_is_centred_near_the_targets():
    reps = cohorts.load_replicates("choi2015")
    # drawn from the published effects: replicates scatter around the published median OS
    # (4.5 months), 1-year OS (18.1%) and ECOG HR (1.895)
    assert 3.8 <= reps.txt_os_median.median() <= 5.2
    assert 14 <= reps.txt_os_1y.median() <= 22
    assert 1.5 <= reps.t4_ecog_hr.median() <= 2.4
    assert reps.txt_os_median.std() > 0.1


@pytest.mark.slow  # uses the 20-replicate rebuild
def test_table_is_named_by_registry_ids_in_registry_order(first20):
    reg = published.load("choi2015")
    order = [i for i in reg if i in first20.columns]
    assert list(first20.columns) == order
    assert first20.index.name == "replicate" and list(first20.index) == list(range(20))


def test_nan_is_written_as_an_empty_field():
    t = pd.DataFrame({"a": [1.0, np.nan]}, index=pd.Index([0, 1], name="replicate"))
    assert rep_mod.to_csv_text(t) == "replicate,a\n0,1\n1,\n"


def test_bad_inputs():
    with pytest.raises(ValueError, match="no analysis function"):
        cohorts.run_replicates("separation2024", 5)
    with pytest.raises(ValueError, match="n must be"):
        cohorts.run_replicates("choi2015", 0)
    with pytest.raises(ValueError, match="workers"):
        cohorts.run_replicates("choi2015", 2, workers=0)
    with pytest.raises(ValueError, match="not found"):
        cohorts.load_replicates("choi2015", "/nonexistent")


@pytest.mark.change_detector
def test_cli_writes_the_file(tmp_path, capsys):
    assert (
        cohorts.main(
            [
                "replicates",
                "--paper",
                "choi2015",
                "--n",
                "3",
                "--out",
                str(tmp_path),
                "--workers",
                "1",
            ]
        )
        == 0
    )
    got = (tmp_path / "choi2015.csv").read_text().splitlines()
    committed = (rep_mod.REPLICATES_DIR / "choi2015.csv").read_text().splitlines()
    assert got == committed[:4]
    assert "choi2015: wrote" in capsys.readouterr().out


# --- the analyses registry ---


def test_registry_is_explicit():
    assert analyses.ANALYSES == {
        "choi2015": analyses.choi2015.analyse,
        "sohn2016": analyses.sohn2016.analyse,
        "lee2015": analyses.lee2015.analyse,
        "park2016": analyses.park2016.analyse,
    }
    assert analyses.available() == ["choi2015", "lee2015", "park2016", "sohn2016"]
    with pytest.raises(ValueError, match="no analysis function"):
        analyses.get("separation2024")  # a scenario: nothing published to replicate


def test_choi2015_analysis_returns_registry_ids_and_matches_its_steps():
    cohort = cohorts.load("choi2015")
    out = analyses.analyse("choi2015", cohort)
    reg = published.load("choi2015")
    assert set(out) <= set(reg) and len(out) > 100
    d = analyses.choi2015.prepare(cohort)
    fit, nums = analyses.choi2015.table4_cox(d)
    assert (
        out["t4_ecog_hr"] == nums["t4_ecog_hr"] == pytest.approx(fit.summary.loc["ecog_3_4", "hr"])
    )
    _, os_nums = analyses.choi2015.overall_survival(d)
    assert out["txt_os_median"] == os_nums["txt_os_median"] == 4.5
    uni, _ = analyses.choi2015.table4_univariate(d)
    assert out["t4_ecog_p_logrank"] == pytest.approx(uni.loc["ecog"].p_logrank.iloc[0])
    # a term the stepwise rule does not select is NaN, not a silent 1.0
    step, t3 = analyses.choi2015.table3(d)
    for key, (term, _) in analyses.choi2015.TABLE3_TERMS.items():
        assert math.isnan(t3[f"{key}_or"]) == (term not in step.summary.index)


def test_choi2015_analysis_rejects_a_wrong_frame():
    with pytest.raises(ValueError, match="lacks column"):
        analyses.choi2015.analyse(pd.DataFrame({"age": [1]}))
    with pytest.raises(ValueError, match="DataFrame"):
        analyses.choi2015.analyse([1, 2])
