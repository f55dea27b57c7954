"""HCC-specific groupings of paper A (Choi & Seong 2015) and its follow-up (Rim et al. 2017)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._common import BANDS, Score, _choice, _group, _vector
from .grades import _ecog

# --------------------------------------------------------------------------------------------
# HCC-specific prognostic groupings (paper A and its follow-up)
# --------------------------------------------------------------------------------------------


def _yes_no(value: Any, name: str) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    return _choice(value, name, {"yes": True, "no": False, 1: True, 0: False})


def choi_risk_group(
    ecog: int, primary_controlled: Any, extrahepatic_mets: Any
) -> Score | pd.DataFrame:
    """Paper A's risk groups: number of adverse factors (ECOG 3-4, uncontrolled primary HCC,
    extrahepatic metastases other than bone) -> group A (0), B (1), C (2), D (3).

    ``primary_controlled`` and ``extrahepatic_mets`` take True/False, "yes"/"no" or 1/0.
    Returns a :class:`Score`; with pandas Series items, a DataFrame of ``total`` and ``group``
    per row (as every score).

    References
    ----------
    Choi C, Seong J. Gut Liver 2015;9(1):94-102. doi:10.5009/gnl14009
    """
    items = dict(
        ecog=ecog, primary_controlled=primary_controlled, extrahepatic_mets=extrahepatic_mets
    )
    vec = _vector(choi_risk_group, items)
    if vec is not None:
        return vec
    e = _ecog(ecog)
    pts = {
        "ecog_3_4": int(e >= 3),
        "uncontrolled_primary": int(not _yes_no(primary_controlled, "primary_controlled")),
        "extrahepatic_mets": int(_yes_no(extrahepatic_mets, "extrahepatic_mets")),
    }
    total = sum(pts.values())
    return Score("Choi & Seong risk factors", total, "ABCD"[total], f"{total} risk factor(s)", pts)


def hcc_sm_gpa(ecog: int, primary_controlled: Any, extrahepatic_mets: Any) -> Score | pd.DataFrame:
    """HCC-SM graded prognostic assessment (Rim et al. 2017), the follow-up of paper A.

    ECOG 3-4: 1 point; uncontrolled primary: 2 points; extrahepatic non-bone metastases: 1
    point (Rim et al. 2017, abstract). Risk groups: low (0), intermediate (1-2),
    high (3-4). In the validation cohort (n = 63) median OS was 13.6, 4.8 and 2.6 months.
    Returns a :class:`Score`; with pandas Series items, a DataFrame of ``total`` and ``group``
    per row (as every score).

    References
    ----------
    Rim CH, Choi C, Choi J, Seong J. Gut Liver 2017;11(4):535-542. doi:10.5009/gnl16486
    """
    items = dict(
        ecog=ecog, primary_controlled=primary_controlled, extrahepatic_mets=extrahepatic_mets
    )
    vec = _vector(hcc_sm_gpa, items)
    if vec is not None:
        return vec
    e = _ecog(ecog)
    pts = {
        "ecog_3_4": int(e >= 3),
        "uncontrolled_primary": 2 * int(not _yes_no(primary_controlled, "primary_controlled")),
        "extrahepatic_mets": int(_yes_no(extrahepatic_mets, "extrahepatic_mets")),
    }
    total = sum(pts.values())
    group, meaning = _group(total, BANDS["hcc_sm_gpa"], "HCC-SM GPA")
    return Score("HCC-SM GPA", total, group, meaning, pts)
