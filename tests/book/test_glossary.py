"""The glossary: at least 60 terms, and the chapters link to them with {term}."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import link_glossary  # noqa: E402


def test_glossary_has_at_least_60_entries():
    assert len(link_glossary.entries()) >= 60


def test_most_entries_are_linked_from_the_chapters():
    text = "\n".join(p.read_text() for p in link_glossary.PAGES)
    linked = {t.lower() for t in re.findall(r"\{term\}`(?:[^`<]*<)?([^`>]+)>?`", text)}
    entries = link_glossary.entries()
    hit = [e for e in entries if any(t.lower() in linked for t in e)]
    assert len(hit) >= 60, f"only {len(hit)} glossary entries are linked from the pages"


def test_every_term_link_names_a_glossary_term():
    names = {t.lower() for e in link_glossary.entries() for t in e}
    text = "\n".join(p.read_text() for p in link_glossary.PAGES)
    targets = {t.lower() for t in re.findall(r"\{term\}`(?:[^`<]*<)?([^`>]+)>?`", text)}
    assert targets <= names, sorted(targets - names)


def test_linking_is_idempotent(tmp_path):
    r = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "link_glossary.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr


def _entry(name):
    text = link_glossary.GLOSSARY.read_text()
    m = re.search(rf"^{re.escape(name)}\n((?:  .*\n)+)", text, re.M)
    assert m, name
    return " ".join(m.group(1).split())


def test_tokuhashi_bands_match_the_library():
    """The glossary's Tokuhashi bands say what scores.BANDS (the 2005 source) says."""
    from spinemets import scores

    entry = _entry("Tokuhashi")
    for _lo, _hi, band, says in scores.BANDS["tokuhashi_revised"]:
        claim = says.split(":")[0].replace("predicted survival ", "")
        claim = (
            claim.replace(">= 6 months", "6 months or more")
            .replace(">= 1 year", "a year or more")
            .replace("< 6 months", "under 6 months")
        )
        assert f"{claim} ({band})" in entry, (claim, band, entry)


def test_calibration_is_not_the_cohort_fitting():
    """Calibration is defined for scores; tuning the synthetic cohorts has its own term."""
    assert "score" in _entry("calibration")
    assert "synthetic cohort" in _entry("fitting the cohort")
