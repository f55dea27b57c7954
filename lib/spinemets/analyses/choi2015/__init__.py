"""Paper A (Choi & Seong 2015): the paper's analysis of a cohort, step by step.

Every function takes the analysis frame of :func:`prepare` (the cohort plus the paper's
groupings) and returns ``(result, numbers)``: the analysis object for display and a dict from
registry id (``data/published/choi2015.yaml``) to value. :func:`analyse` runs every step and
merges the numbers; it is what ``python -m spinemets.cohorts replicates --paper choi2015`` runs
on each replicate cohort, and the chapter on paper A calls the same steps for its point
estimates, so each number has one source of truth.

The codings follow what the paper's printed numbers imply (see the chapter): BED as an ordinal
score 0/1/2 in the Cox model, extrahepatic metastases and fracture coded as *absence*, pain
response as non-CR, Breslow ties (SPSS); Table 3 ORs in the direction that agrees with Table 2
(the reciprocal of our OR for CR for BED and technique, our OR for fracture).

References
----------
Choi C, Seong J. Predictive factors of palliative radiotherapy response and survival in patients
with spinal metastases from hepatocellular carcinoma. Gut Liver 2015;9(1):94-102.
doi:10.5009/gnl14009
"""

from .audit import (  # the constants are read by tests and the chapters
    NOT_REPRODUCIBLE,
    SITES,
    T1_COUNTS,
    T2_COLUMNS,
    T2_FACTORS,
    T2_RESPONSE,
    T3_ROWS,
    T4_ROWS,
    comparison,
    simulated_waits,
    t2_table,
    table2_p_values,
)
from .contradictions import contradictions
from .replicates import cox_forest, judging_rules, univariate_verdicts
from .steps import (
    COX_KEYS,
    FACTORS,
    PAPER,
    TABLE3_TERMS,
    CutoffSearchResult,
    analyse,
    bed_cutoffs,
    cox_frame,
    overall_survival,
    prepare,
    risk_groups,
    table3,
    table4_cox,
    table4_univariate,
)

__all__ = [
    "SITES",
    "T1_COUNTS",
    "T2_COLUMNS",
    "T2_RESPONSE",
    "T3_ROWS",
    "T4_ROWS",
    "PAPER",
    "FACTORS",
    "COX_KEYS",
    "TABLE3_TERMS",
    "prepare",
    "overall_survival",
    "table4_univariate",
    "cox_frame",
    "table4_cox",
    "table3",
    "risk_groups",
    "bed_cutoffs",
    "CutoffSearchResult",
    "analyse",
    "NOT_REPRODUCIBLE",
    "T2_FACTORS",
    "t2_table",
    "table2_p_values",
    "simulated_waits",
    "comparison",
    "contradictions",
    "univariate_verdicts",
    "judging_rules",
    "cox_forest",
]
