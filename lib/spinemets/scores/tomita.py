"""The Tomita score (2001)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from .._validation import renamed_arguments
from ._common import BANDS, Score, _choice, _from_frame, _group, _scalar, _vector

# --------------------------------------------------------------------------------------------
# Tomita
# --------------------------------------------------------------------------------------------

#: Tomita primary-tumour growth classes (examples per class from the 2001 scoring table).
TOMITA_PRIMARY = {
    **{k: "slow" for k in ("breast", "thyroid", "prostate")},
    **{k: "moderate" for k in ("kidney", "rcc", "renal cell carcinoma", "uterus")},
    **{
        k: "rapid"
        for k in (
            "lung",
            "liver",
            "hcc",
            "hepatocellular carcinoma",
            "stomach",
            "colon",
            "unknown",
            "unidentified",
        )
    },
}
_TOMITA_GROWTH = {"slow": 1, "moderate": 2, "rapid": 4}
_TOMITA_VISCERAL = {"none": 0, "treatable": 2, "untreatable": 4}
_TOMITA_BONE = {"solitary": 1, "isolated": 1, "multiple": 2}


def _tomita_growth(primary: Any) -> str:
    _scalar(primary, "primary")
    key = primary.strip().lower() if isinstance(primary, str) else None
    growth = key if key in _TOMITA_GROWTH else TOMITA_PRIMARY.get(key)
    if growth is None:
        allowed = ", ".join(list(_TOMITA_GROWTH) + list(TOMITA_PRIMARY))
        raise ValueError(
            f"primary must be a growth class or a primary site ({allowed}); got {primary!r}"
        )
    return growth


def tomita(primary: str, visceral_mets: str, bone_mets: str) -> Score | pd.DataFrame:
    """Tomita score: total 2-10 and its surgical strategy.

    Points (the "prognostic scoring system" table of Tomita et al. 2001): primary tumour slow /
    moderate / rapid growth = 1 / 2 / 4 (pass the class or a primary-site name from
    :data:`TOMITA_PRIMARY`; liver is rapid); visceral metastases none / treatable / untreatable
    = 0 / 2 / 4; bone metastases (including spine) solitary or isolated / multiple = 1 / 2.

    Bands (2001, the treatment-strategy figure): 2-3 long-term local control (wide or marginal
    excision); 4-5 middle-term local control (marginal or intralesional excision); 6-7
    short-term palliation (palliative surgery); 8-10 terminal care (non-operative supportive
    care). The 2001 paper states a goal and an operation per band, not a predicted survival.
    With an HCC primary (4 points) the total lies in 5-10: the 2-3 band cannot contain an HCC
    patient and the 4-5 band only a total of 5.

    Provenance: not verified against the primary source (Spine 2001, not open access).

    Returns
    -------
    Score
        Or a DataFrame of ``total`` and ``group`` for Series items.

    References
    ----------
    Tomita K, Kawahara N, Kobayashi T, Yoshida A, Murakami H, Akamaru T. Spine 2001;26(3):298-306.
    doi:10.1097/00007632-200102010-00016
    """
    vec = _vector(tomita, dict(primary=primary, visceral_mets=visceral_mets, bone_mets=bone_mets))
    if vec is not None:
        return vec
    points = {
        "primary": _TOMITA_GROWTH[_tomita_growth(primary)],
        "visceral_mets": _choice(visceral_mets, "visceral_mets", _TOMITA_VISCERAL),
        "bone_mets": _choice(bone_mets, "bone_mets", _TOMITA_BONE),
    }
    total = sum(points.values())
    group, meaning = _group(total, BANDS["tomita"], "Tomita")
    return Score("Tomita (2001)", total, group, meaning, points)


@renamed_arguments(df="data")
def tomita_from_frame(data: pd.DataFrame, columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Tomita total and group for every row."""
    return _from_frame(data, tomita, ["primary", "visceral_mets", "bone_mets"], columns)
