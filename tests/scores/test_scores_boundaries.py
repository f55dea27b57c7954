"""spinemets.scores: every item cut-point of every score, on both sides (the points tables of
Tokuhashi 2005 and 1990, Tomita 2001, Fisher 2010 and Pugh 1973, as transcribed in the
docstrings; the primary papers could not be read, see the module docstring).
"""

import pytest

from spinemets import scores as sc

HCC = dict(
    kps=80,
    extraspinal_bone_foci=0,
    vertebral_body_mets=1,
    organ_mets="none",
    primary="liver",
    frankel="E",
)


@pytest.mark.parametrize(
    "item, value, points",
    [
        ("kps", 10, 0),
        ("kps", 40, 0),
        ("kps", 50, 1),
        ("kps", 70, 1),
        ("kps", 80, 2),
        ("kps", 100, 2),
        ("extraspinal_bone_foci", 0, 2),
        ("extraspinal_bone_foci", 1, 1),
        ("extraspinal_bone_foci", 2, 1),
        ("extraspinal_bone_foci", 3, 0),
        ("extraspinal_bone_foci", 12, 0),
        ("vertebral_body_mets", 1, 2),
        ("vertebral_body_mets", 2, 1),
        ("vertebral_body_mets", 3, 0),
        ("organ_mets", "none", 2),
        ("organ_mets", "removable", 1),
        ("organ_mets", "unremovable", 0),
        ("frankel", "A", 0),
        ("frankel", "B", 0),
        ("frankel", "C", 1),
        ("frankel", "D", 1),
        ("frankel", "E", 2),
    ],
)
def test_tokuhashi_item_cut_points(item, value, points):
    key = {"kps": "general_condition", "frankel": "palsy"}.get(item, item)
    for f in (sc.tokuhashi_revised, sc.tokuhashi_original):
        assert f(**dict(HCC, **{item: value})).points[key] == points


@pytest.mark.parametrize(
    "primary, points",
    [
        ("lung", 0),
        ("osteosarcoma", 0),
        ("stomach", 0),
        ("bladder", 0),
        ("esophagus", 0),
        ("pancreas", 0),
        ("liver", 1),
        ("gallbladder", 1),
        ("unidentified", 1),
        ("other", 2),
        ("kidney", 3),
        ("uterus", 3),
        ("rectum", 4),
        ("thyroid", 5),
        ("breast", 5),
        ("prostate", 5),
        ("carcinoid", 5),
    ],
)
def test_tokuhashi_2005_primary_points(primary, points):
    assert sc.tokuhashi_revised(**dict(HCC, primary=primary)).points["primary"] == points


def test_original_tokuhashi_band_edges():
    # all items 2 except the primary (liver 1): 11 -> 9-12; lower KPS / more foci step down
    assert sc.tokuhashi_original(**HCC).total == 11
    low = dict(HCC, kps=40, extraspinal_bone_foci=3, vertebral_body_mets=3)  # 11 - 6 = 5
    assert (sc.tokuhashi_original(**low).total, sc.tokuhashi_original(**low).group) == (5, "0-5")
    six = dict(low, vertebral_body_mets=2)  # 6
    assert sc.tokuhashi_original(**six).group == "6-8"
    eight = dict(HCC, kps=40, extraspinal_bone_foci=1, vertebral_body_mets=1)  # 11 - 2 - 1 = 8
    assert (sc.tokuhashi_original(**eight).total, sc.tokuhashi_original(**eight).group) == (
        8,
        "6-8",
    )
    nine = dict(eight, extraspinal_bone_foci=0)
    assert (sc.tokuhashi_original(**nine).total, sc.tokuhashi_original(**nine).group) == (9, "9-12")
    assert sc.tokuhashi_original(**dict(HCC, primary="breast")).total == 12


@pytest.mark.parametrize(
    "kwargs, item, points",
    [
        (dict(bilirubin=1.99), "bilirubin", 1),
        (dict(bilirubin=2.0), "bilirubin", 2),
        (dict(bilirubin=3.0), "bilirubin", 2),
        (dict(bilirubin=3.01), "bilirubin", 3),
        (dict(albumin=3.51), "albumin", 1),
        (dict(albumin=3.5), "albumin", 2),
        (dict(albumin=2.8), "albumin", 2),
        (dict(albumin=2.79), "albumin", 3),
        (dict(inr=1.69), "coagulation", 1),
        (dict(inr=1.7), "coagulation", 2),
        (dict(inr=2.3), "coagulation", 2),
        (dict(inr=2.31), "coagulation", 3),
        (dict(inr=None, pt_prolongation=3.9), "coagulation", 1),
        (dict(inr=None, pt_prolongation=4), "coagulation", 2),
        (dict(inr=None, pt_prolongation=6), "coagulation", 2),
        (dict(inr=None, pt_prolongation=6.1), "coagulation", 3),
        (dict(ascites="slight"), "ascites", 2),
        (dict(ascites="moderate"), "ascites", 3),
        (dict(encephalopathy="grade 1-2"), "encephalopathy", 2),
        (dict(encephalopathy="grade 3-4"), "encephalopathy", 3),
    ],
)
def test_child_pugh_cut_points(kwargs, item, points):
    base = dict(bilirubin=1.0, albumin=4.0, ascites="none", encephalopathy="none", inr=1.0)
    assert sc.child_pugh(**dict(base, **kwargs)).points[item] == points


@pytest.mark.parametrize("bilirubin, points", [(3.99, 1), (4.0, 2), (10.0, 2), (10.1, 3)])
def test_child_pugh_cholestatic_cut_points(bilirubin, points):
    s = sc.child_pugh(bilirubin, 4.0, "none", "none", inr=1.0, cholestatic=True)
    assert s.points["bilirubin"] == points


@pytest.mark.parametrize(
    "component, value, points",
    [
        ("pain", "mechanical", 3),
        ("pain", "occasional", 1),
        ("pain", "none", 0),
        ("lesion", "lytic", 2),
        ("lesion", "mixed", 1),
        ("lesion", "blastic", 0),
        ("alignment", "subluxation", 4),
        ("alignment", "translation", 4),
        ("alignment", "de novo deformity", 2),
        ("alignment", "normal", 0),
        ("collapse", ">50%", 3),
        ("collapse", "<50%", 2),
        ("collapse", "none, >50% involved", 1),
        ("collapse", "none", 0),
        ("posterolateral", "bilateral", 3),
        ("posterolateral", "unilateral", 1),
        ("posterolateral", "none", 0),
        ("location", "junctional", 3),
        ("location", "mobile", 2),
        ("location", "semi-rigid", 1),
        ("location", "rigid", 0),
    ],
)
def test_sins_component_points(component, value, points):
    base = dict(
        location="rigid",
        pain="none",
        lesion="blastic",
        alignment="normal",
        collapse="none",
        posterolateral="none",
    )
    s = sc.sins(**dict(base, **{component: value}))
    assert s.points[component] == points and s.total == points


@pytest.mark.parametrize(
    "growth, points",
    [
        ("slow", 1),
        ("moderate", 2),
        ("rapid", 4),
        ("breast", 1),
        ("kidney", 2),
        ("liver", 4),
        ("lung", 4),
    ],
)
def test_tomita_primary_points(growth, points):
    assert sc.tomita(growth, "none", "solitary").points["primary"] == points


def test_tomita_other_items():
    assert [
        sc.tomita("slow", v, "solitary").points["visceral_mets"]
        for v in ("none", "treatable", "untreatable")
    ] == [0, 2, 4]
    assert [
        sc.tomita("slow", "none", b).points["bone_mets"]
        for b in ("solitary", "isolated", "multiple")
    ] == [1, 1, 2]
