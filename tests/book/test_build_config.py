"""The book's build configuration: what Sphinx reads, and the student edition."""

from pathlib import Path

import pytest
import yaml
from sphinx.util.matching import Matcher

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())


@pytest.mark.parametrize(
    "path",
    [
        ".venv-x/lib/python3.11/site-packages/pkg/README.md",
        ".venv/lib/site-packages/x.ipynb",
        ".hidden/notes.md",
        "chapters/.ipynb_checkpoints/01_radiobiology-checkpoint.ipynb",
        "venv/share/doc/x.md",
        "myvenv/share/doc/x.md",
        "_build/html/x.md",
        "chapters/01_radiobiology.ipynb",
    ],
)
def test_hidden_folders_and_virtual_environments_are_never_sources(path):
    assert Matcher(CONFIG["exclude_patterns"])(path), path


@pytest.mark.parametrize("path", ["intro.md", "chapters/01_radiobiology.md", "references.md"])
def test_book_sources_are_read(path):
    assert not Matcher(CONFIG["exclude_patterns"])(path), path


def test_student_edition_extension_is_configured():
    sphinx = CONFIG["sphinx"]
    assert sphinx["local_extensions"]["student_edition"] == "_ext/"
    assert (ROOT / "_ext" / "student_edition.py").exists()
    assert sphinx["config"]["hide_solutions"] is False  # the web edition shows solutions
