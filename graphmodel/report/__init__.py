"""The briefing pack: a self-contained HTML page with the top findings, figures and tables.

``graphmodel report`` calls :func:`write_report`, which writes ``report.html`` (figures,
style and font embedded; nothing fetched from anywhere), the figures as PNG, SVG and PDF in
``figures/``, and findings.json with one CSV per table in ``data/``. Chinese by default,
``lang="en"`` for English.

Self-contained by design: the figures are embedded as base64 PNG (rasterized with the bundled
Noto Sans SC, so they need no font on the reader's machine; inline SVG would leave their
Chinese to the reader's fonts); the page's own text uses a subset of the same font embedded as
a WOFF ``data:`` URL, with the usual CJK system fonts after it in the stack; the style sheet
is inline; there is no script; and a Content-Security-Policy allows only ``data:`` images and
fonts. The page names only relative download links (figures/, data/), followed when clicked.

==================  ===========================================================================
module              concept
==================  ===========================================================================
pack                ``write_report``: the folder and its files
headlines           the top findings in plain words
tables              the heads of the result tables, with names and labels
figures             the figures, exported and embedded
page                the HTML page (Jinja2, autoescaped)
webfont             the page's font: a subset of the bundled Noto Sans SC as a data: URL
names               display names and the organizations table
sections            where optional parts of the findings (政治生态, three lists) are found
text                the page's own words, zh and en
==================  ===========================================================================
"""

from graphmodel.report.figures import BriefFigure, brief_figures, featured_org
from graphmodel.report.headlines import Headline, headlines
from graphmodel.report.names import display_names, organizations_frame
from graphmodel.report.pack import ReportPack, write_report
from graphmodel.report.page import render_page
from graphmodel.report.tables import BriefTable, brief_tables

__all__ = [
    "BriefFigure",
    "BriefTable",
    "Headline",
    "ReportPack",
    "brief_figures",
    "brief_tables",
    "display_names",
    "featured_org",
    "headlines",
    "organizations_frame",
    "render_page",
    "write_report",
]
