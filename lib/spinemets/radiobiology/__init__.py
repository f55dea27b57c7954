"""Linear-quadratic radiobiology: BED, EQD2 (= nBED) and schedule parsing.

One module per concept, everything re-exported here (``from spinemets import radiobiology``,
then ``radiobiology.bed(...)``): ``lq`` (the LQ formulas: BED, EQD2/nBED, their inverses, the
EQD2 lower bound from a mean dose and mean fractions), ``schedules`` (reading schedule text,
the alpha/beta where two schedules swap order, the schedules with a BED in a window) and
``groups`` (does a BED cutoff regroup schedules at another alpha/beta; printed BED groups).

Notation: a schedule gives ``total_dose`` ``D`` (Gy) in ``fractions`` ``n`` of ``d = D/n`` Gy each;
``alpha_beta`` is the tissue's alpha/beta ratio (Gy). No time factor and no incomplete-repair term
(the papers use none).

* ``BED = D * (1 + d / (alpha/beta))``, written in Gy with the alpha/beta as a subscript
  (``Gy10`` for alpha/beta = 10).
* ``EQD2 = BED / (1 + 2 / (alpha/beta)) = D * (d + alpha/beta) / (2 + alpha/beta)``: the total dose
  in 2-Gy fractions with the same LQ effect. Paper B calls it the normalised BED (nBED) and writes
  its unit ``Gy2/10``; :func:`nbed` is the same function.

Every function accepts scalars, numpy arrays or pandas Series (broadcast against each other) and
returns the same kind of object: a float for scalars, an array for arrays, a Series (keeping its
index) if any input is a Series. Series are paired by label, not by position (a dose Series and a
fractions Series with the same patients in another order give each patient their own schedule).
Booleans, strings, None, NaN, infinite values and 2-D arrays are refused with a ValueError that
names the argument, and so is a result beyond the floating-point range.

References
----------
Barendsen GW. Dose fractionation, dose rate and iso-effect relationships for normal tissue
responses. Int J Radiat Oncol Biol Phys 1982;8:1981-1997.

Fowler JF. The linear-quadratic formula and progress in fractionated radiotherapy.
Br J Radiol 1989;62:679-694.

Withers HR, Thames HD, Peters LJ. A new isoeffect curve for change in dose per fraction.
Radiother Oncol 1983;1:187-191.

Bentzen SM, Dörr W, Gahbauer R, et al. Bioeffect modeling and equieffective dose concepts in
radiation oncology - terminology, quantities and units. Radiother Oncol 2012;105:266-268.
"""

from .groups import RegroupResult, bed_group, bed_split_regroups
from .lq import (
    bed,
    bed_to_eqd2,
    eqd2,
    eqd2_to_bed,
    isoeffective_dose_per_fraction,
    mean_eqd2_lower_bound,
    nbed,
    total_dose_for,
)
from .schedules import crossing_alpha_beta, find_schedules, parse_schedule

__all__ = [
    "bed",
    "eqd2",
    "nbed",
    "bed_to_eqd2",
    "eqd2_to_bed",
    "parse_schedule",
    "total_dose_for",
    "isoeffective_dose_per_fraction",
    "mean_eqd2_lower_bound",
    "crossing_alpha_beta",
    "bed_split_regroups",
    "RegroupResult",
    "find_schedules",
    "bed_group",
]
