"""Pain response after palliative radiotherapy.

Three things a resident meets when reading papers A and B:

- :func:`ibmcwp_response`: the International Bone Metastases Consensus Working Party (IBMCWP)
  endpoints, 2002 and 2012 wording (complete response, partial response, pain progression, and
  everything else: paper A's "SP", the 2012 update's "indeterminate");
- :func:`omed` / :func:`total_omed`: oral morphine equivalent daily dose (OMED), with the
  conversion table named, because tables differ and the choice can change a category;
- :func:`vas_relief`: paper B's own VAS categories, which are *not* IBMCWP.

Pain is the worst pain at the treated site on the 0-10 numeric rating scale (NRS); analgesic
intake is OMED in mg/day. Inputs may be scalars, arrays or pandas Series; all the inputs of one
call are paired by label when they are Series (pain with OMED, VAS with medication), and a
Series result keeps the index. Booleans, missing values, empty and 2-D inputs are refused with a
ValueError that names the argument.

How the analgesic change is classified (used by every rule below). The consensus papers
define increases and decreases of 25%; that a change of *less* than 25% is "stable", and the
handling of a zero baseline, are this library's **readings** of the IBMCWP wording, not rules
the consensus states in these words. So is the 2012 eligibility rule as the book states it
(assess only patients with a baseline worst pain of at least 2); see :func:`ibmcwp_response`
for whether it is applied::

    baseline OMED > 0:  increase   if followup >= 1.25 x baseline
                        decrease   if followup <= 0.75 x baseline
                        stable     otherwise (|change| < 25% of baseline)
    baseline OMED = 0:  increase   if followup > 0 (any new opioid is an increase)
                        stable     if followup = 0 (a 25% reduction from 0 is impossible)

References
----------
Chow E, Wu JS, Hoskin P, Coia LR, Bentzen SM, Blitzer PH. International consensus on palliative
radiotherapy endpoints for future clinical trials in bone metastases. Radiother Oncol
2002;64:275-280.

Chow E, Hoskin P, Mitera G, Zeng L, Lutz S, Roos D, et al. Update of the international consensus
on palliative radiotherapy endpoints for future clinical trials in bone metastases. Int J Radiat
Oncol Biol Phys 2012;82(5):1730-1737. doi:10.1016/j.ijrobp.2011.02.008

Sohn S, Chung CK, Sohn MJ, et al. J Korean Neurosurg Soc 2016;59(1):37-43.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ._validation import (
    Shape,
    _ndim,
    align_series,
    as_float_array,
    check_choice,
    check_number,
)

__all__ = [
    "ibmcwp_response",
    "analgesic_change",
    "omed",
    "total_omed",
    "vas_relief",
    "OMED_TABLES",
    "IBMCWP_CATEGORIES",
    "VAS_CATEGORIES",
]

IBMCWP_CATEGORIES = {"2002": ("CR", "PR", "PP", "SP"), "2012": ("CR", "PR", "PP", "indeterminate")}
VAS_CATEGORIES = ("complete", "partial", "stable", "progression")
_EPS = 1e-9


_PAIN = (0, 10, True)  # (low, high, whole numbers): NRS 0-10
_VAS = (0, 10, False)  # VAS 0-10, continuous
_DOSE = (0, None, False)  # mg/day, >= 0


def _broadcast(named: dict[str, Any], ranges: Mapping[str, tuple], *, extra: dict | None = None):
    """Check and broadcast every input of one call together.

    ``named`` are the numeric inputs with their ``ranges`` (low, high, integer); ``extra`` are
    non-numeric inputs (paper B's medication) that take part in the label alignment. All of
    them are aligned by label at once (Series are paired by label, never by position, across
    every argument), each is checked on its own with an error naming it, and a Series result
    keeps the (first) Series' index.
    """
    everything = {**named, **(extra or {})}
    for name, value in everything.items():
        if isinstance(value, pd.DataFrame) or _ndim(value) > 1:
            raise ValueError(
                f"{name} must be a scalar or one-dimensional, got shape {np.shape(value)}"
            )
    everything, _ = align_series(everything)
    shape = Shape.of(*everything.values())
    arrays = {}
    for name in named:
        arr = as_float_array(everything[name], name)
        low, high, integer = ranges[name]
        if low is not None and (arr < low).any():
            raise ValueError(f"{name} must be >= {low:g}; found {arr[arr < low][0]:g}")
        if high is not None and (arr > high).any():
            raise ValueError(
                f"{name} must be <= {high:g} (0-10 scale); found {arr[arr > high][0]:g}"
            )
        if integer and not np.all(arr == np.round(arr)):
            raise ValueError(
                f"{name} must be whole numbers on the 0-10 numeric rating scale; found {arr[arr != np.round(arr)][0]:g}"
            )
        arrays[name] = arr if _ndim(everything[name]) != 0 else arr.reshape(())
    for name in extra or {}:
        value = everything[name]
        arrays[name] = np.asarray(
            value.to_numpy() if isinstance(value, pd.Series) else value, dtype=object
        )
    sizes = {k: np.size(v) for k, v in arrays.items() if np.ndim(v) > 0}
    if len(set(sizes.values())) > 1:
        desc = ", ".join(f"{k} has {n}" for k, n in sizes.items())
        raise ValueError(f"arguments must have the same length: {desc}")
    if 0 in sizes.values():
        raise ValueError(f"{', '.join(k for k, n in sizes.items() if n == 0)} must not be empty")
    if shape.kind == "series" and sizes and next(iter(sizes.values())) != len(shape.index):
        raise ValueError(
            "arguments must have the same length as the pandas Series input "
            f"({len(shape.index)}); got {sizes}"
        )
    out = np.broadcast_arrays(*arrays.values())
    return shape, [np.atleast_1d(a).ravel() for a in out]


def _wrap(shape: Shape, labels: np.ndarray):
    """Categories as str (scalar input), an array of str, or an object Series with the index."""
    labels = np.asarray(labels, dtype=object)
    return shape.wrap(labels if shape.kind == "series" else labels.astype(str))


def _change(b: np.ndarray, f: np.ndarray) -> np.ndarray:
    """-1 decrease, 0 stable, +1 increase (the 25% rule; see the module docstring)."""
    out = np.zeros(b.shape, dtype=int)
    pos = b > 0
    out[pos & (f >= 1.25 * b - _EPS * b)] = 1
    out[pos & (f <= 0.75 * b + _EPS * b)] = -1
    out[~pos & (f > 0)] = 1
    return out


def analgesic_change(baseline_omed, followup_omed):
    """Classify the change in daily OMED as "increase", "stable" or "decrease" (25% rule).

    Parameters
    ----------
    baseline_omed, followup_omed : float or array-like or Series
        Daily oral morphine equivalent dose (mg/day), >= 0.

    Returns
    -------
    str, numpy array of str, or Series (same form as the input)

    Raises
    ------
    ValueError
        For a negative, missing or boolean dose, empty input, inputs of different lengths, or
        Series with different labels.

    References
    ----------
    Chow E, et al. Radiother Oncol 2002;64:275-280 (the 25% rule).
    """
    shape, (b, f) = _broadcast(
        {"baseline_omed": baseline_omed, "followup_omed": followup_omed},
        {"baseline_omed": _DOSE, "followup_omed": _DOSE},
    )
    labels = np.array(["decrease", "stable", "increase"], dtype=object)[_change(b, f) + 1]
    return _wrap(shape, labels)


def ibmcwp_response(
    baseline_pain, followup_pain, baseline_omed, followup_omed, version: str = "2002"
):
    """Classify pain response by the IBMCWP consensus endpoints.

    Rules, applied in this order (the first that holds wins)::

        CR  follow-up pain = 0, and no analgesic increase
        PR  pain down by >= 2 without analgesic increase,
            or analgesics down by >= 25% without any pain increase
        PP  pain up by >= 2 with stable analgesics,
            or analgesics up by >= 25% with pain unchanged or 1 point above baseline
        --  everything else: "SP" (stable pain, paper A's name, version "2002")
            or "indeterminate" (version "2012")

    "Analgesic increase / decrease / stable" follow the 25% rule of the module docstring.
    Boundaries: a pain change of exactly 2 points counts ("2 or more"); an OMED change of
    exactly 25% counts; follow-up pain 0 with an analgesic increase is not CR (and, since pain
    fell, not PP either: it is SP / indeterminate); a pain increase of 2 or more *with* an
    analgesic increase fits neither PP clause and is SP / indeterminate, as the definitions read.

    Parameters
    ----------
    baseline_pain, followup_pain : int or array-like or Series
        Worst pain at the treated site, whole numbers 0-10 (NRS).
    baseline_omed, followup_omed : float or array-like or Series
        Daily oral morphine equivalent dose, mg/day (>= 0). See :func:`omed`.
    version : {"2002", "2012"}
        Only the name of the residual category differs ("SP" vs "indeterminate"); the CR, PR
        and PP rules are worded the same in both consensus papers.

    Returns
    -------
    str, numpy array of str, or pandas Series
        Same form as the inputs; a Series keeps its index.

    Raises
    ------
    ValueError
        Pain outside 0-10 or not a whole number, a negative dose, a missing value, a boolean,
        empty or 2-D input, inputs of different lengths, Series with different labels, or an
        unknown version (``2002`` and ``2012`` may also be given as integers).

    References
    ----------
    Chow E, et al. Radiother Oncol 2002;64:275-280.
    Chow E, et al. Int J Radiat Oncol Biol Phys 2012;82(5):1730-1737.

    Examples
    --------
    >>> ibmcwp_response(6, 0, 30, 30)
    'CR'
    >>> ibmcwp_response(6, 4, 30, 30)
    'PR'
    >>> ibmcwp_response(6, 6, 30, 30, version="2012")
    'indeterminate'
    """
    if isinstance(version, (int, np.integer)) and not isinstance(version, (bool, np.bool_)):
        version = str(version)  # 2002 means "2002"
    version = check_choice(version, "version", IBMCWP_CATEGORIES)
    # all four aligned together: a pain Series and an OMED Series are paired by label too
    shape, (bp, fp, bo, fo) = _broadcast(
        {
            "baseline_pain": baseline_pain,
            "followup_pain": followup_pain,
            "baseline_omed": baseline_omed,
            "followup_omed": followup_omed,
        },
        {
            "baseline_pain": _PAIN,
            "followup_pain": _PAIN,
            "baseline_omed": _DOSE,
            "followup_omed": _DOSE,
        },
    )
    ch = _change(bo, fo)
    d = fp - bp  # > 0: pain increased
    cr = (fp == 0) & (ch < 1)
    pr = ((d <= -2) & (ch < 1)) | ((ch == -1) & (d <= 0))
    pp = ((d >= 2) & (ch == 0)) | ((ch == 1) & (d >= 0) & (d <= 1))
    cat = IBMCWP_CATEGORIES[version]
    return _wrap(shape, np.select([cr, pr, pp], [cat[0], cat[1], cat[2]], default=cat[3]))


# --------------------------------------------------------------------------------------------
# Oral morphine equivalents
# --------------------------------------------------------------------------------------------

#: Conversion factors (mg/day OMED per mg/day of oral drug; transdermal fentanyl per µg/h).
#:
#: Each table holds exactly the factors its source prints, checked against the table named
#: in ``source`` (``checked`` says how). A drug missing from a table raises a ValueError in
#: :func:`omed` instead of borrowing another table's factor. Where a source gives no single
#: factor (NOUGG's fentanyl bands, its "not reliably established" methadone and tramadol;
#: CDC 2016's methadone above 80 mg/day) the drug is left out or the band ends, on purpose.
OMED_TABLES: dict[str, dict[str, Any]] = {
    "cdc2022": {
        "name": "CDC 2022 (Dowell et al., MMWR Recomm Rep 2022;71(RR-3):1-95)",
        "source": (
            "TABLE 'Morphine milligram equivalent doses for commonly prescribed opioids "
            "for pain management' (unnumbered; adapted there from Von Korff 2008 and "
            "Nielsen 2016)"
        ),
        "checked": (
            "against the table as reproduced verbatim, with its footnotes, by "
            "Medscape and GlobalRPh; the MMWR page number was not checked"
        ),
        "oral": {
            "codeine": 0.15,
            "hydrocodone": 1.0,
            "hydromorphone": 5.0,
            "methadone": 4.7,
            "morphine": 1.0,
            "oxycodone": 1.5,
            "oxymorphone": 3.0,
            "tapentadol": 0.4,
            "tramadol": 0.2,
        },
        "transdermal": {"fentanyl": 2.4},
    },
    "cdc2016": {
        "name": (
            "CDC 2016 (Dowell, Haegerich & Chou, MMWR Recomm Rep 2016;65(1):1-49), "
            "clinician conversion table"
        ),
        "source": (
            "CDC's companion sheet to the 2016 guideline, 'Calculating total daily dose "
            "of opioids for safer dosage' (table of MME conversion factors)"
        ),
        "checked": (
            "the factors as the sheet lists them (codeine 0.15, fentanyl transdermal "
            "2.4 per mcg/hr, hydrocodone 1, hydromorphone 4, methadone by daily-dose "
            "band 1-20: 4, 21-40: 8, 41-60: 10, 61-80: 12, morphine 1, oxycodone 1.5, "
            "oxymorphone 3); tramadol is not in it"
        ),
        "oral": {
            "codeine": 0.15,
            "hydrocodone": 1.0,
            "hydromorphone": 4.0,
            "morphine": 1.0,
            "oxycodone": 1.5,
            "oxymorphone": 3.0,
            # methadone: dose-banded (upper bound of the band in mg/day, factor);
            # the sheet gives no factor above 80 mg/day, so omed raises there
            "methadone": ((20, 4.0), (40, 8.0), (60, 10.0), (80, 12.0)),
        },
        "transdermal": {"fentanyl": 2.4},
    },
    "vonkorff2008": {
        "name": "Von Korff et al., Clin J Pain 2008;24:521-527",
        "source": (
            "the table 'Classification of opioid medications and morphine equivalent "
            "conversion factors per milligram of opioid'"
        ),
        "checked": (
            "against its reprint as Table 1 of an author manuscript in Pain "
            "2008;138(2):440-449 (PMC2668925), captioned 'From Von Korff M, et al.'; the "
            "original's table number and page were not checked"
        ),
        "oral": {
            "codeine": 0.15,
            "dihydrocodeine": 0.25,
            "hydrocodone": 1.0,
            "hydromorphone": 4.0,
            "levorphanol": 11.0,
            "meperidine": 0.1,
            "methadone": 3.0,
            "morphine": 1.0,
            "oxycodone": 1.5,
            "oxymorphone": 3.0,
            "pentazocine": 0.37,
            "propoxyphene": 0.23,
            "tramadol": 0.1,
        },
        "transdermal": {"fentanyl": 2.4},
    },
    "nougg": {
        "name": (
            "Canadian Guideline for Safe and Effective Use of Opioids for Chronic "
            "Non-Cancer Pain, National Opioid Use Guideline Group (NOUGG), 2010"
        ),
        "source": (
            "its opioid conversion table (equivalence to 30 mg oral morphine), as "
            "adapted in Table 4 of Kahan M, et al. Can Fam Physician 2011;57:1257-1266"
        ),
        "checked": (
            "against Table 4 of Kahan et al. 2011: morphine 30 mg = codeine 200 mg "
            "(0.15) = oxycodone 20 mg (1.5) = hydromorphone 6 mg (5) = meperidine "
            "300 mg (0.1); methadone and tramadol 'not reliably established'; "
            "transdermal fentanyl as morphine bands (25 µg/h = 60-134 mg), not a factor"
        ),
        "oral": {
            "morphine": 1.0,
            "codeine": 0.15,
            "hydromorphone": 5.0,
            "meperidine": 0.1,
            "oxycodone": 1.5,
        },
        "transdermal": {},
    },
}
_PARENTERAL_MORPHINE = 3.0  # oral:IV (or SC) morphine 3:1
_ROUTES = ("oral", "iv", "sc", "transdermal")


def omed(drug: str, daily_dose, route: str = "oral", table: str = "cdc2022"):
    """Oral morphine equivalent daily dose (mg/day) of one opioid.

    Parameters
    ----------
    drug : str
        Opioid name (case-insensitive), e.g. "morphine", "oxycodone", "hydromorphone",
        "fentanyl" (transdermal patch, dose in µg/h).
    daily_dose : float or array-like or Series
        Total daily dose in mg/day (µg/h for a fentanyl patch), >= 0.
    route : {"oral", "iv", "sc", "transdermal"}
        Parenteral ("iv", "sc") is only defined for morphine, at oral:parenteral 3:1.
    table : {"cdc2022", "cdc2016", "vonkorff2008", "nougg"}
        Which published conversion table to use (see ``OMED_TABLES[table]["source"]`` for the
        table and how it was checked). Tables differ (hydromorphone 4 vs 5, tramadol 0.1 vs
        0.2, methadone 3, 4.7 or dose-banded 4-12), and the choice can move a patient across
        the 25% threshold of the IBMCWP rules. These are population equivalences for
        measuring exposure, **not** doses for rotating a patient between opioids.
        CDC 2016's methadone bands are read as 0-20, >20-40, >40-60 and >60-80 mg/day (the
        sheet prints 1-20, 21-40, 41-60, 61-80); above 80 mg/day it gives no factor.

    Returns
    -------
    float, numpy array or Series (same form as ``daily_dose``)

    Raises
    ------
    ValueError
        Unknown drug, route or table (or one that is not a string); a drug the chosen table does
        not list; a methadone dose beyond the last band of a banded table; a negative, missing,
        boolean or empty dose.

    References
    ----------
    Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R. CDC Clinical Practice Guideline for
    Prescribing Opioids for Pain - United States, 2022. MMWR Recomm Rep 2022;71(RR-3):1-95
    (TABLE: morphine milligram equivalent doses for commonly prescribed opioids).
    Dowell D, Haegerich TM, Chou R. CDC Guideline for Prescribing Opioids for Chronic Pain -
    United States, 2016. MMWR Recomm Rep 2016;65(1):1-49; and CDC, "Calculating total daily
    dose of opioids for safer dosage" (2016 companion sheet with the conversion factors).
    Von Korff M, Saunders K, Thomas Ray G, et al. De facto long-term opioid therapy for
    noncancer pain. Clin J Pain 2008;24:521-527 (conversion-factor table, reprinted as Table 1
    of PMC2668925).
    National Opioid Use Guideline Group. Canadian Guideline for Safe and Effective Use of
    Opioids for Chronic Non-Cancer Pain, 2010; conversion table as adapted in Kahan M,
    Mailis-Gagnon A, Wilson L, Srivastava A. Can Fam Physician 2011;57:1257-1266 (Table 4).

    Examples
    --------
    >>> omed("tramadol", 200)                       # CDC 2022: 0.2
    40.0
    >>> omed("tramadol", 200, table="vonkorff2008")  # Von Korff 2008: 0.1
    20.0
    """
    table = check_choice(table, "table", OMED_TABLES)
    if not isinstance(route, str):
        raise ValueError(
            f"route must be one of {', '.join(repr(r) for r in _ROUTES)}; got {route!r}"
        )
    route = check_choice(route.strip().lower(), "route", _ROUTES)
    if not isinstance(drug, str):
        raise ValueError(f"drug must be a string, got {drug!r}")
    name = drug.strip().lower()
    known = sorted({d for t in OMED_TABLES.values() for d in (*t["oral"], *t["transdermal"])})
    if name not in known:
        raise ValueError(f"drug must be one of {', '.join(known)}; got {drug!r}")
    shape, (dose,) = _broadcast({"daily_dose": daily_dose}, {"daily_dose": _DOSE})
    tab = OMED_TABLES[table]
    if route in ("iv", "sc"):
        if name != "morphine":
            raise ValueError(
                f"route {route!r} is only defined for morphine (oral:parenteral 3:1); got drug {drug!r}"
            )
        return shape.wrap(dose * _PARENTERAL_MORPHINE)
    section = tab["transdermal" if route == "transdermal" else "oral"]
    if name not in section:
        listed = ", ".join(sorted(section)) or "none"
        raise ValueError(
            f"table {table!r} has no {route} factor for {drug!r} (it lists: {listed}); choose another table"
        )
    factor = section[name]
    if isinstance(factor, tuple):  # dose-banded
        bounds = np.array([b for b, _ in factor])
        factors = np.array([f for _, f in factor])
        if (dose > bounds[-1]).any():
            raise ValueError(
                f"daily_dose: table {table!r} gives {drug!r} factors only up to "
                f"{bounds[-1]:g} mg/day; found {dose[dose > bounds[-1]][0]:g}"
            )
        idx = np.searchsorted(bounds, dose, side="left")
        return shape.wrap(dose * factors[idx])
    return shape.wrap(dose * factor)


def total_omed(regimen: Mapping[str, float] | Iterable[tuple], table: str = "cdc2022") -> float:
    """Sum the OMED of a regimen of several opioids.

    Parameters
    ----------
    regimen : mapping or iterable
        Either ``{drug: daily_dose}`` (oral) or an iterable of ``(drug, daily_dose)`` or
        ``(drug, daily_dose, route)`` tuples. Each dose is one number >= 0 (mg/day; µg/h for a
        fentanyl patch). An empty regimen (no opioids) has OMED 0.
    table : str
        See :func:`omed`.

    Returns
    -------
    float
        Total oral morphine equivalent daily dose, mg/day.

    Raises
    ------
    ValueError
        If ``regimen`` is not a mapping or an iterable of such tuples, a dose is not a single
        finite number >= 0 (booleans and strings are refused), or :func:`omed` refuses an item.

    References
    ----------
    Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R. MMWR Recomm Rep 2022;71(RR-3):1-95.

    Examples
    --------
    >>> total_omed({"oxycodone": 20, "morphine": 10})
    40.0
    """
    table = check_choice(table, "table", OMED_TABLES)
    if isinstance(regimen, Mapping):
        items = list(regimen.items())
    elif isinstance(regimen, (str, bytes)) or not isinstance(regimen, Iterable):
        raise ValueError(
            f"regimen must be a mapping {{drug: daily_dose}} or an iterable of "
            f"(drug, daily_dose[, route]) tuples; got {regimen!r}"
        )
    else:
        items = list(regimen)
    total = 0.0
    for i, item in enumerate(items):
        if (
            isinstance(item, (str, bytes))
            or not isinstance(item, (tuple, list))
            or len(item) not in (2, 3)
        ):
            raise ValueError(
                f"regimen item {i} must be a (drug, daily_dose[, route]) tuple; got {item!r}"
            )
        drug, dose, *rest = item
        dose = check_number(dose, f"regimen daily_dose of {drug!r}", low=0)
        try:
            total += float(omed(drug, dose, route=rest[0] if rest else "oral", table=table))
        except ValueError as e:
            raise ValueError(f"regimen item {i}: {e}") from None
    return total


# --------------------------------------------------------------------------------------------
# Paper B's VAS categories
# --------------------------------------------------------------------------------------------

_MEDICATION = ("none", "decreased", "stable", "increased")


def vas_relief(baseline_vas, followup_vas, medication, exactly_two: str = "stable"):
    """Paper B's pain-relief categories (not IBMCWP).

    Sohn et al. define: *complete* relief, no pain without analgesics; *partial* relief, a VAS
    decrease of more than 2 with stable or decreased medication; *stable*, the same VAS or a
    decrease of less than 2; *progression*, any VAS increase or increased medication. Two gaps
    are left open by that wording and are made explicit here:

    - a decrease of **exactly 2** fits no category: ``exactly_two`` decides
      ("stable", "partial" or "error");
    - a decrease of more than 2 *with increased medication* fits only "progression"
      (progression is checked before partial relief).

    Order: complete -> progression -> partial -> stable.

    Parameters
    ----------
    baseline_vas, followup_vas : float or array-like or Series
        VAS 0-10 (continuous values allowed).
    medication : str or array-like of str
        Analgesics at follow-up relative to baseline: "none" (no analgesics at follow-up),
        "decreased", "stable" or "increased".
    exactly_two : {"stable", "partial", "error"}
        How to classify a decrease of exactly 2 points.

    Returns
    -------
    str, numpy array of str, or Series: "complete", "partial", "stable" or "progression".

    Raises
    ------
    ValueError
        VAS outside 0-10, missing values, booleans, empty or 2-D input, inputs of different
        lengths or Series with different labels, unknown medication levels, or (with
        ``exactly_two="error"``) a decrease of exactly 2.

    References
    ----------
    Sohn S, Chung CK, Sohn MJ, et al. J Korean Neurosurg Soc 2016;59(1):37-43.
    """
    exactly_two = check_choice(exactly_two, "exactly_two", ("stable", "partial", "error"))
    if medication is None or isinstance(medication, (Mapping, set, frozenset)):
        raise ValueError(
            f"medication must be one of {', '.join(_MEDICATION)} (or a sequence of "
            f"them); got {medication!r}"
        )
    # VAS and medication aligned together: a medication Series is paired by label too
    shape, (b, f, med) = _broadcast(
        {"baseline_vas": baseline_vas, "followup_vas": followup_vas},
        {"baseline_vas": _VAS, "followup_vas": _VAS},
        extra={"medication": medication},
    )
    bad = [m for m in med if not (isinstance(m, str) and m in _MEDICATION)]
    if bad:
        raise ValueError(f"medication must be one of {', '.join(_MEDICATION)}; got {bad[0]!r}")
    decrease = b - f
    two = np.isclose(decrease, 2.0, atol=1e-9)
    if exactly_two == "error" and two.any():
        raise ValueError(
            "a VAS decrease of exactly 2 fits none of paper B's categories; choose exactly_two='stable' or 'partial'"
        )
    complete = (f == 0) & (med == "none")
    progression = (f > b + 1e-9) | (med == "increased")
    partial = ((decrease > 2 + 1e-9) | (two & (exactly_two == "partial"))) & (med != "increased")
    return _wrap(
        shape,
        np.select(
            [complete, progression, partial],
            ["complete", "progression", "partial"],
            default="stable",
        ),
    )
