"""Where the book's data live.

``DATA_DIR`` is the repository's ``data/`` folder (the library is installed in editable mode
from a checkout). Set the environment variable ``SPINEMETS_DATA`` to point elsewhere, e.g. on
Colab after cloning the repository into another folder.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("SPINEMETS_DATA", REPO_ROOT / "data")).resolve()
PUBLISHED_DIR = DATA_DIR / "published"
COHORTS_DIR = DATA_DIR / "cohorts"

__all__ = ["REPO_ROOT", "DATA_DIR", "PUBLISHED_DIR", "COHORTS_DIR"]
