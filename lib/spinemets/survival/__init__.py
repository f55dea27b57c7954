"""Survival analysis as the papers use it, checked against R's ``survival`` package.

- :func:`km_table` and :func:`survival_at`: Kaplan-Meier estimates with Greenwood standard errors
  and pointwise confidence intervals ("log", R's default; "log-log"; "plain");
- :func:`median_survival`: the median with three kinds of confidence interval: R's ``survfit``
  "log" and "log-log" (Brookmeyer-Crowley inversion of the pointwise band) and the symmetric
  median ± 1.96·SE that SPSS prints (papers A and C);
- :func:`logrank`, :func:`stratified_logrank` (R ``survdiff`` with ``strata()``; paper B's test for
  matched pairs) and :func:`pairwise_logrank` (paper A's risk-group comparisons);
- :func:`cox`: Cox proportional hazards (Efron or Breslow ties, robust "sandwich" standard errors
  for clustered observations such as lesions within patients, paper D), with the Grambsch-Therneau
  proportional-hazards check;
- :func:`cumulative_incidence`: the Aalen-Johansen estimator for a cause with competing risks
  (local progression with death competing), exact with tied times.

Missing values: the array functions reject NaN (ValueError). :func:`cox` works on a DataFrame and,
as R does, drops rows with a missing value in any used column, reporting how many in ``n_dropped``.

References
----------
Kaplan EL, Meier P. Nonparametric estimation from incomplete observations. J Am Stat Assoc
1958;53:457-481.
Greenwood M. The natural duration of cancer. Rep Public Health Med Subj 1926;33:1-26.
Brookmeyer R, Crowley J. A confidence interval for the median survival time. Biometrics
1982;38:29-41.
Mantel N. Evaluation of survival data and two new rank order statistics arising in its
consideration. Cancer Chemother Rep 1966;50:163-170.
Peto R, Peto J. Asymptotically efficient rank invariant test procedures. J R Stat Soc A
1972;135:185-207.
Cox DR. Regression models and life-tables. J R Stat Soc B 1972;34:187-220.
Breslow N. Covariance analysis of censored survival data. Biometrics 1974;30:89-99.
Efron B. The efficiency of Cox's likelihood function for censored data. J Am Stat Assoc
1977;72:557-565.
Lin DY, Wei LJ. The robust inference for the Cox proportional hazards model. J Am Stat Assoc
1989;84:1074-1078.
Grambsch PM, Therneau TM. Proportional hazards tests and diagnostics based on weighted residuals.
Biometrika 1994;81:515-526.
Aalen OO, Johansen S. An empirical transition matrix for non-homogeneous Markov chains based on
censored observations. Scand J Stat 1978;5:141-150.
Collett D. Modelling Survival Data in Medical Research, 3rd ed. CRC Press, 2015 (section 2.4).
Klein JP, Moeschberger ML. Survival Analysis, 2nd ed. Springer, 2003 (section 4.5).
"""

from __future__ import annotations

from .competing import cumulative_incidence
from .cox import CoxResult, cox
from .finegray import FineGrayResult, fine_gray
from .firth import firth_cox
from .gray import GrayResult, gray_test
from .km import MedianSurvival, km_table, median_survival, survival_at
from .logrank import LogrankResult, logrank, pairwise_logrank, stratified_logrank
from .tables import univariate_table

__all__ = [
    "km_table", "survival_at", "median_survival", "MedianSurvival",
    "logrank", "stratified_logrank", "pairwise_logrank", "LogrankResult",
    "cox", "CoxResult", "firth_cox", "cumulative_incidence", "gray_test", "GrayResult", "fine_gray", "FineGrayResult", "univariate_table",
]
