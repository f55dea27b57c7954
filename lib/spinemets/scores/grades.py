"""Frankel, ASIA and Bilsky grades; ECOG-KPS mappings and the Tokuhashi KPS points."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ._common import _choice, _kps, _scalar

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
    "0": "bone only",
    "1a": "epidural impingement, no thecal-sac deformation",
    "1b": "thecal-sac deformation, no cord abutment",
    "1c": "cord abutment, no compression",
    "2": "cord compression, CSF visible",
    "3": "cord compression, no CSF visible",
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
    "ecog_acrin": {0: (90, 100), 1: (70, 80), 2: (50, 60), 3: (30, 40), 4: (10, 20)},
    "conventional": {0: (100, 100), 1: (80, 90), 2: (60, 70), 3: (40, 50), 4: (20, 30)},
    "prasad2018": {0: (100, 100), 1: (80, 90), 2: (70, 70), 3: (50, 60), 4: (10, 40)},
}
#: Old names, kept so that existing code runs: "web" is ECOG-ACRIN's own table; "buccheri1996"
#: was a misattribution (it is not the table of Buccheri et al. 1996).
_ECOG_KPS_ALIASES = {"web": "ecog_acrin", "buccheri1996": "conventional"}


def _ecog(ecog: Any) -> int:
    _scalar(ecog, "ecog")
    if (
        isinstance(ecog, (bool, np.bool_))
        or not isinstance(ecog, (int, np.integer))
        or ecog not in (0, 1, 2, 3, 4)
    ):
        raise ValueError(f"ecog must be 0, 1, 2, 3 or 4; got {ecog!r}")
    return int(ecog)


def ecog_to_kps(ecog: int, mapping: str = "conventional") -> tuple[int, int]:
    """The KPS range an ECOG grade corresponds to under a named mapping.

    No formal ECOG-KPS mapping exists and published ones disagree, so the mapping is a named
    choice:

    * ``"ecog_acrin"``: the table on the ECOG-ACRIN Cancer Research Group's own page for the
      ECOG performance status (KPS 90-100, 70-80, 50-60, 30-40, 10-20 for ECOG 0-4), the one
      most web calculators copy (old name ``"web"``).
    * ``"conventional"`` (default): KPS 100, 80-90, 60-70, 40-50, 20-30 for ECOG 0-4, the
      correspondence printed side by side with the two scales in many clinical handbooks and
      guidelines. We have not traced it to a primary source. It was attributed here to
      Buccheri et al. 1996 (old name ``"buccheri1996"``), wrongly: that paper compared the two
      scales empirically and its own table is not this one.
    * ``"prasad2018"``: empirical, from 5844 paired ratings of lung cancer patients (Prasad et
      al. 2018).

    ECOG 5 (dead) has no KPS range here.

    Returns
    -------
    (low, high) : tuple of int

    References
    ----------
    Oken MM, et al. Toxicity and response criteria of the Eastern Cooperative Oncology Group.
    Am J Clin Oncol 1982;5(6):649-655 (the ECOG grades).
    ECOG-ACRIN Cancer Research Group. ECOG Performance Status Scale.
    https://ecog-acrin.org/resources/ecog-performance-status/
    Prasad KT, et al. World J Clin Oncol 2018;9(7):140-147. doi:10.5306/wjco.v9.i7.140
    """
    if isinstance(mapping, str) and mapping.strip().lower() in _ECOG_KPS_ALIASES:
        mapping = _ECOG_KPS_ALIASES[mapping.strip().lower()]
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
