"""The Child-Pugh score of liver function."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .._validation import renamed_arguments
from ._common import BANDS, Score, _choice, _flag, _from_frame, _group, _number, _vector

# --------------------------------------------------------------------------------------------
# Child-Pugh
# --------------------------------------------------------------------------------------------


def child_pugh(
    bilirubin: float,
    albumin: float,
    ascites: str,
    encephalopathy: str,
    inr: float | None = None,
    pt_prolongation: float | None = None,
    albumin_cutoffs: str = "pugh",
    cholestatic: bool = False,
) -> Score | pd.DataFrame:
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
    vec = _vector(
        child_pugh,
        {
            k: v
            for k, v in dict(
                bilirubin=bilirubin,
                albumin=albumin,
                ascites=ascites,
                encephalopathy=encephalopathy,
                inr=inr,
                pt_prolongation=pt_prolongation,
            ).items()
            if v is not None
        },
        albumin_cutoffs=albumin_cutoffs,
        cholestatic=cholestatic,
    )
    if vec is not None:
        return vec
    bilirubin = _number(bilirubin, "bilirubin")
    albumin = _number(albumin, "albumin")
    if (inr is None) == (pt_prolongation is None):
        raise ValueError("give exactly one of inr or pt_prolongation")
    b1, b2 = (4.0, 10.0) if cholestatic else (2.0, 3.0)
    pts = {
        "bilirubin": 1 if bilirubin < b1 else 2 if bilirubin <= b2 else 3,
        "albumin": 1 if albumin > cut[0] else 2 if albumin >= cut[1] else 3,
    }
    if inr is not None:
        inr = _number(inr, "inr")
        pts["coagulation"] = 1 if inr < 1.7 else 2 if inr <= 2.3 else 3
    else:
        pt = _number(pt_prolongation, "pt_prolongation", positive=False)
        pts["coagulation"] = 1 if pt < 4 else 2 if pt <= 6 else 3
    pts["ascites"] = _choice(
        ascites, "ascites", {"none": 1, "slight": 2, "mild": 2, "moderate": 3, "severe": 3}
    )
    pts["encephalopathy"] = _choice(
        encephalopathy, "encephalopathy", {"none": 1, "grade 1-2": 2, "grade 3-4": 3}
    )
    total = sum(pts.values())
    group, meaning = _group(total, BANDS["child_pugh"], "Child-Pugh")
    return Score("Child-Pugh", total, group, meaning, pts)


@renamed_arguments(df="data")
def child_pugh_from_frame(
    data: pd.DataFrame, columns: Mapping[str, str] | None = None, **options
) -> pd.DataFrame:
    """Child-Pugh score and class for every row (INR convention; ``options`` as for :func:`child_pugh`)."""
    return _from_frame(
        data,
        child_pugh,
        ["bilirubin", "albumin", "ascites", "encephalopathy", "inr"],
        columns,
        **options,
    )
