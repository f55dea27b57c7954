"""1:1 matched pairs: exact blocks, calipers, optimal or greedy nearest-neighbour matching.

:func:`match_pairs` pairs each treated unit with one control. Distances are Mahalanobis
(pooled within-group covariance), Euclidean, or the absolute difference in propensity scores
(logistic regression of treatment on the covariates, statsmodels). Exact matching variables
split the data into blocks that are solved separately, and a caliper makes pairs that are too
far apart *forbidden*: they are never chosen, however much the total distance would gain.

``method="optimal"`` minimises the total distance of the pairs (first maximising the number of
treated units that can be matched at all) with :func:`scipy.optimize.linear_sum_assignment`;
``method="greedy"`` takes the treated units one at a time, in ``order``, and gives each the
nearest control still available, as MatchIt's ``method = "nearest"`` does (``m.order``).

The result prints readably and offers :meth:`MatchResult.balance` (means, standardised mean
differences, variance ratios and eCDF statistics before and after matching, as MatchIt's
``summary()``), :meth:`MatchResult.love_plot` and :meth:`MatchResult.matched_data`.

References
----------
Rosenbaum PR. Optimal matching for observational studies. J Am Stat Assoc 1989;84:1024-1032.
Stuart EA. Matching methods for causal inference: a review and a look forward. Stat Sci
2010;25:1-21. doi:10.1214/09-STS313
Austin PC. Balance diagnostics for comparing the distribution of baseline covariates between
treatment groups in propensity-score matched samples. Stat Med 2009;28:3083-3107.
doi:10.1002/sim.3697
Ho DE, Imai K, King G, Stuart EA. MatchIt: nonparametric preprocessing for parametric causal
inference. J Stat Softw 2011;42(8):1-28. doi:10.18637/jss.v042.i08

The package is split by concept: input processing (``_inputs``), the distances and the two
algorithms (``_algorithms``), the result object (``_result``) and the balance diagnostics
(``balance``). The public names are importable from ``spinemets.matching`` as before.
"""

from ._algorithms import (  # noqa: F401  (the constants stay importable from here, as before)
    DISTANCES,
    METHODS,
    ORDERS,
    REASON_CALIPER,
    REASON_NO_BLOCK,
    REASON_USED,
    TIE_TOL,
    match_pairs,
)
from ._result import MatchResult
from .balance import balance_table, smd

__all__ = ["match_pairs", "MatchResult", "balance_table", "smd"]
