"""The paper analyses split into packages by concept (issue 22 item 13): same import paths.

``spinemets.analyses.<paper>`` is a package for the papers whose analysis outgrew one module;
every name of its ``__all__`` is importable from the package, ``comparison()`` stays cached, and
:func:`recomputed` joins its per-section helpers without one overwriting another.
"""

import importlib

import pytest

from spinemets.analyses import park2016, sohn2016

PAPERS = ("choi2015", "sohn2016", "lee2015", "park2016", "separation2024")


@pytest.mark.parametrize("paper", PAPERS)
def test_every_public_name_is_importable_from_the_paper(paper):
    module = importlib.import_module(f"spinemets.analyses.{paper}")
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert not missing
    assert len(set(module.__all__)) == len(module.__all__)


@pytest.mark.parametrize("paper", ("sohn2016", "lee2015", "park2016"))
def test_comparison_is_cached(paper):
    module = importlib.import_module(f"spinemets.analyses.{paper}")
    assert module.comparison() is module.comparison()


def test_sohn2016_recomputed_sections_are_disjoint():
    from spinemets.analyses.sohn2016 import recomputation as r

    out = r._patient_flow()
    seen = set(out)
    for section in (r._table1, r._table2_pain, r._toxicity, r._further_interventions):
        part: dict = {}
        section(part)
        assert part and not (set(part) & seen), section.__name__
        seen |= set(part)
    assert seen == set(sohn2016.recomputed())


def test_park2016_recomputed_sections_are_disjoint():
    from spinemets.analyses.park2016 import recomputation as r

    D = r._registry()
    seen: set = set()
    for section in (r._table2, r._table1_counts, r._targeted_therapy, r._radiobiology, r._outcomes):
        part: dict = {}
        section(D, part)
        assert part and not (set(part) & seen), section.__name__
        seen |= set(part)
    assert seen == set(park2016.recomputed())
