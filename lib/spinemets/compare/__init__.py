"""Comparing groups: contingency tables, paired data, cutoffs, stepwise selection and Table 1.

Every test returns a result object with named fields that prints readably, in the style of
lifelines' ``StatisticalResult``. Tests are checked against R's ``stats`` package
(``chisq.test``, ``fisher.test``, ``mcnemar.test``, ``t.test``, ``wilcox.test``) and
``coin::mh_test`` in
``tests/compare/``.

References
----------
Pearson K. On the criterion that a given system of deviations... Philos Mag 1900;50:157-175.
Yates F. Contingency tables involving small numbers and the chi-squared test. Suppl J R Stat Soc
1934;1:217-235.
Fisher RA. The Design of Experiments. Edinburgh: Oliver & Boyd, 1935.
Freeman GH, Halton JH. Note on an exact treatment of contingency, goodness of fit and other
problems of significance. Biometrika 1951;38:141-149.
Mehta CR, Patel NR. A network algorithm for performing Fisher's exact test in r x c contingency
tables. J Am Stat Assoc 1983;78:427-434.
McNemar Q. Note on the sampling error of the difference between correlated proportions or
percentages. Psychometrika 1947;12:153-157.
Bowker AH. A test for symmetry in contingency tables. J Am Stat Assoc 1948;43:572-574.
Wilcoxon F. Individual comparisons by ranking methods. Biometrics Bull 1945;1:80-83.
Youden WJ. Index for rating diagnostic tests. Cancer 1950;3:32-35.
DeLong ER, DeLong DM, Clarke-Pearson DL. Comparing the areas under two or more correlated
receiver operating characteristic curves: a nonparametric approach. Biometrics 1988;44:837-845.
Lausen B, Schumacher M. Maximally selected rank statistics. Biometrics 1992;48:73-85.
Harrell FE. Regression Modeling Strategies, 2nd ed. Springer, 2015 (section 4.3 on stepwise
selection).

Submodules (everything public is re-exported here, so ``from spinemets import compare`` is enough):
``contingency`` (chi-square, Fisher), ``exact`` (exact r x c Fisher), ``paired`` (McNemar,
Bowker, Stuart-Maxwell, paired t, Wilcoxon), ``margins`` (every table with given margins and
the attainable range of a paired test's p-value), ``cutoffs`` (Youden, DeLong, the null-cutoff
simulation, two cutoffs), ``stepwise`` (SPSS FSTEP(LR)), ``descriptive`` (Table 1).

Input contract: the library's one rule (``spinemets._validation``): bad input raises a
ValueError naming the argument; counts are finite whole numbers; flags are booleans; pandas
Series are paired by label; every exact or enumerating algorithm states its size limit
(``MAX_FISHER_N``, ``MAX_FISHER_WORK``, ``MAX_TABLES``, ``MAX_EXACT_WILCOXON``, ``MAX_TWO_CUTOFF_CELLS``) and
refuses beyond it before starting.
"""

from .contingency import ContingencyResult, contingency_test, independence  # noqa: F401  (contingency_test: deprecated alias)
from .cutoffs import (
    MAX_TWO_CUTOFF_CELLS,
    AUCResult,
    CutoffResult,
    CutoffSimulationResult,
    TwoCutoffResult,
    delong_auc,
    null_cutoff_simulation,
    two_cutoffs,
    youden_cutoff,
)
from .descriptive import table_one
from .exact import MAX_FISHER_N, MAX_FISHER_RESAMPLES, MAX_FISHER_WORK, FisherResult, fisher_exact
from .margins import (
    MAX_TABLES,
    AttainableResult,
    attainable_p,
    count_tables_with_margins,
    tables_with_margins,
)
from .paired import (
    MAX_EXACT_WILCOXON,
    PairedResult,
    bowker,
    mcnemar,
    paired_t,
    stuart_maxwell,
    wilcoxon_signed_rank,
)
from .stepwise import StepwiseResult, stepwise_logistic

__all__ = [
    "ContingencyResult",
    "independence",
    "FisherResult",
    "fisher_exact",
    "MAX_FISHER_N",
    "MAX_FISHER_WORK",
    "MAX_FISHER_RESAMPLES",
    "mcnemar",
    "bowker",
    "stuart_maxwell",
    "count_tables_with_margins",
    "tables_with_margins",
    "AttainableResult",
    "attainable_p",
    "MAX_TABLES",
    "PairedResult",
    "paired_t",
    "wilcoxon_signed_rank",
    "MAX_EXACT_WILCOXON",
    "CutoffResult",
    "youden_cutoff",
    "AUCResult",
    "delong_auc",
    "CutoffSimulationResult",
    "null_cutoff_simulation",
    "TwoCutoffResult",
    "two_cutoffs",
    "MAX_TWO_CUTOFF_CELLS",
    "StepwiseResult",
    "stepwise_logistic",
    "table_one",
]
