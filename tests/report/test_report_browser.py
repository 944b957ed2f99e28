"""The briefing page in headless Chromium: it shows its figures and text, and requests nothing.

Two observers watch for requests. The DevTools protocol reports every request the page makes,
for any scheme and host (``Network.requestWillBeSent``; ``data:`` URLs included), with the
page's own Content-Security-Policy switched off so that the policy cannot hide a reference.
And the pack is served by a local HTTP server that logs each path asked of it, so a relative
reference would show there too. A control page with external references proves both see them.
"""

from __future__ import annotations

import http.server
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from browser import Browser, chromium_path
from report_data import Built, cadre_name, org_name
from PIL import Image

from graphmodel.report.webfont import EMBEDDED_FAMILY

pytestmark = pytest.mark.xdist_group("chromium")


class _Server:
    """Serves one folder on 127.0.0.1 and records every path requested."""

    def __init__(self, root: Path) -> None:
        self.paths: list[str] = []
        paths = self.paths

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

            def do_GET(self) -> None:
                paths.append(self.path)
                super().do_GET()

            def log_message(self, *_: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with Browser(chromium_path()) as b:
        yield b


def external(urls: list[str], page: str) -> list[str]:
    return [u for u in urls if u != page and not u.startswith("data:")]


def test_page_requests_only_itself_and_its_data_urls(browser: Browser, sample_built: Built) -> None:
    page = sample_built.pack.page.as_uri()
    browser.open(page, bypass_csp=True)
    urls = browser.requested_urls()
    assert urls[0] == page
    assert external(urls, page) == []
    assert sum(u.startswith("data:image/png;base64,") for u in urls) == len(sample_built.pack.figures)
    assert sum(u.startswith("data:font/woff;base64,") for u in urls) == 1
    assert browser.failed_requests() == []
    assert browser.evaluate("performance.getEntriesByType('resource').map(e => e.name)") == []


def test_served_page_asks_the_server_for_itself_only(browser: Browser, sample_built: Built) -> None:
    server = _Server(sample_built.pack.page.parent)
    try:
        page = server.url("report.html")
        browser.open(page, bypass_csp=True)
        assert server.paths == ["/report.html"]
        assert external(browser.requested_urls(), page) == []
    finally:
        server.close()


def test_both_observers_see_external_references(browser: Browser, tmp_path: Path) -> None:
    """The control: a page that does reference other resources is caught by both checks."""
    (tmp_path / "local.png").write_bytes(_png((4, 4)))
    (tmp_path / "control.html").write_text(
        "<!DOCTYPE html><html><head><style>@font-face{font-family:X;src:url(http://127.0.0.1:9/f.woff)}"
        "p{font-family:X}</style><link rel=icon href='data:,'><link rel=stylesheet href='https://example.invalid/s.css'>"
        "</head>"
        "<body><p>x</p><img src='local.png'><img src='http://127.0.0.1:9/i.png'></body></html>", encoding="utf-8")
    server = _Server(tmp_path)
    try:
        page = server.url("control.html")
        browser.open(page)
        seen = external(browser.requested_urls(), page)
        assert set(seen) == {server.url("local.png"), "http://127.0.0.1:9/f.woff", "https://example.invalid/s.css",
                             "http://127.0.0.1:9/i.png"}
        assert server.paths == ["/control.html", "/local.png"]
    finally:
        server.close()


def test_the_pages_own_policy_blocks_an_injected_reference(browser: Browser, sample_built: Built, tmp_path: Path) -> None:
    html = sample_built.pack.page.read_text(encoding="utf-8")
    injected = tmp_path / "injected.html"
    injected.write_text(html.replace("</body>", "<img src='http://127.0.0.1:9/x.png'></body>"), encoding="utf-8")
    browser.open(injected.as_uri())  # the policy in force
    assert "http://127.0.0.1:9/x.png" in browser.requested_urls()
    assert [f.get("blockedReason") for f in browser.failed_requests()] == ["csp"]


def _png(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _grey(data: bytes, size: tuple[int, int] | None = None) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as opened:
        rgba = opened.convert("RGBA")
        flat = Image.new("RGBA", rgba.size, "white")
        flat.alpha_composite(rgba)
        grey = flat.convert("L")
        if size is not None:
            grey = grey.resize(size, Image.Resampling.LANCZOS)
        return np.asarray(grey, dtype=np.float64)


def test_every_figure_is_shown(browser: Browser, sample_built: Built, tmp_path: Path) -> None:
    browser.open(sample_built.pack.page.as_uri())
    shown = json.loads(browser.evaluate(
        "JSON.stringify(Array.from(document.images, i => { const r = i.getBoundingClientRect();"
        " const s = getComputedStyle(i), b = parseFloat(s.borderLeftWidth), t = parseFloat(s.borderTopWidth);"
        " return {complete: i.complete, w: i.naturalWidth, h: i.naturalHeight, x: r.x + scrollX + b,"
        " y: r.y + scrollY + t, width: i.clientWidth, height: i.clientHeight}; }))"))
    figures = sample_built.pack.figures
    assert len(shown) == len(figures)
    for image, figure in zip(shown, figures):
        assert image["complete"] and (image["w"], image["h"]) == (figure.width, figure.height), figure.key
        assert image["width"] > 300 and image["height"] > 150, figure.key
        # What the screen shows in the image's box is the figure: compare pixels with the PNG,
        # both reduced 4× so that a sub-pixel shift of a thin line does not count.
        clip = {k: float(image[k]) for k in ("x", "y", "width", "height")}
        shot = browser.screenshot(tmp_path / f"{figure.key}.png", clip)
        screen = _grey(shot.read_bytes())
        size = (max(1, screen.shape[1] // 4), max(1, screen.shape[0] // 4))
        screen = _grey(shot.read_bytes(), size)
        expected = _grey(figure.png, size)
        assert screen.std() > 10, figure.key  # not blank
        correlation = np.corrcoef(screen.ravel(), expected.ravel())[0, 1]
        assert correlation > 0.95, (figure.key, correlation)
        # and it is this figure, not another one of the page
        others = [np.corrcoef(screen.ravel(), _grey(f.png, size).ravel())[0, 1] for f in figures if f is not figure]
        assert correlation > max(others), figure.key


def test_text_uses_the_embedded_font_and_reads_the_findings(browser: Browser, sample_built: Built, tmp_path: Path) -> None:
    browser.open(sample_built.pack.page.as_uri())
    faces = browser.evaluate("Array.from(document.fonts).map(f => [f.family.replace(/\"/g, ''), f.status])")
    assert faces == [[EMBEDDED_FAMILY, "loaded"]]
    family = browser.evaluate("getComputedStyle(document.querySelector('li.finding')).fontFamily")
    assert family.startswith(f'"{EMBEDDED_FAMILY}"')
    text = browser.evaluate("document.querySelector('#findings').innerText")
    for headline in sample_built.pack.headlines:
        assert headline.text in text
    view = _grey(browser.screenshot(tmp_path / "top.png").read_bytes())
    assert (view < 200).mean() > 0.01  # ink on the page: text and rules, not an empty canvas


def test_hostile_names_are_inert_text(browser: Browser, hostile_built: Built) -> None:
    page = hostile_built.pack.page.as_uri()
    browser.open(page, bypass_csp=True)
    assert external(browser.requested_urls(), page) == []
    assert browser.evaluate("document.scripts.length") == 0
    assert browser.evaluate("document.images.length") == len(hostile_built.pack.figures)
    assert browser.evaluate("document.querySelectorAll('table').length") == len(hostile_built.pack.tables)
    text = browser.evaluate("document.body.innerText")
    assert any(org_name(i) in text for i in range(80))
    assert any(cadre_name(i) in text for i in range(200))
