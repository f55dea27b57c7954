"""spinemets.discrimination: Harrell's C against R's survival package and a brute-force count.

R references (survival package, github.com/therneau/survival):

* tests/concordance.R (output in tests/concordance.Rout.save, where each check prints TRUE):
  ``fit4 <- concordance(Surv(time, status) ~ ph.ecog, lung, reverse=TRUE)``;
  ``aeq(fit4$count[1:5], c(8392, 4258, 7137, 21, 7))`` (concordant, discordant, tied.x,
  tied.y, tied.xy). And on the Maintained arm of ``aml`` with
  ``x <- c(1,6,2,7,3,7,3,8,4,4,5)``: ``aeq(fit$count[1:4], c(24,14,2,0))`` for
  ``concordance(Surv(time, status) ~ x)`` (higher x = longer survival).
* tests/Examples/survival-Ex.Rout.save, example of ``summary.coxph``:
  ``summary(coxph(Surv(time, status) ~ age + sex, lung))`` prints coefficients
  age 0.017045, sex -0.513219 and ``Concordance= 0.603  (se = 0.025 )``.

R's lung data ship with lifelines (``lifelines.datasets.load_lung``, status 0/1).
"""

import itertools

import numpy as np
import pandas as pd
import pytest
from lifelines.utils import concordance_index

from spinemets.discrimination import concordance, concordance_pairs

# lung: R's lung data, a fixture in tests/conftest.py


def test_counts_match_r_lung_ph_ecog(lung):
    d = lung.dropna(subset=["ph.ecog"])
    counts = concordance_pairs(d["time"], d["status"], d["ph.ecog"], higher="risk")
    assert counts.tolist() == [8392, 4258, 7137, 21, 7]


def test_counts_match_r_aml_maintained():
    # aml, Maintained arm (R help page ?aml): times 9 13 13+ 18 23 28+ 31 34 45+ 48 161+
    t = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161]
    s = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0]
    x = [1, 6, 2, 7, 3, 7, 3, 8, 4, 4, 5]
    assert concordance_pairs(t, s, x, higher="survival").tolist()[:4] == [24, 14, 2, 0]
    # reversing the direction swaps concordant and discordant (R's allpair gives 14, 24, 2, 0)
    assert concordance_pairs(t, s, x, higher="risk").tolist()[:4] == [14, 24, 2, 0]


def test_c_and_se_match_r_summary_coxph(lung):
    lp = 0.017045 * lung["age"] - 0.513219 * lung["sex"]
    r = concordance(lung["time"], lung["status"], lp, higher="risk")
    assert round(r.c_index, 3) == 0.603
    assert round(r.se, 3) == 0.025
    assert r.lower == pytest.approx(r.c_index - 1.959964 * r.se)
    # the same C from lifelines (which expects higher = longer survival)
    assert r.c_index == pytest.approx(
        concordance_index(lung["time"], -lp, lung["status"]), abs=1e-12
    )
    assert "c_index" in repr(r)


def _brute(t, e, x):
    conc = disc = tie = 0
    for i, j in itertools.permutations(range(len(t)), 2):
        if e[i] == 1 and (t[j] > t[i] or (t[j] == t[i] and e[j] == 0)):
            conc += x[i] > x[j]
            disc += x[i] < x[j]
            tie += x[i] == x[j]
    return (conc + tie / 2) / (conc + disc + tie)


def test_brute_force_on_random_data_with_ties():
    rng = np.random.default_rng(3)
    t = rng.integers(1, 15, 40).astype(float)
    e = rng.integers(0, 2, 40)
    x = rng.integers(0, 4, 40)
    r = concordance(t, e, x, higher="risk")
    assert r.c_index == pytest.approx(_brute(t, e, x))
    assert r.comparable == r.concordant + r.discordant + r.tied_score
    assert concordance(t, e, x, higher="survival").c_index == pytest.approx(1 - r.c_index)


def test_perfect_and_reversed():
    t, e = [1, 2, 3, 4], [1, 1, 1, 1]
    assert concordance(t, e, [4, 3, 2, 1], higher="risk").c_index == 1.0
    assert concordance(t, e, [4, 3, 2, 1], higher="survival").c_index == 0.0


def test_cluster_and_bootstrap(lung):
    lp = 0.017045 * lung["age"] - 0.513219 * lung["sex"]
    base = concordance(lung["time"], lung["status"], lp, higher="risk")
    singletons = concordance(
        lung["time"], lung["status"], lp, higher="risk", cluster=np.arange(len(lung))
    )
    assert singletons.se == pytest.approx(base.se)
    inst = concordance(
        lung["time"], lung["status"], lp, higher="risk", cluster=lung["inst"].fillna(-1)
    )
    assert inst.n_clusters == lung["inst"].fillna(-1).nunique() and inst.c_index == base.c_index
    b1 = concordance(
        lung["time"], lung["status"], lp, higher="risk", method="bootstrap", seed=7, n_resamples=60
    )
    b2 = concordance(
        lung["time"], lung["status"], lp, higher="risk", method="bootstrap", seed=7, n_resamples=60
    )
    assert (b1.lower, b1.upper) == (b2.lower, b2.upper)
    assert b1.lower < base.c_index < b1.upper


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(durations=[1, 2], events=[1, 0], risk=[1, 2]), "higher must be one of"),
        (dict(durations=[1, 2], events=[1, 0], risk=[1, 2], higher="up"), "higher must be one of"),
        (
            dict(durations=[1, -2], events=[1, 0], risk=[1, 2], higher="risk"),
            "durations must be >= 0",
        ),
        (dict(durations=[1, 2], events=[1, 2], risk=[1, 2], higher="risk"), "events must be 0"),
        (dict(durations=[1, 2], events=[0, 0], risk=[1, 2], higher="risk"), "at least one event"),
        (dict(durations=[1, 2, 3], events=[1, 0], risk=[1, 2], higher="risk"), "same length"),
        (
            dict(durations=[1, 2], events=[1, 0], risk=[1, np.nan], higher="risk"),
            "risk contains 1 missing",
        ),
        (
            dict(durations=[1, 2], events=[1, 0], risk=[1, 2], higher="risk", method="jackknife"),
            "method must be one of",
        ),
        (
            dict(durations=[1, 2], events=[1, 0], risk=[1, 2], higher="risk", method="bootstrap"),
            "seed must be an integer",
        ),
        (
            dict(durations=[1, 2], events=[1, 0], risk=[1, 2], higher="risk", cluster=["a"]),
            "cluster must have one label",
        ),
        (
            dict(
                durations=pd.Series([1, 2], index=["a", "b"]),
                events=pd.Series([1, 0], index=["b", "c"]),
                risk=[1, 2],
                higher="risk",
            ),
            "different index labels",
        ),
        (
            dict(
                durations=[1, 2, 3],
                events=[1, 0, 1],
                risk=[1, 2, 3],
                higher="risk",
                cluster=["p1", "p1", "p1"],
            ),
            "at least 2 clusters",
        ),
        (
            dict(
                durations=[1, 2, 3],
                events=[1, 0, 1],
                risk=[1, 2, 3],
                higher="risk",
                cluster=["p1", "p1", "p1"],
                method="bootstrap",
                seed=1,
            ),
            "at least 2 clusters",
        ),
    ],
)
def test_bad_input_raises(kwargs, match):
    with pytest.raises(ValueError, match=match):
        concordance(**kwargs)


def _brute_per_row(t, e, x):
    """Per-row concordant, discordant and score-tied comparable pairs by a double loop."""
    n = len(t)
    c, d, s = np.zeros(n), np.zeros(n), np.zeros(n)
    for i, j in itertools.permutations(range(n), 2):
        if e[i] == 1 and (t[j] > t[i] or (t[j] == t[i] and e[j] == 0)):
            for k in (i, j):
                c[k] += x[i] > x[j]
                d[k] += x[i] < x[j]
                s[k] += x[i] == x[j]
    return c, d, s


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ij_se_and_counts_match_a_double_loop(seed):
    # the O(n log^2 n) counts against every pair examined: C, the five counts and the IJ SE
    # (R's formula, tests/concordance.R: dfbeta_k = [(c_k - d_k) - (c_k + d_k + t_k) D] / (2N))
    rng = np.random.default_rng(seed)
    n = 70
    t = rng.integers(1, 12, n).astype(float)
    e = rng.integers(0, 2, n)
    x = rng.integers(0, 5, n) if seed else rng.normal(size=n)
    c, d, s = _brute_per_row(t, e, x)
    npair = (c.sum() + d.sum() + s.sum()) / 2
    somer = (c.sum() - d.sum()) / 2 / npair
    se = np.sqrt(np.sum((((c - d) - (c + d + s) * somer) / (2 * npair)) ** 2))
    r = concordance(t, e, x, higher="risk")
    assert r.comparable == npair and r.concordant == c.sum() / 2
    assert r.c_index == pytest.approx(_brute(t, e, x), abs=1e-14)
    assert r.se == pytest.approx(se, rel=1e-12)
    same = [
        (i, j) for i, j in itertools.combinations(range(n), 2) if e[i] == e[j] == 1 and t[i] == t[j]
    ]
    assert r.tied_time + r.tied_both == len(same)
    assert r.tied_both == sum(x[i] == x[j] for i, j in same)


def test_large_n_matches_lifelines():
    # n = 20,000 with ties in time and score: C equals lifelines' concordance_index (its own
    # O(n log n) algorithm; higher score = longer survival there)
    rng = np.random.default_rng(4)
    n = 20_000
    t = rng.integers(1, 500, n).astype(float)
    e = rng.integers(0, 2, n)
    x = rng.integers(0, 40, n)
    r = concordance(t, e, x, higher="survival")
    assert r.c_index == pytest.approx(concordance_index(t, x, e), abs=1e-12)


def test_series_are_paired_by_label(lung):
    lp = 0.017045 * lung["age"] - 0.513219 * lung["sex"]
    base = concordance(
        lung["time"], lung["status"], lp, higher="risk", cluster=lung["inst"].fillna(-1)
    )
    shuffled = lung.sample(frac=1.0, random_state=3)
    r = concordance(
        lung["time"],
        shuffled["status"],
        lp.loc[shuffled.index[::-1]],
        higher="risk",
        cluster=shuffled["inst"].fillna(-1),
    )
    assert (r.c_index, r.se, r.n_clusters) == (base.c_index, base.se, base.n_clusters)
