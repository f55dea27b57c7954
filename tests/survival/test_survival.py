"""spinemets.survival against R's survival package on R's own data sets.

lifelines.datasets.load_lung() is R's `lung` (status recoded 1 = death, 0 = censored) and
load_rossi() is the Rossi recidivism data of Fox & Weisberg's Cox-regression appendix.
Reference values are R's printed output, quoted in each test.
"""

import numpy as np
import pytest
from lifelines.datasets import load_lung, load_rossi

from spinemets import survival as sv
from spinemets.survival import km

LUNG = load_lung()
ROSSI = load_rossi()


def test_logrank_lung_by_sex():
    # R: survdiff(Surv(time, status) ~ sex, data = lung)
    #    sex=1 N=138 Observed=112 Expected=91.6; sex=2 N=90 Observed=53 Expected=73.4
    #    Chisq= 10.3  on 1 degrees of freedom, p= 0.001
    r = sv.logrank(LUNG.time, LUNG.status, LUNG.sex)
    assert r.df == 1
    assert r.statistic == pytest.approx(10.3267, abs=1e-4)
    assert r.table.loc[1, "observed"] == 112 and r.table.loc[1, "expected"] == pytest.approx(
        91.6, abs=0.05
    )
    assert r.table.loc[2, "expected"] == pytest.approx(73.4, abs=0.05)
    assert f"{r.p_value:.3f}" == "0.001"


def test_stratified_logrank_matches_statsmodels_survdiff():
    # statsmodels' survdiff(strata=) reproduces R survdiff(... + strata(inst)) (statsmodels test suite);
    # R's lung has one missing inst, dropped here as R does.
    from statsmodels.duration.survfunc import survdiff

    d = LUNG.dropna(subset=["inst"])
    r = sv.stratified_logrank(d.time, d.status, d.sex, d.inst)
    stat, p = survdiff(d.time, d.status, d.sex, strata=d.inst)
    assert r.statistic == pytest.approx(stat, rel=1e-10) and r.p_value == pytest.approx(p, rel=1e-8)


def test_logrank_three_groups_hand_invariants():
    r = sv.logrank(LUNG.time, LUNG.status, LUNG["ph.ecog"].fillna(-1).clip(upper=2))
    # O - E sums to zero; df = groups - 1
    assert r.table.observed.sum() == pytest.approx(r.table.expected.sum())
    assert r.df == 3


def test_stratification_by_pair_differs_from_unstratified():
    rng = np.random.default_rng(0)
    pair = np.repeat(np.arange(30), 2)
    frailty = np.repeat(rng.exponential(1, 30), 2)
    t = rng.exponential(1 / frailty)
    g = np.tile([0, 1], 30)
    e = np.ones(60, int)
    a, b = sv.logrank(t, e, g), sv.stratified_logrank(t, e, g, pair)
    assert a.statistic != pytest.approx(b.statistic)


def test_median_and_ci_lung():
    # R: survfit(Surv(time, status) ~ 1, data = lung)  ->  n 228, events 165, median 310, 0.95LCL 285, 0.95UCL 363
    m = sv.median_survival(LUNG.time, LUNG.status, ci="log")
    assert (m.median, m.lower, m.upper, m.n, m.events) == (310, 285, 363, 228, 165)
    # R: survfit(..., conf.type = "log-log") -> median 310, 0.95LCL 284, 0.95UCL 361
    m = sv.median_survival(LUNG.time, LUNG.status, ci="log-log")
    assert (m.median, m.lower, m.upper) == (310, 284, 361)


def test_median_spss_symmetric_interval_hand_case():
    # 10 deaths at 1..10, no censoring: S = 0.9, 0.8, ..., 0.0; S(5) = 0.5 exactly over [5, 6).
    # SPSS takes the first time with S <= 0.5 (5; R's rules take the midpoint 5.5). SPSS-style SE:
    # u = 4 (last S >= 0.55 is 0.6 at t=4), l = 6 (first S <= 0.45 is 0.4 at t=6);
    # f = (0.6 - 0.4) / (6 - 4) = 0.1; SE_Greenwood(S(5)) = 0.5 * sqrt(sum d/(n(n-d)))
    t = np.arange(1, 11)
    m = sv.median_survival(t, np.ones(10), ci="spss")
    assert m.median == 5
    gw = np.sqrt(sum(1 / (n * (n - 1)) for n in range(10, 5, -1)))
    assert m.se == pytest.approx(0.5 * gw / 0.1)
    assert m.lower == pytest.approx(5 - 1.959964 * m.se, rel=1e-5)
    assert sv.median_survival(t, np.ones(10), ci="log").median == 5.5


# The median rules, ported from R's survival sources (therneau/survival: R/print.survfit.R,
# survmean()'s minmin(); R/quantile.survfit.R, findq()):
#   print:    keep <- y < .5 + tol; if (abs(y[1] - .5) < tol && any(y < y[1]))
#                 (x[1] + x[min(which(y < y[1]))]) / 2 else x[1]
#   quantile: the midpoint of the first knot with 1 - S >= p - tol and the first with
#             1 - S >= p + tol (censoring rows dropped); a flat at p to the end of the curve
#             gives (x[indx1] + xmax) / 2, xmax the last time.
# R documents (?quantile.survfit, ?print.survfit) that both agree with the usual median for
# uncensored data; the quantile rule is then the "averaged inverted cdf" sample quantile
# (Hyndman & Fan 1996, definition 2; numpy's method="averaged_inverted_cdf").
def test_median_rules_with_a_censoring_row_inside_the_flat():
    # S = 5/6, 4/6, 3/6 (t = 3, exactly 0.5), censored at 4, then 0.25 at 5, 0 at 6. The next
    # *drop* after 3 is at 5: R gives (3 + 5) / 2 = 4 (averaging with the next row gave 3.5).
    t, e = [1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 1, 1]
    tab = sv.km_table(t, e)
    x, s = tab.time.to_numpy(), tab.survival.to_numpy()
    assert km._r_print_median(x, s) == 4.0
    assert km._r_quantile(x, s) == 4.0
    assert km._first_at_or_below(x, s) == 3.0
    assert sv.median_survival(t, e).median == 4.0
    assert sv.median_survival(t, e, ci="spss").median == 3.0


def test_median_rules_differ_when_the_curve_stays_at_one_half():
    # S = 0.75 (t = 1), 0.5 (t = 2), censored at 3 and 4: the curve ends at 0.5.
    # print.survfit: x[1] = 2 (no later y < y[1]); quantile.survfit: (2 + xmax) / 2 = 3.
    t, e = [1, 2, 3, 4], [1, 1, 0, 0]
    tab = sv.km_table(t, e)
    x, s = tab.time.to_numpy(), tab.survival.to_numpy()
    assert km._r_print_median(x, s) == 2.0
    assert km._r_quantile(x, s) == 3.0
    assert km._first_at_or_below(x, s) == 2.0
    assert sv.median_survival(t, e).median == 2.0


@pytest.mark.parametrize("seed", range(6))
def test_r_median_rules_equal_the_sample_median_without_censoring(seed):
    rng = np.random.default_rng(seed)
    t = rng.integers(1, 15, size=2 * int(rng.integers(3, 20)))  # even n, many ties
    tab = sv.km_table(t, np.ones(len(t)))
    x, s = tab.time.to_numpy(), tab.survival.to_numpy()
    assert km._r_print_median(x, s) == np.median(t)
    for p in (0.25, 0.5, 0.75):
        ref = np.quantile(t, p, method="averaged_inverted_cdf")
        assert km._r_quantile(x, s, p) == pytest.approx(ref), p


@pytest.mark.parametrize("seed", range(8))
def test_spss_median_is_lifelines_median(seed):
    lifelines = pytest.importorskip("lifelines")
    rng = np.random.default_rng(seed)
    n = 2 * int(rng.integers(2, 15))
    t = rng.integers(1, 12, size=n).astype(float)
    e = (rng.random(n) < 0.7).astype(int)
    kmf = lifelines.KaplanMeierFitter().fit(t, e)
    ours = sv.median_survival(t, e, ci="spss").median
    ref = kmf.median_survival_time_
    assert (np.isnan(ours) and np.isinf(ref)) or ours == ref


def test_spss_median_of_lee2015_revised_tokuhashi_c_is_an_observed_time():
    # 4 operations: deaths at 19, 52, 249, censored at 417; S = 0.75, 0.5, 0.25. SPSS and
    # lifelines give 52 (the first time S <= 0.5); R prints (52 + 249) / 2 = 150.5.
    from spinemets import cohorts

    d = cohorts.load("lee2015")
    c = d[d.tokuhashi_group_ref20.astype(str) == "C"]
    assert sorted(c.os_days) == [19, 52, 249, 417]
    assert sv.median_survival(c.os_days, c.death, ci="spss").median == 52
    assert sv.median_survival(c.os_days, c.death, ci="log").median == 150.5


def test_km_hand_case_and_survival_at():
    # times 1,2,2,3,4 with events 1,1,0,1,0: S(1)=4/5, S(2)=4/5*3/4=0.6, S(3)=0.6*1/2=0.3
    tab = sv.km_table([1, 2, 2, 3, 4], [1, 1, 0, 1, 0])
    assert tab.survival.round(10).tolist() == [0.8, 0.6, 0.3, 0.3]
    assert tab.n_risk.tolist() == [5, 4, 2, 1]
    at = sv.survival_at([1, 2, 2, 3, 4], [1, 1, 0, 1, 0], [0.5, 2.5, 3, 10])
    assert at.survival.iloc[:3].round(10).tolist() == [1.0, 0.6, 0.3] and np.isnan(
        at.survival.iloc[3]
    )
    # Greenwood at t=2: var(log S) = 1/(5*4) + 1/(4*3); se(S) = 0.6 * sqrt(that)
    assert at.se.iloc[1] == pytest.approx(0.6 * np.sqrt(1 / 20 + 1 / 12))


def test_survival_at_lung_one_year():
    # R: summary(survfit(Surv(time, status) ~ 1, lung), times = 365) -> n.risk 65, survival 0.409,
    #    std.err 0.0358, lower 95% CI 0.345, upper 0.486
    r = sv.survival_at(LUNG.time, LUNG.status, [365]).iloc[0]
    assert r.n_risk == 65
    assert (round(r.survival, 3), round(r.se, 4), round(r.lower, 3), round(r.upper, 3)) == (
        0.409,
        0.0358,
        0.345,
        0.486,
    )


def test_cox_lung_efron_and_breslow():
    # R: coxph(Surv(time, status) ~ age + sex, data = lung)
    #    age 0.017045 (se 0.009223), sex -0.513219 (se 0.167458); Likelihood ratio test=14.12 on 2 df
    c = sv.cox(LUNG, "time", "status", ["age", "sex"])
    assert c.summary.loc["age", "coef"] == pytest.approx(0.017045, abs=1e-6)
    assert c.summary.loc["sex", "coef"] == pytest.approx(-0.513219, abs=1e-6)
    assert c.summary.loc["sex", "se"] == pytest.approx(0.167458, abs=1e-6)
    assert c.lr_statistic == pytest.approx(14.12, abs=0.005) and c.lr_df == 2
    assert (c.n, c.events) == (228, 165)
    b = sv.cox(LUNG, "time", "status", ["age", "sex"], ties="breslow")
    assert b.summary.loc["sex", "coef"] != pytest.approx(c.summary.loc["sex", "coef"], abs=1e-5)


def test_cox_rossi_fox_weisberg():
    # Fox & Weisberg, Cox PH appendix: coxph(Surv(week, arrest) ~ fin + age + race + wexp + mar + paro + prio)
    ref = {
        "fin": (-0.37942, 0.19138),
        "age": (-0.05744, 0.02200),
        "race": (0.31390, 0.30799),
        "wexp": (-0.14980, 0.21222),
        "mar": (-0.43370, 0.38187),
        "paro": (-0.08487, 0.19576),
        "prio": (0.09150, 0.02865),
    }
    c = sv.cox(ROSSI, "week", "arrest", list(ref))
    for k, (b, se) in ref.items():
        assert c.summary.loc[k, "coef"] == pytest.approx(b, abs=5e-5)
        assert c.summary.loc[k, "se"] == pytest.approx(se, abs=5e-5)
    assert c.lr_statistic == pytest.approx(33.27, abs=0.005)
    # Fox & Weisberg: the PH assumption fails for age and wexp (cox.zph), holds for the others
    ph = c.ph_test()
    assert set(ph.index[ph.p < 0.01]) == {"age", "wexp"}


def test_cox_cluster_robust_matches_statsmodels_groups_and_categoricals():
    from statsmodels.duration.hazard_regression import PHReg

    d = LUNG.dropna(subset=["inst"])
    c = sv.cox(d, "time", "status", ["age", "sex"], ties="breslow", cluster="inst")
    ref = PHReg(d.time, d[["age", "sex"]].to_numpy(float), status=d.status, ties="breslow").fit(
        groups=d.inst
    )
    assert np.allclose(c.summary.se, ref.bse) and c.robust
    # categorical coding with a chosen reference level
    df = LUNG.assign(sexc=LUNG.sex.map({1: "male", 2: "female"}))
    c2 = sv.cox(df, "time", "status", ["age", "sexc"], reference={"sexc": "male"})
    assert c2.summary.loc["sexc[female]", "coef"] == pytest.approx(-0.513219, abs=1e-6)


def test_cox_drops_missing_and_reports():
    c = sv.cox(LUNG, "time", "status", ["age", "ph.ecog"])
    assert (
        c.n_dropped == 1 and c.n == 227
    )  # R: "n= 227 ... (1 observation deleted due to missingness)"


def test_cumulative_incidence_hand_and_sksurv():
    # times 1,2,3,4,5 with codes 1,2,1,0,2: S- before t=1 is 1: CIF1(1) = 1/5; at t=2 a competing death;
    # at t=3: S(2) = (4/5)(3/4) = 0.6, n=3: CIF1(3) = 0.2 + 0.6 * 1/3 = 0.4
    out = sv.cumulative_incidence([1, 2, 3, 4, 5], [1, 2, 1, 0, 2], event_of_interest=1)
    assert out.cif.round(10).tolist() == [0.2, 0.2, 0.4, 0.4, 0.4]
    from sksurv.nonparametric import cumulative_incidence_competing_risks

    rng = np.random.default_rng(3)
    t = rng.integers(1, 20, 200).astype(float)  # many ties
    codes = rng.integers(0, 3, 200)
    x, cif = cumulative_incidence_competing_risks(codes, t)
    mine = sv.cumulative_incidence(t, codes, event_of_interest=1)
    assert np.array_equal(mine.time.to_numpy(), x) and np.allclose(mine.cif.to_numpy(), cif[1])


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: sv.logrank([1, 2], [1, 0, 1], [0, 1]), "same length"),
        (lambda: sv.logrank([1, -2], [1, 0], [0, 1]), "durations must be >= 0"),
        (lambda: sv.logrank([1, 2], [1, 2], [0, 1]), "events must be 0"),
        (lambda: sv.logrank([1, 2], [1, 0], [0, 0]), "at least 2 distinct levels"),
        (lambda: sv.logrank([1, np.nan], [1, 0], [0, 1]), "missing"),
        (lambda: sv.median_survival([1, 2], [1, 1], ci="wald"), "ci must be one of"),
        (lambda: sv.cox(LUNG, "time", "status", ["nope"]), "no column"),
        (lambda: sv.cox(LUNG.assign(k=1), "time", "status", ["k"]), "constant"),
        (
            lambda: sv.cumulative_incidence([1, 2], [1, 0], event_of_interest=2),
            "event_of_interest must be one of",
        ),
        (lambda: sv.cumulative_incidence([1, 2], [1, -1], event_of_interest=1), "events"),
        (
            lambda: sv.pairwise_logrank([1, 2, 3], [1, 1, 1], ["a", "b", "c"], adjust="fdr"),
            "adjust must be one of",
        ),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_pairwise_logrank_holm():
    g = LUNG["ph.ecog"].fillna(1).clip(upper=2)
    out = sv.pairwise_logrank(LUNG.time, LUNG.status, g, adjust="holm")
    assert len(out) == 3 and (out.p_adjusted >= out.p_value).all()
    one = sv.logrank(LUNG.time[g.isin([0, 1])], LUNG.status[g.isin([0, 1])], g[g.isin([0, 1])])
    assert out.iloc[0].statistic == pytest.approx(one.statistic)


def test_univariate_table_layout():
    tab = sv.univariate_table(LUNG, "time", "status", {"Sex": "sex"})
    assert list(tab.index) == [("Sex", 1), ("Sex", 2)]
    assert tab.loc[("Sex", 1), "n"] == 138
    assert tab.p_logrank.iloc[0] == pytest.approx(
        sv.logrank(LUNG.time, LUNG.status, LUNG.sex).p_value
    )
    assert (
        tab.loc[("Sex", 1), "median"]
        == sv.median_survival(LUNG.time[LUNG.sex == 1], LUNG.status[LUNG.sex == 1]).median
    )
    with pytest.raises(ValueError, match="no column"):
        sv.univariate_table(LUNG, "time", "status", ["nope"])


def test_own_newton_cox_matches_statsmodels_on_heavy_ties():
    # whole-month times create many ties: Efron and Breslow both equal statsmodels' PHReg
    from statsmodels.duration.hazard_regression import PHReg

    d = LUNG.assign(m=np.ceil(LUNG.time / 30.44))
    for ties in ("efron", "breslow"):
        c = sv.cox(d, "m", "status", ["age", "sex", "ph.ecog"], ties=ties)
        dd = d.dropna(subset=["ph.ecog"])
        ref = PHReg(
            dd.m, dd[["age", "sex", "ph.ecog"]].to_numpy(float), status=dd.status, ties=ties
        ).fit()
        assert np.allclose(c.summary.coef, ref.params, atol=1e-7) and np.allclose(
            c.summary.se, ref.bse, atol=1e-7
        )
