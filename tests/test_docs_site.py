"""The built documentation site, checked as a reader sees it: in headless Chromium.

Runs when the site exists (``.ci/run`` builds it into ``docs/_build/html`` and then runs
``pytest -m docs``; ``WEAKLOC_DOCS_SITE`` points elsewhere). The browser part needs the
Python package ``playwright`` (docs extra) and Debian's ``chromium`` at /usr/bin/chromium
(``.ci/run`` installs it); screenshots go to ``WEAKLOC_ARTIFACTS`` (default
``ci-artifacts/``).
"""

import functools
import http.server
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("WEAKLOC_DOCS_SITE", ROOT / "docs" / "_build" / "html"))
ARTIFACTS = Path(os.environ.get("WEAKLOC_ARTIFACTS", ROOT / "ci-artifacts"))
CHROMIUM = os.environ.get("WEAKLOC_CHROMIUM", "/usr/bin/chromium")
# as root and on a closed network Chromium needs these to start quietly
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]

pytestmark = [
    pytest.mark.docs,
    pytest.mark.skipif(not (SITE / "index.html").is_file(),
                       reason=f"no documentation site at {SITE} (sphinx-build it first)"),
]


def _pages() -> list[str]:
    return sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html")
                  if "_static" not in p.parts and "_sources" not in p.parts)


def test_inventory_holds_every_public_name():
    """The reference documents every name of every public ``__all__`` (docs/apimap.py)."""
    inventory = pytest.importorskip("sphinx.util.inventory", reason="pip install '.[docs]'")

    sys.path.insert(0, str(ROOT / "docs"))
    import apimap

    with open(SITE / "objects.inv", "rb") as f:
        inv = inventory.InventoryFile.load(f, "", lambda base, uri: uri)
    documented = {name for kind, objs in inv.data.items() if kind.startswith("py:")
                  for name in objs} if hasattr(inv, "data") else {
        name for kind, objs in inv.items() if kind.startswith("py:") for name in objs}
    members, _ = apimap.homes()
    missing = sorted(f"{m}.{n}" for m, names in members.items() for n in names
                     if f"{m}.{n}" not in documented)
    assert not missing, f"not in the reference: {missing}"
    modules = sorted(set(apimap.public_modules()) - documented)
    assert not modules, f"modules without a reference page: {modules}"


@pytest.fixture(scope="module")
def server():
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install '.[docs]'")
    if not Path(CHROMIUM).is_file() and shutil.which(CHROMIUM) is None:
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class _Tab:
    """One browser tab that records what goes wrong while it loads a page: console errors,
    uncaught exceptions, failed requests and requests that leave the local server."""

    def __init__(self, browser):
        self.page = browser.new_page(viewport={"width": 1200, "height": 900})
        self.problems = []
        add = self.problems.append
        # a failed load also shows as a console error without its URL: the response check
        # names it (and ignores the favicon the browser asks for on its own)
        self.page.on("console", lambda m: add(f"console {m.type}: {m.text}")
                     if m.type == "error" and not m.text.startswith("Failed to load resource")
                     else None)
        self.page.on("response", lambda r: add(f"HTTP {r.status}: {r.url}")
                     if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
        self.page.on("pageerror", lambda e: add(f"uncaught: {e}"))
        self.page.on("requestfailed", lambda r: add(f"failed request: {r.url}"))
        self.page.on("request", lambda r: add(f"leaves the site: {r.url}")
                     if not r.url.startswith(("http://127.0.0.1", "data:", "about:")) else None)

    def open(self, url) -> list:
        """Load ``url`` and wait until it has settled; return its problems."""
        self.problems.clear()
        if self.page.goto(url, wait_until="load") is None:
            self.problems.append("no response")
        self.page.evaluate(_SETTLED)
        return list(self.problems)


# fonts loaded and MathJax (where the page has math) done typesetting
_SETTLED = """async () => {
    await document.fonts.ready;
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
        await MathJax.startup.promise;
    }
}"""


_FIGURES = """() => Array.from(document.querySelectorAll('img')).map(img => {
    const r = img.getBoundingClientRect();
    return {src: img.getAttribute('src'), natural: img.naturalWidth * img.naturalHeight,
            shown: r.width * r.height, complete: img.complete};
})"""


def test_every_page_loads_cleanly_with_its_figures(server, browser):
    pages = _pages()
    assert len(pages) > 50   # guide, gallery and reference
    failures, figures = {}, 0
    tab = _Tab(browser)
    for rel in pages:
        problems = tab.open(f"{server}/{rel}")
        for img in tab.page.evaluate(_FIGURES):
            figures += 1
            if not img["complete"] or img["natural"] == 0 or img["shown"] == 0:
                problems.append(f"figure without size: {img['src']}")
        if problems:
            failures[rel] = problems
    tab.page.close()
    assert not failures, failures
    assert figures > 20   # the guide's demo figures and the gallery's


def test_search_finds_cooperon(server, browser):
    tab = _Tab(browser)
    tab.open(f"{server}/search.html?q=Cooperon")
    tab.page.wait_for_selector("#search-results ul.search li", timeout=30_000)
    hits = tab.page.locator("#search-results ul.search li a").all_inner_texts()
    tab.page.close()
    assert not tab.problems, tab.problems
    assert hits, "no search results for Cooperon"
    assert any("momentum_cbs" in h or "cooperon" in h.lower() for h in hits), hits


def test_screenshots(server, browser):
    """The landing page and one gallery page, for a person to look at (CI artifacts)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots = {"landing.png": "index.html",
             "gallery-dynamics.png": "auto_examples/plot_dynamics_cbs.html"}
    tab = _Tab(browser)
    for name, rel in shots.items():
        problems = tab.open(f"{server}/{rel}")
        tab.page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        assert not problems, problems
        assert (ARTIFACTS / name).stat().st_size > 10_000
