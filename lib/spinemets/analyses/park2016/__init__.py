"""Paper D (Park et al. 2016), re-run on its synthetic cohort: one step function per analysis.

The chapter (``chapters/13_paper_d_park2016.md``) calls these steps one at a time;
:func:`analyse` runs them all and returns every *emergent* number (what came out of analysing
the synthetic cohort) keyed by its id in ``data/published/park2016.yaml``; :func:`by_construction`
returns the numbers the cohort was built to match (their agreement proves nothing).

The cohort has one row per lesion (28 lesions in 24 patients): ``lp_months`` and
``local_progression`` (SPINO local progression), ``os_months`` and ``death``. A lesion that did
not progress is followed until its patient's death or the end of follow-up, so the lesion's
competing-risk code (:func:`competing_codes`) is 1 local progression, 2 death without local
progression, 0 censored alive.

Assumptions stated where they are made: "SINS group" enters Table 2's Cox model as one HR, so
it is coded as an ordinal score 0, 1, 2 (0-6, 7-12, 13-18); the reference of every binary
factor is the first level of Table 1 (ECOG 0-1, nonconcurrent, no cord compression, no prior
RT, non-SBRT, BED < 51.4, no pain response). Cox models use Efron ties (R's default; the paper
used SPSS, whose default is Breslow) and, where said, the cluster-robust SE with the patient as
cluster.

References
----------
Park S, et al. Treatment outcome of radiation therapy and concurrent targeted molecular therapy
in spinal metastasis from renal cell carcinoma. Radiat Oncol J 2016;34:128-134.
Lin DY, Wei LJ. The robust inference for the Cox proportional hazards model. J Am Stat Assoc
1989;84:1074-1078.
Fine JP, Gray RJ. A proportional hazards model for the subdistribution of a competing risk.
J Am Stat Assoc 1999;94:496-509.
Heinze G, Schemper M. A solution to the problem of monotone likelihood in Cox regression.
Biometrics 2001;57:114-119.
Schemper M, Smith TL. A note on quantifying follow-up in studies of failure time. Control Clin
Trials 1996;17:343-346.

Layout (one concept a module; every name is importable from the package):
``steps`` (the analysis steps, :func:`analyse`), ``recomputation`` (:func:`recomputed`, one helper
per table or section), ``audit`` (:func:`by_construction`, ``NOT_REPRODUCIBLE``, :func:`comparison`)
and ``sensitivity`` (Table 2 beside the cohort, replicates, power, landmark, BED regrouping).
"""

from __future__ import annotations

from .audit import NOT_REPRODUCIBLE, by_construction, comparison
from .recomputation import recomputed
from .sensitivity import (
    bed_regrouping,
    cluster_correction,
    forest,
    hr_text,
    landmark,
    power_simulation,
    replicate_logrank,
    separated_replicates,
    table2,
)
from .steps import (
    MVA,
    REQUIRED,
    TABLE2,
    analyse,
    cif_curves,
    competing_codes,
    epv,
    event_times,
    fine_gray,
    firth,
    followup,
    gray,
    km_vs_cif,
    logrank_tests,
    multivariable,
    multivariable_table,
    prepare,
    rates_at,
    table1,
    univariate,
)

__all__ = [
    "TABLE2",
    "MVA",
    "REQUIRED",
    "prepare",
    "competing_codes",
    "rates_at",
    "km_vs_cif",
    "cif_curves",
    "gray",
    "logrank_tests",
    "univariate",
    "multivariable",
    "firth",
    "fine_gray",
    "epv",
    "followup",
    "event_times",
    "table1",
    "multivariable_table",
    "analyse",
    "by_construction",
    "recomputed",
    "comparison",
    "NOT_REPRODUCIBLE",
    "table2",
    "hr_text",
    "forest",
    "replicate_logrank",
    "separated_replicates",
    "power_simulation",
    "cluster_correction",
    "landmark",
    "bed_regrouping",
]
