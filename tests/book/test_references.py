"""Every bibliography entry can be found again: it has a DOI or a stable URL."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENTRIES = re.findall(r"@(\w+)\{([^,\s]+),(.*?)\n\}", (ROOT / "references.bib").read_text(), re.S)


def test_bibliography_parses():
    assert len(ENTRIES) > 20
    keys = [k for _, k, _ in ENTRIES]
    assert len(keys) == len(set(keys)), "duplicate bibliography keys"


def test_every_entry_has_a_doi_or_a_stable_url():
    missing = [k for _, k, body in ENTRIES if not re.search(r"\b(doi|url)\s*=", body, re.I)]
    assert not missing, f"entries without doi or url: {missing}"


def test_dois_look_like_dois():
    bad = [
        (k, d)
        for _, k, body in ENTRIES
        for d in re.findall(r"\bdoi\s*=\s*\{([^}]*)\}", body, re.I)
        if not d.startswith("10.")
    ]
    assert not bad, bad


def test_bibliography_parses_with_pybtex():
    """sphinxcontrib-bibtex reads the file with pybtex: a lost brace breaks the book build."""
    from pybtex.database import parse_file

    db = parse_file(str(ROOT / "references.bib"))
    assert len(db.entries) == len(ENTRIES)


def test_altman_bland_p_from_ci_is_d2304():
    """BMJ 2011;343:d2304 is "How to obtain the P value from a confidence interval" (d2090 is
    its companion, "How to obtain the confidence interval from a P value")."""
    body = dict((k, b) for _, k, b in ENTRIES)["altman2011"]
    assert "P} value from a confidence interval" in body
    assert "d2304" in body and "d2090" not in body
