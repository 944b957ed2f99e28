"""The briefing page: one self-contained HTML file with the findings, figures and tables.

The page is rendered with Jinja2 from ``templates/report.html.j2`` with autoescaping on, so a
name holding ``<``, ``&`` or quotes shows as text. It needs nothing outside itself: the figures
are PNGs in ``data:`` URLs, the style sheet is inline, the font is an inline subset of the
bundled one (``graphmodel.report.webfont``), there is no script, the favicon is ``data:,``,
and a Content-Security-Policy (``default-src 'none'``; images and fonts from ``data:`` only)
keeps any browser from fetching anything for it. Its links to the figure files and CSVs are
relative and are followed only when clicked.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

import jinja2
import markupsafe

from graphmodel.render.labels import check_lang
from graphmodel.report.figures import BriefFigure
from graphmodel.report.headlines import Headline
from graphmodel.report.tables import BriefTable
from graphmodel.report.text import PAGE_TEXT, page_text
from graphmodel.report.webfont import FONT_STACK, font_face_css

__all__ = ["render_page"]

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("graphmodel.report", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _dataset_line(values: dict[str, Any], lang: str) -> str:
    counts = values.get("dataset") or {}
    needed = ("responsibilities", "links", "levels")
    if not all(k in counts for k in needed):
        return ""
    return page_text("dataset_line", lang, organizations=counts.get("organizations", "?"),
                     **{k: counts[k] for k in needed})


def render_page(
    findings: Any,
    headlines: Sequence[Headline],
    figures: Sequence[BriefFigure],
    tables: Sequence[BriefTable],
    *,
    lang: str = "zh",
    title: str | None = None,
    source: str | None = None,
    embed_font: bool = True,
) -> str:
    """The HTML of the briefing page.

    Parameters
    ----------
    findings : the ``Findings`` (its ``values["dataset"]`` counts head the page).
    headlines : the top findings, in order.
    figures : the figures, embedded as PNG.
    tables : the tables.
    lang : ``"zh"`` (default) or ``"en"``.
    title : the page title (default: 责任网络分析简报 / Responsibility network briefing).
    source : where the data came from (a folder, a Neo4j URI), shown under the title.
    embed_font : embed the subset of the bundled font (off: the page relies on system fonts).

    Returns
    -------
    str

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> page = render_page(SimpleNamespace(values={}), [Headline("x", "<b>甲</b> & 乙")], [], [],
    ...                    embed_font=False)
    >>> "&lt;b&gt;甲&lt;/b&gt; &amp; 乙" in page, "<b>" in page
    (True, False)
    """
    check_lang(lang)
    template = _ENV.get_template("report.html.j2")
    context = {
        "t": PAGE_TEXT[lang],
        "title": title or page_text("title", lang),
        "dataset_line": _dataset_line(getattr(findings, "values", {}) or {}, lang),
        "source_line": page_text("source_line", lang, source=source) if source else "",
        "headlines": list(headlines),
        "figures": [{"key": f.key, "caption": f.caption, "width": f.css_width,
                     "files": [p.as_posix() for p in f.files],
                     "data": base64.b64encode(f.png).decode("ascii")} for f in figures],
        "tables": [{**t.__dict__, "more_text": page_text("more_rows", lang, count=t.more, file=t.file)}
                   for t in tables],
        # Style sheet text, not HTML: our own constants, never data; escaping would break the quotes.
        "font_stack": markupsafe.Markup(FONT_STACK),
    }
    html = template.render(font_css="", **context)
    if not embed_font:
        return html
    return template.render(font_css=markupsafe.Markup(font_face_css(html)), **context)
