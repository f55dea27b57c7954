"""spinemets.scores: worked examples built from the published point tables (arithmetic in the
comments), every group boundary, HCC-specific bounds, and invalid items.

Sources of the point tables: Tokuhashi et al. Spine 2005;30:2186-91; Tomita et al. Spine 2001;26:298-306;
Fisher et al. Spine 2010;35:E1221-9; Pugh et al. Br J Surg 1973;60:646-9; Rim et al. Gut Liver 2017;11:535-42.
"""

import pandas as pd
import pytest

from spinemets import scores as sc


def test_revised_tokuhashi_hcc_example():
    # KPS 70 -> 1; 2 extraspinal foci -> 1; 1 vertebral body -> 2; no organ mets -> 2; liver -> 1; Frankel E -> 2
    s = sc.tokuhashi_revised(70, 2, 1, "none", "liver", "E")
    assert s.total == 9 and s.group == "9-11"
    assert s.points == {
        "general_condition": 1,
        "extraspinal_bone_foci": 1,
        "vertebral_body_mets": 2,
        "organ_mets": 2,
        "primary": 1,
        "palsy": 2,
    }


def test_revised_tokuhashi_exact_cut_points():
    # 11: 2+2+2+2+1(liver)+2 = 11 -> 9-11; 12: same with "other" primary (2) -> 12 -> 12-15
    assert sc.tokuhashi_revised(80, 0, 1, "none", "liver", "E").total == 11
    assert sc.tokuhashi_revised(80, 0, 1, "none", "liver", "E").group == "9-11"
    assert sc.tokuhashi_revised(80, 0, 1, "none", "other", "E").group == "12-15"
    # 8 vs 9
    assert sc.tokuhashi_revised(70, 1, 2, "none", "liver", "E").total == 8
    assert sc.tokuhashi_revised(80, 1, 2, "none", "liver", "E").group == "9-11"
    # maximum 15 with a breast primary (5 points); an HCC primary (1 point) caps the total at
    # 15 - 4 = 11 (the book's reference notes say "<= 14", which is too loose)
    assert sc.tokuhashi_revised(100, 0, 1, "none", "breast", "E").total == 15
    assert sc.tokuhashi_revised(100, 0, 1, "none", "hcc", "E").total == 11
    assert "total" in repr(sc.tokuhashi_revised(100, 0, 1, "none", "hcc", "E"))


def test_original_tokuhashi():
    # 2+2+2+2+liver 1+2 = 11 -> >= 9 group; lung 0 with everything worst -> 0
    assert sc.tokuhashi_original(90, 0, 1, "none", "liver", "E").total == 11
    assert sc.tokuhashi_original(90, 0, 1, "none", "liver", "E").group == "9-12"
    assert sc.tokuhashi_original(30, 4, 4, "unremovable", "lung", "B").group == "0-5"
    with pytest.raises(ValueError, match="primary must be one of"):
        sc.tokuhashi_original(90, 0, 1, "none", "carcinoid", "E")  # not in the 1990 list


@pytest.mark.parametrize(
    "primary, visceral, bone, total, group",
    [
        ("breast", "none", "solitary", 2, "2-3"),
        ("moderate", "none", "solitary", 3, "2-3"),
        ("kidney", "none", "multiple", 4, "4-5"),  # 2 + 0 + 2: boundary 3/4
        ("liver", "none", "solitary", 5, "4-5"),  # HCC minimum: 4 + 0 + 1
        ("liver", "none", "multiple", 6, "6-7"),  # boundary 5/6
        ("hcc", "treatable", "solitary", 7, "6-7"),
        ("lung", "treatable", "multiple", 8, "8-10"),  # boundary 7/8
        ("rapid", "untreatable", "multiple", 10, "8-10"),
    ],
)
def test_tomita(primary, visceral, bone, total, group):
    s = sc.tomita(primary, visceral, bone)
    assert (s.total, s.group) == (total, group)


def test_tomita_hcc_is_at_least_five():
    totals = [
        sc.tomita("liver", v, b).total
        for v in ("none", "treatable", "untreatable")
        for b in ("solitary", "multiple")
    ]
    assert min(totals) == 5


@pytest.mark.parametrize(
    "level, region",
    [
        ("C1", "junctional"),
        ("C2", "junctional"),
        ("C3", "mobile"),
        ("C6", "mobile"),
        ("C7", "junctional"),
        ("T1", "junctional"),
        ("T2", "junctional"),
        ("T3", "semi-rigid"),
        ("T10", "semi-rigid"),
        ("T11", "junctional"),
        ("T12", "junctional"),
        ("L1", "junctional"),
        ("L2", "mobile"),
        ("L4", "mobile"),
        ("L5", "junctional"),
        ("S1", "junctional"),
        ("S2", "rigid"),
        ("s5", "rigid"),
    ],
)
def test_spine_level_region(level, region):
    assert sc.spine_level_region(level) == region


def test_sins_boundaries():
    # 6: semi-rigid 1 + occasional 1 + lytic 2 + normal 0 + <50% 2 + none 0 = 6 -> stable
    assert sc.sins("T6", "occasional", "lytic", "normal", "<50%", "none").group == "stable"
    # 7: same with unilateral posterolateral (+1)
    s = sc.sins("T6", "occasional", "lytic", "normal", "<50%", "unilateral")
    assert (s.total, s.group) == (7, "indeterminate")
    # 12: junctional 3 + mechanical 3 + lytic 2 + normal 0 + <50% 2 + none 0 + ... = 10; add deformity 2 -> 12
    s = sc.sins("T12", "mechanical", "lytic", "deformity", "<50%", "none")
    assert (s.total, s.group) == (12, "indeterminate")
    s = sc.sins("T12", "mechanical", "lytic", "deformity", "<50%", "unilateral")
    assert (s.total, s.group) == (13, "unstable")
    assert (
        sc.sins("junctional", "mechanical", "lytic", "subluxation", ">50%", "bilateral").total == 18
    )
    assert sc.sins("rigid", "none", "blastic", "normal", "none", "none").total == 0


@pytest.mark.parametrize(
    "kwargs, cls, total",
    [
        (dict(bilirubin=1.0, albumin=4.0, inr=1.1, ascites="none", encephalopathy="none"), "A", 5),
        (dict(bilirubin=2.0, albumin=4.0, inr=1.1, ascites="none", encephalopathy="none"), "A", 6),
        (
            dict(bilirubin=2.0, albumin=3.5, inr=1.1, ascites="none", encephalopathy="none"),
            "B",
            7,
        ),  # boundary 6/7
        (
            dict(bilirubin=3.0, albumin=3.0, inr=1.7, ascites="slight", encephalopathy="none"),
            "B",
            9,
        ),
        (
            dict(bilirubin=3.1, albumin=3.0, inr=1.7, ascites="slight", encephalopathy="none"),
            "C",
            10,
        ),  # boundary 9/10
        (
            dict(
                bilirubin=5.0,
                albumin=2.0,
                pt_prolongation=7,
                ascites="moderate",
                encephalopathy="grade 3-4",
            ),
            "C",
            15,
        ),
    ],
)
def test_child_pugh(kwargs, cls, total):
    s = sc.child_pugh(**kwargs)
    assert (s.group, s.total) == (cls, total)


def test_child_pugh_variants():
    base = dict(bilirubin=1.0, albumin=2.9, inr=1.0, ascites="none", encephalopathy="none")
    assert sc.child_pugh(**base).points["albumin"] == 2  # 2.8-3.5
    assert sc.child_pugh(**base, albumin_cutoffs="harrison").points["albumin"] == 3  # < 3.0
    assert (
        sc.child_pugh(
            bilirubin=3.5, albumin=4, inr=1, ascites="none", encephalopathy="none", cholestatic=True
        ).points["bilirubin"]
        == 1
    )


def test_ecog_kps_mappings_disagree():
    # ECOG-ACRIN's page (https://ecog-acrin.org/resources/ecog-performance-status/) prints
    # KPS 90-100, 70-80, 50-60, 30-40, 10-20 beside ECOG 0-4
    assert [sc.ecog_to_kps(e, "ecog_acrin") for e in range(5)] == [
        (90, 100),
        (70, 80),
        (50, 60),
        (30, 40),
        (10, 20),
    ]
    assert sc.ecog_to_kps(1, "conventional") == (80, 90) == sc.ecog_to_kps(1)
    # Prasad et al. 2018, abstract: KPS 10-40, 50-60, 70, 80-90, 100 for ECOG 4, 3, 2, 1, 0
    assert [sc.ecog_to_kps(e, "prasad2018") for e in range(5)] == [
        (100, 100),
        (80, 90),
        (70, 70),
        (50, 60),
        (10, 40),
    ]
    # ECOG 1 under ECOG-ACRIN's table straddles two Tokuhashi bands (70 -> 1, 80 -> 2 points)
    lo, hi = sc.ecog_to_kps(1, "ecog_acrin")
    assert sc.kps_to_tokuhashi_points(lo) != sc.kps_to_tokuhashi_points(hi)


def test_ecog_kps_old_names_are_aliases():
    # "web" and the misattributed "buccheri1996" still run, as the renamed tables
    for e in range(5):
        assert sc.ecog_to_kps(e, "web") == sc.ecog_to_kps(e, "ecog_acrin")
        assert sc.ecog_to_kps(e, " Buccheri1996 ") == sc.ecog_to_kps(e, "conventional")


def test_hcc_groupings():
    assert sc.choi_risk_group(2, "yes", "no").group == "A"
    assert sc.choi_risk_group(3, "no", "yes").group == "D"
    g = sc.hcc_sm_gpa(3, "no", "yes")  # 1 + 2 + 1
    assert (g.total, g.group) == (4, "high")
    assert sc.hcc_sm_gpa(0, True, False).group == "low"
    assert sc.hcc_sm_gpa(0, "no", "no").group == "intermediate"  # 2 points


def test_bilsky_frankel_asia():
    assert sc.bilsky_grade("1b") == ("1b", "low")
    assert sc.bilsky_grade(2) == ("2", "high")
    assert sc.bilsky_grade("1C")[1].startswith("low (1c")
    assert sc.frankel_grade("d") == "D" and sc.asia_grade("c") == "C"


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda: sc.tokuhashi_revised(75, 0, 1, "none", "liver", "E"),
            "kps must be one of 0, 10, 20, ..., 100",
        ),
        (
            lambda: sc.tokuhashi_revised(80, -1, 1, "none", "liver", "E"),
            "extraspinal_bone_foci must be an integer >= 0",
        ),
        (
            lambda: sc.tokuhashi_revised(80, 0, 0, "none", "liver", "E"),
            "vertebral_body_mets must be >= 1",
        ),
        (lambda: sc.tokuhashi_revised(80, 0, 1, "some", "liver", "E"), "organ_mets must be one of"),
        (lambda: sc.tokuhashi_revised(80, 0, 1, "none", "mars", "E"), "primary must be one of"),
        (lambda: sc.tokuhashi_revised(80, 0, 1, "none", "liver", "D2"), "frankel must be one of"),
        (lambda: sc.tomita("spleen", "none", "solitary"), "primary must be a growth class"),
        (lambda: sc.tomita("liver", "few", "solitary"), "visceral_mets must be one of"),
        (lambda: sc.sins("T13", "none", "lytic", "normal", "none", "none"), "location must be"),
        (lambda: sc.sins("T5", "severe", "lytic", "normal", "none", "none"), "pain must be one of"),
        (lambda: sc.child_pugh(1.0, 4.0, "none", "none"), "exactly one of inr or pt_prolongation"),
        (
            lambda: sc.child_pugh(-1.0, 4.0, "none", "none", inr=1.0),
            "bilirubin must be a positive number",
        ),
        (lambda: sc.child_pugh(1.0, 4.0, "lots", "none", inr=1.0), "ascites must be one of"),
        (lambda: sc.ecog_to_kps(5), "ecog must be 0, 1, 2, 3 or 4"),
        (lambda: sc.ecog_to_kps(1, "mine"), "mapping must be one of"),
        (lambda: sc.bilsky_grade("4"), "bilsky must be one of"),
        (lambda: sc.hcc_sm_gpa(2, "maybe", "no"), "primary_controlled must be one of"),
    ],
)
def test_invalid_items_raise(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_from_frame():
    df = pd.DataFrame(
        {
            "primary": ["liver", "kidney"],
            "visceral": ["none", "untreatable"],
            "bone_mets": ["solitary", "multiple"],
        },
        index=["op1", "op2"],
    )
    out = sc.tomita_from_frame(df, columns={"visceral_mets": "visceral"})
    assert out.loc["op1", "total"] == 5 and out.loc["op2", "group"] == "8-10"
    with pytest.raises(ValueError, match="missing column"):
        sc.tomita_from_frame(df)
    bad = df.assign(visceral=["none", "lots"])
    with pytest.raises(ValueError, match="row 'op2'"):
        sc.tomita_from_frame(bad, columns={"visceral_mets": "visceral"})
