"""Search, the BED calculator, and folded solutions, in a real browser."""

from __future__ import annotations

import pytest

from spinemets import radiobiology as rb

SCHEDULES = [
    "30 Gy/10 fx",
    "8 Gy x 1",
    "20 Gy in 5 fractions",
    "24Gy/3fx",
    "18 Gy single fraction",
    "10 x 3 Gy",
    "36Gy/12F",
    "30Gy/10#",
    "40Gy/4Fx",
    "16.6 Gy x 1",
    "30 Gy/10 fractions (3 Gy/fx)",
    "48 Gy/4 fx",
]
ALPHA_BETA = [10, 3, 7, 2.5]


def test_search_finds_bowker(page_at):
    page, errors = page_at("search.html?q=Bowker")
    page.wait_for_selector("#search-results ul li, ul.search li", timeout=20000)
    hits = page.locator("ul.search li").all_inner_texts()
    assert any("omparing" in h for h in hits), hits
    assert not errors, errors


def _calculator(page_at):
    page, errors = page_at("chapters/01_radiobiology.html")
    calc = page.locator(".bedcalc")
    assert calc.count() == 1, "chapter 01 has no BED calculator"
    return page, calc, errors


def test_calculator_gives_bed10_39_for_30gy_in_10(page_at):
    page, calc, errors = _calculator(page_at)
    calc.locator(".bedcalc-schedule").fill("30 Gy/10 fx")
    calc.locator(".bedcalc-ab").fill("10")
    assert calc.locator(".bedcalc-bed").inner_text() == "39.00"
    assert calc.locator(".bedcalc-eqd2").inner_text() == "32.50"
    assert not errors, errors


@pytest.mark.parametrize("ab", ALPHA_BETA)
def test_calculator_equals_the_library(page_at, ab):
    page, calc, _ = _calculator(page_at)
    for text in SCHEDULES:
        calc.locator(".bedcalc-schedule").fill(text)
        calc.locator(".bedcalc-ab").fill(str(ab))
        d, n = rb.parse_schedule(text)
        got = page.evaluate(
            "el => [Number(el.dataset.bed), Number(el.dataset.eqd2)]", calc.element_handle()
        )
        assert got[0] == pytest.approx(rb.bed(d, n, ab), rel=1e-12), text
        assert got[1] == pytest.approx(rb.eqd2(d, n, ab), rel=1e-12), text


@pytest.mark.parametrize("text", ["8 Gy", "800 cGy/1", "30 Gy/0 fx", "30 Gy/2.5 fx", "hello"])
def test_calculator_refuses_what_the_library_refuses(page_at, text):
    with pytest.raises(ValueError):
        rb.parse_schedule(text)
    page, calc, _ = _calculator(page_at)
    calc.locator(".bedcalc-schedule").fill(text)
    assert calc.locator(".bedcalc-error").is_visible()
    assert not calc.locator(".bedcalc-result").is_visible()


def test_folded_solutions_open(page_at):
    page, _ = page_at("chapters/03_comparing_groups.html")
    sol = page.locator("details.solution, div.solution.dropdown").first
    assert sol.count() == 1
    body = sol.locator("section, .admonition-content, div").last
    assert not body.is_visible()
    sol.locator("summary, .admonition-title, button").first.click()
    page.wait_for_timeout(400)
    assert body.is_visible()
