"""The OMED conversion tables of spinemets.response, factor by factor, against their sources.

Sources (the printed factors are typed here from each table):

* CDC 2022: Dowell D, et al. MMWR Recomm Rep 2022;71(RR-3):1-95, TABLE "Morphine milligram
  equivalent doses for commonly prescribed opioids for pain management": codeine 0.15,
  fentanyl transdermal (in mcg/hr) 2.4, hydrocodone 1.0, hydromorphone 5.0, methadone 4.7,
  morphine 1.0, oxycodone 1.5, oxymorphone 3.0, tapentadol 0.4, tramadol 0.2.
* CDC 2016: the guideline's companion sheet "Calculating total daily dose of opioids for safer
  dosage": codeine 0.15, fentanyl transdermal (mcg/hr) 2.4, hydrocodone 1, hydromorphone 4,
  methadone 1-20 mg/day 4, 21-40 mg/day 8, 41-60 mg/day 10, 61-80 mg/day 12, morphine 1,
  oxycodone 1.5, oxymorphone 3. No tramadol.
* Von Korff M, et al. Clin J Pain 2008;24:521-527, conversion-factor table (reprinted as Table 1
  of PMC2668925): propoxyphene 0.23, codeine 0.15, hydrocodone 1.0, tramadol 0.10,
  dihydrocodeine 0.25, pentazocine 0.37, morphine 1.0, oxycodone 1.5, hydromorphone 4.0,
  meperidine 0.1, oxymorphone 3.0, fentanyl transdermal 2.4, levorphanol 11.0, methadone 3.0
  (transmucosal fentanyl 0.125 is not carried: the library has no transmucosal route).
* NOUGG 2010 Canadian guideline, conversion table as in Kahan M, et al. Can Fam Physician
  2011;57:1257-1266, Table 4 (equivalence to 30 mg oral morphine): codeine 200 mg (x 0.15),
  oxycodone 20 mg (x 1.5), hydromorphone 6 mg (x 5), meperidine 300 mg (x 0.1); methadone and
  tramadol "not reliably established"; transdermal fentanyl given as morphine bands.
"""

import numpy as np
import pytest

from spinemets.response import OMED_TABLES, ibmcwp_response, omed

SOURCES = {
    "cdc2022": (
        {
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
        {"fentanyl": 2.4},
    ),
    "cdc2016": (
        {
            "codeine": 0.15,
            "hydrocodone": 1.0,
            "hydromorphone": 4.0,
            "morphine": 1.0,
            "oxycodone": 1.5,
            "oxymorphone": 3.0,
        },
        {"fentanyl": 2.4},
    ),
    "vonkorff2008": (
        {
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
        {"fentanyl": 2.4},
    ),
    "nougg": (
        {
            "codeine": 0.15,
            "hydromorphone": 5.0,
            "meperidine": 0.1,
            "morphine": 1.0,
            "oxycodone": 1.5,
        },
        {},
    ),
}


@pytest.mark.parametrize("table", sorted(SOURCES))
def test_every_factor_equals_its_source(table):
    oral, patch = SOURCES[table]
    got_oral = {k: v for k, v in OMED_TABLES[table]["oral"].items() if not isinstance(v, tuple)}
    assert got_oral == oral
    assert OMED_TABLES[table]["transdermal"] == patch
    for drug, f in oral.items():
        assert omed(drug, 10, table=table) == pytest.approx(10 * f)
    for drug, f in patch.items():
        assert omed(drug, 25, route="transdermal", table=table) == pytest.approx(25 * f)


def test_every_table_names_its_source_and_how_it_was_checked():
    for t in OMED_TABLES.values():
        assert t["name"] and t["source"] and t["checked"]
    assert "2010" in OMED_TABLES["nougg"]["name"]


@pytest.mark.parametrize(
    "dose, factor",
    [(0, 4), (10, 4), (20, 4), (20.5, 8), (21, 8), (40, 8), (41, 10), (60, 10), (61, 12), (80, 12)],
)
def test_cdc2016_methadone_bands(dose, factor):
    assert omed("methadone", dose, table="cdc2016") == pytest.approx(dose * factor)


def test_cdc2016_methadone_above_80_raises():
    with pytest.raises(ValueError, match="only up to 80 mg/day"):
        omed("methadone", 90, table="cdc2016")
    with pytest.raises(ValueError, match="only up to 80"):
        omed("methadone", np.array([10, 100]), table="cdc2016")


@pytest.mark.parametrize(
    "drug, table, route",
    [
        ("tramadol", "cdc2016", "oral"),  # not in the 2016 clinician sheet
        ("tapentadol", "cdc2016", "oral"),
        ("methadone", "nougg", "oral"),  # "not reliably established"
        ("tramadol", "nougg", "oral"),
        ("fentanyl", "nougg", "transdermal"),  # bands, not a factor
        ("tapentadol", "vonkorff2008", "oral"),
    ],
)
def test_missing_factor_raises_not_borrows(drug, table, route):
    with pytest.raises(ValueError, match=f"table {table!r} has no {route} factor"):
        omed(drug, 10, route=route, table=table)


def test_headline_example_cdc2022_vs_vonkorff2008():
    # tramadol 200 mg/day -> oral morphine 25 mg/day, pain unchanged at 6
    a, b = omed("tramadol", 200, table="cdc2022"), omed("tramadol", 200, table="vonkorff2008")
    assert (a, b) == (pytest.approx(40.0), pytest.approx(20.0))
    assert ibmcwp_response(6, 6, a, 25) == "PR"  # -37.5%
    assert ibmcwp_response(6, 6, b, 25) == "PP"  # +25%
