"""Paper B's registry holds every number the paper prints, section by section.

The paper's text (shared/papers/B_...txt, extracted from the PDF with its two columns
interleaved) is cut into sections by marker strings. In each section the numeric tokens are
extracted after removing what is not a number of the study (reference superscripts such as
``HCC14)``, "Table 2"/"Fig. 3" cross-references, the unit "Gy2/10", "T1-weighted", the running
head and page number). The multiset of tokens must equal the registry's printed values for that
section plus a short, explicit list of excused tokens (category labels, a formula's constant, a
software version), each with its reason. A number added to or dropped from the registry, or a
section miscounted, fails the test.
"""

import re
from collections import Counter

import pytest

from spinemets import published

# the paper's text is found by tests/conftest.py (SPINEMETS_PAPERS, ../shared/papers, ...)
PAPER = "B_sohn-2016"

# section -> list of (start marker, end marker) segments of the extracted text
SEGMENTS = {
    "Introduction": [
        ("The role of stereotactic radiosurgery", "Outcome assessment"),
        ("INTRODUCTION", "Outcome assessment"),
        ("Recently we reported that SRS", "MATERIALS AND METHODS"),
    ],
    "Methods, Patients": [("\nPatients\n", " culated as a 2-Gy")],
    "Methods, Outcome assessment": [(" Outcome assessment", "SRS and RT procedure")],
    "Methods, SRS and RT procedure": [
        ("SRS and RT procedure", "Recently we reported that SRS"),
        (" culated as a 2-Gy", "Statistical analysis"),
    ],
    "Methods, Statistical analysis": [("Statistical analysis", "RESULTS")],
    "Results, Comparability of patients": [
        ("Comparability of patients", "Pain relief and further intervention")
    ],
    "Results, Pain relief and further intervention": [
        ("Pain relief and further intervention", " Fig. 1. Representative"),
        ("ent in the two groups; however", "Local control and progression free survival"),
    ],
    "Figure 1": [(" Fig. 1. Representative", "J Korean Neurosurg Soc")],
    "Results, Local control and progression free survival": [
        ("Local control and progression free survival", "\nToxicity\nIn the SRS")
    ],
    "Results, Toxicity": [
        ("\nToxicity\nIn the SRS", "Table 1. Patient"),
        (" level. The one compression", "DISCUSSION"),
    ],
    "Table 1": [("Table 1. Patient", "Fig. 2. Kaplan")],
    "Figure 2": [("Fig. 2. Kaplan", " level. The one compression")],
    "Discussion": [
        ("DISCUSSION", "Table 2. Outcome"),
        (" SRS group than in the RT group (Table 1)", "CONCLUSION"),
    ],
    "Table 2": [("Table 2. Outcome", "Table 3. Toxicity")],
    "Table 3": [("Table 3. Toxicity", "Fig. 3. Kaplan")],
    "Figure 3": [("Fig. 3. Kaplan", " SRS group than in the RT group (Table 1)")],
    "Conclusion": [("CONCLUSION", None)],
}

# tokens that are printed digits but not numbers of the study, with the reason
EXCUSED = {
    "Methods, Patients": [
        ("1", "the second side of the '1 : 1' matching ratio (match_ratio holds the first)")
    ],
    "Methods, SRS and RT procedure": [
        ("1", "the constant 1 of the formula BED / [1 + d/(alpha/beta)]")
    ],
    "Methods, Statistical analysis": [("21.0", "SPSS version number")],
    "Figure 1": [("4", "vertebral level L4 (a label)"), ("5", "vertebral level L5 (a label)")],
    "Table 1": [
        ("1", "category label: number of spine metastases 1"),
        ("2", "category label: 2 metastases"),
        ("3", "category label: 3 metastases"),
        ("4", "category label: >= 4 metastases"),
        ("1", "category label: ECOG <= 1"),
        ("2", "category label: ECOG >= 2"),
        ("2", "category label: ambulation <= 2"),
        ("3", "category label: ambulation >= 3"),
    ],
    "Discussion": [("3", "'3D RT' (three-dimensional, a technique name)")],
}

CITATION = re.compile(r"(?:(?<=[A-Za-z)%])|(?<=[^\d]\.))\d+(?:[,\u2013-]\d+)*\)")
NOISE = [
    re.compile(r"(?:Table|Fig\.)\s*\d+"),
    re.compile(r"Gy2/10"),
    re.compile(r"T1-weighted"),
    re.compile(r"J Korean Neurosurg Soc 59 \| January 2016"),
    re.compile(r"^\s*40\s*$", re.M),  # page number
    re.compile(r"\b[Gg]rade\s+\d\b"),  # the grade labels "grade 2 ..." / "Grade 1 Grade 2"
]
TOKEN = re.compile(r"\d+(?:\.\d+)?")


def _segment(text: str, start: str, end: str | None) -> str:
    i = text.index(start)
    j = len(text) if end is None else text.index(end, i + len(start))
    return text[i:j]


def tokens(section: str, text: str) -> list[str]:
    out = []
    for start, end in SEGMENTS[section]:
        s = _segment(text, start, end)
        if section == "Introduction" and start == "The role of stereotactic radiosurgery":
            s = s.split("INTRODUCTION")[0]
        if section == "Introduction" and start == "INTRODUCTION":
            s = s.split(" Outcome assessment")[0]
        if section == "Discussion" and start == "DISCUSSION":
            pass
        s = CITATION.sub(" ", s)
        for pat in NOISE:
            s = pat.sub(" ", s)
        out += TOKEN.findall(s)
    return out


def _section_of(n: published.PublishedNumber) -> str:
    src = n.source
    if src["where"] == "table":
        return src["table"]
    if src["where"] in ("legend", "figure"):
        return src["figure"]
    sec = src.get("section", "")
    if sec.startswith("Discussion"):
        return "Discussion"
    return sec.split(" (")[0]


def _printed(n: published.PublishedNumber) -> str:
    return n.text.lstrip("<>=")


REG = published.load("sohn2016")
WORD = "printed as a word"


def test_every_registry_entry_names_a_known_section():
    unknown = {nid: _section_of(n) for nid, n in REG.items() if _section_of(n) not in SEGMENTS}
    assert not unknown


@pytest.mark.needs_papers
@pytest.mark.parametrize("section", list(SEGMENTS))
def test_numeric_tokens_equal_registry_plus_excused(section, paper_text):
    found = Counter(tokens(section, paper_text(PAPER)))
    listed = Counter(
        _printed(n) for n in REG.values() if _section_of(n) == section and n.note != WORD
    )
    excused = Counter(tok for tok, _ in EXCUSED.get(section, []))
    missing = found - (listed + excused)
    extra = (listed + excused) - found
    assert not missing, f"{section}: printed but not in the registry: {sorted(missing.elements())}"
    assert not extra, (
        f"{section}: in the registry but not printed there: {sorted(extra.elements())}"
    )


@pytest.mark.needs_papers
def test_numbers_printed_as_words_are_in_the_registry(paper_text):
    words = {
        "srs_excluded": ("Twelve", 12),
        "rt_excluded": ("Twenty-one", 21),
        "txt_further_srs": ("Six", 6),
        "txt_further_rt": ("Seven", 7),
        "mri_followup_n": ("Forty seven", 47),
        "txt_fracture_kypho_srs": ("Two of the compression", 2),
        "txt_fracture_vp_rt": ("The one compression", 1),
        "d_kypho_srs": ("Two SRS group patients", 2),
    }
    text = paper_text(PAPER)
    for nid, (word, value) in words.items():
        assert word in text, word
        assert REG[nid].note == WORD and REG.value(nid) == value


@pytest.mark.change_detector
def test_registry_size():
    # 371 numbers: the count is pinned so that additions are deliberate
    assert len(REG) == 371
