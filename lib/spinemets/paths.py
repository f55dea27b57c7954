"""Where the book's data live.

``DATA_DIR`` is found in this order:

1. the environment variable ``SPINEMETS_DATA``, if set (any folder laid out like ``data/``);
2. the ``data/`` folder of the checkout the library sits in (an editable install, the book build,
   nbval and CI all use this one);
3. the copy that travels with an installed package (``pip install <repository>``, as on Colab):
   the registries, cohort specs, cohorts and replicate files are installed as data files under
   ``<prefix>/share/spinemets/data`` and located through the package's installed file list, so
   they are found whatever the install scheme (system, user or virtual environment).
"""

from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def _installed_data_dir() -> Path | None:
    try:
        dist = metadata.distribution("spinemets")
    except metadata.PackageNotFoundError:
        return None
    for f in dist.files or ():
        if f.name == "choi2015.yaml" and f.parent.name == "published":
            return Path(dist.locate_file(f)).resolve().parents[1]
    return None


def _data_dir() -> Path:
    if os.environ.get("SPINEMETS_DATA"):
        return Path(os.environ["SPINEMETS_DATA"]).resolve()
    checkout = REPO_ROOT / "data"
    if (checkout / "published").is_dir() and (REPO_ROOT / "pyproject.toml").exists():
        return checkout.resolve()
    installed = _installed_data_dir()
    if installed is not None:
        return installed
    return checkout.resolve()  # nothing found: errors will name this path


DATA_DIR = _data_dir()
PUBLISHED_DIR = DATA_DIR / "published"
COHORTS_DIR = DATA_DIR / "cohorts"
REPLICATES_DIR = DATA_DIR / "replicates"

__all__ = ["REPO_ROOT", "DATA_DIR", "PUBLISHED_DIR", "COHORTS_DIR", "REPLICATES_DIR"]
