"""spinemets.matching: pairs, forbidden pairs, balance, and MatchIt's printed lalonde example."""

import itertools

import numpy as np
import pandas as pd
import pytest

from spinemets import matching as mt

COVS = ["age", "educ", "race", "married", "nodegree", "re74", "re75"]


# lalonde: MatchIt's data (614 rows), a fixture in tests/conftest.py


# MatchIt vignette "MatchIt: Getting Started" (vignette("MatchIt"), MatchIt 4.x,
# https://kosukeimai.github.io/MatchIt/articles/MatchIt.html), printed output of
#   m.out0 <- matchit(treat ~ age + educ + race + married + nodegree + re74 + re75,
#                     data = lalonde, method = NULL, distance = "glm"); summary(m.out0)
#   m.out1 <- matchit(treat ~ age + educ + race + married + nodegree + re74 + re75,
#                     data = lalonde, method = "nearest", distance = "glm"); summary(m.out1, un = FALSE)
# columns: Means Treated, Means Control, Std. Mean Diff., Var. Ratio, eCDF Mean, eCDF Max
# ("." for the variance ratio of binary variables is None here).
MATCHIT_BEFORE = {
    "distance": (0.5774, 0.1822, 1.7941, 0.9211, 0.3774, 0.6444),
    "age": (25.8162, 28.0303, -0.3094, 0.4400, 0.0813, 0.1577),
    "educ": (10.3459, 10.2354, 0.0550, 0.4959, 0.0347, 0.1114),
    "raceblack": (0.8432, 0.2028, 1.7615, None, 0.6404, 0.6404),
    "racehispan": (0.0595, 0.1422, -0.3498, None, 0.0827, 0.0827),
    "racewhite": (0.0973, 0.6550, -1.8819, None, 0.5577, 0.5577),
    "married": (0.1892, 0.5128, -0.8263, None, 0.3236, 0.3236),
    "nodegree": (0.7081, 0.5967, 0.2450, None, 0.1114, 0.1114),
    "re74": (2095.5737, 5619.2365, -0.7211, 0.5181, 0.2248, 0.4470),
    "re75": (1532.0553, 2466.4844, -0.2903, 0.9563, 0.1342, 0.2876),
}
MATCHIT_AFTER = {
    "distance": (0.5774, 0.3629, 0.9739, 0.7566, 0.1321, 0.4216),
    "age": (25.8162, 25.3027, 0.0718, 0.4568, 0.0847, 0.2541),
    "educ": (10.3459, 10.6054, -0.1290, 0.5721, 0.0239, 0.0757),
    "raceblack": (0.8432, 0.4703, 1.0259, None, 0.3730, 0.3730),
    "racehispan": (0.0595, 0.2162, -0.6629, None, 0.1568, 0.1568),
    "racewhite": (0.0973, 0.3135, -0.7296, None, 0.2162, 0.2162),
    "married": (0.1892, 0.2108, -0.0552, None, 0.0216, 0.0216),
    "nodegree": (0.7081, 0.6378, 0.1546, None, 0.0703, 0.0703),
    "re74": (2095.5737, 2342.1076, -0.0505, 1.3289, 0.0469, 0.2757),
    "re75": (1532.0553, 1614.7451, -0.0257, 1.4956, 0.0452, 0.2054),
}
FIELDS = ("treated", "control", "smd", "var_ratio", "ecdf_mean", "ecdf_max")


def _check(table, printed, when):
    for var, values in printed.items():
        for field, v in zip(FIELDS, values):
            got = table.loc[var, f"{field}_{when}"]
            if v is None:
                assert np.isnan(got), (var, field)
            else:
                assert got == pytest.approx(v, abs=0.00051 if abs(v) < 100 else 0.0051), (
                    var,
                    field,
                    when,
                )


def test_matchit_lalonde_nearest_neighbour(lalonde):
    m = mt.match_pairs(
        lalonde, "treat", covariates=COVS, distance="propensity", method="greedy", order="largest"
    )
    # "number of obs.: 614 (original), 370 (matched)"; "Matched 185 185 / Unmatched 244 0"
    assert m.n_pairs == 185 and m.n_control == 429 and len(m.unmatched) == 0
    b = m.balance()
    assert list(b.index) == list(MATCHIT_BEFORE)
    _check(b, MATCHIT_BEFORE, "before")
    _check(b, MATCHIT_AFTER, "after")
    md = m.matched_data()
    assert len(md) == 370 and md["pair"].nunique() == 185


def test_optimal_beats_or_equals_greedy_on_lalonde(lalonde):
    kw = dict(covariates=COVS, distance="propensity")
    g = mt.match_pairs(lalonde, "treat", method="greedy", order="largest", **kw)
    o = mt.match_pairs(lalonde, "treat", method="optimal", **kw)
    assert o.n_pairs == 185
    assert o.total_distance <= g.total_distance + 1e-12


def _brute_force(D, ok):
    n_t, n_c = D.shape
    best = (-1, np.inf)
    for k in range(n_t, -1, -1):
        for rows in itertools.combinations(range(n_t), k):
            for cols in itertools.permutations(range(n_c), k):
                if all(ok[r, c] for r, c in zip(rows, cols)):
                    tot = sum(D[r, c] for r, c in zip(rows, cols))
                    if (k, -tot) > (best[0], -best[1]):
                        best = (k, tot)
        if best[0] == k:
            return best
    return best


def test_optimal_is_optimal_against_brute_force():
    rng = np.random.default_rng(3)
    for _ in range(15):
        n_t, n_c = 4, 5
        d = pd.DataFrame({"t": [1] * n_t + [0] * n_c, "x": rng.normal(size=n_t + n_c).round(2)})
        cal = 0.6
        m = mt.match_pairs(d, "t", covariates=["x"], distance="euclidean", caliper={"x": cal})
        x = d.x.to_numpy()
        D = np.abs(x[:n_t, None] - x[None, n_t:])
        k, tot = _brute_force(D, D <= cal * (1 + 1e-9))
        assert m.n_pairs == k
        assert m.total_distance == pytest.approx(tot, abs=1e-9)
        assert (m.pairs.distance <= cal + 1e-12).all()


def test_caliper_pairs_are_forbidden_not_penalised():
    # t0 at 0 and t1 at 10; controls at 0.5 and 100. Without a caliper t1 would take 100.
    d = pd.DataFrame({"t": [1, 1, 0, 0], "x": [0.0, 10.0, 0.5, 100.0]}, index=list("abcd"))
    m = mt.match_pairs(d, "t", covariates=["x"], distance="euclidean", caliper=5.0)
    assert m.pairs[["treated", "control"]].values.tolist() == [["a", "c"]]
    assert m.unmatched.values.tolist() == [["b", mt.REASON_CALIPER]]
    # the optimal solution gives c to whichever treated needs it when only one can have it
    d2 = pd.DataFrame({"t": [1, 1, 0], "x": [0.0, 1.0, 0.6]}, index=list("abc"))
    m2 = mt.match_pairs(d2, "t", covariates=["x"], distance="euclidean")
    assert m2.pairs[["treated", "control"]].values.tolist() == [["b", "c"]]
    assert m2.unmatched.reason.tolist() == [mt.REASON_USED]


def test_exact_blocks_are_respected_and_reported():
    d = pd.DataFrame(
        {"t": [1, 1, 1, 0, 0, 0, 0], "sex": list("mmfmmff"), "age": [50, 60, 55, 61, 49, 80, 20]}
    )
    m = mt.match_pairs(d, "t", exact=["sex"], covariates=["age"], distance="euclidean")
    for _, p in m.pairs.iterrows():
        assert d.sex[p.treated] == d.sex[p.control]
    assert m.pairs[["treated", "control"]].values.tolist() == [[0, 4], [1, 3], [2, 5]]
    # a block without controls: the treated unit is unmatched, with its reason
    d3 = pd.DataFrame(
        {"t": [1, 1, 0, 0, 0], "sex": list("mfmfm"), "cp": list("ABBAA"), "age": [1, 2, 3, 4, 5]}
    )
    m3 = mt.match_pairs(d3, "t", exact=["sex", "cp"], covariates=["age"], distance="euclidean")
    assert m3.n_pairs == 1 and m3.unmatched.reason.tolist() == [mt.REASON_NO_BLOCK]


def test_fewer_controls_than_treated_is_not_an_error():
    d = pd.DataFrame({"t": [1, 1, 1, 0], "x": [0.0, 1.0, 2.0, 1.1]})
    for method in ("optimal", "greedy"):
        m = mt.match_pairs(d, "t", covariates=["x"], distance="euclidean", method=method)
        assert m.n_pairs == 1 and len(m.unmatched) == 2
        assert set(m.unmatched.reason) == {mt.REASON_USED}


def test_replace_allows_reuse_and_weights_count_uses():
    d = pd.DataFrame({"t": [1, 1, 0, 0], "x": [0.0, 0.1, 0.05, 9.0]})
    m = mt.match_pairs(d, "t", covariates=["x"], distance="euclidean", replace=True)
    assert m.pairs.control.tolist() == [2, 2]
    assert m.weights().tolist() == [1.0, 1.0, 2.0, 0.0]
    assert len(m.matched_data()) == 4


def test_greedy_orders_and_seed_determinism():
    rng = np.random.default_rng(0)
    d = pd.DataFrame(
        {"t": rng.integers(0, 2, 200), "a": rng.normal(size=200), "b": rng.normal(size=200)}
    )
    d.loc[:9, "t"] = 1
    kw = dict(covariates=["a", "b"], distance="propensity", method="greedy")
    r1 = mt.match_pairs(d, "t", order="random", seed=5, **kw)
    r2 = mt.match_pairs(d, "t", order="random", seed=5, **kw)
    pd.testing.assert_frame_equal(r1.pairs, r2.pairs)
    for order in ("data", "largest", "smallest"):
        m = mt.match_pairs(d, "t", order=order, **kw)
        assert m.n_pairs == min(int(d.t.sum()), int((d.t == 0).sum()))
        assert m.pairs.control.is_unique


def test_greedy_largest_order_is_by_decreasing_propensity():
    # two treated compete for one good control: the one with the larger propensity gets it
    d = pd.DataFrame({"t": [1, 1, 0, 0, 0, 0], "x": [1.0, 3.0, 2.9, -5.0, -4.0, -6.0]})
    m = mt.match_pairs(
        d, "t", covariates=["x"], distance="propensity", method="greedy", order="largest"
    )
    ps = m.propensity
    first = m.pairs.sort_values("treated").set_index("treated")
    assert ps[1] > ps[0]
    assert first.loc[1, "control"] == 2


def test_mahalanobis_matches_scipy_with_pooled_covariance():
    from scipy.spatial.distance import mahalanobis

    rng = np.random.default_rng(1)
    d = pd.DataFrame(
        {"t": [1] * 5 + [0] * 15, "a": rng.normal(size=20), "b": rng.normal(size=20) * 10}
    )
    m = mt.match_pairs(d, "t", covariates=["a", "b"], distance="mahalanobis")
    X = d[["a", "b"]].to_numpy()
    t = d.t.to_numpy() == 1
    S = (4 * np.cov(X[t], rowvar=False) + 14 * np.cov(X[~t], rowvar=False)) / 18
    VI = np.linalg.inv(S)
    for _, p in m.pairs.iterrows():
        assert p.distance == pytest.approx(mahalanobis(X[int(p.treated)], X[int(p.control)], VI))


def test_balance_definitions_by_hand():
    d = pd.DataFrame(
        {
            "t": [1, 1, 1, 0, 0, 0, 0],
            "x": [1.0, 2.0, 6.0, 1.0, 2.0, 3.0, 10.0],
            "flag": [1, 0, 1, 0, 0, 1, 1],
        }
    )
    b = mt.balance_table(d, d.t == 1, ["x", "flag"])
    sd_t = np.std([1, 2, 6], ddof=1)
    assert b.loc["x", "smd_before"] == pytest.approx((3 - 4) / sd_t)
    assert b.loc["x", "var_ratio_before"] == pytest.approx(
        np.var([1, 2, 6], ddof=1) / np.var([1, 2, 3, 10], ddof=1)
    )
    p = 2 / 3
    assert b.loc["flag", "smd_before"] == pytest.approx((p - 0.5) / np.sqrt(p * (1 - p)))
    assert np.isnan(b.loc["flag", "var_ratio_before"])
    # eCDF at the pooled values 1, 2, 3, 6, 10: F_t = 1/3, 2/3, 2/3, 1, 1; F_c = 1/4, 1/2, 3/4, 3/4, 1
    diffs = np.abs(np.array([1 / 3, 2 / 3, 2 / 3, 1, 1]) - np.array([0.25, 0.5, 0.75, 0.75, 1]))
    assert b.loc["x", "ecdf_max_before"] == pytest.approx(diffs.max())
    assert b.loc["x", "ecdf_mean_before"] == pytest.approx(diffs.mean())
    assert mt.smd([1, 2, 6], [1, 2, 3, 10], sd_t) == pytest.approx((3 - 4) / sd_t)


def test_love_plot_returns_axes():
    import matplotlib

    matplotlib.use("Agg")
    d = pd.DataFrame({"t": [1, 1, 0, 0, 0], "x": [1.0, 2.0, 1.5, 2.5, 9.0], "g": list("ababa")})
    m = mt.match_pairs(d, "t", covariates=["x", "g"], distance="euclidean")
    ax = m.love_plot()
    assert len(ax.get_yticklabels()) == 3
    assert "Matched pairs" in repr(m)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(group="grp"), "binary"),
        (dict(group="nope"), "group must name"),
        (dict(covariates=["age", "zzz"]), "unknown column"),
        (dict(covariates=["age_na"]), "missing value"),
        (dict(exact=["sex_na"]), "missing value"),
        (dict(caliper=0), "caliper must be > 0"),
        (dict(caliper=-1.0), "caliper must be > 0"),
        (dict(caliper={"age": 0}), "caliper\\['age'\\] must be a positive"),
        (dict(caliper={"zzz": 1}), "unknown column"),
        (dict(caliper="wide"), "caliper must be None"),
        (dict(exact=["cp"]), "only one group"),
        (dict(distance="cosine"), "distance must be one of"),
        (dict(method="fast"), "method must be one of"),
        (dict(order="largest", distance="mahalanobis", method="greedy"), "order='largest'"),
        (dict(treated="maybe"), "treated must be one of"),
    ],
)
def test_bad_input_raises_value_error_naming_the_argument(kwargs, match):
    d = pd.DataFrame(
        {
            "trt": ["SRS", "SRS", "RT", "RT", "RT"],
            "grp": ["a", "b", "c", "a", "b"],
            "age": [50, 60, 55, 61, 70],
            "age_na": [50, np.nan, 55, 61, 70],
            "sex": list("mfmfm"),
            "sex_na": ["m", None, "m", "f", "m"],
            "cp": ["A", "A", "A", "C", "A"],
        }
    )
    args = dict(data=d, group="trt", covariates=["age"], treated="SRS")
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        mt.match_pairs(**args)


def test_treatment_needs_treated_level_for_labels():
    d = pd.DataFrame({"trt": ["SRS", "RT", "RT"], "age": [1, 2, 3]})
    with pytest.raises(ValueError, match="treated="):
        mt.match_pairs(d, "trt", covariates=["age"])
    m = mt.match_pairs(d, "trt", covariates=["age"], treated="SRS", distance="euclidean")
    assert m.pairs.control.tolist() == [1]


def test_duplicated_labels_rejected():
    d = pd.DataFrame({"t": [1, 0], "x": [1.0, 2.0]}, index=[0, 0])
    with pytest.raises(ValueError, match="duplicated row labels"):
        mt.match_pairs(d, "t", covariates=["x"])


# issue 22 item 6: units must not change the pairs. MatchIt's printed balance (above) after
# matching on shifted and scaled covariates: the propensity score and the Mahalanobis
# distance do not depend on the units, so the same pairs and the same printed balance follow.
def _shifted_scaled(lalonde):
    d = lalonde.copy()
    d["age"] = d["age"] + 1e8
    d["re74"] = d["re74"] * 1e200
    d["re75"] = d["re75"] * 1e-200
    d["educ"] = d["educ"] * 1e6 - 5e9
    return d


def test_matchit_pairs_on_shifted_and_scaled_covariates(lalonde):
    kw = dict(covariates=COVS, distance="propensity", method="greedy", order="largest")
    raw = mt.match_pairs(lalonde, "treat", **kw)
    moved = mt.match_pairs(_shifted_scaled(lalonde), "treat", **kw)
    assert moved.pairs[["treated", "control"]].equals(raw.pairs[["treated", "control"]])
    b = moved.balance()
    _check(
        b.loc[["distance", "raceblack", "married", "nodegree"]],
        {k: MATCHIT_AFTER[k] for k in ("distance", "raceblack", "married", "nodegree")},
        "after",
    )


@pytest.mark.parametrize("method", ["greedy", "optimal"])
def test_mahalanobis_pairs_do_not_depend_on_units(lalonde, method):
    covs = ["age", "educ", "re74", "re75"]
    sub = lalonde.iloc[::3]
    raw = mt.match_pairs(sub, "treat", covariates=covs, distance="mahalanobis", method=method)
    moved = mt.match_pairs(
        _shifted_scaled(sub), "treat", covariates=covs, distance="mahalanobis", method=method
    )
    assert moved.pairs[["treated", "control"]].equals(raw.pairs[["treated", "control"]])
    assert np.allclose(moved.pairs.distance, raw.pairs.distance, rtol=1e-8)
    # an independent distance: scipy's on the raw data with the pooled covariance
    from scipy.spatial.distance import cdist

    X = sub[covs].to_numpy(float)
    t = sub.treat.to_numpy() == 1
    S = (
        (t.sum() - 1) * np.cov(X[t], rowvar=False) + ((~t).sum() - 1) * np.cov(X[~t], rowvar=False)
    ) / (len(X) - 2)
    ref = cdist(
        sub.loc[raw.pairs.treated, covs].to_numpy(float),
        sub.loc[raw.pairs.control, covs].to_numpy(float),
        "mahalanobis",
        VI=np.linalg.inv(S),
    ).diagonal()
    assert np.allclose(raw.pairs.distance, ref, rtol=1e-8)


def test_euclidean_pairs_survive_a_common_offset_and_factor(lalonde):
    covs = ["age", "educ"]
    sub = lalonde.iloc[::2]
    raw = mt.match_pairs(sub, "treat", covariates=covs, distance="euclidean", method="greedy")
    for f in (lambda x: x + 1e8, lambda x: x * 1e200, lambda x: x * 1e-200):
        d = sub.copy()
        d[covs] = f(d[covs].astype(float))
        m = mt.match_pairs(d, "treat", covariates=covs, distance="euclidean", method="greedy")
        assert m.pairs[["treated", "control"]].equals(raw.pairs[["treated", "control"]])


@pytest.mark.parametrize("col", ["age", "re74"])
def test_infinite_covariate_is_a_value_error_naming_it(lalonde, col):
    d = lalonde.copy()
    d[col] = d[col].astype(float)
    d.loc[d.index[3], col] = np.inf
    with pytest.raises(ValueError, match=f"'{col}' has 1 infinite"):
        mt.match_pairs(d, "treat", covariates=COVS, distance="mahalanobis")
