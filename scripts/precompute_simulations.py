"""Precompute the simulation studies that are too slow to run inside a chapter.

Usage (from the repository root)::

    python scripts/precompute_simulations.py

Writes data/replicates/robust_se.csv: the replicate estimates (coef, naive_se, robust_se) of
spinemets.simulate.robust_se_simulation for each run in
spinemets.simulate.PRECOMPUTED_ROBUST_SE (about a minute per run on one core).
"""

from __future__ import annotations

import pandas as pd

from spinemets import simulate
from spinemets.paths import DATA_DIR


def main() -> None:
    out = []
    for name, kw in simulate.PRECOMPUTED_ROBUST_SE.items():
        r = simulate.robust_se_simulation(**kw)
        out.append(r.estimates.assign(covariate=name))
        print(r)
    path = DATA_DIR / "replicates" / "robust_se.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.concat(out, ignore_index=True).round(8).to_csv(path, index=False)
    print("wrote", path)


if __name__ == "__main__":
    main()
