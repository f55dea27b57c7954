"""Paper E's analyses module: the audit of its lay summary and the scenario's analysis steps.

Oracles from outside the module: scipy's Welch and Fisher tests, statsmodels' MixedLM and OLS
fitted directly, Hotelling's T^2 by its closed form (Anderson, An Introduction to Multivariate
Statistical Analysis, 3rd ed., sec. 5.3: T^2 = n1 n2 / (n1 + n2) d' S^-1 d, and
F = (n - p - 1) / (p (n - 2)) T^2 on (p, n - p - 1) df), the registry and the lay summary.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from spinemets import audit, cohorts, published
from spinemets.analyses import separation2024 as E
from spinemets.paths import PUBLISHED_DIR

D = cohorts.load("separation2024")
REG = published.load("separation2024")


# -- the audit ------------------------------------------------------------------------------


def test_comparison_holds_every_registered_number_once():
    table = E.comparison().table
    assert sorted(table.index) == sorted(REG)
    assert not table.index.duplicated().any()


def test_labels_and_verdicts_follow_the_lay_summary():
    # the summary prints no result: nothing is emergent, nothing recomputed agrees or differs;
    # the two scenario targets are met; the dates are not reproducible, each with its reason
    t = E.comparison().table
    assert set(t.label) <= {"by construction", "recomputed"}
    built = t[t.label == "by construction"]
    assert sorted(built.index) == ["followup_frankel_months", "n_patients"]
    assert built.verdict.str.startswith("agrees").all()
    rest = t.drop(built.index)
    assert (rest.verdict == "not reproducible").all()
    assert sorted(rest.index) == sorted(E.NOT_REPRODUCIBLE)
    assert all(t.loc[i, "note"] == E.NOT_REPRODUCIBLE[i] for i in rest.index)


def test_by_construction_names_its_target():
    for nid, rep in E.by_construction(D).items():
        assert rep.label == "by construction" and rep.sources and rep.note
        assert nid not in rep.sources  # the target is in the cohort spec, not the number itself


def test_analyse_reads_the_cohort():
    # the lay summary: "60 HCC patients", "at the 3-month follow-up"
    out = E.analyse(D)
    assert out == {"n_patients": 60.0, "followup_frankel_months": 3.0}
    assert E.analyse(D.iloc[:59])["n_patients"] == 59.0  # could fail: read, not typed


def test_headline_counts():
    h = audit.headline("separation2024")
    assert h.quantities == len(E.NOT_REPRODUCIBLE) == 7
    assert h.not_reproducible == 7 and h.differs == 0 and h.informative == 0
    assert (h.targets_met, h.targets_missed) == (2, 0)


def test_comparison_is_cached():
    assert E.comparison() is E.comparison()


def test_no_replicates_for_a_scenario():
    from spinemets import analyses

    assert "separation2024" not in analyses.ANALYSES


def test_chapter_never_presents_a_scenario_number_as_the_papers():
    # moved from test_registry_separation2024: the chapter opens the scenario with the warning
    # and holds no registry plumbing (the audit is generated on chapters/34_audit_...)
    root = Path(PUBLISHED_DIR).parents[1] / "chapters"
    chapter = (root / "14_paper_e_separation2024.md").read_text(encoding="utf-8")
    assert "Every number in this section is an assumption" in chapter
    assert "Reproduced(" not in chapter and "glue(" not in chapter
    assert 'audit.headline("separation2024")' in chapter
    page = (root / "34_audit_separation2024.md").read_text(encoding="utf-8")
    assert 'audit.report("separation2024")' in page and "(audit-paper-e)=" in page


# -- the scenario's steps against independent implementations --------------------------------


def test_prepare_refuses_off_grid_values():
    bad = D.copy()
    bad.loc[0, "vas_3m"] = 11
    with pytest.raises(ValueError, match="vas_3m"):
        E.prepare(bad)
    with pytest.raises(ValueError, match="kps_pre"):
        E.prepare(D.drop(columns="kps_pre"))
    odd = D.copy()
    odd["group"] = odd["group"].astype(str).replace("SRT", "RT")
    with pytest.raises(ValueError, match="group"):
        E.prepare(odd)


def _statsmodels_long():
    long = D.melt(
        id_vars=["patient_id", "group"],
        value_vars=list(E.VAS_VISITS),
        var_name="visit",
        value_name="vas",
    )
    long["time"] = long["visit"].map(E.VAS_VISITS)
    long["group"] = long["group"].astype(str)
    return long


def test_pain_mixed_model_matches_statsmodels_mixedlm():
    long = _statsmodels_long()
    fit = smf.mixedlm(
        "vas ~ C(group, Treatment('SRT')) * C(time)", long, groups=long["patient_id"]
    ).fit(reml=True, method="lbfgs")
    assert fit.converged
    names = [n for n in fit.fe_params.index if ":" in n]
    assert len(names) == 3
    L = np.zeros((3, len(fit.fe_params)))
    for i, n in enumerate(names):
        L[i, list(fit.fe_params.index).index(n)] = 1
    b = L @ fit.fe_params.to_numpy()
    V = L @ fit.cov_params().loc[fit.fe_params.index, fit.fe_params.index].to_numpy() @ L.T
    chi2 = float(b @ np.linalg.solve(V, b))
    mm = E.pain_mixed_model(D)
    assert mm.interaction_chi2 == pytest.approx(chi2, rel=1e-3)
    assert mm.p_value_interaction == pytest.approx(stats.chi2.sf(chi2, 3), rel=1e-3)


def test_profile_test_is_hotellings_t2():
    d = D.assign(group=D["group"].astype(str))
    x = d[["vas_1m", "vas_3m", "vas_6m"]].to_numpy(float) - d[["vas_pre"]].to_numpy(float)
    a, b = x[d.group == "SO"], x[d.group == "SRT"]
    n1, n2, p = len(a), len(b), 3
    s = ((n1 - 1) * np.cov(a.T) + (n2 - 1) * np.cov(b.T)) / (n1 + n2 - 2)
    diff = a.mean(0) - b.mean(0)
    t2 = n1 * n2 / (n1 + n2) * diff @ np.linalg.solve(s, diff)
    f = (n1 + n2 - p - 1) / (p * (n1 + n2 - 2)) * t2
    p_ref = stats.f.sf(f, p, n1 + n2 - p - 1)
    cs = E.covariance_check(D)
    assert cs.p_value_profile == pytest.approx(p_ref, rel=1e-6)
    assert cs.p_value_mixed == pytest.approx(E.pain_mixed_model(D).p_value_interaction)
    assert cs.same_decision == ((p_ref < 0.05) == (cs.p_value_mixed < 0.05))
    assert -1 <= cs.correlation_min <= cs.correlation_max <= 1


def test_ancova_column_matches_statsmodels_ols():
    d = D.assign(group=D["group"].astype(str))
    res = E.outcomes_at_3_months(D)
    for stem, label in E.OUTCOMES_3M.items():
        fit = smf.ols(f"{stem}_3m ~ {stem}_pre + C(group, Treatment('SRT'))", d).fit()
        term = "C(group, Treatment('SRT'))[T.SO]"
        assert res.loc[label, "ANCOVA diff"] == pytest.approx(fit.params[term], rel=1e-9)
        assert res.loc[label, "ANCOVA p"] == pytest.approx(fit.pvalues[term], rel=1e-6)


def test_counts_match_scipy_fisher():
    r = E.pain_responders(D)
    fall = (D["vas_pre"] - D["vas_3m"]) >= 2
    tab = pd.crosstab(D["group"].astype(str), fall).to_numpy()
    assert r.p_value == pytest.approx(stats.fisher_exact(tab).pvalue, rel=1e-9)
    f = E.frankel_shifts(D)
    order = "ABCDE"
    pre = D["frankel_pre"].astype(str).map(order.index)
    post = D["frankel_3m"].astype(str).map(order.index)
    improved = pd.crosstab(D["group"].astype(str), post > pre).to_numpy()[:, ::-1]
    assert f.p_value_improved == pytest.approx(stats.fisher_exact(improved).pvalue, rel=1e-9)
    assert int(f.changes.to_numpy().sum()) == len(D)
    assert int(f.shifts.to_numpy().sum()) == len(D)


def test_with_deaths_blanks_every_visit_after_a_death():
    r = E.with_deaths(D)
    vas = r._data[list(E.VAS_VISITS)]
    assert vas["vas_pre"].notna().all()
    miss = vas.isna().to_numpy()
    assert (miss[:, :-1] <= miss[:, 1:]).all()  # once blank, blank at every later visit
    assert r.n_dead_by_6m == int(vas["vas_6m"].isna().sum())
    assert r.assessed.to_numpy().sum() == int(vas.notna().to_numpy().sum())
    assert r.p_value_all == pytest.approx(E.pain_mixed_model(D).p_value_interaction)
    with pytest.raises(ValueError, match="hazard_kps60"):
        E.with_deaths(D, hazard_kps60=0)


# -- the selection simulation -----------------------------------------------------------------


def test_vectorised_welch_matches_scipy():
    rng = np.random.default_rng(1)
    y = rng.normal(size=(5, 17)) * np.arange(1, 18)
    a = rng.random((5, 17)) < 0.4
    diff, p = E._welch(y, a, ~a)
    for i in range(5):
        ref = stats.ttest_ind(y[i, a[i]], y[i, ~a[i]], equal_var=False)
        assert p[i] == pytest.approx(ref.pvalue, rel=1e-9)
        assert diff[i] == pytest.approx(y[i, a[i]].mean() - y[i, ~a[i]].mean())
    one = np.zeros((1, 17), bool)
    one[0, 0] = True
    assert np.isnan(E._welch(y[:1], one, ~one)[1][0])  # one patient in a group: no test


def test_survivor_selection_narrows_the_prognosis_gap():
    sims = E.simulate_selection(n_sim=500)
    assert len(sims) == 500 and ((sims.n_SO + sims.n_RT) <= 60).all()
    assert sims.z_gap_assessed.mean() < sims.z_gap_treated.mean()  # "more alike"
    s = E.selection_summary(sims)
    assert 0 <= s["share with both (the summary's headline)"] <= 1


def test_headline_rate_rises_with_selection():
    # without selection the headline needs two one-sided p < 0.05 by chance: rare (a 2.5% x
    # 2.5% rate if the tests were independent; correlated here through prognosis)
    curve = E.selection_curve([0.0, 1.0, 2.5], n_sim=400)
    assert curve.loc[0.0] < 0.02
    assert curve.loc[0.0] < curve.loc[1.0] < curve.loc[2.5]


def test_ancova_removes_part_of_the_confounding():
    r = E.ancova_under_selection(n_sim=1000)
    assert r["ANCOVA p < 0.05"] < r["crude p < 0.05"]
    assert r["mean adjusted difference"] > 0  # not all of it: surgery still looks better


def test_simulation_arguments_are_checked():
    with pytest.raises(ValueError, match="n_sim"):
        E.simulate_selection(n_sim=0)
    with pytest.raises(ValueError, match="n \\* n_sim"):
        E.simulate_selection(n_sim=10**6)
    with pytest.raises(ValueError, match="strengths"):
        E.selection_curve([np.nan])


def test_vectorised_ancova_matches_statsmodels_ols():
    rng = np.random.default_rng(3)
    x = rng.normal(60, 10, size=(4, 25))
    g = rng.random((4, 25)) < 0.5
    y = 0.7 * x + 5 * g + rng.normal(0, 8, size=(4, 25))
    est, p = E._ancova_rows(y, x, g)
    for i in range(4):
        d = pd.DataFrame({"y": y[i], "x": x[i], "g": g[i].astype(float)})
        fit = smf.ols("y ~ x + g", d).fit()
        assert est[i] == pytest.approx(fit.params["g"], rel=1e-9)
        assert p[i] == pytest.approx(fit.pvalues["g"], rel=1e-7)
    g[0] = True  # one group only: no comparison
    assert np.isnan(E._ancova_rows(y, x, g)[0][0])


def test_rand36_refuses_an_answer_off_its_item_range():
    # chapter 14 says so: q3 has three response options (RAND 36-Item Health Survey 1.0 items)
    from spinemets import instruments as ins

    answers = [4, 3, 1, 1, 2, 2, 2, 1, 2, 2, 3, 3, 1, 1, 2, 1, 2, 2]
    answers += [2, 3, 5, 4, 4, 3, 3, 4, 5, 3, 4, 5, 3, 3, 2, 3, 2, 4]
    assert float(ins.rand36(answers).loc[0, "pain"]) == 22.5  # (20 + 25) / 2, by hand
    with pytest.raises(ValueError, match="q3"):
        ins.rand36(answers[:2] + [4] + answers[3:])


def test_summary_beside_scenario_prints_the_ols_numbers():
    d = D.assign(group=D["group"].astype(str))
    fit = smf.ols("kps_3m ~ kps_pre + C(group, Treatment('SRT'))", d).fit()
    diff = fit.params["C(group, Treatment('SRT'))[T.SO]"]
    table = E.summary_beside_scenario(D)
    assert table.loc[("4", "KPS"), "the scenario: SO - SRT"].startswith(f"{diff:+.1f} points")
    assert table.index.get_level_values("claim").tolist() == ["1", "2", "3", "3", "4"]
