"""Clinical scores and grades for spinal metastases, computed from their items.

Each score validates its items (a ValueError names the item and its allowed values; a missing
item, a list, a bool where a number is due, or an unknown primary site is refused, never given a
default), returns the total *and* the band of its source paper with the prognosis or treatment
that source attaches to it, and scores many rows at once: pass pandas Series sharing one index
(the result is a DataFrame of totals and bands) or a DataFrame to the ``*_from_frame`` companion.
:data:`BANDS` lists every score's bands; :func:`total_range` gives the attainable totals for a
primary site (HCC: revised Tokuhashi 1-11, Tomita 5-10).

Provenance. The primary papers (Spine 1990, 2001, 2005, 2010; Br J Surg 1973; Paraplegia
1969) are not open access and could **not** be read for this library: the point tables were
taken from the project's reference notes and cross-checked with secondary sources (which disagree
in places; where they do, the docstring says which reading is followed and why). Each
docstring names the table of the source it transcribes and says "not verified against the
primary source" where that is the case; tables are named by their title, not their number,
because the numbering could not be checked.

References
----------
Tokuhashi Y, Matsuzaki H, Oda H, Oshima M, Ryu J. A revised scoring system for preoperative
evaluation of metastatic spine tumor prognosis. Spine 2005;30(19):2186-2191.
Tokuhashi Y, Matsuzaki H, Toriyama S, Kawano H, Ohsaka S. Scoring system for the preoperative
evaluation of metastatic spine tumor prognosis. Spine 1990;15(11):1110-1113.
Tomita K, Kawahara N, Kobayashi T, Yoshida A, Murakami H, Akamaru T. Surgical strategy for spinal
metastases. Spine 2001;26(3):298-306.
Fisher CG, DiPaola CP, Ryken TC, et al. A novel classification system for spinal instability in
neoplastic disease. Spine 2010;35(22):E1221-E1229.
Pugh RNH, Murray-Lyon IM, Dawson JL, Pietroni MC, Williams R. Transection of the oesophagus for
bleeding oesophageal varices. Br J Surg 1973;60:646-649.
Bilsky MH, Laufer I, Fourney DR, et al. Reliability analysis of the epidural spinal cord
compression scale. J Neurosurg Spine 2010;13(3):324-328.
Frankel HL, Hancock DO, Hyslop G, et al. Paraplegia 1969;7:179-192.
Kirshblum SC, Burns SP, Biering-Sorensen F, et al. International standards for neurological
classification of spinal cord injury (revised 2011). J Spinal Cord Med 2011;34(6):535-546.
Oken MM, Creech RH, Tormey DC, et al. Toxicity and response criteria of the Eastern Cooperative
Oncology Group. Am J Clin Oncol 1982;5(6):649-655.
Rim CH, Choi C, Choi J, Seong J. Gut Liver 2017;11(4):535-542.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, ClassVar, Mapping

import numpy as np
import pandas as pd

from ._results import Result

__all__ = [
    "Score", "tokuhashi_revised", "tokuhashi_original", "tomita", "sins", "child_pugh",
    "ecog_to_kps", "kps_to_tokuhashi_points", "spine_level_region", "bilsky_grade",
    "frankel_grade", "asia_grade", "hcc_sm_gpa", "choi_risk_group",
    "tokuhashi_revised_from_frame", "tokuhashi_original_from_frame", "tomita_from_frame",
    "sins_from_frame", "child_pugh_from_frame", "total_range", "band_of",
    "FRANKEL", "ASIA", "BILSKY", "TOKUHASHI_2005_PRIMARY", "TOKUHASHI_1990_PRIMARY", "TOMITA_PRIMARY",
    "BANDS",
]


@dataclasses.dataclass(frozen=True, repr=False)
class Score(Result):
    """A clinical score: its name, total, the points per item, and the source paper's group."""

    _title: ClassVar[str] = "Score"
    score: str
    total: int
    group: str
    meaning: str
    points: dict


_NOT_SCALAR = (list, tuple, set, dict, np.ndarray, pd.Series, pd.DataFrame)


def _scalar(value: Any, name: str) -> None:
    """Refuse containers and missing values for one item (a ValueError naming the item)."""
    if isinstance(value, _NOT_SCALAR):
        raise ValueError(f"{name} must be a single value, got a {type(value).__name__}; score many rows "
                         "by passing pandas Series with one index, or a DataFrame to the *_from_frame function")
    if value is None or (isinstance(value, (float, np.floating)) and np.isnan(value)):
        raise ValueError(f"{name} is missing ({value!r}); every item is required (no silent default)")


def _choice(value: Any, name: str, allowed: Mapping[str, Any]) -> Any:
    _scalar(value, name)
    key = value.strip().lower() if isinstance(value, str) else value
    ok = not isinstance(key, (bool, np.bool_))
    try:
        ok = ok and key in allowed
    except TypeError:   # unhashable
        ok = False
    if not ok:
        shown = ", ".join(repr(k) for k in allowed)
        raise ValueError(f"{name} must be one of {shown}; got {value!r}")
    return allowed[key]


def _count(value: Any, name: str) -> int:
    _scalar(value, name)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be a whole number >= 0, got {value!r}")
    return int(value)


def _number(value: Any, name: str, *, low: float = 0.0, strict: bool = True) -> float:
    """A clinical measurement: a finite real number (not a bool, not a string) above ``low``."""
    _scalar(value, name)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not np.isfinite(value) or (value <= low if strict else value < low):
        what = "a positive number" if (strict and low == 0) else f"a finite number {'>' if strict else '>='} {low:g}"
        raise ValueError(f"{name} must be {what} (not a bool or a string), got {value!r}")
    return float(value)


def _flag(value: Any, name: str) -> bool:
    """A boolean option: True or False only (the string "no" is truthy, so strings are refused)."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _kps(value: Any) -> int:
    _scalar(value, "kps")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer, float, np.floating)) \
            or not np.isfinite(value) or not 0 <= value <= 100 or value % 10:
        raise ValueError(f"kps must be 0-100 in steps of 10, got {value!r}")
    return int(value)


def _vector(func, items: dict, **options) -> pd.DataFrame | None:
    """Score many rows when items are pandas Series sharing one index (scalars are broadcast).

    Returns None when every item is a scalar (the caller scores one row).
    """
    series = {k: v for k, v in items.items() if isinstance(v, pd.Series)}
    if not series:
        return None
    index = next(iter(series.values())).index
    for k, v in series.items():
        if not v.index.equals(index):
            raise ValueError(f"{k} has a different index from {next(iter(series))}: align the Series "
                             "first (rows are never paired by position when they carry labels)")
    df = pd.DataFrame({k: (v if isinstance(v, pd.Series) else pd.Series([v] * len(index), index=index, dtype=object))
                       for k, v in items.items()}, index=index)
    return _from_frame(df, func, list(items), None, **options)


#: Bands of each score: (lowest total, highest total, label, what the source says of the band).
BANDS: dict[str, list[tuple[int, int, str, str]]] = {
    "tokuhashi_revised": [
        (0, 8, "0-8", "predicted survival < 6 months: conservative treatment"),
        (9, 11, "9-11", "predicted survival >= 6 months: palliative surgery (excisional if one "
                        "lesion, no organ mets)"),
        (12, 15, "12-15", "predicted survival >= 1 year: excisional surgery"),
    ],
    "tokuhashi_original": [
        (0, 5, "0-5", "predicted survival <= 3 months: palliative treatment"),
        (6, 8, "6-8", "intermediate (no prediction stated)"),
        (9, 12, "9-12", "predicted survival >= 12 months: excisional surgery"),
    ],
    "tomita": [
        (2, 3, "2-3", "long-term local control: wide or marginal excision"),
        (4, 5, "4-5", "middle-term local control: marginal or intralesional excision"),
        (6, 7, "6-7", "short-term palliation: palliative surgery"),
        (8, 10, "8-10", "terminal care: non-operative supportive care"),
    ],
    "sins": [
        (0, 6, "stable", "stable"),
        (7, 12, "indeterminate", "indeterminate (possibly impending) instability: surgical consultation"),
        (13, 18, "unstable", "unstable: surgical consultation"),
    ],
    "child_pugh": [(5, 6, "A", "well-compensated disease"), (7, 9, "B", "significant functional compromise"),
                   (10, 15, "C", "decompensated disease")],
    "hcc_sm_gpa": [(0, 0, "low", "validation median OS 13.6 months, 1-year OS 58.3%"),
                   (1, 2, "intermediate", "validation median OS 4.8 months, 1-year OS 17.8%"),
                   (3, 4, "high", "validation median OS 2.6 months, 1-year OS 7.3%")],
}


def _group(total: int, bands: list[tuple[int, int, str, str]], score: str) -> tuple[str, str]:
    for low, high, group, meaning in bands:
        if low <= total <= high:
            return group, meaning
    raise ValueError(f"{score} total {total} outside its range")  # pragma: no cover


def band_of(score: str, total: Any) -> str:
    """The band label of a total under a score's source bands (see :data:`BANDS`).

    >>> band_of("tomita", 5)
    '4-5'
    """
    bands = _choice(score, "score", BANDS)
    t = _count(total, "total")
    lo, hi = bands[0][0], bands[-1][1]
    if not lo <= t <= hi:
        raise ValueError(f"total must be {lo}-{hi} for {score}, got {total!r}")
    return _group(t, bands, score)[0]


# --------------------------------------------------------------------------------------------
# Frankel, ASIA, Bilsky
# --------------------------------------------------------------------------------------------

FRANKEL = {
    "A": "complete: no motor or sensory function below the level",
    "B": "sensory only",
    "C": "motor useless",
    "D": "motor useful (walks with or without aids)",
    "E": "recovery: normal motor and sensory function (abnormal reflexes may persist)",
}
ASIA = {
    "A": "no sensory or motor function in S4-5",
    "B": "sensory but not motor function below the neurological level, including S4-5",
    "C": "motor function preserved; more than half of key muscles below the level graded < 3",
    "D": "motor function preserved; at least half of key muscles below the level graded >= 3",
    "E": "normal sensory and motor function (after prior deficits)",
}
BILSKY = {
    "0": "bone only", "1a": "epidural impingement, no thecal-sac deformation",
    "1b": "thecal-sac deformation, no cord abutment", "1c": "cord abutment, no compression",
    "2": "cord compression, CSF visible", "3": "cord compression, no CSF visible",
}


def _grade(grade: Any, name: str, allowed: Mapping[str, str], extra: str = "") -> str:
    _scalar(grade, name)
    g = grade.strip().upper() if isinstance(grade, str) else None
    if g not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {grade!r}{extra}")
    return g


def frankel_grade(grade: str) -> str:
    """Validate a Frankel grade (A-E) and return it upper-case.

    A complete; B sensory only; C motor useless; D motor useful; E recovery (grades as in
    Frankel et al. 1969, quoted from the project's reference notes; not verified against the
    primary source). "Modified Frankel" variants that split a grade (D1-D3) are refused: name
    and map the variant first.

    References
    ----------
    Frankel HL, Hancock DO, Hyslop G, et al. Paraplegia 1969;7:179-192.
    """
    return _grade(grade, "frankel", FRANKEL, " (modified variants such as D1-D3 are not accepted)")


def asia_grade(grade: str) -> str:
    """Validate an ASIA Impairment Scale grade (A-E). Not a relabelled Frankel grade (C/D differ).

    C: more than half of the key muscles below the neurological level graded < 3; D: at least
    half graded >= 3 (Kirshblum et al. 2011, the ISNCSCI worksheet definitions).

    References
    ----------
    Kirshblum SC, et al. J Spinal Cord Med 2011;34(6):535-546.
    """
    return _grade(grade, "asia", ASIA)


def bilsky_grade(grade: Any) -> tuple[str, str]:
    """Validate a Bilsky ESCC grade and return ``(grade, "low" | "high")``.

    Six grades on axial T2 MRI at the level of worst compression (Bilsky et al. 2010, grading
    figure): 0 bone only; 1a epidural impingement without thecal-sac deformation; 1b thecal-sac
    deformation without cord abutment; 1c cord abutment without compression; 2 cord compression
    with CSF visible; 3 cord compression without CSF. Low grade: 0, 1a, 1b (radiotherapy first
    if the spine is stable); high grade: 2, 3 (decompression or separation surgery before
    radiotherapy unless very radiosensitive); 1c is debated and is reported as
    ``"low (1c, debated)"``. Not verified against the primary source.

    References
    ----------
    Bilsky MH, et al. J Neurosurg Spine 2010;13(3):324-328. doi:10.3171/2010.3.SPINE09459
    """
    _scalar(grade, "bilsky")
    if isinstance(grade, (bool, np.bool_)) or not isinstance(grade, (str, int, np.integer)):
        raise ValueError(f"bilsky must be one of {', '.join(BILSKY)}; got {grade!r}")
    g = str(grade).strip().lower()
    if g not in BILSKY:
        raise ValueError(f"bilsky must be one of {', '.join(BILSKY)}; got {grade!r}")
    return g, ("high" if g in ("2", "3") else "low (1c, debated)" if g == "1c" else "low")


# --------------------------------------------------------------------------------------------
# ECOG and KPS
# --------------------------------------------------------------------------------------------

_ECOG_KPS = {
    # ECOG: (low, high) KPS
    "web": {0: (90, 100), 1: (70, 80), 2: (50, 60), 3: (30, 40), 4: (10, 20)},
    "buccheri1996": {0: (100, 100), 1: (80, 90), 2: (60, 70), 3: (40, 50), 4: (20, 30)},
    "prasad2018": {0: (100, 100), 1: (80, 90), 2: (70, 70), 3: (50, 60), 4: (10, 40)},
}


def _ecog(ecog: Any) -> int:
    _scalar(ecog, "ecog")
    if isinstance(ecog, (bool, np.bool_)) or not isinstance(ecog, (int, np.integer)) or ecog not in (0, 1, 2, 3, 4):
        raise ValueError(f"ecog must be 0, 1, 2, 3 or 4; got {ecog!r}")
    return int(ecog)


def ecog_to_kps(ecog: int, mapping: str = "buccheri1996") -> tuple[int, int]:
    """The KPS range an ECOG grade corresponds to under a named published mapping.

    No formal ECOG-KPS mapping exists and published ones disagree, so the mapping is a named
    choice: ``"web"`` (common web tables), ``"buccheri1996"`` (conventional; Buccheri et al.,
    Eur J Cancer 1996) or ``"prasad2018"`` (empirical, 5844 paired ratings; Prasad et al., World
    J Clin Oncol 2018;9(7):140-147). ECOG 5 (dead) has no KPS range here.

    Returns
    -------
    (low, high) : tuple of int

    References
    ----------
    Oken MM, et al. Am J Clin Oncol 1982;5(6):649-655 (ECOG grades).
    Buccheri G, Ferrigno D, Tamburini M. Eur J Cancer 1996;32A(7):1135-1141.
    Prasad KT, et al. World J Clin Oncol 2018;9(7):140-147. doi:10.5306/wjco.v9.i7.140
    """
    table = _choice(mapping, "mapping", _ECOG_KPS)
    return table[_ecog(ecog)]


def kps_to_tokuhashi_points(kps: int) -> int:
    """General-condition points of the Tokuhashi score: KPS 10-40% -> 0, 50-70% -> 1, 80-100% -> 2.

    Bands of the general-condition item ("poor / moderate / good performance status") of
    the scoring table of Tokuhashi et al. 2005 (not verified against the primary source).
    """
    k = _kps(kps)
    if k < 10:
        raise ValueError(f"kps must be 10-100 for the Tokuhashi score, got {kps!r}")
    return 0 if k <= 40 else 1 if k <= 70 else 2


# --------------------------------------------------------------------------------------------
# Tokuhashi
# --------------------------------------------------------------------------------------------

#: Revised Tokuhashi (2005) primary-site points (the 2005 scoring table; see :func:`tokuhashi_revised`).
TOKUHASHI_2005_PRIMARY = {
    **{k: 0 for k in ("lung", "osteosarcoma", "stomach", "bladder", "esophagus", "oesophagus", "pancreas")},
    **{k: 1 for k in ("liver", "hcc", "hepatocellular carcinoma", "gallbladder", "unidentified", "unknown")},
    **{k: 2 for k in ("other", "others")},
    **{k: 3 for k in ("kidney", "renal cell carcinoma", "rcc", "uterus")},
    **{k: 4 for k in ("rectum",)},
    **{k: 5 for k in ("thyroid", "breast", "prostate", "carcinoid")},
}
#: Original Tokuhashi (1990) primary-site points (unverified, see :func:`tokuhashi_original`).
TOKUHASHI_1990_PRIMARY = {
    **{k: 0 for k in ("lung", "stomach")},
    **{k: 1 for k in ("kidney", "rcc", "renal cell carcinoma", "liver", "hcc", "hepatocellular carcinoma",
                      "uterus", "other", "others", "unidentified", "unknown")},
    **{k: 2 for k in ("thyroid", "prostate", "breast", "rectum")},
}
_TOKUHASHI_1990_PRIMARY = TOKUHASHI_1990_PRIMARY        # old private name, kept for callers
_BONE_FOCI = lambda n: 0 if n >= 3 else 1 if n >= 1 else 2          # noqa: E731
_VB_METS = lambda n: 0 if n >= 3 else 1 if n == 2 else 2             # noqa: E731
_ORGAN = {"none": 2, "removable": 1, "unremovable": 0}
_PALSY = {"A": 0, "B": 0, "C": 1, "D": 1, "E": 2}
_TOKUHASHI_ITEMS = ["kps", "extraspinal_bone_foci", "vertebral_body_mets", "organ_mets", "primary", "frankel"]


def _tokuhashi_items(kps, extraspinal_bone_foci, vertebral_body_mets, organ_mets, primary, frankel,
                     primary_table) -> dict:
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


def tokuhashi_revised(kps: int, extraspinal_bone_foci: int, vertebral_body_mets: int,
                      organ_mets: str, primary: str, frankel: str) -> Score:
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
    vec = _vector(tokuhashi_revised, dict(kps=kps, extraspinal_bone_foci=extraspinal_bone_foci,
                                          vertebral_body_mets=vertebral_body_mets, organ_mets=organ_mets,
                                          primary=primary, frankel=frankel))
    if vec is not None:
        return vec
    points = _tokuhashi_items(kps, extraspinal_bone_foci, vertebral_body_mets, organ_mets, primary, frankel,
                              TOKUHASHI_2005_PRIMARY)
    total = sum(points.values())
    group, meaning = _group(total, BANDS["tokuhashi_revised"], "revised Tokuhashi")
    return Score("revised Tokuhashi (2005)", total, group, meaning, points)


def tokuhashi_original(kps: int, extraspinal_bone_foci: int, vertebral_body_mets: int,
                       organ_mets: str, primary: str, frankel: str) -> Score:
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
    vec = _vector(tokuhashi_original, dict(kps=kps, extraspinal_bone_foci=extraspinal_bone_foci,
                                           vertebral_body_mets=vertebral_body_mets, organ_mets=organ_mets,
                                           primary=primary, frankel=frankel))
    if vec is not None:
        return vec
    points = _tokuhashi_items(kps, extraspinal_bone_foci, vertebral_body_mets, organ_mets, primary, frankel,
                              TOKUHASHI_1990_PRIMARY)
    total = sum(points.values())
    group, meaning = _group(total, BANDS["tokuhashi_original"], "original Tokuhashi")
    return Score("original Tokuhashi (1990, unverified)", total, group, meaning, points)


# --------------------------------------------------------------------------------------------
# Tomita
# --------------------------------------------------------------------------------------------

#: Tomita primary-tumour growth classes (examples per class from the 2001 scoring table).
TOMITA_PRIMARY = {
    **{k: "slow" for k in ("breast", "thyroid", "prostate")},
    **{k: "moderate" for k in ("kidney", "rcc", "renal cell carcinoma", "uterus")},
    **{k: "rapid" for k in ("lung", "liver", "hcc", "hepatocellular carcinoma", "stomach", "colon",
                            "unknown", "unidentified")},
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
        raise ValueError(f"primary must be a growth class or a primary site ({allowed}); got {primary!r}")
    return growth


def tomita(primary: str, visceral_mets: str, bone_mets: str) -> Score:
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
    points = {"primary": _TOMITA_GROWTH[_tomita_growth(primary)],
              "visceral_mets": _choice(visceral_mets, "visceral_mets", _TOMITA_VISCERAL),
              "bone_mets": _choice(bone_mets, "bone_mets", _TOMITA_BONE)}
    total = sum(points.values())
    group, meaning = _group(total, BANDS["tomita"], "Tomita")
    return Score("Tomita (2001)", total, group, meaning, points)


def total_range(score: str, primary: str) -> tuple[int, int]:
    """Lowest and highest total a score can reach for a primary site.

    Only the primary-site item depends on the primary; the other items range over all their
    values. HCC ("liver"): revised and original Tokuhashi 1-11, Tomita 5-10.

    Parameters
    ----------
    score : {"tokuhashi_revised", "tokuhashi_original", "tomita"}
    primary : str
        A primary site known to that score.

    >>> total_range("tomita", "liver")
    (5, 10)
    """
    score = _choice(score, "score", {k: k for k in ("tokuhashi_revised", "tokuhashi_original", "tomita")})
    if score == "tomita":
        g = _TOMITA_GROWTH[_tomita_growth(primary)]
        return g + 0 + 1, g + 4 + 2
    table = TOKUHASHI_2005_PRIMARY if score == "tokuhashi_revised" else TOKUHASHI_1990_PRIMARY
    p = _choice(primary, "primary", table)
    return p, p + 2 * 5


# --------------------------------------------------------------------------------------------
# SINS
# --------------------------------------------------------------------------------------------

_SINS_LOCATION = {"junctional": 3, "mobile": 2, "semi-rigid": 1, "semirigid": 1, "rigid": 0}
_SINS_PAIN = {"mechanical": 3, "occasional": 1, "non-mechanical": 1, "none": 0}
_SINS_LESION = {"lytic": 2, "mixed": 1, "blastic": 0}
_SINS_ALIGNMENT = {"subluxation": 4, "translation": 4, "deformity": 2, "de novo deformity": 2, "normal": 0}
_SINS_COLLAPSE = {">50%": 3, "<50%": 2, "none, >50% involved": 1, "none": 0}
_SINS_POSTEROLATERAL = {"bilateral": 3, "unilateral": 1, "none": 0}
_LEVELS = {"C": 7, "T": 12, "L": 5, "S": 5}


def spine_level_region(level: str) -> str:
    """SINS location class of a spinal level (e.g. "T12" -> "junctional").

    Junctional: occiput-C2, C7-T2, T11-L1, L5-S1; mobile: C3-C6, L2-L4; semi-rigid: T3-T10;
    rigid: S2-S5 (location component of the SINS table, Fisher et al. 2010).
    """
    _scalar(level, "level")
    m = re.fullmatch(r"\s*([CTLS])\s*(\d{1,2})\s*", level.upper()) if isinstance(level, str) else None
    if not m or not 1 <= int(m.group(2)) <= _LEVELS[m.group(1)]:
        raise ValueError(f"level must be a spinal level C1-C7, T1-T12, L1-L5 or S1-S5; got {level!r}")
    region, n = m.group(1), int(m.group(2))
    if (region == "C" and (n <= 2 or n == 7)) or (region == "T" and (n <= 2 or n >= 11)) \
            or (region == "L" and (n == 1 or n == 5)) or (region == "S" and n == 1):
        return "junctional"
    if region in ("C", "L"):
        return "mobile"
    return "semi-rigid" if region == "T" else "rigid"


def sins(location: str, pain: str, lesion: str, alignment: str, collapse: str, posterolateral: str) -> Score:
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
    vec = _vector(sins, dict(location=location, pain=pain, lesion=lesion, alignment=alignment,
                             collapse=collapse, posterolateral=posterolateral))
    if vec is not None:
        return vec
    _scalar(location, "location")
    loc = location.strip().lower() if isinstance(location, str) else None
    if loc not in _SINS_LOCATION:
        try:
            loc = spine_level_region(location)
        except ValueError:
            raise ValueError(f"location must be junctional, mobile, semi-rigid, rigid or a spinal level like 'T12'; got {location!r}") from None
    points = {"location": _SINS_LOCATION[loc], "pain": _choice(pain, "pain", _SINS_PAIN),
              "lesion": _choice(lesion, "lesion", _SINS_LESION),
              "alignment": _choice(alignment, "alignment", _SINS_ALIGNMENT),
              "collapse": _choice(collapse, "collapse", _SINS_COLLAPSE),
              "posterolateral": _choice(posterolateral, "posterolateral", _SINS_POSTEROLATERAL)}
    total = sum(points.values())
    group, meaning = _group(total, BANDS["sins"], "SINS")
    return Score("SINS (2010)", total, group, meaning, points)


# --------------------------------------------------------------------------------------------
# Child-Pugh
# --------------------------------------------------------------------------------------------

def child_pugh(bilirubin: float, albumin: float, ascites: str, encephalopathy: str,
               inr: float | None = None, pt_prolongation: float | None = None,
               albumin_cutoffs: str = "pugh", cholestatic: bool = False) -> Score:
    """Child-Pugh score (5-15) and class (A 5-6, B 7-9, C 10-15).

    Points (the grading table of Pugh et al. 1973, with the INR column added by later convention):

    ==================== ================ ================= ================
    Parameter            1                2                 3
    ==================== ================ ================= ================
    Bilirubin (mg/dL)    < 2              2-3               > 3
    Albumin (g/dL)       > 3.5            2.8-3.5           < 2.8
    INR / PT (s)         < 1.7 / < 4      1.7-2.3 / 4-6     > 2.3 / > 6
    Ascites              none             slight            moderate
    Encephalopathy       none             grade 1-2         grade 3-4
    ==================== ================ ================= ================

    Pugh's 1973 table gives bilirubin in mg/100 ml (1-2 / 2-3 / > 3) and PT prolongation in
    seconds; the INR cut-offs are a later convention. Not verified against the primary source.

    Parameters
    ----------
    bilirubin : float
        Total bilirubin, mg/dL (divide µmol/L by 17.1). A number, not a bool or a string.
    albumin : float
        g/dL.
    ascites : {"none", "slight", "moderate"}
    encephalopathy : {"none", "grade 1-2", "grade 3-4"}
    inr, pt_prolongation : float
        Give exactly one: INR (later convention) or prothrombin-time prolongation in seconds
        (Pugh's original).
    albumin_cutoffs : {"pugh", "harrison"}
        "harrison" uses > 3.5 / 3.0-3.5 / < 3.0 g/dL.
    cholestatic : bool
        True or False only (a string such as "no" is refused, not read as True). True uses the
        bilirubin bands 1-4 / 4-10 / > 10 mg/dL for cholestatic disease (primary biliary
        cirrhosis; not verified against a primary source).

    Returns
    -------
    Score
        Or a DataFrame of ``total`` and ``group`` for Series items.

    References
    ----------
    Pugh RNH, Murray-Lyon IM, Dawson JL, Pietroni MC, Williams R. Br J Surg 1973;60(8):646-649.
    doi:10.1002/bjs.1800600817
    """
    cholestatic = _flag(cholestatic, "cholestatic")
    cut = _choice(albumin_cutoffs, "albumin_cutoffs", {"pugh": (3.5, 2.8), "harrison": (3.5, 3.0)})
    vec = _vector(child_pugh, {k: v for k, v in dict(bilirubin=bilirubin, albumin=albumin, ascites=ascites,
                                                      encephalopathy=encephalopathy, inr=inr,
                                                      pt_prolongation=pt_prolongation).items() if v is not None},
                  albumin_cutoffs=albumin_cutoffs, cholestatic=cholestatic)
    if vec is not None:
        return vec
    bilirubin = _number(bilirubin, "bilirubin")
    albumin = _number(albumin, "albumin")
    if (inr is None) == (pt_prolongation is None):
        raise ValueError("give exactly one of inr or pt_prolongation")
    b1, b2 = (4.0, 10.0) if cholestatic else (2.0, 3.0)
    pts = {"bilirubin": 1 if bilirubin < b1 else 2 if bilirubin <= b2 else 3,
           "albumin": 1 if albumin > cut[0] else 2 if albumin >= cut[1] else 3}
    if inr is not None:
        inr = _number(inr, "inr")
        pts["coagulation"] = 1 if inr < 1.7 else 2 if inr <= 2.3 else 3
    else:
        pt = _number(pt_prolongation, "pt_prolongation", strict=False)
        pts["coagulation"] = 1 if pt < 4 else 2 if pt <= 6 else 3
    pts["ascites"] = _choice(ascites, "ascites", {"none": 1, "slight": 2, "mild": 2, "moderate": 3, "severe": 3})
    pts["encephalopathy"] = _choice(encephalopathy, "encephalopathy",
                                    {"none": 1, "grade 1-2": 2, "grade 3-4": 3})
    total = sum(pts.values())
    group, meaning = _group(total, BANDS["child_pugh"], "Child-Pugh")
    return Score("Child-Pugh", total, group, meaning, pts)


# --------------------------------------------------------------------------------------------
# HCC-specific prognostic groupings (paper A and its follow-up)
# --------------------------------------------------------------------------------------------

def _yes_no(value: Any, name: str) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    return _choice(value, name, {"yes": True, "no": False, 1: True, 0: False})


def choi_risk_group(ecog: int, primary_controlled: Any, extrahepatic_mets: Any) -> Score:
    """Paper A's risk groups: number of adverse factors (ECOG 3-4, uncontrolled primary HCC,
    extrahepatic metastases other than bone) -> group A (0), B (1), C (2), D (3).

    ``primary_controlled`` and ``extrahepatic_mets`` take True/False, "yes"/"no" or 1/0.

    References
    ----------
    Choi C, Seong J. Gut Liver 2015;9(1):94-102. doi:10.5009/gnl14009
    """
    e = _ecog(ecog)
    pts = {"ecog_3_4": int(e >= 3), "uncontrolled_primary": int(not _yes_no(primary_controlled, "primary_controlled")),
           "extrahepatic_mets": int(_yes_no(extrahepatic_mets, "extrahepatic_mets"))}
    total = sum(pts.values())
    return Score("Choi & Seong risk factors", total, "ABCD"[total], f"{total} risk factor(s)", pts)


def hcc_sm_gpa(ecog: int, primary_controlled: Any, extrahepatic_mets: Any) -> Score:
    """HCC-SM graded prognostic assessment (Rim et al. 2017), the follow-up of paper A.

    ECOG 3-4: 1 point; uncontrolled primary: 2 points; extrahepatic non-bone metastases: 1
    point (Rim et al. 2017, abstract). Risk groups: low (0), intermediate (1-2),
    high (3-4). In the validation cohort (n = 63) median OS was 13.6, 4.8 and 2.6 months.

    References
    ----------
    Rim CH, Choi C, Choi J, Seong J. Gut Liver 2017;11(4):535-542. doi:10.5009/gnl16486
    """
    e = _ecog(ecog)
    pts = {"ecog_3_4": int(e >= 3), "uncontrolled_primary": 2 * int(not _yes_no(primary_controlled, "primary_controlled")),
           "extrahepatic_mets": int(_yes_no(extrahepatic_mets, "extrahepatic_mets"))}
    total = sum(pts.values())
    group, meaning = _group(total, BANDS["hcc_sm_gpa"], "HCC-SM GPA")
    return Score("HCC-SM GPA", total, group, meaning, pts)


# --------------------------------------------------------------------------------------------
# Data-frame helpers
# --------------------------------------------------------------------------------------------

def _from_frame(df: pd.DataFrame, func, args: list[str], columns: Mapping[str, str] | None,
                **options) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    cols = {a: a for a in args} | dict(columns or {})
    unknown = sorted(set(cols) - set(args))
    if unknown:
        raise ValueError(f"columns names unknown item(s) {unknown}; items are {args}")
    missing = [c for c in cols.values() if c not in df.columns]
    if missing:
        raise ValueError(f"data is missing column(s) {missing}; map items to columns with columns={{item: column}}")
    rows = []
    for idx, row in df.iterrows():
        try:
            s = func(**{a: (row[c].item() if hasattr(row[c], "item") else row[c]) for a, c in cols.items()}, **options)
        except ValueError as e:
            raise ValueError(f"row {idx!r}: {e}") from None
        rows.append({"total": s.total, "group": s.group})
    return pd.DataFrame(rows, index=df.index, columns=["total", "group"])


def tokuhashi_revised_from_frame(df: pd.DataFrame, columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Revised Tokuhashi total and group for every row (columns named as the items, or mapped)."""
    return _from_frame(df, tokuhashi_revised, _TOKUHASHI_ITEMS, columns)


def tokuhashi_original_from_frame(df: pd.DataFrame, columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Original (1990) Tokuhashi total and group for every row."""
    return _from_frame(df, tokuhashi_original, _TOKUHASHI_ITEMS, columns)


def tomita_from_frame(df: pd.DataFrame, columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Tomita total and group for every row."""
    return _from_frame(df, tomita, ["primary", "visceral_mets", "bone_mets"], columns)


def sins_from_frame(df: pd.DataFrame, columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """SINS total and group for every row."""
    return _from_frame(df, sins, ["location", "pain", "lesion", "alignment", "collapse", "posterolateral"], columns)


def child_pugh_from_frame(df: pd.DataFrame, columns: Mapping[str, str] | None = None, **options) -> pd.DataFrame:
    """Child-Pugh score and class for every row (INR convention; ``options`` as for :func:`child_pugh`)."""
    return _from_frame(df, child_pugh, ["bilirubin", "albumin", "ascites", "encephalopathy", "inr"], columns, **options)
