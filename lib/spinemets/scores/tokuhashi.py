"""The original (1990) and revised (2005) Tokuhashi scores."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .._validation import renamed_arguments
from ._common import BANDS, Score, _choice, _count, _from_frame, _group, _vector
from .grades import frankel_grade, kps_to_tokuhashi_points

# --------------------------------------------------------------------------------------------
# Tokuhashi
# --------------------------------------------------------------------------------------------

#: Revised Tokuhashi (2005) primary-site points (the 2005 scoring table; see :func:`tokuhashi_revised`).
TOKUHASHI_2005_PRIMARY = {
    **{
        k: 0
        for k in (
            "lung",
            "osteosarcoma",
            "stomach",
            "bladder",
            "esophagus",
            "oesophagus",
            "pancreas",
        )
    },
    **{
        k: 1
        for k in (
            "liver",
            "hcc",
            "hepatocellular carcinoma",
            "gallbladder",
            "unidentified",
            "unknown",
        )
    },
    **{k: 2 for k in ("other", "others")},
    **{k: 3 for k in ("kidney", "renal cell carcinoma", "rcc", "uterus")},
    **{k: 4 for k in ("rectum",)},
    **{k: 5 for k in ("thyroid", "breast", "prostate", "carcinoid")},
}
#: Original Tokuhashi (1990) primary-site points (unverified, see :func:`tokuhashi_original`).
TOKUHASHI_1990_PRIMARY = {
    **{k: 0 for k in ("lung", "stomach")},
    **{
        k: 1
        for k in (
            "kidney",
            "rcc",
            "renal cell carcinoma",
            "liver",
            "hcc",
            "hepatocellular carcinoma",
            "uterus",
            "other",
            "others",
            "unidentified",
            "unknown",
        )
    },
    **{k: 2 for k in ("thyroid", "prostate", "breast", "rectum")},
}
_TOKUHASHI_1990_PRIMARY = TOKUHASHI_1990_PRIMARY  # old private name, kept for callers
_BONE_FOCI = lambda n: 0 if n >= 3 else 1 if n >= 1 else 2  # noqa: E731
_VB_METS = lambda n: 0 if n >= 3 else 1 if n == 2 else 2  # noqa: E731
_ORGAN = {"none": 2, "removable": 1, "unremovable": 0}
_PALSY = {"A": 0, "B": 0, "C": 1, "D": 1, "E": 2}
_TOKUHASHI_ITEMS = [
    "kps",
    "extraspinal_bone_foci",
    "vertebral_body_mets",
    "organ_mets",
    "primary",
    "frankel",
]


def _tokuhashi_items(
    kps, extraspinal_bone_foci, vertebral_body_mets, organ_mets, primary, frankel, primary_table
) -> dict:
    """Points of the six Tokuhashi items (the 1990 and 2005 versions differ in the primary item)."""
    vb = _count(vertebral_body_mets, "vertebral_body_mets")
    if vb < 1:
        raise ValueError("vertebral_body_mets must be >= 1 (the treated lesion counts)")
    return {
        "general_condition": kps_to_tokuhashi_points(kps),
        "extraspinal_bone_foci": _BONE_FOCI(_count(extraspinal_bone_foci, "extraspinal_bone_foci")),
        "vertebral_body_mets": _VB_METS(vb),
        "organ_mets": _choice(organ_mets, "organ_mets", _ORGAN),
        "primary": _choice(primary, "primary", primary_table),
        "palsy": _PALSY[frankel_grade(frankel)],
    }


def tokuhashi_revised(
    kps: int,
    extraspinal_bone_foci: int,
    vertebral_body_mets: int,
    organ_mets: str,
    primary: str,
    frankel: str,
) -> Score | pd.DataFrame:
    """Revised Tokuhashi score (2005): total 0-15 and its predicted-survival band.

    Points per item (the scoring table of Tokuhashi et al. 2005, "revised evaluation system"):

    ============================== ==================== ================ ==========
    Item                           0                    1                2
    ============================== ==================== ================ ==========
    General condition (KPS)        10-40%               50-70%           80-100%
    Extraspinal bone foci          >= 3                 1-2              0
    Vertebral body metastases      >= 3                 2                1
    Major internal organ mets      unremovable          removable        none
    Palsy (Frankel)                A, B                 C, D             E
    ============================== ==================== ================ ==========

    Primary site 0-5 (:data:`TOKUHASHI_2005_PRIMARY`): lung, osteosarcoma, stomach, bladder,
    oesophagus, pancreas 0; liver, gallbladder, unidentified 1; others 2; kidney, uterus 3;
    rectum 4; thyroid, breast, prostate, carcinoid 5.

    Bands (2005, the table of total scores and treatment): 0-8 predicted survival
    **< 6 months** (conservative treatment); 9-11 **>= 6 months** (palliative surgery;
    excisional if a single lesion without major-organ metastases); 12-15 **>= 1 year**
    (excisional surgery). A widely copied web table inverts these inequalities (0-8
    "> 6 months", 9-11 "<= 6 months"); this follows the 2005 paper as transcribed in the
    project's reference notes, with which the documentation of the R package cliot
    (``revised_tokuhashi_score``) agrees on every item and band. Secondary tables also
    disagree on the vertebral-body item; this follows the reading attributed to the 2005 text
    (1 lesion 2 points, 2 lesions 1, >= 3 0).

    With an HCC primary (1 point) the total lies in 1-11 (:func:`total_range`): the 12-15 band
    cannot contain an HCC patient.

    Provenance: the 2005 paper (Spine, not open access) could not be read here; the table is
    transcribed from the project's reference notes, not verified against the primary source.

    Parameters
    ----------
    kps : int
        Karnofsky performance status, 10-100 in steps of 10.
    extraspinal_bone_foci, vertebral_body_mets : int
        Counts (vertebral_body_mets >= 1).
    organ_mets : {"none", "removable", "unremovable"}
    primary : str
        A name in :data:`TOKUHASHI_2005_PRIMARY` (an unknown site raises ValueError).
    frankel : {"A", "B", "C", "D", "E"}

    Returns
    -------
    Score
        Or, when items are pandas Series sharing an index, a DataFrame of ``total`` and ``group``.

    References
    ----------
    Tokuhashi Y, Matsuzaki H, Oda H, Oshima M, Ryu J. Spine 2005;30(19):2186-2191.
    doi:10.1097/01.brs.0000180401.06919.a5
    """
    vec = _vector(
        tokuhashi_revised,
        dict(
            kps=kps,
            extraspinal_bone_foci=extraspinal_bone_foci,
            vertebral_body_mets=vertebral_body_mets,
            organ_mets=organ_mets,
            primary=primary,
            frankel=frankel,
        ),
    )
    if vec is not None:
        return vec
    points = _tokuhashi_items(
        kps,
        extraspinal_bone_foci,
        vertebral_body_mets,
        organ_mets,
        primary,
        frankel,
        TOKUHASHI_2005_PRIMARY,
    )
    total = sum(points.values())
    group, meaning = _group(total, BANDS["tokuhashi_revised"], "revised Tokuhashi")
    return Score("revised Tokuhashi (2005)", total, group, meaning, points)


def tokuhashi_original(
    kps: int,
    extraspinal_bone_foci: int,
    vertebral_body_mets: int,
    organ_mets: str,
    primary: str,
    frankel: str,
) -> Score | pd.DataFrame:
    """Original Tokuhashi score (1990): six items of 0-2 points, total 0-12.

    **Not verified against the primary source** (the 1990 paper could not be read; the book's
    notes mark it "to be checked"): the same six items as the revised score, each 0-2, with the
    primary site lung/stomach 0; kidney, liver, uterus, other, unidentified 1; thyroid,
    prostate, breast, rectum 2 (:data:`TOKUHASHI_1990_PRIMARY`). Bands: total >= 9 predicts
    survival >= 12 months (excisional surgery); <= 5 predicts <= 3 months (palliative); 6-8
    lies between. For an HCC primary (1 point in both versions) the 1990 and 2005 totals are
    equal; only the bands differ.

    Returns
    -------
    Score
        Or a DataFrame of ``total`` and ``group`` for Series items.

    References
    ----------
    Tokuhashi Y, Matsuzaki H, Toriyama S, Kawano H, Ohsaka S. Spine 1990;15(11):1110-1113.
    doi:10.1097/00007632-199011010-00005
    """
    vec = _vector(
        tokuhashi_original,
        dict(
            kps=kps,
            extraspinal_bone_foci=extraspinal_bone_foci,
            vertebral_body_mets=vertebral_body_mets,
            organ_mets=organ_mets,
            primary=primary,
            frankel=frankel,
        ),
    )
    if vec is not None:
        return vec
    points = _tokuhashi_items(
        kps,
        extraspinal_bone_foci,
        vertebral_body_mets,
        organ_mets,
        primary,
        frankel,
        TOKUHASHI_1990_PRIMARY,
    )
    total = sum(points.values())
    group, meaning = _group(total, BANDS["tokuhashi_original"], "original Tokuhashi")
    return Score("original Tokuhashi (1990, unverified)", total, group, meaning, points)


@renamed_arguments(df="data")
def tokuhashi_revised_from_frame(
    data: pd.DataFrame, columns: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Revised Tokuhashi total and group for every row (columns named as the items, or mapped)."""
    return _from_frame(data, tokuhashi_revised, _TOKUHASHI_ITEMS, columns)


@renamed_arguments(df="data")
def tokuhashi_original_from_frame(
    data: pd.DataFrame, columns: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Original (1990) Tokuhashi total and group for every row."""
    return _from_frame(data, tokuhashi_original, _TOKUHASHI_ITEMS, columns)
