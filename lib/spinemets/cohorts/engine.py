"""The build: runs the steps in order, validates against the schema, writes and reads the files."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from .._validation import renamed_arguments
from ..paths import COHORTS_DIR
from .dose import _assign_dose
from .joint import _joint_cached
from .margins import _assign_categorical, _assign_clusters, pinned_sample
from .report import _report, _survival_rows
from .spec import load_spec
from .survival import _knots, km, simulate_survival


def build(paper: str, seed: int | None = None) -> tuple[pd.DataFrame, str]:
    """Build the cohort of ``paper`` from its spec. Returns (DataFrame, markdown report).

    ``seed`` overrides the spec's seed (replicate cohorts); the committed files use the spec's.
    """
    spec = load_spec(paper)
    if seed is not None:
        spec["seed"] = int(seed)
    df, full, calib = _build_frames(spec)
    return df, _report(spec, full, calib, {})


@renamed_arguments(df="data")
def seed_loss(spec: dict, data: pd.DataFrame, calib: dict | None) -> float:
    """Weighted squared distance to the survival targets: sum of ((achieved - target) / tol)^2 over
    the KM targets (every stratum, and the competing event), checks given a ``weight``, and the
    Cox coefficients when they are calibrated."""
    if "survival" not in spec:
        return 0.0
    loss = 0.0
    for r in _survival_rows(spec, data, None):
        w = r["_weight"]
        if w:  # a count with tolerance 0 is scaled by 1
            tol = r["tolerance"]
            scale = float(tol) if isinstance(tol, (int, float)) and tol > 0 else 1.0
            if np.isfinite(float(r["achieved"])):
                loss += w * ((float(r["achieved"]) - float(r["target"])) / scale) ** 2
            else:
                loss += w * 100.0
    sv = spec["survival"]
    if calib is not None and calib.get("names") and int(sv.get("beta_iterations", 5)) > 0:
        loss += float(
            np.sum(((calib["beta_fitted"] - calib["beta_target"]) / sv["hr_tolerance"]) ** 2)
        )
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
            at = (
                ()
                if sv.get("strata")
                else tuple(t for t, _, key in _knots(sv["targets"]) if key != "median")
            )
            k = km(df[sv["time"]], df[sv["event"]], at=at)
        rows.append({"seed": int(sd), "loss": seed_loss(spec, df, calib), **k})
    return pd.DataFrame(rows).sort_values(["loss", "seed"]).reset_index(drop=True)


def _build_frames(spec: dict, rng: np.random.Generator | None = None, model: dict | None = None):
    """Run the steps. ``rng`` defaults to ``default_rng(spec["seed"])``; ``model`` (a calibrated
    survival model, see :func:`simulate_survival`) draws the survival times without calibrating."""
    n = int(spec["n"])
    rng = np.random.default_rng(int(spec["seed"])) if rng is None else rng

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
        vals = pinned_sample(
            rng,
            n,
            vmin=c["min"],
            vmax=c["max"],
            median=c["median"],
            cuts=c.get("cuts", []),
            decimals=int(c.get("decimals", 1)),
            scale=c.get("scale", "linear"),
            priority=c.get("priority", "median"),
        )
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
        df, calib = simulate_survival(df, spec["survival"], rng, model=model)

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


@renamed_arguments(df="data")
def validate(data: pd.DataFrame, spec: dict | str) -> pd.DataFrame:
    """Check a cohort against its schema; raise ValueError naming the column and the rule."""
    if isinstance(spec, str):
        spec = load_spec(spec)
    sch = spec["schema"]
    paper = spec["paper"]
    if "n_rows" in sch and len(data) != sch["n_rows"]:
        raise ValueError(f"cohort {paper}: {len(data)} rows, the schema requires {sch['n_rows']}")
    missing = [c for c in sch["columns"] if c not in data.columns]
    if missing:
        raise ValueError(f"cohort {paper}: missing column(s) {missing}")
    extra = [c for c in data.columns if c not in sch["columns"]]
    if extra:
        raise ValueError(f"cohort {paper}: unexpected column(s) {extra}")
    for c, s in sch["columns"].items():
        col = data[c]
        if col.isna().any() and not s.get("missing", False):
            raise ValueError(
                f"cohort {paper}: column {c!r} has {int(col.isna().sum())} missing value(s); none allowed"
            )
        col = col.dropna()
        if s["type"] in ("int", "float"):
            num = pd.to_numeric(col, errors="coerce")
            if num.isna().any():
                raise ValueError(
                    f"cohort {paper}: column {c!r} must be numeric; bad value {col[num.isna()].iloc[0]!r}"
                )
            if s["type"] == "int" and (num != np.round(num)).any():
                raise ValueError(f"cohort {paper}: column {c!r} must hold integers")
            lo, hi = float(s.get("min", -np.inf)), float(s.get("max", np.inf))
            bad = (num < lo) | (num > hi)
            if bad.any():
                raise ValueError(
                    f"cohort {paper}: column {c!r} value {num[bad].iloc[0]} outside [{lo}, {hi}]"
                )
        else:
            if "levels" in s:
                allowed = [str(v) for v in s["levels"]]
                bad = ~col.astype(str).isin(allowed)
                if bad.any():
                    raise ValueError(
                        f"cohort {paper}: column {c!r} has unknown category "
                        f"{col[bad].iloc[0]!r}; allowed {allowed}"
                    )
        if s.get("unique") and col.duplicated().any():
            raise ValueError(
                f"cohort {paper}: column {c!r} must be unique; duplicate {col[col.duplicated()].iloc[0]!r}"
            )
    return data


@renamed_arguments(df="data")
def to_csv_text(data: pd.DataFrame, spec: dict) -> str:
    """CSV with fixed formatting: ints as ints, floats with the decimals they carry (up to 4)."""
    out = data.copy()
    for c, s in spec["schema"]["columns"].items():
        if s["type"] == "float":
            out[c] = [f"{v:.4f}".rstrip("0").rstrip(".") if np.isfinite(v) else "" for v in out[c]]
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


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
        raise ValueError(
            f"paper={paper!r}: {path} not found; run python -m spinemets.cohorts build --paper {paper}"
        )
    cols = spec["schema"]["columns"]
    df = pd.read_csv(
        path,
        dtype={c: str for c, s in cols.items() if s["type"] in ("str", "category")},
        keep_default_na=False,
        na_values=[""],
    )
    validate(df, spec)
    for c, s in cols.items():
        if s["type"] == "category":
            df[c] = pd.Categorical(df[c], categories=[str(v) for v in s["levels"]])
    return df
