"""Calibrated synthetic cohorts rebuilt from published tables.

The papers publish tables, not patients. This module rebuilds, for each paper, a patient-level
cohort that reproduces the published numbers it was built from exactly (margins, cross-tabs,
medians, ranges, dichotomies) or within a stated tolerance (survival curve, hazard ratios), so
that the book can re-run every analysis. Numbers a cohort was built to match are labelled
``by construction``; numbers that come out of the analysis are ``emergent``.

One engine, one declarative spec per paper (``data/cohort_specs/<paper>.yaml``). The build:

1. **Joint table** (``joint``): the variables that share published cross-tabs (paper A: the
   Table 2 factors x pain response CR/PR/SP/PP) form one grid. Every published cell (a factor
   level x a group of outcome levels) is a linear constraint. Iterative proportional fitting
   (Deming & Stephan 1940) from a seed (uniform, times published associations) gives a real
   table; :func:`scipy.optimize.milp` (HiGHS) turns it into integers hitting every cell exactly
   while minimising sum |x - x_IPF|. Cells are expanded to rows and shuffled.
2. **Categorical margins** (``categorical``): exact counts assigned to shuffled rows; ``within``
   refines a joint variable (e.g. 3D-CRT/IMRT split of "3D-CRT or IMRT").
3. **Continuous variables** (``continuous``): a sorted sample pinned at the published min, max,
   median and dichotomy counts (see :func:`spinemets._cohort_fit.pinned_sample`), shuffled.
4. **Dose** (``dose``): real fractionation schedules with counts per BED group; BED10 from the
   schedule.
5. **Survival** (``survival``): Cox model with the published coefficients, piecewise-exponential
   baseline with knots at the published median, 12 and 24 months, times by the inversion method
   (Bender, Augustin & Blettner 2005) from stratified uniforms; a fixed number of patients
   censored (lost to follow-up); the baseline is recalibrated until the cohort's Kaplan-Meier
   curve hits the targets, and the coefficients are moved toward the published log HRs a few
   times (HRs are non-collapsible, so the data-generating beta is not the fitted one).
6. **Report**: a data dictionary and a calibration report (target, achieved, tolerance, label),
   the published contradictions and which number won (``conflicts``), and emergent checks.

Everything is driven by ``seed`` in the spec, so two builds give byte-identical files.

How to add a paper
------------------
Write ``data/cohort_specs/<key>.yaml`` with the sections of ``choi2015.yaml``; every section is
optional except ``paper``, ``n``, ``seed``, ``id`` and ``schema``:

- ``joint.variables`` {name: [levels]}, ``joint.groupings`` {name: {var, groups}},
  ``joint.tables`` [{source, rows, cols (a grouping name, optional), counts}],
  ``joint.seed_association`` [{vars: {var: level}, factor}];
- ``categorical`` [{name, counts, source, type, within, nest}];
- ``continuous`` [{name, min, max, median, cuts: [{le, count}], decimals, scale, priority, source}];
- ``dose`` {group_column, alpha_beta, schedules: {group: [{dose, fx, n}]}, associate_with};
- ``categorical`` entries may give counts per group instead: ``by: column`` and
  ``counts: {level: {group: count}}`` (paper B's Table 1 by arm);
- ``dose`` may group by several columns (``group_column: [a, b]``, keys ``"x & y"``) and name its
  ``bed_column`` / ``eqd2_column``; ``checks`` report subgroup mean/SD/median/range;
- ``cluster`` {column, format, within, sizes, categorical, continuous}: rows nested in patients
  (paper D's lesions, paper C's operations), patient-level variables broadcast to their rows;
- ``survival`` {covariates, targets, censoring, ...}: targets ``median`` and/or ``s<t>`` at any
  time; ``strata`` (one baseline per group), ``cluster`` / ``frailty_variance``, administrative
  censoring, and ``competing`` (e.g. death, which ends the observation of local progression);
  see :func:`simulate_survival`;
- ``note`` (free text printed at the top of the report, e.g. for a teaching scenario);
- ``label`` on a categorical or continuous entry overrides its report label (default
  ``by construction``; e.g. ``assumption (no published value)`` for a teaching scenario);
- ``schema`` {n_rows, columns: {name: {type, min, max, levels, unique, missing}}};
- ``conflicts`` and ``checks`` (free text and emergent numbers to report).

Rows nested in patients use the ``cluster`` section (park2016); anything more special (sohn2016) needs a post-step: write a
function ``f(df, spec, rng) -> df`` (e.g. in ``spinemets/_cohort_<paper>.py``) and name it in the
spec as ``poststep: "spinemets._cohort_sohn2016:arm_continuous"``; it runs after the survival
draw and before the id column and the schema check. Alternatively generate the pool with this
engine and match in the chapter. Then run ``python -m spinemets.cohorts build --paper <key>`` and commit the
``.csv`` and ``.md``.

References
----------
Deming WE, Stephan FF. Ann Math Stat 1940;11:427-444.
Bender R, Augustin T, Blettner M. Generating survival times to simulate Cox proportional hazards
models. Stat Med 2005;24:1713-1723.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from scipy import optimize

from . import _cohort_fit as fit
from .paths import COHORTS_DIR, DATA_DIR

SPECS_DIR = DATA_DIR / "cohort_specs"

__all__ = ["SPECS_DIR", "available", "load_spec", "build", "write", "load", "validate", "main",
           "km", "simulate_survival", "replicates", "joint_table", "calibration_table", "search_seeds", "seed_loss"]


# --------------------------------------------------------------------------- spec

def available() -> list[str]:
    """Paper keys with a cohort spec."""
    return sorted(p.stem for p in SPECS_DIR.glob("*.yaml"))


def load_spec(paper: str) -> dict:
    """Read ``data/cohort_specs/<paper>.yaml``."""
    path = SPECS_DIR / f"{paper}.yaml"
    if not path.exists():
        raise ValueError(f"paper={paper!r}: no cohort spec; available: {available()}")
    with open(path, encoding="utf-8") as fh:
        spec = yaml.safe_load(fh)
    for key in ("paper", "n", "seed", "id", "schema"):
        if key not in spec:
            raise ValueError(f"cohort spec {path.name}: missing section {key!r}")
    return spec


def _bed(total_dose, fractions, alpha_beta):
    # spinemets.radiobiology.bed when present; the fallback formula keeps the engine standalone.
    try:
        from .radiobiology import bed
        return np.asarray(bed(total_dose, fractions, alpha_beta), dtype=float)
    except ImportError:
        d = np.asarray(total_dose, float) / np.asarray(fractions, float)
        return np.asarray(total_dose, float) * (1 + d / alpha_beta)


# --------------------------------------------------------------------------- joint

def _key(v):
    return str(v)


def joint_table(spec: dict) -> tuple[pd.DataFrame, dict]:
    """IPF + MILP joint table of the ``joint`` section: a DataFrame of cells with ``ipf`` and ``count``."""
    js = spec["joint"]
    levels = {k: [_key(v) for v in vs] for k, vs in js["variables"].items()}
    names, cells = fit.grid(levels)
    cells_arr = {k: np.array([c[i] for c in cells]) for i, k in enumerate(names)}
    m = len(cells)
    seed = np.ones(m)
    for assoc in js.get("seed_association", []):
        mask = np.ones(m, bool)
        for var, lev in assoc["vars"].items():
            mask &= cells_arr[var] == _key(lev)
        seed[mask] *= float(assoc["factor"])
    families, flat = [], []
    for t in js["tables"]:
        rows = t["rows"]
        if rows not in levels:
            raise ValueError(f"joint table {t}: rows={rows!r} is not a joint variable")
        fam = []
        if t.get("cols"):
            g = js["groupings"][t["cols"]]
            for r, cnts in t["counts"].items():
                if len(cnts) != len(g["groups"]):
                    raise ValueError(f"joint table {rows} x {t['cols']}: row {r} needs {len(g['groups'])} counts")
                for (gname, glev), cnt in zip(g["groups"].items(), cnts):
                    mask = (cells_arr[rows] == _key(r)) & np.isin(cells_arr[g["var"]], [_key(x) for x in glev])
                    fam.append(fit.Constraint(mask, int(cnt), t["source"], f"{rows}={r} & {t['cols']}={gname}"))
        else:
            for r, cnt in t["counts"].items():
                fam.append(fit.Constraint(cells_arr[rows] == _key(r), int(cnt), t["source"], f"{rows}={r}"))
        if sum(c.count for c in fam) != spec["n"]:
            raise ValueError(f"joint table {rows} x {t.get('cols')} ({t['source']}) sums to "
                             f"{sum(c.count for c in fam)}, not n={spec['n']}")
        families.append(fam)
        flat.extend(fam)
    x_ipf = fit.ipf(seed, families)
    x_int = fit.integerise(x_ipf, flat, zero=seed == 0)   # seed weight 0 = impossible combination
    df = pd.DataFrame(cells, columns=names)
    df["ipf"] = x_ipf
    df["count"] = x_int
    return df, {"constraints": flat}


# --------------------------------------------------------------------------- survival

def km(time, event, at=(12.0, 24.0)) -> dict:
    """Kaplan-Meier median (first time S <= 0.5) and S at given times (small numpy version)."""
    t = np.asarray(time, float)
    e = np.asarray(event, int)
    ut = np.unique(t[e == 1])
    n_risk = np.array([(t >= u).sum() for u in ut])
    d = np.array([((t == u) & (e == 1)).sum() for u in ut])
    s = np.cumprod(1 - d / n_risk)
    below = np.nonzero(s <= 0.5)[0]
    med = float(ut[below[0]]) if below.size else float("nan")
    out = {"median": med}
    for a in at:
        idx = np.searchsorted(ut, a, side="right") - 1
        out[f"s{int(a)}"] = float(s[idx]) if idx >= 0 else 1.0
    return out


def _pe_cumhaz(t, knots, rates):
    """Cumulative hazard of a piecewise-exponential baseline (knots start at 0)."""
    t = np.asarray(t, float)
    h = np.zeros_like(t)
    for k in range(len(rates)):
        lo = knots[k]
        hi = knots[k + 1] if k + 1 < len(knots) else np.inf
        h += rates[k] * np.clip(np.minimum(t, hi) - lo, 0, None)
    return h


def _pe_inverse(hval, knots, rates):
    """Inverse of :func:`_pe_cumhaz` (closed form, piece by piece)."""
    hval = np.asarray(hval, float)
    t = np.empty_like(hval)
    cum = 0.0
    bounds = []
    for k in range(len(rates)):
        width = (knots[k + 1] - knots[k]) if k + 1 < len(knots) else np.inf
        bounds.append((cum, cum + rates[k] * width))
        cum += rates[k] * width if np.isfinite(width) else 0
    for k, (lo, hi) in enumerate(bounds):
        sel = (hval >= lo) & (hval < hi) if np.isfinite(hi) else hval >= lo
        t[sel] = knots[k] + (hval[sel] - lo) / rates[k]
    return t


def _solve_baseline(lp, knot_times, levels):
    """Rates such that the population-averaged S(knot) equals each target level, knot by knot."""
    knots = [0.0] + list(knot_times)
    rates = []
    for j, (tk, target) in enumerate(zip(knot_times, levels)):
        def f(r):
            h = _pe_cumhaz(tk, knots[: j + 2], rates + [r])
            return np.mean(np.exp(-h * np.exp(lp))) - target
        lo, hi = f(1e-8), f(50.0)
        if lo <= 0:      # the target is at or above what a zero hazard reaches: flat piece
            rates.append(1e-8)
        elif hi >= 0:    # the target is below what the largest hazard reaches: steepest piece
            rates.append(50.0)
        else:
            rates.append(optimize.brentq(f, 1e-8, 50.0, xtol=1e-12))
    rates.append(rates[-1])  # tail beyond the last knot
    return knots, rates


def _knots(tg: dict) -> list[tuple[float, float, str]]:
    """(time, survival level, key) of the survival targets, sorted by time.

    ``median`` is the knot (median, 0.5); ``s<t>`` (``s12``, ``s365``) is survival at time t in the
    cohort's time unit. Other keys (``events``) are checks, not knots.
    """
    out = []
    for key, t in tg.items():
        if key == "median":
            out.append((float(t["value"]), 0.5, key))
        elif key[0] == "s" and key[1:].replace(".", "", 1).isdigit():
            out.append((float(key[1:]), float(t["value"]), key))
    if not out:
        raise ValueError(f"survival targets {sorted(tg)}: need 'median' or 's<time>' keys")
    return sorted(out)


def km_at(time, event, times) -> np.ndarray:
    """Kaplan-Meier survival at ``times`` (right-continuous step function)."""
    t = np.asarray(time, float)
    e = np.asarray(event, int)
    ut = np.unique(t[e == 1])
    if ut.size == 0:
        return np.ones(len(times))
    n_risk = (t[None, :] >= ut[:, None]).sum(axis=1)
    d = ((t[None, :] == ut[:, None]) & (e[None, :] == 1)).sum(axis=1)
    s = np.cumprod(1 - d / n_risk)
    idx = np.searchsorted(ut, np.asarray(times, float), side="right") - 1
    return np.where(idx >= 0, s[np.clip(idx, 0, None)], 1.0)


def _strata(df, sv):
    """Stratum label per row ('all' without strata) and the targets of each stratum."""
    if sv.get("strata"):
        lab = df[sv["strata"]].astype(str).to_numpy()
        tg = {str(k): v for k, v in sv["targets"].items()}
        missing = sorted(set(lab) - set(tg))
        if missing:
            raise ValueError(f"survival strata {sv['strata']!r}: no targets for level(s) {missing}")
        return lab, tg
    return np.full(len(df), "all", dtype=object), {"all": sv["targets"]}


def simulate_survival(df: pd.DataFrame, sv: dict, rng: np.random.Generator,
                      end_of_followup: np.ndarray | None = None) -> tuple[pd.DataFrame, dict]:
    """Draw event times and censoring; calibrate the baseline (and beta). Returns (df, calibration).

    Generic features, all optional in the spec's ``survival`` section:

    - ``targets``: ``median`` and/or ``s<t>`` (survival at time t); with ``strata: column`` the
      targets are given per level and each stratum gets its own baseline;
    - ``covariates`` with published coefficients (``beta``); ``beta_iterations`` (0 keeps them);
    - ``cluster: column``: rows of one cluster (patient) share their uniform, hence their time when
      their covariates agree (a patient's death); with ``frailty_variance`` > 0 they share a gamma
      frailty (mean 1) instead and keep their own uniforms (lesions of one patient progress
      together more often than lesions of different patients); administrative censoring is
      drawn per cluster;
    - ``censoring``: ``n_censored`` random rows lost to follow-up (times shrunk), and/or
      ``administrative: {min_time, max_time}`` (uniform entry: one censoring time per cluster);
    - ``competing``: a second ``survival`` section (e.g. death) drawn first; the primary event is
      observed only before the competing event or censoring ends follow-up;
    - ``damping`` (default 1) and ``calibration: best`` (default ``last``) for small strata.
    """
    if sv.get("competing"):
        df, comp_calib = simulate_survival(df, sv["competing"], rng)
        cs = sv["competing"]
        end_of_followup = df[cs["time"]].to_numpy(float)   # death or censoring ends follow-up
    else:
        comp_calib = None
    names = list(sv.get("covariates", {}))
    n = len(df)
    x = np.column_stack([_covariate(df, sv["covariates"][k]) for k in names]) if names else np.zeros((n, 0))
    beta_target = np.array([float(sv["covariates"][k]["beta"]) for k in names])
    lab, tgs = _strata(df, sv)
    strata = {s: (np.nonzero(lab == s)[0], _knots(tgs[s])) for s in tgs if (lab == s).any()}
    frail = float(sv.get("frailty_variance", 0)) > 0
    if sv.get("cluster"):
        codes, uniq = pd.factorize(df[sv["cluster"]].astype(str), sort=True)
        m = len(uniq)
    else:
        codes, m = np.arange(n), n
    # stratified uniforms (LHS): one per cluster (rows share the draw, e.g. a patient's death), or
    # one per row when the cluster enters through a shared frailty instead (lesions of a patient)
    mu = n if frail else m
    u = (rng.permutation(mu) + rng.uniform(size=mu)) / mu
    u = u if frail else u[codes]
    cens = sv.get("censoring", {})
    n_c = int(cens.get("n_censored", 0))
    cens_idx = rng.choice(n, size=n_c, replace=False)
    cens_frac = rng.uniform(0.3, 0.95, size=n_c)
    logz = np.zeros(n)
    if frail:                                                    # gamma frailty, mean 1
        th = float(sv["frailty_variance"])
        logz = np.log(rng.gamma(1 / th, th, size=m))[codes]
    admin = None
    if "administrative" in cens:
        a = cens["administrative"]
        admin = rng.uniform(float(a["min_time"]), float(a["max_time"]), size=m)[codes]
    dec = int(sv.get("decimals", 1))

    def draw(beta, levels):
        lp = x @ beta + logz
        t = np.empty(n)
        for s, (idx, kn) in strata.items():
            knots, rates = _solve_baseline(lp[idx], [k[0] for k in kn], levels[s])
            t[idx] = _pe_inverse(-np.log(u[idx]) * np.exp(-lp[idx]), knots, rates)
        e = np.ones(n, int)
        t_obs = t.copy()
        t_obs[cens_idx] = t[cens_idx] * cens_frac
        e[cens_idx] = 0
        if admin is not None:
            e[t_obs > admin] = 0
            t_obs = np.minimum(t_obs, admin)
        if end_of_followup is not None:
            e[t_obs > end_of_followup] = 0
            t_obs = np.minimum(t_obs, end_of_followup)
        t_obs = np.round(np.clip(t_obs, max(cens.get("min_time", 0.0), 10.0 ** -dec), None), dec)
        if "max_time" in cens:  # the longest observed time is the published maximum
            t_obs = np.minimum(t_obs, cens["max_time"])
            t_obs[np.argmax(t_obs)] = cens["max_time"]
        if end_of_followup is not None:  # rounding must not push an event past the end of follow-up
            t_obs = np.minimum(t_obs, end_of_followup)
        return t_obs, e

    goal = {s: np.array([k[1] for k in kn]) for s, (idx, kn) in strata.items()}

    damping = float(sv.get("damping", 1.0))
    keep_best = sv.get("calibration", "last") == "best"

    def calibrate(beta):
        # Multiplicative update on the log scale: level <- level * (log goal / log achieved).
        # Small strata (a few lesions) make the KM jumpy: ``damping`` < 1 shrinks the step and
        # ``calibration: best`` keeps the draw closest to the targets instead of the last one.
        levels = {s: g.copy() for s, g in goal.items()}
        best, best_loss = None, np.inf
        for _ in range(int(sv.get("baseline_iterations", 8))):
            t_obs, e = draw(beta, levels)
            loss = 0.0
            for s, (idx, kn) in strata.items():
                got = km_at(t_obs[idx], e[idx], [k[0] for k in kn])
                loss += float(np.sum((got - goal[s]) ** 2))
                got = np.clip(got, 1e-3, 1 - 1e-3)
                ratio = (np.log(goal[s]) / np.log(got)) ** damping
                lv = np.clip(np.exp(np.log(levels[s]) * ratio), 1e-4, 1 - 1e-4)
                levels[s] = np.minimum.accumulate(lv)
            if loss < best_loss:
                best, best_loss = (t_obs, e), loss
        last = draw(beta, levels)
        if keep_best:
            got_last = sum(float(np.sum((km_at(last[0][idx], last[1][idx], [k[0] for k in kn]) - goal[s]) ** 2))
                           for s, (idx, kn) in strata.items())
            return last if got_last <= best_loss else best
        return last

    beta = beta_target.copy()
    n_iter = int(sv.get("beta_iterations", 5)) if names else 0
    strata_arg = lab if sv.get("strata") else None
    est = beta_target.copy()
    for it in range(n_iter + 1):
        t_obs, e = calibrate(beta)
        if names:
            est = _cox(t_obs, e, x, sv.get("ties", "breslow"), strata_arg)
        if it < n_iter:
            beta = beta + (beta_target - est)
    df = df.copy()
    df[sv["time"]] = t_obs
    df[sv["event"]] = e
    calib = {"names": names, "beta_target": beta_target, "beta_generating": beta, "beta_fitted": est,
             "competing": comp_calib}
    return df, calib


def _covariate(df, c):
    col = df[c["column"]].astype(str)
    if "levels" in c:
        return col.isin([str(v) for v in c["levels"]]).to_numpy(float)
    return col.map({str(k): float(v) for k, v in c["map"].items()}).to_numpy(float)


def _cox(t, e, x, ties, strata=None):
    """Cox coefficients (statsmodels PHReg). A group without events makes the likelihood
    monotone (the estimate runs off to infinity): the caller reports it as not estimable."""
    import warnings
    from statsmodels.duration.hazard_regression import PHReg
    from statsmodels.tools.sm_exceptions import ConvergenceWarning
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        params = np.asarray(PHReg(t, x, status=e, ties=ties, strata=strata).fit(disp=False).params)
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        return np.full(x.shape[1], np.nan)
    return params


# --------------------------------------------------------------------------- build

_JOINT_CACHE: dict[str, pd.DataFrame] = {}


def _joint_cached(spec: dict) -> pd.DataFrame:
    key = yaml.safe_dump(spec["joint"], sort_keys=True)
    if key not in _JOINT_CACHE:  # the MILP does not depend on the seed: solve once per spec
        _JOINT_CACHE[key] = joint_table(spec)[0]
    return _JOINT_CACHE[key].copy()


def build(paper: str, seed: int | None = None) -> tuple[pd.DataFrame, str]:
    """Build the cohort of ``paper`` from its spec. Returns (DataFrame, markdown report).

    ``seed`` overrides the spec's seed (replicate cohorts); the committed files use the spec's.
    """
    spec = load_spec(paper)
    if seed is not None:
        spec["seed"] = int(seed)
    df, full, calib = _build_frames(spec)
    return df, _report(spec, full, calib, {})


def seed_loss(spec: dict, df: pd.DataFrame, calib: dict | None) -> float:
    """Weighted squared distance to the survival targets: sum of ((achieved - target) / tol)^2 over
    the KM targets (every stratum, and the competing event), checks given a ``weight``, and the
    Cox coefficients when they are calibrated."""
    if "survival" not in spec:
        return 0.0
    loss = 0.0
    for r in _survival_rows(spec, df, None):
        w = r["_weight"]
        if w:   # a count with tolerance 0 is scaled by 1
            tol = r["tolerance"]
            scale = float(tol) if isinstance(tol, (int, float)) and tol > 0 else 1.0
            if np.isfinite(float(r["achieved"])):
                loss += w * ((float(r["achieved"]) - float(r["target"])) / scale) ** 2
            else:
                loss += w * 100.0
    sv = spec["survival"]
    if calib is not None and calib.get("names") and int(sv.get("beta_iterations", 5)) > 0:
        loss += float(np.sum(((calib["beta_fitted"] - calib["beta_target"]) / sv["hr_tolerance"]) ** 2))
    return float(loss)


def search_seeds(paper: str, seeds) -> pd.DataFrame:
    """Build ``paper`` under each seed and rank the seeds by :func:`seed_loss` (smallest first).

    The search is run once by hand; the chosen seed is written into the spec (``seed``) with the
    searched range (``seed_search``), so that the build itself stays deterministic and fast.
    """
    spec0 = load_spec(paper)
    rows = []
    for sd in seeds:
        spec = dict(spec0, seed=int(sd))
        df, full, calib = _build_frames(spec)
        k = {}
        if "survival" in spec:
            sv = spec["survival"]
            at = () if sv.get("strata") else tuple(t for t, _, key in _knots(sv["targets"]) if key != "median")
            k = km(df[sv["time"]], df[sv["event"]], at=at)
        rows.append({"seed": int(sd), "loss": seed_loss(spec, df, calib), **k})
    return pd.DataFrame(rows).sort_values(["loss", "seed"]).reset_index(drop=True)


def _build_frames(spec: dict):
    n = int(spec["n"])
    rng = np.random.default_rng(int(spec["seed"]))

    # 1. joint table -> rows
    if "joint" in spec:
        cells = _joint_cached(spec)
        names = [c for c in cells.columns if c not in ("ipf", "count")]
        df = cells.loc[cells.index.repeat(cells["count"]), names].reset_index(drop=True)
        df = df.iloc[rng.permutation(n)].reset_index(drop=True)
    else:
        df = pd.DataFrame(index=range(n))

    # 2. categorical margins
    for c in spec.get("categorical", []):
        df[c["name"]] = _assign_categorical(df, c, n, rng)

    # 3. continuous
    for c in spec.get("continuous", []):
        vals = fit.pinned_sample(rng, n, vmin=c["min"], vmax=c["max"], median=c["median"],
                                 cuts=c.get("cuts", []), decimals=int(c.get("decimals", 1)),
                                 scale=c.get("scale", "linear"), priority=c.get("priority", "median"))
        df[c["name"]] = vals[rng.permutation(n)]

    # 4. dose
    if "dose" in spec:
        _assign_dose(df, spec["dose"], rng)

    # 4b. clusters (lesions or operations nested in patients)
    if "cluster" in spec:
        df = _assign_clusters(df, spec["cluster"], rng)

    # 5. survival
    calib = None
    if "survival" in spec:
        df, calib = simulate_survival(df, spec["survival"], rng)

    if "poststep" in spec:  # paper-specific structure (lesions in patients, matched pairs)
        import importlib
        mod, func = spec["poststep"].split(":")
        df = getattr(importlib.import_module(mod), func)(df, spec, rng)

    # id and column order
    idc = spec["id"]["column"]
    if idc not in df:
        df.insert(0, idc, [spec["id"]["format"].format(i + 1) for i in range(len(df))])
    full = df
    cols = list(spec["schema"]["columns"])
    df = _coerce(df[cols], spec["schema"])
    validate(df, spec)
    return df, full, calib


def _assign_categorical(df, c, n, rng):
    if "by" in c:   # counts per level of another column: {level: {group: count}}
        grp = df[c["by"]].astype(str).to_numpy()
        out = np.empty(n, dtype=object)
        groups = {_key(g) for x in c["counts"].values() for g in x}
        if set(np.unique(grp)) - groups:
            raise ValueError(f"categorical {c['name']}: no counts for {c['by']}={sorted(set(np.unique(grp)) - groups)}")
        for g in sorted(groups):
            idx = np.nonzero(grp == g)[0]
            cnt = {_key(k): int(x.get(g, x.get(_key(g), 0))) for k, x in c["counts"].items()}
            if sum(cnt.values()) != len(idx):
                raise ValueError(f"categorical {c['name']}: counts for {c['by']}={g} sum to {sum(cnt.values())}, "
                                 f"the cohort has {len(idx)}")
            vals = np.repeat(list(cnt), list(cnt.values()))
            out[idx] = vals[rng.permutation(len(idx))]
        return out
    counts = {_key(k): int(v) for k, v in c["counts"].items()}
    if sum(counts.values()) != n:
        raise ValueError(f"categorical {c['name']}: counts sum to {sum(counts.values())}, not n={n}")
    out = np.empty(n, dtype=object)
    if "within" in c:
        parent = df[c["within"]].astype(str).to_numpy()
        nest = {_key(k): _key(v) for k, v in c["nest"].items()}
        for plev in pd.unique(parent):
            idx = np.nonzero(parent == plev)[0]
            kids = [k for k in counts if nest[k] == plev]
            vals = np.repeat(kids, [counts[k] for k in kids])
            if len(vals) != len(idx):
                raise ValueError(f"categorical {c['name']}: levels nested in {c['within']}={plev} "
                                 f"count {len(vals)}, the joint table has {len(idx)}")
            out[idx] = vals[rng.permutation(len(idx))]
        return out
    vals = np.repeat(list(counts), list(counts.values()))
    return vals[rng.permutation(n)]


def _dose_groups(df, d):
    """Group label per row: one column, or several joined by ' & ' (e.g. 'SBRT & >=51.4')."""
    cols = d["group_column"] if isinstance(d["group_column"], list) else [d["group_column"]]
    out = df[cols[0]].astype(str).to_numpy().astype(object)
    for c in cols[1:]:
        out = out + " & " + df[c].astype(str).to_numpy().astype(object)
    return out


def _assign_dose(df, d, rng):
    n = len(df)
    dose = np.zeros(n)
    fx = np.zeros(n, int)
    grp = _dose_groups(df, d)
    assoc = d.get("associate_with")
    for g, schedules in d["schedules"].items():
        idx = np.nonzero(grp == _key(g))[0]
        sch = sorted(schedules, key=lambda s: float(_bed(s["dose"], s["fx"], d["alpha_beta"])))
        vals_d = np.repeat([s["dose"] for s in sch], [s["n"] for s in sch])
        vals_f = np.repeat([s["fx"] for s in sch], [s["n"] for s in sch])
        if len(vals_d) != len(idx):
            raise ValueError(f"dose: schedules of group {g} count {len(vals_d)}, the cohort has {len(idx)}")
        score = rng.uniform(size=len(idx))
        if assoc:
            score = score + float(assoc["strength"]) * (df[assoc["column"]].astype(str).to_numpy()[idx] == assoc["level"])
        order = idx[np.argsort(score, kind="stable")]
        dose[order] = vals_d
        fx[order] = vals_f
    unassigned = sorted(set(grp) - {_key(g) for g in d["schedules"]})
    if unassigned:
        raise ValueError(f"dose: no schedules for group(s) {unassigned}")
    df["total_dose_gy"] = dose
    df["fractions"] = fx
    df[d.get("bed_column", "bed10")] = np.round(_bed(dose, fx, d["alpha_beta"]), 2)
    if d.get("eqd2_column"):   # EQD2 (paper B's nBED) = BED / (1 + 2 / (alpha/beta))
        df[d["eqd2_column"]] = np.round(_bed(dose, fx, d["alpha_beta"]) / (1 + 2.0 / d["alpha_beta"]), 2)


def _assign_clusters(df, c, rng):
    """Nest rows (lesions, operations) in clusters (patients), within the levels of ``c['within']``.

    ``sizes``: {within level: {rows per cluster: number of clusters}}. Rows of a cluster share the
    ``within`` level (a patient-level variable such as the treatment arm). Patient-level
    ``categorical`` ({name, counts: {level: {within level: count}}}) and ``continuous``
    (pinned sample over clusters) variables are drawn per cluster and broadcast to its rows.
    Rows are then ordered by cluster.
    """
    n = len(df)
    within = df[c["within"]].astype(str).to_numpy() if c.get("within") else np.full(n, "all", dtype=object)
    sizes = c["sizes"] if c.get("within") else {"all": c["sizes"]}
    cl = np.empty(n, dtype=int)
    cl_level = []
    for lev, sz in sizes.items():
        idx = np.nonzero(within == _key(lev))[0]
        s = [int(k) for k, v in sz.items() for _ in range(int(v))]
        if sum(s) != len(idx):
            raise ValueError(f"cluster sizes for {c.get('within', '')}={lev} cover {sum(s)} rows, the cohort has {len(idx)}")
        s = [s[i] for i in rng.permutation(len(s))]
        pos = np.cumsum([0] + s)
        for j in range(len(s)):
            cl[idx[pos[j]:pos[j + 1]]] = len(cl_level)
            cl_level.append(_key(lev))
    if len(np.unique(within)) != len(sizes):
        raise ValueError(f"cluster sizes: levels {sorted(sizes)} do not cover {sorted(set(within))}")
    # number the clusters by their first row, then order rows by cluster
    first = {}
    for i, k in enumerate(cl):
        first.setdefault(k, len(first))
    cl = np.array([first[k] for k in cl])
    cl_level = [lv for _, lv in sorted((first[k], lv) for k, lv in enumerate(cl_level))]
    m = len(cl_level)
    df = df.copy()
    df.insert(0, c["column"], [c["format"].format(k + 1) for k in cl])
    for v in c.get("categorical", []):
        vals = np.empty(m, dtype=object)
        for lev in sizes:
            ids = np.nonzero(np.array(cl_level) == _key(lev))[0]
            if c.get("within"):
                cnt = {_key(k): int(x[lev] if lev in x else x[_key(lev)]) for k, x in v["counts"].items()}
            else:
                cnt = {_key(k): int(x) for k, x in v["counts"].items()}
            if sum(cnt.values()) != len(ids):
                raise ValueError(f"cluster variable {v['name']}: counts for {lev} sum to {sum(cnt.values())}, "
                                 f"there are {len(ids)} clusters")
            arr = np.repeat(list(cnt), list(cnt.values()))
            vals[ids] = arr[rng.permutation(len(ids))]
        df[v["name"]] = vals[cl]
    for v in c.get("continuous", []):
        vals = fit.pinned_sample(rng, m, vmin=v["min"], vmax=v["max"], median=v["median"],
                                 cuts=v.get("cuts", []), decimals=int(v.get("decimals", 1)),
                                 scale=v.get("scale", "linear"), priority=v.get("priority", "median"))
        df[v["name"]] = vals[rng.permutation(m)][cl]
    return df.iloc[np.argsort(cl, kind="stable")].reset_index(drop=True)


def _coerce(df, schema):
    df = df.copy()
    for c, s in schema["columns"].items():
        if s["type"] == "int":
            df[c] = pd.to_numeric(df[c]).round().astype("int64")
        elif s["type"] == "float":
            df[c] = pd.to_numeric(df[c]).astype(float)
        else:
            df[c] = df[c].astype(str)
    return df


# --------------------------------------------------------------------------- validate / io

def validate(df: pd.DataFrame, spec: dict | str) -> pd.DataFrame:
    """Check a cohort against its schema; raise ValueError naming the column and the rule."""
    if isinstance(spec, str):
        spec = load_spec(spec)
    sch = spec["schema"]
    paper = spec["paper"]
    if "n_rows" in sch and len(df) != sch["n_rows"]:
        raise ValueError(f"cohort {paper}: {len(df)} rows, the schema requires {sch['n_rows']}")
    missing = [c for c in sch["columns"] if c not in df.columns]
    if missing:
        raise ValueError(f"cohort {paper}: missing column(s) {missing}")
    extra = [c for c in df.columns if c not in sch["columns"]]
    if extra:
        raise ValueError(f"cohort {paper}: unexpected column(s) {extra}")
    for c, s in sch["columns"].items():
        col = df[c]
        if col.isna().any() and not s.get("missing", False):
            raise ValueError(f"cohort {paper}: column {c!r} has {int(col.isna().sum())} missing value(s); none allowed")
        col = col.dropna()
        if s["type"] in ("int", "float"):
            num = pd.to_numeric(col, errors="coerce")
            if num.isna().any():
                raise ValueError(f"cohort {paper}: column {c!r} must be numeric; bad value {col[num.isna()].iloc[0]!r}")
            if s["type"] == "int" and (num != np.round(num)).any():
                raise ValueError(f"cohort {paper}: column {c!r} must hold integers")
            lo, hi = float(s.get("min", -np.inf)), float(s.get("max", np.inf))
            bad = (num < lo) | (num > hi)
            if bad.any():
                raise ValueError(f"cohort {paper}: column {c!r} value {num[bad].iloc[0]} outside [{lo}, {hi}]")
        else:
            if "levels" in s:
                allowed = [str(v) for v in s["levels"]]
                bad = ~col.astype(str).isin(allowed)
                if bad.any():
                    raise ValueError(f"cohort {paper}: column {c!r} has unknown category "
                                     f"{col[bad].iloc[0]!r}; allowed {allowed}")
        if s.get("unique") and col.duplicated().any():
            raise ValueError(f"cohort {paper}: column {c!r} must be unique; duplicate {col[col.duplicated()].iloc[0]!r}")
    return df


def to_csv_text(df: pd.DataFrame, spec: dict) -> str:
    """CSV with fixed formatting: ints as ints, floats with the decimals they carry (up to 4)."""
    out = df.copy()
    for c, s in spec["schema"]["columns"].items():
        if s["type"] == "float":
            out[c] = [f"{v:.4f}".rstrip("0").rstrip(".") if np.isfinite(v) else "" for v in out[c]]
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def replicates(paper: str, seeds) -> "list[pd.DataFrame]":
    """Replicate cohorts of ``paper``, one per seed (same spec, different draws)."""
    return [build(paper, seed=int(s))[0] for s in seeds]


def write(paper: str, out_dir: str | Path | None = None) -> tuple[Path, Path]:
    """Build ``paper`` and write ``<paper>.csv`` and ``<paper>.md`` into ``out_dir``."""
    out = Path(out_dir) if out_dir is not None else COHORTS_DIR
    out.mkdir(parents=True, exist_ok=True)
    df, md = build(paper)
    spec = load_spec(paper)
    csv_path, md_path = out / f"{paper}.csv", out / f"{paper}.md"
    csv_path.write_text(to_csv_text(df, spec), encoding="utf-8")
    md_path.write_text(md, encoding="utf-8")
    return csv_path, md_path


def load(paper: str, directory: str | Path | None = None) -> pd.DataFrame:
    """Read a committed cohort and validate it against its schema (ValueError if corrupted).

    Categorical columns come back as pandas ``Categorical`` with the schema's level order.
    """
    spec = load_spec(paper)
    path = Path(directory or COHORTS_DIR) / f"{paper}.csv"
    if not path.exists():
        raise ValueError(f"paper={paper!r}: {path} not found; run python -m spinemets.cohorts build --paper {paper}")
    cols = spec["schema"]["columns"]
    df = pd.read_csv(path, dtype={c: str for c, s in cols.items() if s["type"] in ("str", "category")},
                     keep_default_na=False, na_values=[""])
    validate(df, spec)
    for c, s in cols.items():
        if s["type"] == "category":
            df[c] = pd.Categorical(df[c], categories=[str(v) for v in s["levels"]])
    return df


# --------------------------------------------------------------------------- report

def _fmt(v, nd=3):
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, float) and np.isnan(v):
        return "NA"
    return f"{v:.{nd}f}".rstrip("0").rstrip(".") if isinstance(v, (float, np.floating)) else str(v)


def _survival_rows(spec: dict, df: pd.DataFrame, calib: dict | None, sv: dict | None = None) -> list[dict]:
    """Calibration rows of a ``survival`` section (and of its ``competing`` section)."""
    sv = sv if sv is not None else spec["survival"]
    rows = []

    def add(quantity, source, target, achieved, tol, label, weight=None):
        miss = (abs(float(achieved) - float(target)) > tol) if tol is not None else None
        rows.append({"quantity": quantity, "source": source, "target": target, "achieved": achieved,
                     "tolerance": tol, "label": label, "status": "" if miss is None else ("MISS" if miss else "ok"),
                     "_weight": weight})

    if sv.get("competing"):
        rows += _survival_rows(spec, df, (calib or {}).get("competing"), sv["competing"])
    name, unit = sv.get("name", "OS"), sv.get("unit", "months")
    t, e = df[sv["time"]].to_numpy(float), df[sv["event"]].to_numpy(int)
    lab, tgs = _strata(df, sv)

    def target_rows(sel, tg, suffix, label, weight):
        for time, level, key in _knots(tg):
            if key == "median":
                k = km(t[sel], e[sel], at=())
                add(f"{name} median (KM), {unit}{suffix}", tg[key]["source"], tg[key]["value"], k["median"],
                    tg[key]["tol"], label, tg[key].get("weight", weight))
            else:
                got = float(km_at(t[sel], e[sel], [time])[0])
                add(f"{name} at {_fmt(time)} {unit} (KM){suffix}", tg[key]["source"], tg[key]["value"], round(got, 4),
                    tg[key]["tol"], label, tg[key].get("weight", weight))

    for s, tg in tgs.items():
        sel = lab == s
        target_rows(sel, tg, f", {sv['strata']}={s}" if sv.get("strata") else "", "by construction", 1.0)
    cens = sv.get("censoring", {})
    if "n_censored" in cens and "administrative" not in cens:
        add("deaths" if name == "OS" else f"{name} events", cens["source"], len(df) - cens["n_censored"],
            int(e.sum()), 0, "by construction")
    if "min_time" in cens:
        add("shortest follow-up, months" if name == "OS" else f"{name}: shortest time, {unit}", cens["source"],
            cens["min_time"], float(t.min()), 0, "by construction")
    if "max_time" in cens:
        add("longest follow-up, months" if name == "OS" else f"{name}: longest time, {unit}", cens["source"],
            cens["max_time"], float(t.max()), 0, "by construction")
    if calib is not None and calib.get("names"):
        for cname, bt, bf in zip(calib["names"], calib["beta_target"], calib["beta_fitted"]):
            lab_hr = "by construction (calibrated)" if int(sv.get("beta_iterations", 5)) > 0 else "emergent (generating beta = published)"
            add(f"Cox HR {cname}" if name == "OS" else f"{name} Cox HR {cname}", sv["covariates"][cname]["source"],
                round(float(np.exp(bt)), 3), round(float(np.exp(bf)), 3), None, lab_hr)
            rows[-1]["tolerance"] = f"|log ratio| <= {sv['hr_tolerance']}"
            rows[-1]["status"] = "ok" if abs(bf - bt) <= sv["hr_tolerance"] else "MISS"
    ck = sv.get("checks", {})
    if "overall" in ck:   # unstratified KM targets that the strata do not force
        target_rows(np.ones(len(df), bool), ck["overall"], ", all", "emergent", None)
        for r in rows:
            if r["label"] == "emergent" and r["_weight"]:
                r["label"] = "by construction (seed search)"
    if "events" in ck:
        c = ck["events"]
        add(f"{name} events" if name != "OS" else "deaths", c["source"], c["value"], int(e.sum()), c.get("tol", 0),
            "by construction (seed search)" if c.get("weight") else "emergent", c.get("weight"))
    if "event_times" in ck:   # median and range of the times of observed events
        c = ck["event_times"]
        te = t[e == 1]
        for stat, fn in (("median", np.median), ("min", np.min), ("max", np.max)):
            if stat in c:
                add(f"{name}: {stat} time of the events, {unit}", c["source"], c[stat],
                    float(fn(te)) if te.size else float("nan"), c.get("tol", 1.0), "emergent", c.get("weight"))
    if "followup" in ck:      # median and range of all observed times
        c = ck["followup"]
        for stat, fn in (("median", np.median), ("min", np.min), ("max", np.max)):
            if stat in c:
                add(f"{name}: {stat} follow-up (all rows), {unit}", c["source"], c[stat], float(fn(t)),
                    c.get("tol", 1.0), "by construction (seed search)" if c.get("weight") else "emergent", c.get("weight"))
    for hname, c in ck.get("hr", {}).items():   # univariate Cox HR on the cohort (emergent)
        xcol = _covariate(df, c)[:, None]
        try:
            bf = float(_cox(t, e, xcol, sv.get("ties", "breslow"))[0])
        except Exception:   # no events in a group: the HR is not estimable
            bf = float("nan")
        add(f"{name} univariate HR {hname}", c["source"], c["value"], round(float(np.exp(bf)), 3),
            None, "emergent")
        rows[-1]["tolerance"] = f"|log ratio| <= {c.get('tol_log', 0.5)}"
        rows[-1]["status"] = "ok" if np.isfinite(bf) and abs(bf - np.log(c["value"])) <= c.get("tol_log", 0.5) else "MISS"
    return rows


def calibration_table(spec: dict, df: pd.DataFrame, calib: dict | None = None) -> pd.DataFrame:
    """Target, achieved, tolerance, label and status for every construction target and check."""
    rows = []

    def add(quantity, source, target, achieved, tol, label):
        miss = (abs(float(achieved) - float(target)) > tol) if tol is not None else None
        rows.append({"quantity": quantity, "source": source, "target": target, "achieved": achieved,
                     "tolerance": tol, "label": label,
                     "status": "" if miss is None else ("MISS" if miss else "ok")})

    js = spec.get("joint", {})
    for t in js.get("tables", []):
        for r, cnt in t["counts"].items():
            if t.get("cols"):
                g = js["groupings"][t["cols"]]
                for (gname, glev), c in zip(g["groups"].items(), cnt):
                    got = int(((df[t["rows"]].astype(str) == _key(r)) & df[g["var"]].astype(str).isin([_key(x) for x in glev])).sum()) \
                        if t["rows"] in df else None
                    if got is not None:   # ``labels`` {group: label}: e.g. an assumed part of a pool
                        add(f"{t['rows']}={r}, {gname}", t["source"], int(c), got, 0,
                            t.get("labels", {}).get(gname, "by construction"))
            elif t["rows"] in df:
                add(f"{t['rows']}={r}", t["source"], int(cnt), int((df[t['rows']].astype(str) == _key(r)).sum()), 0, "by construction")
    for c in spec.get("categorical", []):
        for k, v in c["counts"].items():
            if isinstance(v, dict):   # counts by group (``by``)
                for g, cnt in v.items():
                    got = int(((df[c["name"]].astype(str) == _key(k)) & (df[c["by"]].astype(str) == _key(g))).sum())
                    lab = c.get("labels", {}).get(_key(g), c.get("label", "by construction"))
                    add(f"{c['name']}={k}, {g}", c["source"], int(cnt), got, 0, lab)
            else:
                add(f"{c['name']}={k}", c["source"], int(v), int((df[c["name"]].astype(str) == _key(k)).sum()), 0, c.get("label", "by construction"))
    for c in spec.get("continuous", []):
        x = df[c["name"]].to_numpy(float)
        lab = c.get("label", "by construction")
        add(f"{c['name']} median", c["source"], c["median"], float(np.median(x)), 0.5 * 10 ** -c.get("decimals", 1), lab)
        add(f"{c['name']} min", c["source"], c["min"], float(x.min()), 0, lab)
        add(f"{c['name']} max", c["source"], c["max"], float(x.max()), 0, lab)
        for cut in c.get("cuts", []):
            add(f"{c['name']} <= {cut['le']}", c["source"], int(cut["count"]), int((x <= cut["le"]).sum()), 0, lab)
    if "dose" in spec:
        d = spec["dose"]
        bc = d.get("bed_column", "bed10")
        b = df[bc].to_numpy(float)
        if "median" in d:
            add(f"{bc} median", d["source"], d["median"], round(float(np.median(b)), 2), d.get("median_tol", 0.05), "by construction")
        for chk in d.get("checks", []):   # medians/ranges within subgroups (e.g. SBRT lesions)
            sel = np.ones(len(df), bool)
            for col, lev in chk["where"].items():
                sel &= (df[col].astype(str) == _key(lev)).to_numpy()
            where = ", ".join(f"{k}={v}" for k, v in chk["where"].items())
            col = df[chk["column"]].to_numpy(float) if "column" in chk else b
            cname = chk.get("column", bc)
            for stat, fn in (("mean", np.mean), ("sd", lambda v: np.std(v, ddof=1)), ("median", np.median),
                             ("min", np.min), ("max", np.max)):
                if stat in chk:
                    add(f"{cname} {stat}, {where}", chk["source"], chk[stat], round(float(fn(col[sel])), 2),
                        chk.get("tol", 0.05), chk.get("label", "by construction"))
        add(f"{bc} min", d["source"], min(float(_bed(s["dose"], s["fx"], d["alpha_beta"])) for g in d["schedules"].values() for s in g), float(b.min()), 0.01, "by construction")
        add(f"{bc} max", d["source"], max(float(_bed(s["dose"], s["fx"], d["alpha_beta"])) for g in d["schedules"].values() for s in g), float(b.max()), 0.01, "by construction")
    if "arm_continuous" in spec:   # exact group means (spinemets._cohort_sohn2016) and the SDs they imply
        ac = spec["arm_continuous"]
        grp = df[ac["group_column"]].astype(str)
        for name, v in ac["variables"].items():
            for g, t in v["groups"].items():
                x = df.loc[grp == g, name].to_numpy(float)
                lab = "assumption (no published value)" if g == "RT_other" else "by construction"
                add(f"{name} mean, {g}", ac["source"], t["mean"], round(float(x.mean()), 2),
                    0.5 * 10 ** -1, lab)
                add(f"{name} SD, {g}", ac["source"], t["sd"], round(float(x.std(ddof=1)), 2), None,
                    "input (not a target)")
    if "survival" in spec:
        for r in _survival_rows(spec, df, calib):
            rows.append({k: v for k, v in r.items() if k != "_weight"})
    chk = spec.get("checks", {})
    if "followup_median" in chk:
        add("median follow-up (all patients), months", chk["followup_median"]["source"], chk["followup_median"]["value"],
            float(np.median(df[spec["survival"]["time"]])), 0.5, "emergent")
    if "risk_groups" in chk:
        nrisk = sum(_covariate(df, spec["survival"]["covariates"][k]) for k in ("ecog_3_4", "primary_uncontrolled", "extrahepatic_yes"))
        for k, v in chk["risk_groups"]["counts"].items():
            add(f"patients with {k} risk factors", chk["risk_groups"]["source"], int(v), int((nrisk == int(k)).sum()), 0, "emergent (conflict a)")
    for g in chk.get("group_medians", []):
        col = df[g["column"]].astype(str)
        tcol, ecol = spec["survival"]["time"], spec["survival"]["event"]
        lab = g.get("label", "emergent")
        grp = pd.Series(np.full(len(df), None, dtype=object))
        for gname, levs in g["groups"].items():
            sel = col.isin([str(v) for v in levs]).to_numpy()
            grp[sel] = gname
            if gname not in g["medians"]:
                continue
            m = km(df[tcol][sel], df[ecol][sel])["median"] if sel.any() else float("nan")
            add(f"median {spec['survival'].get('name', 'OS')}, {g['column']} {gname}", g["source"], g["medians"][gname], m, g.get("tol", 1.0), lab)
        if "p" in g:   # log-rank p-value over the groups present
            from .survival import logrank
            ok = grp.notna().to_numpy()
            if grp[ok].nunique() >= 2:
                r = logrank(df[tcol].to_numpy(float)[ok], df[ecol].to_numpy(int)[ok], grp[ok].to_numpy())
                add(f"log-rank p, {g['column']}", g["source"], g["p"], round(float(r.p_value), 3), None, lab)
                rows[-1]["tolerance"] = "same side of 0.05"
                rows[-1]["status"] = "ok" if (r.p_value < 0.05) == (g["p"] < 0.05) else "MISS"
    out = pd.DataFrame(rows)
    if spec.get("scenario") and len(out):   # a teaching scenario has no published targets
        out["label"] = "assumption (no published value)"
    return out


def _md_table(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, r in df.iterrows():
        lines.append("| " + " | ".join(_fmt(r[c]) if r[c] is not None else "" for c in cols) + " |")
    return "\n".join(lines)


def _report(spec, df, calib, extra) -> str:
    out = [f"# Synthetic cohort `{spec['paper']}`", "",
           f"{spec.get('title', '')}", "",
           "Generated by `python -m spinemets.cohorts build --paper " + spec["paper"] + "` from "
           f"`data/cohort_specs/{spec['paper']}.yaml` (seed {spec['seed']}"
           + (f", chosen by a search over seeds {spec['seed_search']['seeds']} minimising the {spec['seed_search']['loss']}"
              if "seed_search" in spec else "") + "). Do not edit by hand: "
           "`spinemets.cohorts.load` validates the file against the schema below.", "",
           ("**This is a teaching scenario, not a reconstruction.** The source publishes no usable numbers; "
            "every value below is an assumption written in the spec and labelled as such. Nothing computed "
            "from this cohort says anything about the real patients or treatments." if spec.get("scenario") else
            "**This is synthetic data.** Each row is an invented patient. The cohort reproduces the "
            "published numbers listed below; any other number computed from it is a property of the "
            "construction, not of the real patients."), ""]
    if spec.get("note"):  # e.g. a teaching scenario without published numbers
        out += [f"**Note.** {spec['note'].strip()}", ""]
    out += ["## Data dictionary", ""]
    sources = {}
    for t in spec.get("joint", {}).get("tables", []):
        sources.setdefault(t["rows"], set()).add(t["source"])
        if t.get("cols"):
            sources.setdefault(spec["joint"]["groupings"][t["cols"]]["var"], set()).add(t["source"])
    for sec in ("categorical", "continuous"):
        for c in spec.get(sec, []):
            sources.setdefault(c["name"], set()).add(c["source"])
    if "dose" in spec:
        gcols = spec["dose"]["group_column"]
        for c in ["total_dose_gy", "fractions", spec["dose"].get("bed_column", "bed10")] + (gcols if isinstance(gcols, list) else [gcols]):
            sources.setdefault(c, set()).add(spec["dose"]["source"])
    svs = [spec["survival"]] if "survival" in spec else []
    if svs and svs[0].get("competing"):
        svs.append(svs[0]["competing"])
    for sv in svs:
        for c in (sv["time"], sv["event"]):
            sources.setdefault(c, set()).add(sv.get("source", "Results 3, Table 4 (Cox model, KM targets)"))
    if "cluster" in spec:
        cs = spec["cluster"]
        sources.setdefault(cs["column"], set()).add(cs["source"])
        for sec in ("categorical", "continuous"):
            for c in cs.get(sec, []):
                sources.setdefault(c["name"], set()).add(c["source"] + " (patient level)")
    rows = []
    for c, s in spec["schema"]["columns"].items():
        allowed = ", ".join(str(v) for v in s["levels"]) if "levels" in s else \
            (f"{s.get('min', '')} to {s.get('max', '')}" if s["type"] in ("int", "float") else "unique" if s.get("unique") else "")
        rows.append({"column": c, "type": s["type"], "allowed": allowed, "unit": s.get("unit", ""),
                     "missing": "allowed" if s.get("missing") else "none",
                     "published source": "; ".join(sorted(sources.get(c, {s.get("source", "identifier" if s.get("unique") else "derived")})))})
    out += [_md_table(pd.DataFrame(rows)), ""]
    cal = calibration_table(spec, df, calib)
    if spec.get("scenario"):
        cal["label"] = "assumption (no published value)"
    out += ["## Calibration report", "",
            "`by construction`: the build forces this number (agreement proves nothing). "
            "`emergent`: not a target; it comes out of the data. MISS marks a number outside its tolerance; "
            "see the conflicts below for why some published numbers cannot all hold.", "",
            _md_table(cal.fillna("")), ""]
    if calib is not None and calib.get("names"):
        beta = pd.DataFrame({"covariate": calib["names"], "published beta": np.round(calib["beta_target"], 3),
                             "generating beta": np.round(calib["beta_generating"], 3),
                             "fitted beta (Breslow)": np.round(calib["beta_fitted"], 3)})
        n_it = int(spec["survival"].get("beta_iterations", 5))
        out += ["### Cox coefficients", "",
                ("The generating coefficients differ from the published ones: they were moved "
                 f"{n_it} times by (published - fitted) so that "
                 "the coefficients fitted on the cohort approach the published ones (non-collapsibility, "
                 "censoring and the draw)." if n_it > 0 else
                 "The generating coefficients are the published ones (not calibrated); the fitted "
                 "coefficients are what this one cohort gives, and differ by chance."), "", _md_table(beta), ""]
    if spec.get("notes"):
        out += ["## Notes", ""] + [f"- {note}" for note in spec["notes"]] + [""]
    if spec.get("conflicts"):
        out += ["## Published numbers that contradict each other", ""]
        for c in spec["conflicts"]:
            out += [f"- **({c['id']})** {c['what']} *Decision:* {c['decision']}"]
        out += [""]
    return "\n".join(out)


# --------------------------------------------------------------------------- CLI

def main(argv: list[str] | None = None) -> int:
    """``python -m spinemets.cohorts build [--paper KEY] [--out DIR]``."""
    p = argparse.ArgumentParser(prog="python -m spinemets.cohorts")
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="rebuild synthetic cohorts from their specs")
    b.add_argument("--paper", action="append", help="paper key (repeatable); default: all specs")
    b.add_argument("--out", default=None, help=f"output folder (default {COHORTS_DIR})")
    se = sub.add_parser("search", help="rank seeds by calibration loss (write the best into the spec by hand)")
    se.add_argument("--paper", required=True)
    se.add_argument("--seeds", default="1-100", help="range a-b")
    args = p.parse_args(argv)
    if args.cmd == "search":
        a, b = (int(v) for v in args.seeds.split("-"))
        print(search_seeds(args.paper, range(a, b + 1)).head(10).round(4).to_string(index=False))
        return 0
    for paper in args.paper or available():
        csv_path, md_path = write(paper, args.out)
        print(f"{paper}: wrote {csv_path} and {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
