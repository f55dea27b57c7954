"""Browser tests of the BUILT book: Playwright (Python) driving Debian's Chromium.

Run after `jupyter-book build . -W -n --keep-going`:

    python -m pytest browser_tests -q

The built HTML is served from 127.0.0.1 by a throwaway http.server; Chromium starts headless with
the flags that keep it off the network. Set SPINEMETS_CHROMIUM to use another browser binary.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium() -> str | None:
    for c in (
        os.environ.get("SPINEMETS_CHROMIUM"),
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if c and Path(c).exists():
            return c
    return None


def pages() -> list[str]:
    """Every page of the book (relative paths), without Sphinx's generated index pages."""
    if not HTML.exists():
        return []
    # Sphinx's generated pages, and index.html (Jupyter Book's redirect to intro.html)
    skip = {"genindex.html", "search.html", "py-modindex.html", "index.html"}
    return sorted(
        str(p.relative_to(HTML))
        for p in HTML.rglob("*.html")
        if p.name not in skip and not p.relative_to(HTML).parts[0].startswith(("_", "reports"))
    )


@pytest.fixture(scope="session")
def base_url():
    if not (HTML / "index.html").exists():
        pytest.fail("build the book first: jupyter-book build . -W -n --keep-going")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    exe = _chromium()
    if exe is None:
        pytest.fail("no Chromium found: apt-get install -y chromium (or set SPINEMETS_CHROMIUM)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def page_at(browser, base_url):
    contexts = []

    def open_(path: str, width: int = 1280, height: int = 900, dark: bool = False):
        ctx = browser.new_context(
            viewport={"width": width, "height": height}, color_scheme="dark" if dark else "light"
        )
        contexts.append(ctx)
        page = ctx.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base_url}/{path}", wait_until="load")
        page.wait_for_load_state("networkidle")
        return page, errors

    yield open_
    for c in contexts:
        c.close()
