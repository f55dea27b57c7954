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
    for cause, ref in ((1, [0.2352861, 0.3287068, 0.4247898]), (2, [0.2567862, 0.3931580, 0.4631781])):
        ci = sv.cumulative_incidence(SS, CC, cause=cause)
        got = [ci.cif[ci.time <= t].iloc[-1] for t in (1, 2, 3)]
        assert np.round(got, 7).tolist() == ref


@pytest.mark.parametrize("times, groups, strata, subset, ref", [
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
])
def test_gray_test_matches_cmprsk(times, groups, strata, subset, ref):
    t = DD_SS if times == "dd" else SS
    keep = np.ones(100, bool)
    if subset == "first80":
        keep[80:] = False
        keep[[4, 9, 49]] = False           # gg2's missing values
    elif subset == "not_b":
        keep = GG != 2
    for cause, (stat, p) in zip((1, 2), ref):
        r = sv.gray_test(t[keep], CC[keep], groups[keep], cause=cause, strata=strata[keep])
        assert r.statistic == pytest.approx(stat, abs=5e-7 * max(1, stat))
        assert r.p_value == pytest.approx(p, rel=1e-5)
        assert r.df == len(np.unique(groups[keep])) - 1


def test_gray_test_contract():
    with pytest.raises(ValueError, match="cause must be one of"):
        sv.gray_test([1, 2, 3, 4], [2, 0, 2, 0], [0, 0, 1, 1], cause=1)
    with pytest.raises(ValueError, match="at least 2 distinct levels"):
        sv.gray_test([1, 2, 3, 4], [1, 0, 2, 1], [0, 0, 0, 0])
    with pytest.raises(ValueError, match="strata: no stratum holds two groups"):
        sv.gray_test([1, 2, 3, 4], [1, 1, 2, 1], ["a", "a", "b", "b"], strata=[1, 1, 2, 2])
    with pytest.raises(ValueError, match="event_codes"):
        sv.gray_test([1, 2, 3], [1, np.inf, 0], [0, 1, 1])
    with pytest.raises(ValueError, match="rho must be >= 0"):
        sv.gray_test([1, 2, 3, 4], [1, 0, 2, 1], [0, 0, 1, 1], rho=-1)
    # Series are paired by label
    t, c, g = pd.Series(SS), pd.Series(CC), pd.Series(GG)
    a = sv.gray_test(t, c, g).statistic
    assert sv.gray_test(t, c, g.sample(frac=1.0, random_state=0)).statistic == pytest.approx(a)
