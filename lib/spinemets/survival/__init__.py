"""Survival analysis as the papers use it, checked against R's ``survival`` and ``cmprsk``.

One module per topic (all public names are re-exported here, ``spinemets.survival.X``):

- ``km``: :func:`km_table` and :func:`survival_at`, Kaplan-Meier estimates with Greenwood
  standard errors and pointwise confidence intervals ("log", R's default; "log-log"; "plain");
  :func:`median_survival` with R's "log"/"log-log" intervals (Brookmeyer-Crowley inversion) and
  R's median rule (``print.survfit``), or SPSS's rule (the first time S <= 0.5) with the
  symmetric median ± 1.96·SE that SPSS prints (papers A and C);
- ``logrank``: :func:`logrank`, :func:`stratified_logrank` (R ``survdiff`` with ``strata()``;
  paper B's test for matched pairs) and :func:`pairwise_logrank` (paper A's risk groups);
- ``cox``: :func:`cox`, Cox proportional hazards (Efron or Breslow ties, strata, robust sandwich
  standard errors for clustered observations such as lesions within patients, paper D, equal to
  R's ``coxph(..., cluster=)``), refusing a coefficient that runs to infinity, with the
  Grambsch-Therneau proportional-hazards check; the engine (``_core``) is shared by
  ``firth`` (:func:`firth_cox`, Firth-penalised Cox with profile-likelihood intervals) and
  ``finegray`` (:func:`fine_gray`, Fine-Gray subdistribution hazards with R's ``finegray``
  weights);
- ``competing`` and ``gray``: :func:`cumulative_incidence` (Aalen-Johansen, exact with ties) and
  :func:`gray_k_sample` (Gray's K-sample test, R ``cmprsk::cuminc``; formerly ``gray_test``);
- ``followup``: :func:`median_followup` (reverse Kaplan-Meier) and :func:`events_per_variable`;
- ``tables``: :func:`univariate_table`, the "median ± SE, log-rank p" table of surgical series;
- ``lifetable``: :func:`life_table`, the actuarial (Cutler-Ederer) life table (paper B).

Input contract (``spinemets._validation``): bad input raises ValueError naming the argument;
tests that carry no information (no events, one group, strata each holding one group, a single
cluster) refuse with the reason; pandas Series are paired by label. Missing values: the array
functions reject NaN; the model functions work on a DataFrame and, as R does, drop rows with a
missing value in any used column, reporting how many in ``n_dropped``.

References
----------
Kaplan EL, Meier P. Nonparametric estimation from incomplete observations. J Am Stat Assoc
1958;53:457-481.
Mantel N. Evaluation of survival data and two new rank order statistics arising in its
consideration. Cancer Chemother Rep 1966;50:163-170.
Cox DR. Regression models and life-tables. J R Stat Soc B 1972;34:187-220.
Lin DY, Wei LJ. The robust inference for the Cox proportional hazards model. J Am Stat Assoc
1989;84:1074-1078.
Therneau TM, Grambsch PM. Modeling Survival Data: Extending the Cox Model. Springer, 2000.
Heinze G, Schemper M. A solution to the problem of monotone likelihood in Cox regression.
Biometrics 2001;57:114-119.
Gray RJ. A class of K-sample tests for comparing the cumulative incidence of a competing risk.
Ann Stat 1988;16:1141-1154.
Fine JP, Gray RJ. A proportional hazards model for the subdistribution of a competing risk.
J Am Stat Assoc 1999;94:496-509.
Schemper M, Smith TL. A note on quantifying follow-up in studies of failure time. Control Clin
Trials 1996;17:343-346.
"""

from .competing import cumulative_incidence
from .cox import CoxResult, cox
from .finegray import FineGrayResult, fine_gray
from .firth import firth_cox
from .followup import EventsPerVariable, events_per_variable, median_followup
from .gray import GrayResult, gray_k_sample, gray_test  # noqa: F401  (gray_test: deprecated alias)
from .km import MedianSurvival, km_table, median_survival, survival_at
from .lifetable import life_table
from .logrank import LogrankResult, logrank, pairwise_logrank, stratified_logrank
from .tables import univariate_table

__all__ = [
    "km_table",
    "survival_at",
    "median_survival",
    "MedianSurvival",
    "logrank",
    "stratified_logrank",
    "pairwise_logrank",
    "LogrankResult",
    "cox",
    "CoxResult",
    "firth_cox",
    "fine_gray",
    "FineGrayResult",
    "cumulative_incidence",
    "gray_k_sample",
    "GrayResult",
    "median_followup",
    "events_per_variable",
    "EventsPerVariable",
    "univariate_table",
    "life_table",
]
