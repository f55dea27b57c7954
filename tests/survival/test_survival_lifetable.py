"""spinemets.survival.life_table against the textbook cohort life table.

Reference: the cohort life table of Klein JP, Moeschberger ML. Survival Analysis, 2nd ed.
Springer 2003, section 5.4, as R's KMsurv package (the book's companion) computes it in the
example of its help page (KMsurv/man/lifetab.Rd; 927 newborns, time to weaning in weeks):

    tis <- c(0, 2, 3, 5, 7, 11, 17, 25, 37, 53, NA)
    nsubs <- c(927, 848, 774, 649, 565, 449, 296, 186, 112, 27)
    nlost <- c(2, 3, 6, 9, 7, 5, 3, rep(0, 3))
    nevent <- c(77, 71, 119, 75, 109, 148, 107, 74, 85, 27)
    lifetab(tis, nsubs[1], nlost, nevent)

KMsurv::lifetab (KMsurv/R/lifetab.R) computes, from these counts alone,
    Ypj <- c(ninit, ninit - cumsum(nlost + nevent)[-length(nevent)])
    Yj <- Ypj - nlost/2;  Sj <- cumprod(1 - nevent/Yj)
    Sj.se <- Sj * sqrt(cumsum(nevent/Yj/(Yj - nevent)))   (printed one row later)
The test rebuilds individual follow-up times inside each interval and checks that the library,
working from the individual data, gives these counts and these numbers.
"""

import math

import numpy as np
import pytest

from spinemets import survival

TIS = [0, 2, 3, 5, 7, 11, 17, 25, 37, 53]
NSUBS = [927, 848, 774, 649, 565, 449, 296, 186, 112, 27]
NLOST = [2, 3, 6, 9, 7, 5, 3, 0, 0, 0]
NEVENT = [77, 71, 119, 75, 109, 148, 107, 74, 85, 27]


def _individuals():
    """Individual times: each interval's events and losses placed strictly inside it."""
    t, e = [], []
    ends = TIS[1:] + [TIS[-1] + 10]
    for lo, hi, d, c in zip(TIS, ends, NEVENT, NLOST):
        mid = (lo + hi) / 2
        t += [mid] * (d + c)
        e += [1] * d + [0] * c
    return np.array(t), np.array(e)


def test_klein_moeschberger_weaning_life_table():
    t, e = _individuals()
    lt = survival.life_table(t, e, TIS + [TIS[-1] + 10])
    assert lt.entering.tolist() == NSUBS  # the textbook's n' column, rebuilt from data
    assert lt.events.tolist() == NEVENT and lt.censored.tolist() == NLOST
    # KMsurv::lifetab, transcribed (the formulas above)
    y = np.array(NSUBS) - np.array(NLOST) / 2
    s = np.cumprod(1 - np.array(NEVENT) / y)
    v = np.cumsum(np.array(NEVENT) / y / np.maximum(y - np.array(NEVENT), 1e-300))
    np.testing.assert_allclose(lt.effective_at_risk, y, rtol=1e-12)
    np.testing.assert_allclose(lt.survival_end, s, rtol=1e-12)
    np.testing.assert_allclose(lt.se.iloc[:-1], (s * np.sqrt(v))[:-1], rtol=1e-12)
    # two values by hand: S(2) = 1 - 77/926; S(3) = S(2) (1 - 71/846.5)
    assert lt.survival_end.iloc[0] == pytest.approx(1 - 77 / 926)
    assert lt.survival_end.iloc[1] == pytest.approx((1 - 77 / 926) * (1 - 71 / 846.5))


def test_by_hand_small():
    # 10 units; interval (0, 2]: events at 1, 2; censored at 1.5  -> n' = 10 - 0.5 = 9.5
    # interval (2, 5]: 7 enter; events at 3; censored at 4, 5     -> n' = 7 - 1 = 6
    t = [1, 2, 1.5, 3, 4, 5, 6, 7, 8, 9]
    e = [1, 1, 0, 1, 0, 0, 1, 0, 1, 0]
    lt = survival.life_table(t, e, [0, 2, 5])
    s1 = 1 - 2 / 9.5
    s2 = s1 * (1 - 1 / 6)
    assert lt.survival_end.tolist() == pytest.approx([s1, s2])
    assert lt.se.iloc[1] == pytest.approx(s2 * math.sqrt(2 / (9.5 * 7.5) + 1 / (6 * 5)))


@pytest.mark.parametrize(
    "breaks, match",
    [
        ([1, 2], "start at 0"),
        ([0, 2, 2], "increase"),
        ([0], "at least two"),
        ("0,1", "at least two"),
        ([0, np.nan], "breaks"),
    ],
)
def test_bad_breaks(breaks, match):
    with pytest.raises(ValueError, match=match):
        survival.life_table([1, 2], [1, 0], breaks)
