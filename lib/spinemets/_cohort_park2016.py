"""Post-step for paper D (park2016): nest the 28 lesions in 24 patients.

Three patients had several treated lesions (Results 1); the split (2, 2, 3) is an assumption
given in the spec (``nesting.lesions_per_patient``). Lesions of one patient are consecutive rows
after a seeded shuffle; ``patient_id`` is ``P01``..``P24``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def nest_lesions(df: pd.DataFrame, spec: dict, rng: np.random.Generator) -> pd.DataFrame:
    """Add ``patient_id`` so that ``spec['nesting']`` (patients, lesions per patient) holds exactly."""
    nest = spec["nesting"]
    sizes = [int(k) for k, v in nest["lesions_per_patient"].items() for _ in range(int(v))]
    if len(sizes) != int(nest["patients"]) or sum(sizes) != len(df):
        raise ValueError(f"nesting: {len(sizes)} patients with {sum(sizes)} lesions, "
                         f"need {nest['patients']} patients and {len(df)} lesions")
    sizes = [sizes[i] for i in rng.permutation(len(sizes))]
    pid = np.repeat([f"P{i + 1:02d}" for i in range(len(sizes))], sizes)
    df = df.reset_index(drop=True).copy()
    df.insert(0, "patient_id", pid)
    return df
