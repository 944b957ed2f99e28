"""The briefing's figures: drawn from the findings, exported as PNG, SVG and PDF, and a PNG to embed.

Each figure is drawn by ``graphmodel.render`` and written with ``save_figure`` into the pack's
``figures/`` folder. For the page its PNG is scaled down to ``EMBED_DPI`` (or the figure
rendered at ``EMBED_DPI`` when no PNG file is written) and embedded as a base64 ``data:`` URL: a raster carries the bundled CJK font
with it, so the page needs no font for its figures and shows them the same everywhere (inline
SVG keeps text as text, and its Chinese would depend on the fonts of the reader's machine).
"""

from __future__ import annotations

import io
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from PIL import Image

from graphmodel.render import (
    FORMATS,
    figure_style,
    links_frame,
    plot_coordination,
    plot_ecology_forest,
    plot_ecology_trees,
    plot_level_profile,
    plot_org_network,
    plot_org_tree,
    plot_repair_list,
    save_figure,
)
from graphmodel.render.labels import check_lang
from graphmodel.report.names import organizations_frame
from graphmodel.report.sections import part
from graphmodel.report.text import flagged_items, page_text

__all__ = ["EMBED_DPI", "LABEL_CHARS", "BriefFigure", "featured_org", "brief_figures", "png_size", "shorten"]

EMBED_DPI: Final = 150
"""Resolution of the PNG embedded in the page; shown at 96 CSS pixels per inch, so sharp on
screens up to 1.5× and on paper, at a fraction of the 300 dpi files' size."""


LABEL_CHARS: Final = 24
"""The longest name a figure shows; longer ones are cut with an ellipsis (the tables show them whole)."""


def shorten(name: str, limit: int = LABEL_CHARS) -> str:
    """``name`` cut to ``limit`` characters, the last an ellipsis, for a figure label.

    Examples
    --------
    >>> shorten("中共上海市浦东新区委员会"), shorten("x" * 30, 10)
    ('中共上海市浦东新区委员会', 'xxxxxxxxx…')
    """
    return name if len(name) <= limit else name[: limit - 1] + "…"


@dataclass(frozen=True)
class BriefFigure:
    """One figure of the pack.

    Attributes
    ----------
    key : its name, the stem of its files (``level_profile`` …).
    caption : what it shows, in the page's language.
    files : the PNG, SVG and PDF written, relative to the pack's folder.
    png : the PNG embedded in the page.
    width, height : the embedded PNG's size in pixels.
    dpi : its resolution (``EMBED_DPI``, or less when the figure files were written at less).
    """

    key: str
    caption: str
    files: list[Path]
    png: bytes
    width: int
    height: int
    dpi: int = EMBED_DPI

    @property
    def css_width(self) -> int:
        """Its width on the page in CSS pixels: its size in inches at 96 pixels per inch."""
        return round(self.width * 96 / self.dpi)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, read from its header.

    Examples
    --------
    >>> png_size(bytes.fromhex("89504e470d0a1a0a0000000d49484452") + (640).to_bytes(4, "big") + (480).to_bytes(4, "big"))
    (640, 480)
    """
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _endpoint_org(node_id: str) -> str:
    rest = node_id.partition(":")[2]
    return rest.rpartition("@")[2] if "@" in rest else rest


def featured_org(findings: Any) -> str | None:
    """The organization whose network the briefing draws in detail.

    The organization at the receiving end of the top of the repair list (the link whose
    repair raises total pressure most); without broken links, the organization with the
    largest drop; ``None`` when there is neither.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> broken = pd.DataFrame({"source": ["principal:r", "first_person:a"],
    ...     "target": ["principal:b", "dual_duty:m@a"], "impact": [0.5, 2.0]})
    >>> featured_org(SimpleNamespace(tables={"broken_links": broken}))
    'a'
    """
    tables = findings.tables
    broken = tables.get("broken_links")
    if broken is not None and not broken.empty and "impact" in broken.columns:
        top = int(np.argmax(broken["impact"].to_numpy(dtype=np.float64)))
        return _endpoint_org(str(broken["target"].iloc[top]))
    drops = tables.get("drops")
    if drops is not None and not drops.empty:
        fall = drops["parent_pressure"].to_numpy(dtype=np.float64) - drops["pressure"].to_numpy(dtype=np.float64)
        return str(drops["org"].iloc[int(np.argmax(fall))])
    return None


def _embed(fig: Figure, written: Sequence[Path], dpi: int) -> bytes:
    """The PNG for the page: the PNG file just written, scaled to ``EMBED_DPI``, or a fresh render."""
    png = next((p for p in written if p.suffix == ".png"), None)
    if png is not None and dpi <= EMBED_DPI:
        return png.read_bytes()
    buffer = io.BytesIO()
    if png is not None:  # scaling the print-resolution file down is cheaper than drawing again
        with Image.open(png) as image:
            if dpi % EMBED_DPI == 0:  # 300 dpi: average 2×2 blocks
                small = image.reduce(dpi // EMBED_DPI)
            else:
                size = (max(1, round(image.width * EMBED_DPI / dpi)), max(1, round(image.height * EMBED_DPI / dpi)))
                small = image.resize(size, Image.Resampling.BOX)
            small.save(buffer, format="PNG", compress_level=6)
        return buffer.getvalue()
    with figure_style():
        fig.savefig(buffer, format="png", dpi=EMBED_DPI, bbox_inches="tight", pad_inches=0.05,
                    metadata={"Software": "graphmodel"})
    return buffer.getvalue()


def _short_names(organizations: pd.DataFrame) -> pd.DataFrame:
    return organizations.assign(name=[shorten(n) for n in organizations["name"].astype(str)])


def _drawings(findings: Any, dataset: Any | None, names: Mapping[str, str], lang: str) -> list[tuple[str, str, Any]]:
    """(key, caption, draw) for each figure the findings allow, in page order."""
    tables, values = findings.tables, findings.values
    out: list[tuple[str, str, Any]] = []
    if "levels" in tables and not tables["levels"].empty:
        out.append(("level_profile", page_text("fig_level_profile", lang), lambda: plot_level_profile(
            tables["levels"], patterns=values.get("patterns"), parameters=findings.parameters, lang=lang)))
    if "responsibilities" in tables:
        out.append(("org_tree", page_text("fig_org_tree", lang), lambda: plot_org_tree(
            _short_names(organizations_frame(findings.network, dataset)), tables["responsibilities"],
            tables.get("broken_links"),
            lang=lang)))
    broken = tables.get("broken_links")
    if broken is not None and not broken.empty:
        out.append(("repair_list", page_text("fig_repair_list", lang),
                    lambda: plot_repair_list(broken, names=names, lang=lang)))
    coordination = tables.get("coordination")
    if coordination is not None and not coordination.empty and "level" in coordination.columns:
        out.append(("coordination", page_text("fig_coordination", lang),
                    lambda: plot_coordination(coordination, by="level", lang=lang)))
    org = featured_org(findings)
    if org is not None and "responsibilities" in tables and (tables["responsibilities"]["org"].astype(str) == org).any():
        out.append(("org_network", page_text("fig_org_network", lang, org=names.get(org, org)), lambda: plot_org_network(
            tables["responsibilities"], links_frame(findings.network), org, names=names,
            tau_weak=findings.parameters.tau_weak, lang=lang)))
    eco = part(findings, "ecology")
    index = None if eco is None else eco.table("index", "level", "index")
    trees = None if eco is None else eco.table("trees", "org", "index", "reason")
    if index is not None:
        out.append(("ecology_forest", page_text("fig_ecology_forest", lang),
                    lambda: plot_ecology_forest(index, by="level", lang=lang)))
    if trees is not None:
        if "flagged" in trees.columns:  # the figure's bar labels: what is flagged, in the page's language
            trees = trees.assign(reason=[flagged_items(f, lang) for f in trees["flagged"]])
        if "name" in trees.columns:
            trees = _short_names(trees)
        out.append(("ecology_trees", page_text("fig_ecology_trees", lang),
                    lambda: plot_ecology_trees(trees, names=names, lang=lang)))
    return out


def brief_figures(
    findings: Any,
    out_dir: str | Path,
    *,
    dataset: Any | None = None,
    names: Mapping[str, str] | None = None,
    lang: str = "zh",
    formats: Sequence[str] = FORMATS,
    dpi: int = 300,
) -> list[BriefFigure]:
    """Draw the briefing's figures, write them into ``out_dir/figures/``, and render each for the page.

    The figures, each when the findings hold its table: the level profile; the organization
    tree (aggregated by level-1 unit above 400 organizations); the repair list; 四责协同 by
    level; the network of :func:`featured_org`; the 政治生态 forest and trees.

    Parameters
    ----------
    findings : a ``Findings``.
    out_dir : the pack's folder.
    dataset : the dataset, for the organization tree's names (else the network's ids).
    names : organization and cadre ids → display names (cut to ``LABEL_CHARS`` in the figures).
    lang : ``"zh"`` (default) or ``"en"``.
    formats, dpi : passed to ``save_figure``.

    Returns
    -------
    list of BriefFigure

    Examples
    --------
    >>> import tempfile
    >>> from graphmodel.analysis._examples import example_network
    >>> from graphmodel.results.findings import analyze
    >>> net = example_network([("r", "committee", ""), ("a", "committee", "r")],
    ...     [("s", "r", "secretary"), ("t", "a", "secretary")], evidence=[("s", "t", "meeting", 1)])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     figures = brief_figures(analyze(net), tmp, formats=("svg",))
    ...     [f.key for f in figures], [p.as_posix() for p in figures[0].files]
    (['level_profile', 'org_tree', 'repair_list', 'coordination', 'org_network'], ['figures/level_profile.svg'])
    """
    check_lang(lang)
    names = {k: shorten(v) for k, v in (names or {}).items()}
    root = Path(out_dir)
    figures: list[BriefFigure] = []
    for key, caption, draw in _drawings(findings, dataset, names, lang):
        fig, _ = draw()
        written = save_figure(fig, root / "figures" / key, formats=formats, dpi=dpi)
        png = _embed(fig, written, dpi)
        width, height = png_size(png)
        figures.append(BriefFigure(key, caption, [p.relative_to(root) for p in written], png, width, height,
                                   min(dpi, EMBED_DPI) if any(p.suffix == ".png" for p in written) else EMBED_DPI))
    return figures
