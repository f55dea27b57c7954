"""The one home of printed numbers and their checks (issue 24 item 5): published and screen
share spinemets.screen.printed and spinemets.screen.ratio."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

from spinemets import published, screen
from spinemets.screen import printed, ratio


def test_published_parses_with_the_screen():
    assert published.parse_printed is printed.parse_printed
    assert published.parse_printed("<0.001") == (0.001, "<", 3)
    with pytest.raises(ValueError, match="p must be a printed number"):
        published.parse_printed("abc", "p")


def test_check_ratio_p_range_is_the_screens_wald_region():
    """Paper D's 0.13 (0.01-1.16): p 0.0668-0.0684 (screen.p_from_ci), not the box's 0.09."""
    r = published.check_ratio("0.13", "0.01", "1.16", "0.068")
    q = screen.p_from_ci("0.13", "0.01", "1.16")
    assert r.implied_p_range == pytest.approx((q.p_min, q.p_max))
    assert r.p_consistent


def test_check_ratio_closed_form_altman_bland():
    """SE = (ln U - ln L) / (2 z), p = 2 (1 - Phi(|ln HR| / SE)) (Altman & Bland 2011)."""
    r = published.check_ratio("0.296", "0.133", "0.659")
    se = (math.log(0.659) - math.log(0.133)) / (2 * stats.norm.ppf(0.975))
    assert r.implied_se == pytest.approx(se)
    assert r.implied_p == pytest.approx(2 * stats.norm.sf(abs(math.log(0.296)) / se))
    lo, hi = r.implied_p_range
    assert lo <= r.implied_p <= hi and hi < 0.004


def test_symmetric_ci_spss_and_brookmeyer_crowley():
    # SPSS: 4.5 +- 1.96 x 0.408 prints 3.7-5.3 (paper A's overall median)
    s = printed.symmetric_ci("4.5", "3.7", "5.3")
    assert s.symmetric and s.se == pytest.approx(1.6 / (2 * stats.norm.ppf(0.975)))
    # a log-transformed interval exp(ln 4.5 +- 1.96 x 0.09) = 3.77-5.37 is not symmetric
    lo, hi = (4.5 * math.exp(k * 1.959964 * 0.09) for k in (-1, 1))
    assert not printed.symmetric_ci("4.5", f"{lo:.2f}", f"{hi:.2f}").symmetric
    # an exact median (whole days): 74 with 33.2-114.8 is symmetric, 33.2-115.2 is not
    assert printed.symmetric_ci("74", "33.2", "114.8", exact_median=True).symmetric
    assert not printed.symmetric_ci("74", "33.2", "115.2", exact_median=True).symmetric
    with pytest.raises(ValueError, match="level"):
        printed.symmetric_ci("4.5", "3.7", "5.3", level=95)


def test_median_mixture_against_exponential_curves():
    """Brute force: mix exponential group curves with the given medians; the pooled median
    lies between the group medians, and at it the groups above average S <= 0.5 / w_A."""
    meds, n = np.array([2.4, 9.7, 15.2]), np.array([38, 132, 22])
    w = n / n.sum()
    pooled = optimize.brentq(lambda t: w @ 0.5 ** (t / meds) - 0.5, 0.01, 100)
    r = printed.median_mixture(f"{pooled:.1f}", [f"{m}" for m in meds], n)
    assert r.between
    above = meds > round(pooled, 1)
    assert r.share_above == pytest.approx(w[above].sum())
    mean_s = (w[above] @ 0.5 ** (pooled / meds[above])) / w[above].sum()
    assert 0.5 <= mean_s <= r.max_mean_s_above
    # paper A's interval rows: both group medians below the overall 4.5: not between
    assert not printed.median_mixture("4.5", ["4.2", "4.0"], [100, 92]).between
    with pytest.raises(ValueError, match="sizes"):
        printed.median_mixture("4.5", ["4.2", "4.0"], [1])


def test_ratio_module_is_the_screens():
    assert screen.p_from_ci is ratio.p_from_ci
