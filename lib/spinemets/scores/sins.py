"""The Spinal Instability Neoplastic Score (SINS, 2010)."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from .._validation import renamed_arguments
from ._common import BANDS, Score, _choice, _from_frame, _group, _scalar, _vector

# --------------------------------------------------------------------------------------------
# SINS
# --------------------------------------------------------------------------------------------

_SINS_LOCATION = {"junctional": 3, "mobile": 2, "semi-rigid": 1, "semirigid": 1, "rigid": 0}
_SINS_PAIN = {"mechanical": 3, "occasional": 1, "non-mechanical": 1, "none": 0}
_SINS_LESION = {"lytic": 2, "mixed": 1, "blastic": 0}
_SINS_ALIGNMENT = {
    "subluxation": 4,
    "translation": 4,
    "deformity": 2,
    "de novo deformity": 2,
    "normal": 0,
}
_SINS_COLLAPSE = {">50%": 3, "<50%": 2, "none, >50% involved": 1, "none": 0}
_SINS_POSTEROLATERAL = {"bilateral": 3, "unilateral": 1, "none": 0}
_LEVELS = {"C": 7, "T": 12, "L": 5, "S": 5}


def spine_level_region(level: str) -> str:
    """SINS location class of a spinal level (e.g. "T12" -> "junctional").

    Junctional: occiput-C2, C7-T2, T11-L1, L5-S1; mobile: C3-C6, L2-L4; semi-rigid: T3-T10;
    rigid: S2-S5 (location component of the SINS table, Fisher et al. 2010).
    """
    _scalar(level, "level")
    m = (
        re.fullmatch(r"\s*([CTLS])\s*(\d{1,2})\s*", level.upper())
        if isinstance(level, str)
        else None
    )
    if not m or not 1 <= int(m.group(2)) <= _LEVELS[m.group(1)]:
        raise ValueError(
            f"level must be a spinal level C1-C7, T1-T12, L1-L5 or S1-S5; got {level!r}"
        )
    region, n = m.group(1), int(m.group(2))
    if (
        (region == "C" and (n <= 2 or n == 7))
        or (region == "T" and (n <= 2 or n >= 11))
        or (region == "L" and (n == 1 or n == 5))
        or (region == "S" and n == 1)
    ):
        return "junctional"
    if region in ("C", "L"):
        return "mobile"
    return "semi-rigid" if region == "T" else "rigid"


def sins(
    location: str, pain: str, lesion: str, alignment: str, collapse: str, posterolateral: str
) -> Score | pd.DataFrame:
    """Spinal Instability Neoplastic Score (SINS): total 0-18 and stability class.

    Components (the SINS table of Fisher et al. 2010):

    ================= ===================================================================
    location          junctional 3, mobile 2, semi-rigid 1, rigid 0 (or a level, "T12")
    pain              mechanical 3, occasional non-mechanical 1, pain-free lesion 0
    lesion            lytic 2, mixed 1, blastic 0
    alignment         subluxation/translation 4, de novo deformity 2, normal 0
    collapse          ">50%" 3, "<50%" 2, "none, >50% involved" 1, "none" 0
    posterolateral    bilateral 3, unilateral 1, none 0
    ================= ===================================================================

    Pain follows Fisher's wording: "yes" = mechanical pain (relieved by recumbency, worse with
    movement or loading) 3; "no" = occasional pain that is not mechanical 1; pain-free 0.
    Copied versions of this item are not all faithful; this follows the 2010 table as quoted in
    the project's reference notes (not verified against the primary source).

    Bands: 0-6 stable; 7-12 indeterminate (possibly impending) instability; 13-18 unstable.
    Surgical consultation is recommended for 7 or more.

    Returns
    -------
    Score
        Or a DataFrame of ``total`` and ``group`` for Series items.

    References
    ----------
    Fisher CG, DiPaola CP, Ryken TC, et al. Spine 2010;35(22):E1221-E1229.
    doi:10.1097/BRS.0b013e3181e16ae2
    """
    vec = _vector(
        sins,
        dict(
            location=location,
            pain=pain,
            lesion=lesion,
            alignment=alignment,
            collapse=collapse,
            posterolateral=posterolateral,
        ),
    )
    if vec is not None:
        return vec
    _scalar(location, "location")
    loc = location.strip().lower() if isinstance(location, str) else None
    if loc not in _SINS_LOCATION:
        try:
            loc = spine_level_region(location)
        except ValueError:
            raise ValueError(
                f"location must be junctional, mobile, semi-rigid, rigid or a spinal level like 'T12'; got {location!r}"
            ) from None
    points = {
        "location": _SINS_LOCATION[loc],
        "pain": _choice(pain, "pain", _SINS_PAIN),
        "lesion": _choice(lesion, "lesion", _SINS_LESION),
        "alignment": _choice(alignment, "alignment", _SINS_ALIGNMENT),
        "collapse": _choice(collapse, "collapse", _SINS_COLLAPSE),
        "posterolateral": _choice(posterolateral, "posterolateral", _SINS_POSTEROLATERAL),
    }
    total = sum(points.values())
    group, meaning = _group(total, BANDS["sins"], "SINS")
    return Score("SINS (2010)", total, group, meaning, points)


@renamed_arguments(df="data")
def sins_from_frame(data: pd.DataFrame, columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """SINS total and group for every row."""
    return _from_frame(
        data,
        sins,
        ["location", "pain", "lesion", "alignment", "collapse", "posterolateral"],
        columns,
    )
