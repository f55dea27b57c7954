"""One result shape for every score (issue 22 item 12).

Scalar items give a ``Score``; pandas Series items give a DataFrame of ``total`` and ``group``
on the Series' index, row by row what the scalar call gives (the scalar call is the reference:
its points are checked against the source tables in test_scores.py); the ``*_from_frame``
companion gives the same DataFrame.
"""

import pandas as pd
import pytest

from spinemets import scores as sc

ROWS = {
    "tokuhashi_revised": [
        dict(
            kps=70,
            extraspinal_bone_foci=2,
            vertebral_body_mets=1,
            organ_mets="none",
            primary="liver",
            frankel="E",
        ),
        dict(
            kps=100,
            extraspinal_bone_foci=0,
            vertebral_body_mets=1,
            organ_mets="none",
            primary="breast",
            frankel="E",
        ),
    ],
    "tokuhashi_original": [
        dict(
            kps=90,
            extraspinal_bone_foci=0,
            vertebral_body_mets=1,
            organ_mets="none",
            primary="liver",
            frankel="E",
        ),
        dict(
            kps=30,
            extraspinal_bone_foci=4,
            vertebral_body_mets=4,
            organ_mets="unremovable",
            primary="lung",
            frankel="B",
        ),
    ],
    "tomita": [
        dict(primary="breast", visceral_mets="none", bone_mets="solitary"),
        dict(primary="rapid", visceral_mets="untreatable", bone_mets="multiple"),
    ],
    "sins": [
        dict(
            location="T6",
            pain="occasional",
            lesion="lytic",
            alignment="normal",
            collapse="<50%",
            posterolateral="none",
        ),
        dict(
            location="T12",
            pain="mechanical",
            lesion="lytic",
            alignment="deformity",
            collapse="<50%",
            posterolateral="unilateral",
        ),
    ],
    "child_pugh": [
        dict(bilirubin=1.0, albumin=2.9, inr=1.0, ascites="none", encephalopathy="none"),
        dict(bilirubin=3.1, albumin=3.0, inr=1.7, ascites="slight", encephalopathy="none"),
    ],
    "choi_risk_group": [
        dict(ecog=1, primary_controlled=True, extrahepatic_mets=False),
        dict(ecog=3, primary_controlled="no", extrahepatic_mets="yes"),
    ],
    "hcc_sm_gpa": [
        dict(ecog=0, primary_controlled="yes", extrahepatic_mets=0),
        dict(ecog=4, primary_controlled=False, extrahepatic_mets=1),
    ],
}
FROM_FRAME = {
    "tokuhashi_revised": sc.tokuhashi_revised_from_frame,
    "tokuhashi_original": sc.tokuhashi_original_from_frame,
    "tomita": sc.tomita_from_frame,
    "sins": sc.sins_from_frame,
    "child_pugh": sc.child_pugh_from_frame,
}


def test_every_score_function_is_covered():
    made = {
        n
        for n in sc.__all__
        if callable(getattr(sc, n))
        and "Score" in str(getattr(getattr(sc, n), "__annotations__", {}).get("return"))
    }
    assert made <= set(ROWS), made - set(ROWS)


@pytest.mark.parametrize("name", sorted(ROWS))
def test_a_series_gives_the_frame_of_the_scalar_scores(name):
    func = getattr(sc, name)
    rows = ROWS[name]
    one = [func(**r) for r in rows]
    assert all(isinstance(s, sc.Score) for s in one)
    index = pd.Index(["p1", "p2"], name="patient")
    frame = pd.DataFrame(rows, index=index)
    many = func(**{k: frame[k] for k in frame.columns})
    assert isinstance(many, pd.DataFrame)
    assert list(many.columns) == ["total", "group"]
    assert many.index.equals(index)
    assert many.total.tolist() == [s.total for s in one]
    assert many.group.tolist() == [s.group for s in one]
    if name in FROM_FRAME:
        pd.testing.assert_frame_equal(FROM_FRAME[name](frame), many)
