"""Small, seeded simulators for the teaching examples of the methods chapters.

Each function draws a synthetic data set (or runs a small simulation study) from a stated
model, so that a chapter can show a method's behaviour where the truth is known:

- :func:`frailty_pairs`: matched pairs sharing a frailty (paper B's design, 28 pairs);
- :func:`competing_risks`: local progression with death competing (paper D's endpoint);
- :func:`robust_se_simulation`: how well the cluster-robust (sandwich) standard error of a Cox
  coefficient estimates the true sampling spread when there are few clusters.

Nothing here is calibrated to a paper: the numbers are illustrations. Every function takes a
``seed`` and returns the same result for the same seed (numpy's ``default_rng``).

References
----------
Hougaard P. Frailty models for survival data. Lifetime Data Anal 1995;1:255-273.
Putter H, Fiocco M, Geskus RB. Tutorial in biostatistics: competing risks and multi-state
models. Stat Med 2007;26:2389-2430.
Lin DY, Wei LJ. The robust inference for the Cox proportional hazards model. J Am Stat Assoc
1989;84:1074-1078.
Cameron AC, Miller DL. A practitioner's guide to cluster-robust inference. J Hum Resour
2015;50:317-372 (few clusters: the sandwich variance is biased downward).
Morris TP, White IR, Crowther MJ. Using simulation studies to evaluate statistical methods.
Stat Med 2019;38:2074-2102.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import numpy as np
import pandas as pd

from ._results import Result
from ._validation import (
    check_choice,
    check_columns,
    check_integer,
    check_number,
    check_positive,
    check_range_pair,
    check_seed,
)

__all__ = [
    "frailty_pairs",
    "competing_risks",
    "robust_se_simulation",
    "RobustSESimulation",
    "summarise_robust_se",
    "load_robust_se_simulation",
    "drop_censored_before_first_event",
]


def frailty_pairs(
    n_pairs: int = 28,
    hazards=(0.07, 0.10),
    arms=("SRS", "RT"),
    frailty_variance: float = 1.0,
    censor=(6.0, 36.0),
    seed: int = 2016,
) -> pd.DataFrame:
    """Matched pairs whose two members share a gamma frailty (a pair-specific risk).

    Model: pair ``k`` has frailty ``w_k ~ Gamma(shape 1/v, scale v)`` (mean 1, variance
    ``v = frailty_variance``); member of arm ``a`` has an exponential event time with rate
    ``w_k * hazards[a]`` (per month) and a uniform censoring time on ``censor``. The true
    hazard ratio of the first arm against the second is ``hazards[0] / hazards[1]``
    (0.7 by default). Times are rounded to 0.1 month.

    Parameters
    ----------
    n_pairs : int
        Number of pairs (>= 2).
    hazards : (float, float)
        Event rates per month of the two arms (> 0).
    arms : (str, str)
        Arm labels, in the order of ``hazards``.
    frailty_variance : float
        Variance of the shared frailty (> 0); larger means pairs differ more.
    censor : (float, float)
        Censoring times are uniform on this interval (months, 0 <= low < high).
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    DataFrame
        ``pair`` (0..n_pairs-1), ``arm``, ``months``, ``event`` (1 event, 0 censored),
        two rows per pair.

    Raises
    ------
    ValueError
        For a count, rate, variance or interval outside the ranges above, or two equal arm
        labels.

    References
    ----------
    Hougaard P. Lifetime Data Anal 1995;1:255-273.
    """
    n_pairs = check_integer(n_pairs, "n_pairs", low=2)
    try:
        h = [check_positive(x, "hazards") for x in hazards]
        a = [str(x) for x in arms]
    except TypeError:
        raise ValueError("hazards and arms must be pairs") from None
    if len(h) != 2 or len(a) != 2 or a[0] == a[1]:
        raise ValueError("hazards must be two rates and arms two different labels")
    v = check_positive(frailty_variance, "frailty_variance")
    lo, hi = check_range_pair(censor, "censor")
    rng = np.random.default_rng(check_seed(seed))
    frailty = np.repeat(rng.gamma(1 / v, v, n_pairs), 2)
    arm = np.tile(a, n_pairs)
    rate = frailty * np.where(arm == a[0], h[0], h[1])
    t_event = rng.exponential(1 / rate)
    t_cens = rng.uniform(lo, hi, 2 * n_pairs)
    return pd.DataFrame(
        {
            "pair": np.repeat(np.arange(n_pairs), 2),
            "arm": arm,
            "months": np.minimum(t_event, t_cens).round(1),
            "event": (t_event <= t_cens).astype(int),
        }
    )


def competing_risks(
    n: int = 200,
    mean_progression: float = 24.0,
    mean_death: float = 12.0,
    censor=(6.0, 48.0),
    seed: int = 7,
) -> pd.DataFrame:
    """Local progression with death as a competing event (latent exponential times).

    Each patient has a latent time to local progression (exponential, mean
    ``mean_progression`` months), a latent time to death without progression (exponential,
    mean ``mean_death``) and a uniform censoring time on ``censor``; we observe the first.
    With independent exponentials the true cumulative incidence of progression is
    ``r1 / (r1 + r2) * (1 - exp(-(r1 + r2) t))`` before censoring (``r = 1 / mean``), which
    the returned frame's ``attrs["true_cif"]`` gives as a function.

    Parameters
    ----------
    n : int
        Number of patients (>= 2).
    mean_progression, mean_death : float
        Means of the latent exponential times in months (> 0).
    censor : (float, float)
        Censoring times are uniform on this interval (months, 0 <= low < high).
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    DataFrame
        ``time`` (months, rounded to 0.1) and ``code`` (0 censored, 1 local progression,
        2 death without progression). The code is decided on the unrounded times.

    Raises
    ------
    ValueError
        For a count, mean or interval outside the ranges above.

    References
    ----------
    Putter H, Fiocco M, Geskus RB. Stat Med 2007;26:2389-2430.
    """
    n = check_integer(n, "n", low=2)
    m1 = check_positive(mean_progression, "mean_progression")
    m2 = check_positive(mean_death, "mean_death")
    lo, hi = check_range_pair(censor, "censor")
    rng = np.random.default_rng(check_seed(seed))
    t_prog = rng.exponential(m1, n)
    t_death = rng.exponential(m2, n)
    t_cens = rng.uniform(lo, hi, n)
    times = np.column_stack([t_cens, t_prog, t_death])
    code = times.argmin(axis=1)  # 0 censored, 1 progression, 2 death
    out = pd.DataFrame({"time": times.min(axis=1).round(1), "code": code.astype(int)})
    r1, r2 = 1 / m1, 1 / m2
    out.attrs["true_cif"] = lambda t: r1 / (r1 + r2) * (1 - np.exp(-(r1 + r2) * np.asarray(t)))
    return out


def drop_censored_before_first_event(data: pd.DataFrame, duration: str, event: str) -> pd.DataFrame:
    """Drop rows censored before the first event time (they carry no information).

    An observation censored before the first event is in no risk set at any event time: it
    adds nothing to the Cox partial likelihood, its information or its score residual (which
    is exactly 0), so dropping it leaves the coefficients, the model-based SE and the
    cluster-robust SE unchanged. It is needed here because statsmodels' ``PHReg`` (used by
    :func:`spinemets.survival.cox` with ``cluster=``) returns a NaN score residual for such a
    row, and hence a NaN robust SE.

    Parameters
    ----------
    data : DataFrame
    duration, event : str
        Column names of the follow-up time and the event indicator (0/1).

    Returns
    -------
    DataFrame
        ``data`` without those rows (index kept).

    Raises
    ------
    ValueError
        If a column is missing or there is no event.

    References
    ----------
    Cox DR. Regression models and life-tables. J R Stat Soc B 1972;34:187-220 (risk sets of
    the partial likelihood). Lin DY, Wei LJ. J Am Stat Assoc 1989;84:1074-1078 (score
    residuals of the robust variance).
    """
    check_columns(data, [duration, event], "data")
    ev = data[event].to_numpy() == 1
    if not ev.any():
        raise ValueError(f"{event} has no events: nothing to fit")
    first = data.loc[ev, duration].min()
    return data[~((data[duration] < first) & ~ev)]


@dataclasses.dataclass(frozen=True, repr=False)
class RobustSESimulation(Result):
    """Result of :func:`robust_se_simulation`: true spread of the estimate vs the mean SEs."""

    _title: ClassVar[str] = "Cluster-robust SE: simulation"
    n_clusters: int
    cluster_size: int
    covariate: str
    n_sim: int
    true_coef: float
    mean_coef: float
    empirical_sd: float
    mean_naive_se: float
    mean_robust_se: float
    robust_to_empirical: float
    coverage_naive: float
    coverage_robust: float
    _estimates: pd.DataFrame = dataclasses.field(default=None)

    @property
    def estimates(self) -> pd.DataFrame:
        """One row per replicate: ``coef``, ``naive_se``, ``robust_se`` (not printed)."""
        return self._estimates


def robust_se_simulation(
    n_clusters: int = 18,
    cluster_size: int = 10,
    coef: float = 0.0,
    frailty_variance: float = 0.5,
    covariate: str = "cluster",
    censoring: float = 0.3,
    n_sim: int = 200,
    seed: int = 1989,
) -> RobustSESimulation:
    """Simulate clustered survival data and compare the Cox SEs with the true spread.

    Each replicate has ``n_clusters`` clusters (patients, institutions) of ``cluster_size``
    observations (lesions, patients). Cluster ``k`` has a gamma frailty ``w_k`` (mean 1,
    variance ``frailty_variance``); observation ``i`` has a binary covariate ``x`` (constant
    within a cluster, half the clusters 1, if ``covariate="cluster"``; alternating within each
    cluster if ``"within"``), an exponential event time with rate ``w_k exp(coef x)`` and an
    exponential censoring time with rate chosen so that about ``censoring`` of them are
    censored. Each replicate is fitted with :func:`spinemets.survival.cox` (Breslow ties; the
    times are continuous) twice: naive, and with ``cluster=`` (the Lin-Wei sandwich, R's
    ``coxph(... + cluster(id))``).

    The standard deviation of the estimates over the replicates is the true standard error;
    a mean SE below it means the SE is biased downward and its confidence intervals cover
    the truth less often than 95%.

    Parameters
    ----------
    n_clusters : int
        Clusters per replicate (>= 4; even if ``covariate="cluster"``).
    cluster_size : int
        Observations per cluster (>= 2).
    coef : float
        True log hazard ratio (finite).
    frailty_variance : float
        Variance of the cluster frailty (> 0).
    covariate : {"cluster", "within"}
        Whether the covariate is a cluster-level one (a patient's treatment, shared by their
        lesions) or varies within clusters.
    censoring : float
        Expected censored fraction, in [0, 0.9].
    n_sim : int
        Number of replicates (>= 20).
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    RobustSESimulation
        Summary fields (``empirical_sd``, ``mean_naive_se``, ``mean_robust_se``, their ratio
        ``robust_to_empirical``, the coverage of the naive and robust 95% intervals) and the
        property ``estimates`` (one row per replicate: ``coef``, ``naive_se``, ``robust_se``).

    Raises
    ------
    ValueError
        For arguments outside the ranges above.

    References
    ----------
    Lin DY, Wei LJ. J Am Stat Assoc 1989;84:1074-1078. Cameron AC, Miller DL. J Hum Resour
    2015;50:317-372.
    """
    from . import survival

    n_clusters = check_integer(n_clusters, "n_clusters", low=4)
    cluster_size = check_integer(cluster_size, "cluster_size", low=2)
    covariate = check_choice(covariate, "covariate", ("cluster", "within"))
    if covariate == "cluster" and n_clusters % 2:
        raise ValueError(
            f"n_clusters must be even with covariate='cluster' (half the clusters "
            f"get x = 1); got {n_clusters}"
        )
    coef = check_number(coef, "coef")
    v = check_positive(frailty_variance, "frailty_variance")
    censoring = check_number(censoring, "censoring", low=0.0, high=0.9)
    n_sim = check_integer(n_sim, "n_sim", low=20)
    rng = np.random.default_rng(check_seed(seed))
    K, m = n_clusters, cluster_size
    cid = np.repeat(np.arange(K), m)
    if covariate == "cluster":
        x = np.repeat(np.tile([0.0, 1.0], K // 2), m)
    else:
        x = np.tile(np.arange(m) % 2, K).astype(float)
    # censoring rate c with P(C < T) = c / (c + rate) = censoring for a unit-rate event
    c_rate = censoring / (1 - censoring) if censoring > 0 else 0.0
    rows = []
    for _ in range(n_sim):
        w = np.repeat(rng.gamma(1 / v, v, K), m)
        t = rng.exponential(1 / (w * np.exp(coef * x)))
        c = rng.exponential(1 / c_rate, K * m) if c_rate > 0 else np.full(K * m, np.inf)
        d = pd.DataFrame(
            {"time": np.minimum(t, c), "event": (t <= c).astype(int), "x": x, "cluster": cid}
        )
        if d.event.sum() < 2 or d.loc[d.event == 1, "x"].nunique() < 2:
            continue  # no information about x in this replicate
        d = drop_censored_before_first_event(d, "time", "event")
        naive = survival.cox(d, "time", "event", ["x"], ties="breslow")
        robust = survival.cox(d, "time", "event", ["x"], ties="breslow", cluster="cluster")
        rows.append(
            (
                float(naive.summary.coef.iloc[0]),
                float(naive.summary.se.iloc[0]),
                float(robust.summary.se.iloc[0]),
                float(robust.summary.coef.iloc[0]),
            )
        )
    est = pd.DataFrame(rows, columns=["coef", "naive_se", "robust_se", "robust_coef"])
    est = est.drop(columns="robust_coef")
    return summarise_robust_se(est, coef, K, m, covariate)


def summarise_robust_se(
    estimates: pd.DataFrame, true_coef: float, n_clusters: int, cluster_size: int, covariate: str
) -> RobustSESimulation:
    """Summarise replicate estimates (``coef``, ``naive_se``, ``robust_se``) of a simulation.

    Parameters
    ----------
    estimates : DataFrame
        One row per replicate, columns ``coef``, ``naive_se``, ``robust_se`` (no NaN).
    true_coef : float
        The coefficient the data were simulated with.
    n_clusters, cluster_size : int
        The design, reported in the result.
    covariate : str
        The covariate level, reported in the result.

    Returns
    -------
    RobustSESimulation

    Raises
    ------
    ValueError
        Missing columns, fewer than 20 replicates, or NaN values.

    References
    ----------
    Morris TP, White IR, Crowther MJ. Using simulation studies to evaluate statistical methods.
    Stat Med 2019;38:2074-2102 (empirical SE, model SE and coverage).
    """
    need = ["coef", "naive_se", "robust_se"]
    if not isinstance(estimates, pd.DataFrame) or any(c not in estimates for c in need):
        raise ValueError(f"estimates must be a DataFrame with columns {need}")
    est = estimates[need].reset_index(drop=True)
    if len(est) < 20:
        raise ValueError(f"estimates must have at least 20 replicates; got {len(est)}")
    if est.isna().any().any():
        raise ValueError("estimates contain NaN (a fit failed); drop or fix those replicates")
    sd = float(est.coef.std(ddof=1))
    z = 1.959963984540054

    def cover(se):
        return float(((est.coef - z * se <= true_coef) & (true_coef <= est.coef + z * se)).mean())

    return RobustSESimulation(
        int(n_clusters),
        int(cluster_size),
        str(covariate),
        len(est),
        float(true_coef),
        float(est.coef.mean()),
        sd,
        float(est.naive_se.mean()),
        float(est.robust_se.mean()),
        float(est.robust_se.mean() / sd),
        cover(est.naive_se),
        cover(est.robust_se),
        est,
    )


#: Arguments of the precomputed runs stored in ``data/replicates/robust_se.csv``
#: (written by ``scripts/precompute_simulations.py``).
PRECOMPUTED_ROBUST_SE = {
    "cluster": dict(
        n_clusters=18,
        cluster_size=10,
        coef=0.0,
        frailty_variance=0.5,
        covariate="cluster",
        censoring=0.3,
        n_sim=1000,
        seed=1989,
    ),
    "within": dict(
        n_clusters=18,
        cluster_size=10,
        coef=0.0,
        frailty_variance=0.5,
        covariate="within",
        censoring=0.3,
        n_sim=1000,
        seed=1989,
    ),
}


def load_robust_se_simulation(covariate: str = "cluster") -> RobustSESimulation:
    """The precomputed run of :func:`robust_se_simulation` (1000 replicates, 18 clusters).

    Running it takes about a minute, too long for a chapter, so
    ``scripts/precompute_simulations.py`` stores the replicate estimates in
    ``data/replicates/robust_se.csv``; this reads them back and summarises them. The
    arguments of each run are in :data:`PRECOMPUTED_ROBUST_SE`; ``tests/cohorts/test_simulate.py``
    checks that the simulator reproduces the stored rows.

    Parameters
    ----------
    covariate : {"cluster", "within"}
        Which of the two stored runs.

    Returns
    -------
    RobustSESimulation

    Raises
    ------
    ValueError
        Unknown ``covariate``, or the stored file is missing.

    References
    ----------
    Lin DY, Wei LJ. J Am Stat Assoc 1989;84:1074-1078. Cameron AC, Miller DL. J Hum Resour
    2015;50:317-372.
    """
    from .paths import DATA_DIR

    covariate = check_choice(covariate, "covariate", sorted(PRECOMPUTED_ROBUST_SE))
    path = DATA_DIR / "replicates" / "robust_se.csv"
    if not path.exists():
        raise ValueError(f"{path} is missing; run python scripts/precompute_simulations.py")
    df = pd.read_csv(path)
    kw = PRECOMPUTED_ROBUST_SE[covariate]
    est = df[df.covariate == covariate]
    return summarise_robust_se(est, kw["coef"], kw["n_clusters"], kw["cluster_size"], covariate)
