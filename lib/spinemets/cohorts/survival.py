"""Step 5: survival times from a Cox model by the inversion method, censoring, and calibration.

References
----------
Bender R, Augustin T, Blettner M. Generating survival times to simulate Cox proportional hazards
models. Stat Med 2005;24:1713-1723.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from scipy import optimize

from .._validation import as_generator, renamed_arguments


@renamed_arguments(time="durations", event="events")
def km(durations, events, at=(12.0, 24.0)) -> dict:
    """Kaplan-Meier median (first time S <= 0.5) and S at given times (small numpy version).

    Validated like :func:`spinemets.survival.km_table`: finite non-negative times, events 0/1,
    equal lengths, at least one row; ``at`` finite times >= 0 (keys ``s<t>``, e.g. ``s12``,
    ``s1.5``).
    """
    from .._validation import as_float_array, check_durations, check_events, check_same_length

    t = check_durations(durations)
    e = check_events(events)
    check_same_length(durations=t, events=e)
    at = as_float_array(at, "at")
    if (at < 0).any():
        raise ValueError(f"at must be times >= 0, got {at.tolist()}")
    from ..survival.km import _product_limit

    ut, _, _, _, s = _product_limit(t, e)
    below = np.nonzero(s <= 0.5)[0]
    med = float(ut[below[0]]) if below.size else float("nan")
    out = {"median": med}
    for a in at:
        idx = np.searchsorted(ut, a, side="right") - 1
        out[f"s{a:g}"] = float(s[idx]) if idx >= 0 else 1.0
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


def _solve_baseline(lp, knot_times, levels, entry=0.0):
    """Rates such that the population-averaged S(knot) equals each target level, knot by knot.

    With ``entry`` > 0 (a published selection: only patients who lived past ``entry`` were
    included) the targets are survival *conditional on T > entry*: S(knot) / S(entry).
    """
    knots = [0.0] + list(knot_times)
    rates = []
    for j, (tk, target) in enumerate(zip(knot_times, levels)):

        def f(r, tk=tk, j=j, target=target):
            h = _pe_cumhaz(tk, knots[: j + 2], rates + [r])
            if entry > 0:
                h = h - _pe_cumhaz(min(entry, tk), knots[: j + 2], rates + [r])
            return np.mean(np.exp(-h * np.exp(lp))) - target

        lo, hi = f(1e-8), f(50.0)
        if lo <= 0:  # the target is at or above what a zero hazard reaches: flat piece
            rates.append(1e-8)
        elif hi >= 0:  # the target is below what the largest hazard reaches: steepest piece
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


@renamed_arguments(time="durations", event="events")
def km_at(durations, events, times) -> np.ndarray:
    """Kaplan-Meier survival at ``times`` (right-continuous step function)."""
    from ..survival.km import _product_limit

    t = np.asarray(durations, float)
    e = np.asarray(events, int)
    if not (e == 1).any():
        return np.ones(len(times))
    ut, _, _, _, s = _product_limit(t, (e == 1).astype(float))
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


@renamed_arguments(rng="seed", df="data")
def simulate_survival(
    data: pd.DataFrame,
    sv: dict,
    seed: np.random.Generator,
    end_of_followup: np.ndarray | None = None,
    model: dict | None = None,
) -> tuple[pd.DataFrame, dict]:
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
    - ``censoring``: ``independent: {accrual, followup_after_accrual}``: independent censoring,
      censoring time = min(administrative end, loss to follow-up), the administrative end
      uniform over the accrual period (plus the follow-up after accrual), the loss exponential
      with the rate that makes the expected number censored ``n_censored`` (see
      :func:`_loss_rate`); or ``administrative: {min_time, max_time}`` (uniform entry: one
      censoring time per cluster). Censoring a chosen row at a fraction of its own survival time
      (dependent censoring, which breaks Kaplan-Meier's assumption) is not offered;
    - ``competing``: a second ``survival`` section (e.g. death) drawn first; the primary event is
      observed only before the competing event or censoring ends follow-up;
    - ``damping`` (default 1) and ``calibration: best`` (default ``last``) for small strata;
    - ``entry: {min_time, source}``: a published selection on survival (paper D excluded
      patients with insufficient follow-up): times are drawn from the distribution conditional
      on T > min_time (left truncation: ``H0^{-1}(H0(min_time) + E exp(-lp))``), and the targets
      are read as survival among those included.

    ``model`` (the ``calib["model"]`` of an earlier call: generating beta and the baseline hazard
    of each stratum, and of the competing event) skips the calibration: the times are drawn once
    from that fixed generative model. This is how replicate cohorts are drawn
    (:mod:`spinemets.cohorts.replication`). The random draws are made in the same order either way.

    ``data`` is the cohort so far; ``seed`` an integer or the build's generator (``df`` and
    ``rng``, the former names, warn).
    """
    df, rng = data, as_generator(seed)
    comp_calib = None
    if sv.get("competing"):
        df, comp_calib = simulate_survival(
            df, sv["competing"], rng, model=None if model is None else model["competing"]
        )
        # death or censoring ends follow-up
        end_of_followup = df[sv["competing"]["time"]].to_numpy(float)
    names, x, beta_target = _covariate_matrix(df, sv)
    lab, tgs = _strata(df, sv)
    strata = {s: (np.nonzero(lab == s)[0], _knots(tgs[s])) for s in tgs if (lab == s).any()}
    sampler = _Sampler(sv, x, strata, _random_draws(df, sv, rng), end_of_followup, model)
    if model is not None:  # a replicate: one draw from the fixed generative model
        if sorted(model["baselines"]) != sorted(strata):
            raise ValueError(
                f"model has baselines for strata {sorted(model['baselines'])}, "
                f"the cohort has {sorted(strata)}"
            )
        beta = np.asarray(model["beta"], float)
        t_obs, e = sampler.draw(beta, None, model["baselines"])
        baselines = dict(sampler.used)
        est = np.full(len(names), np.nan)  # not fitted: the analysis of a replicate does that
    else:
        beta, est, t_obs, e, baselines = _calibrate_beta(
            sampler, sv, names, x, beta_target, lab if sv.get("strata") else None
        )
    df = df.copy()
    df[sv["time"]] = t_obs
    df[sv["event"]] = e
    model_published = _published_model(sampler, beta_target, comp_calib)
    calib = {
        "names": names,
        "beta_target": beta_target,
        "beta_generating": beta,
        "beta_fitted": est,
        "competing": comp_calib,
        "model_published": model_published,
        "model": {
            "beta": [float(b) for b in beta],
            "baselines": baselines,
            "loss_rate": sampler.loss_rate,
            "competing": None if comp_calib is None else comp_calib["model"],
        },
    }
    return df, calib


def _covariate_matrix(df, sv):
    """The covariate names, their design matrix and the published coefficients."""
    names = list(sv.get("covariates", {}))
    x = (
        np.column_stack([_covariate(df, sv["covariates"][k]) for k in names])
        if names
        else np.zeros((len(df), 0))
    )
    beta_target = np.array([float(sv["covariates"][k]["beta"]) for k in names])
    return names, x, beta_target


@dataclasses.dataclass(frozen=True)
class _Draws:
    """Every random number of one survival section, drawn once before any calibration (in this
    order: uniforms, potential follow-up and loss, frailties, administrative censoring)."""

    u: np.ndarray  # stratified uniforms of the inversion method
    logz: np.ndarray  # log gamma frailty (0 without frailty)
    pot: np.ndarray | None  # potential follow-up (independent censoring)
    e_loss: np.ndarray | None  # unit exponentials of the loss to follow-up
    admin: np.ndarray | None  # administrative censoring times


def _random_draws(df, sv, rng) -> _Draws:
    n = len(df)
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
    indep = cens.get("independent")
    pot = e_loss = admin = None
    if indep:  # independent censoring: uniform accrual, administrative end, exponential loss
        pot = (
            rng.uniform(0.0, float(indep["accrual"]), size=m)
            + float(indep.get("followup_after_accrual", 0.0))
        )[codes]  # potential follow-up
        e_loss = rng.exponential(size=m)[codes]  # loss = e_loss / rate
    elif cens.get("n_censored"):  # the old scheme censored rows at a fraction of their own time
        raise ValueError(
            "survival.censoring: n_censored needs 'independent: {accrual, "
            "followup_after_accrual}' (censoring independent of survival)"
        )
    logz = np.zeros(n)
    if frail:  # gamma frailty, mean 1
        th = float(sv["frailty_variance"])
        logz = np.log(rng.gamma(1 / th, th, size=m))[codes]
    if "administrative" in cens:
        a = cens["administrative"]
        admin = rng.uniform(float(a["min_time"]), float(a["max_time"]), size=m)[codes]
    return _Draws(u, logz, pot, e_loss, admin)


class _Sampler:
    """Survival times of one section for given coefficients and baselines: the inversion
    method (Bender et al. 2005), censoring, rounding. Remembers the baseline and the loss rate
    of its latest draw."""

    def __init__(self, sv, x, strata, draws: _Draws, end_of_followup, model):
        self.sv, self.x, self.strata, self.draws = sv, x, strata, draws
        self.end = end_of_followup
        self.model = model
        self.cens = sv.get("censoring", {})
        self.entry = float(sv.get("entry", {}).get("min_time", 0.0))
        self.goal = {s: np.array([k[1] for k in kn]) for s, (idx, kn) in strata.items()}
        self.used = {}  # baseline of the latest draw: {stratum: (knots, rates)}
        self.loss_rate = None  # loss-to-follow-up rate of the latest draw

    def draw(self, beta, levels, baselines=None):
        d, entry = self.draws, self.entry
        lp = self.x @ beta + d.logz
        t = np.empty(len(lp))
        for s, (idx, kn) in self.strata.items():
            if baselines is not None:
                knots, rates = baselines[s]
            else:
                knots, rates = _solve_baseline(lp[idx], [k[0] for k in kn], levels[s], entry)
            self.used[s] = (list(map(float, knots)), list(map(float, rates)))
            h0 = _pe_cumhaz(entry, knots, rates) if entry > 0 else 0.0  # survived to entry
            t[idx] = _pe_inverse(h0 + -np.log(d.u[idx]) * np.exp(-lp[idx]), knots, rates)
        return self._censor(t)

    def _censor(self, t):
        d, cens, end = self.draws, self.cens, self.end
        e = np.ones(len(t), int)
        t_obs = t.copy()
        if d.pot is not None:
            n_target = float(cens.get("n_censored", 0))
            rate = (
                self.model["loss_rate"]
                if self.model is not None
                else _loss_rate(t, d.pot, n_target)
            )
            self.loss_rate = float(rate)
            c = np.minimum(d.pot, d.e_loss / rate) if rate > 0 else d.pot
            e[t > c] = 0
            t_obs = np.minimum(t, c)
        if d.admin is not None:
            e[t_obs > d.admin] = 0
            t_obs = np.minimum(t_obs, d.admin)
        if end is not None:
            e[t_obs > end] = 0
            t_obs = np.minimum(t_obs, end)
        dec = int(self.sv.get("decimals", 1))
        t_obs = np.round(np.clip(t_obs, max(cens.get("min_time", 0.0), 10.0**-dec), None), dec)
        if "max_time" in cens:  # the longest observed time is the published maximum
            t_obs = np.minimum(t_obs, cens["max_time"])
            t_obs[np.argmax(t_obs)] = cens["max_time"]
        if end is not None:  # rounding must not push an event past the end of follow-up
            t_obs = np.minimum(t_obs, end)
        if self.entry > 0:  # rounding must not take an included patient below the entry time
            t_obs = np.maximum(t_obs, self.entry)
        return t_obs, e

    def _distance(self, t_obs, e) -> float:
        return sum(
            float(np.sum((km_at(t_obs[idx], e[idx], [k[0] for k in kn]) - self.goal[s]) ** 2))
            for s, (idx, kn) in self.strata.items()
        )

    def calibrate(self, beta):
        """Baselines that hit the survival targets under ``beta``: returns (t, e, baselines).

        Multiplicative update on the log scale: level <- level * (log goal / log achieved).
        Small strata (a few lesions) make the KM jumpy: ``damping`` < 1 shrinks the step and
        ``calibration: best`` keeps the draw closest to the targets instead of the last one.
        """
        sv, goal = self.sv, self.goal
        damping = float(sv.get("damping", 1.0))
        levels = {s: g.copy() for s, g in goal.items()}
        best, best_loss = None, np.inf
        for _ in range(int(sv.get("baseline_iterations", 8))):
            t_obs, e = self.draw(beta, levels)
            drawn = dict(self.used)
            loss = 0.0
            for s, (idx, kn) in self.strata.items():
                got = km_at(t_obs[idx], e[idx], [k[0] for k in kn])
                loss += float(np.sum((got - goal[s]) ** 2))
                got = np.clip(got, 1e-3, 1 - 1e-3)
                ratio = (np.log(goal[s]) / np.log(got)) ** damping
                lv = np.clip(np.exp(np.log(levels[s]) * ratio), 1e-4, 1 - 1e-4)
                levels[s] = np.minimum.accumulate(lv)
            if loss < best_loss:
                best, best_loss = (t_obs, e, drawn), loss
        last = self.draw(beta, levels) + (dict(self.used),)
        if sv.get("calibration", "last") == "best":
            return last if self._distance(last[0], last[1]) <= best_loss else best
        return last


def _calibrate_beta(sampler, sv, names, x, beta_target, strata_arg):
    """Generating coefficients whose Cox fit on the drawn cohort hits the published ones:
    ``beta <- beta + (target - fitted)``, ``beta_iterations`` times, each with recalibrated
    baselines. Returns (beta, fitted, t, e, baselines)."""
    beta = beta_target.copy()
    n_iter = int(sv.get("beta_iterations", 5)) if names else 0
    est = beta_target.copy()
    for it in range(n_iter + 1):
        t_obs, e, baselines = sampler.calibrate(beta)
        if names:
            est = _cox(t_obs, e, x, sv.get("ties", "breslow"), strata_arg)
        if it < n_iter:
            beta = beta + (beta_target - est)
    return beta, est, t_obs, e, baselines


def _published_model(sampler, beta_target, comp_calib):
    """The model "if the published effects were true": published coefficients, and for each
    stratum the baseline whose population-averaged survival (over this cohort's covariates)
    hits the published targets exactly; no draw-specific calibration (see cohorts.replication).
    """
    lp_pub = sampler.x @ beta_target + sampler.draws.logz
    base_pub = {}
    for s_, (idx, kn) in sampler.strata.items():
        knots_p, rates_p = _solve_baseline(
            lp_pub[idx], [k[0] for k in kn], sampler.goal[s_], sampler.entry
        )
        base_pub[s_] = (list(map(float, knots_p)), list(map(float, rates_p)))
    return {
        "beta": [float(b) for b in beta_target],
        "baselines": base_pub,
        "loss_rate": sampler.loss_rate,
        "competing": None if comp_calib is None else comp_calib["model_published"],
    }


def _loss_rate(t, pot, n_target):
    """Rate of exponential loss to follow-up such that the *expected* number censored is
    ``n_target``, given the true times ``t`` and the potential (administrative) follow-up ``pot``.

    A row is censored when its loss time or its administrative end comes first:
    P = 1 if pot < t, else 1 - exp(-rate t). Solved by Brent's method; 0 when administrative
    censoring alone reaches the target. The rate is a property of the generative model (fixed
    in replicates), and the censoring times are independent of the survival times.
    """
    admin = pot < t
    base = float(admin.sum())
    if base >= n_target:
        return 0.0
    tt = t[~admin]

    def f(r):
        return base + float(np.sum(1 - np.exp(-r * tt))) - n_target

    hi = 1.0
    while f(hi) < 0 and hi < 1e6:
        hi *= 10
    return float(optimize.brentq(f, 0.0, hi, xtol=1e-12))


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


def piecewise_cumhaz(t, knots, rates):
    """Cumulative hazard at ``t`` of a piecewise-exponential baseline.

    Parameters
    ----------
    t : array-like
        Times.
    knots : sequence of float
        Start of each piece, beginning with 0.
    rates : sequence of float
        Hazard on each piece (the last one runs to infinity).

    Returns
    -------
    numpy.ndarray
    """
    return _pe_cumhaz(t, knots, rates)


def piecewise_inverse(h, knots, rates):
    """Time at which the piecewise-exponential cumulative hazard reaches ``h`` (closed form).

    The inversion method: ``piecewise_inverse(-log(U) * exp(-x beta), knots, rates)`` with ``U``
    uniform has survival ``exp(-H0(t) exp(x beta))`` (Bender, Augustin & Blettner 2005).

    References
    ----------
    Bender R, Augustin T, Blettner M. Stat Med 2005;24:1713-1723.
    """
    return _pe_inverse(h, knots, rates)


@renamed_arguments(df="data")
def covariate(data, c):
    """One covariate column of the spec's ``survival.covariates`` as floats (0/1 or mapped)."""
    return _covariate(data, c)
