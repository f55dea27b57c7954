"""Comparing groups: contingency tables, paired data, cutoffs, stepwise selection and Table 1.

Every test returns a result object with named fields that prints readably, in the style of
lifelines' ``StatisticalResult``. Tests are checked against R's ``stats`` package
(``chisq.test``, ``fisher.test``, ``mcnemar.test``, ``t.test``, ``wilcox.test``) in
``tests/test_compare.py``.

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
Bowker, paired t, Wilcoxon), ``cutoffs`` (Youden, DeLong, two cutoffs), ``stepwise``
(SPSS FSTEP(LR)), ``descriptive`` (Table 1).
"""

from .contingency import ContingencyResult, contingency_test
from .cutoffs import CutoffResult, TwoCutoffResult, delong_auc, two_cutoffs, youden_cutoff
from .descriptive import table_one
from .exact import fisher_exact
from .paired import PairedResult, bowker, mcnemar, paired_t, wilcoxon_signed_rank
from .stepwise import StepwiseResult, stepwise_logistic

__all__ = [
    "ContingencyResult", "contingency_test", "fisher_exact", "mcnemar", "bowker",
    "PairedResult", "paired_t", "wilcoxon_signed_rank",
    "CutoffResult", "youden_cutoff", "delong_auc", "TwoCutoffResult", "two_cutoffs",
    "StepwiseResult", "stepwise_logistic", "table_one",
]
