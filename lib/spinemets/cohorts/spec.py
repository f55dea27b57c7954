"""Step 0 of the cohort engine: find and read a paper's declarative spec (``data/cohort_specs/<paper>.yaml``)."""

from __future__ import annotations

import numpy as np
import yaml

from ..paths import DATA_DIR

SPECS_DIR = DATA_DIR / "cohort_specs"


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
        from ..radiobiology import bed

        return np.asarray(bed(total_dose, fractions, alpha_beta), dtype=float)
    except ImportError:
        d = np.asarray(total_dose, float) / np.asarray(fractions, float)
        return np.asarray(total_dose, float) * (1 + d / alpha_beta)


def _key(v):
    return str(v)
