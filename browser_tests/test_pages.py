"""Every built page renders cleanly, at desktop and phone widths, in light and dark mode."""

from __future__ import annotations

import pytest

from conftest import pages

PAGES = pages()

# Elements whose overflow is the theme's own business (navigation, hidden off-canvas drawers).
OVERFLOW_JS = """
(width) => {
  const main = document.querySelector('main article.bd-article') || document.querySelector('main')
               || document.body;
  const limit = main.getBoundingClientRect().right + 1;
  const out = [];
  for (const el of main.querySelectorAll('*')) {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden') continue;
    if (el.closest('details:not([open])')) continue;
    if (el.closest('mjx-assistive-mml')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const scrolls = el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(cs.overflowX);
    if (scrolls || r.right > limit) {
      out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(r.right)}`
               + ` scroll=${el.scrollWidth}/${el.clientWidth}`);
    }
  }
  return out.slice(0, 8);
}
"""


def _luminance(rgb):
    def ch(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)


def _contrast(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


CONTRAST_JS = """
() => {
  const parse = s => (s.match(/[\\d.]+/g) || []).map(Number);
  function background(el) {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c.slice(0, 3);
    }
    return parse(getComputedStyle(document.body).backgroundColor).slice(0, 3);
  }
  const cells = [...document.querySelectorAll('main table td, main table th')].slice(0, 400);
  return cells.filter(c => c.innerText.trim()).map(c =>
    [c.innerText.trim().slice(0, 30), parse(getComputedStyle(c).color).slice(0, 3), background(c)]);
}
"""


FIGURES_JS = """() => [...document.querySelectorAll('main img')]
    .filter(i => i.naturalWidth > 50)
    .map(i => [i.src.split('/').pop().slice(0, 16), getComputedStyle(i).backgroundColor])"""


@pytest.mark.parametrize("path", PAGES)
def test_page(page_at, path):
    """One visit per page: console, images, overflow at 1280 and 390 px, dark mode."""
    problems = []
    page, errors = page_at(path, width=1280, height=900)
    if errors:
        problems.append(f"console errors: {errors}")
    broken = page.evaluate("""() => [...document.images]
        .filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)""")
    if broken:
        problems.append(f"images that did not load: {broken}")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_timeout(150)
        offenders = page.evaluate(OVERFLOW_JS, width)
        if offenders:
            problems.append(f"overflows at {width}px: {offenders}")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.evaluate("() => document.documentElement.setAttribute('data-theme', 'dark')")
    page.wait_for_timeout(150)
    poor = [
        (t, round(_contrast(fg, bg), 2))
        for t, fg, bg in page.evaluate(CONTRAST_JS)
        if _contrast(fg, bg) < 4.5
    ]
    if poor:
        problems.append(f"low-contrast table cells in dark mode: {poor[:5]}")
    dark_figures = []
    for name, bg in page.evaluate(FIGURES_JS):
        rgb = [
            float(v) for v in bg.replace("rgba(", "").replace("rgb(", "").rstrip(")").split(",")[:3]
        ]
        opaque = not bg.startswith("rgba") or float(bg.rstrip(")").split(",")[3]) > 0.5
        if not (opaque and _luminance(rgb) >= 0.5):
            dark_figures.append((name, bg))
    if dark_figures:
        problems.append(f"figures without a light background in dark mode: {dark_figures[:5]}")
    assert not problems, f"{path}:\n" + "\n".join(problems)
