"""spinemets: the shared library of the spinal metastases methods book.

One module per concept:

- :mod:`spinemets.radiobiology`: BED, EQD2 (= nBED) and schedule parsing.
- :mod:`spinemets.response`: pain response definitions (IBMCWP 2002/2012, OMED, paper B's VAS categories).
- :mod:`spinemets.scores`: Tokuhashi, Tomita, SINS and related clinical scores (a subpackage).
- :mod:`spinemets.discrimination`: Harrell's C with R's standard error, and its pairs.
- :mod:`spinemets.survival`: Kaplan-Meier medians and rates, log-rank tests, Cox models, cumulative incidence.
- :mod:`spinemets.compare`: contingency tests, paired tests, cutoffs, stepwise logistic regression, Table 1.
- :mod:`spinemets.matching`: 1:1 matched pairs (exact blocks, calipers, optimal or greedy) and balance.
- :mod:`spinemets.cohorts`: calibrated synthetic cohorts rebuilt from published tables.
- :mod:`spinemets.published`: the registry of published numbers and published-vs-reproduced tables.
- :mod:`spinemets.plots`: figures in one book style.
- :mod:`spinemets.instruments`: RAND-36 scoring, VAS, KPS, Frankel, change from baseline and MCID.
- :mod:`spinemets.repeated`: mixed models for repeated scores and baseline-adjusted ANCOVA.
- :mod:`spinemets.analyses`: each paper's whole analysis as one function (feeds the replicates).
- :mod:`spinemets.audit`: the generated audit of every printed number of a paper (chapters 30-34).
- :mod:`spinemets.power`: power and detectable effects (log-rank, proportions, paired, McNemar).
- :mod:`spinemets.screen`: the consistency screen of a paper's printed numbers (and p from a CI).
- :mod:`spinemets.immortal`: landmark analysis and guarantee-time (immortal time) bias.
- :mod:`spinemets.simulate`: small teaching simulators (frailty pairs, competing risks, few clusters).

Modules are imported lazily (``import spinemets; spinemets.radiobiology``) so that a chapter only
pays for what it uses.
"""

from importlib import import_module

__version__ = "0.1.0"

# Only modules that exist are listed: ``from spinemets import *`` and ``spinemets.<name>`` must
# work for every name in __all__ (tests/contract/test_contract_package.py imports each one).
_MODULES = (
    "radiobiology",
    "response",
    "scores",
    "survival",
    "discrimination",
    "compare",
    "matching",
    "cohorts",
    "published",
    "screen",
    "power",
    "instruments",
    "repeated",
    "analyses",
    "audit",
    "plots",
    "immortal",
    "simulate",
    "paths",
)

__all__ = list(_MODULES)


def __dir__():
    return sorted(set(globals()) | set(_MODULES))


def __getattr__(name):
    if name in _MODULES:
        return import_module(f"spinemets.{name}")
    raise AttributeError(f"module 'spinemets' has no attribute {name!r}")
