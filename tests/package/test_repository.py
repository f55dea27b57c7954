"""Repository furniture: the one repository URL, the publishing workflow, licence and citation."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
URL = CONFIG["repository"]["url"]


def test_repository_url_is_set_once_and_used_everywhere():
    """_config.yml holds the URL; everything else that names it must agree (scripts/set_repository_url.py)."""
    assert URL.startswith("https://github.com/")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["urls"]["Homepage"] == URL
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["repository-code"] == URL


@pytest.mark.parametrize(
    "workflow", sorted((ROOT / ".github" / "workflows").glob("*.yml")), ids=lambda p: p.name
)
@pytest.mark.slow
def test_workflow_is_valid(workflow):
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(workflow),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_licence_and_citation():
    text = (ROOT / "LICENSE").read_text()
    assert "CC BY 4.0" in text and "MIT License" in text
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0" and set(cff["license"]) == {"CC-BY-4.0", "MIT"}
