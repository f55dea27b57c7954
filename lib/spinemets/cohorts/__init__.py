"""Calibrated synthetic cohorts rebuilt from published tables.

The papers publish tables, not patients. This module rebuilds, for each paper, a patient-level
cohort that reproduces the published numbers it was built from exactly (margins, cross-tabs,
medians, ranges, dichotomies) or within a stated tolerance (survival curve, hazard ratios), so
that the book can re-run every analysis. Numbers a cohort was built to match are labelled
``by construction``; numbers that come out of the analysis are ``emergent``.

One engine, one declarative spec per paper (``data/cohort_specs/<paper>.yaml``). The build:

1. **Joint table** (``joint``): the variables that share published cross-tabs (paper A: the
   Table 2 factors x pain response CR/PR/SP/PP) form one grid. Every published cell (a factor
   level x a group of outcome levels) is a linear constraint. Iterative proportional fitting
   (Deming & Stephan 1940) from a seed (uniform, times published associations) gives a real
   table; :func:`scipy.optimize.milp` (HiGHS) turns it into integers hitting every cell exactly
   while minimising sum |x - x_IPF|. Cells are expanded to rows and shuffled.
2. **Categorical margins** (``categorical``): exact counts assigned to shuffled rows; ``within``
   refines a joint variable (e.g. 3D-CRT/IMRT split of "3D-CRT or IMRT").
3. **Continuous variables** (``continuous``): a sorted sample pinned at the published min, max,
   median and dichotomy counts (see :func:`spinemets.cohorts.pinned_sample`), shuffled.
4. **Dose** (``dose``): real fractionation schedules with counts per BED group; BED10 from the
   schedule.
5. **Survival** (``survival``): Cox model with the published coefficients, piecewise-exponential
   baseline with knots at the published median, 12 and 24 months, times by the inversion method
   (Bender, Augustin & Blettner 2005) from stratified uniforms; independent censoring
   (administrative end after uniform accrual, exponential loss to follow-up; paper A) or
   administrative censoring; the baseline is recalibrated until the cohort's Kaplan-Meier
   curve hits the targets, and the coefficients are moved toward the published log HRs a few
   times (the coefficients fitted on one draw differ from the generating ones through sampling,
   ties and censoring, and, where a frailty is left out of the fitted model, non-collapsibility).
6. **Report**: a data dictionary and a calibration report (target, achieved, tolerance, label),
   the published contradictions and which number won (``conflicts``), and emergent checks.

Everything is driven by ``seed`` in the spec, so two builds give byte-identical files.

How to add a paper
------------------
Write ``data/cohort_specs/<key>.yaml`` with the sections of ``choi2015.yaml``; every section is
optional except ``paper``, ``n``, ``seed``, ``id`` and ``schema``:

- ``joint.variables`` {name: [levels]}, ``joint.groupings`` {name: {var, groups}},
  ``joint.tables`` [{source, rows, cols (a grouping name, optional), counts}],
  ``joint.seed_association`` [{vars: {var: level}, factor}];
- ``categorical`` [{name, counts, source, type, within, nest}];
- ``continuous`` [{name, min, max, median, cuts: [{le, count}], decimals, scale, priority, source}];
- ``dose`` {group_column, alpha_beta, schedules: {group: [{dose, fx, n}]}, associate_with};
- ``categorical`` entries may give counts per group instead: ``by: column`` and
  ``counts: {level: {group: count}}`` (paper B's Table 1 by arm);
- ``dose`` may group by several columns (``group_column: [a, b]``, keys ``"x & y"``) and name its
  ``bed_column`` / ``eqd2_column``; ``checks`` report subgroup mean/SD/median/range;
- ``cluster`` {column, format, within, sizes, categorical, continuous}: rows nested in patients
  (paper D's lesions, paper C's operations), patient-level variables broadcast to their rows;
- ``survival`` {covariates, targets, censoring, ...}: targets ``median`` and/or ``s<t>`` at any
  time; ``strata`` (one baseline per group), ``cluster`` / ``frailty_variance``, administrative
  censoring, and ``competing`` (e.g. death, which ends the observation of local progression);
  see :func:`simulate_survival`;
- ``note`` (free text printed at the top of the report, e.g. for a teaching scenario);
- ``label`` on a categorical or continuous entry overrides its report label (default
  ``by construction``; e.g. ``assumption (no published value)`` for a teaching scenario);
- ``schema`` {n_rows, columns: {name: {type, min, max, levels, unique, missing}}};
- ``conflicts`` and ``checks`` (free text and emergent numbers to report).

Rows nested in patients use the ``cluster`` section (park2016); anything more special
(sohn2016) needs a post-step: write a
function ``f(df, spec, rng) -> df`` in ``spinemets/cohorts/papers/<paper>.py`` and name it in the
spec as ``poststep: "spinemets.cohorts.papers.sohn2016:arm_continuous"``; it runs after the survival
draw and before the id column and the schema check. Alternatively generate the pool with this
engine and match in the chapter. Then run ``python -m spinemets.cohorts build --paper <key>`` and commit the
``.csv`` and ``.md``.

Replicates: write ``spinemets/analyses/<key>.py`` with ``analyse(cohort) -> {registry id: value}``
and add it to :data:`spinemets.analyses.ANALYSES`; ``python -m spinemets.cohorts replicates
--paper <key> [--n 200]`` then writes ``data/replicates/<key>.csv`` (see
:mod:`spinemets.cohorts.replication` for what a replicate is and how its seed is derived), and
:func:`spinemets.published.from_replicates` turns it into emergent verdicts.

Layout (one module per step; every public name is importable as ``spinemets.cohorts.X``)
------------------------------------------------------------------------------------------
``spec`` (read a spec), ``joint`` (IPF + MILP), ``margins`` (categorical, continuous, clusters),
``dose``, ``survival`` (inversion method, censoring, calibration), ``calibration`` (the
calibration table: targets and what the build achieved), ``report`` (the markdown report),
``engine`` (the steps in order, schema, files), ``replication`` (the calibrated
generative model redrawn with new seeds, and the paper's analysis on each replicate),
``named`` (replicates and calibration rows under the registry's names of the quantities),
``papers/`` (paper-specific post-steps), ``cli`` (``python -m spinemets.cohorts``).

References
----------
Deming WE, Stephan FF. Ann Math Stat 1940;11:427-444.
Bender R, Augustin T, Blettner M. Generating survival times to simulate Cox proportional hazards
models. Stat Med 2005;24:1713-1723.
"""

from __future__ import annotations

from ..paths import COHORTS_DIR  # noqa: F401  (was a module global of the old cohorts.py)
from .calibration import calibration_table
from .cli import main

# private names kept for the library's own tests
from .engine import (
    _build_frames,  # noqa: F401
    build,
    load,
    search_seeds,
    seed_loss,
    to_csv_text,
    validate,
    write,
)
from .joint import Constraint, grid, integerise, ipf, joint_table
from .margins import pinned_sample
from .named import named_replicates, quantity_names
from .replication import (
    REPLICATES_DIR,
    generative_model,
    load_replicates,
    replicate,
    replicate_calibration,
    replicate_rng,
    replicates,
    run_replicates,
    write_replicates,
)
from .spec import SPECS_DIR, available, load_spec
from .survival import (  # noqa: F401
    _covariate,
    _pe_cumhaz,
    _pe_inverse,
    covariate,
    km,
    km_at,
    piecewise_cumhaz,
    piecewise_inverse,
    simulate_survival,
)

__all__ = [
    "SPECS_DIR",
    "available",
    "load_spec",
    "build",
    "write",
    "load",
    "validate",
    "main",
    "km",
    "km_at",
    "simulate_survival",
    "replicates",
    "joint_table",
    "calibration_table",
    "search_seeds",
    "seed_loss",
    "to_csv_text",
    "Constraint",
    "grid",
    "ipf",
    "integerise",
    "pinned_sample",
    "piecewise_cumhaz",
    "piecewise_inverse",
    "covariate",
    "REPLICATES_DIR",
    "generative_model",
    "replicate",
    "replicate_rng",
    "run_replicates",
    "write_replicates",
    "load_replicates",
    "replicate_calibration",
    "quantity_names",
    "named_replicates",
]
