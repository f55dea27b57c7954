"""The calibration table of a cohort build: every construction target and check with what the
build achieved (joint tables, categorical counts, continuous summaries, dose, arm means,
survival targets and coefficients, emergent checks)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from .._validation import renamed_arguments
from .spec import _bed, _key
from .survival import _covariate, _cox, _knots, _strata, km, km_at


def _fmt(v, nd=3):
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, float) and np.isnan(v):
        return "NA"
    return f"{v:.{nd}f}".rstrip("0").rstrip(".") if isinstance(v, (float, np.floating)) else str(v)


class _WeightedRows:
    """Calibration rows of a survival section, each with the weight :func:`seed_loss` gives it
    (``_weight``; None: not in the loss)."""

    def __init__(self):
        self.rows = []

    def add(self, quantity, source, target, achieved, tol, label, weight=None):
        miss = (abs(float(achieved) - float(target)) > tol) if tol is not None else None
        self.rows.append(
            {
                "quantity": quantity,
                "source": source,
                "target": target,
                "achieved": achieved,
                "tolerance": tol,
                "label": label,
                "status": "" if miss is None else ("MISS" if miss else "ok"),
                "_weight": weight,
            }
        )

    def set_last(self, tolerance: str, ok: bool) -> None:
        """A row judged by a rule rather than a tolerance (a log ratio)."""
        self.rows[-1]["tolerance"] = tolerance
        self.rows[-1]["status"] = "ok" if ok else "MISS"


@dataclasses.dataclass(frozen=True)
class _Section:
    """One survival section of a spec and the times and events the build drew for it."""

    sv: dict
    df: pd.DataFrame
    t: np.ndarray
    e: np.ndarray

    @property
    def name(self) -> str:
        return self.sv.get("name", "OS")

    @property
    def unit(self) -> str:
        return self.sv.get("unit", "months")

    @property
    def events_label(self) -> str:
        return "deaths" if self.name == "OS" else f"{self.name} events"


def _survival_rows(
    spec: dict, df: pd.DataFrame, calib: dict | None, sv: dict | None = None
) -> list[dict]:
    """Calibration rows of a ``survival`` section (and of its ``competing`` section)."""
    sv = sv if sv is not None else spec["survival"]
    out = _WeightedRows()
    if sv.get("competing"):
        out.rows += _survival_rows(spec, df, (calib or {}).get("competing"), sv["competing"])
    sec = _Section(sv, df, df[sv["time"]].to_numpy(float), df[sv["event"]].to_numpy(int))
    lab, tgs = _strata(df, sv)
    for s, tg in tgs.items():
        suffix = f", {sv['strata']}={s}" if sv.get("strata") else ""
        _km_target_rows(out, sec, lab == s, tg, suffix, "by construction", 1.0)
    _censoring_rows(out, sec)
    if calib is not None and calib.get("names"):
        _coefficient_rows(out, sec, calib)
    _survival_check_rows(out, sec)
    return out.rows


def _km_target_rows(out, sec: _Section, sel, tg, suffix, label, weight) -> None:
    """Kaplan-Meier median and survival at given times against their targets."""
    t, e = sec.t, sec.e
    for time, _level, key in _knots(tg):
        if key == "median":
            quantity = f"{sec.name} median (KM), {sec.unit}{suffix}"
            got = km(t[sel], e[sel], at=())["median"]
        else:
            quantity = f"{sec.name} at {_fmt(time)} {sec.unit} (KM){suffix}"
            got = round(float(km_at(t[sel], e[sel], [time])[0]), 4)
        out.add(
            quantity,
            tg[key]["source"],
            tg[key]["value"],
            got,
            tg[key]["tol"],
            label,
            tg[key].get("weight", weight),
        )


def _censoring_rows(out, sec: _Section) -> None:
    """Number of events and the shortest and longest follow-up set by the censoring."""
    cens, name, unit = sec.sv.get("censoring", {}), sec.name, sec.unit
    n_events = len(sec.df) - cens.get("n_censored", 0)
    if "n_censored" in cens and cens.get("independent"):  # expected count; the seed decides
        label = "by construction (expected count, seed search)"
        out.add(
            sec.events_label, cens["source"], n_events, int(sec.e.sum()),
            cens.get("events_tol", 2), label, 1.0,
        )  # fmt: skip
    elif "n_censored" in cens and "administrative" not in cens:
        out.add(sec.events_label, cens["source"], n_events, int(sec.e.sum()), 0, "by construction")
    if "min_time" in cens:
        quantity = (
            "shortest follow-up, months" if name == "OS" else f"{name}: shortest time, {unit}"
        )
        out.add(
            quantity, cens["source"], cens["min_time"], float(sec.t.min()), 0, "by construction"
        )
    if "max_time" in cens:
        quantity = "longest follow-up, months" if name == "OS" else f"{name}: longest time, {unit}"
        out.add(
            quantity, cens["source"], cens["max_time"], float(sec.t.max()), 0, "by construction"
        )


def _coefficient_rows(out, sec: _Section, calib: dict) -> None:
    """Cox hazard ratios of the drawn cohort against the published ones."""
    sv, name = sec.sv, sec.name
    for cname, bt, bf in zip(calib["names"], calib["beta_target"], calib["beta_fitted"]):
        lab_hr = (
            "by construction (calibrated)"
            if int(sv.get("beta_iterations", 5)) > 0
            else "emergent (generating beta = published)"
        )
        out.add(
            f"Cox HR {cname}" if name == "OS" else f"{name} Cox HR {cname}",
            sv["covariates"][cname]["source"],
            round(float(np.exp(bt)), 3),
            round(float(np.exp(bf)), 3),
            None,
            lab_hr,
        )
        out.set_last(f"|log ratio| <= {sv['hr_tolerance']}", abs(bf - bt) <= sv["hr_tolerance"])


def _survival_check_rows(out, sec: _Section) -> None:
    """The section's ``checks``: overall KM targets, events, event times, follow-up and
    univariate hazard ratios."""
    ck, name, unit, t, e = sec.sv.get("checks", {}), sec.name, sec.unit, sec.t, sec.e
    if "overall" in ck:  # unstratified KM targets that the strata do not force
        _km_target_rows(
            out, sec, np.ones(len(sec.df), bool), ck["overall"], ", all", "emergent", None
        )
        for r in out.rows:
            if r["label"] == "emergent" and r["_weight"]:
                r["label"] = "by construction (seed search)"
    if "events" in ck:
        c = ck["events"]
        out.add(
            sec.events_label,
            c["source"],
            c["value"],
            int(e.sum()),
            c.get("tol", 0),
            "by construction (seed search)" if c.get("weight") else "emergent",
            c.get("weight"),
        )
    stats = (("median", np.median), ("min", np.min), ("max", np.max))
    if "event_times" in ck:  # median and range of the times of observed events
        c, te = ck["event_times"], t[e == 1]
        for stat, fn in stats:
            if stat in c:
                out.add(
                    f"{name}: {stat} time of the events, {unit}",
                    c["source"],
                    c[stat],
                    float(fn(te)) if te.size else float("nan"),
                    c.get("tol", 1.0),
                    "emergent",
                    c.get("weight"),
                )
    if "followup" in ck:  # median and range of all observed times
        c = ck["followup"]
        for stat, fn in stats:
            if stat in c:
                out.add(
                    f"{name}: {stat} follow-up (all rows), {unit}",
                    c["source"],
                    c[stat],
                    float(fn(t)),
                    c.get("tol", 1.0),
                    "by construction (seed search)" if c.get("weight") else "emergent",
                    c.get("weight"),
                )
    for hname, c in ck.get("hr", {}).items():  # univariate Cox HR on the cohort (emergent)
        xcol = _covariate(sec.df, c)[:, None]
        try:
            bf = float(_cox(t, e, xcol, sec.sv.get("ties", "breslow"))[0])
        except Exception:  # no events in a group: the HR is not estimable
            bf = float("nan")
        out.add(
            f"{name} univariate HR {hname}",
            c["source"],
            c["value"],
            round(float(np.exp(bf)), 3),
            None,
            "emergent",
        )
        tol = c.get("tol_log", 0.5)
        out.set_last(
            f"|log ratio| <= {tol}", bool(np.isfinite(bf) and abs(bf - np.log(c["value"])) <= tol)
        )


@renamed_arguments(df="data")
def calibration_table(spec: dict, data: pd.DataFrame, calib: dict | None = None) -> pd.DataFrame:
    """Target, achieved, tolerance, label and status for every construction target and check."""
    out = _Rows()
    for section in (_joint_rows, _categorical_rows, _continuous_rows, _dose_rows, _arm_rows):
        section(spec, data, out)
    if "survival" in spec:
        for r in _survival_rows(spec, data, calib):
            out.rows.append({k: v for k, v in r.items() if k != "_weight"})
    _check_rows(spec, data, out)
    table = pd.DataFrame(out.rows)
    if spec.get("scenario") and len(table):  # a teaching scenario has no published targets
        table["label"] = "assumption (no published value)"
    return table


class _Rows:
    """The rows of the calibration table: target, achieved, tolerance, label, status."""

    def __init__(self):
        self.rows = []

    def add(self, quantity, source, target, achieved, tol, label):
        miss = (abs(float(achieved) - float(target)) > tol) if tol is not None else None
        self.rows.append(
            {
                "quantity": quantity,
                "source": source,
                "target": target,
                "achieved": achieved,
                "tolerance": tol,
                "label": label,
                "status": "" if miss is None else ("MISS" if miss else "ok"),
            }
        )


def _joint_rows(spec: dict, data: pd.DataFrame, out: _Rows) -> None:
    """Counts of the joint tables (IPF margins), by construction."""
    js = spec.get("joint", {})
    for t in js.get("tables", []):
        for r, cnt in t["counts"].items():
            if t.get("cols"):
                g = js["groupings"][t["cols"]]
                for (gname, glev), c in zip(g["groups"].items(), cnt):
                    got = (
                        int(
                            (
                                (data[t["rows"]].astype(str) == _key(r))
                                & data[g["var"]].astype(str).isin([_key(x) for x in glev])
                            ).sum()
                        )
                        if t["rows"] in data
                        else None
                    )
                    if got is not None:  # ``labels`` {group: label}: e.g. an assumed part of a pool
                        out.add(
                            f"{t['rows']}={r}, {gname}",
                            t["source"],
                            int(c),
                            got,
                            0,
                            t.get("labels", {}).get(gname, "by construction"),
                        )
            elif t["rows"] in data:
                out.add(
                    f"{t['rows']}={r}",
                    t["source"],
                    int(cnt),
                    int((data[t["rows"]].astype(str) == _key(r)).sum()),
                    0,
                    "by construction",
                )


def _categorical_rows(spec: dict, data: pd.DataFrame, out: _Rows) -> None:
    """Counts of each categorical variable (overall or by group)."""
    for c in spec.get("categorical", []):
        for k, v in c["counts"].items():
            if isinstance(v, dict):  # counts by group (``by``)
                for g, cnt in v.items():
                    got = int(
                        (
                            (data[c["name"]].astype(str) == _key(k))
                            & (data[c["by"]].astype(str) == _key(g))
                        ).sum()
                    )
                    lab = c.get("labels", {}).get(_key(g), c.get("label", "by construction"))
                    out.add(f"{c['name']}={k}, {g}", c["source"], int(cnt), got, 0, lab)
            else:
                out.add(
                    f"{c['name']}={k}",
                    c["source"],
                    int(v),
                    int((data[c["name"]].astype(str) == _key(k)).sum()),
                    0,
                    c.get("label", "by construction"),
                )


def _continuous_rows(spec: dict, data: pd.DataFrame, out: _Rows) -> None:
    """Median, range and dichotomy counts of each continuous variable."""
    for c in spec.get("continuous", []):
        x_all = data[c["name"]].to_numpy(float)
        x, over = x_all, ""
        if c.get("over"):  # median and range over a subset of rows (e.g. initial operations)
            sel = np.ones(len(data), bool)
            for col, lev in c["over"].items():
                sel &= (data[col].astype(str) == _key(lev)).to_numpy()
            x, over = x_all[sel], ", " + ", ".join(f"{k}={v}" for k, v in c["over"].items())
        lab = c.get("label", "by construction")
        out.add(
            f"{c['name']} median{over}",
            c["source"],
            c["median"],
            float(np.median(x)),
            0.5 * 10 ** -c.get("decimals", 1),
            lab,
        )
        out.add(f"{c['name']} min{over}", c["source"], c["min"], float(x.min()), 0, lab)
        out.add(f"{c['name']} max{over}", c["source"], c["max"], float(x.max()), 0, lab)
        for cut in c.get("cuts", []):
            out.add(
                f"{c['name']} <= {cut['le']}",
                c["source"],
                int(cut["count"]),
                int((x_all <= cut["le"]).sum()),
                0,
                lab,
            )


def _dose_rows(spec: dict, data: pd.DataFrame, out: _Rows) -> None:
    """BED median, subgroup checks and range of the dose step."""
    if "dose" in spec:
        d = spec["dose"]
        bc = d.get("bed_column", "bed10")
        b = data[bc].to_numpy(float)
        if "median" in d:
            out.add(
                f"{bc} median",
                d["source"],
                d["median"],
                round(float(np.median(b)), 2),
                d.get("median_tol", 0.05),
                "by construction",
            )
        for chk in d.get("checks", []):  # medians/ranges within subgroups (e.g. SBRT lesions)
            sel = np.ones(len(data), bool)
            for col, lev in chk["where"].items():
                sel &= (data[col].astype(str) == _key(lev)).to_numpy()
            where = ", ".join(f"{k}={v}" for k, v in chk["where"].items())
            col = data[chk["column"]].to_numpy(float) if "column" in chk else b
            cname = chk.get("column", bc)
            for stat, fn in (
                ("mean", np.mean),
                ("sd", lambda v: np.std(v, ddof=1)),
                ("median", np.median),
                ("min", np.min),
                ("max", np.max),
            ):
                if stat in chk:
                    out.add(
                        f"{cname} {stat}, {where}",
                        chk["source"],
                        chk[stat],
                        round(float(fn(col[sel])), 2),
                        chk.get("tol", 0.05),
                        chk.get("label", "by construction"),
                    )
        out.add(
            f"{bc} min",
            d["source"],
            min(
                float(_bed(s["dose"], s["fx"], d["alpha_beta"]))
                for g in d["schedules"].values()
                for s in g
            ),
            float(b.min()),
            0.01,
            "by construction",
        )
        out.add(
            f"{bc} max",
            d["source"],
            max(
                float(_bed(s["dose"], s["fx"], d["alpha_beta"]))
                for g in d["schedules"].values()
                for s in g
            ),
            float(b.max()),
            0.01,
            "by construction",
        )


def _arm_rows(spec: dict, data: pd.DataFrame, out: _Rows) -> None:
    """Exact group means (spinemets.cohorts.papers.sohn2016) and the SDs they imply."""
    if (
        "arm_continuous" in spec
    ):  # exact group means (spinemets.cohorts.papers.sohn2016) and the SDs they imply
        ac = spec["arm_continuous"]
        grp = data[ac["group_column"]].astype(str)
        for name, v in ac["variables"].items():
            for g, t in v["groups"].items():
                x = data.loc[grp == g, name].to_numpy(float)
                lab = "assumption (no published value)" if g == "RT_other" else "by construction"
                out.add(
                    f"{name} mean, {g}",
                    ac["source"],
                    t["mean"],
                    round(float(x.mean()), 2),
                    0.5 * 10**-1,
                    lab,
                )
                out.add(
                    f"{name} SD, {g}",
                    ac["source"],
                    t["sd"],
                    round(float(x.std(ddof=1)), 2),
                    None,
                    "input (not a target)",
                )


def _check_rows(spec: dict, data: pd.DataFrame, out: _Rows) -> None:
    """Emergent checks: median follow-up, risk-group counts, group medians and log-rank p."""
    chk = spec.get("checks", {})
    if "followup_median" in chk:
        out.add(
            "median follow-up (all patients), months",
            chk["followup_median"]["source"],
            chk["followup_median"]["value"],
            float(np.median(data[spec["survival"]["time"]])),
            0.5,
            "emergent",
        )
    if "risk_groups" in chk:
        nrisk = sum(
            _covariate(data, spec["survival"]["covariates"][k])
            for k in ("ecog_3_4", "primary_uncontrolled", "extrahepatic_yes")
        )
        for k, v in chk["risk_groups"]["counts"].items():
            out.add(
                f"patients with {k} risk factors",
                chk["risk_groups"]["source"],
                int(v),
                int((nrisk == int(k)).sum()),
                0,
                "emergent (conflict a)",
            )
    for g in chk.get("group_medians", []):
        col = data[g["column"]].astype(str)
        tcol, ecol = spec["survival"]["time"], spec["survival"]["event"]
        lab = g.get("label", "emergent")
        grp = pd.Series(np.full(len(data), None, dtype=object))
        for gname, levs in g["groups"].items():
            sel = col.isin([str(v) for v in levs]).to_numpy()
            grp[sel] = gname
            if gname not in g["medians"]:
                continue
            m = km(data[tcol][sel], data[ecol][sel])["median"] if sel.any() else float("nan")
            out.add(
                f"median {spec['survival'].get('name', 'OS')}, {g['column']} {gname}",
                g["source"],
                g["medians"][gname],
                m,
                g.get("tol", 1.0),
                lab,
            )
        if "p" in g:  # log-rank p-value over the groups present
            from ..survival import logrank

            ok = grp.notna().to_numpy()
            if grp[ok].nunique() >= 2:
                r = logrank(
                    data[tcol].to_numpy(float)[ok], data[ecol].to_numpy(int)[ok], grp[ok].to_numpy()
                )
                out.add(
                    f"log-rank p, {g['column']}",
                    g["source"],
                    g["p"],
                    round(float(r.p_value), 3),
                    None,
                    lab,
                )
                out.rows[-1]["tolerance"] = "same side of 0.05"
                out.rows[-1]["status"] = "ok" if (r.p_value < 0.05) == (g["p"] < 0.05) else "MISS"
