"""Power and the smallest effect a study could detect.

A study's size fixes the effects it could have found. With the size a paper reports, these
functions give the effect it had 80% power to detect at a two-sided alpha of 0.05 (or any other
power and alpha), and the power it had for a given effect:

``logrank_*``
    Schoenfeld's formula for the log-rank test (and the Cox score test), which depends only on the
    number of *events* ``d`` and the share ``p`` of patients in one group:
    ``d = (z_{1-alpha/2} + z_{power})^2 / (p (1 - p) (ln HR)^2)``. Stratifying by a few large
    strata (centre, a covariate) keeps the formula with ``d`` the events. Stratifying by 1:1
    matched pair (paper B) does not: within a pair only the first event informs, and only if
    the other member is still at risk then (after it the risk set holds one patient, whose
    observed and expected events are equal). Each informative pair adds ``O - E = +-1/2`` with
    variance ``1/4``, so the pair-stratified log-rank test is a sign test on which member
    failed first, and ``d`` is the number of informative pairs (at most the number of pairs,
    whatever the number of deaths) with ``p = 1/2``. Under proportional hazards the treated
    member fails first with probability ``HR / (1 + HR)``.
``proportions_*``
    Two independent proportions (the chi-square test of a 2 x 2 table) on Cohen's arcsine scale
    ``h = 2 asin(sqrt(p1)) - 2 asin(sqrt(p2))``, as ``statsmodels.stats.power.NormalIndPower``.
``paired_t_*``
    The paired t test of a mean change, in standard deviations of the change (``d = mean / SD``),
    exact with the noncentral t distribution, as ``statsmodels.stats.power.TTestPower``;
    ``wilcoxon=True`` uses the Wilcoxon signed-rank test's asymptotic relative efficiency of
    3/pi against the t test for normal data (the signed-rank test on n pairs is worth
    ``3 n / pi`` pairs of a t test; Lehmann 1975).
``mcnemar_*``
    McNemar's test of paired proportions (Connor 1987): with ``psi`` the share of discordant
    pairs and ``delta = p10 - p01`` the difference of the two discordant shares,
    ``n = (z_{1-alpha/2} sqrt(psi) + z_{power} sqrt(psi - delta^2))^2 / delta^2``.

Every function validates its input and raises ``ValueError`` naming the argument and its range.

References
----------
Schoenfeld D. The asymptotic properties of nonparametric tests for comparing survival
distributions. Biometrika 1981;68:316-319. Schoenfeld DA. Sample-size formula for the
proportional-hazards regression model. Biometrics 1983;39:499-503. doi:10.2307/2531021
Connor RJ. Sample size for testing differences in proportions for the paired-sample design.
Biometrics 1987;43:207-211. doi:10.2307/2531961
Cohen J. Statistical Power Analysis for the Behavioral Sciences, 2nd ed. Erlbaum, 1988.
Lehmann EL. Nonparametrics: Statistical Methods Based on Ranks. Holden-Day, 1975.
"""

from __future__ import annotations

import dataclasses
import math
from typing import ClassVar

import numpy as np
from scipy import optimize, stats

from ._results import Result
from ._validation import (
    check_choice,
    check_flag,
    check_number,
    check_open_interval,
    check_sig_level,
    renamed_arguments,
)

__all__ = [
    "Detectable",
    "logrank_events",
    "logrank_power",
    "logrank_detectable_hr",
    "pair_logrank_power",
    "pair_logrank_detectable_hr",
    "proportions_power",
    "proportions_detectable",
    "paired_t_power",
    "paired_t_detectable",
    "mcnemar_pairs",
    "mcnemar_power",
    "mcnemar_detectable",
]


@dataclasses.dataclass(frozen=True, repr=False)
class Detectable(Result):
    """The smallest effect a design detects with the given power (two-sided sig_level)."""

    _title: ClassVar[str] = "Detectable effect"
    test: str
    size: str
    sig_level: float
    power: float
    effect: float
    effect_scale: str
    note: str = ""

    @property
    def alpha(self) -> float:
        """Former name of :attr:`sig_level` (kept for one release)."""
        return self.sig_level


def _z(sig_level: float, power: float) -> tuple[float, float]:
    sig_level = check_sig_level(sig_level)
    power = check_open_interval(power, "power")
    if power <= sig_level / 2:
        raise ValueError(f"power must exceed sig_level/2 ({sig_level / 2:g}), got {power!r}")
    return float(stats.norm.ppf(1 - sig_level / 2)), float(stats.norm.ppf(power))


def _events(events) -> float:
    return check_number(events, "events", low=1)


def _share(allocation) -> float:
    return check_open_interval(allocation, "allocation")


# --------------------------------------------------------------------------- log-rank


@renamed_arguments(alpha="sig_level")
def logrank_events(
    hr: float, allocation: float = 0.5, sig_level: float = 0.05, power: float = 0.8
) -> float:
    """Events needed for the log-rank test to detect a hazard ratio (Schoenfeld 1983).

    Parameters
    ----------
    hr : float
        The hazard ratio to detect, > 0 and not 1.
    allocation : float
        Share of patients in one group, in (0, 1) (0.5: equal groups).
    sig_level, power : float
        Two-sided significance level and power, each in (0, 1).

    Returns
    -------
    float
        ``(z_{1-sig_level/2} + z_power)^2 / (p (1 - p) ln(hr)^2)``, not rounded up.

    Raises
    ------
    ValueError
        If ``hr`` is not a positive number other than 1, or a share is outside (0, 1).

    References
    ----------
    Schoenfeld DA. Biometrics 1983;39:499-503.

    Examples
    --------
    >>> round(logrank_events(0.5), 1)    # 4 (1.960 + 0.842)^2 / ln(2)^2
    65.3
    """
    hr = check_number(hr, "hr", low=0)
    if hr <= 0 or hr == 1:
        raise ValueError(f"hr must be a positive hazard ratio other than 1, got {hr!r}")
    za, zb = _z(sig_level, power)
    p = _share(allocation)
    return (za + zb) ** 2 / (p * (1 - p) * math.log(hr) ** 2)


@renamed_arguments(alpha="sig_level")
def logrank_power(
    hr: float, events: float, allocation: float = 0.5, sig_level: float = 0.05
) -> float:
    """Power of the two-sided log-rank test for ``hr`` with ``events`` events (Schoenfeld).

    ``Phi(sqrt(d p (1 - p)) |ln hr| - z_{1-sig_level/2})`` (the far tail is ignored, as in the
    formula for the number of events).

    Raises
    ------
    ValueError
        For a hazard ratio <= 0, fewer than 1 event, or a share or sig_level outside (0, 1).

    References
    ----------
    Schoenfeld DA. Biometrics 1983;39:499-503.

    Notes
    -----
    For a log-rank test stratified by 1:1 matched pair, ``events`` is the number of pairs in
    which one member had the event while the other was still at risk (at most the number of
    pairs), not the number of deaths; see the module docstring.
    """
    hr = check_number(hr, "hr", low=0)
    if hr <= 0:
        raise ValueError(f"hr must be a positive hazard ratio, got {hr!r}")
    d = _events(events)
    p = _share(allocation)
    za = float(stats.norm.ppf(1 - check_sig_level(sig_level) / 2))
    return float(stats.norm.cdf(math.sqrt(d * p * (1 - p)) * abs(math.log(hr)) - za))


@renamed_arguments(alpha="sig_level")
def logrank_detectable_hr(
    events: float, allocation: float = 0.5, sig_level: float = 0.05, power: float = 0.8
) -> Detectable:
    """The hazard ratio (below 1) the log-rank test detects with ``events`` events.

    ``HR = exp(-(z_{1-sig_level/2} + z_power) / sqrt(d p (1 - p)))``; its reciprocal is the
    detectable hazard ratio above 1.

    Parameters
    ----------
    events : float
        Number of events (deaths, progressions), >= 1. For a log-rank test stratified by 1:1
        matched pair, the number of informative pairs (at most the number of pairs; see the
        module docstring).
    allocation : float
        Share of patients in one group, in (0, 1).
    sig_level, power : float
        Two-sided level and power, in (0, 1).

    Returns
    -------
    Detectable
        ``effect`` is the hazard ratio below 1.

    References
    ----------
    Schoenfeld DA. Biometrics 1983;39:499-503.

    Examples
    --------
    >>> round(logrank_detectable_hr(181).effect, 3)   # paper A: 181 deaths, equal groups
    0.659
    """
    d = _events(events)
    p = _share(allocation)
    za, zb = _z(sig_level, power)
    hr = math.exp(-(za + zb) / math.sqrt(d * p * (1 - p)))
    return Detectable(
        "log-rank (Schoenfeld)",
        f"{d:g} events, allocation {p:.3g}",
        sig_level,
        power,
        hr,
        "hazard ratio",
        f"or {1 / hr:.3g} the other way round",
    )


def _pairs(pairs) -> int:
    return int(check_number(pairs, "pairs", low=1, high=1e6, integer=True))


@renamed_arguments(alpha="sig_level")
def pair_logrank_power(hr: float, pairs: float, sig_level: float = 0.05) -> float:
    """Exact power of the log-rank test stratified by 1:1 matched pair.

    Within a pair only the first event informs, and only while the other member is still at
    risk (see the module docstring): the stratified statistic is ``(X - k/2)^2 / (k/4)`` with
    ``k`` the informative pairs and ``X`` those in which the first member of the pair (the
    group whose hazard ratio is ``hr``) failed first. Under proportional hazards ``X`` is
    binomial with ``k`` trials and probability ``hr / (1 + hr)``, so the power is the binomial
    probability of the rejection region ``(X - k/2)^2 / (k/4) > chi2_{1, 1-sig_level}``. It is
    below Schoenfeld's approximation ``logrank_power(hr, k)`` for large effects (0.44 against
    0.52 at HR 0.47 with 28 pairs).

    Parameters
    ----------
    hr : float
        The hazard ratio, > 0.
    pairs : int
        Informative pairs ``k``, a whole number from 1 to 10^6: at most the number of pairs,
        fewer when in some pairs the first member to leave follow-up was censored.
    sig_level : float
        Two-sided level, in (0, 1).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For a hazard ratio <= 0, ``pairs`` not a whole number in [1, 10^6], or sig_level outside
        (0, 1).

    References
    ----------
    Schoenfeld D. Biometrika 1981;68:316-319 (the log-rank score in each risk set).
    """
    hr = check_number(hr, "hr", low=0)
    if hr <= 0:
        raise ValueError(f"hr must be a positive hazard ratio, got {hr!r}")
    k = _pairs(pairs)
    crit = float(stats.chi2.ppf(1 - check_sig_level(sig_level), 1))
    x = np.arange(k + 1)
    reject = (x - k / 2) ** 2 / (k / 4) > crit
    return float(stats.binom.pmf(x[reject], k, hr / (1 + hr)).sum())


@renamed_arguments(alpha="sig_level")
def pair_logrank_detectable_hr(
    pairs: float, sig_level: float = 0.05, power: float = 0.8
) -> Detectable:
    """The hazard ratio (below 1) the 1:1-pair-stratified log-rank test detects exactly.

    The smallest effect at which :func:`pair_logrank_power` reaches ``power`` (the power grows
    as the hazard ratio moves away from 1, in steps because ``X`` is discrete).

    Parameters
    ----------
    pairs : int
        Informative pairs, a whole number from 1 to 10^6 (at most the number of pairs).
    sig_level, power : float
        Two-sided level and power, in (0, 1).

    Returns
    -------
    Detectable
        ``effect`` is the hazard ratio below 1.

    Raises
    ------
    ValueError
        For bad input, or when even a hazard ratio near 0 does not reach ``power`` (too few
        pairs: with ``k`` pairs the test can reject only if ``k > chi2_{1, 1-sig_level}``).

    Examples
    --------
    >>> round(pair_logrank_detectable_hr(28).effect, 2)   # paper B: at most 28 pairs inform
    0.31
    """
    k = _pairs(pairs)
    sig_level = check_sig_level(sig_level)
    power = check_open_interval(power, "power")
    f = lambda hr: pair_logrank_power(hr, k, sig_level) - power  # noqa: E731
    tiny = 1e-9
    if f(tiny) < 0:
        raise ValueError(
            f"no hazard ratio reaches power {power:g} with pairs = {k} "
            f"informative pairs at sig_level {sig_level:g}"
        )
    # bisection on log HR: the rejection region is fixed by k and sig_level and symmetric about
    # k/2, so the power increases as the hazard ratio falls from 1
    lo, hi = math.log(tiny), 0.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if f(math.exp(mid)) >= 0:
            lo = mid
        else:
            hi = mid
    hr = math.exp(lo)
    return Detectable(
        "log-rank stratified by 1:1 pair (exact sign test)",
        f"{k} informative pairs",
        sig_level,
        power,
        hr,
        "hazard ratio",
        f"or {1 / hr:.3g} the other way round",
    )


# --------------------------------------------------------------------------- two proportions


def _h(p1: float, p2: float) -> float:
    return 2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p2))


@renamed_arguments(alpha="sig_level")
def proportions_power(p1: float, p2: float, n1: float, n2: float, sig_level: float = 0.05) -> float:
    """Power of the two-sided test of two independent proportions (arcsine, Cohen's h).

    ``Phi(|h| sqrt(n1 n2 / (n1 + n2)) - z_{1-sig_level/2}) + Phi(-|h| sqrt(...) - z_{1-sig_level/2})``,
    which is ``statsmodels.stats.power.NormalIndPower().power(h, n1, sig_level, ratio=n2/n1)``.

    Raises
    ------
    ValueError
        For proportions outside [0, 1], group sizes below 1, or sig_level outside (0, 1).

    References
    ----------
    Cohen J. Statistical Power Analysis for the Behavioral Sciences, 2nd ed., 1988, chapter 6.
    """
    p1 = check_number(p1, "p1", low=0, high=1)
    p2 = check_number(p2, "p2", low=0, high=1)
    n1 = check_number(n1, "n1", low=1)
    n2 = check_number(n2, "n2", low=1)
    za = float(stats.norm.ppf(1 - check_sig_level(sig_level) / 2))
    k = abs(_h(p1, p2)) * math.sqrt(n1 * n2 / (n1 + n2))
    return float(stats.norm.cdf(k - za) + stats.norm.cdf(-k - za))


@renamed_arguments(alpha="sig_level")
def proportions_detectable(
    p1: float,
    n1: float,
    n2: float,
    sig_level: float = 0.05,
    power: float = 0.8,
    direction: str = "lower",
) -> Detectable:
    """The second proportion that differs detectably from ``p1`` (two-sided, arcsine scale).

    Parameters
    ----------
    p1 : float
        The proportion in group 1, in [0, 1].
    n1, n2 : float
        Group sizes, >= 1.
    sig_level, power : float
        In (0, 1).
    direction : {"lower", "higher"}
        Whether the detectable second proportion is below or above ``p1``.

    Returns
    -------
    Detectable
        ``effect`` is the second proportion; ``note`` gives Cohen's h.

    Raises
    ------
    ValueError
        For bad input, or when no proportion in [0, 1] on that side is detectable.

    References
    ----------
    Cohen J. Statistical Power Analysis for the Behavioral Sciences, 2nd ed., 1988.
    """
    p1 = check_number(p1, "p1", low=0, high=1)
    n1 = check_number(n1, "n1", low=1)
    n2 = check_number(n2, "n2", low=1)
    direction = check_choice(direction, "direction", ("lower", "higher"))
    _z(sig_level, power)
    end = 0.0 if direction == "lower" else 1.0
    if proportions_power(p1, end, n1, n2, sig_level) < power:
        raise ValueError(
            f"no proportion {direction} than p1 = {p1:g} reaches power {power:g} with "
            f"n1 = {n1:g}, n2 = {n2:g}: even p2 = {end:g} has power "
            f"{proportions_power(p1, end, n1, n2, sig_level):.3g}"
        )
    f = lambda q: proportions_power(p1, q, n1, n2, sig_level) - power  # noqa: E731
    lo, hi = (end, p1) if direction == "lower" else (p1, end)
    p2 = float(optimize.brentq(f, lo, hi, xtol=1e-12))
    return Detectable(
        "two proportions (arcsine)",
        f"n1 = {n1:g}, n2 = {n2:g}",
        sig_level,
        power,
        p2,
        "proportion in group 2",
        f"against p1 = {p1:.3g}; Cohen's h = {abs(_h(p1, p2)):.3g}",
    )


# --------------------------------------------------------------------------- paired t / Wilcoxon


@renamed_arguments(alpha="sig_level")
def paired_t_power(
    effect: float, n: float, sig_level: float = 0.05, wilcoxon: bool = False
) -> float:
    """Power of the two-sided paired t test for a standardised mean change ``effect``.

    Exact: ``P(|T| > t_{1-sig_level/2, n-1})`` with ``T`` noncentral t, df ``n - 1``, noncentrality
    ``effect sqrt(n)``; as ``statsmodels.stats.power.TTestPower``. With ``wilcoxon=True`` the
    signed-rank test on ``n`` pairs is taken as a t test on ``3 n / pi`` pairs (its asymptotic
    relative efficiency for normal data).

    Raises
    ------
    ValueError
        For fewer than 2 pairs (fewer than 2 effective pairs with ``wilcoxon``), a non-finite
        effect, or sig_level outside (0, 1).

    References
    ----------
    Cohen J. 1988, chapter 2. Lehmann EL. Nonparametrics, 1975 (ARE of the signed-rank test).
    """
    effect = check_number(effect, "effect")
    n = check_number(n, "n", low=2)
    wilcoxon = check_flag(wilcoxon, "wilcoxon")
    sig_level = check_sig_level(sig_level)
    m = n * 3 / math.pi if wilcoxon else n
    if m < 2:
        raise ValueError(f"n must give at least 2 effective pairs, got n = {n:g}")
    df = m - 1
    tc = float(stats.t.ppf(1 - sig_level / 2, df))
    nc = abs(effect) * math.sqrt(m)
    pw = float(stats.nct.sf(tc, df, nc) + stats.nct.cdf(-tc, df, nc))
    if math.isnan(pw):  # scipy's noncentral t fails far in the tail, where the power is ~1
        pw = 1.0 if nc > tc else 0.0
    return pw


@renamed_arguments(alpha="sig_level")
def paired_t_detectable(
    n: float, sig_level: float = 0.05, power: float = 0.8, wilcoxon: bool = False
) -> Detectable:
    """The standardised mean change (mean / SD of the change) a paired test detects.

    Parameters
    ----------
    n : float
        Number of pairs, >= 2.
    sig_level, power : float
        In (0, 1).
    wilcoxon : bool
        Use the Wilcoxon signed-rank test (ARE 3/pi) instead of the t test.

    Returns
    -------
    Detectable
        ``effect`` is Cohen's d of the change; multiply by the SD of the change for the
        detectable mean change on the scale (VAS points).

    References
    ----------
    Cohen J. 1988. Lehmann EL. 1975.
    """
    n = check_number(n, "n", low=2)
    _z(sig_level, power)
    f = lambda d: paired_t_power(d, n, sig_level, wilcoxon) - power  # noqa: E731
    hi = 1.0
    while f(hi) < 0:
        hi *= 2
        if hi > 1e4:
            raise ValueError(f"no effect reaches power {power:g} with n = {n:g} pairs")
    d = float(optimize.brentq(f, 1e-9, hi, xtol=1e-12))
    test = "Wilcoxon signed-rank (ARE 3/pi)" if wilcoxon else "paired t"
    return Detectable(test, f"{n:g} pairs", sig_level, power, d, "mean change / SD of change")


# --------------------------------------------------------------------------- McNemar


def _discordant(psi, delta):
    psi = check_number(psi, "psi", low=0, high=1)
    if psi <= 0:
        raise ValueError(f"psi (the share of discordant pairs) must be in (0, 1], got {psi!r}")
    delta = check_number(delta, "delta", low=-1, high=1)
    if abs(delta) > psi:
        raise ValueError(
            f"|delta| must not exceed psi ({psi:g}): delta = p10 - p01 and "
            f"psi = p10 + p01, got delta = {delta!r}"
        )
    return psi, abs(delta)


@renamed_arguments(alpha="sig_level")
def mcnemar_pairs(psi: float, delta: float, sig_level: float = 0.05, power: float = 0.8) -> float:
    """Pairs needed for McNemar's test (Connor 1987).

    ``n = (z_{1-sig_level/2} sqrt(psi) + z_power sqrt(psi - delta^2))^2 / delta^2``.

    Parameters
    ----------
    psi : float
        Share of discordant pairs, ``p10 + p01``, in (0, 1].
    delta : float
        Difference of the discordant shares, ``p10 - p01``, with ``|delta| <= psi``, not 0.

    Raises
    ------
    ValueError
        For shares outside their ranges or ``delta = 0``.

    References
    ----------
    Connor RJ. Biometrics 1987;43:207-211.

    Examples
    --------
    >>> round(mcnemar_pairs(0.3, 0.1), 1)   # (1.960 sqrt(0.3) + 0.842 sqrt(0.29))^2 / 0.01
    233.1
    """
    psi, delta = _discordant(psi, delta)
    if delta == 0:
        raise ValueError("delta must not be 0 (no difference needs infinitely many pairs)")
    za, zb = _z(sig_level, power)
    return (za * math.sqrt(psi) + zb * math.sqrt(psi - delta**2)) ** 2 / delta**2


@renamed_arguments(alpha="sig_level")
def mcnemar_power(psi: float, delta: float, n: float, sig_level: float = 0.05) -> float:
    """Power of McNemar's test with ``n`` pairs (Connor 1987, solved for power).

    ``Phi((|delta| sqrt(n) - z_{1-sig_level/2} sqrt(psi)) / sqrt(psi - delta^2))``.

    References
    ----------
    Connor RJ. Biometrics 1987;43:207-211.
    """
    psi, delta = _discordant(psi, delta)
    n = check_number(n, "n", low=1)
    za = float(stats.norm.ppf(1 - check_sig_level(sig_level) / 2))
    var = psi - delta**2
    if var <= 0:
        return 1.0
    return float(stats.norm.cdf((delta * math.sqrt(n) - za * math.sqrt(psi)) / math.sqrt(var)))


@renamed_arguments(alpha="sig_level")
def mcnemar_detectable(
    n: float, psi: float, sig_level: float = 0.05, power: float = 0.8
) -> Detectable:
    """The difference of discordant shares ``p10 - p01`` McNemar's test detects in ``n`` pairs.

    With ``psi`` discordant pairs in all, the largest possible difference is ``psi`` (every
    discordant pair one way); if even that is not detectable, ``ValueError`` says so.

    References
    ----------
    Connor RJ. Biometrics 1987;43:207-211.
    """
    n = check_number(n, "n", low=1)
    psi, _ = _discordant(psi, 0.0)
    _z(sig_level, power)
    if mcnemar_power(psi, psi, n, sig_level) < power:
        raise ValueError(
            f"with n = {n:g} pairs and psi = {psi:g} no difference reaches power {power:g}"
        )
    f = lambda d: mcnemar_power(psi, d, n, sig_level) - power  # noqa: E731
    d = float(optimize.brentq(f, 1e-12, psi, xtol=1e-12))
    return Detectable(
        "McNemar (Connor)",
        f"{n:g} pairs, {psi:.3g} discordant",
        sig_level,
        power,
        d,
        "p10 - p01",
        f"{d * n:.3g} more pairs discordant one way than the other",
    )
