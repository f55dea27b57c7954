"""Paper B (Sohn et al. 2016): the matched-pair analysis, step by step, on a cohort.

Each step is a public function that the chapter calls too; :func:`analyse` runs them all on one
cohort (the shipped synthetic one, or a replicate) and returns ``{registry id: value}`` for every
*emergent* number, i.e. every number that comes out of re-running the paper's analysis.

Design, following the paper's Methods:

1. **Selection** (:func:`select`): the 28 SRS patients are matched 1:1 to the 92-patient RT pool
   on the paper's criteria that the cohort has: exactly on sex and Child-Pugh class, by
   Mahalanobis distance on age, interval from the primary tumour and number of spine metastases,
   with an age caliper. Year of treatment, the paper's sixth criterion, is not in the cohort.
2. **Pairs for the outcome analyses** (:func:`pair_rt_group`): the cohort's ``RT_like`` rows are
   the paper's 28 RT patients (their margins are built to match Tables 1-2), so the outcome
   analyses pair each SRS patient with one of them, by the same distance (exact on sex only:
   Child-Pugh is 26/2 vs 25/3, so one pair at least must be discordant, as the paper's
   McNemar p = 1.00 allows).
3. **Paired tests** as the paper's Statistical analysis says: paired t for continuous variables,
   Wilcoxon signed-rank for the number of metastases, McNemar (exact binomial, as SPSS) for the
   other categorical variables, Bowker for pain relief, the log-rank test stratified by pair.

The audit (:func:`comparison`, the contract of :mod:`spinemets.audit`): every registered number
once, labelled *recomputed* (from other printed numbers: :func:`recomputed`), *by construction*
(:func:`by_construction`), *emergent* (:func:`analyse`, judged on the replicate cohorts) or not
reproducible (:data:`NOT_REPRODUCIBLE`). A number printed twice (``same_as`` in
``data/published/sohn2016.yaml``) is judged as the printing it repeats.

References
----------
Sohn S, Chung CK, Sohn MJ, et al. J Korean Neurosurg Soc 2016;59(1):37-43.
doi:10.3340/jkns.2016.59.1.37
Newcombe RG. Improved confidence intervals for the difference between binomial proportions based
on paired data. Stat Med 1998;17:2635-2650 (method 10: :func:`newcombe_paired`).
Cutler SJ, Ederer F. Maximum utilization of the life table method in analyzing survival.
J Chronic Dis 1958;8:699-712. doi:10.1016/0021-9681(58)90126-7 (the life table:
:func:`spinemets.survival.life_table`)

Layout (one concept a module; every name is importable from the package):
``steps`` (prepare, pairing and the paper's tables, :func:`analyse`), ``checks`` (recomputation
tools), ``recomputation`` (:func:`recomputed`, one helper per section, ``NOT_REPRODUCIBLE``) and
``audit`` (:func:`by_construction`, :func:`emergent`, :func:`comparison`).
"""

from __future__ import annotations

# moved: the life table lives in spinemets.survival.lifetable; the table enumerator in
# spinemets.compare.margins. The names stay importable from here for one release.
from spinemets.compare import tables_with_margins  # noqa: F401
from spinemets.survival import life_table  # noqa: F401

from .audit import EMERGENT as EMERGENT
from .audit import by_construction, comparison, emergent
from .checks import PAIN_COUNTS as PAIN_COUNTS
from .checks import (
    implied_correlation,
    mcnemar_fits,
    newcombe_paired,
    paired_difference_range,
    paired_t_p_from_change,
    toxicity_fits,
)
from .recomputation import NOT_REPRODUCIBLE, recomputed
from .steps import (
    AGE_CALIPER,
    COVARIATES,
    EXACT,
    PAIN_LEVELS,
    analyse,
    first_failures,
    local_control,
    pain_table,
    pair_rt_group,
    paired_frame,
    paired_p_range,
    prepare,
    select,
    survival_tests,
    symmetry_tests,
    table1,
    toxicity_table,
)
from .steps import LC_TIMES as LC_TIMES
from .steps import TABLE1_T as TABLE1_T

__all__ = [
    "EXACT",
    "COVARIATES",
    "AGE_CALIPER",
    "PAIN_LEVELS",
    "prepare",
    "select",
    "pair_rt_group",
    "paired_frame",
    "table1",
    "pain_table",
    "tables_with_margins",
    "paired_p_range",
    "symmetry_tests",
    "toxicity_table",
    "life_table",
    "local_control",
    "survival_tests",
    "first_failures",
    "implied_correlation",
    "paired_t_p_from_change",
    "mcnemar_fits",
    "toxicity_fits",
    "newcombe_paired",
    "paired_difference_range",
    "analyse",
    "recomputed",
    "by_construction",
    "emergent",
    "comparison",
    "NOT_REPRODUCIBLE",
]
