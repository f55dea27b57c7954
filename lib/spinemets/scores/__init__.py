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

from ._common import BANDS, Score, band_of
from .bounds import total_range
from .grades import (
    ASIA,
    BILSKY,
    FRANKEL,
    asia_grade,
    bilsky_grade,
    ecog_to_kps,
    frankel_grade,
    kps_to_tokuhashi_points,
)
from .hcc import choi_risk_group, hcc_sm_gpa
from .liver import child_pugh, child_pugh_from_frame
from .sins import sins, sins_from_frame, spine_level_region
from .tokuhashi import (
    TOKUHASHI_1990_PRIMARY,
    TOKUHASHI_2005_PRIMARY,
    tokuhashi_original,
    tokuhashi_original_from_frame,
    tokuhashi_revised,
    tokuhashi_revised_from_frame,
)
from .tomita import TOMITA_PRIMARY, tomita, tomita_from_frame

__all__ = [
    "Score",
    "tokuhashi_revised",
    "tokuhashi_original",
    "tomita",
    "sins",
    "child_pugh",
    "ecog_to_kps",
    "kps_to_tokuhashi_points",
    "spine_level_region",
    "bilsky_grade",
    "frankel_grade",
    "asia_grade",
    "hcc_sm_gpa",
    "choi_risk_group",
    "tokuhashi_revised_from_frame",
    "tokuhashi_original_from_frame",
    "tomita_from_frame",
    "sins_from_frame",
    "child_pugh_from_frame",
    "total_range",
    "band_of",
    "FRANKEL",
    "ASIA",
    "BILSKY",
    "TOKUHASHI_2005_PRIMARY",
    "TOKUHASHI_1990_PRIMARY",
    "TOMITA_PRIMARY",
    "BANDS",
]
