"""Paper C (Lee et al. 2015) re-run on the synthetic lee2015 cohort, one step per function.

The chapter (chapters/12_paper_c_lee2015.md) calls the same step functions, and
:func:`analyse` strings them together so that replicate cohorts
(``spinemets.cohorts.replicates("lee2015", seeds)``) can be analysed in one call:
``analyse(cohort)`` returns ``{registry id: value}`` for every *emergent* number (one that was
not a target of the cohort build). :func:`by_construction` returns the numbers the build forced.

Steps
-----
* :func:`rescore` - the three scores recomputed from their items by :mod:`spinemets.scores`.
* :func:`table1` - median survival and log-rank p per Table 1 factor (operations, as printed).
* :func:`table2` - median survival, SPSS-style 95% CI and log-rank p per score banding, and the
  pairwise group II vs IV log-rank p of the footnotes.
* :func:`ci_check` - *recomputed* from the printed numbers only: the SE behind each printed CI
  and whether the CI is symmetric about its median (the SPSS signature).
* :func:`median_mixture_bounds` - *recomputed*: what the group medians and sizes of each
  factor imply for the overall median.
* :func:`band_check` - each printed banding against the score's source bands and the totals an
  HCC primary can reach.
* :func:`discrimination` - Harrell's C of every score, operations clustered within patients.
* :func:`first_operations` - one row per patient (the patient as the unit of analysis).
* :func:`ambulation_scenarios`, :func:`signed_rank_min_changes` - what the paper's Wilcoxon
  signed-rank test of pre vs post status could show at all.

The audit (the contract of :mod:`spinemets.audit`)
--------------------------------------------------
* :func:`recomputed` - every number recomputed from *other* printed numbers (sums, shares,
  the symmetric SPSS interval of each Table 2 median), each with its sources.
* :func:`comparison` - every registered number of paper C once: recomputed, by construction,
  emergent (judged on the replicate cohorts) or not reproducible (:data:`NOT_REPRODUCIBLE`).

References
----------
Lee MH, Lee SH, Kim ES, Eoh W, Chung SS, Lee CS. J Korean Neurosurg Soc 2015;58(5):448-453.
doi:10.3340/jkns.2015.58.5.448
Kim J, Lee SH, Park SJ, Chung SS, Kim ES, Eoh W, Lee CS. Analysis of the predictive role and new
proposal for surgical strategies based on the modified Tomita and Tokuhashi scoring systems for
spinal metastasis. World J Surg Oncol 2014;12:245. doi:10.1186/1477-7819-12-245 (paper C's ref. 20)

Layout (one concept a module; every name is importable from the package):
``steps`` (rescoring, Tables 1 and 2, discrimination, :func:`analyse`, :func:`by_construction`),
``checks`` (checks of the printed numbers) and ``audit`` (:func:`recomputed`, ``NOT_REPRODUCIBLE``,
:func:`comparison`).
"""

from __future__ import annotations

from .audit import NOT_REPRODUCIBLE, STEPS, comparison, recomputed
from .checks import (
    SPSS_WILCOXON,
    ambulation_scenarios,
    band_check,
    banding_power,
    beside_paper,
    c_index_difference,
    ci_check,
    median_mixture_bounds,
    signed_rank_min_changes,
    whole_day_gaps,
)
from .steps import (
    BANDS_AS_PRINTED,
    PAPER,
    TABLE1,
    TABLE2,
    analyse,
    by_construction,
    discrimination,
    first_operations,
    prepare,
    rescore,
    table1,
    table2,
)
from .steps import DURATION as DURATION
from .steps import EVENT as EVENT

__all__ = [
    "PAPER",
    "NOT_REPRODUCIBLE",
    "STEPS",
    "prepare",
    "recomputed",
    "comparison",
    "beside_paper",
    "whole_day_gaps",
    "banding_power",
    "c_index_difference",
    "SPSS_WILCOXON",
    "TABLE1",
    "TABLE2",
    "BANDS_AS_PRINTED",
    "rescore",
    "table1",
    "table2",
    "ci_check",
    "band_check",
    "median_mixture_bounds",
    "discrimination",
    "first_operations",
    "ambulation_scenarios",
    "signed_rank_min_changes",
    "analyse",
    "by_construction",
]
