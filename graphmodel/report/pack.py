"""The briefing pack: report.html, the figures as PNG, SVG and PDF, and every result as CSV.

``write_report`` writes into one folder::

    DIR/report.html          the page (self-contained: open it anywhere, mail it, print it)
    DIR/figures/<name>.png   each figure at print resolution, and .svg and .pdf beside it
    DIR/data/findings.json   the findings and one CSV per table (``write_findings``)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphmodel.render import FORMATS
from graphmodel.render.labels import check_lang
from graphmodel.report.figures import BriefFigure, brief_figures
from graphmodel.report.headlines import Headline, headlines
from graphmodel.report.names import display_names
from graphmodel.report.page import render_page
from graphmodel.report.tables import BriefTable, brief_tables
from graphmodel.results.write import write_findings

__all__ = ["ReportPack", "write_report"]

PAGE_NAME = "report.html"


@dataclass(frozen=True)
class ReportPack:
    """What ``write_report`` wrote and showed.

    Attributes
    ----------
    page : the HTML page.
    figures : the figures (their files relative to the pack's folder).
    data : findings.json and the CSVs.
    headlines : the top findings on the page.
    tables : the tables on the page.
    """

    page: Path
    figures: list[BriefFigure]
    data: list[Path]
    headlines: list[Headline]
    tables: list[BriefTable]

    def files(self) -> list[Path]:
        """Every file written: the page, the figures' files, the data."""
        root = self.page.parent
        return [self.page, *(root / p for f in self.figures for p in f.files), *self.data]


def write_report(
    findings: Any,
    out_dir: str | Path,
    *,
    dataset: Any | None = None,
    lang: str = "zh",
    title: str | None = None,
    source: str | None = None,
    top: int = 15,
    formats: Sequence[str] = FORMATS,
    dpi: int = 300,
) -> ReportPack:
    """Write the briefing pack of ``findings`` into ``out_dir``.

    Parameters
    ----------
    findings : a ``Findings`` (``graphmodel.results.findings.analyze``).
    out_dir : the folder; created when missing; files of an earlier pack are replaced.
    dataset : the dataset analysed, for the names of organizations and cadres (without it the
        page shows ids).
    lang : ``"zh"`` (default) or ``"en"``: the page and its figures.
    title : the page's title.
    source : where the data came from, shown under the title (default: the dataset's path).
    top : the most rows each table on the page shows.
    formats, dpi : the figure files (``save_figure``).

    Returns
    -------
    ReportPack

    Raises
    ------
    RenderError
        ``lang`` is unknown, or a figure cannot be drawn.

    Examples
    --------
    >>> import tempfile
    >>> from graphmodel.dataset.generate import generate_dataset
    >>> from graphmodel.dataset.reader import read_dataset
    >>> from graphmodel.model.network import build_network
    >>> from graphmodel.results.findings import analyze
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = generate_dataset(Path(tmp) / "data", 60, seed=1)
    ...     data = read_dataset(Path(tmp) / "data")
    ...     findings = analyze(build_network(data), dataset=data)
    ...     pack = write_report(findings, Path(tmp) / "pack", dataset=data, formats=("png",), dpi=72)
    ...     page = pack.page.read_text(encoding="utf-8")
    ...     pack.page.name, page.count("<img "), all(p.is_file() for p in pack.files())
    ('report.html', 7, True)
    """
    check_lang(lang)
    root = Path(out_dir)
    root.mkdir(parents=True, exist_ok=True)
    names = display_names(dataset)
    if source is None and dataset is not None and getattr(dataset, "path", None) is not None:
        source = str(dataset.path)
    data = write_findings(findings, root / "data")
    figures = brief_figures(findings, root, dataset=dataset, names=names, lang=lang, formats=formats, dpi=dpi)
    found = headlines(findings, names, lang)
    tables = brief_tables(findings, names, lang, top)
    html = render_page(findings, found, figures, tables, lang=lang, title=title, source=source)
    page = root / PAGE_NAME
    tmp = page.with_name(f".{PAGE_NAME}.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(page)
    return ReportPack(page, figures, data, found, tables)
