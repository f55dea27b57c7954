"""Clinical scores and grades for spinal metastases, computed from their items.

Each score validates its items (a ValueError names the item and its allowed values), returns the
total *and* the prognostic group of its source paper, and has a ``*_from_frame`` companion that
scores every row of a DataFrame.

Items marked (†) in the book's reference notes were taken from the primary literature but not
checked against the original PDF; their docstrings say so.

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
    "tokuhashi_revised_from_frame", "tomita_from_frame", "sins_from_frame", "child_pugh_from_frame",
    "FRANKEL", "ASIA", "BILSKY", "TOKUHASHI_2005_PRIMARY", "TOMITA_PRIMARY",
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


def _choice(value: Any, name: str, allowed: Mapping[str, Any]) -> Any:
    key = value.strip().lower() if isinstance(value, str) else value
    if key not in allowed:
        shown = ", ".join(repr(k) for k in allowed)
        raise ValueError(f"{name} must be one of {shown}; got {value!r}")
    return allowed[key]


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be a whole number >= 0, got {value!r}")
    return int(value)


def _kps(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer, float)) or not 0 <= value <= 100 or value % 10:
        raise ValueError(f"kps must be 0-100 in steps of 10, got {value!r}")
    return int(value)


def _group(total: int, bands: list[tuple[int, int, str, str]], score: str) -> tuple[str, str]:
    for low, high, group, meaning in bands:
        if low <= total <= high:
            return group, meaning
    raise ValueError(f"{score} total {total} outside its range")  # pragma: no cover


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


def frankel_grade(grade: str) -> str:
    """Validate a Frankel grade (A-E) and return it upper-case (Frankel et al. 1969)."""
    g = grade.strip().upper() if isinstance(grade, str) else grade
    if g not in FRANKEL:
        raise ValueError(f"frankel must be one of A, B, C, D, E; got {grade!r} (modified variants such as D1-D3 are not accepted)")
    return g


def asia_grade(grade: str) -> str:
    """Validate an ASIA Impairment Scale grade (A-E). Not a relabelled Frankel grade (C/D differ)."""
    g = grade.strip().upper() if isinstance(grade, str) else grade
    if g not in ASIA:
        raise ValueError(f"asia must be one of A, B, C, D, E; got {grade!r}")
    return g


def bilsky_grade(grade: Any) -> tuple[str, str]:
    """Validate a Bilsky ESCC grade and return ``(grade, "low" | "high")``.

    Low grade: 0, 1a, 1b (radiotherapy first if the spine is stable); high grade: 2, 3
    (decompression or separation surgery before radiotherapy unless very radiosensitive); 1c is
    debated and is reported as ``"low (1c, debated)"``.

    References
    ----------
    Bilsky MH, et al. J Neurosurg Spine 2010;13(3):324-328.
    """
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


def ecog_to_kps(ecog: int, mapping: str = "buccheri1996") -> tuple[int, int]:
    """The KPS range an ECOG grade corresponds to under a named published mapping.

    No formal ECOG-KPS mapping exists and published ones disagree, so the mapping is a required
    choice: ``"web"`` (common web tables), ``"buccheri1996"`` (conventional; Buccheri et al.,
    Eur J Cancer 1996) or ``"prasad2018"`` (empirical, 5844 paired ratings; Prasad et al., World
    J Clin Oncol 2018;9(7):140-147).

    Returns
    -------
    (low, high) : tuple of int
    """
    table = _choice(mapping, "mapping", _ECOG_KPS)
    if isinstance(ecog, bool) or ecog not in table:
        raise ValueError(f"ecog must be 0, 1, 2, 3 or 4; got {ecog!r}")
    return table[ecog]


def kps_to_tokuhashi_points(kps: int) -> int:
    """General-condition points of the Tokuhashi score: KPS 10-40% -> 0, 50-70% -> 1, 80-100% -> 2."""
    k = _kps(kps)
    if k < 10:
        raise ValueError(f"kps must be 10-100 for the Tokuhashi score, got {kps!r}")
    return 0 if k <= 40 else 1 if k <= 70 else 2


# --------------------------------------------------------------------------------------------
# Tokuhashi
# --------------------------------------------------------------------------------------------

#: Revised Tokuhashi (2005) primary-site points (†: not verified against the original table).
TOKUHASHI_2005_PRIMARY = {
    **{k: 0 for k in ("lung", "osteosarcoma", "stomach", "bladder", "esophagus", "oesophagus", "pancreas")},
    **{k: 1 for k in ("liver", "hcc", "hepatocellular carcinoma", "gallbladder", "unidentified", "unknown")},
    **{k: 2 for k in ("other", "others")},
    **{k: 3 for k in ("kidney", "renal cell carcinoma", "rcc", "uterus")},
    **{k: 4 for k in ("rectum",)},
    **{k: 5 for k in ("thyroid", "breast", "prostate", "carcinoid")},
}
_BONE_FOCI = lambda n: 0 if n >= 3 else 1 if n >= 1 else 2          # noqa: E731
_VB_METS = lambda n: 0 if n >= 3 else 1 if n == 2 else 2             # noqa: E731
_ORGAN = {"none": 2, "removable": 1, "unremovable": 0}
_PALSY = {"A": 0, "B": 0, "C": 1, "D": 1, "E": 2}


def _tokuhashi_items(kps, extraspinal_bone_foci, vertebral_body_mets, organ_mets, primary, frankel,
                     primary_table) -> dict:
    """Points of the six Tokuhashi items (the 1990 and 2005 versions differ only in the primary table)."""
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
    """Revised Tokuhashi score (2005): total 0-15 and predicted survival group.

    ============================== ==================== ================ ==========
    Item                           0                    1                2
    ============================== ==================== ================ ==========
    General condition (KPS)        10-40%               50-70%           80-100%
    Extraspinal bone foci          >= 3                 1-2              0
    Vertebral body metastases      >= 3                 2                1
    Major internal organ mets      unremovable          removable        none
    Palsy (Frankel)                A, B                 C, D             E
    ============================== ==================== ================ ==========

    Primary site 0-5 (:data:`TOKUHASHI_2005_PRIMARY`; liver/HCC = 1). Groups: 0-8 predicted
    survival < 6 months (conservative/palliative treatment); 9-11 >= 6 months (palliative
    surgery; excisional if a single lesion without major-organ metastases); 12-15 >= 1 year
    (excisional surgery). With an HCC primary (1 point) the total is at most 11.

    The primary-site table is marked (†) in the book's notes: not verified against the 2005
    original. Secondary sources disagree on the vertebral-body item; this follows the 2005 text.

    Parameters
    ----------
    kps : int
        Karnofsky performance status, 10-100 in steps of 10.
    extraspinal_bone_foci, vertebral_body_mets : int
        Counts (vertebral_body_mets >= 1).
    organ_mets : {"none", "removable", "unremovable"}
    primary : str
        A name in :data:`TOKUHASHI_2005_PRIMARY`.
    frankel : {"A", "B", "C", "D", "E"}

    References
    ----------
    Tokuhashi Y, et al. Spine 2005;30(19):2186-2191.
    """
    points = _tokuhashi_items(kps, extraspinal_bone_foci, vertebral_body_mets, organ_mets, primary, frankel,
                              TOKUHASHI_2005_PRIMARY)
    total = sum(points.values())
    group, meaning = _group(total, [
        (0, 8, "0-8", "predicted survival < 6 months: conservative or palliative treatment"),
        (9, 11, "9-11", "predicted survival >= 6 months: palliative surgery (excisional if single lesion, no major-organ metastases)"),
        (12, 15, "12-15", "predicted survival >= 1 year: excisional surgery"),
    ], "revised Tokuhashi")
    return Score("revised Tokuhashi (2005)", total, group, meaning, points)


_TOKUHASHI_1990_PRIMARY = {
    **{k: 0 for k in ("lung", "stomach")},
    **{k: 1 for k in ("kidney", "rcc", "renal cell carcinoma", "liver", "hcc", "hepatocellular carcinoma",
                      "uterus", "other", "others", "unidentified", "unknown")},
    **{k: 2 for k in ("thyroid", "prostate", "breast", "rectum")},
}


def tokuhashi_original(kps: int, extraspinal_bone_foci: int, vertebral_body_mets: int,
                       organ_mets: str, primary: str, frankel: str) -> Score:
    """Original Tokuhashi score (1990): six items of 0-2 points, total 0-12.

    **Unverified** (the book's notes mark it "to be checked" against the 1990 paper): same six
    items as the revised score, each 0-2; primary: lung/stomach 0; kidney, liver, uterus, other,
    unidentified 1; thyroid, prostate, breast, rectum 2. Groups: total >= 9 predicts survival
    >= 12 months (excisional surgery); <= 5 predicts <= 3 months (palliative); 6-8 lies between.

    References
    ----------
    Tokuhashi Y, et al. Spine 1990;15(11):1110-1113.
    """
    points = _tokuhashi_items(kps, extraspinal_bone_foci, vertebral_body_mets, organ_mets, primary, frankel,
                              _TOKUHASHI_1990_PRIMARY)
    total = sum(points.values())
    group, meaning = _group(total, [
        (0, 5, "0-5", "predicted survival <= 3 months: palliative treatment"),
        (6, 8, "6-8", "intermediate"),
        (9, 12, "9-12", "predicted survival >= 12 months: excisional surgery"),
    ], "original Tokuhashi")
    return Score("original Tokuhashi (1990, unverified)", total, group, meaning, points)


# --------------------------------------------------------------------------------------------
# Tomita
# --------------------------------------------------------------------------------------------

#: Tomita primary-tumour growth classes (†: examples per class from the book's notes).
TOMITA_PRIMARY = {
    **{k: "slow" for k in ("breast", "thyroid", "prostate")},
    **{k: "moderate" for k in ("kidney", "rcc", "renal cell carcinoma", "uterus")},
    **{k: "rapid" for k in ("lung", "liver", "hcc", "hepatocellular carcinoma", "stomach", "colon",
                            "unknown", "unidentified")},
}
_TOMITA_GROWTH = {"slow": 1, "moderate": 2, "rapid": 4}
_TOMITA_VISCERAL = {"none": 0, "treatable": 2, "untreatable": 4}
_TOMITA_BONE = {"solitary": 1, "isolated": 1, "multiple": 2}


def tomita(primary: str, visceral_mets: str, bone_mets: str) -> Score:
    """Tomita score: total 2-10 and surgical strategy.

    Primary growth slow / moderate / rapid = 1 / 2 / 4 (pass the class or a primary-site name
    from :data:`TOMITA_PRIMARY`; liver is rapid); visceral metastases none / treatable /
    untreatable = 0 / 2 / 4; bone metastases (including spine) solitary or isolated / multiple =
    1 / 2. Groups: 2-3 long-term local control (wide or marginal excision); 4-5 middle-term
    (marginal or intralesional excision); 6-7 short-term palliation (palliative surgery); 8-10
    terminal care (non-operative). With an HCC primary the total is at least 5.

    References
    ----------
    Tomita K, et al. Spine 2001;26(3):298-306. (†: not verified against the original.)
    """
    key = primary.strip().lower() if isinstance(primary, str) else primary
    growth = key if key in _TOMITA_GROWTH else TOMITA_PRIMARY.get(key)
    if growth is None:
        allowed = ", ".join(list(_TOMITA_GROWTH) + list(TOMITA_PRIMARY))
        raise ValueError(f"primary must be a growth class or a primary site ({allowed}); got {primary!r}")
    points = {"primary": _TOMITA_GROWTH[growth],
              "visceral_mets": _choice(visceral_mets, "visceral_mets", _TOMITA_VISCERAL),
              "bone_mets": _choice(bone_mets, "bone_mets", _TOMITA_BONE)}
    total = sum(points.values())
    group, meaning = _group(total, [
        (2, 3, "2-3", "long-term local control: wide or marginal excision"),
        (4, 5, "4-5", "middle-term local control: marginal or intralesional excision"),
        (6, 7, "6-7", "short-term palliation: palliative surgery"),
        (8, 10, "8-10", "terminal care: non-operative supportive care"),
    ], "Tomita")
    return Score("Tomita (2001)", total, group, meaning, points)


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
    rigid: S2-S5.
    """
    m = re.fullmatch(r"\s*([CTLS])\s*(\d{1,2})\s*", str(level).upper())
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

    ================= ===================================================================
    location          junctional 3, mobile 2, semi-rigid 1, rigid 0 (or a level, "T12")
    pain              mechanical 3, occasional non-mechanical 1, none 0
    lesion            lytic 2, mixed 1, blastic 0
    alignment         subluxation/translation 4, de novo deformity 2, normal 0
    collapse          ">50%" 3, "<50%" 2, "none, >50% involved" 1, "none" 0
    posterolateral    bilateral 3, unilateral 1, none 0
    ================= ===================================================================

    Groups: 0-6 stable; 7-12 indeterminate (possibly impending) instability; 13-18 unstable.
    Surgical consultation is recommended for 7 or more.

    References
    ----------
    Fisher CG, et al. Spine 2010;35(22):E1221-E1229. (†: wording not verified against the original.)
    """
    loc = location.strip().lower() if isinstance(location, str) else location
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
    group, meaning = _group(total, [
        (0, 6, "stable", "stable"),
        (7, 12, "indeterminate", "indeterminate (possibly impending) instability: surgical consultation"),
        (13, 18, "unstable", "unstable: surgical consultation"),
    ], "SINS")
    return Score("SINS (2010)", total, group, meaning, points)


# --------------------------------------------------------------------------------------------
# Child-Pugh
# --------------------------------------------------------------------------------------------

def child_pugh(bilirubin: float, albumin: float, ascites: str, encephalopathy: str,
               inr: float | None = None, pt_prolongation: float | None = None,
               albumin_cutoffs: str = "pugh", cholestatic: bool = False) -> Score:
    """Child-Pugh score (5-15) and class (A 5-6, B 7-9, C 10-15).

    ==================== ================ ================= ================
    Parameter            1                2                 3
    ==================== ================ ================= ================
    Bilirubin (mg/dL)    < 2              2-3               > 3
    Albumin (g/dL)       > 3.5            2.8-3.5           < 2.8
    INR / PT (s)         < 1.7 / < 4      1.7-2.3 / 4-6     > 2.3 / > 6
    Ascites              none             slight            moderate
    Encephalopathy       none             grade 1-2         grade 3-4
    ==================== ================ ================= ================

    Parameters
    ----------
    bilirubin : float
        Total bilirubin, mg/dL (divide µmol/L by 17.1).
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
        Bilirubin bands 1-4 / 4-10 / > 10 mg/dL for cholestatic disease (†).

    References
    ----------
    Pugh RNH, et al. Br J Surg 1973;60:646-649.
    """
    for name, v in (("bilirubin", bilirubin), ("albumin", albumin)):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.floating, np.integer)) or not np.isfinite(v) or v <= 0:
            raise ValueError(f"{name} must be a positive number, got {v!r}")
    if (inr is None) == (pt_prolongation is None):
        raise ValueError("give exactly one of inr or pt_prolongation")
    cut = _choice(albumin_cutoffs, "albumin_cutoffs", {"pugh": (3.5, 2.8), "harrison": (3.5, 3.0)})
    b1, b2 = (4.0, 10.0) if cholestatic else (2.0, 3.0)
    pts = {"bilirubin": 1 if bilirubin < b1 else 2 if bilirubin <= b2 else 3,
           "albumin": 1 if albumin > cut[0] else 2 if albumin >= cut[1] else 3}
    if inr is not None:
        if not isinstance(inr, (int, float)) or not np.isfinite(inr) or inr <= 0:
            raise ValueError(f"inr must be a positive number, got {inr!r}")
        pts["coagulation"] = 1 if inr < 1.7 else 2 if inr <= 2.3 else 3
    else:
        if not isinstance(pt_prolongation, (int, float)) or not np.isfinite(pt_prolongation) or pt_prolongation < 0:
            raise ValueError(f"pt_prolongation must be a number of seconds >= 0, got {pt_prolongation!r}")
        pts["coagulation"] = 1 if pt_prolongation < 4 else 2 if pt_prolongation <= 6 else 3
    pts["ascites"] = _choice(ascites, "ascites", {"none": 1, "slight": 2, "mild": 2, "moderate": 3, "severe": 3})
    pts["encephalopathy"] = _choice(encephalopathy, "encephalopathy",
                                    {"none": 1, "grade 1-2": 2, "grade 3-4": 3})
    total = sum(pts.values())
    group, meaning = _group(total, [(5, 6, "A", "well-compensated"), (7, 9, "B", "significant functional compromise"),
                                    (10, 15, "C", "decompensated")], "Child-Pugh")
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

    References
    ----------
    Choi C, Seong J. Gut Liver 2015;9(1):94-102.
    """
    if isinstance(ecog, bool) or ecog not in (0, 1, 2, 3, 4):
        raise ValueError(f"ecog must be 0, 1, 2, 3 or 4; got {ecog!r}")
    pts = {"ecog_3_4": int(ecog >= 3), "uncontrolled_primary": int(not _yes_no(primary_controlled, "primary_controlled")),
           "extrahepatic_mets": int(_yes_no(extrahepatic_mets, "extrahepatic_mets"))}
    total = sum(pts.values())
    return Score("Choi & Seong risk factors", total, "ABCD"[total], f"{total} risk factor(s)", pts)


def hcc_sm_gpa(ecog: int, primary_controlled: Any, extrahepatic_mets: Any) -> Score:
    """HCC-SM graded prognostic assessment (Rim et al. 2017), the follow-up of paper A.

    ECOG 3-4: 1 point; uncontrolled primary: 2 points; extrahepatic non-bone metastases: 1
    point. Risk groups: low (0), intermediate (1-2), high (3-4). In the validation cohort
    (n = 63) median OS was 13.6, 4.8 and 2.6 months.

    References
    ----------
    Rim CH, Choi C, Choi J, Seong J. Gut Liver 2017;11(4):535-542.
    """
    if isinstance(ecog, bool) or ecog not in (0, 1, 2, 3, 4):
        raise ValueError(f"ecog must be 0, 1, 2, 3 or 4; got {ecog!r}")
    pts = {"ecog_3_4": int(ecog >= 3), "uncontrolled_primary": 2 * int(not _yes_no(primary_controlled, "primary_controlled")),
           "extrahepatic_mets": int(_yes_no(extrahepatic_mets, "extrahepatic_mets"))}
    total = sum(pts.values())
    group, meaning = _group(total, [(0, 0, "low", "validation median OS 13.6 months"),
                                    (1, 2, "intermediate", "validation median OS 4.8 months"),
                                    (3, 4, "high", "validation median OS 2.6 months")], "HCC-SM GPA")
    return Score("HCC-SM GPA", total, group, meaning, pts)


# --------------------------------------------------------------------------------------------
# Data-frame helpers
# --------------------------------------------------------------------------------------------

def _from_frame(df: pd.DataFrame, func, args: list[str], columns: Mapping[str, str] | None) -> pd.DataFrame:
    cols = {a: a for a in args} | dict(columns or {})
    missing = [c for c in cols.values() if c not in df.columns]
    if missing:
        raise ValueError(f"data is missing column(s) {missing}; map items to columns with columns={{item: column}}")
    rows = []
    for idx, row in df.iterrows():
        try:
            s = func(**{a: (row[c].item() if hasattr(row[c], "item") else row[c]) for a, c in cols.items()})
        except ValueError as e:
            raise ValueError(f"row {idx!r}: {e}") from None
        rows.append({"total": s.total, "group": s.group})
    return pd.DataFrame(rows, index=df.index)


def tokuhashi_revised_from_frame(df: pd.DataFrame, columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Revised Tokuhashi total and group for every row (columns named as the items, or mapped)."""
    return _from_frame(df, tokuhashi_revised, ["kps", "extraspinal_bone_foci", "vertebral_body_mets",
                                              "organ_mets", "primary", "frankel"], columns)


def tomita_from_frame(df: pd.DataFrame, columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Tomita total and group for every row."""
    return _from_frame(df, tomita, ["primary", "visceral_mets", "bone_mets"], columns)


def sins_from_frame(df: pd.DataFrame, columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """SINS total and group for every row."""
    return _from_frame(df, sins, ["location", "pain", "lesion", "alignment", "collapse", "posterolateral"], columns)


def child_pugh_from_frame(df: pd.DataFrame, columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Child-Pugh score and class for every row (INR convention)."""
    return _from_frame(df, child_pugh, ["bilirubin", "albumin", "ascites", "encephalopathy", "inr"], columns)
