"""A consistency screen for published numbers: which printed numbers cannot all be true.

statcheck recomputes APA-style test statistics, scrutiny and rsprite2 check means and SDs of
integer data; this screen checks those and what clinical papers print: percentages against
counts, subgroups against totals, ratio / CI / p triplets, medians with their CIs, means and SDs
on bounded scales, the medians of a partition against the overall median, p-values against
their test statistics, and survival reporting (attainable Kaplan-Meier percentages, composite
endpoints against overall survival, matched-pair log-rank tests, SPSS median CIs).

The package, by concept:

- :mod:`.printed`: printed numbers and their rounding intervals (the one home of "what a
  printed digit allows");
- :mod:`.ratio`: a ratio with its CI and p, by method (:func:`p_from_ci`);
- :mod:`.rules`, :mod:`.peers`, :mod:`.survival`: the rules;
- :mod:`.check`: reading relations, checking them as input, running the screen;
- :mod:`.cli`: ``python -m spinemets.screen`` (exit 0 no finding, 1 findings, 2 input error).

The relations between numbers are stated in a paper's registry (``data/published/<paper>.yaml``)
under ``relations:``, or beside it in ``data/published/<paper>.relations.yaml``, each citing its
source like the numbers do::

    relations:
      - rule: percentage
        count: table1_male_n          # an id of the registry, or a literal number
        denominator: 192
        percent: table1_male_pct
        source: {where: table, table: "Table 1", row: "Sex"}

The fields are literals only (ids, numbers, ``true``/``false``, words from a fixed list): a
misspelt or missing field, a flag written as a string or an id the registry lacks is an input
error naming file, line, relation and field. ``python -m spinemets.screen rules`` lists the rules
with the conventions each assumes; each rule's docstring gives its fields.

The classic rules (``rule:`` and the fields each takes):

``percentage`` (count, denominator, percent)
    ``100 * count / denominator`` must round to the printed percentage. A percentage that only
    truncation explains is flagged; so is a fraction printed with two different roundings, and
    the screen names denominators that would explain a mismatch (a missing patient).
``partition`` (parts, total; kind counts or percent)
    Counts of the levels of a factor must add up to the total; percentages to 100 within the
    rounding of every part.
``ratio_ci`` (estimate, lower, upper; optional p, coef, level, method)
    A hazard or odds ratio with its CI. ``method`` (wald, logrank, lr, profile, exact) says how
    the interval and the p were computed, and the rule checks only what that method implies
    (see :mod:`.ratio`); with no method, Wald is assumed and the finding says so. A Wald
    estimate is the geometric mean of its limits, and the p-value it implies (Altman & Bland
    2011) is taken over every rounding; ``exp(coef)`` is the ratio. A CI whose limits print the
    same is *not checkable*.
``median_ci`` (median, lower, upper; optional exact_median, level)
    The median lies in its CI; a CI symmetric about the median is what SPSS prints (median +-
    1.96 SE, which can fall below 0), and the SE it implies is reported. Symmetry *suggests*
    SPSS but does not identify it: Brookmeyer-Crowley intervals in months come out symmetric
    within rounding about a fifth of the time. With ``exact_median: true`` a median printed
    without decimals is an exact value (a Kaplan-Meier median is an observed time, so in whole
    days it is an integer), and a CI whose limits are not equally far from it, beyond their own
    rounding (distances within 1% of each other), is flagged as a probable misprint.
``mean_sd`` (mean, sd, n; optional low, high, granularity)
    GRIM: a mean of integer data (or data on a grid of ``granularity``) must be a possible
    sum / n; and the SD must be attainable on the bounded scale [low, high] with that mean.
    With n >= 10^decimals every mean is possible and GRIM cannot bite: the finding says so.
``partition_medians`` (medians, overall)
    With little censoring the overall median lies between the smallest and the largest group
    median; a violation is *implausible*, not *inconsistent*.
``p_statistic`` (statistic, p, test; df or df1 and df2; optional tails, alpha, p_zero,
p_equal_alpha)
    The p-value recomputed from a printed chi2, Q, t, F, z or r, as statcheck does, with
    one-tailed and decision-error notes.

The peers' rules (:mod:`.peers`) and the survival rules (:mod:`.survival`) are documented there.

A relation the printed numbers cannot support is entered with ``applies: false`` and a
``reason:``; it is reported as *not applicable* with that reason. A relation whose numbers are
valid but carry too little information is *not checkable*, with the reason.

Every rule allows for the rounding of every printed digit: each number is the interval of values
that round to it (``0.415`` is [0.4145, 0.4155]), counts are exact integers, and a rule fails only
if no values in those intervals satisfy it (interval arithmetic). A rule that cannot apply says
why; it never passes silently.

References
----------
Altman DG, Bland JM. How to obtain the P value from a confidence interval. BMJ 2011;343:d2304.
Brown NJL, Heathers JAJ. The GRIM test. Soc Psychol Personal Sci 2017;8:363-369.
Heathers JA, Anaya J, van der Zee T, Brown NJL. Recovering data from summary statistics: Sample
Parameter Reconstruction via Iterative TEchniques (SPRITE). PeerJ Preprints 2018;6:e26968v1.
Nuijten MB, et al. The prevalence of statistical reporting errors in psychology (1985-2013).
Behav Res Methods 2016;48:1205-1226 (statcheck).
"""

from __future__ import annotations

from . import printed, ratio  # noqa: F401  (the submodules, by concept)
from .check import (
    FINDINGS,
    VERDICTS,
    RelationCheck,
    ScreenInputError,
    ScreenResult,
    check_input,
    check_relation,
    conventions,
    load_file,
    problems,
    read_yaml,
    rules,
    screen,
)
from .cli import main
from .printed import Printed, parse_printed
from .ratio import METHODS, PFromCI, p_from_ci
from .stored import extraction_recall, honest_rates

RULES = rules()

__all__ = [
    "screen",
    "check_relation",
    "check_input",
    "problems",
    "p_from_ci",
    "PFromCI",
    "ScreenResult",
    "RelationCheck",
    "ScreenInputError",
    "Printed",
    "parse_printed",
    "RULES",
    "VERDICTS",
    "FINDINGS",
    "METHODS",
    "conventions",
    "load_file",
    "read_yaml",
    "main",
    "honest_rates",
    "extraction_recall",
]
